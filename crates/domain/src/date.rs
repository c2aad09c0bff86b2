//! Dates. Everything in the domain is a calendar date (`chrono::NaiveDate`); storage keeps
//! them as ISO-8601 text, whose lexical order is the chronological order.

pub use chrono::NaiveDate as Date;

use crate::DomainError;

/// Parses `YYYY-MM-DD` or the Vietnamese `dd/mm/yyyy`.
pub fn parse_date(record: &str, field: &str, raw: &str) -> Result<Date, DomainError> {
    let raw = raw.trim();
    Date::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| Date::parse_from_str(raw, "%d/%m/%Y"))
        .map_err(|_| {
            DomainError::invalid(
                record,
                field,
                format!("`{raw}` is not a date (expected YYYY-MM-DD or dd/mm/yyyy)"),
            )
        })
}

/// Whole years from `from` to `on` (birthday arithmetic).
pub fn years_between(from: Date, on: Date) -> i32 {
    use chrono::Datelike;
    let mut years = on.year() - from.year();
    if (on.month(), on.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    years
}

/// A half-open span of days `[from, to)`; `to = None` means "still in force".
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub from: Date,
    pub to: Option<Date>,
}

impl Span {
    pub fn contains(&self, day: Date) -> bool {
        self.from <= day && self.to.is_none_or(|to| day < to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_forms() {
        let d = Date::from_ymd_opt(2025, 7, 1).unwrap();
        assert_eq!(parse_date("r", "f", "2025-07-01").unwrap(), d);
        assert_eq!(parse_date("r", "f", "01/07/2025").unwrap(), d);
        let err = parse_date("member 3", "birth_date", "1/13/2025").unwrap_err();
        assert!(err.to_string().contains("member 3"));
        assert!(err.to_string().contains("birth_date"));
    }

    #[test]
    fn years_between_counts_birthdays() {
        let born = Date::from_ymd_opt(2000, 3, 15).unwrap();
        assert_eq!(
            years_between(born, Date::from_ymd_opt(2018, 3, 14).unwrap()),
            17
        );
        assert_eq!(
            years_between(born, Date::from_ymd_opt(2018, 3, 15).unwrap()),
            18
        );
    }

    #[test]
    fn span_is_half_open() {
        let s = Span {
            from: Date::from_ymd_opt(2020, 1, 1).unwrap(),
            to: Date::from_ymd_opt(2025, 7, 1),
        };
        assert!(s.contains(Date::from_ymd_opt(2025, 6, 30).unwrap()));
        assert!(!s.contains(Date::from_ymd_opt(2025, 7, 1).unwrap()));
        assert!(!s.contains(Date::from_ymd_opt(2019, 12, 31).unwrap()));
    }
}
