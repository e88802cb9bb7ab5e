//! Deals, orders, payments and refunds: buy online.

use crate::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, ClientIp, IdempotencyKey, Json, OptionalJson, Path};
use crate::routes::ListJson;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use lokal_app::deals::DealView;
use lokal_app::discovery::DealEntry;
use lokal_app::orders::OrderView;
use lokal_core::deal::{DealJson, DealLineJson, UsageRulesJson};
use lokal_core::voucher::VoucherCode;
use lokal_core::{Currency, DealId, MerchantId, Money, OrderId, PaymentId, StoreId, Timestamp, VoucherId};
use lokal_store::vouchers::VoucherRow;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(create_deal, merchant_deals))
        .routes(routes!(get_deal))
        .routes(routes!(store_deals))
        .routes(routes!(place_order))
        .routes(routes!(get_order))
        .routes(routes!(my_orders))
        .routes(routes!(pay_order))
        .routes(routes!(webhook))
        .routes(routes!(sandbox_complete))
        .routes(routes!(refund_order))
}

/// An amount in yuan fen as API money.
pub(crate) fn cny(amount: i64) -> Money {
    Money::new(amount, Currency::CNY)
}

/// A deal in a list of stores or search results.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DealBriefJson {
    /// `deal`.
    pub kind: String,
    /// The deal.
    pub id: DealId,
    /// Title.
    pub title: String,
    /// Price.
    pub price: Money,
    /// Price without the deal.
    pub original_price: Money,
}

/// The brief JSON of an indexed deal.
pub fn deal_brief(d: &DealEntry) -> DealBriefJson {
    DealBriefJson {
        kind: "deal".into(),
        id: d.id,
        title: d.title.clone(),
        price: cny(d.price),
        original_price: cny(d.original_price),
    }
}

/// A deal.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DealOut {
    /// The id.
    pub id: DealId,
    /// The seller.
    pub merchant_id: MerchantId,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// What is included.
    pub contents: Vec<DealLineJson>,
    /// Price.
    pub price: Money,
    /// Price without the deal.
    pub original_price: Money,
    /// Stores where vouchers are valid.
    pub store_ids: Vec<StoreId>,
    /// Buying opens.
    pub sale_starts_at: Timestamp,
    /// Buying closes.
    pub sale_ends_at: Timestamp,
    /// Vouchers usable from.
    pub valid_from: Timestamp,
    /// Vouchers expire.
    pub valid_until: Timestamp,
    /// Usage rules.
    pub rules: UsageRulesJson,
    /// Uses per voucher.
    pub uses_per_voucher: i64,
    /// Units put on sale.
    pub stock_total: i64,
    /// Units left.
    pub stock_left: i64,
    /// Per-person limit (0 = none).
    pub per_user_limit: i64,
    /// Refundable while unused.
    pub refundable: bool,
    /// Refunded automatically on expiry.
    pub auto_refund_on_expiry: bool,
    /// A flash sale.
    pub flash_sale: bool,
    /// Can be bought now (stock aside).
    pub on_sale: bool,
    /// Photos, the cover first: `/media/{id}/w800.jpg` for uploaded ones (`w200.jpg` is the
    /// thumbnail), or URLs.
    pub photos: Vec<String>,
}

/// The JSON of a deal at `now`.
pub fn deal_out(d: DealView, now: Timestamp) -> DealOut {
    let on_sale = d.on_sale_at(now);
    let r = d.row;
    DealOut {
        id: r.id,
        merchant_id: r.merchant_id,
        title: r.title,
        description: d.details.description,
        contents: d.details.contents,
        price: cny(r.price),
        original_price: cny(r.original_price),
        store_ids: d.store_ids,
        sale_starts_at: r.sale_starts_at,
        sale_ends_at: r.sale_ends_at,
        valid_from: r.valid_from,
        valid_until: r.valid_until,
        rules: d.details.rules,
        uses_per_voucher: r.uses_per_voucher,
        stock_total: r.stock_total,
        stock_left: r.stock_left,
        per_user_limit: r.per_user_limit,
        refundable: r.refundable,
        auto_refund_on_expiry: r.auto_refund,
        flash_sale: r.flash_sale,
        on_sale,
        photos: d.details.photos,
    }
}

/// Create a deal valid at some of the merchant's stores. Merchant-wide managers and owners.
#[utoipa::path(post, path = "/api/v1/merchants/{merchant_id}/deals", tag = "deals", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    request_body = DealJson, security(("bearer" = [])), responses((status = 201, body = DealOut)))]
async fn create_deal(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<MerchantId>,
    Json(b): Json<DealJson>,
) -> ApiResult<(StatusCode, Json<DealOut>)> {
    let d = ctx.app.create_deal(&caller, id, b).await?;
    Ok((StatusCode::CREATED, Json(deal_out(d, ctx.app.now()))))
}

/// The merchant's deals, newest first. Merchant-wide staff.
#[utoipa::path(get, path = "/api/v1/merchants/{merchant_id}/deals", tag = "deals", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    security(("bearer" = [])), responses((status = 200, body = ListJson<DealOut>)))]
async fn merchant_deals(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<MerchantId>,
) -> ApiResult<Json<ListJson<DealOut>>> {
    let now = ctx.app.now();
    let items = ctx.app.merchant_deals(&caller, id).await?.into_iter().map(|d| deal_out(d, now)).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// A deal. No login needed.
#[utoipa::path(get, path = "/api/v1/deals/{deal_id}", tag = "deals", params(("deal_id" = DealId, Path, description = "The deal")),
    responses((status = 200, body = DealOut)))]
async fn get_deal(State(ctx): State<Ctx>, Path(id): Path<DealId>) -> ApiResult<Json<DealOut>> {
    Ok(Json(deal_out(ctx.app.deal(id).await?, ctx.app.now())))
}

/// Deals valid at a store that are on sale or coming. No login needed.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/deals", tag = "deals", params(("store_id" = StoreId, Path, description = "The store")),
    responses((status = 200, body = ListJson<DealOut>)))]
async fn store_deals(State(ctx): State<Ctx>, Path(id): Path<StoreId>) -> ApiResult<Json<ListJson<DealOut>>> {
    let now = ctx.app.now();
    let items = ctx.app.store_deals(id).await?.into_iter().map(|d| deal_out(d, now)).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// An order request.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderBody {
    /// Units (1 to 100).
    pub quantity: i64,
    /// Where the buyer came from (campaign, promoter link), up to 64 characters.
    #[serde(default)]
    pub channel: String,
}

/// How the price is made up.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct BreakdownJson {
    /// Price per unit.
    pub unit_price: Money,
    /// Units.
    pub quantity: i64,
    /// What the units cost without the deal.
    pub original_total: Money,
    /// What the deal saves.
    pub savings: Money,
    /// What the buyer pays.
    pub total: Money,
}

/// A payment attempt.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PaymentOut {
    /// The id.
    pub id: PaymentId,
    /// `pending`, `succeeded` or `failed`.
    pub status: String,
    /// Amount.
    pub amount: Money,
    /// Gateway.
    pub provider: String,
    /// The gateway's reference.
    pub provider_ref: String,
}

/// A voucher.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct VoucherOut {
    /// The id.
    pub id: VoucherId,
    /// The code to show in the store (`7K3M-X9QD-2HFA-R`).
    pub code: String,
    /// The order.
    pub order_id: OrderId,
    /// The deal.
    pub deal_id: DealId,
    /// `active`, `used`, `refunded` or `expired`.
    pub status: String,
    /// Uses it came with.
    pub uses_total: i64,
    /// Uses left.
    pub uses_left: i64,
    /// Usable from.
    pub valid_from: Timestamp,
    /// Expires.
    pub valid_until: Timestamp,
}

/// The JSON of a voucher.
pub fn voucher_out(v: VoucherRow) -> VoucherOut {
    VoucherOut {
        id: v.id,
        code: VoucherCode::display_of(&v.code),
        order_id: v.order_id,
        deal_id: v.deal_id,
        status: v.status.to_string(),
        uses_total: v.uses_total,
        uses_left: v.uses_left,
        valid_from: v.valid_from,
        valid_until: v.valid_until,
    }
}

/// An order.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct OrderOut {
    /// The id.
    pub id: OrderId,
    /// `deal`, or a menu order's mode: `delivery`, `pickup`, `dine_in`, `pay_at_store`.
    pub kind: String,
    /// The deal (deal orders).
    pub deal_id: Option<DealId>,
    /// The store (menu orders).
    pub store_id: Option<lokal_core::StoreId>,
    /// The deal's title, or the store's name.
    pub title: String,
    /// Deal orders: `pending` (awaiting payment), `paid` or `cancelled` (not paid in time). Menu
    /// orders: see `GET /api/v1/orders/{id}/tracking`.
    pub status: String,
    /// The price breakdown.
    pub breakdown: BreakdownJson,
    /// Attribution channel.
    pub channel: String,
    /// Placed.
    pub created_at: Timestamp,
    /// Unpaid, it is cancelled at this time.
    pub pay_by: Timestamp,
    /// Paid.
    pub paid_at: Option<Timestamp>,
    /// Payment attempts.
    pub payments: Vec<PaymentOut>,
    /// Vouchers, once paid.
    pub vouchers: Vec<VoucherOut>,
}

fn order_out(v: OrderView, original_price: Option<i64>) -> OrderOut {
    let o = v.order;
    let original_total = original_price.unwrap_or(o.unit_price) * o.quantity;
    OrderOut {
        id: o.id,
        kind: o.kind,
        deal_id: o.deal_id,
        store_id: o.store_id,
        title: v.title,
        status: o.status.to_string(),
        breakdown: BreakdownJson {
            unit_price: cny(o.unit_price),
            quantity: o.quantity,
            original_total: cny(original_total),
            savings: cny(original_total - o.total),
            total: cny(o.total),
        },
        channel: o.channel,
        created_at: o.created_at,
        pay_by: o.expires_at,
        paid_at: o.paid_at,
        payments: v
            .payments
            .into_iter()
            .map(|p| PaymentOut {
                id: p.id,
                status: p.status.to_string(),
                amount: cny(p.amount),
                provider: p.provider,
                provider_ref: p.provider_ref,
            })
            .collect(),
        vouchers: v.vouchers.into_iter().map(voucher_out).collect(),
    }
}

async fn order_json(ctx: &Ctx, v: OrderView) -> ApiResult<OrderOut> {
    let original = match v.order.deal_id {
        Some(d) => ctx.app.deal(d).await.ok().map(|d| d.row.original_price),
        None => None,
    };
    Ok(order_out(v, original))
}

/// Order a deal: stock is reserved for 15 minutes while the buyer pays. Requires an
/// `Idempotency-Key`: a retry with the same key returns the same order.
#[utoipa::path(post, path = "/api/v1/deals/{deal_id}/orders", tag = "orders", params(("deal_id" = DealId, Path, description = "The deal")),
    request_body = OrderBody, security(("bearer" = [])), responses((status = 201, body = OrderOut)))]
async fn place_order(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    _key: IdempotencyKey,
    Path(id): Path<DealId>,
    Json(b): Json<OrderBody>,
) -> ApiResult<(StatusCode, Json<OrderOut>)> {
    let order = ctx.app.place_order(&caller, id, b.quantity, &b.channel).await?;
    let view = ctx.app.order(&caller, order.id).await?;
    Ok((StatusCode::CREATED, Json(order_json(&ctx, view).await?)))
}

/// One of the caller's orders.
#[utoipa::path(get, path = "/api/v1/orders/{order_id}", tag = "orders", params(("order_id" = OrderId, Path, description = "The order")),
    security(("bearer" = [])), responses((status = 200, body = OrderOut)))]
async fn get_order(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<OrderId>,
) -> ApiResult<Json<OrderOut>> {
    let view = ctx.app.order(&caller, id).await?;
    Ok(Json(order_json(&ctx, view).await?))
}

/// The caller's orders, newest first.
#[utoipa::path(get, path = "/api/v1/me/orders", tag = "orders", security(("bearer" = [])), responses((status = 200, body = ListJson<OrderOut>)))]
async fn my_orders(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<Json<ListJson<OrderOut>>> {
    let mut items = Vec::new();
    for v in ctx.app.my_orders(&caller).await? {
        items.push(order_json(&ctx, v).await?);
    }
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// A started payment.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PaymentStartOut {
    /// The payment.
    pub payment: PaymentOut,
    /// Where the payer completes it: the sandbox's hosted page, WeChat Pay H5's page, or the
    /// text of the QR code to show (WeChat Pay Native's `weixin://wxpay/…`).
    pub pay_url: String,
    /// What the client passes to the provider's SDK (WeChat Pay JSAPI's signed parameters for
    /// `WeixinJSBridge.invoke('getBrandWCPayRequest', …)`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub client_params: Option<serde_json::Value>,
}

/// How to pay (all optional: an empty body pays through the default provider its default way).
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayBody {
    /// A configured provider: `wechatpay`, `alipay` or `sandbox`.
    #[serde(default)]
    pub provider: Option<String>,
    /// The provider's way of paying: WeChat Pay `native` (a QR code; the default), `jsapi` (in
    /// WeChat, needs `openid`) or `h5` (a mobile browser).
    #[serde(default)]
    pub method: String,
    /// The payer's WeChat `openid` (JSAPI).
    #[serde(default)]
    pub openid: Option<String>,
}

/// The pay options a body and the caller's address give.
pub(crate) fn pay_options(b: PayBody, ip: Option<std::net::IpAddr>) -> lokal_app::orders::PayOptions {
    lokal_app::orders::PayOptions {
        provider: b.provider,
        method: b.method,
        payer: b.openid,
        client_ip: ip.map(|i| i.to_string()).unwrap_or_default(),
    }
}

/// Start paying a pending order: a payment intent at the gateway and the page where the payer
/// pays. The order turns `paid` when the gateway's signed webhook confirms it. Requires an
/// `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/orders/{order_id}/payments", tag = "orders", params(("order_id" = OrderId, Path, description = "The order")),
    request_body(content = Option<PayBody>, description = "How to pay; may be left out"),
    security(("bearer" = [])), responses((status = 201, body = PaymentStartOut)))]
async fn pay_order(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    _key: IdempotencyKey,
    ClientIp(ip): ClientIp,
    Path(id): Path<OrderId>,
    OptionalJson(b): OptionalJson<PayBody>,
) -> ApiResult<(StatusCode, Json<PaymentStartOut>)> {
    let s = ctx.app.pay_order_with(&caller, id, &pay_options(b, ip)).await?;
    let p = s.payment;
    Ok((
        StatusCode::CREATED,
        Json(PaymentStartOut {
            payment: PaymentOut {
                id: p.id,
                status: p.status.to_string(),
                amount: cny(p.amount),
                provider: p.provider,
                provider_ref: p.provider_ref,
            },
            pay_url: s.pay_url,
            client_params: s.client_params,
        }),
    ))
}

/// A payment provider's notification. The body is the provider's signed event, verified as the
/// provider documents: the sandbox signs with `Lokal-Signature` (`t=<unix seconds>,v1=<hex
/// HMAC-SHA256 of "t.body">`); WeChat Pay with its `Wechatpay-*` headers (answered as WeChat Pay
/// expects: 204, or a JSON `{"code": "FAIL", "message": …}` with a 4xx/5xx, and a redelivery is
/// acknowledged).
/// For the sandbox, bad signatures and stale timestamps are 400 and a replayed event is 409 and
/// changes nothing.
#[utoipa::path(post, path = "/api/v1/payments/webhooks/{provider}", tag = "orders", params(("provider" = String, Path, description = "`sandbox`, `wechatpay` or `alipay`")),
    request_body(content = String, content_type = "application/json"), responses((status = 204, description = "Applied")))]
async fn webhook(
    State(ctx): State<Ctx>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let pairs = headers.iter().filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())));
    let headers = lokal_app::payments::Headers::new(pairs);
    let outcome = ctx.app.payment_webhook(&provider, &headers, &body).await;
    let reply = ctx.app.gateway_named(&provider).and_then(|g| g.reply(outcome.as_ref().map(|_| ())));
    match (reply, outcome) {
        (Some(r), _) => {
            let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::OK);
            (status, [(axum::http::header::CONTENT_TYPE, r.content_type)], r.body).into_response()
        }
        (None, Ok(())) => StatusCode::NO_CONTENT.into_response(),
        (None, Err(e)) => ApiError::from(e).into_response(),
    }
}

/// The sandbox payer's choice.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SandboxBody {
    /// `succeed` or `fail`.
    pub outcome: String,
}

/// Sandbox only: what the payer chose on the hosted pay page. The sandbox then sends its signed
/// webhook (after `payments.sandbox_delay_ms`).
#[utoipa::path(post, path = "/api/v1/sandbox/payments/{provider_ref}", tag = "orders", params(("provider_ref" = String, Path, description = "The sandbox payment reference")),
    request_body = SandboxBody, responses((status = 202, description = "The webhook is on its way")))]
async fn sandbox_complete(
    State(ctx): State<Ctx>,
    Path(provider_ref): Path<String>,
    Json(b): Json<SandboxBody>,
) -> ApiResult<StatusCode> {
    let succeed = match b.outcome.as_str() {
        "succeed" => true,
        "fail" => false,
        _ => {
            return Err(ApiError::from(lokal_core::FieldError::new(
                "outcome",
                lokal_core::Msg::new("field-one-of").with("choices", "succeed, fail"),
            )));
        }
    };
    ctx.app.sandbox_complete(&provider_ref, succeed).await?;
    Ok(StatusCode::ACCEPTED)
}

/// A refund request.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundBody {
    /// Only these vouchers of the order; all unused ones when left out.
    pub voucher_ids: Option<Vec<VoucherId>>,
    /// Why (optional, up to 200 characters).
    #[serde(default)]
    pub reason: String,
}

/// A refund made.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RefundOut {
    /// The refund.
    pub id: String,
    /// Amount returned to the buyer.
    pub amount: Money,
    /// `succeeded` once the money is back with the buyer; `pending` or `processing` while the
    /// payment provider works on it (retried until it answers).
    pub status: lokal_core::RefundStatus,
    /// Vouchers refunded.
    pub voucher_ids: Vec<VoucherId>,
}

/// Refund unused vouchers of one of the caller's orders (all, or those named); each returns the
/// value of its unused uses through the gateway. Requires an `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/orders/{order_id}/refunds", tag = "orders", params(("order_id" = OrderId, Path, description = "The order")),
    request_body = RefundBody, security(("bearer" = [])), responses((status = 201, body = RefundOut)))]
async fn refund_order(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    _key: IdempotencyKey,
    Path(id): Path<OrderId>,
    Json(b): Json<RefundBody>,
) -> ApiResult<(StatusCode, Json<RefundOut>)> {
    if b.reason.chars().count() > 200 {
        return Err(ApiError::from(lokal_core::FieldError::new(
            "reason",
            lokal_core::Msg::new("field-too-long").with("max", 200),
        )));
    }
    let r = ctx.app.refund_order(&caller, id, b.voucher_ids, b.reason.trim()).await?;
    Ok((
        StatusCode::CREATED,
        Json(RefundOut { id: r.id, amount: cny(r.amount), status: r.status, voucher_ids: r.vouchers }),
    ))
}
