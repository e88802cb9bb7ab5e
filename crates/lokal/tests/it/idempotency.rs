//! `Idempotency-Key`: the same key and request replay the first response; a different request
//! with the same key is refused.

use crate::harness::{Resp, TestApp};
use serde_json::{Value, json};

/// An owner token and the path to create stores of their merchant.
async fn owner(app: &TestApp, admin: &str, name: &str) -> (String, String) {
    let (token, id) = app.user(&format!("{name}@test.lokal")).await;
    let m = app.post("/api/v1/merchants", &json!({"name": name, "owner_user_id": id}), Some(admin)).await;
    (token, format!("/api/v1/merchants/{}/stores", m.json()["id"].as_str().expect("id")))
}

async fn keyed(app: &TestApp, path: &str, token: &str, key: &str, body: &Value) -> Resp {
    app.send(
        app.client.post(format!("{}{path}", app.base)).bearer_auth(token).header("idempotency-key", key).json(body),
    )
    .await
}

async fn store_count(app: &TestApp, path: &str, token: &str) -> usize {
    app.get(path, Some(token)).await.json()["items"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn the_same_key_and_body_replay_the_first_response_and_create_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (token, stores) = owner(&app, &admin, "once").await;
    let body = json!({"name": "Jiefangbei"});
    let first = keyed(&app, &stores, &token, "store-1", &body).await;
    let second = keyed(&app, &stores, &token, "store-1", &body).await;
    assert_eq!((first.status, second.status), (201, 201), "{}", second.text);
    assert_eq!(first.json(), second.json());
    assert_eq!(first.header("idempotent-replayed"), None);
    assert_eq!(second.header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(store_count(&app, &stores, &token).await, 1);
    // Without a key, the same request really creates again.
    app.post(&stores, &body, Some(&token)).await;
    assert_eq!(store_count(&app, &stores, &token).await, 2);
}

#[tokio::test]
async fn the_same_key_with_a_different_body_is_422() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (token, stores) = owner(&app, &admin, "diff").await;
    assert_eq!(keyed(&app, &stores, &token, "k", &json!({"name": "A"})).await.status, 201);
    let b = keyed(&app, &stores, &token, "k", &json!({"name": "B"})).await;
    assert_eq!((b.status, b.code().as_str()), (422, "idempotency_key_reused"));
    assert_eq!(store_count(&app, &stores, &token).await, 1);
}

#[tokio::test]
async fn keys_are_per_caller() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (alice, alice_stores) = owner(&app, &admin, "alice").await;
    let (bob, bob_stores) = owner(&app, &admin, "bob").await;
    assert_eq!(keyed(&app, &alice_stores, &alice, "same", &json!({"name": "A"})).await.status, 201);
    let bobs = keyed(&app, &bob_stores, &bob, "same", &json!({"name": "B"})).await;
    assert_eq!(bobs.status, 201, "Bob's key space is his own: {}", bobs.text);
}

#[tokio::test]
async fn validation_refusals_replay_but_permission_refusals_do_not() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (token, stores) = owner(&app, &admin, "refusals").await;
    let empty = json!({"name": ""});
    let first = keyed(&app, &stores, &token, "bad", &empty).await;
    let again = keyed(&app, &stores, &token, "bad", &empty).await;
    assert_eq!((first.status, again.status), (422, 422));
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
    // A refusal that depends on who asks is not stored: the retry runs again.
    let (stranger, _) = app.user("stranger@test.lokal").await;
    let body = json!({"name": "Mine"});
    let refused = keyed(&app, &stores, &stranger, "perm", &body).await;
    let retried = keyed(&app, &stores, &stranger, "perm", &body).await;
    assert_eq!((refused.status, retried.status), (403, 403));
    assert_eq!(retried.header("idempotent-replayed"), None);
}

#[tokio::test]
async fn racing_requests_with_one_key_create_one_store() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (token, stores) = owner(&app, &admin, "race").await;
    let body = json!({"name": "Raced"});
    let (a, b) = tokio::join!(keyed(&app, &stores, &token, "race", &body), keyed(&app, &stores, &token, "race", &body));
    assert!([a.status, b.status].contains(&201));
    for r in [&a, &b] {
        assert!(r.status == 201 || (r.status == 409 && r.code() == "idempotency_key_in_flight"), "{}", r.text);
    }
    assert_eq!(store_count(&app, &stores, &token).await, 1);
}

#[tokio::test]
async fn an_abandoned_claim_is_taken_over_after_a_minute() {
    let app = TestApp::spawn().await;
    use lokal_app::idempotency::Idempotent;
    assert_eq!(app.app.idempotency_claim("u", "k", "h").await.expect("claim"), Idempotent::Run);
    let busy = app.app.idempotency_claim("u", "k", "h").await.expect_err("in flight");
    assert_eq!(busy.code, lokal_core::ErrorCode::IdempotencyKeyInFlight);
    app.clock.advance_secs(61);
    assert_eq!(app.app.idempotency_claim("u", "k", "h").await.expect("claim"), Idempotent::Run);
}

#[tokio::test]
async fn auth_endpoints_ignore_keys_so_no_token_is_ever_stored() {
    let app = TestApp::spawn().await;
    let body = json!({"email": "secret@test.lokal", "password": "correct horse"});
    let url = format!("{}/api/v1/auth/register", app.base);
    let first = app.send(app.client.post(&url).header("idempotency-key", "reg").json(&body)).await;
    let second = app.send(app.client.post(&url).header("idempotency-key", "reg").json(&body)).await;
    assert_eq!((first.status, second.status), (201, 409));
    assert_eq!(second.code(), "email_taken");
    let stored = app
        .send(
            app.client
                .post(format!("{}/api/v1/auth/login", app.base))
                .header("idempotency-key", "login")
                .json(&json!({"login": "secret@test.lokal", "password": "correct horse"})),
        )
        .await;
    assert_eq!(stored.status, 200);
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM idempotency_keys")
        .fetch_one(app.app.db().pool())
        .await
        .expect("count");
    assert_eq!(rows, 0);
}

#[tokio::test]
async fn a_key_must_be_visible_ascii_of_reasonable_length() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let r = keyed(&app, "/api/v1/merchants", &admin, &"x".repeat(300), &json!({"name": "Long key"})).await;
    assert_eq!((r.status, r.code().as_str()), (422, "validation_failed"));
}
