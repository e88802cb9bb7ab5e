//! Menu orders: a store's ordering settings, quotes, ordering, the store's order desk and
//! tracking. Live updates for pages are server-sent events under `/live/` (see lokal-web).

use crate::Ctx;
use crate::error::ApiResult;
use crate::extract::{Caller, IdempotencyKey, Json, Path, Query};
use crate::routes::ListJson;
pub(crate) use crate::routes::deals::cny;
use axum::extract::State;
use axum::http::StatusCode;
use lokal_app::fulfil::MenuOrder;
use lokal_app::takeout::{CartJson, Quote};
use lokal_app::tracking::Tracking;
use lokal_core::fulfil::Actor;
use lokal_core::store::LatLngJson;
use lokal_core::takeout::OrderSettingsJson;
use lokal_core::{DeliveryId, ItemId, Money, OrderId, QuoteId, StoreId, Timestamp, UserId};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(create_quote))
        .routes(routes!(order_quote))
        .routes(routes!(my_menu_orders))
        .routes(routes!(store_orders))
        .routes(routes!(tracking))
        .routes(routes!(accept))
        .routes(routes!(reject))
        .routes(routes!(ready))
        .routes(routes!(hand_over))
        .routes(routes!(cancel))
}

/// A priced line.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct LineOut {
    /// The item.
    pub item_id: ItemId,
    /// Its name.
    pub name: String,
    /// Chosen options as text.
    pub options: String,
    /// How many.
    pub quantity: i64,
    /// One, with options.
    pub unit_price: Money,
    /// All of them.
    pub total: Money,
}

fn lines_out(lines: &[lokal_store::takeout::LineRow]) -> Vec<LineOut> {
    lines
        .iter()
        .map(|l| LineOut {
            item_id: l.item_id,
            name: l.name.clone(),
            options: l.options.clone(),
            quantity: l.quantity,
            unit_price: cny(l.unit_price),
            total: cny(l.total),
        })
        .collect()
}

/// A quote.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct QuoteOut {
    /// Order it with `POST /api/v1/quotes/{id}/order`.
    pub id: QuoteId,
    /// The store.
    pub store_id: StoreId,
    /// Priced lines.
    pub lines: Vec<LineOut>,
    /// Items.
    pub subtotal: Money,
    /// Packaging.
    pub packaging_fee: Money,
    /// Delivery.
    pub delivery_fee: Money,
    /// The store's promotions applied (no coupon needed; funded by the merchant).
    pub promotions: Vec<PromotionAppliedOut>,
    /// Coupons applied (the best combination of the consumer's, unless the cart named them).
    pub discounts: Vec<DiscountOut>,
    /// What the consumer pays.
    pub total: Money,
    /// Minutes to the door (delivery), to ready (pickup, dine-in) or to the slot.
    pub eta_minutes: i64,
    /// Order before this.
    pub expires_at: Timestamp,
}

/// A store promotion applied to a quote.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PromotionAppliedOut {
    /// The promotion.
    pub promotion_id: lokal_core::PromotionId,
    /// Its title.
    pub title: String,
    /// What it takes off.
    pub amount: Money,
}

/// A coupon applied to a quote.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DiscountOut {
    /// The coupon.
    pub coupon_id: lokal_core::CouponId,
    /// Its title.
    pub title: String,
    /// What it takes off.
    pub amount: Money,
    /// `goods` or `delivery`.
    pub on: String,
    /// `merchant` or `platform`.
    pub funded_by: String,
}

fn quote_out(q: Quote) -> QuoteOut {
    let t = q.priced.totals;
    QuoteOut {
        id: q.row.id,
        store_id: q.row.store_id,
        lines: lines_out(&q.priced.lines),
        subtotal: cny(t.subtotal),
        packaging_fee: cny(t.packaging_fee),
        delivery_fee: cny(t.delivery_fee),
        promotions: q
            .priced
            .promotions
            .iter()
            .map(|p| PromotionAppliedOut { promotion_id: p.promotion, title: p.title.clone(), amount: cny(p.amount) })
            .collect(),
        discounts: q
            .priced
            .discounts
            .iter()
            .map(|d| DiscountOut {
                coupon_id: d.coupon,
                title: d.title.clone(),
                amount: cny(d.amount),
                on: if d.on_delivery { "delivery" } else { "goods" }.into(),
                funded_by: match d.funder {
                    lokal_core::promo::Funder::Merchant => "merchant",
                    lokal_core::promo::Funder::Platform => "platform",
                }
                .into(),
            })
            .collect(),
        total: cny(t.total),
        eta_minutes: q.row.eta_minutes,
        expires_at: q.row.expires_at,
    }
}

/// A step of an order's timeline.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct StepOut {
    /// What happened (`placed`, `paid`, `accepted`, `ready`, `rider_assigned`, `picked_up`, `delivered` …).
    pub kind: String,
    /// A reason or detail.
    pub note: String,
    /// When.
    pub at: Timestamp,
}

/// A delivery task as an order shows it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DeliveryOut {
    /// The task.
    pub id: DeliveryId,
    /// `waiting`, `assigned`, `at_store`, `picked_up`, `delivered`, `cancelled`.
    pub status: String,
    /// Its rider.
    pub rider_id: Option<UserId>,
    /// Store to door, metres.
    pub distance_m: i64,
    /// Estimated arrival.
    pub eta_at: Timestamp,
    /// Picked up.
    pub picked_at: Option<Timestamp>,
    /// Delivered.
    pub delivered_at: Option<Timestamp>,
}

/// A menu order.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MenuOrderOut {
    /// The id (pay it with `POST /api/v1/orders/{id}/payments`).
    pub id: OrderId,
    /// `delivery`, `pickup`, `dine_in` or `pay_at_store`.
    pub mode: String,
    /// `pending`, `paid`, `accepted`, `ready`, `delivering`, `completed`, `rejected`, `cancelled`.
    pub status: String,
    /// The store.
    pub store_id: Option<StoreId>,
    /// Its name.
    pub store_name: String,
    /// Lines.
    pub lines: Vec<LineOut>,
    /// Items, or the bill.
    pub subtotal: Money,
    /// Packaging.
    pub packaging_fee: Money,
    /// Delivery.
    pub delivery_fee: Money,
    /// Discount.
    pub discount: Money,
    /// Paid.
    pub total: Money,
    /// Delivery address.
    pub address: String,
    /// Its door, floor or room.
    pub door: String,
    /// Who receives a delivery.
    pub contact_name: String,
    /// Their phone, E.164.
    pub contact_phone: String,
    /// Dine-in table.
    pub table_code: String,
    /// The consumer's note.
    pub note: String,
    /// The consumer's pickup or delivery code (shown to the consumer only), or a bill's
    /// confirmation code (also shown at the till).
    pub code: Option<String>,
    /// The chosen slot.
    pub scheduled_at: Option<Timestamp>,
    /// Preparation minutes.
    pub prep_minutes: i64,
    /// The store must accept by then.
    pub accept_by: Option<Timestamp>,
    /// Estimated hand-over.
    pub eta_at: Option<Timestamp>,
    /// Why rejected or cancelled.
    pub reason: String,
    /// Placed.
    pub created_at: Timestamp,
    /// Paid.
    pub paid_at: Option<Timestamp>,
    /// Completed.
    pub completed_at: Option<Timestamp>,
    /// The timeline, oldest first.
    pub timeline: Vec<StepOut>,
    /// The delivery task.
    pub delivery: Option<DeliveryOut>,
}

/// The order as `viewer` may see it.
pub fn menu_order_out(o: MenuOrder, viewer: Actor) -> MenuOrderOut {
    let mode = o.mode();
    let show_code = viewer == Actor::Consumer || mode == lokal_core::fulfil::Mode::PayAtStore;
    let d = o.detail;
    MenuOrderOut {
        id: o.order.id,
        mode: o.order.kind,
        status: o.order.status.to_string(),
        store_id: o.order.store_id,
        store_name: o.store_name,
        lines: lines_out(&o.lines),
        subtotal: cny(d.subtotal),
        packaging_fee: cny(d.packaging_fee),
        delivery_fee: cny(d.delivery_fee),
        discount: cny(d.discount),
        total: cny(o.order.total),
        address: d.address,
        door: d.door,
        contact_name: d.contact_name,
        contact_phone: d.contact_phone,
        table_code: d.table_code,
        note: d.note,
        code: show_code.then_some(d.code),
        scheduled_at: d.scheduled_at,
        prep_minutes: d.prep_minutes,
        accept_by: d.accept_by,
        eta_at: d.eta_at,
        reason: d.reason,
        created_at: o.order.created_at,
        paid_at: o.order.paid_at,
        completed_at: d.completed_at,
        timeline: o.events.into_iter().map(|e| StepOut { kind: e.kind, note: e.note, at: e.at }).collect(),
        delivery: o.delivery.map(|t| DeliveryOut {
            id: t.id,
            status: t.status.to_string(),
            rider_id: t.rider_id,
            distance_m: t.distance_m,
            eta_at: t.eta_at,
            picked_at: t.picked_at,
            delivered_at: t.delivered_at,
        }),
    }
}

/// A store's ordering settings: fees, minimum, SLA, pay-at-store rule (public: consumers see
/// what they will pay).
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/order-settings", tag = "takeout",
    params(("store_id" = StoreId, Path, description = "The store")), responses((status = 200, body = OrderSettingsJson)))]
async fn get_settings(State(ctx): State<Ctx>, Path(store): Path<StoreId>) -> ApiResult<Json<OrderSettingsJson>> {
    ctx.app.public_store(store).await?;
    Ok(Json(ctx.app.order_settings(store).await?))
}

/// Set a store's ordering settings. Managers of the store.
#[utoipa::path(put, path = "/api/v1/stores/{store_id}/order-settings", tag = "takeout",
    params(("store_id" = StoreId, Path, description = "The store")), request_body = OrderSettingsJson,
    security(("bearer" = [])), responses((status = 200, body = OrderSettingsJson)))]
async fn put_settings(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(store): Path<StoreId>,
    Json(b): Json<OrderSettingsJson>,
) -> ApiResult<Json<OrderSettingsJson>> {
    Ok(Json(ctx.app.set_order_settings(&caller, store, b).await?))
}

/// Price a cart for one store: lines with options, fees, total and ETA. The quote holds for ten
/// minutes; order it with `POST /api/v1/quotes/{id}/order`.
#[utoipa::path(post, path = "/api/v1/quotes", tag = "takeout", request_body = CartJson,
    security(("bearer" = [])), responses((status = 201, body = QuoteOut)))]
async fn create_quote(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Json(cart): Json<CartJson>,
) -> ApiResult<(StatusCode, Json<QuoteOut>)> {
    Ok((StatusCode::CREATED, Json(quote_out(ctx.app.quote(&caller, cart).await?))))
}

/// Ordering a quote.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderQuoteBody {
    /// The total the consumer saw, in minor units: refused (`quote_changed`) if it differs.
    #[serde(default)]
    pub expected_total: Option<i64>,
    /// Where the consumer came from (attribution), up to 64 characters.
    #[serde(default)]
    pub channel: String,
}

/// Order a quote: the cart is priced again and must match. Requires an `Idempotency-Key`. Pay
/// the order with `POST /api/v1/orders/{id}/payments`.
#[utoipa::path(post, path = "/api/v1/quotes/{quote_id}/order", tag = "takeout",
    params(("quote_id" = QuoteId, Path, description = "The quote")), request_body = OrderQuoteBody,
    security(("bearer" = [])), responses((status = 201, body = MenuOrderOut)))]
async fn order_quote(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    _key: IdempotencyKey,
    Path(quote): Path<QuoteId>,
    Json(b): Json<OrderQuoteBody>,
) -> ApiResult<(StatusCode, Json<MenuOrderOut>)> {
    let order = ctx.app.order_from_quote(&caller, quote, b.expected_total, &b.channel).await?;
    let (o, actor) = ctx.app.menu_order_for(&caller, order.id).await?;
    Ok((StatusCode::CREATED, Json(menu_order_out(o, actor))))
}

/// The caller's menu orders, newest first.
#[utoipa::path(get, path = "/api/v1/me/menu-orders", tag = "takeout", security(("bearer" = [])),
    responses((status = 200, body = ListJson<MenuOrderOut>)))]
async fn my_menu_orders(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<Json<ListJson<MenuOrderOut>>> {
    let items =
        ctx.app.my_menu_orders(&caller).await?.into_iter().map(|o| menu_order_out(o, Actor::Consumer)).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// Which of a store's orders.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeskQuery {
    /// Only those in progress (paid to delivering); default true.
    pub active: Option<bool>,
}

/// A store's orders for its desk. Staff of the store.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/orders", tag = "takeout",
    params(("store_id" = StoreId, Path, description = "The store"), DeskQuery), security(("bearer" = [])),
    responses((status = 200, body = ListJson<MenuOrderOut>)))]
async fn store_orders(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(store): Path<StoreId>,
    Query(q): Query<DeskQuery>,
) -> ApiResult<Json<ListJson<MenuOrderOut>>> {
    let list = ctx.app.store_orders(&caller, store, q.active.unwrap_or(true)).await?;
    Ok(Json(ListJson { items: list.into_iter().map(|o| menu_order_out(o, Actor::Store)).collect(), next_cursor: None }))
}

/// An order's tracking.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct TrackingOut {
    /// The order and its timeline.
    pub order: MenuOrderOut,
    /// The rider, once assigned.
    pub rider_name: Option<String>,
    /// The rider's approximate position: for the consumer only, while the food is on its way.
    pub rider_position: Option<LatLngJson>,
    /// When it was reported.
    pub located_at: Option<Timestamp>,
}

/// Track an order: timeline, ETA and, for its consumer while it is on its way, the rider's
/// approximate position. The consumer, staff of the store (no position) or operators.
#[utoipa::path(get, path = "/api/v1/orders/{order_id}/tracking", tag = "takeout",
    params(("order_id" = OrderId, Path, description = "The order")), security(("bearer" = [])),
    responses((status = 200, body = TrackingOut)))]
async fn tracking(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<OrderId>,
) -> ApiResult<Json<TrackingOut>> {
    Ok(Json(tracking_out(ctx.app.track(&caller, id).await?)))
}

/// The tracking answer.
pub fn tracking_out(t: Tracking) -> TrackingOut {
    TrackingOut {
        rider_name: t.rider_name,
        rider_position: t.rider_position.map(|p| LatLngJson { lat: p.lat(), lng: p.lng() }),
        located_at: t.located_at,
        order: menu_order_out(t.order, t.viewer),
    }
}

/// Accepting an order.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
    /// Minutes to prepare (1 to 180); the store's usual when absent.
    #[serde(default)]
    pub prep_minutes: Option<u32>,
}

/// The store accepts a paid order. Staff of the store.
#[utoipa::path(post, path = "/api/v1/orders/{order_id}/accept", tag = "takeout",
    params(("order_id" = OrderId, Path, description = "The order")), request_body = AcceptBody,
    security(("bearer" = [])), responses((status = 200, body = MenuOrderOut)))]
async fn accept(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<OrderId>,
    Json(b): Json<AcceptBody>,
) -> ApiResult<Json<MenuOrderOut>> {
    Ok(Json(menu_order_out(ctx.app.accept_order(&caller, id, b.prep_minutes).await?, Actor::Store)))
}

/// A reason.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    /// Why, 1 to 200 characters.
    pub reason: String,
}

/// The store rejects a paid order; the consumer is refunded in full. Staff of the store.
#[utoipa::path(post, path = "/api/v1/orders/{order_id}/reject", tag = "takeout",
    params(("order_id" = OrderId, Path, description = "The order")), request_body = ReasonBody,
    security(("bearer" = [])), responses((status = 200, body = MenuOrderOut)))]
async fn reject(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<OrderId>,
    Json(b): Json<ReasonBody>,
) -> ApiResult<Json<MenuOrderOut>> {
    Ok(Json(menu_order_out(ctx.app.reject_order(&caller, id, &b.reason).await?, Actor::Store)))
}

/// The store finished preparing. Staff of the store.
#[utoipa::path(post, path = "/api/v1/orders/{order_id}/ready", tag = "takeout",
    params(("order_id" = OrderId, Path, description = "The order")), security(("bearer" = [])),
    responses((status = 200, body = MenuOrderOut)))]
async fn ready(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<OrderId>,
) -> ApiResult<Json<MenuOrderOut>> {
    Ok(Json(menu_order_out(ctx.app.mark_ready(&caller, id).await?, Actor::Store)))
}

/// Handing over at the counter.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandOverBody {
    /// The consumer's pickup code (pickup orders).
    #[serde(default)]
    pub code: Option<String>,
}

/// The store hands a pickup order (against the consumer's code) or a dine-in order over; the
/// order completes and is settled. Staff of the store.
#[utoipa::path(post, path = "/api/v1/orders/{order_id}/hand-over", tag = "takeout",
    params(("order_id" = OrderId, Path, description = "The order")), request_body = HandOverBody,
    security(("bearer" = [])), responses((status = 200, body = MenuOrderOut)))]
async fn hand_over(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<OrderId>,
    Json(b): Json<HandOverBody>,
) -> ApiResult<Json<MenuOrderOut>> {
    Ok(Json(menu_order_out(ctx.app.hand_over(&caller, id, b.code.as_deref()).await?, Actor::Store)))
}

/// Cancel an order: its consumer until the store accepts, the store until it is picked up or
/// handed over, operators until it is finished. Paid money is refunded in full.
#[utoipa::path(post, path = "/api/v1/orders/{order_id}/cancel", tag = "takeout",
    params(("order_id" = OrderId, Path, description = "The order")), request_body = ReasonBody,
    security(("bearer" = [])), responses((status = 200, body = MenuOrderOut)))]
async fn cancel(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<OrderId>,
    Json(b): Json<ReasonBody>,
) -> ApiResult<Json<MenuOrderOut>> {
    let o = ctx.app.cancel_menu_order(&caller, id, &b.reason).await?;
    let actor = ctx.app.menu_order_for(&caller, id).await?.1;
    Ok(Json(menu_order_out(o, actor)))
}
