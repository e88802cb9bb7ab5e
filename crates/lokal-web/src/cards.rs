//! Membership on the web: joining from the store page or by scanning the store's code
//! (`/join/{store}`), and the consumer's cards with their consent to messages.

use crate::discover::{when, yuan};
use crate::page::Nav;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_core::{MerchantId, StoreId};

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
}

async fn join_page(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let Ok(store) = id.parse::<StoreId>() else {
        return nav.refusal("Membership", lokal_app::AppError::not_found("store"));
    };
    match ctx.app.public_store(store).await {
        Ok(v) => nav.finish(JoinPage { nav: nav.clone(), store_id: id, store_name: v.profile.name }.into_response()),
        Err(e) => nav.refusal("Membership", e),
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
        return nav.refusal("Not joined", lokal_app::AppError::not_found("store"));
    };
    let Some(me) = nav.caller() else { return Redirect::to(&format!("/login?next=/join/{store}")).into_response() };
    let channel = if f.channel == "store-page" { "store-page" } else { "store-code" };
    match ctx.app.join_membership(&me, store, channel, f.messages_opt_in.is_some()).await {
        Ok(_) => Redirect::to("/me/cards").into_response(),
        Err(e) => nav.refusal("Not joined", e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "member_cards.html")]
struct CardsPage {
    nav: Nav,
    /// Merchant id, merchant name, level, spend, next level text, opted in, joined, stored
    /// value, points.
    #[allow(clippy::type_complexity)]
    cards: Vec<(String, String, &'static str, String, String, bool, String, String, i64)>,
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
                        .map(|(l, missing)| format!("{} more to {}", yuan(missing), l.as_str()))
                        .unwrap_or_default();
                    (
                        c.row.merchant_id.to_string(),
                        c.row.merchant_name,
                        c.level.as_str(),
                        yuan(c.row.spend),
                        next,
                        c.row.messages_opt_in,
                        when(c.row.joined_at),
                        yuan(c.row.stored_value),
                        c.row.points,
                    )
                })
                .collect();
            nav.finish(CardsPage { nav: nav.clone(), cards }.into_response())
        }
        Err(e) => nav.refusal("Cards", e),
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
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let Ok(m) = id.parse::<MerchantId>() else {
        return nav.refusal("Cards", lokal_app::AppError::not_found("membership"));
    };
    match ctx.app.set_member_messages(&me, m, f.opt_in == "yes").await {
        Ok(_) => Redirect::to("/me/cards").into_response(),
        Err(e) => nav.refusal("Cards", e),
    }
}

/// The store's membership QR poster (what members scan at the counter). Staff of the store.
async fn join_poster(State(ctx): State<Ctx>, nav: Nav, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let Ok(store) = id.parse::<StoreId>() else {
        return nav.refusal("Poster", lokal_app::AppError::not_found("store"));
    };
    let view = match ctx.app.public_store(store).await {
        Ok(v) => v,
        Err(e) => return nav.refusal("Poster", e),
    };
    if let Err(denied) =
        me.authorize(lokal_core::Scope::Store(view.row.merchant_id, store), lokal_core::StaffRole::Clerk)
    {
        return nav.refusal("Poster", denied.into());
    }
    let url = crate::page::site_url(&headers, &format!("/join/{store}"));
    let qr_svg = crate::page::qr_svg(&url, 240);
    crate::campaigns::Poster {
        headline: "扫码入会 · Scan to join",
        title: view.profile.name,
        offer: "Silver at ¥500 · Gold at ¥2,000 · Black at ¥10,000".to_owned(),
        channel: "membership".to_owned(),
        url,
        qr_svg,
    }
    .into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "members.html")]
struct MembersPage {
    nav: Nav,
    /// Name, level, spend, messages on, joined, channel, stored value, points.
    #[allow(clippy::type_complexity)]
    members: Vec<(String, &'static str, String, bool, String, String, String, i64)>,
    merchant_id: String,
    /// The next page's cursor (`~` and hex digits only: safe in a link).
    next: Option<String>,
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
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let Ok(m) = id.parse::<MerchantId>() else {
        return nav.refusal("Members", lokal_app::AppError::not_found("merchant"));
    };
    let page = match lokal_app::page::PageRequest::parse(Some(q.cursor.as_str()), Some(100)) {
        Ok(p) => p,
        Err(e) => return nav.refusal("Members", e),
    };
    match ctx.app.members(&me, m, page).await {
        Ok(page) => {
            let next = page.next_cursor;
            let members = page
                .items
                .into_iter()
                .map(|c| {
                    (
                        c.row.name,
                        c.level.as_str(),
                        yuan(c.row.spend),
                        c.row.messages_opt_in,
                        when(c.row.joined_at),
                        c.row.channel,
                        yuan(c.row.stored_value),
                        c.row.points,
                    )
                })
                .collect();
            nav.finish(MembersPage { nav: nav.clone(), members, merchant_id: m.to_string(), next }.into_response())
        }
        Err(e) => nav.refusal("Members", e),
    }
}
