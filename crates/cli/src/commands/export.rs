//! `grassroots export`: every record as JSON Lines, to stdout or a file.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;

use crate::config::Config;
use crate::progress::Bar;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write to this file instead of stdout. The file appears only once the export is
    /// complete.
    #[arg(long, short)]
    out: Option<PathBuf>,
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let store = super::open_store(config).await?;
    let bar = Bar::new();
    let summary = match &args.out {
        None => {
            let stdout = std::io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            let summary = grassroots_interchange::export(&store, &mut out, &bar).await?;
            out.flush()?;
            summary
        }
        Some(path) => {
            // Written beside the target and renamed, so a failed export leaves no torn file.
            let partial = path.with_extension("partial");
            let file = std::fs::File::create(&partial)
                .with_context(|| format!("creating {}", partial.display()))?;
            let mut out = BufWriter::new(file);
            let summary = grassroots_interchange::export(&store, &mut out, &bar).await?;
            out.flush()?;
            drop(out);
            std::fs::rename(&partial, path)
                .with_context(|| format!("renaming {} to {}", partial.display(), path.display()))?;
            summary
        }
    };
    eprintln!("exported {} records", summary.total());
    Ok(())
}
