//! Dashboards (issue F): the figures come from rollups that are kept correct incrementally (they
//! equal a rebuild from scratch), days are the store's local days, the period before is compared,
//! and only the merchant's managers (and operators, for the platform) see them.

use crate::commerce::{buy, create_deal, redeem, shop};
use crate::harness::TestApp;
use crate::kitchen::{kitchen, order_and_pay, track};
use serde_json::{Value, json};

async fn dashboard(app: &TestApp, path: &str, token: &str) -> Value {
    let r = app.get(path, Some(token)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

fn iso_day(app: &TestApp, days_from_now: i64) -> String {
    // The kitchen's stores are at UTC+8.
    let day = lokal_core::analytics::local_day(app.app.now().millis() + days_from_now * 86_400_000, 480);
    lokal_core::analytics::iso(day)
}

#[tokio::test]
async fn a_merchants_dashboard_adds_up_its_orders_and_stays_right_as_they_change() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let path = format!("/api/v1/merchants/{}/dashboard", k.merchant);
    // Nothing yet.
    let d = dashboard(&app, &path, &k.owner).await;
    assert_eq!((d["total"]["orders"].as_i64(), d["series"].as_array().map(Vec::len)), (Some(0), Some(30)));

    // Three views of the store page; two pickup orders paid; a third paid and cancelled (refunded).
    for _ in 0..3 {
        assert_eq!(app.get(&format!("/api/v1/stores/{}", k.store), None).await.status, 200);
    }
    let first = order_and_pay(&app, &k.cart("pickup"), &k.consumer).await;
    let d = dashboard(&app, &path, &k.owner).await;
    assert_eq!(d["total"]["paid_orders"], 1, "{d}");
    let _second = order_and_pay(&app, &k.cart("pickup"), &k.consumer).await;
    let third = order_and_pay(&app, &k.cart("pickup"), &k.consumer).await;
    let c = app.post(&format!("/api/v1/orders/{third}/cancel"), &json!({"reason": "oops"}), Some(&k.consumer)).await;
    assert_eq!(c.status, 200, "{}", c.text);
    // The first is handed over at the counter.
    assert_eq!(app.post(&format!("/api/v1/orders/{first}/accept"), &json!({}), Some(&k.clerk)).await.status, 200);
    assert_eq!(app.post(&format!("/api/v1/orders/{first}/ready"), &json!({}), Some(&k.clerk)).await.status, 200);
    let code = track(&app, &first, &k.consumer).await["order"]["code"].as_str().expect("code").to_owned();
    let h = app.post(&format!("/api/v1/orders/{first}/hand-over"), &json!({"code": code}), Some(&k.clerk)).await;
    assert_eq!(h.status, 200, "{}", h.text);

    let d = dashboard(&app, &path, &k.owner).await;
    let t = &d["total"];
    let goods = 2800 + 100;
    let expected = json!({"views": 3, "orders": 3, "paid_orders": 2, "gmv": 3 * goods, "refunds": goods,
        "revenue": 2 * goods, "discounts": 0, "platform_discounts": 0, "merchant_discounts": 0, "average_ticket": goods, "returning_orders": 1, "repeat_rate": 0.5,
        "completed": 1, "delivered": 0, "on_time": 0, "on_time_rate": null, "click_to_door_min": null,
        "vouchers_sold": 0, "vouchers_used": 0, "redemption_rate": null, "redemptions": 0, "redeemed_value": 0});
    assert_eq!(t, &expected, "{d}");
    assert_eq!(d["hours"].as_array().map(|h| h.iter().filter_map(Value::as_i64).sum::<i64>()), Some(2));
    assert_eq!(d["top_items"][0]["quantity"], 2, "{d}");
    assert_eq!(d["top_items"][0]["revenue"], 2 * 2800);
    assert_eq!(d["top_items"][0]["name"], "牛肉面 Beef noodles");
    // The store's own dashboard shows the same; the series puts it all on today.
    let store = dashboard(&app, &format!("{path}?store_id={}", k.store), &k.owner).await;
    assert_eq!(store["total"], d["total"]);
    let today = d["series"].as_array().and_then(|s| s.last()).expect("today").clone();
    assert_eq!(
        (today["label"].as_str(), today["figures"]["paid_orders"].as_i64()),
        (Some(iso_day(&app, 0).as_str()), Some(2))
    );

    // Tomorrow one more order: today's dashboard compares it with yesterday.
    app.clock.advance_secs(86_400);
    order_and_pay(&app, &k.cart("pickup"), &k.consumer).await;
    let day = iso_day(&app, 0);
    let d = dashboard(&app, &format!("{path}?from={day}&to={day}"), &k.owner).await;
    assert_eq!((d["total"]["paid_orders"].as_i64(), d["previous"]["paid_orders"].as_i64()), (Some(1), Some(2)), "{d}");
    assert_eq!(d["total"]["repeat_rate"], 1.0);
    assert_eq!(d["series"].as_array().map(Vec::len), Some(1));
    let by_week = dashboard(&app, &format!("{path}?by=week"), &k.owner).await;
    let weeks: i64 =
        by_week["series"].as_array().expect("series").iter().filter_map(|b| b["figures"]["paid_orders"].as_i64()).sum();
    assert_eq!(weeks, 3);

    // What the incremental refreshes kept equals a rebuild from the source rows.
    let before = dashboard(&app, &format!("{path}?by=month"), &k.owner).await;
    app.app.rebuild_rollups().await.expect("rebuild");
    assert_eq!(dashboard(&app, &format!("{path}?by=month"), &k.owner).await, before);

    // The store moves to UTC−10: its local days move with it, and still nothing is counted twice.
    let profile = json!({"name": "Noodle House People's Square", "category": "food", "address": "1 Nanjing Rd",
        "location": crate::kitchen::at(0.0), "hours": crate::kitchen::always(), "delivery": true,
        "delivery_radius_m": 3000, "pickup": true, "dine_in": true, "utc_offset_min": -600});
    let r = app.put(&format!("/api/v1/stores/{}", k.store), &profile, Some(&k.owner)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let wide = format!("{path}?from={}&to={}", iso_day(&app, -5), iso_day(&app, 2));
    let moved = dashboard(&app, &wide, &k.owner).await;
    assert_eq!(moved["total"]["orders"], 4, "{moved}");
    app.app.rebuild_rollups().await.expect("rebuild");
    assert_eq!(dashboard(&app, &wide, &k.owner).await, moved);
}

#[tokio::test]
async fn voucher_sales_and_redemptions_count_for_the_brand_and_the_store() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Hotpot").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("diner@test.lokal").await;
    let order = buy(&app, &deal, &me, 2).await;
    let code = order["vouchers"][0]["code"].as_str().expect("code").to_owned();
    let r = redeem(&app, &s.clerk, &s.store_a, &code, 1).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let path = format!("/api/v1/merchants/{}/dashboard", s.merchant);
    let t = dashboard(&app, &path, &s.owner).await["total"].clone();
    assert_eq!(
        (t["vouchers_sold"].as_i64(), t["vouchers_used"].as_i64(), t["redemption_rate"].as_f64()),
        (Some(2), Some(1), Some(0.5)),
        "{t}"
    );
    assert_eq!(
        (t["gmv"].as_i64(), t["redemptions"].as_i64(), t["redeemed_value"].as_i64()),
        (Some(2 * 9900), Some(1), Some(9900))
    );
    let a = dashboard(&app, &format!("{path}?store_id={}", s.store_a), &s.owner).await["total"].clone();
    assert_eq!(
        (a["redemptions"].as_i64(), a["gmv"].as_i64()),
        (Some(1), Some(0)),
        "deal sales belong to the brand, redemptions to the store"
    );
    // Undoing the redemption takes it out again.
    let id = r.json()["redemption"]["id"].as_str().or(r.json()["id"].as_str()).expect("redemption id").to_owned();
    let u = app.post(&format!("/api/v1/redemptions/{id}/undo"), &json!({"device": "desk-1"}), Some(&s.manager)).await;
    assert_eq!(u.status, 200, "{}", u.text);
    let t = dashboard(&app, &path, &s.owner).await["total"].clone();
    assert_eq!((t["vouchers_used"].as_i64(), t["redemptions"].as_i64()), (Some(0), Some(0)), "{t}");
}

#[tokio::test]
async fn dashboards_are_for_the_merchants_managers_and_operators_and_refuse_bad_periods() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Private").await;
    let other = shop(&app, "Nosy").await;
    let path = format!("/api/v1/merchants/{}/dashboard", s.merchant);
    let (consumer, _) = app.user("consumer@test.lokal").await;
    for token in [&s.clerk, &s.manager, &other.owner, &consumer] {
        assert_eq!(app.get(&path, Some(token)).await.status, 403);
    }
    assert_eq!(app.get(&path, None).await.status, 401);
    // A store-level manager sees their store's dashboard, not the other store's.
    assert_eq!(app.get(&format!("{path}?store_id={}", s.store_a), Some(&s.manager)).await.status, 200);
    assert_eq!(app.get(&format!("{path}?store_id={}", s.store_b), Some(&s.manager)).await.status, 403);
    assert_eq!(app.get(&format!("{path}?store_id={}", other.store_a), Some(&s.owner)).await.status, 404);
    for (query, field) in [
        ("from=2026-13-01", "from"),
        ("to=tomorrow", "to"),
        ("by=year", "by"),
        ("store_id=nope", "store_id"),
        ("from=2020-01-01&to=2026-01-01", "from"),
    ] {
        let r = app.get(&format!("{path}?{query}"), Some(&s.owner)).await;
        assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some(field)), "{query}: {}", r.text);
    }
    // The platform's: operators only.
    assert_eq!(app.get("/api/v1/admin/dashboard", Some(&s.owner)).await.status, 403);
    let admin = app.admin().await;
    let p = dashboard(&app, "/api/v1/admin/dashboard?by=month", &admin).await;
    assert_eq!((p["active_merchants"].as_i64(), p["previous_active_merchants"].as_i64()), (Some(0), Some(0)));
}
