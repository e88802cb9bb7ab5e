//! The merchant console's coupons: the merchant's batches with what is left of them, and a form
//! to issue one (merchant-wide owners and managers).

use crate::desk::{ManagerPage, manager_page};
use crate::discover::{when, yuan};
use crate::page::{Nav, error_page, message};
use crate::wallet::benefit_text;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_core::coupon::CouponTemplateJson;
use lokal_core::promo::Benefit;
use lokal_core::{MerchantId, StoreId};

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/merchant/{merchant_id}/coupons", get(page).post(create))
        .route("/merchant/{merchant_id}/promotions", axum::routing::post(create_promotion))
        .route("/admin/coupons", get(platform_page).post(platform_create))
}

#[derive(Template, WebTemplate)]
#[template(path = "coupon_desk.html")]
struct CouponDesk {
    nav: Nav,
    merchant: String,
    merchant_id: String,
    stores: Vec<(String, String)>,
    /// Title, what it gives, claimed of quantity, claim until, budget used.
    batches: Vec<(String, String, String, String, String)>,
    /// Title, what it gives, where, first orders only, until.
    promotions: Vec<(String, String, String, bool, String)>,
    /// The merchant's items: id, name.
    items: Vec<(String, String)>,
}

async fn page(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let ManagerPage { me, merchant_id: m, name, stores } = match manager_page(&ctx, &nav, &id).await {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let batches = match ctx.app.merchant_coupon_templates(&me, m).await {
        Ok(list) => list
            .into_iter()
            .map(|t| {
                let r = &t.row;
                (
                    r.title.clone(),
                    benefit_text(&t.benefit),
                    format!("{} of {}", r.quantity - r.quantity_left, r.quantity),
                    when(r.claim_until),
                    yuan(r.budget_used),
                )
            })
            .collect(),
        Err(e) => return error_page(e),
    };
    let store_name = |id: Option<StoreId>| match id {
        None => "all stores".to_owned(),
        Some(id) => stores.iter().find(|s| s.0 == id.to_string()).map_or_else(|| id.to_string(), |s| s.1.clone()),
    };
    let promotions = match ctx.app.merchant_promotions(&me, m).await {
        Ok(list) => list
            .into_iter()
            .map(|p| {
                let benefit =
                    serde_json::from_str::<Benefit>(&p.benefit_json).map(|b| benefit_text(&b)).unwrap_or_default();
                (p.title, benefit, store_name(p.store_id), p.first_order, when(p.ends_at))
            })
            .collect(),
        Err(e) => return error_page(e),
    };
    let items = match ctx.app.items(&me, m).await {
        Ok(list) => list.into_iter().map(|i| (i.id.to_string(), i.name)).collect(),
        Err(e) => return error_page(e),
    };
    let page =
        CouponDesk { nav: nav.clone(), merchant: name, merchant_id: m.to_string(), stores, batches, promotions, items };
    nav.finish(page.into_response())
}

#[derive(Debug, serde::Deserialize)]
struct BatchForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    title: String,
    /// `amount_off` or `percent_off`.
    #[serde(default)]
    kind: String,
    /// Yuan off, or percent off.
    #[serde(default)]
    value: String,
    /// Spend at least, yuan.
    #[serde(default)]
    threshold: String,
    /// Most off for a percentage, yuan.
    #[serde(default)]
    cap: String,
    #[serde(default)]
    store: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    claim_days: String,
    #[serde(default)]
    valid_days: String,
    #[serde(default)]
    limit: String,
    #[serde(default)]
    new_customers_only: Option<String>,
}

/// The batch a console form describes; free delivery only for the platform. The error is the
/// sentence to show.
fn batch_body(now: lokal_core::Timestamp, f: BatchForm, platform: bool) -> Result<CouponTemplateJson, &'static str> {
    let yuan_or_zero = |s: &str| if s.trim().is_empty() { Some(0) } else { crate::console::parse_yuan(s) };
    let threshold = yuan_or_zero(&f.threshold).ok_or("Spend at least must be yuan, like 100.")?;
    let cap = yuan_or_zero(&f.cap).ok_or("The cap must be yuan, like 20.")?;
    let benefit = match f.kind.as_str() {
        "percent_off" => {
            let percent = f.value.trim().parse::<f64>().map_err(|_| "Give the percentage, like 15.")?;
            let percent_bp = (percent * 100.0).round().clamp(0.0, 10_000.0) as u32;
            Benefit::PercentOff { percent_bp, cap: (cap > 0).then_some(cap), threshold }
        }
        "free_delivery" if platform => Benefit::FreeDelivery { cap: (cap > 0).then_some(cap), threshold },
        _ => {
            let off = crate::console::parse_yuan(&f.value).ok_or("Give the yuan off, like 20.")?;
            Benefit::AmountOff { off, threshold }
        }
    };
    let number = |s: &str, default: i64| s.trim().parse::<i64>().unwrap_or(default);
    let store_ids = match f.store.trim() {
        "" => Vec::new(),
        s => vec![s.parse::<StoreId>().map_err(|_| "Choose one of your stores.")?],
    };
    Ok(CouponTemplateJson {
        title: f.title,
        benefit,
        new_customers_only: f.new_customers_only.is_some(),
        claim_from: None,
        claim_until: now.plus_secs(number(&f.claim_days, 30).clamp(1, 365) * 86_400).to_rfc3339(),
        valid_until: None,
        valid_days: Some(u32::try_from(number(&f.valid_days, 30)).unwrap_or(0)),
        quantity: number(&f.quantity, 100),
        per_user_limit: number(&f.limit, 1),
        budget: None,
        store_ids,
    })
}

async fn create(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<BatchForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let Ok(m) = id.parse::<MerchantId>() else { return error_page(lokal_app::AppError::not_found("merchant")) };
    let body = match batch_body(ctx.app.now(), f, false) {
        Ok(b) => b,
        Err(text) => return nav.finish(message(StatusCode::UNPROCESSABLE_ENTITY, "Not issued", text, nav.clone())),
    };
    match ctx.app.create_merchant_coupons(&me, m, body).await {
        Ok(_) => Redirect::to(&format!("/merchant/{m}/coupons")).into_response(),
        Err(e) => nav.refusal("Not issued", e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "platform_coupons.html")]
struct PlatformDesk {
    nav: Nav,
    /// Title, what it gives, claimed of quantity, claim until, budget used.
    batches: Vec<(String, String, String, String, String)>,
}

/// Operators' coupons: the platform's batches and a form to issue one (free delivery included).
async fn platform_page(State(ctx): State<Ctx>, nav: Nav) -> Response {
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let batches = match ctx.app.platform_coupon_templates(&me).await {
        Ok(list) => list
            .into_iter()
            .map(|t| {
                let r = &t.row;
                (
                    r.title.clone(),
                    benefit_text(&t.benefit),
                    format!("{} of {}", r.quantity - r.quantity_left, r.quantity),
                    when(r.claim_until),
                    yuan(r.budget_used),
                )
            })
            .collect(),
        Err(e) => return nav.refusal("Coupons", e),
    };
    nav.finish(PlatformDesk { nav: nav.clone(), batches }.into_response())
}

async fn platform_create(State(ctx): State<Ctx>, nav: Nav, headers: HeaderMap, Form(f): Form<BatchForm>) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let body = match batch_body(ctx.app.now(), f, true) {
        Ok(b) => b,
        Err(text) => return nav.finish(message(StatusCode::UNPROCESSABLE_ENTITY, "Not issued", text, nav.clone())),
    };
    match ctx.app.create_platform_coupons(&me, body).await {
        Ok(_) => Redirect::to("/admin/coupons").into_response(),
        Err(e) => nav.refusal("Not issued", e),
    }
}

#[derive(Debug, serde::Deserialize)]
struct PromotionForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    title: String,
    /// `amount_off`, `percent_off` or `item_off`.
    #[serde(default)]
    kind: String,
    /// Yuan off (each, for an item), or percent off.
    #[serde(default)]
    value: String,
    #[serde(default)]
    threshold: String,
    #[serde(default)]
    cap: String,
    #[serde(default)]
    item: String,
    #[serde(default)]
    max_units: String,
    #[serde(default)]
    first_order: Option<String>,
    #[serde(default)]
    store: String,
    #[serde(default)]
    days: String,
}

async fn create_promotion(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<PromotionForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let Ok(m) = id.parse::<MerchantId>() else { return error_page(lokal_app::AppError::not_found("merchant")) };
    let refuse = |text: &str| nav.finish(message(StatusCode::UNPROCESSABLE_ENTITY, "Not started", text, nav.clone()));
    let yuan_or_zero = |s: &str| if s.trim().is_empty() { Some(0) } else { crate::console::parse_yuan(s) };
    let Some(threshold) = yuan_or_zero(&f.threshold) else { return refuse("Spend at least must be yuan, like 100.") };
    let benefit = match f.kind.as_str() {
        "percent_off" => {
            let Ok(percent) = f.value.trim().parse::<f64>() else { return refuse("Give the percentage, like 15.") };
            let Some(cap) = yuan_or_zero(&f.cap) else { return refuse("The cap must be yuan, like 20.") };
            let percent_bp = (percent * 100.0).round().clamp(0.0, 10_000.0) as u32;
            Benefit::PercentOff { percent_bp, cap: (cap > 0).then_some(cap), threshold }
        }
        "item_off" => {
            let Ok(item) = f.item.trim().parse::<lokal_core::ItemId>() else { return refuse("Choose a dish.") };
            let Some(off_each) = crate::console::parse_yuan(&f.value) else {
                return refuse("Give the yuan off, like 3.");
            };
            let max_units = f.max_units.trim().parse::<u32>().unwrap_or(1);
            Benefit::ItemOff { item, off_each, max_units }
        }
        _ => {
            let Some(off) = crate::console::parse_yuan(&f.value) else { return refuse("Give the yuan off, like 20.") };
            Benefit::AmountOff { off, threshold }
        }
    };
    let store_id = match f.store.trim() {
        "" => None,
        s => match s.parse::<StoreId>() {
            Ok(id) => Some(id),
            Err(_) => return refuse("Choose one of your stores."),
        },
    };
    let days = f.days.trim().parse::<i64>().unwrap_or(30).clamp(1, 365);
    let body = lokal_core::coupon::PromotionJson {
        title: f.title,
        benefit,
        first_order: f.first_order.is_some(),
        store_id,
        starts_at: None,
        ends_at: ctx.app.now().plus_secs(days * 86_400).to_rfc3339(),
    };
    match ctx.app.create_promotion(&me, m, body).await {
        Ok(_) => Redirect::to(&format!("/merchant/{m}/coupons")).into_response(),
        Err(e) => nav.refusal("Not started", e),
    }
}
