#![allow(clippy::unwrap_used)] // Tests fail loudly by design.

//! Lifecycle writes that go through the member registry are one transaction each: when the
//! second step fails (a trigger stands in for a crash between the two writes), the registry
//! change, the lifecycle record and the audit entries are all gone, and a retry succeeds.
//! Runs on SQLite, and on PostgreSQL when GRASSROOTS_TEST_DATABASE_URL is set.

use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus};
use grassroots_storage::lifecycle::candidates::{NewCandidate, StepInput};
use grassroots_storage::lifecycle::outcomes::OutcomeKind;
use grassroots_storage::members::{MemberReader, MemberWriter, NewMember};
use grassroots_storage::orgs::Org;
use grassroots_storage::rollup::{self, SubtreeCounts};
use grassroots_storage::testing::fresh_store;
use grassroots_storage::{Backend, Store};

mod support;
use support::{actor, all, d, ward_with_two_cells};

async fn member(store: &Store, name: &str, cell: &Org, status: MemberStatus) -> i64 {
    let official = (status == MemberStatus::Official).then(|| d("2006-03-01"));
    let admitted = if official.is_some() {
        d("2005-03-01")
    } else {
        d("2025-04-03")
    };
    store
        .create_member(
            &actor(),
            &all(),
            NewMember {
                identity: MemberIdentity {
                    full_name: name.into(),
                    birth_date: d("1980-04-30"),
                    gender: Gender::Female,
                    ethnicity: "Kinh".into(),
                    citizen_id: None,
                    party_card_no: None,
                    admitted_on: Some(admitted),
                    official_on: official,
                },
                org_id: cell.id,
                status,
                status_since: official.unwrap_or(admitted),
                joined_on: official.unwrap_or(admitted),
            },
        )
        .await
        .unwrap()
        .id
}

/// Makes every insert into `table` for which `condition` holds fail, as a crash between
/// two writes of one step would.
async fn break_inserts(store: &Store, table: &str, condition: &str) {
    let statements = match store.db.backend() {
        Backend::Sqlite => vec![format!(
            "CREATE TRIGGER broken_{table} BEFORE INSERT ON {table} FOR EACH ROW WHEN {condition} \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )],
        Backend::Postgres => vec![
            "CREATE OR REPLACE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$"
                .to_owned(),
            format!(
                "CREATE TRIGGER broken_{table} BEFORE INSERT ON {table} FOR EACH ROW \
                 WHEN ({condition}) EXECUTE FUNCTION injected_failure()"
            ),
        ],
    };
    for sql in statements {
        sqlx::query(&sql).execute(store.db.write()).await.unwrap();
    }
}

async fn repair_inserts(store: &Store, table: &str) {
    let sql = match store.db.backend() {
        Backend::Sqlite => format!("DROP TRIGGER broken_{table}"),
        Backend::Postgres => format!("DROP TRIGGER broken_{table} ON {table}"),
    };
    sqlx::query(&sql).execute(store.db.write()).await.unwrap();
}

/// Row counts of every table a lifecycle step touches, and the subtree's rollup.
async fn snapshot(store: &Store, root: &Org) -> (Vec<i64>, SubtreeCounts) {
    let mut counts = Vec::new();
    for table in [
        "members",
        "member_statuses",
        "memberships",
        "member_name_keys",
        "candidate_steps",
        "recognitions",
        "member_outcomes",
        "transfer_letters",
        "audit_log",
    ] {
        let sql = format!("SELECT COUNT(*) AS n FROM {table}");
        let row = sqlx::query(&sql).fetch_one(store.db.read()).await.unwrap();
        counts.push(sqlx::Row::get::<i64, _>(&row, "n"));
    }
    let states = sqlx::query("SELECT COUNT(*) AS n FROM transfer_letters WHERE state = 'issued'")
        .fetch_one(store.db.read())
        .await
        .unwrap();
    counts.push(sqlx::Row::get::<i64, _>(&states, "n"));
    (
        counts,
        rollup::subtree_counts(&store.db, root.id).await.unwrap(),
    )
}

#[tokio::test]
async fn a_failed_admission_decision_leaves_no_member_behind() {
    let store = fresh_store().await;
    let (province, _, a, _) = ward_with_two_cells(&store).await;
    let mut introducers = Vec::new();
    for name in ["Trần Văn Ba", "Lê Thị Tư", "Phạm Văn Năm"] {
        introducers.push(member(&store, name, &a, MemberStatus::Official).await);
    }
    let id = store
        .register_candidate(
            &actor(),
            &all(),
            NewCandidate {
                org_id: a.id,
                full_name: "Đỗ Văn Sáu".into(),
                birth_date: d("2000-01-15"),
                gender: Gender::Male,
                ethnicity: "Kinh".into(),
                citizen_id: None,
                registered_on: d("2025-08-01"),
            },
        )
        .await
        .unwrap()
        .id;
    let steps = [
        (
            "2025-09-01",
            StepInput::AwarenessClass {
                certificate_no: "123/CN".into(),
            },
        ),
        (
            "2025-09-10",
            StepInput::Introduction {
                introducer_id: introducers[0],
                acquainted_since: d("2024-01-01"),
            },
        ),
        (
            "2025-09-10",
            StepInput::Introduction {
                introducer_id: introducers[1],
                acquainted_since: d("2024-01-01"),
            },
        ),
        (
            "2025-09-12",
            StepInput::Recommendation {
                by: "youth_union".into(),
                document: "5-GT/ĐTN".into(),
            },
        ),
        (
            "2025-09-20",
            StepInput::CellVote {
                eligible: 3,
                votes_for: 3,
                document: "7-NQ/CB".into(),
            },
        ),
        (
            "2025-09-25",
            StepInput::CommitteeVote {
                eligible: 5,
                votes_for: 4,
                document: "8-NQ/ĐU".into(),
            },
        ),
    ];
    for (on, input) in steps {
        store
            .record_step(&actor(), &all(), id, d(on), input)
            .await
            .unwrap();
    }
    let decision = || StepInput::Decision {
        document: "12-QĐ/ĐU".into(),
    };
    let before = snapshot(&store, &province).await;
    break_inserts(&store, "candidate_steps", "NEW.step = 'decision'").await;
    let err = store
        .record_step(&actor(), &all(), id, d("2025-10-20"), decision())
        .await
        .unwrap_err();
    assert!(format!("{err:?}").contains("injected failure"), "{err:?}");
    assert_eq!(snapshot(&store, &province).await, before);
    assert_eq!(store.candidate(&all(), id).await.unwrap().member_id, None);

    repair_inserts(&store, "candidate_steps").await;
    let admitted = store
        .record_step(&actor(), &all(), id, d("2025-10-20"), decision())
        .await
        .unwrap();
    let member_id = admitted.member_id.unwrap();
    let m = store.member(&all(), member_id).await.unwrap();
    assert_eq!(
        (m.status, m.identity.admitted_on, m.org_id),
        (
            MemberStatus::Probationary,
            Some(d("2025-10-20")),
            Some(a.id)
        )
    );
    let (after, counts) = snapshot(&store, &province).await;
    assert_eq!(after[0], before.0[0] + 1, "one member more");
    assert_eq!(
        counts.active_members(),
        before.1.active_members() + 1,
        "the rollup counts the new member once"
    );
}

#[tokio::test]
async fn a_failed_recognition_leaves_the_member_probationary() {
    let store = fresh_store().await;
    let (province, _, a, _) = ward_with_two_cells(&store).await;
    let id = member(&store, "Cao Văn Chín", &a, MemberStatus::Probationary).await;
    store
        .record_new_member_course(&actor(), &all(), id, d("2025-07-01"), "BD-1")
        .await
        .unwrap();
    let history = store.status_history(&all(), id).await.unwrap();
    let before = snapshot(&store, &province).await;
    break_inserts(&store, "recognitions", "1 = 1").await;
    let err = store
        .recognize_official(&actor(), &all(), id, d("2026-05-19"), "20-QĐ/ĐU")
        .await
        .unwrap_err();
    assert!(format!("{err:?}").contains("injected failure"), "{err:?}");
    assert_eq!(snapshot(&store, &province).await, before);
    let m = store.member(&all(), id).await.unwrap();
    assert_eq!(
        (m.status, m.identity.official_on),
        (MemberStatus::Probationary, None)
    );
    assert_eq!(store.status_history(&all(), id).await.unwrap(), history);

    repair_inserts(&store, "recognitions").await;
    let rec = store
        .recognize_official(&actor(), &all(), id, d("2026-05-19"), "20-QĐ/ĐU")
        .await
        .unwrap();
    assert_eq!(rec.official_on, d("2026-04-03"));
    assert_eq!(
        store.member(&all(), id).await.unwrap().status,
        MemberStatus::Official
    );
}

#[tokio::test]
async fn a_failed_outcome_leaves_the_member_on_the_list() {
    let store = fresh_store().await;
    let (province, _, a, _) = ward_with_two_cells(&store).await;
    let id = member(&store, "Hà Văn Mười Hai", &a, MemberStatus::Official).await;
    let before = snapshot(&store, &province).await;
    // The outcome row is written; the audit entry after it fails.
    break_inserts(&store, "audit_log", "NEW.action = 'member.deceased'").await;
    let err = store
        .record_outcome(
            &actor(),
            &all(),
            id,
            OutcomeKind::Deceased,
            d("2026-03-01"),
            "3-TB/CB",
            None,
        )
        .await
        .unwrap_err();
    assert!(format!("{err:?}").contains("injected failure"), "{err:?}");
    assert_eq!(snapshot(&store, &province).await, before);
    assert_eq!(
        store.member(&all(), id).await.unwrap().status,
        MemberStatus::Official
    );
    assert!(store.member_outcomes(&all(), id).await.unwrap().is_empty());
    assert_eq!(
        store.where_on(&all(), id, d("2026-03-02")).await.unwrap()[0].org_id,
        a.id
    );

    repair_inserts(&store, "audit_log").await;
    store
        .record_outcome(
            &actor(),
            &all(),
            id,
            OutcomeKind::Deceased,
            d("2026-03-01"),
            "3-TB/CB",
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        store.member(&all(), id).await.unwrap().status,
        MemberStatus::Deceased
    );
    assert_eq!(store.member_outcomes(&all(), id).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_failed_transfer_acceptance_leaves_the_member_in_the_issuing_cell() {
    let store = fresh_store().await;
    let (province, _, a, b) = ward_with_two_cells(&store).await;
    let id = member(&store, "Tạ Văn Mười Một", &a, MemberStatus::Official).await;
    let letter = store
        .issue_transfer_letter(&actor(), &all(), id, b.id, d("2026-04-10"), "15-GGT/ĐU")
        .await
        .unwrap();
    let before = snapshot(&store, &province).await;
    break_inserts(&store, "audit_log", "NEW.action = 'transfer_letter.accept'").await;
    let err = store
        .accept_transfer_letter(&actor(), &all(), letter.id, d("2026-05-04"))
        .await
        .unwrap_err();
    assert!(format!("{err:?}").contains("injected failure"), "{err:?}");
    assert_eq!(snapshot(&store, &province).await, before);
    assert_eq!(store.member(&all(), id).await.unwrap().org_id, Some(a.id));
    assert_eq!(
        store
            .transfer_letter(&all(), letter.id)
            .await
            .unwrap()
            .state,
        "issued"
    );

    repair_inserts(&store, "audit_log").await;
    store
        .accept_transfer_letter(&actor(), &all(), letter.id, d("2026-05-04"))
        .await
        .unwrap();
    assert_eq!(store.member(&all(), id).await.unwrap().org_id, Some(b.id));
    let at = store.where_on(&all(), id, d("2026-05-04")).await.unwrap();
    assert_eq!(at.iter().map(|m| m.org_id).collect::<Vec<_>>(), vec![b.id]);
}
