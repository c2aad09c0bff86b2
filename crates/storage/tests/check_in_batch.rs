#![allow(clippy::unwrap_used)] // Tests fail loudly by design.

//! Self check-in through the group-commit writer (`meetings/check_in.rs`): many members at
//! once, the same member many times at once, and check-ins that the meeting's cached facts
//! admit but the records no longer allow, in the same batch as good ones. Runs on SQLite
//! and PostgreSQL.

use grassroots_domain::DomainError;
use grassroots_domain::meetings::{Absence, AttendanceStatus, MeetingKind, Role};
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus, MembershipKind};
use grassroots_storage::meetings::{
    AttendanceRow, Meeting, MeetingReader, MeetingWriter, NewMeeting,
};
use grassroots_storage::members::{MemberWriter, NewMember, Transfer};
use grassroots_storage::orgs::Org;
use grassroots_storage::testing::{TestStore, fresh_store};
use grassroots_storage::{Actor, Store, StoreError, audit};
use sqlx::Row;

mod support;
use support::{actor, all, d, ward_with_two_cells};

/// A name without digits (names may not contain them): two syllables picked by `n`.
fn name(n: usize) -> String {
    const S: [&str; 8] = ["An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khoa", "Lâm"];
    format!("Nguyễn {} {}", S[(n / 8) % 8], S[n % 8])
}

async fn add(store: &Store, n: usize, cell: &Org) -> i64 {
    let new = NewMember {
        identity: MemberIdentity {
            full_name: name(n),
            birth_date: d("1985-03-01"),
            gender: Gender::Male,
            ethnicity: "Kinh".into(),
            citizen_id: None,
            party_card_no: None,
            admitted_on: Some(d("2015-02-03")),
            official_on: Some(d("2016-02-03")),
        },
        org_id: cell.id,
        status: MemberStatus::Official,
        status_since: d("2016-02-03"),
        joined_on: d("2016-02-03"),
    };
    store.create_member(&actor(), &all(), new).await.unwrap().id
}

/// A cell with `n` members and a meeting on 2025-06-10; also the cell next door.
async fn cell_meeting(n: usize) -> (TestStore, Org, Org, Vec<i64>, Meeting) {
    let store = fresh_store().await;
    let (_, _, a, b) = ward_with_two_cells(&store).await;
    let mut members = Vec::new();
    for i in 0..n {
        members.push(add(&store, i, &a).await);
    }
    let meeting = store
        .create_meeting(
            &actor(),
            &all(),
            NewMeeting {
                org_id: a.id,
                kind: MeetingKind::Extraordinary,
                date: d("2025-06-10"),
                agenda: None,
                topic: None,
            },
        )
        .await
        .unwrap();
    (store, a, b, members, meeting)
}

async fn count(store: &Store, sql: &str, meeting_id: i64) -> i64 {
    let sql = store.db.sql(sql).into_owned();
    sqlx::query(&sql)
        .bind(meeting_id)
        .fetch_one(store.db.read())
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

async fn marks(store: &Store, meeting_id: i64) -> i64 {
    count(
        store,
        "SELECT COUNT(*) AS n FROM meeting_attendance WHERE meeting_id = ?",
        meeting_id,
    )
    .await
}

async fn entries(store: &Store, meeting_id: i64) -> i64 {
    let pattern = format!("{meeting_id}/%");
    let sql = store
        .db
        .sql("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'meeting.check_in' AND entity_id LIKE ?")
        .into_owned();
    sqlx::query(&sql)
        .bind(pattern)
        .fetch_one(store.db.read())
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

fn member_actor(id: i64) -> Actor {
    Actor::new(format!("user:member-{id}"))
}

/// `member` checking in at `meeting` `times` times at once; the answers in order.
async fn check_in_at_once(
    store: &Store,
    member: i64,
    meeting: &Meeting,
    times: usize,
) -> Vec<Result<AttendanceRow, StoreError>> {
    let mut tasks = Vec::new();
    for _ in 0..times {
        let store = store.clone();
        let (id, code, date) = (meeting.id, meeting.check_in_code.clone(), meeting.date);
        tasks.push(tokio::spawn(async move {
            store
                .check_in(&member_actor(member), &all(), id, member, &code, date)
                .await
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

/// A cell of three and its meeting, at which the secretary marked the third member absent.
async fn meeting_with_an_absence() -> (TestStore, i64, Meeting) {
    let (store, _, _, members, meeting) = cell_meeting(3).await;
    let late = members[2];
    store
        .record_attendance(
            &actor(),
            &all(),
            meeting.id,
            &[Absence {
                member_id: late,
                reason: None,
            }],
        )
        .await
        .unwrap();
    (store, late, meeting)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_members_at_once_each_get_their_mark_and_entry() {
    let (store, _, _, members, meeting) = cell_meeting(40).await;
    let mut tasks = Vec::new();
    for &m in &members {
        let store = store.store.clone();
        let code = meeting.check_in_code.clone();
        tasks.push(tokio::spawn(async move {
            store
                .check_in(&member_actor(m), &all(), meeting.id, m, &code, meeting.date)
                .await
        }));
    }
    for (t, &m) in tasks.into_iter().zip(&members) {
        let row = t.await.unwrap().unwrap();
        assert_eq!(row.member_id, m);
        assert_eq!(row.meeting_id, meeting.id);
        assert_eq!(row.status, AttendanceStatus::Present);
        assert_eq!(row.role, Role::Home);
        assert_eq!(row.source, "self");
        assert_eq!(
            row.full_name,
            name(members.iter().position(|x| *x == m).unwrap())
        );
    }
    assert_eq!(marks(&store, meeting.id).await, 40);
    assert_eq!(entries(&store, meeting.id).await, 40);
    // Each entry is attributable: its actor is the member who checked in.
    let m = members[7];
    let log = audit::list(
        &store.db,
        &all(),
        Some(("attendance", &format!("{}/{m}", meeting.id))),
        10,
    )
    .await
    .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].actor, format!("user:member-{m}"));
    assert_eq!(log[0].before, None);
    assert_eq!(log[0].after.as_ref().unwrap()["status"], "present");
    // The first check-in made the meeting held.
    assert_eq!(
        store.meeting(&all(), meeting.id).await.unwrap().status,
        grassroots_domain::meetings::MeetingStatus::Held
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_member_checking_in_many_times_at_once_writes_one_mark_and_one_entry() {
    let (store, _, _, members, meeting) = cell_meeting(3).await;
    let m = members[1];
    for answer in check_in_at_once(&store, m, &meeting, 25).await {
        let row = answer.unwrap();
        assert_eq!((row.member_id, row.status), (m, AttendanceStatus::Present));
    }
    assert_eq!(marks(&store, meeting.id).await, 1);
    assert_eq!(entries(&store, meeting.id).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_in_the_records_no_longer_allow_fails_alone_in_its_batch() {
    let (store, _, b, members, meeting) = cell_meeting(12).await;
    // Someone checks in: the meeting's facts (who is expected) are now cached.
    store
        .check_in(
            &member_actor(members[0]),
            &all(),
            meeting.id,
            members[0],
            &meeting.check_in_code,
            meeting.date,
        )
        .await
        .unwrap();
    // The last member moved to the next cell before the meeting: the cached facts still
    // list them, the records do not.
    let mover = members[11];
    store
        .transfer_member(
            &actor(),
            &all(),
            mover,
            Transfer {
                to_org: b.id,
                kind: MembershipKind::Official,
                on: d("2025-06-01"),
                until: None,
            },
        )
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for &m in &members[1..] {
        let store = store.store.clone();
        let code = meeting.check_in_code.clone();
        tasks.push(tokio::spawn(async move {
            store
                .check_in(&member_actor(m), &all(), meeting.id, m, &code, meeting.date)
                .await
        }));
    }
    for (t, &m) in tasks.into_iter().zip(&members[1..]) {
        let result = t.await.unwrap();
        if m == mover {
            match result {
                Err(StoreError::Domain(DomainError::Invalid { field, .. })) => {
                    assert_eq!(field, "member_id")
                }
                other => panic!("the mover must be refused, got {other:?}"),
            }
        } else {
            assert_eq!(result.unwrap().status, AttendanceStatus::Present);
        }
    }
    assert_eq!(marks(&store, meeting.id).await, 11);
    assert_eq!(entries(&store, meeting.id).await, 11);
}

#[tokio::test]
async fn a_meeting_cancelled_after_its_facts_were_read_takes_no_check_in() {
    let (store, _, _, members, meeting) = cell_meeting(2).await;
    let m = members[0];
    // A wrong code is refused, naming the field; the facts were read and kept meanwhile.
    let err = store
        .check_in(
            &member_actor(m),
            &all(),
            meeting.id,
            m,
            "000000x",
            meeting.date,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Domain(DomainError::Invalid { field, .. }) if field == "code"),
        "{err:?}"
    );
    store
        .cancel_meeting(&actor(), &all(), meeting.id, "bão")
        .await
        .unwrap();
    let err = store
        .check_in(
            &member_actor(m),
            &all(),
            meeting.id,
            m,
            &meeting.check_in_code,
            meeting.date,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Domain(DomainError::Conflict(_))),
        "{err:?}"
    );
    assert_eq!(marks(&store, meeting.id).await, 0);
    assert_eq!(entries(&store, meeting.id).await, 0);
}

#[tokio::test]
async fn checking_in_over_an_absence_mark_keeps_the_mark_before_in_the_audit() {
    let (store, late, meeting) = meeting_with_an_absence().await;
    let row = store
        .check_in(
            &member_actor(late),
            &all(),
            meeting.id,
            late,
            &meeting.check_in_code,
            meeting.date,
        )
        .await
        .unwrap();
    assert_eq!(
        (row.status, row.source.as_str(), row.reason),
        (AttendanceStatus::Present, "self", None)
    );
    let log = audit::list(
        &store.db,
        &all(),
        Some(("attendance", &format!("{}/{late}", meeting.id))),
        10,
    )
    .await
    .unwrap();
    let check_in = log.iter().find(|e| e.action == "meeting.check_in").unwrap();
    assert_eq!(
        check_in.before.as_ref().unwrap()["status"],
        "absent_unexcused"
    );
    assert_eq!(check_in.after.as_ref().unwrap()["status"], "present");
    let listed = store.attendance(&all(), meeting.id).await.unwrap();
    assert_eq!(listed.len(), 3);
    assert!(listed.iter().all(|r| r.status == AttendanceStatus::Present));
    assert_eq!(entries(&store, meeting.id).await, 1);
}

/// On PostgreSQL two group-commit writers run at once, so the same member's check-ins can be
/// in two batches written side by side. Over an absence mark each batch finds the mark absent
/// and updates it; only the first update may count as the check-in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checking_in_many_times_at_once_over_an_absence_mark_writes_one_entry() {
    let (store, late, meeting) = meeting_with_an_absence().await;
    for answer in check_in_at_once(&store, late, &meeting, 40).await {
        let row = answer.unwrap();
        assert_eq!(
            (row.member_id, row.status),
            (late, AttendanceStatus::Present)
        );
    }
    assert_eq!(marks(&store, meeting.id).await, 3);
    assert_eq!(entries(&store, meeting.id).await, 1);
}
