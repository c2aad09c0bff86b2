//! Cell meetings through the API: a cell's calendar for a year, one meeting with who is
//! expected and who came, scheduling a year of regular meetings, the minutes, the
//! secretary's fast attendance list, a member's own check-in, and the figures and alerts of
//! any subtree for a period. The pages call the same functions, so both follow one set of
//! checks.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use grassroots_domain::DomainError;
use grassroots_domain::date::{Date, parse_date};
use grassroots_domain::meetings::{Absence, Alert, AttendanceStatus, MeetingKind, Period};
use grassroots_domain::rulebook::Rulebook;
use grassroots_storage::meetings::{
    AttendanceRow, Evaluation, Meeting, MeetingContent, MeetingFigures, MeetingFiguresReader,
    MeetingReader, MeetingWriter, NewMeeting, Observer, Participant,
};
use grassroots_storage::orgs::{Org, OrgReader};
use serde::{Deserialize, Serialize};

use super::JsonBody;
use crate::AppState;
use crate::access::Access;
use crate::error::{AppError, AppResult};
use crate::pages::today;

#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    pub year: Option<i32>,
}

impl YearQuery {
    /// The year asked for, this year by default.
    pub fn year(&self) -> i32 {
        self.year
            .unwrap_or_else(|| chrono::Datelike::year(&today()))
    }
}

/// An organization's meetings in one calendar year, by date.
#[derive(Debug, Serialize)]
pub struct Calendar {
    pub org: Org,
    pub year: i32,
    pub meetings: Vec<Meeting>,
}

pub async fn calendar_of(
    app: &AppState,
    access: &Access,
    org_id: i64,
    year: i32,
) -> AppResult<Calendar> {
    let org = app.store.org(&access.scope, org_id).await?;
    let meetings = app
        .store
        .meetings_of(&access.scope, org_id, Period::year(year)?)
        .await?;
    Ok(Calendar {
        org,
        year,
        meetings,
    })
}

pub async fn list(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> AppResult<Json<Calendar>> {
    Ok(Json(calendar_of(&app, &access, id, q.year()).await?))
}

/// One meeting with everything recorded about it.
#[derive(Debug, Serialize)]
pub struct MeetingView {
    pub meeting: Meeting,
    pub org: Org,
    /// Who is expected: the cell's members with duties that day and guests on transfer.
    pub participants: Vec<Participant>,
    pub attendance: Vec<AttendanceRow>,
    pub observers: Vec<Observer>,
    pub evaluations: Vec<Evaluation>,
}

pub async fn view_of(app: &AppState, access: &Access, id: i64) -> AppResult<MeetingView> {
    let s = &access.scope;
    let meeting = app.store.meeting(s, id).await?;
    let org = app.store.org(s, meeting.org_id).await?;
    Ok(MeetingView {
        participants: app.store.participants(s, id).await?,
        attendance: app.store.attendance(s, id).await?,
        observers: app.store.observers(s, id).await?,
        evaluations: app.store.evaluations(s, id).await?,
        meeting,
        org,
    })
}

pub async fn get(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<MeetingView>> {
    Ok(Json(view_of(&app, &access, id).await?))
}

#[derive(Debug, Deserialize)]
pub struct NewMeetingBody {
    pub kind: String,
    pub date: String,
    #[serde(default)]
    pub agenda: Option<String>,
    #[serde(default)]
    pub topic: Option<String>,
}

/// Reads a meeting kind, naming the field when it is not one.
pub fn parse_kind(record: &str, raw: &str) -> Result<MeetingKind, DomainError> {
    MeetingKind::parse(raw).ok_or_else(|| {
        DomainError::invalid(
            record,
            "kind",
            format!("`{raw}` is not one of regular, thematic, extraordinary, committee_plenary"),
        )
    })
}

pub async fn create(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NewMeetingBody>,
) -> AppResult<Response> {
    let rec = format!("new meeting of organization {id}");
    let new = NewMeeting {
        org_id: id,
        kind: parse_kind(&rec, &body.kind)?,
        date: parse_date(&rec, "date", &body.date)?,
        agenda: body.agenda.filter(|a| !a.trim().is_empty()),
        topic: body.topic.filter(|t| !t.trim().is_empty()),
    };
    let meeting = app
        .store
        .create_meeting(&access.actor(), &access.scope, new)
        .await?;
    Ok((StatusCode::CREATED, Json(meeting)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ScheduleBody {
    pub year: i32,
    /// Day of the month; by default the rulebook's `local.regular_meeting_day`.
    #[serde(default)]
    pub day: Option<u32>,
}

/// Writes a cell's regular meetings for a year, on the rulebook's day unless one is given.
pub async fn schedule_year(
    app: &AppState,
    access: &Access,
    org_id: i64,
    year: i32,
    day: Option<u32>,
) -> AppResult<Vec<Meeting>> {
    let day = match day {
        Some(d) => d,
        None => {
            let jan = Date::from_ymd_opt(year, 1, 1).ok_or_else(|| {
                DomainError::invalid(
                    format!("schedule of organization {org_id}"),
                    "year",
                    format!("{year} is not a year"),
                )
            })?;
            Rulebook::in_force(jan)?.local.regular_meeting_day
        }
    };
    Ok(app
        .store
        .schedule_year(&access.actor(), &access.scope, org_id, year, day)
        .await?)
}

pub async fn schedule(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<ScheduleBody>,
) -> AppResult<Response> {
    let meetings = schedule_year(&app, &access, id, body.year, body.day).await?;
    Ok((StatusCode::CREATED, Json(meetings)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct MinutesBody {
    /// The version read; a stale one is a conflict, so nobody overwrites unseen minutes.
    pub version: i64,
    #[serde(default)]
    pub agenda: Option<String>,
    #[serde(default)]
    pub topic: Option<String>,
    #[serde(default)]
    pub minutes: Option<String>,
    #[serde(default)]
    pub resolutions: Vec<String>,
}

fn non_empty(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

pub async fn minutes(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<MinutesBody>,
) -> AppResult<Json<Meeting>> {
    let content = MeetingContent {
        agenda: non_empty(body.agenda),
        topic: non_empty(body.topic),
        minutes: non_empty(body.minutes),
        resolutions: body.resolutions,
    };
    Ok(Json(
        app.store
            .record_content(&access.actor(), &access.scope, id, body.version, content)
            .await?,
    ))
}

/// One absentee of the fast list: excused (with the reason) or not.
#[derive(Debug, Clone, Deserialize)]
pub struct AbsenteeBody {
    pub member_id: i64,
    /// `absent_excused` or `absent_unexcused`.
    pub status: String,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct AttendanceBody {
    /// Only the absentees: everyone else expected was present.
    #[serde(default)]
    pub absentees: Vec<AbsenteeBody>,
}

/// Checks each absentee's status and reason, naming the entry that is wrong.
pub fn absences(meeting_id: i64, list: &[AbsenteeBody]) -> Result<Vec<Absence>, DomainError> {
    let rec = format!("attendance of meeting {meeting_id}");
    list.iter()
        .enumerate()
        .map(|(i, a)| {
            let status = AttendanceStatus::parse(&a.status)
                .filter(|s| *s != AttendanceStatus::Present)
                .ok_or_else(|| {
                    DomainError::invalid(
                        &rec,
                        format!("absentees[{i}].status"),
                        format!("`{}` is not absent_excused or absent_unexcused", a.status),
                    )
                })?;
            let reason = status.check_reason(
                &format!("{rec}, member {}", a.member_id),
                a.reason.as_deref(),
            )?;
            Ok(Absence {
                member_id: a.member_id,
                reason,
            })
        })
        .collect()
}

pub async fn attendance(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<AttendanceBody>,
) -> AppResult<Json<Vec<AttendanceRow>>> {
    let list = absences(id, &body.absentees)?;
    Ok(Json(
        app.store
            .record_attendance(&access.actor(), &access.scope, id, &list)
            .await?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct CheckInBody {
    pub code: String,
}

/// The caller checks themselves in: their account must be linked to a member record.
pub async fn check_in_caller(
    app: &AppState,
    access: &Access,
    meeting_id: i64,
    code: &str,
) -> AppResult<AttendanceRow> {
    let member_id = access.caller.user.member_id.ok_or_else(|| {
        AppError::Domain(DomainError::invalid(
            format!("check-in at meeting {meeting_id}"),
            "member_id",
            "your account is not linked to a member record",
        ))
    })?;
    Ok(app
        .store
        .check_in(
            &access.actor(),
            &access.scope,
            meeting_id,
            member_id,
            code,
            today(),
        )
        .await?)
}

pub async fn check_in(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<CheckInBody>,
) -> AppResult<Json<AttendanceRow>> {
    Ok(Json(check_in_caller(&app, &access, id, &body.code).await?))
}

#[derive(Debug, Default, Deserialize)]
pub struct PeriodQuery {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The period asked for; by default from the first of this year to today.
pub fn period_of(q: &PeriodQuery) -> Result<Period, DomainError> {
    let today = today();
    let from = match q.from.as_deref().filter(|s| !s.is_empty()) {
        Some(raw) => parse_date("period", "from", raw)?,
        None => Date::from_ymd_opt(chrono::Datelike::year(&today), 1, 1).unwrap_or(today),
    };
    let to = match q.to.as_deref().filter(|s| !s.is_empty()) {
        Some(raw) => parse_date("period", "to", raw)?,
        None => today,
    };
    Period::new(from, to)
}

pub async fn figures(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Json<MeetingFigures>> {
    let period = period_of(&q)?;
    Ok(Json(
        app.store.meeting_figures(&access.scope, id, period).await?,
    ))
}

pub async fn alerts(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Json<Vec<Alert>>> {
    let period = period_of(&q)?;
    Ok(Json(
        app.store.meeting_alerts(&access.scope, id, period).await?,
    ))
}
