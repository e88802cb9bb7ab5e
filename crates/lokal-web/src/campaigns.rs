//! Campaigns on the web: the public landing page of a channel's link (`/c/{code}`, which
//! records the touch and keeps an anonymous visitor id in a cookie until the visitor logs in),
//! and the merchant console's campaigns — the list and a form, a campaign's channels with their
//! links and printable QR posters, its report by last or first touch, and the report as CSV.

use crate::coupons::benefit_text;
use crate::page::{Nav, error_page, message, set_cookie};
use crate::vouchers::{ManagerPage, manager_page};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_api::extract::ClientIp;
use lokal_app::campaigns::{CampaignReport, CampaignView, Figures};
use lokal_core::campaign::{CampaignJson, ChannelJson, ChannelKind, Model};
use lokal_core::{CampaignId, CouponTemplateId, MerchantId, StoreId, Timestamp};

/// The cookie holding a browser's anonymous visitor id (HttpOnly; 90 days).
pub const VISITOR_COOKIE: &str = "lokal_visitor";

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/c/{code}", get(landing))
        .route("/merchant/{merchant_id}/campaigns", get(list).post(create))
        .route("/merchant/{merchant_id}/campaigns/{campaign_id}", get(report_page))
        .route("/merchant/{merchant_id}/campaigns/{campaign_id}/channels", post(add_channel))
        .route("/merchant/{merchant_id}/campaigns/{campaign_id}/poster/{code}", get(poster))
        .route("/merchant/{merchant_id}/campaigns/{campaign_id}/report.csv", get(csv))
}

#[derive(Template, WebTemplate)]
#[template(path = "campaign_landing.html")]
struct Landing {
    nav: Nav,
    code: String,
    title: String,
    running: bool,
    /// Batch id, title, what it gives.
    coupon: Option<(String, String, String)>,
    /// Store id and name.
    store: Option<(String, String)>,
    /// Where claiming leads back to.
    next: String,
}

async fn landing(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
) -> Response {
    let visitor = lokal_api::middleware::cookie_value(&headers, VISITOR_COOKIE);
    let user = nav.caller().map(|p| p.user_id);
    let client = ip.map(|i| i.to_string()).unwrap_or_default();
    let a = match ctx.app.arrive(&code, visitor.as_deref(), user, &client).await {
        Ok(a) => a,
        Err(e) => return nav.refusal(&nav.t("campaigns-refused"), e),
    };
    let store = a.store.map(|(id, name)| (id.to_string(), name));
    let next = store.as_ref().map_or_else(|| "/me/coupons".to_owned(), |(id, _)| format!("/stores/{id}"));
    let page = Landing {
        nav: nav.clone(),
        code: a.channel.code.clone(),
        title: a.campaign.title.clone(),
        running: a.running,
        coupon: a.coupon.map(|t| (t.row.id.to_string(), t.row.title.clone(), benefit_text(&nav, &t.benefit))),
        store,
        next,
    };
    let mut res = nav.finish(page.into_response());
    let secure = ctx.app.auth_settings().secure_cookies;
    let cookie = format!("{VISITOR_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}", a.visitor, 90 * 86_400);
    set_cookie(&mut res, &cookie, secure);
    res
}

#[derive(Template, WebTemplate)]
#[template(path = "campaign_desk.html")]
struct Desk {
    nav: Nav,
    merchant: String,
    merchant_id: String,
    stores: Vec<(String, String)>,
    /// Batch id and title.
    batches: Vec<(String, String)>,
    campaigns: Vec<CampaignLine>,
}

/// A campaign in the console's list.
struct CampaignLine {
    id: String,
    title: String,
    /// `scheduled`, `running` or `ended` (a `campaign-state` label).
    state: &'static str,
    /// When it ends, for people.
    until: String,
    window_days: i64,
}

/// Whether a campaign from `starts_at` to `ends_at` has not started, runs or has ended at `now`.
fn state_of(starts_at: Timestamp, ends_at: Timestamp, now: Timestamp) -> &'static str {
    if now < starts_at {
        "scheduled"
    } else if now < ends_at {
        "running"
    } else {
        "ended"
    }
}

async fn list(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let ManagerPage { me, merchant_id: m, name, stores } = match manager_page(&ctx, &nav, &id).await {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let now = ctx.app.now();
    let campaigns = match ctx.app.campaigns(&me, Some(m)).await {
        Ok(l) => l
            .into_iter()
            .map(|c| CampaignLine {
                id: c.id.to_string(),
                state: state_of(c.starts_at, c.ends_at, now),
                until: nav.datetime(c.ends_at),
                title: c.title,
                window_days: c.window_days,
            })
            .collect(),
        Err(e) => return error_page(e),
    };
    let batches = match ctx.app.merchant_coupon_templates(&me, m).await {
        Ok(l) => l
            .into_iter()
            .filter(|t| t.claimable_at(now))
            .map(|t| (t.row.id.to_string(), format!("{} · {}", t.row.title, benefit_text(&nav, &t.benefit))))
            .collect(),
        Err(e) => return error_page(e),
    };
    let page = Desk { nav: nav.clone(), merchant: name, merchant_id: m.to_string(), stores, batches, campaigns };
    nav.finish(page.into_response())
}

#[derive(Debug, serde::Deserialize)]
struct CampaignForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    store: String,
    #[serde(default)]
    batch: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    window_days: String,
}

async fn create(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<CampaignForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(m) = id.parse::<MerchantId>() else { return error_page(lokal_app::AppError::not_found("merchant")) };
    let heading = nav.t("campaigns-not-started");
    let refuse = |text: &str| nav.finish(message(StatusCode::UNPROCESSABLE_ENTITY, &heading, text, nav.clone()));
    let store_id = match f.store.trim() {
        "" => None,
        s => match s.parse::<StoreId>() {
            Ok(s) => Some(s),
            Err(_) => return refuse(&nav.t("campaigns-choose-store")),
        },
    };
    let coupon_batch_id = match f.batch.trim() {
        "" => None,
        s => match s.parse::<CouponTemplateId>() {
            Ok(b) => Some(b),
            Err(_) => return refuse(&nav.t("campaigns-choose-coupon")),
        },
    };
    let days = f.days.trim().parse::<i64>().unwrap_or(30).clamp(1, 365);
    let body = CampaignJson {
        title: f.title,
        store_id,
        coupon_batch_id,
        starts_at: None,
        ends_at: ctx.app.now().plus_secs(days * 86_400).to_rfc3339(),
        window_days: f.window_days.trim().parse().unwrap_or(7),
    };
    match ctx.app.create_campaign(&me, Some(m), body).await {
        Ok(c) => Redirect::to(&format!("/merchant/{m}/campaigns/{}", c.id)).into_response(),
        Err(e) => nav.refusal(&heading, e),
    }
}

/// The campaign `cid` of merchant `mid` for the caller; 404 when the campaign is another
/// merchant's (or the platform's).
async fn owned(ctx: &Ctx, nav: &Nav, mid: &str, cid: &str) -> Result<(lokal_core::Principal, CampaignView), Response> {
    let Some(me) = nav.caller() else { return Err(nav.to_login()) };
    let heading = nav.t("campaigns-refused");
    let not_found = || nav.refusal(&heading, lokal_app::AppError::not_found("campaign"));
    let (Ok(m), Ok(c)) = (mid.parse::<MerchantId>(), cid.parse::<CampaignId>()) else { return Err(not_found()) };
    let view = ctx.app.campaign(&me, c).await.map_err(|e| nav.refusal(&heading, e))?;
    if view.row.merchant_id != Some(m) {
        return Err(not_found());
    }
    Ok((me, view))
}

#[derive(Debug, Default, serde::Deserialize)]
struct ReportQuery {
    #[serde(default)]
    model: String,
    #[serde(default)]
    table: String,
}

fn model_of(s: &str) -> Model {
    if s == "first" { Model::First } else { Model::Last }
}

/// One line of the report's channel table, formatted.
struct Line {
    name: String,
    /// A `channel-kind` word (empty for the total).
    kind: &'static str,
    code: String,
    visits: i64,
    reach: i64,
    signups: i64,
    claims: i64,
    orders: i64,
    gmv: String,
    discounts: String,
    fees: String,
    spend: String,
    redemptions: i64,
    new: i64,
    returning: i64,
    cac: String,
    roi: String,
}

fn line(nav: &Nav, name: String, kind: &'static str, code: String, f: &Figures) -> Line {
    let yuan = |v: i64| nav.money(v);
    Line {
        name,
        kind,
        code,
        visits: f.visits,
        reach: f.reach,
        signups: f.signups,
        claims: f.claims,
        orders: f.orders,
        gmv: yuan(f.gmv),
        discounts: yuan(f.discounts),
        fees: yuan(f.fees),
        spend: yuan(f.spend),
        redemptions: f.redemptions,
        new: f.new_customers,
        returning: f.returning_customers,
        cac: f.cac.map_or_else(|| "–".to_owned(), yuan),
        roi: f.roi.map_or_else(|| "–".to_owned(), |r| nav.t1("campaign-report-roi", "roi", format!("{r:.1}"))),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "campaign_report.html")]
struct ReportPage {
    nav: Nav,
    merchant_id: String,
    campaign_id: String,
    title: String,
    runs: String,
    window_days: i64,
    first: bool,
    lines: Vec<Line>,
    total: Line,
    orders: Vec<OrderLine>,
}

/// An order the report credits.
struct OrderLine {
    id: String,
    placed: String,
    channel: String,
    /// An `order-status` word.
    status: String,
    total: String,
    discount: String,
    /// `new` or `returning` (a `customer-kind` word).
    customer: &'static str,
}

async fn report_page(
    State(ctx): State<Ctx>,
    nav: Nav,
    Path((mid, cid)): Path<(String, String)>,
    Query(q): Query<ReportQuery>,
) -> Response {
    let (me, view) = match owned(&ctx, &nav, &mid, &cid).await {
        Ok(v) => v,
        Err(refused) => return refused,
    };
    let model = model_of(&q.model);
    let r = match ctx.app.campaign_report(&me, view.row.id, model).await {
        Ok(r) => r,
        Err(e) => return error_page(e),
    };
    let name_of = |id| r.channels.iter().find(|(c, _)| c.id == id).map(|(c, _)| c.name.clone()).unwrap_or_default();
    let orders = r
        .orders
        .iter()
        .map(|o| OrderLine {
            id: o.order_id.clone(),
            placed: nav.datetime(o.at),
            channel: name_of(o.channel),
            status: o.status.to_string(),
            total: nav.money(o.total),
            discount: nav.money(-o.discount),
            customer: if o.new_customer { "new" } else { "returning" },
        })
        .collect();
    let lines =
        r.channels.iter().map(|(c, f)| line(&nav, c.name.clone(), c.kind.as_str(), c.code.clone(), f)).collect();
    let page = ReportPage {
        nav: nav.clone(),
        merchant_id: mid,
        campaign_id: r.campaign.row.id.to_string(),
        title: r.campaign.row.title.clone(),
        runs: nav.t2(
            "campaign-report-runs",
            "from",
            nav.datetime(r.campaign.row.starts_at),
            "to",
            nav.datetime(r.campaign.row.ends_at),
        ),
        window_days: r.campaign.row.window_days,
        first: model == Model::First,
        total: line(&nav, nav.t("campaign-report-all-channels").into_owned(), "", String::new(), &r.total),
        lines,
        orders,
    };
    nav.finish(page.into_response())
}

#[derive(Debug, serde::Deserialize)]
struct ChannelForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    cost: String,
}

async fn add_channel(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path((mid, cid)): Path<(String, String)>,
    Form(f): Form<ChannelForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let (me, view) = match owned(&ctx, &nav, &mid, &cid).await {
        Ok(v) => v,
        Err(refused) => return refused,
    };
    let heading = nav.t("channel-not-added");
    let Ok(kind) = f.kind.trim().parse::<ChannelKind>() else {
        return nav.finish(message(
            StatusCode::UNPROCESSABLE_ENTITY,
            &heading,
            &nav.t("channel-choose-kind"),
            nav.clone(),
        ));
    };
    let cost = if f.cost.trim().is_empty() { Some(0) } else { crate::merchants::parse_yuan(&f.cost) };
    let Some(cost) = cost else {
        return nav.finish(message(
            StatusCode::UNPROCESSABLE_ENTITY,
            &heading,
            &nav.t("channel-cost-invalid"),
            nav.clone(),
        ));
    };
    match ctx.app.add_channel(&me, view.row.id, ChannelJson { kind, name: f.name, cost }).await {
        Ok(_) => Redirect::to(&format!("/merchant/{mid}/campaigns/{cid}")).into_response(),
        Err(e) => nav.refusal(&heading, e),
    }
}

/// A printable QR poster (a campaign channel's; also a store's membership poster) in the page's
/// language.
#[derive(Template, WebTemplate)]
#[template(path = "campaign_poster.html")]
pub(crate) struct PosterPage {
    pub(crate) nav: Nav,
    /// The line above the title (`扫码领券`).
    pub(crate) headline: String,
    pub(crate) title: String,
    pub(crate) offer: String,
    pub(crate) channel: String,
    pub(crate) url: String,
    pub(crate) qr_svg: String,
}

/// The poster as it was before pages had a language (the membership poster still builds it):
/// rendered in the platform's first language. New callers build a [`PosterPage`].
pub(crate) struct Poster {
    pub(crate) headline: &'static str,
    pub(crate) title: String,
    pub(crate) offer: String,
    pub(crate) channel: String,
    pub(crate) url: String,
    pub(crate) qr_svg: String,
}

impl IntoResponse for Poster {
    fn into_response(self) -> Response {
        PosterPage {
            nav: Nav::bare(lokal_i18n::Lang::default()),
            headline: self.headline.to_owned(),
            title: self.title,
            offer: self.offer,
            channel: self.channel,
            url: self.url,
            qr_svg: self.qr_svg,
        }
        .into_response()
    }
}

async fn poster(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path((mid, cid, code)): Path<(String, String, String)>,
) -> Response {
    let (_, view) = match owned(&ctx, &nav, &mid, &cid).await {
        Ok(v) => v,
        Err(refused) => return refused,
    };
    let Some(ch) = view.channels.iter().find(|c| c.code == code) else {
        return nav.refusal(&nav.t("campaign-poster-refused"), lokal_app::AppError::not_found("channel"));
    };
    let offer = match view.row.coupon_template_id {
        Some(t) => ctx.app.coupon_template(t).await.map(|t| benefit_text(&nav, &t.benefit)).unwrap_or_default(),
        None => String::new(),
    };
    let url = crate::page::site_url(&headers, &format!("/c/{}", ch.code));
    let qr_svg = crate::page::qr_svg(&url, 240);
    let channel = ch.name.clone();
    let page = PosterPage {
        headline: nav.t("campaign-poster-headline").into_owned(),
        title: view.row.title,
        offer,
        channel,
        url,
        qr_svg,
        nav: nav.clone(),
    };
    nav.finish(page.into_response())
}

async fn csv(
    State(ctx): State<Ctx>,
    nav: Nav,
    Path((mid, cid)): Path<(String, String)>,
    Query(q): Query<ReportQuery>,
) -> Response {
    let (me, view) = match owned(&ctx, &nav, &mid, &cid).await {
        Ok(v) => v,
        Err(refused) => return refused,
    };
    let model = model_of(&q.model);
    let r: CampaignReport = match ctx.app.campaign_report(&me, view.row.id, model).await {
        Ok(r) => r,
        Err(e) => return error_page(e),
    };
    let orders = q.table == "orders";
    let body = if orders {
        lokal_api::routes::campaigns::orders_csv(&r)
    } else {
        lokal_api::routes::campaigns::channels_csv(&r)
    };
    let name =
        format!("campaign-{}-{}-{}.csv", view.row.id, if orders { "orders" } else { "channels" }, model.as_str());
    crate::analytics::csv_download(&nav, "csv-campaign", &name, &body)
}

#[cfg(test)]
mod tests {
    use super::state_of;
    use lokal_core::Timestamp;

    #[test]
    fn a_campaign_is_scheduled_then_running_then_ended() {
        assert_eq!(state_of(Timestamp(10), Timestamp(20), Timestamp(5)), "scheduled");
        assert_eq!(state_of(Timestamp(10), Timestamp(20), Timestamp(10)), "running");
        assert_eq!(state_of(Timestamp(10), Timestamp(20), Timestamp(20)), "ended");
    }
}
