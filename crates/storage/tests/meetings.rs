#![allow(clippy::unwrap_used)] // Tests fail loudly by design.

//! Meetings end to end through the storage API: a committee with three cells, members who
//! are exempted, transfer mid-year or stay temporarily at another cell, a year of meetings
//! with attendance, and the figures and alerts that must follow exactly. Runs on SQLite and
//! PostgreSQL.

use grassroots_domain::DomainError;
use grassroots_domain::figures::FigureValue;
use grassroots_domain::meetings::{
    Absence, AlertRule, AttendanceStatus, MeetingKind, MeetingStatus, Period, Role,
};
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus, MembershipKind};
use grassroots_domain::org::OrgKind;
use grassroots_storage::meetings::demo::simulate_year;
use grassroots_storage::meetings::{
    Evaluation, Meeting, MeetingContent, MeetingFiguresReader, MeetingReader, MeetingWriter,
    NewCellCommittee, NewMeeting,
};
use grassroots_storage::members::{MemberWriter, NewMember, Transfer};
use grassroots_storage::orgs::{NewOrg, Org, OrgWriter};
use grassroots_storage::testing::fresh_store;
use grassroots_storage::{Actor, Scope, Store, StoreError, audit};

mod support;
use support::{all, d};

fn actor() -> Actor {
    Actor::new("secretary")
}

async fn org(store: &Store, code: &str, kind: OrgKind, parent: Option<&Org>) -> Org {
    let new = NewOrg {
        code: code.into(),
        name: format!("Tổ chức {code}"),
        kind,
        parent_id: parent.map(|p| p.id),
        founded_on: d("2015-01-01"),
        decision: None,
    };
    store.create_org(&actor(), &all(), new).await.unwrap()
}

async fn add(store: &Store, name: &str, cell: &Org) -> i64 {
    let new = NewMember {
        identity: MemberIdentity {
            full_name: name.into(),
            birth_date: d("1980-06-01"),
            gender: Gender::Female,
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

fn invalid_field(err: StoreError) -> String {
    match err {
        StoreError::Domain(DomainError::Invalid { field, .. }) => field,
        other => panic!("expected an invalid field, got {other:?}"),
    }
}

fn is_conflict(err: &StoreError) -> bool {
    matches!(err, StoreError::Domain(DomainError::Conflict(_)))
}

fn excused(member_id: i64) -> Absence {
    Absence {
        member_id,
        reason: Some("đi công tác".into()),
    }
}

fn unexcused(member_id: i64) -> Absence {
    Absence {
        member_id,
        reason: None,
    }
}

async fn thematic(store: &Store, cell: &Org, day: &str) -> Meeting {
    store
        .create_meeting(
            &actor(),
            &all(),
            NewMeeting {
                org_id: cell.id,
                kind: MeetingKind::Thematic,
                date: d(day),
                agenda: None,
                topic: Some("Học tập và làm theo tư tưởng Hồ Chí Minh".into()),
            },
        )
        .await
        .unwrap()
}

struct Ward {
    committee: Org,
    a: Org,
    b: Org,
    c: Org,
    a_members: Vec<i64>,
    exempt: i64,
    mover: i64,
    guest: i64,
    b1: i64,
}

/// A grassroots committee with cells A (8 members, one exempted on 1 June, one moving to
/// B on 1 July, and a guest from B from March to August), B (two members) and C (two).
async fn ward(store: &Store) -> Ward {
    let province = org(store, "T", OrgKind::Provincial, None).await;
    let commune = org(store, "W", OrgKind::Commune, Some(&province)).await;
    let committee = org(store, "G", OrgKind::GrassrootsCommittee, Some(&commune)).await;
    let a = org(store, "A", OrgKind::Cell, Some(&committee)).await;
    let b = org(store, "B", OrgKind::Cell, Some(&committee)).await;
    let c = org(store, "C", OrgKind::Cell, Some(&committee)).await;
    let mut a_members = Vec::new();
    for i in 1..=8 {
        a_members.push(
            add(
                store,
                &format!(
                    "Nguyễn Thị An {}",
                    ["Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy", "Tám"][i - 1]
                ),
                &a,
            )
            .await,
        );
    }
    let exempt = add(store, "Trần Văn Miễn", &a).await;
    let mover = add(store, "Lê Văn Chuyển", &a).await;
    let b1 = add(store, "Phạm Thị Bình", &b).await;
    add(store, "Phạm Văn Bảo", &b).await;
    let guest = add(store, "Võ Thị Khách", &b).await;
    add(store, "Đỗ Văn Cường", &c).await;
    add(store, "Đỗ Thị Cúc", &c).await;
    store
        .change_status(
            &actor(),
            &all(),
            exempt,
            MemberStatus::Exempt,
            d("2025-06-01"),
            Some("sức khỏe"),
        )
        .await
        .unwrap();
    store
        .transfer_member(
            &actor(),
            &all(),
            mover,
            Transfer {
                to_org: b.id,
                kind: MembershipKind::Official,
                on: d("2025-07-01"),
                until: None,
            },
        )
        .await
        .unwrap();
    store
        .transfer_member(
            &actor(),
            &all(),
            guest,
            Transfer {
                to_org: a.id,
                kind: MembershipKind::Temporary,
                on: d("2025-03-01"),
                until: Some(d("2025-09-01")),
            },
        )
        .await
        .unwrap();
    Ward {
        committee,
        a,
        b,
        c,
        a_members,
        exempt,
        mover,
        guest,
        b1,
    }
}

/// The year 2025 at cells A and B, as described in `the_year_gives_exact_figures_and_alerts`.
async fn run_year(store: &Store, w: &Ward) -> Vec<Meeting> {
    let a_year = store
        .schedule_year(&actor(), &all(), w.a.id, 2025, 3)
        .await
        .unwrap();
    assert_eq!(a_year.len(), 12);
    assert!(
        a_year
            .iter()
            .all(|m| m.status == MeetingStatus::Scheduled && m.check_in_code.len() == 6)
    );
    let t1 = thematic(store, &w.a, "2025-02-15").await;
    let t2 = thematic(store, &w.a, "2025-05-15").await;
    let t4 = thematic(store, &w.a, "2025-11-15").await;
    let [a1, a2, a3] = [w.a_members[0], w.a_members[1], w.a_members[2]];
    let month = |m: u32| a_year[(m - 1) as usize].id;
    let absences: Vec<(i64, Vec<Absence>)> = vec![
        (month(1), vec![unexcused(a2)]),
        (month(2), vec![]),
        (t1.id, vec![excused(a1)]),
        (month(3), vec![excused(a1)]),
        (
            month(4),
            vec![excused(a1), unexcused(a2), unexcused(w.guest)],
        ),
        (month(5), vec![excused(a1), excused(w.mover)]),
        (t2.id, vec![excused(w.mover)]),
        (month(6), vec![excused(w.mover)]),
        (month(7), vec![]),
        (month(9), vec![unexcused(a2), excused(a3)]),
        (month(10), vec![excused(a3)]),
        (month(11), vec![excused(a3)]),
        (t4.id, vec![]),
        (month(12), vec![excused(a3)]),
    ];
    for (id, list) in absences {
        store
            .record_attendance(&actor(), &all(), id, &list)
            .await
            .unwrap();
    }
    store
        .cancel_meeting(&actor(), &all(), month(8), "trùng lịch bầu cử")
        .await
        .unwrap();

    let b_year = store
        .schedule_year(&actor(), &all(), w.b.id, 2025, 5)
        .await
        .unwrap();
    for m in &b_year {
        let list = match m.date.to_string().as_str() {
            "2025-07-05" | "2025-08-05" => vec![excused(w.mover)],
            _ => vec![],
        };
        store
            .record_attendance(&actor(), &all(), m.id, &list)
            .await
            .unwrap();
    }
    let mut out = a_year;
    out.extend([t1, t2, t4]);
    out.extend(b_year);
    out
}

fn count(f: &grassroots_storage::meetings::MeetingFigures, key: &str) -> i64 {
    match f.value(key) {
        Some(FigureValue::Count(n)) => n,
        other => panic!("{key}: {other:?}"),
    }
}

#[tokio::test]
async fn the_year_gives_exact_figures_and_alerts() {
    let store = fresh_store().await;
    let w = ward(&store).await;
    let meetings = run_year(&store, &w).await;
    let a_jan = meetings[0].id;

    // Participants follow the history: in June the exempt member is gone, the mover is
    // still at A and the guest is there as a guest.
    let june = meetings[5].id;
    let p = store.participants(&all(), june).await.unwrap();
    assert_eq!(p.len(), 10);
    assert!(!p.iter().any(|x| x.member_id == w.exempt));
    assert!(
        p.iter()
            .any(|x| x.member_id == w.mover && x.role == Role::Home)
    );
    assert!(
        p.iter()
            .any(|x| x.member_id == w.guest && x.role == Role::Guest)
    );

    // Evaluations by the committee above.
    for (id, level) in [
        (a_jan, "good"),
        (meetings[1].id, "Fair"),
        (meetings[15].id, "weak"),
    ] {
        store
            .evaluate_meeting(
                &actor(),
                &all(),
                Evaluation {
                    meeting_id: id,
                    evaluator_org_id: w.committee.id,
                    level: level.into(),
                    notes: None,
                    evaluated_on: d("2025-12-20"),
                },
            )
            .await
            .unwrap();
    }

    let year = Period::year(2025).unwrap();
    let f = store
        .meeting_figures(&all(), w.committee.id, year)
        .await
        .unwrap();
    let expect = [
        ("meetings.cells", 3),
        ("meetings.regular.held", 23),
        ("meetings.regular.due", 36),
        ("meetings.regular.months_met", 23),
        ("meetings.regular.months_missed", 13),
        ("meetings.thematic.held", 3),
        ("meetings.thematic.quarters_due", 12),
        ("meetings.thematic.quarters_met", 3),
        ("meetings.cancelled", 1),
        ("meetings.scheduled", 0),
        ("meetings.attendance.present", 147),
        ("meetings.attendance.absent_excused", 13),
        ("meetings.attendance.absent_unexcused", 3),
        ("meetings.attendance.guests_present", 5),
        ("meetings.attendance.guests_absent", 1),
        ("meetings.official_members", 15),
        ("meetings.alerts.absent_unexcused", 4),
        ("meetings.alerts.excused_in_a_row", 2),
        ("meetings.alerts.proposed_removal", 1),
        ("meetings.alerts.no_regular_meeting", 13),
        ("meetings.alerts.no_thematic_meeting", 9),
        ("meetings.alerts.too_few_official_members", 1),
        ("meetings.alerts.no_cell_committee", 1),
        ("meetings.members_flagged.absent_unexcused", 2),
        ("meetings.members_flagged.excused_in_a_row", 2),
        ("meetings.members_flagged.proposed_removal", 1),
        ("meetings.cells_flagged.no_regular_meeting", 2),
        ("meetings.cells_flagged.no_thematic_meeting", 3),
        ("meetings.evaluations.good", 1),
        ("meetings.evaluations.fair", 1),
        ("meetings.evaluations.average", 0),
        ("meetings.evaluations.weak", 1),
        ("meetings.evaluations.total", 3),
    ];
    for (key, value) in expect {
        assert_eq!(count(&f, key), value, "{key}");
    }
    match f.value("meetings.attendance.rate") {
        Some(FigureValue::Ratio(r)) => assert!((r - 147.0 / 163.0).abs() < 1e-9, "{r}"),
        other => panic!("rate: {other:?}"),
    }
    assert!(
        f.keys
            .iter()
            .all(|k| k.key.starts_with("meetings.") && !k.description.is_empty())
    );

    let a = f.cells.iter().find(|c| c.code == "A").unwrap();
    assert_eq!((a.regular_held, a.regular_due, a.cancelled), (11, 12, 1));
    assert_eq!(
        (a.present, a.absent_excused, a.absent_unexcused),
        (113, 11, 3)
    );
    assert_eq!((a.guests_present, a.guests_absent), (5, 1));
    assert_eq!(a.official_members, 9);
    let b = f.cells.iter().find(|c| c.code == "B").unwrap();
    assert_eq!(
        (b.present, b.absent_excused, b.official_members),
        (34, 2, 4)
    );
    let quarters: Vec<_> = f
        .quarters
        .iter()
        .map(|q| (q.label.as_str(), q.thematic_held, q.cells_due, q.cells_met))
        .collect();
    assert_eq!(
        quarters,
        [
            ("2025-Q1", 1, 3, 1),
            ("2025-Q2", 1, 3, 1),
            ("2025-Q3", 0, 3, 0),
            ("2025-Q4", 1, 3, 1)
        ]
    );

    // The alerts and their evidence.
    let alerts = store
        .meeting_alerts(&all(), w.committee.id, year)
        .await
        .unwrap();
    assert_eq!(alerts.len(), 31);
    let of = |rule: AlertRule| alerts.iter().filter(move |a| a.rule == rule);
    let runs: Vec<_> = of(AlertRule::ExcusedInARow)
        .map(|a| {
            (
                a.member_id.unwrap(),
                a.org_id,
                a.on,
                a.evidence.meeting_ids.len(),
            )
        })
        .collect();
    assert_eq!(
        runs,
        [
            (w.a_members[0], w.a.id, d("2025-05-03"), 4),
            (w.mover, w.b.id, d("2025-07-05"), 5),
        ]
    );
    let removal: Vec<_> = of(AlertRule::ProposedRemoval).collect();
    assert_eq!(removal.len(), 1);
    assert_eq!(removal[0].member_id, Some(w.a_members[1]));
    assert_eq!(removal[0].on, d("2025-09-03"));
    assert_eq!(
        removal[0].evidence.periods,
        ["2025-01", "2025-04", "2025-09"]
    );
    let unexcused: Vec<_> = of(AlertRule::AbsentUnexcused)
        .map(|a| a.member_id.unwrap())
        .collect();
    assert_eq!(
        unexcused,
        [w.a_members[1], w.a_members[1], w.guest, w.a_members[1]]
    );
    let missed: Vec<_> = of(AlertRule::NoRegularMeeting)
        .filter(|a| a.org_id == w.a.id)
        .collect();
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0].evidence.periods, ["2025-08"]);
    assert_eq!(missed[0].evidence.meeting_ids, [meetings[7].id]);
    let q3: Vec<_> = of(AlertRule::NoThematicMeeting)
        .filter(|a| a.org_id == w.a.id)
        .collect();
    assert_eq!(q3[0].evidence.periods, ["2025-Q3"]);
    assert!(
        of(AlertRule::TooFewOfficialMembers)
            .all(|a| a.org_id == w.c.id && a.evidence.member_ids.len() == 2)
    );
    assert!(
        of(AlertRule::NoCellCommittee)
            .all(|a| a.org_id == w.a.id && a.evidence.member_ids.len() == 9)
    );

    // Electing a committee at A clears its alert.
    store
        .record_cell_committee(
            &actor(),
            &all(),
            NewCellCommittee {
                org_id: w.a.id,
                elected_on: d("2025-12-01"),
                secretary_member_id: w.a_members[3],
                deputy_member_id: Some(w.a_members[4]),
                decision: Some("12-QĐ/ĐU".into()),
            },
        )
        .await
        .unwrap();
    let f = store
        .meeting_figures(&all(), w.committee.id, year)
        .await
        .unwrap();
    assert_eq!(count(&f, "meetings.alerts.no_cell_committee"), 0);

    // A part of the year for cell A alone: only whole months are due, no whole quarter,
    // and only alerts raised there in those days.
    let spring = Period::new(d("2025-02-10"), d("2025-05-31")).unwrap();
    let f = store.meeting_figures(&all(), w.a.id, spring).await.unwrap();
    assert_eq!(count(&f, "meetings.regular.due"), 3);
    assert_eq!(count(&f, "meetings.regular.held"), 3);
    assert_eq!(count(&f, "meetings.thematic.quarters_due"), 0);
    assert_eq!(count(&f, "meetings.thematic.held"), 2);
    let alerts = store.meeting_alerts(&all(), w.a.id, spring).await.unwrap();
    let got: Vec<_> = alerts.iter().map(|a| (a.rule, a.on)).collect();
    assert_eq!(
        got,
        [
            (AlertRule::AbsentUnexcused, d("2025-04-03")),
            (AlertRule::AbsentUnexcused, d("2025-04-03")),
            (AlertRule::ExcusedInARow, d("2025-05-03")),
            // Ten in official standing on 31 May (the exempt member and the mover still
            // count there), and the committee was only elected in December.
            (AlertRule::NoCellCommittee, d("2025-05-31")),
        ]
    );

    // Scoped reads: cell B's secretary sees nothing of A.
    let b_scope = Scope::subtree(w.b.path.clone());
    assert!(matches!(
        store.meeting(&b_scope, a_jan).await.unwrap_err(),
        StoreError::Domain(DomainError::NotFound { .. })
    ));
    assert!(
        store
            .meeting_figures(&b_scope, w.committee.id, year)
            .await
            .is_err()
    );
    let f = store.meeting_figures(&b_scope, w.b.id, year).await.unwrap();
    assert_eq!(count(&f, "meetings.regular.held"), 12);

    // Every write is in the audit log.
    let log = audit::list(&store.db, &all(), Some(("meeting", &a_jan.to_string())), 50)
        .await
        .unwrap();
    let actions: Vec<_> = log.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"meeting.create"), "{actions:?}");
    assert!(actions.contains(&"meeting.attendance"), "{actions:?}");
    assert!(actions.contains(&"meeting.evaluate"), "{actions:?}");
}

#[tokio::test]
async fn attendance_entry_check_in_and_corrections() {
    let store = fresh_store().await;
    let w = ward(&store).await;
    let year = store
        .schedule_year(&actor(), &all(), w.a.id, 2025, 31)
        .await
        .unwrap();
    assert_eq!(year[1].date, d("2025-02-28"), "clamped to the month's end");
    // A second schedule for the same year is refused.
    let err = store
        .schedule_year(&actor(), &all(), w.a.id, 2025, 3)
        .await
        .unwrap_err();
    assert!(is_conflict(&err), "{err:?}");
    // So is a second regular meeting in a month.
    let err = store
        .create_meeting(
            &actor(),
            &all(),
            NewMeeting {
                org_id: w.a.id,
                kind: MeetingKind::Regular,
                date: d("2025-03-15"),
                agenda: None,
                topic: None,
            },
        )
        .await
        .unwrap_err();
    assert!(is_conflict(&err), "{err:?}");
    // A thematic meeting needs its theme; a committee holds no regular meeting.
    let err = store
        .create_meeting(
            &actor(),
            &all(),
            NewMeeting {
                org_id: w.a.id,
                kind: MeetingKind::Thematic,
                date: d("2025-03-15"),
                agenda: None,
                topic: Some("  ".into()),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "topic");
    let err = store
        .schedule_year(&actor(), &all(), w.committee.id, 2025, 3)
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "kind");

    let june = &year[5];
    let a4 = w.a_members[3];
    // Self check-in: the right code, on the day, by someone expected there.
    let err = store
        .check_in(&actor(), &all(), june.id, a4, "not-it", june.date)
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "code");
    let err = store
        .check_in(
            &actor(),
            &all(),
            june.id,
            a4,
            &june.check_in_code,
            d("2025-06-29"),
        )
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "on");
    for outsider in [w.exempt, w.b1] {
        let err = store
            .check_in(
                &actor(),
                &all(),
                june.id,
                outsider,
                &june.check_in_code,
                june.date,
            )
            .await
            .unwrap_err();
        assert_eq!(invalid_field(err), "member_id");
    }
    let row = store
        .check_in(
            &actor(),
            &all(),
            june.id,
            a4,
            &june.check_in_code,
            june.date,
        )
        .await
        .unwrap();
    assert_eq!(
        (row.status, row.role, row.source.as_str()),
        (AttendanceStatus::Present, Role::Home, "self")
    );
    let guest = store
        .check_in(
            &actor(),
            &all(),
            june.id,
            w.guest,
            &june.check_in_code,
            june.date,
        )
        .await
        .unwrap();
    assert_eq!(guest.role, Role::Guest);
    // Checking in twice changes nothing.
    store
        .check_in(
            &actor(),
            &all(),
            june.id,
            a4,
            &june.check_in_code,
            june.date,
        )
        .await
        .unwrap();
    assert_eq!(
        store.meeting(&all(), june.id).await.unwrap().status,
        MeetingStatus::Held
    );

    // The secretary's list: someone who checked in cannot be listed absent; nor can an
    // exempt member; an excused absence needs... a reason, else it is unexcused.
    let err = store
        .record_attendance(&actor(), &all(), june.id, &[unexcused(a4)])
        .await
        .unwrap_err();
    assert!(is_conflict(&err), "{err:?}");
    let err = store
        .record_attendance(&actor(), &all(), june.id, &[excused(w.exempt)])
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "absentees");
    let err = store
        .record_attendance(
            &actor(),
            &all(),
            june.id,
            &[excused(w.a_members[0]), unexcused(w.a_members[0])],
        )
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "absentees");
    let rows = store
        .record_attendance(
            &actor(),
            &all(),
            june.id,
            &[excused(w.a_members[0]), unexcused(w.a_members[1])],
        )
        .await
        .unwrap();
    assert_eq!(
        rows.len(),
        10,
        "8 members less the exempt one, the mover, the guest"
    );
    let mark = |id: i64| rows.iter().find(|r| r.member_id == id).unwrap().clone();
    assert_eq!(mark(w.a_members[0]).status, AttendanceStatus::AbsentExcused);
    assert_eq!(mark(w.a_members[0]).reason.as_deref(), Some("đi công tác"));
    assert_eq!(
        mark(w.a_members[1]).status,
        AttendanceStatus::AbsentUnexcused
    );
    assert_eq!(mark(a4).source, "self");
    assert_eq!(mark(w.mover).status, AttendanceStatus::Present);
    // The list is recorded once; corrections go member by member and keep the old mark.
    let err = store
        .record_attendance(&actor(), &all(), june.id, &[])
        .await
        .unwrap_err();
    assert!(is_conflict(&err), "{err:?}");
    let err = store
        .correct_attendance(
            &actor(),
            &all(),
            june.id,
            w.a_members[1],
            AttendanceStatus::AbsentExcused,
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "reason");
    let fixed = store
        .correct_attendance(
            &actor(),
            &all(),
            june.id,
            w.a_members[1],
            AttendanceStatus::AbsentExcused,
            Some("ốm, có giấy"),
        )
        .await
        .unwrap();
    assert_eq!(fixed.source, "correction");
    let log = audit::list(
        &store.db,
        &all(),
        Some(("attendance", &format!("{}/{}", june.id, w.a_members[1]))),
        5,
    )
    .await
    .unwrap();
    assert_eq!(
        log[0].before.as_ref().unwrap()["status"],
        "absent_unexcused"
    );

    // Minutes with optimistic locking; cancelled and future meetings take no attendance.
    let held = store.meeting(&all(), june.id).await.unwrap();
    let content = MeetingContent {
        agenda: Some("Đánh giá tháng 6".into()),
        topic: None,
        minutes: Some("Biên bản".into()),
        resolutions: vec!["Nghị quyết tháng 6".into()],
    };
    let err = store
        .record_content(&actor(), &all(), june.id, held.version - 1, content.clone())
        .await
        .unwrap_err();
    assert!(is_conflict(&err), "{err:?}");
    let after = store
        .record_content(&actor(), &all(), june.id, held.version, content)
        .await
        .unwrap();
    assert_eq!(after.resolutions, ["Nghị quyết tháng 6"]);
    let err = store
        .cancel_meeting(&actor(), &all(), june.id, "muộn")
        .await
        .unwrap_err();
    assert!(
        is_conflict(&err),
        "a held meeting cannot be cancelled: {err:?}"
    );
    let july = &year[6];
    let err = store
        .cancel_meeting(&actor(), &all(), july.id, " ")
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "reason");
    store
        .cancel_meeting(&actor(), &all(), july.id, "bão")
        .await
        .unwrap();
    let err = store
        .record_attendance(&actor(), &all(), july.id, &[])
        .await
        .unwrap_err();
    assert!(is_conflict(&err), "{err:?}");

    // Observers and evaluations come from a committee above the cell.
    let obs = store
        .assign_observer(
            &actor(),
            &all(),
            june.id,
            w.b1,
            w.committee.id,
            Some("dự và chỉ đạo"),
        )
        .await
        .unwrap();
    assert_eq!(obs.full_name, "Phạm Thị Bình");
    assert_eq!(store.observers(&all(), june.id).await.unwrap().len(), 1);
    let err = store
        .assign_observer(&actor(), &all(), june.id, w.b1, w.b.id, None)
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "committee_org_id");
    let eval = |level: &str, by: i64| Evaluation {
        meeting_id: june.id,
        evaluator_org_id: by,
        level: level.into(),
        notes: None,
        evaluated_on: d("2025-07-01"),
    };
    let err = store
        .evaluate_meeting(&actor(), &all(), eval("excellent", w.committee.id))
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "level");
    let err = store
        .evaluate_meeting(&actor(), &all(), eval("good", w.a.id))
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "evaluator_org_id");
    store
        .evaluate_meeting(&actor(), &all(), eval("average", w.committee.id))
        .await
        .unwrap();
    let err = store
        .evaluate_meeting(&actor(), &all(), eval("good", w.committee.id))
        .await
        .unwrap_err();
    assert!(is_conflict(&err), "one evaluation per committee: {err:?}");
    assert_eq!(
        store.evaluations(&all(), june.id).await.unwrap()[0].level,
        "average"
    );

    // The calendar of the cell.
    let cal = store
        .meetings_of(&all(), w.a.id, Period::year(2025).unwrap())
        .await
        .unwrap();
    assert_eq!(cal.len(), 12);
    assert_eq!(
        cal.iter()
            .filter(|m| m.status == MeetingStatus::Held)
            .count(),
        1
    );
    assert_eq!(
        cal.iter()
            .filter(|m| m.status == MeetingStatus::Cancelled)
            .count(),
        1
    );

    // Cell committees: members of the cell only, and one at a time.
    let committee = |secretary: i64, on: &str| NewCellCommittee {
        org_id: w.a.id,
        elected_on: d(on),
        secretary_member_id: secretary,
        deputy_member_id: None,
        decision: None,
    };
    let err = store
        .record_cell_committee(&actor(), &all(), committee(w.b1, "2025-01-10"))
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "secretary_member_id");
    store
        .record_cell_committee(&actor(), &all(), committee(a4, "2025-01-10"))
        .await
        .unwrap();
    let err = store
        .record_cell_committee(&actor(), &all(), committee(a4, "2024-12-01"))
        .await
        .unwrap_err();
    assert!(is_conflict(&err), "{err:?}");
    store
        .record_cell_committee(&actor(), &all(), committee(w.a_members[4], "2025-09-01"))
        .await
        .unwrap();
    let scope = all();
    let on = |day: &str| store.cell_committee_on(&scope, w.a.id, d(day));
    assert_eq!(
        on("2025-05-01").await.unwrap().unwrap().secretary_member_id,
        a4
    );
    assert_eq!(
        on("2025-10-01").await.unwrap().unwrap().secretary_member_id,
        w.a_members[4]
    );
    assert!(on("2024-10-01").await.unwrap().is_none());
    let _ = w.c;
}

#[tokio::test]
async fn a_simulated_year_is_deterministic_and_agrees_with_the_figures() {
    let mut summaries = Vec::new();
    for _ in 0..2 {
        let store = fresh_store().await;
        let w = ward(&store).await;
        let s = simulate_year(&store, w.c.id, 2025, 42).await.unwrap();
        let t = simulate_year(&store, w.b.id, 2025, 42).await.unwrap();
        assert_eq!(s.regular_held + s.regular_cancelled, 12);
        assert_eq!(s.thematic_held, 4);
        assert_eq!(s.scheduled_left, 0);
        // C has two members, both with duties all year.
        assert_eq!(
            s.present + s.absent_excused + s.absent_unexcused,
            2 * (s.regular_held + s.thematic_held)
        );
        let f = store
            .meeting_figures(&all(), w.c.id, Period::year(2025).unwrap())
            .await
            .unwrap();
        assert_eq!(
            count(&f, "meetings.regular.held"),
            i64::from(s.regular_held)
        );
        assert_eq!(count(&f, "meetings.thematic.held"), 4);
        assert_eq!(count(&f, "meetings.thematic.quarters_met"), 4);
        assert_eq!(
            count(&f, "meetings.attendance.present"),
            i64::from(s.present)
        );
        assert_eq!(
            count(&f, "meetings.attendance.absent_excused"),
            i64::from(s.absent_excused)
        );
        assert_eq!(
            count(&f, "meetings.alerts.no_regular_meeting"),
            i64::from(s.regular_cancelled)
        );
        assert_eq!(count(&f, "meetings.alerts.too_few_official_members"), 1);
        let held = store
            .meetings_of(&all(), w.c.id, Period::year(2025).unwrap())
            .await
            .unwrap();
        assert!(
            held.iter()
                .filter(|m| m.status == MeetingStatus::Held)
                .all(|m| m.minutes.is_some() && !m.resolutions.is_empty())
        );
        summaries.push((s, t));
    }
    assert_eq!(summaries[0], summaries[1]);
}

/// The report's meeting figures from kept parts equal the figures counted from the records,
/// for every organization of the ward, cold, warm, and after writes; a write at one cell
/// about a member also renews the parts of the member's other cell.
#[tokio::test]
async fn kept_meeting_parts_equal_the_records_after_each_write() {
    use grassroots_storage::meetings::MeetingKeysReader;

    let store = fresh_store().await;
    let w = ward(&store).await;
    let meetings = run_year(&store, &w).await;
    let province = grassroots_domain::tree_path::ids(&w.committee.path)[0];
    let orgs = [province, w.committee.id, w.a.id, w.b.id, w.c.id];
    let periods = [
        Period::year(2025).unwrap(),
        Period::new(d("2025-06-01"), chrono::Local::now().date_naive()).unwrap(),
    ];
    let before = agree(&store, &orgs, &periods).await;
    let kept_rows: i64 = {
        let sql = store.db.sql("SELECT COUNT(*) AS n FROM meeting_parts");
        sqlx::Row::get(
            &sqlx::query(&sql).fetch_one(store.db.read()).await.unwrap(),
            "n",
        )
    };
    // Province, commune, grassroots committee and three cells, for two periods.
    assert_eq!(kept_rows, 6 * 2, "one row per organization and period");
    assert_eq!(
        agree(&store, &orgs, &periods).await,
        before,
        "read back unchanged"
    );

    // The mover's excused absences ran from A (May, the thematic meeting of May, June)
    // into B (July, August): the run's fourth absence, at B, raised B's alert. Marking
    // the mover present at A's thematic meeting breaks the run, and B's alert goes away:
    // a write at A changes B's figures.
    let t2 = &meetings[13];
    assert_eq!(t2.date, d("2025-05-15"));
    let b_before = store
        .meeting_figures(&all(), w.b.id, periods[0])
        .await
        .unwrap();
    assert_eq!(count(&b_before, "meetings.alerts.excused_in_a_row"), 1);
    store
        .correct_attendance(
            &actor(),
            &all(),
            t2.id,
            w.mover,
            AttendanceStatus::Present,
            None,
        )
        .await
        .unwrap();
    // B alone first: its parts are renewed although the write was at A.
    let b_kept = store
        .meeting_keys(&all(), w.b.id, periods[0])
        .await
        .unwrap();
    let b_after = store
        .meeting_figures(&all(), w.b.id, periods[0])
        .await
        .unwrap();
    assert_eq!(count(&b_after, "meetings.alerts.excused_in_a_row"), 0);
    assert_eq!(b_kept, b_after.keys);
    let after = agree(&store, &orgs, &periods).await;
    assert_ne!(after, before);

    // A new meeting at C with an absence: C's part is computed again, the rest reused.
    let c_meeting = thematic(&store, &w.c, "2025-12-20").await;
    let c_member = store
        .participants(&all(), c_meeting.id)
        .await
        .unwrap()
        .first()
        .unwrap()
        .member_id;
    store
        .record_attendance(&actor(), &all(), c_meeting.id, &[unexcused(c_member)])
        .await
        .unwrap();
    let last = agree(&store, &orgs, &periods).await;
    assert_ne!(last, after);
}

/// A parent reported after its children adds up the parts they kept (a nation after its
/// provinces) instead of gathering its whole subtree again, and still equals the records.
#[tokio::test]
async fn a_parent_adds_up_the_parts_its_children_kept() {
    let store = fresh_store().await;
    let w = ward(&store).await;
    run_year(&store, &w).await;
    let province = grassroots_domain::tree_path::ids(&w.committee.path)[0];
    let period = Period::year(2025).unwrap();
    let built = |id: i64| {
        let store = &store;
        async move {
            let sql = store
                .db
                .sql("SELECT built_at FROM meeting_parts WHERE org_id = ?");
            let row = sqlx::query(&sql)
                .bind(id)
                .fetch_one(store.db.read())
                .await
                .unwrap();
            sqlx::Row::get::<String, _>(&row, "built_at")
        }
    };
    let cells = [w.a.id, w.b.id, w.c.id];
    agree(&store, &cells, &[period]).await;
    let mut cells_built = Vec::new();
    for id in cells {
        cells_built.push(built(id).await);
    }
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    // The committee's children are the three cells; the province's, the commune, whose
    // child is the committee: each adds up what is below it.
    agree(&store, &[w.committee.id, province], &[period]).await;
    let mut after = Vec::new();
    for id in cells {
        after.push(built(id).await);
    }
    assert_eq!(
        after, cells_built,
        "the cells' parts were added up, not gathered again"
    );
    assert!(built(province).await > cells_built[0]);
}

/// Every organization's meeting figures for every period, from kept parts, each checked
/// against the records. The first organization is the highest: its cold gathering keeps
/// every organization's parts.
async fn agree(
    store: &Store,
    orgs: &[i64],
    periods: &[Period],
) -> Vec<Vec<grassroots_domain::figures::Figure>> {
    use grassroots_storage::meetings::MeetingKeysReader;
    let mut out = Vec::new();
    for period in periods {
        for id in orgs {
            let kept = store.meeting_keys(&all(), *id, *period).await.unwrap();
            let records = store.meeting_figures(&all(), *id, *period).await.unwrap();
            assert_eq!(kept, records.keys, "org {id}, {period:?}");
            out.push(kept);
        }
    }
    out
}
