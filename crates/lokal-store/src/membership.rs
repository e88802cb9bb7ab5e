//! Membership cards: who joined which merchant, where, and whether they accept messages, with
//! the spend that sets their level.

use crate::StoreError;
use crate::row::{get, opt, parse, time};
use lokal_core::Timestamp;
use lokal_core::{MerchantId, StoreId, UserId};
use sqlx::FromRow;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

/// A membership with the member's name and spend at the merchant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipRow {
    /// The merchant (chain) whose card it is.
    pub merchant_id: MerchantId,
    /// The merchant's name.
    pub merchant_name: String,
    /// The member.
    pub user_id: UserId,
    /// The member's display name.
    pub name: String,
    /// Where they joined.
    pub joined_store_id: Option<StoreId>,
    /// `store-page` or `store-code`.
    pub channel: String,
    /// They accept messages from the merchant.
    pub messages_opt_in: bool,
    /// Joined.
    pub joined_at: Timestamp,
    /// Paid at the merchant on kept orders, less refunds, minor units.
    pub spend: i64,
    /// Stored value on the card (the ledger's balance), minor units.
    pub stored_value: i64,
    /// Points on the card (the ledger's balance at one minor unit each).
    pub points: i64,
    /// The member's birthday (`MM-DD`), if they gave it.
    pub birthday: Option<String>,
}

const SELECT: &str = "SELECT m.merchant_id, mc.name AS merchant_name, m.user_id, u.display_name AS name, \
    m.joined_store_id, m.channel, m.messages_opt_in, m.joined_at, m.birthday, \
    CAST(COALESCE((SELECT SUM(o.total - COALESCE((SELECT SUM(r.amount) FROM refunds r WHERE r.order_id = o.id), 0)) \
    FROM orders o WHERE o.merchant_id = m.merchant_id AND o.user_id = m.user_id AND o.paid_at IS NOT NULL \
    AND o.status NOT IN ('cancelled', 'rejected')), 0) AS BIGINT) AS spend, \
    CAST(-COALESCE((SELECT SUM(p.amount) FROM postings p \
    WHERE p.account = 'merchant:' || m.merchant_id || ':stored_value:' || m.user_id), 0) AS BIGINT) AS stored_value, \
    CAST(-COALESCE((SELECT SUM(p.amount) FROM postings p \
    WHERE p.account = 'merchant:' || m.merchant_id || ':points:' || m.user_id), 0) AS BIGINT) AS points \
    FROM memberships m JOIN merchants mc ON mc.id = m.merchant_id JOIN users u ON u.id = m.user_id";

impl FromRow<'_, AnyRow> for MembershipRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            merchant_id: parse(r, "merchant_id")?,
            merchant_name: get(r, "merchant_name")?,
            user_id: parse(r, "user_id")?,
            name: get(r, "name")?,
            joined_store_id: opt(r, "joined_store_id")?,
            channel: get(r, "channel")?,
            messages_opt_in: get::<i64>(r, "messages_opt_in")? != 0,
            joined_at: time(r, "joined_at")?,
            spend: get(r, "spend")?,
            stored_value: get(r, "stored_value")?,
            points: get(r, "points")?,
            birthday: get(r, "birthday")?,
        })
    }
}

/// Joins (no-op if already a member); whether this call joined.
pub async fn join<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    user: UserId,
    store: StoreId,
    channel: &str,
    opt_in: bool,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO memberships (merchant_id, user_id, joined_store_id, channel, messages_opt_in, joined_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (merchant_id, user_id) DO NOTHING",
    )
    .bind(merchant.to_string())
    .bind(user.to_string())
    .bind(store.to_string())
    .bind(channel)
    .bind(i64::from(opt_in))
    .bind(at.millis())
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One membership.
pub async fn get_one<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    user: UserId,
) -> Result<Option<MembershipRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE m.merchant_id = $1 AND m.user_id = $2"));
    Ok(sqlx::query_as(sql).bind(merchant.to_string()).bind(user.to_string()).fetch_optional(ex).await?)
}

/// A consumer's cards, newest first.
pub async fn of_user<'e>(
    ex: impl Executor<'e, Database = Any>,
    user: UserId,
) -> Result<Vec<MembershipRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE m.user_id = $1 ORDER BY m.joined_at DESC"));
    Ok(sqlx::query_as(sql).bind(user.to_string()).fetch_all(ex).await?)
}

/// A page of a merchant's members, newest first (joined, then user id, both descending), after
/// `after`.
pub async fn newest_of_merchant<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    after: Option<(i64, UserId)>,
    limit: i64,
) -> Result<Vec<MembershipRow>, StoreError> {
    let (at, user) = after.map_or((i64::MAX, String::new()), |(t, u)| (t, u.to_string()));
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE m.merchant_id = $1 AND (m.joined_at < $2 OR (m.joined_at = $2 AND m.user_id < $3)) \
         ORDER BY m.joined_at DESC, m.user_id DESC LIMIT $4"
    ));
    Ok(sqlx::query_as(sql).bind(merchant.to_string()).bind(at).bind(user).bind(limit).fetch_all(ex).await?)
}

/// How many members a merchant has, and how many of them accept messages.
pub async fn counts<'e>(ex: impl Executor<'e, Database = Any>, merchant: MerchantId) -> Result<(i64, i64), StoreError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(messages_opt_in), 0) AS BIGINT) AS yes FROM memberships \
         WHERE merchant_id = $1",
    )
    .bind(merchant.to_string())
    .fetch_one(ex)
    .await?;
    Ok((get(&row, "n")?, get(&row, "yes")?))
}

/// Sets whether a member accepts messages; whether they are a member.
pub async fn set_opt_in<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    user: UserId,
    opt_in: bool,
) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE memberships SET messages_opt_in = $3 WHERE merchant_id = $1 AND user_id = $2")
        .bind(merchant.to_string())
        .bind(user.to_string())
        .bind(i64::from(opt_in))
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Locks a membership for the rest of `tx` (card payments, exchanges and recharges of one card
/// run one at a time, so a balance read under the lock stays true); whether it exists.
pub async fn lock(tx: &mut crate::Tx, merchant: MerchantId, user: UserId) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE memberships SET channel = channel WHERE merchant_id = $1 AND user_id = $2")
        .bind(merchant.to_string())
        .bind(user.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether `user` holds the merchant's card.
pub async fn exists<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    user: UserId,
) -> Result<bool, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM memberships WHERE merchant_id = $1 AND user_id = $2")
        .bind(merchant.to_string())
        .bind(user.to_string())
        .fetch_one(ex)
        .await?;
    Ok(get::<i64>(&row, "n")? > 0)
}

/// Sets or clears a member's birthday; whether they are a member.
pub async fn set_birthday<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    user: UserId,
    birthday: Option<&str>,
) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE memberships SET birthday = $3 WHERE merchant_id = $1 AND user_id = $2")
        .bind(merchant.to_string())
        .bind(user.to_string())
        .bind(birthday)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A page of a merchant's members in user-id order, after `after` (every member, page by page).
pub async fn page_of_merchant<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    after: Option<UserId>,
    limit: i64,
) -> Result<Vec<MembershipRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE m.merchant_id = $1 AND m.user_id > $2 ORDER BY m.user_id LIMIT $3"
    ));
    let rows = sqlx::query(sql)
        .bind(merchant.to_string())
        .bind(after.map(|u| u.to_string()).unwrap_or_default())
        .bind(limit)
        .fetch_all(ex)
        .await?;
    Ok(rows.iter().map(MembershipRow::from_row).collect::<Result<_, _>>()?)
}
