//! The JSON API under `/api/v1`: the same data and the same access rules as the pages
//! (both are declared in the one route table).

pub mod classification;
pub mod documents;
pub mod lifecycle;
pub mod meeting_oversight;
pub mod meetings;
pub mod members;
pub mod orgs;
pub mod registers;
pub mod reports;
pub mod session;
pub mod training;

use axum::Json;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// A JSON body whose rejection is an [`AppError`] (so it gets the one error format).
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        Json::<T>::from_request(req, state)
            .await
            .map(|Json(v)| JsonBody(v))
            .map_err(|e| AppError::BadRequest(e.body_text()))
    }
}
