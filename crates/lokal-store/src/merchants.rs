//! Merchants and their stores (the minimal shape the access rules need; issue B adds the rest).

use crate::StoreError;
use crate::row::{get, parse};
use lokal_core::{MerchantId, StoreId, StoreScope};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

/// A stored merchant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantRow {
    /// The id.
    pub id: MerchantId,
    /// The brand name.
    pub name: String,
    /// Creation time, epoch ms.
    pub created_at: i64,
}

/// A stored store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreRow {
    /// The id.
    pub id: StoreId,
    /// The owning merchant.
    pub merchant_id: MerchantId,
    /// The store's name.
    pub name: String,
    /// Creation time, epoch ms.
    pub created_at: i64,
}

/// Inserts a merchant.
pub async fn insert<'e>(ex: impl Executor<'e, Database = Any>, m: &MerchantRow) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO merchants (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(m.id.to_string())
        .bind(m.name.clone())
        .bind(m.created_at)
        .execute(ex)
        .await
        .map_err(StoreError::from_sqlx)?;
    Ok(())
}

/// The merchant with this id.
pub async fn get_merchant<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: MerchantId,
) -> Result<Option<MerchantRow>, StoreError> {
    let row = sqlx::query("SELECT id, name, created_at FROM merchants WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(ex)
        .await
        .map_err(StoreError::from_sqlx)?;
    row.map(|r| Ok(MerchantRow { id: parse(&r, "id")?, name: get(&r, "name")?, created_at: get(&r, "created_at")? }))
        .transpose()
}

fn store_from_row(r: &AnyRow) -> Result<StoreRow, StoreError> {
    Ok(StoreRow {
        id: parse(r, "id")?,
        merchant_id: parse(r, "merchant_id")?,
        name: get(r, "name")?,
        created_at: get(r, "created_at")?,
    })
}

/// Inserts a store.
pub async fn insert_store<'e>(ex: impl Executor<'e, Database = Any>, s: &StoreRow) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO stores (id, merchant_id, name, created_at) VALUES ($1, $2, $3, $4)")
        .bind(s.id.to_string())
        .bind(s.merchant_id.to_string())
        .bind(s.name.clone())
        .bind(s.created_at)
        .execute(ex)
        .await
        .map_err(StoreError::from_sqlx)?;
    Ok(())
}

/// The store with this id.
pub async fn get_store<'e>(ex: impl Executor<'e, Database = Any>, id: StoreId) -> Result<Option<StoreRow>, StoreError> {
    let row = sqlx::query("SELECT id, merchant_id, name, created_at FROM stores WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(ex)
        .await
        .map_err(StoreError::from_sqlx)?;
    row.as_ref().map(store_from_row).transpose()
}

/// The merchant's stores within `scope`, in creation order.
pub async fn list_stores<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    scope: &StoreScope,
) -> Result<Vec<StoreRow>, StoreError> {
    let rows = sqlx::query("SELECT id, merchant_id, name, created_at FROM stores WHERE merchant_id = $1 ORDER BY id")
        .bind(merchant.to_string())
        .fetch_all(ex)
        .await
        .map_err(StoreError::from_sqlx)?;
    let stores: Vec<StoreRow> = rows.iter().map(store_from_row).collect::<Result<_, _>>()?;
    Ok(stores.into_iter().filter(|s| scope.covers(s.id)).collect())
}

impl lokal_core::access::Owned for StoreRow {
    fn scope(&self) -> lokal_core::Scope {
        lokal_core::Scope::Store(self.merchant_id, self.id)
    }
}

impl lokal_core::access::Owned for MerchantRow {
    fn scope(&self) -> lokal_core::Scope {
        lokal_core::Scope::Merchant(self.id)
    }
}
