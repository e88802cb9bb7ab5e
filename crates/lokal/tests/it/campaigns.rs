//! Campaigns (issue F): channels with public links, touches, and reports that credit claims,
//! orders and sign-ups to the first or last touch within the window — from the orders and
//! refunds as they stand; who may see and change a campaign.

use crate::commerce::{rfc3339, shop};
use crate::harness::TestApp;
use crate::kitchen::{Kitchen, kitchen};
use serde_json::{Value, json};

const DAY: i64 = 86_400;

/// A ¥5-off-¥20 coupon batch and a campaign offering it at the kitchen's store, with a poster
/// (¥30 to print) and a link; returns the campaign id and the two codes.
async fn campaign(app: &TestApp, k: &Kitchen) -> (String, String, String) {
    let batch = json!({"title": "¥5 off ¥20", "benefit": {"kind": "amount_off", "off": 500, "threshold": 2000},
        "claim_until": rfc3339(app, 30 * DAY), "valid_days": 30, "quantity": 100});
    let b = app.post(&format!("/api/v1/merchants/{}/coupon-batches", k.merchant), &batch, Some(&k.owner)).await;
    assert_eq!(b.status, 201, "{}", b.text);
    let body = json!({"title": "Noodle week", "store_id": k.store, "coupon_batch_id": b.json()["id"],
        "ends_at": rfc3339(app, 30 * DAY), "window_days": 7});
    let c = app.post(&format!("/api/v1/merchants/{}/campaigns", k.merchant), &body, Some(&k.owner)).await;
    assert_eq!(c.status, 201, "{}", c.text);
    let id = c.json()["id"].as_str().expect("campaign").to_owned();
    let mut codes = Vec::new();
    for ch in [
        json!({"kind": "qr", "name": "Poster at the east gate", "cost": 3000}),
        json!({"kind": "link", "name": "Moments post"}),
    ] {
        let r = app.post(&format!("/api/v1/campaigns/{id}/channels"), &ch, Some(&k.owner)).await;
        assert_eq!(r.status, 201, "{}", r.text);
        assert_eq!(r.json()["path"].as_str(), Some(format!("/c/{}", r.json()["code"].as_str().unwrap_or("")).as_str()));
        codes.push(r.json()["code"].as_str().expect("code").to_owned());
    }
    (id, codes[0].clone(), codes[1].clone())
}

async fn touch(app: &TestApp, code: &str, token: &str) -> Value {
    let r = app.post("/api/v1/touches", &json!({"code": code}), Some(token)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

/// Orders one mild noodles for pickup (2,900 before coupons) and pays; returns the order id.
async fn noodles(app: &TestApp, k: &Kitchen, token: &str, coupons: Value) -> String {
    let mut cart = k.cart("pickup");
    cart["coupon_ids"] = coupons;
    crate::kitchen::order_and_pay(app, &cart, token).await
}

fn p_id(report: &Value, code: &str) -> Value {
    report["channels"]
        .as_array()
        .and_then(|l| l.iter().find(|c| c["channel"]["code"] == code))
        .map(|c| c["channel"]["id"].clone())
        .expect("channel in the report")
}

fn channel<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["channels"]
        .as_array()
        .and_then(|l| l.iter().find(|c| c["channel"]["code"] == code))
        .map(|c| &c["figures"])
        .expect("channel in the report")
}

#[tokio::test]
async fn a_campaign_credits_claims_and_orders_to_the_first_or_last_touch_within_its_window() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let (id, poster, link) = campaign(&app, &k).await;

    // The consumer sees the post first, the poster a day later, then claims and buys twice.
    let t = touch(&app, &link, &k.consumer).await;
    assert_eq!((t["running"].as_bool(), t["store_id"].as_str()), (Some(true), Some(k.store.as_str())));
    let batch = t["coupon_batch_id"].as_str().expect("the campaign's coupon").to_owned();
    app.clock.advance_secs(DAY);
    touch(&app, &poster, &k.consumer).await;
    touch(&app, &poster, &k.consumer).await; // a second scan within half an hour is the same visit
    let c = app.post(&format!("/api/v1/coupon-batches/{batch}/claims"), &json!({}), Some(&k.consumer)).await;
    assert_eq!(c.status, 201, "{}", c.text);
    let coupon = c.json()["id"].as_str().expect("coupon").to_owned();
    let first = noodles(&app, &k, &k.consumer, json!([coupon])).await;
    let second = noodles(&app, &k, &k.consumer, json!([])).await;
    // A third order, paid and then cancelled: placed, but neither an order nor GMV.
    let third = noodles(&app, &k, &k.consumer, json!([])).await;
    let r =
        app.post(&format!("/api/v1/orders/{third}/cancel"), &json!({"reason": "wrong day"}), Some(&k.consumer)).await;
    assert_eq!(r.status, 200, "{}", r.text);

    // Someone who scanned the poster but bought eight days later is not credited; someone who
    // never scanned anything is organic.
    let (late, _) = app.user("late@test.lokal").await;
    touch(&app, &poster, &late).await;
    let (organic, _) = app.user("organic@test.lokal").await;
    noodles(&app, &k, &organic, json!([])).await;
    app.clock.advance_secs(8 * DAY);
    noodles(&app, &k, &late, json!([])).await;

    // Last touch: the poster brought the claim and the orders.
    let report = format!("/api/v1/campaigns/{id}/report");
    let last = app.get(&report, Some(&k.owner)).await;
    assert_eq!(last.status, 200, "{}", last.text);
    let last = last.json();
    assert_eq!(last["model"], "last");
    let p = channel(&last, &poster);
    let goods = 2900;
    let expected = json!({"visits": 2, "reach": 2, "signups": 0, "claims": 1, "orders_placed": 3, "orders": 2,
        "gmv": (goods - 500) + goods, "discounts": 500, "other_discounts": 0, "fees": 3000, "spend": 3500,
        "redemptions": 0, "redeemed_value": 0, "new_customers": 1, "returning_customers": 0, "cac": 3500,
        "roi": f64::from((goods - 500) + goods) / 3500.0});
    assert_eq!(p, &expected, "{last}");
    let l = channel(&last, &link);
    assert_eq!((l["visits"].as_i64(), l["orders"].as_i64(), l["claims"].as_i64()), (Some(1), Some(0), Some(0)));
    assert_eq!((l["spend"].as_i64(), l["roi"].is_null()), (Some(0), true));
    assert_eq!((last["total"]["visits"].as_i64(), last["total"]["reach"].as_i64()), (Some(3), Some(2)));
    let by_id = |id: &str| {
        last["orders"].as_array().and_then(|l| l.iter().find(|o| o["order_id"] == id)).cloned().expect("credited")
    };
    assert_eq!(last["orders"].as_array().map(Vec::len), Some(3), "the late and the organic orders are not credited");
    for (order, discount, status, new) in
        [(&first, 500, "paid", true), (&second, 0, "paid", false), (&third, 0, "cancelled", false)]
    {
        let o = by_id(order);
        assert_eq!(
            (o["discount"].as_i64(), o["status"].as_str(), o["new_customer"].as_bool()),
            (Some(discount), Some(status), Some(new)),
            "{o}"
        );
    }
    assert_eq!(by_id(&first)["channel_id"], p_id(&last, &poster));

    // First touch: the post gets them.
    let first_touch = app.get(&format!("{report}?model=first"), Some(&k.owner)).await.json();
    assert_eq!(channel(&first_touch, &link)["orders"], 2, "{first_touch}");
    assert_eq!(channel(&first_touch, &link)["claims"], 1);
    assert_eq!(channel(&first_touch, &poster)["orders"], 0);
    assert_eq!(first_touch["total"]["orders"], 2);
    let bad = app.get(&format!("{report}?model=middle"), Some(&k.owner)).await;
    assert_eq!(bad.status, 422, "{}", bad.text);
}

#[tokio::test]
async fn only_the_merchants_managers_run_its_campaigns_and_nobody_else_sees_them() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let (id, poster, _) = campaign(&app, &k).await;
    let other = shop(&app, "Elsewhere").await;
    let list = format!("/api/v1/merchants/{}/campaigns", k.merchant);
    let body = json!({"title": "Mine", "ends_at": rfc3339(&app, DAY)});
    // Creating: the owner, not a store's clerk, not another merchant's owner.
    assert_eq!(app.post(&list, &body, Some(&k.clerk)).await.status, 403);
    assert_eq!(app.post(&list, &body, Some(&other.owner)).await.status, 403);
    assert_eq!(app.post("/api/v1/admin/campaigns", &body, Some(&k.owner)).await.status, 403);
    // Bad campaigns name the field.
    for (extra, field) in [
        (json!({"window_days": 0}), "window_days"),
        (json!({"window_days": 91}), "window_days"),
        (json!({"store_id": other.store_a}), "store_id"),
        (json!({"ends_at": rfc3339(&app, -60)}), "ends_at"),
        (json!({"title": ""}), "title"),
        (json!({"coupon_batch_id": uuid::Uuid::now_v7()}), "coupon_batch_id"),
    ] {
        let mut b = body.clone();
        for (key, v) in extra.as_object().expect("object") {
            b[key] = v.clone();
        }
        let r = app.post(&list, &b, Some(&k.owner)).await;
        assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some(field)), "{}", r.text);
    }
    let bad = app
        .post(&format!("/api/v1/campaigns/{id}/channels"), &json!({"kind": "billboard", "name": "x"}), Some(&k.owner))
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    let costly = json!({"kind": "link", "name": "x", "cost": -1});
    assert_eq!(
        app.post(&format!("/api/v1/campaigns/{id}/channels"), &costly, Some(&k.owner)).await.code(),
        "validation_failed"
    );

    // Another merchant, a store-level clerk and consumers get 404 on the campaign and its report.
    let (consumer, _) = app.user("curious@test.lokal").await;
    for token in [&other.owner, &k.clerk, &consumer] {
        for path in [format!("/api/v1/campaigns/{id}"), format!("/api/v1/campaigns/{id}/report")] {
            assert_eq!(app.get(&path, Some(token)).await.status, 404, "{path}");
        }
        let ch = app
            .post(&format!("/api/v1/campaigns/{id}/channels"), &json!({"kind": "qr", "name": "x"}), Some(token))
            .await;
        assert_eq!(ch.status, 404);
    }
    assert_eq!(app.get(&list, Some(&other.owner)).await.status, 403);
    let mine = app.get(&list, Some(&k.owner)).await.json();
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(1));
    let got = app.get(&format!("/api/v1/campaigns/{id}"), Some(&k.owner)).await.json();
    assert_eq!(got["channels"].as_array().map(Vec::len), Some(2));
    // Operators run platform campaigns and may read any.
    assert_eq!(app.get(&format!("/api/v1/campaigns/{id}/report"), Some(&k.admin)).await.status, 200);
    let p = app.post("/api/v1/admin/campaigns", &body, Some(&k.admin)).await;
    assert_eq!(p.status, 201, "{}", p.text);
    assert_eq!(p.json()["merchant_id"], Value::Null);
    // Unknown codes and ids are 404s, never 5xx.
    assert_eq!(app.post("/api/v1/touches", &json!({"code": "nosuch"}), Some(&consumer)).await.status, 404);
    assert_eq!(app.post("/api/v1/touches", &json!({"code": "../../etc"}), Some(&consumer)).await.status, 404);
    assert_eq!(app.post("/api/v1/touches", &json!({"code": poster}), None).await.status, 401);
    assert_eq!(app.get(&format!("/api/v1/campaigns/{}", uuid::Uuid::now_v7()), Some(&k.owner)).await.status, 404);
}

fn cookie_client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

/// Signs up through the register form with `next` (as a landing page's link does) in `c`'s
/// cookie jar, and returns where the form sent the browser.
async fn register_from(app: &TestApp, c: &reqwest::Client, email: &str, next: &str) -> String {
    let html = c.get(format!("{}/register?next={next}", app.base)).send().await.expect("form").text().await;
    let csrf = crate::web::csrf_from(&html.expect("html"));
    let r = c
        .post(format!("{}/register", app.base))
        .form(&[
            ("email", email),
            ("display_name", "Scanner"),
            ("password", "correct horse"),
            ("csrf_token", &csrf),
            ("next", next),
        ])
        .send()
        .await
        .expect("register");
    assert_eq!(r.status().as_u16(), 303);
    r.headers().get("location").and_then(|v| v.to_str().ok()).expect("location").to_owned()
}

async fn landing(c: &reqwest::Client, app: &TestApp, code: &str) -> String {
    c.get(format!("{}/c/{code}", app.base)).send().await.expect("landing").text().await.expect("html")
}

#[tokio::test]
async fn a_poster_lands_on_a_page_that_offers_its_coupon_in_the_browsers_language() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let (_, poster, _) = campaign(&app, &k).await;
    let c = cookie_client();
    // Scanning the poster: the landing page offers the coupon and keeps a visitor id.
    let r = c.get(format!("{}/c/{poster}", app.base)).send().await.expect("landing");
    assert_eq!(r.status().as_u16(), 200);
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("lokal_visitor="))
        .expect("visitor cookie")
        .to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    let html = r.text().await.expect("html");
    assert!(html.contains("Noodle week") && html.contains("data-testid=\"campaign-login\">登录后领取<"), "{html}");
    // The same page in English for a browser that asks for it.
    let en = c
        .get(format!("{}/c/{poster}", app.base))
        .header("accept-language", "en")
        .send()
        .await
        .expect("landing")
        .text()
        .await
        .expect("html");
    assert!(en.contains("<html lang=\"en\">") && en.contains(">Log in to claim<"), "{en}");
    assert_eq!(cookie_client().get(format!("{}/c/nosuch", app.base)).send().await.expect("404").status().as_u16(), 404);
}

#[tokio::test]
async fn signing_up_and_claiming_from_a_landing_page_credit_its_channel() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let (id, poster, _) = campaign(&app, &k).await;
    let c = cookie_client();
    landing(&c, &app, &poster).await;
    // Signing up from there comes back to the landing page, which now offers the claim.
    let next = format!("/c/{poster}");
    assert_eq!(register_from(&app, &c, "scanner@test.lokal", &next).await, next);
    let html = landing(&c, &app, &poster).await;
    assert!(html.contains("data-testid=\"campaign-claim\">领取优惠券<"), "{html}");
    // Signed up, forms carry the session's token. Claiming on the landing page returns to the store.
    let csrf = crate::web::csrf_from(&html);
    let at = html.find("/coupon-batches/").expect("claim form");
    let batch = html[at + 16..at + 52].to_owned();
    let r = c
        .post(format!("{}/coupon-batches/{batch}/claim", app.base))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("channel", &format!("campaign:{poster}")),
            ("next", &format!("/stores/{}", k.store)),
        ])
        .send()
        .await
        .expect("claim");
    assert_eq!(
        r.headers().get("location").and_then(|v| v.to_str().ok()),
        Some(format!("/stores/{}", k.store).as_str())
    );
    let report = app.get(&format!("/api/v1/campaigns/{id}/report"), Some(&k.owner)).await;
    assert_eq!(report.status, 200, "{}", report.text);
    let report = report.json();
    let p = channel(&report, &poster);
    assert_eq!(
        (p["visits"].as_i64(), p["signups"].as_i64(), p["claims"].as_i64()),
        (Some(1), Some(1), Some(1)),
        "{report}"
    );
}

#[tokio::test]
async fn next_never_leads_off_the_site() {
    let app = TestApp::spawn().await;
    let c = cookie_client();
    register_from(&app, &c, "scanner@test.lokal", "/").await;
    let r = c
        .get(format!("{}/login?next=//evil.example/x", app.base))
        .send()
        .await
        .expect("login form")
        .text()
        .await
        .expect("html");
    // (The language switch comes back to this very page, `/login?next=…`, which is on this site.)
    assert!(!r.contains("value=\"//evil") && !r.contains("href=\"//evil"), "{r}");
    // Nor through characters a browser strips (a tab) or a header cannot hold (a control).
    for evil in ["/\t/evil.example", "/\u{1}", "//evil.example"] {
        // Each login is a new session with its own token: the form is read again.
        let form = c.get(format!("{}/login", app.base)).send().await.expect("form").text().await.expect("html");
        let csrf = crate::web::csrf_from(&form);
        let r = c
            .post(format!("{}/login", app.base))
            .form(&[
                ("login", "scanner@test.lokal"),
                ("password", "correct horse"),
                ("csrf_token", &csrf),
                ("next", evil),
            ])
            .send()
            .await
            .expect("login");
        assert_eq!(r.status().as_u16(), 303, "{evil:?}");
        assert_eq!(r.headers().get("location").and_then(|v| v.to_str().ok()), Some("/"), "{evil:?}");
    }
}

#[tokio::test]
async fn after_its_end_a_campaigns_link_still_lands_but_records_nothing() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let (id, poster, _) = campaign(&app, &k).await;
    landing(&cookie_client(), &app, &poster).await;
    app.clock.advance_secs(31 * DAY);
    let html = landing(&cookie_client(), &app, &poster).await;
    assert!(html.contains("data-running=\"0\"") && html.contains("这个活动目前不在进行中"), "{html}");
    // (The owner's session has expired by now: they log in again.)
    let owner =
        app.login("noodle-owner@test.lokal", "correct horse").await.json()["token"].as_str().expect("token").to_owned();
    let report = app.get(&format!("/api/v1/campaigns/{id}/report"), Some(&owner)).await.json();
    assert_eq!(channel(&report, &poster)["visits"], 1, "{report}");
}
