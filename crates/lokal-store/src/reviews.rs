//! Reviews, their votes and reports, rider ratings, and the store's review figures.

use crate::StoreError;
use crate::row::{get, opt, opt_time, parse, time};
use lokal_core::review::ReviewVisibility;
use lokal_core::{MerchantId, OrderId, StoreId, Timestamp, UserId};
use sqlx::FromRow;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

/// A stored review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRow {
    /// The id.
    pub id: String,
    /// The store reviewed.
    pub store_id: StoreId,
    /// Its merchant.
    pub merchant_id: MerchantId,
    /// The author.
    pub user_id: UserId,
    /// `order:<id>` or `voucher:<id>`.
    pub subject: String,
    /// Stars.
    pub rating: i64,
    /// Stars per dimension, JSON.
    pub dimensions_json: String,
    /// Words.
    pub body: String,
    /// Tags, JSON.
    pub tags_json: String,
    /// Photo URLs, JSON.
    pub photos_json: String,
    /// How many photos.
    pub photo_count: i64,
    /// Spend per person.
    pub avg_spend: Option<i64>,
    /// `visible` or `hidden`.
    pub status: ReviewVisibility,
    /// Why an operator hid it (shown to its author).
    pub hidden_reason: String,
    /// Helpful votes.
    pub helpful: i64,
    /// The merchant's public reply.
    pub reply: String,
    /// When.
    pub reply_at: Option<Timestamp>,
    /// Who replied.
    pub reply_by: Option<UserId>,
    /// The author's follow-up.
    pub follow_up: String,
    /// When.
    pub follow_up_at: Option<Timestamp>,
    /// Written.
    pub created_at: Timestamp,
}

const COLUMNS: &str = "id, store_id, merchant_id, user_id, subject, rating, dimensions_json, body, tags_json, \
    photos_json, photo_count, avg_spend, status, hidden_reason, helpful, reply, reply_at, reply_by, follow_up, \
    follow_up_at, created_at";

impl FromRow<'_, AnyRow> for ReviewRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: get(r, "id")?,
            store_id: parse(r, "store_id")?,
            merchant_id: parse(r, "merchant_id")?,
            user_id: parse(r, "user_id")?,
            subject: get(r, "subject")?,
            rating: get(r, "rating")?,
            dimensions_json: get(r, "dimensions_json")?,
            body: get(r, "body")?,
            tags_json: get(r, "tags_json")?,
            photos_json: get(r, "photos_json")?,
            photo_count: get(r, "photo_count")?,
            avg_spend: get(r, "avg_spend")?,
            status: parse(r, "status")?,
            hidden_reason: get(r, "hidden_reason")?,
            helpful: get(r, "helpful")?,
            reply: get(r, "reply")?,
            reply_at: opt_time(r, "reply_at")?,
            reply_by: opt(r, "reply_by")?,
            follow_up: get(r, "follow_up")?,
            follow_up_at: opt_time(r, "follow_up_at")?,
            created_at: time(r, "created_at")?,
        })
    }
}

/// Inserts a review and counts it on its store; returns the store's review count and star sum
/// after it, or `None` if its consumption was already reviewed.
pub async fn insert(tx: &mut crate::Tx, r: &ReviewRow) -> Result<Option<(i64, i64)>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO reviews ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
         $16, $17, $18, $19, $20, $21) ON CONFLICT (subject) DO NOTHING"
    ));
    let done = sqlx::query(sql)
        .bind(&r.id)
        .bind(r.store_id.to_string())
        .bind(r.merchant_id.to_string())
        .bind(r.user_id.to_string())
        .bind(&r.subject)
        .bind(r.rating)
        .bind(&r.dimensions_json)
        .bind(&r.body)
        .bind(&r.tags_json)
        .bind(&r.photos_json)
        .bind(r.photo_count)
        .bind(r.avg_spend)
        .bind(r.status.as_str())
        .bind(&r.hidden_reason)
        .bind(r.helpful)
        .bind(&r.reply)
        .bind(r.reply_at.map(Timestamp::millis))
        .bind(r.reply_by.map(|u| u.to_string()))
        .bind(&r.follow_up)
        .bind(r.follow_up_at.map(Timestamp::millis))
        .bind(r.created_at.millis())
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    count_on_store(tx, r.store_id, 1, r.rating).await.map(Some)
}

/// Adds `n` reviews worth `stars` to a store's figures; returns its new count and star sum.
pub async fn count_on_store(tx: &mut crate::Tx, store: StoreId, n: i64, stars: i64) -> Result<(i64, i64), StoreError> {
    sqlx::query(
        "UPDATE stores SET review_count = review_count + $2, review_star_sum = review_star_sum + $3 WHERE id = $1",
    )
    .bind(store.to_string())
    .bind(n)
    .bind(stars)
    .execute(&mut **tx)
    .await?;
    store_figures(&mut **tx, store).await
}

/// Sets a store's rating (× 100), as the discovery ranking reads it.
pub async fn set_store_rating(tx: &mut crate::Tx, store: StoreId, rating_x100: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE stores SET rating_x100 = $2 WHERE id = $1")
        .bind(store.to_string())
        .bind(rating_x100)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A review.
pub async fn by_id<'e>(ex: impl Executor<'e, Database = Any>, id: &str) -> Result<Option<ReviewRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM reviews WHERE id = $1"));
    Ok(sqlx::query_as(sql).bind(id).fetch_optional(ex).await?)
}

/// The review of a consumption, if written.
pub async fn by_subject<'e>(
    ex: impl Executor<'e, Database = Any>,
    subject: &str,
) -> Result<Option<ReviewRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM reviews WHERE subject = $1"));
    Ok(sqlx::query_as(sql).bind(subject).fetch_optional(ex).await?)
}

/// How a store's reviews are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Newest first.
    Newest,
    /// Most helpful first.
    Helpful,
    /// Only those with photos, newest first.
    Photos,
}

/// A store's visible reviews, `limit` from `offset`.
pub async fn of_store<'e>(
    ex: impl Executor<'e, Database = Any>,
    store: StoreId,
    order: Order,
    offset: i64,
    limit: i64,
) -> Result<Vec<(ReviewRow, String)>, StoreError> {
    let (filter, by) = match order {
        Order::Newest => ("", "r.created_at DESC, r.id DESC"),
        Order::Helpful => ("", "r.helpful DESC, r.created_at DESC, r.id DESC"),
        Order::Photos => (" AND r.photo_count > 0", "r.created_at DESC, r.id DESC"),
    };
    // With each author's display name, in the same query (a store page lists twenty).
    let columns = crate::row::prefixed(COLUMNS, "r");
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {columns}, COALESCE(u.display_name, '') AS author FROM reviews r \
         LEFT JOIN users u ON u.id = r.user_id \
         WHERE r.store_id = $1 AND r.status = 'visible'{filter} ORDER BY {by} LIMIT {} OFFSET {}",
        limit.clamp(1, 100),
        offset.max(0)
    ));
    let rows = sqlx::query(sql).bind(store.to_string()).fetch_all(ex).await?;
    rows.iter().map(|r| Ok((ReviewRow::from_row(r)?, get(r, "author")?))).collect()
}

/// A consumer's reviews, newest first (hidden ones included: the author sees why).
pub async fn of_user<'e>(ex: impl Executor<'e, Database = Any>, user: UserId) -> Result<Vec<ReviewRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM reviews WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 200"
    ));
    Ok(sqlx::query_as(sql).bind(user.to_string()).fetch_all(ex).await?)
}

/// Sets the merchant's reply (`false` if there is one already).
pub async fn reply<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    text: &str,
    by: UserId,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let done =
        sqlx::query("UPDATE reviews SET reply = $2, reply_by = $3, reply_at = $4 WHERE id = $1 AND reply_at IS NULL")
            .bind(id)
            .bind(text)
            .bind(by.to_string())
            .bind(at.millis())
            .execute(ex)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets the author's follow-up (`false` if there is one already).
pub async fn follow_up<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    text: &str,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let done =
        sqlx::query("UPDATE reviews SET follow_up = $2, follow_up_at = $3 WHERE id = $1 AND follow_up_at IS NULL")
            .bind(id)
            .bind(text)
            .bind(at.millis())
            .execute(ex)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Counts a helpful vote once per person; `false` if they had voted.
pub async fn vote(tx: &mut crate::Tx, id: &str, user: UserId) -> Result<bool, StoreError> {
    let done = sqlx::query("INSERT INTO review_votes (review_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(id)
        .bind(user.to_string())
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE reviews SET helpful = helpful + 1 WHERE id = $1").bind(id).execute(&mut **tx).await?;
    Ok(true)
}

/// Records a report once per person; `false` if they had reported it.
pub async fn report<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    user: UserId,
    reason: &str,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO review_reports (review_id, user_id, reason, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(user.to_string())
    .bind(reason)
    .bind(at.millis())
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Visible reviews with reports, most reported first: (review, reports, the latest reason).
pub async fn reported<'e>(ex: impl Executor<'e, Database = Any>) -> Result<Vec<(ReviewRow, i64, String)>, StoreError> {
    let cols = COLUMNS.split(", ").map(|c| format!("r.{c}")).collect::<Vec<_>>().join(", ");
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {cols}, (SELECT COUNT(*) FROM review_reports p WHERE p.review_id = r.id) AS reports, \
         (SELECT p.reason FROM review_reports p WHERE p.review_id = r.id ORDER BY p.created_at DESC LIMIT 1) AS reason \
         FROM reviews r WHERE r.status = 'visible' AND EXISTS (SELECT 1 FROM review_reports p WHERE p.review_id = r.id) \
         ORDER BY reports DESC, r.created_at DESC LIMIT 200"
    ));
    let rows = sqlx::query(sql).fetch_all(ex).await?;
    rows.iter().map(|r| Ok((ReviewRow::from_row(r)?, get(r, "reports")?, get(r, "reason")?))).collect()
}

/// Hides or shows a review; `false` if it already was.
pub async fn set_status(
    tx: &mut crate::Tx,
    id: &str,
    from: ReviewVisibility,
    to: ReviewVisibility,
    reason: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE reviews SET status = $3, hidden_reason = $4 WHERE id = $1 AND status = $2")
        .bind(id)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(reason)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Rates a delivery's rider once; `false` if already rated.
pub async fn rate_rider<'e>(
    ex: impl Executor<'e, Database = Any>,
    order: OrderId,
    rider: UserId,
    user: UserId,
    rating: i64,
    comment: &str,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO rider_ratings (order_id, rider_id, user_id, rating, comment, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (order_id) DO NOTHING",
    )
    .bind(order.to_string())
    .bind(rider.to_string())
    .bind(user.to_string())
    .bind(rating)
    .bind(comment)
    .bind(at.millis())
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A rider's ratings: count and star sum.
pub async fn rider_figures<'e>(ex: impl Executor<'e, Database = Any>, rider: UserId) -> Result<(i64, i64), StoreError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(rating), 0) AS BIGINT) AS stars FROM rider_ratings WHERE rider_id = $1",
    )
    .bind(rider.to_string())
    .fetch_one(ex)
    .await?;
    Ok((get(&row, "n")?, get(&row, "stars")?))
}

/// A store's visible review count and star sum.
pub async fn store_figures<'e>(
    ex: impl Executor<'e, Database = Any>,
    store: StoreId,
) -> Result<(i64, i64), StoreError> {
    let row = sqlx::query("SELECT review_count, review_star_sum FROM stores WHERE id = $1")
        .bind(store.to_string())
        .fetch_optional(ex)
        .await?;
    match row {
        Some(r) => Ok((get(&r, "review_count")?, get(&r, "review_star_sum")?)),
        None => Ok((0, 0)),
    }
}
