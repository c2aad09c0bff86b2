//! Reporting periods: a closed range of days.

use chrono::{Datelike, Duration};
use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: Date,
    /// The last day of the period (included).
    pub to: Date,
}

impl Period {
    pub fn new(from: Date, to: Date) -> Result<Period, DomainError> {
        if to < from {
            return Err(DomainError::invalid(
                "report",
                "to",
                format!("{to} is before {from}"),
            ));
        }
        Ok(Period { from, to })
    }

    /// The running year on `today`: 1 January of its year to `today`. The default period of
    /// the report page and API, and the one the server keeps warm (`crate::warm`): one
    /// definition, so that what is warmed is what is read.
    pub fn running_year(today: Date) -> Period {
        let from = Date::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        Period { from, to: today }
    }

    /// The period of the same length ending the day before this one starts. A whole number
    /// of calendar years maps to the same calendar years before (a term to the previous term).
    pub fn previous(&self) -> Period {
        let whole_years = self.from.month() == 1
            && self.from.day() == 1
            && self.to.month() == 12
            && self.to.day() == 31;
        if whole_years {
            let years = self.to.year() - self.from.year() + 1;
            let from = Date::from_ymd_opt(self.from.year() - years, 1, 1).unwrap_or(self.from);
            let to = Date::from_ymd_opt(self.from.year() - 1, 12, 31).unwrap_or(self.to);
            return Period { from, to };
        }
        let length = self.to - self.from;
        let to = self.from - Duration::days(1);
        Period {
            from: to - length,
            to,
        }
    }

    /// Each calendar year the period touches, clipped to the period.
    pub fn years(&self) -> Vec<Period> {
        (self.from.year()..=self.to.year())
            .filter_map(|y| {
                let from = Date::from_ymd_opt(y, 1, 1)?.max(self.from);
                let to = Date::from_ymd_opt(y, 12, 31)?.min(self.to);
                Some(Period { from, to })
            })
            .collect()
    }

    pub fn contains(&self, day: Date) -> bool {
        self.from <= day && day <= self.to
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn a_term_compares_with_the_previous_term() {
        let term = Period::new(d("2020-01-01"), d("2024-12-31")).unwrap();
        assert_eq!(
            term.previous(),
            Period::new(d("2015-01-01"), d("2019-12-31")).unwrap()
        );
        let year = Period::new(d("2024-01-01"), d("2024-12-31")).unwrap();
        assert_eq!(
            year.previous(),
            Period::new(d("2023-01-01"), d("2023-12-31")).unwrap()
        );
    }

    #[test]
    fn other_periods_compare_with_the_same_length_before() {
        let p = Period::new(d("2025-03-10"), d("2025-03-19")).unwrap();
        assert_eq!(
            p.previous(),
            Period::new(d("2025-02-28"), d("2025-03-09")).unwrap()
        );
    }

    #[test]
    fn the_running_year_starts_on_1_january() {
        let p = Period::running_year(d("2026-11-24"));
        assert_eq!(p, Period::new(d("2026-01-01"), d("2026-11-24")).unwrap());
        let first = Period::running_year(d("2026-01-01"));
        assert_eq!((first.from, first.to), (d("2026-01-01"), d("2026-01-01")));
        assert_eq!(p.years(), vec![p]);
    }

    #[test]
    fn years_are_clipped() {
        let p = Period::new(d("2023-07-01"), d("2025-02-01")).unwrap();
        let years = p.years();
        assert_eq!(years.len(), 3);
        assert_eq!(years[0].from, d("2023-07-01"));
        assert_eq!(years[2].to, d("2025-02-01"));
        assert!(Period::new(d("2025-01-02"), d("2025-01-01")).is_err());
    }
}
