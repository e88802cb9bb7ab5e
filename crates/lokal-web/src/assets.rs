//! Static assets, compiled into the binary: the stylesheet, the pages' scripts (no page has an
//! inline script: the Content-Security-Policy allows only these files) and the vendored map
//! library (Leaflet 1.9.4, `static/vendor/leaflet-1.9.4/SOURCE.md`).

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use lokal_api::Ctx;

/// The routes of the assets other than the stylesheet.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/static/map.js", get(|| async { script(include_str!("../static/map.js"), "public, max-age=3600") }))
        .route("/static/page.js", get(|| async { script(include_str!("../static/page.js"), "public, max-age=3600") }))
        .route("/static/desk.js", get(|| async { script(include_str!("../static/desk.js"), "public, max-age=3600") }))
        .route("/static/more.js", get(|| async { script(include_str!("../static/more.js"), "public, max-age=3600") }))
        .route(
            "/static/order_menu.js",
            get(|| async { script(include_str!("../static/order_menu.js"), "public, max-age=3600") }),
        )
        .route("/static/rider.js", get(|| async { script(include_str!("../static/rider.js"), "public, max-age=3600") }))
        .route(
            "/static/suggest.js",
            get(|| async { script(include_str!("../static/suggest.js"), "public, max-age=3600") }),
        )
        .route(
            "/static/vouchers.js",
            get(|| async { script(include_str!("../static/vouchers.js"), "public, max-age=3600") }),
        )
        .route(
            "/static/vendor/leaflet-1.9.4/leaflet.js",
            get(|| async { script(include_str!("../static/vendor/leaflet-1.9.4/leaflet.js"), IMMUTABLE) }),
        )
        .route(
            "/static/vendor/leaflet-1.9.4/leaflet.css",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, IMMUTABLE)],
                    include_str!("../static/vendor/leaflet-1.9.4/leaflet.css"),
                )
            }),
        )
}

/// A versioned file never changes.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

fn script(body: &'static str, cache: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, cache)], body)
}

/// The one stylesheet.
pub async fn css() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../static/app.css"),
    )
}
