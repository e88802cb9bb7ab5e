//! The crash test (issue I): eight clients buy and pay for deals at once against the real
//! binary, the server is killed with SIGKILL mid-way and started again on the same data (the
//! SQLite file, or a PostgreSQL database when `LOKAL_TEST_DATABASE_URL` names a server). Every
//! order a client saw paid is still paid with exactly its vouchers, no paid order has more
//! vouchers than it bought, no voucher code exists twice, and `lokal ledger check` passes.

use crate::cli::lokal;
use serde_json::{Value, json};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};

/// Where the data lives: `--data-dir` or `--database-url` arguments.
fn db_args(dir: &std::path::Path, url: Option<&str>) -> Vec<String> {
    match url {
        Some(u) => vec!["--database-url".into(), u.into()],
        None => vec!["--data-dir".into(), dir.to_str().expect("utf-8 path").into()],
    }
}

/// A running server, killed (SIGKILL) when dropped: a failing test leaves no server behind.
struct Running(Child);

impl Running {
    /// SIGKILL, and wait until it is gone.
    fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Starts `lokal serve` and returns it with its base URL.
fn serve(db: &[String]) -> (Running, String) {
    serve_with(db, 0)
}

/// Starts `lokal serve` whose sandbox confirms payments `delay_ms` after the payer's choice.
fn serve_with(db: &[String], delay_ms: u64) -> (Running, String) {
    let mut child = lokal()
        .args(["serve", "--port", "0"])
        .args(db)
        .env("LOKAL_PAYMENTS_PROVIDER", "sandbox")
        .env("LOKAL_PAYMENTS_SANDBOX_DELAY_MS", delay_ms.to_string())
        .env("LOKAL_PAYMENTS_WORKER_INTERVAL_SECS", "1")
        .env("LOKAL_AUTH_MAX_SIGNUPS_PER_IP", "100000")
        .env("LOKAL_AUTH_MAX_LOGINS_PER_IP", "100000")
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn lokal serve");
    let base = crate::cli::base_of(&mut child);
    (Running(child), base)
}

async fn send(c: &reqwest::Client, req: reqwest::RequestBuilder) -> Result<(u16, Value), reqwest::Error> {
    let _ = c;
    let r = req.send().await?;
    let status = r.status().as_u16();
    let body = r.json::<Value>().await.unwrap_or(Value::Null);
    Ok((status, body))
}

fn post(c: &reqwest::Client, base: &str, path: &str, body: &Value, token: Option<&str>) -> reqwest::RequestBuilder {
    let mut r = c.post(format!("{base}{path}")).json(body).header("Idempotency-Key", uuid::Uuid::now_v7().to_string());
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    r
}

/// An order's voucher codes, sorted.
fn codes_of(order: &Value) -> Vec<String> {
    let mut codes: Vec<String> = order["vouchers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["code"].as_str())
        .map(str::to_owned)
        .collect();
    codes.sort();
    codes
}

/// An operator, a merchant with a store and a coffee deal, and `n` buyers, made through the API
/// of the server at `base` over `db`: the deal's id and the buyers' tokens.
async fn city(db: &[String], base: &str, n: usize) -> (String, Vec<String>) {
    let made = lokal()
        .args(["admin", "create", "--email", "ops@crash.test", "--password", "crash password"])
        .args(db)
        .output()
        .expect("admin create");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));

    let c = reqwest::Client::new();
    let login =
        |who: &str, pw: &str| post(&c, base, "/api/v1/auth/login", &json!({"login": who, "password": pw}), None);
    let (_, admin) = send(&c, login("ops@crash.test", "crash password")).await.expect("login");
    let admin = admin["token"].as_str().expect("admin token").to_owned();
    let register = |email: String| {
        post(&c, base, "/api/v1/auth/register", &json!({"email": email, "password": "correct horse"}), None)
    };
    let (_, owner) = send(&c, register("owner@crash.test".into())).await.expect("owner");
    let (owner_token, owner_id) = (owner["token"].as_str().expect("token").to_owned(), owner["user"]["id"].clone());
    let (_, m) = send(
        &c,
        post(&c, base, "/api/v1/merchants", &json!({"name": "Crash Café", "owner_user_id": owner_id}), Some(&admin)),
    )
    .await
    .expect("merchant");
    let merchant = m["id"].as_str().expect("merchant").to_owned();
    let store = json!({"name": "Crash Café", "location": {"lat": 31.2304, "lng": 121.4737}});
    let (_, s) = send(&c, post(&c, base, &format!("/api/v1/merchants/{merchant}/stores"), &store, Some(&owner_token)))
        .await
        .expect("store");
    let store = s["id"].as_str().expect("store").to_owned();
    let in_days = |d: i64| {
        (time::OffsetDateTime::now_utc() + time::Duration::days(d))
            .format(&time::format_description::well_known::Rfc3339)
            .expect("time")
    };
    let deal = json!({"title": "咖啡 Coffee", "contents": [{"name": "Latte", "quantity": 1}], "price": 1800,
        "original_price": 2800, "store_ids": [store], "sale_ends_at": in_days(7), "valid_until": in_days(30), "stock": 100000});
    let (status, d) =
        send(&c, post(&c, base, &format!("/api/v1/merchants/{merchant}/deals"), &deal, Some(&owner_token)))
            .await
            .expect("deal");
    assert_eq!(status, 201, "{d}");
    let deal = d["id"].as_str().expect("deal").to_owned();
    let mut buyers = Vec::new();
    for i in 0..n {
        let (_, b) = send(&c, register(format!("buyer{i}@crash.test"))).await.expect("buyer");
        buyers.push(b["token"].as_str().expect("token").to_owned());
    }
    (deal, buyers)
}

/// A PostgreSQL database of the test's own when `LOKAL_TEST_DATABASE_URL` names a server:
/// (admin URL, name, URL).
async fn own_database() -> Option<(String, String, String)> {
    match std::env::var("LOKAL_TEST_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => {
            use sqlx::Connection;
            sqlx::any::install_default_drivers();
            let name = format!("lokal_crash_{}", uuid::Uuid::now_v7().simple());
            let mut c = sqlx::AnyConnection::connect(&admin).await.expect("connect");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut c).await.expect("create");
            let (base, _) = admin.rsplit_once('/').expect("URL with a database");
            Some((admin.clone(), name.clone(), format!("{base}/{name}")))
        }
        _ => None,
    }
}

/// Drops the test's PostgreSQL database.
async fn drop_database(pg: Option<(String, String, String)>) {
    if let Some((admin, name, _)) = pg {
        use sqlx::Connection;
        if let Ok(mut c) = sqlx::AnyConnection::connect(&admin).await {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                .execute(&mut c)
                .await;
        }
    }
}

/// An order a client saw paid: (buyer's token, order id, quantity, voucher codes).
type Seen = (String, String, usize, Vec<String>);

/// One client: buy, pay, confirm, look — until the server goes away or `rounds` are done.
async fn client(base: String, token: String, deal: String, seen: Arc<Mutex<Vec<Seen>>>, rounds: usize) {
    let c = reqwest::Client::new();
    for i in 0..rounds {
        let quantity = 1 + i % 2;
        let Ok((201, order)) = send(
            &c,
            post(&c, &base, &format!("/api/v1/deals/{deal}/orders"), &json!({"quantity": quantity}), Some(&token)),
        )
        .await
        else {
            return;
        };
        let id = order["id"].as_str().unwrap_or_default().to_owned();
        let Ok((201, pay)) =
            send(&c, post(&c, &base, &format!("/api/v1/orders/{id}/payments"), &json!({}), Some(&token))).await
        else {
            return;
        };
        let reference = pay["payment"]["provider_ref"].as_str().unwrap_or_default().to_owned();
        let done =
            post(&c, &base, &format!("/api/v1/sandbox/payments/{reference}"), &json!({"outcome": "succeed"}), None);
        if send(&c, done).await.is_err() {
            return;
        }
        let Ok((200, o)) = send(&c, c.get(format!("{base}/api/v1/orders/{id}")).bearer_auth(&token)).await else {
            return;
        };
        if o["status"] == "paid" {
            seen.lock().expect("seen").push((token.clone(), id, quantity, codes_of(&o)));
        }
    }
}

#[tokio::test]
async fn a_server_killed_mid_purchase_keeps_every_paid_order_and_the_books() {
    let dir = tempfile::tempdir().expect("dir");
    let pg = own_database().await;
    let db = db_args(dir.path(), pg.as_ref().map(|p| p.2.as_str()));
    let (mut server, base) = serve(&db);
    let (deal, buyers) = city(&db, &base, 8).await;

    // Eight clients at once; the server is killed once they have seen 24 orders paid.
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let clients: Vec<_> =
        buyers.iter().map(|t| tokio::spawn(client(base.clone(), t.clone(), deal.clone(), seen.clone(), 200))).collect();
    for _ in 0..600 {
        if seen.lock().expect("seen").len() >= 24 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    server.kill();
    for cl in clients {
        cl.await.expect("client");
    }
    let seen = seen.lock().expect("seen").clone();
    assert!(seen.len() >= 24, "only {} orders paid before the kill", seen.len());

    // Started again on the same data: everything acknowledged is there, exactly once.
    let (mut server, base) = serve(&db);
    let c = reqwest::Client::new();
    for (token, id, quantity, codes) in &seen {
        let (status, o) =
            send(&c, c.get(format!("{base}/api/v1/orders/{id}")).bearer_auth(token)).await.expect("order");
        assert_eq!((status, o["status"].as_str()), (200, Some("paid")), "{o}");
        let now = codes_of(&o);
        assert_eq!((now.len(), &now), (*quantity, codes), "order {id} keeps exactly its vouchers");
    }
    let mut all_codes = Vec::new();
    for token in &buyers {
        let (_, orders) =
            send(&c, c.get(format!("{base}/api/v1/me/orders?limit=100")).bearer_auth(token)).await.expect("orders");
        for o in orders["items"].as_array().into_iter().flatten() {
            let id = o["id"].as_str().expect("id");
            let (_, full) =
                send(&c, c.get(format!("{base}/api/v1/orders/{id}")).bearer_auth(token)).await.expect("order");
            let vouchers = codes_of(&full);
            let quantity = full["breakdown"]["quantity"].as_u64().unwrap_or(0) as usize;
            if full["status"] == "paid" {
                assert_eq!(vouchers.len(), quantity, "a paid order has exactly its vouchers: {full}");
            } else {
                assert!(vouchers.is_empty(), "an unpaid order has none: {full}");
            }
            all_codes.extend(vouchers);
        }
    }
    let issued = all_codes.len();
    all_codes.sort();
    all_codes.dedup();
    assert_eq!(all_codes.len(), issued, "no voucher code is issued twice");
    server.kill();
    let check = lokal().args(["ledger", "check"]).args(&db).output().expect("ledger check");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));

    drop_database(pg).await;
}
/// The payer chose on the sandbox's page and the server was killed (SIGKILL) during the
/// sandbox's delay, before its confirmation went out: started again, it delivers the kept
/// confirmation and the order is paid with its voucher (before issue K the order stayed pending).
#[tokio::test]
async fn a_server_killed_during_the_sandbox_delay_confirms_the_payment_after_restart() {
    let dir = tempfile::tempdir().expect("dir");
    let pg = own_database().await;
    let db = db_args(dir.path(), pg.as_ref().map(|p| p.2.as_str()));
    let (mut server, base) = serve_with(&db, 3_000);
    let (deal, buyers) = city(&db, &base, 1).await;
    let c = reqwest::Client::new();
    let token = &buyers[0];
    let (_, order) =
        send(&c, post(&c, &base, &format!("/api/v1/deals/{deal}/orders"), &json!({"quantity": 1}), Some(token)))
            .await
            .expect("order");
    let id = order["id"].as_str().expect("order id").to_owned();
    let (_, pay) = send(&c, post(&c, &base, &format!("/api/v1/orders/{id}/payments"), &json!({}), Some(token)))
        .await
        .expect("pay");
    let reference = pay["payment"]["provider_ref"].as_str().expect("ref").to_owned();
    let choice =
        post(&c, &base, &format!("/api/v1/sandbox/payments/{reference}"), &json!({"outcome": "succeed"}), None);
    let (status, _) = send(&c, choice).await.expect("choice");
    assert_eq!(status, 202);
    server.kill();

    let (mut server, base) = serve_with(&db, 3_000);
    let mut last = Value::Null;
    for _ in 0..100 {
        let (_, o) = send(&c, c.get(format!("{base}/api/v1/orders/{id}")).bearer_auth(token)).await.expect("order");
        if o["status"] == "paid" {
            last = o;
            break;
        }
        last = o;
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!((last["status"].as_str(), codes_of(&last).len()), (Some("paid"), 1), "{last}");
    server.kill();
    let check = lokal().args(["ledger", "check"]).args(&db).output().expect("ledger check");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    drop_database(pg).await;
}
