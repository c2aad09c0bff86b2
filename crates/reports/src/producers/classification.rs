//! The annual review: members and grassroots organizations by classification level, and
//! the share "good or better", for the latest review year whose last day (31 December)
//! falls in the period. A period without a year's end (a quarter, the running year) has no
//! review year and counts zero.

use chrono::Datelike;
use grassroots_domain::classification::{Level, Tally};
use grassroots_domain::date::Date;
use grassroots_domain::figures::{Figure, FigureValue};
use grassroots_storage::classification::figures::OrgsCounted;
use grassroots_storage::orgs::Org;
use grassroots_storage::{Scope, Store};

use crate::contract::{describe, entry};
use crate::{Period, ReportResult};

/// The review year a period reports: the latest year whose 31 December is in the period.
pub fn review_year(period: Period) -> Option<i32> {
    let last = period.to.year();
    let ends_in = |y: i32| Date::from_ymd_opt(y, 12, 31).is_some_and(|d| period.contains(d));
    [last, last - 1].into_iter().find(|y| ends_in(*y))
}

fn tally_figures(prefix: &str, tally: &Tally) -> Vec<Figure> {
    let mut out: Vec<Figure> = Level::ALL
        .iter()
        .map(|l| describe(&format!("{prefix}.{}", l.as_str()), tally.get(*l)))
        .collect();
    out.push(describe(&format!("{prefix}.total"), tally.total()));
    let rate = format!("{prefix}.good_or_better_rate");
    out.push(Figure {
        description: entry(&rate).map(|e| e.1).unwrap_or("").to_owned(),
        key: rate,
        value: FigureValue::Ratio(tally.good_or_better_rate()),
    });
    out
}

pub async fn figures(
    store: &Store,
    scope: &Scope,
    org: &Org,
    period: Period,
) -> ReportResult<Vec<Figure>> {
    let (members, orgs) = match review_year(period) {
        Some(year) => {
            store
                .classification_tallies(scope, org.id, year, OrgsCounted::Grassroots)
                .await?
        }
        None => (Tally::default(), Tally::default()),
    };
    let mut out = tally_figures("classification.members", &members);
    out.extend(tally_figures("classification.orgs", &orgs));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(from: &str, to: &str) -> Period {
        Period::new(from.parse().unwrap(), to.parse().unwrap()).unwrap()
    }

    #[test]
    fn the_review_year_ends_in_the_period() {
        assert_eq!(review_year(p("2025-01-01", "2025-12-31")), Some(2025));
        assert_eq!(review_year(p("2020-01-01", "2025-06-30")), Some(2024));
        assert_eq!(review_year(p("2025-01-01", "2025-06-30")), None);
        assert_eq!(review_year(p("2024-12-31", "2024-12-31")), Some(2024));
    }
}
