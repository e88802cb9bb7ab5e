//! The double-entry ledger's vocabulary: accounts and journal entries whose postings sum to zero.
//! A positive amount is a debit (money arriving in the account's custody), a negative one a credit.

use crate::{MerchantId, UserId};
use std::fmt;

/// A ledger account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Account {
    /// Money held for us by a payment provider (`gateway:sandbox`).
    Gateway(String),
    /// Paid by consumers, not yet earned by anyone: vouchers not yet used.
    Clearing,
    /// The platform's commission.
    PlatformRevenue,
    /// What the platform owes a merchant.
    MerchantPayable(MerchantId),
    /// Paid out to a merchant's bank account.
    MerchantPaidOut(MerchantId),
    /// What the platform owes a rider (task pay and hourly top-ups).
    RiderPayable(UserId),
    /// What the platform spends: riders' pay and guarantees, compensation (an expense, so it is
    /// debited).
    PlatformCosts,
    /// What the platform pays for its coupons (an expense: the discounts it funds).
    PlatformSubsidies,
    /// A member's stored value on a merchant's card: the merchant's liability to the member
    /// (credit balance) until spent at any of its stores.
    StoredValue(MerchantId, UserId),
    /// A member's points at a merchant, at their documented value (one point = one minor unit):
    /// the merchant's liability until exchanged.
    Points(MerchantId, UserId),
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Account::Gateway(p) => write!(f, "gateway:{p}"),
            Account::Clearing => f.write_str("platform:clearing"),
            Account::PlatformRevenue => f.write_str("platform:revenue"),
            Account::MerchantPayable(m) => write!(f, "merchant:{m}:payable"),
            Account::MerchantPaidOut(m) => write!(f, "merchant:{m}:paid_out"),
            Account::RiderPayable(r) => write!(f, "rider:{r}:payable"),
            Account::PlatformCosts => f.write_str("platform:costs"),
            Account::PlatformSubsidies => f.write_str("platform:subsidies"),
            Account::StoredValue(m, u) => write!(f, "merchant:{m}:stored_value:{u}"),
            Account::Points(m, u) => write!(f, "merchant:{m}:points:{u}"),
        }
    }
}

/// One line of a journal entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    /// The account.
    pub account: Account,
    /// Minor units; debit positive, credit negative.
    pub amount: i64,
}

/// Why a set of postings is not a journal entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    /// The postings do not sum to zero.
    #[error("postings sum to {0}, not zero")]
    Unbalanced(i128),
    /// An entry needs at least two postings.
    #[error("an entry needs at least two postings")]
    TooFew,
}

/// Checks that `postings` form a journal entry; zero-amount lines are dropped.
pub fn entry(postings: Vec<Posting>) -> Result<Vec<Posting>, EntryError> {
    let postings: Vec<Posting> = postings.into_iter().filter(|p| p.amount != 0).collect();
    let sum: i128 = postings.iter().map(|p| i128::from(p.amount)).sum();
    if sum != 0 {
        return Err(EntryError::Unbalanced(sum));
    }
    if postings.len() < 2 {
        return Err(EntryError::TooFew);
    }
    Ok(postings)
}

/// The entry for a consumer's payment of `amount` from `payer`: a gateway, or the stored value
/// of a membership card.
pub fn payment(payer: Account, amount: i64) -> Vec<Posting> {
    vec![Posting { account: payer, amount }, Posting { account: Account::Clearing, amount: -amount }]
}

/// The entry for a day's fees that `provider` kept (its bill says how much): a cost of the
/// platform, out of what the provider holds for it.
pub fn provider_fee(provider: &str, fee: i64) -> Vec<Posting> {
    vec![
        Posting { account: Account::PlatformCosts, amount: fee },
        Posting { account: Account::Gateway(provider.to_owned()), amount: -fee },
    ]
}

/// The entry for a recharge of a membership card: `paid` arrives through `provider`, the card
/// holds `paid + bonus`, and the merchant funds the `bonus` from what it is owed.
pub fn recharge(provider: &str, merchant: MerchantId, user: UserId, paid: i64, bonus: i64) -> Vec<Posting> {
    vec![
        Posting { account: Account::Gateway(provider.to_owned()), amount: paid },
        Posting { account: Account::MerchantPayable(merchant), amount: bonus },
        Posting { account: Account::StoredValue(merchant, user), amount: -(paid + bonus) },
    ]
}

/// The entry for `points` a member earned at a merchant: their value is set aside from what the
/// merchant is owed, as its liability to the member. Exchanging them reverses it (the coupon
/// they buy is a merchant-funded discount, paid when used).
pub fn points_earned(merchant: MerchantId, user: UserId, points: i64) -> Vec<Posting> {
    vec![
        Posting { account: Account::MerchantPayable(merchant), amount: points },
        Posting { account: Account::Points(merchant, user), amount: -points },
    ]
}

/// The entry for redeeming uses worth `value`: the merchant earns it less the `commission`.
pub fn redemption(merchant: MerchantId, value: i64, commission: i64) -> Vec<Posting> {
    vec![
        Posting { account: Account::Clearing, amount: value },
        Posting { account: Account::MerchantPayable(merchant), amount: -(value - commission) },
        Posting { account: Account::PlatformRevenue, amount: -commission },
    ]
}

/// The entry for refunding `amount` to the `payer` it came from.
pub fn refund(payer: Account, amount: i64) -> Vec<Posting> {
    vec![Posting { account: Account::Clearing, amount }, Posting { account: payer, amount: -amount }]
}

/// How a completed menu order is shared out; all amounts in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settlement {
    /// What the consumer paid.
    pub total: i64,
    /// The merchant's goods: items and packaging, less the discounts it funds.
    pub goods: i64,
    /// The platform's commission on the goods.
    pub commission: i64,
    /// The discounts the platform funds (its coupons).
    pub subsidy: i64,
    /// The rider and their pay, if a rider delivered.
    pub rider: Option<(UserId, i64)>,
    /// What the merchant pays towards the rider's pay (what fee and platform subsidy do not cover).
    pub merchant_delivery: i64,
}

/// The entry that settles a completed menu order: the merchant earns its goods less the
/// commission and its share of the delivery; the platform keeps the commission, the delivery
/// fee (`total - goods + subsidy`) and the merchant's share, pays the discounts it funds as a
/// subsidy and the rider, if any, as a cost.
pub fn settle_order(merchant: MerchantId, s: Settlement) -> Vec<Posting> {
    let Settlement { total, goods, commission, subsidy, rider, merchant_delivery } = s;
    let mut v = vec![
        Posting { account: Account::Clearing, amount: total },
        Posting { account: Account::MerchantPayable(merchant), amount: -(goods - commission - merchant_delivery) },
        Posting {
            account: Account::PlatformRevenue,
            amount: -(total - goods + commission + subsidy + merchant_delivery),
        },
    ];
    if subsidy != 0 {
        v.push(Posting { account: Account::PlatformSubsidies, amount: subsidy });
    }
    if let Some((r, pay)) = rider {
        v.push(Posting { account: Account::PlatformCosts, amount: pay });
        v.push(Posting { account: Account::RiderPayable(r), amount: -pay });
    }
    v
}

/// The entry that pays `amount` to a rider from the platform (an hourly top-up, compensation).
pub fn rider_topup(rider: UserId, amount: i64) -> Vec<Posting> {
    vec![
        Posting { account: Account::PlatformCosts, amount },
        Posting { account: Account::RiderPayable(rider), amount: -amount },
    ]
}

/// The entry when an operator cancels a delivery already picked up: the consumer is refunded
/// in full (a separate entry), so the platform pays the merchant for the food (`goods`, as
/// priced before any discount, less `commission`) and tops the rider up for the ride.
pub fn compensation(merchant: MerchantId, goods: i64, commission: i64, rider: Option<(UserId, i64)>) -> Vec<Posting> {
    let earned = goods - commission;
    let mut postings = vec![
        Posting { account: Account::PlatformCosts, amount: earned },
        Posting { account: Account::MerchantPayable(merchant), amount: -earned },
    ];
    if let Some((rider, pay)) = rider {
        postings.extend(rider_topup(rider, pay));
    }
    postings
}

/// The reverse of an entry (to undo it).
pub fn reverse(postings: &[Posting]) -> Vec<Posting> {
    postings.iter().map(|p| Posting { account: p.account.clone(), amount: -p.amount }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_entries_balance_and_unbalanced_ones_are_refused() {
        let m = MerchantId::generate();
        let gw = || Account::Gateway("sandbox".into());
        let u = UserId::generate();
        for e in [
            payment(gw(), 9900),
            redemption(m, 9900, 792),
            refund(gw(), 9900),
            compensation(m, 5000, 400, Some((u, 800))),
            compensation(m, 5000, 400, None),
            reverse(&redemption(m, 1, 0)),
            recharge("sandbox", m, u, 50_000, 5_000),
            payment(Account::StoredValue(m, u), 3_300),
            points_earned(m, u, 3_300),
        ] {
            assert!(entry(e).is_ok());
        }
        let bad = vec![
            Posting { account: Account::Clearing, amount: 1 },
            Posting { account: Account::PlatformRevenue, amount: 0 },
        ];
        assert_eq!(entry(bad), Err(EntryError::Unbalanced(1)));
        assert_eq!(redemption(m, 100, 0).len(), 3);
        let r = UserId::generate();
        let order = |total, rider, subsidy, merchant_delivery| Settlement {
            total,
            goods: 3200,
            commission: 256,
            subsidy,
            rider,
            merchant_delivery,
        };
        assert!(entry(settle_order(m, order(3700, Some((r, 600)), 0, 0))).is_ok());
        assert!(entry(settle_order(m, order(3200, None, 0, 0))).is_ok());
        // The fee (500) does not cover the rider's 600: the merchant pays the 100 left.
        let short = settle_order(m, order(3700, Some((r, 600)), 0, 100));
        assert!(entry(short.clone()).is_ok());
        assert!(short.contains(&Posting { account: Account::MerchantPayable(m), amount: -(3200 - 256 - 100) }));
        // A platform coupon took 500 off: the merchant still earns its goods, the platform pays.
        let subsidised = settle_order(m, order(3200, Some((r, 600)), 500, 0));
        assert!(entry(subsidised.clone()).is_ok());
        assert!(subsidised.contains(&Posting { account: Account::PlatformSubsidies, amount: 500 }));
        assert!(subsidised.contains(&Posting { account: Account::MerchantPayable(m), amount: -(3200 - 256) }));
        assert!(entry(rider_topup(r, 100)).is_ok());
        assert_eq!(entry(redemption(m, 100, 0)).map(|e| e.len()), Ok(2), "zero lines are dropped");
        // A recharge of 500 with 50 bonus: the card holds 550, the merchant funds 50.
        let r = recharge("sandbox", m, u, 50_000, 5_000);
        assert!(r.contains(&Posting { account: Account::StoredValue(m, u), amount: -55_000 }));
        assert!(r.contains(&Posting { account: Account::MerchantPayable(m), amount: 5_000 }));
        assert_eq!(Account::StoredValue(m, u).to_string(), format!("merchant:{m}:stored_value:{u}"));
    }
}
