//! Customer lists (issue G): a merchant's customers from its kept orders — visits, spend,
//! average ticket, first and last visit, RFM segment — with the tags the merchant adds; filtered
//! by store, segment, tag or name. Merchant-wide managers see the brand; a store's managers see
//! that store's customers. Contact details are not shown (they come with membership consent).

use crate::{App, AppError};
use lokal_core::crm::{self, Segment};
use lokal_core::{MerchantId, Principal, Scope, StaffRole, StoreId, UserId};
use lokal_store::customers::{self, CustomerRow};

/// A customer as the list shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// Visits, spend, first and last visit.
    pub row: CustomerRow,
    /// Days since the last visit.
    pub recency_days: i64,
    /// RFM segment.
    pub segment: Segment,
    /// Spend per visit, rounded.
    pub average_ticket: i64,
    /// The merchant's tags.
    pub tags: Vec<String>,
}

/// Which customers to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerFilter {
    /// One store (else the brand).
    pub store: Option<StoreId>,
    /// One segment.
    pub segment: Option<Segment>,
    /// Customers with this tag.
    pub tag: Option<String>,
    /// Names containing this (case-insensitive).
    pub name: Option<String>,
}

impl App {
    /// The merchant's customers by `filter`, most recent first.
    pub async fn customers(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        filter: &CustomerFilter,
    ) -> Result<Vec<Customer>, AppError> {
        match filter.store {
            Some(s) => {
                caller.authorize(Scope::Store(merchant, s), StaffRole::Manager)?;
                let row = lokal_store::stores::get_by_id(self.db().pool(), s).await?;
                if row.is_none_or(|r| r.merchant_id != merchant) {
                    return Err(AppError::not_found("store"));
                }
            }
            None => caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?,
        }
        let now = self.now().millis();
        let mut tags: std::collections::HashMap<UserId, Vec<String>> = std::collections::HashMap::new();
        for (u, t) in customers::tags(self.db().pool(), merchant).await? {
            tags.entry(u).or_default().push(t);
        }
        let name = filter.name.as_ref().map(|n| n.trim().to_lowercase()).filter(|n| !n.is_empty());
        Ok(customers::of_merchant(self.db().pool(), merchant, filter.store)
            .await?
            .into_iter()
            .map(|row| {
                let recency_days = (now - row.last_at).max(0) / 86_400_000;
                Customer {
                    recency_days,
                    segment: Segment::of(recency_days, row.visits),
                    average_ticket: lokal_core::analytics::average(row.spend, row.visits).unwrap_or(0),
                    tags: tags.get(&row.user_id).cloned().unwrap_or_default(),
                    row,
                }
            })
            .filter(|c| filter.segment.is_none_or(|s| c.segment == s))
            .filter(|c| filter.tag.as_ref().is_none_or(|t| c.tags.contains(t)))
            .filter(|c| name.as_ref().is_none_or(|n| c.row.name.to_lowercase().contains(n.as_str())))
            .collect())
    }

    /// Tags one of the merchant's customers. Merchant-wide managers and owners.
    pub async fn tag_customer(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        user: UserId,
        tag: &str,
    ) -> Result<(), AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
        let tag = crm::tag("tag", tag)?;
        if !customers::is_customer(self.db().pool(), merchant, user).await? {
            return Err(AppError::not_found("customer"));
        }
        customers::add_tag(self.db().pool(), merchant, user, &tag, caller.user_id, self.now().millis()).await?;
        Ok(())
    }

    /// Removes a tag from a customer. Merchant-wide managers and owners.
    pub async fn untag_customer(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        user: UserId,
        tag: &str,
    ) -> Result<(), AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
        let tag = crm::tag("tag", tag).map_err(|_| AppError::not_found("tag"))?;
        if !customers::remove_tag(self.db().pool(), merchant, user, &tag).await? {
            return Err(AppError::not_found("tag"));
        }
        Ok(())
    }
}
