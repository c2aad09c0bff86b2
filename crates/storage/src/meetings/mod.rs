//! Meetings of cells and committees: the calendar, attendance (a secretary's fast list and
//! members' own check-in), observers from superior committees, quality evaluations, cell
//! committees, and the figures and alerts the Charter's rules give for any subtree.
//!
//! Reads are scoped by the path of the meeting's organization, looked up through `orgs` (a
//! meeting does not copy the path, so re-parenting an organization moves its meetings
//! along). Every write records its audit entry in its own transaction.

pub mod check_in;
pub mod demo;
mod dues;
pub mod figures;
mod history;
pub mod kept_parts;
pub mod parts;
mod placed_parts;
mod read;
mod write;

use grassroots_domain::date::Date;
use grassroots_domain::meetings::{
    Absence, AttendanceStatus, MeetingKind, MeetingStatus, Period, Role,
};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

use crate::db::placeholders;
use crate::row::{date, int, opt_int, opt_text, parsed, text};
use crate::{Actor, Scope, StoreError, StoreResult};

pub use figures::{CellFigures, MeetingFigures, MeetingFiguresReader, QuarterFigures};
pub use kept_parts::MeetingKeysReader;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: i64,
    pub org_id: i64,
    pub kind: MeetingKind,
    pub date: Date,
    pub status: MeetingStatus,
    pub agenda: Option<String>,
    pub topic: Option<String>,
    pub minutes: Option<String>,
    /// The resolutions adopted, one text each.
    pub resolutions: Vec<String>,
    pub cancel_reason: Option<String>,
    /// The code members give to check themselves in.
    pub check_in_code: String,
    /// Whether the secretary has recorded the attendance list.
    pub attendance_recorded: bool,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewMeeting {
    pub org_id: i64,
    pub kind: MeetingKind,
    pub date: Date,
    #[serde(default)]
    pub agenda: Option<String>,
    /// Required for a thematic meeting: its theme.
    #[serde(default)]
    pub topic: Option<String>,
}

/// What the minutes say: replaces the meeting's content fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingContent {
    pub agenda: Option<String>,
    pub topic: Option<String>,
    pub minutes: Option<String>,
    pub resolutions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceRow {
    pub meeting_id: i64,
    pub member_id: i64,
    pub full_name: String,
    pub status: AttendanceStatus,
    pub reason: Option<String>,
    pub role: Role,
    /// `list`, `self` or `correction`.
    pub source: String,
}

/// A member expected at a meeting, with how they are expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub member_id: i64,
    pub full_name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observer {
    pub meeting_id: i64,
    pub member_id: i64,
    pub full_name: String,
    pub committee_org_id: i64,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    /// The meeting classified.
    pub meeting_id: i64,
    pub evaluator_org_id: i64,
    /// One of the rulebook's `meeting_quality.levels`.
    pub level: String,
    pub notes: Option<String>,
    pub evaluated_on: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellCommittee {
    pub id: i64,
    pub org_id: i64,
    pub elected_on: Date,
    pub ended_on: Option<Date>,
    pub secretary_member_id: i64,
    pub deputy_member_id: Option<i64>,
    pub decision: Option<String>,
}

/// A cell's newly elected committee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCellCommittee {
    pub org_id: i64,
    pub elected_on: Date,
    pub secretary_member_id: i64,
    #[serde(default)]
    pub deputy_member_id: Option<i64>,
    #[serde(default)]
    pub decision: Option<String>,
}

pub trait MeetingReader {
    fn meeting(&self, scope: &Scope, id: i64) -> impl Future<Output = StoreResult<Meeting>> + Send;
    /// The meetings of one organization in a period, by date: its calendar.
    fn meetings_of(
        &self,
        scope: &Scope,
        org_id: i64,
        period: Period,
    ) -> impl Future<Output = StoreResult<Vec<Meeting>>> + Send;
    fn attendance(
        &self,
        scope: &Scope,
        meeting_id: i64,
    ) -> impl Future<Output = StoreResult<Vec<AttendanceRow>>> + Send;
    /// Who is expected at the meeting: the cell's members with duties that day, and guests
    /// on temporary transfer to it, by name.
    fn participants(
        &self,
        scope: &Scope,
        meeting_id: i64,
    ) -> impl Future<Output = StoreResult<Vec<Participant>>> + Send;
    fn observers(
        &self,
        scope: &Scope,
        meeting_id: i64,
    ) -> impl Future<Output = StoreResult<Vec<Observer>>> + Send;
    fn evaluations(
        &self,
        scope: &Scope,
        meeting_id: i64,
    ) -> impl Future<Output = StoreResult<Vec<Evaluation>>> + Send;
    fn cell_committee_on(
        &self,
        scope: &Scope,
        org_id: i64,
        day: Date,
    ) -> impl Future<Output = StoreResult<Option<CellCommittee>>> + Send;
}

pub trait MeetingWriter {
    fn create_meeting(
        &self,
        actor: &Actor,
        scope: &Scope,
        new: NewMeeting,
    ) -> impl Future<Output = StoreResult<Meeting>> + Send;
    /// A cell's regular meetings for a whole year on `day` of each month (clamped to the
    /// month's end), in one transaction. Refused if the cell has regular meetings that year.
    fn schedule_year(
        &self,
        actor: &Actor,
        scope: &Scope,
        org_id: i64,
        year: i32,
        day: u32,
    ) -> impl Future<Output = StoreResult<Vec<Meeting>>> + Send;
    fn cancel_meeting(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        reason: &str,
    ) -> impl Future<Output = StoreResult<Meeting>> + Send;
    /// Records agenda, topic, minutes and resolutions; fails with a conflict if
    /// `expected_version` is stale.
    fn record_content(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        expected_version: i64,
        content: MeetingContent,
    ) -> impl Future<Output = StoreResult<Meeting>> + Send;
    /// The secretary's fast entry: every expected participant present except `absentees`.
    /// Marks the meeting held. Members who checked themselves in stay present.
    fn record_attendance(
        &self,
        actor: &Actor,
        scope: &Scope,
        meeting_id: i64,
        absentees: &[Absence],
    ) -> impl Future<Output = StoreResult<Vec<AttendanceRow>>> + Send;
    /// A member checks in with the meeting's code, on the meeting's day (`on`).
    fn check_in(
        &self,
        actor: &Actor,
        scope: &Scope,
        meeting_id: i64,
        member_id: i64,
        code: &str,
        on: Date,
    ) -> impl Future<Output = StoreResult<AttendanceRow>> + Send;
    /// Changes one member's mark after the list was recorded, keeping the old one in the audit.
    fn correct_attendance(
        &self,
        actor: &Actor,
        scope: &Scope,
        meeting_id: i64,
        member_id: i64,
        status: AttendanceStatus,
        reason: Option<&str>,
    ) -> impl Future<Output = StoreResult<AttendanceRow>> + Send;
    /// Assigns a member of a superior committee to attend the meeting (seed 002).
    fn assign_observer(
        &self,
        actor: &Actor,
        scope: &Scope,
        meeting_id: i64,
        member_id: i64,
        committee_org_id: i64,
        note: Option<&str>,
    ) -> impl Future<Output = StoreResult<Observer>> + Send;
    /// A superior committee classifies a held meeting's quality (seed 004).
    fn evaluate_meeting(
        &self,
        actor: &Actor,
        scope: &Scope,
        evaluation: Evaluation,
    ) -> impl Future<Output = StoreResult<Evaluation>> + Send;
    /// Records a cell's newly elected committee; the one before it ends that day.
    fn record_cell_committee(
        &self,
        actor: &Actor,
        scope: &Scope,
        new: NewCellCommittee,
    ) -> impl Future<Output = StoreResult<CellCommittee>> + Send;
}

const MEETING_COLUMNS: &str = "m.id, m.org_id, m.kind, m.held_on, m.status, m.agenda, m.topic, m.minutes, \
     m.resolutions, m.cancel_reason, m.check_in_code, m.attendance_recorded_at, m.version";

fn meeting_from_row(r: &impl crate::row::Cells) -> StoreResult<Meeting> {
    let resolutions = text(r, "resolutions")?;
    Ok(Meeting {
        id: int(r, "id")?,
        org_id: int(r, "org_id")?,
        kind: parsed(r, "kind", MeetingKind::parse)?,
        date: date(r, "held_on")?,
        status: parsed(r, "status", MeetingStatus::parse)?,
        agenda: opt_text(r, "agenda")?,
        topic: opt_text(r, "topic")?,
        minutes: opt_text(r, "minutes")?,
        resolutions: serde_json::from_str(&resolutions).map_err(|e| {
            StoreError::Corrupt(format!("column resolutions: `{resolutions}`: {e}"))
        })?,
        cancel_reason: opt_text(r, "cancel_reason")?,
        check_in_code: text(r, "check_in_code")?,
        attendance_recorded: opt_text(r, "attendance_recorded_at")?.is_some(),
        version: int(r, "version")?,
    })
}

const ATTENDANCE_COLUMNS: &str =
    "a.meeting_id, a.member_id, p.full_name, a.status, a.reason, a.role, a.source";

fn attendance_from_row(r: &AnyRow) -> StoreResult<AttendanceRow> {
    Ok(AttendanceRow {
        meeting_id: int(r, "meeting_id")?,
        member_id: int(r, "member_id")?,
        full_name: text(r, "full_name")?,
        status: parsed(r, "status", AttendanceStatus::parse)?,
        reason: opt_text(r, "reason")?,
        role: parsed(r, "role", Role::parse)?,
        source: text(r, "source")?,
    })
}

fn committee_from_row(r: &AnyRow) -> StoreResult<CellCommittee> {
    Ok(CellCommittee {
        id: int(r, "id")?,
        org_id: int(r, "org_id")?,
        elected_on: date(r, "elected_on")?,
        ended_on: crate::row::opt_date(r, "ended_on")?,
        secretary_member_id: int(r, "secretary_member_id")?,
        deputy_member_id: opt_int(r, "deputy_member_id")?,
        decision: opt_text(r, "decision")?,
    })
}

fn record(id: i64) -> String {
    format!("meeting {id}")
}
