//! Menu orders' own rows: a store's ordering settings, quotes, the details and lines of an order,
//! its timeline, and taking item stock when an order is paid.

use crate::StoreError;
use crate::row::{get, opt, opt_time, parse, time};
use lokal_core::{ItemId, OrderId, QuoteId, StoreId, Timestamp, UserId};
use sqlx::FromRow;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

/// A store's ordering settings as stored JSON, if it set any.
pub async fn settings<'e>(ex: impl Executor<'e, Database = Any>, store: StoreId) -> Result<Option<String>, StoreError> {
    let row = sqlx::query("SELECT settings_json FROM store_settings WHERE store_id = $1")
        .bind(store.to_string())
        .fetch_optional(ex)
        .await?;
    Ok(row.as_ref().map(|r| get(r, "settings_json")).transpose()?)
}

/// Stores a store's ordering settings.
pub async fn set_settings<'e>(
    ex: impl Executor<'e, Database = Any>,
    store: StoreId,
    json: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO store_settings (store_id, settings_json, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (store_id) DO UPDATE SET settings_json = $2, updated_at = $3",
    )
    .bind(store.to_string())
    .bind(json)
    .bind(now.millis())
    .execute(ex)
    .await?;
    Ok(())
}

/// A stored quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteRow {
    /// The id.
    pub id: QuoteId,
    /// Who asked.
    pub user_id: UserId,
    /// The store.
    pub store_id: StoreId,
    /// The cart as sent (JSON).
    pub cart_json: String,
    /// The quoted total, minor units.
    pub total: i64,
    /// The quoted minutes to the door (or to ready, for pickup).
    pub eta_minutes: i64,
    /// Created.
    pub created_at: Timestamp,
    /// Valid until.
    pub expires_at: Timestamp,
}

/// Stores a quote.
pub async fn insert_quote<'e>(ex: impl Executor<'e, Database = Any>, q: &QuoteRow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO quotes (id, user_id, store_id, cart_json, total, eta_minutes, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(q.id.to_string())
    .bind(q.user_id.to_string())
    .bind(q.store_id.to_string())
    .bind(&q.cart_json)
    .bind(q.total)
    .bind(q.eta_minutes)
    .bind(q.created_at.millis())
    .bind(q.expires_at.millis())
    .execute(ex)
    .await?;
    Ok(())
}

/// A quote by id.
pub async fn quote<'e>(ex: impl Executor<'e, Database = Any>, id: QuoteId) -> Result<Option<QuoteRow>, StoreError> {
    let row = sqlx::query(
        "SELECT id, user_id, store_id, cart_json, total, eta_minutes, created_at, expires_at FROM quotes WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(ex)
    .await?;
    row.as_ref()
        .map(|r| {
            Ok(QuoteRow {
                id: parse(r, "id")?,
                user_id: parse(r, "user_id")?,
                store_id: parse(r, "store_id")?,
                cart_json: get(r, "cart_json")?,
                total: get(r, "total")?,
                eta_minutes: get(r, "eta_minutes")?,
                created_at: time(r, "created_at")?,
                expires_at: time(r, "expires_at")?,
            })
        })
        .transpose()
}

/// Deletes quotes that expired before `before`; returns how many.
pub async fn purge_quotes<'e>(ex: impl Executor<'e, Database = Any>, before: Timestamp) -> Result<u64, StoreError> {
    let r = sqlx::query("DELETE FROM quotes WHERE expires_at < $1").bind(before.millis()).execute(ex).await?;
    Ok(r.rows_affected())
}

/// What a menu order adds to its `orders` row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DetailRow {
    /// The order.
    pub order_id: Option<OrderId>,
    /// The store.
    pub store_id: Option<StoreId>,
    /// `delivery`, `pickup`, `dine_in` or `pay_at_store`.
    pub mode: String,
    /// Items (or the bill, for pay-at-store), minor units.
    pub subtotal: i64,
    /// Packaging fee.
    pub packaging_fee: i64,
    /// Delivery fee.
    pub delivery_fee: i64,
    /// All discounts (the pay-at-store rule, coupons), minor units.
    pub discount: i64,
    /// The part of `discount` the platform pays (its coupons), minor units.
    pub platform_discount: i64,
    /// Drop-off address as written (delivery).
    pub address: String,
    /// Drop-off point, 1e-7 degrees (delivery).
    pub drop: Option<(i64, i64)>,
    /// Table code (dine-in).
    pub table_code: String,
    /// The consumer's note to the store.
    pub note: String,
    /// Pickup code, delivery code or bill confirmation code.
    pub code: String,
    /// Chosen time slot (none: as soon as possible).
    pub scheduled_at: Option<Timestamp>,
    /// Preparation minutes (set on acceptance).
    pub prep_minutes: i64,
    /// The store must accept by then (set on payment).
    pub accept_by: Option<Timestamp>,
    /// Estimated hand-over.
    pub eta_at: Option<Timestamp>,
    /// Accepted.
    pub accepted_at: Option<Timestamp>,
    /// Ready.
    pub ready_at: Option<Timestamp>,
    /// Completed.
    pub completed_at: Option<Timestamp>,
    /// Why it was rejected or cancelled.
    pub reason: String,
    /// The consumer already had a paid order at this store when placing it.
    pub returning: bool,
    /// The saved address the order was placed with (delivery), if any.
    pub address_id: Option<String>,
    /// Who receives it (snapshot of the address).
    pub contact_name: String,
    /// Their phone, E.164 (snapshot).
    pub contact_phone: String,
    /// Door, floor or room (snapshot).
    pub door: String,
}

const DETAIL_COLUMNS: &str = "order_id, store_id, mode, subtotal, packaging_fee, delivery_fee, discount, address, \
    drop_lat_e7, drop_lng_e7, table_code, note, code, scheduled_at, prep_minutes, accept_by, eta_at, accepted_at, \
    ready_at, completed_at, reason, platform_discount, repeat_customer, address_id, contact_name, contact_phone, door";

impl FromRow<'_, AnyRow> for DetailRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        let lat: Option<i64> = get(r, "drop_lat_e7")?;
        let lng: Option<i64> = get(r, "drop_lng_e7")?;
        Ok(Self {
            order_id: Some(parse(r, "order_id")?),
            store_id: Some(parse(r, "store_id")?),
            mode: get(r, "mode")?,
            subtotal: get(r, "subtotal")?,
            packaging_fee: get(r, "packaging_fee")?,
            delivery_fee: get(r, "delivery_fee")?,
            discount: get(r, "discount")?,
            address: get(r, "address")?,
            drop: lat.zip(lng),
            table_code: get(r, "table_code")?,
            note: get(r, "note")?,
            code: get(r, "code")?,
            scheduled_at: opt_time(r, "scheduled_at")?,
            prep_minutes: get(r, "prep_minutes")?,
            accept_by: opt_time(r, "accept_by")?,
            eta_at: opt_time(r, "eta_at")?,
            accepted_at: opt_time(r, "accepted_at")?,
            ready_at: opt_time(r, "ready_at")?,
            completed_at: opt_time(r, "completed_at")?,
            reason: get(r, "reason")?,
            platform_discount: get(r, "platform_discount")?,
            returning: get::<i64>(r, "repeat_customer")? != 0,
            address_id: get(r, "address_id")?,
            contact_name: get(r, "contact_name")?,
            contact_phone: get(r, "contact_phone")?,
            door: get(r, "door")?,
        })
    }
}

/// Inserts an order's details.
pub async fn insert_detail(tx: &mut crate::Tx, d: &DetailRow) -> Result<(), StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO order_details ({DETAIL_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
         $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27)"
    ));
    sqlx::query(sql)
        .bind(d.order_id.map(|o| o.to_string()))
        .bind(d.store_id.map(|s| s.to_string()))
        .bind(&d.mode)
        .bind(d.subtotal)
        .bind(d.packaging_fee)
        .bind(d.delivery_fee)
        .bind(d.discount)
        .bind(&d.address)
        .bind(d.drop.map(|p| p.0))
        .bind(d.drop.map(|p| p.1))
        .bind(&d.table_code)
        .bind(&d.note)
        .bind(&d.code)
        .bind(d.scheduled_at.map(Timestamp::millis))
        .bind(d.prep_minutes)
        .bind(d.accept_by.map(Timestamp::millis))
        .bind(d.eta_at.map(Timestamp::millis))
        .bind(d.accepted_at.map(Timestamp::millis))
        .bind(d.ready_at.map(Timestamp::millis))
        .bind(d.completed_at.map(Timestamp::millis))
        .bind(&d.reason)
        .bind(d.platform_discount)
        .bind(i64::from(d.returning))
        .bind(d.address_id.clone())
        .bind(&d.contact_name)
        .bind(&d.contact_phone)
        .bind(&d.door)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An order's details.
pub async fn detail<'e>(ex: impl Executor<'e, Database = Any>, id: OrderId) -> Result<Option<DetailRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {DETAIL_COLUMNS} FROM order_details WHERE order_id = $1"));
    Ok(sqlx::query_as(sql).bind(id.to_string()).fetch_optional(ex).await?)
}

/// Which time column of the details an update sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    /// `accept_by` (payment confirmed).
    AcceptBy,
    /// `accepted_at`.
    Accepted,
    /// `ready_at`.
    Ready,
    /// `completed_at`.
    Completed,
    /// `eta_at`.
    Eta,
}

/// Sets one time column of an order's details.
pub async fn stamp(tx: &mut crate::Tx, id: OrderId, which: Stamp, at: Timestamp) -> Result<(), StoreError> {
    let sql = match which {
        Stamp::AcceptBy => "UPDATE order_details SET accept_by = $2 WHERE order_id = $1",
        Stamp::Accepted => "UPDATE order_details SET accepted_at = $2, accept_by = NULL WHERE order_id = $1",
        Stamp::Ready => "UPDATE order_details SET ready_at = $2 WHERE order_id = $1",
        Stamp::Completed => "UPDATE order_details SET completed_at = $2 WHERE order_id = $1",
        Stamp::Eta => "UPDATE order_details SET eta_at = $2 WHERE order_id = $1",
    };
    sqlx::query(sql).bind(id.to_string()).bind(at.millis()).execute(&mut **tx).await?;
    Ok(())
}

/// Records the preparation time and the reason of a rejection or cancellation.
pub async fn set_prep_and_reason(
    tx: &mut crate::Tx,
    id: OrderId,
    prep: Option<i64>,
    reason: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE order_details SET prep_minutes = COALESCE($2, prep_minutes), \
         reason = CASE WHEN $3 = '' THEN reason ELSE $3 END, accept_by = NULL WHERE order_id = $1",
    )
    .bind(id.to_string())
    .bind(prep)
    .bind(reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Paid orders whose acceptance deadline passed, oldest first.
pub async fn overdue_acceptance<'e>(
    ex: impl Executor<'e, Database = Any>,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<OrderId>, StoreError> {
    let rows = sqlx::query(
        "SELECT d.order_id FROM order_details d JOIN orders o ON o.id = d.order_id \
         WHERE d.accept_by <= $1 AND o.status = 'paid' ORDER BY d.accept_by LIMIT $2",
    )
    .bind(now.millis())
    .bind(limit)
    .fetch_all(ex)
    .await?;
    Ok(rows.iter().map(|r| parse(r, "order_id")).collect::<Result<_, _>>()?)
}

/// A line of a menu order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineRow {
    /// The item.
    pub item_id: ItemId,
    /// Its name when ordered.
    pub name: String,
    /// The chosen options as text.
    pub options: String,
    /// How many.
    pub quantity: i64,
    /// Price of one with its options.
    pub unit_price: i64,
    /// quantity × unit price.
    pub total: i64,
}

/// Inserts an order's lines.
pub async fn insert_lines(tx: &mut crate::Tx, order: OrderId, lines: &[LineRow]) -> Result<(), StoreError> {
    for (i, l) in lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO order_lines (order_id, line, item_id, name, options, quantity, unit_price, total) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(order.to_string())
        .bind(i as i64)
        .bind(l.item_id.to_string())
        .bind(&l.name)
        .bind(&l.options)
        .bind(l.quantity)
        .bind(l.unit_price)
        .bind(l.total)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// An order's lines in order.
pub async fn lines<'e>(ex: impl Executor<'e, Database = Any>, order: OrderId) -> Result<Vec<LineRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT item_id, name, options, quantity, unit_price, total FROM order_lines WHERE order_id = $1 ORDER BY line",
    )
    .bind(order.to_string())
    .fetch_all(ex)
    .await?)
}

impl FromRow<'_, AnyRow> for LineRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            item_id: parse(r, "item_id")?,
            name: get(r, "name")?,
            options: get(r, "options")?,
            quantity: get(r, "quantity")?,
            unit_price: get(r, "unit_price")?,
            total: get(r, "total")?,
        })
    }
}

/// Takes `n` of a store's counted stock of an item; false when fewer are left. Items whose stock
/// the store does not count always succeed.
pub async fn take_item_stock(tx: &mut crate::Tx, store: StoreId, item: ItemId, n: i64) -> Result<bool, StoreError> {
    let counted =
        sqlx::query("SELECT stock FROM store_items WHERE store_id = $1 AND item_id = $2 AND stock IS NOT NULL")
            .bind(store.to_string())
            .bind(item.to_string())
            .fetch_optional(&mut **tx)
            .await?;
    if counted.is_none() {
        return Ok(true);
    }
    let r =
        sqlx::query("UPDATE store_items SET stock = stock - $3 WHERE store_id = $1 AND item_id = $2 AND stock >= $3")
            .bind(store.to_string())
            .bind(item.to_string())
            .bind(n)
            .execute(&mut **tx)
            .await?;
    Ok(r.rows_affected() == 1)
}

/// Gives `n` back to a store's counted stock of an item (an order cancelled before the store
/// accepted it). Uncounted items stay uncounted.
pub async fn return_item_stock(tx: &mut crate::Tx, store: StoreId, item: ItemId, n: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE store_items SET stock = stock + $3 WHERE store_id = $1 AND item_id = $2 AND stock IS NOT NULL")
        .bind(store.to_string())
        .bind(item.to_string())
        .bind(n)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// One step of an order's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    /// What happened (`paid`, `accepted`, `rider_assigned`, `reassigned` …).
    pub kind: String,
    /// Who did it (none: the platform).
    pub actor_id: Option<UserId>,
    /// A reason or detail.
    pub note: String,
    /// When.
    pub at: Timestamp,
}

/// Appends to an order's timeline.
pub async fn add_event(tx: &mut crate::Tx, order: OrderId, e: &EventRow) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO order_events (id, order_id, kind, actor_id, note, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(order.to_string())
        .bind(&e.kind)
        .bind(e.actor_id.map(|u| u.to_string()))
        .bind(&e.note)
        .bind(e.at.millis())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An order's timeline, oldest first.
pub async fn events<'e>(ex: impl Executor<'e, Database = Any>, order: OrderId) -> Result<Vec<EventRow>, StoreError> {
    Ok(sqlx::query_as("SELECT kind, actor_id, note, at FROM order_events WHERE order_id = $1 ORDER BY id")
        .bind(order.to_string())
        .fetch_all(ex)
        .await?)
}

impl FromRow<'_, AnyRow> for EventRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self { kind: get(r, "kind")?, actor_id: opt(r, "actor_id")?, note: get(r, "note")?, at: time(r, "at")? })
    }
}

/// A store's menu orders, newest first, at most `limit`: the active ones (paid to delivering) or
/// all but unpaid ones.
pub async fn store_orders<'e>(
    ex: impl Executor<'e, Database = Any>,
    store: StoreId,
    active_only: bool,
    limit: i64,
) -> Result<Vec<OrderId>, StoreError> {
    let sql = if active_only {
        "SELECT o.id FROM orders o JOIN order_details d ON d.order_id = o.id WHERE d.store_id = $1 \
         AND o.status IN ('paid', 'accepted', 'ready', 'delivering') ORDER BY o.id DESC LIMIT $2"
    } else {
        "SELECT o.id FROM orders o JOIN order_details d ON d.order_id = o.id WHERE d.store_id = $1 \
         AND o.status <> 'pending' ORDER BY o.id DESC LIMIT $2"
    };
    let rows = sqlx::query(sql).bind(store.to_string()).bind(limit).fetch_all(ex).await?;
    Ok(rows.iter().map(|r| parse(r, "id")).collect::<Result<_, _>>()?)
}

/// The sum of the totals of menu orders whose money the platform holds (paid, not settled or
/// refunded): the ledger check's share of the clearing account.
pub async fn held_total<'e>(ex: impl Executor<'e, Database = Any>) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(total), 0) AS BIGINT) AS s FROM orders \
         WHERE kind <> 'deal' AND status IN ('paid', 'accepted', 'ready', 'delivering')",
    )
    .fetch_one(ex)
    .await?;
    Ok(get(&row, "s")?)
}
