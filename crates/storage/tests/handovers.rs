#![allow(clippy::unwrap_used)] // Tests fail loudly by design.

//! Block transfers with handover minutes: a merger, a split and a move record their minutes
//! (who handed what to whom, the member list) in the tree change's own transaction, and
//! history still answers where a member was on any day across the transfer.
//! Runs on SQLite, and on PostgreSQL when GRASSROOTS_TEST_DATABASE_URL is set.

use grassroots_domain::DomainError;
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus};
use grassroots_domain::org::{OrgKind, TreeChange};
use grassroots_storage::handovers::HandoverMinutes;
use grassroots_storage::members::{MemberReader, MemberWriter, NewMember};
use grassroots_storage::orgs::{NewOrg, Org, OrgReader, OrgWriter, SplitPart};
use grassroots_storage::testing::fresh_store;
use grassroots_storage::{Backend, Scope, Store, StoreError};

mod support;
use support::{actor, all, d};

async fn org(store: &Store, code: &str, kind: OrgKind, parent: Option<&Org>) -> Org {
    store
        .create_org(
            &actor(),
            &all(),
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
    store
        .create_member(
            &actor(),
            &all(),
            NewMember {
                identity: MemberIdentity {
                    full_name: name.into(),
                    birth_date: d("1985-04-30"),
                    gender: Gender::Female,
                    ethnicity: "Kinh".into(),
                    citizen_id: None,
                    party_card_no: None,
                    admitted_on: Some(d("2010-05-19")),
                    official_on: Some(d("2011-05-19")),
                },
                org_id: cell.id,
                status: MemberStatus::Official,
                status_since: d("2011-05-19"),
                joined_on: d("2020-01-01"),
            },
        )
        .await
        .unwrap()
        .id
}

fn minutes(no: &str) -> HandoverMinutes {
    HandoverMinutes {
        minutes_no: no.into(),
        signed_on: d("2025-06-30"),
        handed_by: "Nguyễn Văn Bình".into(),
        received_by: "Trần Thị Lan".into(),
        note: Some("Bàn giao hồ sơ đảng viên".into()),
    }
}

/// The cells a member took part in on `day`, by code.
async fn cells_on(store: &Store, id: i64, day: &str) -> Vec<String> {
    store
        .where_on(&all(), id, d(day))
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.org_code)
        .collect()
}

/// The parent of an organization on `day`, by code.
async fn parent_on(store: &Store, root: &Org, id: i64, day: &str) -> Option<String> {
    let tree = store.tree_as_of(&all(), root.id, d(day)).await.unwrap();
    let parent_id = tree.iter().find(|v| v.org_id == id)?.parent_id?;
    tree.iter()
        .find(|v| v.org_id == parent_id)
        .map(|v| v.code.clone())
}

#[tokio::test]
async fn a_merger_records_its_minutes_and_history_answers_where_a_member_was() {
    let store = fresh_store().await;
    let p = org(&store, "P", OrgKind::Provincial, None).await;
    let a = org(&store, "A", OrgKind::Commune, Some(&p)).await;
    let b = org(&store, "B", OrgKind::Commune, Some(&p)).await;
    let a1 = org(&store, "A.1", OrgKind::GrassrootsCell, Some(&a)).await;
    let a2 = org(&store, "A.2", OrgKind::GrassrootsCell, Some(&a)).await;
    org(&store, "B.1", OrgKind::GrassrootsCell, Some(&b)).await;
    let hoa = member(&store, "Nguyễn Thị Hoa", &a1).await;
    member(&store, "Lê Văn Tám", &a1).await;
    let gone = member(&store, "Phạm Văn Cũ", &a2).await;
    store
        .change_status(
            &actor(),
            &all(),
            gone,
            MemberStatus::Deceased,
            d("2024-01-01"),
            None,
        )
        .await
        .unwrap();

    store
        .merge_orgs(
            &actor(),
            &all(),
            &[a.id],
            b.id,
            d("2025-07-01"),
            Some("1234-QĐ/TU"),
            Some(&minutes("05/BB-BG")),
        )
        .await
        .unwrap();

    // The minutes: A handed two cells and the two living members over to B.
    let given = store.org_handovers(&all(), a.id).await.unwrap();
    assert_eq!(given, store.org_handovers(&all(), b.id).await.unwrap());
    assert_eq!(given.len(), 1);
    let h = &given[0];
    assert_eq!(
        (
            h.change,
            h.effective_on,
            h.decision.as_deref(),
            h.minutes_no.as_str(),
            h.from_org_id,
            h.to_org_id,
            h.org_count,
            h.member_count,
        ),
        (
            TreeChange::Merged,
            d("2025-07-01"),
            Some("1234-QĐ/TU"),
            "05/BB-BG",
            a.id,
            b.id,
            2,
            2
        )
    );
    assert_eq!(
        (h.handed_by.as_str(), h.received_by.as_str()),
        ("Nguyễn Văn Bình", "Trần Thị Lan")
    );
    let listed = store.handover_members(&all(), h.id).await.unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|m| (m.full_name.as_str(), m.org_code.as_str()))
            .collect::<Vec<_>>(),
        // Vietnamese order: by given name first.
        vec![("Nguyễn Thị Hoa", "A.1"), ("Lê Văn Tám", "A.1")]
    );
    assert_eq!(store.member_handovers(&all(), hoa).await.unwrap(), given);
    assert!(
        store
            .member_handovers(&all(), gone)
            .await
            .unwrap()
            .is_empty()
    );

    // Where was Hoa? In cell A.1 throughout, under A before the merger and B from it on.
    for day in ["2025-06-30", "2025-07-01", "2025-12-31"] {
        assert_eq!(cells_on(&store, hoa, day).await, vec!["A.1"], "{day}");
    }
    assert_eq!(
        parent_on(&store, &p, a1.id, "2025-06-30").await.as_deref(),
        Some("A")
    );
    assert_eq!(
        parent_on(&store, &p, a1.id, "2025-07-01").await.as_deref(),
        Some("B")
    );
    // A's own record keeps the minutes after it is dissolved.
    assert_eq!(
        store.org(&all(), a.id).await.unwrap().dissolved_on,
        Some(d("2025-07-01"))
    );
    // Each side sees the minutes; an unrelated subtree does not.
    let b_only = Scope::subtree(store.org(&all(), b.id).await.unwrap().path);
    assert_eq!(store.handover(&b_only, h.id).await.unwrap().id, h.id);
    let elsewhere = org(&store, "C", OrgKind::Commune, Some(&p)).await;
    assert!(matches!(
        store
            .handover(&Scope::subtree(elsewhere.path), h.id)
            .await
            .unwrap_err(),
        StoreError::Domain(DomainError::NotFound { .. })
    ));
}

#[tokio::test]
async fn a_cell_merged_into_another_hands_over_its_members_who_change_cell_that_day() {
    let store = fresh_store().await;
    let p = org(&store, "P", OrgKind::Provincial, None).await;
    let gc = org(&store, "GC", OrgKind::GrassrootsCommittee, Some(&p)).await;
    let x = org(&store, "GC.X", OrgKind::Cell, Some(&gc)).await;
    let y = org(&store, "GC.Y", OrgKind::Cell, Some(&gc)).await;
    let an = member(&store, "Võ Văn An", &x).await;
    member(&store, "Đỗ Thị Yến", &y).await;
    store
        .merge_orgs(
            &actor(),
            &all(),
            &[x.id],
            y.id,
            d("2025-07-01"),
            None,
            Some(&minutes("07/BB-BG")),
        )
        .await
        .unwrap();
    let h = &store.org_handovers(&all(), y.id).await.unwrap()[0];
    assert_eq!((h.org_count, h.member_count), (0, 1));
    assert_eq!(
        store.handover_members(&all(), h.id).await.unwrap()[0].org_code,
        "GC.X"
    );
    assert_eq!(cells_on(&store, an, "2025-06-30").await, vec!["GC.X"]);
    assert_eq!(cells_on(&store, an, "2025-07-01").await, vec!["GC.Y"]);
    assert_eq!(
        store.member(&all(), an).await.unwrap().org_id,
        Some(y.id),
        "the member is in exactly one cell, the receiving one"
    );
}

#[tokio::test]
async fn a_split_records_minutes_for_each_part() {
    let store = fresh_store().await;
    let p = org(&store, "P", OrgKind::Provincial, None).await;
    let gc = org(&store, "GC", OrgKind::GrassrootsCommittee, Some(&p)).await;
    let cell = org(&store, "GC.1", OrgKind::Cell, Some(&gc)).await;
    let m1 = member(&store, "Đỗ Văn Hùng", &cell).await;
    let m2 = member(&store, "Võ Thị Sáu", &cell).await;
    let m3 = member(&store, "Lý Văn Bảy", &cell).await;
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
    let parts = store
        .split_org(
            &actor(),
            &all(),
            cell.id,
            vec![part("GC.1a", vec![m1, m3]), part("GC.1b", vec![m2])],
            d("2025-07-01"),
            Some("9-QĐ/ĐU"),
            Some(&minutes("08/BB-BG")),
        )
        .await
        .unwrap();
    let given = store.org_handovers(&all(), cell.id).await.unwrap();
    assert_eq!(
        given
            .iter()
            .map(|h| (h.to_org_id, h.member_count, h.change))
            .collect::<Vec<_>>(),
        vec![
            (parts[0].id, 2, TreeChange::Split),
            (parts[1].id, 1, TreeChange::Split)
        ]
    );
    assert_eq!(
        store
            .handover_members(&all(), given[1].id)
            .await
            .unwrap()
            .iter()
            .map(|m| m.member_id)
            .collect::<Vec<_>>(),
        vec![m2]
    );
    assert_eq!(cells_on(&store, m2, "2025-06-30").await, vec!["GC.1"]);
    assert_eq!(cells_on(&store, m2, "2025-07-01").await, vec!["GC.1b"]);
}

#[tokio::test]
async fn a_move_records_the_old_parent_handing_over_to_the_new_one() {
    let store = fresh_store().await;
    let p = org(&store, "P", OrgKind::Provincial, None).await;
    let district = org(&store, "P.D", OrgKind::District, Some(&p)).await;
    let commune = org(&store, "P.D.C", OrgKind::Commune, Some(&district)).await;
    let cell = org(&store, "P.D.C.1", OrgKind::GrassrootsCell, Some(&commune)).await;
    let hoa = member(&store, "Nguyễn Thị Hoa", &cell).await;
    store
        .move_org(
            &actor(),
            &all(),
            commune.id,
            p.id,
            d("2025-07-01"),
            Some("60-NQ/TW"),
            Some(&minutes("01/BB-BG")),
        )
        .await
        .unwrap();
    let h = &store.org_handovers(&all(), district.id).await.unwrap()[0];
    assert_eq!(
        (h.from_org_id, h.to_org_id, h.org_count, h.member_count),
        (district.id, p.id, 2, 1)
    );
    assert_eq!(
        parent_on(&store, &p, commune.id, "2025-06-30")
            .await
            .as_deref(),
        Some("P.D")
    );
    assert_eq!(
        parent_on(&store, &p, commune.id, "2025-07-01")
            .await
            .as_deref(),
        Some("P")
    );
    assert_eq!(cells_on(&store, hoa, "2025-07-01").await, vec!["P.D.C.1"]);
    // A root has nobody to hand it over.
    let other = org(&store, "Q", OrgKind::Provincial, None).await;
    let err = store
        .move_org(
            &actor(),
            &all(),
            other.id,
            p.id,
            d("2025-07-01"),
            None,
            Some(&minutes("02/BB-BG")),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Domain(_)), "{err:?}");
}

#[tokio::test]
async fn incomplete_or_failing_minutes_leave_the_tree_as_it_was() {
    let store = fresh_store().await;
    let p = org(&store, "P", OrgKind::Provincial, None).await;
    let gc = org(&store, "GC", OrgKind::GrassrootsCommittee, Some(&p)).await;
    let x = org(&store, "GC.X", OrgKind::Cell, Some(&gc)).await;
    let y = org(&store, "GC.Y", OrgKind::Cell, Some(&gc)).await;
    let an = member(&store, "Võ Văn An", &x).await;
    let merge = |m: HandoverMinutes| {
        let store = &store;
        async move {
            store
                .merge_orgs(
                    &actor(),
                    &all(),
                    &[x.id],
                    y.id,
                    d("2025-07-01"),
                    None,
                    Some(&m),
                )
                .await
        }
    };
    for (field, bad) in [
        (
            "handover.minutes_no",
            HandoverMinutes {
                minutes_no: " ".into(),
                ..minutes("x")
            },
        ),
        (
            "handover.received_by",
            HandoverMinutes {
                received_by: String::new(),
                ..minutes("09/BB-BG")
            },
        ),
        (
            "handover.signed_on",
            HandoverMinutes {
                signed_on: d("2999-01-01"),
                ..minutes("09/BB-BG")
            },
        ),
    ] {
        match merge(bad).await.unwrap_err() {
            StoreError::Domain(DomainError::Invalid { field: f, .. }) => assert_eq!(f, field),
            other => panic!("expected {field} to be refused, got {other:?}"),
        }
    }
    // The member list cannot be written: the whole merger rolls back.
    let trigger = match store.db.backend() {
        Backend::Sqlite => vec![
            "CREATE TRIGGER broken_list BEFORE INSERT ON org_handover_members \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
                .to_owned(),
        ],
        Backend::Postgres => vec![
            "CREATE OR REPLACE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$"
                .to_owned(),
            "CREATE TRIGGER broken_list BEFORE INSERT ON org_handover_members FOR EACH ROW \
             EXECUTE FUNCTION injected_failure()"
                .to_owned(),
        ],
    };
    for sql in trigger {
        sqlx::query(&sql).execute(store.db.write()).await.unwrap();
    }
    let err = merge(minutes("09/BB-BG")).await.unwrap_err();
    assert!(format!("{err:?}").contains("injected failure"), "{err:?}");
    assert!(store.org(&all(), x.id).await.unwrap().is_active());
    assert_eq!(store.member(&all(), an).await.unwrap().org_id, Some(x.id));
    assert!(store.org_handovers(&all(), y.id).await.unwrap().is_empty());
    assert_eq!(cells_on(&store, an, "2025-07-01").await, vec!["GC.X"]);
}
