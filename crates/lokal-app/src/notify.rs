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

impl crate::App {
    /// The language a message to someone is written in: the one they saved (`users.lang`), else
    /// the platform's default.
    pub fn recipient_lang(&self, saved: Option<&str>) -> lokal_i18n::Lang {
        saved.and_then(lokal_i18n::Lang::parse).unwrap_or(self.site().lang)
    }

    /// The language of messages to `user`, read in `tx`.
    pub(crate) async fn lang_of(
        &self,
        tx: &mut lokal_store::Tx,
        user: lokal_core::UserId,
    ) -> Result<lokal_i18n::Lang, AppError> {
        let saved = lokal_store::users::get_by_id(&mut **tx, user).await?.and_then(|u| u.lang);
        Ok(self.recipient_lang(saved.as_deref()))
    }
}
