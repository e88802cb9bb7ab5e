//! Customer lists (issue G): built from kept orders, segmented by recency and visits, tagged by
//! the merchant, filtered; no merchant sees another's customers, a store's managers only theirs.

use crate::commerce::shop;
use crate::harness::TestApp;
use crate::kitchen::{Kitchen, kitchen, order_and_pay};
use serde_json::json;

/// The kitchen with five kept visits by its consumer ("hungry"), one by "once" (and one of
/// theirs cancelled), and a consumer who never came; with `bill`, "once" also paid a bill at
/// the other store. Returns the kitchen, the customers path, "once"'s token and id, and the
/// stranger's id.
async fn customers(app: &TestApp, bill: bool) -> (Kitchen, String, String, String, String) {
    let k = kitchen(app).await;
    let path = format!("/api/v1/merchants/{}/customers", k.merchant);
    for _ in 0..5 {
        order_and_pay(app, &k.cart("pickup"), &k.consumer).await;
    }
    let (once, once_id) = app.user("once@test.lokal").await;
    order_and_pay(app, &k.cart("pickup"), &once).await;
    let cancelled = order_and_pay(app, &k.cart("pickup"), &once).await;
    let c = app.post(&format!("/api/v1/orders/{cancelled}/cancel"), &json!({"reason": "no"}), Some(&once)).await;
    assert_eq!(c.status, 200, "{}", c.text);
    let (_, stranger_id) = app.user("stranger@test.lokal").await;
    if bill {
        let bill = app
            .post_keyed(&format!("/api/v1/stores/{}/bills", k.closed_store), &json!({"amount": 5000}), &once, "bill-1")
            .await;
        assert_eq!(bill.status, 201, "{}", bill.text);
        crate::kitchen::pay(app, bill.json()["id"].as_str().expect("bill"), &once).await;
    }
    (k, path, once, once_id, stranger_id)
}

#[tokio::test]
async fn a_merchants_customers_come_from_its_kept_orders_with_their_segments() {
    let app = TestApp::spawn().await;
    let (k, path, _, _, _) = customers(&app, false).await;
    let list = app.get(&path, Some(&k.owner)).await;
    assert_eq!(list.status, 200, "{}", list.text);
    let list = list.json();
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "{list}");
    let by_name = |n: &str| items.iter().find(|c| c["name"] == n).cloned().expect("customer");
    let loyal = by_name("hungry");
    assert_eq!(
        (loyal["visits"].as_i64(), loyal["spend"].as_i64(), loyal["segment"].as_str()),
        (Some(5), Some(5 * 2900), Some("loyal"))
    );
    assert_eq!(loyal["average_ticket"], 2900);
    let one = by_name("once");
    assert_eq!((one["visits"].as_i64(), one["segment"].as_str()), (Some(1), Some("new")));
}

#[tokio::test]
async fn tags_go_only_on_the_merchants_customers_and_filter_its_list() {
    let app = TestApp::spawn().await;
    let (k, path, _, once_id, stranger_id) = customers(&app, false).await;
    // Tags: only on the merchant's customers; filters by tag and segment.
    let tags = format!("{path}/{once_id}/tags");
    assert_eq!(app.post(&tags, &json!({"tag": "VIP"}), Some(&k.owner)).await.status, 204);
    assert_eq!(
        app.post(&format!("{path}/{stranger_id}/tags"), &json!({"tag": "VIP"}), Some(&k.owner)).await.status,
        404
    );
    let r = app.post(&tags, &json!({"tag": ""}), Some(&k.owner)).await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("tag")));
    let vip = app.get(&format!("{path}?tag=VIP"), Some(&k.owner)).await.json();
    assert_eq!(vip["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(vip["items"][0]["tags"], json!(["VIP"]));
    let loyal_only = app.get(&format!("{path}?segment=loyal"), Some(&k.owner)).await.json();
    assert_eq!(loyal_only["items"].as_array().map(Vec::len), Some(1));
    let r = app.get(&format!("{path}?segment=vip"), Some(&k.owner)).await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("segment")));
    assert_eq!(app.delete(&format!("{tags}/VIP"), Some(&k.owner)).await.status, 204);
    assert_eq!(app.delete(&format!("{tags}/VIP"), Some(&k.owner)).await.status, 404);
}

#[tokio::test]
async fn a_store_lists_its_own_customers_and_the_brand_counts_every_store() {
    let app = TestApp::spawn().await;
    let (k, path, _, _, _) = customers(&app, true).await;
    let there = app.get(&format!("{path}?store_id={}", k.closed_store), Some(&k.owner)).await.json();
    let there: Vec<(&str, i64)> = there["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| (c["name"].as_str().unwrap_or(""), c["visits"].as_i64().unwrap_or(0)))
        .collect();
    assert_eq!(there, [("once", 1)]);
    let brand = app.get(&format!("{path}?name=ONCE"), Some(&k.owner)).await.json();
    assert_eq!(brand["items"][0]["visits"], 2, "the brand counts both stores; names match case-insensitively");
}

#[tokio::test]
async fn customers_move_to_at_risk_then_lapsed_as_months_pass() {
    let app = TestApp::spawn().await;
    let (_, path, _, _, _) = customers(&app, true).await;
    // Two months later the loyal customer is at risk; four months later, lapsed.
    app.clock.advance_secs(60 * 86_400);
    let login = || app.login("noodle-owner@test.lokal", "correct horse");
    let owner = login().await.json()["token"].as_str().expect("t").to_owned();
    let later = app.get(&format!("{path}?segment=at_risk"), Some(&owner)).await.json();
    assert_eq!(later["items"].as_array().map(Vec::len), Some(2), "two visits or more, the last 60 days ago: {later}");
    assert_eq!(
        app.get(&format!("{path}?segment=loyal"), Some(&owner)).await.json()["items"].as_array().map(Vec::len),
        Some(0)
    );
    app.clock.advance_secs(60 * 86_400);
    let owner = login().await.json()["token"].as_str().expect("t").to_owned();
    let lapsed = app.get(&format!("{path}?segment=lapsed"), Some(&owner)).await.json();
    assert_eq!(lapsed["items"].as_array().map(Vec::len), Some(2), "{lapsed}");
}

#[tokio::test]
async fn the_list_pages_after_filtering_and_refuses_filters_it_cannot_apply() {
    let app = TestApp::spawn().await;
    let (_, path, _, _, _) = customers(&app, true).await;
    // Four months on, both customers have lapsed (sessions expire: the owner logs in again).
    app.clock.advance_secs(120 * 86_400);
    let owner =
        app.login("noodle-owner@test.lokal", "correct horse").await.json()["token"].as_str().expect("t").to_owned();
    // A page at a time: every filter is applied before paging, so pages are full and complete.
    let first = app.get(&format!("{path}?segment=lapsed&limit=1"), Some(&owner)).await.json();
    let cursor = first["next_cursor"].as_str().expect("a next page").to_owned();
    let second = app.get(&format!("{path}?segment=lapsed&limit=1&cursor={cursor}"), Some(&owner)).await.json();
    assert_eq!((second["items"].as_array().map(Vec::len), second["next_cursor"].is_null()), (Some(1), true));
    assert_ne!(first["items"][0]["user_id"], second["items"][0]["user_id"]);
    assert_eq!(first["items"][0]["name"], "once", "most recent first");
    let r = app.get(&format!("{path}?cursor=garbage"), Some(&owner)).await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("cursor")));
    let r = app.get(&format!("{path}?limit=101"), Some(&owner)).await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("limit")));
    // LIKE's wildcards in a name are plain characters.
    let none = app.get(&format!("{path}?name=%25"), Some(&owner)).await.json();
    assert_eq!(none["items"].as_array().map(Vec::len), Some(0), "{none}");
    // Filters a database would choke on are 422s naming the field.
    for (query, field) in [("name=a%00b", "name"), ("tag=a%00b", "tag"), (&*format!("tag={}", "x".repeat(25)), "tag")] {
        let r = app.get(&format!("{path}?{query}"), Some(&owner)).await;
        assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some(field)), "{query}");
    }
}

#[tokio::test]
async fn no_merchant_sees_another_merchants_customers() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    order_and_pay(&app, &k.cart("pickup"), &k.consumer).await;
    let other = shop(&app, "Nosy").await;
    let path = format!("/api/v1/merchants/{}/customers", k.merchant);
    for token in [&other.owner, &other.manager, &k.clerk, &k.consumer] {
        assert_eq!(app.get(&path, Some(token)).await.status, 403);
    }
    assert_eq!(app.get(&path, None).await.status, 401);
    // The other merchant's own list is empty (its customers are its own).
    let theirs = app.get(&format!("/api/v1/merchants/{}/customers", other.merchant), Some(&other.owner)).await.json();
    assert_eq!(theirs["items"].as_array().map(Vec::len), Some(0));
    // A store of another merchant is not found; tagging another merchant's customer neither.
    assert_eq!(app.get(&format!("{path}?store_id={}", other.store_a), Some(&k.owner)).await.status, 404);
    let (_, consumer_id) = app.login("hungry@test.lokal", "correct horse").await.json()["user"]["id"]
        .as_str()
        .map(|id| ((), id.to_owned()))
        .expect("id");
    let r = app
        .post(
            &format!("/api/v1/merchants/{}/customers/{consumer_id}/tags", other.merchant),
            &json!({"tag": "x"}),
            Some(&other.owner),
        )
        .await;
    assert_eq!(r.status, 404);
    // A store's manager sees that store's customers only.
    let store_list = format!("/api/v1/merchants/{}/customers?store_id={}", other.merchant, other.store_a);
    assert_eq!(app.get(&store_list, Some(&other.manager)).await.status, 200);
    let store_b = format!("/api/v1/merchants/{}/customers?store_id={}", other.merchant, other.store_b);
    assert_eq!(app.get(&store_b, Some(&other.manager)).await.status, 403);
}

#[tokio::test]
async fn refunded_vouchers_leave_a_customers_spend_and_fully_refunded_orders_their_visits() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Hotpot").await;
    let deal = crate::commerce::create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("diner@test.lokal").await;
    // Two vouchers, one refunded; then one more order refunded entirely.
    let two = crate::commerce::buy(&app, &deal, &me, 2).await;
    let (id, first) = (two["id"].as_str().expect("id"), two["vouchers"][0]["id"].clone());
    let r = app.post_keyed(&format!("/api/v1/orders/{id}/refunds"), &json!({"voucher_ids": [first]}), &me, "r1").await;
    assert_eq!(r.status, 201, "{}", r.text);
    let one = crate::commerce::buy(&app, &deal, &me, 1).await;
    let id = one["id"].as_str().expect("id");
    let r = app.post_keyed(&format!("/api/v1/orders/{id}/refunds"), &json!({}), &me, "r2").await;
    assert_eq!(r.status, 201, "{}", r.text);
    let list = app.get(&format!("/api/v1/merchants/{}/customers", s.merchant), Some(&s.owner)).await.json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!((list["items"][0]["visits"].as_i64(), list["items"][0]["spend"].as_i64()), (Some(1), Some(9900)));
}
