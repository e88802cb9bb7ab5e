//! The sandbox provider's own records: the payer's choice on its hosted page, kept until its
//! signed confirmation has been delivered and acknowledged.

use crate::StoreError;
use crate::row::{get, opt_time, time};
use lokal_core::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, FromRow};

/// A confirmation the sandbox owes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)] // fields are their columns
pub struct ConfirmationRow {
    /// The payment's sandbox reference (`sbx_…`).
    pub provider_ref: String,
    /// Whether the payer paid.
    pub succeed: bool,
    /// When it is (next) delivered.
    pub deliver_at: Timestamp,
    /// Deliveries that were not acknowledged.
    pub attempts: i64,
    pub delivered_at: Option<Timestamp>,
    pub last_error: String,
    pub created_at: Timestamp,
}

const COLUMNS: &str = "provider_ref, succeed, deliver_at, attempts, delivered_at, last_error, created_at";

impl FromRow<'_, AnyRow> for ConfirmationRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(ConfirmationRow {
            provider_ref: get(r, "provider_ref")?,
            succeed: get::<i64>(r, "succeed")? != 0,
            deliver_at: time(r, "deliver_at")?,
            attempts: get(r, "attempts")?,
            delivered_at: opt_time(r, "delivered_at")?,
            last_error: get(r, "last_error")?,
            created_at: time(r, "created_at")?,
        })
    }
}

/// Records the payer's choice; false if one was recorded for this payment already.
pub async fn insert<'e>(
    ex: impl Executor<'e, Database = Any>,
    provider_ref: &str,
    succeed: bool,
    deliver_at: Timestamp,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO sandbox_confirmations (provider_ref, succeed, deliver_at, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (provider_ref) DO NOTHING",
    )
    .bind(provider_ref)
    .bind(i64::from(succeed))
    .bind(deliver_at.millis())
    .bind(now.millis())
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The payer's choice for a payment, if they made one.
pub async fn get_by_ref<'e>(
    ex: impl Executor<'e, Database = Any>,
    provider_ref: &str,
) -> Result<Option<ConfirmationRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM sandbox_confirmations WHERE provider_ref = $1"));
    Ok(sqlx::query_as(sql).bind(provider_ref).fetch_optional(ex).await?)
}

/// Confirmations not yet acknowledged whose delivery is due, oldest first.
pub async fn due<'e>(
    ex: impl Executor<'e, Database = Any>,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<ConfirmationRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM sandbox_confirmations WHERE delivered_at IS NULL AND deliver_at <= $1 \
         ORDER BY deliver_at, provider_ref LIMIT $2"
    ));
    Ok(sqlx::query_as(sql).bind(now.millis()).bind(limit).fetch_all(ex).await?)
}

/// The confirmation was acknowledged.
pub async fn delivered<'e>(
    ex: impl Executor<'e, Database = Any>,
    provider_ref: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE sandbox_confirmations SET delivered_at = $2 WHERE provider_ref = $1 AND delivered_at IS NULL")
        .bind(provider_ref)
        .bind(now.millis())
        .execute(ex)
        .await?;
    Ok(())
}

/// A delivery was not acknowledged: tried again at `next_at`.
pub async fn retry<'e>(
    ex: impl Executor<'e, Database = Any>,
    provider_ref: &str,
    error: &str,
    next_at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE sandbox_confirmations SET attempts = attempts + 1, last_error = $2, deliver_at = $3 \
         WHERE provider_ref = $1 AND delivered_at IS NULL",
    )
    .bind(provider_ref)
    .bind(error)
    .bind(next_at.millis())
    .execute(ex)
    .await?;
    Ok(())
}

/// The payment was closed before the payer chose: it can no longer be paid (false if the payer
/// chose first).
pub async fn close<'e>(
    ex: impl Executor<'e, Database = Any>,
    provider_ref: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO sandbox_confirmations (provider_ref, succeed, deliver_at, delivered_at, last_error, created_at) \
         VALUES ($1, 0, $2, $2, 'closed', $2) ON CONFLICT (provider_ref) DO NOTHING",
    )
    .bind(provider_ref)
    .bind(now.millis())
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The sandbox's bill for `[from, to)`: the payments its payers paid then (their amounts from
/// the payments and recharges they were for) and the refunds it made then.
pub async fn bill_lines<'e, E>(
    ex: E,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<lokal_core::reconcile::Line>, StoreError>
where
    E: Executor<'e, Database = Any> + Copy,
{
    use lokal_core::reconcile::{Line, LineKind};
    let paid = sqlx::query(
        "SELECT c.provider_ref AS reference, COALESCE(p.amount, r.pay, 0) AS amount FROM sandbox_confirmations c \
         LEFT JOIN payments p ON p.provider = 'sandbox' AND p.provider_ref = c.provider_ref \
         LEFT JOIN recharges r ON r.provider = 'sandbox' AND r.provider_ref = c.provider_ref \
         WHERE c.succeed = 1 AND c.created_at >= $1 AND c.created_at < $2",
    )
    .bind(from.millis())
    .bind(to.millis())
    .fetch_all(ex)
    .await?;
    let refunded = sqlx::query(
        "SELECT id AS reference, amount FROM refunds WHERE provider = 'sandbox' AND status = 'succeeded' \
         AND updated_at >= $1 AND updated_at < $2",
    )
    .bind(from.millis())
    .bind(to.millis())
    .fetch_all(ex)
    .await?;
    let line = |r: &AnyRow, kind| -> Result<Line, sqlx::Error> {
        Ok(Line {
            kind,
            reference: get(r, "reference")?,
            amount: get(r, "amount")?,
            status: "succeeded".into(),
            fee_e5: 0,
            provider_txn: String::new(),
        })
    };
    let mut out = Vec::new();
    for r in &paid {
        out.push(line(r, LineKind::Payment)?);
    }
    for r in &refunded {
        out.push(line(r, LineKind::Refund)?);
    }
    Ok(out)
}
