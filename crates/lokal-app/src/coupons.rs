//! Coupons (issue F): batches issued by a merchant (for some or all of its stores) or by the
//! platform; consumers claim them — the batch's quantity and the per-person limit hold under any
//! number of concurrent claims — see them in "my coupons", and use them at checkout
//! ([`App::apply_coupons`], priced by `lokal_core::promo`).

use crate::takeout::{CartJson, Priced};
use crate::{App, AppError};
use lokal_core::coupon::{CouponTemplateJson, CouponTerms, Validity};
use lokal_core::promo::{self, Benefit, Funder, Source};
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

fn view_of(row: TemplateRow, store_ids: Vec<StoreId>) -> Result<TemplateView, AppError> {
    let benefit = serde_json::from_str(&row.benefit_json).map_err(AppError::internal)?;
    Ok(TemplateView { row, benefit, store_ids })
}

/// A coupon applied to a cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedCoupon {
    /// The coupon.
    pub coupon: lokal_core::CouponId,
    /// Its batch.
    pub template: lokal_core::CouponTemplateId,
    /// Its title.
    pub title: String,
    /// What it takes off, minor units.
    pub amount: i64,
    /// Who pays it.
    pub funder: Funder,
    /// Off the delivery fee (else off the goods).
    pub on_delivery: bool,
    /// A new-customer coupon (one order per consumer at a time may use one).
    pub new_customers_only: bool,
}

/// A store promotion applied to a cart (funded by the merchant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedPromotion {
    /// The promotion.
    pub promotion: PromotionId,
    /// Its title.
    pub title: String,
    /// What it takes off, minor units.
    pub amount: i64,
    /// A first-order promotion.
    pub first_order: bool,
}

/// What an offer at checkout is: a coupon of the consumer's, or a promotion of the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ref {
    Coupon(CouponId, CouponTemplateId),
    Promotion(PromotionId),
}

impl Ref {
    fn name(self) -> String {
        match self {
            Ref::Coupon(c, _) => c.to_string(),
            Ref::Promotion(p) => format!("promotion {p}"),
        }
    }
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
        let credit = crate::campaigns::Action {
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
        if let Some(store) = t.store_id {
            let own = stores::list_for_merchant(self.db().pool(), merchant, &StoreScope::All).await?;
            if !own.iter().any(|s| s.id == store) {
                return Err(FieldError::new("store_id", "not a store of this merchant").into());
            }
        }
        let row = lokal_store::promotions::PromotionRow {
            id: PromotionId::generate(),
            merchant_id: merchant,
            store_id: t.store_id,
            title: t.title,
            benefit_json: serde_json::to_string(&t.benefit).map_err(AppError::internal)?,
            first_order: t.first_order,
            starts_at: t.starts_at.millis(),
            ends_at: t.ends_at.millis(),
            status: "active".into(),
            created_by: caller.user_id,
            created_at: now.millis(),
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
        let now = self.now();
        let pool = self.db().pool();
        let mut rows = coupons::templates_of_merchant(pool, view.row.merchant_id).await?;
        rows.extend(coupons::platform_templates(pool).await?);
        let mut out = Vec::new();
        for row in rows {
            let stores = coupons::stores_of(pool, row.id).await?;
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
        let mut rows = coupons::claimable(pool, self.now().millis(), 200).await?;
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

    /// Puts an order's coupons on it and their discounts on their batches' budgets, and takes
    /// the consumer's new-customer slot for each new-customer offer used, in the order's
    /// transaction. A coupon used on another order meanwhile, a budget spent or a slot taken by a
    /// racing first order refuses the order with `quote_changed`.
    pub(crate) async fn hold_discounts(
        &self,
        tx: &mut lokal_store::Tx,
        order: &lokal_store::orders::OrderRow,
        coupons: &[AppliedCoupon],
        promotions: &[AppliedPromotion],
        now: Timestamp,
    ) -> Result<(), AppError> {
        let changed =
            || AppError::new(ErrorCode::QuoteChanged, "a discount of the quote is no longer available: ask again");
        let id = order.id.to_string();
        // Batches in id order, the order `release` takes them in (no deadlock between the two).
        let mut holds: Vec<&AppliedCoupon> = coupons.iter().collect();
        holds.sort_by_key(|d| (d.template, d.coupon));
        for d in holds {
            if !coupons::hold(tx, d.coupon, order.user_id, &id, d.amount, now.millis()).await?
                || !coupons::spend_budget(tx, d.template, d.amount).await?
            {
                return Err(changed());
            }
        }
        let mut scopes: Vec<String> = coupons
            .iter()
            .filter(|d| d.new_customers_only)
            .map(|d| if d.funder == Funder::Platform { "platform".to_owned() } else { order.merchant_id.to_string() })
            .chain(promotions.iter().filter(|p| p.first_order).map(|_| order.merchant_id.to_string()))
            .collect();
        scopes.sort();
        scopes.dedup();
        for scope in scopes {
            if !coupons::lock_first_order(tx, order.user_id, &scope, &id).await? {
                return Err(changed());
            }
        }
        Ok(())
    }

    /// The coupons to apply to a bill of `amount` (after the store's own bill rule) at `store`:
    /// the ones named in `coupon_ids` (at most three; `[]`: none), else the best combination of
    /// the consumer's usable coupons. Store promotions do not apply to bills (the bill rule is
    /// the store's offer there); free delivery never does. The bill stays at least 0.01.
    pub async fn bill_coupons(
        &self,
        user: lokal_core::UserId,
        merchant: MerchantId,
        store: StoreId,
        amount: i64,
        coupon_ids: Option<&[CouponId]>,
        now: Timestamp,
    ) -> Result<Vec<AppliedCoupon>, AppError> {
        if coupon_ids.is_some_and(|ids| ids.len() > 3) {
            return Err(FieldError::new("coupon_ids", "name at most three coupons").into());
        }
        let none = coupon_ids.is_some_and(<[CouponId]>::is_empty);
        let (offers, titles, _) = self.wallet_offers(user, merchant, store, coupon_ids, none, now).await?;
        let offers: Vec<_> =
            offers.into_iter().filter(|o| !matches!(o.benefit, Benefit::FreeDelivery { .. })).collect();
        let bill = promo::Cart {
            lines: vec![promo::Line { item: lokal_core::ItemId(uuid::Uuid::nil()), quantity: 1, unit_price: amount }],
            packaging_fee: 0,
            delivery_fee: 0,
            new_customer: true,
        };
        let breakdown = price_with(&bill, &[], &offers, coupon_ids)?;
        let mut applied = applied_coupons(&breakdown, &titles);
        let short = 1 - (amount - applied.iter().map(|a| a.amount).sum::<i64>());
        if short > 0
            && let Some(last) = applied.last_mut()
        {
            last.amount -= short;
        }
        applied.retain(|a| a.amount > 0);
        Ok(applied)
    }

    /// The consumer's coupons usable at `store` of `merchant` now, as offers to the pricing
    /// engine (one per batch: the one named, else the soonest to expire), with their titles and
    /// new-customer flags, and whether the consumer is new at the merchant (when it was asked).
    #[allow(clippy::type_complexity)]
    async fn wallet_offers(
        &self,
        user: lokal_core::UserId,
        merchant: MerchantId,
        store: StoreId,
        named_ids: Option<&[CouponId]>,
        no_coupons: bool,
        now: Timestamp,
    ) -> Result<(Vec<promo::Offer<Ref>>, Vec<(CouponId, String, bool)>, Option<bool>), AppError> {
        let pool = self.db().pool();
        let named = |c: &lokal_store::coupons::CouponRow| named_ids.is_some_and(|ids| ids.contains(&c.id));
        let mut wallet: Vec<_> = lokal_store::coupons::of_user(pool, user)
            .await?
            .into_iter()
            .filter(|(c, t)| {
                !no_coupons
                    && c.status == "unused"
                    && c.expires_at > now.millis()
                    && (t.issuer == "platform" || t.merchant_id == Some(merchant))
            })
            .collect();
        // One candidate per batch (the coupons of a batch are alike): the one named, else the
        // soonest to expire. Keeps the best-combination search small however many are held.
        wallet.sort_by_key(|(c, t)| (t.id, !named(c), c.expires_at, c.id));
        wallet.dedup_by_key(|(_, t)| t.id);
        wallet.sort_by_key(|(c, _)| (c.expires_at, c.id));
        let mut offers = Vec::new();
        let mut titles = Vec::new();
        let (mut new_here, mut new_anywhere) = (None, None);
        for (c, t) in &wallet {
            let stores = lokal_store::coupons::stores_of(pool, t.id).await?;
            if !stores.is_empty() && !stores.contains(&store) {
                continue;
            }
            if t.new_customers_only {
                let first = if t.issuer == "platform" { &mut new_anywhere } else { &mut new_here };
                if first.is_none() {
                    let scope = (t.issuer != "platform").then_some(merchant);
                    *first = Some(!lokal_store::coupons::has_order(pool, user, scope).await?);
                }
                if *first != Some(true) {
                    continue;
                }
            }
            let benefit: promo::Benefit = serde_json::from_str(&t.benefit_json).map_err(AppError::internal)?;
            let platform = t.issuer == "platform";
            offers.push(promo::Offer {
                id: Ref::Coupon(c.id, t.id),
                source: if platform { Source::PlatformCoupon } else { Source::MerchantCoupon },
                benefit,
                funder: if platform { Funder::Platform } else { Funder::Merchant },
                new_customers_only: false,
                budget_left: t.budget.map(|b| b - t.budget_used),
            });
            titles.push((c.id, t.title.clone(), t.new_customers_only));
        }
        Ok((offers, titles, new_here))
    }

    /// Applies the store's running promotions and coupons of `user` to a priced cart by the
    /// stacking rules (`lokal_core::promo`): the coupons `cart.coupon_ids` names, or — when it is
    /// absent — the best combination of the coupons the consumer holds that are valid at this
    /// store. Lowers `priced.totals.total` (never below one minor unit) and fills
    /// `priced.promotions` and `priced.discounts`.
    pub async fn apply_coupons(
        &self,
        user: lokal_core::UserId,
        cart: &CartJson,
        priced: &mut Priced,
        now: Timestamp,
    ) -> Result<(), AppError> {
        if cart.coupon_ids.as_ref().is_some_and(|ids| ids.len() > 3) {
            return Err(FieldError::new("coupon_ids", "name at most three coupons").into());
        }
        let no_coupons = cart.coupon_ids.as_ref().is_some_and(Vec::is_empty);
        let merchant = priced.store.row.merchant_id;
        let store = cart.store_id;
        let pool = self.db().pool();
        let (offers, titles, mut new_here) =
            self.wallet_offers(user, merchant, store, cart.coupon_ids.as_deref(), no_coupons, now).await?;
        // The store's own promotions: every one running here, first-order ones for new customers.
        let mut promotions = Vec::new();
        let mut promo_titles = Vec::new();
        for p in lokal_store::promotions::running_at(pool, merchant, store, now.millis()).await? {
            if p.first_order {
                if new_here.is_none() {
                    new_here = Some(!lokal_store::coupons::has_order(pool, user, Some(merchant)).await?);
                }
                if new_here != Some(true) {
                    continue;
                }
            }
            let benefit: promo::Benefit = serde_json::from_str(&p.benefit_json).map_err(AppError::internal)?;
            promotions.push(promo::Offer {
                id: Ref::Promotion(p.id),
                source: if p.first_order { Source::FirstOrder } else { Source::Promotion },
                benefit,
                funder: Funder::Merchant,
                new_customers_only: false,
                budget_left: None,
            });
            promo_titles.push((p.id, p.title, p.first_order));
        }
        let goods = promo::Cart {
            lines: priced
                .lines
                .iter()
                .map(|l| promo::Line {
                    item: l.item_id,
                    quantity: u32::try_from(l.quantity).unwrap_or(0),
                    unit_price: l.unit_price,
                })
                .collect(),
            packaging_fee: priced.totals.packaging_fee,
            delivery_fee: priced.totals.delivery_fee,
            new_customer: true,
        };
        let breakdown = price_with(&goods, &promotions, &offers, cart.coupon_ids.as_deref())?;
        let mut from_store: Vec<AppliedPromotion> = breakdown
            .lines
            .iter()
            .filter_map(|l| {
                let Some(Ref::Promotion(id)) = l.offer else { return None };
                let (title, first_order) =
                    promo_titles.iter().find(|t| t.0 == id).map(|t| (t.1.clone(), t.2)).unwrap_or_default();
                Some(AppliedPromotion { promotion: id, title, amount: -l.amount, first_order })
            })
            .collect();
        let mut applied = applied_coupons(&breakdown, &titles);
        // Payment needs at least one minor unit: the last discount gives way.
        let off: i64 = applied.iter().map(|a| a.amount).sum::<i64>() + from_store.iter().map(|a| a.amount).sum::<i64>();
        let short = 1 - (priced.totals.total - off);
        if short > 0 {
            if let Some(last) = applied.last_mut() {
                last.amount -= short;
            } else if let Some(last) = from_store.last_mut() {
                last.amount -= short;
            }
        }
        applied.retain(|a| a.amount > 0);
        from_store.retain(|a| a.amount > 0);
        priced.totals.total -= applied.iter().map(|a| a.amount).sum::<i64>();
        priced.totals.total -= from_store.iter().map(|a| a.amount).sum::<i64>();
        priced.discounts = applied;
        priced.promotions = from_store;
        Ok(())
    }
}

/// Prices `cart` with `promotions` and either the best combination of `offers` or, when the
/// consumer named them, exactly the coupons `named` (an unknown or unusable one is a 422 on
/// `coupon_ids`).
fn price_with(
    cart: &promo::Cart,
    promotions: &[promo::Offer<Ref>],
    offers: &[promo::Offer<Ref>],
    named: Option<&[CouponId]>,
) -> Result<promo::Breakdown<Ref>, AppError> {
    let Some(ids) = named else { return Ok(promo::best(cart, promotions, offers).1) };
    let mut chosen = promotions.to_vec();
    for id in ids {
        let o = offers.iter().find(|o| matches!(o.id, Ref::Coupon(c, _) if c == *id)).ok_or_else(|| {
            FieldError::new("coupon_ids", format!("coupon {id} is not yours, used, expired or not valid here"))
        })?;
        chosen.push(o.clone());
    }
    promo::price(cart, &chosen).map_err(|(id, why)| {
        AppError::from(FieldError::new("coupon_ids", format!("coupon {} cannot be used: {why}", id.name())))
    })
}

/// The coupons a priced breakdown applied, with their titles and new-customer flags.
fn applied_coupons(breakdown: &promo::Breakdown<Ref>, titles: &[(CouponId, String, bool)]) -> Vec<AppliedCoupon> {
    breakdown
        .lines
        .iter()
        .filter_map(|l| {
            let Some(Ref::Coupon(coupon, template)) = l.offer else { return None };
            let (title, new_customers_only) =
                titles.iter().find(|t| t.0 == coupon).map(|t| (t.1.clone(), t.2)).unwrap_or_default();
            Some(AppliedCoupon {
                coupon,
                template,
                title,
                amount: -l.amount,
                funder: l.funder?,
                on_delivery: l.kind == promo::ChargeKind::DeliveryDiscount,
                new_customers_only,
            })
        })
        .collect()
}
