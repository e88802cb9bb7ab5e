//! Role grants and the stores a staff grant covers.

use crate::StoreError;
use crate::row::{get, parse};
use lokal_core::Timestamp;
use lokal_core::{Grant, GrantId, MerchantId, Role, StoreScope, UserId};
use sqlx::{Any, Executor};

/// A grant to be stored.
#[derive(Debug, Clone)]
pub struct NewGrant {
    /// The grant's id.
    pub id: GrantId,
    /// Who receives it.
    pub user_id: UserId,
    /// The role.
    pub role: Role,
    /// For staff: the merchant.
    pub merchant_id: Option<MerchantId>,
    /// For staff: the stores.
    pub stores: StoreScope,
    /// Creation time.
    pub created_at: Timestamp,
}

/// Stores a grant and its store list in the given transaction. Fails with
/// `Unique("grants_user_scope_key")` if the user already holds a grant on that merchant (or that
/// platform-wide role), and `ForeignKey` if a store does not exist.
pub async fn insert(tx: &mut crate::Tx, g: &NewGrant) -> Result<(), StoreError> {
    let all = matches!(g.stores, StoreScope::All);
    sqlx::query(
        "INSERT INTO grants (id, user_id, role, merchant_id, all_stores, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(g.id.to_string())
    .bind(g.user_id.to_string())
    .bind(g.role.as_str())
    .bind(g.merchant_id.map(|m| m.to_string()))
    .bind(i64::from(all))
    .bind(g.created_at.millis())
    .execute(&mut **tx)
    .await?;
    if let StoreScope::Only(stores) = &g.stores {
        for s in stores {
            sqlx::query("INSERT INTO grant_stores (grant_id, store_id) VALUES ($1, $2) ON CONFLICT (grant_id, store_id) DO NOTHING")
                .bind(g.id.to_string())
                .bind(s.to_string())
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// Every grant a user holds, with store lists, in creation order.
pub async fn for_user<'e, E>(ex: E, user: UserId) -> Result<Vec<Grant>, StoreError>
where
    E: Executor<'e, Database = Any> + Copy,
{
    let rows = sqlx::query(
        "SELECT g.id, g.role, g.merchant_id, g.all_stores, gs.store_id FROM grants g \
         LEFT JOIN grant_stores gs ON gs.grant_id = g.id WHERE g.user_id = $1 ORDER BY g.id, gs.store_id",
    )
    .bind(user.to_string())
    .fetch_all(ex)
    .await?;
    let mut grants: Vec<Grant> = Vec::new();
    for r in &rows {
        let id: GrantId = parse(r, "id")?;
        let store: Option<String> = get(r, "store_id")?;
        if grants.last().map(|g| g.id) != Some(id) {
            let role_text: String = get(r, "role")?;
            let role = Role::parse(&role_text).ok_or_else(|| StoreError::Corrupt(format!("role {role_text:?}")))?;
            let merchant: Option<String> = get(r, "merchant_id")?;
            let merchant_id =
                merchant.map(|m| m.parse()).transpose().map_err(|_| StoreError::Corrupt("merchant_id".into()))?;
            let all = get::<i64>(r, "all_stores")? != 0;
            grants.push(Grant {
                id,
                role,
                merchant_id,
                stores: if all { StoreScope::All } else { StoreScope::Only(vec![]) },
            });
        }
        if let (Some(s), Some(Grant { stores: StoreScope::Only(list), .. })) = (store, grants.last_mut()) {
            list.push(s.parse().map_err(|_| StoreError::Corrupt("store_id".into()))?);
        }
    }
    Ok(grants)
}

/// Staff of a merchant: `(user id, display name, grant)` in creation order.
pub async fn staff_of<'e, E>(ex: E, merchant: MerchantId) -> Result<Vec<(UserId, String, Grant)>, StoreError>
where
    E: Executor<'e, Database = Any> + Copy,
{
    let rows = sqlx::query("SELECT g.user_id, u.display_name FROM grants g JOIN users u ON u.id = g.user_id WHERE g.merchant_id = $1 ORDER BY g.id")
        .bind(merchant.to_string())
        .fetch_all(ex)
        .await?;
    let mut out = Vec::new();
    for r in &rows {
        let user: UserId = parse(r, "user_id")?;
        let name: String = get(r, "display_name")?;
        if let Some(g) = for_user(ex, user).await?.into_iter().find(|g| g.merchant_id == Some(merchant)) {
            out.push((user, name, g));
        }
    }
    Ok(out)
}

/// Removes a user's grant on a merchant (and its store list). Returns whether there was one.
pub async fn remove(tx: &mut crate::Tx, user: UserId, merchant: MerchantId) -> Result<bool, StoreError> {
    sqlx::query(
        "DELETE FROM grant_stores WHERE grant_id IN (SELECT id FROM grants WHERE user_id = $1 AND merchant_id = $2)",
    )
    .bind(user.to_string())
    .bind(merchant.to_string())
    .execute(&mut **tx)
    .await?;
    let done = sqlx::query("DELETE FROM grants WHERE user_id = $1 AND merchant_id = $2")
        .bind(user.to_string())
        .bind(merchant.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Removes a user's platform-wide `role` (`platform_admin`, `rider`, `promoter`). Returns whether
/// they held it.
pub async fn remove_platform(tx: &mut crate::Tx, user: UserId, role: &Role) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM grants WHERE user_id = $1 AND role = $2 AND merchant_id IS NULL")
        .bind(user.to_string())
        .bind(role.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}
