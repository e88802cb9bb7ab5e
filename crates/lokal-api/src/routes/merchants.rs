//! Merchants and their staff.

use crate::Ctx;
use crate::error::ApiResult;
use crate::extract::{Caller, Json, Path};
use crate::routes::ListJson;
use crate::routes::users::GrantJson;
use axum::extract::State;
use axum::http::StatusCode;
use lokal_core::{MerchantId, StaffRole, StoreId, StoreScope, Timestamp, UserId};
use lokal_store::invitations::InvitationRow;
use lokal_store::merchants::MerchantRow;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(create_merchant))
        .routes(routes!(get_merchant))
        .routes(routes!(add_staff, list_staff))
        .routes(routes!(remove_staff))
        .routes(routes!(merchant_invitations))
        .routes(routes!(withdraw_invitation))
        .routes(routes!(my_invitations))
        .routes(routes!(accept_invitation))
        .routes(routes!(decline_invitation))
        .routes(routes!(leave_merchant))
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
        Self { id: m.id, name: m.name, created_at: m.created_at }
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

/// A person to invite to the staff.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStaffBody {
    /// Their e-mail or phone (an account with it, or one signed up with it later, receives the
    /// invitation).
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

/// An invitation to a merchant's staff.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct InvitationJson {
    /// The invitation.
    pub id: String,
    /// The merchant.
    pub merchant_id: MerchantId,
    /// Its name (in the invited person's list).
    pub merchant_name: String,
    /// The login invited (normalised e-mail or E.164 phone).
    pub login: String,
    /// `owner`, `manager` or `clerk`.
    pub role: String,
    /// The stores (empty: all of the merchant's).
    pub store_ids: Vec<StoreId>,
    /// `invited`, `accepted`, `declined` or `withdrawn`.
    pub status: String,
    /// Sent.
    pub created_at: Timestamp,
}

fn invitation_json(i: InvitationRow, merchant_name: String) -> InvitationJson {
    InvitationJson {
        id: i.id,
        merchant_id: i.merchant_id,
        merchant_name,
        login: i.login,
        role: i.role,
        store_ids: i.store_ids,
        status: i.status.to_string(),
        created_at: i.created_at,
    }
}

/// Invite a person to the staff: they become staff when they accept (`status: "invited"`). The
/// answer is the same whether or not an account has that login; an open invitation for the same
/// login is 409. Managers invite clerks; owners anyone.
#[utoipa::path(post, path = "/api/v1/merchants/{merchant_id}/staff", tag = "merchants", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    request_body = NewStaffBody, security(("bearer" = [])), responses((status = 201, body = InvitationJson)))]
async fn add_staff(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<MerchantId>,
    Json(b): Json<NewStaffBody>,
) -> ApiResult<(StatusCode, Json<InvitationJson>)> {
    let stores = b.store_ids.map_or(StoreScope::All, StoreScope::Only);
    let inv = ctx.app.invite_staff(&caller, id, &b.login, b.role, stores).await?;
    Ok((StatusCode::CREATED, Json(invitation_json(inv, String::new()))))
}

/// The merchant's open invitations. Merchant-wide managers and owners.
#[utoipa::path(get, path = "/api/v1/merchants/{merchant_id}/invitations", tag = "merchants",
    params(("merchant_id" = MerchantId, Path, description = "The merchant")), security(("bearer" = [])),
    responses((status = 200, body = ListJson<InvitationJson>)))]
async fn merchant_invitations(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<MerchantId>,
) -> ApiResult<Json<ListJson<InvitationJson>>> {
    let items = ctx
        .app
        .merchant_invitations(&caller, id)
        .await?
        .into_iter()
        .map(|i| invitation_json(i, String::new()))
        .collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// Withdraw an open invitation. Those who may send it.
#[utoipa::path(delete, path = "/api/v1/merchants/{merchant_id}/invitations/{invitation_id}", tag = "merchants",
    params(("merchant_id" = MerchantId, Path, description = "The merchant"), ("invitation_id" = String, Path, description = "The invitation")),
    security(("bearer" = [])), responses((status = 204)))]
async fn withdraw_invitation(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path((merchant, id)): Path<(MerchantId, String)>,
) -> ApiResult<StatusCode> {
    ctx.app.withdraw_invitation(&caller, merchant, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The invitations waiting for the caller (sent to their e-mail or phone).
#[utoipa::path(get, path = "/api/v1/me/invitations", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = ListJson<InvitationJson>)))]
async fn my_invitations(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
) -> ApiResult<Json<ListJson<InvitationJson>>> {
    let items = ctx.app.my_invitations(&caller).await?.into_iter().map(|(i, name)| invitation_json(i, name)).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// Accept an invitation: the caller becomes staff with its rank and stores.
#[utoipa::path(post, path = "/api/v1/me/invitations/{invitation_id}/accept", tag = "accounts",
    params(("invitation_id" = String, Path, description = "The invitation")), security(("bearer" = [])),
    responses((status = 200, body = InvitationJson)))]
async fn accept_invitation(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<InvitationJson>> {
    Ok(Json(invitation_json(ctx.app.answer_invitation(&caller, &id, true).await?, String::new())))
}

/// Decline an invitation.
#[utoipa::path(post, path = "/api/v1/me/invitations/{invitation_id}/decline", tag = "accounts",
    params(("invitation_id" = String, Path, description = "The invitation")), security(("bearer" = [])),
    responses((status = 200, body = InvitationJson)))]
async fn decline_invitation(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<InvitationJson>> {
    Ok(Json(invitation_json(ctx.app.answer_invitation(&caller, &id, false).await?, String::new())))
}

/// Leave a merchant's staff. The last owner cannot (409).
#[utoipa::path(post, path = "/api/v1/me/merchants/{merchant_id}/leave", tag = "accounts",
    params(("merchant_id" = MerchantId, Path, description = "The merchant")), security(("bearer" = [])),
    responses((status = 204)))]
async fn leave_merchant(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(merchant): Path<MerchantId>,
) -> ApiResult<StatusCode> {
    ctx.app.leave_merchant(&caller, merchant).await?;
    Ok(StatusCode::NO_CONTENT)
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
