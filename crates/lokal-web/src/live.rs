//! Live pages: server-sent-event streams that tell a page "something you show changed", and the
//! small script (`/static/live.js`) that then re-fetches the page and swaps its live region.
//! Events carry only their kind, never data, so a stream cannot leak what its viewer may not
//! see; who may open which stream is checked once, when it opens.
//!
//! - `/live/stores/{id}`: the store's order desk and till (staff of the store);
//! - `/live/orders/{id}`: one order's tracking (its consumer, its store's staff, operators);
//! - `/live/rider`: the rider's tasks and offers (riders);
//! - `/live/dispatch`: the dispatch board (operators);
//! - `/live/stores/{id}/chat`: the viewer's own chat with a store (its consumer);
//! - `/live/me/chats`: the viewer's chats with stores (its consumer);
//! - `/live/me/cards`: the viewer's membership cards (a recharge confirmed);
//! - `/live/stores/{id}/chats`: a store's chats (staff of the store, operators);
//! - `/live/chats/{id}`: one chat (its consumer, staff of its store, operators).

use crate::page::Nav;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lokal_api::Ctx;
use lokal_app::live::LiveEvent;
use lokal_core::{OrderId, Role, StaffRole, StoreId};
use std::time::Duration;

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/live/stores/{store_id}", get(store_stream))
        .route("/live/orders/{order_id}", get(order_stream))
        .route("/live/rider", get(rider_stream))
        .route("/live/dispatch", get(dispatch_stream))
        .route("/live/stores/{store_id}/chat", get(my_store_chat_stream))
        .route("/live/me/chats", get(my_chats_stream))
        .route("/live/me/cards", get(my_cards_stream))
        .route("/live/stores/{store_id}/chats", get(store_chats_stream))
        .route("/live/chats/{chat_id}", get(chat_stream))
        .route("/static/live.js", get(script))
}

/// Streams the events `keep` accepts until the client goes away.
fn stream(ctx: &Ctx, keep: impl Fn(&LiveEvent) -> bool + Send + 'static) -> Response {
    let rx = ctx.app.bus().subscribe();
    let events = futures_util::stream::unfold((rx, keep), |(mut rx, keep)| async move {
        loop {
            match rx.recv().await {
                Ok(e) if keep(&e) => {
                    let ev = Event::default().event("change").data(e.kind);
                    return Some((Ok::<_, std::convert::Infallible>(ev), (rx, keep)));
                }
                Ok(_) => {}
                // Missed some: tell the page to reload once, it will catch up.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    let ev = Event::default().event("change").data("lagged");
                    return Some((Ok(ev), (rx, keep)));
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response()
}

fn refused() -> Response {
    StatusCode::FORBIDDEN.into_response()
}

async fn store_stream(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let (Some(me), Ok(store)) = (nav.caller(), id.parse::<StoreId>()) else { return refused() };
    if !watches_store(&ctx, &me, store).await {
        return refused();
    }
    // A rider's position or a chat changes nothing on the desk or the till.
    stream(&ctx, move |e| e.store_id == Some(store) && e.kind != "position" && e.kind != "chat")
}

async fn order_stream(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let (Some(me), Ok(order)) = (nav.caller(), id.parse::<OrderId>()) else { return refused() };
    if ctx.app.menu_order_for(&me, order).await.is_err() {
        return refused();
    }
    stream(&ctx, move |e| e.order_id == Some(order))
}

async fn rider_stream(State(ctx): State<Ctx>, nav: Nav) -> Response {
    let Some(me) = nav.caller() else { return refused() };
    if !me.has_role(Role::Rider) {
        return refused();
    }
    let grab = ctx.app.delivery_settings().dispatch_mode == lokal_app::delivery_settings::DispatchMode::Grab;
    let user = me.user_id;
    // In grab mode every new task is an offer; otherwise only the rider's own tasks matter.
    stream(&ctx, move |e| {
        e.kind != "position" && (e.rider_id == Some(user) || (grab && matches!(e.kind, "accepted" | "rider_assigned")))
    })
}

async fn dispatch_stream(State(ctx): State<Ctx>, nav: Nav) -> Response {
    if !nav.is_admin() {
        return refused();
    }
    stream(&ctx, |e| !matches!(e.kind, "new_order" | "bill_paid" | "chat"))
}

/// Whether staff may watch the store (its own grant covering it, or an operator).
async fn watches_store(ctx: &Ctx, me: &lokal_core::Principal, store: StoreId) -> bool {
    match ctx.app.public_store(store).await {
        Ok(view) => me.authorize(lokal_core::Scope::Store(view.row.merchant_id, store), StaffRole::Clerk).is_ok(),
        Err(_) => false,
    }
}

async fn my_store_chat_stream(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let (Some(me), Ok(store)) = (nav.caller(), id.parse::<StoreId>()) else { return refused() };
    // Only the viewer's own thread with the store, which may not exist yet: nothing to check.
    let user = me.user_id;
    stream(&ctx, move |e| e.kind == "chat" && e.store_id == Some(store) && e.consumer_id == Some(user))
}

async fn my_cards_stream(State(ctx): State<Ctx>, nav: Nav) -> Response {
    let Some(me) = nav.caller() else { return refused() };
    let user = me.user_id;
    stream(&ctx, move |e| e.kind == "recharge" && e.consumer_id == Some(user))
}

async fn my_chats_stream(State(ctx): State<Ctx>, nav: Nav) -> Response {
    let Some(me) = nav.caller() else { return refused() };
    let user = me.user_id;
    stream(&ctx, move |e| e.kind == "chat" && e.consumer_id == Some(user))
}

async fn store_chats_stream(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let (Some(me), Ok(store)) = (nav.caller(), id.parse::<StoreId>()) else { return refused() };
    if !watches_store(&ctx, &me, store).await {
        return refused();
    }
    stream(&ctx, move |e| e.kind == "chat" && e.store_id == Some(store))
}

async fn chat_stream(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let Some(me) = nav.caller() else { return refused() };
    let Ok((t, _)) = ctx.app.chat_access(&me, &id).await else { return refused() };
    let (store, user) = (t.store_id, t.user_id);
    stream(&ctx, move |e| e.kind == "chat" && e.store_id == Some(store) && e.consumer_id == Some(user))
}

/// Opens an event stream for every element with `data-live-src`; on each event it fetches the
/// page again and replaces the elements marked `data-live` with their new version (except those
/// also marked `data-live-keep`, which stay as they are once shown). Pages with a
/// `data-live-cue` element also flash it and beep for new orders. Each time a stream opens (the
/// first time, and after a reconnection) the page is fetched once more, quietly: a change made
/// between the page's rendering and the stream's opening is not missed.
const SCRIPT: &str = r#"(function () {
  const regions = document.querySelectorAll('[data-live-src]');
  regions.forEach(function (el) {
    const src = new EventSource(el.getAttribute('data-live-src'));
    src.addEventListener('open', function () { refresh('', true); });
    src.addEventListener('change', function (ev) { refresh(ev.data); });
  });
  // Never swap a region under someone's fingers: while a field in it has focus, wait for blur.
  let waiting = false;
  async function refresh(kind, quiet) {
    const typing = document.activeElement && document.activeElement.closest('[data-live]')
      && /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if (typing) {
      if (!waiting) {
        waiting = true;
        document.activeElement.addEventListener('blur', function () { waiting = false; refresh(kind, quiet); }, { once: true });
      }
      return;
    }
    const res = await fetch(location.href, { credentials: 'same-origin' });
    if (!res.ok) return;
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    document.querySelectorAll('[data-live]').forEach(function (old) {
      // A region marked to keep (a form being filled in) is replaced once, never again.
      if (old.hasAttribute('data-live-keep')) return;
      const fresh = doc.querySelector('[data-live="' + old.getAttribute('data-live') + '"]');
      if (fresh) old.replaceWith(fresh);
    });
    if (quiet) return;
    document.body.setAttribute('data-live-updates', String(1 + Number(document.body.getAttribute('data-live-updates') || 0)));
    if (kind === 'new_order' || kind === 'bill_paid') cue();
  }
  function cue() {
    const flag = document.querySelector('[data-live-cue]');
    if (flag) { flag.classList.remove('flash'); void flag.offsetWidth; flag.classList.add('flash'); }
    try {
      const ctx = new (window.AudioContext || window.webkitAudioContext)();
      const osc = ctx.createOscillator();
      osc.frequency.value = 880;
      osc.connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.25);
    } catch (e) { /* no sound: the flash is the cue */ }
  }
})();
"#;

async fn script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], SCRIPT)
        .into_response()
}
