//! Merchants (brands). Their stores are in [`crate::stores`].

use crate::StoreError;
use crate::row::{get, parse, time};
use lokal_core::MerchantId;
use lokal_core::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, FromRow};

/// A stored merchant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantRow {
    /// The id.
    pub id: MerchantId,
    /// The brand name.
    pub name: String,
    /// Creation time.
    pub created_at: Timestamp,
}

/// Inserts a merchant.
pub async fn insert<'e>(ex: impl Executor<'e, Database = Any>, m: &MerchantRow) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO merchants (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(m.id.to_string())
        .bind(m.name.clone())
        .bind(m.created_at.millis())
        .execute(ex)
        .await?;
    Ok(())
}

/// The merchant with this id.
pub async fn get_merchant<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: MerchantId,
) -> Result<Option<MerchantRow>, StoreError> {
    Ok(sqlx::query_as("SELECT id, name, created_at FROM merchants WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(ex)
        .await?)
}

impl FromRow<'_, AnyRow> for MerchantRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self { id: parse(r, "id")?, name: get(r, "name")?, created_at: time(r, "created_at")? })
    }
}

impl lokal_core::access::Owned for MerchantRow {
    fn scope(&self) -> lokal_core::Scope {
        lokal_core::Scope::Merchant(self.id)
    }
}

/// The platform's commission rate on a merchant's sales, basis points.
pub async fn commission_bp<'e>(ex: impl Executor<'e, Database = Any>, id: MerchantId) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT commission_bp FROM merchants WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(ex)
        .await?;
    Ok(row.as_ref().map_or(Ok(800), |r| crate::row::get(r, "commission_bp"))?)
}

/// Locks a merchant's row for the rest of the transaction (a no-op update).
pub async fn lock(tx: &mut crate::Tx, id: MerchantId) -> Result<(), StoreError> {
    sqlx::query("UPDATE merchants SET name = name WHERE id = $1").bind(id.to_string()).execute(&mut **tx).await?;
    Ok(())
}
