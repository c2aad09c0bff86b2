//! Reports: the figures of an organization's subtree for a period, every one computed from
//! records, beside the previous period's values, with exports people use (Excel, Word, PDF).
//!
//! Each area of work contributes a producer (`producers/`), and every key a producer emits
//! is listed with its description in the contract (`contract.rs`, `docs/report-contract.md`).

pub mod contract;
pub mod export;
pub mod format;
pub mod period;
pub mod producers;
pub mod snapshot;
pub mod template;
pub mod warm;

use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use grassroots_domain::figures::{Figure, FigureValue};
use grassroots_storage::orgs::{Org, OrgReader};
use grassroots_storage::{Scope, Store, StoreError};
use serde::Serialize;

pub use period::Period;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("template: {0}")]
    Template(String),
    #[error("export: {0}")]
    Export(String),
}

impl From<DomainError> for ReportError {
    fn from(e: DomainError) -> Self {
        ReportError::Store(StoreError::Domain(e))
    }
}

pub type ReportResult<T> = Result<T, ReportError>;

/// One line of a report: a figure with the previous period's value and the change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub key: String,
    pub description: String,
    pub value: FigureValue,
    pub previous: Option<FigureValue>,
    pub change: Option<FigureValue>,
}

/// The figures of one calendar year, for trend tables and charts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearFigures {
    pub year: i32,
    pub figures: Vec<Figure>,
}

/// Ratios whose base is the sum of these counts: a year where the base is zero has no rate
/// (the figure says 0, a chart must show a gap, not a fall to 0 %).
const RATIO_BASES: &[(&str, &[&str])] = &[
    (
        "meetings.attendance.rate",
        &[
            "meetings.attendance.present",
            "meetings.attendance.absent_excused",
            "meetings.attendance.absent_unexcused",
        ],
    ),
    (
        "classification.members.good_or_better_rate",
        &["classification.members.total"],
    ),
    (
        "classification.orgs.good_or_better_rate",
        &["classification.orgs.total"],
    ),
];

impl YearFigures {
    /// The value to plot for `key` this year: `None` when the year lacks the figure, or when
    /// it is a ratio with nothing to divide by (no meeting held, for the attendance rate).
    pub fn plotted(&self, key: &str) -> Option<f64> {
        let value = |k: &str| self.figures.iter().find(|f| f.key == k).map(|f| f.value);
        if !has_base(key, value) {
            return None;
        }
        value(key).map(|v| v.as_f64())
    }
}

/// Whether `key` has something to divide by: true for every figure but a ratio of
/// [`RATIO_BASES`], whose base counts (read with `value`) must add up to more than zero.
fn has_base(key: &str, value: impl Fn(&str) -> Option<FigureValue>) -> bool {
    RATIO_BASES
        .iter()
        .find(|(k, _)| *k == key)
        .is_none_or(|(_, parts)| {
            parts
                .iter()
                .filter_map(|k| value(k))
                .map(FigureValue::as_f64)
                .sum::<f64>()
                > 0.0
        })
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub org: Org,
    /// The superior organization's name, for the document header.
    pub superior_name: Option<String>,
    pub period: Period,
    pub previous_period: Period,
    pub lines: Vec<Line>,
    pub years: Vec<YearFigures>,
}

impl Report {
    /// The lines that differ from `other`'s, each with its value and previous value on both
    /// sides (`ours / previous, other: value / previous`): what a check that a report equals
    /// the one counted from the records names when it fails.
    pub fn differing_lines(&self, other: &Report) -> Vec<String> {
        self.lines
            .iter()
            .zip(&other.lines)
            .filter(|(a, b)| a != b)
            .map(|(a, b)| {
                format!(
                    "{}: {:?} / {:?}, other: {:?} / {:?}",
                    a.key, a.value, a.previous, b.value, b.previous
                )
            })
            .collect()
    }
}

/// A line as a table shows it: a rate with nothing to divide by in a period (no meeting
/// held, for the attendance rate) has no value there, and then no change either.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shown {
    pub value: Option<FigureValue>,
    pub previous: Option<FigureValue>,
    pub change: Option<FigureValue>,
}

impl Report {
    pub fn get(&self, key: &str) -> Option<&Line> {
        self.lines.iter().find(|l| l.key == key)
    }

    /// `line` as tables show it (see [`Shown`]); the JSON keeps the contract's 0.
    pub fn shown(&self, line: &Line) -> Shown {
        let value = has_base(&line.key, |k| self.get(k).map(|l| l.value)).then_some(line.value);
        let previous = line
            .previous
            .filter(|_| has_base(&line.key, |k| self.get(k).and_then(|l| l.previous)));
        let change = line
            .change
            .filter(|_| value.is_some() && previous.is_some());
        Shown {
            value,
            previous,
            change,
        }
    }

    /// The areas present, in the contract's order.
    pub fn areas(&self) -> Vec<&str> {
        let mut areas: Vec<&str> = Vec::new();
        for line in &self.lines {
            let area = line.key.split('.').next().unwrap_or(&line.key);
            if !areas.contains(&area) {
                areas.push(area);
            }
        }
        areas
    }
}

/// Builds the report of `org_id`'s subtree for `period`, with the previous period of the
/// same length beside it and a figure set per calendar year of the period. What is kept and
/// current is read back: meeting parts per organization, the other figures' [`snapshot`].
pub async fn build(
    store: &Store,
    scope: &Scope,
    org_id: i64,
    period: Period,
) -> ReportResult<Report> {
    // Boxed: the report's future joins every producer twice (period and previous period)
    // and would otherwise sit, large, inside every caller's future.
    Box::pin(assemble(store, scope, org_id, period, true)).await
}

/// The same report with every figure computed from the records, no snapshot read or kept:
/// the reference [`build`] must equal (tests and the benchmark compare them).
pub async fn build_from_records(
    store: &Store,
    scope: &Scope,
    org_id: i64,
    period: Period,
) -> ReportResult<Report> {
    Box::pin(assemble(store, scope, org_id, period, false)).await
}

async fn assemble(
    store: &Store,
    scope: &Scope,
    org_id: i64,
    period: Period,
    snapshots: bool,
) -> ReportResult<Report> {
    let org = store.org(scope, org_id).await?;
    let superior_name = match org.parent_id {
        Some(p) => store.org(&Scope::all(), p).await.ok().map(|o| o.name),
        None => None,
    };
    let source = if snapshots {
        producers::Source::Kept
    } else {
        producers::Source::Records
    };
    let figures = |p: Period| {
        let org = &org;
        async move { producers::collect(store, scope, org, p, source).await }
    };
    let previous_period = period.previous();
    let (current, previous) = tokio::join!(figures(period), figures(previous_period));
    let (current, previous) = (current?, previous?);
    let mut years = Vec::new();
    for year in period.years() {
        // A period of one calendar year is its own year column: computed once.
        let figures = if year == period {
            current.clone()
        } else {
            figures(year).await?
        };
        years.push(YearFigures {
            year: chrono::Datelike::year(&year.from),
            figures,
        });
    }
    let lines = current
        .into_iter()
        .map(|f| {
            let previous = previous.iter().find(|p| p.key == f.key).map(|p| p.value);
            Line {
                change: previous.map(|p| f.value.change_from(p)),
                previous,
                key: f.key,
                description: f.description,
                value: f.value,
            }
        })
        .collect();
    Ok(Report {
        org,
        superior_name,
        period,
        previous_period,
        lines,
        years,
    })
}

/// Parses the `from`/`to` of a request, naming the field on error.
pub fn parse_period(from: &str, to: &str) -> ReportResult<Period> {
    let from: Date = grassroots_domain::date::parse_date("report", "from", from)?;
    let to: Date = grassroots_domain::date::parse_date("report", "to", to)?;
    Ok(Period::new(from, to)?)
}
