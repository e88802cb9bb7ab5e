//! Reconciliation's records: runs per provider and day, the bill's lines as read, the
//! differences found and their resolution; and our side of a day, read from payments, card
//! recharges and refunds in the shape of a bill's lines.

use crate::StoreError;
use crate::row::{get, opt_time, time};
use lokal_core::Timestamp;
use lokal_core::reconcile::{Line, LineKind};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, FromRow};

/// A run.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)] // fields are their columns
pub struct RunRow {
    pub provider: String,
    /// `YYYY-MM-DD`, the provider's (Beijing) day.
    pub bill_date: String,
    /// `done`, or `failed` (the bill could not be had: `error` says why).
    pub status: String,
    pub lines: i64,
    pub matched: i64,
    pub differences: i64,
    /// The provider's fees for the day, minor units.
    pub fees: i64,
    pub error: String,
    pub ran_at: Timestamp,
}

const RUN_COLUMNS: &str = "provider, bill_date, status, lines, matched, differences, fees, error, ran_at";

impl FromRow<'_, AnyRow> for RunRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(RunRow {
            provider: get(r, "provider")?,
            bill_date: get(r, "bill_date")?,
            status: get(r, "status")?,
            lines: get(r, "lines")?,
            matched: get(r, "matched")?,
            differences: get(r, "differences")?,
            fees: get(r, "fees")?,
            error: get(r, "error")?,
            ran_at: time(r, "ran_at")?,
        })
    }
}

/// A difference found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)] // fields are their columns
pub struct ItemRow {
    pub id: String,
    pub provider: String,
    pub bill_date: String,
    /// `payment` or `refund`.
    pub kind: String,
    /// Our reference.
    pub reference: String,
    /// `missing_in_lokal`, `missing_at_provider`, `amount_mismatch`, `status_mismatch`.
    pub difference: String,
    /// Our side in words (`¥18.00 succeeded`), empty if we have none.
    pub ours: String,
    /// The provider's side, empty if it has none.
    pub theirs: String,
    pub created_at: Timestamp,
    pub resolved_at: Option<Timestamp>,
    pub resolved_by: Option<String>,
    pub note: String,
}

const ITEM_COLUMNS: &str =
    "id, provider, bill_date, kind, reference, difference, ours, theirs, created_at, resolved_at, resolved_by, note";

impl FromRow<'_, AnyRow> for ItemRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(ItemRow {
            id: get(r, "id")?,
            provider: get(r, "provider")?,
            bill_date: get(r, "bill_date")?,
            kind: get(r, "kind")?,
            reference: get(r, "reference")?,
            difference: get(r, "difference")?,
            ours: get(r, "ours")?,
            theirs: get(r, "theirs")?,
            created_at: time(r, "created_at")?,
            resolved_at: opt_time(r, "resolved_at")?,
            resolved_by: get(r, "resolved_by")?,
            note: get(r, "note")?,
        })
    }
}

fn line_of(r: &AnyRow, kind: LineKind) -> Result<Line, sqlx::Error> {
    Ok(Line {
        kind,
        reference: get(r, "reference")?,
        amount: get(r, "amount")?,
        status: get(r, "status")?,
        fee_e5: 0,
        provider_txn: get(r, "provider_txn")?,
    })
}

/// Our lines of `provider` within `[from, to)`: payments and recharges paid then (`succeeded`,
/// also when refunded since), refunds finished then and refunds asked for then and not finished.
pub async fn our_lines<'e, E>(ex: E, provider: &str, from: Timestamp, to: Timestamp) -> Result<Vec<Line>, StoreError>
where
    E: Executor<'e, Database = Any> + Copy,
{
    let payments = sqlx::query(
        "SELECT provider_ref AS reference, amount, 'succeeded' AS status, provider_txn FROM payments \
         WHERE provider = $1 AND paid_at >= $2 AND paid_at < $3 AND status IN ('succeeded', 'refunded') \
         UNION ALL SELECT provider_ref AS reference, pay AS amount, 'succeeded' AS status, '' AS provider_txn \
         FROM recharges WHERE provider = $1 AND paid_at >= $2 AND paid_at < $3 AND status = 'succeeded'",
    )
    .bind(provider)
    .bind(from.millis())
    .bind(to.millis())
    .fetch_all(ex)
    .await?;
    let refunds = sqlx::query(
        "SELECT id AS reference, amount, status, provider_ref AS provider_txn FROM refunds WHERE provider = $1 AND \
         ((status IN ('succeeded', 'failed') AND updated_at >= $2 AND updated_at < $3) \
          OR (status IN ('pending', 'processing') AND created_at >= $2 AND created_at < $3))",
    )
    .bind(provider)
    .bind(from.millis())
    .bind(to.millis())
    .fetch_all(ex)
    .await?;
    let mut out = Vec::with_capacity(payments.len() + refunds.len());
    for r in &payments {
        out.push(line_of(r, LineKind::Payment)?);
    }
    for r in &refunds {
        out.push(line_of(r, LineKind::Refund)?);
    }
    Ok(out)
}

/// Our record of one reference on any day, in the shape of a line (payments: `succeeded` when
/// paid or refunded since, else their status).
pub async fn our_line<'e, E>(ex: E, provider: &str, kind: LineKind, reference: &str) -> Result<Option<Line>, StoreError>
where
    E: Executor<'e, Database = Any> + Copy,
{
    let row = match kind {
        LineKind::Payment => sqlx::query(
            "SELECT provider_ref AS reference, amount, CASE WHEN status = 'refunded' THEN 'succeeded' ELSE status END \
                 AS status, provider_txn FROM payments WHERE provider = $1 AND provider_ref = $2 \
                 UNION ALL SELECT provider_ref AS reference, pay AS amount, status, '' AS provider_txn FROM recharges \
                 WHERE provider = $1 AND provider_ref = $2",
        )
        .bind(provider)
        .bind(reference)
        .fetch_optional(ex)
        .await?,
        LineKind::Refund => {
            sqlx::query(
                "SELECT id AS reference, amount, status, provider_ref AS provider_txn FROM refunds \
                 WHERE provider = $1 AND id = $2",
            )
            .bind(provider)
            .bind(reference)
            .fetch_optional(ex)
            .await?
        }
    };
    Ok(row.map(|r| line_of(&r, kind)).transpose()?)
}

/// Whether the bill of another day than `bill_date` had this line (a trade near midnight).
pub async fn line_elsewhere<'e>(
    ex: impl Executor<'e, Database = Any>,
    provider: &str,
    bill_date: &str,
    kind: LineKind,
    reference: &str,
) -> Result<bool, StoreError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM reconciliation_lines WHERE provider = $1 AND bill_date <> $2 AND kind = $3 \
         AND reference = $4",
    )
    .bind(provider)
    .bind(bill_date)
    .bind(kind.as_str())
    .bind(reference)
    .fetch_one(ex)
    .await?;
    Ok(get::<i64>(&row, "n")? > 0)
}

/// Replaces a day's bill lines.
pub async fn save_lines(tx: &mut crate::Tx, provider: &str, bill_date: &str, lines: &[Line]) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM reconciliation_lines WHERE provider = $1 AND bill_date = $2")
        .bind(provider)
        .bind(bill_date)
        .execute(&mut **tx)
        .await?;
    for l in lines {
        sqlx::query(
            "INSERT INTO reconciliation_lines (provider, bill_date, kind, reference, amount, status, fee_e5, provider_txn) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (provider, bill_date, kind, reference) DO NOTHING",
        )
        .bind(provider)
        .bind(bill_date)
        .bind(l.kind.as_str())
        .bind(&l.reference)
        .bind(l.amount)
        .bind(&l.status)
        .bind(l.fee_e5)
        .bind(&l.provider_txn)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Records (or replaces) a day's run.
pub async fn save_run<'e>(ex: impl Executor<'e, Database = Any>, r: &RunRow) -> Result<(), StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO reconciliations ({RUN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (provider, bill_date) DO UPDATE SET status = excluded.status, lines = excluded.lines, \
         matched = excluded.matched, differences = excluded.differences, fees = excluded.fees, \
         error = excluded.error, ran_at = excluded.ran_at"
    ));
    sqlx::query(sql)
        .bind(&r.provider)
        .bind(&r.bill_date)
        .bind(&r.status)
        .bind(r.lines)
        .bind(r.matched)
        .bind(r.differences)
        .bind(r.fees)
        .bind(&r.error)
        .bind(r.ran_at.millis())
        .execute(ex)
        .await?;
    Ok(())
}

/// A day's run, if it ran.
pub async fn run<'e>(
    ex: impl Executor<'e, Database = Any>,
    provider: &str,
    bill_date: &str,
) -> Result<Option<RunRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {RUN_COLUMNS} FROM reconciliations WHERE provider = $1 AND bill_date = $2"
    ));
    Ok(sqlx::query_as(sql).bind(provider).bind(bill_date).fetch_optional(ex).await?)
}

/// The latest runs, newest day first.
pub async fn recent_runs<'e>(ex: impl Executor<'e, Database = Any>, limit: i64) -> Result<Vec<RunRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {RUN_COLUMNS} FROM reconciliations ORDER BY bill_date DESC, provider LIMIT $1"
    ));
    Ok(sqlx::query_as(sql).bind(limit).fetch_all(ex).await?)
}

/// Replaces a day's unresolved differences with `items`, leaving out any that an operator
/// resolved already (the same reference and difference).
pub async fn replace_open_items(
    tx: &mut crate::Tx,
    provider: &str,
    bill_date: &str,
    items: &[ItemRow],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM reconciliation_items WHERE provider = $1 AND bill_date = $2 AND resolved_at IS NULL")
        .bind(provider)
        .bind(bill_date)
        .execute(&mut **tx)
        .await?;
    for i in items {
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO reconciliation_items ({ITEM_COLUMNS}) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, NULL, '' \
             WHERE NOT EXISTS (SELECT 1 FROM reconciliation_items WHERE provider = $2 AND bill_date = $3 AND kind = $4 \
             AND reference = $5 AND difference = $6)"
        ));
        sqlx::query(sql)
            .bind(&i.id)
            .bind(&i.provider)
            .bind(&i.bill_date)
            .bind(&i.kind)
            .bind(&i.reference)
            .bind(&i.difference)
            .bind(&i.ours)
            .bind(&i.theirs)
            .bind(i.created_at.millis())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Differences: the unresolved ones (oldest first), or all of a day.
pub async fn items<'e>(
    ex: impl Executor<'e, Database = Any>,
    day: Option<(&str, &str)>,
    limit: i64,
) -> Result<Vec<ItemRow>, StoreError> {
    match day {
        None => {
            let sql = sqlx::AssertSqlSafe(format!(
                "SELECT {ITEM_COLUMNS} FROM reconciliation_items WHERE resolved_at IS NULL ORDER BY created_at, id LIMIT $1"
            ));
            Ok(sqlx::query_as(sql).bind(limit).fetch_all(ex).await?)
        }
        Some((provider, date)) => {
            let sql = sqlx::AssertSqlSafe(format!(
                "SELECT {ITEM_COLUMNS} FROM reconciliation_items WHERE provider = $1 AND bill_date = $2 \
                 ORDER BY kind, reference LIMIT $3"
            ));
            Ok(sqlx::query_as(sql).bind(provider).bind(date).bind(limit).fetch_all(ex).await?)
        }
    }
}

/// Resolves an unresolved difference; false if there is none by that id.
pub async fn resolve<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    by: &str,
    note: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE reconciliation_items SET resolved_at = $2, resolved_by = $3, note = $4 WHERE id = $1 AND resolved_at IS NULL",
    )
    .bind(id)
    .bind(now.millis())
    .bind(by)
    .bind(note)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}
