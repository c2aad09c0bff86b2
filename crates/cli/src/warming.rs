//! The server keeps the running year's reports warm: once at start, then every day at the
//! configured local time (`report_warm_at`, 00:05 by default), in a task of its own beside
//! the web server. A warming that fails, or even panics, is logged and the next one comes
//! the next day: the server goes on serving, and reports are then computed on first read as
//! they would be without warming.

use std::time::Duration;

use chrono::{Local, NaiveDateTime, NaiveTime};
use grassroots_reports::warm::{chain, warm};
use grassroots_storage::Store;
use tokio::task::JoinHandle;

/// The longest single sleep before the clock is read again: a suspended machine or a clock
/// set by hand wakes the warming late by at most this much instead of by hours.
const LONGEST_NAP: Duration = Duration::from_secs(15 * 60);

/// When the daily warming after `now` runs: today at `at` if that is still to come, else
/// tomorrow at `at`. Exactly at `at` is tomorrow: the run of that instant is the current one.
pub fn next_run(now: NaiveDateTime, at: NaiveTime) -> NaiveDateTime {
    let today = now.date().and_time(at);
    if now < today {
        today
    } else {
        today + chrono::Duration::days(1)
    }
}

/// Starts the warming task (none when `depth` is 0). Returns at once: startup never waits
/// for the warming.
pub fn spawn(store: Store, depth: usize, at: NaiveTime) -> Option<JoinHandle<()>> {
    if depth == 0 {
        tracing::info!("report warming is off (report_warm_depth = 0)");
        return None;
    }
    Some(tokio::spawn(async move {
        loop {
            warm_once(&store, depth).await;
            let next = next_run(Local::now().naive_local(), at);
            tracing::info!(next = %next, "next report warming");
            loop {
                let now = Local::now().naive_local();
                let Ok(wait) = (next - now).to_std() else {
                    break;
                };
                if wait.is_zero() {
                    break;
                }
                tokio::time::sleep(wait.min(LONGEST_NAP)).await;
            }
        }
    }))
}

/// One warming of today's running year, in a task of its own so that a panic inside it is
/// logged here instead of ending the daily loop.
async fn warm_once(store: &Store, depth: usize) {
    let store = store.clone();
    let today = Local::now().date_naive();
    let run = tokio::spawn(async move {
        warm(&store, depth, today, |w| {
            if w.error.is_none() {
                tracing::debug!(org = %w.org.code, took_ms = w.took.as_millis() as u64, "report warmed");
            }
        })
        .await
    });
    match run.await {
        Ok(Ok(summary)) => tracing::info!(
            warmed = summary.warmed,
            failed = summary.failed.len(),
            from = %summary.period.from,
            to = %summary.period.to,
            took_ms = summary.took.as_millis() as u64,
            "running year's reports warmed"
        ),
        Ok(Err(e)) => tracing::error!(error = %chain(&e), "report warming failed"),
        Err(e) => tracing::error!(error = %e, "report warming stopped unexpectedly"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn at(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn before_the_time_it_runs_today() {
        assert_eq!(
            next_run(t("2026-11-24 00:01:00"), at(0, 5)),
            t("2026-11-24 00:05:00")
        );
        assert_eq!(
            next_run(t("2026-11-24 00:04:59"), at(0, 5)),
            t("2026-11-24 00:05:00")
        );
    }

    #[test]
    fn after_the_time_it_runs_tomorrow() {
        assert_eq!(
            next_run(t("2026-11-24 07:20:00"), at(0, 5)),
            t("2026-11-25 00:05:00")
        );
        // Across the end of a month and of a year.
        assert_eq!(
            next_run(t("2026-12-31 23:59:59"), at(0, 5)),
            t("2027-01-01 00:05:00")
        );
        assert_eq!(
            next_run(t("2026-02-28 12:00:00"), at(23, 30)),
            t("2026-02-28 23:30:00")
        );
    }

    #[test]
    fn exactly_at_the_time_the_next_run_is_tomorrow() {
        assert_eq!(
            next_run(t("2026-11-24 00:05:00"), at(0, 5)),
            t("2026-11-25 00:05:00")
        );
    }
}
