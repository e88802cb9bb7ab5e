//! A validation failure that names the field it concerns, so a client can point at it.

use crate::Msg;

/// Why a value given for a named field was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {msg}")]
pub struct FieldError {
    /// The field's name as the client sent it (`email`, `items[2].quantity`, …).
    pub field: String,
    /// Why, as a message for people (rendered in the reader's language at the edge).
    pub msg: Msg,
}

impl FieldError {
    /// A refusal of `field`, saying why.
    pub fn new(field: impl Into<String>, msg: impl Into<Msg>) -> Self {
        Self { field: field.into(), msg: msg.into() }
    }

    /// The same refusal of a field nested under `prefix` (`address.lat`).
    #[must_use]
    pub fn under(self, prefix: &str) -> Self {
        Self { field: format!("{prefix}.{}", self.field), msg: self.msg }
    }
}

/// `must be between {min} and {max}` (a count, a number of days, a percentage in basis points…).
pub fn between(min: i64, max: i64) -> Msg {
    Msg::new("field-range").with("min", min).with("max", max)
}

/// `must be between {min} and {max} minor units`: an amount of money as the API takes it (fen).
pub fn amount_between(min: i64, max: i64) -> Msg {
    Msg::new("field-amount-range").with("min", min).with("max", max)
}

/// A single line of free text a person typed: trimmed, at most `max` characters, no control
/// characters (PostgreSQL refuses NUL in text, and none belongs in a note or a reason); empty is
/// refused when `required`.
pub fn line_of_text(field: &str, raw: &str, max: usize, required: bool) -> Result<String, FieldError> {
    let s = raw.trim();
    if required && s.is_empty() {
        return Err(FieldError::new(field, "field-required"));
    }
    if s.chars().count() > max {
        return Err(FieldError::new(field, Msg::new("field-too-long").with("max", max)));
    }
    if s.chars().any(char::is_control) {
        return Err(FieldError::new(field, "field-control-chars"));
    }
    Ok(s.to_owned())
}

/// An RFC 3339 time sent in `field`, or an error naming it.
pub fn instant(field: &str, s: &str) -> Result<crate::Timestamp, FieldError> {
    crate::Timestamp::parse_rfc3339(s).ok_or_else(|| FieldError::new(field, "field-time"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_of_text_is_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(line_of_text("note", "  no chilli  ", 20, false), Ok("no chilli".into()));
        assert_eq!(line_of_text("note", "", 20, false), Ok(String::new()));
        assert_eq!(line_of_text("reason", " ", 20, true).map_err(|e| e.field), Err("reason".into()));
        assert!(line_of_text("note", "a\u{0}b", 20, false).is_err());
        assert!(line_of_text("note", "a\nb", 20, false).is_err());
        assert!(line_of_text("note", "火锅火锅火", 4, false).is_err());
    }
}
