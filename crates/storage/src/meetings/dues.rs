//! The hook through which unpaid dues reach the removal rule (Charter art. 8: skipping
//! activities *or not paying dues* for 3 months in a year).
//!
//! The dues ledger is kept by [`crate::lifecycle::dues`]: a month is unpaid when the member
//! owed dues for it (an income was declared, no exemption covered it) and less was paid.
//! Only months already over count: the month's last day is on or before both the end of
//! the period and today. Members without any income declaration owe nothing on record and
//! are left out without further reads ([`Whose::Declared`]).

use std::collections::BTreeMap;

use grassroots_domain::lifecycle::dues::YearMonth as DuesMonth;
use grassroots_domain::meetings::{Period, YearMonth};

use crate::lifecycle::dues_ledger::{Whose, dues_lines};
use crate::{Db, StoreResult};

/// For each of `member_ids`, the months within the calendar years of `period` whose dues
/// are unpaid without valid reason. Members with none are left out.
pub(crate) async fn unpaid_dues_months(
    db: &Db,
    member_ids: &[i64],
    period: &Period,
) -> StoreResult<BTreeMap<i64, Vec<YearMonth>>> {
    let mut out = BTreeMap::new();
    let until = period.to.min(crate::orgs::today());
    let first = DuesMonth::new("dues", "month", chrono::Datelike::year(&period.from), 1)?;
    let mut last = DuesMonth::of(until);
    if last.last_day() > until {
        // The month of `until` is not over yet: stop at the month before.
        let before = last.first_day().pred_opt().unwrap_or(last.first_day());
        last = DuesMonth::of(before);
    }
    if last < first {
        return Ok(out);
    }
    let ledgers = dues_lines(db, member_ids, first, last, Whose::Declared).await?;
    for (id, lines) in ledgers {
        let unpaid: Vec<YearMonth> = lines
            .iter()
            .filter(|l| l.owed_vnd() > 0)
            .map(|l| YearMonth {
                year: l.month.year,
                month: l.month.month,
            })
            .collect();
        if !unpaid.is_empty() {
            out.insert(id, unpaid);
        }
    }
    Ok(out)
}
