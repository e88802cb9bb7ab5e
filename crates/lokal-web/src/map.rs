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

/// A pin as drawn on the fallback map (300 × 300 user units, north up).
pub struct Drawn {
    /// x.
    pub x: f64,
    /// y.
    pub y: f64,
    /// The pin.
    pub pin: Pin,
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapBox<'a> {
    nav: &'a Nav,
    map: &'a MapView,
    drawn: Vec<Drawn>,
    pins_json: String,
    scale_m: u32,
    scale_px: f64,
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
                Drawn { x: x.clamp(4.0, 296.0), y: y.clamp(4.0, 296.0), pin: p.clone() }
            })
            .collect();
        #[derive(serde::Serialize)]
        struct PinJson<'a> {
            lat: f64,
            lng: f64,
            label: &'a str,
            href: &'a str,
            kind: &'a str,
        }
        let pins: Vec<PinJson<'_>> = self
            .pins
            .iter()
            .map(|p| PinJson { lat: p.at.lat(), lng: p.at.lng(), label: &p.label, href: &p.href, kind: p.kind })
            .collect();
        let mut pins_json = serde_json::to_string(&pins).unwrap_or_else(|_| "[]".into());
        // Inside a script element: nothing in it may close the element or start markup.
        if pins_json.contains(['<', '>', '&']) {
            pins_json = pins_json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026");
        }
        // A round scale bar about a sixth of the width.
        let target = self.radius_m / 3.0;
        let scale_m = [50u32, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000]
            .into_iter()
            .rev()
            .find(|m| f64::from(*m) <= target)
            .unwrap_or(50);
        let scale_px = f64::from(scale_m) / self.radius_m * 150.0;
        let b = MapBox { nav, map: self, drawn, pins_json, scale_m, scale_px };
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
        // The pins' data reads back as it was, and nothing in it can end its script element.
        let data = html.split("class=\"map-pins\">").nth(1).and_then(|s| s.split("</script>").next()).expect("pins");
        let pins: serde_json::Value = serde_json::from_str(data).expect("json");
        assert_eq!(pins[0]["label"], "重庆火锅 <b>");
        assert!(!html.contains("data-tile-url") && !html.contains("data-pick-lat"));
        assert!(html.contains(" 米") || html.contains("公里"), "the scale speaks Chinese: {html}");
        let tiled = m.clone().picking("lat", "lng").render(&nav("https://tile.example/{z}/{x}/{y}.png"));
        assert!(tiled.contains(r#"data-tile-url="https://tile.example/{z}/{x}/{y}.png""#), "{tiled}");
        assert!(tiled.contains(r#"data-pick-lat="lat""#) && tiled.contains("map-pick-hint"));
    }

    #[test]
    fn a_far_pin_widens_the_map_up_to_a_bound() {
        let c = LatLng::PEOPLES_SQUARE;
        let far = Pin { at: c.offset_m(0.0, 200_000.0), label: String::new(), href: String::new(), kind: "store" };
        assert_eq!(MapView::around("m", c, vec![far], 300.0, String::new()).radius_m, 50_000.0);
    }
}
