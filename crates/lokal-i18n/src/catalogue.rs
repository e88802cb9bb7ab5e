//! The message catalogues: one Fluent bundle per language, built once from the embedded
//! `locales/<lang>/*.ftl` files, and the checks that keep the languages in step.
//!
//! A key missing from a catalogue renders as `⟦key⟧`, which the browser tests look for on
//! every page; [`problems`] (run by this crate's tests) refuses a key present in one language
//! but not the other, a file that does not parse, a key defined twice, and a translation that
//! uses an argument its twin does not know.

use crate::Lang;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use lokal_core::{Msg, MsgArg};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/catalogues.rs"));
}

type Bundle = FluentBundle<FluentResource>;

/// The catalogue files of a language: (file name, text).
pub fn files(lang: Lang) -> &'static [(&'static str, &'static str)] {
    match lang {
        Lang::ZhCn => embedded::ZH_CN,
        Lang::En => embedded::EN,
    }
}

/// A language's catalogue: its Fluent bundle, and its simple messages compiled.
struct Catalogue {
    bundle: Bundle,
    /// The messages whose text is only literal text and arguments (no selector, function or
    /// reference), as pieces: what pages write dozens of times, put together without Fluent's
    /// resolver and to the same text (`simple_messages_render_as_fluent_does` checks every one).
    simple: rustc_hash::FxHashMap<String, Vec<Piece>>,
}

/// A piece of a simple message.
#[derive(Debug)]
enum Piece {
    Text(String),
    Arg(String),
}

fn catalogue(lang: Lang) -> &'static Catalogue {
    static CATALOGUES: OnceLock<[Catalogue; 2]> = OnceLock::new();
    let all = CATALOGUES.get_or_init(|| {
        Lang::ALL.map(|lang| {
            let bundle = build(lang);
            let simple = keys(lang)
                .into_keys()
                .filter_map(|key| {
                    let pattern = bundle.get_message(&key)?.value()?;
                    Some((key, compile(pattern)?))
                })
                .collect();
            Catalogue { bundle, simple }
        })
    });
    &all[lang as usize]
}

fn bundle(lang: Lang) -> &'static Bundle {
    &catalogue(lang).bundle
}

/// The pieces of a pattern made only of text and variable references; `None` for any other.
fn compile(p: &ast::Pattern<&str>) -> Option<Vec<Piece>> {
    p.elements
        .iter()
        .map(|el| match el {
            ast::PatternElement::TextElement { value } => Some(Piece::Text((*value).to_owned())),
            ast::PatternElement::Placeable {
                expression: ast::Expression::Inline(ast::InlineExpression::VariableReference { id }),
            } => Some(Piece::Arg(id.name.to_owned())),
            ast::PatternElement::Placeable { .. } => None,
        })
        .collect()
}

/// A simple message's text with `args` put in; `None` when an argument it names is not given
/// (Fluent then writes what it writes for a missing one).
fn simple_text(pieces: &[Piece], args: &[(&'static str, MsgArg)]) -> Option<String> {
    use std::fmt::Write as _;
    let text_len: usize = pieces.iter().map(|p| if let Piece::Text(t) = p { t.len() } else { 16 }).sum();
    let mut out = String::with_capacity(text_len);
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            // The last of two arguments of one name counts, as in Fluent.
            Piece::Arg(name) => match &args.iter().rfind(|(n, _)| n == name)?.1 {
                MsgArg::Text(t) => out.push_str(t),
                // Fluent numbers are floats: a whole number it writes as it is, unless `grouped`
                // groups it; beyond 2^53 a float is no longer that number, and Fluent decides.
                MsgArg::Int(n) if n.unsigned_abs() < 10_000 => {
                    let _ = write!(out, "{n}");
                }
                MsgArg::Int(n) => {
                    let v = FluentValue::from(*n);
                    match (grouped(&v, &()), &v) {
                        (Some(g), _) => out.push_str(&g),
                        (None, FluentValue::Number(num)) => out.push_str(&num.as_string()),
                        (None, _) => return None,
                    }
                }
                MsgArg::Money(m) => {
                    let _ = lokal_core::money::write_yuan(&mut out, *m);
                }
            },
        }
    }
    Some(out)
}

fn build(lang: Lang) -> Bundle {
    let id = lang.tag().parse().unwrap_or_default();
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // Pages are HTML, not bidirectional text: no isolation marks around arguments.
    b.set_use_isolating(false);
    b.set_formatter(Some(grouped));
    for (_, text) in files(lang) {
        // A broken file still adds what parses; `problems` reports the rest.
        let res = FluentResource::try_new((*text).to_owned()).unwrap_or_else(|(res, _)| res);
        let _ = b.add_resource(res);
    }
    b
}

/// Whole numbers of five digits or more are written with thousands separators (`10,000,000`),
/// the way both languages write limits and counts; smaller ones, and years, as they are.
/// Plural selection still sees the number.
fn grouped<M>(v: &FluentValue<'_>, _: &M) -> Option<String> {
    let FluentValue::Number(n) = v else { return None };
    let x = n.value;
    if x.fract() != 0.0 || x.abs() < 10_000.0 || x.abs() > 9.0e15 || n.options.minimum_fraction_digits.is_some() {
        return None;
    }
    let digits = format!("{}", x.abs() as u64);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if x < 0.0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    Some(out)
}

/// Whether `key` is a catalogue key's shape (kebab-case ASCII), as opposed to a text that was
/// never given a key.
fn is_key(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_lowercase())
        && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// The message `key` with no arguments, in `lang`.
pub fn t(lang: Lang, key: &str) -> String {
    text(lang, key).into_owned()
}

/// The message `key` with no arguments, in `lang`, borrowed from the catalogue when its text
/// is plain (no placeable): what a page writes dozens of times without copying each.
pub fn text(lang: Lang, key: &str) -> Cow<'static, str> {
    let c = catalogue(lang);
    match c.simple.get(key).map(Vec::as_slice) {
        Some([]) => return Cow::Borrowed(""),
        Some([Piece::Text(t)]) => return Cow::Borrowed(t.as_str()),
        _ => {}
    }
    let b = &c.bundle;
    match b.get_message(key).and_then(|m| m.value()) {
        Some(pattern) => {
            let mut errors = Vec::new();
            b.format_pattern(pattern, None, &mut errors)
        }
        None => Cow::Owned(missing(key)),
    }
}

/// What a key no catalogue has renders as: `⟦key⟧` for a key, the text itself for a text that
/// has not been given a key yet.
fn missing(key: &str) -> String {
    if is_key(key) { format!("⟦{key}⟧") } else { key.to_owned() }
}

/// A message in `lang`: its catalogue text with the arguments put in. Money arguments are
/// written the one way Lokal writes money (`¥12.50`).
pub fn render(lang: Lang, msg: &Msg) -> String {
    if msg.args.is_empty() {
        return text(lang, &msg.key).into_owned();
    }
    if let Some(done) = catalogue(lang).simple.get(msg.key.as_ref()).and_then(|p| simple_text(p, &msg.args)) {
        return done;
    }
    fluent_render(lang, msg)
}

/// [`render`] through Fluent's resolver, whatever the message.
fn fluent_render(lang: Lang, msg: &Msg) -> String {
    let mut args = FluentArgs::with_capacity(msg.args.len());
    for (name, value) in &msg.args {
        let v: FluentValue<'_> = match value {
            MsgArg::Text(s) => FluentValue::from(s.as_str()),
            MsgArg::Int(n) => FluentValue::from(*n),
            MsgArg::Money(m) => FluentValue::from(lokal_core::money::yuan(*m)),
        };
        args.set(*name, v);
    }
    format(lang, &msg.key, Some(&args))
}

fn format(lang: Lang, key: &str, args: Option<&FluentArgs<'_>>) -> String {
    let b = bundle(lang);
    match b.get_message(key).and_then(|m| m.value()) {
        Some(pattern) => {
            let mut errors = Vec::new();
            b.format_pattern(pattern, args, &mut errors).into_owned()
        }
        None => missing(key),
    }
}

/// Whether `lang`'s catalogue has the message `key`.
pub fn has(lang: Lang, key: &str) -> bool {
    bundle(lang).has_message(key)
}

/// Every message key of `lang`, with the arguments its text uses.
pub fn keys(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (_, text) in files(lang) {
        let res = FluentResource::try_new((*text).to_owned()).unwrap_or_else(|(res, _)| res);
        for entry in res.entries() {
            if let ast::Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(p) = &m.value {
                    pattern_vars(p, &mut vars);
                }
                out.insert(m.id.name.to_owned(), vars);
            }
        }
    }
    out
}

/// What is wrong with the catalogues, one sentence each; empty when they are in step.
pub fn problems() -> Vec<String> {
    let mut out = Vec::new();
    for lang in Lang::ALL {
        let mut seen = BTreeMap::new();
        for (file, text) in files(lang) {
            let res = match FluentResource::try_new((*text).to_owned()) {
                Ok(r) => r,
                Err((r, errors)) => {
                    out.push(format!("{lang}/{file}: {} syntax error(s), first {:?}", errors.len(), errors[0]));
                    r
                }
            };
            for entry in res.entries() {
                match entry {
                    ast::Entry::Message(m) => {
                        let id = m.id.name;
                        if let Some(first) = seen.insert(id.to_owned(), *file) {
                            out.push(format!("{lang}: `{id}` is defined in {first} and again in {file}"));
                        }
                        if m.value.is_none() {
                            out.push(format!("{lang}/{file}: `{id}` has no text"));
                        }
                        if !is_key(id) {
                            out.push(format!("{lang}/{file}: `{id}` is not a kebab-case key"));
                        }
                    }
                    ast::Entry::Junk { content } => {
                        out.push(format!("{lang}/{file}: cannot read {:?}", content.lines().next().unwrap_or("")));
                    }
                    _ => {}
                }
            }
        }
    }
    let (zh, en) = (keys(Lang::ZhCn), keys(Lang::En));
    for (key, vars) in &zh {
        match en.get(key) {
            None => out.push(format!("`{key}` is in zh-CN but not in en")),
            Some(ev) if ev != vars => {
                out.push(format!("`{key}` uses {vars:?} in zh-CN but {ev:?} in en"));
            }
            Some(_) => {}
        }
    }
    for key in en.keys().filter(|k| !zh.contains_key(*k)) {
        out.push(format!("`{key}` is in en but not in zh-CN"));
    }
    out
}

fn pattern_vars(p: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(e: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for v in variants {
                pattern_vars(&v.value, vars);
            }
        }
        ast::Expression::Inline(i) => inline_vars(i, vars),
    }
}

fn inline_vars(e: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match e {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_owned());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => call_vars(arguments, vars),
        ast::InlineExpression::TermReference { arguments: Some(a), .. } => call_vars(a, vars),
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        _ => {}
    }
}

fn call_vars(a: &ast::CallArguments<&str>, vars: &mut BTreeSet<String>) {
    for p in &a.positional {
        inline_vars(p, vars);
    }
    for n in &a.named {
        inline_vars(&n.value, vars);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogues_are_in_step() {
        let problems = problems();
        assert!(problems.is_empty(), "catalogue problems:\n{}", problems.join("\n"));
    }

    #[test]
    fn both_languages_have_files_of_the_same_names() {
        let names = |l| files(l).iter().map(|(f, _)| *f).collect::<Vec<_>>();
        assert_eq!(names(Lang::ZhCn), names(Lang::En));
        assert!(!names(Lang::ZhCn).is_empty());
    }

    #[test]
    fn messages_render_with_their_arguments_and_missing_keys_show() {
        assert_eq!(t(Lang::ZhCn, "lang-switch"), "语言");
        assert_eq!(t(Lang::En, "lang-switch"), "Language");
        let m = Msg::new("reviews-count").with("n", 1);
        assert_eq!(render(Lang::En, &m), "1 review");
        assert_eq!(render(Lang::En, &Msg::new("reviews-count").with("n", 326)), "326 reviews");
        assert_eq!(render(Lang::ZhCn, &Msg::new("reviews-count").with("n", 326)), "326条评价");
        assert_eq!(t(Lang::En, "no-such-key"), "⟦no-such-key⟧");
        assert_eq!(t(Lang::En, "A sentence without a key."), "A sentence without a key.");
    }

    #[test]
    fn large_whole_numbers_are_grouped_and_still_select_plurals() {
        let m = Msg::new("field-range").with("min", 1).with("max", 10_000_000);
        assert_eq!(render(Lang::En, &m), "must be between 1 and 10,000,000");
        assert_eq!(
            render(Lang::ZhCn, &Msg::new("field-range").with("min", -20_000).with("max", 9_999)),
            "必须在 -20,000 到 9999 之间"
        );
        assert_eq!(render(Lang::En, &Msg::new("reviews-count").with("n", 12_345)), "12,345 reviews");
    }

    #[test]
    fn simple_messages_render_as_fluent_does() {
        let values = [
            MsgArg::Int(0),
            MsgArg::Int(7),
            MsgArg::Int(-20_000),
            MsgArg::Int(12_345_678),
            MsgArg::Text("重庆火锅 <b>&".into()),
            MsgArg::Money(16_850),
            MsgArg::Money(-100),
        ];
        let mut compared = 0;
        for lang in Lang::ALL {
            let c = catalogue(lang);
            for (key, vars) in keys(lang) {
                assert!(c.simple.contains_key(&key) || c.bundle.get_message(&key).is_some(), "{key}");
                let Some(pieces) = c.simple.get(&key) else { continue };
                // Argument names are `&'static str` in a `Msg`: the test's few are leaked.
                let names: Vec<&'static str> = vars.into_iter().map(|v| &*v.leak()).collect();
                for (i, _) in values.iter().enumerate() {
                    let mut m = Msg { key: key.clone().into(), args: Vec::new() };
                    for (j, name) in names.iter().enumerate() {
                        m.args.push((name, values[(i + j) % values.len()].clone()));
                    }
                    assert_eq!(simple_text(pieces, &m.args), Some(fluent_render(lang, &m)), "{lang} {key}");
                    compared += 1;
                }
                // Without its arguments a message reads as Fluent writes it.
                assert_eq!(render(lang, &Msg { key: key.clone().into(), args: Vec::new() }), format(lang, &key, None));
            }
        }
        assert!(compared > 500, "only {compared} renderings compared");
        // A pattern with a selector is not simple, and still selects.
        assert!(!catalogue(Lang::En).simple.contains_key("reviews-count"));
        assert_eq!(render(Lang::En, &Msg::new("reviews-count").with("n", 1)), "1 review");
        // A missing argument falls back to what Fluent writes for one.
        let m = Msg::new("money-amount");
        assert_eq!(render(Lang::En, &m), fluent_render(Lang::En, &m));
    }

    #[test]
    fn money_arguments_are_written_as_yuan() {
        let m = Msg::new("money-amount").money("amount", 16850);
        assert_eq!(render(Lang::ZhCn, &m), "¥168.50");
        assert_eq!(render(Lang::En, &Msg::new("money-amount").money("amount", 16800)), "¥168");
    }
}
