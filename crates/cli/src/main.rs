//! The `grassroots` binary: the web server and the command-line jobs, on one database.

mod bench;
mod commands;
mod config;
mod progress;
mod synth;
mod warming;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::Config;

#[derive(Debug, Parser)]
#[command(
    name = "grassroots",
    version,
    about = "Party-building work from the cell to the nation"
)]
struct Cli {
    /// A TOML configuration file (default: ./grassroots.toml when present).
    #[arg(long, global = true, env = "GRASSROOTS_CONFIG")]
    config: Option<PathBuf>,
    /// Database URL: sqlite:PATH or postgres://USER@HOST/DB. Overrides the configuration.
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web application and the JSON API.
    Serve(commands::serve::Args),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Document numbers, the cascade of plans under a document, and training figures.
    Documents(commands::documents::Args),
    /// The report of an organization's subtree for a period (JSON, Excel, Word, PDF).
    Report(commands::report::Args),
    /// Import a JSON Lines export into an empty database, or a CSV/XLSX table of
    /// organizations or members into this one. All or nothing per file.
    Import(commands::import::Args),
    /// Export every record as JSON Lines (docs/interchange.md).
    Export(commands::export::Args),
    /// Load the La Gi town demo (seed 000) into an empty database.
    Demo {
        /// `generate`: write a synthetic nation instead (see BENCHMARKS.md).
        #[command(subcommand)]
        command: Option<DemoCommand>,
    },
    /// Cell meetings: schedules, figures and alerts of the meeting rules.
    #[command(subcommand)]
    Meetings(commands::meetings::Command),
    /// Manage user accounts.
    #[command(subcommand)]
    User(commands::user::Command),
    /// Outstanding candidates and their admission steps.
    #[command(subcommand)]
    Candidates(commands::lifecycle::Candidates),
    /// Probation, the new-member course and official recognition.
    #[command(subcommand)]
    Probation(commands::lifecycle::Probation),
    /// Official transfers by introduction letter.
    #[command(subcommand)]
    Transfers(commands::lifecycle::Transfers),
    /// Removal, expulsion, death and re-admission.
    #[command(subcommand)]
    Outcomes(commands::lifecycle::Outcomes),
    /// Party cards and their history.
    #[command(subcommand)]
    Cards(commands::lifecycle::Cards),
    /// Party badges due at an award day.
    #[command(subcommand)]
    Badges(commands::lifecycle::Badges),
    /// Party dues: incomes, reliefs, payments, arrears, the monthly sheet.
    #[command(subcommand)]
    Dues(commands::lifecycle::Dues),
    /// Lifecycle figures and the demo pipeline.
    #[command(subcommand)]
    Lifecycle(commands::lifecycle::Lifecycle),
    /// Generate data sets of several sizes and time the key queries against a naive baseline.
    Bench(commands::bench::Args),
}

#[derive(Debug, Subcommand)]
enum DemoCommand {
    /// Write a realistic synthetic nation (34 provinces, communes, grassroots organizations,
    /// cells, members with their history) straight into the configured database.
    Generate(commands::generate::Args),
}

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("GRASSROOTS_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut config = Config::load(cli.config.as_deref())?;
    if let Some(url) = cli.database_url {
        config.database_url = url;
        config.database_url_explicit = true;
    }
    match cli.command {
        Command::Serve(args) => commands::serve::run(&config, args).await,
        Command::Migrate => commands::migrate::run(&config).await,
        Command::Documents(args) => commands::documents::run(&config, args).await,
        Command::Report(args) => commands::report::run(&config, args).await,
        Command::Import(args) => commands::import::run(&config, args).await,
        Command::Export(args) => commands::export::run(&config, args).await,
        Command::Demo { command: None } => commands::demo::run(&config).await,
        Command::Demo {
            command: Some(DemoCommand::Generate(args)),
        } => commands::generate::run(&config, args).await,
        Command::Meetings(command) => commands::meetings::run(&config, command).await,
        Command::User(command) => commands::user::run(&config, command).await,
        Command::Candidates(cmd) => commands::lifecycle::candidates(&config, cmd).await,
        Command::Probation(cmd) => commands::lifecycle::probation(&config, cmd).await,
        Command::Transfers(cmd) => commands::lifecycle::transfers(&config, cmd).await,
        Command::Outcomes(cmd) => commands::lifecycle::outcomes(&config, cmd).await,
        Command::Cards(cmd) => commands::lifecycle::cards(&config, cmd).await,
        Command::Badges(cmd) => commands::lifecycle::badges(&config, cmd).await,
        Command::Dues(cmd) => commands::lifecycle::dues(&config, cmd).await,
        Command::Lifecycle(cmd) => commands::lifecycle::lifecycle(&config, cmd).await,
        Command::Bench(args) => Box::pin(commands::bench::run(args)).await,
    }
}
