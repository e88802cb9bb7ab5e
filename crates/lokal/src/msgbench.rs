//! `lokal bench messages`: payment → voucher SMS handed to the gateway. The demo city is seeded
//! in a fresh database; a local fake of Alibaba Cloud SMS (it verifies each request's RPC
//! signature, as the real one does) receives the texts; `concurrency` buyers at once, each with a
//! phone of their own, buy one voucher, pay through the sandbox, and time from the payer's
//! confirmation to the moment the gateway holds the voucher SMS — the payment applied and
//! committed, the delivery worker woken, the send claimed, signed and posted. Prints a Markdown
//! report.

use crate::bench::percentile;
use crate::config::Config;
use anyhow::Context;
use lokal_app::App;
use lokal_core::{DealId, Principal};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const KEY_ID: &str = "LTAIbench";
const SECRET: &str = "bench-access-key-secret";

type Waiting = Arc<Mutex<HashMap<String, mpsc::UnboundedSender<Instant>>>>;

/// The gateway: verifies the signature, tells the buyer of that number that its text came.
async fn gateway(waiting: Waiting) -> anyhow::Result<String> {
    use lokal_sms::aliyun::{SendSms, SendSmsResponse, parse_query, verify};
    let handler = move |body: String| {
        let waiting = waiting.clone();
        async move {
            let at = Instant::now();
            let answer = |r: SendSmsResponse| axum::Json(serde_json::to_value(r).unwrap_or_default());
            let Ok(params) = parse_query(&body) else {
                return answer(SendSmsResponse::error("MissingParameter", "", "b"));
            };
            if verify(SECRET, "POST", &params).is_err() {
                return answer(SendSmsResponse::error("SignatureDoesNotMatch", "", "b"));
            }
            let Ok((sms, _)) = SendSms::from_params(&params) else {
                return answer(SendSmsResponse::error("MissingParameter", "", "b"));
            };
            if let Some(tx) = waiting.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&sms.phone_numbers)
            {
                let _ = tx.send(at);
            }
            answer(SendSmsResponse::ok("bench", "b"))
        }
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(
        async move { axum::serve(listener, axum::Router::new().fallback(axum::routing::post(handler))).await },
    );
    Ok(url)
}

/// One buyer, phone `139…{w}`: `n` purchases of `deal`, each timed from confirmation to the
/// gateway.
async fn buyer(app: App, deal: DealId, w: usize, n: usize, waiting: Waiting) -> anyhow::Result<Vec<f64>> {
    let mut out = Vec::with_capacity(n);
    let number = format!("139{w:08}");
    let (tx, mut arrived) = mpsc::unbounded_channel();
    waiting.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(number.clone(), tx);
    let user = lokal_store::users::UserRow {
        id: lokal_core::UserId::generate(),
        email: None,
        phone: Some(format!("+86{number}")),
        password_hash: "!".into(),
        display_name: format!("Buyer {w}"),
        created_at: app.now(),
        disabled: false,
        lang: None,
    };
    lokal_store::users::insert(app.db().pool(), &user).await?;
    let me = Principal { user_id: user.id, grants: Vec::new() };
    for _ in 0..n {
        let order = app.place_order(&me, deal, 1, "bench").await?;
        let pay = app.pay_order(&me, order.id).await?;
        let t0 = Instant::now();
        app.sandbox_complete(&pay.payment.provider_ref, true).await?;
        let t1 = tokio::time::timeout(Duration::from_secs(30), arrived.recv())
            .await
            .context("the voucher SMS did not reach the gateway within 30 s")?
            .context("the gateway stopped")?;
        out.push(t1.duration_since(t0).as_secs_f64() * 1000.0);
    }
    Ok(out)
}

/// Runs the benchmark on `config`'s database (use a fresh one).
pub async fn run(config: &Config, payments: usize, concurrency: usize) -> anyhow::Result<String> {
    let waiting: Waiting = Arc::default();
    let url = gateway(waiting.clone()).await?;
    let mut config = config.clone();
    config.payments.provider = "sandbox".into();
    config.payments.sandbox_delay_ms = 0;
    config.sms.provider = "aliyun".into();
    config.sms.access_key_id = KEY_ID.into();
    config.sms.access_key_secret = SECRET.into();
    config.sms.sign_name = "Lokal".into();
    config.sms.templates.insert("voucher_issued".into(), "SMS_BENCH".into());
    config.sms.endpoint = url;
    config.messages.webhook_url.clear();
    config.messages.sms = vec![lokal_core::notice::MessageKind::VoucherIssued];
    config.messages.email.clear();
    let app = crate::open_app(&config, Arc::new(lokal_app::SystemClock)).await?;
    let city = crate::demo::CityOptions { stores: 40, ..Default::default() };
    crate::demo::seed(&app, city).await?;
    // Each buyer has a deal of its own, with stock for the whole run.
    let deals: Vec<String> = {
        use sqlx::Row;
        let rows = sqlx::query("SELECT id FROM deals ORDER BY id").fetch_all(app.db().pool()).await?;
        rows.iter().map(|r| r.try_get::<String, _>("id")).collect::<Result<_, _>>()?
    };
    sqlx::query("UPDATE deals SET stock_left = 100000000, per_user_limit = 1000000").execute(app.db().pool()).await?;
    let mut on_sale = Vec::new();
    for id in &deals {
        let deal: DealId = id.parse().map_err(|_| anyhow::anyhow!("a deal id"))?;
        let view = app.deal(deal).await?;
        if view.on_sale_at(app.now()) {
            on_sale.push((deal, view.row.title));
        }
    }
    let concurrency = concurrency.clamp(1, on_sale.len().max(1));
    let worker = crate::spawn_delivery_worker(app.clone());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (w, (deal, _)) in on_sale.into_iter().take(concurrency).enumerate() {
        let n = payments / concurrency + usize::from(w < payments % concurrency);
        tasks.push(tokio::spawn(buyer(app.clone(), deal, w, n, waiting.clone())));
    }
    let mut ms = Vec::new();
    for t in tasks {
        ms.extend(t.await??);
    }
    let elapsed = started.elapsed().as_secs_f64();
    worker.abort();
    ms.sort_by(f64::total_cmp);
    #[allow(clippy::cast_precision_loss)]
    let throughput = ms.len() as f64 / elapsed;
    Ok(format!(
        "| payments | buyers at once | p50 | p90 | p99 | max | payments/s |\n| --- | --- | --- | --- | --- | --- | --- |\n\
         | {} | {concurrency} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms | {throughput:.0} |\n",
        ms.len(),
        percentile(&ms, 0.5),
        percentile(&ms, 0.9),
        percentile(&ms, 0.99),
        ms.last().copied().unwrap_or(0.0),
    ))
}
