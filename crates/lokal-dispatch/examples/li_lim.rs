//! The static routing core on the Li & Lim pickup-and-delivery benchmark (docs/dispatch.md):
//!
//! ```sh
//! cargo run --release -p lokal-dispatch --example li_lim -- ../shared/bench/pdptw/li_lim_100 [SECONDS] [THREADS] [NAMES…]
//! ```
//!
//! Solves every instance of the folder (or the named ones) for SECONDS (10) each, THREADS (2)
//! instances at a time, checks each solution, and prints a Markdown table of vehicles / distance
//! beside the best known (`../bks.csv` next to the folder).

use lokal_dispatch::pdptw::{Problem, Settings, check, solve};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(args.first().map_or("../shared/bench/pdptw/li_lim_100", String::as_str));
    let seconds: f64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10.0);
    let threads: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2);
    let names: Vec<String> = args.iter().skip(3).cloned().collect();
    let bks: HashMap<String, (usize, f64)> = std::fs::read_to_string(dir.join("../bks.csv"))
        .unwrap_or_default()
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Some((f.first()?.to_string(), (f.get(1)?.parse().ok()?, f.get(2)?.parse().ok()?)))
        })
        .collect();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("instance folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .filter(|p| names.is_empty() || names.iter().any(|n| p.file_stem().is_some_and(|s| s == n.as_str())))
        .collect();
    files.sort();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let rows = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..threads.max(1) {
            s.spawn(|| {
                loop {
                    let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(file) = files.get(k) else { break };
                    let name = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                    let p = Problem::parse(&std::fs::read_to_string(file).expect("read")).expect("parse");
                    let started = Instant::now();
                    let limit = Duration::from_secs_f64(seconds);
                    let sol = solve(&p, &Settings::default(), &mut |_| started.elapsed() >= limit);
                    let bad = check(&p, &sol);
                    let row = (name.clone(), sol.routes.len(), sol.distance(&p), bad.len());
                    eprintln!("{name}: {} / {:.2} ({} violations)", row.1, row.2, row.3);
                    rows.lock().expect("rows").push(row);
                }
            });
        }
    });
    let mut rows = rows.into_inner().expect("rows");
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    println!(
        "| instance | best known | Lokal ({seconds} s) | vehicles over | distance gap (same vehicles) | feasible |"
    );
    println!("| --- | --- | --- | ---: | ---: | --- |");
    let (mut same, mut over, mut gap_sum, mut gap_n) = (0, 0, 0.0, 0);
    for (name, v, d, bad) in &rows {
        let (bv, bd) = bks.get(name).copied().unwrap_or((0, 0.0));
        let gap = if *v == bv && bd > 0.0 { format!("{:.2}%", 100.0 * (d - bd) / bd) } else { "—".into() };
        if *v == bv {
            same += 1;
            gap_sum += 100.0 * (d - bd) / bd;
            gap_n += 1;
        } else if *v > bv {
            over += v - bv;
        }
        println!(
            "| {name} | {bv} / {bd:.2} | {v} / {d:.2} | {} | {gap} | {} |",
            v.saturating_sub(bv),
            if *bad == 0 { "yes" } else { "NO" }
        );
    }
    println!(
        "\n{} instances: best-known vehicle count on {same}, {over} vehicles over in total; mean distance gap where vehicles match {:.2}%",
        rows.len(),
        if gap_n > 0 { gap_sum / gap_n as f64 } else { 0.0 }
    );
}
