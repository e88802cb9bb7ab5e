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
    let mut sim = Sim::for_policy(i, p);
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

#[test]
fn estimating_ready_times_uses_none_before_it_passes() {
    // At moments of a real day: another world where every order not yet ready has an earlier
    // ready time (still to come) and every order not yet placed another place, time and restaurant; the decisions made
    // so far replayed in it; then one decision in each world. With ready times hidden the two
    // decisions cannot differ (nothing they may see changed, including couriers finishing soon);
    // with the given ready times they do somewhere — so the test can tell a leak.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/0r50t100s1p100");
    let i = Instance::read(&dir).expect("instance");
    let differs = |p: &PolicyParams| {
        let mut sim = Sim::for_policy(&i, p);
        let mut history: Vec<(Vec<lokal_dispatch::sim::Decision>, Vec<lokal_dispatch::sim::Refused>)> = Vec::new();
        let (mut compared, mut differ) = (0, 0);
        while let Some(view) = sim.next_epoch() {
            let mine = decide(&view, p);
            if history.len() % 7 == 3 {
                let now = view.now;
                let mut other = i.clone();
                let restaurants = other.restaurants.len();
                for (k, o) in other.orders.iter_mut().enumerate() {
                    if o.placed > now {
                        o.placed += (k % 5) as i64;
                        o.restaurant = (o.restaurant + k) % restaurants;
                        o.at.x += 400;
                        o.ready = o.placed + 2 + (k % 13) as i64;
                    } else if o.ready > now {
                        // Earlier, not later: a later ready time could push a courier's pickup
                        // past its shift in the other world — a different truth, not a leak.
                        o.ready = (o.ready - 3 - (k % 9) as i64).max(now + 1);
                    }
                }
                let mut replay = Sim::for_policy(&other, p);
                let mut theirs = Vec::new();
                // Worlds whose truth the platform has seen differ (a courier who waited in vain
                // in one and not the other) are not compared.
                let mut same_truth = true;
                for (past, refused) in &history {
                    let Some(_) = replay.next_epoch() else { break };
                    same_truth &= replay.apply(past.clone()) == *refused;
                }
                if !same_truth {
                    history.push((mine.clone(), sim.apply(mine)));
                    continue;
                }
                if let Some(v) = replay.next_epoch() {
                    assert_eq!(v.now, now);
                    theirs = decide(&v, p);
                    // What the policy may see is the same too (couriers finishing soon included).
                    differ += usize::from(
                        (&v.open, &v.idle, &v.soon, &v.places) != (&view.open, &view.idle, &view.soon, &view.places),
                    );
                }
                compared += 1;
                differ += usize::from(theirs != mine);
            }
            history.push((mine.clone(), sim.apply(mine)));
        }
        assert!(compared > 50, "enough moments compared: {compared}");
        differ
    };
    let hidden = PolicyParams { known_ready: false, ..PolicyParams::default() };
    assert_eq!(differs(&hidden), 0, "an unrevealed ready time or an unplaced order changed a decision");
    assert!(differs(&PolicyParams::default()) > 0, "the given ready times are used");
}

#[test]
fn solution_files_read_back_and_tampering_shows() {
    use lokal_dispatch::solution::read_files;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/0r50t100s1p100");
    let i = Instance::read(&dir).expect("instance");
    let day = simulate(&i, &PolicyParams { reposition: true, ..PolicyParams::default() });
    assert!(!day.repositions.is_empty());
    let (a, o, c) = files(&i, &day);
    let read = read_files(&i, &a, &o, &c).expect("readable");
    assert_eq!(read.violations, Vec::<String>::new());
    assert_eq!(read.day.assignments, day.assignments, "the files hold the whole day");
    assert_eq!(read.day.repositions.len(), day.repositions.len());
    assert_eq!(check(&i, &read.day), Vec::<String>::new());
    // Tampered files: each is caught, by the reader or by the checker.
    let caught = |a: &str, o: &str, c: &str| match read_files(&i, a, o, c) {
        Err(_) => true,
        Ok(r) => !r.violations.is_empty() || !check(&i, &r.day).is_empty(),
    };
    let second = |text: &str, f: &dyn Fn(&str) -> String| {
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        lines[2] = f(&lines[2]);
        lines.join("\n")
    };
    // The orders file names another courier for an order.
    let other = &i
        .couriers
        .iter()
        .find(|x| !o.lines().nth(2).unwrap_or("").ends_with(&format!(" {}", x.id)))
        .expect("another courier")
        .id;
    assert!(caught(&a, &second(&o, &|l| format!("{} {other}", l.rsplit_once(' ').expect("fields").0)), &c));
    // A pickup before the food is ready, written consistently in all three files: the reader
    // finds nothing to compare, the checker refuses it.
    let mut early = day.clone();
    let first = &mut early.assignments[0];
    first.timeline.pickup = i.orders[first.orders[0]].ready - 1;
    let (ea, eo, ec) = files(&i, &early);
    let read = read_files(&i, &ea, &eo, &ec).expect("readable");
    assert_eq!(read.violations, Vec::<String>::new());
    assert!(check(&i, &read.day).iter().any(|v| v.contains("before it was ready")));
    // A pickup a minute earlier in the assignments file only: the files disagree.
    let earlier = |l: &str| {
        let mut f: Vec<String> = l.split(' ').map(str::to_owned).collect();
        f[1] = (f[1].parse::<i64>().expect("minutes") - 1).to_string();
        f.join(" ")
    };
    assert!(caught(&second(&a, &earlier), &o, &c));
    // Without headers, and with minutes written as decimals, the files read the same.
    let bare = |t: &str| t.lines().skip(1).collect::<Vec<_>>().join("\n");
    let decimals = o
        .lines()
        .map(|l| {
            l.split(' ')
                .map(|f| if f.parse::<i64>().is_ok() { format!("{f}.0") } else { f.to_owned() })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let again = read_files(&i, &bare(&a), &decimals, &bare(&c)).expect("readable");
    assert_eq!((again.violations, again.day.assignments), (Vec::<String>::new(), day.assignments.clone()));
    // An assignment without orders, or a time beyond any day, is an error, not a panic.
    let empty = second(&a, &|l| l.split(' ').take(3).collect::<Vec<_>>().join(" "));
    assert!(read_files(&i, &empty, &o, &c).is_err_and(|e| e.contains("without orders")));
    let huge = second(&a, &|l| format!("9223372036854775807 {}", l.split_once(' ').expect("fields").1));
    assert!(read_files(&i, &huge, &o, &c).is_err_and(|e| e.contains("whole number")));
    // A courier's moves split in two blocks.
    let mut moves: Vec<&str> = c.lines().collect();
    let last = moves.pop().expect("moves");
    moves.insert(1, last);
    assert!(caught(&a, &o, &moves.join("\n")));
    // An unknown order is an error naming the line.
    let unknown = second(&a, &|l| format!("{} nope", l.rsplit_once(' ').expect("fields").0));
    let err = read_files(&i, &unknown, &o, &c).map(|r| r.violations).expect_err("an unknown id");
    assert!(err.contains("assignments file line 3") && err.contains("nope"), "{err}");
}

#[test]
fn estimates_at_placement_beat_a_constant_and_synthetic_days_scale() {
    use lokal_dispatch::eta::Estimator;
    use lokal_dispatch::synthetic::scale;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/0r50t100s1p100");
    let i = Instance::read(&dir).expect("instance");
    for known_ready in [true, false] {
        let p = PolicyParams { known_ready, ..PolicyParams::default() };
        let mut sim = Sim::for_policy(&i, &p);
        let mut eta = Estimator::new(i.orders.len(), p.known_ready, p.assumed_prep);
        while let Some(view) = sim.next_epoch() {
            eta.observe(&view, &sim.assignments);
            sim.apply(decide(&view, &p));
        }
        let day = sim.finish();
        let e = eta.error(&i, &day);
        let m = metrics(&i, &day);
        assert_eq!(e.orders, m.delivered, "every delivered order had an estimate at placement");
        // A constant guess, even the best one in hindsight (the day's median), is further off.
        let mut ctd: Vec<f64> = day
            .assignments
            .iter()
            .flat_map(|a| a.orders.iter().zip(&a.timeline.dropoffs).map(|(&o, &d)| (d - i.orders[o].placed) as f64))
            .collect();
        ctd.sort_by(f64::total_cmp);
        let median = ctd[ctd.len() / 2];
        let constant = ctd.iter().map(|c| (c - median).abs()).sum::<f64>() / ctd.len() as f64;
        assert!(e.mae < constant, "known_ready {known_ready}: {e:?} against a constant's {constant:.2}");
    }
    // A larger day drawn from the real one: the sizes asked, unique ids, the same day for the
    // same seed, and the dispatcher plays it by every rule.
    let big = scale(&i, 1500, 200, 3);
    assert_eq!((big.orders.len(), big.couriers.len()), (1500, 200));
    let ids: std::collections::HashSet<&str> = big.orders.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids.len(), 1500);
    assert!(big.orders.iter().all(|o| o.ready >= o.placed));
    assert_eq!(scale(&i, 1500, 200, 3), big);
    assert_ne!(scale(&i, 1500, 200, 4), big);
    let day = simulate(&big, &PolicyParams::default());
    assert_eq!(check(&big, &day), Vec::<String>::new());
    assert!(metrics(&big, &day).delivered > 1000);
}
