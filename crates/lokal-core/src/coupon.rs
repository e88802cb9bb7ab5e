//! Coupon batches as merchants and operators issue them (issue F): the request, its checks and
//! when a claimed coupon expires. What a coupon gives at checkout is priced by [`crate::promo`].

/// A coupon batch as a merchant or an operator sends it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CouponTemplateJson {
    /// Shown to consumers, e.g. "¥20 off ¥100".
    pub title: String,
    /// What a coupon gives.
    pub benefit: crate::promo::Benefit,
    /// Only for a consumer's first order.
    #[serde(default)]
    pub new_customers_only: bool,
    /// Claiming opens (RFC 3339; default now).
    #[serde(default)]
    pub claim_from: Option<String>,
    /// Claiming closes (RFC 3339).
    pub claim_until: String,
    /// A claimed coupon is usable from claiming until this time (RFC 3339) …
    #[serde(default)]
    pub valid_until: Option<String>,
    /// … or for this many days after it is claimed (one of the two).
    #[serde(default)]
    pub valid_days: Option<u32>,
    /// Coupons in the batch.
    pub quantity: i64,
    /// Coupons one consumer may claim (default 1).
    #[serde(default = "one")]
    pub per_user_limit: i64,
    /// Most discount the batch may give in total, minor units (none: no limit beyond the quantity).
    #[serde(default)]
    pub budget: Option<i64>,
    /// A merchant's stores where coupons are valid (empty: all of them). Ignored for platform coupons.
    #[serde(default)]
    pub store_ids: Vec<crate::StoreId>,
}

fn one() -> i64 {
    1
}

/// When a claimed coupon can be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// Until a fixed time.
    Until(crate::Timestamp),
    /// For this many days after claiming.
    Days(u32),
}

impl Validity {
    /// When a coupon claimed at `claimed` expires.
    pub fn expires(self, claimed: crate::Timestamp) -> crate::Timestamp {
        match self {
            Validity::Until(t) => t,
            Validity::Days(d) => crate::Timestamp(claimed.millis().saturating_add(i64::from(d) * 86_400_000)),
        }
    }
}

/// A checked coupon batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponTerms {
    /// Title.
    pub title: String,
    /// Benefit.
    pub benefit: crate::promo::Benefit,
    /// First orders only.
    pub new_customers_only: bool,
    /// Claiming opens.
    pub claim_from: crate::Timestamp,
    /// Claiming closes.
    pub claim_until: crate::Timestamp,
    /// Validity of a claimed coupon.
    pub validity: Validity,
    /// Coupons in the batch.
    pub quantity: i64,
    /// Per consumer.
    pub per_user_limit: i64,
    /// Total discount budget, minor units.
    pub budget: Option<i64>,
    /// Stores (empty: all of the merchant's).
    pub store_ids: Vec<crate::StoreId>,
}

const MAX_AMOUNT: i64 = 10_000_000;

use crate::field::instant;

/// Checks a benefit's amounts; the error names the field (`benefit.off`, …).
pub fn check_benefit(b: &crate::promo::Benefit) -> Result<(), crate::FieldError> {
    use crate::FieldError;
    use crate::promo::Benefit;
    let amount = |field: &str, v: i64| {
        if (0..=MAX_AMOUNT).contains(&v) {
            Ok(())
        } else {
            Err(FieldError::new(field, crate::field::amount_between(0, MAX_AMOUNT)))
        }
    };
    match b {
        Benefit::AmountOff { off, threshold } => {
            amount("benefit.threshold", *threshold)?;
            if !(1..=MAX_AMOUNT).contains(off) {
                return Err(FieldError::new("benefit.off", crate::field::amount_between(1, MAX_AMOUNT)));
            }
            if *threshold > 0 && off > threshold {
                return Err(FieldError::new("benefit.off", "field-off-above-threshold"));
            }
        }
        Benefit::PercentOff { percent_bp, cap, threshold } => {
            amount("benefit.threshold", *threshold)?;
            if !(1..=9_000).contains(percent_bp) {
                return Err(FieldError::new(
                    "benefit.percent_bp",
                    crate::Msg::new("field-bp-range").with("min", 1).with("max", 9_000),
                ));
            }
            if let Some(c) = cap {
                amount("benefit.cap", *c)?;
            }
        }
        Benefit::FreeDelivery { cap, threshold } => {
            amount("benefit.threshold", *threshold)?;
            if let Some(c) = cap {
                amount("benefit.cap", *c)?;
            }
        }
        Benefit::ItemOff { off_each, max_units, .. } => {
            if !(1..=MAX_AMOUNT).contains(off_each) {
                return Err(FieldError::new("benefit.off_each", crate::field::amount_between(1, MAX_AMOUNT)));
            }
            if !(1..=100).contains(max_units) {
                return Err(FieldError::new("benefit.max_units", crate::field::between(1, 100)));
            }
        }
    }
    Ok(())
}

impl CouponTerms {
    /// Checks a batch sent at `now`; the error names the first bad field.
    pub fn parse(j: CouponTemplateJson, now: crate::Timestamp) -> Result<Self, crate::FieldError> {
        use crate::FieldError;
        let title = crate::field::line_of_text("title", &j.title, 60, true)?;
        check_benefit(&j.benefit)?;
        let claim_from = j.claim_from.as_deref().map(|s| instant("claim_from", s)).transpose()?.unwrap_or(now);
        let claim_until = instant("claim_until", &j.claim_until)?;
        if claim_until <= claim_from {
            return Err(FieldError::new("claim_until", "field-claim-until-after-from"));
        }
        if claim_until.millis() - now.millis() > 366 * 86_400_000 {
            return Err(FieldError::new("claim_until", crate::Msg::new("field-within-years").with("n", 1)));
        }
        let validity = match (j.valid_until.as_deref(), j.valid_days) {
            (Some(u), None) => {
                let until = instant("valid_until", u)?;
                if until < claim_until {
                    return Err(FieldError::new("valid_until", "field-valid-until-before-claim"));
                }
                if until.millis() - now.millis() > 2 * 366 * 86_400_000 {
                    return Err(FieldError::new("valid_until", crate::Msg::new("field-within-years").with("n", 2)));
                }
                Validity::Until(until)
            }
            (None, Some(d)) if (1..=365).contains(&d) => Validity::Days(d),
            (None, Some(_)) => return Err(FieldError::new("valid_days", crate::field::between(1, 365))),
            _ => return Err(FieldError::new("valid_until", "field-valid-until-or-days")),
        };
        if !(1..=10_000_000).contains(&j.quantity) {
            return Err(FieldError::new("quantity", crate::field::between(1, 10_000_000)));
        }
        if !(1..=100).contains(&j.per_user_limit) {
            return Err(FieldError::new("per_user_limit", crate::field::between(1, 100)));
        }
        if let Some(b) = j.budget
            && !(1..=1_000_000_000_000).contains(&b)
        {
            return Err(FieldError::new("budget", crate::field::amount_between(1, 1_000_000_000_000)));
        }
        let mut store_ids = Vec::new();
        for s in j.store_ids {
            if !store_ids.contains(&s) {
                store_ids.push(s);
            }
        }
        if store_ids.len() > 1000 {
            return Err(FieldError::new("store_ids", crate::Msg::new("field-too-many").with("max", 1_000)));
        }
        Ok(CouponTerms {
            title,
            benefit: j.benefit,
            new_customers_only: j.new_customers_only,
            claim_from,
            claim_until,
            validity,
            quantity: j.quantity,
            per_user_limit: j.per_user_limit,
            budget: j.budget,
            store_ids,
        })
    }
}

/// A store promotion as a merchant sends it: no coupon needed, every consumer gets it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PromotionJson {
    /// Shown on the quote, e.g. "满100减20".
    pub title: String,
    /// `amount_off` or `percent_off` (a spend-and-save tier), or `item_off`; not free delivery.
    pub benefit: crate::promo::Benefit,
    /// Only for a consumer's first order at this merchant.
    #[serde(default)]
    pub first_order: bool,
    /// One of the merchant's stores (none: all of them).
    #[serde(default)]
    pub store_id: Option<crate::StoreId>,
    /// Starts (RFC 3339; default now).
    #[serde(default)]
    pub starts_at: Option<String>,
    /// Ends (RFC 3339).
    pub ends_at: String,
}

/// A checked store promotion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromotionTerms {
    /// Title.
    pub title: String,
    /// Benefit.
    pub benefit: crate::promo::Benefit,
    /// First orders only.
    pub first_order: bool,
    /// The store (none: all).
    pub store_id: Option<crate::StoreId>,
    /// Starts.
    pub starts_at: crate::Timestamp,
    /// Ends.
    pub ends_at: crate::Timestamp,
}

impl PromotionTerms {
    /// Checks a promotion sent at `now`; the error names the first bad field.
    pub fn parse(j: PromotionJson, now: crate::Timestamp) -> Result<Self, crate::FieldError> {
        use crate::FieldError;
        let title = crate::field::line_of_text("title", &j.title, 60, true)?;
        if matches!(j.benefit, crate::promo::Benefit::FreeDelivery { .. }) {
            return Err(FieldError::new("benefit.kind", "field-free-delivery-platform-only"));
        }
        check_benefit(&j.benefit)?;
        let starts_at = j.starts_at.as_deref().map(|s| instant("starts_at", s)).transpose()?.unwrap_or(now);
        let ends_at = instant("ends_at", &j.ends_at)?;
        if ends_at <= starts_at {
            return Err(FieldError::new("ends_at", "field-ends-after-start"));
        }
        if ends_at.millis() - now.millis() > 366 * 86_400_000 {
            return Err(FieldError::new("ends_at", crate::Msg::new("field-within-years").with("n", 1)));
        }
        Ok(PromotionTerms {
            title,
            benefit: j.benefit,
            first_order: j.first_order,
            store_id: j.store_id,
            starts_at,
            ends_at,
        })
    }
}

crate::named_enum! {
    /// Where a coupon batch (template) stands.
    pub enum BatchStatus {
        /// Claimable within its claim window while coupons are left.
        Active = "active",
        /// Stopped by its owner.
        Stopped = "stopped",
        /// The batch of one coupon bought with points: never claimable, listed nowhere.
        Points = "points",
    }
}

crate::named_enum! {
    /// Where one consumer's coupon stands.
    pub enum CouponStatus {
        /// In the wallet, usable until it expires.
        Unused = "unused",
        /// Applied to an order that is not paid yet (released if the order is cancelled).
        Held = "held",
        /// Spent on a paid order.
        Used = "used",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::promo::Benefit;

    #[test]
    fn coupon_batches_are_checked_field_by_field() {
        let now = crate::Timestamp(1_800_000_000_000);
        let ok = CouponTemplateJson {
            title: "¥20 off ¥100".into(),
            benefit: Benefit::AmountOff { off: 2_000, threshold: 10_000 },
            new_customers_only: false,
            claim_from: None,
            claim_until: "2027-02-01T00:00:00Z".into(),
            valid_until: None,
            valid_days: Some(7),
            quantity: 100,
            per_user_limit: 1,
            budget: None,
            store_ids: Vec::new(),
        };
        let t = CouponTerms::parse(ok.clone(), now).expect("valid");
        assert_eq!((t.claim_from, t.validity.expires(now)), (now, crate::Timestamp(now.millis() + 7 * 86_400_000)));
        let field = |j: CouponTemplateJson| CouponTerms::parse(j, now).map(|_| ()).map_err(|e| e.field);
        let off_over_threshold =
            CouponTemplateJson { benefit: Benefit::AmountOff { off: 20_000, threshold: 10_000 }, ..ok.clone() };
        assert_eq!(field(off_over_threshold), Err("benefit.off".into()));
        let both = CouponTemplateJson { valid_until: Some("2027-03-01T00:00:00Z".into()), ..ok.clone() };
        assert_eq!(field(both), Err("valid_until".into()));
        assert_eq!(field(CouponTemplateJson { quantity: 0, ..ok.clone() }), Err("quantity".into()));
        assert_eq!(field(CouponTemplateJson { title: "a\u{0}b".into(), ..ok.clone() }), Err("title".into()));
        assert_eq!(
            field(CouponTemplateJson { claim_until: "yesterday".into(), ..ok.clone() }),
            Err("claim_until".into())
        );
        let pct =
            CouponTemplateJson { benefit: Benefit::PercentOff { percent_bp: 10_000, cap: None, threshold: 0 }, ..ok };
        assert_eq!(field(pct), Err("benefit.percent_bp".into()));
    }
}
