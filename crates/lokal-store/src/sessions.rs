//! Login sessions. Only a SHA-256 of each token is stored, so a leaked database yields no
//! usable tokens.

use crate::StoreError;
use crate::row::{get, parse};
use lokal_core::UserId;
use sqlx::{Any, Executor};

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// Hex SHA-256 of the bearer token or cookie value.
    pub token_hash: String,
    /// Whose session.
    pub user_id: UserId,
    /// `web` (cookie) or `api` (bearer).
    pub kind: String,
    /// Creation time, epoch ms.
    pub created_at: i64,
    /// Expiry time, epoch ms.
    pub expires_at: i64,
}

/// Stores a new session.
pub async fn insert<'e>(ex: impl Executor<'e, Database = Any>, s: &SessionRow) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO sessions (token_hash, user_id, kind, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(s.token_hash.clone())
        .bind(s.user_id.to_string())
        .bind(s.kind.clone())
        .bind(s.created_at)
        .bind(s.expires_at)
        .execute(ex)
        .await?;
    Ok(())
}

/// The unexpired session with this token hash whose user is not disabled.
pub async fn find_live<'e>(
    ex: impl Executor<'e, Database = Any>,
    token_hash: &str,
    now: i64,
) -> Result<Option<SessionRow>, StoreError> {
    let row = sqlx::query(
        "SELECT s.token_hash, s.user_id, s.kind, s.created_at, s.expires_at \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0",
    )
    .bind(token_hash.to_owned())
    .bind(now)
    .fetch_optional(ex)
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(SessionRow {
        token_hash: get(&row, "token_hash")?,
        user_id: parse(&row, "user_id")?,
        kind: get(&row, "kind")?,
        created_at: get(&row, "created_at")?,
        expires_at: get(&row, "expires_at")?,
    }))
}

/// Ends a session. Returns whether it existed.
pub async fn delete<'e>(ex: impl Executor<'e, Database = Any>, token_hash: &str) -> Result<bool, StoreError> {
    let r = sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash.to_owned()).execute(ex).await?;
    Ok(r.rows_affected() > 0)
}

/// Removes sessions that expired before `now`; returns how many.
pub async fn purge_expired<'e>(ex: impl Executor<'e, Database = Any>, now: i64) -> Result<u64, StoreError> {
    let r = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(ex).await?;
    Ok(r.rows_affected())
}

/// Ends every session of `user`; returns how many there were.
pub async fn delete_for_user<'e>(ex: impl Executor<'e, Database = Any>, user: UserId) -> Result<u64, StoreError> {
    let r = sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.to_string()).execute(ex).await?;
    Ok(r.rows_affected())
}
