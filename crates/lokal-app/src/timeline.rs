//! An order's timeline: every step of a menu order or bill (placed, paid, accepted, ready,
//! picked up, exceptions, refunds) as a row of `order_events`, written in the transaction of the
//! step. Used by ordering, fulfilment, bills, riders and the dispatcher; pages show it on the
//! tracking page and the order desk.

use crate::{App, AppError};
use lokal_core::{OrderId, Timestamp, UserId};
use lokal_store::takeout;

impl App {
    /// Appends a step to an order's timeline.
    pub(crate) async fn timeline(
        &self,
        tx: &mut lokal_store::Tx,
        order: OrderId,
        kind: &str,
        actor: Option<UserId>,
        note: &str,
        now: Timestamp,
    ) -> Result<(), AppError> {
        let e = takeout::EventRow { kind: kind.to_owned(), actor_id: actor, note: note.to_owned(), at: now };
        Ok(takeout::add_event(tx, order, &e).await?)
    }
}
