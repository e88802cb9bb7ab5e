//! The store's side of menu orders: the live order desk (new orders arrive with a sound and a
//! flash; accept, reject, ready, hand over, cancel), a print-friendly ticket, the till that
//! shows bills paid at the store, the store's QR poster for pay-at-store, and its ordering
//! settings.

use crate::desk::my_stores;
use crate::discover::{when, yuan};
use crate::page::{Nav, error_page, message};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_app::fulfil::MenuOrder;
use lokal_core::fulfil::{Mode, OrderStatus};
use lokal_core::takeout::{OrderSettingsJson, PayRuleJson};
use lokal_core::{OrderId, StoreId};

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/merchant/orders", get(desk))
        .route("/merchant/orders/{order_id}/ticket", get(ticket))
        .route("/merchant/orders/{order_id}/{action}", post(act))
        .route("/merchant/till", get(till))
        .route("/merchant/stores/{store_id}/poster", get(poster))
        .route("/merchant/stores/{store_id}/settings", get(settings_form).post(save_settings))
}

/// The caller, the stores they work at, and the chosen one (the first when none or a foreign one
/// is asked for); a page refusal for guests and non-staff.
async fn staff_store(
    ctx: &Ctx,
    nav: &Nav,
    asked: Option<String>,
) -> Result<(lokal_core::Principal, Vec<(String, String)>, String, StoreId), Response> {
    let Some(me) = nav.caller() else { return Err(Redirect::to("/login").into_response()) };
    let stores = match my_stores(ctx, &me).await {
        Ok(s) if !s.is_empty() => s,
        Ok(_) => {
            let text = "You are not staff of any store.";
            return Err(nav.finish(message(StatusCode::FORBIDDEN, "Store staff only", text, nav.clone())));
        }
        Err(e) => return Err(error_page(e)),
    };
    let store = asked.filter(|s| stores.iter().any(|(id, _)| id == s)).unwrap_or_else(|| stores[0].0.clone());
    let store_id = store.parse::<StoreId>().map_err(|_| error_page(lokal_app::AppError::not_found("store")))?;
    Ok((me, stores, store, store_id))
}

/// An order card on the desk or the till.
pub(crate) struct OrderCard {
    id: String,
    short: String,
    mode: &'static str,
    status: &'static str,
    placed: String,
    lines: Vec<(i64, String, String)>,
    total: String,
    discount: String,
    code: String,
    table: String,
    address: String,
    note: String,
    accept_by: String,
    eta: String,
    rider: String,
    can_accept: bool,
    can_ready: bool,
    can_hand_over: bool,
    needs_code: bool,
    can_cancel: bool,
}

fn card(o: MenuOrder) -> OrderCard {
    let (mode, status) = (o.mode(), o.status());
    let id = o.order.id.to_string();
    OrderCard {
        short: id.get(id.len() - 6..).unwrap_or("").to_uppercase(),
        mode: mode.as_str(),
        status: status.as_str(),
        placed: when(o.order.created_at),
        lines: o.lines.iter().map(|l| (l.quantity, l.name.clone(), l.options.clone())).collect(),
        total: yuan(o.order.total),
        discount: if o.detail.discount > 0 { yuan(o.detail.discount) } else { String::new() },
        code: if mode == Mode::PayAtStore { o.detail.code.clone() } else { String::new() },
        table: o.detail.table_code.clone(),
        address: o.detail.address.clone(),
        note: o.detail.note.clone(),
        accept_by: o.detail.accept_by.map(when).unwrap_or_default(),
        eta: o.detail.eta_at.map(when).unwrap_or_default(),
        rider: o.delivery.as_ref().map(|d| d.status.replace('_', " ")).unwrap_or_default(),
        can_accept: status == OrderStatus::Paid,
        can_ready: status == OrderStatus::Accepted,
        can_hand_over: status == OrderStatus::Ready && mode != Mode::Delivery,
        needs_code: mode == Mode::Pickup,
        can_cancel: matches!(status, OrderStatus::Accepted | OrderStatus::Ready),
        id,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "order_desk.html")]
struct DeskPage {
    nav: Nav,
    stores: Vec<(String, String)>,
    store: String,
    orders: Vec<OrderCard>,
    done: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
struct DeskQuery {
    store: Option<String>,
    done: Option<String>,
    error: Option<String>,
}

async fn desk(State(ctx): State<Ctx>, nav: Nav, Query(q): Query<DeskQuery>) -> Response {
    let (me, stores, store, store_id) = match staff_store(&ctx, &nav, q.store).await {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let orders = match ctx.app.store_orders(&me, store_id, true).await {
        Ok(list) => list.into_iter().filter(|o| o.mode() != Mode::PayAtStore).map(card).collect(),
        Err(e) => return nav.refusal("Order desk", e),
    };
    // Only known outcomes are shown: a link cannot make the desk say something else.
    let done = q.done.as_deref().and_then(|d| match d {
        "accepted" => Some("Accepted"),
        "rejected" => Some("Rejected and refunded"),
        "ready" => Some("Marked ready"),
        "handed" => Some("Handed over"),
        "cancelled" => Some("Cancelled and refunded"),
        "settings" => Some("Settings saved"),
        _ => None,
    });
    let page = DeskPage { nav: nav.clone(), stores, store, orders, done: done.map(str::to_owned), error: q.error };
    nav.finish(page.into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
struct ActForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    store: String,
    #[serde(default)]
    prep_minutes: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    code: String,
}

async fn act(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<ActForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let Ok(id) = id.parse::<OrderId>() else { return error_page(lokal_app::AppError::not_found("order")) };
    let app = &ctx.app;
    let done = match action.as_str() {
        "accept" => app.accept_order(&me, id, f.prep_minutes.trim().parse().ok()).await.map(|_| "accepted"),
        "reject" => app.reject_order(&me, id, &f.reason).await.map(|_| "rejected"),
        "ready" => app.mark_ready(&me, id).await.map(|_| "ready"),
        "hand-over" => app.hand_over(&me, id, Some(f.code.as_str())).await.map(|_| "handed"),
        "cancel" => app.cancel_menu_order(&me, id, &f.reason).await.map(|_| "cancelled"),
        _ => return error_page(lokal_app::AppError::not_found("action")),
    };
    let store = urlencode(&f.store);
    let to = match done {
        Ok(msg) => format!("/merchant/orders?store={store}&done={}", urlencode(msg)),
        Err(e) => format!("/merchant/orders?store={store}&error={}", urlencode(&nav.error_text(&e))),
    };
    Redirect::to(&to).into_response()
}

/// Percent-encodes a query value.
pub(crate) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "order_ticket.html")]
struct TicketPage {
    store_name: String,
    order: OrderCard,
}

async fn ticket(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let Ok(id) = id.parse::<OrderId>() else { return error_page(lokal_app::AppError::not_found("order")) };
    match ctx.app.menu_order_for(&me, id).await {
        Ok((o, _)) => TicketPage { store_name: o.store_name.clone(), order: card(o) }.into_response(),
        Err(e) => nav.refusal("Ticket", e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "till.html")]
struct TillPage {
    nav: Nav,
    stores: Vec<(String, String)>,
    store: String,
    bills: Vec<OrderCard>,
    total: String,
}

async fn till(State(ctx): State<Ctx>, nav: Nav, Query(q): Query<DeskQuery>) -> Response {
    let (me, stores, store, store_id) = match staff_store(&ctx, &nav, q.store).await {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let bills = match ctx.app.store_bills(&me, store_id).await {
        Ok(b) => b,
        Err(e) => return nav.refusal("Till", e),
    };
    let total = yuan(bills.iter().map(|b| b.order.total).sum());
    let page = TillPage { nav: nav.clone(), stores, store, bills: bills.into_iter().map(card).collect(), total };
    nav.finish(page.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "poster.html")]
struct PosterPage {
    store_name: String,
    rule: String,
    url: String,
    qr_svg: String,
}

async fn poster(State(ctx): State<Ctx>, nav: Nav, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let Ok(store) = id.parse::<StoreId>() else { return error_page(lokal_app::AppError::not_found("store")) };
    let staff = match ctx.app.public_store(store).await {
        Ok(v) => me.authorize(lokal_core::Scope::Store(v.row.merchant_id, store), lokal_core::StaffRole::Clerk),
        Err(e) => return nav.refusal("Poster", e),
    };
    if let Err(denied) = staff {
        return nav.refusal("Poster", denied.into());
    }
    let terms = match ctx.app.bill_terms(store).await {
        Ok(t) => t,
        Err(e) => return error_page(e),
    };
    let url = crate::page::site_url(&headers, &format!("/pay/{store}"));
    let qr_svg = crate::page::qr_svg(&url, 240);
    PosterPage { store_name: terms.store_name, rule: crate::ordering::rule_text(&terms.rule), url, qr_svg }
        .into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "order_settings.html")]
struct SettingsPage {
    nav: Nav,
    store_id: String,
    s: OrderSettingsJson,
    packaging: String,
    min_order: String,
    bands: String,
    rule: String,
    percent: String,
    every: String,
    off: String,
    error: Option<String>,
}

fn settings_page(nav: &Nav, store: StoreId, s: OrderSettingsJson, error: Option<String>) -> Response {
    let bands = s
        .delivery_fees
        .iter()
        .map(|b| format!("{}:{}", b.up_to_m, lokal_core::money::decimal(b.fee)))
        .collect::<Vec<_>>()
        .join(", ");
    let (rule, percent, every, off) = match &s.pay_at_store {
        PayRuleJson::None => ("none", String::new(), String::new(), String::new()),
        PayRuleJson::PercentOff { percent_bp, .. } => {
            ("percent_off", format!("{}", f64::from(*percent_bp) / 100.0), String::new(), String::new())
        }
        PayRuleJson::EveryOff { every, off, .. } => {
            ("every_off", String::new(), lokal_core::money::decimal(*every), lokal_core::money::decimal(*off))
        }
    };
    let page = SettingsPage {
        nav: nav.clone(),
        store_id: store.to_string(),
        packaging: lokal_core::money::decimal(s.packaging_fee),
        min_order: lokal_core::money::decimal(s.min_order),
        s,
        bands,
        rule: rule.into(),
        percent,
        every,
        off,
        error,
    };
    nav.finish(page.into_response())
}

async fn settings_form(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let Ok(store) = id.parse::<StoreId>() else { return error_page(lokal_app::AppError::not_found("store")) };
    match ctx.app.order_settings(store).await {
        Ok(s) => settings_page(&nav, store, s, None),
        Err(e) => nav.refusal("Settings", e),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
struct SettingsForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    packaging_fee: String,
    #[serde(default)]
    min_order: String,
    #[serde(default)]
    bands: String,
    #[serde(default)]
    prep_minutes: String,
    #[serde(default)]
    accept_within_secs: String,
    #[serde(default)]
    auto_accept: Option<String>,
    #[serde(default)]
    rule: String,
    #[serde(default)]
    percent: String,
    #[serde(default)]
    every: String,
    #[serde(default)]
    off: String,
    #[serde(default)]
    excludes: String,
}

/// Reads the settings form; the error says which field is wrong.
fn settings_of(f: &SettingsForm) -> Result<OrderSettingsJson, String> {
    let money = |name: &str, v: &str| crate::console::parse_yuan(v).ok_or(format!("{name}: give an amount in yuan"));
    let mut delivery_fees = Vec::new();
    for band in f.bands.split(',').map(str::trim).filter(|b| !b.is_empty()) {
        let (m, fee) = band.split_once(':').ok_or("Delivery fees: write bands as metres:yuan, e.g. 3000:5, 5000:8")?;
        let up_to_m = m.trim().parse().map_err(|_| "Delivery fees: metres must be a whole number")?;
        delivery_fees.push(lokal_core::takeout::FeeBandJson { up_to_m, fee: money("Delivery fees", fee)? });
    }
    let pay_at_store = match f.rule.as_str() {
        "percent_off" => {
            let pct: f64 = f.percent.trim().parse().map_err(|_| "Percent off: give a number like 10")?;
            PayRuleJson::PercentOff { percent_bp: (pct * 100.0).round() as u32, max_off: None }
        }
        "every_off" => {
            PayRuleJson::EveryOff { every: money("Every", &f.every)?, off: money("Off", &f.off)?, max_off: None }
        }
        _ => PayRuleJson::None,
    };
    Ok(OrderSettingsJson {
        packaging_fee: money("Packaging fee", &f.packaging_fee)?,
        min_order: money("Minimum order", &f.min_order)?,
        delivery_fees,
        prep_minutes: f.prep_minutes.trim().parse().map_err(|_| "Preparation: minutes as a whole number")?,
        accept_within_secs: f
            .accept_within_secs
            .trim()
            .parse()
            .map_err(|_| "Accept within: seconds as a whole number")?,
        auto_accept: f.auto_accept.is_some(),
        pay_at_store,
        pay_at_store_excludes: f.excludes.trim().to_owned(),
    })
}

async fn save_settings(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<SettingsForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let Ok(store) = id.parse::<StoreId>() else { return error_page(lokal_app::AppError::not_found("store")) };
    let s = match settings_of(&f) {
        Ok(s) => s,
        Err(why) => return settings_page(&nav, store, OrderSettingsJson::default(), Some(why)),
    };
    match ctx.app.set_order_settings(&me, store, s.clone()).await {
        Ok(_) => Redirect::to(&format!("/merchant/orders?store={store}&done=settings")).into_response(),
        Err(e) if e.code.status() == 422 => settings_page(&nav, store, s, Some(nav.error_text(&e))),
        Err(e) => nav.refusal("Settings", e),
    }
}
