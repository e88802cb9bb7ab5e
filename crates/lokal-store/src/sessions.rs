//! Login sessions. Only a SHA-256 of each token is stored, so a leaked database yields no
//! usable tokens.

use crate::StoreError;
use crate::row::{get, parse, time};
use lokal_core::Timestamp;
use lokal_core::UserId;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, FromRow};

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// Hex SHA-256 of the bearer token or cookie value.
    pub token_hash: String,
    /// Whose session.
    pub user_id: UserId,
    /// `web` (cookie) or `api` (bearer).
    pub kind: String,
    /// Creation time.
    pub created_at: Timestamp,
    /// Expiry time.
    pub expires_at: Timestamp,
}

/// Stores a new session.
pub async fn insert<'e>(ex: impl Executor<'e, Database = Any>, s: &SessionRow) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO sessions (token_hash, user_id, kind, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(s.token_hash.clone())
        .bind(s.user_id.to_string())
        .bind(s.kind.clone())
        .bind(s.created_at.millis())
        .bind(s.expires_at.millis())
        .execute(ex)
        .await?;
    Ok(())
}

/// The unexpired session with this token hash whose user is not disabled.
pub async fn find_live<'e>(
    ex: impl Executor<'e, Database = Any>,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<SessionRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT s.token_hash, s.user_id, s.kind, s.created_at, s.expires_at \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0",
    )
    .bind(token_hash.to_owned())
    .bind(now.millis())
    .fetch_optional(ex)
    .await?)
}

impl FromRow<'_, AnyRow> for SessionRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            token_hash: get(r, "token_hash")?,
            user_id: parse(r, "user_id")?,
            kind: get(r, "kind")?,
            created_at: time(r, "created_at")?,
            expires_at: time(r, "expires_at")?,
        })
    }
}

/// Ends a session. Returns whether it existed.
pub async fn delete<'e>(ex: impl Executor<'e, Database = Any>, token_hash: &str) -> Result<bool, StoreError> {
    let r = sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash.to_owned()).execute(ex).await?;
    Ok(r.rows_affected() > 0)
}

/// Removes sessions that expired before `now`; returns how many.
pub async fn purge_expired<'e>(ex: impl Executor<'e, Database = Any>, now: Timestamp) -> Result<u64, StoreError> {
    let r = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now.millis()).execute(ex).await?;
    Ok(r.rows_affected())
}

/// Ends every session of `user`; returns how many there were.
pub async fn delete_for_user<'e>(ex: impl Executor<'e, Database = Any>, user: UserId) -> Result<u64, StoreError> {
    let r = sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.to_string()).execute(ex).await?;
    Ok(r.rows_affected())
}
