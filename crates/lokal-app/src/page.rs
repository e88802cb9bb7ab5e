//! Cursor pagination: a page of items and an opaque cursor for the next one.

use crate::AppError;
use lokal_core::ErrorCode;

/// Largest page a client may ask for.
pub const MAX_LIMIT: i64 = 100;
/// Page size when the client does not say.
pub const DEFAULT_LIMIT: i64 = 20;

/// One page of a list.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The items, in list order.
    pub items: Vec<T>,
    /// Pass this as `cursor` to get the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// A validated page request.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest<K> {
    /// Items strictly after this key.
    pub after: Option<K>,
    /// How many items.
    pub limit: i64,
}

impl<K: std::str::FromStr> PageRequest<K> {
    /// Parses `limit` (1..=100, default 20) and an opaque `cursor` from a previous page.
    pub fn parse(cursor: Option<&str>, limit: Option<i64>) -> Result<Self, AppError> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(AppError {
                field: Some("limit".into()),
                ..AppError::new(ErrorCode::ValidationFailed, lokal_core::field::between(1, MAX_LIMIT))
            });
        }
        let after = match cursor {
            None | Some("") => None,
            Some(c) => Some(c.parse().map_err(|_| AppError {
                field: Some("cursor".into()),
                ..AppError::new(ErrorCode::ValidationFailed, "field-cursor")
            })?),
        };
        Ok(Self { after, limit })
    }
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` fetched items: the extra item only proves there is
    /// a next page.
    pub fn from_overfetch(mut items: Vec<T>, limit: i64, key: impl Fn(&T) -> String) -> Self {
        let limit = usize::try_from(limit).unwrap_or(0);
        let more = items.len() > limit;
        items.truncate(limit);
        let next_cursor = if more { items.last().map(key) } else { None };
        Self { items, next_cursor }
    }
}
