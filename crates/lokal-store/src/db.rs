//! Connecting to SQLite or PostgreSQL, applying the backend's migrations, and transactions.

use crate::StoreError;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Executor, SqlSafeStr};
use std::borrow::Cow;
use std::time::Duration;

/// Which database engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file: one box, zero setup.
    Sqlite,
    /// PostgreSQL: production and several server processes.
    Postgres,
}

/// An open transaction.
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// A connection pool and the backend it speaks to.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

/// One migration's SQL: the same for both backends, or one script per backend where their DDL
/// differs (0007, which SQLite does as a table rebuild).
enum Script {
    Both(&'static str),
    Each { sqlite: &'static str, postgres: &'static str },
}

/// Every migration, in order. A script's text is what sqlx checksums: never edit an applied one.
const MIGRATIONS: &[(i64, &str, Script)] = &[
    (1, "foundation", Script::Both(include_str!("../migrations/0001_foundation.sql"))),
    (2, "store profiles", Script::Both(include_str!("../migrations/0002_store_profiles.sql"))),
    (3, "merchant applications", Script::Both(include_str!("../migrations/0003_merchant_applications.sql"))),
    (4, "catalog", Script::Both(include_str!("../migrations/0004_catalog.sql"))),
    (5, "deals, vouchers and ledger", Script::Both(include_str!("../migrations/0005_deals_vouchers_ledger.sql"))),
    (6, "undo device", Script::Both(include_str!("../migrations/0006_undo_device.sql"))),
    (
        7,
        "menu orders and riders",
        Script::Each {
            sqlite: include_str!("../migrations/sqlite/0007_menu_orders_riders.sql"),
            postgres: include_str!("../migrations/postgres/0007_menu_orders_riders.sql"),
        },
    ),
    (8, "coupons", Script::Both(include_str!("../migrations/0008_coupons.sql"))),
    (9, "coupons at checkout", Script::Both(include_str!("../migrations/0009_coupons_at_checkout.sql"))),
    (10, "store promotions", Script::Both(include_str!("../migrations/0010_store_promotions.sql"))),
    (11, "campaigns", Script::Both(include_str!("../migrations/0011_campaigns.sql"))),
    (12, "analytics", Script::Both(include_str!("../migrations/0012_analytics.sql"))),
    (13, "first orders", Script::Both(include_str!("../migrations/0013_first_orders.sql"))),
    (14, "reviews", Script::Both(include_str!("../migrations/0014_reviews.sql"))),
    (15, "platform discounts", Script::Both(include_str!("../migrations/0015_platform_discounts.sql"))),
    (16, "customer tags", Script::Both(include_str!("../migrations/0016_customer_tags.sql"))),
    (17, "memberships", Script::Both(include_str!("../migrations/0017_memberships.sql"))),
    (18, "loyalty", Script::Both(include_str!("../migrations/0018_loyalty.sql"))),
    (19, "chats", Script::Both(include_str!("../migrations/0019_chats.sql"))),
    (20, "language", Script::Both(include_str!("../migrations/0020_language.sql"))),
    (21, "media", Script::Both(include_str!("../migrations/0021_media.sql"))),
    (22, "addresses", Script::Both(include_str!("../migrations/0022_addresses.sql"))),
    (23, "message_centre", Script::Both(include_str!("../migrations/0023_message_centre.sql"))),
    (24, "item_photos", Script::Both(include_str!("../migrations/0024_item_photos.sql"))),
    (25, "security", Script::Both(include_str!("../migrations/0025_security.sql"))),
    (26, "durable_payments", Script::Both(include_str!("../migrations/0026_durable_payments.sql"))),
    (27, "reconciliation", Script::Both(include_str!("../migrations/0027_reconciliation.sql"))),
    (28, "message_sends", Script::Both(include_str!("../migrations/0028_message_sends.sql"))),
];

/// The backend's migrations, in order, as sqlx runs them.
fn migrations(backend: Backend) -> Vec<Migration> {
    MIGRATIONS
        .iter()
        .map(|(v, name, script)| {
            let sql = match (script, backend) {
                (Script::Both(sql), _) => *sql,
                (Script::Each { sqlite, .. }, Backend::Sqlite) => *sqlite,
                (Script::Each { postgres, .. }, Backend::Postgres) => *postgres,
            };
            // A script that starts with `-- no-transaction` runs its own transaction (SQLite
            // table rebuilds must turn foreign keys off outside one).
            let no_tx = sql.starts_with("-- no-transaction");
            Migration::new(*v, Cow::Borrowed(*name), MigrationType::Simple, sql.into_sql_str(), no_tx)
        })
        .collect()
}

impl Db {
    /// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://…`).
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, StoreError> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::Database(sqlx::Error::Configuration(
                "database URL must start with sqlite: or postgres:".into(),
            )));
        };
        let options = AnyPoolOptions::new().max_connections(max_connections).acquire_timeout(Duration::from_secs(30));
        let options = match backend {
            // WAL lets readers proceed while one writer writes; foreign keys are per connection.
            Backend::Sqlite => options.after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;").await?;
                    Ok(())
                })
            }),
            Backend::Postgres => options,
        };
        let pool = options.connect(url).await?;
        Ok(Db { pool, backend })
    }

    /// Applies the backend's pending migrations (safe to run from several processes at once on
    /// PostgreSQL: sqlx takes an advisory lock).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let migrations = migrations(self.backend);
        Migrator::with_migrations(migrations).run(&self.pool).await?;
        Ok(())
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// The pool, to run single statements.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The engine behind this pool.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so two writers queue on the busy timeout instead of one failing
    /// when it upgrades a read lock.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        };
        Ok(tx?)
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::{Backend, migrations};

    /// Each backend's migrations as `backend version checksum` lines (sqlx's SHA-384 of the text).
    fn checksums() -> String {
        let mut out = String::new();
        for (backend, label) in [(Backend::Sqlite, "sqlite"), (Backend::Postgres, "postgres")] {
            for m in migrations(backend) {
                let hex: String = m.checksum.iter().map(|b| format!("{b:02x}")).collect();
                out.push_str(&format!("{label} {:04} {hex}\n", m.version));
            }
        }
        out
    }

    /// A migration applied to someone's database must never change (sqlx refuses to start when a
    /// checksum differs), whichever folder its file lives in. A new migration adds its lines to
    /// tests/data/migration_checksums.txt.
    #[test]
    fn applied_migrations_never_change() {
        let recorded = include_str!("../tests/data/migration_checksums.txt");
        let now = checksums();
        for line in recorded.lines() {
            assert!(now.lines().any(|l| l == line), "a recorded migration changed or vanished: {line}");
        }
        for line in now.lines() {
            assert!(recorded.lines().any(|l| l == line), "record this new migration's checksum: {line}");
        }
    }
}
