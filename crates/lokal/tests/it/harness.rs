//! `TestApp`: the real application on port 0 over a fresh database, with typed helpers.

use lokal::Application;
use lokal::config::Config;
use lokal_app::{App, AuthSettings, ManualClock};
use lokal_core::Timestamp;
use serde_json::{Value, json};
use sqlx::Connection;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// A response, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Resp {
    /// The body as JSON (`Null` if it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }
    /// The error code of an error body.
    pub fn code(&self) -> String {
        self.json()["error"]["code"].as_str().unwrap_or("").to_owned()
    }
    /// A header as text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
    }
}

/// Deletes a per-test PostgreSQL database when the test ends.
struct PgDatabase {
    admin_url: String,
    name: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop runs inside the test's runtime: use a thread with its own runtime.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                return;
            };
            rt.block_on(async move {
                sqlx::any::install_default_drivers();
                if let Ok(mut c) = sqlx::AnyConnection::connect(&url).await {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut c).await;
                }
            });
        })
        .join();
    }
}

/// The running application and a client for it.
pub struct TestApp {
    pub base: String,
    /// The separate metrics listener, when `[server] metrics_addr` is set.
    pub metrics_base: Option<String>,
    pub app: App,
    pub clock: Arc<ManualClock>,
    pub client: reqwest::Client,
    /// The database the server uses (for the command line and for tampering tests).
    pub database_url: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
    _pg: Option<PgDatabase>,
}

impl TestApp {
    /// Starts the application with default settings.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(AuthSettings::default()).await
    }

    /// Starts the application with these authentication settings.
    pub async fn spawn_with(auth: AuthSettings) -> TestApp {
        Self::spawn_config(|c| c.auth = auth).await
    }

    /// Starts the application with settings changed by `change`.
    pub async fn spawn_config(change: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config::default();
        config.server.port = 0;
        config.database.data_dir = dir.path().to_path_buf();
        // Tests pay through the sandbox, as the demo does, and register many people from one
        // address (tests of the sign-up limits set their own).
        config.payments.provider = "sandbox".into();
        config.auth.max_signups_per_ip = 100_000;
        change(&mut config);
        // The sandbox confirms payments at once, so tests need not wait for its webhook.
        config.payments.sandbox_delay_ms = 0;
        let pg = match std::env::var("LOKAL_TEST_DATABASE_URL") {
            Ok(admin_url) if !admin_url.is_empty() => {
                let name = format!("lokal_test_{}", uuid::Uuid::now_v7().simple());
                sqlx::any::install_default_drivers();
                let mut c = sqlx::AnyConnection::connect(&admin_url).await.expect("connect to LOKAL_TEST_DATABASE_URL");
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut c)
                    .await
                    .expect("create test database");
                let (base, _) = admin_url.rsplit_once('/').expect("URL with a database name");
                config.database.url = format!("{base}/{name}");
                config.database.max_connections = 5;
                Some(PgDatabase { admin_url, name })
            }
            _ => None,
        };
        let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_millis();
        let clock = Arc::new(ManualClock::new(Timestamp::from_millis(i64::try_from(now).expect("ms"))));
        let database_url = config.database_url();
        let server = Application::build(&config, clock.clone()).await.expect("build application");
        let base = format!("http://{}", server.local_addr().expect("addr"));
        let metrics_base = server.metrics_addr().map(|a| format!("http://{a}"));
        let app = server.app().clone();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(server.run_until(async move {
            let _ = rx.await;
        }));
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        TestApp { base, metrics_base, app, clock, client, database_url, shutdown: Some(tx), _dir: dir, _pg: pg }
    }

    /// The server's data directory (the SQLite file, photos under `media/`).
    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// Sends a request and reads the whole response.
    pub async fn send(&self, req: reqwest::RequestBuilder) -> Resp {
        let res = req.send().await.expect("request sent");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let text = res.text().await.expect("body");
        Resp { status, headers, text }
    }

    /// GET `path`, with a bearer token if given.
    pub async fn get(&self, path: &str, token: Option<&str>) -> Resp {
        let mut req = self.client.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        self.send(req).await
    }

    /// POST JSON to `path`, with a bearer token if given.
    pub async fn post(&self, path: &str, body: &Value, token: Option<&str>) -> Resp {
        let mut req = self.client.post(format!("{}{path}", self.base)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        self.send(req).await
    }

    /// PUT JSON to `path`, with a bearer token if given.
    pub async fn put(&self, path: &str, body: &Value, token: Option<&str>) -> Resp {
        let mut req = self.client.put(format!("{}{path}", self.base)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        self.send(req).await
    }

    /// POST JSON to `path` with a bearer token and an `Idempotency-Key`.
    pub async fn post_keyed(&self, path: &str, body: &Value, token: &str, key: &str) -> Resp {
        let req = self
            .client
            .post(format!("{}{path}", self.base))
            .json(body)
            .bearer_auth(token)
            .header("Idempotency-Key", key);
        self.send(req).await
    }

    /// DELETE `path`, with a bearer token if given.
    pub async fn delete(&self, path: &str, token: Option<&str>) -> Resp {
        let mut req = self.client.delete(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        self.send(req).await
    }

    /// Registers `email` with a standard password; returns the response.
    pub async fn register(&self, email: &str) -> Resp {
        self.post("/api/v1/auth/register", &json!({"email": email, "password": "correct horse"}), None).await
    }

    /// Registers `email` and returns its bearer token and user id.
    pub async fn user(&self, email: &str) -> (String, String) {
        let r = self.register(email).await;
        assert_eq!(r.status, 201, "{}", r.text);
        let j = r.json();
        (j["token"].as_str().expect("token").to_owned(), j["user"]["id"].as_str().expect("id").to_owned())
    }

    /// Logs in; returns the response.
    pub async fn login(&self, login: &str, password: &str) -> Resp {
        self.post("/api/v1/auth/login", &json!({"login": login, "password": password}), None).await
    }

    /// Invites `body.login` to `merchant`'s staff as `by` and accepts the invitation as
    /// `invitee` (whose login it is); returns the accepted invitation.
    pub async fn hire(&self, merchant: &str, body: &Value, by: &str, invitee: &str) -> Value {
        let r = self.post(&format!("/api/v1/merchants/{merchant}/staff"), body, Some(by)).await;
        assert_eq!((r.status, r.json()["status"].as_str()), (201, Some("invited")), "{}", r.text);
        let id = r.json()["id"].as_str().expect("invitation").to_owned();
        let a = self.post(&format!("/api/v1/me/invitations/{id}/accept"), &json!({}), Some(invitee)).await;
        assert_eq!(a.status, 200, "{}", a.text);
        a.json()
    }

    /// A platform admin's token.
    pub async fn admin(&self) -> String {
        self.app.create_admin("root@test.lokal", "admin password").await.expect("create admin");
        let r = self.login("root@test.lokal", "admin password").await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.json()["token"].as_str().expect("token").to_owned()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Polls all the futures concurrently on the current task and returns their outputs in order
/// (they borrow the `TestApp`, so they cannot be spawned).
pub use futures_util::future::join_all;
