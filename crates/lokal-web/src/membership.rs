//! Membership on the web: joining from the store page or by scanning the store's code
//! (`/join/{store}`), and the consumer's cards with their consent to messages.

use crate::page::Nav;
use crate::takeout::no_such;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_core::membership::Level;
use lokal_core::{MerchantId, Msg, StoreId};

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/join/{store_id}", get(join_page).post(join))
        .route("/me/cards", get(cards))
        .route("/me/cards/{merchant_id}/messages", post(messages))
        .route("/merchant/stores/{store_id}/join-poster", get(join_poster))
        .route("/merchant/{merchant_id}/members", get(members))
}

#[derive(Template, WebTemplate)]
#[template(path = "join.html")]
struct JoinPage {
    nav: Nav,
    store_id: String,
    store_name: String,
    /// The levels in words: `累计消费满¥500升白银会员 …`.
    ladder: String,
}

/// The spend each level starts at, in words (`silver at ¥500 · …`).
pub(crate) fn ladder_text(nav: &Nav) -> String {
    let mut m = Msg::new("join-ladder");
    for (level, from) in Level::LADDER {
        match level {
            Level::Silver => m = m.money("silver", from),
            Level::Gold => m = m.money("gold", from),
            Level::Black => m = m.money("black", from),
            Level::Member => {}
        }
    }
    nav.msg(&m)
}

async fn join_page(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let Ok(store) = id.parse::<StoreId>() else {
        return nav.refusal(&nav.t("join-membership"), no_such(Msg::new("order-no-such-store")));
    };
    match ctx.app.public_store(store).await {
        Ok(v) => nav.finish(
            JoinPage { nav: nav.clone(), store_id: id, store_name: v.profile.name, ladder: ladder_text(&nav) }
                .into_response(),
        ),
        Err(e) => nav.refusal(&nav.t("join-membership"), e),
    }
}

#[derive(Debug, serde::Deserialize)]
struct JoinForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    messages_opt_in: Option<String>,
}

async fn join(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<JoinForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    // The id is parsed before it goes into a redirect: a raw one could hold a newline.
    let Ok(store) = id.parse::<StoreId>() else {
        return nav.refusal(&nav.t("join-not-joined"), no_such(Msg::new("order-no-such-store")));
    };
    let Some(me) = nav.caller() else { return Redirect::to(&format!("/login?next=/join/{store}")).into_response() };
    let channel = if f.channel == "store-page" { "store-page" } else { "store-code" };
    match ctx.app.join_membership(&me, store, channel, f.messages_opt_in.is_some()).await {
        Ok(_) => Redirect::to("/me/cards").into_response(),
        Err(e) => nav.refusal(&nav.t("join-not-joined"), e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "member_cards.html")]
struct CardsPage {
    nav: Nav,
    cards: Vec<CardRow>,
}

/// A card in the consumer's list.
struct CardRow {
    merchant_id: String,
    merchant_name: String,
    level: &'static str,
    spend: String,
    /// How much more spend reaches the next level, in words (empty at the top).
    next: String,
    opted_in: bool,
    joined: String,
    stored_value: String,
    points: i64,
}

async fn cards(State(ctx): State<Ctx>, nav: Nav) -> Response {
    let Some(me) = nav.caller() else { return Redirect::to("/login?next=/me/cards").into_response() };
    match ctx.app.my_cards(&me).await {
        Ok(list) => {
            let cards = list
                .into_iter()
                .map(|c| {
                    let next = c
                        .next
                        .map(|(l, missing)| {
                            nav.msg(
                                &Msg::new("cards-next-level")
                                    .money("amount", missing)
                                    .with("level", nav.label("level", l.as_str())),
                            )
                        })
                        .unwrap_or_default();
                    CardRow {
                        merchant_id: c.row.merchant_id.to_string(),
                        merchant_name: c.row.merchant_name,
                        level: c.level.as_str(),
                        spend: nav.money(c.row.spend),
                        next,
                        opted_in: c.row.messages_opt_in,
                        joined: nav.date(c.row.joined_at),
                        stored_value: nav.money(c.row.stored_value),
                        points: c.row.points,
                    }
                })
                .collect();
            nav.finish(CardsPage { nav: nav.clone(), cards }.into_response())
        }
        Err(e) => nav.refusal(&nav.t("cards-title"), e),
    }
}

#[derive(Debug, serde::Deserialize)]
struct MessagesForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    opt_in: String,
}

async fn messages(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<MessagesForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(m) = id.parse::<MerchantId>() else {
        return nav.refusal(&nav.t("cards-title"), no_such(Msg::new("card-no-such-card")));
    };
    match ctx.app.set_member_messages(&me, m, f.opt_in == "yes").await {
        Ok(_) => Redirect::to("/me/cards").into_response(),
        Err(e) => nav.refusal(&nav.t("cards-title"), e),
    }
}

/// The store's membership QR poster (what members scan at the counter). Staff of the store.
async fn join_poster(State(ctx): State<Ctx>, nav: Nav, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(store) = id.parse::<StoreId>() else {
        return nav.refusal(&nav.t("join-poster"), no_such(Msg::new("order-no-such-store")));
    };
    let view = match ctx.app.public_store(store).await {
        Ok(v) => v,
        Err(e) => return nav.refusal(&nav.t("join-poster"), e),
    };
    if let Err(denied) =
        me.authorize(lokal_core::Scope::Store(view.row.merchant_id, store), lokal_core::StaffRole::Clerk)
    {
        return nav.refusal(&nav.t("join-poster"), denied.into());
    }
    let url = crate::page::site_url(&headers, &format!("/join/{store}"));
    let qr_svg = crate::page::qr_svg(&url, 240);
    crate::campaigns::Poster {
        headline: "扫码入会 · Scan to join",
        title: view.profile.name,
        offer: ladder_text(&nav),
        channel: nav.t("join-poster-channel").into_owned(),
        url,
        qr_svg,
    }
    .into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "members.html")]
struct MembersPage {
    nav: Nav,
    members: Vec<MemberRow>,
    merchant_id: String,
    /// The next page's cursor (`~` and hex digits only: safe in a link).
    next: Option<String>,
}

/// A member in the merchant's list.
struct MemberRow {
    name: String,
    level: &'static str,
    spend: String,
    opted_in: bool,
    joined: String,
    /// How they joined (`store-code`, `store-page`).
    channel: String,
    stored_value: String,
    points: i64,
}

#[derive(Debug, Default, serde::Deserialize)]
struct MembersPageQuery {
    #[serde(default)]
    cursor: String,
}

/// The merchant's members, 100 a page. Merchant-wide managers and owners.
async fn members(
    State(ctx): State<Ctx>,
    nav: Nav,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<MembersPageQuery>,
) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(m) = id.parse::<MerchantId>() else {
        return nav.refusal(&nav.t("members-title"), no_such(Msg::new("card-no-such-merchant")));
    };
    let page = match lokal_app::page::PageRequest::parse(Some(q.cursor.as_str()), Some(100)) {
        Ok(p) => p,
        Err(e) => return nav.refusal(&nav.t("members-title"), e),
    };
    match ctx.app.members(&me, m, page).await {
        Ok(page) => {
            let next = page.next_cursor;
            let members = page
                .items
                .into_iter()
                .map(|c| MemberRow {
                    name: c.row.name,
                    level: c.level.as_str(),
                    spend: nav.money(c.row.spend),
                    opted_in: c.row.messages_opt_in,
                    joined: nav.date(c.row.joined_at),
                    channel: c.row.channel,
                    stored_value: nav.money(c.row.stored_value),
                    points: c.row.points,
                })
                .collect();
            nav.finish(MembersPage { nav: nav.clone(), members, merchant_id: m.to_string(), next }.into_response())
        }
        Err(e) => nav.refusal(&nav.t("members-title"), e),
    }
}
