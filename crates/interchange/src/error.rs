//! Errors of imports and exports. A problem in the input names its line, its record and
//! its field, so that a person can find and fix it.

use grassroots_domain::DomainError;
use grassroots_storage::StoreError;
use thiserror::Error;

pub type InterchangeResult<T> = Result<T, InterchangeError>;

#[derive(Debug, Error)]
pub enum InterchangeError {
    /// A field of an input line is wrong.
    #[error("line {line} ({record}): field \"{field}\": {message}")]
    Field {
        line: usize,
        record: String,
        field: String,
        message: String,
    },
    /// An input line is wrong as a whole (not JSON, unknown type, a write refused).
    #[error("line {line} ({record}): {message}")]
    Line {
        line: usize,
        record: String,
        message: String,
    },
    /// The file as a whole is wrong (no header, wrong format, no rows).
    #[error("{0}")]
    File(String),
    /// The target database already holds records; a full import needs an empty one.
    #[error(
        "the database is not empty: a full import restores an export into an empty database only \
         (use a new database, or import CSV/XLSX tables to add to this one)"
    )]
    NotEmpty,
    #[error("reading or writing: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl InterchangeError {
    pub fn field(
        line: usize,
        record: impl Into<String>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        InterchangeError::Field {
            line,
            record: record.into(),
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn line(line: usize, record: impl Into<String>, message: impl Into<String>) -> Self {
        InterchangeError::Line {
            line,
            record: record.into(),
            message: message.into(),
        }
    }

    /// Places a storage error at a line: an invalid field keeps its field name.
    pub fn at_line(line: usize, record: &str, error: StoreError) -> Self {
        match error {
            StoreError::Domain(DomainError::Invalid { field, message, .. }) => {
                InterchangeError::field(line, record, field, message)
            }
            StoreError::Domain(other) => InterchangeError::line(line, record, other.to_string()),
            other => InterchangeError::Store(other),
        }
    }
}
