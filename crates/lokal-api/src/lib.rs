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
/// The double-submit CSRF cookie: forms post it back as `csrf_token`, scripts as `X-CSRF-Token`.
pub const CSRF_COOKIE: &str = "lokal_csrf";
/// The header a cookie-authenticated API write must carry (the `lokal_csrf` cookie's value).
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Largest request body accepted (1 MiB).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
