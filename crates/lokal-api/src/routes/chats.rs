//! Consultation chat: a consumer asks a store, the store's staff answer; threads with unread
//! counts on both sides.

use crate::Ctx;
use crate::error::ApiResult;
use crate::extract::{Caller, Json, Path};
use crate::routes::ListJson;
use axum::extract::State;
use axum::http::StatusCode;
use lokal_app::chats::Conversation;
use lokal_core::{MerchantId, StoreId, Timestamp, UserId};
use lokal_store::chats::ThreadRow;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(ask, my_thread_with))
        .routes(routes!(my_chats))
        .routes(routes!(store_chats))
        .routes(routes!(read))
        .routes(routes!(send))
}

/// A thread between a consumer and a store.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ChatThreadOut {
    /// The thread.
    pub id: String,
    /// The store asked.
    pub store_id: StoreId,
    /// Its name.
    pub store_name: String,
    /// Its merchant.
    pub merchant_id: MerchantId,
    /// The consumer who asks.
    pub consumer_id: UserId,
    /// Their display name.
    pub consumer_name: String,
    /// Opened.
    pub created_at: Timestamp,
    /// The last message.
    pub last_at: Timestamp,
    /// The start of the last message, on one line.
    pub last_preview: String,
    /// Messages from the store the consumer has not read.
    pub consumer_unread: i64,
    /// Messages from the consumer the store's staff have not read.
    pub store_unread: i64,
}

fn thread_out(t: ThreadRow) -> ChatThreadOut {
    ChatThreadOut {
        id: t.id,
        store_id: t.store_id,
        store_name: t.store_name,
        merchant_id: t.merchant_id,
        consumer_id: t.user_id,
        consumer_name: t.consumer_name,
        created_at: t.created_at,
        last_at: t.last_at,
        last_preview: t.last_preview,
        consumer_unread: t.consumer_unread,
        store_unread: t.store_unread,
    }
}

/// One message.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ChatMessageOut {
    /// The message.
    pub id: String,
    /// `consumer` or `store` (which member of staff answered is not shown to the consumer).
    pub sender: String,
    /// The words (1–1,000 characters, lines kept).
    pub body: String,
    /// Sent.
    pub at: Timestamp,
}

/// A thread with its latest 200 messages, oldest first.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ChatOut {
    /// The thread, with the unread counts after this reading.
    pub thread: ChatThreadOut,
    /// The messages.
    pub messages: Vec<ChatMessageOut>,
}

fn chat_out(c: Conversation) -> ChatOut {
    ChatOut {
        thread: thread_out(c.thread),
        messages: c
            .messages
            .into_iter()
            .map(|m| ChatMessageOut { id: m.id, sender: m.sender, body: m.body, at: m.at })
            .collect(),
    }
}

/// A message to send.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChatMessageJson {
    /// 1 to 1,000 characters after trimming; lines allowed.
    pub body: String,
}

/// Ask the store: the first message opens your thread with it (one per consumer and store),
/// later ones add to it. Staff of the store's merchant answer instead (403). At most 30 messages
/// a minute (429).
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/chat", tag = "chat", params(("store_id" = StoreId, Path, description = "The store")),
    request_body = ChatMessageJson, security(("bearer" = [])), responses((status = 201, body = ChatOut)))]
async fn ask(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(store): Path<StoreId>,
    Json(b): Json<ChatMessageJson>,
) -> ApiResult<(StatusCode, Json<ChatOut>)> {
    Ok((StatusCode::CREATED, Json(chat_out(ctx.app.ask_store(&caller, store, &b.body).await?))))
}

/// Your thread with the store and its messages, marked read for you; 404 if you never wrote.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/chat", tag = "chat", params(("store_id" = StoreId, Path, description = "The store")),
    security(("bearer" = [])), responses((status = 200, body = ChatOut)))]
async fn my_thread_with(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(store): Path<StoreId>,
) -> ApiResult<Json<ChatOut>> {
    Ok(Json(chat_out(ctx.app.my_chat_with(&caller, store).await?)))
}

/// Your threads with stores, latest message first, with what you have not read
/// (`consumer_unread`).
#[utoipa::path(get, path = "/api/v1/me/chats", tag = "chat", security(("bearer" = [])),
    responses((status = 200, body = ListJson<ChatThreadOut>)))]
async fn my_chats(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<Json<ListJson<ChatThreadOut>>> {
    let items = ctx.app.my_chats(&caller).await?.into_iter().map(thread_out).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// The store's threads, latest message first, with what its staff have not read
/// (`store_unread`). Staff of the store (clerks included) and operators; 403 otherwise.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/chats", tag = "chat", params(("store_id" = StoreId, Path, description = "The store")),
    security(("bearer" = [])), responses((status = 200, body = ListJson<ChatThreadOut>)))]
async fn store_chats(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(store): Path<StoreId>,
) -> ApiResult<Json<ListJson<ChatThreadOut>>> {
    let items = ctx.app.store_chats(&caller, store).await?.into_iter().map(thread_out).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// A thread and its latest 200 messages, marked read for your side (the consumer's, or the
/// store's for its staff; operators read without marking). 404 for anyone else.
#[utoipa::path(get, path = "/api/v1/chats/{chat_id}", tag = "chat", params(("chat_id" = String, Path, description = "The thread")),
    security(("bearer" = [])), responses((status = 200, body = ChatOut)))]
async fn read(State(ctx): State<Ctx>, Caller(caller, _): Caller, Path(id): Path<String>) -> ApiResult<Json<ChatOut>> {
    Ok(Json(chat_out(ctx.app.chat(&caller, &id).await?)))
}

/// Write in a thread: its consumer, or staff of its store answering. 404 for anyone else; 403
/// for operators (they only read). At most 30 messages a minute (429).
#[utoipa::path(post, path = "/api/v1/chats/{chat_id}/messages", tag = "chat", params(("chat_id" = String, Path, description = "The thread")),
    request_body = ChatMessageJson, security(("bearer" = [])), responses((status = 201, body = ChatOut)))]
async fn send(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<String>,
    Json(b): Json<ChatMessageJson>,
) -> ApiResult<(StatusCode, Json<ChatOut>)> {
    Ok((StatusCode::CREATED, Json(chat_out(ctx.app.send_chat(&caller, &id, &b.body).await?))))
}
