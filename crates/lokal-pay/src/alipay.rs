//! Alipay's open platform signatures (RSA2), as "签名与验签" documents them for the gateway
//! (`openapi.alipay.com/gateway.do`):
//!
//! - a request is signed over its parameters, `sign` left out and empty values left out, sorted
//!   by name in ASCII order and joined as `name=value` with `&` (values as they are, not
//!   URL-encoded), by SHA256-with-RSA with the app's private key, base64;
//! - an asynchronous notification is verified the same way with Alipay's public key, except that
//!   `sign_type` is left out too (and the values are the URL-decoded form fields).
//!
//! Both sides are here for the tests' fake Alipay, like [`crate::wechatpay`].

use crate::rsa2::{Signer, Verifier};
use std::collections::BTreeMap;

pub use crate::rsa2::Error;

/// The string a request's `sign` covers: every parameter but `sign` with a value, by name.
pub fn request_content(params: &BTreeMap<String, String>) -> String {
    content(params, &["sign"])
}

/// The string a notification's `sign` covers: every parameter but `sign` and `sign_type` with
/// a value, by name.
pub fn notification_content(params: &BTreeMap<String, String>) -> String {
    content(params, &["sign", "sign_type"])
}

fn content(params: &BTreeMap<String, String>, without: &[&str]) -> String {
    params
        .iter()
        .filter(|(k, v)| !v.is_empty() && !without.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// An app's private key (or, in the fake, Alipay's).
#[derive(Debug, Clone)]
pub struct AppKey(Signer);

impl AppKey {
    /// Reads a private key: PEM (PKCS#8 or PKCS#1), or the bare base64 PKCS#8 that Alipay's key
    /// tool shows.
    pub fn from_text(text: &str) -> Result<Self, Error> {
        Signer::from_text(text).map(Self)
    }

    /// Sets `sign_type` to `RSA2` and `sign` to the signature of the request's parameters.
    pub fn sign_request(&self, params: &mut BTreeMap<String, String>) {
        params.insert("sign_type".into(), "RSA2".into());
        params.remove("sign");
        let sign = self.0.sign(&request_content(params));
        params.insert("sign".into(), sign);
    }

    /// Sets `sign` to the signature of a notification's parameters (the fake Alipay's side).
    pub fn sign_notification(&self, params: &mut BTreeMap<String, String>) {
        params.insert("sign_type".into(), "RSA2".into());
        params.remove("sign");
        let sign = self.0.sign(&notification_content(params));
        params.insert("sign".into(), sign);
    }
}

/// Alipay's public key (or, in the fake, the app's).
#[derive(Debug, Clone)]
pub struct AlipayKey(Verifier);

impl AlipayKey {
    /// Reads a public key: PEM (SPKI), or the bare base64 that the open platform shows.
    pub fn from_text(text: &str) -> Result<Self, Error> {
        Verifier::from_text(text).map(Self)
    }

    /// Checks a notification's `sign` (which must be RSA2) over its other parameters.
    pub fn verify_notification(&self, params: &BTreeMap<String, String>) -> Result<(), Error> {
        if params.get("sign_type").is_some_and(|t| t != "RSA2") {
            return Err(Error::Malformed("sign_type"));
        }
        let sign = params.get("sign").ok_or(Error::Malformed("sign"))?;
        self.0.verify(&notification_content(params), sign)
    }

    /// Checks a request's `sign` (the fake Alipay's side).
    pub fn verify_request(&self, params: &BTreeMap<String, String>) -> Result<(), Error> {
        if params.get("sign_type").map(String::as_str) != Some("RSA2") {
            return Err(Error::Malformed("sign_type"));
        }
        let sign = params.get("sign").ok_or(Error::Malformed("sign"))?;
        self.0.verify(&request_content(params), sign)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn the_content_is_sorted_without_the_signature_or_empty_values() {
        let p = params(&[("b", "2"), ("a", "1"), ("sign", "x"), ("sign_type", "RSA2"), ("empty", ""), ("A", "0")]);
        assert_eq!(request_content(&p), "A=0&a=1&b=2&sign_type=RSA2");
        assert_eq!(notification_content(&p), "A=0&a=1&b=2");
    }

    #[test]
    fn a_signed_notification_verifies_and_any_change_is_refused() {
        let alipay = AppKey::from_text(include_str!("../tests/data/platform_key.pem")).expect("key");
        let public = AlipayKey::from_text(include_str!("../tests/data/platform_pub.pem")).expect("public key");
        let mut n =
            params(&[("out_trade_no", "lokal-1"), ("total_amount", "99.00"), ("trade_status", "TRADE_SUCCESS")]);
        alipay.sign_notification(&mut n);
        assert_eq!(public.verify_notification(&n), Ok(()));
        let mut more = n.clone();
        more.insert("total_amount".into(), "0.01".into());
        assert_eq!(public.verify_notification(&more), Err(Error::BadSignature));
        let mut md5 = n.clone();
        md5.insert("sign_type".into(), "RSA".into());
        assert_eq!(public.verify_notification(&md5), Err(Error::Malformed("sign_type")));
        let mut unsigned = n;
        unsigned.remove("sign");
        assert_eq!(public.verify_notification(&unsigned), Err(Error::Malformed("sign")));
    }

    #[test]
    fn a_signed_request_verifies_on_the_other_side() {
        let app = AppKey::from_text(include_str!("../tests/data/merchant_key.pem")).expect("key");
        let public = AlipayKey::from_text(include_str!("../tests/data/merchant_pub.pem")).expect("public key");
        let mut r =
            params(&[("app_id", "2021000000000000"), ("method", "alipay.trade.precreate"), ("biz_content", "{}")]);
        app.sign_request(&mut r);
        assert_eq!(r.get("sign_type").map(String::as_str), Some("RSA2"));
        assert_eq!(public.verify_request(&r), Ok(()));
        r.insert("method".into(), "alipay.trade.refund".into());
        assert_eq!(public.verify_request(&r), Err(Error::BadSignature));
    }
}
