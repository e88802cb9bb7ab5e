//! Issue I: money that must not move (near-free deliveries paid by the platform, floors on
//! commission and rider pay), data that must not leak, and the defaults a security reviewer
//! expects.

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

/// Every operation that takes a JSON object refuses a field it does not know, naming it (422),
/// before anything else happens: taken from the OpenAPI document, so a new operation is covered.
#[tokio::test]
async fn every_json_body_refuses_unknown_fields_naming_them() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let doc = app.get("/api/v1/openapi.json", None).await.json();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for (method, op) in ops.as_object().expect("operations") {
            let body = &op["requestBody"]["content"]["application/json"]["schema"];
            if body.is_null() {
                continue;
            }
            let schema = match body["$ref"].as_str() {
                Some(r) => &doc["components"]["schemas"][r.rsplit('/').next().unwrap_or_default()],
                None => body,
            };
            if schema["type"] != "object" && schema["properties"].is_null() {
                continue; // not an object body (e.g. a tagged union is checked by its variants)
            }
            let mut url = String::new();
            for part in path.split('/').filter(|p| !p.is_empty()) {
                url.push('/');
                url.push_str(&if part.starts_with('{') { uuid::Uuid::now_v7().to_string() } else { part.to_owned() });
            }
            let req = match method.as_str() {
                "post" => app.client.post(format!("{}{url}", app.base)),
                "put" => app.client.put(format!("{}{url}", app.base)),
                "patch" => app.client.patch(format!("{}{url}", app.base)),
                "delete" => app.client.delete(format!("{}{url}", app.base)),
                _ => continue,
            };
            let req = req.bearer_auth(&admin).header("Idempotency-Key", uuid::Uuid::now_v7().to_string());
            let r = app.send(req.json(&json!({"zz_unknown": 1}))).await;
            checked += 1;
            if r.status != 422 || r.json()["error"]["field"] != "zz_unknown" {
                wrong.push(format!("{method} {path}: {} {}", r.status, r.text));
            }
        }
    }
    assert!(checked > 50, "only {checked} operations take JSON");
    assert!(wrong.is_empty(), "{} of {checked} ignore unknown fields:\n{}", wrong.len(), wrong.join("\n"));
}
