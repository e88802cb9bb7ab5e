//! Bad input gets a clear JSON error with a stable code and the right status, never a 5xx.

use crate::harness::TestApp;
use serde_json::json;

fn assert_error_shape(r: &crate::harness::Resp, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    let j = r.json();
    assert_eq!(j["error"]["code"], code, "{}", r.text);
    assert!(j["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    let id = j["error"]["request_id"].as_str().expect("request_id");
    assert_eq!(r.header("x-request-id").as_deref(), Some(id));
    assert!(r.header("content-type").unwrap_or_default().starts_with("application/json"));
}

#[tokio::test]
async fn malformed_json_is_400() {
    let app = TestApp::spawn().await;
    let r = app
        .send(
            app.client
                .post(format!("{}/api/v1/auth/login", app.base))
                .header("content-type", "application/json")
                .body("{\"login\": "),
        )
        .await;
    assert_error_shape(&r, 400, "malformed_request");
}

#[tokio::test]
async fn missing_mistyped_and_unknown_fields_are_422_naming_the_field() {
    let app = TestApp::spawn().await;
    for (body, field) in [
        (json!({"login": "a@b.cn"}), "password"),
        (json!({"login": 42, "password": "x"}), "login"),
        (json!({"login": "a@b.cn", "password": "x", "admin": true}), "admin"),
    ] {
        let r = app.post("/api/v1/auth/login", &body, None).await;
        assert_error_shape(&r, 422, "validation_failed");
        assert_eq!(r.json()["error"]["field"], field, "{}", r.text);
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415() {
    let app = TestApp::spawn().await;
    let r = app
        .send(
            app.client
                .post(format!("{}/api/v1/auth/login", app.base))
                .header("content-type", "text/plain")
                .body("login=a"),
        )
        .await;
    assert_error_shape(&r, 415, "unsupported_media_type");
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_413_with_or_without_an_idempotency_key() {
    let app = TestApp::spawn().await;
    let big = json!({"login": "a".repeat(1024 * 1024 + 10), "password": "x"});
    let r = app.post("/api/v1/auth/login", &big, None).await;
    assert_error_shape(&r, 413, "payload_too_large");
    let keyed = app
        .send(app.client.post(format!("{}/api/v1/auth/login", app.base)).header("idempotency-key", "big-1").json(&big))
        .await;
    assert_error_shape(&keyed, 413, "payload_too_large");
}

#[tokio::test]
async fn unknown_routes_wrong_methods_and_bad_ids_are_json_errors() {
    let app = TestApp::spawn().await;
    assert_error_shape(&app.get("/api/v1/no-such-thing", None).await, 404, "not_found");
    let del = app.send(app.client.delete(format!("{}/api/v1/me", app.base))).await;
    assert_error_shape(&del, 405, "method_not_allowed");
    let token = app.admin().await;
    let bad = app.get("/api/v1/merchants/not-a-uuid", Some(&token)).await;
    assert_error_shape(&bad, 422, "validation_failed");
    let absent = app.get("/api/v1/merchants/01a20853-55f8-72d3-aa75-e5bfb9628eb4", Some(&token)).await;
    assert_error_shape(&absent, 404, "not_found");
    let bad_query = app.get("/api/v1/admin/users?limit=abc", Some(&token)).await;
    assert_error_shape(&bad_query, 422, "validation_failed");
    let big_limit = app.get("/api/v1/admin/users?limit=1000", Some(&token)).await;
    assert_error_shape(&big_limit, 422, "validation_failed");
    assert_eq!(big_limit.json()["error"]["field"], "limit");
}

#[tokio::test]
async fn a_well_formed_request_id_is_kept_and_a_bad_one_replaced() {
    let app = TestApp::spawn().await;
    let kept = app.send(app.client.get(format!("{}/healthz", app.base)).header("x-request-id", "trace-123")).await;
    assert_eq!(kept.header("x-request-id").as_deref(), Some("trace-123"));
    let replaced =
        app.send(app.client.get(format!("{}/healthz", app.base)).header("x-request-id", "bad id with spaces")).await;
    assert_ne!(replaced.header("x-request-id").as_deref(), Some("bad id with spaces"));
}

#[tokio::test]
async fn unknown_pages_are_html_404_pages() {
    let app = TestApp::spawn().await;
    let r = app.get("/no/such/page", None).await;
    assert_eq!(r.status, 404);
    assert!(r.header("content-type").unwrap_or_default().starts_with("text/html"));
    // In the platform's language (zh-CN) unless the browser asks for English.
    assert!(r.text.contains("页面不存在"), "{}", r.text);
    assert!(r.text.contains(r#"<html lang="zh-CN">"#));
    let en = app
        .send(app.client.get(format!("{}/no/such/page", app.base)).header("accept-language", "en-GB,en;q=0.9"))
        .await;
    assert_eq!(en.status, 404);
    assert!(en.text.contains("Page not found") && en.text.contains(r#"<html lang="en">"#), "{}", en.text);
}
