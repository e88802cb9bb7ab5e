//! Voucher codes (券码): 60 random bits as 12 Crockford base-32 characters plus a Luhn mod 32
//! check character, shown in groups of four or five (`7K3M-X9QD-2HFA-R`). Typing is forgiving:
//! case, spaces and dashes are ignored, and `I`/`L` read as 1, `O` as 0; a mistyped character or
//! two swapped neighbours fail the check digit instead of naming someone else's voucher.

use crate::deal::UsageRules;
use crate::{FieldError, Msg, Timestamp};
use std::fmt;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const BODY: usize = 12;

/// A well-formed voucher code (the check character is valid).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VoucherCode(String);

fn value(c: char) -> Option<u32> {
    let c = match c.to_ascii_uppercase() {
        'I' | 'L' => '1',
        'O' => '0',
        c => c,
    };
    ALPHABET.iter().position(|&a| char::from(a) == c).map(|p| p as u32)
}

/// Luhn mod 32 check character over `digits` (values 0..32).
fn check(digits: &[u32]) -> u32 {
    let mut sum = 0;
    for (i, d) in digits.iter().rev().enumerate() {
        let v = if i % 2 == 0 { d * 2 } else { *d };
        sum += v / 32 + v % 32;
    }
    (32 - sum % 32) % 32
}

impl VoucherCode {
    /// The code for 60 random bits (the high 4 bits of `entropy` are ignored).
    pub fn from_entropy(entropy: u64) -> Self {
        let digits: Vec<u32> = (0..BODY).rev().map(|i| ((entropy >> (5 * i)) & 31) as u32).collect();
        let c = check(&digits);
        let s = digits.iter().chain(std::iter::once(&c)).map(|&d| char::from(ALPHABET[d as usize])).collect();
        Self(s)
    }

    /// Parses what a person typed or a scanner read.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let bad = || FieldError::new(field, "field-voucher-code");
        if raw.len() > 64 {
            return Err(bad());
        }
        let digits =
            raw.chars().filter(|c| !matches!(c, ' ' | '-')).map(value).collect::<Option<Vec<u32>>>().ok_or_else(bad)?;
        if digits.len() != BODY + 1 {
            return Err(bad());
        }
        if check(&digits[..BODY]) != digits[BODY] {
            return Err(FieldError::new(field, "field-voucher-code-typo"));
        }
        Ok(Self(digits.iter().map(|&d| char::from(ALPHABET[d as usize])).collect()))
    }

    /// The canonical form (13 characters, no dashes), as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For people: `7K3M-X9QD-2HFA-R`.
    pub fn display(&self) -> String {
        Self::display_of(&self.0)
    }

    /// A stored canonical code for people; anything else is shown as it is.
    pub fn display_of(code: &str) -> String {
        match (code.get(0..4), code.get(4..8), code.get(8..12), code.get(12..)) {
            (Some(a), Some(b), Some(c), Some(d)) if code.len() == BODY + 1 => format!("{a}-{b}-{c}-{d}"),
            _ => code.to_owned(),
        }
    }
}

impl fmt::Display for VoucherCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

crate::named_enum! {
    /// Where a voucher stands.
    pub enum VoucherStatus {
        /// Has uses left and can be redeemed within its validity.
        Active = "active",
        /// Every use is taken (an undo makes it active again).
        Used = "used",
        /// Paid back; never redeemable again.
        Refunded = "refunded",
        /// Past its validity with uses left (and, for a refundable deal, refunded by the sweep).
        Expired = "expired",
    }
}

/// How long a manager may undo a redemption.
pub const UNDO_WINDOW_MS: i64 = 10 * 60 * 1000;

/// A voucher as the redemption rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holding {
    /// Where it stands.
    pub status: VoucherStatus,
    /// Uses it still has.
    pub uses_left: i64,
    /// Usable from.
    pub valid_from: Timestamp,
    /// Usable until (exclusive).
    pub valid_until: Timestamp,
}

/// Why a voucher cannot take uses, in the order the desk checks them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// It was paid back.
    Refunded,
    /// Every use is taken.
    UsedUp,
    /// Past its validity.
    Expired,
    /// Before its validity.
    NotYetValid,
    /// Its deal is not sold at this store.
    WrongStore,
    /// Fewer uses left than asked for (how many are left).
    FewerUses(i64),
    /// The deal's usage rules refuse it now (weekdays only, hours).
    Rule(Msg),
}

/// Why `v` cannot take `uses` at a store now (`at_store`: the deal is sold there; `rules` and
/// `offset_min`: the deal's usage rules in the store's local time), if it cannot.
pub fn refusal(
    v: Holding,
    at_store: bool,
    uses: i64,
    rules: &UsageRules,
    now: Timestamp,
    offset_min: i32,
) -> Option<Refusal> {
    match v.status {
        VoucherStatus::Refunded => return Some(Refusal::Refunded),
        VoucherStatus::Used => return Some(Refusal::UsedUp),
        VoucherStatus::Expired => return Some(Refusal::Expired),
        VoucherStatus::Active => {}
    }
    if now >= v.valid_until {
        return Some(Refusal::Expired);
    }
    if now < v.valid_from {
        return Some(Refusal::NotYetValid);
    }
    if !at_store {
        return Some(Refusal::WrongStore);
    }
    if uses > v.uses_left {
        return Some(Refusal::FewerUses(v.uses_left));
    }
    rules.refuses_at(now, offset_min).map(Refusal::Rule)
}

/// Whether a redemption made at `made` (and undone at `undone`, if it was) may be undone at
/// `now`: not already undone, and within [`UNDO_WINDOW_MS`].
pub fn undoable(made: Timestamp, undone: Option<Timestamp>, now: Timestamp) -> bool {
    undone.is_none() && now.millis() - made.millis() <= UNDO_WINDOW_MS
}

/// Why a voucher cannot be refunded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundRefusal {
    /// Past its validity: only the expiry sweep refunds it now.
    PastValidity,
    /// It is no longer active (used up, refunded or expired).
    Closed(VoucherStatus),
}

/// Why a voucher cannot be refunded at `now`, if it cannot: on request (not `on_expiry`) only
/// inside its validity, and in any case only while active.
pub fn refund_refusal(
    status: VoucherStatus,
    valid_until: Timestamp,
    now: Timestamp,
    on_expiry: bool,
) -> Option<RefundRefusal> {
    if !on_expiry && now >= valid_until {
        return Some(RefundRefusal::PastValidity);
    }
    (status != VoucherStatus::Active).then_some(RefundRefusal::Closed(status))
}

/// What refunding a voucher bought at `unit_price` with `uses_left` of `uses_total` uses pays
/// back: the value of the unused uses, the last ones in [`crate::deal::uses_value`]'s split, so
/// what was redeemed plus what is refunded is the price exactly. Counts out of range are clamped
/// (a voucher never returns more than its price, nor less than nothing).
pub fn refund_value(unit_price: i64, uses_total: i64, uses_left: i64) -> i64 {
    let total = u32::try_from(uses_total.max(1)).unwrap_or(u32::MAX);
    let left = u32::try_from(uses_left.max(0)).unwrap_or(u32::MAX).min(total);
    crate::deal::uses_value(unit_price, total, total - left, left)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_code_reads_back_through_dashes_case_and_lookalikes() {
        let c = VoucherCode::from_entropy(0x0123_4567_89ab_cdef);
        let shown = c.display();
        assert_eq!(VoucherCode::parse("code", &shown).expect("parses"), c);
        assert_eq!(VoucherCode::parse("code", &shown.to_lowercase().replace('-', " ")).expect("parses"), c);
        let zero = VoucherCode::from_entropy(0);
        let typed = zero.as_str().replacen('0', "o", 3);
        assert_eq!(VoucherCode::parse("code", &typed).expect("O reads as 0"), zero);
        assert!(VoucherCode::parse("code", "").is_err());
        assert!(VoucherCode::parse("code", "not a code!!").is_err());
        assert!(VoucherCode::parse("code", &"A".repeat(10_000)).is_err());
    }

    proptest! {
        #[test]
        fn one_wrong_character_or_a_swap_is_caught(bits in any::<u64>(), pos in 0usize..13, delta in 1u32..32) {
            let c = VoucherCode::from_entropy(bits);
            let mut d: Vec<u32> = c.as_str().chars().filter_map(value).collect();
            d[pos] = (d[pos] + delta) % 32;
            let typo: String = d.iter().map(|&v| char::from(ALPHABET[v as usize])).collect();
            prop_assert!(VoucherCode::parse("code", &typo).is_err());
        }

        #[test]
        fn adjacent_swaps_are_caught_unless_equal(bits in any::<u64>(), pos in 0usize..12) {
            let c = VoucherCode::from_entropy(bits);
            let mut d: Vec<char> = c.as_str().chars().collect();
            prop_assume!(d[pos] != d[pos + 1]);
            d.swap(pos, pos + 1);
            let swapped: String = d.into_iter().collect();
            // Luhn mod N misses only the swap of the first and last characters of the alphabet.
            let pair = [value(swapped.as_bytes()[pos] as char), value(swapped.as_bytes()[pos + 1] as char)];
            prop_assume!(pair != [Some(0), Some(31)] && pair != [Some(31), Some(0)]);
            prop_assert!(VoucherCode::parse("code", &swapped).is_err());
        }
    }

    fn active(uses_left: i64) -> Holding {
        Holding {
            status: VoucherStatus::Active,
            uses_left,
            valid_from: Timestamp(1_000),
            valid_until: Timestamp(10_000),
        }
    }

    #[test]
    fn a_closed_voucher_is_refused_for_what_closed_it() {
        let any = UsageRules::default();
        for (status, why) in [
            (VoucherStatus::Refunded, Refusal::Refunded),
            (VoucherStatus::Used, Refusal::UsedUp),
            (VoucherStatus::Expired, Refusal::Expired),
        ] {
            let v = Holding { status, ..active(1) };
            assert_eq!(refusal(v, true, 1, &any, Timestamp(5_000), 480), Some(why));
        }
    }

    #[test]
    fn validity_store_and_uses_are_checked_in_that_order() {
        let any = UsageRules::default();
        let v = active(2);
        assert_eq!(refusal(v, false, 3, &any, Timestamp(10_000), 480), Some(Refusal::Expired), "until is exclusive");
        assert_eq!(refusal(v, false, 3, &any, Timestamp(999), 480), Some(Refusal::NotYetValid));
        assert_eq!(refusal(v, false, 3, &any, Timestamp(1_000), 480), Some(Refusal::WrongStore));
        assert_eq!(refusal(v, true, 3, &any, Timestamp(1_000), 480), Some(Refusal::FewerUses(2)));
        assert_eq!(refusal(v, true, 2, &any, Timestamp(9_999), 480), None);
    }

    #[test]
    fn the_deals_rules_have_the_last_word() {
        let weekdays = UsageRules { weekdays_only: true, ..UsageRules::default() };
        // 2026-12-05 is a Saturday; 12:00 in Shanghai is 04:00 UTC.
        let saturday = Timestamp::parse_rfc3339("2026-12-05T04:00:00Z").expect("time");
        let v = Holding { valid_from: Timestamp(0), valid_until: Timestamp(i64::MAX), ..active(1) };
        assert_eq!(
            refusal(v, true, 1, &weekdays, saturday, 480),
            Some(Refusal::Rule(Msg::new("err-deal-weekdays-only")))
        );
        assert_eq!(refusal(v, true, 1, &weekdays, saturday.plus_secs(2 * 86_400), 480), None, "Monday");
    }

    #[test]
    fn a_redemption_can_be_undone_once_within_ten_minutes() {
        let made = Timestamp(1_000_000);
        assert!(undoable(made, None, made.plus_secs(600)));
        assert!(!undoable(made, None, Timestamp(made.0 + UNDO_WINDOW_MS + 1)));
        assert!(!undoable(made, Some(made.plus_secs(1)), made.plus_secs(2)));
    }

    #[test]
    fn only_an_active_voucher_in_its_validity_is_refunded_on_request() {
        use RefundRefusal::*;
        let until = Timestamp(10_000);
        assert_eq!(refund_refusal(VoucherStatus::Active, until, Timestamp(9_999), false), None);
        assert_eq!(refund_refusal(VoucherStatus::Active, until, until, false), Some(PastValidity));
        assert_eq!(refund_refusal(VoucherStatus::Active, until, until, true), None, "the expiry sweep");
        assert_eq!(refund_refusal(VoucherStatus::Used, until, Timestamp(0), true), Some(Closed(VoucherStatus::Used)));
        assert_eq!(refund_refusal(VoucherStatus::Refunded, until, until, false), Some(PastValidity), "time first");
    }

    proptest! {
        #[test]
        fn redeemed_and_refunded_add_up_to_the_price(price in 0i64..10_000_000, total in 1i64..50, used in 0i64..50) {
            let used = used.min(total);
            let redeemed = crate::deal::uses_value(price, total as u32, 0, used as u32);
            prop_assert_eq!(redeemed + refund_value(price, total, total - used), price);
        }

        #[test]
        fn a_refund_is_never_more_than_the_price_nor_negative(price in 0i64..10_000_000, total in -5i64..50, left in -5i64..80) {
            let r = refund_value(price, total, left);
            prop_assert!((0..=price).contains(&r));
        }
    }
}
