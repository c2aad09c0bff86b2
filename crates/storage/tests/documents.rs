#![allow(clippy::unwrap_used)] // Tests fail loudly by design.

//! Documents, the cascade, dissemination, study and training, built through the storage
//! API and checked exactly: numbering, the "not yet concretized / reviewed" view, every
//! figure, scoping, validation and the audit trail. Runs on SQLite and PostgreSQL.

use grassroots_domain::DomainError;
use grassroots_domain::documents::{
    CourseKind, CourseResult, DocumentNumber, DocumentStatus, ReviewKind,
};
use grassroots_domain::figures::FigureValue;
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus};
use grassroots_domain::org::OrgKind;
use grassroots_domain::rulebook::Rulebook;
use grassroots_storage::documents::{
    CascadeReader, DisseminationReader, DisseminationWriter, DocumentFigures, DocumentReader,
    DocumentWriter, MAX_FILE_BYTES, NewCourse, NewDocument, NewFile, NewParticipant,
    ParticipantResult, TrainingReader, TrainingWriter, demo,
};
use grassroots_storage::members::{MemberWriter, NewMember};
use grassroots_storage::orgs::{NewOrg, Org, OrgWriter};
use grassroots_storage::testing::fresh_store;
use grassroots_storage::{Scope, Store, StoreError, audit};

mod support;
use support::{actor, d};

async fn org(store: &Store, code: &str, kind: OrgKind, parent: Option<&Org>) -> Org {
    let new = NewOrg {
        code: code.into(),
        name: format!("Đảng bộ {code}"),
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

const LETTERS: &[&str] = &["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan"];

async fn member(store: &Store, cell: &Org, i: usize, status: MemberStatus) -> i64 {
    let probation = status == MemberStatus::Probationary;
    let identity = MemberIdentity {
        full_name: format!("Nguyễn Văn {} {}", cell.code.replace('.', " "), LETTERS[i]),
        birth_date: d("1990-05-01"),
        gender: Gender::Female,
        ethnicity: "Kinh".into(),
        citizen_id: None,
        party_card_no: None,
        admitted_on: Some(if probation {
            d("2024-03-01")
        } else {
            d("2010-03-01")
        }),
        official_on: (!probation).then(|| d("2011-03-01")),
    };
    let since = if probation {
        d("2024-03-01")
    } else {
        d("2011-03-01")
    };
    store
        .create_member(
            &actor(),
            &Scope::all(),
            NewMember {
                identity,
                org_id: cell.id,
                status,
                status_since: since,
                joined_on: since,
            },
        )
        .await
        .unwrap()
        .id
}

struct Tree {
    central: Org,
    province: Org,
    communes: Vec<Org>,
    /// Members per commune: (official ids, probationary ids).
    members: Vec<(Vec<i64>, Vec<i64>)>,
}

/// A central committee, a province with communes A, B, C, one grassroots cell under each:
/// A has 4 official and 2 probationary members, B 3 and 1, C 3 and 0.
async fn tree(store: &Store) -> Tree {
    let central = org(store, "TW", OrgKind::Central, None).await;
    let province = org(store, "P", OrgKind::Provincial, Some(&central)).await;
    let mut communes = Vec::new();
    let mut members = Vec::new();
    for (code, official, probationary) in [("A", 4, 2), ("B", 3, 1), ("C", 3, 0)] {
        let commune = org(store, code, OrgKind::Commune, Some(&province)).await;
        let cell = org(
            store,
            &format!("{code}.X"),
            OrgKind::GrassrootsCell,
            Some(&commune),
        )
        .await;
        let mut o = Vec::new();
        let mut p = Vec::new();
        for i in 0..official {
            o.push(member(store, &cell, i, MemberStatus::Official).await);
        }
        for i in 0..probationary {
            p.push(member(store, &cell, official + i, MemberStatus::Probationary).await);
        }
        communes.push(commune);
        members.push((o, p));
    }
    Tree {
        central,
        province,
        communes,
        members,
    }
}

fn new_doc(issuer: &Org, type_code: &str, on: &str, number: Option<u32>) -> NewDocument {
    NewDocument {
        issuer_org_id: issuer.id,
        type_code: type_code.into(),
        issuer_code: None,
        number,
        issued_on: d(on),
        title: format!("{type_code} của {}", issuer.code),
        summary: None,
        parent_id: None,
        concretize_by: Vec::new(),
        term: None,
    }
}

fn field_of(err: StoreError) -> String {
    match err {
        StoreError::Domain(DomainError::Invalid { field, .. }) => field,
        other => panic!("expected an invalid field, got {other:?}"),
    }
}

#[tokio::test]
async fn numbers_restart_per_issuer_type_and_term() {
    let store = fresh_store().await;
    let t = tree(&store).await;
    let all = Scope::all();
    let who = actor();
    let reg = |n: NewDocument| store.register_document(&who, &all, n);
    let p = &t.province;
    assert_eq!(
        reg(new_doc(p, "KH", "2021-03-01", None))
            .await
            .unwrap()
            .number_text,
        "01-KH/TU"
    );
    assert_eq!(
        reg(new_doc(p, "KH", "2021-04-01", None))
            .await
            .unwrap()
            .number_text,
        "02-KH/TU"
    );
    assert_eq!(
        reg(new_doc(p, "NQ", "2021-04-01", None))
            .await
            .unwrap()
            .number_text,
        "01-NQ/TU"
    );
    // An existing document registered by its number moves the counter past it.
    let plan24 = reg(new_doc(p, "KH", "2021-05-01", Some(24))).await.unwrap();
    assert_eq!(plan24.number_text, "24-KH/TU");
    assert_eq!(plan24.term, "2020–2025");
    assert_eq!(
        reg(new_doc(p, "KH", "2021-06-01", None))
            .await
            .unwrap()
            .number
            .number,
        25
    );
    let dup = reg(new_doc(p, "KH", "2022-01-01", Some(24)))
        .await
        .unwrap_err();
    assert!(
        matches!(dup, StoreError::Domain(DomainError::Conflict(ref m)) if m.contains("24")),
        "{dup:?}"
    );
    // ASCII type codes are normalized; a new term starts again at 01.
    let qd = reg(new_doc(p, "QD", "2025-06-01", None)).await.unwrap();
    assert_eq!(qd.number_text, "01-QĐ/TU");
    assert_eq!(qd.term, "2025–2030");
    assert_eq!(
        reg(new_doc(p, "KH", "2025-06-02", None))
            .await
            .unwrap()
            .number_text,
        "01-KH/TU"
    );
    // Each issuer has its own counters; the central term starts at the national congress.
    let a = &t.communes[0];
    assert_eq!(
        reg(new_doc(a, "KH", "2021-03-01", None))
            .await
            .unwrap()
            .number_text,
        "01-KH/ĐU"
    );
    let tw = reg(new_doc(&t.central, "CT", "2025-06-01", None))
        .await
        .unwrap();
    assert_eq!(tw.term, "2020–2025");
    // A committee whose congress fell late names its term; unknown terms are refused.
    let mut late = new_doc(p, "KH", "2025-06-03", None);
    late.term = Some("2020–2025".into());
    assert_eq!(reg(late).await.unwrap().number_text, "26-KH/TU");
    let mut unknown = new_doc(p, "KH", "2025-06-03", None);
    unknown.term = Some("1990–1995".into());
    assert_eq!(field_of(reg(unknown).await.unwrap_err()), "term");
    // Lookup by number finds the document whatever the spelling.
    let rules = Rulebook::in_force(d("2025-01-01")).unwrap().documents;
    let n = DocumentNumber::parse(&rules, "24-kh/tu").unwrap();
    let found = store.documents_by_number(&all, &n).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, plan24.id);
    // Bad input names its field.
    assert_eq!(
        field_of(reg(new_doc(p, "XX", "2021-01-01", None)).await.unwrap_err()),
        "type_code"
    );
    assert_eq!(
        field_of(reg(new_doc(p, "KH", "2999-01-01", None)).await.unwrap_err()),
        "issued_on"
    );
    assert_eq!(
        field_of(reg(new_doc(p, "KH", "1990-01-01", None)).await.unwrap_err()),
        "issued_on"
    );
    let mut untitled = new_doc(p, "KH", "2021-01-01", None);
    untitled.title = "  ".into();
    assert_eq!(field_of(reg(untitled).await.unwrap_err()), "title");
}

#[tokio::test]
async fn concurrent_registrations_get_distinct_numbers() {
    let store = fresh_store().await;
    let t = tree(&store).await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let store = store.store.clone();
        let doc = new_doc(&t.province, "TB", "2022-02-02", None);
        tasks.spawn(async move {
            store
                .register_document(&actor(), &Scope::all(), doc)
                .await
                .unwrap()
                .number
                .number
        });
    }
    let mut numbers = tasks.join_all().await;
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=8).collect::<Vec<u32>>());
}

#[tokio::test]
async fn the_demo_cascade_answers_who_has_not_concretized_or_reviewed() {
    let store = fresh_store().await;
    let t = tree(&store).await;
    let all = Scope::all();
    let demo = demo::build(&store, &actor(), t.central.id, t.province.id)
        .await
        .unwrap();
    let [a, b, c] = [&t.communes[0], &t.communes[1], &t.communes[2]];
    assert_eq!(
        demo.concretized_communes
            .iter()
            .map(|x| x.0)
            .collect::<Vec<_>>(),
        vec![a.id, b.id]
    );
    assert_eq!(demo.missing_communes, vec![c.id]);

    let directive = store.document(&all, demo.directive_id).await.unwrap();
    assert_eq!(directive.number_text, "35-CT/TW");
    assert_eq!(
        directive.concretize_by,
        vec![OrgKind::Provincial, OrgKind::Commune]
    );

    let view = store
        .cascade_status(&all, demo.directive_id, t.province.id)
        .await
        .unwrap();
    let codes = |rows: Vec<&grassroots_storage::documents::CascadeRow>| {
        rows.iter().map(|r| r.org_code.clone()).collect::<Vec<_>>()
    };
    assert_eq!(codes(view.rows.iter().collect()), ["P", "A", "B", "C"]);
    assert_eq!(codes(view.not_concretized()), ["C"]);
    assert_eq!(
        codes(view.not_reviewed(ReviewKind::Preliminary)),
        ["B", "C"]
    );
    assert_eq!(
        codes(view.not_reviewed(ReviewKind::Final)),
        ["P", "A", "B", "C"]
    );
    let p_row = &view.rows[0];
    assert_eq!(
        p_row.concretized_by,
        vec![("24-KH/TU".to_string(), d("2024-07-10"))]
    );
    assert_eq!(p_row.preliminary_review, Some(d("2024-12-20")));
    assert_eq!(
        view.rows[1].concretized_by,
        vec![("01-KH/ĐU".to_string(), d("2024-08-05"))]
    );
    assert_eq!(view.rows[1].preliminary_review, Some(d("2024-12-10")));

    // The same question about the provincial plan, and about one commune's subtree.
    let plan_view = store
        .cascade_status(&all, demo.provincial_plan_id, t.province.id)
        .await
        .unwrap();
    assert_eq!(codes(plan_view.rows.iter().collect()), ["A", "B", "C"]);
    assert_eq!(codes(plan_view.not_concretized()), ["C"]);
    let c_view = store
        .cascade_status(&all, demo.directive_id, c.id)
        .await
        .unwrap();
    assert_eq!(codes(c_view.not_concretized()), ["C"]);
    // A commune sees the directive from above, but not its neighbour's plan.
    let c_scope = Scope::subtree(c.path.clone());
    assert_eq!(
        store
            .cascade_status(&c_scope, demo.directive_id, c.id)
            .await
            .unwrap()
            .rows
            .len(),
        1
    );
    let a_plan = demo.concretized_communes[0].1;
    assert!(matches!(
        store.document(&c_scope, a_plan).await.unwrap_err(),
        StoreError::Domain(DomainError::NotFound { .. })
    ));
    // A revoked plan no longer counts as concretizing.
    let b_plan = store
        .document(&all, demo.concretized_communes[1].1)
        .await
        .unwrap();
    store
        .set_document_status(
            &actor(),
            &all,
            b_plan.id,
            DocumentStatus::Revoked,
            b_plan.version,
        )
        .await
        .unwrap();
    let view = store
        .cascade_status(&all, demo.directive_id, t.province.id)
        .await
        .unwrap();
    assert_eq!(codes(view.not_concretized()), ["B", "C"]);
    let figures = store
        .document_figures(&all, t.province.id, d("2024-01-01"), d("2024-12-31"))
        .await
        .unwrap();
    assert_eq!(figures.get("documents.issued"), Some(3));
    assert_eq!(figures.get("documents.concretized"), Some(2));

    // Lists of a subtree: the province holds the conference, the communes the classes.
    let held = store.disseminations_of(&all, t.province.id).await.unwrap();
    assert_eq!(held.len(), 3);
    assert_eq!(store.disseminations_of(&all, c.id).await.unwrap().len(), 0);
    let courses = store.courses_of(&all, t.province.id).await.unwrap();
    let kinds: Vec<CourseKind> = courses.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [
            CourseKind::ThematicConference,
            CourseKind::Awareness,
            CourseKind::NewMemberTheory
        ]
    );
    assert_eq!(courses[2].sessions.len(), 2);

    let tasks = store.tasks(&all, demo.provincial_plan_id).await.unwrap();
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[0].due_on, Some(d("2024-09-30")));
    assert_eq!(
        store
            .reviews(&all, demo.provincial_plan_id)
            .await
            .unwrap()
            .len(),
        1
    );

    // Study: everyone in the province had 35-CT/TW assigned, and the conference counted.
    let (a_official, a_probationary) = &t.members[0];
    let list = store.study_list(&all, a_official[0]).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].number_text, "35-CT/TW");
    assert_eq!(list[0].studied_on, Some(d("2024-07-20")));

    // Probation: the new members passed the theory course.
    let done = store
        .new_member_course(&all, a_probationary[0])
        .await
        .unwrap();
    assert!(done.done);
    assert_eq!(done.certificate_no.as_deref(), Some("LLCT-2024-001"));
    assert!(
        !store
            .new_member_course(&all, a_official[0])
            .await
            .unwrap()
            .done
    );
}

#[tokio::test]
async fn figures_count_every_record_of_the_subtree_and_period() {
    let store = fresh_store().await;
    let t = tree(&store).await;
    let all = Scope::all();
    demo::build(&store, &actor(), t.central.id, t.province.id)
        .await
        .unwrap();
    let figures = store
        .document_figures(&all, t.province.id, d("2024-01-01"), d("2024-12-31"))
        .await
        .unwrap();
    let expected: &[(&str, i64)] = &[
        ("documents.issued", 3),
        ("documents.issued.kh", 3),
        ("documents.issued.ct", 0),
        ("documents.issued.qd", 0),
        ("documents.concretized", 3),
        ("documents.reviewed.preliminary", 2),
        ("documents.reviewed.final", 0),
        ("training.dissemination.conferences", 1),
        // 13 members of the province attended, with 15 others.
        ("training.dissemination.conference_participants", 28),
        ("training.dissemination.classes", 2),
        // A: 6 members + 5 others; B: 4 members + 5 others.
        ("training.dissemination.participants", 20),
        ("training.dissemination.non_members", 25),
        ("training.new_member.classes", 1),
        ("training.new_member.participants", 3),
        ("training.new_member.passed", 3),
        ("training.new_member.certificates", 3),
        ("training.awareness.classes", 1),
        ("training.awareness.participants", 3),
        ("training.awareness.passed", 2),
        ("training.awareness.certificates", 0),
        ("training.specialized.classes", 0),
        ("training.specialized.participants", 0),
        ("training.thematic_conference.count", 1),
        ("training.thematic_conference.participants", 5),
    ];
    for (key, value) in expected {
        assert_eq!(figures.get(key), Some(*value), "{key}");
    }
    assert!(figures.figures.iter().all(|f| !f.description.is_empty()));
    let types = Rulebook::in_force(d("2024-12-31"))
        .unwrap()
        .documents
        .types
        .len();
    // documents: issued, one per type, concretized, 2 reviews; dissemination 5; courses 4x4.
    assert_eq!(figures.figures.len(), 1 + types + 1 + 2 + 5 + 16);
    // A period that has not ended counts in today's tree (the other statement): the tree has
    // not changed and nothing was recorded after 2024, so the figures are the same.
    let running = store
        .document_figures(
            &all,
            t.province.id,
            d("2024-01-01"),
            chrono::Local::now().date_naive(),
        )
        .await
        .unwrap();
    assert_eq!(running.figures, figures.figures);

    // The whole tree adds the directive; one commune sees only its own records.
    let whole = store
        .document_figures(&all, t.central.id, d("2024-01-01"), d("2024-12-31"))
        .await
        .unwrap();
    assert_eq!(whole.get("documents.issued"), Some(4));
    assert_eq!(whole.get("documents.issued.ct"), Some(1));
    assert_eq!(whole.get("documents.concretized"), Some(3));
    let a = store
        .document_figures(&all, t.communes[0].id, d("2024-01-01"), d("2024-12-31"))
        .await
        .unwrap();
    assert_eq!(a.get("documents.issued"), Some(1));
    assert_eq!(a.get("documents.reviewed.preliminary"), Some(1));
    assert_eq!(a.get("training.dissemination.classes"), Some(1));
    assert_eq!(a.get("training.dissemination.participants"), Some(11));
    assert_eq!(a.get("training.new_member.classes"), Some(0));
    // The period bounds are inclusive and exclude what falls outside.
    let summer = store
        .document_figures(&all, t.province.id, d("2024-07-10"), d("2024-08-05"))
        .await
        .unwrap();
    assert_eq!(summer.get("documents.issued"), Some(3));
    assert_eq!(summer.get("training.dissemination.conferences"), Some(1));
    assert_eq!(summer.get("training.dissemination.classes"), Some(0));
    let later = store
        .document_figures(&all, t.province.id, d("2025-01-01"), d("2025-12-31"))
        .await
        .unwrap();
    assert!(
        later
            .figures
            .iter()
            .all(|f| f.value == FigureValue::Count(0))
    );
    // Out of scope is not found; a reversed period is refused.
    let c_scope = Scope::subtree(t.communes[2].path.clone());
    assert!(
        store
            .document_figures(&c_scope, t.province.id, d("2024-01-01"), d("2024-12-31"))
            .await
            .is_err()
    );
    assert_eq!(
        field_of(
            store
                .document_figures(&all, t.province.id, d("2024-12-31"), d("2024-01-01"))
                .await
                .unwrap_err()
        ),
        "to"
    );
}

#[tokio::test]
async fn files_statuses_results_and_the_audit_trail() {
    let store = fresh_store().await;
    let t = tree(&store).await;
    let all = Scope::all();
    let doc = store
        .register_document(
            &actor(),
            &all,
            new_doc(&t.province, "HD", "2023-02-01", None),
        )
        .await
        .unwrap();
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let file = store
        .attach_file(
            &actor(),
            &all,
            doc.id,
            NewFile {
                name: "huong-dan.pdf".into(),
                content_type: "application/pdf".into(),
                content: bytes.clone(),
            },
        )
        .await
        .unwrap();
    assert_eq!(file.size_bytes, 70_000);
    let (info, content) = store.file_content(&all, file.id).await.unwrap();
    assert_eq!(info, file);
    assert_eq!(content, bytes);
    assert_eq!(store.files(&all, doc.id).await.unwrap(), vec![file.clone()]);
    let too_big = store
        .attach_file(
            &actor(),
            &all,
            doc.id,
            NewFile {
                name: "big.bin".into(),
                content_type: "application/octet-stream".into(),
                content: vec![0; MAX_FILE_BYTES + 1],
            },
        )
        .await
        .unwrap_err();
    assert_eq!(field_of(too_big), "content");
    // A commune reads the province's file: documents flow down the tree.
    let c_scope = Scope::subtree(t.communes[2].path.clone());
    assert_eq!(
        store.file_content(&c_scope, file.id).await.unwrap().1.len(),
        70_000
    );

    // Optimistic locking on status.
    let superseded = store
        .set_document_status(
            &actor(),
            &all,
            doc.id,
            DocumentStatus::Superseded,
            doc.version,
        )
        .await
        .unwrap();
    assert_eq!(superseded.version, doc.version + 1);
    assert!(matches!(
        store
            .set_document_status(
                &actor(),
                &all,
                doc.id,
                DocumentStatus::Superseded,
                superseded.version
            )
            .await
            .unwrap_err(),
        StoreError::Domain(DomainError::Conflict(_))
    ));
    assert!(matches!(
        store
            .set_document_status(&actor(), &all, doc.id, DocumentStatus::Expired, doc.version)
            .await
            .unwrap_err(),
        StoreError::Domain(DomainError::Conflict(_))
    ));

    // A plan may only concretize a document from its own issuer or above.
    let a = &t.communes[0];
    let a_plan = store
        .register_document(&actor(), &all, new_doc(a, "KH", "2023-03-01", None))
        .await
        .unwrap();
    let mut wrong = new_doc(&t.communes[1], "KH", "2023-04-01", None);
    wrong.parent_id = Some(a_plan.id);
    assert_eq!(
        field_of(
            store
                .register_document(&actor(), &all, wrong)
                .await
                .unwrap_err()
        ),
        "parent_id"
    );

    // Courses: a candidate is a named person; a result is recorded once; certificates need
    // a pass.
    let course = store
        .create_course(
            &actor(),
            &all,
            NewCourse {
                org_id: a.id,
                kind: CourseKind::Awareness,
                title: "Lớp nhận thức về Đảng".into(),
                starts_on: d("2023-05-02"),
                ends_on: d("2023-05-05"),
                note: None,
            },
        )
        .await
        .unwrap();
    let session_err = store
        .add_session(&actor(), &all, course.id, d("2023-06-01"), "Điều lệ")
        .await
        .unwrap_err();
    assert_eq!(field_of(session_err), "held_on");
    let person = store
        .add_participant(
            &actor(),
            &all,
            course.id,
            NewParticipant::Person {
                name: "Phạm Thị Mai".into(),
                birth_date: Some(d("2001-02-03")),
            },
        )
        .await
        .unwrap();
    let fail_with_certificate = ParticipantResult {
        result: CourseResult::Fail,
        score: Some(3.0),
        certificate_no: Some("NT-1".into()),
        certificate_on: Some(d("2023-05-10")),
    };
    assert_eq!(
        field_of(
            store
                .record_result(&actor(), &all, person.id, fail_with_certificate)
                .await
                .unwrap_err()
        ),
        "certificate_no"
    );
    let pass = ParticipantResult {
        result: CourseResult::Pass,
        score: Some(9.0),
        certificate_no: Some("NT-1".into()),
        certificate_on: Some(d("2023-05-10")),
    };
    let passed = store
        .record_result(&actor(), &all, person.id, pass.clone())
        .await
        .unwrap();
    assert_eq!(passed.certificate_no.as_deref(), Some("NT-1"));
    assert_eq!(passed.score, Some(9.0));
    assert!(matches!(
        store
            .record_result(&actor(), &all, person.id, pass)
            .await
            .unwrap_err(),
        StoreError::Domain(DomainError::Conflict(_))
    ));
    let member_id = t.members[0].0[0];
    store
        .add_participant(
            &actor(),
            &all,
            course.id,
            NewParticipant::Member { member_id },
        )
        .await
        .unwrap();
    assert!(matches!(
        store
            .add_participant(
                &actor(),
                &all,
                course.id,
                NewParticipant::Member { member_id }
            )
            .await
            .unwrap_err(),
        StoreError::Domain(DomainError::Conflict(_))
    ));
    let read = store.course(&all, course.id).await.unwrap();
    assert_eq!(read.participants.len(), 2);
    // Outside the commune the course does not exist.
    let b_scope = Scope::subtree(t.communes[1].path.clone());
    assert!(store.course(&b_scope, course.id).await.is_err());

    // Study: assignment, marking, and refusing a second mark.
    let added = store
        .assign_study(&actor(), &all, a.id, a_plan.id, d("2023-03-02"), None)
        .await
        .unwrap();
    assert_eq!(added, 6);
    assert_eq!(
        store
            .assign_study(&actor(), &all, a.id, a_plan.id, d("2023-03-02"), None)
            .await
            .unwrap(),
        0
    );
    let item = store
        .mark_studied(&actor(), &all, member_id, a_plan.id, d("2023-03-10"))
        .await
        .unwrap();
    assert_eq!(item.studied_on, Some(d("2023-03-10")));
    assert!(
        store
            .mark_studied(&actor(), &all, member_id, a_plan.id, d("2023-03-11"))
            .await
            .is_err()
    );
    let whole_tree = store
        .record_dissemination(
            &actor(),
            &all,
            grassroots_storage::documents::NewDissemination {
                org_id: a.id,
                kind: grassroots_domain::documents::DisseminationKind::Class,
                title: "Lớp học".into(),
                held_on: d("2023-03-05"),
                document_ids: vec![a_plan.id],
                member_ids: vec![t.members[1].0[0]],
                non_member_count: 0,
                note: None,
            },
        )
        .await;
    // A member of commune B is outside commune A's scope but inside the whole tree.
    assert_eq!(whole_tree.unwrap().participants(), 1);
    let a_scope = Scope::subtree(a.path.clone());
    let scoped_err = store
        .record_dissemination(
            &actor(),
            &a_scope,
            grassroots_storage::documents::NewDissemination {
                org_id: a.id,
                kind: grassroots_domain::documents::DisseminationKind::Class,
                title: "Lớp học".into(),
                held_on: d("2023-03-05"),
                document_ids: vec![a_plan.id],
                member_ids: vec![t.members[1].0[0]],
                non_member_count: 0,
                note: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(field_of(scoped_err), "member_ids");

    // Every write left its audit record.
    let log = audit::list(&store.db, &all, Some(("document", &doc.id.to_string())), 10)
        .await
        .unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["document.status", "document.register"]);
    let all_log = audit::list(&store.db, &all, None, 500).await.unwrap();
    for action in [
        "document.attach",
        "course.create",
        "course.participant",
        "course.result",
        "study.assign",
        "study.done",
        "dissemination.record",
    ] {
        assert!(all_log.iter().any(|e| e.action == action), "{action}");
    }
}
