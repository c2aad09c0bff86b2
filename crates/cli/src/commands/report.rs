//! `grassroots report`: the report of an organization's subtree for a period, as JSON,
//! Excel, Word or PDF.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use grassroots_reports::template::{Template, layout};
use grassroots_reports::{build, export, parse_period};
use grassroots_storage::Scope;
use grassroots_storage::orgs::OrgReader;

use crate::config::Config;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Json,
    Xlsx,
    Docx,
    Pdf,
}

/// `grassroots report --org CODE --from DATE --to DATE` builds one report; `grassroots
/// report warm` builds the running year's reports ahead of their readers. The flags of the
/// first are required only without a subcommand, and refused with one.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// The organization's code; the report covers its whole subtree.
    #[arg(long, required = true)]
    org: Option<String>,
    /// First day of the period (YYYY-MM-DD or dd/mm/yyyy).
    #[arg(long, required = true)]
    from: Option<String>,
    /// Last day of the period, included.
    #[arg(long, required = true)]
    to: Option<String>,
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// Where to write the report (standard output when omitted; required for binary formats
    /// on a terminal).
    #[arg(long)]
    out: Option<PathBuf>,
    /// A report template (TOML) for Word and PDF; see crates/reports/templates/report-vi.toml.
    #[arg(long)]
    template: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Build today's running-year reports ahead of their readers.
    ///
    /// The running year (1 January to today) is the report page's default period. Every
    /// organization in force down to `--depth` is reported, deepest first, so that its
    /// first reader today reads kept figures. `serve` does this at start and every night.
    Warm(super::warm::Args),
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    if let Some(Command::Warm(warm)) = args.command {
        return super::warm::run(config, warm).await;
    }
    // Required by clap when no subcommand is given.
    let (Some(code), Some(from), Some(to)) = (&args.org, &args.from, &args.to) else {
        anyhow::bail!("report: --org, --from and --to are required");
    };
    let store = super::open_store(config).await?;
    let scope = Scope::all();
    let org = store.org_by_code(&scope, code).await?;
    let period = parse_period(from, to)?;
    let report = build(&store, &scope, org.id, period).await?;
    let template = match &args.template {
        Some(path) => Template::parse(
            &std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?,
        )?,
        None => Template::default_vi()?,
    };
    let today = chrono::Local::now().date_naive();
    let bytes = match args.format {
        Format::Json => export::json(&report)?,
        Format::Xlsx => export::xlsx::workbook(&report)?,
        Format::Docx => export::docx::document(&layout(&report, &template, today), &report)?,
        Format::Pdf => export::pdf::document(&layout(&report, &template, today), &report)?,
    };
    match args.out {
        Some(path) => {
            std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?
        }
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(())
}
