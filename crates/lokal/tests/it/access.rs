//! Roles and ownership: one merchant's staff never reach another merchant's objects; store-scoped
//! staff see only their stores; only operators act platform-wide.

use crate::harness::TestApp;
use serde_json::{Value, json};

struct Chain {
    admin: String,
    merchant: String,
    store_a: String,
    store_b: String,
    owner: String,
}

/// A merchant with two stores and an owner.
async fn chain(app: &TestApp, name: &str) -> Chain {
    let admin = app.admin().await;
    let (owner, owner_id) = app.user(&format!("owner-{name}@test.lokal")).await;
    let m = app.post("/api/v1/merchants", &json!({"name": name, "owner_user_id": owner_id}), Some(&admin)).await;
    assert_eq!(m.status, 201, "{}", m.text);
    let merchant = m.json()["id"].as_str().expect("id").to_owned();
    let mut stores = Vec::new();
    for s in ["A", "B"] {
        let r = app
            .post(
                &format!("/api/v1/merchants/{merchant}/stores"),
                &json!({"name": format!("{name} {s}")}),
                Some(&owner),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        stores.push(r.json()["id"].as_str().expect("id").to_owned());
    }
    Chain { admin, merchant, store_a: stores[0].clone(), store_b: stores[1].clone(), owner }
}

fn ids(v: &Value) -> Vec<String> {
    v["items"].as_array().into_iter().flatten().filter_map(|s| s["id"].as_str().map(str::to_owned)).collect()
}

#[tokio::test]
async fn consumers_cannot_act_as_operators() {
    let app = TestApp::spawn().await;
    let (consumer, id) = app.user("c@test.lokal").await;
    let m = app.post("/api/v1/merchants", &json!({"name": "Mine"}), Some(&consumer)).await;
    assert_eq!((m.status, m.code().as_str()), (403, "forbidden"));
    assert_eq!(app.get("/api/v1/admin/users", Some(&consumer)).await.status, 403);
    let g = app
        .post(&format!("/api/v1/admin/users/{id}/grants"), &json!({"role": "platform_admin"}), Some(&consumer))
        .await;
    assert_eq!(g.status, 403);
}

#[tokio::test]
async fn one_merchants_staff_never_reach_another_merchant() {
    let app = TestApp::spawn().await;
    let hotpot = chain(&app, "Hotpot").await;
    let (other_owner, other_id) = app.user("owner-noodles@test.lokal").await;
    let noodles = app
        .post("/api/v1/merchants", &json!({"name": "Noodles", "owner_user_id": other_id}), Some(&hotpot.admin))
        .await;
    let noodles = noodles.json()["id"].as_str().expect("id").to_owned();
    let m = &hotpot.merchant;
    for r in [
        app.get(&format!("/api/v1/merchants/{m}"), Some(&other_owner)).await,
        app.get(&format!("/api/v1/merchants/{m}/stores"), Some(&other_owner)).await,
        app.get(&format!("/api/v1/merchants/{m}/staff"), Some(&other_owner)).await,
        app.put(&format!("/api/v1/stores/{}", hotpot.store_a), &json!({"name": "Taken over"}), Some(&other_owner))
            .await,
        app.post(&format!("/api/v1/merchants/{m}/stores"), &json!({"name": "Sneaky"}), Some(&other_owner)).await,
        app.post(
            &format!("/api/v1/merchants/{m}/staff"),
            &json!({"login": "owner-noodles@test.lokal", "role": "owner"}),
            Some(&other_owner),
        )
        .await,
    ] {
        assert_eq!((r.status, r.code().as_str()), (403, "forbidden"), "{}", r.text);
    }
    // The Hotpot owner equally cannot reach Noodles, and neither sees that an unknown store exists.
    assert_eq!(app.get(&format!("/api/v1/merchants/{noodles}"), Some(&hotpot.owner)).await.status, 403);
    let ghost = "/api/v1/stores/01a20853-55f8-72d3-aa75-e5bfb9628eb4";
    assert_eq!(app.put(ghost, &json!({"name": "X"}), Some(&hotpot.owner)).await.status, 403);
    assert_eq!(app.put(ghost, &json!({"name": "X"}), Some(&hotpot.admin)).await.status, 404);
    // Store pages themselves are public.
    assert_eq!(app.get(&format!("/api/v1/stores/{}", hotpot.store_a), None).await.status, 200);
}

#[tokio::test]
async fn a_store_clerk_sees_only_their_store_and_cannot_manage() {
    let app = TestApp::spawn().await;
    let c = chain(&app, "Hotpot").await;
    let (clerk, _) = app.user("clerk@test.lokal").await;
    let body = json!({"login": "clerk@test.lokal", "role": "clerk", "store_ids": [c.store_a]});
    let accepted = app.hire(&c.merchant, &body, &c.owner, &clerk).await;
    assert_eq!((accepted["status"].as_str(), accepted["store_ids"].clone()), (Some("accepted"), json!([c.store_a])));
    let grants = app.get("/api/v1/me", Some(&clerk)).await.json()["grants"].clone();
    assert_eq!(grants[0]["stores"], json!({"kind": "only", "store_ids": [c.store_a]}));
    let mine = app.get(&format!("/api/v1/merchants/{}/stores", c.merchant), Some(&clerk)).await;
    assert_eq!(ids(&mine.json()), vec![c.store_a.clone()]);
    assert_eq!(
        app.put(&format!("/api/v1/stores/{}", c.store_a), &json!({"name": "Mine now"}), Some(&clerk)).await.status,
        403
    );
    assert_eq!(
        app.put(&format!("/api/v1/stores/{}", c.store_b), &json!({"name": "Mine now"}), Some(&clerk)).await.status,
        403
    );
    assert_eq!(app.get(&format!("/api/v1/merchants/{}/staff", c.merchant), Some(&clerk)).await.status, 403);
    assert_eq!(
        app.post(&format!("/api/v1/merchants/{}/stores", c.merchant), &json!({"name": "X"}), Some(&clerk)).await.status,
        403
    );
    let owner_view = app.get(&format!("/api/v1/merchants/{}/stores", c.merchant), Some(&c.owner)).await;
    assert_eq!(ids(&owner_view.json()).len(), 2);
    let me = app.get("/api/v1/me", Some(&clerk)).await.json();
    assert_eq!(me["grants"][0]["role"], "clerk");
}

#[tokio::test]
async fn managers_add_clerks_but_only_owners_add_managers() {
    let app = TestApp::spawn().await;
    let c = chain(&app, "Hotpot").await;
    let (manager, _) = app.user("manager@test.lokal").await;
    let (new_clerk, _) = app.user("new-clerk@test.lokal").await;
    app.user("new-manager@test.lokal").await;
    let staff = format!("/api/v1/merchants/{}/staff", c.merchant);
    app.hire(&c.merchant, &json!({"login": "manager@test.lokal", "role": "manager"}), &c.owner, &manager).await;
    app.hire(&c.merchant, &json!({"login": "new-clerk@test.lokal", "role": "clerk"}), &manager, &new_clerk).await;
    assert_eq!(
        app.post(&staff, &json!({"login": "new-manager@test.lokal", "role": "manager"}), Some(&manager)).await.status,
        403
    );
    let again = app.post(&staff, &json!({"login": "new-clerk@test.lokal", "role": "clerk"}), Some(&c.owner)).await;
    assert_eq!((again.status, again.code().as_str()), (409, "conflict"), "already staff");
    let listed = app.get(&staff, Some(&manager)).await.json();
    let roles: Vec<_> = listed["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| s["grant"]["role"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(roles, vec!["owner", "manager", "clerk"]);
}

#[tokio::test]
async fn staff_are_removed_by_their_betters_and_lose_access_at_once_but_the_last_owner_stays() {
    let app = TestApp::spawn().await;
    let c = chain(&app, "Hotpot").await;
    let (manager, manager_id) = app.user("manager@test.lokal").await;
    let (clerk, clerk_id) = app.user("clerk@test.lokal").await;
    let staff = format!("/api/v1/merchants/{}/staff", c.merchant);
    for (login, role, token) in [("manager@test.lokal", "manager", &manager), ("clerk@test.lokal", "clerk", &clerk)] {
        app.hire(&c.merchant, &json!({"login": login, "role": role}), &c.owner, token).await;
    }
    assert_eq!(app.get(&format!("/api/v1/merchants/{}", c.merchant), Some(&clerk)).await.status, 200);
    // A clerk removes nobody; a manager cannot remove a manager; nobody is removed twice.
    assert_eq!(app.delete(&format!("{staff}/{manager_id}"), Some(&clerk)).await.status, 403);
    assert_eq!(app.delete(&format!("{staff}/{manager_id}"), Some(&manager)).await.status, 403);
    assert_eq!(app.delete(&format!("{staff}/{clerk_id}"), Some(&manager)).await.status, 204);
    assert_eq!(app.delete(&format!("{staff}/{clerk_id}"), Some(&manager)).await.status, 404);
    // The clerk's existing session no longer reaches the merchant.
    assert_eq!(app.get(&format!("/api/v1/merchants/{}", c.merchant), Some(&clerk)).await.status, 403);
    // The only owner cannot remove themself; the owner can remove the manager.
    let me = app.get("/api/v1/me", Some(&c.owner)).await.json();
    let owner_id = me["user"]["id"].as_str().expect("id").to_owned();
    let last = app.delete(&format!("{staff}/{owner_id}"), Some(&c.owner)).await;
    assert_eq!((last.status, last.code().as_str()), (409, "conflict"));
    assert_eq!(app.delete(&format!("{staff}/{manager_id}"), Some(&c.owner)).await.status, 204);
    let listed = app.get(&staff, Some(&c.owner)).await.json();
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
    // Another merchant's owner cannot touch this staff.
    let other = chain(&app, "Noodles").await;
    assert_eq!(app.delete(&format!("{staff}/{owner_id}"), Some(&other.owner)).await.status, 403);
}

#[tokio::test]
async fn staff_grants_name_only_the_merchants_own_stores() {
    let app = TestApp::spawn().await;
    let hotpot = chain(&app, "Hotpot").await;
    let noodles = chain(&app, "Noodles").await;
    app.user("x@test.lokal").await;
    let r = app
        .post(
            &format!("/api/v1/merchants/{}/staff", hotpot.merchant),
            &json!({"login": "x@test.lokal", "role": "clerk", "store_ids": [noodles.store_a]}),
            Some(&hotpot.owner),
        )
        .await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("stores")));
    let bad_role = app
        .post(
            &format!("/api/v1/merchants/{}/staff", hotpot.merchant),
            &json!({"login": "x@test.lokal", "role": "emperor"}),
            Some(&hotpot.owner),
        )
        .await;
    assert_eq!((bad_role.status, bad_role.json()["error"]["field"].as_str()), (422, Some("role")));
}

#[tokio::test]
async fn operators_grant_platform_roles_and_page_through_users() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut created = Vec::new();
    for i in 0..5 {
        created.push(app.user(&format!("p{i}@test.lokal")).await.1);
    }
    let grant =
        app.post(&format!("/api/v1/admin/users/{}/grants", created[0]), &json!({"role": "rider"}), Some(&admin)).await;
    assert_eq!((grant.status, grant.json()["role"].as_str()), (201, Some("rider")));
    let staff_role =
        app.post(&format!("/api/v1/admin/users/{}/grants", created[0]), &json!({"role": "owner"}), Some(&admin)).await;
    assert_eq!(staff_role.status, 422);
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = app.get(&format!("/api/v1/admin/users?limit=2&cursor={cursor}"), Some(&admin)).await.json();
        let items = ids(&page);
        assert!(items.len() <= 2);
        seen.extend(items);
        match page["next_cursor"].as_str() {
            Some(c) => cursor = c.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen.len(), 6, "the admin and five users, each once");
    assert!(created.iter().all(|c| seen.contains(c)));
}

#[tokio::test]
async fn operators_get_404_for_a_merchant_that_does_not_exist() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.user("someone@test.lokal").await;
    let ghost = "/api/v1/merchants/01a20853-55f8-72d3-aa75-e5bfb9628eb4";
    for r in [
        app.get(&format!("{ghost}/stores"), Some(&admin)).await,
        app.get(&format!("{ghost}/staff"), Some(&admin)).await,
        app.post(&format!("{ghost}/staff"), &json!({"login": "someone@test.lokal", "role": "clerk"}), Some(&admin))
            .await,
        app.post(&format!("{ghost}/stores"), &json!({"name": "Nowhere"}), Some(&admin)).await,
    ] {
        assert_eq!((r.status, r.code().as_str()), (404, "not_found"), "{}", r.text);
    }
}
