//! A validation failure that names the field it concerns, so a client can point at it.

/// Why a value given for a named field was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// The field's name as the client sent it (`email`, `items[2].quantity`, …).
    pub field: String,
    /// A human explanation, in English.
    pub message: String,
}

impl FieldError {
    /// A refusal of `field` with a human explanation.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}
