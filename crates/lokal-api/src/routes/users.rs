//! The caller's own account.

use crate::Ctx;
use crate::error::ApiResult;
use crate::extract::{Caller, Json};
use axum::extract::State;
use lokal_core::{Grant, MerchantId, StoreScope, Timestamp, UserId};
use lokal_store::users::UserRow;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(me, update_me))
}

/// An account.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct UserJson {
    /// The id.
    pub id: UserId,
    /// E-mail address, if registered with one.
    pub email: Option<String>,
    /// Phone number (E.164), if registered with one.
    pub phone: Option<String>,
    /// Shown name.
    pub display_name: String,
    /// When the account was created.
    pub created_at: Timestamp,
    /// The saved language (`zh-CN` or `en`); null when pages follow the `lang` cookie and the
    /// browser's `Accept-Language`.
    pub lang: Option<String>,
}

impl From<UserRow> for UserJson {
    fn from(u: UserRow) -> Self {
        Self {
            id: u.id,
            email: u.email,
            phone: u.phone,
            display_name: u.display_name,
            created_at: u.created_at,
            lang: u.lang,
        }
    }
}

/// A role held by a user.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct GrantJson {
    /// The grant's id.
    pub id: lokal_core::GrantId,
    /// `platform_admin`, `owner`, `manager`, `clerk`, `rider` or `promoter`.
    #[schema(example = "clerk")]
    pub role: String,
    /// For staff: the merchant.
    pub merchant_id: Option<MerchantId>,
    /// For staff: `{"kind":"all"}` or `{"kind":"only","store_ids":[…]}`.
    pub stores: StoreScope,
}

impl From<Grant> for GrantJson {
    fn from(g: Grant) -> Self {
        Self { id: g.id, role: g.role.as_str().into(), merchant_id: g.merchant_id, stores: g.stores }
    }
}

/// The caller and their roles.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MeJson {
    /// The account.
    pub user: UserJson,
    /// Roles beyond consumer.
    pub grants: Vec<GrantJson>,
}

/// The logged-in account and its roles.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])), responses((status = 200, body = MeJson)))]
async fn me(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<Json<MeJson>> {
    let user = ctx.app.me(&caller).await?;
    Ok(Json(MeJson { user: user.into(), grants: caller.grants.into_iter().map(Into::into).collect() }))
}

/// A change to the caller's own account. Fields left out stay as they are.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MePatch {
    /// The language to save, `zh-CN` or `en`; null forgets the saved one.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, example = "en")]
    pub lang: Option<Option<String>>,
}

/// A field that is present (even as null) is `Some`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    <Option<String> as serde::Deserialize>::deserialize(d).map(Some)
}

/// Changes the logged-in account (its saved language).
#[utoipa::path(patch, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])), request_body = MePatch,
    responses((status = 200, body = MeJson), (status = 422, body = crate::error::ErrorBody)))]
async fn update_me(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Json(b): Json<MePatch>,
) -> ApiResult<Json<MeJson>> {
    if let Some(lang) = b.lang {
        ctx.app.set_language(&caller, lang.as_deref()).await?;
    }
    let user = ctx.app.me(&caller).await?;
    Ok(Json(MeJson { user: user.into(), grants: caller.grants.into_iter().map(Into::into).collect() }))
}
