//! Registry counts kept per organization and per subtree (badges due, probationary members,
//! admissions and status changes, members by status on a past day, dues) give what the
//! records give after each kind of registry write, also in the tree of a past day after a
//! cell moved; an organization that no write touched is not counted again.
#![allow(clippy::unwrap_used)]

use grassroots_domain::date::Date;
use grassroots_domain::figures::{Figure, FigureValue};
use grassroots_domain::member::{MemberStatus, MembershipKind};
use grassroots_domain::org::OrgKind;
use grassroots_storage::Store;
use grassroots_storage::lifecycle::outcomes::OutcomeKind;
use grassroots_storage::members::{MemberReader, MemberWriter, Transfer};
use grassroots_storage::movements::Movements;
use grassroots_storage::orgs::{Org, OrgReader, OrgWriter};
use grassroots_storage::registry_parts::Counted;
use grassroots_storage::rollup::SubtreeCounts;
use grassroots_storage::testing::fresh_store;

mod support;
use support::{actor, all, d, member, org, ward_with_two_cells};

fn today() -> Date {
    chrono::Local::now().date_naive()
}

/// The periods checked: last year (probation read from the status spans) and this year so
/// far (probation read from the present status).
fn periods() -> [(Date, Date); 2] {
    [
        (d("2025-01-01"), d("2025-12-31")),
        (d("2026-01-01"), today()),
    ]
}

/// The day the structure is counted on.
const DAY: &str = "2026-06-30";

async fn lifecycle(store: &Store, org: &Org, (from, to): (Date, Date), c: Counted) -> Vec<Figure> {
    store
        .lifecycle_figures_counted(&all(), org.id, from, to, c)
        .await
        .unwrap()
}

async fn movements(store: &Store, org: &Org, (from, to): (Date, Date), c: Counted) -> Movements {
    store.movements(org, from, to, c).await.unwrap()
}

async fn structure(store: &Store, org: &Org, c: Counted) -> SubtreeCounts {
    store
        .counts_as_of_counted(&all(), org.id, d(DAY), c)
        .await
        .unwrap()
}

/// Asserts that every organization's figures from kept parts equal those from the records.
async fn check(store: &Store, orgs: &[&Org], step: &str) {
    for org in orgs {
        for period in periods() {
            assert_eq!(
                lifecycle(store, org, period, Counted::FromKeptParts).await,
                lifecycle(store, org, period, Counted::FromRecords).await,
                "{step}: {} {period:?}",
                org.code
            );
            assert_eq!(
                movements(store, org, period, Counted::FromKeptParts).await,
                movements(store, org, period, Counted::FromRecords).await,
                "{step}: {} {period:?}",
                org.code
            );
        }
        assert_eq!(
            structure(store, org, Counted::FromKeptParts).await,
            structure(store, org, Counted::FromRecords).await,
            "{step}: {} on {DAY}",
            org.code
        );
    }
}

fn count(figures: &[Figure], key: &str) -> i64 {
    match figures.iter().find(|f| f.key == key).map(|f| &f.value) {
        Some(FigureValue::Count(n)) => *n,
        other => panic!("{key}: {other:?}"),
    }
}

/// The counters an organization's kept rows in `table` were computed at (its `counter`
/// column), by part, from the rows that mark each part kept.
async fn kept_at(store: &Store, org: &Org, table: &str, counter: &str) -> Vec<(String, i64)> {
    let sql = format!(
        "SELECT part, {counter} AS n FROM {table} WHERE org_id = ? AND name = '' ORDER BY part"
    );
    sqlx::query(&store.db.sql(&sql))
        .bind(org.id)
        .fetch_all(store.db.read())
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                sqlx::Row::try_get::<String, _>(r, "part").unwrap(),
                sqlx::Row::try_get::<i64, _>(r, "n").unwrap(),
            )
        })
        .collect()
}

/// The own registry counters an organization's own kept parts were computed at.
async fn kept_counters(store: &Store, org: &Org) -> Vec<(String, i64)> {
    kept_at(store, org, "registry_parts", "registry_own_n").await
}

/// The subtree counters an organization's kept subtree parts were computed at.
async fn kept_subtree_counters(store: &Store, org: &Org) -> Vec<(String, i64)> {
    kept_at(store, org, "registry_subtree_parts", "registry_n").await
}

#[tokio::test]
async fn kept_registry_parts_equal_the_records_after_each_write() {
    let store = fresh_store().await;
    let (province, ward, a, b) = ward_with_two_cells(&store).await;
    // A second ward, whose kept subtree parts no write below the first one touches.
    let other_ward = org(
        &store,
        "PHUONG-2",
        OrgKind::GrassrootsCommittee,
        Some(&province),
    )
    .await;
    let c = org(&store, "CB-C", OrgKind::Cell, Some(&other_ward)).await;
    let orgs = [&province, &ward, &other_ward, &a, &b, &c];
    // 30 years on 1 February 2026 and 40 years on 10 May 2026: badges at 3/2 and 19/5.
    let thirty = member(
        &store,
        "Hồ An",
        &a,
        MemberStatus::Official,
        "1996-02-01",
        Some("1997-02-01"),
    )
    .await;
    let forty = member(
        &store,
        "Hồ Bình",
        &a,
        MemberStatus::Official,
        "1986-05-10",
        Some("1987-05-10"),
    )
    .await;
    let in_b = member(
        &store,
        "Hồ Cúc",
        &b,
        MemberStatus::Official,
        "1996-08-20",
        Some("1997-08-20"),
    )
    .await;
    let new_a = member(
        &store,
        "Hồ Dung",
        &a,
        MemberStatus::Probationary,
        "2025-04-03",
        None,
    )
    .await;
    let in_b_later = member(
        &store,
        "Hồ Em",
        &b,
        MemberStatus::Probationary,
        "2026-03-02",
        None,
    )
    .await;
    member(
        &store,
        "Hồ Giang",
        &c,
        MemberStatus::Official,
        "1996-02-01",
        Some("1997-02-01"),
    )
    .await;

    check(&store, &orgs, "members entered").await;
    let running = periods()[1];
    let figures = lifecycle(&store, &ward, running, Counted::FromKeptParts).await;
    assert_eq!(
        count(&figures, "badges.due"),
        3,
        "30, 40 and 30 years this year"
    );
    assert_eq!(count(&figures, "probation.members"), 2);
    assert_eq!(
        count(&figures, "overdue.recognition_review"),
        1,
        "the one from April 2025"
    );
    let on_day = structure(&store, &ward, Counted::FromKeptParts).await;
    assert_eq!(on_day.members_by_status.get("official"), Some(&3));
    assert_eq!(on_day.members_by_status.get("probationary"), Some(&2));
    let b_kept = kept_counters(&store, &b).await;
    assert_eq!(b_kept.len(), 9, "B keeps its parts: {b_kept:?}");
    let other_kept = kept_subtree_counters(&store, &other_ward).await;
    assert_eq!(
        other_kept.len(),
        9,
        "the second ward keeps its subtree's parts: {other_kept:?}"
    );
    assert_eq!(
        kept_subtree_counters(&store, &province).await.len(),
        9,
        "so does the province"
    );
    assert!(
        kept_subtree_counters(&store, &a).await.is_empty(),
        "a cell's subtree is its own part"
    );

    // A write in A only: B's parts are taken as kept, not computed again.
    store
        .record_new_member_course(&actor(), &all(), new_a, d("2025-07-01"), "BD-1")
        .await
        .unwrap();
    store
        .recognize_official(&actor(), &all(), new_a, d("2026-05-19"), "20-QĐ/ĐU")
        .await
        .unwrap();
    check(&store, &orgs, "a recognition in A").await;
    assert_eq!(kept_counters(&store, &b).await, b_kept, "B untouched");
    assert_eq!(
        kept_subtree_counters(&store, &other_ward).await,
        other_kept,
        "the second ward's subtree taken as kept"
    );
    assert_ne!(
        kept_subtree_counters(&store, &ward).await,
        kept_subtree_counters(&store, &other_ward).await,
        "the first ward's subtree computed again"
    );
    let figures = lifecycle(&store, &ward, running, Counted::FromKeptParts).await;
    assert_eq!(count(&figures, "probation.members"), 1);
    let moved = movements(&store, &ward, running, Counted::FromKeptParts).await;
    assert_eq!(moved.started.get("official"), Some(&1), "{moved:?}");
    assert_eq!(moved.admitted, 1, "the probationary member of March 2026");

    // An admission date corrected: the member's badge changes level.
    let m = store.member(&all(), thirty).await.unwrap();
    let mut identity = m.identity.clone();
    identity.admitted_on = Some(d("1986-02-01"));
    store
        .update_identity(&actor(), &all(), thirty, m.version, identity)
        .await
        .unwrap();
    check(&store, &orgs, "an admission date corrected").await;

    // B's member moves to A before the day the structure is counted on: both parts move.
    store
        .transfer_member(
            &actor(),
            &all(),
            in_b,
            Transfer {
                to_org: a.id,
                kind: MembershipKind::Official,
                on: d("2026-03-01"),
                until: None,
            },
        )
        .await
        .unwrap();
    check(&store, &orgs, "a transfer from B to A").await;
    assert_ne!(kept_counters(&store, &b).await, b_kept, "B computed again");
    let at_b = structure(&store, &b, Counted::FromKeptParts).await;
    assert_eq!(at_b.members_by_status.get("official"), None, "{at_b:?}");

    // A death dated before the day: the structure on that day loses the member.
    store
        .record_outcome(
            &actor(),
            &all(),
            forty,
            OutcomeKind::Deceased,
            d("2026-04-10"),
            "5-QĐ/ĐU",
            None,
        )
        .await
        .unwrap();
    check(&store, &orgs, "a death in A").await;
    let figures = lifecycle(&store, &ward, running, Counted::FromKeptParts).await;
    assert_eq!(
        count(&figures, "badges.due"),
        2,
        "the deceased member's badge is gone"
    );

    // B moves to the second ward after the day the structure is counted on. On that day B
    // was below the first ward, which no longer sees B's writes in its subtree counter: a
    // death in B dated before the day must still leave the first ward's count.
    store
        .move_org(
            &actor(),
            &all(),
            b.id,
            other_ward.id,
            d("2026-09-01"),
            None,
            None,
        )
        .await
        .unwrap();
    let b = store.org(&all(), b.id).await.unwrap();
    let orgs = [&province, &ward, &other_ward, &a, &b, &c];
    check(&store, &orgs, "B moved to the second ward").await;
    let before = structure(&store, &ward, Counted::FromKeptParts).await;
    store
        .record_outcome(
            &actor(),
            &all(),
            in_b_later,
            OutcomeKind::Deceased,
            d("2026-05-01"),
            "6-QĐ/ĐU",
            None,
        )
        .await
        .unwrap();
    check(&store, &orgs, "a death in B, moved since").await;
    let after = structure(&store, &ward, Counted::FromKeptParts).await;
    assert_eq!(
        after
            .members_by_status
            .get("probationary")
            .copied()
            .unwrap_or(0),
        before
            .members_by_status
            .get("probationary")
            .copied()
            .unwrap_or(0)
            - 1,
        "the first ward loses B's member on the day: {before:?} → {after:?}"
    );
}

/// Parts kept by a build that counted differently (another counting version in their stamp,
/// such as the program's version that stood for it before) are counted again, not reused;
/// parts with this build's stamp are.
#[tokio::test]
async fn parts_kept_under_another_counting_are_counted_again() {
    use grassroots_domain::figures::COUNTING_VERSION;
    let store = fresh_store().await;
    let (_, ward, a, _) = ward_with_two_cells(&store).await;
    member(
        &store,
        "Hồ An",
        &a,
        MemberStatus::Probationary,
        "2025-04-03",
        None,
    )
    .await;
    let year = (d("2025-01-01"), d("2025-12-31"));
    assert_eq!(
        movements(&store, &ward, year, Counted::FromKeptParts)
            .await
            .admitted,
        1
    );
    let tamper = |set: &str| {
        format!(
            "UPDATE registry_parts SET {set} WHERE part LIKE 'movements %'; \
             UPDATE registry_subtree_parts SET {set} WHERE part LIKE 'movements %'"
        )
    };
    for sql in tamper("n = n + 5").split("; ") {
        sqlx::query(sql).execute(store.db.write()).await.unwrap();
    }
    assert_eq!(
        movements(&store, &ward, year, Counted::FromKeptParts)
            .await
            .admitted,
        6,
        "this build's parts are reused as kept"
    );
    let older = tamper(&format!(
        "stamp = replace(stamp, 'counting-{COUNTING_VERSION}+', '0.1.0+')"
    ));
    for sql in older.split("; ") {
        sqlx::query(sql).execute(store.db.write()).await.unwrap();
    }
    assert_eq!(
        movements(&store, &ward, year, Counted::FromKeptParts).await,
        movements(&store, &ward, year, Counted::FromRecords).await,
    );
    assert_eq!(
        movements(&store, &ward, year, Counted::FromKeptParts)
            .await
            .admitted,
        1
    );
}
