//! Points and stored value on membership cards (issue G), pure: a merchant's loyalty program,
//! the points a spend earns, the recharge offers and what points are worth.
//!
//! - **Points** are earned on what a member pays at the merchant's stores for completed orders
//!   and bills (delivery fees excluded): `points_per_yuan` points per whole yuan, rounded down.
//!   One point is worth one minor unit (100 points = ¥1): that is their value on the ledger and
//!   what they buy when exchanged, in hundreds, for a coupon of the same value off at any store
//!   of the merchant.
//! - **Stored value** is recharged in the amounts the merchant offers (`pay`, with a `bonus`
//!   on top: "recharge 500, get 50") and spent at any store of the merchant.

use crate::FieldError;

/// A recharge offer: pay `pay`, the card receives `pay + bonus` (minor units).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// What the member pays, minor units (¥1 to ¥100,000).
    pub pay: i64,
    /// What the merchant adds, minor units (0 to `pay`).
    #[serde(default)]
    pub bonus: i64,
}

/// A merchant's loyalty program.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Program {
    /// Points earned per whole yuan paid (0 to 100; 0 = no points).
    pub points_per_yuan: i64,
    /// Recharge offers, smallest first (none = no stored value).
    #[serde(default)]
    pub tiers: Vec<Tier>,
}

impl Default for Program {
    /// One point per yuan (1 % back), no stored value until the merchant offers it.
    fn default() -> Self {
        Self { points_per_yuan: 1, tiers: Vec::new() }
    }
}

/// Most recharge offers a merchant may have.
pub const MAX_TIERS: usize = 6;
/// Points are exchanged in hundreds.
pub const EXCHANGE_STEP: i64 = 100;
/// Most points exchanged at once (¥500 off).
pub const MAX_EXCHANGE: i64 = 50_000;

impl Program {
    /// Checks a program as sent; tiers come back sorted by `pay`.
    pub fn parse(mut self) -> Result<Program, FieldError> {
        if !(0..=100).contains(&self.points_per_yuan) {
            return Err(FieldError::new("points_per_yuan", crate::field::between(0, 100)));
        }
        if self.tiers.len() > MAX_TIERS {
            return Err(FieldError::new(
                "tiers",
                crate::Msg::new("field-recharge-offers-too-many").with("max", MAX_TIERS),
            ));
        }
        for (i, t) in self.tiers.iter().enumerate() {
            if !(100..=10_000_000).contains(&t.pay) {
                return Err(FieldError::new(
                    format!("tiers[{i}].pay"),
                    crate::Msg::new("field-money-range").money("min", 100).money("max", 10_000_000),
                ));
            }
            if !(0..=t.pay).contains(&t.bonus) {
                return Err(FieldError::new(format!("tiers[{i}].bonus"), "field-bonus-range"));
            }
        }
        self.tiers.sort_by_key(|t| t.pay);
        if self.tiers.windows(2).any(|w| w[0].pay == w[1].pay) {
            return Err(FieldError::new("tiers", "field-recharge-offers-twice"));
        }
        Ok(self)
    }

    /// The points a payment of `paid` minor units earns.
    pub fn points_for(&self, paid: i64) -> i64 {
        (paid.max(0) / 100).saturating_mul(self.points_per_yuan)
    }

    /// The offer for recharging exactly `pay`, if the merchant has one.
    pub fn tier(&self, pay: i64) -> Option<Tier> {
        self.tiers.iter().copied().find(|t| t.pay == pay)
    }
}

/// Checks a number of points to exchange; returns the value of the coupon they buy.
pub fn exchange_value(points: i64) -> Result<i64, FieldError> {
    if !(EXCHANGE_STEP..=MAX_EXCHANGE).contains(&points) || points % EXCHANGE_STEP != 0 {
        return Err(FieldError::new(
            "points",
            crate::Msg::new("field-points-exchange").with("min", EXCHANGE_STEP).with("max", MAX_EXCHANGE),
        ));
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn programs_are_checked_and_tiers_sorted() {
        let p = Program {
            points_per_yuan: 2,
            tiers: vec![Tier { pay: 100_000, bonus: 15_000 }, Tier { pay: 50_000, bonus: 5_000 }],
        }
        .parse()
        .expect("valid");
        assert_eq!(p.tiers[0].pay, 50_000);
        assert_eq!(p.tier(50_000), Some(Tier { pay: 50_000, bonus: 5_000 }));
        assert_eq!(p.tier(50_001), None);
        assert_eq!(p.points_for(3_399), 66, "two points per whole yuan");
        assert_eq!(Program::default().points_for(99), 0);
        let bad = |p: Program| p.parse().map_err(|e| e.field).err();
        assert_eq!(bad(Program { points_per_yuan: 101, tiers: vec![] }).as_deref(), Some("points_per_yuan"));
        let t = |pay, bonus| Program { points_per_yuan: 1, tiers: vec![Tier { pay, bonus }] };
        assert_eq!(bad(t(99, 0)).as_deref(), Some("tiers[0].pay"));
        assert_eq!(bad(t(100, 101)).as_deref(), Some("tiers[0].bonus"));
        assert_eq!(bad(t(100, -1)).as_deref(), Some("tiers[0].bonus"));
        let twice = Program { points_per_yuan: 1, tiers: vec![Tier { pay: 100, bonus: 0 }; 2] };
        assert_eq!(bad(twice).as_deref(), Some("tiers"));
        assert_eq!(exchange_value(500), Ok(500));
        assert!(exchange_value(550).is_err());
        assert!(exchange_value(0).is_err());
        assert!(exchange_value(MAX_EXCHANGE + 100).is_err());
    }

    proptest! {
        /// Points never exceed what was paid (one point per minor unit at most) and grow with it.
        #[test]
        fn points_are_bounded_and_monotone(paid in 0i64..1_000_000_000, more in 0i64..1_000_000, rate in 0i64..=100) {
            let p = Program { points_per_yuan: rate, tiers: vec![] };
            prop_assert!(p.points_for(paid) <= paid);
            prop_assert!(p.points_for(paid) <= p.points_for(paid + more));
        }
    }
}
