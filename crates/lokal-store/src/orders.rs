//! Orders for deals, their payments, processed webhook events and refunds. Status changes are
//! conditional updates (`… WHERE status = 'pending'`), so each transition happens once.

use crate::StoreError;
use crate::row::{get, opt, opt_time, parse, time};
use lokal_core::fulfil::OrderStatus;
use lokal_core::{DealId, MerchantId, OrderId, PaymentId, StoreId, Timestamp, UserId};
use lokal_core::{PaymentStatus, RefundStatus};
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
        "UPDATE payments SET status = $2, updated_at = $3, paid_at = CASE WHEN $2 = 'succeeded' THEN $3 ELSE paid_at END \
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

/// A refund: written `pending` in the transaction that decides it, carried out by the refund
/// worker outside any transaction (see `lokal_app::refunds`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)] // fields are their columns, documented where the name is not enough
pub struct RefundRow {
    /// The id (`rf_…`, also the provider's idempotency key: `out_refund_no`).
    pub id: String,
    /// The order.
    pub order_id: OrderId,
    /// The payment refunded (none only for refunds written before issue K).
    pub payment_id: Option<PaymentId>,
    /// Minor units returned.
    pub amount: i64,
    /// Gateway.
    pub provider: String,
    /// The gateway's refund reference, once it accepted the refund.
    pub provider_ref: String,
    /// Why.
    pub reason: String,
    pub status: RefundStatus,
    /// Tries that failed.
    pub attempts: i64,
    /// When the worker tries (or asks about) it next.
    pub next_attempt_at: Timestamp,
    /// Why the last try failed.
    pub last_error: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl RefundRow {
    /// A refund of `payment` not yet sent to the gateway, due at once.
    pub fn new(
        id: &str,
        order: OrderId,
        payment: PaymentId,
        amount: i64,
        provider: &str,
        reason: &str,
        now: Timestamp,
    ) -> Self {
        Self {
            id: id.to_owned(),
            order_id: order,
            payment_id: Some(payment),
            amount,
            provider: provider.to_owned(),
            provider_ref: String::new(),
            reason: reason.to_owned(),
            status: RefundStatus::Pending,
            attempts: 0,
            next_attempt_at: now,
            last_error: String::new(),
            created_at: now,
            updated_at: now,
        }
    }
}

const REFUND_COLUMNS: &str = "id, order_id, payment_id, amount, currency, provider, provider_ref, reason, status, \
    attempts, next_attempt_at, last_error, created_at, updated_at";

impl FromRow<'_, AnyRow> for RefundRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(RefundRow {
            id: get(r, "id")?,
            order_id: parse(r, "order_id")?,
            payment_id: opt(r, "payment_id")?,
            amount: get(r, "amount")?,
            provider: get(r, "provider")?,
            provider_ref: get(r, "provider_ref")?,
            reason: get(r, "reason")?,
            status: parse(r, "status")?,
            attempts: get(r, "attempts")?,
            next_attempt_at: time(r, "next_attempt_at")?,
            last_error: get(r, "last_error")?,
            created_at: time(r, "created_at")?,
            updated_at: time(r, "updated_at")?,
        })
    }
}

/// Records a refund.
pub async fn insert_refund(tx: &mut crate::Tx, r: &RefundRow) -> Result<(), StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO refunds ({REFUND_COLUMNS}) VALUES ($1, $2, $3, $4, 'CNY', $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    ));
    sqlx::query(sql)
        .bind(&r.id)
        .bind(r.order_id.to_string())
        .bind(r.payment_id.map(|p| p.to_string()))
        .bind(r.amount)
        .bind(&r.provider)
        .bind(&r.provider_ref)
        .bind(&r.reason)
        .bind(r.status.as_str())
        .bind(r.attempts)
        .bind(r.next_attempt_at.millis())
        .bind(&r.last_error)
        .bind(r.created_at.millis())
        .bind(r.updated_at.millis())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Sets a refund's amount once the vouchers it returns are counted (same transaction).
pub async fn set_refund_amount(tx: &mut crate::Tx, id: &str, amount: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE refunds SET amount = $2 WHERE id = $1").bind(id).bind(amount).execute(&mut **tx).await?;
    Ok(())
}

/// A refund by id.
pub async fn refund_by_id<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
) -> Result<Option<RefundRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {REFUND_COLUMNS} FROM refunds WHERE id = $1"));
    Ok(sqlx::query_as(sql).bind(id).fetch_optional(ex).await?)
}

/// An order's refunds, oldest first.
pub async fn refunds_of<'e>(
    ex: impl Executor<'e, Database = Any>,
    order: OrderId,
) -> Result<Vec<RefundRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {REFUND_COLUMNS} FROM refunds WHERE order_id = $1 ORDER BY created_at, id"
    ));
    Ok(sqlx::query_as(sql).bind(order.to_string()).fetch_all(ex).await?)
}

/// Refunds not finished whose next try is due, oldest due first.
pub async fn due_refunds<'e>(
    ex: impl Executor<'e, Database = Any>,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<RefundRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {REFUND_COLUMNS} FROM refunds WHERE status IN ('pending', 'processing') AND next_attempt_at <= $1 \
         ORDER BY next_attempt_at, id LIMIT $2"
    ));
    Ok(sqlx::query_as(sql).bind(now.millis()).bind(limit).fetch_all(ex).await?)
}

/// Refunds in `status` (operators' list), newest first.
pub async fn refunds_in<'e>(
    ex: impl Executor<'e, Database = Any>,
    status: RefundStatus,
    limit: i64,
) -> Result<Vec<RefundRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {REFUND_COLUMNS} FROM refunds WHERE status = $1 ORDER BY updated_at DESC, id LIMIT $2"
    ));
    Ok(sqlx::query_as(sql).bind(status.as_str()).bind(limit).fetch_all(ex).await?)
}

/// The provider accepted an unfinished refund and is still working on it: asked about again at
/// `next_at` (each ask counts as an attempt, for the backoff). False if it was finished meanwhile.
pub async fn refund_processing<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    provider_ref: &str,
    next_at: Timestamp,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE refunds SET status = 'processing', provider_ref = $2, next_attempt_at = $3, updated_at = $4, \
         attempts = attempts + 1 WHERE id = $1 AND status IN ('pending', 'processing')",
    )
    .bind(id)
    .bind(provider_ref)
    .bind(next_at.millis())
    .bind(now.millis())
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A try failed (the provider could not be reached, or answered with an error worth retrying):
/// counted, with why, and tried again at `next_at`.
pub async fn refund_retry<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    error: &str,
    next_at: Timestamp,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE refunds SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3, updated_at = $4 \
         WHERE id = $1 AND status IN ('pending', 'processing')",
    )
    .bind(id)
    .bind(error)
    .bind(next_at.millis())
    .bind(now.millis())
    .execute(ex)
    .await?;
    Ok(())
}

/// Finishes an unfinished refund as `succeeded` or `failed`, or a `failed` one as `succeeded`
/// (the provider paid it after all); false if that move does not apply (so whoever gets true
/// posts it to the ledger, once).
pub async fn finish_refund(
    tx: &mut crate::Tx,
    id: &str,
    status: RefundStatus,
    provider_ref: &str,
    error: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE refunds SET status = $2, provider_ref = CASE WHEN $3 = '' THEN provider_ref ELSE $3 END, \
         last_error = $4, updated_at = $5 \
         WHERE id = $1 AND (status IN ('pending', 'processing') OR (status = 'failed' AND $2 = 'succeeded'))",
    )
    .bind(id)
    .bind(status.as_str())
    .bind(provider_ref)
    .bind(error)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What refunds decided and not finished (`pending`, `processing`, `failed`) still owe payers,
/// minor units: money that stays in clearing until the provider confirms.
pub async fn unfinished_refunds_total<'e>(ex: impl Executor<'e, Database = Any>) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS n FROM refunds WHERE status IN ('pending', 'processing', 'failed')",
    )
    .fetch_one(ex)
    .await?;
    Ok(get(&row, "n")?)
}

/// Payments still pending, started before `started_before` and within the last two days (a
/// provider does not take a payment that old any more), whose next check is due: their
/// notification is overdue, so the provider is asked.
pub async fn overdue_payments<'e>(
    ex: impl Executor<'e, Database = Any>,
    started_before: Timestamp,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<PaymentRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {PAYMENT_COLUMNS} FROM payments WHERE status = 'pending' AND next_check_at <= $1 \
         AND created_at <= $2 AND created_at > $4 ORDER BY next_check_at, id LIMIT $3"
    ));
    let since = now.plus_secs(-2 * 86_400).millis();
    Ok(sqlx::query_as(sql)
        .bind(now.millis())
        .bind(started_before.millis())
        .bind(limit)
        .bind(since)
        .fetch_all(ex)
        .await?)
}

/// A pending payment was asked about: next at `next_at`.
pub async fn payment_checked<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: PaymentId,
    next_at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE payments SET next_check_at = $2 WHERE id = $1")
        .bind(id.to_string())
        .bind(next_at.millis())
        .execute(ex)
        .await?;
    Ok(())
}

/// Keeps the provider's own id of a payment (WeChat Pay's `transaction_id`).
pub async fn set_provider_txn(tx: &mut crate::Tx, id: PaymentId, txn: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE payments SET provider_txn = $2 WHERE id = $1 AND provider_txn = ''")
        .bind(id.to_string())
        .bind(txn)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A payment by id.
pub async fn payment_by_id<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: PaymentId,
) -> Result<Option<PaymentRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {PAYMENT_COLUMNS} FROM payments WHERE id = $1"));
    Ok(sqlx::query_as(sql).bind(id.to_string()).fetch_optional(ex).await?)
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
