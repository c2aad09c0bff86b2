//! `grassroots import FILE|-`: a JSON Lines export into an empty database, or a CSV/XLSX
//! table of organizations or members added to the database. All or nothing per file.

use std::io::{BufReader, Read};
use std::path::PathBuf;

use anyhow::{Context, bail};
use grassroots_interchange::tabular::{Table, import_members, import_orgs};

use crate::config::Config;
use crate::progress::Bar;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Jsonl,
    Csv,
    Xlsx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Orgs,
    Members,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file to import, or `-` for stdin.
    file: PathBuf,
    /// The format; by default taken from the extension (.jsonl, .csv, .xlsx), JSON Lines
    /// for stdin.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// What a CSV or XLSX table holds.
    #[arg(long, value_enum)]
    kind: Option<Kind>,
}

fn detect(args: &Args) -> anyhow::Result<Format> {
    if let Some(f) = args.format {
        return Ok(f);
    }
    if args.file.as_os_str() == "-" {
        return Ok(Format::Jsonl);
    }
    let ext = args
        .file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    Ok(match ext.as_str() {
        "jsonl" | "ndjson" | "json" => Format::Jsonl,
        "csv" | "txt" => Format::Csv,
        "xlsx" => Format::Xlsx,
        other => bail!(
            "cannot tell the format of `{}` from its extension `{other}`; pass --format jsonl|csv|xlsx",
            args.file.display()
        ),
    })
}

fn open(file: &PathBuf) -> anyhow::Result<Box<dyn Read>> {
    if file.as_os_str() == "-" {
        return Ok(Box::new(std::io::stdin().lock()));
    }
    let f = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
    Ok(Box::new(f))
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let format = detect(&args)?;
    if format != Format::Jsonl && args.kind.is_none() {
        bail!("a CSV or XLSX table needs --kind orgs or --kind members");
    }
    let store = super::open_store(config).await?;
    let bar = Bar::new();
    let input = open(&args.file)?;
    let name = args.file.display();
    match format {
        Format::Jsonl => {
            let summary = grassroots_interchange::import(&store, BufReader::new(input), &bar)
                .await
                .with_context(|| format!("importing {name}"))?;
            eprintln!(
                "imported {} records into the empty database",
                summary.total()
            );
        }
        Format::Csv | Format::Xlsx => {
            let table = if format == Format::Csv {
                Table::from_csv(input)
            } else {
                let mut bytes = Vec::new();
                let mut input = input;
                input.read_to_end(&mut bytes)?;
                Table::from_xlsx(bytes)
            }
            .with_context(|| format!("reading {name}"))?;
            let summary = match args.kind {
                Some(Kind::Orgs) => import_orgs(&store, &table, &bar).await,
                _ => import_members(&store, &table, &bar).await,
            }
            .with_context(|| format!("importing {name}; nothing was written"))?;
            eprintln!("imported {} rows", summary.created);
        }
    }
    Ok(())
}
