//! The payment port and the built-in sandbox gateway.
//!
//! A [`PaymentGateway`] creates payment intents, verifies the provider's signed webhooks and
//! refunds. WeChat Pay, Alipay or Stripe are further implementations of the same trait. The
//! [`Sandbox`] behaves like one: an intent has a hosted pay page (`/sandbox/pay/{ref}`), the
//! payer's choice there is confirmed asynchronously (after a configurable delay) by a webhook
//! signed like Stripe's — `Lokal-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` —
//! which goes through the same verification as any webhook from outside.

use crate::AppError;
use crate::secret::{constant_time_eq, hmac_sha256_hex};
use lokal_core::{ErrorCode, Money, PaymentId, Timestamp};
use std::future::Future;
use std::pin::Pin;

/// A boxed future, so the trait stays object safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A created intent: the provider's reference and where the payer pays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intent {
    /// The provider's reference for this payment.
    pub provider_ref: String,
    /// The page (or app link) where the payer completes the payment.
    pub pay_url: String,
}

/// What a verified webhook says.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GatewayEvent {
    /// The provider's event id (replays repeat it).
    pub id: String,
    /// `payment.succeeded` or `payment.failed`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The payment's provider reference.
    pub payment_ref: String,
}

/// A payment provider.
pub trait PaymentGateway: Send + Sync {
    /// The provider's name, as stored with payments and in ledger accounts (`sandbox`).
    fn name(&self) -> &'static str;
    /// Creates an intent to collect `amount` for `payment`.
    fn create_intent(&self, payment: PaymentId, amount: Money) -> BoxFuture<'_, Result<Intent, AppError>>;
    /// Verifies a webhook's signature header and body at `now` and reads the event.
    fn verify_webhook(&self, signature: &str, body: &[u8], now: Timestamp) -> Result<GatewayEvent, AppError>;
    /// Refunds `amount` of the payment `provider_ref`; `key` makes retries safe. Returns the
    /// provider's refund reference.
    fn refund<'a>(
        &'a self,
        provider_ref: &'a str,
        amount: Money,
        key: &'a str,
    ) -> BoxFuture<'a, Result<String, AppError>>;
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
        }
    }
}

/// The built-in sandbox gateway.
pub struct Sandbox {
    secret: Vec<u8>,
    tolerance_secs: i64,
}

impl Sandbox {
    /// A sandbox signing with `secret`.
    pub fn new(secret: &[u8], tolerance_secs: i64) -> Self {
        Self { secret: secret.to_vec(), tolerance_secs }
    }

    /// The signature header for `body` sent at `at`.
    pub fn sign(&self, body: &[u8], at: Timestamp) -> String {
        let t = at.millis().div_euclid(1000);
        let mut msg = format!("{t}.").into_bytes();
        msg.extend_from_slice(body);
        format!("t={t},v1={}", hmac_sha256_hex(&self.secret, &msg))
    }

    /// The signed webhook the sandbox sends when the payer chose `succeed` or not.
    pub fn event(&self, provider_ref: &str, succeed: bool, at: Timestamp) -> Result<(String, Vec<u8>), AppError> {
        let event = GatewayEvent {
            id: format!("evt_{:016x}", crate::secret::random_u64()?),
            kind: if succeed { "payment.succeeded" } else { "payment.failed" }.to_owned(),
            payment_ref: provider_ref.to_owned(),
        };
        let body = serde_json::to_vec(&event).map_err(AppError::internal)?;
        Ok((self.sign(&body, at), body))
    }
}

fn bad_signature(why: &'static str) -> AppError {
    AppError::new(ErrorCode::WebhookSignatureInvalid, why)
}

impl PaymentGateway for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    fn create_intent(&self, payment: PaymentId, _amount: Money) -> BoxFuture<'_, Result<Intent, AppError>> {
        let provider_ref = format!("sbx_{}", payment.0.simple());
        Box::pin(async move { Ok(Intent { pay_url: format!("/sandbox/pay/{provider_ref}"), provider_ref }) })
    }

    fn verify_webhook(&self, signature: &str, body: &[u8], now: Timestamp) -> Result<GatewayEvent, AppError> {
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
        serde_json::from_slice(body).map_err(|_| AppError::new(ErrorCode::MalformedRequest, "err-webhook-not-json"))
    }

    fn refund<'a>(
        &'a self,
        _provider_ref: &'a str,
        _amount: Money,
        key: &'a str,
    ) -> BoxFuture<'a, Result<String, AppError>> {
        Box::pin(async move { Ok(format!("sbr_{key}")) })
    }
}

/// No payment provider is configured: nothing can be paid, no webhook is accepted.
pub struct NoGateway;

fn unavailable() -> AppError {
    AppError::new(ErrorCode::PaymentsUnavailable, "err-payments-unavailable")
}

impl PaymentGateway for NoGateway {
    fn name(&self) -> &'static str {
        "none"
    }

    fn create_intent(&self, _payment: PaymentId, _amount: Money) -> BoxFuture<'_, Result<Intent, AppError>> {
        Box::pin(async { Err(unavailable()) })
    }

    fn verify_webhook(&self, _signature: &str, _body: &[u8], _now: Timestamp) -> Result<GatewayEvent, AppError> {
        Err(AppError::not_found("payment provider"))
    }

    fn refund<'a>(
        &'a self,
        _provider_ref: &'a str,
        _amount: Money,
        _key: &'a str,
    ) -> BoxFuture<'a, Result<String, AppError>> {
        Box::pin(async { Err(unavailable()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_events_verify_and_tampering_or_staleness_is_refused() {
        let s = Sandbox::new(b"secret", 300);
        let now = Timestamp::from_millis(1_795_406_400_000);
        let (sig, body) = s.event("sbx_1", true, now).expect("event");
        let e = s.verify_webhook(&sig, &body, now).expect("verifies");
        assert_eq!((e.kind.as_str(), e.payment_ref.as_str()), ("payment.succeeded", "sbx_1"));
        let mut tampered = body.clone();
        tampered[5] ^= 1;
        assert!(s.verify_webhook(&sig, &tampered, now).is_err());
        assert!(s.verify_webhook(&sig, &body, now.plus_secs(301)).is_err(), "stale");
        assert!(s.verify_webhook("garbage", &body, now).is_err());
        assert!(Sandbox::new(b"other", 300).verify_webhook(&sig, &body, now).is_err(), "wrong secret");
    }
}
