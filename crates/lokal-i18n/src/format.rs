//! Money and times for people: every amount written `¥168` or `¥168.50`, every time in the
//! time zone of the place it concerns and in the convention of the reader's language
//! (`2026年12月2日 14:43`, `2 Dec 2026, 14:43`; 24-hour clock in both, as in China).

use crate::{Lang, t};
use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};

/// An amount of money in minor units for people (`¥168`, `¥168.50`, `-¥5`).
pub fn money(minor: i64) -> String {
    lokal_core::money::yuan(minor)
}

/// The time zone of a place: a named zone of the tz database (`Asia/Shanghai`, with its
/// daylight-saving rules where it has any) or a fixed offset (a store's `utc_offset_min`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone(TimeZone);

impl Default for Zone {
    /// `Asia/Shanghai`, the demo city's zone.
    fn default() -> Self {
        Self::named("Asia/Shanghai").unwrap_or_else(|| Self::fixed_minutes(480))
    }
}

impl Zone {
    /// The zone of the tz database called `name`, if there is one.
    pub fn named(name: &str) -> Option<Zone> {
        TimeZone::get(name).ok().map(Zone)
    }

    /// A zone `minutes` east of UTC (clamped to ±18 hours).
    pub fn fixed_minutes(minutes: i32) -> Zone {
        let secs = minutes.clamp(-18 * 60, 18 * 60) * 60;
        Zone(TimeZone::fixed(Offset::from_seconds(secs).unwrap_or(Offset::UTC)))
    }

    /// The zone's name (`Asia/Shanghai`), or its offset (`+08:00`) for a fixed zone.
    pub fn name(&self) -> String {
        match self.0.iana_name() {
            Some(n) => n.to_owned(),
            None => self.0.to_offset(Timestamp::UNIX_EPOCH).to_string(),
        }
    }

    /// Minutes east of UTC at the instant `ms` (epoch milliseconds).
    pub fn offset_minutes_at(&self, ms: i64) -> i32 {
        self.0.to_offset(instant(ms)).seconds() / 60
    }

    /// The local wall-clock reading of the instant `ms` here.
    pub fn local(&self, ms: i64) -> Local {
        let z = instant(ms).to_zoned_datetime(self.0.clone());
        Local {
            year: i32::from(z.year()),
            month: z.month().unsigned_abs(),
            day: z.day().unsigned_abs(),
            hour: z.hour().unsigned_abs(),
            minute: z.minute().unsigned_abs(),
            weekday: z.weekday().to_monday_one_offset().unsigned_abs(),
        }
    }

    /// The instant (epoch ms) of a local wall-clock time here; in a gap or an overlap of a
    /// daylight-saving change, the earlier reading's instant.
    pub fn instant_of(&self, year: i16, month: i8, day: i8, hour: i8, minute: i8) -> Option<i64> {
        let dt = jiff::civil::DateTime::new(year, month, day, hour, minute, 0, 0).ok()?;
        let z = self.0.to_ambiguous_zoned_datetime(dt).compatible().ok()?;
        Some(z.timestamp().as_millisecond())
    }
}

fn instant(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// A local wall-clock reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Local {
    /// The year.
    pub year: i32,
    /// 1–12.
    pub month: u8,
    /// 1–31.
    pub day: u8,
    /// 0–23.
    pub hour: u8,
    /// 0–59.
    pub minute: u8,
    /// 1 (Monday) – 7 (Sunday).
    pub weekday: u8,
}

const EN_MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const EN_WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const ZH_WEEKDAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

fn en_month(m: u8) -> &'static str {
    EN_MONTHS.get(usize::from(m.saturating_sub(1))).copied().unwrap_or("")
}

/// The short name of an ISO weekday (1 = Monday … 7 = Sunday): `周三`, `Wed`.
pub fn weekday(lang: Lang, iso: u8) -> &'static str {
    let i = usize::from(iso.clamp(1, 7) - 1);
    match lang {
        Lang::ZhCn => ZH_WEEKDAYS[i],
        Lang::En => EN_WEEKDAYS[i],
    }
}

/// `14:43`.
pub fn time(ms: i64, zone: &Zone) -> String {
    let l = zone.local(ms);
    format!("{:02}:{:02}", l.hour, l.minute)
}

/// `2026年12月2日`, `2 Dec 2026`.
pub fn date(lang: Lang, ms: i64, zone: &Zone) -> String {
    let l = zone.local(ms);
    match lang {
        Lang::ZhCn => format!("{}年{}月{}日", l.year, l.month, l.day),
        Lang::En => format!("{} {} {}", l.day, en_month(l.month), l.year),
    }
}

/// `2026年12月2日 14:43`, `2 Dec 2026, 14:43`.
pub fn datetime(lang: Lang, ms: i64, zone: &Zone) -> String {
    match lang {
        Lang::ZhCn => format!("{} {}", date(lang, ms, zone), time(ms, zone)),
        Lang::En => format!("{}, {}", date(lang, ms, zone), time(ms, zone)),
    }
}

/// `12月2日`, `2 Dec` (a date of this year).
pub fn day_month(lang: Lang, month: u8, day: u8) -> String {
    match lang {
        Lang::ZhCn => format!("{month}月{day}日"),
        Lang::En => format!("{day} {}", en_month(month)),
    }
}

/// `2026年12月`, `Dec 2026`.
pub fn month(lang: Lang, year: i32, month: u8) -> String {
    match lang {
        Lang::ZhCn => format!("{year}年{month}月"),
        Lang::En => format!("{} {year}", en_month(month)),
    }
}

/// A time as people near `now` say it: `今天 14:43` / `Today 14:43` (also yesterday and
/// tomorrow), `12月2日 14:43` / `2 Dec, 14:43` within the year, else the full date and time.
pub fn near(lang: Lang, ms: i64, now_ms: i64, zone: &Zone) -> String {
    let (l, n) = (zone.local(ms), zone.local(now_ms));
    let days = day_number(l.year, l.month, l.day) - day_number(n.year, n.month, n.day);
    let hm = time(ms, zone);
    let word = match days {
        0 => Some("time-today"),
        -1 => Some("time-yesterday"),
        1 => Some("time-tomorrow"),
        _ => None,
    };
    match (word, lang) {
        (Some(w), _) => format!("{} {hm}", t(lang, w)),
        (None, _) if l.year != n.year => datetime(lang, ms, zone),
        (None, Lang::ZhCn) => format!("{} {hm}", day_month(lang, l.month, l.day)),
        (None, Lang::En) => format!("{}, {hm}", day_month(lang, l.month, l.day)),
    }
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn day_number(year: i32, month: u8, day: u8) -> i64 {
    let (y, m) =
        if month <= 2 { (i64::from(year) - 1, i64::from(month) + 9) } else { (i64::from(year), i64::from(month) - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-12-02T06:43:00Z, 14:43 in Shanghai.
    const T: i64 = 1_796_193_780_000;

    #[test]
    fn times_are_read_in_the_zone_of_the_place() {
        let sh = Zone::named("Asia/Shanghai").expect("zone");
        assert_eq!(time(T, &sh), "14:43");
        assert_eq!(datetime(Lang::ZhCn, T, &sh), "2026年12月2日 14:43");
        assert_eq!(datetime(Lang::En, T, &sh), "2 Dec 2026, 14:43");
        assert_eq!(time(T, &Zone::fixed_minutes(-600)), "20:43");
        assert_eq!(date(Lang::En, T, &Zone::fixed_minutes(-600)), "1 Dec 2026");
        assert_eq!(sh.name(), "Asia/Shanghai");
        assert_eq!(Zone::fixed_minutes(330).name(), "+05:30");
        assert_eq!(sh.offset_minutes_at(T), 480);
        assert_eq!(weekday(Lang::ZhCn, sh.local(T).weekday), "周三");
    }

    #[test]
    fn a_named_zone_keeps_its_daylight_saving_rules() {
        let ny = Zone::named("America/New_York").expect("zone");
        assert_eq!(ny.offset_minutes_at(T), -300);
        // 2026-07-01T12:00Z is 08:00 in New York (EDT).
        assert_eq!(time(1_782_907_200_000, &ny), "08:00");
        assert!(Zone::named("Mars/Olympus").is_none());
    }

    #[test]
    fn near_times_say_today_and_drop_the_year() {
        let sh = Zone::default();
        assert_eq!(near(Lang::ZhCn, T, T + 3_600_000, &sh), "今天 14:43");
        assert_eq!(near(Lang::En, T, T + 86_400_000, &sh), "Yesterday 14:43");
        assert_eq!(near(Lang::ZhCn, T + 86_400_000, T, &sh), "明天 14:43");
        assert_eq!(near(Lang::ZhCn, T - 5 * 86_400_000, T, &sh), "11月27日 14:43");
        assert_eq!(near(Lang::En, T - 5 * 86_400_000, T, &sh), "27 Nov, 14:43");
        assert_eq!(near(Lang::En, T - 400 * 86_400_000, T, &sh), "28 Oct 2025, 14:43");
    }

    #[test]
    fn local_wall_clock_times_become_instants() {
        let sh = Zone::default();
        assert_eq!(sh.instant_of(2026, 12, 2, 14, 43), Some(T));
        assert_eq!(sh.instant_of(2026, 2, 30, 0, 0), None);
    }

    #[test]
    fn day_numbers_count_from_the_epoch() {
        assert_eq!(day_number(1970, 1, 1), 0);
        assert_eq!(day_number(2000, 3, 1), 11_017);
        assert_eq!(day_number(1969, 12, 31), -1);
    }

    #[test]
    fn money_is_written_one_way() {
        assert_eq!(money(16800), "¥168");
        assert_eq!(money(16850), "¥168.50");
    }
}
