//! `lokal bench dashboards`: a year of orders for a demo city (default 200 stores and
//! 5,000,000 orders) written straight into the database, the rollups built, then every dashboard
//! page timed as the server renders it (refresh included). Prints a Markdown report for
//! docs/benchmarks.md. The database is left in place: `lokal serve` on it shows the dashboards.

use crate::city::Rng;
use crate::demo::{self, CityOptions};
use anyhow::Context;
use lokal_app::App;
use lokal_core::analytics::{Granularity, Period};
use lokal_core::{MerchantId, Principal, StoreId};
use sqlx::Executor;
use std::collections::{HashMap, HashSet};
use std::time::Instant;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Stores in the city.
    pub stores: usize,
    /// Orders over the period.
    pub orders: u64,
    /// Days of history, ending today.
    pub days: i64,
    /// Consumers.
    pub consumers: usize,
    /// Random seed.
    pub seed: u64,
}

fn uuid(rng: &mut Rng) -> String {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
    b[8..].copy_from_slice(&rng.next_u64().to_le_bytes());
    uuid::Builder::from_random_bytes(b).into_uuid().to_string()
}

/// Orders by local hour: quiet nights, lunch and dinner peaks.
const HOUR_WEIGHTS: [u32; 24] = [1, 1, 0, 0, 0, 0, 1, 3, 5, 4, 6, 14, 16, 9, 5, 5, 7, 13, 15, 11, 7, 5, 3, 2];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

struct Batch {
    orders: String,
    details: String,
    lines: String,
    refunds: String,
    rows: usize,
}

impl Batch {
    fn new() -> Self {
        Batch { orders: String::new(), details: String::new(), lines: String::new(), refunds: String::new(), rows: 0 }
    }

    async fn flush(&mut self, app: &App) -> anyhow::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut tx = app.db().begin().await?;
        let parts = [
            (
                "orders (id, user_id, merchant_id, deal_id, quantity, unit_price, total, currency, status, channel, created_at, expires_at, paid_at, updated_at, kind, store_id)",
                &self.orders,
            ),
            (
                "order_details (order_id, store_id, mode, subtotal, packaging_fee, delivery_fee, discount, address, drop_lat_e7, drop_lng_e7, table_code, note, code, scheduled_at, prep_minutes, accept_by, eta_at, accepted_at, ready_at, completed_at, reason, platform_discount, repeat_customer)",
                &self.details,
            ),
            ("order_lines (order_id, line, item_id, name, options, quantity, unit_price, total)", &self.lines),
            ("refunds (id, order_id, amount, currency, provider, provider_ref, reason, created_at)", &self.refunds),
        ];
        for (head, values) in parts {
            if !values.is_empty() {
                let sql = format!("INSERT INTO {head} VALUES {}", values.trim_end_matches(','));
                (&mut *tx).execute(sqlx::AssertSqlSafe(sql)).await?;
            }
        }
        tx.commit().await?;
        *self = Batch::new();
        Ok(())
    }
}

/// Generates the city and its history, builds the rollups and times the pages.
pub async fn run(app: &App, o: Options) -> anyhow::Result<String> {
    demo::seed(app, CityOptions { stores: o.stores, ..CityOptions::default() }).await?;
    let pool = app.db().pool();
    let admin = lokal_store::users::find_by_login(pool, demo::DEMO_LOGINS[0].0).await?.context("demo admin")?;
    let root = Principal { user_id: admin.id, grants: lokal_store::grants::for_user(pool, admin.id).await? };
    let stores: Vec<(MerchantId, StoreId, i64)> = lokal_store::rollups::all_stores(pool).await?;
    let mut rng = Rng::new(o.seed);
    let now = app.now().millis();

    let existing: i64 = {
        use sqlx::Row;
        sqlx::query("SELECT COUNT(*) AS n FROM orders WHERE channel = 'bench'").fetch_one(pool).await?.get("n")
    };
    let (written, generated, users) = if existing > 0 {
        // A second run on the same database times the pages again without generating.
        use sqlx::Row;
        let user: String =
            sqlx::query("SELECT id FROM users WHERE email = 'bench0@bench.lokal'").fetch_one(pool).await?.get("id");
        (0, 0.0, vec![user])
    } else {
        generate(app, o, &stores, &mut rng, now).await?
    };
    let today = lokal_core::analytics::local_day(now, 480);
    let t = Instant::now();
    let rebuild = if existing > 0 {
        // Reused: the rollups were built by the first run; bring them up to date.
        app.refresh_rollups().await?;
        None
    } else {
        // After a bulk load the planner needs fresh statistics (PostgreSQL's autovacuum would
        // gather them in time; SQLite only ever has the ones ANALYZE writes).
        app.db().pool().execute("ANALYZE").await?;
        app.rebuild_rollups().await?;
        Some(t.elapsed().as_secs_f64())
    };

    // The pages: every store (a year by month), every merchant with several stores (a year by
    // week), the platform (a year by day, and 30 days), each as rendered (refresh included).
    let year = Period { from: today - 364, to: today + 1, by: Granularity::Month };
    let mut store_times = Vec::new();
    for (m, s, _) in stores.iter().take(50) {
        let t = Instant::now();
        app.merchant_dashboard(&root, *m, Some(*s), year).await?;
        store_times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let mut per_merchant: HashMap<MerchantId, usize> = HashMap::new();
    for (m, _, _) in &stores {
        *per_merchant.entry(*m).or_default() += 1;
    }
    let mut brand_times = Vec::new();
    let mut biggest = (0, MerchantId::generate());
    for (m, n) in &per_merchant {
        if *n > 1 {
            let t = Instant::now();
            app.merchant_dashboard(&root, *m, None, Period { by: Granularity::Week, ..year }).await?;
            brand_times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        biggest = biggest.max((*n, *m));
    }
    let mut platform_times = Vec::new();
    for by in [Granularity::Day, Granularity::Week, Granularity::Month] {
        let t = Instant::now();
        app.platform_dashboard(&root, Period { by, ..year }).await?;
        platform_times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let t = Instant::now();
    app.platform_dashboard(&root, Period { from: today - 29, to: today + 1, by: Granularity::Day }).await?;
    platform_times.push(t.elapsed().as_secs_f64() * 1e3);
    for v in [&mut store_times, &mut brand_times, &mut platform_times] {
        v.sort_by(f64::total_cmp);
    }
    let orders_in_db: i64 = {
        use sqlx::Row;
        sqlx::query("SELECT COUNT(*) AS n FROM orders").fetch_one(pool).await?.get("n")
    };
    let backend = format!("{:?}", app.db().backend());
    let row = |name: &str, v: &[f64]| {
        format!(
            "| {name} | {} | {:.0} | {:.0} | {:.0} |\n",
            v.len(),
            percentile(v, 0.5),
            percentile(v, 0.99),
            v.last().copied().unwrap_or(0.0)
        )
    };
    let mut out = format!(
        "### Dashboards over a year ({backend})\n\n{} stores, {} merchants, {} consumers, {orders_in_db} orders in the database \
         ({written} generated over {} days) — generated in {generated:.0} s, {}.\n\n\
         | page | pages timed | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|\n",
        stores.len(),
        per_merchant.len(),
        o.consumers,
        o.days,
        rebuild.map_or_else(
            || "reusing the data and rollups of an earlier run".to_owned(),
            |s| format!("statistics gathered and rollups rebuilt in {s:.1} s")
        ),
    );
    out.push_str(&row("store, 12 months by month", &store_times));
    out.push_str(&row(&format!("brand (2–{} stores), 52 weeks by week", biggest.0), &brand_times));
    out.push_str(&row("platform: a year by day/week/month, 30 days", &platform_times));

    // The customer list (issue G): the first page of 100 as the console asks for it, for the
    // biggest brand (all customers, each segment, a name) and for single stores.
    let first = lokal_app::page::PageRequest { after: None, limit: 100 };
    let mut brand_lists = Vec::new();
    let mut filters = vec![lokal_app::customers::CustomerFilter::default()];
    for segment in lokal_core::customers::Segment::ALL {
        filters.push(lokal_app::customers::CustomerFilter { segment: Some(segment), ..Default::default() });
    }
    filters.push(lokal_app::customers::CustomerFilter { name: Some("diner 12".into()), ..Default::default() });
    for f in &filters {
        let t = Instant::now();
        app.customers_page(&root, biggest.1, f, first).await?;
        brand_lists.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let mut store_lists = Vec::new();
    for (m, s, _) in stores.iter().take(20) {
        let f = lokal_app::customers::CustomerFilter { store: Some(*s), ..Default::default() };
        let t = Instant::now();
        app.customers_page(&root, *m, &f, first).await?;
        store_lists.push(t.elapsed().as_secs_f64() * 1e3);
    }
    for v in [&mut brand_lists, &mut store_lists] {
        v.sort_by(f64::total_cmp);
    }
    out.push_str(&row(
        &format!("customers, biggest brand ({} stores): all, each segment, a name", biggest.0),
        &brand_lists,
    ));
    out.push_str(&row("customers, one store", &store_lists));

    // An incremental refresh after a burst of new orders today.
    let (m, s, _) = stores[0];
    // Fresh ids on every run (a rerun on the same database adds another burst).
    let mut rng2 = Rng::new(o.seed ^ u64::try_from(app.now().millis()).unwrap_or(7));
    let mut burst = Batch::new();
    let now = app.now().millis();
    for _ in 0..1_000 {
        let id = uuid(&mut rng2);
        let created = now - i64::try_from(rng2.below(3_600_000)).unwrap_or(0);
        burst.orders.push_str(&format!(
            "('{id}', '{}', '{m}', NULL, 1, 2000, 2000, 'CNY', 'paid', 'bench', {created}, {}, {}, {now}, 'pickup', '{s}'),",
            users[0],
            created + 900_000,
            created + 30_000
        ));
        burst.details.push_str(&format!(
            "('{id}', '{s}', 'pickup', 2000, 0, 0, 0, '', NULL, NULL, '', '', '0000', NULL, 10, NULL, NULL, NULL, NULL, NULL, '', 0, 1),"
        ));
        burst.rows += 1;
    }
    burst.flush(app).await?;
    let t = Instant::now();
    let ranges = app.refresh_rollups().await?;
    out.push_str(&format!(
        "\nIncremental refresh after 1,000 new orders at one store: {:.0} ms ({ranges} store-day range(s) recomputed).\n",
        t.elapsed().as_secs_f64() * 1e3
    ));
    Ok(out)
}

/// Writes the menus, consumers and orders; returns the orders written, the seconds taken and the
/// consumers' ids.
async fn generate(
    app: &App,
    o: Options,
    stores: &[(MerchantId, StoreId, i64)],
    rng: &mut Rng,
    now: i64,
) -> anyhow::Result<(u64, f64, Vec<String>)> {
    let started = Instant::now();
    let pool = app.db().pool();
    // Menus: every merchant gets one if the city gave it none.
    let mut menus: HashMap<MerchantId, Vec<(String, String, i64)>> = HashMap::new();
    for (m, _, _) in stores {
        if menus.contains_key(m) {
            continue;
        }
        let mut items: Vec<(String, String, i64)> =
            sqlx::query("SELECT id, name, price FROM items WHERE merchant_id = $1")
                .bind(m.to_string())
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| {
                    use sqlx::Row;
                    (r.get::<String, _>("id"), r.get::<String, _>("name"), r.get::<i64, _>("price"))
                })
                .collect();
        if items.is_empty() {
            for i in 0..12 {
                let id = uuid(rng);
                let price = 1_500 + i64::try_from(rng.below(54)).unwrap_or(0) * 100;
                let name = format!("Set meal {}", char::from(b'A' + u8::try_from(i).unwrap_or(0)));
                sqlx::query(
                    "INSERT INTO items (id, merchant_id, name, section, description, price, options_json, created_at, updated_at) \
                     VALUES ($1, $2, $3, 'Mains', '', $4, '[]', $5, $5)",
                )
                .bind(&id)
                .bind(m.to_string())
                .bind(&name)
                .bind(price)
                .bind(now)
                .execute(pool)
                .await?;
                items.push((id, name, price));
            }
        }
        menus.insert(*m, items);
    }

    // Consumers, written directly (no password: they never log in).
    let mut users = Vec::with_capacity(o.consumers);
    let mut values = String::new();
    for i in 0..o.consumers {
        let id = uuid(rng);
        values.push_str(&format!("('{id}', 'bench{i}@bench.lokal', NULL, '!', 'Diner {i}', {now}, 0),"));
        users.push(id);
        if (i + 1) % 2_000 == 0 || i + 1 == o.consumers {
            let sql = format!(
                "INSERT INTO users (id, email, phone, password_hash, display_name, created_at, disabled) VALUES {}",
                values.trim_end_matches(',')
            );
            app.db().pool().execute(sqlx::AssertSqlSafe(sql)).await?;
            values.clear();
        }
    }

    // Orders: busier stores and weekends, lunch and dinner peaks, regulars at every store.
    let popularity: Vec<f64> = (0..stores.len()).map(|_| 0.3 + 1.7 * rng.unit() * rng.unit() * 2.0).collect();
    let weight_sum: f64 = popularity.iter().sum();
    let hour_total: u32 = HOUR_WEIGHTS.iter().sum();
    let mut seen: HashSet<u64> = HashSet::new();
    let mut batch = Batch::new();
    let today = lokal_core::analytics::local_day(now, 480);
    let mut written = 0u64;
    #[allow(clippy::cast_precision_loss)]
    let per_day = o.orders as f64 / o.days as f64;
    for d in (today - o.days + 1)..=today {
        let weekend = matches!((d + 3).rem_euclid(7), 5 | 6);
        let day_orders = per_day * if weekend { 1.25 } else { 0.9 };
        for (si, (m, store, off)) in stores.iter().enumerate() {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let n = (day_orders * popularity[si] / weight_sum + rng.unit()) as u64;
            let menu = &menus[m];
            for _ in 0..n {
                let mut pick = u32::try_from(rng.below(u64::from(hour_total))).unwrap_or(0);
                let hour = HOUR_WEIGHTS.iter().position(|w| {
                    if pick < *w {
                        true
                    } else {
                        pick -= w;
                        false
                    }
                });
                let hour = i64::try_from(hour.unwrap_or(12)).unwrap_or(12);
                let local = d * 86_400_000 + hour * 3_600_000 + i64::try_from(rng.below(3_600_000)).unwrap_or(0);
                let created = local - off * 60_000;
                if created > now {
                    continue;
                }
                // Six in ten orders come from the store's 400 regulars.
                let ui = if rng.below(10) < 6 {
                    (si * 7_919 + usize::try_from(rng.below(400)).unwrap_or(0)) % users.len()
                } else {
                    usize::try_from(rng.below(users.len() as u64)).unwrap_or(0)
                };
                let key = (si as u64) << 32 | ui as u64;
                let id = uuid(rng);
                let mode = match rng.below(20) {
                    0..=11 => "delivery",
                    12..=15 => "pickup",
                    16..=18 => "dine_in",
                    _ => "pay_at_store",
                };
                let mut subtotal = 0;
                let lines = 1 + rng.below(3);
                for line in 0..lines {
                    let (item, name, price) = rng.pick(menu);
                    let q = 1 + i64::try_from(rng.below(2)).unwrap_or(0);
                    subtotal += price * q;
                    let name = name.replace('\'', "''");
                    batch
                        .lines
                        .push_str(&format!("('{id}', {line}, '{item}', '{name}', '', {q}, {price}, {}),", price * q));
                }
                let packaging = if mode == "delivery" { 100 * i64::try_from(lines).unwrap_or(1) } else { 0 };
                let delivery_fee = if mode == "delivery" { 500 } else { 0 };
                let discount = if rng.below(10) == 0 { 500.min(subtotal - 1) } else { 0 };
                let total = subtotal + packaging + delivery_fee - discount;
                let fate = rng.below(100);
                let (status, paid) = match fate {
                    0..=2 => ("cancelled", false),
                    3..=5 => ("cancelled", true),
                    _ => ("completed", true),
                };
                let paid_at = if paid { format!("{}", created + 30_000) } else { "NULL".into() };
                let repeat = paid && !seen.insert(key);
                let repeat = i64::from(repeat);
                let (eta, done) = if status == "completed" {
                    let ctd = if mode == "delivery" {
                        1_500_000 + i64::try_from(rng.below(1_800_000)).unwrap_or(0)
                    } else {
                        900_000
                    };
                    (format!("{}", created + 2_400_000), format!("{}", created + ctd))
                } else {
                    ("NULL".into(), "NULL".into())
                };
                batch.orders.push_str(&format!(
                    "('{id}', '{}', '{m}', NULL, {lines}, {total}, {total}, 'CNY', '{status}', 'bench', {created}, {}, {paid_at}, {}, '{mode}', '{store}'),",
                    users[ui],
                    created + 900_000,
                    created + 3_000_000,
                ));
                batch.details.push_str(&format!(
                    "('{id}', '{store}', '{mode}', {subtotal}, {packaging}, {delivery_fee}, {discount}, '', NULL, NULL, '', '', '0000', NULL, 10, NULL, {eta}, NULL, NULL, {done}, '', 0, {repeat}),"
                ));
                if paid && status == "cancelled" {
                    batch.refunds.push_str(&format!(
                        "('{}', '{id}', {total}, 'CNY', 'sandbox', 'bench-{id}', 'cancelled', {}),",
                        uuid(rng),
                        created + 600_000
                    ));
                }
                batch.rows += 1;
                written += 1;
                if batch.rows == 400 {
                    batch.flush(app).await?;
                }
            }
        }
    }
    batch.flush(app).await?;
    Ok((written, started.elapsed().as_secs_f64(), users))
}
