//! The dispatcher loop and the operators' dispatch board. A decision reads the waiting tasks and
//! the riders on shift with a fresh position, asks the pure policy (`lokal_dispatch::live`) who
//! takes what, and writes each assignment as a conditional update (a task grabbed or reassigned
//! meanwhile stays with whoever got it first). In grab mode the loop stands aside and riders take
//! offers instead.

use crate::delivery_settings::DispatchMode;
use crate::fulfil::reason_text;
use crate::{App, AppError};
use lokal_core::fulfil::{TaskEvent, TaskStatus, task_next};
use lokal_core::{DeliveryId, ErrorCode, Principal, Role, Timestamp, UserId};
use lokal_dispatch::live::{self, FreeRider, Geo, LiveParams, OpenTask};
use lokal_store::deliveries::{self, DeliveryRow};
use lokal_store::riders::{self, RiderRow};

fn geo(e7: (i64, i64)) -> Geo {
    Geo { lat: e7.0 as f64 / 1e7, lng: e7.1 as f64 / 1e7 }
}

/// What the dispatch board shows.
#[derive(Debug, Clone)]
pub struct Board {
    /// Riders on shift with their load.
    pub riders: Vec<(RiderRow, u32)>,
    /// Tasks not finished, with their flags.
    pub tasks: Vec<BoardTask>,
}

/// A task on the board.
#[derive(Debug, Clone)]
pub struct BoardTask {
    /// The task.
    pub delivery: DeliveryRow,
    /// Its estimated arrival has passed.
    pub late: bool,
    /// It will likely be late: not picked up and its arrival is within ten minutes.
    pub at_risk: bool,
}

/// A waiting task as riders see it before grabbing it.
#[derive(Debug, Clone)]
pub struct Offer {
    /// The task.
    pub id: DeliveryId,
    /// The store.
    pub store_id: lokal_core::StoreId,
    /// Its name.
    pub store_name: String,
    /// Its address.
    pub store_address: String,
    /// Where it is, 1e-7 degrees.
    pub pickup: (i64, i64),
    /// The drop-off rounded to 0.005° (about 500 m), 1e-7 degrees.
    pub drop_area: (i64, i64),
    /// Store to door, metres.
    pub distance_m: i64,
    /// The rider to the store, metres.
    pub from_rider_m: i64,
    /// The rider's pay for it, minor units.
    pub pay: i64,
    /// When the food should be ready.
    pub ready_at: Timestamp,
}

/// A coordinate (1e-7 degrees) rounded to 0.005°: an area, not a door.
fn area(e7: i64) -> i64 {
    (e7 + 25_000).div_euclid(50_000) * 50_000
}

impl App {
    fn live_params(&self) -> LiveParams {
        let s = self.delivery_settings();
        LiveParams {
            capacity: s.rider_capacity.max(1),
            max_pickup_m: f64::from(s.max_pickup_m),
            ..LiveParams::default()
        }
    }

    /// Riders on shift whose position is fresh, with the tasks they hold (taken from `open`).
    async fn available_riders<'a>(
        &self,
        open: &'a [DeliveryRow],
    ) -> Result<Vec<(RiderRow, Vec<&'a DeliveryRow>)>, AppError> {
        let fresh_after = self.now().millis() - self.delivery_settings().position_stale_secs.max(1) * 1000;
        Ok(riders::on_shift(self.db().pool())
            .await?
            .into_iter()
            .filter(|r| r.position.is_some() && r.located_at.is_some_and(|t| t.millis() >= fresh_after))
            .map(|r| {
                let held = open.iter().filter(|d| d.rider_id == Some(r.user_id)).collect();
                (r, held)
            })
            .collect())
    }

    /// One dispatch decision; returns how many tasks were assigned. The server runs it every
    /// `dispatch_interval_secs` and when an order is accepted; tests call it directly.
    pub async fn dispatch_tick(&self) -> Result<usize, AppError> {
        if self.delivery_settings().dispatch_mode == DispatchMode::Grab {
            return Ok(0);
        }
        let open = deliveries::open(self.db().pool(), 1_000).await?;
        let waiting: Vec<&DeliveryRow> = open.iter().filter(|d| d.status == TaskStatus::Waiting).collect();
        if waiting.is_empty() {
            return Ok(0);
        }
        let riders = self.available_riders(&open).await?;
        let tasks: Vec<OpenTask<DeliveryId, lokal_core::StoreId>> = waiting
            .iter()
            .map(|d| OpenTask {
                id: d.id,
                store: d.store_id,
                pickup: geo(d.pickup),
                ready_at: d.ready_at.millis(),
                dropoff: geo(d.drop),
                placed_at: d.created_at.millis(),
            })
            .collect();
        let free: Vec<FreeRider<UserId, lokal_core::StoreId>> = riders
            .iter()
            .filter_map(|(r, held)| {
                Some(FreeRider {
                    id: r.user_id,
                    at: geo(r.position?),
                    load: held.len() as u32,
                    pickups_pending: held
                        .iter()
                        .filter(|d| d.status != TaskStatus::PickedUp)
                        .map(|d| d.store_id)
                        .collect(),
                })
            })
            .collect();
        let now = self.now();
        let mut n = 0;
        for (t, r) in live::assign(now.millis(), &tasks, &free, &self.live_params()) {
            if self.give(waiting[t].id, free[r].id, None, "dispatcher").await? {
                n += 1;
            }
        }
        Ok(n)
    }

    /// Gives a waiting task to a rider; false when it was no longer waiting.
    async fn give(&self, task: DeliveryId, rider: UserId, actor: Option<UserId>, note: &str) -> Result<bool, AppError> {
        let now = self.now();
        let mut tx = self.db().begin().await?;
        // The rider's row first (the order `end_shift` takes them in): a rider who went off
        // shift meanwhile gets nothing.
        if !riders::lock_on_shift(&mut tx, rider).await? || !deliveries::assign(&mut tx, task, rider, now).await? {
            return Ok(false);
        }
        let d = deliveries::get_by_id(&mut *tx, task).await?.ok_or_else(|| AppError::not_found("task"))?;
        let name = riders::get_by_id(&mut *tx, rider).await?.map(|r| r.name).unwrap_or_default();
        self.timeline(&mut tx, d.order_id, "rider_assigned", actor, &format!("{name} ({note})"), now).await?;
        tx.commit().await?;
        let o = self.menu_order(d.order_id).await?;
        self.publish(&o, "rider_assigned");
        Ok(true)
    }

    /// In grab mode: waiting tasks near the rider, nearest first, as offers (store, rounded
    /// drop-off area, distance and pay; who receives it, where exactly and what is in it are for
    /// the rider who grabs it). In assign mode the dispatcher decides: there are no offers.
    pub async fn rider_offers(&self, caller: &Principal) -> Result<Vec<Offer>, AppError> {
        caller.require_role(Role::Rider)?;
        let me = self.rider_me(caller).await?;
        if me.shift_id.is_none() {
            return Err(AppError::new(ErrorCode::NotOnShift, "err-offers-for-riders-on-shift"));
        }
        if self.delivery_settings().dispatch_mode != DispatchMode::Grab {
            return Ok(Vec::new());
        }
        let Some(at) = me.position.map(geo) else { return Ok(Vec::new()) };
        let max = f64::from(self.delivery_settings().max_pickup_m);
        let mut near: Vec<(f64, DeliveryRow)> = deliveries::open(self.db().pool(), 1_000)
            .await?
            .into_iter()
            .filter(|d| d.status == TaskStatus::Waiting)
            .map(|d| (at.distance_m(&geo(d.pickup)), d))
            .filter(|(m, _)| *m <= max)
            .collect();
        near.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut out = Vec::new();
        for (from_rider, d) in near.into_iter().take(20) {
            let store = self.public_store(d.store_id).await?;
            out.push(Offer {
                id: d.id,
                store_id: d.store_id,
                store_name: store.row.name.clone(),
                store_address: store.profile.address.clone(),
                pickup: d.pickup,
                drop_area: (area(d.drop.0), area(d.drop.1)),
                distance_m: d.distance_m,
                from_rider_m: from_rider.round() as i64,
                pay: d.rider_pay,
                ready_at: d.ready_at,
            });
        }
        Ok(out)
    }

    /// In grab mode: the first rider to grab a waiting task gets it.
    pub async fn grab_task(&self, caller: &Principal, id: DeliveryId) -> Result<(), AppError> {
        caller.require_role(Role::Rider)?;
        let me = self.rider_me(caller).await?;
        if me.shift_id.is_none() {
            return Err(AppError::new(ErrorCode::NotOnShift, "err-grab-go-on-shift"));
        }
        if self.delivery_settings().dispatch_mode != DispatchMode::Grab {
            return Err(AppError::new(ErrorCode::Conflict, "err-grab-dispatcher-assigns"));
        }
        let held = deliveries::of_rider(self.db().pool(), caller.user_id).await?.len() as u32;
        if held >= self.delivery_settings().rider_capacity.max(1) {
            return Err(AppError::new(ErrorCode::Conflict, "err-grab-too-many-tasks"));
        }
        let d = deliveries::get_by_id(self.db().pool(), id).await?.ok_or_else(|| AppError::not_found("task"))?;
        let Some(at) = me.position.map(geo) else {
            return Err(AppError::new(ErrorCode::Conflict, "err-grab-share-position"));
        };
        if at.distance_m(&geo(d.pickup)) > f64::from(self.delivery_settings().max_pickup_m) {
            return Err(AppError::new(ErrorCode::Conflict, "err-grab-too-far"));
        }
        if !self.give(id, caller.user_id, Some(caller.user_id), "grabbed").await? {
            return Err(AppError::new(ErrorCode::OrderStateConflict, "err-grab-taken"));
        }
        Ok(())
    }

    /// The dispatch board. Operators.
    pub async fn dispatch_board(&self, caller: &Principal) -> Result<Board, AppError> {
        caller.require_admin()?;
        let now = self.now().millis();
        let tasks = deliveries::open(self.db().pool(), 1_000).await?;
        let mut riders_out = Vec::new();
        for r in riders::on_shift(self.db().pool()).await? {
            let load = tasks.iter().filter(|d| d.rider_id == Some(r.user_id)).count() as u32;
            riders_out.push((r, load));
        }
        let tasks = tasks
            .into_iter()
            .map(|d| {
                let late = d.eta_at.millis() < now;
                let at_risk = !late && d.status != TaskStatus::PickedUp && d.eta_at.millis() - now < 10 * 60_000;
                BoardTask { delivery: d, late, at_risk }
            })
            .collect();
        Ok(Board { riders: riders_out, tasks })
    }

    /// Takes a task from its rider (before pickup) and gives it to `to`, or back to the
    /// dispatcher. Operators, with a reason that goes on the order's timeline (the audit).
    pub async fn reassign(
        &self,
        caller: &Principal,
        id: DeliveryId,
        to: Option<UserId>,
        reason: &str,
    ) -> Result<(), AppError> {
        caller.require_admin()?;
        let reason = reason_text(reason)?;
        let d = deliveries::get_by_id(self.db().pool(), id).await?.ok_or_else(|| AppError::not_found("task"))?;
        if let Some(r) = to {
            let rider = riders::get_by_id(self.db().pool(), r).await?;
            if rider.is_none_or(|x| x.shift_id.is_none()) {
                return Err(AppError::new(ErrorCode::NotOnShift, "err-rider-not-on-shift"));
            }
        }
        let from = d.status;
        let now = self.now();
        if from != TaskStatus::Waiting {
            if task_next(from, TaskEvent::Release).is_none() {
                return Err(AppError::new(
                    ErrorCode::OrderStateConflict,
                    lokal_core::Msg::new("err-task-stays-with-rider").with("status", from.as_str()),
                ));
            }
            let mut tx = self.db().begin().await?;
            if !deliveries::step(&mut tx, id, None, from, TaskStatus::Waiting, now).await? {
                return Err(AppError::new(ErrorCode::OrderStateConflict, "err-task-changed"));
            }
            self.timeline(&mut tx, d.order_id, "reassigned", Some(caller.user_id), &reason, now).await?;
            tx.commit().await?;
        }
        match to {
            Some(r) if !self.give(id, r, Some(caller.user_id), &reason).await? => {
                Err(AppError::new(ErrorCode::OrderStateConflict, "err-task-taken"))
            }
            Some(_) => Ok(()),
            None => {
                self.wake_dispatcher();
                Ok(())
            }
        }
    }
}
