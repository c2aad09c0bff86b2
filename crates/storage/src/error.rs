use grassroots_domain::DomainError;
use thiserror::Error;

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("database URL: {0}")]
    Url(String),
    #[error("database error")]
    Db(#[source] sqlx::Error),
    /// From the native SQLite connection of a bulk load (`bulk_sqlite`).
    #[error("database error")]
    Native(#[from] rusqlite::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        // A unique constraint is a conflict the caller can act on, not an internal failure.
        if let sqlx::Error::Database(db) = &e
            && db.is_unique_violation()
        {
            return StoreError::Domain(DomainError::Conflict(format!(
                "a record with the same unique value exists ({})",
                db.message()
            )));
        }
        StoreError::Db(e)
    }
}

impl StoreError {
    /// The domain error inside, if this is one (for mapping to HTTP statuses and messages).
    pub fn domain(&self) -> Option<&DomainError> {
        match self {
            StoreError::Domain(d) => Some(d),
            _ => None,
        }
    }
}
