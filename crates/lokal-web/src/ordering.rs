//! Ordering from a store's menu (delivery, pickup, dine-in), the quote, paying, the consumer's
//! live tracking page, and paying a bill at the store (the page its QR poster opens).

use crate::discover::{when, yuan};
use crate::page::{Nav, message};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_app::takeout::{AddressJson, CartJson, CartLineJson};
use lokal_core::fulfil::{Actor, Mode, OrderStatus};
use lokal_core::takeout::{ChosenJson, PayRuleJson};
use lokal_core::{ItemId, OrderId, QuoteId, StoreId};

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/stores/{store_id}/order", get(menu_page).post(make_quote))
        .route("/quotes/{quote_id}", get(quote_page).post(place))
        .route("/orders/{order_id}/track", get(track_page))
        .route("/orders/{order_id}/cancel", post(cancel))
        .route("/pay/{store_id}", get(bill_page).post(open_bill))
        .route("/me/orders", get(my_orders))
}

#[derive(Template, WebTemplate)]
#[template(path = "my_orders.html")]
struct MyOrdersPage {
    nav: Nav,
    /// Id, store, mode, status, total, placed.
    orders: Vec<(String, String, &'static str, &'static str, String, String)>,
}

async fn my_orders(State(ctx): State<Ctx>, nav: Nav) -> Response {
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let list = match ctx.app.my_menu_orders(&me).await {
        Ok(l) => l,
        Err(e) => return nav.refusal("Orders", e),
    };
    let orders = list
        .iter()
        .map(|o| {
            let (mode, status) = (o.mode(), o.status());
            (
                o.order.id.to_string(),
                o.store_name.clone(),
                mode.as_str(),
                headline(mode, status),
                yuan(o.order.total),
                when(o.order.created_at),
            )
        })
        .collect();
    nav.finish(MyOrdersPage { nav: nav.clone(), orders }.into_response())
}

fn not_found(nav: &Nav, what: &str) -> Response {
    nav.finish(message(StatusCode::NOT_FOUND, "Not found", &format!("There is no such {what}."), nav.clone()))
}

/// An option group as the menu form shows it.
struct GroupView {
    field: String,
    name: String,
    required: bool,
    choices: Vec<(String, String)>,
}

/// An item as the menu form shows it.
struct ItemView {
    id: String,
    name: String,
    section: String,
    price: String,
    available: bool,
    groups: Vec<GroupView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "order_menu.html")]
struct MenuPage {
    nav: Nav,
    store_id: String,
    store_name: String,
    open_now: bool,
    modes: Vec<(&'static str, &'static str)>,
    items: Vec<ItemView>,
    lat: String,
    lng: String,
    fees: String,
}

async fn menu_page(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let Ok(store) = id.parse::<StoreId>() else { return not_found(&nav, "store") };
    let (view, menu, settings) =
        match (ctx.app.public_store(store).await, ctx.app.menu(store).await, ctx.app.order_settings(store).await) {
            (Ok(v), Ok(m), Ok(s)) => (v, m, s),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return nav.refusal("Store not found", e),
        };
    let p = &view.profile;
    let mut modes = Vec::new();
    if p.delivery && p.location.is_some() {
        modes.push(("delivery", "Delivery"));
    }
    if p.pickup {
        modes.push(("pickup", "Pick up in store"));
    }
    if p.dine_in {
        modes.push(("dine_in", "Eat in (table code)"));
    }
    // Without a geocoder the door starts 500 m north of the store; "use my location" replaces it.
    let door = p.location.map(|l| l.offset_m(500.0, 0.0));
    let items = menu
        .into_iter()
        .map(|m| ItemView {
            id: m.item.id.to_string(),
            groups: m
                .options
                .iter()
                .enumerate()
                .map(|(g, group)| GroupView {
                    field: format!("opt:{}:{g}", m.item.id),
                    name: group.name.clone(),
                    required: group.required,
                    choices: group
                        .choices
                        .iter()
                        .map(|c| {
                            let delta = if c.price_delta == 0 {
                                String::new()
                            } else {
                                format!(" ({:+})", c.price_delta as f64 / 100.0)
                            };
                            // The value names the group and the choice; the unit separator cannot be typed.
                            (format!("{}\u{1f}{}", group.name, c.name), format!("{}{delta}", c.name))
                        })
                        .collect(),
                })
                .collect(),
            name: m.item.name,
            section: m.item.section,
            price: yuan(m.price),
            available: m.available,
        })
        .collect();
    let bands: Vec<String> = settings
        .delivery_fees
        .iter()
        .map(|b| format!("{} up to {} km", yuan(b.fee), f64::from(b.up_to_m) / 1000.0))
        .collect();
    let page = MenuPage {
        nav: nav.clone(),
        store_id: store.to_string(),
        open_now: p.hours.is_open_at(ctx.app.now(), p.utc_offset_min),
        store_name: p.name.clone(),
        modes,
        items,
        lat: door.map(|d| format!("{:.6}", d.lat())).unwrap_or_default(),
        lng: door.map(|d| format!("{:.6}", d.lng())).unwrap_or_default(),
        fees: format!(
            "Packaging {} · minimum for delivery {} · delivery {}",
            yuan(settings.packaging_fee),
            yuan(settings.min_order),
            bands.join(", ")
        ),
    };
    nav.finish(page.into_response())
}

/// Reads the menu form (`qty:{item}`, `opt:{item}:{group}`, mode, address…) into a cart.
fn cart_of(store: StoreId, fields: &[(String, String)]) -> Result<CartJson, String> {
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let mode = Mode::parse(&get("mode")).ok_or("Choose delivery, pickup or eat in.")?;
    let mut lines = Vec::new();
    for (name, value) in fields {
        let Some(item) = name.strip_prefix("qty:") else { continue };
        let quantity: i64 = value.trim().parse().unwrap_or(0);
        if quantity == 0 {
            continue;
        }
        let item_id: ItemId = item.parse().map_err(|_| "The form is out of date: reload the menu.")?;
        let prefix = format!("opt:{item}:");
        let options = fields
            .iter()
            .filter(|(n, v)| n.starts_with(&prefix) && !v.is_empty())
            .filter_map(|(_, v)| v.split_once('\u{1f}').map(|(g, c)| ChosenJson { group: g.into(), choice: c.into() }))
            .collect();
        lines.push(CartLineJson { item_id, quantity, options });
    }
    if lines.is_empty() {
        return Err("Choose at least one dish.".into());
    }
    let address = if mode == Mode::Delivery {
        let (lat, lng) = (get("lat").parse::<f64>(), get("lng").parse::<f64>());
        let (Ok(lat), Ok(lng)) = (lat, lng) else { return Err("Give the delivery point.".into()) };
        Some(AddressJson { text: get("address"), lat, lng })
    } else {
        None
    };
    let table_code = (mode == Mode::DineIn).then(|| get("table_code"));
    let slot = get("slot");
    Ok(CartJson {
        store_id: store,
        mode,
        lines,
        address,
        table_code,
        scheduled_at: (!slot.is_empty()).then_some(slot),
        note: get("note"),
        // The quote proposes the best combination of the consumer's coupons.
        coupon_ids: None,
    })
}

async fn make_quote(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let csrf = fields.iter().find(|(n, _)| n == "csrf_token").map(|(_, v)| v.as_str()).unwrap_or("");
    if let Err(refused) = nav.verify_form(&headers, csrf) {
        return refused;
    }
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let Ok(store) = id.parse::<StoreId>() else { return not_found(&nav, "store") };
    let cart = match cart_of(store, &fields) {
        Ok(c) => c,
        Err(why) => return nav.finish(message(StatusCode::UNPROCESSABLE_ENTITY, "Not priced", &why, nav.clone())),
    };
    match ctx.app.quote(&me, cart).await {
        Ok(q) => Redirect::to(&format!("/quotes/{}", q.row.id)).into_response(),
        Err(e) => nav.refusal("Not priced", e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "order_quote.html")]
struct QuotePage {
    nav: Nav,
    id: String,
    store_name: String,
    mode: &'static str,
    lines: Vec<(String, String, i64, String)>,
    subtotal: String,
    packaging: String,
    delivery: String,
    total: String,
    total_minor: i64,
    eta_minutes: i64,
    expires: String,
    where_to: String,
    /// Coupons applied: title, who pays, minus the amount.
    discounts: Vec<(String, &'static str, String)>,
    /// The stored value on the caller's card at this merchant, if any (a way to pay).
    card: Option<String>,
}

async fn quote_page(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let Ok(id) = id.parse::<QuoteId>() else { return not_found(&nav, "quote") };
    let (q, cart) = match ctx.app.my_quote(&me, id).await {
        Ok(q) => q,
        Err(e) => return nav.refusal("Quote not found", e),
    };
    let t = q.priced.totals;
    let where_to = match cart.mode {
        Mode::Delivery => cart.address.map(|a| a.text).unwrap_or_default(),
        Mode::DineIn => format!("Table {}", cart.table_code.unwrap_or_default()),
        _ => "Pick up at the counter".into(),
    };
    // The card is offered when it covers the total.
    let card = crate::loyalty::card_balance(&ctx, &me, q.priced.store.row.merchant_id)
        .await
        .filter(|b| *b >= t.total)
        .map(yuan);
    let page = QuotePage {
        card,
        nav: nav.clone(),
        id: id.to_string(),
        store_name: q.priced.store.profile.name.clone(),
        mode: cart.mode.as_str(),
        lines: q.priced.lines.iter().map(|l| (l.name.clone(), l.options.clone(), l.quantity, yuan(l.total))).collect(),
        subtotal: yuan(t.subtotal),
        packaging: yuan(t.packaging_fee),
        delivery: yuan(t.delivery_fee),
        total: yuan(t.total),
        total_minor: t.total,
        eta_minutes: q.row.eta_minutes,
        expires: when(q.row.expires_at),
        where_to,
        discounts: q
            .priced
            .promotions
            .iter()
            .map(|p| (p.title.clone(), "the store", format!("−{}", yuan(p.amount))))
            .chain(q.priced.discounts.iter().map(|d| {
                let by = if d.funder == lokal_core::promo::Funder::Platform { "Lokal" } else { "the store" };
                (d.title.clone(), by, format!("−{}", yuan(d.amount)))
            }))
            .collect(),
    };
    nav.finish(page.into_response())
}

#[derive(Debug, serde::Deserialize)]
struct PlaceForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    expected_total: Option<i64>,
    /// `card` (the membership card's stored value) or online (default).
    #[serde(default)]
    pay_with: String,
}

async fn place(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<PlaceForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let Ok(id) = id.parse::<QuoteId>() else { return not_found(&nav, "quote") };
    let order = match ctx.app.order_from_quote(&me, id, f.expected_total, "web").await {
        Ok(o) => o,
        Err(e) => return nav.refusal("Not ordered", e),
    };
    crate::loyalty::start_payment(&ctx, &nav, &me, order.id, &f.pay_with).await
}

/// A point on the tracking map, in the SVG's coordinates.
struct Pin {
    x: f64,
    y: f64,
    label: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "order_track.html")]
struct TrackPage {
    nav: Nav,
    id: String,
    store_name: String,
    mode: &'static str,
    status: &'static str,
    headline: String,
    code: Option<String>,
    eta: Option<String>,
    lines: Vec<(String, String, i64, String)>,
    total: String,
    discount: Option<String>,
    timeline: Vec<(String, String, String)>,
    rider: Option<String>,
    pins: Vec<Pin>,
    pending_payment: bool,
    cancellable: bool,
    reason: String,
    /// The consumer may review it now (and rate its rider).
    reviewable: bool,
    rider_to_rate: bool,
}

fn headline(mode: Mode, status: OrderStatus) -> &'static str {
    match (mode, status) {
        (_, OrderStatus::Pending) => "Waiting for your payment",
        (_, OrderStatus::Paid) => "Paid — waiting for the store to accept",
        (_, OrderStatus::Accepted) => "The store is preparing your order",
        (Mode::Delivery, OrderStatus::Ready) => "Ready — waiting for the rider",
        (_, OrderStatus::Ready) => "Ready — show your code at the counter",
        (_, OrderStatus::Delivering) => "On its way",
        (Mode::PayAtStore, OrderStatus::Completed) => "Paid — show this code at the till",
        (_, OrderStatus::Completed) => "Enjoy your meal",
        (_, OrderStatus::Rejected) => "The store could not take your order — refunded",
        (_, OrderStatus::Cancelled) => "Cancelled",
    }
}

async fn track_page(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let Ok(id) = id.parse::<OrderId>() else { return not_found(&nav, "order") };
    let t = match ctx.app.track(&me, id).await {
        Ok(t) => t,
        Err(e) => return nav.refusal("Order not found", e),
    };
    let o = &t.order;
    let (mode, status) = (o.mode(), o.status());
    let mut pins = Vec::new();
    if let Some(d) = &o.delivery {
        let pt = |p: (i64, i64)| (p.0 as f64 / 1e7, p.1 as f64 / 1e7);
        let mut points = vec![(pt(d.pickup), "store"), (pt(d.drop), "you")];
        if let Some(r) = t.rider_position {
            points.push(((r.lat(), r.lng()), "rider"));
        }
        pins = fit(&points);
    }
    let paid = o.order.paid_at.is_some();
    let (reviewable, rider_to_rate) = ctx.app.can_review_order(&me, id).await.unwrap_or((false, false));
    let page = TrackPage {
        reviewable,
        rider_to_rate,
        nav: nav.clone(),
        id: id.to_string(),
        store_name: o.store_name.clone(),
        mode: mode.as_str(),
        status: status.as_str(),
        headline: headline(mode, status).to_owned(),
        code: (t.viewer == Actor::Consumer && !status.is_terminal() || mode == Mode::PayAtStore)
            .then(|| o.detail.code.clone()),
        eta: o.detail.eta_at.filter(|_| !status.is_terminal()).map(when),
        lines: o.lines.iter().map(|l| (l.name.clone(), l.options.clone(), l.quantity, yuan(l.total))).collect(),
        total: yuan(o.order.total),
        discount: (o.detail.discount > 0).then(|| yuan(o.detail.discount)),
        timeline: o.events.iter().map(|e| (when(e.at), e.kind.replace('_', " "), e.note.clone())).collect(),
        rider: t.rider_name.clone(),
        pins,
        pending_payment: status == OrderStatus::Pending && !paid,
        cancellable: t.viewer == Actor::Consumer && matches!(status, OrderStatus::Pending | OrderStatus::Paid),
        reason: o.detail.reason.clone(),
    };
    nav.finish(page.into_response())
}

/// Fits points (lat, lng) into a 300 × 200 box with a margin, keeping the aspect of the ground.
fn fit(points: &[((f64, f64), &'static str)]) -> Vec<Pin> {
    let lat0 = points.iter().map(|p| p.0.0).sum::<f64>() / points.len().max(1) as f64;
    let k = lat0.to_radians().cos();
    let xs: Vec<f64> = points.iter().map(|p| p.0.1 * k).collect();
    let ys: Vec<f64> = points.iter().map(|p| p.0.0).collect();
    let (min_x, max_x) = xs.iter().fold((f64::MAX, f64::MIN), |a, &x| (a.0.min(x), a.1.max(x)));
    let (min_y, max_y) = ys.iter().fold((f64::MAX, f64::MIN), |a, &y| (a.0.min(y), a.1.max(y)));
    let span = (max_x - min_x).max(max_y - min_y).max(1e-4);
    let scale = 160.0 / span;
    points
        .iter()
        .zip(xs.iter().zip(&ys))
        .map(|(p, (x, y))| Pin {
            x: 150.0 + (x - (min_x + max_x) / 2.0) * scale,
            y: 100.0 - (y - (min_y + max_y) / 2.0) * scale,
            label: p.1,
        })
        .collect()
}

#[derive(Debug, serde::Deserialize)]
struct CancelForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    reason: String,
}

async fn cancel(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<CancelForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let Ok(id) = id.parse::<OrderId>() else { return not_found(&nav, "order") };
    let reason = if f.reason.trim().is_empty() { "changed my mind" } else { f.reason.as_str() };
    match ctx.app.cancel_menu_order(&me, id, reason).await {
        Ok(_) => Redirect::to(&format!("/orders/{id}/track")).into_response(),
        Err(e) => nav.refusal("Not cancelled", e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pay_bill.html")]
struct BillPage {
    nav: Nav,
    store_id: String,
    store_name: String,
    rule: String,
    excludes: String,
    /// The stored value on the caller's card at this merchant, if any (a way to pay).
    card: Option<String>,
}

/// The rule in words.
pub(crate) fn rule_text(rule: &PayRuleJson) -> String {
    match rule {
        PayRuleJson::None => "No discount at this store.".into(),
        PayRuleJson::PercentOff { percent_bp, max_off } => {
            let cap = max_off.map(|m| format!(", at most {}", yuan(m))).unwrap_or_default();
            format!("{}% off the bill{cap}", f64::from(*percent_bp) / 100.0)
        }
        PayRuleJson::EveryOff { every, off, max_off } => {
            let cap = max_off.map(|m| format!(", at most {}", yuan(m))).unwrap_or_default();
            format!("{} off every {}{cap}", yuan(*off), yuan(*every))
        }
    }
}

async fn bill_page(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let Ok(store) = id.parse::<StoreId>() else { return not_found(&nav, "store") };
    let t = match ctx.app.bill_terms(store).await {
        Ok(t) => t,
        Err(e) => return nav.refusal("Store not found", e),
    };
    let mut card = None;
    if let (Some(me), Ok(view)) = (nav.caller(), ctx.app.public_store(store).await) {
        card = crate::loyalty::card_balance(&ctx, &me, view.row.merchant_id).await.map(yuan);
    }
    let page = BillPage {
        card,
        nav: nav.clone(),
        store_id: store.to_string(),
        store_name: t.store_name,
        rule: rule_text(&t.rule),
        excludes: t.excludes,
    };
    nav.finish(page.into_response())
}

#[derive(Debug, serde::Deserialize)]
struct BillForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    excluded: String,
    /// `card` (the membership card's stored value) or online (default).
    #[serde(default)]
    pay_with: String,
}

async fn open_bill(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<BillForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let Ok(store) = id.parse::<StoreId>() else { return not_found(&nav, "store") };
    let amount = crate::console::parse_yuan(&f.amount);
    let excluded = if f.excluded.trim().is_empty() { Some(0) } else { crate::console::parse_yuan(&f.excluded) };
    let (Some(amount), Some(excluded)) = (amount, excluded) else {
        return nav.finish(message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Not paid",
            "Enter the bill in yuan, like 128.50.",
            nav.clone(),
        ));
    };
    let order = match ctx.app.open_bill(&me, store, amount, excluded, "poster", None).await {
        Ok(o) => o,
        Err(e) => return nav.refusal("Not paid", e),
    };
    crate::loyalty::start_payment(&ctx, &nav, &me, order.id, &f.pay_with).await
}
