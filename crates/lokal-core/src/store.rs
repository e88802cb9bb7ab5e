//! What a store is to the people looking for it: category, place, hours, price, services.
//! [`StoreProfile::parse`] turns the JSON a merchant sends into checked values, naming the field
//! of the first problem.

use crate::FieldError;
use crate::account::{DisplayName, Phone};
use crate::geo::{LatLng, Polygon};
use crate::hours::{OpeningHours, OpeningHoursJson};

/// What kind of business a store is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Restaurants, cafés, tea, bakeries.
    Food,
    /// Hair, nails, spa, massage.
    Beauty,
    /// Cinema, KTV, games, sports.
    Leisure,
    /// Hotels and guesthouses.
    Hotel,
    /// Shops and supermarkets.
    Retail,
    /// Laundry, repairs, pets, education.
    Services,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 6] =
        [Category::Food, Category::Beauty, Category::Leisure, Category::Hotel, Category::Retail, Category::Services];

    /// The stable name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Category::Food => "food",
            Category::Beauty => "beauty",
            Category::Leisure => "leisure",
            Category::Hotel => "hotel",
            Category::Retail => "retail",
            Category::Services => "services",
        }
    }

    /// Parses a stable name; an unknown one is an error naming `field`.
    pub fn parse(field: &str, s: &str) -> Result<Category, FieldError> {
        Category::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| {
            FieldError::new(
                field,
                crate::Msg::new("field-one-of").with("choices", "food, beauty, leisure, hotel, retail, services"),
            )
        })
    }
}

/// A point as sent and shown in the API.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LatLngJson {
    /// Latitude, -90 to 90.
    pub lat: f64,
    /// Longitude, -180 to 180.
    pub lng: f64,
}

/// A store's public profile as a merchant sends it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StoreProfileJson {
    /// The store's name, 1 to 64 characters.
    #[schema(example = "Jiefangbei store")]
    pub name: String,
    /// `food` (default), `beauty`, `leisure`, `hotel`, `retail` or `services`.
    pub category: Option<String>,
    /// Street address.
    pub address: Option<String>,
    /// Where the store is. Without it the store is not found by nearby search.
    pub location: Option<LatLngJson>,
    /// Contact phone.
    pub phone: Option<String>,
    /// The store's offset from UTC in minutes (default 480, China Standard Time).
    pub utc_offset_min: Option<i32>,
    /// Opening hours; without them the store is never "open now".
    pub hours: Option<OpeningHoursJson>,
    /// Average spend per person in minor units.
    pub avg_price: Option<i64>,
    /// Up to 20 tags of up to 32 characters.
    pub tags: Option<Vec<String>>,
    /// Up to 20 photo URLs (http or https).
    pub photos: Option<Vec<String>>,
    /// Offers delivery.
    pub delivery: Option<bool>,
    /// Offers pickup.
    pub pickup: Option<bool>,
    /// Offers dine-in / in-store service (default true).
    pub dine_in: Option<bool>,
    /// Delivery radius in metres (1 to 20,000). A delivering store needs this or a delivery area.
    pub delivery_radius_m: Option<u32>,
    /// Delivery area as a polygon of 3 to 200 points; when set it decides who is delivered to.
    pub delivery_area: Option<Vec<LatLngJson>>,
}

/// A checked store profile.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreProfile {
    /// Name.
    pub name: String,
    /// Category.
    pub category: Category,
    /// Street address (may be empty).
    pub address: String,
    /// Location, if known.
    pub location: Option<LatLng>,
    /// Phone in E.164.
    pub phone: Option<String>,
    /// Local time offset from UTC, minutes.
    pub utc_offset_min: i32,
    /// Opening hours.
    pub hours: OpeningHours,
    /// Average spend per person, minor units.
    pub avg_price: Option<i64>,
    /// Tags.
    pub tags: Vec<String>,
    /// Photo URLs.
    pub photos: Vec<String>,
    /// Offers delivery.
    pub delivery: bool,
    /// Offers pickup.
    pub pickup: bool,
    /// Offers dine-in.
    pub dine_in: bool,
    /// Delivery radius in metres.
    pub delivery_radius_m: Option<u32>,
    /// Delivery area.
    pub delivery_area: Option<Polygon>,
}

fn short_list(
    field: &str,
    items: Option<Vec<String>>,
    max_len: usize,
    check: impl Fn(&str) -> bool,
) -> Result<Vec<String>, FieldError> {
    let items = items.unwrap_or_default();
    if items.len() > 20 {
        return Err(FieldError::new(field, crate::Msg::new("field-too-many").with("max", 20)));
    }
    items
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let s = s.trim().to_owned();
            if s.is_empty() || s.chars().count() > max_len || !check(&s) {
                Err(FieldError::new(format!("{field}[{i}]"), crate::Msg::new("field-list-entry").with("max", max_len)))
            } else {
                Ok(s)
            }
        })
        .collect()
}

impl StoreProfile {
    /// Checks every field; the error names the first bad one.
    pub fn parse(j: StoreProfileJson) -> Result<Self, FieldError> {
        let name = DisplayName::parse("name", &j.name)?.as_str().to_owned();
        let category = j.category.as_deref().map_or(Ok(Category::Food), |c| Category::parse("category", c))?;
        let address = j.address.unwrap_or_default().trim().to_owned();
        if address.chars().count() > 200 || address.chars().any(char::is_control) {
            return Err(FieldError::new("address", crate::Msg::new("field-text").with("max", 200)));
        }
        let location = j.location.map(|l| LatLng::new(l.lat, l.lng).map_err(|e| e.under("location"))).transpose()?;
        let phone = j.phone.filter(|p| !p.trim().is_empty()).map(|p| Phone::parse("phone", &p)).transpose()?;
        let utc_offset_min = j.utc_offset_min.unwrap_or(480);
        if !(-720..=840).contains(&utc_offset_min) {
            return Err(FieldError::new("utc_offset_min", crate::field::between(-720, 840)));
        }
        let hours = j.hours.as_ref().map_or(Ok(OpeningHours::default()), OpeningHours::parse)?;
        if let Some(p) = j.avg_price
            && !(0..=100_000_000).contains(&p)
        {
            return Err(FieldError::new("avg_price", crate::field::amount_between(0, 100_000_000)));
        }
        let tags = short_list("tags", j.tags, 32, |s| !s.chars().any(char::is_control))?;
        // A photo uploaded here (by id or `/media/<id>/w800.jpg`) or anywhere on the web.
        let photos = crate::photo::parse_list("photos", j.photos.as_deref().unwrap_or_default(), 20, true)?;
        let delivery = j.delivery.unwrap_or(false);
        if let Some(r) = j.delivery_radius_m
            && !(1..=20_000).contains(&r)
        {
            return Err(FieldError::new(
                "delivery_radius_m",
                crate::Msg::new("field-metres-range").with("min", 1).with("max", 20_000),
            ));
        }
        let delivery_area = j
            .delivery_area
            .map(|points| Polygon::new("delivery_area", &points.iter().map(|p| (p.lat, p.lng)).collect::<Vec<_>>()))
            .transpose()?;
        if delivery && ((j.delivery_radius_m.is_none() && delivery_area.is_none()) || location.is_none()) {
            return Err(FieldError::new("delivery_radius_m", "field-delivery-needs-area"));
        }
        Ok(Self {
            name,
            category,
            address,
            location,
            phone: phone.map(|p| p.as_str().to_owned()),
            utc_offset_min,
            hours,
            avg_price: j.avg_price,
            tags,
            photos,
            delivery,
            pickup: j.pickup.unwrap_or(false),
            dine_in: j.dine_in.unwrap_or(true),
            delivery_radius_m: j.delivery_radius_m,
            delivery_area,
        })
    }

    /// The profile as a client would send it again (for forms that change part of it).
    pub fn to_json(&self) -> StoreProfileJson {
        let point = |p: &LatLng| LatLngJson { lat: p.lat(), lng: p.lng() };
        StoreProfileJson {
            name: self.name.clone(),
            category: Some(self.category.as_str().to_owned()),
            address: Some(self.address.clone()),
            location: self.location.as_ref().map(point),
            phone: self.phone.clone(),
            utc_offset_min: Some(self.utc_offset_min),
            hours: Some(self.hours.to_json()),
            avg_price: self.avg_price,
            tags: Some(self.tags.clone()),
            photos: Some(self.photos.clone()),
            delivery: Some(self.delivery),
            pickup: Some(self.pickup),
            dine_in: Some(self.dine_in),
            delivery_radius_m: self.delivery_radius_m,
            delivery_area: self.delivery_area.as_ref().map(|a| a.points().iter().map(point).collect()),
        }
    }

    /// A profile with only a name (everything else default).
    pub fn named(name: &str) -> Result<Self, FieldError> {
        Self::parse(StoreProfileJson { name: name.to_owned(), ..StoreProfileJson::default() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> StoreProfileJson {
        StoreProfileJson { name: "Jiefangbei".into(), ..StoreProfileJson::default() }
    }

    #[test]
    fn a_profile_sent_again_reads_the_same() {
        let mut j = base();
        j.location = Some(LatLngJson { lat: 31.23, lng: 121.47 });
        j.delivery = Some(true);
        j.delivery_radius_m = Some(3000);
        j.photos =
            Some(vec!["/media/0190c6a2-7b1e-7cc0-8000-000000000001/w800.jpg".into(), "https://x.example/a.jpg".into()]);
        j.hours = Some(OpeningHoursJson::every_day(&["10:00-22:00"]));
        let p = StoreProfile::parse(j).expect("valid");
        assert_eq!(StoreProfile::parse(p.to_json()).expect("again"), p);
        for bad in ["/media/../etc/w800.jpg", "/media/x/original.png", "/media//w800.jpg", "media/a/w800.jpg"] {
            assert!(crate::photo::uploaded_id(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn defaults_make_a_dine_in_food_store_in_china_time() {
        let p = StoreProfile::parse(base()).expect("valid");
        assert_eq!((p.category, p.utc_offset_min, p.dine_in, p.delivery), (Category::Food, 480, true, false));
        assert!(p.location.is_none());
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases: Vec<(StoreProfileJson, &str)> = vec![
            (StoreProfileJson { category: Some("casino".into()), ..base() }, "category"),
            (StoreProfileJson { location: Some(LatLngJson { lat: 91.0, lng: 0.0 }), ..base() }, "location.lat"),
            (StoreProfileJson { phone: Some("12".into()), ..base() }, "phone"),
            (StoreProfileJson { utc_offset_min: Some(9999), ..base() }, "utc_offset_min"),
            (StoreProfileJson { avg_price: Some(-1), ..base() }, "avg_price"),
            (StoreProfileJson { tags: Some(vec!["ok".into(), "".into()]), ..base() }, "tags[1]"),
            (StoreProfileJson { photos: Some(vec!["javascript:alert(1)".into()]), ..base() }, "photos[0]"),
            (StoreProfileJson { delivery: Some(true), ..base() }, "delivery_radius_m"),
            (StoreProfileJson { name: "".into(), ..base() }, "name"),
        ];
        for (j, field) in cases {
            assert_eq!(StoreProfile::parse(j).expect_err(field).field, field);
        }
    }

    #[test]
    fn categories_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse("c", c.as_str()), Ok(c));
        }
    }
}
