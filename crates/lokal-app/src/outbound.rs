//! Messages that leave the box. A message is recorded in the outbox inside the transaction that
//! caused it, with one *send* per channel its kind goes out on (`[messages]`: which kinds go by
//! SMS, e-mail, webhook) and the person has an address for; the delivery worker
//! ([`App::deliver_messages`]) hands each send to its channel's [`MessageGateway`] outside any
//! transaction, retries with backoff (`lokal_core::retry`) and, after `max_attempts` or a
//! definitive refusal, marks it `dead` for operators (who may send it again). The gateways:
//! [`Webhook`] here (Lokal's signed webhook, for any other gateway); SMS and e-mail gateways are
//! further implementations of the same port.

use crate::payments::BoxFuture;
use crate::{App, AppError};
use lokal_core::notice::{Channel, MessageKind};
use lokal_store::outbox::MessageRow;
use lokal_store::sends::{self, SendRow};
use std::sync::Arc;

/// `[messages]`: which kinds of message leave the box on which channel, and how hard to try.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MessageSettings {
    /// Kinds sent by SMS to the person's phone (when an SMS gateway is configured).
    pub sms: Vec<MessageKind>,
    /// Kinds sent by e-mail (when an e-mail gateway is configured).
    pub email: Vec<MessageKind>,
    /// Kinds sent to the webhook (when `webhook_url` is set).
    pub webhook: Vec<MessageKind>,
    /// Tries before a send is given up (`dead`, listed for operators).
    pub max_attempts: i64,
    /// This site's address as people reach it (`https://lokal.example`), for the links in
    /// messages; empty: links are paths.
    pub public_url: String,
    /// Where the webhook gateway posts (empty: none).
    pub webhook_url: String,
    /// The webhook's signing secret (`Lokal-Signature`): a secret, redacted when shown.
    pub webhook_secret: String,
    /// Milliseconds a gateway call may take before it counts as failed.
    pub timeout_ms: u64,
}

impl Default for MessageSettings {
    fn default() -> Self {
        use MessageKind::*;
        Self {
            sms: vec![VoucherIssued, OrderUpdate, PasswordReset, VerificationCode, BookingReminder],
            email: vec![VoucherIssued, StaffInvitation, PasswordReset, VerificationCode, MemberMessage],
            webhook: MessageKind::ALL.to_vec(),
            max_attempts: 8,
            public_url: String::new(),
            webhook_url: String::new(),
            webhook_secret: String::new(),
            timeout_ms: 10_000,
        }
    }
}

impl MessageSettings {
    /// These settings with the secret replaced by `***`.
    pub fn redacted(&self) -> Self {
        let mut shown = self.clone();
        if !shown.webhook_secret.is_empty() {
            shown.webhook_secret = "***".into();
        }
        shown
    }

    /// The channels `kind` goes out on.
    pub fn channels_of(&self, kind: MessageKind) -> Vec<Channel> {
        let mut out = Vec::new();
        for (channel, kinds) in
            [(Channel::Sms, &self.sms), (Channel::Email, &self.email), (Channel::Webhook, &self.webhook)]
        {
            if kinds.contains(&kind) {
                out.push(channel);
            }
        }
        out
    }

    /// A link of this site, absolute when `public_url` is set.
    pub fn link(&self, path: &str) -> String {
        if path.is_empty() || self.public_url.is_empty() {
            return path.to_owned();
        }
        format!("{}{path}", self.public_url.trim_end_matches('/'))
    }
}

/// One message on one channel, as a gateway sends it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Outgoing {
    /// The send's id: the gateway's idempotency key where it takes one.
    pub id: String,
    /// The message's kind.
    pub kind: String,
    /// The phone (E.164), the e-mail address; empty for the webhook.
    pub to: String,
    /// Subject (e-mail).
    pub subject: String,
    /// Text, in the person's language.
    pub body: String,
    /// The page the message is about, absolute when `public_url` is set.
    pub link: String,
    /// The values the text was made from (an SMS template's parameters).
    pub params: serde_json::Value,
}

/// Why a gateway did not take a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Worth another try later (the gateway could not be reached, a rate limit, a 5xx).
    Retry(String),
    /// It will never take it (a number it refuses, no template for the kind): dead at once.
    Refused(String),
}

/// A message gateway: an SMS provider, an SMTP server, a webhook.
pub trait MessageGateway: Send + Sync {
    /// The channel it serves.
    fn channel(&self) -> Channel;
    /// Hands `message` over; returns the gateway's id of it.
    fn send<'a>(&'a self, message: &'a Outgoing) -> BoxFuture<'a, Result<String, SendError>>;
}

/// How long a claimed send is left to the worker trying it.
const LEASE_SECS: i64 = 600;

/// What one delivery pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    /// Sends the gateways took.
    pub sent: usize,
    /// Sends that failed and wait for their next try.
    pub retrying: usize,
    /// Sends given up.
    pub dead: usize,
}

impl App {
    /// Hands `message` to the notifier (the outbox, the message centre) and records its sends,
    /// all in `tx`: a message exists, and leaves the box, exactly when its cause committed.
    pub(crate) async fn send_message(&self, tx: &mut lokal_store::Tx, message: &MessageRow) -> Result<(), AppError> {
        self.notifier().notify(tx, message).await?;
        self.record_sends(tx, message).await?;
        Ok(())
    }

    /// Records `message` in `tx` with one send per channel its kind goes out on that has a
    /// gateway and for which the recipient has an address. Returns how many sends.
    pub(crate) async fn record_sends(&self, tx: &mut lokal_store::Tx, message: &MessageRow) -> Result<usize, AppError> {
        let Ok(kind) = message.kind.parse::<MessageKind>() else { return Ok(0) };
        let settings = self.message_settings();
        let mut n = 0;
        let mut person = None;
        for channel in settings.channels_of(kind) {
            if self.message_gateway(channel).is_none() {
                continue;
            }
            if person.is_none() {
                person = lokal_store::users::get_by_id(&mut **tx, message.user_id).await?;
            }
            let Some(p) = &person else { return Ok(n) };
            let address = match channel {
                Channel::Sms => p.phone.clone(),
                Channel::Email => p.email.clone(),
                Channel::Webhook => Some(String::new()),
            };
            let Some(address) = address else { continue };
            let row = SendRow {
                id: uuid::Uuid::now_v7().to_string(),
                message_id: message.id.clone(),
                channel: channel.as_str().to_owned(),
                address,
                status: "pending".into(),
                attempts: 0,
                next_attempt_at: message.created_at,
                last_error: String::new(),
                provider_ref: String::new(),
                created_at: message.created_at,
                sent_at: None,
            };
            sends::insert(tx, &row).await?;
            n += 1;
        }
        if n > 0 {
            self.wake_sender();
        }
        Ok(n)
    }

    /// One pass of the delivery worker: every send due is handed to its gateway. Returns what
    /// became of them.
    pub async fn deliver_messages(&self) -> Result<Delivered, AppError> {
        let mut done = Delivered::default();
        for s in sends::due(self.db().pool(), self.now(), 200).await? {
            // One worker per send: the others (other passes, other processes) skip it.
            let now = self.now();
            // Longer than any gateway's timeout: a send is tried again only when its try died.
            let lease = now.plus_secs(LEASE_SECS);
            if !sends::claim(self.db().pool(), &s.id, now, lease).await? {
                continue;
            }
            match self.deliver(&s).await {
                Ok(Some(true)) => done.sent += 1,
                Ok(Some(false)) => done.dead += 1,
                Ok(None) => done.retrying += 1,
                Err(e) => {
                    tracing::warn!(error = %e, send = %s.id, "send not tried");
                    done.retrying += 1;
                }
            }
        }
        Ok(done)
    }

    /// One try of one send: `Some(true)` sent, `Some(false)` dead, `None` to be tried again.
    async fn deliver(&self, s: &SendRow) -> Result<Option<bool>, AppError> {
        let pool = self.db().pool();
        let now = self.now();
        let settings = self.message_settings();
        let fail = |why: String, definitive: bool| async move {
            let attempts = s.attempts + 1;
            let dead = definitive || attempts >= settings.max_attempts.max(1);
            let next = now.plus_secs(lokal_core::retry::backoff_secs(attempts));
            sends::failed(pool, &s.id, &why, next, dead).await?;
            if dead {
                tracing::error!(send = %s.id, channel = %s.channel, error = %why, "message given up");
            }
            Ok::<_, AppError>(if dead { Some(false) } else { None })
        };
        let gateway = s.channel.parse::<Channel>().ok().and_then(|c| self.message_gateway(c));
        let Some(gateway) = gateway else {
            return fail(format!("no {} gateway is configured", s.channel), false).await;
        };
        let Some(m) = lokal_store::outbox::get_by_id(pool, &s.message_id).await? else {
            return fail("the message is gone".into(), true).await;
        };
        let outgoing = Outgoing {
            id: s.id.clone(),
            kind: m.kind.clone(),
            to: s.address.clone(),
            subject: m.subject.clone(),
            body: m.body.clone(),
            link: settings.link(&m.link),
            params: serde_json::from_str(&m.params).unwrap_or(serde_json::Value::Null),
        };
        match gateway.send(&outgoing).await {
            Ok(provider_ref) => {
                sends::sent(pool, &s.id, &provider_ref, self.now()).await?;
                Ok(Some(true))
            }
            Err(SendError::Retry(why)) => fail(why, false).await,
            Err(SendError::Refused(why)) => fail(why, true).await,
        }
    }

    /// Operators: sends given up, newest first.
    pub async fn dead_letters(&self, caller: &lokal_core::Principal) -> Result<Vec<SendRow>, AppError> {
        caller.require_admin()?;
        Ok(sends::in_status(self.db().pool(), "dead", 200).await?)
    }

    /// Operators: tries a dead letter again (from its first try's backoff). Audited.
    pub async fn retry_dead_letter(&self, caller: &lokal_core::Principal, id: &str) -> Result<(), AppError> {
        caller.require_admin()?;
        if !sends::revive(self.db().pool(), id, self.now()).await? {
            return Err(AppError::not_found("send"));
        }
        self.wake_sender();
        self.audit(Some(caller.user_id), "send.retried", format!("send:{id}"), String::new()).await
    }

    /// A message's sends (what left the box, and how it went).
    pub async fn sends_of(&self, message: &str) -> Result<Vec<SendRow>, AppError> {
        Ok(sends::of_message(self.db().pool(), message).await?)
    }
}

/// Lokal's signed webhook: each message is POSTed as JSON ([`Outgoing`]) with
/// `Lokal-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "t.body")>`. A 2xx is taken,
/// a 4xx but 408 and 429 refused, anything else tried again.
pub struct Webhook {
    url: String,
    secret: Vec<u8>,
    http: reqwest::Client,
}

impl Webhook {
    /// A webhook posting to `url`, signing with `secret`, giving up a call after `timeout`.
    pub fn new(url: &str, secret: &str, timeout: std::time::Duration) -> Result<Self, String> {
        if secret.is_empty() {
            return Err("[messages] webhook_secret is not set".into());
        }
        let http = reqwest::Client::builder().timeout(timeout).build().map_err(|e| format!("the HTTP client: {e}"))?;
        Ok(Self { url: url.to_owned(), secret: secret.as_bytes().to_vec(), http })
    }

    /// The signature header for `body` at unix second `t`.
    pub fn signature(&self, body: &[u8], t: i64) -> String {
        lokal_sms::webhook::sign(&self.secret, body, t)
    }
}

impl MessageGateway for Webhook {
    fn channel(&self) -> Channel {
        Channel::Webhook
    }

    fn send<'a>(&'a self, message: &'a Outgoing) -> BoxFuture<'a, Result<String, SendError>> {
        Box::pin(async move {
            let body = serde_json::to_vec(message).map_err(|e| SendError::Refused(e.to_string()))?;
            let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_secs();
            let signature = self.signature(&body, i64::try_from(t).unwrap_or(i64::MAX));
            let answer = self
                .http
                .post(&self.url)
                .header("Content-Type", "application/json")
                .header("Lokal-Signature", signature)
                .body(body)
                .send()
                .await
                .map_err(|e| SendError::Retry(format!("the webhook: {e}")))?;
            let status = answer.status().as_u16();
            match status {
                200..=299 => Ok(message.id.clone()),
                408 | 429 => Err(SendError::Retry(format!("the webhook answered {status}"))),
                400..=499 => Err(SendError::Refused(format!("the webhook answered {status}"))),
                _ => Err(SendError::Retry(format!("the webhook answered {status}"))),
            }
        })
    }
}

/// The gateways configured: SMS (`[sms] provider`), SMTP (`[smtp] host`), the webhook
/// (`[messages] webhook_url`).
pub fn configured_gateways(
    settings: &MessageSettings,
    smtp: &crate::email::SmtpSettings,
    sms: &crate::sms::SmsSettings,
) -> Result<Vec<Arc<dyn MessageGateway>>, String> {
    let mut out: Vec<Arc<dyn MessageGateway>> = Vec::new();
    match sms.provider.as_str() {
        "" => {}
        "aliyun" => out.push(Arc::new(crate::sms::AliyunSms::new(sms)?)),
        other => return Err(format!("[sms] provider must be aliyun or empty, not {other:?}")),
    }
    if !smtp.host.is_empty() {
        out.push(Arc::new(crate::email::Smtp::new(smtp)?));
    }
    if !settings.webhook_url.is_empty() {
        let timeout = std::time::Duration::from_millis(settings.timeout_ms.max(1));
        out.push(Arc::new(Webhook::new(&settings.webhook_url, &settings.webhook_secret, timeout)?));
    }
    Ok(out)
}

/// `params` as the outbox keeps them.
pub(crate) fn params_json(params: serde_json::Value) -> String {
    params.to_string()
}
