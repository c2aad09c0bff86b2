//! The La Gi demo: the town party committee of seed 000, with its 11 grassroots
//! committees, 147 cells under them, 40 grassroots cells and 2,954 members, plus former
//! members, transfers and tree history; a year of meetings with attendance in every cell;
//! and the documents demonstration (directive 35-CT/TW from the central committee above the
//! province, the province's plan, the plans of the communes of the new arrangement,
//! dissemination, study lists and courses). Generated from a fixed seed, so every load is
//! the same; written through the storage rules (every write checked and audited as
//! `system:demo`).

mod activity;
mod names;
mod people;
mod rng;
mod structure;

use grassroots_domain::date::Date;
use grassroots_domain::member::{MemberStatus, MembershipKind};
use grassroots_domain::org::OrgKind;
use grassroots_storage::members::Transfer;
use grassroots_storage::orgs::{NewOrg, OrgReader, OrgWriter};
use grassroots_storage::{Actor, Scope, Store, StoreError, restore};

use self::people::{Profile, new_member};
use self::rng::Rng;
use self::structure::{COMMITTEES, Cells, GRASSROOTS_CELLS};
use crate::{InterchangeError, InterchangeResult, Progress};

/// The figures of seed 000 the demo reproduces.
pub const GRASSROOTS_COMMITTEES: i64 = 11;
pub const GRASSROOTS_CELLS_COUNT: i64 = 40;
pub const CELLS_UNDER_COMMITTEES: i64 = 147;
pub const ACTIVE_MEMBERS: i64 = 2_954;

/// The code of the town committee, the root of the demo's counts.
pub const TOWN_CODE: &str = "LG";
pub const PROVINCE_CODE: &str = "BT";
/// The central committee above the province, issuer of the directives the demo cascades.
pub const CENTRAL_CODE: &str = "TW";

/// Communes of the July 2025 arrangement under the province, outside the town: the
/// documents demonstration cascades the provincial plan to communes.
/// The cell of the candidate pipeline and probation list (issue 8's demo).
pub const PIPELINE_CELL_CODE: &str = "TM.TANLY";

const COMMUNES: &[(&str, &str)] = &[
    ("BT.HAMTHANG", "Đảng bộ xã Hàm Thắng"),
    ("BT.HAMKIEM", "Đảng bộ xã Hàm Kiệm"),
    ("BT.TANMINH", "Đảng bộ xã Tân Minh"),
    ("BT.TANTHANH", "Đảng bộ xã Tân Thành"),
];

/// The author of every demo write in the audit log.
pub const DEMO_ACTOR: &str = "system:demo";

const SEED: u64 = 0x000_1A61;
const FORMER_DECEASED: usize = 22;
const FORMER_REMOVED: usize = 14;
const FORMER_TRANSFERRED_OUT: usize = 26;
const OFFICIAL_TRANSFERS: usize = 24;
const TEMPORARY_TRANSFERS: usize = 12;

/// What the demo wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub organizations: usize,
    pub active_members: usize,
    pub former_members: usize,
    pub transfers: usize,
    /// Last year's meetings held, in every cell.
    pub meetings_held: u32,
    pub attendance_records: u32,
    /// Meetings a grassroots committee attended and classified (one per committee).
    pub supervised_meetings: usize,
    /// Documents registered by the documents demonstration.
    pub documents: usize,
    /// Outstanding candidates of the lifecycle demonstration, and the probationary members it
    /// admitted (in the demo secretary's cell).
    pub candidates: usize,
    pub probationary_in_pipeline: usize,
    /// The annual classifications of the two years before this one (members, and
    /// grassroots organizations).
    pub classifications: grassroots_storage::classification::demo::DemoClassifications,
}

/// A calendar date of the demo's script; every one written in this module is valid.
pub(crate) fn ymd(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd_opt(y, m, d).unwrap_or(Date::MIN)
}

/// A cell of the demo and what the generator needs to know about it.
#[derive(Debug, Clone)]
struct Cell {
    id: i64,
    code: String,
    founded: Date,
    weight: i64,
}

/// Loads the demo into an empty database. The tree and the members are each written in one
/// transaction; the move and the merge go through the tree's own writes (one transaction
/// each), then the departures and transfers in one more. The data is fixed, so only a
/// database failure can stop it half way; `grassroots demo` then refuses the non-empty
/// database, and a fresh one is the remedy.
pub async fn load_la_gi(store: &Store, progress: &dyn Progress) -> InterchangeResult<DemoSummary> {
    if !restore::is_empty(&store.db).await? {
        return Err(InterchangeError::File(
            "the database is not empty: the demo loads into an empty database only".into(),
        ));
    }
    let actor = Actor::new(DEMO_ACTOR);
    let scope = Scope::all();
    let mut rng = Rng::new(SEED);
    let mut summary = DemoSummary::default();

    // 1. The tree, in one transaction.
    let org_total = 3 + COMMUNES.len() + COMMITTEES.len() + 148 + GRASSROOTS_CELLS.len();
    progress.start("organizations", Some(org_total as u64));
    let mut tx = store.db.begin().await?;
    let create = async |tx: &mut restore::Tx,
                        code: String,
                        name: &str,
                        kind: OrgKind,
                        parent: Option<i64>,
                        founded_on: Date| {
        let new = NewOrg {
            code,
            name: name.to_owned(),
            kind,
            parent_id: parent,
            founded_on,
            decision: None,
        };
        let org = store.insert_org(tx, &actor, &scope, &new, None).await?;
        progress.advance(1);
        Ok::<_, StoreError>(org)
    };
    let central = create(
        &mut tx,
        CENTRAL_CODE.into(),
        "Ban Chấp hành Trung ương",
        OrgKind::Central,
        None,
        ymd(1930, 2, 3),
    )
    .await?;
    let province = create(
        &mut tx,
        PROVINCE_CODE.into(),
        "Đảng bộ tỉnh Bình Thuận",
        OrgKind::Provincial,
        Some(central.id),
        ymd(1992, 4, 1),
    )
    .await?;
    for (code, name) in COMMUNES {
        create(
            &mut tx,
            (*code).into(),
            name,
            OrgKind::Commune,
            Some(province.id),
            ymd(2025, 7, 1),
        )
        .await?;
    }
    let town = create(
        &mut tx,
        TOWN_CODE.into(),
        "Đảng bộ thị xã La Gi",
        OrgKind::District,
        Some(province.id),
        ymd(2005, 9, 5),
    )
    .await?;
    let mut cells: Vec<Cell> = Vec::new();
    let mut committee_ids = Vec::new();
    for c in COMMITTEES {
        let committee = create(
            &mut tx,
            c.code.into(),
            c.name,
            OrgKind::GrassrootsCommittee,
            Some(town.id),
            ymd(2005, 9, 5),
        )
        .await?;
        committee_ids.push((c.code, committee.id));
        let names: Vec<String> = match &c.cells {
            Cells::Numbered(prefix, n) => (1..=*n).map(|k| format!("{prefix} {k}")).collect(),
            Cells::Named(list) => list.iter().map(|s| (*s).to_owned()).collect(),
        };
        let (lo, hi) = if matches!(c.cells, Cells::Named(_)) {
            (8, 20)
        } else {
            (12, 24)
        };
        for (k, name) in names.iter().enumerate() {
            let founded = ymd(2005, 9, 5) + chrono::Duration::days(rng.range(0, 2_400));
            let code = format!("{}.{}", c.code, k + 1);
            let cell = create(
                &mut tx,
                code.clone(),
                name,
                OrgKind::Cell,
                Some(committee.id),
                founded,
            )
            .await?;
            cells.push(Cell {
                id: cell.id,
                code,
                founded,
                weight: rng.range(lo, hi),
            });
        }
    }
    for (i, name) in GRASSROOTS_CELLS.iter().enumerate() {
        let founded = ymd(2005, 9, 5) + chrono::Duration::days(rng.range(0, 3_000));
        let code = format!("{TOWN_CODE}.CB{:02}", i + 1);
        let cell = create(
            &mut tx,
            code.clone(),
            name,
            OrgKind::GrassrootsCell,
            Some(town.id),
            founded,
        )
        .await?;
        cells.push(Cell {
            id: cell.id,
            code,
            founded,
            weight: rng.range(6, 24),
        });
    }
    tx.commit().await.map_err(StoreError::from)?;
    summary.organizations = org_total;

    // 2. The members, in one transaction: 2,954 active, then those who will leave.
    let counts = share(ACTIVE_MEMBERS, &cells);
    let merge_source = find(&cells, structure::MERGED_CELLS.0)?;
    let merge_target = find(&cells, structure::MERGED_CELLS.1)?;
    let former = FORMER_DECEASED + FORMER_REMOVED + FORMER_TRANSFERRED_OUT;
    progress.start("members", Some(ACTIVE_MEMBERS as u64 + former as u64));
    let mut tx = store.db.begin().await?;
    let mut index = 0usize;
    // (member id, cell index) of official members who joined their cell before 2025.
    let mut settled: Vec<(i64, usize)> = Vec::new();
    for (ci, cell) in cells.iter().enumerate() {
        for _ in 0..counts[ci] {
            // The merged cell's members all joined before the merge.
            let profile = if ci == merge_source {
                Profile::Early
            } else {
                *rng.weighted(&[
                    (880, Profile::Official),
                    (75, Profile::Probationary),
                    (30, Profile::Exempt),
                    (15, Profile::TemporarilyExempt),
                ])
            };
            let new = new_member(&mut rng, index, cell.id, cell.founded, profile);
            index += 1;
            let early = new.status == MemberStatus::Official && new.joined_on < ymd(2025, 1, 1);
            let m = store
                .create_member_in_tx(&mut tx, &actor, &scope, &new)
                .await?;
            if early {
                settled.push((m.id, if ci == merge_source { merge_target } else { ci }));
            }
            progress.advance(1);
        }
    }
    let mut leaving = Vec::with_capacity(former);
    for k in 0..former {
        let ci = loop {
            let ci = rng.range(0, cells.len() as i64 - 1) as usize;
            if ci != merge_source {
                break ci;
            }
        };
        let profile = if k < FORMER_DECEASED {
            Profile::Elderly
        } else {
            Profile::Early
        };
        let new = new_member(&mut rng, index, cells[ci].id, cells[ci].founded, profile);
        index += 1;
        let m = store
            .create_member_in_tx(&mut tx, &actor, &scope, &new)
            .await?;
        leaving.push((m.id, new.status_since));
        progress.advance(1);
    }
    tx.commit().await.map_err(StoreError::from)?;
    summary.active_members = ACTIVE_MEMBERS as usize;
    summary.former_members = former;

    // 3. Tree history: a cell moves to another committee, two cells merge.
    progress.start("history", None);
    let moved = cells[find(&cells, structure::MOVED_CELL.0)?].id;
    let new_parent = committee_ids
        .iter()
        .find(|(code, _)| *code == structure::MOVED_CELL.1)
        .map(|(_, id)| *id)
        .ok_or_else(|| InterchangeError::File("the demo's moved cell has no target".into()))?;
    let (y, m, d) = structure::MOVED_ON;
    store
        .move_org(
            &actor,
            &scope,
            moved,
            new_parent,
            ymd(y, m, d),
            Some("215-QĐ/TU"),
            None,
        )
        .await?;
    let (y, m, d) = structure::MERGED_ON;
    store
        .merge_orgs(
            &actor,
            &scope,
            &[cells[merge_source].id],
            cells[merge_target].id,
            ymd(y, m, d),
            Some("412-QĐ/TU"),
            None,
        )
        .await?;

    // 4. Members who left, and transfers between cells, in one transaction.
    let mut tx = store.db.begin().await?;
    for (k, (id, since)) in leaving.iter().enumerate() {
        let status = if k < FORMER_DECEASED {
            MemberStatus::Deceased
        } else if k < FORMER_DECEASED + FORMER_REMOVED {
            MemberStatus::Removed
        } else {
            MemberStatus::TransferredOut
        };
        let reason = match status {
            MemberStatus::Deceased => "Từ trần",
            MemberStatus::Removed => {
                "Bỏ sinh hoạt chi bộ 3 tháng trong năm không có lý do chính đáng"
            }
            _ => "Chuyển sinh hoạt đảng chính thức ra ngoài Đảng bộ thị xã",
        };
        let on = (*since + chrono::Duration::days(30)).max(ymd(2025, 1, 1))
            + chrono::Duration::days(rng.range(0, 300));
        store
            .change_status_in_tx(&mut tx, &actor, &scope, *id, status, on, Some(reason))
            .await?;
    }
    let active_cells: Vec<usize> = (0..cells.len()).filter(|c| *c != merge_source).collect();
    for k in 0..OFFICIAL_TRANSFERS + TEMPORARY_TRANSFERS {
        let pick = rng.range(0, settled.len() as i64 - 1) as usize;
        let (id, from) = settled.swap_remove(pick);
        let to = loop {
            let to = *rng.pick(&active_cells);
            if to != from {
                break to;
            }
        };
        let on = ymd(2025, 2, 1) + chrono::Duration::days(rng.range(0, 280));
        let transfer = if k < OFFICIAL_TRANSFERS {
            Transfer {
                to_org: cells[to].id,
                kind: MembershipKind::Official,
                on,
                until: None,
            }
        } else {
            Transfer {
                to_org: cells[to].id,
                kind: MembershipKind::Temporary,
                on,
                until: Some(on + chrono::Duration::days(rng.range(90, 365))),
            }
        };
        store
            .transfer_member_in_tx(&mut tx, &actor, &scope, id, transfer)
            .await?;
        summary.transfers += 1;
    }
    tx.commit().await.map_err(StoreError::from)?;

    // 5. A year of meetings in every cell that lived through it, and the documents.
    let living: Vec<i64> = cells
        .iter()
        .enumerate()
        .filter(|(ci, _)| *ci != merge_source)
        .map(|(_, c)| c.id)
        .collect();
    let supervised: Vec<activity::Supervision> = committee_ids
        .iter()
        .filter_map(|(code, committee_id)| {
            let cell = |k: usize| {
                let code = format!("{code}.{k}");
                cells
                    .iter()
                    .position(|c| c.code == code)
                    .filter(|ci| *ci != merge_source)
                    .map(|ci| cells[ci].id)
            };
            Some(activity::Supervision {
                committee_id: *committee_id,
                cell_id: cell(1)?,
                observer_cell_id: cell(2)?,
            })
        })
        .collect();
    let done = activity::load(
        store,
        &actor,
        progress,
        &living,
        &supervised,
        central.id,
        province.id,
    )
    .await?;
    summary.supervised_meetings = done.supervised_meetings;
    summary.meetings_held = done.meetings_held;
    summary.attendance_records = done.attendance_records;
    summary.documents = done.documents;

    // 6. A candidate pipeline and a probation list, in a cell of Tân Minh outside La Gi so
    // that the seed's counts of La Gi stay as reported.
    let tan_minh = store.org_by_code(&scope, "BT.TANMINH").await?;
    let cell = store
        .create_org(
            &actor,
            &scope,
            NewOrg {
                code: PIPELINE_CELL_CODE.into(),
                name: "Chi bộ thôn Tân Lý".into(),
                kind: OrgKind::GrassrootsCell,
                parent_id: Some(tan_minh.id),
                founded_on: ymd(2025, 7, 1),
                decision: None,
            },
        )
        .await?;
    summary.organizations += 1;
    let today = chrono::Local::now().date_naive();
    let pipeline = store.demo_lifecycle(&actor, cell.id, today).await?;
    summary.candidates = pipeline.candidates.len();
    summary.probationary_in_pipeline = pipeline.probationary.len();

    // 7. The annual review of the two last years, as the seeds report it (most members and
    // organizations "good or better"), under the rulebook of each year.
    let year = chrono::Datelike::year(&today);
    summary.classifications = store
        .demo_classifications(&actor, &[year - 2, year - 1], today)
        .await?;
    progress.finish();
    Ok(summary)
}

fn find(cells: &[Cell], code: &str) -> InterchangeResult<usize> {
    cells
        .iter()
        .position(|c| c.code == code)
        .ok_or_else(|| InterchangeError::File(format!("the demo has no cell {code}")))
}

/// Shares `total` members among the cells by weight, each cell keeping at least three (a
/// cell needs three official members), the rounding remainder going to the first cells.
fn share(total: i64, cells: &[Cell]) -> Vec<i64> {
    let weights: i64 = cells.iter().map(|c| c.weight).sum();
    let mut counts: Vec<i64> = cells
        .iter()
        .map(|c| (c.weight * total / weights.max(1)).max(3))
        .collect();
    let mut diff = total - counts.iter().sum::<i64>();
    let mut i = 0;
    while diff != 0 && !counts.is_empty() {
        let k = i % counts.len();
        if diff > 0 {
            counts[k] += 1;
            diff -= 1;
        } else if counts[k] > 3 {
            counts[k] -= 1;
            diff += 1;
        }
        i += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_structure_matches_seed_000() {
        assert_eq!(COMMITTEES.len() as i64, GRASSROOTS_COMMITTEES);
        assert_eq!(GRASSROOTS_CELLS.len() as i64, GRASSROOTS_CELLS_COUNT);
        let cells: usize = COMMITTEES
            .iter()
            .map(|c| match &c.cells {
                Cells::Numbered(_, n) => *n,
                Cells::Named(list) => list.len(),
            })
            .sum();
        // One more than the seed: it is merged away in 2024.
        assert_eq!(cells as i64, CELLS_UNDER_COMMITTEES + 1);
    }

    #[test]
    fn shares_add_up_with_three_at_least() {
        let cells: Vec<Cell> = (0..10)
            .map(|i| Cell {
                id: i,
                code: String::new(),
                founded: ymd(2005, 9, 5),
                weight: 1 + i,
            })
            .collect();
        let counts = share(100, &cells);
        assert_eq!(counts.iter().sum::<i64>(), 100);
        assert!(counts.iter().all(|n| *n >= 3));
    }
}
