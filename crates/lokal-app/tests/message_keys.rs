//! No message reaches a person without a catalogue key: every string literal the core, the use
//! cases, the API and the store give as a message (`AppError::new`, `ApiError::new`,
//! `FieldError::new`, `refusal(`, `conflict(`, `not_reviewable(`, `bad_signature(`,
//! `unique_conflict(`, `Msg::new`) is a key of both catalogues, and every kind of
//! `AppError::not_found("…")` named anywhere (pages included) has its `not-found-<kind>` text.
//! (A text made at run time cannot be a message at all: `Msg` has no `From<String>`.)
//!
//! Also renders a few messages in both languages, to show the selectors and arguments work.

use lokal_core::Msg;
use lokal_i18n::{Lang, catalogue, render};
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The sources of `krate`'s library, each without its unit tests (test code builds messages
/// to check them, and asserts on fields).
fn sources(krate: &str) -> Vec<(PathBuf, String)> {
    let mut paths = Vec::new();
    files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(krate).join("src"), &mut paths);
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            let code = text.split("#[cfg(test)]").next().unwrap_or("").to_owned();
            (p, code)
        })
        .collect()
}

/// The top-level arguments of each call that starts at an occurrence of `opener` (which ends
/// with `(`), as source text; string literals are kept whole.
fn calls<'a>(text: &'a str, opener: &str) -> Vec<Vec<&'a str>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(opener) {
        let start = from + i;
        from = start + opener.len();
        let before = text[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let bytes = text.as_bytes();
        let (mut depth, mut k, mut arg_start) = (1, from, from);
        let mut args = Vec::new();
        while k < bytes.len() && depth > 0 {
            match bytes[k] {
                b'"' => {
                    k += 1;
                    while k < bytes.len() && bytes[k] != b'"' {
                        if bytes[k] == b'\\' {
                            k += 1;
                        }
                        k += 1;
                    }
                }
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        args.push(text[arg_start..k].trim());
                    }
                }
                b',' if depth == 1 => {
                    args.push(text[arg_start..k].trim());
                    arg_start = k + 1;
                }
                _ => {}
            }
            k += 1;
        }
        args.retain(|a| !a.is_empty());
        out.push(args);
    }
    out
}

/// The text of `arg` if it is a plain string literal.
fn literal(arg: &str) -> Option<&str> {
    arg.strip_prefix('"')?.strip_suffix('"').filter(|s| !s.contains('"'))
}

fn is_key(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The call shapes that take a message, and which argument (from the end) is the message.
const SHAPES: &[(&str, usize)] = &[
    ("AppError::new(", 0),
    ("ApiError::new(", 0),
    ("FieldError::new(", 0),
    ("Msg::new(", 0),
    ("Msg::from(", 0),
    ("refusal(", 0),
    ("conflict(", 0),
    ("not_reviewable(", 0),
    ("bad_signature(", 0),
    ("unique_conflict(", 0),
    ("no(", 0),
    ("bad(", 0),
];

#[test]
fn every_message_given_below_the_pages_is_a_key_of_both_catalogues() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for krate in ["lokal-core", "lokal-app", "lokal-api", "lokal-store"] {
        for (path, code) in sources(krate) {
            let name = path.display().to_string();
            for (opener, from_end) in SHAPES {
                for args in calls(&code, opener) {
                    let Some(arg) = args.len().checked_sub(1 + from_end).and_then(|i| args.get(i)) else { continue };
                    // `FieldError::new(field, msg)`: a single argument is a field, not a message.
                    if args.len() < 2 && matches!(*opener, "FieldError::new(" | "AppError::new(" | "ApiError::new(") {
                        continue;
                    }
                    if !arg.contains("Msg::") && (arg.starts_with("format!(") || arg.ends_with(".to_string()")) {
                        problems.push(format!("{name}: {opener}… builds its message from text: {arg}"));
                        continue;
                    }
                    let Some(text) = literal(arg) else { continue };
                    checked += 1;
                    if !is_key(text) {
                        problems.push(format!("{name}: {opener}… is given a sentence, not a key: \"{text}\""));
                        continue;
                    }
                    for lang in Lang::ALL {
                        if !catalogue::has(lang, text) {
                            problems.push(format!("{name}: `{text}` is not in the {lang} catalogue"));
                        }
                    }
                }
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "messages without a catalogue key:\n{}", problems.join("\n"));
    assert!(checked > 300, "the scan checked only {checked} messages: is it reading the sources?");
}

#[test]
fn every_kind_of_not_found_has_its_text() {
    let mut missing = Vec::new();
    let mut kinds = 0;
    for krate in ["lokal-core", "lokal-app", "lokal-api", "lokal-store", "lokal-web"] {
        for (path, code) in sources(krate) {
            for args in calls(&code, "not_found(") {
                let Some(kind) = args.first().and_then(|a| literal(a)) else { continue };
                kinds += 1;
                let key = lokal_app::error::not_found_key(kind);
                for lang in Lang::ALL {
                    if !catalogue::has(lang, &key) {
                        missing.push(format!("{}: `{key}` is not in {lang}", path.display()));
                    }
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "kinds of not found without a text:\n{}", missing.join("\n"));
    assert!(kinds > 50, "the scan found only {kinds} not_found calls");
    assert!(catalogue::has(Lang::ZhCn, "not-found") && catalogue::has(Lang::En, "not-found"));
}

#[test]
fn the_scan_sees_sentences_and_accepts_keys() {
    let code = r#"AppError::new(ErrorCode::SoldOut, "this deal is sold out"); FieldError::new("note", "field-required");
        FieldError::new(format!("lines[{i}]"), Msg::new("field-range").with("min", 1)); refusal(code, "mode", "err-x")"#;
    let a = calls(code, "AppError::new(");
    assert_eq!(a, vec![vec!["ErrorCode::SoldOut", "\"this deal is sold out\""]]);
    assert!(!is_key(literal(a[0][1]).expect("literal")));
    let f = calls(code, "FieldError::new(");
    assert_eq!(f[0][1], "\"field-required\"");
    assert_eq!(f[1][0], "format!(\"lines[{i}]\")");
    assert_eq!(calls(code, "refusal(")[0][2], "\"err-x\"");
}

#[test]
fn refusals_read_naturally_in_both_languages() {
    let zh = |m: &Msg| render(Lang::ZhCn, m);
    let en = |m: &Msg| render(Lang::En, m);
    let below = Msg::new("err-below-minimum-order").money("min", 2000).money("subtotal", 1550);
    assert_eq!(zh(&below), "未达起送价 ¥20（当前 ¥15.50）");
    assert_eq!(en(&below), "the minimum for delivery is ¥20; the cart has ¥15.50");
    let status = Msg::new("err-order-status").with("status", "ready");
    assert_eq!(zh(&status), "订单已出餐，暂时无法进行此操作");
    assert_eq!(en(&status), "the order is ready: this cannot be done now");
    let mode = Msg::new("err-mode-not-offered").with("mode", "dine_in");
    assert_eq!(
        (zh(&mode).as_str(), en(&mode).as_str()),
        ("该门店暂不支持堂食点餐", "this store does not offer dine-in")
    );
    let left = Msg::new("err-voucher-uses-left").with("n", 1);
    assert_eq!((zh(&left).as_str(), en(&left).as_str()), ("该券仅剩 1 次可用", "only 1 use left"));
    assert_eq!(en(&Msg::new("err-voucher-uses-left").with("n", 2)), "only 2 uses left");
    let years = Msg::new("field-within-years").with("n", 2);
    assert_eq!((zh(&years).as_str(), en(&years).as_str()), ("必须在 2 年以内", "must be within two years"));
    assert_eq!(en(&lokal_core::field::amount_between(0, 10_000_000)), "must be between 0 and 10,000,000 minor units");
    assert_eq!(en(&Msg::new("field-mode-pay-at-store")), "pay a bill with POST /api/v1/stores/{id}/bills");
    assert_eq!(zh(&Msg::new("not-found-membership-card")), "会员卡不存在");
    assert_eq!(zh(&lokal_app::AppError::not_found("membership card").msg), "会员卡不存在");
    assert_eq!(zh(&Msg::new("err-voucher-used")), "券码已核销");
    let item = Msg::new("err-item-few-left").with("n", 2).with("item", "毛肚");
    assert_eq!(zh(&item), "毛肚仅剩 2 份");
}
