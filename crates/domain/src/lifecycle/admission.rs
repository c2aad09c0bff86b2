//! Admission of an outstanding candidate (quần chúng ưu tú): the steps, their order, the
//! condition of each, and the two deadlines (decision within 60 working days of the cell
//! resolution, ceremony within 30 working days of the decision). A step whose condition
//! fails is refused with an error naming the field and the reason.

use serde::{Deserialize, Serialize};

use super::calendar::Calendar;
use crate::DomainError;
use crate::date::{Date, years_between};
use crate::member::MemberStatus;
use crate::rulebook::AdmissionRules;

/// The steps of admission, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdmissionStep {
    /// The awareness-class certificate (giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng).
    AwarenessClass,
    /// The introduction by an official member (two are needed).
    Introduction,
    /// The recommendation of the Youth Union or the Trade Union.
    Recommendation,
    /// The cell's resolution, voted by at least two-thirds of its official members.
    CellVote,
    /// The vote of the grassroots committee.
    CommitteeVote,
    /// The admission decision of the competent committee.
    Decision,
    /// The admission ceremony, from which probation runs.
    Ceremony,
}

impl AdmissionStep {
    pub const ALL: [AdmissionStep; 7] = [
        AdmissionStep::AwarenessClass,
        AdmissionStep::Introduction,
        AdmissionStep::Recommendation,
        AdmissionStep::CellVote,
        AdmissionStep::CommitteeVote,
        AdmissionStep::Decision,
        AdmissionStep::Ceremony,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AdmissionStep::AwarenessClass => "awareness_class",
            AdmissionStep::Introduction => "introduction",
            AdmissionStep::Recommendation => "recommendation",
            AdmissionStep::CellVote => "cell_vote",
            AdmissionStep::CommitteeVote => "committee_vote",
            AdmissionStep::Decision => "decision",
            AdmissionStep::Ceremony => "ceremony",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// What a candidate has done so far: the date of each recorded step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub awareness_on: Option<Date>,
    /// Dates of the accepted introductions, one per introducer.
    pub introductions: Vec<Date>,
    pub recommendation_on: Option<Date>,
    pub cell_vote_on: Option<Date>,
    pub committee_vote_on: Option<Date>,
    pub decision_on: Option<Date>,
    pub ceremony_on: Option<Date>,
}

/// A deadline of the pipeline and when it falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub step: AdmissionStep,
    pub due_on: Date,
}

impl Progress {
    /// The date a step was recorded on (for introductions, the last one once all are in).
    pub fn done_on(&self, step: AdmissionStep, rules: &AdmissionRules) -> Option<Date> {
        match step {
            AdmissionStep::AwarenessClass => self.awareness_on,
            AdmissionStep::Introduction => (self.introductions.len() >= rules.introducers as usize)
                .then(|| self.introductions.iter().max().copied())
                .flatten(),
            AdmissionStep::Recommendation => self.recommendation_on,
            AdmissionStep::CellVote => self.cell_vote_on,
            AdmissionStep::CommitteeVote => self.committee_vote_on,
            AdmissionStep::Decision => self.decision_on,
            AdmissionStep::Ceremony => self.ceremony_on,
        }
    }

    /// The first step not yet complete; `None` once the ceremony is held.
    pub fn next_step(&self, rules: &AdmissionRules) -> Option<AdmissionStep> {
        AdmissionStep::ALL
            .into_iter()
            .find(|s| self.done_on(*s, rules).is_none())
    }

    /// Refuses `step` unless every earlier step is complete and it is not complete already;
    /// returns the date of the latest earlier step (a new step cannot predate it).
    pub fn require_before(
        &self,
        record: &str,
        step: AdmissionStep,
        rules: &AdmissionRules,
    ) -> Result<Option<Date>, DomainError> {
        if step != AdmissionStep::Introduction && self.done_on(step, rules).is_some() {
            return Err(DomainError::invalid(
                record,
                step.as_str(),
                "is already recorded",
            ));
        }
        if step == AdmissionStep::Introduction
            && self.introductions.len() >= rules.introducers as usize
        {
            return Err(DomainError::invalid(
                record,
                "introducer",
                format!(
                    "the candidate already has {} introducers",
                    rules.introducers
                ),
            ));
        }
        let mut latest = None;
        for earlier in AdmissionStep::ALL.into_iter().take_while(|s| *s != step) {
            match self.done_on(earlier, rules) {
                Some(on) => latest = latest.max(Some(on)),
                None => {
                    return Err(DomainError::invalid(
                        record,
                        step.as_str(),
                        format!("needs the step `{}` first", earlier.as_str()),
                    ));
                }
            }
        }
        Ok(latest)
    }

    /// The pending deadline: the decision after the cell vote, the ceremony after the decision.
    pub fn due(&self, rules: &AdmissionRules, cal: &Calendar) -> Option<Due> {
        match (self.cell_vote_on, self.decision_on, self.ceremony_on) {
            (Some(vote), None, _) => Some(Due {
                step: AdmissionStep::Decision,
                due_on: cal.add_working_days(vote, rules.decision_within_working_days),
            }),
            (_, Some(decision), None) => Some(Due {
                step: AdmissionStep::Ceremony,
                due_on: cal.add_working_days(decision, rules.ceremony_within_working_days),
            }),
            _ => None,
        }
    }

    /// [`Progress::due`] for deciding a step: refused (naming `field`) when the deadline
    /// reaches into a year the calendar does not cover.
    pub fn checked_due(
        &self,
        record: &str,
        field: &str,
        rules: &AdmissionRules,
        cal: &Calendar,
    ) -> Result<Option<Due>, DomainError> {
        let Some(due) = self.due(rules, cal) else {
            return Ok(None);
        };
        let from = match due.step {
            AdmissionStep::Decision => self.cell_vote_on,
            _ => self.decision_on,
        }
        .unwrap_or(due.due_on);
        cal.check_covered(record, field, from, due.due_on)?;
        Ok(Some(due))
    }

    /// The pending deadline if it has passed on `today`.
    pub fn overdue(&self, rules: &AdmissionRules, cal: &Calendar, today: Date) -> Option<Due> {
        self.due(rules, cal).filter(|d| today > d.due_on)
    }
}

fn dated(
    record: &str,
    field: &str,
    on: Date,
    not_before: Option<Date>,
    today: Date,
) -> Result<(), DomainError> {
    if on > today {
        return Err(DomainError::invalid(record, field, "is in the future"));
    }
    if let Some(earlier) = not_before
        && on < earlier
    {
        return Err(DomainError::invalid(
            record,
            field,
            format!("{on} is before the previous step of {earlier}"),
        ));
    }
    Ok(())
}

/// Whole months from `from` to `on`.
pub fn months_between(from: Date, on: Date) -> i32 {
    use chrono::Datelike;
    let mut months = (on.year() - from.year()) * 12 + on.month() as i32 - from.month() as i32;
    if on.day() < from.day() {
        months -= 1;
    }
    months
}

/// The awareness-class certificate: a number and a date.
pub fn check_awareness(
    record: &str,
    progress: &Progress,
    rules: &AdmissionRules,
    certificate_no: &str,
    on: Date,
    today: Date,
) -> Result<(), DomainError> {
    progress.require_before(record, AdmissionStep::AwarenessClass, rules)?;
    if certificate_no.trim().is_empty() {
        return Err(DomainError::invalid(
            record,
            "certificate_no",
            "the awareness-class certificate number is required",
        ));
    }
    dated(record, "certificate_on", on, None, today)
}

/// An introducer as the store knows them on the introduction date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Introducer {
    pub member_id: i64,
    /// The introducer's status on the introduction date.
    pub status: MemberStatus,
    /// Since when the introducer has worked with the candidate.
    pub acquainted_since: Date,
}

/// One introduction: an official member who has known the candidate for at least
/// `introducer_acquaintance_months`, not already introducing this candidate.
pub fn check_introduction(
    record: &str,
    progress: &Progress,
    rules: &AdmissionRules,
    introducer: &Introducer,
    already: &[i64],
    on: Date,
    today: Date,
) -> Result<(), DomainError> {
    let earlier = progress.require_before(record, AdmissionStep::Introduction, rules)?;
    if introducer.status != MemberStatus::Official {
        return Err(DomainError::invalid(
            record,
            "introducer",
            format!(
                "member {} is {} on {on}; an introducer must be an official member",
                introducer.member_id,
                introducer.status.as_str()
            ),
        ));
    }
    if already.contains(&introducer.member_id) {
        return Err(DomainError::invalid(
            record,
            "introducer",
            format!(
                "member {} already introduced this candidate",
                introducer.member_id
            ),
        ));
    }
    let months = months_between(introducer.acquainted_since, on);
    if months < rules.introducer_acquaintance_months as i32 {
        return Err(DomainError::invalid(
            record,
            "acquainted_since",
            format!(
                "the introducer has known the candidate for {} months; at least {} are needed",
                months.max(0),
                rules.introducer_acquaintance_months
            ),
        ));
    }
    dated(record, "introduced_on", on, earlier, today)
}

/// The Youth Union or Trade Union recommendation.
pub fn check_recommendation(
    record: &str,
    progress: &Progress,
    rules: &AdmissionRules,
    by: &str,
    document: &str,
    on: Date,
    today: Date,
) -> Result<(), DomainError> {
    let earlier = progress.require_before(record, AdmissionStep::Recommendation, rules)?;
    if !rules.recommenders.iter().any(|r| r == by) {
        return Err(DomainError::invalid(
            record,
            "recommended_by",
            format!("`{by}` is not one of {}", rules.recommenders.join(", ")),
        ));
    }
    if document.trim().is_empty() {
        return Err(DomainError::invalid(
            record,
            "document",
            "the recommendation's document number is required",
        ));
    }
    dated(record, "recommended_on", on, earlier, today)
}

/// A vote: how many could vote and how many voted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    pub eligible: u32,
    pub votes_for: u32,
}

fn check_vote_counts(record: &str, vote: Vote) -> Result<(), DomainError> {
    if vote.eligible == 0 {
        return Err(DomainError::invalid(
            record,
            "eligible",
            "nobody was eligible to vote",
        ));
    }
    if vote.votes_for > vote.eligible {
        return Err(DomainError::invalid(
            record,
            "votes_for",
            format!(
                "{} votes for exceed the {} eligible voters",
                vote.votes_for, vote.eligible
            ),
        ));
    }
    Ok(())
}

/// The cell resolution: at least `cell_vote_numerator/cell_vote_denominator` of the cell's
/// official members vote for.
pub fn check_cell_vote(
    record: &str,
    progress: &Progress,
    rules: &AdmissionRules,
    vote: Vote,
    on: Date,
    today: Date,
) -> Result<(), DomainError> {
    let earlier = progress.require_before(record, AdmissionStep::CellVote, rules)?;
    check_vote_counts(record, vote)?;
    if vote.votes_for * rules.cell_vote_denominator < vote.eligible * rules.cell_vote_numerator {
        return Err(DomainError::invalid(
            record,
            "votes_for",
            format!(
                "{} of {} official members is less than {}/{}",
                vote.votes_for,
                vote.eligible,
                rules.cell_vote_numerator,
                rules.cell_vote_denominator
            ),
        ));
    }
    dated(record, "voted_on", on, earlier, today)
}

/// The committee's vote: more than `committee_vote_more_than_numerator/denominator` of its
/// members vote for.
pub fn check_committee_vote(
    record: &str,
    progress: &Progress,
    rules: &AdmissionRules,
    vote: Vote,
    on: Date,
    today: Date,
) -> Result<(), DomainError> {
    let earlier = progress.require_before(record, AdmissionStep::CommitteeVote, rules)?;
    check_vote_counts(record, vote)?;
    if vote.votes_for * rules.committee_vote_more_than_denominator
        <= vote.eligible * rules.committee_vote_more_than_numerator
    {
        return Err(DomainError::invalid(
            record,
            "votes_for",
            format!(
                "{} of {} committee members is not more than {}/{}",
                vote.votes_for,
                vote.eligible,
                rules.committee_vote_more_than_numerator,
                rules.committee_vote_more_than_denominator
            ),
        ));
    }
    dated(record, "voted_on", on, earlier, today)
}

/// The admission decision: the candidate is 18-60 on its date, and it comes within
/// `decision_within_working_days` working days of the cell resolution.
#[allow(clippy::too_many_arguments)] // Each argument is one fact of the record.
pub fn check_decision(
    record: &str,
    progress: &Progress,
    rules: &AdmissionRules,
    cal: &Calendar,
    birth_date: Date,
    document: &str,
    on: Date,
    today: Date,
) -> Result<(), DomainError> {
    let earlier = progress.require_before(record, AdmissionStep::Decision, rules)?;
    if document.trim().is_empty() {
        return Err(DomainError::invalid(
            record,
            "document",
            "the decision's document number is required",
        ));
    }
    let age = years_between(birth_date, on);
    if age < rules.min_age as i32 || age > rules.max_age as i32 {
        return Err(DomainError::invalid(
            record,
            "birth_date",
            format!(
                "the candidate is {age} on {on}; admission needs an age of {}-{}",
                rules.min_age, rules.max_age
            ),
        ));
    }
    dated(record, "decided_on", on, earlier, today)?;
    if let Some(due) = progress.checked_due(record, "decided_on", rules, cal)?
        && on > due.due_on
    {
        return Err(DomainError::invalid(
            record,
            "decided_on",
            format!(
                "{on} is after the deadline of {} ({} working days after the cell vote); \
                 the cell must vote again",
                due.due_on, rules.decision_within_working_days
            ),
        ));
    }
    Ok(())
}

/// The ceremony: within `ceremony_within_working_days` working days of the decision.
pub fn check_ceremony(
    record: &str,
    progress: &Progress,
    rules: &AdmissionRules,
    cal: &Calendar,
    on: Date,
    today: Date,
) -> Result<(), DomainError> {
    let earlier = progress.require_before(record, AdmissionStep::Ceremony, rules)?;
    dated(record, "ceremony_on", on, earlier, today)?;
    if let Some(due) = progress.checked_due(record, "ceremony_on", rules, cal)?
        && on > due.due_on
    {
        return Err(DomainError::invalid(
            record,
            "ceremony_on",
            format!(
                "{on} is after the deadline of {} ({} working days after the decision)",
                due.due_on, rules.ceremony_within_working_days
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rulebook::Rulebook;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn rules() -> AdmissionRules {
        Rulebook::in_force(d("2026-01-01")).unwrap().admission
    }

    fn field(err: DomainError) -> String {
        match err {
            DomainError::Invalid { field, .. } => field,
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    const TODAY: &str = "2026-12-31";

    fn voted(on: &str) -> Progress {
        Progress {
            awareness_on: Some(d("2025-01-10")),
            introductions: vec![d("2025-02-01"), d("2025-02-02")],
            recommendation_on: Some(d("2025-02-03")),
            cell_vote_on: Some(d(on)),
            committee_vote_on: Some(d(on)),
            ..Progress::default()
        }
    }

    #[test]
    fn steps_round_trip_and_follow_their_order() {
        for s in AdmissionStep::ALL {
            assert_eq!(AdmissionStep::parse(s.as_str()), Some(s));
        }
        let r = rules();
        let mut p = Progress::default();
        assert_eq!(p.next_step(&r), Some(AdmissionStep::AwarenessClass));
        let err = check_cell_vote(
            "candidate 1",
            &p,
            &r,
            Vote {
                eligible: 3,
                votes_for: 3,
            },
            d("2025-01-01"),
            d(TODAY),
        )
        .unwrap_err();
        assert_eq!(field(err.clone()), "cell_vote");
        assert!(err.to_string().contains("awareness_class"), "{err}");
        p.awareness_on = Some(d("2025-01-10"));
        p.introductions.push(d("2025-02-01"));
        assert_eq!(p.next_step(&r), Some(AdmissionStep::Introduction));
        p.introductions.push(d("2025-02-02"));
        assert_eq!(p.next_step(&r), Some(AdmissionStep::Recommendation));
    }

    #[test]
    fn awareness_needs_a_certificate_number() {
        let r = rules();
        let p = Progress::default();
        assert_eq!(
            field(check_awareness("c", &p, &r, " ", d("2025-01-01"), d(TODAY)).unwrap_err()),
            "certificate_no"
        );
        assert_eq!(
            field(check_awareness("c", &p, &r, "12/CN", d("2027-01-01"), d(TODAY)).unwrap_err()),
            "certificate_on"
        );
        check_awareness("c", &p, &r, "12/CN", d("2025-01-01"), d(TODAY)).unwrap();
        let done = Progress {
            awareness_on: Some(d("2025-01-01")),
            ..Progress::default()
        };
        assert_eq!(
            field(check_awareness("c", &done, &r, "12/CN", d("2025-01-01"), d(TODAY)).unwrap_err()),
            "awareness_class"
        );
    }

    #[test]
    fn introducers_must_be_official_with_twelve_months() {
        let r = rules();
        let p = Progress {
            awareness_on: Some(d("2025-01-10")),
            ..Progress::default()
        };
        let intro = |status, since: &str| Introducer {
            member_id: 7,
            status,
            acquainted_since: d(since),
        };
        let on = d("2025-03-15");
        let probationary = check_introduction(
            "c",
            &p,
            &r,
            &intro(MemberStatus::Probationary, "2020-01-01"),
            &[],
            on,
            d(TODAY),
        )
        .unwrap_err();
        assert_eq!(field(probationary.clone()), "introducer");
        assert!(
            probationary.to_string().contains("official"),
            "{probationary}"
        );
        // Exactly 12 months passes; a day short fails.
        check_introduction(
            "c",
            &p,
            &r,
            &intro(MemberStatus::Official, "2024-03-15"),
            &[],
            on,
            d(TODAY),
        )
        .unwrap();
        let short = check_introduction(
            "c",
            &p,
            &r,
            &intro(MemberStatus::Official, "2024-03-16"),
            &[],
            on,
            d(TODAY),
        )
        .unwrap_err();
        assert_eq!(field(short.clone()), "acquainted_since");
        assert!(short.to_string().contains("11 months"), "{short}");
        assert_eq!(
            field(
                check_introduction(
                    "c",
                    &p,
                    &r,
                    &intro(MemberStatus::Official, "2020-01-01"),
                    &[7],
                    on,
                    d(TODAY)
                )
                .unwrap_err()
            ),
            "introducer"
        );
        // Not before the certificate.
        assert_eq!(
            field(
                check_introduction(
                    "c",
                    &p,
                    &r,
                    &intro(MemberStatus::Official, "2020-01-01"),
                    &[],
                    d("2025-01-01"),
                    d(TODAY)
                )
                .unwrap_err()
            ),
            "introduced_on"
        );
        let full = Progress {
            introductions: vec![on, on],
            ..p
        };
        assert_eq!(
            field(
                check_introduction(
                    "c",
                    &full,
                    &r,
                    &intro(MemberStatus::Official, "2020-01-01"),
                    &[1, 2],
                    on,
                    d(TODAY)
                )
                .unwrap_err()
            ),
            "introducer"
        );
    }

    #[test]
    fn recommendation_comes_from_a_union() {
        let r = rules();
        let p = Progress {
            awareness_on: Some(d("2025-01-10")),
            introductions: vec![d("2025-02-01"), d("2025-02-02")],
            ..Progress::default()
        };
        assert_eq!(
            field(
                check_recommendation(
                    "c",
                    &p,
                    &r,
                    "football_club",
                    "1/GT",
                    d("2025-03-01"),
                    d(TODAY)
                )
                .unwrap_err()
            ),
            "recommended_by"
        );
        assert_eq!(
            field(
                check_recommendation("c", &p, &r, "youth_union", "", d("2025-03-01"), d(TODAY))
                    .unwrap_err()
            ),
            "document"
        );
        check_recommendation(
            "c",
            &p,
            &r,
            "youth_union",
            "1/GT",
            d("2025-03-01"),
            d(TODAY),
        )
        .unwrap();
        check_recommendation(
            "c",
            &p,
            &r,
            "trade_union",
            "1/GT",
            d("2025-03-01"),
            d(TODAY),
        )
        .unwrap();
    }

    #[test]
    fn cell_vote_needs_two_thirds_and_committee_more_than_half() {
        let r = rules();
        let mut p = voted("2025-03-02");
        p.cell_vote_on = None;
        p.committee_vote_on = None;
        let on = d("2025-03-10");
        check_cell_vote(
            "c",
            &p,
            &r,
            Vote {
                eligible: 9,
                votes_for: 6,
            },
            on,
            d(TODAY),
        )
        .unwrap();
        assert_eq!(
            field(
                check_cell_vote(
                    "c",
                    &p,
                    &r,
                    Vote {
                        eligible: 9,
                        votes_for: 5
                    },
                    on,
                    d(TODAY)
                )
                .unwrap_err()
            ),
            "votes_for"
        );
        assert_eq!(
            field(
                check_cell_vote(
                    "c",
                    &p,
                    &r,
                    Vote {
                        eligible: 3,
                        votes_for: 4
                    },
                    on,
                    d(TODAY)
                )
                .unwrap_err()
            ),
            "votes_for"
        );
        assert_eq!(
            field(
                check_cell_vote(
                    "c",
                    &p,
                    &r,
                    Vote {
                        eligible: 0,
                        votes_for: 0
                    },
                    on,
                    d(TODAY)
                )
                .unwrap_err()
            ),
            "eligible"
        );
        p.cell_vote_on = Some(on);
        check_committee_vote(
            "c",
            &p,
            &r,
            Vote {
                eligible: 7,
                votes_for: 4,
            },
            on,
            d(TODAY),
        )
        .unwrap();
        assert_eq!(
            field(
                check_committee_vote(
                    "c",
                    &p,
                    &r,
                    Vote {
                        eligible: 8,
                        votes_for: 4
                    },
                    on,
                    d(TODAY)
                )
                .unwrap_err()
            ),
            "votes_for"
        );
    }

    #[test]
    fn a_decision_deadline_across_tet_2027_counts_it_and_one_past_the_calendar_is_refused() {
        let r = rules();
        let cal = Calendar::vietnam().unwrap();
        let born = d("1995-06-01");
        let today = d("2028-12-31");
        // Vote on Friday 20 November 2026: 60 working days skip 1/1/2027 and Tết 2027
        // (5 and 8-11 February): Monday 22 February 2027.
        let p = voted("2026-11-20");
        let due = p.due(&r, &cal).unwrap().due_on;
        assert_eq!(due, d("2027-02-22"));
        check_decision("c", &p, &r, &cal, born, "1-QĐ", due, today).unwrap();
        let late =
            check_decision("c", &p, &r, &cal, born, "1-QĐ", d("2027-02-23"), today).unwrap_err();
        assert_eq!(field(late), "decided_on");
        // A vote whose 60 working days reach 2028, a year without its Tết in the calendar:
        // the decision cannot be checked against a deadline that would count Tết as work.
        let p = voted("2027-11-01");
        let refused =
            check_decision("c", &p, &r, &cal, born, "1-QĐ", d("2027-11-15"), today).unwrap_err();
        assert_eq!(field(refused.clone()), "decided_on");
        assert!(refused.to_string().contains("2028"), "{refused}");
        // The same with a decision: the ceremony deadline reaches 2028 too.
        let mut p = voted("2027-09-01");
        p.decision_on = Some(d("2027-12-01"));
        assert_eq!(
            field(check_ceremony("c", &p, &r, &cal, d("2027-12-02"), today).unwrap_err()),
            "ceremony_on"
        );
    }

    #[test]
    fn decision_deadline_is_sixty_working_days_after_the_cell_vote() {
        let r = rules();
        let cal = Calendar::vietnam().unwrap();
        // Cell vote on Friday 2 Jan 2026; the 60 working days cross Tết 2026 (5 weekdays).
        let p = voted("2026-01-02");
        let due = p.due(&r, &cal).unwrap();
        assert_eq!(due.step, AdmissionStep::Decision);
        assert_eq!(cal.working_days_between(d("2026-01-02"), due.due_on), 60);
        // Weekends only it would be 27 March; Tết pushes it a week later.
        assert_eq!(
            Calendar::weekends_only().add_working_days(d("2026-01-02"), 60),
            d("2026-03-27")
        );
        assert_eq!(due.due_on, d("2026-04-03"));
        let born = d("1995-06-01");
        check_decision("c", &p, &r, &cal, born, "15-QĐ/ĐU", due.due_on, d(TODAY)).unwrap();
        let late = check_decision(
            "c",
            &p,
            &r,
            &cal,
            born,
            "15-QĐ/ĐU",
            d("2026-04-06"),
            d(TODAY),
        )
        .unwrap_err();
        assert_eq!(field(late.clone()), "decided_on");
        assert!(late.to_string().contains("2026-04-03"), "{late}");
        assert_eq!(p.overdue(&r, &cal, d("2026-04-03")), None);
        assert_eq!(p.overdue(&r, &cal, d("2026-04-04")), Some(due));
        assert_eq!(
            field(
                check_decision("c", &p, &r, &cal, born, " ", d("2026-03-01"), d(TODAY))
                    .unwrap_err()
            ),
            "document"
        );
    }

    #[test]
    fn age_is_checked_on_the_decision_date() {
        let r = rules();
        let cal = Calendar::vietnam().unwrap();
        let p = voted("2026-01-02");
        let on = d("2026-02-02");
        // 18th birthday on the decision day passes, the day after fails.
        check_decision("c", &p, &r, &cal, d("2008-02-02"), "1-QĐ", on, d(TODAY)).unwrap();
        let young =
            check_decision("c", &p, &r, &cal, d("2008-02-03"), "1-QĐ", on, d(TODAY)).unwrap_err();
        assert_eq!(field(young.clone()), "birth_date");
        assert!(young.to_string().contains("17"), "{young}");
        // 60 still passes; 61 fails.
        check_decision("c", &p, &r, &cal, d("1965-02-03"), "1-QĐ", on, d(TODAY)).unwrap();
        assert_eq!(
            field(
                check_decision("c", &p, &r, &cal, d("1965-02-02"), "1-QĐ", on, d(TODAY))
                    .unwrap_err()
            ),
            "birth_date"
        );
    }

    #[test]
    fn ceremony_deadline_is_thirty_working_days_after_the_decision() {
        let r = rules();
        let cal = Calendar::vietnam().unwrap();
        let mut p = voted("2026-03-02");
        // Decision on Friday 10 April 2026: 30 working days skip the
        // Hùng Kings' day given back on Monday 27 April, 30 April and 1 May.
        p.decision_on = Some(d("2026-04-10"));
        let due = p.due(&r, &cal).unwrap();
        assert_eq!(due.step, AdmissionStep::Ceremony);
        assert_eq!(due.due_on, d("2026-05-27"));
        assert_eq!(
            Calendar::weekends_only().add_working_days(d("2026-04-10"), 30),
            d("2026-05-22")
        );
        check_ceremony("c", &p, &r, &cal, d("2026-05-27"), d(TODAY)).unwrap();
        assert_eq!(
            field(check_ceremony("c", &p, &r, &cal, d("2026-05-28"), d(TODAY)).unwrap_err()),
            "ceremony_on"
        );
        assert_eq!(
            field(check_ceremony("c", &p, &r, &cal, d("2026-04-09"), d(TODAY)).unwrap_err()),
            "ceremony_on"
        );
        p.ceremony_on = Some(d("2026-05-20"));
        assert_eq!(p.due(&r, &cal), None);
        assert_eq!(p.next_step(&r), None);
    }

    proptest::proptest! {
        #[test]
        fn cell_vote_passes_exactly_at_two_thirds(eligible in 1u32..200, votes_for in 0u32..200) {
            let r = rules();
            let mut p = voted("2025-03-02");
            p.cell_vote_on = None;
            p.committee_vote_on = None;
            let ok = check_cell_vote("c", &p, &r, Vote { eligible, votes_for }, d("2025-03-10"), d(TODAY)).is_ok();
            proptest::prop_assert_eq!(ok, votes_for <= eligible && 3 * votes_for >= 2 * eligible);
        }
    }

    #[test]
    fn months_between_counts_day_of_month() {
        assert_eq!(months_between(d("2024-03-15"), d("2025-03-15")), 12);
        assert_eq!(months_between(d("2024-03-16"), d("2025-03-15")), 11);
        assert_eq!(months_between(d("2025-03-16"), d("2025-03-15")), -1);
    }
}
