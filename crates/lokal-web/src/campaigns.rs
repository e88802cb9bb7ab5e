//! Campaigns on the web: the public landing page of a channel's link (`/c/{code}`, which
//! records the touch and keeps an anonymous visitor id in a cookie until the visitor logs in),
//! and the merchant console's campaigns — the list and a form, a campaign's channels with their
//! links and printable QR posters, its report by last or first touch, and the report as CSV.

use crate::desk::{ManagerPage, manager_page};
use crate::discover::{when, yuan};
use crate::page::{Nav, error_page, message, set_cookie};
use crate::wallet::benefit_text;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_api::extract::ClientIp;
use lokal_app::campaigns::{CampaignReport, CampaignView, Figures, channel_kind};
use lokal_core::campaign::{CampaignJson, ChannelJson, ChannelKind, Model};
use lokal_core::{CampaignId, CouponTemplateId, MerchantId, StoreId};

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
        Err(e) => return nav.refusal("Campaign", e),
    };
    let store = a.store.map(|(id, name)| (id.to_string(), name));
    let next = store.as_ref().map_or_else(|| "/me/coupons".to_owned(), |(id, _)| format!("/stores/{id}"));
    let page = Landing {
        nav: nav.clone(),
        code: a.channel.code.clone(),
        title: a.campaign.title.clone(),
        running: a.running,
        coupon: a.coupon.map(|t| (t.row.id.to_string(), t.row.title.clone(), benefit_text(&t.benefit))),
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
    /// Id, title, runs until, window days.
    campaigns: Vec<(String, String, String, i64)>,
}

async fn list(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let ManagerPage { me, merchant_id: m, name, stores } = match manager_page(&ctx, &nav, &id).await {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let campaigns = match ctx.app.campaigns(&me, Some(m)).await {
        Ok(l) => l.into_iter().map(|c| (c.id.to_string(), c.title, when(c.ends_at), c.window_days)).collect(),
        Err(e) => return error_page(e),
    };
    let now = ctx.app.now();
    let batches = match ctx.app.merchant_coupon_templates(&me, m).await {
        Ok(l) => l
            .into_iter()
            .filter(|t| t.claimable_at(now))
            .map(|t| (t.row.id.to_string(), format!("{} · {}", t.row.title, benefit_text(&t.benefit))))
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
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let Ok(m) = id.parse::<MerchantId>() else { return error_page(lokal_app::AppError::not_found("merchant")) };
    let refuse = |text: &str| nav.finish(message(StatusCode::UNPROCESSABLE_ENTITY, "Not started", text, nav.clone()));
    let store_id = match f.store.trim() {
        "" => None,
        s => match s.parse::<StoreId>() {
            Ok(s) => Some(s),
            Err(_) => return refuse("Choose one of your stores."),
        },
    };
    let coupon_batch_id = match f.batch.trim() {
        "" => None,
        s => match s.parse::<CouponTemplateId>() {
            Ok(b) => Some(b),
            Err(_) => return refuse("Choose one of your coupons."),
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
        Err(e) => nav.refusal("Not started", e),
    }
}

/// The campaign `cid` of merchant `mid` for the caller; 404 when the campaign is another
/// merchant's (or the platform's).
async fn owned(ctx: &Ctx, nav: &Nav, mid: &str, cid: &str) -> Result<(lokal_core::Principal, CampaignView), Response> {
    let Some(me) = nav.caller() else { return Err(Redirect::to("/login").into_response()) };
    let not_found = || nav.refusal("Campaign", lokal_app::AppError::not_found("campaign"));
    let (Ok(m), Ok(c)) = (mid.parse::<MerchantId>(), cid.parse::<CampaignId>()) else { return Err(not_found()) };
    let view = ctx.app.campaign(&me, c).await.map_err(|e| nav.refusal("Campaign", e))?;
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

fn kind_text(k: ChannelKind) -> &'static str {
    match k {
        ChannelKind::Link => "link",
        ChannelKind::Qr => "QR poster",
        ChannelKind::Promoter => "promoter",
        ChannelKind::Partner => "partner site",
    }
}

fn line(name: String, kind: &'static str, code: String, f: &Figures) -> Line {
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
        roi: f.roi.map_or_else(|| "–".to_owned(), |r| format!("{r:.1}×")),
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
    /// Order id, placed, channel name, status, total, discount, new or returning.
    orders: Vec<(String, String, String, String, String, String, &'static str)>,
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
        .map(|o| {
            (
                o.order_id.clone(),
                when(o.at),
                name_of(o.channel),
                o.status.clone(),
                yuan(o.total),
                yuan(o.discount),
                if o.new_customer { "new" } else { "returning" },
            )
        })
        .collect();
    let lines =
        r.channels.iter().map(|(c, f)| line(c.name.clone(), kind_text(channel_kind(c)), c.code.clone(), f)).collect();
    let page = ReportPage {
        nav: nav.clone(),
        merchant_id: mid,
        campaign_id: r.campaign.row.id.to_string(),
        title: r.campaign.row.title.clone(),
        runs: format!("{} – {}", when(r.campaign.row.starts_at), when(r.campaign.row.ends_at)),
        window_days: r.campaign.row.window_days,
        first: model == Model::First,
        total: line("All channels".into(), "", String::new(), &r.total),
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
    let Some(kind) = ChannelKind::parse(f.kind.trim()) else {
        return nav.finish(message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Not added",
            "Choose a kind of channel.",
            nav.clone(),
        ));
    };
    let cost = if f.cost.trim().is_empty() { Some(0) } else { crate::console::parse_yuan(&f.cost) };
    let Some(cost) = cost else {
        return nav.finish(message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Not added",
            "The cost must be yuan, like 30.",
            nav.clone(),
        ));
    };
    match ctx.app.add_channel(&me, view.row.id, ChannelJson { kind, name: f.name, cost }).await {
        Ok(_) => Redirect::to(&format!("/merchant/{mid}/campaigns/{cid}")).into_response(),
        Err(e) => nav.refusal("Not added", e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "campaign_poster.html")]
pub(crate) struct Poster {
    pub(crate) headline: &'static str,
    pub(crate) title: String,
    pub(crate) offer: String,
    pub(crate) channel: String,
    pub(crate) url: String,
    pub(crate) qr_svg: String,
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
        return nav.refusal("Poster", lokal_app::AppError::not_found("channel"));
    };
    let offer = match view.row.coupon_template_id {
        Some(t) => ctx.app.coupon_template(t).await.map(|t| benefit_text(&t.benefit)).unwrap_or_default(),
        None => String::new(),
    };
    let url = crate::page::site_url(&headers, &format!("/c/{}", ch.code));
    let qr_svg = crate::page::qr_svg(&url, 240);
    Poster {
        headline: "扫码领券 · Scan for your coupon",
        title: view.row.title,
        offer,
        channel: ch.name.clone(),
        url,
        qr_svg,
    }
    .into_response()
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
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        body,
    )
        .into_response()
}
