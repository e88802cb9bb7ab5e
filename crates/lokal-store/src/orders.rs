//! Orders for deals, their payments, processed webhook events and refunds. Status changes are
//! conditional updates (`… WHERE status = 'pending'`), so each transition happens once.

use crate::StoreError;
use crate::row::{get, opt, opt_time, parse, time};
use lokal_core::PaymentStatus;
use lokal_core::fulfil::OrderStatus;
use lokal_core::{DealId, MerchantId, OrderId, PaymentId, StoreId, Timestamp, UserId};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, FromRow};

/// A stored order.
#[allow(missing_docs)] // fields are their columns, documented where the name is not enough
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRow {
    /// The id.
    pub id: OrderId,
    /// The buyer.
    pub user_id: UserId,
    /// The seller.
    pub merchant_id: MerchantId,
    /// What was bought (deal orders).
    pub deal_id: Option<DealId>,
    /// `deal`, or a menu order's mode (`delivery`, `pickup`, `dine_in`, `pay_at_store`).
    pub kind: String,
    /// The store of a menu order.
    pub store_id: Option<StoreId>,
    /// Units.
    pub quantity: i64,
    /// Price per unit, minor units.
    pub unit_price: i64,
    /// quantity × unit price.
    pub total: i64,
    /// ISO 4217.
    pub currency: String,
    /// Deal orders: `pending` (awaiting payment), `paid` or `cancelled` (not paid in time). Menu
    /// orders: a [`lokal_core::fulfil::OrderStatus`].
    pub status: OrderStatus,
    /// Where the buyer came from (attribution), may be empty.
    pub channel: String,
    pub created_at: Timestamp,
    /// Unpaid orders are cancelled at this time.
    pub expires_at: Timestamp,
    pub paid_at: Option<Timestamp>,
    pub updated_at: Timestamp,
}

const COLUMNS: &str = "id, user_id, merchant_id, deal_id, quantity, unit_price, total, currency, status, channel, \
    created_at, expires_at, paid_at, updated_at, kind, store_id";

impl FromRow<'_, AnyRow> for OrderRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(OrderRow {
            id: parse(r, "id")?,
            user_id: parse(r, "user_id")?,
            merchant_id: parse(r, "merchant_id")?,
            deal_id: opt(r, "deal_id")?,
            kind: get(r, "kind")?,
            store_id: opt(r, "store_id")?,
            quantity: get(r, "quantity")?,
            unit_price: get(r, "unit_price")?,
            total: get(r, "total")?,
            currency: get(r, "currency")?,
            status: parse(r, "status")?,
            channel: get(r, "channel")?,
            created_at: time(r, "created_at")?,
            expires_at: time(r, "expires_at")?,
            paid_at: opt_time(r, "paid_at")?,
            updated_at: time(r, "updated_at")?,
        })
    }
}

/// Inserts an order.
pub async fn insert(tx: &mut crate::Tx, o: &OrderRow) -> Result<(), StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO orders ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
    ));
    sqlx::query(sql)
        .bind(o.id.to_string())
        .bind(o.user_id.to_string())
        .bind(o.merchant_id.to_string())
        .bind(o.deal_id.map(|d| d.to_string()))
        .bind(o.quantity)
        .bind(o.unit_price)
        .bind(o.total)
        .bind(&o.currency)
        .bind(o.status.as_str())
        .bind(&o.channel)
        .bind(o.created_at.millis())
        .bind(o.expires_at.millis())
        .bind(o.paid_at.map(Timestamp::millis))
        .bind(o.updated_at.millis())
        .bind(&o.kind)
        .bind(o.store_id.map(|s| s.to_string()))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An order by id.
pub async fn get_by_id<'e>(ex: impl Executor<'e, Database = Any>, id: OrderId) -> Result<Option<OrderRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM orders WHERE id = $1"));
    Ok(sqlx::query_as(sql).bind(id.to_string()).fetch_optional(ex).await?)
}

/// A consumer's orders, newest first.
pub async fn for_user<'e>(ex: impl Executor<'e, Database = Any>, user: UserId) -> Result<Vec<OrderRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM orders WHERE user_id = $1 ORDER BY id DESC"));
    Ok(sqlx::query_as(sql).bind(user.to_string()).fetch_all(ex).await?)
}

/// Moves an order from `from` to `to`; false if it was not in `from` (someone else moved it).
pub async fn transition(
    tx: &mut crate::Tx,
    id: OrderId,
    from: OrderStatus,
    to: OrderStatus,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE orders SET status = $3, updated_at = $4, \
         paid_at = CASE WHEN $2 = 'pending' AND ($3 = 'paid' OR $3 = 'completed') THEN $4 ELSE paid_at END \
         WHERE id = $1 AND status = $2",
    )
    .bind(id.to_string())
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Pending orders whose payment window closed before `now`, oldest first.
pub async fn expired_pending<'e>(
    ex: impl Executor<'e, Database = Any>,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<OrderRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM orders WHERE status = 'pending' AND expires_at <= $1 ORDER BY expires_at LIMIT $2"
    ));
    Ok(sqlx::query_as(sql).bind(now.millis()).bind(limit).fetch_all(ex).await?)
}

/// A payment attempt.
#[allow(missing_docs)] // fields are their columns, documented where the name is not enough
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRow {
    /// The id.
    pub id: PaymentId,
    /// The order paid.
    pub order_id: OrderId,
    /// Gateway name (`sandbox`).
    pub provider: String,
    /// The gateway's reference for the intent.
    pub provider_ref: String,
    /// Minor units.
    pub amount: i64,
    /// ISO 4217.
    pub currency: String,
    /// `pending`, `succeeded` or `failed`.
    pub status: PaymentStatus,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl FromRow<'_, AnyRow> for PaymentRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(PaymentRow {
            id: parse(r, "id")?,
            order_id: parse(r, "order_id")?,
            provider: get(r, "provider")?,
            provider_ref: get(r, "provider_ref")?,
            amount: get(r, "amount")?,
            currency: get(r, "currency")?,
            status: parse(r, "status")?,
            created_at: time(r, "created_at")?,
            updated_at: time(r, "updated_at")?,
        })
    }
}

const PAYMENT_COLUMNS: &str = "id, order_id, provider, provider_ref, amount, currency, status, created_at, updated_at";

/// Inserts a payment.
pub async fn insert_payment<'e>(ex: impl Executor<'e, Database = Any>, p: &PaymentRow) -> Result<(), StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO payments ({PAYMENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ));
    sqlx::query(sql)
        .bind(p.id.to_string())
        .bind(p.order_id.to_string())
        .bind(&p.provider)
        .bind(&p.provider_ref)
        .bind(p.amount)
        .bind(&p.currency)
        .bind(p.status.as_str())
        .bind(p.created_at.millis())
        .bind(p.updated_at.millis())
        .execute(ex)
        .await?;
    Ok(())
}

/// A payment by the gateway's reference.
pub async fn payment_by_ref<'e>(
    ex: impl Executor<'e, Database = Any>,
    provider: &str,
    provider_ref: &str,
) -> Result<Option<PaymentRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {PAYMENT_COLUMNS} FROM payments WHERE provider = $1 AND provider_ref = $2"
    ));
    Ok(sqlx::query_as(sql).bind(provider).bind(provider_ref).fetch_optional(ex).await?)
}

/// An order's payments, oldest first.
pub async fn payments_of<'e>(
    ex: impl Executor<'e, Database = Any>,
    order: OrderId,
) -> Result<Vec<PaymentRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {PAYMENT_COLUMNS} FROM payments WHERE order_id = $1 ORDER BY id"));
    Ok(sqlx::query_as(sql).bind(order.to_string()).fetch_all(ex).await?)
}

/// Moves a payment from `pending` to `status`, or from `failed` to `succeeded` (a provider may
/// capture after reporting a failure); false if the move does not apply.
pub async fn settle_payment(
    tx: &mut crate::Tx,
    id: PaymentId,
    status: PaymentStatus,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE payments SET status = $2, updated_at = $3 \
         WHERE id = $1 AND (status = 'pending' OR (status = 'failed' AND $2 = 'succeeded'))",
    )
    .bind(id.to_string())
    .bind(status.as_str())
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a webhook event; false if it was seen before (a replay).
pub async fn record_event(
    tx: &mut crate::Tx,
    provider: &str,
    event_id: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO webhook_events (provider, event_id, received_at) VALUES ($1, $2, $3) \
         ON CONFLICT (provider, event_id) DO NOTHING",
    )
    .bind(provider)
    .bind(event_id)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A refund.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)] // fields are their columns, documented where the name is not enough
pub struct RefundRow {
    /// The id (`rf_…`, also the gateway's idempotency key).
    pub id: String,
    /// The order.
    pub order_id: OrderId,
    /// Minor units returned.
    pub amount: i64,
    /// Gateway.
    pub provider: String,
    /// The gateway's refund reference.
    pub provider_ref: String,
    /// Why.
    pub reason: String,
    pub created_at: Timestamp,
}

impl RefundRow {
    /// A refund not yet sent to the gateway.
    pub fn new(id: &str, order: OrderId, amount: i64, provider: &str, reason: &str, now: Timestamp) -> Self {
        Self {
            id: id.to_owned(),
            order_id: order,
            amount,
            provider: provider.to_owned(),
            provider_ref: String::new(),
            reason: reason.to_owned(),
            created_at: now,
        }
    }
}

/// Records a refund.
pub async fn insert_refund(tx: &mut crate::Tx, r: &RefundRow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO refunds (id, order_id, amount, currency, provider, provider_ref, reason, created_at) \
         VALUES ($1, $2, $3, 'CNY', $4, $5, $6, $7)",
    )
    .bind(&r.id)
    .bind(r.order_id.to_string())
    .bind(r.amount)
    .bind(&r.provider)
    .bind(&r.provider_ref)
    .bind(&r.reason)
    .bind(r.created_at.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Sets a refund's amount and the gateway's reference once the gateway answered.
pub async fn finish_refund(tx: &mut crate::Tx, id: &str, amount: i64, provider_ref: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE refunds SET amount = $2, provider_ref = $3 WHERE id = $1")
        .bind(id)
        .bind(amount)
        .bind(provider_ref)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Marks a succeeded payment refunded in full (it arrived for an order already cancelled).
pub async fn mark_payment_refunded(tx: &mut crate::Tx, id: PaymentId, now: Timestamp) -> Result<(), StoreError> {
    sqlx::query("UPDATE payments SET status = 'refunded', updated_at = $2 WHERE id = $1 AND status = 'succeeded'")
        .bind(id.to_string())
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether `user` already has a paid order at `store` (a returning customer).
pub async fn has_paid_at_store<'e>(
    ex: impl Executor<'e, Database = Any>,
    user: UserId,
    store: lokal_core::StoreId,
) -> Result<bool, StoreError> {
    let row =
        sqlx::query("SELECT COUNT(*) AS n FROM orders WHERE user_id = $1 AND store_id = $2 AND paid_at IS NOT NULL")
            .bind(user.to_string())
            .bind(store.to_string())
            .fetch_one(ex)
            .await?;
    Ok(get::<i64>(&row, "n")? > 0)
}
