//! The rules on meetings and attendance, evaluated per member and per cell. Each broken
//! rule yields an [`Alert`] that carries its evidence (meetings, dates, months, members), so
//! a secretary can check it against the minutes. Every number comes from the rulebook.

use std::collections::BTreeSet;

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use super::attendance::AttendanceStatus;
use super::calendar::{Period, YearMonth};
use super::kind::{MeetingKind, MeetingStatus};
use super::participation::MemberHistory;
use crate::date::Date;
use crate::member::MembershipKind;
use crate::rulebook::Rulebook;

/// The numbers the meeting rules use, read from the rulebook in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingRules {
    /// `local.max_consecutive_excused_absences`: more excused absences in a row than this,
    /// within a calendar year, raise an alert.
    pub max_consecutive_excused: u32,
    /// `removal.months_missed_in_year`: months with an unexcused absence (or unpaid dues)
    /// in a year that lead to a removal proposal (Charter art. 8).
    pub removal_months_in_year: u32,
    /// `cell.min_official_members`.
    pub min_official_members: u32,
    /// `cell.committee_from_official_members`.
    pub committee_from_official_members: u32,
    /// `cell.regular_meeting_every_months`.
    pub regular_every_months: u32,
    /// `cell.thematic_meeting_every_months`.
    pub thematic_every_months: u32,
}

impl MeetingRules {
    pub fn from_rulebook(book: &Rulebook) -> MeetingRules {
        MeetingRules {
            max_consecutive_excused: book.local.max_consecutive_excused_absences,
            removal_months_in_year: book.removal.months_missed_in_year,
            min_official_members: book.cell.min_official_members,
            committee_from_official_members: book.cell.committee_from_official_members,
            regular_every_months: book.cell.regular_meeting_every_months,
            thematic_every_months: book.cell.thematic_meeting_every_months,
        }
    }
}

/// The rules an alert can come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertRule {
    AbsentUnexcused,
    ExcusedInARow,
    ProposedRemoval,
    NoRegularMeeting,
    NoThematicMeeting,
    TooFewOfficialMembers,
    NoCellCommittee,
}

impl AlertRule {
    pub const ALL: [AlertRule; 7] = [
        AlertRule::AbsentUnexcused,
        AlertRule::ExcusedInARow,
        AlertRule::ProposedRemoval,
        AlertRule::NoRegularMeeting,
        AlertRule::NoThematicMeeting,
        AlertRule::TooFewOfficialMembers,
        AlertRule::NoCellCommittee,
    ];

    pub fn key(self) -> &'static str {
        match self {
            AlertRule::AbsentUnexcused => "absent_unexcused",
            AlertRule::ExcusedInARow => "excused_in_a_row",
            AlertRule::ProposedRemoval => "proposed_removal",
            AlertRule::NoRegularMeeting => "no_regular_meeting",
            AlertRule::NoThematicMeeting => "no_thematic_meeting",
            AlertRule::TooFewOfficialMembers => "too_few_official_members",
            AlertRule::NoCellCommittee => "no_cell_committee",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == raw)
    }

    /// Whether the rule judges a member (rather than a cell).
    pub fn is_about_members(self) -> bool {
        matches!(
            self,
            AlertRule::AbsentUnexcused | AlertRule::ExcusedInARow | AlertRule::ProposedRemoval
        )
    }

    pub fn description(self) -> &'static str {
        match self {
            AlertRule::AbsentUnexcused => "absent from a cell meeting without reason",
            AlertRule::ExcusedInARow => {
                "absent with reason more times in a row within a year than the local rule allows"
            }
            AlertRule::ProposedRemoval => {
                "missed activities (or dues) in as many months of a year as Charter art. 8 allows: proposed for removal"
            }
            AlertRule::NoRegularMeeting => "a cell held no regular meeting in a month",
            AlertRule::NoThematicMeeting => "a cell held no thematic meeting in a quarter",
            AlertRule::TooFewOfficialMembers => "a cell has fewer official members than required",
            AlertRule::NoCellCommittee => "a cell large enough to need a cell committee has none",
        }
    }
}

/// What an alert rests on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub meeting_ids: Vec<i64>,
    pub dates: Vec<Date>,
    /// Months (`2025-03`) or quarters (`2025-Q2`) concerned.
    pub periods: Vec<String>,
    pub member_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    pub rule: AlertRule,
    /// The organization where it arose: the meeting's cell, or the cell judged.
    pub org_id: i64,
    pub member_id: Option<i64>,
    /// The day the rule was broken (the meeting that crossed the line, or a period's end).
    pub on: Date,
    pub message: String,
    pub evidence: Evidence,
}

/// One attendance record of a member, with its meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceFact {
    pub meeting_id: i64,
    pub org_id: i64,
    pub date: Date,
    pub kind: MeetingKind,
    pub status: AttendanceStatus,
}

/// Judges one member's attendance. `facts` may span several cells (a member who moves
/// mid-year keeps one record); records made when the member owed no attendance there
/// (exempt, away on temporary transfer) are ignored. `unpaid_dues` are the months without
/// dues paid and without valid reason, supplied by the dues ledger; they count towards
/// removal with the months of missed activities.
pub fn evaluate_member(
    rules: &MeetingRules,
    history: &MemberHistory,
    facts: &[AttendanceFact],
    unpaid_dues: &[YearMonth],
) -> Vec<Alert> {
    let mut facts: Vec<AttendanceFact> = facts
        .iter()
        .filter(|f| f.kind.is_cell_activity() && history.role_at(f.org_id, f.date).is_some())
        .copied()
        .collect();
    facts.sort_by_key(|f| (f.date, f.meeting_id));
    let member = history.member_id;
    let mut alerts = Vec::new();

    for f in facts
        .iter()
        .filter(|f| f.status == AttendanceStatus::AbsentUnexcused)
    {
        alerts.push(Alert {
            rule: AlertRule::AbsentUnexcused,
            org_id: f.org_id,
            member_id: Some(member),
            on: f.date,
            message: format!(
                "absent without reason from the {} meeting of {}",
                f.kind.as_str(),
                f.date
            ),
            evidence: Evidence {
                meeting_ids: vec![f.meeting_id],
                dates: vec![f.date],
                ..Evidence::default()
            },
        });
    }

    alerts.extend(excused_runs(rules, member, &facts));
    alerts.extend(removal(rules, history, &facts, unpaid_dues));
    alerts.sort_by_key(|a| (a.on, a.rule));
    alerts
}

/// Runs of excused absences within a calendar year longer than the local rule allows. A
/// meeting attended, an unexcused absence or a new year ends a run.
fn excused_runs(rules: &MeetingRules, member: i64, facts: &[AttendanceFact]) -> Vec<Alert> {
    let mut alerts = Vec::new();
    let mut run: Vec<&AttendanceFact> = Vec::new();
    let limit = rules.max_consecutive_excused as usize;
    let mut close = |run: &mut Vec<&AttendanceFact>| {
        if run.len() > limit {
            let trigger = run[limit];
            alerts.push(Alert {
                rule: AlertRule::ExcusedInARow,
                org_id: trigger.org_id,
                member_id: Some(member),
                on: trigger.date,
                message: format!(
                    "absent with reason {} times in a row in {} (more than {limit})",
                    run.len(),
                    trigger.date.year()
                ),
                evidence: Evidence {
                    meeting_ids: run.iter().map(|f| f.meeting_id).collect(),
                    dates: run.iter().map(|f| f.date).collect(),
                    ..Evidence::default()
                },
            });
        }
        run.clear();
    };
    for f in facts {
        if run.last().is_some_and(|l| l.date.year() != f.date.year()) {
            close(&mut run);
        }
        if f.status == AttendanceStatus::AbsentExcused {
            run.push(f);
        } else {
            close(&mut run);
        }
    }
    close(&mut run);
    alerts
}

/// Charter art. 8: months of a year with an activity missed without reason, or dues
/// unpaid, reaching the rulebook's number lead to a removal proposal, once per year.
fn removal(
    rules: &MeetingRules,
    history: &MemberHistory,
    facts: &[AttendanceFact],
    unpaid_dues: &[YearMonth],
) -> Vec<Alert> {
    // (day it happened, month, meeting if any)
    let mut events: Vec<(Date, YearMonth, Option<&AttendanceFact>)> = facts
        .iter()
        .filter(|f| f.status == AttendanceStatus::AbsentUnexcused)
        .map(|f| (f.date, YearMonth::of(f.date), Some(f)))
        .collect();
    events.extend(
        unpaid_dues
            .iter()
            .filter_map(|m| Some((m.last_day()?, *m, None))),
    );
    events.sort_by_key(|(day, _, f)| (*day, f.map(|f| f.meeting_id)));
    let years: BTreeSet<i32> = events.iter().map(|(_, m, _)| m.year).collect();
    let needed = rules.removal_months_in_year.max(1) as usize;
    let mut alerts = Vec::new();
    for year in years {
        let in_year: Vec<_> = events.iter().filter(|(_, m, _)| m.year == year).collect();
        let mut months = BTreeSet::new();
        let mut trigger = None;
        for (day, month, fact) in &in_year {
            if months.insert(*month) && months.len() == needed {
                trigger = Some((*day, *fact));
            }
        }
        let Some((on, fact)) = trigger else { continue };
        let org_id = fact.map(|f| f.org_id).unwrap_or_else(|| {
            history
                .memberships
                .iter()
                .rev()
                .find(|(_, k, s)| *k == MembershipKind::Official && s.from <= on)
                .map_or(0, |(o, _, _)| *o)
        });
        let missed: Vec<&AttendanceFact> = in_year.iter().filter_map(|(_, _, f)| *f).collect();
        let dues: Vec<String> = in_year
            .iter()
            .filter(|(_, _, f)| f.is_none())
            .map(|(_, m, _)| m.to_string())
            .collect();
        alerts.push(Alert {
            rule: AlertRule::ProposedRemoval,
            org_id,
            member_id: Some(history.member_id),
            on,
            message: format!(
                "missed activities{} without reason in {} months of {year} (rule: {needed}): proposed for removal",
                if dues.is_empty() { "" } else { " or dues" },
                months.len()
            ),
            evidence: Evidence {
                meeting_ids: missed.iter().map(|f| f.meeting_id).collect(),
                dates: missed.iter().map(|f| f.date).collect(),
                periods: months.iter().map(ToString::to_string).collect(),
                member_ids: Vec::new(),
            },
        });
    }
    alerts
}

/// A meeting of the cell being judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingFact {
    pub id: i64,
    pub kind: MeetingKind,
    pub date: Date,
    pub status: MeetingStatus,
}

/// What the cell rules need to know about one cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellFacts {
    pub org_id: i64,
    pub founded_on: Date,
    pub dissolved_on: Option<Date>,
    pub meetings: Vec<MeetingFact>,
    /// Members in official standing (official, exempt, temporarily exempt) whose official
    /// membership is in the cell at the end of the period; not probationary members, not
    /// guests on temporary transfer.
    pub official_member_ids: Vec<i64>,
    /// Whether the cell has an elected cell committee at the end of the period.
    pub has_committee: bool,
}

/// Judges a cell over `period`: a regular meeting held in every whole month, a thematic
/// meeting in every whole quarter (both while the cell existed), and its size at the end.
pub fn evaluate_cell(rules: &MeetingRules, cell: &CellFacts, period: &Period) -> Vec<Alert> {
    let mut alerts = Vec::new();
    let checks = [
        (
            AlertRule::NoRegularMeeting,
            MeetingKind::Regular,
            rules.regular_every_months,
        ),
        (
            AlertRule::NoThematicMeeting,
            MeetingKind::Thematic,
            rules.thematic_every_months,
        ),
    ];
    for (rule, kind, months) in checks {
        for w in period.whole_windows(months, cell.founded_on, cell.dissolved_on) {
            let (Some(first), Some(last)) = (w.first_day(), w.last_day()) else {
                continue;
            };
            let in_window: Vec<&MeetingFact> = cell
                .meetings
                .iter()
                .filter(|m| m.kind == kind && first <= m.date && m.date <= last)
                .collect();
            if in_window.iter().any(|m| m.status == MeetingStatus::Held) {
                continue;
            }
            alerts.push(Alert {
                rule,
                org_id: cell.org_id,
                member_id: None,
                on: last,
                message: format!(
                    "no {} meeting held in {}{}",
                    kind.as_str(),
                    w.label(),
                    if in_window.is_empty() {
                        String::new()
                    } else {
                        format!(" ({} planned, not held)", in_window.len())
                    }
                ),
                evidence: Evidence {
                    meeting_ids: in_window.iter().map(|m| m.id).collect(),
                    dates: in_window.iter().map(|m| m.date).collect(),
                    periods: vec![w.label()],
                    member_ids: Vec::new(),
                },
            });
        }
    }
    let active_at_end =
        cell.founded_on <= period.to && cell.dissolved_on.is_none_or(|d| d > period.to);
    if active_at_end {
        let n = cell.official_member_ids.len() as u32;
        let evidence = Evidence {
            member_ids: cell.official_member_ids.clone(),
            dates: vec![period.to],
            ..Evidence::default()
        };
        if n < rules.min_official_members {
            alerts.push(Alert {
                rule: AlertRule::TooFewOfficialMembers,
                org_id: cell.org_id,
                member_id: None,
                on: period.to,
                message: format!(
                    "{n} official members on {}; a cell needs at least {}",
                    period.to, rules.min_official_members
                ),
                evidence: evidence.clone(),
            });
        }
        if n >= rules.committee_from_official_members && !cell.has_committee {
            alerts.push(Alert {
                rule: AlertRule::NoCellCommittee,
                org_id: cell.org_id,
                member_id: None,
                on: period.to,
                message: format!(
                    "{n} official members on {} but no cell committee (required from {})",
                    period.to, rules.committee_from_official_members
                ),
                evidence,
            });
        }
    }
    alerts.sort_by_key(|a| (a.on, a.rule));
    alerts
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
