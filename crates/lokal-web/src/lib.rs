//! Lokal's server-rendered pages (askama templates, auto-escaped; one CSS file embedded in the
//! binary; no scripts or fonts fetched from anywhere).
//!
//! Pages authenticate with the `lokal_session` cookie (HttpOnly, SameSite=Lax). Every form carries
//! a CSRF token: for a logged-in person an HMAC of their session token (nothing another site can
//! read or plant), for a visitor the `lokal_csrf` cookie (`__Host-lokal_csrf` over HTTPS) posted
//! back; a cross-site `Origin` is refused, so another site cannot post forms in a user's name.
//!
//! **Where a page is.** Each module holds the pages of one capability, named as lokal-app's
//! module for it (the consumer's, the console's and the operators' pages together):
//! [`accounts`] (home, login, registration, the account page, invitations), [`applications`]
//! (joining as a merchant, the operators' queue), [`merchants`] (the console's home, items,
//! staff), [`stores`] (a store's profile), [`discovery`] (home, nearby, search, the store page),
//! [`deals`] (the deal page, checkout, the sandbox's pay page, my vouchers), [`vouchers`] (the
//! redemption desk, the deal editor, the statement), [`takeout`] (menus, carts, quotes, my
//! orders, tracking, pay-at-store), [`fulfil`] (the order desk, the till, tickets),
//! [`riders`] (the rider app), [`dispatch`] (rider applications, the dispatch board),
//! [`coupons`] (claiming, my coupons, the console's batches and promotions), [`campaigns`],
//! [`analytics`] (dashboards; charts in [`chart`]), [`reviews`] (posting, replies,
//! moderation), [`customers`], [`membership`] (joining, cards), [`loyalty`] (points, stored
//! value, messages to members), [`chats`], [`inbox`] (the message centre), [`admin`] (the
//! operators' user list), [`media`] (photo files and uploads), [`map`] and [`place`] (maps, the
//! place picker), [`live`] (SSE), [`docs`] (the API reference page), [`assets`], and [`page`]
//! (the per-request context, CSRF, cookies, error pages).

pub mod accounts;
pub mod admin;
pub mod analytics;
pub mod applications;
pub mod assets;
pub mod campaigns;
pub mod chart;
pub mod chats;
pub mod coupons;
pub mod customers;
pub mod deals;
pub mod discovery;
pub mod dispatch;
pub mod docs;
pub mod fulfil;
pub mod inbox;
pub mod live;
pub mod loyalty;
pub mod map;
pub mod media;
pub mod membership;
pub mod merchants;
pub mod page;
pub mod place;
pub mod reviews;
pub mod riders;
pub mod stores;
pub mod takeout;
pub mod vouchers;

use axum::Router;
use axum::routing::get;
use lokal_api::Ctx;

/// Every page route. `openapi` is the served API document, rendered at `/api/docs`.
pub fn router(openapi: &serde_json::Value) -> Router<Ctx> {
    let docs = std::sync::Arc::new(docs::ApiDocs::from_openapi(openapi));
    Router::new()
        .merge(accounts::router())
        .merge(discovery::router())
        .merge(applications::router())
        .merge(merchants::router())
        .merge(stores::router())
        .merge(deals::router())
        .merge(vouchers::router())
        .merge(takeout::router())
        .merge(coupons::router())
        .merge(campaigns::router())
        .merge(analytics::router())
        .merge(reviews::router())
        .merge(customers::router())
        .merge(membership::router())
        .merge(loyalty::router())
        .merge(chats::router())
        .merge(inbox::router())
        .merge(media::router())
        .merge(assets::router())
        .merge(place::router())
        .merge(fulfil::router())
        .merge(live::router())
        .merge(riders::router())
        .merge(dispatch::router())
        .merge(admin::router())
        .route("/static/app.css", get(assets::css))
        .route("/api/docs", get(move |nav: page::Nav| docs::page(nav, docs.clone())))
}

pub use page::fallback;
