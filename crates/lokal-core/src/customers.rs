//! Customer lists (issue G): a merchant's customers as their consumption shows them, and the
//! RFM segment each falls in (pure).

use crate::FieldError;

crate::named_enum! {
    /// Where a customer stands, from how recently and how often they bought.
    #[derive(PartialOrd, Ord)]
    pub enum Segment {
        /// Five or more visits, the last within 30 days.
        Loyal = "loyal",
        /// Two to four visits, the last within 30 days.
        Regular = "regular",
        /// One visit, within the last 30 days.
        New = "new",
        /// Two or more visits, the last 31–90 days ago: worth a message.
        AtRisk = "at_risk",
        /// One visit, 31–90 days ago.
        OneTime = "one_time",
        /// No visit for more than 90 days.
        Lapsed = "lapsed",
    }
}

impl Segment {
    /// The segment of a customer whose last visit was `recency_days` ago, with `visits` visits.
    pub fn of(recency_days: i64, visits: i64) -> Segment {
        match (recency_days, visits) {
            (r, _) if r > 90 => Segment::Lapsed,
            (r, v) if r > 30 => {
                if v >= 2 {
                    Segment::AtRisk
                } else {
                    Segment::OneTime
                }
            }
            (_, v) if v >= 5 => Segment::Loyal,
            (_, v) if v >= 2 => Segment::Regular,
            _ => Segment::New,
        }
    }

    /// The customers in this segment, as bounds a database can filter on: days since the last
    /// visit from `recency.0` to `recency.1` (none: no upper bound) and visits from `visits.0`
    /// to `visits.1`. Exactly the customers [`Segment::of`] puts here (property-tested).
    pub fn bounds(self) -> SegmentBounds {
        let (recency, visits) = match self {
            Segment::Lapsed => ((91, None), (0, None)),
            Segment::AtRisk => ((31, Some(90)), (2, None)),
            Segment::OneTime => ((31, Some(90)), (0, Some(1))),
            Segment::Loyal => ((0, Some(30)), (5, None)),
            Segment::Regular => ((0, Some(30)), (2, Some(4))),
            Segment::New => ((0, Some(30)), (0, Some(1))),
        };
        SegmentBounds { recency, visits }
    }
}

/// A segment as ranges (see [`Segment::bounds`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentBounds {
    /// Days since the last visit, least and most.
    pub recency: (i64, Option<i64>),
    /// Visits, least and most.
    pub visits: (i64, Option<i64>),
}

impl SegmentBounds {
    /// Whether a customer last seen `recency_days` ago with `visits` visits is inside.
    pub fn contains(&self, recency_days: i64, visits: i64) -> bool {
        let within = |x: i64, (lo, hi): (i64, Option<i64>)| x >= lo && hi.is_none_or(|h| x <= h);
        within(recency_days, self.recency) && within(visits, self.visits)
    }

    /// The range of last-visit times (epoch ms) inside, at `now`: `(after, at_most)` with
    /// `after < last_visit <= at_most`, recency counted in whole days as [`Segment::of`] takes it.
    pub fn last_visit_range(&self, now: i64) -> (i64, i64) {
        const DAY: i64 = 86_400_000;
        let at_most = if self.recency.0 == 0 { i64::MAX } else { now - self.recency.0 * DAY };
        let after = self.recency.1.map_or(i64::MIN, |r| now - (r + 1) * DAY);
        (after, at_most)
    }
}

/// Checks a customer tag a merchant adds ("VIP", "allergic to peanuts").
pub fn tag(field: &str, raw: &str) -> Result<String, FieldError> {
    crate::field::line_of_text(field, raw, 24, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn segments_by_recency_and_visits() {
        assert_eq!(Segment::of(3, 1), Segment::New);
        assert_eq!(Segment::of(30, 4), Segment::Regular);
        assert_eq!(Segment::of(0, 5), Segment::Loyal);
        assert_eq!(Segment::of(31, 5), Segment::AtRisk);
        assert_eq!(Segment::of(60, 1), Segment::OneTime);
        assert_eq!(Segment::of(91, 50), Segment::Lapsed);
        assert_eq!(Segment::parse_field("segment", "at_risk"), Ok(Segment::AtRisk));
        assert!(Segment::parse_field("segment", "vip").is_err());
    }

    proptest! {
        #[test]
        fn more_visits_or_a_more_recent_one_never_make_a_worse_segment(r in 0i64..200, v in 1i64..20) {
            // ALL is ordered best first, so "not worse" is "not later in ALL".
            let rank = |s: Segment| Segment::ALL.iter().position(|x| *x == s).unwrap_or(usize::MAX);
            prop_assert!(rank(Segment::of(r, v + 1)) <= rank(Segment::of(r, v)));
            prop_assert!(rank(Segment::of(r.saturating_sub(10).max(0), v)) <= rank(Segment::of(r, v)));
        }

        /// The bounds a database filters on hold exactly the customers `of` puts in the segment,
        /// and the last-visit range agrees with recency counted in whole days.
        #[test]
        fn bounds_are_the_segments(r in 0i64..400, v in 1i64..40, ms in 0i64..86_400_000) {
            for s in Segment::ALL {
                prop_assert_eq!(s.bounds().contains(r, v), Segment::of(r, v) == s, "{:?} {} {}", s, r, v);
                let now = 1_800_000_000_000i64;
                let last = now - r * 86_400_000 - ms;
                let (after, at_most) = s.bounds().last_visit_range(now);
                let recency = (now - last) / 86_400_000;
                prop_assert_eq!(after < last && last <= at_most, s.bounds().recency.0 <= recency
                    && s.bounds().recency.1.is_none_or(|h| recency <= h));
            }
        }
    }
}
