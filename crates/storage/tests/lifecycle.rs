#![allow(clippy::unwrap_used)] // Tests fail loudly by design.

//! The membership lifecycle in storage: admission steps and their refusals, deadlines on
//! their last working day and the day after, probation and recognition, transfer letters,
//! outcomes and party age with a gap, cards, badges, dues across the 2026 rate change, the
//! dues sheet, figures and the demo pipeline. Runs on SQLite, and on PostgreSQL when
//! GRASSROOTS_TEST_DATABASE_URL is set.

use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use grassroots_domain::figures::{Figure, FigureValue};
use grassroots_domain::lifecycle::admission::AdmissionStep;
use grassroots_domain::lifecycle::dues::{ExemptionReason, Income, IncomeKind, Relief, YearMonth};
use grassroots_domain::lifecycle::probation::ProbationState;
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus, MembershipKind};
use grassroots_domain::org::OrgKind;
use grassroots_storage::lifecycle::candidates::{NewCandidate, StepInput};
use grassroots_storage::lifecycle::dues_sheet::dues_sheet_xlsx;
use grassroots_storage::lifecycle::outcomes::OutcomeKind;
use grassroots_storage::members::{MemberReader, MemberWriter, NewMember, Transfer};
use grassroots_storage::orgs::{Org, OrgReader, OrgWriter};
use grassroots_storage::registry_parts::Counted;
use grassroots_storage::testing::fresh_store;
use grassroots_storage::{Scope, Store, StoreError, rollup};

mod support;
use support::{actor, all, d, member, org, ward_with_two_cells};

fn ym(s: &str) -> YearMonth {
    YearMonth::parse("test", "month", s).unwrap()
}

fn invalid_field(err: StoreError) -> String {
    match err {
        StoreError::Domain(DomainError::Invalid { field, .. }) => field,
        other => panic!("expected an invalid field, got {other:?}"),
    }
}

fn value(figures: &[Figure], key: &str) -> i64 {
    match figures
        .iter()
        .find(|f| f.key == key)
        .unwrap_or_else(|| panic!("no figure {key}"))
        .value
    {
        FigureValue::Count(n) | FigureValue::Vnd(n) => n,
        FigureValue::Ratio(r) => panic!("{key} is a ratio {r}"),
    }
}

async fn candidate(store: &Store, cell: &Org, name: &str, born: &str) -> i64 {
    store
        .register_candidate(
            &actor(),
            &all(),
            NewCandidate {
                org_id: cell.id,
                full_name: name.into(),
                birth_date: d(born),
                gender: Gender::Male,
                ethnicity: "Kinh".into(),
                citizen_id: None,
                registered_on: d("2025-08-01"),
            },
        )
        .await
        .unwrap()
        .id
}

/// Records the steps up to the committee vote, with the cell vote on `vote_on`.
async fn voted(store: &Store, id: i64, introducers: &[i64], vote_on: &str) {
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
            vote_on,
            StepInput::CellVote {
                eligible: 3,
                votes_for: 2,
                document: "7-NQ/CB".into(),
            },
        ),
        (
            vote_on,
            StepInput::CommitteeVote {
                eligible: 5,
                votes_for: 3,
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
}

async fn three_officials(store: &Store, cell: &Org) -> Vec<i64> {
    let mut ids = Vec::new();
    for name in ["Trần Văn Ba", "Lê Thị Tư", "Phạm Văn Năm"] {
        ids.push(
            member(
                store,
                name,
                cell,
                MemberStatus::Official,
                "2005-03-01",
                Some("2006-03-01"),
            )
            .await,
        );
    }
    ids
}

#[tokio::test]
async fn admission_steps_refuse_failed_conditions_and_the_decision_creates_the_member() {
    let store = fresh_store().await;
    let (_, ward, a, _) = ward_with_two_cells(&store).await;
    let introducers = three_officials(&store, &a).await;
    let probationary = member(
        &store,
        "Võ Thị Sáu",
        &a,
        MemberStatus::Probationary,
        "2025-06-01",
        None,
    )
    .await;
    let id = candidate(&store, &a, "Nguyễn Văn Một", "1995-06-01").await;
    let (who, everything) = (actor(), all());
    let rec = |on: &str, input| store.record_step(&who, &everything, id, d(on), input);

    // Out of order: nothing before the certificate.
    let err = rec("2025-09-01", StepInput::Ceremony).await.unwrap_err();
    assert_eq!(invalid_field(err), "ceremony");
    rec(
        "2025-09-01",
        StepInput::AwarenessClass {
            certificate_no: "123/CN".into(),
        },
    )
    .await
    .unwrap();
    // A probationary introducer, too short an acquaintance, the same introducer twice.
    let err = rec(
        "2025-09-10",
        StepInput::Introduction {
            introducer_id: probationary,
            acquainted_since: d("2024-01-01"),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(invalid_field(err), "introducer");
    let err = rec(
        "2025-09-10",
        StepInput::Introduction {
            introducer_id: introducers[0],
            acquainted_since: d("2024-09-11"),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(invalid_field(err), "acquainted_since");
    rec(
        "2025-09-10",
        StepInput::Introduction {
            introducer_id: introducers[0],
            acquainted_since: d("2024-09-10"),
        },
    )
    .await
    .unwrap();
    let err = rec(
        "2025-09-10",
        StepInput::Introduction {
            introducer_id: introducers[0],
            acquainted_since: d("2024-01-01"),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(invalid_field(err), "introducer");
    rec(
        "2025-09-10",
        StepInput::Introduction {
            introducer_id: introducers[1],
            acquainted_since: d("2024-01-01"),
        },
    )
    .await
    .unwrap();
    let err = rec(
        "2025-09-12",
        StepInput::Recommendation {
            by: "sports_club".into(),
            document: "1".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(invalid_field(err), "recommended_by");
    rec(
        "2025-09-12",
        StepInput::Recommendation {
            by: "trade_union".into(),
            document: "5-GT/CĐ".into(),
        },
    )
    .await
    .unwrap();
    // The cell has 3 official members: counting 2 is refused, 1 vote of 3 is refused.
    let err = rec(
        "2026-01-02",
        StepInput::CellVote {
            eligible: 2,
            votes_for: 2,
            document: "7".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(invalid_field(err), "eligible");
    let err = rec(
        "2026-01-02",
        StepInput::CellVote {
            eligible: 3,
            votes_for: 1,
            document: "7".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(invalid_field(err), "votes_for");
    rec(
        "2026-01-02",
        StepInput::CellVote {
            eligible: 3,
            votes_for: 2,
            document: "7-NQ/CB".into(),
        },
    )
    .await
    .unwrap();
    let err = rec(
        "2026-01-05",
        StepInput::CommitteeVote {
            eligible: 6,
            votes_for: 3,
            document: "8".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(invalid_field(err), "votes_for");
    rec(
        "2026-01-05",
        StepInput::CommitteeVote {
            eligible: 6,
            votes_for: 4,
            document: "8-NQ/ĐU".into(),
        },
    )
    .await
    .unwrap();

    // 60 working days after Friday 2 January 2026, across Tết: Friday 3 April. Monday 6
    // April (after the weekend) is refused.
    let cand = store.candidate(&all(), id).await.unwrap();
    assert_eq!(cand.next_step, Some(AdmissionStep::Decision));
    assert_eq!(cand.due.unwrap().due_on, d("2026-04-03"));
    let err = rec(
        "2026-04-06",
        StepInput::Decision {
            document: "12-QĐ/ĐU".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(invalid_field(err), "decided_on");
    let cand = rec(
        "2026-04-03",
        StepInput::Decision {
            document: "12-QĐ/ĐU".into(),
        },
    )
    .await
    .unwrap();
    let member_id = cand.member_id.unwrap();
    let created = store.member(&all(), member_id).await.unwrap();
    assert_eq!(created.status, MemberStatus::Probationary);
    assert_eq!(created.identity.admitted_on, Some(d("2026-04-03")));
    assert_eq!(created.org_id, Some(a.id));
    assert_eq!(
        rollup::subtree_counts(&store.db, ward.id)
            .await
            .unwrap()
            .members_by_status["probationary"],
        2
    );
    // Not a second decision; the ceremony by 20 May (30 working days skipping 27/4, 30/4 and 1/5).
    let err = rec(
        "2026-04-03",
        StepInput::Decision {
            document: "13-QĐ/ĐU".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(invalid_field(err), "decision");
    assert_eq!(
        store
            .candidate(&all(), id)
            .await
            .unwrap()
            .due
            .unwrap()
            .due_on,
        d("2026-05-20")
    );
    let err = rec("2026-05-21", StepInput::Ceremony).await.unwrap_err();
    assert_eq!(invalid_field(err), "ceremony_on");
    let cand = rec("2026-05-20", StepInput::Ceremony).await.unwrap();
    assert_eq!(cand.next_step, None);
    assert_eq!(cand.steps.len(), 8);
    // Done: out of the pipeline, into the probation list from the ceremony.
    assert!(
        store
            .candidate_pipeline(&all(), ward.id, d("2026-06-01"))
            .await
            .unwrap()
            .is_empty()
    );
    let list = store
        .probation_list(&all(), ward.id, d("2026-06-01"))
        .await
        .unwrap();
    let row = list.iter().find(|r| r.member_id == member_id).unwrap();
    assert_eq!(row.probation_from, d("2026-05-20"));
    assert_eq!(
        row.state,
        ProbationState::Running {
            ends_on: d("2027-05-20")
        }
    );
    let figures = store
        .lifecycle_figures(&all(), ward.id, d("2026-01-01"), d("2026-06-30"))
        .await
        .unwrap();
    assert_eq!(value(&figures, "members.admitted"), 1);
    // Every step is in the audit log.
    let audit = grassroots_storage::audit::list(
        &store.db,
        &all(),
        Some(("candidate", &id.to_string())),
        50,
    )
    .await
    .unwrap();
    assert_eq!(audit.len(), 9);
}

#[tokio::test]
async fn decision_age_is_checked_and_a_withdrawn_candidate_takes_no_step() {
    let store = fresh_store().await;
    let (_, _, a, _) = ward_with_two_cells(&store).await;
    let introducers = three_officials(&store, &a).await;
    let old = candidate(&store, &a, "Đinh Văn Già", "1965-01-01").await;
    voted(&store, old, &introducers, "2026-01-02").await;
    let err = store
        .record_step(
            &actor(),
            &all(),
            old,
            d("2026-02-02"),
            StepInput::Decision {
                document: "1-QĐ".into(),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "birth_date");
    let other = candidate(&store, &a, "Mai Văn Bảy", "2000-01-01").await;
    store
        .withdraw_candidate(&actor(), &all(), other, d("2025-10-01"), "moved abroad")
        .await
        .unwrap();
    let err = store
        .record_step(
            &actor(),
            &all(),
            other,
            d("2025-10-02"),
            StepInput::AwarenessClass {
                certificate_no: "1".into(),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "withdrawn_on");
    // Out of scope is not found.
    let elsewhere = Scope::subtree("/999/");
    assert!(matches!(
        store.candidate(&elsewhere, old).await.unwrap_err(),
        StoreError::Domain(DomainError::NotFound { .. })
    ));
}

#[tokio::test]
async fn overdue_decisions_are_flagged_from_the_day_after_the_deadline() {
    let store = fresh_store().await;
    let (_, ward, a, _) = ward_with_two_cells(&store).await;
    let introducers = three_officials(&store, &a).await;
    let id = candidate(&store, &a, "Lý Thị Tám", "1998-02-02").await;
    voted(&store, id, &introducers, "2026-01-02").await;
    let on_time = store
        .candidate_pipeline(&all(), ward.id, d("2026-04-03"))
        .await
        .unwrap();
    assert!(!on_time[0].overdue);
    let late = store
        .candidate_pipeline(&all(), ward.id, d("2026-04-04"))
        .await
        .unwrap();
    assert!(late[0].overdue);
    let figures = store
        .lifecycle_figures(&all(), ward.id, d("2026-01-01"), d("2026-04-04"))
        .await
        .unwrap();
    assert_eq!(value(&figures, "overdue.decision"), 1);
    assert_eq!(value(&figures, "candidates.at.decision"), 1);
    assert_eq!(value(&figures, "candidates.total"), 1);
}

#[tokio::test]
async fn recognition_needs_the_course_and_is_dated_back_to_the_end_of_probation() {
    let store = fresh_store().await;
    let (_, ward, a, _) = ward_with_two_cells(&store).await;
    let id = member(
        &store,
        "Cao Văn Chín",
        &a,
        MemberStatus::Probationary,
        "2025-04-03",
        None,
    )
    .await;
    let late_one = member(
        &store,
        "Cao Thị Mười",
        &a,
        MemberStatus::Probationary,
        "2025-04-03",
        None,
    )
    .await;
    let err = store
        .recognize_official(&actor(), &all(), id, d("2026-05-19"), "20-QĐ/ĐU")
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "new_member_course");
    store
        .record_new_member_course(&actor(), &all(), id, d("2025-07-01"), "BD-1")
        .await
        .unwrap();
    store
        .record_new_member_course(&actor(), &all(), late_one, d("2025-07-01"), "BD-2")
        .await
        .unwrap();
    let err = store
        .recognize_official(&actor(), &all(), id, d("2026-04-02"), "20-QĐ/ĐU")
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "reviewed_on");
    // The review deadline is 20 May 2026 (30 working days after 3 April, skipping 27/4, 30/4, 1/5).
    let list = store
        .probation_list(&all(), ward.id, d("2026-05-21"))
        .await
        .unwrap();
    assert!(list.iter().all(|r| r.state
        == ProbationState::ReviewOverdue {
            ends_on: d("2026-04-03"),
            due_on: d("2026-05-20")
        }));
    let rec = store
        .recognize_official(&actor(), &all(), id, d("2026-05-19"), "20-QĐ/ĐU")
        .await
        .unwrap();
    assert!(!rec.late);
    assert_eq!(rec.official_on, d("2026-04-03"));
    let m = store.member(&all(), id).await.unwrap();
    assert_eq!(
        (m.status, m.identity.official_on),
        (MemberStatus::Official, Some(d("2026-04-03")))
    );
    let history = store.status_history(&all(), id).await.unwrap();
    let official = history
        .iter()
        .find(|s| s.status == MemberStatus::Official)
        .unwrap();
    assert_eq!(official.valid_from, d("2026-04-03"));
    assert_eq!(official.decision.as_deref(), Some("20-QĐ/ĐU"));
    let late = store
        .recognize_official(&actor(), &all(), late_one, d("2026-05-21"), "21-QĐ/ĐU")
        .await
        .unwrap();
    assert!(late.late);
    // Twice is refused.
    let err = store
        .recognize_official(&actor(), &all(), id, d("2026-05-19"), "22-QĐ/ĐU")
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "status");
    let figures = store
        .lifecycle_figures(&all(), ward.id, d("2026-01-01"), d("2026-06-30"))
        .await
        .unwrap();
    assert_eq!(value(&figures, "members.recognized_official"), 2);
    assert_eq!(value(&figures, "probation.members"), 0);
}

/// A province with two wards (grassroots committees) of one cell each:
/// `(province, ward_a, ward_b, a, b)`.
async fn two_wards(store: &Store) -> (Org, Org, Org, Org, Org) {
    let province = org(store, "TINH", OrgKind::Provincial, None).await;
    let ward_a = org(store, "PA", OrgKind::GrassrootsCommittee, Some(&province)).await;
    let ward_b = org(store, "PB", OrgKind::GrassrootsCommittee, Some(&province)).await;
    let a = org(store, "CB-A", OrgKind::Cell, Some(&ward_a)).await;
    let b = org(store, "CB-B", OrgKind::Cell, Some(&ward_b)).await;
    (province, ward_a, ward_b, a, b)
}

#[tokio::test]
async fn a_transfer_letter_expires_cannot_be_accepted_twice_and_never_leaves_two_cells() {
    let store = fresh_store().await;
    let (province, ward_a, ward_b, a, b) = two_wards(&store).await;
    let id = member(
        &store,
        "Tạ Văn Mười Một",
        &a,
        MemberStatus::Official,
        "2000-01-01",
        Some("2001-01-01"),
    )
    .await;
    let sender = Scope::subtree(ward_a.path.clone());
    let receiver = Scope::subtree(ward_b.path.clone());
    // The receiver cannot issue for a member it does not hold.
    assert!(
        store
            .issue_transfer_letter(&actor(), &receiver, id, b.id, d("2026-04-10"), "1-GGT")
            .await
            .is_err()
    );
    let letter = store
        .issue_transfer_letter(&actor(), &sender, id, b.id, d("2026-04-10"), "15-GGT/ĐU")
        .await
        .unwrap();
    assert_eq!(letter.valid_until, d("2026-05-27"));
    let err = store
        .issue_transfer_letter(&actor(), &sender, id, b.id, d("2026-04-11"), "16-GGT/ĐU")
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Domain(DomainError::Conflict(_))),
        "{err:?}"
    );
    // The sender cannot accept; the receiver cannot accept an expired letter.
    assert!(matches!(
        store
            .accept_transfer_letter(&actor(), &sender, letter.id, d("2026-05-26"))
            .await
            .unwrap_err(),
        StoreError::Domain(DomainError::NotFound { .. })
    ));
    let err = store
        .accept_transfer_letter(&actor(), &receiver, letter.id, d("2026-05-28"))
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "accepted_on");
    assert_eq!(store.member(&all(), id).await.unwrap().org_id, Some(a.id));
    let accepted = store
        .accept_transfer_letter(&actor(), &receiver, letter.id, d("2026-05-27"))
        .await
        .unwrap();
    assert_eq!(accepted.state, "accepted");
    let err = store
        .accept_transfer_letter(&actor(), &receiver, letter.id, d("2026-05-27"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Domain(DomainError::Conflict(_))),
        "{err:?}"
    );
    // Exactly one cell on every day around the move.
    for (day, cell) in [
        ("2026-05-26", a.id),
        ("2026-05-27", b.id),
        ("2026-05-28", b.id),
    ] {
        let at = store.where_on(&all(), id, d(day)).await.unwrap();
        assert_eq!(
            at.iter().map(|m| m.org_id).collect::<Vec<_>>(),
            vec![cell],
            "{day}"
        );
    }
    assert_eq!(store.member(&all(), id).await.unwrap().org_id, Some(b.id));
    assert_eq!(
        rollup::subtree_counts(&store.db, ward_a.id)
            .await
            .unwrap()
            .active_members(),
        0
    );
    assert_eq!(
        rollup::subtree_counts(&store.db, ward_b.id)
            .await
            .unwrap()
            .active_members(),
        1
    );
    let out = store
        .lifecycle_figures(&all(), ward_a.id, d("2026-05-01"), d("2026-05-31"))
        .await
        .unwrap();
    assert_eq!(
        (
            value(&out, "members.transferred_out"),
            value(&out, "members.transferred_in")
        ),
        (1, 0)
    );
    let inn = store
        .lifecycle_figures(&all(), ward_b.id, d("2026-05-01"), d("2026-05-31"))
        .await
        .unwrap();
    assert_eq!(
        (
            value(&inn, "members.transferred_out"),
            value(&inn, "members.transferred_in")
        ),
        (0, 1)
    );
    // Inside the province the move is neither in nor out.
    let whole = store
        .lifecycle_figures(&all(), province.id, d("2026-05-01"), d("2026-05-31"))
        .await
        .unwrap();
    assert_eq!(value(&whole, "members.transferred_in"), 0);
    // Both sides see the letter; a cancelled letter cannot be accepted.
    assert_eq!(
        store
            .transfer_letters(&sender, ward_a.id)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        store
            .transfer_letters(&receiver, ward_b.id)
            .await
            .unwrap()
            .len(),
        1
    );
    let back = store
        .issue_transfer_letter(&actor(), &receiver, id, a.id, d("2026-06-01"), "2-GGT/ĐU")
        .await
        .unwrap();
    store
        .cancel_transfer_letter(&actor(), &receiver, back.id, "the member stays")
        .await
        .unwrap();
    assert!(
        store
            .accept_transfer_letter(&actor(), &sender, back.id, d("2026-06-02"))
            .await
            .is_err()
    );
}

#[tokio::test]
async fn outcomes_keep_their_decision_and_party_age_skips_the_gap() {
    let store = fresh_store().await;
    let (_, ward, a, _) = ward_with_two_cells(&store).await;
    let id = member(
        &store,
        "Hà Văn Mười Hai",
        &a,
        MemberStatus::Official,
        "1990-01-10",
        Some("1991-01-10"),
    )
    .await;
    let err = store
        .record_outcome(
            &actor(),
            &all(),
            id,
            OutcomeKind::Removed,
            d("2000-01-10"),
            "3-QĐ/ĐU",
            Some("no reason"),
        )
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "reason");
    store
        .record_outcome(
            &actor(),
            &all(),
            id,
            OutcomeKind::Removed,
            d("2000-01-10"),
            "3-QĐ/ĐU",
            Some("unpaid_dues"),
        )
        .await
        .unwrap();
    let err = store
        .readmit_member(&actor(), &all(), id, a.id, d("2002-01-10"), "9-QĐ/ĐU")
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "readmitted_on");
    store
        .readmit_member(&actor(), &all(), id, a.id, d("2003-01-10"), "9-QĐ/ĐU")
        .await
        .unwrap();
    let m = store.member(&all(), id).await.unwrap();
    assert_eq!(
        (m.status, m.org_id),
        (MemberStatus::Probationary, Some(a.id))
    );
    // 36 calendar years minus the three years (1,096 days) out.
    assert_eq!(
        store
            .party_years(&all(), id, d("2026-01-09"))
            .await
            .unwrap(),
        32
    );
    assert_eq!(
        store
            .party_years(&all(), id, d("2026-01-10"))
            .await
            .unwrap(),
        33
    );
    let outcomes = store.member_outcomes(&all(), id).await.unwrap();
    assert_eq!(
        outcomes.iter().map(|o| o.kind).collect::<Vec<_>>(),
        vec![OutcomeKind::Removed, OutcomeKind::Readmitted]
    );
    assert_eq!(outcomes[0].document, "3-QĐ/ĐU");
    let history = store.status_history(&all(), id).await.unwrap();
    assert!(
        history
            .iter()
            .any(|s| s.status == MemberStatus::Removed && s.decision.as_deref() == Some("3-QĐ/ĐU"))
    );
    // A probationary member cannot be expelled; death ends membership.
    let err = store
        .record_outcome(
            &actor(),
            &all(),
            id,
            OutcomeKind::Expelled,
            d("2020-01-01"),
            "4-QĐ/ĐU",
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "status");
    let other = member(
        &store,
        "Kim Văn Mười Ba",
        &a,
        MemberStatus::Official,
        "1980-01-01",
        Some("1981-01-01"),
    )
    .await;
    store
        .record_outcome(
            &actor(),
            &all(),
            other,
            OutcomeKind::Expelled,
            d("2025-03-01"),
            "5-QĐ/HU",
            None,
        )
        .await
        .unwrap();
    let third = member(
        &store,
        "Kim Văn Mười Bốn",
        &a,
        MemberStatus::Official,
        "1980-01-01",
        Some("1981-01-01"),
    )
    .await;
    store
        .record_outcome(
            &actor(),
            &all(),
            third,
            OutcomeKind::Deceased,
            d("2025-04-01"),
            "giấy báo tử 12",
            None,
        )
        .await
        .unwrap();
    let err = store
        .readmit_member(&actor(), &all(), other, a.id, d("2026-01-01"), "9")
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "status");
    let figures = store
        .lifecycle_figures(&all(), ward.id, d("2025-01-01"), d("2025-12-31"))
        .await
        .unwrap();
    assert_eq!(value(&figures, "members.expelled"), 1);
    assert_eq!(value(&figures, "members.deceased"), 1);
    assert_eq!(value(&figures, "members.removed"), 0);
    let old = store
        .lifecycle_figures(&all(), ward.id, d("2000-01-01"), d("2003-12-31"))
        .await
        .unwrap();
    assert_eq!(
        (
            value(&old, "members.removed"),
            value(&old, "members.readmitted")
        ),
        (1, 1)
    );
}

#[tokio::test]
async fn badges_are_listed_ahead_of_the_award_day() {
    let store = fresh_store().await;
    let (_, ward, a, _) = ward_with_two_cells(&store).await;
    let thirty = member(
        &store,
        "Ba Mươi",
        &a,
        MemberStatus::Official,
        "1996-01-03",
        Some("1997-01-03"),
    )
    .await;
    let forty = member(
        &store,
        "Bốn Mươi",
        &a,
        MemberStatus::Official,
        "1986-02-03",
        Some("1987-02-03"),
    )
    .await;
    member(
        &store,
        "Ba Mươi Lăm",
        &a,
        MemberStatus::Official,
        "1991-01-03",
        Some("1992-01-03"),
    )
    .await;
    member(
        &store,
        "Bốn Mươi Ngày Sau",
        &a,
        MemberStatus::Official,
        "1986-02-04",
        Some("1987-02-04"),
    )
    .await;
    let due = store
        .badges_due(&all(), ward.id, d("2026-02-03"))
        .await
        .unwrap();
    assert_eq!(
        due.iter()
            .map(|r| (r.member_id, r.badge.years))
            .collect::<Vec<_>>(),
        vec![(forty, 40), (thirty, 30)]
    );
    let next = store
        .badges_due(&all(), ward.id, d("2026-05-19"))
        .await
        .unwrap();
    assert_eq!(
        next.iter().map(|r| r.badge.years).collect::<Vec<_>>(),
        vec![40]
    );
    let err = store
        .badges_due(&all(), ward.id, d("2026-02-04"))
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "award_day");
    let figures = store
        .lifecycle_figures(&all(), ward.id, d("2026-01-01"), d("2026-06-30"))
        .await
        .unwrap();
    assert_eq!(value(&figures, "badges.due.40"), 2);
    assert_eq!(value(&figures, "badges.due.30"), 1);
    assert_eq!(value(&figures, "badges.due"), 3);
}

#[tokio::test]
async fn dues_follow_the_rate_in_force_each_month_and_feed_the_removal_alert() {
    let store = fresh_store().await;
    let (_, ward, a, _) = ward_with_two_cells(&store).await;
    let student = member(
        &store,
        "Sinh Viên",
        &a,
        MemberStatus::Official,
        "2020-01-01",
        Some("2021-01-01"),
    )
    .await;
    let salaried = member(
        &store,
        "Công Chức",
        &a,
        MemberStatus::Official,
        "2010-01-01",
        Some("2011-01-01"),
    )
    .await;
    store
        .declare_income(
            &actor(),
            &all(),
            student,
            ym("2025-01"),
            Income {
                kind: IncomeKind::Student,
                base_vnd: 0,
            },
        )
        .await
        .unwrap();
    let err = store
        .declare_income(
            &actor(),
            &all(),
            student,
            ym("2025-01"),
            Income {
                kind: IncomeKind::Student,
                base_vnd: 0,
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Domain(DomainError::Conflict(_))),
        "{err:?}"
    );
    store
        .declare_income(
            &actor(),
            &all(),
            salaried,
            ym("2025-01"),
            Income {
                kind: IncomeKind::Salaried,
                base_vnd: 8_000_000,
            },
        )
        .await
        .unwrap();
    let bad = Relief {
        from: ym("2026-01"),
        to: ym("2026-06"),
        exemption: None,
        percent: 40,
    };
    assert_eq!(
        invalid_field(
            store
                .grant_dues_relief(&actor(), &all(), salaried, bad, "1-QĐ")
                .await
                .unwrap_err()
        ),
        "percent"
    );
    let half = Relief { percent: 50, ..bad };
    store
        .grant_dues_relief(&actor(), &all(), salaried, half, "1-QĐ/CB")
        .await
        .unwrap();
    let ill = Relief {
        from: ym("2026-04"),
        to: ym("2026-04"),
        exemption: Some(ExemptionReason::SeriousIllness),
        percent: 100,
    };
    store
        .grant_dues_relief(&actor(), &all(), salaried, ill, "2-QĐ/CB")
        .await
        .unwrap();

    // December 2025 under 342-QĐ/TW, January 2026 under 01-QĐ/TW.
    let lines = store
        .member_dues(&all(), student, ym("2025-12"), ym("2026-01"))
        .await
        .unwrap();
    let dec = lines[0].dues.as_ref().unwrap();
    let jan = lines[1].dues.as_ref().unwrap();
    assert_eq!((dec.due_vnd, dec.source.as_str()), (3000, "342-QĐ/TW"));
    assert_eq!((jan.due_vnd, jan.source.as_str()), (5000, "01-QĐ/TW"));
    let sal = store
        .member_dues(&all(), salaried, ym("2025-12"), ym("2026-04"))
        .await
        .unwrap();
    assert_eq!(
        sal.iter().map(|l| l.due_vnd()).collect::<Vec<_>>(),
        vec![80_000, 40_000, 40_000, 40_000, 0]
    );

    // The student pays January only; February to April unpaid: three months, the alert.
    let err = store
        .record_dues_payment(&actor(), &all(), student, ym("2026-01"), 0, d("2026-01-20"))
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "amount_vnd");
    store
        .record_dues_payment(
            &actor(),
            &all(),
            student,
            ym("2026-01"),
            5000,
            d("2026-01-20"),
        )
        .await
        .unwrap();
    for month in ["2026-01", "2026-02", "2026-03"] {
        store
            .record_dues_payment(
                &actor(),
                &all(),
                salaried,
                ym(month),
                40_000,
                d("2026-03-31"),
            )
            .await
            .unwrap();
    }
    let arrears = store
        .dues_arrears(&all(), ward.id, ym("2026-03"))
        .await
        .unwrap();
    assert_eq!(arrears.len(), 1);
    assert!(!arrears[0].removal_alert);
    let arrears = store
        .dues_arrears(&all(), ward.id, ym("2026-04"))
        .await
        .unwrap();
    assert_eq!(
        arrears.iter().map(|r| r.member_id).collect::<Vec<_>>(),
        vec![student]
    );
    assert_eq!(arrears[0].arrears.total_vnd, 15_000);
    assert!(arrears[0].removal_alert);

    let sheet = store.dues_sheet(&all(), a.id, ym("2026-04")).await.unwrap();
    assert_eq!(sheet.rows.len(), 2);
    let row = sheet.rows.iter().find(|r| r.member_id == student).unwrap();
    assert_eq!(
        row.unpaid_months_in_year,
        vec![ym("2026-02"), ym("2026-03"), ym("2026-04")]
    );
    assert!(row.removal_alert);
    // The sheet reads every member's ledger in one go: each row is what the member's own
    // dues say, nothing of the other member's incomes, reliefs or payments mixed in.
    for row in &sheet.rows {
        let own = store
            .member_dues(&all(), row.member_id, ym("2026-01"), ym("2026-04"))
            .await
            .unwrap();
        assert_eq!(own.last(), Some(&row.line), "member {}", row.member_id);
        let unpaid: Vec<_> = own
            .iter()
            .filter(|l| l.owed_vnd() > 0)
            .map(|l| l.month)
            .collect();
        assert_eq!(unpaid, row.unpaid_months_in_year);
    }
    assert_eq!((sheet.total_due_vnd, sheet.total_paid_vnd), (5000, 0));
    let bytes = dues_sheet_xlsx(&sheet).unwrap();
    assert!(bytes.starts_with(b"PK"), "an xlsx file is a zip archive");
    assert!(
        store
            .dues_sheet(&all(), ward.id, ym("2026-04"))
            .await
            .is_err()
    );

    let figures = store
        .lifecycle_figures(&all(), ward.id, d("2026-01-01"), d("2026-04-30"))
        .await
        .unwrap();
    assert_eq!(value(&figures, "dues.collected"), 125_000);
    assert_eq!(value(&figures, "dues.due"), 20_000 + 120_000);
    assert_eq!(value(&figures, "dues.arrears_members"), 1);
}

#[tokio::test]
async fn cards_keep_their_history_and_numbers_are_never_reused() {
    let store = fresh_store().await;
    let (_, _, a, _) = ward_with_two_cells(&store).await;
    let id = member(
        &store,
        "Thẻ Đảng",
        &a,
        MemberStatus::Official,
        "2010-01-01",
        Some("2011-01-01"),
    )
    .await;
    store
        .issue_card(&actor(), &all(), id, "A123456", d("2011-05-19"))
        .await
        .unwrap();
    let err = store
        .issue_card(&actor(), &all(), id, "A999999", d("2020-01-01"))
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "card_no");
    let err = store
        .end_card(&actor(), &all(), id, "stolen", d("2024-01-01"), None)
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "state");
    store
        .end_card(
            &actor(),
            &all(),
            id,
            "lost",
            d("2024-01-01"),
            Some("lost in a flood"),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .member(&all(), id)
            .await
            .unwrap()
            .identity
            .party_card_no,
        None
    );
    let err = store
        .issue_card(&actor(), &all(), id, "A123456", d("2024-02-01"))
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "card_no");
    store
        .issue_card(&actor(), &all(), id, "B654321", d("2024-02-01"))
        .await
        .unwrap();
    let history = store.card_history(&all(), id).await.unwrap();
    assert_eq!(
        history
            .iter()
            .map(|c| (c.card_no.as_str(), c.state.as_str()))
            .collect::<Vec<_>>(),
        vec![("A123456", "lost"), ("B654321", "valid")]
    );
    assert_eq!(
        store
            .member(&all(), id)
            .await
            .unwrap()
            .identity
            .party_card_no
            .as_deref(),
        Some("B654321")
    );
}

#[tokio::test]
async fn the_demo_builds_a_pipeline_with_one_overdue_candidate_and_a_probation_list() {
    let store = fresh_store().await;
    let (_, ward, a, _) = ward_with_two_cells(&store).await;
    let as_of = d("2026-06-30");
    let demo = store.demo_lifecycle(&actor(), a.id, as_of).await.unwrap();
    assert_eq!(demo.candidates.len(), 7);
    let pipeline = store
        .candidate_pipeline(&all(), ward.id, as_of)
        .await
        .unwrap();
    assert_eq!(pipeline.len(), 6);
    let overdue: Vec<i64> = pipeline
        .iter()
        .filter(|c| c.overdue)
        .map(|c| c.id)
        .collect();
    assert_eq!(overdue, vec![demo.overdue_candidate]);
    let steps: Vec<Option<AdmissionStep>> = pipeline.iter().map(|c| c.next_step).collect();
    for step in [
        AdmissionStep::Introduction,
        AdmissionStep::Recommendation,
        AdmissionStep::CellVote,
        AdmissionStep::Decision,
        AdmissionStep::Ceremony,
    ] {
        assert!(
            steps.contains(&Some(step)),
            "{step:?} missing from {steps:?}"
        );
    }
    let probation = store.probation_list(&all(), ward.id, as_of).await.unwrap();
    assert_eq!(probation.len(), 1);
    assert!(matches!(
        probation[0].state,
        ProbationState::ReviewDue { .. }
    ));
    assert!(probation[0].course_completed_on.is_some());
    // The same call on a fresh database gives the same pipeline.
    let again = fresh_store().await;
    let (_, _, a2, _) = ward_with_two_cells(&again).await;
    let demo2 = again.demo_lifecycle(&actor(), a2.id, as_of).await.unwrap();
    assert_eq!(demo, demo2);
}

#[tokio::test]
async fn a_temporary_transfer_is_bounded_and_counted_at_home() {
    let store = fresh_store().await;
    let (_, ward, a, b) = ward_with_two_cells(&store).await;
    let id = member(
        &store,
        "Tạm Thời",
        &a,
        MemberStatus::Official,
        "2010-01-01",
        Some("2011-01-01"),
    )
    .await;
    let err = store
        .temporary_transfer(
            &actor(),
            &all(),
            id,
            b.id,
            d("2026-01-15"),
            d("2026-04-14"),
            false,
        )
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "until");
    let err = store
        .temporary_transfer(
            &actor(),
            &all(),
            id,
            b.id,
            d("2026-01-15"),
            d("2027-01-16"),
            false,
        )
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "until");
    store
        .temporary_transfer(
            &actor(),
            &all(),
            id,
            b.id,
            d("2026-01-15"),
            d("2027-01-15"),
            false,
        )
        .await
        .unwrap();
    let m = store.member(&all(), id).await.unwrap();
    assert_eq!(m.org_id, Some(a.id));
    let at = store.where_on(&all(), id, d("2026-03-01")).await.unwrap();
    assert_eq!(at.len(), 2);
    // The dues sheet and the counts stay with the home cell.
    store
        .declare_income(
            &actor(),
            &all(),
            id,
            ym("2026-01"),
            Income {
                kind: IncomeKind::Student,
                base_vnd: 0,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .dues_sheet(&all(), a.id, ym("2026-03"))
            .await
            .unwrap()
            .rows
            .len(),
        1
    );
    assert!(
        store
            .dues_sheet(&all(), b.id, ym("2026-03"))
            .await
            .unwrap()
            .rows
            .is_empty()
    );
    assert_eq!(
        rollup::subtree_counts(&store.db, ward.id)
            .await
            .unwrap()
            .active_members(),
        1
    );
}

#[tokio::test]
async fn a_card_number_entered_before_card_history_is_kept_when_it_is_lost() {
    let store = fresh_store().await;
    let (_, _, a, _) = ward_with_two_cells(&store).await;
    let id = store
        .create_member(
            &actor(),
            &all(),
            NewMember {
                identity: MemberIdentity {
                    full_name: "Thẻ Cũ".into(),
                    birth_date: d("1970-01-01"),
                    gender: Gender::Male,
                    ethnicity: "Kinh".into(),
                    citizen_id: None,
                    party_card_no: Some("OLD0001".into()),
                    admitted_on: Some(d("1995-01-01")),
                    official_on: Some(d("1996-01-01")),
                },
                org_id: a.id,
                status: MemberStatus::Official,
                status_since: d("1996-01-01"),
                joined_on: d("1996-01-01"),
            },
        )
        .await
        .unwrap()
        .id;
    store
        .end_card(&actor(), &all(), id, "damaged", d("2025-01-01"), None)
        .await
        .unwrap();
    store
        .issue_card(&actor(), &all(), id, "NEW0001", d("2025-02-01"))
        .await
        .unwrap();
    let history = store.card_history(&all(), id).await.unwrap();
    assert_eq!(
        history
            .iter()
            .map(|c| (c.card_no.as_str(), c.state.as_str()))
            .collect::<Vec<_>>(),
        vec![("OLD0001", "damaged"), ("NEW0001", "valid")]
    );
    let audit =
        grassroots_storage::audit::list(&store.db, &all(), Some(("member", &id.to_string())), 20)
            .await
            .unwrap();
    assert!(audit.iter().any(|e| e.action == "card.adopt"));
}

#[tokio::test]
async fn unpaid_dues_raise_the_meetings_removal_alert() {
    use grassroots_domain::meetings::{AlertRule, MeetingKind, Period};
    use grassroots_storage::meetings::{MeetingFiguresReader, MeetingWriter, NewMeeting};
    let store = fresh_store().await;
    let (_, ward, a, _) = ward_with_two_cells(&store).await;
    let payer = member(
        &store,
        "Đóng Đủ",
        &a,
        MemberStatus::Official,
        "2010-01-01",
        Some("2011-01-01"),
    )
    .await;
    let debtor = member(
        &store,
        "Nợ Phí",
        &a,
        MemberStatus::Official,
        "2010-01-01",
        Some("2011-01-01"),
    )
    .await;
    for id in [payer, debtor] {
        store
            .declare_income(
                &actor(),
                &all(),
                id,
                ym("2025-01"),
                Income {
                    kind: IncomeKind::Student,
                    base_vnd: 0,
                },
            )
            .await
            .unwrap();
    }
    for month in ["2025-01", "2025-02", "2025-03", "2025-04"] {
        store
            .record_dues_payment(&actor(), &all(), payer, ym(month), 3000, d("2025-04-30"))
            .await
            .unwrap();
    }
    store
        .record_dues_payment(
            &actor(),
            &all(),
            debtor,
            ym("2025-01"),
            3000,
            d("2025-01-31"),
        )
        .await
        .unwrap();
    let meeting = store
        .create_meeting(
            &actor(),
            &all(),
            NewMeeting {
                org_id: a.id,
                kind: MeetingKind::Regular,
                date: d("2025-04-03"),
                agenda: None,
                topic: None,
            },
        )
        .await
        .unwrap();
    store
        .record_attendance(&actor(), &all(), meeting.id, &[])
        .await
        .unwrap();
    // Through April: February, March and April unpaid for the debtor only.
    let period = Period::new(d("2025-01-01"), d("2025-04-30")).unwrap();
    let alerts = store.meeting_alerts(&all(), ward.id, period).await.unwrap();
    let removal: Vec<_> = alerts
        .iter()
        .filter(|x| x.rule == AlertRule::ProposedRemoval)
        .collect();
    assert_eq!(removal.len(), 1, "{alerts:?}");
    assert_eq!(removal[0].member_id, Some(debtor));
    assert!(
        removal[0].message.contains("dues"),
        "{}",
        removal[0].message
    );
    // Through March the months not yet over do not count: only two.
    let period = Period::new(d("2025-01-01"), d("2025-03-30")).unwrap();
    let alerts = store.meeting_alerts(&all(), ward.id, period).await.unwrap();
    assert!(
        alerts.iter().all(|x| x.rule != AlertRule::ProposedRemoval),
        "{alerts:?}"
    );
}

/// Only members whose marks can raise an alert have their marks read (an absence without
/// reason, or more with reason than a run may hold): an absence without reason still
/// counts with unpaid months toward removal, and a debtor's few absences with reason add
/// nothing to the proposal.
#[tokio::test]
async fn marks_and_unpaid_months_count_together_toward_removal() {
    use grassroots_domain::meetings::{Absence, AlertRule, MeetingKind, Period};
    use grassroots_storage::meetings::{MeetingFiguresReader, MeetingWriter, NewMeeting};
    let store = fresh_store().await;
    let (_, ward, a, _) = ward_with_two_cells(&store).await;
    let official = |name: &'static str| {
        let store = &store;
        let a = &a;
        async move {
            member(
                store,
                name,
                a,
                MemberStatus::Official,
                "2010-01-01",
                Some("2011-01-01"),
            )
            .await
        }
    };
    let mixed = official("Vắng Và Nợ").await;
    let excuser = official("Có Lý Do").await;
    for (id, paid) in [
        (mixed, ["2025-01", "2025-02"]),
        (excuser, ["2025-01", "2025-01"]),
    ] {
        let income = Income {
            kind: IncomeKind::Student,
            base_vnd: 0,
        };
        store
            .declare_income(&actor(), &all(), id, ym("2025-01"), income)
            .await
            .unwrap();
        for month in paid {
            store
                .record_dues_payment(&actor(), &all(), id, ym(month), 3000, d("2025-04-30"))
                .await
                .unwrap();
        }
    }
    let mut meetings = Vec::new();
    for (day, absentees) in [
        ("2025-01-10", vec![]),
        (
            "2025-02-10",
            vec![
                Absence {
                    member_id: mixed,
                    reason: None,
                },
                Absence {
                    member_id: excuser,
                    reason: Some("ốm".into()),
                },
            ],
        ),
        (
            "2025-03-10",
            vec![Absence {
                member_id: excuser,
                reason: Some("đi công tác".into()),
            }],
        ),
    ] {
        let meeting = store
            .create_meeting(
                &actor(),
                &all(),
                NewMeeting {
                    org_id: a.id,
                    kind: MeetingKind::Regular,
                    date: d(day),
                    agenda: None,
                    topic: None,
                },
            )
            .await
            .unwrap();
        store
            .record_attendance(&actor(), &all(), meeting.id, &absentees)
            .await
            .unwrap();
        meetings.push(meeting.id);
    }
    let period = Period::new(d("2025-01-01"), d("2025-04-30")).unwrap();
    let alerts = store.meeting_alerts(&all(), ward.id, period).await.unwrap();
    let removal = |id: i64| {
        let found: Vec<_> = alerts
            .iter()
            .filter(|x| x.rule == AlertRule::ProposedRemoval && x.member_id == Some(id))
            .collect();
        assert_eq!(found.len(), 1, "{alerts:?}");
        found[0].clone()
    };
    // February's absence without reason, then March and April unpaid.
    let m = removal(mixed);
    assert_eq!((m.on, m.org_id), (d("2025-04-30"), a.id));
    assert_eq!(m.evidence.meeting_ids, vec![meetings[1]]);
    assert_eq!(m.evidence.periods, ["2025-02", "2025-03", "2025-04"]);
    // February to April unpaid; two absences with reason are no run and no evidence.
    let e = removal(excuser);
    assert_eq!((e.on, e.org_id), (d("2025-04-30"), a.id));
    assert!(e.evidence.meeting_ids.is_empty(), "{e:?}");
    assert_eq!(e.evidence.periods, ["2025-02", "2025-03", "2025-04"]);
    assert!(
        alerts.iter().all(|x| x.rule != AlertRule::ExcusedInARow),
        "{alerts:?}"
    );
    let unexcused: Vec<_> = alerts
        .iter()
        .filter(|x| x.rule == AlertRule::AbsentUnexcused)
        .map(|x| x.member_id)
        .collect();
    assert_eq!(unexcused, [Some(mixed)]);
}

/// The dues figures of `org` for January to April 2026, from kept parts and from the
/// records: (due, members in arrears, collected) each.
async fn dues_both_ways(store: &Store, org: &Org) -> ((i64, i64, i64), (i64, i64, i64)) {
    dues_both_ways_until(store, org, d("2026-04-30")).await
}

/// The same for January 2026 to `to`.
async fn dues_both_ways_until(
    store: &Store,
    org: &Org,
    to: Date,
) -> ((i64, i64, i64), (i64, i64, i64)) {
    let mut out = Vec::new();
    for counted in [Counted::FromKeptParts, Counted::FromRecords] {
        let figures = store
            .lifecycle_figures_counted(&all(), org.id, d("2026-01-01"), to, counted)
            .await
            .unwrap();
        out.push((
            value(&figures, "dues.due"),
            value(&figures, "dues.arrears_members"),
            value(&figures, "dues.collected"),
        ));
    }
    (out[0], out[1])
}

/// The counter a cell's kept dues part was computed at (None: nothing kept). The period has
/// ended: its members are those who stood at the cell on its last day.
async fn kept_dues_counter(store: &Store, org: &Org) -> Option<i64> {
    let sql = store.db.sql(
        "SELECT registry_own_n FROM registry_parts WHERE org_id = ? \
         AND part = 'dues 2026-01 2026-04 on 2026-04-30' AND name = ''",
    );
    sqlx::query(&sql)
        .bind(org.id)
        .fetch_optional(store.db.read())
        .await
        .unwrap()
        .map(|r| sqlx::Row::try_get::<i64, _>(&r, "registry_own_n").unwrap())
}

#[tokio::test]
async fn kept_dues_parts_equal_the_records_after_each_write() {
    let store = fresh_store().await;
    let (_, ward, a, b) = ward_with_two_cells(&store).await;
    let in_a = member(
        &store,
        "Lương An",
        &a,
        MemberStatus::Official,
        "2010-01-01",
        Some("2011-01-01"),
    )
    .await;
    let in_b = member(
        &store,
        "Lương Bình",
        &b,
        MemberStatus::Official,
        "2015-01-01",
        Some("2016-01-01"),
    )
    .await;
    let later = member(
        &store,
        "Lương Cúc",
        &a,
        MemberStatus::Official,
        "2018-01-01",
        Some("2019-01-01"),
    )
    .await;
    for (id, kind, base) in [
        (in_a, IncomeKind::Salaried, 8_000_000),
        (in_b, IncomeKind::Student, 0),
    ] {
        store
            .declare_income(
                &actor(),
                &all(),
                id,
                ym("2025-01"),
                Income {
                    kind,
                    base_vnd: base,
                },
            )
            .await
            .unwrap();
    }
    let check = |step: &'static str| {
        let store = &store;
        let (ward, a, b) = (&ward, &a, &b);
        async move {
            for org in [ward, a, b] {
                let (kept, records) = dues_both_ways(store, org).await;
                assert_eq!(kept, records, "{step}: {}", org.code);
                // And this year so far, whose members are those of the cells now.
                let today = chrono::Local::now().date_naive();
                let (kept, records) = dues_both_ways_until(store, org, today).await;
                assert_eq!(kept, records, "{step}, this year: {}", org.code);
            }
        }
    };
    check("incomes declared").await;
    let (ward_figures, _) = dues_both_ways(&store, &ward).await;
    assert_eq!(
        ward_figures,
        (4 * 80_000 + 4 * 5_000, 2, 0),
        "nothing paid yet"
    );
    let b_counter = kept_dues_counter(&store, &b).await;
    assert!(b_counter.is_some(), "the cell's part is kept");

    // A payment in cell A: A's part is computed again, B's is reused as kept.
    store
        .record_dues_payment(
            &actor(),
            &all(),
            in_a,
            ym("2026-01"),
            80_000,
            d("2026-01-20"),
        )
        .await
        .unwrap();
    check("a payment in A").await;
    assert_eq!(
        kept_dues_counter(&store, &b).await,
        b_counter,
        "B untouched"
    );
    store
        .declare_income(
            &actor(),
            &all(),
            later,
            ym("2026-02"),
            Income {
                kind: IncomeKind::Salaried,
                base_vnd: 6_000_000,
            },
        )
        .await
        .unwrap();
    check("an income declared in A").await;
    // The member in B moves to A: both parts move.
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
    check("a transfer from B to A").await;
    assert_ne!(
        kept_dues_counter(&store, &b).await,
        b_counter,
        "B computed again"
    );
    let (_, b_now) = dues_both_ways(&store, &b).await;
    assert_eq!(b_now, (0, 0, 0), "B has no member left");
    let (a_now, _) = dues_both_ways(&store, &a).await;
    assert_eq!(a_now.2, 80_000, "the payment recorded by A");
    store
        .record_outcome(
            &actor(),
            &all(),
            in_a,
            OutcomeKind::Deceased,
            d("2026-04-10"),
            "5-QĐ/ĐU",
            None,
        )
        .await
        .unwrap();
    check("a death in A").await;
}

#[tokio::test]
async fn lifecycle_records_are_counted_where_their_cell_moved() {
    let store = fresh_store().await;
    let (_, ward_a, ward_b, a, b) = two_wards(&store).await;
    let payer = member(
        &store,
        "Đỗ Trả",
        &a,
        MemberStatus::Official,
        "2010-01-01",
        Some("2011-01-01"),
    )
    .await;
    let mover = member(
        &store,
        "Đỗ Chuyển",
        &a,
        MemberStatus::Official,
        "2012-01-01",
        Some("2013-01-01"),
    )
    .await;
    let leaver = member(
        &store,
        "Đỗ Mất",
        &a,
        MemberStatus::Official,
        "2000-01-01",
        Some("2001-01-01"),
    )
    .await;
    store
        .record_dues_payment(
            &actor(),
            &all(),
            payer,
            ym("2026-02"),
            30_000,
            d("2026-02-20"),
        )
        .await
        .unwrap();
    let sender = Scope::subtree(&ward_a.path);
    let letter = store
        .issue_transfer_letter(&actor(), &sender, mover, b.id, d("2026-03-02"), "7-GGT/ĐU")
        .await
        .unwrap();
    store
        .accept_transfer_letter(
            &actor(),
            &Scope::subtree(&ward_b.path),
            letter.id,
            d("2026-03-10"),
        )
        .await
        .unwrap();
    store
        .record_outcome(
            &actor(),
            &all(),
            leaver,
            OutcomeKind::Deceased,
            d("2026-03-15"),
            "9-QĐ/ĐU",
            None,
        )
        .await
        .unwrap();
    let figures = |org: &Org, to: Date| {
        let (store, id) = (&store, org.id);
        async move {
            let f = store
                .lifecycle_figures(&all(), id, d("2026-01-01"), to)
                .await
                .unwrap();
            [
                value(&f, "dues.collected"),
                value(&f, "members.transferred_out"),
                value(&f, "members.transferred_in"),
                value(&f, "members.deceased"),
            ]
        }
    };
    let today = chrono::Local::now().date_naive();
    assert_eq!(figures(&ward_a, today).await, [30_000, 1, 0, 1]);
    assert_eq!(figures(&ward_b, today).await, [0, 0, 1, 0]);

    // Cell A moves under ward B: in the running year (today's tree) its payment, its letter
    // and its death go with it, and the transfer, now inside ward B, is neither in nor out
    // there.
    store
        .move_org(
            &actor(),
            &all(),
            a.id,
            ward_b.id,
            d("2026-07-01"),
            None,
            None,
        )
        .await
        .unwrap();
    let ward_a = store.org(&all(), ward_a.id).await.unwrap();
    let ward_b = store.org(&all(), ward_b.id).await.unwrap();
    assert_eq!(figures(&ward_a, today).await, [0, 0, 0, 0]);
    assert_eq!(figures(&ward_b, today).await, [30_000, 0, 0, 1]);
    // The first half of 2026 has ended before the move: its letter and its death count in
    // the tree of 30 June, where cell A was under ward A. (Dues count members where they
    // belong now, in any period.)
    let half = d("2026-06-30");
    assert_eq!(figures(&ward_a, half).await[1..], [1, 0, 1]);
    assert_eq!(figures(&ward_b, half).await[1..], [0, 1, 0]);
}
