//! The store's side of menu orders: the live order desk (new orders arrive with a sound and a
//! flash; accept, reject, ready, hand over, cancel), a print-friendly ticket, the till that
//! shows bills paid at the store, the store's QR poster for pay-at-store, and its ordering
//! settings.

use crate::page::{Nav, encode_query, error_page, message};
use crate::riders::{Flash, error_query};
use crate::vouchers::{StaffStore, my_stores};
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
use lokal_core::money::yuan;
use lokal_core::takeout::{OrderSettingsJson, PayRuleJson};
use lokal_core::{Msg, OrderId, StoreId, Timestamp};

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

/// The store a desk page shows, among those the caller works at.
struct StaffDesk {
    me: lokal_core::Principal,
    stores: Vec<StaffStore>,
    store: String,
    store_id: StoreId,
    /// The store's time zone, minutes east of UTC.
    offset_min: i64,
}

/// The caller, the stores they work at, and the chosen one (the first when none or a foreign one
/// is asked for); a page refusal for guests and non-staff.
async fn staff_store(ctx: &Ctx, nav: &Nav, asked: Option<String>) -> Result<StaffDesk, Response> {
    let Some(me) = nav.caller() else { return Err(nav.to_login()) };
    let stores = match my_stores(ctx, &me).await {
        Ok(s) if !s.is_empty() => s,
        Ok(_) => {
            let (heading, text) = (nav.t("orders-staff-only"), nav.t("desk-not-staff"));
            return Err(nav.finish(message(StatusCode::FORBIDDEN, &heading, &text, nav.clone())));
        }
        Err(e) => return Err(error_page(e)),
    };
    let chosen = asked.and_then(|a| stores.iter().position(|s| s.id == a)).unwrap_or(0);
    let (store, offset_min) = (stores[chosen].id.clone(), stores[chosen].offset_min);
    let store_id = store.parse::<StoreId>().map_err(|_| error_page(lokal_app::AppError::not_found("store")))?;
    Ok(StaffDesk { me, stores, store, store_id, offset_min })
}

/// The time zone of the store `id` (minutes east of UTC); the city's when it is not known.
async fn store_offset(ctx: &Ctx, nav: &Nav, id: Option<StoreId>) -> i64 {
    let city = i64::from(nav.zone.offset_minutes_at(nav.now_ms));
    match id {
        Some(id) => ctx.app.public_store(id).await.map_or(city, |v| v.row.utc_offset_min),
        None => city,
    }
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
    /// The discount as a negative amount (`-¥5`), or empty.
    discount: String,
    code: String,
    table: String,
    address: String,
    note: String,
    accept_by: String,
    eta: String,
    /// The delivery task's status (a `task-status` label), or empty.
    rider: String,
    can_accept: bool,
    can_ready: bool,
    can_hand_over: bool,
    needs_code: bool,
    can_cancel: bool,
}

/// An order as its card, its times read in the store's zone (`offset_min` east of UTC).
fn card(nav: &Nav, o: MenuOrder, offset_min: i64) -> OrderCard {
    let (mode, status) = (o.mode(), o.status());
    let id = o.order.id.to_string();
    let clock = |at: Timestamp| nav.clock_at(at, offset_min);
    OrderCard {
        short: id.get(id.len() - 6..).unwrap_or("").to_uppercase(),
        mode: mode.as_str(),
        status: status.as_str(),
        placed: clock(o.order.created_at),
        lines: o.lines.iter().map(|l| (l.quantity, l.name.clone(), l.options.clone())).collect(),
        total: yuan(o.order.total),
        discount: if o.detail.discount > 0 { yuan(-o.detail.discount) } else { String::new() },
        code: if mode == Mode::PayAtStore { o.detail.code.clone() } else { String::new() },
        table: o.detail.table_code.clone(),
        address: if o.detail.door.is_empty() {
            o.detail.address.clone()
        } else {
            format!("{} {}", o.detail.address, o.detail.door)
        },
        note: o.detail.note.clone(),
        accept_by: o.detail.accept_by.map(clock).unwrap_or_default(),
        eta: o.detail.eta_at.map(clock).unwrap_or_default(),
        rider: o.delivery.as_ref().map(|d| d.status.to_string()).unwrap_or_default(),
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
    stores: Vec<StaffStore>,
    store: String,
    /// The viewer manages this store (its settings link is shown).
    manages: bool,
    orders: Vec<OrderCard>,
    done: Option<String>,
    error: Option<String>,
}

/// What `?done=` says on the order desk. Only known outcomes are shown: a link cannot make the
/// desk say something else.
fn done_text(key: &str) -> Option<Msg> {
    Some(match key {
        "accepted" => Msg::new("orders-done-accepted"),
        "rejected" => Msg::new("orders-done-rejected"),
        "ready" => Msg::new("orders-done-ready"),
        "handed" => Msg::new("orders-done-handed"),
        "cancelled" => Msg::new("orders-done-cancelled"),
        "settings" => Msg::new("orders-done-settings"),
        "bill-confirmed" => Msg::new("orders-done-bill-confirmed"),
        _ => return None,
    })
}

async fn desk(State(ctx): State<Ctx>, nav: Nav, Query(q): Query<Vec<(String, String)>>) -> Response {
    let flash = Flash::of(q);
    let StaffDesk { me, stores, store, store_id, offset_min } = match staff_store(&ctx, &nav, flash.get("store")).await
    {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let orders = match ctx.app.store_orders(&me, store_id, true).await {
        Ok(list) => {
            list.into_iter().filter(|o| o.mode() != Mode::PayAtStore).map(|o| card(&nav, o, offset_min)).collect()
        }
        Err(e) => return nav.refusal(&nav.t("orders-title"), e),
    };
    let done = flash.done.as_deref().and_then(done_text).map(|m| nav.msg(&m));
    let manages = ctx.app.manages_store(&me, store_id).await;
    let page = DeskPage { nav: nav.clone(), stores, store, manages, orders, done, error: flash.error_text(&nav) };
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
    /// `till`: back to the till rather than the order desk.
    #[serde(default)]
    back: String,
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
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(id) = id.parse::<OrderId>() else { return error_page(lokal_app::AppError::not_found("order")) };
    let app = &ctx.app;
    let done = match action.as_str() {
        "accept" => app.accept_order(&me, id, f.prep_minutes.trim().parse().ok()).await.map(|_| "accepted"),
        "reject" => app.reject_order(&me, id, &f.reason).await.map(|_| "rejected"),
        "ready" => app.mark_ready(&me, id).await.map(|_| "ready"),
        "hand-over" => app.hand_over(&me, id, Some(f.code.as_str())).await.map(|_| "handed"),
        "confirm-bill" => app.confirm_bill(&me, id).await.map(|_| "bill-confirmed"),
        "cancel" => app.cancel_menu_order(&me, id, &f.reason).await.map(|_| "cancelled"),
        _ => return error_page(lokal_app::AppError::not_found("action")),
    };
    let store = encode_query(&f.store);
    let page = if f.back == "till" { "/merchant/till" } else { "/merchant/orders" };
    let to = match done {
        Ok(msg) => format!("{page}?store={store}&done={}", encode_query(msg)),
        Err(e) => format!("{page}?store={store}&{}", error_query(&e)),
    };
    Redirect::to(&to).into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "order_ticket.html")]
struct TicketPage {
    nav: Nav,
    store_name: String,
    /// When the order was placed, with its full date (a printed ticket outlives the day).
    placed: String,
    order: OrderCard,
}

async fn ticket(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(id) = id.parse::<OrderId>() else { return error_page(lokal_app::AppError::not_found("order")) };
    match ctx.app.menu_order_for(&me, id).await {
        Ok((o, _)) => {
            let offset = store_offset(&ctx, &nav, o.order.store_id.or(o.detail.store_id)).await;
            let zone = lokal_i18n::Zone::fixed_minutes(i32::try_from(offset).unwrap_or(480));
            let placed = lokal_i18n::format::datetime(nav.lang, o.order.created_at.millis(), &zone);
            let page =
                TicketPage { nav: nav.clone(), store_name: o.store_name.clone(), placed, order: card(&nav, o, offset) };
            nav.finish(page.into_response())
        }
        Err(e) => nav.refusal(&nav.t("ticket-title-plain"), e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "till.html")]
struct TillPage {
    nav: Nav,
    stores: Vec<StaffStore>,
    store: String,
    /// Paid bills waiting for the till to confirm them (`bill_confirmation`).
    waiting: Vec<OrderCard>,
    bills: Vec<OrderCard>,
    total: String,
    done: Option<String>,
    error: Option<String>,
}

async fn till(State(ctx): State<Ctx>, nav: Nav, Query(q): Query<Vec<(String, String)>>) -> Response {
    let flash = Flash::of(q);
    let StaffDesk { me, stores, store, store_id, offset_min } = match staff_store(&ctx, &nav, flash.get("store")).await
    {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let (waiting, bills): (Vec<_>, Vec<_>) = match ctx.app.store_bills(&me, store_id).await {
        Ok(b) => b.into_iter().partition(|b| b.status() == OrderStatus::Paid),
        Err(e) => return nav.refusal(&nav.t("till-title"), e),
    };
    let total = yuan(bills.iter().map(|b| b.order.total).sum());
    let page = TillPage {
        nav: nav.clone(),
        stores,
        store,
        waiting: waiting.into_iter().map(|b| card(&nav, b, offset_min)).collect(),
        bills: bills.into_iter().map(|b| card(&nav, b, offset_min)).collect(),
        total,
        done: flash.done.as_deref().and_then(done_text).map(|m| nav.msg(&m)),
        error: flash.error_text(&nav),
    };
    nav.finish(page.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "poster.html")]
struct PosterPage {
    nav: Nav,
    store_name: String,
    rule: String,
    url: String,
    qr_svg: String,
}

async fn poster(State(ctx): State<Ctx>, nav: Nav, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(store) = id.parse::<StoreId>() else { return error_page(lokal_app::AppError::not_found("store")) };
    let staff = match ctx.app.public_store(store).await {
        Ok(v) => me.authorize(lokal_core::Scope::Store(v.row.merchant_id, store), lokal_core::StaffRole::Clerk),
        Err(e) => return nav.refusal(&nav.t("poster-refused"), e),
    };
    if let Err(denied) = staff {
        return nav.refusal(&nav.t("poster-refused"), denied.into());
    }
    let terms = match ctx.app.bill_terms(store).await {
        Ok(t) => t,
        Err(e) => return error_page(e),
    };
    let url = crate::page::site_url(&headers, &format!("/pay/{store}"));
    let qr_svg = crate::page::qr_svg(&url, 240);
    let page = PosterPage {
        nav: nav.clone(),
        store_name: terms.store_name,
        rule: nav.msg(&rule_msg(&terms.rule)),
        url,
        qr_svg,
    };
    nav.finish(page.into_response())
}

/// What the poster says of the store's pay-at-store discount.
fn rule_msg(rule: &PayRuleJson) -> Msg {
    match *rule {
        PayRuleJson::None => Msg::new("poster-rule-none"),
        PayRuleJson::PercentOff { percent_bp, max_off } => {
            let percent = format!("{}", f64::from(percent_bp) / 100.0);
            match max_off {
                None => Msg::new("poster-rule-percent").with("percent", percent),
                Some(cap) => Msg::new("poster-rule-percent-capped").with("percent", percent).money("cap", cap),
            }
        }
        PayRuleJson::EveryOff { every, off, max_off } => match max_off {
            None => Msg::new("poster-rule-every").money("every", every).money("off", off),
            Some(cap) => Msg::new("poster-rule-every-capped").money("every", every).money("off", off).money("cap", cap),
        },
    }
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
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(store) = id.parse::<StoreId>() else { return error_page(lokal_app::AppError::not_found("store")) };
    // Only those who may save it see the form.
    if !ctx.app.manages_store(&me, store).await {
        let (heading, text) = (nav.t("settings-title"), nav.t("settings-managers-only"));
        return nav.finish(message(StatusCode::FORBIDDEN, &heading, &text, nav.clone()));
    }
    match ctx.app.order_settings(store).await {
        Ok(s) => settings_page(&nav, store, s, None),
        Err(e) => nav.refusal(&nav.t("settings-title"), e),
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
    #[serde(default)]
    bill_confirmation: Option<String>,
}

/// Reads the settings form; the error says which field is wrong.
fn settings_of(f: &SettingsForm) -> Result<OrderSettingsJson, Msg> {
    let money = |bad: Msg, v: &str| crate::merchants::parse_yuan(v).ok_or(bad);
    let mut delivery_fees = Vec::new();
    for band in f.bands.split(',').map(str::trim).filter(|b| !b.is_empty()) {
        let (m, fee) = band.split_once(':').ok_or(Msg::new("settings-bad-bands"))?;
        let up_to_m = m.trim().parse().map_err(|_| Msg::new("settings-bad-band-metres"))?;
        let fee = money(Msg::new("settings-bad-band-fee"), fee)?;
        delivery_fees.push(lokal_core::takeout::FeeBandJson { up_to_m, fee });
    }
    let pay_at_store = match f.rule.as_str() {
        "percent_off" => {
            let pct: f64 = f.percent.trim().parse().map_err(|_| Msg::new("settings-bad-percent"))?;
            PayRuleJson::PercentOff { percent_bp: (pct * 100.0).round() as u32, max_off: None }
        }
        "every_off" => PayRuleJson::EveryOff {
            every: money(Msg::new("settings-bad-every"), &f.every)?,
            off: money(Msg::new("settings-bad-off"), &f.off)?,
            max_off: None,
        },
        _ => PayRuleJson::None,
    };
    Ok(OrderSettingsJson {
        packaging_fee: money(Msg::new("settings-bad-packaging"), &f.packaging_fee)?,
        min_order: money(Msg::new("settings-bad-min-order"), &f.min_order)?,
        delivery_fees,
        prep_minutes: f.prep_minutes.trim().parse().map_err(|_| Msg::new("settings-bad-prep"))?,
        accept_within_secs: f.accept_within_secs.trim().parse().map_err(|_| Msg::new("settings-bad-accept-within"))?,
        auto_accept: f.auto_accept.is_some(),
        pay_at_store,
        pay_at_store_excludes: f.excludes.trim().to_owned(),
        bill_confirmation: f.bill_confirmation.is_some(),
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
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(store) = id.parse::<StoreId>() else { return error_page(lokal_app::AppError::not_found("store")) };
    let s = match settings_of(&f) {
        Ok(s) => s,
        Err(why) => return settings_page(&nav, store, OrderSettingsJson::default(), Some(nav.msg(&why))),
    };
    match ctx.app.set_order_settings(&me, store, s.clone()).await {
        Ok(_) => Redirect::to(&format!("/merchant/orders?store={store}&done=settings")).into_response(),
        Err(e) if e.code.status() == 422 => settings_page(&nav, store, s, Some(nav.error_text(&e))),
        Err(e) => nav.refusal(&nav.t("settings-title"), e),
    }
}
