//! Live events for the pages that watch orders (the merchant desk, the cashier's screen, the
//! consumer's tracking page, the rider app, the dispatch board) and consultation chats (kind
//! `chat`, naming the store and the consumer: one thread per pair). Use cases publish a
//! [`LiveEvent`] after their transaction commits; server-sent-event streams subscribe and keep
//! what concerns their viewer. Events are hints to reload, never the data itself, so a missed
//! event costs one refresh and nothing can leak through them. One process only: several server
//! processes would relay these over PostgreSQL LISTEN/NOTIFY (not built).

use lokal_core::{OrderId, StoreId, UserId};

/// Something changed about an order or a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveEvent {
    /// What happened (`new_order`, `accepted`, `ready`, `picked_up`, `position`, `bill_paid`,
    /// `chat` …).
    pub kind: &'static str,
    /// The order concerned.
    pub order_id: Option<OrderId>,
    /// Its store (the desk listens to these).
    pub store_id: Option<StoreId>,
    /// Its consumer.
    pub consumer_id: Option<UserId>,
    /// Its rider, if any.
    pub rider_id: Option<UserId>,
}

/// The bus: a broadcast channel; slow listeners lose old events (they reload anyway).
#[derive(Clone)]
pub struct Bus {
    tx: tokio::sync::broadcast::Sender<LiveEvent>,
}

impl Default for Bus {
    fn default() -> Self {
        Self { tx: tokio::sync::broadcast::channel(1024).0 }
    }
}

impl Bus {
    /// Sends an event to whoever listens now.
    pub fn publish(&self, e: LiveEvent) {
        // No listener is not an error.
        let _ = self.tx.send(e);
    }

    /// A new listener.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<LiveEvent> {
        self.tx.subscribe()
    }
}
