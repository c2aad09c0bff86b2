//! The record types of meetings (migration 0003): meetings, their attendance, observers from
//! superior committees, quality evaluations, and cell committees.

use grassroots_domain::meetings::{AttendanceStatus, MeetingKind, MeetingStatus, Role};

use super::table::{Col, Table, Ty, col, opt};

fn meeting_kind(s: &str) -> bool {
    MeetingKind::parse(s).is_some()
}
fn meeting_status(s: &str) -> bool {
    MeetingStatus::parse(s).is_some()
}
fn attendance_status(s: &str) -> bool {
    AttendanceStatus::parse(s).is_some()
}
fn role(s: &str) -> bool {
    Role::parse(s).is_some()
}
/// How an attendance entry was made: the secretary's list, a member's check-in, a correction.
fn source(s: &str) -> bool {
    matches!(s, "list" | "self" | "correction")
}

const ID: Col = col("id", Ty::Int);

pub const MEETING: Table = Table {
    kind: "meeting",
    table: "meetings",
    key: &["id"],
    unique: &[],
    cols: &[
        ID,
        col("org_id", Ty::Int).refers("org"),
        col("kind", Ty::Text).known(meeting_kind),
        col("held_on", Ty::Date),
        col("status", Ty::Text).known(meeting_status),
        opt("agenda", Ty::Text),
        opt("topic", Ty::Text),
        opt("minutes", Ty::Text),
        col("resolutions", Ty::Json),
        opt("cancel_reason", Ty::Text),
        col("check_in_code", Ty::Text),
        opt("attendance_recorded_at", Ty::Text),
        col("version", Ty::Int),
        col("created_at", Ty::Text),
        col("updated_at", Ty::Text),
    ],
    derived: &[],
    rule: None,
};

pub const ATTENDANCE: Table = Table {
    kind: "meeting_attendance",
    table: "meeting_attendance",
    key: &["id"],
    unique: &[&["meeting_id", "member_id"]],
    cols: &[
        ID,
        col("meeting_id", Ty::Int).refers("meeting"),
        col("member_id", Ty::Int).refers("member"),
        col("status", Ty::Text).known(attendance_status),
        opt("reason", Ty::Text),
        col("role", Ty::Text).known(role),
        col("source", Ty::Text).known(source),
        col("recorded_at", Ty::Text),
    ],
    derived: &[],
    rule: None,
};

pub const OBSERVER: Table = Table {
    kind: "meeting_observer",
    table: "meeting_observers",
    key: &["id"],
    unique: &[&["meeting_id", "member_id"]],
    cols: &[
        ID,
        col("meeting_id", Ty::Int).refers("meeting"),
        col("member_id", Ty::Int).refers("member"),
        col("committee_org_id", Ty::Int).refers("org"),
        opt("note", Ty::Text),
        col("assigned_at", Ty::Text),
    ],
    derived: &[],
    rule: None,
};

pub const EVALUATION: Table = Table {
    kind: "meeting_evaluation",
    table: "meeting_evaluations",
    key: &["id"],
    unique: &[&["meeting_id", "evaluator_org_id"]],
    cols: &[
        ID,
        col("meeting_id", Ty::Int).refers("meeting"),
        col("evaluator_org_id", Ty::Int).refers("org"),
        // The levels are rulebook data of the day of evaluation; any text is kept.
        col("level", Ty::Text),
        opt("notes", Ty::Text),
        col("evaluated_on", Ty::Date),
        col("recorded_at", Ty::Text),
    ],
    derived: &[],
    rule: None,
};

pub const CELL_COMMITTEE: Table = Table {
    kind: "cell_committee",
    table: "cell_committees",
    key: &["id"],
    unique: &[],
    cols: &[
        ID,
        col("org_id", Ty::Int).refers("org"),
        col("elected_on", Ty::Date),
        opt("ended_on", Ty::Date),
        col("secretary_member_id", Ty::Int).refers("member"),
        opt("deputy_member_id", Ty::Int).refers("member"),
        opt("decision", Ty::Text),
        col("recorded_at", Ty::Text),
    ],
    derived: &[],
    rule: None,
};

/// In dependency order.
pub const TABLES: &[&Table] = &[
    &MEETING,
    &ATTENDANCE,
    &OBSERVER,
    &EVALUATION,
    &CELL_COMMITTEE,
];
