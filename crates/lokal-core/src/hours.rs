//! Opening hours: a weekly schedule with dated exceptions (holidays, temporary closure), in the
//! store's local time, and the question "is it open at this instant?".
//!
//! On the wire a day is a list of `"HH:MM-HH:MM"` intervals; a close time earlier than the open
//! time runs past midnight (`"18:00-02:00"`), and `"00:00-24:00"` is all day.

use crate::{FieldError, Timestamp};
use time::{Date, Month, OffsetDateTime, UtcOffset};

/// One opening interval in minutes after local midnight; `close` may exceed 1440 (past midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    /// Opening minute, 0..1440.
    pub open: u16,
    /// Closing minute, `open < close <= open + 1440`.
    pub close: u16,
}

impl Interval {
    /// Parses `"HH:MM-HH:MM"`; `field` names the offending field on error.
    pub fn parse(field: &str, s: &str) -> Result<Self, FieldError> {
        let bad = || FieldError::new(field, crate::Msg::new("field-interval").with("value", s));
        let (a, b) = s.trim().split_once('-').ok_or_else(bad)?;
        let minute = |t: &str, allow_24: bool| -> Option<u16> {
            let (h, m) = t.trim().split_once(':')?;
            let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
            let ok = m < 60 && (h < 24 || (allow_24 && h == 24 && m == 0));
            ok.then_some(h * 60 + m)
        };
        let open = minute(a, false).ok_or_else(bad)?;
        let close = minute(b, true).ok_or_else(bad)?;
        let close = if close <= open { close + 1440 } else { close };
        if close - open > 1440 {
            return Err(bad());
        }
        Ok(Self { open, close })
    }

    /// The interval as `"HH:MM-HH:MM"`.
    pub fn render(&self) -> String {
        let close = if self.close > 1440 { self.close - 1440 } else { self.close };
        format!("{:02}:{:02}-{:02}:{:02}", self.open / 60, self.open % 60, close / 60, close % 60)
    }
}

/// A weekly schedule (Monday first) and dated exceptions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpeningHours {
    /// Intervals for Monday … Sunday.
    pub weekly: [Vec<Interval>; 7],
    /// Dates whose intervals replace the weekly ones (empty = closed that day).
    pub exceptions: Vec<(Date, Vec<Interval>)>,
}

/// The JSON form of [`OpeningHours`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpeningHoursJson {
    /// Monday's intervals, e.g. `["10:00-14:00", "17:00-22:00"]`.
    #[serde(default)]
    pub mon: Vec<String>,
    /// Tuesday.
    #[serde(default)]
    pub tue: Vec<String>,
    /// Wednesday.
    #[serde(default)]
    pub wed: Vec<String>,
    /// Thursday.
    #[serde(default)]
    pub thu: Vec<String>,
    /// Friday.
    #[serde(default)]
    pub fri: Vec<String>,
    /// Saturday.
    #[serde(default)]
    pub sat: Vec<String>,
    /// Sunday.
    #[serde(default)]
    pub sun: Vec<String>,
    /// Dated exceptions (holidays, temporary closure).
    #[serde(default)]
    pub exceptions: Vec<ExceptionJson>,
}

/// One dated exception.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExceptionJson {
    /// The local date, `YYYY-MM-DD`.
    pub date: String,
    /// Intervals that day; empty means closed.
    #[serde(default)]
    pub intervals: Vec<String>,
}

impl OpeningHoursJson {
    /// The same intervals every day of the week, no exceptions.
    pub fn every_day(intervals: &[&str]) -> Self {
        let v: Vec<String> = intervals.iter().map(|s| (*s).to_owned()).collect();
        Self {
            mon: v.clone(),
            tue: v.clone(),
            wed: v.clone(),
            thu: v.clone(),
            fri: v.clone(),
            sat: v.clone(),
            sun: v,
            exceptions: vec![],
        }
    }
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn parse_date(field: &str, s: &str) -> Result<Date, FieldError> {
    let bad = || FieldError::new(field, crate::Msg::new("field-date-of").with("value", s));
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next().ok_or_else(bad)?, parts.next().ok_or_else(bad)?, parts.next().ok_or_else(bad)?);
    if parts.next().is_some() {
        return Err(bad());
    }
    let month = Month::try_from(m.parse::<u8>().map_err(|_| bad())?).map_err(|_| bad())?;
    Date::from_calendar_date(y.parse().map_err(|_| bad())?, month, d.parse().map_err(|_| bad())?).map_err(|_| bad())
}

impl OpeningHours {
    /// Validates the JSON form; errors name the field (`hours.tue[1]`, `hours.exceptions[0].date`).
    pub fn parse(j: &OpeningHoursJson) -> Result<Self, FieldError> {
        let days = [&j.mon, &j.tue, &j.wed, &j.thu, &j.fri, &j.sat, &j.sun];
        let mut weekly: [Vec<Interval>; 7] = Default::default();
        for (i, day) in days.iter().enumerate() {
            if day.len() > 8 {
                return Err(FieldError::new(
                    format!("hours.{}", DAYS[i]),
                    crate::Msg::new("field-intervals-a-day").with("max", 8),
                ));
            }
            for (k, s) in day.iter().enumerate() {
                weekly[i].push(Interval::parse(&format!("hours.{}[{k}]", DAYS[i]), s)?);
            }
        }
        if j.exceptions.len() > 366 {
            return Err(FieldError::new("hours.exceptions", crate::Msg::new("field-too-many").with("max", 366)));
        }
        let mut exceptions = Vec::new();
        for (k, e) in j.exceptions.iter().enumerate() {
            let date = parse_date(&format!("hours.exceptions[{k}].date"), &e.date)?;
            let intervals = e
                .intervals
                .iter()
                .enumerate()
                .map(|(n, s)| Interval::parse(&format!("hours.exceptions[{k}].intervals[{n}]"), s))
                .collect::<Result<Vec<_>, _>>()?;
            exceptions.push((date, intervals));
        }
        Ok(Self { weekly, exceptions })
    }

    /// The JSON form.
    pub fn to_json(&self) -> OpeningHoursJson {
        let day = |i: usize| self.weekly[i].iter().map(Interval::render).collect();
        OpeningHoursJson {
            mon: day(0),
            tue: day(1),
            wed: day(2),
            thu: day(3),
            fri: day(4),
            sat: day(5),
            sun: day(6),
            exceptions: self
                .exceptions
                .iter()
                .map(|(d, iv)| ExceptionJson {
                    date: format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()),
                    intervals: iv.iter().map(Interval::render).collect(),
                })
                .collect(),
        }
    }

    fn intervals_on(&self, date: Date) -> &[Interval] {
        match self.exceptions.iter().find(|(d, _)| *d == date) {
            Some((_, iv)) => iv,
            None => &self.weekly[usize::from(date.weekday().number_days_from_monday())],
        }
    }

    /// Whether the store is open at `at`, for a store whose local time is UTC + `offset_min`.
    pub fn is_open_at(&self, at: Timestamp, offset_min: i32) -> bool {
        let Ok(offset) = UtcOffset::from_whole_seconds(offset_min.saturating_mul(60)) else { return false };
        let Ok(utc) = OffsetDateTime::from_unix_timestamp_nanos(i128::from(at.millis()) * 1_000_000) else {
            return false;
        };
        let local = utc.to_offset(offset);
        let minute = u16::from(local.hour()) * 60 + u16::from(local.minute());
        let today = local.date();
        if self.intervals_on(today).iter().any(|iv| iv.open <= minute && minute < iv.close) {
            return true;
        }
        // Yesterday's intervals that run past midnight.
        today
            .previous_day()
            .is_some_and(|y| self.intervals_on(y).iter().any(|iv| iv.close > 1440 && minute + 1440 < iv.close))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(j: OpeningHoursJson) -> OpeningHours {
        OpeningHours::parse(&j).expect("valid hours")
    }

    /// 2026-11-23 is a Monday. Shanghai is UTC+8.
    fn shanghai(y: i32, m: u8, d: u8, h: u8, min: u8) -> Timestamp {
        let date = Date::from_calendar_date(y, Month::try_from(m).expect("month"), d).expect("date");
        let t = date.with_hms(h, min, 0).expect("time").assume_offset(UtcOffset::from_hms(8, 0, 0).expect("offset"));
        Timestamp::from_millis(i64::try_from(t.unix_timestamp_nanos() / 1_000_000).expect("ms"))
    }

    #[test]
    fn intervals_parse_and_render() {
        assert_eq!(Interval::parse("f", "10:00-22:00"), Ok(Interval { open: 600, close: 1320 }));
        assert_eq!(Interval::parse("f", "18:00-02:00"), Ok(Interval { open: 1080, close: 1560 }));
        assert_eq!(Interval::parse("f", "00:00-24:00"), Ok(Interval { open: 0, close: 1440 }));
        assert_eq!(Interval::parse("f", "18:00-02:00").map(|i| i.render()), Ok("18:00-02:00".into()));
        for bad in ["", "10-22", "25:00-26:00", "10:60-11:00", "24:00-01:00", "abc"] {
            assert!(Interval::parse("f", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn open_during_intervals_and_past_midnight() {
        let h = hours(OpeningHoursJson::every_day(&["11:00-14:00", "17:00-02:00"]));
        assert!(h.is_open_at(shanghai(2026, 11, 23, 12, 0), 480));
        assert!(!h.is_open_at(shanghai(2026, 11, 23, 15, 0), 480));
        assert!(h.is_open_at(shanghai(2026, 11, 24, 1, 30), 480), "Monday's evening runs into Tuesday");
        assert!(!h.is_open_at(shanghai(2026, 11, 24, 2, 0), 480));
    }

    #[test]
    fn exceptions_replace_the_weekly_schedule() {
        let mut j = OpeningHoursJson::every_day(&["10:00-22:00"]);
        j.exceptions.push(ExceptionJson { date: "2026-11-23".into(), intervals: vec![] });
        let h = hours(j);
        assert!(!h.is_open_at(shanghai(2026, 11, 23, 12, 0), 480));
        assert!(h.is_open_at(shanghai(2026, 11, 24, 12, 0), 480));
        assert_eq!(h.to_json().exceptions[0].date, "2026-11-23");
    }

    #[test]
    fn errors_name_the_day_and_position() {
        let mut j = OpeningHoursJson::every_day(&["10:00-22:00"]);
        j.tue.push("nope".into());
        assert_eq!(OpeningHours::parse(&j).expect_err("bad").field, "hours.tue[1]");
        let mut j = OpeningHoursJson::every_day(&[]);
        j.exceptions.push(ExceptionJson { date: "2026-02-30".into(), intervals: vec![] });
        assert_eq!(OpeningHours::parse(&j).expect_err("bad").field, "hours.exceptions[0].date");
    }
}
