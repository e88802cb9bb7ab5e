//! Checkout pricing with 20 candidate coupons (issue F's benchmark):
//!
//! ```sh
//! cargo run --release -p lokal-core --example checkout_pricing
//! ```
//!
//! 10,000 carts of 1–8 lines, each with three store promotions and 20 coupons in the wallet (8
//! merchant, 8 platform, 4 delivery; thresholds, caps, new-customer and item coupons mixed):
//! the time of `promo::best` (the best combination and its breakdown), p50 / p99 / max.

use lokal_core::ItemId;
use lokal_core::promo::{Benefit, Cart, Funder, Line, Offer, Source, best};
use std::time::Instant;

fn main() {
    let mut seed: u64 = 7;
    let mut next = move |n: u64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n.max(1)
    };
    let mut times = Vec::new();
    let mut saved = 0i64;
    for _ in 0..10_000 {
        let lines: Vec<Line> = (0..1 + next(8))
            .map(|_| Line {
                item: ItemId::from_uuid(uuid::Uuid::from_u128(u128::from(next(12)))),
                quantity: 1 + next(3) as u32,
                unit_price: 500 + next(6_000) as i64,
            })
            .collect();
        let cart = Cart { lines, packaging_fee: 200, delivery_fee: 300 + next(700) as i64, new_customer: next(4) == 0 };
        let offer = |id: u32, source: Source, benefit: Benefit| Offer {
            id,
            source,
            benefit,
            funder: if source == Source::PlatformCoupon { Funder::Platform } else { Funder::Merchant },
            new_customers_only: false,
            budget_left: None,
        };
        let promotions = vec![
            offer(0, Source::Promotion, Benefit::AmountOff { off: 500, threshold: 5_000 }),
            offer(1, Source::Promotion, Benefit::AmountOff { off: 1_200, threshold: 10_000 }),
            offer(
                2,
                Source::Promotion,
                Benefit::ItemOff { item: ItemId::from_uuid(uuid::Uuid::from_u128(3)), off_each: 300, max_units: 2 },
            ),
        ];
        let mut coupons = Vec::new();
        for k in 0..20u32 {
            let (source, benefit) = match k {
                0..8 => (
                    Source::MerchantCoupon,
                    Benefit::AmountOff { off: 200 + next(1_500) as i64, threshold: next(12_000) as i64 },
                ),
                8..16 => (
                    Source::PlatformCoupon,
                    if k % 2 == 0 {
                        Benefit::PercentOff {
                            percent_bp: 500 + next(1_500) as u32,
                            cap: Some(800),
                            threshold: next(8_000) as i64,
                        }
                    } else {
                        Benefit::ItemOff {
                            item: ItemId::from_uuid(uuid::Uuid::from_u128(u128::from(next(12)))),
                            off_each: 100 + next(400) as i64,
                            max_units: 1 + next(3) as u32,
                        }
                    },
                ),
                _ => (Source::PlatformCoupon, Benefit::FreeDelivery { cap: Some(500), threshold: next(6_000) as i64 }),
            };
            let mut o = offer(10 + k, source, benefit);
            o.new_customers_only = k % 7 == 0;
            coupons.push(o);
        }
        let t = Instant::now();
        let (_, b) = best(&cart, &promotions, &coupons);
        times.push(t.elapsed().as_secs_f64() * 1e6);
        saved += b.discount();
    }
    times.sort_by(f64::total_cmp);
    let q = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
    println!(
        "best combination of 20 coupons + 3 promotions, 10,000 carts: p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs (mean discount {:.2})",
        q(0.5),
        q(0.99),
        times[times.len() - 1],
        saved as f64 / 1e6
    );
}
