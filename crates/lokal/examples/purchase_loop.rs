//! Purchase + pay + redeem throughput over HTTP, against "the limit": a minimal HTTP handler that
//! does the same database writes in one transaction. Both run in the same process, on the same
//! database, with the same client concurrency. Prints a Markdown table for docs/benchmarks.md.
//!
//! ```sh
//! cargo run --release -p lokal --example purchase_loop -- [--loops 1000] [--concurrency 16] \
//!     [--database-url postgres://postgres@127.0.0.1:5432/postgres]
//! ```
//!
//! One Lokal loop is five requests: order (with an idempotency key), start payment, the sandbox
//! payer's "pay" (its signed webhook is verified and applied inline: delay 0), read the order for
//! the voucher code, redeem at the store. The minimal handler is one request whose transaction
//! takes stock, counts the buyer, writes the order, the payment, the webhook event, the payment
//! and order updates, the payment journal entry, the voucher, the message, the use, the
//! redemption journal entry and the redemption — the same rows, without authentication,
//! idempotency, validation, signatures or separate requests.

mod common;

use axum::extract::State;
use axum::http::StatusCode;
use common::{Bench, flag, percentile};
use lokal_app::App;
use lokal_core::PaymentStatus;
use lokal_core::deal::{DealJson, UsageRulesJson};
use lokal_core::fulfil::OrderStatus;
use lokal_core::ledger;
use lokal_core::voucher::VoucherStatus;
use lokal_core::{
    DealId, EntryId, MerchantId, OrderId, PaymentId, RedemptionId, StoreId, Timestamp, UserId, VoucherId,
};
use lokal_store::ledger::EntryHead;
use lokal_store::orders::{OrderRow, PaymentRow};
use lokal_store::vouchers::{RedemptionRow, VoucherRow};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// What the minimal handler needs.
#[derive(Clone)]
struct Minimal {
    app: App,
    deal: DealId,
    merchant: MerchantId,
    store: StoreId,
    users: Arc<Vec<UserId>>,
    next: Arc<AtomicUsize>,
}

/// The same writes as one Lokal loop, in one transaction.
async fn minimal(State(m): State<Minimal>) -> StatusCode {
    match minimal_tx(&m).await {
        Ok(()) => StatusCode::OK,
        Err(e) => {
            eprintln!("minimal handler: {e}");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

async fn minimal_tx(m: &Minimal) -> anyhow::Result<()> {
    let i = m.next.fetch_add(1, Ordering::Relaxed);
    let user = m.users[i % m.users.len()];
    let at = m.app.now();
    let now = at.millis();
    let mut tx = m.app.db().begin().await?;
    anyhow::ensure!(lokal_store::deals::take_stock(&mut tx, m.deal, 1, at).await?, "stock");
    lokal_store::deals::count_buyer(&mut tx, m.deal, user, 1, 0).await?;
    let order = OrderRow {
        id: OrderId::generate(),
        user_id: user,
        merchant_id: m.merchant,
        deal_id: Some(m.deal),
        kind: "deal".into(),
        store_id: None,
        quantity: 1,
        unit_price: 9900,
        total: 9900,
        currency: "CNY".into(),
        status: OrderStatus::Pending,
        channel: String::new(),
        created_at: at,
        expires_at: at.plus_secs(900),
        paid_at: None,
        updated_at: at,
    };
    lokal_store::orders::insert(&mut tx, &order).await?;
    let payment = PaymentRow {
        id: PaymentId::generate(),
        order_id: order.id,
        provider: "sandbox".into(),
        provider_ref: format!("min_{}", uuid::Uuid::now_v7().simple()),
        amount: 9900,
        currency: "CNY".into(),
        status: PaymentStatus::Pending,
        created_at: at,
        updated_at: at,
    };
    lokal_store::orders::insert_payment(&mut *tx, &payment).await?;
    lokal_store::orders::record_event(&mut tx, "sandbox", &payment.provider_ref, at).await?;
    lokal_store::orders::settle_payment(&mut tx, payment.id, PaymentStatus::Succeeded, at).await?;
    lokal_store::orders::transition(&mut tx, order.id, OrderStatus::Pending, OrderStatus::Paid, at).await?;
    let entry = |id, kind| EntryHead { id, kind, ref_id: "", memo: "", currency: "CNY", created_at: at };
    lokal_store::ledger::insert_entry(
        &mut tx,
        entry(EntryId::generate(), "payment"),
        &ledger::payment(ledger::Account::Gateway("sandbox".into()), 9900),
    )
    .await?;
    let voucher = VoucherRow {
        id: VoucherId::generate(),
        code: format!("{:013}", i),
        order_id: order.id,
        deal_id: m.deal,
        merchant_id: m.merchant,
        user_id: user,
        unit_price: 9900,
        uses_total: 1,
        uses_left: 1,
        status: VoucherStatus::Active,
        valid_from: Timestamp(now - 1000),
        valid_until: Timestamp(now + 86_400_000),
        refund_id: None,
        created_at: at,
        updated_at: at,
    };
    lokal_store::vouchers::insert(&mut tx, &voucher).await?;
    let message = lokal_store::outbox::MessageRow {
        id: uuid::Uuid::now_v7().to_string(),
        user_id: user,
        channel: "sms".into(),
        subject: "Your voucher".into(),
        body: "code".into(),
        created_at: at,
        link: String::new(),
        read_at: None,
        kind: "voucher_issued".into(),
        params: "{}".into(),
    };
    lokal_store::outbox::insert(&mut *tx, &message).await?;
    lokal_store::vouchers::take_uses(&mut tx, voucher.id, 1, at).await?;
    let redemption_entry = EntryId::generate();
    lokal_store::ledger::insert_entry(
        &mut tx,
        entry(redemption_entry, "redemption"),
        &ledger::redemption(m.merchant, 9900, 792),
    )
    .await?;
    let r = RedemptionRow {
        id: RedemptionId::generate(),
        voucher_id: voucher.id,
        store_id: m.store,
        staff_user_id: user,
        device: "bench".into(),
        uses: 1,
        value: 9900,
        commission: 792,
        entry_id: redemption_entry,
        created_at: at,
        undone_at: None,
        undone_by: None,
        undo_device: None,
    };
    lokal_store::vouchers::insert_redemption(&mut tx, &r).await?;
    tx.commit().await?;
    Ok(())
}

/// Runs `loops` iterations of `one` with `concurrency` workers; returns (wall seconds, sorted
/// per-loop milliseconds, failures).
async fn drive<F, Fut>(loops: usize, concurrency: usize, one: F) -> (f64, Vec<f64>, usize)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let one = Arc::new(one);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (one, next) = (one.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut failed = 0;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= loops {
                    break;
                }
                let t = Instant::now();
                failed += usize::from(!one(i).await);
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            (times, failed)
        }));
    }
    let mut times = Vec::new();
    let mut failed = 0;
    for w in workers {
        if let Ok((t, f)) = w.await {
            times.extend(t);
            failed += f;
        }
    }
    times.sort_by(f64::total_cmp);
    (started.elapsed().as_secs_f64(), times, failed)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let loops: usize = flag("--loops").and_then(|v| v.parse().ok()).unwrap_or(1000);
    let concurrency: usize = flag("--concurrency").and_then(|v| v.parse().ok()).unwrap_or(16);
    let bench = Bench::start(flag("--database-url").as_deref()).await?;
    let now = bench.app.now();
    let deal_json = |title: &str| DealJson {
        title: title.into(),
        description: String::new(),
        contents: Vec::new(),
        price: 9900,
        original_price: 15800,
        store_ids: vec![bench.store],
        sale_starts_at: None,
        sale_ends_at: now.plus_secs(3600).to_rfc3339(),
        valid_from: None,
        valid_until: now.plus_secs(86_400).to_rfc3339(),
        rules: UsageRulesJson::default(),
        uses_per_voucher: 1,
        stock: 1_000_000,
        per_user_limit: 0,
        refundable: true,
        auto_refund_on_expiry: true,
        flash_sale: false,
        photos: Vec::new(),
    };
    let deal = bench.app.create_deal(&bench.root, bench.merchant, deal_json("Hotpot for two")).await?.row.id;
    let limit_deal = bench.app.create_deal(&bench.root, bench.merchant, deal_json("The limit")).await?.row.id;
    let crowd = bench.crowd(concurrency * 4).await?;
    let clerk = bench.root_token().await?;
    let client = reqwest::Client::new();

    // Lokal, five requests per loop.
    let (base, store) = (bench.base.clone(), bench.store);
    let tokens: Arc<Vec<String>> = Arc::new(crowd.iter().map(|(_, t)| t.clone()).collect());
    let c = client.clone();
    let lokal = drive(loops, concurrency, move |i| {
        let (c, base, tokens, clerk) = (c.clone(), base.clone(), tokens.clone(), clerk.clone());
        async move {
            let token = &tokens[i % tokens.len()];
            let run = async {
                let order: serde_json::Value = c
                    .post(format!("{base}/api/v1/deals/{deal}/orders"))
                    .bearer_auth(token)
                    .header("Idempotency-Key", format!("o-{i}"))
                    .json(&serde_json::json!({"quantity": 1}))
                    .send()
                    .await?
                    .json()
                    .await?;
                let id = order["id"].as_str().unwrap_or_default().to_owned();
                let pay: serde_json::Value = c
                    .post(format!("{base}/api/v1/orders/{id}/payments"))
                    .bearer_auth(token)
                    .header("Idempotency-Key", format!("p-{i}"))
                    .json(&serde_json::json!({}))
                    .send()
                    .await?
                    .json()
                    .await?;
                let reference = pay["payment"]["provider_ref"].as_str().unwrap_or_default().to_owned();
                c.post(format!("{base}/api/v1/sandbox/payments/{reference}"))
                    .json(&serde_json::json!({"outcome": "succeed"}))
                    .send()
                    .await?;
                let paid: serde_json::Value =
                    c.get(format!("{base}/api/v1/orders/{id}")).bearer_auth(token).send().await?.json().await?;
                let code = paid["vouchers"][0]["code"].as_str().unwrap_or_default().to_owned();
                let r = c
                    .post(format!("{base}/api/v1/stores/{store}/redemptions"))
                    .bearer_auth(&clerk)
                    .json(&serde_json::json!({"code": code, "uses": 1}))
                    .send()
                    .await?;
                anyhow::Ok(r.status().as_u16() == 201)
            };
            run.await.unwrap_or(false)
        }
    })
    .await;

    // The limit: one request per loop to a minimal handler on its own port, same pool.
    let state = Minimal {
        app: bench.app.clone(),
        deal: limit_deal,
        merchant: bench.merchant,
        store: bench.store,
        users: Arc::new(crowd.iter().map(|(u, _)| *u).collect()),
        next: Arc::new(AtomicUsize::new(0)),
    };
    let router = axum::Router::new().route("/loop", axum::routing::post(minimal)).with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let c = client.clone();
    let limit = drive(loops, concurrency, move |_| {
        let c = c.clone();
        async move { c.post(format!("http://{addr}/loop")).send().await.is_ok_and(|r| r.status().is_success()) }
    })
    .await;
    server.abort();

    let ledger = bench.app.ledger_check().await?;
    let row = |name: &str, (wall, times, failed): &(f64, Vec<f64>, usize)| {
        format!(
            "| {} | {name} | {loops} | {concurrency} | {:.0} | {:.1} ms | {:.1} ms | {failed} |",
            bench.backend,
            loops as f64 / wall,
            percentile(times, 0.5),
            percentile(times, 0.99),
        )
    };
    println!("| backend | path | loops | concurrency | loops/s | p50 | p99 | failed |");
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    println!("{}", row("Lokal: order, pay, webhook, read, redeem (5 requests)", &lokal));
    println!("{}", row("minimal handler: the same writes, 1 request, 1 transaction", &limit));
    println!(
        "\nratio Lokal / limit: {:.2} (loops/s); ledger: {}",
        (loops as f64 / lokal.0) / (loops as f64 / limit.0),
        if ledger.holds() { "holds" } else { "BROKEN" }
    );
    bench.stop().await
}
