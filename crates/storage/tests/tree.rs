#![allow(clippy::unwrap_used)] // Tests fail loudly by design.

//! The organization tree: creation, history, merge, split, move, dissolve, rollups.
//! Runs on SQLite, and on PostgreSQL when GRASSROOTS_TEST_DATABASE_URL is set.

use grassroots_domain::DomainError;
use grassroots_domain::org::OrgKind;
use grassroots_storage::audit;
use grassroots_storage::members::{MemberReader, MemberWriter, NewMember};
use grassroots_storage::orgs::{NewOrg, Org, OrgReader, OrgWriter, SplitPart};
use grassroots_storage::rollup;
use grassroots_storage::testing::fresh_store;
use grassroots_storage::{Actor, Scope, Store, StoreError};

mod support;
use support::{actor, d};

async fn org(store: &Store, code: &str, kind: OrgKind, parent: Option<&Org>) -> Org {
    store
        .create_org(
            &actor(),
            &Scope::all(),
            NewOrg {
                code: code.into(),
                name: format!("Tổ chức {code}"),
                kind,
                parent_id: parent.map(|p| p.id),
                founded_on: d("2020-01-01"),
                decision: None,
            },
        )
        .await
        .unwrap()
}

async fn member(store: &Store, name: &str, cell: &Org) -> i64 {
    let identity = grassroots_domain::member::MemberIdentity {
        full_name: name.into(),
        birth_date: d("1985-04-30"),
        gender: grassroots_domain::member::Gender::Female,
        ethnicity: "Kinh".into(),
        citizen_id: None,
        party_card_no: None,
        admitted_on: Some(d("2010-05-19")),
        official_on: Some(d("2011-05-19")),
    };
    store
        .create_member(
            &actor(),
            &Scope::all(),
            NewMember {
                identity,
                org_id: cell.id,
                status: grassroots_domain::member::MemberStatus::Official,
                status_since: d("2011-05-19"),
                joined_on: d("2020-01-01"),
            },
        )
        .await
        .unwrap()
        .id
}

fn codes(tree: &[grassroots_storage::orgs::OrgVersion]) -> Vec<String> {
    tree.iter().map(|v| v.code.clone()).collect()
}

async fn assert_rollups_consistent(store: &Store, ids: &[i64]) {
    let mut before = Vec::new();
    for id in ids {
        before.push(rollup::subtree_counts(&store.db, *id).await.unwrap());
    }
    rollup::rebuild(&store.db).await.unwrap();
    for (id, b) in ids.iter().zip(before) {
        let after = rollup::subtree_counts(&store.db, *id).await.unwrap();
        assert_eq!(
            b, after,
            "incremental rollups of org {id} differ from a rebuild"
        );
    }
}

#[tokio::test]
async fn merge_keeps_the_tree_answerable_before_and_after() {
    let store = fresh_store().await;
    let province = org(&store, "P", OrgKind::Provincial, None).await;
    let district = org(&store, "P.D", OrgKind::District, Some(&province)).await;
    let a = org(&store, "P.D.A", OrgKind::Commune, Some(&district)).await;
    let b = org(&store, "P.D.B", OrgKind::Commune, Some(&district)).await;
    let cell_a = org(&store, "P.D.A.1", OrgKind::GrassrootsCell, Some(&a)).await;
    let cell_b = org(&store, "P.D.B.1", OrgKind::GrassrootsCell, Some(&b)).await;
    let m1 = member(&store, "Nguyễn Thị Hoa", &cell_a).await;
    member(&store, "Trần Thị Lan", &cell_b).await;

    // 2025-07-01: the district level ends; A and B merge into a new commune AB under P.
    let ab = store
        .create_org(
            &actor(),
            &Scope::all(),
            NewOrg {
                code: "P.AB".into(),
                name: "Xã AB".into(),
                kind: OrgKind::Commune,
                parent_id: Some(province.id),
                founded_on: d("2025-07-01"),
                decision: Some("1234-QĐ/TU".into()),
            },
        )
        .await
        .unwrap();
    store
        .merge_orgs(
            &actor(),
            &Scope::all(),
            &[a.id, b.id],
            ab.id,
            d("2025-07-01"),
            Some("1234-QĐ/TU"),
            None,
        )
        .await
        .unwrap();
    store
        .dissolve_org(&actor(), &Scope::all(), district.id, d("2025-07-01"), None)
        .await
        .unwrap();

    let before = store
        .tree_as_of(&Scope::all(), province.id, d("2024-12-31"))
        .await
        .unwrap();
    assert_eq!(
        codes(&before),
        ["P", "P.D", "P.D.A", "P.D.A.1", "P.D.B", "P.D.B.1"]
    );
    let after = store
        .tree_as_of(&Scope::all(), province.id, d("2025-07-01"))
        .await
        .unwrap();
    assert_eq!(codes(&after), ["P", "P.AB", "P.D.A.1", "P.D.B.1"]);
    let cell_a_now = store.org(&Scope::all(), cell_a.id).await.unwrap();
    assert_eq!(cell_a_now.parent_id, Some(ab.id));
    assert!(
        store
            .org(&Scope::all(), a.id)
            .await
            .unwrap()
            .dissolved_on
            .is_some()
    );
    assert_eq!(
        store.org(&Scope::all(), a.id).await.unwrap().successor_id,
        Some(ab.id)
    );

    // The member's cell moved with the tree; the member is still in it.
    let m = store.member(&Scope::all(), m1).await.unwrap();
    assert_eq!(m.org_id, Some(cell_a.id));
    let ab_counts = rollup::subtree_counts(&store.db, ab.id).await.unwrap();
    assert_eq!(ab_counts.active_members(), 2);
    assert_eq!(ab_counts.orgs_by_kind.get("grassroots_cell"), Some(&2));
    let p_counts = rollup::subtree_counts(&store.db, province.id)
        .await
        .unwrap();
    assert_eq!(p_counts.orgs_by_kind.get("district"), None);
    assert_eq!(p_counts.orgs_by_kind.get("commune"), Some(&1));
    assert_rollups_consistent(&store, &[province.id, ab.id, cell_a.id]).await;

    // Counts as of a date come from the history, and agree with the rollups for today.
    let then = store
        .counts_as_of(&Scope::all(), district.id, d("2024-12-31"))
        .await
        .unwrap();
    assert_eq!(then.orgs_by_kind.get("commune"), Some(&2));
    assert_eq!(then.orgs_by_kind.get("grassroots_cell"), Some(&2));
    assert_eq!(then.members_by_status.get("official"), Some(&2));
    let gone = store
        .counts_as_of(&Scope::all(), district.id, d("2025-07-01"))
        .await
        .unwrap();
    assert_eq!(gone, Default::default());
    let today = chrono::Local::now().date_naive();
    let now = store
        .counts_as_of(&Scope::all(), province.id, today)
        .await
        .unwrap();
    assert_eq!(
        now,
        rollup::subtree_counts(&store.db, province.id)
            .await
            .unwrap()
    );

    // The history of the cell shows both parents.
    let history = store.history(&Scope::all(), cell_a.id).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].parent_id, Some(a.id));
    assert_eq!(history[0].valid_to, Some(d("2025-07-01")));
    assert_eq!(history[1].parent_id, Some(ab.id));
    assert_eq!(history[1].path, format!("{}{}/", ab.path, cell_a.id));
}

#[tokio::test]
async fn reparent_moves_the_subtree_and_its_members() {
    let store = fresh_store().await;
    let p = org(&store, "P", OrgKind::Provincial, None).await;
    let c1 = org(&store, "C1", OrgKind::Commune, Some(&p)).await;
    let c2 = org(&store, "C2", OrgKind::Commune, Some(&p)).await;
    let gc = org(&store, "GC", OrgKind::GrassrootsCommittee, Some(&c1)).await;
    let cell = org(&store, "GC.1", OrgKind::Cell, Some(&gc)).await;
    member(&store, "Lê Văn Tám", &cell).await;
    member(&store, "Phạm Thị Mai", &cell).await;

    store
        .move_org(
            &actor(),
            &Scope::all(),
            gc.id,
            c2.id,
            d("2025-07-01"),
            None,
            None,
        )
        .await
        .unwrap();
    let moved_cell = store.org(&Scope::all(), cell.id).await.unwrap();
    assert_eq!(
        moved_cell.path,
        format!("/{}/{}/{}/{}/", p.id, c2.id, gc.id, cell.id)
    );
    assert_eq!(
        rollup::subtree_counts(&store.db, c1.id)
            .await
            .unwrap()
            .active_members(),
        0
    );
    assert_eq!(
        rollup::subtree_counts(&store.db, c2.id)
            .await
            .unwrap()
            .active_members(),
        2
    );

    let old = store
        .tree_as_of(&Scope::all(), c1.id, d("2025-06-30"))
        .await
        .unwrap();
    assert_eq!(codes(&old), ["C1", "GC", "GC.1"]);
    let new = store
        .tree_as_of(&Scope::all(), c1.id, d("2025-07-01"))
        .await
        .unwrap();
    assert_eq!(codes(&new), ["C1"]);
    let new2 = store
        .tree_as_of(&Scope::all(), c2.id, d("2025-07-01"))
        .await
        .unwrap();
    assert_eq!(codes(&new2), ["C2", "GC", "GC.1"]);

    // The members are now visible in C2's scope and not in C1's.
    let page = store
        .list_members(
            &Scope::subtree(moved_cell.path.clone()),
            &Default::default(),
        )
        .await
        .unwrap();
    assert_eq!(page.rows.len(), 2);
    let c1_scope = Scope::subtree(store.org(&Scope::all(), c1.id).await.unwrap().path);
    let page = store
        .list_members(&c1_scope, &Default::default())
        .await
        .unwrap();
    assert!(page.rows.is_empty());

    // A move under its own subtree is refused.
    let err = store
        .move_org(
            &actor(),
            &Scope::all(),
            c2.id,
            c2.id,
            d("2025-07-02"),
            None,
            None,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Domain(DomainError::Invalid { .. })),
        "{err:?}"
    );
    assert_rollups_consistent(&store, &[p.id, c1.id, c2.id, gc.id]).await;
}

#[tokio::test]
async fn split_must_place_every_member_or_nothing_happens() {
    let store = fresh_store().await;
    let p = org(&store, "P", OrgKind::Provincial, None).await;
    let c = org(&store, "C", OrgKind::Commune, Some(&p)).await;
    let gc = org(&store, "GC", OrgKind::GrassrootsCommittee, Some(&c)).await;
    let cell = org(&store, "GC.1", OrgKind::Cell, Some(&gc)).await;
    let m1 = member(&store, "Đỗ Văn Hùng", &cell).await;
    let m2 = member(&store, "Võ Thị Sáu", &cell).await;
    let part = |code: &str, members: Vec<i64>| SplitPart {
        org: NewOrg {
            code: code.into(),
            name: format!("Chi bộ {code}"),
            kind: OrgKind::Cell,
            parent_id: Some(gc.id),
            founded_on: d("2025-01-01"),
            decision: None,
        },
        child_org_ids: vec![],
        member_ids: members,
    };
    let err = store
        .split_org(
            &actor(),
            &Scope::all(),
            cell.id,
            vec![part("GC.1a", vec![m1]), part("GC.1b", vec![])],
            d("2025-03-01"),
            None,
            None,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Domain(DomainError::Conflict(_))),
        "{err:?}"
    );
    // Nothing was written: the parts do not exist, the cell still holds both.
    assert!(store.org_by_code(&Scope::all(), "GC.1a").await.is_err());
    assert_eq!(
        store.member(&Scope::all(), m1).await.unwrap().org_id,
        Some(cell.id)
    );

    let parts = store
        .split_org(
            &actor(),
            &Scope::all(),
            cell.id,
            vec![part("GC.1a", vec![m1]), part("GC.1b", vec![m2])],
            d("2025-03-01"),
            None,
            None,
        )
        .await
        .unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(
        store.member(&Scope::all(), m2).await.unwrap().org_id,
        Some(parts[1].id)
    );
    let where_before = store
        .where_on(&Scope::all(), m2, d("2025-02-28"))
        .await
        .unwrap();
    assert_eq!(where_before[0].org_id, cell.id);
    let where_after = store
        .where_on(&Scope::all(), m2, d("2025-03-01"))
        .await
        .unwrap();
    assert_eq!(where_after.len(), 1);
    assert_eq!(where_after[0].org_id, parts[1].id);
    assert_rollups_consistent(&store, &[p.id, gc.id, parts[0].id]).await;
}

#[tokio::test]
async fn rules_of_the_tree_are_enforced() {
    let store = fresh_store().await;
    let p = org(&store, "P", OrgKind::Provincial, None).await;
    let c = org(&store, "C", OrgKind::Commune, Some(&p)).await;
    // A cell cannot sit under a commune committee.
    let err = store
        .create_org(
            &actor(),
            &Scope::all(),
            NewOrg {
                code: "X".into(),
                name: "X".into(),
                kind: OrgKind::Cell,
                parent_id: Some(c.id),
                founded_on: d("2020-01-01"),
                decision: None,
            },
        )
        .await
        .unwrap_err();
    match err {
        StoreError::Domain(DomainError::Invalid { field, .. }) => assert_eq!(field, "parent"),
        other => panic!("{other:?}"),
    }
    // Duplicate codes are conflicts.
    let err = store
        .create_org(
            &actor(),
            &Scope::all(),
            NewOrg {
                code: "C".into(),
                name: "Again".into(),
                kind: OrgKind::Commune,
                parent_id: Some(p.id),
                founded_on: d("2020-01-01"),
                decision: None,
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Domain(DomainError::Conflict(_))),
        "{err:?}"
    );
    // A committee with a cell inside cannot be dissolved.
    let gcell = org(&store, "C.1", OrgKind::GrassrootsCell, Some(&c)).await;
    let err = store
        .dissolve_org(&actor(), &Scope::all(), c.id, d("2025-01-01"), None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Domain(DomainError::Conflict(_))),
        "{err:?}"
    );
    // Outside a caller's scope an organization does not exist.
    let scope = Scope::subtree(gcell.path.clone());
    assert!(matches!(
        store.org(&scope, p.id).await.unwrap_err(),
        StoreError::Domain(DomainError::NotFound { .. })
    ));
    assert_eq!(
        store
            .find_orgs(&Scope::all(), "to chuc c", 10)
            .await
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn every_write_is_in_the_audit_log() {
    let store = fresh_store().await;
    let p = org(&store, "P", OrgKind::Provincial, None).await;
    let c = org(&store, "C", OrgKind::Commune, Some(&p)).await;
    store
        .rename_org(
            &Actor::new("an.nguyen"),
            &Scope::all(),
            c.id,
            "Phường Mới",
            d("2025-07-01"),
            None,
        )
        .await
        .unwrap();
    let entries = audit::list(
        &store.db,
        &Scope::all(),
        Some(("org", &c.id.to_string())),
        10,
    )
    .await
    .unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].action, "org.rename");
    assert_eq!(entries[0].actor, "an.nguyen");
    assert_eq!(entries[0].before.as_ref().unwrap()["name"], "Tổ chức C");
    assert_eq!(entries[0].after.as_ref().unwrap()["name"], "Phường Mới");
    // A caller scoped to another branch sees none of it.
    let other = org(&store, "C2", OrgKind::Commune, Some(&p)).await;
    let scoped = audit::list(&store.db, &Scope::subtree(other.path), None, 10)
        .await
        .unwrap();
    assert!(scoped.iter().all(|e| e.entity_id == other.id.to_string()));
}
