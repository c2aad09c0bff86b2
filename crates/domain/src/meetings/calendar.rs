//! Months, quarters and periods: the calendar the meeting rules count in.

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::date::Date;

/// A calendar month, ordered in time; shown as `2025-03`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    pub fn of(day: Date) -> Self {
        YearMonth {
            year: day.year(),
            month: day.month(),
        }
    }

    pub fn first_day(self) -> Option<Date> {
        Date::from_ymd_opt(self.year, self.month, 1)
    }

    pub fn last_day(self) -> Option<Date> {
        Date::from_ymd_opt(self.year, self.month, days_in_month(self.year, self.month))
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    Date::from_ymd_opt(ny, nm, 1)
        .and_then(|d| d.pred_opt())
        .map_or(28, |d| d.day())
}

/// The dates of a cell's regular meetings in `year` when it meets on `day` of every month.
/// A day past a month's end falls on its last day (the 31st is 30 April, 28 or 29 February).
pub fn regular_schedule(year: i32, day: u32) -> Result<Vec<Date>, DomainError> {
    if !(1..=31).contains(&day) {
        return Err(DomainError::invalid(
            "schedule",
            "day",
            format!("{day} is not a day of the month (1-31)"),
        ));
    }
    if !(1900..=9999).contains(&year) {
        return Err(DomainError::invalid(
            "schedule",
            "year",
            format!("{year} is outside 1900-9999"),
        ));
    }
    (1..=12)
        .map(|m| {
            Date::from_ymd_opt(year, m, day.min(days_in_month(year, m))).ok_or_else(|| {
                DomainError::invalid("schedule", "day", format!("no day {day} in {year}-{m}"))
            })
        })
        .collect()
}

/// A block of `months` consecutive months aligned to January: with 1 a month, with 3 a
/// quarter. The rulebook says how long each block is (`cell.regular_meeting_every_months`,
/// `cell.thematic_meeting_every_months`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Window {
    pub year: i32,
    /// 0-based index of the block in the year.
    pub index: u32,
    pub months: u32,
}

impl Window {
    /// The block of `months` months that contains `day`; `months` is clamped to 1-12.
    pub fn containing(day: Date, months: u32) -> Window {
        let months = months.clamp(1, 12);
        Window {
            year: day.year(),
            index: (day.month() - 1) / months,
            months,
        }
    }

    pub fn first_day(&self) -> Option<Date> {
        Date::from_ymd_opt(self.year, self.index * self.months + 1, 1)
    }

    pub fn last_day(&self) -> Option<Date> {
        let last_month = ((self.index + 1) * self.months).min(12);
        YearMonth {
            year: self.year,
            month: last_month,
        }
        .last_day()
    }

    /// `2025-03` for a month, `2025-Q2` for a quarter, `2025-B1` (1-based) otherwise.
    pub fn label(&self) -> String {
        match self.months {
            1 => format!("{:04}-{:02}", self.year, self.index + 1),
            3 => format!("{:04}-Q{}", self.year, self.index + 1),
            n => format!("{:04}-{}M{}", self.year, n, self.index + 1),
        }
    }

    fn next(&self) -> Window {
        let per_year = 12_u32.div_ceil(self.months);
        if self.index + 1 >= per_year {
            Window {
                year: self.year + 1,
                index: 0,
                months: self.months,
            }
        } else {
            Window {
                index: self.index + 1,
                ..*self
            }
        }
    }
}

/// An inclusive range of days `[from, to]`, the unit every figure is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

impl Period {
    pub fn new(from: Date, to: Date) -> Result<Period, DomainError> {
        if from > to {
            return Err(DomainError::invalid(
                "period",
                "to",
                format!("{to} is before {from}"),
            ));
        }
        if (to - from).num_days() > 366 * 50 {
            return Err(DomainError::invalid(
                "period",
                "to",
                "a period may span at most 50 years",
            ));
        }
        Ok(Period { from, to })
    }

    pub fn contains(&self, day: Date) -> bool {
        self.from <= day && day <= self.to
    }

    /// The whole calendar year of `year`.
    pub fn year(year: i32) -> Result<Period, DomainError> {
        match (
            Date::from_ymd_opt(year, 1, 1),
            Date::from_ymd_opt(year, 12, 31),
        ) {
            (Some(a), Some(b)) => Period::new(a, b),
            _ => Err(DomainError::invalid(
                "period",
                "year",
                format!("{year} is not a year"),
            )),
        }
    }

    /// The blocks of `months` months that lie wholly inside the period and inside
    /// `[active_from, active_to)` (when the organization existed). Only whole blocks are
    /// due: a period that starts or ends mid-month does not judge that month.
    pub fn whole_windows(
        &self,
        months: u32,
        active_from: Date,
        active_to: Option<Date>,
    ) -> Vec<Window> {
        let mut out = Vec::new();
        let mut w = Window::containing(self.from, months);
        while let (Some(first), Some(last)) = (w.first_day(), w.last_day()) {
            if first > self.to {
                break;
            }
            let inside = first >= self.from && last <= self.to;
            let active = first >= active_from && active_to.is_none_or(|t| last < t);
            if inside && active {
                out.push(w);
            }
            w = w.next();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_third_of_every_month() {
        let s = regular_schedule(2025, 3).unwrap();
        assert_eq!(s.len(), 12);
        assert_eq!(s[0], d(2025, 1, 3));
        assert_eq!(s[11], d(2025, 12, 3));
    }

    #[test]
    fn late_days_clamp_to_the_month_end() {
        let s = regular_schedule(2024, 31).unwrap();
        assert_eq!(s[1], d(2024, 2, 29));
        assert_eq!(s[3], d(2024, 4, 30));
        assert_eq!(regular_schedule(2025, 30).unwrap()[1], d(2025, 2, 28));
        assert!(regular_schedule(2025, 0).is_err());
        assert!(regular_schedule(2025, 32).is_err());
    }

    #[test]
    fn windows_label_and_bound() {
        let q = Window::containing(d(2025, 5, 20), 3);
        assert_eq!(q.label(), "2025-Q2");
        assert_eq!(q.first_day(), Some(d(2025, 4, 1)));
        assert_eq!(q.last_day(), Some(d(2025, 6, 30)));
        let m = Window::containing(d(2025, 12, 3), 1);
        assert_eq!(m.label(), "2025-12");
        assert_eq!(m.next().label(), "2026-01");
    }

    #[test]
    fn only_whole_windows_inside_the_period_and_the_life_are_due() {
        let p = Period::new(d(2025, 1, 15), d(2025, 12, 31)).unwrap();
        let months = p.whole_windows(1, d(2000, 1, 1), None);
        assert_eq!(months.len(), 11);
        assert_eq!(months[0].label(), "2025-02");
        let quarters = p.whole_windows(3, d(2000, 1, 1), None);
        assert_eq!(
            quarters.iter().map(Window::label).collect::<Vec<_>>(),
            ["2025-Q2", "2025-Q3", "2025-Q4"]
        );
        // Founded on 2 March: March is not whole; dissolved on 1 October: October is gone.
        let life = p.whole_windows(1, d(2025, 3, 2), Some(d(2025, 10, 1)));
        assert_eq!(
            life.iter().map(Window::label).collect::<Vec<_>>(),
            [
                "2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09"
            ]
        );
        assert!(Period::new(d(2025, 2, 1), d(2025, 1, 1)).is_err());
    }

    proptest! {
        #[test]
        fn schedules_fall_once_in_each_month(year in 1950i32..2100, day in 1u32..=31) {
            let s = regular_schedule(year, day).unwrap();
            prop_assert_eq!(s.len(), 12);
            for (i, date) in s.iter().enumerate() {
                prop_assert_eq!(date.year(), year);
                prop_assert_eq!(date.month() as usize, i + 1);
                prop_assert_eq!(date.day(), day.min(days_in_month(year, date.month())));
            }
            prop_assert!(s.windows(2).all(|w| w[0] < w[1]));
        }

        #[test]
        fn a_year_has_twelve_months_and_four_quarters(year in 1950i32..2100) {
            let p = Period::year(year).unwrap();
            prop_assert_eq!(p.whole_windows(1, d(1900, 1, 1), None).len(), 12);
            prop_assert_eq!(p.whole_windows(3, d(1900, 1, 1), None).len(), 4);
        }
    }
}
