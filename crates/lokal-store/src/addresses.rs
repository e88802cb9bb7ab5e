//! Address books: a person's saved delivery addresses, most recently used first.

use crate::StoreError;
use crate::row::{get, parse, time};
use lokal_core::Timestamp;
use lokal_core::UserId;
use sqlx::FromRow;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

/// A saved address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressRow {
    /// The id (a UUIDv7).
    pub id: String,
    /// Whose.
    pub user_id: UserId,
    /// `家`, `公司`, … (may be empty).
    pub label: String,
    /// Who receives.
    pub contact_name: String,
    /// Their phone, E.164.
    pub contact_phone: String,
    /// The address as a rider reads it.
    pub address: String,
    /// Door, floor or room.
    pub door: String,
    /// The pin's latitude × 10⁷.
    pub lat_e7: i64,
    /// The pin's longitude × 10⁷.
    pub lng_e7: i64,
    /// Saved.
    pub created_at: Timestamp,
    /// Last saved or used for an order.
    pub used_at: Timestamp,
}

const COLUMNS: &str =
    "id, user_id, label, contact_name, contact_phone, address, door, lat_e7, lng_e7, created_at, used_at";

impl FromRow<'_, AnyRow> for AddressRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: get(r, "id")?,
            user_id: parse(r, "user_id")?,
            label: get(r, "label")?,
            contact_name: get(r, "contact_name")?,
            contact_phone: get(r, "contact_phone")?,
            address: get(r, "address")?,
            door: get(r, "door")?,
            lat_e7: get(r, "lat_e7")?,
            lng_e7: get(r, "lng_e7")?,
            created_at: time(r, "created_at")?,
            used_at: time(r, "used_at")?,
        })
    }
}

/// Saves a new address.
pub async fn insert<'e>(ex: impl Executor<'e, Database = Any>, a: &AddressRow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO addresses (id, user_id, label, contact_name, contact_phone, address, door, lat_e7, lng_e7, created_at, used_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&a.id)
    .bind(a.user_id.to_string())
    .bind(&a.label)
    .bind(&a.contact_name)
    .bind(&a.contact_phone)
    .bind(&a.address)
    .bind(&a.door)
    .bind(a.lat_e7)
    .bind(a.lng_e7)
    .bind(a.created_at.millis())
    .bind(a.used_at.millis())
    .execute(ex)
    .await?;
    Ok(())
}

/// Replaces the fields of `a` (by id and owner); whether it was there.
pub async fn update<'e>(ex: impl Executor<'e, Database = Any>, a: &AddressRow) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE addresses SET label = $1, contact_name = $2, contact_phone = $3, address = $4, door = $5, \
         lat_e7 = $6, lng_e7 = $7, used_at = $8 WHERE id = $9 AND user_id = $10",
    )
    .bind(&a.label)
    .bind(&a.contact_name)
    .bind(&a.contact_phone)
    .bind(&a.address)
    .bind(&a.door)
    .bind(a.lat_e7)
    .bind(a.lng_e7)
    .bind(a.used_at.millis())
    .bind(&a.id)
    .bind(a.user_id.to_string())
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes `id` if it is `user`'s; whether it was.
pub async fn delete<'e>(ex: impl Executor<'e, Database = Any>, user: UserId, id: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM addresses WHERE id = $1 AND user_id = $2")
        .bind(id.to_owned())
        .bind(user.to_string())
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks `id` as just used.
pub async fn touch<'e>(
    ex: impl Executor<'e, Database = Any>,
    user: UserId,
    id: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE addresses SET used_at = $1 WHERE id = $2 AND user_id = $3")
        .bind(now.millis())
        .bind(id.to_owned())
        .bind(user.to_string())
        .execute(ex)
        .await?;
    Ok(())
}

/// `user`'s address `id`, if it is theirs.
pub async fn get_for<'e>(
    ex: impl Executor<'e, Database = Any>,
    user: UserId,
    id: &str,
) -> Result<Option<AddressRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM addresses WHERE id = $1 AND user_id = $2"));
    Ok(sqlx::query_as(sql).bind(id.to_owned()).bind(user.to_string()).fetch_optional(ex).await?)
}

/// `user`'s addresses, most recently used first.
pub async fn for_user<'e>(ex: impl Executor<'e, Database = Any>, user: UserId) -> Result<Vec<AddressRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM addresses WHERE user_id = $1 ORDER BY used_at DESC, id DESC LIMIT 100"
    ));
    Ok(sqlx::query_as(sql).bind(user.to_string()).fetch_all(ex).await?)
}

/// How many addresses `user` has.
pub async fn count<'e>(ex: impl Executor<'e, Database = Any>, user: UserId) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM addresses WHERE user_id = $1")
        .bind(user.to_string())
        .fetch_one(ex)
        .await?;
    Ok(get(&row, "n")?)
}
