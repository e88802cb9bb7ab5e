//! Customer lists (issue G): a merchant's customers from its kept orders — visits, spend,
//! average ticket, first and last visit, RFM segment — with the tags the merchant adds; filtered
//! by store, segment, tag or name. Merchant-wide managers see the brand; a store's managers see
//! that store's customers. Contact details are not shown (they come with membership consent).

use crate::page::{Page, PageRequest};
use crate::{App, AppError};
use lokal_core::customers::{self as rules, Segment};
use lokal_core::{MerchantId, Principal, Scope, StaffRole, StoreId, UserId};
use lokal_store::customers::{self as store, CustomerRow};
use std::collections::HashMap;

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

/// Where a page of customers ends: the last one's last visit and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerCursor {
    /// Last visit, epoch ms.
    pub last_at: i64,
    /// The customer.
    pub user: UserId,
}

impl std::str::FromStr for CustomerCursor {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let (t, u) = s.split_once('~').ok_or(())?;
        Ok(Self { last_at: t.parse().map_err(|_| ())?, user: u.parse().map_err(|_| ())? })
    }
}

impl std::fmt::Display for CustomerCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}~{}", self.last_at, self.user)
    }
}

/// Most customers read per query when listing them all (the CSV export).
const EXPORT_PAGE: i64 = 1_000;

impl App {
    /// A page of the merchant's customers by `filter`, most recent first; every filter is applied
    /// by the database, so pages are full and a big chain's old segments are complete.
    pub async fn customers_page(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        filter: &CustomerFilter,
        page: PageRequest<CustomerCursor>,
    ) -> Result<Page<Customer>, AppError> {
        self.authorize_customers(caller, merchant, filter.store).await?;
        let tags = self.customer_tags(merchant).await?;
        self.customers_after(merchant, filter, page, &tags, self.now().millis()).await
    }

    /// Every customer `filter` selects (the CSV export), most recent first: checked and tags
    /// read once, then page after page.
    pub async fn customers(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        filter: &CustomerFilter,
    ) -> Result<Vec<Customer>, AppError> {
        self.authorize_customers(caller, merchant, filter.store).await?;
        let tags = self.customer_tags(merchant).await?;
        let now = self.now().millis();
        let mut out = Vec::new();
        let mut after = None;
        loop {
            let page = PageRequest { after, limit: EXPORT_PAGE };
            let page = self.customers_after(merchant, filter, page, &tags, now).await?;
            out.extend(page.items);
            match page.next_cursor.and_then(|c| c.parse().ok()) {
                Some(c) => after = Some(c),
                None => return Ok(out),
            }
        }
    }

    async fn customer_tags(&self, merchant: MerchantId) -> Result<HashMap<UserId, Vec<String>>, AppError> {
        let mut tags: HashMap<UserId, Vec<String>> = HashMap::new();
        for (u, t) in store::tags(self.db().pool(), merchant).await? {
            tags.entry(u).or_default().push(t);
        }
        Ok(tags)
    }

    /// One page, the caller already checked. Every filter is applied by the database, so pages
    /// are full and a big chain's old segments complete.
    async fn customers_after(
        &self,
        merchant: MerchantId,
        filter: &CustomerFilter,
        page: PageRequest<CustomerCursor>,
        tags: &HashMap<UserId, Vec<String>>,
        now: i64,
    ) -> Result<Page<Customer>, AppError> {
        let bounds = filter.segment.map(Segment::bounds);
        let select = store::CustomerSelect {
            store: filter.store,
            tag: filter.tag.clone(),
            name: filter.name.as_ref().map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()),
            last_visit: bounds.map_or((i64::MIN, i64::MAX), |b| b.last_visit_range(now)),
            visits: bounds.map_or((0, i64::MAX), |b| (b.visits.0, b.visits.1.unwrap_or(i64::MAX))),
            after: page.after.map(|c| (c.last_at, c.user)),
            limit: page.limit + 1,
        };
        let rows = store::of_merchant(self.db().pool(), merchant, &select).await?;
        let list = rows
            .into_iter()
            .map(|row| {
                let recency_days = (now - row.last_at.millis()).max(0) / 86_400_000;
                Customer {
                    recency_days,
                    segment: Segment::of(recency_days, row.visits),
                    average_ticket: lokal_core::analytics::average(row.spend, row.visits).unwrap_or(0),
                    tags: tags.get(&row.user_id).cloned().unwrap_or_default(),
                    row,
                }
            })
            .collect();
        Ok(Page::from_overfetch(list, page.limit, |c| {
            CustomerCursor { last_at: c.row.last_at.millis(), user: c.row.user_id }.to_string()
        }))
    }

    async fn authorize_customers(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        store: Option<StoreId>,
    ) -> Result<(), AppError> {
        match store {
            Some(s) => {
                caller.authorize(Scope::Store(merchant, s), StaffRole::Manager)?;
                let row = lokal_store::stores::get_by_id(self.db().pool(), s).await?;
                if row.is_none_or(|r| r.merchant_id != merchant) {
                    return Err(AppError::not_found("store"));
                }
            }
            None => caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?,
        }
        Ok(())
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
        let tag = rules::tag("tag", tag)?;
        if !store::is_customer(self.db().pool(), merchant, user).await? {
            return Err(AppError::not_found("customer"));
        }
        store::add_tag(self.db().pool(), merchant, user, &tag, caller.user_id, self.now()).await?;
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
        let tag = rules::tag("tag", tag).map_err(|_| AppError::not_found("tag"))?;
        if !store::remove_tag(self.db().pool(), merchant, user, &tag).await? {
            return Err(AppError::not_found("tag"));
        }
        Ok(())
    }
}
