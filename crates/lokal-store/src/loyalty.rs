//! Loyalty: a merchant's program (points rate, recharge offers), recharges in flight, a card's
//! history read from the ledger, and messages to members with their deliveries.

use crate::StoreError;
use crate::row::{get, opt, parse, time};
use lokal_core::PaymentStatus;
use lokal_core::Timestamp;
use lokal_core::{MerchantId, StoreId, UserId};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, FromRow};

/// A merchant's program as stored (JSON of `lokal_core::loyalty::Program`), if it set one.
pub async fn program<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
) -> Result<Option<String>, StoreError> {
    let row = sqlx::query("SELECT program_json FROM loyalty_programs WHERE merchant_id = $1")
        .bind(merchant.to_string())
        .fetch_optional(ex)
        .await?;
    Ok(row.map(|r| get(&r, "program_json")).transpose()?)
}

/// Sets a merchant's program.
pub async fn set_program<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    json: &str,
    at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO loyalty_programs (merchant_id, program_json, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (merchant_id) DO UPDATE SET program_json = excluded.program_json, updated_at = excluded.updated_at",
    )
    .bind(merchant.to_string())
    .bind(json)
    .bind(at.millis())
    .execute(ex)
    .await?;
    Ok(())
}

/// A recharge of a card through the gateway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RechargeRow {
    /// The id (UUIDv7 text).
    pub id: String,
    /// Whose card.
    pub merchant_id: MerchantId,
    /// The member.
    pub user_id: UserId,
    /// Where it was bought (the store page used), if known.
    pub store_id: Option<StoreId>,
    /// Paid, minor units.
    pub pay: i64,
    /// Added by the merchant, minor units.
    pub bonus: i64,
    /// The gateway.
    pub provider: String,
    /// The gateway's reference.
    pub provider_ref: String,
    /// `pending`, `succeeded`, `failed`.
    pub status: PaymentStatus,
    /// Created.
    pub created_at: Timestamp,
    /// Last change.
    pub updated_at: Timestamp,
}

const RECHARGE_COLUMNS: &str =
    "id, merchant_id, user_id, store_id, pay, bonus, provider, provider_ref, status, created_at, updated_at";

impl FromRow<'_, AnyRow> for RechargeRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: get(r, "id")?,
            merchant_id: parse(r, "merchant_id")?,
            user_id: parse(r, "user_id")?,
            store_id: opt(r, "store_id")?,
            pay: get(r, "pay")?,
            bonus: get(r, "bonus")?,
            provider: get(r, "provider")?,
            provider_ref: get(r, "provider_ref")?,
            status: parse(r, "status")?,
            created_at: time(r, "created_at")?,
            updated_at: time(r, "updated_at")?,
        })
    }
}

/// Records a recharge waiting for its payment.
pub async fn insert_recharge<'e>(ex: impl Executor<'e, Database = Any>, r: &RechargeRow) -> Result<(), StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO recharges ({RECHARGE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    ));
    sqlx::query(sql)
        .bind(&r.id)
        .bind(r.merchant_id.to_string())
        .bind(r.user_id.to_string())
        .bind(r.store_id.map(|s| s.to_string()))
        .bind(r.pay)
        .bind(r.bonus)
        .bind(&r.provider)
        .bind(&r.provider_ref)
        .bind(r.status.as_str())
        .bind(r.created_at.millis())
        .bind(r.updated_at.millis())
        .execute(ex)
        .await?;
    Ok(())
}

/// A recharge by its gateway reference.
pub async fn recharge_by_ref<'e>(
    ex: impl Executor<'e, Database = Any>,
    provider: &str,
    provider_ref: &str,
) -> Result<Option<RechargeRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {RECHARGE_COLUMNS} FROM recharges WHERE provider = $1 AND provider_ref = $2"
    ));
    Ok(sqlx::query_as(sql).bind(provider).bind(provider_ref).fetch_optional(ex).await?)
}

/// A member's recharges at a merchant still waiting for the gateway, started since `since`
/// (epoch ms), newest first.
pub async fn pending_recharges<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    user: UserId,
    since: i64,
) -> Result<Vec<RechargeRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {RECHARGE_COLUMNS} FROM recharges WHERE user_id = $1 AND merchant_id = $2 \
         AND status = 'pending' AND created_at >= $3 ORDER BY created_at DESC LIMIT 10"
    ));
    Ok(sqlx::query_as(sql).bind(user.to_string()).bind(merchant.to_string()).bind(since).fetch_all(ex).await?)
}

/// Recharges still pending, started before `started_before` and within the last two days,
/// whose next check is due (their
/// notification is overdue, so the provider is asked).
pub async fn overdue_recharges<'e>(
    ex: impl Executor<'e, Database = Any>,
    started_before: Timestamp,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<RechargeRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {RECHARGE_COLUMNS} FROM recharges WHERE status = 'pending' AND next_check_at <= $1 \
         AND created_at <= $2 AND created_at > $4 ORDER BY next_check_at, id LIMIT $3"
    ));
    let since = now.plus_secs(-2 * 86_400).millis();
    Ok(sqlx::query_as(sql)
        .bind(now.millis())
        .bind(started_before.millis())
        .bind(limit)
        .bind(since)
        .fetch_all(ex)
        .await?)
}

/// A pending recharge was asked about: next at `next_at`.
pub async fn recharge_checked<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    next_at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE recharges SET next_check_at = $2 WHERE id = $1")
        .bind(id)
        .bind(next_at.millis())
        .execute(ex)
        .await?;
    Ok(())
}

/// Moves a pending recharge to `status`; whether this call did (a second event changes nothing).
pub async fn settle_recharge(
    tx: &mut crate::Tx,
    id: &str,
    status: PaymentStatus,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE recharges SET status = $2, updated_at = $3, paid_at = CASE WHEN $2 = 'succeeded' THEN $3 ELSE paid_at END \
         WHERE id = $1 AND (status = 'pending' OR (status = 'failed' AND $2 = 'succeeded'))",
    )
    .bind(id)
    .bind(status.as_str())
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One line of a card's history: a posting on its points or stored-value account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardLine {
    /// The journal entry's kind (`recharge`, `card_payment`, `refund`, `points`, `points_exchange`).
    pub kind: String,
    /// What it was for.
    pub memo: String,
    /// When.
    pub at: Timestamp,
    /// `points` or `stored_value`.
    pub balance: &'static str,
    /// Change for the member (positive: more), minor units (points: points).
    pub change: i64,
}

/// The latest 100 changes of a member's points and stored value at a merchant, newest first.
pub async fn card_history<'e>(
    ex: impl Executor<'e, Database = Any>,
    points_account: &str,
    stored_value_account: &str,
) -> Result<Vec<CardLine>, StoreError> {
    let rows = sqlx::query(
        "SELECT e.kind, e.memo, e.created_at, p.account, p.amount FROM postings p \
         JOIN journal_entries e ON e.id = p.entry_id WHERE p.account IN ($1, $2) \
         ORDER BY e.created_at DESC, e.id DESC LIMIT 100",
    )
    .bind(points_account)
    .bind(stored_value_account)
    .fetch_all(ex)
    .await?;
    rows.iter()
        .map(|r| {
            let account: String = get(r, "account")?;
            Ok(CardLine {
                kind: get(r, "kind")?,
                memo: get(r, "memo")?,
                at: time(r, "created_at")?,
                balance: if account == points_account { "points" } else { "stored_value" },
                // Liabilities are credits: a credit (negative) is more for the member.
                change: -get::<i64>(r, "amount")?,
            })
        })
        .collect()
}

/// A message to a merchant's members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberMessageRow {
    /// The id (UUIDv7 text).
    pub id: String,
    /// The sender.
    pub merchant_id: MerchantId,
    /// `new_deal`, `coupon_gift`, `birthday`, `news`.
    pub kind: String,
    /// Subject.
    pub subject: String,
    /// Text.
    pub body: String,
    /// Only members at this level or above (`member` = all).
    pub min_level: String,
    /// Who sent it.
    pub sent_by: UserId,
    /// Sent.
    pub created_at: Timestamp,
    /// Members it reached (filled when listing).
    pub delivered: i64,
    /// Members the frequency cap held it back from (filled when listing).
    pub capped: i64,
}

/// Records a message (deliveries follow).
pub async fn insert_message(tx: &mut crate::Tx, m: &MemberMessageRow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO member_messages (id, merchant_id, kind, subject, body, min_level, sent_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&m.id)
    .bind(m.merchant_id.to_string())
    .bind(&m.kind)
    .bind(&m.subject)
    .bind(&m.body)
    .bind(&m.min_level)
    .bind(m.sent_by.to_string())
    .bind(m.created_at.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records what became of a message for one member (`delivered` with its outbox id, or `capped`).
pub async fn insert_delivery(
    tx: &mut crate::Tx,
    m: &MemberMessageRow,
    user: UserId,
    status: &str,
    outbox_id: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO member_message_deliveries (message_id, merchant_id, user_id, status, outbox_id, at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&m.id)
    .bind(m.merchant_id.to_string())
    .bind(user.to_string())
    .bind(status)
    .bind(outbox_id)
    .bind(m.created_at.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Messages from `merchant` delivered to `user` after `since` (epoch ms): the frequency cap.
pub async fn delivered_since<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    user: UserId,
    since: i64,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM member_message_deliveries \
         WHERE user_id = $1 AND merchant_id = $2 AND at > $3 AND status = 'delivered'",
    )
    .bind(user.to_string())
    .bind(merchant.to_string())
    .bind(since)
    .fetch_one(ex)
    .await?;
    Ok(get(&row, "n")?)
}

/// Birthday messages from `merchant` delivered to `user` after `since` (one a year).
pub async fn birthday_delivered_since<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    user: UserId,
    since: i64,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM member_message_deliveries d JOIN member_messages m ON m.id = d.message_id \
         WHERE d.user_id = $1 AND d.merchant_id = $2 AND d.at > $3 AND d.status = 'delivered' AND m.kind = 'birthday'",
    )
    .bind(user.to_string())
    .bind(merchant.to_string())
    .bind(since)
    .fetch_one(ex)
    .await?;
    Ok(get(&row, "n")?)
}

/// A merchant's messages, newest first (at most 200), with their delivery counts.
pub async fn messages_of<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
) -> Result<Vec<MemberMessageRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT m.id, m.merchant_id, m.kind, m.subject, m.body, m.min_level, m.sent_by, m.created_at, \
         (SELECT COUNT(*) FROM member_message_deliveries d WHERE d.message_id = m.id AND d.status = 'delivered') \
         AS delivered, \
         (SELECT COUNT(*) FROM member_message_deliveries d WHERE d.message_id = m.id AND d.status = 'capped') \
         AS capped \
         FROM member_messages m WHERE m.merchant_id = $1 ORDER BY m.id DESC LIMIT 200",
    )
    .bind(merchant.to_string())
    .fetch_all(ex)
    .await?)
}

impl FromRow<'_, AnyRow> for MemberMessageRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: get(r, "id")?,
            merchant_id: parse(r, "merchant_id")?,
            kind: get(r, "kind")?,
            subject: get(r, "subject")?,
            body: get(r, "body")?,
            min_level: get(r, "min_level")?,
            sent_by: parse(r, "sent_by")?,
            created_at: time(r, "created_at")?,
            delivered: get(r, "delivered")?,
            capped: get(r, "capped")?,
        })
    }
}

/// Whether `merchant` sent the message `id`.
pub async fn message_exists<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    id: &str,
) -> Result<bool, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM member_messages WHERE id = $1 AND merchant_id = $2")
        .bind(id)
        .bind(merchant.to_string())
        .fetch_one(ex)
        .await?;
    Ok(get::<i64>(&row, "n")? > 0)
}

/// The deliveries of one message: (member, name, status), at most 5,000.
pub async fn deliveries_of<'e>(
    ex: impl Executor<'e, Database = Any>,
    message: &str,
) -> Result<Vec<(UserId, String, String)>, StoreError> {
    let rows = sqlx::query(
        "SELECT d.user_id, u.display_name, d.status FROM member_message_deliveries d \
         JOIN users u ON u.id = d.user_id WHERE d.message_id = $1 ORDER BY u.display_name LIMIT 5000",
    )
    .bind(message)
    .fetch_all(ex)
    .await?;
    rows.iter().map(|r| Ok((parse(r, "user_id")?, get(r, "display_name")?, get(r, "status")?))).collect()
}
