//! Catalog items and their per-store overrides.

use crate::StoreError;
use crate::row::{get, opt, parse, time};
use lokal_core::Timestamp;
use lokal_core::{ItemId, MerchantId, StoreId};
use sqlx::FromRow;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

/// A stored item (brand level).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRow {
    /// The id.
    pub id: ItemId,
    /// The merchant whose menu it is on.
    pub merchant_id: MerchantId,
    /// Its name.
    pub name: String,
    /// The menu section (`Hotpot bases`, `Drinks`).
    pub section: String,
    /// Description.
    pub description: String,
    /// Brand price, minor units.
    pub price: i64,
    /// Option groups as JSON.
    pub options_json: String,
    /// Its photo (`/media/<id>/w800.jpg` or a URL), or empty.
    pub photo: String,
    /// Creation time.
    pub created_at: Timestamp,
    /// Last change.
    pub updated_at: Timestamp,
}

/// A store's override of an item.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StoreItemRow {
    /// The store's price, when it differs from the brand's.
    pub price: Option<i64>,
    /// Units left, when the store counts them.
    pub stock: Option<i64>,
    /// Switched off for today.
    pub sold_out: bool,
}

const COLUMNS: &str = "id, merchant_id, name, section, description, price, options_json, photo, created_at, updated_at";

impl FromRow<'_, AnyRow> for ItemRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: parse(r, "id")?,
            merchant_id: parse(r, "merchant_id")?,
            name: get(r, "name")?,
            section: get(r, "section")?,
            description: get(r, "description")?,
            price: get(r, "price")?,
            options_json: get(r, "options_json")?,
            photo: get(r, "photo")?,
            created_at: time(r, "created_at")?,
            updated_at: time(r, "updated_at")?,
        })
    }
}

/// Inserts an item.
pub async fn insert<'e>(ex: impl Executor<'e, Database = Any>, i: &ItemRow) -> Result<(), StoreError> {
    let sql =
        sqlx::AssertSqlSafe(format!("INSERT INTO items ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"));
    sqlx::query(sql)
        .bind(i.id.to_string())
        .bind(i.merchant_id.to_string())
        .bind(i.name.clone())
        .bind(i.section.clone())
        .bind(i.description.clone())
        .bind(i.price)
        .bind(i.options_json.clone())
        .bind(i.photo.clone())
        .bind(i.created_at.millis())
        .bind(i.updated_at.millis())
        .execute(ex)
        .await?;
    Ok(())
}

/// Replaces an item's content; returns whether it exists.
pub async fn update<'e>(ex: impl Executor<'e, Database = Any>, i: &ItemRow) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE items SET name = $2, section = $3, description = $4, price = $5, options_json = $6, updated_at = $7, photo = $8 WHERE id = $1",
    )
    .bind(i.id.to_string())
    .bind(i.name.clone())
    .bind(i.section.clone())
    .bind(i.description.clone())
    .bind(i.price)
    .bind(i.options_json.clone())
    .bind(i.updated_at.millis())
    .bind(i.photo.clone())
    .execute(ex)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The item with this id.
pub async fn get_by_id<'e>(ex: impl Executor<'e, Database = Any>, id: ItemId) -> Result<Option<ItemRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM items WHERE id = $1"));
    Ok(sqlx::query_as(sql).bind(id.to_string()).fetch_optional(ex).await?)
}

/// A merchant's items, in creation order.
pub async fn list_for_merchant<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
) -> Result<Vec<ItemRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM items WHERE merchant_id = $1 ORDER BY id"));
    Ok(sqlx::query_as(sql).bind(merchant.to_string()).fetch_all(ex).await?)
}

/// A merchant's items, each with `store`'s override if it has one: a store's menu in one query.
pub async fn with_overrides<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    store: StoreId,
) -> Result<Vec<(ItemRow, Option<StoreItemRow>)>, StoreError> {
    let columns = crate::row::prefixed(COLUMNS, "i");
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {columns}, s.item_id AS o_item, s.price AS o_price, s.stock AS o_stock, s.sold_out AS o_sold_out \
         FROM items i LEFT JOIN store_items s ON s.item_id = i.id AND s.store_id = $2 \
         WHERE i.merchant_id = $1 ORDER BY i.id"
    ));
    let rows = sqlx::query(sql).bind(merchant.to_string()).bind(store.to_string()).fetch_all(ex).await?;
    rows.iter()
        .map(|r| {
            let item = ItemRow::from_row(r)?;
            let o = match opt::<String>(r, "o_item")? {
                None => None,
                Some(_) => Some(StoreItemRow {
                    price: get(r, "o_price")?,
                    stock: get(r, "o_stock")?,
                    sold_out: get::<i64>(r, "o_sold_out")? != 0,
                }),
            };
            Ok((item, o))
        })
        .collect()
}

/// Sets a store's override of an item.
pub async fn set_override<'e>(
    ex: impl Executor<'e, Database = Any>,
    store: StoreId,
    item: ItemId,
    o: &StoreItemRow,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO store_items (store_id, item_id, price, stock, sold_out) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (store_id, item_id) DO UPDATE SET price = $3, stock = $4, sold_out = $5",
    )
    .bind(store.to_string())
    .bind(item.to_string())
    .bind(o.price)
    .bind(o.stock)
    .bind(i64::from(o.sold_out))
    .execute(ex)
    .await?;
    Ok(())
}

/// What search keeps of an item: merchant, id, name and brand price.
pub type ItemEntry = (MerchantId, ItemId, String, i64);

/// Every item's merchant, id, name and brand price (to rebuild the search index).
pub async fn all_entries<'e>(ex: impl Executor<'e, Database = Any>) -> Result<Vec<ItemEntry>, StoreError> {
    let rows = sqlx::query("SELECT merchant_id, id, name, price FROM items ORDER BY id").fetch_all(ex).await?;
    rows.iter().map(|r| Ok((parse(r, "merchant_id")?, parse(r, "id")?, get(r, "name")?, get(r, "price")?))).collect()
}
