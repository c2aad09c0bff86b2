//! Party badges (Huy hiệu Đảng) for 30, 40, 45 ... 90 years of party age, awarded on the
//! award days of the rulebook (3/2, 19/5, 2/9, 7/11). A member is listed for the award day on
//! or before which they reach a badge level and after the previous award day, so each member
//! appears once per level, ahead of the ceremony that awards it.

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use super::party_age::{Gap, reaches_on};
use crate::DomainError;
use crate::date::Date;
use crate::rulebook::BadgeRules;

fn award_days_of_year(
    record: &str,
    rules: &BadgeRules,
    year: i32,
) -> Result<Vec<Date>, DomainError> {
    let mut days = Vec::new();
    for raw in &rules.award_days {
        let day = raw
            .split_once('-')
            .and_then(|(m, d)| Date::from_ymd_opt(year, m.parse().ok()?, d.parse().ok()?))
            .ok_or_else(|| {
                DomainError::invalid(record, "award_days", format!("`{raw}` is not MM-DD"))
            })?;
        days.push(day);
    }
    days.sort();
    Ok(days)
}

/// Checks that `day` is an award day and returns the award day before it.
pub fn previous_award_day(rules: &BadgeRules, day: Date) -> Result<Date, DomainError> {
    let this_year = award_days_of_year("badges", rules, day.year())?;
    if !this_year.contains(&day) {
        let list: Vec<String> = this_year
            .iter()
            .map(|d| d.format("%d/%m").to_string())
            .collect();
        return Err(DomainError::invalid(
            "badges",
            "award_day",
            format!("{day} is not an award day ({})", list.join(", ")),
        ));
    }
    let last_year = award_days_of_year("badges", rules, day.year() - 1)?;
    last_year
        .into_iter()
        .chain(this_year)
        .filter(|d| *d < day)
        .max()
        .ok_or_else(|| {
            DomainError::invalid("badges", "award_days", "the rulebook lists no award days")
        })
}

/// The next award day on or after `day`.
pub fn next_award_day(rules: &BadgeRules, day: Date) -> Result<Date, DomainError> {
    let mut days = award_days_of_year("badges", rules, day.year())?;
    days.extend(award_days_of_year("badges", rules, day.year() + 1)?);
    days.into_iter().find(|d| *d >= day).ok_or_else(|| {
        DomainError::invalid("badges", "award_days", "the rulebook lists no award days")
    })
}

/// A badge a member becomes eligible for at an award day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadgeDue {
    pub years: u32,
    /// The day the member reaches that party age.
    pub reached_on: Date,
}

/// The badge level (if any) the member reaches in `(previous award day, award_day]`.
pub fn badge_due(
    rules: &BadgeRules,
    admitted: Date,
    gaps: &[Gap],
    award_day: Date,
) -> Result<Option<BadgeDue>, DomainError> {
    let previous = previous_award_day(rules, award_day)?;
    Ok(rules.party_years.iter().find_map(|years| {
        let reached_on = reaches_on(admitted, gaps, *years)?;
        (reached_on > previous && reached_on <= award_day).then_some(BadgeDue {
            years: *years,
            reached_on,
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rulebook::Rulebook;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn rules() -> BadgeRules {
        Rulebook::in_force(d("2026-01-01")).unwrap().badges
    }

    #[test]
    fn award_days_follow_each_other() {
        let r = rules();
        assert_eq!(
            previous_award_day(&r, d("2026-02-03")).unwrap(),
            d("2025-11-07")
        );
        assert_eq!(
            previous_award_day(&r, d("2026-05-19")).unwrap(),
            d("2026-02-03")
        );
        assert_eq!(
            next_award_day(&r, d("2026-02-04")).unwrap(),
            d("2026-05-19")
        );
        assert_eq!(
            next_award_day(&r, d("2026-11-08")).unwrap(),
            d("2027-02-03")
        );
        let err = previous_award_day(&r, d("2026-02-04")).unwrap_err();
        assert!(err.to_string().contains("award_day"), "{err}");
    }

    #[test]
    fn each_level_is_listed_once_ahead_of_its_award_day() {
        let r = rules();
        // Admitted 3 January 1996: 30 years on 3 January 2026, listed for 3/2/2026.
        let admitted = d("1996-01-03");
        assert_eq!(
            badge_due(&r, admitted, &[], d("2026-02-03")).unwrap(),
            Some(BadgeDue {
                years: 30,
                reached_on: d("2026-01-03")
            })
        );
        assert_eq!(badge_due(&r, admitted, &[], d("2025-11-07")).unwrap(), None);
        assert_eq!(badge_due(&r, admitted, &[], d("2026-05-19")).unwrap(), None);
        // Reaching it on the award day itself counts; the day after goes to the next one.
        assert_eq!(
            badge_due(&r, d("1986-02-03"), &[], d("2026-02-03"))
                .unwrap()
                .map(|b| b.years),
            Some(40)
        );
        assert_eq!(
            badge_due(&r, d("1986-02-04"), &[], d("2026-02-03")).unwrap(),
            None
        );
        assert_eq!(
            badge_due(&r, d("1986-02-04"), &[], d("2026-05-19"))
                .unwrap()
                .map(|b| b.years),
            Some(40)
        );
        // 35 years is not a level.
        assert_eq!(
            badge_due(&r, d("1991-01-03"), &[], d("2026-02-03")).unwrap(),
            None
        );
        // 45 is.
        assert_eq!(
            badge_due(&r, d("1981-01-03"), &[], d("2026-02-03"))
                .unwrap()
                .map(|b| b.years),
            Some(45)
        );
    }

    proptest::proptest! {
        #[test]
        fn each_level_is_listed_at_exactly_one_award_day(offset in 0i64..30000) {
            let r = rules();
            let admitted = d("1930-01-01") + chrono::Duration::days(offset);
            let mut listed: Vec<u32> = Vec::new();
            let mut day = next_award_day(&r, admitted).unwrap();
            while day.year() <= admitted.year() + 95 {
                if let Some(b) = badge_due(&r, admitted, &[], day).unwrap() {
                    listed.push(b.years);
                }
                day = next_award_day(&r, day.succ_opt().unwrap()).unwrap();
            }
            proptest::prop_assert_eq!(listed, r.party_years.clone());
        }
    }

    #[test]
    fn the_levels_run_from_thirty_to_ninety_years() {
        let r = rules();
        assert_eq!(r.party_years.first(), Some(&30));
        assert_eq!(r.party_years.last(), Some(&90));
        // 29 years and a day short of 30 on the award day: nothing yet.
        assert_eq!(
            badge_due(&r, d("1996-02-04"), &[], d("2026-02-03")).unwrap(),
            None
        );
        // 90 years reached on the award day itself: the last badge.
        assert_eq!(
            badge_due(&r, d("1936-02-03"), &[], d("2026-02-03"))
                .unwrap()
                .map(|b| b.years),
            Some(90)
        );
        // 95 years is past the last level: no badge.
        assert_eq!(
            badge_due(&r, d("1931-01-03"), &[], d("2026-02-03")).unwrap(),
            None
        );
    }

    #[test]
    fn a_gap_delays_the_badge() {
        let r = rules();
        let admitted = d("1995-06-01");
        // One year out: 30 years on 1 June 2026 (+365 days), listed for 2/9/2026, not 19/5.
        let gaps = [Gap {
            from: d("2000-06-01"),
            to: Some(d("2001-06-01")),
        }];
        assert_eq!(
            badge_due(&r, admitted, &[], d("2025-09-02"))
                .unwrap()
                .map(|b| b.years),
            Some(30)
        );
        assert_eq!(
            badge_due(&r, admitted, &gaps, d("2026-05-19")).unwrap(),
            None
        );
        assert_eq!(
            badge_due(&r, admitted, &gaps, d("2026-09-02"))
                .unwrap()
                .map(|b| b.years),
            Some(30)
        );
    }
}
