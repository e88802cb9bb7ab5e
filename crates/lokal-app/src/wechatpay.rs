//! WeChat Pay API v3 behind the payment port (直连商户): Native, JSAPI and H5 prepay, query and
//! close by `out_trade_no`, domestic refunds and their query, and the payment and refund
//! callbacks. Every request is signed (`WECHATPAY2-SHA256-RSA2048`, lokal-pay); every answer
//! and callback must carry a valid `Wechatpay-Signature` by the configured WeChat Pay public key,
//! or it counts as no answer; callbacks' resources are opened with the APIv3 key. An answer that
//! does not come within the timeout, a 5xx, `SYSTEM_ERROR`, `FREQUENCY_LIMITED` and
//! `NOT_ENOUGH` (the merchant's balance, for refunds) are [`Unreachable`]: tried again later
//! with the same `out_trade_no` / `out_refund_no`, which WeChat Pay treats as the same request.

use crate::AppError;
use crate::payments::{
    BoxFuture, EventKind, GatewayEvent, Headers, Intent, IntentRequest, PaymentGateway, PaymentState, RefundRequest,
    RefundState, Reply, Unreachable,
};
use lokal_core::reconcile::{Line, LineKind};
use lokal_core::{ErrorCode, FieldError, Msg, Timestamp};
use lokal_pay::wechatpay::{Credentials, Settings, SignedHeaders};
use lokal_pay::wechatpay_api::{self as api, paths};
use std::time::Duration;

/// The WeChat Pay gateway.
pub struct WechatPay {
    appid: String,
    notify_url: String,
    api_base: String,
    credentials: Credentials,
    http: reqwest::Client,
    tolerance_secs: i64,
}

/// An answer from WeChat Pay whose signature verified: its status and body.
struct Answer {
    status: u16,
    body: String,
}

impl Answer {
    fn error(&self) -> api::ApiError {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|_| api::ApiError { code: format!("HTTP_{}", self.status), message: self.body.clone() })
    }

    /// Whether a later try may get a different answer.
    fn retryable(&self) -> bool {
        self.status >= 500
            || self.status == 429
            || matches!(self.error().code.as_str(), "SYSTEM_ERROR" | "FREQUENCY_LIMITED" | "NOT_ENOUGH")
    }

    fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, Unreachable> {
        serde_json::from_str(&self.body).map_err(|e| Unreachable(format!("WeChat Pay answered unreadable JSON: {e}")))
    }
}

fn unix_now() -> i64 {
    let d = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// `yyyy-MM-DDTHH:mm:ss+08:00`: Beijing time, as WeChat Pay's `time_expire` asks.
pub fn beijing_time(t: Timestamp) -> String {
    let shifted = Timestamp::from_millis(t.millis().saturating_add(8 * 3_600_000)).to_rfc3339();
    format!("{}+08:00", shifted.get(..19).unwrap_or_default())
}

fn bad_signature(why: &'static str) -> AppError {
    AppError::new(ErrorCode::WebhookSignatureInvalid, why)
}

fn refused(e: &api::ApiError) -> AppError {
    AppError::new(ErrorCode::Conflict, Msg::new("err-payment-provider-refused").with("code", e.code.as_str()))
}

fn provider_unreachable(why: &Unreachable) -> AppError {
    tracing::warn!(error = %why, "WeChat Pay could not be reached");
    AppError::new(ErrorCode::Unavailable, "err-payment-provider-unreachable")
}

impl WechatPay {
    /// A gateway for the merchant `settings` describe, with its loaded `credentials`; calls
    /// give up after `timeout`; callbacks more than `tolerance_secs` from our clock are refused.
    pub fn new(
        settings: &Settings,
        credentials: Credentials,
        timeout: Duration,
        tolerance_secs: i64,
    ) -> Result<Self, String> {
        let api_base = if settings.api_base.trim().is_empty() {
            "https://api.mch.weixin.qq.com".to_owned()
        } else {
            settings.api_base.trim_end_matches('/').to_owned()
        };
        if settings.notify_url.trim().is_empty() {
            return Err("[wechatpay] notify_url is not set".into());
        }
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .user_agent(concat!("lokal/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("the HTTP client: {e}"))?;
        Ok(Self {
            appid: settings.appid.clone(),
            notify_url: settings.notify_url.clone(),
            api_base,
            credentials,
            http,
            tolerance_secs,
        })
    }

    /// Sends a signed request and checks the answer's signature. A body that is not signed by
    /// the configured key is no answer (it may not come from WeChat Pay).
    async fn call(
        &self,
        method: reqwest::Method,
        path_and_query: &str,
        body: Option<String>,
    ) -> Result<Answer, Unreachable> {
        let body = body.unwrap_or_default();
        let nonce = crate::secret::random_token().map_err(|e| Unreachable(e.to_string()))?;
        let nonce: String = nonce.chars().filter(char::is_ascii_alphanumeric).take(32).collect();
        let c = &self.credentials;
        let authorization =
            c.merchant_key.authorization(&c.mchid, method.as_str(), path_and_query, unix_now(), &nonce, &body);
        let mut request = self
            .http
            .request(method, format!("{}{path_and_query}", self.api_base))
            .header("Authorization", authorization)
            .header("Accept", "application/json");
        if !body.is_empty() {
            request = request.header("Content-Type", "application/json").body(body);
        }
        let response = request.send().await.map_err(|e| Unreachable(format!("WeChat Pay: {e}")))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.map_err(|e| Unreachable(format!("WeChat Pay's answer: {e}")))?;
        let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let signed =
            SignedHeaders::read(get).and_then(|h| self.credentials.platform_key.verify_response(&h, &text).map(|()| h));
        match signed {
            Ok(_) => Ok(Answer { status, body: text }),
            // WeChat Pay signs its answers; an error from a proxy in between is not signed.
            Err(_) if status >= 500 => Ok(Answer { status, body: text }),
            Err(e) => Err(Unreachable(format!("an answer not signed by WeChat Pay ({status}): {e}"))),
        }
    }

    /// Downloads a bill file: a signed GET whose answer is not signed (its hash is checked).
    async fn download(&self, path_and_query: &str) -> Result<String, Unreachable> {
        let nonce: String =
            crate::secret::random_token().map_err(|e| Unreachable(e.to_string()))?.chars().take(32).collect();
        let c = &self.credentials;
        let authorization = c.merchant_key.authorization(&c.mchid, "GET", path_and_query, unix_now(), &nonce, "");
        let response = self
            .http
            .get(format!("{}{path_and_query}", self.api_base))
            .header("Authorization", authorization)
            .send()
            .await
            .map_err(|e| Unreachable(format!("WeChat Pay's bill: {e}")))?;
        if !response.status().is_success() {
            return Err(Unreachable(format!("WeChat Pay's bill download: {}", response.status())));
        }
        response.text().await.map_err(|e| Unreachable(format!("WeChat Pay's bill: {e}")))
    }

    fn prepay(&self, request: &IntentRequest) -> Result<(&'static str, api::Prepay), AppError> {
        let mut body = api::Prepay {
            appid: self.appid.clone(),
            mchid: self.credentials.mchid.clone(),
            description: request.description.chars().take(127).collect(),
            out_trade_no: request.payment.0.simple().to_string(),
            time_expire: Some(beijing_time(request.expires_at)),
            notify_url: self.notify_url.clone(),
            amount: api::Amount { total: request.amount.amount, currency: "CNY".into() },
            payer: None,
            scene_info: None,
        };
        let path = match request.method.as_str() {
            "" | "native" => paths::NATIVE,
            "jsapi" => {
                let openid = request.payer.clone().filter(|o| !o.trim().is_empty());
                let openid = openid.ok_or_else(|| FieldError::new("openid", "field-openid-required"))?;
                body.payer = Some(api::Payer { openid });
                paths::JSAPI
            }
            "h5" => {
                body.scene_info = Some(api::SceneInfo {
                    payer_client_ip: request.client_ip.clone(),
                    h5_info: Some(api::H5Info { kind: "Wap".into() }),
                });
                paths::H5
            }
            _ => {
                let choices = Msg::new("field-one-of").with("choices", "native, jsapi, h5");
                return Err(FieldError::new("method", choices).into());
            }
        };
        Ok((path, body))
    }

    /// What `WeixinJSBridge.invoke('getBrandWCPayRequest', …)` takes for a JSAPI `prepay_id`.
    fn jsapi_params(&self, prepay_id: &str) -> Result<serde_json::Value, AppError> {
        let timestamp = unix_now();
        let nonce: String =
            crate::secret::random_token()?.chars().filter(char::is_ascii_alphanumeric).take(32).collect();
        let package = format!("prepay_id={prepay_id}");
        let pay_sign =
            self.credentials.merchant_key.sign(&api::jsapi_message(&self.appid, timestamp, &nonce, &package));
        Ok(serde_json::json!({
            "appId": self.appid,
            "timeStamp": timestamp.to_string(),
            "nonceStr": nonce,
            "package": package,
            "signType": "RSA",
            "paySign": pay_sign,
        }))
    }

    /// A refund's state from an answer. Only a request WeChat Pay calls invalid is a definitive
    /// refusal (and only when asking for a refund: a query that fails knows nothing); anything
    /// else that is not an answer — our signature refused after a key change, a clock off, a
    /// system error — is tried again.
    fn refund_state(answer: &Answer, asking: bool) -> Result<RefundState, Unreachable> {
        if answer.status >= 300 {
            let e = answer.error();
            if asking && answer.status == 400 && matches!(e.code.as_str(), "INVALID_REQUEST" | "PARAM_ERROR") {
                return Ok(RefundState::Failed { reason: format!("{}: {}", e.code, e.message) });
            }
            return Err(Unreachable(format!("WeChat Pay: {} {}", e.code, e.message)));
        }
        let r: api::Refund = answer.json()?;
        Ok(match r.state() {
            "SUCCESS" => RefundState::Succeeded { provider_ref: r.refund_id },
            "PROCESSING" => RefundState::Processing { provider_ref: r.refund_id },
            other => RefundState::Failed { reason: format!("refund {other}") },
        })
    }
}

/// A bill's rows as reconciliation lines: a `SUCCESS` (or later `REFUND`ed) payment by our
/// `out_trade_no`, a refund row by our refund id, a `REVOKED` payment as failed.
pub fn bill_lines(rows: &[lokal_pay::wechatpay_bill::Row]) -> Vec<Line> {
    rows.iter()
        .map(|r| {
            if r.trade_state == "REFUND" {
                let status = match r.refund_status.as_str() {
                    "SUCCESS" => "succeeded",
                    "PROCESSING" => "processing",
                    _ => "failed",
                };
                Line {
                    kind: LineKind::Refund,
                    reference: r.out_refund_no.clone(),
                    amount: r.refund_amount,
                    status: status.into(),
                    fee_e5: r.fee_e5,
                    provider_txn: r.refund_id.clone(),
                }
            } else {
                Line {
                    kind: LineKind::Payment,
                    reference: r.out_trade_no.clone(),
                    amount: r.order_amount,
                    status: if r.trade_state == "REVOKED" { "failed" } else { "succeeded" }.into(),
                    fee_e5: r.fee_e5,
                    provider_txn: r.transaction_id.clone(),
                }
            }
        })
        .collect()
}

/// The first answer of `GET /v3/bill/tradebill`.
#[derive(Debug, serde::Deserialize)]
struct BillAnswer {
    hash_type: String,
    hash_value: String,
    download_url: String,
}

impl PaymentGateway for WechatPay {
    fn name(&self) -> &'static str {
        "wechatpay"
    }

    fn create_intent(&self, request: IntentRequest) -> BoxFuture<'_, Result<Intent, AppError>> {
        Box::pin(async move {
            let (path, body) = self.prepay(&request)?;
            let json = serde_json::to_string(&body).map_err(AppError::internal)?;
            let answer =
                self.call(reqwest::Method::POST, path, Some(json)).await.map_err(|e| provider_unreachable(&e))?;
            if answer.status >= 300 {
                if answer.retryable() {
                    return Err(provider_unreachable(&Unreachable(answer.error().code)));
                }
                return Err(refused(&answer.error()));
            }
            let a: api::PrepayAnswer = answer.json().map_err(|e| provider_unreachable(&e))?;
            let provider_ref = body.out_trade_no;
            let missing = || provider_unreachable(&Unreachable("WeChat Pay's prepay answer is incomplete".into()));
            Ok(match path {
                paths::JSAPI => {
                    let prepay_id = a.prepay_id.ok_or_else(missing)?;
                    Intent { provider_ref, pay_url: String::new(), client_params: Some(self.jsapi_params(&prepay_id)?) }
                }
                paths::H5 => Intent { provider_ref, pay_url: a.h5_url.ok_or_else(missing)?, client_params: None },
                _ => Intent { provider_ref, pay_url: a.code_url.ok_or_else(missing)?, client_params: None },
            })
        })
    }

    fn verify_webhook(&self, headers: &Headers, body: &[u8], now: Timestamp) -> Result<GatewayEvent, AppError> {
        let text = std::str::from_utf8(body).map_err(|_| bad_signature("err-webhook-signature-mismatch"))?;
        let signed =
            SignedHeaders::read(|n| headers.get(n)).map_err(|_| bad_signature("err-webhook-signature-malformed"))?;
        let skew = now.millis().div_euclid(1000).checked_sub(signed.timestamp).map(i64::unsigned_abs);
        if skew.is_none_or(|s| s > self.tolerance_secs.unsigned_abs()) {
            return Err(bad_signature("err-webhook-signature-stale"));
        }
        self.credentials
            .platform_key
            .verify_response(&signed, text)
            .map_err(|_| bad_signature("err-webhook-signature-mismatch"))?;
        let not_json = || AppError::new(ErrorCode::MalformedRequest, "err-webhook-not-json");
        let n: api::Notification = serde_json::from_str(text).map_err(|_| not_json())?;
        let r = &n.resource;
        if r.algorithm != "AEAD_AES_256_GCM" {
            return Err(not_json());
        }
        let plain = self
            .credentials
            .api_v3_key
            .decrypt(&r.ciphertext, &r.nonce, &r.associated_data)
            .map_err(|_| bad_signature("err-webhook-signature-mismatch"))?;
        let ours =
            |mchid: &str| if mchid == self.credentials.mchid { Ok(()) } else { Err(AppError::not_found("payment")) };
        if n.event_type.starts_with("TRANSACTION.") {
            let t: api::Transaction = serde_json::from_slice(&plain).map_err(|_| not_json())?;
            ours(&t.mchid)?;
            let kind = match t.trade_state.as_str() {
                "SUCCESS" => EventKind::PaymentSucceeded,
                "CLOSED" | "REVOKED" | "PAYERROR" => EventKind::PaymentFailed,
                _ => return Err(not_json()),
            };
            return Ok(GatewayEvent {
                id: n.id,
                kind,
                payment_ref: t.out_trade_no,
                refund_id: None,
                provider_txn: t.transaction_id.unwrap_or_default(),
                amount: t.amount.map(|a| a.total),
            });
        }
        if n.event_type.starts_with("REFUND.") {
            let f: api::Refund = serde_json::from_slice(&plain).map_err(|_| not_json())?;
            let kind = if f.state() == "SUCCESS" { EventKind::RefundSucceeded } else { EventKind::RefundFailed };
            return Ok(GatewayEvent {
                id: n.id,
                kind,
                payment_ref: f.out_trade_no,
                refund_id: Some(f.out_refund_no),
                provider_txn: f.refund_id,
                amount: Some(f.amount.refund),
            });
        }
        Err(not_json())
    }

    fn reply(&self, outcome: Result<(), &AppError>) -> Option<Reply> {
        let ok = Reply { status: 204, content_type: "application/json", body: String::new() };
        match outcome {
            Ok(()) => Some(ok),
            // Applied before (a redelivery): acknowledged, or WeChat Pay keeps sending it.
            Err(e) if e.code == ErrorCode::WebhookReplayed => Some(ok),
            Err(e) => {
                let status = e.code.status();
                let body = serde_json::to_string(&api::callback_failure(e.code.as_str())).unwrap_or_default();
                Some(Reply { status: status.max(400), content_type: "application/json", body })
            }
        }
    }

    fn query_payment<'a>(&'a self, provider_ref: &'a str) -> BoxFuture<'a, Result<PaymentState, Unreachable>> {
        Box::pin(async move {
            let path = format!("{}/{provider_ref}?mchid={}", paths::TRANSACTIONS_BY_REF, self.credentials.mchid);
            let answer = self.call(reqwest::Method::GET, &path, None).await?;
            if answer.status == 404 {
                return Ok(PaymentState::Unknown);
            }
            if answer.status >= 300 {
                return Err(Unreachable(format!("WeChat Pay: {}", answer.error().code)));
            }
            let t: api::Transaction = answer.json()?;
            Ok(match t.trade_state.as_str() {
                "SUCCESS" | "REFUND" => PaymentState::Succeeded {
                    provider_txn: t.transaction_id.unwrap_or_default(),
                    amount: t.amount.map(|a| a.total),
                },
                "CLOSED" | "REVOKED" | "PAYERROR" => PaymentState::Failed,
                _ => PaymentState::Pending,
            })
        })
    }

    fn close<'a>(&'a self, provider_ref: &'a str) -> BoxFuture<'a, Result<(), Unreachable>> {
        Box::pin(async move {
            let path = format!("{}/{provider_ref}/close", paths::TRANSACTIONS_BY_REF);
            let body = serde_json::json!({ "mchid": self.credentials.mchid }).to_string();
            let answer = self.call(reqwest::Method::POST, &path, Some(body)).await?;
            // Paid meanwhile (`ORDER_PAID`) or already closed: nothing to close.
            if answer.status < 300 || answer.status == 400 || answer.status == 404 {
                return Ok(());
            }
            Err(Unreachable(format!("WeChat Pay: {}", answer.error().code)))
        })
    }

    fn refund<'a>(&'a self, request: &'a RefundRequest) -> BoxFuture<'a, Result<RefundState, Unreachable>> {
        Box::pin(async move {
            let body = api::RefundCreate {
                out_trade_no: request.payment_ref.clone(),
                out_refund_no: request.refund_id.clone(),
                reason: (!request.reason.is_empty()).then(|| request.reason.chars().take(80).collect()),
                notify_url: Some(self.notify_url.clone()),
                amount: api::RefundAmount { refund: request.amount, total: request.total, currency: "CNY".into() },
            };
            let json = serde_json::to_string(&body).map_err(|e| Unreachable(e.to_string()))?;
            let answer = self.call(reqwest::Method::POST, paths::REFUNDS, Some(json)).await?;
            Self::refund_state(&answer, true)
        })
    }

    fn bill<'a>(&'a self, date: &'a str) -> BoxFuture<'a, Result<Vec<Line>, Unreachable>> {
        Box::pin(async move {
            let path = format!("/v3/bill/tradebill?bill_date={date}&bill_type=ALL");
            let answer = self.call(reqwest::Method::GET, &path, None).await?;
            if answer.status >= 300 {
                let e = answer.error();
                // No trade that day: an empty bill. (Not made yet is `STATEMENT_CREATING`: later.)
                if e.code == "NO_STATEMENT_EXIST" {
                    return Ok(Vec::new());
                }
                return Err(Unreachable(format!("WeChat Pay's bill: {}", e.code)));
            }
            let b: BillAnswer = answer.json()?;
            if !b.hash_type.eq_ignore_ascii_case("SHA1") {
                return Err(Unreachable(format!("WeChat Pay's bill has a {} hash", b.hash_type)));
            }
            // The download is signed like any call, and only ever sent to WeChat Pay's own host.
            let url = reqwest::Url::parse(&b.download_url).map_err(|e| Unreachable(format!("download_url: {e}")))?;
            let base = reqwest::Url::parse(&self.api_base).map_err(|e| Unreachable(format!("api_base: {e}")))?;
            if url.origin() != base.origin() {
                return Err(Unreachable("WeChat Pay's bill is to be downloaded from another host".into()));
            }
            let path_and_query = match url.query() {
                Some(q) => format!("{}?{q}", url.path()),
                None => url.path().to_owned(),
            };
            let text = self.download(&path_and_query).await?;
            lokal_pay::wechatpay_bill::check_hash(text.as_bytes(), &b.hash_value)
                .map_err(|e| Unreachable(e.to_string()))?;
            let rows = lokal_pay::wechatpay_bill::parse(&text).map_err(|e| Unreachable(e.to_string()))?;
            Ok(bill_lines(&rows))
        })
    }

    fn query_refund<'a>(&'a self, refund_id: &'a str) -> BoxFuture<'a, Result<RefundState, Unreachable>> {
        Box::pin(async move {
            let answer = self.call(reqwest::Method::GET, &format!("{}/{refund_id}", paths::REFUNDS), None).await?;
            if answer.status == 404 {
                return Err(Unreachable("WeChat Pay does not know the refund yet".into()));
            }
            Self::refund_state(&answer, false)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_is_written_in_beijing_time() {
        let t = Timestamp::parse_rfc3339("2026-12-07T16:30:05Z").expect("time");
        assert_eq!(beijing_time(t), "2026-12-08T00:30:05+08:00");
    }
}
