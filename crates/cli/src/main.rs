//! The `grassroots` binary: the web server and the command-line jobs, on one database.

mod bench;
mod commands;
mod config;
mod synth;

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
    /// Write a synthetic nation (organizations, members, history) into an empty database.
    Generate(commands::generate::Args),
    /// Generate data sets of several sizes and time the key queries against a naive baseline.
    Bench(commands::bench::Args),
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
    }
    match cli.command {
        Command::Serve(args) => commands::serve::run(&config, args).await,
        Command::Migrate => commands::migrate::run(&config).await,
        Command::Generate(args) => commands::generate::run(&config, args).await,
        Command::Bench(args) => commands::bench::run(args).await,
    }
}
