//! Issue I: the defaults a security reviewer expects and bad input — every JSON body refuses
//! unknown fields, security headers and no inline script, no sandbox and no codes in the logs
//! outside the demo, only catalogue texts in a page's notice, and only the forms a person may
//! save, and the operators' accounts page.

use crate::harness::TestApp;
use crate::kitchen::kitchen;
use serde_json::json;

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
                url.push_str(&match part {
                    "{role}" => "rider".to_owned(),
                    p if p.starts_with('{') => uuid::Uuid::now_v7().to_string(),
                    p => p.to_owned(),
                });
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

/// `lokal serve` as users start it (no demo, no provider): it says at start that no payment
/// provider is configured, the sandbox's pages and endpoints do not exist, and the request log
/// shows route templates, never voucher codes or payment references.
#[tokio::test]
async fn a_server_without_demo_has_no_sandbox_and_logs_no_codes_or_references() {
    use std::io::Read;
    let dir = tempfile::tempdir().expect("dir");
    let mut child = crate::cli::lokal()
        .args(["serve", "--port", "0", "--data-dir", dir.path().to_str().expect("path")])
        .env("RUST_LOG", "info")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn lokal serve");
    let base = crate::cli::base_of(&mut child);
    let client = reqwest::Client::new();
    let get = |path: String| client.get(format!("{base}{path}")).send();
    let store = uuid::Uuid::now_v7();
    assert_eq!(get(format!("/api/v1/stores/{store}/vouchers/QX7H2KD9M4PA")).await.expect("get").status(), 401);
    assert_eq!(get("/sandbox/pay/sbx_0123456789abcdef".into()).await.expect("get").status(), 404);
    let api = client
        .post(format!("{base}/api/v1/sandbox/payments/sbx_0123456789abcdef"))
        .json(&json!({"outcome": "succeed"}));
    assert_eq!(api.send().await.expect("post").status(), 404, "no sandbox endpoint");
    assert_eq!(get("/no-such-page/QX7H2KD9M4PA".into()).await.expect("get").status(), 404);
    child.kill().expect("stop");
    let mut log = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut log).expect("log");
    child.wait().expect("wait");
    assert!(log.contains("no payment provider configured"), "{log}");
    assert!(log.contains("path=/api/v1/stores/{store_id}/vouchers/{code}"), "{log}");
    assert!(log.contains("path=/sandbox/pay/{reference}"), "{log}");
    assert!(log.contains("path=/no-such-page/{…}"), "{log}");
    for secret in ["QX7H2KD9M4PA", "sbx_0123456789abcdef", &store.to_string()] {
        assert!(!log.contains(secret), "the log shows {secret}: {log}");
    }
}

/// A production site refuses to start with the sandbox, demo or not.
#[test]
fn a_production_site_refuses_the_sandbox() {
    let dir = tempfile::tempdir().expect("dir");
    for args in [&["serve", "--port", "0"][..], &["serve", "--demo", "--port", "0"][..]] {
        let out = crate::cli::lokal()
            .args(args)
            .args(["--data-dir", dir.path().to_str().expect("path")])
            .env("LOKAL_SITE_PRODUCTION", "true")
            .env("LOKAL_PAYMENTS_PROVIDER", "sandbox")
            .output()
            .expect("run");
        assert!(!out.status.success(), "{args:?} started");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("production"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Every response carries the security headers; the policy runs no inline script, and no page
/// template has one (nor an inline event handler) for it to block.
#[tokio::test]
async fn every_response_carries_the_security_headers_and_no_page_needs_inline_script() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let store_page = format!("/stores/{}", k.store);
    for path in
        ["/", "/login", store_page.as_str(), "/api/v1/me", "/no-such-page", "/api/v1/openapi.json", "/static/app.css"]
    {
        let r = app.get(path, None).await;
        let csp = r.header("content-security-policy").unwrap_or_default();
        let scripts = csp.split(';').map(str::trim).find(|d| d.starts_with("script-src")).unwrap_or_default();
        assert_eq!(scripts, "script-src 'self'", "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"), "{path}: {csp}");
        assert_eq!(r.header("x-frame-options").as_deref(), Some("DENY"), "{path}");
        assert_eq!(r.header("x-content-type-options").as_deref(), Some("nosniff"), "{path}");
        assert_eq!(r.header("referrer-policy").as_deref(), Some("strict-origin-when-cross-origin"), "{path}");
        assert!(r.header("strict-transport-security").is_none(), "no HSTS over plain HTTP");
        if r.header("content-type").unwrap_or_default().starts_with("text/html") {
            assert!(!r.text.contains("<script>") && !r.text.contains("onclick="), "{path} has an inline script");
        }
    }
    let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../lokal-web/templates");
    for entry in std::fs::read_dir(&templates).expect("templates") {
        let path = entry.expect("entry").path();
        let html = std::fs::read_to_string(&path).expect("template");
        let inline =
            html.match_indices("<script").any(|(at, _)| !html[at..].split('>').next().unwrap_or("").contains("src="));
        assert!(!inline, "{} has an inline script", path.display());
        for handler in [" onclick=", " onchange=", " onsubmit=", " onload=", " oninput=", "javascript:"] {
            assert!(!html.contains(handler), "{} uses{handler}", path.display());
        }
    }

    let https = TestApp::spawn_with(lokal_app::AuthSettings { secure_cookies: true, ..Default::default() }).await;
    let r = https.get("/", None).await;
    assert_eq!(r.header("strict-transport-security").as_deref(), Some("max-age=31536000; includeSubDomains"));
}

/// A link cannot make the order desk (or any page with a flash) say what the platform did not:
/// only catalogue messages are shown for `error=`.
#[tokio::test]
async fn the_order_desk_shows_only_known_error_texts() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let (c, _) = crate::web::logged_in_client(&app, "noodle-clerk@test.lokal", "correct horse").await;
    let page = |q: &str| {
        let url = format!("{}/merchant/orders?store={}&{q}", app.base, k.store);
        let c = c.clone();
        async move { c.get(url).send().await.expect("get").text().await.expect("html") }
    };
    let fake = page("error=Your+account+is+frozen%2C+call+400-000-0000").await;
    assert!(!fake.contains("Your account is frozen, call 400-000-0000"), "an arbitrary text is shown");
    assert!(!fake.contains("role=\"alert\""), "nothing at all is shown");
    let known = page("error=err-store-closed-now").await;
    assert!(known.contains("role=\"alert\""), "a catalogue message is shown: {known}");
}

/// Pages show only what the person may do: a clerk sees no store settings link and gets no
/// settings form (saving it would be 403); a manager or owner does.
#[tokio::test]
async fn a_clerk_is_not_shown_the_store_settings_form() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let (clerk, _) = crate::web::logged_in_client(&app, "noodle-clerk@test.lokal", "correct horse").await;
    let (owner, _) = crate::web::logged_in_client(&app, "noodle-owner@test.lokal", "correct horse").await;
    let desk = |c: &reqwest::Client| c.get(format!("{}/merchant/orders?store={}", app.base, k.store)).send();
    let settings = |c: &reqwest::Client| c.get(format!("{}/merchant/stores/{}/settings", app.base, k.store)).send();
    let clerk_desk = desk(&clerk).await.expect("desk").text().await.expect("html");
    assert!(clerk_desk.contains("data-testid=\"till-link\"") && !clerk_desk.contains("data-testid=\"settings-link\""));
    let form = settings(&clerk).await.expect("settings");
    assert_eq!(form.status().as_u16(), 403);
    assert!(!form.text().await.expect("html").contains("data-testid=\"settings-save\""));
    let owner_desk = desk(&owner).await.expect("desk").text().await.expect("html");
    assert!(owner_desk.contains("data-testid=\"settings-link\""));
    let form = settings(&owner).await.expect("settings");
    assert_eq!(form.status().as_u16(), 200);
    assert!(form.text().await.expect("html").contains("data-testid=\"settings-save\""));
}

/// The operators' accounts page disables and enables an account and revokes a platform role,
/// through the same use cases (and audit log) as the API; nobody else sees it.
#[tokio::test]
async fn operators_disable_accounts_and_revoke_roles_on_the_accounts_page() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (victim, victim_id) = app.user("page-victim@test.lokal").await;
    let g =
        app.post(&format!("/api/v1/admin/users/{victim_id}/grants"), &json!({"role": "promoter"}), Some(&admin)).await;
    assert_eq!(g.status, 201, "{}", g.text);
    let (ops, csrf) = crate::web::logged_in_client(&app, "root@test.lokal", "admin password").await;
    let page = ops.get(format!("{}/admin/users", app.base)).send().await.expect("page").text().await.expect("html");
    assert!(
        page.contains("page-victim@test.lokal")
            && page.contains("data-testid=\"person-revoke\" data-role=\"promoter\""),
        "{page}"
    );
    let post = |action: &str| {
        let url = format!("{}/admin/users/{victim_id}/{action}", app.base);
        ops.post(url).form(&[("csrf_token", csrf.as_str()), ("reason", "spam from this account")]).send()
    };
    let r = post("revoke-promoter").await.expect("revoke");
    assert_eq!(r.headers()["location"], "/admin/users?done=revoked");
    let r = post("disable").await.expect("disable");
    assert_eq!(r.headers()["location"], "/admin/users?done=disabled");
    assert_eq!(app.get("/api/v1/me", Some(&victim)).await.status, 401, "its sessions ended");
    let page = ops.get(format!("{}/admin/users", app.base)).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("data-testid=\"person-disabled\"") && page.contains("data-testid=\"person-enable\""));
    assert_eq!(post("enable").await.expect("enable").headers()["location"], "/admin/users?done=enabled");
    assert_eq!(app.login("page-victim@test.lokal", "correct horse").await.status, 200);
    let log = app.get("/api/v1/admin/audit", Some(&admin)).await.json();
    let actions: Vec<&str> =
        log["items"].as_array().into_iter().flatten().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["user.enabled", "user.disabled", "grant.revoked"]);
    let (consumer, _) = crate::web::logged_in_client(&app, "page-victim@test.lokal", "correct horse").await;
    let refused = consumer.get(format!("{}/admin/users", app.base)).send().await.expect("page");
    assert_eq!(refused.status().as_u16(), 403);
}
