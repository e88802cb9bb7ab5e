//! Photos as the browser fetches them: `/media/<id>/w200.jpg` and `/media/<id>/w800.jpg`,
//! immutable, cached for a year (a changed photo is a new id).

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lokal_api::Ctx;

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new().route("/media/{id}/{file}", get(variant))
}

async fn variant(State(ctx): State<Ctx>, Path((id, file)): Path<(String, String)>) -> Response {
    let Some(variant) = file.strip_suffix(".jpg") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match ctx.app.photo_variant(&id, variant).await {
        Ok(Some(bytes)) => {
            let mut res = bytes.into_response();
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
            h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
            res
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => crate::page::error_page(e),
    }
}
