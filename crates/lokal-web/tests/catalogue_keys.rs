//! Every catalogue key the code or a template names exists in both catalogues (zh-CN and en),
//! and every word a page labels through `Nav::label` has its label.
//!
//! The scan reads the sources of every crate: `t("…")`, `t1("…"`, `t2("…"` (pages and
//! templates) and `Msg::new("…")` (messages built below the edge).

use lokal_core::{RunStatus, Timestamp};
use lokal_i18n::{Lang, catalogue};
use std::path::{Path, PathBuf};

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, ext, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
}

/// The string literals that follow each of `openers` in `text`.
fn literals_after<'a>(text: &'a str, openers: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    for opener in openers {
        let mut rest = text;
        while let Some(i) = rest.find(opener) {
            let after = &rest[i + opener.len()..];
            // `nav.t("…")` but not `format!("…")` or `assert!("…")`: the opener must not be the
            // tail of a longer name.
            let before = rest[..i].chars().next_back();
            let standalone = before.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            if standalone && let Some(end) = after.find('"') {
                out.push(&after[..end]);
            }
            rest = after;
        }
    }
    out
}

fn is_key(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[test]
fn every_key_the_code_uses_is_in_both_catalogues() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut sources = Vec::new();
    files(&crates, "rs", &mut sources);
    files(&crates.join("lokal-web").join("templates"), "html", &mut sources);
    let mut missing = Vec::new();
    let mut used = 0;
    for path in sources.iter().filter(|p| !p.components().any(|c| c.as_os_str() == "target")) {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        for key in literals_after(&text, &["t(\"", "t1(\"", "t2(\"", "Msg::new(\""]) {
            if !is_key(key) {
                continue;
            }
            used += 1;
            for lang in Lang::ALL {
                if !catalogue::has(lang, key) {
                    missing.push(format!("{}: `{key}` is not in {lang}", path.display()));
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "keys used but not translated:\n{}", missing.join("\n"));
    assert!(used > 20, "the scan found only {used} keys: is it reading the sources?");
}

#[test]
fn every_role_has_a_label() {
    use lokal_core::{Role, StaffRole};
    let roles = [
        Role::PlatformAdmin,
        Role::Staff(StaffRole::Owner),
        Role::Staff(StaffRole::Manager),
        Role::Staff(StaffRole::Clerk),
        Role::Rider,
        Role::Promoter,
    ];
    for r in roles {
        let key = lokal_web::page::label_key("role", r.as_str());
        for lang in Lang::ALL {
            assert!(catalogue::has(lang, &key), "{key} missing in {lang}");
        }
    }
}

fn assert_labelled(group: &str, words: impl IntoIterator<Item = &'static str>) {
    for word in words {
        let key = lokal_web::page::label_key(group, word);
        for lang in Lang::ALL {
            assert!(catalogue::has(lang, &key), "{key} missing in {lang}");
        }
    }
}

#[test]
fn every_state_and_kind_of_the_core_has_a_label() {
    use lokal_core::customers::Segment;
    use lokal_core::fulfil::{Mode, OrderStatus, TaskStatus};
    use lokal_core::membership::Level;
    use lokal_core::store::Category;
    assert_labelled("category", Category::ALL.iter().map(|c| c.as_str()));
    assert_labelled("mode", Mode::ALL.map(Mode::as_str));
    assert_labelled("order-status", OrderStatus::ALL.map(OrderStatus::as_str));
    // Deal orders are also refunded.
    assert_labelled("order-status", ["refunded"]);
    assert_labelled("task-status", TaskStatus::ALL.map(TaskStatus::as_str));
    assert_labelled("segment", Segment::ALL.map(Segment::as_str));
    assert_labelled("level", Level::LADDER.map(|(l, _)| l.as_str()));
}

#[test]
fn every_word_of_the_discovery_and_shop_pages_has_a_label() {
    use lokal_web::{coupons, deals, discovery};
    assert_labelled("store-service", discovery::STORE_SERVICES);
    assert_labelled("my-orders-tab", lokal_web::takeout::MY_ORDER_TABS);
    assert_labelled("subcategory", discovery::SUBCATEGORIES.map(|s| s.1));
    assert_labelled("store-review-sort", discovery::REVIEW_SORTS);
    assert_labelled("nearby-sort", discovery::NEARBY_SORTS);
    assert_labelled("store-dimension", lokal_core::review::DIMENSIONS);
    assert_labelled("voucher-status", deals::VOUCHER_STATUSES);
    assert_labelled("checkout-status", deals::CHECKOUT_STATUSES);
    assert_labelled("coupon-issuer", coupons::COUPON_ISSUERS);
    assert_labelled("coupon-status", coupons::COUPON_STATUSES);
    // Every sort the nearby list offers is one the query accepts.
    for s in discovery::NEARBY_SORTS {
        assert!(lokal_app::discovery::Sort::parse("sort", s).is_ok(), "{s}");
    }
}

/// The column names of a CSV's heading line.
fn columns(csv: &str) -> Vec<&'static str> {
    let head = csv.lines().next().unwrap_or_default().to_owned();
    head.split(',').map(|c| &*Box::leak(c.to_owned().into_boxed_str())).collect()
}

#[test]
fn every_word_of_the_merchant_console_has_a_label() {
    use lokal_core::analytics::Granularity;
    use lokal_core::campaign::{ChannelKind, Model};
    use lokal_core::promo::{Benefit, Funder};
    assert_labelled("application-status", ["pending", "approved", "rejected"]);
    assert_labelled("channel-kind", ChannelKind::ALL.map(ChannelKind::as_str));
    assert_labelled("attribution", [Model::Last, Model::First].map(Model::as_str));
    assert_labelled("campaign-state", ["scheduled", "running", "ended"]);
    assert_labelled("customer-kind", ["new", "returning"]);
    assert_labelled("granularity", [Granularity::Day, Granularity::Week, Granularity::Month].map(Granularity::as_str));
    let item = lokal_core::ItemId::generate();
    let benefits = [
        Benefit::AmountOff { off: 1, threshold: 0 },
        Benefit::PercentOff { percent_bp: 1, cap: None, threshold: 0 },
        Benefit::FreeDelivery { cap: None, threshold: 0 },
        Benefit::ItemOff { item, off_each: 1, max_units: 1 },
    ];
    let kinds = benefits.map(|b| {
        let kind = serde_json::to_value(&b).expect("json")["kind"].as_str().expect("kind").to_owned();
        &*Box::leak(kind.into_boxed_str())
    });
    assert_labelled("coupon-kind", kinds);
    let funders = [Funder::Platform, Funder::Merchant].map(|f| {
        let word = serde_json::to_value(f).expect("json").as_str().expect("word").to_owned();
        &*Box::leak(word.into_boxed_str())
    });
    assert_labelled("funder", funders);
    assert_labelled(
        "dash-kpi",
        [
            "gmv",
            "revenue",
            "paid-orders",
            "active-merchants",
            "average-ticket",
            "repeat-rate",
            "redemption-rate",
            "merchant-discounts",
            "on-time-rate",
            "click-to-door",
            "platform-discounts",
        ],
    );
    assert_labelled("dash-funnel", ["views", "orders", "paid", "completed", "redemptions", "reviews"]);
}

#[test]
fn every_heading_of_the_consoles_csv_downloads_has_a_label() {
    use lokal_app::analytics::Dashboard;
    use lokal_app::campaigns::{CampaignReport, CampaignView, Figures};
    use lokal_core::analytics::{Granularity, Period};
    use lokal_store::campaigns::CampaignRow;
    use lokal_store::rollups::{DayFigures, Slice};
    let d = Dashboard {
        slice: Slice::Platform,
        period: Period { from: 0, to: 1, by: Granularity::Day },
        buckets: Vec::new(),
        total: DayFigures::default(),
        previous: DayFigures::default(),
        hours: [0; 24],
        top_items: Vec::new(),
        reviews: 0,
        active_merchants: None,
        previous_active_merchants: None,
    };
    use lokal_api::routes::analytics::{hours_csv, items_csv, series_csv};
    for csv in [series_csv(&d), items_csv(&d), hours_csv(&d)] {
        assert_labelled("csv-dash", columns(&csv));
    }
    assert_labelled("csv-customer", columns(&lokal_api::routes::customers::customers_csv(&[])));
    let row = CampaignRow {
        id: lokal_core::CampaignId::generate(),
        merchant_id: None,
        title: String::new(),
        store_id: None,
        coupon_template_id: None,
        starts_at: Timestamp(0),
        ends_at: Timestamp(0),
        window_days: 7,
        status: RunStatus::Active,
        created_by: lokal_core::UserId::generate(),
        created_at: Timestamp(0),
    };
    let r = CampaignReport {
        campaign: CampaignView { row, channels: Vec::new() },
        model: lokal_core::campaign::Model::Last,
        channels: Vec::new(),
        total: Figures::default(),
        orders: Vec::new(),
    };
    use lokal_api::routes::campaigns::{channels_csv, orders_csv};
    for csv in [channels_csv(&r), orders_csv(&r)] {
        assert_labelled("csv-campaign", columns(&csv));
    }
}

#[test]
fn every_word_of_the_desks_riders_and_dispatch_has_a_label() {
    use lokal_core::fulfil::TaskStatus;
    // The redemption desk: a voucher's states and a redemption's.
    assert_labelled("desk-voucher", ["active", "used", "expired", "refunded"]);
    assert_labelled("desk-redemption", ["redeemed", "undone"]);
    // The rider's app: applications, vehicles, shifts, tasks as the rider reads them, problems.
    assert_labelled("rider-application", ["pending", "approved", "rejected"]);
    assert_labelled("rider-vehicle", lokal_web::riders::VEHICLES);
    assert_labelled("rider-shift", ["on", "off"]);
    assert_labelled("rider-task", TaskStatus::ALL.map(TaskStatus::as_str));
    assert_labelled("rider-exception", lokal_web::riders::EXCEPTIONS);
    // The API reference: where a parameter goes.
    assert_labelled("docs-in", ["path", "query", "header", "cookie"]);
}

#[test]
fn every_order_of_the_search_page_has_a_label() {
    assert_labelled("search-sort", lokal_app::discovery::SearchSort::ALL.map(|(_, n)| n));
}

#[test]
fn every_word_of_ordering_reviews_cards_and_chat_has_a_label() {
    use lokal_core::fulfil::Mode;
    // The steps of an order's timeline, and the one shown for a step not listed.
    assert_labelled("order-event", lokal_web::takeout::ORDER_EVENTS);
    assert_labelled("order-event", ["other"]);
    // What the order's code is called, by mode.
    assert_labelled("track-code", Mode::ALL.map(Mode::as_str));
    assert_labelled("review-dimension", lokal_core::review::DIMENSIONS);
    assert_labelled("review-status", ["visible", "hidden"]);
    assert_labelled("card-entry", lokal_web::loyalty::CARD_ENTRIES);
    assert_labelled("card-entry", ["other"]);
    assert_labelled("message-kind", lokal_app::messages::MESSAGE_KINDS);
    assert_labelled("member-delivery", ["delivered", "capped"]);
    assert_labelled("join-channel", ["store-code", "store-page"]);
}
