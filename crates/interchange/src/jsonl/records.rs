//! The record types of the format and how each is written and read.

use grassroots_domain::member::{Gender, MemberStatus, MembershipKind};
use grassroots_domain::org::{OrgKind, TreeChange};
use grassroots_storage::restore::{
    AuditRow, MemberRow, MemberStatusRow, MembershipRow, OrgEventRow, OrgRow, OrgVersionRow,
};
use serde::Serialize;

use super::fields::Fields;
use crate::InterchangeResult;

/// The `format` of the header line.
pub const FORMAT: &str = "grassroots-jsonl";
/// The version of the format this build writes and reads.
pub const VERSION: i64 = 1;

/// Every record type after the header, in the order an export writes them (each one only
/// refers to types before it, or to its own type).
pub const RECORD_TYPES: &[&str] = &[
    "org_event",
    "org",
    "org_version",
    "member",
    "member_status",
    "membership",
    "meeting",
    "meeting_attendance",
    "meeting_observer",
    "meeting_evaluation",
    "cell_committee",
    "document",
    "document_counter",
    "document_expectation",
    "document_file",
    "document_task",
    "document_review",
    "dissemination_event",
    "dissemination_document",
    "dissemination_attendee",
    "study_assignment",
    "course",
    "course_session",
    "course_participant",
    "candidate",
    "candidate_step",
    "new_member_course",
    "recognition",
    "transfer_letter",
    "member_outcome",
    "party_card",
    "dues_income",
    "dues_relief",
    "dues_payment",
    "org_handover",
    "org_handover_member",
    "classification",
    "user",
    "role_assignment",
    "audit",
];

/// The first line of every file.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    pub format: &'static str,
    pub version: i64,
    /// The program that wrote the file (for people; not checked).
    pub generator: String,
}

impl Header {
    pub fn current() -> Header {
        Header {
            format: FORMAT,
            version: VERSION,
            generator: format!("grassroots {}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// One line: the type, then the record's fields in their declared order.
#[derive(Serialize)]
pub struct Line<'a, T: Serialize> {
    #[serde(rename = "type")]
    pub kind: &'a str,
    #[serde(flatten)]
    pub record: &'a T,
}

fn tree_change(raw: &str) -> Option<TreeChange> {
    TreeChange::parse(raw)
}

pub fn org_event(f: &Fields) -> InterchangeResult<OrgEventRow> {
    f.only(&[
        "id",
        "change",
        "effective_on",
        "decision",
        "note",
        "details",
        "actor",
        "recorded_at",
    ])?;
    Ok(OrgEventRow {
        id: f.id()?,
        change: f.parsed("change", tree_change)?,
        effective_on: f.date("effective_on")?,
        decision: f.opt_str("decision")?,
        note: f.opt_str("note")?,
        details: f.json("details")?,
        actor: f.str("actor")?,
        recorded_at: f.str("recorded_at")?,
    })
}

pub fn org(f: &Fields) -> InterchangeResult<OrgRow> {
    f.only(&[
        "id",
        "code",
        "name",
        "kind",
        "parent_id",
        "path",
        "founded_on",
        "dissolved_on",
        "successor_id",
        "updated_at",
    ])?;
    Ok(OrgRow {
        id: f.id()?,
        code: f.str("code")?,
        name: f.str("name")?,
        kind: f.parsed("kind", OrgKind::parse)?,
        parent_id: f.opt_i64("parent_id")?,
        path: f.str("path")?,
        founded_on: f.date("founded_on")?,
        dissolved_on: f.opt_date("dissolved_on")?,
        successor_id: f.opt_i64("successor_id")?,
        updated_at: f.str("updated_at")?,
    })
}

pub fn org_version(f: &Fields) -> InterchangeResult<OrgVersionRow> {
    f.only(&[
        "id",
        "org_id",
        "valid_from",
        "valid_to",
        "code",
        "name",
        "kind",
        "parent_id",
        "path",
        "event_id",
    ])?;
    Ok(OrgVersionRow {
        id: f.id()?,
        org_id: f.i64("org_id")?,
        valid_from: f.date("valid_from")?,
        valid_to: f.opt_date("valid_to")?,
        code: f.str("code")?,
        name: f.str("name")?,
        kind: f.parsed("kind", OrgKind::parse)?,
        parent_id: f.opt_i64("parent_id")?,
        path: f.str("path")?,
        event_id: f.i64("event_id")?,
    })
}

fn gender(raw: &str) -> Option<Gender> {
    Gender::parse(raw).filter(|g| g.as_str() == raw)
}

pub fn member(f: &Fields) -> InterchangeResult<MemberRow> {
    f.only(&[
        "id",
        "full_name",
        "birth_date",
        "gender",
        "ethnicity",
        "citizen_id",
        "party_card_no",
        "admitted_on",
        "official_on",
        "status",
        "status_since",
        "org_id",
        "version",
        "updated_at",
    ])?;
    Ok(MemberRow {
        id: f.id()?,
        full_name: f.str("full_name")?,
        birth_date: f.date("birth_date")?,
        gender: f.parsed("gender", gender)?,
        ethnicity: f.str("ethnicity")?,
        citizen_id: f.opt_str("citizen_id")?,
        party_card_no: f.opt_str("party_card_no")?,
        admitted_on: f.opt_date("admitted_on")?,
        official_on: f.opt_date("official_on")?,
        status: f.parsed("status", MemberStatus::parse)?,
        status_since: f.date("status_since")?,
        org_id: f.opt_i64("org_id")?,
        version: f.i64("version")?,
        updated_at: f.str("updated_at")?,
    })
}

pub fn member_status(f: &Fields) -> InterchangeResult<MemberStatusRow> {
    f.only(&[
        "id",
        "member_id",
        "status",
        "valid_from",
        "valid_to",
        "reason",
        "decision",
    ])?;
    Ok(MemberStatusRow {
        id: f.id()?,
        member_id: f.i64("member_id")?,
        status: f.parsed("status", MemberStatus::parse)?,
        valid_from: f.date("valid_from")?,
        valid_to: f.opt_date("valid_to")?,
        reason: f.opt_str("reason")?,
        decision: f.opt_str("decision")?,
    })
}

pub fn membership(f: &Fields) -> InterchangeResult<MembershipRow> {
    f.only(&[
        "id",
        "member_id",
        "org_id",
        "kind",
        "valid_from",
        "valid_to",
        "note",
    ])?;
    Ok(MembershipRow {
        id: f.id()?,
        member_id: f.i64("member_id")?,
        org_id: f.i64("org_id")?,
        kind: f.parsed("kind", MembershipKind::parse)?,
        valid_from: f.date("valid_from")?,
        valid_to: f.opt_date("valid_to")?,
        note: f.opt_str("note")?,
    })
}

pub fn audit(f: &Fields) -> InterchangeResult<AuditRow> {
    f.only(&[
        "id",
        "at",
        "actor",
        "action",
        "entity",
        "entity_id",
        "org_path",
        "before",
        "after",
    ])?;
    Ok(AuditRow {
        id: f.id()?,
        at: f.str("at")?,
        actor: f.str("actor")?,
        action: f.str("action")?,
        entity: f.str("entity")?,
        entity_id: f.str("entity_id")?,
        org_path: f.str("org_path")?,
        before: f.opt_json("before")?,
        after: f.opt_json("after")?,
    })
}
