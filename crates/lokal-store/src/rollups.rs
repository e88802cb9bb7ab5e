//! Daily rollups for the dashboards: recomputing a store's (or a merchant's deal sales') days
//! from the orders, refunds, redemptions and vouchers; finding what changed since a watermark;
//! counting store page views; and the reads the dashboards make.

use crate::StoreError;
use crate::row::{get, parse, time};
use lokal_core::Timestamp;
use lokal_core::{MerchantId, StoreId};
use sqlx::{Any, Executor};

/// One day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;

/// A paid order that was not cancelled or rejected (SQL, on `o`).
const KEPT: &str = "o.paid_at IS NOT NULL AND o.status NOT IN ('cancelled', 'rejected')";

async fn run<'e>(
    ex: impl Executor<'e, Database = Any>,
    sql: String,
    binds: (&str, &str, i64, i64, i64),
) -> Result<(), StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(binds.0.to_owned())
        .bind(binds.1.to_owned())
        .bind(binds.2)
        .bind(binds.3)
        .bind(binds.4)
        .execute(ex)
        .await?;
    Ok(())
}

/// Recomputes store `store`'s rows for local days `from_day..to_day` (the store's local time is
/// UTC + `offset_ms`): its menu orders and bills, delivery figures, busy hours, items and the
/// redemptions at its counter.
pub async fn recompute_store(
    tx: &mut crate::Tx,
    merchant: MerchantId,
    store: StoreId,
    offset_ms: i64,
    from_day: i64,
    to_day: i64,
) -> Result<(), StoreError> {
    let (m, s) = (merchant.to_string(), store.to_string());
    let (lo, hi) = (from_day * DAY_MS - offset_ms, to_day * DAY_MS - offset_ms);
    for table in ["store_days", "store_hours", "store_item_days"] {
        let sql = format!("DELETE FROM {table} WHERE merchant_id = $1 AND store_id = $2 AND day >= $3 AND day < $4");
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(&m).bind(&s).bind(from_day).bind(to_day).execute(&mut **tx).await?;
    }
    let day = "(o.created_at + $3) / 86400000";
    let delivered = "o.status = 'completed' AND d.mode = 'delivery'";
    run(
        &mut **tx,
        format!(
            "INSERT INTO store_days (merchant_id, store_id, day, orders, paid_orders, gmv, refunds, discounts, \
             platform_discounts, returning_orders, completed, delivered, on_time, ctd_secs, vouchers_sold, \
             vouchers_used, redemptions, redeemed_value) \
             SELECT $1, $2, {day}, COUNT(*), \
             SUM(CASE WHEN {KEPT} THEN 1 ELSE 0 END), \
             SUM(CASE WHEN o.paid_at IS NOT NULL THEN o.total ELSE 0 END), \
             SUM(COALESCE((SELECT SUM(r.amount) FROM refunds r WHERE r.order_id = o.id), 0)), \
             SUM(CASE WHEN {KEPT} THEN d.discount ELSE 0 END), \
             SUM(CASE WHEN {KEPT} THEN d.platform_discount ELSE 0 END), \
             SUM(CASE WHEN {KEPT} AND d.repeat_customer = 1 THEN 1 ELSE 0 END), \
             SUM(CASE WHEN o.status = 'completed' THEN 1 ELSE 0 END), \
             SUM(CASE WHEN {delivered} THEN 1 ELSE 0 END), \
             SUM(CASE WHEN {delivered} AND d.completed_at <= d.eta_at THEN 1 ELSE 0 END), \
             SUM(CASE WHEN {delivered} THEN (d.completed_at - o.created_at) / 1000 ELSE 0 END), \
             0, 0, 0, 0 \
             FROM orders o JOIN order_details d ON d.order_id = o.id \
             WHERE o.store_id = $2 AND o.created_at >= $4 AND o.created_at < $5 GROUP BY {day} \
             ON CONFLICT (merchant_id, store_id, day) DO UPDATE SET orders = excluded.orders, paid_orders = excluded.paid_orders, \
             gmv = excluded.gmv, refunds = excluded.refunds, discounts = excluded.discounts, \
             platform_discounts = excluded.platform_discounts, returning_orders = excluded.returning_orders, \
             completed = excluded.completed, delivered = excluded.delivered, on_time = excluded.on_time, \
             ctd_secs = excluded.ctd_secs"
        ),
        (&m, &s, offset_ms, lo, hi),
    )
    .await?;
    run(
        &mut **tx,
        "INSERT INTO store_days (merchant_id, store_id, day, orders, paid_orders, gmv, refunds, discounts, \
             returning_orders, completed, delivered, on_time, ctd_secs, vouchers_sold, vouchers_used, redemptions, \
             redeemed_value) \
             SELECT $1, $2, (x.created_at + $3) / 86400000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, COUNT(*), SUM(x.value) \
             FROM redemptions x WHERE x.store_id = $2 AND x.undone_at IS NULL AND x.created_at >= $4 \
             AND x.created_at < $5 GROUP BY (x.created_at + $3) / 86400000 \
             ON CONFLICT (merchant_id, store_id, day) DO UPDATE SET redemptions = excluded.redemptions, \
             redeemed_value = excluded.redeemed_value"
            .to_owned(),
        (&m, &s, offset_ms, lo, hi),
    )
    .await?;
    let hour = "((o.created_at + $3) % 86400000) / 3600000";
    run(
        &mut **tx,
        format!(
            "INSERT INTO store_hours (merchant_id, store_id, day, hour, orders, gmv) \
             SELECT $1, $2, {day}, {hour}, COUNT(*), SUM(o.total) FROM orders o \
             WHERE o.store_id = $2 AND o.created_at >= $4 AND o.created_at < $5 AND {KEPT} GROUP BY {day}, {hour} \
             ON CONFLICT (merchant_id, store_id, day, hour) DO UPDATE SET orders = excluded.orders, gmv = excluded.gmv"
        ),
        (&m, &s, offset_ms, lo, hi),
    )
    .await?;
    run(
        &mut **tx,
        format!(
            "INSERT INTO store_item_days (merchant_id, store_id, day, item_id, name, quantity, revenue) \
             SELECT $1, $2, {day}, l.item_id, MAX(l.name), SUM(l.quantity), SUM(l.total) \
             FROM orders o JOIN order_lines l ON l.order_id = o.id \
             WHERE o.store_id = $2 AND o.created_at >= $4 AND o.created_at < $5 AND {KEPT} GROUP BY {day}, l.item_id \
             ON CONFLICT (merchant_id, store_id, day, item_id) DO UPDATE SET name = excluded.name, \
             quantity = excluded.quantity, revenue = excluded.revenue"
        ),
        (&m, &s, offset_ms, lo, hi),
    )
    .await?;
    Ok(())
}

/// Recomputes a merchant's deal sales (store `''`) for days `from_day..to_day`: deal orders and
/// the vouchers sold on each day with how many of them have been used.
pub async fn recompute_deals(
    tx: &mut crate::Tx,
    merchant: MerchantId,
    offset_ms: i64,
    from_day: i64,
    to_day: i64,
) -> Result<(), StoreError> {
    let m = merchant.to_string();
    let (lo, hi) = (from_day * DAY_MS - offset_ms, to_day * DAY_MS - offset_ms);
    sqlx::query("DELETE FROM store_days WHERE merchant_id = $1 AND store_id = '' AND day >= $2 AND day < $3")
        .bind(&m)
        .bind(from_day)
        .bind(to_day)
        .execute(&mut **tx)
        .await?;
    let day = "(o.created_at + $3) / 86400000";
    run(
        &mut **tx,
        format!(
            "INSERT INTO store_days (merchant_id, store_id, day, orders, paid_orders, gmv, refunds, discounts, \
             returning_orders, completed, delivered, on_time, ctd_secs, vouchers_sold, vouchers_used, redemptions, \
             redeemed_value) \
             SELECT $1, $2, {day}, COUNT(*), SUM(CASE WHEN {KEPT} THEN 1 ELSE 0 END), \
             SUM(CASE WHEN o.paid_at IS NOT NULL THEN o.total ELSE 0 END), \
             SUM(COALESCE((SELECT SUM(r.amount) FROM refunds r WHERE r.order_id = o.id), 0)), \
             0, 0, 0, 0, 0, 0, 0, 0, 0, 0 \
             FROM orders o WHERE o.merchant_id = $1 AND o.kind = 'deal' AND o.created_at >= $4 AND o.created_at < $5 \
             GROUP BY {day} ON CONFLICT (merchant_id, store_id, day) DO UPDATE SET orders = excluded.orders, \
             paid_orders = excluded.paid_orders, gmv = excluded.gmv, refunds = excluded.refunds"
        ),
        (&m, "", offset_ms, lo, hi),
    )
    .await?;
    run(
        &mut **tx,
        "INSERT INTO store_days (merchant_id, store_id, day, orders, paid_orders, gmv, refunds, discounts, \
         returning_orders, completed, delivered, on_time, ctd_secs, vouchers_sold, vouchers_used, redemptions, \
         redeemed_value) \
         SELECT $1, $2, (v.created_at + $3) / 86400000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, COUNT(*), \
         SUM(CASE WHEN v.uses_left < v.uses_total THEN 1 ELSE 0 END), 0, 0 \
         FROM vouchers v WHERE v.merchant_id = $1 AND v.created_at >= $4 AND v.created_at < $5 \
         GROUP BY (v.created_at + $3) / 86400000 \
         ON CONFLICT (merchant_id, store_id, day) DO UPDATE SET vouchers_sold = excluded.vouchers_sold, \
         vouchers_used = excluded.vouchers_used"
            .to_owned(),
        (&m, "", offset_ms, lo, hi),
    )
    .await?;
    Ok(())
}

/// Something whose rollup rows may have changed: a store's (or, with `store: None`, a
/// merchant's deal sales') day containing the instant `at`, epoch ms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Touched {
    /// The merchant.
    pub merchant: MerchantId,
    /// The store, or `None` for deal sales.
    pub store: Option<StoreId>,
    /// The instant whose local day changed.
    pub at: Timestamp,
}

/// What changed at or after `since`: orders placed or moved, refunds, redemptions made or undone,
/// vouchers used.
pub async fn touched_since<'e>(
    ex: impl Executor<'e, Database = Any> + Copy,
    since: i64,
) -> Result<Vec<Touched>, StoreError> {
    let sql = "SELECT o.merchant_id, o.store_id, o.created_at AS at FROM orders o WHERE o.updated_at >= $1 \
        UNION SELECT o.merchant_id, o.store_id, o.created_at AS at FROM refunds r JOIN orders o ON o.id = r.order_id \
        WHERE r.created_at >= $1 \
        UNION SELECT s.merchant_id, x.store_id, x.created_at AS at FROM redemptions x JOIN stores s ON s.id = x.store_id \
        WHERE x.created_at >= $1 OR x.undone_at >= $1 \
        UNION SELECT v.merchant_id, NULL AS store_id, v.created_at AS at FROM vouchers v WHERE v.updated_at >= $1";
    let rows = sqlx::query(sql).bind(since).fetch_all(ex).await?;
    rows.iter()
        .map(|r| {
            let store: Option<String> = get(r, "store_id")?;
            Ok(Touched {
                merchant: parse(r, "merchant_id")?,
                store: store
                    .filter(|s| !s.is_empty())
                    .map(|s| s.parse())
                    .transpose()
                    .map_err(|_| StoreError::Corrupt("store_id: cannot parse".into()))?,
                at: time(r, "at")?,
            })
        })
        .collect()
}

/// The watermark of a refresher (`None` before its first run).
pub async fn watermark<'e>(ex: impl Executor<'e, Database = Any>, name: &str) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query("SELECT watermark FROM rollup_state WHERE name = $1").bind(name).fetch_optional(ex).await?;
    Ok(row.map(|r| get(&r, "watermark")).transpose()?)
}

/// Sets a refresher's watermark.
pub async fn set_watermark<'e>(ex: impl Executor<'e, Database = Any>, name: &str, at: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO rollup_state (name, watermark) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET watermark = excluded.watermark",
    )
    .bind(name)
    .bind(at)
    .execute(ex)
    .await?;
    Ok(())
}

/// Counts `n` views of a store's page on local day `day`.
pub async fn count_view<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    store: StoreId,
    day: i64,
    n: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO store_views (merchant_id, store_id, day, views) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (merchant_id, store_id, day) DO UPDATE SET views = store_views.views + $4",
    )
    .bind(merchant.to_string())
    .bind(store.to_string())
    .bind(day)
    .bind(n)
    .execute(ex)
    .await?;
    Ok(())
}

/// The figures of one day (or a sum of days).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayFigures {
    /// Orders placed.
    pub orders: i64,
    /// Paid and not cancelled or rejected.
    pub paid_orders: i64,
    /// Paid by consumers, minor units.
    pub gmv: i64,
    /// Refunded on those orders.
    pub refunds: i64,
    /// Discounts on kept orders.
    pub discounts: i64,
    /// Of them, funded by the platform.
    pub platform_discounts: i64,
    /// Kept orders at stores (menu orders and bills; deal sales excluded).
    pub store_paid_orders: i64,
    /// Kept orders by customers who had ordered at the store before.
    pub returning_orders: i64,
    /// Orders handed over.
    pub completed: i64,
    /// Delivery orders delivered.
    pub delivered: i64,
    /// Of them, by the time promised at ordering.
    pub on_time: i64,
    /// Their click-to-door seconds, summed.
    pub ctd_secs: i64,
    /// Vouchers sold.
    pub vouchers_sold: i64,
    /// Of them, used at least once.
    pub vouchers_used: i64,
    /// Redemptions at the counter.
    pub redemptions: i64,
    /// Their value.
    pub redeemed_value: i64,
    /// Store page views.
    pub views: i64,
}

impl std::ops::AddAssign for DayFigures {
    fn add_assign(&mut self, o: DayFigures) {
        self.orders += o.orders;
        self.paid_orders += o.paid_orders;
        self.gmv += o.gmv;
        self.refunds += o.refunds;
        self.discounts += o.discounts;
        self.platform_discounts += o.platform_discounts;
        self.store_paid_orders += o.store_paid_orders;
        self.returning_orders += o.returning_orders;
        self.completed += o.completed;
        self.delivered += o.delivered;
        self.on_time += o.on_time;
        self.ctd_secs += o.ctd_secs;
        self.vouchers_sold += o.vouchers_sold;
        self.vouchers_used += o.vouchers_used;
        self.redemptions += o.redemptions;
        self.redeemed_value += o.redeemed_value;
        self.views += o.views;
    }
}

/// Which rows a dashboard reads: a merchant (optionally one store), or the whole platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slice {
    /// Every merchant.
    Platform,
    /// One merchant, every store and its deal sales.
    Merchant(MerchantId),
    /// One store.
    Store(MerchantId, StoreId),
}

impl Slice {
    fn filter(self) -> (&'static str, String, String) {
        match self {
            Slice::Platform => ("", String::new(), String::new()),
            Slice::Merchant(m) => (" AND merchant_id = $3", m.to_string(), String::new()),
            Slice::Store(m, s) => (" AND merchant_id = $3 AND store_id = $4", m.to_string(), s.to_string()),
        }
    }

    fn query<'q>(
        self,
        sql: String,
        from_day: i64,
        to_day: i64,
    ) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments> {
        let (_, m, s) = self.filter();
        let q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(from_day).bind(to_day);
        match self {
            Slice::Platform => q,
            Slice::Merchant(_) => q.bind(m),
            Slice::Store(..) => q.bind(m).bind(s),
        }
    }
}

/// Figures per day in `from_day..to_day`, with the page views, oldest first (days without
/// anything are absent).
pub async fn days<'e>(
    ex: impl Executor<'e, Database = Any> + Copy,
    slice: Slice,
    from_day: i64,
    to_day: i64,
) -> Result<Vec<(i64, DayFigures)>, StoreError> {
    let (filter, _, _) = slice.filter();
    let sum = |c: &str| format!("CAST(SUM({c}) AS BIGINT) AS {c}");
    let cols = [
        "orders",
        "paid_orders",
        "gmv",
        "refunds",
        "discounts",
        "platform_discounts",
        "returning_orders",
        "completed",
        "delivered",
        "on_time",
        "ctd_secs",
        "vouchers_sold",
        "vouchers_used",
        "redemptions",
        "redeemed_value",
    ];
    let sql = format!(
        "SELECT day, {}, CAST(SUM(CASE WHEN store_id <> '' THEN paid_orders ELSE 0 END) AS BIGINT) AS store_paid_orders \
         FROM store_days WHERE day >= $1 AND day < $2{filter} GROUP BY day ORDER BY day",
        cols.iter().map(|c| sum(c)).collect::<Vec<_>>().join(", ")
    );
    let rows = slice.query(sql, from_day, to_day).fetch_all(ex).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push((
            get(r, "day")?,
            DayFigures {
                orders: get(r, "orders")?,
                paid_orders: get(r, "paid_orders")?,
                gmv: get(r, "gmv")?,
                refunds: get(r, "refunds")?,
                discounts: get(r, "discounts")?,
                platform_discounts: get(r, "platform_discounts")?,
                store_paid_orders: get(r, "store_paid_orders")?,
                returning_orders: get(r, "returning_orders")?,
                completed: get(r, "completed")?,
                delivered: get(r, "delivered")?,
                on_time: get(r, "on_time")?,
                ctd_secs: get(r, "ctd_secs")?,
                vouchers_sold: get(r, "vouchers_sold")?,
                vouchers_used: get(r, "vouchers_used")?,
                redemptions: get(r, "redemptions")?,
                redeemed_value: get(r, "redeemed_value")?,
                views: 0,
            },
        ));
    }
    let sql = format!(
        "SELECT day, CAST(SUM(views) AS BIGINT) AS views FROM store_views WHERE day >= $1 AND day < $2{filter} \
         GROUP BY day ORDER BY day"
    );
    for r in slice.query(sql, from_day, to_day).fetch_all(ex).await? {
        let (day, views): (i64, i64) = (get(&r, "day")?, get(&r, "views")?);
        match out.binary_search_by_key(&day, |(d, _)| *d) {
            Ok(i) => out[i].1.views = views,
            Err(i) => out.insert(i, (day, DayFigures { views, ..DayFigures::default() })),
        }
    }
    Ok(out)
}

/// Kept orders per local hour of the day (0–23) over `from_day..to_day`.
pub async fn hours<'e>(
    ex: impl Executor<'e, Database = Any>,
    slice: Slice,
    from_day: i64,
    to_day: i64,
) -> Result<[i64; 24], StoreError> {
    let (filter, _, _) = slice.filter();
    let sql = format!(
        "SELECT hour, CAST(SUM(orders) AS BIGINT) AS orders FROM store_hours WHERE day >= $1 AND day < $2{filter} \
         GROUP BY hour"
    );
    let mut out = [0i64; 24];
    for r in slice.query(sql, from_day, to_day).fetch_all(ex).await? {
        let hour: i64 = get(&r, "hour")?;
        if let Some(slot) = usize::try_from(hour).ok().and_then(|h| out.get_mut(h)) {
            *slot = get(&r, "orders")?;
        }
    }
    Ok(out)
}

/// The best-selling items by revenue over `from_day..to_day`: id, name, quantity, revenue.
pub async fn top_items<'e>(
    ex: impl Executor<'e, Database = Any>,
    slice: Slice,
    from_day: i64,
    to_day: i64,
    limit: i64,
) -> Result<Vec<(String, String, i64, i64)>, StoreError> {
    let (filter, _, _) = slice.filter();
    let sql = format!(
        "SELECT item_id, MAX(name) AS name, CAST(SUM(quantity) AS BIGINT) AS quantity, \
         CAST(SUM(revenue) AS BIGINT) AS revenue FROM store_item_days WHERE day >= $1 AND day < $2{filter} \
         GROUP BY item_id ORDER BY revenue DESC, item_id LIMIT {}",
        limit.clamp(1, 100)
    );
    let rows = slice.query(sql, from_day, to_day).fetch_all(ex).await?;
    rows.iter().map(|r| Ok((get(r, "item_id")?, get(r, "name")?, get(r, "quantity")?, get(r, "revenue")?))).collect()
}

/// Merchants with at least one kept order over `from_day..to_day`.
pub async fn active_merchants<'e>(
    ex: impl Executor<'e, Database = Any>,
    from_day: i64,
    to_day: i64,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "SELECT COUNT(DISTINCT merchant_id) AS n FROM store_days WHERE day >= $1 AND day < $2 AND paid_orders > 0",
    )
    .bind(from_day)
    .bind(to_day)
    .fetch_one(ex)
    .await?;
    Ok(get(&row, "n")?)
}

/// Every store with its merchant and UTC offset in minutes.
pub async fn all_stores<'e>(
    ex: impl Executor<'e, Database = Any>,
) -> Result<Vec<(MerchantId, StoreId, i64)>, StoreError> {
    let rows = sqlx::query("SELECT merchant_id, id, utc_offset_min FROM stores ORDER BY merchant_id, id")
        .fetch_all(ex)
        .await?;
    rows.iter().map(|r| Ok((parse(r, "merchant_id")?, parse(r, "id")?, get(r, "utc_offset_min")?))).collect()
}

/// Every merchant.
pub async fn all_merchants<'e>(ex: impl Executor<'e, Database = Any>) -> Result<Vec<MerchantId>, StoreError> {
    let rows = sqlx::query("SELECT id FROM merchants ORDER BY id").fetch_all(ex).await?;
    Ok(rows.iter().map(|r| parse(r, "id")).collect::<Result<_, _>>()?)
}

/// Reviews written between `from_ms` and `to_ms` (the funnel's last step), for a slice.
pub async fn reviews_written<'e>(
    ex: impl Executor<'e, Database = Any>,
    slice: Slice,
    from_ms: i64,
    to_ms: i64,
) -> Result<i64, StoreError> {
    let (filter, _, _) = slice.filter();
    let sql = format!("SELECT COUNT(*) AS n FROM reviews WHERE created_at >= $1 AND created_at < $2{filter}");
    let row = slice.query(sql, from_ms, to_ms).fetch_one(ex).await?;
    Ok(get(&row, "n")?)
}
