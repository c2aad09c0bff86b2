//! Server-rendered pages. Handlers read with the [`Access`](crate::access::Access) scope the
//! guard gave them; they never decide access themselves.

pub mod classification;
pub mod dashboard;
pub mod documents;
pub mod lifecycle;
pub mod meeting_oversight;
pub mod meetings;
pub mod members;
pub mod orgs;
pub mod registers;
pub mod reports;
pub mod session;

use std::collections::BTreeMap;

use axum::response::{IntoResponse, Redirect, Response};
use grassroots_domain::DomainError;
use grassroots_domain::date::{Date, parse_date};

/// The raw fields of a submitted form.
pub type FormData = BTreeMap<String, String>;

/// A field's trimmed text, `None` when empty.
pub fn opt(form: &FormData, name: &str) -> Option<String> {
    form.get(name)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

pub fn req(form: &FormData, record: &str, name: &str) -> Result<String, DomainError> {
    opt(form, name).ok_or_else(|| DomainError::invalid(record, name, "is required"))
}

pub fn req_date(form: &FormData, record: &str, name: &str) -> Result<Date, DomainError> {
    parse_date(record, name, &req(form, record, name)?)
}

pub fn opt_date(form: &FormData, record: &str, name: &str) -> Result<Option<Date>, DomainError> {
    opt(form, name)
        .map(|raw| parse_date(record, name, &raw))
        .transpose()
}

pub fn req_int(form: &FormData, record: &str, name: &str) -> Result<i64, DomainError> {
    req(form, record, name)?
        .parse()
        .map_err(|_| DomainError::invalid(record, name, "must be a whole number"))
}

/// A redirect after a successful POST (303, so the browser follows with GET).
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// Only local paths may be redirect targets, so a link cannot bounce a user elsewhere.
pub fn local_path(raw: Option<&str>) -> String {
    match raw {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_owned(),
        _ => "/".to_owned(),
    }
}

pub fn today() -> Date {
    chrono::Local::now().date_naive()
}
