//! The payment port and the built-in sandbox gateway.
//!
//! A [`PaymentGateway`] is one payment provider as Lokal uses it: it creates payment intents,
//! verifies the provider's signed notifications, answers queries about a payment or a refund,
//! closes an unpaid payment and refunds. Nothing in the port runs inside a database transaction:
//! the refund worker ([`crate::refunds`]) and the payment recovery ([`App::recover_payments`])
//! call it between transactions. WeChat Pay and Alipay are implementations of the same trait
//! (see `lokal_pay`); the [`Sandbox`] behaves like one: an intent has a hosted pay page
//! (`/sandbox/pay/{ref}`), the payer's choice there is recorded durably and confirmed
//! asynchronously (after a configurable delay, retried until acknowledged) by a webhook signed
//! like Stripe's — `Lokal-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` — which
//! goes through the same verification as any webhook from outside.
//!
//! [`App::recover_payments`]: crate::App::recover_payments

use crate::AppError;
use crate::secret::{constant_time_eq, hmac_sha256_hex};
use lokal_core::reconcile::Line;
use lokal_core::{ErrorCode, Money, PaymentId, Timestamp};
use std::future::Future;
use std::pin::Pin;

/// A boxed future, so the trait stays object safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What to collect, as the provider needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntentRequest {
    /// Our payment (the provider's `out_trade_no` is derived from it).
    pub payment: PaymentId,
    /// How much.
    pub amount: Money,
    /// What the payer sees on the provider's page and statement.
    pub description: String,
    /// How the payer pays where the provider offers several ways (WeChat Pay: `native`, `jsapi`,
    /// `h5`; Alipay: `page`, `wap`, `qr`); empty for the provider's default.
    pub method: String,
    /// The payer's id at the provider where the method needs it (WeChat Pay JSAPI: `openid`).
    pub payer: Option<String>,
    /// The payer's IP address (WeChat Pay H5 needs it).
    pub client_ip: String,
    /// The provider stops accepting the payment then.
    pub expires_at: Timestamp,
}

/// A created intent: the provider's reference and where the payer pays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intent {
    /// The payment's reference at the provider (our `out_trade_no`).
    pub provider_ref: String,
    /// Where the payer completes the payment: a page, an app link, or the text of a QR code
    /// (WeChat Pay Native's `weixin://…`).
    pub pay_url: String,
    /// What a client passes to the provider's own SDK (WeChat Pay JSAPI's signed parameters).
    pub client_params: Option<serde_json::Value>,
}

/// What a verified notification says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// The payer paid.
    PaymentSucceeded,
    /// The payment failed or was closed.
    PaymentFailed,
    /// A refund reached the payer.
    RefundSucceeded,
    /// A refund failed for good.
    RefundFailed,
}

/// A verified notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayEvent {
    /// The provider's notification id (a redelivery repeats it).
    pub id: String,
    /// What happened.
    pub kind: EventKind,
    /// The payment's reference (our `out_trade_no`).
    pub payment_ref: String,
    /// Refund events: our refund id (`out_refund_no`).
    pub refund_id: Option<String>,
    /// The provider's own id of the payment or refund, empty if it gave none.
    pub provider_txn: String,
    /// The amount the provider says moved, minor units, where it says one.
    pub amount: Option<i64>,
}

/// A payment's state at the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentState {
    /// Not paid yet (the payer may still pay).
    Pending,
    /// Paid: the provider's id of the payment and the amount.
    Succeeded {
        /// The provider's id (`transaction_id`).
        provider_txn: String,
        /// Minor units paid, where the provider says.
        amount: Option<i64>,
    },
    /// Failed, closed or revoked: it will not be paid.
    Failed,
    /// The provider does not know it (never created, or created so long ago it is gone).
    Unknown,
}

/// A refund's state at the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundState {
    /// Accepted and still on its way: ask again later (or wait for the notification).
    Processing {
        /// The provider's refund id.
        provider_ref: String,
    },
    /// Back with the payer.
    Succeeded {
        /// The provider's refund id.
        provider_ref: String,
    },
    /// Refused or abnormal for good: an operator returns the money another way.
    Failed {
        /// The provider's reason.
        reason: String,
    },
}

/// What to refund, as the providers need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest {
    /// The payment's reference (`out_trade_no`).
    pub payment_ref: String,
    /// Our refund id: the provider's idempotency key (`out_refund_no`).
    pub refund_id: String,
    /// Minor units to return.
    pub amount: i64,
    /// What the payment was, minor units (providers check the refund against it).
    pub total: i64,
    /// Shown to the payer.
    pub reason: String,
}

/// A gateway call that did not get an answer worth keeping: the provider was unreachable, timed
/// out, or answered with an error that a later try may not see (a system error, a rate limit).
/// The caller tries again later; a definitive refusal is a [`RefundState::Failed`] instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unreachable(pub String);

/// Notification request headers, looked up case-insensitively.
#[derive(Debug, Clone, Default)]
pub struct Headers(Vec<(String, String)>);

impl Headers {
    /// Headers from name–value pairs.
    pub fn new(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        Self(pairs.into_iter().collect())
    }

    /// A header's value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// How a provider wants its notification answered, where it is not the API's usual (204, or
/// the JSON error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Content type of `body`.
    pub content_type: &'static str,
    /// Body.
    pub body: String,
}

/// A payment provider.
pub trait PaymentGateway: Send + Sync {
    /// The provider's name, as stored with payments and in ledger accounts (`sandbox`).
    fn name(&self) -> &'static str;
    /// Creates an intent to collect a payment.
    fn create_intent(&self, request: IntentRequest) -> BoxFuture<'_, Result<Intent, AppError>>;
    /// Verifies a notification's headers and body at `now` and reads it.
    fn verify_webhook(&self, headers: &Headers, body: &[u8], now: Timestamp) -> Result<GatewayEvent, AppError>;
    /// How to answer a notification that was applied (`Ok`) or refused; `None` for the API's
    /// usual answer. A provider redelivers what was not answered as it expects.
    fn reply(&self, _outcome: Result<(), &AppError>) -> Option<Reply> {
        None
    }
    /// Asks the provider about a payment.
    fn query_payment<'a>(&'a self, provider_ref: &'a str) -> BoxFuture<'a, Result<PaymentState, Unreachable>>;
    /// Closes an unpaid payment, so the payer can no longer pay it.
    fn close<'a>(&'a self, provider_ref: &'a str) -> BoxFuture<'a, Result<(), Unreachable>>;
    /// Asks for a refund (safe to repeat with the same `refund_id`).
    fn refund<'a>(&'a self, request: &'a RefundRequest) -> BoxFuture<'a, Result<RefundState, Unreachable>>;
    /// Asks the provider about a refund.
    fn query_refund<'a>(&'a self, refund_id: &'a str) -> BoxFuture<'a, Result<RefundState, Unreachable>>;
    /// The provider's bill for its day `date` (`YYYY-MM-DD`, Beijing time) as lines: payments
    /// by our reference, refunds by our refund id, with the provider's fees. `Unreachable` also
    /// when the bill is not ready yet.
    fn bill<'a>(&'a self, date: &'a str) -> BoxFuture<'a, Result<Vec<Line>, Unreachable>>;
}

/// Sandbox settings (`[payments]`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PaymentSettings {
    /// The payment provider: `sandbox` (the built-in rehearsal gateway; what `--demo` uses), or
    /// empty for none (paying is refused, 409 `payments_unavailable`).
    pub provider: String,
    /// Minutes an order waits for payment before its stock is released.
    pub order_ttl_minutes: i64,
    /// The sandbox's webhook signing secret; empty = a random one per process.
    pub sandbox_secret: String,
    /// Milliseconds between the payer's click and the sandbox's webhook.
    pub sandbox_delay_ms: u64,
    /// Seconds a webhook's timestamp may differ from our clock.
    pub webhook_tolerance_secs: i64,
    /// Per cent of sandbox payments declined even when the payer pays (to rehearse failures).
    pub sandbox_decline_percent: u8,
    /// Least commission the platform takes on a settled menu order or bill, minor units.
    pub min_commission: i64,
    /// Seconds after a payment started before its provider is asked about it, when no
    /// notification came (payment status recovery; also after a restart).
    pub query_after_secs: i64,
    /// Seconds between two passes of the payments worker (refunds, sandbox confirmations,
    /// overdue payments) in the server.
    pub worker_interval_secs: u64,
}

impl Default for PaymentSettings {
    fn default() -> Self {
        Self {
            provider: String::new(),
            order_ttl_minutes: 15,
            sandbox_secret: String::new(),
            sandbox_delay_ms: 300,
            webhook_tolerance_secs: 300,
            sandbox_decline_percent: 0,
            min_commission: 100,
            query_after_secs: 120,
            worker_interval_secs: 5,
        }
    }
}

/// The sandbox's notification body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SandboxEvent {
    /// The event id (a redelivery repeats it).
    pub id: String,
    /// `payment.succeeded` or `payment.failed`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The payment's sandbox reference.
    pub payment_ref: String,
}

/// The built-in sandbox gateway. Its provider-side records (the payer's choices) live in the
/// `sandbox_confirmations` table of the database it is given.
pub struct Sandbox {
    secret: Vec<u8>,
    tolerance_secs: i64,
    db: Option<lokal_store::Db>,
}

impl Sandbox {
    /// A sandbox signing with `secret`, keeping its records in `db`.
    pub fn new(secret: &[u8], tolerance_secs: i64, db: Option<lokal_store::Db>) -> Self {
        Self { secret: secret.to_vec(), tolerance_secs, db }
    }

    /// The signature header for `body` sent at `at`.
    pub fn sign(&self, body: &[u8], at: Timestamp) -> String {
        let t = at.millis().div_euclid(1000);
        let mut msg = format!("{t}.").into_bytes();
        msg.extend_from_slice(body);
        format!("t={t},v1={}", hmac_sha256_hex(&self.secret, &msg))
    }

    /// The signed notification of the payer's choice (`succeed` or not) for `provider_ref`. Its
    /// id is the same every time for the same outcome, so a redelivery is recognised as one.
    pub fn event(&self, provider_ref: &str, succeed: bool, at: Timestamp) -> Result<(String, Vec<u8>), AppError> {
        let event = SandboxEvent {
            id: format!("evt_{provider_ref}_{}", if succeed { "paid" } else { "failed" }),
            kind: if succeed { "payment.succeeded" } else { "payment.failed" }.to_owned(),
            payment_ref: provider_ref.to_owned(),
        };
        let body = serde_json::to_vec(&event).map_err(AppError::internal)?;
        Ok((self.sign(&body, at), body))
    }

    fn db(&self) -> Result<&lokal_store::Db, Unreachable> {
        self.db.as_ref().ok_or_else(|| Unreachable("the sandbox has no database".into()))
    }
}

fn bad_signature(why: &'static str) -> AppError {
    AppError::new(ErrorCode::WebhookSignatureInvalid, why)
}

fn unreachable_store(e: lokal_store::StoreError) -> Unreachable {
    Unreachable(format!("sandbox records: {e}"))
}

impl PaymentGateway for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    fn create_intent(&self, request: IntentRequest) -> BoxFuture<'_, Result<Intent, AppError>> {
        let provider_ref = format!("sbx_{}", request.payment.0.simple());
        Box::pin(async move {
            Ok(Intent { pay_url: format!("/sandbox/pay/{provider_ref}"), provider_ref, client_params: None })
        })
    }

    fn verify_webhook(&self, headers: &Headers, body: &[u8], now: Timestamp) -> Result<GatewayEvent, AppError> {
        let signature = headers.get("lokal-signature").unwrap_or_default();
        let mut t = None;
        let mut v1 = None;
        for part in signature.split(',') {
            match part.trim().split_once('=') {
                Some(("t", v)) => t = v.parse::<i64>().ok(),
                Some(("v1", v)) => v1 = Some(v),
                _ => {}
            }
        }
        let (Some(t), Some(v1)) = (t, v1) else { return Err(bad_signature("err-webhook-signature-malformed")) };
        let skew = now.millis().div_euclid(1000).checked_sub(t).map(i64::unsigned_abs);
        if skew.is_none_or(|s| s > self.tolerance_secs.unsigned_abs()) {
            return Err(bad_signature("err-webhook-signature-stale"));
        }
        let expected = self.sign(body, Timestamp::from_millis(t.saturating_mul(1000)));
        let expected = expected.rsplit_once("v1=").map_or("", |(_, h)| h);
        if !constant_time_eq(expected, v1) {
            return Err(bad_signature("err-webhook-signature-mismatch"));
        }
        let e: SandboxEvent = serde_json::from_slice(body)
            .map_err(|_| AppError::new(ErrorCode::MalformedRequest, "err-webhook-not-json"))?;
        let kind = match e.kind.as_str() {
            "payment.succeeded" => EventKind::PaymentSucceeded,
            "payment.failed" => EventKind::PaymentFailed,
            _ => return Err(AppError::new(ErrorCode::MalformedRequest, "err-webhook-not-json")),
        };
        Ok(GatewayEvent {
            id: e.id,
            kind,
            payment_ref: e.payment_ref,
            refund_id: None,
            provider_txn: String::new(),
            amount: None,
        })
    }

    fn query_payment<'a>(&'a self, provider_ref: &'a str) -> BoxFuture<'a, Result<PaymentState, Unreachable>> {
        Box::pin(async move {
            let db = self.db()?;
            let c = lokal_store::sandbox::get_by_ref(db.pool(), provider_ref).await.map_err(unreachable_store)?;
            Ok(match c {
                None => PaymentState::Pending,
                Some(c) if c.succeed => PaymentState::Succeeded { provider_txn: provider_ref.to_owned(), amount: None },
                Some(_) => PaymentState::Failed,
            })
        })
    }

    fn close<'a>(&'a self, provider_ref: &'a str) -> BoxFuture<'a, Result<(), Unreachable>> {
        Box::pin(async move {
            let db = self.db()?;
            // The provider's own clock, as a real provider's would be.
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
            let now = Timestamp::from_millis(i64::try_from(now.as_millis()).unwrap_or(i64::MAX));
            lokal_store::sandbox::close(db.pool(), provider_ref, now).await.map_err(unreachable_store)?;
            Ok(())
        })
    }

    fn refund<'a>(&'a self, request: &'a RefundRequest) -> BoxFuture<'a, Result<RefundState, Unreachable>> {
        Box::pin(async move { Ok(RefundState::Succeeded { provider_ref: format!("sbr_{}", request.refund_id) }) })
    }

    fn query_refund<'a>(&'a self, refund_id: &'a str) -> BoxFuture<'a, Result<RefundState, Unreachable>> {
        Box::pin(async move { Ok(RefundState::Succeeded { provider_ref: format!("sbr_{refund_id}") }) })
    }

    fn bill<'a>(&'a self, date: &'a str) -> BoxFuture<'a, Result<Vec<Line>, Unreachable>> {
        Box::pin(async move {
            let (from, to) =
                lokal_core::reconcile::beijing_day(date).ok_or_else(|| Unreachable("no such day".into()))?;
            let db = self.db()?;
            lokal_store::sandbox::bill_lines(db.pool(), from, to).await.map_err(unreachable_store)
        })
    }
}

/// No payment provider is configured: nothing can be paid, no webhook is accepted.
pub struct NoGateway;

fn unavailable() -> AppError {
    AppError::new(ErrorCode::PaymentsUnavailable, "err-payments-unavailable")
}

fn no_provider() -> Unreachable {
    Unreachable("no payment provider is configured".into())
}

impl PaymentGateway for NoGateway {
    fn name(&self) -> &'static str {
        "none"
    }

    fn create_intent(&self, _request: IntentRequest) -> BoxFuture<'_, Result<Intent, AppError>> {
        Box::pin(async { Err(unavailable()) })
    }

    fn verify_webhook(&self, _headers: &Headers, _body: &[u8], _now: Timestamp) -> Result<GatewayEvent, AppError> {
        Err(AppError::not_found("payment provider"))
    }

    fn query_payment<'a>(&'a self, _provider_ref: &'a str) -> BoxFuture<'a, Result<PaymentState, Unreachable>> {
        Box::pin(async { Err(no_provider()) })
    }

    fn close<'a>(&'a self, _provider_ref: &'a str) -> BoxFuture<'a, Result<(), Unreachable>> {
        Box::pin(async { Err(no_provider()) })
    }

    fn refund<'a>(&'a self, _request: &'a RefundRequest) -> BoxFuture<'a, Result<RefundState, Unreachable>> {
        Box::pin(async { Err(no_provider()) })
    }

    fn query_refund<'a>(&'a self, _refund_id: &'a str) -> BoxFuture<'a, Result<RefundState, Unreachable>> {
        Box::pin(async { Err(no_provider()) })
    }

    fn bill<'a>(&'a self, _date: &'a str) -> BoxFuture<'a, Result<Vec<Line>, Unreachable>> {
        Box::pin(async { Err(no_provider()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_events_verify_and_tampering_or_staleness_is_refused() {
        let s = Sandbox::new(b"secret", 300, None);
        let now = Timestamp::from_millis(1_795_406_400_000);
        let (sig, body) = s.event("sbx_1", true, now).expect("event");
        let h = |sig: &str| Headers::new([("Lokal-Signature".to_owned(), sig.to_owned())]);
        let e = s.verify_webhook(&h(&sig), &body, now).expect("verifies");
        assert_eq!((e.kind, e.payment_ref.as_str()), (EventKind::PaymentSucceeded, "sbx_1"));
        let mut tampered = body.clone();
        tampered[5] ^= 1;
        assert!(s.verify_webhook(&h(&sig), &tampered, now).is_err());
        assert!(s.verify_webhook(&h(&sig), &body, now.plus_secs(301)).is_err(), "stale");
        assert!(s.verify_webhook(&h("garbage"), &body, now).is_err());
        assert!(s.verify_webhook(&Headers::default(), &body, now).is_err(), "no signature");
        assert!(Sandbox::new(b"other", 300, None).verify_webhook(&h(&sig), &body, now).is_err(), "wrong secret");
    }
}
