//! Group-buy deals end to end: buy with an idempotency key, pay through the sandbox's signed
//! webhook, get vouchers, redeem exactly once at the store, undo, refund, and a ledger that holds.

use crate::commerce::{
    assert_ledger_holds, buy, create_deal, deal_body, first_code, look_up, redeem, redeem_body, rfc3339, shop,
};
use crate::harness::{TestApp, join_all};
use serde_json::json;

/// A consumer's order of two vouchers of a new deal at `s`, paid through the sandbox:
/// (consumer's token, order id, the order as its consumer reads it).
async fn paid_order(app: &TestApp, s: &crate::commerce::Shop) -> (String, String, serde_json::Value) {
    let deal = create_deal(app, s, json!({})).await;
    let (me, _) = app.user("buyer@test.lokal").await;
    let order = app.post_keyed(&format!("/api/v1/deals/{deal}/orders"), &json!({"quantity": 2}), &me, "order-1").await;
    assert_eq!(order.status, 201, "{}", order.text);
    let id = order.json()["id"].as_str().expect("id").to_owned();
    let p = app.post_keyed(&format!("/api/v1/orders/{id}/payments"), &json!({}), &me, "pay-1").await;
    let reference = p.json()["payment"]["provider_ref"].as_str().expect("ref").to_owned();
    assert!(p.json()["pay_url"].as_str().is_some_and(|u| u.contains(&reference)));
    app.post(&format!("/api/v1/sandbox/payments/{reference}"), &json!({"outcome": "succeed"}), None).await;
    let paid = app.get(&format!("/api/v1/orders/{id}"), Some(&me)).await.json();
    (me, id, paid)
}

/// [`paid_order`] with its first voucher redeemed at store A: (order id, that voucher's code).
async fn redeemed_order(app: &TestApp, s: &crate::commerce::Shop) -> (String, String) {
    let (_, id, paid) = paid_order(app, s).await;
    let code = first_code(&paid);
    assert_eq!(redeem(app, &s.clerk, &s.store_a, &code, 1).await.status, 201);
    (id, code)
}

#[tokio::test]
async fn ordering_a_deal_is_idempotent_and_reserves_its_stock_once() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Hotpot").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("buyer@test.lokal").await;
    let key = "order-1";
    let path = format!("/api/v1/deals/{deal}/orders");
    let first = app.post_keyed(&path, &json!({"quantity": 2, "channel": "poster-42"}), &me, key).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let order = first.json();
    assert_eq!(order["status"], "pending");
    assert_eq!(order["breakdown"]["total"]["amount"], 19800);
    assert_eq!(order["breakdown"]["savings"]["amount"], 2 * (15800 - 9900));
    let again = app.post_keyed(&path, &json!({"quantity": 2, "channel": "poster-42"}), &me, key).await;
    assert_eq!(again.json()["id"], order["id"], "the same key gives the same order");
    let unkeyed = app.post(&path, &json!({"quantity": 1}), Some(&me)).await;
    assert_eq!((unkeyed.status, unkeyed.json()["error"]["field"].as_str()), (422, Some("Idempotency-Key")));
    let deal_now = app.get(&format!("/api/v1/deals/{deal}"), None).await.json();
    assert_eq!(deal_now["stock_left"], 98, "stock is reserved once");
}

#[tokio::test]
async fn a_paid_order_gives_one_voucher_per_unit_and_sends_its_code() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Hotpot").await;
    let (me, _, paid) = paid_order(&app, &s).await;
    assert_eq!(paid["status"], "paid");
    let vouchers = paid["vouchers"].as_array().cloned().unwrap_or_default();
    assert_eq!(vouchers.len(), 2, "one voucher per unit");
    let code = vouchers[0]["code"].as_str().expect("code").to_owned();
    assert_eq!(code.len(), 16, "XXXX-XXXX-XXXX-C: {code}");
    let inbox = app.get("/api/v1/me/messages", Some(&me)).await.json();
    assert!(inbox["items"][0]["body"].as_str().is_some_and(|b| b.contains(&code)), "{inbox}");
}

#[tokio::test]
async fn the_clerk_redeems_a_voucher_once_however_its_code_is_typed() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Hotpot").await;
    let (me, _, paid) = paid_order(&app, &s).await;
    let code = first_code(&paid);
    let desk = look_up(&app, &s.clerk, &s.store_a, &code).await.json();
    assert_eq!(
        (desk["redeemable"].as_bool(), desk["deal"]["title"].as_str()),
        (Some(true), Some("双人火锅套餐 Hotpot for two"))
    );
    // Typing it in lower case without dashes works.
    let typed = code.replace('-', "").to_lowercase();
    let r = redeem(&app, &s.clerk, &s.store_a, &typed, 1).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()["voucher"]["status"], "used");
    let twice = redeem(&app, &s.clerk, &s.store_a, &code, 1).await;
    assert_eq!((twice.status, twice.code().as_str()), (409, "voucher_used_up"));
    let mine = app.get("/api/v1/me/vouchers", Some(&me)).await.json();
    assert!(mine["items"].as_array().is_some_and(|v| v.iter().any(|v| v["status"] == "used")));
}

#[tokio::test]
async fn a_redemption_earns_the_merchant_the_price_less_commission_on_its_statement() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Hotpot").await;
    let (id, code) = redeemed_order(&app, &s).await;
    // The merchant earned the price less 8 % commission; the ledger holds.
    let bal = app.get(&format!("/api/v1/merchants/{}/balance", s.merchant), Some(&s.owner)).await.json();
    assert_eq!(bal["payable"]["amount"], 9900 - 792);
    assert_ledger_holds(&app).await;
    // The day's statement has the redemption, traceable to its order and voucher.
    let today = app.app.now().plus_secs(8 * 3600).to_rfc3339()[..10].to_owned();
    let csv = app.get(&format!("/api/v1/merchants/{}/statement?date={today}", s.merchant), Some(&s.owner)).await;
    assert_eq!(csv.header("content-type").as_deref(), Some("text/csv; charset=utf-8"));
    let lines: Vec<&str> = csv.text.lines().collect();
    assert_eq!(lines.len(), 3, "header, one redemption, total: {}", csv.text);
    assert!(lines[1].contains(",redemption,") && lines[1].contains(&code) && lines[1].contains(&id), "{}", lines[1]);
    assert!(lines[1].ends_with(",99.00,7.92,91.08"), "{}", lines[1]);
    assert_eq!(lines[2], ",total,,,,,,,,99.00,7.92,91.08");
    assert_eq!(
        app.get(&format!("/api/v1/merchants/{}/statement?date=23-11-2026", s.merchant), Some(&s.owner)).await.status,
        422
    );
    assert_eq!(
        app.get(&format!("/api/v1/merchants/{}/statement?date={today}", s.merchant), Some(&s.clerk)).await.status,
        403
    );
}

#[tokio::test]
async fn an_operator_pays_a_balance_out_never_more_than_is_owed() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Hotpot").await;
    redeemed_order(&app, &s).await;
    let admin = app.admin().await;
    let payouts = format!("/api/v1/admin/merchants/{}/payouts", s.merchant);
    let too_much = app.post_keyed(&payouts, &json!({"amount": 9109}), &admin, "payout-1").await;
    assert_eq!((too_much.status, too_much.code().as_str()), (409, "conflict"));
    let paid_out = app.post_keyed(&payouts, &json!({"amount": 5000}), &admin, "payout-2").await;
    assert_eq!((paid_out.status, paid_out.json()["payable"]["amount"].as_i64()), (201, Some(4108)));
    assert_eq!(app.post_keyed(&payouts, &json!({"amount": 1}), &s.owner, "payout-3").await.status, 403);
    assert_ledger_holds(&app).await;
}

#[tokio::test]
async fn lokal_ledger_check_agrees_with_the_books_and_notices_a_broken_posting() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Hotpot").await;
    redeemed_order(&app, &s).await;
    let check = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_lokal"))
            .args(["ledger", "check", "--database-url", &app.database_url])
            .env_remove("LOKAL_DATABASE_URL")
            .output()
            .expect("run lokal")
    };
    let ok = check();
    let said = String::from_utf8_lossy(&ok.stdout).to_string();
    assert!(ok.status.success(), "{said}{}", String::from_utf8_lossy(&ok.stderr));
    assert!(said.starts_with("checked 2 journal entries (5 postings"), "payment, redemption: {said}");
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&app.database_url).await.expect("connect");
    sqlx::query(
        "UPDATE postings SET amount = amount + 1 WHERE line = 0 AND entry_id = (SELECT MIN(id) FROM journal_entries)",
    )
    .execute(&pool)
    .await
    .expect("tamper");
    pool.close().await;
    let broken = check();
    assert_eq!(broken.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&broken.stdout).contains("unbalanced entry"));
}

#[tokio::test]
async fn racing_clerks_never_redeem_more_uses_than_exist() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Spa").await;
    let single = create_deal(&app, &s, json!({})).await;
    let pass = create_deal(
        &app,
        &s,
        json!({"title": "10-visit pass", "uses_per_voucher": 10, "price": 10000, "original_price": 12000}),
    )
    .await;
    let (me, _) = app.user("racer@test.lokal").await;
    let one = buy(&app, &single, &me, 1).await["vouchers"][0]["code"].as_str().expect("code").to_owned();
    let ten = buy(&app, &pass, &me, 1).await["vouchers"][0]["code"].as_str().expect("code").to_owned();
    let url = format!("/api/v1/stores/{}/redemptions", s.store_a);
    let tokens = [&s.clerk, &s.manager, &s.owner];

    let body = redeem_body(&one, 1);
    let results = join_all((0..8).map(|i| app.post(&url, &body, Some(tokens[i % 3])))).await;
    let ok = results.iter().filter(|r| r.status == 201).count();
    assert_eq!(ok, 1, "{:?}", results.iter().map(|r| (r.status, r.code())).collect::<Vec<_>>());
    assert!(results.iter().all(|r| r.status == 201 || r.code() == "voucher_used_up"));

    let body = redeem_body(&ten, 1);
    let results = join_all((0..15).map(|i| app.post(&url, &body, Some(tokens[i % 3])))).await;
    assert_eq!(results.iter().filter(|r| r.status == 201).count(), 10);
    assert!(results.iter().all(|r| r.status < 500));
    // Ten uses of ¥100.00 add up to exactly ¥100.00 for the merchant before commission.
    let bal = app.get(&format!("/api/v1/merchants/{}/balance", s.merchant), Some(&s.owner)).await.json();
    assert_eq!(bal["payable"]["amount"], (9900 - 792) + (10000 - 800));
    assert_ledger_holds(&app).await;
}

#[tokio::test]
async fn only_staff_of_a_valid_store_redeem_and_bad_vouchers_are_refused_with_their_code() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Noodles").await;
    let other = shop(&app, "Cafe").await;
    // Valid for 8 days (sessions last 30, so the clock can pass the expiry without logging out).
    let deal = create_deal(&app, &s, json!({"valid_until": rfc3339(&app, 8 * 86_400)})).await;
    let (me, _) = app.user("eater@test.lokal").await;
    let code = buy(&app, &deal, &me, 1).await["vouchers"][0]["code"].as_str().expect("code").to_owned();
    let app = &app;
    let body = redeem_body(&code, 1);
    let body = &body;
    let redeem = |store: &str, token: &str| {
        let url = format!("/api/v1/stores/{store}/redemptions");
        let token = token.to_owned();
        async move { app.post(&url, body, Some(&token)).await }
    };
    // Another merchant's staff at their own store: the voucher does not exist for them.
    let r = redeem(&other.store_a, &other.owner).await;
    assert_eq!((r.status, r.code().as_str()), (404, "not_found"));
    // Another merchant's staff at this store; the consumer; a clerk of store A at store B.
    assert_eq!(redeem(&s.store_a, &other.owner).await.status, 403);
    assert_eq!(redeem(&s.store_a, &me).await.status, 403);
    assert_eq!(redeem(&s.store_b, &s.clerk).await.status, 403);
    // The owner at store B, where the deal is not valid.
    let r = redeem(&s.store_b, &s.owner).await;
    assert_eq!((r.status, r.code().as_str()), (409, "voucher_wrong_store"));
    // A mistyped code names the field; a well-formed unknown code is not found.
    let typo = crate::commerce::redeem(app, &s.clerk, &s.store_a, "0000-0000-0000-1", 1).await;
    assert_eq!((typo.status, typo.json()["error"]["field"].as_str()), (422, Some("code")));
    // Expired.
    app.clock.advance_secs(9 * 86_400);
    let r = redeem(&s.store_a, &s.clerk).await;
    assert_eq!((r.status, r.code().as_str()), (409, "voucher_expired"));
}

#[tokio::test]
async fn webhooks_must_be_signed_fresh_and_new() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Bar").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("drinker@test.lokal").await;
    let o = app.post_keyed(&format!("/api/v1/deals/{deal}/orders"), &json!({"quantity": 1}), &me, "k1").await.json();
    let id = o["id"].as_str().expect("id");
    let p = app.post_keyed(&format!("/api/v1/orders/{id}/payments"), &json!({}), &me, "k2").await.json();
    let reference = p["payment"]["provider_ref"].as_str().expect("ref");
    let body = json!({"id": "evt_1", "type": "payment.succeeded", "payment_ref": reference}).to_string();
    let send = |sig: String, body: String| {
        let req = app
            .client
            .post(format!("{}/api/v1/payments/webhooks/sandbox", app.base))
            .header("content-type", "application/json")
            .header("Lokal-Signature", sig)
            .body(body);
        app.send(req)
    };
    let now = app.app.now();
    let forged = send(app.app.sandbox().sign(b"{}", now), body.clone()).await;
    assert_eq!((forged.status, forged.code().as_str()), (400, "webhook_signature_invalid"));
    let stale = send(app.app.sandbox().sign(body.as_bytes(), now.plus_secs(-3600)), body.clone()).await;
    assert_eq!(stale.code(), "webhook_signature_invalid");
    let unsigned = send(String::new(), body.clone()).await;
    assert_eq!(unsigned.status, 400);
    assert_eq!(app.get(&format!("/api/v1/orders/{id}"), Some(&me)).await.json()["status"], "pending");
    let good = send(app.app.sandbox().sign(body.as_bytes(), now), body.clone()).await;
    assert_eq!(good.status, 204, "{}", good.text);
    let replay = send(app.app.sandbox().sign(body.as_bytes(), now), body.clone()).await;
    assert_eq!((replay.status, replay.code().as_str()), (409, "webhook_replayed"));
    let order = app.get(&format!("/api/v1/orders/{id}"), Some(&me)).await.json();
    assert_eq!((order["status"].as_str(), order["vouchers"].as_array().map(Vec::len)), (Some("paid"), Some(1)));
    assert_ledger_holds(&app).await;
}

#[tokio::test]
async fn stock_and_limits_hold_under_racing_buyers_and_unpaid_orders_give_stock_back() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Flash").await;
    let deal = create_deal(&app, &s, json!({"stock": 3, "per_user_limit": 1, "flash_sale": true})).await;
    let mut buyers = Vec::new();
    for i in 0..8 {
        buyers.push(app.user(&format!("buyer{i}@test.lokal")).await.0);
    }
    let path = format!("/api/v1/deals/{deal}/orders");
    let one = json!({"quantity": 1});
    let keys: Vec<String> = (0..buyers.len()).map(|i| format!("flash-{i}")).collect();
    let results = join_all(buyers.iter().zip(&keys).map(|(t, key)| app.post_keyed(&path, &one, t, key))).await;
    assert_eq!(results.iter().filter(|r| r.status == 201).count(), 3);
    assert!(
        results.iter().all(|r| r.status == 201 || r.code() == "sold_out"),
        "{:?}",
        results.iter().map(|r| r.code()).collect::<Vec<_>>()
    );
    let winner = buyers[results.iter().position(|r| r.status == 201).expect("a winner")].clone();
    let late_comer = app.post_keyed(&path, &json!({"quantity": 1}), &winner, "flash-again").await;
    assert_eq!(late_comer.code(), "sold_out", "sold out is answered first while nothing is left");
    // Nobody pays: after 15 minutes the stock and the per-person units come back.
    app.clock.advance_secs(16 * 60);
    let swept = app.app.commerce_tick().await.expect("tick");
    assert_eq!(swept.cancelled_orders, 3);
    assert_eq!(app.get(&format!("/api/v1/deals/{deal}"), None).await.json()["stock_left"], 3);
    let late = results.iter().find(|r| r.status == 201).expect("order").json();
    let late_pay = app
        .post_keyed(
            &format!("/api/v1/orders/{}/payments", late["id"].as_str().expect("id")),
            &json!({}),
            &winner,
            "late",
        )
        .await;
    assert_eq!(late_pay.code(), "order_not_payable");
    // Fresh keys: a key of the first round ("flash-3") would replay that round's answer when the
    // winner happens to be buyer 3 (keys are scoped per caller).
    assert_eq!(app.post_keyed(&path, &json!({"quantity": 1}), &winner, "again-1").await.status, 201);
    let twice = app.post_keyed(&path, &json!({"quantity": 1}), &winner, "again-2").await;
    assert_eq!(twice.code(), "purchase_limit_reached", "one per person while stock is left: {}", twice.text);
}

#[tokio::test]
async fn refunds_return_unused_value_and_expired_vouchers_are_refunded_automatically() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Gym").await;
    let pass = create_deal(
        &app,
        &s,
        json!({"title": "10-visit pass", "uses_per_voucher": 10, "price": 9999, "original_price": 12000}),
    )
    .await;
    let single = create_deal(&app, &s, json!({"valid_until": rfc3339(&app, 8 * 86_400)})).await;
    let (me, _) = app.user("athlete@test.lokal").await;
    let order = buy(&app, &pass, &me, 1).await;
    let code = order["vouchers"][0]["code"].as_str().expect("code").to_owned();
    let url = format!("/api/v1/stores/{}/redemptions", s.store_a);
    assert_eq!(app.post(&url, &redeem_body(&code, 3), Some(&s.clerk)).await.status, 201);
    // Three of ten uses of ¥99.99 are worth ⌊9999·3/10⌋ = 2999; the other seven come back.
    let id = order["id"].as_str().expect("id");
    let r = app.post_keyed(&format!("/api/v1/orders/{id}/refunds"), &json!({}), &me, "refund-1").await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()["amount"]["amount"], 9999 - 2999);
    let again = app.post_keyed(&format!("/api/v1/orders/{id}/refunds"), &json!({}), &me, "refund-2").await;
    assert_eq!(again.code(), "not_refundable");
    assert_ledger_holds(&app).await;

    // Two single vouchers: one refunded by hand (by id), one left to expire.
    let order = buy(&app, &single, &me, 2).await;
    let id = order["id"].as_str().expect("id");
    let first = order["vouchers"][0]["id"].clone();
    let r = app
        .post_keyed(&format!("/api/v1/orders/{id}/refunds"), &json!({"voucher_ids": [first]}), &me, "refund-3")
        .await;
    assert_eq!(r.json()["amount"]["amount"], 9900);
    let (stranger, _) = app.user("stranger@test.lokal").await;
    assert_eq!(app.post_keyed(&format!("/api/v1/orders/{id}/refunds"), &json!({}), &stranger, "x").await.status, 403);
    app.clock.advance_secs(9 * 86_400);
    let swept = app.app.commerce_tick().await.expect("tick");
    assert_eq!(swept.expired_vouchers, 1);
    let after = app.get(&format!("/api/v1/orders/{id}"), Some(&me)).await.json();
    let statuses: Vec<_> =
        after["vouchers"].as_array().into_iter().flatten().map(|v| v["status"].as_str().unwrap_or("")).collect();
    assert_eq!(statuses, vec!["refunded", "refunded"]);
    assert_ledger_holds(&app).await;
}

#[tokio::test]
async fn a_manager_undoes_a_redemption_within_ten_minutes() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Salon").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("client@test.lokal").await;
    let code = buy(&app, &deal, &me, 1).await["vouchers"][0]["code"].as_str().expect("code").to_owned();
    let url = format!("/api/v1/stores/{}/redemptions", s.store_a);
    let r = app.post(&url, &redeem_body(&code, 1), Some(&s.clerk)).await.json();
    let undo = format!("/api/v1/redemptions/{}/undo", r["redemption"]["id"].as_str().expect("id"));
    assert_eq!(app.post(&undo, &json!({}), Some(&s.clerk)).await.status, 403, "clerks cannot undo");
    let back = app.post(&undo, &json!({"device": "desk-2"}), Some(&s.manager)).await;
    assert_eq!(back.status, 200, "{}", back.text);
    assert_eq!((back.json()["status"].as_str(), back.json()["uses_left"].as_i64()), (Some("active"), Some(1)));
    assert_eq!(app.post(&undo, &json!({}), Some(&s.manager)).await.code(), "undo_window_closed");
    let desk = look_up(&app, &s.manager, &s.store_a, &code).await.json();
    let audit = &desk["redemptions"][0];
    assert!(audit["undone_at"].is_string() && audit["undone_by"].is_string(), "the undo is audited: {desk}");
    assert_eq!((audit["device"].as_str(), audit["undo_device"].as_str()), (Some("desk-1"), Some("desk-2")));
    // The redemption desk says the same, in Chinese first.
    let page = app.get(&format!("/merchant/desk?store={}&code={code}", s.store_a), Some(&s.manager)).await;
    assert!(page.text.contains("data-status=\"active\"") && page.text.contains(">可使用<"), "{}", page.text);
    assert!(
        page.text.contains("data-state=\"undone\"") && page.text.contains("已撤销") && page.text.contains("核销台")
    );
    let en = app
        .send(
            app.client
                .get(format!("{}/merchant/desk?store={}&code={code}", app.base, s.store_a))
                .bearer_auth(&s.manager)
                .header("accept-language", "en"),
        )
        .await;
    assert!(
        en.text.contains("Redemption desk") && en.text.contains(">active<") && en.text.contains("1 use"),
        "{}",
        en.text
    );
    let r = app.post(&url, &redeem_body(&code, 1), Some(&s.clerk)).await.json();
    app.clock.advance_secs(11 * 60);
    let undo = format!("/api/v1/redemptions/{}/undo", r["redemption"]["id"].as_str().expect("id"));
    assert_eq!(app.post(&undo, &json!({}), Some(&s.manager)).await.code(), "undo_window_closed");
    assert_ledger_holds(&app).await;
}

#[tokio::test]
async fn deals_show_in_nearby_and_search_and_bad_deals_name_the_field() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Grill").await;
    let c = lokal_core::geo::LatLng::PEOPLES_SQUARE;
    let near = format!("/api/v1/stores/nearby?lat={}&lng={}&has_deals=true", c.lat(), c.lng());
    assert_eq!(app.get(&near, None).await.json()["count"], 0);
    create_deal(&app, &s, json!({"title": "烤肉自助 BBQ buffet"})).await;
    let found = app.get(&near, None).await.json();
    assert_eq!(found["count"], 1, "only store A has the deal: {found}");
    assert_eq!(found["stores"][0]["deals"][0]["title"], "烤肉自助 BBQ buffet");
    let search = app.get(&format!("/api/v1/search?q=buffet&lat={}&lng={}", c.lat(), c.lng()), None).await.json();
    assert_eq!(search["results"][0]["deals"][0]["kind"], "deal", "{search}");
    let deals = app.get(&format!("/api/v1/stores/{}/deals", s.store_a), None).await.json();
    assert_eq!(deals["items"].as_array().map(Vec::len), Some(1));

    let url = format!("/api/v1/merchants/{}/deals", s.merchant);
    for (extra, field) in [
        (json!({"price": 0}), "price"),
        (json!({"original_price": 1}), "original_price"),
        (json!({"store_ids": []}), "store_ids"),
        (json!({"sale_ends_at": "soon"}), "sale_ends_at"),
        (json!({"uses_per_voucher": 1000}), "uses_per_voucher"),
    ] {
        let r = app.post(&url, &deal_body(&app, &s, extra), Some(&s.owner)).await;
        assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some(field)), "{}", r.text);
    }
    let other = shop(&app, "Other").await;
    let foreign = app.post(&url, &deal_body(&app, &s, json!({"store_ids": [other.store_a]})), Some(&s.owner)).await;
    assert_eq!(foreign.json()["error"]["field"], "store_ids");
    assert_eq!(app.post(&url, &deal_body(&app, &s, json!({})), Some(&other.owner)).await.status, 403);
    assert_eq!(app.post(&url, &deal_body(&app, &s, json!({})), Some(&s.clerk)).await.status, 403);
}

#[tokio::test]
async fn a_stored_status_no_one_knows_is_an_error_never_a_state() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Corrupt").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("corrupt@test.lokal").await;
    let order = buy(&app, &deal, &me, 1).await;
    let code = first_code(&order);
    // A hand-edited (or future) value in the database: the row boundary refuses it.
    sqlx::query("UPDATE vouchers SET status = 'lost'").execute(app.app.db().pool()).await.expect("tamper");
    let mine = app.get("/api/v1/me/vouchers", Some(&me)).await;
    assert_eq!((mine.status, mine.code().as_str()), (500, "internal"), "{}", mine.text);
    let desk = look_up(&app, &s.clerk, &s.store_a, &code).await;
    assert_eq!(desk.status, 500, "not redeemable as if active, nor refused as if used: {}", desk.text);
    let r = redeem(&app, &s.clerk, &s.store_a, &code, 1).await;
    assert_eq!(r.status, 500, "{}", r.text);
    sqlx::query("UPDATE vouchers SET status = 'active'").execute(app.app.db().pool()).await.expect("restore");
    assert_eq!(app.get("/api/v1/me/vouchers", Some(&me)).await.status, 200);
}
