//! Registration, login and logout for API clients (bearer tokens).

use crate::Ctx;
use crate::error::ApiResult;
use crate::extract::{Caller, ClientIp, Json};
use crate::routes::users::UserJson;
use axum::extract::State;
use axum::http::StatusCode;
use lokal_app::accounts::{NewSession, Registration, SessionKind};
use lokal_core::Timestamp;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(register)).routes(routes!(login)).routes(routes!(logout))
}

/// A new consumer account. Give an e-mail address, a phone number, or both.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    /// E-mail address.
    #[schema(example = "li.wei@example.com")]
    pub email: Option<String>,
    /// Phone number, E.164 (`+86…`) or an 11-digit mainland mobile number.
    pub phone: Option<String>,
    /// 8 to 128 characters.
    #[schema(example = "correct horse battery", min_length = 8, max_length = 128)]
    pub password: String,
    /// Shown to others; 1 to 64 characters.
    pub display_name: Option<String>,
}

/// Credentials.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    /// The account's e-mail address or phone number.
    #[schema(example = "li.wei@example.com")]
    pub login: String,
    /// The password.
    pub password: String,
}

/// A logged-in session: send `token` as `Authorization: Bearer <token>`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SessionJson {
    /// The account.
    pub user: UserJson,
    /// The bearer token. Shown once; store it securely.
    pub token: String,
    /// Always `bearer`.
    pub token_type: String,
    /// When the token stops working.
    pub expires_at: Timestamp,
}

fn session_json(user: lokal_store::users::UserRow, s: NewSession) -> SessionJson {
    SessionJson { user: user.into(), token: s.token, token_type: "bearer".into(), expires_at: s.expires_at }
}

/// Register a consumer account and log it in.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "accounts", request_body = RegisterBody,
    responses((status = 201, body = SessionJson), (status = 409, description = "email_taken or phone_taken", body = crate::error::ErrorBody)))]
async fn register(
    State(ctx): State<Ctx>,
    ClientIp(ip): ClientIp,
    headers: axum::http::HeaderMap,
    Json(b): Json<RegisterBody>,
) -> ApiResult<(StatusCode, Json<SessionJson>)> {
    let reg = Registration { email: b.email, phone: b.phone, password: b.password, display_name: b.display_name };
    let device = crate::middleware::cookie_value(&headers, crate::DEVICE_COOKIE);
    let (user, session) = ctx.app.register(reg, SessionKind::Api, ip, device.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(session_json(user, session))))
}

/// Log in with e-mail or phone and password. Rate-limited per account and per client address.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "accounts", request_body = LoginBody,
    responses((status = 200, body = SessionJson), (status = 401, description = "invalid_credentials", body = crate::error::ErrorBody), (status = 429, description = "rate_limited; see Retry-After", body = crate::error::ErrorBody)))]
async fn login(
    State(ctx): State<Ctx>,
    ClientIp(ip): ClientIp,
    Json(b): Json<LoginBody>,
) -> ApiResult<Json<SessionJson>> {
    let (user, session) = ctx.app.login(&b.login, &b.password, ip, SessionKind::Api).await?;
    Ok(Json(session_json(user, session)))
}

/// End the current session; its token stops working at once.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "accounts", security(("bearer" = [])), responses((status = 204, description = "logged out")))]
async fn logout(State(ctx): State<Ctx>, Caller(_, session): Caller) -> ApiResult<StatusCode> {
    ctx.app.logout(&session.token).await?;
    Ok(StatusCode::NO_CONTENT)
}
