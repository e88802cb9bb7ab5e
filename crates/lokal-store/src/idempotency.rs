//! Idempotency keys: the first request with a key claims it; its response is stored and replayed
//! to every later request with the same key and the same body.

use crate::StoreError;
use crate::row::get;
use sqlx::{Any, Executor};

/// What is known about a key when a request arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key was free and is now claimed by this request.
    Claimed,
    /// A request with this key already finished: replay its response if the body hash matches.
    Done {
        /// Hash of the first request.
        request_hash: String,
        /// The stored status code.
        status: u16,
        /// The stored JSON body.
        body: String,
    },
    /// A request with this key is still running (or died without completing recently).
    InFlight {
        /// Hash of the first request.
        request_hash: String,
    },
}

/// Claims `(scope, key)` for a request whose hash is `request_hash`, or reports the earlier one.
/// Keys older than `expired_before` are forgotten first, and so are claims still unfinished since
/// before `stale_before` (their request died without releasing them).
pub async fn claim(
    db: &crate::Db,
    scope: &str,
    key: &str,
    request_hash: &str,
    now: i64,
    expired_before: i64,
    stale_before: i64,
) -> Result<Claim, StoreError> {
    let pool = db.pool();
    sqlx::query(
        "DELETE FROM idempotency_keys WHERE scope = $1 AND idem_key = $2 \
         AND (created_at < $3 OR (status = 0 AND created_at < $4))",
    )
    .bind(scope.to_owned())
    .bind(key.to_owned())
    .bind(expired_before)
    .bind(stale_before)
    .execute(pool)
    .await?;
    let inserted = sqlx::query(
        "INSERT INTO idempotency_keys (scope, idem_key, request_hash, status, response_body, created_at) \
         VALUES ($1, $2, $3, 0, NULL, $4) ON CONFLICT (scope, idem_key) DO NOTHING",
    )
    .bind(scope.to_owned())
    .bind(key.to_owned())
    .bind(request_hash.to_owned())
    .bind(now)
    .execute(pool)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(Claim::Claimed);
    }
    let row = sqlx::query(
        "SELECT request_hash, status, response_body FROM idempotency_keys WHERE scope = $1 AND idem_key = $2",
    )
    .bind(scope.to_owned())
    .bind(key.to_owned())
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        // Deleted between our insert and select (expiry by another process): treat as in flight;
        // the client retries.
        return Ok(Claim::InFlight { request_hash: request_hash.to_owned() });
    };
    let request_hash: String = get(&row, "request_hash")?;
    let status: i64 = get(&row, "status")?;
    let body: Option<String> = get(&row, "response_body")?;
    Ok(match (u16::try_from(status), body) {
        (Ok(status), Some(body)) if status != 0 => Claim::Done { request_hash, status, body },
        _ => Claim::InFlight { request_hash },
    })
}

/// Stores the response of the request that claimed the key.
pub async fn complete<'e>(
    ex: impl Executor<'e, Database = Any>,
    scope: &str,
    key: &str,
    status: u16,
    body: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE idempotency_keys SET status = $1, response_body = $2 WHERE scope = $3 AND idem_key = $4")
        .bind(i64::from(status))
        .bind(body.to_owned())
        .bind(scope.to_owned())
        .bind(key.to_owned())
        .execute(ex)
        .await?;
    Ok(())
}

/// Releases a claimed key whose request failed in a way worth retrying (a server error).
pub async fn release<'e>(ex: impl Executor<'e, Database = Any>, scope: &str, key: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM idempotency_keys WHERE scope = $1 AND idem_key = $2 AND status = 0")
        .bind(scope.to_owned())
        .bind(key.to_owned())
        .execute(ex)
        .await?;
    Ok(())
}

/// Forgets keys created before `before`; returns how many.
pub async fn purge<'e>(ex: impl Executor<'e, Database = Any>, before: i64) -> Result<u64, StoreError> {
    let r = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1").bind(before).execute(ex).await?;
    Ok(r.rows_affected())
}
