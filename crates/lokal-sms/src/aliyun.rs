//! Alibaba Cloud SMS (短信服务, `dysmsapi.aliyuncs.com`), the `SendSms` operation of API version
//! 2017-05-25, with the RPC signature its documentation describes ("签名机制" / "Request
//! signatures" of every RPC-style product, and the SMS service's own "HTTP协议及签名",
//! help.aliyun.com/document_detail/56189.html, now help.aliyun.com/document_detail/101343.htm):
//!
//! 1. every parameter but `Signature` — the common ones (`AccessKeyId`, `Action`, `Format`,
//!    `RegionId`, `SignatureMethod` `HMAC-SHA1`, `SignatureNonce`, `SignatureVersion` `1.0`,
//!    `Timestamp`, `Version`) and the operation's — is sorted by name, names and values are
//!    [`percent_encode`]d and joined as `name=value` with `&`: the canonicalized query string;
//! 2. the string to sign is `METHOD&%2F&` followed by the percent-encoded canonicalized query;
//! 3. the signature is base64 of HMAC-SHA1 keyed with the AccessKey secret followed by `&`;
//! 4. it travels as one more parameter, `Signature`, percent-encoded like the others.
//!
//! The parameters go in the query of a GET or the `application/x-www-form-urlencoded` body of a
//! POST; the method is part of what is signed. Both sides are here (signing, and verifying what
//! was signed) because Lokal's tests run a fake Alibaba Cloud that checks Lokal's requests the
//! way the real one does.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sha1::Sha1;
use std::fmt;

/// The SMS API's host.
pub const ENDPOINT: &str = "dysmsapi.aliyuncs.com";
/// `Action` of the operation.
pub const ACTION: &str = "SendSms";
/// `Version` of the API.
pub const VERSION: &str = "2017-05-25";
/// `RegionId`: the SMS API is served from Hangzhou.
pub const REGION: &str = "cn-hangzhou";
/// `SignatureMethod`.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// `SignatureVersion`.
pub const SIGNATURE_VERSION: &str = "1.0";
/// The code of an accepted request (`"OK"`, upper case).
pub const OK: &str = "OK";

/// Everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - _ . ~`) is percent-encoded.
const ENCODED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// What can go wrong; nothing here ever names a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A parameter the request needs is missing or empty.
    #[error("the request has no {0} parameter")]
    Missing(&'static str),
    /// A parameter is malformed, repeated, or has a value this side does not accept.
    #[error("malformed {0}")]
    Malformed(&'static str),
    /// The signature does not match the parameters.
    #[error("the signature does not verify")]
    BadSignature,
}

/// An AccessKey pair. Its `Debug` shows the id, never the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// `AccessKeyId`, e.g. `LTAI5t…`.
    pub access_key_id: String,
    /// The AccessKey secret that signs.
    pub access_key_secret: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"***")
            .finish()
    }
}

/// Percent-encodes as Alibaba Cloud's `percentEncode` does: UTF-8, RFC 3986's unreserved
/// characters (`A-Z a-z 0-9 - _ . ~`) kept, every other byte as `%XY` in upper-case hex — so a
/// space is `%20` (never `+`), `*` is `%2A` and `~` stays `~`.
pub fn percent_encode(s: &str) -> String {
    utf8_percent_encode(s, ENCODED).to_string()
}

/// The canonicalized query string: every parameter but `Signature`, sorted by name (ties by
/// value), each name and value [`percent_encode`]d, joined as `name=value` with `&`.
pub fn canonicalized_query(params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().filter(|(k, _)| k != "Signature").collect();
    sorted.sort();
    sorted.iter().map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v))).collect::<Vec<_>>().join("&")
}

/// The string to sign: `method + "&" + percentEncode("/") + "&" + percentEncode(canonical)`.
pub fn string_to_sign(method: &str, canonical: &str) -> String {
    format!("{method}&{}&{}", percent_encode("/"), percent_encode(canonical))
}

fn mac(secret: &str) -> Hmac<Sha1> {
    let key = format!("{secret}&");
    // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
    let Ok(mac) = Hmac::<Sha1>::new_from_slice(key.as_bytes()) else { unreachable!("HMAC accepts any key length") };
    mac
}

/// The signature: base64 of HMAC-SHA1 of `string_to_sign` keyed with `secret + "&"`.
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    let mut mac = mac(secret);
    mac.update(string_to_sign.as_bytes());
    BASE64.encode(mac.finalize().into_bytes())
}

/// The signature of `params` sent by `method` (`GET` or `POST`).
pub fn signature(secret: &str, method: &str, params: &[(String, String)]) -> String {
    sign(secret, &string_to_sign(method, &canonicalized_query(params)))
}

/// The signed query string (or form body): `Signature=…&` followed by the canonicalized query,
/// the order of Alibaba Cloud's own worked example. Any `Signature` already in `params` is
/// replaced.
pub fn signed_query(secret: &str, method: &str, params: &[(String, String)]) -> String {
    let canonical = canonicalized_query(params);
    let signature = sign(secret, &string_to_sign(method, &canonical));
    format!("Signature={}&{canonical}", percent_encode(&signature))
}

/// Checks a request's `Signature` against its other parameters, as received (decoded, e.g. by
/// [`parse_query`]) by `method`, with the secret of its `AccessKeyId` (the fake provider's side;
/// looking the secret up, and judging `Timestamp` and `SignatureNonce`, is the caller's part: it
/// has the clock and the memory). `SignatureMethod` must be `HMAC-SHA1` and `SignatureVersion`
/// `1.0`; every parameter must appear once. The comparison takes constant time.
pub fn verify(secret: &str, method: &str, params: &[(String, String)]) -> Result<(), Error> {
    let mut names: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        return Err(Error::Malformed("parameters: a name appears twice"));
    }
    let get =
        |name: &'static str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty());
    if get("SignatureMethod").ok_or(Error::Missing("SignatureMethod"))? != SIGNATURE_METHOD {
        return Err(Error::Malformed("SignatureMethod"));
    }
    if get("SignatureVersion").ok_or(Error::Missing("SignatureVersion"))? != SIGNATURE_VERSION {
        return Err(Error::Malformed("SignatureVersion"));
    }
    let given = BASE64.decode(get("Signature").ok_or(Error::Missing("Signature"))?).map_err(|_| Error::BadSignature)?;
    let mut mac = mac(secret);
    mac.update(string_to_sign(method, &canonicalized_query(params)).as_bytes());
    mac.verify_slice(&given).map_err(|_| Error::BadSignature)
}

/// Reads a query string or `application/x-www-form-urlencoded` body into its parameters, in
/// order, percent-decoded (`+` read as a space, as forms have it; Lokal's side never sends one).
pub fn parse_query(query: &str) -> Result<Vec<(String, String)>, Error> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8()
            .map(|s| s.into_owned())
            .map_err(|_| Error::Malformed("query: not UTF-8"))
    };
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((decode(k)?, decode(v)?))
        })
        .collect()
}

/// `Timestamp` for `unix` seconds: ISO 8601 in UTC, `yyyy-MM-ddTHH:mm:ssZ`.
pub fn timestamp(unix: i64) -> String {
    let (y, mo, d, h, mi, s) = crate::utc(unix);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// Whether `s` has the shape of a `Timestamp` (`yyyy-MM-ddTHH:mm:ssZ`, digits where digits go).
pub fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            19 => c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// `TemplateParam`'s JSON text from the template's variables, in the order given, e.g.
/// `[("code", "048213")]` → `{"code":"048213"}`.
pub fn template_param(vars: &[(&str, &str)]) -> String {
    let json = |s: &str| serde_json::Value::from(s).to_string();
    format!("{{{}}}", vars.iter().map(|(k, v)| format!("{}:{}", json(k), json(v))).collect::<Vec<_>>().join(","))
}

/// The request-specific part of every call: who signs, a fresh nonce, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Common {
    /// `AccessKeyId`.
    pub access_key_id: String,
    /// `SignatureNonce`: unique for every request (a UUID), so a replay is refused.
    pub signature_nonce: String,
    /// `Timestamp`, `yyyy-MM-ddTHH:mm:ssZ` in UTC (see [`timestamp`]); Alibaba Cloud refuses one
    /// more than 15 minutes away from its clock.
    pub timestamp: String,
}

/// A `SendSms` request: one message, from one approved template, to one or more numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendSms {
    /// `PhoneNumbers`: the receivers, comma-separated (at most 1000); mainland numbers as 11
    /// digits without `+86`, others with their country code (e.g. `85212345678`).
    pub phone_numbers: String,
    /// `SignName`: the approved signature (签名), shown in the message as `【…】`.
    pub sign_name: String,
    /// `TemplateCode`: the approved template, e.g. `SMS_465930123`.
    pub template_code: String,
    /// `TemplateParam`: the template's variables as JSON text, e.g. `{"code":"048213"}` (see
    /// [`template_param`]); `None` for a template without any.
    pub template_param: Option<String>,
    /// `OutId`: Lokal's id for the message, echoed in delivery receipts.
    pub out_id: Option<String>,
}

impl SendSms {
    /// Every parameter of the call but `Signature`: the common ones (with `Format` `JSON`) and
    /// the operation's, in the order the documentation lists them.
    pub fn params(&self, common: &Common) -> Vec<(String, String)> {
        let mut p: Vec<(String, String)> = [
            ("AccessKeyId", common.access_key_id.as_str()),
            ("Action", ACTION),
            ("Format", "JSON"),
            ("RegionId", REGION),
            ("SignatureMethod", SIGNATURE_METHOD),
            ("SignatureNonce", common.signature_nonce.as_str()),
            ("SignatureVersion", SIGNATURE_VERSION),
            ("Timestamp", common.timestamp.as_str()),
            ("Version", VERSION),
            ("PhoneNumbers", self.phone_numbers.as_str()),
            ("SignName", self.sign_name.as_str()),
            ("TemplateCode", self.template_code.as_str()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        if let Some(v) = &self.template_param {
            p.push(("TemplateParam".into(), v.clone()));
        }
        if let Some(v) = &self.out_id {
            p.push(("OutId".into(), v.clone()));
        }
        p
    }

    /// The signed query string (for a GET) or form body (for a POST, `Content-Type:
    /// application/x-www-form-urlencoded`) of this request sent by `method`.
    pub fn signed_query(&self, credentials: &Credentials, method: &str, nonce: &str, timestamp: &str) -> String {
        let common = Common {
            access_key_id: credentials.access_key_id.clone(),
            signature_nonce: nonce.to_owned(),
            timestamp: timestamp.to_owned(),
        };
        signed_query(&credentials.access_key_secret, method, &self.params(&common))
    }

    /// Reads a `SendSms` request back from its parameters (the fake provider's side), with its
    /// common part. Checks `Action`, `Version` and the `Timestamp`'s shape, not the signature
    /// (see [`verify`]).
    pub fn from_params(params: &[(String, String)]) -> Result<(Self, Common), Error> {
        let get = |name: &'static str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let need = |name: &'static str| get(name).filter(|v| !v.is_empty()).ok_or(Error::Missing(name));
        if need("Action")? != ACTION {
            return Err(Error::Malformed("Action"));
        }
        if need("Version")? != VERSION {
            return Err(Error::Malformed("Version"));
        }
        let common = Common {
            access_key_id: need("AccessKeyId")?,
            signature_nonce: need("SignatureNonce")?,
            timestamp: need("Timestamp")?,
        };
        if !is_timestamp(&common.timestamp) {
            return Err(Error::Malformed("Timestamp"));
        }
        let sms = Self {
            phone_numbers: need("PhoneNumbers")?,
            sign_name: need("SignName")?,
            template_code: need("TemplateCode")?,
            template_param: get("TemplateParam"),
            out_id: get("OutId"),
        };
        Ok((sms, common))
    }
}

/// The answer to `SendSms` (with `Format` `JSON`): `{"Code":"OK","Message":"OK","BizId":"…",
/// "RequestId":"…"}` when accepted; on failure `Code` names the reason and there is no `BizId`.
/// Gateway-level refusals (`SignatureDoesNotMatch`, …) have the same `Code`, `Message` and
/// `RequestId` (and fields this side ignores, `HostId`, `Recommend`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SendSmsResponse {
    /// `OK`, or the error code.
    pub code: String,
    /// Human-readable detail (Chinese or English).
    #[serde(default)]
    pub message: String,
    /// The sending receipt id, to query delivery with (`QuerySendDetails`); only when accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biz_id: Option<String>,
    /// Alibaba Cloud's id of the call.
    #[serde(default)]
    pub request_id: String,
}

impl SendSmsResponse {
    /// An acceptance (the fake provider's side).
    pub fn ok(biz_id: &str, request_id: &str) -> Self {
        Self { code: OK.into(), message: OK.into(), biz_id: Some(biz_id.into()), request_id: request_id.into() }
    }

    /// A refusal with `code` (the fake provider's side).
    pub fn error(code: &str, message: &str, request_id: &str) -> Self {
        Self { code: code.into(), message: message.into(), biz_id: None, request_id: request_id.into() }
    }

    /// Whether the message was accepted.
    pub fn is_ok(&self) -> bool {
        self.code == OK
    }

    /// Whether the same request is worth sending again later (see [`is_retryable`]).
    pub fn is_retryable(&self) -> bool {
        is_retryable(&self.code)
    }
}

/// Codes this side knows by name.
pub mod codes {
    /// Flow control (业务限流): too many messages to one number (by default 1 a minute, 5 an hour,
    /// 10 a day for verification codes). Retryable, later.
    pub const BUSINESS_LIMIT_CONTROL: &str = "isv.BUSINESS_LIMIT_CONTROL";
    /// The account's own daily sending limit. Definitive (for the day).
    pub const DAY_LIMIT_CONTROL: &str = "isv.DAY_LIMIT_CONTROL";
    /// Not a valid phone number. Definitive.
    pub const MOBILE_NUMBER_ILLEGAL: &str = "isv.MOBILE_NUMBER_ILLEGAL";
    /// The template's variables are missing or malformed. Definitive.
    pub const INVALID_PARAMETERS: &str = "isv.INVALID_PARAMETERS";
    /// A system error on Alibaba Cloud's side. Retryable.
    pub const SYSTEM_ERROR: &str = "isp.SYSTEM_ERROR";
    /// The signature does not match: the secret (or Lokal's signer) is wrong. Definitive.
    pub const SIGNATURE_DOES_NOT_MATCH: &str = "SignatureDoesNotMatch";
    /// The `SignatureNonce` was used before. A new request (new nonce) may pass.
    pub const SIGNATURE_NONCE_USED: &str = "SignatureNonceUsed";
    /// No such AccessKey. Definitive.
    pub const INVALID_ACCESS_KEY_ID_NOT_FOUND: &str = "InvalidAccessKeyId.NotFound";
    /// Gateway throttling of the account. Retryable.
    pub const THROTTLING_USER: &str = "Throttling.User";
    /// The service is unavailable. Retryable.
    pub const SERVICE_UNAVAILABLE: &str = "ServiceUnavailable";
}

/// Whether a request refused with `code` is worth sending again later (with a new nonce and
/// timestamp): rate limits (`isv.BUSINESS_LIMIT_CONTROL`, `Throttling…`), Alibaba Cloud's own
/// failures (`isp.SYSTEM_ERROR`, `InternalError…`, `ServiceUnavailable…`) and a reused nonce. Every
/// other code — a bad number, template, signature name, credentials, balance, or the account's
/// day and month limits — fails the same way again: definitive. `OK` is not retryable (there is
/// nothing to retry).
pub fn is_retryable(code: &str) -> bool {
    let family = |prefix: &str| code == prefix || code.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('.'));
    matches!(code, codes::BUSINESS_LIMIT_CONTROL | codes::SYSTEM_ERROR | codes::SIGNATURE_NONCE_USED)
        || family("Throttling")
        || family("InternalError")
        || family("ServiceUnavailable")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    fn request() -> (SendSms, Common) {
        (
            SendSms {
                phone_numbers: "13800138000".into(),
                sign_name: "本地商城".into(),
                template_code: "SMS_1".into(),
                template_param: Some(template_param(&[("code", "048213")])),
                out_id: None,
            },
            Common { access_key_id: "id".into(), signature_nonce: "n-1".into(), timestamp: timestamp(1_700_000_000) },
        )
    }

    #[test]
    fn percent_encoding_follows_alibabas_rules() {
        assert_eq!(percent_encode("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(percent_encode("a b"), "a%20b");
        assert_eq!(percent_encode("*"), "%2A");
        assert_eq!(percent_encode("+/=&:,"), "%2B%2F%3D%26%3A%2C");
        assert_eq!(percent_encode("\"{}"), "%22%7B%7D");
        assert_eq!(percent_encode("中"), "%E4%B8%AD");
        assert_eq!(percent_encode("é!'()"), "%C3%A9%21%27%28%29");
    }

    #[test]
    fn the_canonical_query_is_sorted_and_leaves_the_signature_out() {
        let p = pairs(&[("b", "2"), ("Signature", "x"), ("a", "1 1"), ("B", "3")]);
        assert_eq!(canonicalized_query(&p), "B=3&a=1%201&b=2");
        assert_eq!(string_to_sign("POST", "a=1"), "POST&%2F&a%3D1");
    }

    #[test]
    fn a_signed_request_reads_back_and_verifies() {
        let (sms, common) = request();
        let creds = Credentials { access_key_id: "id".into(), access_key_secret: "s3cret".into() };
        let query = sms.signed_query(&creds, "POST", &common.signature_nonce, &common.timestamp);
        assert!(query.starts_with("Signature="), "{query}");
        let params = parse_query(&query).expect("parses");
        assert_eq!(verify("s3cret", "POST", &params), Ok(()));
        assert_eq!(verify("s3cret", "GET", &params), Err(Error::BadSignature));
        assert_eq!(verify("other", "POST", &params), Err(Error::BadSignature));
        assert_eq!(SendSms::from_params(&params), Ok((sms, common)));

        let tampered: Vec<_> = params
            .iter()
            .map(
                |(k, v)| {
                    if k == "PhoneNumbers" { (k.clone(), "13900139000".to_owned()) } else { (k.clone(), v.clone()) }
                },
            )
            .collect();
        assert_eq!(verify("s3cret", "POST", &tampered), Err(Error::BadSignature));
        let mut doubled = params.clone();
        doubled.push(("PhoneNumbers".into(), "13900139000".into()));
        assert!(matches!(verify("s3cret", "POST", &doubled), Err(Error::Malformed(_))));
        let unsigned: Vec<_> = params.iter().filter(|(k, _)| k != "Signature").cloned().collect();
        assert_eq!(verify("s3cret", "POST", &unsigned), Err(Error::Missing("Signature")));
        let garbled: Vec<_> = params
            .iter()
            .map(|(k, v)| if k == "Signature" { (k.clone(), "not base64!".to_owned()) } else { (k.clone(), v.clone()) })
            .collect();
        assert_eq!(verify("s3cret", "POST", &garbled), Err(Error::BadSignature));
    }

    #[test]
    fn only_hmac_sha1_version_1_is_accepted() {
        let (sms, common) = request();
        let mut p = sms.params(&common);
        for (k, v) in &mut p {
            if k == "SignatureMethod" {
                *v = "HMAC-SHA256".into();
            }
        }
        let q = signed_query("s", "GET", &p);
        assert_eq!(verify("s", "GET", &parse_query(&q).expect("parses")), Err(Error::Malformed("SignatureMethod")));
    }

    #[test]
    fn a_request_missing_what_sendsms_needs_is_refused() {
        let (sms, common) = request();
        let without = |name: &str| -> Vec<(String, String)> {
            sms.params(&common).into_iter().filter(|(k, _)| k != name).collect()
        };
        assert_eq!(SendSms::from_params(&without("PhoneNumbers")), Err(Error::Missing("PhoneNumbers")));
        assert_eq!(SendSms::from_params(&without("SignatureNonce")), Err(Error::Missing("SignatureNonce")));
        let mut wrong = sms.params(&common);
        wrong.retain(|(k, _)| k != "Timestamp");
        wrong.push(("Timestamp".into(), "2023-11-14 22:13:20".into()));
        assert_eq!(SendSms::from_params(&wrong), Err(Error::Malformed("Timestamp")));
    }

    #[test]
    fn queries_decode_plus_and_percent() {
        assert_eq!(
            parse_query("?a=1+2&b=%E4%B8%AD%2B&c=&d").expect("parses"),
            pairs(&[("a", "1 2"), ("b", "中+"), ("c", ""), ("d", "")])
        );
        assert_eq!(parse_query("a=%FF"), Err(Error::Malformed("query: not UTF-8")));
    }

    #[test]
    fn timestamps_are_iso_8601_utc() {
        assert_eq!(timestamp(1_499_827_339), "2017-07-12T02:42:19Z");
        assert!(is_timestamp("2017-07-12T02:42:19Z"));
        for bad in ["2017-07-12T02:42:19", "2017-07-12 02:42:19Z", "2017-7-12T02:42:19Z", "2017-07-12T02:42:1xZ"] {
            assert!(!is_timestamp(bad), "{bad}");
        }
    }

    #[test]
    fn template_parameters_are_json_in_the_given_order() {
        assert_eq!(template_param(&[("z", "1"), ("a", "\"q\" 中")]), r#"{"z":"1","a":"\"q\" 中"}"#);
        assert_eq!(template_param(&[]), "{}");
    }

    #[test]
    fn answers_read_as_documented() {
        let ok: SendSmsResponse = serde_json::from_str(
            r#"{"Message": "OK", "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990", "Code": "OK",
                "BizId": "900619746936498440^0"}"#,
        )
        .expect("parses");
        assert!(ok.is_ok() && !ok.is_retryable());
        assert_eq!(ok.biz_id.as_deref(), Some("900619746936498440^0"));
        let limited: SendSmsResponse = serde_json::from_str(
            r#"{"Message": "触发分钟级流控Permits:1", "RequestId": "2184201F-BFB3-446B-B1F2-C746B7BF0657",
                "Code": "isv.BUSINESS_LIMIT_CONTROL"}"#,
        )
        .expect("parses");
        assert!(!limited.is_ok() && limited.is_retryable() && limited.biz_id.is_none());
        let gateway: SendSmsResponse = serde_json::from_str(
            r#"{"RequestId": "7E2B", "HostId": "dysmsapi.aliyuncs.com", "Code": "SignatureDoesNotMatch",
                "Message": "Specified signature is not matched with our calculation.",
                "Recommend": "https://next.api.aliyun.com/troubleshoot"}"#,
        )
        .expect("parses");
        assert!(!gateway.is_retryable());
        let fake = SendSmsResponse::ok("1^0", "r");
        assert_eq!(
            serde_json::to_string(&fake).expect("json"),
            r#"{"Code":"OK","Message":"OK","BizId":"1^0","RequestId":"r"}"#
        );
        let refusal = SendSmsResponse::error(codes::MOBILE_NUMBER_ILLEGAL, "非法手机号", "r");
        assert_eq!(
            serde_json::to_string(&refusal).expect("json"),
            r#"{"Code":"isv.MOBILE_NUMBER_ILLEGAL","Message":"非法手机号","RequestId":"r"}"#
        );
    }

    #[test]
    fn rate_limits_and_provider_failures_are_retryable_the_rest_definitive() {
        for code in [
            "isv.BUSINESS_LIMIT_CONTROL",
            "isp.SYSTEM_ERROR",
            "Throttling",
            "Throttling.User",
            "InternalError",
            "ServiceUnavailable",
            "SignatureNonceUsed",
        ] {
            assert!(is_retryable(code), "{code}");
        }
        for code in [
            "OK",
            "isv.MOBILE_NUMBER_ILLEGAL",
            "isv.DAY_LIMIT_CONTROL",
            "isv.AMOUNT_NOT_ENOUGH",
            "isv.SMS_TEMPLATE_ILLEGAL",
            "SignatureDoesNotMatch",
            "InvalidAccessKeyId.NotFound",
            "InvalidTimeStamp.Expired",
            "ThrottlingX",
        ] {
            assert!(!is_retryable(code), "{code}");
        }
    }

    #[test]
    fn credentials_never_show_their_secret() {
        let c = Credentials { access_key_id: "LTAI".into(), access_key_secret: "hunter2".into() };
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
