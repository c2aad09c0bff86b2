//! Probation and official recognition: 12 months from the ceremony, the new-member course,
//! the cell's review within 30 working days after probation ends, and recognition dated back
//! to the end of probation (Charter art. 5).

use chrono::Months;
use serde::{Deserialize, Serialize};

use super::calendar::Calendar;
use crate::DomainError;
use crate::date::Date;
use crate::rulebook::AdmissionRules;

/// The last day of probation is the day before this: probation covers
/// `[ceremony, ceremony + probation_months)`, and the member is official from this day.
pub fn probation_end(rules: &AdmissionRules, ceremony_on: Date) -> Date {
    ceremony_on
        .checked_add_months(Months::new(rules.probation_months))
        .unwrap_or(Date::MAX)
}

/// The last day for the cell's review: `recognition_review_within_working_days` working days
/// after probation ends.
pub fn review_due(rules: &AdmissionRules, cal: &Calendar, ceremony_on: Date) -> Date {
    cal.add_working_days(
        probation_end(rules, ceremony_on),
        rules.recognition_review_within_working_days,
    )
}

/// Where a probationary member stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum ProbationState {
    /// Still in probation until `ends_on`.
    Running { ends_on: Date },
    /// Probation is over; the review is due by `due_on`.
    ReviewDue { ends_on: Date, due_on: Date },
    /// The review is late.
    ReviewOverdue { ends_on: Date, due_on: Date },
}

pub fn state(
    rules: &AdmissionRules,
    cal: &Calendar,
    ceremony_on: Date,
    today: Date,
) -> ProbationState {
    let ends_on = probation_end(rules, ceremony_on);
    let due_on = review_due(rules, cal, ceremony_on);
    if today < ends_on {
        ProbationState::Running { ends_on }
    } else if today <= due_on {
        ProbationState::ReviewDue { ends_on, due_on }
    } else {
        ProbationState::ReviewOverdue { ends_on, due_on }
    }
}

/// The outcome of a valid recognition: the member is official from `official_on` (the end
/// of probation, whatever the review date), and `late` says the review missed its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recognition {
    pub official_on: Date,
    pub review_due: Date,
    pub late: bool,
}

/// Checks a recognition reviewed on `reviewed_on`: not before probation ends, the new-member
/// course completed by then, not in the future.
pub fn check_recognition(
    record: &str,
    rules: &AdmissionRules,
    cal: &Calendar,
    ceremony_on: Date,
    course_completed_on: Option<Date>,
    reviewed_on: Date,
    today: Date,
) -> Result<Recognition, DomainError> {
    let ends_on = probation_end(rules, ceremony_on);
    if reviewed_on < ends_on {
        return Err(DomainError::invalid(
            record,
            "reviewed_on",
            format!("probation runs until {ends_on}; it cannot be reviewed on {reviewed_on}"),
        ));
    }
    if reviewed_on > today {
        return Err(DomainError::invalid(
            record,
            "reviewed_on",
            "is in the future",
        ));
    }
    match course_completed_on {
        None => {
            return Err(DomainError::invalid(
                record,
                "new_member_course",
                "the new-member course is required before recognition",
            ));
        }
        Some(course) if course > reviewed_on => {
            return Err(DomainError::invalid(
                record,
                "new_member_course",
                format!("completed on {course}, after the review on {reviewed_on}"),
            ));
        }
        Some(course) if course < ceremony_on => {
            return Err(DomainError::invalid(
                record,
                "new_member_course",
                format!("completed on {course}, before the ceremony on {ceremony_on}"),
            ));
        }
        Some(_) => {}
    }
    let due = cal.checked_add_working_days(
        record,
        "reviewed_on",
        ends_on,
        rules.recognition_review_within_working_days,
    )?;
    Ok(Recognition {
        official_on: ends_on,
        review_due: due,
        late: reviewed_on > due,
    })
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

    #[test]
    fn probation_is_twelve_months_and_the_review_thirty_working_days() {
        let r = rules();
        let cal = Calendar::vietnam().unwrap();
        // Ceremony Thursday 3 April 2025: probation ends Friday 3 April 2026. 30 working days
        // after it cross 27 April (the Hùng Kings' day given back), 30 April and 1 May
        // 2026: 20 May, not 15 May.
        assert_eq!(probation_end(&r, d("2025-04-03")), d("2026-04-03"));
        assert_eq!(review_due(&r, &cal, d("2025-04-03")), d("2026-05-20"));
        assert_eq!(
            Calendar::weekends_only().add_working_days(d("2026-04-03"), 30),
            d("2026-05-15")
        );
        // 29 February ceremonies end on 28 February.
        assert_eq!(probation_end(&r, d("2024-02-29")), d("2025-02-28"));
        let ceremony = d("2025-04-03");
        assert!(matches!(
            state(&r, &cal, ceremony, d("2026-04-02")),
            ProbationState::Running { .. }
        ));
        assert!(matches!(
            state(&r, &cal, ceremony, d("2026-05-20")),
            ProbationState::ReviewDue { .. }
        ));
        assert!(matches!(
            state(&r, &cal, ceremony, d("2026-05-21")),
            ProbationState::ReviewOverdue { .. }
        ));
    }

    #[test]
    fn recognition_is_dated_back_and_needs_the_course() {
        let r = rules();
        let cal = Calendar::vietnam().unwrap();
        let ceremony = d("2025-04-03");
        let today = d("2026-12-31");
        let ok = check_recognition(
            "member 1",
            &r,
            &cal,
            ceremony,
            Some(d("2025-06-01")),
            d("2026-05-20"),
            today,
        )
        .unwrap();
        assert_eq!(ok.official_on, d("2026-04-03"));
        assert!(!ok.late);
        let late = check_recognition(
            "member 1",
            &r,
            &cal,
            ceremony,
            Some(d("2025-06-01")),
            d("2026-05-21"),
            today,
        )
        .unwrap();
        assert!(late.late);
        assert_eq!(late.official_on, d("2026-04-03"));
        let early = check_recognition(
            "member 1",
            &r,
            &cal,
            ceremony,
            Some(d("2025-06-01")),
            d("2026-04-02"),
            today,
        )
        .unwrap_err();
        assert!(early.to_string().contains("reviewed_on"), "{early}");
        let no_course =
            check_recognition("member 1", &r, &cal, ceremony, None, d("2026-04-10"), today)
                .unwrap_err();
        assert!(
            no_course.to_string().contains("new_member_course"),
            "{no_course}"
        );
        let course_late = check_recognition(
            "member 1",
            &r,
            &cal,
            ceremony,
            Some(d("2026-04-11")),
            d("2026-04-10"),
            today,
        )
        .unwrap_err();
        assert!(
            course_late.to_string().contains("new_member_course"),
            "{course_late}"
        );
    }
}
