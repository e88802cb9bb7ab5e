//! Store promotions: discounts without a coupon, by the merchant, at one store or all.

use crate::StoreError;
use crate::row::{get, opt, parse, time};
use lokal_core::RunStatus;
use lokal_core::{MerchantId, PromotionId, StoreId, Timestamp, UserId};
use sqlx::FromRow;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

/// A stored promotion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromotionRow {
    /// The id.
    pub id: PromotionId,
    /// The merchant (who funds it).
    pub merchant_id: MerchantId,
    /// One store, or all of the merchant's.
    pub store_id: Option<StoreId>,
    /// Title.
    pub title: String,
    /// The benefit as JSON (`lokal_core::promo::Benefit`).
    pub benefit_json: String,
    /// First orders only.
    pub first_order: bool,
    /// Starts.
    pub starts_at: Timestamp,
    /// Ends.
    pub ends_at: Timestamp,
    /// `active` or `stopped`.
    pub status: RunStatus,
    /// Who created it.
    pub created_by: UserId,
    /// Created.
    pub created_at: Timestamp,
}

const COLUMNS: &str =
    "id, merchant_id, store_id, title, benefit_json, first_order, starts_at, ends_at, status, created_by, created_at";

impl FromRow<'_, AnyRow> for PromotionRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: parse(r, "id")?,
            merchant_id: parse(r, "merchant_id")?,
            store_id: opt(r, "store_id")?,
            title: get(r, "title")?,
            benefit_json: get(r, "benefit_json")?,
            first_order: get::<i64>(r, "first_order")? != 0,
            starts_at: time(r, "starts_at")?,
            ends_at: time(r, "ends_at")?,
            status: parse(r, "status")?,
            created_by: parse(r, "created_by")?,
            created_at: time(r, "created_at")?,
        })
    }
}

/// Inserts a promotion.
pub async fn insert<'e>(ex: impl Executor<'e, Database = Any>, p: &PromotionRow) -> Result<(), StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO store_promotions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    ));
    sqlx::query(sql)
        .bind(p.id.to_string())
        .bind(p.merchant_id.to_string())
        .bind(p.store_id.map(|s| s.to_string()))
        .bind(&p.title)
        .bind(&p.benefit_json)
        .bind(i64::from(p.first_order))
        .bind(p.starts_at.millis())
        .bind(p.ends_at.millis())
        .bind(p.status.as_str())
        .bind(p.created_by.to_string())
        .bind(p.created_at.millis())
        .execute(ex)
        .await?;
    Ok(())
}

/// A merchant's promotions, newest first.
pub async fn of_merchant<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
) -> Result<Vec<PromotionRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM store_promotions WHERE merchant_id = $1 ORDER BY id DESC LIMIT 500"
    ));
    Ok(sqlx::query_as(sql).bind(merchant.to_string()).fetch_all(ex).await?)
}

/// The promotions running at a store at `now`, oldest first.
pub async fn running_at<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    store: StoreId,
    now: Timestamp,
) -> Result<Vec<PromotionRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM store_promotions WHERE merchant_id = $1 AND (store_id IS NULL OR store_id = $2) \
         AND status = 'active' AND starts_at <= $3 AND ends_at > $3 ORDER BY id LIMIT 50"
    ));
    let rows =
        sqlx::query(sql).bind(merchant.to_string()).bind(store.to_string()).bind(now.millis()).fetch_all(ex).await?;
    Ok(rows.iter().map(PromotionRow::from_row).collect::<Result<_, _>>()?)
}
