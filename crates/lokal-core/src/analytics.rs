//! Dashboard periods and figures (issue F), pure: local days as numbers (days since
//! 1970-01-01 in the store's time zone), the period a dashboard shows and the one before it,
//! buckets by day, ISO week or calendar month, and the ratios merchants read.

use crate::FieldError;
use time::{Date, Month};

/// 1970-01-01 as a Julian day.
const EPOCH_JULIAN: i32 = 2_440_588;

/// The local day (days since 1970-01-01) of an instant, for a place at UTC + `offset_min`.
pub fn local_day(at_ms: i64, offset_min: i64) -> i64 {
    (at_ms + offset_min * 60_000).div_euclid(86_400_000)
}

/// The date of a day number.
pub fn date_of(day: i64) -> Date {
    i32::try_from(day)
        .ok()
        .and_then(|d| d.checked_add(EPOCH_JULIAN))
        .and_then(|j| Date::from_julian_day(j).ok())
        .unwrap_or(Date::MIN)
}

/// The day number of a date.
pub fn day_of(date: Date) -> i64 {
    i64::from(date.to_julian_day() - EPOCH_JULIAN)
}

/// `YYYY-MM-DD` of a day.
pub fn iso(day: i64) -> String {
    let d = date_of(day);
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn parse_day(field: &str, s: &str) -> Result<i64, FieldError> {
    let bad = || FieldError::new(field, "field-date");
    let mut parts = s.trim().splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else { return Err(bad()) };
    let y: i32 = y.parse().map_err(|_| bad())?;
    let m: u8 = m.parse().map_err(|_| bad())?;
    let d: u8 = d.parse().map_err(|_| bad())?;
    if !(2000..=2100).contains(&y) {
        return Err(bad());
    }
    let month = Month::try_from(m).map_err(|_| bad())?;
    Date::from_calendar_date(y, month, d).map(day_of).map_err(|_| bad())
}

crate::named_enum! {
    /// How a dashboard groups days.
    #[derive(Default)]
    pub enum Granularity {
        /// One bucket per day.
        #[default]
        Day = "day",
        /// Per ISO week (Monday first).
        Week = "week",
        /// Per calendar month.
        Month = "month",
    }
}

impl Granularity {
    /// Parses `day`, `week` or `month` (empty: day).
    pub fn parse(s: &str) -> Result<Granularity, FieldError> {
        match s.trim() {
            "" | "day" => Ok(Granularity::Day),
            "week" => Ok(Granularity::Week),
            "month" => Ok(Granularity::Month),
            _ => Err(FieldError::new("by", crate::Msg::new("field-one-of").with("choices", "day, week, month"))),
        }
    }

    /// The first day of the bucket holding `day`.
    pub fn bucket(self, day: i64) -> i64 {
        match self {
            Granularity::Day => day,
            // 1970-01-01 was a Thursday: Monday is three days before a multiple of seven.
            Granularity::Week => day - (day + 3).rem_euclid(7),
            Granularity::Month => {
                let d = date_of(day);
                Date::from_calendar_date(d.year(), d.month(), 1).map(day_of).unwrap_or(day)
            }
        }
    }

    /// A bucket's label: `2026-11-27`, `2026-11-23` (the Monday) or `2026-11`.
    pub fn label(self, start: i64) -> String {
        match self {
            Granularity::Day | Granularity::Week => iso(start),
            Granularity::Month => iso(start).get(0..7).unwrap_or("").to_owned(),
        }
    }
}

/// The days a dashboard shows, `from..to` (exclusive), and how it groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First day.
    pub from: i64,
    /// The day after the last.
    pub to: i64,
    /// Grouping.
    pub by: Granularity,
}

/// The longest period a dashboard shows.
pub const MAX_DAYS: i64 = 800;

impl Period {
    /// From `from` to `to` (inclusive dates, `YYYY-MM-DD`); by default the 30 days ending
    /// `today`. The error names the field.
    pub fn parse(from: &str, to: &str, by: &str, today: i64) -> Result<Period, FieldError> {
        let last = if to.trim().is_empty() { today } else { parse_day("to", to)? };
        let first = if from.trim().is_empty() { last - 29 } else { parse_day("from", from)? };
        if first > last {
            return Err(FieldError::new("from", "field-from-after-to"));
        }
        if last - first + 1 > MAX_DAYS {
            return Err(FieldError::new("from", crate::Msg::new("field-period-too-long").with("max", MAX_DAYS)));
        }
        Ok(Period { from: first, to: last + 1, by: Granularity::parse(by)? })
    }

    /// Its length in days.
    pub fn days(self) -> i64 {
        self.to - self.from
    }

    /// The period of the same length just before.
    pub fn previous(self) -> Period {
        Period { from: self.from - self.days(), to: self.from, by: self.by }
    }

    /// The first days of its buckets, in order.
    pub fn buckets(self) -> Vec<i64> {
        let mut out: Vec<i64> = Vec::new();
        for day in self.from..self.to {
            let b = self.by.bucket(day).max(self.from);
            if out.last() != Some(&b) {
                out.push(b);
            }
        }
        out
    }
}

/// `part / whole` as a fraction (none when `whole` is 0).
pub fn ratio(part: i64, whole: i64) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)] // report figures
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// `amount / count` rounded half up (none when `count` is 0): an average ticket.
pub fn average(amount: i64, count: i64) -> Option<i64> {
    (count > 0).then(|| (2 * amount + count) / (2 * count))
}

/// The change from `before` to `now` as a fraction (none when `before` is 0).
pub fn change(now: i64, before: i64) -> Option<f64> {
    ratio(now - before, before)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn days_and_dates() {
        assert_eq!(iso(0), "1970-01-01");
        let d = parse_day("from", "2026-11-27").expect("date");
        assert_eq!(iso(d), "2026-11-27");
        // 2026-11-27 00:30 in Shanghai is 2026-11-26 16:30 UTC.
        let at = crate::Timestamp::parse_rfc3339("2026-11-26T16:30:00Z").expect("time").millis();
        assert_eq!(local_day(at, 480), d);
        assert_eq!(local_day(at, 0), d - 1);
        for bad in ["2026-13-01", "2026-02-30", "27/11/2026", "", "1900-01-01"] {
            assert!(parse_day("from", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn buckets_by_week_and_month() {
        let d = parse_day("d", "2026-11-27").expect("date"); // a Friday
        assert_eq!(iso(Granularity::Week.bucket(d)), "2026-11-23");
        assert_eq!(iso(Granularity::Month.bucket(d)), "2026-11-01");
        assert_eq!(Granularity::Month.label(Granularity::Month.bucket(d)), "2026-11");
        let p = Period::parse("2026-10-15", "2026-12-02", "month", d).expect("period");
        let labels: Vec<String> = p.buckets().iter().map(|b| iso(*b)).collect();
        assert_eq!(labels, ["2026-10-15", "2026-11-01", "2026-12-01"], "the first bucket starts with the period");
        assert_eq!(p.previous().to, p.from);
        assert_eq!(p.previous().days(), p.days());
        let default = Period::parse("", "", "", d).expect("default");
        assert_eq!((default.days(), default.to), (30, d + 1));
        assert!(Period::parse("2026-12-01", "2026-11-01", "", d).is_err());
        assert!(Period::parse("2020-01-01", "2026-11-01", "", d).is_err());
        assert!(Period::parse("", "", "year", d).is_err());
    }

    #[test]
    fn ratios() {
        assert_eq!(average(1_000, 3), Some(333));
        assert_eq!(average(1_001, 2), Some(501));
        assert_eq!(average(5, 0), None);
        assert_eq!(change(150, 100), Some(0.5));
        assert_eq!(change(1, 0), None);
    }

    proptest! {
        #[test]
        fn buckets_partition_the_period(from in 19_000i64..21_000, len in 1i64..400, by in 0u8..3) {
            let by = [Granularity::Day, Granularity::Week, Granularity::Month][usize::from(by)];
            let p = Period { from, to: from + len, by };
            let b = p.buckets();
            prop_assert_eq!(b[0], from);
            prop_assert!(b.windows(2).all(|w| w[0] < w[1]));
            prop_assert!(b.iter().all(|d| (p.from..p.to).contains(d)));
            // Every day falls in the last bucket starting on or before it, which is its own bucket.
            for day in p.from..p.to {
                let mine = b.iter().rev().find(|s| **s <= day).copied();
                prop_assert_eq!(mine, Some(by.bucket(day).max(from)));
            }
        }
    }
}
