//! Fulfilling menu orders: what happens once one is paid. The store accepts or rejects it within
//! its SLA (the system decides when it does not), prepares it, marks it ready and hands pickups
//! and dine-in orders over; riders carry deliveries (see `riders`). Every move asks the core state
//! machine first and is then applied as a conditional update, so racing moves have one winner.
//! Money: a completed order is settled to merchant, platform and rider; a cancelled or rejected
//! paid order is refunded in full (see docs/decisions.md D.3 for who may cancel when).

use crate::live::LiveEvent;
use crate::{App, AppError};
use lokal_core::fulfil::{self, Actor, Mode, OrderEvent, OrderStatus, TaskEvent, TaskStatus};
use lokal_core::{DeliveryId, ErrorCode, OrderId, Principal, Scope, StaffRole, Timestamp, UserId};
use lokal_store::deliveries::{self, DeliveryRow};
use lokal_store::orders::{self, OrderRow};
use lokal_store::takeout::{self, DetailRow, EventRow, LineRow, Stamp};

/// A menu order with everything its pages show.
#[derive(Debug, Clone)]
pub struct MenuOrder {
    /// The order.
    pub order: OrderRow,
    /// Its details.
    pub detail: DetailRow,
    /// Its lines.
    pub lines: Vec<LineRow>,
    /// Its timeline.
    pub events: Vec<EventRow>,
    /// Its delivery task, if it has one.
    pub delivery: Option<DeliveryRow>,
    /// The store's name.
    pub store_name: String,
    /// The mode, decoded from the order's kind once.
    mode: Mode,
}

impl MenuOrder {
    /// The mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The status.
    pub fn status(&self) -> OrderStatus {
        self.order.status
    }
}

pub(crate) fn conflict(msg: impl Into<lokal_core::Msg>) -> AppError {
    AppError::new(ErrorCode::OrderStateConflict, msg)
}

impl App {
    /// A menu order, loaded whole (no access check: callers check).
    pub(crate) async fn menu_order(&self, id: OrderId) -> Result<MenuOrder, AppError> {
        let pool = self.db().pool();
        let order = orders::get_by_id(pool, id).await?.filter(|o| o.kind != "deal");
        let order = order.ok_or_else(|| AppError::not_found("order"))?;
        // A menu order's kind is its mode; anything else is a corrupt row, never a delivery.
        let mode =
            order.kind.parse::<Mode>().map_err(|e| lokal_store::StoreError::Corrupt(format!("orders.kind: {e}")))?;
        let detail = takeout::detail(pool, id).await?.ok_or_else(|| AppError::not_found("order"))?;
        let store_name = match detail.store_id {
            Some(s) => lokal_store::stores::get_by_id(pool, s).await?.map(|s| s.name).unwrap_or_default(),
            None => String::new(),
        };
        Ok(MenuOrder {
            lines: takeout::lines(pool, id).await?,
            events: takeout::events(pool, id).await?,
            delivery: deliveries::for_order(pool, id).await?,
            order,
            detail,
            store_name,
            mode,
        })
    }

    /// Who the caller is to this order: its consumer, staff of its store, or an operator.
    /// Anyone else is told it does not exist.
    fn order_actor(caller: &Principal, o: &MenuOrder) -> Result<Actor, AppError> {
        if caller.is_admin() {
            return Ok(Actor::Operator);
        }
        if o.order.user_id == caller.user_id {
            return Ok(Actor::Consumer);
        }
        let store = o.order.store_id.ok_or_else(|| AppError::not_found("order"))?;
        if caller.authorize(Scope::Store(o.order.merchant_id, store), StaffRole::Clerk).is_ok() {
            return Ok(Actor::Store);
        }
        Err(AppError::not_found("order"))
    }

    /// A menu order for its consumer, the staff of its store or an operator.
    pub async fn menu_order_for(&self, caller: &Principal, id: OrderId) -> Result<(MenuOrder, Actor), AppError> {
        let o = self.menu_order(id).await?;
        let actor = Self::order_actor(caller, &o)?;
        Ok((o, actor))
    }

    /// The store's orders for its desk: the active ones, or the latest 100 of any state.
    pub async fn store_orders(
        &self,
        caller: &Principal,
        store: lokal_core::StoreId,
        active_only: bool,
    ) -> Result<Vec<MenuOrder>, AppError> {
        self.store_row(caller, store, StaffRole::Clerk).await?;
        let mut out = Vec::new();
        for id in takeout::store_orders(self.db().pool(), store, active_only, 100).await? {
            out.push(self.menu_order(id).await?);
        }
        Ok(out)
    }

    /// The caller's menu orders, newest first.
    pub async fn my_menu_orders(&self, caller: &Principal) -> Result<Vec<MenuOrder>, AppError> {
        let mut out = Vec::new();
        for o in orders::for_user(self.db().pool(), caller.user_id).await? {
            if o.kind != "deal" {
                out.push(self.menu_order(o.id).await?);
            }
        }
        Ok(out)
    }

    /// Moves `o` by `event` as `actor` inside `tx`; refuses (409) when the machine or a racing
    /// move says no. Returns the new status.
    pub(crate) async fn move_order(
        &self,
        tx: &mut lokal_store::Tx,
        o: &MenuOrder,
        event: OrderEvent,
        actor: Actor,
        now: Timestamp,
    ) -> Result<OrderStatus, AppError> {
        let from = o.status();
        let to = fulfil::next(o.mode(), from, event, actor).map_err(|e| conflict(e.msg()))?;
        if !orders::transition(tx, o.order.id, from, to, now).await? {
            return Err(AppError::new(ErrorCode::OrderStateConflict, "err-order-changed"));
        }
        Ok(to)
    }

    /// The store accepts a paid order, with its preparation time (default: the store's usual).
    /// A delivery order gets its delivery task, which the dispatcher picks up.
    pub async fn accept_order(
        &self,
        caller: &Principal,
        id: OrderId,
        prep_minutes: Option<u32>,
    ) -> Result<MenuOrder, AppError> {
        let (o, actor) = self.menu_order_for(caller, id).await?;
        if actor != Actor::Store && actor != Actor::Operator {
            return Err(AppError::new(ErrorCode::Forbidden, "err-only-store-accepts"));
        }
        if prep_minutes.is_some_and(|p| !(1..=180).contains(&p)) {
            return Err(lokal_core::FieldError::new("prep_minutes", lokal_core::field::between(1, 180)).into());
        }
        self.accept(&o, Actor::Store, Some(caller.user_id), prep_minutes).await?;
        self.menu_order(id).await
    }

    pub(crate) async fn accept(
        &self,
        o: &MenuOrder,
        actor: Actor,
        who: Option<UserId>,
        prep: Option<u32>,
    ) -> Result<(), AppError> {
        let now = self.now();
        let prep = i64::from(prep.unwrap_or(u32::try_from(o.detail.prep_minutes).unwrap_or(15)));
        let mut tx = self.db().begin().await?;
        self.move_order(&mut tx, o, OrderEvent::Accept, actor, now).await?;
        takeout::set_prep_and_reason(&mut tx, o.order.id, Some(prep), "").await?;
        takeout::stamp(&mut tx, o.order.id, Stamp::Accepted, now).await?;
        // A slot order is ready for its slot, not earlier.
        let ready_at = o.detail.scheduled_at.map_or(now.plus_secs(prep * 60), |s| s.plus_secs(-10 * 60)).max(now);
        if o.mode() == Mode::Delivery {
            let store = self.store_location(o).await?;
            let task = self.new_task(o, store, ready_at, now)?;
            takeout::stamp(&mut tx, o.order.id, Stamp::Eta, task.eta_at).await?;
            deliveries::insert(&mut tx, &task).await?;
        } else {
            takeout::stamp(&mut tx, o.order.id, Stamp::Eta, ready_at).await?;
        }
        let note = if actor == Actor::System {
            "accepted automatically (no answer in time)".to_owned()
        } else {
            format!("ready in {prep} min")
        };
        self.timeline(&mut tx, o.order.id, "accepted", who, &note, now).await?;
        tx.commit().await?;
        self.publish(o, "accepted");
        self.wake_dispatcher();
        Ok(())
    }

    fn new_task(
        &self,
        o: &MenuOrder,
        store: lokal_core::geo::LatLng,
        ready_at: Timestamp,
        now: Timestamp,
    ) -> Result<DeliveryRow, AppError> {
        let s = self.delivery_settings();
        let drop = o.detail.drop.ok_or_else(|| AppError::internal(std::io::Error::other("delivery without a door")))?;
        let door = lokal_core::geo::LatLng::from_e7(drop.0, drop.1).map_err(AppError::internal)?;
        let distance = store.distance_m(&door);
        let ride = (distance / lokal_core::takeout::RIDER_M_PER_MIN).ceil() as i64;
        Ok(DeliveryRow {
            id: DeliveryId::generate(),
            order_id: o.order.id,
            store_id: o.order.store_id.ok_or_else(|| AppError::not_found("store"))?,
            rider_id: None,
            status: TaskStatus::Waiting,
            pickup: store.to_e7(),
            drop,
            distance_m: distance.round() as i64,
            rider_pay: lokal_core::takeout::rider_pay(s.rider_pay_base, s.rider_pay_per_km, distance, s.min_rider_pay),
            ready_at,
            eta_at: ready_at.plus_secs((ride + 2) * 60),
            assigned_at: None,
            arrived_at: None,
            picked_at: None,
            delivered_at: None,
            created_at: now,
            updated_at: now,
        })
    }

    async fn store_location(&self, o: &MenuOrder) -> Result<lokal_core::geo::LatLng, AppError> {
        let store = o.order.store_id.ok_or_else(|| AppError::not_found("store"))?;
        let view = self.public_store(store).await?;
        view.profile.location.ok_or_else(|| AppError::new(ErrorCode::OrderStateConflict, "err-store-no-location"))
    }

    /// The store refuses a paid order; the consumer is refunded in full.
    pub async fn reject_order(&self, caller: &Principal, id: OrderId, reason: &str) -> Result<MenuOrder, AppError> {
        let (o, actor) = self.menu_order_for(caller, id).await?;
        if actor != Actor::Store && actor != Actor::Operator {
            return Err(AppError::new(ErrorCode::Forbidden, "err-only-store-rejects"));
        }
        let reason = reason_text(reason)?;
        self.end_with_refund(&o, OrderEvent::Reject, Actor::Store, Some(caller.user_id), &reason).await?;
        self.menu_order(id).await
    }

    /// The store finished preparing.
    pub async fn mark_ready(&self, caller: &Principal, id: OrderId) -> Result<MenuOrder, AppError> {
        let (o, actor) = self.menu_order_for(caller, id).await?;
        if actor != Actor::Store {
            return Err(AppError::new(ErrorCode::Forbidden, "err-only-store-marks-ready"));
        }
        let now = self.now();
        let mut tx = self.db().begin().await?;
        self.move_order(&mut tx, &o, OrderEvent::MarkReady, Actor::Store, now).await?;
        takeout::stamp(&mut tx, id, Stamp::Ready, now).await?;
        self.timeline(&mut tx, id, "ready", Some(caller.user_id), "", now).await?;
        // The dispatcher plans by the ready time: it is now, and the estimate moves with it.
        if o.mode() == Mode::Delivery
            && let Some(eta) = deliveries::food_ready(&mut tx, id, now).await?
        {
            takeout::stamp(&mut tx, id, Stamp::Eta, eta).await?;
        }
        if o.mode() != Mode::Delivery {
            // The consumer is told the moment it is ready (a rider is told by the dispatcher).
            // In the consumer's language: the one they saved, else the platform's.
            let lang = self.lang_of(&mut tx, o.order.user_id).await?;
            let store = o.store_name.as_str();
            let body = match o.mode() {
                Mode::Pickup => lokal_core::Msg::new("notify-ready-pickup")
                    .with("store", store)
                    .with("code", o.detail.code.as_str()),
                _ => lokal_core::Msg::new("notify-ready-dine-in")
                    .with("store", store)
                    .with("table", o.detail.table_code.as_str()),
            };
            let message = lokal_store::outbox::MessageRow {
                id: uuid::Uuid::now_v7().to_string(),
                user_id: o.order.user_id,
                channel: "sms".into(),
                subject: lokal_i18n::render(lang, &lokal_core::Msg::new("notify-ready-subject").with("store", store)),
                body: lokal_i18n::render(lang, &body),
                created_at: now,
                link: format!("/orders/{}/track", o.order.id),
                read_at: None,
                kind: lokal_core::notice::MessageKind::OrderUpdate.as_str().into(),
                params: crate::outbound::params_json(serde_json::json!({
                    "store": store, "code": o.detail.code, "table": o.detail.table_code, "status": "ready",
                })),
            };
            self.send_message(&mut tx, &message).await?;
        }
        tx.commit().await?;
        self.publish(&o, "ready");
        if o.mode() == Mode::Delivery {
            self.wake_dispatcher();
        }
        self.menu_order(id).await
    }

    /// The store hands a pickup order (against its pickup code) or a dine-in order over; the
    /// order is settled.
    pub async fn hand_over(&self, caller: &Principal, id: OrderId, code: Option<&str>) -> Result<MenuOrder, AppError> {
        let (o, actor) = self.menu_order_for(caller, id).await?;
        self.hand_over_order(caller, o, actor, code).await
    }

    async fn hand_over_order(
        &self,
        caller: &Principal,
        o: MenuOrder,
        actor: Actor,
        code: Option<&str>,
    ) -> Result<MenuOrder, AppError> {
        if actor != Actor::Store {
            return Err(AppError::new(ErrorCode::Forbidden, "err-only-store-hands-over"));
        }
        let id = o.order.id;
        if o.mode() == Mode::Pickup {
            self.check_code(&o, code.unwrap_or("")).await?;
        }
        let now = self.now();
        let mut tx = self.db().begin().await?;
        self.move_order(&mut tx, &o, OrderEvent::HandOver, Actor::Store, now).await?;
        takeout::stamp(&mut tx, id, Stamp::Completed, now).await?;
        self.settle(&mut tx, &o, None, now).await?;
        self.timeline(&mut tx, id, "completed", Some(caller.user_id), "", now).await?;
        tx.commit().await?;
        self.publish(&o, "completed");
        self.menu_order(id).await
    }

    /// Cancels an order as its consumer (until the store accepts), its store (until a rider or
    /// the consumer took it) or an operator (until it is finished). Paid money is refunded in
    /// full; an operator's cancellation after pickup also pays the store and the rider for the
    /// work done, at the platform's cost.
    pub async fn cancel_menu_order(
        &self,
        caller: &Principal,
        id: OrderId,
        reason: &str,
    ) -> Result<MenuOrder, AppError> {
        let (o, actor) = self.menu_order_for(caller, id).await?;
        let reason = reason_text(reason)?;
        self.end_with_refund(&o, OrderEvent::Cancel, actor, Some(caller.user_id), &reason).await?;
        self.menu_order(id).await
    }

    /// Ends an order by `event` (reject or cancel), refunding what was paid.
    pub(crate) async fn end_with_refund(
        &self,
        o: &MenuOrder,
        event: OrderEvent,
        actor: Actor,
        who: Option<UserId>,
        reason: &str,
    ) -> Result<(), AppError> {
        let now = self.now();
        let held = o.status().holds_money();
        let picked_up = o.status() == OrderStatus::Delivering;
        let mut tx = self.db().begin().await?;
        let to = self.move_order(&mut tx, o, event, actor, now).await?;
        takeout::set_prep_and_reason(&mut tx, o.order.id, None, reason).await?;
        if let Some(d) = &o.delivery {
            let from = d.status;
            if fulfil::task_next(from, TaskEvent::Cancel).is_some()
                && !deliveries::step(&mut tx, d.id, None, from, TaskStatus::Cancelled, now).await?
            {
                return Err(AppError::new(ErrorCode::OrderStateConflict, "err-delivery-changed"));
            }
        }
        if o.status() == OrderStatus::Paid
            && let Some(store) = o.order.store_id
        {
            // Nothing was prepared: the items are on sale again.
            for (item, n) in stock_moves(&o.lines) {
                takeout::return_item_stock(&mut tx, store, item, n).await?;
            }
        }
        if picked_up {
            self.compensate(&mut tx, o, now).await?;
        }
        self.timeline(&mut tx, o.order.id, to.as_str(), who, reason, now).await?;
        // The consumer gets the order's coupons back (valid until they were to expire).
        lokal_store::coupons::release(&mut tx, &o.order.id.to_string()).await?;
        if held {
            self.refund_menu_order(&mut tx, &o.order, reason, now).await?;
        }
        tx.commit().await?;
        if held {
            self.refund_now(o.order.id).await;
        }
        self.publish(o, to.as_str());
        Ok(())
    }

    /// A menu order's payment is confirmed, inside the webhook's transaction. A bill completes
    /// and is settled, unless it is `held_bill` (moved to `paid` for the till to confirm). A menu order takes its items' counted stock (if an item ran out since the
    /// quote, the order is cancelled and refunded at once) and starts the store's acceptance
    /// clock. Returns the live event to publish after commit.
    pub(crate) async fn menu_order_paid(
        &self,
        tx: &mut lokal_store::Tx,
        m: &MenuOrder,
        held_bill: bool,
        now: Timestamp,
    ) -> Result<&'static str, AppError> {
        let id = m.order.id;
        let store = m.order.store_id.ok_or_else(|| AppError::not_found("store"))?;
        if m.mode() == Mode::PayAtStore {
            lokal_store::coupons::mark_used(tx, &id.to_string(), now).await?;
            if held_bill {
                // Paid, not yet completed: the till confirms it (or refuses it, refunded) in time.
                let within = i64::from(self.order_settings(store).await?.accept_within_secs);
                takeout::stamp(tx, id, Stamp::AcceptBy, now.plus_secs(within)).await?;
                self.timeline(tx, id, "bill_paid", Some(m.order.user_id), "waiting for the till", now).await?;
                return Ok("bill_paid");
            }
            takeout::stamp(tx, id, Stamp::Completed, now).await?;
            self.settle(tx, m, None, now).await?;
            self.timeline(tx, id, "bill_paid", Some(m.order.user_id), "", now).await?;
            return Ok("bill_paid");
        }
        let moves = stock_moves(&m.lines);
        for (i, (item, n)) in moves.iter().enumerate() {
            if !takeout::take_item_stock(tx, store, *item, *n).await? {
                for (taken, k) in &moves[..i] {
                    takeout::return_item_stock(tx, store, *taken, *k).await?;
                }
                let name = m.lines.iter().find(|l| l.item_id == *item).map_or("an item", |l| l.name.as_str());
                let reason = format!("{name} sold out before the payment arrived");
                if !orders::transition(tx, id, OrderStatus::Paid, OrderStatus::Cancelled, now).await? {
                    return Err(AppError::new(ErrorCode::OrderStateConflict, "err-order-changed"));
                }
                takeout::set_prep_and_reason(tx, id, None, &reason).await?;
                self.timeline(tx, id, "cancelled", None, &reason, now).await?;
                lokal_store::coupons::release(tx, &id.to_string()).await?;
                self.refund_menu_order(tx, &m.order, &reason, now).await?;
                return Ok("cancelled");
            }
        }
        lokal_store::coupons::mark_used(tx, &id.to_string(), now).await?;
        let within = i64::from(self.order_settings(store).await?.accept_within_secs);
        takeout::stamp(tx, id, Stamp::AcceptBy, now.plus_secs(within)).await?;
        self.timeline(tx, id, "paid", Some(m.order.user_id), "", now).await?;
        Ok("new_order")
    }

    /// Whether a bill of `m`'s store must be confirmed by the till once paid.
    pub(crate) async fn held_bill(&self, m: &MenuOrder) -> Result<bool, AppError> {
        match m.order.store_id {
            Some(s) => Ok(self.order_settings(s).await?.bill_confirmation),
            None => Ok(false),
        }
    }

    /// The till confirms a paid bill (its four-digit code is on the payer's screen): completed
    /// and settled, as a hand-over. Staff of the store; refusing it is `reject_order` (refunded).
    pub async fn confirm_bill(&self, caller: &Principal, id: OrderId) -> Result<MenuOrder, AppError> {
        let (o, actor) = self.menu_order_for(caller, id).await?;
        if actor != Actor::Store {
            return Err(AppError::new(ErrorCode::Forbidden, "err-only-store-hands-over"));
        }
        if o.mode() != Mode::PayAtStore {
            return Err(AppError::new(ErrorCode::OrderStateConflict, "err-not-a-bill"));
        }
        self.hand_over_order(caller, o, actor, None).await
    }

    /// Paid orders the store did not answer in time: accepted or rejected (and refunded) as the
    /// store's settings say; a bill the till did not confirm is refunded. Returns how many were
    /// decided.
    pub async fn enforce_acceptance_sla(&self) -> Result<usize, AppError> {
        let now = self.now();
        let mut n = 0;
        for id in takeout::overdue_acceptance(self.db().pool(), now, 200).await? {
            let o = self.menu_order(id).await?;
            let auto_accept = match o.order.store_id {
                Some(s) => self.order_settings(s).await?.auto_accept && o.mode() != Mode::PayAtStore,
                None => false,
            };
            let done = if auto_accept {
                self.accept(&o, Actor::System, None, None).await
            } else {
                self.end_with_refund(&o, OrderEvent::Reject, Actor::System, None, "the store did not answer in time")
                    .await
            };
            match done {
                Ok(()) => n += 1,
                // The store answered meanwhile.
                Err(e) if e.code == ErrorCode::OrderStateConflict => {}
                // One order that cannot be decided must not hold up the others: log and go on.
                Err(e) => tracing::warn!(order = %id, error = %e, "could not decide an unanswered order"),
            }
        }
        Ok(n)
    }

    /// Tells live pages that `o` changed.
    pub(crate) fn publish(&self, o: &MenuOrder, kind: &'static str) {
        self.bus().publish(LiveEvent {
            kind,
            order_id: Some(o.order.id),
            store_id: o.order.store_id,
            consumer_id: Some(o.order.user_id),
            rider_id: o.delivery.as_ref().and_then(|d| d.rider_id),
        });
    }
}

/// The counted-stock changes of an order's lines: one per item, in item order, so concurrent
/// payments and cancellations lock `store_items` rows in the same order (no deadlock).
fn stock_moves(lines: &[LineRow]) -> Vec<(lokal_core::ItemId, i64)> {
    let mut moves: Vec<(lokal_core::ItemId, i64)> = Vec::new();
    for l in lines {
        match moves.iter_mut().find(|(i, _)| *i == l.item_id) {
            Some(m) => m.1 += l.quantity,
            None => moves.push((l.item_id, l.quantity)),
        }
    }
    moves.sort_by_key(|(i, _)| *i);
    moves
}

/// A reason: required, up to 200 characters.
pub(crate) fn reason_text(reason: &str) -> Result<String, AppError> {
    Ok(lokal_core::field::line_of_text("reason", reason, 200, true)?)
}
