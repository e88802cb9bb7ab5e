//! A simulated day as the official evaluator reads it (the three `solution_info_*.txt` files),
//! a strict checker of every rule of the model — including those the official script skips —
//! and the metrics the papers report.

use crate::instance::{Instance, Point};
use crate::rules::travel_min;
use crate::sim::{Assignment, Day, Place};
use std::fmt::Write as _;

/// One courier movement: `courier departure origin destination`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// The courier (index).
    pub courier: usize,
    /// Departure, minutes.
    pub departure: i64,
    /// From (start, a restaurant or a diner).
    pub origin: Stop,
    /// To.
    pub destination: Stop,
}

/// A place a movement starts or ends at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The courier's start location.
    Start,
    /// A restaurant (index).
    Restaurant(usize),
    /// An order's diner (index).
    Diner(usize),
}

fn stop_of(p: Place) -> Stop {
    match p {
        Place::Start => Stop::Start,
        Place::Diner(o) => Stop::Diner(o),
        Place::Restaurant(r) => Stop::Restaurant(r),
    }
}

/// The movements of every courier, grouped by courier and in execution order: for a job, to the
/// restaurant and then to each diner; for a prepositioning move, to its restaurant.
pub fn moves(inst: &Instance, day: &Day) -> Vec<Move> {
    let half = inst.params.pickup_service / 2;
    /// One thing a courier did: a job or a prepositioning move.
    enum Job<'a> {
        Assign(&'a Assignment),
        Move(&'a crate::sim::Reposition),
    }
    let at = |j: &Job| match j {
        Job::Assign(a) => a.at,
        Job::Move(r) => r.at,
    };
    let mut by_courier: Vec<Vec<Job>> = (0..inst.couriers.len()).map(|_| Vec::new()).collect();
    for a in &day.assignments {
        by_courier[a.courier].push(Job::Assign(a));
    }
    for r in &day.repositions {
        by_courier[r.courier].push(Job::Move(r));
    }
    let mut out = Vec::new();
    for (c, list) in by_courier.iter_mut().enumerate() {
        list.sort_by_key(|j| at(j));
        for job in list.iter() {
            let a = match job {
                Job::Move(r) => {
                    let to = Stop::Restaurant(r.restaurant);
                    out.push(Move { courier: c, departure: r.at, origin: stop_of(r.from), destination: to });
                    continue;
                }
                Job::Assign(a) => a,
            };
            let r = inst.orders[a.orders[0]].restaurant;
            out.push(Move { courier: c, departure: a.at, origin: stop_of(a.from), destination: Stop::Restaurant(r) });
            let mut here = Stop::Restaurant(r);
            let mut leave = a.timeline.pickup + (inst.params.pickup_service - half);
            for (k, &o) in a.orders.iter().enumerate() {
                out.push(Move { courier: c, departure: leave, origin: here, destination: Stop::Diner(o) });
                here = Stop::Diner(o);
                leave = a.timeline.dropoffs[k] + (inst.params.dropoff_service - inst.params.dropoff_service / 2);
            }
        }
    }
    out
}

fn stop_id(inst: &Instance, s: Stop) -> &str {
    match s {
        Stop::Start => "0",
        Stop::Restaurant(r) => &inst.restaurants[r].id,
        Stop::Diner(o) => &inst.orders[o].id,
    }
}

/// The three files' contents: (assignments, orders, couriers).
pub fn files(inst: &Instance, day: &Day) -> (String, String, String) {
    let assignments = &day.assignments;
    let mut a = String::from("assignment_time pickup_time courier orders\n");
    let mut o = String::from("order placement_time ready_time pickup_time dropoff_time courier\n");
    for x in assignments {
        let ids: Vec<&str> = x.orders.iter().map(|&i| inst.orders[i].id.as_str()).collect();
        let _ = writeln!(a, "{} {} {} {}", x.at, x.timeline.pickup, inst.couriers[x.courier].id, ids.join(" "));
        for (k, &i) in x.orders.iter().enumerate() {
            let ord = &inst.orders[i];
            let c = &inst.couriers[x.courier].id;
            let _ = writeln!(
                o,
                "{} {} {} {} {} {c}",
                ord.id, ord.placed, ord.ready, x.timeline.pickup, x.timeline.dropoffs[k]
            );
        }
    }
    let mut c = String::from("courier departure_time origin destination\n");
    for m in moves(inst, day) {
        let (from, to) = (stop_id(inst, m.origin), stop_id(inst, m.destination));
        let _ = writeln!(c, "{} {} {from} {to}", inst.couriers[m.courier].id, m.departure);
    }
    (a, o, c)
}

fn point(inst: &Instance, courier: usize, s: Stop) -> Point {
    match s {
        Stop::Start => inst.couriers[courier].at,
        Stop::Restaurant(r) => inst.restaurants[r].at,
        Stop::Diner(o) => inst.orders[o].at,
    }
}

/// Checks every rule of the model on a set of assignments; returns each violation found.
/// Beyond the official script: one restaurant per bundle, the full half-service times at every
/// stop, the courier idle (and on shift) when assigned, no courier in two places at once.
pub fn check(inst: &Instance, day: &Day) -> Vec<String> {
    let assignments = &day.assignments;
    let p = &inst.params;
    let (hp, hd) = (p.pickup_service / 2, p.dropoff_service / 2);
    let mut bad = Vec::new();
    let mut seen = vec![false; inst.orders.len()];
    let mut busy_until: Vec<(i64, Stop)> = inst.couriers.iter().map(|c| (c.on, Stop::Start)).collect();
    // Every courier's jobs and prepositioning moves in time order.
    let mut events: Vec<(usize, i64, Option<&Assignment>, Option<&crate::sim::Reposition>)> =
        assignments.iter().map(|a| (a.courier, a.at, Some(a), None)).collect();
    events.extend(day.repositions.iter().map(|r| (r.courier, r.at, None, Some(r))));
    events.sort_by_key(|e| (e.0, e.1));
    for (courier, at, job, reposition) in events {
        let c = &inst.couriers[courier];
        let (free, place) = busy_until[courier];
        if at < free || at < c.on || at >= c.off {
            bad.push(format!("move of {} at {at}: the courier is busy or off shift", c.id));
        }
        if let Some(r) = reposition {
            if stop_of(r.from) != place {
                bad.push(format!("move of {} at {at}: the courier is not where the move starts", c.id));
            }
            let to = inst.restaurants[r.restaurant].at;
            let arrive = at + travel_min(point(inst, courier, place), to, p.meters_per_minute);
            if r.arrive != arrive {
                bad.push(format!("move of {} at {at}: arrives at {} instead of {arrive}", c.id, r.arrive));
            }
            busy_until[courier] = (arrive, Stop::Restaurant(r.restaurant));
            continue;
        }
        let Some(a) = job else { continue };
        let name = format!("assignment of {} at {}", c.id, a.at);
        let Some(&first) = a.orders.first() else {
            bad.push(format!("{name}: no orders"));
            continue;
        };
        let r = inst.orders[first].restaurant;
        for &o in &a.orders {
            let ord = &inst.orders[o];
            if std::mem::replace(&mut seen[o], true) {
                bad.push(format!("{name}: order {} delivered twice", ord.id));
            }
            if ord.restaurant != r {
                bad.push(format!("{name}: order {} is from another restaurant", ord.id));
            }
            if ord.placed > a.at {
                bad.push(format!("{name}: order {} assigned before it was placed", ord.id));
            }
            if a.timeline.pickup < ord.ready {
                bad.push(format!("{name}: order {} picked up before it was ready", ord.id));
            }
        }
        if stop_of(a.from) != place {
            bad.push(format!("{name}: the courier is not where the assignment starts"));
        }
        let from = point(inst, courier, place);
        let arrive = a.at + travel_min(from, inst.restaurants[r].at, p.meters_per_minute);
        if a.timeline.pickup < arrive + hp {
            bad.push(format!("{name}: pickup less than half a service after arriving"));
        }
        if a.timeline.pickup > c.off {
            bad.push(format!("{name}: pickup after the shift ends"));
        }
        let mut here = inst.restaurants[r].at;
        let mut t = a.timeline.pickup + (p.pickup_service - hp);
        for (k, &o) in a.orders.iter().enumerate() {
            let arrival = t + travel_min(here, inst.orders[o].at, p.meters_per_minute);
            let d = a.timeline.dropoffs.get(k).copied().unwrap_or(i64::MIN);
            if d < arrival + hd {
                bad.push(format!("{name}: drop-off of {} less than half a service after arriving", inst.orders[o].id));
            }
            t = d + (p.dropoff_service - hd);
            here = inst.orders[o].at;
        }
        let last = *a.orders.last().unwrap_or(&first);
        busy_until[courier] = (t, Stop::Diner(last));
    }
    bad
}

/// The figures the papers report for one simulated day.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    /// Orders placed.
    pub orders: usize,
    /// Orders delivered.
    pub delivered: usize,
    /// Click-to-door mean and 90th percentile, minutes.
    pub ctd_mean: f64,
    /// 90th percentile.
    pub ctd_p90: f64,
    /// Mean minutes over the 40-minute target.
    pub overage_mean: f64,
    /// Ready-to-pickup mean, minutes.
    pub rtp_mean: f64,
    /// 90th percentile.
    pub rtp_p90: f64,
    /// Mean courier utilisation.
    pub utilisation: f64,
    /// Total courier pay / delivered orders.
    pub cost_per_order: f64,
    /// Orders per pickup.
    pub orders_per_bundle: f64,
}

/// Percentile with linear interpolation (what the official script's pandas `describe` prints).
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let pos = (sorted.len() - 1) as f64 * q;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() { 0.0 } else { v.iter().sum::<f64>() / v.len() as f64 }
}

/// The day's metrics, computed as the official evaluator does.
pub fn metrics(inst: &Instance, day: &Day) -> Metrics {
    let assignments = &day.assignments;
    let p = &inst.params;
    let mut ctd = Vec::new();
    let mut rtp = Vec::new();
    let mut per_courier = vec![0i64; inst.couriers.len()];
    for a in assignments {
        for (k, &o) in a.orders.iter().enumerate() {
            ctd.push((a.timeline.dropoffs[k] - inst.orders[o].placed) as f64);
            rtp.push((a.timeline.pickup - inst.orders[o].ready) as f64);
            per_courier[a.courier] += 1;
        }
    }
    let overage: Vec<f64> = ctd.iter().map(|c| (c - p.target_click_to_door as f64).max(0.0)).collect();
    let mut work = vec![0i64; inst.couriers.len()];
    for m in moves(inst, day) {
        let (a, b) = (point(inst, m.courier, m.origin), point(inst, m.courier, m.destination));
        work[m.courier] += travel_min(a, b, p.meters_per_minute);
    }
    for a in assignments {
        work[a.courier] += p.pickup_service + p.dropoff_service * a.orders.len() as i64;
    }
    let utilisation: Vec<f64> =
        inst.couriers.iter().enumerate().map(|(i, c)| work[i] as f64 / (c.off - c.on).max(1) as f64).collect();
    let pay: f64 = inst
        .couriers
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let per_order = (p.pay_per_order * per_courier[i]) as f64;
            per_order.max(p.guaranteed_pay_per_hour as f64 * (c.off - c.on) as f64 / 60.0)
        })
        .sum();
    let delivered = ctd.len();
    ctd.sort_by(f64::total_cmp);
    rtp.sort_by(f64::total_cmp);
    Metrics {
        orders: inst.orders.len(),
        delivered,
        ctd_mean: mean(&ctd),
        ctd_p90: percentile(&ctd, 0.9),
        overage_mean: mean(&overage),
        rtp_mean: mean(&rtp),
        rtp_p90: percentile(&rtp, 0.9),
        utilisation: mean(&utilisation),
        cost_per_order: if delivered == 0 { 0.0 } else { pay / delivered as f64 },
        orders_per_bundle: if assignments.is_empty() { 0.0 } else { delivered as f64 / assignments.len() as f64 },
    }
}

/// A solution read back from the three files, and what disagrees between them.
#[derive(Debug, Clone, Default)]
pub struct Read {
    /// The day the files describe (timelines as written: pickups from the assignments file,
    /// drop-offs from the orders file).
    pub day: Day,
    /// Disagreements between the files (a courier named differently in two files, a pickup time
    /// that differs, movements that are not the ones the assignments imply, …).
    pub violations: Vec<String>,
}

/// Reads the evaluator's three files (`solution_info_assignments.txt`, `…_orders.txt`,
/// `…_couriers.txt`) against `inst`. A line that cannot be read (unknown id, not a number,
/// missing field) is an error naming the file and line; everything readable but inconsistent
/// is reported in [`Read::violations`] for [`check`] to complete.
pub fn read_files(inst: &Instance, assignments: &str, orders: &str, couriers: &str) -> Result<Read, String> {
    use std::collections::HashMap;
    let courier_ids: HashMap<&str, usize> = inst.couriers.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
    let order_ids: HashMap<&str, usize> = inst.orders.iter().enumerate().map(|(i, o)| (o.id.as_str(), i)).collect();
    let restaurant_ids: HashMap<&str, usize> =
        inst.restaurants.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
    // The header line is skipped when there is one (its second field is not a number).
    let lines = |text: &'static str, body: &str| -> Vec<(String, Vec<String>)> {
        let header =
            body.lines().next().and_then(|l| l.split_whitespace().nth(1)).is_some_and(|f| f.parse::<f64>().is_err());
        body.lines()
            .enumerate()
            .skip(usize::from(header))
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(n, l)| (format!("{text} line {}", n + 1), l.split_whitespace().map(str::to_owned).collect()))
            .collect()
    };
    // Minutes: whole numbers, also written as `12.0` (as the official script reads them), within
    // ten years of the day's start.
    let num = |at: &str, s: Option<&String>| -> Result<i64, String> {
        s.and_then(|s| {
            s.parse::<i64>().ok().or_else(|| s.parse::<f64>().ok().filter(|f| f.fract() == 0.0).map(|f| f as i64))
        })
        .filter(|t| t.abs() <= 5_256_000)
        .ok_or_else(|| format!("{at}: expected a whole number of minutes"))
    };
    let id = |at: &str, map: &HashMap<&str, usize>, s: Option<&String>| -> Result<usize, String> {
        s.and_then(|s| map.get(s.as_str()).copied())
            .ok_or_else(|| format!("{at}: unknown id {}", s.map_or("(missing)", |s| s)))
    };
    let mut violations = Vec::new();
    // Orders file: pickup, drop-off and courier of each delivered order.
    let mut delivered: HashMap<usize, (i64, i64, usize)> = HashMap::new();
    for (at, f) in lines("orders file", orders) {
        let o = id(&at, &order_ids, f.first())?;
        let (pickup, dropoff) = (num(&at, f.get(3))?, num(&at, f.get(4))?);
        let c = id(&at, &courier_ids, f.get(5))?;
        if delivered.insert(o, (pickup, dropoff, c)).is_some() {
            violations.push(format!("{at}: order {} listed twice", inst.orders[o].id));
        }
    }
    // Assignments file: the jobs.
    let mut day = Day::default();
    for (at, f) in lines("assignments file", assignments) {
        let (time, pickup) = (num(&at, f.first())?, num(&at, f.get(1))?);
        let courier = id(&at, &courier_ids, f.get(2))?;
        let list = f.iter().skip(3).map(|s| id(&at, &order_ids, Some(s))).collect::<Result<Vec<_>, _>>()?;
        if list.is_empty() {
            return Err(format!("{at}: an assignment without orders"));
        }
        let mut dropoffs = Vec::new();
        for &o in &list {
            match delivered.get(&o) {
                None => {
                    violations.push(format!("{at}: order {} is not in the orders file", inst.orders[o].id));
                    dropoffs.push(i64::MIN);
                }
                Some(&(p, d, c)) => {
                    if c != courier {
                        violations.push(format!(
                            "{at}: order {} is delivered by {} in the orders file",
                            inst.orders[o].id, inst.couriers[c].id
                        ));
                    }
                    if p != pickup {
                        violations
                            .push(format!("{at}: order {} is picked up at {p} in the orders file", inst.orders[o].id));
                    }
                    dropoffs.push(d);
                }
            }
        }
        let free_at =
            dropoffs.last().map_or(pickup, |d| d + (inst.params.dropoff_service - inst.params.dropoff_service / 2));
        let timeline = crate::rules::Timeline { arrive_restaurant: time, pickup, dropoffs, free_at };
        day.assignments.push(Assignment { courier, orders: list, at: time, from: Place::Start, timeline });
    }
    let assigned: usize = day.assignments.iter().map(|a| a.orders.len()).sum();
    if assigned != delivered.len() {
        violations.push(format!("the orders file lists {} orders, the assignments {assigned}", delivered.len()));
    }
    // Couriers file: each courier's block of moves, contiguous and in order.
    let mut file_moves: Vec<Move> = Vec::new();
    let mut closed = vec![false; inst.couriers.len()];
    let mut current = None;
    for (at, f) in lines("couriers file", couriers) {
        let courier = id(&at, &courier_ids, f.first())?;
        let departure = num(&at, f.get(1))?;
        let stop = |s: Option<&String>| -> Result<Stop, String> {
            match s.map(String::as_str) {
                Some("0") => Ok(Stop::Start),
                Some(x) if restaurant_ids.contains_key(x) => Ok(Stop::Restaurant(restaurant_ids[x])),
                _ => id(&at, &order_ids, s).map(Stop::Diner),
            }
        };
        let (origin, destination) = (stop(f.get(2))?, stop(f.get(3))?);
        if current != Some(courier) {
            if let Some(prev) = current {
                closed[prev] = true;
            }
            if closed[courier] {
                violations.push(format!("{at}: the moves of {} are not contiguous", inst.couriers[courier].id));
            }
            current = Some(courier);
        }
        file_moves.push(Move { courier, departure, origin, destination });
    }
    // Where each job starts, and which moves to a restaurant are prepositioning: a move to a
    // restaurant departing when a job of that courier is decided is that job's.
    let mut by_courier: Vec<Vec<&Move>> = vec![Vec::new(); inst.couriers.len()];
    for m in &file_moves {
        by_courier[m.courier].push(m);
    }
    for a in &mut day.assignments {
        let r = a.orders.first().map(|&o| inst.orders[o].restaurant);
        let start = by_courier[a.courier]
            .iter()
            .find(|m| m.departure == a.at && Some(m.destination) == r.map(Stop::Restaurant));
        match start {
            Some(m) => {
                a.from = match m.origin {
                    Stop::Start => Place::Start,
                    Stop::Restaurant(r) => Place::Restaurant(r),
                    Stop::Diner(o) => Place::Diner(o),
                };
                a.timeline.arrive_restaurant = a.at
                    + travel_min(
                        point(inst, a.courier, m.origin),
                        point(inst, a.courier, m.destination),
                        inst.params.meters_per_minute,
                    );
            }
            None => violations.push(format!(
                "assignment of {} at {}: no move to its restaurant departs then in the couriers file",
                inst.couriers[a.courier].id, a.at
            )),
        }
    }
    for m in &file_moves {
        let Stop::Restaurant(r) = m.destination else { continue };
        let job = day.assignments.iter().any(|a| {
            a.courier == m.courier
                && a.at == m.departure
                && a.orders.first().map(|&o| inst.orders[o].restaurant) == Some(r)
        });
        if !job {
            let from = match m.origin {
                Stop::Start => Place::Start,
                Stop::Restaurant(r) => Place::Restaurant(r),
                Stop::Diner(o) => Place::Diner(o),
            };
            let arrive = m.departure
                + travel_min(point(inst, m.courier, m.origin), inst.restaurants[r].at, inst.params.meters_per_minute);
            day.repositions.push(crate::sim::Reposition {
                courier: m.courier,
                restaurant: r,
                at: m.departure,
                from,
                arrive,
            });
        }
    }
    // The moves must be the ones the jobs imply, in order.
    let expected = moves(inst, &day);
    let mut want: Vec<Vec<&Move>> = vec![Vec::new(); inst.couriers.len()];
    for m in &expected {
        want[m.courier].push(m);
    }
    for (c, (have, want)) in by_courier.iter().zip(&want).enumerate() {
        if have.len() != want.len() || have.iter().zip(want).any(|(h, w)| *h != *w) {
            violations.push(format!("the moves of {} are not the ones its assignments imply", inst.couriers[c].id));
        }
    }
    Ok(Read { day, violations })
}
