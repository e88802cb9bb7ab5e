//! A real MDRP instance (copied into tests/data with its source) reads whole and plays by the rules.

use lokal_dispatch::Instance;
use lokal_dispatch::rules::timeline;
use std::path::Path;

#[test]
fn a_real_grubhub_day_reads_whole() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/0r50t100s1p100");
    let i = Instance::read(&dir).expect("instance");
    assert_eq!(i.orders.len(), 242);
    assert_eq!(i.params.meters_per_minute, 320);
    assert!(!i.restaurants.is_empty() && !i.couriers.is_empty());
    assert!(i.orders.iter().all(|o| o.ready >= o.placed), "food is ready after the order is placed");
    // Any order, delivered alone by the first courier from shift start, picks up no earlier than ready.
    let c = &i.couriers[0];
    for (n, o) in i.orders.iter().enumerate() {
        let t = timeline(&i, c.at, c.on, &[n]).expect("timeline");
        assert!(t.pickup >= o.ready && t.dropoffs[0] > t.pickup && t.free_at > t.dropoffs[0]);
    }
    assert!(Instance::read(&dir.join("missing")).is_err_and(|e| e.to_string().contains("instance_parameters.txt")));
}

use lokal_dispatch::sim::{Assignment, PolicyParams, Sim, decide};
use lokal_dispatch::solution::{check, files, metrics};

fn simulate(i: &Instance, p: &PolicyParams) -> Vec<Assignment> {
    let mut sim = Sim::new(i, p.epoch);
    while let Some(view) = sim.next_epoch() {
        let refused = sim.apply(decide(&view, p));
        // Knowing the ready times, the policy never proposes what the rules refuse; estimating
        // them, it may send a courier whose shift ends before the food turns out ready.
        assert!(refused.is_empty() || !p.known_ready, "the policy proposed what the rules refuse: {refused:?}");
    }
    sim.assignments
}

#[test]
fn the_dispatcher_plays_a_real_day_by_every_rule_and_deterministically() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/0r50t100s1p100");
    let i = Instance::read(&dir).expect("instance");
    let p = PolicyParams::default();
    let a = simulate(&i, &p);
    assert_eq!(check(&i, &a), Vec::<String>::new());
    let m = metrics(&i, &a);
    assert!(m.delivered as f64 >= 0.95 * m.orders as f64, "{m:?}");
    assert!(m.ctd_mean > 20.0 && m.ctd_mean < 60.0 && m.rtp_mean >= 0.0, "{m:?}");
    assert_eq!(simulate(&i, &p), a, "the same day gives the same solution");
    // With estimated ready times the decisions differ but the rules still hold.
    let est = simulate(&i, &PolicyParams { known_ready: false, ..p });
    assert_eq!(check(&i, &est), Vec::<String>::new());
    // The evaluator's files: a header and one line per assignment, per delivered order, per move.
    let (assignments, orders, couriers) = files(&i, &a);
    assert_eq!(assignments.lines().count(), a.len() + 1);
    assert_eq!(orders.lines().count(), m.delivered + 1);
    assert!(orders.lines().all(|l| !l.contains('\t') && !l.contains("  ")), "fields separated by one space");
    assert!(couriers.lines().count() > a.len());
}

#[test]
fn the_checker_catches_broken_solutions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/0r50t100s1p100");
    let i = Instance::read(&dir).expect("instance");
    let a = simulate(&i, &PolicyParams::default());
    // An order picked up before it is ready.
    let mut early = a.clone();
    early[0].timeline.pickup = i.orders[early[0].orders[0]].ready - 1;
    assert!(check(&i, &early).iter().any(|v| v.contains("before it was ready")));
    // The same order twice.
    let mut twice = a.clone();
    let again = twice[0].clone();
    twice.push(Assignment { at: again.at + 500, ..again });
    assert!(check(&i, &twice).iter().any(|v| v.contains("twice")));
    // A bundle mixing restaurants.
    let other = (0..i.orders.len())
        .find(|&o| i.orders[o].restaurant != i.orders[a[0].orders[0]].restaurant)
        .expect("another restaurant");
    let mut mixed = a.clone();
    mixed[0].orders.push(other);
    let later = mixed[0].timeline.free_at + 60;
    mixed[0].timeline.dropoffs.push(later);
    assert!(check(&i, &mixed).iter().any(|v| v.contains("another restaurant")));
    // A drop-off only one minute after arriving (the official script would let it pass).
    let mut rushed = a.clone();
    let arrival = rushed[0].timeline.dropoffs[0] - i.params.dropoff_service / 2;
    rushed[0].timeline.dropoffs[0] = arrival + 1;
    assert!(check(&i, &rushed).iter().any(|v| v.contains("half a service")));
}
