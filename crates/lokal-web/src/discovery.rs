//! Consumer discovery pages: home (categories and what is good nearby), the nearby list with
//! filters, and the store page with a self-contained map.

use crate::map::{MapView, Pin};
use crate::page::{Nav, error_page, message};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use lokal_api::Ctx;
use lokal_api::routes::search::SearchParams;
use lokal_api::routes::stores::NearbyParams;
use lokal_app::discovery::{NearbyQuery, NearbyStore, Sort};
use lokal_core::Msg;
use lokal_core::StoreId;
use lokal_core::geo::LatLng;
use lokal_core::store::Category;
use lokal_i18n::format as fmt;

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/", get(home))
        .route("/nearby", get(nearby_page))
        .route("/search", get(search_page))
        .route("/stores/{store_id}", get(store_page))
}

/// A store as a line in a list.
pub struct Card {
    id: String,
    name: String,
    /// The category's word (`food`), labelled on the page.
    category: &'static str,
    distance: String,
    rating: String,
    /// Whether the store has a rating to show (`rating` is "no reviews yet" otherwise).
    rated: bool,
    price: String,
    open_now: bool,
    tags: String,
    /// Matching dishes (search results only): name and price.
    items: Vec<(String, String)>,
    /// The cover photo's thumbnail URL, if it has one.
    cover: String,
}

/// A distance for people: `350 m`, `1.2 km`.
fn distance_text(nav: &Nav, m: f64) -> String {
    if m < 1000.0 {
        nav.t1("discover-distance-m", "m", m.round() as i64)
    } else {
        nav.t1("discover-distance-km", "km", format!("{:.1}", m / 1000.0))
    }
}

/// The average spend per person, to the yuan: `¥85/人`, `¥85 per person`.
fn price_text(nav: &Nav, minor: Option<i64>) -> String {
    minor.map_or_else(String::new, |p| per_person(nav, (p + 50) / 100 * 100))
}

fn per_person(nav: &Nav, minor: i64) -> String {
    nav.msg(&Msg::new("discover-per-person").money("price", minor))
}

/// The rating for people: `★ 4.7 · 326条评价`, or "no reviews yet" for a store nobody has
/// reviewed (no stars without the reviews behind them).
fn rating_text(nav: &Nav, x100: i64, reviews: i64) -> String {
    if reviews > 0 && x100 > 0 {
        let rating = crate::map::Tenths::from_hundredths(x100).to_string();
        nav.t2("discover-rating-count", "rating", rating, "n", reviews)
    } else {
        nav.t("discover-no-reviews").into_owned()
    }
}

fn card(nav: &Nav, s: NearbyStore) -> Card {
    Card {
        id: s.id.to_string(),
        category: s.card.category.as_str(),
        distance: distance_text(nav, s.distance_m),
        rating: rating_text(nav, s.card.rating_x100, s.card.review_count),
        rated: s.card.rating_x100 > 0 && s.card.review_count > 0,
        price: price_text(nav, s.card.avg_price),
        open_now: s.open_now,
        tags: s.card.tags.iter().take(3).cloned().collect::<Vec<_>>().join(" · "),
        items: Vec::new(),
        cover: s.card.cover.clone().unwrap_or_default(),
        name: s.card.name.clone(),
    }
}

/// Where a list is centred: the page's own `lat`/`lng`, else the place the person shared or
/// picked (the `loc` cookie), else the city centre.
fn center_of(nav: &Nav, p: &NearbyParams) -> (String, String) {
    let d = nav.here_or_center();
    (p.lat.clone().unwrap_or_else(|| d.lat().to_string()), p.lng.clone().unwrap_or_else(|| d.lng().to_string()))
}

/// The query, centred by [`center_of`].
fn query_of(nav: &Nav, p: &NearbyParams) -> Result<NearbyQuery, lokal_core::FieldError> {
    let (lat, lng) = center_of(nav, p);
    NearbyParams { lat: Some(lat), lng: Some(lng), ..p.clone() }.parse()
}

/// A map of the listed stores around the person.
fn results_map(nav: &Nav, center: LatLng, stores: impl Iterator<Item = (StoreId, String, LatLng)>) -> String {
    let mut pins: Vec<Pin> =
        stores.map(|(id, name, at)| Pin { at, label: name, href: format!("/stores/{id}"), kind: "store" }).collect();
    pins.push(Pin { at: center, label: nav.t("place-current").into_owned(), href: String::new(), kind: "me" });
    MapView::around("results-map", center, pins, 500.0, nav.t("nearby-map-label").into_owned()).render(nav)
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    nav: Nav,
    categories: Vec<&'static str>,
    /// Sub-categories: (word, search).
    subcats: Vec<(&'static str, &'static str)>,
    lat: String,
    lng: String,
    cards: Vec<Card>,
}

async fn home(State(ctx): State<Ctx>, nav: Nav, Query(p): Query<NearbyParams>) -> Response {
    let mut q = match query_of(&nav, &p) {
        Ok(q) => q,
        Err(e) => return bad_query(&nav, e),
    };
    q.sort = Sort::Recommended;
    q.limit = 10;
    let (lat, lng) = center_of(&nav, &p);
    let cards = ctx.app.nearby(&q).into_iter().map(|s| card(&nav, s)).collect();
    let categories = Category::ALL.iter().map(Category::as_str).collect();
    let subcats = subcategories("");
    nav.finish(crate::page::html(&HomePage { nav: nav.clone(), categories, subcats, lat, lng, cards }))
}

#[derive(Template)]
#[template(path = "nearby.html")]
struct NearbyPage {
    nav: Nav,
    categories: Vec<&'static str>,
    lat: String,
    lng: String,
    category: String,
    /// The chosen category's sub-categories: (word, search).
    subcats: Vec<(&'static str, &'static str)>,
    /// Words of [`NEARBY_SORTS`], and the one chosen.
    sorts: [&'static str; 4],
    sort: String,
    open_now: bool,
    cards: Vec<Card>,
    /// The map of the stores listed (markup).
    map: String,
}

async fn nearby_page(State(ctx): State<Ctx>, nav: Nav, Query(p): Query<NearbyParams>) -> Response {
    let q = match query_of(&nav, &p) {
        Ok(q) => q,
        Err(e) => return bad_query(&nav, e),
    };
    let (lat, lng) = center_of(&nav, &p);
    let found = ctx.app.nearby(&q);
    let map = results_map(&nav, q.center, found.iter().map(|s| (s.id, s.card.name.clone(), s.card.location)));
    let page = NearbyPage {
        map,
        nav: nav.clone(),
        categories: Category::ALL.iter().map(Category::as_str).collect(),
        lat,
        lng,
        category: p.category.clone().unwrap_or_default(),
        subcats: p.category.as_deref().filter(|c| !c.is_empty()).map(subcategories).unwrap_or_default(),
        sorts: NEARBY_SORTS,
        sort: p.sort.clone().unwrap_or_else(|| "distance".into()),
        open_now: q.open_now,
        cards: found.into_iter().map(|s| card(&nav, s)).collect(),
    };
    nav.finish(crate::page::html(&page))
}

fn bad_query(nav: &Nav, e: lokal_core::FieldError) -> Response {
    nav.refusal(&nav.t("discover-bad-query"), lokal_app::AppError::from(e))
}

/// Popular sub-categories (热门分类), each a search for what stores of its kind are tagged
/// with: (category, word of the `subcategory` label group, the search).
pub const SUBCATEGORIES: [(&str, &str, &str); 14] = [
    ("food", "hotpot", "火锅"),
    ("food", "bbq", "烧烤"),
    ("food", "noodles", "面"),
    ("food", "dumplings", "小笼包"),
    ("food", "shanghainese", "本帮菜"),
    ("food", "coffee", "咖啡"),
    ("food", "milk-tea", "奶茶"),
    ("beauty", "nails", "美甲"),
    ("beauty", "haircut", "理发"),
    ("leisure", "ktv", "KTV"),
    ("leisure", "massage", "按摩"),
    ("leisure", "board-games", "桌游"),
    ("hotel", "guesthouse", "民宿"),
    ("retail", "fruit", "水果"),
];

/// The sub-categories of `category` (all of them for none).
fn subcategories(category: &str) -> Vec<(&'static str, &'static str)> {
    SUBCATEGORIES.iter().filter(|s| category.is_empty() || s.0 == category).map(|s| (s.1, s.2)).collect()
}

/// The services a store may offer, as the store page labels them (`store-service-…`).
pub const STORE_SERVICES: [&str; 3] = ["dine_in", "pickup", "delivery"];

/// The orders the store page's reviews can be read in (`store-review-sort-…`).
pub const REVIEW_SORTS: [&str; 3] = ["newest", "helpful", "photos"];

/// The orders of the nearby list (`nearby-sort-…`), as [`Sort::parse`] reads them.
pub const NEARBY_SORTS: [&str; 4] = ["distance", "rating", "sales", "recommended"];

#[derive(Template)]
#[template(path = "store.html")]
struct StorePage {
    nav: Nav,
    name: String,
    category: &'static str,
    address: String,
    phone: String,
    rating: String,
    rated: bool,
    price: String,
    open_now: bool,
    /// Weekday name and the day's hours.
    hours: Vec<(&'static str, String)>,
    tags: Vec<String>,
    /// Its photos: (large, thumbnail) URLs.
    photos: Vec<(String, String)>,
    /// Words of [`STORE_SERVICES`].
    services: Vec<&'static str>,
    located: bool,
    /// The map around the store (markup).
    map: String,
    /// The menu: section, name, price, available, photo thumbnail (or empty).
    menu: Vec<(String, String, String, bool, String)>,
    /// Deals: id, title, price, original price, cover thumbnail (or empty).
    deals: Vec<(String, String, String, String, String)>,
    /// Coupons to claim: batch id, title, what it gives and from whom.
    coupons: Vec<(String, String, String)>,
    /// The store's id (order and pay links).
    id: String,
    /// It takes menu orders (delivery, pickup or eat-in) and has a menu.
    orderable: bool,
    /// Reviews: how many, the sort shown, and each review.
    review_count: i64,
    /// Sort links: word of [`REVIEW_SORTS`], whether shown now.
    review_sorts: Vec<(&'static str, bool)>,
    reviews: Vec<ReviewLine>,
    /// The viewer is staff of this store (may reply).
    staff: bool,
}

/// A review as the store page shows it.
struct ReviewLine {
    id: String,
    author: String,
    /// The stars as `★★★★`, and their number.
    stars: String,
    rating: i64,
    dimensions: String,
    text: String,
    tags: Vec<String>,
    /// Its photos: (large, thumbnail) URLs.
    photos: Vec<(String, String)>,
    spend: String,
    helpful: i64,
    reply: String,
    follow_up: String,
    when: String,
}

#[derive(Debug, Default, serde::Deserialize)]
struct StoreQuery {
    #[serde(default)]
    sort: String,
}

/// The thumbnail of a photo reference, or empty for none.
pub(crate) fn thumbnail_or_empty(photo: &str) -> String {
    if photo.is_empty() { String::new() } else { lokal_core::photo::thumbnail(photo) }
}

/// Half the map's width in metres.
const MAP_HALF_M: f64 = 600.0;

fn store_not_found(nav: &Nav) -> Response {
    nav.finish(message(
        StatusCode::NOT_FOUND,
        &nav.t("store-not-found-heading"),
        &nav.t("store-not-found-text"),
        nav.clone(),
    ))
}

async fn store_page(
    State(ctx): State<Ctx>,
    nav: Nav,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<StoreQuery>,
) -> Response {
    let Ok(id) = id.parse::<StoreId>() else {
        return store_not_found(&nav);
    };
    let view = match ctx.app.public_store(id).await {
        Ok(v) => v,
        Err(e) if e.code == lokal_core::ErrorCode::NotFound => return store_not_found(&nav),
        Err(e) => return error_page(e),
    };
    ctx.app.count_store_view(&view);
    let p = &view.profile;
    let json = p.hours.to_json();
    let day = |v: &Vec<String>| if v.is_empty() { nav.t("store-hours-closed").into_owned() } else { v.join(", ") };
    let hours = [&json.mon, &json.tue, &json.wed, &json.thu, &json.fri, &json.sat, &json.sun]
        .into_iter()
        .zip(1u8..)
        .map(|(d, iso)| (fmt::weekday(nav.lang, iso), day(d)))
        .collect();
    let map = match p.location {
        Some(here) => {
            let q = NearbyQuery {
                center: here,
                radius_m: MAP_HALF_M,
                limit: 40,
                category: None,
                open_now: false,
                min_rating_x100: None,
                min_avg_price: None,
                max_avg_price: None,
                delivers: false,
                pickup: false,
                has_deals: false,
                sort: Sort::Distance,
            };
            let mut pins: Vec<Pin> = ctx
                .app
                .nearby(&q)
                .into_iter()
                .filter(|s| s.id != id)
                .map(|s| Pin {
                    at: s.card.location,
                    label: s.card.name.clone(),
                    href: format!("/stores/{}", s.id),
                    kind: "store",
                })
                .collect();
            pins.push(Pin {
                at: here,
                label: nav.t1("store-map-here", "name", p.name.as_str()),
                href: String::new(),
                kind: "me",
            });
            let label = nav.t1("store-map-label", "name", p.name.as_str());
            MapView::around("store-map", here, pins, MAP_HALF_M, label).render(&nav)
        }
        None => String::new(),
    };
    let services: Vec<&'static str> = [p.dine_in, p.pickup, p.delivery]
        .into_iter()
        .zip(STORE_SERVICES)
        .filter_map(|(offered, word)| offered.then_some(word))
        .collect();
    let menu: Vec<(String, String, String, bool, String)> = match ctx.app.menu_at(&view.row).await {
        Ok(m) => m
            .into_iter()
            .map(|m| {
                let photo = thumbnail_or_empty(&m.item.photo);
                (m.item.section, m.item.name, nav.money(m.price), m.available, photo)
            })
            .collect(),
        Err(e) => return error_page(e),
    };
    let deals = match ctx.app.deals_at(id).await {
        Ok(d) => d
            .into_iter()
            .map(|d| {
                let cover = d.details.photos.first().map(|p| thumbnail_or_empty(p)).unwrap_or_default();
                (d.row.id.to_string(), d.row.title, nav.money(d.row.price), nav.money(d.row.original_price), cover)
            })
            .collect(),
        Err(e) => return error_page(e),
    };
    let coupons = match ctx.app.coupon_batches_at(&view).await {
        Ok(list) => list
            .into_iter()
            .map(|t| {
                let line = nav.t2(
                    "coupon-from",
                    "benefit",
                    crate::coupons::benefit(&nav, &t.benefit),
                    "issuer",
                    nav.label("coupon-issuer", crate::coupons::issuer_word(&t.row.issuer)),
                );
                (t.row.id.to_string(), t.row.title.clone(), line)
            })
            .collect(),
        Err(e) => return error_page(e),
    };
    let orderable = !menu.is_empty() && !services.is_empty();
    let review_sort =
        if matches!(q.sort.as_str(), "helpful" | "photos") { q.sort.clone() } else { "newest".to_owned() };
    let offset = p.utc_offset_min;
    let reviews = match ctx.app.reviews_at(id, &review_sort, 0).await {
        Ok(list) => list
            .into_iter()
            .map(|v| ReviewLine {
                id: v.row.id.clone(),
                author: v.author,
                stars: "★".repeat(usize::try_from(v.row.rating).unwrap_or(0)),
                rating: v.row.rating,
                dimensions: v
                    .dimensions
                    .iter()
                    .map(|(k, s)| {
                        nav.t2("store-review-dimension", "dimension", nav.label("store-dimension", k), "stars", *s)
                    })
                    .collect::<Vec<_>>()
                    .join(" · "),
                text: v.row.body,
                tags: v.tags,
                photos: v.photos.iter().map(|u| (u.clone(), lokal_core::photo::thumbnail(u))).collect(),
                spend: v.row.avg_spend.map(|s| per_person(&nav, s)).unwrap_or_default(),
                helpful: v.row.helpful,
                reply: v.row.reply,
                follow_up: v.row.follow_up,
                when: nav.near_at(v.row.created_at, i64::from(offset)),
            })
            .collect(),
        Err(e) => return error_page(e),
    };
    // The row read above carries the count (the same transaction that adds a review raises it).
    let review_count = view.row.review_count;
    // The store's own staff reply to its reviews (operators moderate, they do not reply).
    let staff = nav.caller().is_some_and(|me| {
        me.works_at(view.row.merchant_id, id)
            && me.authorize(lokal_core::Scope::Store(view.row.merchant_id, id), lokal_core::StaffRole::Clerk).is_ok()
    });
    let rated = review_count > 0 && view.row.rating_x100 > 0;
    let review_sorts = REVIEW_SORTS.into_iter().map(|s| (s, s == review_sort)).collect();
    let page = StorePage {
        review_count,
        review_sorts,
        reviews,
        staff,
        coupons,
        id: id.to_string(),
        orderable,
        menu,
        deals,
        name: p.name.clone(),
        category: p.category.as_str(),
        address: p.address.clone(),
        phone: p.phone.clone().unwrap_or_default(),
        // Here the number of reviews is known: no stars for a store nobody has reviewed (the
        // demo city's stores come with a rating but no reviews).
        rating: rating_text(&nav, view.row.rating_x100, if rated { review_count } else { 0 }),
        rated,
        price: price_text(&nav, p.avg_price),
        open_now: p.hours.is_open_at(ctx.app.now(), p.utc_offset_min),
        hours,
        tags: p.tags.clone(),
        photos: p.photos.iter().map(|u| (u.clone(), lokal_core::photo::thumbnail(u))).collect(),
        services,
        located: p.location.is_some(),
        map,
        nav: nav.clone(),
    };
    nav.finish(crate::page::html(&page))
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    nav: Nav,
    q: String,
    lat: String,
    lng: String,
    cards: Vec<Card>,
    /// The map of the stores found (markup; empty without results).
    map: String,
    /// Categories for the filter, and the one chosen.
    categories: Vec<&'static str>,
    category: String,
    /// Orders (`search-sort-…`), and the one chosen.
    sorts: Vec<&'static str>,
    sort: String,
    open_now: bool,
    /// The next page, if there is one (a link to this page with its cursor).
    more: Option<String>,
}

/// This search page's URL with `cursor` set.
fn search_url(p: &SearchParams, lat: &str, lng: &str, cursor: &str) -> String {
    let enc = |s: &str| crate::page::encode_query(s);
    let mut url = format!("/search?q={}&lat={}&lng={}", enc(p.q.as_deref().unwrap_or("")), enc(lat), enc(lng));
    for (k, v) in [("category", &p.category), ("sort", &p.sort), ("open_now", &p.open_now), ("limit", &p.limit)] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            url.push_str(&format!("&{k}={}", enc(v)));
        }
    }
    url.push_str(&format!("&cursor={}", enc(cursor)));
    url
}

async fn search_page(State(ctx): State<Ctx>, nav: Nav, Query(p): Query<SearchParams>) -> Response {
    let d = nav.here_or_center();
    let lat = p.lat.clone().unwrap_or_else(|| d.lat().to_string());
    let lng = p.lng.clone().unwrap_or_else(|| d.lng().to_string());
    let q = p.q.clone().unwrap_or_default();
    let query = SearchParams { lat: Some(lat.clone()), lng: Some(lng.clone()), ..p.clone() }.parse();
    let mut map = String::new();
    let mut more = None;
    let mut open_now = false;
    let cards = match query {
        Ok(query) => {
            let (hits, has_more) = ctx.app.search_page(&query);
            open_now = query.open_now;
            if has_more {
                more = Some(search_url(&p, &lat, &lng, &(query.offset + query.limit).to_string()));
            }
            if let (Some((center, _)), false) = (query.around, hits.is_empty()) {
                map = results_map(&nav, center, hits.iter().map(|h| (h.id, h.card.name.clone(), h.card.location)));
            }
            hits.into_iter()
                .map(|h| Card {
                    id: h.id.to_string(),
                    category: h.card.category.as_str(),
                    distance: h.distance_m.map(|m| distance_text(&nav, m)).unwrap_or_default(),
                    rating: rating_text(&nav, h.card.rating_x100, h.card.review_count),
                    rated: h.card.rating_x100 > 0 && h.card.review_count > 0,
                    price: price_text(&nav, h.card.avg_price),
                    open_now: h.open_now,
                    tags: h.card.tags.iter().take(3).cloned().collect::<Vec<_>>().join(" · "),
                    items: h.items.into_iter().map(|e| (e.name, nav.money(e.price))).collect(),
                    cover: h.card.cover.clone().unwrap_or_default(),
                    name: h.card.name.clone(),
                })
                .collect()
        }
        Err(_) if q.trim().is_empty() => Vec::new(),
        Err(e) => return bad_query(&nav, e),
    };
    let page = SearchPage {
        nav: nav.clone(),
        q,
        lat,
        lng,
        cards,
        map,
        categories: Category::ALL.iter().map(Category::as_str).collect(),
        category: p.category.clone().unwrap_or_default(),
        sorts: lokal_app::discovery::SearchSort::ALL.iter().map(|(_, n)| *n).collect(),
        sort: p.sort.clone().unwrap_or_else(|| "relevance".into()),
        open_now,
        more,
    };
    nav.finish(crate::page::html(&page))
}
