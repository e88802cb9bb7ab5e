//! What the commerce tests share: a merchant with staff, deals, buying through the sandbox, and
//! the ledger check every scenario ends with.

use crate::harness::{Resp, TestApp};
use serde_json::{Value, json};

/// A merchant with two stores, an owner, a clerk of store A and a manager of store A.
pub struct Shop {
    pub merchant: String,
    pub store_a: String,
    pub store_b: String,
    pub owner: String,
    pub clerk: String,
    pub manager: String,
}

pub async fn shop(app: &TestApp, name: &str) -> Shop {
    let admin = app.admin().await;
    let (owner, owner_id) = app.user(&format!("owner-{name}@test.lokal")).await;
    let m = app.post("/api/v1/merchants", &json!({"name": name, "owner_user_id": owner_id}), Some(&admin)).await;
    let merchant = m.json()["id"].as_str().expect("merchant").to_owned();
    let mut stores = Vec::new();
    for s in ["A", "B"] {
        let p = lokal_core::geo::LatLng::PEOPLES_SQUARE.offset_m(100.0, 0.0);
        let body = json!({"name": format!("{name} {s}"), "location": {"lat": p.lat(), "lng": p.lng()}});
        let r = app.post(&format!("/api/v1/merchants/{merchant}/stores"), &body, Some(&owner)).await;
        assert_eq!(r.status, 201, "{}", r.text);
        stores.push(r.json()["id"].as_str().expect("store").to_owned());
    }
    let (clerk, _) = app.user(&format!("clerk-{name}@test.lokal")).await;
    let (manager, _) = app.user(&format!("manager-{name}@test.lokal")).await;
    for (who, role, token) in [("clerk", "clerk", &clerk), ("manager", "manager", &manager)] {
        let body = json!({"login": format!("{who}-{name}@test.lokal"), "role": role, "store_ids": [stores[0]]});
        app.hire(&merchant, &body, &owner, token).await;
    }
    Shop { merchant, store_a: stores[0].clone(), store_b: stores[1].clone(), owner, clerk, manager }
}

pub fn rfc3339(app: &TestApp, secs_from_now: i64) -> String {
    app.app.now().plus_secs(secs_from_now).to_rfc3339()
}

/// A deal valid at store A only, on sale for a week, valid for thirty days.
pub fn deal_body(app: &TestApp, s: &Shop, extra: Value) -> Value {
    let mut body = json!({
        "title": "双人火锅套餐 Hotpot for two",
        "contents": [{"name": "毛肚", "quantity": 2}, {"name": "Broth"}],
        "price": 9900, "original_price": 15800,
        "store_ids": [s.store_a],
        "sale_ends_at": rfc3339(app, 7 * 86_400),
        "valid_until": rfc3339(app, 30 * 86_400),
        "stock": 100,
    });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    body
}

pub async fn create_deal(app: &TestApp, s: &Shop, extra: Value) -> String {
    let r =
        app.post(&format!("/api/v1/merchants/{}/deals", s.merchant), &deal_body(app, s, extra), Some(&s.owner)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()["id"].as_str().expect("deal").to_owned()
}

/// Orders and pays; returns the order JSON after payment.
pub async fn buy(app: &TestApp, deal: &str, token: &str, quantity: i64) -> Value {
    let key = uuid::Uuid::now_v7().to_string();
    let o = app.post_keyed(&format!("/api/v1/deals/{deal}/orders"), &json!({"quantity": quantity}), token, &key).await;
    assert_eq!(o.status, 201, "{}", o.text);
    let order = o.json()["id"].as_str().expect("order").to_owned();
    let p = app.post_keyed(&format!("/api/v1/orders/{order}/payments"), &json!({}), token, &format!("{key}-pay")).await;
    assert_eq!(p.status, 201, "{}", p.text);
    let reference = p.json()["payment"]["provider_ref"].as_str().expect("ref").to_owned();
    let done = app.post(&format!("/api/v1/sandbox/payments/{reference}"), &json!({"outcome": "succeed"}), None).await;
    assert_eq!(done.status, 202, "{}", done.text);
    app.get(&format!("/api/v1/orders/{order}"), Some(token)).await.json()
}

pub async fn assert_ledger_holds(app: &TestApp) {
    let r = app.app.ledger_check().await.expect("check");
    assert!(r.holds(), "{}", lokal::ledger_report(&r));
}

pub fn redeem_body(code: &str, uses: i64) -> Value {
    json!({"code": code, "uses": uses, "device": "desk-1"})
}

/// `n` consumers with API sessions, made directly in the store (registering 2,000 people through
/// argon2 would take minutes and test nothing new).
pub async fn crowd(app: &TestApp, n: usize) -> Vec<String> {
    let mut tokens = Vec::with_capacity(n);
    for i in 0..n {
        let user = lokal_store::users::UserRow {
            id: lokal_core::UserId::generate(),
            email: Some(format!("crowd{i}@test.lokal")),
            phone: None,
            password_hash: "!".into(),
            display_name: format!("Buyer {i}"),
            created_at: app.app.now(),
            disabled: false,
            lang: None,
        };
        lokal_store::users::insert(app.app.db().pool(), &user).await.expect("user");
        let s = app.app.open_session(user.id, lokal_app::accounts::SessionKind::Api).await.expect("session");
        tokens.push(s.token);
    }
    tokens
}

/// What the redemption desk of `store` shows for `code` (GET …/vouchers/{code}).
pub async fn look_up(app: &TestApp, staff: &str, store: &str, code: &str) -> Resp {
    app.get(&format!("/api/v1/stores/{store}/vouchers/{code}"), Some(staff)).await
}

/// Redeems `uses` of `code` at `store` as `staff` (POST …/redemptions).
pub async fn redeem(app: &TestApp, staff: &str, store: &str, code: &str, uses: i64) -> Resp {
    app.post(&format!("/api/v1/stores/{store}/redemptions"), &redeem_body(code, uses), Some(staff)).await
}

/// The first voucher code of a paid order as `buy` returns it.
pub fn first_code(order: &Value) -> String {
    order["vouchers"][0]["code"].as_str().expect("a voucher code").to_owned()
}
