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

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Builds a city of `stores` stores and runs `queries` nearby queries (k = 20, radius 3 km,
/// category = food and open now) from random points in it.
pub fn nearby(stores: usize, queries: usize, seed: u64) -> anyhow::Result<String> {
    let center = LatLng::PEOPLES_SQUARE;
    let rss0 = rss_mib();
    let t0 = Instant::now();
    let mut idx = Discovery::default();
    let merchant = MerchantId::from_uuid(lokal_core::ids::UserId::generate().0);
    let mut side = 0.0f64;
    for (i, s) in city::generate_iter(seed, center, stores).enumerate() {
        let p = StoreProfile::parse(s.profile).context("generated profile")?;
        let location = p.location.context("generated store without location")?;
        side = side.max(center.distance_m(&location));
        let card = StoreCard {
            merchant_id: merchant,
            name: p.name,
            category: p.category,
            address: p.address,
            location,
            rating_x100: s.rating_x100,
            avg_price: p.avg_price,
            monthly_sales: s.monthly_sales,
            delivery_radius_m: if p.delivery { p.delivery_radius_m } else { None },
            delivery_area: None,
            pickup: p.pickup,
            hours: p.hours,
            utc_offset_min: p.utc_offset_min,
            tags: p.tags,
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
        idx.geo.upsert(id, location, card);
    }
    let build = t0.elapsed();
    let rss1 = rss_mib();
    // Noon in Shanghai, when most food stores are open.
    let now = Timestamp::from_millis(1_795_406_400_000);
    let mut rng = Rng::new(seed ^ 0x5eed);
    let half = side / std::f64::consts::SQRT_2;
    let mut times = Vec::with_capacity(queries);
    let mut found = 0usize;
    for _ in 0..queries {
        let q = NearbyQuery {
            center: center.offset_m((rng.unit() - 0.5) * 2.0 * half, (rng.unit() - 0.5) * 2.0 * half),
            radius_m: 3_000.0,
            limit: 20,
            category: Some(Category::Food),
            open_now: true,
            min_rating_x100: None,
            min_avg_price: None,
            max_avg_price: None,
            delivers: false,
            pickup: false,
            sort: Sort::Distance,
        };
        let t = Instant::now();
        let hits = search(&idx.geo, &q, now);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        found += hits.len();
    }
    times.sort_by(f64::total_cmp);
    let mean = times.iter().sum::<f64>() / times.len().max(1) as f64;
    // Full text + geo: dish and brand words, Chinese and English, around random points.
    let words = ["火锅", "牛肉面", "coffee", "小笼包", "massage", "超市", "bbq", "奶茶"];
    let mut text_times = Vec::with_capacity(queries);
    let mut text_found = 0usize;
    for i in 0..queries {
        let q = SearchQuery {
            text: words[i % words.len()].to_owned(),
            around: Some((center.offset_m((rng.unit() - 0.5) * 2.0 * half, (rng.unit() - 0.5) * 2.0 * half), 3_000.0)),
            limit: 20,
            category: None,
            open_now: false,
        };
        let t = Instant::now();
        text_found += text_search(&idx, &q, now).len();
        text_times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    text_times.sort_by(f64::total_cmp);
    let text_mean = text_times.iter().sum::<f64>() / text_times.len().max(1) as f64;
    Ok(format!(
        "| stores | index build | index memory (RSS) | queries | mean | p50 | p99 | max | results/query |\n\
         | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n\
         | {stores} | {:.2} s | {:.0} MiB | {queries} | {mean:.3} ms | {:.3} ms | {:.3} ms | {:.3} ms | {:.1} |\n\
         | (search) | | | {queries} | {text_mean:.3} ms | {:.3} ms | {:.3} ms | {:.3} ms | {:.1} |\n\n\
         Nearby query: k = 20, radius 3 km, category = food, open now, nearest first, from random points in a city \
         {:.0} km on a side (about 60 stores per km², so a 3 km circle holds about 1,700 stores). Full text + geo: one of 火锅, 牛肉面, coffee, 小笼包, massage, \
         超市, bbq, 奶茶 within 3 km, best 20 by relevance over distance.",
        build.as_secs_f64(),
        rss1 - rss0,
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times.last().copied().unwrap_or(0.0),
        found as f64 / queries.max(1) as f64,
        percentile(&text_times, 0.5),
        percentile(&text_times, 0.99),
        text_times.last().copied().unwrap_or(0.0),
        text_found as f64 / queries.max(1) as f64,
        side * std::f64::consts::SQRT_2 / 1000.0,
    ))
}

fn uuid_from(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(n)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_nearby_benchmark_runs_and_reports_figures() {
        let report = super::nearby(3_000, 50, 1).expect("bench");
        assert!(report.contains("| 3000 |"), "{report}");
        assert!(report.contains("results/query"));
    }
}
