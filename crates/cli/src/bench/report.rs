//! The targets of issue 6 and the printed table.

use super::Metric;

/// A target a metric is held to, and whether it is met.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Verdict {
    pub target: String,
    pub met: bool,
}

/// The targets (stated for 5.6 million members; reported at every size): nation counts
/// under 200 ms and at least 20× faster than the naive baseline, province under 50 ms,
/// cell under 5 ms, search p95 under 50 ms.
pub fn verdict(m: &Metric) -> Option<Verdict> {
    let (target, met) = match m.metric.as_str() {
        "counts.nation" => (
            "median < 200 ms and ≥ 20× naive".to_owned(),
            m.ours.median < 200.0 && m.ratio >= 20.0,
        ),
        "counts.province" => ("median < 50 ms".to_owned(), m.ours.median < 50.0),
        "counts.cell" => ("median < 5 ms".to_owned(), m.ours.median < 5.0),
        "report.province.current"
        | "report.province.past"
        | "report.province.current.after_write"
        | "report.province.current.cold"
        | "report.province.current.after_registry_write" => {
            ("median < 1000 ms".to_owned(), m.ours.median < 1000.0)
        }
        "search.name" | "search.province" | "search.commune" => {
            ("p95 < 50 ms".to_owned(), m.ours.p95 < 50.0)
        }
        "import.members" if m.backend == "sqlite" => {
            ("≥ 100,000 members/s".to_owned(), m.ours.median >= 100_000.0)
        }
        _ => return None,
    };
    Some(Verdict { target, met })
}

fn num(v: f64, unit: &str) -> String {
    if unit == "ms" {
        if v >= 100.0 {
            format!("{v:.0}")
        } else if v >= 1.0 {
            format!("{v:.2}")
        } else {
            format!("{v:.3}")
        }
    } else {
        format!("{v:.0}")
    }
}

/// The results as a Markdown table (readable on a terminal, pasted as is into BENCHMARKS.md).
pub fn table(metrics: &[Metric]) -> String {
    let mut out = String::from(
        "| backend | members | metric | unit | ours median | ours p95 | naive median | naive p95 | ratio | target |\n\
         |---|---:|---|---|---:|---:|---:|---:|---:|---|\n",
    );
    for m in metrics {
        let target = match verdict(m) {
            Some(v) => format!("{}: {}", v.target, if v.met { "met" } else { "NOT met" }),
            None => String::new(),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {:.1}× | {} |\n",
            m.backend,
            m.size,
            m.metric,
            m.unit,
            num(m.ours.median, &m.unit),
            num(m.ours.p95, &m.unit),
            num(m.naive.median, &m.unit),
            num(m.naive.p95, &m.unit),
            m.ratio,
            target
        ));
    }
    out
}
