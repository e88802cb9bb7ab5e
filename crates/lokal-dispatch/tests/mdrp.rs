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

use lokal_dispatch::sim::{Assignment, Day, PolicyParams, Sim, decide};
use lokal_dispatch::solution::{check, files, metrics};

fn simulate(i: &Instance, p: &PolicyParams) -> Day {
    let mut sim = Sim::new(i, p.epoch);
    while let Some(view) = sim.next_epoch() {
        let refused = sim.apply(decide(&view, p));
        // Knowing the ready times, the policy never proposes what the rules refuse; estimating
        // them, it may send a courier whose shift ends before the food turns out ready.
        assert!(refused.is_empty() || !p.known_ready, "the policy proposed what the rules refuse: {refused:?}");
    }
    sim.finish()
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
    assert_eq!(assignments.lines().count(), a.assignments.len() + 1);
    assert_eq!(orders.lines().count(), m.delivered + 1);
    assert!(orders.lines().all(|l| !l.contains('\t') && !l.contains("  ")), "fields separated by one space");
    assert!(couriers.lines().count() > a.assignments.len() + a.repositions.len());
    // Prepositioning (off by default: measured no better yet) moves idle couriers, by the rules.
    let moved = simulate(&i, &PolicyParams { reposition: true, ..p });
    assert!(!moved.repositions.is_empty(), "idle couriers are sent towards busy restaurants");
    assert_eq!(check(&i, &moved), Vec::<String>::new());
}

#[test]
fn the_checker_catches_broken_solutions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/0r50t100s1p100");
    let i = Instance::read(&dir).expect("instance");
    let day = simulate(&i, &PolicyParams { reposition: true, ..PolicyParams::default() });
    let broken = |f: &dyn Fn(&mut Vec<Assignment>)| {
        let mut d = day.clone();
        f(&mut d.assignments);
        check(&i, &d)
    };
    // An order picked up before it is ready.
    let ready = i.orders[day.assignments[0].orders[0]].ready;
    assert!(broken(&|a| a[0].timeline.pickup = ready - 1).iter().any(|v| v.contains("before it was ready")));
    // The same order twice.
    assert!(
        broken(&|a| {
            let again = a[0].clone();
            a.push(Assignment { at: again.at + 500, ..again });
        })
        .iter()
        .any(|v| v.contains("twice"))
    );
    // A bundle mixing restaurants.
    let first = i.orders[day.assignments[0].orders[0]].restaurant;
    let other = (0..i.orders.len()).find(|&o| i.orders[o].restaurant != first).expect("another restaurant");
    assert!(
        broken(&|a| {
            let later = a[0].timeline.free_at + 60;
            a[0].orders.push(other);
            a[0].timeline.dropoffs.push(later);
        })
        .iter()
        .any(|v| v.contains("another restaurant"))
    );
    // A drop-off only one minute after arriving (the official script would let it pass).
    assert!(
        broken(&|a| {
            let arrival = a[0].timeline.dropoffs[0] - i.params.dropoff_service / 2;
            a[0].timeline.dropoffs[0] = arrival + 1;
        })
        .iter()
        .any(|v| v.contains("half a service"))
    );
    // A prepositioning move that arrives too soon.
    let mut fast = day.clone();
    if let Some(r) = fast.repositions.first_mut() {
        r.arrive -= 1;
        assert!(check(&i, &fast).iter().any(|v| v.contains("arrives at")));
    }
}
