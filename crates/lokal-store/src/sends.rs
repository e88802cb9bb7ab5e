//! Messages on their way out: one send per message and channel, tried by the delivery
//! worker until the gateway takes it or the last try failed.

use crate::StoreError;
use crate::row::{get, opt_time, time};
use lokal_core::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, FromRow};

/// A send: one message on one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)] // fields are their columns
pub struct SendRow {
    pub id: String,
    /// The outbox message.
    pub message_id: String,
    /// `sms`, `email` or `webhook`.
    pub channel: String,
    /// The phone (E.164), the e-mail address, or empty for the webhook.
    pub address: String,
    /// `pending`, `sent` or `dead`.
    pub status: String,
    /// Tries that failed.
    pub attempts: i64,
    pub next_attempt_at: Timestamp,
    pub last_error: String,
    /// The gateway's id of the sent message.
    pub provider_ref: String,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
}

const COLUMNS: &str = "id, message_id, channel, address, status, attempts, next_attempt_at, last_error, provider_ref, created_at, sent_at";

impl FromRow<'_, AnyRow> for SendRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(SendRow {
            id: get(r, "id")?,
            message_id: get(r, "message_id")?,
            channel: get(r, "channel")?,
            address: get(r, "address")?,
            status: get(r, "status")?,
            attempts: get(r, "attempts")?,
            next_attempt_at: time(r, "next_attempt_at")?,
            last_error: get(r, "last_error")?,
            provider_ref: get(r, "provider_ref")?,
            created_at: time(r, "created_at")?,
            sent_at: opt_time(r, "sent_at")?,
        })
    }
}

/// Records a send to try (in the transaction that records its message).
pub async fn insert(tx: &mut crate::Tx, d: &SendRow) -> Result<(), StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO message_sends ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    ));
    sqlx::query(sql)
        .bind(&d.id)
        .bind(&d.message_id)
        .bind(&d.channel)
        .bind(&d.address)
        .bind(&d.status)
        .bind(d.attempts)
        .bind(d.next_attempt_at.millis())
        .bind(&d.last_error)
        .bind(&d.provider_ref)
        .bind(d.created_at.millis())
        .bind(d.sent_at.map(Timestamp::millis))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Pending sends whose try is due, oldest due first.
pub async fn due<'e>(
    ex: impl Executor<'e, Database = Any>,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<SendRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM message_sends WHERE status = 'pending' AND next_attempt_at <= $1 \
         ORDER BY next_attempt_at, id LIMIT $2"
    ));
    Ok(sqlx::query_as(sql).bind(now.millis()).bind(limit).fetch_all(ex).await?)
}

/// A message's sends.
pub async fn of_message<'e>(ex: impl Executor<'e, Database = Any>, message: &str) -> Result<Vec<SendRow>, StoreError> {
    let sql =
        sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM message_sends WHERE message_id = $1 ORDER BY channel"));
    Ok(sqlx::query_as(sql).bind(message).fetch_all(ex).await?)
}

/// Sends in `status`, newest first (operators: the dead letters).
pub async fn in_status<'e>(
    ex: impl Executor<'e, Database = Any>,
    status: &str,
    limit: i64,
) -> Result<Vec<SendRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM message_sends WHERE status = $1 ORDER BY next_attempt_at DESC, id LIMIT $2"
    ));
    Ok(sqlx::query_as(sql).bind(status).bind(limit).fetch_all(ex).await?)
}

/// Claims a due send for one try until `until` (a worker that dies meanwhile leaves it to be
/// tried again then); false if it is not due or another worker claimed it first.
pub async fn claim<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    now: Timestamp,
    until: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE message_sends SET next_attempt_at = $3 WHERE id = $1 AND status = 'pending' AND next_attempt_at <= $2",
    )
    .bind(id)
    .bind(now.millis())
    .bind(until.millis())
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The gateway took it; false if it was not pending (another worker sent it).
pub async fn sent<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    provider_ref: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE message_sends SET status = 'sent', provider_ref = $2, sent_at = $3 WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(provider_ref)
    .bind(now.millis())
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A try failed: tried again at `next_at`, or `dead` when `dead` says so.
pub async fn failed<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    error: &str,
    next_at: Timestamp,
    dead: bool,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE message_sends SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3, \
         status = CASE WHEN $4 = 1 THEN 'dead' ELSE status END WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(error)
    .bind(next_at.millis())
    .bind(i64::from(dead))
    .execute(ex)
    .await?;
    Ok(())
}

/// Operators send a dead letter again: pending, due now, its tries counted afresh.
pub async fn revive<'e>(ex: impl Executor<'e, Database = Any>, id: &str, now: Timestamp) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE message_sends SET status = 'pending', attempts = 0, next_attempt_at = $2 WHERE id = $1 AND status = 'dead'",
    )
    .bind(id)
    .bind(now.millis())
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}
