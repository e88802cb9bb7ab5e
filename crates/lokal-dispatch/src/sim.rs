//! The event simulation of one MDRP day. The simulation holds the truth (where each courier is,
//! which orders are taken); the policy ([`crate::policy`]) sees only what is known at the
//! decision time (orders placed by then, idle couriers) and proposes assignments, which the
//! simulation checks and plays by the model's rules ([`crate::rules`]). The caller drives the
//! loop — [`Sim::next_epoch`], [`decide`], [`Sim::apply`] — so it can time each decision; nothing
//! here reads a clock.

use crate::instance::{Instance, Point};
use crate::rules::{Timeline, timeline, travel_min};

pub use crate::policy::decide;

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
    /// From when `free_at` is certain: the pickup of its current job (before it, the food may not
    /// be ready when planned), or when the move or shift began.
    pub certain_from: i64,
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
    /// With estimated ready times, the quantile of the preparation times revealed so far that a
    /// restaurant's open orders are planned with (docs/dispatch.md).
    pub prep_quantile: f64,
    /// Preparation minutes assumed before any ready time has been revealed.
    pub assumed_prep: i64,
    /// Send idle couriers towards restaurants with recent orders.
    pub reposition: bool,
    /// Choose among all restaurants the cheapest move first (instead of the most urgent
    /// restaurant first); `age_weight` then favours orders that have waited long.
    pub global: bool,
    /// With `global`: minutes already waited count this much against an order's cost.
    pub age_weight: f64,
    /// With `global`: a restaurant's regret (how much dearer its next-best courier is) counts
    /// this much in its favour, so a restaurant with one good courier is served before that
    /// courier goes to one that has several.
    pub regret_weight: f64,
}

impl PolicyParams {
    /// The defaults (docs/dispatch.md gives the figures behind them).
    pub const DEFAULT: PolicyParams = PolicyParams {
        epoch: 1,
        max_bundle: 3,
        bundle_window: 40,
        courier_weight: 1.0,
        lead: 2,
        known_ready: true,
        prep_quantile: 0.25,
        assumed_prep: 15,
        reposition: false,
        global: true,
        age_weight: 1.5,
        regret_weight: 2.0,
    };
}

impl Default for PolicyParams {
    fn default() -> Self {
        Self::DEFAULT
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
    ready_hidden: bool,
    /// Orders a courier is waiting for in vain (food not ready before its shift ends): not open
    /// again until then.
    waiting_until: Vec<i64>,
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
        let couriers = inst
            .couriers
            .iter()
            .map(|c| CourierState { place: Place::Start, at: c.at, free_at: c.on, certain_from: c.on })
            .collect();
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
            ready_hidden: false,
            waiting_until: vec![i64::MIN; inst.orders.len()],
        }
    }

    /// A day about to start for a policy with these parameters (decisions every `p.epoch`
    /// minutes; ready times hidden unless `p.known_ready`).
    pub fn for_policy(inst: &'a Instance, p: &PolicyParams) -> Self {
        let sim = Self::new(inst, p.epoch);
        if p.known_ready { sim } else { sim.hiding_ready_times() }
    }

    /// For a policy that does not know ready times in advance: the view's `soon` leaves out
    /// couriers whose free time still depends on food not yet picked up, and an assignment whose
    /// food turns out not ready before the courier's shift ends is played as a wasted trip (the
    /// courier rides to the restaurant and waits there; its orders are open again when the shift
    /// ends) and reported as [`Refused::AfterShift`].
    pub fn hiding_ready_times(mut self) -> Self {
        self.ready_hidden = true;
        self
    }

    /// The next decision time and what may be seen then, or `None` when the day is over.
    pub fn next_epoch(&mut self) -> Option<View<'a>> {
        self.now += self.epoch;
        if self.now > self.end {
            return None;
        }
        let now = self.now;
        let open = (0..self.inst.orders.len())
            .filter(|&o| self.taken[o].is_none() && self.inst.orders[o].placed <= now && self.waiting_until[o] < now)
            .collect();
        let on = |i: usize| self.inst.couriers[i].on <= now && now < self.inst.couriers[i].off;
        let idle = (0..self.couriers.len())
            .filter(|&i| on(i) && self.couriers[i].free_at <= now)
            .map(|i| (i, self.couriers[i].at))
            .collect();
        let soon = (0..self.couriers.len())
            .filter(|&i| on(i) && self.couriers[i].free_at > now && self.couriers[i].free_at <= now + 10)
            .filter(|&i| !self.ready_hidden || self.couriers[i].certain_from <= now)
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
        self.couriers[courier] =
            CourierState { place: Place::Restaurant(restaurant), at: r.at, free_at: arrive, certain_from: now };
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
            if self.ready_hidden {
                // The courier rides there and waits; the platform learns only at the shift's end
                // that the food was not ready in time, and the orders are open again then.
                self.reposition(courier, restaurant)?;
                for &o in orders {
                    self.waiting_until[o] = c.off;
                }
            }
            return Err(Refused::AfterShift(courier));
        }
        let last = *orders.last().unwrap_or(&first);
        let id = self.assignments.len();
        for &o in orders {
            self.taken[o] = Some(id);
        }
        let from = state.place;
        self.couriers[courier] = CourierState {
            place: Place::Diner(last),
            at: inst.orders[last].at,
            free_at: t.free_at,
            certain_from: t.pickup,
        };
        self.assignments.push(Assignment { courier, orders: orders.to_vec(), at: now, from, timeline: t });
        Ok(())
    }
}
