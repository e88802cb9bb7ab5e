//! Reviews (issue G): what a consumer may write about a consumption, its checks, and the store
//! rating as a Bayesian average (pure).

use crate::FieldError;
use std::collections::BTreeMap;

/// How long after the consumption a review may be written.
pub const WINDOW_MS: i64 = 30 * 86_400_000;

/// Whether a consumption at `consumed_at` may still be reviewed at `now`: within [`WINDOW_MS`]
/// (the last millisecond included).
pub fn reviewable(consumed_at: crate::Timestamp, now: crate::Timestamp) -> bool {
    now.millis() - consumed_at.millis() <= WINDOW_MS
}

/// The rating a store with no reviews is pulled towards, × 100.
pub const PRIOR_MEAN_X100: i64 = 400;
/// How many reviews' worth of weight the prior has.
pub const PRIOR_WEIGHT: i64 = 10;

/// The dimensions a review may rate besides the overall stars (food: taste, environment,
/// service; other categories: service, environment, value).
pub const DIMENSIONS: [&str; 4] = ["taste", "environment", "service", "value"];

/// A store's rating × 100 as a Bayesian average of `n` reviews summing to `sum` stars:
/// `(PRIOR_WEIGHT × PRIOR_MEAN + 100 × sum) / (PRIOR_WEIGHT + n)`, rounded half up; 0 (unrated)
/// without reviews. A single 5-star review gives 4.09, not 5.00; many reviews converge on their
/// mean.
pub fn bayesian_x100(sum: i64, n: i64) -> i64 {
    if n <= 0 {
        return 0;
    }
    let num = PRIOR_WEIGHT * PRIOR_MEAN_X100 + 100 * sum;
    let den = PRIOR_WEIGHT + n;
    (2 * num + den) / (2 * den)
}

/// A rider's rating, sent with a delivery order's review.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RiderRatingJson {
    /// 1–5.
    pub rating: u8,
    /// Optional words.
    #[serde(default)]
    pub comment: String,
}

/// A review as a consumer sends it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewJson {
    /// The menu order or bill reviewed (one of `order_id`, `voucher_id`).
    #[serde(default)]
    pub order_id: Option<crate::OrderId>,
    /// The voucher reviewed, once redeemed.
    #[serde(default)]
    pub voucher_id: Option<crate::VoucherId>,
    /// Overall stars, 1–5.
    pub rating: u8,
    /// Stars per dimension (`taste`, `environment`, `service`, `value`), 1–5 each.
    #[serde(default)]
    pub dimensions: BTreeMap<String, u8>,
    /// Words (up to 2,000 characters).
    #[serde(default)]
    pub text: String,
    /// Up to 10 short tags ("spicy", "good for groups").
    #[serde(default)]
    pub tags: Vec<String>,
    /// Up to 9 photo URLs (https only).
    #[serde(default)]
    pub photos: Vec<String>,
    /// Spend per person, minor units.
    #[serde(default)]
    pub avg_spend: Option<i64>,
    /// The rider, for a delivered order (rated apart from the store).
    #[serde(default)]
    pub rider: Option<RiderRatingJson>,
}

/// A checked review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewTerms {
    /// Stars.
    pub rating: i64,
    /// Per dimension.
    pub dimensions: BTreeMap<String, u8>,
    /// Words.
    pub text: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Photo URLs.
    pub photos: Vec<String>,
    /// Spend per person.
    pub avg_spend: Option<i64>,
    /// The rider's stars and words.
    pub rider: Option<(i64, String)>,
}

fn stars(field: &str, v: u8) -> Result<i64, FieldError> {
    if (1..=5).contains(&v) { Ok(i64::from(v)) } else { Err(FieldError::new(field, "field-stars")) }
}

impl ReviewTerms {
    /// Checks a review; the error names the first bad field.
    pub fn parse(j: &ReviewJson) -> Result<ReviewTerms, FieldError> {
        if j.order_id.is_some() == j.voucher_id.is_some() {
            return Err(FieldError::new("order_id", "field-review-order-or-voucher"));
        }
        let rating = stars("rating", j.rating)?;
        for (name, v) in &j.dimensions {
            if !DIMENSIONS.contains(&name.as_str()) {
                return Err(FieldError::new(
                    "dimensions",
                    crate::Msg::new("field-review-dimension").with("name", name).with("choices", DIMENSIONS.join(", ")),
                ));
            }
            stars(&format!("dimensions.{name}"), *v)?;
        }
        if j.text.chars().count() > 2_000 || j.text.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
            return Err(FieldError::new("text", crate::Msg::new("field-text").with("max", 2_000)));
        }
        if j.tags.len() > 10 {
            return Err(FieldError::new("tags", crate::Msg::new("field-too-many").with("max", 10)));
        }
        let mut tags = Vec::with_capacity(j.tags.len());
        for (i, t) in j.tags.iter().enumerate() {
            let t = crate::field::line_of_text(&format!("tags[{i}]"), t, 20, true)?;
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        let photos = crate::photo::parse_list("photos", &j.photos, 9, false)?;
        if j.avg_spend.is_some_and(|s| !(0..=10_000_000).contains(&s)) {
            return Err(FieldError::new("avg_spend", crate::field::amount_between(0, 10_000_000)));
        }
        let rider = match &j.rider {
            Some(r) => {
                let comment = crate::field::line_of_text("rider.comment", &r.comment, 200, false)?;
                Some((stars("rider.rating", r.rating)?, comment))
            }
            None => None,
        };
        Ok(ReviewTerms {
            rating,
            dimensions: j.dimensions.clone(),
            text: j.text.trim().to_owned(),
            tags,
            photos,
            avg_spend: j.avg_spend,
            rider,
        })
    }
}

crate::named_enum! {
    /// Whether a review is shown.
    pub enum ReviewVisibility {
        /// Shown on the store page and counted in its rating.
        Visible = "visible",
        /// Hidden by an operator (after a report), not counted.
        Hidden = "hidden",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn review() -> ReviewJson {
        ReviewJson {
            order_id: Some(crate::OrderId(uuid::Uuid::nil())),
            voucher_id: None,
            rating: 5,
            dimensions: BTreeMap::from([("taste".to_owned(), 5), ("service".to_owned(), 4)]),
            text: "Broth was perfect.\nWill come back.".into(),
            tags: vec!["spicy".into(), "spicy".into(), "good for groups".into()],
            photos: vec!["https://img.example/1.jpg".into()],
            avg_spend: Some(12_000),
            rider: Some(RiderRatingJson { rating: 5, comment: "fast".into() }),
        }
    }

    #[test]
    fn a_consumption_may_be_reviewed_for_thirty_days_to_the_millisecond() {
        let at = crate::Timestamp(1_000);
        assert!(reviewable(at, at));
        assert!(reviewable(at, crate::Timestamp(1_000 + WINDOW_MS)));
        assert!(!reviewable(at, crate::Timestamp(1_001 + WINDOW_MS)));
    }

    #[test]
    fn the_bayesian_average_is_pulled_to_the_prior_until_reviews_pile_up() {
        assert_eq!(bayesian_x100(0, 0), 0, "unrated");
        assert_eq!(bayesian_x100(5, 1), 409);
        assert_eq!(bayesian_x100(1, 1), 373);
        assert_eq!(bayesian_x100(4 * 10, 10), 400);
        assert_eq!(bayesian_x100(5 * 1_000, 1_000), 499);
    }

    #[test]
    fn reviews_are_checked_field_by_field() {
        let t = ReviewTerms::parse(&review()).expect("valid");
        assert_eq!(t.tags, ["spicy", "good for groups"], "duplicate tags are dropped");
        assert_eq!(t.rider, Some((5, "fast".to_owned())));
        let bad = |f: &dyn Fn(&mut ReviewJson), field: &str| {
            let mut j = review();
            f(&mut j);
            assert_eq!(ReviewTerms::parse(&j).map_err(|e| e.field), Err(field.to_owned()));
        };
        bad(&|j| j.rating = 0, "rating");
        bad(&|j| j.rating = 6, "rating");
        bad(&|j| j.voucher_id = Some(crate::VoucherId(uuid::Uuid::nil())), "order_id");
        bad(&|j| j.order_id = None, "order_id");
        bad(
            &|j| {
                j.dimensions.insert("price".into(), 3);
            },
            "dimensions",
        );
        bad(
            &|j| {
                j.dimensions.insert("taste".into(), 9);
            },
            "dimensions.taste",
        );
        bad(&|j| j.text = "x".repeat(2_001), "text");
        bad(&|j| j.photos = vec!["javascript:alert(1)".into()], "photos[0]");
        bad(&|j| j.photos = vec!["http://tracker.example/p.gif".into()], "photos[0]");
        bad(&|j| j.photos = vec!["https://a.example/x\" onerror=\"y".into()], "photos[0]");
        bad(&|j| j.tags = vec![String::new()], "tags[0]");
        bad(&|j| j.avg_spend = Some(-1), "avg_spend");
        bad(&|j| j.rider = Some(RiderRatingJson { rating: 0, comment: String::new() }), "rider.rating");
    }

    proptest! {
        #[test]
        fn the_rating_lies_between_the_prior_and_the_mean(n in 1i64..5_000, mean_x100 in 100i64..=500) {
            let sum = n * mean_x100 / 100;
            let r = bayesian_x100(sum, n);
            let actual = 100 * sum / n;
            let (lo, hi) = (actual.min(PRIOR_MEAN_X100), actual.max(PRIOR_MEAN_X100));
            prop_assert!((lo - 1..=hi + 1).contains(&r), "{r} outside {lo}..{hi}");
            // One more 5-star review never lowers it; one more 1-star never raises it.
            prop_assert!(bayesian_x100(sum + 5, n + 1) >= r);
            prop_assert!(bayesian_x100(sum + 1, n + 1) <= r);
        }
    }
}
