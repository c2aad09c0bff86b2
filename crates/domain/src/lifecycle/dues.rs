//! Party dues (đảng phí): the monthly amount from the member's declared income, with the
//! rates of the rulebook in force on the first day of the month (342-QĐ/TW, then 01-QĐ/TW
//! from 2026); exemptions and time-limited reductions; arrears; and the Charter art. 8 alert
//! for members who leave dues unpaid for `removal.months_missed_in_year` months of a year.

use std::collections::BTreeMap;
use std::fmt;

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::date::Date;
use crate::rulebook::{DuesRules, Rulebook};

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    pub fn new(record: &str, field: &str, year: i32, month: u32) -> Result<Self, DomainError> {
        if !(1..=12).contains(&month) || !(1900..=9999).contains(&year) {
            return Err(DomainError::invalid(
                record,
                field,
                format!("{year}-{month} is not a month"),
            ));
        }
        Ok(YearMonth { year, month })
    }

    pub fn parse(record: &str, field: &str, raw: &str) -> Result<Self, DomainError> {
        let bad = || {
            DomainError::invalid(
                record,
                field,
                format!("`{raw}` is not a month (expected YYYY-MM)"),
            )
        };
        let (y, m) = raw.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        Self::new(
            record,
            field,
            y.parse().map_err(|_| bad())?,
            m.parse().map_err(|_| bad())?,
        )
    }

    pub fn of(day: Date) -> Self {
        YearMonth {
            year: day.year(),
            month: day.month(),
        }
    }

    pub fn first_day(self) -> Date {
        Date::from_ymd_opt(self.year, self.month, 1).unwrap_or(Date::MIN)
    }

    pub fn last_day(self) -> Date {
        self.next().first_day().pred_opt().unwrap_or(Date::MIN)
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            YearMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// Months from `self` to `other` inclusive (0 when `other` is earlier).
    pub fn months_to(self, other: YearMonth) -> u32 {
        let a = self.year * 12 + self.month as i32;
        let b = other.year * 12 + other.month as i32;
        (b - a + 1).max(0) as u32
    }

    /// Every month from `self` to `last` inclusive.
    pub fn through(self, last: YearMonth) -> Vec<YearMonth> {
        let mut out = Vec::new();
        let mut m = self;
        while m <= last {
            out.push(m);
            m = m.next();
        }
        out
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// What the member's dues are computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncomeKind {
    /// A percentage of the social-insurance salary base.
    Salaried,
    /// A percentage of the pension.
    Pensioner,
    /// A flat amount.
    Student,
}

impl IncomeKind {
    pub const ALL: [IncomeKind; 3] = [
        IncomeKind::Salaried,
        IncomeKind::Pensioner,
        IncomeKind::Student,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IncomeKind::Salaried => "salaried",
            IncomeKind::Pensioner => "pensioner",
            IncomeKind::Student => "student",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// A member's income as declared from a month on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Income {
    pub kind: IncomeKind,
    /// The salary base or pension in VND; ignored for students.
    pub base_vnd: u64,
}

impl Income {
    pub fn validate(&self, record: &str) -> Result<(), DomainError> {
        if self.kind != IncomeKind::Student && self.base_vnd == 0 {
            return Err(DomainError::invalid(
                record,
                "base_vnd",
                format!("a {} income needs its base amount", self.kind.as_str()),
            ));
        }
        Ok(())
    }
}

/// The gross monthly amount before reliefs, rounded to the nearest dong.
pub fn monthly_amount(rules: &DuesRules, income: Income) -> u64 {
    let per_mille = |rate: u32| (income.base_vnd * u64::from(rate) + 500) / 1000;
    match income.kind {
        IncomeKind::Salaried => per_mille(rules.salaried_per_mille),
        IncomeKind::Pensioner => per_mille(rules.pensioner_per_mille),
        IncomeKind::Student => rules.student_flat_vnd,
    }
}

/// Why a member pays nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExemptionReason {
    /// `dues.exempt_from_party_years` years of party age or more: applied by the rules.
    PartyAge,
    PoorHousehold,
    SeriousIllness,
}

impl ExemptionReason {
    pub fn as_str(self) -> &'static str {
        match self {
            ExemptionReason::PartyAge => "party_age",
            ExemptionReason::PoorHousehold => "poor_household",
            ExemptionReason::SeriousIllness => "serious_illness",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::PartyAge, Self::PoorHousehold, Self::SeriousIllness]
            .into_iter()
            .find(|r| r.as_str() == raw)
    }
}

/// An exemption or a reduction granted for months `[from, to]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relief {
    pub from: YearMonth,
    pub to: YearMonth,
    /// `None` for a reduction.
    pub exemption: Option<ExemptionReason>,
    /// The reduction in percent (30, 50, 70), or 100 for an exemption.
    pub percent: u32,
}

impl Relief {
    pub fn covers(&self, month: YearMonth) -> bool {
        self.from <= month && month <= self.to
    }

    /// Checks a relief against the rules in force when it starts.
    pub fn validate(&self, record: &str, rules: &DuesRules) -> Result<(), DomainError> {
        if self.to < self.from {
            return Err(DomainError::invalid(
                record,
                "to",
                format!("{} is before {}", self.to, self.from),
            ));
        }
        match self.exemption {
            Some(ExemptionReason::PartyAge) => Err(DomainError::invalid(
                record,
                "reason",
                format!(
                    "members with {} years of party age are exempt by the rules; no grant is recorded",
                    rules.exempt_from_party_years
                ),
            )),
            Some(_) if self.percent != 100 => Err(DomainError::invalid(
                record,
                "percent",
                "an exemption is 100%",
            )),
            Some(_) => Ok(()),
            None => {
                if !rules.reduction_percents.contains(&self.percent) {
                    let allowed: Vec<String> = rules
                        .reduction_percents
                        .iter()
                        .map(u32::to_string)
                        .collect();
                    return Err(DomainError::invalid(
                        record,
                        "percent",
                        format!("{}% is not one of {}%", self.percent, allowed.join("/")),
                    ));
                }
                let months = self.from.months_to(self.to);
                if months > rules.reduction_max_months {
                    return Err(DomainError::invalid(
                        record,
                        "to",
                        format!(
                            "a reduction lasts at most {} months; {}..{} is {months}",
                            rules.reduction_max_months, self.from, self.to
                        ),
                    ));
                }
                Ok(())
            }
        }
    }
}

/// One member's dues for one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthDues {
    pub month: YearMonth,
    /// The regulation the rates come from (342-QĐ/TW, 01-QĐ/TW).
    pub source: String,
    pub income: Income,
    pub gross_vnd: u64,
    pub exemption: Option<ExemptionReason>,
    pub reduction_percent: u32,
    pub due_vnd: u64,
}

/// The dues of `month` under the rulebook in force on its first day.
pub fn dues_for_month(
    month: YearMonth,
    income: Income,
    reliefs: &[Relief],
    party_years_at_month_start: u32,
) -> Result<MonthDues, DomainError> {
    let book = Rulebook::in_force(month.first_day())?;
    Ok(dues_under(
        &book,
        month,
        income,
        reliefs,
        party_years_at_month_start,
    ))
}

/// The dues of `month` under `book`, which the caller has chosen as the rulebook in force on
/// the month's first day (for callers that keep rulebooks loaded).
pub fn dues_under(
    book: &Rulebook,
    month: YearMonth,
    income: Income,
    reliefs: &[Relief],
    party_years_at_month_start: u32,
) -> MonthDues {
    let rules = &book.dues;
    let gross = monthly_amount(rules, income);
    let mut exemption = None;
    let mut reduction = 0;
    if party_years_at_month_start >= rules.exempt_from_party_years {
        exemption = Some(ExemptionReason::PartyAge);
    } else if let Some(r) = reliefs
        .iter()
        .find(|r| r.covers(month) && r.exemption.is_some())
    {
        exemption = r.exemption;
    } else {
        reduction = reliefs
            .iter()
            .filter(|r| r.covers(month) && r.exemption.is_none())
            .map(|r| r.percent)
            .max()
            .unwrap_or(0);
    }
    let due = if exemption.is_some() {
        0
    } else {
        (gross * u64::from(100 - reduction.min(100)) + 50) / 100
    };
    MonthDues {
        month,
        source: rules.source.clone(),
        income,
        gross_vnd: gross,
        exemption,
        reduction_percent: reduction,
        due_vnd: due,
    }
}

/// What a member still owes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrears {
    /// Months with less paid than due, and how much is missing in each.
    pub months: Vec<(YearMonth, u64)>,
    pub total_vnd: u64,
}

/// Compares what was due with what was paid, month by month.
pub fn arrears(due: &[MonthDues], paid: &BTreeMap<YearMonth, u64>) -> Arrears {
    let mut out = Arrears::default();
    for line in due {
        let got = paid.get(&line.month).copied().unwrap_or(0);
        if got < line.due_vnd {
            out.months.push((line.month, line.due_vnd - got));
            out.total_vnd += line.due_vnd - got;
        }
    }
    out
}

/// Charter art. 8: dues unpaid for `months_missed_in_year` months of `year` raise the removal
/// alert. Returns the unpaid months of that year when the alert is raised.
pub fn removal_alert(rulebook: &Rulebook, year: i32, arrears: &Arrears) -> Option<Vec<YearMonth>> {
    let months: Vec<YearMonth> = arrears
        .months
        .iter()
        .map(|(m, _)| *m)
        .filter(|m| m.year == year)
        .collect();
    (months.len() as u32 >= rulebook.removal.months_missed_in_year).then_some(months)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn ym(s: &str) -> YearMonth {
        YearMonth::parse("t", "month", s).unwrap()
    }

    const STUDENT: Income = Income {
        kind: IncomeKind::Student,
        base_vnd: 0,
    };

    #[test]
    fn months_parse_and_step() {
        assert_eq!(ym("2026-01").to_string(), "2026-01");
        assert_eq!(ym("2025-12").next(), ym("2026-01"));
        assert_eq!(
            ym("2026-02").last_day(),
            "2026-02-28".parse::<Date>().unwrap()
        );
        assert_eq!(ym("2025-11").months_to(ym("2026-10")), 12);
        assert_eq!(ym("2025-11").through(ym("2026-01")).len(), 3);
        for bad in ["2026-13", "2026-1", "26-01", "x"] {
            let err = YearMonth::parse("sheet", "month", bad).unwrap_err();
            assert!(err.to_string().contains("month"), "{err}");
        }
    }

    #[test]
    fn a_student_pays_the_rate_of_the_version_in_force_that_month() {
        let dec = dues_for_month(ym("2025-12"), STUDENT, &[], 1).unwrap();
        assert_eq!((dec.due_vnd, dec.source.as_str()), (3000, "342-QĐ/TW"));
        let jan = dues_for_month(ym("2026-01"), STUDENT, &[], 1).unwrap();
        assert_eq!((jan.due_vnd, jan.source.as_str()), (5000, "01-QĐ/TW"));
    }

    #[test]
    fn salaried_and_pensioners_pay_their_percentage() {
        let salaried = Income {
            kind: IncomeKind::Salaried,
            base_vnd: 8_424_000,
        };
        assert_eq!(
            dues_for_month(ym("2026-01"), salaried, &[], 5)
                .unwrap()
                .due_vnd,
            84_240
        );
        let pensioner = Income {
            kind: IncomeKind::Pensioner,
            base_vnd: 6_000_000,
        };
        assert_eq!(
            dues_for_month(ym("2026-01"), pensioner, &[], 40)
                .unwrap()
                .due_vnd,
            30_000
        );
        assert!(
            Income {
                kind: IncomeKind::Salaried,
                base_vnd: 0
            }
            .validate("m")
            .is_err()
        );
    }

    #[test]
    fn exemptions_and_reductions() {
        let salaried = Income {
            kind: IncomeKind::Salaried,
            base_vnd: 10_000_000,
        };
        // 50 years of party age: exempt by the rules.
        let old = dues_for_month(ym("2026-03"), salaried, &[], 50).unwrap();
        assert_eq!(
            (old.due_vnd, old.exemption),
            (0, Some(ExemptionReason::PartyAge))
        );
        assert_eq!(
            dues_for_month(ym("2026-03"), salaried, &[], 49)
                .unwrap()
                .due_vnd,
            100_000
        );
        let reduced = Relief {
            from: ym("2026-01"),
            to: ym("2026-12"),
            exemption: None,
            percent: 70,
        };
        let rules = Rulebook::in_force(ym("2026-01").first_day()).unwrap().dues;
        reduced.validate("relief", &rules).unwrap();
        assert_eq!(
            dues_for_month(ym("2026-03"), salaried, &[reduced], 5)
                .unwrap()
                .due_vnd,
            30_000
        );
        assert_eq!(
            dues_for_month(ym("2027-01"), salaried, &[reduced], 5)
                .unwrap()
                .due_vnd,
            100_000
        );
        let ill = Relief {
            from: ym("2026-02"),
            to: ym("2026-04"),
            exemption: Some(ExemptionReason::SeriousIllness),
            percent: 100,
        };
        ill.validate("relief", &rules).unwrap();
        let m = dues_for_month(ym("2026-03"), salaried, &[reduced, ill], 5).unwrap();
        assert_eq!(
            (m.due_vnd, m.exemption),
            (0, Some(ExemptionReason::SeriousIllness))
        );
        // 13 months, 40%, and a party-age grant are refused.
        let long = Relief {
            to: ym("2027-01"),
            ..reduced
        };
        assert!(
            long.validate("relief", &rules)
                .unwrap_err()
                .to_string()
                .contains("`to`")
        );
        let odd = Relief {
            percent: 40,
            ..reduced
        };
        assert!(
            odd.validate("relief", &rules)
                .unwrap_err()
                .to_string()
                .contains("`percent`")
        );
        let age = Relief {
            exemption: Some(ExemptionReason::PartyAge),
            percent: 100,
            ..reduced
        };
        assert!(age.validate("relief", &rules).is_err());
    }

    #[test]
    fn arrears_and_the_removal_alert() {
        let months: Vec<MonthDues> = ym("2026-01")
            .through(ym("2026-06"))
            .into_iter()
            .map(|m| dues_for_month(m, STUDENT, &[], 1).unwrap())
            .collect();
        let mut paid = BTreeMap::new();
        for m in ["2026-01", "2026-02", "2026-04"] {
            paid.insert(ym(m), 5000);
        }
        paid.insert(ym("2026-05"), 2000);
        let owed = arrears(&months, &paid);
        assert_eq!(
            owed.months,
            vec![
                (ym("2026-03"), 5000),
                (ym("2026-05"), 3000),
                (ym("2026-06"), 5000)
            ]
        );
        assert_eq!(owed.total_vnd, 13_000);
        let book = Rulebook::in_force(ym("2026-06").first_day()).unwrap();
        assert_eq!(removal_alert(&book, 2026, &owed).map(|m| m.len()), Some(3));
        paid.insert(ym("2026-06"), 5000);
        assert_eq!(removal_alert(&book, 2026, &arrears(&months, &paid)), None);
    }

    proptest! {
        #[test]
        fn dues_never_exceed_gross_and_grow_with_the_base(base in 0u64..200_000_000, extra in 0u64..10_000_000, pct in prop::sample::select(vec![0u32, 30, 50, 70])) {
            let reliefs: Vec<Relief> = if pct == 0 { vec![] } else {
                vec![Relief { from: ym("2026-01"), to: ym("2026-12"), exemption: None, percent: pct }]
            };
            let a = dues_for_month(ym("2026-05"), Income { kind: IncomeKind::Salaried, base_vnd: base }, &reliefs, 3).unwrap();
            let b = dues_for_month(ym("2026-05"), Income { kind: IncomeKind::Salaried, base_vnd: base + extra }, &reliefs, 3).unwrap();
            prop_assert!(a.due_vnd <= a.gross_vnd);
            prop_assert!(a.due_vnd <= b.due_vnd);
        }
    }
}
