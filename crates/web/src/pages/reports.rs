//! The report page of an organization: every figure of its subtree for a period beside the
//! previous period, with the Excel, Word and PDF downloads.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use grassroots_reports::{contract, format};
use minijinja::context;

use crate::AppState;
use crate::access::{Access, Ctx};
use crate::api::reports::{ReportQuery, period_of, report_for};
use crate::error::AppResult;
use crate::render;

#[derive(Debug, serde::Serialize)]
struct Row {
    key: String,
    label: String,
    value: String,
    previous: String,
    change: String,
}

pub async fn report_page(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
) -> AppResult<Response> {
    let period = period_of(&q)?;
    let report = report_for(&app, &access, id, period).await?;
    let rows: Vec<Row> = report
        .lines
        .iter()
        .map(|l| {
            let [value, previous, change] = format::cells(report.shown(l), l.previous.is_some());
            Row {
                key: l.key.clone(),
                label: contract::label_vi(&l.key),
                value,
                previous,
                change,
            }
        })
        .collect();
    let html = render::page(
        &app,
        &ctx,
        "report.html",
        context! {
            org => &report.org,
            from => period.from.to_string(),
            to => period.to.to_string(),
            previous_from => report.previous_period.from,
            previous_to => report.previous_period.to,
            rows,
        },
    )?;
    Ok(html.into_response())
}
