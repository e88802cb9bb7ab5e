//! Coupons for consumers: claiming one from a store page, and "my coupons".

use crate::discover::{when, yuan};
use crate::page::Nav;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_core::CouponTemplateId;
use lokal_core::promo::Benefit;

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/coupon-batches/{batch_id}/claim", post(claim))
        .route("/me/coupons", get(my_coupons))
        .route("/coupons", get(centre))
}

/// What a coupon gives, in words ("¥20 off ¥100", "15% off, up to ¥10").
pub fn benefit_text(b: &Benefit) -> String {
    let from = |threshold: i64| if threshold > 0 { format!(" on {} or more", yuan(threshold)) } else { String::new() };
    match b {
        Benefit::AmountOff { off, threshold } => format!("{} off{}", yuan(*off), from(*threshold)),
        Benefit::PercentOff { percent_bp, cap, threshold } => {
            let cap = cap.map(|c| format!(", up to {}", yuan(c))).unwrap_or_default();
            format!("{}% off{cap}{}", f64::from(*percent_bp) / 100.0, from(*threshold))
        }
        Benefit::FreeDelivery { cap, threshold } => {
            let cap = cap.map(|c| format!(" (up to {})", yuan(c))).unwrap_or_default();
            format!("Free delivery{cap}{}", from(*threshold))
        }
        Benefit::ItemOff { off_each, max_units, .. } => format!("{} off a dish, up to {max_units}", yuan(*off_each)),
    }
}

#[derive(Debug, serde::Deserialize)]
struct ClaimForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    channel: String,
    /// Where to go after claiming (a path on this site; default "my coupons").
    #[serde(default)]
    next: String,
}

async fn claim(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<ClaimForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let Ok(id) = id.parse::<CouponTemplateId>() else {
        return nav.refusal("Not claimed", lokal_app::AppError::not_found("coupon batch"));
    };
    match ctx.app.claim_coupon(&me, id, &f.channel).await {
        Ok(_) => {
            let next = f.next.trim();
            Redirect::to(if next.is_empty() { "/me/coupons" } else { crate::account::safe_next(next) }).into_response()
        }
        Err(e) => nav.refusal("Not claimed", e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "my_coupons.html")]
struct MyCouponsPage {
    nav: Nav,
    /// Title, what it gives, who issued it, status, expires.
    coupons: Vec<(String, String, &'static str, String, String)>,
}

async fn my_coupons(State(ctx): State<Ctx>, nav: Nav) -> Response {
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let list = match ctx.app.my_coupons(&me).await {
        Ok(l) => l,
        Err(e) => return nav.refusal("Coupons", e),
    };
    let now = ctx.app.now().millis();
    let coupons = list
        .into_iter()
        .map(|c| {
            let status = match c.coupon.status.as_str() {
                "unused" if c.coupon.expires_at <= now => "expired".to_owned(),
                "unused" => "ready to use".to_owned(),
                "held" => "on an unpaid order".to_owned(),
                other => other.to_owned(),
            };
            let issuer = if c.template.row.issuer == "platform" { "Lokal" } else { "the store" };
            (c.template.row.title.clone(), benefit_text(&c.template.benefit), issuer, status, when(c.coupon.expires_at))
        })
        .collect();
    nav.finish(MyCouponsPage { nav: nav.clone(), coupons }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "coupon_centre.html")]
struct CentrePage {
    nav: Nav,
    /// Batch id, title, what it gives, from whom, left, claim until.
    batches: Vec<(String, String, String, String, i64, String)>,
}

/// The coupon centre: every coupon that can be claimed now.
async fn centre(State(ctx): State<Ctx>, nav: Nav) -> Response {
    let list = match ctx.app.coupon_centre().await {
        Ok(l) => l,
        Err(e) => return nav.refusal("Coupons", e),
    };
    let batches = list
        .into_iter()
        .map(|(t, merchant)| {
            (
                t.row.id.to_string(),
                t.row.title.clone(),
                benefit_text(&t.benefit),
                merchant.unwrap_or_else(|| "Lokal (any store)".to_owned()),
                t.row.quantity_left,
                when(t.row.claim_until),
            )
        })
        .collect();
    nav.finish(CentrePage { nav: nav.clone(), batches }.into_response())
}
