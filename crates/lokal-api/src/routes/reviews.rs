//! Reviews: writing, listing, replies, follow-ups, votes, reports and moderation.

use crate::Ctx;
use crate::error::ApiResult;
use crate::extract::{Caller, Json, Path, Query};
use crate::routes::ListJson;
use axum::extract::State;
use axum::http::StatusCode;
use lokal_app::reviews::ReviewView;
use lokal_core::review::ReviewJson;
use lokal_core::review::ReviewVisibility;
use lokal_core::{StoreId, Timestamp};
use std::collections::BTreeMap;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(write_review))
        .routes(routes!(store_reviews))
        .routes(routes!(my_reviews))
        .routes(routes!(reply))
        .routes(routes!(follow_up))
        .routes(routes!(vote))
        .routes(routes!(report))
        .routes(routes!(reported))
        .routes(routes!(moderate))
}

/// A review.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ReviewOut {
    /// The id.
    pub id: String,
    /// The store.
    pub store_id: StoreId,
    /// The author's name.
    pub author: String,
    /// Overall stars.
    pub rating: i64,
    /// Stars per dimension.
    pub dimensions: BTreeMap<String, u8>,
    /// Words.
    pub text: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Photo URLs.
    pub photos: Vec<String>,
    /// Spend per person, minor units.
    pub avg_spend: Option<i64>,
    /// Helpful votes.
    pub helpful: i64,
    /// `visible`, or `hidden` (only its author sees it, with the reason).
    pub status: String,
    /// Why it was hidden.
    pub hidden_reason: Option<String>,
    /// The merchant's reply.
    pub reply: Option<String>,
    /// The author's follow-up.
    pub follow_up: Option<String>,
    /// Written.
    pub created_at: Timestamp,
}

/// The review's document.
pub fn review_out(v: ReviewView) -> ReviewOut {
    let r = v.row;
    ReviewOut {
        id: r.id,
        store_id: r.store_id,
        author: v.author,
        rating: r.rating,
        dimensions: v.dimensions,
        text: r.body,
        tags: v.tags,
        photos: v.photos,
        avg_spend: r.avg_spend,
        helpful: r.helpful,
        hidden_reason: (r.status == ReviewVisibility::Hidden).then_some(r.hidden_reason),
        status: r.status.to_string(),
        reply: r.reply_at.map(|_| r.reply),
        follow_up: r.follow_up_at.map(|_| r.follow_up),
        created_at: r.created_at,
    }
}

/// Review what you consumed — a completed menu order or bill (`order_id`) or a redeemed voucher
/// (`voucher_id`) — once, within 30 days; rate a delivery's rider with `rider`. 409
/// `not_reviewable` or `already_reviewed` otherwise. At most 10 reviews an hour.
#[utoipa::path(post, path = "/api/v1/reviews", tag = "reviews", request_body = ReviewJson,
    security(("bearer" = [])), responses((status = 201, body = ReviewOut)))]
async fn write_review(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Json(b): Json<ReviewJson>,
) -> ApiResult<(StatusCode, Json<ReviewOut>)> {
    Ok((StatusCode::CREATED, Json(review_out(ctx.app.write_review(&caller, b).await?))))
}

/// How to list a store's reviews.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewQuery {
    /// `newest` (default), `helpful` or `photos` (only those with photos).
    pub sort: Option<String>,
    /// Skip this many (pages of 20).
    pub offset: Option<i64>,
}

/// A store's reviews (visible ones), 20 at a time.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/reviews", tag = "reviews", params(("store_id" = StoreId, Path, description = "The store"), ReviewQuery),
    responses((status = 200, body = ListJson<ReviewOut>)))]
async fn store_reviews(
    State(ctx): State<Ctx>,
    Path(id): Path<StoreId>,
    Query(q): Query<ReviewQuery>,
) -> ApiResult<Json<ListJson<ReviewOut>>> {
    let list =
        ctx.app.store_reviews(id, q.sort.as_deref().unwrap_or(""), q.offset.unwrap_or(0).clamp(0, 100_000)).await?;
    Ok(Json(ListJson { items: list.into_iter().map(review_out).collect(), next_cursor: None }))
}

/// Your reviews, hidden ones included with the reason.
#[utoipa::path(get, path = "/api/v1/me/reviews", tag = "reviews", security(("bearer" = [])),
    responses((status = 200, body = ListJson<ReviewOut>)))]
async fn my_reviews(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<Json<ListJson<ReviewOut>>> {
    let list = ctx.app.my_reviews(&caller).await?;
    Ok(Json(ListJson { items: list.into_iter().map(review_out).collect(), next_cursor: None }))
}

/// Words sent with a reply, follow-up, report or moderation.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextJson {
    /// The words (a reason, for reports and moderation).
    #[serde(default)]
    pub text: String,
}

/// The store's public reply, once. Staff of the reviewed store.
#[utoipa::path(post, path = "/api/v1/reviews/{review_id}/reply", tag = "reviews", params(("review_id" = String, Path, description = "The review")),
    request_body = TextJson, security(("bearer" = [])), responses((status = 200, body = ReviewOut)))]
async fn reply(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<String>,
    Json(b): Json<TextJson>,
) -> ApiResult<Json<ReviewOut>> {
    Ok(Json(review_out(ctx.app.reply_to_review(&caller, &id, &b.text).await?)))
}

/// The author's follow-up, once.
#[utoipa::path(post, path = "/api/v1/reviews/{review_id}/follow-up", tag = "reviews", params(("review_id" = String, Path, description = "The review")),
    request_body = TextJson, security(("bearer" = [])), responses((status = 200, body = ReviewOut)))]
async fn follow_up(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<String>,
    Json(b): Json<TextJson>,
) -> ApiResult<Json<ReviewOut>> {
    Ok(Json(review_out(ctx.app.follow_up_review(&caller, &id, &b.text).await?)))
}

/// Mark a review helpful, once (not your own).
#[utoipa::path(post, path = "/api/v1/reviews/{review_id}/helpful", tag = "reviews", params(("review_id" = String, Path, description = "The review")),
    security(("bearer" = [])), responses((status = 200, body = ReviewOut)))]
async fn vote(State(ctx): State<Ctx>, Caller(caller, _): Caller, Path(id): Path<String>) -> ApiResult<Json<ReviewOut>> {
    Ok(Json(review_out(ctx.app.vote_review(&caller, &id).await?)))
}

/// Report a review to the operators, once, with a reason.
#[utoipa::path(post, path = "/api/v1/reviews/{review_id}/reports", tag = "reviews", params(("review_id" = String, Path, description = "The review")),
    request_body = TextJson, security(("bearer" = [])), responses((status = 204)))]
async fn report(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<String>,
    Json(b): Json<TextJson>,
) -> ApiResult<StatusCode> {
    ctx.app.report_review(&caller, &id, &b.text).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A reported review in the operators' queue.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ReportedOut {
    /// The review.
    pub review: ReviewOut,
    /// Reports.
    pub reports: i64,
    /// The latest reason.
    pub reason: String,
}

/// Reported reviews, most reported first. Operators.
#[utoipa::path(get, path = "/api/v1/admin/review-reports", tag = "reviews", security(("bearer" = [])),
    responses((status = 200, body = ListJson<ReportedOut>)))]
async fn reported(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<Json<ListJson<ReportedOut>>> {
    let items = ctx
        .app
        .reported_reviews(&caller)
        .await?
        .into_iter()
        .map(|(v, reports, reason)| ReportedOut { review: review_out(v), reports, reason })
        .collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// Hide a review (with the reason its author sees) or show it again.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModerationJson {
    /// `true` hides, `false` shows again.
    pub hide: bool,
    /// Why (required to hide).
    #[serde(default)]
    pub reason: String,
}

/// Hide or show a review; the store's rating follows. Operators.
#[utoipa::path(post, path = "/api/v1/admin/reviews/{review_id}/moderation", tag = "reviews", params(("review_id" = String, Path, description = "The review")),
    request_body = ModerationJson, security(("bearer" = [])), responses((status = 200, body = ReviewOut)))]
async fn moderate(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<String>,
    Json(b): Json<ModerationJson>,
) -> ApiResult<Json<ReviewOut>> {
    Ok(Json(review_out(ctx.app.moderate_review(&caller, &id, b.hide, &b.reason).await?)))
}
