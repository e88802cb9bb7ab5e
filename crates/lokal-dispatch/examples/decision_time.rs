//! The dispatcher at scale (docs/dispatch.md, docs/benchmarks.md):
//!
//! ```sh
//! cargo run --release -p lokal-dispatch --example decision_time [-- BASE_INSTANCE_DIR]
//! ```
//!
//! 1. One decision with 460 idle couriers and 100 open orders, at 200 different moments of a
//!    synthetic day: p50 / p99 / max (the issue's target: p99 under 50 ms on one core).
//! 2. A whole synthetic day of 3,200 orders and 460 couriers drawn from the base instance:
//!    metrics, strict check, decision times.

use lokal_dispatch::Instance;
use lokal_dispatch::sim::{Place, PolicyParams, Sim, View, decide};
use lokal_dispatch::solution::{check, metrics, percentile};
use lokal_dispatch::synthetic::scale;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let base = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/0r50t100s1p100"));
    let base = Instance::read(&base).expect("base instance");
    let p = PolicyParams::default();

    // 1. The pointed case: every courier idle and on shift, 100 open orders.
    let mut day = scale(&base, 3200, 460, 7);
    let (first, last) = (day.orders[0].placed, day.orders[day.orders.len() - 1].placed);
    for c in &mut day.couriers {
        (c.on, c.off) = (first - 60, last + 120);
    }
    let mut times = Vec::new();
    let mut assigned = 0;
    for k in 0..200 {
        let end = 100 + k * (day.orders.len() - 100) / 200;
        let open: Vec<usize> = (end - 100..end).collect();
        let now = day.orders[end - 1].placed;
        let view = View {
            inst: &day,
            now,
            open,
            idle: day.couriers.iter().enumerate().map(|(i, c)| (i, c.at)).collect(),
            places: vec![Place::Start; day.couriers.len()],
            soon: Vec::new(),
        };
        let t = Instant::now();
        let d = decide(&view, &p);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assigned += d.len();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "one decision, 460 idle couriers x 100 open orders, 200 moments: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({:.1} assignments per decision)",
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times[times.len() - 1],
        assigned as f64 / 200.0
    );

    // 2. A whole synthetic day.
    let day = scale(&base, 3200, 460, 11);
    let started = Instant::now();
    let mut sim = Sim::for_policy(&day, &p);
    let mut times = Vec::new();
    let mut most_open = 0;
    while let Some(view) = sim.next_epoch() {
        most_open = most_open.max(view.open.len());
        let t = Instant::now();
        let d = decide(&view, &p);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        sim.apply(d);
    }
    let done = sim.finish();
    let wall = started.elapsed().as_secs_f64();
    times.sort_by(f64::total_cmp);
    let m = metrics(&day, &done);
    let violations = check(&day, &done).len();
    println!(
        "synthetic day, {} orders, {} couriers: {:.2}% undelivered, CtD {:.2}, RtP {:.2}, cost/order {:.2}, {:.3} orders/bundle; {} violations; most open orders {most_open}; decisions p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms; whole day {wall:.2} s",
        m.orders,
        day.couriers.len(),
        100.0 * (m.orders - m.delivered) as f64 / m.orders as f64,
        m.ctd_mean,
        m.rtp_mean,
        m.cost_per_order,
        m.orders_per_bundle,
        violations,
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times[times.len() - 1],
    );
}
