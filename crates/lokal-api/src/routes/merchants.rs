//! Merchants and their staff.

use crate::Ctx;
use crate::error::ApiResult;
use crate::extract::{Caller, Json, Path};
use crate::routes::ListJson;
use crate::routes::users::GrantJson;
use axum::extract::State;
use axum::http::StatusCode;
use lokal_core::{MerchantId, StaffRole, StoreId, StoreScope, Timestamp, UserId};
use lokal_store::merchants::MerchantRow;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(create_merchant))
        .routes(routes!(get_merchant))
        .routes(routes!(add_staff, list_staff))
        .routes(routes!(remove_staff))
}

/// A merchant (brand).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MerchantJson {
    /// The id.
    pub id: MerchantId,
    /// The brand name.
    pub name: String,
    /// When it joined.
    pub created_at: Timestamp,
}

impl From<MerchantRow> for MerchantJson {
    fn from(m: MerchantRow) -> Self {
        Self { id: m.id, name: m.name, created_at: Timestamp::from_millis(m.created_at) }
    }
}

/// A new merchant.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMerchantBody {
    /// The brand name, 1 to 64 characters.
    #[schema(example = "Chongqing Hotpot House")]
    pub name: String,
    /// An existing account that becomes the owner.
    pub owner_user_id: Option<UserId>,
}

/// A staff member to add.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStaffBody {
    /// E-mail or phone of an existing account.
    pub login: String,
    /// Their rank.
    pub role: StaffRole,
    /// The stores they work in; omit for all stores.
    pub store_ids: Option<Vec<StoreId>>,
}

/// A staff member.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct StaffJson {
    /// The account.
    pub user_id: UserId,
    /// Their shown name.
    pub display_name: String,
    /// Their role and stores here.
    pub grant: GrantJson,
}

/// Create a merchant, optionally with an owner. Operators only.
#[utoipa::path(post, path = "/api/v1/merchants", tag = "merchants", request_body = NewMerchantBody, security(("bearer" = [])), responses((status = 201, body = MerchantJson)))]
async fn create_merchant(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Json(b): Json<NewMerchantBody>,
) -> ApiResult<(StatusCode, Json<MerchantJson>)> {
    let m = ctx.app.create_merchant(&caller, &b.name, b.owner_user_id).await?;
    Ok((StatusCode::CREATED, Json(m.into())))
}

/// A merchant, for its staff and operators.
#[utoipa::path(get, path = "/api/v1/merchants/{merchant_id}", tag = "merchants", params(("merchant_id" = MerchantId, Path, description = "The merchant")), security(("bearer" = [])), responses((status = 200, body = MerchantJson)))]
async fn get_merchant(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<MerchantId>,
) -> ApiResult<Json<MerchantJson>> {
    Ok(Json(ctx.app.merchant(&caller, id).await?.into()))
}

/// Add an existing account to the staff. Managers add clerks; owners add anyone.
#[utoipa::path(post, path = "/api/v1/merchants/{merchant_id}/staff", tag = "merchants", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    request_body = NewStaffBody, security(("bearer" = [])), responses((status = 201, body = StaffJson)))]
async fn add_staff(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<MerchantId>,
    Json(b): Json<NewStaffBody>,
) -> ApiResult<(StatusCode, Json<StaffJson>)> {
    let stores = b.store_ids.map_or(StoreScope::All, StoreScope::Only);
    let (user, grant) = ctx.app.add_staff(&caller, id, &b.login, b.role, stores).await?;
    Ok((
        StatusCode::CREATED,
        Json(StaffJson { user_id: user.id, display_name: user.display_name, grant: grant.into() }),
    ))
}

/// Take someone off the staff. Managers remove clerks; owners remove anyone but the last owner.
#[utoipa::path(delete, path = "/api/v1/merchants/{merchant_id}/staff/{user_id}", tag = "merchants",
    params(("merchant_id" = MerchantId, Path, description = "The merchant"), ("user_id" = UserId, Path, description = "The staff member")),
    security(("bearer" = [])), responses((status = 204, description = "Removed")))]
async fn remove_staff(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path((merchant, user)): Path<(MerchantId, UserId)>,
) -> ApiResult<StatusCode> {
    ctx.app.remove_staff(&caller, merchant, user).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The merchant's staff and their roles. Merchant-wide managers and owners.
#[utoipa::path(get, path = "/api/v1/merchants/{merchant_id}/staff", tag = "merchants", params(("merchant_id" = MerchantId, Path, description = "The merchant")), security(("bearer" = [])), responses((status = 200, body = ListJson<StaffJson>)))]
async fn list_staff(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<MerchantId>,
) -> ApiResult<Json<ListJson<StaffJson>>> {
    let staff = ctx.app.staff(&caller, id).await?;
    let items = staff
        .into_iter()
        .map(|(user_id, display_name, g)| StaffJson { user_id, display_name, grant: g.into() })
        .collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}
