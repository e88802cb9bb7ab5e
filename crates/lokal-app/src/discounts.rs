//! Coupons and store promotions at checkout (issue F): the consumer's usable coupons and the
//! store's running promotions offered to the pricing engine (`lokal_core::promo`), the best
//! combination applied to a cart or a bill, and the discounts held on the order in its
//! transaction.

use crate::takeout::{CartJson, Priced};
use crate::{App, AppError};
use lokal_core::coupon::CouponStatus;
use lokal_core::promo::{self, Benefit, Funder, Source};
use lokal_core::{CouponId, CouponTemplateId, ErrorCode, FieldError, MerchantId, PromotionId, StoreId, Timestamp};
use lokal_store::coupons;

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
            Ref::Promotion(p) => p.to_string(),
        }
    }
}

impl App {
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
        let changed = || AppError::new(ErrorCode::QuoteChanged, "err-quote-discount-gone");
        let id = order.id.to_string();
        // Batches in id order, the order `release` takes them in (no deadlock between the two).
        let mut holds: Vec<&AppliedCoupon> = coupons.iter().collect();
        holds.sort_by_key(|d| (d.template, d.coupon));
        for d in holds {
            if !coupons::hold(tx, d.coupon, order.user_id, &id, d.amount, now).await?
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
            return Err(
                FieldError::new("coupon_ids", lokal_core::Msg::new("field-coupons-at-most").with("max", 3)).into()
            );
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

    /// The consumer's coupons usable at `store` of `merchant` now (no platform coupons for the
    /// merchant's own staff), as offers to the pricing
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
        // The platform's money is not for a merchant's own people at that merchant: its staff
        // (any rank, any store) cannot use platform coupons there.
        let staff_here =
            lokal_store::grants::for_user(pool, user).await?.iter().any(|g| g.merchant_id == Some(merchant));
        let mut wallet: Vec<_> = lokal_store::coupons::of_user(pool, user)
            .await?
            .into_iter()
            .filter(|(c, t)| {
                !no_coupons
                    && c.status == CouponStatus::Unused
                    && c.expires_at > now
                    && ((t.issuer == "platform" && !staff_here) || t.merchant_id == Some(merchant))
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
            return Err(
                FieldError::new("coupon_ids", lokal_core::Msg::new("field-coupons-at-most").with("max", 3)).into()
            );
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
        for p in lokal_store::promotions::running_at(pool, merchant, store, now).await? {
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
            FieldError::new("coupon_ids", lokal_core::Msg::new("field-coupon-not-usable").with("id", id.to_string()))
        })?;
        chosen.push(o.clone());
    }
    promo::price(cart, &chosen).map_err(|(id, why)| AppError::from(FieldError::new("coupon_ids", why.msg(&id.name()))))
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
