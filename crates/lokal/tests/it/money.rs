//! Money at scale and over time: a flash sale to a crowd, expiries kept by the merchant on the
//! statement, a declining sandbox, and the demo city's four weeks of history.

use crate::commerce::{assert_ledger_holds, buy, create_deal, crowd, rfc3339, shop};
use crate::harness::{TestApp, join_all};
use serde_json::json;

#[tokio::test]
async fn a_flash_sale_of_100_units_to_2000_concurrent_buyers_sells_exactly_100() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Flashy").await;
    let extra = json!({"title": "秒杀 1-yuan hotpot", "price": 100, "stock": 100, "per_user_limit": 1, "flash_sale": true,
        "sale_starts_at": rfc3339(&app, 60)});
    let deal = create_deal(&app, &s, extra).await;
    let buyers = crowd(&app, 2000).await;
    let path = format!("/api/v1/deals/{deal}/orders");
    let early = app.post_keyed(&path, &json!({"quantity": 1}), &buyers[0], "early").await;
    assert_eq!(early.code(), "not_on_sale", "not before the start");
    app.clock.advance_secs(61);

    // Everyone at once; one in ten presses twice (a double tap) with different keys.
    let one = json!({"quantity": 1});
    let keys: Vec<(usize, String)> = (0..buyers.len() + 200).map(|i| (i % buyers.len(), format!("tap-{i}"))).collect();
    let results = join_all(keys.iter().map(|(b, key)| app.post_keyed(&path, &one, &buyers[*b], key))).await;
    let server_errors: Vec<(u16, String)> =
        results.iter().filter(|r| r.status >= 500).map(|r| (r.status, r.code())).collect();
    assert!(server_errors.is_empty(), "no 5xx: {} of them, e.g. {:?}", server_errors.len(), server_errors.first());
    let won: Vec<&crate::harness::Resp> = results.iter().filter(|r| r.status == 201).collect();
    assert_eq!(won.len(), 100, "exactly the stock is sold");
    let codes: std::collections::HashSet<String> =
        results.iter().filter(|r| r.status != 201).map(|r| r.code()).collect();
    assert!(codes.iter().all(|c| c == "sold_out" || c == "purchase_limit_reached"), "{codes:?}");
    let winners: std::collections::HashSet<usize> =
        keys.iter().zip(&results).filter(|(_, r)| r.status == 201).map(|((b, _), _)| *b).collect();
    assert_eq!(winners.len(), 100, "nobody holds two units");

    // The winners pay, all at once.
    let orders: Vec<(String, &String)> = keys
        .iter()
        .zip(&results)
        .filter(|(_, r)| r.status == 201)
        .map(|((b, _), r)| (r.json()["id"].as_str().unwrap_or("").to_owned(), &buyers[*b]))
        .collect();
    let empty = json!({});
    let pay_paths: Vec<String> = orders.iter().map(|(o, _)| format!("/api/v1/orders/{o}/payments")).collect();
    let pay_keys: Vec<String> = orders.iter().map(|(o, _)| format!("pay-{o}")).collect();
    let pays =
        join_all(orders.iter().zip(&pay_paths).zip(&pay_keys).map(|(((_, t), p), k)| app.post_keyed(p, &empty, t, k)))
            .await;
    let refs: Vec<String> =
        pays.iter().map(|p| p.json()["payment"]["provider_ref"].as_str().unwrap_or("").to_owned()).collect();
    let done_paths: Vec<String> = refs.iter().map(|r| format!("/api/v1/sandbox/payments/{r}")).collect();
    let succeed = json!({"outcome": "succeed"});
    let done = join_all(done_paths.iter().map(|p| app.post(p, &succeed, None))).await;
    assert!(done.iter().all(|r| r.status == 202), "{:?}", done.iter().map(|r| r.code()).collect::<Vec<_>>());
    let mut paid = 0;
    for (o, t) in &orders {
        paid += usize::from(app.get(&format!("/api/v1/orders/{o}"), Some(t)).await.json()["status"] == "paid");
    }
    assert_eq!(paid, 100);
    assert_eq!(app.get(&format!("/api/v1/deals/{deal}"), None).await.json()["stock_left"], 0);
    assert_ledger_holds(&app).await;
}

#[tokio::test]
async fn without_automatic_refund_an_expired_voucher_goes_to_the_merchant_and_shows_on_the_statement() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Kept").await;
    let extra = json!({"auto_refund_on_expiry": false, "valid_until": rfc3339(&app, 8 * 86_400)});
    let deal = create_deal(&app, &s, extra).await;
    let (me, _) = app.user("forgetful@test.lokal").await;
    let order = buy(&app, &deal, &me, 1).await;
    app.clock.advance_secs(9 * 86_400);
    assert_eq!(app.app.commerce_tick().await.expect("tick").expired_vouchers, 1);
    let after = app.get(&format!("/api/v1/orders/{}", order["id"].as_str().expect("id")), Some(&me)).await.json();
    assert_eq!(after["vouchers"][0]["status"], "expired");
    let bal = app.get(&format!("/api/v1/merchants/{}/balance", s.merchant), Some(&s.owner)).await.json();
    assert_eq!(bal["payable"]["amount"], 9900 - 792);
    let today = app.app.now().plus_secs(8 * 3600).to_rfc3339()[..10].to_owned();
    let csv = app.get(&format!("/api/v1/merchants/{}/statement?date={today}", s.merchant), Some(&s.owner)).await.text;
    assert!(csv.lines().nth(1).is_some_and(|l| l.contains(",expiry,") && l.ends_with(",99.00,7.92,91.08")), "{csv}");
    assert_ledger_holds(&app).await;
}

#[tokio::test]
async fn the_demo_city_has_four_weeks_of_history_and_its_ledger_holds() {
    let app = TestApp::spawn().await;
    assert!(lokal::demo::seed(&app.app, lokal::demo::CityOptions::default()).await.expect("seed"));
    assert_ledger_holds(&app).await;
    let pool = app.app.db().pool();
    let count = |sql: &'static str| async move {
        let row = sqlx::query(sql).fetch_one(pool).await.expect("count");
        sqlx::Row::try_get::<i64, _>(&row, "n").expect("n")
    };
    assert!(count("SELECT COUNT(*) AS n FROM orders WHERE status = 'paid'").await > 100);
    assert!(count("SELECT COUNT(*) AS n FROM orders WHERE status = 'cancelled'").await > 0, "declined payments");
    assert!(count("SELECT COUNT(*) AS n FROM redemptions").await > 100);
    assert!(count("SELECT COUNT(*) AS n FROM vouchers WHERE status = 'refunded'").await > 0);
    assert!(count("SELECT COUNT(*) AS n FROM journal_entries WHERE kind = 'payout'").await > 0);
    // The demo clerk redeemed the hotpot vouchers at her store; the owner sees a balance.
    let owner = app.login("owner@demo.lokal", "lokal-demo").await.json()["token"].as_str().expect("token").to_owned();
    let me = app.get("/api/v1/me", Some(&owner)).await.json();
    let merchant = me["grants"][0]["merchant_id"].as_str().expect("merchant").to_owned();
    let bal = app.get(&format!("/api/v1/merchants/{merchant}/balance"), Some(&owner)).await.json();
    assert!(bal["payable"]["amount"].as_i64() > Some(0), "{bal}");
}

#[tokio::test]
async fn the_sandbox_can_be_told_to_decline_and_a_capture_after_a_failure_still_counts() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Declined").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("unlucky@test.lokal").await;
    let o = app.post_keyed(&format!("/api/v1/deals/{deal}/orders"), &json!({"quantity": 1}), &me, "o").await.json();
    let id = o["id"].as_str().expect("id");
    let p = app.post_keyed(&format!("/api/v1/orders/{id}/payments"), &json!({}), &me, "p1").await.json();
    let reference = p["payment"]["provider_ref"].as_str().expect("ref");
    let declining = app.app.clone().with_payments(lokal_app::payments::PaymentSettings {
        provider: "sandbox".into(),
        sandbox_delay_ms: 0,
        sandbox_decline_percent: 100,
        ..Default::default()
    });
    declining.sandbox_complete(reference, true).await.expect("webhook applied");
    let after = app.get(&format!("/api/v1/orders/{id}"), Some(&me)).await.json();
    assert_eq!((after["status"].as_str(), after["payments"][0]["status"].as_str()), (Some("pending"), Some("failed")));
    assert_eq!(after["vouchers"].as_array().map(Vec::len), Some(0));
    // The provider then reports the same payment captured after all: the order is paid.
    let (sig, body) = declining.sandbox().event(reference, true, app.app.now()).expect("event");
    let headers = lokal_app::payments::Headers::new([("Lokal-Signature".to_owned(), sig)]);
    declining.payment_webhook("sandbox", &headers, &body).await.expect("late success applied");
    let after = app.get(&format!("/api/v1/orders/{id}"), Some(&me)).await.json();
    assert_eq!((after["status"].as_str(), after["vouchers"].as_array().map(Vec::len)), (Some("paid"), Some(1)));
    // A second payment for a paid order is refused; a late duplicate capture would be refunded.
    let again = app.post_keyed(&format!("/api/v1/orders/{id}/payments"), &json!({}), &me, "p2").await;
    assert_eq!(again.code(), "order_not_payable");
    assert_ledger_holds(&app).await;
}
