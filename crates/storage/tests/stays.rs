#![allow(clippy::unwrap_used)] // Tests fail loudly by design.

//! Temporary transfers as stays: listed at home (away) and at the host (hosted), counted at
//! home only, bounded by the rulebook (3-12 months, training up to 24), and ended early by a
//! return whose record stays. Runs on SQLite, and on PostgreSQL when
//! GRASSROOTS_TEST_DATABASE_URL is set.

use grassroots_domain::DomainError;
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus};
use grassroots_domain::org::OrgKind;
use grassroots_storage::members::{MemberReader, MemberWriter, NewMember};
use grassroots_storage::testing::fresh_store;
use grassroots_storage::{Scope, StoreError, rollup};

mod support;
use support::{actor, all, d, org};

fn field(err: StoreError) -> String {
    match err {
        StoreError::Domain(DomainError::Invalid { field, .. }) => field,
        other => panic!("expected an invalid field, got {other:?}"),
    }
}

#[tokio::test]
async fn a_stay_is_listed_on_both_sides_counted_at_home_and_ends_on_return() {
    let store = fresh_store().await;
    let p = org(&store, "P", OrgKind::Provincial, None).await;
    let home_ward = org(&store, "W1", OrgKind::GrassrootsCommittee, Some(&p)).await;
    let host_ward = org(&store, "W2", OrgKind::GrassrootsCommittee, Some(&p)).await;
    let home = org(&store, "W1.A", OrgKind::Cell, Some(&home_ward)).await;
    let host = org(&store, "W2.B", OrgKind::Cell, Some(&host_ward)).await;
    let id = store
        .create_member(
            &actor(),
            &all(),
            NewMember {
                identity: MemberIdentity {
                    full_name: "Lưu Văn Học".into(),
                    birth_date: d("1995-03-03"),
                    gender: Gender::Male,
                    ethnicity: "Kinh".into(),
                    citizen_id: None,
                    party_card_no: None,
                    admitted_on: Some(d("2018-01-01")),
                    official_on: Some(d("2019-01-01")),
                },
                org_id: home.id,
                status: MemberStatus::Official,
                status_since: d("2019-01-01"),
                joined_on: d("2019-01-01"),
            },
        )
        .await
        .unwrap()
        .id;
    // Training may last up to 24 months, not a day more.
    let err = store
        .temporary_transfer(
            &actor(),
            &all(),
            id,
            host.id,
            d("2025-09-01"),
            d("2027-09-02"),
            true,
        )
        .await
        .unwrap_err();
    assert_eq!(field(err), "until");
    store
        .temporary_transfer(
            &actor(),
            &all(),
            id,
            host.id,
            d("2025-09-01"),
            d("2027-09-01"),
            true,
        )
        .await
        .unwrap();

    let at_home = store
        .temporary_stays(&all(), home_ward.id, d("2026-01-10"))
        .await
        .unwrap();
    assert_eq!(
        (at_home.away.len(), at_home.hosted.len()),
        (1, 0),
        "{at_home:?}"
    );
    assert_eq!(at_home.away[0].host_code, "W2.B");
    assert_eq!(at_home.away[0].home_code.as_deref(), Some("W1.A"));
    let at_host = store
        .temporary_stays(&all(), host_ward.id, d("2026-01-10"))
        .await
        .unwrap();
    assert_eq!((at_host.away.len(), at_host.hosted.len()), (0, 1));
    // Before the stay began it is listed nowhere.
    assert!(
        store
            .temporary_stays(&all(), host_ward.id, d("2025-08-31"))
            .await
            .unwrap()
            .hosted
            .is_empty()
    );
    // Counted at home only.
    let count = |org: i64| {
        let store = &store;
        async move {
            rollup::subtree_counts(&store.db, org)
                .await
                .unwrap()
                .active_members()
        }
    };
    assert_eq!(
        (count(home_ward.id).await, count(host_ward.id).await),
        (1, 0)
    );

    // One stay at a time: a second one that overlaps this one is refused, wherever it goes.
    for (from, until) in [("2026-01-01", "2026-06-01"), ("2025-06-01", "2025-09-02")] {
        let err = store
            .temporary_transfer(&actor(), &all(), id, host.id, d(from), d(until), false)
            .await
            .unwrap_err();
        let message = err.to_string();
        assert_eq!(field(err), "effective_on", "{from}..{until}");
        assert!(message.contains("W2.B"), "{message}");
    }
    // One that ends on the day this one starts does not overlap (the end day is the return).
    // The member is at home then; a stay is only refused when it meets another.
    store
        .temporary_transfer(
            &actor(),
            &all(),
            id,
            host.id,
            d("2025-05-01"),
            d("2025-09-01"),
            false,
        )
        .await
        .unwrap();
    assert_eq!(store.member_stays(&all(), id).await.unwrap().len(), 2);

    // The host's scope cannot end a stay of a member it does not hold.
    let host_scope = Scope::subtree(host_ward.path.clone());
    assert!(
        store
            .end_temporary_transfer(&actor(), &host_scope, id, host.id, d("2026-02-01"))
            .await
            .is_err()
    );
    let ended = store
        .end_temporary_transfer(&actor(), &all(), id, host.id, d("2026-02-01"))
        .await
        .unwrap();
    assert_eq!(ended.until, Some(d("2026-02-01")));
    assert!(
        store
            .temporary_stays(&all(), host_ward.id, d("2026-02-01"))
            .await
            .unwrap()
            .hosted
            .is_empty()
    );
    assert_eq!(
        store
            .temporary_stays(&all(), host_ward.id, d("2026-01-31"))
            .await
            .unwrap()
            .hosted
            .len(),
        1,
        "the stay stays on record up to the return"
    );
    let history = store.member_stays(&all(), id).await.unwrap();
    assert_eq!(history.len(), 2);
    let long = history.iter().find(|s| s.from == d("2025-09-01")).unwrap();
    assert_eq!(long.until, Some(d("2026-02-01")));
    let err = store
        .end_temporary_transfer(&actor(), &all(), id, host.id, d("2026-03-01"))
        .await
        .unwrap_err();
    assert_eq!(field(err), "org_id");
    assert_eq!(
        store
            .where_on(&all(), id, d("2026-03-01"))
            .await
            .unwrap()
            .len(),
        1
    );
    // After the early return the member may go again from that day.
    store
        .temporary_transfer(
            &actor(),
            &all(),
            id,
            host.id,
            d("2026-02-01"),
            d("2026-06-01"),
            false,
        )
        .await
        .unwrap();
}
