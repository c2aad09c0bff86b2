//! Movements of the membership during the period: admissions and departures.

use grassroots_domain::figures::Figure;
use grassroots_storage::Store;
use grassroots_storage::orgs::Org;

use super::Source;
use crate::contract::describe;
use crate::{Period, ReportResult};

/// Departures counted from status spans starting in the period.
pub const DEPARTURE_KEYS: [(&str, &str); 4] = [
    ("removed", "members.removed"),
    ("expelled", "members.expelled"),
    ("deceased", "members.deceased"),
    ("transferred_out", "members.transferred_out"),
];

/// Each member counts at one cell: their cell now for a period that has not ended; for an
/// ended one, their cell on its last day (or the last one they held), in the tree of that
/// day (`grassroots_storage::movements`).
pub async fn figures(
    store: &Store,
    org: &Org,
    period: Period,
    source: Source,
) -> ReportResult<Vec<Figure>> {
    let moved = store
        .movements(org, period.from, period.to, source.counted())
        .await?;
    let started = |status: &str| moved.started.get(status).copied().unwrap_or(0);
    let mut out = vec![
        describe("members.admitted", moved.admitted),
        describe("members.recognized_official", started("official")),
    ];
    for (status, key) in DEPARTURE_KEYS {
        out.push(describe(key, started(status)));
    }
    Ok(out)
}
