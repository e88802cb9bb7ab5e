//! Membership cards (issue G): the levels a member reaches by spending at the merchant (pure).

/// A member's level.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Joined.
    Member,
    /// ¥500 spent.
    Silver,
    /// ¥2,000 spent.
    Gold,
    /// ¥10,000 spent.
    Black,
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

    /// The name shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Member => "member",
            Level::Silver => "silver",
            Level::Gold => "gold",
            Level::Black => "black",
        }
    }
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
