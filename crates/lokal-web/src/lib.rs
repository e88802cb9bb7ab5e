//! Lokal's server-rendered pages (askama templates, auto-escaped; one CSS file embedded in the
//! binary; no scripts or fonts fetched from anywhere).
//!
//! Pages authenticate with the `lokal_session` cookie (HttpOnly, SameSite=Lax). Every form carries
//! a CSRF token: for a logged-in person an HMAC of their session token (nothing another site can
//! read or plant), for a visitor the `lokal_csrf` cookie (`__Host-lokal_csrf` over HTTPS) posted
//! back; a cross-site `Origin` is refused, so another site cannot post forms in a user's name.
//!
//! Layout: [`page`] (the per-request page context, CSRF, cookies, error pages), [`account`]
//! (login, register, logout, account), [`discover`] (home, nearby list, search, store page), [`merchant`] (applying to join, the
//! operators' queue), [`console`] (the merchant console), [`docs`] (the API reference page), [`assets`].

pub mod account;
pub mod assets;
pub mod board;
pub mod campaigns;
pub mod cards;
pub mod chart;
pub mod chat;
pub mod console;
pub mod coupon_desk;
pub mod customers;
pub mod dashboard;
pub mod desk;
pub mod discover;
pub mod docs;
pub mod feedback;
pub mod inbox;
pub mod live;
pub mod loyalty;
pub mod map;
pub mod media;
pub mod merchant;
pub mod orderdesk;
pub mod ordering;
pub mod page;
pub mod people;
pub mod place;
pub mod rider;
pub mod shop;
pub mod store_profile;
pub mod wallet;

use axum::Router;
use axum::routing::get;
use lokal_api::Ctx;

/// Every page route. `openapi` is the served API document, rendered at `/api/docs`.
pub fn router(openapi: &serde_json::Value) -> Router<Ctx> {
    let docs = std::sync::Arc::new(docs::ApiDocs::from_openapi(openapi));
    Router::new()
        .merge(account::router())
        .merge(discover::router())
        .merge(merchant::router())
        .merge(console::router())
        .merge(store_profile::router())
        .merge(shop::router())
        .merge(desk::router())
        .merge(ordering::router())
        .merge(wallet::router())
        .merge(coupon_desk::router())
        .merge(campaigns::router())
        .merge(dashboard::router())
        .merge(feedback::router())
        .merge(customers::router())
        .merge(cards::router())
        .merge(loyalty::router())
        .merge(chat::router())
        .merge(inbox::router())
        .merge(media::router())
        .merge(assets::router())
        .merge(place::router())
        .merge(orderdesk::router())
        .merge(live::router())
        .merge(rider::router())
        .merge(board::router())
        .merge(people::router())
        .route("/static/app.css", get(assets::css))
        .route("/api/docs", get(move |nav: page::Nav| docs::page(nav, docs.clone())))
}

pub use page::fallback;
