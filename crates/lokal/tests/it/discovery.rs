//! Store profiles and nearby discovery: "what is good near me?".

use crate::harness::TestApp;
use lokal::demo::{CityOptions, seed};
use serde_json::{Value, json};

const CENTER: (f64, f64) = (31.2304, 121.4737);

/// A point `north_m`, `east_m` metres from the centre.
fn at(north_m: f64, east_m: f64) -> Value {
    let p = lokal_core::geo::LatLng::PEOPLES_SQUARE.offset_m(north_m, east_m);
    json!({"lat": p.lat(), "lng": p.lng()})
}

/// An operator token and a merchant to open stores in.
async fn merchant(app: &TestApp) -> (String, String) {
    let admin = app.admin().await;
    let m = app.post("/api/v1/merchants", &json!({"name": "City Eats"}), Some(&admin)).await;
    (admin, format!("/api/v1/merchants/{}/stores", m.json()["id"].as_str().expect("id")))
}

async fn open(app: &TestApp, token: &str, path: &str, body: Value) -> String {
    let r = app.post(path, &body, Some(token)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()["id"].as_str().expect("id").to_owned()
}

async fn nearby(app: &TestApp, query: &str) -> Value {
    let r = app.get(&format!("/api/v1/stores/nearby?lat={}&lng={}&{query}", CENTER.0, CENTER.1), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

fn names(v: &Value) -> Vec<String> {
    v["stores"].as_array().into_iter().flatten().map(|s| s["name"].as_str().unwrap_or("").to_owned()).collect()
}

#[tokio::test]
async fn nearby_lists_stores_nearest_first_with_distances_within_the_radius() {
    let app = TestApp::spawn().await;
    let (admin, stores) = merchant(&app).await;
    open(&app, &admin, &stores, json!({"name": "Far", "location": at(2_500.0, 0.0)})).await;
    open(&app, &admin, &stores, json!({"name": "Near", "location": at(0.0, 120.0)})).await;
    open(&app, &admin, &stores, json!({"name": "Middle", "location": at(-800.0, 0.0)})).await;
    open(&app, &admin, &stores, json!({"name": "Outside", "location": at(0.0, 9_000.0)})).await;
    open(&app, &admin, &stores, json!({"name": "Nowhere"})).await;
    let v = nearby(&app, "radius_m=3000").await;
    assert_eq!(names(&v), vec!["Near", "Middle", "Far"]);
    assert_eq!(v["count"], 3);
    let d: Vec<u64> =
        v["stores"].as_array().expect("list").iter().map(|s| s["distance_m"].as_u64().expect("distance")).collect();
    assert!((115..=125).contains(&d[0]) && (795..=805).contains(&d[1]) && (2_495..=2_505).contains(&d[2]), "{d:?}");
    assert_eq!(names(&nearby(&app, "radius_m=1000&limit=1").await), vec!["Near"]);
}

#[tokio::test]
async fn filters_narrow_the_list() {
    let app = TestApp::spawn().await;
    let (admin, stores) = merchant(&app).await;
    let always = json!({"mon": ["00:00-24:00"], "tue": ["00:00-24:00"], "wed": ["00:00-24:00"], "thu": ["00:00-24:00"], "fri": ["00:00-24:00"], "sat": ["00:00-24:00"], "sun": ["00:00-24:00"]});
    open(&app, &admin, &stores, json!({"name": "Cheap noodles", "location": at(100.0, 0.0), "avg_price": 2500, "hours": always, "pickup": true})).await;
    open(&app, &admin, &stores, json!({"name": "Fancy hotpot", "location": at(200.0, 0.0), "avg_price": 15000, "delivery": true, "delivery_radius_m": 3000})).await;
    open(&app, &admin, &stores, json!({"name": "Nail bar", "category": "beauty", "location": at(300.0, 0.0), "avg_price": 9000, "hours": always})).await;
    open(
        &app,
        &admin,
        &stores,
        json!({"name": "Short reach", "location": at(600.0, 0.0), "delivery": true, "delivery_radius_m": 100}),
    )
    .await;
    assert_eq!(names(&nearby(&app, "category=beauty").await), vec!["Nail bar"]);
    assert_eq!(names(&nearby(&app, "open_now=true").await), vec!["Cheap noodles", "Nail bar"]);
    assert_eq!(names(&nearby(&app, "max_avg_price=10000").await), vec!["Cheap noodles", "Nail bar"]);
    assert_eq!(names(&nearby(&app, "min_avg_price=5000&max_avg_price=20000").await), vec!["Fancy hotpot", "Nail bar"]);
    assert_eq!(
        names(&nearby(&app, "delivers=true").await),
        vec!["Fancy hotpot"],
        "Short reach does not deliver this far"
    );
    assert_eq!(names(&nearby(&app, "pickup=true").await), vec!["Cheap noodles"]);
    let v = nearby(&app, "open_now=true&category=food").await;
    assert_eq!(v["stores"][0]["open_now"], true);
}

#[tokio::test]
async fn ratings_and_sales_order_the_list_when_asked() {
    let app = TestApp::spawn().await;
    let (admin, stores) = merchant(&app).await;
    let mut ids = Vec::new();
    for (name, north, rating, sales) in
        [("Close ok", 100.0, 380, 10), ("Mid best", 900.0, 490, 50), ("Far popular", 2_500.0, 420, 5_000)]
    {
        let id = open(&app, &admin, &stores, json!({"name": name, "location": at(north, 0.0)})).await;
        lokal_store::stores::set_figures(app.app.db().pool(), id.parse().expect("id"), rating, sales)
            .await
            .expect("figures");
        ids.push(id);
    }
    app.app.rebuild_index().await.expect("rebuild");
    assert_eq!(names(&nearby(&app, "sort=rating").await), vec!["Mid best", "Far popular", "Close ok"]);
    assert_eq!(names(&nearby(&app, "sort=sales").await), vec!["Far popular", "Mid best", "Close ok"]);
    assert_eq!(names(&nearby(&app, "min_rating=4.2").await), vec!["Mid best", "Far popular"]);
    let recommended = names(&nearby(&app, "sort=recommended").await);
    assert_eq!(recommended.len(), 3);
    assert_eq!(nearby(&app, "sort=rating").await["stores"][0]["rating"], 4.9);
}

#[tokio::test]
async fn a_profile_change_is_findable_at_once_and_only_the_stores_managers_may_make_it() {
    let app = TestApp::spawn().await;
    let (admin, stores) = merchant(&app).await;
    let id = open(&app, &admin, &stores, json!({"name": "Moving", "location": at(0.0, 8_000.0)})).await;
    assert!(names(&nearby(&app, "").await).is_empty());
    let (stranger, _) = app.user("stranger@test.lokal").await;
    let moved = json!({"name": "Moved", "location": at(0.0, 50.0), "tags": ["火锅"]});
    assert_eq!(app.put(&format!("/api/v1/stores/{id}"), &moved, Some(&stranger)).await.status, 403);
    let r = app.put(&format!("/api/v1/stores/{id}"), &moved, Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(names(&nearby(&app, "").await), vec!["Moved"]);
    let page = app.get(&format!("/api/v1/stores/{id}"), None).await.json();
    assert_eq!((page["name"].as_str(), page["tags"][0].as_str()), (Some("Moved"), Some("火锅")));
    // Removing the location removes the store from nearby results.
    assert_eq!(app.put(&format!("/api/v1/stores/{id}"), &json!({"name": "Hidden"}), Some(&admin)).await.status, 200);
    assert!(names(&nearby(&app, "").await).is_empty());
}

#[tokio::test]
async fn bad_queries_are_422_naming_the_field_never_5xx() {
    let app = TestApp::spawn().await;
    for (query, field) in [
        ("lng=121.47", "lat"),
        ("lat=31.2", "lng"),
        ("lat=95&lng=121", "lat"),
        ("lat=31&lng=200", "lng"),
        ("lat=abc&lng=121", "lat"),
        ("lat=31&lng=121&radius_m=0", "radius_m"),
        ("lat=31&lng=121&radius_m=1e9", "radius_m"),
        ("lat=31&lng=121&radius_m=NaN", "radius_m"),
        ("lat=31&lng=121&limit=0", "limit"),
        ("lat=31&lng=121&limit=101", "limit"),
        ("lat=31&lng=121&category=casino", "category"),
        ("lat=31&lng=121&sort=random", "sort"),
        ("lat=31&lng=121&open_now=maybe", "open_now"),
        ("lat=31&lng=121&min_rating=6", "min_rating"),
        ("lat=31&lng=121&min_avg_price=10&max_avg_price=5", "max_avg_price"),
    ] {
        let r = app.get(&format!("/api/v1/stores/nearby?{query}"), None).await;
        assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some(field)), "{query}: {}", r.text);
    }
}

#[tokio::test]
async fn bad_profiles_are_422_naming_the_field_and_write_nothing() {
    let app = TestApp::spawn().await;
    let (admin, stores) = merchant(&app).await;
    for (body, field) in [
        (json!({"name": "X", "location": {"lat": 91, "lng": 0}}), "location.lat"),
        (json!({"name": "X", "category": "casino"}), "category"),
        (json!({"name": "X", "hours": {"mon": ["25:00-26:00"]}}), "hours.mon[0]"),
        (json!({"name": "X", "delivery": true}), "delivery_radius_m"),
        (json!({"name": "X", "photos": ["ftp://x"]}), "photos[0]"),
        (json!({"name": "X", "colour": "red"}), "colour"),
    ] {
        let r = app.post(&stores, &body, Some(&admin)).await;
        assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some(field)), "{body}: {}", r.text);
    }
    let listed = app.get(&stores, Some(&admin)).await.json();
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn the_demo_city_has_hundreds_of_stores_of_every_category_and_seeds_once() {
    let app = TestApp::spawn().await;
    assert!(seed(&app.app, CityOptions::default()).await.expect("seed"));
    assert!(!seed(&app.app, CityOptions::default()).await.expect("second seed is a no-op"));
    let all = nearby(&app, "radius_m=5000&limit=100").await;
    assert_eq!(all["count"], 100);
    let d: Vec<u64> =
        all["stores"].as_array().expect("list").iter().map(|s| s["distance_m"].as_u64().unwrap_or(0)).collect();
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "nearest first");
    for c in ["food", "beauty", "leisure", "hotel", "retail", "services"] {
        assert!(nearby(&app, &format!("radius_m=5000&category={c}")).await["count"].as_u64() > Some(0), "{c}");
    }
    assert_eq!(app.app.rebuild_index().await.expect("rebuild"), 240);
    let owner = app.login("owner@demo.lokal", "lokal-demo").await;
    assert_eq!(owner.status, 200);
}

#[tokio::test]
async fn a_delivery_area_decides_who_is_delivered_to_and_malformed_areas_are_refused() {
    let app = TestApp::spawn().await;
    let (admin, stores) = merchant(&app).await;
    // A narrow strip running north from the store: the centre (200 m south of the store) is
    // outside it although well within any radius.
    let corner = |n: f64, e: f64| {
        let p = lokal_core::geo::LatLng::PEOPLES_SQUARE.offset_m(n, e);
        json!({"lat": p.lat(), "lng": p.lng()})
    };
    let strip = json!([corner(100.0, -100.0), corner(100.0, 100.0), corner(3_000.0, 100.0), corner(3_000.0, -100.0)]);
    let id = open(
        &app,
        &admin,
        &stores,
        json!({"name": "Strip kitchen", "location": at(200.0, 0.0), "delivery": true, "delivery_area": strip}),
    )
    .await;
    assert!(names(&nearby(&app, "delivers=true").await).is_empty(), "the centre is outside the strip");
    let inside = app
        .get(
            &format!(
                "/api/v1/stores/nearby?lat={}&lng={}&delivers=true",
                at(1_000.0, 0.0)["lat"],
                at(1_000.0, 0.0)["lng"]
            ),
            None,
        )
        .await
        .json();
    assert_eq!(inside["stores"][0]["name"], "Strip kitchen");
    assert_eq!(inside["stores"][0]["delivers_here"], true);
    let page = app.get(&format!("/api/v1/stores/{id}"), None).await.json();
    assert_eq!(page["delivery_area"].as_array().map(Vec::len), Some(4));
    for (area, field) in [
        (json!([corner(0.0, 0.0), corner(10.0, 10.0)]), "delivery_area"),
        (json!([corner(0.0, 0.0), {"lat": 95, "lng": 0}, corner(10.0, 10.0)]), "delivery_area[1].lat"),
        (json!([corner(0.0, 0.0), corner(100.0, 100.0), corner(0.0, 100.0), corner(100.0, 0.0)]), "delivery_area"),
    ] {
        let r = app
            .post(
                &stores,
                &json!({"name": "Bad area", "location": at(0.0, 0.0), "delivery": true, "delivery_area": area}),
                Some(&admin),
            )
            .await;
        assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some(field)), "{}", r.text);
    }
}

#[tokio::test]
async fn large_demo_cities_are_written_in_batches_and_found_the_same_way() {
    let app = TestApp::spawn().await;
    let city = CityOptions { stores: 6_000, ..CityOptions::default() };
    assert!(seed(&app.app, city).await.expect("seed"));
    assert_eq!(app.app.rebuild_index().await.expect("rebuild"), 6_000);
    let v = nearby(&app, "radius_m=2000&limit=50&category=food").await;
    assert_eq!(v["count"], 50);
    let found = app.get("/api/v1/search?q=%E7%81%AB%E9%94%85&lat=31.2304&lng=121.4737", None).await.json(); // 火锅
    assert!(found["results"].as_array().is_some_and(|r| !r.is_empty()));
}
