//! Larger synthetic days built from a real one, to test the dispatcher at scale (the library's
//! largest days have about 3,200 orders and 460 couriers; the folder we have stops at 1,185).
//!
//! Each copy of an order keeps its restaurant and preparation time, moves its placement by up to
//! ±10 minutes and its diner by up to ±500 m (clamped to the day's area); couriers are drawn from
//! the real ones the same way, shifts kept. Deterministic for a given seed.

use crate::instance::{Courier, Instance, Order, Point};

/// A small deterministic generator (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A whole number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (hi - lo + 1).max(1) as u64;
        lo + (self.next_u64() % span) as i64
    }
}

/// A day with `orders` orders and `couriers` couriers drawn from `base` (which must have some of
/// each).
pub fn scale(base: &Instance, orders: usize, couriers: usize, seed: u64) -> Instance {
    let mut rng = Rng::new(seed);
    let points = base.orders.iter().map(|o| o.at).chain(base.restaurants.iter().map(|r| r.at));
    let (lo, hi) = points
        .fold((Point { x: i64::MAX, y: i64::MAX }, Point { x: i64::MIN, y: i64::MIN }), |(lo, hi), p| {
            (Point { x: lo.x.min(p.x), y: lo.y.min(p.y) }, Point { x: hi.x.max(p.x), y: hi.y.max(p.y) })
        });
    let jitter = |p: Point, r: i64, rng: &mut Rng| Point {
        x: (p.x + rng.range(-r, r)).clamp(lo.x, hi.x),
        y: (p.y + rng.range(-r, r)).clamp(lo.y, hi.y),
    };
    let first = base.orders.iter().map(|o| o.placed).min().unwrap_or(0);
    let mut out_orders: Vec<Order> = (0..orders)
        .map(|k| {
            let o = &base.orders[rng.range(0, base.orders.len() as i64 - 1) as usize];
            let placed = (o.placed + rng.range(-10, 10)).max(first);
            Order {
                id: format!("o{}", k + 1),
                at: jitter(o.at, 500, &mut rng),
                placed,
                restaurant: o.restaurant,
                ready: placed + (o.ready - o.placed),
            }
        })
        .collect();
    out_orders.sort_by_key(|o| o.placed);
    for (k, o) in out_orders.iter_mut().enumerate() {
        o.id = format!("o{}", k + 1);
    }
    let out_couriers = (0..couriers)
        .map(|k| {
            let c = &base.couriers[rng.range(0, base.couriers.len() as i64 - 1) as usize];
            Courier { id: format!("c{}", k + 1), at: jitter(c.at, 500, &mut rng), on: c.on, off: c.off }
        })
        .collect();
    Instance { params: base.params, orders: out_orders, restaurants: base.restaurants.clone(), couriers: out_couriers }
}
