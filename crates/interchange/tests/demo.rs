#![allow(clippy::unwrap_used)] // Tests fail loudly by design.
//! The La Gi demo reproduces the figures of seed 000 from the rollups.

use grassroots_domain::date::Date;
use grassroots_interchange::NoProgress;
use grassroots_interchange::demo::{self, load_la_gi};
use grassroots_storage::Scope;
use grassroots_storage::documents::DocumentFigures;
use grassroots_storage::orgs::OrgReader;
use grassroots_storage::rollup::subtree_counts;
use grassroots_storage::testing::fresh_store;

#[tokio::test]
async fn la_gi_counts_match_seed_000() {
    let store = fresh_store().await;
    let started = std::time::Instant::now();
    let summary = load_la_gi(&store, &NoProgress).await.unwrap();
    eprintln!("demo loaded in {:?}: {summary:?}", started.elapsed());
    let town = store
        .org_by_code(&Scope::all(), demo::TOWN_CODE)
        .await
        .unwrap();
    let counts = subtree_counts(&store.db, town.id).await.unwrap();
    let kind = |k: &str| counts.orgs_by_kind.get(k).copied().unwrap_or(0);
    assert_eq!(kind("grassroots_committee"), demo::GRASSROOTS_COMMITTEES);
    assert_eq!(kind("grassroots_cell"), demo::GRASSROOTS_CELLS_COUNT);
    assert_eq!(kind("cell"), demo::CELLS_UNDER_COMMITTEES);
    assert_eq!(counts.active_members(), demo::ACTIVE_MEMBERS);
    // Status mix: mostly official, some probationary, a few exempt; former members kept.
    let status = |s: &str| counts.members_by_status.get(s).copied().unwrap_or(0);
    assert!(status("official") > 2_500, "{counts:?}");
    assert!(status("probationary") > 100, "{counts:?}");
    assert!(status("exempt") > 20, "{counts:?}");
    assert!(status("deceased") > 0 && status("removed") > 0 && status("transferred_out") > 0);
    // The rollups agree with a rebuild from the records.
    grassroots_storage::rollup::rebuild(&store.db)
        .await
        .unwrap();
    assert_eq!(subtree_counts(&store.db, town.id).await.unwrap(), counts);

    // History: before the 2024 merge the town had 148 cells under its committees.
    let count_cells = |tree: &[grassroots_storage::orgs::OrgVersion]| {
        tree.iter().filter(|v| v.kind.as_str() == "cell").count()
    };
    let before = store
        .tree_as_of(
            &Scope::all(),
            town.id,
            Date::from_ymd_opt(2024, 5, 31).unwrap(),
        )
        .await
        .unwrap();
    let after = store
        .tree_as_of(
            &Scope::all(),
            town.id,
            Date::from_ymd_opt(2024, 6, 1).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(count_cells(&before), 148);
    assert_eq!(count_cells(&after), 147);
    // The moved cell sat under Bình Tân in 2022 and under Tân Thiện from 2023-03-01.
    let moved = store
        .org_by_code(&Scope::all(), "LG.BINHTAN.13")
        .await
        .unwrap();
    let history = store.history(&Scope::all(), moved.id).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_ne!(history[0].parent_id, history[1].parent_id);

    // Activity: last year's meetings in each of the 186 cells alive through it, with their
    // attendance, and the documents demonstration under the central committee.
    assert!(summary.meetings_held >= 186 * 14, "{summary:?}");
    assert!(summary.attendance_records > 2_900 * 12, "{summary:?}");
    let central = store
        .org_by_code(&Scope::all(), demo::CENTRAL_CODE)
        .await
        .unwrap();
    let province = store
        .org_by_code(&Scope::all(), demo::PROVINCE_CODE)
        .await
        .unwrap();
    assert_eq!(province.parent_id, Some(central.id));
    assert!(summary.documents >= 4, "{summary:?}");
    // Each grassroots committee attended and classified one meeting of its first cell.
    assert_eq!(summary.supervised_meetings, 11, "{summary:?}");
    let figures = store
        .document_figures(
            &Scope::all(),
            central.id,
            Date::from_ymd_opt(2000, 1, 1).unwrap(),
            Date::from_ymd_opt(2100, 1, 1).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        figures.get("documents.issued"),
        Some(summary.documents as i64),
        "{figures:?}"
    );
    assert!(
        figures.get("documents.concretized").unwrap() >= 3,
        "{figures:?}"
    );

    // The annual review of the last two years: every member and grassroots organization of
    // those years classified, most "good or better" as in the seeds, and the town's tally
    // equal to what the demo wrote for its own members.
    let c = summary.classifications;
    assert!(c.members.total() > 2 * 2_700, "{c:?}");
    assert!(
        (0.85..0.93).contains(&c.members.good_or_better_rate()),
        "{c:?}"
    );
    assert!(c.orgs.total() >= 2 * 51, "{c:?}");
    assert!(
        (0.80..0.97).contains(&c.orgs.good_or_better_rate()),
        "{c:?}"
    );
    let year = chrono::Datelike::year(&chrono::Local::now().date_naive()) - 1;
    let town = store
        .org_by_code(&Scope::all(), demo::TOWN_CODE)
        .await
        .unwrap();
    let (members, orgs) = store
        .classification_tallies(
            &Scope::all(),
            town.id,
            year,
            grassroots_storage::classification::figures::OrgsCounted::Grassroots,
        )
        .await
        .unwrap();
    assert!(members.total() > 2_800, "{members:?}");
    assert!(members.good_or_better_rate() > 0.85, "{members:?}");
    assert!(orgs.total() >= 40, "{orgs:?}");

    // A second load refuses the now non-empty database.
    let err = load_la_gi(&store, &NoProgress)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("not empty"), "{err}");
}
