//! The MDRP operating rules as plain functions: travel time, the half-service times around each
//! pickup and drop-off, and the timeline of one assignment (go to a restaurant, pick up a
//! bundle, deliver it in sequence).

use crate::instance::{Instance, Params, Point};

/// Travel time between two points: `ceil(euclidean metres / speed)` whole minutes (the official
/// evaluator's rule; the rounding can break the triangle inequality).
pub fn travel_min(a: Point, b: Point, meters_per_minute: i64) -> i64 {
    let (dx, dy) = ((a.x - b.x) as f64, (a.y - b.y) as f64);
    let metres = (dx * dx + dy * dy).sqrt();
    (metres / meters_per_minute.max(1) as f64).ceil() as i64
}

/// When a courier reaching a restaurant at `arrival` picks up a bundle whose latest ready time is
/// `ready`: after half the pickup service, and never before the food is ready.
pub fn pickup_at(arrival: i64, ready: i64, p: &Params) -> i64 {
    ready.max(arrival + p.pickup_service / 2)
}

/// The timeline of one assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    /// Arrival at the restaurant.
    pub arrive_restaurant: i64,
    /// Pickup.
    pub pickup: i64,
    /// Drop-off time of each order, in delivery order.
    pub dropoffs: Vec<i64>,
    /// When the courier is free again, at the last diner.
    pub free_at: i64,
}

/// Plays an assignment for a courier standing at `from`, free from `start`: travel to the
/// restaurant of `orders[0]`, pick all of `orders` up (indices into the instance, all from that
/// restaurant), deliver them in the given order.
pub fn timeline(inst: &Instance, from: Point, start: i64, orders: &[usize]) -> Option<Timeline> {
    timeline_with(inst, from, start, orders, |o| inst.orders.get(o).map(|o| o.ready))
}

/// [`timeline`] with the ready times `ready` gives (a dispatcher working from estimates plans
/// with them; `None` for an unknown order).
pub fn timeline_with(
    inst: &Instance,
    from: Point,
    start: i64,
    orders: &[usize],
    ready: impl Fn(usize) -> Option<i64>,
) -> Option<Timeline> {
    let first = inst.orders.get(*orders.first()?)?;
    let p = &inst.params;
    let restaurant = inst.restaurants.get(first.restaurant)?.at;
    let arrive_restaurant = start + travel_min(from, restaurant, p.meters_per_minute);
    let ready = orders.iter().map(|&o| ready(o)).collect::<Option<Vec<i64>>>()?.into_iter().max()?;
    let pickup = pickup_at(arrive_restaurant, ready, p);
    let mut here = restaurant;
    let mut t = pickup + p.pickup_service / 2;
    let mut dropoffs = Vec::with_capacity(orders.len());
    for &o in orders {
        let order = inst.orders.get(o)?;
        t += travel_min(here, order.at, p.meters_per_minute);
        let dropoff = t + p.dropoff_service / 2;
        dropoffs.push(dropoff);
        t = dropoff + (p.dropoff_service - p.dropoff_service / 2);
        here = order.at;
    }
    Some(Timeline { arrive_restaurant, pickup, dropoffs, free_at: t })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instance::{Courier, Order, Restaurant};
    use proptest::prelude::*;

    fn inst() -> Instance {
        let o = |id: &str, x: i64, ready: i64| Order {
            id: id.into(),
            at: Point { x, y: 0 },
            placed: 0,
            restaurant: 0,
            ready,
        };
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
            restaurants: vec![Restaurant { id: "r1".into(), at: Point { x: 0, y: 0 } }],
            couriers: vec![Courier { id: "c1".into(), at: Point { x: -640, y: 0 }, on: 0, off: 120 }],
            orders: vec![o("o1", 3200, 10), o("o2", 6400, 14)],
        }
    }

    #[test]
    fn travel_rounds_up_whole_minutes() {
        assert_eq!(travel_min(Point { x: 0, y: 0 }, Point { x: 320, y: 0 }, 320), 1);
        assert_eq!(travel_min(Point { x: 0, y: 0 }, Point { x: 321, y: 0 }, 320), 2);
        assert_eq!(travel_min(Point { x: 0, y: 0 }, Point { x: 0, y: 0 }, 320), 0);
    }

    #[test]
    fn a_bundle_waits_for_its_latest_order_and_pays_half_services_around_each_stop() {
        let i = inst();
        // 2 min to the restaurant, arrival at 2; pickup waits for o2's ready time 14; leave at 16.
        let t = timeline(&i, i.couriers[0].at, 0, &[0, 1]).expect("timeline");
        assert_eq!((t.arrive_restaurant, t.pickup), (2, 14));
        // 10 min to o1: arrive 26, drop 28, leave 30; 10 min to o2: arrive 40, drop 42, free 44.
        assert_eq!((t.dropoffs.clone(), t.free_at), (vec![28, 42], 44));
        // Arriving after the food is ready, the pickup is half a service after arrival.
        let late = timeline(&i, i.couriers[0].at, 20, &[0]).expect("timeline");
        assert_eq!(late.pickup, 24);
        assert!(timeline(&i, i.couriers[0].at, 0, &[]).is_none());
    }

    proptest! {
        #[test]
        fn pickups_never_precede_ready_times_and_dropoffs_follow_each_other(start in 0i64..600, ready1 in 0i64..600, ready2 in 0i64..600) {
            let mut i = inst();
            i.orders[0].ready = ready1;
            i.orders[1].ready = ready2;
            let t = timeline(&i, i.couriers[0].at, start, &[1, 0]).expect("timeline");
            prop_assert!(t.pickup >= ready1.max(ready2));
            prop_assert!(t.pickup >= t.arrive_restaurant + 2);
            prop_assert!(t.dropoffs[0] >= t.pickup + 2 + 2);
            prop_assert!(t.dropoffs[1] >= t.dropoffs[0] + 4);
        }
    }
}
