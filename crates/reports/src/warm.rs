//! Warming: the server computes the running year's reports itself (shortly after midnight
//! and at start), so that the first reader of the day reads kept figures.
//!
//! A report of the running year ([`Period::running_year`], the default of the report page
//! and API) is kept for its day only: its meeting parts and its snapshot carry the day in
//! their stamp, and its previous-period column is a new period every day too. Without
//! warming, the first report of a province each day is computed from the records (seconds
//! to tens of seconds at national scale). [`warm`] builds that report for every
//! organization in force down to a depth of the tree, deepest first: the order in which a
//! parent's meeting parts are added up from its children's (`kept_parts`: a parent with
//! nothing kept for the day adds up what is kept below it instead of gathering its whole
//! subtree).
//!
//! The organizations are warmed one after another: warming runs beside the server's users
//! on the same database and should not take every connection.

use std::error::Error;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use grassroots_storage::orgs::{Org, OrgReader};
use grassroots_storage::{Scope, Store};

use crate::{Period, ReportError, ReportResult, build};

/// One organization warmed (or not): what [`warm`] tells its caller after each.
#[derive(Debug)]
pub struct Warmed<'a> {
    pub org: &'a Org,
    pub took: Duration,
    /// Why its report could not be built; the other organizations go on.
    pub error: Option<&'a ReportError>,
}

/// What a warming did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarmSummary {
    /// The running year warmed.
    pub period: Period,
    /// Organizations whose report was built.
    pub warmed: usize,
    /// Codes of the organizations whose report failed (each logged with its error).
    pub failed: Vec<String>,
    pub took: Duration,
}

/// The organizations a warming to `depth` covers on `today`: every one in force with a
/// tree depth of at most `depth` (1 = the roots, 2 = the provinces), deepest first.
/// Depth 0 covers none.
pub async fn to_warm(store: &Store, depth: usize, today: NaiveDate) -> ReportResult<Vec<Org>> {
    if depth == 0 {
        return Ok(Vec::new());
    }
    let depth = i64::try_from(depth).unwrap_or(i64::MAX);
    Ok(store
        .orgs_in_force_to_depth(&Scope::all(), depth, today)
        .await?)
}

/// Builds the running year's report on `today` of every organization of [`to_warm`],
/// deepest first, calling `on_done` after each. `today` must be the local day (the day the
/// kept figures are stamped with); a report that fails is logged with the organization's
/// code and the error's chain, counted in the summary, and the others go on.
pub async fn warm(
    store: &Store,
    depth: usize,
    today: NaiveDate,
    on_done: impl FnMut(Warmed<'_>),
) -> ReportResult<WarmSummary> {
    let orgs = to_warm(store, depth, today).await?;
    Ok(warm_orgs(store, &orgs, today, on_done).await)
}

/// [`warm`] for a list already read (by [`to_warm`]), for callers that show progress
/// against its length.
pub async fn warm_orgs(
    store: &Store,
    orgs: &[Org],
    today: NaiveDate,
    mut on_done: impl FnMut(Warmed<'_>),
) -> WarmSummary {
    let period = Period::running_year(today);
    let started = Instant::now();
    let mut summary = WarmSummary {
        period,
        warmed: 0,
        failed: Vec::new(),
        took: Duration::ZERO,
    };
    for org in orgs {
        let start = Instant::now();
        let result = build(store, &Scope::all(), org.id, period).await;
        let took = start.elapsed();
        let error = result.err();
        match &error {
            None => summary.warmed += 1,
            Some(e) => {
                tracing::error!(
                    org = %org.code,
                    period = %format!("{}..{}", period.from, period.to),
                    error = %chain(e),
                    "warming the running year's report failed"
                );
                summary.failed.push(org.code.clone());
            }
        }
        on_done(Warmed {
            org,
            took,
            error: error.as_ref(),
        });
    }
    summary.took = started.elapsed();
    summary
}

/// An error and its sources, outermost first, joined by ": ".
pub fn chain(error: &(dyn Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        let next = e.to_string();
        // A transparent wrapper repeats its source's text: say it once.
        if !text.ends_with(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        source = e.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] Inner);

    #[derive(Debug, thiserror::Error)]
    #[error("inner")]
    struct Inner;

    #[test]
    fn the_chain_names_every_cause_once() {
        assert_eq!(chain(&Outer(Inner)), "outer: inner");
        let transparent = ReportError::Template("bad key".into());
        assert_eq!(chain(&transparent), "template: bad key");
    }
}
