//! `grassroots report warm`: the running year's reports built ahead of their readers (see
//! `grassroots_reports::warm`), with a progress bar and the time each organization took.

use std::time::Duration;

use grassroots_interchange::Progress;
use grassroots_reports::warm::{chain, to_warm, warm_orgs};

use crate::config::Config;
use crate::progress::Bar;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// How deep in the tree to warm: 1 the nation, 2 the provinces too, and so on.
    #[arg(long, default_value_t = 2)]
    depth: usize,
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let store = super::open_store(config).await?;
    let today = chrono::Local::now().date_naive();
    let orgs = to_warm(&store, args.depth, today).await?;
    let bar = Bar::new();
    bar.start("warming reports", Some(orgs.len() as u64));
    let summary = warm_orgs(&store, &orgs, today, |w| {
        let line = match w.error {
            None => format!("{:<12} {}", w.org.code, seconds(w.took)),
            Some(e) => format!(
                "{:<12} {} FAILED: {}",
                w.org.code,
                seconds(w.took),
                chain(e)
            ),
        };
        bar.println(&line);
        bar.advance(1);
    })
    .await;
    bar.finish();
    println!(
        "warmed {} organization(s) for {} to {} in {}",
        summary.warmed,
        summary.period.from,
        summary.period.to,
        seconds(summary.took)
    );
    store.db.close().await;
    if !summary.failed.is_empty() {
        anyhow::bail!(
            "{} organization(s) failed: {}",
            summary.failed.len(),
            summary.failed.join(", ")
        );
    }
    Ok(())
}

fn seconds(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}
