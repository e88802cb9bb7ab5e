//! Photos: who uploaded each and what it is (the bytes are in the media store).

use crate::StoreError;
use crate::row::{get, parse, time};
use lokal_core::Timestamp;
use lokal_core::UserId;
use sqlx::FromRow;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

/// A stored photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRow {
    /// The id (a UUIDv7).
    pub id: String,
    /// Who uploaded it.
    pub owner_id: UserId,
    /// `jpg`, `png` or `webp` (the original's format).
    pub format: String,
    /// Upright width in pixels.
    pub width: i64,
    /// Upright height in pixels.
    pub height: i64,
    /// The original's size without metadata, bytes.
    pub size_bytes: i64,
    /// The EXIF orientation the upload had (1 = upright), applied to the variants.
    pub orientation: i64,
    /// Uploaded.
    pub created_at: Timestamp,
}

impl FromRow<'_, AnyRow> for MediaRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: get(r, "id")?,
            owner_id: parse(r, "owner_id")?,
            format: get(r, "format")?,
            width: get(r, "width")?,
            height: get(r, "height")?,
            size_bytes: get(r, "size_bytes")?,
            orientation: get(r, "orientation")?,
            created_at: time(r, "created_at")?,
        })
    }
}

/// Records a photo.
pub async fn insert<'e>(ex: impl Executor<'e, Database = Any>, m: &MediaRow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO media (id, owner_id, format, width, height, size_bytes, orientation, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&m.id)
    .bind(m.owner_id.to_string())
    .bind(&m.format)
    .bind(m.width)
    .bind(m.height)
    .bind(m.size_bytes)
    .bind(m.orientation)
    .bind(m.created_at.millis())
    .execute(ex)
    .await?;
    Ok(())
}

/// The photo with this id.
pub async fn get_by_id<'e>(ex: impl Executor<'e, Database = Any>, id: &str) -> Result<Option<MediaRow>, StoreError> {
    let row = sqlx::query(
        "SELECT id, owner_id, format, width, height, size_bytes, orientation, created_at FROM media WHERE id = $1",
    )
    .bind(id.to_owned())
    .fetch_optional(ex)
    .await?;
    Ok(row.as_ref().map(MediaRow::from_row).transpose()?)
}
