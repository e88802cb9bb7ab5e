//! The notification port. Messages are handed over inside the transaction that caused them, so a
//! message exists exactly when its cause committed. The default [`OutboxNotifier`] records them
//! in the `outbox` table, which the consumer's inbox and the tests read; an SMS or e-mail
//! provider would be another implementation (record, then send after commit from the outbox).

use crate::AppError;
use crate::payments::BoxFuture;
use lokal_core::Principal;
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

/// The counts on a logged-in person's header.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Badges {
    /// Answers from stores not yet read (consultations).
    pub chats: i64,
    /// Messages in the message centre not yet read.
    pub messages: i64,
}

impl crate::App {
    /// The caller's messages (the default notifier's outbox), newest first.
    pub async fn inbox(&self, caller: &Principal, limit: i64) -> Result<Vec<MessageRow>, AppError> {
        Ok(outbox::for_user(self.db().pool(), caller.user_id, limit.clamp(1, 100)).await?)
    }

    /// How many of the caller's messages are unread.
    pub async fn inbox_unread(&self, caller: &Principal) -> Result<i64, AppError> {
        Ok(outbox::unread_count(self.db().pool(), caller.user_id).await?)
    }

    /// Marks the caller's messages read: up to `up_to` (a message id: the newest one they were
    /// shown; later ones stay unread), or all. Returns how many were unread.
    /// A string that is no message id (ids are UUIDs) marks none, before it reaches the database.
    pub async fn mark_inbox_read(&self, caller: &Principal, up_to: Option<&str>) -> Result<u64, AppError> {
        let up_to = match up_to.map(uuid::Uuid::parse_str) {
            None => None,
            Some(Ok(id)) => Some(id.to_string()),
            Some(Err(_)) => return Ok(0),
        };
        Ok(outbox::mark_read(self.db().pool(), caller.user_id, up_to.as_deref(), self.now()).await?)
    }

    /// The caller's header counts (unread chats and messages), in one query.
    pub async fn my_badges(&self, caller: &Principal) -> Result<Badges, AppError> {
        let (chats, messages) = outbox::badges(self.db().pool(), caller.user_id).await?;
        Ok(Badges { chats, messages })
    }

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
