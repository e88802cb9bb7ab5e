//! Account rules: what a valid e-mail, phone number, password and display name are.
//! Each `parse` normalises its input and refuses bad input with a [`FieldError`] naming the field.

use crate::FieldError;

/// A normalised e-mail address (trimmed, lower-case).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Parses the value of field `field`.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim().to_lowercase();
        let bad = |m: crate::Msg| Err(FieldError::new(field, m));
        if s.is_empty() {
            return bad(crate::Msg::new("field-empty"));
        }
        if s.chars().count() > 254 {
            return bad(crate::Msg::new("field-too-long").with("max", 254));
        }
        let Some((local, domain)) = s.split_once('@') else {
            return bad(crate::Msg::new("field-email-no-at"));
        };
        let valid_domain = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty()
            || local.contains('@')
            || !valid_domain
            || s.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return bad(crate::Msg::new("field-email-invalid"));
        }
        Ok(Self(s))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number in E.164 form (`+8613800138000`). An 11-digit number starting with 1 is taken
/// as a mainland China mobile number, the platform's home market.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    /// Parses the value of field `field`; spaces, dashes and parentheses are ignored.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let compact: String = raw.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')')).collect();
        let (plus, digits) = match compact.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, compact.as_str()),
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(FieldError::new(field, "field-phone-digits"));
        }
        let e164 = if plus {
            digits.to_owned()
        } else if digits.len() == 11 && digits.starts_with('1') {
            format!("86{digits}")
        } else {
            return Err(FieldError::new(field, "field-phone-country"));
        };
        if !(8..=15).contains(&e164.len()) || e164.starts_with('0') {
            return Err(FieldError::new(field, "field-phone-invalid"));
        }
        Ok(Self(format!("+{e164}")))
    }

    /// The number in E.164 form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with all but the last four digits hidden, for logs and pages.
    pub fn masked(&self) -> String {
        let n = self.0.len();
        format!("{}****{}", &self.0[..n.min(3)], &self.0[n.saturating_sub(4)..])
    }
}

/// What a user types to log in: an e-mail address or a phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginId {
    /// Log in by e-mail.
    Email(Email),
    /// Log in by phone.
    Phone(Phone),
}

impl LoginId {
    /// An identifier containing `@` is an e-mail address; anything else must be a phone number.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        if raw.contains('@') {
            Email::parse(field, raw).map(Self::Email)
        } else {
            Phone::parse(field, raw).map(Self::Phone)
        }
    }

    /// A stable text key for rate limiting (not logged).
    pub fn key(&self) -> &str {
        match self {
            Self::Email(e) => e.as_str(),
            Self::Phone(p) => p.as_str(),
        }
    }
}

/// A password as typed: 8 to 128 characters, not only spaces. It is hashed at once and never
/// stored, logged or echoed.
pub struct Password(String);

impl Password {
    /// Checks the length rules of field `field`.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let n = raw.chars().count();
        if n < 8 {
            return Err(FieldError::new(field, crate::Msg::new("field-too-short").with("min", 8)));
        }
        if n > 128 {
            return Err(FieldError::new(field, crate::Msg::new("field-too-long").with("max", 128)));
        }
        if raw.trim().is_empty() {
            return Err(FieldError::new(field, "field-only-spaces"));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The secret, for hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A name shown to others: 1 to 64 characters after trimming, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    /// Parses the value of field `field`.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(FieldError::new(field, "field-empty"));
        }
        if s.chars().count() > 64 {
            return Err(FieldError::new(field, crate::Msg::new("field-too-long").with("max", 64)));
        }
        if s.chars().any(char::is_control) {
            return Err(FieldError::new(field, "field-control-chars"));
        }
        Ok(Self(s.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse("email", "  Li.Wei@Example.COM ").map(|e| e.0), Ok("li.wei@example.com".into()));
        for bad in ["", "a", "a@b", "@b.cn", "a@@b.cn", "a b@c.cn", "a@.cn", "a@b..cn"] {
            let err = Email::parse("email", bad).expect_err(bad);
            assert_eq!(err.field, "email");
        }
    }

    #[test]
    fn phones_become_e164() {
        assert_eq!(Phone::parse("phone", "138 0013 8000").map(|p| p.0), Ok("+8613800138000".into()));
        assert_eq!(Phone::parse("phone", "+1 (415) 555-0100").map(|p| p.0), Ok("+14155550100".into()));
        assert!(Phone::parse("phone", "555-0100").is_err());
        assert!(Phone::parse("phone", "+12").is_err());
        assert!(Phone::parse("phone", "+86abc").is_err());
    }

    #[test]
    fn masked_phone_hides_the_middle() {
        let p = Phone::parse("phone", "13800138000").expect("valid");
        assert_eq!(p.masked(), "+86****8000");
    }

    #[test]
    fn passwords_have_length_rules_and_never_print() {
        assert!(Password::parse("password", "short").is_err());
        assert!(Password::parse("password", "        ").is_err());
        assert!(Password::parse("password", &"x".repeat(129)).is_err());
        let p = Password::parse("password", "correct horse").expect("valid");
        assert_eq!(format!("{p:?}"), "Password(***)");
    }

    proptest! {
        #[test]
        fn parsing_never_panics(s in ".{0,300}") {
            let _ = Email::parse("f", &s);
            let _ = Phone::parse("f", &s);
            let _ = Password::parse("f", &s);
            let _ = DisplayName::parse("f", &s);
            let _ = LoginId::parse("f", &s);
        }

        #[test]
        fn a_parsed_email_parses_to_itself(local in "[a-z0-9._]{1,20}", domain in "[a-z0-9]{1,10}\\.[a-z]{2,4}") {
            let e = Email::parse("email", &format!("{local}@{domain}")).expect("valid");
            prop_assert_eq!(Email::parse("email", e.as_str()), Ok(e.clone()));
        }
    }
}
