//! Discovery: "what is good near me?". The in-memory geo index holds a card per located store;
//! it is rebuilt from the database at start and updated by every store change.

use crate::stores::StoreView;
use crate::{App, AppError};
use lokal_core::geo::LatLng;
use lokal_core::hours::OpeningHours;
use lokal_core::store::Category;
use lokal_core::{FieldError, MerchantId, StoreId, Timestamp};
use lokal_search::GeoIndex;
use lokal_store::stores;

/// What the index keeps per store: everything nearby filters and ranking need.
#[derive(Debug, Clone)]
pub struct StoreCard {
    /// The merchant.
    pub merchant_id: MerchantId,
    /// The name.
    pub name: String,
    /// The category.
    pub category: Category,
    /// Street address.
    pub address: String,
    /// Where it is.
    pub location: LatLng,
    /// Average rating × 100 (0 = unrated).
    pub rating_x100: i64,
    /// Average spend per person, minor units.
    pub avg_price: Option<i64>,
    /// Orders in the last 30 days.
    pub monthly_sales: i64,
    /// Delivery radius if the store delivers.
    pub delivery_radius_m: Option<u32>,
    /// Offers pickup.
    pub pickup: bool,
    /// Opening hours.
    pub hours: OpeningHours,
    /// Local offset from UTC, minutes.
    pub utc_offset_min: i32,
    /// Tags.
    pub tags: Vec<String>,
}

impl StoreCard {
    /// The card of a located store; `None` for a store without a location.
    pub fn of(v: &StoreView) -> Option<(LatLng, StoreCard)> {
        let p = &v.profile;
        let location = p.location?;
        Some((
            location,
            StoreCard {
                merchant_id: v.row.merchant_id,
                name: p.name.clone(),
                category: p.category,
                address: p.address.clone(),
                location,
                rating_x100: v.row.rating_x100,
                avg_price: p.avg_price,
                monthly_sales: v.row.monthly_sales,
                delivery_radius_m: if p.delivery { p.delivery_radius_m } else { None },
                pickup: p.pickup,
                hours: p.hours.clone(),
                utc_offset_min: p.utc_offset_min,
                tags: p.tags.clone(),
            },
        ))
    }

    /// Whether the store is open at `at`.
    pub fn open_at(&self, at: Timestamp) -> bool {
        self.hours.is_open_at(at, self.utc_offset_min)
    }
}

/// The shared index type.
pub type StoreIndex = GeoIndex<StoreId, StoreCard>;

/// How nearby results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Nearest first.
    #[default]
    Distance,
    /// Best rated first (unrated last), nearer first among equals.
    Rating,
    /// Most sold in 30 days first.
    Sales,
    /// Blend of distance, rating and popularity; see [`recommended_score`].
    Recommended,
}

impl Sort {
    /// Parses `distance`, `rating`, `sales` or `recommended`.
    pub fn parse(field: &str, s: &str) -> Result<Sort, FieldError> {
        Ok(match s {
            "distance" => Sort::Distance,
            "rating" => Sort::Rating,
            "sales" => Sort::Sales,
            "recommended" => Sort::Recommended,
            _ => return Err(FieldError::new(field, "must be distance, rating, sales or recommended")),
        })
    }
}

/// The "recommended" relevance (higher is better), documented in docs/API.md:
/// `(0.2 + rating/5) × (1 + ln(1 + monthly_sales) / 10) / (1 + distance_km)`.
/// Rating dominates among close stores, distance halves relevance at 1 km and popularity adds a
/// logarithmic bonus, so a famous store 2 km away can beat an unknown one next door.
pub fn recommended_score(distance_m: f64, card: &StoreCard) -> f64 {
    let rating = card.rating_x100 as f64 / 100.0;
    let popularity = 1.0 + (1.0 + card.monthly_sales.max(0) as f64).ln() / 10.0;
    (0.2 + rating / 5.0) * popularity / (1.0 + distance_m / 1000.0)
}

/// A checked nearby query.
#[derive(Debug, Clone)]
pub struct NearbyQuery {
    /// Where the person is.
    pub center: LatLng,
    /// How far to look, metres (1 to 50,000).
    pub radius_m: f64,
    /// How many results (1 to 100).
    pub limit: usize,
    /// Only this category.
    pub category: Option<Category>,
    /// Only stores open now.
    pub open_now: bool,
    /// Only stores rated at least this (× 100).
    pub min_rating_x100: Option<i64>,
    /// Only stores with an average price at least this.
    pub min_avg_price: Option<i64>,
    /// Only stores with an average price at most this.
    pub max_avg_price: Option<i64>,
    /// Only stores that deliver to `center`.
    pub delivers: bool,
    /// Only stores that offer pickup.
    pub pickup: bool,
    /// Ordering.
    pub sort: Sort,
}

/// One nearby result.
#[derive(Debug, Clone)]
pub struct NearbyStore {
    /// The store.
    pub id: StoreId,
    /// Its card.
    pub card: StoreCard,
    /// Distance from the query point, metres.
    pub distance_m: f64,
    /// Open at query time.
    pub open_now: bool,
}

impl App {
    /// Runs `f` on the discovery index under its write lock.
    pub(crate) fn with_index<R>(&self, f: impl FnOnce(&mut StoreIndex) -> R) -> R {
        let mut idx = self.index.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut idx)
    }

    /// Loads every located store into the discovery index (at start). Returns how many.
    pub async fn rebuild_index(&self) -> Result<usize, AppError> {
        let mut fresh = StoreIndex::new();
        let mut after = None;
        loop {
            let page = stores::list_all(self.db().pool(), after, 5_000).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            for row in page {
                let view = StoreView { profile: crate::stores::profile_of(&row)?, row };
                if let Some((point, card)) = StoreCard::of(&view) {
                    fresh.upsert(view.row.id, point, card);
                }
            }
        }
        let n = fresh.len();
        self.with_index(|idx| *idx = fresh);
        Ok(n)
    }

    /// Stores near a point that pass the filters, in the requested order.
    pub fn nearby(&self, q: &NearbyQuery) -> Vec<NearbyStore> {
        let idx = self.index.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        search(&idx, q, self.now())
    }
}

/// Runs a nearby query on an index at time `now` (pure: the benchmark calls it directly).
pub fn search(idx: &StoreIndex, q: &NearbyQuery, now: Timestamp) -> Vec<NearbyStore> {
    let keep = |c: &StoreCard| {
        q.category.is_none_or(|cat| c.category == cat)
            && q.min_rating_x100.is_none_or(|r| c.rating_x100 >= r)
            && q.min_avg_price.is_none_or(|p| c.avg_price.is_some_and(|a| a >= p))
            && q.max_avg_price.is_none_or(|p| c.avg_price.is_some_and(|a| a <= p))
            && (!q.pickup || c.pickup)
            && (!q.delivers || c.delivery_radius_m.is_some_and(|r| c.location.distance_m(&q.center) <= f64::from(r)))
            && (!q.open_now || c.open_at(now))
    };
    let hits = match q.sort {
        Sort::Distance => idx.nearby(&q.center, q.radius_m, q.limit, keep),
        Sort::Rating => idx.within(&q.center, q.radius_m, keep, |d, c| -(c.rating_x100 as f64) * 1e9 + d, q.limit),
        Sort::Sales => idx.within(&q.center, q.radius_m, keep, |d, c| -(c.monthly_sales as f64) * 1e9 + d, q.limit),
        Sort::Recommended => idx.within(&q.center, q.radius_m, keep, |d, c| -recommended_score(d, c), q.limit),
    };
    hits.into_iter()
        .map(|h| NearbyStore {
            id: *h.key,
            open_now: h.value.open_at(now),
            card: h.value.clone(),
            distance_m: h.distance_m,
        })
        .collect()
}
