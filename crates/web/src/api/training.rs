//! Training courses through the API: courses of an organization, their sessions,
//! participants (members or named non-members), results and certificates.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use grassroots_domain::date::Date;
use grassroots_storage::documents::{
    Course, CourseParticipant, NewMemberCourse, NewParticipant, ParticipantResult, TrainingReader,
    TrainingWriter,
};
use serde::Deserialize;

use super::JsonBody;
use super::documents::with_id;
use crate::AppState;
use crate::access::Access;
use crate::error::AppResult;

/// `POST /api/v1/orgs/{id}/courses`: a course organized by the organization.
pub async fn create(
    State(app): State<AppState>,
    access: Access,
    Path(org_id): Path<i64>,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> AppResult<Response> {
    let new = with_id(body, "org_id", org_id)?;
    let course = app
        .store
        .create_course(&access.actor(), &access.scope, new)
        .await?;
    Ok((StatusCode::CREATED, Json(course)).into_response())
}

/// `GET /api/v1/orgs/{id}/courses`: courses organized in the subtree, newest first.
pub async fn list(
    State(app): State<AppState>,
    access: Access,
    Path(org_id): Path<i64>,
) -> AppResult<Json<Vec<Course>>> {
    Ok(Json(app.store.courses_of(&access.scope, org_id).await?))
}

pub async fn get(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Course>> {
    Ok(Json(app.store.course(&access.scope, id).await?))
}

#[derive(Debug, Deserialize)]
pub struct NewSession {
    pub held_on: Date,
    pub topic: String,
}

/// `POST /api/v1/courses/{id}/sessions`.
pub async fn add_session(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NewSession>,
) -> AppResult<Response> {
    let session = app
        .store
        .add_session(
            &access.actor(),
            &access.scope,
            id,
            body.held_on,
            &body.topic,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(session)).into_response())
}

/// `POST /api/v1/courses/{id}/participants`: `{"kind": "member", "member_id": ..}` or
/// `{"kind": "person", "name": .., "birth_date": ..}`.
pub async fn add_participant(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NewParticipant>,
) -> AppResult<Response> {
    let participant = app
        .store
        .add_participant(&access.actor(), &access.scope, id, body)
        .await?;
    Ok((StatusCode::CREATED, Json(participant)).into_response())
}

/// `POST /api/v1/participants/{id}/result`: the result and certificate, recorded once.
pub async fn record_result(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<ParticipantResult>,
) -> AppResult<Json<CourseParticipant>> {
    Ok(Json(
        app.store
            .record_result(&access.actor(), &access.scope, id, body)
            .await?,
    ))
}

/// `GET /api/v1/members/{id}/new-member-course`: whether the member has passed the
/// political theory course for new members that probation requires.
pub async fn new_member_course(
    State(app): State<AppState>,
    access: Access,
    Path(member_id): Path<i64>,
) -> AppResult<Json<NewMemberCourse>> {
    Ok(Json(
        app.store
            .new_member_course(&access.scope, member_id)
            .await?,
    ))
}
