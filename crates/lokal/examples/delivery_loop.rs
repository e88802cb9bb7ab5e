//! The whole delivery loop over HTTP — quote, order, pay, accept, ready, a rider takes the task,
//! at the store, picked up, delivered with the consumer's code — with concurrent consumers, each
//! with a rider of their own (grab mode, so the test decides who carries what); then the live
//! dispatcher's decision time at city scale (460 riders, 100 open tasks) in process. Prints
//! Markdown tables for docs/benchmarks.md.
//!
//! ```sh
//! cargo run --release -p lokal --example delivery_loop -- [--loops 500] [--concurrency 16] \
//!     [--database-url postgres://postgres@127.0.0.1:5432/postgres]
//! ```

mod common;

use common::{Bench, flag, percentile};
use lokal_app::riders::RiderApplicationJson;
use lokal_core::geo::LatLng;
use lokal_core::store::{LatLngJson, StoreProfileJson};
use lokal_core::{Principal, Role, StaffRole, StoreScope};
use lokal_dispatch::live::{self, FreeRider, Geo, LiveParams, OpenTask};
use serde_json::{Value, json};
use std::time::Instant;

/// The steps of one loop, in order; each is one request.
const STEPS: [&str; 11] =
    ["quote", "order", "pay", "sandbox", "track", "accept", "ready", "grab", "arrived", "picked-up", "delivered"];

struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    async fn post(&self, path: &str, body: &Value, token: &str, key: Option<&str>) -> anyhow::Result<Value> {
        let mut req = self.http.post(format!("{}{path}", self.base)).bearer_auth(token).json(body);
        if let Some(k) = key {
            req = req.header("Idempotency-Key", k);
        }
        let res = req.send().await?;
        let status = res.status();
        let text = res.text().await?;
        anyhow::ensure!(status.is_success(), "{path}: {status} {text}");
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str, token: &str) -> anyhow::Result<Value> {
        let res = self.http.get(format!("{}{path}", self.base)).bearer_auth(token).send().await?;
        anyhow::ensure!(res.status().is_success(), "{path}: {}", res.status());
        Ok(res.json().await?)
    }
}

/// One loop; returns the time of each step in milliseconds.
async fn one_loop(
    c: &Client,
    cart: &Value,
    consumer: &str,
    rider: &str,
    store: &str,
    n: usize,
) -> anyhow::Result<Vec<f64>> {
    let mut times = Vec::with_capacity(STEPS.len());
    let mut t = Instant::now();
    let mut lap = |times: &mut Vec<f64>| {
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        t = Instant::now();
    };
    let q = c.post("/api/v1/quotes", cart, consumer, None).await?;
    lap(&mut times);
    let quote = q["id"].as_str().unwrap_or_default();
    let o = c.post(&format!("/api/v1/quotes/{quote}/order"), &json!({}), consumer, Some(&format!("o{n}"))).await?;
    lap(&mut times);
    let order = o["id"].as_str().unwrap_or_default().to_owned();
    let p = c.post(&format!("/api/v1/orders/{order}/payments"), &json!({}), consumer, Some(&format!("p{n}"))).await?;
    lap(&mut times);
    let reference = p["payment"]["provider_ref"].as_str().unwrap_or_default();
    c.post(&format!("/api/v1/sandbox/payments/{reference}"), &json!({"outcome": "succeed"}), consumer, None).await?;
    lap(&mut times);
    let code = c.get(&format!("/api/v1/orders/{order}/tracking"), consumer).await?["order"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    lap(&mut times);
    let accepted = c.post(&format!("/api/v1/orders/{order}/accept"), &json!({"prep_minutes": 5}), store, None).await?;
    lap(&mut times);
    let task = accepted["delivery"]["id"].as_str().unwrap_or_default().to_owned();
    c.post(&format!("/api/v1/orders/{order}/ready"), &json!({}), store, None).await?;
    lap(&mut times);
    c.post(&format!("/api/v1/rider/offers/{task}/grab"), &json!({}), rider, None).await?;
    lap(&mut times);
    for step in ["arrived", "picked-up"] {
        c.post(&format!("/api/v1/rider/tasks/{task}/{step}"), &json!({}), rider, None).await?;
        lap(&mut times);
    }
    c.post(&format!("/api/v1/rider/tasks/{task}/delivered"), &json!({"code": code}), rider, None).await?;
    lap(&mut times);
    Ok(times)
}

async fn http_loop(database_url: Option<&str>, loops: usize, concurrency: usize) -> anyhow::Result<()> {
    let bench = Bench::start_with(database_url, |c| {
        c.delivery.dispatch_mode = lokal_app::delivery_settings::DispatchMode::Grab;
        c.delivery.rider_capacity = 1_000;
    })
    .await?;
    let app = &bench.app;
    let here = LatLng::PEOPLES_SQUARE;
    let profile = StoreProfileJson {
        name: "Bench Noodles".into(),
        location: Some(LatLngJson { lat: here.lat(), lng: here.lng() }),
        hours: Some(lokal_core::hours::OpeningHoursJson::every_day(&["00:00-24:00"])),
        delivery: Some(true),
        delivery_radius_m: Some(3_000),
        ..Default::default()
    };
    let store = app.create_store(&bench.root, bench.merchant, profile).await?.row.id;
    let item =
        lokal_core::catalog::ItemJson { name: "牛肉面 Beef noodles".into(), price: 2_800, ..Default::default() };
    let item = app.create_item(&bench.root, bench.merchant, item).await?;
    let door = here.offset_m(800.0, 0.0);
    let cart = json!({"store_id": store, "mode": "delivery", "lines": [{"item_id": item.id, "quantity": 2}],
        "address": {"text": "88 Xizang Rd", "lat": door.lat(), "lng": door.lng()}});
    let consumers = bench.crowd(concurrency * 2 + 1).await?;
    let staff = format!("buyer{}@bench.lokal", concurrency * 2);
    app.seed_staff(bench.merchant, &staff, StaffRole::Manager, StoreScope::All).await?;
    let store_token = consumers[concurrency * 2].1.clone();
    let mut riders = Vec::new();
    for (user, token) in &consumers[concurrency..concurrency * 2] {
        let me = Principal { user_id: *user, grants: Vec::new() };
        let a =
            RiderApplicationJson { name: "Bench rider".into(), phone: "13800138000".into(), vehicle: "e-bike".into() };
        app.apply_rider(&me, a).await?;
        app.decide_rider(&bench.root, *user, true, "").await?;
        let me = Principal { user_id: *user, grants: lokal_store::grants::for_user(app.db().pool(), *user).await? };
        anyhow::ensure!(me.has_role(Role::Rider));
        app.start_shift(&me).await?;
        app.rider_location(&me, here.lat(), here.lng()).await?;
        riders.push(token.clone());
    }
    let client = Client { http: reqwest::Client::new(), base: bench.base.clone() };
    let started = Instant::now();
    let mut all: Vec<Vec<f64>> = Vec::new();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = (0..concurrency).map(|w| {
        let (client, cart, consumer, rider, store, next) =
            (&client, &cart, &consumers[w].1, &riders[w], &store_token, &next);
        async move {
            let mut mine = Vec::new();
            loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if n >= loops {
                    return Ok::<_, anyhow::Error>(mine);
                }
                mine.push(one_loop(client, cart, consumer, rider, store, n).await?);
            }
        }
    });
    for r in futures_join(workers).await {
        all.extend(r?);
    }
    let secs = started.elapsed().as_secs_f64();
    let report = bench.app.ledger_check().await?;
    println!("\n### Delivery loop over HTTP on {} ({loops} loops, {concurrency} workers)\n", bench.backend);
    println!(
        "{:.1} loops/s, {:.0} requests/s, ledger {}\n",
        loops as f64 / secs,
        (loops * STEPS.len()) as f64 / secs,
        if report.holds() { "holds" } else { "DOES NOT HOLD" }
    );
    println!("| step | p50 ms | p99 ms |\n| --- | ---: | ---: |");
    for (i, step) in STEPS.iter().enumerate() {
        let mut v: Vec<f64> = all.iter().map(|t| t[i]).collect();
        v.sort_by(f64::total_cmp);
        println!("| {step} | {:.1} | {:.1} |", percentile(&v, 0.5), percentile(&v, 0.99));
    }
    let mut whole: Vec<f64> = all.iter().map(|t| t.iter().sum()).collect();
    whole.sort_by(f64::total_cmp);
    println!("| whole loop | {:.1} | {:.1} |", percentile(&whole, 0.5), percentile(&whole, 0.99));
    bench.stop().await
}

/// Polls the futures together on this task (they borrow the bench, so they are not spawned).
async fn futures_join<F: std::future::Future>(futs: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut pinned: Vec<_> = futs.map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in pinned.iter_mut().enumerate() {
            if out[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => out[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending { std::task::Poll::Pending } else { std::task::Poll::Ready(()) }
    })
    .await;
    out.into_iter().flatten().collect()
}

/// The live policy's decision time: 460 riders (a tenth holding a task) and 100 waiting tasks
/// over 30 stores in a 6 km square, 1,000 decisions with fresh positions each time.
fn decisions() {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut unit = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let here = LatLng::PEOPLES_SQUARE;
    let mut times = Vec::with_capacity(1_000);
    let mut assigned = 0usize;
    for _ in 0..1_000 {
        let mut at = || {
            let p = here.offset_m((unit() - 0.5) * 6_000.0, (unit() - 0.5) * 6_000.0);
            Geo { lat: p.lat(), lng: p.lng() }
        };
        let stores: Vec<Geo> = (0..30).map(|_| at()).collect();
        let riders: Vec<FreeRider<usize, usize>> = (0..460)
            .map(|i| FreeRider { id: i, at: at(), load: u32::from(i % 10 == 0), pickups_pending: Vec::new() })
            .collect();
        let tasks: Vec<OpenTask<usize, usize>> = (0..100)
            .map(|i| OpenTask {
                id: i,
                store: i % 30,
                pickup: stores[i % 30],
                ready_at: (i as i64 % 15) * 60_000,
                dropoff: at(),
                placed_at: -600_000,
            })
            .collect();
        let t = Instant::now();
        assigned += live::assign(0, &tasks, &riders, &LiveParams::default()).len();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!("\n### Live dispatch decision (460 riders, 100 open tasks, one core)\n");
    println!(
        "| decisions | tasks assigned per decision | p50 ms | p99 ms | max ms |\n| ---: | ---: | ---: | ---: | ---: |"
    );
    println!(
        "| 1,000 | {:.1} | {:.3} | {:.3} | {:.3} |",
        assigned as f64 / 1_000.0,
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times.last().copied().unwrap_or(0.0)
    );
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let loops = flag("--loops").and_then(|v| v.parse().ok()).unwrap_or(500);
    let concurrency = flag("--concurrency").and_then(|v| v.parse().ok()).unwrap_or(16);
    decisions();
    http_loop(flag("--database-url").as_deref(), loops, concurrency).await
}
