//! Full-text search over stores (names, dishes and tags, Chinese and English), near a point or
//! city-wide, and completions for the search box.

use crate::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::routes::deals::{DealBriefJson, deal_brief};
use crate::routes::params::{category, flag, limit, num, radius_m};
use axum::extract::State;
use lokal_app::discovery::{SearchHit, SearchQuery};
use lokal_core::geo::LatLng;
use lokal_core::store::{Category, LatLngJson};
use lokal_core::{Currency, FieldError, ItemId, MerchantId, Money, StoreId};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(search)).routes(routes!(suggest))
}

/// Search parameters. Numbers arrive as text so that every bad value is reported by name.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// What to look for: a store name, a dish, a tag (1 to 100 characters).
    pub q: Option<String>,
    /// Latitude to search around (with `lng`); city-wide without.
    #[param(value_type = Option<f64>)]
    pub lat: Option<String>,
    /// Longitude to search around (with `lat`).
    #[param(value_type = Option<f64>)]
    pub lng: Option<String>,
    /// Radius around the point in metres, 1 to 50,000 (default 5,000).
    #[param(value_type = Option<u32>)]
    pub radius_m: Option<String>,
    /// Results, 1 to 100 (default 20).
    #[param(value_type = Option<u32>)]
    pub limit: Option<String>,
    /// Only this category.
    pub category: Option<String>,
    /// Only stores open now.
    #[param(value_type = Option<bool>)]
    pub open_now: Option<String>,
    /// The previous page's `next_cursor`, for the next page of results.
    pub cursor: Option<String>,
    /// `relevance` (default), `distance` (nearest first) or `rating` (best rated first).
    pub sort: Option<String>,
}

impl SearchParams {
    /// Checks every parameter; the error names the first bad one.
    pub fn parse(&self) -> Result<SearchQuery, FieldError> {
        let text = SearchQuery::parse_text("q", self.q.as_deref().unwrap_or(""))?;
        let lat = num::<f64>("lat", self.lat.as_deref())?;
        let lng = num::<f64>("lng", self.lng.as_deref())?;
        let radius_m = radius_m(self.radius_m.as_deref(), 5_000.0)?;
        let around = match (lat, lng) {
            (Some(lat), Some(lng)) => Some((LatLng::new(lat, lng)?, radius_m)),
            (None, None) => None,
            (Some(_), None) => return Err(FieldError::new("lng", "field-lng-with-lat")),
            (None, Some(_)) => return Err(FieldError::new("lat", "field-lat-with-lng")),
        };
        let limit = limit(self.limit.as_deref())?;
        let open_now = flag("open_now", self.open_now.as_deref())?;
        let offset = match self.cursor.as_deref().filter(|c| !c.is_empty()) {
            None => 0,
            Some(c) => c
                .parse::<usize>()
                .ok()
                .filter(|o| *o < lokal_app::discovery::MAX_SEARCH_OFFSET)
                .ok_or_else(|| FieldError::new("cursor", "search-cursor-invalid"))?,
        };
        let sort = match self.sort.as_deref().filter(|s| !s.is_empty()) {
            None => lokal_app::discovery::SearchSort::default(),
            Some(s) => lokal_app::discovery::SearchSort::parse("sort", s)?,
        };
        Ok(SearchQuery { text, around, limit, offset, sort, category: category(self.category.as_deref())?, open_now })
    }
}

/// One result.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SearchResultJson {
    /// `store`: every result is a store; the items and deals that matched are listed under it.
    pub kind: String,
    /// The store.
    pub id: StoreId,
    /// Its merchant.
    pub merchant_id: MerchantId,
    /// Its name.
    pub name: String,
    /// Its category.
    pub category: Category,
    /// Where it is.
    pub location: LatLngJson,
    /// Distance from the search point in metres; null for city-wide searches.
    pub distance_m: Option<u32>,
    /// Text relevance (higher is better; comparable within one answer only).
    pub score: f32,
    /// Open now.
    pub open_now: bool,
    /// Average rating 0–5, null when unrated.
    pub rating: Option<f64>,
    /// Visible reviews behind the rating.
    pub review_count: i64,
    /// Tags.
    pub tags: Vec<String>,
    /// The store's items (dishes, products, services) that match, best first, at most three.
    pub items: Vec<ItemMatchJson>,
    /// The store's deals on sale whose titles match.
    pub deals: Vec<DealBriefJson>,
}

/// An item that matched, shown under its store.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ItemMatchJson {
    /// `item`.
    pub kind: String,
    /// The item.
    pub id: ItemId,
    /// Its name.
    pub name: String,
    /// The brand price (the store's menu has the store's own price).
    pub price: Money,
}

/// Search results.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SearchJson {
    /// Best first.
    pub results: Vec<SearchResultJson>,
    /// Pass as `cursor` for the next page of results; null when there are no more (a search
    /// pages through at most its first 1,000 results).
    pub next_cursor: Option<String>,
}

/// The JSON of a hit.
pub fn result_json(h: SearchHit) -> SearchResultJson {
    let c = h.card;
    SearchResultJson {
        kind: "store".into(),
        id: h.id,
        merchant_id: c.merchant_id,
        location: LatLngJson { lat: c.location.lat(), lng: c.location.lng() },
        distance_m: h.distance_m.map(|d| d.round() as u32),
        score: h.score,
        open_now: h.open_now,
        rating: (c.rating_x100 > 0).then(|| c.rating_x100 as f64 / 100.0),
        review_count: c.review_count,
        name: c.name.clone(),
        category: c.category,
        tags: c.tags.clone(),
        deals: h.deals.iter().map(deal_brief).collect(),
        items: h
            .items
            .into_iter()
            .map(|e| ItemMatchJson {
                kind: "item".into(),
                id: e.id,
                name: e.name,
                price: Money::new(e.price, Currency::CNY),
            })
            .collect(),
    }
}

/// Search stores by name, dish or tag (Chinese or English), near a point or city-wide.
#[utoipa::path(get, path = "/api/v1/search", tag = "stores", params(SearchParams), responses((status = 200, body = SearchJson)))]
async fn search(State(ctx): State<Ctx>, Query(p): Query<SearchParams>) -> ApiResult<Json<SearchJson>> {
    let q = p.parse().map_err(ApiError::from)?;
    let (hits, more) = ctx.app.search_page(&q);
    let next_cursor = more.then(|| (q.offset + q.limit).to_string());
    Ok(Json(SearchJson { results: hits.into_iter().map(result_json).collect(), next_cursor }))
}

/// Completion parameters.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestParams {
    /// What has been typed so far (1 to 50 characters).
    pub q: Option<String>,
}

/// Completions.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SuggestJson {
    /// Up to 10 words, most common first; forgiving one typo when nothing starts with `q`.
    pub suggestions: Vec<String>,
}

/// Completions for the search box.
#[utoipa::path(get, path = "/api/v1/search/suggest", tag = "stores", params(SuggestParams), responses((status = 200, body = SuggestJson)))]
async fn suggest(State(ctx): State<Ctx>, Query(p): Query<SuggestParams>) -> ApiResult<Json<SuggestJson>> {
    let q = p.q.unwrap_or_default();
    let n = q.trim().chars().count();
    if n == 0 || n > 50 {
        return Err(FieldError::new("q", lokal_core::Msg::new("field-length").with("min", 1).with("max", 50)).into());
    }
    Ok(Json(SuggestJson { suggestions: ctx.app.suggest(&q, 10) }))
}
