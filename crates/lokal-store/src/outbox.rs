//! Messages to people, recorded by the default notifier.

use crate::StoreError;
use crate::row::{get, parse};
use lokal_core::UserId;
use sqlx::{Any, Executor};

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
    /// Sent, epoch ms.
    pub created_at: i64,
}

/// Records a message.
pub async fn insert<'e>(ex: impl Executor<'e, Database = Any>, m: &MessageRow) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO outbox (id, user_id, channel, subject, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&m.id)
        .bind(m.user_id.to_string())
        .bind(&m.channel)
        .bind(&m.subject)
        .bind(&m.body)
        .bind(m.created_at)
        .execute(ex)
        .await
        .map_err(StoreError::from_sqlx)?;
    Ok(())
}

/// A person's messages, newest first.
pub async fn for_user<'e>(
    ex: impl Executor<'e, Database = Any>,
    user: UserId,
    limit: i64,
) -> Result<Vec<MessageRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, user_id, channel, subject, body, created_at FROM outbox WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(user.to_string())
    .bind(limit)
    .fetch_all(ex)
    .await
    .map_err(StoreError::from_sqlx)?;
    rows.iter()
        .map(|r| {
            Ok(MessageRow {
                id: get(r, "id")?,
                user_id: parse(r, "user_id")?,
                channel: get(r, "channel")?,
                subject: get(r, "subject")?,
                body: get(r, "body")?,
                created_at: get(r, "created_at")?,
            })
        })
        .collect()
}
