//! The `lokal` binary as a library: configuration, start-up and router composition, so that
//! tests start exactly what users run (`Application::build` on port 0).
//!
//! Layout: [`config`] (typed settings), [`bench`] (in-process benchmarks), [`city`] (the deterministic demo city), [`demo`] (seeding
//! it with accounts for every role), and here
//! [`Application`] (connect, migrate, compose, bind, serve, shut down).

pub mod bench;
pub mod city;
pub mod config;
pub mod dashbench;
pub mod demo;
pub mod demo_pictures;
pub mod demo_reviews;
pub mod mediabench;
pub mod msgbench;
pub mod simulate;

use anyhow::Context;
use axum::Router;
use axum::routing::get;
use config::Config;
use lokal_api::Ctx;
use lokal_app::{App, Clock};
use lokal_store::Db;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// A built server: database open and migrated, routes composed, port bound.
pub struct Application {
    listener: TcpListener,
    router: Router,
    app: App,
    /// The separate `/metrics` listener (`[server] metrics_addr`), if any.
    metrics: Option<(TcpListener, Router)>,
}

impl Application {
    /// Opens the database (creating the SQLite data directory if needed), applies migrations,
    /// composes the routes and binds the configured address.
    pub async fn build(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Application> {
        let app = open_app(config, clock).await?;
        // Only a server searches: commands like `migrate` skip building the index.
        if config.site.production && app.sandbox_enabled() {
            anyhow::bail!("[site] production = true: the sandbox payment gateway cannot be used");
        }
        match app.gateway().name() {
            "none" => tracing::warn!("no payment provider configured: orders cannot be paid ([payments] provider)"),
            name => tracing::info!(gateway = name, "payments go through this gateway"),
        }
        let indexed = app.rebuild_index().await.context("building the discovery index")?;
        tracing::info!(stores = indexed, "discovery index built");
        let (router, ctx) = compose_with_ctx(app.clone())?;
        let addr = format!("{}:{}", config.server.host, config.server.port);
        let listener = TcpListener::bind(&addr).await.with_context(|| format!("binding {addr}"))?;
        let metrics = if config.server.metrics_addr.is_empty() {
            None
        } else {
            let at = &config.server.metrics_addr;
            let l = TcpListener::bind(at).await.with_context(|| format!("binding the metrics address {at}"))?;
            tracing::info!(addr = %at, "metrics served without login on their own address");
            let r = Router::new().route(
                "/metrics",
                get(|axum::extract::State(ctx): axum::extract::State<Ctx>| async move {
                    lokal_api::routes::health::render_metrics(&ctx)
                }),
            );
            Some((l, r.with_state(ctx)))
        };
        Ok(Application { listener, router, app, metrics })
    }

    /// The separate metrics listener's address, when `[server] metrics_addr` is set.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().and_then(|(l, _)| l.local_addr().ok())
    }

    /// The bound address (the real port when 0 was asked for).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The use cases, for seeding and for tests.
    pub fn app(&self) -> &App {
        &self.app
    }

    /// Serves until `shutdown` completes, then drains open requests. Meanwhile unpaid orders and
    /// expired vouchers are swept and the dashboards' rollups refreshed every 30 seconds, money that waits
    /// on a payment provider (refunds, confirmations, overdue payments) is moved every
    /// `payments.worker_interval_secs` (5),
    /// and housekeeping runs every ten minutes.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let app = self.app.clone();
        let jobs = tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(30));
            let mut ticks = 0u64;
            loop {
                every.tick().await;
                if let Err(e) = app.commerce_tick().await {
                    tracing::warn!(error = %e, "commerce jobs failed");
                }
                if let Err(e) = app.refresh_rollups().await {
                    tracing::warn!(error = %e, "dashboard rollups not refreshed");
                }
                if ticks.is_multiple_of(20)
                    && let Err(e) = app.housekeeping_tick().await
                {
                    tracing::warn!(error = %e, "housekeeping failed");
                }
                ticks += 1;
            }
        });
        let app = self.app.clone();
        let payments = tokio::spawn(async move {
            // The first tick runs at once: a restart picks up what a crash interrupted.
            let secs = app.payment_settings().worker_interval_secs.max(1);
            let mut every = tokio::time::interval(Duration::from_secs(secs));
            loop {
                every.tick().await;
                if let Err(e) = app.payments_tick().await {
                    tracing::warn!(error = %e, "payments worker failed");
                }
            }
        });
        let sender = spawn_delivery_worker(self.app.clone());
        let app = self.app.clone();
        let dispatcher = tokio::spawn(async move {
            let secs = app.delivery_settings().dispatch_interval_secs.max(1);
            let mut every = tokio::time::interval(Duration::from_secs(secs));
            loop {
                tokio::select! {
                    _ = every.tick() => {}
                    () = app.dispatcher_woken() => {}
                }
                if let Err(e) = app.dispatch_tick().await {
                    tracing::warn!(error = %e, "dispatch failed");
                }
            }
        });
        let metrics = self.metrics.map(|(l, r)| tokio::spawn(async move { axum::serve(l, r).await }));
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        let result = axum::serve(self.listener, service).with_graceful_shutdown(shutdown).await;
        jobs.abort();
        payments.abort();
        sender.abort();
        dispatcher.abort();
        if let Some(m) = metrics {
            m.abort();
        }
        // The store page views counted in memory since the last refresh.
        if let Err(e) = self.app.refresh_rollups().await {
            tracing::warn!(error = %e, "views and rollups not written at shutdown");
        }
        self.app.db().close().await;
        result
    }
}

/// The delivery worker: woken when a message is recorded, and every second for the retries
/// that fall due. A wake comes from inside the message's transaction, so the send may not be
/// visible yet: the worker looks again every 5 ms for up to 100 ms until it finds one.
pub fn spawn_delivery_worker(app: App) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(1));
        loop {
            let woken = tokio::select! {
                _ = every.tick() => false,
                () = app.sender_woken() => true,
            };
            for _ in 0..if woken { 20 } else { 1 } {
                match app.deliver_messages().await {
                    Ok(d) if d.sent + d.retrying + d.dead > 0 => break,
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "delivery worker failed");
                        break;
                    }
                }
                if woken {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            }
        }
    })
}

/// Connects to the configured database and migrates it.
pub async fn open_app(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<App> {
    let site = lokal_app::site::Site::new(&config.site, &config.maps)
        .map_err(|e| anyhow::anyhow!("{}", lokal_i18n::render(lokal_i18n::Lang::En, &e.msg)))?;
    let url = config.database_url();
    if config.database.url.is_empty() {
        std::fs::create_dir_all(&config.database.data_dir)
            .with_context(|| format!("creating {}", config.database.data_dir.display()))?;
    }
    let db = Db::connect(&url, config.database.max_connections)
        .await
        .with_context(|| format!("connecting to {}", config::redact_url(&url)))?;
    db.migrate().await.context("applying migrations")?;
    let mut app = App::new(db, clock, config.auth.clone()).with_payments(config.payments.clone());
    for gateway in gateways(config)? {
        app = app.with_gateway(gateway);
    }
    let senders = lokal_app::outbound::configured_gateways(&config.messages, &config.smtp, &config.sms)
        .map_err(|e| anyhow::anyhow!(e))?;
    Ok(app
        .with_default_gateway(&config.payments.provider)
        .with_messages(config.messages.clone(), senders)
        .with_delivery(config.delivery.clone())
        .with_site(site)
        .with_media(Arc::new(lokal_media::LocalDir::new(config.media_dir()))))
}

/// The payment providers whose credentials are configured. The default one (`[payments]
/// provider`) named but not configured is an error at start, not a payment refused later.
fn gateways(config: &Config) -> anyhow::Result<Vec<Arc<dyn lokal_app::payments::PaymentGateway>>> {
    let mut out: Vec<Arc<dyn lokal_app::payments::PaymentGateway>> = Vec::new();
    let w = &config.wechatpay;
    if w.is_configured() {
        let credentials = w.load().map_err(|e| anyhow::anyhow!(e))?;
        let timeout = Duration::from_millis(if w.timeout_ms == 0 { 10_000 } else { w.timeout_ms });
        let tolerance = config.payments.webhook_tolerance_secs;
        let g =
            lokal_app::wechatpay::WechatPay::new(w, credentials, timeout, tolerance).map_err(|e| anyhow::anyhow!(e))?;
        out.push(Arc::new(g));
    } else if config.payments.provider == "wechatpay" {
        anyhow::bail!("[payments] provider is wechatpay but [wechatpay] mchid is empty");
    }
    Ok(out)
}

/// Joins the API, the OpenAPI document, the pages and the request machinery.
pub fn compose(app: App) -> anyhow::Result<Router> {
    Ok(compose_with_ctx(app)?.0)
}

/// [`compose`], and the context the routes share (for the metrics listener).
fn compose_with_ctx(app: App) -> anyhow::Result<(Router, Ctx)> {
    let ctx = Ctx { app: Arc::new(app), metrics: Arc::default() };
    let (api, openapi) = lokal_api::openapi::build();
    let openapi_json = serde_json::to_value(&openapi).context("serialising the OpenAPI document")?;
    let served = Arc::new(openapi_json.clone());
    let router = api
        .merge(lokal_web::router(&openapi_json))
        .route("/api/v1/openapi.json", get(move || async move { axum::Json((*served).clone()) }))
        .fallback(lokal_web::fallback)
        .layer(axum::middleware::from_fn_with_state(ctx.clone(), lokal_web::page::render_error_pages));
    Ok((lokal_api::middleware::apply(router, ctx.clone()), ctx))
}

/// What `lokal payments check` finds, offline: for each configured provider, whether its keys
/// load and sign a test request (the signature checked with the key's own public half).
/// `Err` names the first setting at fault; nothing secret is printed.
pub fn payments_check(config: &config::Config, now_secs: i64) -> anyhow::Result<String> {
    let w = &config.wechatpay;
    if !w.is_configured() {
        anyhow::bail!("no payment provider's credentials are configured ([wechatpay] mchid is empty)");
    }
    let c = w.load().map_err(anyhow::Error::msg)?;
    let nonce = uuid::Uuid::now_v7().simple().to_string().to_uppercase();
    let message = lokal_pay::wechatpay::request_message("GET", "/v3/certificates", now_secs, &nonce, "");
    c.merchant_key.check(&message).map_err(|e| anyhow::anyhow!("[wechatpay] merchant key: {e}"))?;
    let header = c.merchant_key.authorization(&c.mchid, "GET", "/v3/certificates", now_secs, &nonce, "");
    let shown = header.split(",signature=").next().unwrap_or_default();
    Ok(format!(
        "wechatpay: merchant {} key (serial {}) loads and signs; WeChat Pay public key {} loads; \
         APIv3 key is 32 bytes\na test request, signed offline: GET /v3/certificates\n  \
         Authorization: {shown},signature=\"…\"\n",
        c.mchid,
        c.merchant_key.serial(),
        c.platform_key.serial(),
    ))
}

/// The text `lokal ledger check` prints.
pub fn ledger_report(r: &lokal_app::ledger::LedgerReport) -> String {
    let mut out = format!(
        "checked {} journal entries ({} postings, {} vouchers): {}\n\
         journal total: {} (must be 0)\n\
         platform:clearing balance {} = expected {} (unused vouchers and menu orders in progress)",
        r.audit.entries,
        r.audit.postings,
        r.vouchers,
        if r.holds() { "the ledger holds" } else { "THE LEDGER DOES NOT HOLD" },
        r.audit.total,
        r.clearing_balance,
        r.clearing_expected,
    );
    for (entry, sum) in &r.audit.unbalanced {
        out.push_str(&format!("\nunbalanced entry {entry}: postings sum to {sum}"));
    }
    for entry in &r.audit.lonely {
        out.push_str(&format!("\nentry {entry} has fewer than two postings"));
    }
    for (account, balance) in &r.overdrawn_cards {
        out.push_str(&format!("\nmembership card account {account} is overdrawn by {balance}"));
    }
    out
}

/// A reconciled day as text: the counts, then one line per difference.
pub fn reconcile_report(r: &lokal_app::reconciliation::Reconciled) -> String {
    let run = &r.run;
    let mut out = format!(
        "{} {}: {} lines, {} matched, {} differences, fees ¥{}.{:02}\n",
        run.provider,
        run.bill_date,
        run.lines,
        run.matched,
        run.differences,
        run.fees / 100,
        run.fees.rem_euclid(100)
    );
    for i in &r.items {
        let state = if i.resolved_at.is_some() { " (resolved)" } else { "" };
        out.push_str(&format!(
            "  {} {} {}: ours {:?}, theirs {:?}{state}\n",
            i.difference, i.kind, i.reference, i.ours, i.theirs
        ));
    }
    out
}
