//! `grassroots demo`: loads the La Gi town demo (seed 000) into an empty database.

use grassroots_interchange::demo::{self, load_la_gi};
use grassroots_storage::Store;

use crate::config::Config;
use crate::progress::Bar;

pub async fn run(config: &Config) -> anyhow::Result<()> {
    let store = super::open_store(config).await?;
    load(&store).await
}

/// Loads the demo and says what it holds.
pub async fn load(store: &Store) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let summary = load_la_gi(store, &Bar::new()).await?;
    eprintln!(
        "loaded the La Gi demo in {:.1?}: {} organizations ({} grassroots committees, {} grassroots cells, \
         {} cells under the committees), {} members, {} former members, {} transfers; \
         {} meetings held last year with {} attendance records, {} attended and classified by a superior; \
         {} documents in the 35-CT/TW cascade; {} candidates and {} probationary members in the \
         admission pipeline of cell {}; {} annual classifications of members ({:.1} % good or better) \
         and {} of grassroots organizations ({:.1} %) over the last two years",
        started.elapsed(),
        summary.organizations,
        demo::GRASSROOTS_COMMITTEES,
        demo::GRASSROOTS_CELLS_COUNT,
        demo::CELLS_UNDER_COMMITTEES,
        summary.active_members,
        summary.former_members,
        summary.transfers,
        summary.meetings_held,
        summary.attendance_records,
        summary.supervised_meetings,
        summary.documents,
        summary.candidates,
        summary.probationary_in_pipeline,
        demo::PIPELINE_CELL_CODE,
        summary.classifications.members.total(),
        summary.classifications.members.good_or_better_rate() * 100.0,
        summary.classifications.orgs.total(),
        summary.classifications.orgs.good_or_better_rate() * 100.0
    );
    Ok(())
}
