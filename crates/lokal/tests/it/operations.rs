//! Health, readiness, metrics and the OpenAPI document.

use crate::harness::TestApp;

#[tokio::test]
async fn health_and_readiness_answer_ok() {
    let app = TestApp::spawn().await;
    let h = app.get("/healthz", None).await;
    assert_eq!((h.status, h.json()["status"].as_str()), (200, Some("ok")));
    let r = app.get("/readyz", None).await;
    assert_eq!((r.status, r.json()["status"].as_str()), (200, Some("ok")));
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = TestApp::spawn().await;
    app.app.db().close().await;
    let r = app.get("/readyz", None).await;
    assert_eq!(r.status, 503);
    let h = app.get("/healthz", None).await;
    assert_eq!(h.status, 200);
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_not_raw_path() {
    let app = TestApp::spawn().await;
    app.get("/healthz", None).await;
    app.get("/api/v1/merchants/01a20853-55f8-72d3-aa75-e5bfb9628eb4", None).await;
    assert_eq!(app.get("/metrics", None).await.status, 401, "not for anyone");
    let (consumer, _) = app.user("curious@test.lokal").await;
    assert_eq!(app.get("/metrics", Some(&consumer)).await.status, 403);
    let m = app.get("/metrics", Some(&app.admin().await)).await;
    assert_eq!(m.status, 200);
    assert!(m.header("content-type").unwrap_or_default().starts_with("text/plain"));
    assert!(
        m.text.contains(r#"lokal_http_requests_total{method="GET",route="/healthz",status="200"} 1"#),
        "{}",
        m.text
    );
    assert!(m.text.contains(r#"route="/api/v1/merchants/{merchant_id}",status="401"} 1"#), "{}", m.text);
    assert!(!m.text.contains("01a20853-55f8"));
    assert!(m.text.contains("lokal_http_request_duration_seconds_bucket"));
}

#[tokio::test]
async fn metrics_on_their_own_address_need_no_login() {
    let app = TestApp::spawn_config(|c| c.server.metrics_addr = "127.0.0.1:0".into()).await;
    app.get("/healthz", None).await;
    let base = app.metrics_base.clone().expect("a metrics listener");
    let m = app.send(app.client.get(format!("{base}/metrics"))).await;
    assert_eq!(m.status, 200);
    assert!(m.text.contains(r#"route="/healthz",status="200"} 1"#), "{}", m.text);
    assert_eq!(app.send(app.client.get(format!("{base}/api/v1/me"))).await.status, 404, "only metrics there");
    assert_eq!(app.get("/metrics", None).await.status, 401, "and still operators only on the main address");
}

#[tokio::test]
async fn the_openapi_document_is_3_1_and_describes_every_api_route() {
    let app = TestApp::spawn().await;
    let doc = app.get("/api/v1/openapi.json", None).await.json();
    assert!(doc["openapi"].as_str().unwrap_or_default().starts_with("3.1"));
    for path in [
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/me",
        "/api/v1/admin/users",
        "/api/v1/merchants/{merchant_id}/staff",
    ] {
        assert!(doc["paths"][path].is_object(), "missing {path}");
    }
    let register = &doc["paths"]["/api/v1/auth/register"]["post"];
    assert!(register["responses"]["422"].is_object());
    let has_key = |op: &serde_json::Value| {
        op["parameters"].as_array().into_iter().flatten().any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header")
    };
    assert!(has_key(&doc["paths"]["/api/v1/merchants"]["post"]), "creates take Idempotency-Key");
    assert!(!has_key(register), "auth answers carry tokens and are not stored for replay");
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn the_api_reference_page_lists_the_operations() {
    let app = TestApp::spawn().await;
    let page = app.get("/api/docs", None).await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").unwrap_or_default().starts_with("text/html"));
    assert!(page.text.contains("/api/v1/auth/register"));
    assert!(page.text.contains("SessionJson"));
}

#[tokio::test]
async fn housekeeping_removes_expired_sessions() {
    let app = TestApp::spawn().await;
    let (token, _) = app.user("old@test.lokal").await;
    app.clock.advance_secs(31 * 24 * 3600);
    let purged = app.app.housekeeping_tick().await.expect("tick");
    assert_eq!(purged.sessions, 1);
    assert_eq!(app.get("/api/v1/me", Some(&token)).await.status, 401);
}
