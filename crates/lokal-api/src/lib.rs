//! Lokal's HTTP layer: the JSON API under `/api/v1`, and the request machinery that the web
//! pages share (caller extraction, error bodies, request ids, metrics, idempotency).
//!
//! Layout:
//! - [`error`]: `ApiError`, the one mapping from [`ErrorCode`](lokal_core::ErrorCode) to an HTTP
//!   response, and the safety net that turns any bare error status into a JSON error body.
//! - [`extract`]: `Json`, `Path`, `Query` wrappers whose rejections are API errors; `Caller`
//!   (must be logged in) and `MaybeCaller`; the client address.
//! - [`middleware`]: request context (request id, error bodies, logging), authentication,
//!   idempotency keys.
//! - [`metrics`]: request counts and latency by route, in Prometheus text.
//! - [`routes`]: one module per domain, each with its `router()`.
//! - [`openapi`]: the OpenAPI 3.1 document assembled from the routes.

pub mod csv;
pub mod error;
pub mod extract;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod routes;

pub use error::ApiError;

use lokal_app::App;
use std::sync::Arc;

/// What every handler gets: the application and the metrics registry.
#[derive(Clone)]
pub struct Ctx {
    /// The use cases.
    pub app: Arc<App>,
    /// Request metrics.
    pub metrics: Arc<metrics::Metrics>,
}

/// The cookie that carries a web session.
pub const SESSION_COOKIE: &str = "lokal_session";
/// The double-submit CSRF cookie of visitors who are not logged in (the login and sign-up
/// forms post it back as `csrf_token`); over HTTPS it is [`CSRF_COOKIE_SECURE`].
pub const CSRF_COOKIE: &str = "lokal_csrf";
/// The CSRF cookie's name over HTTPS: the `__Host-` prefix makes browsers refuse it unless it
/// is `Secure`, for `/` and set by this host itself (no sibling subdomain can plant one).
pub const CSRF_COOKIE_SECURE: &str = "__Host-lokal_csrf";
/// A browser's long-lived random id (set by the sign-up page): sign-ups are limited per device.
pub const DEVICE_COOKIE: &str = "lokal_device";
/// The header a cookie-authenticated API write must carry (the session's CSRF token).
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The anonymous CSRF cookie's name, by whether cookies are `Secure`.
pub fn csrf_cookie(secure: bool) -> &'static str {
    if secure { CSRF_COOKIE_SECURE } else { CSRF_COOKIE }
}

/// A logged-in session's CSRF token: the HMAC-SHA256 of a fixed label under the session's own
/// token. Only a holder of the session cookie (which scripts cannot read) can compute it, it
/// needs no cookie of its own, and it dies with the session.
pub fn session_csrf(session_token: &str) -> String {
    lokal_app::secret::hmac_sha256_hex(session_token.as_bytes(), b"lokal csrf v1")
}
/// Largest request body accepted (1 MiB).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
