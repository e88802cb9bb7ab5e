//! Coupons for consumers: claiming one from a store page, and "my coupons".

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
use lokal_core::Msg;
use lokal_core::money::yuan;
use lokal_core::promo::Benefit;

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/coupon-batches/{batch_id}/claim", post(claim))
        .route("/me/coupons", get(my_coupons))
        .route("/coupons", get(centre))
}

/// Who issues coupons (`coupon-issuer-…`): the platform or a merchant.
pub const COUPON_ISSUERS: [&str; 2] = ["platform", "merchant"];

/// The states of a coupon in a person's wallet as "my coupons" shows them (`coupon-status-…`):
/// the stored `unused`, `held` and `used`, and `expired` for an unused one past its date.
pub const COUPON_STATUSES: [&str; 4] = ["unused", "held", "used", "expired"];

/// The issuer's word of a stored coupon batch's `issuer`.
pub fn issuer_word(issuer: &str) -> &'static str {
    if issuer == "platform" { "platform" } else { "merchant" }
}

/// What a coupon gives, in the page's language: `满¥100减¥20`, `¥20 off ¥100 or more`,
/// `8.5折，最高减¥10`, `15% off, up to ¥10`.
pub fn benefit(nav: &Nav, b: &Benefit) -> String {
    match b {
        Benefit::AmountOff { off, threshold } if *threshold > 0 => {
            nav.msg(&Msg::new("coupon-amount-off-over").money("off", *off).money("threshold", *threshold))
        }
        Benefit::AmountOff { off, .. } => nav.msg(&Msg::new("coupon-amount-off").money("off", *off)),
        Benefit::PercentOff { percent_bp, cap, threshold } => {
            // 15% off is 8.5折 in Chinese: both are given, each language writes its own.
            let percent = trim_decimal(f64::from(*percent_bp) / 100.0);
            let zhe = trim_decimal(f64::from(10_000u32.saturating_sub(*percent_bp)) / 1000.0);
            let rate = nav.t2("coupon-percent-off", "percent", percent, "zhe", zhe);
            let rate = match cap {
                Some(c) => nav.msg(&Msg::new("coupon-capped").with("rate", rate).money("cap", *c)),
                None => rate,
            };
            over(nav, rate, *threshold)
        }
        Benefit::FreeDelivery { cap, threshold } => {
            let free = match cap {
                Some(c) => nav.msg(&Msg::new("coupon-free-delivery-capped").money("cap", *c)),
                None => nav.t("coupon-free-delivery").into_owned(),
            };
            over(nav, free, *threshold)
        }
        Benefit::ItemOff { off_each, max_units, .. } => {
            nav.msg(&Msg::new("coupon-item-off").money("off", *off_each).with("n", *max_units))
        }
    }
}

/// `what` on goods of at least `threshold` (as it is when there is no threshold).
fn over(nav: &Nav, what: String, threshold: i64) -> String {
    if threshold > 0 {
        nav.msg(&Msg::new("coupon-over").with("what", what).money("threshold", threshold))
    } else {
        what
    }
}

/// `15`, `8.5`, `12.25`: a number without trailing zeros.
fn trim_decimal(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// What a coupon gives, in English ("¥20 off ¥100", "15% off, up to ¥10"). Transitional: the
/// console's pages still use it; pages in the reader's language use [`benefit`].
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
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(id) = id.parse::<CouponTemplateId>() else {
        return nav.refusal(&nav.t("coupon-not-claimed"), lokal_app::AppError::not_found("coupon batch"));
    };
    match ctx.app.claim_coupon(&me, id, &f.channel).await {
        Ok(_) => {
            let next = f.next.trim();
            Redirect::to(if next.is_empty() { "/me/coupons" } else { crate::account::safe_next(next) }).into_response()
        }
        Err(e) => nav.refusal(&nav.t("coupon-not-claimed"), e),
    }
}

/// A coupon in "my coupons".
struct MyCoupon {
    title: String,
    /// What it gives and from whom.
    line: String,
    /// A word of [`COUPON_STATUSES`].
    status: &'static str,
    expires: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "my_coupons.html")]
struct MyCouponsPage {
    nav: Nav,
    coupons: Vec<MyCoupon>,
}

async fn my_coupons(State(ctx): State<Ctx>, nav: Nav) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let list = match ctx.app.my_coupons(&me).await {
        Ok(l) => l,
        Err(e) => return nav.refusal(&nav.t("my-coupons-title"), e),
    };
    let now = ctx.app.now().millis();
    let coupons = list
        .into_iter()
        .map(|c| {
            let status = match c.coupon.status.as_str() {
                "unused" if c.coupon.expires_at <= now => "expired",
                "unused" => "unused",
                "held" => "held",
                _ => "used",
            };
            let line = nav.t2(
                "coupon-from",
                "benefit",
                benefit(&nav, &c.template.benefit),
                "issuer",
                nav.label("coupon-issuer", issuer_word(&c.template.row.issuer)),
            );
            MyCoupon {
                title: c.template.row.title.clone(),
                line,
                status,
                expires: nav.t1("my-coupons-until", "when", nav.near(c.coupon.expires_at)),
            }
        })
        .collect();
    nav.finish(MyCouponsPage { nav: nav.clone(), coupons }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "coupon_centre.html")]
struct CentrePage {
    nav: Nav,
    /// Batch id, title, what it gives, from whom, how many are left and until when.
    batches: Vec<(String, String, String)>,
}

/// The coupon centre: every coupon that can be claimed now.
async fn centre(State(ctx): State<Ctx>, nav: Nav) -> Response {
    let list = match ctx.app.coupon_centre().await {
        Ok(l) => l,
        Err(e) => return nav.refusal(&nav.t("coupon-centre-title"), e),
    };
    let batches = list
        .into_iter()
        .map(|(t, merchant)| {
            let line = nav.msg(
                &Msg::new("coupon-centre-line")
                    .with("benefit", benefit(&nav, &t.benefit))
                    .with("from", merchant.unwrap_or_else(|| nav.t("coupon-centre-any-store").into_owned()))
                    .with("left", t.row.quantity_left)
                    .with("until", nav.near(t.row.claim_until)),
            );
            (t.row.id.to_string(), t.row.title.clone(), line)
        })
        .collect();
    nav.finish(CentrePage { nav: nav.clone(), batches }.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use lokal_i18n::Lang;

    #[test]
    fn what_a_coupon_gives_reads_naturally_in_both_languages() {
        let (zh, en) = (Nav::bare(Lang::ZhCn), Nav::bare(Lang::En));
        let cases = [
            (Benefit::AmountOff { off: 2000, threshold: 10_000 }, "满¥100减¥20", "¥20 off ¥100 or more"),
            (Benefit::AmountOff { off: 500, threshold: 0 }, "无门槛减¥5", "¥5 off"),
            (
                Benefit::PercentOff { percent_bp: 1500, cap: Some(1000), threshold: 0 },
                "8.5折（最高减¥10）",
                "15% off, up to ¥10",
            ),
            (
                Benefit::PercentOff { percent_bp: 2000, cap: None, threshold: 5000 },
                "满¥50享8折",
                "20% off on ¥50 or more",
            ),
            (
                Benefit::FreeDelivery { cap: Some(600), threshold: 3000 },
                "满¥30享免配送费（最高减¥6）",
                "Free delivery (up to ¥6) on ¥30 or more",
            ),
        ];
        for (b, z, e) in cases {
            assert_eq!(benefit(&zh, &b), z);
            assert_eq!(benefit(&en, &b), e);
        }
    }
}
