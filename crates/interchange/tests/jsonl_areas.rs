#![allow(clippy::unwrap_used)] // Tests fail loudly by design.
//! The JSON Lines interchange over meetings, documents and training, the membership
//! lifecycle and accounts: a database with a year of meetings (attendance, an observer, an
//! evaluation, a cell committee), the documents demonstration (a cascade, dissemination,
//! study lists, courses, an attached file), the lifecycle demonstration (candidates at every
//! step) with a recognition, a transfer letter, a death, a party card and dues, and users
//! with roles (and a sign-in session, which is not exported), and annual classifications
//! with a correction, exports,
//! imports into an empty database and exports again to the same bytes. A bad line of these
//! types is named and nothing is written.
//! Runs on SQLite, and on PostgreSQL when GRASSROOTS_TEST_DATABASE_URL is set.

use grassroots_domain::access::Role;
use grassroots_domain::classification::{Decision, Level, SubjectKind};
use grassroots_domain::date::Date;
use grassroots_domain::lifecycle::dues::{Income, IncomeKind, Relief, YearMonth};
use grassroots_domain::meetings::{MeetingStatus, Period};
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus};
use grassroots_domain::org::OrgKind;
use grassroots_interchange::jsonl::RECORD_TYPES;
use grassroots_interchange::{NoProgress, export, import};
use grassroots_storage::accounts::{AccountReader, AccountWriter, NewUser};
use grassroots_storage::classification::{ClassificationWriter, NewClassification};
use grassroots_storage::documents::demo;
use grassroots_storage::documents::{DocumentWriter, NewFile};
use grassroots_storage::handovers::HandoverMinutes;
use grassroots_storage::lifecycle::outcomes::OutcomeKind;
use grassroots_storage::meetings::demo::simulate_year;
use grassroots_storage::meetings::{Evaluation, MeetingReader, MeetingWriter, NewCellCommittee};
use grassroots_storage::members::{MemberWriter, NewMember};
use grassroots_storage::orgs::{NewOrg, Org, OrgReader, OrgWriter};
use grassroots_storage::testing::fresh_store;
use grassroots_storage::{Actor, Scope, Store, restore};

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn actor() -> Actor {
    Actor::new("test")
}

async fn org(store: &Store, code: &str, name: &str, kind: OrgKind, parent: Option<&Org>) -> Org {
    let new = NewOrg {
        code: code.into(),
        name: name.into(),
        kind,
        parent_id: parent.map(|p| p.id),
        founded_on: d("2015-01-01"),
        decision: None,
    };
    store
        .create_org(&actor(), &Scope::all(), new)
        .await
        .unwrap()
}

async fn member(store: &Store, n: usize, cell: &Org) -> i64 {
    let identity = MemberIdentity {
        full_name: format!(
            "{} Văn {}",
            ["Trần", "Lê", "Phạm", "Võ"][n % 4],
            ["An", "Bình", "Cường", "Dũng", "Hải", "Khoa", "Lâm"][n % 7]
        ),
        birth_date: d("1975-02-03") + chrono::Duration::days(n as i64 * 211),
        gender: if n.is_multiple_of(2) {
            Gender::Male
        } else {
            Gender::Female
        },
        ethnicity: "Kinh".into(),
        citizen_id: Some(format!("0602{n:08}")),
        party_card_no: Some(format!("D{n:05}")),
        admitted_on: Some(d("2005-05-19")),
        official_on: Some(d("2006-05-19")),
    };
    let new = NewMember {
        identity,
        org_id: cell.id,
        status: MemberStatus::Official,
        status_since: d("2006-05-19"),
        joined_on: d("2015-01-01"),
    };
    store
        .create_member(&actor(), &Scope::all(), new)
        .await
        .unwrap()
        .id
}

/// A central committee, a province with two communes, each with a grassroots cell of
/// members; a year of meetings and the documents demonstration on top.
async fn busy_store(store: &Store) {
    let all = Scope::all();
    let central = org(
        store,
        "TW",
        "Ban Chấp hành Trung ương",
        OrgKind::Central,
        None,
    )
    .await;
    let province = org(
        store,
        "BT",
        "Đảng bộ tỉnh Bình Thuận",
        OrgKind::Provincial,
        Some(&central),
    )
    .await;
    let mut cells = Vec::new();
    for (i, name) in ["Phước Hội", "Tân Hải"].into_iter().enumerate() {
        let commune = org(
            store,
            &format!("X{i}"),
            &format!("Đảng bộ xã {name}"),
            OrgKind::Commune,
            Some(&province),
        )
        .await;
        let cell = org(
            store,
            &format!("X{i}.C"),
            &format!("Chi bộ thôn {name}"),
            OrgKind::GrassrootsCell,
            Some(&commune),
        )
        .await;
        let mut members = Vec::new();
        for n in 0..5 {
            members.push(member(store, i * 10 + n, &cell).await);
        }
        cells.push((commune, cell, members));
    }
    for (_, cell, _) in &cells {
        simulate_year(store, cell.id, 2025, 7).await.unwrap();
    }
    let (commune, cell, members) = &cells[0];
    let year = Period::new(d("2025-01-01"), d("2025-12-31")).unwrap();
    let meetings = store.meetings_of(&all, cell.id, year).await.unwrap();
    let held = meetings
        .iter()
        .find(|m| m.status == MeetingStatus::Held)
        .unwrap();
    store
        .assign_observer(
            &actor(),
            &all,
            held.id,
            cells[1].2[0],
            commune.id,
            Some("Đảng ủy xã phân công dự sinh hoạt"),
        )
        .await
        .unwrap();
    store
        .evaluate_meeting(
            &actor(),
            &all,
            Evaluation {
                meeting_id: held.id,
                evaluator_org_id: commune.id,
                level: "good".into(),
                notes: Some("Nội dung thiết thực".into()),
                evaluated_on: held.date,
            },
        )
        .await
        .unwrap();
    store
        .record_cell_committee(
            &actor(),
            &all,
            NewCellCommittee {
                org_id: cell.id,
                elected_on: d("2025-03-10"),
                secretary_member_id: members[0],
                deputy_member_id: Some(members[1]),
                decision: Some("12-QĐ/ĐU".into()),
            },
        )
        .await
        .unwrap();

    let built = demo::build(store, &actor(), central.id, province.id)
        .await
        .unwrap();
    store
        .attach_file(
            &actor(),
            &all,
            built.directive_id,
            NewFile {
                name: "35-CT-TW.pdf".into(),
                content_type: "application/pdf".into(),
                content: (0..=255u8).chain(b"%PDF-1.7\n".iter().copied()).collect(),
            },
        )
        .await
        .unwrap();
    lifecycle_and_accounts(store, cell, &cells[1].1, members).await;
}

/// The token hash of the one sign-in session, which must not appear in an export.
const SESSION_HASH: &str = "5e551011a5h0f7h3c00k1e70ken";

/// Every lifecycle table and account table gets rows, written through the store.
async fn lifecycle_and_accounts(store: &Store, cell: &Org, other_cell: &Org, members: &[i64]) {
    let all = Scope::all();
    let ym = |s: &str| YearMonth::parse("test", "month", s).unwrap();
    store
        .demo_lifecycle(&actor(), cell.id, d("2026-06-01"))
        .await
        .unwrap();
    // A probationary member who takes the course and is recognized, gets a card and moves.
    let probationary = store
        .create_member(
            &actor(),
            &all,
            NewMember {
                identity: MemberIdentity {
                    full_name: "Cao Văn Chín".into(),
                    birth_date: d("1998-08-08"),
                    gender: Gender::Male,
                    ethnicity: "Kinh".into(),
                    citizen_id: None,
                    party_card_no: None,
                    admitted_on: Some(d("2025-04-03")),
                    official_on: None,
                },
                org_id: cell.id,
                status: MemberStatus::Probationary,
                status_since: d("2025-04-03"),
                joined_on: d("2025-04-03"),
            },
        )
        .await
        .unwrap()
        .id;
    store
        .record_new_member_course(&actor(), &all, probationary, d("2025-07-01"), "BD-1")
        .await
        .unwrap();
    store
        .recognize_official(&actor(), &all, probationary, d("2026-05-19"), "20-QĐ/ĐU")
        .await
        .unwrap();
    store
        .issue_card(&actor(), &all, probationary, "AB123456", d("2026-06-01"))
        .await
        .unwrap();
    store
        .issue_transfer_letter(
            &actor(),
            &all,
            probationary,
            other_cell.id,
            d("2026-06-10"),
            "15-GGT/ĐU",
        )
        .await
        .unwrap();
    store
        .record_outcome(
            &actor(),
            &all,
            members[4],
            OutcomeKind::Deceased,
            d("2026-02-01"),
            "giấy báo tử 12",
            None,
        )
        .await
        .unwrap();
    store
        .declare_income(
            &actor(),
            &all,
            members[2],
            ym("2025-01"),
            Income {
                kind: IncomeKind::Salaried,
                base_vnd: 8_000_000,
            },
        )
        .await
        .unwrap();
    store
        .grant_dues_relief(
            &actor(),
            &all,
            members[2],
            Relief {
                from: ym("2026-01"),
                to: ym("2026-06"),
                exemption: None,
                percent: 50,
            },
            "1-QĐ/CB",
        )
        .await
        .unwrap();
    store
        .record_dues_payment(
            &actor(),
            &all,
            members[2],
            ym("2026-01"),
            40_000,
            d("2026-01-20"),
        )
        .await
        .unwrap();

    // The annual review: a member classified for 2024 by the commune and then corrected
    // (the first decision stays as history), and the cell itself for 2025 with points.
    let commune = cell.parent_id.unwrap();
    let review = |subject_kind, subject_id, year, level, points, on: &str| NewClassification {
        subject_kind,
        subject_id,
        decision: Decision {
            year,
            level,
            points,
            decided_on: d(on),
            note: Some("Kiểm điểm cuối năm".into()),
        },
        decided_by: commune,
        supersedes: None,
    };
    let first = store
        .classify(
            &actor(),
            &all,
            review(
                SubjectKind::Member,
                members[1],
                2024,
                Level::Good,
                None,
                "2024-12-20",
            ),
        )
        .await
        .unwrap();
    let mut fix = review(
        SubjectKind::Member,
        members[1],
        2024,
        Level::Completed,
        None,
        "2024-12-27",
    );
    fix.supersedes = Some(first.id);
    store.classify(&actor(), &all, fix).await.unwrap();
    store
        .classify(
            &actor(),
            &all,
            review(
                SubjectKind::Org,
                cell.id,
                2025,
                Level::Good,
                Some(84),
                "2025-12-20",
            ),
        )
        .await
        .unwrap();

    // A block transfer with handover minutes: a cell merged into its neighbour.
    let parent = store.org(&all, cell.parent_id.unwrap()).await.unwrap();
    let leaving = org(store, "X9.A", "Chi bộ Khu phố 9A", cell.kind, Some(&parent)).await;
    let staying = org(store, "X9.B", "Chi bộ Khu phố 9B", cell.kind, Some(&parent)).await;
    member(store, 9, &leaving).await;
    store
        .merge_orgs(
            &actor(),
            &all,
            &[leaving.id],
            staying.id,
            d("2026-07-01"),
            Some("30-QĐ/ĐU"),
            Some(&HandoverMinutes {
                minutes_no: "05/BB-BG".into(),
                signed_on: d("2026-07-01"),
                handed_by: "Nguyễn Văn Bình".into(),
                received_by: "Trần Thị Lan".into(),
                note: None,
            }),
        )
        .await
        .unwrap();

    let hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
    let admin = store
        .create_user(
            &actor(),
            NewUser {
                username: "admin".into(),
                password_hash: hash.into(),
                display_name: "Quản trị".into(),
                language: "vi".into(),
                member_id: None,
            },
        )
        .await
        .unwrap();
    store
        .assign_role(&actor(), admin.id, Role::Administrator, None)
        .await
        .unwrap();
    let secretary = store
        .create_user(
            &actor(),
            NewUser {
                username: "bithu.x0".into(),
                password_hash: hash.into(),
                display_name: "Bí thư chi bộ".into(),
                language: "en".into(),
                member_id: Some(members[0]),
            },
        )
        .await
        .unwrap();
    store
        .assign_role(&actor(), secretary.id, Role::CellSecretary, Some(cell.id))
        .await
        .unwrap();
    store
        .create_session(SESSION_HASH, admin.id, "csrf", "2099-01-01T00:00:00Z")
        .await
        .unwrap();
}

async fn export_bytes(store: &Store) -> Vec<u8> {
    let mut out = Vec::new();
    export(store, &mut out, &NoProgress).await.unwrap();
    out
}

#[tokio::test]
async fn meetings_and_documents_round_trip_byte_exact() {
    let source = fresh_store().await;
    busy_store(&source).await;
    let first = export_bytes(&source).await;
    let text = String::from_utf8(first.clone()).unwrap();
    // Every record type has at least one line, and they come in the declared order.
    let mut last = 0;
    for kind in RECORD_TYPES {
        let at = text
            .find(&format!("{{\"type\":\"{kind}\""))
            .unwrap_or_else(|| panic!("no {kind} line"));
        assert!(at >= last, "{kind} comes before the type preceding it");
        last = at;
    }
    // Sessions stay behind; the password hash travels as it is.
    assert!(!text.contains(SESSION_HASH));
    assert!(!text.contains("\"type\":\"session"));
    assert!(text.contains("\"password_hash\":\"$argon2id$"));

    let target = fresh_store().await;
    let summary = import(&target, first.as_slice(), &NoProgress)
        .await
        .unwrap();
    assert_eq!(summary.total() as usize, text.lines().count() - 1);
    let second = export_bytes(&target).await;
    assert_eq!(String::from_utf8(second).unwrap(), text);

    // The restored database answers like the original, and writes go on after its ids.
    let all = Scope::all();
    let file_line = text
        .lines()
        .find(|l| l.starts_with("{\"type\":\"document_file\""))
        .unwrap();
    let file: serde_json::Value = serde_json::from_str(file_line).unwrap();
    let (_, content) = grassroots_storage::documents::DocumentReader::file_content(
        &*target,
        &all,
        file["id"].as_i64().unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(content.len(), 256 + 9);
    assert_eq!(&content[..3], &[0, 1, 2]);
    let cell = target.org_by_code(&all, "X1.C").await.unwrap();
    let new = target
        .create_meeting(
            &actor(),
            &all,
            grassroots_storage::meetings::NewMeeting {
                org_id: cell.id,
                kind: grassroots_domain::meetings::MeetingKind::Thematic,
                date: d("2025-12-30"),
                agenda: None,
                topic: Some("Tổng kết năm".into()),
            },
        )
        .await
        .unwrap();
    let max_meeting = text
        .lines()
        .filter(|l| l.starts_with("{\"type\":\"meeting\","))
        .count() as i64;
    assert!(new.id > max_meeting, "{} <= {max_meeting}", new.id);

    // Accounts survive the move: the same hash signs in, roles and the member link hold.
    let (user, hash) = target.user_for_sign_in("bithu.x0").await.unwrap();
    assert!(hash.starts_with("$argon2id$"));
    assert_eq!(user.language, "en");
    let roles = target.assignments(user.id).await.unwrap();
    assert_eq!(roles.len(), 1);
    assert_eq!(roles[0].role, Role::CellSecretary);
    assert!(
        target
            .session(SESSION_HASH, "2026-01-01T00:00:00Z")
            .await
            .unwrap()
            .is_none()
    );
    // Lifecycle rows are readable, and new ones get ids after the restored ones.
    let card_line: serde_json::Value = serde_json::from_str(
        text.lines()
            .find(|l| l.starts_with("{\"type\":\"party_card\""))
            .unwrap(),
    )
    .unwrap();
    // The candidates' sort keys, computed again on import, give the same name order.
    let names = |c: Vec<grassroots_storage::lifecycle::candidates::Candidate>| {
        c.into_iter().map(|c| c.full_name).collect::<Vec<_>>()
    };
    let x0 = target.org_by_code(&all, "X0.C").await.unwrap();
    let before = source
        .candidate_pipeline(&all, x0.id, d("2026-06-01"))
        .await
        .unwrap();
    let after = target
        .candidate_pipeline(&all, x0.id, d("2026-06-01"))
        .await
        .unwrap();
    assert!(before.len() >= 3);
    assert_eq!(names(before), names(after));
    let holder = card_line["member_id"].as_i64().unwrap();
    let cards = target.card_history(&all, holder).await.unwrap();
    assert_eq!(cards.len(), 1);
    // The handover minutes and their member list read back the same.
    let staying = target.org_by_code(&all, "X9.B").await.unwrap();
    let minutes = target.org_handovers(&all, staying.id).await.unwrap();
    assert_eq!(
        minutes,
        source.org_handovers(&all, staying.id).await.unwrap()
    );
    assert_eq!((minutes.len(), minutes[0].member_count), (1, 1));
    assert_eq!(
        target.handover_members(&all, minutes[0].id).await.unwrap(),
        source.handover_members(&all, minutes[0].id).await.unwrap()
    );
    let later = target
        .create_user(
            &actor(),
            NewUser {
                username: "later".into(),
                password_hash: hash,
                display_name: "Sau".into(),
                language: "vi".into(),
                member_id: None,
            },
        )
        .await
        .unwrap();
    assert!(later.id > user.id);
}

/// Replaces fields of the first line of `kind` and returns the file and that line's number.
fn with_fields(text: &str, kind: &str, fields: &[(&str, serde_json::Value)]) -> (String, usize) {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with(&format!("{{\"type\":\"{kind}\",")))
        .unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&lines[at]).unwrap();
    for (field, value) in fields {
        v[*field] = value.clone();
    }
    lines[at] = v.to_string();
    (lines.join("\n"), at + 1)
}

#[tokio::test]
async fn a_bad_meeting_or_document_line_is_named_and_nothing_is_written() {
    let source = fresh_store().await;
    busy_store(&source).await;
    let text = String::from_utf8(export_bytes(&source).await).unwrap();
    let target = fresh_store().await;
    let cases = [
        ("meeting", "held_on", "2025-13-03".into(), "is not a date"),
        ("meeting", "kind", "picnic".into(), "unknown value `picnic`"),
        (
            "meeting_attendance",
            "meeting_id",
            99_999.into(),
            "meeting 99999 is not in the file",
        ),
        (
            "document_file",
            "content",
            "not base64!".into(),
            "is not standard base64",
        ),
        (
            "course_participant",
            "member_id",
            serde_json::Value::Null,
            "needs a member_id or a person_name",
        ),
        (
            "document",
            "cascade_path",
            "/7/".into(),
            "does not end with",
        ),
        ("course", "title", 3.into(), "must be a string"),
        (
            "candidate_step",
            "candidate_id",
            99_999.into(),
            "candidate 99999 is not in the file",
        ),
        ("candidate", "sort_key", "zzz".into(), "unknown field"),
        ("dues_payment", "month", "2026-13".into(), "unknown value"),
        (
            "party_card",
            "state",
            "stolen".into(),
            "unknown value `stolen`",
        ),
        (
            "user",
            "password_hash",
            "hunter2".into(),
            "must be an argon2 hash",
        ),
        (
            "role_assignment",
            "user_id",
            99_999.into(),
            "user 99999 is not in the file",
        ),
    ];
    for (kind, field, value, message) in cases {
        let mut fields = vec![(field, value)];
        if kind == "course_participant" {
            // The first participant then has neither a member id nor a name.
            fields.push(("person_name", serde_json::Value::Null));
        }
        let (bad, line) = with_fields(&text, kind, &fields);
        let err = import(&target, bad.as_bytes(), &NoProgress)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(&format!("line {line} ({kind}"))
                && err.contains(&format!("\"{field}\""))
                && err.contains(message),
            "{kind}.{field} at line {line}: {err}"
        );
        assert!(restore::is_empty(&target.db).await.unwrap());
    }
}
