//! Group-buy deals: merchants create them; anyone reads them.

use crate::{App, AppError};
use lokal_core::RunStatus;
use lokal_core::deal::{DealJson, DealLineJson, DealTerms, UsageRules, UsageRulesJson};
use lokal_core::{
    Currency, DealId, FieldError, MerchantId, Principal, Scope, StaffRole, StoreId, StoreScope, Timestamp,
};
use lokal_store::deals::{self, DealRow};
use lokal_store::stores;

/// What `details_json` holds.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct DealDetails {
    /// Description.
    pub description: String,
    /// Contents.
    pub contents: Vec<DealLineJson>,
    /// Usage rules.
    pub rules: UsageRulesJson,
    /// Photos (`/media/<id>/w800.jpg` or URLs), the cover first.
    #[serde(default)]
    pub photos: Vec<String>,
}

/// A deal with its details and stores.
#[derive(Debug, Clone)]
pub struct DealView {
    /// The stored row.
    pub row: DealRow,
    /// Description, contents, rules.
    pub details: DealDetails,
    /// Where vouchers are valid.
    pub store_ids: Vec<StoreId>,
}

impl DealView {
    /// Whether buying is open at `now` (stock aside).
    pub fn on_sale_at(&self, now: Timestamp) -> bool {
        self.row.status == RunStatus::Active
            && self.row.sale_starts_at <= now
            && now.millis() < self.row.sale_ends_at.millis()
    }

    /// The checked usage rules.
    pub fn rules(&self) -> Result<UsageRules, AppError> {
        UsageRules::parse("rules", &self.details.rules)
            .map_err(|e| AppError::internal(std::io::Error::other(e.msg.to_string())))
    }
}

fn view(row: DealRow, store_ids: Vec<StoreId>) -> Result<DealView, AppError> {
    let details = serde_json::from_str(&row.details_json).map_err(AppError::internal)?;
    Ok(DealView { row, details, store_ids })
}

impl App {
    /// Creates a deal. Merchant-wide managers and owners; every store must be the merchant's.
    pub async fn create_deal(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        j: DealJson,
    ) -> Result<DealView, AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
        self.merchant(caller, merchant).await?;
        let now = self.now();
        let t = DealTerms::parse(j, now)?;
        let own = stores::list_for_merchant(self.db().pool(), merchant, &StoreScope::All).await?;
        if let Some(bad) = t.store_ids.iter().find(|id| !own.iter().any(|s| s.id == **id)) {
            return Err(FieldError::new(
                "store_ids",
                lokal_core::Msg::new("field-store-id-not-of-merchant").with("store", bad.to_string()),
            )
            .into());
        }
        self.check_photos("photos", &t.photos).await?;
        let details = DealDetails {
            description: t.description,
            contents: t.contents,
            rules: t.rules.to_json(),
            photos: t.photos,
        };
        let row = DealRow {
            id: DealId::generate(),
            merchant_id: merchant,
            title: t.title,
            details_json: serde_json::to_string(&details).map_err(AppError::internal)?,
            price: t.price,
            original_price: t.original_price,
            currency: Currency::CNY.to_string(),
            sale_starts_at: t.sale_starts_at,
            sale_ends_at: t.sale_ends_at,
            valid_from: t.valid_from,
            valid_until: t.valid_until,
            uses_per_voucher: i64::from(t.uses_per_voucher),
            stock_total: i64::from(t.stock),
            stock_left: i64::from(t.stock),
            per_user_limit: i64::from(t.per_user_limit),
            refundable: t.refundable,
            auto_refund: t.auto_refund_on_expiry,
            flash_sale: t.flash_sale,
            status: RunStatus::Active,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.db().begin().await?;
        deals::insert(&mut tx, &row, &t.store_ids).await?;
        tx.commit().await?;
        let v = DealView { row, details, store_ids: t.store_ids };
        self.index_deal(&v).await?;
        Ok(v)
    }

    /// A deal, for anyone.
    pub async fn deal(&self, id: DealId) -> Result<DealView, AppError> {
        let row = deals::get_by_id(self.db().pool(), id).await?.ok_or_else(|| AppError::not_found("deal"))?;
        let stores = deals::stores_of(self.db().pool(), id).await?;
        view(row, stores)
    }

    /// Deals valid at a store that can still be bought or used, for anyone.
    pub async fn store_deals(&self, store: StoreId) -> Result<Vec<DealView>, AppError> {
        self.public_store(store).await?;
        self.deals_at(store).await
    }

    /// [`App::store_deals`] of a store known to exist.
    pub async fn deals_at(&self, store: StoreId) -> Result<Vec<DealView>, AppError> {
        let now = self.now();
        let mut out = Vec::new();
        for row in deals::for_store(self.db().pool(), store).await? {
            if row.status == RunStatus::Active && row.sale_ends_at > now {
                let stores = deals::stores_of(self.db().pool(), row.id).await?;
                out.push(view(row, stores)?);
            }
        }
        Ok(out)
    }

    /// A merchant's deals, for its merchant-wide staff.
    pub async fn merchant_deals(&self, caller: &Principal, merchant: MerchantId) -> Result<Vec<DealView>, AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Clerk)?;
        let mut out = Vec::new();
        for row in deals::for_merchant(self.db().pool(), merchant).await? {
            let stores = deals::stores_of(self.db().pool(), row.id).await?;
            out.push(view(row, stores)?);
        }
        Ok(out)
    }
}
