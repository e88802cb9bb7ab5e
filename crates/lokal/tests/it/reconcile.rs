//! Reconciliation (issue K): the fake WeChat Pay's bill for a day, with each kind of difference
//! put into it, against our books; the operators' list and its resolution; the day's fees on
//! the ledger once; `lokal reconcile`; the daily job after 10:00 Beijing time.

use crate::commerce::{assert_ledger_holds, buy, create_deal, shop};
use crate::fake_wechatpay::{FakeWechatPay, pair};
use crate::harness::TestApp;
use serde_json::{Value, json};

/// Orders two units of `deal` and starts paying them with WeChat Pay: (order id, reference).
async fn start(app: &TestApp, deal: &str, token: &str) -> (String, String) {
    let key = uuid::Uuid::now_v7().to_string();
    let o = app.post_keyed(&format!("/api/v1/deals/{deal}/orders"), &json!({"quantity": 2}), token, &key).await;
    let order = o.json()["id"].as_str().expect("order").to_owned();
    let p = app
        .post_keyed(
            &format!("/api/v1/orders/{order}/payments"),
            &json!({"provider": "wechatpay"}),
            token,
            &format!("{key}p"),
        )
        .await;
    assert_eq!(p.status, 201, "{}", p.text);
    (order, p.json()["payment"]["provider_ref"].as_str().expect("ref").to_owned())
}

fn today(app: &TestApp) -> String {
    lokal_app::reconciliation::beijing_date(app.app.now())
}

fn differences(r: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = r["differences"]
        .as_array()
        .expect("differences")
        .iter()
        .map(|d| (d["difference"].as_str().unwrap_or("").to_owned(), d["reference"].as_str().unwrap_or("").to_owned()))
        .collect();
    v.sort();
    v
}

async fn fees_posted(app: &TestApp, date: &str) -> i64 {
    lokal_store::ledger::entry_amount(app.app.db().pool(), "fee", &format!("wechatpay:{date}"), "platform:costs")
        .await
        .expect("fees")
}

/// A day with a payment and its part refund that agree, and one line of each kind of
/// difference: an amount the bill changed, a payment WeChat Pay has and we never heard of being
/// paid, a line we do not know at all, and a payment the bill leaves out. Each is listed once;
/// an operator resolves one with a note and it stays resolved when the day is run again; the
/// day's fees are posted once.
#[tokio::test]
async fn each_kind_of_difference_is_found_listed_until_resolved_and_fees_are_posted_once() {
    let (fake, app) = pair().await;
    let s = shop(&app, "Reconciled").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("recon@test.lokal").await;
    let mut refs = Vec::new();
    for _ in 0..4 {
        let (order, r) = start(&app, &deal, &me).await;
        refs.push((order, r));
    }
    let (agree, altered, dropped) = (&refs[0], &refs[1], &refs[2]);
    for (_, r) in [agree, altered, dropped] {
        assert_eq!(fake.pay(r).await.1, 204);
    }
    let silent = &refs[3].1;
    let _never_delivered = fake.pay_silently(silent);
    // A part refund of the first order, finished by its callback.
    let o = app.get(&format!("/api/v1/orders/{}", agree.0), Some(&me)).await.json();
    let one = o["vouchers"][0]["id"].as_str().expect("voucher").to_owned();
    let body = json!({"voucher_ids": [one]});
    let refund = app.post_keyed(&format!("/api/v1/orders/{}/refunds", agree.0), &body, &me, "rf").await.json();
    for c in fake.finish_refunds() {
        assert_eq!(fake.deliver(&c).await.0, 204);
    }
    let (altered_ref, dropped_ref) = (altered.1.clone(), dropped.1.clone());
    fake.edit_bill(move |rows| {
        rows.retain(|r| r.out_trade_no != dropped_ref);
        for r in rows.iter_mut().filter(|r| r.out_trade_no == altered_ref) {
            r.order_amount += 1;
        }
        rows.push(lokal_pay::wechatpay_bill::Row {
            time: "2026-12-07 12:00:00".into(),
            transaction_id: "4200000000999".into(),
            out_trade_no: "unknown0000000000000000000000001".into(),
            trade_state: "SUCCESS".into(),
            order_amount: 990,
            fee_e5: 5940,
            ..Default::default()
        });
    });

    let admin = app.admin().await;
    let date = today(&app);
    let run =
        app.post("/api/v1/admin/reconciliations", &json!({"provider": "wechatpay", "date": date}), Some(&admin)).await;
    assert_eq!(run.status, 200, "{}", run.text);
    let run = run.json();
    let expected = vec![
        ("amount_mismatch".to_owned(), altered.1.clone()),
        ("missing_at_provider".to_owned(), dropped.1.clone()),
        ("missing_in_lokal".to_owned(), "unknown0000000000000000000000001".to_owned()),
        ("status_mismatch".to_owned(), silent.clone()),
    ];
    assert_eq!(differences(&run), expected, "{run}");
    let r = &run["reconciliation"];
    assert_eq!(
        (r["lines"].as_i64(), r["matched"].as_i64(), r["differences"].as_i64()),
        (Some(5), Some(2), Some(4)),
        "{r}"
    );
    let fees = r["fees"]["amount"].as_i64().expect("fees");
    assert!(fees > 0);
    assert_eq!(fees_posted(&app, &date).await, fees);
    assert_eq!(refund["status"], "processing");

    // The operators' list; one is resolved.
    let open = app.get("/api/v1/admin/reconciliation-differences", Some(&admin)).await.json();
    let items = open["items"].as_array().expect("items");
    assert_eq!(items.len(), 4);
    let unknown = items.iter().find(|i| i["difference"] == "missing_in_lokal").expect("unknown line");
    let path = format!("/api/v1/admin/reconciliation-differences/{}/resolve", unknown["id"].as_str().expect("id"));
    let (me_too, _) = app.user("not-an-operator@test.lokal").await;
    assert_eq!(app.post(&path, &json!({"note": "x"}), Some(&me_too)).await.status, 403);
    assert_eq!(app.post(&path, &json!({"note": ""}), Some(&admin)).await.status, 422);
    assert_eq!(app.post(&path, &json!({"note": "a test payment made at the counter"}), Some(&admin)).await.status, 204);
    assert_eq!(app.post(&path, &json!({"note": "again"}), Some(&admin)).await.status, 404);
    let open = app.get("/api/v1/admin/reconciliation-differences", Some(&admin)).await.json();
    assert_eq!(open["items"].as_array().map(Vec::len), Some(3));

    // Run again: the same open differences, the resolved one stays resolved, fees not doubled.
    let again = app
        .post("/api/v1/admin/reconciliations", &json!({"provider": "wechatpay", "date": date}), Some(&admin))
        .await
        .json();
    assert_eq!(differences(&again), expected);
    let resolved = again["differences"].as_array().expect("d").iter().filter(|d| !d["resolved_at"].is_null()).count();
    assert_eq!(resolved, 1);
    assert_eq!(fees_posted(&app, &date).await, fees);
    assert_ledger_holds(&app).await;

    // The command line says the same, and exits 1 while differences are open.
    // Run off the test's thread: the fake answering it lives on that thread.
    let mut cmd = crate::cli::lokal();
    cmd.args(["reconcile", "--date", &date, "--provider", "wechatpay", "--database-url", &app.database_url]);
    cmd.envs(fake_env(&fake));
    let out = tokio::task::spawn_blocking(move || cmd.output()).await.expect("joined").expect("lokal reconcile");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        text.contains("4 differences") && text.contains(&format!("amount_mismatch payment {}", altered.1)),
        "{text}"
    );
}

/// The fake's `[wechatpay]` as environment variables, for the command line.
fn fake_env(fake: &FakeWechatPay) -> Vec<(String, String)> {
    let s = fake.settings();
    [
        ("MCHID", s.mchid),
        ("APPID", s.appid),
        ("MERCHANT_KEY_PATH", s.merchant_key_path),
        ("MERCHANT_SERIAL_NO", s.merchant_serial_no),
        ("PLATFORM_PUBLIC_KEY_PATH", s.platform_public_key_path),
        ("PLATFORM_PUBLIC_KEY_ID", s.platform_public_key_id),
        ("API_V3_KEY", s.api_v3_key),
        ("NOTIFY_URL", s.notify_url),
        ("API_BASE", s.api_base),
    ]
    .into_iter()
    .map(|(k, v)| (format!("LOKAL_WECHATPAY_{k}"), v))
    .collect()
}

/// The daily job reconciles yesterday once it is past 10:00 in Beijing — each configured
/// provider, the sandbox too — and not again; a bill not made yet is a failed run, tried again
/// after 30 minutes.
#[tokio::test]
async fn the_daily_job_reconciles_yesterday_after_ten_and_retries_a_bill_not_ready() {
    let (fake, app) = pair().await;
    let s = shop(&app, "Nightly").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("nightly@test.lokal").await;
    buy(&app, &deal, &me, 1).await;
    let (_, r) = start(&app, &deal, &me).await;
    assert_eq!(fake.pay(&r).await.1, 204);
    let day = today(&app);
    // To 09:30 tomorrow, Beijing time: too early.
    let now = app.app.now().millis() / 1000;
    let beijing_midnight = (now + 8 * 3600).div_euclid(86_400) * 86_400 - 8 * 3600;
    app.clock.advance_secs(beijing_midnight + 86_400 + 9 * 3600 + 1800 - now);
    assert_eq!(app.app.commerce_tick().await.expect("tick").reconciled, 0);
    fake.bill_ready(false);
    app.clock.advance_secs(3600);
    assert_eq!(app.app.commerce_tick().await.expect("tick").reconciled, 1, "the sandbox's; WeChat Pay's is not ready");
    let admin = app.admin().await;
    let runs = app.get("/api/v1/admin/reconciliations", Some(&admin)).await.json();
    let status = |runs: &Value, p: &str| {
        runs["items"]
            .as_array()
            .expect("runs")
            .iter()
            .find(|r| r["provider"] == p)
            .map(|r| (r["date"].clone(), r["status"].clone()))
    };
    assert_eq!(status(&runs, "sandbox"), Some((json!(day), json!("done"))), "{runs}");
    assert_eq!(status(&runs, "wechatpay"), Some((json!(day), json!("failed"))), "{runs}");
    fake.bill_ready(true);
    assert_eq!(app.app.commerce_tick().await.expect("tick").reconciled, 0, "not within 30 minutes");
    app.clock.advance_secs(1800);
    assert_eq!(app.app.commerce_tick().await.expect("tick").reconciled, 1);
    let runs = app.get("/api/v1/admin/reconciliations", Some(&admin)).await.json();
    assert_eq!(status(&runs, "wechatpay"), Some((json!(day), json!("done"))));
    let clean = runs["items"].as_array().expect("runs").iter().all(|r| r["differences"] == 0);
    assert!(clean, "both days agree: {runs}");
    assert_eq!(app.app.commerce_tick().await.expect("tick").reconciled, 0, "once a day");
}

/// The operators' page: a day is run from its form, the differences are listed in the
/// operator's language with both sides, and one is resolved from its row; others get 403.
#[tokio::test]
async fn operators_run_a_day_and_resolve_a_difference_on_the_reconciliation_page() {
    let (fake, app) = pair().await;
    let s = shop(&app, "ReconPage").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("recon-page@test.lokal").await;
    let (_, r) = start(&app, &deal, &me).await;
    assert_eq!(fake.pay(&r).await.1, 204);
    let dropped = r.clone();
    fake.edit_bill(move |rows| rows.retain(|row| row.out_trade_no != dropped));
    app.admin().await;
    let (c, csrf) = crate::web::logged_in_client(&app, "root@test.lokal", "admin password").await;
    let page = |c: &reqwest::Client| {
        let url = format!("{}/admin/reconciliation", app.base);
        let c = c.clone();
        async move { c.get(url).header("Accept-Language", "zh-CN").send().await.expect("page").text().await.expect("html") }
    };
    let before = page(&c).await;
    assert!(before.contains("对账") && before.contains("data-testid=\"recon-none\""), "{before}");
    // A day with no trade at the provider at all would be empty; ours has one it lacks.
    let form = [("csrf_token", csrf.as_str()), ("provider", "wechatpay"), ("date", &today(&app))];
    let ran = c.post(format!("{}/admin/reconciliation", app.base)).form(&form).send().await.expect("run");
    assert_eq!(ran.status().as_u16(), 303);
    let after = page(&c).await;
    assert!(after.contains("账单无此记录") && after.contains(&r), "{after}");
    let id = after.split("/admin/reconciliation/").nth(1).and_then(|s| s.split('/').next()).expect("resolve form");
    let note = [("csrf_token", csrf.as_str()), ("note", "补单：微信支付已确认收款")];
    let done =
        c.post(format!("{}/admin/reconciliation/{id}/resolve", app.base)).form(&note).send().await.expect("resolve");
    assert_eq!(done.status().as_u16(), 303);
    assert!(page(&c).await.contains("data-testid=\"recon-none\""));
    let (stranger, _) = crate::web::logged_in_client(&app, "recon-page@test.lokal", "correct horse").await;
    let refused = stranger.get(format!("{}/admin/reconciliation", app.base)).send().await.expect("page");
    assert_eq!(refused.status().as_u16(), 403);
}

/// A day to come cannot be reconciled (422 naming `date`), nor a date that is not one.
#[tokio::test]
async fn a_day_to_come_or_not_a_date_is_refused() {
    let (_fake, app) = pair().await;
    let admin = app.admin().await;
    let tomorrow = lokal_app::reconciliation::beijing_date(app.app.now().plus_secs(2 * 86_400));
    for date in [tomorrow.as_str(), "2026-02-30", "yesterday"] {
        let r = app
            .post("/api/v1/admin/reconciliations", &json!({"provider": "wechatpay", "date": date}), Some(&admin))
            .await;
        assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("date")), "{date}: {}", r.text);
    }
}
