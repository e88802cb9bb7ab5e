//! Consultation chat (issue G): a consumer asks a store before or after buying, the store's
//! staff answer; one thread per consumer and store; unread counts on both sides; nobody else —
//! no other merchant's staff, no clerk of another store, no other consumer, no rider — learns
//! that a thread exists.

use crate::commerce::shop;
use crate::harness::TestApp;
use crate::kitchen::{kitchen, order_and_pay, rider};
use crate::web::{csrf_from, logged_in_client};
use serde_json::{Value, json};

/// Sends `body` to the store as `token`; returns the conversation.
async fn ask(app: &TestApp, store: &str, body: &str, token: &str) -> Value {
    let r = app.post(&format!("/api/v1/stores/{store}/chat"), &json!({"body": body}), Some(token)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()
}

/// The one thread of a list answer, asserting there is exactly one.
async fn only_thread(app: &TestApp, path: &str, token: &str) -> Value {
    let r = app.get(path, Some(token)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let items = r.json()["items"].as_array().expect("items").clone();
    assert_eq!(items.len(), 1, "{}", r.text);
    items[0].clone()
}

fn unread(thread: &Value) -> (Option<i64>, Option<i64>) {
    (thread["consumer_unread"].as_i64(), thread["store_unread"].as_i64())
}

#[tokio::test]
async fn a_consumer_asks_before_buying_and_a_clerk_of_the_store_answers() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let mine = format!("/api/v1/stores/{}/chat", k.store);
    let store_list = format!("/api/v1/stores/{}/chats", k.store);
    // Arrange: no thread before the first message.
    assert_eq!(app.get(&mine, Some(&k.consumer)).await.status, 404);
    assert_eq!(only_thread_count(&app, "/api/v1/me/chats", &k.consumer).await, 0);

    // Act: the consumer asks twice; the store has two unread, the consumer none.
    let first = ask(&app, &k.store, "  Do you have a vegetarian broth?  ", &k.consumer).await;
    let id = first["thread"]["id"].as_str().expect("thread id").to_owned();
    assert_eq!(first["messages"][0]["body"], "Do you have a vegetarian broth?");
    assert_eq!(first["messages"][0]["sender"], "consumer");
    assert_eq!(unread(&first["thread"]), (Some(0), Some(1)));
    let second = ask(&app, &k.store, "And is there\nparking nearby?", &k.consumer).await;
    assert_eq!(second["thread"]["id"], id.as_str(), "one thread per consumer and store");
    assert_eq!(unread(&second["thread"]), (Some(0), Some(2)));
    assert_eq!(second["thread"]["last_preview"], "And is there parking nearby?");

    // The clerk of the store sees the thread with two unread; reading zeroes the store's side.
    let listed = only_thread(&app, &store_list, &k.clerk).await;
    assert_eq!((listed["id"].as_str(), unread(&listed)), (Some(id.as_str()), (Some(0), Some(2))));
    assert_eq!(listed["consumer_name"], "hungry");
    let thread = format!("/api/v1/chats/{id}");
    let read = app.get(&thread, Some(&k.clerk)).await;
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(read.json()["messages"].as_array().map(Vec::len), Some(2));
    assert_eq!(unread(&read.json()["thread"]), (Some(0), Some(0)));
    assert_eq!(unread(&only_thread(&app, &store_list, &k.clerk).await), (Some(0), Some(0)));

    // The clerk answers: the consumer has one unread.
    let answer = format!("/api/v1/chats/{id}/messages");
    let r = app.post(&answer, &json!({"body": "Yes: mushroom broth. Parking behind the shop."}), Some(&k.clerk)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(unread(&r.json()["thread"]), (Some(1), Some(0)));
    assert_eq!(unread(&only_thread(&app, "/api/v1/me/chats", &k.consumer).await), (Some(1), Some(0)));

    // The consumer buys, then writes again in the same thread; reading marks only their side.
    order_and_pay(&app, &k.cart("pickup"), &k.consumer).await;
    let after = ask(&app, &k.store, "Ordered, thank you!", &k.consumer).await;
    assert_eq!(after["thread"]["id"], id.as_str());
    // Writing is reading: the consumer's side is zero, the store's is one.
    assert_eq!(unread(&after["thread"]), (Some(0), Some(1)));
    let r = app.post(&answer, &json!({"body": "Enjoy!"}), Some(&k.owner)).await;
    assert_eq!(r.status, 201, "merchant-wide staff answer too: {}", r.text);
    assert_eq!(unread(&r.json()["thread"]), (Some(1), Some(0)));
    let r = app.post(&answer, &json!({"body": "One more thing"}), Some(&k.consumer)).await;
    assert_eq!(unread(&r.json()["thread"]), (Some(0), Some(1)));
    let seen = app.get(&mine, Some(&k.consumer)).await;
    assert_eq!(seen.status, 200, "{}", seen.text);
    assert_eq!(unread(&seen.json()["thread"]), (Some(0), Some(1)), "the consumer's reading leaves the store's count");
    let senders: Vec<_> =
        seen.json()["messages"].as_array().expect("messages").iter().map(|m| m["sender"].clone()).collect();
    assert_eq!(senders, ["consumer", "consumer", "store", "consumer", "store", "consumer"]);
    // The owner reads: the store's side is zero for every member of staff.
    assert_eq!(unread(&app.get(&thread, Some(&k.owner)).await.json()["thread"]), (Some(0), Some(0)));
    assert_eq!(unread(&only_thread(&app, &store_list, &k.clerk).await), (Some(0), Some(0)));
}

async fn only_thread_count(app: &TestApp, path: &str, token: &str) -> usize {
    let r = app.get(path, Some(token)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["items"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn no_merchant_sees_another_merchants_chats() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let other = shop(&app, "Nosy").await;
    let (stranger, _) = app.user("stranger@test.lokal").await;
    let (courier, _) = rider(&app, &k, "courier@test.lokal", 100.0).await;
    let day = ask(&app, &k.store, "Can I book a table for six?", &k.consumer).await;
    let day_id = day["thread"]["id"].as_str().expect("id").to_owned();
    // The same consumer asks the merchant's other store, which the clerk does not work at.
    let night = ask(&app, &k.closed_store, "Are you open after midnight?", &k.consumer).await;
    let night_id = night["thread"]["id"].as_str().expect("id").to_owned();
    assert_ne!(day_id, night_id);

    // Another merchant's owner, manager and clerk, another consumer and a rider: the thread does
    // not exist for them, and the store's list is forbidden.
    for (who, token) in [
        ("other owner", &other.owner),
        ("other manager", &other.manager),
        ("other clerk", &other.clerk),
        ("another consumer", &stranger),
        ("a rider", &courier),
    ] {
        let r = app.get(&format!("/api/v1/chats/{day_id}"), Some(token)).await;
        assert_eq!((r.status, r.code()), (404, "not_found".to_owned()), "{who} reads");
        let r = app.post(&format!("/api/v1/chats/{day_id}/messages"), &json!({"body": "hi"}), Some(token)).await;
        assert_eq!(r.status, 404, "{who} writes: {}", r.text);
        let r = app.get(&format!("/api/v1/stores/{}/chats", k.store), Some(token)).await;
        assert_eq!(r.status, 403, "{who} lists the store's chats");
        assert_eq!(only_thread_count(&app, "/api/v1/me/chats", token).await, 0, "{who} has no chats");
    }
    // The clerk of the day store: not the night store's thread, nor its list.
    assert_eq!(app.get(&format!("/api/v1/chats/{night_id}"), Some(&k.clerk)).await.status, 404);
    let r = app.post(&format!("/api/v1/chats/{night_id}/messages"), &json!({"body": "hi"}), Some(&k.clerk)).await;
    assert_eq!(r.status, 404);
    assert_eq!(app.get(&format!("/api/v1/stores/{}/chats", k.closed_store), Some(&k.clerk)).await.status, 403);
    let day_list = only_thread(&app, &format!("/api/v1/stores/{}/chats", k.store), &k.clerk).await;
    assert_eq!(day_list["id"], day_id.as_str(), "only the day store's thread");
    // The merchant's owner sees both stores' threads; the other merchant's own list is empty.
    assert_eq!(app.get(&format!("/api/v1/chats/{night_id}"), Some(&k.owner)).await.status, 200);
    assert_eq!(only_thread_count(&app, &format!("/api/v1/stores/{}/chats", other.store_a), &other.owner).await, 0);
    // Operators read (without marking anything read) and do not write.
    let r = app.get(&format!("/api/v1/chats/{day_id}"), Some(&k.admin)).await;
    assert_eq!((r.status, unread(&r.json()["thread"])), (200, (Some(0), Some(1))));
    let r = app.post(&format!("/api/v1/chats/{day_id}/messages"), &json!({"body": "hi"}), Some(&k.admin)).await;
    assert_eq!(r.status, 403);
    assert_eq!(unread(&only_thread(&app, &format!("/api/v1/stores/{}/chats", k.store), &k.clerk).await).1, Some(1));
}

#[tokio::test]
async fn staff_answer_instead_of_asking_and_messages_are_checked() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let other = shop(&app, "Curious").await;
    let path = format!("/api/v1/stores/{}/chat", k.store);
    // Staff of the merchant, at any store, do not open consumer threads with it.
    for token in [&k.clerk, &k.owner] {
        let r = app.post(&path, &json!({"body": "hello"}), Some(token)).await;
        assert_eq!((r.status, r.code()), (403, "forbidden".to_owned()), "{}", r.text);
    }
    let r = app.post(&format!("/api/v1/stores/{}/chat", k.closed_store), &json!({"body": "hi"}), Some(&k.clerk)).await;
    assert_eq!(r.status, 403);
    // Another merchant's clerk is a consumer here.
    ask(&app, &k.store, "Do you cater for forty?", &other.clerk).await;

    // Bodies: 1 to 1,000 characters after trimming, no control characters.
    for body in [json!({"body": "   "}), json!({"body": "x".repeat(1_001)}), json!({"body": "a\u{0}b"}), json!({})] {
        let r = app.post(&path, &body, Some(&k.consumer)).await;
        assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("body")), "{}", r.text);
    }
    assert_eq!(app.post(&path, &json!({"body": "面".repeat(1_000)}), Some(&k.consumer)).await.status, 201);
    let id = only_thread(&app, "/api/v1/me/chats", &k.consumer).await["id"].as_str().expect("id").to_owned();
    let r = app.post(&format!("/api/v1/chats/{id}/messages"), &json!({"body": ""}), Some(&k.clerk)).await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("body")));

    // Bad, unknown and hostile thread ids are simply not found.
    for bad in ["not-a-thread", "%00", "0190f2c4-0000-7000-8000-000000000000", "%27%20OR%201%3D1"] {
        let r = app.get(&format!("/api/v1/chats/{bad}"), Some(&k.consumer)).await;
        assert_eq!(r.status, 404, "{bad}: {}", r.text);
        let r = app.post(&format!("/api/v1/chats/{bad}/messages"), &json!({"body": "hi"}), Some(&k.consumer)).await;
        assert_eq!(r.status, 404, "{bad}: {}", r.text);
    }
    // An unknown store is not found; a malformed store id is refused like every store path.
    let r = app
        .post(&format!("/api/v1/stores/{}/chat", uuid::Uuid::now_v7()), &json!({"body": "hi"}), Some(&k.consumer))
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(app.post("/api/v1/stores/%00/chat", &json!({"body": "hi"}), Some(&k.consumer)).await.status, 422);
    assert_eq!(app.post(&path, &json!({"body": "hi"}), None).await.status, 401);
    assert_eq!(app.get("/api/v1/me/chats", None).await.status, 401);
}

#[tokio::test]
async fn a_chatty_consumer_is_slowed_down() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    for n in 0..30 {
        ask(&app, &k.store, &format!("question {n}"), &k.consumer).await;
    }
    let r =
        app.post(&format!("/api/v1/stores/{}/chat", k.store), &json!({"body": "one more"}), Some(&k.consumer)).await;
    assert_eq!((r.status, r.code()), (429, "rate_limited".to_owned()), "{}", r.text);
    assert!(r.header("retry-after").is_some());
    // The refused message was not stored.
    let t = only_thread(&app, "/api/v1/me/chats", &k.consumer).await;
    assert_eq!(t["store_unread"].as_i64(), Some(30));
    // A minute later they may write again.
    app.clock.advance_secs(60);
    ask(&app, &k.store, "one more", &k.consumer).await;
}

#[tokio::test]
async fn the_pages_work_without_scripts_and_streams_hint_only_the_right_people() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    shop(&app, "Peeky").await;
    let (me, csrf) = logged_in_client(&app, "hungry@test.lokal", "correct horse").await;
    let page = format!("{}/stores/{}/chat", app.base, k.store);
    let html = me.get(&page).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("data-testid=\"chat-empty\""), "{html}");
    // In the platform's language, zh-CN, unless the browser asks for English.
    assert!(html.contains("还没有消息") && html.contains("咨询Noodle"), "{html}");
    let en = me.get(&page).header("accept-language", "en").send().await.expect("page").text().await.expect("html");
    assert!(en.contains("No messages yet") && en.contains("Ask Noodle"), "{en}");

    // The clerk watches the store's chats live.
    let (clerk, _) = logged_in_client(&app, "noodle-clerk@test.lokal", "correct horse").await;
    let live = clerk.get(format!("{}/live/stores/{}/chats", app.base, k.store)).send().await.expect("stream");
    assert_eq!(live.status().as_u16(), 200);
    assert!(live.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/event-stream"));
    let mut live = live;

    // The consumer asks with the form: post, then redirect to the thread.
    let r = me.post(&page).form(&[("csrf_token", csrf.as_str()), ("body", "Is the <b>beef</b> halal?")]).send().await;
    let r = r.expect("post");
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], format!("/stores/{}/chat", k.store).as_str());
    let html = me.get(&page).send().await.expect("page").text().await.expect("html");
    assert!(
        html.contains("Is the &#60;b&#62;beef&#60;/b&#62; halal?") || html.contains("Is the &lt;b&gt;beef"),
        "{html}"
    );

    // The clerk's stream says "chat" (and nothing more).
    let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), live.chunk()).await;
    let chunk = chunk.expect("an event within 10 s").expect("read").expect("a chunk");
    let text = String::from_utf8_lossy(&chunk);
    assert!(text.contains("event: change") && text.contains("data: chat"), "{text}");
    assert!(!text.contains("halal"));

    // The clerk's list shows the unread badge; the conversation page answers with a form.
    let list = clerk.get(format!("{}/merchant/stores/{}/chats", app.base, k.store)).send().await.expect("list");
    let list = list.text().await.expect("html");
    assert!(list.contains("data-testid=\"chat-unread\" title=\"未读\">1<"), "{list}");
    // The thread's time is the store's local time, never UTC.
    assert!(list.contains("今天 ") && !list.contains("UTC"), "{list}");
    let id =
        app.get("/api/v1/me/chats", Some(&k.consumer)).await.json()["items"][0]["id"].as_str().expect("id").to_owned();
    let conv = clerk.get(format!("{}/merchant/chats/{id}", app.base)).send().await.expect("page");
    let conv = conv.text().await.expect("html");
    let staff_csrf = csrf_from(&conv);
    let r = clerk
        .post(format!("{}/merchant/chats/{id}", app.base))
        .form(&[("csrf_token", staff_csrf.as_str()), ("body", "Yes, certified.")])
        .send()
        .await
        .expect("reply");
    assert_eq!(
        (r.status().as_u16(), r.headers()["location"].to_str().ok()),
        (303, Some(format!("/merchant/chats/{id}").as_str()))
    );
    // Every page of the consumer's shows the unread answer on "consultations" until it is read.
    let home = me.get(format!("{}/", app.base)).send().await.expect("home").text().await.expect("html");
    assert!(home.contains("data-testid=\"chats-unread\"") && home.contains(">1</span>"), "{home}");
    let html = me.get(&page).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("Yes, certified."), "{html}");
    let home = me.get(format!("{}/", app.base)).send().await.expect("home").text().await.expect("html");
    assert!(!home.contains("data-testid=\"chats-unread\""), "read: no badge");

    // Another merchant's staff: no page, no stream.
    let (nosy, _) = logged_in_client(&app, "owner-Peeky@test.lokal", "correct horse").await;
    let r = nosy.get(format!("{}/merchant/chats/{id}", app.base)).send().await.expect("page");
    assert_eq!(r.status().as_u16(), 404);
    for path in [format!("/live/chats/{id}"), format!("/live/stores/{}/chats", k.store)] {
        let r = nosy.get(format!("{}{path}", app.base)).send().await.expect("stream");
        assert_eq!(r.status().as_u16(), 403, "{path}");
    }
    let r = nosy.get(format!("{}/merchant/stores/{}/chats", app.base, k.store)).send().await.expect("page");
    assert_eq!(r.status().as_u16(), 403);
    // An operator reads the conversation without a form to write in it.
    let (root, _) = logged_in_client(&app, "root@test.lokal", "admin password").await;
    let r = root.get(format!("{}/merchant/chats/{id}", app.base)).send().await.expect("page");
    assert_eq!(r.status().as_u16(), 200);
    let html = r.text().await.expect("html");
    assert!(html.contains("Yes, certified.") && !html.contains("data-testid=\"chat-form\""), "{html}");
    // Staff see the refusal instead of a consumer's form on their own store.
    let r = clerk.get(&page).send().await.expect("page");
    assert_eq!(r.status().as_u16(), 403);
}
