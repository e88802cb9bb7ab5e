//! Points on the Earth and distances between them, and whether a reported position is believable.
//!
//! Coordinates are validated on construction (a latitude of 95 is refused, not clamped) and
//! stored as integers of 1e-7 degrees (about 1 cm): exact, portable between databases, and
//! comparable without floating-point surprises.

use crate::FieldError;

/// Mean Earth radius in metres (IUGG).
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A valid WGS-84 point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLng {
    lat: f64,
    lng: f64,
}

impl LatLng {
    /// People's Square, Shanghai: the demo city's default centre.
    pub const PEOPLES_SQUARE: LatLng = LatLng { lat: 31.2304, lng: 121.4737 };

    /// A point, or an error naming `lat` or `lng` when out of range or not a number.
    pub fn new(lat: f64, lng: f64) -> Result<Self, FieldError> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(FieldError::new("lat", "field-latitude"));
        }
        if !lng.is_finite() || !(-180.0..=180.0).contains(&lng) {
            return Err(FieldError::new("lng", "field-longitude"));
        }
        Ok(Self { lat, lng })
    }

    /// Latitude in degrees.
    pub fn lat(&self) -> f64 {
        self.lat
    }

    /// Longitude in degrees.
    pub fn lng(&self) -> f64 {
        self.lng
    }

    /// The point as integers of 1e-7 degrees, for storage.
    pub fn to_e7(&self) -> (i64, i64) {
        // In range by construction, so the casts cannot overflow.
        ((self.lat * 1e7).round() as i64, (self.lng * 1e7).round() as i64)
    }

    /// The point from stored 1e-7 degree integers.
    pub fn from_e7(lat: i64, lng: i64) -> Result<Self, FieldError> {
        Self::new(lat as f64 / 1e7, lng as f64 / 1e7)
    }

    /// Great-circle distance in metres (haversine).
    pub fn distance_m(&self, other: &LatLng) -> f64 {
        self.distance_with_cos(self.cos_lat(), other, other.cos_lat())
    }

    /// The cosine of the latitude, which [`LatLng::distance_with_cos`] takes precomputed.
    pub fn cos_lat(&self) -> f64 {
        self.lat.to_radians().cos()
    }

    /// [`LatLng::distance_m`] given both points' [`LatLng::cos_lat`] (an index that measures
    /// many points from one centre computes each cosine once); the same number to the bit.
    pub fn distance_with_cos(&self, cos_self: f64, other: &LatLng, cos_other: f64) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lng - self.lng).to_radians();
        let h = (dp / 2.0).sin().powi(2) + cos_self * cos_other * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
    }

    /// The point `north_m` metres north and `east_m` metres east (small offsets; for generating
    /// street grids and bounding boxes).
    pub fn offset_m(&self, north_m: f64, east_m: f64) -> LatLng {
        let lat = (self.lat + (north_m / EARTH_RADIUS_M).to_degrees()).clamp(-90.0, 90.0);
        let cos = self.lat.to_radians().cos().max(1e-9);
        let mut lng = self.lng + (east_m / (EARTH_RADIUS_M * cos)).to_degrees();
        if lng > 180.0 {
            lng -= 360.0;
        } else if lng < -180.0 {
            lng += 360.0;
        }
        LatLng { lat, lng }
    }
}

/// Why a rider's reported position is not believed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Implausible {
    /// Farther from the city centre than the city reaches, metres.
    OutsideCity(f64),
    /// Moved `metres` in `seconds`: faster than any rider rides.
    TooFast {
        /// Distance from the last report.
        metres: f64,
        /// Time since it.
        seconds: f64,
    },
}

/// Metres a position may wander between two reports at rest (satellite positioning's noise).
pub const POSITION_NOISE_M: f64 = 200.0;

/// Checks a rider's report at `to` (at `at_ms`) against the city (`radius_m` around `centre`)
/// and against the last report (`last`, with its time): the distance may not exceed what
/// `max_kmh` covers in the time between, plus [`POSITION_NOISE_M`].
pub fn check_position(
    centre: &LatLng,
    radius_m: f64,
    last: Option<(LatLng, i64)>,
    to: &LatLng,
    at_ms: i64,
    max_kmh: f64,
) -> Result<(), Implausible> {
    let from_centre = centre.distance_m(to);
    if from_centre > radius_m {
        return Err(Implausible::OutsideCity(from_centre));
    }
    if let Some((at, then)) = last {
        let metres = at.distance_m(to);
        let seconds = ((at_ms - then).max(0) as f64) / 1000.0;
        if metres > max_kmh / 3.6 * seconds + POSITION_NOISE_M {
            return Err(Implausible::TooFast { metres, seconds });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_must_be_in_the_city_and_reachable_since_the_last_one() {
        let centre = LatLng::PEOPLES_SQUARE;
        let near = centre.offset_m(1_000.0, 0.0);
        assert_eq!(check_position(&centre, 100_000.0, None, &near, 0, 60.0), Ok(()));
        let beijing = LatLng::new(39.9042, 116.4074).expect("point");
        assert!(matches!(
            check_position(&centre, 100_000.0, None, &beijing, 0, 60.0),
            Err(Implausible::OutsideCity(_))
        ));
        // 1 km in a minute is 60 km/h: allowed at 60, refused at 30 (beyond noise), and 150 m
        // at once is noise.
        let last = Some((centre, 0));
        assert_eq!(check_position(&centre, 100_000.0, last, &near, 60_000, 60.0), Ok(()));
        assert!(matches!(
            check_position(&centre, 100_000.0, last, &near, 60_000, 30.0),
            Err(Implausible::TooFast { .. })
        ));
        assert_eq!(check_position(&centre, 100_000.0, last, &centre.offset_m(150.0, 0.0), 0, 30.0), Ok(()));
        let jump = centre.offset_m(20_000.0, 0.0);
        assert!(check_position(&centre, 100_000.0, last, &jump, 60_000, 60.0).is_err(), "20 km in a minute");
    }

    use proptest::prelude::*;

    #[test]
    fn out_of_range_coordinates_name_their_field() {
        assert_eq!(LatLng::new(95.0, 0.0).expect_err("lat").field, "lat");
        assert_eq!(LatLng::new(0.0, 181.0).expect_err("lng").field, "lng");
        assert_eq!(LatLng::new(f64::NAN, 0.0).expect_err("nan").field, "lat");
    }

    #[test]
    fn known_distance_shanghai_people_square_to_the_bund() {
        let square = LatLng::new(31.2304, 121.4737).expect("valid");
        let bund = LatLng::new(31.2400, 121.4900).expect("valid");
        let d = square.distance_m(&bund);
        assert!((1_850.0..1_950.0).contains(&d), "{d}");
    }

    proptest! {
        #[test]
        fn e7_round_trip_is_within_a_centimetre(lat in -90.0f64..=90.0, lng in -180.0f64..=180.0) {
            let p = LatLng::new(lat, lng).expect("valid");
            let (a, b) = p.to_e7();
            let q = LatLng::from_e7(a, b).expect("valid");
            prop_assert!(p.distance_m(&q) < 0.02);
        }

        #[test]
        fn distance_is_symmetric_and_offsets_are_measured_back(lat in -60.0f64..60.0, lng in -170.0f64..170.0, n in -3000.0f64..3000.0, e in -3000.0f64..3000.0) {
            let p = LatLng::new(lat, lng).expect("valid");
            let q = p.offset_m(n, e);
            prop_assert!((p.distance_m(&q) - q.distance_m(&p)).abs() < 1e-6);
            let expected = (n * n + e * e).sqrt();
            prop_assert!((p.distance_m(&q) - expected).abs() < 0.01 * expected + 0.5);
        }
    }
}

/// A simple polygon (a delivery area): 3 to 200 vertices, no self-crossing, not degenerate.
/// Areas are city-sized, so containment is computed on the plane of latitude and longitude.
#[derive(Debug, Clone, PartialEq)]
pub struct Polygon {
    ring: Vec<LatLng>,
}

fn cross(o: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
}

fn segments_cross(p1: (f64, f64), p2: (f64, f64), q1: (f64, f64), q2: (f64, f64)) -> bool {
    let d1 = cross(q1, q2, p1);
    let d2 = cross(q1, q2, p2);
    let d3 = cross(p1, p2, q1);
    let d4 = cross(p1, p2, q2);
    ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0)) && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
}

impl Polygon {
    /// Checks `points` (`[lat, lng]` pairs) for field `field`; a closing point equal to the first
    /// is allowed and dropped.
    pub fn new(field: &str, points: &[(f64, f64)]) -> Result<Self, FieldError> {
        let mut ring = Vec::with_capacity(points.len());
        for (i, (lat, lng)) in points.iter().enumerate() {
            let p = LatLng::new(*lat, *lng).map_err(|e| e.under(&format!("{field}[{i}]")))?;
            ring.push(p);
        }
        if ring.len() > 3 && ring.first() == ring.last() {
            ring.pop();
        }
        if !(3..=200).contains(&ring.len()) {
            return Err(FieldError::new(field, crate::Msg::new("field-points").with("min", 3).with("max", 200)));
        }
        let xy: Vec<(f64, f64)> = ring.iter().map(|p| (p.lng, p.lat)).collect();
        let n = xy.len();
        for i in 0..n {
            for j in i + 1..n {
                // Neighbouring edges share a vertex; they cannot cross properly.
                if j == i + 1 || (i == 0 && j == n - 1) {
                    continue;
                }
                if segments_cross(xy[i], xy[(i + 1) % n], xy[j], xy[(j + 1) % n]) {
                    return Err(FieldError::new(field, "field-area-crosses-itself"));
                }
            }
        }
        // Checked after crossings: a bow tie's two halves cancel to zero area.
        let area2: f64 = (0..xy.len()).map(|i| cross((0.0, 0.0), xy[i], xy[(i + 1) % xy.len()])).sum();
        if area2.abs() < 1e-12 {
            return Err(FieldError::new(field, "field-area-empty"));
        }
        Ok(Self { ring })
    }

    /// The vertices.
    pub fn points(&self) -> &[LatLng] {
        &self.ring
    }

    /// Whether `p` lies inside (ray casting).
    pub fn contains(&self, p: &LatLng) -> bool {
        let (x, y) = (p.lng, p.lat);
        let mut inside = false;
        let n = self.ring.len();
        for i in 0..n {
            let (a, b) = (&self.ring[i], &self.ring[(i + n - 1) % n]);
            if (a.lat > y) != (b.lat > y) && x < (b.lng - a.lng) * (y - a.lat) / (b.lat - a.lat) + a.lng {
                inside = !inside;
            }
        }
        inside
    }
}

#[cfg(test)]
mod polygon_tests {
    use super::*;

    fn square() -> Vec<(f64, f64)> {
        vec![(31.22, 121.46), (31.22, 121.48), (31.24, 121.48), (31.24, 121.46)]
    }

    #[test]
    fn points_inside_and_outside() {
        let poly = Polygon::new("area", &square()).expect("valid");
        assert!(poly.contains(&LatLng::new(31.23, 121.47).expect("p")));
        assert!(!poly.contains(&LatLng::new(31.25, 121.47).expect("p")));
        let mut closed = square();
        closed.push(square()[0]);
        assert_eq!(Polygon::new("area", &closed).expect("closed ring").points().len(), 4);
    }

    #[test]
    fn malformed_polygons_name_the_problem() {
        assert_eq!(Polygon::new("area", &square()[..2]).expect_err("few").field, "area");
        let bowtie = vec![(31.22, 121.46), (31.24, 121.48), (31.22, 121.48), (31.24, 121.46)];
        assert_eq!(Polygon::new("area", &bowtie).expect_err("crossing").msg.key, "field-area-crosses-itself");
        let line = vec![(31.22, 121.46), (31.23, 121.47), (31.24, 121.48)];
        assert_eq!(Polygon::new("area", &line).expect_err("flat").msg.key, "field-area-empty");
        let bad = vec![(31.22, 121.46), (95.0, 121.48), (31.24, 121.48)];
        assert_eq!(Polygon::new("area", &bad).expect_err("lat").field, "area[1].lat");
    }
}
