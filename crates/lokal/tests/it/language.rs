//! Languages (issue H): pages speak zh-CN first and English second, chosen by the person's saved
//! preference, then the `lang` cookie of the switch, then `Accept-Language`, then the platform's
//! `[site] default_lang`; API messages follow `Accept-Language`; codes stay English.

use crate::harness::TestApp;
use crate::web::{cookie_client, csrf_from};
use serde_json::json;

fn html_lang(html: &str) -> &str {
    let start = html.find("<html lang=\"").map_or(0, |i| i + 12);
    html[start..].split('"').next().unwrap_or("")
}

#[tokio::test]
async fn pages_follow_the_browser_then_the_cookie_then_the_saved_preference() {
    let app = TestApp::spawn().await;
    let page = |accept: Option<&'static str>, cookie: Option<&'static str>, token: Option<String>| {
        let mut req = app.client.get(format!("{}/account", app.base));
        if let Some(a) = accept {
            req = req.header("accept-language", a);
        }
        if let Some(c) = cookie {
            req = req.header("cookie", format!("lang={c}"));
        }
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        app.send(req)
    };
    // A guest: the platform's default, then the browser's language, then the cookie.
    assert_eq!(html_lang(&app.get("/login", None).await.text), "zh-CN");
    let login = |accept: &'static str, cookie: Option<&'static str>| {
        let mut req = app.client.get(format!("{}/login", app.base)).header("accept-language", accept);
        if let Some(c) = cookie {
            req = req.header("cookie", format!("lang={c}"));
        }
        app.send(req)
    };
    let en = login("en-US,en;q=0.9", None).await;
    assert_eq!(html_lang(&en.text), "en");
    assert!(en.text.contains(">Log in<") && en.text.contains("Password"), "{}", en.text);
    let zh = login("fr-FR,zh-CN;q=0.8,en;q=0.5", None).await;
    assert_eq!(html_lang(&zh.text), "zh-CN");
    assert!(zh.text.contains("密码"));
    assert_eq!(html_lang(&login("en", Some("zh-CN")).await.text), "zh-CN");
    assert_eq!(html_lang(&login("zh-CN", Some("en")).await.text), "en");
    // A person who saved English reads English whatever the cookie and the browser say.
    let (token, _) = app.user("reader@test.lokal").await;
    let saved = app
        .send(app.client.patch(format!("{}/api/v1/me", app.base)).bearer_auth(&token).json(&json!({"lang": "en"})))
        .await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(saved.json()["user"]["lang"], "en");
    let r = page(Some("zh-CN"), Some("zh-CN"), Some(token.clone())).await;
    assert_eq!(html_lang(&r.text), "en", "{}", r.text);
    assert!(r.text.contains("Member since"));
    // Forgetting it hands the choice back to the cookie.
    let forgot = app
        .send(app.client.patch(format!("{}/api/v1/me", app.base)).bearer_auth(&token).json(&json!({"lang": null})))
        .await;
    assert_eq!(forgot.json()["user"]["lang"], serde_json::Value::Null);
    let r = page(Some("en"), Some("zh-CN"), Some(token.clone())).await;
    assert_eq!(html_lang(&r.text), "zh-CN");
    assert!(r.text.contains("注册时间"));
    // Leaving `lang` out changes nothing; an unknown language is refused, naming the field.
    let same = app.send(app.client.patch(format!("{}/api/v1/me", app.base)).bearer_auth(&token).json(&json!({}))).await;
    assert_eq!(same.status, 200);
    let bad = app
        .send(app.client.patch(format!("{}/api/v1/me", app.base)).bearer_auth(&token).json(&json!({"lang": "fr"})))
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["error"]["field"], "lang");
}

#[tokio::test]
async fn the_switch_sets_the_cookie_saves_the_choice_and_comes_back() {
    let app = TestApp::spawn().await;
    let c = cookie_client();
    // A guest switches: a cookie for a year, back to the page they were on.
    let form =
        c.get(format!("{}/login?next=/me/orders", app.base)).send().await.expect("get").text().await.expect("html");
    assert!(
        form.contains(r#"data-testid="lang-switch""#) && form.contains(r#"value="/login?next=/me/orders""#),
        "{form}"
    );
    let csrf = csrf_from(&form);
    let r = c
        .post(format!("{}/lang", app.base))
        .form(&[("lang", "en"), ("next", "/login?next=/me/orders"), ("csrf_token", &csrf)])
        .send()
        .await
        .expect("switch");
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/login?next=/me/orders");
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("lang="))
        .expect("lang cookie")
        .to_owned();
    assert!(cookie.starts_with("lang=en;") && cookie.contains("Max-Age=31536000"), "{cookie}");
    let page = c.get(format!("{}/login", app.base)).send().await.expect("get").text().await.expect("html");
    assert_eq!(html_lang(&page), "en");
    // Nowhere else: a switch never sends anyone off the site.
    let r = c
        .post(format!("{}/lang", app.base))
        .form(&[("lang", "zh-CN"), ("next", "//evil.example"), ("csrf_token", &csrf)])
        .send()
        .await
        .expect("switch");
    assert_eq!(r.headers()["location"], "/");
    // Without the form's token nothing changes.
    let r = c.post(format!("{}/lang", app.base)).form(&[("lang", "en"), ("next", "/")]).send().await.expect("switch");
    assert_eq!(r.status().as_u16(), 403);
    // Logged in, the switch also saves the choice on the account.
    let (token, _) = app.user("switcher@test.lokal").await;
    let csrf = lokal_api::session_csrf(&token);
    let r = app
        .send(app.client.post(format!("{}/lang", app.base)).bearer_auth(&token).form(&[
            ("lang", "en"),
            ("next", "/account"),
            ("csrf_token", &csrf),
        ]))
        .await;
    assert_eq!(r.status, 303, "{}", r.text);
    assert_eq!(app.get("/api/v1/me", Some(&token)).await.json()["user"]["lang"], "en");
}

#[tokio::test]
async fn api_messages_follow_accept_language_and_codes_stay_english() {
    let app = TestApp::spawn().await;
    let (token, _) = app.user("api@test.lokal").await;
    let ask = |accept: &'static str| {
        app.send(
            app.client
                .patch(format!("{}/api/v1/me", app.base))
                .bearer_auth(&token)
                .header("accept-language", accept)
                .json(&json!({"lang": "klingon"})),
        )
    };
    let zh = ask("zh-CN,zh;q=0.9").await.json();
    let en = ask("en-GB").await.json();
    assert_eq!(zh["error"]["code"], "validation_failed");
    assert_eq!(en["error"]["code"], "validation_failed");
    assert_eq!(zh["error"]["message"], "lang: 必须是 zh-CN 或 en");
    assert_eq!(en["error"]["message"], "lang: must be zh-CN or en");
    // No Accept-Language: the platform's default language.
    let r = app
        .send(app.client.patch(format!("{}/api/v1/me", app.base)).bearer_auth(&token).json(&json!({"lang": "x"})))
        .await;
    assert_eq!(r.json()["error"]["message"], "lang: 必须是 zh-CN 或 en");
}

#[tokio::test]
async fn the_platform_default_language_is_configurable_and_checked() {
    let app = TestApp::spawn_config(|c| c.site.default_lang = "en".into()).await;
    let r = app.get("/login", None).await;
    assert_eq!(html_lang(&r.text), "en");
    let zh = app.send(app.client.get(format!("{}/login", app.base)).header("accept-language", "zh-CN")).await;
    assert_eq!(html_lang(&zh.text), "zh-CN");
    // A language Lokal does not speak, or a zone the tz database does not know, stops the start.
    for (lang, zone) in [("fr", "Asia/Shanghai"), ("zh-CN", "Asia/Atlantis")] {
        let dir = tempfile::tempdir().expect("dir");
        let mut config = lokal::config::Config::default();
        config.database.data_dir = dir.path().to_path_buf();
        config.site.default_lang = lang.into();
        config.site.time_zone = zone.into();
        let clock = std::sync::Arc::new(lokal_app::SystemClock);
        assert!(lokal::open_app(&config, clock).await.is_err(), "{lang} {zone}");
    }
}
