//! Coupons (issue F): batches by a merchant and by the platform, who may issue them, claiming by
//! the rules, "my coupons", and a crowd claiming a small batch at once.

use crate::commerce::{crowd, rfc3339, shop};
use crate::harness::{TestApp, join_all};
use serde_json::{Value, json};

fn batch(app: &TestApp, extra: Value) -> Value {
    let mut body = json!({
        "title": "满100减20 ¥20 off ¥100",
        "benefit": {"kind": "amount_off", "off": 2000, "threshold": 10000},
        "claim_until": rfc3339(app, 7 * 86_400),
        "valid_days": 7,
        "quantity": 100,
    });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    body
}

#[tokio::test]
async fn merchants_and_operators_issue_coupons_and_consumers_claim_them_by_the_rules() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Couponed").await;
    let other = shop(&app, "Elsewhere").await;
    let path = format!("/api/v1/merchants/{}/coupon-batches", s.merchant);

    // Who may issue: the owner; not a store-level manager, not a clerk, not another merchant.
    for (who, token) in [("manager", &s.manager), ("clerk", &s.clerk), ("other owner", &other.owner)] {
        let r = app.post(&path, &batch(&app, json!({})), Some(token)).await;
        assert_eq!(r.status, 403, "{who}: {}", r.text);
    }
    // Bad batches name the field and create nothing.
    for (extra, field) in [
        (json!({"benefit": {"kind": "amount_off", "off": 20000, "threshold": 10000}}), "benefit.off"),
        (json!({"quantity": 0}), "quantity"),
        (json!({"valid_until": rfc3339(&app, 30 * 86_400)}), "valid_until"),
        (json!({"store_ids": [other.store_a]}), "store_ids"),
        (json!({"title": "bad\u{0}title"}), "title"),
    ] {
        let r = app.post(&path, &batch(&app, extra), Some(&s.owner)).await;
        assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some(field)), "{}", r.text);
    }
    assert_eq!(app.get(&path, Some(&s.owner)).await.json()["items"].as_array().map(Vec::len), Some(0));

    let r = app.post(&path, &batch(&app, json!({"store_ids": [s.store_a], "per_user_limit": 2})), Some(&s.owner)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.json()["id"].as_str().expect("id").to_owned();
    assert_eq!(r.json()["funded_by"], "merchant");
    assert_eq!(r.json()["claimable"], true);
    // Anyone may read it; its staff list it; another merchant's staff may not.
    assert_eq!(app.get(&format!("/api/v1/coupon-batches/{id}"), None).await.json()["quantity_left"], 100);
    assert_eq!(app.get(&path, Some(&s.clerk)).await.status, 403, "store-level staff do not see merchant-wide lists");
    assert_eq!(app.get(&path, Some(&other.owner)).await.status, 403);

    // Claiming: signed in, with the channel that brought the consumer; two per person here.
    let (me, _) = app.user("claimer@test.lokal").await;
    let claim = format!("/api/v1/coupon-batches/{id}/claims");
    assert_eq!(app.post(&claim, &json!({}), None).await.status, 401);
    let c = app.post(&claim, &json!({"channel": "poster:store-a"}), Some(&me)).await;
    assert_eq!(c.status, 201, "{}", c.text);
    assert_eq!((c.json()["status"].as_str(), c.json()["channel"].as_str()), (Some("unused"), Some("poster:store-a")));
    let claimed = lokal_core::Timestamp::parse_rfc3339(c.json()["claimed_at"].as_str().unwrap_or("")).expect("time");
    let expires = lokal_core::Timestamp::parse_rfc3339(c.json()["expires_at"].as_str().unwrap_or("")).expect("time");
    assert_eq!(expires.millis() - claimed.millis(), 7 * 86_400_000, "valid seven days from the claim");
    assert_eq!(app.post(&claim, &json!({}), Some(&me)).await.status, 201);
    let third = app.post(&claim, &json!({}), Some(&me)).await;
    assert_eq!(third.code(), "claim_limit_reached");
    let mine = app.get("/api/v1/me/coupons", Some(&me)).await.json();
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(mine["items"][0]["batch"]["store_ids"][0].as_str(), Some(s.store_a.as_str()));
    assert_eq!(app.get(&format!("/api/v1/coupon-batches/{id}"), None).await.json()["quantity_left"], 98);
    // Another consumer does not see them.
    let (you, _) = app.user("someone-else@test.lokal").await;
    assert_eq!(app.get("/api/v1/me/coupons", Some(&you)).await.json()["items"].as_array().map(Vec::len), Some(0));
    // A week later the coupons show as expired and the batch no longer gives any.
    app.clock.advance_secs(7 * 86_400 + 1);
    assert_eq!(app.get("/api/v1/me/coupons", Some(&me)).await.json()["items"][0]["status"], "expired");
    assert_eq!(app.post(&claim, &json!({}), Some(&you)).await.code(), "not_claimable");
    // Unknown batches are 404, never a 5xx.
    let missing = format!("/api/v1/coupon-batches/{}/claims", uuid::Uuid::now_v7());
    assert_eq!(app.post(&missing, &json!({}), Some(&you)).await.status, 404);

    // Platform coupons: operators only, valid everywhere, funded by the platform; claiming not
    // open before claim_from.
    let admin = app.admin().await;
    let extra = json!({"claim_from": rfc3339(&app, 3_600), "benefit": {"kind": "free_delivery", "cap": 500}});
    assert_eq!(app.post("/api/v1/admin/coupon-batches", &batch(&app, extra.clone()), Some(&s.owner)).await.status, 403);
    let p = app.post("/api/v1/admin/coupon-batches", &batch(&app, extra), Some(&admin)).await;
    assert_eq!(p.status, 201, "{}", p.text);
    assert_eq!((p.json()["funded_by"].as_str(), p.json()["claimable"].as_bool()), (Some("platform"), Some(false)));
    let pid = p.json()["id"].as_str().expect("id").to_owned();
    let early = app.post(&format!("/api/v1/coupon-batches/{pid}/claims"), &json!({}), Some(&you)).await;
    assert_eq!(early.code(), "not_claimable");
    app.clock.advance_secs(3_601);
    assert_eq!(app.post(&format!("/api/v1/coupon-batches/{pid}/claims"), &json!({}), Some(&you)).await.status, 201);
    assert_eq!(
        app.get("/api/v1/admin/coupon-batches", Some(&admin)).await.json()["items"].as_array().map(Vec::len),
        Some(1)
    );
    // The coupon centre lists what can be claimed now, the platform's first.
    let centre = app.get("/api/v1/coupon-centre", None).await.json();
    let ids: Vec<&str> = centre["items"].as_array().expect("items").iter().filter_map(|b| b["id"].as_str()).collect();
    assert_eq!(ids, [pid.as_str()], "the merchant batch has expired; the platform's is open");
}

#[tokio::test]
async fn two_thousand_concurrent_claims_of_a_100_coupon_batch_issue_exactly_100() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Crowded").await;
    let r = app
        .post(&format!("/api/v1/merchants/{}/coupon-batches", s.merchant), &batch(&app, json!({})), Some(&s.owner))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.json()["id"].as_str().expect("id").to_owned();
    let people = crowd(&app, 2000).await;
    let claim = format!("/api/v1/coupon-batches/{id}/claims");
    // Everyone at once; one in ten taps twice.
    let taps: Vec<usize> = (0..people.len() + 200).map(|i| i % people.len()).collect();
    let body = json!({"channel": "flash"});
    let results = join_all(taps.iter().map(|&p| app.post(&claim, &body, Some(&people[p])))).await;
    let errors: Vec<(u16, String)> = results.iter().filter(|r| r.status >= 500).map(|r| (r.status, r.code())).collect();
    assert!(errors.is_empty(), "no 5xx: {} of them, e.g. {:?}", errors.len(), errors.first());
    let won: Vec<usize> = taps.iter().zip(&results).filter(|(_, r)| r.status == 201).map(|(p, _)| *p).collect();
    assert_eq!(won.len(), 100, "exactly the batch is issued");
    assert_eq!(won.iter().collect::<std::collections::HashSet<_>>().len(), 100, "nobody holds two");
    let codes: std::collections::HashSet<String> =
        results.iter().filter(|r| r.status != 201).map(|r| r.code()).collect();
    assert!(codes.iter().all(|c| c == "coupons_gone" || c == "claim_limit_reached"), "{codes:?}");
    let batch_id: lokal_core::CouponTemplateId = id.parse().expect("id");
    let stored = lokal_store::coupons::claimed_count(app.app.db().pool(), batch_id).await.expect("count");
    assert_eq!(stored, 100, "the database holds exactly 100 coupons");
    assert_eq!(app.get(&format!("/api/v1/coupon-batches/{id}"), None).await.json()["quantity_left"], 0);
}

/// The kitchen with the merchant's 满50减10 (two per person, budget ¥20) and the platform's 10 %
/// off (at most ¥3) claimed by its consumer (two of the first, one of the second), and a cart
/// of two mild noodles for pickup (5,600 of goods, 100 of packaging). Returns the kitchen, the
/// merchant's batch and the cart.
async fn with_coupons(app: &TestApp) -> (crate::kitchen::Kitchen, String, Value) {
    let k = crate::kitchen::kitchen(app).await;
    let issue = |path: String, token: String, body: Value| async move {
        let r = app.post(&path, &body, Some(&token)).await;
        assert_eq!(r.status, 201, "{}", r.text);
        r.json()["id"].as_str().expect("id").to_owned()
    };
    let merchant_batch = issue(
        format!("/api/v1/merchants/{}/coupon-batches", k.merchant),
        k.owner.clone(),
        batch(app, json!({"title": "满50减10", "benefit": {"kind": "amount_off", "off": 1000, "threshold": 5000}, "per_user_limit": 2, "budget": 2000})),
    )
    .await;
    let platform_batch = issue(
        "/api/v1/admin/coupon-batches".into(),
        k.admin.clone(),
        batch(app, json!({"title": "10% off", "benefit": {"kind": "percent_off", "percent_bp": 1000, "cap": 300}})),
    )
    .await;
    for b in [&merchant_batch, &merchant_batch, &platform_batch] {
        let c = app
            .post(&format!("/api/v1/coupon-batches/{b}/claims"), &json!({"channel": "store-page"}), Some(&k.consumer))
            .await;
        assert_eq!(c.status, 201, "{}", c.text);
    }
    let mut cart = k.cart("pickup");
    cart["lines"][0]["quantity"] = json!(2);
    (k, merchant_batch, cart)
}

async fn budget_used(app: &TestApp, batch: &str) -> i64 {
    let id: lokal_core::CouponTemplateId = batch.parse().expect("id");
    lokal_store::coupons::template_by_id(app.app.db().pool(), id).await.expect("db").expect("batch").budget_used
}

#[tokio::test]
async fn checkout_proposes_the_best_combination_of_the_consumers_coupons() {
    let app = TestApp::spawn().await;
    let (k, _, cart) = with_coupons(&app).await;
    // Without coupons: 5,700. With the best combination: 10 off, then 10 % of 4,600 capped at 3.
    let mut none = cart.clone();
    none["coupon_ids"] = json!([]);
    assert_eq!(app.post("/api/v1/quotes", &none, Some(&k.consumer)).await.json()["total"]["amount"], 5700);
    let q = app.post("/api/v1/quotes", &cart, Some(&k.consumer)).await;
    assert_eq!(q.status, 201, "{}", q.text);
    let quote = q.json();
    assert_eq!(quote["total"]["amount"], 5600 + 100 - 1000 - 300, "{quote}");
    let funded: Vec<(&str, i64)> = quote["discounts"]
        .as_array()
        .expect("discounts")
        .iter()
        .map(|d| (d["funded_by"].as_str().unwrap_or(""), d["amount"]["amount"].as_i64().unwrap_or(0)))
        .collect();
    assert_eq!(funded, [("merchant", 1000), ("platform", 300)]);
    // Naming a coupon that is not the consumer's is refused, naming the field.
    let mut theirs = cart.clone();
    theirs["coupon_ids"] = json!([uuid::Uuid::now_v7().to_string()]);
    let r = app.post("/api/v1/quotes", &theirs, Some(&k.consumer)).await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("coupon_ids")), "{}", r.text);
}

#[tokio::test]
async fn a_coupon_on_two_quotes_goes_to_the_first_order_and_the_second_is_refused() {
    let app = TestApp::spawn().await;
    let (k, _, cart) = with_coupons(&app).await;
    let first = app.post("/api/v1/quotes", &cart, Some(&k.consumer)).await.json()["id"].as_str().expect("q").to_owned();
    let again = app.post("/api/v1/quotes", &cart, Some(&k.consumer)).await.json()["id"].as_str().expect("q").to_owned();
    let o = app.post_keyed(&format!("/api/v1/quotes/{first}/order"), &json!({}), &k.consumer, "c-1").await;
    assert_eq!(o.status, 201, "{}", o.text);
    let order = o.json()["id"].as_str().expect("order").to_owned();
    let late = app.post_keyed(&format!("/api/v1/quotes/{again}/order"), &json!({}), &k.consumer, "c-2").await;
    assert_eq!(late.code(), "quote_changed", "{}", late.text);
    crate::kitchen::pay(&app, &order, &k.consumer).await;
    let mine = app.get("/api/v1/me/coupons", Some(&k.consumer)).await.json();
    let used = mine["items"].as_array().expect("items").iter().filter(|c| c["status"] == "used").count();
    assert_eq!(used, 2, "{mine}");
}

#[tokio::test]
async fn a_completed_order_pays_the_merchant_less_its_own_coupon_and_the_platform_its_subsidy() {
    use crate::commerce::assert_ledger_holds;
    use crate::kitchen::{owed, track};
    let app = TestApp::spawn().await;
    let (k, merchant_batch, cart) = with_coupons(&app).await;
    let order = crate::kitchen::order_and_pay(&app, &cart, &k.consumer).await;
    // Through the counter to completion; then the books: the merchant earns its goods less its
    // own coupon and commission; the platform pays its coupon as a subsidy.
    assert_eq!(app.post(&format!("/api/v1/orders/{order}/accept"), &json!({}), Some(&k.clerk)).await.status, 200);
    assert_eq!(app.post(&format!("/api/v1/orders/{order}/ready"), &json!({}), Some(&k.clerk)).await.status, 200);
    let code = track(&app, &order, &k.consumer).await["order"]["code"].as_str().expect("code").to_owned();
    let h = app.post(&format!("/api/v1/orders/{order}/hand-over"), &json!({"code": code}), Some(&k.clerk)).await;
    assert_eq!(h.status, 200, "{}", h.text);
    let goods = 5600 + 100 - 1000;
    assert_eq!(owed(&app, &format!("merchant:{}:payable", k.merchant)).await, goods - goods * 8 / 100);
    assert_eq!(-owed(&app, "platform:subsidies").await, 300);
    assert_eq!(budget_used(&app, &merchant_batch).await, 1000, "the completed order's discount counts");
    assert_ledger_holds(&app).await;
}

#[tokio::test]
async fn a_paid_order_cancelled_before_acceptance_gives_its_coupon_and_budget_back() {
    let app = TestApp::spawn().await;
    let (k, merchant_batch, cart) = with_coupons(&app).await;
    let mine = app.get("/api/v1/me/coupons", Some(&k.consumer)).await.json();
    let spare = mine["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|c| c["status"] == "unused" && c["batch"]["issuer"] == "merchant")
        .and_then(|c| c["id"].as_str())
        .expect("a merchant coupon")
        .to_owned();
    let mut one = cart.clone();
    one["coupon_ids"] = json!([spare]);
    let q = app.post("/api/v1/quotes", &one, Some(&k.consumer)).await;
    assert_eq!(q.json()["total"]["amount"], 5700 - 1000, "{}", q.text);
    let order = crate::kitchen::order_and_pay(&app, &one, &k.consumer).await;
    let c = app
        .post(&format!("/api/v1/orders/{order}/cancel"), &json!({"reason": "changed my mind"}), Some(&k.consumer))
        .await;
    assert_eq!(c.status, 200, "{}", c.text);
    let mine = app.get("/api/v1/me/coupons", Some(&k.consumer)).await.json();
    let back =
        mine["items"].as_array().expect("items").iter().find(|c| c["id"] == spare.as_str()).expect("coupon").clone();
    assert_eq!(back["status"], "unused", "{mine}");
    assert_eq!(budget_used(&app, &merchant_batch).await, 0, "a cancelled order's discount does not count");
    crate::commerce::assert_ledger_holds(&app).await;
}

#[tokio::test]
async fn one_coupon_on_two_orders_at_once_is_used_once() {
    use crate::kitchen::kitchen;
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let path = format!("/api/v1/merchants/{}/coupon-batches", k.merchant);
    // Free delivery is the platform's to give.
    let free = batch(&app, json!({"benefit": {"kind": "free_delivery"}}));
    let r = app.post(&path, &free, Some(&k.owner)).await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("benefit.kind")), "{}", r.text);
    let b = app
        .post(
            &path,
            &batch(&app, json!({"benefit": {"kind": "amount_off", "off": 500, "threshold": 0}})),
            Some(&k.owner),
        )
        .await;
    let id = b.json()["id"].as_str().expect("batch").to_owned();
    let c = app.post(&format!("/api/v1/coupon-batches/{id}/claims"), &json!({}), Some(&k.consumer)).await;
    let coupon = c.json()["id"].as_str().expect("coupon").to_owned();
    let mut cart = k.cart("pickup");
    cart["coupon_ids"] = json!([coupon]);
    let mut quotes = Vec::new();
    for _ in 0..2 {
        let q = app.post("/api/v1/quotes", &cart, Some(&k.consumer)).await;
        assert_eq!((q.status, q.json()["discounts"][0]["amount"]["amount"].as_i64()), (201, Some(500)), "{}", q.text);
        quotes.push(format!("/api/v1/quotes/{}/order", q.json()["id"].as_str().expect("quote")));
    }
    let (keys, empty) = (["race-1", "race-2"], json!({}));
    let results = join_all(quotes.iter().zip(keys).map(|(p, key)| app.post_keyed(p, &empty, &k.consumer, key))).await;
    let statuses: Vec<u16> = results.iter().map(|r| r.status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert!(results.iter().any(|r| r.code() == "quote_changed"), "{statuses:?}");
    // Naming more than three coupons is refused.
    let mut many = k.cart("pickup");
    many["coupon_ids"] = json!([coupon, coupon, coupon, coupon]);
    let r = app.post("/api/v1/quotes", &many, Some(&k.consumer)).await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("coupon_ids")));
}

#[tokio::test]
async fn store_promotions_apply_without_a_coupon_and_first_order_ones_once() {
    use crate::kitchen::kitchen;
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let path = format!("/api/v1/merchants/{}/promotions", k.merchant);
    let ends = rfc3339(&app, 30 * 86_400);
    let free = json!({"title": "Free delivery", "benefit": {"kind": "free_delivery"}, "ends_at": ends});
    let r = app.post(&path, &free, Some(&k.owner)).await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("benefit.kind")), "{}", r.text);
    let tier =
        json!({"title": "满50减8", "benefit": {"kind": "amount_off", "off": 800, "threshold": 5000}, "ends_at": ends});
    assert_eq!(app.post(&path, &tier, Some(&k.clerk)).await.status, 403, "store-level staff do not start promotions");
    assert_eq!(app.post(&path, &tier, Some(&k.owner)).await.status, 201);
    let first = json!({"title": "New here: ¥3 off noodles", "first_order": true, "store_id": k.store,
        "benefit": {"kind": "item_off", "item": k.noodles, "off_each": 300, "max_units": 1}, "ends_at": ends});
    let r = app.post(&path, &first, Some(&k.owner)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(app.get(&path, Some(&k.owner)).await.json()["items"].as_array().map(Vec::len), Some(2));

    // Two mild noodles for pickup (5,600 + 100): 满50减8, then ¥3 off one bowl for a first order.
    let mut cart = k.cart("pickup");
    cart["lines"][0]["quantity"] = json!(2);
    let q = app.post("/api/v1/quotes", &cart, Some(&k.consumer)).await.json();
    assert_eq!(q["total"]["amount"], 5700 - 300 - 800, "{q}");
    let titles: Vec<&str> =
        q["promotions"].as_array().expect("promotions").iter().filter_map(|p| p["title"].as_str()).collect();
    assert_eq!(titles, ["满50减8", "New here: ¥3 off noodles"], "tiers before first-order discounts");
    // Once the consumer has an order here, the first-order promotion no longer applies.
    let id = q["id"].as_str().expect("quote").to_owned();
    let o = app.post_keyed(&format!("/api/v1/quotes/{id}/order"), &json!({}), &k.consumer, "promo-1").await;
    assert_eq!(o.status, 201, "{}", o.text);
    let again = app.post("/api/v1/quotes", &cart, Some(&k.consumer)).await.json();
    assert_eq!(again["total"]["amount"], 5700 - 800, "{again}");
    // A coupon-free cart (`coupon_ids: []`) still gets the store's promotions.
    cart["coupon_ids"] = json!([]);
    assert_eq!(app.post("/api/v1/quotes", &cart, Some(&k.consumer)).await.json()["total"]["amount"], 5700 - 800);
}

#[tokio::test]
async fn first_orders_at_once_get_one_new_customer_discount_and_a_cancelled_one_gives_it_back() {
    use crate::kitchen::kitchen;
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    // Two new-customer coupons of one batch (two per person), held by a consumer with no order.
    let body = batch(
        &app,
        json!({"benefit": {"kind": "amount_off", "off": 500, "threshold": 0}, "new_customers_only": true, "per_user_limit": 5}),
    );
    let b = app.post(&format!("/api/v1/merchants/{}/coupon-batches", k.merchant), &body, Some(&k.owner)).await;
    assert_eq!(b.status, 201, "{}", b.text);
    let id = b.json()["id"].as_str().expect("batch").to_owned();
    let mut quotes = Vec::new();
    for _ in 0..5 {
        let c = app.post(&format!("/api/v1/coupon-batches/{id}/claims"), &json!({}), Some(&k.consumer)).await;
        let mut cart = k.cart("pickup");
        cart["coupon_ids"] = json!([c.json()["id"]]);
        let q = app.post("/api/v1/quotes", &cart, Some(&k.consumer)).await;
        assert_eq!((q.status, q.json()["discounts"][0]["amount"]["amount"].as_i64()), (201, Some(500)), "{}", q.text);
        quotes.push(format!("/api/v1/quotes/{}/order", q.json()["id"].as_str().expect("quote")));
    }
    // Five first orders at once: one gets the new-customer discount, the others are refused.
    let keys: Vec<String> = (0..quotes.len()).map(|i| format!("first-{i}")).collect();
    let empty = json!({});
    let results = join_all(quotes.iter().zip(&keys).map(|(p, key)| app.post_keyed(p, &empty, &k.consumer, key))).await;
    let statuses: Vec<u16> = results.iter().map(|r| r.status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert!(results.iter().any(|r| r.code() == "quote_changed"), "{statuses:?}");
    // The winner is cancelled before payment: the consumer is new again and the discount is back.
    let won = results.iter().find(|r| r.status == 201).expect("an order").json()["id"].as_str().expect("id").to_owned();
    let c = app.post(&format!("/api/v1/orders/{won}/cancel"), &json!({"reason": "later"}), Some(&k.consumer)).await;
    assert_eq!(c.status, 200, "{}", c.text);
    let q = app.post("/api/v1/quotes", &k.cart("pickup"), Some(&k.consumer)).await;
    assert_eq!(q.json()["discounts"][0]["amount"]["amount"].as_i64(), Some(500), "{}", q.text);
    let qid = q.json()["id"].as_str().expect("quote").to_owned();
    let o = app.post_keyed(&format!("/api/v1/quotes/{qid}/order"), &empty, &k.consumer, "first-again").await;
    assert_eq!(o.status, 201, "{}", o.text);
}

#[tokio::test]
async fn coupons_apply_to_bills_paid_at_the_store_after_the_stores_own_rule() {
    use crate::commerce::assert_ledger_holds;
    use crate::kitchen::{kitchen, owed, pay};
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let settings = json!({"pay_at_store": {"kind": "every_off", "every": 10000, "off": 1000}});
    assert_eq!(
        app.put(&format!("/api/v1/stores/{}/order-settings", k.store), &settings, Some(&k.owner)).await.status,
        200
    );
    // The merchant's ¥10 off ¥50 and the platform's 10 %, at most ¥3.
    let merchant =
        batch(&app, json!({"title": "满50减10", "benefit": {"kind": "amount_off", "off": 1000, "threshold": 5000}}));
    let m = app.post(&format!("/api/v1/merchants/{}/coupon-batches", k.merchant), &merchant, Some(&k.owner)).await;
    let platform =
        batch(&app, json!({"title": "10% off", "benefit": {"kind": "percent_off", "percent_bp": 1000, "cap": 300}}));
    let p = app.post("/api/v1/admin/coupon-batches", &platform, Some(&k.admin)).await;
    for b in [&m, &p] {
        let id = b.json()["id"].as_str().expect("batch").to_owned();
        assert_eq!(
            app.post(&format!("/api/v1/coupon-batches/{id}/claims"), &json!({}), Some(&k.consumer)).await.status,
            201
        );
    }
    let bills = format!("/api/v1/stores/{}/bills", k.store);
    // A bill naming no coupons pays the store's rule only: 200 yuan, 2 × 10 off.
    let plain = app.post_keyed(&bills, &json!({"amount": 20000, "coupon_ids": []}), &k.consumer, "bill-plain").await;
    assert_eq!((plain.status, plain.json()["total"]["amount"].as_i64()), (201, Some(18000)), "{}", plain.text);
    // By default the best coupons apply on what the rule leaves: 18,000 − 1,000 − 300.
    let b = app.post_keyed(&bills, &json!({"amount": 20000}), &k.consumer, "bill-coupons").await;
    assert_eq!(b.status, 201, "{}", b.text);
    let bill = b.json();
    assert_eq!(
        (bill["total"]["amount"].as_i64(), bill["discount"]["amount"].as_i64()),
        (Some(16700), Some(3300)),
        "{bill}"
    );
    let id = bill["id"].as_str().expect("id").to_owned();
    pay(&app, &id, &k.consumer).await;
    let mine = app.get("/api/v1/me/coupons", Some(&k.consumer)).await.json();
    assert!(mine["items"].as_array().expect("items").iter().all(|c| c["status"] == "used"), "{mine}");
    // The store earns the bill less its own discounts and commission; the platform pays its coupon.
    let goods = 16700 + 300;
    assert_eq!(owed(&app, &format!("merchant:{}:payable", k.merchant)).await, goods - goods * 8 / 100);
    assert_eq!(-owed(&app, "platform:subsidies").await, 300);
    assert_ledger_holds(&app).await;
    // A coupon that is not the consumer's is refused, naming the field.
    let r = app
        .post_keyed(&bills, &json!({"amount": 20000, "coupon_ids": [uuid::Uuid::now_v7()]}), &k.consumer, "bill-bad")
        .await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("coupon_ids")), "{}", r.text);
}
