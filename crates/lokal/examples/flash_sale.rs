//! Flash-sale benchmark (秒杀): `buyers` people press "buy" at the same instant for `stock` units,
//! over HTTP against a real server on a fresh database; then the winners pay. Prints a Markdown
//! row for docs/benchmarks.md.
//!
//! ```sh
//! cargo run --release -p lokal --example flash_sale -- [--buyers 2000] [--stock 100] \
//!     [--database-url postgres://postgres@127.0.0.1:5432/postgres]
//! ```
//! With a PostgreSQL URL a fresh database is created next to the one named, and dropped after.

mod common;

use common::{Bench, flag, percentile};
use lokal_core::deal::{DealJson, UsageRulesJson};
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let buyers: usize = flag("--buyers").and_then(|v| v.parse().ok()).unwrap_or(2000);
    let stock: u32 = flag("--stock").and_then(|v| v.parse().ok()).unwrap_or(100);
    let bench = Bench::start(flag("--database-url").as_deref()).await?;
    let (app, base, backend) = (bench.app.clone(), bench.base.clone(), bench.backend);
    // A flash deal opening in two seconds.
    let now = app.now();
    let deal = app
        .create_deal(
            &bench.root,
            bench.merchant,
            DealJson {
                title: "秒杀 1-yuan hotpot".into(),
                description: String::new(),
                contents: Vec::new(),
                price: 100,
                original_price: 16_800,
                store_ids: vec![bench.store],
                sale_starts_at: Some(now.plus_secs(2).to_rfc3339()),
                sale_ends_at: now.plus_secs(3600).to_rfc3339(),
                valid_from: None,
                valid_until: now.plus_secs(86_400).to_rfc3339(),
                rules: UsageRulesJson::default(),
                uses_per_voucher: 1,
                stock,
                per_user_limit: 1,
                refundable: true,
                auto_refund_on_expiry: true,
                flash_sale: true,
                photos: Vec::new(),
            },
        )
        .await?;
    let tokens: Vec<String> = bench.crowd(buyers).await?.into_iter().map(|(_, t)| t).collect();
    let client = reqwest::Client::builder().pool_max_idle_per_host(buyers).build()?;
    while app.now() < now.plus_secs(2) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Everyone at once.
    let url = format!("{base}/api/v1/deals/{}/orders", deal.row.id);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(buyers);
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
    let mut results = Vec::with_capacity(buyers);
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
        buyers,
        stock,
        wall,
        buyers as f64 / wall,
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times.last().copied().unwrap_or(0.0),
        if ledger.holds() { "holds" } else { "BROKEN" },
    );
    bench.stop().await
}
