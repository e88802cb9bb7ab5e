//! The dispatch policy the simulation runs (docs/dispatch.md explains it and its figures): which
//! open orders to bundle, which idle courier gets which bundle, when to hold, and optional
//! prepositioning. It sees only a [`View`] of what is known at the decision time.

use crate::instance::Point;
use crate::rules::{timeline_with, travel_min};
use crate::sim::{Decision, Place, PolicyParams, View};

/// The policy: at each decision, bundles of one restaurant's open orders (up to `max_bundle`,
/// ready within `bundle_window` of each other) go to idle couriers. For a restaurant, each idle
/// courier and bundle size is priced over the same first orders: the bundle's click-to-door
/// minutes plus `courier_weight` (× load) times the minutes the courier is taken, plus each order
/// left out served alone by its cheapest other courier — so a bundle forms when it beats serving
/// separately. Across restaurants the best move with the lowest score (cost per order, less the
/// minutes its orders waited and its regret) goes first. A courier that would reach the
/// restaurant more than `epoch + lead` minutes before the food is ready is not sent yet: a later
/// decision may bundle better or find a nearer courier.
pub fn decide(v: &View, p: &PolicyParams) -> Vec<Decision> {
    decide_with(v, p, true)
}

/// [`decide`], keeping each restaurant's best move between choices (`cache`) or pricing every
/// restaurant again after each (the test shows both decide the same).
fn decide_with(v: &View, p: &PolicyParams, cache_moves: bool) -> Vec<Decision> {
    let inst = v.inst;
    let prep = if p.known_ready { Vec::new() } else { prep_estimates(v, p.prep_quantile, p.assumed_prep) };
    let ready = |o: usize| {
        let order = &inst.orders[o];
        if p.known_ready || order.ready <= v.now {
            // Given, or revealed: the restaurant has said the food is ready.
            order.ready
        } else {
            (order.placed + prep[order.restaurant]).max(v.now + 1)
        }
    };
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for &o in &v.open {
        let r = inst.orders[o].restaurant;
        match groups.iter_mut().find(|(g, _)| *g == r) {
            Some((_, list)) => list.push(o),
            None => groups.push((r, vec![o])),
        }
    }
    for (_, list) in &mut groups {
        list.sort_by_key(|&o| (ready(o), o));
    }
    // Most urgent first: the earliest placement among a restaurant's open orders.
    groups.sort_by_key(|(r, list)| (list.iter().map(|&o| inst.orders[o].placed).min().unwrap_or(0), *r));
    let soon_ready = v.open.iter().filter(|&&o| ready(o) <= v.now + 10).count();
    let free = v.idle.len() + v.soon.len();
    // Under load a courier's minutes are worth more: weigh them by how many orders wait per free
    // courier.
    let pressure = if free == 0 { p.max_bundle as f64 } else { (soon_ready as f64 / free as f64).max(1.0) };
    let p = &PolicyParams { courier_weight: p.courier_weight * pressure, ..*p };
    let mut idle = v.idle.clone();
    let mut out = Vec::new();
    if p.global {
        let mut groups = groups;
        let mut held = vec![false; groups.len()];
        // Each restaurant's best move stays valid until a courier it was priced against is taken
        // (taking any other cannot change it), so only those are priced again.
        let mut cache: Vec<Option<Move>> = vec![None; groups.len()];
        while !idle.is_empty() {
            let mut best: Option<(f64, usize)> = None;
            for (g, (r, list)) in groups.iter().enumerate() {
                if held[g] || list.is_empty() {
                    continue;
                }
                if cache[g].is_none() {
                    match best_move(v, p, &idle, inst.restaurants[*r].at, list, &ready) {
                        Some(m) => cache[g] = Some(m),
                        None => {
                            held[g] = true;
                            continue;
                        }
                    }
                }
                let Some(m) = &cache[g] else { continue };
                let waited = m.orders.iter().map(|&o| (v.now - inst.orders[o].placed) as f64).sum::<f64>();
                // What this restaurant loses if its best courier goes elsewhere (capped: no
                // runner-up at all counts as an hour).
                let regret = (m.runner_up - m.per_order).min(60.0);
                let score = m.per_order - p.age_weight * waited / m.orders.len() as f64 - p.regret_weight * regret;
                if best.is_none_or(|b| score < b.0) {
                    best = Some((score, g));
                }
            }
            let Some((_, g)) = best else { break };
            let Some(m) = cache[g].take() else { break };
            idle.retain(|&(c, _)| c != m.courier);
            groups[g].1.retain(|o| !m.orders.contains(o));
            for c in &mut cache {
                if !cache_moves || c.as_ref().is_some_and(|x| x.depends_on.contains(&m.courier)) {
                    *c = None;
                }
            }
            out.push(Decision::Assign { courier: m.courier, orders: m.orders });
        }
    } else {
        for (r, mut list) in groups {
            let at = inst.restaurants[r].at;
            while !list.is_empty() && !idle.is_empty() {
                let Some(m) = best_move(v, p, &idle, at, &list, &ready) else { break };
                idle.retain(|&(c, _)| c != m.courier);
                list.retain(|o| !m.orders.contains(o));
                out.push(Decision::Assign { courier: m.courier, orders: m.orders });
            }
        }
    }
    if p.reposition {
        out.extend(reposition(v, &idle));
    }
    out
}

/// Each restaurant's preparation minutes as known at the decision time: the `q` quantile of its
/// orders already ready (a ready time is revealed when it passes), else of every restaurant's,
/// else `fallback`. A low quantile plans for the quicker kitchens: a courier waiting a minute
/// costs less than food waiting for one (and every order of its bundle with it).
pub(crate) fn prep_estimates(v: &View, q: f64, fallback: i64) -> Vec<i64> {
    let inst = v.inst;
    let mut by: Vec<Vec<i64>> = vec![Vec::new(); inst.restaurants.len()];
    let mut all = Vec::new();
    for o in inst.orders.iter().filter(|o| o.ready <= v.now && o.placed <= v.now) {
        by[o.restaurant].push(o.ready - o.placed);
        all.push(o.ready - o.placed);
    }
    let pick = |list: &mut Vec<i64>| {
        list.sort_unstable();
        list.get(((list.len() - 1) as f64 * q).round() as usize).copied()
    };
    let overall = if all.is_empty() { fallback } else { pick(&mut all).unwrap_or(fallback) };
    by.iter_mut().map(|l| if l.is_empty() { overall } else { pick(l).unwrap_or(overall) }).collect()
}

/// Sends idle couriers waiting at a diner (or their start) towards the restaurants where orders
/// came in during the last hour, in proportion: each restaurant is worth its recent orders divided
/// by one plus the idle couriers already within a kilometre of it (counting those just sent). A
/// courier moves only if that is worth more than where it stands, within six minutes' ride, and
/// with more than half an hour of shift left.
fn reposition(v: &View, idle: &[(usize, Point)]) -> Vec<Decision> {
    let inst = v.inst;
    let speed = inst.params.meters_per_minute;
    let mut recent = vec![0usize; inst.restaurants.len()];
    for o in inst.orders.iter().filter(|o| o.placed <= v.now && o.placed > v.now - 60) {
        recent[o.restaurant] += 1;
    }
    let hot: Vec<usize> = (0..recent.len()).filter(|&r| recent[r] > 0).collect();
    if hot.is_empty() {
        return Vec::new();
    }
    let near = |a: Point, b: Point| {
        let (dx, dy) = ((a.x - b.x) as f64, (a.y - b.y) as f64);
        dx * dx + dy * dy <= 1_000_000.0
    };
    let mut waiting: Vec<Point> = idle.iter().map(|&(_, at)| at).collect();
    let worth = |r: usize, waiting: &[Point]| {
        let around = waiting.iter().filter(|&&w| near(w, inst.restaurants[r].at)).count();
        recent[r] as f64 / (1 + around) as f64
    };
    let mut out = Vec::new();
    for (k, &(c, at)) in idle.iter().enumerate() {
        if matches!(v.places[c], Place::Restaurant(_)) || inst.couriers[c].off - v.now < 30 {
            continue;
        }
        // Where it stands is worth the best restaurant within a kilometre (counting itself out).
        let mut others = waiting.clone();
        others.remove(k.min(others.len().saturating_sub(1)));
        let here =
            hot.iter().filter(|&&r| near(at, inst.restaurants[r].at)).map(|&r| worth(r, &others)).fold(0.0, f64::max);
        let best = hot
            .iter()
            .filter(|&&r| travel_min(at, inst.restaurants[r].at, speed) <= 6)
            .map(|&r| (worth(r, &others), r))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        if let Some((w, r)) = best
            && w > here + 1.5
        {
            waiting[k] = inst.restaurants[r].at;
            out.push(Decision::Reposition { courier: c, restaurant: r });
        }
    }
    out
}

/// A restaurant's best move in one decision.
#[derive(Debug, Clone)]
struct Move {
    /// The courier (instance index).
    courier: usize,
    /// The bundle in delivery sequence.
    orders: Vec<usize>,
    /// Its cost per order.
    per_order: f64,
    /// The lowest cost per order with any other courier (`f64::MAX` if none).
    runner_up: f64,
    /// Every courier this move was priced against (its own, the runner-up, each left-out
    /// order's cheapest alternatives): taking any other leaves it unchanged.
    depends_on: Vec<usize>,
}

/// The best move for the first orders of `list`, or `None` when the group should wait for a
/// later decision.
fn best_move(
    v: &View,
    p: &PolicyParams,
    idle: &[(usize, Point)],
    restaurant: Point,
    list: &[usize],
    ready: &impl Fn(usize) -> i64,
) -> Option<Move> {
    if idle.len() <= NEAREST {
        return best_move_among(v, p, idle, restaurant, list, ready);
    }
    // Only the nearest couriers are priced (a far one never wins, and a city's hundreds of idle
    // riders would make every decision slow); the move then depends on each of them.
    let speed = v.inst.params.meters_per_minute;
    let mut near: Vec<(i64, usize, Point)> =
        idle.iter().map(|&(c, at)| (travel_min(at, restaurant, speed), c, at)).collect();
    near.select_nth_unstable_by_key(NEAREST - 1, |&(t, c, _)| (t, c));
    near.truncate(NEAREST);
    near.sort_unstable_by_key(|&(t, c, _)| (t, c));
    let near: Vec<(usize, Point)> = near.into_iter().map(|(_, c, at)| (c, at)).collect();
    let mut m = best_move_among(v, p, &near, restaurant, list, ready)?;
    m.depends_on.extend(near.iter().map(|&(c, _)| c));
    Some(m)
}

/// Couriers priced per restaurant and decision.
const NEAREST: usize = 32;

fn best_move_among(
    v: &View,
    p: &PolicyParams,
    idle: &[(usize, Point)],
    restaurant: Point,
    list: &[usize],
    ready: &impl Fn(usize) -> i64,
) -> Option<Move> {
    let inst = v.inst;
    let speed = inst.params.meters_per_minute;
    let half = inst.params.pickup_service / 2;
    let mut best: Option<(f64, usize, Vec<usize>, i64, i64)> = None;
    let mut best_total = f64::MAX;
    // Each courier's lowest cost per order, for the runner-up.
    let mut lowest = vec![f64::MAX; idle.len()];
    let n = p.max_bundle.min(list.len());
    // What serving each of the first `n` orders alone would cost with its two cheapest couriers
    // (idle, or finishing soon — index `usize::MAX`), to price leaving it out of a bundle.
    let alt: Vec<[(f64, usize); 2]> = list[..n]
        .iter()
        .map(|&o| {
            let idle_now = idle.iter().enumerate().map(|(k, &(_, at))| (k, at, v.now));
            let soon = v.soon.iter().map(|&(free, at)| (usize::MAX, at, free));
            // No courier at all: leaving the order out is priced prohibitively.
            let mut two = [(NO_COURIER, usize::MAX); 2];
            for (k, at, start) in idle_now.chain(soon) {
                let c = alone_cost(v, p, at, start, o, ready);
                if c < two[0].0 {
                    two = [(c, k), two[0]];
                } else if c < two[1].0 {
                    two[1] = (c, k);
                }
            }
            two
        })
        .collect();
    for (ci, &(c, at)) in idle.iter().enumerate() {
        let arrive = v.now + travel_min(at, restaurant, speed);
        for size in 1..=n {
            let bundle = &list[..size];
            let latest = bundle.iter().map(|&o| ready(o)).max().unwrap_or(v.now);
            if latest - bundle.iter().map(|&o| ready(o)).min().unwrap_or(latest) > p.bundle_window {
                break;
            }
            let pickup = latest.max(arrive + half);
            if pickup > inst.couriers[c].off {
                continue;
            }
            let (seq, cost) = best_sequence(v, p, at, bundle, ready);
            let per_order = cost / size as f64;
            lowest[ci] = lowest[ci].min(per_order);
            // The same orders either way: this bundle with this courier, the rest of the first
            // `n` each alone with its cheapest other courier.
            let left: f64 = alt[size..n].iter().map(|two| if two[0].1 == ci { two[1].0 } else { two[0].0 }).sum();
            if cost + left < best_total {
                best_total = cost + left;
                best = Some((per_order, ci, seq, arrive, latest));
            }
        }
    }
    let (per_order, ci, seq, arrive, latest) = best?;
    let (runner_up_courier, runner_up) = lowest
        .iter()
        .enumerate()
        .filter(|&(k, &m)| k != ci && m < f64::MAX)
        .min_by(|a, b| a.1.total_cmp(b.1).then(a.0.cmp(&b.0)))
        .map_or((None, f64::MAX), |(k, &m)| (Some(idle[k].0), m));
    // Not yet: the best courier would wait at the restaurant; a later decision can still send
    // it, bundle more, or find a nearer one.
    if arrive + p.epoch + p.lead < latest - half {
        return None;
    }
    // Not this one: the food would wait for it, and a courier finishing a job soon would be
    // there earlier.
    if arrive > latest && v.soon.iter().any(|&(free, at)| free + travel_min(at, restaurant, speed) + 1 < arrive) {
        return None;
    }
    let mut depends_on: Vec<usize> = alt.iter().flatten().filter(|a| a.1 < idle.len()).map(|a| idle[a.1].0).collect();
    depends_on.extend([idle[ci].0].into_iter().chain(runner_up_courier));
    Some(Move { courier: idle[ci].0, orders: seq, per_order, runner_up, depends_on })
}

/// What leaving an order out of a bundle costs when no courier could take it instead.
const NO_COURIER: f64 = 1e6;

/// One order alone with a courier at `from`, free at `start`: its click-to-door plus the
/// courier's minutes, weighted as in [`best_sequence`].
fn alone_cost(v: &View, p: &PolicyParams, from: Point, start: i64, o: usize, ready: &impl Fn(usize) -> i64) -> f64 {
    // `rules::timeline` for one order, without its allocation: this runs for every courier.
    let (inst, q) = (v.inst, &v.inst.params);
    let order = &inst.orders[o];
    let restaurant = inst.restaurants[order.restaurant].at;
    let arrive = start + travel_min(from, restaurant, q.meters_per_minute);
    let pickup = crate::rules::pickup_at(arrive, ready(o), q);
    let dropoff = pickup
        + (q.pickup_service - q.pickup_service / 2)
        + travel_min(restaurant, order.at, q.meters_per_minute)
        + q.dropoff_service / 2;
    let free_at = dropoff + (q.dropoff_service - q.dropoff_service / 2);
    (dropoff - order.placed) as f64 + p.courier_weight * (free_at - start) as f64
}

/// The delivery sequence of `bundle` with the lowest cost, and that cost (every order of up to
/// three; nearest diner first beyond).
fn best_sequence(
    v: &View,
    p: &PolicyParams,
    from: Point,
    bundle: &[usize],
    ready: &impl Fn(usize) -> i64,
) -> (Vec<usize>, f64) {
    let cost = |seq: &[usize]| -> f64 {
        // Planned with the ready times the policy may know (estimates when they are not given).
        let Some(t) = timeline_with(v.inst, from, v.now, seq, |o| Some(ready(o))) else { return f64::MAX };
        let ctd: i64 = seq.iter().zip(&t.dropoffs).map(|(&o, d)| d - v.inst.orders[o].placed).sum();
        ctd as f64 + p.courier_weight * (t.free_at - v.now) as f64
    };
    let mut seqs: Vec<Vec<usize>> = Vec::new();
    match bundle.len() {
        0 | 1 => seqs.push(bundle.to_vec()),
        2 => seqs.extend([vec![bundle[0], bundle[1]], vec![bundle[1], bundle[0]]]),
        3 => {
            for (a, b, c) in [(0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)] {
                seqs.push(vec![bundle[a], bundle[b], bundle[c]]);
            }
        }
        _ => {
            let r = v.inst.restaurants[v.inst.orders[bundle[0]].restaurant].at;
            let mut left = bundle.to_vec();
            let mut here = r;
            let mut seq = Vec::new();
            while !left.is_empty() {
                let speed = v.inst.params.meters_per_minute;
                let (i, _) = left
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, o)| travel_min(here, v.inst.orders[**o].at, speed))
                    .unwrap_or((0, &0));
                let o = left.remove(i);
                here = v.inst.orders[o].at;
                seq.push(o);
            }
            seqs.push(seq);
        }
    }
    seqs.into_iter()
        .map(|s| {
            let c = cost(&s);
            (s, c)
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or((bundle.to_vec(), f64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Instance;
    use crate::sim::Sim;

    #[test]
    fn keeping_moves_between_choices_decides_as_pricing_all_again() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/0r50t100s1p100");
        let i = Instance::read(&dir).expect("instance");
        for p in
            [PolicyParams::default(), PolicyParams { known_ready: false, max_bundle: 2, ..PolicyParams::default() }]
        {
            let mut sim = Sim::for_policy(&i, &p);
            let mut decisions = 0;
            while let Some(v) = sim.next_epoch() {
                let d = decide_with(&v, &p, true);
                assert_eq!(d, decide_with(&v, &p, false), "at minute {}", v.now);
                decisions += d.len();
                sim.apply(d);
            }
            assert!(decisions > 100);
        }
    }
}
