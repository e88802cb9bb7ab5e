//! Merchant applications: apply, follow the status, and the operators' queue.

use crate::Ctx;
use crate::error::ApiResult;
use crate::extract::{Caller, Json, Path, Query};
use crate::routes::ListJson;
use crate::routes::stores::StoreJson;
use axum::extract::State;
use axum::http::StatusCode;
use lokal_app::applications::{Application, ApplicationJson};
use lokal_app::page::PageRequest;
use lokal_core::{MerchantId, Timestamp, UserId};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(apply, mine))
        .routes(routes!(queue))
        .routes(routes!(approve))
        .routes(routes!(reject))
}

/// An application and its status.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ApplicationOut {
    /// The id.
    pub id: uuid::Uuid,
    /// Who applied.
    pub applicant_id: UserId,
    /// The business name.
    pub business_name: String,
    /// The licence number (upper-cased).
    pub licence_number: String,
    /// The main category.
    pub category: String,
    /// Contact person.
    pub contact_name: String,
    /// Contact phone (E.164).
    pub contact_phone: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    /// Why it was rejected.
    pub reason: Option<String>,
    /// The merchant created on approval.
    pub merchant_id: Option<MerchantId>,
    /// When it was filed.
    pub created_at: Timestamp,
    /// When it was decided.
    pub decided_at: Option<Timestamp>,
}

fn out(a: Application) -> ApplicationOut {
    ApplicationOut {
        id: a.id.parse().unwrap_or_default(),
        applicant_id: a.applicant_id,
        business_name: a.business_name,
        licence_number: a.licence_number,
        category: a.category,
        contact_name: a.contact_name,
        contact_phone: a.contact_phone,
        status: a.status.to_string(),
        reason: a.reason,
        merchant_id: a.merchant_id,
        created_at: a.created_at,
        decided_at: a.decided_at,
    }
}

/// Apply to join as a merchant. Any logged-in account; the applicant becomes the owner on approval.
#[utoipa::path(post, path = "/api/v1/merchant-applications", tag = "merchants", request_body = ApplicationJson, security(("bearer" = [])), responses((status = 201, body = ApplicationOut)))]
async fn apply(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Json(b): Json<ApplicationJson>,
) -> ApiResult<(StatusCode, Json<ApplicationOut>)> {
    Ok((StatusCode::CREATED, Json(out(ctx.app.apply_for_merchant(&caller, b).await?))))
}

/// The caller's own applications and their status.
#[utoipa::path(get, path = "/api/v1/merchant-applications", tag = "merchants", security(("bearer" = [])), responses((status = 200, body = ListJson<ApplicationOut>)))]
async fn mine(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<Json<ListJson<ApplicationOut>>> {
    let items = ctx.app.my_applications(&caller).await?.into_iter().map(out).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// Queue filter.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// `pending`, `approved` or `rejected`; all when absent.
    pub status: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

/// The operators' queue of applications, oldest first.
#[utoipa::path(get, path = "/api/v1/admin/merchant-applications", tag = "admin", params(QueueQuery), security(("bearer" = [])), responses((status = 200, body = ListJson<ApplicationOut>)))]
async fn queue(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Query(q): Query<QueueQuery>,
) -> ApiResult<Json<ListJson<ApplicationOut>>> {
    let page = PageRequest::parse(q.cursor.as_deref(), q.limit)?;
    let status = q.status.as_deref().filter(|s| !s.is_empty());
    let page = ctx.app.applications(&caller, status, page).await?;
    Ok(Json(ListJson { items: page.items.into_iter().map(out).collect(), next_cursor: page.next_cursor }))
}

/// The outcome of an approval.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ApprovalOut {
    /// The application, now approved.
    pub application: ApplicationOut,
    /// The new merchant.
    pub merchant_id: MerchantId,
    /// Its first store.
    pub store: StoreJson,
}

/// Approve: creates the merchant, makes the applicant its owner and opens the first store.
#[utoipa::path(post, path = "/api/v1/admin/merchant-applications/{application_id}/approve", tag = "admin",
    params(("application_id" = uuid::Uuid, Path, description = "The application")), security(("bearer" = [])), responses((status = 200, body = ApprovalOut)))]
async fn approve(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<uuid::Uuid>,
) -> ApiResult<Json<ApprovalOut>> {
    let (application, merchant_id, store) = ctx.app.approve_application(&caller, &id.to_string()).await?;
    let store = crate::routes::stores::store_json(store, ctx.app.now());
    Ok(Json(ApprovalOut { application: out(application), merchant_id, store }))
}

/// A rejection.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectBody {
    /// Why, in words the applicant will read (1 to 500 characters).
    pub reason: String,
}

/// Reject with a reason the applicant sees.
#[utoipa::path(post, path = "/api/v1/admin/merchant-applications/{application_id}/reject", tag = "admin",
    params(("application_id" = uuid::Uuid, Path, description = "The application")), request_body = RejectBody, security(("bearer" = [])), responses((status = 200, body = ApplicationOut)))]
async fn reject(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<uuid::Uuid>,
    Json(b): Json<RejectBody>,
) -> ApiResult<Json<ApplicationOut>> {
    Ok(Json(out(ctx.app.reject_application(&caller, &id.to_string(), &b.reason).await?)))
}
