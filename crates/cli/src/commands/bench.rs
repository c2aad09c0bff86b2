//! `grassroots bench`: generates data sets of several sizes on SQLite (and PostgreSQL when
//! given a server), times the key queries against a naive baseline, prints a table and
//! writes the results as JSON.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args as ClapArgs;
use grassroots_storage::Store;

use crate::bench::{self, Context as PassContext, Metric, Options, report};
use crate::synth::{self, Summary};

#[derive(Debug, ClapArgs)]
pub struct Args {
    /// `http`: the HTTP load test instead of the query benchmark.
    #[command(subcommand)]
    pub command: Option<BenchCommand>,
    /// Data set sizes in members, comma-separated; `1e6` and `5.6e6` are accepted.
    #[arg(long, value_delimiter = ',', value_parser = parse_size, default_value = "1e4,1e5,1e6")]
    pub sizes: Vec<u64>,
    /// A PostgreSQL server URL (its maintenance database, e.g. postgres://u@host/postgres):
    /// each size gets a new database `grassroots_bench_<size>` there, dropped afterwards.
    #[arg(long)]
    pub postgres: Option<String>,
    /// Skip SQLite (only PostgreSQL).
    #[arg(long)]
    pub no_sqlite: bool,
    /// Where the SQLite data sets go (one file per size, replaced on each run).
    #[arg(long, default_value = "bench-results/data")]
    pub work_dir: PathBuf,
    /// The JSON results file.
    #[arg(long, default_value = "bench-results/bench.json")]
    pub out: PathBuf,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Timed runs of each fast operation.
    #[arg(long, default_value_t = 30)]
    pub runs: usize,
    /// Timed runs of each naive operation (fewer if they exceed the budget).
    #[arg(long, default_value_t = 10)]
    pub naive_runs: usize,
    /// Time budget per naive operation, in seconds (at least 3 runs are made).
    #[arg(long, default_value_t = 20)]
    pub naive_budget: u64,
    /// Members created one by one for the naive import.
    #[arg(long, default_value_t = 300)]
    pub naive_import: usize,
    /// Keep the data sets after the run (SQLite files, PostgreSQL databases).
    #[arg(long)]
    pub keep: bool,
    /// Measure only these metrics (comma-separated name prefixes, e.g. `search` or
    /// `search.name,list.nation`); all when absent.
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Generate a year of meetings with attendance, and of dues, too (as `demo generate`
    /// does by default): the running year's report reads them. Off by default, so the
    /// counts, search and list figures stay comparable with earlier runs.
    #[arg(long)]
    pub meetings: bool,
    /// Measure a data set generated before (`demo generate --database-url URL`) instead of
    /// generating one: its size is its number of members, and it is kept. The import figure
    /// needs a generation and is not measured. For comparing two builds on the same data.
    #[arg(long, conflicts_with_all = ["postgres", "no_sqlite", "keep"])]
    pub existing: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
pub enum BenchCommand {
    /// Load test of the real server on loopback: member list and meeting check-in.
    Http(bench::http::Args),
}

/// Accepts `10000`, `1e4` or `5.6e6`.
fn parse_size(raw: &str) -> Result<u64, String> {
    let v: f64 = raw
        .trim()
        .parse()
        .map_err(|_| format!("`{raw}` is not a number of members"))?;
    if !(1.0..=1e9).contains(&v) {
        return Err(format!("`{raw}` must be between 1 and 1e9 members"));
    }
    Ok(v.round() as u64)
}

/// The machine-readable results.
#[derive(Debug, serde::Serialize)]
pub struct Results {
    pub started_at: String,
    pub machine: Machine,
    pub seed: u64,
    pub generations: Vec<Generation>,
    pub metrics: Vec<Metric>,
    pub verdicts: Vec<serde_json::Value>,
}

#[derive(Debug, serde::Serialize)]
pub struct Generation {
    pub backend: String,
    pub size: u64,
    pub summary: Summary,
}

#[derive(Debug, serde::Serialize)]
pub struct Machine {
    pub cpus: usize,
    pub cpu_model: String,
    pub memory: String,
    pub os: String,
}

fn machine() -> Machine {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let field = |text: &str, key: &str| {
        text.lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_once(':').or_else(|| l.split_once('=')))
            .map(|(_, v)| v.trim().trim_matches('"').to_owned())
            .unwrap_or_default()
    };
    Machine {
        cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
        cpu_model: field(&read("/proc/cpuinfo"), "model name"),
        memory: field(&read("/proc/meminfo"), "MemTotal"),
        os: field(&read("/etc/os-release"), "PRETTY_NAME"),
    }
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    if let Some(BenchCommand::Http(http)) = args.command {
        return bench::http::run(http).await;
    }
    if args.no_sqlite && args.postgres.is_none() {
        bail!("bench: --no-sqlite needs --postgres URL");
    }
    let options = Options {
        runs: args.runs.max(1),
        naive_runs: args.naive_runs.max(1),
        naive_budget: Duration::from_secs(args.naive_budget),
        naive_import: args.naive_import,
        ..Options::default()
    };
    let mut results = Results {
        started_at: grassroots_storage::audit::now(),
        machine: machine(),
        seed: args.seed,
        generations: Vec::new(),
        metrics: Vec::new(),
        verdicts: Vec::new(),
    };
    if let Some(url) = &args.existing {
        return on_existing(url, &args, options, results).await;
    }
    let mut backends: Vec<&str> = Vec::new();
    if !args.no_sqlite {
        backends.push("sqlite");
    }
    if args.postgres.is_some() {
        backends.push("postgres");
    }
    // Every data set describes today: this year's report is a running year with its
    // meetings and dues, as a committee's is.
    let today = chrono::Local::now().date_naive();
    for size in &args.sizes {
        for backend in &backends {
            let target = match *backend {
                "sqlite" => Target::sqlite(&args.work_dir, *size)?,
                _ => Target::postgres(args.postgres.as_deref().unwrap_or_default(), *size).await?,
            };
            eprintln!("bench: {backend}, {size} members: generating");
            let store = Store::open(&target.url)
                .await
                .with_context(|| format!("bench: opening {}", target.url))?;
            let progress = super::generate::progress_bar(*size);
            let summary =
                synth::generate(&store.db, *size, args.seed, args.meetings, today, &progress)
                    .await?;
            eprintln!(
                "bench: {backend}, {size} members: generated in {:.1} s ({:.0} members/s); measuring",
                summary.total_secs, summary.members_per_sec
            );
            let ctx = PassContext {
                store: &store,
                backend,
                size: *size,
                options,
                only: &args.only,
            };
            let metrics = bench::run_pass(&ctx, Some(&summary)).await?;
            eprint!("{}", report::table(&metrics));
            store.db.close().await;
            results.metrics.extend(metrics);
            results.generations.push(Generation {
                backend: (*backend).to_owned(),
                size: *size,
                summary,
            });
            if !args.keep {
                target.remove().await?;
            }
            write_results(&args.out, &mut results)?;
        }
    }
    println!("{}", report::table(&results.metrics));
    println!("results written to {}", args.out.display());
    Ok(())
}

fn write_results(out: &std::path::Path, results: &mut Results) -> anyhow::Result<()> {
    results.verdicts = results
        .metrics
        .iter()
        .filter_map(|m| {
            report::verdict(m).map(|v| {
                serde_json::json!({
                    "backend": m.backend, "size": m.size, "metric": m.metric,
                    "target": v.target, "met": v.met,
                })
            })
        })
        .collect();
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(out, serde_json::to_string_pretty(results)?)
        .with_context(|| format!("writing {}", out.display()))
}

/// A fresh database for one data set, and how to remove it.
#[derive(Debug)]
pub(crate) struct Target {
    pub(crate) url: String,
    cleanup: Cleanup,
}

/// One pass on the data set at `url`, left as it is.
async fn on_existing(
    url: &str,
    args: &Args,
    options: Options,
    mut results: Results,
) -> anyhow::Result<()> {
    let backend = if url.starts_with("sqlite:") {
        "sqlite"
    } else {
        "postgres"
    };
    let store = Store::open(url)
        .await
        .with_context(|| format!("bench: opening {url}"))?;
    let members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM members")
        .fetch_one(store.db.read())
        .await?;
    let size = u64::try_from(members)?;
    eprintln!("bench: {backend}, existing data set of {size} members: measuring");
    let ctx = PassContext {
        store: &store,
        backend,
        size,
        options,
        only: &args.only,
    };
    let metrics = bench::run_pass(&ctx, None).await?;
    store.db.close().await;
    results.metrics.extend(metrics);
    write_results(&args.out, &mut results)?;
    println!("{}", report::table(&results.metrics));
    println!("results written to {}", args.out.display());
    Ok(())
}

#[derive(Debug)]
enum Cleanup {
    Files(Vec<PathBuf>),
    Database { admin_url: String, name: String },
}

impl Target {
    pub(crate) fn sqlite(dir: &std::path::Path, size: u64) -> anyhow::Result<Target> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let file = dir.join(format!("bench-{size}.db"));
        let files: Vec<PathBuf> = ["", "-wal", "-shm"]
            .iter()
            .map(|s| PathBuf::from(format!("{}{s}", file.display())))
            .collect();
        for f in &files {
            if f.exists() {
                std::fs::remove_file(f).with_context(|| format!("removing {}", f.display()))?;
            }
        }
        Ok(Target {
            url: format!("sqlite:{}", file.display()),
            cleanup: Cleanup::Files(files),
        })
    }

    pub(crate) async fn postgres(admin_url: &str, size: u64) -> anyhow::Result<Target> {
        let name = format!("grassroots_bench_{size}_{}", std::process::id());
        sqlx::any::install_default_drivers();
        let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(admin_url)
            .await
            .with_context(|| format!("bench: connecting to {admin_url}"))?;
        sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name}"))
            .execute(&mut admin)
            .await?;
        sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await?;
        <sqlx::AnyConnection as sqlx::Connection>::close(admin).await?;
        let base = admin_url.rsplit_once('/').map_or(admin_url, |(b, _)| b);
        Ok(Target {
            url: format!("{base}/{name}"),
            cleanup: Cleanup::Database {
                admin_url: admin_url.to_owned(),
                name,
            },
        })
    }

    pub(crate) async fn remove(self) -> anyhow::Result<()> {
        match self.cleanup {
            Cleanup::Files(files) => {
                for f in files.iter().filter(|f| f.exists()) {
                    std::fs::remove_file(f).with_context(|| format!("removing {}", f.display()))?;
                }
            }
            Cleanup::Database { admin_url, name } => {
                let mut admin =
                    <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url).await?;
                // FORCE: the server may not have ended the closed pool's sessions yet.
                sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin)
                    .await?;
                <sqlx::AnyConnection as sqlx::Connection>::close(admin).await?;
            }
        }
        Ok(())
    }
}
