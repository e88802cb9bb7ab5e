//! Menu orders' money rules: a store's ordering settings (packaging fee, minimum order, delivery
//! fee by distance, SLA, pay-at-store discount), pricing a cart line with its options, the
//! totals of a cart, the pay-at-store discount, a rider's pay and the hourly guarantee, and the
//! first ETA estimate. All amounts are integer minor units.

use crate::FieldError;
use crate::catalog::OptionGroupJson;

/// A distance band of the delivery fee: up to `up_to_m` metres costs `fee`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeeBandJson {
    /// Upper bound of the band, metres (inclusive).
    pub up_to_m: u32,
    /// Delivery fee in this band, minor units.
    pub fee: i64,
}

/// How a store discounts bills paid at the till (到店买单).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum PayRuleJson {
    /// No discount.
    None,
    /// `percent_bp` basis points off (1000 = 10 % off), at most `max_off`.
    PercentOff {
        /// Basis points off, 1 to 9,000.
        percent_bp: u32,
        /// Cap on the discount, minor units.
        #[serde(default)]
        max_off: Option<i64>,
    },
    /// `off` off every full `every` (10 off every 100), at most `max_off`.
    EveryOff {
        /// The step, minor units.
        every: i64,
        /// Off per step, minor units (less than `every`).
        off: i64,
        /// Cap on the discount, minor units.
        #[serde(default)]
        max_off: Option<i64>,
    },
}

/// A store's ordering settings as a manager sends them; every field has a default.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct OrderSettingsJson {
    /// Charged once per delivery or pickup order, minor units.
    pub packaging_fee: i64,
    /// Smallest subtotal accepted for delivery, minor units.
    pub min_order: i64,
    /// Delivery fee by distance (ascending bands; beyond the last, its fee).
    pub delivery_fees: Vec<FeeBandJson>,
    /// Usual preparation time, minutes.
    pub prep_minutes: u32,
    /// Seconds the store has to accept a paid order.
    pub accept_within_secs: u32,
    /// When the store does not answer in time: accept (true) or reject and refund (false).
    pub auto_accept: bool,
    /// The pay-at-store discount.
    pub pay_at_store: PayRuleJson,
    /// What the pay-at-store discount does not apply to, told to the payer (`酒水 drinks`).
    pub pay_at_store_excludes: String,
    /// A paid bill waits for the till to confirm it (against its four-digit code) before it is
    /// completed and settled; one not confirmed within `accept_within_secs` is refunded.
    pub bill_confirmation: bool,
}

impl Default for OrderSettingsJson {
    fn default() -> Self {
        Self {
            packaging_fee: 0,
            min_order: 0,
            delivery_fees: vec![FeeBandJson { up_to_m: 3_000, fee: 500 }, FeeBandJson { up_to_m: 5_000, fee: 800 }],
            prep_minutes: 15,
            accept_within_secs: 300,
            auto_accept: false,
            pay_at_store: PayRuleJson::None,
            pay_at_store_excludes: String::new(),
            bill_confirmation: false,
        }
    }
}

const MAX_AMOUNT: i64 = 10_000_000;

fn amount(field: &str, v: i64) -> Result<(), FieldError> {
    if (0..=MAX_AMOUNT).contains(&v) {
        Ok(())
    } else {
        Err(FieldError::new(field, crate::field::amount_between(0, MAX_AMOUNT)))
    }
}

impl OrderSettingsJson {
    /// Checks the settings; the error names the first bad field.
    pub fn check(&self) -> Result<(), FieldError> {
        amount("packaging_fee", self.packaging_fee)?;
        amount("min_order", self.min_order)?;
        if self.delivery_fees.is_empty() || self.delivery_fees.len() > 10 {
            return Err(FieldError::new(
                "delivery_fees",
                crate::Msg::new("field-entries").with("min", 1).with("max", 10),
            ));
        }
        for (i, b) in self.delivery_fees.iter().enumerate() {
            amount(&format!("delivery_fees[{i}].fee"), b.fee)?;
            if i > 0 && b.up_to_m <= self.delivery_fees[i - 1].up_to_m {
                return Err(FieldError::new(format!("delivery_fees[{i}].up_to_m"), "field-bands-grow"));
            }
        }
        if !(1..=180).contains(&self.prep_minutes) {
            return Err(FieldError::new("prep_minutes", crate::field::between(1, 180)));
        }
        if !(30..=3_600).contains(&self.accept_within_secs) {
            return Err(FieldError::new("accept_within_secs", crate::field::between(30, 3_600)));
        }
        crate::field::line_of_text("pay_at_store_excludes", &self.pay_at_store_excludes, 64, false)?;
        match &self.pay_at_store {
            PayRuleJson::None => Ok(()),
            PayRuleJson::PercentOff { percent_bp, max_off } => {
                if !(1..=9_000).contains(percent_bp) {
                    return Err(FieldError::new(
                        "pay_at_store.percent_bp",
                        crate::Msg::new("field-bp-range").with("min", 1).with("max", 9_000),
                    ));
                }
                max_off.map_or(Ok(()), |m| amount("pay_at_store.max_off", m))
            }
            PayRuleJson::EveryOff { every, off, max_off } => {
                if !(1..=MAX_AMOUNT).contains(every) {
                    return Err(FieldError::new("pay_at_store.every", crate::field::amount_between(1, MAX_AMOUNT)));
                }
                if !(1..*every).contains(off) {
                    return Err(FieldError::new("pay_at_store.off", "field-off-below-every"));
                }
                max_off.map_or(Ok(()), |m| amount("pay_at_store.max_off", m))
            }
        }
    }

    /// The delivery fee for a drop-off `distance_m` away.
    pub fn delivery_fee(&self, distance_m: f64) -> i64 {
        self.delivery_fees
            .iter()
            .find(|b| distance_m <= f64::from(b.up_to_m))
            .or(self.delivery_fees.last())
            .map_or(0, |b| b.fee)
    }
}

/// One choice the consumer made for an item: a group's name and a choice's name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChosenJson {
    /// The option group (`Spice`).
    pub group: String,
    /// The choice in it (`Numbing`).
    pub choice: String,
}

/// The unit price of an item with `chosen` options, and the options as one line of text.
/// Required groups must be chosen, no group beyond its `max_choices`, no unknown names.
pub fn price_with_options(
    field: &str,
    base: i64,
    groups: &[OptionGroupJson],
    chosen: &[ChosenJson],
) -> Result<(i64, String), FieldError> {
    let mut price = base;
    let mut text = Vec::new();
    for (i, c) in chosen.iter().enumerate() {
        let bad = |m: &'static str| FieldError::new(format!("{field}.options[{i}]"), crate::Msg::new(m));
        let g = groups.iter().find(|g| g.name == c.group).ok_or_else(|| bad("field-option-group-unknown"))?;
        let choice = g.choices.iter().find(|x| x.name == c.choice).ok_or_else(|| bad("field-option-choice-unknown"))?;
        if chosen[..i].iter().any(|p| p == c) {
            return Err(bad("field-option-chosen-twice"));
        }
        price += choice.price_delta;
        text.push(format!("{}: {}", g.name, choice.name));
    }
    for g in groups {
        let n = chosen.iter().filter(|c| c.group == g.name).count();
        if g.required && n == 0 {
            return Err(FieldError::new(
                format!("{field}.options"),
                crate::Msg::new("field-option-required").with("group", g.name.as_str()),
            ));
        }
        if n > g.max_choices as usize {
            return Err(FieldError::new(
                format!("{field}.options"),
                crate::Msg::new("field-option-too-many").with("max", g.max_choices).with("group", g.name.as_str()),
            ));
        }
    }
    Ok((price.max(0), text.join(", ")))
}

/// A cart's totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// Sum of the lines.
    pub subtotal: i64,
    /// Packaging (delivery and pickup only).
    pub packaging_fee: i64,
    /// Delivery fee (delivery only).
    pub delivery_fee: i64,
    /// What the consumer pays.
    pub total: i64,
}

/// Why a cart cannot be ordered as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CartRefusal {
    /// Delivery orders need at least the store's minimum.
    #[error("the minimum for delivery is {min} minor units; the cart has {subtotal}")]
    BelowMinimum {
        /// The minimum.
        min: i64,
        /// The cart's subtotal.
        subtotal: i64,
    },
}

impl CartRefusal {
    /// What to tell the person.
    pub fn msg(&self) -> crate::Msg {
        match self {
            CartRefusal::BelowMinimum { min, subtotal } => {
                crate::Msg::new("err-below-minimum-order").money("min", *min).money("subtotal", *subtotal)
            }
        }
    }
}

/// The totals of a cart whose lines add up to `subtotal`, in `mode`, delivered `distance_m`
/// away (delivery only).
pub fn totals(
    s: &OrderSettingsJson,
    mode: crate::fulfil::Mode,
    subtotal: i64,
    distance_m: f64,
) -> Result<Totals, CartRefusal> {
    use crate::fulfil::Mode;
    let (packaging_fee, delivery_fee) = match mode {
        Mode::Delivery => {
            if subtotal < s.min_order {
                return Err(CartRefusal::BelowMinimum { min: s.min_order, subtotal });
            }
            (s.packaging_fee, s.delivery_fee(distance_m))
        }
        Mode::Pickup => (s.packaging_fee, 0),
        Mode::DineIn | Mode::PayAtStore => (0, 0),
    };
    Ok(Totals { subtotal, packaging_fee, delivery_fee, total: subtotal + packaging_fee + delivery_fee })
}

/// The pay-at-store discount on a `bill` of which `excluded` is not discounted. Rounds in the
/// payer's favour (a fraction of a fen off counts as a whole one) and never exceeds the
/// discountable part or the rule's cap.
pub fn bill_discount(rule: &PayRuleJson, bill: i64, excluded: i64) -> Result<i64, FieldError> {
    if !(1..=MAX_AMOUNT).contains(&bill) {
        return Err(FieldError::new("amount", crate::field::amount_between(1, MAX_AMOUNT)));
    }
    if !(0..=bill).contains(&excluded) {
        return Err(FieldError::new("excluded", "field-excluded-range"));
    }
    let base = bill - excluded;
    let (off, cap) = match rule {
        PayRuleJson::None => (0, None),
        PayRuleJson::PercentOff { percent_bp, max_off } => {
            ((i128::from(base) * i128::from(*percent_bp) + 9_999).div_euclid(10_000) as i64, *max_off)
        }
        PayRuleJson::EveryOff { every, off, max_off } => (base / every * off, *max_off),
    };
    Ok(off.min(cap.unwrap_or(i64::MAX)).min(base).max(0))
}

/// A rider's pay for one task: a base plus a rate per started kilometre of the drop-off leg,
/// never less than `floor` (nor than nothing).
pub fn rider_pay(base: i64, per_km: i64, distance_m: f64, floor: i64) -> i64 {
    let km = (distance_m.max(0.0) / 1000.0).ceil() as i64;
    base.saturating_add(per_km.saturating_mul(km)).max(floor).max(0)
}

/// What the merchant pays towards a delivery: the part of the rider's `pay` that neither the
/// consumer's delivery `fee` nor the platform's subsidy (at most `max_subsidy`) covers.
pub fn merchant_delivery_share(pay: i64, fee: i64, max_subsidy: i64) -> i64 {
    (pay - fee.max(0) - max_subsidy.max(0)).max(0)
}

/// The platform's commission on a settled order's `goods` at `rate_bp`: never negative and never
/// below `floor`.
pub fn order_commission(goods: i64, rate_bp: i64, floor: i64) -> i64 {
    crate::deal::commission(goods.max(0), rate_bp.max(0)).max(floor).max(0)
}

/// The top-up that brings a shift's earnings to the hourly guarantee (pro rata by the minute).
pub fn guarantee_topup(hourly: i64, shift_ms: i64, earned: i64) -> i64 {
    let guaranteed = i128::from(hourly) * i128::from(shift_ms.max(0) / 60_000) / 60;
    (guaranteed as i64 - earned).max(0)
}

/// How much of a shift ending at `end` a rider was available: each position report (sorted
/// `pings`) counts until the next one or for `window_ms`, whichever comes first — the time the
/// dispatcher would have given the rider work. The hourly guarantee pays these minutes only.
pub fn available_ms(pings: &[i64], end: i64, window_ms: i64) -> i64 {
    pings
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            let next = pings.get(i + 1).copied().unwrap_or(end).min(end);
            (next.min(p + window_ms) - p).max(0)
        })
        .sum()
}

/// A rider's speed for estimates: 15 km/h, i.e. 250 m a minute along roads 1.3 times longer
/// than the straight line.
pub const RIDER_M_PER_MIN: f64 = 250.0 / 1.3;

/// Minutes from paying to the door: the store's preparation, a rider reaching the store meanwhile
/// (or after it, when `rider_away_m` is farther than the preparation lasts), the ride, and two
/// minutes to hand over.
pub fn eta_minutes(prep_minutes: u32, rider_away_m: f64, drop_m: f64) -> u32 {
    let to_store = (rider_away_m / RIDER_M_PER_MIN).ceil() as u32;
    let ride = (drop_m / RIDER_M_PER_MIN).ceil() as u32;
    prep_minutes.max(to_store) + ride + 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ChoiceJson;
    use crate::fulfil::Mode;
    use proptest::prelude::*;

    fn spice() -> Vec<OptionGroupJson> {
        vec![OptionGroupJson {
            name: "Spice".into(),
            required: true,
            max_choices: 1,
            choices: vec![
                ChoiceJson { name: "Mild".into(), price_delta: 0 },
                ChoiceJson { name: "Numbing".into(), price_delta: 200 },
            ],
        }]
    }

    fn chose(c: &str) -> ChosenJson {
        ChosenJson { group: "Spice".into(), choice: c.into() }
    }

    #[test]
    fn options_price_and_are_checked() {
        assert_eq!(
            price_with_options("lines[0]", 3800, &spice(), &[chose("Numbing")]),
            Ok((4000, "Spice: Numbing".into()))
        );
        let e = price_with_options("lines[0]", 3800, &spice(), &[]).expect_err("required");
        assert_eq!(e.field, "lines[0].options");
        let e = price_with_options("lines[1]", 3800, &spice(), &[chose("Hot")]).expect_err("unknown");
        assert_eq!(e.field, "lines[1].options[0]");
        assert!(price_with_options("l", 3800, &spice(), &[chose("Mild"), chose("Numbing")]).is_err(), "max 1");
    }

    #[test]
    fn totals_by_mode_with_bands_and_minimum() {
        let s = OrderSettingsJson { packaging_fee: 200, min_order: 2000, ..OrderSettingsJson::default() };
        assert_eq!(totals(&s, Mode::Delivery, 3000, 2_500.0).map(|t| t.total), Ok(3000 + 200 + 500));
        assert_eq!(totals(&s, Mode::Delivery, 3000, 4_000.0).map(|t| t.delivery_fee), Ok(800));
        assert_eq!(totals(&s, Mode::Delivery, 3000, 9_000.0).map(|t| t.delivery_fee), Ok(800), "last band");
        assert_eq!(totals(&s, Mode::Pickup, 1000, 0.0).map(|t| t.total), Ok(1200), "no minimum for pickup");
        assert_eq!(totals(&s, Mode::DineIn, 1000, 0.0).map(|t| t.total), Ok(1000));
        assert_eq!(
            totals(&s, Mode::Delivery, 1999, 10.0),
            Err(CartRefusal::BelowMinimum { min: 2000, subtotal: 1999 })
        );
    }

    #[test]
    fn settings_are_checked_by_field() {
        assert!(OrderSettingsJson::default().check().is_ok());
        let mut s = OrderSettingsJson::default();
        s.delivery_fees[1].up_to_m = 1_000;
        assert_eq!(s.check().expect_err("order").field, "delivery_fees[1].up_to_m");
        let s = OrderSettingsJson {
            pay_at_store: PayRuleJson::EveryOff { every: 10_000, off: 10_000, max_off: None },
            ..OrderSettingsJson::default()
        };
        assert_eq!(s.check().expect_err("off").field, "pay_at_store.off");
    }

    #[test]
    fn bill_discounts_follow_the_rule() {
        let ten_pct = PayRuleJson::PercentOff { percent_bp: 1_000, max_off: None };
        assert_eq!(bill_discount(&ten_pct, 12_345, 0), Ok(1_235), "rounded in the payer's favour");
        assert_eq!(bill_discount(&ten_pct, 12_000, 2_000), Ok(1_000), "drinks excluded");
        let every = PayRuleJson::EveryOff { every: 10_000, off: 1_000, max_off: Some(2_000) };
        assert_eq!(bill_discount(&every, 25_000, 0), Ok(2_000));
        assert_eq!(bill_discount(&every, 45_000, 0), Ok(2_000), "capped");
        assert_eq!(bill_discount(&every, 9_999, 0), Ok(0));
        assert_eq!(bill_discount(&PayRuleJson::None, 100, 0), Ok(0));
        assert_eq!(bill_discount(&every, 100, 101).expect_err("excluded").field, "excluded");
        assert_eq!(bill_discount(&every, 0, 0).expect_err("bill").field, "amount");
    }

    #[test]
    fn rider_pay_and_the_hourly_guarantee() {
        assert_eq!(rider_pay(500, 100, 0.0, 0), 500);
        assert_eq!(rider_pay(500, 100, 2_001.0, 0), 800);
        assert_eq!(rider_pay(0, 0, 2_001.0, 300), 300, "the floor");
        assert_eq!(rider_pay(-500, -100, 2_001.0, -1), 0, "never negative");
        assert_eq!(guarantee_topup(2_500, 2 * 3_600_000, 3_000), 2_000);
        assert_eq!(guarantee_topup(2_500, 3_600_000, 9_000), 0);
        assert_eq!(guarantee_topup(2_500, 90 * 60_000, 0), 3_750);
        assert_eq!(eta_minutes(15, 0.0, 1_923.0), 15 + 10 + 2);
        // Reports at 0, 1 and 10 minutes with a 5-minute window, shift ending at 12 minutes:
        // 1 + 5 + 2 minutes available.
        assert_eq!(available_ms(&[0, 60_000, 600_000], 720_000, 300_000), 480_000);
        assert_eq!(available_ms(&[], 720_000, 300_000), 0, "never reported, never available");
    }

    #[test]
    fn the_merchant_pays_what_fee_and_subsidy_do_not_and_commission_has_a_floor() {
        // The abuse: fee 0, a ride 20 km away: the rider's ¥25 comes from the merchant.
        assert_eq!(merchant_delivery_share(2_500, 0, 0), 2_500);
        assert_eq!(merchant_delivery_share(2_500, 0, 500), 2_000, "the platform covers up to its cap");
        assert_eq!(merchant_delivery_share(600, 800, 0), 0, "a fee above the pay costs the merchant nothing");
        assert_eq!(merchant_delivery_share(600, -5, -5), 600, "negative settings count as none");
        assert_eq!(order_commission(1, 800, 100), 100, "¥0.01 of goods still pays the minimum");
        assert_eq!(order_commission(10_000, 800, 100), 800);
        assert_eq!(order_commission(-10_000, -800, -1), 0, "never negative");
    }

    proptest! {
        #[test]
        fn a_bill_discount_never_exceeds_the_discountable_part(
            bill in 1i64..10_000_000, ex in 0u32..100, bp in 1u32..9_000, every in 1i64..100_000, off in 1i64..99_999,
        ) {
            let excluded = bill * i64::from(ex) / 100;
            let off = off.min(every - 1).max(1);
            for rule in [
                PayRuleJson::PercentOff { percent_bp: bp, max_off: None },
                PayRuleJson::EveryOff { every: every.max(2), off: off.min(every.max(2) - 1), max_off: Some(5_000) },
            ] {
                let d = bill_discount(&rule, bill, excluded).expect("valid");
                prop_assert!((0..=bill - excluded).contains(&d));
            }
        }
    }
}
