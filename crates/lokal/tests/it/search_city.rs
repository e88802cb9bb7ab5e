//! Search the way people in a Chinese city type (issue H), on the demo city: pinyin in full
//! (`huoguo`), initials (`hg`), and common English words for things stores name in Chinese
//! (`hot pot`, `bbq`). Each query must find what its Chinese word finds, near People's Square.

use crate::harness::TestApp;
use serde_json::Value;

async fn demo() -> TestApp {
    let app = TestApp::spawn().await;
    assert!(lokal::demo::seed(&app.app, lokal::demo::CityOptions::default()).await.expect("seed"));
    app
}

async fn search(app: &TestApp, q: &str) -> Vec<Value> {
    let c = lokal_core::geo::LatLng::PEOPLES_SQUARE;
    let url = format!("/api/v1/search?q={q}&lat={}&lng={}&radius_m=5000&limit=50", c.lat(), c.lng());
    let r = app.get(&url, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["results"].as_array().cloned().unwrap_or_default()
}

fn ids(results: &[Value]) -> Vec<String> {
    let mut v: Vec<String> = results.iter().map(|s| s["id"].as_str().unwrap_or("").to_owned()).collect();
    v.sort();
    v
}

/// Whether a result names `word` in its name, tags, matched items or deals.
fn names(s: &Value, word: &str) -> bool {
    let text = |v: &Value| v.as_str().unwrap_or("").to_lowercase().contains(word);
    text(&s["name"])
        || s["tags"].as_array().into_iter().flatten().any(text)
        || s["items"].as_array().into_iter().flatten().any(|i| text(&i["name"]))
        || s["deals"].as_array().into_iter().flatten().any(|d| text(&d["title"]))
}

#[tokio::test]
async fn pinyin_initials_and_english_find_what_the_chinese_word_finds() {
    let app = demo().await;
    for (chinese, typed) in [
        ("火锅", vec!["huoguo", "hg", "HuoGuo", "hot%20pot", "hotpot"]),
        ("烧烤", vec!["shaokao", "sk", "bbq", "barbecue"]),
        ("咖啡", vec!["kafei", "kf", "coffee"]),
        ("奶茶", vec!["naicha", "milk%20tea", "bubble%20tea"]),
        ("理发", vec!["lifa", "haircut", "barber"]),
    ] {
        let expected = search(&app, chinese).await;
        assert!(!expected.is_empty(), "the demo city has {chinese} near People's Square");
        assert!(expected.iter().all(|s| names(s, chinese)), "{chinese}: {expected:?}");
        for q in typed {
            let found = search(&app, q).await;
            let missing: Vec<String> = ids(&expected).into_iter().filter(|id| !ids(&found).contains(id)).collect();
            assert!(
                missing.is_empty(),
                "`{q}` misses {} of the {} stores `{chinese}` finds",
                missing.len(),
                expected.len()
            );
            // What it finds first is a store of that word, not one that merely shares a letter.
            assert!(
                names(&found[0], chinese) || names(&found[0], &q.replace("%20", " ").to_lowercase()),
                "`{q}` first: {}",
                found[0]
            );
        }
    }
}

#[tokio::test]
async fn typing_pinyin_suggests_the_chinese_word() {
    let app = demo().await;
    let s = app.get("/api/v1/search/suggest?q=huog", None).await.json();
    let words: Vec<&str> = s["suggestions"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    assert!(words.contains(&"火锅"), "{words:?}");
    assert!(!words.iter().any(|w| w.starts_with("huog")), "a spelling is not offered as a word: {words:?}");
}

#[tokio::test]
async fn results_come_a_page_at_a_time_in_the_order_asked() {
    let app = demo().await;
    let c = lokal_core::geo::LatLng::PEOPLES_SQUARE;
    let base = format!("/api/v1/search?q=%E7%81%AB%E9%94%85&lat={}&lng={}&radius_m=5000", c.lat(), c.lng());
    let all = app.get(&format!("{base}&limit=100"), None).await.json();
    let all: Vec<String> =
        all["results"].as_array().expect("results").iter().map(|s| s["id"].as_str().unwrap_or("").to_owned()).collect();
    assert!(all.len() > 3, "enough hotpot stores to page through: {}", all.len());
    // Pages of three, following the cursor, give the same stores in the same order, once each.
    let mut paged = Vec::new();
    let mut url = format!("{base}&limit=3");
    loop {
        let r = app.get(&url, None).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let j = r.json();
        paged.extend(
            j["results"].as_array().expect("results").iter().map(|s| s["id"].as_str().unwrap_or("").to_owned()),
        );
        match j["next_cursor"].as_str() {
            Some(cursor) => url = format!("{base}&limit=3&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(paged, all);
    // Nearest first and best rated first.
    let app = &app;
    let by = |sort: &'static str| {
        let url = format!("{base}&limit=100&sort={sort}");
        async move { app.get(&url, None).await.json()["results"].as_array().cloned().unwrap_or_default() }
    };
    let near = by("distance").await;
    let d: Vec<u64> = near.iter().map(|s| s["distance_m"].as_u64().unwrap_or(0)).collect();
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "{d:?}");
    let rated = by("rating").await;
    let r: Vec<f64> = rated.iter().map(|s| s["rating"].as_f64().unwrap_or(0.0)).collect();
    assert!(r.windows(2).all(|w| w[0] >= w[1]), "{r:?}");
    for (q, field) in [("&cursor=abc", "cursor"), ("&cursor=999999", "cursor"), ("&sort=price", "sort")] {
        let bad = app.get(&format!("{base}{q}"), None).await;
        assert_eq!((bad.status, bad.json()["error"]["field"].as_str()), (422, Some(field)), "{q}");
    }
    // The page offers the next page as a link that carries the filters.
    let page = app.get("/search?q=%E7%81%AB%E9%94%85&sort=distance&limit=3", None).await.text;
    let more = page.split("data-testid=\"search-more\"").next().and_then(|h| h.rsplit("href=\"").next()).unwrap_or("");
    assert!(page.contains("data-testid=\"search-more\""), "a 'more' link: {page}");
    assert!(more.contains("cursor=3") && more.contains("sort=distance") && more.contains("limit=3"), "{more}");
}
