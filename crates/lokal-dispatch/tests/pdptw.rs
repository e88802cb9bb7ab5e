//! The static routing core on two Li & Lim instances (copied into tests/data with their source):
//! the checker agrees with the published best-known routes, and the search finds feasible
//! solutions, deterministically, close to them with a small iteration budget.

use lokal_dispatch::pdptw::{Problem, Settings, Solution, check, solve};
use std::path::Path;

fn load(name: &str) -> (Problem, Solution) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/li_lim");
    let read = |f: String| std::fs::read_to_string(dir.join(f)).expect("test data");
    let p = Problem::parse(&read(format!("{name}.txt"))).expect("instance");
    let s = Solution::parse(&read(format!("{name}.sol"))).expect("route file");
    (p, s)
}

#[test]
fn the_checker_accepts_the_best_known_routes_and_measures_them_as_published() {
    for (name, vehicles, distance) in [("lc101", 10, 828.94), ("lr101", 19, 1650.80)] {
        let (p, best) = load(name);
        assert_eq!(check(&p, &best), Vec::<String>::new(), "{name}");
        assert_eq!(best.routes.len(), vehicles);
        assert!((best.distance(&p) - distance).abs() < 0.01, "{name}: {}", best.distance(&p));
        // Break it: swap a pickup after its delivery, drop a task.
        let mut swapped = best.clone();
        let r = &mut swapped.routes[0];
        let (k, _) = r.iter().enumerate().find(|(_, t)| p.tasks[**t].delivery != 0).expect("a pickup");
        let de = p.tasks[r[k]].delivery;
        let kd = r.iter().position(|&t| t == de).expect("its delivery on the same route");
        r.swap(k, kd);
        assert!(check(&p, &swapped).iter().any(|v| v.contains("before")), "{name}");
        let mut dropped = best.clone();
        dropped.routes[0].pop();
        assert!(check(&p, &dropped).iter().any(|v| v.contains("0 times")), "{name}");
    }
}

#[test]
fn the_search_is_feasible_deterministic_and_near_the_best_known() {
    for (name, vehicles, distance) in [("lc101", 10, 828.94), ("lr101", 19, 1650.80)] {
        let (p, _) = load(name);
        let budget = |n: u64| n >= 3_000;
        let a = solve(&p, &Settings::default(), &mut { budget });
        assert_eq!(check(&p, &a), Vec::<String>::new(), "{name}");
        assert_eq!(a, solve(&p, &Settings::default(), &mut { budget }), "{name}: same seed, same budget, same routes");
        // 3,000 iterations (well under a second in release): at most one vehicle over the
        // best known and within 5 % of its distance when the vehicles match.
        assert!(a.routes.len() <= vehicles + 1, "{name}: {} vehicles", a.routes.len());
        if a.routes.len() == vehicles {
            assert!(a.distance(&p) <= distance * 1.05, "{name}: {}", a.distance(&p));
        }
        let text = a.to_string();
        assert_eq!(Solution::parse(&text).expect("reads back"), a);
    }
}
