//! Stores: profiles (merchant side), public store pages and nearby discovery (consumer side).

use crate::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json, Path, Query};
use crate::routes::ListJson;
use crate::routes::deals::{DealBriefJson, deal_brief};
use crate::routes::params::{category, flag, limit, num, radius_m};
use axum::extract::State;
use axum::http::StatusCode;
use lokal_app::discovery::{NearbyQuery, NearbyStore, Sort};
use lokal_app::stores::{StoreView, location_json};
use lokal_core::geo::LatLng;
use lokal_core::hours::OpeningHoursJson;
use lokal_core::store::{Category, LatLngJson, StoreProfileJson};
use lokal_core::{FieldError, MerchantId, Money, StoreId, Timestamp};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(create_store, list_stores))
        .routes(routes!(nearby))
        .routes(routes!(get_store, update_store))
}

/// A store and its public profile.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct StoreJson {
    /// The id.
    pub id: StoreId,
    /// The merchant it belongs to.
    pub merchant_id: MerchantId,
    /// Its name.
    pub name: String,
    /// Its category.
    pub category: Category,
    /// Street address.
    pub address: String,
    /// Where it is, if set.
    pub location: Option<LatLngJson>,
    /// Contact phone (E.164).
    pub phone: Option<String>,
    /// Local offset from UTC in minutes.
    pub utc_offset_min: i32,
    /// Opening hours.
    pub hours: OpeningHoursJson,
    /// Open at the time of the answer.
    pub open_now: bool,
    /// Average spend per person.
    pub avg_price: Option<Money>,
    /// Tags.
    pub tags: Vec<String>,
    /// Photo URLs.
    pub photos: Vec<String>,
    /// Delivers (within `delivery_radius_m`).
    pub delivery: bool,
    /// Offers pickup.
    pub pickup: bool,
    /// Offers dine-in or in-store service.
    pub dine_in: bool,
    /// Delivery radius in metres.
    pub delivery_radius_m: Option<u32>,
    /// Delivery area, when drawn (it wins over the radius).
    pub delivery_area: Option<Vec<LatLngJson>>,
    /// Average rating 0–5 (null when unrated).
    pub rating: Option<f64>,
    /// Visible reviews (the rating is their Bayesian average; 0: show no stars).
    pub review_count: i64,
    /// Orders in the last 30 days.
    pub monthly_sales: i64,
    /// When it joined.
    pub created_at: Timestamp,
}

fn rating(x100: i64) -> Option<f64> {
    (x100 > 0).then(|| x100 as f64 / 100.0)
}

/// The JSON of a store at time `now`.
pub fn store_json(v: StoreView, now: Timestamp) -> StoreJson {
    let p = v.profile;
    StoreJson {
        id: v.row.id,
        merchant_id: v.row.merchant_id,
        open_now: p.hours.is_open_at(now, p.utc_offset_min),
        location: location_json(&p),
        name: p.name,
        category: p.category,
        address: p.address,
        phone: p.phone,
        utc_offset_min: p.utc_offset_min,
        hours: p.hours.to_json(),
        avg_price: p.avg_price.map(|a| Money::new(a, lokal_core::Currency::CNY)),
        tags: p.tags,
        photos: p.photos,
        delivery: p.delivery,
        pickup: p.pickup,
        dine_in: p.dine_in,
        delivery_radius_m: p.delivery_radius_m,
        delivery_area: p
            .delivery_area
            .as_ref()
            .map(|a| a.points().iter().map(|q| LatLngJson { lat: q.lat(), lng: q.lng() }).collect()),
        rating: rating(v.row.rating_x100),
        review_count: v.row.review_count,
        monthly_sales: v.row.monthly_sales,
        created_at: v.row.created_at,
    }
}

/// Open a store. Merchant-wide managers and owners.
#[utoipa::path(post, path = "/api/v1/merchants/{merchant_id}/stores", tag = "stores", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    request_body = StoreProfileJson, security(("bearer" = [])), responses((status = 201, body = StoreJson)))]
async fn create_store(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<MerchantId>,
    Json(b): Json<StoreProfileJson>,
) -> ApiResult<(StatusCode, Json<StoreJson>)> {
    let s = ctx.app.create_store(&caller, id, b).await?;
    Ok((StatusCode::CREATED, Json(store_json(s, ctx.app.now()))))
}

/// The merchant's stores the caller may see (store-scoped staff see only theirs).
#[utoipa::path(get, path = "/api/v1/merchants/{merchant_id}/stores", tag = "stores", params(("merchant_id" = MerchantId, Path, description = "The merchant")), security(("bearer" = [])), responses((status = 200, body = ListJson<StoreJson>)))]
async fn list_stores(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<MerchantId>,
) -> ApiResult<Json<ListJson<StoreJson>>> {
    let now = ctx.app.now();
    let stores = ctx.app.stores(&caller, id).await?;
    Ok(Json(ListJson { items: stores.into_iter().map(|s| store_json(s, now)).collect(), next_cursor: None }))
}

/// A store's public page: profile, hours and whether it is open now. No login needed.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}", tag = "stores", params(("store_id" = StoreId, Path, description = "The store")), responses((status = 200, body = StoreJson)))]
async fn get_store(State(ctx): State<Ctx>, Path(id): Path<StoreId>) -> ApiResult<Json<StoreJson>> {
    let view = ctx.app.public_store(id).await?;
    ctx.app.count_store_view(&view);
    Ok(Json(store_json(view, ctx.app.now())))
}

/// Replace a store's profile. Managers and owners whose grant covers the store. The change is
/// searchable at once.
#[utoipa::path(put, path = "/api/v1/stores/{store_id}", tag = "stores", params(("store_id" = StoreId, Path, description = "The store")),
    request_body = StoreProfileJson, security(("bearer" = [])), responses((status = 200, body = StoreJson)))]
async fn update_store(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<StoreId>,
    Json(b): Json<StoreProfileJson>,
) -> ApiResult<Json<StoreJson>> {
    Ok(Json(store_json(ctx.app.update_store(&caller, id, b).await?, ctx.app.now())))
}

/// Nearby query parameters. Numbers arrive as text so that every bad value is reported with its
/// field's name.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NearbyParams {
    /// Latitude of the person, -90 to 90.
    #[param(value_type = f64)]
    pub lat: Option<String>,
    /// Longitude of the person, -180 to 180.
    #[param(value_type = f64)]
    pub lng: Option<String>,
    /// Search radius in metres, 1 to 50,000 (default 3,000).
    #[param(value_type = Option<u32>)]
    pub radius_m: Option<String>,
    /// Results, 1 to 100 (default 20).
    #[param(value_type = Option<u32>)]
    pub limit: Option<String>,
    /// `food`, `beauty`, `leisure`, `hotel`, `retail` or `services`.
    pub category: Option<String>,
    /// Only stores open now.
    #[param(value_type = Option<bool>)]
    pub open_now: Option<String>,
    /// Only stores rated at least this (0 to 5).
    #[param(value_type = Option<f64>)]
    pub min_rating: Option<String>,
    /// Only stores whose average price per person (minor units) is at least this.
    #[param(value_type = Option<i64>)]
    pub min_avg_price: Option<String>,
    /// Only stores whose average price per person (minor units) is at most this.
    #[param(value_type = Option<i64>)]
    pub max_avg_price: Option<String>,
    /// Only stores that deliver to this point.
    #[param(value_type = Option<bool>)]
    pub delivers: Option<String>,
    /// Only stores that offer pickup.
    #[param(value_type = Option<bool>)]
    pub pickup: Option<String>,
    /// Only stores with a deal on sale.
    #[param(value_type = Option<bool>)]
    pub has_deals: Option<String>,
    /// `distance` (default), `rating`, `sales` or `recommended`.
    pub sort: Option<String>,
}

impl NearbyParams {
    /// Checks every parameter; the error names the first bad one.
    pub fn parse(&self) -> Result<NearbyQuery, FieldError> {
        let lat = num::<f64>("lat", self.lat.as_deref())?.ok_or_else(|| FieldError::new("lat", "field-required"))?;
        let lng = num::<f64>("lng", self.lng.as_deref())?.ok_or_else(|| FieldError::new("lng", "field-required"))?;
        let center = LatLng::new(lat, lng)?;
        let radius_m = radius_m(self.radius_m.as_deref(), 3_000.0)?;
        let limit = limit(self.limit.as_deref())?;
        let min_rating = num::<f64>("min_rating", self.min_rating.as_deref())?;
        if min_rating.is_some_and(|r| !(r.is_finite() && (0.0..=5.0).contains(&r))) {
            return Err(FieldError::new("min_rating", lokal_core::field::between(0, 5)));
        }
        let min_avg_price = num::<i64>("min_avg_price", self.min_avg_price.as_deref())?;
        let max_avg_price = num::<i64>("max_avg_price", self.max_avg_price.as_deref())?;
        if let (Some(lo), Some(hi)) = (min_avg_price, max_avg_price)
            && lo > hi
        {
            return Err(FieldError::new("max_avg_price", "field-max-below-min"));
        }
        Ok(NearbyQuery {
            center,
            radius_m,
            limit,
            category: category(self.category.as_deref())?,
            open_now: flag("open_now", self.open_now.as_deref())?,
            min_rating_x100: min_rating.map(|r| (r * 100.0).round() as i64),
            min_avg_price,
            max_avg_price,
            delivers: flag("delivers", self.delivers.as_deref())?,
            pickup: flag("pickup", self.pickup.as_deref())?,
            has_deals: flag("has_deals", self.has_deals.as_deref())?,
            sort: self
                .sort
                .as_deref()
                .filter(|s| !s.is_empty())
                .map_or(Ok(Sort::Distance), |s| Sort::parse("sort", s))?,
        })
    }
}

/// One store near the person.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct NearbyStoreJson {
    /// The store.
    pub id: StoreId,
    /// Its merchant.
    pub merchant_id: MerchantId,
    /// Its name.
    pub name: String,
    /// Its category.
    pub category: Category,
    /// Street address.
    pub address: String,
    /// Where it is.
    pub location: LatLngJson,
    /// Distance from the query point in metres (rounded).
    pub distance_m: u32,
    /// Open now.
    pub open_now: bool,
    /// Average rating 0–5 (null when unrated).
    pub rating: Option<f64>,
    /// Visible reviews behind the rating.
    pub review_count: i64,
    /// Average spend per person.
    pub avg_price: Option<Money>,
    /// Orders in the last 30 days.
    pub monthly_sales: i64,
    /// Delivers to the query point.
    pub delivers_here: bool,
    /// Offers pickup.
    pub pickup: bool,
    /// Tags.
    pub tags: Vec<String>,
    /// Deals on sale here.
    pub deals: Vec<DealBriefJson>,
}

/// Nearby stores.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct NearbyJson {
    /// The stores, in the requested order (nearest first by default).
    pub stores: Vec<NearbyStoreJson>,
    /// How many were returned.
    pub count: usize,
}

fn nearby_json(s: NearbyStore, center: &LatLng, now: Timestamp) -> NearbyStoreJson {
    let c = s.card;
    NearbyStoreJson {
        id: s.id,
        merchant_id: c.merchant_id,
        location: LatLngJson { lat: c.location.lat(), lng: c.location.lng() },
        distance_m: s.distance_m.round() as u32,
        open_now: s.open_now,
        rating: rating(c.rating_x100),
        review_count: c.review_count,
        avg_price: c.avg_price.map(|a| Money::new(a, lokal_core::Currency::CNY)),
        monthly_sales: c.monthly_sales,
        delivers_here: c.delivers_to(center),
        deals: c.deals.iter().filter(|d| d.sale_ends_at > now.millis()).map(deal_brief).collect(),
        pickup: c.pickup,
        name: c.name.clone(),
        category: c.category,
        address: c.address.clone(),
        tags: c.tags.clone(),
    }
}

/// Stores near a point: within `radius_m`, filtered, nearest first (or by rating, sales, or the
/// documented "recommended" blend). No login needed.
#[utoipa::path(get, path = "/api/v1/stores/nearby", tag = "stores", params(NearbyParams), responses((status = 200, body = NearbyJson)))]
async fn nearby(State(ctx): State<Ctx>, Query(p): Query<NearbyParams>) -> ApiResult<Json<NearbyJson>> {
    let q = p.parse().map_err(ApiError::from)?;
    let now = ctx.app.now();
    let stores: Vec<_> = ctx.app.nearby(&q).into_iter().map(|s| nearby_json(s, &q.center, now)).collect();
    Ok(Json(NearbyJson { count: stores.len(), stores }))
}
