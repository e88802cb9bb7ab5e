//! Discovery: "what is good near me?". The in-memory geo index holds a card per located store;
//! it is rebuilt from the database at start and updated by every store change.

use crate::stores::StoreView;
use crate::{App, AppError};
use lokal_core::geo::LatLng;
use lokal_core::hours::OpeningHours;
use lokal_core::store::Category;
use lokal_core::{DealId, FieldError, ItemId, MerchantId, StoreId, Timestamp};
use lokal_search::text::{index_tokens, tokens};
use lokal_search::{GeoIndex, Query, TextIndex};
use lokal_store::stores;
use std::sync::Arc;

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
    /// Visible reviews behind the rating (a store without any shows no stars).
    pub review_count: i64,
    /// Average spend per person, minor units.
    pub avg_price: Option<i64>,
    /// Orders in the last 30 days.
    pub monthly_sales: i64,
    /// Delivery radius if the store delivers.
    pub delivery_radius_m: Option<u32>,
    /// Delivery area if the store delivers and drew one (it wins over the radius).
    pub delivery_area: Option<lokal_core::geo::Polygon>,
    /// Offers pickup.
    pub pickup: bool,
    /// Opening hours.
    pub hours: OpeningHours,
    /// Local offset from UTC, minutes.
    pub utc_offset_min: i32,
    /// Tags.
    pub tags: Vec<String>,
    /// Its cover's thumbnail URL (of its first photo), if it has one: made once when indexed.
    pub cover: Option<String>,
    /// Deals valid here that are still on sale (or not yet).
    pub deals: Vec<DealEntry>,
}

/// A deal as discovery knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct DealEntry {
    /// The deal.
    pub id: DealId,
    /// Its title.
    pub title: String,
    /// Price, minor units.
    pub price: i64,
    /// Original price, minor units.
    pub original_price: i64,
    /// Buying closes, epoch ms.
    pub sale_ends_at: i64,
    /// Its title's search tokens (pinyin included), made once when it is indexed.
    pub tokens: Vec<(String, f32)>,
}

impl DealEntry {
    /// The entry of a deal, its title tokenised for search.
    pub fn new(id: DealId, title: String, price: i64, original_price: i64, sale_ends_at: i64) -> Self {
        let tokens = index_tokens(&title);
        DealEntry { id, title, price, original_price, sale_ends_at, tokens }
    }
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
                review_count: v.row.review_count,
                avg_price: p.avg_price,
                monthly_sales: v.row.monthly_sales,
                delivery_radius_m: if p.delivery { p.delivery_radius_m } else { None },
                delivery_area: if p.delivery { p.delivery_area.clone() } else { None },
                pickup: p.pickup,
                hours: p.hours.clone(),
                utc_offset_min: p.utc_offset_min,
                tags: p.tags.clone(),
                cover: p.photos.first().map(|c| lokal_core::photo::thumbnail(c)),
                deals: Vec::new(),
            },
        ))
    }

    /// Whether the store delivers to `point`: inside its area if it drew one, else within its radius.
    pub fn delivers_to(&self, point: &LatLng) -> bool {
        match (&self.delivery_area, self.delivery_radius_m) {
            (Some(area), _) => area.contains(point),
            (None, Some(r)) => self.location.distance_m(point) <= f64::from(r),
            (None, None) => false,
        }
    }

    /// Whether a deal here can still be bought at `now` (or soon).
    pub fn has_deals_at(&self, now: Timestamp) -> bool {
        self.deals.iter().any(|d| d.sale_ends_at > now.millis())
    }

    /// Whether the store is open at `at`.
    pub fn open_at(&self, at: Timestamp) -> bool {
        self.hours.is_open_at(at, self.utc_offset_min)
    }
}

/// The geo index of store cards.
pub type StoreIndex = GeoIndex<StoreId, Arc<StoreCard>>;

/// Everything discovery searches, kept under one lock so the geo and text sides never disagree.
#[derive(Default)]
pub struct Discovery {
    /// Located stores by position.
    pub geo: StoreIndex,
    /// Store names, tags, categories, addresses and menu items by word.
    pub text: TextIndex<StoreId>,
    /// Each merchant's items, searched as part of every one of its stores.
    pub menus: std::collections::HashMap<MerchantId, Vec<MenuEntry>>,
    /// Deals by the stores where they are valid.
    pub deals: std::collections::HashMap<StoreId, Vec<DealEntry>>,
}

/// An item as search knows it: enough to show "matching dishes" under a store.
#[derive(Debug, Clone, PartialEq)]
pub struct MenuEntry {
    /// The item.
    pub id: ItemId,
    /// Its name.
    pub name: String,
    /// Brand price, minor units (a store may charge otherwise; its menu says).
    pub price: i64,
    /// Its name's search tokens (pinyin included), made once when it is indexed.
    pub tokens: Vec<(String, f32)>,
}

impl MenuEntry {
    /// The entry of an item, its name tokenised for search.
    pub fn new(id: ItemId, name: String, price: i64) -> Self {
        let tokens = index_tokens(&name);
        MenuEntry { id, name, price, tokens }
    }
}

impl Discovery {
    /// Adds, moves or removes a store in both indexes.
    pub fn put(&mut self, view: &StoreView) {
        let p = &view.profile;
        let tags = p.tags.join(" ");
        let menu = self.menus.get(&view.row.merchant_id).map(|m| m.iter().map(|e| e.name.as_str()).collect::<Vec<_>>());
        let menu = menu.map(|names| names.join(" ")).unwrap_or_default();
        let deals = self.deals.get(&view.row.id).cloned().unwrap_or_default();
        let titles = deals.iter().map(|d| d.title.as_str()).collect::<Vec<_>>().join(" ");
        self.text.upsert(
            view.row.id,
            &[
                (p.name.as_str(), 3.0),
                (menu.as_str(), 2.5),
                (titles.as_str(), 2.5),
                (tags.as_str(), 2.0),
                (p.category.as_str(), 1.0),
                (p.address.as_str(), 0.5),
            ],
        );
        match StoreCard::of(view) {
            Some((point, card)) => self.geo.upsert(view.row.id, point, Arc::new(StoreCard { deals, ..card })),
            None => {
                self.geo.remove(&view.row.id);
            }
        }
    }
}

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
            _ => {
                return Err(FieldError::new(
                    field,
                    lokal_core::Msg::new("field-one-of").with("choices", "distance, rating, sales, recommended"),
                ));
            }
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
    /// Only stores with a deal on sale.
    pub has_deals: bool,
    /// Ordering.
    pub sort: Sort,
}

/// One nearby result.
#[derive(Debug, Clone)]
pub struct NearbyStore {
    /// The store.
    pub id: StoreId,
    /// Its card (shared with the index: a result does not copy it).
    pub card: Arc<StoreCard>,
    /// Distance from the query point, metres.
    pub distance_m: f64,
    /// Open at query time.
    pub open_now: bool,
}

impl App {
    /// Runs `f` on the discovery indexes under their write lock.
    pub(crate) fn with_discovery<R>(&self, f: impl FnOnce(&mut Discovery) -> R) -> R {
        let mut idx = self.index.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut idx)
    }

    /// Loads every store into the discovery indexes (at start). Returns how many are located.
    pub async fn rebuild_index(&self) -> Result<usize, AppError> {
        let mut fresh = Discovery::default();
        for (merchant, id, name, price) in lokal_store::catalog::all_entries(self.db().pool()).await? {
            fresh.menus.entry(merchant).or_default().push(MenuEntry::new(id, name, price));
        }
        for (store, deal) in lokal_store::deals::on_sale(self.db().pool(), self.now()).await? {
            fresh.deals.entry(store).or_default().push(DealEntry::new(
                deal.id,
                deal.title,
                deal.price,
                deal.original_price,
                deal.sale_ends_at.millis(),
            ));
        }
        let mut after = None;
        loop {
            let page = stores::list_all(self.db().pool(), after, 5_000).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            for row in page {
                let view = StoreView { profile: crate::stores::profile_of(&row)?, row };
                fresh.put(&view);
            }
        }
        let n = fresh.geo.len();
        self.with_discovery(|d| *d = fresh);
        Ok(n)
    }

    /// Stores near a point that pass the filters, in the requested order.
    pub fn nearby(&self, q: &NearbyQuery) -> Vec<NearbyStore> {
        let d = self.index.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        search(&d.geo, q, self.now())
    }
}

/// Runs a nearby query on an index at time `now` (pure: the benchmark calls it directly).
pub fn search(idx: &StoreIndex, q: &NearbyQuery, now: Timestamp) -> Vec<NearbyStore> {
    let keep = |_: &StoreId, c: &Arc<StoreCard>| filters_pass(q, c, now);
    let ranked = |score: fn(f64, &StoreCard) -> f64| {
        idx.within(&q.center, q.radius_m, keep, |d, _, c: &Arc<StoreCard>| score(d, c), q.limit)
    };
    let hits = match q.sort {
        Sort::Distance => idx.nearby(&q.center, q.radius_m, q.limit, keep),
        Sort::Rating => ranked(|d, c| -(c.rating_x100 as f64) * 1e9 + d),
        Sort::Sales => ranked(|d, c| -(c.monthly_sales as f64) * 1e9 + d),
        Sort::Recommended => ranked(|d, c| -recommended_score(d, c)),
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

/// Whether a card passes the query's filters at `now`.
fn filters_pass(q: &NearbyQuery, c: &StoreCard, now: Timestamp) -> bool {
    q.category.is_none_or(|cat| c.category == cat)
        && q.min_rating_x100.is_none_or(|r| c.rating_x100 >= r)
        && q.min_avg_price.is_none_or(|p| c.avg_price.is_some_and(|a| a >= p))
        && q.max_avg_price.is_none_or(|p| c.avg_price.is_some_and(|a| a <= p))
        && (!q.pickup || c.pickup)
        && (!q.delivers || c.delivers_to(&q.center))
        && (!q.open_now || c.open_at(now))
        && (!q.has_deals || c.has_deals_at(now))
}

/// The orders a search's results come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchSort {
    /// Best match, nearer first among equals (the default).
    #[default]
    Relevance,
    /// Nearest first (city-wide: by relevance).
    Distance,
    /// Best rated first.
    Rating,
}

impl SearchSort {
    /// Every order, as the API and the search page name them.
    pub const ALL: [(SearchSort, &'static str); 3] =
        [(SearchSort::Relevance, "relevance"), (SearchSort::Distance, "distance"), (SearchSort::Rating, "rating")];

    /// The order named `s`.
    pub fn parse(field: &str, s: &str) -> Result<SearchSort, FieldError> {
        Self::ALL
            .iter()
            .find(|(_, n)| *n == s)
            .map(|(v, _)| *v)
            .ok_or_else(|| FieldError::new(field, "search-sort-unknown"))
    }
}

/// How far a search may be paged (results beyond are not offered).
pub const MAX_SEARCH_OFFSET: usize = 1_000;

/// A checked text search, optionally around a point.
#[derive(Debug, Clone)]
pub struct SearchQuery {
    /// What the person typed (1 to 100 characters, with at least one word).
    pub text: String,
    /// Search only within this radius (metres) of this point; city-wide when `None`.
    pub around: Option<(LatLng, f64)>,
    /// How many results (1 to 100).
    pub limit: usize,
    /// Results to skip: where this page starts (the answer's `next_cursor`).
    pub offset: usize,
    /// The order of the results.
    pub sort: SearchSort,
    /// Only this category.
    pub category: Option<Category>,
    /// Only stores open now.
    pub open_now: bool,
}

impl SearchQuery {
    /// Checks the query text of field `field`.
    pub fn parse_text(field: &str, raw: &str) -> Result<String, FieldError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(FieldError::new(field, "field-empty"));
        }
        if text.chars().count() > 100 {
            return Err(FieldError::new(field, lokal_core::Msg::new("field-too-long").with("max", 100)));
        }
        if tokens(text).is_empty() {
            return Err(FieldError::new(field, "field-search-no-word"));
        }
        Ok(text.to_owned())
    }
}

/// One search result.
#[derive(Debug, Clone)]
pub struct SearchHit {
    /// The store.
    pub id: StoreId,
    /// Its card.
    pub card: Arc<StoreCard>,
    /// Distance from the search point, when there is one.
    pub distance_m: Option<f64>,
    /// Text relevance (higher is better).
    pub score: f32,
    /// Open at query time.
    pub open_now: bool,
    /// The store's items whose names match, best first (at most three).
    pub items: Vec<MenuEntry>,
    /// The store's deals on sale whose titles match.
    pub deals: Vec<DealEntry>,
}

/// Items of `menu` whose names match words of the query, most matched words first, at most three.
fn matching_items(menu: Option<&Vec<MenuEntry>>, words: &Query) -> Vec<MenuEntry> {
    let mut scored: Vec<(usize, &MenuEntry)> = menu
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let shared = words.matched(&e.tokens);
            (shared > 0).then_some((shared, e))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.name.len().cmp(&b.1.name.len())));
    scored.into_iter().take(3).map(|(_, e)| e.clone()).collect()
}

/// Text search over the indexes at time `now`. Near a point, the geo grid supplies the candidates
/// and each is scored against the text; relevance is divided by `1 + distance_km / 2`, so a
/// perfect match 2 km away ranks with a half match next door. City-wide, the inverted index
/// supplies them.
pub fn text_search(d: &Discovery, q: &SearchQuery, now: Timestamp) -> Vec<SearchHit> {
    let words = Query::parse(&q.text);
    if words.is_empty() {
        return Vec::new();
    }
    let keep = |c: &StoreCard| q.category.is_none_or(|cat| c.category == cat) && (!q.open_now || c.open_at(now));
    let hit = |id: StoreId, card: &Arc<StoreCard>, distance_m: Option<f64>, score: f32| SearchHit {
        id,
        open_now: card.open_at(now),
        items: matching_items(d.menus.get(&card.merchant_id), &words),
        deals: card
            .deals
            .iter()
            .filter(|e| e.sale_ends_at > now.millis() && words.matched(&e.tokens) > 0)
            .take(3)
            .cloned()
            .collect(),
        card: card.clone(),
        distance_m,
        score,
    };
    match q.around {
        Some((center, radius_m)) => {
            // Only the stores that match at all are ranked: their scores are looked up, not
            // computed for every store around.
            let scores = d.text.scores(&words);
            let score_of = |k: &StoreId| scores.get(k).copied().unwrap_or(0.0);
            d.geo
                .within(
                    &center,
                    radius_m,
                    |k, c: &Arc<StoreCard>| scores.contains_key(k) && keep(c),
                    |dist, k, c| match q.sort {
                        SearchSort::Relevance => -f64::from(score_of(k)) / (1.0 + dist / 2000.0),
                        SearchSort::Distance => dist,
                        SearchSort::Rating => -(c.rating_x100 as f64) * 1e9 + dist,
                    },
                    q.offset + q.limit,
                )
                .into_iter()
                .skip(q.offset)
                .map(|h| hit(*h.key, h.value, Some(h.distance_m), score_of(h.key)))
                .collect()
        }
        None => {
            let mut found: Vec<(StoreId, &Arc<StoreCard>, f32)> = d
                .text
                .search(&words, 5_000)
                .into_iter()
                .filter_map(|(id, score)| {
                    let (_, card) = d.geo.get(&id)?;
                    keep(card).then_some((id, card, score))
                })
                .collect();
            // City-wide there is no distance: distance keeps relevance.
            if q.sort == SearchSort::Rating {
                found.sort_by(|a, b| b.1.rating_x100.cmp(&a.1.rating_x100).then(b.2.total_cmp(&a.2)));
            }
            found.into_iter().skip(q.offset).take(q.limit).map(|(id, card, score)| hit(id, card, None, score)).collect()
        }
    }
}

impl App {
    /// Stores matching a text query.
    pub fn search(&self, q: &SearchQuery) -> Vec<SearchHit> {
        let d = self.index.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        text_search(&d, q, self.now())
    }

    /// One page of stores matching a text query, and whether more follow (one more than the
    /// page is looked for; at most [`MAX_SEARCH_OFFSET`] results are paged through).
    pub fn search_page(&self, q: &SearchQuery) -> (Vec<SearchHit>, bool) {
        let mut wider = q.clone();
        wider.limit = q.limit + 1;
        let mut hits = self.search(&wider);
        let more = hits.len() > q.limit && q.offset + q.limit < MAX_SEARCH_OFFSET;
        hits.truncate(q.limit);
        (hits, more)
    }

    /// Completions for the search box.
    pub fn suggest(&self, prefix: &str, limit: usize) -> Vec<String> {
        let d = self.index.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        d.text.suggest(prefix, limit)
    }
}

impl App {
    /// Adds a new deal to the stores where it is valid, so it shows in nearby and search at once.
    pub(crate) async fn index_deal(&self, v: &crate::deals::DealView) -> Result<(), AppError> {
        let mut views = Vec::with_capacity(v.store_ids.len());
        for id in &v.store_ids {
            if let Some(row) = stores::get_by_id(self.db().pool(), *id).await? {
                views.push(StoreView { profile: crate::stores::profile_of(&row)?, row });
            }
        }
        let entry = DealEntry::new(
            v.row.id,
            v.row.title.clone(),
            v.row.price,
            v.row.original_price,
            v.row.sale_ends_at.millis(),
        );
        self.with_discovery(|d| {
            for view in &views {
                d.deals.entry(view.row.id).or_default().push(entry.clone());
                d.put(view);
            }
        });
        Ok(())
    }
}
