//! The membership lifecycle through the API: the candidate pipeline and its admission
//! steps, probation and official recognition, transfer letters, outcomes, badges due for an
//! award day, and dues (payments, a member's lines, a cell's monthly sheet, arrears).
//!
//! Every condition is checked by the store; a failing one answers 422 with the record, the
//! field and the reason, in the one error format.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use grassroots_domain::DomainError;
use grassroots_domain::date::{Date, parse_date};
use grassroots_domain::lifecycle::dues::{Income, YearMonth};
use grassroots_domain::member::Gender;
use grassroots_storage::lifecycle::badges::BadgeRow;
use grassroots_storage::lifecycle::candidates::{Candidate, NewCandidate, StepInput};
use grassroots_storage::lifecycle::dues::{ArrearsRow, DuesLine, DuesSheet};
use grassroots_storage::lifecycle::dues_sheet::dues_sheet_xlsx;
use grassroots_storage::lifecycle::outcomes::{Outcome, OutcomeKind};
use grassroots_storage::lifecycle::probation::{ProbationRow, RecognitionRecord};
use grassroots_storage::lifecycle::transfers::TransferLetter;
use grassroots_storage::members::MemberReader;
use serde::Deserialize;
use serde_json::json;

use super::JsonBody;
use crate::AppState;
use crate::access::Access;
use crate::error::{AppError, AppResult};

fn today() -> Date {
    chrono::Local::now().date_naive()
}

/// A date of the query string, or today; a malformed one names its field.
fn day_or_today(raw: Option<&str>, record: &str, field: &str) -> AppResult<Date> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Ok(parse_date(record, field, s)?),
        None => Ok(today()),
    }
}

/// A `YYYY-MM` month of the query string or body, or the current month.
pub fn month_or_current(raw: Option<&str>, record: &str, field: &str) -> AppResult<YearMonth> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Ok(YearMonth::parse(record, field, s)?),
        None => Ok(YearMonth::of(today())),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct OnQuery {
    pub on: Option<String>,
}

/// The candidates of the subtree still in the pipeline, each with its next step, its
/// pending deadline and whether that deadline has passed on `on`.
pub async fn candidates(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<OnQuery>,
) -> AppResult<Json<Vec<Candidate>>> {
    let on = day_or_today(q.on.as_deref(), "candidate pipeline", "on")?;
    Ok(Json(
        app.store.candidate_pipeline(&access.scope, id, on).await?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct CandidateBody {
    pub full_name: String,
    pub birth_date: Date,
    pub gender: Gender,
    pub ethnicity: String,
    pub citizen_id: Option<String>,
    pub registered_on: Option<Date>,
}

/// Registers a candidate in the cell of the path.
pub async fn create_candidate(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<CandidateBody>,
) -> AppResult<Response> {
    let c = app
        .store
        .register_candidate(
            &access.actor(),
            &access.scope,
            NewCandidate {
                org_id: id,
                full_name: b.full_name,
                birth_date: b.birth_date,
                gender: b.gender,
                ethnicity: b.ethnicity,
                citizen_id: b.citizen_id.filter(|s| !s.trim().is_empty()),
                registered_on: b.registered_on.unwrap_or_else(today),
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(c)).into_response())
}

/// One candidate with every recorded step.
pub async fn candidate(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Candidate>> {
    Ok(Json(app.store.candidate(&access.scope, id).await?))
}

#[derive(Debug, Deserialize)]
pub struct StepBody {
    /// The day the step was done.
    pub on: Date,
    /// `step` names the step; its other fields are what the step's condition needs.
    #[serde(flatten)]
    pub input: StepInput,
}

/// Records an admission step after checking its condition.
pub async fn record_step(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<StepBody>,
) -> AppResult<Json<Candidate>> {
    Ok(Json(
        app.store
            .record_step(&access.actor(), &access.scope, id, b.on, b.input)
            .await?,
    ))
}

/// Probationary members of the subtree with where their probation stands on `on`.
pub async fn probation(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<OnQuery>,
) -> AppResult<Json<Vec<ProbationRow>>> {
    let on = day_or_today(q.on.as_deref(), "probation list", "on")?;
    Ok(Json(app.store.probation_list(&access.scope, id, on).await?))
}

#[derive(Debug, Deserialize)]
pub struct CourseBody {
    pub completed_on: Date,
    pub certificate_no: String,
}

/// Records the new-member course a probationary member needs before recognition.
pub async fn new_member_course(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<CourseBody>,
) -> AppResult<Json<serde_json::Value>> {
    app.store
        .record_new_member_course(
            &access.actor(),
            &access.scope,
            id,
            b.completed_on,
            &b.certificate_no,
        )
        .await?;
    Ok(Json(
        json!({ "member_id": id, "completed_on": b.completed_on, "certificate_no": b.certificate_no.trim() }),
    ))
}

#[derive(Debug, Deserialize)]
pub struct RecognitionBody {
    pub reviewed_on: Date,
    pub document: String,
}

/// Official recognition after the cell's review, dated back to the end of probation.
pub async fn recognize(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<RecognitionBody>,
) -> AppResult<Json<RecognitionRecord>> {
    Ok(Json(
        app.store
            .recognize_official(
                &access.actor(),
                &access.scope,
                id,
                b.reviewed_on,
                &b.document,
            )
            .await?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct LetterBody {
    pub to_org: i64,
    pub issued_on: Date,
    pub document: String,
}

/// The issuing organization writes an introduction letter for an official transfer.
pub async fn issue_letter(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<LetterBody>,
) -> AppResult<Response> {
    let letter = app
        .store
        .issue_transfer_letter(
            &access.actor(),
            &access.scope,
            id,
            b.to_org,
            b.issued_on,
            &b.document,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(letter)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct AcceptBody {
    pub accepted_on: Date,
}

/// The receiving organization accepts the letter; the member moves on that day.
pub async fn accept_letter(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<AcceptBody>,
) -> AppResult<Json<TransferLetter>> {
    Ok(Json(
        app.store
            .accept_transfer_letter(&access.actor(), &access.scope, id, b.accepted_on)
            .await?,
    ))
}

/// Letters issued from or addressed to the subtree.
pub async fn letters(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<TransferLetter>>> {
    Ok(Json(app.store.transfer_letters(&access.scope, id).await?))
}

#[derive(Debug, Deserialize)]
pub struct OutcomeBody {
    /// `removed`, `expelled`, `deceased` or `readmitted`.
    pub kind: String,
    pub effective_on: Date,
    pub document: String,
    pub reason: Option<String>,
    /// The cell a re-admitted member joins.
    pub cell_id: Option<i64>,
}

/// Records a removal, expulsion, death or re-admission with its decision document.
pub async fn record_outcome(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<OutcomeBody>,
) -> AppResult<Response> {
    // Out of scope is not found, before anything is said about the body.
    app.store.member(&access.scope, id).await?;
    let rec = format!("outcome of member {id}");
    let kind = OutcomeKind::parse(&b.kind).ok_or_else(|| {
        AppError::from(DomainError::invalid(
            &rec,
            "kind",
            format!(
                "`{}` is not one of removed, expelled, deceased, readmitted",
                b.kind
            ),
        ))
    })?;
    let (actor, scope) = (access.actor(), &access.scope);
    let outcome = match kind {
        OutcomeKind::Readmitted => {
            let cell = b.cell_id.ok_or_else(|| {
                AppError::from(DomainError::invalid(
                    &rec,
                    "cell_id",
                    "a re-admission names the cell the member joins",
                ))
            })?;
            app.store
                .readmit_member(&actor, scope, id, cell, b.effective_on, &b.document)
                .await?
        }
        other => {
            app.store
                .record_outcome(
                    &actor,
                    scope,
                    id,
                    other,
                    b.effective_on,
                    &b.document,
                    b.reason.as_deref().filter(|s| !s.trim().is_empty()),
                )
                .await?
        }
    };
    Ok((StatusCode::CREATED, Json(outcome)).into_response())
}

/// A member's outcomes, oldest first.
pub async fn outcomes(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<Outcome>>> {
    Ok(Json(app.store.member_outcomes(&access.scope, id).await?))
}

#[derive(Debug, Default, Deserialize)]
pub struct BadgeQuery {
    pub award_day: Option<String>,
}

/// The next award day (3/2, 19/5, 2/9, 7/11) on or after `from`.
pub fn next_award_day(from: Date) -> Date {
    use chrono::Datelike;
    let days = [(2, 3), (5, 19), (9, 2), (11, 7)];
    for year in [from.year(), from.year() + 1] {
        for (m, d) in days {
            if let Some(day) = Date::from_ymd_opt(year, m, d)
                && day >= from
            {
                return day;
            }
        }
    }
    from
}

/// The award day asked for, or the next one.
pub fn award_day_of(raw: Option<&str>) -> AppResult<Date> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Ok(parse_date("badge list", "award_day", s)?),
        None => Ok(next_award_day(today())),
    }
}

/// Members of the subtree who reach a badge's party age by the award day.
pub async fn badges(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<BadgeQuery>,
) -> AppResult<Json<serde_json::Value>> {
    let day = award_day_of(q.award_day.as_deref())?;
    let rows: Vec<BadgeRow> = app.store.badges_due(&access.scope, id, day).await?;
    Ok(Json(json!({ "award_day": day, "members": rows })))
}

#[derive(Debug, Deserialize)]
pub struct IncomeBody {
    /// `YYYY-MM`: the first month the income applies to.
    pub from: String,
    #[serde(flatten)]
    pub income: Income,
}

/// Declares a member's income from a month on; the monthly amount follows from it with the
/// rates of the rulebook in force in each month.
pub async fn declare_income(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<IncomeBody>,
) -> AppResult<Response> {
    let rec = format!("income of member {id}");
    let from = YearMonth::parse(&rec, "from", &b.from)?;
    app.store
        .declare_income(&access.actor(), &access.scope, id, from, b.income)
        .await?;
    let lines = app.store.member_dues(&access.scope, id, from, from).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "member_id": id, "from": b.from.trim(), "lines": lines })),
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct PaymentBody {
    /// `YYYY-MM`.
    pub month: String,
    pub amount_vnd: u64,
    pub paid_on: Option<Date>,
}

/// Records a dues payment for one month.
pub async fn record_payment(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<PaymentBody>,
) -> AppResult<Response> {
    let rec = format!("dues payment of member {id}");
    let month = YearMonth::parse(&rec, "month", &b.month)?;
    let paid_on = b.paid_on.unwrap_or_else(today);
    app.store
        .record_dues_payment(
            &access.actor(),
            &access.scope,
            id,
            month,
            b.amount_vnd,
            paid_on,
        )
        .await?;
    let lines = app
        .store
        .member_dues(&access.scope, id, month, month)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "member_id": id, "paid_on": paid_on, "lines": lines })),
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct RangeQuery {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// A member's dues lines from `from` to `to` (by default January to this month).
pub async fn member_dues(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<RangeQuery>,
) -> AppResult<Json<Vec<DuesLine>>> {
    let rec = "dues lines";
    let to = month_or_current(q.to.as_deref(), rec, "to")?;
    let from = match q.from.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => YearMonth::parse(rec, "from", s)?,
        None => YearMonth::new(rec, "from", to.year, 1)?,
    };
    if from > to {
        return Err(DomainError::invalid(rec, "from", format!("{from} is after {to}")).into());
    }
    Ok(Json(
        app.store.member_dues(&access.scope, id, from, to).await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct SheetQuery {
    pub month: Option<String>,
    /// `json` (default) or `xlsx`.
    pub format: Option<String>,
}

/// The dues sheet of a cell for a month.
pub async fn sheet_of(
    app: &AppState,
    access: &Access,
    id: i64,
    month: YearMonth,
) -> AppResult<DuesSheet> {
    Ok(app.store.dues_sheet(&access.scope, id, month).await?)
}

/// A cell's monthly dues sheet, as JSON or as the Excel workbook.
pub async fn dues_sheet(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<SheetQuery>,
) -> AppResult<Response> {
    let month = month_or_current(q.month.as_deref(), "dues sheet", "month")?;
    let sheet = sheet_of(&app, &access, id, month).await?;
    match q.format.as_deref().unwrap_or("json") {
        "json" => Ok(Json(sheet).into_response()),
        "xlsx" => {
            let bytes = dues_sheet_xlsx(&sheet).map_err(AppError::internal)?;
            let filename = format!("dang-phi-{}-{}.xlsx", sheet.org_code, sheet.month);
            Ok((
                [
                    (
                        header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            .to_owned(),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{filename}\""),
                    ),
                ],
                bytes,
            )
                .into_response())
        }
        other => Err(DomainError::invalid(
            "dues sheet",
            "format",
            format!("`{other}` is not one of json, xlsx"),
        )
        .into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ArrearsQuery {
    pub through: Option<String>,
}

/// Members of the subtree with dues left unpaid through a month, with the removal alert.
pub async fn arrears(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<ArrearsQuery>,
) -> AppResult<Json<Vec<ArrearsRow>>> {
    let through = month_or_current(q.through.as_deref(), "arrears", "through")?;
    Ok(Json(
        app.store.dues_arrears(&access.scope, id, through).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::next_award_day;

    fn d(s: &str) -> grassroots_domain::date::Date {
        s.parse().unwrap()
    }

    #[test]
    fn the_next_award_day_is_the_day_itself_or_the_following_one() {
        assert_eq!(next_award_day(d("2026-01-10")), d("2026-02-03"));
        assert_eq!(next_award_day(d("2026-02-03")), d("2026-02-03"));
        assert_eq!(next_award_day(d("2026-02-04")), d("2026-05-19"));
        assert_eq!(next_award_day(d("2026-09-02")), d("2026-09-02"));
        assert_eq!(next_award_day(d("2026-09-03")), d("2026-11-07"));
        assert_eq!(next_award_day(d("2026-11-08")), d("2027-02-03"));
    }
}
