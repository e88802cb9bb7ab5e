//! The state machines of menu orders (delivery, pickup, dine-in, pay-at-store) and of delivery
//! tasks: which event moves which state where, and who may send it. Storage applies a move as a
//! conditional update from the state this function was asked about, so two racing events cannot
//! both win. docs/decisions.md D.2 draws both machines and compares them with the WeChat
//! instant-delivery status codes.

crate::named_enum! {
    /// How a menu order reaches the consumer.
    pub enum Mode {
        /// A rider brings it (外卖).
        Delivery = "delivery",
        /// The consumer collects it with a pickup code (自提).
        Pickup = "pickup",
        /// Served at a table in the store (堂食扫码点餐).
        DineIn = "dine_in",
        /// The consumer pays a bill at the till (到店买单); nothing to prepare.
        PayAtStore = "pay_at_store",
    }
}

crate::named_enum! {
    /// Where an order stands (deal orders use `pending`, `paid` and `cancelled`).
    pub enum OrderStatus {
        /// Placed, waiting for the payment (cancelled after the payment window).
        Pending = "pending",
        /// Paid; waiting for the store to accept within its SLA.
        Paid = "paid",
        /// The store accepted and is preparing.
        Accepted = "accepted",
        /// Prepared: waiting for the rider, the consumer (pickup) or the waiter (dine-in).
        Ready = "ready",
        /// A rider has it on the way.
        Delivering = "delivering",
        /// Handed over (delivered, picked up, served or, for a bill, paid). Money is settled.
        Completed = "completed",
        /// The store refused it (or did not answer in time with auto-reject); refunded in full.
        Rejected = "rejected",
        /// Cancelled: unpaid, or by the consumer, store or platform (refunded if it was paid).
        Cancelled = "cancelled",
    }
}

impl OrderStatus {
    /// No event moves it any more.
    pub const fn is_terminal(self) -> bool {
        matches!(self, OrderStatus::Completed | OrderStatus::Rejected | OrderStatus::Cancelled)
    }

    /// The consumer's money is held by the platform (paid, not yet settled or refunded).
    pub const fn holds_money(self) -> bool {
        matches!(self, OrderStatus::Paid | OrderStatus::Accepted | OrderStatus::Ready | OrderStatus::Delivering)
    }
}

/// Who sends an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Actor {
    /// The consumer who placed the order.
    Consumer,
    /// Staff of the order's store.
    Store,
    /// The rider carrying the order.
    Rider,
    /// A platform operator.
    Operator,
    /// The platform itself: payment webhooks, timers.
    System,
}

/// What happens to a menu order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderEvent {
    /// The payment was confirmed.
    PaymentConfirmed,
    /// The store takes it (or the SLA ran out with auto-accept).
    Accept,
    /// The store refuses it (or the SLA ran out with auto-reject).
    Reject,
    /// The store finished preparing.
    MarkReady,
    /// The rider took it from the store.
    PickedUp,
    /// Handed to the consumer: by the rider (delivery) or the store (pickup, dine-in).
    HandOver,
    /// Called off by the actor.
    Cancel,
}

impl OrderEvent {
    /// Every event.
    pub const ALL: [OrderEvent; 7] = [
        OrderEvent::PaymentConfirmed,
        OrderEvent::Accept,
        OrderEvent::Reject,
        OrderEvent::MarkReady,
        OrderEvent::PickedUp,
        OrderEvent::HandOver,
        OrderEvent::Cancel,
    ];
}

/// Why an event does not apply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{event:?} by {actor:?} is not allowed for a {mode} order that is {from}")]
pub struct IllegalTransition {
    /// The order's mode.
    pub mode: &'static str,
    /// Its status.
    pub from: OrderStatus,
    /// The event.
    pub event: OrderEvent,
    /// Who sent it.
    pub actor: Actor,
}

impl IllegalTransition {
    /// What to tell the person: the order's status makes the step impossible now.
    pub fn msg(&self) -> crate::Msg {
        crate::Msg::new("err-order-status").with("status", self.from.as_str())
    }
}

/// The status a menu order of `mode` moves to when `actor` sends `event` in status `from`.
///
/// The rules, in words: payment moves `pending` to `paid` (a bill straight to `completed`);
/// the store accepts or rejects a paid order (the system does either when the SLA runs out);
/// the store marks an accepted order ready; a rider picks a delivery up once accepted (ready or
/// not: a rider at the counter proves it is) and hands it over; the store hands over pickups and
/// dine-in orders once ready. The consumer may cancel until the store accepts; the store may
/// cancel what it accepted until a rider or the consumer took it; operators may cancel anything
/// not finished; the system cancels unpaid orders.
pub fn next(mode: Mode, from: OrderStatus, event: OrderEvent, actor: Actor) -> Result<OrderStatus, IllegalTransition> {
    use Actor::*;
    use OrderEvent::*;
    use OrderStatus::*;
    let delivery = mode == Mode::Delivery;
    if mode == Mode::PayAtStore {
        // A bill has nothing to prepare: paid is completed — or, where the store's till confirms
        // bills (`bill_confirmation`), paid waits for the till to confirm it (hand-over) or
        // refuse it, and is refused by the system if nobody answers in time.
        return match (from, event, actor) {
            (Pending, PaymentConfirmed, System) => Ok(Completed),
            (Pending, Cancel, Consumer | System | Operator) => Ok(Cancelled),
            (Paid, HandOver, Store) => Ok(Completed),
            (Paid, Reject, Store | System) => Ok(Rejected),
            (Paid, Cancel, Operator) => Ok(Cancelled),
            _ => Err(IllegalTransition { mode: mode.as_str(), from, event, actor }),
        };
    }
    let to = match (from, event, actor) {
        (Pending, PaymentConfirmed, System) => Some(Paid),
        (Pending, Cancel, Consumer | System | Operator) => Some(Cancelled),
        (Paid, Accept, Store | System) => Some(Accepted),
        (Paid, Reject, Store | System) => Some(Rejected),
        (Paid, Cancel, Consumer | Operator) => Some(Cancelled),
        (Accepted, MarkReady, Store) => Some(Ready),
        (Accepted | Ready, PickedUp, Rider) if delivery => Some(Delivering),
        (Ready, HandOver, Store) if !delivery => Some(Completed),
        (Delivering, HandOver, Rider) if delivery => Some(Completed),
        (Accepted | Ready, Cancel, Store | Operator) => Some(Cancelled),
        (Delivering, Cancel, Operator) if delivery => Some(Cancelled),
        _ => None,
    };
    to.ok_or(IllegalTransition { mode: mode.as_str(), from, event, actor })
}

crate::named_enum! {
    /// Where a delivery task stands (one per delivery order, created when the store accepts).
    pub enum TaskStatus {
        /// No rider yet (new, or taken back from one).
        Waiting = "waiting",
        /// A rider is on the way to the store.
        Assigned = "assigned",
        /// The rider is at the store.
        AtStore = "at_store",
        /// The rider has the food.
        PickedUp = "picked_up",
        /// Handed to the consumer.
        Delivered = "delivered",
        /// The order was cancelled.
        Cancelled = "cancelled",
    }
}

impl TaskStatus {
    /// A rider holds the task (and so counts against the rider's load).
    pub const fn with_rider(self) -> bool {
        matches!(self, TaskStatus::Assigned | TaskStatus::AtStore | TaskStatus::PickedUp)
    }
}

crate::named_enum! {
    /// Where a rider's account stands.
    pub enum RiderStatus {
        /// Signed up; waiting for an operator.
        Pending = "pending",
        /// May take shifts and tasks.
        Approved = "approved",
        /// Refused (may sign up again).
        Rejected = "rejected",
        /// Stopped by an operator (with a reason) until reinstated.
        Suspended = "suspended",
    }
}

/// What happens to a delivery task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskEvent {
    /// The dispatcher (or an operator, or a rider grabbing an offer) gives it to a rider.
    Assign,
    /// Taken back from its rider before pickup: an exception, a manual reassignment, shift end.
    Release,
    /// The rider reports being at the store.
    Arrive,
    /// The rider has the food.
    PickUp,
    /// The rider handed it over (with the consumer's delivery code).
    Deliver,
    /// The order was cancelled.
    Cancel,
}

impl TaskEvent {
    /// Every event.
    pub const ALL: [TaskEvent; 6] = [
        TaskEvent::Assign,
        TaskEvent::Release,
        TaskEvent::Arrive,
        TaskEvent::PickUp,
        TaskEvent::Deliver,
        TaskEvent::Cancel,
    ];
}

/// The status a task moves to on `event`, or `None` when the event does not apply. Once picked
/// up, a task stays with its rider: only delivery or an operator's cancellation ends it.
pub fn task_next(from: TaskStatus, event: TaskEvent) -> Option<TaskStatus> {
    use TaskEvent::*;
    use TaskStatus::*;
    match (from, event) {
        (Waiting, Assign) => Some(Assigned),
        (Assigned | AtStore, Release) => Some(Waiting),
        (Assigned, Arrive) => Some(AtStore),
        (Assigned | AtStore, PickUp) => Some(PickedUp),
        (PickedUp, Deliver) => Some(Delivered),
        (Waiting | Assigned | AtStore | PickedUp, Cancel) => Some(Cancelled),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Actor::*;
    use OrderEvent::*;
    use OrderStatus::*;

    const ACTORS: [Actor; 5] = [Consumer, Store, Rider, Operator, System];

    /// Every legal move, written out once more by hand: everything else must be refused.
    fn legal(mode: Mode) -> Vec<(OrderStatus, OrderEvent, Actor, OrderStatus)> {
        let mut v = vec![
            (Pending, Cancel, Consumer, Cancelled),
            (Pending, Cancel, System, Cancelled),
            (Pending, Cancel, Operator, Cancelled),
        ];
        if mode == Mode::PayAtStore {
            v.extend([
                (Pending, PaymentConfirmed, System, Completed),
                (Paid, HandOver, Store, Completed),
                (Paid, Reject, Store, Rejected),
                (Paid, Reject, System, Rejected),
                (Paid, Cancel, Operator, Cancelled),
            ]);
            return v;
        }
        v.extend([
            (Pending, PaymentConfirmed, System, Paid),
            (Paid, Cancel, Consumer, Cancelled),
            (Paid, Cancel, Operator, Cancelled),
            (Paid, Accept, Store, Accepted),
            (Paid, Accept, System, Accepted),
            (Paid, Reject, Store, Rejected),
            (Paid, Reject, System, Rejected),
            (Accepted, MarkReady, Store, Ready),
            (Accepted, Cancel, Store, Cancelled),
            (Accepted, Cancel, Operator, Cancelled),
            (Ready, Cancel, Store, Cancelled),
            (Ready, Cancel, Operator, Cancelled),
        ]);
        if mode == Mode::Delivery {
            v.extend([
                (Accepted, PickedUp, Rider, Delivering),
                (Ready, PickedUp, Rider, Delivering),
                (Delivering, HandOver, Rider, Completed),
                (Delivering, Cancel, Operator, Cancelled),
            ]);
        } else {
            v.push((Ready, HandOver, Store, Completed));
        }
        v
    }

    #[test]
    fn every_order_transition_is_either_in_the_table_or_refused() {
        for mode in Mode::ALL {
            let table = legal(mode);
            let mut allowed = 0;
            for from in OrderStatus::ALL {
                for event in OrderEvent::ALL {
                    for actor in ACTORS {
                        let expected = table.iter().find(|t| (t.0, t.1, t.2) == (from, event, actor)).map(|t| t.3);
                        let got = next(mode, from, event, actor).ok();
                        assert_eq!(got, expected, "{mode:?}: {event:?} by {actor:?} from {from:?}");
                        allowed += usize::from(got.is_some());
                    }
                }
            }
            assert_eq!(allowed, table.len(), "{mode:?}");
        }
    }

    #[test]
    fn terminal_orders_never_move_and_money_is_held_only_in_between() {
        for mode in Mode::ALL {
            for from in OrderStatus::ALL.into_iter().filter(|s| s.is_terminal()) {
                for event in OrderEvent::ALL {
                    for actor in ACTORS {
                        assert!(next(mode, from, event, actor).is_err());
                    }
                }
            }
        }
        assert!(!Pending.holds_money() && !Completed.holds_money() && Delivering.holds_money());
    }

    #[test]
    fn every_task_transition_is_either_in_the_table_or_refused() {
        use TaskEvent as E;
        use TaskStatus as T;
        let table = [
            (T::Waiting, E::Assign, T::Assigned),
            (T::Assigned, E::Release, T::Waiting),
            (T::AtStore, E::Release, T::Waiting),
            (T::Assigned, E::Arrive, T::AtStore),
            (T::Assigned, E::PickUp, T::PickedUp),
            (T::AtStore, E::PickUp, T::PickedUp),
            (T::PickedUp, E::Deliver, T::Delivered),
            (T::Waiting, E::Cancel, T::Cancelled),
            (T::Assigned, E::Cancel, T::Cancelled),
            (T::AtStore, E::Cancel, T::Cancelled),
            (T::PickedUp, E::Cancel, T::Cancelled),
        ];
        for from in T::ALL {
            for event in E::ALL {
                let expected = table.iter().find(|t| (t.0, t.1) == (from, event)).map(|t| t.2);
                assert_eq!(task_next(from, event), expected, "{event:?} from {from:?}");
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for s in OrderStatus::ALL {
            assert_eq!(s.as_str().parse::<OrderStatus>(), Ok(s));
        }
        for s in TaskStatus::ALL {
            assert_eq!(s.as_str().parse::<TaskStatus>(), Ok(s));
        }
        for m in Mode::ALL {
            assert_eq!(m.as_str().parse::<Mode>(), Ok(m));
        }
        assert!("deal".parse::<Mode>().is_err());
    }
}
