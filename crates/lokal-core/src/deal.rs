//! Group-buy deals (团购套餐): what a merchant sells, when it can be bought and used, and whether a
//! voucher may be redeemed at a given store and instant.

use crate::account::DisplayName;
use crate::hours::Interval;
use crate::{FieldError, StoreId, Timestamp};
use time::{OffsetDateTime, UtcOffset};

/// One line of a deal's contents ("2 × 毛肚").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DealLineJson {
    /// What is included.
    pub name: String,
    /// How many.
    #[serde(default = "one")]
    pub quantity: u32,
}

fn one() -> u32 {
    1
}

fn yes() -> bool {
    true
}

/// When and how a voucher may be used.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UsageRulesJson {
    /// Monday to Friday only (store local time).
    #[serde(default)]
    pub weekdays_only: bool,
    /// Only within these local hours, `"HH:MM-HH:MM"`.
    pub hours: Option<String>,
    /// At most this many vouchers per table (told to staff; 0 = no limit).
    #[serde(default)]
    pub max_per_table: u32,
    /// The consumer must book ahead.
    #[serde(default)]
    pub needs_booking: bool,
    /// Anything else, up to 500 characters.
    #[serde(default)]
    pub notes: String,
}

/// A deal as a merchant sends it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DealJson {
    /// Title, 1 to 64 characters.
    #[schema(example = "双人火锅套餐 Hotpot for two")]
    pub title: String,
    /// Up to 1,000 characters.
    #[serde(default)]
    pub description: String,
    /// What is included (at most 30 lines).
    #[serde(default)]
    pub contents: Vec<DealLineJson>,
    /// Price in minor units (1 to 10,000,000).
    pub price: i64,
    /// The price without the deal, minor units (at least `price`).
    pub original_price: i64,
    /// Stores of the merchant where vouchers are valid (at least one).
    pub store_ids: Vec<StoreId>,
    /// When buying opens (RFC 3339); default now.
    pub sale_starts_at: Option<String>,
    /// When buying closes (RFC 3339).
    pub sale_ends_at: String,
    /// When vouchers become usable; default when buying opens.
    pub valid_from: Option<String>,
    /// When vouchers expire (RFC 3339); not before buying closes.
    pub valid_until: String,
    /// Usage rules.
    #[serde(default)]
    pub rules: UsageRulesJson,
    /// Uses per voucher: 1, or e.g. 10 for a 10-visit pass (at most 100).
    #[serde(default = "one")]
    pub uses_per_voucher: u32,
    /// Units for sale (1 to 1,000,000).
    pub stock: u32,
    /// Units one consumer may buy in all (0 = no limit).
    #[serde(default)]
    pub per_user_limit: u32,
    /// Unused vouchers may be refunded any time (default true).
    #[serde(default = "yes")]
    pub refundable: bool,
    /// Unused vouchers are refunded automatically when they expire (default true).
    #[serde(default = "yes")]
    pub auto_refund_on_expiry: bool,
    /// A flash sale (秒杀): small stock, a start time, one per person.
    #[serde(default)]
    pub flash_sale: bool,
    /// Up to 9 photos, the first the deal's cover: uploaded photos' ids
    /// (`POST /api/v1/uploads`) or https URLs.
    #[serde(default)]
    pub photos: Vec<String>,
}

/// Checked usage rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsageRules {
    /// Monday to Friday only.
    pub weekdays_only: bool,
    /// Only within this local interval.
    pub hours: Option<Interval>,
    /// Per table, for staff (0 = no limit).
    pub max_per_table: u32,
    /// Booking needed.
    pub needs_booking: bool,
    /// Notes.
    pub notes: String,
}

impl UsageRules {
    /// The JSON form.
    pub fn to_json(&self) -> UsageRulesJson {
        UsageRulesJson {
            weekdays_only: self.weekdays_only,
            hours: self.hours.map(|i| i.render()),
            max_per_table: self.max_per_table,
            needs_booking: self.needs_booking,
            notes: self.notes.clone(),
        }
    }

    /// Parses rules (as stored or as sent); `field` prefixes error fields.
    pub fn parse(field: &str, j: &UsageRulesJson) -> Result<Self, FieldError> {
        let hours = j.hours.as_deref().map(|h| Interval::parse(&format!("{field}.hours"), h)).transpose()?;
        let notes = j.notes.trim().to_owned();
        if notes.chars().count() > 500 {
            return Err(FieldError::new(format!("{field}.notes"), crate::Msg::new("field-too-long").with("max", 500)));
        }
        Ok(Self {
            weekdays_only: j.weekdays_only,
            hours,
            max_per_table: j.max_per_table,
            needs_booking: j.needs_booking,
            notes,
        })
    }

    /// Why a voucher cannot be used at `at` in a store at UTC + `offset_min`, if it cannot.
    pub fn refuses_at(&self, at: Timestamp, offset_min: i32) -> Option<crate::Msg> {
        let offset = UtcOffset::from_whole_seconds(offset_min.saturating_mul(60)).ok()?;
        let local =
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(at.millis()) * 1_000_000).ok()?.to_offset(offset);
        if self.weekdays_only && local.weekday().number_days_from_monday() >= 5 {
            return Some(crate::Msg::new("err-deal-weekdays-only"));
        }
        if let Some(iv) = self.hours {
            let minute = u16::from(local.hour()) * 60 + u16::from(local.minute());
            let inside = (iv.open <= minute && minute < iv.close) || minute + 1440 < iv.close;
            if !inside {
                return Some(crate::Msg::new("err-deal-outside-hours").with("hours", iv.render()));
            }
        }
        None
    }
}

/// A checked deal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DealTerms {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Contents.
    pub contents: Vec<DealLineJson>,
    /// Price, minor units.
    pub price: i64,
    /// Original price, minor units.
    pub original_price: i64,
    /// Valid stores (deduplicated, in the order given).
    pub store_ids: Vec<StoreId>,
    /// Buying opens.
    pub sale_starts_at: Timestamp,
    /// Buying closes.
    pub sale_ends_at: Timestamp,
    /// Vouchers usable from.
    pub valid_from: Timestamp,
    /// Vouchers expire.
    pub valid_until: Timestamp,
    /// Rules.
    pub rules: UsageRules,
    /// Uses per voucher.
    pub uses_per_voucher: u32,
    /// Units for sale.
    pub stock: u32,
    /// Per-consumer limit (0 = none).
    pub per_user_limit: u32,
    /// Refundable while unused.
    pub refundable: bool,
    /// Refunded automatically on expiry.
    pub auto_refund_on_expiry: bool,
    /// A flash sale.
    pub flash_sale: bool,
    /// Photos (`/media/<id>/w800.jpg` or URLs), the cover first.
    pub photos: Vec<String>,
}

const MAX_PRICE: i64 = 10_000_000;

use crate::field::instant;

impl DealTerms {
    /// Checks a deal sent at `now`; the error names the first bad field.
    pub fn parse(j: DealJson, now: Timestamp) -> Result<Self, FieldError> {
        let title = DisplayName::parse("title", &j.title)?.as_str().to_owned();
        let description = j.description.trim().to_owned();
        if description.chars().count() > 1000 {
            return Err(FieldError::new("description", crate::Msg::new("field-too-long").with("max", 1_000)));
        }
        if j.contents.len() > 30 {
            return Err(FieldError::new("contents", crate::Msg::new("field-too-many").with("max", 30)));
        }
        let mut contents = Vec::with_capacity(j.contents.len());
        for (i, line) in j.contents.into_iter().enumerate() {
            let name = DisplayName::parse(&format!("contents[{i}].name"), &line.name)?.as_str().to_owned();
            if !(1..=1000).contains(&line.quantity) {
                return Err(FieldError::new(format!("contents[{i}].quantity"), crate::field::between(1, 1_000)));
            }
            contents.push(DealLineJson { name, quantity: line.quantity });
        }
        if !(1..=MAX_PRICE).contains(&j.price) {
            return Err(FieldError::new("price", crate::field::amount_between(1, MAX_PRICE)));
        }
        if !(j.price..=MAX_PRICE).contains(&j.original_price) {
            return Err(FieldError::new(
                "original_price",
                crate::Msg::new("field-original-price").with("max", MAX_PRICE),
            ));
        }
        let mut store_ids = Vec::with_capacity(j.store_ids.len());
        for s in j.store_ids {
            if !store_ids.contains(&s) {
                store_ids.push(s);
            }
        }
        if store_ids.is_empty() || store_ids.len() > 1000 {
            return Err(FieldError::new("store_ids", crate::Msg::new("field-deal-stores").with("max", 1_000)));
        }
        let sale_starts_at =
            j.sale_starts_at.as_deref().map(|s| instant("sale_starts_at", s)).transpose()?.unwrap_or(now);
        let sale_ends_at = instant("sale_ends_at", &j.sale_ends_at)?;
        if sale_ends_at <= sale_starts_at {
            return Err(FieldError::new("sale_ends_at", "field-sale-ends-after-start"));
        }
        let valid_from =
            j.valid_from.as_deref().map(|s| instant("valid_from", s)).transpose()?.unwrap_or(sale_starts_at);
        let valid_until = instant("valid_until", &j.valid_until)?;
        if valid_until < sale_ends_at || valid_until <= valid_from {
            return Err(FieldError::new("valid_until", "field-valid-until-after-sale"));
        }
        if valid_until.millis() - now.millis() > 3 * 366 * 86_400_000 {
            return Err(FieldError::new("valid_until", crate::Msg::new("field-within-years").with("n", 3)));
        }
        let rules = UsageRules::parse("rules", &j.rules)?;
        if !(1..=100).contains(&j.uses_per_voucher) {
            return Err(FieldError::new("uses_per_voucher", crate::field::between(1, 100)));
        }
        if j.price < i64::from(j.uses_per_voucher) {
            return Err(FieldError::new("price", "field-price-per-use"));
        }
        if !(1..=1_000_000).contains(&j.stock) {
            return Err(FieldError::new("stock", crate::field::between(1, 1_000_000)));
        }
        if j.flash_sale && j.per_user_limit != 1 {
            return Err(FieldError::new("per_user_limit", "field-flash-sale-one-each"));
        }
        let photos = crate::photo::parse_list("photos", &j.photos, 9, false)?;
        Ok(Self {
            title,
            description,
            contents,
            price: j.price,
            original_price: j.original_price,
            store_ids,
            sale_starts_at,
            sale_ends_at,
            valid_from,
            valid_until,
            rules,
            uses_per_voucher: j.uses_per_voucher,
            stock: j.stock,
            per_user_limit: j.per_user_limit,
            refundable: j.refundable,
            auto_refund_on_expiry: j.auto_refund_on_expiry,
            flash_sale: j.flash_sale,
            photos,
        })
    }
}

/// The value of `k` uses of a voucher worth `price` with `total` uses of which `done` are used:
/// use i is worth `⌊price·i/total⌋ − ⌊price·(i−1)/total⌋`, so all uses add up to the price exactly.
pub fn uses_value(price: i64, total: u32, done: u32, k: u32) -> i64 {
    let total = i128::from(total.max(1));
    let cut = |n: u32| (i128::from(price) * i128::from(n.min(total as u32)) / total) as i64;
    cut(done + k) - cut(done)
}

/// The platform's commission on `value` at `rate_bp` basis points, rounded half up.
pub fn commission(value: i64, rate_bp: i64) -> i64 {
    ((i128::from(value) * i128::from(rate_bp) + 5_000).div_euclid(10_000)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn deal() -> DealJson {
        DealJson {
            title: "Hotpot for two".into(),
            description: String::new(),
            contents: vec![DealLineJson { name: "毛肚".into(), quantity: 2 }],
            price: 9900,
            original_price: 15800,
            store_ids: vec![StoreId::generate()],
            sale_starts_at: None,
            sale_ends_at: "2026-12-31T00:00:00Z".into(),
            valid_from: None,
            valid_until: "2027-03-31T00:00:00Z".into(),
            rules: UsageRulesJson::default(),
            uses_per_voucher: 1,
            stock: 100,
            per_user_limit: 2,
            refundable: true,
            auto_refund_on_expiry: true,
            flash_sale: false,
            photos: Vec::new(),
        }
    }

    const NOW: Timestamp = Timestamp::from_millis(1_795_406_400_000); // 2026-11-23 04:00Z

    #[test]
    fn a_good_deal_parses_and_bad_fields_are_named() {
        let d = DealTerms::parse(deal(), NOW).expect("valid");
        assert_eq!((d.sale_starts_at, d.valid_from), (NOW, NOW));
        let field = |j: DealJson| DealTerms::parse(j, NOW).expect_err("invalid").field;
        assert_eq!(field(DealJson { price: 0, ..deal() }), "price");
        assert_eq!(field(DealJson { original_price: 100, ..deal() }), "original_price");
        assert_eq!(field(DealJson { store_ids: vec![], ..deal() }), "store_ids");
        assert_eq!(field(DealJson { sale_ends_at: "tomorrow".into(), ..deal() }), "sale_ends_at");
        assert_eq!(field(DealJson { valid_until: "2026-12-01T00:00:00Z".into(), ..deal() }), "valid_until");
        assert_eq!(field(DealJson { uses_per_voucher: 0, ..deal() }), "uses_per_voucher");
        assert_eq!(field(DealJson { flash_sale: true, ..deal() }), "per_user_limit");
        let rules = UsageRulesJson { hours: Some("25:00-26:00".into()), ..Default::default() };
        assert_eq!(field(DealJson { rules, ..deal() }), "rules.hours");
    }

    #[test]
    fn weekday_and_hour_rules_follow_the_store_clock() {
        let rules = UsageRules::parse(
            "rules",
            &UsageRulesJson { weekdays_only: true, hours: Some("11:00-14:00".into()), ..Default::default() },
        )
        .expect("rules");
        let shanghai = 8 * 60;
        // 2026-11-23 is a Monday; 04:00Z is 12:00 in Shanghai.
        assert_eq!(rules.refuses_at(NOW, shanghai), None);
        assert!(rules.refuses_at(NOW.plus_secs(3 * 3600), shanghai).is_some(), "15:00 is outside");
        assert!(rules.refuses_at(NOW.plus_secs(5 * 86_400), shanghai).is_some(), "Saturday");
    }

    proptest! {
        #[test]
        fn uses_add_up_to_the_price(price in 0i64..10_000_000, total in 1u32..=100, split in proptest::collection::vec(1u32..5, 0..40)) {
            let mut done = 0;
            let mut sum = 0;
            for k in split {
                let k = k.min(total - done);
                if k == 0 { break; }
                let v = uses_value(price, total, done, k);
                prop_assert!(v >= 0);
                sum += v;
                done += k;
            }
            sum += uses_value(price, total, done, total - done);
            prop_assert_eq!(sum, price);
        }

        #[test]
        fn commission_never_exceeds_the_value(value in 0i64..10_000_000, bp in 0i64..=10_000) {
            let c = commission(value, bp);
            prop_assert!((0..=value).contains(&c));
        }
    }
}
