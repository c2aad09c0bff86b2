//! Timing: repeated runs of an operation, their median and 95th percentile.

use std::future::Future;
use std::time::{Duration, Instant};

/// How many times to run an operation: `runs` times, but stop early (after at least
/// `min_runs`) once `budget` is spent, so that a slow naive query at 5.6 million members
/// does not take an hour.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub runs: usize,
    pub min_runs: usize,
    pub budget: Duration,
}

/// Repeated runs of one operation, in the unit of their metric (milliseconds for timings).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Sample {
    pub runs: usize,
    pub median: f64,
    pub p95: f64,
}

impl Sample {
    pub fn from_ms(mut ms: Vec<f64>) -> Sample {
        ms.sort_by(f64::total_cmp);
        Sample {
            runs: ms.len(),
            median: percentile(&ms, 0.5),
            p95: percentile(&ms, 0.95),
        }
    }
}

/// The value at fraction `q` of sorted `values` (nearest rank).
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Runs `op(i)` once to warm caches (untimed), then times it by `plan`. `i` counts the
/// runs, so the operation can rotate through its sample organizations or search terms.
pub async fn time<F, Fut>(plan: Plan, mut op: F) -> anyhow::Result<Sample>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    op(0).await?;
    let started = Instant::now();
    let mut ms = Vec::with_capacity(plan.runs);
    for i in 0..plan.runs {
        let t = Instant::now();
        op(i + 1).await?;
        ms.push(t.elapsed().as_secs_f64() * 1_000.0);
        if ms.len() >= plan.min_runs && started.elapsed() > plan.budget {
            break;
        }
    }
    Ok(Sample::from_ms(ms))
}

/// Like [`time`], but runs `prepare(i)` untimed before each run of `op(i)` (the warm-up
/// included): a write the operation must see, for instance.
pub async fn time_prepared<P, PFut, F, Fut>(
    plan: Plan,
    mut prepare: P,
    mut op: F,
) -> anyhow::Result<Sample>
where
    P: FnMut(usize) -> PFut,
    PFut: Future<Output = anyhow::Result<()>>,
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    prepare(0).await?;
    op(0).await?;
    let started = Instant::now();
    let mut ms = Vec::with_capacity(plan.runs);
    for i in 0..plan.runs {
        prepare(i + 1).await?;
        let t = Instant::now();
        op(i + 1).await?;
        ms.push(t.elapsed().as_secs_f64() * 1_000.0);
        if ms.len() >= plan.min_runs && started.elapsed() > plan.budget {
            break;
        }
    }
    Ok(Sample::from_ms(ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_p95_by_nearest_rank() {
        let s = Sample::from_ms((1..=100).rev().map(f64::from).collect());
        assert_eq!((s.runs, s.median, s.p95), (100, 50.0, 95.0));
        let one = Sample::from_ms(vec![3.0]);
        assert_eq!((one.median, one.p95), (3.0, 3.0));
    }

    #[tokio::test]
    async fn budget_stops_early_after_the_minimum() {
        let plan = Plan {
            runs: 1_000,
            min_runs: 3,
            budget: Duration::ZERO,
        };
        let s = time(plan, |_| async { Ok(()) }).await.unwrap();
        assert_eq!(s.runs, 3);
    }
}
