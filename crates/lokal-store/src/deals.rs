//! Deals, the stores where they are valid, and stock and per-consumer limits taken atomically.

use crate::StoreError;
use crate::row::{get, parse, time};
use lokal_core::RunStatus;
use lokal_core::{DealId, MerchantId, StoreId, Timestamp, UserId};
use sqlx::FromRow;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

/// A stored deal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DealRow {
    /// The id.
    pub id: DealId,
    /// The merchant selling it.
    pub merchant_id: MerchantId,
    /// Title.
    pub title: String,
    /// Description, contents and usage rules as JSON.
    pub details_json: String,
    /// Price, minor units.
    pub price: i64,
    /// Original price, minor units.
    pub original_price: i64,
    /// ISO 4217.
    pub currency: String,
    /// Buying opens.
    pub sale_starts_at: Timestamp,
    /// Buying closes.
    pub sale_ends_at: Timestamp,
    /// Vouchers usable from.
    pub valid_from: Timestamp,
    /// Vouchers expire.
    pub valid_until: Timestamp,
    /// Uses per voucher.
    pub uses_per_voucher: i64,
    /// Units put on sale.
    pub stock_total: i64,
    /// Units not yet reserved.
    pub stock_left: i64,
    /// Units one consumer may hold (0 = no limit).
    pub per_user_limit: i64,
    /// Refundable while unused.
    pub refundable: bool,
    /// Refunded automatically on expiry.
    pub auto_refund: bool,
    /// A flash sale.
    pub flash_sale: bool,
    /// `active` or `stopped`.
    pub status: RunStatus,
    /// Created.
    pub created_at: Timestamp,
    /// Last change.
    pub updated_at: Timestamp,
}

const COLUMNS: &str = "id, merchant_id, title, details_json, price, original_price, currency, sale_starts_at, \
    sale_ends_at, valid_from, valid_until, uses_per_voucher, stock_total, stock_left, per_user_limit, refundable, \
    auto_refund, flash_sale, status, created_at, updated_at";

impl FromRow<'_, AnyRow> for DealRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: parse(r, "id")?,
            merchant_id: parse(r, "merchant_id")?,
            title: get(r, "title")?,
            details_json: get(r, "details_json")?,
            price: get(r, "price")?,
            original_price: get(r, "original_price")?,
            currency: get(r, "currency")?,
            sale_starts_at: time(r, "sale_starts_at")?,
            sale_ends_at: time(r, "sale_ends_at")?,
            valid_from: time(r, "valid_from")?,
            valid_until: time(r, "valid_until")?,
            uses_per_voucher: get(r, "uses_per_voucher")?,
            stock_total: get(r, "stock_total")?,
            stock_left: get(r, "stock_left")?,
            per_user_limit: get(r, "per_user_limit")?,
            refundable: get::<i64>(r, "refundable")? != 0,
            auto_refund: get::<i64>(r, "auto_refund")? != 0,
            flash_sale: get::<i64>(r, "flash_sale")? != 0,
            status: parse(r, "status")?,
            created_at: time(r, "created_at")?,
            updated_at: time(r, "updated_at")?,
        })
    }
}

/// Inserts a deal and its stores.
pub async fn insert(tx: &mut crate::Tx, d: &DealRow, stores: &[StoreId]) -> Result<(), StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO deals ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
         $17, $18, $19, $20, $21)"
    ));
    sqlx::query(sql)
        .bind(d.id.to_string())
        .bind(d.merchant_id.to_string())
        .bind(&d.title)
        .bind(&d.details_json)
        .bind(d.price)
        .bind(d.original_price)
        .bind(&d.currency)
        .bind(d.sale_starts_at.millis())
        .bind(d.sale_ends_at.millis())
        .bind(d.valid_from.millis())
        .bind(d.valid_until.millis())
        .bind(d.uses_per_voucher)
        .bind(d.stock_total)
        .bind(d.stock_left)
        .bind(d.per_user_limit)
        .bind(i64::from(d.refundable))
        .bind(i64::from(d.auto_refund))
        .bind(i64::from(d.flash_sale))
        .bind(d.status.as_str())
        .bind(d.created_at.millis())
        .bind(d.updated_at.millis())
        .execute(&mut **tx)
        .await?;
    for s in stores {
        sqlx::query("INSERT INTO deal_stores (deal_id, store_id) VALUES ($1, $2)")
            .bind(d.id.to_string())
            .bind(s.to_string())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// A deal by id.
pub async fn get_by_id<'e>(ex: impl Executor<'e, Database = Any>, id: DealId) -> Result<Option<DealRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM deals WHERE id = $1"));
    Ok(sqlx::query_as(sql).bind(id.to_string()).fetch_optional(ex).await?)
}

/// The stores where a deal is valid.
pub async fn stores_of<'e>(ex: impl Executor<'e, Database = Any>, id: DealId) -> Result<Vec<StoreId>, StoreError> {
    let rows = sqlx::query("SELECT store_id FROM deal_stores WHERE deal_id = $1 ORDER BY store_id")
        .bind(id.to_string())
        .fetch_all(ex)
        .await?;
    Ok(rows.iter().map(|r| parse(r, "store_id")).collect::<Result<_, _>>()?)
}

/// Whether a deal is valid at a store.
pub async fn valid_at<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: DealId,
    store: StoreId,
) -> Result<bool, StoreError> {
    let row = sqlx::query("SELECT 1 AS one FROM deal_stores WHERE deal_id = $1 AND store_id = $2")
        .bind(id.to_string())
        .bind(store.to_string())
        .fetch_optional(ex)
        .await?;
    Ok(row.is_some())
}

/// Deals valid at a store, newest first.
pub async fn for_store<'e>(ex: impl Executor<'e, Database = Any>, store: StoreId) -> Result<Vec<DealRow>, StoreError> {
    let cols = COLUMNS.split(", ").map(|c| format!("d.{c}")).collect::<Vec<_>>().join(", ");
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {cols} FROM deals d JOIN deal_stores s ON s.deal_id = d.id WHERE s.store_id = $1 ORDER BY d.id DESC"
    ));
    Ok(sqlx::query_as(sql).bind(store.to_string()).fetch_all(ex).await?)
}

/// A merchant's deals, newest first.
pub async fn for_merchant<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
) -> Result<Vec<DealRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM deals WHERE merchant_id = $1 ORDER BY id DESC"));
    Ok(sqlx::query_as(sql).bind(merchant.to_string()).fetch_all(ex).await?)
}

/// Takes `units` from the stock of an active deal on sale at `now`. False when there is not
/// enough left (or the sale is not open): nothing is taken.
pub async fn take_stock(tx: &mut crate::Tx, id: DealId, units: i64, now: Timestamp) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE deals SET stock_left = stock_left - $2, updated_at = $3 WHERE id = $1 AND stock_left >= $2 \
         AND status = 'active' AND sale_starts_at <= $3 AND sale_ends_at > $3",
    )
    .bind(id.to_string())
    .bind(units)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives `units` back to the stock (an order was not paid in time).
pub async fn return_stock(tx: &mut crate::Tx, id: DealId, units: i64, now: Timestamp) -> Result<(), StoreError> {
    sqlx::query("UPDATE deals SET stock_left = stock_left + $2, updated_at = $3 WHERE id = $1")
        .bind(id.to_string())
        .bind(units)
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Counts `units` against a consumer's limit on a deal (`limit` 0 = none). False when that would
/// exceed the limit: nothing is counted. One statement, so racing orders cannot both slip in.
pub async fn count_buyer(
    tx: &mut crate::Tx,
    id: DealId,
    user: UserId,
    units: i64,
    limit: i64,
) -> Result<bool, StoreError> {
    if limit > 0 && units > limit {
        return Ok(false);
    }
    let cap = if limit > 0 { limit } else { i64::MAX / 2 };
    let done = sqlx::query(
        "INSERT INTO deal_buyers (deal_id, user_id, units) VALUES ($1, $2, $3) ON CONFLICT (deal_id, user_id) \
         DO UPDATE SET units = deal_buyers.units + excluded.units WHERE deal_buyers.units + excluded.units <= $4",
    )
    .bind(id.to_string())
    .bind(user.to_string())
    .bind(units)
    .bind(cap)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes `units` off a consumer's count (an order was not paid in time).
pub async fn uncount_buyer(tx: &mut crate::Tx, id: DealId, user: UserId, units: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE deal_buyers SET units = units - $3 WHERE deal_id = $1 AND user_id = $2")
        .bind(id.to_string())
        .bind(user.to_string())
        .bind(units)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Deals still on sale (or not yet) at `now` with the stores where they are valid, for the
/// discovery index.
pub async fn on_sale<'e>(
    ex: impl Executor<'e, Database = Any>,
    now: Timestamp,
) -> Result<Vec<(StoreId, DealRow)>, StoreError> {
    let cols = COLUMNS.split(", ").map(|c| format!("d.{c}")).collect::<Vec<_>>().join(", ");
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT s.store_id AS store_id, {cols} FROM deals d JOIN deal_stores s ON s.deal_id = d.id \
         WHERE d.status = 'active' AND d.sale_ends_at > $1 ORDER BY d.id"
    ));
    let rows = sqlx::query(sql).bind(now.millis()).fetch_all(ex).await?;
    rows.iter().map(|r| Ok((parse(r, "store_id")?, DealRow::from_row(r)?))).collect()
}
