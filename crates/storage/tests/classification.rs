#![allow(clippy::unwrap_used)] // Tests fail loudly by design.

//! The annual review and classification: one decision per subject and year, corrections as
//! revisions that keep the history, the quota of "excellent" under 124-QĐ/TW per grassroots
//! organization, points under 366-QĐ/TW, members outside the party in the year refused, the
//! audit entry and scoped reads. Runs on SQLite, and on PostgreSQL when
//! GRASSROOTS_TEST_DATABASE_URL is set.

use grassroots_domain::DomainError;
use grassroots_domain::classification::{Decision, Level, SubjectKind};
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus};
use grassroots_domain::org::OrgKind;
use grassroots_storage::classification::figures::OrgsCounted;
use grassroots_storage::classification::{
    ClassificationReader, ClassificationWriter, NewClassification,
};
use grassroots_storage::members::{MemberWriter, NewMember};
use grassroots_storage::orgs::Org;
use grassroots_storage::testing::fresh_store;
use grassroots_storage::{Scope, Store, StoreError};

mod support;
use support::{actor, all, d, org, ward_with_two_cells};

fn field(err: StoreError) -> String {
    match err {
        StoreError::Domain(DomainError::Invalid { field, .. }) => field,
        other => panic!("expected an invalid field, got {other:?}"),
    }
}

async fn member(store: &Store, n: usize, cell: &Org, status: MemberStatus, since: &str) -> i64 {
    store
        .create_member(
            &actor(),
            &all(),
            NewMember {
                identity: MemberIdentity {
                    full_name: format!(
                        "Nguyễn Văn {}",
                        [
                            "An", "Bình", "Cường", "Dũng", "Em", "Giang", "Hải", "Khoa", "Lâm",
                            "Minh", "Nam", "Phong", "Quang", "Sơn"
                        ][n]
                    ),
                    birth_date: d("1980-01-01"),
                    gender: Gender::Male,
                    ethnicity: "Kinh".into(),
                    citizen_id: None,
                    party_card_no: None,
                    admitted_on: Some(if status == MemberStatus::Probationary {
                        d(since)
                    } else {
                        d("2015-01-01")
                    }),
                    official_on: (status == MemberStatus::Official).then(|| d("2016-01-01")),
                },
                org_id: cell.id,
                status,
                status_since: d(since),
                joined_on: d(since),
            },
        )
        .await
        .unwrap()
        .id
}

fn decision(
    kind: SubjectKind,
    id: i64,
    year: i32,
    level: Level,
    points: Option<u32>,
    on: &str,
    by: i64,
) -> NewClassification {
    NewClassification {
        subject_kind: kind,
        subject_id: id,
        decision: Decision {
            year,
            level,
            points,
            decided_on: d(on),
            note: None,
        },
        decided_by: by,
        supersedes: None,
    }
}

#[tokio::test]
async fn one_decision_per_year_corrections_keep_history() {
    let store = fresh_store().await;
    let (_, ward, a, _) = ward_with_two_cells(&store).await;
    let m = member(&store, 0, &a, MemberStatus::Official, "2016-01-01").await;

    let first = store
        .classify(
            &actor(),
            &all(),
            decision(
                SubjectKind::Member,
                m,
                2024,
                Level::Good,
                None,
                "2024-12-20",
                ward.id,
            ),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            first.revision,
            first.current,
            first.org_id,
            first.grassroots_id
        ),
        (1, true, a.id, ward.id)
    );
    assert_eq!(first.scheme, "quota");

    // A second decision without naming the first is a conflict: nothing is overwritten.
    let err = store
        .classify(
            &actor(),
            &all(),
            decision(
                SubjectKind::Member,
                m,
                2024,
                Level::Completed,
                None,
                "2024-12-21",
                ward.id,
            ),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Domain(DomainError::Conflict(ref msg)) if msg.contains(&first.id.to_string())),
        "{err:?}"
    );

    // A correction names the record it supersedes; the first stays as history.
    let mut fix = decision(
        SubjectKind::Member,
        m,
        2024,
        Level::Completed,
        None,
        "2024-12-28",
        ward.id,
    );
    fix.supersedes = Some(first.id);
    fix.decision.note = Some("  Sửa theo kết luận của đảng ủy ".into());
    let second = store.classify(&actor(), &all(), fix.clone()).await.unwrap();
    assert_eq!(
        (second.revision, second.supersedes, second.current),
        (2, Some(first.id), true)
    );
    assert_eq!(
        second.note.as_deref(),
        Some("Sửa theo kết luận của đảng ủy")
    );
    // Superseding the same record again is refused: it is no longer current.
    let err = store.classify(&actor(), &all(), fix).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Domain(DomainError::Conflict(_))),
        "{err:?}"
    );
    // A correction of nothing is refused.
    let mut stray = decision(
        SubjectKind::Member,
        m,
        2023,
        Level::Good,
        None,
        "2023-12-20",
        ward.id,
    );
    stray.supersedes = Some(second.id);
    assert_eq!(
        field(store.classify(&actor(), &all(), stray).await.unwrap_err()),
        "supersedes"
    );

    let history = store
        .classification_history(&all(), SubjectKind::Member, m, Some(2024))
        .await
        .unwrap();
    assert_eq!(
        history
            .iter()
            .map(|c| (c.revision, c.current, c.level))
            .collect::<Vec<_>>(),
        vec![(2, true, Level::Completed), (1, false, Level::Good)]
    );
    assert!(
        !store
            .classification(&all(), first.id)
            .await
            .unwrap()
            .current
    );

    // The audit log holds both, the correction with its before state.
    let entries = grassroots_storage::audit::list(
        &store.db,
        &all(),
        Some(("classification", &second.id.to_string())),
        10,
    )
    .await
    .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, "correct_classification");
    assert_eq!(entries[0].before.as_ref().unwrap()["level"], "good");
    assert_eq!(entries[0].after.as_ref().unwrap()["level"], "completed");

    // The tally counts the current level only.
    let (members, _) = store
        .classification_tallies(&all(), ward.id, 2024, OrgsCounted::Grassroots)
        .await
        .unwrap();
    assert_eq!(
        (members.good, members.completed, members.total()),
        (0, 1, 1)
    );
}

#[tokio::test]
async fn the_quota_of_excellent_is_per_grassroots_organization_under_124() {
    let store = fresh_store().await;
    let (province, ward, a, b) = ward_with_two_cells(&store).await;
    let other = org(&store, "KHAC", OrgKind::GrassrootsCell, Some(&province)).await;
    let mut ids = Vec::new();
    for n in 0..6 {
        ids.push(
            member(
                &store,
                n,
                if n % 2 == 0 { &a } else { &b },
                MemberStatus::Official,
                "2016-01-01",
            )
            .await,
        );
    }
    let far = member(&store, 6, &other, MemberStatus::Official, "2016-01-01").await;
    // Four good (quota 20 % of 4 = 0): an excellent is refused, naming the level.
    for id in &ids[..4] {
        store
            .classify(
                &actor(),
                &all(),
                decision(
                    SubjectKind::Member,
                    *id,
                    2024,
                    Level::Good,
                    None,
                    "2024-12-20",
                    ward.id,
                ),
            )
            .await
            .unwrap();
    }
    let err = store
        .classify(
            &actor(),
            &all(),
            decision(
                SubjectKind::Member,
                ids[4],
                2024,
                Level::Excellent,
                None,
                "2024-12-20",
                ward.id,
            ),
        )
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert_eq!(field(err), "level");
    assert!(msg.contains("20%") && msg.contains(&ward.name), "{msg}");
    // A fifth good makes room for one excellent, across both cells of the ward.
    store
        .classify(
            &actor(),
            &all(),
            decision(
                SubjectKind::Member,
                ids[4],
                2024,
                Level::Good,
                None,
                "2024-12-20",
                ward.id,
            ),
        )
        .await
        .unwrap();
    store
        .classify(
            &actor(),
            &all(),
            decision(
                SubjectKind::Member,
                ids[5],
                2024,
                Level::Excellent,
                None,
                "2024-12-20",
                ward.id,
            ),
        )
        .await
        .unwrap();
    // Another grassroots organization has its own quota.
    let err = store
        .classify(
            &actor(),
            &all(),
            decision(
                SubjectKind::Member,
                far,
                2024,
                Level::Excellent,
                None,
                "2024-12-20",
                other.id,
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(field(err), "level");
    // Lowering a good to completed would break the quota of the ward: refused.
    let current = store
        .classification_history(&all(), SubjectKind::Member, ids[0], Some(2024))
        .await
        .unwrap();
    let mut lower = decision(
        SubjectKind::Member,
        ids[0],
        2024,
        Level::Completed,
        None,
        "2024-12-22",
        ward.id,
    );
    lower.supersedes = Some(current[0].id);
    assert_eq!(
        field(store.classify(&actor(), &all(), lower).await.unwrap_err()),
        "level"
    );
    // Under 366-QĐ/TW (2025) there is no quota, but points must earn the level.
    let err = store
        .classify(
            &actor(),
            &all(),
            decision(
                SubjectKind::Member,
                far,
                2025,
                Level::Excellent,
                Some(85),
                "2025-12-20",
                other.id,
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(field(err), "level");
    let err = store
        .classify(
            &actor(),
            &all(),
            decision(
                SubjectKind::Member,
                far,
                2025,
                Level::Excellent,
                None,
                "2025-12-20",
                other.id,
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(field(err), "points");
    let ok = store
        .classify(
            &actor(),
            &all(),
            decision(
                SubjectKind::Member,
                far,
                2025,
                Level::Excellent,
                Some(93),
                "2025-12-20",
                other.id,
            ),
        )
        .await
        .unwrap();
    assert_eq!((ok.points, ok.scheme.as_str()), (Some(93), "points"));
}

#[tokio::test]
async fn members_organizations_deciders_and_scopes_are_checked() {
    let store = fresh_store().await;
    let (province, ward, a, b) = ward_with_two_cells(&store).await;
    // Admitted as probationary in 2024: classified for 2024, not for 2023.
    let newcomer = member(&store, 0, &a, MemberStatus::Probationary, "2024-03-01").await;
    let err = store
        .classify(
            &actor(),
            &all(),
            decision(
                SubjectKind::Member,
                newcomer,
                2023,
                Level::Good,
                None,
                "2023-12-20",
                ward.id,
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(field(err), "member_id");
    store
        .classify(
            &actor(),
            &all(),
            decision(
                SubjectKind::Member,
                newcomer,
                2024,
                Level::Good,
                None,
                "2024-12-20",
                a.id,
            ),
        )
        .await
        .unwrap();
    // The future year, a decider from another branch, and an organization that is not classified.
    let this_year = chrono::Datelike::year(&chrono::Local::now().date_naive());
    let err = store
        .classify(
            &actor(),
            &all(),
            decision(
                SubjectKind::Member,
                newcomer,
                this_year + 1,
                Level::Good,
                Some(80),
                "2024-12-20",
                ward.id,
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(field(err), "year");
    let err = store
        .classify(
            &actor(),
            &all(),
            decision(
                SubjectKind::Member,
                newcomer,
                2024,
                Level::Good,
                None,
                "2024-12-20",
                b.id,
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(field(err), "decided_by");
    let err = store
        .classify(
            &actor(),
            &all(),
            decision(
                SubjectKind::Org,
                ward.id,
                2024,
                Level::Good,
                None,
                "2024-12-20",
                ward.id,
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(field(err), "decided_by");
    let err = store
        .classify(
            &actor(),
            &all(),
            decision(
                SubjectKind::Org,
                province.id,
                2024,
                Level::Good,
                None,
                "2024-12-20",
                province.id,
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(field(err), "subject_id");

    // Organizations: the ward by the province, its cells by the ward.
    store
        .classify(
            &actor(),
            &all(),
            decision(
                SubjectKind::Org,
                ward.id,
                2024,
                Level::Excellent,
                None,
                "2024-12-25",
                province.id,
            ),
        )
        .await
        .unwrap();
    store
        .classify(
            &actor(),
            &all(),
            decision(
                SubjectKind::Org,
                a.id,
                2024,
                Level::Good,
                None,
                "2024-12-22",
                ward.id,
            ),
        )
        .await
        .unwrap();
    let (_, orgs) = store
        .classification_tallies(&all(), province.id, 2024, OrgsCounted::Grassroots)
        .await
        .unwrap();
    assert_eq!((orgs.excellent, orgs.total()), (1, 1));
    let (_, orgs) = store
        .classification_tallies(&all(), province.id, 2024, OrgsCounted::AllClassified)
        .await
        .unwrap();
    assert_eq!(orgs.total(), 2);

    // Scopes: cell B's secretary sees nothing of cell A.
    let scope_b = Scope::subtree(b.path.clone());
    let err = store
        .classify(
            &actor(),
            &scope_b,
            decision(
                SubjectKind::Member,
                newcomer,
                2025,
                Level::Good,
                Some(75),
                "2025-12-20",
                ward.id,
            ),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Domain(DomainError::NotFound { .. })),
        "{err:?}"
    );
    assert!(
        store
            .classification_history(&scope_b, SubjectKind::Member, newcomer, None)
            .await
            .unwrap()
            .is_empty()
    );
    let review = store.annual_review(&all(), a.id, 2024).await.unwrap();
    assert_eq!(review.members.len(), 1);
    assert_eq!(
        review.members[0].current.as_ref().map(|c| c.level),
        Some(Level::Good)
    );
    assert!(review.orgs.is_empty());
    assert_eq!(review.scheme, "quota");
    let review = store.annual_review(&all(), ward.id, 2024).await.unwrap();
    assert_eq!(review.orgs.len(), 2);
    assert_eq!(review.org_tally.good, 1);
    assert!(store.annual_review(&scope_b, a.id, 2024).await.is_err());
}

#[tokio::test]
async fn demo_classifications_follow_the_rules_of_each_year() {
    let store = fresh_store().await;
    let (_, ward, a, b) = ward_with_two_cells(&store).await;
    for n in 0..14 {
        member(
            &store,
            n,
            if n < 7 { &a } else { &b },
            MemberStatus::Official,
            "2016-01-01",
        )
        .await;
    }
    let done = store
        .demo_classifications(&actor(), &[2024, 2025], d("2026-01-10"))
        .await
        .unwrap();
    assert_eq!(done.members.total(), 28);
    assert_eq!(done.orgs.total(), 2);
    for year in [2024, 2025] {
        let (members, orgs) = store
            .classification_tallies(&all(), ward.id, year, OrgsCounted::AllClassified)
            .await
            .unwrap();
        assert_eq!(members.total(), 14);
        assert_eq!(orgs.total(), 2);
        if year == 2024 {
            assert!(members.excellent * 100 <= members.good * 20);
        }
    }
    let sql = store
        .db
        .sql("SELECT COUNT(*) AS n FROM classifications WHERE year = 2025 AND points IS NULL");
    use sqlx::Row;
    let n: i64 = sqlx::query(&sql)
        .fetch_one(store.db.read())
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    assert_eq!(n, 0, "every decision under 366-QĐ/TW carries points");
}

#[tokio::test]
async fn simultaneous_excellents_cannot_break_the_quota_together() {
    let store = fresh_store().await;
    let (_, ward, a, b) = ward_with_two_cells(&store).await;
    let mut ids = Vec::new();
    for n in 0..8 {
        let cell = if n % 2 == 0 { &a } else { &b };
        ids.push(member(&store, n, cell, MemberStatus::Official, "2016-01-01").await);
    }
    // Five good: 20 % of five leaves room for one excellent in the ward.
    for id in &ids[..5] {
        store
            .classify(
                &actor(),
                &all(),
                decision(
                    SubjectKind::Member,
                    *id,
                    2024,
                    Level::Good,
                    None,
                    "2024-12-20",
                    ward.id,
                ),
            )
            .await
            .unwrap();
    }
    let excellent = |id: i64| {
        let store = &store;
        async move {
            store
                .classify(
                    &actor(),
                    &all(),
                    decision(
                        SubjectKind::Member,
                        id,
                        2024,
                        Level::Excellent,
                        None,
                        "2024-12-20",
                        ward.id,
                    ),
                )
                .await
        }
    };
    // Three secretaries press "save" at once: one excellent goes in, two are refused.
    let (x, y, z) = tokio::join!(excellent(ids[5]), excellent(ids[6]), excellent(ids[7]));
    let results = [x, y, z];
    let accepted = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(accepted, 1, "{results:?}");
    for r in results.into_iter().filter(Result::is_err) {
        assert_eq!(field(r.unwrap_err()), "level");
    }
}
