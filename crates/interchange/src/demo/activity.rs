//! The demo's activity on top of its tree and members: a year of meetings with attendance
//! for every cell, and the documents demonstration (directive 35-CT/TW from the central
//! committee, the province's plan, the communes' plans, dissemination, study lists and
//! courses). Both come from the storage crate's own deterministic generators, so they go
//! through the same checked and audited writes as a secretary's.

use chrono::Datelike;
use grassroots_storage::documents::demo as documents_demo;
use grassroots_storage::meetings::demo::simulate_year;
use grassroots_storage::{Actor, Store};

use crate::{InterchangeResult, Progress};

/// The seed of the meetings generator: with the same cells and year, the same meetings.
const MEETINGS_SEED: u64 = 0x0003_1A61;

/// What the activity wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Activity {
    pub meetings_held: u32,
    pub attendance_records: u32,
    pub documents: usize,
}

/// Simulates last year's meetings of every cell in `cells` (the cells that exist for the
/// whole of it), then builds the documents demonstration under the central committee and
/// the province.
pub async fn load(
    store: &Store,
    actor: &Actor,
    progress: &dyn Progress,
    cells: &[i64],
    central_id: i64,
    province_id: i64,
) -> InterchangeResult<Activity> {
    let mut activity = Activity::default();
    let year = chrono::Local::now().date_naive().year() - 1;
    progress.start("meetings", Some(cells.len() as u64));
    for cell in cells {
        let y = simulate_year(store, *cell, year, MEETINGS_SEED).await?;
        activity.meetings_held += y.regular_held + y.thematic_held;
        activity.attendance_records += y.present + y.absent_excused + y.absent_unexcused;
        progress.advance(1);
    }
    progress.start("documents", None);
    let built = documents_demo::build(store, actor, central_id, province_id).await?;
    activity.documents = 2 + built.concretized_communes.len();
    Ok(activity)
}
