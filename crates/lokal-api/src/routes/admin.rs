//! Platform operators: the user list and platform-wide roles.

use crate::Ctx;
use crate::error::ApiResult;
use crate::extract::{Caller, Json, Path, Query};
use crate::routes::users::{GrantJson, UserJson};
use crate::routes::{ListJson, PageQuery};
use axum::extract::State;
use axum::http::StatusCode;
use lokal_app::page::PageRequest;
use lokal_core::{Role, UserId};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(list_users))
        .routes(routes!(grant_role))
        .routes(routes!(revoke_role))
        .routes(routes!(disable_user))
        .routes(routes!(enable_user))
        .routes(routes!(audit_log))
}

/// A platform-wide role to grant.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantBody {
    /// The role (staff roles are granted by merchants).
    pub role: PlatformRole,
}

/// A role that holds platform-wide.
#[derive(Debug, Clone, Copy, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlatformRole {
    /// Operates the platform.
    PlatformAdmin,
    /// Delivers orders.
    Rider,
    /// Brings customers for commission.
    Promoter,
}

impl From<PlatformRole> for Role {
    fn from(r: PlatformRole) -> Role {
        match r {
            PlatformRole::PlatformAdmin => Role::PlatformAdmin,
            PlatformRole::Rider => Role::Rider,
            PlatformRole::Promoter => Role::Promoter,
        }
    }
}

/// Every account, oldest first, a page at a time. Operators only.
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", params(PageQuery), security(("bearer" = [])), responses((status = 200, body = ListJson<UserJson>)))]
async fn list_users(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<ListJson<UserJson>>> {
    let page = ctx.app.list_users(&caller, PageRequest::parse(q.cursor.as_deref(), q.limit)?).await?;
    Ok(Json(ListJson { items: page.items.into_iter().map(Into::into).collect(), next_cursor: page.next_cursor }))
}

/// Grant a platform-wide role to a user. Operators only.
#[utoipa::path(post, path = "/api/v1/admin/users/{user_id}/grants", tag = "admin", params(("user_id" = UserId, Path, description = "The user")),
    request_body = GrantBody, security(("bearer" = [])), responses((status = 201, body = GrantJson)))]
async fn grant_role(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(user_id): Path<UserId>,
    Json(b): Json<GrantBody>,
) -> ApiResult<(StatusCode, Json<GrantJson>)> {
    let grant = ctx.app.grant_platform_role(&caller, user_id, b.role.into()).await?;
    Ok((StatusCode::CREATED, Json(grant.into())))
}

/// Revoke a platform-wide role (`platform_admin`, `rider`, `promoter`). A rider losing the role
/// goes off shift (409 while carrying food); an operator cannot revoke their own operator role
/// (409). Operators; audited.
#[utoipa::path(post, path = "/api/v1/admin/users/{user_id}/grants/{role}/revoke", tag = "admin",
    params(("user_id" = UserId, Path, description = "The user"), ("role" = PlatformRole, Path, description = "The role")),
    request_body = crate::routes::riders::ReasonBody, security(("bearer" = [])), responses((status = 204)))]
async fn revoke_role(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path((user_id, role)): Path<(UserId, PlatformRole)>,
    Json(b): Json<crate::routes::riders::ReasonBody>,
) -> ApiResult<StatusCode> {
    ctx.app.revoke_platform_role(&caller, user_id, role.into(), &b.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Disable an account: every session of it ends at once and it cannot log in (a rider on shift
/// goes off it). An operator cannot disable their own account (409). Operators; audited.
#[utoipa::path(post, path = "/api/v1/admin/users/{user_id}/disable", tag = "admin",
    params(("user_id" = UserId, Path, description = "The user")),
    request_body = crate::routes::riders::ReasonBody, security(("bearer" = [])), responses((status = 204)))]
async fn disable_user(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(user_id): Path<UserId>,
    Json(b): Json<crate::routes::riders::ReasonBody>,
) -> ApiResult<StatusCode> {
    ctx.app.disable_user(&caller, user_id, &b.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Enable a disabled account again. Operators; audited.
#[utoipa::path(post, path = "/api/v1/admin/users/{user_id}/enable", tag = "admin",
    params(("user_id" = UserId, Path, description = "The user")),
    request_body = crate::routes::riders::ReasonBody, security(("bearer" = [])), responses((status = 204)))]
async fn enable_user(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(user_id): Path<UserId>,
    Json(b): Json<crate::routes::riders::ReasonBody>,
) -> ApiResult<StatusCode> {
    ctx.app.enable_user(&caller, user_id, &b.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which audit entries to list.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only entries about this subject (`user:<id>`, `rider:<id>`).
    pub subject: Option<String>,
}

/// One audit entry.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AuditJson {
    /// The entry.
    pub id: String,
    /// When.
    pub at: lokal_core::Timestamp,
    /// Who did it (none: the platform noticed).
    pub actor_id: Option<UserId>,
    /// What: `grant.revoked`, `user.disabled`, `user.enabled`, `rider.suspended`,
    /// `rider.reinstated`, `rider.position_refused`.
    pub action: String,
    /// Whom it concerns.
    pub subject: String,
    /// The reason given, or what looked wrong.
    pub detail: String,
}

/// The newest 200 audit entries, newest first. Operators.
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin", params(AuditQuery), security(("bearer" = [])),
    responses((status = 200, body = ListJson<AuditJson>)))]
async fn audit_log(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<ListJson<AuditJson>>> {
    let rows = ctx.app.audit_log(&caller, q.subject.as_deref()).await?;
    let items = rows
        .into_iter()
        .map(|a| AuditJson {
            id: a.id,
            at: a.at,
            actor_id: a.actor_id,
            action: a.action,
            subject: a.subject,
            detail: a.detail,
        })
        .collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}
