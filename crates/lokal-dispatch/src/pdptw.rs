//! The static routing core: pickup-and-delivery with time windows and capacity (the Li & Lim
//! benchmark, PDPTW), solved by large neighbourhood search (Ropke & Pisinger's scheme: remove some
//! requests, reinsert them greedily or by regret, accept by simulated annealing; remove whole
//! routes to use fewer vehicles). Objective: vehicles first, then distance. Pure: the caller
//! says when to stop (it may read a clock; this module does not), and the same seed and budget
//! give the same solution.

use crate::synthetic::Rng;
use std::fmt;

/// A task: the depot (index 0), a pickup or a delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// Coordinates.
    pub x: f64,
    /// Coordinates.
    pub y: f64,
    /// Load change: positive at a pickup, negative at its delivery.
    pub demand: i64,
    /// Time window: service starts no earlier…
    pub early: f64,
    /// …and no later.
    pub late: f64,
    /// Service duration.
    pub service: f64,
    /// For a delivery, its pickup (0 otherwise).
    pub pickup: usize,
    /// For a pickup, its delivery (0 otherwise).
    pub delivery: usize,
}

/// An instance in the Li & Lim format.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Most vehicles (line 1).
    pub vehicles: usize,
    /// Vehicle capacity.
    pub capacity: i64,
    /// Tasks; 0 is the depot.
    pub tasks: Vec<Task>,
    dist: Vec<f64>,
}

/// Why an instance or a route file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {why}")]
pub struct ParseError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub why: String,
}

impl Problem {
    /// Reads the Li & Lim text format: `K Q S`, then `id x y demand early late service pickup
    /// delivery` per task, task 0 the depot.
    pub fn parse(text: &str) -> Result<Problem, ParseError> {
        let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
        let bad = |line: usize, why: &str| ParseError { line: line + 1, why: why.to_owned() };
        let (n, head) = lines.next().ok_or_else(|| bad(0, "empty file"))?;
        let head: Vec<f64> =
            head.split_whitespace().map(str::parse).collect::<Result<_, _>>().map_err(|_| bad(n, "not a number"))?;
        if head.len() < 2 {
            return Err(bad(n, "expected `vehicles capacity speed`"));
        }
        let mut tasks = Vec::new();
        for (n, l) in lines {
            let f: Vec<f64> =
                l.split_whitespace().map(str::parse).collect::<Result<_, _>>().map_err(|_| bad(n, "not a number"))?;
            if f.len() != 9 {
                return Err(bad(n, "expected 9 fields"));
            }
            if f[0] as usize != tasks.len() {
                return Err(bad(n, "tasks must be numbered 0, 1, 2, … in order"));
            }
            tasks.push(Task {
                x: f[1],
                y: f[2],
                demand: f[3] as i64,
                early: f[4],
                late: f[5],
                service: f[6],
                pickup: f[7] as usize,
                delivery: f[8] as usize,
            });
        }
        let count = tasks.len();
        for (i, t) in tasks.iter().enumerate().skip(1) {
            let ok = (t.delivery != 0 && t.delivery < count && tasks[t.delivery].pickup == i)
                || (t.pickup != 0 && t.pickup < count && tasks[t.pickup].delivery == i);
            if !ok {
                return Err(bad(i + 1, "a task must be a pickup or a delivery of a matching pair"));
            }
        }
        if count < 1 {
            return Err(bad(1, "no depot"));
        }
        let dist = (0..count)
            .flat_map(|a| (0..count).map(move |b| (a, b)))
            .map(|(a, b)| ((tasks[a].x - tasks[b].x).powi(2) + (tasks[a].y - tasks[b].y).powi(2)).sqrt())
            .collect();
        Ok(Problem { vehicles: head[0] as usize, capacity: head[1] as i64, tasks, dist })
    }

    /// Euclidean distance (= travel time) between two tasks.
    pub fn d(&self, a: usize, b: usize) -> f64 {
        self.dist[a * self.tasks.len() + b]
    }

    /// The pickups (one per request).
    pub fn requests(&self) -> Vec<usize> {
        (1..self.tasks.len()).filter(|&i| self.tasks[i].delivery != 0).collect()
    }
}

/// Routes: each the tasks visited between leaving and returning to the depot.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Solution {
    /// Non-empty routes.
    pub routes: Vec<Vec<usize>>,
}

impl Solution {
    /// Total distance.
    pub fn distance(&self, p: &Problem) -> f64 {
        self.routes.iter().map(|r| route_distance(p, r)).sum()
    }

    /// Reads a SINTEF route file (`Route 1 : 81 78 …`).
    pub fn parse(text: &str) -> Result<Solution, ParseError> {
        let mut routes = Vec::new();
        for (n, l) in text.lines().enumerate() {
            let Some(rest) = l.trim().strip_prefix("Route") else { continue };
            let Some((_, tasks)) = rest.split_once(':') else {
                return Err(ParseError { line: n + 1, why: "expected `Route k : tasks`".into() });
            };
            let r: Vec<usize> = tasks
                .split_whitespace()
                .map(str::parse)
                .collect::<Result<_, _>>()
                .map_err(|_| ParseError { line: n + 1, why: "not a task number".into() })?;
            if !r.is_empty() {
                routes.push(r);
            }
        }
        Ok(Solution { routes })
    }
}

impl fmt::Display for Solution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, r) in self.routes.iter().enumerate() {
            let tasks: Vec<String> = r.iter().map(usize::to_string).collect();
            writeln!(f, "Route {} : {}", k + 1, tasks.join(" "))?;
        }
        Ok(())
    }
}

fn route_distance(p: &Problem, r: &[usize]) -> f64 {
    let mut prev = 0;
    let mut sum = 0.0;
    for &t in r {
        sum += p.d(prev, t);
        prev = t;
    }
    sum + p.d(prev, 0)
}

/// Every rule broken by `s`: each task exactly once, a pickup before its delivery on the same
/// route, capacity, time windows (waiting allowed), back at the depot by its closing time, no
/// more vehicles than allowed.
pub fn check(p: &Problem, s: &Solution) -> Vec<String> {
    let mut bad = Vec::new();
    let n = p.tasks.len();
    let mut seen = vec![0usize; n];
    if s.routes.len() > p.vehicles {
        bad.push(format!("{} routes, at most {} vehicles", s.routes.len(), p.vehicles));
    }
    for (k, r) in s.routes.iter().enumerate() {
        let (mut t, mut load, mut prev) = (p.tasks[0].early, 0i64, 0usize);
        let mut on_board = std::collections::HashSet::new();
        for &task in r {
            if task == 0 || task >= n {
                bad.push(format!("route {}: task {task} is not a customer", k + 1));
                continue;
            }
            seen[task] += 1;
            let x = &p.tasks[task];
            t = (t + p.tasks[prev].service + p.d(prev, task)).max(x.early);
            if t > x.late + 1e-9 {
                bad.push(format!("route {}: task {task} starts at {t:.2}, after {}", k + 1, x.late));
            }
            load += x.demand;
            if load > p.capacity {
                bad.push(format!("route {}: load {load} over capacity at task {task}", k + 1));
            }
            if x.delivery != 0 {
                on_board.insert(task);
            } else if !on_board.remove(&x.pickup) {
                bad.push(format!("route {}: task {task} delivered before (or without) its pickup {}", k + 1, x.pickup));
            }
            prev = task;
        }
        let back = t + p.tasks[prev].service + p.d(prev, 0);
        if back > p.tasks[0].late + 1e-9 {
            bad.push(format!("route {}: back at the depot at {back:.2}, after {}", k + 1, p.tasks[0].late));
        }
    }
    for (task, &c) in seen.iter().enumerate().skip(1) {
        if c != 1 {
            bad.push(format!("task {task} visited {c} times"));
        }
    }
    bad
}

/// A route with its schedule: `start[k]` the service start at position `k` of
/// `[depot, tasks…, depot]`, `latest[k]` the latest start there that keeps the rest feasible,
/// `load[k]` the load on leaving it.
#[derive(Debug, Clone)]
struct Route {
    tasks: Vec<usize>,
    start: Vec<f64>,
    latest: Vec<f64>,
    load: Vec<i64>,
    distance: f64,
}

impl Route {
    fn new(p: &Problem, tasks: Vec<usize>) -> Route {
        let mut r = Route { tasks, start: Vec::new(), latest: Vec::new(), load: Vec::new(), distance: 0.0 };
        r.update(p);
        r
    }

    fn node(&self, k: usize) -> usize {
        if k == 0 || k > self.tasks.len() { 0 } else { self.tasks[k - 1] }
    }

    fn update(&mut self, p: &Problem) {
        let len = self.tasks.len() + 2;
        self.start = vec![p.tasks[0].early; len];
        self.load = vec![0; len];
        for k in 1..len {
            let (prev, node) = (self.node(k - 1), self.node(k));
            self.start[k] = (self.start[k - 1] + p.tasks[prev].service + p.d(prev, node)).max(p.tasks[node].early);
            self.load[k] = self.load[k - 1] + if k < len - 1 { p.tasks[node].demand } else { 0 };
        }
        self.latest = vec![p.tasks[0].late; len];
        for k in (0..len - 1).rev() {
            let (node, next) = (self.node(k), self.node(k + 1));
            let late = if k == 0 { p.tasks[0].late } else { p.tasks[node].late };
            self.latest[k] = late.min(self.latest[k + 1] - p.tasks[node].service - p.d(node, next));
        }
        self.distance = route_distance(p, &self.tasks);
    }

    fn feasible(&self) -> bool {
        self.start.iter().zip(&self.latest).all(|(s, l)| *s <= *l + 1e-9)
    }

    /// The cheapest feasible insertion of request `(pu, de)`: (added distance, pickup position,
    /// delivery position), positions in `tasks` after inserting the pickup.
    fn best_insertion(&self, p: &Problem, pu: usize, de: usize) -> Option<(f64, usize, usize)> {
        let (tp, td) = (&p.tasks[pu], &p.tasks[de]);
        let len = self.tasks.len();
        let mut best: Option<(f64, usize, usize)> = None;
        // The pickup goes between positions i-1 and i of [depot, tasks…, depot].
        for i in 1..=len + 1 {
            let prev = self.node(i - 1);
            if self.load[i - 1] + tp.demand > p.capacity {
                continue;
            }
            let t_p = (self.start[i - 1] + p.tasks[prev].service + p.d(prev, pu)).max(tp.early);
            if t_p > tp.late {
                // Later positions only start later.
                if self.start[i - 1] > tp.late {
                    break;
                }
                continue;
            }
            // Walk forward with the pickup on board; `last` is the task just visited.
            let (mut last, mut t_last) = (pu, t_p);
            for j in i..=len + 1 {
                let next = self.node(j);
                // The delivery right after `last`, before position j.
                let t_d = (t_last + p.tasks[last].service + p.d(last, de)).max(td.early);
                if t_d <= td.late {
                    let t_next = (t_d + td.service + p.d(de, next)).max(p.tasks[next].early);
                    if t_next <= self.latest[j] + 1e-9 {
                        let (pickup_part, cut) = if j == i {
                            (p.d(prev, pu), p.d(prev, next))
                        } else {
                            let first = self.node(i);
                            (p.d(prev, pu) + p.d(pu, first) - p.d(prev, first), p.d(last, next))
                        };
                        let added = pickup_part + p.d(last, de) + p.d(de, next) - cut;
                        if best.is_none_or(|b| added < b.0 - 1e-9) {
                            best = Some((added, i - 1, j));
                        }
                    }
                }
                if j == len + 1 {
                    break;
                }
                // Visit the route's task at j with the pickup on board.
                if self.load[j] + tp.demand > p.capacity {
                    break;
                }
                let t_j = (t_last + p.tasks[last].service + p.d(last, next)).max(p.tasks[next].early);
                if t_j > self.latest[j] + 1e-9 {
                    break;
                }
                last = next;
                t_last = t_j;
            }
        }
        best
    }
}

/// `tasks` with the pickup inserted at index `i` and then the delivery at index `j`.
fn insert(tasks: &[usize], pu: usize, de: usize, i: usize, j: usize) -> Vec<usize> {
    let mut r = tasks.to_vec();
    r.insert(i, pu);
    r.insert(j, de);
    r
}

/// Search settings.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Random seed.
    pub seed: u64,
    /// Weight of one vehicle against distance.
    pub vehicle_cost: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { seed: 1, vehicle_cost: 10_000.0 }
    }
}

struct State {
    routes: Vec<Route>,
}

impl State {
    fn cost(&self, s: &Settings) -> f64 {
        self.routes.iter().filter(|r| !r.tasks.is_empty()).map(|r| r.distance + s.vehicle_cost).sum()
    }

    fn solution(&self) -> Solution {
        Solution { routes: self.routes.iter().filter(|r| !r.tasks.is_empty()).map(|r| r.tasks.clone()).collect() }
    }

    fn remove(&mut self, p: &Problem, pickups: &[usize]) {
        for r in &mut self.routes {
            let before = r.tasks.len();
            r.tasks.retain(|&t| {
                let pu = if p.tasks[t].delivery != 0 { t } else { p.tasks[t].pickup };
                !pickups.contains(&pu)
            });
            if r.tasks.len() != before {
                r.update(p);
            }
        }
        self.routes.retain(|r| !r.tasks.is_empty());
    }

    /// Inserts `pending` (pickups) by regret-`k` (1 = greedy), opening new routes when needed
    /// and allowed. Returns false if some could not be placed.
    fn repair(
        &mut self,
        p: &Problem,
        s: &Settings,
        pending: &mut Vec<usize>,
        k: usize,
        rng: &mut Rng,
        noise: f64,
    ) -> bool {
        while !pending.is_empty() {
            let mut pick: Option<(f64, usize, usize, usize, usize)> = None; // (key, idx, route, i, j)
            let mut any = false;
            for (idx, &pu) in pending.iter().enumerate() {
                let de = p.tasks[pu].delivery;
                let mut options: Vec<(f64, usize, usize, usize)> = Vec::new();
                for (ri, r) in self.routes.iter().enumerate() {
                    if let Some((add, i, j)) = r.best_insertion(p, pu, de) {
                        let jitter = if noise > 0.0 {
                            1.0 + noise * ((rng.next_u64() % 1000) as f64 / 1000.0 - 0.5)
                        } else {
                            1.0
                        };
                        options.push((add * jitter, ri, i, j));
                    }
                }
                if self.routes.len() < p.vehicles {
                    let alone = p.d(0, pu) + p.d(pu, de) + p.d(de, 0) + s.vehicle_cost;
                    let r = Route::new(p, vec![pu, de]);
                    if r.feasible() {
                        options.push((alone, usize::MAX, 0, 1));
                    }
                }
                if options.is_empty() {
                    continue;
                }
                any = true;
                options.sort_by(|a, b| a.0.total_cmp(&b.0));
                let best = options[0];
                let key = if k <= 1 {
                    best.0
                } else {
                    let regret: f64 = (1..k).map(|m| options.get(m).map_or(1e9, |o| o.0) - best.0).sum();
                    -regret
                };
                if pick.is_none_or(|b| key < b.0) {
                    pick = Some((key, idx, best.1, best.2, best.3));
                }
            }
            if !any {
                return false;
            }
            let Some((_, idx, ri, i, j)) = pick else { return false };
            let pu = pending.remove(idx);
            let de = p.tasks[pu].delivery;
            if ri == usize::MAX {
                self.routes.push(Route::new(p, vec![pu, de]));
            } else {
                let r = &mut self.routes[ri];
                r.tasks = insert(&r.tasks, pu, de, i, j);
                r.update(p);
            }
        }
        true
    }
}

/// Solves `p` until `stop()` says so (it is asked every few iterations); the best solution found.
pub fn solve(p: &Problem, settings: &Settings, stop: &mut dyn FnMut(u64) -> bool) -> Solution {
    let mut rng = Rng::new(settings.seed);
    let requests = p.requests();
    let mut state = State { routes: Vec::new() };
    let mut pending = requests.clone();
    // Hardest first: the tightest pickup windows.
    pending.sort_by(|&a, &b| (p.tasks[a].late - p.tasks[a].early).total_cmp(&(p.tasks[b].late - p.tasks[b].early)));
    if !state.repair(p, settings, &mut pending, 1, &mut rng, 0.0) {
        // More requests than vehicles can carry: serve what fits.
        return state.solution();
    }
    let mut best = State { routes: state.routes.clone() };
    let mut best_cost = best.cost(settings);
    let mut current_cost = best_cost;
    let n = requests.len();
    // Simulated annealing: start accepting a 5 % worse solution half the time, cool to nearly
    // nothing over about 25,000 iterations, then reheat.
    let start_temp =
        0.05 * (current_cost - settings.vehicle_cost * state.routes.len() as f64).max(1.0) / std::f64::consts::LN_2;
    let mut temp = start_temp;
    let mut iteration: u64 = 0;
    loop {
        iteration += 1;
        if iteration.is_multiple_of(16) && stop(iteration) {
            break;
        }
        let mut trial = State { routes: state.routes.clone() };
        let q = (4 + rng.next_u64() as usize % (n / 4).clamp(1, 40)).min(n);
        let removed: Vec<usize> = match rng.next_u64() % 4 {
            // A whole short route (fewer vehicles).
            0 if trial.routes.len() > 1 => {
                let shortest = (0..trial.routes.len())
                    .min_by_key(|&k| (trial.routes[k].tasks.len(), rng.next_u64() % 3))
                    .unwrap_or(0);
                trial.routes[shortest].tasks.iter().copied().filter(|&t| p.tasks[t].delivery != 0).collect()
            }
            // Related: close in space and time to a random request.
            1 => {
                let seed = requests[rng.next_u64() as usize % n];
                let mut by: Vec<(f64, usize)> = requests
                    .iter()
                    .map(|&r| {
                        let (a, b) = (&p.tasks[seed], &p.tasks[r]);
                        (p.d(seed, r) + p.d(a.delivery, b.delivery) + (a.early - b.early).abs() * 0.2, r)
                    })
                    .collect();
                by.sort_by(|a, b| a.0.total_cmp(&b.0));
                by.iter().take(q).map(|x| x.1).collect()
            }
            // Worst: the requests whose removal saves most distance.
            2 => {
                let mut by: Vec<(f64, usize)> = Vec::new();
                for r in &trial.routes {
                    for &t in r.tasks.iter().filter(|&&t| p.tasks[t].delivery != 0) {
                        let without: Vec<usize> =
                            r.tasks.iter().copied().filter(|&x| x != t && x != p.tasks[t].delivery).collect();
                        let saved = r.distance - route_distance(p, &without);
                        let jitter = 1.0 + (rng.next_u64() % 100) as f64 / 200.0;
                        by.push((-saved * jitter, t));
                    }
                }
                by.sort_by(|a, b| a.0.total_cmp(&b.0));
                by.iter().take(q).map(|x| x.1).collect()
            }
            // Random.
            _ => {
                let mut pool = requests.clone();
                (0..q).map(|_| pool.swap_remove(rng.next_u64() as usize % pool.len())).collect()
            }
        };
        trial.remove(p, &removed);
        let mut pending = removed;
        // Shuffle, then regret-2 or greedy with noise.
        for k in (1..pending.len()).rev() {
            pending.swap(k, rng.next_u64() as usize % (k + 1));
        }
        let regret = if rng.next_u64().is_multiple_of(2) { 2 } else { 1 };
        let noise = if rng.next_u64().is_multiple_of(3) { 0.2 } else { 0.0 };
        if !trial.repair(p, settings, &mut pending, regret, &mut rng, noise) {
            continue;
        }
        let cost = trial.cost(settings);
        let accept = cost < current_cost - 1e-9 || {
            let u = (rng.next_u64() % 1_000_000) as f64 / 1_000_000.0;
            temp > 1e-9 && u < (-(cost - current_cost) / temp).exp()
        };
        if accept {
            state = trial;
            current_cost = cost;
            if cost < best_cost - 1e-9 {
                best_cost = cost;
                best = State { routes: state.routes.clone() };
            }
        }
        temp *= 0.9998;
        if temp < start_temp * 1e-3 {
            temp = start_temp;
            state = State { routes: best.routes.clone() };
            current_cost = best_cost;
        }
    }
    best.solution()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: &str = "2\t10\t1\n0\t0\t0\t0\t0\t1000\t0\t0\t0\n1\t10\t0\t5\t0\t100\t1\t0\t2\n2\t20\t0\t-5\t0\t100\t1\t1\t0\n3\t0\t10\t7\t0\t100\t1\t0\t4\n4\t0\t20\t-7\t0\t100\t1\t3\t0\n";

    #[test]
    fn insertion_matches_a_recomputation_and_respects_every_rule() {
        let p = Problem::parse(TINY).expect("instance");
        let r = Route::new(&p, vec![1, 2]);
        let (added, i, j) = r.best_insertion(&p, 3, 4).expect("room");
        let with = insert(&r.tasks, 3, 4, i, j);
        assert!((route_distance(&p, &with) - r.distance - added).abs() < 1e-9, "{with:?} {added}");
        assert!(check(&p, &Solution { routes: vec![with] }).is_empty());
        // Capacity 10: both requests (5 + 7) cannot be on board at once.
        assert!(!check(&p, &Solution { routes: vec![vec![1, 3, 2, 4]] }).is_empty());
        // A delivery before its pickup, a task twice, a late start are each reported.
        assert!(check(&p, &Solution { routes: vec![vec![2, 1], vec![3, 4]] }).iter().any(|v| v.contains("before")));
        assert!(
            check(&p, &Solution { routes: vec![vec![1, 2, 1, 2], vec![3, 4]] }).iter().any(|v| v.contains("2 times"))
        );
        let tight = TINY.replace("1\t10\t0\t5\t0\t100", "1\t10\t0\t5\t0\t5");
        let p2 = Problem::parse(&tight).expect("instance");
        assert!(check(&p2, &Solution { routes: vec![vec![3, 4, 1, 2]] }).iter().any(|v| v.contains("starts at")));
    }

    #[test]
    fn bad_files_are_errors_with_a_line() {
        assert_eq!(Problem::parse("").map_err(|e| e.line), Err(1));
        assert!(Problem::parse("2 10 1\n0 0 0 0 0 100 0 0 0\n1 1 1 5 0 10 1 0 9\n").is_err_and(|e| e.line == 3));
        assert!(Problem::parse("2 10 1\n0 0 0 x 0 100 0 0 0\n").is_err_and(|e| e.why.contains("number")));
    }
}
