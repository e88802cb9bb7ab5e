//! Property tests of the simulation on random small days: whatever the policy decides, no order
//! is delivered twice, no courier is in two places at once, and no pickup precedes its ready time.

use lokal_dispatch::instance::{Courier, Instance, Order, Params, Point, Restaurant};
use lokal_dispatch::sim::{PolicyParams, Sim, decide};
use lokal_dispatch::solution::check;
use proptest::prelude::*;

fn day(orders: Vec<(i64, i64, i64, i64, usize)>, couriers: Vec<(i64, i64, i64, i64)>) -> Instance {
    Instance {
        params: Params {
            meters_per_minute: 320,
            pickup_service: 4,
            dropoff_service: 4,
            target_click_to_door: 40,
            max_click_to_door: 90,
            pay_per_order: 10,
            guaranteed_pay_per_hour: 15,
        },
        restaurants: (0..4).map(|r| Restaurant { id: format!("r{r}"), at: Point { x: r * 1_500, y: 0 } }).collect(),
        couriers: couriers
            .into_iter()
            .enumerate()
            .map(|(i, (x, y, on, len))| Courier { id: format!("c{i}"), at: Point { x, y }, on, off: on + len })
            .collect(),
        orders: orders
            .into_iter()
            .enumerate()
            .map(|(i, (x, y, placed, prep, r))| Order {
                id: format!("o{i}"),
                at: Point { x, y },
                placed,
                restaurant: r % 4,
                ready: placed + prep,
            })
            .collect(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn no_order_twice_no_courier_in_two_places_no_pickup_before_ready(
        orders in proptest::collection::vec((-5_000i64..5_000, -5_000i64..5_000, 0i64..240, 5i64..30, 0usize..4), 1..60),
        couriers in proptest::collection::vec((-5_000i64..5_000, -5_000i64..5_000, 0i64..120, 60i64..300), 1..8),
        epoch in 1i64..6,
        bundle in 1usize..5,
        reposition in any::<bool>(),
    ) {
        let i = day(orders, couriers);
        let p = PolicyParams { epoch, max_bundle: bundle, reposition, ..PolicyParams::default() };
        let mut sim = Sim::for_policy(&i, &p);
        while let Some(view) = sim.next_epoch() {
            let refused = sim.apply(decide(&view, &p));
            prop_assert!(refused.is_empty(), "{:?}", refused);
        }
        let violations = check(&i, &sim.finish());
        prop_assert!(violations.is_empty(), "{:?}", violations);
    }
}
