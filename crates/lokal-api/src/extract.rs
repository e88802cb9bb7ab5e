//! Extractors whose rejections are API errors, and the caller.

use crate::error::ApiError;
use crate::{CSRF_HEADER, Ctx};
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use lokal_app::accounts::Authenticated;
use lokal_core::{ErrorCode, Msg, Principal};
use serde::de::DeserializeOwned;
use std::net::{IpAddr, SocketAddr};

/// A JSON body. Syntax errors are `400 malformed_request`; a missing or mistyped field is
/// `422 validation_failed` naming the field; a non-JSON content type is 415; too large is 413.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Json(v)),
            Err(r) => Err(json_rejection(&r)),
        }
    }
}

/// A JSON body that may be left out: an empty body is `T::default()`; anything else is read
/// like [`Json`].
#[derive(Debug, Clone, Default)]
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = match axum::body::Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(r) if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ApiError::new(ErrorCode::PayloadTooLarge, "err-body-too-large"));
            }
            Err(_) => return Err(ApiError::new(ErrorCode::MalformedRequest, "err-body-unreadable")),
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(T::default()));
        }
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(axum::Json(v)) => Ok(OptionalJson(v)),
            Err(r) => Err(json_rejection(&r)),
        }
    }
}

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

fn json_rejection(r: &JsonRejection) -> ApiError {
    let text = r.body_text();
    match r {
        JsonRejection::JsonDataError(_) => {
            let detail = text.split_once("target type: ").map_or(text.as_str(), |(_, d)| d);
            let mut e = ApiError::new(ErrorCode::ValidationFailed, data_error(detail));
            e.0.field = field_of(detail);
            e
        }
        JsonRejection::JsonSyntaxError(_) => ApiError::new(
            ErrorCode::MalformedRequest,
            Msg::new("err-json-syntax").with("detail", text.rsplit(": ").next().unwrap_or("")),
        ),
        JsonRejection::MissingJsonContentType(_) => {
            ApiError::new(ErrorCode::UnsupportedMediaType, "err-json-content-type")
        }
        _ if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::new(ErrorCode::PayloadTooLarge, "err-body-too-large")
        }
        _ => ApiError::new(ErrorCode::MalformedRequest, "err-body-unreadable"),
    }
}

/// What to tell the client about a body that does not fit the call (serde's `detail`): a missing
/// or unknown field by its kind, anything else with serde's own words (technical, for the
/// developer: "invalid type: integer `1`, expected a string at line 1 column 14").
fn data_error(detail: &str) -> Msg {
    if detail.contains("missing field `") {
        Msg::new("field-required")
    } else if detail.contains("unknown field `") {
        Msg::new("field-unknown")
    } else {
        match detail.split_once(": ") {
            Some((path, rest)) if field_of(detail).as_deref() == Some(path) => {
                Msg::new("field-invalid").with("detail", rest)
            }
            _ => Msg::new("err-json-invalid").with("detail", detail),
        }
    }
}

/// The field a serde error message is about: "missing field `email`" or "email: invalid type…".
fn field_of(detail: &str) -> Option<String> {
    if let Some(rest) = detail.split("missing field `").nth(1) {
        return rest.split('`').next().map(str::to_owned);
    }
    if let Some(rest) = detail.split("unknown field `").nth(1) {
        return rest.split('`').next().map(str::to_owned);
    }
    let (path, _) = detail.split_once(": ")?;
    (!path.is_empty() && path != "." && !path.contains(' ')).then(|| path.to_owned())
}

/// Path parameters; a malformed id is `422 validation_failed`.
#[derive(Debug, Clone, Copy)]
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state).await.map(|p| Path(p.0)).map_err(
            |r: PathRejection| {
                let mut e = ApiError::new(
                    ErrorCode::ValidationFailed,
                    Msg::new("err-path-param").with("detail", r.body_text()),
                );
                e.0.field = Some("path".into());
                e
            },
        )
    }
}

/// Query parameters; bad values are `422 validation_failed`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state).await.map(|q| Query(q.0)).map_err(
            |r: QueryRejection| {
                let text = r.body_text();
                let detail = text.split_once("string: ").map_or(text.as_str(), |(_, d)| d).to_owned();
                let field = field_of(&detail);
                let mut e =
                    ApiError::new(ErrorCode::ValidationFailed, Msg::new("err-query-param").with("detail", detail));
                e.0.field = field.or(Some("query".into()));
                e
            },
        )
    }
}

/// How the caller authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialSource {
    /// `Authorization: Bearer …`
    Bearer,
    /// The session cookie.
    Cookie,
}

/// What the authentication middleware found, stored in the request extensions.
#[derive(Debug, Clone)]
pub struct Session {
    /// The caller and session.
    pub auth: Authenticated,
    /// The raw token (to log out).
    pub token: String,
    /// Bearer or cookie.
    pub source: CredentialSource,
}

/// The logged-in caller; `401 unauthenticated` otherwise. A cookie-authenticated write to the API
/// must carry the session's CSRF token ([`crate::session_csrf`], which pages embed) in
/// `X-CSRF-Token` (`403 csrf_token_invalid` otherwise);
/// bearer tokens are not sent by browsers on their own and need none.
#[derive(Debug, Clone)]
pub struct Caller(pub Principal, pub Session);

impl FromRequestParts<Ctx> for Caller {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &Ctx) -> Result<Self, Self::Rejection> {
        let session = parts
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or_else(|| ApiError(lokal_app::AppError::unauthenticated()))?;
        if session.source == CredentialSource::Cookie && !parts.method.is_safe() {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            if !constant_time_eq(sent.as_bytes(), crate::session_csrf(&session.token).as_bytes()) {
                return Err(ApiError::new(ErrorCode::CsrfTokenInvalid, "err-csrf"));
            }
        }
        Ok(Caller(session.auth.principal.clone(), session))
    }
}

/// The caller if logged in (pages that look different for guests).
#[derive(Debug, Clone)]
pub struct MaybeCaller(pub Option<Session>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeCaller {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeCaller(parts.extensions.get::<Session>().cloned()))
    }
}

/// Compares secrets without leaking where they differ through timing.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The client's address: the peer, or with `trust_forwarded_for` the last `X-Forwarded-For` entry
/// (the one our own proxy appended; earlier entries are whatever the client claimed).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<Ctx> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, ctx: &Ctx) -> Result<Self, Self::Rejection> {
        if ctx.app.auth_settings().trust_forwarded_for {
            let fwd = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|s| s.trim().parse().ok());
            if fwd.is_some() {
                return Ok(ClientIp(fwd));
            }
        }
        Ok(ClientIp(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())))
    }
}

#[cfg(test)]
mod tests {
    use super::field_of;

    #[test]
    fn serde_messages_name_their_field() {
        assert_eq!(field_of("missing field `email` at line 1 column 2").as_deref(), Some("email"));
        assert_eq!(
            field_of("password: invalid type: integer `1`, expected a string at line 1 column 14").as_deref(),
            Some("password")
        );
        assert_eq!(field_of("items[0].qty: invalid value").as_deref(), Some("items[0].qty"));
        assert_eq!(field_of("invalid type: map, expected a string").as_deref(), None);
    }
}

/// The `Idempotency-Key` a paying call must carry (the middleware replays repeats of it). A
/// missing key is `422 validation_failed` naming the header.
#[derive(Debug, Clone)]
pub struct IdempotencyKey(pub String);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.headers.get("idempotency-key").and_then(|v| v.to_str().ok()) {
            Some(k) if !k.trim().is_empty() => Ok(IdempotencyKey(k.to_owned())),
            _ => Err(lokal_core::FieldError::new("Idempotency-Key", "field-idempotency-key-required").into()),
        }
    }
}
