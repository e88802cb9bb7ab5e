//! Messages to a merchant's members (issue G): sent through the notifier only to members who
//! accept them, at a chosen level (or, for a birthday offer, whose birthday is near), within a
//! frequency cap, with one delivery record per member meant.

use crate::{App, AppError};
use lokal_core::membership::Level;
use lokal_core::{FieldError, MerchantId, Msg, Principal, Scope, StaffRole, UserId};
use lokal_i18n::render;
use lokal_store::loyalty::{self as store, MemberMessageRow};
use lokal_store::membership;

/// Most messages a member receives from one merchant in a day…
pub const CAP_PER_DAY: i64 = 1;
/// …and in 30 days.
pub const CAP_PER_30_DAYS: i64 = 4;
/// The kinds of messages to members.
pub const MESSAGE_KINDS: [&str; 4] = ["new_deal", "coupon_gift", "birthday", "news"];
/// A birthday offer goes to members whose birthday is within this many days (the platform's
/// local date, UTC+8), at most once a year per merchant.
pub const BIRTHDAY_WINDOW_DAYS: i64 = 7;
/// Members messaged per transaction.
const MESSAGE_BATCH: i64 = 500;

/// A message to members as sent by the merchant.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageDraft {
    /// `new_deal`, `coupon_gift`, `birthday` (only members whose birthday is within 7 days) or
    /// `news`.
    pub kind: String,
    /// 1 to 80 characters.
    pub subject: String,
    /// 1 to 500 characters.
    pub body: String,
    /// Only members at this level or above (default: every member).
    #[serde(default)]
    pub min_level: Option<Level>,
}

impl App {
    /// Sends a message to the merchant's members who accept messages (at `min_level` or above;
    /// for a birthday offer, whose birthday is within [`BIRTHDAY_WINDOW_DAYS`] days and who had
    /// none from this merchant in 300 days) through the notifier, each held back by the frequency
    /// cap ([`CAP_PER_DAY`], [`CAP_PER_30_DAYS`]) if reached; every member meant is recorded as
    /// `delivered` or `capped`. Merchant-wide managers and owners.
    pub async fn send_member_message(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        draft: MessageDraft,
    ) -> Result<MemberMessageRow, AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
        if !MESSAGE_KINDS.contains(&draft.kind.as_str()) {
            return Err(FieldError::new(
                "kind",
                lokal_core::Msg::new("field-one-of").with("choices", MESSAGE_KINDS.join(", ")),
            )
            .into());
        }
        let subject = lokal_core::field::line_of_text("subject", &draft.subject, 80, true)?;
        let body = draft.body.trim();
        if body.is_empty() || body.chars().count() > 500 || body.contains('\0') {
            return Err(
                FieldError::new("body", lokal_core::Msg::new("field-length").with("min", 1).with("max", 500)).into()
            );
        }
        let min_level = draft.min_level.unwrap_or(Level::Member);
        let pool = self.db().pool();
        let m = lokal_store::merchants::get_merchant(pool, merchant)
            .await?
            .ok_or_else(|| AppError::not_found("merchant"))?;
        // At most one send a minute per merchant: a double click does not message everyone twice.
        let bucket = format!("member-message:{merchant}");
        let window = self.rate_hit(&bucket, 1, 60).await?;
        let now = self.now();
        let row = MemberMessageRow {
            id: uuid::Uuid::now_v7().to_string(),
            merchant_id: merchant,
            kind: draft.kind,
            subject,
            body: body.to_owned(),
            min_level: min_level.as_str().to_owned(),
            sent_by: caller.user_id,
            created_at: now,
            delivered: 0,
            capped: 0,
        };
        let sent = self.deliver_member_message(&m.name, row, min_level).await;
        if sent.is_err() {
            // Nothing (or only part) went out: the merchant may try again at once.
            self.rate_refund(&bucket, window).await?;
        }
        sent
    }

    /// Delivers a recorded message to every member it is meant for (see
    /// [`App::send_member_message`]).
    async fn deliver_member_message(
        &self,
        merchant_name: &str,
        row: MemberMessageRow,
        min_level: Level,
    ) -> Result<MemberMessageRow, AppError> {
        let pool = self.db().pool();
        let (merchant, at) = (row.merchant_id, row.created_at);
        let now = at.millis();
        let (subject, body) = (row.subject.clone(), row.body.clone());
        let birthday = row.kind == "birthday";
        let today = lokal_core::membership::local_date(now, crate::ledger::STATEMENT_OFFSET_MIN)
            .ok_or_else(|| AppError::internal(std::io::Error::other("the clock is out of range")))?;
        let soon = |c: &&membership::MembershipRow| {
            c.birthday
                .as_deref()
                .and_then(|b| lokal_core::membership::days_until_birthday(b, today))
                .is_some_and(|d| d <= BIRTHDAY_WINDOW_DAYS)
        };
        let mut tx = self.db().begin().await?;
        store::insert_message(&mut tx, &row).await?;
        tx.commit().await?;
        // Every member, a page at a time, each page in its own transaction (a big chain's send
        // never holds the database for long). A retry after a failure cannot message anyone twice
        // the same day: the cap sees the deliveries already committed.
        let (mut delivered, mut capped) = (0, 0);
        let mut after = None;
        loop {
            let page = membership::page_of_merchant(pool, merchant, after, MESSAGE_BATCH).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.user_id);
            let mut tx = self.db().begin().await?;
            let meant = page.iter().filter(|c| c.messages_opt_in && Level::of(c.spend) >= min_level);
            let meant: Vec<_> = meant.filter(|c| !birthday || soon(c)).collect();
            // Each member reads the frame of the message (the sender, how to unsubscribe) in their
            // own language: the one they saved, else the platform's.
            let ids: Vec<UserId> = meant.iter().map(|c| c.user_id).collect();
            let langs = lokal_store::users::langs(&mut *tx, &ids).await?;
            for member in meant {
                let user = member.user_id;
                let day = store::delivered_since(&mut *tx, merchant, user, now - 86_400_000).await?;
                let month = store::delivered_since(&mut *tx, merchant, user, now - 30 * 86_400_000).await?;
                let year = if birthday {
                    store::birthday_delivered_since(&mut *tx, merchant, user, now - 300 * 86_400_000).await?
                } else {
                    0
                };
                if day >= CAP_PER_DAY || month >= CAP_PER_30_DAYS || year > 0 {
                    store::insert_delivery(&mut tx, &row, user, "capped", None).await?;
                    capped += 1;
                    continue;
                }
                let saved = langs.iter().find(|(u, _)| *u == user).map(|(_, l)| l.as_str());
                let lang = self.recipient_lang(saved);
                let from = |key| Msg::new(key).with("merchant", merchant_name);
                let message = lokal_store::outbox::MessageRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    user_id: user,
                    channel: "app".into(),
                    subject: render(lang, &from("notify-member-subject").with("subject", subject.as_str())),
                    body: format!("{body}\n\n{}", render(lang, &from("notify-member-footer"))),
                    created_at: at,
                    link: format!("/me/cards/{merchant}"),
                    read_at: None,
                    kind: lokal_core::notice::MessageKind::MemberMessage.as_str().into(),
                    params: crate::outbound::params_json(serde_json::json!({
                        "merchant": merchant_name, "subject": subject,
                    })),
                };
                self.send_message(&mut tx, &message).await?;
                store::insert_delivery(&mut tx, &row, user, "delivered", Some(&message.id)).await?;
                delivered += 1;
            }
            tx.commit().await?;
        }
        Ok(MemberMessageRow { delivered, capped, ..row })
    }

    /// A merchant's messages to members with their delivery counts. Merchant-wide managers.
    pub async fn member_messages(
        &self,
        caller: &Principal,
        merchant: MerchantId,
    ) -> Result<Vec<MemberMessageRow>, AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
        Ok(store::messages_of(self.db().pool(), merchant).await?)
    }

    /// Who one message reached (`delivered`) or was held back from (`capped`).
    pub async fn member_message_deliveries(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        message: &str,
    ) -> Result<Vec<(UserId, String, String)>, AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
        // Ids are UUIDs: anything else is unknown before it reaches the database.
        let id = uuid::Uuid::parse_str(message).map_err(|_| AppError::not_found("message"))?.to_string();
        if !store::message_exists(self.db().pool(), merchant, &id).await? {
            return Err(AppError::not_found("message"));
        }
        Ok(store::deliveries_of(self.db().pool(), &id).await?)
    }
}
