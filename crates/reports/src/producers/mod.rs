//! Figure producers, one per area of work. Each returns figures for a subtree and a period;
//! every key it emits is in the contract.

mod activity;
pub mod classification;
mod membership;
mod structure;

use grassroots_domain::figures::Figure;
use grassroots_storage::orgs::Org;
use grassroots_storage::{Scope, Store};

use crate::{Period, ReportResult};

/// Where figures that can be kept are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Kept parts where they are current (the meeting figures: see
    /// `grassroots_storage::meetings::kept_parts`).
    Kept,
    /// Everything counted from the records: the reference the kept figures must equal.
    Records,
}

/// Every figure of the subtree of `org` for `period`, in contract order.
pub async fn collect(
    store: &Store,
    scope: &Scope,
    org: &Org,
    period: Period,
    source: Source,
) -> ReportResult<Vec<Figure>> {
    // The areas read different tables: they are counted at the same time, each on its own
    // pooled connection, and put together in contract order.
    let (structure, membership, meetings, documents, lifecycle, review) = tokio::join!(
        structure::figures(store, scope, org, period),
        membership::figures(store, org, period),
        activity::meetings(store, scope, org, period, source),
        activity::documents_and_training(store, scope, org, period),
        activity::lifecycle(store, scope, org, period),
        classification::figures(store, scope, org, period),
    );
    let mut figures = structure?;
    figures.extend(membership?);
    figures.extend(meetings?);
    figures.extend(documents?);
    // The lifecycle repeats some registry keys with its own counting; the registry's stay.
    for figure in lifecycle? {
        if !figures.iter().any(|f| f.key == figure.key) {
            figures.push(figure);
        }
    }
    figures.extend(review?);
    Ok(figures)
}
