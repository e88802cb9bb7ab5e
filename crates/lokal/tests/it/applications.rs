//! Joining the platform: apply, approve or reject, follow the status.

use crate::harness::TestApp;
use serde_json::{Value, json};

fn application(licence: &str) -> Value {
    let p = lokal_core::geo::LatLng::PEOPLES_SQUARE.offset_m(50.0, 50.0);
    json!({
        "business_name": "Sichuan Noodle Bar",
        "licence_number": licence,
        "category": "food",
        "contact_name": "Chen Jie",
        "contact_phone": "13900139000",
        "first_store": {"name": "Sichuan Noodle Bar · Fuzhou Rd", "tags": ["担担面"], "location": {"lat": p.lat(), "lng": p.lng()}}
    })
}

#[tokio::test]
async fn an_approved_applicant_owns_the_new_merchant_and_its_store_is_findable() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (applicant, applicant_id) = app.user("noodles@test.lokal").await;
    let filed = app.post("/api/v1/merchant-applications", &application("91310101ma1fpx1234"), Some(&applicant)).await;
    assert_eq!(filed.status, 201, "{}", filed.text);
    let id = filed.json()["id"].as_str().expect("id").to_owned();
    assert_eq!(filed.json()["status"], "pending");
    assert_eq!(filed.json()["licence_number"], "91310101MA1FPX1234");
    let queue = app.get("/api/v1/admin/merchant-applications?status=pending", Some(&admin)).await.json();
    assert_eq!(queue["items"][0]["id"], id.as_str());
    let approved =
        app.post(&format!("/api/v1/admin/merchant-applications/{id}/approve"), &json!({}), Some(&admin)).await;
    assert_eq!(approved.status, 200, "{}", approved.text);
    let merchant = approved.json()["merchant_id"].as_str().expect("merchant").to_owned();
    // The applicant is now the owner and sees their own status.
    let me = app.get("/api/v1/me", Some(&applicant)).await.json();
    assert_eq!(
        (me["grants"][0]["role"].as_str(), me["grants"][0]["merchant_id"].as_str()),
        (Some("owner"), Some(merchant.as_str()))
    );
    let mine = app.get("/api/v1/merchant-applications", Some(&applicant)).await.json();
    assert_eq!(
        (mine["items"][0]["status"].as_str(), mine["items"][0]["applicant_id"].as_str()),
        (Some("approved"), Some(applicant_id.as_str()))
    );
    let found = app.get("/api/v1/search?q=%E6%8B%85%E6%8B%85%E9%9D%A2", None).await.json(); // 担担面
    assert_eq!(found["results"][0]["merchant_id"], merchant.as_str());
    // A second decision is refused.
    let again = app
        .post(&format!("/api/v1/admin/merchant-applications/{id}/reject"), &json!({"reason": "late"}), Some(&admin))
        .await;
    assert_eq!((again.status, again.code().as_str()), (409, "conflict"));
}

#[tokio::test]
async fn a_rejected_applicant_sees_the_reason_and_may_apply_again() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (applicant, _) = app.user("again@test.lokal").await;
    let id = app.post("/api/v1/merchant-applications", &application("LIC-12345"), Some(&applicant)).await.json()["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let dup = app.post("/api/v1/merchant-applications", &application("lic-12345"), Some(&applicant)).await;
    assert_eq!((dup.status, dup.json()["error"]["field"].as_str()), (409, Some("licence_number")));
    let r = app
        .post(
            &format!("/api/v1/admin/merchant-applications/{id}/reject"),
            &json!({"reason": "The licence photo is unreadable."}),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mine = app.get("/api/v1/merchant-applications", Some(&applicant)).await.json();
    assert_eq!(mine["items"][0]["reason"], "The licence photo is unreadable.");
    assert_eq!(
        app.post("/api/v1/merchant-applications", &application("LIC-12345"), Some(&applicant)).await.status,
        201
    );
    let me = app.get("/api/v1/me", Some(&applicant)).await.json();
    assert_eq!(me["grants"], json!([]), "no merchant was created");
}

#[tokio::test]
async fn only_operators_decide_and_racing_approvals_create_one_merchant() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (applicant, _) = app.user("race@test.lokal").await;
    let id = app.post("/api/v1/merchant-applications", &application("RACE-0001"), Some(&applicant)).await.json()["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let approve = format!("/api/v1/admin/merchant-applications/{id}/approve");
    assert_eq!(app.post(&approve, &json!({}), Some(&applicant)).await.status, 403);
    assert_eq!(app.get("/api/v1/admin/merchant-applications", Some(&applicant)).await.status, 403);
    let empty = json!({});
    let results = crate::harness::join_all((0..4).map(|_| app.post(&approve, &empty, Some(&admin)))).await;
    let statuses: Vec<u16> = results.iter().map(|r| r.status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 409), "{statuses:?}");
    let me = app.get("/api/v1/me", Some(&applicant)).await.json();
    assert_eq!(me["grants"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn bad_applications_name_the_field() {
    let app = TestApp::spawn().await;
    let (applicant, _) = app.user("bad@test.lokal").await;
    let mut cases = Vec::new();
    for (key, value, field) in [
        ("licence_number", json!("x"), "licence_number"),
        ("category", json!("casino"), "category"),
        ("contact_phone", json!("12"), "contact_phone"),
        ("business_name", json!(""), "business_name"),
    ] {
        let mut body = application("GOOD-00001");
        body[key] = value;
        cases.push((body, field));
    }
    let mut bad_store = application("GOOD-00001");
    bad_store["first_store"]["location"] = json!({"lat": 100, "lng": 0});
    cases.push((bad_store, "first_store.location.lat"));
    for (body, field) in cases {
        let r = app.post("/api/v1/merchant-applications", &body, Some(&applicant)).await;
        assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some(field)), "{}", r.text);
    }
    assert_eq!(app.post("/api/v1/merchant-applications", &application("GOOD-00001"), None).await.status, 401);
    let admin = app.admin().await;
    assert_eq!(app.get("/api/v1/admin/merchant-applications?status=maybe", Some(&admin)).await.status, 422);
    let ghost = "/api/v1/admin/merchant-applications/01a20853-55f8-72d3-aa75-e5bfb9628eb4/approve";
    assert_eq!(app.post(ghost, &json!({}), Some(&admin)).await.status, 404);
}
