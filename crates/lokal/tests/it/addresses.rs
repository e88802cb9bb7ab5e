//! The address book (issue H): a person saves, lists, changes and deletes delivery addresses;
//! nobody else can see or touch them; every field is checked.

use crate::harness::TestApp;
use serde_json::{Value, json};

fn home() -> Value {
    json!({"label": "家", "contact_name": "小明", "contact_phone": "138 0013 8000",
           "address": "人民大道 200 号", "door": "3 号楼 1201", "location": {"lat": 31.2304, "lng": 121.4737}})
}

#[tokio::test]
async fn a_person_keeps_an_address_book_that_only_they_see() {
    let app = TestApp::spawn().await;
    let (me, _) = app.user("me@test.lokal").await;
    let (other, _) = app.user("other@test.lokal").await;
    let r = app.post("/api/v1/me/addresses", &home(), Some(&me)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let a = r.json();
    assert_eq!(a["contact_phone"], "+8613800138000");
    assert_eq!(a["location"]["lat"], 31.2304);
    let id = a["id"].as_str().expect("id").to_owned();
    app.clock.advance_secs(60);
    let work = json!({"label": "公司", "contact_name": "小明", "contact_phone": "+8613800138000",
                      "address": "南京东路 100 号", "location": {"lat": 31.2400, "lng": 121.4800}});
    let w = app.post("/api/v1/me/addresses", &work, Some(&me)).await;
    assert_eq!(w.status, 201, "{}", w.text);
    let list = app.get("/api/v1/me/addresses", Some(&me)).await.json();
    let labels: Vec<&str> =
        list["items"].as_array().expect("items").iter().filter_map(|a| a["label"].as_str()).collect();
    assert_eq!(labels, vec!["公司", "家"], "most recently used first");
    // Changing the first brings it to the top.
    app.clock.advance_secs(60);
    let mut body = home();
    body["door"] = json!("3 号楼 1202");
    let r = app.put(&format!("/api/v1/me/addresses/{id}"), &body, Some(&me)).await;
    assert_eq!((r.status, r.json()["door"].as_str()), (200, Some("3 号楼 1202")));
    let list = app.get("/api/v1/me/addresses", Some(&me)).await.json();
    assert_eq!(list["items"][0]["id"], id.as_str());
    // Someone else sees none of it and cannot change or delete it.
    assert_eq!(app.get("/api/v1/me/addresses", Some(&other)).await.json()["items"], json!([]));
    assert_eq!(app.put(&format!("/api/v1/me/addresses/{id}"), &body, Some(&other)).await.status, 404);
    assert_eq!(app.delete(&format!("/api/v1/me/addresses/{id}"), Some(&other)).await.status, 404);
    assert_eq!(app.get("/api/v1/me/addresses", None).await.status, 401);
    // The owner deletes it, once.
    assert_eq!(app.delete(&format!("/api/v1/me/addresses/{id}"), Some(&me)).await.status, 204);
    assert_eq!(app.delete(&format!("/api/v1/me/addresses/{id}"), Some(&me)).await.status, 404);
    assert_eq!(app.get("/api/v1/me/addresses", Some(&me)).await.json()["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn every_field_is_checked_and_the_book_has_a_limit() {
    let app = TestApp::spawn().await;
    let (me, _) = app.user("careful@test.lokal").await;
    let with = |k: &str, v: Value| {
        let mut b = home();
        b[k] = v;
        b
    };
    for (body, field) in [
        (with("contact_name", json!("")), "contact_name"),
        (with("contact_phone", json!("110")), "contact_phone"),
        (with("address", json!("  ")), "address"),
        (with("door", json!("x".repeat(61))), "door"),
        (with("location", json!({"lat": 91.0, "lng": 0.0})), "location.lat"),
        (with("nonsense", json!(1)), "nonsense"),
    ] {
        let r = app.post("/api/v1/me/addresses", &body, Some(&me)).await;
        assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some(field)), "{}", r.text);
    }
    for _ in 0..50 {
        assert_eq!(app.post("/api/v1/me/addresses", &home(), Some(&me)).await.status, 201);
    }
    let full = app.post("/api/v1/me/addresses", &home(), Some(&me)).await;
    assert_eq!((full.status, full.json()["error"]["field"].as_str()), (422, Some("address")));
}

#[tokio::test]
async fn an_order_placed_to_a_saved_address_keeps_it_as_it_was() {
    let app = TestApp::spawn().await;
    let k = crate::kitchen::kitchen(&app).await;
    let drop = crate::kitchen::at(800.0);
    let mut saved = home();
    saved["location"] = json!({"lat": drop["lat"], "lng": drop["lng"]});
    let a = app.post("/api/v1/me/addresses", &saved, Some(&k.consumer)).await;
    assert_eq!(a.status, 201, "{}", a.text);
    let id = a.json()["id"].as_str().expect("id").to_owned();
    let mut cart = k.delivery_cart();
    cart.as_object_mut().expect("cart").remove("address");
    cart["address_id"] = json!(id);
    let order = crate::kitchen::order_and_pay(&app, &cart, &k.consumer).await;
    // Changed and then deleted afterwards: the order still has the address it was placed with.
    let mut moved = saved.clone();
    moved["door"] = json!("5 号楼 101");
    assert_eq!(app.put(&format!("/api/v1/me/addresses/{id}"), &moved, Some(&k.consumer)).await.status, 200);
    assert_eq!(app.delete(&format!("/api/v1/me/addresses/{id}"), Some(&k.consumer)).await.status, 204);
    let seen = crate::kitchen::track(&app, &order, &k.consumer).await;
    let o = &seen["order"];
    assert_eq!(
        (o["address"].as_str(), o["door"].as_str(), o["contact_name"].as_str(), o["contact_phone"].as_str()),
        (Some("人民大道 200 号"), Some("3 号楼 1201"), Some("小明"), Some("+8613800138000")),
        "{seen}"
    );
    // The store sees where it goes too.
    let desk = app.get(&format!("/api/v1/stores/{}/orders", k.store), Some(&k.clerk)).await.json();
    assert_eq!(desk["items"][0]["door"], "3 号楼 1201");

    // Someone else's address, or none, is refused by field; a typed address still works and
    // its contact phone is checked.
    let (stranger, _) = app.user("stranger@test.lokal").await;
    let theirs = app.post("/api/v1/me/addresses", &saved, Some(&stranger)).await.json()["id"].clone();
    cart["address_id"] = theirs;
    let r = app.post("/api/v1/quotes", &cart, Some(&k.consumer)).await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("address_id")), "{}", r.text);
    let mut typed = k.delivery_cart();
    typed["address"]["contact_phone"] = json!("12");
    let r = app.post("/api/v1/quotes", &typed, Some(&k.consumer)).await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("address.contact_phone")), "{}", r.text);
}
