//! Registration, login, logout, sessions and login rate limits.

use crate::harness::TestApp;
use lokal_app::AuthSettings;
use serde_json::json;

#[tokio::test]
async fn a_consumer_registers_and_sees_their_account() {
    let app = TestApp::spawn().await;
    let r = app
        .post(
            "/api/v1/auth/register",
            &json!({"email": " Li.Wei@Example.com ", "password": "correct horse", "display_name": "Li Wei"}),
            None,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let token = r.json()["token"].as_str().expect("token").to_owned();
    let me = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.status, 200);
    let j = me.json();
    assert_eq!(j["user"]["email"], "li.wei@example.com");
    assert_eq!(j["user"]["display_name"], "Li Wei");
    assert_eq!(j["grants"], json!([]));
    assert!(j["user"]["created_at"].as_str().unwrap_or_default().ends_with('Z'));
}

#[tokio::test]
async fn a_consumer_registers_by_phone_and_logs_in_with_any_spelling_of_it() {
    let app = TestApp::spawn().await;
    let r =
        app.post("/api/v1/auth/register", &json!({"phone": "138 0013 8000", "password": "correct horse"}), None).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()["user"]["phone"], "+8613800138000");
    assert_eq!(app.login("+86 138-0013-8000", "correct horse").await.status, 200);
}

#[tokio::test]
async fn an_e_mail_or_phone_registers_only_once() {
    let app = TestApp::spawn().await;
    app.user("dup@test.lokal").await;
    let again =
        app.post("/api/v1/auth/register", &json!({"email": "DUP@test.lokal", "password": "another one"}), None).await;
    assert_eq!((again.status, again.code().as_str()), (409, "email_taken"));
    app.post("/api/v1/auth/register", &json!({"phone": "13800138000", "password": "correct horse"}), None).await;
    let phone =
        app.post("/api/v1/auth/register", &json!({"phone": "+8613800138000", "password": "correct horse"}), None).await;
    assert_eq!((phone.status, phone.code().as_str()), (409, "phone_taken"));
}

#[tokio::test]
async fn registration_names_the_field_it_refuses() {
    let app = TestApp::spawn().await;
    for (body, field) in [
        (json!({"password": "correct horse"}), "email"),
        (json!({"email": "not-an-email", "password": "correct horse"}), "email"),
        (json!({"email": "a@b.cn", "password": "short"}), "password"),
        (json!({"phone": "12", "password": "correct horse"}), "phone"),
        (json!({"email": "a@b.cn", "password": "correct horse", "display_name": "x".repeat(65)}), "display_name"),
    ] {
        let r = app.post("/api/v1/auth/register", &body, None).await;
        assert_eq!((r.status, r.code().as_str()), (422, "validation_failed"), "{body}");
        assert_eq!(r.json()["error"]["field"], field, "{body}");
    }
}

#[tokio::test]
async fn wrong_passwords_and_unknown_logins_get_the_same_answer() {
    let app = TestApp::spawn().await;
    app.user("known@test.lokal").await;
    let wrong = app.login("known@test.lokal", "wrong password").await;
    let unknown = app.login("nobody@test.lokal", "wrong password").await;
    assert_eq!((wrong.status, wrong.code()), (401, "invalid_credentials".to_owned()));
    assert_eq!((unknown.status, unknown.code()), (wrong.status, wrong.code()));
    assert_eq!(unknown.json()["error"]["message"], wrong.json()["error"]["message"]);
}

#[tokio::test]
async fn logout_ends_the_session_and_only_that_session() {
    let app = TestApp::spawn().await;
    let (first, _) = app.user("two@test.lokal").await;
    let second = app.login("two@test.lokal", "correct horse").await.json()["token"].as_str().expect("token").to_owned();
    let out = app.post("/api/v1/auth/logout", &json!({}), Some(&first)).await;
    assert_eq!(out.status, 204);
    assert_eq!(app.get("/api/v1/me", Some(&first)).await.status, 401);
    assert_eq!(app.get("/api/v1/me", Some(&second)).await.status, 200);
}

#[tokio::test]
async fn missing_bad_and_expired_tokens_are_unauthenticated() {
    let app = TestApp::spawn().await;
    let none = app.get("/api/v1/me", None).await;
    assert_eq!((none.status, none.code().as_str()), (401, "unauthenticated"));
    assert_eq!(app.get("/api/v1/me", Some("not-a-token")).await.status, 401);
    let (token, _) = app.user("ttl@test.lokal").await;
    app.clock.advance_secs(30 * 24 * 3600 + 1);
    assert_eq!(app.get("/api/v1/me", Some(&token)).await.status, 401);
}

#[tokio::test]
async fn failed_logins_slow_the_account_down_but_never_lock_out_the_right_password() {
    let app = TestApp::spawn_with(AuthSettings { max_failed_logins_per_account: 3, ..AuthSettings::default() }).await;
    app.user("target@test.lokal").await;
    for _ in 0..3 {
        assert_eq!(app.login("target@test.lokal", "guess guess").await.status, 401, "free attempts");
    }
    // Then one attempt at a time, each after a doubling delay: 1 s, 2 s, 4 s, …
    assert_eq!(app.login("target@test.lokal", "guess guess").await.status, 401, "let through, next in 1 s");
    let early = app.login("target@test.lokal", "correct horse").await;
    assert_eq!((early.status, early.code().as_str()), (429, "rate_limited"));
    assert_eq!(early.header("retry-after").as_deref(), Some("1"));
    app.clock.advance_secs(1);
    assert_eq!(app.login("target@test.lokal", "guess guess").await.status, 401, "next in 2 s");
    let wait = app.login("target@test.lokal", "guess guess").await;
    assert_eq!(wait.header("retry-after").as_deref(), Some("2"));
    // Other accounts are not affected.
    app.user("other@test.lokal").await;
    assert_eq!(app.login("other@test.lokal", "correct horse").await.status, 200);
    // Once the delay has passed, the right password logs in at once (no fifteen-minute lockout)
    // and the count starts again.
    app.clock.advance_secs(2);
    assert_eq!(app.login("target@test.lokal", "correct horse").await.status, 200);
    for _ in 0..3 {
        assert_eq!(app.login("target@test.lokal", "guess guess").await.status, 401);
    }
}

#[tokio::test]
async fn the_delay_is_capped_and_the_account_is_the_key_whichever_login_is_typed() {
    let app = TestApp::spawn_with(AuthSettings {
        max_failed_logins_per_account: 2,
        login_delay_cap_secs: 8,
        ..AuthSettings::default()
    })
    .await;
    let both = json!({"email": "both@test.lokal", "phone": "13700137001", "password": "correct horse"});
    assert_eq!(app.post("/api/v1/auth/register", &both, None).await.status, 201);
    // Two free failures by e-mail, then by phone the same budget: the next waits.
    assert_eq!(app.login("both@test.lokal", "guess guess").await.status, 401);
    assert_eq!(app.login("+86 137 0013 7001", "guess guess").await.status, 401);
    assert_eq!(app.login("13700137001", "guess guess").await.status, 401, "let through, next in 1 s");
    assert_eq!(app.login("both@test.lokal", "correct horse").await.status, 429, "one budget for the account");
    let mut waits = Vec::new();
    for _ in 0..6 {
        let r = app.login("both@test.lokal", "guess guess").await;
        let wait: i64 = match r.header("retry-after") {
            Some(w) => w.parse().expect("seconds"),
            None => 0,
        };
        waits.push(wait);
        app.clock.advance_secs(wait.max(1));
        let _ = app.login("both@test.lokal", "guess guess").await;
    }
    assert!(waits.iter().all(|w| *w <= 8), "never more than the cap: {waits:?}");
    assert!(waits.contains(&8), "the delay grows to the cap: {waits:?}");
    app.clock.advance_secs(8);
    assert_eq!(app.login("13700137001", "correct horse").await.status, 200);
}

#[tokio::test]
async fn successful_logins_do_not_count_against_an_address() {
    let app = TestApp::spawn_with(AuthSettings { max_logins_per_ip: 4, ..AuthSettings::default() }).await;
    app.user("office@test.lokal").await;
    for _ in 0..10 {
        assert_eq!(app.login("office@test.lokal", "correct horse").await.status, 200);
    }
    for i in 0..4 {
        assert_eq!(app.login(&format!("nobody{i}@test.lokal"), "whatever pw").await.status, 401);
    }
    assert_eq!(app.login("nobody9@test.lokal", "whatever pw").await.status, 429, "failures still do");
}

#[tokio::test]
async fn sign_ups_are_limited_per_address_and_per_device() {
    let app = TestApp::spawn_with(AuthSettings { max_signups_per_ip: 3, ..AuthSettings::default() }).await;
    for i in 0..3 {
        assert_eq!(app.register(&format!("new{i}@test.lokal")).await.status, 201);
    }
    let bad = app.post("/api/v1/auth/register", &json!({"email": "x@test.lokal", "password": "short"}), None).await;
    assert_eq!(bad.status, 429, "over the address's limit");
    let more = app.register("new9@test.lokal").await;
    assert_eq!((more.status, more.code().as_str()), (429, "rate_limited"), "{}", more.text);
    assert!(more.header("retry-after").is_some());

    // One browser (its device cookie, set by the sign-up page) signs up at most three accounts a
    // day, whatever its address.
    let app = TestApp::spawn().await;
    let form = app.send(app.client.get(format!("{}/register", app.base))).await;
    let cookies: Vec<String> =
        form.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).map(str::to_owned).collect();
    let device = cookies.iter().find(|c| c.starts_with("lokal_device=")).expect("a device cookie");
    assert!(device.contains("HttpOnly") && device.contains("Max-Age=31536000"), "{device}");
    let device = device.split(';').next().expect("pair").to_owned();
    let csrf = crate::web::csrf_from(&form.text);
    for i in 0..4 {
        let r = app
            .send(
                app.client
                    .post(format!("{}/register", app.base))
                    .header("cookie", format!("{device}; lokal_csrf={csrf}"))
                    .form(&[
                        ("email", format!("device{i}@test.lokal").as_str()),
                        ("password", "correct horse"),
                        ("csrf_token", &csrf),
                    ]),
            )
            .await;
        assert_eq!(r.status, if i < 3 { 303 } else { 429 }, "sign-up {i}: {}", r.text);
    }
    let other = app
        .send(
            app.client
                .post(format!("{}/api/v1/auth/register", app.base))
                .json(&json!({"email": "elsewhere@test.lokal", "password": "correct horse"})),
        )
        .await;
    assert_eq!(other.status, 201, "another browser is not affected");
}

#[tokio::test]
async fn one_address_cannot_try_logins_without_limit() {
    let app = TestApp::spawn_with(AuthSettings { max_logins_per_ip: 4, ..AuthSettings::default() }).await;
    for i in 0..4 {
        assert_eq!(app.login(&format!("u{i}@test.lokal"), "whatever pw").await.status, 401);
    }
    let r = app.login("u9@test.lokal", "whatever pw").await;
    assert_eq!((r.status, r.code().as_str()), (429, "rate_limited"));
}

#[tokio::test]
async fn passwords_and_tokens_are_stored_only_as_hashes() {
    let app = TestApp::spawn().await;
    let (token, id) = app.user("hash@test.lokal").await;
    let user =
        lokal_store::users::get_by_id(app.app.db().pool(), id.parse().expect("id")).await.expect("query").expect("row");
    assert!(user.password_hash.starts_with("$argon2id$"));
    assert!(!user.password_hash.contains("correct horse"));
    let raw =
        lokal_store::sessions::find_live(app.app.db().pool(), &token, lokal_core::Timestamp(0)).await.expect("query");
    assert!(raw.is_none(), "the raw token must not be a stored key");
}

#[tokio::test]
async fn parallel_guesses_cannot_exceed_the_account_limit() {
    let app = TestApp::spawn_with(AuthSettings { max_failed_logins_per_account: 3, ..AuthSettings::default() }).await;
    app.user("parallel@test.lokal").await;
    let guesses = (0..10).map(|_| app.login("parallel@test.lokal", "guess guess"));
    let mut statuses = Vec::new();
    for r in crate::harness::join_all(guesses).await {
        statuses.push(r.status);
    }
    // Three free attempts, then one let through by the delay: the other six wait.
    assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 4, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 6, "{statuses:?}");
}

#[tokio::test]
async fn secure_deployments_mark_cookies_secure() {
    let app = TestApp::spawn_with(AuthSettings { secure_cookies: true, ..AuthSettings::default() }).await;
    let r = app.get("/login", None).await;
    let cookie = r.header("set-cookie").expect("csrf cookie");
    assert!(cookie.starts_with("__Host-lokal_csrf=") && cookie.ends_with("; Secure"), "{cookie}");
    assert!(cookie.contains("Path=/") && !cookie.contains("Domain"), "what __Host- requires: {cookie}");
}
