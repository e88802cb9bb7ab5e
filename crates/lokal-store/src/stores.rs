//! Stores: the physical places of a merchant, with the profile that discovery searches.

use crate::StoreError;
use crate::row::{get, parse, time};
use lokal_core::Timestamp;
use lokal_core::{MerchantId, StoreId, StoreScope};
use sqlx::FromRow;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

/// A stored store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreRow {
    /// The id.
    pub id: StoreId,
    /// The owning merchant.
    pub merchant_id: MerchantId,
    /// The store's name.
    pub name: String,
    /// Creation time.
    pub created_at: Timestamp,
    /// Category name (`food`, …).
    pub category: String,
    /// Street address.
    pub address: String,
    /// Latitude in 1e-7 degrees, if located.
    pub lat_e7: Option<i64>,
    /// Longitude in 1e-7 degrees, if located.
    pub lng_e7: Option<i64>,
    /// Phone, E.164.
    pub phone: Option<String>,
    /// Local offset from UTC, minutes.
    pub utc_offset_min: i64,
    /// Average spend per person, minor units.
    pub avg_price: Option<i64>,
    /// Offers delivery.
    pub delivery: bool,
    /// Offers pickup.
    pub pickup: bool,
    /// Offers dine-in.
    pub dine_in: bool,
    /// Delivery radius, metres.
    pub delivery_radius_m: Option<i64>,
    /// Average rating × 100 (0 = unrated).
    pub rating_x100: i64,
    /// Visible reviews (kept by the review use cases; read-only here).
    pub review_count: i64,
    /// Orders and redemptions in the last 30 days.
    pub monthly_sales: i64,
    /// Hours, tags and photos as JSON.
    pub details_json: String,
    /// Last profile change.
    pub updated_at: Timestamp,
}

const COLUMNS: &str = "id, merchant_id, name, created_at, category, address, lat_e7, lng_e7, phone, utc_offset_min, \
     avg_price, offers_delivery, offers_pickup, offers_dine_in, delivery_radius_m, rating_x100, monthly_sales, \
     details_json, updated_at";

impl FromRow<'_, AnyRow> for StoreRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: parse(r, "id")?,
            merchant_id: parse(r, "merchant_id")?,
            name: get(r, "name")?,
            created_at: time(r, "created_at")?,
            category: get(r, "category")?,
            address: get(r, "address")?,
            lat_e7: get(r, "lat_e7")?,
            lng_e7: get(r, "lng_e7")?,
            phone: get(r, "phone")?,
            utc_offset_min: get(r, "utc_offset_min")?,
            avg_price: get(r, "avg_price")?,
            delivery: get::<i64>(r, "offers_delivery")? != 0,
            pickup: get::<i64>(r, "offers_pickup")? != 0,
            dine_in: get::<i64>(r, "offers_dine_in")? != 0,
            delivery_radius_m: get(r, "delivery_radius_m")?,
            rating_x100: get(r, "rating_x100")?,
            monthly_sales: get(r, "monthly_sales")?,
            details_json: get(r, "details_json")?,
            updated_at: time(r, "updated_at")?,
            review_count: get(r, "review_count")?,
        })
    }
}

type AnyQuery<'q> = sqlx::query::Query<'q, Any, sqlx::any::AnyArguments>;

/// Binds a row's 19 values in [`COLUMNS`] order.
fn bind_row<'q>(q: AnyQuery<'q>, s: &StoreRow) -> AnyQuery<'q> {
    q.bind(s.id.to_string())
        .bind(s.merchant_id.to_string())
        .bind(s.name.clone())
        .bind(s.created_at.millis())
        .bind(s.category.clone())
        .bind(s.address.clone())
        .bind(s.lat_e7)
        .bind(s.lng_e7)
        .bind(s.phone.clone())
        .bind(s.utc_offset_min)
        .bind(s.avg_price)
        .bind(i64::from(s.delivery))
        .bind(i64::from(s.pickup))
        .bind(i64::from(s.dine_in))
        .bind(s.delivery_radius_m)
        .bind(s.rating_x100)
        .bind(s.monthly_sales)
        .bind(s.details_json.clone())
        .bind(s.updated_at.millis())
}

/// Inserts a store with its profile.
pub async fn insert<'e>(ex: impl Executor<'e, Database = Any>, s: &StoreRow) -> Result<(), StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO stores ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"
    ));
    bind_row(sqlx::query(sql), s).execute(ex).await?;
    Ok(())
}

/// Replaces a store's profile (everything but its ids, creation time, rating and sales).
/// Returns whether the store exists.
pub async fn update_profile<'e>(ex: impl Executor<'e, Database = Any>, s: &StoreRow) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE stores SET name = $2, category = $3, address = $4, lat_e7 = $5, lng_e7 = $6, phone = $7, \
         utc_offset_min = $8, avg_price = $9, offers_delivery = $10, offers_pickup = $11, offers_dine_in = $12, \
         delivery_radius_m = $13, details_json = $14, updated_at = $15 WHERE id = $1",
    )
    .bind(s.id.to_string())
    .bind(s.name.clone())
    .bind(s.category.clone())
    .bind(s.address.clone())
    .bind(s.lat_e7)
    .bind(s.lng_e7)
    .bind(s.phone.clone())
    .bind(s.utc_offset_min)
    .bind(s.avg_price)
    .bind(i64::from(s.delivery))
    .bind(i64::from(s.pickup))
    .bind(i64::from(s.dine_in))
    .bind(s.delivery_radius_m)
    .bind(s.details_json.clone())
    .bind(s.updated_at.millis())
    .execute(ex)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The store with this id.
pub async fn get_by_id<'e>(ex: impl Executor<'e, Database = Any>, id: StoreId) -> Result<Option<StoreRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS}, review_count FROM stores WHERE id = $1"));
    Ok(sqlx::query_as(sql).bind(id.to_string()).fetch_optional(ex).await?)
}

/// The merchant's stores within `scope`, in creation order.
pub async fn list_for_merchant<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    scope: &StoreScope,
) -> Result<Vec<StoreRow>, StoreError> {
    let sql =
        sqlx::AssertSqlSafe(format!("SELECT {COLUMNS}, review_count FROM stores WHERE merchant_id = $1 ORDER BY id"));
    let rows = sqlx::query(sql).bind(merchant.to_string()).fetch_all(ex).await?;
    let stores: Vec<StoreRow> = rows.iter().map(StoreRow::from_row).collect::<Result<_, _>>()?;
    Ok(stores.into_iter().filter(|s| scope.covers(s.id)).collect())
}

/// Up to `limit` stores with ids after `after`, in id order (to rebuild indexes page by page).
pub async fn list_all<'e>(
    ex: impl Executor<'e, Database = Any>,
    after: Option<StoreId>,
    limit: i64,
) -> Result<Vec<StoreRow>, StoreError> {
    let sql =
        sqlx::AssertSqlSafe(format!("SELECT {COLUMNS}, review_count FROM stores WHERE id > $1 ORDER BY id LIMIT $2"));
    let after = after.map(|a| a.to_string()).unwrap_or_default();
    Ok(sqlx::query_as(sql).bind(after).bind(limit).fetch_all(ex).await?)
}

impl lokal_core::access::Owned for StoreRow {
    fn scope(&self) -> lokal_core::Scope {
        lokal_core::Scope::Store(self.merchant_id, self.id)
    }
}

/// Sets a store's rating and sales figures. Only the demo seed calls this: in a running platform
/// these figures are derived from reviews and orders.
pub async fn set_figures<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: StoreId,
    rating_x100: i64,
    monthly_sales: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE stores SET rating_x100 = $2, monthly_sales = $3 WHERE id = $1")
        .bind(id.to_string())
        .bind(rating_x100)
        .bind(monthly_sales)
        .execute(ex)
        .await?;
    Ok(())
}

/// Inserts many stores in one statement per 500 (bulk seeding of large demo cities).
pub async fn insert_many(tx: &mut crate::Tx, rows: &[StoreRow]) -> Result<(), StoreError> {
    for chunk in rows.chunks(500) {
        let mut sql = format!("INSERT INTO stores ({COLUMNS}) VALUES ");
        for (i, _) in chunk.iter().enumerate() {
            let base = i * 19;
            let marks: Vec<String> = (1..=19).map(|k| format!("${}", base + k)).collect();
            sql.push_str(if i == 0 { "(" } else { ", (" });
            sql.push_str(&marks.join(", "));
            sql.push(')');
        }
        // Only placeholders are formatted in; every value is bound below.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for s in chunk {
            q = bind_row(q, s);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}
