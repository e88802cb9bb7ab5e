//! Reading typed values out of `Any` rows, with corrupt data reported instead of panicking.

use crate::StoreError;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::str::FromStr;

/// The placeholders `$1, $2, …, $n` of an `IN (…)` list.
pub(crate) fn marks(n: usize) -> String {
    (1..=n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// A column list (`id, name`) with each column under a table alias (`r.id, r.name`), for joins.
pub(crate) fn prefixed(columns: &str, alias: &str) -> String {
    columns.split(',').map(|c| format!("{alias}.{}", c.trim())).collect::<Vec<_>>().join(", ")
}

/// Reads column `col` as `T`.
pub(crate) fn get<T>(row: &AnyRow, col: &str) -> Result<T, StoreError>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    row.try_get(col).map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

/// Reads a TEXT column and parses it (ids, enums).
pub(crate) fn parse<T: FromStr>(row: &AnyRow, col: &str) -> Result<T, StoreError> {
    let s: String = get(row, col)?;
    s.parse().map_err(|_| StoreError::Corrupt(format!("{col}: cannot parse {s:?}")))
}

/// Reads a nullable TEXT column and parses it.
pub(crate) fn opt<T: FromStr>(row: &AnyRow, col: &str) -> Result<Option<T>, StoreError> {
    let s: Option<String> = get(row, col)?;
    s.map(|s| s.parse().map_err(|_| StoreError::Corrupt(format!("{col}: cannot parse {s:?}")))).transpose()
}
