//! Live assignment: the interface the server's dispatch loop calls with the open delivery tasks
//! and the riders on shift. Behind it runs the policy benchmarked on the Grubhub days
//! ([`crate::policy`], docs/dispatch.md): the live state is turned into an MDRP view (positions
//! projected to metres around the tasks, times to minutes from `now`) and decided like a minute
//! of a simulated day. A rider already due at a store also takes new tasks of that store (they
//! ride along). Pure: the caller passes `now`.

/// A point on the earth, degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geo {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lng: f64,
}

impl Geo {
    /// Great-circle distance in metres (haversine, mean earth radius).
    pub fn distance_m(&self, o: &Geo) -> f64 {
        let (la1, la2) = (self.lat.to_radians(), o.lat.to_radians());
        let dla = la2 - la1;
        let dlo = (o.lng - self.lng).to_radians();
        let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
        2.0 * 6_371_008.8 * h.sqrt().min(1.0).asin()
    }
}

/// A delivery task waiting for a rider.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenTask<T, S> {
    /// The caller's id for the task.
    pub id: T,
    /// The store it is picked up at (tasks of one store can be bundled).
    pub store: S,
    /// Where the store is.
    pub pickup: Geo,
    /// When the food is expected to be ready, epoch ms.
    pub ready_at: i64,
    /// Where it goes.
    pub dropoff: Geo,
    /// When the consumer ordered, epoch ms.
    pub placed_at: i64,
}

/// A rider on shift who may take work.
#[derive(Debug, Clone, PartialEq)]
pub struct FreeRider<R, S> {
    /// The caller's id for the rider.
    pub id: R,
    /// Last known position.
    pub at: Geo,
    /// Tasks held now (assigned, at the store or on board).
    pub load: u32,
    /// Stores of tasks held but not picked up yet: a new task there rides along.
    pub pickups_pending: Vec<S>,
}

/// The policy's knobs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LiveParams {
    /// Most tasks one rider holds at once.
    pub capacity: u32,
    /// Farthest a rider is sent to a pickup, metres.
    pub max_pickup_m: f64,
    /// Tasks ready later than this after `now` wait (a later decision may bundle them better).
    pub commit_ahead_ms: i64,
    /// Riding speed, metres per minute.
    pub meters_per_minute: i64,
    /// Minutes at a store to pick up, and at a door to hand over.
    pub service_minutes: i64,
}

impl Default for LiveParams {
    fn default() -> Self {
        Self {
            capacity: 3,
            max_pickup_m: 5_000.0,
            commit_ahead_ms: 10 * 60_000,
            meters_per_minute: 320,
            service_minutes: 4,
        }
    }
}

/// Decides which rider gets which task now; returns `(task index, rider index)` pairs. A task of a
/// store a rider is already due at rides along with that rider if it has room; the other tasks
/// (ready within `commit_ahead_ms`) go to riders holding nothing, decided by the simulation
/// policy (bundles from one store, cheapest moves first with regret, no commitment before the
/// rider is needed), never to a rider farther than `max_pickup_m` from the store. Deterministic.
pub fn assign<T, R, S: PartialEq + Clone>(
    now: i64,
    tasks: &[OpenTask<T, S>],
    riders: &[FreeRider<R, S>],
    p: &LiveParams,
) -> Vec<(usize, usize)> {
    let mut load: Vec<u32> = riders.iter().map(|r| r.load).collect();
    let mut out = Vec::new();
    let mut order: Vec<usize> = (0..tasks.len()).filter(|&i| tasks[i].ready_at - now <= p.commit_ahead_ms).collect();
    order.sort_by_key(|&i| (tasks[i].ready_at, i));
    let mut left = Vec::new();
    for t in order {
        let along =
            (0..riders.len()).find(|&r| load[r] < p.capacity && riders[r].pickups_pending.contains(&tasks[t].store));
        match along {
            Some(r) => {
                load[r] += 1;
                out.push((t, r));
            }
            None => left.push(t),
        }
    }
    let idle: Vec<usize> = (0..riders.len()).filter(|&r| riders[r].load == 0 && load[r] == 0).collect();
    if left.is_empty() || idle.is_empty() {
        return out;
    }
    // The MDRP view: stores as restaurants, tasks as orders, idle riders as couriers on shift.
    let origin = tasks[left[0]].pickup;
    let project = |g: &Geo| {
        let x = (g.lng - origin.lng) * origin.lat.to_radians().cos() * 111_320.0;
        let y = (g.lat - origin.lat) * 110_540.0;
        crate::Point { x: x.round() as i64, y: y.round() as i64 }
    };
    let minutes = |ms: i64| (ms - now).div_euclid(60_000);
    let mut stores: Vec<S> = Vec::new();
    let mut restaurants = Vec::new();
    let mut orders = Vec::new();
    for &t in &left {
        let task = &tasks[t];
        let r = match stores.iter().position(|s| *s == task.store) {
            Some(r) => r,
            None => {
                stores.push(task.store.clone());
                restaurants
                    .push(crate::Restaurant { id: format!("r{}", restaurants.len() + 1), at: project(&task.pickup) });
                restaurants.len() - 1
            }
        };
        let placed = minutes(task.placed_at).min(0);
        orders.push(crate::Order {
            id: format!("o{}", orders.len() + 1),
            at: project(&task.dropoff),
            placed,
            restaurant: r,
            ready: (task.ready_at - now).div_euclid(60_000).max(placed)
                + i64::from((task.ready_at - now).rem_euclid(60_000) > 0),
        });
    }
    let couriers = idle
        .iter()
        .map(|&r| crate::Courier { id: format!("c{}", r + 1), at: project(&riders[r].at), on: -1, off: i64::MAX / 4 })
        .collect::<Vec<_>>();
    let s = p.service_minutes.max(0);
    let inst = crate::Instance {
        params: crate::Params {
            meters_per_minute: p.meters_per_minute.max(1),
            pickup_service: s,
            dropoff_service: s,
            target_click_to_door: 40,
            max_click_to_door: 90,
            pay_per_order: 0,
            guaranteed_pay_per_hour: 0,
        },
        orders,
        restaurants,
        couriers,
    };
    let view = crate::sim::View {
        inst: &inst,
        now: 0,
        open: (0..left.len()).collect(),
        idle: inst.couriers.iter().enumerate().map(|(k, c)| (k, c.at)).collect(),
        places: vec![crate::sim::Place::Start; idle.len()],
        soon: Vec::new(),
    };
    // Riders are told up to `commit_ahead_ms` before they are needed (time to see the task and
    // set off), rather than at the last minute as in the simulation.
    let params = crate::sim::PolicyParams {
        max_bundle: p.capacity.clamp(1, 5) as usize,
        lead: p.commit_ahead_ms.div_euclid(60_000),
        ..crate::sim::PolicyParams::DEFAULT
    };
    for d in crate::policy::decide(&view, &params) {
        let crate::sim::Decision::Assign { courier, orders } = d else { continue };
        let r = idle[courier];
        for o in orders {
            let t = left[o];
            if riders[r].at.distance_m(&tasks[t].pickup) <= p.max_pickup_m && load[r] < p.capacity {
                load[r] += 1;
                out.push((t, r));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(north_m: f64, east_m: f64) -> Geo {
        Geo { lat: 31.2304 + north_m / 111_195.0, lng: 121.4737 + east_m / 95_000.0 }
    }

    fn task(id: u32, store: u32, p: Geo, ready_at: i64) -> OpenTask<u32, u32> {
        OpenTask { id, store, pickup: p, ready_at, dropoff: Geo { lat: p.lat + 0.01, lng: p.lng }, placed_at: -600_000 }
    }

    fn rider(id: u32, p: Geo, load: u32) -> FreeRider<u32, u32> {
        FreeRider { id, at: p, load, pickups_pending: Vec::new() }
    }

    #[test]
    fn the_nearest_rider_with_room_gets_the_task() {
        let tasks = [task(1, 7, at(0.0, 0.0), 0)];
        let riders = [rider(1, at(2_000.0, 0.0), 0), rider(2, at(500.0, 0.0), 0), rider(3, at(10.0, 0.0), 3)];
        assert_eq!(assign(0, &tasks, &riders, &LiveParams::default()), vec![(0, 1)]);
    }

    #[test]
    fn same_store_tasks_bundle_and_late_or_far_tasks_wait() {
        let p = LiveParams::default();
        let tasks = [
            task(1, 7, at(0.0, 0.0), 60_000),
            task(2, 7, at(0.0, 0.0), 0),
            task(3, 8, at(9_000.0, 0.0), 0),
            task(4, 7, at(0.0, 0.0), 3_600_000),
        ];
        let riders = [rider(1, at(1_500.0, 0.0), 0), rider(2, at(50.0, 0.0), 0)];
        // Tasks 1 and 2 (same store, same door) go together to the nearer rider; task 3 is too
        // far from everyone; task 4 is ready in an hour and waits for a later decision.
        let mut got = assign(0, &tasks, &riders, &p);
        got.sort_unstable();
        assert_eq!(got, vec![(0, 1), (1, 1)]);
        // A rider already due at store 7 takes a new task there along.
        let due = [FreeRider { id: 9, at: at(3_000.0, 0.0), load: 1, pickups_pending: vec![7] }];
        assert_eq!(assign(0, &tasks[1..2], &due, &p), vec![(0, 0)]);
    }

    proptest! {
        #[test]
        fn no_task_twice_and_no_rider_over_capacity(
            ts in proptest::collection::vec((0u32..5, -3_000.0f64..3_000.0, -3_000.0f64..3_000.0, 0i64..1_200_000), 0..40),
            rs in proptest::collection::vec((-3_000.0f64..3_000.0, -3_000.0f64..3_000.0, 0u32..4), 0..12),
        ) {
            let tasks: Vec<_> = ts.iter().enumerate().map(|(i, t)| task(i as u32, t.0, at(t.1, t.2), t.3)).collect();
            let riders: Vec<_> = rs.iter().enumerate().map(|(i, r)| rider(i as u32, at(r.0, r.1), r.2)).collect();
            let p = LiveParams::default();
            let out = assign(0, &tasks, &riders, &p);
            let mut seen = std::collections::HashSet::new();
            let mut load: Vec<u32> = riders.iter().map(|r| r.load).collect();
            for (t, r) in out {
                prop_assert!(seen.insert(t), "task {} twice", t);
                prop_assert!(tasks[t].ready_at <= p.commit_ahead_ms);
                load[r] += 1;
                prop_assert!(load[r] <= p.capacity.max(riders[r].load));
            }
        }
    }
}
