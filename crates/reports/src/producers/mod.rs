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
        activity::meetings(store, scope, org, period, source),
        async {
            match source {
                Source::Kept => crate::snapshot::others(store, scope, org, period).await,
                Source::Records => others(store, scope, org, period, source).await,
            }
        }
    );
    let others = others?;
    let mut figures = others.before;
    figures.extend(meetings?);
    figures.extend(others.after);
    Ok(figures)
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
    let (structure, membership, documents, lifecycle, review) = tokio::join!(
        structure::figures(store, scope, org, period, source),
        membership::figures(store, org, period, source),
        activity::documents_and_training(store, scope, org, period),
        // Boxed: the joined future would be over the size clippy allows on the stack.
        Box::pin(activity::lifecycle(store, scope, org, period, source)),
        classification::figures(store, scope, org, period),
    );
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
