//! `lokal simulate mdrp`: the dispatcher on recorded meal-delivery days. Runs the event
//! simulation with the real policy, times every decision, checks the result with the strict
//! checker, writes the three files the official evaluator reads and a metrics summary, and for
//! a folder of instances one CSV row each.

use anyhow::Context;
use lokal_dispatch::Instance;
use lokal_dispatch::eta::{Estimator, EtaError};
use lokal_dispatch::sim::{Day, PolicyParams, Sim, decide};
use lokal_dispatch::solution::{self, Metrics, percentile};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One simulated day.
pub struct Run {
    /// The instance's folder name.
    pub name: String,
    /// What happened.
    pub day: Day,
    /// The figures.
    pub metrics: Metrics,
    /// Decision times, milliseconds, sorted.
    pub decision_ms: Vec<f64>,
    /// Rule violations found by the strict checker (empty when the day is feasible).
    pub violations: Vec<String>,
    /// The click-to-door estimates made at placement against the outcome.
    pub eta: EtaError,
    /// Decisions the simulation refused to play (with estimated ready times, a courier may be
    /// sent whose shift ends before the food turns out ready); they are not part of the day.
    pub refused: usize,
}

/// Simulates one instance with the policy.
pub fn run(dir: &Path, p: &PolicyParams) -> anyhow::Result<Run> {
    let inst = Instance::read(dir).with_context(|| format!("reading {}", dir.display()))?;
    let mut sim = Sim::for_policy(&inst, p);
    let mut decision_ms = Vec::new();
    let mut refused = Vec::new();
    let mut eta = Estimator::new(inst.orders.len(), p.known_ready, p.assumed_prep);
    while let Some(view) = sim.next_epoch() {
        eta.observe(&view, &sim.assignments);
        let t = Instant::now();
        let decisions = decide(&view, p);
        decision_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        refused.extend(sim.apply(decisions));
    }
    let day = sim.finish();
    let violations = solution::check(&inst, &day);
    decision_ms.sort_by(f64::total_cmp);
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let eta = eta.error(&inst, &day);
    Ok(Run { name, metrics: solution::metrics(&inst, &day), day, decision_ms, violations, eta, refused: refused.len() })
}

/// Writes the official evaluator's three files and `metrics.txt` into `out`.
pub fn write(dir: &Path, r: &Run, out: &Path) -> anyhow::Result<()> {
    let inst = Instance::read(dir)?;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let (a, o, c) = solution::files(&inst, &r.day);
    std::fs::write(out.join("solution_info_assignments.txt"), a)?;
    std::fs::write(out.join("solution_info_orders.txt"), o)?;
    std::fs::write(out.join("solution_info_couriers.txt"), c)?;
    std::fs::write(out.join("metrics.txt"), summary(r))?;
    Ok(())
}

/// The metrics as text.
pub fn summary(r: &Run) -> String {
    let m = &r.metrics;
    let mut s = String::new();
    let _ = writeln!(s, "instance: {}", r.name);
    let _ = writeln!(s, "feasible (strict checker): {}", if r.violations.is_empty() { "yes" } else { "NO" });
    for v in r.violations.iter().take(20) {
        let _ = writeln!(s, "  {v}");
    }
    let undelivered = 100.0 * (m.orders - m.delivered) as f64 / m.orders.max(1) as f64;
    let _ = writeln!(s, "orders delivered: {} of {} ({undelivered:.2}% undelivered)", m.delivered, m.orders);
    let _ =
        writeln!(s, "click-to-door: mean {:.2}, p90 {:.2}, overage mean {:.2}", m.ctd_mean, m.ctd_p90, m.overage_mean);
    let _ = writeln!(s, "ready-to-pickup: mean {:.2}, p90 {:.2}", m.rtp_mean, m.rtp_p90);
    let _ = writeln!(s, "courier utilisation: mean {:.3}", m.utilisation);
    let _ = writeln!(s, "cost per order: {:.2}", m.cost_per_order);
    let _ = writeln!(s, "orders per bundle: {:.3}", m.orders_per_bundle);
    let e = &r.eta;
    let _ = writeln!(
        s,
        "click-to-door estimate at placement: mean absolute error {:.2}, p90 {:.2}, bias {:+.2} over {} orders",
        e.mae, e.p90, e.bias, e.orders
    );
    let (p50, p99) = (percentile(&r.decision_ms, 0.5), percentile(&r.decision_ms, 0.99));
    let _ = writeln!(s, "decisions refused by the rules: {}", r.refused);
    let _ = writeln!(s, "decision time: p50 {p50:.3} ms, p99 {p99:.3} ms over {} decisions", r.decision_ms.len());
    s
}

/// The CSV header of `--all`.
pub const CSV_HEADER: &str = "instance,orders,delivered,pct_undelivered,ctd_mean,ctd_p90,ctd_overage_mean,rtp_mean,rtp_p90,utilization_mean,cost_per_order,orders_per_bundle,eta_mae,eta_p90,decision_p50_ms,decision_p99_ms,feasible";

/// One CSV row.
pub fn csv_row(r: &Run) -> String {
    let m = &r.metrics;
    format!(
        "{},{},{},{:.3},{:.3},{:.3},{:.3},{:.3},{:.3},{:.4},{:.3},{:.4},{:.3},{:.3},{:.4},{:.4},{}",
        r.name,
        m.orders,
        m.delivered,
        100.0 * (m.orders - m.delivered) as f64 / m.orders.max(1) as f64,
        m.ctd_mean,
        m.ctd_p90,
        m.overage_mean,
        m.rtp_mean,
        m.rtp_p90,
        m.utilisation,
        m.cost_per_order,
        m.orders_per_bundle,
        r.eta.mae,
        r.eta.p90,
        percentile(&r.decision_ms, 0.5),
        percentile(&r.decision_ms, 0.99),
        r.violations.is_empty()
    )
}

/// Runs every instance folder under `root` on `threads` threads, printing progress to stderr;
/// writes each solution under `out/<instance>/` and returns the CSV (rows in name order).
pub fn run_all(root: &Path, out: &Path, p: &PolicyParams, threads: usize) -> anyhow::Result<String> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .with_context(|| format!("reading {}", root.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|d| d.join("orders.txt").exists())
        .collect();
    dirs.sort();
    let total = dirs.len();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let rows = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..threads.max(1) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(dir) = dirs.get(i) else { break };
                    let row = run(dir, p).and_then(|r| {
                        write(dir, &r, &out.join(&r.name))?;
                        Ok(csv_row(&r))
                    });
                    let mut rows = rows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    rows.push((dir.clone(), row));
                    let done = rows.len();
                    let bar: String = (0..30).map(|k| if k * total < done * 30 { '#' } else { '.' }).collect();
                    eprintln!("[{bar}] {done:>3}/{total} {}", dir.display());
                }
            });
        }
    });
    let mut rows = rows.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let mut csv = format!("{CSV_HEADER}\n");
    for (dir, row) in rows {
        csv.push_str(&row.with_context(|| format!("simulating {}", dir.display()))?);
        csv.push('\n');
    }
    Ok(csv)
}

/// `lokal mdrp check`: reads a solution's three files (from any solver) and checks them against
/// the instance with every rule; returns the report (each violation, then the metrics if it is
/// feasible) and whether it is.
pub fn check_files(instance: &Path, solution: &Path) -> anyhow::Result<(String, bool)> {
    let inst = Instance::read(instance).with_context(|| format!("reading {}", instance.display()))?;
    let file = |name: &str| {
        let path = solution.join(name);
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
    };
    let (a, o, c) = (
        file("solution_info_assignments.txt")?,
        file("solution_info_orders.txt")?,
        file("solution_info_couriers.txt")?,
    );
    let read = solution::read_files(&inst, &a, &o, &c).map_err(|e| anyhow::anyhow!(e))?;
    let mut violations = read.violations;
    violations.extend(solution::check(&inst, &read.day));
    let mut s = String::new();
    for v in &violations {
        let _ = writeln!(s, "{v}");
    }
    if violations.is_empty() {
        let m = solution::metrics(&inst, &read.day);
        let undelivered = 100.0 * (m.orders - m.delivered) as f64 / m.orders.max(1) as f64;
        let _ = writeln!(s, "orders delivered: {} of {} ({undelivered:.2}% undelivered)", m.delivered, m.orders);
        let _ = writeln!(s, "click-to-door: mean {:.2}, p90 {:.2}", m.ctd_mean, m.ctd_p90);
        let _ = writeln!(s, "ready-to-pickup: mean {:.2}, p90 {:.2}", m.rtp_mean, m.rtp_p90);
        let _ = writeln!(s, "cost per order: {:.2}", m.cost_per_order);
        let _ = writeln!(s, "FEASIBLE (strict)");
    } else {
        let _ = writeln!(s, "INFEASIBLE: {} violations", violations.len());
    }
    Ok((s, violations.is_empty()))
}
