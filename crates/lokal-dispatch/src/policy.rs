//! The dispatch policy the simulation runs (docs/dispatch.md explains it and its figures): which
//! open orders to bundle, which idle courier gets which bundle, when to hold, and optional
//! prepositioning. It sees only a [`View`] of what is known at the decision time.

use crate::instance::Point;
use crate::rules::{timeline, travel_min};
use crate::sim::{Decision, Place, PolicyParams, View};

/// The policy: at each decision, bundles of one restaurant's open orders (as many per bundle as
/// the ratio of orders to free couriers asks, up to `max_bundle`, ready within `bundle_window` of
/// each other) go to idle couriers, the most urgent restaurant first, each to the courier and
/// bundle size with the lowest cost per order: the orders' click-to-door minutes plus
/// `courier_weight` times the minutes the courier is taken. A courier that would reach the
/// restaurant more than one decision interval before the food is ready is not sent yet: a later
/// decision may bundle better or find a nearer courier.
pub fn decide(v: &View, p: &PolicyParams) -> Vec<Decision> {
    let inst = v.inst;
    let ready = |o: usize| {
        let order = &inst.orders[o];
        if p.known_ready { order.ready } else { order.placed + p.assumed_prep }
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
    let target = if free == 0 { p.max_bundle } else { soon_ready.div_ceil(free).clamp(1, p.max_bundle) };
    // Under load a courier's minutes are worth more: weigh them by how many orders wait per free
    // courier.
    let pressure = if free == 0 { p.max_bundle as f64 } else { (soon_ready as f64 / free as f64).max(1.0) };
    let p = &PolicyParams { courier_weight: p.courier_weight * pressure, ..*p };
    let mut idle = v.idle.clone();
    let mut out = Vec::new();
    if p.global {
        let mut groups = groups;
        let mut held = vec![false; groups.len()];
        while !idle.is_empty() {
            let mut best: Option<(f64, usize, usize, Vec<usize>)> = None;
            for (g, (r, list)) in groups.iter().enumerate() {
                if held[g] || list.is_empty() {
                    continue;
                }
                match best_move(v, p, &idle, inst.restaurants[*r].at, list, target, &ready) {
                    Some((ci, seq, per_order)) => {
                        let waited = seq.iter().map(|&o| (v.now - inst.orders[o].placed) as f64).sum::<f64>();
                        let score = per_order - p.age_weight * waited / seq.len() as f64;
                        if best.as_ref().is_none_or(|b| score < b.0) {
                            best = Some((score, g, ci, seq));
                        }
                    }
                    None => held[g] = true,
                }
            }
            let Some((_, g, ci, seq)) = best else { break };
            let (courier, _) = idle.remove(ci);
            groups[g].1.retain(|o| !seq.contains(o));
            out.push(Decision::Assign { courier, orders: seq });
        }
    } else {
        for (r, mut list) in groups {
            let at = inst.restaurants[r].at;
            while !list.is_empty() && !idle.is_empty() {
                let Some((ci, seq, _)) = best_move(v, p, &idle, at, &list, target, &ready) else { break };
                let (courier, _) = idle.remove(ci);
                list.retain(|o| !seq.contains(o));
                out.push(Decision::Assign { courier, orders: seq });
            }
        }
    }
    if p.reposition {
        out.extend(reposition(v, &idle));
    }
    out
}

/// Sends idle couriers waiting at a diner (or their start) towards the restaurants where orders
/// came in during the last hour, in proportion: each restaurant is worth its recent orders divided
/// by one plus the idle couriers already within a kilometre of it (counting those just sent). A
/// courier moves only if that is worth more than where it stands, within eight minutes' ride, and
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

/// The best (idle courier index, delivery sequence, cost per order) for the first
/// orders of `list`, or `None` when the group should wait for a later decision.
fn best_move(
    v: &View,
    p: &PolicyParams,
    idle: &[(usize, Point)],
    restaurant: Point,
    list: &[usize],
    target: usize,
    ready: &impl Fn(usize) -> i64,
) -> Option<(usize, Vec<usize>, f64)> {
    let inst = v.inst;
    let speed = inst.params.meters_per_minute;
    let half = inst.params.pickup_service / 2;
    let mut best: Option<(f64, usize, Vec<usize>, i64, i64)> = None;
    for (ci, &(c, at)) in idle.iter().enumerate() {
        let arrive = v.now + travel_min(at, restaurant, speed);
        for size in 1..=target.min(list.len()) {
            let bundle = &list[..size];
            let latest = bundle.iter().map(|&o| ready(o)).max().unwrap_or(v.now);
            if latest - bundle.iter().map(|&o| ready(o)).min().unwrap_or(latest) > p.bundle_window {
                break;
            }
            let pickup = latest.max(arrive + half);
            if pickup > inst.couriers[c].off {
                continue;
            }
            let (seq, cost) = best_sequence(v, p, at, bundle);
            let per_order = cost / size as f64;
            if best.as_ref().is_none_or(|b| per_order < b.0) {
                best = Some((per_order, ci, seq, arrive, latest));
            }
        }
    }
    let (per_order, ci, seq, arrive, latest) = best?;
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
    Some((ci, seq, per_order))
}

/// The delivery sequence of `bundle` with the lowest cost, and that cost (every order of up to
/// three; nearest diner first beyond).
fn best_sequence(v: &View, p: &PolicyParams, from: Point, bundle: &[usize]) -> (Vec<usize>, f64) {
    let cost = |seq: &[usize]| -> f64 {
        let Some(t) = timeline(v.inst, from, v.now, seq) else { return f64::MAX };
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
