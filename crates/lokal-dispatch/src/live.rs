//! Live assignment: the interface the server's dispatch loop calls with the open delivery tasks
//! and the riders on shift, and the policy behind it. The first policy is "nearest rider, same
//! store bundles first": enough to run the platform while the MDRP-grade policy (issue E) is
//! built behind the same call. Pure: the caller passes `now`.

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
}

impl Default for LiveParams {
    fn default() -> Self {
        Self { capacity: 3, max_pickup_m: 5_000.0, commit_ahead_ms: 10 * 60_000 }
    }
}

/// Decides which rider gets which task now; returns `(task index, rider index)` pairs. Tasks go
/// in order of ready time; each goes to a rider already due at its store (a bundle) if one has
/// room, else to the nearest rider with room within `max_pickup_m`. Ties go to the lower index,
/// so the answer is deterministic.
pub fn assign<T, R, S: PartialEq + Clone>(
    now: i64,
    tasks: &[OpenTask<T, S>],
    riders: &[FreeRider<R, S>],
    p: &LiveParams,
) -> Vec<(usize, usize)> {
    let mut load: Vec<u32> = riders.iter().map(|r| r.load).collect();
    let mut due: Vec<Vec<S>> = riders.iter().map(|r| r.pickups_pending.clone()).collect();
    let mut order: Vec<usize> = (0..tasks.len()).filter(|&i| tasks[i].ready_at - now <= p.commit_ahead_ms).collect();
    order.sort_by_key(|&i| (tasks[i].ready_at, i));
    let mut out = Vec::new();
    for t in order {
        let task = &tasks[t];
        let bundle = (0..riders.len()).find(|&r| load[r] < p.capacity && due[r].contains(&task.store));
        let nearest = || {
            (0..riders.len())
                .filter(|&r| load[r] < p.capacity)
                .map(|r| (riders[r].at.distance_m(&task.pickup), r))
                .filter(|(d, _)| *d <= p.max_pickup_m)
                .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
                .map(|(_, r)| r)
        };
        if let Some(r) = bundle.or_else(nearest) {
            load[r] += 1;
            due[r].push(task.store.clone());
            out.push((t, r));
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
        OpenTask { id, store, pickup: p, ready_at }
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
        let riders = [rider(1, at(100.0, 0.0), 0), rider(2, at(50.0, 0.0), 0)];
        // Task 2 is ready first and goes to the nearest rider; task 1 rides along with it; task 3
        // is too far from everyone; task 4 is ready in an hour and waits for a later decision.
        assert_eq!(assign(0, &tasks, &riders, &p), vec![(1, 1), (0, 1)]);
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
