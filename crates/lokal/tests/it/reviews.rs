//! Verified reviews (issue G): only the consumer of a completed order or a redeemed voucher
//! reviews it, once, within 30 days; staff cannot review their own stores; replies, follow-ups,
//! votes and reports once each; operators hide with a reason the author sees; the store's
//! Bayesian rating follows and moves the discovery ranking.

use crate::commerce::{buy, create_deal, redeem, shop};
use crate::harness::TestApp;
use crate::kitchen::{Kitchen, kitchen, order_and_pay, track};
use serde_json::{Value, json};

/// A pickup order paid and handed over at the counter; returns its id.
pub async fn completed(app: &TestApp, k: &Kitchen, token: &str) -> String {
    let order = order_and_pay(app, &k.cart("pickup"), token).await;
    for step in ["accept", "ready"] {
        let r = app.post(&format!("/api/v1/orders/{order}/{step}"), &json!({}), Some(&k.clerk)).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let code = track(app, &order, token).await["order"]["code"].as_str().expect("code").to_owned();
    let h = app.post(&format!("/api/v1/orders/{order}/hand-over"), &json!({"code": code}), Some(&k.clerk)).await;
    assert_eq!(h.status, 200, "{}", h.text);
    order
}

fn review(order: &str, rating: u8) -> Value {
    json!({"order_id": order, "rating": rating, "dimensions": {"taste": 5, "service": 4}, "text": "Broth was perfect.",
        "tags": ["spicy"], "photos": ["https://img.example/bowl.jpg"], "avg_spend": 2900})
}

async fn rating(app: &TestApp, store: &str) -> Value {
    app.get(&format!("/api/v1/stores/{store}"), None).await.json()["rating"].clone()
}

#[tokio::test]
async fn only_the_consumer_of_a_completed_order_reviews_it_once_and_the_rating_follows() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    // Paid but not handed over yet: not reviewable.
    let early = order_and_pay(&app, &k.cart("pickup"), &k.consumer).await;
    let r = app.post("/api/v1/reviews", &review(&early, 5), Some(&k.consumer)).await;
    assert_eq!(r.code(), "not_reviewable", "{}", r.text);

    let order = completed(&app, &k, &k.consumer).await;
    // Someone else cannot review it; bad reviews name their field.
    let (stranger, _) = app.user("stranger@test.lokal").await;
    assert_eq!(app.post("/api/v1/reviews", &review(&order, 5), Some(&stranger)).await.code(), "not_reviewable");
    let r = app.post("/api/v1/reviews", &review(&order, 6), Some(&k.consumer)).await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("rating")), "{}", r.text);
    let mut with_rider = review(&order, 5);
    with_rider["rider"] = json!({"rating": 5});
    let r = app.post("/api/v1/reviews", &with_rider, Some(&k.consumer)).await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("rider")), "a pickup has no rider");
    assert_eq!(rating(&app, &k.store).await, Value::Null, "unrated before any review");

    let w = app.post("/api/v1/reviews", &review(&order, 5), Some(&k.consumer)).await;
    assert_eq!(w.status, 201, "{}", w.text);
    let id = w.json()["id"].as_str().expect("id").to_owned();
    assert_eq!(w.json()["dimensions"]["taste"], 5);
    // One five-star review: the Bayesian average, not 5.0.
    assert_eq!(rating(&app, &k.store).await, json!(4.09));
    // It is the last step of the merchant's funnel.
    let d = app.get(&format!("/api/v1/merchants/{}/dashboard?store_id={}", k.merchant, k.store), Some(&k.owner)).await;
    assert_eq!(d.json()["reviews"], 1, "{}", d.text);
    assert_eq!(app.post("/api/v1/reviews", &review(&order, 1), Some(&k.consumer)).await.code(), "already_reviewed");
    let list = app.get(&format!("/api/v1/stores/{}/reviews", k.store), None).await.json();
    assert_eq!(
        (list["items"][0]["id"].as_str(), list["items"][0]["author"].as_str()),
        (Some(id.as_str()), Some("hungry")),
        "{list}"
    );
}

/// A completed order of the kitchen's consumer, reviewed with five stars: the review's id.
async fn reviewed(app: &TestApp, k: &Kitchen) -> String {
    let order = completed(app, k, &k.consumer).await;
    let w = app.post("/api/v1/reviews", &review(&order, 5), Some(&k.consumer)).await;
    assert_eq!(w.status, 201, "{}", w.text);
    w.json()["id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn the_stores_staff_reply_once_and_the_author_follows_up_once() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let id = reviewed(&app, &k).await;
    let (stranger, _) = app.user("stranger@test.lokal").await;
    // The store replies once (its staff only); the author follows up once.
    let other = shop(&app, "Rival").await;
    let reply = format!("/api/v1/reviews/{id}/reply");
    assert_eq!(app.post(&reply, &json!({"text": "Thanks!"}), Some(&other.owner)).await.status, 403);
    assert_eq!(app.post(&reply, &json!({"text": "Thanks!"}), Some(&k.consumer)).await.status, 403);
    let r = app.post(&reply, &json!({"text": "Thanks!"}), Some(&k.admin)).await;
    assert_eq!(r.status, 403, "operators moderate, they do not speak for the store: {}", r.text);
    let r = app.post(&reply, &json!({"text": "Thanks, come again!"}), Some(&k.clerk)).await;
    assert_eq!((r.status, r.json()["reply"].as_str()), (200, Some("Thanks, come again!")), "{}", r.text);
    assert_eq!(app.post(&reply, &json!({"text": "Again"}), Some(&k.owner)).await.code(), "already_reviewed");
    let follow = format!("/api/v1/reviews/{id}/follow-up");
    assert_eq!(app.post(&follow, &json!({"text": "Came back"}), Some(&stranger)).await.status, 403);
    assert_eq!(app.post(&follow, &json!({"text": "Came back: still great"}), Some(&k.consumer)).await.status, 200);
    assert_eq!(app.post(&follow, &json!({"text": "And again"}), Some(&k.consumer)).await.code(), "already_reviewed");
}

#[tokio::test]
async fn helpful_votes_count_once_per_person_and_never_the_authors_own() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let id = reviewed(&app, &k).await;
    let (stranger, _) = app.user("stranger@test.lokal").await;
    // Helpful votes once per person, not on one's own review.
    let helpful = format!("/api/v1/reviews/{id}/helpful");
    assert_eq!(app.post(&helpful, &json!({}), Some(&stranger)).await.json()["helpful"], 1);
    assert_eq!(app.post(&helpful, &json!({}), Some(&stranger)).await.code(), "already_reviewed");
    assert_eq!(app.post(&helpful, &json!({}), Some(&k.consumer)).await.status, 403);
}

#[tokio::test]
async fn a_review_an_operator_hides_leaves_the_store_and_its_rating_until_shown_again() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let id = reviewed(&app, &k).await;
    let (stranger, _) = app.user("stranger@test.lokal").await;
    // Reported, then hidden by an operator: gone from the store and its rating, visible to its
    // author with the reason; shown again, the rating comes back.
    let reports = format!("/api/v1/reviews/{id}/reports");
    assert_eq!(app.post(&reports, &json!({"text": "fake"}), Some(&stranger)).await.status, 204);
    assert_eq!(app.post(&reports, &json!({"text": "fake"}), Some(&stranger)).await.code(), "already_reviewed");
    assert_eq!(app.get("/api/v1/admin/review-reports", Some(&k.owner)).await.status, 403);
    let queue = app.get("/api/v1/admin/review-reports", Some(&k.admin)).await.json();
    assert_eq!((queue["items"][0]["reports"].as_i64(), queue["items"][0]["reason"].as_str()), (Some(1), Some("fake")));
    let moderate = format!("/api/v1/admin/reviews/{id}/moderation");
    assert_eq!(app.post(&moderate, &json!({"hide": true}), Some(&k.admin)).await.status, 422, "a reason is required");
    assert_eq!(app.post(&moderate, &json!({"hide": true, "reason": "x"}), Some(&k.owner)).await.status, 403);
    let h = app.post(&moderate, &json!({"hide": true, "reason": "not about this store"}), Some(&k.admin)).await;
    assert_eq!(h.status, 200, "{}", h.text);
    assert_eq!(rating(&app, &k.store).await, Value::Null);
    let list = app.get(&format!("/api/v1/stores/{}/reviews", k.store), None).await.json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(0));
    let mine = app.get("/api/v1/me/reviews", Some(&k.consumer)).await.json();
    assert_eq!(
        (mine["items"][0]["status"].as_str(), mine["items"][0]["hidden_reason"].as_str()),
        (Some("hidden"), Some("not about this store"))
    );
    assert_eq!(app.post(&moderate, &json!({"hide": false}), Some(&k.admin)).await.status, 200);
    assert_eq!(rating(&app, &k.store).await, json!(4.09));
}

#[tokio::test]
async fn the_rating_moves_the_ranking() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    reviewed(&app, &k).await;
    // The rating moves the ranking: sorted by rating, the reviewed store comes first.
    let at = crate::kitchen::at(0.0);
    let nearby = app
        .get(&format!("/api/v1/stores/nearby?lat={}&lng={}&sort=rating&min_rating=4", at["lat"], at["lng"]), None)
        .await
        .json();
    assert_eq!(
        (nearby["count"].as_i64(), nearby["stores"][0]["id"].as_str()),
        (Some(1), Some(k.store.as_str())),
        "{nearby}"
    );
}

#[tokio::test]
async fn staff_cannot_review_their_store_and_reviews_close_after_thirty_days() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    // The owner buys at their own store: no review.
    let own = completed(&app, &k, &k.owner).await;
    assert_eq!(app.post("/api/v1/reviews", &review(&own, 5), Some(&k.owner)).await.code(), "not_reviewable");
    // A consumer waits 31 days.
    let order = completed(&app, &k, &k.consumer).await;
    app.clock.advance_secs(31 * 86_400);
    let token =
        app.login("hungry@test.lokal", "correct horse").await.json()["token"].as_str().expect("token").to_owned();
    let r = app.post("/api/v1/reviews", &review(&order, 5), Some(&token)).await;
    assert_eq!(r.code(), "not_reviewable", "{}", r.text);
    // Sorting: an unknown order is a 422 naming the field.
    let r = app.get(&format!("/api/v1/stores/{}/reviews?sort=best", k.store), None).await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("sort")));
}

#[tokio::test]
async fn a_redeemed_voucher_is_reviewed_at_the_store_that_redeemed_it() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Hotpot").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("diner@test.lokal").await;
    let order = buy(&app, &deal, &me, 2).await;
    let (used, unused) = (order["vouchers"][0].clone(), order["vouchers"][1].clone());
    let body = |v: &Value| json!({"voucher_id": v["id"], "rating": 5, "text": "Good value"});
    assert_eq!(app.post("/api/v1/reviews", &body(&used), Some(&me)).await.code(), "not_reviewable", "not used yet");
    let code = used["code"].as_str().expect("code");
    let r = redeem(&app, &s.clerk, &s.store_a, code, 1).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let w = app.post("/api/v1/reviews", &body(&used), Some(&me)).await;
    assert_eq!((w.status, w.json()["store_id"].as_str()), (201, Some(s.store_a.as_str())), "{}", w.text);
    assert_eq!(app.post("/api/v1/reviews", &body(&unused), Some(&me)).await.code(), "not_reviewable");
    assert_eq!(rating(&app, &s.store_a).await, json!(4.09), "one 5-star review: (10 × 4 + 5) / 11");
    // Review ids that are not ids are 404s, never errors (a NUL byte included).
    let (other, _) = app.user("other@test.lokal").await;
    for bad in ["nope", "%00", "..%2F..%2Fx"] {
        assert_eq!(
            app.post(&format!("/api/v1/reviews/{bad}/helpful"), &json!({}), Some(&other)).await.status,
            404,
            "{bad}"
        );
    }
}
