//! Consultation chat on the web: the consumer's thread with a store (`/stores/{id}/chat`, from
//! "Ask the store" on the store page) and their list (`/me/chats`); the staff's list of a store's
//! threads (`/merchant/stores/{id}/chats`) and a conversation with its reply form
//! (`/merchant/chats/{thread}`). Message lists and thread lists refresh live (see [`crate::live`]);
//! every form also works without scripts (post, then redirect).

use crate::page::Nav;
use crate::takeout::{city_offset, no_such, store_offset, store_offsets};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_app::AppError;
use lokal_app::chats::{Conversation, Side};
use lokal_core::{ErrorCode, Msg, StoreId};
use lokal_store::chats::ThreadRow;

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/stores/{store_id}/chat", get(consumer_page).post(consumer_send))
        .route("/me/chats", get(my_chats))
        .route("/merchant/stores/{store_id}/chats", get(store_chats))
        .route("/merchant/chats/{chat_id}", get(staff_page).post(staff_send))
}

/// One message as shown.
struct Line {
    /// Written by the viewer's side.
    mine: bool,
    /// Who wrote it, for people.
    who: String,
    body: String,
    at: String,
    /// `consumer` or `store`.
    sender: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "chat.html")]
struct ChatPage {
    nav: Nav,
    heading: String,
    back: String,
    back_text: String,
    live_src: String,
    lines: Vec<Line>,
    /// Where the form posts; empty for a read-only view (operators).
    action: String,
}

/// One thread in a list.
struct Row {
    href: String,
    title: String,
    preview: String,
    at: String,
    unread: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "chats.html")]
struct ChatsPage {
    nav: Nav,
    heading: String,
    empty: String,
    live_src: String,
    rows: Vec<Row>,
}

/// The conversation's messages, their times in the store's zone (`offset_min` east of UTC).
fn lines(nav: &Nav, c: &Conversation, store_name: &str, offset_min: i64) -> Vec<Line> {
    c.messages
        .iter()
        .map(|m| {
            // An operator reading is on neither side.
            let mine = c.side.is_some_and(|s| m.sender == s.as_str());
            let who = match (mine, m.sender.as_str()) {
                (true, _) => nav.t("chat-you").into_owned(),
                (false, "consumer") => c.thread.consumer_name.clone(),
                (false, _) => store_name.to_owned(),
            };
            Line { mine, who, body: m.body.clone(), at: nav.near_at(m.at, offset_min), sender: m.sender.clone() }
        })
        .collect()
}

#[derive(Debug, serde::Deserialize)]
struct SendForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    body: String,
}

/// The consumer's thread with a store (empty until they write), with the send form.
async fn consumer_page(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    // The id is parsed before it goes into a redirect: a raw one could hold a newline.
    let Ok(store) = id.parse::<StoreId>() else {
        return nav.refusal(&nav.t("chat-heading"), no_such(Msg::new("order-no-such-store")));
    };
    let Some(me) = nav.caller() else {
        return Redirect::to(&format!("/login?next=/stores/{store}/chat")).into_response();
    };
    let view = match ctx.app.public_store(store).await {
        Ok(v) => v,
        Err(e) => return nav.refusal(&nav.t("chat-heading"), e),
    };
    if lokal_app::chats::works_for(&me, view.row.merchant_id) {
        let e = AppError::new(ErrorCode::Forbidden, Msg::new("chat-works-here"));
        return nav.refusal(&nav.t("chat-heading"), e);
    }
    let offset = i64::from(view.profile.utc_offset_min);
    let lines = match ctx.app.my_chat_with(&me, store).await {
        Ok(c) => lines(&nav, &c, &view.profile.name, offset),
        Err(e) if e.code == ErrorCode::NotFound => Vec::new(),
        Err(e) => return nav.refusal(&nav.t("chat-heading"), e),
    };
    let page = ChatPage {
        nav: nav.clone(),
        heading: nav.t1("chat-ask", "store", &view.profile.name),
        back: format!("/stores/{store}"),
        back_text: nav.t("chat-back-to-store").into_owned(),
        live_src: format!("/live/stores/{store}/chat"),
        lines,
        action: format!("/stores/{store}/chat"),
    };
    nav.finish(page.into_response())
}

async fn consumer_send(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<SendForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Ok(store) = id.parse::<StoreId>() else {
        return nav.refusal(&nav.t("chat-not-sent"), no_such(Msg::new("order-no-such-store")));
    };
    let Some(me) = nav.caller() else {
        return Redirect::to(&format!("/login?next=/stores/{store}/chat")).into_response();
    };
    match ctx.app.ask_store(&me, store, &f.body).await {
        Ok(_) => Redirect::to(&format!("/stores/{store}/chat")).into_response(),
        Err(e) => nav.refusal(&nav.t("chat-not-sent"), e),
    }
}

/// The consumer's threads with stores, with unread badges.
async fn my_chats(State(ctx): State<Ctx>, nav: Nav) -> Response {
    let Some(me) = nav.caller() else { return Redirect::to("/login?next=/me/chats").into_response() };
    let list = match ctx.app.my_chats(&me).await {
        Ok(list) => list,
        Err(e) => return nav.refusal(&nav.t("chats-mine"), e),
    };
    let offsets = store_offsets(&ctx, list.iter().map(|t| t.store_id).collect()).await;
    let rows = list
        .into_iter()
        .map(|t| {
            let offset = offsets.get(&t.store_id).copied().unwrap_or_else(|| city_offset(&nav));
            Row {
                href: format!("/stores/{}/chat", t.store_id),
                unread: t.consumer_unread,
                ..row(&nav, t, offset, |t| t.store_name.clone())
            }
        })
        .collect();
    let page = ChatsPage {
        nav: nav.clone(),
        heading: nav.t("chats-mine").into_owned(),
        empty: nav.t("chats-mine-empty").into_owned(),
        live_src: "/live/me/chats".into(),
        rows,
    };
    nav.finish(page.into_response())
}

/// A thread in a list, its time in the store's zone (`offset_min` east of UTC).
fn row(nav: &Nav, t: ThreadRow, offset_min: i64, title: impl Fn(&ThreadRow) -> String) -> Row {
    Row {
        href: format!("/merchant/chats/{}", t.id),
        title: title(&t),
        preview: t.last_preview,
        at: nav.near_at(t.last_at, offset_min),
        unread: t.store_unread,
    }
}

/// A store's threads for its staff, with what they have not read.
async fn store_chats(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(store) = id.parse::<StoreId>() else {
        return nav.refusal(&nav.t("chats-heading"), no_such(Msg::new("order-no-such-store")));
    };
    let list = match ctx.app.store_chats(&me, store).await {
        Ok(l) => l,
        Err(e) => return nav.refusal(&nav.t("chats-heading"), e),
    };
    let view = match ctx.app.public_store(store).await {
        Ok(v) => v,
        Err(e) => return nav.refusal(&nav.t("chats-heading"), e),
    };
    let offset = i64::from(view.profile.utc_offset_min);
    let page = ChatsPage {
        nav: nav.clone(),
        heading: nav.t1("chats-store", "store", &view.profile.name),
        empty: nav.t("chats-store-empty").into_owned(),
        live_src: format!("/live/stores/{store}/chats"),
        rows: list.into_iter().map(|t| row(&nav, t, offset, |t| t.consumer_name.clone())).collect(),
    };
    nav.finish(page.into_response())
}

/// A conversation for the store's staff (read-only for operators), marked read for the store.
async fn staff_page(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let c = match ctx.app.chat(&me, &id).await {
        Ok(c) => c,
        Err(e) => return nav.refusal(&nav.t("chat-heading"), e),
    };
    // The consumer of the thread reads it on their own page.
    if c.side == Some(Side::Consumer) {
        return Redirect::to(&format!("/stores/{}/chat", c.thread.store_id)).into_response();
    }
    let t = &c.thread;
    let offset = store_offset(&ctx, &nav, Some(t.store_id)).await;
    let page = ChatPage {
        nav: nav.clone(),
        heading: format!("{} · {}", t.consumer_name, t.store_name),
        back: format!("/merchant/stores/{}/chats", t.store_id),
        back_text: nav.t("chat-back-to-list").into_owned(),
        live_src: format!("/live/chats/{}", t.id),
        lines: lines(&nav, &c, &t.store_name, offset),
        action: if c.side.is_some() { format!("/merchant/chats/{}", t.id) } else { String::new() },
    };
    nav.finish(page.into_response())
}

async fn staff_send(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<SendForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    match ctx.app.send_chat(&me, &id, &f.body).await {
        Ok(c) => Redirect::to(&format!("/merchant/chats/{}", c.thread.id)).into_response(),
        Err(e) => nav.refusal(&nav.t("chat-not-sent"), e),
    }
}
