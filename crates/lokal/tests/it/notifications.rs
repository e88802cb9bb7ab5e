//! Messages to people and refusals, in their language: a notification in the recipient's saved
//! language (else the platform's, zh-CN), an API error's `message` in the request's
//! `Accept-Language`, its `code` always the same English word.

use crate::commerce::{buy, create_deal, shop};
use crate::harness::TestApp;
use crate::web::logged_in_client;
use serde_json::{Value, json};

async fn last_message(app: &TestApp, token: &str) -> Value {
    let inbox = app.get("/api/v1/me/messages", Some(token)).await.json();
    inbox["items"][0].clone()
}

#[tokio::test]
async fn a_voucher_sms_is_written_in_the_buyers_language() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Hotpot").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (english, _) = app.user("english@test.lokal").await;
    let (chinese, _) = app.user("chinese@test.lokal").await;
    let saved = app
        .send(app.client.patch(format!("{}/api/v1/me", app.base)).bearer_auth(&english).json(&json!({"lang": "en"})));
    assert_eq!(saved.await.status, 200);

    // Bought from a Chinese browser, the English reader's SMS is still English: it follows the
    // account, not the request.
    let order = buy(&app, &deal, &english, 2).await;
    let codes: Vec<String> = order["vouchers"]
        .as_array()
        .expect("vouchers")
        .iter()
        .map(|v| v["code"].as_str().unwrap_or("").into())
        .collect();
    let sms = last_message(&app, &english).await;
    let body = sms["body"].as_str().unwrap_or("");
    assert_eq!(sms["subject"], "Your vouchers for 双人火锅套餐 Hotpot for two");
    assert!(body.starts_with("Paid ¥198 for 2 × 双人火锅套餐 Hotpot for two. Your voucher codes: "), "{body}");
    assert!(codes.iter().all(|c| body.contains(c.as_str())) && body.ends_with("Show it in the store."), "{body}");

    // No saved language: the platform's, Chinese.
    let order = buy(&app, &deal, &chinese, 1).await;
    let code = order["vouchers"][0]["code"].as_str().expect("code").to_owned();
    let sms = last_message(&app, &chinese).await;
    let body = sms["body"].as_str().unwrap_or("");
    assert_eq!(sms["subject"], "您购买的「双人火锅套餐 Hotpot for two」券码");
    assert_eq!(
        body,
        format!("您已支付 ¥99，购买「双人火锅套餐 Hotpot for two」× 1，券码共 1 张：{code}。到店出示券码即可使用。")
    );
}

#[tokio::test]
async fn refusals_come_in_the_readers_language_with_english_codes() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Hotpot").await;
    let deal = create_deal(&app, &s, json!({"stock": 1})).await;
    let (me, _) = app.user("reader@test.lokal").await;
    let ask = |path: String, body: Value, accept: &'static str, key: &'static str| {
        let mut req = app.client.post(format!("{}{path}", app.base)).bearer_auth(&me).json(&body);
        req = req.header("idempotency-key", key);
        if !accept.is_empty() {
            req = req.header("accept-language", accept);
        }
        app.send(req)
    };
    let orders = format!("/api/v1/deals/{deal}/orders");

    // A validation reason names the field first, then says why in the reader's language.
    let zh = ask(orders.clone(), json!({"quantity": 500}), "zh-CN", "k1").await.json();
    let en = ask(orders.clone(), json!({"quantity": 500}), "en", "k2").await.json();
    assert_eq!(
        (zh["error"]["code"].as_str(), en["error"]["code"].as_str()),
        (Some("validation_failed"), Some("validation_failed"))
    );
    assert_eq!(zh["error"]["message"], "quantity: 必须在 1 到 100 之间");
    assert_eq!(en["error"]["message"], "quantity: must be between 1 and 100");

    // Sold out, in both languages; without Accept-Language the platform's default (zh-CN).
    assert_eq!(ask(orders.clone(), json!({"quantity": 1}), "en", "k3").await.status, 201);
    let zh = ask(orders.clone(), json!({"quantity": 1}), "", "k4").await.json();
    let en = ask(orders.clone(), json!({"quantity": 1}), "en-US,en;q=0.9", "k5").await.json();
    assert_eq!((zh["error"]["code"].as_str(), en["error"]["code"].as_str()), (Some("sold_out"), Some("sold_out")));
    assert_eq!(zh["error"]["message"], "该团购已售罄或库存不足");
    assert_eq!(en["error"]["message"], "not enough left of this deal");

    // Not found, by kind; and a call that needs a login.
    let missing = format!("{}/api/v1/deals/{}", app.base, uuid::Uuid::now_v7());
    let zh = app.send(app.client.get(&missing).header("accept-language", "zh-CN")).await.json();
    let en = app.send(app.client.get(&missing).header("accept-language", "en")).await.json();
    assert_eq!(
        (zh["error"]["message"].as_str(), en["error"]["message"].as_str()),
        (Some("团购不存在"), Some("deal not found"))
    );
    let anonymous = app.send(app.client.get(format!("{}/api/v1/me", app.base))).await.json();
    assert_eq!(
        (anonymous["error"]["code"].as_str(), anonymous["error"]["message"].as_str()),
        (Some("unauthenticated"), Some("请先登录"))
    );
}

#[tokio::test]
async fn the_message_centre_counts_unread_messages_and_reads_those_it_showed() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Hotpot").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("reader@test.lokal").await;
    let (other, _) = app.user("other@test.lokal").await;
    let badges = |token: String| {
        let app = &app;
        async move { app.get("/api/v1/me/badges", Some(&token)).await.json() }
    };
    assert_eq!(badges(me.clone()).await, json!({"chats": 0, "messages": 0}));

    buy(&app, &deal, &me, 1).await;
    buy(&app, &deal, &me, 1).await;
    let inbox = app.get("/api/v1/me/messages", Some(&me)).await.json();
    let items = inbox["items"].as_array().expect("items").clone();
    assert_eq!(items.len(), 2);
    assert!(
        items
            .iter()
            .all(|m| m["read"] == false && m["link"].as_str().is_some_and(|l| l.starts_with("/me/vouchers#voucher-"))),
        "{inbox}"
    );
    assert_eq!(badges(me.clone()).await["messages"], 2);
    assert_eq!(badges(other.clone()).await["messages"], 0, "another person's messages are not counted");

    // Marking up to the older one leaves the newer unread; without `up_to`, all are read.
    let older = items[1]["id"].as_str().expect("id");
    let r = app.post("/api/v1/me/messages/read", &json!({"up_to": older}), Some(&me)).await;
    assert_eq!((r.status, r.json()), (200, json!({"marked": 1, "unread": 1})));
    let inbox = app.get("/api/v1/me/messages", Some(&me)).await.json();
    assert_eq!((inbox["items"][0]["read"].clone(), inbox["items"][1]["read"].clone()), (json!(false), json!(true)));
    // Someone else marking "everything" reads only their own.
    let r = app.post("/api/v1/me/messages/read", &json!({}), Some(&other)).await;
    assert_eq!(r.json(), json!({"marked": 0, "unread": 0}));
    assert_eq!(badges(me.clone()).await["messages"], 1);
    // Not a message id (a NUL byte once reached PostgreSQL as a 500): marks none.
    for junk in ["nope", "\u{0}", "0190f3a2-7b1c-7def-8a00-0123456789ab"] {
        let r = app.post("/api/v1/me/messages/read", &json!({"up_to": junk}), Some(&me)).await;
        assert_eq!((r.status, r.json()["marked"].clone()), (200, json!(0)), "{junk:?}: {}", r.text);
    }
    let r = app.post("/api/v1/me/messages/read", &json!({"up_to": 5}), Some(&me)).await;
    assert_eq!((r.status, r.code()), (422, "validation_failed".to_owned()), "{}", r.text);

    // The page: the header counts the unread one, the centre shows it as new and reads it.
    buy(&app, &deal, &me, 1).await;
    let (web, _) = logged_in_client(&app, "reader@test.lokal", "correct horse").await;
    let home = web.get(format!("{}/", app.base)).send().await.expect("home").text().await.expect("html");
    assert!(home.contains("data-testid=\"messages-unread\" aria-label=\"2 条未读\">2</span>"), "{home}");
    let page = web.get(format!("{}/me/messages", app.base)).send().await.expect("page").text().await.expect("html");
    assert_eq!(page.matches("data-testid=\"inbox-message\"").count(), 3, "{page}");
    assert_eq!(page.matches("data-unread=\"true\"").count(), 2, "{page}");
    assert!(page.contains("href=\"/me/vouchers#voucher-") && page.contains("data-testid=\"inbox-link\""), "{page}");
    assert!(!page.contains("data-testid=\"messages-unread\""), "the centre's own header is read: {page}");
    assert!(page.contains("今天 ") && !page.contains("UTC"), "times are local: {page}");
    let again = web.get(format!("{}/me/messages", app.base)).send().await.expect("page").text().await.expect("html");
    assert_eq!(again.matches("data-unread=\"true\"").count(), 0);
    assert_eq!(badges(me.clone()).await["messages"], 0);
    // Without a login the page asks for one and comes back.
    let anon = crate::web::cookie_client();
    let r = anon.get(format!("{}/me/messages", app.base)).send().await.expect("page");
    assert_eq!(r.headers()["location"].to_str().ok(), Some("/login?next=/me/messages"));
}
