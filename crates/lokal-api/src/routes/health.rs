//! Liveness, readiness and metrics.

use crate::Ctx;
use crate::error::ApiResult;
use crate::extract::Caller;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use utoipa_axum::{router::OpenApiRouter, routes};

/// Status of the process or a dependency.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct StatusJson {
    /// `ok` or `unavailable`.
    pub status: String,
}

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(healthz)).routes(routes!(readyz)).routes(routes!(metrics))
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, body = StatusJson)))]
async fn healthz() -> axum::Json<StatusJson> {
    axum::Json(StatusJson { status: "ok".into() })
}

/// The database answers; load balancers send traffic only when this is 200.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses((status = 200, body = StatusJson), (status = 503, body = StatusJson)))]
async fn readyz(State(ctx): State<Ctx>) -> impl IntoResponse {
    if ctx.app.ready().await {
        (StatusCode::OK, axum::Json(StatusJson { status: "ok".into() }))
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, axum::Json(StatusJson { status: "unavailable".into() }))
    }
}

/// Request counts and latency by route, in Prometheus text format. Operators only here (a
/// scraper authenticates with an operator's bearer token), or anyone on the separate
/// `[server] metrics_addr` when one is set.
#[utoipa::path(get, path = "/metrics", tag = "operations", security(("bearer" = [])),
    responses((status = 200, content_type = "text/plain", body = String),
        (status = 401, description = "unauthenticated", body = crate::error::ErrorBody),
        (status = 403, description = "forbidden: operators only", body = crate::error::ErrorBody)))]
async fn metrics(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<impl IntoResponse> {
    caller.require_admin()?;
    Ok(render_metrics(&ctx))
}

/// The metrics as Prometheus text (for the separate metrics listener too).
pub fn render_metrics(ctx: &Ctx) -> impl IntoResponse + use<> {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], ctx.metrics.render())
}
