//! `grassroots demo generate`: writes a synthetic nation into the configured (empty) database.

use clap::Args as ClapArgs;
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Config;
use crate::synth;

#[derive(Debug, ClapArgs)]
pub struct Args {
    /// How many members; the tree scales with it (34 provinces always).
    #[arg(long, default_value_t = 10_000)]
    pub members: u64,
    /// The seed: the same seed, size and day (`--as-of`) give the same data set.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The day the data set describes (YYYY-MM-DD, 2026-01-01 or later): every date is on or
    /// before it, and its year of meetings and dues ends with its month. Default: today.
    #[arg(long)]
    pub as_of: Option<String>,
    /// Members only: no year of meetings, attendance and dues (faster; the members are the same).
    #[arg(long)]
    pub no_meetings: bool,
    /// Print the summary as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let as_of = match &args.as_of {
        Some(day) => grassroots_domain::date::parse_date("generate", "as_of", day)?,
        None => chrono::Local::now().date_naive(),
    };
    let store = super::open_store(config).await?;
    let progress = progress_bar(args.members);
    let summary = synth::generate(
        &store.db,
        args.members,
        args.seed,
        !args.no_meetings,
        as_of,
        &progress,
    )
    .await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        println!(
            "generated {} members as of {as_of} in {} organizations ({}), {} transfers, {} rows",
            summary.members,
            summary.orgs_by_kind.values().sum::<u64>(),
            summary
                .orgs_by_kind
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(", "),
            summary.transfers,
            summary.rows,
        );
        if !args.no_meetings {
            println!(
                "{} meetings of the year with {} attendance marks ({:.0} marks/s), {} dues payments",
                summary.meetings,
                summary.attendance,
                summary.attendance_per_sec,
                summary.dues_payments
            );
        }
        println!(
            "{:.1} s in all (rows {:.1} s, then indexes, commit and statistics {:.1} s): \
             {:.0} members/s",
            summary.total_secs, summary.insert_secs, summary.index_secs, summary.members_per_sec
        );
        println!(
            "producer {:.1} s ({:.1} s waiting for the loader), loader waiting for rows {:.1} s",
            summary.producer_secs, summary.producer_waited_secs, summary.loader_waited_secs
        );
        if !summary.phases.is_empty() {
            println!(
                "loader phases: {}",
                summary
                    .phases
                    .iter()
                    .map(|p| format!("{} {:.2} s", p.name, p.secs))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    store.db.close().await;
    Ok(())
}

/// A progress bar on a terminal, hidden otherwise (logs and tests stay clean).
pub fn progress_bar(len: u64) -> ProgressBar {
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} members ({per_sec}) {msg}",
    ) {
        bar.set_style(style);
    }
    bar
}
