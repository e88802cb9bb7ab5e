//! Ordering from a store's menu (delivery, pickup, dine-in), the quote, paying, the consumer's
//! live tracking page, and paying a bill at the store (the page its QR poster opens).

use crate::map::{MapView, Pin};
use crate::page::{Nav, message};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_app::takeout::{AddressJson, CartJson, CartLineJson};
use lokal_core::PaymentStatus;
use lokal_core::fulfil::{Actor, Mode, OrderStatus};
use lokal_core::takeout::{ChosenJson, PayRuleJson};
use lokal_core::voucher::VoucherStatus;
use lokal_core::{ErrorCode, ItemId, Msg, OrderId, QuoteId, StoreId, Timestamp};
use lokal_i18n::Lang;
use std::collections::HashMap;

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
    orders: Vec<MyOrder>,
    /// The tabs: word of [`MY_ORDER_TABS`], how many orders it holds, whether shown now.
    tabs: Vec<(&'static str, usize, bool)>,
}

/// The tabs of the consumer's orders (`my-orders-tab-…`): all, to pay, under way, completed,
/// cancelled or rejected.
pub const MY_ORDER_TABS: [&str; 5] = ["all", "pending", "active", "done", "closed"];

/// Whether an order whose state is `status` (an order status, or `refunded` for a deal whose
/// vouchers were all refunded) is under `tab`.
fn in_tab(tab: &str, status: &str) -> bool {
    match tab {
        "pending" => status == "pending",
        "active" => matches!(status, "paid" | "accepted" | "ready" | "delivering"),
        "done" => status == "completed",
        "closed" => matches!(status, "rejected" | "cancelled" | "refunded"),
        _ => true,
    }
}

/// A deal order's state for the list, and its headline: to pay, vouchers left to use,
/// all used (completed), all refunded, or cancelled unpaid.
pub(crate) fn deal_state(nav: &Nav, v: &lokal_app::orders::OrderView) -> (&'static str, String) {
    match v.order.status.as_str() {
        "pending" => ("pending", nav.t("track-headline-pending").into_owned()),
        "paid" => {
            let left = v.vouchers.iter().filter(|x| x.status == VoucherStatus::Active).count();
            if !v.vouchers.is_empty() && v.vouchers.iter().all(|x| x.status == VoucherStatus::Refunded) {
                ("refunded", nav.label("order-status", "refunded").into_owned())
            } else if left > 0 {
                ("paid", nav.t1("my-orders-vouchers-left", "n", left))
            } else {
                ("completed", nav.t("my-orders-vouchers-done").into_owned())
            }
        }
        _ => ("cancelled", nav.t("track-headline-cancelled").into_owned()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
struct TabQuery {
    #[serde(default)]
    tab: String,
}

/// An order in the consumer's list.
struct MyOrder {
    id: String,
    /// Its page: a deal order's, or a menu order's tracking page.
    href: String,
    /// When placed, epoch ms (the list is newest first).
    at: i64,
    store: String,
    mode: &'static str,
    status: &'static str,
    headline: String,
    total: String,
    placed: String,
}

async fn my_orders(
    State(ctx): State<Ctx>,
    nav: Nav,
    axum::extract::Query(q): axum::extract::Query<TabQuery>,
) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    // Every order: menu orders (takeout, pickup, eat-in, bills) and deal orders.
    let (menu, deals) = match (ctx.app.my_menu_orders(&me).await, ctx.app.my_orders(&me).await) {
        (Ok(m), Ok(d)) => (m, d),
        (Err(e), _) | (_, Err(e)) => return nav.refusal(&nav.t("my-orders-title"), e),
    };
    let stores: Vec<StoreId> = menu.iter().filter_map(|o| o.order.store_id).collect();
    let offsets = store_offsets(&ctx, stores).await;
    let mut all: Vec<MyOrder> = menu
        .iter()
        .map(|o| {
            let (mode, status) = (o.mode(), o.status());
            let offset = o.order.store_id.and_then(|s| offsets.get(&s).copied()).unwrap_or_else(|| city_offset(&nav));
            MyOrder {
                id: o.order.id.to_string(),
                href: format!("/orders/{}/track", o.order.id),
                at: o.order.created_at.millis(),
                store: o.store_name.clone(),
                mode: mode.as_str(),
                status: status.as_str(),
                headline: nav.t(headline(mode, status)).into_owned(),
                total: nav.money(o.order.total),
                placed: nav.near_at(o.order.created_at, offset),
            }
        })
        .collect();
    all.extend(deals.iter().filter(|v| v.order.kind == "deal").map(|v| {
        let (status, headline) = deal_state(&nav, v);
        MyOrder {
            id: v.order.id.to_string(),
            href: format!("/orders/{}", v.order.id),
            at: v.order.created_at.millis(),
            store: v.title.clone(),
            mode: "deal",
            status,
            headline,
            total: nav.money(v.order.total),
            placed: nav.datetime(v.order.created_at),
        }
    }));
    all.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| b.id.cmp(&a.id)));
    let tab = MY_ORDER_TABS.into_iter().find(|t| *t == q.tab).unwrap_or("all");
    let tabs =
        MY_ORDER_TABS.into_iter().map(|t| (t, all.iter().filter(|o| in_tab(t, o.status)).count(), t == tab)).collect();
    let orders = all.into_iter().filter(|o| in_tab(tab, o.status)).collect();
    nav.finish(MyOrdersPage { nav: nav.clone(), orders, tabs }.into_response())
}

/// The city's offset from UTC now, minutes (for times of no particular store).
pub(crate) fn city_offset(nav: &Nav) -> i64 {
    i64::from(nav.zone.offset_minutes_at(nav.now_ms))
}

/// Each store's minutes east of UTC (its time zone), read once per store; a store that cannot
/// be read is left out (its times are then written in the city's zone).
pub(crate) async fn store_offsets(ctx: &Ctx, stores: Vec<StoreId>) -> HashMap<StoreId, i64> {
    let mut out = HashMap::new();
    for s in stores {
        if out.contains_key(&s) {
            continue;
        }
        if let Ok(v) = ctx.app.public_store(s).await {
            out.insert(s, i64::from(v.profile.utc_offset_min));
        }
    }
    out
}

/// One store's minutes east of UTC (the city's when it cannot be read).
pub(crate) async fn store_offset(ctx: &Ctx, nav: &Nav, store: Option<StoreId>) -> i64 {
    match store {
        Some(s) => store_offsets(ctx, vec![s]).await.get(&s).copied().unwrap_or_else(|| city_offset(nav)),
        None => city_offset(nav),
    }
}

/// The "no such …" page with the sentence `text`.
fn not_found(nav: &Nav, text: Msg) -> Response {
    nav.finish(message(StatusCode::NOT_FOUND, &nav.t("order-not-found-heading"), &nav.msg(&text), nav.clone()))
}

/// A refusal (404) of an id that does not parse, with the sentence `text`.
pub(crate) fn no_such(text: Msg) -> lokal_app::AppError {
    lokal_app::AppError::new(ErrorCode::NotFound, text)
}

/// An option group as the menu form shows it.
struct GroupView {
    field: String,
    name: String,
    required: bool,
    /// (value, text, chosen).
    choices: Vec<(String, String, bool)>,
}

/// An item as the menu form shows it.
struct ItemView {
    id: String,
    name: String,
    section: String,
    price: String,
    /// The price in fen (the page adds up the cart as it is filled).
    price_minor: i64,
    available: bool,
    groups: Vec<GroupView>,
    /// Its photo's thumbnail URL, or empty.
    photo: String,
    /// The quantity in the form.
    qty: String,
}

/// What the person filled in, when the menu comes back with why it could not be priced.
#[derive(Default)]
struct Filled {
    fields: Vec<(String, String)>,
    error: Option<String>,
}

impl Filled {
    fn get(&self, k: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
    }

    fn text(&self, k: &str) -> String {
        self.get(k).unwrap_or_default().to_owned()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "order_menu.html")]
struct MenuPage {
    nav: Nav,
    store_id: String,
    store_name: String,
    open_now: bool,
    /// The modes the store takes (`delivery`, `pickup`, `dine_in`).
    modes: Vec<&'static str>,
    items: Vec<ItemView>,
    lat: String,
    lng: String,
    /// The caller's saved addresses: (id, how it reads), most recently used first.
    addresses: Vec<(String, String)>,
    /// The map to place the delivery point on.
    map: String,
    contact_name: String,
    contact_phone: String,
    /// The form's other values (kept when the menu comes back with a refusal).
    chosen_mode: String,
    chosen_address: String,
    address: String,
    door: String,
    address_label: String,
    save_address: bool,
    table_code: String,
    note: String,
    chosen_slot: String,
    /// Why the cart could not be priced, if it came back.
    error: Option<String>,
    fees: String,
    /// The time slots offered: (RFC 3339 instant, the store's local time for people).
    slots: Vec<(String, String)>,
}

/// The number of half-hour slots offered.
const SLOTS: i64 = 12;

/// The first [`SLOTS`] half hours of the store's clock, from 45 minutes after `now_ms` and
/// within two days, at which the store is open (`open`): a slot is never offered outside the
/// opening hours. The server checks them again with the preparation time.
fn slot_instants(now_ms: i64, offset_min: i64, open: impl Fn(i64) -> bool) -> Vec<i64> {
    const HALF_HOUR: i64 = 30 * 60_000;
    let offset = offset_min * 60_000;
    let local = now_ms + 45 * 60_000 + offset;
    let first = local.div_euclid(HALF_HOUR) * HALF_HOUR + HALF_HOUR - offset;
    (0..96).map(|i| first + i * HALF_HOUR).filter(|ms| open(*ms)).take(SLOTS as usize).collect()
}

/// A distance for people: `800 m`, `3 km`, `2.5 km`.
pub(crate) fn distance(nav: &Nav, metres: i64) -> String {
    if metres < 1000 {
        nav.t1("order-unit-m", "n", metres)
    } else if metres % 1000 == 0 {
        nav.t1("order-unit-km", "n", (metres / 1000).to_string())
    } else {
        let km = format!("{:.1}", metres as f64 / 1000.0);
        nav.t1("order-unit-km", "n", km.trim_end_matches('0').trim_end_matches('.').to_owned())
    }
}

/// A price change for people: `+¥2`, `-¥1`.
fn delta(nav: &Nav, minor: i64) -> String {
    if minor > 0 { format!("+{}", nav.money(minor)) } else { nav.money(minor) }
}

async fn menu_page(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let Ok(store) = id.parse::<StoreId>() else { return not_found(&nav, Msg::new("order-no-such-store")) };
    render_menu(&ctx, &nav, store, &Filled::default(), StatusCode::OK).await
}

/// The menu form, with what the person filled in and why it was refused when it comes back.
async fn render_menu(ctx: &Ctx, nav: &Nav, store: StoreId, filled: &Filled, status: StatusCode) -> Response {
    let nav = nav.clone();
    let (view, menu, settings) =
        match (ctx.app.public_store(store).await, ctx.app.menu(store).await, ctx.app.order_settings(store).await) {
            (Ok(v), Ok(m), Ok(s)) => (v, m, s),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                return nav.refusal(&nav.t("order-store-not-found"), e);
            }
        };
    let p = &view.profile;
    let mut modes = Vec::new();
    if p.delivery && p.location.is_some() {
        modes.push(Mode::Delivery.as_str());
    }
    if p.pickup {
        modes.push(Mode::Pickup.as_str());
    }
    if p.dine_in {
        modes.push(Mode::DineIn.as_str());
    }
    // The pin starts where the person is (the place they shared or picked) when the store
    // delivers there, else 500 m north of the store; they move it on the map.
    let door = p.location.map(|l| match nav.place {
        Some(here) if l.distance_m(&here) <= f64::from(settings.delivery_fees.last().map_or(3_000, |b| b.up_to_m)) => {
            here
        }
        _ => l.offset_m(500.0, 0.0),
    });
    let saved = match nav.caller() {
        Some(me) => ctx.app.my_addresses(&me).await.unwrap_or_default(),
        None => Vec::new(),
    };
    // A saved address is chosen unless the person chose a new one.
    let chosen_address = match filled.get("address_id") {
        Some(id) => id.to_owned(),
        None => saved.first().map(|a| a.id.clone()).unwrap_or_default(),
    };
    let addresses = saved
        .iter()
        .map(|a| {
            let line = if a.door.is_empty() { a.address.clone() } else { format!("{} {}", a.address, a.door) };
            let who = format!("{} {}", a.contact_name, a.contact_phone);
            let text =
                if a.label.is_empty() { format!("{line} · {who}") } else { format!("{} · {line} · {who}", a.label) };
            (a.id.clone(), text)
        })
        .collect();
    let map = match (p.location, door) {
        (Some(store_at), Some(door)) => {
            let pins = vec![Pin { at: store_at, label: p.name.clone(), href: String::new(), kind: "store" }];
            MapView::around("drop-map", door, pins, 800.0, nav.t("order-pin-label").into_owned())
                .picking("lat", "lng")
                .render(&nav)
        }
        _ => String::new(),
    };
    let items = menu
        .into_iter()
        .map(|m| ItemView {
            id: m.item.id.to_string(),
            qty: filled.get(&format!("qty:{}", m.item.id)).unwrap_or("0").to_owned(),
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
                            let text = if c.price_delta == 0 {
                                c.name.clone()
                            } else {
                                nav.t2("order-option-delta", "choice", &c.name, "delta", delta(&nav, c.price_delta))
                            };
                            // The value names the group and the choice; the unit separator cannot be typed.
                            let value = format!("{}\u{1f}{}", group.name, c.name);
                            let chosen = filled.get(&format!("opt:{}:{g}", m.item.id)) == Some(value.as_str());
                            (value, text, chosen)
                        })
                        .collect(),
                })
                .collect(),
            photo: crate::discovery::thumbnail_or_empty(&m.item.photo),
            name: m.item.name,
            section: m.item.section,
            price: nav.money(m.price),
            price_minor: m.price,
            available: m.available,
        })
        .collect();
    let bands: Vec<String> = settings
        .delivery_fees
        .iter()
        .map(|b| {
            nav.msg(
                &Msg::new("order-fee-band").money("fee", b.fee).with("distance", distance(&nav, i64::from(b.up_to_m))),
            )
        })
        .collect();
    let offset = i64::from(p.utc_offset_min);
    let open = |ms: i64| p.hours.is_open_at(lokal_core::Timestamp::from_millis(ms), p.utc_offset_min);
    let slots = slot_instants(nav.now_ms, offset, open)
        .into_iter()
        .map(Timestamp::from_millis)
        .map(|at| (at.to_rfc3339(), nav.near_at(at, offset)))
        .collect();
    let page = MenuPage {
        nav: nav.clone(),
        store_id: store.to_string(),
        open_now: p.hours.is_open_at(ctx.app.now(), p.utc_offset_min),
        store_name: p.name.clone(),
        items,
        lat: filled
            .get("lat")
            .map_or_else(|| door.map(|d| format!("{:.6}", d.lat())).unwrap_or_default(), str::to_owned),
        lng: filled
            .get("lng")
            .map_or_else(|| door.map(|d| format!("{:.6}", d.lng())).unwrap_or_default(), str::to_owned),
        chosen_mode: filled.get("mode").or(modes.first().copied()).unwrap_or_default().to_owned(),
        modes,
        addresses,
        map,
        contact_name: filled.text("contact_name"),
        contact_phone: filled.text("contact_phone"),
        chosen_address,
        address: filled.text("address"),
        door: filled.text("door"),
        address_label: filled.text("address_label"),
        save_address: filled.get("save_address") == Some("1"),
        table_code: filled.text("table_code"),
        note: filled.text("note"),
        chosen_slot: filled.text("slot"),
        error: filled.error.clone(),
        fees: nav.msg(
            &Msg::new("order-fees")
                .money("packaging", settings.packaging_fee)
                .money("minimum", settings.min_order)
                .with("bands", bands.join(&nav.t("order-fee-band-separator"))),
        ),
        slots,
    };
    nav.finish((status, page).into_response())
}

/// Reads the menu form (`qty:{item}`, `opt:{item}:{group}`, mode, address…) into a cart.
fn cart_of(store: StoreId, fields: &[(String, String)]) -> Result<CartJson, Msg> {
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let mode = get("mode").parse::<Mode>().map_err(|_| Msg::new("order-choose-mode"))?;
    let mut lines = Vec::new();
    for (name, value) in fields {
        let Some(item) = name.strip_prefix("qty:") else { continue };
        let quantity: i64 = value.trim().parse().unwrap_or(0);
        if quantity == 0 {
            continue;
        }
        let item_id: ItemId = item.parse().map_err(|_| Msg::new("order-form-stale"))?;
        let prefix = format!("opt:{item}:");
        let options = fields
            .iter()
            .filter(|(n, v)| n.starts_with(&prefix) && !v.is_empty())
            .filter_map(|(_, v)| v.split_once('\u{1f}').map(|(g, c)| ChosenJson { group: g.into(), choice: c.into() }))
            .collect();
        lines.push(CartLineJson { item_id, quantity, options });
    }
    if lines.is_empty() {
        return Err(Msg::new("order-choose-dish"));
    }
    // A saved address replaces the new address's fields.
    let address_id = Some(get("address_id")).filter(|id| mode == Mode::Delivery && !id.is_empty());
    let address = if mode == Mode::Delivery && address_id.is_none() {
        let (lat, lng) = (get("lat").parse::<f64>(), get("lng").parse::<f64>());
        let (Ok(lat), Ok(lng)) = (lat, lng) else { return Err(Msg::new("order-give-delivery-point")) };
        Some(AddressJson {
            text: get("address"),
            lat,
            lng,
            door: get("door"),
            contact_name: get("contact_name"),
            contact_phone: get("contact_phone"),
        })
    } else {
        None
    };
    let table_code = (mode == Mode::DineIn).then(|| get("table_code"));
    let slot = get("slot");
    Ok(CartJson {
        store_id: store,
        mode,
        lines,
        address_id,
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
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(store) = id.parse::<StoreId>() else { return not_found(&nav, Msg::new("order-no-such-store")) };
    // Refused: the menu again, with what was chosen and why.
    let back = |error: String, status: StatusCode| {
        let filled = Filled { fields: fields.clone(), error: Some(error) };
        let (ctx, nav) = (ctx.clone(), nav.clone());
        async move { render_menu(&ctx, &nav, store, &filled, status).await }
    };
    let refused = |e: lokal_app::AppError| {
        let status = StatusCode::from_u16(e.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (nav.error_text(&e), status, e)
    };
    let mut cart = match cart_of(store, &fields) {
        Ok(c) => c,
        Err(why) => return back(nav.msg(&why), StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    // "Save it to my address book": the new address is saved first and the order uses it.
    let save = fields.iter().any(|(n, v)| n == "save_address" && v == "1");
    if let (true, Some(a)) = (save, cart.address.as_ref()) {
        if a.contact_name.is_empty() || a.contact_phone.is_empty() {
            return back(nav.t("order-contact-needed").into_owned(), StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        let label = fields.iter().find(|(n, _)| n == "address_label").map(|(_, v)| v.trim().to_owned());
        let input = lokal_core::address::AddressInput {
            label: label.unwrap_or_default(),
            contact_name: a.contact_name.clone(),
            contact_phone: a.contact_phone.clone(),
            address: a.text.clone(),
            door: a.door.clone(),
            location: lokal_core::store::LatLngJson { lat: a.lat, lng: a.lng },
        };
        match ctx.app.add_address(&me, &input).await {
            Ok(row) => {
                cart.address_id = Some(row.id);
                cart.address = None;
            }
            Err(e) => {
                let (text, status, e) = refused(e);
                if status.is_server_error() {
                    return nav.refusal(&nav.t("order-not-priced"), e);
                }
                return back(text, status).await;
            }
        }
    }
    match ctx.app.quote(&me, cart).await {
        Ok(q) => Redirect::to(&format!("/quotes/{}", q.row.id)).into_response(),
        Err(e) => {
            let (text, status, e) = refused(e);
            if status.is_server_error() {
                return nav.refusal(&nav.t("order-not-priced"), e);
            }
            back(text, status).await
        }
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
    /// The chosen slot in the store's time, if any.
    slot: Option<String>,
    expires: String,
    where_to: String,
    /// Coupons applied: title, who pays (`store` or `platform`), minus the amount.
    discounts: Vec<(String, &'static str, String)>,
    /// The stored value on the caller's card at this merchant, if any (a way to pay).
    card: Option<String>,
    /// Why this quote replaced an earlier one, and how the total moved.
    repriced: Option<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
struct QuoteQuery {
    /// The quote this one replaces (it expired or its prices changed).
    #[serde(default)]
    from: String,
    /// `changed` when a coupon of the replaced quote could no longer be used.
    #[serde(default)]
    coupons: String,
}

async fn quote_page(
    State(ctx): State<Ctx>,
    nav: Nav,
    Path(id): Path<String>,
    Query(query): Query<QuoteQuery>,
) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(id) = id.parse::<QuoteId>() else { return not_found(&nav, Msg::new("order-no-such-quote")) };
    let (q, cart) = match ctx.app.my_quote(&me, id).await {
        Ok(q) => q,
        Err(e) => return nav.refusal(&nav.t("quote-not-found"), e),
    };
    let t = q.priced.totals;
    // Only the caller's own earlier quote is compared with (another id shows nothing).
    let repriced = match query.from.parse::<QuoteId>() {
        Ok(from) if from != id => match ctx.app.my_stored_quote(&me, from).await {
            Ok((old, _)) if old.total == t.total => Some(nav.t1("quote-repriced-same", "total", nav.money(t.total))),
            Ok((old, _)) => Some(nav.t2("quote-repriced", "was", nav.money(old.total), "now", nav.money(t.total))),
            Err(_) => None,
        },
        _ => None,
    };
    let repriced = match (repriced, query.coupons == "changed") {
        (Some(text), true) => Some(format!("{text} {}", nav.t("quote-coupons-changed"))),
        (r, _) => r,
    };
    let where_to = match cart.mode {
        Mode::Delivery => cart.address.map(|a| a.text).unwrap_or_default(),
        Mode::DineIn => nav.t1("quote-table", "code", cart.table_code.unwrap_or_default()),
        _ => nav.t("quote-pickup-at-counter").into_owned(),
    };
    // The card is offered when it covers the total.
    let card = crate::loyalty::card_balance(&ctx, &me, q.priced.store.row.merchant_id)
        .await
        .filter(|b| *b >= t.total)
        .map(|b| nav.money(b));
    let offset = i64::from(q.priced.store.profile.utc_offset_min);
    let page = QuotePage {
        repriced,
        card,
        id: id.to_string(),
        store_name: q.priced.store.profile.name.clone(),
        mode: cart.mode.as_str(),
        lines: q
            .priced
            .lines
            .iter()
            .map(|l| (l.name.clone(), l.options.clone(), l.quantity, nav.money(l.total)))
            .collect(),
        subtotal: nav.money(t.subtotal),
        packaging: nav.money(t.packaging_fee),
        delivery: nav.money(t.delivery_fee),
        total: nav.money(t.total),
        total_minor: t.total,
        eta_minutes: q.row.eta_minutes,
        slot: q.priced.scheduled_at.map(|s| nav.near_at(s, offset)),
        expires: nav.clock_at(q.row.expires_at, offset),
        where_to,
        discounts: q
            .priced
            .promotions
            .iter()
            .map(|p| (p.title.clone(), "store", nav.money(-p.amount)))
            .chain(q.priced.discounts.iter().map(|d| {
                let by = if d.funder == lokal_core::promo::Funder::Platform { "platform" } else { "store" };
                (d.title.clone(), by, nav.money(-d.amount))
            }))
            .collect(),
        nav: nav.clone(),
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
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(id) = id.parse::<QuoteId>() else { return not_found(&nav, Msg::new("order-no-such-quote")) };
    let order = match ctx.app.order_from_quote(&me, id, f.expected_total, "web").await {
        Ok(o) => o,
        Err(e) if matches!(e.code, ErrorCode::QuoteExpired | ErrorCode::QuoteChanged) => {
            return requote(&ctx, &nav, &me, id, e).await;
        }
        Err(e) => return nav.refusal(&nav.t("order-not-ordered"), e),
    };
    crate::loyalty::start_payment(&ctx, &nav, &me, order.id, &f.pay_with).await
}

/// A quote that expired or whose prices changed is priced again with the same cart, and the
/// person sees the new quote told what moved, instead of a dead end. Only when the cart cannot
/// be priced any more (an item gone, the store closed) is the order refused, saying why.
async fn requote(ctx: &Ctx, nav: &Nav, me: &lokal_core::Principal, old: QuoteId, why: lokal_app::AppError) -> Response {
    let heading = nav.t("order-not-ordered");
    let Ok((_, cart)) = ctx.app.my_stored_quote(me, old).await else { return nav.refusal(&heading, why) };
    // A coupon it used may have expired or been used meanwhile: then the cart is priced with
    // the best coupons the person can use now, and the page says the coupons changed.
    let without_coupons = cart.coupon_ids.as_ref().is_some_and(|c| !c.is_empty()).then(|| {
        let mut c = cart.clone();
        c.coupon_ids = None;
        c
    });
    let (q, changed) = match (ctx.app.quote(me, cart).await, without_coupons) {
        (Ok(q), _) => (q, ""),
        (Err(_), Some(cart)) => match ctx.app.quote(me, cart).await {
            Ok(q) => (q, "&coupons=changed"),
            Err(e) => return nav.refusal(&heading, e),
        },
        (Err(e), None) => return nav.refusal(&heading, e),
    };
    Redirect::to(&format!("/quotes/{}?from={old}{changed}", q.row.id)).into_response()
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
    /// Fees and discounts under the lines: (catalogue key of the label, amount, test id).
    charges: Vec<(&'static str, String, &'static str)>,
    /// The platform's part of the discount, when it paid some.
    platform_part: Option<String>,
    /// Where a delivery goes: receiver, phone, address with door.
    deliver_to: Option<(String, String, String)>,
    /// The table of an eat-in order.
    table: String,
    /// The consumer's note to the store.
    note: String,
    /// The receipt: when the order was placed and paid, in the store's time.
    placed_at: String,
    paid_at: Option<String>,
    timeline: Vec<Step>,
    rider: Option<String>,
    /// The map of the store, the door and the rider (deliveries).
    map: String,
    pending_payment: bool,
    /// A payment is being confirmed.
    processing: bool,
    cancellable: bool,
    reason: String,
    /// The consumer may review it now (and rate its rider).
    reviewable: bool,
    rider_to_rate: bool,
    /// The dimensions a review may rate (`taste`, `service`).
    dimensions: [&'static str; 2],
}

/// One step of the order's timeline as shown.
struct Step {
    at: String,
    /// The event's word (`paid`, `rider_assigned`, `exception_store_delay` …).
    kind: String,
    what: String,
    note: String,
}

/// The catalogue key of the headline of an order in `status`.
fn headline(mode: Mode, status: OrderStatus) -> &'static str {
    match (mode, status) {
        (_, OrderStatus::Pending) => "track-headline-pending",
        (Mode::PayAtStore, OrderStatus::Paid) => "track-headline-bill-waiting",
        (_, OrderStatus::Paid) => "track-headline-paid",
        (_, OrderStatus::Accepted) => "track-headline-accepted",
        (Mode::Delivery, OrderStatus::Ready) => "track-headline-ready-for-rider",
        (_, OrderStatus::Ready) => "track-headline-ready",
        (_, OrderStatus::Delivering) => "track-headline-delivering",
        (Mode::PayAtStore, OrderStatus::Completed) => "track-headline-bill-paid",
        (_, OrderStatus::Completed) => "track-headline-completed",
        (_, OrderStatus::Rejected) => "track-headline-rejected",
        (_, OrderStatus::Cancelled) => "track-headline-cancelled",
    }
}

/// The words of the order timeline's events (`order-event-…` labels); others show as
/// `order-event-other`.
pub const ORDER_EVENTS: [&str; 17] = [
    "placed",
    "paid",
    "bill_paid",
    "accepted",
    "ready",
    "completed",
    "rejected",
    "cancelled",
    "rider_assigned",
    "reassigned",
    "rider_released",
    "rider_at_store",
    "picked_up",
    "delivered",
    "exception_store_delay",
    "exception_customer_unreachable",
    "exception_rider_problem",
];

/// The word of a timeline event as stored (`exception: store delay` → `exception_store_delay`).
fn event_word(kind: &str) -> String {
    let word = kind.replace(": ", "_").replace(' ', "_");
    if ORDER_EVENTS.contains(&word.as_str()) { word } else { "other".into() }
}

/// A note the platform itself wrote on an order or a card (stored in English), in the page's
/// language; what people typed (reasons, names) is shown as it is.
pub(crate) fn note_text(nav: &Nav, note: &str) -> String {
    let fixed = match note {
        "shift ended" => Some("order-note-shift-ended"),
        "not paid in time" => Some("order-note-not-paid-in-time"),
        "accepted automatically (no answer in time)" => Some("order-note-accepted-automatically"),
        "changed my mind" => Some("track-cancel-reason"),
        "late payment" => Some("order-note-late-payment"),
        "redemption undone" => Some("order-note-redemption-undone"),
        "reported from the store page" => Some("review-report-default-reason"),
        _ => None,
    };
    if let Some(key) = fixed {
        return nav.t(key).into_owned();
    }
    if let Some(n) =
        note.strip_prefix("ready in ").and_then(|r| r.strip_suffix(" min")).and_then(|n| n.parse::<i64>().ok())
    {
        return nav.t1("order-note-ready-in", "minutes", n);
    }
    if let Some(item) = note.strip_suffix(" sold out before the payment arrived") {
        return nav.t1("order-note-sold-out", "item", item);
    }
    if let Some(rider) = note.strip_suffix(" (dispatcher)") {
        return nav.t1("order-note-assigned-by-dispatcher", "rider", rider);
    }
    if let Some((pay, bonus)) = note.strip_suffix(" bonus").and_then(|n| n.split_once(" paid + ")) {
        return nav.t2("order-note-recharge", "pay", pay, "bonus", bonus);
    }
    if let Some(rider) = note.strip_suffix(" (grabbed)") {
        return nav.t1("order-note-grabbed", "rider", rider);
    }
    note.to_owned()
}

async fn track_page(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(id) = id.parse::<OrderId>() else { return not_found(&nav, Msg::new("order-no-such-order")) };
    let t = match ctx.app.track(&me, id).await {
        Ok(t) => t,
        Err(e) => return nav.refusal(&nav.t("track-not-found"), e),
    };
    let o = &t.order;
    let (mode, status) = (o.mode(), o.status());
    let offset = store_offset(&ctx, &nav, o.order.store_id).await;
    let mut map = String::new();
    if let Some(d) = &o.delivery {
        let at = |p: (i64, i64)| lokal_core::geo::LatLng::new(p.0 as f64 / 1e7, p.1 as f64 / 1e7).ok();
        let pin = |at, label: String, kind| Pin { at, label, href: String::new(), kind };
        let mut pins = Vec::new();
        pins.extend(at(d.pickup).map(|p| pin(p, nav.t("track-map-store").into_owned(), "store")));
        pins.extend(at(d.drop).map(|p| pin(p, nav.t("track-map-you").into_owned(), "drop")));
        pins.extend(t.rider_position.map(|p| pin(p, nav.t("track-map-rider").into_owned(), "rider")));
        if let Some(first) = pins.first() {
            // Centred between the store and the door, wide enough for all three.
            let (n, (lat, lng)) =
                pins.iter().fold((0.0, (0.0, 0.0)), |(n, (a, b)), p| (n + 1.0, (a + p.at.lat(), b + p.at.lng())));
            let center = lokal_core::geo::LatLng::new(lat / n, lng / n).unwrap_or(first.at);
            map = MapView::around("track-map-box", center, pins, 400.0, nav.t("track-map").into_owned()).render(&nav);
        }
    }
    let paid = o.order.paid_at.is_some();
    // A payment started and not yet confirmed by the gateway: "confirming", and the page updates
    // itself when the confirmation arrives.
    let processing = status == OrderStatus::Pending
        && !paid
        && ctx
            .app
            .order(&me, id)
            .await
            .is_ok_and(|v| v.payments.last().is_some_and(|p| p.status == PaymentStatus::Pending));
    let (reviewable, rider_to_rate) = ctx.app.can_review_order(&me, id).await.unwrap_or((false, false));
    let eta_key = if mode == Mode::Delivery { "track-eta-delivery" } else { "track-eta-ready" };
    let d = &o.detail;
    let mut charges = vec![("quote-items", nav.money(d.subtotal), "track-subtotal")];
    if d.packaging_fee > 0 {
        charges.push(("quote-packaging", nav.money(d.packaging_fee), "track-packaging"));
    }
    if mode == Mode::Delivery {
        charges.push(("quote-delivery", nav.money(d.delivery_fee), "track-delivery-fee"));
    }
    let deliver_to = (mode == Mode::Delivery).then(|| {
        let place = [d.address.as_str(), d.door.as_str()].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>();
        (d.contact_name.clone(), d.contact_phone.clone(), place.join(" "))
    });
    let full = |ms: i64| {
        let zone = lokal_i18n::Zone::fixed_minutes(i32::try_from(offset).unwrap_or(480));
        lokal_i18n::format::datetime(nav.lang, ms, &zone)
    };
    let page = TrackPage {
        charges,
        platform_part: (d.platform_discount > 0).then(|| nav.money(d.platform_discount)),
        deliver_to,
        table: if mode == Mode::DineIn { d.table_code.clone() } else { String::new() },
        note: d.note.clone(),
        placed_at: full(o.order.created_at.millis()),
        paid_at: o.order.paid_at.map(|t| full(t.millis())),
        reviewable,
        rider_to_rate,
        dimensions: ["taste", "service"],
        id: id.to_string(),
        store_name: o.store_name.clone(),
        mode: mode.as_str(),
        status: status.as_str(),
        headline: nav.t(headline(mode, status)).into_owned(),
        code: (t.viewer == Actor::Consumer && !status.is_terminal() || mode == Mode::PayAtStore)
            .then(|| o.detail.code.clone()),
        eta: o
            .detail
            .eta_at
            .filter(|_| !status.is_terminal())
            .map(|at| nav.t1(eta_key, "time", nav.clock_at(at, offset))),
        lines: o.lines.iter().map(|l| (l.name.clone(), l.options.clone(), l.quantity, nav.money(l.total))).collect(),
        total: nav.money(o.order.total),
        discount: (o.detail.discount > 0).then(|| nav.money(-o.detail.discount)),
        timeline: o
            .events
            .iter()
            .map(|e| {
                let kind = event_word(&e.kind);
                Step {
                    at: nav.near_at(e.at, offset),
                    what: nav.label("order-event", &kind).into_owned(),
                    kind,
                    note: note_text(&nav, &e.note),
                }
            })
            .collect(),
        rider: t.rider_name.clone(),
        map,
        pending_payment: status == OrderStatus::Pending && !paid,
        processing,
        cancellable: t.viewer == Actor::Consumer && matches!(status, OrderStatus::Pending | OrderStatus::Paid),
        reason: note_text(&nav, &o.detail.reason),
        nav: nav.clone(),
    };
    nav.finish(page.into_response())
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
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(id) = id.parse::<OrderId>() else { return not_found(&nav, Msg::new("order-no-such-order")) };
    let reason = if f.reason.trim().is_empty() { nav.t("track-cancel-reason").into_owned() } else { f.reason.clone() };
    match ctx.app.cancel_menu_order(&me, id, &reason).await {
        Ok(_) => Redirect::to(&format!("/orders/{id}/track")).into_response(),
        Err(e) => nav.refusal(&nav.t("track-not-cancelled"), e),
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

/// A percentage of basis points for people: `10`, `12.5`.
fn percent(bp: i64) -> String {
    let s = format!("{:.2}", bp as f64 / 100.0);
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The store's pay-at-store rule in `lang`: `全单9折，最高减¥30`, `¥10 off every ¥100`.
pub(crate) fn rule_words(lang: Lang, rule: &PayRuleJson) -> String {
    let msg = match rule {
        PayRuleJson::None => Msg::new("bill-rule-none"),
        PayRuleJson::PercentOff { percent_bp, max_off } => {
            // Chinese says what is paid (9折: pay 90 %), English what is taken off (10 % off).
            let bp = i64::from(*percent_bp);
            let rate = if lang == Lang::ZhCn { percent((10_000 - bp) / 10) } else { percent(bp) };
            match max_off {
                Some(m) => Msg::new("bill-rule-percent-capped").with("rate", rate).money("max", *m),
                None => Msg::new("bill-rule-percent").with("rate", rate),
            }
        }
        PayRuleJson::EveryOff { every, off, max_off } => match max_off {
            Some(cap) => {
                Msg::new("bill-rule-every-capped").money("every", *every).money("off", *off).money("max", *cap)
            }
            None => Msg::new("bill-rule-every").money("every", *every).money("off", *off),
        },
    };
    lokal_i18n::render(lang, &msg)
}

async fn bill_page(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let Ok(store) = id.parse::<StoreId>() else { return not_found(&nav, Msg::new("order-no-such-store")) };
    let t = match ctx.app.bill_terms(store).await {
        Ok(t) => t,
        Err(e) => return nav.refusal(&nav.t("order-store-not-found"), e),
    };
    let mut card = None;
    if let (Some(me), Ok(view)) = (nav.caller(), ctx.app.public_store(store).await) {
        card = crate::loyalty::card_balance(&ctx, &me, view.row.merchant_id).await.map(|b| nav.money(b));
    }
    let page = BillPage {
        card,
        nav: nav.clone(),
        store_id: store.to_string(),
        store_name: t.store_name,
        rule: rule_words(nav.lang, &t.rule),
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
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(store) = id.parse::<StoreId>() else { return not_found(&nav, Msg::new("order-no-such-store")) };
    let amount = crate::merchants::parse_yuan(&f.amount);
    let excluded = if f.excluded.trim().is_empty() { Some(0) } else { crate::merchants::parse_yuan(&f.excluded) };
    let (Some(amount), Some(excluded)) = (amount, excluded) else {
        return nav.finish(message(
            StatusCode::UNPROCESSABLE_ENTITY,
            &nav.t("bill-not-paid"),
            &nav.t("bill-bad-amount"),
            nav.clone(),
        ));
    };
    let order = match ctx.app.open_bill(&me, store, amount, excluded, "poster", None).await {
        Ok(o) => o,
        Err(e) => return nav.refusal(&nav.t("bill-not-paid"), e),
    };
    crate::loyalty::start_payment(&ctx, &nav, &me, order.id, &f.pay_with).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_the_half_hours_of_the_store_clock() {
        // 2026-12-02 06:43 UTC is 14:43 in Shanghai: the first slot is 15:30 there.
        let now = 1_796_193_780_000;
        let always = |_| true;
        let slots = slot_instants(now, 480, always);
        assert_eq!(slots.len(), 12);
        let nav = Nav { now_ms: now, ..Nav::bare(Lang::ZhCn) };
        assert_eq!(nav.time_at(Timestamp(slots[0]), 480), "15:30");
        assert_eq!(nav.time_at(Timestamp(slots[1]), 480), "16:00");
        // Kathmandu is 5:45 ahead: its slots are on its own half hours.
        assert_eq!(
            nav.time_at(Timestamp(slot_instants(now, 345, always)[0]), 345),
            "13:30",
            "12:28 there, 45 minutes on"
        );
    }

    #[test]
    fn every_order_status_is_under_all_and_exactly_one_other_tab() {
        for status in OrderStatus::ALL.map(OrderStatus::as_str).into_iter().chain(["refunded"]) {
            assert!(in_tab("all", status));
            let under: Vec<&str> = MY_ORDER_TABS[1..].iter().copied().filter(|t| in_tab(t, status)).collect();
            assert_eq!(under.len(), 1, "{status} is under {under:?}");
        }
    }

    #[test]
    fn slots_are_only_offered_while_the_store_is_open() {
        use lokal_core::hours::{OpeningHours, OpeningHoursJson};
        // 14:43 in Shanghai; open 11:00–14:00 and 17:00–20:00: the first slots are at 17:00.
        let now = 1_796_193_780_000;
        let hours = OpeningHours::parse(&OpeningHoursJson::every_day(&["11:00-14:00", "17:00-20:00"])).expect("hours");
        let open = |ms| hours.is_open_at(lokal_core::Timestamp::from_millis(ms), 480);
        let slots = slot_instants(now, 480, open);
        let nav = Nav { now_ms: now, ..Nav::bare(Lang::ZhCn) };
        let times: Vec<String> = slots.iter().map(|s| nav.time_at(Timestamp(*s), 480)).collect();
        assert_eq!(times[..6], ["17:00", "17:30", "18:00", "18:30", "19:00", "19:30"]);
        assert_eq!(times[6..], ["11:00", "11:30", "12:00", "12:30", "13:00", "13:30"], "then the next day");
        assert!(slots.iter().all(|s| open(*s)));
        // A store with no hours offers none.
        assert!(slot_instants(now, 480, |_| false).is_empty());
    }

    #[test]
    fn rules_notes_and_distances_are_written_in_the_language_of_the_page() {
        let zh = Nav::bare(Lang::ZhCn);
        let en = Nav::bare(Lang::En);
        let every = PayRuleJson::EveryOff { every: 10_000, off: 1_000, max_off: Some(3_000) };
        assert_eq!(rule_words(Lang::ZhCn, &every), "每满¥100减¥10，最多减¥30");
        assert_eq!(rule_words(Lang::En, &every), "¥10 off every ¥100, at most ¥30");
        let pct = PayRuleJson::PercentOff { percent_bp: 1_500, max_off: None };
        assert_eq!(rule_words(Lang::ZhCn, &pct), "全单8.5折");
        assert_eq!(rule_words(Lang::En, &pct), "15% off the bill");
        assert_eq!(note_text(&zh, "ready in 12 min"), "预计 12 分钟出餐");
        assert_eq!(note_text(&en, "Wang Wu (dispatcher)"), "Wang Wu (dispatcher)");
        assert_eq!(note_text(&zh, "Wang Wu (dispatcher)"), "Wang Wu（系统派单）");
        assert_eq!(note_text(&zh, "the soup was cold"), "the soup was cold", "what people typed stays");
        assert_eq!(note_text(&zh, "¥500 paid + ¥50 bonus"), "实付 ¥500，赠送 ¥50");
        assert_eq!(distance(&zh, 800), "800 m");
        assert_eq!(distance(&en, 2_500), "2.5 km");
        assert_eq!(distance(&en, 3_000), "3 km");
        assert_eq!(event_word("exception: store delay"), "exception_store_delay");
        assert_eq!(event_word("something new"), "other");
    }
}
