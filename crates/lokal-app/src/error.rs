//! The use-case error: a stable [`ErrorCode`], a message for people, and for internal failures
//! the cause, which the HTTP layer logs once and never shows to the client.

use lokal_core::{Denied, ErrorCode, FieldError, Msg};
use lokal_store::StoreError;

/// Why a use case refused or failed.
#[derive(Debug)]
pub struct AppError {
    /// The stable code (and so the HTTP status).
    pub code: ErrorCode,
    /// What to tell the person, safe to show to the client; rendered in their language at the
    /// edge (the API's `message`, a page's sentence).
    pub msg: Msg,
    /// The offending field, for validation errors.
    pub field: Option<String>,
    /// For rate limits: seconds until a retry may succeed.
    pub retry_after_secs: Option<i64>,
    /// For internal errors: the cause, for the log only.
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl AppError {
    /// A refusal with a code and a message.
    pub fn new(code: ErrorCode, msg: impl Into<Msg>) -> Self {
        Self { code, msg: msg.into(), field: None, retry_after_secs: None, source: None }
    }

    /// `not_found` for a kind of object (`store`, `membership card`): the message is the
    /// catalogue's `not-found-<kind>` (`not-found-membership-card`), which a test checks exists
    /// for every kind named in the code.
    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, Msg::dynamic(not_found_key(what)))
    }

    /// `not_found` when what is missing does not matter to a person (an unknown route).
    pub fn not_found_any() -> Self {
        Self::new(ErrorCode::NotFound, "not-found")
    }

    /// `unauthenticated`.
    pub fn unauthenticated() -> Self {
        Self::new(ErrorCode::Unauthenticated, "err-unauthenticated")
    }

    /// `internal`, keeping the cause for the log.
    pub fn internal(cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self { source: Some(Box::new(cause)), ..Self::new(ErrorCode::Internal, "err-internal") }
    }

    /// `rate_limited` with a retry hint.
    pub fn rate_limited(retry_after_secs: i64) -> Self {
        Self {
            retry_after_secs: Some(retry_after_secs.max(1)),
            ..Self::new(ErrorCode::RateLimited, "err-rate-limited")
        }
    }
}

/// The catalogue key of "no such `what`": `not-found-` and the kind, spaces as hyphens.
pub fn not_found_key(what: &str) -> String {
    format!("not-found-{}", what.trim().replace([' ', '_'], "-"))
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.msg)
    }
}

impl std::error::Error for AppError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        Self { field: Some(e.field), ..Self::new(ErrorCode::ValidationFailed, e.msg) }
    }
}

impl From<Denied> for AppError {
    fn from(_: Denied) -> Self {
        Self::new(ErrorCode::Forbidden, "err-forbidden")
    }
}

/// A failed commit (or other driver error) is a store error.
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::from(e).into()
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Database(sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)) => {
                Self { source: Some(Box::new(e)), ..Self::new(ErrorCode::Unavailable, "err-unavailable") }
            }
            other => Self::internal(other),
        }
    }
}
