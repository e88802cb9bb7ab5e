//! Coupons: batches by merchants and the platform, claiming, "my coupons".

use crate::Ctx;
use crate::error::ApiResult;
use crate::extract::{Caller, Json, Path};
use crate::routes::ListJson;
use axum::extract::State;
use axum::http::StatusCode;
use lokal_app::coupons::{CouponView, TemplateView};
use lokal_core::coupon::CouponStatus;
use lokal_core::coupon::CouponTemplateJson;
use lokal_core::promo::Benefit;
use lokal_core::{CouponId, CouponTemplateId, MerchantId, StoreId, Timestamp};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(create_merchant_coupons, merchant_coupons))
        .routes(routes!(create_platform_coupons, platform_coupons))
        .routes(routes!(get_coupon_batch))
        .routes(routes!(coupon_centre))
        .routes(routes!(claim))
        .routes(routes!(my_coupons))
        .routes(routes!(create_promotion, merchant_promotions))
}

/// A store promotion.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PromotionOut {
    /// The id.
    pub id: lokal_core::PromotionId,
    /// The merchant (who funds it).
    pub merchant_id: MerchantId,
    /// One store, or all of the merchant's.
    pub store_id: Option<StoreId>,
    /// Title.
    pub title: String,
    /// What it gives.
    pub benefit: Benefit,
    /// First orders only.
    pub first_order: bool,
    /// Starts.
    pub starts_at: Timestamp,
    /// Ends.
    pub ends_at: Timestamp,
}

fn promotion_out(p: lokal_store::promotions::PromotionRow) -> Result<PromotionOut, crate::error::ApiError> {
    let benefit = serde_json::from_str(&p.benefit_json).map_err(lokal_app::AppError::internal)?;
    Ok(PromotionOut {
        id: p.id,
        merchant_id: p.merchant_id,
        store_id: p.store_id,
        title: p.title,
        benefit,
        first_order: p.first_order,
        starts_at: p.starts_at,
        ends_at: p.ends_at,
    })
}

/// Start a store promotion — an item discount, a spend-and-save tier or a first-order discount
/// every consumer gets without a coupon, funded by the merchant, at one store or all (not free
/// delivery). Merchant-wide managers and owners.
#[utoipa::path(post, path = "/api/v1/merchants/{merchant_id}/promotions", tag = "coupons", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    request_body = lokal_core::coupon::PromotionJson, security(("bearer" = [])), responses((status = 201, body = PromotionOut)))]
async fn create_promotion(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<MerchantId>,
    Json(b): Json<lokal_core::coupon::PromotionJson>,
) -> ApiResult<(StatusCode, Json<PromotionOut>)> {
    let p = ctx.app.create_promotion(&caller, id, b).await?;
    Ok((StatusCode::CREATED, Json(promotion_out(p)?)))
}

/// The merchant's promotions, newest first. Merchant-wide staff.
#[utoipa::path(get, path = "/api/v1/merchants/{merchant_id}/promotions", tag = "coupons", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    security(("bearer" = [])), responses((status = 200, body = ListJson<PromotionOut>)))]
async fn merchant_promotions(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<MerchantId>,
) -> ApiResult<Json<ListJson<PromotionOut>>> {
    let items =
        ctx.app.merchant_promotions(&caller, id).await?.into_iter().map(promotion_out).collect::<Result<_, _>>()?;
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// A coupon batch.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CouponBatchOut {
    /// The id.
    pub id: CouponTemplateId,
    /// `platform` or `merchant`.
    pub issuer: String,
    /// The issuing merchant.
    pub merchant_id: Option<MerchantId>,
    /// Title.
    pub title: String,
    /// What a coupon gives.
    pub benefit: Benefit,
    /// Who pays the discount: `platform` or `merchant`.
    pub funded_by: String,
    /// First orders only.
    pub new_customers_only: bool,
    /// Claiming opens.
    pub claim_from: Timestamp,
    /// Claiming closes.
    pub claim_until: Timestamp,
    /// Coupons usable until (fixed) …
    pub valid_until: Option<Timestamp>,
    /// … or for this many days after claiming.
    pub valid_days: Option<i64>,
    /// Coupons in the batch.
    pub quantity: i64,
    /// Not yet claimed.
    pub quantity_left: i64,
    /// Per person.
    pub per_user_limit: i64,
    /// Total discount budget, minor units.
    pub budget: Option<i64>,
    /// Stores where coupons are valid (empty: all of the merchant's, or every store).
    pub store_ids: Vec<StoreId>,
    /// Can be claimed now (quantity aside).
    pub claimable: bool,
}

fn batch_out(t: TemplateView, now: Timestamp) -> CouponBatchOut {
    let claimable = t.claimable_at(now);
    let r = t.row;
    CouponBatchOut {
        id: r.id,
        funded_by: r.issuer.clone(),
        issuer: r.issuer,
        merchant_id: r.merchant_id,
        title: r.title,
        benefit: t.benefit,
        new_customers_only: r.new_customers_only,
        claim_from: r.claim_from,
        claim_until: r.claim_until,
        valid_until: r.valid_until,
        valid_days: r.valid_days,
        quantity: r.quantity,
        quantity_left: r.quantity_left,
        per_user_limit: r.per_user_limit,
        budget: r.budget,
        store_ids: t.store_ids,
        claimable,
    }
}

/// A claimed coupon.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CouponOut {
    /// The id.
    pub id: CouponId,
    /// `unused`, `used` or `void`; an unused coupon past `expires_at` is shown as `expired`.
    pub status: String,
    /// Claimed.
    pub claimed_at: Timestamp,
    /// Expires.
    pub expires_at: Timestamp,
    /// The channel that brought the claim.
    pub channel: Option<String>,
    /// Its batch.
    pub batch: CouponBatchOut,
}

pub(crate) fn coupon_out(c: CouponView, now: Timestamp) -> CouponOut {
    let status = if c.coupon.status == CouponStatus::Unused && c.coupon.expires_at <= now {
        "expired".to_owned()
    } else {
        c.coupon.status.to_string()
    };
    CouponOut {
        id: c.coupon.id,
        status,
        claimed_at: c.coupon.claimed_at,
        expires_at: c.coupon.expires_at,
        channel: c.coupon.channel,
        batch: batch_out(c.template, now),
    }
}

/// Issue a batch of the merchant's coupons (funded by the merchant), valid at some or all of its
/// stores. Merchant-wide managers and owners.
#[utoipa::path(post, path = "/api/v1/merchants/{merchant_id}/coupon-batches", tag = "coupons", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    request_body = CouponTemplateJson, security(("bearer" = [])), responses((status = 201, body = CouponBatchOut)))]
async fn create_merchant_coupons(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<MerchantId>,
    Json(b): Json<CouponTemplateJson>,
) -> ApiResult<(StatusCode, Json<CouponBatchOut>)> {
    let t = ctx.app.create_merchant_coupons(&caller, id, b).await?;
    Ok((StatusCode::CREATED, Json(batch_out(t, ctx.app.now()))))
}

/// The merchant's coupon batches, newest first. Merchant-wide staff.
#[utoipa::path(get, path = "/api/v1/merchants/{merchant_id}/coupon-batches", tag = "coupons", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    security(("bearer" = [])), responses((status = 200, body = ListJson<CouponBatchOut>)))]
async fn merchant_coupons(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<MerchantId>,
) -> ApiResult<Json<ListJson<CouponBatchOut>>> {
    let now = ctx.app.now();
    let items = ctx.app.merchant_coupon_templates(&caller, id).await?.into_iter().map(|t| batch_out(t, now)).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// Issue a batch of platform coupons (funded by the platform), valid at every store. Operators.
#[utoipa::path(post, path = "/api/v1/admin/coupon-batches", tag = "coupons",
    request_body = CouponTemplateJson, security(("bearer" = [])), responses((status = 201, body = CouponBatchOut)))]
async fn create_platform_coupons(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Json(b): Json<CouponTemplateJson>,
) -> ApiResult<(StatusCode, Json<CouponBatchOut>)> {
    let t = ctx.app.create_platform_coupons(&caller, b).await?;
    Ok((StatusCode::CREATED, Json(batch_out(t, ctx.app.now()))))
}

/// The platform's coupon batches, newest first. Operators.
#[utoipa::path(get, path = "/api/v1/admin/coupon-batches", tag = "coupons",
    security(("bearer" = [])), responses((status = 200, body = ListJson<CouponBatchOut>)))]
async fn platform_coupons(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
) -> ApiResult<Json<ListJson<CouponBatchOut>>> {
    let now = ctx.app.now();
    let items = ctx.app.platform_coupon_templates(&caller).await?.into_iter().map(|t| batch_out(t, now)).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// A coupon batch (for a campaign link or a store page). No login needed.
#[utoipa::path(get, path = "/api/v1/coupon-batches/{batch_id}", tag = "coupons", params(("batch_id" = CouponTemplateId, Path, description = "The batch")),
    responses((status = 200, body = CouponBatchOut)))]
async fn get_coupon_batch(State(ctx): State<Ctx>, Path(id): Path<CouponTemplateId>) -> ApiResult<Json<CouponBatchOut>> {
    Ok(Json(batch_out(ctx.app.coupon_template(id).await?, ctx.app.now())))
}

/// A claim.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimBody {
    /// Where the consumer came from (a campaign link, a poster, a store page), up to 64 characters.
    #[serde(default)]
    pub channel: String,
}

/// Claim one coupon of a batch. Refused with `not_claimable`, `claim_limit_reached` or
/// `coupons_gone` (nothing is taken then); the batch's quantity holds under any number of
/// concurrent claims.
#[utoipa::path(post, path = "/api/v1/coupon-batches/{batch_id}/claims", tag = "coupons", params(("batch_id" = CouponTemplateId, Path, description = "The batch")),
    request_body = ClaimBody, security(("bearer" = [])), responses((status = 201, body = CouponOut)))]
async fn claim(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<CouponTemplateId>,
    Json(b): Json<ClaimBody>,
) -> ApiResult<(StatusCode, Json<CouponOut>)> {
    let c = ctx.app.claim_coupon(&caller, id, &b.channel).await?;
    Ok((StatusCode::CREATED, Json(coupon_out(c, ctx.app.now()))))
}

/// The caller's coupons, newest first ("my coupons").
#[utoipa::path(get, path = "/api/v1/me/coupons", tag = "coupons",
    security(("bearer" = [])), responses((status = 200, body = ListJson<CouponOut>)))]
async fn my_coupons(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<Json<ListJson<CouponOut>>> {
    let now = ctx.app.now();
    let items = ctx.app.my_coupons(&caller).await?.into_iter().map(|c| coupon_out(c, now)).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// The coupon centre: every batch open for claiming now with coupons left — the platform's
/// first, then the merchants', newest first (at most 200). Anyone.
#[utoipa::path(get, path = "/api/v1/coupon-centre", tag = "coupons", responses((status = 200, body = ListJson<CouponBatchOut>)))]
async fn coupon_centre(State(ctx): State<Ctx>) -> ApiResult<Json<ListJson<CouponBatchOut>>> {
    let now = ctx.app.now();
    let items = ctx.app.coupon_centre().await?.into_iter().map(|(t, _)| batch_out(t, now)).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}
