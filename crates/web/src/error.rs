//! The one error type of the web layer and its one mapping to HTTP.
//!
//! Every handler returns `Result<_, AppError>`. The response carries a JSON body
//! `{error, record, field, message}` and, in its extensions, the [`ErrorInfo`] that the
//! route guard turns into a friendly page on HTML routes.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use grassroots_domain::DomainError;
use grassroots_storage::StoreError;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// No valid session: pages redirect to the sign-in page, the API answers 401.
    #[error("sign in first")]
    Unauthenticated,
    /// The CSRF token of a form or header is missing or wrong.
    #[error("the form has expired or did not come from this site; reload the page and try again")]
    BadCsrf,
    /// Too many failed sign-ins for this user name from this address.
    #[error("too many failed sign-ins; wait {0} minutes")]
    TooManyAttempts(u64),
    /// A request that could not be read (bad JSON, bad query string).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Anything else: logged with its cause chain, answered with an opaque 500.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl From<grassroots_reports::ReportError> for AppError {
    fn from(e: grassroots_reports::ReportError) -> Self {
        match e {
            grassroots_reports::ReportError::Store(s) => s.into(),
            other => AppError::Internal(anyhow::Error::new(other)),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Domain(d) => AppError::Domain(d),
            other => AppError::Internal(anyhow::Error::new(other)),
        }
    }
}

impl AppError {
    pub fn internal(e: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(e.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Domain(DomainError::NotFound { .. }) => StatusCode::NOT_FOUND,
            AppError::Domain(DomainError::Conflict(_)) => StatusCode::CONFLICT,
            AppError::Domain(DomainError::Invalid { .. }) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Domain(DomainError::Forbidden(_)) | AppError::BadCsrf => {
                StatusCode::FORBIDDEN
            }
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The machine-readable body. Internal errors say nothing about their cause.
    pub fn body(&self) -> ErrorBody {
        let (error, record, field) = match self {
            AppError::Domain(DomainError::NotFound { .. }) => ("not_found", None, None),
            AppError::Domain(DomainError::Conflict(_)) => ("conflict", None, None),
            AppError::Domain(DomainError::Invalid { record, field, .. }) => {
                ("invalid", Some(record.clone()), Some(field.clone()))
            }
            AppError::Domain(DomainError::Forbidden(_)) => ("forbidden", None, None),
            AppError::BadCsrf => ("bad_csrf", None, None),
            AppError::Unauthenticated => ("unauthenticated", None, None),
            AppError::TooManyAttempts(_) => ("too_many_attempts", None, None),
            AppError::BadRequest(_) => ("bad_request", None, None),
            AppError::Internal(_) => ("internal", None, None),
        };
        let message = match self {
            AppError::Domain(DomainError::Invalid { message, .. }) => message.clone(),
            other => other.to_string(),
        };
        ErrorBody {
            error,
            record,
            field,
            message,
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ErrorBody {
    pub error: &'static str,
    pub record: Option<String>,
    pub field: Option<String>,
    pub message: String,
}

/// Put in the extensions of an error response, so HTML routes can render a page for it.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub status: StatusCode,
    pub body: ErrorBody,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let AppError::Internal(cause) = &self {
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        let body = self.body();
        let mut response = (status, Json(body.clone())).into_response();
        response.extensions_mut().insert(ErrorInfo { status, body });
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_mapping_for_every_error() {
        let cases = [
            (AppError::from(DomainError::not_found("member", 3)), 404),
            (AppError::from(DomainError::Conflict("x".into())), 409),
            (
                AppError::from(DomainError::invalid("member 3", "full_name", "bad")),
                422,
            ),
            (AppError::from(DomainError::Forbidden("no".into())), 403),
            (AppError::internal(anyhow::anyhow!("disk on fire")), 500),
        ];
        for (err, status) in cases {
            assert_eq!(err.status().as_u16(), status, "{err:?}");
        }
    }

    #[test]
    fn internal_errors_are_opaque_and_invalid_names_the_field() {
        let body = AppError::internal(anyhow::anyhow!("password=hunter2")).body();
        assert!(!body.message.contains("hunter2"));
        let body =
            AppError::from(DomainError::invalid("member 3", "citizen_id", "12 digits")).body();
        assert_eq!(body.error, "invalid");
        assert_eq!(body.record.as_deref(), Some("member 3"));
        assert_eq!(body.field.as_deref(), Some("citizen_id"));
        assert_eq!(body.message, "12 digits");
    }
}
