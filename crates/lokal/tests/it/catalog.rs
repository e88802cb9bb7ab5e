//! The catalog: brand items, store overrides, menus, and dish names in search.

use crate::harness::TestApp;
use serde_json::{Value, json};

struct Brand {
    owner: String,
    merchant: String,
    stores: Vec<String>,
}

async fn brand(app: &TestApp) -> Brand {
    let admin = app.admin().await;
    let (owner, owner_id) = app.user("brand-owner@test.lokal").await;
    let m =
        app.post("/api/v1/merchants", &json!({"name": "Hotpot Brand", "owner_user_id": owner_id}), Some(&admin)).await;
    let merchant = m.json()["id"].as_str().expect("id").to_owned();
    let mut stores = Vec::new();
    for (i, north) in [100.0, 900.0].iter().enumerate() {
        let p = lokal_core::geo::LatLng::PEOPLES_SQUARE.offset_m(*north, 0.0);
        let body = json!({"name": format!("Hotpot Brand #{i}"), "location": {"lat": p.lat(), "lng": p.lng()}});
        let r = app.post(&format!("/api/v1/merchants/{merchant}/stores"), &body, Some(&owner)).await;
        stores.push(r.json()["id"].as_str().expect("id").to_owned());
    }
    Brand { owner, merchant, stores }
}

fn tripe() -> Value {
    json!({
        "name": "毛肚 Beef tripe", "section": "Meats", "price": 3800,
        "options": [{"name": "Portion", "required": true, "max_choices": 1, "choices": [{"name": "Half", "price_delta": -1500}, {"name": "Full"}]}]
    })
}

#[tokio::test]
async fn an_item_is_on_every_store_menu_and_stores_override_price_and_availability() {
    let app = TestApp::spawn().await;
    let b = brand(&app).await;
    let item = app.post(&format!("/api/v1/merchants/{}/items", b.merchant), &tripe(), Some(&b.owner)).await;
    assert_eq!(item.status, 201, "{}", item.text);
    let item_id = item.json()["id"].as_str().expect("id").to_owned();
    assert_eq!(item.json()["price"], json!({"amount": 3800, "currency": "CNY"}));
    for s in &b.stores {
        let menu = app.get(&format!("/api/v1/stores/{s}/menu"), None).await.json();
        assert_eq!(
            (menu["items"][0]["name"].as_str(), menu["items"][0]["available"].as_bool()),
            (Some("毛肚 Beef tripe"), Some(true))
        );
    }
    // A clerk of store 0 marks it sold out there and store 0 alone changes.
    let (tripe_clerk, _) = app.user("tripe-clerk@test.lokal").await;
    let staff = json!({"login": "tripe-clerk@test.lokal", "role": "clerk", "store_ids": [b.stores[0]]});
    app.hire(&b.merchant, &staff, &b.owner, &tripe_clerk).await;
    let clerk =
        app.login("tripe-clerk@test.lokal", "correct horse").await.json()["token"].as_str().expect("token").to_owned();
    let set = app
        .put(
            &format!("/api/v1/stores/{}/items/{item_id}", b.stores[0]),
            &json!({"sold_out": true, "price": 3600}),
            Some(&clerk),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    let m0 = app.get(&format!("/api/v1/stores/{}/menu", b.stores[0]), None).await.json();
    let m1 = app.get(&format!("/api/v1/stores/{}/menu", b.stores[1]), None).await.json();
    assert_eq!(
        (m0["items"][0]["available"].as_bool(), m0["items"][0]["price"]["amount"].as_i64()),
        (Some(false), Some(3600))
    );
    assert_eq!(
        (m1["items"][0]["available"].as_bool(), m1["items"][0]["price"]["amount"].as_i64()),
        (Some(true), Some(3800))
    );
    // The clerk cannot touch the other store, nor the brand item.
    assert_eq!(
        app.put(&format!("/api/v1/stores/{}/items/{item_id}", b.stores[1]), &json!({"sold_out": true}), Some(&clerk))
            .await
            .status,
        403
    );
    assert_eq!(app.put(&format!("/api/v1/items/{item_id}"), &tripe(), Some(&clerk)).await.status, 403);
    // Stock zero also makes it unavailable.
    app.put(&format!("/api/v1/stores/{}/items/{item_id}", b.stores[1]), &json!({"stock": 0}), Some(&b.owner)).await;
    let m1 = app.get(&format!("/api/v1/stores/{}/menu", b.stores[1]), None).await.json();
    assert_eq!(m1["items"][0]["available"], false);
}

#[tokio::test]
async fn a_dish_name_finds_the_brands_stores_and_an_edit_is_searchable_at_once() {
    let app = TestApp::spawn().await;
    let b = brand(&app).await;
    let c = lokal_core::geo::LatLng::PEOPLES_SQUARE;
    let search = |q: &str| format!("/api/v1/search?q={q}&lat={}&lng={}", c.lat(), c.lng());
    assert!(app.get(&search("%E6%AF%9B%E8%82%9A"), None).await.json()["results"].as_array().is_some_and(Vec::is_empty));
    let item = app.post(&format!("/api/v1/merchants/{}/items", b.merchant), &tripe(), Some(&b.owner)).await;
    let id = item.json()["id"].as_str().expect("id").to_owned();
    let found = app.get(&search("%E6%AF%9B%E8%82%9A"), None).await.json(); // 毛肚
    assert_eq!(found["results"].as_array().map(Vec::len), Some(2), "both stores of the brand");
    let matched = &found["results"][0]["items"];
    assert_eq!(matched.as_array().map(Vec::len), Some(1), "the matching dish is listed under the store: {found}");
    assert_eq!(matched[0]["kind"], "item");
    assert_eq!(matched[0]["id"].as_str(), Some(id.as_str()));
    assert_eq!(matched[0]["price"]["amount"], tripe()["price"]);
    let renamed = json!({"name": "鸭肠 Duck intestine", "price": 2800});
    assert_eq!(app.put(&format!("/api/v1/items/{id}"), &renamed, Some(&b.owner)).await.status, 200);
    assert_eq!(app.get(&search("%E9%B8%AD%E8%82%A0"), None).await.json()["results"].as_array().map(Vec::len), Some(2)); // 鸭肠
    assert!(app.get(&search("%E6%AF%9B%E8%82%9A"), None).await.json()["results"].as_array().is_some_and(Vec::is_empty));
    // After a restart the index is rebuilt with the menu.
    app.app.rebuild_index().await.expect("rebuild");
    let after = app.get(&search("%E9%B8%AD%E8%82%A0"), None).await.json();
    assert_eq!(after["results"].as_array().map(Vec::len), Some(2));
    assert_eq!(after["results"][1]["items"][0]["name"], "鸭肠 Duck intestine");
    // A store-name search lists no dishes.
    let by_name = app.get(&search("Hotpot"), None).await.json();
    assert!(by_name["results"][0]["items"].as_array().is_some_and(Vec::is_empty), "{by_name}");
}

#[tokio::test]
async fn bad_items_name_the_field_and_other_merchants_cannot_edit() {
    let app = TestApp::spawn().await;
    let b = brand(&app).await;
    let path = format!("/api/v1/merchants/{}/items", b.merchant);
    let mut bad = tripe();
    bad["options"][0]["max_choices"] = json!(5);
    let r = app.post(&path, &bad, Some(&b.owner)).await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("options[0].max_choices")));
    let r = app.post(&path, &json!({"name": "x", "price": -5}), Some(&b.owner)).await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("price")));
    let (stranger, _) = app.user("stranger@test.lokal").await;
    assert_eq!(app.post(&path, &tripe(), Some(&stranger)).await.status, 403);
    let id = app.post(&path, &tripe(), Some(&b.owner)).await.json()["id"].as_str().expect("id").to_owned();
    assert_eq!(app.put(&format!("/api/v1/items/{id}"), &tripe(), Some(&stranger)).await.status, 403);
    assert_eq!(
        app.put(&format!("/api/v1/stores/{}/items/{id}", b.stores[0]), &json!({"stock": -1}), Some(&b.owner))
            .await
            .status,
        422
    );
    assert_eq!(app.get("/api/v1/stores/01a20853-55f8-72d3-aa75-e5bfb9628eb4/menu", None).await.status, 404);
}
