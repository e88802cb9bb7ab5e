//! The notification port. Messages are handed over inside the transaction that caused them, so a
//! message exists exactly when its cause committed. The default [`OutboxNotifier`] records them
//! in the `outbox` table, which the consumer's inbox and the tests read; an SMS or e-mail
//! provider would be another implementation (record, then send after commit from the outbox).

use crate::AppError;
use crate::payments::BoxFuture;
use lokal_store::outbox::{self, MessageRow};

/// Sends messages to people.
pub trait Notifier: Send + Sync {
    /// Hands `message` over as part of `tx`.
    fn notify<'a>(
        &'a self,
        tx: &'a mut lokal_store::Tx,
        message: &'a MessageRow,
    ) -> BoxFuture<'a, Result<(), AppError>>;
}

/// Records messages in the outbox and nothing else.
pub struct OutboxNotifier;

impl Notifier for OutboxNotifier {
    fn notify<'a>(
        &'a self,
        tx: &'a mut lokal_store::Tx,
        message: &'a MessageRow,
    ) -> BoxFuture<'a, Result<(), AppError>> {
        Box::pin(async move { Ok(outbox::insert(&mut **tx, message).await?) })
    }
}
