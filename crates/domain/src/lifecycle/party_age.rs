//! Party age (tuổi đảng).
//!
//! Definition used throughout: party age is counted from the date of the admission
//! decision (Charter art. 5: once recognized official, party age runs from the date in the
//! admission decision, probation included), minus every gap when the person was out of the
//! party: from a removal or expulsion (or a probationary member not recognized) until the
//! re-admission decision. While a gap is still open, the age stands still at its start.
//!
//! Counting works on days: a member with gaps totalling `g` days reaches `n` years of party
//! age on `admitted + g days + n years`.

use chrono::{Duration, Months};
use serde::{Deserialize, Serialize};

use crate::date::{Date, years_between};

/// A time out of the party: `[from, to)`, `to = None` while still out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    pub from: Date,
    pub to: Option<Date>,
}

/// Days of the gaps that fall inside `[admitted, on)`; an open gap runs to `on`.
fn gap_days(admitted: Date, gaps: &[Gap], on: Date) -> i64 {
    gaps.iter()
        .map(|g| {
            let from = g.from.max(admitted);
            let to = g.to.unwrap_or(on).min(on);
            (to - from).num_days().max(0)
        })
        .sum()
}

/// Whole years of party age on `on` (0 before admission).
pub fn party_years(admitted: Date, gaps: &[Gap], on: Date) -> u32 {
    // Out of the party with no return yet: the age stands still where the gap began.
    let on = gaps
        .iter()
        .filter(|g| g.to.is_none() && g.from < on)
        .map(|g| g.from)
        .min()
        .unwrap_or(on);
    if on <= admitted {
        return 0;
    }
    let start = admitted + Duration::days(gap_days(admitted, gaps, on));
    years_between(start, on).max(0) as u32
}

/// The first day on which the member has `years` of party age; `None` while out of the
/// party with no return yet at that point.
pub fn reaches_on(admitted: Date, gaps: &[Gap], years: u32) -> Option<Date> {
    let mut sorted: Vec<Gap> = gaps.to_vec();
    sorted.sort_by_key(|g| g.from);
    let mut day = admitted.checked_add_months(Months::new(years * 12))?;
    // A gap that begins before the anniversary pushes it back by its whole length: the
    // days still missing are served after the return.
    for g in sorted {
        if g.from >= day {
            break;
        }
        let to = g.to?;
        day += Duration::days((to - g.from.max(admitted)).num_days().max(0));
    }
    // Day counts and calendar years differ by a leap day at most.
    while party_years(admitted, gaps, day) < years {
        day = day.succ_opt()?;
    }
    Some(day)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn without_gaps_party_age_is_years_since_admission() {
        let admitted = d("1976-05-19");
        assert_eq!(party_years(admitted, &[], d("2026-05-18")), 49);
        assert_eq!(party_years(admitted, &[], d("2026-05-19")), 50);
        assert_eq!(reaches_on(admitted, &[], 50), Some(d("2026-05-19")));
        assert_eq!(party_years(admitted, &[], d("1970-01-01")), 0);
    }

    #[test]
    fn a_gap_out_of_the_party_is_not_counted() {
        // Admitted 1990-01-10, removed 2000-01-10, re-admitted 2002-01-10 (731 days out).
        let admitted = d("1990-01-10");
        let gaps = [Gap {
            from: d("2000-01-10"),
            to: Some(d("2002-01-10")),
        }];
        assert_eq!(party_years(admitted, &gaps, d("2026-01-10")), 33);
        assert_eq!(party_years(admitted, &gaps, d("2026-01-11")), 34);
        assert_eq!(party_years(admitted, &[], d("2026-01-10")), 36);
        let thirty = reaches_on(admitted, &gaps, 30).unwrap();
        assert_eq!(thirty, d("2022-01-11"));
        assert_eq!(party_years(admitted, &gaps, thirty), 30);
        assert_eq!(party_years(admitted, &gaps, thirty.pred_opt().unwrap()), 29);
        // A gap after the anniversary does not delay it.
        assert_eq!(reaches_on(admitted, &gaps, 5), Some(d("1995-01-10")));
    }

    #[test]
    fn an_open_gap_freezes_party_age() {
        let admitted = d("1990-01-10");
        let gaps = [Gap {
            from: d("2000-01-10"),
            to: None,
        }];
        assert_eq!(party_years(admitted, &gaps, d("2026-01-10")), 10);
        assert_eq!(reaches_on(admitted, &gaps, 30), None);
        assert_eq!(reaches_on(admitted, &gaps, 5), Some(d("1995-01-10")));
    }

    proptest! {
        #[test]
        fn gaps_never_add_party_age(start in 0i64..20000, len in 0i64..5000, gap_at in 0i64..20000, span in 0i64..30000) {
            let admitted = d("1950-01-01") + Duration::days(start);
            let gaps = [Gap { from: admitted + Duration::days(gap_at), to: Some(admitted + Duration::days(gap_at + len)) }];
            let on = admitted + Duration::days(span);
            prop_assert!(party_years(admitted, &gaps, on) <= party_years(admitted, &[], on));
            for years in [30u32, 40, 50] {
                let reached = reaches_on(admitted, &gaps, years).unwrap();
                prop_assert!(party_years(admitted, &gaps, reached) >= years);
            }
        }
    }
}
