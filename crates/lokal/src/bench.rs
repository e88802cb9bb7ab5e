//! `lokal bench nearby`: the discovery index on a large generated city, in process. Prints a
//! Markdown report (build time, memory, query latency percentiles) for docs/benchmarks.md.

use crate::city::{self, Rng};
use anyhow::Context;
use lokal_app::discovery::{Discovery, NearbyQuery, SearchQuery, Sort, StoreCard, search, text_search};
use lokal_core::geo::LatLng;
use lokal_core::store::{Category, StoreProfile};
use lokal_core::{MerchantId, StoreId, Timestamp};
use std::time::Instant;

fn rss_mib() -> f64 {
    // Resident pages × page size, from /proc (Linux); 0 where unavailable.
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1).and_then(|p| p.parse::<f64>().ok()))
        .map_or(0.0, |pages| pages * 4096.0 / (1024.0 * 1024.0))
}

/// The `p` quantile (0–1) of sorted values, nearest rank; 0 for none.
pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// One located store as PostGIS sees it.
struct Point {
    n: i64,
    location: LatLng,
    category: Category,
    rating_x100: i64,
}

/// Latency figures of one query kind.
struct Timing {
    times: Vec<f64>,
    found: usize,
}

impl Timing {
    fn new(n: usize) -> Timing {
        Timing { times: Vec::with_capacity(n), found: 0 }
    }

    fn row(&mut self, label: &str) -> String {
        self.times.sort_by(f64::total_cmp);
        let n = self.times.len().max(1) as f64;
        let mean = self.times.iter().sum::<f64>() / n;
        format!(
            "| {label} | {} | {mean:.3} ms | {:.3} ms | {:.3} ms | {:.3} ms | {:.1} |",
            self.times.len(),
            percentile(&self.times, 0.5),
            percentile(&self.times, 0.99),
            self.times.last().copied().unwrap_or(0.0),
            self.found as f64 / n,
        )
    }

    fn p99(&self) -> f64 {
        let mut t = self.times.clone();
        t.sort_by(f64::total_cmp);
        percentile(&t, 0.99)
    }
}

/// The comparable nearby query: k = 20 within 3 km, category = food and rating ≥ 4.5, nearest first.
fn comparable(center: LatLng) -> NearbyQuery {
    NearbyQuery {
        center,
        radius_m: 3_000.0,
        limit: 20,
        category: Some(Category::Food),
        open_now: false,
        min_rating_x100: Some(450),
        min_avg_price: None,
        max_avg_price: None,
        delivers: false,
        pickup: false,
        has_deals: false,
        sort: Sort::Distance,
    }
}

/// Builds a city of `stores` stores and times `queries` queries of each kind from the same random
/// points: nearby (k = 20, 3 km, food + open now), the comparable nearby (food + rating ≥ 4.5),
/// and full text + geo. With `postgis` (a PostgreSQL URL whose server has PostGIS), the same
/// stores are loaded into a PostGIS table with a GiST index and the comparable query is timed
/// there too, in the same run, with the ratio and how often both return the same stores.
pub async fn nearby(stores: usize, queries: usize, seed: u64, postgis: Option<&str>) -> anyhow::Result<String> {
    let center = LatLng::PEOPLES_SQUARE;
    let rss0 = rss_mib();
    let t0 = Instant::now();
    let mut idx = Discovery::default();
    let merchant = MerchantId::from_uuid(lokal_core::ids::UserId::generate().0);
    let mut side = 0.0f64;
    let mut points = Vec::with_capacity(if postgis.is_some() { stores } else { 0 });
    for (i, s) in city::generate_iter(seed, center, stores).enumerate() {
        let p = StoreProfile::parse(s.profile).context("generated profile")?;
        let location = p.location.context("generated store without location")?;
        side = side.max(center.distance_m(&location));
        if postgis.is_some() {
            points.push(Point { n: i as i64, location, category: p.category, rating_x100: s.rating_x100 });
        }
        let card = StoreCard {
            merchant_id: merchant,
            name: p.name,
            category: p.category,
            address: p.address,
            location,
            rating_x100: s.rating_x100,
            review_count: 0,
            avg_price: p.avg_price,
            monthly_sales: s.monthly_sales,
            delivery_radius_m: if p.delivery { p.delivery_radius_m } else { None },
            delivery_area: None,
            pickup: p.pickup,
            hours: p.hours,
            utc_offset_min: p.utc_offset_min,
            tags: p.tags,
            cover: None,
            deals: Vec::new(),
        };
        let id = StoreId::from_uuid(uuid_from(i as u128));
        let tags = card.tags.join(" ");
        idx.text.upsert(
            id,
            &[
                (card.name.as_str(), 3.0),
                (tags.as_str(), 2.0),
                (card.category.as_str(), 1.0),
                (card.address.as_str(), 0.5),
            ],
        );
        idx.geo.upsert(id, location, std::sync::Arc::new(card));
    }
    let build = t0.elapsed();
    let rss1 = rss_mib();
    // Noon in Shanghai, when most food stores are open.
    let now = Timestamp::from_millis(1_795_406_400_000);
    let mut rng = Rng::new(seed ^ 0x5eed);
    let half = side / std::f64::consts::SQRT_2;
    let spots: Vec<LatLng> = (0..queries)
        .map(|_| center.offset_m((rng.unit() - 0.5) * 2.0 * half, (rng.unit() - 0.5) * 2.0 * half))
        .collect();

    let mut open = Timing::new(queries);
    for &spot in &spots {
        let q = NearbyQuery { open_now: true, min_rating_x100: None, ..comparable(spot) };
        let t = Instant::now();
        let hits = search(&idx.geo, &q, now);
        open.times.push(t.elapsed().as_secs_f64() * 1000.0);
        open.found += hits.len();
    }
    let mut rated = Timing::new(queries);
    let mut answers = Vec::with_capacity(queries);
    for &spot in &spots {
        let q = comparable(spot);
        let t = Instant::now();
        let hits = search(&idx.geo, &q, now);
        rated.times.push(t.elapsed().as_secs_f64() * 1000.0);
        rated.found += hits.len();
        answers.push(hits.into_iter().map(|h| h.id.0.as_u128() as i64).collect::<Vec<_>>());
    }
    // Full text + geo: dish and brand words, Chinese and English, around the same points.
    let words = ["火锅", "牛肉面", "coffee", "小笼包", "massage", "超市", "bbq", "奶茶"];
    let mut text = Timing::new(queries);
    for (i, &spot) in spots.iter().enumerate() {
        let q = SearchQuery {
            text: words[i % words.len()].to_owned(),
            around: Some((spot, 3_000.0)),
            limit: 20,
            offset: 0,
            sort: lokal_app::discovery::SearchSort::Relevance,
            category: None,
            open_now: false,
        };
        let t = Instant::now();
        text.found += text_search(&idx, &q, now).len();
        text.times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let mut report = format!(
        "Index build {:.2} s, index memory (RSS growth) {:.0} MiB, {stores} stores in a city {:.0} km on a side \
         (about 60 stores per km², so a 3 km circle holds about 1,700 stores).\n\n\
         | query | queries | mean | p50 | p99 | max | results/query |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n{}\n{}\n{}\n",
        build.as_secs_f64(),
        rss1 - rss0,
        side * std::f64::consts::SQRT_2 / 1000.0,
        open.row("nearby: food, open now (in process)"),
        rated.row("nearby: food, rating ≥ 4.5 (in process)"),
        text.row("text + geo: 火锅, 牛肉面, coffee, 小笼包, massage, 超市, bbq or 奶茶 (in process)"),
    );
    if let Some(url) = postgis {
        let (load, mut pg, mut trip, same) = postgis_side(url, &points, &spots, &answers).await?;
        report.push_str(&pg.row("nearby: food, rating ≥ 4.5 (PostGIS KNN, GiST)"));
        report.push('\n');
        report.push_str(&trip.row("`SELECT 1` on the same connection (round-trip floor)"));
        report.push_str(&format!(
            "\n\nPostGIS: load + index {load:.1} s; p99 ratio PostGIS / in process = {:.1}×; the same 20 stores in \
             the same order for {:.1} % of queries (differences are ties and sphere-vs-haversine rounding).\n",
            pg.p99() / rated.p99().max(1e-9),
            same * 100.0,
        ));
    }
    Ok(report)
}

/// Loads `points` into a fresh PostGIS table and times the comparable query at `spots`.
/// Returns the load time in seconds, the query timings, the timings of a bare `SELECT 1` round
/// trip, and the share of answers equal to `answers`.
async fn postgis_side(
    url: &str,
    points: &[Point],
    spots: &[LatLng],
    answers: &[Vec<i64>],
) -> anyhow::Result<(f64, Timing, Timing, f64)> {
    use sqlx::Row;
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(url).await.context("connect to PostGIS")?;
    let t0 = Instant::now();
    for ddl in [
        "CREATE EXTENSION IF NOT EXISTS postgis",
        "DROP TABLE IF EXISTS bench_nearby",
        "CREATE TABLE bench_nearby (n BIGINT PRIMARY KEY, category TEXT NOT NULL, rating_x100 INTEGER NOT NULL, \
         geog GEOGRAPHY(POINT, 4326) NOT NULL)",
    ] {
        sqlx::raw_sql(ddl).execute(&pool).await.with_context(|| format!("PostGIS setup: {ddl}"))?;
    }
    for chunk in points.chunks(5_000) {
        // Numbers and enum names only, so literal values are safe and far faster than binds.
        let values: Vec<String> = chunk
            .iter()
            .map(|p| {
                format!(
                    "({},'{}',{},ST_SetSRID(ST_MakePoint({},{}),4326)::geography)",
                    p.n,
                    p.category.as_str(),
                    p.rating_x100,
                    p.location.lng(),
                    p.location.lat()
                )
            })
            .collect();
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("INSERT INTO bench_nearby VALUES {}", values.join(","))))
            .execute(&pool)
            .await
            .context("PostGIS load")?;
    }
    sqlx::raw_sql("CREATE INDEX bench_nearby_geog ON bench_nearby USING GIST (geog); ANALYZE bench_nearby")
        .execute(&pool)
        .await
        .context("PostGIS index")?;
    let load = t0.elapsed().as_secs_f64();
    let sql = "SELECT n FROM bench_nearby, (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography AS p) q \
               WHERE category = 'food' AND rating_x100 >= 450 AND ST_DWithin(geog, p, 3000, false) \
               ORDER BY geog <-> p LIMIT 20";
    // The round trip alone, to tell the query's cost from the client's.
    let mut trip = Timing::new(spots.len());
    for _ in spots {
        let t = Instant::now();
        sqlx::query("SELECT 1").fetch_one(&pool).await.context("PostGIS round trip")?;
        trip.times.push(t.elapsed().as_secs_f64() * 1000.0);
        trip.found += 1;
    }
    let mut timing = Timing::new(spots.len());
    let mut same = 0usize;
    for (spot, expected) in spots.iter().zip(answers) {
        let t = Instant::now();
        let rows =
            sqlx::query(sql).bind(spot.lng()).bind(spot.lat()).fetch_all(&pool).await.context("PostGIS query")?;
        timing.times.push(t.elapsed().as_secs_f64() * 1000.0);
        let got = rows.iter().map(|r| r.try_get::<i64, _>(0)).collect::<Result<Vec<_>, _>>()?;
        timing.found += got.len();
        same += usize::from(&got == expected);
    }
    sqlx::raw_sql("DROP TABLE bench_nearby").execute(&pool).await.context("PostGIS cleanup")?;
    Ok((load, timing, trip, same as f64 / spots.len().max(1) as f64))
}

fn uuid_from(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(n)
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn the_nearby_benchmark_runs_and_reports_figures() {
        let report = super::nearby(3_000, 50, 1, None).await.expect("bench");
        assert!(report.contains("3000 stores"), "{report}");
        assert!(report.contains("| nearby: food, rating ≥ 4.5 (in process) | 50 |"), "{report}");
    }
}
