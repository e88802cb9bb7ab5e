//! `Idempotency-Key`: the same key and request replay the first response; a different request
//! with the same key is refused.

use crate::harness::TestApp;
use serde_json::json;

#[tokio::test]
async fn the_same_key_and_body_replay_the_first_response_and_create_once() {
    let app = TestApp::spawn().await;
    let body = json!({"email": "once@test.lokal", "password": "correct horse"});
    let send = || {
        app.send(
            app.client
                .post(format!("{}/api/v1/auth/register", app.base))
                .header("idempotency-key", "reg-1")
                .json(&body),
        )
    };
    let first = send().await;
    let second = send().await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(second.status, 201, "{}", second.text);
    assert_eq!(first.json(), second.json());
    assert_eq!(second.header("idempotent-replayed").as_deref(), Some("true"));
    // A third request without a key really tries to register again.
    let third = app.post("/api/v1/auth/register", &body, None).await;
    assert_eq!(third.code(), "email_taken");
}

#[tokio::test]
async fn the_same_key_with_a_different_body_is_422() {
    let app = TestApp::spawn().await;
    let url = format!("{}/api/v1/auth/register", app.base);
    let a = app
        .send(
            app.client
                .post(&url)
                .header("idempotency-key", "k")
                .json(&json!({"email": "a@test.lokal", "password": "correct horse"})),
        )
        .await;
    assert_eq!(a.status, 201);
    let b = app
        .send(
            app.client
                .post(&url)
                .header("idempotency-key", "k")
                .json(&json!({"email": "b@test.lokal", "password": "correct horse"})),
        )
        .await;
    assert_eq!((b.status, b.code().as_str()), (422, "idempotency_key_reused"));
}

#[tokio::test]
async fn refusals_are_replayed_too_and_keys_are_per_caller() {
    let app = TestApp::spawn().await;
    let (alice, _) = app.user("alice@test.lokal").await;
    let (bob, _) = app.user("bob@test.lokal").await;
    let url = format!("{}/api/v1/merchants", app.base);
    let body = json!({"name": "Not allowed"});
    let first = app.send(app.client.post(&url).bearer_auth(&alice).header("idempotency-key", "m-1").json(&body)).await;
    let again = app.send(app.client.post(&url).bearer_auth(&alice).header("idempotency-key", "m-1").json(&body)).await;
    assert_eq!((first.status, again.status), (403, 403));
    assert_eq!(again.code(), "forbidden");
    // Bob's key space is his own: the same key and another body is no conflict for him.
    let bobs = app
        .send(app.client.post(&url).bearer_auth(&bob).header("idempotency-key", "m-1").json(&json!({"name": "Other"})))
        .await;
    assert_eq!(bobs.status, 403);
}

#[tokio::test]
async fn racing_requests_with_one_key_create_one_account() {
    let app = TestApp::spawn().await;
    let body = json!({"email": "race@test.lokal", "password": "correct horse"});
    let url = format!("{}/api/v1/auth/register", app.base);
    let send = || app.send(app.client.post(&url).header("idempotency-key", "race").json(&body));
    let (a, b) = tokio::join!(send(), send());
    let statuses = [a.status, b.status];
    assert!(statuses.contains(&201), "{statuses:?}");
    // The loser either replays the winner's answer or is told the key is still in flight.
    for r in [&a, &b] {
        assert!(r.status == 201 || (r.status == 409 && r.code() == "idempotency_key_in_flight"), "{}", r.text);
    }
    let tokens: Vec<_> = [&a, &b].iter().filter(|r| r.status == 201).map(|r| r.json()["token"].clone()).collect();
    assert!(tokens.windows(2).all(|w| w[0] == w[1]), "a replay returns the same session");
}

#[tokio::test]
async fn a_key_must_be_visible_ascii_of_reasonable_length() {
    let app = TestApp::spawn().await;
    let r = app
        .send(
            app.client
                .post(format!("{}/api/v1/auth/login", app.base))
                .header("idempotency-key", "x".repeat(300))
                .json(&json!({"login": "a@b.cn", "password": "xxxxxxxx"})),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (422, "validation_failed"));
}
