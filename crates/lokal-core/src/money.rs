//! Exact money: integer minor units (fen, cents) and a currency. Never floating point.

use std::fmt;

/// An ISO 4217 currency code (three upper-case ASCII letters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "CNY")]
pub struct Currency([u8; 3]);

impl Currency {
    /// Chinese yuan, the demo city's currency.
    pub const CNY: Currency = Currency(*b"CNY");

    /// Parses a three-letter upper-case code.
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        (b.len() == 3 && b.iter().all(u8::is_ascii_uppercase)).then(|| Currency([b[0], b[1], b[2]]))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // The bytes are checked ASCII upper-case letters on construction.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }
}

impl TryFrom<String> for Currency {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Currency::parse(&s).ok_or_else(|| format!("`{s}` is not a three-letter currency code"))
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.as_str().to_owned()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An amount of money in minor units, e.g. `{ "amount": 1250, "currency": "CNY" }` is ¥12.50.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Money {
    /// Minor units (fen for CNY). May be negative for postings and refunds.
    pub amount: i64,
    /// ISO 4217 code.
    pub currency: Currency,
}

/// Arithmetic on money failed: the currencies differ or the result does not fit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Two amounts in different currencies were combined.
    #[error("cannot combine {0} with {1}")]
    CurrencyMismatch(Currency, Currency),
    /// The result overflowed 64 bits.
    #[error("amount out of range")]
    Overflow,
}

impl Money {
    /// An amount in minor units.
    pub const fn new(amount: i64, currency: Currency) -> Self {
        Self { amount, currency }
    }

    /// Zero in the given currency.
    pub const fn zero(currency: Currency) -> Self {
        Self { amount: 0, currency }
    }

    /// The sum, or an error on mixed currencies or overflow.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(self.currency, other.currency));
        }
        let amount = self.amount.checked_add(other.amount).ok_or(MoneyError::Overflow)?;
        Ok(Money { amount, currency: self.currency })
    }

    /// The difference, or an error on mixed currencies or overflow.
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.checked_add(Money { amount: other.amount.checked_neg().ok_or(MoneyError::Overflow)?, ..other })
    }
}

/// Minor units as a plain decimal with two places: `-12.50` for -1250 (forms, CSV).
pub fn decimal(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// An amount for people, the one way Lokal shows money on every page, message and receipt:
/// `¥168`, `¥168.50`, `-¥5` (two decimals only when there are cents).
pub fn yuan(minor: i64) -> String {
    let mut out = String::with_capacity(12);
    let _ = write_yuan(&mut out, minor);
    out
}

/// Writes [`yuan`]'s text of `minor` into `w` (a message being put together).
pub fn write_yuan(w: &mut impl fmt::Write, minor: i64) -> fmt::Result {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let (whole, cents) = (abs / 100, abs % 100);
    if cents == 0 { write!(w, "{sign}¥{whole}") } else { write!(w, "{sign}¥{whole}.{cents:02}") }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", decimal(self.amount), self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn currency_codes_must_be_three_upper_case_letters() {
        assert_eq!(Currency::parse("CNY"), Some(Currency::CNY));
        assert_eq!(Currency::parse("cny"), None);
        assert_eq!(Currency::parse("CN"), None);
        assert_eq!(Currency::parse("CNYY"), None);
    }

    #[test]
    fn money_displays_minor_units_as_decimals() {
        assert_eq!(Money::new(1250, Currency::CNY).to_string(), "12.50 CNY");
        assert_eq!(Money::new(-5, Currency::CNY).to_string(), "-0.05 CNY");
    }

    #[test]
    fn money_for_people_shows_cents_only_when_there_are_some() {
        assert_eq!(yuan(16800), "¥168");
        assert_eq!(yuan(16850), "¥168.50");
        assert_eq!(yuan(5), "¥0.05");
        assert_eq!(yuan(0), "¥0");
        assert_eq!(yuan(-50), "-¥0.50");
        assert_eq!(yuan(-500), "-¥5");
        assert_eq!(yuan(i64::MIN), "-¥92233720368547758.08");
    }

    #[test]
    fn mixed_currencies_do_not_add() {
        let usd = Currency::parse("USD").expect("valid code");
        let err = Money::new(1, Currency::CNY).checked_add(Money::new(1, usd));
        assert_eq!(err, Err(MoneyError::CurrencyMismatch(Currency::CNY, usd)));
    }

    proptest! {
        #[test]
        fn adding_then_subtracting_returns_the_original(a in -1_000_000_000_000i64..1_000_000_000_000, b in -1_000_000_000_000i64..1_000_000_000_000) {
            let x = Money::new(a, Currency::CNY);
            let y = Money::new(b, Currency::CNY);
            prop_assert_eq!(x.checked_add(y).and_then(|s| s.checked_sub(y)), Ok(x));
        }

        #[test]
        fn overflow_is_an_error_never_a_wrap(a in any::<i64>(), b in any::<i64>()) {
            let r = Money::new(a, Currency::CNY).checked_add(Money::new(b, Currency::CNY));
            match a.checked_add(b) {
                Some(s) => prop_assert_eq!(r, Ok(Money::new(s, Currency::CNY))),
                None => prop_assert_eq!(r, Err(MoneyError::Overflow)),
            }
        }
    }
}
