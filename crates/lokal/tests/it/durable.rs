//! Money that survives failures (issue K): refunds are written pending and carried out outside
//! any transaction, retried until the provider answers and posted once; the sandbox's
//! confirmations are durable; overdue payments are asked about at their provider. "A restart" is
//! a new `App` over the same database: it has none of the first one's memory or tasks.

use crate::commerce::{assert_ledger_holds, buy, create_deal, shop};
use crate::harness::TestApp;
use lokal_app::App;
use lokal_app::payments::{
    BoxFuture, GatewayEvent, Headers, Intent, IntentRequest, PaymentGateway, PaymentSettings, PaymentState,
    RefundRequest, RefundState, Sandbox, Unreachable,
};
use lokal_core::Timestamp;
use serde_json::json;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const SECRET: &str = "durable-test-secret";

/// Payment settings for these tests: a known sandbox secret (so a restarted app verifies what
/// the first one signs) and a worker that does not run on its own during the test.
fn settings(delay_ms: u64) -> PaymentSettings {
    PaymentSettings {
        provider: "sandbox".into(),
        sandbox_secret: SECRET.into(),
        sandbox_delay_ms: delay_ms,
        worker_interval_secs: 3_600,
        ..Default::default()
    }
}

async fn spawn() -> TestApp {
    TestApp::spawn_config(|c| c.payments = settings(0)).await
}

/// A restart: a new app over the same database and clock.
fn restarted(app: &TestApp, delay_ms: u64) -> App {
    App::new(app.app.db().clone(), app.clock.clone(), app.app.auth_settings().clone()).with_payments(settings(delay_ms))
}

/// The sandbox as a provider with faults: it refuses the next `fail` refund calls before doing
/// anything, and does the next `lose` ones but loses its answer (as a crash or a timeout after
/// the provider acted would). It keeps the refunds it made by refund id, as a provider's
/// idempotency does, and counts the calls.
struct Faulty {
    sandbox: Sandbox,
    fail: AtomicUsize,
    lose: AtomicUsize,
    calls: AtomicUsize,
    made: Mutex<HashMap<String, i64>>,
}

impl Faulty {
    fn new(app: &TestApp) -> Arc<Faulty> {
        Arc::new(Faulty {
            sandbox: Sandbox::new(SECRET.as_bytes(), 300, Some(app.app.db().clone())),
            fail: AtomicUsize::new(0),
            lose: AtomicUsize::new(0),
            calls: AtomicUsize::new(0),
            made: Mutex::default(),
        })
    }

    fn made(&self) -> Vec<(String, i64)> {
        let mut v: Vec<_> = self.made.lock().expect("made").iter().map(|(k, v)| (k.clone(), *v)).collect();
        v.sort();
        v
    }
}

fn take(n: &AtomicUsize) -> bool {
    n.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |v| v.checked_sub(1)).is_ok()
}

impl PaymentGateway for Faulty {
    fn name(&self) -> &'static str {
        "sandbox"
    }
    fn create_intent(&self, request: IntentRequest) -> BoxFuture<'_, Result<Intent, lokal_app::AppError>> {
        self.sandbox.create_intent(request)
    }
    fn verify_webhook(&self, h: &Headers, body: &[u8], now: Timestamp) -> Result<GatewayEvent, lokal_app::AppError> {
        self.sandbox.verify_webhook(h, body, now)
    }
    fn query_payment<'a>(&'a self, r: &'a str) -> BoxFuture<'a, Result<PaymentState, Unreachable>> {
        self.sandbox.query_payment(r)
    }
    fn close<'a>(&'a self, r: &'a str) -> BoxFuture<'a, Result<(), Unreachable>> {
        self.sandbox.close(r)
    }
    fn refund<'a>(&'a self, request: &'a RefundRequest) -> BoxFuture<'a, Result<RefundState, Unreachable>> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            if take(&self.fail) {
                return Err(Unreachable("connection refused".into()));
            }
            assert!(request.amount <= request.total, "a refund within the payment");
            self.made.lock().expect("made").entry(request.refund_id.clone()).or_insert(request.amount);
            if take(&self.lose) {
                return Err(Unreachable("timed out".into()));
            }
            Ok(RefundState::Succeeded { provider_ref: format!("sbr_{}", request.refund_id) })
        })
    }
    fn query_refund<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<RefundState, Unreachable>> {
        self.sandbox.query_refund(id)
    }
    fn bill<'a>(&'a self, date: &'a str) -> BoxFuture<'a, Result<Vec<lokal_core::reconcile::Line>, Unreachable>> {
        self.sandbox.bill(date)
    }
}

async fn principal(app: &TestApp, token: &str) -> lokal_core::Principal {
    app.app.authenticate(token).await.expect("authenticate").expect("a live session").principal
}

async fn count(app: &TestApp, sql: &'static str, arg: &str) -> i64 {
    use sqlx::Row;
    let row = sqlx::query(sql).bind(arg).fetch_one(app.app.db().pool()).await.expect("count");
    row.try_get::<i64, _>("n").expect("n")
}

async fn refund_entries(app: &TestApp, refund: &str) -> i64 {
    count(app, "SELECT COUNT(*) AS n FROM journal_entries WHERE kind = 'refund' AND ref_id = $1", refund).await
}

/// A provider that cannot be reached takes nothing from the buyer's refund: it waits, pending and
/// not on the books, and is tried again with backoff — also by a restarted server — until the
/// provider takes it; then it is posted once.
#[tokio::test]
async fn a_refund_the_provider_cannot_take_waits_is_retried_with_backoff_and_is_posted_once() {
    let app = spawn().await;
    let s = shop(&app, "RetrySpa").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("patient@test.lokal").await;
    let order = buy(&app, &deal, &me, 2).await;
    let id = order["id"].as_str().expect("order");
    let faulty = Faulty::new(&app);
    faulty.fail.store(2, Ordering::SeqCst);
    let first = app.app.clone().with_gateway(faulty.clone());
    let caller = principal(&app, &me).await;
    let done = first.refund_order(&caller, id.parse().expect("id"), None, "changed my mind").await.expect("refund");
    // The vouchers are given up at once; the money is on its way.
    assert_eq!(done.status, lokal_core::RefundStatus::Pending);
    assert_eq!(refund_entries(&app, &done.id).await, 0, "not on the books before the provider took it");
    let after = app.get(&format!("/api/v1/orders/{id}"), Some(&me)).await.json();
    assert!(after["vouchers"].as_array().expect("vouchers").iter().all(|v| v["status"] == "refunded"), "{after}");
    // Not due before the backoff (10 s after the first failure).
    assert_eq!(first.payments_tick().await.expect("tick").refunds, 0);
    app.clock.advance_secs(10);
    // The server restarts: the second try fails too, the third (20 s later) goes through.
    let second = restarted(&app, 0).with_gateway(faulty.clone());
    assert_eq!(second.payments_tick().await.expect("tick").refunds, 1);
    assert_eq!(faulty.calls.load(Ordering::SeqCst), 2);
    assert_eq!(refund_entries(&app, &done.id).await, 0);
    app.clock.advance_secs(19);
    assert_eq!(second.payments_tick().await.expect("tick").refunds, 0, "the second backoff is 20 s");
    app.clock.advance_secs(1);
    assert_eq!(second.payments_tick().await.expect("tick").refunds, 1);
    assert_eq!(faulty.made(), vec![(done.id.clone(), done.amount)]);
    assert_eq!(refund_entries(&app, &done.id).await, 1);
    // Nothing is left to do, and nothing is done twice.
    app.clock.advance_secs(7_200);
    assert_eq!(second.payments_tick().await.expect("tick").refunds, 0);
    assert_eq!(faulty.calls.load(Ordering::SeqCst), 3);
    assert_eq!(refund_entries(&app, &done.id).await, 1);
    assert_ledger_holds(&app).await;
}

/// The provider made the refund but its answer was lost (a crash or a timeout right after):
/// the next try asks again with the same refund id, the provider recognises it, and the money
/// goes back once and is posted once.
#[tokio::test]
async fn a_refund_whose_answer_was_lost_is_asked_again_under_the_same_key_and_made_once() {
    let app = spawn().await;
    let s = shop(&app, "LostAnswer").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("lost@test.lokal").await;
    let order = buy(&app, &deal, &me, 3).await;
    let id: lokal_core::OrderId = order["id"].as_str().expect("order").parse().expect("id");
    let faulty = Faulty::new(&app);
    faulty.lose.store(1, Ordering::SeqCst);
    let caller = principal(&app, &me).await;
    let first = app.app.clone().with_gateway(faulty.clone());
    let one = order["vouchers"][0]["id"].as_str().expect("voucher").parse().expect("voucher id");
    let done = first.refund_order(&caller, id, Some(vec![one]), "").await.expect("refund");
    assert_eq!(done.status, lokal_core::RefundStatus::Pending);
    assert_eq!(faulty.made().len(), 1, "the provider made it");
    assert_eq!(refund_entries(&app, &done.id).await, 0, "we did not hear so");
    app.clock.advance_secs(10);
    let second = restarted(&app, 0).with_gateway(faulty.clone());
    second.payments_tick().await.expect("tick");
    assert_eq!(faulty.made(), vec![(done.id.clone(), done.amount)], "one refund at the provider");
    assert_eq!(refund_entries(&app, &done.id).await, 1);
    // The same vouchers cannot be refunded again; the others still can, separately.
    let again = second.refund_order(&caller, id, Some(vec![one]), "").await.expect_err("refunded already");
    assert_eq!(again.code, lokal_core::ErrorCode::NotRefundable);
    let rest = second.refund_order(&caller, id, None, "").await.expect("the other two");
    assert_eq!((rest.status, rest.vouchers.len()), (lokal_core::RefundStatus::Succeeded, 2));
    assert_eq!(faulty.made().len(), 2);
    assert_ledger_holds(&app).await;
}

async fn order_and_pay_start(app: &TestApp, deal: &str, token: &str) -> (String, String) {
    let o = app.post_keyed(&format!("/api/v1/deals/{deal}/orders"), &json!({"quantity": 1}), token, "o").await;
    assert_eq!(o.status, 201, "{}", o.text);
    let order = o.json()["id"].as_str().expect("order").to_owned();
    let p = app.post_keyed(&format!("/api/v1/orders/{order}/payments"), &json!({}), token, "p").await;
    assert_eq!(p.status, 201, "{}", p.text);
    (order, p.json()["payment"]["provider_ref"].as_str().expect("ref").to_owned())
}

/// The payer paid on the sandbox's page; the server died during the sandbox's delay. The choice
/// was kept: after the restart the worker delivers the signed confirmation, the order is paid
/// with its voucher, and a second delivery changes nothing.
#[tokio::test]
async fn a_sandbox_confirmation_outlives_a_crash_during_its_delay() {
    let app = spawn().await;
    let s = shop(&app, "SlowSandbox").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("slow@test.lokal").await;
    let (order, reference) = order_and_pay_start(&app, &deal, &me).await;
    // A sandbox whose confirmation comes in a minute; the process "dies" before then.
    let dying = restarted(&app, 60_000);
    dying.sandbox_complete(&reference, true).await.expect("choice recorded");
    drop(dying);
    let again = restarted(&app, 60_000).sandbox_complete(&reference, false).await.expect_err("chosen once");
    assert_eq!(again.code, lokal_core::ErrorCode::Conflict);
    let o = app.get(&format!("/api/v1/orders/{order}"), Some(&me)).await.json();
    assert_eq!(o["status"], "pending");
    let back = restarted(&app, 60_000);
    assert_eq!(back.payments_tick().await.expect("tick").confirmations, 0, "not due yet");
    app.clock.advance_secs(60);
    assert_eq!(back.payments_tick().await.expect("tick").confirmations, 1);
    let o = app.get(&format!("/api/v1/orders/{order}"), Some(&me)).await.json();
    assert_eq!((o["status"].as_str(), o["vouchers"].as_array().map(Vec::len)), (Some("paid"), Some(1)), "{o}");
    assert_eq!(back.payments_tick().await.expect("tick").confirmations, 0, "acknowledged");
    let vouchers = count(&app, "SELECT COUNT(*) AS n FROM vouchers WHERE order_id = $1", &order).await;
    assert_eq!(vouchers, 1);
    assert_ledger_holds(&app).await;
}

/// No notification came (the provider's, here the sandbox's, is late by ten minutes): once a
/// payment is `query_after_secs` old, the worker asks the provider, which says it was paid, and
/// the order is paid as the notification would have done. The late notification is then
/// acknowledged and changes nothing.
#[tokio::test]
async fn a_payment_whose_notification_is_overdue_is_asked_about_and_settled_once() {
    let app = spawn().await;
    let s = shop(&app, "Overdue").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("overdue@test.lokal").await;
    let (order, reference) = order_and_pay_start(&app, &deal, &me).await;
    let late = restarted(&app, 600_000);
    late.sandbox_complete(&reference, true).await.expect("choice recorded");
    app.clock.advance_secs(119);
    assert_eq!(late.payments_tick().await.expect("tick").recovered, 0, "not overdue yet");
    app.clock.advance_secs(1);
    assert_eq!(late.payments_tick().await.expect("tick").recovered, 1);
    let o = app.get(&format!("/api/v1/orders/{order}"), Some(&me)).await.json();
    assert_eq!((o["status"].as_str(), o["vouchers"].as_array().map(Vec::len)), (Some("paid"), Some(1)), "{o}");
    app.clock.advance_secs(600);
    let t = late.payments_tick().await.expect("tick");
    assert_eq!((t.confirmations, t.recovered), (1, 0), "the late notification is acknowledged");
    let vouchers = count(&app, "SELECT COUNT(*) AS n FROM vouchers WHERE order_id = $1", &order).await;
    assert_eq!(vouchers, 1);
    assert_ledger_holds(&app).await;
}

/// An order not paid in time is cancelled and its payment closed at the provider: the payer can
/// no longer pay it on the provider's page, and the payment ends `failed` when it is asked about.
#[tokio::test]
async fn an_expired_orders_payment_is_closed_at_the_provider() {
    let app = spawn().await;
    let s = shop(&app, "Closing").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("toolate@test.lokal").await;
    let (order, reference) = order_and_pay_start(&app, &deal, &me).await;
    app.clock.advance_secs(16 * 60);
    assert_eq!(app.app.commerce_tick().await.expect("tick").cancelled_orders, 1);
    let pay = app.post(&format!("/api/v1/sandbox/payments/{reference}"), &json!({"outcome": "succeed"}), None).await;
    assert_eq!(pay.status, 409, "{}", pay.text);
    assert_eq!(app.app.payments_tick().await.expect("tick").recovered, 1);
    let o = app.get(&format!("/api/v1/orders/{order}"), Some(&me)).await.json();
    assert_eq!((o["status"].as_str(), o["payments"][0]["status"].as_str()), (Some("cancelled"), Some("failed")), "{o}");
    assert_ledger_holds(&app).await;
}
