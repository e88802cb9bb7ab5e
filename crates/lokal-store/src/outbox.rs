//! Messages to people, recorded by the default notifier.

use crate::StoreError;
use crate::row::{get, opt_time, parse, time};
use lokal_core::Timestamp;
use lokal_core::UserId;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, FromRow};

/// A recorded message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRow {
    /// The id (UUIDv7 text).
    pub id: String,
    /// The recipient.
    pub user_id: UserId,
    /// `sms` or `email`.
    pub channel: String,
    /// Subject line.
    pub subject: String,
    /// Text.
    pub body: String,
    /// Sent.
    pub created_at: Timestamp,
    /// The page of this site the message is about (`/orders/…`), `""` for none.
    pub link: String,
    /// When its recipient opened the message centre after it came; `None` while unread.
    pub read_at: Option<Timestamp>,
    /// What kind of message (`voucher_issued`, `order_update`, …): which channels it goes out on.
    pub kind: String,
    /// The values its text was made from, JSON (an SMS template is filled with them).
    pub params: String,
}

/// Records a message.
pub async fn insert<'e>(ex: impl Executor<'e, Database = Any>, m: &MessageRow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO outbox (id, user_id, channel, subject, body, created_at, link, read_at, kind, params) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&m.id)
    .bind(m.user_id.to_string())
    .bind(&m.channel)
    .bind(&m.subject)
    .bind(&m.body)
    .bind(m.created_at.millis())
    .bind(&m.link)
    .bind(m.read_at.map(Timestamp::millis))
    .bind(&m.kind)
    .bind(&m.params)
    .execute(ex)
    .await?;
    Ok(())
}

/// A person's messages, newest first.
pub async fn for_user<'e>(
    ex: impl Executor<'e, Database = Any>,
    user: UserId,
    limit: i64,
) -> Result<Vec<MessageRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, user_id, channel, subject, body, created_at, link, read_at, kind, params FROM outbox \
         WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(user.to_string())
    .bind(limit)
    .fetch_all(ex)
    .await?)
}

impl FromRow<'_, AnyRow> for MessageRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: get(r, "id")?,
            user_id: parse(r, "user_id")?,
            channel: get(r, "channel")?,
            subject: get(r, "subject")?,
            body: get(r, "body")?,
            created_at: time(r, "created_at")?,
            link: get(r, "link")?,
            read_at: opt_time(r, "read_at")?,
            kind: get(r, "kind")?,
            params: get(r, "params")?,
        })
    }
}

/// How many of a person's messages are unread.
pub async fn unread_count<'e>(ex: impl Executor<'e, Database = Any>, user: UserId) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE user_id = $1 AND read_at IS NULL")
        .bind(user.to_string())
        .fetch_one(ex)
        .await?;
    Ok(get(&row, "n")?)
}

/// Marks a person's unread messages read at `at`: those up to `up_to` (an id, inclusive: the
/// newest one they were shown, so that a message that came after stays unread), or all of them.
/// Returns how many.
pub async fn mark_read<'e>(
    ex: impl Executor<'e, Database = Any>,
    user: UserId,
    up_to: Option<&str>,
    at: Timestamp,
) -> Result<u64, StoreError> {
    let done = match up_to {
        Some(id) => {
            sqlx::query("UPDATE outbox SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL AND id <= $3")
                .bind(at.millis())
                .bind(user.to_string())
                .bind(id)
                .execute(ex)
                .await
        }
        None => {
            sqlx::query("UPDATE outbox SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
                .bind(at.millis())
                .bind(user.to_string())
                .execute(ex)
                .await
        }
    }?;
    Ok(done.rows_affected())
}

/// The counts on every page's header for a person: unread answers from stores (chats) and
/// unread messages, in one round trip.
pub async fn badges<'e>(ex: impl Executor<'e, Database = Any>, user: UserId) -> Result<(i64, i64), StoreError> {
    let row = sqlx::query(
        "SELECT (SELECT CAST(COALESCE(SUM(consumer_unread), 0) AS BIGINT) FROM chat_threads WHERE user_id = $1) AS chats, \
         (SELECT COUNT(*) FROM outbox WHERE user_id = $2 AND read_at IS NULL) AS messages",
    )
    .bind(user.to_string())
    .bind(user.to_string())
    .fetch_one(ex)
    .await?;
    Ok((get(&row, "chats")?, get(&row, "messages")?))
}

/// A message by id.
pub async fn get_by_id<'e>(ex: impl Executor<'e, Database = Any>, id: &str) -> Result<Option<MessageRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, user_id, channel, subject, body, created_at, link, read_at, kind, params FROM outbox WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(ex)
    .await?)
}
