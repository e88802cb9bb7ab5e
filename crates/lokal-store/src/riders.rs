//! Riders: applications, shifts, positions (sampled pings with a retention window).

use crate::StoreError;
use crate::row::{get, opt, opt_time, parse, time};
use lokal_core::fulfil::RiderStatus;
use lokal_core::{ShiftId, Timestamp, UserId};
use sqlx::FromRow;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

/// A rider (or an application to become one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiderRow {
    /// The rider's account.
    pub user_id: UserId,
    /// Name shown to stores and consumers.
    pub name: String,
    /// Phone for the dispatch desk.
    pub phone: String,
    /// `bike`, `e-bike`, `scooter`, `car` or `foot`.
    pub vehicle: String,
    /// `pending`, `approved` or `rejected`.
    pub status: RiderStatus,
    /// Why rejected.
    pub reason: String,
    /// The open shift, if on shift.
    pub shift_id: Option<ShiftId>,
    /// Last position, 1e-7 degrees.
    pub position: Option<(i64, i64)>,
    /// When it was reported.
    pub located_at: Option<Timestamp>,
    /// Applied.
    pub created_at: Timestamp,
    /// Last change.
    pub updated_at: Timestamp,
}

const COLUMNS: &str =
    "user_id, name, phone, vehicle, status, reason, shift_id, lat_e7, lng_e7, located_at, created_at, updated_at";

impl FromRow<'_, AnyRow> for RiderRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        let lat: Option<i64> = get(r, "lat_e7")?;
        let lng: Option<i64> = get(r, "lng_e7")?;
        Ok(Self {
            user_id: parse(r, "user_id")?,
            name: get(r, "name")?,
            phone: get(r, "phone")?,
            vehicle: get(r, "vehicle")?,
            status: parse(r, "status")?,
            reason: get(r, "reason")?,
            shift_id: opt(r, "shift_id")?,
            position: lat.zip(lng),
            located_at: opt_time(r, "located_at")?,
            created_at: time(r, "created_at")?,
            updated_at: time(r, "updated_at")?,
        })
    }
}

/// Records an application, or renews a rejected one; false when one is pending or approved.
pub async fn apply<'e>(ex: impl Executor<'e, Database = Any>, r: &RiderRow) -> Result<bool, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO riders ({COLUMNS}) VALUES ($1, $2, $3, $4, 'pending', '', NULL, NULL, NULL, NULL, $5, $5) \
         ON CONFLICT (user_id) DO UPDATE SET name = $2, phone = $3, vehicle = $4, status = 'pending', reason = '', \
         updated_at = $5 WHERE riders.status = 'rejected'"
    ));
    let done = sqlx::query(sql)
        .bind(r.user_id.to_string())
        .bind(&r.name)
        .bind(&r.phone)
        .bind(&r.vehicle)
        .bind(r.created_at.millis())
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A rider by account.
pub async fn get_by_id<'e>(
    ex: impl Executor<'e, Database = Any>,
    user: UserId,
) -> Result<Option<RiderRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM riders WHERE user_id = $1"));
    Ok(sqlx::query_as(sql).bind(user.to_string()).fetch_optional(ex).await?)
}

/// Riders in `status`, oldest first.
pub async fn with_status<'e>(
    ex: impl Executor<'e, Database = Any>,
    status: RiderStatus,
) -> Result<Vec<RiderRow>, StoreError> {
    let sql =
        sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM riders WHERE status = $1 ORDER BY created_at LIMIT 500"));
    Ok(sqlx::query_as(sql).bind(status.as_str()).fetch_all(ex).await?)
}

/// Riders on shift.
pub async fn on_shift<'e>(ex: impl Executor<'e, Database = Any>) -> Result<Vec<RiderRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM riders WHERE shift_id IS NOT NULL AND status = 'approved' ORDER BY user_id"
    ));
    Ok(sqlx::query_as(sql).fetch_all(ex).await?)
}

/// Decides a pending application; false if it was not pending (someone else decided).
pub async fn decide(
    tx: &mut crate::Tx,
    user: UserId,
    status: RiderStatus,
    reason: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE riders SET status = $2, reason = $3, updated_at = $4 WHERE user_id = $1 AND status = 'pending'",
    )
    .bind(user.to_string())
    .bind(status.as_str())
    .bind(reason)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Opens a shift for an approved rider not on shift; false otherwise.
pub async fn start_shift(tx: &mut crate::Tx, user: UserId, shift: ShiftId, now: Timestamp) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE riders SET shift_id = $2, updated_at = $3 WHERE user_id = $1 AND status = 'approved' AND shift_id IS NULL",
    )
    .bind(user.to_string())
    .bind(shift.to_string())
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO rider_shifts (id, rider_id, started_at, ended_at, earned, topup) VALUES ($1, $2, $3, NULL, 0, 0)",
    )
    .bind(shift.to_string())
    .bind(user.to_string())
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// A shift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftRow {
    /// The id.
    pub id: ShiftId,
    /// The rider.
    pub rider_id: UserId,
    /// Started.
    pub started_at: Timestamp,
    /// Ended.
    pub ended_at: Option<Timestamp>,
    /// Task pay earned in it, minor units.
    pub earned: i64,
    /// Top-up to the hourly guarantee, paid at its end.
    pub topup: i64,
}

impl FromRow<'_, AnyRow> for ShiftRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: parse(r, "id")?,
            rider_id: parse(r, "rider_id")?,
            started_at: time(r, "started_at")?,
            ended_at: opt_time(r, "ended_at")?,
            earned: get(r, "earned")?,
            topup: get(r, "topup")?,
        })
    }
}

/// A rider's shifts, newest first.
pub async fn shifts<'e>(
    ex: impl Executor<'e, Database = Any>,
    user: UserId,
    limit: i64,
) -> Result<Vec<ShiftRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, rider_id, started_at, ended_at, earned, topup FROM rider_shifts WHERE rider_id = $1 \
         ORDER BY id DESC LIMIT $2",
    )
    .bind(user.to_string())
    .bind(limit)
    .fetch_all(ex)
    .await?;
    Ok(rows.iter().map(ShiftRow::from_row).collect::<Result<_, _>>()?)
}

/// Closes a rider's open shift; returns it as it was, or `None` when the rider was not on shift.
pub async fn end_shift(tx: &mut crate::Tx, user: UserId, now: Timestamp) -> Result<Option<ShiftRow>, StoreError> {
    let Some(rider) = get_by_id(&mut **tx, user).await? else { return Ok(None) };
    let Some(shift) = rider.shift_id else { return Ok(None) };
    let done = sqlx::query("UPDATE riders SET shift_id = NULL, updated_at = $3 WHERE user_id = $1 AND shift_id = $2")
        .bind(user.to_string())
        .bind(shift.to_string())
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    sqlx::query("UPDATE rider_shifts SET ended_at = $2 WHERE id = $1")
        .bind(shift.to_string())
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    let row = sqlx::query("SELECT id, rider_id, started_at, ended_at, earned, topup FROM rider_shifts WHERE id = $1")
        .bind(shift.to_string())
        .fetch_one(&mut **tx)
        .await?;
    Ok(Some(ShiftRow::from_row(&row)?))
}

/// Adds task pay (and top-ups) to an open shift's figures.
pub async fn add_to_shift(tx: &mut crate::Tx, shift: ShiftId, earned: i64, topup: i64) -> Result<(), StoreError> {
    // Only an open shift, or the top-up already paid for it would not see these earnings.
    sqlx::query("UPDATE rider_shifts SET earned = earned + $2, topup = topup + $3 WHERE id = $1 AND ended_at IS NULL")
        .bind(shift.to_string())
        .bind(earned)
        .bind(topup)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Records a position: the rider's last known one, and a ping for the track (at most one per
/// `sample_ms`, so a chatty phone does not fill the table). Returns whether a ping was stored.
pub async fn locate(
    tx: &mut crate::Tx,
    user: UserId,
    lat_e7: i64,
    lng_e7: i64,
    now: Timestamp,
    sample_ms: i64,
) -> Result<bool, StoreError> {
    sqlx::query("UPDATE riders SET lat_e7 = $2, lng_e7 = $3, located_at = $4 WHERE user_id = $1")
        .bind(user.to_string())
        .bind(lat_e7)
        .bind(lng_e7)
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    let recent = sqlx::query("SELECT at FROM rider_pings WHERE rider_id = $1 AND at > $2 LIMIT 1")
        .bind(user.to_string())
        .bind(now.millis() - sample_ms)
        .fetch_optional(&mut **tx)
        .await?;
    if recent.is_some() {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO rider_pings (rider_id, at, lat_e7, lng_e7) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(user.to_string())
    .bind(now.millis())
    .bind(lat_e7)
    .bind(lng_e7)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// Deletes pings older than `before` and forgets last positions reported before it; returns how
/// many pings went.
pub async fn purge_positions<'e>(ex: impl Executor<'e, Database = Any> + Copy, before: i64) -> Result<u64, StoreError> {
    let r = sqlx::query("DELETE FROM rider_pings WHERE at < $1").bind(before).execute(ex).await?;
    sqlx::query("UPDATE riders SET lat_e7 = NULL, lng_e7 = NULL, located_at = NULL WHERE located_at < $1")
        .bind(before)
        .execute(ex)
        .await?;
    Ok(r.rows_affected())
}

/// How many pings a rider has stored (for tests and the admin view).
pub async fn ping_count<'e>(ex: impl Executor<'e, Database = Any>, user: UserId) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM rider_pings WHERE rider_id = $1")
        .bind(user.to_string())
        .fetch_one(ex)
        .await?;
    Ok(get(&row, "n")?)
}

/// Locks the rider's row if the rider is on shift (false otherwise), so an assignment and the end
/// of the shift cannot interleave: whichever comes second sees the other.
pub async fn lock_on_shift(tx: &mut crate::Tx, user: UserId) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE riders SET updated_at = updated_at WHERE user_id = $1 AND shift_id IS NOT NULL")
        .bind(user.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The times of a rider's stored positions in `[from, to]`, oldest first.
pub async fn ping_times<'e>(
    ex: impl Executor<'e, Database = Any>,
    user: UserId,
    from: i64,
    to: i64,
) -> Result<Vec<i64>, StoreError> {
    let rows = sqlx::query("SELECT at FROM rider_pings WHERE rider_id = $1 AND at >= $2 AND at <= $3 ORDER BY at")
        .bind(user.to_string())
        .bind(from)
        .bind(to)
        .fetch_all(ex)
        .await?;
    Ok(rows.iter().map(|r| get(r, "at")).collect::<Result<_, _>>()?)
}

/// Records the top-up paid at the end of a shift.
pub async fn set_topup(tx: &mut crate::Tx, shift: ShiftId, topup: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE rider_shifts SET topup = $2 WHERE id = $1")
        .bind(shift.to_string())
        .bind(topup)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Moves a rider from status `from` to `to` (an operator suspending or reinstating), with the
/// reason; false when the rider was not in `from`.
pub async fn set_status(
    tx: &mut crate::Tx,
    user: UserId,
    from: RiderStatus,
    to: RiderStatus,
    reason: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done =
        sqlx::query("UPDATE riders SET status = $3, reason = $4, updated_at = $5 WHERE user_id = $1 AND status = $2")
            .bind(user.to_string())
            .bind(from.as_str())
            .bind(to.as_str())
            .bind(reason)
            .bind(now.millis())
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected() == 1)
}
