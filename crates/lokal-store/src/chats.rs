//! Consultation chat: one thread per consumer and store, its messages, and each side's unread
//! count (raised by the other side's message in the same transaction, zeroed by reading).

use crate::StoreError;
use crate::row::{get, parse, time};
use lokal_core::Timestamp;
use lokal_core::{MerchantId, StoreId, UserId};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, FromRow};

/// A thread with the names the lists show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadRow {
    /// The id (a UUID).
    pub id: String,
    /// The store asked.
    pub store_id: StoreId,
    /// The store's name.
    pub store_name: String,
    /// Its merchant.
    pub merchant_id: MerchantId,
    /// The consumer who asks.
    pub user_id: UserId,
    /// The consumer's display name.
    pub consumer_name: String,
    /// Opened.
    pub created_at: Timestamp,
    /// The last message.
    pub last_at: Timestamp,
    /// The start of the last message.
    pub last_preview: String,
    /// Messages from the store the consumer has not read.
    pub consumer_unread: i64,
    /// Messages from the consumer the store's staff have not read.
    pub store_unread: i64,
}

/// A message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRow {
    /// The id (a UUIDv7: ordered by time).
    pub id: String,
    /// Its thread.
    pub thread_id: String,
    /// `consumer` or `store`.
    pub sender: String,
    /// Who wrote it (the consumer, or the member of staff who answered).
    pub sender_id: UserId,
    /// The words.
    pub body: String,
    /// Sent.
    pub at: Timestamp,
}

const SELECT: &str = "SELECT t.id, t.store_id, s.name AS store_name, t.merchant_id, t.user_id, \
    u.display_name AS consumer_name, t.created_at, t.last_at, t.last_preview, t.consumer_unread, t.store_unread \
    FROM chat_threads t JOIN stores s ON s.id = t.store_id JOIN users u ON u.id = t.user_id";

impl FromRow<'_, AnyRow> for ThreadRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: get(r, "id")?,
            store_id: parse(r, "store_id")?,
            store_name: get(r, "store_name")?,
            merchant_id: parse(r, "merchant_id")?,
            user_id: parse(r, "user_id")?,
            consumer_name: get(r, "consumer_name")?,
            created_at: time(r, "created_at")?,
            last_at: time(r, "last_at")?,
            last_preview: get(r, "last_preview")?,
            consumer_unread: get(r, "consumer_unread")?,
            store_unread: get(r, "store_unread")?,
        })
    }
}

impl FromRow<'_, AnyRow> for MessageRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: get(r, "id")?,
            thread_id: get(r, "thread_id")?,
            sender: get(r, "sender")?,
            sender_id: parse(r, "sender_id")?,
            body: get(r, "body")?,
            at: time(r, "at")?,
        })
    }
}

/// The consumer's thread with the store, opened with `id` if there was none (two first messages
/// racing end in the same thread); returns its id.
pub async fn open(
    tx: &mut crate::Tx,
    id: &str,
    store: StoreId,
    merchant: MerchantId,
    user: UserId,
    at: Timestamp,
) -> Result<String, StoreError> {
    sqlx::query(
        "INSERT INTO chat_threads (id, store_id, merchant_id, user_id, created_at, last_at, last_preview, \
         consumer_unread, store_unread) VALUES ($1, $2, $3, $4, $5, $5, '', 0, 0) \
         ON CONFLICT (store_id, user_id) DO NOTHING",
    )
    .bind(id)
    .bind(store.to_string())
    .bind(merchant.to_string())
    .bind(user.to_string())
    .bind(at.millis())
    .execute(&mut **tx)
    .await?;
    let row = sqlx::query("SELECT id FROM chat_threads WHERE store_id = $1 AND user_id = $2")
        .bind(store.to_string())
        .bind(user.to_string())
        .fetch_one(&mut **tx)
        .await?;
    Ok(get(&row, "id")?)
}

/// Adds a message and, in the same transaction, moves the thread's last message, raises the
/// other side's unread count and zeroes the sender's (who answers has read).
pub async fn post(tx: &mut crate::Tx, m: &MessageRow, preview: &str) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO chat_messages (id, thread_id, sender, sender_id, body, at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&m.id)
    .bind(&m.thread_id)
    .bind(&m.sender)
    .bind(m.sender_id.to_string())
    .bind(&m.body)
    .bind(m.at.millis())
    .execute(&mut **tx)
    .await?;
    let sql = if m.sender == "consumer" {
        "UPDATE chat_threads SET last_at = $2, last_preview = $3, store_unread = store_unread + 1, \
         consumer_unread = 0 WHERE id = $1"
    } else {
        "UPDATE chat_threads SET last_at = $2, last_preview = $3, consumer_unread = consumer_unread + 1, \
         store_unread = 0 WHERE id = $1"
    };
    sqlx::query(sql).bind(&m.thread_id).bind(m.at.millis()).bind(preview).execute(&mut **tx).await?;
    Ok(())
}

/// Zeroes one side's unread count (`consumer` or `store`).
pub async fn mark_read<'e>(ex: impl Executor<'e, Database = Any>, id: &str, side: &str) -> Result<(), StoreError> {
    let sql = if side == "consumer" {
        "UPDATE chat_threads SET consumer_unread = 0 WHERE id = $1 AND consumer_unread <> 0"
    } else {
        "UPDATE chat_threads SET store_unread = 0 WHERE id = $1 AND store_unread <> 0"
    };
    sqlx::query(sql).bind(id).execute(ex).await?;
    Ok(())
}

/// One thread.
pub async fn by_id<'e>(ex: impl Executor<'e, Database = Any>, id: &str) -> Result<Option<ThreadRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE t.id = $1"));
    Ok(sqlx::query_as(sql).bind(id).fetch_optional(ex).await?)
}

/// The consumer's thread with a store, if any.
pub async fn between<'e>(
    ex: impl Executor<'e, Database = Any>,
    store: StoreId,
    user: UserId,
) -> Result<Option<ThreadRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE t.store_id = $1 AND t.user_id = $2"));
    Ok(sqlx::query_as(sql).bind(store.to_string()).bind(user.to_string()).fetch_optional(ex).await?)
}

/// A consumer's threads, latest message first (at most 200).
pub async fn of_user<'e>(ex: impl Executor<'e, Database = Any>, user: UserId) -> Result<Vec<ThreadRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE t.user_id = $1 ORDER BY t.last_at DESC, t.id LIMIT 200"));
    Ok(sqlx::query_as(sql).bind(user.to_string()).fetch_all(ex).await?)
}

/// A store's threads, latest message first (at most 500).
pub async fn of_store<'e>(ex: impl Executor<'e, Database = Any>, store: StoreId) -> Result<Vec<ThreadRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE t.store_id = $1 ORDER BY t.last_at DESC, t.id LIMIT 500"));
    Ok(sqlx::query_as(sql).bind(store.to_string()).fetch_all(ex).await?)
}

/// A thread's latest `limit` messages, oldest first.
pub async fn messages<'e>(
    ex: impl Executor<'e, Database = Any>,
    thread_id: &str,
    limit: i64,
) -> Result<Vec<MessageRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, thread_id, sender, sender_id, body, at FROM chat_messages WHERE thread_id = $1 \
         ORDER BY id DESC LIMIT $2",
    )
    .bind(thread_id)
    .bind(limit)
    .fetch_all(ex)
    .await?;
    let mut out = rows.iter().map(MessageRow::from_row).collect::<Result<Vec<_>, _>>()?;
    out.reverse();
    Ok(out)
}
