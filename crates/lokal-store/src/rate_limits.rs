//! Fixed-window counters in the database, so that a limit holds across every server process.

use crate::StoreError;
use crate::row::get;
use sqlx::{Any, Executor};

/// Counts one hit on `bucket` in the window starting at `window_start` and returns the count
/// including this hit.
pub async fn hit<'e>(
    ex: impl Executor<'e, Database = Any>,
    bucket: &str,
    window_start: i64,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits",
    )
    .bind(bucket.to_owned())
    .bind(window_start)
    .fetch_one(ex)
    .await?;
    Ok(get(&row, "hits")?)
}

/// Takes one hit back from `bucket` in the window starting at `window_start`.
pub async fn refund<'e>(
    ex: impl Executor<'e, Database = Any>,
    bucket: &str,
    window_start: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE rate_limits SET hits = hits - 1 WHERE bucket = $1 AND window_start = $2 AND hits > 0")
        .bind(bucket.to_owned())
        .bind(window_start)
        .execute(ex)
        .await?;
    Ok(())
}

/// The count of `bucket` in the window (0 if none).
pub async fn count<'e>(
    ex: impl Executor<'e, Database = Any>,
    bucket: &str,
    window_start: i64,
) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT hits FROM rate_limits WHERE bucket = $1 AND window_start = $2")
        .bind(bucket.to_owned())
        .bind(window_start)
        .fetch_optional(ex)
        .await?;
    Ok(row.map_or(Ok(0), |r| get(&r, "hits"))?)
}

/// Forgets windows that started before `before`.
pub async fn purge<'e>(ex: impl Executor<'e, Database = Any>, before: i64) -> Result<u64, StoreError> {
    let r = sqlx::query("DELETE FROM rate_limits WHERE window_start < $1").bind(before).execute(ex).await?;
    Ok(r.rows_affected())
}

/// A gate that lets one attempt through at a time: if `bucket`'s stored time (epoch ms, kept in
/// `hits` of the window starting at `window_start`; [`count`] reads it) is not after `now`, moves
/// it to `next_at` and returns true (this attempt may go ahead); otherwise false. One statement,
/// so concurrent attempts cannot both pass.
pub async fn pass_gate<'e>(
    ex: impl Executor<'e, Database = Any>,
    bucket: &str,
    window_start: i64,
    now: i64,
    next_at: i64,
) -> Result<bool, StoreError> {
    let moved = sqlx::query(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, $4) \
         ON CONFLICT (bucket, window_start) DO UPDATE SET hits = $4 WHERE rate_limits.hits <= $3 RETURNING hits",
    )
    .bind(bucket.to_owned())
    .bind(window_start)
    .bind(now)
    .bind(next_at)
    .fetch_optional(ex)
    .await?;
    Ok(moved.is_some())
}

/// Forgets every window of `bucket`.
pub async fn clear<'e>(ex: impl Executor<'e, Database = Any>, bucket: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM rate_limits WHERE bucket = $1").bind(bucket.to_owned()).execute(ex).await?;
    Ok(())
}
