//! Lokal's own signed webhook, for message gateways without a protocol of their own (and for
//! gateways' delivery receipts relayed to Lokal): the body is sent as is, with the header
//!
//! ```text
//! Lokal-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "{t}.{body}")>
//! ```
//!
//! the same scheme as the payment sandbox's webhook (`lokal_app::payments::Sandbox`). The
//! receiver recomputes the HMAC over the raw body with the shared secret, compares in constant
//! time, and refuses a timestamp further from its clock than its tolerance, so a captured
//! delivery cannot be replayed later. Several `v1` values may be given (while a secret is being
//! replaced, one for each); any one matching is enough.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The header's name.
pub const HEADER: &str = "Lokal-Signature";

/// Why a delivery is refused; nothing here ever names the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The header is missing its `t` or `v1`, or they are not numbers and hex.
    #[error("the webhook signature header is malformed")]
    Malformed,
    /// The timestamp is further from the receiver's clock than it tolerates.
    #[error("the webhook signature is stale")]
    Stale,
    /// No signature matches the body under this secret.
    #[error("the webhook signature does not match")]
    Mismatch,
}

fn mac(secret: &[u8], t: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else { unreachable!("HMAC accepts any key length") };
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    mac
}

/// The header's value for `body` sent at `t` (Unix seconds): `t={t},v1={hex}`.
pub fn sign(secret: &[u8], body: &[u8], t: i64) -> String {
    format!("t={t},v1={}", hex::encode(mac(secret, t, body).finalize().into_bytes()))
}

/// Checks a delivery's header against its raw `body` at `now` (Unix seconds): the timestamp must
/// be within `tolerance_secs` of `now` either way, and a `v1` must be the HMAC of `"{t}.{body}"`
/// under `secret` (compared in constant time). Unknown fields are ignored.
pub fn verify(secret: &[u8], header: &str, body: &[u8], now: i64, tolerance_secs: i64) -> Result<(), Error> {
    let mut t = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) if t.is_none() => t = Some(v.parse::<i64>().map_err(|_| Error::Malformed)?),
            Some(("t", _)) => return Err(Error::Malformed),
            Some(("v1", v)) => signatures.push(hex::decode(v).map_err(|_| Error::Malformed)?),
            _ => {}
        }
    }
    let Some(t) = t else { return Err(Error::Malformed) };
    if signatures.is_empty() {
        return Err(Error::Malformed);
    }
    let skew = now.checked_sub(t).map(i64::unsigned_abs);
    if skew.is_none_or(|s| s > tolerance_secs.unsigned_abs()) {
        return Err(Error::Stale);
    }
    let expected = mac(secret, t, body);
    if signatures.iter().any(|s| expected.clone().verify_slice(s).is_ok()) { Ok(()) } else { Err(Error::Mismatch) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"whsec_lokal_test";
    const BODY: &[u8] = br#"{"id":"evt_1","to":"+8613800138000","status":"delivered"}"#;
    const T: i64 = 1_796_632_200;

    #[test]
    fn a_signed_body_verifies_within_the_tolerance() {
        let h = sign(SECRET, BODY, T);
        assert!(h.starts_with("t=1796632200,v1="), "{h}");
        assert_eq!(verify(SECRET, &h, BODY, T, 300), Ok(()));
        assert_eq!(verify(SECRET, &h, BODY, T + 300, 300), Ok(()));
        assert_eq!(verify(SECRET, &h, BODY, T - 300, 300), Ok(()));
        assert_eq!(verify(SECRET, &format!(" {} ", h.replace(',', " , ")), BODY, T, 300), Ok(()));
    }

    #[test]
    fn a_tampered_body_or_signature_is_refused() {
        let h = sign(SECRET, BODY, T);
        let tampered = br#"{"id":"evt_1","to":"+8613800138000","status":"failed"}"#;
        assert_eq!(verify(SECRET, &h, tampered, T, 300), Err(Error::Mismatch));
        // The timestamp is signed too: moving it breaks the signature.
        let moved = h.replace("t=1796632200", "t=1796632201");
        assert_eq!(verify(SECRET, &moved, BODY, T, 300), Err(Error::Mismatch));
        let flipped = format!("{}{}", &h[..h.len() - 1], if h.ends_with('0') { '1' } else { '0' });
        assert_eq!(verify(SECRET, &flipped, BODY, T, 300), Err(Error::Mismatch));
        let short = &h[..h.len() - 2];
        assert_eq!(verify(SECRET, short, BODY, T, 300), Err(Error::Mismatch));
    }

    #[test]
    fn a_stale_or_future_timestamp_is_refused() {
        let h = sign(SECRET, BODY, T);
        assert_eq!(verify(SECRET, &h, BODY, T + 301, 300), Err(Error::Stale));
        assert_eq!(verify(SECRET, &h, BODY, T - 301, 300), Err(Error::Stale));
        let ancient = sign(SECRET, BODY, i64::MIN);
        assert_eq!(verify(SECRET, &ancient, BODY, T, 300), Err(Error::Stale));
    }

    #[test]
    fn the_wrong_secret_is_refused_and_a_rotated_one_accepted() {
        let h = sign(SECRET, BODY, T);
        assert_eq!(verify(b"whsec_other", &h, BODY, T, 300), Err(Error::Mismatch));
        let old = sign(b"whsec_old", BODY, T);
        let both = format!("{h},{}", old.rsplit_once(',').map_or("", |(_, v1)| v1));
        assert_eq!(verify(SECRET, &both, BODY, T, 300), Ok(()));
        assert_eq!(verify(b"whsec_old", &both, BODY, T, 300), Ok(()));
        assert_eq!(verify(b"whsec_other", &both, BODY, T, 300), Err(Error::Mismatch));
    }

    #[test]
    fn malformed_headers_are_refused() {
        let v1 = sign(SECRET, BODY, T).rsplit_once("v1=").map(|(_, v)| v.to_owned()).unwrap_or_default();
        for h in [
            String::new(),
            "garbage".into(),
            format!("v1={v1}"),
            "t=1796632200".into(),
            format!("t=soon,v1={v1}"),
            "t=1796632200,v1=not-hex".into(),
            format!("t=1796632200,t=1796632200,v1={v1}"),
        ] {
            assert_eq!(verify(SECRET, &h, BODY, T, 300), Err(Error::Malformed), "{h:?}");
        }
        // Unknown fields (a future v2, say) are ignored.
        assert_eq!(verify(SECRET, &format!("t=1796632200,v2=abc,v1={v1}"), BODY, T, 300), Ok(()));
    }
}
