//! Coupons (issue F): batches issued by a merchant (for some or all of its stores) or by the
//! platform; consumers claim them — the batch's quantity and the per-person limit hold under any
//! number of concurrent claims — see them in "my coupons", and use them at checkout
//! (`crate::discounts`, priced by `lokal_core::promo`).

use crate::{App, AppError};
use lokal_core::RunStatus;
use lokal_core::coupon::BatchStatus;
use lokal_core::coupon::CouponStatus;
use lokal_core::coupon::{CouponTemplateJson, CouponTerms, Validity};
use lokal_core::promo::Benefit;
use lokal_core::{
    CouponId, CouponTemplateId, ErrorCode, FieldError, MerchantId, Principal, PromotionId, Scope, StaffRole, StoreId,
    StoreScope, Timestamp,
};
use lokal_store::coupons::{self, CouponRow, TemplateRow};
use lokal_store::stores;

/// A batch with its benefit and stores.
#[derive(Debug, Clone)]
pub struct TemplateView {
    /// The stored row.
    pub row: TemplateRow,
    /// What a coupon gives.
    pub benefit: Benefit,
    /// Stores it is limited to (empty: all of the merchant's, or anywhere for the platform).
    pub store_ids: Vec<StoreId>,
}

impl TemplateView {
    /// Whether claiming is open at `now` (quantity aside).
    pub fn claimable_at(&self, now: Timestamp) -> bool {
        self.row.status == BatchStatus::Active
            && self.row.claim_from <= now
            && now.millis() < self.row.claim_until.millis()
    }

    /// When a coupon claimed at `at` expires.
    pub fn expires(&self, at: Timestamp) -> Timestamp {
        match (self.row.valid_until, self.row.valid_days) {
            (Some(u), _) => u,
            (None, Some(d)) => Validity::Days(u32::try_from(d).unwrap_or(1)).expires(at),
            (None, None) => self.row.claim_until,
        }
    }
}

fn view_of(row: TemplateRow, store_ids: Vec<StoreId>) -> Result<TemplateView, AppError> {
    let benefit = serde_json::from_str(&row.benefit_json).map_err(AppError::internal)?;
    Ok(TemplateView { row, benefit, store_ids })
}

/// A claimed coupon with its batch.
#[derive(Debug, Clone)]
pub struct CouponView {
    /// The coupon.
    pub coupon: CouponRow,
    /// Its batch.
    pub template: TemplateView,
}

impl App {
    /// Creates a merchant's coupon batch. Merchant-wide managers and owners; stores, if named,
    /// must be the merchant's.
    pub async fn create_merchant_coupons(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        j: CouponTemplateJson,
    ) -> Result<TemplateView, AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
        self.merchant(caller, merchant).await?;
        let t = CouponTerms::parse(j, self.now())?;
        if matches!(t.benefit, Benefit::FreeDelivery { .. }) {
            // Delivery fees are the platform's: only the platform waives them.
            return Err(FieldError::new("benefit.kind", "field-free-delivery-platform-only").into());
        }
        let own = stores::list_for_merchant(self.db().pool(), merchant, &StoreScope::All).await?;
        if let Some(bad) = t.store_ids.iter().find(|id| !own.iter().any(|s| s.id == **id)) {
            return Err(FieldError::new(
                "store_ids",
                lokal_core::Msg::new("field-store-id-not-of-merchant").with("store", bad.to_string()),
            )
            .into());
        }
        self.check_benefit_item(&t.benefit, Some(merchant)).await?;
        self.insert_template(caller, Some(merchant), t).await
    }

    /// An item a benefit names (`item_off`) must be on the menu of `merchant` (any merchant's,
    /// for the platform's offers): naming another merchant's item is 422 on `benefit.item`.
    async fn check_benefit_item(&self, benefit: &Benefit, merchant: Option<MerchantId>) -> Result<(), AppError> {
        let Benefit::ItemOff { item, .. } = benefit else { return Ok(()) };
        let found = lokal_store::catalog::get_by_id(self.db().pool(), *item).await?;
        match (found, merchant) {
            (Some(i), Some(m)) if i.merchant_id == m => Ok(()),
            (Some(_), None) => Ok(()),
            _ => Err(FieldError::new(
                "benefit.item",
                lokal_core::Msg::new("field-item-not-of-merchant").with("item", item.to_string()),
            )
            .into()),
        }
    }

    /// Creates a platform coupon batch (valid at every store). Operators only.
    pub async fn create_platform_coupons(
        &self,
        caller: &Principal,
        j: CouponTemplateJson,
    ) -> Result<TemplateView, AppError> {
        caller.require_admin()?;
        let mut t = CouponTerms::parse(j, self.now())?;
        t.store_ids.clear();
        self.check_benefit_item(&t.benefit, None).await?;
        self.insert_template(caller, None, t).await
    }

    async fn insert_template(
        &self,
        caller: &Principal,
        merchant: Option<MerchantId>,
        t: CouponTerms,
    ) -> Result<TemplateView, AppError> {
        let now = self.now();
        let (valid_until, valid_days) = match t.validity {
            Validity::Until(u) => (Some(u.millis()), None),
            Validity::Days(d) => (None, Some(i64::from(d))),
        };
        let row = TemplateRow {
            id: CouponTemplateId::generate(),
            issuer: if merchant.is_some() { "merchant" } else { "platform" }.into(),
            merchant_id: merchant,
            title: t.title,
            benefit_json: serde_json::to_string(&t.benefit).map_err(AppError::internal)?,
            new_customers_only: t.new_customers_only,
            claim_from: t.claim_from,
            claim_until: t.claim_until,
            valid_until: valid_until.map(Timestamp),
            valid_days,
            quantity: t.quantity,
            quantity_left: t.quantity,
            per_user_limit: t.per_user_limit,
            budget: t.budget,
            budget_used: 0,
            status: BatchStatus::Active,
            created_by: caller.user_id,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.db().begin().await?;
        coupons::insert_template(&mut tx, &row, &t.store_ids).await?;
        tx.commit().await?;
        Ok(TemplateView { row, benefit: t.benefit, store_ids: t.store_ids })
    }

    /// A batch, for anyone (so a campaign link or a store page can show it).
    pub async fn coupon_template(&self, id: CouponTemplateId) -> Result<TemplateView, AppError> {
        let row =
            coupons::template_by_id(self.db().pool(), id).await?.ok_or_else(|| AppError::not_found("coupon batch"))?;
        let stores = coupons::stores_of(self.db().pool(), id).await?;
        view_of(row, stores)
    }

    /// A merchant's batches, for its merchant-wide staff.
    pub async fn merchant_coupon_templates(
        &self,
        caller: &Principal,
        merchant: MerchantId,
    ) -> Result<Vec<TemplateView>, AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Clerk)?;
        let mut out = Vec::new();
        for row in coupons::templates_of_merchant(self.db().pool(), merchant).await? {
            let stores = coupons::stores_of(self.db().pool(), row.id).await?;
            out.push(view_of(row, stores)?);
        }
        Ok(out)
    }

    /// The platform's batches, for operators.
    pub async fn platform_coupon_templates(&self, caller: &Principal) -> Result<Vec<TemplateView>, AppError> {
        caller.require_admin()?;
        coupons::platform_templates(self.db().pool()).await?.into_iter().map(|r| view_of(r, Vec::new())).collect()
    }

    /// Claims one coupon of a batch for the caller, recording the channel that brought them.
    /// Refused with `not_claimable`, `claim_limit_reached` or `coupons_gone`; nothing is taken
    /// then.
    pub async fn claim_coupon(
        &self,
        caller: &Principal,
        template: CouponTemplateId,
        channel: &str,
    ) -> Result<CouponView, AppError> {
        let channel = lokal_core::field::line_of_text("channel", channel, 64, false)?;
        let t = self.coupon_template(template).await?;
        let now = self.now();
        if !t.claimable_at(now) {
            return Err(AppError::new(ErrorCode::NotClaimable, "err-coupon-not-claimable"));
        }
        if t.row.quantity_left <= 0 {
            return Err(AppError::new(ErrorCode::CouponsGone, "err-coupons-gone"));
        }
        let mut tx = self.db().begin().await?;
        // Claimer row before batch row (one order everywhere, so racing claims cannot deadlock).
        if !coupons::count_claimer(&mut tx, template, caller.user_id, t.row.per_user_limit).await? {
            return Err(AppError::new(
                ErrorCode::ClaimLimitReached,
                lokal_core::Msg::new("err-coupon-claim-limit").with("max", t.row.per_user_limit),
            ));
        }
        if !coupons::take_one(&mut tx, template, now).await? {
            return Err(AppError::new(ErrorCode::CouponsGone, "err-coupons-gone"));
        }
        let coupon = CouponRow {
            id: CouponId::generate(),
            template_id: template,
            user_id: caller.user_id,
            claimed_at: now,
            expires_at: t.expires(now),
            status: CouponStatus::Unused,
            channel: (!channel.is_empty()).then_some(channel),
            order_id: None,
            used_at: None,
            discount: 0,
        };
        coupons::insert_coupon(&mut tx, &coupon).await?;
        let credit = crate::attribution::Action {
            kind: lokal_core::campaign::EventKind::Claim,
            ref_id: coupon.id.to_string(),
            user: caller.user_id,
            merchant: t.row.merchant_id,
            amount: 0,
            order: None,
        };
        self.credit(&mut tx, &credit).await?;
        tx.commit().await?;
        Ok(CouponView { coupon, template: t })
    }

    /// Starts a store promotion (every consumer gets it, no coupon). Merchant-wide managers and
    /// owners; the store, if named, must be the merchant's.
    pub async fn create_promotion(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        j: lokal_core::coupon::PromotionJson,
    ) -> Result<lokal_store::promotions::PromotionRow, AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
        self.merchant(caller, merchant).await?;
        let now = self.now();
        let t = lokal_core::coupon::PromotionTerms::parse(j, now)?;
        self.check_benefit_item(&t.benefit, Some(merchant)).await?;
        if let Some(store) = t.store_id {
            let own = stores::list_for_merchant(self.db().pool(), merchant, &StoreScope::All).await?;
            if !own.iter().any(|s| s.id == store) {
                return Err(FieldError::new("store_id", "field-store-not-of-merchant").into());
            }
        }
        let row = lokal_store::promotions::PromotionRow {
            id: PromotionId::generate(),
            merchant_id: merchant,
            store_id: t.store_id,
            title: t.title,
            benefit_json: serde_json::to_string(&t.benefit).map_err(AppError::internal)?,
            first_order: t.first_order,
            starts_at: t.starts_at,
            ends_at: t.ends_at,
            status: RunStatus::Active,
            created_by: caller.user_id,
            created_at: now,
        };
        lokal_store::promotions::insert(self.db().pool(), &row).await?;
        Ok(row)
    }

    /// A merchant's promotions, newest first, for its merchant-wide staff.
    pub async fn merchant_promotions(
        &self,
        caller: &Principal,
        merchant: MerchantId,
    ) -> Result<Vec<lokal_store::promotions::PromotionRow>, AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Clerk)?;
        Ok(lokal_store::promotions::of_merchant(self.db().pool(), merchant).await?)
    }

    /// Batches a consumer may claim on a store's page now: the merchant's valid at this store and
    /// the platform's, with coupons left.
    pub async fn store_coupon_batches(&self, store: StoreId) -> Result<Vec<TemplateView>, AppError> {
        let view = self.public_store(store).await?;
        self.coupon_batches_at(&view).await
    }

    /// [`App::store_coupon_batches`] of a store already read.
    pub async fn coupon_batches_at(&self, view: &crate::stores::StoreView) -> Result<Vec<TemplateView>, AppError> {
        let store = view.row.id;
        let now = self.now();
        let pool = self.db().pool();
        let rows = coupons::claimable_for_merchant(pool, view.row.merchant_id, now).await?;
        let ids: Vec<CouponTemplateId> = rows.iter().map(|r| r.id).collect();
        let mut limited = coupons::stores_of_many(pool, &ids).await?;
        let mut out = Vec::new();
        for row in rows {
            let stores = limited.remove(&row.id).unwrap_or_default();
            let t = view_of(row, stores)?;
            if t.claimable_at(now)
                && t.row.quantity_left > 0
                && (t.store_ids.is_empty() || t.store_ids.contains(&store))
            {
                out.push(t);
            }
        }
        Ok(out)
    }

    /// The coupon centre: every batch open for claiming now, the platform's first, then the
    /// merchants' newest first (at most 200), each with its merchant's name.
    pub async fn coupon_centre(&self) -> Result<Vec<(TemplateView, Option<String>)>, AppError> {
        let pool = self.db().pool();
        let mut rows = coupons::claimable(pool, self.now(), 200).await?;
        rows.sort_by_key(|r| r.merchant_id.is_some());
        let mut names: std::collections::HashMap<MerchantId, String> = std::collections::HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let name = match row.merchant_id {
                Some(m) => {
                    if let std::collections::hash_map::Entry::Vacant(e) = names.entry(m) {
                        let found = lokal_store::merchants::get_merchant(pool, m).await?;
                        e.insert(found.map(|x| x.name).unwrap_or_default());
                    }
                    names.get(&m).cloned()
                }
                None => None,
            };
            let stores = coupons::stores_of(pool, row.id).await?;
            out.push((view_of(row, stores)?, name));
        }
        Ok(out)
    }

    /// The caller's coupons, newest first.
    pub async fn my_coupons(&self, caller: &Principal) -> Result<Vec<CouponView>, AppError> {
        let mut out = Vec::new();
        for (coupon, row) in coupons::of_user(self.db().pool(), caller.user_id).await? {
            let stores = coupons::stores_of(self.db().pool(), row.id).await?;
            out.push(CouponView { coupon, template: view_of(row, stores)? });
        }
        Ok(out)
    }
}
