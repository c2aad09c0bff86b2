//! The record types of documents and training (migration 0004): the register and its
//! numbering counters, the cascade (expected concretizations, attached files, tasks,
//! reviews), dissemination events, study assignments, and courses.

use grassroots_domain::documents::{
    CourseKind, CourseResult, DisseminationKind, DocumentStatus, ReviewKind,
};
use grassroots_domain::org::OrgKind;
use grassroots_storage::restore::Cell;

use super::table::{Col, Table, Ty, col, opt};

fn document_status(s: &str) -> bool {
    DocumentStatus::parse(s).is_some()
}
fn org_kind(s: &str) -> bool {
    OrgKind::parse(s).is_some()
}
fn review_kind(s: &str) -> bool {
    ReviewKind::parse(s).is_some()
}
fn dissemination_kind(s: &str) -> bool {
    DisseminationKind::parse(s).is_some()
}
fn course_kind(s: &str) -> bool {
    CourseKind::parse(s).is_some()
}
fn course_result(s: &str) -> bool {
    CourseResult::parse(s).is_some()
}

const ID: Col = col("id", Ty::Int);

pub const DOCUMENT: Table = Table {
    kind: "document",
    table: "documents",
    key: &["id"],
    unique: &[&["issuer_org_id", "type_code", "term", "number"]],
    cols: &[
        ID,
        col("issuer_org_id", Ty::Int).refers("org"),
        col("issuer_code", Ty::Text),
        col("type_code", Ty::Text),
        col("term", Ty::Text),
        col("number", Ty::Int),
        col("issued_on", Ty::Date),
        col("title", Ty::Text),
        opt("summary", Ty::Text),
        col("status", Ty::Text).known(document_status),
        opt("parent_id", Ty::Int).refers("document"),
        col("cascade_path", Ty::Text),
        col("version", Ty::Int),
        col("updated_at", Ty::Text),
    ],
    derived: &[],
    rule: Some(document_rule),
};

/// A document's cascade path ends with its own id, under its parent's.
fn document_rule(cells: &[Cell]) -> Option<(&'static str, String)> {
    let (Cell::Int(Some(id)), Cell::Int(parent), Cell::Text(Some(path))) =
        (&cells[0], &cells[10], &cells[11])
    else {
        return None;
    };
    let own = format!("/{id}/");
    if !path.ends_with(&own) || !path.starts_with('/') {
        return Some((
            "cascade_path",
            format!("`{path}` does not end with `{own}`"),
        ));
    }
    match parent {
        None if path != &own => Some((
            "cascade_path",
            format!("`{path}` has ancestors but the document has no parent_id"),
        )),
        Some(p) if !path.ends_with(&format!("/{p}{own}")) => Some((
            "cascade_path",
            format!("`{path}` does not pass through its parent {p}"),
        )),
        _ => None,
    }
}

pub const COUNTER: Table = Table {
    kind: "document_counter",
    table: "document_counters",
    key: &["issuer_org_id", "type_code", "term"],
    unique: &[],
    cols: &[
        col("issuer_org_id", Ty::Int).refers("org"),
        col("type_code", Ty::Text),
        col("term", Ty::Text),
        col("last_number", Ty::Int),
    ],
    derived: &[],
    rule: None,
};

pub const EXPECTATION: Table = Table {
    kind: "document_expectation",
    table: "document_expectations",
    key: &["document_id", "org_kind"],
    unique: &[],
    cols: &[
        col("document_id", Ty::Int).refers("document"),
        col("org_kind", Ty::Text).known(org_kind),
    ],
    derived: &[],
    rule: None,
};

pub const FILE: Table = Table {
    kind: "document_file",
    table: "document_files",
    key: &["id"],
    unique: &[],
    cols: &[
        ID,
        col("document_id", Ty::Int).refers("document"),
        col("name", Ty::Text),
        col("content_type", Ty::Text),
        col("size_bytes", Ty::Int),
        col("content", Ty::Bytes),
        col("added_at", Ty::Text),
        col("added_by", Ty::Text),
    ],
    derived: &[],
    rule: Some(file_rule),
};

/// The recorded size is the size of the content.
fn file_rule(cells: &[Cell]) -> Option<(&'static str, String)> {
    match (&cells[4], &cells[5]) {
        (Cell::Int(Some(size)), Cell::Bytes(Some(content)))
            if usize::try_from(*size).ok() != Some(content.len()) =>
        {
            Some((
                "size_bytes",
                format!("is {size} but the content has {} bytes", content.len()),
            ))
        }
        _ => None,
    }
}

pub const TASK: Table = Table {
    kind: "document_task",
    table: "document_tasks",
    key: &["id"],
    unique: &[],
    cols: &[
        ID,
        col("document_id", Ty::Int).refers("document"),
        col("title", Ty::Text),
        opt("assignee_org_id", Ty::Int).refers("org"),
        opt("due_on", Ty::Date),
        opt("done_on", Ty::Date),
        opt("note", Ty::Text),
    ],
    derived: &[],
    rule: None,
};

pub const REVIEW: Table = Table {
    kind: "document_review",
    table: "document_reviews",
    key: &["id"],
    unique: &[],
    cols: &[
        ID,
        col("document_id", Ty::Int).refers("document"),
        col("org_id", Ty::Int).refers("org"),
        col("kind", Ty::Text).known(review_kind),
        col("held_on", Ty::Date),
        opt("note", Ty::Text),
    ],
    derived: &[],
    rule: None,
};

pub const DISSEMINATION: Table = Table {
    kind: "dissemination_event",
    table: "dissemination_events",
    key: &["id"],
    unique: &[],
    cols: &[
        ID,
        col("org_id", Ty::Int).refers("org"),
        col("kind", Ty::Text).known(dissemination_kind),
        col("title", Ty::Text),
        col("held_on", Ty::Date),
        col("non_member_count", Ty::Int),
        opt("note", Ty::Text),
    ],
    derived: &[],
    rule: Some(|cells| match &cells[5] {
        Cell::Int(Some(n)) if *n < 0 => Some(("non_member_count", format!("{n} is negative"))),
        _ => None,
    }),
};

pub const DISSEMINATION_DOCUMENT: Table = Table {
    kind: "dissemination_document",
    table: "dissemination_documents",
    key: &["event_id", "document_id"],
    unique: &[],
    cols: &[
        col("event_id", Ty::Int).refers("dissemination_event"),
        col("document_id", Ty::Int).refers("document"),
    ],
    derived: &[],
    rule: None,
};

pub const DISSEMINATION_ATTENDEE: Table = Table {
    kind: "dissemination_attendee",
    table: "dissemination_attendees",
    key: &["event_id", "member_id"],
    unique: &[],
    cols: &[
        col("event_id", Ty::Int).refers("dissemination_event"),
        col("member_id", Ty::Int).refers("member"),
    ],
    derived: &[],
    rule: None,
};

pub const STUDY: Table = Table {
    kind: "study_assignment",
    table: "study_assignments",
    key: &["id"],
    unique: &[&["member_id", "document_id"]],
    cols: &[
        ID,
        col("member_id", Ty::Int).refers("member"),
        col("document_id", Ty::Int).refers("document"),
        col("assigned_on", Ty::Date),
        opt("due_on", Ty::Date),
        opt("studied_on", Ty::Date),
    ],
    derived: &[],
    rule: None,
};

pub const COURSE: Table = Table {
    kind: "course",
    table: "courses",
    key: &["id"],
    unique: &[],
    cols: &[
        ID,
        col("org_id", Ty::Int).refers("org"),
        col("kind", Ty::Text).known(course_kind),
        col("title", Ty::Text),
        col("starts_on", Ty::Date),
        col("ends_on", Ty::Date),
        opt("note", Ty::Text),
    ],
    derived: &[],
    rule: Some(|cells| match (&cells[4], &cells[5]) {
        (Cell::Text(Some(start)), Cell::Text(Some(end))) if end < start => {
            Some(("ends_on", format!("{end} is before starts_on {start}")))
        }
        _ => None,
    }),
};

pub const SESSION: Table = Table {
    kind: "course_session",
    table: "course_sessions",
    key: &["id"],
    unique: &[],
    cols: &[
        ID,
        col("course_id", Ty::Int).refers("course"),
        col("held_on", Ty::Date),
        col("topic", Ty::Text),
    ],
    derived: &[],
    rule: None,
};

pub const PARTICIPANT: Table = Table {
    kind: "course_participant",
    table: "course_participants",
    key: &["id"],
    unique: &[
        &["course_id", "member_id"],
        &["course_id", "certificate_no"],
    ],
    cols: &[
        ID,
        col("course_id", Ty::Int).refers("course"),
        opt("member_id", Ty::Int).refers("member"),
        opt("person_name", Ty::Text),
        opt("person_birth_date", Ty::Date),
        opt("result", Ty::Text).known(course_result),
        opt("score", Ty::Float),
        opt("certificate_no", Ty::Text),
        opt("certificate_on", Ty::Date),
    ],
    derived: &[],
    rule: Some(participant_rule),
};

/// A participant is a registry member or a named person, never both nor neither.
fn participant_rule(cells: &[Cell]) -> Option<(&'static str, String)> {
    match (&cells[2], &cells[3]) {
        (Cell::Int(Some(_)), Cell::Text(Some(_))) => Some((
            "person_name",
            "a member participant has no person_name".to_owned(),
        )),
        (Cell::Int(None), Cell::Text(None)) => Some((
            "member_id",
            "a participant needs a member_id or a person_name".to_owned(),
        )),
        _ => None,
    }
}

/// In dependency order.
pub const TABLES: &[&Table] = &[
    &DOCUMENT,
    &COUNTER,
    &EXPECTATION,
    &FILE,
    &TASK,
    &REVIEW,
    &DISSEMINATION,
    &DISSEMINATION_DOCUMENT,
    &DISSEMINATION_ATTENDEE,
    &STUDY,
    &COURSE,
    &SESSION,
    &PARTICIPANT,
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The cross-field rules read cells by position: the positions name these fields.
    #[test]
    fn rules_read_the_fields_they_name() {
        let name = |t: &Table, i: usize| t.cols[i].name;
        assert_eq!(
            [name(&DOCUMENT, 0), name(&DOCUMENT, 10), name(&DOCUMENT, 11)],
            ["id", "parent_id", "cascade_path"]
        );
        assert_eq!([name(&FILE, 4), name(&FILE, 5)], ["size_bytes", "content"]);
        assert_eq!(name(&DISSEMINATION, 5), "non_member_count");
        assert_eq!(
            [name(&COURSE, 4), name(&COURSE, 5)],
            ["starts_on", "ends_on"]
        );
        assert_eq!(
            [name(&PARTICIPANT, 2), name(&PARTICIPANT, 3)],
            ["member_id", "person_name"]
        );
    }

    #[test]
    fn a_cascade_path_must_pass_through_the_parent() {
        let doc = |id, parent: Option<i64>, path: &str| {
            let mut cells = vec![Cell::Int(None); 14];
            cells[0] = Cell::Int(Some(id));
            cells[10] = Cell::Int(parent);
            cells[11] = Cell::Text(Some(path.to_owned()));
            cells
        };
        assert_eq!(document_rule(&doc(7, None, "/7/")), None);
        assert_eq!(document_rule(&doc(9, Some(7), "/7/9/")), None);
        assert!(document_rule(&doc(9, Some(8), "/7/9/")).is_some());
        assert!(document_rule(&doc(9, None, "/7/9/")).is_some());
        assert!(document_rule(&doc(9, Some(7), "/7/")).is_some());
    }
}
