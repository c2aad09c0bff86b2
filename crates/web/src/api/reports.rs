//! `GET /api/v1/orgs/{id}/report`: the report of an organization's subtree for a period, as
//! JSON (the contract of docs/report-contract.md) or as an Excel, Word or PDF download.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use grassroots_reports::template::{Template, layout};
use grassroots_reports::{Period, Report, build, export, parse_period};
use serde::Deserialize;

use crate::AppState;
use crate::access::Access;
use crate::error::{AppError, AppResult};

#[derive(Debug, Deserialize)]
pub struct ReportQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub format: Option<String>,
}

/// The period asked for; by default the running year ([`Period::running_year`]: 1 January
/// to today), the period the server keeps warm, so that the default report reads kept figures.
pub fn period_of(q: &ReportQuery) -> AppResult<Period> {
    let running = Period::running_year(chrono::Local::now().date_naive());
    let given = |raw: &Option<String>| raw.clone().filter(|s| !s.is_empty());
    let from = given(&q.from).unwrap_or_else(|| running.from.to_string());
    let to = given(&q.to).unwrap_or_else(|| running.to.to_string());
    Ok(parse_period(&from, &to)?)
}

/// Builds the report the caller may see: the scope of their role applies to every figure.
pub async fn report_for(
    app: &AppState,
    access: &Access,
    id: i64,
    period: Period,
) -> AppResult<Report> {
    Ok(build(&app.store, &access.scope, id, period).await?)
}

pub async fn report(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
) -> AppResult<Response> {
    let period = period_of(&q)?;
    let report = report_for(&app, &access, id, period).await?;
    let format = q.format.as_deref().unwrap_or("json");
    let today = chrono::Local::now().date_naive();
    let (bytes, content_type, extension) = match format {
        "json" => return Ok(Json(report).into_response()),
        "xlsx" => (
            export::xlsx::workbook(&report)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        "docx" => (
            export::docx::document(&layout(&report, &Template::default_vi()?, today), &report)?,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        "pdf" => (
            export::pdf::document(&layout(&report, &Template::default_vi()?, today), &report)?,
            "application/pdf",
            "pdf",
        ),
        other => {
            return Err(AppError::Domain(grassroots_domain::DomainError::invalid(
                "report",
                "format",
                format!("`{other}` is not one of json, xlsx, docx, pdf"),
            )));
        }
    };
    let filename = format!(
        "bao-cao-{}-{}-{}.{extension}",
        report.org.code, period.from, period.to
    );
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
