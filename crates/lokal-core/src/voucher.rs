//! Voucher codes (券码): 60 random bits as 12 Crockford base-32 characters plus a Luhn mod 32
//! check character, shown in groups of four or five (`7K3M-X9QD-2HFA-R`). Typing is forgiving:
//! case, spaces and dashes are ignored, and `I`/`L` read as 1, `O` as 0; a mistyped character or
//! two swapped neighbours fail the check digit instead of naming someone else's voucher.

use crate::FieldError;
use std::fmt;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const BODY: usize = 12;

/// A well-formed voucher code (the check character is valid).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VoucherCode(String);

fn value(c: char) -> Option<u32> {
    let c = match c.to_ascii_uppercase() {
        'I' | 'L' => '1',
        'O' => '0',
        c => c,
    };
    ALPHABET.iter().position(|&a| char::from(a) == c).map(|p| p as u32)
}

/// Luhn mod 32 check character over `digits` (values 0..32).
fn check(digits: &[u32]) -> u32 {
    let mut sum = 0;
    for (i, d) in digits.iter().rev().enumerate() {
        let v = if i % 2 == 0 { d * 2 } else { *d };
        sum += v / 32 + v % 32;
    }
    (32 - sum % 32) % 32
}

impl VoucherCode {
    /// The code for 60 random bits (the high 4 bits of `entropy` are ignored).
    pub fn from_entropy(entropy: u64) -> Self {
        let digits: Vec<u32> = (0..BODY).rev().map(|i| ((entropy >> (5 * i)) & 31) as u32).collect();
        let c = check(&digits);
        let s = digits.iter().chain(std::iter::once(&c)).map(|&d| char::from(ALPHABET[d as usize])).collect();
        Self(s)
    }

    /// Parses what a person typed or a scanner read.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let bad = || FieldError::new(field, "field-voucher-code");
        if raw.len() > 64 {
            return Err(bad());
        }
        let digits =
            raw.chars().filter(|c| !matches!(c, ' ' | '-')).map(value).collect::<Option<Vec<u32>>>().ok_or_else(bad)?;
        if digits.len() != BODY + 1 {
            return Err(bad());
        }
        if check(&digits[..BODY]) != digits[BODY] {
            return Err(FieldError::new(field, "field-voucher-code-typo"));
        }
        Ok(Self(digits.iter().map(|&d| char::from(ALPHABET[d as usize])).collect()))
    }

    /// The canonical form (13 characters, no dashes), as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For people: `7K3M-X9QD-2HFA-R`.
    pub fn display(&self) -> String {
        Self::display_of(&self.0)
    }

    /// A stored canonical code for people; anything else is shown as it is.
    pub fn display_of(code: &str) -> String {
        match (code.get(0..4), code.get(4..8), code.get(8..12), code.get(12..)) {
            (Some(a), Some(b), Some(c), Some(d)) if code.len() == BODY + 1 => format!("{a}-{b}-{c}-{d}"),
            _ => code.to_owned(),
        }
    }
}

impl fmt::Display for VoucherCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_code_reads_back_through_dashes_case_and_lookalikes() {
        let c = VoucherCode::from_entropy(0x0123_4567_89ab_cdef);
        let shown = c.display();
        assert_eq!(VoucherCode::parse("code", &shown).expect("parses"), c);
        assert_eq!(VoucherCode::parse("code", &shown.to_lowercase().replace('-', " ")).expect("parses"), c);
        let zero = VoucherCode::from_entropy(0);
        let typed = zero.as_str().replacen('0', "o", 3);
        assert_eq!(VoucherCode::parse("code", &typed).expect("O reads as 0"), zero);
        assert!(VoucherCode::parse("code", "").is_err());
        assert!(VoucherCode::parse("code", "not a code!!").is_err());
        assert!(VoucherCode::parse("code", &"A".repeat(10_000)).is_err());
    }

    proptest! {
        #[test]
        fn one_wrong_character_or_a_swap_is_caught(bits in any::<u64>(), pos in 0usize..13, delta in 1u32..32) {
            let c = VoucherCode::from_entropy(bits);
            let mut d: Vec<u32> = c.as_str().chars().filter_map(value).collect();
            d[pos] = (d[pos] + delta) % 32;
            let typo: String = d.iter().map(|&v| char::from(ALPHABET[v as usize])).collect();
            prop_assert!(VoucherCode::parse("code", &typo).is_err());
        }

        #[test]
        fn adjacent_swaps_are_caught_unless_equal(bits in any::<u64>(), pos in 0usize..12) {
            let c = VoucherCode::from_entropy(bits);
            let mut d: Vec<char> = c.as_str().chars().collect();
            prop_assume!(d[pos] != d[pos + 1]);
            d.swap(pos, pos + 1);
            let swapped: String = d.into_iter().collect();
            // Luhn mod N misses only the swap of the first and last characters of the alphabet.
            let pair = [value(swapped.as_bytes()[pos] as char), value(swapped.as_bytes()[pos + 1] as char)];
            prop_assume!(pair != [Some(0), Some(31)] && pair != [Some(31), Some(0)]);
            prop_assert!(VoucherCode::parse("code", &swapped).is_err());
        }
    }
}
