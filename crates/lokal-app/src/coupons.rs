//! Coupons (issue F): batches issued by a merchant (for some or all of its stores) or by the
//! platform; consumers claim them — the batch's quantity and the per-person limit hold under any
//! number of concurrent claims — and see them in "my coupons".

use crate::{App, AppError};
use lokal_core::promo::{Benefit, CouponTemplateJson, CouponTerms, Validity};
use lokal_core::{
    CouponId, CouponTemplateId, ErrorCode, FieldError, MerchantId, Principal, Scope, StaffRole, StoreId, StoreScope,
    Timestamp,
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
        self.row.status == "active" && self.row.claim_from <= now.millis() && now.millis() < self.row.claim_until
    }

    /// When a coupon claimed at `at` expires.
    pub fn expires(&self, at: Timestamp) -> Timestamp {
        match (self.row.valid_until, self.row.valid_days) {
            (Some(u), _) => Timestamp(u),
            (None, Some(d)) => Validity::Days(u32::try_from(d).unwrap_or(1)).expires(at),
            (None, None) => Timestamp(self.row.claim_until),
        }
    }
}

fn view(row: TemplateRow, store_ids: Vec<StoreId>) -> Result<TemplateView, AppError> {
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
            return Err(FieldError::new("benefit.kind", "free delivery coupons are issued by the platform").into());
        }
        let own = stores::list_for_merchant(self.db().pool(), merchant, &StoreScope::All).await?;
        if let Some(bad) = t.store_ids.iter().find(|id| !own.iter().any(|s| s.id == **id)) {
            return Err(FieldError::new("store_ids", format!("store {bad} is not a store of this merchant")).into());
        }
        self.insert_template(caller, Some(merchant), t).await
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
        self.insert_template(caller, None, t).await
    }

    async fn insert_template(
        &self,
        caller: &Principal,
        merchant: Option<MerchantId>,
        t: CouponTerms,
    ) -> Result<TemplateView, AppError> {
        let now = self.now().millis();
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
            claim_from: t.claim_from.millis(),
            claim_until: t.claim_until.millis(),
            valid_until,
            valid_days,
            quantity: t.quantity,
            quantity_left: t.quantity,
            per_user_limit: t.per_user_limit,
            budget: t.budget,
            budget_used: 0,
            status: "active".into(),
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
        view(row, stores)
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
            out.push(view(row, stores)?);
        }
        Ok(out)
    }

    /// The platform's batches, for operators.
    pub async fn platform_coupon_templates(&self, caller: &Principal) -> Result<Vec<TemplateView>, AppError> {
        caller.require_admin()?;
        coupons::platform_templates(self.db().pool()).await?.into_iter().map(|r| view(r, Vec::new())).collect()
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
            return Err(AppError::new(ErrorCode::NotClaimable, "this coupon cannot be claimed now"));
        }
        if t.row.quantity_left <= 0 {
            return Err(AppError::new(ErrorCode::CouponsGone, "every coupon of this batch has been claimed"));
        }
        let mut tx = self.db().begin().await?;
        // Claimer row before batch row (one order everywhere, so racing claims cannot deadlock).
        if !coupons::count_claimer(&mut tx, template, caller.user_id, t.row.per_user_limit).await? {
            return Err(AppError::new(
                ErrorCode::ClaimLimitReached,
                format!("at most {} per person for this coupon", t.row.per_user_limit),
            ));
        }
        if !coupons::take_one(&mut tx, template, now.millis()).await? {
            return Err(AppError::new(ErrorCode::CouponsGone, "every coupon of this batch has been claimed"));
        }
        let coupon = CouponRow {
            id: CouponId::generate(),
            template_id: template,
            user_id: caller.user_id,
            claimed_at: now.millis(),
            expires_at: t.expires(now).millis(),
            status: "unused".into(),
            channel: (!channel.is_empty()).then_some(channel),
            order_id: None,
            used_at: None,
            discount: 0,
        };
        coupons::insert_coupon(&mut tx, &coupon).await?;
        tx.commit().await?;
        Ok(CouponView { coupon, template: t })
    }

    /// The caller's coupons, newest first.
    pub async fn my_coupons(&self, caller: &Principal) -> Result<Vec<CouponView>, AppError> {
        let mut out = Vec::new();
        for (coupon, row) in coupons::of_user(self.db().pool(), caller.user_id).await? {
            let stores = coupons::stores_of(self.db().pool(), row.id).await?;
            out.push(CouponView { coupon, template: view(row, stores)? });
        }
        Ok(out)
    }
}
