//! Photo uploads: `POST /api/v1/uploads` (multipart, one `file`) and a photo's details.

use crate::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json, Path};
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::StatusCode;
use lokal_app::media::{MAX_BYTES, Photo};
use lokal_core::{ErrorCode, FieldError, Timestamp, UserId};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes. Uploads may be larger than other bodies: up to 10 MiB of file plus the form.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(upload))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BYTES + 256 * 1024))
        .routes(routes!(photo))
}

/// A resized copy of a photo.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct VariantJson {
    /// `w200` or `w800`.
    pub name: String,
    /// Width in pixels (never wider than the original).
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Where it is served (JPEG, cached for a year).
    pub url: String,
}

/// A stored photo.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PhotoJson {
    /// The id stores, items, deals and reviews refer to.
    pub id: String,
    /// Upright width of the original, pixels.
    pub width: i64,
    /// Upright height of the original, pixels.
    pub height: i64,
    /// The uploaded format: `jpg`, `png` or `webp`.
    pub format: String,
    /// Who uploaded it.
    pub owner_id: UserId,
    /// When.
    pub created_at: Timestamp,
    /// The variants, smallest first.
    pub variants: Vec<VariantJson>,
}

impl From<Photo> for PhotoJson {
    fn from(p: Photo) -> Self {
        Self {
            id: p.row.id,
            width: p.row.width,
            height: p.row.height,
            format: p.row.format,
            owner_id: p.row.owner_id,
            created_at: p.row.created_at,
            variants: p
                .variants
                .into_iter()
                .map(|(name, width, height, url)| VariantJson { name: name.into(), width, height, url })
                .collect(),
        }
    }
}

/// The form of an upload (for the OpenAPI document).
#[derive(Debug, utoipa::ToSchema)]
pub struct UploadForm {
    /// A JPEG, PNG or WebP image of at most 10 MiB.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// Upload a photo (any logged-in person). The original is kept privately without its metadata
/// (EXIF and its GPS position, XMP, IPTC, comments); JPEG variants 200 and 800 px wide are
/// served at the URLs answered. Anything but a JPEG, PNG or WebP image, a broken image or one
/// over 10 MiB is `422` naming `file`. At most 120 uploads an hour per person.
#[utoipa::path(post, path = "/api/v1/uploads", tag = "media", security(("bearer" = [])),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = PhotoJson), (status = 422, body = crate::error::ErrorBody), (status = 413, body = crate::error::ErrorBody)))]
async fn upload(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<PhotoJson>)> {
    let mut form = form.map_err(|_| ApiError::new(ErrorCode::UnsupportedMediaType, "media-not-multipart"))?;
    let mut file = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(multipart_error(&e)),
        };
        if field.name() == Some("file") {
            let bytes = field.bytes().await.map_err(|e| multipart_error(&e))?;
            file = Some(bytes.to_vec());
            break;
        }
    }
    let file = file.ok_or_else(|| ApiError::from(FieldError::new("file", "media-empty")))?;
    let photo = ctx.app.upload_photo(&caller, file).await?;
    Ok((StatusCode::CREATED, Json(photo.into())))
}

fn multipart_error(e: &axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(ErrorCode::PayloadTooLarge, "media-body-too-large")
    } else {
        ApiError::new(ErrorCode::MalformedRequest, "media-multipart-malformed")
    }
}

/// A photo's details and variant URLs.
#[utoipa::path(get, path = "/api/v1/uploads/{media_id}", tag = "media",
    params(("media_id" = String, Path, description = "The photo")),
    responses((status = 200, body = PhotoJson), (status = 404, body = crate::error::ErrorBody)))]
async fn photo(State(ctx): State<Ctx>, Path(id): Path<String>) -> ApiResult<Json<PhotoJson>> {
    Ok(Json(ctx.app.photo(&id).await?.into()))
}
