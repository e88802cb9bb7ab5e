//! A fake WeChat Pay API v3 on a local port, faithful to the protocol as its documentation
//! describes it: it refuses any request whose `Authorization` does not verify with the merchant's
//! public key (401 `SIGN_ERROR`), signs every answer with the platform key (`Wechatpay-*`
//! headers), keeps orders and refunds as WeChat Pay does (one per `out_trade_no` and
//! `out_refund_no`; a refund within what was paid), answers refunds `PROCESSING` and reports
//! them by callback, and sends `TRANSACTION.SUCCESS` / `REFUND.SUCCESS` callbacks whose resource
//! is sealed with the APIv3 key and which are signed like answers. The tests drive the payer's
//! side (`pay`), the callbacks (sent, held, repeated, forged) and faults (a 500, an answer that
//! never comes, an answer lost after the work was done).
//!
//! Two liberties, both of the test rig and not of the protocol: callbacks go to the app under
//! test (`send_callbacks_to`) with the path of the `notify_url` they were given, and they are
//! signed at the test's manual clock (the app checks their age against it); requests' own
//! timestamps are checked against the real clock, as WeChat Pay checks them against its own.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use lokal_app::clock::{Clock, ManualClock};
use lokal_pay::wechatpay::{ApiV3Key, PrivateKey, PublicKey};
use lokal_pay::wechatpay_api as api;
use lokal_pay::wechatpay_bill as bill;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

pub const MCHID: &str = "1900000109";
pub const APPID: &str = "wxd678efh567hg6787";
pub const API_V3_KEY: &str = "0123456789abcdef0123456789abcdef";
pub const MERCHANT_SERIAL: &str = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
pub const PLATFORM_KEY_ID: &str = "PUB_KEY_ID_0114232134912410000000000000";

/// The test keys (crates/lokal-pay/tests/data).
pub fn key_path(name: &str) -> String {
    format!("{}/../lokal-pay/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn read(name: &str) -> String {
    std::fs::read_to_string(key_path(name)).expect("test key")
}

/// What the next call does instead of answering at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 500 `SYSTEM_ERROR`, nothing done.
    Fail,
    /// No answer for two seconds, nothing done (the client times out first).
    Hang,
    /// The work is done, then no answer for two seconds (the answer is lost).
    ActThenHang,
}

/// A callback as sent: its headers and body.
#[derive(Debug, Clone)]
pub struct Callback {
    pub headers: Vec<(String, String)>,
    pub body: String,
}

#[derive(Default)]
struct Books {
    orders: HashMap<String, (api::Prepay, api::Transaction)>,
    refunds: HashMap<String, api::Refund>,
    /// (method, path) of every request whose signature verified.
    accepted: Vec<(String, String)>,
    /// Paths of the requests refused for their signature.
    refused: Vec<String>,
    faults: VecDeque<Fault>,
    callback_base: String,
    next_txn: u64,
    /// Changes the tests make to the next bills (a line dropped, added, altered).
    bill_edit: Option<BillEdit>,
    /// The bill is not made yet (`STATEMENT_CREATING`).
    bill_not_ready: bool,
}

/// A change to the bill as WeChat Pay would make it.
pub type BillEdit = Arc<dyn Fn(&mut Vec<bill::Row>) + Send + Sync>;

struct Fake {
    merchant_key: PublicKey,
    platform_key: PrivateKey,
    api_v3_key: ApiV3Key,
    clock: Mutex<Arc<ManualClock>>,
    books: Mutex<Books>,
    /// Its own address (for download links).
    base: Mutex<String>,
}

/// The running fake.
#[derive(Clone)]
pub struct FakeWechatPay {
    pub base: String,
    fake: Arc<Fake>,
}

fn now_secs() -> i64 {
    let d = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock");
    i64::try_from(d.as_secs()).expect("secs")
}

fn nonce() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

impl Fake {
    fn books(&self) -> std::sync::MutexGuard<'_, Books> {
        self.books.lock().expect("books")
    }

    /// An answer signed as WeChat Pay signs them.
    fn answer(&self, status: StatusCode, body: String) -> Response {
        let h = self.platform_key.sign_response(now_secs(), &nonce(), &body);
        let mut r = (status, body).into_response();
        let headers = r.headers_mut();
        headers.insert("Content-Type", "application/json".parse().expect("header"));
        headers.insert("Wechatpay-Timestamp", h.timestamp.to_string().parse().expect("header"));
        headers.insert("Wechatpay-Nonce", h.nonce.parse().expect("header"));
        headers.insert("Wechatpay-Signature", h.signature.parse().expect("header"));
        headers.insert("Wechatpay-Serial", h.serial.parse().expect("header"));
        headers.insert("Request-ID", nonce().parse().expect("header"));
        r
    }

    fn error(&self, status: StatusCode, code: &str, message: &str) -> Response {
        let body = serde_json::to_string(&api::ApiError { code: code.into(), message: message.into() }).expect("json");
        self.answer(status, body)
    }

    fn json(&self, value: &impl serde::Serialize) -> Response {
        self.answer(StatusCode::OK, serde_json::to_string(value).expect("json"))
    }

    /// A callback about `resource` (`transaction` or `refund`), sealed and signed.
    fn callback(&self, event_type: &str, original_type: &str, resource: &impl serde::Serialize) -> Callback {
        let plain = serde_json::to_vec(resource).expect("json");
        let n = &nonce()[..12];
        let ciphertext = self.api_v3_key.encrypt(&plain, n, original_type).expect("seal");
        let body = serde_json::to_string(&api::Notification {
            id: uuid::Uuid::now_v7().to_string(),
            create_time: "2026-12-07T10:00:00+08:00".into(),
            event_type: event_type.into(),
            resource_type: "encrypt-resource".into(),
            resource: api::EncryptedResource {
                algorithm: "AEAD_AES_256_GCM".into(),
                ciphertext,
                associated_data: original_type.into(),
                original_type: original_type.into(),
                nonce: n.into(),
            },
            summary: "支付成功".into(),
        })
        .expect("json");
        let at = self.clock.lock().expect("clock").now().millis() / 1000;
        let h = self.platform_key.sign_response(at, &nonce(), &body);
        let headers = vec![
            ("Wechatpay-Timestamp".to_owned(), h.timestamp.to_string()),
            ("Wechatpay-Nonce".to_owned(), h.nonce),
            ("Wechatpay-Signature".to_owned(), h.signature),
            ("Wechatpay-Serial".to_owned(), h.serial),
            ("Content-Type".to_owned(), "application/json".to_owned()),
        ];
        Callback { headers, body }
    }
}

async fn handle(State(fake): State<Arc<Fake>>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let body = String::from_utf8_lossy(&body).into_owned();
    let path_and_query = uri.path_and_query().map_or(uri.path().to_owned(), |p| p.as_str().to_owned());
    let auth = headers.get("Authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let verified = fake.merchant_key.verify_request(auth, MCHID, method.as_str(), &path_and_query, &body);
    match verified {
        Ok(t) if (now_secs() - t).abs() <= 300 => {}
        _ => {
            fake.books().refused.push(uri.path().to_owned());
            return fake.error(StatusCode::UNAUTHORIZED, "SIGN_ERROR", "签名错误");
        }
    }
    let fault = fake.books().faults.pop_front();
    match fault {
        Some(Fault::Fail) => return fake.error(StatusCode::INTERNAL_SERVER_ERROR, "SYSTEM_ERROR", "系统错误"),
        Some(Fault::Hang) => {
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            return fake.error(StatusCode::INTERNAL_SERVER_ERROR, "SYSTEM_ERROR", "too late");
        }
        _ => {}
    }
    fake.books().accepted.push((method.to_string(), uri.path().to_owned()));
    if uri.path() == "/v3/bill/tradebill" || uri.path() == "/v3/billdownload/file" {
        return bills(&fake, uri.path());
    }
    let answer = route(&fake, &method, uri.path(), &body);
    if fault == Some(Fault::ActThenHang) {
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    }
    answer
}

fn route(fake: &Fake, method: &Method, path: &str, body: &str) -> Response {
    let by_ref = api::paths::TRANSACTIONS_BY_REF;
    if *method == Method::POST && [api::paths::NATIVE, api::paths::JSAPI, api::paths::H5].contains(&path) {
        return prepay(fake, path, body);
    }
    if let Some(rest) = path.strip_prefix(by_ref).and_then(|r| r.strip_prefix('/')) {
        if let Some(reference) = rest.strip_suffix("/close") {
            let mut books = fake.books();
            return match books.orders.get_mut(reference) {
                None => fake.error(StatusCode::NOT_FOUND, "ORDER_NOT_EXIST", "订单不存在"),
                Some((_, t)) if t.trade_state == "SUCCESS" => {
                    fake.error(StatusCode::BAD_REQUEST, "ORDERPAID", "订单已支付")
                }
                Some((_, t)) => {
                    t.trade_state = "CLOSED".into();
                    fake.answer(StatusCode::NO_CONTENT, String::new())
                }
            };
        }
        let books = fake.books();
        return match books.orders.get(rest) {
            Some((_, t)) => fake.json(t),
            None => fake.error(StatusCode::NOT_FOUND, "ORDER_NOT_EXIST", "订单不存在"),
        };
    }
    if path == api::paths::REFUNDS && *method == Method::POST {
        return refund(fake, body);
    }
    if let Some(no) = path.strip_prefix(api::paths::REFUNDS).and_then(|r| r.strip_prefix('/')) {
        return match fake.books().refunds.get(no) {
            Some(r) => fake.json(r),
            None => fake.error(StatusCode::NOT_FOUND, "RESOURCE_NOT_EXISTS", "退款单不存在"),
        };
    }
    fake.error(StatusCode::NOT_FOUND, "NOT_FOUND", "no such API")
}

/// The bill as WeChat Pay makes it from its books: a line per paid order (fee 0.6 %), a line per
/// refund (its fee given back), then the tests' edits.
fn bill_rows(fake: &Fake) -> Vec<bill::Row> {
    let books = fake.books();
    let mut rows = Vec::new();
    let mut orders: Vec<_> = books.orders.values().collect();
    orders.sort_by(|a, b| a.1.out_trade_no.cmp(&b.1.out_trade_no));
    for (_, t) in orders.into_iter().filter(|(_, t)| matches!(t.trade_state.as_str(), "SUCCESS" | "REFUND")) {
        let amount = t.amount.as_ref().map_or(0, |a| a.total);
        rows.push(bill::Row {
            time: "2026-12-07 10:00:00".into(),
            transaction_id: t.transaction_id.clone().unwrap_or_default(),
            out_trade_no: t.out_trade_no.clone(),
            trade_state: "SUCCESS".into(),
            order_amount: amount,
            fee_e5: amount * 6,
            ..bill::Row::default()
        });
    }
    let mut refunds: Vec<_> = books.refunds.values().collect();
    refunds.sort_by(|a, b| a.out_refund_no.cmp(&b.out_refund_no));
    for r in refunds {
        rows.push(bill::Row {
            time: "2026-12-07 11:00:00".into(),
            transaction_id: r.transaction_id.clone(),
            out_trade_no: r.out_trade_no.clone(),
            trade_state: "REFUND".into(),
            refund_id: r.refund_id.clone(),
            out_refund_no: r.out_refund_no.clone(),
            refund_amount: r.amount.refund,
            refund_status: r.state().to_owned(),
            fee_e5: -r.amount.refund * 6,
            ..bill::Row::default()
        });
    }
    if let Some(edit) = &books.bill_edit {
        edit(&mut rows);
    }
    rows
}

fn bills(fake: &Fake, path: &str) -> Response {
    if fake.books().bill_not_ready {
        return fake.error(StatusCode::BAD_REQUEST, "STATEMENT_CREATING", "账单生成中");
    }
    let rows = bill_rows(fake);
    let text = bill::render(&rows, MCHID, APPID);
    if path == "/v3/billdownload/file" {
        // The file itself is not signed: its hash was in the first answer.
        return (StatusCode::OK, text).into_response();
    }
    if rows.is_empty() {
        return fake.error(StatusCode::BAD_REQUEST, "NO_STATEMENT_EXIST", "账单不存在");
    }
    fake.json(&serde_json::json!({
        "hash_type": "SHA1",
        "hash_value": bill::sha1_hex(text.as_bytes()),
        "download_url": format!("{}/v3/billdownload/file?token=bill", fake.base.lock().expect("base")),
    }))
}

fn prepay(fake: &Fake, path: &str, body: &str) -> Response {
    let Ok(p) = serde_json::from_str::<api::Prepay>(body) else {
        return fake.error(StatusCode::BAD_REQUEST, "PARAM_ERROR", "body");
    };
    if p.mchid != MCHID || p.appid != APPID || p.amount.total <= 0 || !(6..=32).contains(&p.out_trade_no.len()) {
        return fake.error(StatusCode::BAD_REQUEST, "PARAM_ERROR", "参数错误");
    }
    let h5_scene = p.scene_info.as_ref().is_some_and(|s| s.h5_info.is_some());
    if path == api::paths::JSAPI && p.payer.is_none() || path == api::paths::H5 && !h5_scene {
        return fake.error(StatusCode::BAD_REQUEST, "PARAM_ERROR", "缺少参数");
    }
    let reference = p.out_trade_no.clone();
    let t = api::Transaction {
        appid: p.appid.clone(),
        mchid: p.mchid.clone(),
        out_trade_no: reference.clone(),
        transaction_id: None,
        trade_state: "NOTPAY".into(),
        trade_state_desc: "订单未支付".into(),
        success_time: None,
        amount: Some(api::TransactionAmount { total: p.amount.total, payer_total: None, currency: "CNY".into() }),
    };
    fake.books().orders.entry(reference.clone()).or_insert((p, t));
    let answer = match path {
        api::paths::JSAPI => api::PrepayAnswer { prepay_id: Some(format!("wx{reference}")), ..Default::default() },
        api::paths::H5 => api::PrepayAnswer {
            h5_url: Some(format!("https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx{reference}")),
            ..Default::default()
        },
        _ => api::PrepayAnswer {
            code_url: Some(format!("weixin://wxpay/bizpayurl?pr={reference}")),
            ..Default::default()
        },
    };
    fake.json(&answer)
}

fn refund(fake: &Fake, body: &str) -> Response {
    let Ok(r) = serde_json::from_str::<api::RefundCreate>(body) else {
        return fake.error(StatusCode::BAD_REQUEST, "PARAM_ERROR", "body");
    };
    let mut books = fake.books();
    if let Some(existing) = books.refunds.get(&r.out_refund_no) {
        // The same out_refund_no is the same refund.
        return fake.json(existing);
    }
    let Some((_, t)) = books.orders.get(&r.out_trade_no) else {
        return fake.error(StatusCode::NOT_FOUND, "RESOURCE_NOT_EXISTS", "订单不存在");
    };
    let paid = t.amount.as_ref().map_or(0, |a| a.total);
    let already: i64 =
        books.refunds.values().filter(|f| f.out_trade_no == r.out_trade_no).map(|f| f.amount.refund).sum();
    if !matches!(t.trade_state.as_str(), "SUCCESS" | "REFUND")
        || r.amount.total != paid
        || r.amount.refund <= 0
        || already + r.amount.refund > paid
    {
        return fake.error(StatusCode::BAD_REQUEST, "INVALID_REQUEST", "退款金额不符");
    }
    let transaction_id = t.transaction_id.clone().unwrap_or_default();
    let f = api::Refund {
        refund_id: format!("50000{}", books.refunds.len() + 1),
        out_refund_no: r.out_refund_no.clone(),
        out_trade_no: r.out_trade_no.clone(),
        transaction_id,
        status: Some("PROCESSING".into()),
        refund_status: None,
        amount: api::RefundedAmount { total: paid, refund: r.amount.refund, currency: "CNY".into() },
    };
    books.refunds.insert(r.out_refund_no, f.clone());
    if let Some((_, t)) = books.orders.get_mut(&r.out_trade_no) {
        t.trade_state = "REFUND".into();
    }
    fake.json(&f)
}

impl FakeWechatPay {
    /// Starts the fake, verifying requests with the merchant key `merchant_pub` (a file of the
    /// test data) and signing callbacks at `clock`.
    pub async fn start_with(clock: Arc<ManualClock>, merchant_pub: &str) -> FakeWechatPay {
        let fake = Arc::new(Fake {
            merchant_key: PublicKey::from_pem(&read(merchant_pub), MERCHANT_SERIAL).expect("merchant key"),
            platform_key: PrivateKey::from_pem(&read("platform_key.pem"), PLATFORM_KEY_ID).expect("platform key"),
            api_v3_key: ApiV3Key::new(API_V3_KEY.as_bytes()).expect("api v3 key"),
            clock: Mutex::new(clock),
            books: Mutex::default(),
            base: Mutex::default(),
        });
        let app = Router::new().fallback(handle).with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        *fake.base.lock().expect("base") = base.clone();
        tokio::spawn(async move { axum::serve(listener, app).await });
        FakeWechatPay { base, fake }
    }

    /// Starts the fake knowing the test merchant's key.
    pub async fn start(clock: Arc<ManualClock>) -> FakeWechatPay {
        Self::start_with(clock, "merchant_pub.pem").await
    }

    /// `[wechatpay]` for a server that pays through this fake (calls time out after 500 ms).
    pub fn settings(&self) -> lokal_pay::wechatpay::Settings {
        lokal_pay::wechatpay::Settings {
            mchid: MCHID.into(),
            appid: APPID.into(),
            merchant_key_path: key_path("merchant_key.pem"),
            merchant_serial_no: MERCHANT_SERIAL.into(),
            platform_public_key_path: key_path("platform_pub.pem"),
            platform_public_key_id: PLATFORM_KEY_ID.into(),
            api_v3_key: API_V3_KEY.into(),
            notify_url: "https://lokal.example/api/v1/payments/webhooks/wechatpay".into(),
            api_base: self.base.clone(),
            timeout_ms: 500,
        }
    }

    /// Signs callbacks at `clock` from now on (the app's, once it runs).
    pub fn use_clock(&self, clock: Arc<ManualClock>) {
        *self.fake.clock.lock().expect("clock") = clock;
    }

    /// Where callbacks go (the app's base URL; the notify_url's path is kept).
    pub fn send_callbacks_to(&self, base: &str) {
        self.fake.books().callback_base = base.to_owned();
    }

    /// The next calls fail as `faults` say, in order.
    pub fn fault(&self, faults: &[Fault]) {
        self.fake.books().faults.extend(faults.iter().copied());
    }

    /// Changes the next bills with `edit`.
    pub fn edit_bill(&self, edit: impl Fn(&mut Vec<bill::Row>) + Send + Sync + 'static) {
        self.fake.books().bill_edit = Some(Arc::new(edit));
    }

    /// Whether the bill is made yet.
    pub fn bill_ready(&self, ready: bool) {
        self.fake.books().bill_not_ready = !ready;
    }

    /// Requests whose signature verified, as (method, path).
    pub fn accepted(&self) -> Vec<(String, String)> {
        self.fake.books().accepted.clone()
    }

    /// Paths of the requests refused for their signature.
    pub fn refused(&self) -> Vec<String> {
        self.fake.books().refused.clone()
    }

    /// A prepay request as received.
    pub fn prepay(&self, reference: &str) -> api::Prepay {
        self.fake.books().orders.get(reference).expect("order at WeChat Pay").0.clone()
    }

    /// Refunds made, by `out_refund_no`: (out_trade_no, refund, total).
    pub fn refunds(&self) -> Vec<(String, String, i64, i64)> {
        let mut v: Vec<_> = self
            .fake
            .books()
            .refunds
            .values()
            .map(|r| (r.out_refund_no.clone(), r.out_trade_no.clone(), r.amount.refund, r.amount.total))
            .collect();
        v.sort();
        v
    }

    /// The payer pays `reference`; the callback is returned, not sent.
    pub fn pay_silently(&self, reference: &str) -> Callback {
        let t = {
            let mut books = self.fake.books();
            books.next_txn += 1;
            let txn = format!("42000000{:020}", books.next_txn);
            let (_, t) = books.orders.get_mut(reference).expect("order at WeChat Pay");
            t.trade_state = "SUCCESS".into();
            t.trade_state_desc = "支付成功".into();
            t.transaction_id = Some(txn);
            t.success_time = Some("2026-12-07T10:00:00+08:00".into());
            t.clone()
        };
        self.fake.callback("TRANSACTION.SUCCESS", "transaction", &t)
    }

    /// The payer pays `reference` and the callback is sent; returns it and our server's answer.
    pub async fn pay(&self, reference: &str) -> (Callback, u16, String) {
        let c = self.pay_silently(reference);
        let (status, body) = self.deliver(&c).await;
        (c, status, body)
    }

    /// Finishes every processing refund as `SUCCESS`; their callbacks are returned, not sent.
    pub fn finish_refunds(&self) -> Vec<Callback> {
        let done: Vec<api::Refund> = {
            let mut books = self.fake.books();
            let mut done = Vec::new();
            for r in books.refunds.values_mut().filter(|r| r.state() == "PROCESSING") {
                r.status = Some("SUCCESS".into());
                let mut resource = r.clone();
                resource.refund_status = resource.status.take();
                done.push(resource);
            }
            done
        };
        done.iter().map(|r| self.fake.callback("REFUND.SUCCESS", "refund", r)).collect()
    }

    /// Sends a callback to the app: our server's status and body.
    pub async fn deliver(&self, c: &Callback) -> (u16, String) {
        let base = self.fake.books().callback_base.clone();
        let mut r = reqwest::Client::new().post(format!("{base}/api/v1/payments/webhooks/wechatpay"));
        for (k, v) in &c.headers {
            r = r.header(k, v);
        }
        let answer = r.body(c.body.clone()).send().await.expect("callback sent");
        let status = answer.status().as_u16();
        (status, answer.text().await.unwrap_or_default())
    }
}

/// A fake and a server paying through it (its refunds and queries not run by the background
/// worker: the tests run `payments_tick`), sharing the server's manual clock. The fake starts
/// first, on a clock of its own, because the server needs its address.
pub async fn pair() -> (FakeWechatPay, crate::harness::TestApp) {
    let fake = FakeWechatPay::start(Arc::new(ManualClock::new(lokal_core::Timestamp::from_millis(0)))).await;
    let settings = fake.settings();
    let app = crate::harness::TestApp::spawn_config(|c| {
        c.wechatpay = settings;
        c.payments.worker_interval_secs = 3_600;
    })
    .await;
    fake.send_callbacks_to(&app.base);
    fake.use_clock(app.clock.clone());
    (fake, app)
}
