//! Photos as the browser fetches them: `/media/<id>/w200.jpg` and `/media/<id>/w800.jpg`,
//! immutable, cached for a year (a changed photo is a new id); and the forms that upload them.

use axum::Router;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lokal_api::Ctx;
use lokal_core::Msg;
use std::collections::HashMap;

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

/// A posted `multipart/form-data` form: its text fields (the last of a repeated name), the
/// values of the repeated `keep_photo` and the files chosen in `photo` parts (empty ones, as a
/// browser sends when none was chosen, are left out).
#[derive(Debug, Default)]
pub(crate) struct UploadForm {
    /// Text fields, trimmed.
    pub fields: HashMap<String, String>,
    /// Photos (as stored references) to keep.
    pub keep: Vec<String>,
    /// Files chosen, in order.
    pub photos: Vec<Vec<u8>>,
}

impl UploadForm {
    /// Reads the whole form; a malformed body is the message to show.
    async fn read(mut form: Multipart) -> Result<Self, Msg> {
        let mut out = Self::default();
        let malformed = |_| Msg::new("media-multipart-malformed");
        while let Some(field) = form.next_field().await.map_err(malformed)? {
            let name = field.name().unwrap_or_default().to_owned();
            if name == "photo" {
                let bytes = field.bytes().await.map_err(malformed)?;
                if !bytes.is_empty() {
                    out.photos.push(bytes.to_vec());
                }
                continue;
            }
            let text = field.text().await.map_err(malformed)?;
            if name == "keep_photo" {
                out.keep.push(text);
            } else {
                out.fields.insert(name, text.trim().to_owned());
            }
        }
        Ok(out)
    }

    /// The form posted to a page whose refusals read `heading`: a body that is not multipart
    /// answers 415, a malformed one 400, as that page.
    pub async fn posted(
        nav: &crate::page::Nav,
        heading: &str,
        form: Result<Multipart, MultipartRejection>,
    ) -> Result<Self, Response> {
        let refuse = |status, why: &Msg| nav.finish(crate::page::message(status, heading, &nav.msg(why), nav.clone()));
        let Ok(form) = form else {
            return Err(refuse(StatusCode::UNSUPPORTED_MEDIA_TYPE, &Msg::new("media-not-multipart")));
        };
        Self::read(form).await.map_err(|why| refuse(StatusCode::BAD_REQUEST, &why))
    }

    /// [`UploadForm::posted`] with its text fields as the form struct `T`, and its photos.
    pub async fn posted_as<T: serde::de::DeserializeOwned>(
        nav: &crate::page::Nav,
        heading: &str,
        form: Result<Multipart, MultipartRejection>,
    ) -> Result<(T, Vec<Vec<u8>>), Response> {
        let form = Self::posted(nav, heading, form).await?;
        match form.typed::<T>() {
            Ok(t) => Ok((t, form.photos)),
            Err(why) => {
                Err(nav.finish(crate::page::message(StatusCode::BAD_REQUEST, heading, &nav.msg(&why), nav.clone())))
            }
        }
    }

    /// A text field, or empty.
    pub fn get(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }

    /// The text fields as the form struct `T` (every field a string or an optional string).
    fn typed<T: serde::de::DeserializeOwned>(&self) -> Result<T, Msg> {
        let object = self.fields.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect();
        serde_json::from_value(serde_json::Value::Object(object)).map_err(|_| Msg::new("media-multipart-malformed"))
    }
}

/// The body limit of a form carrying up to `photos` photos.
pub(crate) fn body_limit(photos: usize) -> DefaultBodyLimit {
    DefaultBodyLimit::max(photos * lokal_app::media::MAX_BYTES + 256 * 1024)
}
