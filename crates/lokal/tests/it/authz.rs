//! The authorization matrix (issue I). Every operation of the OpenAPI document is called as
//! twelve kinds of caller — anonymous, two consumers, two merchants' owners, a manager, a clerk
//! of this store and of another merchant's, two riders, a promoter and an operator — against
//! objects of the first merchant, its store, the first consumer's orders and the first rider's
//! task, and each answer's status code is compared with `tests/data/authz.csv`; every page route
//! of the web crate (GET) the same way against `tests/data/authz-pages.csv`. An operation or a
//! page without a row fails the test, as does any 5xx.
//!
//! The tables are the reviewed truth: when an operation is added or a rule changes on purpose,
//! run the test with `LOKAL_AUTHZ_WRITE=1` to rewrite them from what the server does, and read
//! the diff (a consumer's `200` on an operators' row is a hole, not a new row).
//!
//! Bodies are generated from the operation's schema (required fields, right types), so that a
//! call gets past parsing to the rules; the outcome of a permitted call may then be a 2xx, a 409
//! or a 422 — what matters is that forbidden callers get 401, 403 or 404 and nobody a 5xx.
//! Calls run in a fixed order (reads, then writes, then removals and ends) on one world, so the
//! table is deterministic; the dispatcher stands aside (grab mode) so that no background
//! decision changes it.

use crate::harness::TestApp;
use crate::kitchen::{at, kitchen, order_and_pay, rider};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;

const CALLERS: [&str; 12] = [
    "anonymous",
    "consumer",
    "consumer2",
    "owner",
    "owner2",
    "manager",
    "clerk",
    "clerk2",
    "rider",
    "rider2",
    "promoter",
    "operator",
];

/// The callers' tokens (none for anonymous) and the values of path parameters.
struct World {
    tokens: Vec<Option<String>>,
    params: BTreeMap<&'static str, String>,
}

async fn world(app: &TestApp) -> World {
    let k = kitchen(app).await;
    let (manager, _) = app.user("authz-manager@test.lokal").await;
    app.hire(&k.merchant, &json!({"login": "authz-manager@test.lokal", "role": "manager"}), &k.owner, &manager).await;
    let (owner2, owner2_id) = app.user("authz-owner2@test.lokal").await;
    let b = app.post("/api/v1/merchants", &json!({"name": "Rival", "owner_user_id": owner2_id}), Some(&k.admin)).await;
    let merchant2 = b.json()["id"].as_str().expect("merchant").to_owned();
    let s = app
        .post(
            &format!("/api/v1/merchants/{merchant2}/stores"),
            &json!({"name": "Rival store", "location": at(2_000.0)}),
            Some(&owner2),
        )
        .await;
    let store2 = s.json()["id"].as_str().expect("store").to_owned();
    let (clerk2, _) = app.user("authz-clerk2@test.lokal").await;
    let body = json!({"login": "authz-clerk2@test.lokal", "role": "clerk", "store_ids": [store2]});
    app.hire(&merchant2, &body, &owner2, &clerk2).await;
    let (consumer2, _) = app.user("authz-consumer2@test.lokal").await;
    let (rider1, _) = rider(app, &k, "authz-rider1@test.lokal", 200.0).await;
    let (rider2, _) = rider(app, &k, "authz-rider2@test.lokal", 300.0).await;
    let (promoter, promoter_id) = app.user("authz-promoter@test.lokal").await;
    let g = app
        .post(&format!("/api/v1/admin/users/{promoter_id}/grants"), &json!({"role": "promoter"}), Some(&k.admin))
        .await;
    assert_eq!(g.status, 201, "{}", g.text);
    let (_, victim) = app.user("authz-victim@test.lokal").await;

    // The first consumer's deal order (paid, with a voucher) and delivery order (taken by rider 1).
    let deal = json!({"title": "双人套餐", "contents": [{"name": "牛肉面", "quantity": 2}], "price": 5000,
        "original_price": 6000, "store_ids": [k.store], "sale_ends_at": crate::commerce::rfc3339(app, 7 * 86_400),
        "valid_until": crate::commerce::rfc3339(app, 30 * 86_400), "stock": 100});
    let d = app.post(&format!("/api/v1/merchants/{}/deals", k.merchant), &deal, Some(&k.owner)).await;
    assert_eq!(d.status, 201, "{}", d.text);
    let deal = d.json()["id"].as_str().expect("deal").to_owned();
    let bought = crate::commerce::buy(app, &deal, &k.consumer, 1).await;
    let voucher = bought["vouchers"][0]["id"].as_str().expect("voucher").to_owned();
    let code = bought["vouchers"][0]["code"].as_str().expect("code").to_owned();
    let reference = bought["payments"][0]["provider_ref"].as_str().unwrap_or("sbx_none").to_owned();
    let order = order_and_pay(app, &k.delivery_cart(), &k.consumer).await;
    assert_eq!(app.post(&format!("/api/v1/orders/{order}/accept"), &json!({}), Some(&k.clerk)).await.status, 200);
    let offers = app.get("/api/v1/rider/offers", Some(&rider1)).await.json();
    let task = offers["items"][0]["id"].as_str().expect("an offer").to_owned();
    assert_eq!(app.post(&format!("/api/v1/rider/offers/{task}/grab"), &json!({}), Some(&rider1)).await.status, 204);
    let q = app.post("/api/v1/quotes", &k.cart("pickup"), Some(&k.consumer)).await;
    let quote = q.json()["id"].as_str().expect("quote").to_owned();
    let batch = json!({"title": "满100减20", "benefit": {"kind": "amount_off", "off": 2000, "threshold": 10000},
        "claim_until": crate::commerce::rfc3339(app, 7 * 86_400), "valid_days": 7, "quantity": 100});
    let bt = app.post(&format!("/api/v1/merchants/{}/coupon-batches", k.merchant), &batch, Some(&k.owner)).await;
    let batch = bt.json()["id"].as_str().expect("batch").to_owned();
    // Invited: someone who is none of the callers (so that no caller changes rank mid-table).
    let inv = app
        .post(
            &format!("/api/v1/merchants/{}/staff", k.merchant),
            &json!({"login": "authz-invitee@test.lokal", "role": "clerk"}),
            Some(&k.owner),
        )
        .await;
    let invitation = inv.json()["id"].as_str().expect("invitation").to_owned();
    let chat = app
        .post(&format!("/api/v1/stores/{}/chat", k.store), &json!({"body": "还有位子吗？"}), Some(&k.consumer))
        .await;
    assert_eq!(chat.status, 201, "{}", chat.text);
    let chat = chat.json()["thread"]["id"].as_str().expect("chat").to_owned();
    // Objects the matrix does not create get an id nobody has: the answer must still be 403
    // for those who may not ask, before anything says it does not exist.
    let nobody = || "01a20853-55f8-72d3-aa75-e5bfb9628eb4".to_owned();
    let params = BTreeMap::from([
        ("merchant_id", k.merchant.clone()),
        ("store_id", k.store.clone()),
        ("order_id", order),
        ("user_id", victim),
        ("delivery_id", task),
        ("review_id", nobody()),
        ("invitation_id", invitation),
        ("campaign_id", nobody()),
        ("campaign_link_id", nobody()),
        ("item_id", k.noodles.clone()),
        ("deal_id", deal),
        ("chat_id", chat),
        ("batch_id", batch),
        ("application_id", nobody()),
        ("address_id", nobody()),
        ("voucher_id", voucher),
        ("tag", "vip".to_owned()),
        ("role", "promoter".to_owned()),
        ("redemption_id", nobody()),
        ("quote_id", quote),
        ("provider", "sandbox".to_owned()),
        ("provider_ref", reference.clone()),
        ("reference", reference),
        ("message_id", nobody()),
        ("media_id", nobody()),
        ("code", code),
        ("card_id", nobody()),
        ("template_id", nobody()),
        ("id", nobody()),
    ]);
    let tokens = vec![
        None,
        Some(k.consumer),
        Some(consumer2),
        Some(k.owner),
        Some(owner2),
        Some(manager),
        Some(k.clerk),
        Some(clerk2),
        Some(rider1),
        Some(rider2),
        Some(promoter),
        Some(k.admin),
    ];
    World { tokens, params }
}

/// `path` with every `{name}` replaced from the world (an unknown name gets an id nobody has).
fn fill(path: &str, w: &World) -> String {
    let mut out = String::new();
    for part in path.split('/').filter(|p| !p.is_empty()) {
        out.push('/');
        match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(name) => {
                out.push_str(w.params.get(name).map_or("01a20853-55f8-72d3-aa75-e5bfb9628eb5", String::as_str))
            }
            None => out.push_str(part),
        }
    }
    out
}

/// The schema `s` with `$ref`s resolved against the document.
fn resolve<'a>(doc: &'a Value, s: &'a Value) -> &'a Value {
    match s["$ref"].as_str() {
        Some(r) => resolve(doc, &doc["components"]["schemas"][r.rsplit('/').next().unwrap_or_default()]),
        None => s,
    }
}

/// A value that fits schema `s`: required fields only, the first choice of an enum or a union.
fn sample(doc: &Value, s: &Value, depth: u32) -> Value {
    let s = resolve(doc, s);
    if depth > 6 {
        return Value::Null;
    }
    if let Some(first) = s["oneOf"].as_array().or(s["anyOf"].as_array()).and_then(|v| v.first()) {
        return sample(doc, first, depth + 1);
    }
    if let Some(parts) = s["allOf"].as_array() {
        let mut merged = Map::new();
        for p in parts {
            if let Value::Object(o) = sample(doc, p, depth + 1) {
                merged.extend(o);
            }
        }
        return Value::Object(merged);
    }
    if let Some(v) = s["enum"].as_array().and_then(|v| v.first()) {
        return v.clone();
    }
    if let Some(v) = s.get("const") {
        return v.clone();
    }
    let kind = match &s["type"] {
        Value::String(t) => t.clone(),
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("null").to_owned(),
        _ if s["properties"].is_object() => "object".to_owned(),
        _ => "null".to_owned(),
    };
    match kind.as_str() {
        "object" => {
            let mut o = Map::new();
            for name in s["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                o.insert(name.to_owned(), sample(doc, &s["properties"][name], depth + 1));
            }
            Value::Object(o)
        }
        "array" => match s["minItems"].as_u64() {
            Some(n) if n > 0 => Value::Array(vec![sample(doc, &s["items"], depth + 1)]),
            _ => json!([]),
        },
        "integer" => json!(s["minimum"].as_i64().unwrap_or(1).max(1)),
        "number" => json!(1.0),
        "boolean" => json!(false),
        "string" => match s["format"].as_str() {
            Some("date-time") => json!("2030-01-01T00:00:00Z"),
            Some("uuid") => json!("01a20853-55f8-72d3-aa75-e5bfb9628eb6"),
            _ => json!("x"),
        },
        _ => Value::Null,
    }
}

/// Calls run in this order: reads, writes, then what removes or ends things (so that a
/// permitted removal cannot change what later rows see), leaving a staff, logging out last.
fn phase(method: &str, path: &str) -> u8 {
    let ending = ["/disable", "/revoke", "/suspend", "/cancel", "/reject", "/decline", "/refunds"];
    match method {
        _ if path.ends_with("/logout") => 5,
        _ if path.ends_with("/leave") => 4,
        "get" => 0,
        "delete" => 3,
        _ if ending.iter().any(|e| path.ends_with(e)) => 2,
        _ => 1,
    }
}

fn table_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

/// Compares `seen` (row → codes per caller) with the table file, or writes it with
/// `LOKAL_AUTHZ_WRITE=1`.
fn check(name: &str, seen: &BTreeMap<String, Vec<u16>>) {
    let mut text = format!("# {name}: the status code each caller gets; see crates/lokal/tests/it/authz.rs\n");
    text.push_str(&format!("operation,{}\n", CALLERS.join(",")));
    for (row, codes) in seen {
        let codes: Vec<String> = codes.iter().map(u16::to_string).collect();
        text.push_str(&format!("{row},{}\n", codes.join(",")));
    }
    let path = table_path(name);
    if std::env::var("LOKAL_AUTHZ_WRITE").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &text).expect("write the table");
        return;
    }
    let kept = std::fs::read_to_string(&path).unwrap_or_default();
    let rows = |t: &str| -> BTreeMap<String, String> {
        t.lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("operation,"))
            .filter_map(|l| l.split_once(',').map(|(k, v)| (k.to_owned(), v.to_owned())))
            .collect()
    };
    let (kept, now) = (rows(&kept), rows(&text));
    let mut wrong = Vec::new();
    for (op, codes) in &now {
        match kept.get(op) {
            None => wrong.push(format!("{op}: no row in {name} (the server answers {codes})")),
            Some(k) if k != codes => wrong.push(format!("{op}: the table says {k}, the server answers {codes}")),
            Some(_) => {}
        }
    }
    for op in kept.keys().filter(|op| !now.contains_key(*op)) {
        wrong.push(format!("{op}: a row for an operation that no longer exists"));
    }
    assert!(
        wrong.is_empty(),
        "{} differences from {name} (callers: {}):\n{}",
        wrong.len(),
        CALLERS.join(","),
        wrong.join("\n")
    );
}

async fn call(app: &TestApp, method: &str, url: &str, token: Option<&str>, body: Option<&Value>) -> u16 {
    let full = format!("{}{url}", app.base);
    let mut req = match method {
        "get" => app.client.get(full),
        "post" => app.client.post(full),
        "put" => app.client.put(full),
        "patch" => app.client.patch(full),
        "delete" => app.client.delete(full),
        _ => unreachable!("methods are listed"),
    };
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if method != "get" {
        req = req.header("Idempotency-Key", uuid::Uuid::now_v7().to_string());
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    let r = app.send(req).await;
    assert!(r.status < 500, "{method} {url} answered {}: {}", r.status, r.text);
    r.status
}

#[tokio::test]
async fn every_operation_answers_each_kind_of_caller_as_the_table_says() {
    let grab = lokal_app::delivery_settings::DispatchMode::Grab;
    let app = TestApp::spawn_config(|c| c.delivery.dispatch_mode = grab).await;
    let w = world(&app).await;
    let doc = app.get("/api/v1/openapi.json", None).await.json();
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("operations") {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                ops.push((phase(method, path), path.clone(), method.clone(), op.clone()));
            }
        }
    }
    ops.sort_by(|a, b| (a.0, &a.1, &a.2).cmp(&(b.0, &b.1, &b.2)));
    assert!(ops.len() > 150, "only {} operations", ops.len());
    let mut seen = BTreeMap::new();
    for (_, path, method, op) in &ops {
        let mut url = fill(path, &w);
        let query: Vec<String> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "query" && p["required"] == true)
            .map(|p| {
                let v = sample(&doc, &p["schema"], 0);
                let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                format!("{}={v}", p["name"].as_str().unwrap_or_default())
            })
            .collect();
        if !query.is_empty() {
            url = format!("{url}?{}", query.join("&"));
        }
        let schema = &op["requestBody"]["content"]["application/json"]["schema"];
        let body = (!schema.is_null()).then(|| sample(&doc, schema, 0));
        let mut codes = Vec::new();
        for token in &w.tokens {
            codes.push(call(&app, method, &url, token.as_deref(), body.as_ref()).await);
        }
        seen.insert(format!("{} {path}", method.to_uppercase()), codes);
    }
    check("authz.csv", &seen);
}

/// The page routes of the web crate, read from its sources (`.route("/path", get(…))`), so that
/// a new page has no row until someone writes it. Live streams and static files are left out.
fn page_routes() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../lokal-web/src");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("lokal-web sources") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("source");
        for chunk in text.split(".route(").skip(1) {
            let Some(rest) = chunk.trim_start().strip_prefix('"') else { continue };
            let Some((path, after)) = rest.split_once('"') else { continue };
            // The method router right after the path: `get(…)` (perhaps `.post(…)` after it).
            let handled = after.trim_start().trim_start_matches(',').trim_start();
            if path.starts_with('/')
                && handled.starts_with("get(")
                && !path.starts_with("/live/")
                && !path.starts_with("/static/")
            {
                out.push(path.to_owned());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[tokio::test]
async fn every_page_answers_each_kind_of_caller_as_the_table_says() {
    let grab = lokal_app::delivery_settings::DispatchMode::Grab;
    let app = TestApp::spawn_config(|c| c.delivery.dispatch_mode = grab).await;
    let w = world(&app).await;
    let routes = page_routes();
    assert!(routes.len() > 40, "only {} page routes found", routes.len());
    let mut seen = BTreeMap::new();
    for path in routes {
        let url = fill(&path, &w);
        let mut codes = Vec::new();
        for token in &w.tokens {
            codes.push(call(&app, "get", &url, token.as_deref(), None).await);
        }
        seen.insert(format!("GET {path}"), codes);
    }
    check("authz-pages.csv", &seen);
}
