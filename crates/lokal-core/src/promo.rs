//! The pricing engine of promotions and coupons (issue F): given a cart and the offers a consumer
//! may use (the store's own promotions and the coupons in their wallet), the breakdown of every
//! discount and the total — and, at checkout, the best combination of coupons. Pure and
//! deterministic; all amounts integer minor units.
//!
//! **Stacking rules** (docs/API.md repeats them):
//! 1. Store promotions apply first: every item discount (per unit, up to a quantity), then the
//!    best qualifying spend-and-save tier (满减), then the best first-order discount.
//! 2. Then at most one merchant coupon, then at most one platform coupon, each on the goods amount
//!    left by the steps before (thresholds are checked against that amount).
//! 3. At most one delivery coupon, on the delivery fee only.
//! 4. Percentages round the discount up (in the consumer's favour); no step takes the goods
//!    amount or the delivery fee below zero; no offer gives more than its remaining budget.
//!
//! Packaging fees are never discounted. The breakdown's lines sum to the total.

/// What an offer gives.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Benefit {
    /// `off` off a goods amount of at least `threshold` (满 threshold 减 off; 0 = no threshold).
    AmountOff {
        /// Minor units off.
        off: i64,
        /// Smallest goods amount it applies to.
        #[serde(default)]
        threshold: i64,
    },
    /// `percent_bp` basis points off the goods amount (1500 = 15 % off), at most `cap`.
    PercentOff {
        /// Basis points, 1 to 10,000.
        percent_bp: u32,
        /// Most minor units off.
        #[serde(default)]
        cap: Option<i64>,
        /// Smallest goods amount it applies to.
        #[serde(default)]
        threshold: i64,
    },
    /// The delivery fee waived (up to `cap`) on goods of at least `threshold`.
    FreeDelivery {
        /// Most minor units off the fee.
        #[serde(default)]
        cap: Option<i64>,
        /// Smallest goods amount it applies to.
        #[serde(default)]
        threshold: i64,
    },
    /// `off_each` off each unit of one item, for up to `max_units` units.
    ItemOff {
        /// The item.
        item: crate::ItemId,
        /// Minor units off per unit (never more than the unit price).
        off_each: i64,
        /// Most units discounted.
        max_units: u32,
    },
}

/// Where an offer comes from, which decides its stacking slot.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A store promotion (no coupon needed).
    Promotion,
    /// A first-order discount of the store.
    FirstOrder,
    /// A coupon issued by the merchant.
    MerchantCoupon,
    /// A coupon issued by the platform.
    PlatformCoupon,
}

/// Who pays for a discount (recorded on the ledger as a subsidy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Funder {
    /// The platform.
    Platform,
    /// The merchant.
    Merchant,
}

/// An offer the consumer may use on this cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer<Id> {
    /// The caller's id (a promotion, or a claimed coupon).
    pub id: Id,
    /// Its slot.
    pub source: Source,
    /// What it gives.
    pub benefit: Benefit,
    /// Who pays.
    pub funder: Funder,
    /// Only for a consumer's first order (at this merchant for merchant offers, on the platform
    /// for platform coupons — the caller says which applies through [`Cart::new_customer`]).
    pub new_customers_only: bool,
    /// Budget left for this offer, minor units (`None`: unlimited).
    pub budget_left: Option<i64>,
}

/// A cart line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    /// The item.
    pub item: crate::ItemId,
    /// Units.
    pub quantity: u32,
    /// Price of one unit with its options, minor units.
    pub unit_price: i64,
}

/// A cart as priced before discounts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cart {
    /// The goods.
    pub lines: Vec<Line>,
    /// Packaging fee (never discounted).
    pub packaging_fee: i64,
    /// Delivery fee (0 for pickup and dine-in).
    pub delivery_fee: i64,
    /// Whether the consumer has never ordered here (first-order offers).
    pub new_customer: bool,
}

impl Cart {
    /// The goods amount before discounts.
    pub fn goods(&self) -> i64 {
        self.lines.iter().map(|l| l.unit_price.saturating_mul(i64::from(l.quantity))).fold(0i64, i64::saturating_add)
    }
}

/// One line of the breakdown: a charge (positive) or a discount (negative).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge<Id> {
    /// What it is.
    pub kind: ChargeKind,
    /// The offer behind a discount.
    pub offer: Option<Id>,
    /// Who pays a discount.
    pub funder: Option<Funder>,
    /// Minor units: positive for goods and fees, negative for discounts.
    pub amount: i64,
}

/// What a breakdown line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChargeKind {
    /// The goods before discounts.
    Goods,
    /// Packaging.
    Packaging,
    /// Delivery.
    Delivery,
    /// A discount on the goods.
    GoodsDiscount,
    /// A discount on the delivery fee.
    DeliveryDiscount,
}

/// The priced cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breakdown<Id> {
    /// Goods, fees, then each discount in the order applied.
    pub lines: Vec<Charge<Id>>,
    /// What the consumer pays: the sum of the lines, never negative.
    pub total: i64,
}

impl<Id> Breakdown<Id> {
    /// All discounts, as a positive amount.
    pub fn discount(&self) -> i64 {
        -self.lines.iter().filter(|l| l.amount < 0).map(|l| l.amount).sum::<i64>()
    }
}

/// Why an offer cannot be used on this cart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Two coupons of the same slot, or a coupon given as a promotion.
    #[error("these offers do not combine")]
    DoNotCombine,
    /// The goods amount (after earlier discounts) is below its threshold.
    #[error("below the offer's threshold")]
    BelowThreshold,
    /// For new customers only.
    #[error("for new customers only")]
    NewCustomersOnly,
    /// Nothing in the cart it applies to (the item, or a delivery fee).
    #[error("nothing in the cart it applies to")]
    NothingToDiscount,
    /// Its budget is spent.
    #[error("its budget is spent")]
    BudgetSpent,
}

impl Refusal {
    /// Why the offer `name` cannot be used, for people.
    pub fn msg(self, name: &str) -> crate::Msg {
        let key = match self {
            Refusal::DoNotCombine => crate::Msg::new("offer-refused-do-not-combine"),
            Refusal::BelowThreshold => crate::Msg::new("offer-refused-below-threshold"),
            Refusal::NewCustomersOnly => crate::Msg::new("offer-refused-new-customers-only"),
            Refusal::NothingToDiscount => crate::Msg::new("offer-refused-nothing-to-discount"),
            Refusal::BudgetSpent => crate::Msg::new("offer-refused-budget-spent"),
        };
        key.with("name", name)
    }
}

fn ceil_bp(amount: i64, bp: u32) -> i64 {
    let (a, b) = (i128::from(amount.max(0)), i128::from(bp.min(10_000)));
    i64::try_from((a * b + 9_999) / 10_000).unwrap_or(i64::MAX)
}

/// The discount `o` gives on `goods` (left so far) and `fee` (delivery left so far), before its
/// budget; `Err` when it does not apply.
fn give<Id>(o: &Offer<Id>, cart: &Cart, goods: i64, fee: i64) -> Result<(i64, bool), Refusal> {
    if o.new_customers_only && !cart.new_customer {
        return Err(Refusal::NewCustomersOnly);
    }
    let (off, on_delivery) = match &o.benefit {
        Benefit::AmountOff { off, threshold } => {
            if goods < *threshold {
                return Err(Refusal::BelowThreshold);
            }
            ((*off).max(0), false)
        }
        Benefit::PercentOff { percent_bp, cap, threshold } => {
            if goods < *threshold {
                return Err(Refusal::BelowThreshold);
            }
            let d = ceil_bp(goods, *percent_bp);
            (cap.map_or(d, |c| d.min(c.max(0))), false)
        }
        Benefit::FreeDelivery { cap, threshold } => {
            if goods < *threshold {
                return Err(Refusal::BelowThreshold);
            }
            if fee <= 0 {
                return Err(Refusal::NothingToDiscount);
            }
            (cap.map_or(fee, |c| fee.min(c.max(0))), true)
        }
        Benefit::ItemOff { item, off_each, max_units } => {
            let (units, price) = cart
                .lines
                .iter()
                .filter(|l| l.item == *item)
                .fold((0u32, i64::MAX), |(u, p), l| (u.saturating_add(l.quantity), p.min(l.unit_price)));
            if units == 0 {
                return Err(Refusal::NothingToDiscount);
            }
            let each = (*off_each).clamp(0, price.max(0));
            (each.saturating_mul(i64::from(units.min(*max_units))), false)
        }
    };
    let room = if on_delivery { fee } else { goods };
    Ok((off.min(room.max(0)), on_delivery))
}

/// Prices `cart` with `offers` applied by the stacking rules (every promotion that qualifies;
/// the coupons given, at most one per slot). A coupon that does not apply is an error naming it.
pub fn price<Id: Clone>(cart: &Cart, offers: &[Offer<Id>]) -> Result<Breakdown<Id>, (Id, Refusal)> {
    let mut order: Vec<&Offer<Id>> = offers.iter().collect();
    // Slot order; within a slot item discounts, then goods discounts, then delivery; then by the
    // benefit itself, so the order the caller lists offers in never matters.
    let rank = |o: &Offer<Id>| {
        let within = match o.benefit {
            Benefit::ItemOff { .. } => 0,
            Benefit::FreeDelivery { .. } => 2,
            _ => 1,
        };
        (o.source, within, o.benefit.clone())
    };
    order.sort_by_key(|o| rank(o));
    // At most one delivery coupon, whoever issued it.
    let deliveries: Vec<&&Offer<Id>> = order
        .iter()
        .filter(|o| matches!(o.source, Source::MerchantCoupon | Source::PlatformCoupon))
        .filter(|o| matches!(o.benefit, Benefit::FreeDelivery { .. }))
        .collect();
    if let Some(second) = deliveries.get(1) {
        return Err((second.id.clone(), Refusal::DoNotCombine));
    }
    for pair in order.windows(2) {
        let coupon = |o: &Offer<Id>| matches!(o.source, Source::MerchantCoupon | Source::PlatformCoupon);
        let delivery = |o: &Offer<Id>| matches!(o.benefit, Benefit::FreeDelivery { .. });
        if coupon(pair[0])
            && coupon(pair[1])
            && pair[0].source == pair[1].source
            && delivery(pair[0]) == delivery(pair[1])
        {
            return Err((pair[1].id.clone(), Refusal::DoNotCombine));
        }
    }
    let goods0 = cart.goods();
    let mut lines = vec![Charge { kind: ChargeKind::Goods, offer: None, funder: None, amount: goods0 }];
    if cart.packaging_fee > 0 {
        lines.push(Charge { kind: ChargeKind::Packaging, offer: None, funder: None, amount: cart.packaging_fee });
    }
    if cart.delivery_fee > 0 {
        lines.push(Charge { kind: ChargeKind::Delivery, offer: None, funder: None, amount: cart.delivery_fee });
    }
    let (mut goods, mut fee) = (goods0, cart.delivery_fee.max(0));
    // Spend-and-save tiers compete: only the best that qualifies applies (chosen on the goods left
    // after item discounts); so do first-order discounts.
    let group = |o: &Offer<Id>| match (o.source, &o.benefit) {
        (Source::Promotion, Benefit::AmountOff { .. } | Benefit::PercentOff { .. }) => Some(0),
        (Source::FirstOrder, _) => Some(1),
        _ => None,
    };
    let mut best_of: [Option<Option<usize>>; 2] = [None, None];
    for (k, o) in order.iter().enumerate() {
        let is_promotion = matches!(o.source, Source::Promotion | Source::FirstOrder);
        if let Some(g) = group(o) {
            let chosen = *best_of[g].get_or_insert_with(|| {
                order
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| group(t) == Some(g))
                    .filter_map(|(j, t)| {
                        let (d, _) = give(t, cart, goods, fee).ok()?;
                        Some((t.budget_left.map_or(d, |b| d.min(b.max(0))), j))
                    })
                    .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
                    .map(|(_, j)| j)
            });
            if chosen != Some(k) {
                continue;
            }
        }
        let (d, on_delivery) = match give(o, cart, goods, fee) {
            Ok(x) => x,
            // Promotions that do not qualify are simply not applied; a coupon the consumer chose
            // is refused with its reason.
            Err(_) if is_promotion => continue,
            Err(why) => return Err((o.id.clone(), why)),
        };
        let d = o.budget_left.map_or(d, |b| d.min(b.max(0)));
        if d <= 0 {
            if o.budget_left.is_some_and(|b| b <= 0) && !is_promotion {
                return Err((o.id.clone(), Refusal::BudgetSpent));
            }
            continue;
        }
        if on_delivery {
            fee -= d;
        } else {
            goods -= d;
        }
        let kind = if on_delivery { ChargeKind::DeliveryDiscount } else { ChargeKind::GoodsDiscount };
        lines.push(Charge { kind, offer: Some(o.id.clone()), funder: Some(o.funder), amount: -d });
    }
    let total = lines.iter().map(|l| l.amount).fold(0i64, i64::saturating_add);
    Ok(Breakdown { lines, total })
}

/// The best combination of the consumer's coupons for this cart, with every store promotion that
/// qualifies: the lowest total; among equals the fewest coupons, then the earliest in `coupons`
/// (the caller lists them soonest-expiring first). Returns the chosen coupons' indices and the
/// breakdown.
pub fn best<Id: Clone>(cart: &Cart, promotions: &[Offer<Id>], coupons: &[Offer<Id>]) -> (Vec<usize>, Breakdown<Id>) {
    let slot = |s: Source, delivery: bool| -> Vec<Option<usize>> {
        let mut v = vec![None];
        v.extend(
            (0..coupons.len())
                .filter(|&k| {
                    coupons[k].source == s && matches!(coupons[k].benefit, Benefit::FreeDelivery { .. }) == delivery
                })
                .map(Some),
        );
        v
    };
    let (merchant, platform) = (slot(Source::MerchantCoupon, false), slot(Source::PlatformCoupon, false));
    let delivery: Vec<Option<usize>> = {
        let mut v = slot(Source::MerchantCoupon, true);
        v.extend(slot(Source::PlatformCoupon, true).into_iter().skip(1));
        v
    };
    let mut chosen: Option<(i64, usize, Vec<usize>, Breakdown<Id>)> = None;
    for m in &merchant {
        for p in &platform {
            for d in &delivery {
                let pick: Vec<usize> = [*m, *p, *d].into_iter().flatten().collect();
                let mut offers = promotions.to_vec();
                offers.extend(pick.iter().map(|&k| coupons[k].clone()));
                let Ok(b) = price(cart, &offers) else { continue };
                let key = (b.total, pick.len(), pick.clone());
                if chosen.as_ref().is_none_or(|c| (key.0, key.1, &key.2) < (c.0, c.1, &c.2)) {
                    chosen = Some((key.0, key.1, key.2, b));
                }
            }
        }
    }
    match chosen {
        Some((_, _, pick, b)) => (pick, b),
        None => (
            Vec::new(),
            price(cart, promotions).unwrap_or_else(|_| Breakdown { lines: Vec::new(), total: cart.goods() }),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn item(n: i64) -> crate::ItemId {
        crate::ItemId::from_uuid(uuid::Uuid::from_u128(n as u128))
    }

    fn offer(id: u32, source: Source, benefit: Benefit) -> Offer<u32> {
        Offer { id, source, benefit, funder: Funder::Merchant, new_customers_only: false, budget_left: None }
    }

    fn cart(goods: &[(i64, u32, i64)], delivery_fee: i64) -> Cart {
        Cart {
            lines: goods
                .iter()
                .map(|&(item_n, quantity, unit_price)| Line { item: item(item_n), quantity, unit_price })
                .collect(),
            packaging_fee: 200,
            delivery_fee,
            new_customer: false,
        }
    }

    #[test]
    fn the_stacking_rules_by_example() {
        // ¥120 of goods, ¥5 delivery, ¥2 packaging.
        let c = cart(&[(1, 2, 4_000), (2, 1, 4_000)], 500);
        let spend = |id, off, threshold| offer(id, Source::Promotion, Benefit::AmountOff { off, threshold });
        // Two tiers: only the best that qualifies (满100减20, not 满50减8; 满150减40 does not qualify).
        let tiers = [spend(1, 800, 5_000), spend(2, 2_000, 10_000), spend(3, 4_000, 15_000)];
        let b = price(&c, &tiers).expect("priced");
        assert_eq!(b.total, 12_000 + 200 + 500 - 2_000);
        assert_eq!(b.lines.iter().filter(|l| l.offer.is_some()).count(), 1);
        // An item discount applies first and can push the goods below a tier's threshold.
        let item = offer(4, Source::Promotion, Benefit::ItemOff { item: item(1), off_each: 1_500, max_units: 5 });
        let b = price(&c, &[tiers[1].clone(), item.clone(), tiers[0].clone()]).expect("priced");
        assert_eq!(b.discount(), 3_000 + 800, "items first (9,000 left), then 满50减8");
        // A merchant then a platform coupon on what is left; 15 % rounds up, capped.
        let mut platform =
            offer(5, Source::PlatformCoupon, Benefit::PercentOff { percent_bp: 1_500, cap: Some(1_000), threshold: 0 });
        platform.funder = Funder::Platform;
        let merchant = offer(6, Source::MerchantCoupon, Benefit::AmountOff { off: 333, threshold: 5_000 });
        let b = price(&c, &[platform.clone(), merchant.clone()]).expect("priced");
        let after_merchant: i64 = 12_000 - 333;
        assert_eq!(b.discount(), 333 + ((after_merchant * 1_500 + 9_999) / 10_000).min(1_000));
        assert_eq!(b.lines.last().map(|l| (l.offer, l.funder)), Some((Some(5), Some(Funder::Platform))));
        // Free delivery only touches the fee; two merchant coupons do not combine.
        let free = offer(7, Source::PlatformCoupon, Benefit::FreeDelivery { cap: Some(300), threshold: 0 });
        let b = price(&c, std::slice::from_ref(&free)).expect("priced");
        assert_eq!(b.lines.last().map(|l| (l.kind, l.amount)), Some((ChargeKind::DeliveryDiscount, -300)));
        let merchant_free = offer(12, Source::MerchantCoupon, Benefit::FreeDelivery { cap: None, threshold: 0 });
        assert_eq!(
            price(&c, &[free.clone(), merchant_free]).map(|b| b.total).map_err(|e| e.1),
            Err(Refusal::DoNotCombine),
            "one delivery coupon, whoever issued it"
        );
        let other = offer(8, Source::MerchantCoupon, Benefit::AmountOff { off: 100, threshold: 0 });
        assert_eq!(price(&c, &[merchant.clone(), other]).map(|b| b.total).map_err(|e| e.1), Err(Refusal::DoNotCombine));
        // Thresholds, new customers, budgets.
        let big = offer(9, Source::MerchantCoupon, Benefit::AmountOff { off: 500, threshold: 50_000 });
        assert_eq!(price(&c, &[big]).map(|b| b.total), Err((9, Refusal::BelowThreshold)));
        let first = Offer {
            new_customers_only: true,
            ..offer(10, Source::MerchantCoupon, Benefit::AmountOff { off: 500, threshold: 0 })
        };
        assert_eq!(price(&c, std::slice::from_ref(&first)).map(|b| b.total), Err((10, Refusal::NewCustomersOnly)));
        assert!(price(&Cart { new_customer: true, ..c.clone() }, &[first]).is_ok());
        let thin = Offer { budget_left: Some(120), ..merchant.clone() };
        assert_eq!(price(&c, &[thin]).map(|b| b.discount()), Ok(120));
        let spent = Offer { budget_left: Some(0), ..merchant };
        assert_eq!(price(&c, &[spent]).map(|b| b.total), Err((6, Refusal::BudgetSpent)));
        // Never below zero: ¥200 off ¥120 of goods takes the goods to zero, fees still due.
        let huge = offer(11, Source::MerchantCoupon, Benefit::AmountOff { off: 20_000, threshold: 0 });
        assert_eq!(price(&c, &[huge]).map(|b| b.total), Ok(200 + 500));
    }

    #[test]
    fn the_best_combination_beats_every_other() {
        let c = cart(&[(1, 3, 3_000)], 600);
        let promotions = [offer(1, Source::Promotion, Benefit::AmountOff { off: 500, threshold: 8_000 })];
        let coupons = [
            offer(2, Source::MerchantCoupon, Benefit::AmountOff { off: 1_000, threshold: 9_000 }),
            offer(3, Source::MerchantCoupon, Benefit::AmountOff { off: 700, threshold: 0 }),
            offer(4, Source::PlatformCoupon, Benefit::PercentOff { percent_bp: 1_000, cap: Some(600), threshold: 0 }),
            offer(5, Source::PlatformCoupon, Benefit::FreeDelivery { cap: None, threshold: 0 }),
            offer(6, Source::PlatformCoupon, Benefit::AmountOff { off: 50, threshold: 0 }),
        ];
        let (pick, b) = best(&c, &promotions, &coupons);
        // 9,000 goods − 500 promotion = 8,500: coupon 2's threshold is no longer met, so coupon 3
        // (700), then 10 % of 7,800 = 780 capped at 600, and free delivery.
        assert_eq!(pick, vec![1, 2, 3]);
        assert_eq!(b.total, 9_000 + 200 + 600 - 500 - 700 - 600 - 600);
    }

    fn arb_offer() -> impl Strategy<Value = Offer<u32>> {
        let benefit = prop_oneof![
            (0i64..5_000, 0i64..20_000).prop_map(|(off, threshold)| Benefit::AmountOff { off, threshold }),
            (1u32..=10_000, proptest::option::of(0i64..3_000), 0i64..20_000)
                .prop_map(|(percent_bp, cap, threshold)| Benefit::PercentOff { percent_bp, cap, threshold }),
            (proptest::option::of(0i64..1_000), 0i64..20_000)
                .prop_map(|(cap, threshold)| Benefit::FreeDelivery { cap, threshold }),
            (0i64..4, 0i64..5_000, 0u32..5).prop_map(|(n, off_each, max_units)| Benefit::ItemOff {
                item: item(n),
                off_each,
                max_units
            }),
        ];
        let source = prop_oneof![
            Just(Source::Promotion),
            Just(Source::FirstOrder),
            Just(Source::MerchantCoupon),
            Just(Source::PlatformCoupon)
        ];
        (0u32..1_000, source, benefit, any::<bool>(), proptest::option::of(0i64..3_000)).prop_map(
            |(id, source, benefit, new, budget)| Offer {
                id,
                source,
                benefit,
                funder: if source == Source::PlatformCoupon { Funder::Platform } else { Funder::Merchant },
                new_customers_only: new,
                budget_left: budget,
            },
        )
    }

    /// Offers as a store has them: each with its own id (the generator may repeat one).
    fn distinct(offers: Vec<Offer<u32>>) -> Vec<Offer<u32>> {
        offers.into_iter().zip(0u32..).map(|(o, id)| Offer { id, ..o }).collect()
    }

    fn arb_cart() -> impl Strategy<Value = Cart> {
        (proptest::collection::vec((0i64..4, 1u32..4, 0i64..6_000), 0..5), 0i64..500, 0i64..800, any::<bool>())
            .prop_map(|(lines, packaging_fee, delivery_fee, new_customer)| Cart {
                lines: lines
                    .into_iter()
                    .map(|(item_n, quantity, unit_price)| Line { item: item(item_n), quantity, unit_price })
                    .collect(),
                packaging_fee,
                delivery_fee,
                new_customer,
            })
    }

    proptest! {
        #[test]
        fn totals_are_never_negative_lines_sum_and_budgets_hold(c in arb_cart(), offers in proptest::collection::vec(arb_offer(), 0..8).prop_map(distinct)) {
            if let Ok(b) = price(&c, &offers) {
                prop_assert!(b.total >= 0);
                prop_assert_eq!(b.total, b.lines.iter().map(|l| l.amount).sum::<i64>());
                prop_assert_eq!(&price(&c, &offers), &Ok(b.clone()), "the same inputs, the same breakdown");
                let goods_off: i64 = b.lines.iter().filter(|l| l.kind == ChargeKind::GoodsDiscount).map(|l| -l.amount).sum();
                let fee_off: i64 = b.lines.iter().filter(|l| l.kind == ChargeKind::DeliveryDiscount).map(|l| -l.amount).sum();
                prop_assert!(goods_off <= c.goods() && fee_off <= c.delivery_fee.max(0));
                prop_assert!(b.total >= c.packaging_fee, "packaging is never discounted");
                for l in b.lines.iter().filter(|l| l.offer.is_some()) {
                    prop_assert!(l.amount < 0);
                    let o = offers.iter().find(|o| Some(o.id) == l.offer).expect("its offer");
                    prop_assert!(o.budget_left.is_none_or(|budget| -l.amount <= budget), "over budget");
                }
                let mut reversed = offers.clone();
                reversed.reverse();
                prop_assert_eq!(price(&c, &reversed).map(|r| r.total), Ok(b.total), "the order offers are listed in does not matter");
            }
        }

        #[test]
        fn the_best_combination_is_no_worse_than_any_single_coupon(c in arb_cart(), promos in proptest::collection::vec(arb_offer(), 0..3), coupons in proptest::collection::vec(arb_offer(), 0..6)) {
            let promos: Vec<_> = promos.into_iter().map(|o| Offer { source: Source::Promotion, ..o }).collect();
            let coupons: Vec<_> = coupons.into_iter().filter(|o| matches!(o.source, Source::MerchantCoupon | Source::PlatformCoupon)).collect();
            let (pick, b) = best(&c, &promos, &coupons);
            prop_assert_eq!(Ok(b.total), price(&c, &promos.iter().cloned().chain(pick.iter().map(|&k| coupons[k].clone())).collect::<Vec<_>>()).map(|b| b.total));
            if let Ok(none) = price(&c, &promos) {
                prop_assert!(b.total <= none.total);
            }
            for (k, coupon) in coupons.iter().enumerate() {
                let mut one = promos.clone();
                one.push(coupon.clone());
                if let Ok(single) = price(&c, &one) {
                    prop_assert!(b.total <= single.total, "coupon {} alone is cheaper", k);
                }
            }
        }
    }
}
