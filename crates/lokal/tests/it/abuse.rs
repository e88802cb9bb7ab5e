//! Issue I: money that must not move (near-free deliveries paid by the platform, floors on
//! commission and rider pay, platform coupons at one's own merchant, bills the till confirms),
//! data that must not leak (offers, positions), staff invitations and what operators may do.
//! The security defaults and bad input are in `security.rs`.

use crate::commerce::assert_ledger_holds;
use crate::harness::TestApp;
use crate::kitchen::{Kitchen, always, at, kitchen, order_and_pay, owed, rider, tasks, track};
use serde_json::{Value, json};

/// Accepts `order`, lets the dispatcher give it to the rider and delivers it.
async fn deliver(app: &TestApp, k: &Kitchen, order: &str, rider_token: &str) {
    let a = app.post(&format!("/api/v1/orders/{order}/accept"), &json!({}), Some(&k.clerk)).await;
    assert_eq!(a.status, 200, "{}", a.text);
    // The food is ready in ten minutes: the rider reports on the way and the dispatcher sends them.
    app.clock.advance_secs(10 * 60);
    assert_eq!(app.post("/api/v1/rider/location", &at(300.0), Some(rider_token)).await.status, 204);
    app.app.dispatch_tick().await.expect("dispatch");
    let mine = tasks(app, rider_token).await;
    let task = mine[0]["id"].as_str().expect("task").to_owned();
    let p = app.post(&format!("/api/v1/rider/tasks/{task}/picked-up"), &json!({}), Some(rider_token)).await;
    assert_eq!(p.status, 200, "{}", p.text);
    let code = track(app, order, &k.consumer).await["order"]["code"].as_str().expect("code").to_owned();
    let d = app.post(&format!("/api/v1/rider/tasks/{task}/delivered"), &json!({"code": code}), Some(rider_token)).await;
    assert_eq!(d.status, 200, "{}", d.text);
}

fn far_profile(radius_m: u32) -> Value {
    json!({"name": "Noodle House People's Square", "category": "food", "address": "1 Nanjing Rd",
        "location": at(0.0), "hours": always(), "delivery": true, "delivery_radius_m": radius_m,
        "pickup": true, "dine_in": true})
}

/// The audit's scenario: delivery fee 0, minimum 0, a 20 km radius and an item at ¥0.01. The
/// radius is cut to the platform's 10 km, the ¥0.01 order is below the platform's ¥10 minimum,
/// and a ¥10 order 8.5 km away costs the platform nothing: the rider's ¥14 comes from the
/// merchant's payable (less the platform's capped subsidy), and the commission is at least ¥1.
#[tokio::test]
async fn a_near_free_delivery_is_paid_by_the_merchant_not_the_platform() {
    for (subsidy_cap, merchant_owed) in [(0, 1000 - 100 - 1400), (500, 1000 - 100 - 900)] {
        let app = TestApp::spawn_config(|c| c.delivery.max_platform_subsidy = subsidy_cap).await;
        let k = kitchen(&app).await;
        let free = json!({"packaging_fee": 0, "min_order": 0, "delivery_fees": [{"up_to_m": 20000, "fee": 0}]});
        let s = app.put(&format!("/api/v1/stores/{}/order-settings", k.store), &free, Some(&k.owner)).await;
        assert_eq!(s.status, 200, "{}", s.text);
        let store = format!("/api/v1/stores/{}", k.store);
        let wide = app.put(&store, &far_profile(20_000), Some(&k.owner)).await;
        assert_eq!(
            (wide.status, wide.json()["error"]["field"].as_str()),
            (422, Some("delivery_radius_m")),
            "{}",
            wide.text
        );
        assert_eq!(app.put(&store, &far_profile(10_000), Some(&k.owner)).await.status, 200);

        let items = format!("/api/v1/merchants/{}/items", k.merchant);
        let item = |name: &str, price: i64| json!({"name": name, "price": price});
        let r = app.post(&items, &item("Toothpick", 1), Some(&k.owner)).await;
        assert_eq!(r.status, 201, "{}", r.text);
        let toothpick = r.json()["id"].as_str().expect("item").to_owned();
        let plain = app.post(&items, &item("Plain noodles", 1000), Some(&k.owner)).await.json()["id"]
            .as_str()
            .expect("item")
            .to_owned();
        let cart = |item: &str, north_m: f64| {
            json!({"store_id": k.store, "mode": "delivery", "lines": [{"item_id": item, "quantity": 1}],
                "address": {"text": "far away", "lat": at(north_m)["lat"], "lng": at(north_m)["lng"]}})
        };
        let cheap = app.post("/api/v1/quotes", &cart(&toothpick, 8_500.0), Some(&k.consumer)).await;
        assert_eq!((cheap.status, cheap.code().as_str()), (422, "below_minimum_order"), "{}", cheap.text);
        let beyond = app.post("/api/v1/quotes", &cart(&plain, 10_500.0), Some(&k.consumer)).await;
        assert_eq!(beyond.code(), "outside_delivery_area");

        let (rider_token, rider_id) = rider(&app, &k, "far-rider@test.lokal", 300.0).await;
        let order = order_and_pay(&app, &cart(&plain, 8_500.0), &k.consumer).await;
        deliver(&app, &k, &order, &rider_token).await;
        assert_eq!(owed(&app, &format!("rider:{rider_id}:payable")).await, 500 + 9 * 100, "the rider is paid in full");
        assert_eq!(owed(&app, &format!("merchant:{}:payable", k.merchant)).await, merchant_owed, "cap {subsidy_cap}");
        // The platform's costs less its delivery revenue are at most its cap.
        let costs = -owed(&app, "platform:costs").await;
        let revenue = owed(&app, "platform:revenue").await;
        assert_eq!(costs, 1400);
        assert_eq!(
            revenue - 100,
            1400 - subsidy_cap,
            "commission ¥1 (the floor, not 8 % of ¥10) and the merchant's share"
        );
        assert_ledger_holds(&app).await;
    }
}

/// Twenty refunds of the same vouchers at once: one refunds, the others are told the vouchers
/// are not refundable (409), none is a 500, and the money comes back once.
#[tokio::test]
async fn concurrent_refunds_of_the_same_vouchers_refund_once_and_the_rest_are_409() {
    let app = TestApp::spawn().await;
    let s = crate::commerce::shop(&app, "Spa").await;
    let deal = crate::commerce::create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("refunder@test.lokal").await;
    let order = crate::commerce::buy(&app, &deal, &me, 2).await;
    let path = format!("/api/v1/orders/{}/refunds", order["id"].as_str().expect("id"));
    let answers = crate::harness::join_all((0..20).map(|i| {
        let (app, path, me) = (&app, &path, &me);
        async move { app.post_keyed(path, &json!({}), me, &format!("refund-{i}")).await }
    }))
    .await;
    let statuses: Vec<u16> = answers.iter().map(|r| r.status).collect();
    assert_eq!(statuses.iter().filter(|&&s| s == 201).count(), 1, "{statuses:?}");
    for r in answers.iter().filter(|r| r.status != 201) {
        assert_eq!((r.status, r.code().as_str()), (409, "not_refundable"), "{}", r.text);
    }
    let refunded =
        sqlx::query("SELECT COUNT(*) AS n FROM refunds").fetch_one(app.app.db().pool()).await.expect("count");
    assert_eq!(sqlx::Row::get::<i64, _>(&refunded, "n"), 1);
    assert_ledger_holds(&app).await;
}

/// The store presses "ready" long before its estimate: the task is ready now, the estimate moves
/// earlier, and the dispatcher (woken, not at its next tick an hour away) sends the idle rider
/// 900 m away at once.
#[tokio::test]
async fn food_marked_ready_is_dispatched_at_once_and_the_estimate_moves() {
    let app = TestApp::spawn_config(|c| c.delivery.dispatch_interval_secs = 3_600).await;
    let k = kitchen(&app).await;
    let (rider_token, _) = rider(&app, &k, "idle-rider@test.lokal", 900.0).await;
    let order = order_and_pay(&app, &k.delivery_cart(), &k.consumer).await;
    let a = app.post(&format!("/api/v1/orders/{order}/accept"), &json!({"prep_minutes": 30}), Some(&k.clerk)).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(app.app.dispatch_tick().await.expect("dispatch"), 0, "ready in 30 minutes: too early to send anyone");
    let promised = track(&app, &order, &k.consumer).await["order"]["eta_at"].as_str().expect("eta").to_owned();
    app.clock.advance_secs(4 * 60);
    assert_eq!(app.post("/api/v1/rider/location", &at(900.0), Some(&rider_token)).await.status, 204);
    let r = app.post(&format!("/api/v1/orders/{order}/ready"), &json!({}), Some(&k.clerk)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mut mine = Vec::new();
    for _ in 0..50 {
        mine = tasks(&app, &rider_token).await;
        if !mine.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(mine.len(), 1, "the rider is sent as soon as the food is ready");
    let now = track(&app, &order, &k.consumer).await["order"]["eta_at"].as_str().expect("eta").to_owned();
    assert!(now < promised, "the estimate moved earlier: {now} (was {promised})");
}

/// In assign mode there are no offers; in grab mode an offer shows the store, a rounded area and
/// the distances, never the door, the receiver, their phone or the note, until grabbed.
#[tokio::test]
async fn offers_show_no_consumer_details_and_there_are_none_in_assign_mode() {
    let cart_with_contact = |k: &Kitchen| {
        let mut c = k.delivery_cart();
        c["address"]["door"] = json!("Room 1203");
        c["address"]["contact_name"] = json!("王小姐");
        c["address"]["contact_phone"] = json!("13912345678");
        c["note"] = json!("leave it with the guard");
        c
    };
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let (rider_token, _) = rider(&app, &k, "assigned-rider@test.lokal", 200.0).await;
    let order = order_and_pay(&app, &cart_with_contact(&k), &k.consumer).await;
    assert_eq!(app.post(&format!("/api/v1/orders/{order}/accept"), &json!({}), Some(&k.clerk)).await.status, 200);
    let offers = app.get("/api/v1/rider/offers", Some(&rider_token)).await;
    assert_eq!((offers.status, offers.json()["items"].as_array().map(Vec::len)), (200, Some(0)), "{}", offers.text);

    let grab = lokal_app::delivery_settings::DispatchMode::Grab;
    let app = TestApp::spawn_config(|c| c.delivery.dispatch_mode = grab).await;
    let k = kitchen(&app).await;
    let (rider_token, _) = rider(&app, &k, "grab-rider@test.lokal", 200.0).await;
    let order = order_and_pay(&app, &cart_with_contact(&k), &k.consumer).await;
    assert_eq!(app.post(&format!("/api/v1/orders/{order}/accept"), &json!({}), Some(&k.clerk)).await.status, 200);
    let offers = app.get("/api/v1/rider/offers", Some(&rider_token)).await;
    let offer = offers.json()["items"][0].clone();
    assert_eq!(offer["store_name"], "Noodle House People's Square", "{}", offers.text);
    assert!(offer["distance_m"].as_i64().is_some_and(|m| (790..=810).contains(&m)), "{offer}");
    for secret in ["Xizang", "1203", "王小姐", "13912345678", "guard", "Beef", "order"] {
        assert!(!offers.text.contains(secret), "an offer shows {secret:?}: {}", offers.text);
    }
    let door = at(800.0);
    let area = &offer["drop_area"];
    let off_by = |k: &str| (area[k].as_f64().expect("area") - door[k].as_f64().expect("door")).abs();
    assert!(off_by("lat") <= 0.0025 && off_by("lng") <= 0.0025, "an area near the door: {area} vs {door}");
    assert!(off_by("lat") > 0.0 || off_by("lng") > 0.0, "not the door itself");
    let id = offer["id"].as_str().expect("id");
    assert_eq!(app.post(&format!("/api/v1/rider/offers/{id}/grab"), &json!({}), Some(&rider_token)).await.status, 204);
    let mine = tasks(&app, &rider_token).await;
    assert_eq!(mine[0]["order"]["door"], "Room 1203", "the rider who grabbed it sees the door: {}", mine[0]);
}

/// A rider's position must be plausible: inside the city, and not farther from the last one than
/// a rider rides in the time between. Implausible reports are refused (422) and flagged in the
/// audit log; the stored position stays the last plausible one.
#[tokio::test]
async fn implausible_rider_positions_are_refused_and_flagged() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let (rider_token, rider_id) = rider(&app, &k, "teleporter@test.lokal", 300.0).await;
    let jump = app.post("/api/v1/rider/location", &at(20_000.0), Some(&rider_token)).await;
    assert_eq!((jump.status, jump.code().as_str()), (422, "position_implausible"), "20 km at once: {}", jump.text);
    let beijing =
        app.post("/api/v1/rider/location", &json!({"lat": 39.9042, "lng": 116.4074}), Some(&rider_token)).await;
    assert_eq!(beijing.code(), "position_implausible", "outside the city");
    // Twenty minutes later, 20 km is a ride (60 km/h).
    app.clock.advance_secs(20 * 60);
    assert_eq!(app.post("/api/v1/rider/location", &at(20_000.0), Some(&rider_token)).await.status, 204);
    let flags = app.get(&format!("/api/v1/admin/audit?subject=rider:{rider_id}"), Some(&k.admin)).await;
    assert_eq!(flags.status, 200, "{}", flags.text);
    let items = flags.json()["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 2, "both refusals are flagged: {}", flags.text);
    assert!(items.iter().all(|e| e["action"] == "rider.position_refused" && e["actor_id"] == rider_id.as_str()));
    assert!(flags.text.contains("rider.position_refused"));
    assert_eq!(app.get("/api/v1/admin/audit", Some(&rider_token)).await.status, 403, "operators only");
}

/// Operators suspend a rider (their task goes back to the dispatcher), reinstate them, revoke
/// their role, and disable an account (its sessions end, it cannot log in); nobody locks
/// themselves out; every action is in the audit log with its reason.
#[tokio::test]
async fn operators_suspend_riders_revoke_roles_and_disable_accounts_with_an_audit_trail() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let (rider_token, rider_id) = rider(&app, &k, "cheat@test.lokal", 200.0).await;
    let order = order_and_pay(&app, &k.delivery_cart(), &k.consumer).await;
    assert_eq!(app.post(&format!("/api/v1/orders/{order}/accept"), &json!({}), Some(&k.clerk)).await.status, 200);
    assert_eq!(app.post(&format!("/api/v1/orders/{order}/ready"), &json!({}), Some(&k.clerk)).await.status, 200);
    app.app.dispatch_tick().await.expect("dispatch");
    assert_eq!(tasks(&app, &rider_token).await.len(), 1);

    let why = json!({"reason": "reported positions from another city"});
    let suspend = format!("/api/v1/admin/riders/{rider_id}/suspend");
    assert_eq!(app.post(&suspend, &why, Some(&k.clerk)).await.status, 403, "operators only");
    assert_eq!(app.post(&suspend, &json!({"reason": ""}), Some(&k.admin)).await.status, 422, "a reason is needed");
    let s = app.post(&suspend, &why, Some(&k.admin)).await;
    assert_eq!((s.status, s.json()["status"].as_str()), (200, Some("suspended")), "{}", s.text);
    assert_eq!(app.get("/api/v1/rider/tasks", Some(&rider_token)).await.status, 403);
    assert_eq!(app.post("/api/v1/rider/location", &at(200.0), Some(&rider_token)).await.status, 403);
    assert_eq!(track(&app, &order, &k.consumer).await["order"]["delivery"]["status"], "waiting", "back to dispatch");
    assert_eq!(app.post(&suspend, &why, Some(&k.admin)).await.status, 409, "already suspended");
    let back = app.post(&format!("/api/v1/admin/riders/{rider_id}/reinstate"), &why, Some(&k.admin)).await;
    assert_eq!(back.json()["status"], "approved", "{}", back.text);

    let revoke = format!("/api/v1/admin/users/{rider_id}/grants/rider/revoke");
    assert_eq!(app.post(&revoke, &why, Some(&k.admin)).await.status, 204);
    assert_eq!(app.get("/api/v1/rider/tasks", Some(&rider_token)).await.status, 403, "no longer a rider");
    assert_eq!(app.post(&revoke, &why, Some(&k.admin)).await.status, 404, "nothing left to revoke");

    let (victim, victim_id) = app.user("spammer@test.lokal").await;
    let disable = format!("/api/v1/admin/users/{victim_id}/disable");
    assert_eq!(app.post(&disable, &why, Some(&k.consumer)).await.status, 403);
    assert_eq!(app.post(&disable, &why, Some(&k.admin)).await.status, 204);
    assert_eq!(app.get("/api/v1/me", Some(&victim)).await.status, 401, "its sessions ended");
    assert_eq!(app.login("spammer@test.lokal", "correct horse").await.status, 401, "and it cannot log in");
    let admin_id = app.get("/api/v1/me", Some(&k.admin)).await.json()["user"]["id"].as_str().expect("me").to_owned();
    let own = app.post(&format!("/api/v1/admin/users/{admin_id}/disable"), &why, Some(&k.admin)).await;
    assert_eq!(own.status, 409, "{}", own.text);
    let own =
        app.post(&format!("/api/v1/admin/users/{admin_id}/grants/platform_admin/revoke"), &why, Some(&k.admin)).await;
    assert_eq!(own.status, 409);
    assert_eq!(app.post(&format!("/api/v1/admin/users/{victim_id}/enable"), &why, Some(&k.admin)).await.status, 204);
    assert_eq!(app.login("spammer@test.lokal", "correct horse").await.status, 200);

    let log = app.get("/api/v1/admin/audit", Some(&k.admin)).await.json();
    let actions: Vec<&str> =
        log["items"].as_array().into_iter().flatten().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["user.enabled", "user.disabled", "grant.revoked", "rider.reinstated", "rider.suspended"]);
    assert!(log["items"].as_array().into_iter().flatten().all(|e| e["actor_id"] == admin_id.as_str()));
    assert_eq!(log["items"][4]["detail"], "reported positions from another city");
}

/// A coupon batch or a promotion may discount only the merchant's own items.
#[tokio::test]
async fn offers_naming_another_merchants_item_are_refused() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let (rival_owner, rival_owner_id) = app.user("rival@test.lokal").await;
    let rival =
        app.post("/api/v1/merchants", &json!({"name": "Rival", "owner_user_id": rival_owner_id}), Some(&k.admin)).await;
    let rival = rival.json()["id"].as_str().expect("merchant").to_owned();
    let theirs = app
        .post(
            &format!("/api/v1/merchants/{rival}/items"),
            &json!({"name": "Dumplings", "price": 1800}),
            Some(&rival_owner),
        )
        .await;
    let theirs = theirs.json()["id"].as_str().expect("item").to_owned();
    let ends = crate::commerce::rfc3339(&app, 7 * 86_400);
    let item_off = |item: &str| json!({"kind": "item_off", "item": item, "off_each": 300, "max_units": 1});
    for item in [theirs.as_str(), "01a20853-55f8-72d3-aa75-e5bfb9628eb4"] {
        let promo = json!({"title": "¥3 off", "benefit": item_off(item), "ends_at": ends});
        let r = app.post(&format!("/api/v1/merchants/{}/promotions", k.merchant), &promo, Some(&k.owner)).await;
        assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("benefit.item")), "{}", r.text);
        let batch =
            json!({"title": "¥3 off", "benefit": item_off(item), "claim_until": ends, "valid_days": 7, "quantity": 10});
        let r = app.post(&format!("/api/v1/merchants/{}/coupon-batches", k.merchant), &batch, Some(&k.owner)).await;
        assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("benefit.item")), "{}", r.text);
    }
    let own = json!({"title": "¥3 off", "benefit": item_off(&k.noodles), "ends_at": ends});
    assert_eq!(
        app.post(&format!("/api/v1/merchants/{}/promotions", k.merchant), &own, Some(&k.owner)).await.status,
        201
    );
}

/// The audit's scenario: a clerk claims a platform coupon and pays a small bill at their own
/// store, moving the platform's money to their merchant. Staff of a merchant cannot use platform
/// coupons there (neither chosen for them nor named); a consumer, and the clerk elsewhere, can.
#[tokio::test]
async fn staff_cannot_spend_platform_coupons_at_their_own_merchant() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let batch = json!({"title": "¥9.20 off", "benefit": {"kind": "amount_off", "off": 920, "threshold": 1000},
        "claim_until": crate::commerce::rfc3339(&app, 86_400), "valid_days": 7, "quantity": 10});
    let b = app.post("/api/v1/admin/coupon-batches", &batch, Some(&k.admin)).await;
    assert_eq!(b.status, 201, "{}", b.text);
    let claims = format!("/api/v1/coupon-batches/{}/claims", b.json()["id"].as_str().expect("batch"));
    let coupon_of = |r: crate::harness::Resp| r.json()["id"].as_str().expect("coupon").to_owned();
    let clerks = coupon_of(app.post(&claims, &json!({}), Some(&k.clerk)).await);
    app.post(&claims, &json!({}), Some(&k.consumer)).await;
    let bills = format!("/api/v1/stores/{}/bills", k.store);
    let own = app.post_keyed(&bills, &json!({"amount": 1000}), &k.clerk, "clerk-bill").await;
    assert_eq!(
        (own.status, own.json()["total"]["amount"].as_i64()),
        (201, Some(1000)),
        "no platform coupon: {}",
        own.text
    );
    let named = app.post_keyed(&bills, &json!({"amount": 1000, "coupon_ids": [clerks]}), &k.clerk, "named").await;
    assert_eq!((named.status, named.json()["error"]["field"].as_str()), (422, Some("coupon_ids")), "{}", named.text);
    let mut cart = k.cart("pickup");
    cart["coupon_ids"] = json!([clerks]);
    let quote = app.post("/api/v1/quotes", &cart, Some(&k.clerk)).await;
    assert_eq!(quote.code(), "validation_failed", "nor on a menu order: {}", quote.text);
    let theirs = app.post_keyed(&bills, &json!({"amount": 1000}), &k.consumer, "consumer-bill").await;
    assert_eq!(theirs.json()["total"]["amount"], 80, "a consumer's platform coupon applies: {}", theirs.text);

    // At another merchant the clerk is a consumer like any other.
    let (rival_owner, rival_owner_id) = app.user("elsewhere-owner@test.lokal").await;
    let rival = app
        .post("/api/v1/merchants", &json!({"name": "Elsewhere", "owner_user_id": rival_owner_id}), Some(&k.admin))
        .await;
    let rival = rival.json()["id"].as_str().expect("merchant").to_owned();
    let shop =
        json!({"name": "Elsewhere Café", "location": crate::kitchen::at(900.0), "hours": always(), "pickup": true});
    let s = app.post(&format!("/api/v1/merchants/{rival}/stores"), &shop, Some(&rival_owner)).await;
    let elsewhere = s.json()["id"].as_str().expect("store").to_owned();
    let there =
        app.post_keyed(&format!("/api/v1/stores/{elsewhere}/bills"), &json!({"amount": 1000}), &k.clerk, "there").await;
    assert_eq!(there.json()["total"]["amount"], 80, "{}", there.text);
}

/// Where the store says so (`bill_confirmation`), a paid bill waits at the till: the cashier
/// confirms it (then it is settled) or refuses it (refunded); one nobody confirms in time is
/// refunded. The till page shows the waiting bills with both buttons.
#[tokio::test]
async fn bills_wait_for_the_till_to_confirm_them_when_the_store_says_so() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let settings = json!({"bill_confirmation": true, "accept_within_secs": 300});
    let s = app.put(&format!("/api/v1/stores/{}/order-settings", k.store), &settings, Some(&k.owner)).await;
    assert_eq!(s.status, 200, "{}", s.text);
    let bills = format!("/api/v1/stores/{}/bills", k.store);
    let open = |key: &'static str| {
        let bills = bills.clone();
        let app = &app;
        let consumer = k.consumer.clone();
        async move {
            let b = app.post_keyed(&bills, &json!({"amount": 5000}), &consumer, key).await;
            assert_eq!(b.status, 201, "{}", b.text);
            let id = b.json()["id"].as_str().expect("bill").to_owned();
            crate::kitchen::pay(app, &id, &consumer).await;
            id
        }
    };
    let first = open("held-1").await;
    let till = app.get(&bills, Some(&k.clerk)).await.json();
    assert_eq!(
        (till["items"][0]["id"].as_str(), till["items"][0]["status"].as_str()),
        (Some(first.as_str()), Some("paid"))
    );
    assert_eq!(
        owed(&app, &format!("merchant:{}:payable", k.merchant)).await,
        0,
        "not settled before the till confirms"
    );
    let (c, _) = crate::web::logged_in_client(&app, "noodle-clerk@test.lokal", "correct horse").await;
    let html = c
        .get(format!("{}/merchant/till?store={}", app.base, k.store))
        .send()
        .await
        .expect("till")
        .text()
        .await
        .expect("html");
    assert!(html.contains("data-testid=\"till-confirm\"") && html.contains("data-testid=\"till-refuse\""), "{html}");
    assert_eq!(app.post(&format!("/api/v1/bills/{first}/confirm"), &json!({}), Some(&k.consumer)).await.status, 403);
    let ok = app.post(&format!("/api/v1/bills/{first}/confirm"), &json!({}), Some(&k.clerk)).await;
    assert_eq!((ok.status, ok.json()["status"].as_str()), (200, Some("completed")), "{}", ok.text);
    assert_eq!(owed(&app, &format!("merchant:{}:payable", k.merchant)).await, 5000 - 400);
    assert_eq!(
        app.post(&format!("/api/v1/bills/{first}/confirm"), &json!({}), Some(&k.clerk)).await.code(),
        "order_state_conflict"
    );

    let refused = open("held-2").await;
    let r =
        app.post(&format!("/api/v1/orders/{refused}/reject"), &json!({"reason": "no such bill"}), Some(&k.clerk)).await;
    assert_eq!((r.status, r.json()["status"].as_str()), (200, Some("rejected")), "{}", r.text);
    let forgotten = open("held-3").await;
    app.clock.advance_secs(301);
    app.app.commerce_tick().await.expect("tick");
    let t = track(&app, &forgotten, &k.consumer).await;
    assert_eq!(t["order"]["status"], "rejected", "refunded when the till never answered");
    let refunds = sqlx::query("SELECT COUNT(*) AS n FROM refunds").fetch_one(app.app.db().pool()).await.expect("count");
    assert_eq!(sqlx::Row::get::<i64, _>(&refunds, "n"), 2);
    assert_eq!(owed(&app, &format!("merchant:{}:payable", k.merchant)).await, 5000 - 400, "only the confirmed bill");
    assert_ledger_holds(&app).await;
}

/// Adding staff is an invitation the person answers in their account; until then they are not
/// staff. The answer is the same whether or not the login has an account (no enumeration), and
/// the invitation waits for a sign-up with that login. Staff leave by themselves; the last owner
/// cannot.
#[tokio::test]
async fn staff_are_invited_and_join_only_by_accepting() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let staff = format!("/api/v1/merchants/{}/staff", k.merchant);
    let (existing, _) = app.user("cook@test.lokal").await;
    let to_existing = app.post(&staff, &json!({"login": "cook@test.lokal", "role": "clerk"}), Some(&k.owner)).await;
    let to_nobody =
        app.post(&staff, &json!({"login": "future-cook@test.lokal", "role": "clerk"}), Some(&k.owner)).await;
    assert_eq!((to_existing.status, to_nobody.status), (201, 201));
    let shape = |r: &crate::harness::Resp| {
        let mut j = r.json();
        for k in ["id", "login", "created_at"] {
            j[k] = json!("…");
        }
        j
    };
    assert_eq!(shape(&to_existing), shape(&to_nobody), "the same answer whether or not the account exists");
    assert_eq!(to_existing.json()["status"], "invited");
    let twice = app.post(&staff, &json!({"login": "future-cook@test.lokal", "role": "clerk"}), Some(&k.owner)).await;
    assert_eq!(twice.code(), "conflict", "one open invitation per login");

    // Invited is not staff; someone else cannot answer it.
    assert_eq!(app.get(&format!("/api/v1/stores/{}/orders", k.store), Some(&existing)).await.status, 403);
    let id = to_existing.json()["id"].as_str().expect("id").to_owned();
    assert_eq!(
        app.post(&format!("/api/v1/me/invitations/{id}/accept"), &json!({}), Some(&k.consumer)).await.status,
        404
    );
    let mine = app.get("/api/v1/me/invitations", Some(&existing)).await.json();
    assert_eq!(mine["items"][0]["merchant_name"], "Noodle House", "{mine}");
    let inbox = app.get("/api/v1/me/messages", Some(&existing)).await;
    assert!(inbox.text.contains("Noodle House"), "told in the message centre: {}", inbox.text);
    let ok = app.post(&format!("/api/v1/me/invitations/{id}/accept"), &json!({}), Some(&existing)).await;
    assert_eq!((ok.status, ok.json()["status"].as_str()), (200, Some("accepted")), "{}", ok.text);
    assert_eq!(app.get(&format!("/api/v1/stores/{}/orders", k.store), Some(&existing)).await.status, 200);
    assert_eq!(
        app.post(&format!("/api/v1/me/invitations/{id}/accept"), &json!({}), Some(&existing)).await.code(),
        "conflict"
    );

    // The invitation waits for the sign-up; declining leaves them a consumer.
    let (later, _) = app.user("future-cook@test.lokal").await;
    let waiting = app.get("/api/v1/me/invitations", Some(&later)).await.json();
    let later_id = waiting["items"][0]["id"].as_str().expect("waiting invitation").to_owned();
    let no = app.post(&format!("/api/v1/me/invitations/{later_id}/decline"), &json!({}), Some(&later)).await;
    assert_eq!(no.json()["status"], "declined");
    assert_eq!(app.get(&format!("/api/v1/stores/{}/orders", k.store), Some(&later)).await.status, 403);

    // Staff leave by themselves; the only owner cannot, and the console hides their button.
    let leave = format!("/api/v1/me/merchants/{}/leave", k.merchant);
    assert_eq!(app.post(&leave, &json!({}), Some(&existing)).await.status, 204);
    assert_eq!(app.get(&format!("/api/v1/stores/{}/orders", k.store), Some(&existing)).await.status, 403);
    let last = app.post(&leave, &json!({}), Some(&k.owner)).await;
    assert_eq!((last.status, last.code().as_str()), (409, "conflict"));
    let (c, _) = crate::web::logged_in_client(&app, "noodle-owner@test.lokal", "correct horse").await;
    let console = c.get(format!("{}/merchant", app.base)).send().await.expect("console").text().await.expect("html");
    assert_eq!(console.matches("data-testid=\"staff-remove\"").count(), 1, "only the clerk can be removed: {console}");
    let account = c.get(format!("{}/account", app.base)).send().await.expect("account").text().await.expect("html");
    assert!(account.contains("data-testid=\"last-owner\"") && !account.contains("data-testid=\"staff-leave\""));
}
