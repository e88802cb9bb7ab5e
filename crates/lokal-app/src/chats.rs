//! Consultation chat (issue G): a consumer asks a store a question — before or after buying —
//! and the staff of that store answer, live in the browser. One thread per consumer and store;
//! each side has an unread count that the other side's message raises and reading zeroes.
//!
//! Who sees a thread: its consumer, and staff whose grant covers its store (clerks included;
//! merchant-wide staff see every store of their merchant). Operators may read any thread, for
//! complaints, without marking it read and without writing in it. Everyone else is told the
//! thread does not exist (404), never that it is someone else's. Staff do not open consumer
//! threads with their own merchant's stores.

use crate::live::LiveEvent;
use crate::{App, AppError};
use lokal_core::{ErrorCode, FieldError, Principal, Role, Scope, StaffRole, StoreId};
use lokal_store::chats::{self, MessageRow, ThreadRow};

/// Messages one person may send per minute, across all their threads.
const PER_MINUTE: i64 = 30;
/// The longest message, in characters.
pub const MAX_CHARS: usize = 1_000;
/// How many of the latest messages a conversation shows.
const SHOWN: i64 = 200;
/// How much of the last message the lists show.
const PREVIEW_CHARS: usize = 80;

/// Which side of a thread someone is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The consumer who asks.
    Consumer,
    /// The store's staff.
    Store,
}

impl Side {
    /// The stored text (`consumer` or `store`).
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Consumer => "consumer",
            Side::Store => "store",
        }
    }
}

/// A thread with its latest messages, as one reader sees it.
#[derive(Debug, Clone)]
pub struct Conversation {
    /// The thread (unread counts after this reading).
    pub thread: ThreadRow,
    /// The latest messages, oldest first.
    pub messages: Vec<MessageRow>,
    /// The reader's side; `None` for an operator reading.
    pub side: Option<Side>,
}

impl App {
    /// The consumer writes to a store: opens their thread with it on the first message, then
    /// adds to it. The store must exist; its staff cannot use this (they answer instead).
    pub async fn ask_store(&self, caller: &Principal, store: StoreId, body: &str) -> Result<Conversation, AppError> {
        let body = chat_body(body)?;
        let view = self.public_store(store).await?;
        let merchant = view.row.merchant_id;
        if works_for(caller, merchant) {
            return Err(AppError::new(ErrorCode::Forbidden, "err-chat-staff-do-not-open"));
        }
        self.rate_hit(&format!("chat:{}", caller.user_id), PER_MINUTE, 60).await?;
        let now = self.now();
        let mut tx = self.db().begin().await?;
        let thread =
            chats::open(&mut tx, &uuid::Uuid::now_v7().to_string(), store, merchant, caller.user_id, now).await?;
        let m = message(&thread, Side::Consumer, caller, body, now);
        chats::post(&mut tx, &m, &preview(&m.body)).await?;
        tx.commit().await?;
        self.chat_event(store, caller.user_id);
        self.conversation(thread, Some(Side::Consumer)).await
    }

    /// The caller's thread with a store, marked read for them; `not_found` if they never wrote.
    pub async fn my_chat_with(&self, caller: &Principal, store: StoreId) -> Result<Conversation, AppError> {
        let t = chats::between(self.db().pool(), store, caller.user_id).await?.ok_or_else(not_found)?;
        self.conversation(t.id, Some(Side::Consumer)).await
    }

    /// The caller's threads (as a consumer), latest first, with their unread counts.
    pub async fn my_chats(&self, caller: &Principal) -> Result<Vec<ThreadRow>, AppError> {
        Ok(chats::of_user(self.db().pool(), caller.user_id).await?)
    }

    /// A store's threads, latest first, with the store's unread counts. Staff of the store
    /// (and operators); others are refused.
    pub async fn store_chats(&self, caller: &Principal, store: StoreId) -> Result<Vec<ThreadRow>, AppError> {
        self.store_row(caller, store, StaffRole::Clerk).await?;
        Ok(chats::of_store(self.db().pool(), store).await?)
    }

    /// A thread and its latest messages; marks it read for the reader's side (an operator's
    /// reading marks nothing). `not_found` for anyone who may not see it.
    pub async fn chat(&self, caller: &Principal, id: &str) -> Result<Conversation, AppError> {
        let (t, side) = self.chat_access(caller, id).await?;
        self.conversation(t.id, side).await
    }

    /// The thread and the caller's side, without marking anything read (live streams check this
    /// once when they open). `not_found` for anyone who may not see it.
    pub async fn chat_access(&self, caller: &Principal, id: &str) -> Result<(ThreadRow, Option<Side>), AppError> {
        let id = thread_id(id)?;
        let t = chats::by_id(self.db().pool(), &id).await?.ok_or_else(not_found)?;
        match side_of(caller, &t) {
            Some(side) => Ok((t, Some(side))),
            None if caller.is_admin() => Ok((t, None)),
            None => Err(not_found()),
        }
    }

    /// Either side writes in a thread (the consumer, or staff of its store answering).
    pub async fn send_chat(&self, caller: &Principal, id: &str, body: &str) -> Result<Conversation, AppError> {
        let (t, side) = self.chat_access(caller, id).await?;
        let Some(side) = side else {
            return Err(AppError::new(ErrorCode::Forbidden, "err-chat-operators-read-only"));
        };
        let body = chat_body(body)?;
        self.rate_hit(&format!("chat:{}", caller.user_id), PER_MINUTE, 60).await?;
        let now = self.now();
        let m = message(&t.id, side, caller, body, now);
        let mut tx = self.db().begin().await?;
        chats::post(&mut tx, &m, &preview(&m.body)).await?;
        tx.commit().await?;
        self.chat_event(t.store_id, t.user_id);
        self.conversation(t.id, Some(side)).await
    }

    /// Marks the thread read for `side`, then reads it: a message committed after the mark
    /// raises the count again, so none is lost between the two.
    async fn conversation(&self, id: String, side: Option<Side>) -> Result<Conversation, AppError> {
        let pool = self.db().pool();
        if let Some(side) = side {
            chats::mark_read(pool, &id, side.as_str()).await?;
        }
        let thread = chats::by_id(pool, &id).await?.ok_or_else(not_found)?;
        let messages = chats::messages(pool, &id, SHOWN).await?;
        Ok(Conversation { thread, messages, side })
    }

    /// Tells the thread's pages (both sides) and the store's list that something was said.
    fn chat_event(&self, store: StoreId, consumer: lokal_core::UserId) {
        self.bus().publish(LiveEvent {
            kind: "chat",
            order_id: None,
            store_id: Some(store),
            consumer_id: Some(consumer),
            rider_id: None,
        });
    }
}

/// The caller's side of a thread: its consumer, or staff whose own grant covers the store (an
/// operator's all-access does not make them staff).
pub fn side_of(caller: &Principal, t: &ThreadRow) -> Option<Side> {
    if t.user_id == caller.user_id {
        Some(Side::Consumer)
    } else if staff_side(caller, t.merchant_id, t.store_id) {
        Some(Side::Store)
    } else {
        None
    }
}

/// Whether the caller holds a staff grant of `merchant` (any store, any rank): such people answer
/// the merchant's chats and do not open consumer threads with it.
pub fn works_for(caller: &Principal, merchant: lokal_core::MerchantId) -> bool {
    caller.works_for(merchant)
}

fn staff_side(caller: &Principal, merchant: lokal_core::MerchantId, store: StoreId) -> bool {
    let staff = Principal {
        user_id: caller.user_id,
        grants: caller.grants.iter().filter(|g| matches!(g.role, Role::Staff(_))).cloned().collect(),
    };
    staff.authorize(Scope::Store(merchant, store), StaffRole::Clerk).is_ok()
}

fn message(thread: &str, side: Side, caller: &Principal, body: String, at: lokal_core::Timestamp) -> MessageRow {
    MessageRow {
        id: uuid::Uuid::now_v7().to_string(),
        thread_id: thread.to_owned(),
        sender: side.as_str().to_owned(),
        sender_id: caller.user_id,
        body,
        at,
    }
}

fn not_found() -> AppError {
    AppError::not_found("chat")
}

/// A thread id as stored (a UUID); anything else is simply not found.
fn thread_id(id: &str) -> Result<String, AppError> {
    uuid::Uuid::parse_str(id.trim()).map(|u| u.to_string()).map_err(|_| not_found())
}

/// A message: 1 to 1,000 characters after trimming, lines allowed, no other control characters
/// (PostgreSQL refuses NUL).
pub fn chat_body(raw: &str) -> Result<String, FieldError> {
    let t = raw.trim();
    if t.is_empty() || t.chars().count() > MAX_CHARS {
        return Err(FieldError::new("body", lokal_core::Msg::new("field-length").with("min", 1).with("max", 1_000)));
    }
    if t.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(FieldError::new("body", "field-control-chars"));
    }
    Ok(t.to_owned())
}

/// The start of a message on one line, for the lists.
fn preview(body: &str) -> String {
    let line = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > PREVIEW_CHARS {
        let mut s: String = line.chars().take(PREVIEW_CHARS - 1).collect();
        s.push('…');
        s
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(chat_body("  Is there parking?\nThanks  "), Ok("Is there parking?\nThanks".into()));
        assert_eq!(chat_body("   ").map_err(|e| e.field), Err("body".into()));
        assert!(chat_body(&"面".repeat(1_000)).is_ok());
        assert!(chat_body(&"面".repeat(1_001)).is_err());
        assert!(chat_body("a\u{0}b").is_err());
    }

    #[test]
    fn previews_are_one_short_line() {
        assert_eq!(preview("Open\n\non  Sunday?"), "Open on Sunday?");
        let long = preview(&"x".repeat(200));
        assert_eq!(long.chars().count(), PREVIEW_CHARS);
        assert!(long.ends_with('…'));
    }
}
