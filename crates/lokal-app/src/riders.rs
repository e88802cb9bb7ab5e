//! Riders: apply (operators approve, which grants the rider role), go on and off shift, share
//! their position while on shift, and work their tasks — at the store, picked up, delivered
//! against the consumer's code — or report an exception. Pay per task is settled with the order;
//! at the end of a shift the hourly guarantee tops earnings up. A rider sees only their own tasks.

use crate::fulfil::{MenuOrder, conflict, reason_text};
use crate::ledger::post;
use crate::live::LiveEvent;
use crate::{App, AppError};
use lokal_core::fulfil::RiderStatus;
use lokal_core::fulfil::{Actor, OrderEvent, OrderStatus, TaskEvent, TaskStatus, task_next};
use lokal_core::geo::Implausible;
use lokal_core::geo::LatLng;
use lokal_core::ledger::{self, Account};
use lokal_core::{DeliveryId, ErrorCode, FieldError, Principal, Role, ShiftId, StoreScope, Timestamp, UserId};
use lokal_store::deliveries::{self, DeliveryRow};
use lokal_store::riders::{self, RiderRow, ShiftRow};
use lokal_store::takeout::{self, Stamp};

/// An application to ride.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RiderApplicationJson {
    /// The name shown to stores and consumers (1 to 64 characters).
    pub name: String,
    /// A phone number for the dispatch desk.
    pub phone: String,
    /// `bike`, `e-bike`, `scooter`, `car` or `foot`.
    pub vehicle: String,
}

/// What a rider reports when a task cannot go as planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Exception {
    /// The store is late: the task goes back to the dispatcher (before pickup).
    StoreDelay,
    /// The consumer cannot be reached at the door: operators are alerted and decide.
    CustomerUnreachable,
    /// The rider cannot continue (breakdown, accident): before pickup the task is reassigned;
    /// after, operators are alerted.
    RiderProblem,
}

/// The move `event` makes from the task's status: `(from, to)`, or a conflict.
fn task_move(d: &DeliveryRow, event: TaskEvent) -> Result<(TaskStatus, TaskStatus), AppError> {
    let from = d.status;
    let to = task_next(from, event)
        .ok_or_else(|| conflict(lokal_core::Msg::new("err-task-status").with("status", from.as_str())))?;
    Ok((from, to))
}

/// Applies a move of a rider's own task in `tx`; a conflict when it changed meanwhile (another
/// device, a reassignment or a cancellation won).
async fn step_own(
    tx: &mut lokal_store::Tx,
    d: &DeliveryRow,
    rider: UserId,
    (from, to): (TaskStatus, TaskStatus),
    now: Timestamp,
) -> Result<(), AppError> {
    if !deliveries::step(tx, d.id, Some(rider), from, to, now).await? {
        return Err(conflict("err-task-changed"));
    }
    Ok(())
}

/// A task as its rider sees it.
#[derive(Debug, Clone)]
pub struct RiderTask {
    /// The task.
    pub delivery: DeliveryRow,
    /// Its order.
    pub order: MenuOrder,
    /// The store's address.
    pub store_address: String,
}

/// A rider's earnings.
#[derive(Debug, Clone)]
pub struct Earnings {
    /// What the platform owes the rider, minor units.
    pub balance: i64,
    /// Recent shifts.
    pub shifts: Vec<ShiftRow>,
    /// Recent deliveries.
    pub delivered: Vec<DeliveryRow>,
}

const VEHICLES: [&str; 5] = ["bike", "e-bike", "scooter", "car", "foot"];

impl App {
    /// Applies to ride. A rejected applicant may apply again; a pending or approved one may not.
    pub async fn apply_rider(&self, caller: &Principal, a: RiderApplicationJson) -> Result<RiderRow, AppError> {
        let name = lokal_core::account::DisplayName::parse("name", &a.name)?.as_str().to_owned();
        let phone = lokal_core::account::Phone::parse("phone", &a.phone)?;
        if !VEHICLES.contains(&a.vehicle.as_str()) {
            return Err(FieldError::new(
                "vehicle",
                lokal_core::Msg::new("field-one-of").with("choices", VEHICLES.join(", ")),
            )
            .into());
        }
        let now = self.now();
        let row = RiderRow {
            user_id: caller.user_id,
            name,
            phone: phone.as_str().to_owned(),
            vehicle: a.vehicle,
            status: RiderStatus::Pending,
            reason: String::new(),
            shift_id: None,
            position: None,
            located_at: None,
            created_at: now,
            updated_at: now,
        };
        if !riders::apply(self.db().pool(), &row).await? {
            return Err(AppError::new(ErrorCode::Conflict, "err-rider-applied"));
        }
        Ok(row)
    }

    /// The caller's rider record.
    pub async fn rider_me(&self, caller: &Principal) -> Result<RiderRow, AppError> {
        riders::get_by_id(self.db().pool(), caller.user_id).await?.ok_or_else(|| AppError::not_found("rider"))
    }

    /// Riders in `status` (a [`RiderStatus`] name). Operators.
    pub async fn riders(&self, caller: &Principal, status: &str) -> Result<Vec<RiderRow>, AppError> {
        caller.require_admin()?;
        let status = RiderStatus::parse_field("status", status)?;
        Ok(riders::with_status(self.db().pool(), status).await?)
    }

    /// Approves (granting the rider role) or rejects a pending application. Operators; one
    /// decision wins when two race.
    pub async fn decide_rider(
        &self,
        caller: &Principal,
        user: UserId,
        approve: bool,
        reason: &str,
    ) -> Result<RiderRow, AppError> {
        caller.require_admin()?;
        let reason = if approve { String::new() } else { reason_text(reason)? };
        let now = self.now();
        let mut tx = self.db().begin().await?;
        let status = if approve { RiderStatus::Approved } else { RiderStatus::Rejected };
        if !riders::decide(&mut tx, user, status, &reason, now).await? {
            return Err(match riders::get_by_id(&mut *tx, user).await? {
                Some(r) => AppError::new(
                    ErrorCode::Conflict,
                    lokal_core::Msg::new("err-rider-application-status").with("status", r.status.as_str()),
                ),
                None => AppError::not_found("rider application"),
            });
        }
        tx.commit().await?;
        if approve {
            let held = lokal_store::grants::for_user(self.db().pool(), user).await?;
            if !held.iter().any(|g| g.role == Role::Rider) {
                self.insert_grant(user, Role::Rider, None, StoreScope::All).await?;
            }
        }
        self.rider_me(&Principal { user_id: user, grants: Vec::new() }).await
    }

    async fn approved_rider(&self, caller: &Principal) -> Result<RiderRow, AppError> {
        caller.require_role(Role::Rider)?;
        let r = self.rider_me(caller).await?;
        if r.status == RiderStatus::Suspended {
            return Err(AppError::new(ErrorCode::Forbidden, "err-rider-suspended"));
        }
        if r.status != RiderStatus::Approved {
            return Err(AppError::new(ErrorCode::Forbidden, "err-rider-not-approved"));
        }
        Ok(r)
    }

    /// Goes on shift.
    pub async fn start_shift(&self, caller: &Principal) -> Result<RiderRow, AppError> {
        self.approved_rider(caller).await?;
        let mut tx = self.db().begin().await?;
        if !riders::start_shift(&mut tx, caller.user_id, ShiftId::generate(), self.now()).await? {
            return Err(AppError::new(ErrorCode::Conflict, "err-on-shift-already"));
        }
        tx.commit().await?;
        self.rider_me(caller).await
    }

    /// Goes off shift: tasks not yet picked up go back to the dispatcher; the shift's earnings
    /// are topped up to the hourly guarantee for the minutes the rider was available (reporting a
    /// position). Refused while carrying food.
    pub async fn end_shift(&self, caller: &Principal) -> Result<ShiftRow, AppError> {
        self.approved_rider(caller).await?;
        let now = self.now();
        let mut tx = self.db().begin().await?;
        let shift = self.close_shift(&mut tx, caller.user_id, Some(caller.user_id), "shift ended", now).await?;
        let mut shift = shift.ok_or_else(|| AppError::new(ErrorCode::NotOnShift, "err-not-on-shift"))?;
        let s = self.delivery_settings();
        let pings = riders::ping_times(&mut *tx, caller.user_id, shift.started_at.millis(), now.millis()).await?;
        let available = lokal_core::takeout::available_ms(&pings, now.millis(), s.position_stale_secs.max(1) * 1000);
        let topup = lokal_core::takeout::guarantee_topup(s.rider_hourly_guarantee, available, shift.earned);
        if topup > 0 {
            let postings = ledger::rider_topup(caller.user_id, topup);
            post(&mut tx, "guarantee", &shift.id.to_string(), "hourly guarantee", postings, now).await?;
            riders::set_topup(&mut tx, shift.id, topup).await?;
            shift.topup = topup;
        }
        tx.commit().await?;
        self.wake_dispatcher();
        Ok(shift)
    }

    /// Ends `rider`'s shift, if on one, inside `tx`: the tasks not picked up go back to the
    /// dispatcher (refused while the rider carries food). Returns the shift ended.
    pub(crate) async fn close_shift(
        &self,
        tx: &mut lokal_store::Tx,
        rider: UserId,
        actor: Option<UserId>,
        why: &str,
        now: lokal_core::Timestamp,
    ) -> Result<Option<ShiftRow>, AppError> {
        // The rider's row first: an assignment racing this waits for it, then sees the rider off
        // shift; tasks are read after it, so none given meanwhile is left behind.
        let Some(shift) = riders::end_shift(tx, rider, now).await? else { return Ok(None) };
        let held = deliveries::of_rider(&mut **tx, rider).await?;
        if held.iter().any(|d| d.status == TaskStatus::PickedUp) {
            return Err(AppError::new(ErrorCode::Conflict, "err-shift-end-carrying"));
        }
        for d in &held {
            if !deliveries::step(tx, d.id, Some(rider), d.status, TaskStatus::Waiting, now).await? {
                return Err(conflict("err-tasks-changed"));
            }
            self.timeline(tx, d.order_id, "rider_released", actor, why, now).await?;
        }
        Ok(Some(shift))
    }

    /// Suspends an approved rider (operators, with a reason; audited): their shift ends, the
    /// tasks they have not picked up go back to the dispatcher, and they can do nothing as a
    /// rider until reinstated. Refused (409) while they carry food.
    pub async fn suspend_rider(&self, caller: &Principal, rider: UserId, reason: &str) -> Result<RiderRow, AppError> {
        caller.require_admin()?;
        let reason = reason_text(reason)?;
        let now = self.now();
        let mut tx = self.db().begin().await?;
        if !riders::set_status(&mut tx, rider, RiderStatus::Approved, RiderStatus::Suspended, &reason, now).await? {
            riders::get_by_id(&mut *tx, rider).await?.ok_or_else(|| AppError::not_found("rider"))?;
            return Err(AppError::new(ErrorCode::Conflict, "err-rider-not-suspendable"));
        }
        self.close_shift(&mut tx, rider, Some(caller.user_id), "rider suspended", now).await?;
        tx.commit().await?;
        self.audit(Some(caller.user_id), "rider.suspended", format!("rider:{rider}"), reason).await?;
        self.wake_dispatcher();
        riders::get_by_id(self.db().pool(), rider).await?.ok_or_else(|| AppError::not_found("rider"))
    }

    /// Lifts a suspension (operators; audited).
    pub async fn reinstate_rider(&self, caller: &Principal, rider: UserId, reason: &str) -> Result<RiderRow, AppError> {
        caller.require_admin()?;
        let reason = reason_text(reason)?;
        let mut tx = self.db().begin().await?;
        if !riders::set_status(&mut tx, rider, RiderStatus::Suspended, RiderStatus::Approved, "", self.now()).await? {
            riders::get_by_id(&mut *tx, rider).await?.ok_or_else(|| AppError::not_found("rider"))?;
            return Err(AppError::new(ErrorCode::Conflict, "err-rider-not-suspended"));
        }
        tx.commit().await?;
        self.audit(Some(caller.user_id), "rider.reinstated", format!("rider:{rider}"), reason).await?;
        riders::get_by_id(self.db().pool(), rider).await?.ok_or_else(|| AppError::not_found("rider"))
    }

    /// Records the rider's position (on shift only). Consumers whose food this rider carries
    /// are told to refresh their tracking.
    pub async fn rider_location(&self, caller: &Principal, lat: f64, lng: f64) -> Result<(), AppError> {
        let r = self.approved_rider(caller).await?;
        if r.shift_id.is_none() {
            return Err(AppError::new(ErrorCode::NotOnShift, "err-position-off-shift"));
        }
        let p = LatLng::new(lat, lng)?;
        self.check_plausible(caller, &r, &p).await?;
        let (a, b) = p.to_e7();
        let sample = self.delivery_settings().ping_sample_secs.max(1) * 1000;
        let mut tx = self.db().begin().await?;
        riders::locate(&mut tx, caller.user_id, a, b, self.now(), sample).await?;
        tx.commit().await?;
        for d in deliveries::of_rider(self.db().pool(), caller.user_id).await? {
            self.bus().publish(LiveEvent {
                kind: "position",
                order_id: Some(d.order_id),
                store_id: Some(d.store_id),
                consumer_id: None,
                rider_id: Some(caller.user_id),
            });
        }
        Ok(())
    }

    /// A position must be in the city and within reach of the last one; one that is not is
    /// refused and recorded in the audit log (`rider.position_refused`) for operators.
    async fn check_plausible(&self, caller: &Principal, r: &RiderRow, p: &LatLng) -> Result<(), AppError> {
        let s = self.delivery_settings();
        let last =
            r.position.zip(r.located_at).and_then(|((a, b), t)| LatLng::from_e7(a, b).ok().map(|l| (l, t.millis())));
        let now = self.now().millis();
        let verdict = lokal_core::geo::check_position(
            &self.site().center,
            f64::from(s.city_radius_m),
            last,
            p,
            now,
            f64::from(s.max_rider_speed_kmh),
        );
        let Err(why) = verdict else { return Ok(()) };
        let detail = match why {
            Implausible::OutsideCity(m) => format!("{m:.0} m from the city centre at {:.5},{:.5}", p.lat(), p.lng()),
            Implausible::TooFast { metres, seconds } => format!("{metres:.0} m in {seconds:.0} s"),
        };
        self.audit(Some(caller.user_id), "rider.position_refused", format!("rider:{}", caller.user_id), detail).await?;
        Err(AppError::new(ErrorCode::PositionImplausible, "err-position-implausible"))
    }

    /// The rider's open tasks, oldest first.
    pub async fn rider_tasks(&self, caller: &Principal) -> Result<Vec<RiderTask>, AppError> {
        self.approved_rider(caller).await?;
        let mut out = Vec::new();
        for d in deliveries::of_rider(self.db().pool(), caller.user_id).await? {
            out.push(self.rider_task(d).await?);
        }
        Ok(out)
    }

    pub(crate) async fn rider_task(&self, d: DeliveryRow) -> Result<RiderTask, AppError> {
        let order = self.menu_order(d.order_id).await?;
        let store_address = self.public_store(d.store_id).await?.profile.address;
        Ok(RiderTask { delivery: d, order, store_address })
    }

    /// The rider's task by id; another rider's task does not exist for them.
    async fn own_task(&self, caller: &Principal, id: DeliveryId) -> Result<DeliveryRow, AppError> {
        self.approved_rider(caller).await?;
        let d = deliveries::get_by_id(self.db().pool(), id).await?.filter(|d| d.rider_id == Some(caller.user_id));
        d.ok_or_else(|| AppError::not_found("task"))
    }

    /// The rider is at the store.
    pub async fn task_arrived(&self, caller: &Principal, id: DeliveryId) -> Result<RiderTask, AppError> {
        let d = self.own_task(caller, id).await?;
        let now = self.now();
        let step = task_move(&d, TaskEvent::Arrive)?;
        let mut tx = self.db().begin().await?;
        step_own(&mut tx, &d, caller.user_id, step, now).await?;
        self.timeline(&mut tx, d.order_id, "rider_at_store", Some(caller.user_id), "", now).await?;
        tx.commit().await?;
        self.task_changed(id, "rider_at_store").await
    }

    /// The task as it is now, after a change that live pages are told about.
    async fn task_changed(&self, id: DeliveryId, kind: &'static str) -> Result<RiderTask, AppError> {
        let d = deliveries::get_by_id(self.db().pool(), id).await?.ok_or_else(|| AppError::not_found("task"))?;
        let t = self.rider_task(d).await?;
        self.publish(&t.order, kind);
        Ok(t)
    }

    /// The rider has the food: the task and the order move together, or neither does (a
    /// cancellation or another device racing this one wins or loses as a whole).
    pub async fn task_picked_up(&self, caller: &Principal, id: DeliveryId) -> Result<RiderTask, AppError> {
        let d = self.own_task(caller, id).await?;
        let o = self.menu_order(d.order_id).await?;
        let now = self.now();
        let step = task_move(&d, TaskEvent::PickUp)?;
        // The order row first, then the task: every use case takes them in this order, so two
        // of them never wait for each other on PostgreSQL.
        let mut tx = self.db().begin().await?;
        self.move_order(&mut tx, &o, OrderEvent::PickedUp, Actor::Rider, now).await?;
        step_own(&mut tx, &d, caller.user_id, step, now).await?;
        if o.status() == OrderStatus::Accepted {
            takeout::stamp(&mut tx, o.order.id, Stamp::Ready, now).await?;
        }
        let ride = (d.distance_m as f64 / lokal_core::takeout::RIDER_M_PER_MIN).ceil() as i64;
        let eta = now.plus_secs((ride + 2) * 60);
        deliveries::set_eta(&mut tx, id, eta).await?;
        takeout::stamp(&mut tx, o.order.id, Stamp::Eta, eta).await?;
        self.timeline(&mut tx, o.order.id, "picked_up", Some(caller.user_id), "", now).await?;
        tx.commit().await?;
        self.task_changed(id, "picked_up").await
    }

    /// Handed over against the consumer's delivery code: the order completes and is settled,
    /// the rider's pay is credited.
    pub async fn task_delivered(&self, caller: &Principal, id: DeliveryId, code: &str) -> Result<RiderTask, AppError> {
        let d = self.own_task(caller, id).await?;
        let o = self.menu_order(d.order_id).await?;
        self.check_code(&o, code).await?;
        let now = self.now();
        let step = task_move(&d, TaskEvent::Deliver)?;
        let rider = self.rider_me(caller).await?;
        let mut tx = self.db().begin().await?;
        self.move_order(&mut tx, &o, OrderEvent::HandOver, Actor::Rider, now).await?;
        step_own(&mut tx, &d, caller.user_id, step, now).await?;
        takeout::stamp(&mut tx, o.order.id, Stamp::Completed, now).await?;
        self.settle(&mut tx, &o, Some((caller.user_id, d.rider_pay)), now).await?;
        if let Some(shift) = rider.shift_id {
            riders::add_to_shift(&mut tx, shift, d.rider_pay, 0).await?;
        }
        self.timeline(&mut tx, o.order.id, "delivered", Some(caller.user_id), "", now).await?;
        tx.commit().await?;
        self.task_changed(id, "completed").await
    }

    /// A rider's exception. Before pickup, a store delay or a rider problem hands the task back
    /// to the dispatcher; anything after pickup is put on the order's timeline for operators,
    /// who reassign or cancel from the dispatch board.
    pub async fn task_exception(
        &self,
        caller: &Principal,
        id: DeliveryId,
        kind: Exception,
        note: &str,
    ) -> Result<(), AppError> {
        let d = self.own_task(caller, id).await?;
        let note = lokal_core::field::line_of_text("note", note, 200, false)?;
        let now = self.now();
        let from = d.status;
        let label = match kind {
            Exception::StoreDelay => "exception: store delay",
            Exception::CustomerUnreachable => "exception: customer unreachable",
            Exception::RiderProblem => "exception: rider problem",
        };
        let release = kind != Exception::CustomerUnreachable && task_next(from, TaskEvent::Release).is_some();
        let mut tx = self.db().begin().await?;
        if release && !deliveries::step(&mut tx, id, Some(caller.user_id), from, TaskStatus::Waiting, now).await? {
            return Err(conflict("err-task-changed"));
        }
        self.timeline(&mut tx, d.order_id, label, Some(caller.user_id), &note, now).await?;
        tx.commit().await?;
        let o = self.menu_order(d.order_id).await?;
        self.publish(&o, "exception");
        if release {
            self.wake_dispatcher();
        }
        Ok(())
    }

    /// The rider's balance, shifts and recent deliveries.
    pub async fn rider_earnings(&self, caller: &Principal) -> Result<Earnings, AppError> {
        self.approved_rider(caller).await?;
        let pool = self.db().pool();
        let payable = lokal_store::ledger::balance(pool, &Account::RiderPayable(caller.user_id).to_string()).await?;
        Ok(Earnings {
            balance: -payable,
            shifts: riders::shifts(pool, caller.user_id, 20).await?,
            delivered: deliveries::history(pool, caller.user_id, 50).await?,
        })
    }
}
