//! Delivery tasks. Every move is a conditional update from the status (and rider) the caller
//! saw, so two riders, a rider and an operator, or a rider and a cancellation never both win.

use crate::StoreError;
use crate::row::{get, opt, opt_time, parse, time};
use lokal_core::fulfil::TaskStatus;
use lokal_core::{DeliveryId, OrderId, StoreId, Timestamp, UserId};
use sqlx::FromRow;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

/// A delivery task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRow {
    /// The id.
    pub id: DeliveryId,
    /// The order carried.
    pub order_id: OrderId,
    /// The store it is picked up at.
    pub store_id: StoreId,
    /// The rider holding it.
    pub rider_id: Option<UserId>,
    /// A [`lokal_core::fulfil::TaskStatus`] name.
    pub status: TaskStatus,
    /// The store, 1e-7 degrees.
    pub pickup: (i64, i64),
    /// The door, 1e-7 degrees.
    pub drop: (i64, i64),
    /// Store to door, metres (straight line).
    pub distance_m: i64,
    /// What the rider earns for it.
    pub rider_pay: i64,
    /// When the food should be ready.
    pub ready_at: Timestamp,
    /// Estimated arrival at the door.
    pub eta_at: Timestamp,
    /// Given to its rider.
    pub assigned_at: Option<Timestamp>,
    /// Rider at the store.
    pub arrived_at: Option<Timestamp>,
    /// Picked up.
    pub picked_at: Option<Timestamp>,
    /// Delivered.
    pub delivered_at: Option<Timestamp>,
    /// Created.
    pub created_at: Timestamp,
    /// Last change.
    pub updated_at: Timestamp,
}

const COLUMNS: &str = "id, order_id, store_id, rider_id, status, pickup_lat_e7, pickup_lng_e7, drop_lat_e7, \
    drop_lng_e7, distance_m, rider_pay, ready_at, eta_at, assigned_at, arrived_at, picked_at, delivered_at, created_at, \
    updated_at";

impl FromRow<'_, AnyRow> for DeliveryRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: parse(r, "id")?,
            order_id: parse(r, "order_id")?,
            store_id: parse(r, "store_id")?,
            rider_id: opt(r, "rider_id")?,
            status: parse(r, "status")?,
            pickup: (get(r, "pickup_lat_e7")?, get(r, "pickup_lng_e7")?),
            drop: (get(r, "drop_lat_e7")?, get(r, "drop_lng_e7")?),
            distance_m: get(r, "distance_m")?,
            rider_pay: get(r, "rider_pay")?,
            ready_at: time(r, "ready_at")?,
            eta_at: time(r, "eta_at")?,
            assigned_at: opt_time(r, "assigned_at")?,
            arrived_at: opt_time(r, "arrived_at")?,
            picked_at: opt_time(r, "picked_at")?,
            delivered_at: opt_time(r, "delivered_at")?,
            created_at: time(r, "created_at")?,
            updated_at: time(r, "updated_at")?,
        })
    }
}

/// Inserts a task.
pub async fn insert(tx: &mut crate::Tx, d: &DeliveryRow) -> Result<(), StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO deliveries ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
         $16, $17, $18, $19)"
    ));
    sqlx::query(sql)
        .bind(d.id.to_string())
        .bind(d.order_id.to_string())
        .bind(d.store_id.to_string())
        .bind(d.rider_id.map(|u| u.to_string()))
        .bind(d.status.as_str())
        .bind(d.pickup.0)
        .bind(d.pickup.1)
        .bind(d.drop.0)
        .bind(d.drop.1)
        .bind(d.distance_m)
        .bind(d.rider_pay)
        .bind(d.ready_at.millis())
        .bind(d.eta_at.millis())
        .bind(d.assigned_at.map(Timestamp::millis))
        .bind(d.arrived_at.map(Timestamp::millis))
        .bind(d.picked_at.map(Timestamp::millis))
        .bind(d.delivered_at.map(Timestamp::millis))
        .bind(d.created_at.millis())
        .bind(d.updated_at.millis())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A task by id.
pub async fn get_by_id<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: DeliveryId,
) -> Result<Option<DeliveryRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM deliveries WHERE id = $1"));
    Ok(sqlx::query_as(sql).bind(id.to_string()).fetch_optional(ex).await?)
}

/// The task of an order.
pub async fn for_order<'e>(
    ex: impl Executor<'e, Database = Any>,
    order: OrderId,
) -> Result<Option<DeliveryRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM deliveries WHERE order_id = $1"));
    Ok(sqlx::query_as(sql).bind(order.to_string()).fetch_optional(ex).await?)
}

/// Tasks not finished: waiting, or held by a rider.
pub async fn open<'e>(ex: impl Executor<'e, Database = Any>, limit: i64) -> Result<Vec<DeliveryRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM deliveries WHERE status IN ('waiting', 'assigned', 'at_store', 'picked_up') \
         ORDER BY id LIMIT $1"
    ));
    Ok(sqlx::query_as(sql).bind(limit).fetch_all(ex).await?)
}

/// A rider's tasks not finished, oldest first.
pub async fn of_rider<'e>(
    ex: impl Executor<'e, Database = Any>,
    rider: UserId,
) -> Result<Vec<DeliveryRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM deliveries WHERE rider_id = $1 AND status IN ('assigned', 'at_store', 'picked_up') \
         ORDER BY id"
    ));
    Ok(sqlx::query_as(sql).bind(rider.to_string()).fetch_all(ex).await?)
}

/// A rider's finished tasks, newest first.
pub async fn history<'e>(
    ex: impl Executor<'e, Database = Any>,
    rider: UserId,
    limit: i64,
) -> Result<Vec<DeliveryRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM deliveries WHERE rider_id = $1 AND status = 'delivered' ORDER BY id DESC LIMIT $2"
    ));
    Ok(sqlx::query_as(sql).bind(rider.to_string()).bind(limit).fetch_all(ex).await?)
}

/// Gives a waiting task to `rider`; false if it was no longer waiting.
pub async fn assign(tx: &mut crate::Tx, id: DeliveryId, rider: UserId, now: Timestamp) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE deliveries SET rider_id = $2, status = 'assigned', assigned_at = $3, arrived_at = NULL, updated_at = $3 \
         WHERE id = $1 AND status = 'waiting'",
    )
    .bind(id.to_string())
    .bind(rider.to_string())
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves a task from `from` to `to` if `rider` still holds it (`None`: whoever holds it).
/// `to = waiting` releases it from its rider. Sets the matching time column.
pub async fn step(
    tx: &mut crate::Tx,
    id: DeliveryId,
    rider: Option<UserId>,
    from: TaskStatus,
    to: TaskStatus,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let sql = match to {
        TaskStatus::Waiting => {
            "UPDATE deliveries SET status = $4, rider_id = NULL, assigned_at = NULL, arrived_at = NULL, updated_at = $5 \
             WHERE id = $1 AND status = $3 AND ($2 = '' OR rider_id = $2)"
        }
        TaskStatus::AtStore => {
            "UPDATE deliveries SET status = $4, arrived_at = $5, updated_at = $5 \
             WHERE id = $1 AND status = $3 AND ($2 = '' OR rider_id = $2)"
        }
        TaskStatus::PickedUp => {
            "UPDATE deliveries SET status = $4, picked_at = $5, updated_at = $5 \
             WHERE id = $1 AND status = $3 AND ($2 = '' OR rider_id = $2)"
        }
        TaskStatus::Delivered => {
            "UPDATE deliveries SET status = $4, delivered_at = $5, updated_at = $5 \
             WHERE id = $1 AND status = $3 AND ($2 = '' OR rider_id = $2)"
        }
        TaskStatus::Assigned | TaskStatus::Cancelled => {
            "UPDATE deliveries SET status = $4, updated_at = $5 WHERE id = $1 AND status = $3 AND ($2 = '' OR rider_id = $2)"
        }
    };
    let done = sqlx::query(sql)
        .bind(id.to_string())
        .bind(rider.map(|r| r.to_string()).unwrap_or_default())
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets a task's estimated arrival.
pub async fn set_eta(tx: &mut crate::Tx, id: DeliveryId, eta_at: Timestamp) -> Result<(), StoreError> {
    sqlx::query("UPDATE deliveries SET eta_at = $2 WHERE id = $1")
        .bind(id.to_string())
        .bind(eta_at.millis())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The food of `order` is ready at `now`: a task not yet picked up becomes ready now and its
/// estimated arrival moves by as much (earlier when the store was quick, later when it was slow).
/// Returns the new estimate, or none when the order has no such task.
pub async fn food_ready(tx: &mut crate::Tx, order: OrderId, now: Timestamp) -> Result<Option<Timestamp>, StoreError> {
    let moved = sqlx::query(
        "UPDATE deliveries SET eta_at = eta_at + ($2 - ready_at), ready_at = $2, updated_at = $2 \
         WHERE order_id = $1 AND status IN ('waiting', 'assigned', 'at_store')",
    )
    .bind(order.to_string())
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    if moved.rows_affected() == 0 {
        return Ok(None);
    }
    let row = sqlx::query("SELECT eta_at FROM deliveries WHERE order_id = $1 AND ready_at = $2")
        .bind(order.to_string())
        .bind(now.millis())
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.as_ref().map(|r| time(r, "eta_at")).transpose()?)
}
