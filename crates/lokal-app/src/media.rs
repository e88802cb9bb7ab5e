//! Photos (issue H): anyone logged in uploads a JPEG, PNG or WebP of up to 10 MiB; Lokal keeps
//! the original without its metadata (no GPS position, no camera, no time) where nobody can read
//! it, and serves JPEG variants 200 and 800 pixels wide under `/media/<id>/w200.jpg` with long
//! cache lifetimes. Stores, menu items, deals and reviews refer to photos by id.

use crate::{App, AppError};
use lokal_core::{ErrorCode, FieldError, Msg, Principal};
use lokal_media::process::{ProcessError, VARIANTS};
use lokal_store::media::{self, MediaRow};
use std::sync::Arc;

/// The largest upload, bytes.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Uploads a person may make in an hour.
const PER_HOUR: i64 = 120;

/// `[media]` as configured.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MediaSettings {
    /// Where photos are kept; empty means `media/` in the data directory.
    pub dir: String,
}

/// A stored photo as clients see it.
#[derive(Debug, Clone)]
pub struct Photo {
    /// The row.
    pub row: MediaRow,
    /// (variant, width, height, URL path), smallest first.
    pub variants: Vec<(&'static str, u32, u32, String)>,
}

/// The URL path of a photo's variant.
pub fn variant_url(id: &str, variant: &str) -> String {
    format!("/media/{id}/{variant}.jpg")
}

fn variant_key(id: &str, variant: &str) -> String {
    format!("public/{id}/{variant}.jpg")
}

impl App {
    /// The same app keeping photos in `store`.
    pub fn with_media(mut self, store: Arc<dyn lokal_media::MediaStore>) -> Self {
        self.media = store;
        self
    }

    /// Checks, strips, resizes and stores an upload of the caller's.
    pub async fn upload_photo(&self, caller: &Principal, bytes: Vec<u8>) -> Result<Photo, AppError> {
        if bytes.len() > MAX_BYTES {
            return Err(
                FieldError::new("file", Msg::new("media-too-large").with("mib", MAX_BYTES / (1024 * 1024))).into()
            );
        }
        if bytes.is_empty() {
            return Err(FieldError::new("file", "media-empty").into());
        }
        self.rate_hit(&format!("upload:{}", caller.user_id), PER_HOUR, 3600).await?;
        let processed = tokio::task::spawn_blocking(move || lokal_media::process(&bytes))
            .await
            .map_err(AppError::internal)?
            .map_err(|e| match e {
                ProcessError::NotAnImage => FieldError::new("file", "media-not-an-image"),
                ProcessError::Broken(_) => FieldError::new("file", "media-broken"),
                ProcessError::TooLarge => FieldError::new(
                    "file",
                    Msg::new("media-too-many-pixels").with("px", lokal_media::process::MAX_SIDE),
                ),
            })?;
        let id = uuid::Uuid::now_v7().to_string();
        let store = self.media.clone();
        let mut variants = Vec::with_capacity(processed.variants.len());
        for v in processed.variants {
            store.put(&variant_key(&id, v.name), v.bytes).await.map_err(AppError::internal)?;
            variants.push((v.name, v.width, v.height, variant_url(&id, v.name)));
        }
        let ext = processed.format.ext();
        let size = i64::try_from(processed.original.len()).unwrap_or(i64::MAX);
        store.put(&format!("originals/{id}.{ext}"), processed.original).await.map_err(AppError::internal)?;
        let row = MediaRow {
            id,
            owner_id: caller.user_id,
            format: ext.into(),
            width: i64::from(processed.width),
            height: i64::from(processed.height),
            size_bytes: size,
            orientation: i64::from(processed.orientation),
            created_at: self.now(),
        };
        media::insert(self.db().pool(), &row).await?;
        Ok(Photo { row, variants })
    }

    /// A photo by id, with its variants' URLs.
    pub async fn photo(&self, id: &str) -> Result<Photo, AppError> {
        let id = uuid::Uuid::parse_str(id).map_err(|_| AppError::new(ErrorCode::NotFound, "media-not-found"))?;
        let row = media::get_by_id(self.db().pool(), &id.to_string())
            .await?
            .ok_or_else(|| AppError::new(ErrorCode::NotFound, "media-not-found"))?;
        let (w, h) = (u32::try_from(row.width).unwrap_or(0), u32::try_from(row.height).unwrap_or(0));
        let variants = VARIANTS
            .iter()
            .map(|(name, vw)| {
                let vw = (*vw).min(w);
                let vh = if w == 0 {
                    0
                } else {
                    u32::try_from((u64::from(h) * u64::from(vw)).div_ceil(u64::from(w))).unwrap_or(0)
                };
                (*name, vw, vh.max(1), variant_url(&row.id, name))
            })
            .collect();
        Ok(Photo { row, variants })
    }

    /// Checks that the photo `r` (as `lokal_core::photo` keeps references), when it is an
    /// uploaded one, was uploaded: otherwise `422` naming `field`.
    pub(crate) async fn check_photo(&self, field: &str, r: &str) -> Result<(), AppError> {
        match lokal_core::photo::uploaded_id(r) {
            Some(id) if media::get_by_id(self.db().pool(), id).await?.is_none() => {
                Err(FieldError::new(field, "media-not-found").into())
            }
            _ => Ok(()),
        }
    }

    /// [`App::check_photo`] for each of `refs`, naming `field[i]`.
    pub(crate) async fn check_photos(&self, field: &str, refs: &[String]) -> Result<(), AppError> {
        for (i, r) in refs.iter().enumerate() {
            self.check_photo(&format!("{field}[{i}]"), r).await?;
        }
        Ok(())
    }

    /// The bytes of a public variant (`w200`, `w800`) of photo `id`, if there is one. Reads the
    /// media store only: the id and the variant are checked first, so no other key is reachable.
    pub async fn photo_variant(&self, id: &str, variant: &str) -> Result<Option<Vec<u8>>, AppError> {
        let Ok(id) = uuid::Uuid::parse_str(id) else { return Ok(None) };
        if !VARIANTS.iter().any(|(v, _)| *v == variant) {
            return Ok(None);
        }
        self.media.get(&variant_key(&id.to_string(), variant)).await.map_err(AppError::internal)
    }
}
