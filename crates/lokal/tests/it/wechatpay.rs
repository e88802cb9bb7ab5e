//! Paying through WeChat Pay (issue K), against the fake WeChat Pay on a local port: every
//! request Lokal makes is signed and verified there, every answer and callback Lokal reads is
//! signed by the fake's platform key and checked here. The server offers the sandbox and WeChat
//! Pay at once; these payments choose `{"provider": "wechatpay"}`.

use crate::commerce::{assert_ledger_holds, create_deal, shop};
use crate::fake_wechatpay::{Callback, FakeWechatPay, Fault, pair};
use crate::harness::TestApp;
use serde_json::{Value, json};

/// Orders `quantity` of `deal` and starts paying it with WeChat Pay `method`: (order id, the
/// payment's answer).
async fn order_with_wechat(app: &TestApp, deal: &str, token: &str, quantity: i64, pay: Value) -> (String, Value) {
    let key = uuid::Uuid::now_v7().to_string();
    let o = app.post_keyed(&format!("/api/v1/deals/{deal}/orders"), &json!({"quantity": quantity}), token, &key).await;
    assert_eq!(o.status, 201, "{}", o.text);
    let order = o.json()["id"].as_str().expect("order").to_owned();
    let p = app.post_keyed(&format!("/api/v1/orders/{order}/payments"), &pay, token, &format!("{key}-pay")).await;
    assert_eq!(p.status, 201, "{}", p.text);
    (order, p.json())
}

fn reference(payment: &Value) -> String {
    payment["payment"]["provider_ref"].as_str().expect("ref").to_owned()
}

async fn order(app: &TestApp, id: &str, token: &str) -> Value {
    app.get(&format!("/api/v1/orders/{id}"), Some(token)).await.json()
}

fn tampered(c: &Callback) -> Callback {
    Callback { headers: c.headers.clone(), body: c.body.replacen("\"id\":\"", "\"id\":\"x", 1) }
}

/// A deal paid by WeChat Pay Native: the prepay request carries the documented fields, the
/// payer's payment comes back by callback and issues the vouchers once; the same callback again
/// is acknowledged and changes nothing; a forged or stale one is refused with WeChat Pay's
/// failure body.
#[tokio::test]
async fn a_deal_paid_by_wechat_pay_native_issues_its_vouchers_once_whatever_the_callbacks_do() {
    let (fake, app) = pair().await;
    let s = shop(&app, "WechatNative").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("native@test.lokal").await;
    let (id, p) = order_with_wechat(&app, &deal, &me, 2, json!({"provider": "wechatpay"})).await;
    assert_eq!(p["payment"]["provider"], "wechatpay");
    let r = reference(&p);
    assert_eq!(p["pay_url"].as_str(), Some(format!("weixin://wxpay/bizpayurl?pr={r}").as_str()), "{p}");
    let prepay = fake.prepay(&r);
    let total = order(&app, &id, &me).await["breakdown"]["total"]["amount"].as_i64().expect("total");
    assert_eq!((prepay.amount.total, prepay.amount.currency.as_str()), (total, "CNY"));
    assert!(prepay.time_expire.as_deref().is_some_and(|t| t.ends_with("+08:00")), "{prepay:?}");
    assert_eq!(fake.refused(), Vec::<String>::new(), "the request's signature verified");

    let (callback, status, _) = fake.pay(&r).await;
    assert_eq!(status, 204);
    let o = order(&app, &id, &me).await;
    assert_eq!((o["status"].as_str(), o["vouchers"].as_array().map(Vec::len)), (Some("paid"), Some(2)), "{o}");
    // WeChat Pay delivers again (it did not hear us, say): acknowledged, nothing changes.
    assert_eq!(fake.deliver(&callback).await.0, 204);
    assert_eq!(order(&app, &id, &me).await["vouchers"].as_array().map(Vec::len), Some(2));
    // Forged: the body changed after signing.
    let (status, body) = fake.deliver(&tampered(&callback)).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(serde_json::from_str::<Value>(&body).expect("json")["code"], "FAIL");
    // Stale: signed ten minutes ago.
    app.clock.advance_secs(-600);
    let old = fake.pay_silently(&r);
    app.clock.advance_secs(600);
    assert_eq!(fake.deliver(&old).await.0, 400);
    assert_eq!(order(&app, &id, &me).await["vouchers"].as_array().map(Vec::len), Some(2));
    assert_ledger_holds(&app).await;
}

/// JSAPI needs the payer's openid and answers the signed parameters for `WeixinJSBridge`; H5
/// sends the payer's address and answers WeChat Pay's page; an unknown method is 422.
#[tokio::test]
async fn jsapi_and_h5_payments_ask_wechat_pay_what_each_needs() {
    let (fake, app) = pair().await;
    let s = shop(&app, "WechatJsapi").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("jsapi@test.lokal").await;
    let (_, p) = order_with_wechat(
        &app,
        &deal,
        &me,
        1,
        json!({"provider": "wechatpay", "method": "jsapi", "openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}),
    )
    .await;
    let r = reference(&p);
    assert_eq!(fake.prepay(&r).payer.map(|p| p.openid).as_deref(), Some("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"));
    let c = &p["client_params"];
    assert_eq!(
        (c["package"].as_str(), c["signType"].as_str()),
        (Some(format!("prepay_id=wx{r}").as_str()), Some("RSA"))
    );
    // paySign is the merchant key's signature of appId, timeStamp, nonceStr and package.
    let message = lokal_pay::wechatpay_api::jsapi_message(
        c["appId"].as_str().expect("appId"),
        c["timeStamp"].as_str().expect("timeStamp").parse().expect("seconds"),
        c["nonceStr"].as_str().expect("nonceStr"),
        c["package"].as_str().expect("package"),
    );
    let merchant = std::fs::read_to_string(crate::fake_wechatpay::key_path("merchant_pub.pem")).expect("key");
    let merchant = lokal_pay::wechatpay::PublicKey::from_pem(&merchant, "m").expect("key");
    merchant.verify(&message, c["paySign"].as_str().expect("paySign")).expect("paySign verifies");

    let (_, h5) = order_with_wechat(&app, &deal, &me, 1, json!({"provider": "wechatpay", "method": "h5"})).await;
    assert!(h5["pay_url"].as_str().is_some_and(|u| u.starts_with("https://wx.tenpay.com/")), "{h5}");
    let scene = fake.prepay(&reference(&h5)).scene_info.expect("scene_info");
    let kind = scene.h5_info.map(|h| h.kind);
    assert_eq!((scene.payer_client_ip.as_str(), kind.as_deref()), ("127.0.0.1", Some("Wap")));

    let o = app.post_keyed(&format!("/api/v1/deals/{deal}/orders"), &json!({"quantity": 1}), &me, "k-o").await;
    let id = o.json()["id"].as_str().expect("order").to_owned();
    let pay = |body: Value, key: &'static str| {
        let app = &app;
        let id = id.clone();
        let me = me.clone();
        async move { app.post_keyed(&format!("/api/v1/orders/{id}/payments"), &body, &me, key).await }
    };
    let bad = pay(json!({"provider": "wechatpay", "method": "scan"}), "k1").await;
    assert_eq!((bad.status, bad.json()["error"]["field"].as_str()), (422, Some("method")), "{}", bad.text);
    let no_openid = pay(json!({"provider": "wechatpay", "method": "jsapi"}), "k2").await;
    assert_eq!((no_openid.status, no_openid.json()["error"]["field"].as_str()), (422, Some("openid")));
    let unknown = pay(json!({"provider": "paypal"}), "k3").await;
    assert_eq!((unknown.status, unknown.json()["error"]["field"].as_str()), (422, Some("provider")));
}

/// Part and whole refunds through WeChat Pay: each is asked once with the payment's total,
/// answered `PROCESSING`, and finished by the refund callback — or, when that never comes, by
/// the worker's query; the ledger records each when WeChat Pay confirms it, once.
#[tokio::test]
async fn refunds_through_wechat_pay_finish_on_their_callback_or_by_query_and_are_posted_once() {
    let (fake, app) = pair().await;
    let s = shop(&app, "WechatRefund").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("refund-wx@test.lokal").await;
    let (id, p) = order_with_wechat(&app, &deal, &me, 3, json!({"provider": "wechatpay"})).await;
    let r = reference(&p);
    assert_eq!(fake.pay(&r).await.1, 204);
    let o = order(&app, &id, &me).await;
    let total = o["breakdown"]["total"]["amount"].as_i64().expect("total");
    let one = o["vouchers"][0]["id"].as_str().expect("voucher").to_owned();

    let part = app.post_keyed(&format!("/api/v1/orders/{id}/refunds"), &json!({"voucher_ids": [one]}), &me, "r1").await;
    assert_eq!(part.status, 201, "{}", part.text);
    let part = part.json();
    assert_eq!(part["status"], "processing");
    let part_id = part["id"].as_str().expect("refund id").to_owned();
    let entries = |refund: String| {
        let app = &app;
        async move {
            use sqlx::Row;
            sqlx::query("SELECT COUNT(*) AS n FROM journal_entries WHERE kind = 'refund' AND ref_id = $1")
                .bind(refund)
                .fetch_one(app.app.db().pool())
                .await
                .expect("count")
                .try_get::<i64, _>("n")
                .expect("n")
        }
    };
    assert_eq!(entries(part_id.clone()).await, 0);
    let callbacks = fake.finish_refunds();
    assert_eq!(callbacks.len(), 1);
    assert_eq!(fake.deliver(&callbacks[0]).await.0, 204);
    assert_eq!(entries(part_id.clone()).await, 1);
    assert_eq!(fake.deliver(&callbacks[0]).await.0, 204, "a redelivery is acknowledged");
    assert_eq!(entries(part_id.clone()).await, 1);

    // The rest; its callback never comes: the worker asks.
    let rest = app.post_keyed(&format!("/api/v1/orders/{id}/refunds"), &json!({}), &me, "r2").await.json();
    assert_eq!(rest["status"], "processing", "{rest}");
    let rest_id = rest["id"].as_str().expect("refund id").to_owned();
    let _lost = fake.finish_refunds();
    app.clock.advance_secs(10);
    app.app.payments_tick().await.expect("tick");
    assert_eq!(entries(rest_id.clone()).await, 1);
    let unit = total / 3;
    assert_eq!(
        fake.refunds(),
        {
            let mut v = vec![(part_id, r.clone(), unit, total), (rest_id, r.clone(), total - unit, total)];
            v.sort();
            v
        },
        "each asked once, with the payment's total"
    );
    assert_ledger_holds(&app).await;
}

/// No callback comes for a paid order: after `query_after_secs` the worker asks WeChat Pay and
/// the order is paid; the late callback then changes nothing. A refund whose answer was lost
/// (WeChat Pay made it, then the connection hung) is finished by its callback arriving first,
/// and the worker's retry finds nothing left to do.
#[tokio::test]
async fn a_silent_payment_is_found_by_query_and_a_callback_that_overtakes_a_lost_answer_finishes_the_refund() {
    let (fake, app) = pair().await;
    let s = shop(&app, "WechatQuiet").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("quiet@test.lokal").await;
    let (id, p) = order_with_wechat(&app, &deal, &me, 1, json!({"provider": "wechatpay"})).await;
    let r = reference(&p);
    let late = fake.pay_silently(&r);
    app.app.payments_tick().await.expect("tick");
    assert_eq!(order(&app, &id, &me).await["status"], "pending", "not overdue yet");
    app.clock.advance_secs(120);
    assert_eq!(app.app.payments_tick().await.expect("tick").recovered, 1);
    let o = order(&app, &id, &me).await;
    assert_eq!((o["status"].as_str(), o["vouchers"].as_array().map(Vec::len)), (Some("paid"), Some(1)), "{o}");
    assert_eq!(fake.deliver(&late).await.0, 204);
    assert_eq!(order(&app, &id, &me).await["vouchers"].as_array().map(Vec::len), Some(1));

    fake.fault(&[Fault::ActThenHang]);
    let refund = app.post_keyed(&format!("/api/v1/orders/{id}/refunds"), &json!({}), &me, "r").await.json();
    assert_eq!(refund["status"], "pending", "the answer was lost: {refund}");
    assert_eq!(fake.refunds().len(), 1, "WeChat Pay made it");
    let callbacks = fake.finish_refunds();
    assert_eq!(fake.deliver(&callbacks[0]).await.0, 204);
    let after = app.app.payments_tick().await.expect("tick");
    assert_eq!(after.refunds, 0, "finished by the callback");
    assert_eq!(fake.refunds().len(), 1);
    assert_ledger_holds(&app).await;
}

/// WeChat Pay not answering in time, or failing, is a 503 the payer can retry, never a payment
/// half made; a payment not made in time is closed at WeChat Pay and ends `failed`; a merchant key WeChat Pay does not know is refused there (401 `SIGN_ERROR`, which
/// the fake counts) and shown as the provider's refusal.
#[tokio::test]
async fn a_provider_that_times_out_fails_or_refuses_our_signature_is_an_error_and_an_unpaid_payment_is_closed() {
    let (fake, app) = pair().await;
    let s = shop(&app, "WechatSlow").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("slow-wx@test.lokal").await;
    let o = app.post_keyed(&format!("/api/v1/deals/{deal}/orders"), &json!({"quantity": 1}), &me, "o").await;
    let id = o.json()["id"].as_str().expect("order").to_owned();
    let path = format!("/api/v1/orders/{id}/payments");
    fake.fault(&[Fault::Hang, Fault::Fail]);
    let timed_out = app.post_keyed(&path, &json!({"provider": "wechatpay"}), &me, "p1").await;
    assert_eq!((timed_out.status, timed_out.code().as_str()), (503, "unavailable"), "{}", timed_out.text);
    let failed = app.post_keyed(&path, &json!({"provider": "wechatpay"}), &me, "p2").await;
    assert_eq!((failed.status, failed.code().as_str()), (503, "unavailable"), "{}", failed.text);
    let ok = app.post_keyed(&path, &json!({"provider": "wechatpay"}), &me, "p3").await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    assert_eq!(order(&app, &id, &me).await["payments"].as_array().map(Vec::len), Some(1), "no half-made payment");
    // Not paid in time: the order is cancelled and its payment closed at WeChat Pay.
    let r = ok.json()["payment"]["provider_ref"].as_str().expect("ref").to_owned();
    app.clock.advance_secs(16 * 60);
    assert_eq!(app.app.commerce_tick().await.expect("tick").cancelled_orders, 1);
    let close = format!("/v3/pay/transactions/out-trade-no/{r}/close");
    assert!(fake.accepted().contains(&("POST".to_owned(), close)), "{:?}", fake.accepted());
    app.app.payments_tick().await.expect("tick");
    let o = order(&app, &id, &me).await;
    assert_eq!((o["status"].as_str(), o["payments"][0]["status"].as_str()), (Some("cancelled"), Some("failed")), "{o}");

    // A WeChat Pay that knows another merchant key.
    let stranger = FakeWechatPay::start_with(app.clock.clone(), "platform_pub.pem").await;
    let settings = stranger.settings();
    let other = TestApp::spawn_config(|c| c.wechatpay = settings).await;
    let s = shop(&other, "WechatStranger").await;
    let deal = create_deal(&other, &s, json!({})).await;
    let (me, _) = other.user("stranger@test.lokal").await;
    let o = other.post_keyed(&format!("/api/v1/deals/{deal}/orders"), &json!({"quantity": 1}), &me, "o").await;
    let id = o.json()["id"].as_str().expect("order").to_owned();
    let refused =
        other.post_keyed(&format!("/api/v1/orders/{id}/payments"), &json!({"provider": "wechatpay"}), &me, "p").await;
    assert_eq!((refused.status, refused.code().as_str()), (409, "conflict"), "{}", refused.text);
    assert!(refused.text.contains("SIGN_ERROR"), "{}", refused.text);
    // (The server's daily reconciliation may have asked for a bill too, refused the same way.)
    let refused = stranger.refused();
    assert_eq!(refused.iter().filter(|p| *p == "/v3/pay/transactions/native").count(), 1, "{refused:?}");
}

/// A menu order, a pay-at-store bill and a card recharge are paid through WeChat Pay like a
/// deal: the bill completes and is settled, the recharge credits the card with its bonus once,
/// and a delivery order the store rejects is refunded in full through WeChat Pay.
#[tokio::test]
async fn a_menu_order_a_bill_and_a_card_recharge_are_paid_by_wechat_pay_and_a_rejected_order_refunded() {
    let (fake, app) = pair().await;
    let k = crate::kitchen::kitchen(&app).await;
    let wechat = json!({"provider": "wechatpay"});
    let start = |path: String, body: Value| {
        let app = &app;
        let token = k.consumer.clone();
        async move {
            let r = app.post_keyed(&path, &body, &token, &uuid::Uuid::now_v7().to_string()).await;
            assert_eq!(r.status, 201, "{}", r.text);
            r.json()
        }
    };

    // A delivery order: paid, then rejected by the store, refunded through WeChat Pay.
    let q = start("/api/v1/quotes".into(), k.delivery_cart()).await;
    let o = start(format!("/api/v1/quotes/{}/order", q["id"].as_str().expect("quote")), json!({})).await;
    let id = o["id"].as_str().expect("order").to_owned();
    let p = start(format!("/api/v1/orders/{id}/payments"), wechat.clone()).await;
    assert_eq!(fake.pay(&reference(&p)).await.1, 204);
    let reject = json!({"reason": "out of noodles"});
    let r = app.post(&format!("/api/v1/orders/{id}/reject"), &reject, Some(&k.clerk)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let paid = fake.prepay(&reference(&p)).amount.total;
    assert_eq!(fake.refunds().iter().map(|r| (r.2, r.3)).collect::<Vec<_>>(), [(paid, paid)], "refunded in full");
    for c in fake.finish_refunds() {
        assert_eq!(fake.deliver(&c).await.0, 204);
    }

    // A bill at the store.
    let b = start(format!("/api/v1/stores/{}/bills", k.store), json!({"amount": 8800})).await;
    let bill = b["id"].as_str().expect("bill").to_owned();
    let p = start(format!("/api/v1/orders/{bill}/payments"), wechat.clone()).await;
    assert_eq!(fake.pay(&reference(&p)).await.1, 204);
    let t = app.get(&format!("/api/v1/orders/{bill}/tracking"), Some(&k.consumer)).await.json();
    assert_eq!(t["order"]["status"], "completed", "{t}");

    // A card recharge with a bonus.
    let program = json!({"points_per_yuan": 1, "tiers": [{"pay": 50000, "bonus": 5000}]});
    let r = app.put(&format!("/api/v1/merchants/{}/loyalty", k.merchant), &program, Some(&k.owner)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let join = app.post(&format!("/api/v1/stores/{}/membership", k.store), &json!({}), Some(&k.consumer)).await;
    assert_eq!(join.status, 200, "{}", join.text);
    let mut body = json!({"pay": 50000});
    body["provider"] = json!("wechatpay");
    let rc = start(format!("/api/v1/me/cards/{}/recharges", k.merchant), body).await;
    let (callback, status, _) = fake.pay(rc["provider_ref"].as_str().expect("ref")).await;
    assert_eq!(status, 204);
    assert_eq!(fake.deliver(&callback).await.0, 204, "a redelivery is acknowledged");
    let card = app.get(&format!("/api/v1/me/cards/{}", k.merchant), Some(&k.consumer)).await.json();
    assert_eq!(card["card"]["stored_value"], 55000, "{card}");
    assert_ledger_holds(&app).await;
}
