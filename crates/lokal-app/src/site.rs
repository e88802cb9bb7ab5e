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
    /// The city centre, `lat,lng`: where pages start when a visitor shares no location.
    pub center: String,
    /// A live site with real money: the sandbox payment gateway is refused at start.
    pub production: bool,
}

impl Default for SiteSettings {
    fn default() -> Self {
        Self {
            default_lang: "zh-CN".into(),
            time_zone: "Asia/Shanghai".into(),
            center: "31.2304,121.4737".into(),
            production: false,
        }
    }
}

/// `[maps]`: where map tiles come from. With no `tile_url`, or when its tiles cannot be loaded,
/// pages show Lokal's own drawn map.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MapSettings {
    /// An XYZ tile URL template, e.g. `https://tile.openstreetmap.org/{z}/{x}/{y}.png`, or an
    /// AMap-compatible one with `{s}` for its subdomains.
    pub tile_url: String,
    /// The letters or digits `{s}` takes (`abc`, `1234`).
    pub subdomains: String,
    /// The attribution the tiles' licence asks for (`© OpenStreetMap contributors`).
    pub attribution: String,
    /// The coordinate system of the tiles: `wgs84` (OpenStreetMap, the default) or `gcj02` (the
    /// system Chinese map providers such as AMap and Tencent must use); Lokal keeps WGS-84 and
    /// shifts its pins onto `gcj02` tiles.
    pub crs: String,
}

/// The site settings, checked.
#[derive(Debug, Clone)]
pub struct Site {
    /// The default language.
    pub lang: Lang,
    /// The city's time zone.
    pub zone: Zone,
    /// The city centre.
    pub center: lokal_core::geo::LatLng,
    /// Map tiles.
    pub maps: std::sync::Arc<MapSettings>,
}

impl Default for Site {
    fn default() -> Self {
        Site {
            lang: Lang::default(),
            zone: Zone::default(),
            center: lokal_core::geo::LatLng::PEOPLES_SQUARE,
            maps: std::sync::Arc::default(),
        }
    }
}

impl Site {
    /// Checks the settings: a language Lokal speaks and a zone the tz database knows.
    pub fn new(s: &SiteSettings, maps: &MapSettings) -> Result<Site, AppError> {
        let lang = Lang::parse(&s.default_lang)
            .ok_or_else(|| AppError::new(lokal_core::ErrorCode::ValidationFailed, "err-site-default-lang"))?;
        let zone = Zone::named(&s.time_zone)
            .ok_or_else(|| AppError::new(lokal_core::ErrorCode::ValidationFailed, "err-site-time-zone"))?;
        let bad_center = || AppError::new(lokal_core::ErrorCode::ValidationFailed, "err-site-center");
        let (lat, lng) = s.center.split_once(',').ok_or_else(bad_center)?;
        let (lat, lng) = (
            lat.trim().parse::<f64>().map_err(|_| bad_center())?,
            lng.trim().parse::<f64>().map_err(|_| bad_center())?,
        );
        let center = lokal_core::geo::LatLng::new(lat, lng).map_err(|_| bad_center())?;
        if !matches!(maps.crs.as_str(), "" | "wgs84" | "gcj02") {
            return Err(AppError::new(lokal_core::ErrorCode::ValidationFailed, "err-maps-crs"));
        }
        let url = &maps.tile_url;
        let url_ok =
            url.is_empty() || url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/');
        if !url_ok {
            return Err(AppError::new(lokal_core::ErrorCode::ValidationFailed, "err-maps-tile-url"));
        }
        Ok(Site { lang, zone, center, maps: std::sync::Arc::new(maps.clone()) })
    }

    /// The city's offset from UTC now, in minutes: what a new store starts with.
    pub fn offset_minutes_at(&self, ms: i64) -> i32 {
        self.zone.offset_minutes_at(ms)
    }
}
