//! Query parameters that arrive as text and are checked by name, shared by the discovery routes.

use lokal_core::FieldError;
use lokal_core::store::Category;

/// An optional number; an empty value counts as absent.
pub fn num<T: std::str::FromStr>(field: &str, v: Option<&str>) -> Result<Option<T>, FieldError> {
    v.filter(|s| !s.is_empty()).map(|s| s.parse().map_err(|_| FieldError::new(field, "field-number"))).transpose()
}

/// A boolean flag: `true`/`1` or `false`/`0`/absent.
pub fn flag(field: &str, v: Option<&str>) -> Result<bool, FieldError> {
    match v {
        None | Some("" | "false" | "0") => Ok(false),
        Some("true" | "1") => Ok(true),
        Some(_) => Err(FieldError::new(field, "field-bool")),
    }
}

/// `radius_m`: 1 to 50,000 metres, `default` when absent.
pub fn radius_m(v: Option<&str>, default: f64) -> Result<f64, FieldError> {
    let r = num::<f64>("radius_m", v)?.unwrap_or(default);
    if r.is_finite() && (1.0..=50_000.0).contains(&r) {
        Ok(r)
    } else {
        Err(FieldError::new("radius_m", lokal_core::Msg::new("field-metres-range").with("min", 1).with("max", 50_000)))
    }
}

/// `limit`: 1 to 100, 20 when absent.
pub fn limit(v: Option<&str>) -> Result<usize, FieldError> {
    let n = num::<usize>("limit", v)?.unwrap_or(20);
    if (1..=100).contains(&n) { Ok(n) } else { Err(FieldError::new("limit", lokal_core::field::between(1, 100))) }
}

/// An optional `category`.
pub fn category(v: Option<&str>) -> Result<Option<Category>, FieldError> {
    v.filter(|c| !c.is_empty()).map(|c| Category::parse("category", c)).transpose()
}
