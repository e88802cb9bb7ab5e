//! Membership cards (issue G): joining at a store (page or scanned code) once, one card for the
//! chain, levels by spend, consent to messages withdrawn at any time; only the merchant's
//! managers see its members.

use crate::commerce::shop;
use crate::harness::TestApp;
use crate::kitchen::{kitchen, order_and_pay};
use serde_json::json;

#[tokio::test]
async fn consumers_join_once_and_their_level_follows_their_spend() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let join = format!("/api/v1/stores/{}/membership", k.store);
    let r = app.post(&join, &json!({"channel": "store-code", "messages_opt_in": true}), Some(&k.consumer)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let card = r.json();
    assert_eq!(
        (card["level"].as_str(), card["spend"].as_i64(), card["channel"].as_str()),
        (Some("member"), Some(0), Some("store-code"))
    );
    assert_eq!((card["next_level"].as_str(), card["to_next_level"].as_i64()), (Some("silver"), Some(50_000)));
    // Joining again (at the chain's other store too) returns the same card.
    let again = app.post(&format!("/api/v1/stores/{}/membership", k.closed_store), &json!({}), Some(&k.consumer)).await;
    assert_eq!((again.status, again.json()["joined_at"].clone()), (200, card["joined_at"].clone()));
    assert_eq!(again.json()["channel"], "store-code");
    let bad = app.post(&join, &json!({"channel": "billboard"}), Some(&k.consumer)).await;
    assert_eq!((bad.status, bad.json()["error"]["field"].as_str()), (422, Some("channel")));
    assert_eq!(app.post(&join, &json!({}), None).await.status, 401);
    assert_eq!(app.post(&join, &json!({}), Some(&k.clerk)).await.status, 403, "staff do not join their own membership");

    // Spending moves the level: 18 orders of ¥29 = ¥522 → silver.
    for _ in 0..18 {
        order_and_pay(&app, &k.cart("pickup"), &k.consumer).await;
    }
    let cards = app.get("/api/v1/me/cards", Some(&k.consumer)).await.json();
    assert_eq!(
        (cards["items"][0]["level"].as_str(), cards["items"][0]["spend"].as_i64()),
        (Some("silver"), Some(18 * 2900))
    );

    // Unsubscribing withdraws consent; the merchant's list shows it.
    let mine = format!("/api/v1/me/cards/{}", k.merchant);
    let r = app.put(&mine, &json!({"messages_opt_in": false}), Some(&k.consumer)).await;
    assert_eq!((r.status, r.json()["messages_opt_in"].as_bool()), (200, Some(false)));
    let members = app.get(&format!("/api/v1/merchants/{}/members", k.merchant), Some(&k.owner)).await.json();
    assert_eq!(members["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        (members["items"][0]["name"].as_str(), members["items"][0]["messages_opt_in"].as_bool()),
        (Some("hungry"), Some(false))
    );
    // A card one does not hold cannot be changed.
    let (stranger, _) = app.user("stranger@test.lokal").await;
    assert_eq!(app.put(&mine, &json!({"messages_opt_in": true}), Some(&stranger)).await.status, 404);
}

#[tokio::test]
async fn no_merchant_sees_another_merchants_members() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let joined = app.post(&format!("/api/v1/stores/{}/membership", k.store), &json!({}), Some(&k.consumer)).await;
    assert_eq!(joined.status, 200, "{}", joined.text);
    let other = shop(&app, "Nosy").await;
    let path = format!("/api/v1/merchants/{}/members", k.merchant);
    for token in [&other.owner, &other.manager, &k.clerk, &k.consumer] {
        assert_eq!(app.get(&path, Some(token)).await.status, 403);
    }
    let theirs = app.get(&format!("/api/v1/merchants/{}/members", other.merchant), Some(&other.owner)).await.json();
    assert_eq!(theirs["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(app.get(&path, Some(&k.owner)).await.json()["items"].as_array().map(Vec::len), Some(1));

    // A page at a time, newest first.
    app.clock.advance_secs(1);
    let (late, _) = app.user("late@test.lokal").await;
    let r = app.post(&format!("/api/v1/stores/{}/membership", k.store), &json!({}), Some(&late)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let first = app.get(&format!("{path}?limit=1"), Some(&k.owner)).await.json();
    assert_eq!(first["items"][0]["name"], "late");
    let cursor = first["next_cursor"].as_str().expect("more").to_owned();
    let second = app.get(&format!("{path}?limit=1&cursor={cursor}"), Some(&k.owner)).await.json();
    assert_eq!((second["items"][0]["name"].as_str(), second["next_cursor"].is_null()), (Some("hungry"), true));
    let r = app.get(&format!("{path}?cursor=1~x"), Some(&k.owner)).await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("cursor")));
}

#[tokio::test]
async fn the_card_pages_speak_chinese_first_and_label_every_level() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let join = format!("/api/v1/stores/{}/membership", k.store);
    let r = app.post(&join, &json!({"channel": "store-code", "messages_opt_in": true}), Some(&k.consumer)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let (me, _) = crate::web::logged_in_client(&app, "hungry@test.lokal", "correct horse").await;
    let cards = format!("{}/me/cards", app.base);
    let html = me.get(&cards).send().await.expect("page").text().await.expect("html");
    assert!(html.contains(r#"data-testid="card-level" data-level="member">普通会员<"#), "{html}");
    assert!(html.contains("再消费 ¥500 升级为白银会员") && html.contains("储值 ¥0 · 积分 0"), "{html}");
    let en = me.get(&cards).header("accept-language", "en").send().await.expect("page").text().await.expect("html");
    assert!(en.contains("¥500 more to Silver") && en.contains("¥0 stored · 0 points"), "{en}");
    let card = me.get(format!("{cards}/{}", k.merchant)).send().await.expect("page").text().await.expect("html");
    assert!(card.contains("储值余额") && card.contains("暂无记录") && !card.contains("⟦"), "{card}");
    // The owner's list of members names how each joined.
    let (owner, _) = crate::web::logged_in_client(&app, "noodle-owner@test.lokal", "correct horse").await;
    let members = format!("{}/merchant/{}/members", app.base, k.merchant);
    let html = owner.get(&members).send().await.expect("page").text().await.expect("html");
    assert!(html.contains(r#"data-level="member" data-opted-in="true""#) && html.contains("扫码入会"), "{html}");
}
