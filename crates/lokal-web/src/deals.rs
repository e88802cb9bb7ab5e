//! Buying online: the deal page, checkout, the sandbox gateway's hosted pay page, and "my
//! vouchers" with QR codes that change state live when a clerk redeems them.

use crate::page::{Nav, error_page, message};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_core::Msg;
use lokal_core::PaymentStatus;
use lokal_core::fulfil::OrderStatus;
use lokal_core::voucher::VoucherCode;
use lokal_core::voucher::VoucherStatus;
use lokal_core::{DealId, OrderId, Timestamp};
use lokal_i18n::{Zone, format as fmt};

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/deals/{deal_id}", get(deal_page))
        .route("/deals/{deal_id}/buy", post(buy))
        .route("/orders/{order_id}", get(order_page))
        .route("/orders/{order_id}/pay", post(pay))
        .route("/orders/{order_id}/refund", post(refund))
        .route("/sandbox/pay/{reference}", get(sandbox_page).post(sandbox_choice))
        .route("/me/vouchers", get(vouchers_page))
}

/// The states of a voucher (`voucher-status-…`).
pub const VOUCHER_STATUSES: [&str; 4] = ["active", "used", "expired", "refunded"];

/// The states of a payment at the gateway (`checkout-status-…`).
pub const CHECKOUT_STATUSES: [&str; 4] = ["pending", "succeeded", "failed", "refunded"];

/// A "there is no such thing" page; `text` is the key of the sentence (`shop-no-deal`).
fn not_found(nav: &Nav, text: &'static str) -> Response {
    nav.finish(message(StatusCode::NOT_FOUND, &nav.t("shop-not-found"), &nav.t(text), nav.clone()))
}

/// An instant at a store `offset_min` east of UTC, in full: `2026年12月2日 14:43`.
fn datetime_at(nav: &Nav, at: Timestamp, offset_min: Option<i32>) -> String {
    match offset_min {
        Some(o) => fmt::datetime(nav.lang, at.millis(), &Zone::fixed_minutes(o)),
        None => nav.datetime(at),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "deal.html")]
struct DealPage {
    nav: Nav,
    id: String,
    title: String,
    description: String,
    price: String,
    original: String,
    flash: bool,
    contents: Vec<(String, u32)>,
    valid: String,
    rules: Vec<String>,
    refundable: bool,
    auto_refund: bool,
    stores: Vec<(String, String)>,
    on_sale: bool,
    sale_note: String,
    stock_left: i64,
    max_quantity: i64,
    /// Its photos' URLs, the cover first.
    photos: Vec<String>,
}

async fn deal_page(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<DealId>() else { return not_found(&nav, "shop-no-deal") };
    let d = match ctx.app.deal(id).await {
        Ok(d) => d,
        Err(e) => return nav.refusal(&nav.t("deal-not-found"), e),
    };
    let now = ctx.app.now();
    let mut stores = Vec::new();
    // Times of a deal are the time where it is used: its (first) store's.
    let mut offset = None;
    for s in &d.store_ids {
        if let Ok(v) = ctx.app.public_store(*s).await {
            offset = offset.or(Some(v.profile.utc_offset_min));
            stores.push((s.to_string(), v.profile.name));
        }
    }
    let r = &d.details.rules;
    let mut rules = Vec::new();
    if r.weekdays_only {
        rules.push(nav.t("deal-rule-weekdays").into_owned());
    }
    if let Some(h) = &r.hours {
        rules.push(nav.t1("deal-rule-hours", "hours", h));
    }
    if r.needs_booking {
        rules.push(nav.t("deal-rule-booking").into_owned());
    }
    if r.max_per_table > 0 {
        rules.push(nav.t1("deal-rule-per-table", "n", r.max_per_table));
    }
    if !r.notes.is_empty() {
        rules.push(r.notes.clone());
    }
    let on_sale = d.on_sale_at(now);
    let sale_note = if now.millis() < d.row.sale_starts_at.millis() {
        nav.t1("deal-on-sale-from", "when", datetime_at(&nav, d.row.sale_starts_at, offset))
    } else {
        nav.t("deal-off-sale").into_owned()
    };
    let (from, until) = (datetime_at(&nav, d.row.valid_from, offset), datetime_at(&nav, d.row.valid_until, offset));
    let valid = if d.row.uses_per_voucher > 1 {
        nav.msg(&Msg::new("deal-valid-uses").with("from", from).with("until", until).with("n", d.row.uses_per_voucher))
    } else {
        nav.t2("deal-valid", "from", from, "until", until)
    };
    let limit = if d.row.per_user_limit > 0 { d.row.per_user_limit } else { 100 };
    let page = DealPage {
        nav: nav.clone(),
        id: d.row.id.to_string(),
        description: d.details.description.clone(),
        price: nav.money(d.row.price),
        original: nav.money(d.row.original_price),
        flash: d.row.flash_sale,
        contents: d.details.contents.iter().map(|c| (c.name.clone(), c.quantity)).collect(),
        valid,
        rules,
        refundable: d.row.refundable,
        auto_refund: d.row.auto_refund,
        stores,
        on_sale,
        sale_note,
        stock_left: d.row.stock_left,
        max_quantity: limit.min(d.row.stock_left).clamp(1, 100),
        photos: d.details.photos.clone(),
        title: d.row.title,
    };
    nav.finish(page.into_response())
}

#[derive(Debug, serde::Deserialize)]
struct BuyForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    quantity: String,
}

async fn buy(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<BuyForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(id) = id.parse::<DealId>() else { return not_found(&nav, "shop-no-deal") };
    let Ok(quantity) = f.quantity.trim().parse::<i64>() else {
        return nav.finish(message(
            StatusCode::UNPROCESSABLE_ENTITY,
            &nav.t("deal-not-ordered"),
            &nav.t("deal-choose-quantity"),
            nav.clone(),
        ));
    };
    match ctx.app.place_order(&me, id, quantity, "web").await {
        Ok(o) => Redirect::to(&format!("/orders/{}", o.id)).into_response(),
        Err(e) => nav.refusal(&nav.t("deal-not-ordered"), e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "order.html")]
struct OrderPage {
    nav: Nav,
    id: String,
    title: String,
    status: String,
    quantity: i64,
    unit_price: String,
    original_total: String,
    savings: String,
    total: String,
    pay_by: String,
    payable: bool,
    waiting: bool,
    refundable: bool,
    /// Code, status, id.
    vouchers: Vec<(String, String, String)>,
    refunds: Vec<String>,
}

async fn order_page(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(id) = id.parse::<OrderId>() else { return not_found(&nav, "shop-no-order") };
    let v = match ctx.app.order(&me, id).await {
        Ok(v) => v,
        Err(e) => return nav.refusal(&nav.t("deal-order-not-found"), e),
    };
    // Menu orders have their own page with the timeline and live tracking.
    let Some(deal) = v.order.deal_id else { return Redirect::to(&format!("/orders/{id}/track")).into_response() };
    let deal = match ctx.app.deal(deal).await {
        Ok(d) => d,
        Err(e) => return error_page(e),
    };
    let o = &v.order;
    let now = ctx.app.now();
    let waiting =
        o.status == OrderStatus::Pending && v.payments.last().is_some_and(|p| p.status == PaymentStatus::Pending);
    let original_total = deal.row.original_price * o.quantity;
    let page = OrderPage {
        nav: nav.clone(),
        id: o.id.to_string(),
        title: v.title.clone(),
        // Paid orders say what became of their vouchers: refunded, or completed once all are used.
        status: match crate::takeout::deal_state(&nav, &v).0 {
            word @ ("refunded" | "completed") => word.to_owned(),
            _ => o.status.to_string(),
        },
        quantity: o.quantity,
        unit_price: nav.money(o.unit_price),
        original_total: nav.money(original_total),
        savings: nav.money(original_total - o.total),
        total: nav.money(o.total),
        pay_by: nav.near(o.expires_at),
        payable: o.status == OrderStatus::Pending && o.expires_at > now,
        waiting,
        refundable: deal.row.refundable && v.vouchers.iter().any(|x| x.status == VoucherStatus::Active),
        vouchers: v
            .vouchers
            .iter()
            .map(|x| (VoucherCode::display_of(&x.code), x.status.to_string(), x.id.to_string()))
            .collect(),
        refunds: v
            .payments
            .iter()
            .filter(|p| p.status == PaymentStatus::Failed)
            .map(|p| {
                nav.msg(&Msg::new("deal-order-declined").money("amount", p.amount).with("when", nav.near(p.updated_at)))
            })
            .collect(),
    };
    nav.finish(page.into_response())
}

#[derive(Debug, serde::Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

async fn pay(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(id) = id.parse::<OrderId>() else { return not_found(&nav, "shop-no-order") };
    match ctx.app.pay_order(&me, id).await {
        Ok(start) => Redirect::to(&start.pay_url).into_response(),
        Err(e) => nav.refusal(&nav.t("deal-order-not-paid"), e),
    }
}

#[derive(Debug, serde::Deserialize)]
struct RefundForm {
    #[serde(default)]
    csrf_token: String,
    /// One voucher; all unused ones when absent.
    voucher_id: Option<String>,
}

async fn refund(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<RefundForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(id) = id.parse::<OrderId>() else { return not_found(&nav, "shop-no-order") };
    let only = match f.voucher_id.as_deref().map(str::parse::<lokal_core::VoucherId>) {
        None => None,
        Some(Ok(v)) => Some(vec![v]),
        Some(Err(_)) => return not_found(&nav, "shop-no-voucher"),
    };
    match ctx.app.refund_order(&me, id, only, "asked by the buyer").await {
        Ok(_) => Redirect::to(&format!("/orders/{id}")).into_response(),
        Err(e) => nav.refusal(&nav.t("deal-order-not-refunded"), e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "sandbox_pay.html")]
struct SandboxPage {
    nav: Nav,
    reference: String,
    amount: String,
    title: String,
    pending: bool,
    status: String,
    back_url: String,
}

async fn sandbox_page(State(ctx): State<Ctx>, nav: Nav, Path(reference): Path<String>) -> Response {
    let c = match ctx.app.checkout(&reference).await {
        Ok(found) => found,
        Err(e) => return nav.refusal(&nav.t("sandbox-not-found"), e),
    };
    let page = SandboxPage {
        nav: nav.clone(),
        reference,
        amount: nav.money(c.amount),
        title: c.title,
        pending: c.status == PaymentStatus::Pending,
        status: c.status.to_string(),
        back_url: c.back_url,
    };
    nav.finish(page.into_response())
}

#[derive(Debug, serde::Deserialize)]
struct SandboxForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    outcome: String,
}

async fn sandbox_choice(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(reference): Path<String>,
    Form(f): Form<SandboxForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let c = match ctx.app.checkout(&reference).await {
        Ok(found) => found,
        Err(e) => return nav.refusal(&nav.t("sandbox-not-found"), e),
    };
    match ctx.app.sandbox_complete(&reference, f.outcome == "succeed").await {
        Ok(()) => Redirect::to(&c.back_url).into_response(),
        Err(e) => nav.refusal(&nav.t("deal-order-not-paid"), e),
    }
}

/// One voucher card.
struct VoucherCard {
    id: String,
    order_id: String,
    title: String,
    code: String,
    /// A word of [`VOUCHER_STATUSES`].
    status: String,
    uses_left: i64,
    /// "{left} of 2 uses left", with `{left}` for the page's script to fill in.
    uses: String,
    valid_until: String,
    qr: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "vouchers.html")]
struct VouchersPage {
    nav: Nav,
    /// [`VOUCHER_STATUSES`], whose labels the page's script shows.
    statuses: [&'static str; 4],
    vouchers: Vec<VoucherCard>,
}

/// The code as an SVG QR code (what the store's scanner reads).
fn qr_svg(code: &str) -> String {
    crate::page::qr_svg(code, 180)
}

async fn vouchers_page(State(ctx): State<Ctx>, nav: Nav) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let vouchers = match ctx.app.my_vouchers(&me).await {
        Ok(v) => v,
        Err(e) => return error_page(e),
    };
    let mut cards = Vec::with_capacity(vouchers.len());
    // Each deal's title and the time zone of its first store (where the voucher is used).
    let mut deals = std::collections::HashMap::new();
    for v in vouchers {
        if let std::collections::hash_map::Entry::Vacant(slot) = deals.entry(v.deal_id) {
            let (title, offset) = match ctx.app.deal(v.deal_id).await {
                Ok(d) => {
                    let offset = match d.store_ids.first() {
                        Some(s) => ctx.app.public_store(*s).await.ok().map(|s| s.profile.utc_offset_min),
                        None => None,
                    };
                    (d.row.title, offset)
                }
                Err(_) => (String::new(), None),
            };
            slot.insert((title, offset));
        }
        let (title, offset) = deals.get(&v.deal_id).cloned().unwrap_or_default();
        let code = VoucherCode::display_of(&v.code);
        cards.push(VoucherCard {
            id: v.id.to_string(),
            order_id: v.order_id.to_string(),
            title,
            qr: qr_svg(&code),
            code,
            status: v.status.to_string(),
            uses_left: v.uses_left,
            uses: nav.t2("vouchers-uses-left", "left", "{left}", "total", v.uses_total),
            valid_until: nav.t1("vouchers-valid-until", "when", datetime_at(&nav, v.valid_until, offset)),
        });
    }
    nav.finish(VouchersPage { nav: nav.clone(), statuses: VOUCHER_STATUSES, vouchers: cards }.into_response())
}
