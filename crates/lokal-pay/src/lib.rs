//! Payment providers' protocols, as their documentation specifies them, with no I/O: what to
//! sign, how to sign it, how to check what a provider signed, how to open what it encrypted.
//! lokal-app's gateways (and the tests' fake providers) are built on these.
//!
//! - [`wechatpay`]: WeChat Pay API v3 — `WECHATPAY2-SHA256-RSA2048` request signatures,
//!   verification of `Wechatpay-Signature` with the platform's public key, and the
//!   `AEAD_AES_256_GCM` notification resource opened with the APIv3 key.
//! - [`wechatpay_api`]: WeChat Pay API v3's JSON (prepay, query, close, refunds, callbacks).
//! - [`wechatpay_bill`]: WeChat Pay's trade bill, read and written, and its SHA1 check.
//! - [`alipay`]: Alipay's open platform — RSA2 over the sorted parameters for requests, and for
//!   asynchronous notifications verified with Alipay's public key.
//! - [`rsa2`]: the SHA256-with-RSA signature both use, keys as PEM or bare base64.

pub mod alipay;
pub mod rsa2;
pub mod wechatpay;
pub mod wechatpay_api;
pub mod wechatpay_bill;
