//! Points on the Earth and distances between them.
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
            return Err(FieldError::new("lat", "must be a latitude between -90 and 90"));
        }
        if !lng.is_finite() || !(-180.0..=180.0).contains(&lng) {
            return Err(FieldError::new("lng", "must be a longitude between -180 and 180"));
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
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lng - self.lng).to_radians();
        let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
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

#[cfg(test)]
mod tests {
    use super::*;
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
