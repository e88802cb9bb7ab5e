//! The platform's place in the world (the `[site]` section of the configuration): the language
//! pages speak when a visitor has not chosen one, and the city's time zone, in which times are
//! shown when they concern no particular store.

use crate::AppError;
use lokal_i18n::{Lang, Zone};

/// `[site]` as configured.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiteSettings {
    /// The language of visitors who chose none and whose browser asks for none Lokal speaks:
    /// `zh-CN` or `en`.
    pub default_lang: String,
    /// The city's time zone, a name of the tz database (`Asia/Shanghai`).
    pub time_zone: String,
}

impl Default for SiteSettings {
    fn default() -> Self {
        Self { default_lang: "zh-CN".into(), time_zone: "Asia/Shanghai".into() }
    }
}

/// The site settings, checked.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// The default language.
    pub lang: Lang,
    /// The city's time zone.
    pub zone: Zone,
}

impl Site {
    /// Checks the settings: a language Lokal speaks and a zone the tz database knows.
    pub fn new(s: &SiteSettings) -> Result<Site, AppError> {
        let lang = Lang::parse(&s.default_lang)
            .ok_or_else(|| AppError::new(lokal_core::ErrorCode::ValidationFailed, "err-site-default-lang"))?;
        let zone = Zone::named(&s.time_zone)
            .ok_or_else(|| AppError::new(lokal_core::ErrorCode::ValidationFailed, "err-site-time-zone"))?;
        Ok(Site { lang, zone })
    }

    /// The city's offset from UTC now, in minutes: what a new store starts with.
    pub fn offset_minutes_at(&self, ms: i64) -> i32 {
        self.zone.offset_minutes_at(ms)
    }
}
