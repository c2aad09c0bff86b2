//! The record types of the membership lifecycle (migration 0006): candidates and their
//! admission steps, the new-member course, official recognition, transfer letters,
//! outcomes (removal, expulsion, death, re-admission), party cards, and dues (income
//! declarations, reliefs, payments); and the handover minutes of block transfers
//! (migration 0007).
//!
//! The paths these tables keep (`org_path`, `from_path`, `to_path`) are the places of the
//! record when it was written, history rather than something derived from the current tree,
//! so they travel as they are. A candidate's folded name and sort key are derived from the
//! name: they are left out of the file and computed again on import.

use grassroots_domain::lifecycle::admission::AdmissionStep;
use grassroots_domain::lifecycle::dues::{ExemptionReason, IncomeKind, YearMonth};
use grassroots_domain::member::Gender;
use grassroots_domain::text;
use grassroots_storage::lifecycle::cards::CARD_END_STATES;
use grassroots_storage::lifecycle::outcomes::OutcomeKind;
use grassroots_storage::restore::Cell;

use super::table::{Col, Derived, Table, Ty, col, opt};

/// The stored spelling only (`male`, `female`), not the words `parse` also accepts.
fn gender(s: &str) -> bool {
    Gender::parse(s).is_some_and(|g| g.as_str() == s)
}
fn step(s: &str) -> bool {
    AdmissionStep::parse(s).is_some()
}
fn outcome_kind(s: &str) -> bool {
    OutcomeKind::parse(s).is_some()
}
fn card_state(s: &str) -> bool {
    s == "valid" || CARD_END_STATES.contains(&s)
}
/// A transfer letter is issued, then accepted or cancelled.
fn letter_state(s: &str) -> bool {
    matches!(s, "issued" | "accepted" | "cancelled")
}
fn income_kind(s: &str) -> bool {
    IncomeKind::parse(s).is_some()
}
fn exemption(s: &str) -> bool {
    ExemptionReason::parse(s).is_some()
}
/// `YYYY-MM`, as written.
fn month(s: &str) -> bool {
    YearMonth::parse("", "", s).is_ok_and(|m| format!("{:04}-{:02}", m.year, m.month) == s)
}

const ID: Col = col("id", Ty::Int);

pub const CANDIDATE: Table = Table {
    kind: "candidate",
    table: "candidates",
    key: &["id"],
    unique: &[],
    cols: &[
        ID,
        col("org_id", Ty::Int).refers("org"),
        col("org_path", Ty::Text),
        col("full_name", Ty::Text),
        col("birth_date", Ty::Date),
        col("gender", Ty::Text).known(gender),
        col("ethnicity", Ty::Text),
        opt("citizen_id", Ty::Text),
        col("registered_on", Ty::Date),
        opt("member_id", Ty::Int).refers("member"),
        opt("withdrawn_on", Ty::Date),
        opt("withdrawn_reason", Ty::Text),
        col("updated_at", Ty::Text),
    ],
    derived: &[
        Derived {
            name: "name_folded",
            from: "full_name",
            compute: text::fold,
        },
        Derived {
            name: "sort_key",
            from: "full_name",
            compute: text::sort_key,
        },
    ],
    rule: None,
};

pub const CANDIDATE_STEP: Table = Table {
    kind: "candidate_step",
    table: "candidate_steps",
    key: &["id"],
    unique: &[&["candidate_id", "step", "seq"]],
    cols: &[
        ID,
        col("candidate_id", Ty::Int).refers("candidate"),
        col("step", Ty::Text).known(step),
        col("seq", Ty::Int),
        col("done_on", Ty::Date),
        opt("document", Ty::Text),
        col("details", Ty::Json),
        col("actor", Ty::Text),
        col("recorded_at", Ty::Text),
    ],
    derived: &[],
    rule: None,
};

pub const NEW_MEMBER_COURSE: Table = Table {
    kind: "new_member_course",
    table: "new_member_courses",
    key: &["id"],
    unique: &[&["member_id"]],
    cols: &[
        ID,
        col("member_id", Ty::Int).refers("member"),
        col("completed_on", Ty::Date),
        col("certificate_no", Ty::Text),
        col("recorded_at", Ty::Text),
    ],
    derived: &[],
    rule: None,
};

pub const RECOGNITION: Table = Table {
    kind: "recognition",
    table: "recognitions",
    key: &["id"],
    unique: &[&["member_id"]],
    cols: &[
        ID,
        col("member_id", Ty::Int).refers("member"),
        col("org_path", Ty::Text),
        col("ceremony_on", Ty::Date),
        col("reviewed_on", Ty::Date),
        col("official_on", Ty::Date),
        col("review_due", Ty::Date),
        col("late", Ty::Int),
        col("document", Ty::Text),
        col("recorded_at", Ty::Text),
    ],
    derived: &[],
    rule: Some(recognition_rule),
};

/// `late` is a flag.
fn recognition_rule(cells: &[Cell]) -> Option<(&'static str, String)> {
    super::table::flag(cells, 7, "late")
}

pub const TRANSFER_LETTER: Table = Table {
    kind: "transfer_letter",
    table: "transfer_letters",
    key: &["id"],
    unique: &[],
    cols: &[
        ID,
        col("member_id", Ty::Int).refers("member"),
        col("from_org_id", Ty::Int).refers("org"),
        col("from_path", Ty::Text),
        col("to_org_id", Ty::Int).refers("org"),
        col("to_path", Ty::Text),
        col("document", Ty::Text),
        col("issued_on", Ty::Date),
        col("valid_until", Ty::Date),
        col("state", Ty::Text).known(letter_state),
        opt("accepted_on", Ty::Date),
        opt("cancelled_reason", Ty::Text),
        col("recorded_at", Ty::Text),
    ],
    derived: &[],
    rule: Some(letter_rule),
};

/// An accepted letter has its day of acceptance, and only an accepted one.
fn letter_rule(cells: &[Cell]) -> Option<(&'static str, String)> {
    let (Cell::Text(Some(state)), Cell::Text(accepted)) = (&cells[9], &cells[10]) else {
        return None;
    };
    match (state.as_str(), accepted) {
        ("accepted", None) => Some(("accepted_on", "is missing for an accepted letter".into())),
        ("issued" | "cancelled", Some(_)) => {
            Some(("accepted_on", format!("is set but the letter is {state}")))
        }
        _ => None,
    }
}

pub const MEMBER_OUTCOME: Table = Table {
    kind: "member_outcome",
    table: "member_outcomes",
    key: &["id"],
    unique: &[],
    cols: &[
        ID,
        col("member_id", Ty::Int).refers("member"),
        col("kind", Ty::Text).known(outcome_kind),
        col("effective_on", Ty::Date),
        col("document", Ty::Text),
        opt("reason", Ty::Text),
        col("org_path", Ty::Text),
        col("recorded_at", Ty::Text),
    ],
    derived: &[],
    rule: None,
};

pub const PARTY_CARD: Table = Table {
    kind: "party_card",
    table: "party_cards",
    key: &["id"],
    unique: &[&["card_no"]],
    cols: &[
        ID,
        col("member_id", Ty::Int).refers("member"),
        col("card_no", Ty::Text),
        col("issued_on", Ty::Date),
        col("state", Ty::Text).known(card_state),
        opt("ended_on", Ty::Date),
        opt("end_reason", Ty::Text),
        col("recorded_at", Ty::Text),
    ],
    derived: &[],
    rule: None,
};

pub const DUES_INCOME: Table = Table {
    kind: "dues_income",
    table: "dues_incomes",
    key: &["id"],
    unique: &[&["member_id", "from_month"]],
    cols: &[
        ID,
        col("member_id", Ty::Int).refers("member"),
        col("from_month", Ty::Text).known(month),
        col("kind", Ty::Text).known(income_kind),
        col("base_vnd", Ty::Int),
        col("recorded_at", Ty::Text),
    ],
    derived: &[],
    rule: None,
};

pub const DUES_RELIEF: Table = Table {
    kind: "dues_relief",
    table: "dues_reliefs",
    key: &["id"],
    unique: &[],
    cols: &[
        ID,
        col("member_id", Ty::Int).refers("member"),
        col("from_month", Ty::Text).known(month),
        col("to_month", Ty::Text).known(month),
        opt("exemption", Ty::Text).known(exemption),
        col("percent", Ty::Int),
        col("document", Ty::Text),
        col("recorded_at", Ty::Text),
    ],
    derived: &[],
    rule: Some(relief_rule),
};

/// Months run forward; an exemption is 100 percent, a reduction a percentage below it.
fn relief_rule(cells: &[Cell]) -> Option<(&'static str, String)> {
    let (
        Cell::Text(Some(from)),
        Cell::Text(Some(to)),
        Cell::Text(exemption),
        Cell::Int(Some(percent)),
    ) = (&cells[2], &cells[3], &cells[4], &cells[5])
    else {
        return None;
    };
    if to < from {
        return Some(("to_month", format!("{to} is before from_month {from}")));
    }
    match exemption {
        Some(_) if *percent != 100 => {
            Some(("percent", format!("{percent} for an exemption, not 100")))
        }
        _ if !(1..=100).contains(percent) => {
            Some(("percent", format!("{percent} is not between 1 and 100")))
        }
        _ => None,
    }
}

pub const DUES_PAYMENT: Table = Table {
    kind: "dues_payment",
    table: "dues_payments",
    key: &["id"],
    unique: &[],
    cols: &[
        ID,
        col("member_id", Ty::Int).refers("member"),
        col("month", Ty::Text).known(month),
        col("amount_vnd", Ty::Int),
        col("paid_on", Ty::Date),
        col("org_id", Ty::Int).refers("org"),
        col("org_path", Ty::Text),
        col("recorded_at", Ty::Text),
    ],
    derived: &[],
    rule: None,
};

/// Handover minutes of a block transfer (migration 0007), with the tree change they belong
/// to. The paths are where both organizations stood when the minutes were recorded.
pub const ORG_HANDOVER: Table = Table {
    kind: "org_handover",
    table: "org_handovers",
    key: &["id"],
    unique: &[],
    cols: &[
        ID,
        col("event_id", Ty::Int).refers("org_event"),
        col("minutes_no", Ty::Text),
        col("signed_on", Ty::Date),
        col("from_org_id", Ty::Int).refers("org"),
        col("from_path", Ty::Text),
        col("to_org_id", Ty::Int).refers("org"),
        col("to_path", Ty::Text),
        col("org_count", Ty::Int),
        col("member_count", Ty::Int),
        col("handed_by", Ty::Text),
        col("received_by", Ty::Text),
        opt("note", Ty::Text),
        col("recorded_at", Ty::Text),
    ],
    derived: &[],
    rule: Some(handover_rule),
};

/// Counts are never negative.
fn handover_rule(cells: &[Cell]) -> Option<(&'static str, String)> {
    for (i, name) in [(8, "org_count"), (9, "member_count")] {
        if let Cell::Int(Some(n)) = cells[i]
            && n < 0
        {
            return Some((name, format!("{n} is negative")));
        }
    }
    None
}

/// A member on the list of handover minutes, with the cell they were in.
pub const ORG_HANDOVER_MEMBER: Table = Table {
    kind: "org_handover_member",
    table: "org_handover_members",
    key: &["handover_id", "member_id"],
    unique: &[],
    cols: &[
        col("handover_id", Ty::Int).refers("org_handover"),
        col("member_id", Ty::Int).refers("member"),
        col("org_id", Ty::Int).refers("org"),
    ],
    derived: &[],
    rule: None,
};

/// In dependency order.
pub const TABLES: &[&Table] = &[
    &CANDIDATE,
    &CANDIDATE_STEP,
    &NEW_MEMBER_COURSE,
    &RECOGNITION,
    &TRANSFER_LETTER,
    &MEMBER_OUTCOME,
    &PARTY_CARD,
    &DUES_INCOME,
    &DUES_RELIEF,
    &DUES_PAYMENT,
    &ORG_HANDOVER,
    &ORG_HANDOVER_MEMBER,
];
