#![allow(clippy::unwrap_used)] // Tests fail loudly by design.

//! The member registry: creation rules, search, order, paging, optimistic locking, status
//! changes and transfers with their history. Runs on SQLite and PostgreSQL.

use grassroots_domain::DomainError;
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus, MembershipKind};
use grassroots_domain::org::OrgKind;
use grassroots_storage::members::{MemberQuery, MemberReader, MemberWriter, NewMember, Transfer};
use grassroots_storage::orgs::{NewOrg, Org, OrgReader, OrgWriter};
use grassroots_storage::testing::fresh_store;
use grassroots_storage::{Actor, Scope, Store, StoreError, audit, rollup};

mod support;
use support::d;

async fn org(store: &Store, code: &str, kind: OrgKind, parent: Option<&Org>) -> Org {
    let new = NewOrg {
        code: code.into(),
        name: format!("Chi bộ {code}"),
        kind,
        parent_id: parent.map(|p| p.id),
        founded_on: d("2015-01-01"),
        decision: None,
    };
    store
        .create_org(&Actor::new("t"), &Scope::all(), new)
        .await
        .unwrap()
}

fn identity(name: &str) -> MemberIdentity {
    MemberIdentity {
        full_name: name.into(),
        birth_date: d("1990-01-15"),
        gender: Gender::Male,
        ethnicity: "Kinh".into(),
        citizen_id: None,
        party_card_no: None,
        admitted_on: Some(d("2015-02-03")),
        official_on: Some(d("2016-02-03")),
    }
}

async fn add(store: &Store, name: &str, cell: &Org) -> i64 {
    let new = NewMember {
        identity: identity(name),
        org_id: cell.id,
        status: MemberStatus::Official,
        status_since: d("2016-02-03"),
        joined_on: d("2016-02-03"),
    };
    store
        .create_member(&Actor::new("t"), &Scope::all(), new)
        .await
        .unwrap()
        .id
}

struct Fixture {
    store: grassroots_storage::testing::TestStore,
    cell_a: Org,
    cell_b: Org,
}

async fn fixture() -> Fixture {
    let store = fresh_store().await;
    let p = org(&store, "P", OrgKind::Provincial, None).await;
    let c = org(&store, "C", OrgKind::Commune, Some(&p)).await;
    let cell_a = org(&store, "C.A", OrgKind::GrassrootsCell, Some(&c)).await;
    let cell_b = org(&store, "C.B", OrgKind::GrassrootsCell, Some(&c)).await;
    Fixture {
        store,
        cell_a,
        cell_b,
    }
}

fn names(page: &grassroots_storage::members::MemberPage) -> Vec<&str> {
    page.rows.iter().map(|r| r.full_name.as_str()).collect()
}

#[tokio::test]
async fn search_ignores_diacritics_and_sorts_in_vietnamese_order() {
    let f = fixture().await;
    for name in [
        "Nguyễn Văn A",
        "Trần Thị Ánh",
        "Lê Văn An",
        "Nguyễn Văn Ân",
        "Phạm Đức Bình",
    ] {
        add(&f.store, name, &f.cell_a).await;
    }
    let all = f
        .store
        .list_members(&Scope::all(), &MemberQuery::default())
        .await
        .unwrap();
    assert_eq!(
        names(&all),
        [
            "Nguyễn Văn A",
            "Lê Văn An",
            "Trần Thị Ánh",
            "Nguyễn Văn Ân",
            "Phạm Đức Bình"
        ]
    );
    let q = |text: &str| MemberQuery {
        text: Some(text.into()),
        ..Default::default()
    };
    let found = f
        .store
        .list_members(&Scope::all(), &q("nguyen van a"))
        .await
        .unwrap();
    assert_eq!(names(&found), ["Nguyễn Văn A", "Nguyễn Văn Ân"]);
    let found = f
        .store
        .list_members(&Scope::all(), &q("DUC BINH"))
        .await
        .unwrap();
    assert_eq!(names(&found), ["Phạm Đức Bình"]);
    let found = f
        .store
        .list_members(&Scope::all(), &q("anh"))
        .await
        .unwrap();
    assert_eq!(names(&found), ["Trần Thị Ánh"]);
}

#[tokio::test]
async fn pages_follow_each_other_without_gaps() {
    let f = fixture().await;
    let mut expected = Vec::new();
    for i in 0..23 {
        let name = format!(
            "Hoàng Văn {}",
            ["An", "Bình", "Cường", "Dũng", "Hải"][i % 5]
        );
        add(&f.store, &name, &f.cell_a).await;
        expected.push(name);
    }
    let mut seen = Vec::new();
    let mut query = MemberQuery {
        limit: 10,
        ..Default::default()
    };
    loop {
        let page = f.store.list_members(&Scope::all(), &query).await.unwrap();
        seen.extend(page.rows.iter().map(|r| r.id));
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 23);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 23, "a member appeared on two pages");
}

#[tokio::test]
async fn a_stale_edit_is_refused_not_overwritten() {
    let f = fixture().await;
    let id = add(&f.store, "Võ Văn Kiệt", &f.cell_a).await;
    let m = f.store.member(&Scope::all(), id).await.unwrap();
    let mut first = m.identity.clone();
    first.ethnicity = "Hoa".into();
    f.store
        .update_identity(&Actor::new("one"), &Scope::all(), id, m.version, first)
        .await
        .unwrap();
    let mut second = m.identity.clone();
    second.full_name = "Võ Văn Kiệt Mới".into();
    let err = f
        .store
        .update_identity(&Actor::new("two"), &Scope::all(), id, m.version, second)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Domain(DomainError::Conflict(_))),
        "{err:?}"
    );
    let now = f.store.member(&Scope::all(), id).await.unwrap();
    assert_eq!(now.identity.ethnicity, "Hoa");
    assert_eq!(now.identity.full_name, "Võ Văn Kiệt");
    // A bad field is named.
    let mut bad = now.identity.clone();
    bad.citizen_id = Some("12".into());
    match f
        .store
        .update_identity(&Actor::new("one"), &Scope::all(), id, now.version, bad)
        .await
        .unwrap_err()
    {
        StoreError::Domain(DomainError::Invalid { field, record, .. }) => {
            assert_eq!(field, "citizen_id");
            assert_eq!(record, format!("member {id}"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn status_changes_keep_history_and_counts() {
    let f = fixture().await;
    let id = add(&f.store, "Đinh Thị Hạnh", &f.cell_a).await;
    add(&f.store, "Bùi Văn Nam", &f.cell_a).await;
    f.store
        .change_status(
            &Actor::new("t"),
            &Scope::all(),
            id,
            MemberStatus::Removed,
            d("2024-06-01"),
            Some("Charter art. 8"),
        )
        .await
        .unwrap();
    let history = f.store.status_history(&Scope::all(), id).await.unwrap();
    let statuses: Vec<_> = history
        .iter()
        .map(|s| (s.status, s.valid_from, s.valid_to))
        .collect();
    assert_eq!(
        statuses,
        [
            (
                MemberStatus::Probationary,
                d("2015-02-03"),
                Some(d("2016-02-03"))
            ),
            (
                MemberStatus::Official,
                d("2016-02-03"),
                Some(d("2024-06-01"))
            ),
            (MemberStatus::Removed, d("2024-06-01"), None),
        ]
    );
    let counts = rollup::subtree_counts(&f.store.db, f.cell_a.id)
        .await
        .unwrap();
    assert_eq!(counts.active_members(), 1);
    assert_eq!(counts.members_by_status.get("removed"), Some(&1));
    // The removed member's membership ended; a removed member cannot become official here.
    assert!(
        f.store
            .where_on(&Scope::all(), id, d("2024-06-01"))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        f.store
            .where_on(&Scope::all(), id, d("2024-05-31"))
            .await
            .unwrap()
            .len(),
        1
    );
    let err = f
        .store
        .change_status(
            &Actor::new("t"),
            &Scope::all(),
            id,
            MemberStatus::Official,
            d("2024-07-01"),
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Domain(DomainError::Invalid { .. })
    ));
    // Listing hides former members unless asked.
    let list = f
        .store
        .list_members(&Scope::all(), &MemberQuery::default())
        .await
        .unwrap();
    assert_eq!(list.rows.len(), 1);
    let q = MemberQuery {
        include_inactive: true,
        ..Default::default()
    };
    assert_eq!(
        f.store
            .list_members(&Scope::all(), &q)
            .await
            .unwrap()
            .rows
            .len(),
        2
    );
}

#[tokio::test]
async fn transfers_answer_where_a_member_was_on_a_date() {
    let f = fixture().await;
    let id = add(&f.store, "Lý Thị Thu", &f.cell_a).await;
    let actor = Actor::new("office");
    // Temporary stay at B for six months: still counted at A.
    f.store
        .transfer_member(
            &actor,
            &Scope::all(),
            id,
            Transfer {
                to_org: f.cell_b.id,
                kind: MembershipKind::Temporary,
                on: d("2024-01-01"),
                until: Some(d("2024-07-01")),
            },
        )
        .await
        .unwrap();
    let on = f
        .store
        .where_on(&Scope::all(), id, d("2024-03-01"))
        .await
        .unwrap();
    assert_eq!(on.len(), 2);
    assert_eq!(
        rollup::subtree_counts(&f.store.db, f.cell_b.id)
            .await
            .unwrap()
            .active_members(),
        0
    );
    assert_eq!(
        rollup::subtree_counts(&f.store.db, f.cell_a.id)
            .await
            .unwrap()
            .active_members(),
        1
    );
    // Then an official transfer to B.
    f.store
        .transfer_member(
            &actor,
            &Scope::all(),
            id,
            Transfer {
                to_org: f.cell_b.id,
                kind: MembershipKind::Official,
                on: d("2024-09-01"),
                until: None,
            },
        )
        .await
        .unwrap();
    let before = f
        .store
        .where_on(&Scope::all(), id, d("2024-08-31"))
        .await
        .unwrap();
    assert_eq!(before.len(), 1);
    assert_eq!(before[0].org_id, f.cell_a.id);
    let after = f
        .store
        .where_on(&Scope::all(), id, d("2024-09-01"))
        .await
        .unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].org_id, f.cell_b.id);
    assert_eq!(
        rollup::subtree_counts(&f.store.db, f.cell_b.id)
            .await
            .unwrap()
            .active_members(),
        1
    );
    // The cell secretary of A no longer sees the member; B's does.
    let scope_a = Scope::subtree(f.cell_a.path.clone());
    assert!(matches!(
        f.store.member(&scope_a, id).await.unwrap_err(),
        StoreError::Domain(DomainError::NotFound { .. })
    ));
    assert!(
        f.store
            .member(&Scope::subtree(f.cell_b.path.clone()), id)
            .await
            .is_ok()
    );
    // Every write was audited with its author.
    let entries = audit::list(
        &f.store.db,
        &Scope::all(),
        Some(("member", &id.to_string())),
        10,
    )
    .await
    .unwrap();
    let actions: Vec<_> = entries
        .iter()
        .map(|e| (e.action.as_str(), e.actor.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("member.transfer", "office"),
            ("member.transfer", "office"),
            ("member.create", "t")
        ]
    );
}

#[tokio::test]
async fn members_only_join_active_cells() {
    let f = fixture().await;
    let committee = f.store.org_by_code(&Scope::all(), "C").await.unwrap();
    let new = NewMember {
        identity: identity("Mai Văn Tư"),
        org_id: committee.id,
        status: MemberStatus::Official,
        status_since: d("2016-02-03"),
        joined_on: d("2016-02-03"),
    };
    match f
        .store
        .create_member(&Actor::new("t"), &Scope::all(), new)
        .await
        .unwrap_err()
    {
        StoreError::Domain(DomainError::Invalid { field, .. }) => assert_eq!(field, "org_id"),
        other => panic!("{other:?}"),
    }
}
