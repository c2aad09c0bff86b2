//! The annual review and classification (kiểm điểm, đánh giá, xếp loại): every year each
//! member and each grassroots organization (and each cell under a grassroots committee) is
//! classified at one of four levels.
//!
//! Which rule applies is the rulebook's business, chosen by the decision's date: under a
//! quota scheme (124-QĐ/TW) "excellent" may be at most a percentage of "good" among the
//! members of one grassroots organization; under a points scheme (366-QĐ/TW) the level
//! follows from a score out of 100. Pure rules only: storage reads what they need (the
//! member's status history, the organization's tally) and asks these functions.

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::date::Date;
use crate::member::MemberStatus;
use crate::org::OrgKind;
use crate::rulebook::{Classification, Rulebook};

/// The level of a classification: the rulebook's [`Classification`].
pub type Level = Classification;

/// The highest score of the 100-point scale.
pub const MAX_POINTS: u32 = 100;

impl Classification {
    /// Best first.
    pub const ALL: [Classification; 4] = [
        Classification::Excellent,
        Classification::Good,
        Classification::Completed,
        Classification::NotCompleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Classification::Excellent => "excellent",
            Classification::Good => "good",
            Classification::Completed => "completed",
            Classification::NotCompleted => "not_completed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == raw)
    }

    /// "Completed tasks well or better" (hoàn thành tốt nhiệm vụ trở lên), the share the
    /// reports quote.
    pub fn is_good_or_better(self) -> bool {
        matches!(self, Classification::Excellent | Classification::Good)
    }
}

/// Whose classification it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Member,
    Org,
}

impl SubjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Member => "member",
            SubjectKind::Org => "org",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [SubjectKind::Member, SubjectKind::Org]
            .into_iter()
            .find(|k| k.as_str() == raw)
    }
}

/// Organizations that are classified each year: the grassroots organizations and the cells
/// under a grassroots committee. Superior committees and party groups are not.
pub fn is_classified_kind(kind: OrgKind) -> bool {
    matches!(
        kind,
        OrgKind::GrassrootsCommittee | OrgKind::GrassrootsCell | OrgKind::Cell
    )
}

/// The facts of one decision, as a person enters them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub year: i32,
    pub level: Level,
    /// The score out of 100; required under a points scheme.
    pub points: Option<u32>,
    pub decided_on: Date,
    pub note: Option<String>,
}

/// Checks a decision against the rulebook in force on its date (`book`) and today: the
/// review year is not in the future, the decision is not dated before the year began nor
/// after today, and under a points scheme the score is given and earns the level.
pub fn check_decision(
    record: &str,
    book: &Rulebook,
    decision: &Decision,
    today: Date,
) -> Result<(), DomainError> {
    if decision.year > today.year() {
        return Err(DomainError::invalid(
            record,
            "year",
            format!("{} is in the future", decision.year),
        ));
    }
    if decision.decided_on > today {
        return Err(DomainError::invalid(
            record,
            "decided_on",
            format!("{} is in the future", decision.decided_on),
        ));
    }
    if decision.decided_on.year() < decision.year {
        return Err(DomainError::invalid(
            record,
            "decided_on",
            format!(
                "{} is before the review year {} began",
                decision.decided_on, decision.year
            ),
        ));
    }
    if let Some(points) = decision.points
        && points > MAX_POINTS
    {
        return Err(DomainError::invalid(
            record,
            "points",
            format!("{points} is more than {MAX_POINTS}"),
        ));
    }
    let rules = &book.classification;
    if rules.scheme == "points" {
        let Some(points) = decision.points else {
            return Err(DomainError::invalid(
                record,
                "points",
                format!(
                    "is required: {} classifies by a score out of {MAX_POINTS}",
                    rules.source
                ),
            ));
        };
        if let Some(earned) = book.classify_points(points)
            && earned != decision.level
        {
            return Err(DomainError::invalid(
                record,
                "level",
                format!(
                    "{points} points earn `{}` under {}, not `{}`",
                    earned.as_str(),
                    rules.source,
                    decision.level.as_str()
                ),
            ));
        }
    }
    Ok(())
}

/// Whether a member whose status history is `spans` (status, from, to exclusive) was an
/// official or probationary member at some time in `year`: only they are classified.
pub fn check_member_in_year(
    record: &str,
    spans: &[(MemberStatus, Date, Option<Date>)],
    year: i32,
) -> Result<(), DomainError> {
    let (Some(first), Some(last)) = (
        Date::from_ymd_opt(year, 1, 1),
        Date::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(DomainError::invalid(
            record,
            "year",
            format!("{year} is not a year"),
        ));
    };
    let member_in_year = spans.iter().any(|(status, from, to)| {
        matches!(status, MemberStatus::Official | MemberStatus::Probationary)
            && *from <= last
            && to.is_none_or(|to| to > first)
    });
    if member_in_year {
        Ok(())
    } else {
        Err(DomainError::invalid(
            record,
            "member_id",
            format!("was not an official or probationary member in {year}"),
        ))
    }
}

/// Whether an organization existed during `year` (founded by its end, not dissolved before
/// it began).
pub fn check_org_in_year(
    record: &str,
    founded_on: Date,
    dissolved_on: Option<Date>,
    year: i32,
) -> Result<(), DomainError> {
    let existed = founded_on.year() <= year && dissolved_on.is_none_or(|d| d.year() >= year);
    if existed {
        Ok(())
    } else {
        Err(DomainError::invalid(
            record,
            "year",
            format!("the organization did not exist in {year}"),
        ))
    }
}

/// How many subjects are at each level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub excellent: i64,
    pub good: i64,
    pub completed: i64,
    pub not_completed: i64,
}

impl Tally {
    pub fn add(&mut self, level: Level, n: i64) {
        match level {
            Classification::Excellent => self.excellent += n,
            Classification::Good => self.good += n,
            Classification::Completed => self.completed += n,
            Classification::NotCompleted => self.not_completed += n,
        }
    }

    pub fn get(&self, level: Level) -> i64 {
        match level {
            Classification::Excellent => self.excellent,
            Classification::Good => self.good,
            Classification::Completed => self.completed,
            Classification::NotCompleted => self.not_completed,
        }
    }

    pub fn total(&self) -> i64 {
        self.excellent + self.good + self.completed + self.not_completed
    }

    /// The share "good or better" of those classified (0 to 1); 0 when nobody is.
    pub fn good_or_better_rate(&self) -> f64 {
        match self.total() {
            0 => 0.0,
            n => (self.excellent + self.good) as f64 / n as f64,
        }
    }
}

/// Under a quota scheme, refuses a tally of one grassroots organization's members for a
/// year (as it would be after the decision) with more "excellent" than the quota allows.
pub fn check_quota(
    record: &str,
    book: &Rulebook,
    after: &Tally,
    org_name: &str,
) -> Result<(), DomainError> {
    let good = u32::try_from(after.good.max(0)).unwrap_or(u32::MAX);
    let Some(quota) = book.excellent_quota(good) else {
        return Ok(());
    };
    if after.excellent > i64::from(quota) {
        let pct = book
            .classification
            .excellent_max_percent_of_good
            .unwrap_or(0);
        return Err(DomainError::invalid(
            record,
            "level",
            format!(
                "{org_name} would have {} members rated excellent for {} rated good; {} allows at most {pct}% of good ({quota})",
                after.excellent, after.good, book.classification.source
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn decision(year: i32, level: Level, points: Option<u32>, on: &str) -> Decision {
        Decision {
            year,
            level,
            points,
            decided_on: d(on),
            note: None,
        }
    }

    #[test]
    fn levels_round_trip() {
        for l in Classification::ALL {
            assert_eq!(Classification::parse(l.as_str()), Some(l));
        }
        assert_eq!(Classification::parse("fair"), None);
        assert!(Classification::Good.is_good_or_better());
        assert!(!Classification::Completed.is_good_or_better());
    }

    #[test]
    fn points_are_required_and_must_earn_the_level_under_366() {
        let book = Rulebook::in_force(d("2025-12-20")).unwrap();
        let today = d("2026-01-10");
        let ok = decision(2025, Classification::Good, Some(80), "2025-12-20");
        check_decision("classification", &book, &ok, today).unwrap();
        let missing = decision(2025, Classification::Good, None, "2025-12-20");
        let err = check_decision("classification", &book, &missing, today).unwrap_err();
        assert!(matches!(err, DomainError::Invalid { ref field, .. } if field == "points"));
        let wrong = decision(2025, Classification::Excellent, Some(80), "2025-12-20");
        let err = check_decision("classification", &book, &wrong, today).unwrap_err();
        assert!(matches!(err, DomainError::Invalid { ref field, .. } if field == "level"));
        let over = decision(2025, Classification::Excellent, Some(101), "2025-12-20");
        assert!(check_decision("classification", &book, &over, today).is_err());
    }

    #[test]
    fn points_are_optional_under_124() {
        let book = Rulebook::in_force(d("2024-12-20")).unwrap();
        let today = d("2026-01-10");
        check_decision(
            "c",
            &book,
            &decision(2024, Classification::Excellent, None, "2024-12-20"),
            today,
        )
        .unwrap();
        check_decision(
            "c",
            &book,
            &decision(2024, Classification::Good, Some(60), "2024-12-20"),
            today,
        )
        .unwrap();
    }

    #[test]
    fn the_year_and_the_date_are_checked() {
        let book = Rulebook::in_force(d("2024-12-20")).unwrap();
        let today = d("2025-03-01");
        let future = decision(2026, Classification::Good, None, "2025-02-01");
        let err = check_decision("c", &book, &future, today).unwrap_err();
        assert!(matches!(err, DomainError::Invalid { ref field, .. } if field == "year"));
        let early = decision(2024, Classification::Good, None, "2023-12-31");
        let err = check_decision("c", &book, &early, today).unwrap_err();
        assert!(matches!(err, DomainError::Invalid { ref field, .. } if field == "decided_on"));
        let tomorrow = decision(2025, Classification::Good, None, "2025-03-02");
        assert!(check_decision("c", &book, &tomorrow, today).is_err());
    }

    #[test]
    fn only_official_or_probationary_members_in_the_year() {
        use MemberStatus::*;
        let spans = vec![
            (Probationary, d("2023-05-01"), Some(d("2024-05-01"))),
            (Official, d("2024-05-01"), Some(d("2025-02-01"))),
            (Removed, d("2025-02-01"), None),
        ];
        check_member_in_year("c", &spans, 2023).unwrap();
        check_member_in_year("c", &spans, 2025).unwrap();
        let err = check_member_in_year("c", &spans, 2026).unwrap_err();
        assert!(matches!(err, DomainError::Invalid { ref field, .. } if field == "member_id"));
        assert!(check_member_in_year("c", &spans, 2022).is_err());
        // Ended on the first day of the year: not a member in it.
        let ended = vec![(Official, d("2020-01-01"), Some(d("2024-01-01")))];
        assert!(check_member_in_year("c", &ended, 2024).is_err());
        let exempt = vec![(Exempt, d("2020-01-01"), None)];
        assert!(check_member_in_year("c", &exempt, 2024).is_err());
    }

    #[test]
    fn organizations_are_classified_in_the_years_they_existed() {
        assert!(is_classified_kind(OrgKind::Cell));
        assert!(!is_classified_kind(OrgKind::Commune));
        assert!(!is_classified_kind(OrgKind::PartyGroup));
        check_org_in_year("c", d("2023-06-01"), None, 2023).unwrap();
        assert!(check_org_in_year("c", d("2023-06-01"), None, 2022).is_err());
        assert!(check_org_in_year("c", d("2020-01-01"), Some(d("2024-07-01")), 2025).is_err());
        check_org_in_year("c", d("2020-01-01"), Some(d("2024-07-01")), 2024).unwrap();
    }

    #[test]
    fn the_quota_is_twenty_percent_of_good_under_124() {
        let book = Rulebook::in_force(d("2024-12-20")).unwrap();
        let mut t = Tally::default();
        t.add(Classification::Good, 10);
        t.add(Classification::Excellent, 2);
        check_quota("c", &book, &t, "Chi bộ 1").unwrap();
        t.add(Classification::Excellent, 1);
        let err = check_quota("c", &book, &t, "Chi bộ 1").unwrap_err();
        assert!(
            matches!(err, DomainError::Invalid { ref field, ref message, .. } if field == "level" && message.contains("20%"))
        );
        // No quota under the points scheme.
        let points = Rulebook::in_force(d("2025-12-20")).unwrap();
        check_quota("c", &points, &t, "Chi bộ 1").unwrap();
    }

    #[test]
    fn tally_rate() {
        let mut t = Tally::default();
        assert_eq!(t.good_or_better_rate(), 0.0);
        t.add(Classification::Excellent, 1);
        t.add(Classification::Good, 8);
        t.add(Classification::Completed, 1);
        assert_eq!(t.total(), 10);
        assert!((t.good_or_better_rate() - 0.9).abs() < 1e-12);
    }

    proptest! {
        /// Under 366-QĐ/TW a decision with points passes exactly when its level is the one
        /// the points earn.
        #[test]
        fn points_decide_the_level(points in 0u32..=100, level in 0usize..4) {
            let book = Rulebook::in_force(d("2025-12-01")).unwrap();
            let level = Classification::ALL[level];
            let dec = decision(2025, level, Some(points), "2025-12-01");
            let ok = check_decision("c", &book, &dec, d("2026-01-01")).is_ok();
            prop_assert_eq!(ok, book.classify_points(points) == Some(level));
        }

        /// The quota check passes exactly when excellent ≤ ⌊good × 20 / 100⌋.
        #[test]
        fn quota_matches_the_percentage(good in 0i64..500, excellent in 0i64..120) {
            let book = Rulebook::in_force(d("2024-06-01")).unwrap();
            let t = Tally { excellent, good, completed: 0, not_completed: 0 };
            let ok = check_quota("c", &book, &t, "x").is_ok();
            prop_assert_eq!(ok, excellent <= good * 20 / 100);
        }
    }
}
