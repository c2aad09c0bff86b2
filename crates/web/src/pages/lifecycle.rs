//! Lifecycle pages of an organization: the candidate pipeline (each candidate's steps and
//! pending deadline, overdue ones highlighted), the probation list, the badges due for an
//! award day, and a cell's monthly dues page with its Excel download.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use grassroots_storage::orgs::OrgReader;
use minijinja::context;
use serde::Serialize;

use crate::AppState;
use crate::access::{Access, Ctx};
use crate::api::lifecycle::{BadgeQuery, OnQuery, SheetQuery, award_day_of, month_or_current};
use crate::error::AppResult;
use crate::render;

fn today() -> grassroots_domain::date::Date {
    chrono::Local::now().date_naive()
}

/// A candidate as the pipeline table shows it.
#[derive(Debug, Serialize)]
struct CandidateRow {
    id: i64,
    full_name: String,
    birth_date: String,
    registered_on: String,
    /// `(step, done_on, document)` of every recorded step.
    steps: Vec<(String, String, String)>,
    next_step: Option<String>,
    due_on: Option<String>,
    overdue: bool,
}

pub async fn candidates_page(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<OnQuery>,
) -> AppResult<Response> {
    let org = app.store.org(&access.scope, id).await?;
    let on = match q.on.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => grassroots_domain::date::parse_date("candidate pipeline", "on", s)?,
        None => today(),
    };
    let list = app.store.candidate_pipeline(&access.scope, id, on).await?;
    let rows: Vec<CandidateRow> = list
        .into_iter()
        .map(|c| CandidateRow {
            id: c.id,
            full_name: c.full_name,
            birth_date: c.birth_date.to_string(),
            registered_on: c.registered_on.to_string(),
            steps: c
                .steps
                .iter()
                .map(|s| {
                    (
                        s.step.as_str().to_owned(),
                        s.done_on.to_string(),
                        s.document.clone().unwrap_or_default(),
                    )
                })
                .collect(),
            next_step: c.next_step.map(|s| s.as_str().to_owned()),
            due_on: c.due.map(|d| d.due_on.to_string()),
            overdue: c.overdue,
        })
        .collect();
    let overdue = rows.iter().filter(|r| r.overdue).count();
    let html = render::page(
        &app,
        &ctx,
        "candidates.html",
        context! { org, on => on.to_string(), rows, overdue },
    )?;
    Ok(html.into_response())
}

pub async fn probation_page(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<OnQuery>,
) -> AppResult<Response> {
    let org = app.store.org(&access.scope, id).await?;
    let on = match q.on.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => grassroots_domain::date::parse_date("probation list", "on", s)?,
        None => today(),
    };
    let rows = app.store.probation_list(&access.scope, id, on).await?;
    let html = render::page(
        &app,
        &ctx,
        "probation.html",
        context! { org, on => on.to_string(), rows },
    )?;
    Ok(html.into_response())
}

pub async fn badges_page(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<BadgeQuery>,
) -> AppResult<Response> {
    let org = app.store.org(&access.scope, id).await?;
    let day = award_day_of(q.award_day.as_deref())?;
    let rows = app.store.badges_due(&access.scope, id, day).await?;
    let html = render::page(
        &app,
        &ctx,
        "badges.html",
        context! { org, award_day => day.to_string(), rows },
    )?;
    Ok(html.into_response())
}

pub async fn dues_page(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<SheetQuery>,
) -> AppResult<Response> {
    let org = app.store.org(&access.scope, id).await?;
    let month = month_or_current(q.month.as_deref(), "dues sheet", "month")?;
    let sheet = app.store.dues_sheet(&access.scope, id, month).await?;
    let html = render::page(
        &app,
        &ctx,
        "dues.html",
        context! { org, month => month.to_string(), sheet },
    )?;
    Ok(html.into_response())
}
