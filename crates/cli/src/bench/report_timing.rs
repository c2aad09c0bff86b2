//! The report of a province (issue 7: "renders in well under a second at 5.6M members"):
//! `grassroots_reports::build` for this year so far and for last year, each with its
//! previous-period comparison and its per-year figures, on the largest province.
//!
//! Ours is the report as the application builds it (yearly snapshots of closed years, see
//! `crates/reports/src/snapshot.rs`); the naive baseline computes every figure of the same
//! report from the records, with no snapshot. The first run checks that both agree.

use anyhow::bail;
use chrono::Datelike;
use grassroots_reports::{Period, build, build_from_records};
use grassroots_storage::Scope;

use super::measure::time;
use super::{Context, Metric, queries};

pub const METRICS: &[&str] = &["report.province.current", "report.province.past"];

pub async fn report_timing(ctx: &Context<'_>) -> anyhow::Result<Vec<Metric>> {
    let store = ctx.store;
    let province = queries::largest_province(store).await?;
    let today = chrono::Local::now().date_naive();
    let year_start = |y: i32| chrono::NaiveDate::from_ymd_opt(y, 1, 1);
    let (Some(this_year), Some(last_year), Some(last_day)) = (
        year_start(today.year()),
        year_start(today.year() - 1),
        chrono::NaiveDate::from_ymd_opt(today.year() - 1, 12, 31),
    ) else {
        bail!("bench: no calendar around {today}");
    };
    let mut out = Vec::new();
    for (name, period) in [
        ("report.province.current", Period::new(this_year, today)?),
        ("report.province.past", Period::new(last_year, last_day)?),
    ] {
        let scope = Scope::all();
        let ours = build(store, &scope, province, period).await?;
        let records = build_from_records(store, &scope, province, period).await?;
        if ours.lines != records.lines || ours.years != records.years {
            bail!("bench: the report of {province} for {period:?} differs from its records");
        }
        let ours = time(ctx.ours_plan(), |_| async move {
            build(store, &Scope::all(), province, period).await?;
            Ok(())
        })
        .await?;
        let naive = time(ctx.naive_plan(), |_| async move {
            build_from_records(store, &Scope::all(), province, period).await?;
            Ok(())
        })
        .await?;
        out.push(ctx.metric(name, "ms", ours, naive));
    }
    Ok(out)
}
