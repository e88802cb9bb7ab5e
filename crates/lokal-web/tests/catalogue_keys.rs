//! Every catalogue key the code or a template names exists in both catalogues (zh-CN and en),
//! and every word a page labels through `Nav::label` has its label.
//!
//! The scan reads the sources of every crate: `t("…")`, `t1("…"`, `t2("…"` (pages and
//! templates) and `Msg::new("…")` (messages built below the edge).

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
    use lokal_core::crm::Segment;
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
fn every_word_of_ordering_reviews_cards_and_chat_has_a_label() {
    use lokal_core::fulfil::Mode;
    // The steps of an order's timeline, and the one shown for a step not listed.
    assert_labelled("order-event", lokal_web::ordering::ORDER_EVENTS);
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
