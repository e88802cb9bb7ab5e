//! Maps on pages: one [`MapView`] per map, rendered by `templates/map.html` into a box that
//! `static/map.js` turns into a Leaflet map over the configured tiles (`[maps] tile_url`), with
//! Lokal's own drawn SVG map inside as the fallback when no tiles are configured, scripts are
//! off or the tile server cannot be reached. A map may also let the person place a pin (an
//! address, a store), filling two form fields: nobody types coordinates.

use crate::page::Nav;
use askama::Template;
use lokal_core::geo::LatLng;

/// A pin on a map.
#[derive(Debug, Clone)]
pub struct Pin {
    /// Where.
    pub at: LatLng,
    /// Its name (shown on hover and to screen readers).
    pub label: String,
    /// Where a click goes, if anywhere.
    pub href: String,
    /// `store`, `me` (the person), `rider`, `drop` (a delivery address): its look.
    pub kind: &'static str,
}

/// A map to show.
#[derive(Debug, Clone)]
pub struct MapView {
    /// The element id (unique on the page).
    pub id: String,
    /// The centre.
    pub center: LatLng,
    /// Metres from the centre to the drawn map's edge.
    pub radius_m: f64,
    /// The pins.
    pub pins: Vec<Pin>,
    /// For placing a pin: the ids of the latitude and longitude inputs it fills.
    pub pick: Option<(String, String)>,
    /// What the map shows, for screen readers.
    pub label: String,
}

/// A pin as drawn on the fallback map (300 × 300 user units, north up). Its place is written
/// on it too (`data-at`), from which `map.js` puts it on a tiled map: the drawn pins are the
/// one list of a map's pins.
pub struct Drawn<'a> {
    /// x.
    pub x: Tenths,
    /// y.
    pub y: Tenths,
    /// Where it is: `31.230400,121.473700`.
    pub at: At,
    /// The pin.
    pub pin: &'a Pin,
}

/// A place written to a millionth of a degree (about 0.1 m), without formatting floats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At(i64, i64);

impl At {
    /// `p` rounded to millionths of a degree.
    pub fn of(p: &LatLng) -> At {
        At((p.lat() * 1e6).round() as i64, (p.lng() * 1e6).round() as i64)
    }
}

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write_fixed(f, self.0, 6)?;
        f.write_str(",")?;
        write_fixed(f, self.1, 6)
    }
}

/// A coordinate of the drawn map to a tenth of a unit, written `12.3` (what `{:.1}` writes,
/// without formatting a float for every pin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tenths(i64);

impl Tenths {
    /// `v` rounded to a tenth.
    pub fn of(v: f64) -> Tenths {
        Tenths((v * 10.0).round() as i64)
    }

    /// Hundredths (a rating × 100) to the nearest tenth, halves away from zero: `445` is
    /// `4.5`, `435` is `4.4`, in whole numbers (a float of 4.35 is a little under it).
    pub fn from_hundredths(x100: i64) -> Tenths {
        Tenths((x100 + 5 * x100.signum()) / 10)
    }
}

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write_fixed(f, self.0, 1)
    }
}

/// Writes `v` ÷ 10^`decimals` with exactly `decimals` decimals (`-12.5` for `(-125, 1)`), digit
/// by digit: a map writes hundreds of these, and `write!` with zero padding costs several times
/// as much.
fn write_fixed(w: &mut impl std::fmt::Write, v: i64, decimals: usize) -> std::fmt::Result {
    let mut buf = [0u8; 48];
    let mut i = buf.len();
    let mut n = v.unsigned_abs();
    let decimals = decimals.min(24);
    for _ in 0..decimals {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    if decimals > 0 {
        i -= 1;
        buf[i] = b'.';
    }
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    w.write_str(std::str::from_utf8(&buf[i..]).unwrap_or_default())
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapBox<'a> {
    nav: &'a Nav,
    map: &'a MapView,
    drawn: Vec<Drawn<'a>>,
    scale_m: u32,
    /// Where the scale bar ends.
    scale_end: Tenths,
}

/// Metres per degree of latitude.
const M_PER_DEG: f64 = 111_320.0;

impl MapView {
    /// A map of `pins` around `center`, wide enough to hold them (at least `min_radius_m`).
    pub fn around(id: &str, center: LatLng, pins: Vec<Pin>, min_radius_m: f64, label: String) -> MapView {
        let far = pins.iter().map(|p| center.distance_m(&p.at)).fold(0.0f64, f64::max);
        let radius_m = (far * 1.15).max(min_radius_m).min(50_000.0);
        MapView { id: id.into(), center, radius_m, pins, pick: None, label }
    }

    /// The same map letting the person place a pin into the inputs `lat_id` and `lng_id`.
    #[must_use]
    pub fn picking(mut self, lat_id: &str, lng_id: &str) -> MapView {
        self.pick = Some((lat_id.into(), lng_id.into()));
        self
    }

    fn project(&self, p: &LatLng) -> (f64, f64) {
        let north = (p.lat() - self.center.lat()) * M_PER_DEG;
        let east = (p.lng() - self.center.lng()) * M_PER_DEG * self.center.lat().to_radians().cos();
        (150.0 + east / self.radius_m * 150.0, 150.0 - north / self.radius_m * 150.0)
    }

    /// The map's markup, in the page's language.
    pub fn render(&self, nav: &Nav) -> String {
        let drawn = self
            .pins
            .iter()
            .map(|p| {
                let (x, y) = self.project(&p.at);
                Drawn {
                    x: Tenths::of(x.clamp(4.0, 296.0)),
                    y: Tenths::of(y.clamp(4.0, 296.0)),
                    at: At::of(&p.at),
                    pin: p,
                }
            })
            .collect();
        // A round scale bar about a sixth of the width.
        let target = self.radius_m / 3.0;
        let scale_m = [50u32, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000]
            .into_iter()
            .rev()
            .find(|m| f64::from(*m) <= target)
            .unwrap_or(50);
        let scale_px = f64::from(scale_m) / self.radius_m * 150.0;
        let b = MapBox { nav, map: self, drawn, scale_m, scale_end: Tenths::of(12.0 + scale_px) };
        b.render().unwrap_or_default()
    }
}

/// `350 m`, `1.2 km` in the page's language.
pub fn distance_text(nav: &Nav, m: f64) -> String {
    if m < 1000.0 {
        nav.t1("map-metres", "n", (m.round() as i64).max(0))
    } else {
        nav.t1("map-kilometres", "km", format!("{:.1}", m / 1000.0))
    }
}

/// The scale bar's label: `200 m`, `1 km`.
pub fn scale_label(nav: &Nav, m: u32) -> String {
    if m < 1000 { nav.t1("map-metres", "n", m) } else { nav.t1("map-kilometres", "km", (m / 1000).to_string()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nav(tiles: &str) -> Nav {
        let mut nav = Nav::bare(lokal_i18n::Lang::ZhCn);
        nav.maps = std::sync::Arc::new(lokal_app::site::MapSettings { tile_url: tiles.into(), ..Default::default() });
        nav
    }

    #[test]
    fn a_map_draws_its_pins_and_offers_tiles_only_when_configured() {
        let c = LatLng::PEOPLES_SQUARE;
        let pins = vec![
            Pin {
                at: c.offset_m(500.0, 0.0), label: "重庆火锅 <b>".into(), href: "/stores/x".into(), kind: "store"
            },
            Pin { at: c, label: "我".into(), href: String::new(), kind: "me" },
        ];
        let m = MapView::around("m1", c, pins, 300.0, "附近的店".into());
        assert!(m.radius_m >= 500.0);
        let html = m.render(&nav(""));
        assert!(html.contains(r#"id="m1""#) && html.contains("附近的店"));
        assert!(!html.contains("<b>"), "labels are escaped");
        // Each drawn pin says where it is, for the tiled map.
        let at = At::of(&c.offset_m(500.0, 0.0)).to_string();
        assert!(html.contains(&format!(r#"data-at="{at}""#)), "{html}");
        assert!(html.contains(r#"data-at="31.230400,121.473700""#), "{html}");
        assert!(
            html.contains("<title>重庆火锅 &#60;b&#62;</title>") || html.contains("<title>重庆火锅 &lt;b&gt;</title>"),
            "{html}"
        );
        assert!(!html.contains("data-tile-url") && !html.contains("data-pick-lat"));
        assert!(html.contains(" 米") || html.contains("公里"), "the scale speaks Chinese: {html}");
        let tiled = m.clone().picking("lat", "lng").render(&nav("https://tile.example/{z}/{x}/{y}.png"));
        assert!(tiled.contains(r#"data-tile-url="https://tile.example/{z}/{x}/{y}.png""#), "{tiled}");
        assert!(tiled.contains(r#"data-pick-lat="lat""#) && tiled.contains("map-pick-hint"));
    }

    #[test]
    fn tenths_are_written_as_a_float_with_one_decimal_would_be() {
        for v in [0.0, 4.0, 12.34, 12.35, 150.0, 295.96, 296.0, -3.26, -0.04] {
            let want = format!("{v:.1}");
            let got = Tenths::of(v).to_string();
            // `{:.1}` rounds halves to even and may keep `-0.0`; tenths round half away from zero.
            let (g, w): (f64, f64) = (got.parse().expect("a number"), want.parse().expect("a number"));
            let close = (g - w).abs() <= 0.1 + 1e-9;
            assert!(close, "{v}: {got} vs {want}");
        }
        assert_eq!(Tenths::of(12.34).to_string(), "12.3");
        assert_eq!(Tenths::of(296.0).to_string(), "296.0");
        assert_eq!(Tenths::of(-3.26).to_string(), "-3.3");
        assert_eq!(Tenths::of(0.96).to_string(), "1.0");
        assert_eq!(Tenths::from_hundredths(445).to_string(), "4.5");
        assert_eq!(Tenths::from_hundredths(435).to_string(), "4.4");
        assert_eq!(Tenths::from_hundredths(434).to_string(), "4.3");
        assert_eq!(Tenths::from_hundredths(500).to_string(), "5.0");
        assert_eq!(Tenths::from_hundredths(-445).to_string(), "-4.5");
    }

    #[test]
    fn fixed_point_numbers_are_written_as_format_writes_them() {
        for v in [0i64, 5, -5, 9, 10, 99, 100, 123_456, -123_456, 1_000_000, 31_230_400, i64::MAX, i64::MIN + 1] {
            for d in [0usize, 1, 2, 6] {
                let mut got = String::new();
                write_fixed(&mut got, v, d).expect("written");
                let p = 10u128.pow(d as u32);
                let (whole, frac) = (u128::from(v.unsigned_abs()) / p, u128::from(v.unsigned_abs()) % p);
                let sign = if v < 0 { "-" } else { "" };
                let want = if d == 0 { format!("{sign}{whole}.") } else { format!("{sign}{whole}.{frac:0d$}") };
                assert_eq!(got, want.trim_end_matches('.'), "{v} with {d} decimals");
            }
        }
    }

    #[test]
    fn places_are_written_to_a_millionth_of_a_degree() {
        let p = LatLng::new(31.2304, 121.4737).expect("a place");
        assert_eq!(At::of(&p).to_string(), "31.230400,121.473700");
        let south_west = LatLng::new(-33.868_819_7, -0.000_000_4).expect("a place");
        assert_eq!(At::of(&south_west).to_string(), "-33.868820,0.000000");
        let west = LatLng::new(0.5, -70.25).expect("a place");
        assert_eq!(At::of(&west).to_string(), "0.500000,-70.250000");
    }

    #[test]
    fn a_far_pin_widens_the_map_up_to_a_bound() {
        let c = LatLng::PEOPLES_SQUARE;
        let far = Pin { at: c.offset_m(0.0, 200_000.0), label: String::new(), href: String::new(), kind: "store" };
        assert_eq!(MapView::around("m", c, vec![far], 300.0, String::new()).radius_m, 50_000.0);
    }
}
