//! A message for people, not yet in a language: a catalogue key and its arguments. The layers
//! below the edge (rules, use cases) say *what* to tell the person; the page or the API response
//! renders it in the reader's language from the message catalogues (`lokal-i18n`).

use std::borrow::Cow;
use std::fmt;

/// One argument of a message: text, or a whole number (numbers select plural forms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MsgArg {
    /// Text shown as it is (a name, a field, a code).
    Text(String),
    /// A whole number (a count, a limit, minutes).
    Int(i64),
    /// An amount of money in minor units, shown as `¥12` or `¥12.50`.
    Money(i64),
}

impl From<&str> for MsgArg {
    fn from(s: &str) -> Self {
        Self::Text(s.to_owned())
    }
}

impl From<String> for MsgArg {
    fn from(s: String) -> Self {
        Self::Text(s)
    }
}

impl From<std::borrow::Cow<'_, str>> for MsgArg {
    fn from(s: std::borrow::Cow<'_, str>) -> Self {
        Self::Text(s.into_owned())
    }
}

impl From<&&str> for MsgArg {
    fn from(s: &&str) -> Self {
        Self::Text((*s).to_owned())
    }
}

impl From<&String> for MsgArg {
    fn from(s: &String) -> Self {
        Self::Text(s.clone())
    }
}

macro_rules! int_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for MsgArg {
            fn from(n: $t) -> Self {
                Self::Int(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
        impl From<&$t> for MsgArg {
            fn from(n: &$t) -> Self {
                Self::from(*n)
            }
        }
    )*};
}
int_arg!(i8, i16, i32, i64, u8, u16, u32, u64, usize);

impl fmt::Display for MsgArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(s) => f.write_str(s),
            Self::Int(n) => write!(f, "{n}"),
            Self::Money(m) => f.write_str(&crate::money::yuan(*m)),
        }
    }
}

/// A message: the key of a catalogue entry (`err-sold-out`) and its named arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    /// The catalogue key. Keys are kebab-case ASCII; the same key exists in every catalogue.
    pub key: Cow<'static, str>,
    /// Named arguments, in the order given.
    pub args: Vec<(&'static str, MsgArg)>,
}

impl Msg {
    /// The message `key` with no arguments.
    pub const fn new(key: &'static str) -> Self {
        Self { key: Cow::Borrowed(key), args: Vec::new() }
    }

    /// The message with a key computed at run time (an enum's label: `status-paid`).
    pub fn dynamic(key: String) -> Self {
        Self { key: Cow::Owned(key), args: Vec::new() }
    }

    /// Adds the argument `name`.
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl Into<MsgArg>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    /// Adds an amount of money in minor units as the argument `name`.
    #[must_use]
    pub fn money(mut self, name: &'static str, minor: i64) -> Self {
        self.args.push((name, MsgArg::Money(minor)));
        self
    }

    /// The argument `name`, if given.
    pub fn arg(&self, name: &str) -> Option<&MsgArg> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

/// For logs and tests: the key and its arguments (`err-too-long(max=40)`), never shown to people.
impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key)?;
        if !self.args.is_empty() {
            f.write_str("(")?;
            for (i, (n, v)) in self.args.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{n}={v}")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// A key literal is a message (`FieldError::new("note", "field-required")`). Only literals: a
/// text made at run time cannot become a message, so no sentence reaches a person untranslated
/// (and a test checks every literal given this way is a key of both catalogues).
impl From<&'static str> for Msg {
    fn from(key: &'static str) -> Self {
        Self::new(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_keeps_its_key_and_arguments_in_order() {
        let m = Msg::new("field-too-long").with("max", 40usize).with("field", "note").money("fee", 150);
        assert_eq!(m.key, "field-too-long");
        assert_eq!(m.arg("max"), Some(&MsgArg::Int(40)));
        assert_eq!(m.to_string(), "field-too-long(max=40, field=note, fee=¥1.50)");
        assert_eq!(Msg::from("sold-out").to_string(), "sold-out");
    }
}
