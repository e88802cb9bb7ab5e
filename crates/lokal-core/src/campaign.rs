//! Campaigns and attribution (issue F): a campaign has channels (tracking links, QR posters,
//! promoter codes, partner sites); every arrival through a channel is a *touch*, and every
//! visit, sign-up, coupon claim, order and redemption is credited to the touches that brought it
//! — the first and the last within each campaign's attribution window ([`attribute`], pure).

use crate::{CampaignId, ChannelId, FieldError, MerchantId, StoreId, Timestamp};

/// A campaign as a merchant or an operator sends it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignJson {
    /// Shown on the landing page, e.g. "Spring hotpot week".
    pub title: String,
    /// The store the landing page leads to (one of the merchant's; optional).
    #[serde(default)]
    pub store_id: Option<StoreId>,
    /// The coupon batch the landing page offers (the merchant's own; the platform's for a
    /// platform campaign; optional).
    #[serde(default)]
    pub coupon_batch_id: Option<crate::CouponTemplateId>,
    /// Starts (RFC 3339; default now).
    #[serde(default)]
    pub starts_at: Option<String>,
    /// Ends (RFC 3339).
    pub ends_at: String,
    /// How long after a touch an action is still credited to it, in days (1–90; default 7).
    #[serde(default = "seven")]
    pub window_days: i64,
}

fn seven() -> i64 {
    7
}

/// A checked campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignTerms {
    /// Title.
    pub title: String,
    /// Landing store.
    pub store_id: Option<StoreId>,
    /// Coupon batch offered.
    pub coupon_batch_id: Option<crate::CouponTemplateId>,
    /// Starts.
    pub starts_at: Timestamp,
    /// Ends.
    pub ends_at: Timestamp,
    /// Attribution window, days.
    pub window_days: i64,
}

impl CampaignTerms {
    /// Checks a campaign sent at `now`; the error names the first bad field.
    pub fn parse(j: CampaignJson, now: Timestamp) -> Result<CampaignTerms, FieldError> {
        let title = crate::field::line_of_text("title", &j.title, 80, true)?;
        let starts_at = match j.starts_at.as_deref() {
            Some(s) => crate::field::instant("starts_at", s)?,
            None => now,
        };
        let ends_at = crate::field::instant("ends_at", &j.ends_at)?;
        if ends_at <= starts_at || ends_at <= now {
            return Err(FieldError::new("ends_at", "field-ends-after-start-future"));
        }
        if !(1..=90).contains(&j.window_days) {
            return Err(FieldError::new("window_days", crate::field::between(1, 90)));
        }
        Ok(CampaignTerms {
            title,
            store_id: j.store_id,
            coupon_batch_id: j.coupon_batch_id,
            starts_at,
            ends_at,
            window_days: j.window_days,
        })
    }
}

crate::named_enum! {
    /// How a channel reaches people.
    pub enum ChannelKind {
        /// A tracking link (social posts, messages, e-mail).
        Link = "link",
        /// A printed QR poster or table card: offline → online.
        Qr = "qr",
        /// A promoter's personal code.
        Promoter = "promoter",
        /// A partner site.
        Partner = "partner",
    }
}

/// A channel as the campaign's owner adds it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelJson {
    /// Link, QR poster, promoter code or partner site.
    pub kind: ChannelKind,
    /// e.g. "Poster at the east gate", "Xiaohongshu post", a promoter's name.
    pub name: String,
    /// What the channel costs (printing, partner fee, promoter fee), minor units; counted in the
    /// campaign's spend. Default 0.
    #[serde(default)]
    pub cost: i64,
}

impl ChannelJson {
    /// Checks the name and the cost.
    pub fn check(&self) -> Result<(String, i64), FieldError> {
        let name = crate::field::line_of_text("name", &self.name, 80, true)?;
        if !(0..=100_000_000).contains(&self.cost) {
            return Err(FieldError::new("cost", crate::field::amount_between(0, 100_000_000)));
        }
        Ok((name, self.cost))
    }
}

crate::named_enum! {
    /// What was credited: an arrival, or an action taken after one.
    pub enum EventKind {
        /// A new account.
        Signup = "signup",
        /// A coupon claimed.
        Claim = "claim",
        /// An order placed (deal, menu order or pay-at-store bill).
        Order = "order",
        /// A voucher redeemed in a store.
        Redemption = "redemption",
        /// A table booked (bookings are not built yet; reserved so reports keep their shape).
        Booking = "booking",
    }
}

impl EventKind {}

/// One arrival of someone through a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Touch {
    /// The channel.
    pub channel: ChannelId,
    /// Its campaign.
    pub campaign: CampaignId,
    /// The campaign's merchant (`None`: the platform's campaign).
    pub merchant: Option<MerchantId>,
    /// When, epoch ms.
    pub at: i64,
    /// The campaign's attribution window, ms.
    pub window_ms: i64,
}

/// The touches credited with an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credit {
    /// The earliest eligible touch (first-touch model).
    pub first: Touch,
    /// The latest eligible touch (last-touch model).
    pub last: Touch,
}

/// Whether `t` may be credited with an action at `at` concerning `merchant`: the touch came
/// before the action, within its campaign's window, and a merchant's campaign is credited only
/// with actions at that merchant (an action without a merchant — a sign-up, a platform coupon —
/// may be credited to any campaign; a platform campaign with any action).
pub fn eligible(t: &Touch, at: i64, merchant: Option<MerchantId>) -> bool {
    t.at <= at
        && at - t.at <= t.window_ms
        && match (t.merchant, merchant) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
}

/// Credits an action at `at` concerning `merchant` to the first and the last eligible touch
/// (ties broken by channel id, so the order of `touches` does not matter); `None` when no touch
/// is eligible (the action was organic).
pub fn attribute(touches: &[Touch], at: i64, merchant: Option<MerchantId>) -> Option<Credit> {
    let mut eligible_touches = touches.iter().filter(|t| eligible(t, at, merchant));
    let first = *eligible_touches.next()?;
    let (first, last) = eligible_touches.fold((first, first), |(f, l), t| {
        (
            if (t.at, t.channel) < (f.at, f.channel) { *t } else { f },
            if (t.at, t.channel) > (l.at, l.channel) { *t } else { l },
        )
    });
    Some(Credit { first, last })
}

crate::named_enum! {
    /// Which touch a report credits.
    #[derive(Default)]
    pub enum Model {
        /// The touch closest before the action (the default).
        #[default]
        Last = "last",
        /// The earliest touch within the window.
        First = "first",
    }
}

impl Model {}

/// Return on spend as reports show it: net GMV divided by spend (the "ROI" of Chinese
/// local-life platforms, 投入产出比); `None` when nothing was spent.
pub fn roi(net_gmv: i64, spend: i64) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)] // report figure, not money
    (spend > 0).then(|| net_gmv as f64 / spend as f64)
}

/// Cost per acquired customer: spend divided by new customers, rounded to the nearest minor unit
/// (half up); `None` without new customers.
pub fn cac(spend: i64, new_customers: i64) -> Option<i64> {
    (new_customers > 0).then(|| (2 * spend + new_customers) / (2 * new_customers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DAY: i64 = 86_400_000;

    fn id(n: u128) -> uuid::Uuid {
        uuid::Uuid::from_u128(n)
    }

    fn touch(channel: u128, merchant: Option<u128>, at: i64, window_days: i64) -> Touch {
        Touch {
            channel: ChannelId(id(channel)),
            campaign: CampaignId(id(channel / 10)),
            merchant: merchant.map(|m| MerchantId(id(m))),
            at,
            window_ms: window_days * DAY,
        }
    }

    #[test]
    fn first_and_last_within_the_window() {
        let m = Some(MerchantId(id(1)));
        let touches = [touch(10, Some(1), 0, 7), touch(20, Some(1), 3 * DAY, 7), touch(30, None, 5 * DAY, 1)];
        let c = attribute(&touches, 5 * DAY + 1, m).expect("credited");
        assert_eq!((c.first.channel, c.last.channel), (ChannelId(id(10)), ChannelId(id(30))));
        // A day later the platform campaign's one-day window has closed; the poster's has not.
        let c = attribute(&touches, 6 * DAY + 2, m).expect("credited");
        assert_eq!((c.first.channel, c.last.channel), (ChannelId(id(10)), ChannelId(id(20))));
        // Eight days after the first touch, only the second is left.
        let c = attribute(&touches, 8 * DAY, m).expect("credited");
        assert_eq!((c.first.channel, c.last.channel), (ChannelId(id(20)), ChannelId(id(20))));
        assert_eq!(attribute(&touches, 11 * DAY, m), None);
        // Exactly at the window's end still counts; a touch after the action never does.
        assert!(eligible(&touch(10, None, 0, 7), 7 * DAY, m));
        assert!(!eligible(&touch(10, None, 0, 7), 7 * DAY + 1, m));
        assert!(!eligible(&touch(10, None, 5, 7), 4, m));
    }

    #[test]
    fn a_merchants_campaign_gets_only_its_merchants_actions() {
        let touches = [touch(10, Some(1), 0, 7)];
        assert!(attribute(&touches, DAY, Some(MerchantId(id(2)))).is_none());
        assert!(attribute(&touches, DAY, None).is_some(), "a sign-up counts for the poster that brought it");
        assert!(attribute(&[touch(10, None, 0, 7)], DAY, Some(MerchantId(id(2)))).is_some());
    }

    #[test]
    fn figures() {
        assert_eq!(cac(1_000, 3), Some(333));
        assert_eq!(cac(1_000, 6), Some(167));
        assert_eq!(cac(1_000, 0), None);
        assert_eq!(roi(5_000, 1_000), Some(5.0));
        assert_eq!(roi(5_000, 0), None);
    }

    fn arb_touch() -> impl Strategy<Value = Touch> {
        (1u128..6, proptest::option::of(1u128..3), 0i64..20 * DAY, 1i64..10)
            .prop_map(|(c, m, at, w)| touch(c * 10 + c, m, at, w))
    }

    proptest! {
        #[test]
        fn credits_are_eligible_extreme_and_order_free(
            touches in proptest::collection::vec(arb_touch(), 0..12),
            at in 0i64..25 * DAY,
            merchant in proptest::option::of(1u128..3),
        ) {
            let merchant = merchant.map(|m| MerchantId(id(m)));
            let got = attribute(&touches, at, merchant);
            let eligible_ones: Vec<&Touch> = touches.iter().filter(|t| eligible(t, at, merchant)).collect();
            prop_assert_eq!(got.is_none(), eligible_ones.is_empty());
            if let Some(c) = got {
                prop_assert!(eligible(&c.first, at, merchant) && eligible(&c.last, at, merchant));
                prop_assert!(c.first.at <= c.last.at && c.first.at <= at && at - c.first.at <= c.first.window_ms);
                for t in &eligible_ones {
                    prop_assert!((c.first.at, c.first.channel) <= (t.at, t.channel));
                    prop_assert!((c.last.at, c.last.channel) >= (t.at, t.channel));
                }
            }
            // The order of the touches does not matter.
            let mut reversed = touches.clone();
            reversed.reverse();
            prop_assert_eq!(attribute(&reversed, at, merchant), got);
            // A touch after the action changes nothing.
            let mut later = touches.clone();
            later.push(touch(99, None, at + 1, 90));
            prop_assert_eq!(attribute(&later, at, merchant), got);
        }
    }
}
