//! What the menu-order tests share: a noodle shop that delivers, its menu and settings, a
//! consumer, riders, and ordering and paying through the API.

use crate::harness::TestApp;
use lokal_core::geo::LatLng;
use serde_json::{Value, json};

/// A merchant with an open store (delivery within 3 km, pickup, dine-in), a closed store, a
/// clerk of the open store, a menu of noodles (with a required spice option) and tea (two in
/// stock at the open store), and a consumer.
pub struct Kitchen {
    pub admin: String,
    pub owner: String,
    pub merchant: String,
    pub store: String,
    pub closed_store: String,
    pub clerk: String,
    pub noodles: String,
    pub tea: String,
    pub consumer: String,
}

pub fn always() -> Value {
    let day = json!(["00:00-24:00"]);
    json!({"mon": day, "tue": day, "wed": day, "thu": day, "fri": day, "sat": day, "sun": day})
}

pub fn at(north_m: f64) -> Value {
    let p = LatLng::PEOPLES_SQUARE.offset_m(north_m, 0.0);
    json!({"lat": p.lat(), "lng": p.lng()})
}

pub async fn kitchen(app: &TestApp) -> Kitchen {
    let admin = app.admin().await;
    let (owner, owner_id) = app.user("noodle-owner@test.lokal").await;
    let m =
        app.post("/api/v1/merchants", &json!({"name": "Noodle House", "owner_user_id": owner_id}), Some(&admin)).await;
    let merchant = m.json()["id"].as_str().expect("merchant").to_owned();
    let stores = format!("/api/v1/merchants/{merchant}/stores");
    let open = json!({"name": "Noodle House People's Square", "category": "food", "address": "1 Nanjing Rd",
        "location": at(0.0), "hours": always(), "delivery": true, "delivery_radius_m": 3000, "pickup": true, "dine_in": true});
    let r = app.post(&stores, &open, Some(&owner)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let store = r.json()["id"].as_str().expect("store").to_owned();
    let closed = json!({"name": "Noodle House Night", "location": at(50.0), "delivery": true, "delivery_radius_m": 3000, "pickup": true});
    let closed_store = app.post(&stores, &closed, Some(&owner)).await.json()["id"].as_str().expect("store").to_owned();
    let items = format!("/api/v1/merchants/{merchant}/items");
    let noodles = json!({"name": "牛肉面 Beef noodles", "price": 2800, "options": [{"name": "Spice", "required": true,
        "max_choices": 1, "choices": [{"name": "Mild"}, {"name": "Numbing", "price_delta": 200}]}]});
    let noodles = app.post(&items, &noodles, Some(&owner)).await.json()["id"].as_str().expect("item").to_owned();
    let tea = app.post(&items, &json!({"name": "Jasmine tea", "price": 800}), Some(&owner)).await.json()["id"]
        .as_str()
        .expect("item")
        .to_owned();
    let stock = app.put(&format!("/api/v1/stores/{store}/items/{tea}"), &json!({"stock": 2}), Some(&owner)).await;
    assert_eq!(stock.status, 200, "{}", stock.text);
    let settings = json!({"packaging_fee": 100, "min_order": 2000, "prep_minutes": 10});
    let s = app.put(&format!("/api/v1/stores/{store}/order-settings"), &settings, Some(&owner)).await;
    assert_eq!(s.status, 200, "{}", s.text);
    let (clerk, _) = app.user("noodle-clerk@test.lokal").await;
    let staff = json!({"login": "noodle-clerk@test.lokal", "role": "clerk", "store_ids": [store]});
    app.hire(&merchant, &staff, &owner, &clerk).await;
    let (consumer, _) = app.user("hungry@test.lokal").await;
    Kitchen { admin, owner, merchant, store, closed_store, clerk, noodles, tea, consumer }
}

impl Kitchen {
    /// Two numbing noodles and a tea, delivered 800 m north.
    pub fn delivery_cart(&self) -> Value {
        json!({"store_id": self.store, "mode": "delivery",
            "lines": [{"item_id": self.noodles, "quantity": 2, "options": [{"group": "Spice", "choice": "Numbing"}]},
                      {"item_id": self.tea, "quantity": 1}],
            "address": {"text": "Room 1203, 88 Xizang Rd", "lat": at(800.0)["lat"], "lng": at(800.0)["lng"]}})
    }

    /// A cart in another mode with one mild noodles.
    pub fn cart(&self, mode: &str) -> Value {
        let mut c = json!({"store_id": self.store, "mode": mode,
            "lines": [{"item_id": self.noodles, "quantity": 1, "options": [{"group": "Spice", "choice": "Mild"}]}]});
        if mode == "dine_in" {
            c["table_code"] = json!("A12");
        }
        c
    }
}

/// Quotes `cart`, orders it and pays; returns the order id.
pub async fn order_and_pay(app: &TestApp, cart: &Value, token: &str) -> String {
    let q = app.post("/api/v1/quotes", cart, Some(token)).await;
    assert_eq!(q.status, 201, "{}", q.text);
    let quote = q.json()["id"].as_str().expect("quote").to_owned();
    let key = uuid::Uuid::now_v7().to_string();
    let o = app.post_keyed(&format!("/api/v1/quotes/{quote}/order"), &json!({}), token, &key).await;
    assert_eq!(o.status, 201, "{}", o.text);
    let order = o.json()["id"].as_str().expect("order").to_owned();
    pay(app, &order, token).await;
    order
}

/// Pays a pending order through the sandbox.
pub async fn pay(app: &TestApp, order: &str, token: &str) {
    let key = uuid::Uuid::now_v7().to_string();
    let p = app.post_keyed(&format!("/api/v1/orders/{order}/payments"), &json!({}), token, &key).await;
    assert_eq!(p.status, 201, "{}", p.text);
    let reference = p.json()["payment"]["provider_ref"].as_str().expect("ref").to_owned();
    let done = app.post(&format!("/api/v1/sandbox/payments/{reference}"), &json!({"outcome": "succeed"}), None).await;
    assert_eq!(done.status, 202, "{}", done.text);
}

/// The order as `token` tracks it.
pub async fn track(app: &TestApp, order: &str, token: &str) -> Value {
    let r = app.get(&format!("/api/v1/orders/{order}/tracking"), Some(token)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

/// An approved rider on shift at `north_m` from the store; returns the token and user id.
pub async fn rider(app: &TestApp, k: &Kitchen, email: &str, north_m: f64) -> (String, String) {
    let (token, id) = app.user(email).await;
    let a = app
        .post("/api/v1/riders/me", &json!({"name": email, "phone": "13800138000", "vehicle": "e-bike"}), Some(&token))
        .await;
    assert_eq!(a.status, 201, "{}", a.text);
    let d = app.post(&format!("/api/v1/admin/riders/{id}/decision"), &json!({"approve": true}), Some(&k.admin)).await;
    assert_eq!(d.status, 200, "{}", d.text);
    assert_eq!(app.post("/api/v1/rider/shift", &json!({}), Some(&token)).await.status, 200);
    let l = app.post("/api/v1/rider/location", &at(north_m), Some(&token)).await;
    assert_eq!(l.status, 204, "{}", l.text);
    (token, id)
}

/// The rider's open tasks.
pub async fn tasks(app: &TestApp, token: &str) -> Vec<Value> {
    let r = app.get("/api/v1/rider/tasks", Some(token)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["items"].as_array().expect("items").clone()
}

/// The balance the platform owes an account (merchant or rider), from the ledger.
pub async fn owed(app: &TestApp, account: &str) -> i64 {
    -lokal_store::ledger::balance(app.app.db().pool(), account).await.expect("balance")
}
