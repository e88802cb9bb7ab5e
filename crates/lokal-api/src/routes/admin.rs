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
    OpenApiRouter::new().routes(routes!(list_users)).routes(routes!(grant_role))
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
