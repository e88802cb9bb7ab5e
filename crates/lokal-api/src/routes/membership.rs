//! Membership cards: joining at a store, the consumer's cards and consent, a merchant's members.

use crate::Ctx;
use crate::error::ApiResult;
use crate::extract::{Caller, Json, Path, Query};
use crate::routes::ListJson;
use axum::extract::State;
use lokal_app::membership::Card;
use lokal_app::page::{MAX_LIMIT, PageRequest};
use lokal_core::membership::Level;
use lokal_core::{MerchantId, StoreId, Timestamp, UserId};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(join))
        .routes(routes!(my_cards))
        .routes(routes!(set_messages))
        .routes(routes!(members))
}

/// A membership card.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CardOut {
    /// The merchant (chain) whose card it is.
    pub merchant_id: MerchantId,
    /// Its name.
    pub merchant_name: String,
    /// The member.
    pub user_id: UserId,
    /// The member's display name.
    pub name: String,
    /// `member`, `silver` (¥500 spent), `gold` (¥2,000) or `black` (¥10,000).
    pub level: Level,
    /// Spent at the merchant on kept orders, less refunds, minor units.
    pub spend: i64,
    /// The next level, and the spend still missing.
    pub next_level: Option<Level>,
    /// Spend still missing for it, minor units.
    pub to_next_level: Option<i64>,
    /// Where they joined.
    pub joined_store_id: Option<StoreId>,
    /// `store-page` or `store-code`.
    pub channel: String,
    /// They accept the merchant's messages.
    pub messages_opt_in: bool,
    /// Joined.
    pub joined_at: Timestamp,
    /// Stored value on the card, minor units (spent at any store of the merchant).
    pub stored_value: i64,
    /// Points on the card (100 points = ¥1, exchanged for coupons).
    pub points: i64,
    /// The member's birthday (`MM-DD`), for birthday offers, if they gave it.
    pub birthday: Option<String>,
}

pub(crate) fn card_out(c: Card) -> CardOut {
    let r = c.row;
    CardOut {
        merchant_id: r.merchant_id,
        merchant_name: r.merchant_name,
        user_id: r.user_id,
        name: r.name,
        level: c.level,
        spend: r.spend,
        next_level: c.next.map(|n| n.0),
        to_next_level: c.next.map(|n| n.1),
        joined_store_id: r.joined_store_id,
        channel: r.channel,
        messages_opt_in: r.messages_opt_in,
        joined_at: r.joined_at,
        stored_value: r.stored_value,
        points: r.points,
        birthday: r.birthday,
    }
}

/// How a consumer joins.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinJson {
    /// `store-page` (default) or `store-code` (the code scanned at the store).
    #[serde(default = "store_page")]
    pub channel: String,
    /// Accept the merchant's messages (new deals, coupon gifts, birthday offers). Default no.
    #[serde(default)]
    pub messages_opt_in: bool,
}

fn store_page() -> String {
    "store-page".into()
}

/// Join the membership of the store's merchant (a chain's card is valid at all its stores).
/// Joining again returns the card.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/membership", tag = "membership", params(("store_id" = StoreId, Path, description = "The store")),
    request_body = JoinJson, security(("bearer" = [])), responses((status = 200, body = CardOut)))]
async fn join(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(store): Path<StoreId>,
    Json(b): Json<JoinJson>,
) -> ApiResult<Json<CardOut>> {
    Ok(Json(card_out(ctx.app.join_membership(&caller, store, &b.channel, b.messages_opt_in).await?)))
}

/// Your membership cards, newest first.
#[utoipa::path(get, path = "/api/v1/me/cards", tag = "membership", security(("bearer" = [])),
    responses((status = 200, body = ListJson<CardOut>)))]
async fn my_cards(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<Json<ListJson<CardOut>>> {
    let items = ctx.app.my_cards(&caller).await?.into_iter().map(card_out).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// Consent to messages.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessagesJson {
    /// Accept the merchant's messages (false: unsubscribe); unchanged when absent.
    #[serde(default)]
    pub messages_opt_in: Option<bool>,
    /// Your birthday as `MM-DD` for the merchant's birthday offers (`""` removes it); unchanged
    /// when absent.
    #[serde(default)]
    pub birthday: Option<String>,
}

/// Accept or refuse a merchant's messages (unsubscribe at any time), and give or remove your
/// birthday.
#[utoipa::path(put, path = "/api/v1/me/cards/{merchant_id}", tag = "membership", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    request_body = MessagesJson, security(("bearer" = [])), responses((status = 200, body = CardOut)))]
async fn set_messages(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(merchant): Path<MerchantId>,
    Json(b): Json<MessagesJson>,
) -> ApiResult<Json<CardOut>> {
    if let Some(birthday) = &b.birthday {
        ctx.app.set_member_birthday(&caller, merchant, birthday).await?;
    }
    let card = match b.messages_opt_in {
        Some(opt_in) => ctx.app.set_member_messages(&caller, merchant, opt_in).await?,
        None => {
            ctx.app.member_here(&caller, merchant).await?.ok_or_else(|| lokal_app::AppError::not_found("membership"))?
        }
    };
    Ok(Json(card_out(card)))
}

/// The merchant's members with their levels, balances and consent, newest first, a page at a
/// time (`limit` 1–100, default 100; `cursor`: the previous page's `next_cursor`). Merchant-wide
/// managers and owners.
#[utoipa::path(get, path = "/api/v1/merchants/{merchant_id}/members", tag = "membership", params(("merchant_id" = MerchantId, Path, description = "The merchant"), MembersQuery),
    security(("bearer" = [])), responses((status = 200, body = ListJson<CardOut>)))]
async fn members(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(merchant): Path<MerchantId>,
    Query(q): Query<MembersQuery>,
) -> ApiResult<Json<ListJson<CardOut>>> {
    let page = PageRequest::parse(q.cursor.as_deref(), Some(q.limit.unwrap_or(MAX_LIMIT)))?;
    let page = ctx.app.members(&caller, merchant, page).await?;
    Ok(Json(ListJson { items: page.items.into_iter().map(card_out).collect(), next_cursor: page.next_cursor }))
}

/// A page of members.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MembersQuery {
    /// Page size, 1–100 (default 100).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
