//! Figure producers, one per area of work. Each returns figures for a subtree and a period;
//! every key it emits is in the contract.

mod activity;
pub mod classification;
mod membership;
mod structure;

use grassroots_domain::figures::Figure;
use grassroots_storage::orgs::Org;
use grassroots_storage::registry_parts::Counted;
use grassroots_storage::{Scope, Store};
use serde::{Deserialize, Serialize};

use crate::{Period, ReportResult};

/// Where figures that can be kept are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// What is kept, where it is current: the meeting figures from kept parts
    /// (`grassroots_storage::meetings::kept_parts`), the others from their snapshot
    /// ([`crate::snapshot`]).
    Kept,
    /// Everything counted from the records: the reference the kept figures must equal.
    Records,
}

impl Source {
    /// How the storage counts the figures it can keep.
    pub fn counted(self) -> Counted {
        match self {
            Source::Kept => Counted::FromKeptParts,
            Source::Records => Counted::FromRecords,
        }
    }
}

/// Every figure but the meetings', in contract order: those before the meeting figures and
/// those after them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Others {
    pub before: Vec<Figure>,
    pub after: Vec<Figure>,
}

/// Every figure of the subtree of `org` for `period`, in contract order.
pub async fn collect(
    store: &Store,
    scope: &Scope,
    org: &Org,
    period: Period,
    source: Source,
) -> ReportResult<Vec<Figure>> {
    // The meeting figures and the others read different tables and are kept apart: they
    // are counted at the same time, on their own pooled connections.
    let (meetings, others) = tokio::join!(
        timed(
            "meetings",
            period,
            activity::meetings(store, scope, org, period, source)
        ),
        timed("others", period, async {
            match source {
                Source::Kept => crate::snapshot::others(store, scope, org, period).await,
                Source::Records => others(store, scope, org, period, source).await,
            }
        })
    );
    let others = others?;
    let mut figures = others.before;
    figures.extend(meetings?);
    figures.extend(others.after);
    Ok(figures)
}

/// Awaits one area's figures and logs how long they took (debug level), so a slow report
/// names its slow area.
async fn timed<T>(area: &str, period: Period, figures: impl Future<Output = T>) -> T {
    let started = std::time::Instant::now();
    let out = figures.await;
    tracing::debug!(
        area,
        from = %period.from,
        to = %period.to,
        ms = started.elapsed().as_millis(),
        "report area counted"
    );
    out
}

/// Every figure but the meetings', counted from the records (the dues figures from kept
/// parts where `source` says so).
pub async fn others(
    store: &Store,
    scope: &Scope,
    org: &Org,
    period: Period,
    source: Source,
) -> ReportResult<Others> {
    // The areas read different tables: they are counted at the same time, each on its own
    // pooled connection, and put together in contract order.
    // Boxed: the joined producers' future is over the size clippy allows on the stack.
    let (structure, membership, documents, lifecycle, review) = Box::pin(async {
        tokio::join!(
            timed(
                "structure",
                period,
                structure::figures(store, scope, org, period, source)
            ),
            timed(
                "membership",
                period,
                membership::figures(store, org, period, source)
            ),
            timed(
                "documents",
                period,
                activity::documents_and_training(store, scope, org, period)
            ),
            timed(
                "lifecycle",
                period,
                activity::lifecycle(store, scope, org, period, source)
            ),
            timed(
                "review",
                period,
                classification::figures(store, scope, org, period)
            ),
        )
    })
    .await;
    let mut before = structure?;
    before.extend(membership?);
    let mut after = documents?;
    // The lifecycle repeats some registry keys with its own counting; the registry's stay.
    // (No lifecycle key is a meeting key: those in between need no check.)
    for figure in lifecycle? {
        if !before.iter().chain(&after).any(|f| f.key == figure.key) {
            after.push(figure);
        }
    }
    after.extend(review?);
    Ok(Others { before, after })
}
