//! The hook through which unpaid dues reach the removal rule (Charter art. 8: skipping
//! activities *or not paying dues* for 3 months in a year).
//!
//! Dues are not recorded yet: the dues issue adds the ledger and replaces the body of
//! [`unpaid_dues_months`] with a read of it. Until then no member has a month of unpaid dues
//! on record, so the removal rule counts missed activities only, which is what the records
//! support. Everything downstream (the domain rule, its evidence and message) already takes
//! the months.

use std::collections::BTreeMap;

use grassroots_domain::meetings::{Period, YearMonth};
use sqlx::AnyConnection;

use crate::{Db, StoreResult};

/// For each of `member_ids`, the months within the calendar years of `period` whose dues
/// are unpaid without valid reason. Members with none are left out.
pub(crate) async fn unpaid_dues_months(
    _db: &Db,
    _conn: &mut AnyConnection,
    _member_ids: &[i64],
    _period: &Period,
) -> StoreResult<BTreeMap<i64, Vec<YearMonth>>> {
    Ok(BTreeMap::new())
}
