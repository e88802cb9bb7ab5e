//! Click-to-door estimates made the minute an order is placed, from what is known then (the
//! quote's "about 35 minutes"), and their error against what the day then did.
//!
//! The estimate is the order's own path — ready (given, or estimated from the restaurant's
//! revealed preparation times, the median), or later if the nearest courier free now or within ten minutes
//! cannot be there sooner; half the pickup service; the ride to the diner; half the drop-off
//! service — plus the mean error of the estimates of orders already delivered by then (a
//! running correction for waiting and bundling that the path leaves out).

use crate::policy::prep_estimates;
use crate::rules::travel_min;
use crate::sim::{Assignment, Day, View};
use crate::solution::percentile;

/// Estimates as they are made, one per order.
#[derive(Debug, Clone, Default)]
pub struct Estimator {
    /// Estimated click-to-door minutes by order (`None` until placed).
    pub estimates: Vec<Option<i64>>,
    known_ready: bool,
    assumed_prep: i64,
}

/// How far the estimates were from the simulated outcome, over delivered orders.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct EtaError {
    /// Orders compared.
    pub orders: usize,
    /// Mean absolute error, minutes.
    pub mae: f64,
    /// 90th percentile of the absolute error, minutes.
    pub p90: f64,
    /// Mean signed error (outcome minus estimate), minutes: positive means late.
    pub bias: f64,
}

impl Estimator {
    /// An estimator for `orders` orders that knows ready times (`known_ready`) or estimates them
    /// from the restaurant's revealed preparation times (the median: an estimate shown to a
    /// customer should be unbiased, unlike the policy's deliberately early plan).
    pub fn new(orders: usize, known_ready: bool, assumed_prep: i64) -> Self {
        Estimator { estimates: vec![None; orders], known_ready, assumed_prep }
    }

    /// Estimates every order placed since the previous call; `done` are the assignments made so
    /// far (only drop-offs by `v.now` are looked at).
    pub fn observe(&mut self, v: &View, done: &[Assignment]) {
        let inst = v.inst;
        let new: Vec<usize> = v.open.iter().copied().filter(|&o| self.estimates[o].is_none()).collect();
        if new.is_empty() {
            return;
        }
        // The running correction: how late the delivered orders came against their estimates.
        let (mut sum, mut n) = (0i64, 0i64);
        for a in done {
            for (&o, &d) in a.orders.iter().zip(&a.timeline.dropoffs) {
                if let (true, Some(e)) = (d <= v.now, self.estimates[o]) {
                    sum += d - inst.orders[o].placed - e;
                    n += 1;
                }
            }
        }
        let correction = if n > 0 { sum / n } else { 0 };
        let prep = if self.known_ready { Vec::new() } else { prep_estimates(v, 0.5, self.assumed_prep) };
        let p = &inst.params;
        let speed = p.meters_per_minute;
        for o in new {
            let order = &inst.orders[o];
            let restaurant = inst.restaurants[order.restaurant].at;
            let ready = if self.known_ready || order.ready <= v.now {
                order.ready
            } else {
                (order.placed + prep[order.restaurant]).max(v.now + 1)
            };
            let courier = v
                .idle
                .iter()
                .map(|&(_, at)| v.now + travel_min(at, restaurant, speed))
                .chain(v.soon.iter().map(|&(free, at)| free + travel_min(at, restaurant, speed)))
                .min()
                .unwrap_or(v.now + 30);
            let pickup = ready.max(courier + p.pickup_service / 2);
            let dropoff = pickup
                + (p.pickup_service - p.pickup_service / 2)
                + travel_min(restaurant, order.at, speed)
                + p.dropoff_service / 2;
            self.estimates[o] = Some(dropoff - order.placed + correction);
        }
    }

    /// The error of the estimates against the day's delivered orders.
    pub fn error(&self, inst: &crate::Instance, day: &Day) -> EtaError {
        let mut abs = Vec::new();
        let mut signed = 0i64;
        for a in &day.assignments {
            for (&o, &d) in a.orders.iter().zip(&a.timeline.dropoffs) {
                if let Some(e) = self.estimates[o] {
                    let err = d - inst.orders[o].placed - e;
                    signed += err;
                    abs.push(err.abs() as f64);
                }
            }
        }
        abs.sort_by(f64::total_cmp);
        let n = abs.len();
        EtaError {
            orders: n,
            mae: if n == 0 { 0.0 } else { abs.iter().sum::<f64>() / n as f64 },
            p90: percentile(&abs, 0.9),
            bias: if n == 0 { 0.0 } else { signed as f64 / n as f64 },
        }
    }
}
