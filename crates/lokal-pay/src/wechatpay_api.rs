//! WeChat Pay API v3's JSON, as its documentation names the fields (直连商户: Native, JSAPI and
//! H5 prepay; query and close by `out_trade_no`; domestic refunds and their query; callbacks and
//! their decrypted resources; the error body). Both sides use these types: the gateway sends
//! and reads them, the tests' fake WeChat Pay reads and sends them, so a field misnamed here
//! would fail both the same way — which is why the tests also check the wire names against the
//! documentation's examples (tests/wire_names.rs).

use serde::{Deserialize, Serialize};

/// The paths of the calls Lokal makes.
pub mod paths {
    /// Native (a QR code the payer scans).
    pub const NATIVE: &str = "/v3/pay/transactions/native";
    /// JSAPI (inside WeChat: 公众号 or 小程序).
    pub const JSAPI: &str = "/v3/pay/transactions/jsapi";
    /// H5 (a mobile browser outside WeChat).
    pub const H5: &str = "/v3/pay/transactions/h5";
    /// Query or close by our reference: `{TRANSACTIONS_BY_REF}/{out_trade_no}` (`?mchid=…`),
    /// `…/{out_trade_no}/close`.
    pub const TRANSACTIONS_BY_REF: &str = "/v3/pay/transactions/out-trade-no";
    /// Refunds (POST), and `{REFUNDS}/{out_refund_no}` to query one.
    pub const REFUNDS: &str = "/v3/refund/domestic/refunds";
}

/// `amount` of a prepay request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    /// Fen.
    pub total: i64,
    /// `CNY`.
    pub currency: String,
}

/// `payer` of a JSAPI prepay request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payer {
    /// The payer's openid under `appid`.
    pub openid: String,
}

/// `scene_info` of a prepay request: required for H5 (with `h5_info`); Native and JSAPI may carry one
/// too, without `h5_info` (the documentation's Native and JSAPI examples do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SceneInfo {
    /// The payer's IP address.
    pub payer_client_ip: String,
    /// H5 only (required there): `{"type": "Wap"}`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub h5_info: Option<H5Info>,
}

/// `scene_info.h5_info`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct H5Info {
    /// `Wap`, `iOS` or `Android`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// A prepay request (Native, JSAPI or H5: the same body, with `payer` or `scene_info`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prepay {
    /// The app.
    pub appid: String,
    /// The merchant.
    pub mchid: String,
    /// What the payer sees (up to 127 characters).
    pub description: String,
    /// Our reference (6–32 characters of letters, digits, `_-|*`).
    pub out_trade_no: String,
    /// When it stops being payable: `yyyy-MM-DDTHH:mm:ss+08:00`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub time_expire: Option<String>,
    /// Where the callback goes.
    pub notify_url: String,
    /// How much.
    pub amount: Amount,
    /// JSAPI only.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub payer: Option<Payer>,
    /// Required for H5 (with `h5_info`); optional for Native and JSAPI, where Lokal sends none.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub scene_info: Option<SceneInfo>,
}

/// A prepay answer: `code_url` (Native), `prepay_id` (JSAPI) or `h5_url` (H5).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrepayAnswer {
    /// Native: the QR code's text (`weixin://wxpay/bizpayurl?pr=…`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub code_url: Option<String>,
    /// JSAPI: what `WeixinJSBridge` pays.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub prepay_id: Option<String>,
    /// H5: the page the payer's browser opens.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub h5_url: Option<String>,
}

/// `amount` of a transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionAmount {
    /// The order's total, fen.
    pub total: i64,
    /// What the payer paid (less the provider's discounts), fen.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub payer_total: Option<i64>,
    /// `CNY`.
    #[serde(default)]
    pub currency: String,
}

/// A transaction: the query's answer and the `TRANSACTION.SUCCESS` callback's resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    /// The app.
    #[serde(default)]
    pub appid: String,
    /// The merchant.
    pub mchid: String,
    /// Our reference.
    pub out_trade_no: String,
    /// WeChat Pay's id; absent until paid.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub transaction_id: Option<String>,
    /// `SUCCESS`, `REFUND`, `NOTPAY`, `CLOSED`, `REVOKED`, `USERPAYING` or `PAYERROR`.
    pub trade_state: String,
    /// Why, in words.
    #[serde(default)]
    pub trade_state_desc: String,
    /// When it was paid (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub success_time: Option<String>,
    /// How much.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub amount: Option<TransactionAmount>,
}

/// `amount` of a refund request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundAmount {
    /// Fen to refund.
    pub refund: i64,
    /// The original payment's total, fen.
    pub total: i64,
    /// `CNY`.
    pub currency: String,
}

/// A refund request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundCreate {
    /// The payment's reference.
    pub out_trade_no: String,
    /// Our refund id: WeChat Pay refunds once per `out_refund_no`.
    pub out_refund_no: String,
    /// Shown to the payer (up to 80 characters).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reason: Option<String>,
    /// Where the refund callback goes.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub notify_url: Option<String>,
    /// How much.
    pub amount: RefundAmount,
}

/// `amount` of a refund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundedAmount {
    /// The payment's total, fen.
    pub total: i64,
    /// Refunded, fen.
    pub refund: i64,
    /// `CNY`.
    #[serde(default)]
    pub currency: String,
}

/// A refund: the answer to a refund request or query (`status`), and the refund callbacks'
/// resource (`refund_status`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refund {
    /// WeChat Pay's refund id.
    pub refund_id: String,
    /// Our refund id.
    pub out_refund_no: String,
    /// The payment's reference.
    #[serde(default)]
    pub out_trade_no: String,
    /// WeChat Pay's id of the payment.
    #[serde(default)]
    pub transaction_id: String,
    /// Answers and queries: `SUCCESS`, `CLOSED`, `PROCESSING` or `ABNORMAL`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<String>,
    /// Callbacks: the same values.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub refund_status: Option<String>,
    /// How much.
    pub amount: RefundedAmount,
}

impl Refund {
    /// The refund's status, from an answer or a callback.
    pub fn state(&self) -> &str {
        self.status.as_deref().or(self.refund_status.as_deref()).unwrap_or_default()
    }
}

/// A callback's encrypted `resource`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptedResource {
    /// `AEAD_AES_256_GCM`.
    pub algorithm: String,
    /// Base64 of the ciphertext and its 16-byte tag.
    pub ciphertext: String,
    /// The associated data (`transaction` or `refund`).
    #[serde(default)]
    pub associated_data: String,
    /// `transaction` or `refund`.
    #[serde(default)]
    pub original_type: String,
    /// The 12-character nonce.
    pub nonce: String,
}

/// A callback (通知): `TRANSACTION.SUCCESS`, `REFUND.SUCCESS`, `REFUND.ABNORMAL`, `REFUND.CLOSED`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// The notification's id (a redelivery repeats it).
    pub id: String,
    /// When it was made (RFC 3339).
    pub create_time: String,
    /// What happened.
    pub event_type: String,
    /// `encrypt-resource`.
    pub resource_type: String,
    /// The encrypted transaction or refund.
    pub resource: EncryptedResource,
    /// Words.
    #[serde(default)]
    pub summary: String,
}

/// The body of an error answer (4xx, 5xx): e.g. `SYSTEM_ERROR`, `PARAM_ERROR`, `ORDER_NOT_EXIST`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// The error's code.
    pub code: String,
    /// Words.
    pub message: String,
}

/// The answer a callback's receiver gives when it failed (WeChat Pay then delivers it again).
pub fn callback_failure(message: &str) -> ApiError {
    ApiError { code: "FAIL".into(), message: message.into() }
}

/// The message JSAPI's `paySign` signs: app id, timestamp, nonce and `prepay_id=…`, one per
/// line, each line ending with `\n`.
pub fn jsapi_message(appid: &str, timestamp: i64, nonce: &str, package: &str) -> String {
    format!("{appid}\n{timestamp}\n{nonce}\n{package}\n")
}
