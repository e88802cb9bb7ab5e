//! Vouchers and their redemptions. A redemption takes uses with one conditional update
//! (`uses_left >= n`), so racing clerks can never take more uses than exist.

use crate::StoreError;
use crate::row::{get, opt, opt_time, parse, time};
use lokal_core::voucher::VoucherStatus;
use lokal_core::{DealId, EntryId, MerchantId, OrderId, RedemptionId, StoreId, Timestamp, UserId, VoucherId};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, FromRow};

/// A stored voucher.
#[allow(missing_docs)] // fields are their columns, documented where the name is not enough
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoucherRow {
    pub id: VoucherId,
    /// The canonical code ([`lokal_core::voucher::VoucherCode::as_str`]).
    pub code: String,
    /// The order that paid for it.
    pub order_id: OrderId,
    pub deal_id: DealId,
    /// The seller.
    pub merchant_id: MerchantId,
    /// The holder.
    pub user_id: UserId,
    /// What the holder paid for it, minor units of the order's currency.
    pub unit_price: i64,
    pub uses_total: i64,
    pub uses_left: i64,
    pub status: VoucherStatus,
    pub valid_from: Timestamp,
    /// Expires (exclusive).
    pub valid_until: Timestamp,
    /// Set when refunded.
    pub refund_id: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const COLUMNS: &str = "id, code, order_id, deal_id, merchant_id, user_id, unit_price, uses_total, uses_left, status, \
    valid_from, valid_until, refund_id, created_at, updated_at";

impl FromRow<'_, AnyRow> for VoucherRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(VoucherRow {
            id: parse(r, "id")?,
            code: get(r, "code")?,
            order_id: parse(r, "order_id")?,
            deal_id: parse(r, "deal_id")?,
            merchant_id: parse(r, "merchant_id")?,
            user_id: parse(r, "user_id")?,
            unit_price: get(r, "unit_price")?,
            uses_total: get(r, "uses_total")?,
            uses_left: get(r, "uses_left")?,
            status: parse(r, "status")?,
            valid_from: time(r, "valid_from")?,
            valid_until: time(r, "valid_until")?,
            refund_id: get(r, "refund_id")?,
            created_at: time(r, "created_at")?,
            updated_at: time(r, "updated_at")?,
        })
    }
}

/// Issues a voucher; false (nothing written) if its code is taken. A conflict clause rather than
/// a unique-violation error, because an error would abort a PostgreSQL transaction.
pub async fn insert(tx: &mut crate::Tx, v: &VoucherRow) -> Result<bool, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO vouchers ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
         ON CONFLICT (code) DO NOTHING"
    ));
    let done = sqlx::query(sql)
        .bind(v.id.to_string())
        .bind(&v.code)
        .bind(v.order_id.to_string())
        .bind(v.deal_id.to_string())
        .bind(v.merchant_id.to_string())
        .bind(v.user_id.to_string())
        .bind(v.unit_price)
        .bind(v.uses_total)
        .bind(v.uses_left)
        .bind(v.status.as_str())
        .bind(v.valid_from.millis())
        .bind(v.valid_until.millis())
        .bind(v.refund_id.clone())
        .bind(v.created_at.millis())
        .bind(v.updated_at.millis())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A voucher by code.
pub async fn by_code<'e>(ex: impl Executor<'e, Database = Any>, code: &str) -> Result<Option<VoucherRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM vouchers WHERE code = $1"));
    Ok(sqlx::query_as(sql).bind(code).fetch_optional(ex).await?)
}

/// A voucher by id.
pub async fn by_id<'e>(ex: impl Executor<'e, Database = Any>, id: VoucherId) -> Result<Option<VoucherRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM vouchers WHERE id = $1"));
    Ok(sqlx::query_as(sql).bind(id.to_string()).fetch_optional(ex).await?)
}

/// A consumer's vouchers, newest first.
pub async fn for_user<'e>(ex: impl Executor<'e, Database = Any>, user: UserId) -> Result<Vec<VoucherRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM vouchers WHERE user_id = $1 ORDER BY id DESC"));
    Ok(sqlx::query_as(sql).bind(user.to_string()).fetch_all(ex).await?)
}

/// An order's vouchers.
pub async fn for_order<'e>(
    ex: impl Executor<'e, Database = Any>,
    order: OrderId,
) -> Result<Vec<VoucherRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM vouchers WHERE order_id = $1 ORDER BY id"));
    Ok(sqlx::query_as(sql).bind(order.to_string()).fetch_all(ex).await?)
}

/// Every voucher not refunded (for the ledger check), paged by id.
pub async fn unrefunded<'e>(
    ex: impl Executor<'e, Database = Any>,
    after: Option<VoucherId>,
    limit: i64,
) -> Result<Vec<VoucherRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM vouchers WHERE status <> 'refunded' AND id > $1 ORDER BY id LIMIT $2"
    ));
    let after = after.map(|a| a.to_string()).unwrap_or_default();
    Ok(sqlx::query_as(sql).bind(after).bind(limit).fetch_all(ex).await?)
}

/// Takes `uses` from an active voucher valid at `now`. Returns the uses left before, or `None`
/// when it no longer has that many (someone else took them) or is not active.
pub async fn take_uses(
    tx: &mut crate::Tx,
    id: VoucherId,
    uses: i64,
    now: Timestamp,
) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query(
        "UPDATE vouchers SET uses_left = uses_left - $2, updated_at = $3, \
         status = CASE WHEN uses_left - $2 = 0 THEN 'used' ELSE 'active' END \
         WHERE id = $1 AND status = 'active' AND uses_left >= $2 AND valid_from <= $3 AND valid_until > $3 \
         RETURNING uses_left",
    )
    .bind(id.to_string())
    .bind(uses)
    .bind(now.millis())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.as_ref().map(|r| get::<i64>(r, "uses_left").map(|after| after + uses)).transpose()?)
}

/// Locks a voucher's row for the rest of the transaction (a no-op update).
pub async fn lock(tx: &mut crate::Tx, id: VoucherId) -> Result<(), StoreError> {
    sqlx::query("UPDATE vouchers SET updated_at = updated_at WHERE id = $1")
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Gives `uses` back to an active or used voucher (an undone redemption); false if it is
/// refunded or expired.
pub async fn return_uses(tx: &mut crate::Tx, id: VoucherId, uses: i64, now: Timestamp) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE vouchers SET uses_left = uses_left + $2, status = 'active', updated_at = $3 \
         WHERE id = $1 AND status IN ('active', 'used')",
    )
    .bind(id.to_string())
    .bind(uses)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks an active voucher refunded or expired; false if it was no longer active.
pub async fn close(
    tx: &mut crate::Tx,
    id: VoucherId,
    status: VoucherStatus,
    refund_id: Option<&str>,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE vouchers SET status = $2, refund_id = $3, updated_at = $4 WHERE id = $1 AND status = 'active'",
    )
    .bind(id.to_string())
    .bind(status.as_str())
    .bind(refund_id.map(str::to_owned))
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A stored redemption.
#[allow(missing_docs)] // fields are their columns, documented where the name is not enough
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedemptionRow {
    pub id: RedemptionId,
    pub voucher_id: VoucherId,
    /// Where.
    pub store_id: StoreId,
    /// Who.
    pub staff_user_id: UserId,
    /// Which device (free text from the desk).
    pub device: String,
    /// Uses taken.
    pub uses: i64,
    /// Their value, minor units.
    pub value: i64,
    /// The platform's commission on it.
    pub commission: i64,
    /// The ledger entry.
    pub entry_id: EntryId,
    pub created_at: Timestamp,
    pub undone_at: Option<Timestamp>,
    /// Who undid it.
    pub undone_by: Option<UserId>,
    /// From which device.
    pub undo_device: Option<String>,
}

const REDEMPTION_COLUMNS: &str = "id, voucher_id, store_id, staff_user_id, device, uses, value, commission, entry_id, created_at, undone_at, undone_by, undo_device";

impl FromRow<'_, AnyRow> for RedemptionRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(RedemptionRow {
            id: parse(r, "id")?,
            voucher_id: parse(r, "voucher_id")?,
            store_id: parse(r, "store_id")?,
            staff_user_id: parse(r, "staff_user_id")?,
            device: get(r, "device")?,
            uses: get(r, "uses")?,
            value: get(r, "value")?,
            commission: get(r, "commission")?,
            entry_id: parse(r, "entry_id")?,
            created_at: time(r, "created_at")?,
            undone_at: opt_time(r, "undone_at")?,
            undone_by: opt(r, "undone_by")?,
            undo_device: get(r, "undo_device")?,
        })
    }
}

/// Records a redemption.
pub async fn insert_redemption(tx: &mut crate::Tx, r: &RedemptionRow) -> Result<(), StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO redemptions ({REDEMPTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    ));
    sqlx::query(sql)
        .bind(r.id.to_string())
        .bind(r.voucher_id.to_string())
        .bind(r.store_id.to_string())
        .bind(r.staff_user_id.to_string())
        .bind(&r.device)
        .bind(r.uses)
        .bind(r.value)
        .bind(r.commission)
        .bind(r.entry_id.to_string())
        .bind(r.created_at.millis())
        .bind(r.undone_at.map(Timestamp::millis))
        .bind(r.undone_by.map(|u| u.to_string()))
        .bind(r.undo_device.clone())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A redemption by id.
pub async fn redemption<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: RedemptionId,
) -> Result<Option<RedemptionRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {REDEMPTION_COLUMNS} FROM redemptions WHERE id = $1"));
    Ok(sqlx::query_as(sql).bind(id.to_string()).fetch_optional(ex).await?)
}

/// A voucher's redemptions, oldest first.
pub async fn redemptions_of<'e>(
    ex: impl Executor<'e, Database = Any>,
    voucher: VoucherId,
) -> Result<Vec<RedemptionRow>, StoreError> {
    let sql =
        sqlx::AssertSqlSafe(format!("SELECT {REDEMPTION_COLUMNS} FROM redemptions WHERE voucher_id = $1 ORDER BY id"));
    Ok(sqlx::query_as(sql).bind(voucher.to_string()).fetch_all(ex).await?)
}

/// Who undid a redemption, from which device, with which ledger entry, and when.
#[allow(missing_docs)] // fields are their columns, documented where the name is not enough
#[derive(Debug, Clone, Copy)]
pub struct Undo<'a> {
    /// The manager.
    pub by: UserId,
    /// Their desk or device.
    pub device: &'a str,
    /// The reversing entry.
    pub entry: EntryId,
    pub at: Timestamp,
}

/// Marks a redemption undone if it is not already and was made at or after `not_before`.
pub async fn undo_redemption(
    tx: &mut crate::Tx,
    id: RedemptionId,
    undo: Undo<'_>,
    not_before: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE redemptions SET undone_at = $2, undone_by = $3, undo_entry_id = $4, undo_device = $6 \
         WHERE id = $1 AND undone_at IS NULL AND created_at >= $5",
    )
    .bind(id.to_string())
    .bind(undo.at.millis())
    .bind(undo.by.to_string())
    .bind(undo.entry.to_string())
    .bind(not_before.millis())
    .bind(undo.device)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Active vouchers whose validity ended before `now`, oldest first.
pub async fn due_to_expire<'e>(
    ex: impl Executor<'e, Database = Any>,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<VoucherRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM vouchers WHERE status = 'active' AND valid_until <= $1 ORDER BY valid_until LIMIT $2"
    ));
    Ok(sqlx::query_as(sql).bind(now.millis()).bind(limit).fetch_all(ex).await?)
}

/// One line of a merchant's settlement statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLine {
    /// When.
    pub at: Timestamp,
    /// `redemption`, `undo` (negative) or `expiry` (unused value kept by the merchant).
    pub kind: String,
    /// The store (empty for expiries).
    pub store_id: String,
    /// The voucher's canonical code.
    pub code: String,
    /// The order.
    pub order_id: String,
    /// The voucher.
    pub voucher_id: String,
    /// The redemption (empty for expiries).
    pub redemption_id: String,
    /// The deal's title.
    pub title: String,
    /// Uses.
    pub uses: i64,
    /// Value, minor units (negative for undo).
    pub value: i64,
    /// Platform commission, minor units (negative for undo).
    pub commission: i64,
}

/// A merchant's statement lines with times in `[from, to)`, in time order.
pub async fn statement<'e, E>(ex: E, merchant: MerchantId, from: i64, to: i64) -> Result<Vec<StatementLine>, StoreError>
where
    E: Executor<'e, Database = Any> + Copy,
{
    let line = |r: &AnyRow, kind: &str, sign: i64| -> Result<StatementLine, StoreError> {
        Ok(StatementLine {
            at: time(r, "at")?,
            kind: kind.to_owned(),
            store_id: get(r, "store_id")?,
            code: get(r, "code")?,
            order_id: get(r, "order_id")?,
            voucher_id: get(r, "voucher_id")?,
            redemption_id: get(r, "redemption_id")?,
            title: get(r, "title")?,
            uses: sign * get::<i64>(r, "uses")?,
            value: sign * get::<i64>(r, "value")?,
            commission: sign * get::<i64>(r, "commission")?,
        })
    };
    let mut out = Vec::new();
    for (time_col, kind, sign) in [("r.created_at", "redemption", 1), ("r.undone_at", "undo", -1)] {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {time_col} AS at, r.store_id AS store_id, v.code AS code, v.order_id AS order_id, \
             v.id AS voucher_id, r.id AS redemption_id, d.title AS title, r.uses AS uses, r.value AS value, \
             r.commission AS commission FROM redemptions r JOIN vouchers v ON v.id = r.voucher_id \
             JOIN deals d ON d.id = v.deal_id WHERE v.merchant_id = $1 AND {time_col} >= $2 AND {time_col} < $3"
        ));
        let rows = sqlx::query(sql).bind(merchant.to_string()).bind(from).bind(to).fetch_all(ex).await?;
        for r in &rows {
            out.push(line(r, kind, sign)?);
        }
    }
    let rows = sqlx::query(
        "SELECT e.created_at AS at, '' AS store_id, v.code AS code, v.order_id AS order_id, v.id AS voucher_id, \
         '' AS redemption_id, d.title AS title, v.uses_left AS uses, \
         CAST(COALESCE((SELECT SUM(p.amount) FROM postings p WHERE p.entry_id = e.id AND p.account = 'platform:clearing'), 0) AS BIGINT) AS value, \
         CAST(COALESCE((SELECT -SUM(p.amount) FROM postings p WHERE p.entry_id = e.id AND p.account = 'platform:revenue'), 0) AS BIGINT) AS commission \
         FROM journal_entries e JOIN vouchers v ON v.id = e.ref_id JOIN deals d ON d.id = v.deal_id \
         WHERE e.kind = 'expiry' AND v.merchant_id = $1 AND e.created_at >= $2 AND e.created_at < $3",
    )
    .bind(merchant.to_string())
    .bind(from)
    .bind(to)
    .fetch_all(ex)
    .await?;
    for r in &rows {
        let mut l = line(r, "expiry", 1)?;
        l.value = l.value.max(0);
        out.push(l);
    }
    out.sort_by(|a, b| a.at.cmp(&b.at).then(a.redemption_id.cmp(&b.redemption_id)));
    Ok(out)
}
