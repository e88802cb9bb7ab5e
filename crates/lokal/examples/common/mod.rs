//! What the HTTP benchmark examples share: a real server on a fresh database, a merchant with a
//! store, and consumers with API sessions.
// Each example uses a subset of these helpers.
#![allow(dead_code)]

use lokal::Application;
use lokal::config::Config;
use lokal_app::accounts::SessionKind;
use lokal_app::{App, SystemClock};
use lokal_core::store::StoreProfileJson;
use lokal_core::{MerchantId, Principal, StoreId, UserId};
use sqlx::Connection;
use std::sync::Arc;

/// A running server on a fresh database.
pub struct Bench {
    pub base: String,
    pub app: App,
    pub backend: &'static str,
    pub root: Principal,
    pub merchant: MerchantId,
    pub store: StoreId,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    serving: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    drop_db: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

/// `--name value` pairs from the command line.
pub fn flag(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted.get(((sorted.len().max(1) - 1) as f64 * p).round() as usize).copied().unwrap_or(0.0)
}

impl Bench {
    /// Starts the server on SQLite in a temp dir, or on a fresh database next to `database_url`.
    pub async fn start(database_url: Option<&str>) -> anyhow::Result<Bench> {
        Self::start_with(database_url, |_| {}).await
    }

    /// [`Bench::start`] with settings changed by `change`.
    pub async fn start_with(database_url: Option<&str>, change: impl FnOnce(&mut Config)) -> anyhow::Result<Bench> {
        let dir = tempfile::tempdir()?;
        let mut config = Config::default();
        config.server.port = 0;
        config.database.data_dir = dir.path().to_path_buf();
        config.payments.sandbox_delay_ms = 0;
        config.database.max_connections = 20;
        change(&mut config);
        let mut drop_db = None;
        if let Some(url) = database_url {
            let name = format!("lokal_bench_{}", uuid::Uuid::now_v7().simple());
            sqlx::any::install_default_drivers();
            let mut c = sqlx::AnyConnection::connect(url).await?;
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut c).await?;
            let (base, _) = url.rsplit_once('/').unwrap_or((url, ""));
            config.database.url = format!("{base}/{name}");
            drop_db = Some((url.to_owned(), name));
        }
        let server = Application::build(&config, Arc::new(SystemClock)).await?;
        let base = format!("http://{}", server.local_addr()?);
        let app = server.app().clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = tokio::spawn(server.run_until(async move {
            let _ = stopped.await;
        }));
        let (admin, _) = app.create_admin("bench@bench.lokal", "bench password").await?;
        let root =
            Principal { user_id: admin.id, grants: lokal_store::grants::for_user(app.db().pool(), admin.id).await? };
        let merchant = app.create_merchant(&root, "Bench Hotpot", None).await?.id;
        let profile = StoreProfileJson { name: "Bench Hotpot 1".into(), ..Default::default() };
        let store = app.create_store(&root, merchant, profile).await?.row.id;
        Ok(Bench {
            base,
            app,
            backend: if database_url.is_some() { "PostgreSQL" } else { "SQLite" },
            root,
            merchant,
            store,
            stop: Some(stop),
            serving: Some(serving),
            drop_db,
            _dir: dir,
        })
    }

    /// `n` consumers with API sessions (straight into the store: argon2 would dominate).
    pub async fn crowd(&self, n: usize) -> anyhow::Result<Vec<(UserId, String)>> {
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let user = lokal_store::users::UserRow {
                id: UserId::generate(),
                email: Some(format!("buyer{i}@bench.lokal")),
                phone: None,
                password_hash: "!".into(),
                display_name: format!("Buyer {i}"),
                created_at: self.app.now(),
                disabled: false,
                lang: None,
            };
            lokal_store::users::insert(self.app.db().pool(), &user).await?;
            out.push((user.id, self.app.open_session(user.id, SessionKind::Api).await?.token));
        }
        Ok(out)
    }

    /// An API token for the platform admin (who may redeem at any store).
    pub async fn root_token(&self) -> anyhow::Result<String> {
        Ok(self.app.open_session(self.root.user_id, SessionKind::Api).await?.token)
    }

    /// Stops the server and drops a PostgreSQL database made for the run.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(serving) = self.serving.take() {
            let _ = serving.await;
        }
        if let Some((url, name)) = self.drop_db.take() {
            let mut c = sqlx::AnyConnection::connect(&url).await?;
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                .execute(&mut c)
                .await?;
        }
        Ok(())
    }
}
