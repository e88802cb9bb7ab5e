//! The JSON API, one module per domain. Each exposes `router()`; [`api_router`] joins them.

pub mod addresses;
pub mod admin;
pub mod analytics;
pub mod applications;
pub mod auth;
pub mod campaigns;
pub mod catalog;
pub mod chats;
pub mod coupons;
pub mod customers;
pub mod deals;
pub mod health;
pub mod loyalty;
pub mod membership;
pub mod merchants;
pub mod params;
pub mod reviews;
pub mod riders;
pub mod search;
pub mod stores;
pub mod takeout;
pub mod uploads;
pub mod users;
pub mod vouchers;

use crate::Ctx;
use utoipa_axum::router::OpenApiRouter;

/// Every documented route (API and health), with its OpenAPI fragments.
pub fn api_router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .merge(health::router())
        .merge(auth::router())
        .merge(users::router())
        .merge(addresses::router())
        .merge(admin::router())
        .merge(applications::router())
        .merge(merchants::router())
        .merge(stores::router())
        .merge(catalog::router())
        .merge(search::router())
        .merge(deals::router())
        .merge(vouchers::router())
        .merge(takeout::router())
        .merge(riders::router())
        .merge(coupons::router())
        .merge(campaigns::router())
        .merge(analytics::router())
        .merge(reviews::router())
        .merge(customers::router())
        .merge(membership::router())
        .merge(loyalty::router())
        .merge(chats::router())
        .merge(uploads::router())
}

/// A list answer: `items` and, for paginated lists, the cursor of the next page.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ListJson<T: utoipa::ToSchema> {
    /// The items.
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; `null` on the last page or for unpaginated lists.
    pub next_cursor: Option<String>,
}

/// Query parameters of a paginated list.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}
