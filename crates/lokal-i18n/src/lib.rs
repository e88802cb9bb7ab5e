//! Lokal's languages: Simplified Chinese first, English second.
//!
//! Everything a person reads comes from here: message catalogues in Fluent syntax
//! (`locales/<lang>/*.ftl`, embedded at build time), the choice of language for a request, and
//! the one way money and local times are written.
//!
//! Layout: [`Lang`] and its negotiation (this file), [`catalogue`] (the bundles, rendering a
//! [`Msg`](lokal_core::Msg) or a key, the checks the tests run), [`format`] (money, dates and
//! times in a place's time zone).

pub mod catalogue;
pub mod format;

pub use catalogue::{render, t, text};
pub use format::Zone;

/// A language Lokal speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Simplified Chinese, as read in mainland China (the platform's first language).
    #[default]
    ZhCn,
    /// English.
    En,
}

impl Lang {
    /// Every language, the first one first.
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    /// The BCP 47 tag (`zh-CN`, `en`), as written in `<html lang>` and in the `lang` cookie.
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The language's own name, as the switch shows it (`中文`, `EN`).
    pub const fn label(self) -> &'static str {
        match self {
            Lang::ZhCn => "中文",
            Lang::En => "EN",
        }
    }

    /// The language a tag asks for, by its primary subtag: every `zh-*` reads the Chinese
    /// catalogue (it is the only Chinese one), every `en-*` the English one; anything else is
    /// not spoken here.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("zh") {
            Some(Lang::ZhCn)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The best language of an `Accept-Language` header (`zh-CN,zh;q=0.9,en;q=0.8`): the spoken
    /// language with the highest weight, the earlier on a tie; `*` and weight 0 choose nothing.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(Lang, u32)> = None;
        for part in header.split(',').take(32) {
            let mut pieces = part.split(';');
            let Some(lang) = pieces.next().and_then(Lang::parse) else { continue };
            let q = pieces.find_map(|p| p.trim().strip_prefix("q=").map(quality)).unwrap_or(Some(1000)).unwrap_or(0);
            if q > 0 && best.is_none_or(|(_, bq)| q > bq) {
                best = Some((lang, q));
            }
        }
        best.map(|(l, _)| l)
    }

    /// The language for one request: the person's saved preference, then the `lang` cookie the
    /// switch sets, then the browser's `Accept-Language`, then the platform's default.
    pub fn negotiate(saved: Option<&str>, cookie: Option<&str>, accept: Option<&str>, default: Lang) -> Lang {
        saved
            .and_then(Lang::parse)
            .or_else(|| cookie.and_then(Lang::parse))
            .or_else(|| accept.and_then(Lang::from_accept_language))
            .unwrap_or(default)
    }
}

/// A quality value `0`…`1` with up to three decimals, in thousandths; `None` if malformed.
fn quality(s: &str) -> Option<u32> {
    let s = s.trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u32 = whole.parse().ok()?;
    let frac: u32 = if frac.is_empty() { 0 } else { format!("{frac:0<3}").parse().ok()? };
    let q = whole.checked_mul(1000)?.checked_add(frac)?;
    (q <= 1000).then_some(q)
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_read_by_their_primary_subtag() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("zh-Hans-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("zh_TW"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("EN-gb"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn accept_language_takes_the_heaviest_spoken_language() {
        assert_eq!(Lang::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_accept_language("fr-FR,fr;q=0.9,en-US;q=0.8,zh;q=0.7"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("en;q=0.5, zh-CN;q=0.6"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_accept_language("zh;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("*"), None);
        assert_eq!(Lang::from_accept_language("en;q=2, zh;q=abc"), None);
        assert_eq!(Lang::from_accept_language(""), None);
    }

    #[test]
    fn the_saved_preference_beats_the_cookie_which_beats_the_browser() {
        let zh = Some("zh-CN");
        let en = Some("en");
        assert_eq!(Lang::negotiate(en, zh, zh, Lang::ZhCn), Lang::En);
        assert_eq!(Lang::negotiate(None, en, zh, Lang::ZhCn), Lang::En);
        assert_eq!(Lang::negotiate(Some("xx"), None, en, Lang::ZhCn), Lang::En);
        assert_eq!(Lang::negotiate(None, None, Some("de"), Lang::En), Lang::En);
        assert_eq!(Lang::negotiate(None, None, None, Lang::ZhCn), Lang::ZhCn);
    }
}
