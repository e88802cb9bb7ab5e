//! Campaigns: channels with public links, touches from apps, and reports.

use crate::Ctx;
use crate::error::ApiResult;
use crate::extract::{Caller, ClientIp, Json, Path, Query};
use crate::routes::ListJson;
use axum::extract::State;
use axum::http::StatusCode;
use lokal_app::campaigns::{CampaignReport, CampaignView, Figures};
use lokal_core::campaign::{CampaignJson, ChannelJson, ChannelKind, Model};
use lokal_core::{CampaignId, ChannelId, CouponTemplateId, MerchantId, StoreId, Timestamp};
use lokal_store::campaigns::{CampaignRow, ChannelRow};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(create_merchant_campaign, merchant_campaigns))
        .routes(routes!(create_platform_campaign, platform_campaigns))
        .routes(routes!(get_campaign))
        .routes(routes!(add_channel))
        .routes(routes!(report))
        .routes(routes!(touch))
}

/// A campaign.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CampaignOut {
    /// The id.
    pub id: CampaignId,
    /// The merchant running it (none: the platform).
    pub merchant_id: Option<MerchantId>,
    /// Title.
    pub title: String,
    /// The landing store.
    pub store_id: Option<StoreId>,
    /// The coupon batch offered on the landing page.
    pub coupon_batch_id: Option<CouponTemplateId>,
    /// Starts.
    pub starts_at: Timestamp,
    /// Ends.
    pub ends_at: Timestamp,
    /// Attribution window, days.
    pub window_days: i64,
    /// Channels (in a campaign's own document; empty in lists).
    pub channels: Vec<ChannelOut>,
}

/// A channel.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ChannelOut {
    /// The id.
    pub id: ChannelId,
    /// Link, QR poster, promoter code or partner site.
    pub kind: ChannelKind,
    /// Name.
    pub name: String,
    /// The public code.
    pub code: String,
    /// The link to share or print (`/c/{code}` on this site).
    pub path: String,
    /// What it costs, minor units.
    pub cost: i64,
}

fn channel_out(c: ChannelRow) -> ChannelOut {
    ChannelOut { id: c.id, kind: c.kind, path: format!("/c/{}", c.code), name: c.name, code: c.code, cost: c.cost }
}

fn campaign_out(c: CampaignRow, channels: Vec<ChannelRow>) -> CampaignOut {
    CampaignOut {
        id: c.id,
        merchant_id: c.merchant_id,
        title: c.title,
        store_id: c.store_id,
        coupon_batch_id: c.coupon_template_id,
        starts_at: c.starts_at,
        ends_at: c.ends_at,
        window_days: c.window_days,
        channels: channels.into_iter().map(channel_out).collect(),
    }
}

fn view_out(v: CampaignView) -> CampaignOut {
    campaign_out(v.row, v.channels)
}

/// Start a merchant's campaign (landing store and coupon batch optional, the merchant's own).
/// Merchant-wide managers and owners.
#[utoipa::path(post, path = "/api/v1/merchants/{merchant_id}/campaigns", tag = "campaigns", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    request_body = CampaignJson, security(("bearer" = [])), responses((status = 201, body = CampaignOut)))]
async fn create_merchant_campaign(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<MerchantId>,
    Json(b): Json<CampaignJson>,
) -> ApiResult<(StatusCode, Json<CampaignOut>)> {
    let c = ctx.app.create_campaign(&caller, Some(id), b).await?;
    Ok((StatusCode::CREATED, Json(campaign_out(c, Vec::new()))))
}

/// The merchant's campaigns, newest first. Merchant-wide staff.
#[utoipa::path(get, path = "/api/v1/merchants/{merchant_id}/campaigns", tag = "campaigns", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    security(("bearer" = [])), responses((status = 200, body = ListJson<CampaignOut>)))]
async fn merchant_campaigns(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<MerchantId>,
) -> ApiResult<Json<ListJson<CampaignOut>>> {
    let items = ctx.app.campaigns(&caller, Some(id)).await?.into_iter().map(|c| campaign_out(c, Vec::new())).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// Start a platform campaign (a platform coupon batch, any store). Operators.
#[utoipa::path(post, path = "/api/v1/admin/campaigns", tag = "campaigns", request_body = CampaignJson,
    security(("bearer" = [])), responses((status = 201, body = CampaignOut)))]
async fn create_platform_campaign(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Json(b): Json<CampaignJson>,
) -> ApiResult<(StatusCode, Json<CampaignOut>)> {
    let c = ctx.app.create_campaign(&caller, None, b).await?;
    Ok((StatusCode::CREATED, Json(campaign_out(c, Vec::new()))))
}

/// The platform's campaigns, newest first. Operators.
#[utoipa::path(get, path = "/api/v1/admin/campaigns", tag = "campaigns", security(("bearer" = [])),
    responses((status = 200, body = ListJson<CampaignOut>)))]
async fn platform_campaigns(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
) -> ApiResult<Json<ListJson<CampaignOut>>> {
    let items = ctx.app.campaigns(&caller, None).await?.into_iter().map(|c| campaign_out(c, Vec::new())).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// A campaign with its channels. Its merchant's merchant-wide staff, or operators; anyone else
/// gets 404.
#[utoipa::path(get, path = "/api/v1/campaigns/{campaign_id}", tag = "campaigns", params(("campaign_id" = CampaignId, Path, description = "The campaign")),
    security(("bearer" = [])), responses((status = 200, body = CampaignOut)))]
async fn get_campaign(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<CampaignId>,
) -> ApiResult<Json<CampaignOut>> {
    Ok(Json(view_out(ctx.app.campaign(&caller, id).await?)))
}

/// Add a channel — a tracking link, a QR poster, a promoter code or a partner site — with a
/// fresh public code. Managers and owners (operators for platform campaigns).
#[utoipa::path(post, path = "/api/v1/campaigns/{campaign_id}/channels", tag = "campaigns", params(("campaign_id" = CampaignId, Path, description = "The campaign")),
    request_body = ChannelJson, security(("bearer" = [])), responses((status = 201, body = ChannelOut)))]
async fn add_channel(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<CampaignId>,
    Json(b): Json<ChannelJson>,
) -> ApiResult<(StatusCode, Json<ChannelOut>)> {
    let c = ctx.app.add_channel(&caller, id, b).await?;
    Ok((StatusCode::CREATED, Json(channel_out(c))))
}

/// Which touch a report credits.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ReportQuery {
    /// `last` (default) or `first`.
    pub model: Option<Model>,
}

/// What a channel or the campaign brought.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct FiguresOut {
    /// Arrivals (one per visitor and channel per half hour).
    pub visits: i64,
    /// Distinct visitors.
    pub reach: i64,
    /// Accounts created.
    pub signups: i64,
    /// Coupons claimed.
    pub claims: i64,
    /// Orders placed.
    pub orders_placed: i64,
    /// Orders paid and not cancelled or rejected.
    pub orders: i64,
    /// Paid less refunded, minor units.
    pub gmv: i64,
    /// Discounts funded by the campaign's owner.
    pub discounts: i64,
    /// Discounts funded by the other party.
    pub other_discounts: i64,
    /// Channel costs.
    pub fees: i64,
    /// Discounts plus fees.
    pub spend: i64,
    /// Vouchers redeemed.
    pub redemptions: i64,
    /// Their value.
    pub redeemed_value: i64,
    /// New customers.
    pub new_customers: i64,
    /// Returning customers.
    pub returning_customers: i64,
    /// Spend per new customer, minor units.
    pub cac: Option<i64>,
    /// GMV divided by spend.
    pub roi: Option<f64>,
}

fn figures_out(f: Figures) -> FiguresOut {
    FiguresOut {
        visits: f.visits,
        reach: f.reach,
        signups: f.signups,
        claims: f.claims,
        orders_placed: f.orders_placed,
        orders: f.orders,
        gmv: f.gmv,
        discounts: f.discounts,
        other_discounts: f.other_discounts,
        fees: f.fees,
        spend: f.spend,
        redemptions: f.redemptions,
        redeemed_value: f.redeemed_value,
        new_customers: f.new_customers,
        returning_customers: f.returning_customers,
        cac: f.cac,
        roi: f.roi,
    }
}

/// One channel's line of a report.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ChannelFiguresOut {
    /// The channel.
    pub channel: ChannelOut,
    /// What it brought.
    pub figures: FiguresOut,
}

/// A credited order.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CreditedOrderOut {
    /// The order.
    pub order_id: String,
    /// The channel credited.
    pub channel_id: ChannelId,
    /// Placed.
    pub placed_at: Timestamp,
    /// Status now.
    pub status: String,
    /// Total, minor units.
    pub total: i64,
    /// Every discount on it.
    pub discount: i64,
    /// Refunded so far.
    pub refunded: i64,
    /// The customer's first paid order (at the merchant; anywhere for a platform campaign).
    pub new_customer: bool,
}

/// A campaign's report.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ReportOut {
    /// The campaign.
    pub campaign: CampaignOut,
    /// The model credited.
    pub model: Model,
    /// The whole campaign.
    pub total: FiguresOut,
    /// Per channel.
    pub channels: Vec<ChannelFiguresOut>,
    /// Credited orders, newest first.
    pub orders: Vec<CreditedOrderOut>,
}

/// Build a report's document (also the CSV pages' source).
pub fn report_out(r: CampaignReport) -> ReportOut {
    ReportOut {
        campaign: view_out(r.campaign),
        model: r.model,
        total: figures_out(r.total),
        channels: r
            .channels
            .into_iter()
            .map(|(c, f)| ChannelFiguresOut { channel: channel_out(c), figures: figures_out(f) })
            .collect(),
        orders: r
            .orders
            .into_iter()
            .map(|o| CreditedOrderOut {
                order_id: o.order_id,
                channel_id: o.channel,
                placed_at: o.at,
                status: o.status.to_string(),
                total: o.total,
                discount: o.discount,
                refunded: o.refunded,
                new_customer: o.new_customer,
            })
            .collect(),
    }
}

/// A campaign's report: per channel and in total, the visits, reach, sign-ups, claims, orders,
/// GMV (paid less refunded), discounts, fees, spend, redemptions, new and returning customers,
/// cost per acquired customer and ROI, with the credited orders — from the recorded touches,
/// orders, refunds and redemptions as they stand. Who may see the campaign.
#[utoipa::path(get, path = "/api/v1/campaigns/{campaign_id}/report", tag = "campaigns", params(("campaign_id" = CampaignId, Path, description = "The campaign"), ReportQuery),
    security(("bearer" = [])), responses((status = 200, body = ReportOut)))]
async fn report(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<CampaignId>,
    Query(q): Query<ReportQuery>,
) -> ApiResult<Json<ReportOut>> {
    let r = ctx.app.campaign_report(&caller, id, q.model.unwrap_or_default()).await?;
    Ok(Json(report_out(r)))
}

/// A channel's code, opened in an app.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TouchJson {
    /// The channel's public code (the last part of its `/c/{code}` link).
    pub code: String,
}

/// What the campaign link leads to.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct TouchOut {
    /// The campaign.
    pub campaign_id: CampaignId,
    /// Its title.
    pub title: String,
    /// Whether it is running (a touch is recorded only then).
    pub running: bool,
    /// The landing store.
    pub store_id: Option<StoreId>,
    /// The coupon batch offered, if it can be claimed now.
    pub coupon_batch_id: Option<CouponTemplateId>,
}

/// The signed-in consumer opened a campaign link in an app: records the touch (the web's
/// `/c/{code}` does the same for browsers) and says where it leads.
#[utoipa::path(post, path = "/api/v1/touches", tag = "campaigns", request_body = TouchJson,
    security(("bearer" = [])), responses((status = 200, body = TouchOut)))]
async fn touch(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    ClientIp(ip): ClientIp,
    Json(b): Json<TouchJson>,
) -> ApiResult<Json<TouchOut>> {
    let client = ip.map(|i| i.to_string()).unwrap_or_default();
    let a = ctx.app.touch(&caller, &b.code, &client).await?;
    Ok(Json(TouchOut {
        campaign_id: a.campaign.id,
        title: a.campaign.title,
        running: a.running,
        store_id: a.store.map(|s| s.0),
        coupon_batch_id: a.coupon.map(|c| c.row.id),
    }))
}

const FIGURE_COLUMNS: &str = "visits,reach,signups,claims,orders_placed,orders,gmv_cny,discounts_cny,\
    other_discounts_cny,fees_cny,spend_cny,redemptions,redeemed_value_cny,new_customers,returning_customers,cac_cny,roi";

fn figure_fields(f: &Figures) -> String {
    use crate::csv::amount;
    format!(
        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
        f.visits,
        f.reach,
        f.signups,
        f.claims,
        f.orders_placed,
        f.orders,
        amount(f.gmv),
        amount(f.discounts),
        amount(f.other_discounts),
        amount(f.fees),
        amount(f.spend),
        f.redemptions,
        amount(f.redeemed_value),
        f.new_customers,
        f.returning_customers,
        f.cac.map(amount).unwrap_or_default(),
        f.roi.map(|r| format!("{r:.2}")).unwrap_or_default(),
    )
}

/// A report's channel table as CSV: one line per channel, then the campaign's total.
pub fn channels_csv(r: &CampaignReport) -> String {
    use crate::csv::field;
    let mut out = format!("channel,kind,code,{FIGURE_COLUMNS}\n");
    for (c, f) in &r.channels {
        out.push_str(&format!(
            "{},{},{},{}\n",
            field(&c.name),
            field(c.kind.as_str()),
            field(&c.code),
            figure_fields(f)
        ));
    }
    out.push_str(&format!("all channels,,,{}\n", figure_fields(&r.total)));
    out
}

/// A report's credited orders as CSV.
pub fn orders_csv(r: &CampaignReport) -> String {
    use crate::csv::{amount, field};
    let mut out =
        String::from("order_id,placed_at,channel,channel_code,status,total_cny,discount_cny,refunded_cny,customer\n");
    for o in &r.orders {
        let ch = r.channels.iter().find(|(c, _)| c.id == o.channel).map(|(c, _)| c);
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\n",
            field(&o.order_id),
            o.at.to_rfc3339(),
            field(ch.map_or("", |c| c.name.as_str())),
            field(ch.map_or("", |c| c.code.as_str())),
            field(&o.status),
            amount(o.total),
            amount(o.discount),
            amount(o.refunded),
            if o.new_customer { "new" } else { "returning" },
        ));
    }
    out
}
