//! WeChat Pay API v3's security layer, as its "Signature Generation", "Signature Verification"
//! and "Decrypting callback information" guides describe it (pay.weixin.qq.com, wechatpay4_0,
//! wechatpay4_1, wechatpay4_2).
//!
//! - A request carries `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",
//!   timestamp="…",serial_no="…",signature="…"`, where the signature is SHA256-with-RSA
//!   (RSASSA-PKCS1-v1_5) by the merchant's API key over five lines: method, the URL's path and
//!   query, the Unix timestamp in seconds, the nonce and the body, each ending in `\n`.
//! - A response or callback carries `Wechatpay-Timestamp`, `Wechatpay-Nonce`,
//!   `Wechatpay-Signature` and `Wechatpay-Serial`: the platform key's signature over three
//!   lines (timestamp, nonce, body). The serial names which platform key signed.
//! - A callback's `resource` is encrypted with AEAD_AES_256_GCM under the merchant's 32-byte
//!   APIv3 key: base64 ciphertext with its 16-byte tag at the end, a 12-byte nonce and
//!   associated data.
//!
//! Both sides are here (signing and verifying either way) because Lokal's tests run a fake
//! WeChat Pay that must sign its callbacks and check Lokal's requests exactly as the real one.

use crate::rsa2::{self, Signer, Verifier};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use std::fmt;

/// `[wechatpay]`: a merchant's WeChat Pay API v3 credentials, as the merchant platform names
/// them. Empty `mchid`: not configured.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// 商户号, the merchant id.
    pub mchid: String,
    /// The app (公众号 / 小程序 / app) the payments are made in.
    pub appid: String,
    /// The merchant API key, `apiclient_key.pem` (PKCS#8).
    pub merchant_key_path: String,
    /// 商户API证书序列号, the serial of that key's certificate.
    pub merchant_serial_no: String,
    /// The WeChat Pay public key (微信支付公钥, `pub_key.pem`) that signs callbacks and responses.
    pub platform_public_key_path: String,
    /// Its id, `PUB_KEY_ID_…`, as `Wechatpay-Serial` names it.
    pub platform_public_key_id: String,
    /// The APIv3 key (32 characters) that encrypts callbacks: a secret, redacted when shown.
    pub api_v3_key: String,
    /// Where WeChat Pay sends payment and refund callbacks (HTTPS, on this server).
    pub notify_url: String,
    /// The API's address (`https://api.mch.weixin.qq.com`; tests point it at a fake).
    pub api_base: String,
    /// Milliseconds a call waits for WeChat Pay's answer before it is tried again later; 0 is
    /// the default, 10 000.
    pub timeout_ms: u64,
}

/// A merchant's loaded credentials.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The merchant id.
    pub mchid: String,
    /// Signs requests.
    pub merchant_key: PrivateKey,
    /// Verifies callbacks and responses.
    pub platform_key: PublicKey,
    /// Opens callbacks.
    pub api_v3_key: ApiV3Key,
}

impl Settings {
    /// Whether a merchant is configured.
    pub fn is_configured(&self) -> bool {
        !self.mchid.trim().is_empty()
    }

    /// Reads the key files and checks every credential. The error names the setting at fault,
    /// never a secret.
    pub fn load(&self) -> Result<Credentials, String> {
        let need = |name: &str, v: &str| {
            if v.trim().is_empty() { Err(format!("[wechatpay] {name} is not set")) } else { Ok(()) }
        };
        need("mchid", &self.mchid)?;
        need("merchant_serial_no", &self.merchant_serial_no)?;
        need("platform_public_key_id", &self.platform_public_key_id)?;
        let read = |name: &str, path: &str| {
            need(name, path)?;
            std::fs::read_to_string(path).map_err(|e| format!("[wechatpay] {name} {path:?}: {e}"))
        };
        let merchant_key =
            PrivateKey::from_pem(&read("merchant_key_path", &self.merchant_key_path)?, &self.merchant_serial_no)
                .map_err(|e| format!("[wechatpay] merchant_key_path {:?}: {e}", self.merchant_key_path))?;
        let platform_key = PublicKey::from_pem(
            &read("platform_public_key_path", &self.platform_public_key_path)?,
            &self.platform_public_key_id,
        )
        .map_err(|e| format!("[wechatpay] platform_public_key_path {:?}: {e}", self.platform_public_key_path))?;
        let api_v3_key =
            ApiV3Key::new(self.api_v3_key.as_bytes()).map_err(|e| format!("[wechatpay] api_v3_key: {e}"))?;
        Ok(Credentials { mchid: self.mchid.clone(), merchant_key, platform_key, api_v3_key })
    }

    /// This configuration with its secret replaced by `***`.
    pub fn redacted(&self) -> Self {
        let mut shown = self.clone();
        if !shown.api_v3_key.is_empty() {
            shown.api_v3_key = "***".into();
        }
        shown
    }
}

/// The scheme named in the `Authorization` header.
pub const SCHEME: &str = "WECHATPAY2-SHA256-RSA2048";

/// What can go wrong; none of it says which secret was involved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A key's PEM text does not hold an RSA key of the expected kind.
    #[error("the {0} is not a PEM-encoded RSA key")]
    Key(&'static str),
    /// The APIv3 key is not 32 bytes.
    #[error("the APIv3 key must be 32 bytes")]
    ApiV3Key,
    /// A header is missing or malformed.
    #[error("malformed {0}")]
    Malformed(&'static str),
    /// Signed by a key this side does not know (`Wechatpay-Serial`).
    #[error("signed by an unknown key {0:?}")]
    UnknownSerial(String),
    /// The signature does not match the message.
    #[error("the signature does not verify")]
    BadSignature,
    /// The resource does not decrypt (wrong key, nonce, associated data, or tampered).
    #[error("the resource does not decrypt")]
    Decrypt,
}

impl From<rsa2::Error> for Error {
    fn from(e: rsa2::Error) -> Self {
        match e {
            rsa2::Error::Key(what) => Error::Key(what),
            rsa2::Error::Malformed(what) => Error::Malformed(what),
            rsa2::Error::BadSignature => Error::BadSignature,
        }
    }
}

/// The five-line string a request's signature covers.
pub fn request_message(method: &str, path_and_query: &str, timestamp: i64, nonce: &str, body: &str) -> String {
    format!("{method}\n{path_and_query}\n{timestamp}\n{nonce}\n{body}\n")
}

/// The three-line string a response's or callback's signature covers.
pub fn response_message(timestamp: i64, nonce: &str, body: &str) -> String {
    format!("{timestamp}\n{nonce}\n{body}\n")
}

/// An RSA private key that signs: the merchant's API key, or (in the fake provider) the
/// platform's.
#[derive(Clone)]
pub struct PrivateKey {
    key: Signer,
    serial: String,
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey").field("serial", &self.serial).finish_non_exhaustive()
    }
}

impl PrivateKey {
    /// Reads a PKCS#8 PEM private key (`apiclient_key.pem`) whose certificate (or public key) has
    /// the serial number `serial`.
    pub fn from_pem(pem: &str, serial: &str) -> Result<Self, Error> {
        Ok(Self { key: Signer::from_text(pem)?, serial: serial.to_owned() })
    }

    /// The serial number of this key's certificate or public key.
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// Signs `message` and checks the signature with this key's own public half: a key that
    /// loads but cannot sign (or a broken build of the crypto) is found before a provider says so.
    pub fn check(&self, message: &str) -> Result<String, Error> {
        let signature = self.sign(message);
        let own = PublicKey { key: self.key.verifier(), serial: self.serial.clone() };
        own.verify(message, &signature)?;
        Ok(signature)
    }

    /// The base64 SHA256-with-RSA signature of `message`.
    pub fn sign(&self, message: &str) -> String {
        self.key.sign(message)
    }

    /// The `Authorization` header of a request by merchant `mchid`.
    pub fn authorization(
        &self,
        mchid: &str,
        method: &str,
        path_and_query: &str,
        timestamp: i64,
        nonce: &str,
        body: &str,
    ) -> String {
        let signature = self.sign(&request_message(method, path_and_query, timestamp, nonce, body));
        format!(
            "{SCHEME} mchid=\"{mchid}\",nonce_str=\"{nonce}\",timestamp=\"{timestamp}\",serial_no=\"{}\",signature=\"{signature}\"",
            self.serial
        )
    }

    /// The headers that sign a response or callback `body` (the fake provider's side).
    pub fn sign_response(&self, timestamp: i64, nonce: &str, body: &str) -> SignedHeaders {
        SignedHeaders {
            timestamp,
            nonce: nonce.to_owned(),
            signature: self.sign(&response_message(timestamp, nonce, body)),
            serial: self.serial.clone(),
        }
    }
}

/// An RSA public key that verifies: the platform's (callbacks, responses) or, in the fake
/// provider, the merchant's (requests).
#[derive(Debug, Clone)]
pub struct PublicKey {
    key: Verifier,
    serial: String,
}

impl PublicKey {
    /// Reads an SPKI PEM public key (`-----BEGIN PUBLIC KEY-----`, as WeChat Pay's "public key"
    /// download and a certificate's key) with its serial (`PUB_KEY_ID_…` or the certificate's).
    pub fn from_pem(pem: &str, serial: &str) -> Result<Self, Error> {
        Ok(Self { key: Verifier::from_text(pem)?, serial: serial.to_owned() })
    }

    /// The serial this key is known by.
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// Whether `signature` (base64) is this key's signature of `message`.
    pub fn verify(&self, message: &str, signature: &str) -> Result<(), Error> {
        Ok(self.key.verify(message, signature)?)
    }

    /// Checks a response's or callback's headers against its `body`: the serial must be this
    /// key's and the signature must verify. (Whether the timestamp is recent is the caller's
    /// decision: it has the clock.)
    pub fn verify_response(&self, h: &SignedHeaders, body: &str) -> Result<(), Error> {
        if h.serial != self.serial {
            return Err(Error::UnknownSerial(h.serial.clone()));
        }
        self.verify(&response_message(h.timestamp, &h.nonce, body), &h.signature)
    }

    /// Checks a request's `Authorization` header against the request (the fake provider's
    /// side): the scheme, the merchant, the key's serial and the signature. Returns the
    /// request's timestamp for the caller to judge.
    pub fn verify_request(
        &self,
        authorization: &str,
        mchid: &str,
        method: &str,
        path_and_query: &str,
        body: &str,
    ) -> Result<i64, Error> {
        let a = Authorization::parse(authorization)?;
        if a.mchid != mchid {
            return Err(Error::Malformed("mchid"));
        }
        if a.serial_no != self.serial {
            return Err(Error::UnknownSerial(a.serial_no));
        }
        self.verify(&request_message(method, path_and_query, a.timestamp, &a.nonce_str, body), &a.signature)?;
        Ok(a.timestamp)
    }
}

/// The `Wechatpay-*` headers of a response or callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    /// `Wechatpay-Timestamp`, Unix seconds.
    pub timestamp: i64,
    /// `Wechatpay-Nonce`.
    pub nonce: String,
    /// `Wechatpay-Signature`, base64.
    pub signature: String,
    /// `Wechatpay-Serial`: which key signed.
    pub serial: String,
}

impl SignedHeaders {
    /// Reads the four headers through `get` (a header map's lookup, case-insensitive there).
    pub fn read<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Result<Self, Error> {
        let need =
            |name: &'static str| get(name).map(str::trim).filter(|v| !v.is_empty()).ok_or(Error::Malformed(name));
        let timestamp = need("Wechatpay-Timestamp")?.parse().map_err(|_| Error::Malformed("Wechatpay-Timestamp"))?;
        Ok(Self {
            timestamp,
            nonce: need("Wechatpay-Nonce")?.to_owned(),
            signature: need("Wechatpay-Signature")?.to_owned(),
            serial: need("Wechatpay-Serial")?.to_owned(),
        })
    }
}

/// The fields of an `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The merchant id.
    pub mchid: String,
    /// The request's nonce.
    pub nonce_str: String,
    /// Unix seconds.
    pub timestamp: i64,
    /// The merchant key's certificate serial.
    pub serial_no: String,
    /// Base64 signature.
    pub signature: String,
}

impl Authorization {
    /// Parses `WECHATPAY2-SHA256-RSA2048 k="v",…` (any order of the five fields, each once).
    pub fn parse(header: &str) -> Result<Self, Error> {
        let bad = || Error::Malformed("Authorization");
        let rest = header.trim().strip_prefix(SCHEME).and_then(|r| r.strip_prefix(' ')).ok_or_else(bad)?;
        let mut fields = std::collections::BTreeMap::new();
        for part in rest.split(',') {
            let (k, v) = part.trim().split_once('=').ok_or_else(bad)?;
            let v = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).ok_or_else(bad)?;
            if fields.insert(k, v).is_some() {
                return Err(bad());
            }
        }
        let mut take = |k: &str| fields.remove(k).map(str::to_owned).ok_or_else(bad);
        let a = Self {
            mchid: take("mchid")?,
            nonce_str: take("nonce_str")?,
            timestamp: take("timestamp")?.parse().map_err(|_| bad())?,
            serial_no: take("serial_no")?,
            signature: take("signature")?,
        };
        if !fields.is_empty() {
            return Err(bad());
        }
        Ok(a)
    }
}

/// The merchant's APIv3 key: opens (and, in the fake provider, seals) callback resources.
#[derive(Clone)]
pub struct ApiV3Key(Aes256Gcm);

impl fmt::Debug for ApiV3Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiV3Key(…)")
    }
}

impl ApiV3Key {
    /// The key as set in the merchant platform: 32 bytes (32 ASCII characters).
    pub fn new(key: &[u8]) -> Result<Self, Error> {
        Aes256Gcm::new_from_slice(key).map(Self).map_err(|_| Error::ApiV3Key)
    }

    /// Decrypts a callback's `resource` (`ciphertext` base64 with the tag appended, a 12-byte
    /// `nonce`, `associated_data`).
    pub fn decrypt(&self, ciphertext: &str, nonce: &str, associated_data: &str) -> Result<Vec<u8>, Error> {
        let raw = BASE64.decode(ciphertext.trim()).map_err(|_| Error::Malformed("ciphertext"))?;
        let nonce = nonce_of(nonce)?;
        self.0.decrypt(&nonce, Payload { msg: &raw, aad: associated_data.as_bytes() }).map_err(|_| Error::Decrypt)
    }

    /// Encrypts `plaintext` as a callback resource (the fake provider's side): base64
    /// ciphertext with the tag appended.
    pub fn encrypt(&self, plaintext: &[u8], nonce: &str, associated_data: &str) -> Result<String, Error> {
        let nonce = nonce_of(nonce)?;
        let sealed = self
            .0
            .encrypt(&nonce, Payload { msg: plaintext, aad: associated_data.as_bytes() })
            .map_err(|_| Error::Decrypt)?;
        Ok(BASE64.encode(sealed))
    }
}

fn nonce_of(nonce: &str) -> Result<Nonce<aes_gcm::aes::cipher::consts::U12>, Error> {
    Nonce::try_from(nonce.as_bytes()).map_err(|_| Error::Malformed("nonce"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MERCHANT_KEY: &str = include_str!("../tests/data/merchant_key.pem");
    const MERCHANT_PUB: &str = include_str!("../tests/data/merchant_pub.pem");

    #[test]
    fn the_request_message_is_five_lines_each_ending_in_a_newline() {
        assert_eq!(
            request_message("GET", "/v3/certificates", 1_554_208_460, "593BEC0C930BF1AFEB40B4A08C8FB242", ""),
            include_str!("../tests/data/msg.txt")
        );
        assert_eq!(response_message(1, "n", "{}"), "1\nn\n{}\n");
    }

    #[test]
    fn an_authorization_header_reads_back_and_verifies() {
        let key = PrivateKey::from_pem(MERCHANT_KEY, "SERIAL1").expect("key");
        let public = PublicKey::from_pem(MERCHANT_PUB, "SERIAL1").expect("public key");
        let body = r#"{"amount":{"total":9900}}"#;
        let h = key.authorization("1900000109", "POST", "/v3/pay/transactions/native", 1_700_000_000, "abc", body);
        assert!(h.starts_with("WECHATPAY2-SHA256-RSA2048 mchid=\"1900000109\","), "{h}");
        let verify = |mchid: &str, method: &str, body: &str| {
            public.verify_request(&h, mchid, method, "/v3/pay/transactions/native", body)
        };
        assert_eq!(verify("1900000109", "POST", body), Ok(1_700_000_000));
        assert_eq!(verify("1900000109", "POST", r#"{"amount":{"total":1}}"#), Err(Error::BadSignature));
        assert_eq!(verify("1900000109", "GET", body), Err(Error::BadSignature));
        assert_eq!(verify("1900000110", "POST", body), Err(Error::Malformed("mchid")));
        let other = PublicKey::from_pem(MERCHANT_PUB, "SERIAL2").expect("public key");
        assert_eq!(
            other.verify_request(&h, "1900000109", "POST", "/v3/pay/transactions/native", body),
            Err(Error::UnknownSerial("SERIAL1".into()))
        );
    }

    #[test]
    fn malformed_authorization_headers_are_refused() {
        for h in [
            "",
            "Bearer x",
            "WECHATPAY2-SHA256-RSA2048",
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1\"",
            "WECHATPAY2-SHA256-RSA2048 mchid=1,nonce_str=\"n\",timestamp=\"1\",serial_no=\"s\",signature=\"x\"",
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1\",mchid=\"2\",nonce_str=\"n\",timestamp=\"1\",serial_no=\"s\",signature=\"x\"",
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1\",nonce_str=\"n\",timestamp=\"soon\",serial_no=\"s\",signature=\"x\"",
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1\",nonce_str=\"n\",timestamp=\"1\",serial_no=\"s\",signature=\"x\",extra=\"y\"",
        ] {
            assert_eq!(Authorization::parse(h), Err(Error::Malformed("Authorization")), "{h:?}");
        }
    }

    #[test]
    fn signed_headers_need_all_four_values() {
        let all = |name: &str| match name {
            "Wechatpay-Timestamp" => Some("1700000000"),
            "Wechatpay-Nonce" => Some("n"),
            "Wechatpay-Signature" => Some("c2ln"),
            "Wechatpay-Serial" => Some("PUB_KEY_ID_1"),
            _ => None,
        };
        assert_eq!(SignedHeaders::read(all).map(|h| h.timestamp), Ok(1_700_000_000));
        let no_serial = |name: &str| if name == "Wechatpay-Serial" { None } else { all(name) };
        assert_eq!(SignedHeaders::read(no_serial), Err(Error::Malformed("Wechatpay-Serial")));
        let bad_time = |name: &str| if name == "Wechatpay-Timestamp" { Some("later") } else { all(name) };
        assert_eq!(SignedHeaders::read(bad_time), Err(Error::Malformed("Wechatpay-Timestamp")));
    }

    #[test]
    fn keys_that_are_not_keys_are_refused_without_saying_more() {
        assert_eq!(
            PrivateKey::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "s").err(),
            Some(Error::Key("private key"))
        );
        assert_eq!(PublicKey::from_pem(MERCHANT_KEY, "s").err(), Some(Error::Key("public key")));
        assert_eq!(ApiV3Key::new(b"short").err(), Some(Error::ApiV3Key));
    }

    #[test]
    fn a_resource_opens_only_with_its_key_nonce_and_associated_data() {
        let key = ApiV3Key::new(b"0123456789abcdefghijklmnopqrstuv").expect("key");
        let sealed = key.encrypt(br#"{"trade_state":"SUCCESS"}"#, "fdasflkja484", "transaction").expect("sealed");
        assert_eq!(
            key.decrypt(&sealed, "fdasflkja484", "transaction").expect("opens"),
            br#"{"trade_state":"SUCCESS"}"#
        );
        assert_eq!(key.decrypt(&sealed, "fdasflkja485", "transaction"), Err(Error::Decrypt));
        assert_eq!(key.decrypt(&sealed, "fdasflkja484", "refund"), Err(Error::Decrypt));
        let other = ApiV3Key::new(b"0123456789abcdefghijklmnopqrstuw").expect("key");
        assert_eq!(other.decrypt(&sealed, "fdasflkja484", "transaction"), Err(Error::Decrypt));
        assert_eq!(key.decrypt(&sealed, "short", "transaction"), Err(Error::Malformed("nonce")));
        assert_eq!(key.decrypt("not base64!", "fdasflkja484", "transaction"), Err(Error::Malformed("ciphertext")));
    }
}
