//! Full-text search (Chinese and English) combined with geo, and completions.

use crate::harness::TestApp;
use serde_json::{Value, json};

fn at(north_m: f64, east_m: f64) -> Value {
    let p = lokal_core::geo::LatLng::PEOPLES_SQUARE.offset_m(north_m, east_m);
    json!({"lat": p.lat(), "lng": p.lng()})
}

async fn city(app: &TestApp) -> (String, Vec<String>) {
    let admin = app.admin().await;
    let m = app.post("/api/v1/merchants", &json!({"name": "Search Eats"}), Some(&admin)).await;
    let path = format!("/api/v1/merchants/{}/stores", m.json()["id"].as_str().expect("id"));
    let mut ids = Vec::new();
    for body in [
        json!({"name": "重庆火锅 Chongqing Hotpot", "tags": ["毛肚", "spicy"], "location": at(300.0, 0.0)}),
        json!({"name": "兰州牛肉面 Lanzhou Noodles", "tags": ["beef noodles", "拉面"], "location": at(100.0, 0.0)}),
        json!({"name": "Moka Coffee 摩卡咖啡", "tags": ["latte"], "location": at(0.0, 200.0)}),
        json!({"name": "远方火锅 Faraway Hotpot", "tags": ["火锅"], "location": at(20_000.0, 0.0)}),
    ] {
        let r = app.post(&path, &body, Some(&admin)).await;
        assert_eq!(r.status, 201, "{}", r.text);
        ids.push(r.json()["id"].as_str().expect("id").to_owned());
    }
    (admin, ids)
}

async fn search(app: &TestApp, query: &str) -> Vec<String> {
    let r = app.get(&format!("/api/v1/search?{query}"), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["results"].as_array().into_iter().flatten().map(|s| s["name"].as_str().unwrap_or("").to_owned()).collect()
}

fn near(q: &str) -> String {
    let c = lokal_core::geo::LatLng::PEOPLES_SQUARE;
    format!("q={q}&lat={}&lng={}&radius_m=3000", c.lat(), c.lng())
}

#[tokio::test]
async fn a_chinese_dish_finds_the_store_near_me_and_city_wide() {
    let app = TestApp::spawn().await;
    city(&app).await;
    assert_eq!(search(&app, &near("火锅店")).await, vec!["重庆火锅 Chongqing Hotpot"]);
    assert_eq!(search(&app, &near("毛肚")).await, vec!["重庆火锅 Chongqing Hotpot"]);
    let everywhere = search(&app, "q=火锅").await;
    assert_eq!(everywhere.len(), 2, "{everywhere:?}");
    let r = app.get(&format!("/api/v1/search?{}", near("拉面")), None).await.json();
    assert_eq!(r["results"][0]["kind"], "store");
    assert!((95..=105).contains(&r["results"][0]["distance_m"].as_u64().unwrap_or(0)));
}

#[tokio::test]
async fn english_matches_any_case_and_ranks_full_matches_first() {
    let app = TestApp::spawn().await;
    city(&app).await;
    assert_eq!(search(&app, &near("BEEF")).await, vec!["兰州牛肉面 Lanzhou Noodles"]);
    assert_eq!(search(&app, &near("latte")).await, vec!["Moka Coffee 摩卡咖啡"]);
    let both = search(&app, "q=hotpot%20spicy").await;
    assert_eq!(both.first().map(String::as_str), Some("重庆火锅 Chongqing Hotpot"), "{both:?}");
}

#[tokio::test]
async fn a_renamed_store_is_found_by_its_new_name_at_once() {
    let app = TestApp::spawn().await;
    let (admin, ids) = city(&app).await;
    let r = app
        .put(
            &format!("/api/v1/stores/{}", ids[2]),
            &json!({"name": "Bubble Tea 奶茶铺", "location": at(0.0, 200.0)}),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(search(&app, &near("奶茶")).await, vec!["Bubble Tea 奶茶铺"]);
    assert!(search(&app, &near("coffee")).await.is_empty());
}

#[tokio::test]
async fn completions_follow_the_prefix_and_forgive_a_typo() {
    let app = TestApp::spawn().await;
    city(&app).await;
    let s = app.get("/api/v1/search/suggest?q=hotp", None).await.json();
    assert_eq!(s["suggestions"][0], "hotpot");
    let typo = app.get("/api/v1/search/suggest?q=hitp", None).await.json();
    assert_eq!(typo["suggestions"][0], "hotpot");
    let zh = app.get("/api/v1/search/suggest?q=火", None).await.json();
    assert!(zh["suggestions"].as_array().into_iter().flatten().any(|w| w == "火锅"), "{zh}");
}

#[tokio::test]
async fn bad_searches_are_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let long = "tea".repeat(3_334);
    for (query, field) in [
        ("q=", "q"),
        ("q=%20%20", "q"),
        ("q=!!!", "q"),
        (&*format!("q={long}"), "q"),
        ("q=tea&lat=31.2", "lng"),
        ("q=tea&lng=121", "lat"),
        ("q=tea&lat=31&lng=121&radius_m=0", "radius_m"),
        ("q=tea&limit=1000", "limit"),
        ("q=tea&category=casino", "category"),
    ] {
        let r = app.get(&format!("/api/v1/search?{query}"), None).await;
        assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some(field)), "{}", r.text);
    }
    assert_eq!(app.get("/api/v1/search/suggest?q=", None).await.status, 422);
}
