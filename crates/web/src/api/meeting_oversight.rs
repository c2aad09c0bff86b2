//! What happens around a meeting besides its attendance: cancelling it with its reason, the
//! observers a superior committee sends and its evaluation of the meeting's quality (seeds
//! 002 and 004), and a cell's elected committee (secretary and deputy). The pages call the
//! same functions, so both follow one set of checks; the rules themselves are in storage.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use grassroots_domain::date::{Date, parse_date};
use grassroots_storage::meetings::{
    CellCommittee, Evaluation, Meeting, MeetingReader, MeetingWriter, NewCellCommittee, Observer,
};
use serde::Deserialize;

use super::JsonBody;
use crate::AppState;
use crate::access::Access;
use crate::error::AppResult;
use crate::pages::today;

#[derive(Debug, Deserialize)]
pub struct CancelBody {
    pub reason: String,
}

pub async fn cancel_with_reason(
    app: &AppState,
    access: &Access,
    id: i64,
    reason: &str,
) -> AppResult<Meeting> {
    Ok(app
        .store
        .cancel_meeting(&access.actor(), &access.scope, id, reason)
        .await?)
}

/// Cancels a scheduled meeting; the reason is required and kept.
pub async fn cancel(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<CancelBody>,
) -> AppResult<Json<Meeting>> {
    Ok(Json(
        cancel_with_reason(&app, &access, id, &body.reason).await?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct ObserverBody {
    pub member_id: i64,
    /// The superior committee that sends the observer.
    pub committee_org_id: i64,
    #[serde(default)]
    pub note: Option<String>,
}

pub async fn add_observer(
    app: &AppState,
    access: &Access,
    meeting_id: i64,
    body: &ObserverBody,
) -> AppResult<Observer> {
    Ok(app
        .store
        .assign_observer(
            &access.actor(),
            &access.scope,
            meeting_id,
            body.member_id,
            body.committee_org_id,
            body.note.as_deref(),
        )
        .await?)
}

/// A member of a superior committee assigned to attend the meeting.
pub async fn observe(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<ObserverBody>,
) -> AppResult<Response> {
    let observer = add_observer(&app, &access, id, &body).await?;
    Ok((StatusCode::CREATED, Json(observer)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct EvaluationBody {
    /// The superior committee that evaluates.
    pub evaluator_org_id: i64,
    /// One of the rulebook's meeting quality levels (good, fair, average, weak).
    pub level: String,
    #[serde(default)]
    pub notes: Option<String>,
    /// The day of the evaluation; today when left out.
    #[serde(default)]
    pub evaluated_on: Option<String>,
}

pub async fn add_evaluation(
    app: &AppState,
    access: &Access,
    meeting_id: i64,
    body: EvaluationBody,
) -> AppResult<Evaluation> {
    let record = format!("evaluation of meeting {meeting_id}");
    let evaluated_on = match body
        .evaluated_on
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        Some(raw) => parse_date(&record, "evaluated_on", raw)?,
        None => today(),
    };
    let evaluation = Evaluation {
        meeting_id,
        evaluator_org_id: body.evaluator_org_id,
        level: body.level,
        notes: body.notes.filter(|n| !n.trim().is_empty()),
        evaluated_on,
    };
    Ok(app
        .store
        .evaluate_meeting(&access.actor(), &access.scope, evaluation)
        .await?)
}

/// A superior committee classifies the quality of a held meeting.
pub async fn evaluate(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<EvaluationBody>,
) -> AppResult<Response> {
    let evaluation = add_evaluation(&app, &access, id, body).await?;
    Ok((StatusCode::CREATED, Json(evaluation)).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct OnQuery {
    pub on: Option<String>,
}

/// The cell committee in office on a day (today by default), or `null` when none is.
pub async fn committee_on(
    app: &AppState,
    access: &Access,
    org_id: i64,
    on: Option<&str>,
) -> AppResult<Option<CellCommittee>> {
    let day: Date = match on.filter(|s| !s.trim().is_empty()) {
        Some(raw) => parse_date(
            &format!("cell committee of organization {org_id}"),
            "on",
            raw,
        )?,
        None => today(),
    };
    Ok(app
        .store
        .cell_committee_on(&access.scope, org_id, day)
        .await?)
}

pub async fn cell_committee(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<OnQuery>,
) -> AppResult<Json<Option<CellCommittee>>> {
    Ok(Json(
        committee_on(&app, &access, id, q.on.as_deref()).await?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct CellCommitteeBody {
    pub elected_on: String,
    pub secretary_member_id: i64,
    #[serde(default)]
    pub deputy_member_id: Option<i64>,
    /// The decision that recognizes the election, e.g. "15-QĐ/ĐU".
    #[serde(default)]
    pub decision: Option<String>,
}

pub async fn elect(
    app: &AppState,
    access: &Access,
    org_id: i64,
    body: CellCommitteeBody,
) -> AppResult<CellCommittee> {
    let record = format!("cell committee of organization {org_id}");
    let new = NewCellCommittee {
        org_id,
        elected_on: parse_date(&record, "elected_on", &body.elected_on)?,
        secretary_member_id: body.secretary_member_id,
        deputy_member_id: body.deputy_member_id,
        decision: body.decision.filter(|d| !d.trim().is_empty()),
    };
    Ok(app
        .store
        .record_cell_committee(&access.actor(), &access.scope, new)
        .await?)
}

/// Records a cell's newly elected committee; the one before it ends that day.
pub async fn elect_cell_committee(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<CellCommitteeBody>,
) -> AppResult<Response> {
    let committee = elect(&app, &access, id, body).await?;
    Ok((StatusCode::CREATED, Json(committee)).into_response())
}
