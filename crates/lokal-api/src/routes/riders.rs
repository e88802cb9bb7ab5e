//! Riders (apply, shifts, position, tasks, earnings), the operators' rider queue and dispatch
//! board, and pay-at-store bills.

use crate::Ctx;
use crate::error::ApiResult;
use crate::extract::{Caller, IdempotencyKey, Json, Path, Query};
use crate::routes::ListJson;
use crate::routes::takeout::{MenuOrderOut, cny, menu_order_out};
use axum::extract::State;
use axum::http::StatusCode;
use lokal_app::riders::{Exception, RiderApplicationJson, RiderTask};
use lokal_core::fulfil::Actor;
use lokal_core::store::LatLngJson;
use lokal_core::takeout::PayRuleJson;
use lokal_core::{DeliveryId, Money, OrderId, ShiftId, StoreId, Timestamp, UserId};
use lokal_store::riders::RiderRow;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(apply, me))
        .routes(routes!(list_riders))
        .routes(routes!(decide))
        .routes(routes!(suspend))
        .routes(routes!(reinstate))
        .routes(routes!(shift_start, shift_end))
        .routes(routes!(location))
        .routes(routes!(tasks))
        .routes(routes!(arrived))
        .routes(routes!(picked_up))
        .routes(routes!(delivered))
        .routes(routes!(exception))
        .routes(routes!(offers))
        .routes(routes!(grab))
        .routes(routes!(earnings))
        .routes(routes!(board))
        .routes(routes!(reassign))
        .routes(routes!(bill_terms))
        .routes(routes!(open_bill, store_bills))
        .routes(routes!(confirm_bill))
}

fn e7(p: (i64, i64)) -> LatLngJson {
    LatLngJson { lat: p.0 as f64 / 1e7, lng: p.1 as f64 / 1e7 }
}

/// A rider.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RiderOut {
    /// The rider's account.
    pub user_id: UserId,
    /// Name.
    pub name: String,
    /// Phone.
    pub phone: String,
    /// Vehicle.
    pub vehicle: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    /// Why rejected.
    pub reason: String,
    /// On shift now.
    pub on_shift: bool,
    /// Last position (operators and the rider).
    pub position: Option<LatLngJson>,
    /// When reported.
    pub located_at: Option<Timestamp>,
}

fn rider_out(r: RiderRow) -> RiderOut {
    RiderOut {
        user_id: r.user_id,
        name: r.name,
        phone: r.phone,
        vehicle: r.vehicle,
        status: r.status.to_string(),
        reason: r.reason,
        on_shift: r.shift_id.is_some(),
        position: r.position.map(e7),
        located_at: r.located_at,
    }
}

/// Apply to ride; operators approve.
#[utoipa::path(post, path = "/api/v1/riders/me", tag = "riders", request_body = RiderApplicationJson,
    security(("bearer" = [])), responses((status = 201, body = RiderOut)))]
async fn apply(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Json(b): Json<RiderApplicationJson>,
) -> ApiResult<(StatusCode, Json<RiderOut>)> {
    Ok((StatusCode::CREATED, Json(rider_out(ctx.app.apply_rider(&caller, b).await?))))
}

/// The caller's rider record (application status, shift, position).
#[utoipa::path(get, path = "/api/v1/riders/me", tag = "riders", security(("bearer" = [])), responses((status = 200, body = RiderOut)))]
async fn me(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<Json<RiderOut>> {
    Ok(Json(rider_out(ctx.app.rider_me(&caller).await?)))
}

/// Which riders.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RiderQuery {
    /// `pending` (default), `approved` or `rejected`.
    pub status: Option<String>,
}

/// Riders by status. Operators.
#[utoipa::path(get, path = "/api/v1/admin/riders", tag = "riders", params(RiderQuery), security(("bearer" = [])),
    responses((status = 200, body = ListJson<RiderOut>)))]
async fn list_riders(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Query(q): Query<RiderQuery>,
) -> ApiResult<Json<ListJson<RiderOut>>> {
    let list = ctx.app.riders(&caller, q.status.as_deref().unwrap_or("pending")).await?;
    Ok(Json(ListJson { items: list.into_iter().map(rider_out).collect(), next_cursor: None }))
}

/// A decision on an application.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// Approve (grants the rider role) or reject.
    pub approve: bool,
    /// Why, when rejecting (1 to 200 characters).
    #[serde(default)]
    pub reason: String,
}

/// Approve or reject a rider application. Operators.
#[utoipa::path(post, path = "/api/v1/admin/riders/{user_id}/decision", tag = "riders",
    params(("user_id" = UserId, Path, description = "The applicant")), request_body = DecisionBody,
    security(("bearer" = [])), responses((status = 200, body = RiderOut)))]
async fn decide(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(user): Path<UserId>,
    Json(b): Json<DecisionBody>,
) -> ApiResult<Json<RiderOut>> {
    Ok(Json(rider_out(ctx.app.decide_rider(&caller, user, b.approve, &b.reason).await?)))
}

/// Why an operator acts on an account or a rider (1 to 200 characters; kept in the audit log).
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    /// Why.
    pub reason: String,
}

/// Suspend an approved rider: their shift ends and their tasks not picked up go back to the
/// dispatcher (409 while they carry food). Operators; audited.
#[utoipa::path(post, path = "/api/v1/admin/riders/{user_id}/suspend", tag = "riders",
    params(("user_id" = UserId, Path, description = "The rider")), request_body = ReasonBody,
    security(("bearer" = [])), responses((status = 200, body = RiderOut)))]
async fn suspend(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(user): Path<UserId>,
    Json(b): Json<ReasonBody>,
) -> ApiResult<Json<RiderOut>> {
    Ok(Json(rider_out(ctx.app.suspend_rider(&caller, user, &b.reason).await?)))
}

/// Lift a rider's suspension. Operators; audited.
#[utoipa::path(post, path = "/api/v1/admin/riders/{user_id}/reinstate", tag = "riders",
    params(("user_id" = UserId, Path, description = "The rider")), request_body = ReasonBody,
    security(("bearer" = [])), responses((status = 200, body = RiderOut)))]
async fn reinstate(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(user): Path<UserId>,
    Json(b): Json<ReasonBody>,
) -> ApiResult<Json<RiderOut>> {
    Ok(Json(rider_out(ctx.app.reinstate_rider(&caller, user, &b.reason).await?)))
}

/// Go on shift. Approved riders.
#[utoipa::path(post, path = "/api/v1/rider/shift", tag = "riders", security(("bearer" = [])), responses((status = 200, body = RiderOut)))]
async fn shift_start(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<Json<RiderOut>> {
    Ok(Json(rider_out(ctx.app.start_shift(&caller).await?)))
}

/// A finished shift.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ShiftOut {
    /// The shift.
    pub id: ShiftId,
    /// Started.
    pub started_at: Timestamp,
    /// Ended.
    pub ended_at: Option<Timestamp>,
    /// Task pay.
    pub earned: Money,
    /// Top-up to the hourly guarantee.
    pub topup: Money,
}

fn shift_out(s: lokal_store::riders::ShiftRow) -> ShiftOut {
    ShiftOut { id: s.id, started_at: s.started_at, ended_at: s.ended_at, earned: cny(s.earned), topup: cny(s.topup) }
}

/// Go off shift: tasks not picked up go back to the dispatcher, earnings are topped up to the
/// hourly guarantee. Refused while carrying food.
#[utoipa::path(delete, path = "/api/v1/rider/shift", tag = "riders", security(("bearer" = [])), responses((status = 200, body = ShiftOut)))]
async fn shift_end(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<Json<ShiftOut>> {
    Ok(Json(shift_out(ctx.app.end_shift(&caller).await?)))
}

/// Report the rider's position (on shift; stored at most every 10 s, kept 24 h).
#[utoipa::path(post, path = "/api/v1/rider/location", tag = "riders", request_body = LatLngJson,
    security(("bearer" = [])), responses((status = 204)))]
async fn location(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Json(b): Json<LatLngJson>,
) -> ApiResult<StatusCode> {
    ctx.app.rider_location(&caller, b.lat, b.lng).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A task as its rider sees it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct TaskOut {
    /// The task.
    pub id: DeliveryId,
    /// `assigned`, `at_store`, `picked_up`, `delivered` (or `waiting` in offers).
    pub status: String,
    /// The store.
    pub store_name: String,
    /// Its address.
    pub store_address: String,
    /// Where it is.
    pub pickup: LatLngJson,
    /// The door.
    pub drop: LatLngJson,
    /// The address at the door.
    pub drop_address: String,
    /// Store to door, metres.
    pub distance_m: i64,
    /// The rider's pay for it.
    pub pay: Money,
    /// When the food should be ready.
    pub ready_at: Timestamp,
    /// Estimated arrival at the door.
    pub eta_at: Timestamp,
    /// The order (no consumer code: the consumer gives it at the door).
    pub order: MenuOrderOut,
}

fn task_out(t: RiderTask) -> TaskOut {
    let d = t.delivery;
    TaskOut {
        id: d.id,
        status: d.status.to_string(),
        store_name: t.order.store_name.clone(),
        store_address: t.store_address,
        pickup: e7(d.pickup),
        drop: e7(d.drop),
        drop_address: t.order.detail.address.clone(),
        distance_m: d.distance_m,
        pay: cny(d.rider_pay),
        ready_at: d.ready_at,
        eta_at: d.eta_at,
        order: menu_order_out(t.order, Actor::Rider),
    }
}

/// The caller's open tasks. Riders.
#[utoipa::path(get, path = "/api/v1/rider/tasks", tag = "riders", security(("bearer" = [])), responses((status = 200, body = ListJson<TaskOut>)))]
async fn tasks(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<Json<ListJson<TaskOut>>> {
    let items = ctx.app.rider_tasks(&caller).await?.into_iter().map(task_out).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// Arrived at the store. The task's rider.
#[utoipa::path(post, path = "/api/v1/rider/tasks/{delivery_id}/arrived", tag = "riders",
    params(("delivery_id" = DeliveryId, Path, description = "The task")), security(("bearer" = [])), responses((status = 200, body = TaskOut)))]
async fn arrived(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<DeliveryId>,
) -> ApiResult<Json<TaskOut>> {
    Ok(Json(task_out(ctx.app.task_arrived(&caller, id).await?)))
}

/// Picked the food up. The task's rider.
#[utoipa::path(post, path = "/api/v1/rider/tasks/{delivery_id}/picked-up", tag = "riders",
    params(("delivery_id" = DeliveryId, Path, description = "The task")), security(("bearer" = [])), responses((status = 200, body = TaskOut)))]
async fn picked_up(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<DeliveryId>,
) -> ApiResult<Json<TaskOut>> {
    Ok(Json(task_out(ctx.app.task_picked_up(&caller, id).await?)))
}

/// The consumer's delivery code.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliveredBody {
    /// The four digits the consumer shows at the door.
    pub code: String,
}

/// Delivered, against the consumer's code. The task's rider.
#[utoipa::path(post, path = "/api/v1/rider/tasks/{delivery_id}/delivered", tag = "riders",
    params(("delivery_id" = DeliveryId, Path, description = "The task")), request_body = DeliveredBody,
    security(("bearer" = [])), responses((status = 200, body = TaskOut)))]
async fn delivered(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<DeliveryId>,
    Json(b): Json<DeliveredBody>,
) -> ApiResult<Json<TaskOut>> {
    Ok(Json(task_out(ctx.app.task_delivered(&caller, id, &b.code).await?)))
}

/// An exception report.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExceptionBody {
    /// `store_delay`, `customer_unreachable` or `rider_problem`.
    pub kind: Exception,
    /// Details, up to 200 characters.
    #[serde(default)]
    pub note: String,
}

/// Report an exception: before pickup a store delay or rider problem hands the task back to the
/// dispatcher; after pickup operators are alerted on the order's timeline.
#[utoipa::path(post, path = "/api/v1/rider/tasks/{delivery_id}/exception", tag = "riders",
    params(("delivery_id" = DeliveryId, Path, description = "The task")), request_body = ExceptionBody,
    security(("bearer" = [])), responses((status = 204)))]
async fn exception(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<DeliveryId>,
    Json(b): Json<ExceptionBody>,
) -> ApiResult<StatusCode> {
    ctx.app.task_exception(&caller, id, b.kind, &b.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A waiting task offered to riders (grab mode): the store, a rounded drop-off area and the
/// distances. The door, the receiver, their phone, the note and the items are shown only to the
/// rider who grabs it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct OfferOut {
    /// The task.
    pub id: DeliveryId,
    /// The store.
    pub store_id: StoreId,
    /// Its name.
    pub store_name: String,
    /// Its address.
    pub store_address: String,
    /// Where it is.
    pub pickup: LatLngJson,
    /// The drop-off rounded to 0.005° (about 500 m): an area, not a door.
    pub drop_area: LatLngJson,
    /// Store to door, metres.
    pub distance_m: i64,
    /// The rider to the store, metres.
    pub from_rider_m: i64,
    /// The rider's pay for it.
    pub pay: Money,
    /// When the food should be ready.
    pub ready_at: Timestamp,
}

/// Waiting tasks near the rider (grab mode), nearest first; in assign mode none.
#[utoipa::path(get, path = "/api/v1/rider/offers", tag = "riders", security(("bearer" = [])), responses((status = 200, body = ListJson<OfferOut>)))]
async fn offers(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<Json<ListJson<OfferOut>>> {
    let items = ctx
        .app
        .rider_offers(&caller)
        .await?
        .into_iter()
        .map(|o| OfferOut {
            id: o.id,
            store_id: o.store_id,
            store_name: o.store_name,
            store_address: o.store_address,
            pickup: e7(o.pickup),
            drop_area: e7(o.drop_area),
            distance_m: o.distance_m,
            from_rider_m: o.from_rider_m,
            pay: cny(o.pay),
            ready_at: o.ready_at,
        })
        .collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// Grab a waiting task (grab mode): the first rider gets it.
#[utoipa::path(post, path = "/api/v1/rider/offers/{delivery_id}/grab", tag = "riders",
    params(("delivery_id" = DeliveryId, Path, description = "The task")), security(("bearer" = [])), responses((status = 204)))]
async fn grab(State(ctx): State<Ctx>, Caller(caller, _): Caller, Path(id): Path<DeliveryId>) -> ApiResult<StatusCode> {
    ctx.app.grab_task(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A rider's earnings.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct EarningsOut {
    /// Owed to the rider now.
    pub balance: Money,
    /// Recent shifts.
    pub shifts: Vec<ShiftOut>,
    /// Deliveries in the recent past.
    pub deliveries: i64,
}

/// The caller's balance and shifts. Riders.
#[utoipa::path(get, path = "/api/v1/rider/earnings", tag = "riders", security(("bearer" = [])), responses((status = 200, body = EarningsOut)))]
async fn earnings(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<Json<EarningsOut>> {
    let e = ctx.app.rider_earnings(&caller).await?;
    Ok(Json(EarningsOut {
        balance: cny(e.balance),
        shifts: e.shifts.into_iter().map(shift_out).collect(),
        deliveries: e.delivered.len() as i64,
    }))
}

/// A task on the board.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct BoardTaskOut {
    /// The task.
    pub id: DeliveryId,
    /// Its order.
    pub order_id: OrderId,
    /// Status.
    pub status: String,
    /// Its rider.
    pub rider_id: Option<UserId>,
    /// The store.
    pub pickup: LatLngJson,
    /// The door.
    pub drop: LatLngJson,
    /// Estimated arrival.
    pub eta_at: Timestamp,
    /// Past its ETA.
    pub late: bool,
    /// Likely to be late.
    pub at_risk: bool,
}

/// A rider on the board.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct BoardRiderOut {
    /// The rider.
    pub rider: RiderOut,
    /// Tasks held.
    pub load: u32,
}

/// The dispatch board.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct BoardOut {
    /// Riders on shift.
    pub riders: Vec<BoardRiderOut>,
    /// Tasks not finished.
    pub tasks: Vec<BoardTaskOut>,
}

/// Riders on shift and open tasks, with late and at-risk flags. Operators.
#[utoipa::path(get, path = "/api/v1/admin/dispatch", tag = "riders", security(("bearer" = [])), responses((status = 200, body = BoardOut)))]
async fn board(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<Json<BoardOut>> {
    let b = ctx.app.dispatch_board(&caller).await?;
    Ok(Json(BoardOut {
        riders: b.riders.into_iter().map(|(r, load)| BoardRiderOut { rider: rider_out(r), load }).collect(),
        tasks: b
            .tasks
            .into_iter()
            .map(|t| BoardTaskOut {
                id: t.delivery.id,
                order_id: t.delivery.order_id,
                status: t.delivery.status.to_string(),
                rider_id: t.delivery.rider_id,
                pickup: e7(t.delivery.pickup),
                drop: e7(t.delivery.drop),
                eta_at: t.delivery.eta_at,
                late: t.late,
                at_risk: t.at_risk,
            })
            .collect(),
    }))
}

/// A manual reassignment.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReassignBody {
    /// The rider to give it to (on shift); back to the dispatcher when absent.
    #[serde(default)]
    pub rider_id: Option<UserId>,
    /// Why (1 to 200 characters): it goes on the order's timeline.
    pub reason: String,
}

/// Take a task from its rider before pickup and give it to another (or back to the dispatcher),
/// with a reason that is audited. Operators.
#[utoipa::path(post, path = "/api/v1/admin/deliveries/{delivery_id}/reassign", tag = "riders",
    params(("delivery_id" = DeliveryId, Path, description = "The task")), request_body = ReassignBody,
    security(("bearer" = [])), responses((status = 204)))]
async fn reassign(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<DeliveryId>,
    Json(b): Json<ReassignBody>,
) -> ApiResult<StatusCode> {
    ctx.app.reassign(&caller, id, b.rider_id, &b.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A store's pay-at-store terms.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct BillTermsOut {
    /// The store.
    pub store_name: String,
    /// The discount rule.
    pub rule: PayRuleJson,
    /// What the discount does not cover.
    pub excludes: String,
}

/// A store's pay-at-store discount (public: the poster's page shows it).
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/pay-at-store", tag = "bills",
    params(("store_id" = StoreId, Path, description = "The store")), responses((status = 200, body = BillTermsOut)))]
async fn bill_terms(State(ctx): State<Ctx>, Path(store): Path<StoreId>) -> ApiResult<Json<BillTermsOut>> {
    let t = ctx.app.bill_terms(store).await?;
    Ok(Json(BillTermsOut { store_name: t.store_name, rule: t.rule, excludes: t.excludes }))
}

/// A bill to pay.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BillBody {
    /// The bill, minor units.
    pub amount: i64,
    /// The part the discount does not cover (drinks, …), minor units.
    #[serde(default)]
    pub excluded: i64,
    /// Where the consumer came from (attribution).
    #[serde(default)]
    pub channel: String,
    /// Coupons to use (at most three; `[]`: none). Absent: the best combination of the
    /// consumer's usable coupons, on what the store's rule leaves.
    #[serde(default)]
    pub coupon_ids: Option<Vec<lokal_core::CouponId>>,
}

/// Open a bill at a store: the store's rule and the consumer's coupons apply and an order waits for payment (pay it with
/// `POST /api/v1/orders/{id}/payments`). Requires an `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/bills", tag = "bills",
    params(("store_id" = StoreId, Path, description = "The store")), request_body = BillBody,
    security(("bearer" = [])), responses((status = 201, body = MenuOrderOut)))]
async fn open_bill(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    _key: IdempotencyKey,
    Path(store): Path<StoreId>,
    Json(b): Json<BillBody>,
) -> ApiResult<(StatusCode, Json<MenuOrderOut>)> {
    let order = ctx.app.open_bill(&caller, store, b.amount, b.excluded, &b.channel, b.coupon_ids.as_deref()).await?;
    let (o, actor) = ctx.app.menu_order_for(&caller, order.id).await?;
    Ok((StatusCode::CREATED, Json(menu_order_out(o, actor))))
}

/// The till confirms a paid bill waiting for it (`bill_confirmation`): completed and settled.
/// Refusing it is `POST /api/v1/orders/{order_id}/reject` (refunded). Staff of the store.
#[utoipa::path(post, path = "/api/v1/bills/{order_id}/confirm", tag = "bills",
    params(("order_id" = OrderId, Path, description = "The bill")), security(("bearer" = [])),
    responses((status = 200, body = MenuOrderOut)))]
async fn confirm_bill(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<OrderId>,
) -> ApiResult<Json<MenuOrderOut>> {
    Ok(Json(menu_order_out(ctx.app.confirm_bill(&caller, id).await?, Actor::Store)))
}

/// Bills paid at a store, newest first (the cashier's screen): completed ones and, where the
/// till confirms bills, paid ones waiting for it (`status: paid`). Staff of the store.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/bills", tag = "bills",
    params(("store_id" = StoreId, Path, description = "The store")), security(("bearer" = [])),
    responses((status = 200, body = ListJson<MenuOrderOut>)))]
async fn store_bills(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(store): Path<StoreId>,
) -> ApiResult<Json<ListJson<MenuOrderOut>>> {
    let items =
        ctx.app.store_bills(&caller, store).await?.into_iter().map(|o| menu_order_out(o, Actor::Store)).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}
