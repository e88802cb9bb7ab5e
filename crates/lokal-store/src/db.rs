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

const SQLITE: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../migrations/sqlite/0001_foundation.sql")),
    (2, "store profiles", include_str!("../migrations/sqlite/0002_store_profiles.sql")),
    (3, "merchant applications", include_str!("../migrations/sqlite/0003_merchant_applications.sql")),
    (4, "catalog", include_str!("../migrations/sqlite/0004_catalog.sql")),
    (5, "deals, vouchers and ledger", include_str!("../migrations/sqlite/0005_deals_vouchers_ledger.sql")),
    (6, "undo device", include_str!("../migrations/sqlite/0006_undo_device.sql")),
    (7, "menu orders and riders", include_str!("../migrations/sqlite/0007_menu_orders_riders.sql")),
    (8, "coupons", include_str!("../migrations/sqlite/0008_coupons.sql")),
    (9, "coupons at checkout", include_str!("../migrations/sqlite/0009_coupons_at_checkout.sql")),
    (10, "store promotions", include_str!("../migrations/sqlite/0010_store_promotions.sql")),
    (11, "campaigns", include_str!("../migrations/sqlite/0011_campaigns.sql")),
    (12, "analytics", include_str!("../migrations/sqlite/0012_analytics.sql")),
    (13, "first orders", include_str!("../migrations/sqlite/0013_first_orders.sql")),
    (14, "reviews", include_str!("../migrations/sqlite/0014_reviews.sql")),
    (15, "platform discounts", include_str!("../migrations/sqlite/0015_platform_discounts.sql")),
    (16, "customer tags", include_str!("../migrations/sqlite/0016_customer_tags.sql")),
    (17, "memberships", include_str!("../migrations/sqlite/0017_memberships.sql")),
    (18, "loyalty", include_str!("../migrations/sqlite/0018_loyalty.sql")),
    (19, "chats", include_str!("../migrations/sqlite/0019_chats.sql")),
    (20, "language", include_str!("../migrations/sqlite/0020_language.sql")),
    (21, "media", include_str!("../migrations/sqlite/0021_media.sql")),
    (22, "addresses", include_str!("../migrations/sqlite/0022_addresses.sql")),
    (23, "message_centre", include_str!("../migrations/sqlite/0023_message_centre.sql")),
    (24, "item_photos", include_str!("../migrations/sqlite/0024_item_photos.sql")),
    (25, "security", include_str!("../migrations/sqlite/0025_security.sql")),
];
const POSTGRES: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../migrations/postgres/0001_foundation.sql")),
    (2, "store profiles", include_str!("../migrations/postgres/0002_store_profiles.sql")),
    (3, "merchant applications", include_str!("../migrations/postgres/0003_merchant_applications.sql")),
    (4, "catalog", include_str!("../migrations/postgres/0004_catalog.sql")),
    (5, "deals, vouchers and ledger", include_str!("../migrations/postgres/0005_deals_vouchers_ledger.sql")),
    (6, "undo device", include_str!("../migrations/postgres/0006_undo_device.sql")),
    (7, "menu orders and riders", include_str!("../migrations/postgres/0007_menu_orders_riders.sql")),
    (8, "coupons", include_str!("../migrations/postgres/0008_coupons.sql")),
    (9, "coupons at checkout", include_str!("../migrations/postgres/0009_coupons_at_checkout.sql")),
    (10, "store promotions", include_str!("../migrations/postgres/0010_store_promotions.sql")),
    (11, "campaigns", include_str!("../migrations/postgres/0011_campaigns.sql")),
    (12, "analytics", include_str!("../migrations/postgres/0012_analytics.sql")),
    (13, "first orders", include_str!("../migrations/postgres/0013_first_orders.sql")),
    (14, "reviews", include_str!("../migrations/postgres/0014_reviews.sql")),
    (15, "platform discounts", include_str!("../migrations/postgres/0015_platform_discounts.sql")),
    (16, "customer tags", include_str!("../migrations/postgres/0016_customer_tags.sql")),
    (17, "memberships", include_str!("../migrations/postgres/0017_memberships.sql")),
    (18, "loyalty", include_str!("../migrations/postgres/0018_loyalty.sql")),
    (19, "chats", include_str!("../migrations/postgres/0019_chats.sql")),
    (20, "language", include_str!("../migrations/postgres/0020_language.sql")),
    (21, "media", include_str!("../migrations/postgres/0021_media.sql")),
    (22, "addresses", include_str!("../migrations/postgres/0022_addresses.sql")),
    (23, "message_centre", include_str!("../migrations/postgres/0023_message_centre.sql")),
    (24, "item_photos", include_str!("../migrations/postgres/0024_item_photos.sql")),
    (25, "security", include_str!("../migrations/postgres/0025_security.sql")),
];

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
        let scripts = match self.backend {
            Backend::Sqlite => SQLITE,
            Backend::Postgres => POSTGRES,
        };
        let migrations = scripts
            .iter()
            .map(|(v, name, sql)| {
                // A script that starts with `-- no-transaction` runs its own transaction (SQLite
                // table rebuilds must turn foreign keys off outside one).
                let no_tx = sql.starts_with("-- no-transaction");
                Migration::new(*v, Cow::Borrowed(*name), MigrationType::Simple, sql.into_sql_str(), no_tx)
            })
            .collect();
        Migrator::with_migrations(migrations).run(&self.pool).await?;
        Ok(())
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(StoreError::from_sqlx)?;
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
        tx.map_err(StoreError::from_sqlx)
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
