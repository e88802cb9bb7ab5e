//! Flash-sale benchmark (秒杀): `buyers` people press "buy" at the same instant for `stock` units,
//! over HTTP against a real server on a fresh database; then the winners pay. Prints a Markdown
//! row for docs/benchmarks.md.
//!
//! ```sh
//! cargo run --release -p lokal --example flash_sale -- [--buyers 2000] [--stock 100] \
//!     [--database-url postgres://postgres@127.0.0.1:5432/postgres]
//! ```
//! With a PostgreSQL URL a fresh database is created next to the one named, and dropped after.

use lokal::Application;
use lokal::config::Config;
use lokal_app::SystemClock;
use lokal_app::accounts::SessionKind;
use lokal_core::deal::{DealJson, UsageRulesJson};
use lokal_core::store::StoreProfileJson;
use lokal_core::{Principal, UserId};
use sqlx::Connection;
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Args {
    buyers: usize,
    stock: u32,
    database_url: Option<String>,
}

fn args() -> Args {
    let mut a = Args { buyers: 2000, stock: 100, database_url: None };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        match flag.as_str() {
            "--buyers" => a.buyers = value.parse().unwrap_or(a.buyers),
            "--stock" => a.stock = value.parse().unwrap_or(a.stock),
            "--database-url" => a.database_url = Some(value),
            other => eprintln!("ignoring {other}"),
        }
    }
    a
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted.get(((sorted.len().max(1) - 1) as f64 * p).round() as usize).copied().unwrap_or(0.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let a = args();
    let dir = tempfile::tempdir()?;
    let mut config = Config::default();
    config.server.port = 0;
    config.database.data_dir = dir.path().to_path_buf();
    config.payments.sandbox_delay_ms = 0;
    config.database.max_connections = 20;
    let mut drop_db = None;
    if let Some(url) = &a.database_url {
        let name = format!("lokal_flash_{}", uuid::Uuid::now_v7().simple());
        sqlx::any::install_default_drivers();
        let mut c = sqlx::AnyConnection::connect(url).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut c).await?;
        let (base, _) = url.rsplit_once('/').unwrap_or((url, ""));
        config.database.url = format!("{base}/{name}");
        drop_db = Some((url.clone(), name));
    }
    let backend = if a.database_url.is_some() { "PostgreSQL" } else { "SQLite" };
    let server = Application::build(&config, Arc::new(SystemClock)).await?;
    let base = format!("http://{}", server.local_addr()?);
    let app = server.app().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.run_until(async move {
        let _ = stopped.await;
    }));

    // A merchant, a store and a flash deal starting in two seconds.
    let (admin, _) = app.create_admin("bench@flash.lokal", "bench password").await?;
    let root = Principal { user_id: admin.id, grants: lokal_store::grants::for_user(app.db().pool(), admin.id).await? };
    let m = app.create_merchant(&root, "Flash Hotpot", None).await?;
    let store =
        app.create_store(&root, m.id, StoreProfileJson { name: "Flash Hotpot 1".into(), ..Default::default() }).await?;
    let now = app.now();
    let deal = app
        .create_deal(
            &root,
            m.id,
            DealJson {
                title: "秒杀 1-yuan hotpot".into(),
                description: String::new(),
                contents: Vec::new(),
                price: 100,
                original_price: 16_800,
                store_ids: vec![store.row.id],
                sale_starts_at: Some(now.plus_secs(2).to_rfc3339()),
                sale_ends_at: now.plus_secs(3600).to_rfc3339(),
                valid_from: None,
                valid_until: now.plus_secs(86_400).to_rfc3339(),
                rules: UsageRulesJson::default(),
                uses_per_voucher: 1,
                stock: a.stock,
                per_user_limit: 1,
                refundable: true,
                auto_refund_on_expiry: true,
                flash_sale: true,
            },
        )
        .await?;
    let mut tokens = Vec::with_capacity(a.buyers);
    for i in 0..a.buyers {
        let user = lokal_store::users::UserRow {
            id: UserId::generate(),
            email: Some(format!("buyer{i}@flash.lokal")),
            phone: None,
            password_hash: "!".into(),
            display_name: format!("Buyer {i}"),
            created_at: now.millis(),
            disabled: false,
        };
        lokal_store::users::insert(app.db().pool(), &user).await?;
        tokens.push(app.open_session(user.id, SessionKind::Api).await?.token);
    }
    let client = reqwest::Client::builder().pool_max_idle_per_host(a.buyers).build()?;
    while app.now() < now.plus_secs(2) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Everyone at once.
    let url = format!("{base}/api/v1/deals/{}/orders", deal.row.id);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(a.buyers);
    for (i, token) in tokens.iter().enumerate() {
        let (client, url, token) = (client.clone(), url.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let t = Instant::now();
            let r = client
                .post(&url)
                .bearer_auth(&token)
                .header("Idempotency-Key", format!("flash-{i}"))
                .json(&serde_json::json!({"quantity": 1}))
                .send()
                .await;
            let status = r.as_ref().map(|r| r.status().as_u16()).unwrap_or(0);
            let body = match r {
                Ok(r) => r.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            (status, body, t.elapsed().as_secs_f64() * 1000.0, token)
        }));
    }
    let mut results = Vec::with_capacity(a.buyers);
    for t in tasks {
        results.push(t.await?);
    }
    let wall = started.elapsed().as_secs_f64();
    let mut times: Vec<f64> = results.iter().map(|r| r.2).collect();
    times.sort_by(f64::total_cmp);
    let created = results.iter().filter(|r| r.0 == 201).count();
    let server_errors = results.iter().filter(|r| r.0 >= 500 || r.0 == 0).count();

    // The winners pay.
    let mut paid = 0usize;
    for (_, body, _, token) in results.iter().filter(|r| r.0 == 201) {
        let order: serde_json::Value = serde_json::from_str(body)?;
        let id = order["id"].as_str().unwrap_or_default();
        let p: serde_json::Value = client
            .post(format!("{base}/api/v1/orders/{id}/payments"))
            .bearer_auth(token)
            .header("Idempotency-Key", format!("pay-{id}"))
            .json(&serde_json::json!({}))
            .send()
            .await?
            .json()
            .await?;
        let reference = p["payment"]["provider_ref"].as_str().unwrap_or_default();
        client
            .post(format!("{base}/api/v1/sandbox/payments/{reference}"))
            .json(&serde_json::json!({"outcome": "succeed"}))
            .send()
            .await?;
        let o: serde_json::Value =
            client.get(format!("{base}/api/v1/orders/{id}")).bearer_auth(token).send().await?.json().await?;
        paid += usize::from(o["status"] == "paid");
    }
    let ledger = app.ledger_check().await?;
    println!(
        "| backend | buyers | stock | orders created | paid | 5xx | wall time | orders attempted/s | p50 | p99 | max | ledger |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    println!(
        "| {backend} | {} | {} | {created} | {paid} | {server_errors} | {:.2} s | {:.0} | {:.1} ms | {:.1} ms | {:.1} ms | {} |",
        a.buyers,
        a.stock,
        wall,
        a.buyers as f64 / wall,
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times.last().copied().unwrap_or(0.0),
        if ledger.holds() { "holds" } else { "BROKEN" },
    );
    let _ = stop.send(());
    let _ = serving.await;
    if let Some((url, name)) = drop_db {
        let mut c = sqlx::AnyConnection::connect(&url).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
            .execute(&mut c)
            .await?;
    }
    Ok(())
}
