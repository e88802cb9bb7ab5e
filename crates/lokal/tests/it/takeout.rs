//! Menu orders: from cart to door, pickup and dine-in, bad carts, and pay-at-store.

use crate::commerce::assert_ledger_holds;
use crate::harness::TestApp;
use crate::kitchen::{Kitchen, at, kitchen, order_and_pay, owed, pay, rider, tasks, track};
use serde_json::json;

#[tokio::test]
async fn a_delivery_order_goes_from_cart_to_door_and_everyone_is_paid() {
    // Arrange: a shop, a consumer and a rider 300 m from the shop.
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let (rider_token, rider_id) = rider(&app, &k, "rider-one@test.lokal", 300.0).await;

    // A quote prices options, packaging and the delivery band.
    let q = app.post("/api/v1/quotes", &k.delivery_cart(), Some(&k.consumer)).await;
    assert_eq!(q.status, 201, "{}", q.text);
    let quote = q.json();
    assert_eq!(quote["subtotal"]["amount"], 3000 * 2 + 800);
    assert_eq!(
        (quote["packaging_fee"]["amount"].as_i64(), quote["delivery_fee"]["amount"].as_i64()),
        (Some(100), Some(500))
    );
    assert_eq!(quote["total"]["amount"], 7400);
    assert!(quote["eta_minutes"].as_i64().is_some_and(|m| (10..=40).contains(&m)), "{quote}");

    // Order and pay: the store sees a paid order waiting for it.
    let order = order_and_pay(&app, &k.delivery_cart(), &k.consumer).await;
    let desk = app.get(&format!("/api/v1/stores/{}/orders", k.store), Some(&k.clerk)).await.json();
    assert_eq!(desk["items"][0]["id"], order.as_str());
    assert_eq!(desk["items"][0]["status"], "paid");
    assert!(desk["items"][0]["code"].is_null(), "the store never sees the consumer's delivery code");

    // The store accepts with 30 minutes to prepare: too early to send a rider, so the dispatcher
    // waits; ten minutes before the food is ready it gives the task to the nearby rider.
    let a = app.post(&format!("/api/v1/orders/{order}/accept"), &json!({"prep_minutes": 30}), Some(&k.clerk)).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json()["delivery"]["status"], "waiting");
    assert_eq!(app.app.dispatch_tick().await.expect("dispatch"), 0);
    assert!(tasks(&app, &rider_token).await.is_empty());
    app.clock.advance_secs(20 * 60);
    assert_eq!(app.post("/api/v1/rider/location", &at(300.0), Some(&rider_token)).await.status, 204);
    app.app.dispatch_tick().await.expect("dispatch");
    let mine = tasks(&app, &rider_token).await;
    assert_eq!(mine.len(), 1);
    let task = mine[0]["id"].as_str().expect("task").to_owned();
    assert_eq!(mine[0]["pay"]["amount"], 600, "500 base + 100 for the started kilometre");

    // At the store, picked up: the consumer sees the rider's position, the store does not.
    assert_eq!(
        app.post(&format!("/api/v1/rider/tasks/{task}/arrived"), &json!({}), Some(&rider_token)).await.status,
        200
    );
    let p = app.post(&format!("/api/v1/rider/tasks/{task}/picked-up"), &json!({}), Some(&rider_token)).await;
    assert_eq!(p.status, 200, "{}", p.text);
    assert_eq!(app.post("/api/v1/rider/location", &at(500.0), Some(&rider_token)).await.status, 204);
    let seen = track(&app, &order, &k.consumer).await;
    assert_eq!(seen["order"]["status"], "delivering");
    assert!(seen["rider_position"]["lat"].as_f64().is_some(), "{seen}");
    let store_view = track(&app, &order, &k.clerk).await;
    assert!(store_view["rider_position"].is_null() && store_view["order"]["eta_at"].is_string());

    // Delivered against the consumer's code only.
    let code = seen["order"]["code"].as_str().expect("code").to_owned();
    let wrong = if code == "0000" { "1111" } else { "0000" };
    let bad =
        app.post(&format!("/api/v1/rider/tasks/{task}/delivered"), &json!({"code": wrong}), Some(&rider_token)).await;
    assert_eq!((bad.status, bad.code().as_str()), (422, "delivery_code_invalid"));
    let done =
        app.post(&format!("/api/v1/rider/tasks/{task}/delivered"), &json!({"code": code}), Some(&rider_token)).await;
    assert_eq!(done.status, 200, "{}", done.text);
    let end = track(&app, &order, &k.consumer).await;
    assert_eq!(end["order"]["status"], "completed");
    let steps: Vec<&str> =
        end["order"]["timeline"].as_array().expect("steps").iter().filter_map(|s| s["kind"].as_str()).collect();
    assert_eq!(steps, ["placed", "paid", "accepted", "rider_assigned", "rider_at_store", "picked_up", "delivered"]);

    // Money: the merchant earns goods less 8 % and less the part of the rider's pay (600) that
    // the consumer's fee (500) does not cover (the platform subsidises none by default); the
    // rider earns the task pay; the books balance.
    assert_eq!(owed(&app, &format!("merchant:{}:payable", k.merchant)).await, 6900 - 552 - 100);
    assert_eq!(owed(&app, &format!("rider:{rider_id}:payable")).await, 600);
    assert_ledger_holds(&app).await;

    // The hourly guarantee (25 yuan) pays the minutes the rider was available: each position
    // report counts for up to five minutes. Reports at 0 and 20 minutes, then every five minutes
    // to the end of the hour: 5 + 40 = 45 minutes, 18.75 yuan guaranteed, 6 earned, 12.75 topped up.
    for _ in 0..8 {
        app.clock.advance_secs(5 * 60);
        assert_eq!(app.post("/api/v1/rider/location", &at(300.0), Some(&rider_token)).await.status, 204);
    }
    let shift = app.delete("/api/v1/rider/shift", Some(&rider_token)).await;
    assert_eq!(shift.status, 200, "{}", shift.text);
    let (earned, topup) = (shift.json()["earned"]["amount"].as_i64(), shift.json()["topup"]["amount"].as_i64());
    assert_eq!((earned, topup), (Some(600), Some(1275)));
    assert_eq!(owed(&app, &format!("rider:{rider_id}:payable")).await, 1875);
    assert_ledger_holds(&app).await;
}

#[tokio::test]
async fn pickup_and_dine_in_orders_are_handed_over_at_the_counter_and_stock_is_taken_on_payment() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let mut cart = k.cart("pickup");
    cart["lines"] = json!([{"item_id": k.tea, "quantity": 1}]);
    let order = order_and_pay(&app, &cart, &k.consumer).await;
    let menu = app.get(&format!("/api/v1/stores/{}/menu", k.store), None).await.json();
    let tea = menu["items"].as_array().expect("menu").iter().find(|i| i["id"] == k.tea.as_str()).expect("tea").clone();
    assert_eq!(tea["stock"], 1, "stock is taken when the payment is confirmed");

    let early = app.post(&format!("/api/v1/orders/{order}/ready"), &json!({}), Some(&k.clerk)).await;
    assert_eq!((early.status, early.code().as_str()), (409, "order_state_conflict"), "not accepted yet");
    assert_eq!(app.post(&format!("/api/v1/orders/{order}/accept"), &json!({}), Some(&k.clerk)).await.status, 200);
    assert_eq!(app.post(&format!("/api/v1/orders/{order}/ready"), &json!({}), Some(&k.clerk)).await.status, 200);
    let code = track(&app, &order, &k.consumer).await["order"]["code"].as_str().expect("code").to_owned();
    let inbox = app.get("/api/v1/me/messages", Some(&k.consumer)).await.json();
    let told = inbox["items"][0]["body"].as_str().unwrap_or("").to_owned();
    assert!(
        told.contains("订单已备好") && told.contains(&code),
        "the consumer is told it is ready (in zh-CN, saving no language): {inbox}"
    );
    let wrong = if code == "0000" { "1111" } else { "0000" };
    let bad = app.post(&format!("/api/v1/orders/{order}/hand-over"), &json!({"code": wrong}), Some(&k.clerk)).await;
    assert_eq!(bad.code(), "delivery_code_invalid");
    let ok = app.post(&format!("/api/v1/orders/{order}/hand-over"), &json!({"code": code}), Some(&k.clerk)).await;
    assert_eq!((ok.status, ok.json()["status"].as_str()), (200, Some("completed")), "{}", ok.text);

    // Four digits are guessable: five wrong tries per order, then even the right code waits.
    let guessed = order_and_pay(&app, &k.cart("pickup"), &k.consumer).await;
    for step in ["accept", "ready"] {
        assert_eq!(app.post(&format!("/api/v1/orders/{guessed}/{step}"), &json!({}), Some(&k.clerk)).await.status, 200);
    }
    let right = track(&app, &guessed, &k.consumer).await["order"]["code"].as_str().expect("code").to_owned();
    let wrong = if right == "0000" { "1111" } else { "0000" };
    for _ in 0..5 {
        let r = app.post(&format!("/api/v1/orders/{guessed}/hand-over"), &json!({"code": wrong}), Some(&k.clerk)).await;
        assert_eq!(r.code(), "delivery_code_invalid");
    }
    let locked =
        app.post(&format!("/api/v1/orders/{guessed}/hand-over"), &json!({"code": right}), Some(&k.clerk)).await;
    assert_eq!(locked.status, 429, "{}", locked.text);

    let dine = order_and_pay(&app, &k.cart("dine_in"), &k.consumer).await;
    assert_eq!(track(&app, &dine, &k.consumer).await["order"]["table_code"], "A12");
    for step in ["accept", "ready", "hand-over"] {
        let r = app.post(&format!("/api/v1/orders/{dine}/{step}"), &json!({}), Some(&k.clerk)).await;
        assert_eq!(r.status, 200, "{step}: {}", r.text);
    }
    // The tea's commission is the platform's ¥1 minimum (8 % would be 72); dine-in has no
    // packaging or delivery fee: the merchant earns 2800 - 224 more.
    assert_eq!(owed(&app, &format!("merchant:{}:payable", k.merchant)).await, (900 - 100) + (2800 - 224));
    assert_ledger_holds(&app).await;
}

async fn quote(app: &TestApp, k: &Kitchen) -> String {
    let q = app.post("/api/v1/quotes", &k.cart("pickup"), Some(&k.consumer)).await;
    q.json()["id"].as_str().expect("quote").to_owned()
}

async fn refused(app: &TestApp, k: &Kitchen, cart: serde_json::Value) -> (u16, String, String) {
    let r = app.post("/api/v1/quotes", &cart, Some(&k.consumer)).await;
    (r.status, r.code(), r.json()["error"]["field"].as_str().unwrap_or("").to_owned())
}

#[tokio::test]
async fn bad_carts_are_refused_with_clear_codes_and_nothing_is_charged() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let mut closed = k.cart("pickup");
    closed["store_id"] = json!(k.closed_store);
    assert_eq!(refused(&app, &k, closed).await.1, "store_closed");
    let mut far = k.delivery_cart();
    far["address"]["lat"] = at(10_000.0)["lat"].clone();
    assert_eq!(refused(&app, &k, far).await, (422, "outside_delivery_area".into(), "address".into()));
    let mut negative = k.cart("pickup");
    negative["lines"][0]["quantity"] = json!(-1);
    assert_eq!(refused(&app, &k, negative).await, (422, "validation_failed".into(), "lines[0].quantity".into()));
    let mut tampered = k.cart("pickup");
    tampered["lines"][0]["price"] = json!(1);
    assert_eq!(refused(&app, &k, tampered).await.0, 422, "a client cannot send prices");
    let mut foreign = k.cart("pickup");
    foreign["lines"][0]["item_id"] = json!(uuid::Uuid::now_v7().to_string());
    assert_eq!(refused(&app, &k, foreign).await, (409, "item_unavailable".into(), "lines[0]".into()));
    // An item of another merchant's store cannot join this store's cart.
    let (other, other_id) = app.user("other-brand@test.lokal").await;
    let m =
        app.post("/api/v1/merchants", &json!({"name": "Other Brand", "owner_user_id": other_id}), Some(&k.admin)).await;
    let items = format!("/api/v1/merchants/{}/items", m.json()["id"].as_str().expect("merchant"));
    let theirs = app.post(&items, &json!({"name": "Their dumplings", "price": 1800}), Some(&other)).await;
    let mut two_stores = k.cart("pickup");
    two_stores["lines"].as_array_mut().expect("lines").push(json!({"item_id": theirs.json()["id"], "quantity": 1}));
    assert_eq!(refused(&app, &k, two_stores).await, (409, "item_unavailable".into(), "lines[1]".into()));
    let mut small = k.delivery_cart();
    small["lines"] = json!([{"item_id": k.tea, "quantity": 1}]);
    assert_eq!(refused(&app, &k, small).await.1, "below_minimum_order");
    let mut no_spice = k.cart("pickup");
    no_spice["lines"][0]["options"] = json!([]);
    assert_eq!(refused(&app, &k, no_spice).await.2, "lines[0].options");
    let mut too_much_tea = k.cart("pickup");
    too_much_tea["lines"] = json!([{"item_id": k.tea, "quantity": 3}]);
    assert_eq!(refused(&app, &k, too_much_tea).await.1, "item_unavailable", "only two in stock");
    let mut no_table = k.cart("dine_in");
    no_table["table_code"] = json!("");
    assert_eq!(refused(&app, &k, no_table).await.2, "table_code");
    let mut control = k.cart("pickup");
    control["note"] = json!("no\u{0}chilli");
    assert_eq!(refused(&app, &k, control).await, (422, "validation_failed".into(), "note".into()));
    let mut bill = k.cart("pickup");
    bill["mode"] = json!("pay_at_store");
    assert_eq!(refused(&app, &k, bill).await.2, "mode");

    // A stale quote, a changed price and a total the consumer did not see are refused.
    let order = |q: String, body: serde_json::Value| {
        let app = &app;
        let token = k.consumer.clone();
        async move {
            app.post_keyed(&format!("/api/v1/quotes/{q}/order"), &body, &token, &uuid::Uuid::now_v7().to_string()).await
        }
    };
    let seen = quote(&app, &k).await;
    assert_eq!(order(seen, json!({"expected_total": 1})).await.code(), "quote_changed");
    let stale = quote(&app, &k).await;
    app.clock.advance_secs(11 * 60);
    assert_eq!(order(stale, json!({})).await.code(), "quote_expired");
    let before = quote(&app, &k).await;
    let price = app
        .put(&format!("/api/v1/stores/{}/items/{}", k.store, k.noodles), &json!({"price": 3300}), Some(&k.owner))
        .await;
    assert_eq!(price.status, 200, "{}", price.text);
    assert_eq!(order(before, json!({})).await.code(), "quote_changed");
    let unkeyed =
        app.post(&format!("/api/v1/quotes/{}/order", quote(&app, &k).await), &json!({}), Some(&k.consumer)).await;
    assert_eq!(unkeyed.status, 422, "paying calls need an Idempotency-Key");
    let other = app.user("someone-else@test.lokal").await.0;
    let theirs =
        app.post_keyed(&format!("/api/v1/quotes/{}/order", quote(&app, &k).await), &json!({}), &other, "k").await;
    assert_eq!(theirs.status, 404, "a quote is its consumer's");

    // Nothing was charged.
    let mine = app.get("/api/v1/me/menu-orders", Some(&k.consumer)).await.json();
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(0));
    assert_ledger_holds(&app).await;
}

#[tokio::test]
async fn pay_at_store_applies_the_store_rule_and_the_cashier_sees_the_payment() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let settings = json!({"pay_at_store": {"kind": "every_off", "every": 10000, "off": 1000}, "pay_at_store_excludes": "酒水 drinks"});
    assert_eq!(
        app.put(&format!("/api/v1/stores/{}/order-settings", k.store), &settings, Some(&k.owner)).await.status,
        200
    );
    let terms = app.get(&format!("/api/v1/stores/{}/pay-at-store", k.store), None).await.json();
    assert_eq!((terms["rule"]["kind"].as_str(), terms["excludes"].as_str()), (Some("every_off"), Some("酒水 drinks")));

    // 250 yuan of which 30 are drinks: 220 discountable, 2 × 10 off.
    let b = app
        .post_keyed(
            &format!("/api/v1/stores/{}/bills", k.store),
            &json!({"amount": 25000, "excluded": 3000}),
            &k.consumer,
            "bill-1",
        )
        .await;
    assert_eq!(b.status, 201, "{}", b.text);
    let bill = b.json();
    assert_eq!((bill["discount"]["amount"].as_i64(), bill["total"]["amount"].as_i64()), (Some(2000), Some(23000)));
    let id = bill["id"].as_str().expect("id").to_owned();
    pay(&app, &id, &k.consumer).await;

    let till = app.get(&format!("/api/v1/stores/{}/bills", k.store), Some(&k.clerk)).await.json();
    assert_eq!(till["items"][0]["id"], id.as_str());
    assert_eq!(till["items"][0]["status"], "completed");
    assert_eq!(till["items"][0]["code"], bill["code"], "the cashier matches the payer's confirmation code");
    assert_eq!(owed(&app, &format!("merchant:{}:payable", k.merchant)).await, 23000 - 1840);
    let too_much = app
        .post_keyed(
            &format!("/api/v1/stores/{}/bills", k.store),
            &json!({"amount": 100, "excluded": 200}),
            &k.consumer,
            "bill-2",
        )
        .await;
    assert_eq!((too_much.status, too_much.json()["error"]["field"].as_str()), (422, Some("excluded")));
    let stranger = app.user("not-staff@test.lokal").await.0;
    assert_eq!(app.get(&format!("/api/v1/stores/{}/bills", k.store), Some(&stranger)).await.status, 403);
    assert_ledger_holds(&app).await;
}

#[tokio::test]
async fn the_tracking_and_order_pages_speak_chinese_first_in_the_store_time() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let order = order_and_pay(&app, &k.delivery_cart(), &k.consumer).await;
    let a = app.post(&format!("/api/v1/orders/{order}/accept"), &json!({"prep_minutes": 10}), Some(&k.clerk)).await;
    assert_eq!(a.status, 200, "{}", a.text);
    let (me, _) = crate::web::logged_in_client(&app, "hungry@test.lokal", "correct horse").await;
    let page = format!("{}/orders/{order}/track", app.base);
    let html = me.get(&page).send().await.expect("page").text().await.expect("html");
    assert!(html.contains(r#"data-testid="track" data-status="accepted""#), "{html}");
    for words in ["商家正在备餐", "外卖配送", "商家已接单", "预计 ", " 送达", "预计 10 分钟出餐", "收货码"]
    {
        assert!(html.contains(words), "{words}: {html}");
    }
    assert!(!html.contains("UTC") && !html.contains("⟦"), "{html}");
    // What it cost, where it goes, and its receipt.
    for part in [
        "data-testid=\"track-subtotal\">¥68<",
        "data-testid=\"track-packaging\">¥1<",
        "data-testid=\"track-delivery-fee\">",
        "送至</strong>",
        "Room 1203, 88 Xizang Rd",
        "查看小票",
        "data-testid=\"receipt-paid\">支付时间 ",
    ] {
        assert!(html.contains(part), "{part}: {html}");
    }
    assert!(html.contains(&format!("订单号 {order}")), "{html}");
    let en = me.get(&page).header("accept-language", "en").send().await.expect("page").text().await.expect("html");
    for words in [
        "The store is preparing your order",
        "Accepted by the store",
        "ready in 10 min",
        "Expected at ",
        "Deliver to",
        "Receipt",
        "Paid ",
    ] {
        assert!(en.contains(words), "{words}: {en}");
    }
    // The consumer's list of orders says the same.
    let list = me.get(format!("{}/me/orders", app.base)).send().await.expect("list").text().await.expect("html");
    assert!(list.contains(r#"data-status="accepted""#) && list.contains("商家正在备餐"), "{list}");
    assert!(list.contains("今天 ") && !list.contains("UTC"), "{list}");
}
