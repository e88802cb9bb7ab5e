//! Membership cards (issue G): the levels a member reaches by spending at the merchant (pure).

crate::named_enum! {
    /// A member's level.
    #[derive(PartialOrd, Ord)]
    pub enum Level {
        /// Joined.
        Member = "member",
        /// ¥500 spent.
        Silver = "silver",
        /// ¥2,000 spent.
        Gold = "gold",
        /// ¥10,000 spent.
        Black = "black",
    }
}

impl Level {
    /// Every level with the spend (minor units) that reaches it, lowest first.
    pub const LADDER: [(Level, i64); 4] =
        [(Level::Member, 0), (Level::Silver, 50_000), (Level::Gold, 200_000), (Level::Black, 1_000_000)];

    /// The level of a member who has spent `spend` minor units at the merchant.
    pub fn of(spend: i64) -> Level {
        Self::LADDER.iter().rev().find(|(_, from)| spend >= *from).map_or(Level::Member, |(l, _)| *l)
    }

    /// The next level and how much more spend reaches it (none at the top).
    pub fn next(spend: i64) -> Option<(Level, i64)> {
        Self::LADDER.iter().find(|(_, from)| spend < *from).map(|(l, from)| (*l, from - spend))
    }
}

/// Checks a birthday given as `MM-DD` (the year is never asked); returns it normalised.
pub fn parse_birthday(s: &str) -> Result<String, crate::FieldError> {
    let bad = || crate::FieldError::new("birthday", "field-birthday");
    let (m, d) = s.trim().split_once('-').ok_or_else(bad)?;
    let (m, d): (u8, u8) = (m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    let month = time::Month::try_from(m).map_err(|_| bad())?;
    // 2024 is a leap year: 02-29 is a birthday.
    time::Date::from_calendar_date(2024, month, d).map_err(|_| bad())?;
    Ok(format!("{m:02}-{d:02}"))
}

/// The calendar date at `offset_min` minutes east of UTC at `ms` (epoch milliseconds).
pub fn local_date(ms: i64, offset_min: i64) -> Option<time::Date> {
    let secs = ms.div_euclid(1000).checked_add(offset_min.checked_mul(60)?)?;
    time::OffsetDateTime::from_unix_timestamp(secs).ok().map(|t| t.date())
}

/// Days from `today` to the next `birthday` (`MM-DD`; 0 = today). In common years 02-29 is
/// celebrated on 02-28. None for a malformed birthday.
pub fn days_until_birthday(birthday: &str, today: time::Date) -> Option<i64> {
    let (m, d) = birthday.split_once('-')?;
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    let day: u8 = d.parse().ok()?;
    let on = |year: i32| {
        time::Date::from_calendar_date(year, month, day)
            .or_else(|_| time::Date::from_calendar_date(year, month, day.saturating_sub(1)))
            .ok()
    };
    let this_year = on(today.year())?;
    let next = if this_year >= today { this_year } else { on(today.year() + 1)? };
    Some((next - today).whole_days())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn levels_by_spend() {
        assert_eq!(Level::of(0), Level::Member);
        assert_eq!(Level::of(49_999), Level::Member);
        assert_eq!(Level::of(50_000), Level::Silver);
        assert_eq!(Level::of(1_000_000), Level::Black);
        assert_eq!(Level::next(49_000), Some((Level::Silver, 1_000)));
        assert_eq!(Level::next(5_000_000), None);
    }

    #[test]
    fn birthdays() {
        assert_eq!(parse_birthday(" 3-14 ").as_deref(), Ok("03-14"));
        assert_eq!(parse_birthday("02-29").as_deref(), Ok("02-29"));
        for bad in ["02-30", "13-01", "00-10", "3/14", "", "march"] {
            assert!(parse_birthday(bad).is_err(), "{bad}");
        }
        let date =
            |y, m, d| time::Date::from_calendar_date(y, time::Month::try_from(m).expect("month"), d).expect("date");
        assert_eq!(days_until_birthday("11-28", date(2026, 11, 28)), Some(0));
        assert_eq!(days_until_birthday("12-02", date(2026, 11, 28)), Some(4));
        assert_eq!(days_until_birthday("11-27", date(2026, 11, 28)), Some(364), "just passed: next year");
        assert_eq!(days_until_birthday("01-02", date(2026, 12, 30)), Some(3), "across the new year");
        assert_eq!(days_until_birthday("02-29", date(2027, 2, 27)), Some(1), "on 02-28 in common years");
        assert_eq!(days_until_birthday("02-29", date(2028, 2, 27)), Some(2));
        assert_eq!(days_until_birthday("x", date(2026, 1, 1)), None);
    }

    proptest! {
        #[test]
        fn spending_more_never_lowers_the_level(a in 0i64..2_000_000, more in 0i64..2_000_000) {
            prop_assert!(Level::of(a + more) >= Level::of(a));
            if let Some((next, missing)) = Level::next(a) {
                prop_assert_eq!(Level::of(a + missing), next);
                prop_assert!(Level::of(a + missing - 1) < next);
            }
        }
    }
}
