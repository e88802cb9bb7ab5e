//! Points, stored value and messages to members: a merchant's program, a member's card with its
//! history, recharges, card payments, points exchanges, and the merchant's messages with their
//! deliveries.

use crate::Ctx;
use crate::error::ApiResult;
use crate::extract::{Caller, ClientIp, IdempotencyKey, Json, Path};
use crate::routes::ListJson;
use crate::routes::coupons::{CouponOut, coupon_out};
use crate::routes::deals::{PaymentOut, cny};
use crate::routes::membership::{CardOut, card_out};
use axum::extract::State;
use axum::http::StatusCode;
use lokal_app::messages::MessageDraft;
use lokal_core::loyalty::Program;
use lokal_core::{MerchantId, Money, OrderId, StoreId, Timestamp, UserId};
use lokal_store::loyalty::MemberMessageRow;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(program, set_program))
        .routes(routes!(my_card))
        .routes(routes!(recharge))
        .routes(routes!(exchange))
        .routes(routes!(pay_with_card))
        .routes(routes!(send_message, messages))
        .routes(routes!(deliveries))
}

/// A merchant's loyalty program: points per yuan, recharge offers. Anyone may read it.
#[utoipa::path(get, path = "/api/v1/merchants/{merchant_id}/loyalty", tag = "loyalty", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    responses((status = 200, body = Program)))]
async fn program(State(ctx): State<Ctx>, Path(merchant): Path<MerchantId>) -> ApiResult<Json<Program>> {
    lokal_store::merchants::get_merchant(ctx.app.db().pool(), merchant)
        .await
        .map_err(lokal_app::AppError::from)?
        .ok_or_else(|| lokal_app::AppError::not_found("merchant"))?;
    Ok(Json(ctx.app.loyalty_program(merchant).await?))
}

/// Set the merchant's program (merchant-wide managers and owners): 0–100 points per yuan, at
/// most six recharge offers of ¥1–¥100,000 with a bonus of 0 to the amount paid.
#[utoipa::path(put, path = "/api/v1/merchants/{merchant_id}/loyalty", tag = "loyalty", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    request_body = Program, security(("bearer" = [])), responses((status = 200, body = Program)))]
async fn set_program(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(merchant): Path<MerchantId>,
    Json(p): Json<Program>,
) -> ApiResult<Json<Program>> {
    Ok(Json(ctx.app.set_loyalty_program(&caller, merchant, p).await?))
}

/// One change of a card's balances.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CardLineOut {
    /// `recharge`, `card_payment`, `refund`, `points` (earned), `points_exchange` or
    /// `points_undo` (taken back with an undone redemption).
    pub kind: String,
    /// What it was for.
    pub memo: String,
    /// When.
    pub at: Timestamp,
    /// `points` or `stored_value`.
    pub balance: String,
    /// Change for the member (positive: more): minor units of stored value, or points.
    pub change: i64,
}

/// A card with its program and history.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CardDetailOut {
    /// The card with its balances.
    pub card: CardOut,
    /// The merchant's program (recharge offers, points per yuan).
    pub program: Program,
    /// The latest 100 changes, newest first.
    pub history: Vec<CardLineOut>,
}

/// Your card at a merchant: balances, the merchant's offers and the history of both balances.
#[utoipa::path(get, path = "/api/v1/me/cards/{merchant_id}", tag = "loyalty", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    security(("bearer" = [])), responses((status = 200, body = CardDetailOut)))]
async fn my_card(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(merchant): Path<MerchantId>,
) -> ApiResult<Json<CardDetailOut>> {
    let (card, lines) = ctx.app.my_card(&caller, merchant).await?;
    let history = lines
        .into_iter()
        .map(|l| CardLineOut { kind: l.kind, memo: l.memo, at: l.at, balance: l.balance.to_owned(), change: l.change })
        .collect();
    let program = ctx.app.loyalty_program(merchant).await?;
    Ok(Json(CardDetailOut { card: card_out(card), program, history }))
}

/// A recharge asked for.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RechargeJson {
    /// One of the merchant's offers' `pay`, minor units.
    pub pay: i64,
    /// The store where the member recharges (optional; one of the merchant's).
    #[serde(default)]
    pub store_id: Option<StoreId>,
    /// A configured payment provider (`wechatpay`, `sandbox`); the default one if left out.
    #[serde(default)]
    pub provider: Option<String>,
    /// The provider's way of paying (WeChat Pay: `native`, `jsapi`, `h5`).
    #[serde(default)]
    pub method: String,
    /// The payer's WeChat `openid` (JSAPI).
    #[serde(default)]
    pub openid: Option<String>,
}

/// A started recharge.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RechargeOut {
    /// The recharge's id.
    pub id: String,
    /// `pending` until the gateway confirms (then `succeeded` or `failed`).
    pub status: String,
    /// What the member pays.
    pub pay: Money,
    /// What the merchant adds on top.
    pub bonus: Money,
    /// The gateway's reference.
    pub provider_ref: String,
    /// Where the payer pays.
    pub pay_url: String,
}

/// Recharge your card with one of the merchant's offers ("pay 500, get 50"): a payment at the
/// gateway; the card holds `pay + bonus` once the gateway's signed webhook confirms. Requires an
/// `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/me/cards/{merchant_id}/recharges", tag = "loyalty", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    request_body = RechargeJson, security(("bearer" = [])), responses((status = 201, body = RechargeOut)))]
async fn recharge(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    _key: IdempotencyKey,
    ClientIp(ip): ClientIp,
    Path(merchant): Path<MerchantId>,
    Json(b): Json<RechargeJson>,
) -> ApiResult<(StatusCode, Json<RechargeOut>)> {
    let pay = crate::routes::deals::PayBody { provider: b.provider, method: b.method, openid: b.openid };
    let options = crate::routes::deals::pay_options(pay, ip);
    let s = ctx.app.start_recharge_with(&caller, merchant, b.store_id, b.pay, &options).await?;
    let r = s.recharge;
    Ok((
        StatusCode::CREATED,
        Json(RechargeOut {
            id: r.id,
            status: r.status.to_string(),
            pay: cny(r.pay),
            bonus: cny(r.bonus),
            provider_ref: r.provider_ref,
            pay_url: s.pay_url,
        }),
    ))
}

/// Points to exchange.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExchangeJson {
    /// 100 to 50,000, in hundreds (100 points = ¥1 off).
    pub points: i64,
}

/// Exchange points for a coupon of their value off (100 points = ¥1) at any of the merchant's
/// stores, valid 30 days. Requires an `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/me/cards/{merchant_id}/exchanges", tag = "loyalty", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    request_body = ExchangeJson, security(("bearer" = [])), responses((status = 201, body = CouponOut)))]
async fn exchange(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    _key: IdempotencyKey,
    Path(merchant): Path<MerchantId>,
    Json(b): Json<ExchangeJson>,
) -> ApiResult<(StatusCode, Json<CouponOut>)> {
    let c = ctx.app.exchange_points(&caller, merchant, b.points).await?;
    Ok((StatusCode::CREATED, Json(coupon_out(c, ctx.app.now()))))
}

/// Pay a pending order from your card's stored value at the order's merchant: done at once
/// (`insufficient_balance` if the card holds less). Requires an `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/orders/{order_id}/card-payments", tag = "loyalty", params(("order_id" = OrderId, Path, description = "The order")),
    security(("bearer" = [])), responses((status = 201, body = PaymentOut)))]
async fn pay_with_card(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    _key: IdempotencyKey,
    Path(id): Path<OrderId>,
) -> ApiResult<(StatusCode, Json<PaymentOut>)> {
    let p = ctx.app.pay_with_card(&caller, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(PaymentOut {
            id: p.id,
            status: p.status.to_string(),
            amount: cny(p.amount),
            provider: p.provider,
            provider_ref: p.provider_ref,
        }),
    ))
}

/// A message to members.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MemberMessageOut {
    /// The id.
    pub id: String,
    /// `new_deal`, `coupon_gift`, `birthday` or `news`.
    pub kind: String,
    /// Subject.
    pub subject: String,
    /// Text.
    pub body: String,
    /// The lowest level it was meant for.
    pub min_level: String,
    /// Who sent it.
    pub sent_by: UserId,
    /// Sent.
    pub created_at: Timestamp,
    /// Members it reached.
    pub delivered: i64,
    /// Members the frequency cap held it back from.
    pub capped: i64,
}

fn message_out(m: MemberMessageRow) -> MemberMessageOut {
    MemberMessageOut {
        id: m.id,
        kind: m.kind,
        subject: m.subject,
        body: m.body,
        min_level: m.min_level,
        sent_by: m.sent_by,
        created_at: m.created_at,
        delivered: m.delivered,
        capped: m.capped,
    }
}

/// Send a message to the merchant's members who accept messages (at `min_level` or above),
/// through the platform's notifier; a `birthday` offer only to those whose birthday is within 7
/// days (once a year). Each member gets at most one message a day and four in 30
/// days from a merchant: beyond that the message is recorded as `capped` for them. Merchant-wide
/// managers and owners; one send a minute.
#[utoipa::path(post, path = "/api/v1/merchants/{merchant_id}/member-messages", tag = "loyalty", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    request_body = MessageDraft, security(("bearer" = [])), responses((status = 201, body = MemberMessageOut)))]
async fn send_message(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(merchant): Path<MerchantId>,
    Json(d): Json<MessageDraft>,
) -> ApiResult<(StatusCode, Json<MemberMessageOut>)> {
    let m = ctx.app.send_member_message(&caller, merchant, d).await?;
    Ok((StatusCode::CREATED, Json(message_out(m))))
}

/// The merchant's messages to members, newest first, with delivery counts.
#[utoipa::path(get, path = "/api/v1/merchants/{merchant_id}/member-messages", tag = "loyalty", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    security(("bearer" = [])), responses((status = 200, body = ListJson<MemberMessageOut>)))]
async fn messages(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(merchant): Path<MerchantId>,
) -> ApiResult<Json<ListJson<MemberMessageOut>>> {
    let items = ctx.app.member_messages(&caller, merchant).await?.into_iter().map(message_out).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// What became of a message for one member.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DeliveryOut {
    /// The member.
    pub user_id: UserId,
    /// Their display name.
    pub name: String,
    /// `delivered` or `capped`.
    pub status: String,
}

/// The delivery records of one message.
#[utoipa::path(get, path = "/api/v1/merchants/{merchant_id}/member-messages/{message_id}/deliveries", tag = "loyalty",
    params(("merchant_id" = MerchantId, Path, description = "The merchant"), ("message_id" = String, Path, description = "The message")),
    security(("bearer" = [])), responses((status = 200, body = ListJson<DeliveryOut>)))]
async fn deliveries(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path((merchant, message)): Path<(MerchantId, String)>,
) -> ApiResult<Json<ListJson<DeliveryOut>>> {
    let items = ctx
        .app
        .member_message_deliveries(&caller, merchant, &message)
        .await?
        .into_iter()
        .map(|(user_id, name, status)| DeliveryOut { user_id, name, status })
        .collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}
