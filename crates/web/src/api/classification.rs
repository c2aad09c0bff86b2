//! The annual review and classification through the API: an organization's review for a
//! year (its members or the organizations under it, each with its current classification),
//! recording a decision or its correction, and a member's or an organization's history.
//!
//! Every rule is the store's: a failing one answers 422 naming the record and the field (a
//! level that breaks the quota of "excellent", points missing under a points rulebook, a
//! member outside the party that year), a second decision without `supersedes` 409.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use grassroots_domain::DomainError;
use grassroots_domain::classification::{Decision, Level, SubjectKind};
use grassroots_domain::date::Date;
use grassroots_storage::classification::{
    AnnualReview, Classification, ClassificationReader, ClassificationWriter, NewClassification,
};
use serde::Deserialize;

use super::JsonBody;
use crate::AppState;
use crate::access::Access;
use crate::error::AppResult;

#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    pub year: Option<i32>,
}

/// The review year asked for; by default last year (the review is held at the year's end
/// and early in the next).
pub fn year_of(q: &YearQuery) -> i32 {
    q.year
        .unwrap_or_else(|| chrono::Datelike::year(&chrono::Local::now().date_naive()) - 1)
}

pub async fn review(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> AppResult<Json<AnnualReview>> {
    Ok(Json(
        app.store
            .annual_review(&access.scope, id, year_of(&q))
            .await?,
    ))
}

/// A decision as the API and the page send it.
#[derive(Debug, Deserialize)]
pub struct ClassifyBody {
    pub subject_kind: SubjectKind,
    pub subject_id: i64,
    pub year: i32,
    pub level: Level,
    pub points: Option<u32>,
    /// By default today.
    pub decided_on: Option<Date>,
    pub decided_by: i64,
    pub supersedes: Option<i64>,
    pub note: Option<String>,
}

/// Records the decision for the caller (the store checks the scope and every rule).
pub async fn record(
    app: &AppState,
    access: &Access,
    body: ClassifyBody,
) -> AppResult<Classification> {
    let new = NewClassification {
        subject_kind: body.subject_kind,
        subject_id: body.subject_id,
        decision: Decision {
            year: body.year,
            level: body.level,
            points: body.points,
            decided_on: body
                .decided_on
                .unwrap_or_else(|| chrono::Local::now().date_naive()),
            note: body.note,
        },
        decided_by: body.decided_by,
        supersedes: body.supersedes,
    };
    Ok(app
        .store
        .classify(&access.actor(), &access.scope, new)
        .await?)
}

pub async fn classify(
    State(app): State<AppState>,
    access: Access,
    JsonBody(body): JsonBody<ClassifyBody>,
) -> AppResult<(StatusCode, Json<Classification>)> {
    Ok((
        StatusCode::CREATED,
        Json(record(&app, &access, body).await?),
    ))
}

async fn history(
    app: &AppState,
    access: &Access,
    kind: SubjectKind,
    id: i64,
    year: Option<i32>,
) -> AppResult<Json<Vec<Classification>>> {
    // The subject itself must be visible: an unknown or out-of-scope one is not found.
    match kind {
        SubjectKind::Member => {
            use grassroots_storage::members::MemberReader;
            app.store.member(&access.scope, id).await?;
        }
        SubjectKind::Org => {
            use grassroots_storage::orgs::OrgReader;
            app.store.org(&access.scope, id).await?;
        }
    }
    if let Some(y) = year
        && !(1930..=9999).contains(&y)
    {
        return Err(DomainError::invalid(
            "classification history",
            "year",
            format!("{y} is not a year"),
        )
        .into());
    }
    Ok(Json(
        app.store
            .classification_history(&access.scope, kind, id, year)
            .await?,
    ))
}

pub async fn member_history(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> AppResult<Json<Vec<Classification>>> {
    history(&app, &access, SubjectKind::Member, id, q.year).await
}

pub async fn org_history(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> AppResult<Json<Vec<Classification>>> {
    history(&app, &access, SubjectKind::Org, id, q.year).await
}
