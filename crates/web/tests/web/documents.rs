//! Documents through the API, data built only through the API: a central directive
//! concretized by a provincial plan, which communes concretize in turn (one does not);
//! the "not yet concretized" view, dissemination, study lists, a course, and the figures.

use axum::http::Method;
use grassroots_domain::access::Role;
use grassroots_storage::Actor;
use grassroots_storage::accounts::{AccountReader, AccountWriter, NewUser};
use grassroots_web::auth;
use serde_json::{Value, json};

use crate::fixture::{Fixture, PASSWORD, Session};

/// An administrator of the whole tree (the only role that may hold it), to build a central
/// committee above the fixture's provinces.
async fn root_admin(f: &Fixture) -> Session {
    let store = &f.db.store;
    let user = store
        .create_user(
            &Actor::new("test"),
            NewUser {
                username: "root.admin".into(),
                password_hash: auth::hash_password(PASSWORD).unwrap(),
                display_name: "Root".into(),
                language: "vi".into(),
                member_id: None,
            },
        )
        .await
        .unwrap();
    store
        .assign_role(&Actor::new("test"), user.id, Role::Administrator, None)
        .await
        .unwrap();
    let user = store.user_by_name("root.admin").await.unwrap();
    let token = auth::random_token();
    let csrf = auth::random_token();
    let expires = (chrono::Utc::now() + chrono::Duration::hours(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    store
        .create_session(&auth::token_hash(&token), user.id, &csrf, &expires)
        .await
        .unwrap();
    Session {
        cookie: format!("{}={token}", auth::SESSION_COOKIE),
        csrf,
    }
}

async fn post(f: &Fixture, s: &Session, uri: &str, body: Value) -> Value {
    let r = f.json(Method::POST, uri, Some(s), body).await;
    assert!(
        r.status == 200 || r.status == 201,
        "{uri}: {} {}",
        r.status,
        r.body
    );
    r.json()
}

async fn get(f: &Fixture, s: &Session, uri: &str) -> Value {
    let r = f.get(uri, Some(s)).await;
    assert_eq!(r.status, 200, "{uri}: {}", r.body);
    r.json()
}

/// The organization codes of cascade rows, sorted (rows come in tree-path order, which
/// follows ids rather than codes).
fn codes(rows: &Value) -> Vec<String> {
    let mut out: Vec<String> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["org_code"].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

fn figure(figures: &Value, key: &str) -> i64 {
    figures["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .unwrap_or_else(|| panic!("no figure {key} in {figures}"))["value"]["amount"]
        .as_i64()
        .unwrap_or_else(|| panic!("{key} is not a count: {figures}"))
}

#[tokio::test]
async fn a_directive_cascades_to_plans_at_two_levels() {
    let f = Fixture::new().await;
    let root = root_admin(&f).await;

    // The tree: a central committee above both provinces, two more communes in P.
    let tw = post(
        &f,
        &root,
        "/api/v1/orgs",
        json!({"code": "TW", "name": "Ban Chấp hành Trung ương", "kind": "central", "founded_on": "1930-02-03"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    for province in [f.p.id, f.q.id] {
        post(
            &f,
            &root,
            &format!("/api/v1/orgs/{province}/move"),
            json!({"parent_id": tw, "effective_on": "2021-01-01"}),
        )
        .await;
    }
    let mut communes = Vec::new();
    for (code, name) in [("C2", "Đảng bộ xã Hòa An"), ("C3", "Đảng bộ xã Hòa Bình")]
    {
        communes.push(
            post(
                &f,
                &root,
                "/api/v1/orgs",
                json!({"code": code, "name": name, "kind": "commune", "parent_id": f.p.id, "founded_on": "2021-01-01"}),
            )
            .await["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let (c2, c3) = (communes[0], communes[1]);

    // The directive, with its number given; provinces and communes must concretize it.
    let directive = post(
        &f,
        &root,
        &format!("/api/v1/orgs/{tw}/documents"),
        json!({"type_code": "CT", "number": 35, "issued_on": "2024-05-14",
               "title": "Chỉ thị về đại hội đảng bộ các cấp", "concretize_by": ["provincial", "commune"]}),
    )
    .await;
    assert_eq!(directive["number_text"], "35-CT/TW");
    let directive_id = directive["id"].as_i64().unwrap();

    // The province's plan takes the next number of its type in the term, with two tasks.
    let office = f.session(Role::Administrator).await;
    let plan = post(
        &f,
        &office,
        &format!("/api/v1/documents/{directive_id}/plans"),
        json!({"issuer_org_id": f.p.id, "issued_on": "2024-06-10",
               "title": "Kế hoạch thực hiện Chỉ thị 35", "concretize_by": ["commune"],
               "tasks": [
                   {"title": "Hướng dẫn đại hội chi bộ", "assignee_org_id": f.c1.id, "due_on": "2024-09-30"},
                   {"title": "Tổng hợp báo cáo", "due_on": "2025-03-31"}
               ]}),
    )
    .await;
    assert_eq!(plan["number_text"], "01-KH/TU");
    assert_eq!(plan["parent_id"], directive_id);
    assert_eq!(plan["tasks"].as_array().unwrap().len(), 2);
    let plan_id = plan["id"].as_i64().unwrap();
    let second = post(
        &f,
        &office,
        &format!("/api/v1/orgs/{}/documents", f.p.id),
        json!({"type_code": "KH", "issued_on": "2024-06-20", "title": "Kế hoạch kiểm tra"}),
    )
    .await;
    assert_eq!(second["number_text"], "02-KH/TU");

    // Two of the three communes concretize the provincial plan; C3 does not.
    for (commune, day) in [(f.c1.id, "2024-07-01"), (c2, "2024-07-15")] {
        let p = post(
            &f,
            &office,
            &format!("/api/v1/documents/{plan_id}/plans"),
            json!({"issuer_org_id": commune, "issued_on": day, "title": "Kế hoạch của đảng ủy xã",
                   "tasks": [{"title": "Tổ chức đại hội", "due_on": "2024-12-31"}]}),
        )
        .await;
        assert_eq!(p["number_text"], "01-KH/ĐU");
    }
    let task_id = plan["tasks"][0]["id"].as_i64().unwrap();
    let done = post(
        &f,
        &office,
        &format!("/api/v1/tasks/{task_id}/done"),
        json!({"done_on": "2024-09-20"}),
    )
    .await;
    assert_eq!(done["done_on"], "2024-09-20");
    // Reviews: the province and C1 hold a preliminary review, the province a final one.
    for (org, kind, day) in [
        (f.p.id, "preliminary", "2024-12-01"),
        (f.c1.id, "preliminary", "2024-11-20"),
        (f.p.id, "final", "2025-01-15"),
    ] {
        post(
            &f,
            &office,
            &format!("/api/v1/documents/{plan_id}/reviews"),
            json!({"org_id": org, "kind": kind, "held_on": day}),
        )
        .await;
    }

    // The view from the centre: every province and commune, and who has not concretized.
    let view = get(
        &f,
        &root,
        &format!("/api/v1/documents/{directive_id}/cascade"),
    )
    .await;
    assert_eq!(view["root_org_id"], tw);
    assert_eq!(codes(&view["rows"]), ["C1", "C2", "C3", "P", "Q"]);
    assert_eq!(codes(&view["not_concretized"]), ["C3", "Q"]);
    assert_eq!(codes(&view["not_reviewed_preliminary"]), ["C2", "C3", "Q"]);
    assert_eq!(codes(&view["not_reviewed_final"]), ["C1", "C2", "C3", "Q"]);
    let p_row = view["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["org_code"] == "P")
        .unwrap();
    assert_eq!(p_row["concretized_by"][0][0], "01-KH/TU");
    assert_eq!(p_row["preliminary_review"], "2024-12-01");
    assert_eq!(p_row["final_review"], "2025-01-15");
    // The province's own view of its subtree; the province's plan seen from P.
    let view = get(
        &f,
        &office,
        &format!("/api/v1/documents/{directive_id}/cascade?root={}", f.p.id),
    )
    .await;
    assert_eq!(codes(&view["rows"]), ["C1", "C2", "C3", "P"]);
    assert_eq!(codes(&view["not_concretized"]), ["C3"]);
    let view = get(&f, &office, &format!("/api/v1/documents/{plan_id}/cascade")).await;
    assert_eq!(view["root_org_id"], f.p.id);
    assert_eq!(codes(&view["rows"]), ["C1", "C2", "C3"]);
    assert_eq!(codes(&view["not_concretized"]), ["C3"]);
    // A commune's office reads the directive above it and sees its own commune only.
    let commune = f.session(Role::CommitteeOffice).await;
    let view = get(
        &f,
        &commune,
        &format!("/api/v1/documents/{directive_id}/cascade"),
    )
    .await;
    assert_eq!(view["root_org_id"], f.c1.id);
    assert_eq!(codes(&view["rows"]), ["C1"]);
    assert!(view["not_concretized"].as_array().unwrap().is_empty());
    // ... but not another province's subtree.
    let r = f
        .get(
            &format!("/api/v1/documents/{directive_id}/cascade?root={}", f.q.id),
            Some(&commune),
        )
        .await;
    assert_eq!(r.status, 404);

    // The register and the numbers.
    let listed = get(&f, &office, &format!("/api/v1/orgs/{}/documents", f.p.id)).await;
    assert_eq!(listed.as_array().unwrap().len(), 4);
    let found = get(&f, &commune, "/api/v1/document-numbers?number=35-CT%2FTW").await;
    assert_eq!(found["formatted"], "35-CT/TW");
    assert_eq!(found["documents"][0]["id"], directive_id);
    let ascii = get(&f, &commune, "/api/v1/document-numbers?number=368-QD%2FTU").await;
    assert_eq!(ascii["formatted"], "368-QĐ/TU");
    assert!(ascii["documents"].as_array().unwrap().is_empty());
    let bad = f
        .get("/api/v1/document-numbers?number=35CT", Some(&commune))
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let full = get(&f, &office, &format!("/api/v1/documents/{plan_id}")).await;
    assert_eq!(full["tasks"].as_array().unwrap().len(), 2);
    assert_eq!(full["reviews"].as_array().unwrap().len(), 3);

    // Study and dissemination in the commune: the directive on everyone's list, then a
    // conference and a class that count as studying it.
    let assigned = post(
        &f,
        &office,
        &format!("/api/v1/orgs/{}/study", f.c1.id),
        json!({"document_id": directive_id, "assigned_on": "2024-06-01", "due_on": "2024-08-31"}),
    )
    .await;
    assert_eq!(assigned["added"], 2);
    let list = get(&f, &office, &format!("/api/v1/members/{}/study", f.m_b)).await;
    assert_eq!(list[0]["number_text"], "35-CT/TW");
    assert_eq!(list[0]["studied_on"], Value::Null);
    post(
        &f,
        &office,
        &format!("/api/v1/orgs/{}/disseminations", f.c1.id),
        json!({"kind": "conference", "title": "Hội nghị quán triệt Chỉ thị 35", "held_on": "2024-06-15",
               "document_ids": [directive_id], "member_ids": [f.m_a, f.m_b], "non_member_count": 3}),
    )
    .await;
    post(
        &f,
        &office,
        &format!("/api/v1/orgs/{}/disseminations", f.gc.id),
        json!({"kind": "class", "title": "Lớp học tập Chỉ thị 35", "held_on": "2024-07-02",
               "document_ids": [directive_id], "member_ids": [f.m_a], "non_member_count": 10}),
    )
    .await;
    let list = get(&f, &office, &format!("/api/v1/members/{}/study", f.m_b)).await;
    assert_eq!(list[0]["studied_on"], "2024-06-15");
    // The member reads their own list.
    let member = f.session(Role::Member).await;
    let own = get(&f, &member, &format!("/api/v1/members/{}/study", f.m_a)).await;
    assert_eq!(own[0]["studied_on"], "2024-06-15");
    let events = get(
        &f,
        &office,
        &format!("/api/v1/orgs/{}/disseminations", f.c1.id),
    )
    .await;
    assert_eq!(events.as_array().unwrap().len(), 2);

    // A new-member course in the commune: one member passes with a certificate, a
    // candidate who is not a member yet attends an awareness class.
    let course = post(
        &f,
        &office,
        &format!("/api/v1/orgs/{}/courses", f.c1.id),
        json!({"kind": "new_member_theory", "title": "Lớp bồi dưỡng đảng viên mới",
               "starts_on": "2024-08-05", "ends_on": "2024-08-09"}),
    )
    .await;
    let course_id = course["id"].as_i64().unwrap();
    post(
        &f,
        &office,
        &format!("/api/v1/courses/{course_id}/sessions"),
        json!({"held_on": "2024-08-05", "topic": "Điều lệ Đảng"}),
    )
    .await;
    let participant = post(
        &f,
        &office,
        &format!("/api/v1/courses/{course_id}/participants"),
        json!({"kind": "member", "member_id": f.m_b}),
    )
    .await;
    let result = post(
        &f,
        &office,
        &format!("/api/v1/participants/{}/result", participant["id"]),
        json!({"result": "pass", "score": 8.5, "certificate_no": "GCN-2024-017", "certificate_on": "2024-08-09"}),
    )
    .await;
    assert_eq!(result["certificate_no"], "GCN-2024-017");
    let again = f
        .json(
            Method::POST,
            &format!("/api/v1/participants/{}/result", participant["id"]),
            Some(&office),
            json!({"result": "fail"}),
        )
        .await;
    assert_eq!(again.status, 409, "{}", again.body);
    let awareness = post(
        &f,
        &office,
        &format!("/api/v1/orgs/{}/courses", f.gc.id),
        json!({"kind": "awareness", "title": "Lớp nhận thức về Đảng",
               "starts_on": "2024-09-10", "ends_on": "2024-09-12"}),
    )
    .await;
    post(
        &f,
        &office,
        &format!("/api/v1/courses/{}/participants", awareness["id"]),
        json!({"kind": "person", "name": "Phạm Văn Cường", "birth_date": "2000-03-04"}),
    )
    .await;
    let course = get(&f, &office, &format!("/api/v1/courses/{course_id}")).await;
    assert_eq!(course["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(course["participants"][0]["result"], "pass");
    let done = get(
        &f,
        &office,
        &format!("/api/v1/members/{}/new-member-course", f.m_b),
    )
    .await;
    assert_eq!(done["done"], true);
    assert_eq!(done["certificate_no"], "GCN-2024-017");

    // The figures of the province for 2024, exactly.
    let p = get(
        &f,
        &office,
        &format!(
            "/api/v1/orgs/{}/document-figures?from=2024-01-01&to=2024-12-31",
            f.p.id
        ),
    )
    .await;
    for (key, want) in [
        ("documents.issued", 4),
        ("documents.issued.kh", 4),
        ("documents.issued.ct", 0),
        ("documents.concretized", 3),
        ("documents.reviewed.preliminary", 2),
        ("documents.reviewed.final", 0),
        ("training.dissemination.classes", 1),
        ("training.dissemination.participants", 11),
        ("training.dissemination.conferences", 1),
        ("training.dissemination.conference_participants", 5),
        ("training.dissemination.non_members", 13),
        ("training.new_member.classes", 1),
        ("training.new_member.participants", 1),
        ("training.new_member.passed", 1),
        ("training.new_member.certificates", 1),
        ("training.awareness.classes", 1),
        ("training.awareness.participants", 1),
        ("training.awareness.passed", 0),
    ] {
        assert_eq!(figure(&p, key), want, "{key}");
    }
    // The whole tree over 2024-2025: the directive and the final review count too.
    let all = get(
        &f,
        &root,
        &format!("/api/v1/orgs/{tw}/document-figures?from=2024-01-01&to=2025-12-31"),
    )
    .await;
    assert_eq!(figure(&all, "documents.issued"), 5);
    assert_eq!(figure(&all, "documents.issued.ct"), 1);
    assert_eq!(figure(&all, "documents.concretized"), 3);
    assert_eq!(figure(&all, "documents.reviewed.final"), 1);
    // Commune C2's figures: its plan only.
    let c2f = get(
        &f,
        &root,
        &format!("/api/v1/orgs/{c2}/document-figures?from=2024-01-01&to=2024-12-31"),
    )
    .await;
    assert_eq!(figure(&c2f, "documents.concretized"), 1);
    assert_eq!(figure(&c2f, "training.dissemination.classes"), 0);
    let bad = f
        .get(
            &format!(
                "/api/v1/orgs/{}/document-figures?from=2024-12-31&to=2024-01-01",
                f.p.id
            ),
            Some(&office),
        )
        .await;
    assert_eq!(bad.status, 422);
    let _ = c3;
}

#[tokio::test]
async fn bad_document_input_names_the_field() {
    let f = Fixture::new().await;
    let s = f.session(Role::Propaganda).await;
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/orgs/{}/documents", f.c1.id),
            Some(&s),
            json!({"type_code": "XX", "issued_on": "2024-01-02", "title": "Kế hoạch"}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["field"], "type_code");
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/orgs/{}/documents", f.c1.id),
            Some(&s),
            json!({"type_code": "KH", "issued_on": "2024-01-02", "title": "  "}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["field"], "title");
    // A plan whose task has no title registers nothing.
    let doc = f
        .json(
            Method::POST,
            &format!("/api/v1/orgs/{}/documents", f.c1.id),
            Some(&s),
            json!({"type_code": "NQ", "issued_on": "2024-01-02", "title": "Nghị quyết", "concretize_by": ["grassroots_committee"]}),
        )
        .await
        .json();
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/documents/{}/plans", doc["id"]),
            Some(&s),
            json!({"issuer_org_id": f.gc.id, "issued_on": "2024-02-01", "title": "Kế hoạch", "tasks": [{"title": ""}]}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["field"], "tasks[0].title");
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/documents/{}/plans", doc["id"]),
            Some(&s),
            json!({"issuer_org_id": f.gc.id, "issued_on": "2024-02-01", "title": "Kế hoạch",
                   "tasks": [{"title": "Triển khai", "due_on": "2024-01-15"}]}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["field"], "tasks[0].due_on");
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/documents/{}/plans", doc["id"]),
            Some(&s),
            json!({"issuer_org_id": f.gc.id, "issued_on": "2024-02-01", "title": "Kế hoạch",
                   "tasks": [{"title": "Triển khai", "assignee_org_id": f.c1.id}]}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["field"], "tasks[0].assignee_org_id");
    let listed = f
        .get(&format!("/api/v1/orgs/{}/documents", f.gc.id), Some(&s))
        .await
        .json();
    assert!(listed.as_array().unwrap().is_empty());
    // Inspection reads but does not write.
    let i = f.session(Role::Inspection).await;
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/orgs/{}/documents", f.c1.id),
            Some(&i),
            json!({"type_code": "KH", "issued_on": "2024-01-02", "title": "Kế hoạch"}),
        )
        .await;
    assert_eq!(r.status, 403);
}

/// A document number as the pages escape it (`/` becomes `&#x2f;`).
fn number(text: &str) -> String {
    text.replace('/', "&#x2f;")
}

#[tokio::test]
async fn pages_show_the_register_the_cascade_the_study_list_and_courses() {
    let f = Fixture::new().await;
    let s = f.session(Role::Propaganda).await;
    // Registering through the form: errors next to the field, then success.
    let bad = f
        .form(
            &format!("/orgs/{}/documents", f.c1.id),
            Some(&s),
            &[
                ("type_code", "KH"),
                ("issued_on", "2024-03-01"),
                ("title", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("data-field=\"title\""));
    let ok = f
        .form(
            &format!("/orgs/{}/documents", f.c1.id),
            Some(&s),
            &[
                ("type_code", "NQ"),
                ("issued_on", "2024-03-01"),
                ("title", "Nghị quyết về công tác cán bộ"),
                ("concretize_grassroots_committee", "1"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let doc_page = ok.location().unwrap();
    let doc_id: i64 = doc_page.rsplit('/').next().unwrap().parse().unwrap();
    // GC concretizes it through the API; the page shows GC as done, nobody pending.
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/documents/{doc_id}/plans"),
            Some(&s),
            json!({"issuer_org_id": f.gc.id, "issued_on": "2024-03-10", "title": "Kế hoạch thực hiện"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let page = f.get(&doc_page, Some(&s)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(&number("01-NQ/ĐU")));
    assert!(page.body.contains(&number("01-KH/ĐU")));
    assert!(page.body.contains("data-pending=\"0\""));
    // A second grassroots committee that has not concretized it shows as pending.
    let root = root_admin(&f).await;
    let gc2 = f
        .json(
            Method::POST,
            "/api/v1/orgs",
            Some(&root),
            json!({"code": "GC2", "name": "Đảng bộ Trường THPT", "kind": "grassroots_committee", "parent_id": f.c1.id, "founded_on": "2021-01-01"}),
        )
        .await;
    assert_eq!(gc2.status, 201, "{}", gc2.body);
    let page = f.get(&doc_page, Some(&s)).await;
    assert!(page.body.contains("data-pending=\"1\""));
    assert!(page.body.contains("class=\"pending\" data-org=\"GC2\""));
    let register = f
        .get(&format!("/orgs/{}/documents", f.c1.id), Some(&s))
        .await;
    assert_eq!(register.status, 200);
    assert!(
        register.body.contains(&number("01-NQ/ĐU")) && register.body.contains(&number("01-KH/ĐU"))
    );
    // The organization page links to both registers.
    let org = f.get(&format!("/orgs/{}", f.c1.id), Some(&s)).await;
    assert!(org.body.contains(&format!("/orgs/{}/documents", f.c1.id)));
    assert!(org.body.contains(&format!("/orgs/{}/courses", f.c1.id)));

    // Study list and a course, in English this time.
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/orgs/{}/study", f.c1.id),
            Some(&s),
            json!({"document_id": doc_id, "assigned_on": "2024-03-02"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let member = f.session(Role::Member).await;
    let study = f
        .get(&format!("/members/{}/study", f.m_a), Some(&member))
        .await;
    assert_eq!(study.status, 200, "{}", study.body);
    assert!(study.body.contains(&number("01-NQ/ĐU")));
    assert!(study.body.contains("Chưa học tập"));
    let course = f
        .json(
            Method::POST,
            &format!("/api/v1/orgs/{}/courses", f.c1.id),
            Some(&s),
            json!({"kind": "specialized", "title": "Lớp chuyên đề Nghị quyết", "starts_on": "2024-04-01", "ends_on": "2024-04-03"}),
        )
        .await
        .json();
    let p = f
        .json(
            Method::POST,
            &format!("/api/v1/courses/{}/participants", course["id"]),
            Some(&s),
            json!({"kind": "member", "member_id": f.m_b}),
        )
        .await
        .json();
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/participants/{}/result", p["id"]),
            Some(&s),
            json!({"result": "pass", "certificate_no": "CN-0042", "certificate_on": "2024-04-03"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let list = f.get(&format!("/orgs/{}/courses", f.c1.id), Some(&s)).await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains("Lớp chuyên đề Nghị quyết"));
    let page = f.get(&format!("/courses/{}", course["id"]), Some(&s)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Lê Thị Bình"));
    assert!(page.body.contains("CN-0042"));
}
