//! The record type of the annual review and classification (migration 0011). A record
//! names its organization by id (the member's cell in the review year, or the organization
//! classified) and the grassroots organization it counts in; a correction names the record
//! it supersedes, which comes earlier in the file.

use grassroots_domain::classification::{Level, SubjectKind};
use grassroots_storage::restore::Cell;

use super::table::{Col, Table, Ty, col, opt};

fn subject_kind(s: &str) -> bool {
    SubjectKind::parse(s).is_some()
}
fn level(s: &str) -> bool {
    Level::parse(s).is_some()
}
fn scheme(s: &str) -> bool {
    matches!(s, "quota" | "points")
}

const ID: Col = col("id", Ty::Int);

pub const CLASSIFICATION: Table = Table {
    kind: "classification",
    table: "classifications",
    key: &["id"],
    unique: &[
        &["subject_kind", "subject_id", "year", "revision"],
        &["supersedes"],
    ],
    cols: &[
        ID,
        col("subject_kind", Ty::Text).known(subject_kind),
        col("subject_id", Ty::Int),
        opt("member_id", Ty::Int).refers("member"),
        col("org_id", Ty::Int).refers("org"),
        col("grassroots_id", Ty::Int).refers("org"),
        col("year", Ty::Int),
        col("revision", Ty::Int),
        opt("supersedes", Ty::Int).refers("classification"),
        col("level", Ty::Text).known(level),
        opt("points", Ty::Int),
        col("rulebook", Ty::Text),
        col("scheme", Ty::Text).known(scheme),
        col("decided_on", Ty::Date),
        col("decided_by", Ty::Int).refers("org"),
        opt("note", Ty::Text),
        col("actor", Ty::Text),
        col("recorded_at", Ty::Text),
    ],
    derived: &[],
    rule: Some(classification_rule),
};

/// A member's record names the member as its subject; points are 0 to 100; a first
/// decision supersedes nothing and a correction supersedes something.
fn classification_rule(cells: &[Cell]) -> Option<(&'static str, String)> {
    if let (Cell::Text(Some(kind)), Cell::Int(Some(subject)), Cell::Int(member)) =
        (&cells[1], &cells[2], &cells[3])
    {
        match (kind.as_str(), member) {
            ("member", Some(m)) if m != subject => {
                return Some(("member_id", format!("{m} is not the subject {subject}")));
            }
            ("member", None) => return Some(("member_id", "is missing for a member".into())),
            ("org", Some(_)) => return Some(("member_id", "is set for an organization".into())),
            _ => {}
        }
    }
    if let Cell::Int(Some(p)) = cells[10]
        && !(0..=100).contains(&p)
    {
        return Some(("points", format!("{p} is not between 0 and 100")));
    }
    match (&cells[7], &cells[8]) {
        (Cell::Int(Some(1)), Cell::Int(Some(_))) => Some((
            "supersedes",
            "is set on a first decision (revision 1)".into(),
        )),
        (Cell::Int(Some(r)), Cell::Int(None)) if *r > 1 => {
            Some(("supersedes", format!("is missing on revision {r}")))
        }
        _ => None,
    }
}

pub const TABLES: &[&Table] = &[&CLASSIFICATION];
