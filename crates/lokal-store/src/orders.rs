//! Orders for deals, their payments, processed webhook events and refunds. Status changes are
//! conditional updates (`… WHERE status = 'pending'`), so each transition happens once.

use crate::StoreError;
use crate::row::{get, opt, parse};
use lokal_core::PaymentStatus;
use lokal_core::fulfil::OrderStatus;
use lokal_core::{DealId, MerchantId, OrderId, PaymentId, StoreId, UserId};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

/// A stored order.
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
    /// Created, epoch ms.
    pub created_at: i64,
    /// Unpaid orders are cancelled at this time, epoch ms.
    pub expires_at: i64,
    /// Paid, epoch ms.
    pub paid_at: Option<i64>,
    /// Last change, epoch ms.
    pub updated_at: i64,
}

const COLUMNS: &str = "id, user_id, merchant_id, deal_id, quantity, unit_price, total, currency, status, channel, \
    created_at, expires_at, paid_at, updated_at, kind, store_id";

fn from_row(r: &AnyRow) -> Result<OrderRow, StoreError> {
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
        created_at: get(r, "created_at")?,
        expires_at: get(r, "expires_at")?,
        paid_at: get(r, "paid_at")?,
        updated_at: get(r, "updated_at")?,
    })
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
        .bind(o.created_at)
        .bind(o.expires_at)
        .bind(o.paid_at)
        .bind(o.updated_at)
        .bind(&o.kind)
        .bind(o.store_id.map(|s| s.to_string()))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An order by id.
pub async fn get_by_id<'e>(ex: impl Executor<'e, Database = Any>, id: OrderId) -> Result<Option<OrderRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM orders WHERE id = $1"));
    let row = sqlx::query(sql).bind(id.to_string()).fetch_optional(ex).await?;
    row.as_ref().map(from_row).transpose()
}

/// A consumer's orders, newest first.
pub async fn for_user<'e>(ex: impl Executor<'e, Database = Any>, user: UserId) -> Result<Vec<OrderRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM orders WHERE user_id = $1 ORDER BY id DESC"));
    let rows = sqlx::query(sql).bind(user.to_string()).fetch_all(ex).await?;
    rows.iter().map(from_row).collect()
}

/// Moves an order from `from` to `to`; false if it was not in `from` (someone else moved it).
pub async fn transition(
    tx: &mut crate::Tx,
    id: OrderId,
    from: OrderStatus,
    to: OrderStatus,
    now: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE orders SET status = $3, updated_at = $4, \
         paid_at = CASE WHEN $2 = 'pending' AND ($3 = 'paid' OR $3 = 'completed') THEN $4 ELSE paid_at END \
         WHERE id = $1 AND status = $2",
    )
    .bind(id.to_string())
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Pending orders whose payment window closed before `now`, oldest first.
pub async fn expired_pending<'e>(
    ex: impl Executor<'e, Database = Any>,
    now: i64,
    limit: i64,
) -> Result<Vec<OrderRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM orders WHERE status = 'pending' AND expires_at <= $1 ORDER BY expires_at LIMIT $2"
    ));
    let rows = sqlx::query(sql).bind(now).bind(limit).fetch_all(ex).await?;
    rows.iter().map(from_row).collect()
}

/// A payment attempt.
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
    /// Created, epoch ms.
    pub created_at: i64,
    /// Last change, epoch ms.
    pub updated_at: i64,
}

fn payment_from_row(r: &AnyRow) -> Result<PaymentRow, StoreError> {
    Ok(PaymentRow {
        id: parse(r, "id")?,
        order_id: parse(r, "order_id")?,
        provider: get(r, "provider")?,
        provider_ref: get(r, "provider_ref")?,
        amount: get(r, "amount")?,
        currency: get(r, "currency")?,
        status: parse(r, "status")?,
        created_at: get(r, "created_at")?,
        updated_at: get(r, "updated_at")?,
    })
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
        .bind(p.created_at)
        .bind(p.updated_at)
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
    let row = sqlx::query(sql).bind(provider).bind(provider_ref).fetch_optional(ex).await?;
    row.as_ref().map(payment_from_row).transpose()
}

/// An order's payments, oldest first.
pub async fn payments_of<'e>(
    ex: impl Executor<'e, Database = Any>,
    order: OrderId,
) -> Result<Vec<PaymentRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {PAYMENT_COLUMNS} FROM payments WHERE order_id = $1 ORDER BY id"));
    let rows = sqlx::query(sql).bind(order.to_string()).fetch_all(ex).await?;
    rows.iter().map(payment_from_row).collect()
}

/// Moves a payment from `pending` to `status`, or from `failed` to `succeeded` (a provider may
/// capture after reporting a failure); false if the move does not apply.
pub async fn settle_payment(
    tx: &mut crate::Tx,
    id: PaymentId,
    status: PaymentStatus,
    now: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE payments SET status = $2, updated_at = $3 \
         WHERE id = $1 AND (status = 'pending' OR (status = 'failed' AND $2 = 'succeeded'))",
    )
    .bind(id.to_string())
    .bind(status.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a webhook event; false if it was seen before (a replay).
pub async fn record_event(tx: &mut crate::Tx, provider: &str, event_id: &str, now: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO webhook_events (provider, event_id, received_at) VALUES ($1, $2, $3) \
         ON CONFLICT (provider, event_id) DO NOTHING",
    )
    .bind(provider)
    .bind(event_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A refund.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// When, epoch ms.
    pub created_at: i64,
}

impl RefundRow {
    /// A refund not yet sent to the gateway.
    pub fn new(id: &str, order: OrderId, amount: i64, provider: &str, reason: &str, now: i64) -> Self {
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
    .bind(r.created_at)
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
pub async fn mark_payment_refunded(tx: &mut crate::Tx, id: PaymentId, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE payments SET status = 'refunded', updated_at = $2 WHERE id = $1 AND status = 'succeeded'")
        .bind(id.to_string())
        .bind(now)
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
