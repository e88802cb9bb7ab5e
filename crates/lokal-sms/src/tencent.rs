//! Tencent Cloud SMS (短信, `sms.tencentcloudapi.com`), the `SendSms` operation of API 3.0 version
//! 2021-01-11 (cloud.tencent.com/document/api/382/55981), with the `TC3-HMAC-SHA256` signature of
//! "签名方法 v3" (cloud.tencent.com/document/api/213/30654, the same page under every product):
//!
//! 1. the canonical request is six lines: `POST`, `/`, an empty query, the canonical headers
//!    (each signed header as `name:value\n`, names and values lower-cased and trimmed, sorted by
//!    name), the signed header names joined by `;`, and the lower-case hex SHA-256 of the body;
//! 2. the string to sign is `TC3-HMAC-SHA256`, the Unix timestamp (`X-TC-Timestamp`), the
//!    credential scope `{date}/{service}/tc3_request` (the timestamp's UTC date) and the hex
//!    SHA-256 of the canonical request, joined by `\n`;
//! 3. the signing key is derived from the SecretKey: `SecretDate = HMAC("TC3" + SecretKey,
//!    date)`, `SecretService = HMAC(SecretDate, service)`, `SecretSigning = HMAC(SecretService,
//!    "tc3_request")`, all HMAC-SHA256; the signature is hex HMAC-SHA256(SecretSigning, string
//!    to sign);
//! 4. it travels as `Authorization: TC3-HMAC-SHA256 Credential={SecretId}/{scope},
//!    SignedHeaders={names}, Signature={hex}`, with `X-TC-Action`, `X-TC-Timestamp`,
//!    `X-TC-Version` and `X-TC-Region` beside it.
//!
//! Lokal signs `content-type;host;x-tc-action`. Both sides are here: the fake Tencent Cloud in
//! Lokal's tests reads the header back and checks it, with whatever headers it names, as the
//! real one does.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use std::fmt;

/// The SMS API's host.
pub const HOST: &str = "sms.tencentcloudapi.com";
/// The service name in the credential scope.
pub const SERVICE: &str = "sms";
/// `X-TC-Action` of the operation.
pub const ACTION: &str = "SendSms";
/// `X-TC-Version` of the API.
pub const VERSION: &str = "2021-01-11";
/// The signature algorithm, first word of the `Authorization` header.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";
/// The body's content type, exactly as sent and signed.
pub const CONTENT_TYPE: &str = "application/json; charset=utf-8";
/// The headers Lokal signs.
pub const SIGNED_HEADERS: &str = "content-type;host;x-tc-action";
/// The code of a number the message was accepted for (`"Ok"`, capital O only).
pub const OK: &str = "Ok";

/// What can go wrong; nothing here ever names a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The `Authorization` header, or a header it signs, is missing or malformed.
    #[error("malformed {0}")]
    Malformed(&'static str),
    /// The credential scope's date or service does not match the request's.
    #[error("the credential scope does not match the request")]
    Scope,
    /// The signature does not match the request.
    #[error("the signature does not verify")]
    BadSignature,
}

/// A SecretId and its SecretKey. Its `Debug` shows the id, never the key.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// `SecretId`, `AKID…`.
    pub secret_id: String,
    /// `SecretKey`, which signs.
    pub secret_key: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials").field("secret_id", &self.secret_id).field("secret_key", &"***").finish()
    }
}

/// The UTC date (`YYYY-MM-DD`) of Unix seconds `timestamp`: the credential scope's date. (Not
/// Beijing's: 1551113065 is 2019-02-26 00:44:25 there, but 2019-02-25 in the scope.)
pub fn utc_date(timestamp: i64) -> String {
    let (y, m, d, ..) = crate::utc(timestamp);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The canonical request of a POST to `/` whose signed headers are `headers` (name, value as
/// sent, any order), and the signed header names it covers (`content-type;host;…`).
pub fn canonical_request_with(headers: &[(&str, &str)], payload: &[u8]) -> (String, String) {
    let mut canonical: Vec<(String, String)> =
        headers.iter().map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_ascii_lowercase())).collect();
    canonical.sort();
    let lines: String = canonical.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed = canonical.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(";");
    (format!("POST\n/\n\n{lines}\n{signed}\n{}", sha256_hex(payload)), signed)
}

/// The canonical request of a call as Lokal signs it: headers `content-type`, `host` and
/// `x-tc-action`.
pub fn canonical_request(content_type: &str, host: &str, action: &str, payload: &[u8]) -> String {
    canonical_request_with(&[("content-type", content_type), ("host", host), ("x-tc-action", action)], payload).0
}

/// The credential scope, `{date}/{service}/tc3_request`.
pub fn credential_scope(date: &str, service: &str) -> String {
    format!("{date}/{service}/tc3_request")
}

/// The string to sign for a request at `timestamp` to `service`.
pub fn string_to_sign(timestamp: i64, service: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{timestamp}\n{}\n{}",
        credential_scope(&utc_date(timestamp), service),
        sha256_hex(canonical_request.as_bytes())
    )
}

fn hmac(key: &[u8], message: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else { unreachable!("HMAC accepts any key length") };
    mac.update(message);
    mac
}

fn hmac_bytes(key: &[u8], message: &str) -> [u8; 32] {
    hmac(key, message.as_bytes()).finalize().into_bytes().into()
}

/// The keys derived from a SecretKey for one day and service. As secret as the key itself: its
/// `Debug` shows nothing.
#[derive(Clone, PartialEq, Eq)]
pub struct DerivedKeys {
    /// `HMAC_SHA256("TC3" + SecretKey, date)`.
    pub secret_date: [u8; 32],
    /// `HMAC_SHA256(SecretDate, service)`.
    pub secret_service: [u8; 32],
    /// `HMAC_SHA256(SecretService, "tc3_request")`: the key that signs.
    pub secret_signing: [u8; 32],
}

impl fmt::Debug for DerivedKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DerivedKeys(…)")
    }
}

/// Derives the signing key for `date` (`YYYY-MM-DD`, UTC) and `service`.
pub fn derive_keys(secret_key: &str, date: &str, service: &str) -> DerivedKeys {
    let secret_date = hmac_bytes(format!("TC3{secret_key}").as_bytes(), date);
    let secret_service = hmac_bytes(&secret_date, service);
    let secret_signing = hmac_bytes(&secret_service, "tc3_request");
    DerivedKeys { secret_date, secret_service, secret_signing }
}

/// The hex signature of `string_to_sign` with the key derived for `date` and `service`.
pub fn signature(secret_key: &str, date: &str, service: &str, string_to_sign: &str) -> String {
    hex::encode(
        hmac(&derive_keys(secret_key, date, service).secret_signing, string_to_sign.as_bytes()).finalize().into_bytes(),
    )
}

/// The `Authorization` header's value.
pub fn authorization_header(secret_id: &str, scope: &str, signed_headers: &str, signature: &str) -> String {
    format!("{ALGORITHM} Credential={secret_id}/{scope}, SignedHeaders={signed_headers}, Signature={signature}")
}

impl Credentials {
    /// The `Authorization` header of a call of `action` on `service` at `host` (the `Host` header
    /// actually sent: a fake's address in tests), signing `content-type` ([`CONTENT_TYPE`]),
    /// `host` and `x-tc-action`.
    pub fn authorization(&self, service: &str, host: &str, action: &str, timestamp: i64, payload: &[u8]) -> String {
        let canonical = canonical_request(CONTENT_TYPE, host, action, payload);
        let date = utc_date(timestamp);
        let signature = signature(&self.secret_key, &date, service, &string_to_sign(timestamp, service, &canonical));
        authorization_header(&self.secret_id, &credential_scope(&date, service), SIGNED_HEADERS, &signature)
    }

    /// Every header of a `SendSms` call with body `payload` (see [`SendSmsRequest::to_json`]) to
    /// `host` ([`HOST`], or a fake's) in `region` (e.g. `ap-guangzhou`) at `timestamp`.
    pub fn send_sms_headers(
        &self,
        host: &str,
        region: &str,
        timestamp: i64,
        payload: &[u8],
    ) -> Vec<(&'static str, String)> {
        vec![
            ("Authorization", self.authorization(SERVICE, host, ACTION, timestamp, payload)),
            ("Content-Type", CONTENT_TYPE.to_owned()),
            ("Host", host.to_owned()),
            ("X-TC-Action", ACTION.to_owned()),
            ("X-TC-Timestamp", timestamp.to_string()),
            ("X-TC-Version", VERSION.to_owned()),
            ("X-TC-Region", region.to_owned()),
        ]
    }
}

/// The fields of an `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// Whose key signed.
    pub secret_id: String,
    /// The scope's date, `YYYY-MM-DD`.
    pub date: String,
    /// The scope's service.
    pub service: String,
    /// The signed header names, lower case, in order.
    pub signed_headers: Vec<String>,
    /// The hex signature.
    pub signature: String,
}

impl Authorization {
    /// Parses `TC3-HMAC-SHA256 Credential=…/{date}/{service}/tc3_request, SignedHeaders=…,
    /// Signature=…` (the three fields in any order, each once).
    pub fn parse(header: &str) -> Result<Self, Error> {
        let bad = || Error::Malformed("Authorization");
        let rest = header.trim().strip_prefix(ALGORITHM).and_then(|r| r.strip_prefix(' ')).ok_or_else(bad)?;
        let (mut credential, mut signed, mut signature) = (None, None, None);
        for part in rest.split(',') {
            let slot = match part.trim().split_once('=') {
                Some(("Credential", v)) => (&mut credential, v),
                Some(("SignedHeaders", v)) => (&mut signed, v),
                Some(("Signature", v)) => (&mut signature, v),
                _ => return Err(bad()),
            };
            if slot.0.replace(slot.1).is_some() {
                return Err(bad());
            }
        }
        let (credential, signed, signature) =
            (credential.ok_or_else(bad)?, signed.ok_or_else(bad)?, signature.ok_or_else(bad)?);
        let mut scope = credential.rsplitn(4, '/');
        let (Some("tc3_request"), Some(service), Some(date), Some(secret_id)) =
            (scope.next(), scope.next(), scope.next(), scope.next())
        else {
            return Err(bad());
        };
        let signed_headers: Vec<String> = signed.split(';').map(str::to_owned).collect();
        if [secret_id, date, service, signature].iter().any(|v| v.is_empty())
            || signed_headers.iter().any(String::is_empty)
        {
            return Err(bad());
        }
        Ok(Self {
            secret_id: secret_id.to_owned(),
            date: date.to_owned(),
            service: service.to_owned(),
            signed_headers,
            signature: signature.to_owned(),
        })
    }

    /// Checks this signature of a POST to `/` with body `payload` (the fake provider's side),
    /// with the SecretKey of [`secret_id`](Self::secret_id) and the request's `X-TC-Timestamp`:
    /// the scope must name `service` and the timestamp's UTC date; the signed headers must be
    /// lower case, sorted, unique and include `content-type` and `host`, and their values are
    /// read through `header` (a header map's lookup, case-insensitive there). The comparison
    /// takes constant time. (Whether the timestamp is recent — Tencent Cloud allows five minutes
    /// — is the caller's decision: it has the clock.)
    pub fn verify<'a>(
        &self,
        secret_key: &str,
        service: &str,
        timestamp: i64,
        payload: &[u8],
        header: impl Fn(&str) -> Option<&'a str>,
    ) -> Result<(), Error> {
        if self.service != service || self.date != utc_date(timestamp) {
            return Err(Error::Scope);
        }
        let names = &self.signed_headers;
        let well_formed = names.iter().all(|n| *n == n.to_ascii_lowercase())
            && names.windows(2).all(|w| w[0] < w[1])
            && ["content-type", "host"].iter().all(|n| names.iter().any(|h| h == n));
        if !well_formed {
            return Err(Error::Malformed("SignedHeaders"));
        }
        let mut values = Vec::with_capacity(names.len());
        for name in names {
            values.push((name.as_str(), header(name).ok_or(Error::Malformed("a signed header"))?));
        }
        let (canonical, _) = canonical_request_with(&values, payload);
        let given = hex::decode(&self.signature).map_err(|_| Error::BadSignature)?;
        let keys = derive_keys(secret_key, &self.date, service);
        hmac(&keys.secret_signing, string_to_sign(timestamp, service, &canonical).as_bytes())
            .verify_slice(&given)
            .map_err(|_| Error::BadSignature)
    }
}

/// The body of `SendSms`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SendSmsRequest {
    /// `PhoneNumberSet`: the receivers in E.164, `+86` and the 11 digits for mainland China (at
    /// most 200 a call, all mainland or all not).
    pub phone_number_set: Vec<String>,
    /// `SmsSdkAppId`: the SMS application's id, e.g. `1400006666`.
    pub sms_sdk_app_id: String,
    /// `SignName`: the approved signature (签名); required for mainland numbers, empty (left out)
    /// for international ones.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sign_name: String,
    /// `TemplateId`: the approved template.
    pub template_id: String,
    /// `TemplateParamSet`: the template's variables in order, as strings; empty (left out) for a
    /// template without any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub template_param_set: Vec<String>,
    /// `SessionContext`: Lokal's id for the message, echoed in the answer and receipts (under 512
    /// bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_context: Option<String>,
}

impl SendSmsRequest {
    /// The JSON body, compact, fields in the order above: the exact bytes to sign and send.
    pub fn to_json(&self) -> String {
        // Strings, lists of strings and optional strings always serialise.
        let Ok(json) = serde_json::to_string(self) else { unreachable!("a SendSmsRequest always serialises") };
        json
    }
}

/// The answer to any call: everything is inside `Response`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SendSmsResponse {
    /// The answer proper.
    #[serde(rename = "Response")]
    pub response: Response,
}

/// `Response`: on success the status of each number (each may still have failed); on failure of
/// the whole call `Error` and no statuses. `RequestId` either way.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Response {
    /// `SendStatusSet`: one status a number.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub send_status_set: Vec<SendStatus>,
    /// `Error`: why the whole call failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    /// Tencent Cloud's id of the call.
    #[serde(default)]
    pub request_id: String,
}

/// The outcome for one number.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SendStatus {
    /// `SerialNo`: the sending's id (the `sid` of delivery receipts).
    #[serde(default)]
    pub serial_no: String,
    /// The number, E.164.
    #[serde(default)]
    pub phone_number: String,
    /// How many messages were billed (a long text counts several).
    #[serde(default)]
    pub fee: u64,
    /// The request's `SessionContext`, echoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_context: Option<String>,
    /// `Ok`, or the error code for this number.
    #[serde(default)]
    pub code: String,
    /// Human-readable detail (`send success` on success).
    #[serde(default)]
    pub message: String,
    /// The number's country (ISO 3166-1 alpha-2, `CN`).
    #[serde(default)]
    pub iso_code: String,
}

impl SendStatus {
    /// Whether the message was accepted for this number.
    pub fn is_ok(&self) -> bool {
        self.code == OK
    }

    /// Whether sending to this number again later is worth it (see [`is_retryable`]).
    pub fn is_retryable(&self) -> bool {
        is_retryable(&self.code)
    }
}

/// `Error`: a failed call's code and message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ApiError {
    /// The error code, e.g. `AuthFailure.SignatureFailure`.
    pub code: String,
    /// Human-readable detail.
    #[serde(default)]
    pub message: String,
}

impl SendSmsResponse {
    /// A successful call with these statuses (the fake provider's side).
    pub fn ok(send_status_set: Vec<SendStatus>, request_id: &str) -> Self {
        Self { response: Response { send_status_set, error: None, request_id: request_id.into() } }
    }

    /// A failed call (the fake provider's side).
    pub fn error(code: &str, message: &str, request_id: &str) -> Self {
        let error = Some(ApiError { code: code.into(), message: message.into() });
        Self { response: Response { send_status_set: Vec::new(), error, request_id: request_id.into() } }
    }
}

/// Codes this side knows by name.
pub mod codes {
    /// The signature does not match: the SecretKey (or Lokal's signer) is wrong. Definitive.
    pub const SIGNATURE_FAILURE: &str = "AuthFailure.SignatureFailure";
    /// The timestamp is more than five minutes from Tencent Cloud's clock. Definitive (fix the
    /// clock).
    pub const SIGNATURE_EXPIRE: &str = "AuthFailure.SignatureExpire";
    /// No such SecretId. Definitive.
    pub const SECRET_ID_NOT_FOUND: &str = "AuthFailure.SecretIdNotFound";
    /// The sending hit a frequency limit. Retryable, later.
    pub const DELIVERY_FREQUENCY_LIMIT: &str = "LimitExceeded.DeliveryFrequencyLimit";
    /// Too many messages to one number within 30 seconds. Retryable, later.
    pub const PHONE_NUMBER_THIRTY_SECOND_LIMIT: &str = "LimitExceeded.PhoneNumberThirtySecondLimit";
    /// Tencent Cloud timed out sending. Retryable.
    pub const TIMEOUT: &str = "InternalError.Timeout";
    /// The number is not a phone number. Definitive.
    pub const INCORRECT_PHONE_NUMBER: &str = "InvalidParameterValue.IncorrectPhoneNumber";
    /// The number opted out or is on a carrier's do-not-disturb list. Definitive.
    pub const PHONE_NUMBER_IN_BLACKLIST: &str = "FailedOperation.PhoneNumberInBlacklist";
    /// The signature name is unapproved or malformed. Definitive.
    pub const SIGNATURE_INCORRECT_OR_UNAPPROVED: &str = "FailedOperation.SignatureIncorrectOrUnapproved";
    /// The template is unapproved or its variables do not fit. Definitive.
    pub const TEMPLATE_INCORRECT_OR_UNAPPROVED: &str = "FailedOperation.TemplateIncorrectOrUnapproved";
}

/// Whether a call (or a number) refused with `code` is worth sending again later, with a fresh
/// timestamp and signature: rate and quota limits (`LimitExceeded…`, `RequestLimitExceeded…` —
/// though a number's daily limit only lifts the next day: the caller's backoff decides) and
/// Tencent Cloud's own failures (`InternalError…`). Everything else — bad parameters
/// (`InvalidParameter…`, `MissingParameter`), refusals (`FailedOperation…`, e.g. a blacklisted
/// number or an unapproved template), permissions (`UnauthorizedOperation…`) and credentials
/// (`AuthFailure…`) — fails the same way again: definitive. `Ok` is not retryable.
pub fn is_retryable(code: &str) -> bool {
    let family = |prefix: &str| code == prefix || code.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('.'));
    family("LimitExceeded") || family("RequestLimitExceeded") || family("InternalError")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials { secret_id: "AKIDtest".into(), secret_key: "s3cret".into() }
    }

    fn request() -> SendSmsRequest {
        SendSmsRequest {
            phone_number_set: vec!["+8613800138000".into()],
            sms_sdk_app_id: "1400006666".into(),
            sign_name: "本地商城".into(),
            template_id: "1234567".into(),
            template_param_set: vec!["048213".into()],
            session_context: None,
        }
    }

    /// A header map for `headers`, looked up case-insensitively as an HTTP server's would be.
    fn lookup<'a>(headers: &'a [(&'static str, String)]) -> impl Fn(&str) -> Option<&'a str> {
        move |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    #[test]
    fn the_utc_date_is_the_scopes() {
        assert_eq!(utc_date(1_551_113_065), "2019-02-25");
        assert_eq!(utc_date(0), "1970-01-01");
    }

    #[test]
    fn signed_headers_read_back_and_verify() {
        let body = request().to_json();
        let headers = creds().send_sms_headers(HOST, "ap-guangzhou", 1_700_000_000, body.as_bytes());
        let get = lookup(&headers);
        let a = Authorization::parse(get("authorization").expect("signed")).expect("parses");
        assert_eq!(a.secret_id, "AKIDtest");
        assert_eq!((a.date.as_str(), a.service.as_str()), ("2023-11-14", "sms"));
        assert_eq!(a.signed_headers, ["content-type", "host", "x-tc-action"]);
        let verify = |key: &str, ts: i64, body: &str| a.verify(key, SERVICE, ts, body.as_bytes(), &get);
        assert_eq!(verify("s3cret", 1_700_000_000, &body), Ok(()));
        assert_eq!(verify("other", 1_700_000_000, &body), Err(Error::BadSignature));
        assert_eq!(verify("s3cret", 1_700_000_001, &body), Err(Error::BadSignature));
        assert_eq!(verify("s3cret", 1_700_000_000, &body.replace("048213", "999999")), Err(Error::BadSignature));
        // The next UTC day is another scope.
        assert_eq!(verify("s3cret", 1_700_000_000 + 86_400, &body), Err(Error::Scope));
        assert_eq!(a.verify("s3cret", "cvm", 1_700_000_000, body.as_bytes(), &get), Err(Error::Scope));
    }

    #[test]
    fn a_signed_header_changed_on_the_way_fails() {
        let body = request().to_json();
        let mut headers = creds().send_sms_headers(HOST, "ap-guangzhou", 1_700_000_000, body.as_bytes());
        let a = Authorization::parse(&headers[0].1).expect("parses");
        for (k, v) in &mut headers {
            if *k == "X-TC-Action" {
                *v = "SendSmsLater".into();
            }
        }
        assert_eq!(
            a.verify("s3cret", SERVICE, 1_700_000_000, body.as_bytes(), lookup(&headers)),
            Err(Error::BadSignature)
        );
        headers.retain(|(k, _)| *k != "X-TC-Action");
        assert_eq!(
            a.verify("s3cret", SERVICE, 1_700_000_000, body.as_bytes(), lookup(&headers)),
            Err(Error::Malformed("a signed header"))
        );
        // An unsigned header may change freely.
        let mut headers = creds().send_sms_headers(HOST, "ap-guangzhou", 1_700_000_000, body.as_bytes());
        headers.retain(|(k, _)| *k != "X-TC-Region");
        assert_eq!(a.verify("s3cret", SERVICE, 1_700_000_000, body.as_bytes(), lookup(&headers)), Ok(()));
    }

    #[test]
    fn malformed_authorization_headers_are_refused() {
        let ok =
            "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=ab";
        assert!(Authorization::parse(ok).is_ok());
        for h in [
            "",
            "TC3-HMAC-SHA1 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=host, Signature=ab",
            "TC3-HMAC-SHA256",
            "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=host",
            "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm, SignedHeaders=host, Signature=ab",
            "TC3-HMAC-SHA256 Credential=/2019-02-25/cvm/tc3_request, SignedHeaders=host, Signature=ab",
            "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=host;;x, Signature=ab",
            "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=host, Signature=a, Signature=b",
            "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=host, Signature=ab, Extra=1",
        ] {
            assert_eq!(Authorization::parse(h), Err(Error::Malformed("Authorization")), "{h:?}");
        }
        let unsorted = Authorization::parse(
            "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=host;content-type, Signature=ab",
        )
        .expect("parses");
        assert_eq!(
            unsorted.verify("k", "cvm", 1_551_113_065, b"", |_| Some("x")),
            Err(Error::Malformed("SignedHeaders"))
        );
        let without_host = Authorization::parse(
            "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type, Signature=ab",
        )
        .expect("parses");
        assert_eq!(
            without_host.verify("k", "cvm", 1_551_113_065, b"", |_| Some("x")),
            Err(Error::Malformed("SignedHeaders"))
        );
        let not_hex = Authorization::parse(
            "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=zz",
        )
        .expect("parses");
        assert_eq!(not_hex.verify("k", "cvm", 1_551_113_065, b"", |_| Some("x")), Err(Error::BadSignature));
    }

    #[test]
    fn the_request_body_uses_tencents_names_and_leaves_out_what_is_empty() {
        let mut r = request();
        assert_eq!(
            r.to_json(),
            concat!(
                r#"{"PhoneNumberSet":["+8613800138000"],"SmsSdkAppId":"1400006666","SignName":"本地商城","#,
                r#""TemplateId":"1234567","TemplateParamSet":["048213"]}"#
            )
        );
        r.sign_name.clear();
        r.template_param_set.clear();
        r.session_context = Some("msg_1".into());
        assert_eq!(
            r.to_json(),
            concat!(
                r#"{"PhoneNumberSet":["+8613800138000"],"SmsSdkAppId":"1400006666","TemplateId":"1234567","#,
                r#""SessionContext":"msg_1"}"#
            )
        );
        let back: SendSmsRequest = serde_json::from_str(&r.to_json()).expect("reads back");
        assert_eq!(back, r);
    }

    #[test]
    fn answers_read_as_documented() {
        let ok: SendSmsResponse = serde_json::from_str(
            r#"{"Response": {
                "SendStatusSet": [
                    {"SerialNo": "5000:1045710669157053657849499619", "PhoneNumber": "+8618511122233", "Fee": 1,
                     "SessionContext": "test", "Code": "Ok", "Message": "send success", "IsoCode": "CN"},
                    {"SerialNo": "", "PhoneNumber": "+8618511122266", "Fee": 0, "SessionContext": "test",
                     "Code": "LimitExceeded.PhoneNumberDailyLimit", "Message": "daily limit", "IsoCode": "CN"}
                ],
                "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279"}}"#,
        )
        .expect("parses");
        let [first, second] = ok.response.send_status_set.as_slice() else { panic!("two statuses") };
        assert!(first.is_ok() && !first.is_retryable());
        assert_eq!(first.fee, 1);
        assert!(!second.is_ok() && second.is_retryable());
        assert!(ok.response.error.is_none());
        let failed: SendSmsResponse = serde_json::from_str(
            r#"{"Response": {
                "Error": {"Code": "AuthFailure.SignatureFailure",
                          "Message": "The provided credentials could not be validated."},
                "RequestId": "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6"}}"#,
        )
        .expect("parses");
        assert_eq!(failed.response.error.as_ref().map(|e| e.code.as_str()), Some(codes::SIGNATURE_FAILURE));
        assert!(failed.response.send_status_set.is_empty());
        assert_eq!(
            serde_json::to_string(&SendSmsResponse::error(codes::SIGNATURE_FAILURE, "no", "r")).expect("json"),
            r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"no"},"RequestId":"r"}}"#
        );
        let status = SendStatus {
            serial_no: "5000:1".into(),
            phone_number: "+8613800138000".into(),
            fee: 1,
            session_context: None,
            code: OK.into(),
            message: "send success".into(),
            iso_code: "CN".into(),
        };
        let answer = serde_json::to_string(&SendSmsResponse::ok(vec![status], "r")).expect("json");
        assert_eq!(
            answer,
            concat!(
                r#"{"Response":{"SendStatusSet":[{"SerialNo":"5000:1","PhoneNumber":"+8613800138000","Fee":1,"#,
                r#""Code":"Ok","Message":"send success","IsoCode":"CN"}],"RequestId":"r"}}"#
            )
        );
    }

    #[test]
    fn limits_and_internal_errors_are_retryable_the_rest_definitive() {
        for code in [
            "LimitExceeded",
            "LimitExceeded.PhoneNumberThirtySecondLimit",
            "LimitExceeded.DeliveryFrequencyLimit",
            "RequestLimitExceeded",
            "RequestLimitExceeded.IPLimitExceeded",
            "InternalError",
            "InternalError.Timeout",
        ] {
            assert!(is_retryable(code), "{code}");
        }
        for code in [
            "Ok",
            "InvalidParameterValue.IncorrectPhoneNumber",
            "FailedOperation.PhoneNumberInBlacklist",
            "UnauthorizedOperation.SmsSdkAppIdVerifyFail",
            "AuthFailure.SignatureFailure",
            "AuthFailure.SignatureExpire",
            "MissingParameter",
            "LimitExceededX",
        ] {
            assert!(!is_retryable(code), "{code}");
        }
    }

    #[test]
    fn secrets_never_show_in_debug() {
        assert!(!format!("{:?}", creds()).contains("s3cret"));
        let keys = derive_keys("s3cret", "2019-02-25", "sms");
        assert_eq!(format!("{keys:?}"), "DerivedKeys(…)");
    }
}
