//! SMS behind the message gateway port: Alibaba Cloud SMS (`SendSms`, the RPC signature,
//! lokal-sms). Chinese SMS gateways send only approved templates (模板) under an approved
//! signature (签名): each message kind names its template in `[sms] templates`, which is filled
//! with the message's values (`params`: a voucher's `deal`, `codes` and `link`). A kind without a
//! template is refused (a dead letter, and the log says which kind). Mainland numbers go without
//! `+86`.

use crate::outbound::{MessageGateway, Outgoing, SendError};
use crate::payments::BoxFuture;
use lokal_core::notice::Channel;
use std::collections::BTreeMap;

/// `[sms]`: the SMS gateway. Empty `provider`: no SMS.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmsSettings {
    /// `aliyun`, or empty for none.
    pub provider: String,
    /// The AccessKey id.
    pub access_key_id: String,
    /// The AccessKey secret: a secret, redacted when shown.
    pub access_key_secret: String,
    /// The approved signature (签名), e.g. `Lokal本地生活`.
    pub sign_name: String,
    /// The approved template of each message kind: `voucher_issued = "SMS_465930123"`.
    pub templates: BTreeMap<String, String>,
    /// The API's address (`https://dysmsapi.aliyuncs.com`; tests point it at a fake).
    pub endpoint: String,
    /// Milliseconds a call may take.
    pub timeout_ms: u64,
}

impl Default for SmsSettings {
    fn default() -> Self {
        Self {
            provider: String::new(),
            access_key_id: String::new(),
            access_key_secret: String::new(),
            sign_name: String::new(),
            templates: BTreeMap::new(),
            endpoint: "https://dysmsapi.aliyuncs.com".into(),
            timeout_ms: 10_000,
        }
    }
}

impl SmsSettings {
    /// These settings with the secret replaced by `***`.
    pub fn redacted(&self) -> Self {
        let mut shown = self.clone();
        if !shown.access_key_secret.is_empty() {
            shown.access_key_secret = "***".into();
        }
        shown
    }
}

/// Alibaba Cloud SMS.
pub struct AliyunSms {
    credentials: lokal_sms::aliyun::Credentials,
    sign_name: String,
    templates: BTreeMap<String, String>,
    endpoint: String,
    http: reqwest::Client,
}

impl AliyunSms {
    /// A gateway for `settings` (checked now).
    pub fn new(settings: &SmsSettings) -> Result<Self, String> {
        for (name, v) in [
            ("access_key_id", &settings.access_key_id),
            ("access_key_secret", &settings.access_key_secret),
            ("sign_name", &settings.sign_name),
        ] {
            if v.trim().is_empty() {
                return Err(format!("[sms] {name} is not set"));
            }
        }
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_millis(settings.timeout_ms.max(1)))
            .build()
            .map_err(|e| format!("the HTTP client: {e}"))?;
        Ok(Self {
            credentials: lokal_sms::aliyun::Credentials {
                access_key_id: settings.access_key_id.clone(),
                access_key_secret: settings.access_key_secret.clone(),
            },
            sign_name: settings.sign_name.clone(),
            templates: settings.templates.clone(),
            endpoint: settings.endpoint.trim_end_matches('/').to_owned(),
            http,
        })
    }
}

/// A phone as Alibaba Cloud takes it: mainland numbers without `+86`, others without `+`.
pub fn aliyun_number(e164: &str) -> String {
    let n = e164.trim();
    n.strip_prefix("+86").or_else(|| n.strip_prefix('+')).unwrap_or(n).to_owned()
}

/// A template's variables from a message's values: every string or number among them.
fn template_param(params: &serde_json::Value) -> Option<String> {
    let object = params.as_object()?;
    let vars: serde_json::Map<String, serde_json::Value> = object
        .iter()
        .filter_map(|(k, v)| match v {
            serde_json::Value::String(s) => Some((k.clone(), serde_json::Value::String(s.clone()))),
            serde_json::Value::Number(n) => Some((k.clone(), serde_json::Value::String(n.to_string()))),
            _ => None,
        })
        .collect();
    (!vars.is_empty()).then(|| serde_json::Value::Object(vars).to_string())
}

impl MessageGateway for AliyunSms {
    fn channel(&self) -> Channel {
        Channel::Sms
    }

    fn send<'a>(&'a self, message: &'a Outgoing) -> BoxFuture<'a, Result<String, SendError>> {
        Box::pin(async move {
            let Some(template) = self.templates.get(&message.kind) else {
                return Err(SendError::Refused(format!("[sms] templates has no template for {}", message.kind)));
            };
            let request = lokal_sms::aliyun::SendSms {
                phone_numbers: aliyun_number(&message.to),
                sign_name: self.sign_name.clone(),
                template_code: template.clone(),
                template_param: template_param(&message.params),
                out_id: Some(message.id.clone()),
            };
            let unix = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_secs();
            let timestamp = lokal_sms::aliyun::timestamp(i64::try_from(unix).unwrap_or(i64::MAX));
            let nonce = uuid::Uuid::now_v7().to_string();
            let body = request.signed_query(&self.credentials, "POST", &nonce, &timestamp);
            let answer = self
                .http
                .post(format!("{}/", self.endpoint))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .map_err(|e| SendError::Retry(format!("Alibaba Cloud SMS: {e}")))?;
            let status = answer.status().as_u16();
            let text = answer.text().await.map_err(|e| SendError::Retry(format!("Alibaba Cloud SMS: {e}")))?;
            let Ok(r) = serde_json::from_str::<lokal_sms::aliyun::SendSmsResponse>(&text) else {
                return Err(SendError::Retry(format!("Alibaba Cloud SMS answered {status}: not its JSON")));
            };
            if r.is_ok() {
                return Ok(r.biz_id.unwrap_or(r.request_id));
            }
            let why = format!("Alibaba Cloud SMS: {} {}", r.code, r.message);
            if r.is_retryable() || status >= 500 { Err(SendError::Retry(why)) } else { Err(SendError::Refused(why)) }
        })
    }
}
