//! Working days: Monday to Friday, minus Vietnamese public holidays. Deadlines such as "the
//! decision within 60 working days" count working days after the starting day, so the
//! starting day itself is never counted and the deadline always falls on a working day.
//!
//! The lunar holidays (Tết, the Hùng Kings' day) and the extra National Day holiday move
//! every year and are listed year by year. A deadline that reaches into a year the list does
//! not cover would silently count Tết as working days, so every deadline that decides
//! whether a step may be recorded goes through [`Calendar::checked_add_working_days`], which
//! refuses such a computation with an error naming the field and the missing year.

use std::collections::BTreeSet;

use chrono::{Datelike, Weekday};
use serde::Deserialize;

use crate::DomainError;
use crate::date::Date;

const VN_HOLIDAYS: &str = include_str!("../../calendar/vn-holidays.toml");

#[derive(Debug, Deserialize)]
struct HolidayFile {
    fixed: Vec<String>,
    dated: Vec<String>,
    /// The years whose moving holidays `dated` lists completely.
    #[serde(default)]
    lunar_years: Vec<i32>,
}

/// A calendar of non-working days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// Holidays on the same (month, day) every year.
    fixed: Vec<(u32, u32)>,
    /// Holidays of one year only (lunar-calendar holidays as announced).
    dated: BTreeSet<Date>,
    /// The years whose moving holidays are known; `None` when the calendar has none to miss
    /// (weekends only).
    lunar_years: Option<BTreeSet<i32>>,
}

impl Calendar {
    /// The Vietnamese calendar shipped in `crates/domain/calendar/vn-holidays.toml`.
    pub fn vietnam() -> Result<Calendar, DomainError> {
        Self::from_toml("vn-holidays.toml", VN_HOLIDAYS)
    }

    /// A calendar read from a holiday file (`fixed = ["MM-DD"]`, `dated = ["YYYY-MM-DD"]`).
    pub fn from_toml(name: &str, text: &str) -> Result<Calendar, DomainError> {
        let file: HolidayFile =
            toml::from_str(text).map_err(|e| DomainError::invalid(name, "toml", e.to_string()))?;
        let mut fixed = Vec::new();
        for raw in &file.fixed {
            let parsed = raw
                .split_once('-')
                .and_then(|(m, d)| Some((m.parse().ok()?, d.parse().ok()?)))
                .filter(|(m, d)| Date::from_ymd_opt(2024, *m, *d).is_some());
            let Some(md) = parsed else {
                return Err(DomainError::invalid(
                    name,
                    "fixed",
                    format!("`{raw}` is not MM-DD"),
                ));
            };
            fixed.push(md);
        }
        let lunar_years: BTreeSet<i32> = file.lunar_years.iter().copied().collect();
        let mut dated = BTreeSet::new();
        for raw in &file.dated {
            let day = crate::date::parse_date(name, "dated", raw)?;
            if !lunar_years.contains(&day.year()) {
                return Err(DomainError::invalid(
                    name,
                    "lunar_years",
                    format!("{day} is listed but {} is not in lunar_years", day.year()),
                ));
            }
            dated.insert(day);
        }
        Ok(Calendar {
            fixed,
            dated,
            lunar_years: Some(lunar_years),
        })
    }

    /// A calendar with weekends only, for tests and for rules counted without holidays.
    pub fn weekends_only() -> Calendar {
        Calendar {
            fixed: Vec::new(),
            dated: BTreeSet::new(),
            lunar_years: None,
        }
    }

    /// Whether the moving holidays of `year` are known (always, for weekends only).
    pub fn covers_year(&self, year: i32) -> bool {
        self.lunar_years.as_ref().is_none_or(|y| y.contains(&year))
    }

    /// Refuses a span `[from, to]` that reaches into a year whose moving holidays the
    /// calendar does not list: the error names `record`, `field` and the year.
    pub fn check_covered(
        &self,
        record: &str,
        field: &str,
        from: Date,
        to: Date,
    ) -> Result<(), DomainError> {
        let (lo, hi) = (from.min(to).year(), from.max(to).year());
        match (lo..=hi).find(|y| !self.covers_year(*y)) {
            None => Ok(()),
            Some(year) => Err(DomainError::invalid(
                record,
                field,
                format!(
                    "the working days from {from} to {to} reach into {year}, whose Tết and \
                     Hùng Kings' holidays the calendar (crates/domain/calendar/vn-holidays.toml) \
                     does not list yet; add {year} before this deadline can be counted"
                ),
            )),
        }
    }

    /// [`Calendar::add_working_days`] for a deadline that decides something: refused when
    /// the count reaches into a year the calendar does not cover.
    pub fn checked_add_working_days(
        &self,
        record: &str,
        field: &str,
        from: Date,
        n: u32,
    ) -> Result<Date, DomainError> {
        let due = self.add_working_days(from, n);
        self.check_covered(record, field, from, due)?;
        Ok(due)
    }

    fn is_weekend(day: Date) -> bool {
        matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
    }

    fn is_fixed(&self, day: Date) -> bool {
        self.fixed.contains(&(day.month(), day.day()))
    }

    /// Whether `day` is a holiday on a weekday: a fixed or dated holiday, or the
    /// compensatory day after fixed holidays that fell on a weekend.
    pub fn is_holiday(&self, day: Date) -> bool {
        if Self::is_weekend(day) {
            return false;
        }
        if self.is_fixed(day) || self.dated.contains(&day) {
            return true;
        }
        self.is_compensatory(day)
    }

    /// Labor Code art. 112(3): each fixed holiday on a Saturday or Sunday gives the next
    /// weekday that is not already a holiday (or another compensatory day) off.
    fn is_compensatory(&self, day: Date) -> bool {
        let mut taken: Vec<Date> = Vec::new();
        let mut holidays: Vec<Date> = self
            .fixed
            .iter()
            .filter_map(|(m, d)| Date::from_ymd_opt(day.year(), *m, *d))
            .filter(|h| Self::is_weekend(*h))
            .collect();
        holidays.sort();
        for h in holidays {
            let mut next = h;
            while let Some(n) = next.succ_opt() {
                next = n;
                let busy = Self::is_weekend(n)
                    || self.is_fixed(n)
                    || self.dated.contains(&n)
                    || taken.contains(&n);
                if !busy {
                    break;
                }
            }
            taken.push(next);
        }
        taken.contains(&day)
    }

    pub fn is_working_day(&self, day: Date) -> bool {
        !Self::is_weekend(day) && !self.is_holiday(day)
    }

    /// The day on which `n` working days after `from` are complete: `from` is not counted.
    /// With `n = 0`, `from` itself. In a year the calendar does not cover, only fixed
    /// holidays are skipped: lists use this to show a deadline, decisions use
    /// [`Calendar::checked_add_working_days`].
    pub fn add_working_days(&self, from: Date, n: u32) -> Date {
        let mut day = from;
        let mut left = n;
        while left > 0 {
            match day.succ_opt() {
                Some(next) => day = next,
                None => return Date::MAX,
            }
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// Working days in `(from, to]`: how many working days `to` lies after `from` (0 when
    /// `to <= from`).
    pub fn working_days_between(&self, from: Date, to: Date) -> u32 {
        let mut n = 0;
        let mut day = from;
        while day < to {
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
            if self.is_working_day(day) {
                n += 1;
            }
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn weekends_and_fixed_holidays_are_not_working_days() {
        let cal = Calendar::vietnam().unwrap();
        assert!(!cal.is_working_day(d("2026-01-03"))); // Saturday
        assert!(!cal.is_working_day(d("2026-01-04"))); // Sunday
        assert!(!cal.is_working_day(d("2026-01-01"))); // New Year, Thursday
        assert!(cal.is_working_day(d("2026-01-02")));
        assert!(!cal.is_working_day(d("2026-04-30")));
        assert!(!cal.is_working_day(d("2026-05-01")));
        assert!(!cal.is_working_day(d("2026-09-02")));
        // Tết 2026 as announced.
        assert!(!cal.is_working_day(d("2026-02-17")));
        assert!(cal.is_working_day(d("2026-02-23")));
    }

    #[test]
    fn a_fixed_holiday_on_a_weekend_gives_the_next_working_day_off() {
        let cal = Calendar::vietnam().unwrap();
        // 2027-05-01 is a Saturday: Monday 3 May is off, Tuesday is a working day.
        assert!(!cal.is_working_day(d("2027-05-03")));
        assert!(cal.is_working_day(d("2027-05-04")));
        // 2022-01-01 is a Saturday: Monday 3 January is off.
        assert!(!cal.is_working_day(d("2022-01-03")));
        assert!(cal.is_working_day(d("2022-01-04")));
        // 2028-04-30 Sunday and 1 May Monday: the debt of 30/4 moves to Tuesday 2 May.
        assert!(!cal.is_working_day(d("2028-05-01")));
        assert!(!cal.is_working_day(d("2028-05-02")));
        assert!(cal.is_working_day(d("2028-05-03")));
        // An ordinary Monday after an ordinary weekend stays a working day.
        assert!(cal.is_working_day(d("2026-01-05")));
    }

    #[test]
    fn adding_working_days_skips_weekends_and_holidays() {
        let cal = Calendar::vietnam().unwrap();
        // Friday + 1 working day = Monday.
        assert_eq!(cal.add_working_days(d("2026-01-09"), 1), d("2026-01-12"));
        // Wednesday 31 Dec 2025 + 1 = Friday 2 Jan 2026 (1 Jan is a holiday).
        assert_eq!(cal.add_working_days(d("2025-12-31"), 1), d("2026-01-02"));
        // Across Tết 2026: Friday 13 Feb + 1 = Monday 23 Feb.
        assert_eq!(cal.add_working_days(d("2026-02-13"), 1), d("2026-02-23"));
        assert_eq!(cal.add_working_days(d("2026-02-13"), 0), d("2026-02-13"));
        assert_eq!(
            cal.working_days_between(d("2026-02-13"), d("2026-02-23")),
            1
        );
    }

    #[test]
    fn tet_2027_is_not_counted_as_working_days() {
        let cal = Calendar::vietnam().unwrap();
        // Tết Đinh Mùi: the new year is Saturday 6 February 2027.
        for day in [
            "2027-02-05",
            "2027-02-08",
            "2027-02-09",
            "2027-02-10",
            "2027-02-11",
        ] {
            assert!(!cal.is_working_day(d(day)), "{day}");
        }
        assert!(cal.is_working_day(d("2027-02-04")));
        assert!(cal.is_working_day(d("2027-02-12")));
        // The Hùng Kings' day, 10th of the 3rd lunar month: Friday 16 April 2027.
        assert!(!cal.is_working_day(d("2027-04-16")));
        // 60 working days from Friday 20 November 2026 cross New Year and Tết 2027.
        let due = cal
            .checked_add_working_days("candidate 1", "decided_on", d("2026-11-20"), 60)
            .unwrap();
        assert_eq!(due, d("2027-02-22"));
        assert_eq!(cal.working_days_between(d("2026-11-20"), due), 60);
    }

    #[test]
    fn a_deadline_in_an_uncovered_year_is_refused_with_its_field() {
        let cal = Calendar::vietnam().unwrap();
        assert!(cal.covers_year(2027) && !cal.covers_year(2028));
        // The last deadline that stays inside 2027 is counted.
        let last = d("2027-12-31");
        let from = d("2027-11-01");
        let n = cal.working_days_between(from, last);
        assert_eq!(
            cal.checked_add_working_days("r", "f", from, n).unwrap(),
            last
        );
        // One more working day reaches 2028: refused, naming the field and the year.
        match cal.checked_add_working_days("candidate 7", "decided_on", from, n + 1) {
            Err(DomainError::Invalid {
                record,
                field,
                message,
            }) => {
                assert_eq!(
                    (record.as_str(), field.as_str()),
                    ("candidate 7", "decided_on")
                );
                assert!(message.contains("2028"), "{message}");
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        // A calendar of weekends only has no moving holidays to miss.
        assert!(
            Calendar::weekends_only()
                .checked_add_working_days("r", "f", d("2040-01-01"), 10)
                .is_ok()
        );
        // A holiday file listing a day of a year it does not declare is refused.
        let err = Calendar::from_toml(
            "h.toml",
            "fixed = []\ndated = [\"2030-02-04\"]\nlunar_years = [2029]",
        )
        .unwrap_err();
        assert!(err.to_string().contains("lunar_years"), "{err}");
    }

    #[test]
    fn bad_holiday_files_are_named() {
        let err = Calendar::from_toml("h.toml", "fixed = [\"13-01\"]\ndated = []").unwrap_err();
        assert!(err.to_string().contains("fixed"), "{err}");
        let err = Calendar::from_toml("h.toml", "fixed = []\ndated = [\"x\"]").unwrap_err();
        assert!(err.to_string().contains("dated"), "{err}");
    }

    proptest! {
        #[test]
        fn add_then_count_round_trips(offset in 0i64..4000, n in 0u32..120) {
            let cal = Calendar::vietnam().unwrap();
            let from = d("2020-01-01") + chrono::Duration::days(offset);
            let due = cal.add_working_days(from, n);
            prop_assert_eq!(cal.working_days_between(from, due), n);
            if n > 0 {
                prop_assert!(cal.is_working_day(due));
                // The day before the deadline is one working day short.
                prop_assert_eq!(cal.working_days_between(from, due.pred_opt().unwrap()), n - 1);
            }
        }

        #[test]
        fn more_days_never_end_earlier(offset in 0i64..4000, n in 0u32..100) {
            let cal = Calendar::vietnam().unwrap();
            let from = d("2020-01-01") + chrono::Duration::days(offset);
            prop_assert!(cal.add_working_days(from, n + 1) > cal.add_working_days(from, n));
        }
    }
}
