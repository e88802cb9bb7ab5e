//! Points and stored value (issue G): recharges through the gateway credit the card with the
//! merchant's bonus, card payments are exact and never overdraw under concurrency, refunds go back
//! to the card, points are earned on completed orders and exchanged for coupons, all on a ledger
//! that holds; messages reach only members who opted in, within the frequency cap, with delivery
//! records; nobody sees or changes another merchant's program or messages.

use crate::commerce::{assert_ledger_holds, shop};
use crate::harness::{TestApp, join_all};
use crate::kitchen::{Kitchen, kitchen, owed, pay};
use serde_json::{Value, json};

async fn join(app: &TestApp, k: &Kitchen, token: &str, opt_in: bool) {
    let r = app
        .post(&format!("/api/v1/stores/{}/membership", k.store), &json!({"messages_opt_in": opt_in}), Some(token))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

async fn card(app: &TestApp, k: &Kitchen, token: &str) -> Value {
    let r = app.get(&format!("/api/v1/me/cards/{}", k.merchant), Some(token)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

/// Recharges `pay` through the sandbox; returns the recharge.
async fn recharge(app: &TestApp, k: &Kitchen, token: &str, pay: i64) -> Value {
    let key = uuid::Uuid::now_v7().to_string();
    let path = format!("/api/v1/me/cards/{}/recharges", k.merchant);
    let r = app.post_keyed(&path, &json!({"pay": pay, "store_id": k.store}), token, &key).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let reference = r.json()["provider_ref"].as_str().expect("ref").to_owned();
    let done = app.post(&format!("/api/v1/sandbox/payments/{reference}"), &json!({"outcome": "succeed"}), None).await;
    assert_eq!(done.status, 202, "{}", done.text);
    r.json()
}

/// A bill of `amount` at the kitchen's store (no bill rule): the pending order's id.
async fn bill(app: &TestApp, k: &Kitchen, token: &str, amount: i64) -> String {
    let key = uuid::Uuid::now_v7().to_string();
    let b = app.post_keyed(&format!("/api/v1/stores/{}/bills", k.store), &json!({"amount": amount}), token, &key).await;
    assert_eq!(b.status, 201, "{}", b.text);
    b.json()["id"].as_str().expect("id").to_owned()
}

async fn pay_with_card(app: &TestApp, order: &str, token: &str) -> crate::harness::Resp {
    let key = uuid::Uuid::now_v7().to_string();
    app.post_keyed(&format!("/api/v1/orders/{order}/card-payments"), &json!({}), token, &key).await
}

async fn program(app: &TestApp, k: &Kitchen) {
    let p = json!({"points_per_yuan": 2, "tiers": [{"pay": 50000, "bonus": 5000}, {"pay": 10000}]});
    let r = app.put(&format!("/api/v1/merchants/{}/loyalty", k.merchant), &p, Some(&k.owner)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["tiers"][0]["pay"], 10000, "offers are sorted");
}

#[tokio::test]
async fn recharge_pay_with_the_card_earn_and_exchange_points_on_a_ledger_that_holds() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    join(&app, &k, &k.consumer, true).await;
    let path = format!("/api/v1/me/cards/{}/recharges", k.merchant);
    // No offers yet: no stored value.
    let r = app.post_keyed(&path, &json!({"pay": 50000}), &k.consumer, "early").await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("pay")));
    program(&app, &k).await;
    let public = app.get(&format!("/api/v1/merchants/{}/loyalty", k.merchant), None).await.json();
    assert_eq!(public["points_per_yuan"], 2);
    // Only offered amounts; only members.
    let r = app.post_keyed(&path, &json!({"pay": 49900}), &k.consumer, "odd").await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("pay")));
    let (stranger, _) = app.user("stranger@test.lokal").await;
    assert_eq!(app.post_keyed(&path, &json!({"pay": 50000}), &stranger, "s").await.status, 404);

    // Recharge 500, get 50: the card holds 550; the merchant funds the 50 from its balance.
    let started = recharge(&app, &k, &k.consumer, 50000).await;
    assert_eq!((started["pay"]["amount"].as_i64(), started["bonus"]["amount"].as_i64()), (Some(50000), Some(5000)));
    assert_eq!(card(&app, &k, &k.consumer).await["card"]["stored_value"], 55000);
    let payable = format!("merchant:{}:payable", k.merchant);
    assert_eq!(owed(&app, &payable).await, -5000);

    // A ¥230 bill paid from the card: done at once, the card holds 320, the bill completes and
    // earns 2 points per yuan.
    let first = bill(&app, &k, &k.consumer, 23000).await;
    let p = pay_with_card(&app, &first, &k.consumer).await;
    assert_eq!(
        (p.status, p.json()["status"].as_str(), p.json()["provider"].as_str()),
        (201, Some("succeeded"), Some("card"))
    );
    let again = pay_with_card(&app, &first, &k.consumer).await;
    assert_eq!(again.code(), "order_not_payable", "paid once");
    let c = card(&app, &k, &k.consumer).await;
    assert_eq!((c["card"]["stored_value"].as_i64(), c["card"]["points"].as_i64()), (Some(32000), Some(460)));
    // Commission 8 % of 230 = 18.40; the 460 points' value is set aside.
    assert_eq!(owed(&app, &payable).await, -5000 + 23000 - 1840 - 460);
    let kinds: Vec<&str> =
        c["history"].as_array().expect("history").iter().filter_map(|l| l["kind"].as_str()).collect();
    assert_eq!(kinds, ["points", "card_payment", "recharge"], "newest first");

    // More than the card holds: refused, nothing moves, the bill can still be paid online.
    let big = bill(&app, &k, &k.consumer, 40000).await;
    assert_eq!(pay_with_card(&app, &big, &k.consumer).await.code(), "insufficient_balance");
    assert_eq!(card(&app, &k, &k.consumer).await["card"]["stored_value"], 32000);
    pay(&app, &big, &k.consumer).await;

    // Two ¥200 bills race for 320: exactly one is paid from the card.
    let a = bill(&app, &k, &k.consumer, 20000).await;
    let b = bill(&app, &k, &k.consumer, 20000).await;
    let results = join_all([a.clone(), b.clone()].iter().map(|o| pay_with_card(&app, o, &k.consumer))).await;
    let mut codes: Vec<u16> = results.iter().map(|r| r.status).collect();
    codes.sort_unstable();
    assert_eq!(codes, [201, 409], "{:?}", results.iter().map(|r| &r.text).collect::<Vec<_>>());
    assert_eq!(card(&app, &k, &k.consumer).await["card"]["stored_value"], 12000);

    // A pickup order paid from the card and cancelled before the store accepts: back on the card.
    let q = app.post("/api/v1/quotes", &k.cart("pickup"), Some(&k.consumer)).await;
    let quote = q.json()["id"].as_str().expect("quote").to_owned();
    let o = app.post_keyed(&format!("/api/v1/quotes/{quote}/order"), &json!({}), &k.consumer, "pickup-1").await;
    let order = o.json()["id"].as_str().expect("order").to_owned();
    assert_eq!(pay_with_card(&app, &order, &k.consumer).await.status, 201);
    assert_eq!(card(&app, &k, &k.consumer).await["card"]["stored_value"], 12000 - 2900);
    let c = app
        .post(&format!("/api/v1/orders/{order}/cancel"), &json!({"reason": "changed my mind"}), Some(&k.consumer))
        .await;
    assert_eq!(c.status, 200, "{}", c.text);
    let c = card(&app, &k, &k.consumer).await;
    assert_eq!(c["card"]["stored_value"], 12000);
    assert_eq!(c["history"][0]["kind"], "refund");

    // Points: 460 + 800 (the online bill) + 400 (the ¥200 bill) = 1,660; exchange 1,600 for ¥16 off.
    assert_eq!(c["card"]["points"], 1660);
    let ex = format!("/api/v1/me/cards/{}/exchanges", k.merchant);
    let r = app.post_keyed(&ex, &json!({"points": 1700}), &k.consumer, "ex-1").await;
    assert_eq!(r.code(), "insufficient_balance");
    let r = app.post_keyed(&ex, &json!({"points": 150}), &k.consumer, "ex-2").await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("points")));
    let r = app.post_keyed(&ex, &json!({"points": 1600}), &k.consumer, "ex-3").await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(card(&app, &k, &k.consumer).await["card"]["points"], 60);
    // The coupon applies at checkout (¥29 noodles → ¥13), and is not in the merchant's batches.
    let q = app.post("/api/v1/quotes", &k.cart("pickup"), Some(&k.consumer)).await.json();
    assert_eq!(q["total"]["amount"], 2900 - 1600, "{q}");
    let batches = app.get(&format!("/api/v1/merchants/{}/coupon-batches", k.merchant), Some(&k.owner)).await;
    assert_eq!(batches.json()["items"].as_array().map(Vec::len), Some(0), "{}", batches.text);
    assert_ledger_holds(&app).await;
}

#[tokio::test]
async fn only_the_merchants_managers_set_its_program_and_cards_pay_only_their_merchant() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let other = shop(&app, "Nosy").await;
    let path = format!("/api/v1/merchants/{}/loyalty", k.merchant);
    let p = json!({"points_per_yuan": 5, "tiers": [{"pay": 10000, "bonus": 1000}]});
    for token in [&other.owner, &other.manager, &k.clerk, &k.consumer] {
        assert_eq!(app.put(&path, &p, Some(token)).await.status, 403);
    }
    for (bad, field) in [
        (json!({"points_per_yuan": 101}), "points_per_yuan"),
        (json!({"points_per_yuan": 1, "tiers": [{"pay": 10000, "bonus": 20000}]}), "tiers[0].bonus"),
    ] {
        let r = app.put(&path, &bad, Some(&k.owner)).await;
        assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some(field)), "{}", r.text);
    }
    assert_eq!(app.put(&path, &p, Some(&k.owner)).await.status, 200);
    // An operator passes the role check for any id: an unknown merchant is 404, not an error.
    let nobody = format!("/api/v1/merchants/{}/loyalty", lokal_core::MerchantId::generate());
    assert_eq!(app.put(&nobody, &p, Some(&k.admin)).await.status, 404);
    join(&app, &k, &k.consumer, false).await;
    recharge(&app, &k, &k.consumer, 10000).await;
    // Someone else's order cannot be paid from my card, and my card pays nothing at a merchant
    // where I hold none.
    let (stranger, _) = app.user("stranger@test.lokal").await;
    let theirs = bill(&app, &k, &stranger, 1000).await;
    assert_eq!(pay_with_card(&app, &theirs, &k.consumer).await.status, 403);
    assert_eq!(pay_with_card(&app, &theirs, &stranger).await.status, 404, "no card");
    let mine = bill(&app, &k, &k.consumer, 1000).await;
    assert_eq!(pay_with_card(&app, &mine, &k.admin).await.status, 403, "not even an operator spends my card");
    // My card's detail is mine: 404 for those without one.
    assert_eq!(app.get(&format!("/api/v1/me/cards/{}", k.merchant), Some(&stranger)).await.status, 404);
    assert_eq!(card(&app, &k, &k.consumer).await["card"]["stored_value"], 11000);
    let r = app.get("/api/v1/me/cards/not-a-merchant", Some(&k.consumer)).await;
    assert_eq!((r.status, r.code()), (422, "validation_failed".to_owned()), "a malformed id, as everywhere");
    // Pages with a malformed id answer 404 when logged out too (a raw id never reaches the
    // login redirect: a newline there was a 500).
    for page in ["/me/cards/%0A", "/stores/%0A/chat", "/me/cards/x%0Dy"] {
        assert_eq!(app.get(page, None).await.status, 404, "{page}");
    }
    assert_ledger_holds(&app).await;

    // The ledger check catches an overdrawn card (a debit balance on a card's stored value).
    let u = lokal_store::users::find_by_login(app.app.db().pool(), "stranger@test.lokal")
        .await
        .expect("query")
        .expect("user")
        .id;
    let m: lokal_core::MerchantId = k.merchant.parse().expect("merchant");
    let bad = vec![
        lokal_core::ledger::Posting { account: lokal_core::ledger::Account::StoredValue(m, u), amount: 100 },
        lokal_core::ledger::Posting { account: lokal_core::ledger::Account::PlatformRevenue, amount: -100 },
    ];
    let mut tx = app.app.db().begin().await.expect("tx");
    let head = lokal_store::ledger::EntryHead {
        id: lokal_core::EntryId::generate(),
        kind: "test",
        ref_id: "overdraw",
        memo: "",
        currency: "CNY",
        created_at: lokal_core::Timestamp(0),
    };
    lokal_store::ledger::insert_entry(&mut tx, head, &bad).await.expect("insert");
    tx.commit().await.expect("commit");
    let report = app.app.ledger_check().await.expect("check");
    assert!(!report.holds());
    assert_eq!(report.overdrawn_cards, [(format!("merchant:{m}:stored_value:{u}"), 100)]);
}

async fn inbox(app: &TestApp, token: &str) -> Vec<String> {
    let r = app.get("/api/v1/me/messages", Some(token)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["subject"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn messages_reach_only_opted_in_members_within_the_frequency_cap() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    join(&app, &k, &k.consumer, true).await;
    let (quiet, _) = app.user("quiet@test.lokal").await;
    join(&app, &k, &quiet, false).await;
    let (stranger, _) = app.user("stranger@test.lokal").await;
    let path = format!("/api/v1/merchants/{}/member-messages", k.merchant);
    let msg = |subject: &str| json!({"kind": "new_deal", "subject": subject, "body": "Two bowls for ¥45 this week."});

    // Gold members only: this member (no spend yet) is not meant.
    let gold = json!({"kind": "coupon_gift", "subject": "For gold", "body": "A gift.", "min_level": "gold"});
    let r = app.post(&path, &gold, Some(&k.owner)).await;
    assert_eq!((r.status, r.json()["delivered"].as_i64(), r.json()["capped"].as_i64()), (201, Some(0), Some(0)));
    app.clock.advance_secs(120);
    let r = app.post(&path, &msg("Two bowls"), Some(&k.owner)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!((r.json()["delivered"].as_i64(), r.json()["capped"].as_i64()), (Some(1), Some(0)));
    let id = r.json()["id"].as_str().expect("id").to_owned();
    assert!(inbox(&app, &k.consumer).await.iter().any(|s| s.ends_with("Two bowls")));
    assert!(inbox(&app, &quiet).await.is_empty(), "no consent, no message");
    assert!(inbox(&app, &stranger).await.is_empty(), "not a member");
    let d = app.get(&format!("{path}/{id}/deliveries"), Some(&k.owner)).await.json();
    assert_eq!((d["items"][0]["name"].as_str(), d["items"][0]["status"].as_str()), (Some("hungry"), Some("delivered")));

    // Within the day: the cap holds the next one back (after the one-a-minute send limit).
    let r = app.post(&path, &msg("Too soon"), Some(&k.owner)).await;
    assert_eq!(r.status, 429, "one send a minute");
    app.clock.advance_secs(120);
    let r = app.post(&path, &msg("Too soon"), Some(&k.owner)).await.json();
    assert_eq!((r["delivered"].as_i64(), r["capped"].as_i64()), (Some(0), Some(1)));
    // One a day, four in 30 days: days 1, 2, 3 deliver (four in all), day 4 is capped.
    let mut delivered = Vec::new();
    for day in 1..=4 {
        app.clock.advance_secs(86_400);
        let r = app.post(&path, &msg(&format!("Day {day}")), Some(&k.owner)).await.json();
        delivered.push(r["delivered"].as_i64().unwrap_or(-1));
    }
    assert_eq!(delivered, [1, 1, 1, 0]);
    // Validation and authorization.
    let bad = json!({"kind": "spam", "subject": "x", "body": "y"});
    assert_eq!(app.post(&path, &bad, Some(&k.owner)).await.json()["error"]["field"], "kind");
    let bad = json!({"kind": "news", "subject": "x", "body": "  "});
    assert_eq!(app.post(&path, &bad, Some(&k.owner)).await.json()["error"]["field"], "body");
    let other = shop(&app, "Nosy").await;
    for token in [&other.owner, &other.manager, &k.clerk, &k.consumer] {
        assert_eq!(app.post(&path, &msg("Hijack"), Some(token)).await.status, 403);
        assert_eq!(app.get(&path, Some(token)).await.status, 403);
        assert_eq!(app.get(&format!("{path}/{id}/deliveries"), Some(token)).await.status, 403);
    }
    assert_eq!(app.get(&format!("{path}/nope/deliveries"), Some(&k.owner)).await.status, 404);
    let theirs = format!("/api/v1/merchants/{}/member-messages/{id}/deliveries", other.merchant);
    assert_eq!(app.get(&theirs, Some(&other.owner)).await.status, 404, "a message of another merchant");
    // 30 days after the first, the member can be reached again — unless they unsubscribed.
    app.clock.advance_secs(30 * 86_400);
    let owner = app.login("noodle-owner@test.lokal", "correct horse").await.json()["token"].as_str().map(str::to_owned);
    let owner = owner.expect("owner logs in again");
    let consumer = app.login("hungry@test.lokal", "correct horse").await.json()["token"].as_str().map(str::to_owned);
    let consumer = consumer.expect("consumer logs in again");
    let mine = format!("/api/v1/me/cards/{}", k.merchant);
    assert_eq!(app.put(&mine, &json!({"messages_opt_in": false}), Some(&consumer)).await.status, 200);
    let r = app.post(&path, &msg("After unsubscribing"), Some(&owner)).await.json();
    assert_eq!((r["delivered"].as_i64(), r["capped"].as_i64()), (Some(0), Some(0)));
    let sent = app.get(&path, Some(&owner)).await.json();
    assert_eq!(sent["items"].as_array().map(Vec::len), Some(8));
    assert_eq!(inbox(&app, &consumer).await.iter().filter(|s| s.starts_with("【Noodle House】")).count(), 4);
}

#[tokio::test]
async fn birthday_offers_reach_members_whose_birthday_is_near_once_a_year() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    join(&app, &k, &k.consumer, true).await;
    let (later, _) = app.user("later@test.lokal").await;
    join(&app, &k, &later, true).await;
    let (unknown, _) = app.user("unknown@test.lokal").await;
    join(&app, &k, &unknown, true).await;
    let mine = format!("/api/v1/me/cards/{}", k.merchant);
    // The test clock's local date (UTC+8): birthdays in 3 days and in 20 days.
    let today = lokal_core::membership::local_date(app.app.now().millis(), 8 * 60).expect("date");
    let md = |d: time::Date| format!("{:02}-{:02}", u8::from(d.month()), d.day());
    let soon = md(today + time::Duration::days(3));
    let r = app.put(&mine, &json!({"birthday": soon}), Some(&k.consumer)).await;
    assert_eq!((r.status, r.json()["birthday"].as_str()), (200, Some(soon.as_str())), "{}", r.text);
    assert_eq!(r.json()["messages_opt_in"], true, "consent unchanged");
    let far = md(today + time::Duration::days(20));
    assert_eq!(app.put(&mine, &json!({"birthday": far}), Some(&later)).await.status, 200);
    let bad = app.put(&mine, &json!({"birthday": "02-30"}), Some(&later)).await;
    assert_eq!((bad.status, bad.json()["error"]["field"].as_str()), (422, Some("birthday")));

    let path = format!("/api/v1/merchants/{}/member-messages", k.merchant);
    let offer = json!({"kind": "birthday", "subject": "Happy birthday", "body": "A free dessert this week."});
    let r = app.post(&path, &offer, Some(&k.owner)).await.json();
    assert_eq!((r["delivered"].as_i64(), r["capped"].as_i64()), (Some(1), Some(0)), "only the birthday within 7 days");
    assert!(inbox(&app, &k.consumer).await.iter().any(|s| s.ends_with("Happy birthday")));
    assert!(inbox(&app, &later).await.is_empty());
    assert!(inbox(&app, &unknown).await.is_empty());
    // Once a year: two days later the same member is not offered again.
    app.clock.advance_secs(2 * 86_400);
    let r = app.post(&path, &offer, Some(&k.owner)).await.json();
    assert_eq!((r["delivered"].as_i64(), r["capped"].as_i64()), (Some(0), Some(1)));
    // Removing the birthday.
    let r = app.put(&mine, &json!({"birthday": ""}), Some(&k.consumer)).await;
    assert_eq!((r.status, r.json()["birthday"].is_null()), (200, true));
}

#[tokio::test]
async fn a_message_reaches_every_opted_in_member_of_a_big_chain() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    // 1,201 members (more than two pages of 500), every third one without consent.
    let store: lokal_core::StoreId = k.store.parse().expect("store");
    let merchant: lokal_core::MerchantId = k.merchant.parse().expect("merchant");
    let now = app.app.now();
    let mut opted_in = 0;
    for i in 0..1201 {
        let user = lokal_store::users::UserRow {
            id: lokal_core::UserId::generate(),
            email: Some(format!("member{i}@test.lokal")),
            phone: None,
            password_hash: "!".into(),
            display_name: format!("Member {i}"),
            created_at: now,
            disabled: false,
            lang: None,
        };
        lokal_store::users::insert(app.app.db().pool(), &user).await.expect("user");
        let yes = i % 3 != 0;
        opted_in += i64::from(yes);
        lokal_store::membership::join(app.app.db().pool(), merchant, user.id, store, "store-code", yes, now)
            .await
            .expect("join");
    }
    let path = format!("/api/v1/merchants/{}/member-messages", k.merchant);
    let r =
        app.post(&path, &json!({"kind": "news", "subject": "We moved", "body": "Next door."}), Some(&k.owner)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!((r.json()["delivered"].as_i64(), r.json()["capped"].as_i64()), (Some(opted_in), Some(0)));
    let d = app.get(&format!("{path}/{}/deliveries", r.json()["id"].as_str().expect("id")), Some(&k.owner)).await;
    assert_eq!(d.json()["items"].as_array().map(Vec::len), Some(800));
}

#[tokio::test]
async fn redeemed_vouchers_earn_points_and_an_undone_redemption_takes_them_back() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Hotpot").await;
    let deal = crate::commerce::create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("diner@test.lokal").await;
    let r = app.post(&format!("/api/v1/stores/{}/membership", s.store_a), &json!({}), Some(&me)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let order = crate::commerce::buy(&app, &deal, &me, 2).await;
    let path = format!("/api/v1/me/cards/{}", s.merchant);
    assert_eq!(points_at(&app, &path, &me).await, Some(0), "buying a deal earns nothing yet");
    // A member's only redemption undone at once: allowed (the points' value returns to what the
    // merchant is owed before the check that nothing was paid out), and the points go back.
    let redeem = format!("/api/v1/stores/{}/redemptions", s.store_a);
    let first = order["vouchers"][0]["code"].as_str().expect("code").to_owned();
    let r0 = app.post(&redeem, &crate::commerce::redeem_body(&first, 1), Some(&s.clerk)).await;
    assert_eq!(r0.status, 201, "{}", r0.text);
    assert_eq!(points_at(&app, &path, &me).await, Some(99));
    let undo0 = format!("/api/v1/redemptions/{}/undo", r0.json()["redemption"]["id"].as_str().expect("id"));
    let u = app.post(&undo0, &json!({"device": "desk-2"}), Some(&s.manager)).await;
    assert_eq!(u.status, 200, "{}", u.text);
    assert_eq!(points_at(&app, &path, &me).await, Some(0));
    let code = |i: usize| order["vouchers"][i]["code"].as_str().expect("code").to_owned();
    let r = app.post(&redeem, &crate::commerce::redeem_body(&code(0), 1), Some(&s.clerk)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(points_at(&app, &path, &me).await, Some(99), "a point per yuan of the ¥99 voucher (default program)");
    let r2 = app.post(&redeem, &crate::commerce::redeem_body(&code(1), 1), Some(&s.clerk)).await;
    assert_eq!(points_at(&app, &path, &me).await, Some(198));
    // Undone: those points go back; exchanged ones stay spent.
    let ex = format!("/api/v1/me/cards/{}/exchanges", s.merchant);
    assert_eq!(app.post_keyed(&ex, &json!({"points": 100}), &me, "ex").await.status, 201);
    let undo = |r: &crate::harness::Resp| {
        format!("/api/v1/redemptions/{}/undo", r.json()["redemption"]["id"].as_str().expect("id"))
    };
    assert_eq!(app.post(&undo(&r2), &json!({"device": "desk-2"}), Some(&s.manager)).await.status, 200);
    assert_eq!(points_at(&app, &path, &me).await, Some(0), "98 held, 99 earned: all 98 taken back");
    assert_eq!(app.post(&undo(&r), &json!({"device": "desk-2"}), Some(&s.manager)).await.status, 200);
    assert_eq!(points_at(&app, &path, &me).await, Some(0), "nothing left to take back");
    assert_ledger_holds(&app).await;
}

async fn points_at(app: &TestApp, card: &str, token: &str) -> Option<i64> {
    app.get(card, Some(token)).await.json()["card"]["points"].as_i64()
}

/// Reads a server-sent-event stream until `word` arrives; false when it does not within `ms`.
async fn hears(stream: &mut reqwest::Response, word: &str, ms: u64) -> bool {
    let mut seen = String::new();
    let wait = tokio::time::timeout(std::time::Duration::from_millis(ms), async {
        while let Ok(Some(chunk)) = stream.chunk().await {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains(&format!("data: {word}")) {
                return true;
            }
        }
        false
    });
    wait.await.unwrap_or(false)
}

#[tokio::test]
async fn a_recharge_being_confirmed_shows_on_the_card_page_which_updates_when_it_lands() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    program(&app, &k).await;
    join(&app, &k, &k.consumer, false).await;
    let (me, _) = crate::web::logged_in_client(&app, "hungry@test.lokal", "correct horse").await;
    let (other, _) = app.user("onlooker@test.lokal").await;
    join(&app, &k, &other, false).await;
    let (onlooker, _) = crate::web::logged_in_client(&app, "onlooker@test.lokal", "correct horse").await;
    let page = format!("{}/me/cards/{}", app.base, k.merchant);
    let html = |c: reqwest::Client| {
        let page = page.clone();
        async move { c.get(page).send().await.expect("page").text().await.expect("html") }
    };
    let key = uuid::Uuid::now_v7().to_string();
    let path = format!("/api/v1/me/cards/{}/recharges", k.merchant);
    let r = app.post_keyed(&path, &json!({"pay": 50000}), &k.consumer, &key).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let reference = r.json()["provider_ref"].as_str().expect("ref").to_owned();
    let shown = html(me.clone()).await;
    assert!(shown.contains("data-testid=\"card-recharge-pending\">充值 ¥500 确认中，到账后卡内增加 ¥550。"), "{shown}");
    assert!(
        shown.contains("data-live-src=\"/live/me/cards\"") && shown.contains("data-testid=\"card-stored-value\">¥0<")
    );
    assert!(!html(onlooker.clone()).await.contains("card-recharge-pending"), "another member's recharge is theirs");

    // The page listens; the gateway confirms; the stream says so, to this member only.
    let mut mine = me.get(format!("{}/live/me/cards", app.base)).send().await.expect("stream");
    let mut theirs = onlooker.get(format!("{}/live/me/cards", app.base)).send().await.expect("stream");
    assert_eq!(mine.status().as_u16(), 200);
    let done = app.post(&format!("/api/v1/sandbox/payments/{reference}"), &json!({"outcome": "succeed"}), None).await;
    assert_eq!(done.status, 202, "{}", done.text);
    assert!(hears(&mut mine, "recharge", 10_000).await, "the member's page is told");
    assert!(!hears(&mut theirs, "recharge", 300).await, "nobody else's");
    let shown = html(me.clone()).await;
    assert!(
        !shown.contains("card-recharge-pending") && shown.contains("data-testid=\"card-stored-value\">¥550<"),
        "{shown}"
    );
    assert_eq!(
        crate::web::cookie_client().get(format!("{}/live/me/cards", app.base)).send().await.expect("s").status(),
        403
    );

    // A recharge abandoned at the gateway stops showing once its payment window has passed.
    let key = uuid::Uuid::now_v7().to_string();
    assert_eq!(app.post_keyed(&path, &json!({"pay": 10000}), &k.consumer, &key).await.status, 201);
    assert!(html(me.clone()).await.contains("充值 ¥100 确认中"));
    app.clock.advance_secs(16 * 60);
    assert!(!html(me.clone()).await.contains("card-recharge-pending"));
}
