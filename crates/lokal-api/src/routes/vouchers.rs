//! Vouchers, redemption at the store, the buyer's inbox and the merchant's balance.

use crate::Ctx;
use crate::error::ApiResult;
use crate::extract::{Caller, Json, Path, Query};
use crate::middleware::RequestLang;
use crate::routes::ListJson;
use crate::routes::deals::{DealOut, VoucherOut, deal_out, voucher_out};
use axum::extract::State;
use axum::http::StatusCode;
use lokal_core::money::decimal as yuan;
use lokal_core::{Currency, MerchantId, Money, RedemptionId, StoreId, Timestamp, UserId, VoucherId};
use lokal_store::vouchers::RedemptionRow;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(my_vouchers))
        .routes(routes!(my_voucher))
        .routes(routes!(look_up))
        .routes(routes!(redeem))
        .routes(routes!(undo))
        .routes(routes!(inbox))
        .routes(routes!(mark_read))
        .routes(routes!(badges))
        .routes(routes!(balance))
        .routes(routes!(statement))
        .routes(routes!(payout))
}

/// The caller's vouchers, newest first.
#[utoipa::path(get, path = "/api/v1/me/vouchers", tag = "vouchers", security(("bearer" = [])), responses((status = 200, body = ListJson<VoucherOut>)))]
async fn my_vouchers(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<Json<ListJson<VoucherOut>>> {
    let items = ctx.app.my_vouchers(&caller).await?.into_iter().map(voucher_out).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// One of the caller's vouchers (poll it to see a redemption land).
#[utoipa::path(get, path = "/api/v1/me/vouchers/{voucher_id}", tag = "vouchers", params(("voucher_id" = VoucherId, Path, description = "The voucher")),
    security(("bearer" = [])), responses((status = 200, body = VoucherOut)))]
async fn my_voucher(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<VoucherId>,
) -> ApiResult<Json<VoucherOut>> {
    Ok(Json(voucher_out(ctx.app.my_voucher(&caller, id).await?)))
}

/// A redemption.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RedemptionOut {
    /// The id (to undo it).
    pub id: RedemptionId,
    /// The voucher.
    pub voucher_id: VoucherId,
    /// Where.
    pub store_id: StoreId,
    /// Who redeemed.
    pub staff_user_id: UserId,
    /// From which device.
    pub device: String,
    /// Uses taken.
    pub uses: i64,
    /// Their value.
    pub value: Money,
    /// When.
    pub created_at: Timestamp,
    /// When undone, if it was.
    pub undone_at: Option<Timestamp>,
    /// Who undid it.
    pub undone_by: Option<UserId>,
    /// From which device.
    pub undo_device: Option<String>,
}

fn redemption_out(r: RedemptionRow) -> RedemptionOut {
    RedemptionOut {
        id: r.id,
        voucher_id: r.voucher_id,
        store_id: r.store_id,
        staff_user_id: r.staff_user_id,
        device: r.device,
        uses: r.uses,
        value: Money::new(r.value, Currency::CNY),
        created_at: r.created_at,
        undone_at: r.undone_at,
        undone_by: r.undone_by,
        undo_device: r.undo_device,
    }
}

/// What the redemption desk sees.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DeskOut {
    /// The voucher.
    pub voucher: VoucherOut,
    /// What it is for.
    pub deal: DealOut,
    /// Whether one use can be redeemed here now.
    pub redeemable: bool,
    /// If not, the error code a redemption would get.
    pub refusal_code: Option<String>,
    /// And why, for people.
    pub refusal: Option<String>,
    /// Its redemptions so far.
    pub redemptions: Vec<RedemptionOut>,
}

/// Look a voucher up at the redemption desk (scanned or typed code). Staff of the store.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/vouchers/{code}", tag = "vouchers",
    params(("store_id" = StoreId, Path, description = "The store"), ("code" = String, Path, description = "The voucher code")),
    security(("bearer" = [])), responses((status = 200, body = DeskOut)))]
async fn look_up(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path((store, code)): Path<(StoreId, String)>,
    RequestLang(lang): RequestLang,
) -> ApiResult<Json<DeskOut>> {
    let d = ctx.app.look_up_voucher(&caller, store, &code).await?;
    Ok(Json(DeskOut {
        redeemable: d.refusal.is_none(),
        refusal_code: d.refusal.as_ref().map(|e| e.code.as_str().to_owned()),
        refusal: d.refusal.map(|e| crate::error::error_message(lang, &e.msg, e.field.as_deref())),
        voucher: voucher_out(d.voucher),
        deal: deal_out(d.deal, ctx.app.now()),
        redemptions: d.redemptions.into_iter().map(redemption_out).collect(),
    }))
}

/// A redemption request.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedeemBody {
    /// The voucher code as scanned or typed (dashes, spaces and case do not matter).
    pub code: String,
    /// Uses to take (default 1).
    #[serde(default = "one")]
    pub uses: i64,
    /// Which desk or device, for the audit (up to 64 characters).
    #[serde(default)]
    pub device: String,
}

fn one() -> i64 {
    1
}

/// The answer to a redemption.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RedeemOut {
    /// The redemption.
    pub redemption: RedemptionOut,
    /// The voucher after it.
    pub voucher: VoucherOut,
}

/// Redeem uses of a voucher at this store: exactly once per use, however many devices race.
/// Staff of the store, clerks included.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/redemptions", tag = "vouchers", params(("store_id" = StoreId, Path, description = "The store")),
    request_body = RedeemBody, security(("bearer" = [])), responses((status = 201, body = RedeemOut)))]
async fn redeem(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(store): Path<StoreId>,
    Json(b): Json<RedeemBody>,
) -> ApiResult<(StatusCode, Json<RedeemOut>)> {
    let (r, v) = ctx.app.redeem(&caller, store, &b.code, b.uses, &b.device).await?;
    Ok((StatusCode::CREATED, Json(RedeemOut { redemption: redemption_out(r), voucher: voucher_out(v) })))
}

/// An undo request.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UndoBody {
    /// Which desk or device, for the audit (up to 64 characters).
    #[serde(default)]
    pub device: String,
}

/// Undo a redemption within 10 minutes (the voucher's latest first). Managers of the store.
#[utoipa::path(post, path = "/api/v1/redemptions/{redemption_id}/undo", tag = "vouchers", params(("redemption_id" = RedemptionId, Path, description = "The redemption")),
    request_body = UndoBody, security(("bearer" = [])), responses((status = 200, body = VoucherOut)))]
async fn undo(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<RedemptionId>,
    Json(b): Json<UndoBody>,
) -> ApiResult<Json<VoucherOut>> {
    Ok(Json(voucher_out(ctx.app.undo_redemption(&caller, id, &b.device).await?)))
}

/// A message to the caller.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MessageOut {
    /// The message's id (ordered by time: pass the newest one shown as `up_to` when marking read).
    pub id: String,
    /// `sms`, `email` or `app` (the message centre only).
    pub channel: String,
    /// Subject.
    pub subject: String,
    /// Text.
    pub body: String,
    /// Sent.
    pub created_at: Timestamp,
    /// The page of the site the message is about (`/orders/{id}/track`, `/me/vouchers`,
    /// `/me/cards/{merchant_id}`), if any.
    pub link: Option<String>,
    /// Whether the caller has read it (opened the message centre, or marked it read).
    pub read: bool,
}

/// The caller's messages (SMS, e-mail and message-centre messages the platform sent), newest
/// first, at most 50.
#[utoipa::path(get, path = "/api/v1/me/messages", tag = "vouchers", security(("bearer" = [])), responses((status = 200, body = ListJson<MessageOut>)))]
async fn inbox(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<Json<ListJson<MessageOut>>> {
    let items = ctx
        .app
        .inbox(&caller, 50)
        .await?
        .into_iter()
        .map(|m| MessageOut {
            id: m.id,
            channel: m.channel,
            subject: m.subject,
            body: m.body,
            created_at: m.created_at,
            link: Some(m.link).filter(|l| !l.is_empty()),
            read: m.read_at.is_some(),
        })
        .collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// Which messages to mark read.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkReadBody {
    /// The newest message the person was shown: it and older ones are marked read, later ones
    /// stay unread. Absent: all of them.
    #[serde(default)]
    pub up_to: Option<String>,
}

/// What marking read did, and the header counts after it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MarkReadOut {
    /// How many messages were unread and are now read.
    pub marked: u64,
    /// Messages still unread.
    pub unread: i64,
}

/// Mark the caller's messages read (all, or up to one).
#[utoipa::path(post, path = "/api/v1/me/messages/read", tag = "vouchers", request_body = MarkReadBody, security(("bearer" = [])), responses((status = 200, body = MarkReadOut)))]
async fn mark_read(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Json(b): Json<MarkReadBody>,
) -> ApiResult<Json<MarkReadOut>> {
    let marked = ctx.app.mark_inbox_read(&caller, b.up_to.as_deref()).await?;
    let unread = ctx.app.inbox_unread(&caller).await?;
    Ok(Json(MarkReadOut { marked, unread }))
}

/// The counts a header shows.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct BadgesOut {
    /// Answers from stores the caller has not read.
    pub chats: i64,
    /// Messages the caller has not read.
    pub messages: i64,
}

/// The caller's unread counts (consultations and messages), for a header's badges.
#[utoipa::path(get, path = "/api/v1/me/badges", tag = "vouchers", security(("bearer" = [])), responses((status = 200, body = BadgesOut)))]
async fn badges(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<Json<BadgesOut>> {
    let b = ctx.app.my_badges(&caller).await?;
    Ok(Json(BadgesOut { chats: b.chats, messages: b.messages }))
}

/// A merchant's balance.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct BalanceOut {
    /// What the platform owes the merchant (redeemed value less commission, not yet paid out).
    pub payable: Money,
}

/// The merchant's balance, derived from the ledger. Merchant-wide managers and owners.
#[utoipa::path(get, path = "/api/v1/merchants/{merchant_id}/balance", tag = "vouchers", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    security(("bearer" = [])), responses((status = 200, body = BalanceOut)))]
async fn balance(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<MerchantId>,
) -> ApiResult<Json<BalanceOut>> {
    let payable = ctx.app.merchant_balance(&caller, id).await?;
    Ok(Json(BalanceOut { payable: Money::new(payable, Currency::CNY) }))
}

/// A day's statement as CSV: one line per redemption, undo and expiry, then the total.
pub fn statement_csv(lines: &[lokal_store::vouchers::StatementLine]) -> String {
    let mut out = String::from(
        "time,kind,store_id,voucher_code,order_id,voucher_id,redemption_id,deal,uses,value_cny,commission_cny,net_cny\n",
    );
    let (mut value, mut commission) = (0i64, 0i64);
    for l in lines {
        value += l.value;
        commission += l.commission;
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{}\n",
            l.at.to_rfc3339(),
            l.kind,
            l.store_id,
            lokal_core::voucher::VoucherCode::display_of(&l.code),
            l.order_id,
            l.voucher_id,
            l.redemption_id,
            crate::csv::field(&l.title),
            l.uses,
            yuan(l.value),
            yuan(l.commission),
            yuan(l.value - l.commission),
        ));
    }
    out.push_str(&format!(",total,,,,,,,,{},{},{}\n", yuan(value), yuan(commission), yuan(value - commission)));
    out
}

/// Statement parameters.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatementParams {
    /// The day, `YYYY-MM-DD`, midnight to midnight at UTC+8.
    pub date: Option<String>,
}

/// A day's settlement statement as CSV: every redemption, undo and expiry with its order, voucher
/// and store, value, commission and net, then the total. Merchant-wide managers and owners.
#[utoipa::path(get, path = "/api/v1/merchants/{merchant_id}/statement", tag = "vouchers",
    params(("merchant_id" = MerchantId, Path, description = "The merchant"), StatementParams),
    security(("bearer" = [])), responses((status = 200, content_type = "text/csv", body = String)))]
async fn statement(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<MerchantId>,
    Query(p): Query<StatementParams>,
) -> ApiResult<([(axum::http::HeaderName, String); 2], String)> {
    let date = p.date.unwrap_or_default();
    let lines = ctx.app.statement(&caller, id, &date).await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"statement-{}.csv\"", date.trim()),
            ),
        ],
        statement_csv(&lines),
    ))
}

/// A payout.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayoutBody {
    /// Minor units to pay out (at most the balance).
    pub amount: i64,
}

/// Pay out part or all of a merchant's balance (operators). Requires an `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/admin/merchants/{merchant_id}/payouts", tag = "vouchers", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    request_body = PayoutBody, security(("bearer" = [])), responses((status = 201, body = BalanceOut)))]
async fn payout(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    _key: crate::extract::IdempotencyKey,
    Path(id): Path<MerchantId>,
    Json(b): Json<PayoutBody>,
) -> ApiResult<(StatusCode, Json<BalanceOut>)> {
    let left = ctx.app.payout(&caller, id, b.amount).await?;
    Ok((StatusCode::CREATED, Json(BalanceOut { payable: Money::new(left, Currency::CNY) })))
}
