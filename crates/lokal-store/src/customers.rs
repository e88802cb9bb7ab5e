//! A merchant's customers, computed from its kept orders, and the tags it puts on them.

use crate::StoreError;
use crate::row::{get, parse, time};
use lokal_core::Timestamp;
use lokal_core::{MerchantId, StoreId, UserId};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, FromRow};

/// A customer as the merchant's orders show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRow {
    /// Who.
    pub user_id: UserId,
    /// Their display name (no contact details: those come with membership and consent).
    pub name: String,
    /// Kept orders (visits).
    pub visits: i64,
    /// What they paid on them less refunds, minor units.
    pub spend: i64,
    /// First visit.
    pub first_at: Timestamp,
    /// Last visit.
    pub last_at: Timestamp,
}

/// Which of a merchant's customers to read, as the database filters them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerSelect {
    /// One store (else the brand).
    pub store: Option<StoreId>,
    /// Only customers with this tag.
    pub tag: Option<String>,
    /// Only names containing this (both lower-cased by the database: ASCII letters only on SQLite).
    pub name: Option<String>,
    /// Last visit after `.0` and at most `.1`, epoch ms.
    pub last_visit: (i64, i64),
    /// Visits from `.0` to `.1`.
    pub visits: (i64, i64),
    /// Only customers after this one in list order (last visit, then user id, both descending).
    pub after: Option<(i64, UserId)>,
    /// At most this many.
    pub limit: i64,
}

/// `%text%` for LIKE, with `!` escaping LIKE's wildcards (lower-cased by the database, like the
/// names it is compared with).
fn contains_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '!') {
            out.push('!');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The merchant's customers `select` asks for, most recent first.
pub async fn of_merchant<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    select: &CustomerSelect,
) -> Result<Vec<CustomerRow>, StoreError> {
    let (after_at, after_user) = select.after.map_or((i64::MAX, String::new()), |(t, u)| (t, u.to_string()));
    // Refunds are looked up for deal orders only: a menu order or bill is refunded only when it
    // is cancelled or rejected, and those are left out anyway (one index probe per kept order
    // made a big chain's page five times slower). Tags and names are per customer: they filter
    // the groups, not the orders.
    Ok(sqlx::query_as(
        "SELECT g.user_id, u.display_name AS name, g.visits, g.spend, g.first_at, g.last_at FROM ( \
           SELECT t.user_id, COUNT(*) AS visits, CAST(SUM(t.total - t.refunded) AS BIGINT) AS spend, \
           MIN(t.created_at) AS first_at, MAX(t.created_at) AS last_at FROM ( \
             SELECT o.user_id, o.total, o.created_at, CASE WHEN o.deal_id IS NULL THEN 0 ELSE \
             COALESCE((SELECT SUM(r.amount) FROM refunds r WHERE r.order_id = o.id), 0) END AS refunded \
             FROM orders o WHERE o.merchant_id = $1 AND ($2 = '' OR o.store_id = $2) AND o.paid_at IS NOT NULL \
             AND o.status NOT IN ('cancelled', 'rejected')) t \
           WHERE t.total > t.refunded GROUP BY t.user_id \
           HAVING MAX(t.created_at) > $5 AND MAX(t.created_at) <= $6 AND COUNT(*) >= $7 AND COUNT(*) <= $8 \
           AND (MAX(t.created_at) < $9 OR (MAX(t.created_at) = $9 AND t.user_id < $10))) g \
         JOIN users u ON u.id = g.user_id \
         WHERE ($3 = '' OR EXISTS (SELECT 1 FROM customer_tags c \
                WHERE c.merchant_id = $1 AND c.user_id = g.user_id AND c.tag = $3)) \
         AND ($4 = '' OR LOWER(u.display_name) LIKE LOWER($4) ESCAPE '!') \
         ORDER BY g.last_at DESC, g.user_id DESC LIMIT $11",
    )
    .bind(merchant.to_string())
    .bind(select.store.map(|s| s.to_string()).unwrap_or_default())
    .bind(select.tag.clone().unwrap_or_default())
    .bind(select.name.as_deref().map(contains_pattern).unwrap_or_default())
    .bind(select.last_visit.0)
    .bind(select.last_visit.1)
    .bind(select.visits.0)
    .bind(select.visits.1)
    .bind(after_at)
    .bind(after_user)
    .bind(select.limit)
    .fetch_all(ex)
    .await?)
}

impl FromRow<'_, AnyRow> for CustomerRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            user_id: parse(r, "user_id")?,
            name: get(r, "name")?,
            visits: get(r, "visits")?,
            spend: get(r, "spend")?,
            first_at: time(r, "first_at")?,
            last_at: time(r, "last_at")?,
        })
    }
}

/// The merchant's tags on its customers: (user, tag), in tag order.
pub async fn tags<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
) -> Result<Vec<(UserId, String)>, StoreError> {
    let rows = sqlx::query("SELECT user_id, tag FROM customer_tags WHERE merchant_id = $1 ORDER BY tag")
        .bind(merchant.to_string())
        .fetch_all(ex)
        .await?;
    rows.iter().map(|r| Ok((parse(r, "user_id")?, get(r, "tag")?))).collect()
}

/// Tags a customer (no-op if already tagged so).
pub async fn add_tag<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    user: UserId,
    tag: &str,
    by: UserId,
    at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO customer_tags (merchant_id, user_id, tag, created_by, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (merchant_id, user_id, tag) DO NOTHING",
    )
    .bind(merchant.to_string())
    .bind(user.to_string())
    .bind(tag)
    .bind(by.to_string())
    .bind(at.millis())
    .execute(ex)
    .await?;
    Ok(())
}

/// Removes a tag; whether there was one.
pub async fn remove_tag<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    user: UserId,
    tag: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM customer_tags WHERE merchant_id = $1 AND user_id = $2 AND tag = $3")
        .bind(merchant.to_string())
        .bind(user.to_string())
        .bind(tag)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether `user` has a kept order at the merchant (is its customer).
pub async fn is_customer<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    user: UserId,
) -> Result<bool, StoreError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM orders WHERE merchant_id = $1 AND user_id = $2 AND paid_at IS NOT NULL \
         AND status NOT IN ('cancelled', 'rejected')",
    )
    .bind(merchant.to_string())
    .bind(user.to_string())
    .fetch_one(ex)
    .await?;
    Ok(get::<i64>(&row, "n")? > 0)
}
