//! The one error type of the domain. Every layer above maps it to its own surface
//! (HTTP status, CLI exit message) in exactly one place.

use thiserror::Error;

pub type DomainResult<T> = Result<T, DomainError>;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DomainError {
    /// Input that breaks a rule. Names the record and the field so a person can fix it.
    #[error("{record}: field `{field}`: {message}")]
    Invalid {
        record: String,
        field: String,
        message: String,
    },
    #[error("{entity} {key} not found")]
    NotFound { entity: &'static str, key: String },
    /// The request is well-formed but clashes with what is stored (duplicate, stale state).
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
}

impl DomainError {
    pub fn invalid(
        record: impl Into<String>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::Invalid {
            record: record.into(),
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn not_found(entity: &'static str, key: impl ToString) -> Self {
        Self::NotFound {
            entity,
            key: key.to_string(),
        }
    }
}
