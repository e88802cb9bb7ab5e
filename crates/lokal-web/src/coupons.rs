//! Coupons on the web: a consumer claims one from a store page or the coupon centre and keeps it
//! in "my coupons"; the merchant console lists the merchant's batches with what is left of them
//! and issues batches and store promotions (merchant-wide owners and managers); operators issue
//! the platform's batches.

use crate::page::{Nav, error_page, message};
use crate::vouchers::{ManagerPage, manager_page};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_core::coupon::CouponTemplateJson;
use lokal_core::promo::Benefit;
use lokal_core::{CouponTemplateId, MerchantId, Msg, StoreId};
use lokal_i18n::Lang;

/// The routes: the consumer's (claiming, "my coupons", the coupon centre) and the console's.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/coupon-batches/{batch_id}/claim", post(claim))
        .route("/me/coupons", get(my_coupons))
        .route("/coupons", get(centre))
        .route("/merchant/{merchant_id}/coupons", get(page).post(create))
        .route("/merchant/{merchant_id}/promotions", post(create_promotion))
        .route("/admin/coupons", get(platform_page).post(platform_create))
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
            Redirect::to(if next.is_empty() { "/me/coupons" } else { crate::accounts::safe_next(next) }).into_response()
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
                "unused" if c.coupon.expires_at.millis() <= now => "expired",
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

/// What an offer gives, in a few words of the page's language: `满¥30减¥5`, `¥5 off on ¥30 or
/// more`.
pub(crate) fn benefit_text(nav: &Nav, b: &Benefit) -> String {
    let msg = match *b {
        Benefit::AmountOff { off, threshold } if threshold > 0 => {
            Msg::new("coupon-benefit-amount-off-from").money("off", off).money("threshold", threshold)
        }
        Benefit::AmountOff { off, .. } => Msg::new("coupon-benefit-amount-off").money("off", off),
        Benefit::PercentOff { percent_bp, cap, threshold } => {
            let rate = discount_rate(nav.lang, percent_bp);
            let msg = match (cap, threshold > 0) {
                (Some(_), true) => Msg::new("coupon-benefit-percent-off-cap-from"),
                (Some(_), false) => Msg::new("coupon-benefit-percent-off-cap"),
                (None, true) => Msg::new("coupon-benefit-percent-off-from"),
                (None, false) => Msg::new("coupon-benefit-percent-off"),
            }
            .with("rate", rate);
            let msg = match cap {
                Some(c) => msg.money("cap", c),
                None => msg,
            };
            if threshold > 0 { msg.money("threshold", threshold) } else { msg }
        }
        Benefit::FreeDelivery { cap, threshold } => {
            let msg = match (cap, threshold > 0) {
                (Some(_), true) => Msg::new("coupon-benefit-free-delivery-cap-from"),
                (Some(_), false) => Msg::new("coupon-benefit-free-delivery-cap"),
                (None, true) => Msg::new("coupon-benefit-free-delivery-from"),
                (None, false) => Msg::new("coupon-benefit-free-delivery"),
            };
            let msg = match cap {
                Some(c) => msg.money("cap", c),
                None => msg,
            };
            if threshold > 0 { msg.money("threshold", threshold) } else { msg }
        }
        Benefit::ItemOff { off_each, max_units, .. } => {
            Msg::new("coupon-benefit-item-off").money("off", off_each).with("units", max_units)
        }
    };
    nav.msg(&msg)
}

/// A percentage off as the reader's language says it: Chinese counts what is paid, in tenths
/// (15 % off is `8.5`折), English what is taken off (`15`% off).
fn discount_rate(lang: Lang, percent_bp: u32) -> String {
    let tidy = |x: f64| {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    };
    let bp = f64::from(percent_bp.min(10_000));
    match lang {
        Lang::ZhCn => tidy((10_000.0 - bp) / 1000.0),
        Lang::En => tidy(bp / 100.0),
    }
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
                    benefit_text(&nav, &t.benefit),
                    nav.t2("coupon-desk-claimed", "claimed", r.quantity - r.quantity_left, "quantity", r.quantity),
                    nav.t1("coupon-desk-claim-until", "date", nav.datetime(r.claim_until)),
                    nav.msg(&Msg::new("coupon-desk-given").money("amount", r.budget_used)),
                )
            })
            .collect(),
        Err(e) => return error_page(e),
    };
    let store_name = |id: Option<StoreId>| match id {
        None => nav.t("console-all-stores").into_owned(),
        Some(id) => stores.iter().find(|s| s.0 == id.to_string()).map_or_else(|| id.to_string(), |s| s.1.clone()),
    };
    let promotions = match ctx.app.merchant_promotions(&me, m).await {
        Ok(list) => list
            .into_iter()
            .map(|p| {
                let benefit = serde_json::from_str::<Benefit>(&p.benefit_json)
                    .map(|b| benefit_text(&nav, &b))
                    .unwrap_or_default();
                let until = nav.t1("promo-until", "date", nav.datetime(p.ends_at));
                (p.title, benefit, store_name(p.store_id), p.first_order, until)
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
fn batch_body(
    nav: &Nav,
    now: lokal_core::Timestamp,
    f: BatchForm,
    platform: bool,
) -> Result<CouponTemplateJson, String> {
    let yuan_or_zero = |s: &str| if s.trim().is_empty() { Some(0) } else { crate::merchants::parse_yuan(s) };
    let threshold = yuan_or_zero(&f.threshold).ok_or_else(|| nav.t("coupon-desk-threshold-invalid"))?;
    let cap = yuan_or_zero(&f.cap).ok_or_else(|| nav.t("coupon-desk-cap-invalid"))?;
    let benefit = match f.kind.as_str() {
        "percent_off" => {
            let percent = f.value.trim().parse::<f64>().map_err(|_| nav.t("coupon-desk-percent-invalid"))?;
            let percent_bp = (percent * 100.0).round().clamp(0.0, 10_000.0) as u32;
            Benefit::PercentOff { percent_bp, cap: (cap > 0).then_some(cap), threshold }
        }
        "free_delivery" if platform => Benefit::FreeDelivery { cap: (cap > 0).then_some(cap), threshold },
        _ => {
            let off = crate::merchants::parse_yuan(&f.value)
                .ok_or_else(|| nav.t1("coupon-desk-off-invalid", "example", "20"))?;
            Benefit::AmountOff { off, threshold }
        }
    };
    let number = |s: &str, default: i64| s.trim().parse::<i64>().unwrap_or(default);
    let store_ids = match f.store.trim() {
        "" => Vec::new(),
        s => vec![s.parse::<StoreId>().map_err(|_| nav.t("coupon-desk-choose-store"))?],
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
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(m) = id.parse::<MerchantId>() else { return error_page(lokal_app::AppError::not_found("merchant")) };
    let heading = nav.t("coupon-desk-not-issued");
    let body = match batch_body(&nav, ctx.app.now(), f, false) {
        Ok(b) => b,
        Err(text) => return nav.finish(message(StatusCode::UNPROCESSABLE_ENTITY, &heading, &text, nav.clone())),
    };
    match ctx.app.create_merchant_coupons(&me, m, body).await {
        Ok(_) => Redirect::to(&format!("/merchant/{m}/coupons")).into_response(),
        Err(e) => nav.refusal(&heading, e),
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
    let Some(me) = nav.caller() else { return nav.to_login() };
    let batches = match ctx.app.platform_coupon_templates(&me).await {
        Ok(list) => list
            .into_iter()
            .map(|t| {
                let r = &t.row;
                (
                    r.title.clone(),
                    benefit_text(&nav, &t.benefit),
                    nav.t2("coupon-desk-claimed", "claimed", r.quantity - r.quantity_left, "quantity", r.quantity),
                    nav.t1("coupon-desk-claim-until", "date", nav.datetime(r.claim_until)),
                    nav.msg(&Msg::new("coupon-desk-given").money("amount", r.budget_used)),
                )
            })
            .collect(),
        Err(e) => return nav.refusal(&nav.t("platform-coupons-refused"), e),
    };
    nav.finish(PlatformDesk { nav: nav.clone(), batches }.into_response())
}

async fn platform_create(State(ctx): State<Ctx>, nav: Nav, headers: HeaderMap, Form(f): Form<BatchForm>) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    let heading = nav.t("coupon-desk-not-issued");
    let body = match batch_body(&nav, ctx.app.now(), f, true) {
        Ok(b) => b,
        Err(text) => return nav.finish(message(StatusCode::UNPROCESSABLE_ENTITY, &heading, &text, nav.clone())),
    };
    match ctx.app.create_platform_coupons(&me, body).await {
        Ok(_) => Redirect::to("/admin/coupons").into_response(),
        Err(e) => nav.refusal(&heading, e),
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
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(m) = id.parse::<MerchantId>() else { return error_page(lokal_app::AppError::not_found("merchant")) };
    let heading = nav.t("promo-not-started");
    let refuse = |text: String| nav.finish(message(StatusCode::UNPROCESSABLE_ENTITY, &heading, &text, nav.clone()));
    let yuan_or_zero = |s: &str| if s.trim().is_empty() { Some(0) } else { crate::merchants::parse_yuan(s) };
    let Some(threshold) = yuan_or_zero(&f.threshold) else {
        return refuse(nav.t("coupon-desk-threshold-invalid").into_owned());
    };
    let benefit = match f.kind.as_str() {
        "percent_off" => {
            let Ok(percent) = f.value.trim().parse::<f64>() else {
                return refuse(nav.t("coupon-desk-percent-invalid").into_owned());
            };
            let Some(cap) = yuan_or_zero(&f.cap) else { return refuse(nav.t("coupon-desk-cap-invalid").into_owned()) };
            let percent_bp = (percent * 100.0).round().clamp(0.0, 10_000.0) as u32;
            Benefit::PercentOff { percent_bp, cap: (cap > 0).then_some(cap), threshold }
        }
        "item_off" => {
            let Ok(item) = f.item.trim().parse::<lokal_core::ItemId>() else {
                return refuse(nav.t("coupon-desk-choose-dish").into_owned());
            };
            let Some(off_each) = crate::merchants::parse_yuan(&f.value) else {
                return refuse(nav.t1("coupon-desk-off-invalid", "example", "3"));
            };
            let max_units = f.max_units.trim().parse::<u32>().unwrap_or(1);
            Benefit::ItemOff { item, off_each, max_units }
        }
        _ => {
            let Some(off) = crate::merchants::parse_yuan(&f.value) else {
                return refuse(nav.t1("coupon-desk-off-invalid", "example", "20"));
            };
            Benefit::AmountOff { off, threshold }
        }
    };
    let store_id = match f.store.trim() {
        "" => None,
        s => match s.parse::<StoreId>() {
            Ok(id) => Some(id),
            Err(_) => return refuse(nav.t("coupon-desk-choose-store").into_owned()),
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
        Err(e) => nav.refusal(&heading, e),
    }
}

#[cfg(test)]
mod console_tests {
    use super::*;

    #[test]
    fn a_percentage_off_is_said_the_readers_way() {
        assert_eq!(discount_rate(Lang::ZhCn, 1500), "8.5");
        assert_eq!(discount_rate(Lang::ZhCn, 2000), "8");
        assert_eq!(discount_rate(Lang::ZhCn, 1250), "8.75");
        assert_eq!(discount_rate(Lang::En, 1500), "15");
        assert_eq!(discount_rate(Lang::En, 1250), "12.5");
    }

    #[test]
    fn benefits_read_in_both_languages() {
        let zh = Nav::bare(Lang::ZhCn);
        let en = Nav::bare(Lang::En);
        let five_off = Benefit::AmountOff { off: 500, threshold: 3000 };
        assert_eq!(benefit_text(&zh, &five_off), "满¥30减¥5");
        assert_eq!(benefit_text(&en, &five_off), "¥5 off on ¥30 or more");
        let pct = Benefit::PercentOff { percent_bp: 1500, cap: Some(2000), threshold: 10_000 };
        assert_eq!(benefit_text(&zh, &pct), "满¥100享8.5折，最高减¥20");
        assert_eq!(benefit_text(&en, &pct), "15% off, up to ¥20 on ¥100 or more");
        let free = Benefit::FreeDelivery { cap: None, threshold: 2000 };
        assert_eq!(benefit_text(&zh, &free), "满¥20免配送费");
        assert_eq!(benefit_text(&en, &free), "Free delivery on ¥20 or more");
    }
}
