//! The event simulation of one MDRP day and the dispatch policy it runs. The simulation holds the
//! truth (where each courier is, which orders are taken); the policy sees only what is known at
//! the decision time (orders placed by then, idle couriers) and proposes assignments, which the
//! simulation checks and plays by the model's rules ([`crate::rules`]). The caller drives the
//! loop — [`Sim::next_epoch`], [`decide`], [`Sim::apply`] — so it can time each decision; nothing
//! here reads a clock.

use crate::instance::{Instance, Point};
use crate::rules::{Timeline, timeline, travel_min};

/// Where a courier is between jobs (the couriers file names it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Where the shift started (`0` in the couriers file).
    Start,
    /// At the diner of this order (its last drop-off).
    Diner(usize),
    /// At a restaurant it was sent to without an order (prepositioning).
    Restaurant(usize),
}

/// A courier as the simulation knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourierState {
    /// Where it is (or will be when free).
    pub place: Place,
    /// That place's coordinates.
    pub at: Point,
    /// When it is free, minutes.
    pub free_at: i64,
}

/// One executed job: a courier told at `at` to pick up `orders` at their restaurant and deliver
/// them in this sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The courier (index into the instance).
    pub courier: usize,
    /// Orders in delivery sequence (indices; all from one restaurant).
    pub orders: Vec<usize>,
    /// The decision time, minutes.
    pub at: i64,
    /// Where the courier set off from.
    pub from: Place,
    /// Its timeline.
    pub timeline: Timeline,
}

/// An idle courier sent to a restaurant with no order yet (prepositioning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reposition {
    /// The courier.
    pub courier: usize,
    /// The restaurant.
    pub restaurant: usize,
    /// The decision (and departure) time.
    pub at: i64,
    /// Where it set off from.
    pub from: Place,
    /// Arrival.
    pub arrive: i64,
}

/// A simulated day: the jobs and the prepositioning moves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Day {
    /// Executed assignments, in decision order.
    pub assignments: Vec<Assignment>,
    /// Prepositioning moves, in decision order.
    pub repositions: Vec<Reposition>,
}

/// The policy's knobs (docs/dispatch.md explains each).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PolicyParams {
    /// Minutes between decisions.
    pub epoch: i64,
    /// Most orders in one bundle.
    pub max_bundle: usize,
    /// Orders of one bundle are ready within this many minutes of each other.
    pub bundle_window: i64,
    /// Weight of the courier's busy minutes against the orders' click-to-door minutes.
    pub courier_weight: f64,
    /// Send the courier this many minutes earlier than strictly needed to arrive as the food is
    /// ready (a margin against the food waiting).
    pub lead: i64,
    /// Use ready times as the instance gives them (`false`: estimate them from placement).
    pub known_ready: bool,
    /// The estimate: placement plus this many minutes (when `known_ready` is false).
    pub assumed_prep: i64,
    /// Send idle couriers towards restaurants with recent orders.
    pub reposition: bool,
    /// Choose among all restaurants the cheapest move first (instead of the most urgent
    /// restaurant first); `age_weight` then favours orders that have waited long.
    pub global: bool,
    /// With `global`: minutes already waited count this much against an order's cost.
    pub age_weight: f64,
}

impl Default for PolicyParams {
    fn default() -> Self {
        Self {
            epoch: 1,
            max_bundle: 3,
            bundle_window: 10,
            courier_weight: 2.0,
            lead: 0,
            known_ready: true,
            assumed_prep: 15,
            reposition: false,
            global: true,
            age_weight: 1.5,
        }
    }
}

/// The simulation.
pub struct Sim<'a> {
    inst: &'a Instance,
    /// Couriers' states, by instance index.
    pub couriers: Vec<CourierState>,
    /// Which assignment took each order.
    pub taken: Vec<Option<usize>>,
    /// Executed assignments, in decision order.
    pub assignments: Vec<Assignment>,
    /// Prepositioning moves, in decision order.
    pub repositions: Vec<Reposition>,
    now: i64,
    epoch: i64,
    end: i64,
}

/// What a decision may look at.
pub struct View<'a> {
    /// The instance (the policy reads orders' placement, restaurant and location only for known
    /// orders, and ready times only when allowed).
    pub inst: &'a Instance,
    /// The decision time.
    pub now: i64,
    /// Orders placed by now and not taken, by index.
    pub open: Vec<usize>,
    /// Couriers on shift and idle now: (index, where).
    pub idle: Vec<(usize, Point)>,
    /// Where each courier is (or will be when free).
    pub places: Vec<Place>,
    /// Couriers on shift that will be idle within ten minutes: (when, where). The platform knows
    /// their current jobs, so it may wait for one of them rather than send a far idle courier.
    pub soon: Vec<(i64, Point)>,
}

/// A proposed move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Pick up `orders` (one restaurant) and deliver them in this sequence.
    Assign {
        /// The courier.
        courier: usize,
        /// Orders in delivery sequence.
        orders: Vec<usize>,
    },
    /// Go and wait at a restaurant.
    Reposition {
        /// The courier.
        courier: usize,
        /// The restaurant.
        restaurant: usize,
    },
}

/// Why the simulation refused a decision (a policy bug: the checker would refuse it too).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// The courier is off shift or busy.
    #[error("courier {0} is not idle and on shift")]
    CourierBusy(usize),
    /// An order is unknown yet, taken, or from another restaurant.
    #[error("order {0} cannot join this bundle")]
    Order(usize),
    /// The pickup would be after the courier's shift.
    #[error("courier {0} would pick up after the shift ends")]
    AfterShift(usize),
}

impl<'a> Sim<'a> {
    /// A day about to start; decisions every `epoch` minutes.
    pub fn new(inst: &'a Instance, epoch: i64) -> Self {
        let couriers =
            inst.couriers.iter().map(|c| CourierState { place: Place::Start, at: c.at, free_at: c.on }).collect();
        let start = inst.orders.iter().map(|o| o.placed).min().unwrap_or(0);
        let end = inst.couriers.iter().map(|c| c.off).max().unwrap_or(0);
        Sim {
            inst,
            couriers,
            taken: vec![None; inst.orders.len()],
            assignments: Vec::new(),
            repositions: Vec::new(),
            now: start - epoch.max(1),
            epoch: epoch.max(1),
            end,
        }
    }

    /// The next decision time and what may be seen then, or `None` when the day is over.
    pub fn next_epoch(&mut self) -> Option<View<'a>> {
        self.now += self.epoch;
        if self.now > self.end {
            return None;
        }
        let now = self.now;
        let open = (0..self.inst.orders.len())
            .filter(|&o| self.taken[o].is_none() && self.inst.orders[o].placed <= now)
            .collect();
        let on = |i: usize| self.inst.couriers[i].on <= now && now < self.inst.couriers[i].off;
        let idle = (0..self.couriers.len())
            .filter(|&i| on(i) && self.couriers[i].free_at <= now)
            .map(|i| (i, self.couriers[i].at))
            .collect();
        let soon = (0..self.couriers.len())
            .filter(|&i| on(i) && self.couriers[i].free_at > now && self.couriers[i].free_at <= now + 10)
            .map(|i| (self.couriers[i].free_at, self.couriers[i].at))
            .collect();
        let places = self.couriers.iter().map(|c| c.place).collect();
        Some(View { inst: self.inst, now, open, idle, places, soon })
    }

    /// Plays the decisions made at the current epoch; refuses (and skips) any that break a rule.
    pub fn apply(&mut self, decisions: Vec<Decision>) -> Vec<Refused> {
        let mut refused = Vec::new();
        for d in decisions {
            if let Err(e) = self.play(&d) {
                refused.push(e);
            }
        }
        refused
    }

    fn play(&mut self, d: &Decision) -> Result<(), Refused> {
        match d {
            Decision::Assign { courier, orders } => self.assign(*courier, orders),
            Decision::Reposition { courier, restaurant } => self.reposition(*courier, *restaurant),
        }
    }

    fn reposition(&mut self, courier: usize, restaurant: usize) -> Result<(), Refused> {
        let (inst, now) = (self.inst, self.now);
        let c = inst.couriers.get(courier).ok_or(Refused::CourierBusy(courier))?;
        let state = &self.couriers[courier];
        let r = inst.restaurants.get(restaurant).ok_or(Refused::CourierBusy(courier))?;
        if !(c.on <= now && now < c.off && state.free_at <= now) {
            return Err(Refused::CourierBusy(courier));
        }
        let arrive = now + travel_min(state.at, r.at, inst.params.meters_per_minute);
        let from = state.place;
        self.couriers[courier] = CourierState { place: Place::Restaurant(restaurant), at: r.at, free_at: arrive };
        self.repositions.push(Reposition { courier, restaurant, at: now, from, arrive });
        Ok(())
    }

    /// The day as played.
    pub fn finish(self) -> Day {
        Day { assignments: self.assignments, repositions: self.repositions }
    }

    fn assign(&mut self, courier: usize, orders: &[usize]) -> Result<(), Refused> {
        let (inst, now) = (self.inst, self.now);
        let c = inst.couriers.get(courier).ok_or(Refused::CourierBusy(courier))?;
        let state = &self.couriers[courier];
        if !(c.on <= now && now < c.off && state.free_at <= now) {
            return Err(Refused::CourierBusy(courier));
        }
        let first = *orders.first().ok_or(Refused::Order(usize::MAX))?;
        let restaurant = inst.orders.get(first).ok_or(Refused::Order(first))?.restaurant;
        for (k, &o) in orders.iter().enumerate() {
            let order = inst.orders.get(o).ok_or(Refused::Order(o))?;
            if order.placed > now
                || order.restaurant != restaurant
                || self.taken[o].is_some()
                || orders[..k].contains(&o)
            {
                return Err(Refused::Order(o));
            }
        }
        let t = timeline(inst, state.at, now, orders).ok_or(Refused::Order(first))?;
        if t.pickup > c.off {
            return Err(Refused::AfterShift(courier));
        }
        let last = *orders.last().unwrap_or(&first);
        let id = self.assignments.len();
        for &o in orders {
            self.taken[o] = Some(id);
        }
        let from = state.place;
        self.couriers[courier] =
            CourierState { place: Place::Diner(last), at: inst.orders[last].at, free_at: t.free_at };
        self.assignments.push(Assignment { courier, orders: orders.to_vec(), at: now, from, timeline: t });
        Ok(())
    }
}

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
                    Some((ci, _, seq, per_order)) => {
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
                let Some((ci, _, seq, _)) = best_move(v, p, &idle, at, &list, target, &ready) else { break };
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

/// The best (idle courier index, bundle size, delivery sequence, cost per order) for the first
/// orders of `list`, or `None` when the group should wait for a later decision.
fn best_move(
    v: &View,
    p: &PolicyParams,
    idle: &[(usize, Point)],
    restaurant: Point,
    list: &[usize],
    target: usize,
    ready: &impl Fn(usize) -> i64,
) -> Option<(usize, usize, Vec<usize>, f64)> {
    let inst = v.inst;
    let speed = inst.params.meters_per_minute;
    let half = inst.params.pickup_service / 2;
    let mut best: Option<(f64, usize, usize, Vec<usize>, i64, i64)> = None;
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
                best = Some((per_order, ci, size, seq, arrive, latest));
            }
        }
    }
    let (per_order, ci, size, seq, arrive, latest) = best?;
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
    Some((ci, size, seq, per_order))
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
