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
