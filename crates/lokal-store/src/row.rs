//! The row boundary: reading typed values out of `Any` rows. Every row type implements
//! [`sqlx::FromRow`] by hand with these helpers and is read with `query_as`; a stored value that
//! does not decode (an unknown status, a malformed id) is an error, which
//! [`StoreError`](crate::StoreError) reports as a corrupt row, never a default.

use lokal_core::Timestamp;
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
pub(crate) fn get<T>(row: &AnyRow, col: &str) -> Result<T, sqlx::Error>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    row.try_get(col)
}

/// The error for a column whose text does not parse.
pub(crate) fn undecodable(col: &str, s: &str) -> sqlx::Error {
    sqlx::Error::ColumnDecode { index: col.to_owned(), source: format!("cannot parse {s:?}").into() }
}

/// Reads a TEXT column and parses it (ids, statuses).
pub(crate) fn parse<T: FromStr>(row: &AnyRow, col: &str) -> Result<T, sqlx::Error> {
    let s: String = get(row, col)?;
    s.parse().map_err(|_| undecodable(col, &s))
}

/// Reads a nullable TEXT column and parses it.
pub(crate) fn opt<T: FromStr>(row: &AnyRow, col: &str) -> Result<Option<T>, sqlx::Error> {
    let s: Option<String> = get(row, col)?;
    s.map(|s| s.parse().map_err(|_| undecodable(col, &s))).transpose()
}

/// Reads an epoch-milliseconds column as an instant.
pub(crate) fn time(row: &AnyRow, col: &str) -> Result<Timestamp, sqlx::Error> {
    get(row, col).map(Timestamp::from_millis)
}

/// Reads a nullable epoch-milliseconds column.
pub(crate) fn opt_time(row: &AnyRow, col: &str) -> Result<Option<Timestamp>, sqlx::Error> {
    get::<Option<i64>>(row, col).map(|t| t.map(Timestamp::from_millis))
}
