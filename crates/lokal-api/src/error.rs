//! API errors. A handler returns `ApiError`; its response carries an [`ErrorPayload`] extension and
//! the request-context middleware writes the JSON body, adding the request id and logging the
//! cause of internal errors exactly once:
//! `{"error":{"code":"…","message":"…","field":"…","request_id":"…"}}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lokal_app::AppError;
use lokal_core::{Denied, ErrorCode, FieldError, Msg};
use lokal_i18n::Lang;
use std::sync::Arc;

/// A refused or failed request.
#[derive(Debug)]
pub struct ApiError(pub AppError);

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

/// The error as attached to a response, before the body is written.
#[derive(Debug, Clone)]
pub struct ErrorPayload {
    /// The stable code.
    pub code: ErrorCode,
    /// The client-safe message, rendered in the request's language when the body is written.
    pub msg: Msg,
    /// The offending field, if any.
    pub field: Option<String>,
    /// The internal cause chain, for the log only.
    pub cause: Option<Arc<str>>,
}

/// The error body (for the OpenAPI document).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// The inside of an error body.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable snake_case code; see docs/API.md for the table.
    pub code: String,
    /// Human explanation.
    pub message: String,
    /// For validation errors: the field concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The request id, also in the `x-request-id` header; quote it in bug reports.
    pub request_id: String,
}

impl ApiError {
    /// An error with a code and message.
    pub fn new(code: ErrorCode, msg: impl Into<Msg>) -> Self {
        Self(AppError::new(code, msg))
    }
}

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        Self(e.into())
    }
}

/// Converts a core refusal directly (`?` on `authorize`).
pub fn denied(d: Denied) -> ApiError {
    ApiError(d.into())
}

/// Converts a field error directly.
pub fn invalid(e: FieldError) -> ApiError {
    ApiError(e.into())
}

fn cause_chain(e: &AppError) -> Option<Arc<str>> {
    let mut src = std::error::Error::source(e)?;
    let mut s = src.to_string();
    while let Some(next) = src.source() {
        s.push_str(": ");
        s.push_str(&next.to_string());
        src = next;
    }
    Some(s.into())
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let payload = ErrorPayload {
            code: self.0.code,
            msg: self.0.msg.clone(),
            field: self.0.field.clone(),
            cause: cause_chain(&self.0),
        };
        let mut res = status.into_response();
        if let Some(secs) = self.0.retry_after_secs
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res.extensions_mut().insert(payload);
        res
    }
}

/// The code a bare error status stands for, when something other than a handler answered
/// (an unknown route, a wrong method, a body limit).
pub fn code_for_status(status: StatusCode) -> ErrorCode {
    match status.as_u16() {
        400 => ErrorCode::MalformedRequest,
        401 => ErrorCode::Unauthenticated,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        405 => ErrorCode::MethodNotAllowed,
        409 => ErrorCode::Conflict,
        413 => ErrorCode::PayloadTooLarge,
        415 => ErrorCode::UnsupportedMediaType,
        422 => ErrorCode::ValidationFailed,
        429 => ErrorCode::RateLimited,
        503 => ErrorCode::Unavailable,
        _ => ErrorCode::Internal,
    }
}

/// The message of an error for people in `lang`; a validation error's message starts with the
/// field it names (`note: 最多 200 个字`).
pub fn error_message(lang: Lang, msg: &Msg, field: Option<&str>) -> String {
    let text = lokal_i18n::render(lang, msg);
    match field {
        Some(f) if !text.starts_with(f) => format!("{f}: {text}"),
        _ => text,
    }
}

/// Renders the JSON body of an error, its message in `lang`.
pub fn error_json(p: &ErrorPayload, request_id: &str, lang: Lang) -> String {
    let body = ErrorBody {
        error: ErrorDetail {
            code: p.code.as_str().into(),
            message: error_message(lang, &p.msg, p.field.as_deref()),
            field: p.field.clone(),
            request_id: request_id.into(),
        },
    };
    serde_json::to_string(&body)
        .unwrap_or_else(|_| String::from(r#"{"error":{"code":"internal","message":"internal error","request_id":""}}"#))
}
