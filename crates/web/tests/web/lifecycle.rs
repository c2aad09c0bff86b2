//! The membership lifecycle through the API: the candidate pipeline and its steps (a failing
//! condition answers 422 naming the field), transfer letters, outcomes, badges, and dues.

use axum::http::Method;
use grassroots_domain::access::Role;
use grassroots_domain::lifecycle::dues::{Income, IncomeKind, YearMonth};
use grassroots_domain::member::MemberStatus;
use grassroots_storage::members::{MemberWriter, NewMember};
use grassroots_storage::{Actor, Scope};
use serde_json::json;

use crate::fixture::{Fixture, d, identity};

#[tokio::test]
async fn candidates_move_through_their_steps_and_a_failing_condition_names_its_field() {
    let f = Fixture::new().await;
    let s = f.session(Role::CellSecretary).await;
    let a = f.a.id;

    let list = f
        .get(&format!("/api/v1/orgs/{a}/candidates"), Some(&s))
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    let list = list.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["full_name"], "Phạm Minh Châu");
    assert_eq!(list[0]["next_step"], "awareness_class");

    let created = f
        .json(
            Method::POST,
            &format!("/api/v1/orgs/{a}/candidates"),
            Some(&s),
            json!({"full_name": "Đặng Văn Em", "birth_date": "2000-07-01", "gender": "male",
                   "ethnicity": "Tày", "registered_on": "2025-09-01"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let bad = f
        .json(
            Method::POST,
            &format!("/api/v1/orgs/{a}/candidates"),
            Some(&s),
            json!({"full_name": "Đặng Văn 3", "birth_date": "2000-07-01", "gender": "male", "ethnicity": "Tày"}),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["field"], "full_name");

    let step = |body: serde_json::Value| {
        let f = &f;
        let s = &s;
        async move {
            f.json(
                Method::POST,
                &format!("/api/v1/candidates/{id}/steps"),
                Some(s),
                body,
            )
            .await
        }
    };
    let r =
        step(json!({"on": "2025-10-01", "step": "awareness_class", "certificate_no": "CN-117"}))
            .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let c = r.json();
    assert_eq!(c["steps"].as_array().unwrap().len(), 1);
    assert_eq!(c["steps"][0]["step"], "awareness_class");
    assert_eq!(c["steps"][0]["document"], "CN-117");
    assert_eq!(c["next_step"], "introduction");

    // An introducer who has known the candidate for three months: refused, and why.
    let r = step(
        json!({"on": "2025-10-05", "step": "introduction", "introducer_id": f.m_a,
                        "acquainted_since": "2025-07-01"}),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let e = r.json();
    assert_eq!(e["field"], "acquainted_since");
    assert_eq!(e["record"], format!("candidate {id}"));
    assert!(
        e["message"].as_str().unwrap().contains("at least 12"),
        "{e}"
    );
    // Nothing was recorded by the refused step.
    let c = f
        .get(&format!("/api/v1/candidates/{id}"), Some(&s))
        .await
        .json();
    assert_eq!(c["steps"].as_array().unwrap().len(), 1);

    let r = step(
        json!({"on": "2025-10-05", "step": "introduction", "introducer_id": f.m_a,
                        "acquainted_since": "2020-01-01"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["steps"][1]["details"]["introducer_id"], f.m_a);

    // The same introducer twice is refused on the introducer field.
    let r = step(
        json!({"on": "2025-10-06", "step": "introduction", "introducer_id": f.m_a,
                        "acquainted_since": "2020-01-01"}),
    )
    .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["field"], "introducer");

    // The pipeline lists both candidates in name order (Đ sorts after C).
    let list = f
        .get(&format!("/api/v1/orgs/{a}/candidates"), Some(&s))
        .await
        .json();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["full_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Phạm Minh Châu", "Đặng Văn Em"]);

    // The other province's candidates do not exist for this secretary; a member may not write.
    let other = f
        .get(&format!("/api/v1/candidates/{}", f.cand_x), Some(&s))
        .await;
    assert_eq!(other.status, 404);
    let m = f.session(Role::Member).await;
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/candidates/{id}/steps"),
            Some(&m),
            json!({"on": "2025-10-07", "step": "ceremony"}),
        )
        .await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn transfer_letters_are_issued_and_accepted_and_outcomes_keep_their_decision() {
    let f = Fixture::new().await;
    let s = f.session(Role::CommitteeOffice).await;
    let today = chrono::Local::now().date_naive().to_string();

    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/transfer-letters/{}/accept", f.letter_ba),
            Some(&s),
            json!({"accepted_on": today}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let l = r.json();
    assert_eq!(l["state"], "accepted");
    assert_eq!(l["accepted_on"], today);
    assert_eq!(l["to_org_id"], f.a.id);
    let member = f
        .get(&format!("/api/v1/members/{}", f.m_b), Some(&s))
        .await
        .json();
    assert_eq!(member["member"]["org_id"], f.a.id);
    // Accepting twice is refused.
    let again = f
        .json(
            Method::POST,
            &format!("/api/v1/transfer-letters/{}/accept", f.letter_ba),
            Some(&s),
            json!({"accepted_on": today}),
        )
        .await;
    assert!(matches!(again.status, 409 | 422), "{}", again.body);

    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/members/{}/transfer-letters", f.m_a),
            Some(&s),
            json!({"to_org": f.b.id, "issued_on": today, "document": "31-GGT/ĐU"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let issued = r.json();
    assert_eq!(issued["state"], "issued");
    assert_eq!(issued["from_org_id"], f.a.id);
    assert!(issued["valid_until"].as_str().unwrap() > today.as_str());
    let letters = f
        .get(
            &format!("/api/v1/orgs/{}/transfer-letters", f.gc.id),
            Some(&s),
        )
        .await
        .json();
    let states: Vec<&str> = letters
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["state"].as_str().unwrap())
        .collect();
    assert_eq!(states.len(), 2);
    assert!(states.contains(&"accepted") && states.contains(&"issued"));

    // Outcomes: an unknown kind names the field; a death keeps its document and date.
    let bad = f
        .json(
            Method::POST,
            &format!("/api/v1/members/{}/outcomes", f.m_b),
            Some(&s),
            json!({"kind": "promoted", "effective_on": today, "document": "QĐ-9"}),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["field"], "kind");
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/members/{}/outcomes", f.m_b),
            Some(&s),
            json!({"kind": "deceased", "effective_on": today, "document": "GCT-204"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let list = f
        .get(&format!("/api/v1/members/{}/outcomes", f.m_b), Some(&s))
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    let list = list.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["kind"], "deceased");
    assert_eq!(list[0]["document"], "GCT-204");
    assert_eq!(list[0]["effective_on"], today);
}

#[tokio::test]
async fn badges_probation_and_dues_with_the_excel_sheet() {
    let f = Fixture::new().await;
    let store = f.db.store.clone();
    let actor = Actor::new("test");
    let s = f.session(Role::CellSecretary).await;
    let a = f.a.id;

    // A member admitted on 19/5/1990 reaches 30 years of party age on 19/5/2020, an award
    // day: listed for it, and not again for the next one (2/9).
    let mut veteran = identity("Hoàng Văn Lão");
    veteran.birth_date = d("1960-01-01");
    veteran.admitted_on = Some(d("1990-05-19"));
    veteran.official_on = Some(d("1991-05-19"));
    let v = store
        .create_member(
            &actor,
            &Scope::all(),
            NewMember {
                identity: veteran,
                org_id: a,
                status: MemberStatus::Official,
                status_since: d("1991-05-19"),
                joined_on: d("2020-01-01"),
            },
        )
        .await
        .unwrap()
        .id;
    let r = f
        .get(
            &format!("/api/v1/orgs/{a}/badges?award_day=2020-05-19"),
            Some(&s),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let b = r.json();
    assert_eq!(b["award_day"], "2020-05-19");
    let rows = b["members"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{b}");
    assert_eq!(rows[0]["member_id"], v);
    assert_eq!(rows[0]["years"], 30);
    let none = f
        .get(
            &format!("/api/v1/orgs/{a}/badges?award_day=2020-09-02"),
            Some(&s),
        )
        .await
        .json();
    assert!(none["members"].as_array().unwrap().is_empty());
    let bad = f
        .get(&format!("/api/v1/orgs/{a}/badges?award_day=19.5"), Some(&s))
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["field"], "award_day");

    // No probationary member in A yet.
    let p = f
        .get(&format!("/api/v1/orgs/{a}/probation"), Some(&s))
        .await;
    assert_eq!(p.status, 200);
    assert!(p.json().as_array().unwrap().is_empty());

    // Dues: 1% of a 6,000,000 VND salary under 01-QĐ/TW (2026).
    let march = YearMonth::new("t", "m", 2026, 3).unwrap();
    let bad = f
        .json(
            Method::POST,
            &format!("/api/v1/members/{}/dues-income", f.m_a),
            Some(&s),
            json!({"from": "2026/01", "kind": "salaried", "base_vnd": 6000000}),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["field"], "from");
    let declared = f
        .json(
            Method::POST,
            &format!("/api/v1/members/{}/dues-income", f.m_a),
            Some(&s),
            json!({"from": "2026-01", "kind": "salaried", "base_vnd": 6000000}),
        )
        .await;
    assert_eq!(declared.status, 201, "{}", declared.body);
    assert_eq!(declared.json()["lines"][0]["dues"]["due_vnd"], 60000);
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/members/{}/dues-payments", f.m_a),
            Some(&s),
            json!({"month": "2026-03", "amount_vnd": 60000, "paid_on": "2026-03-10"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let bad = f
        .json(
            Method::POST,
            &format!("/api/v1/members/{}/dues-payments", f.m_a),
            Some(&s),
            json!({"month": "2026-13", "amount_vnd": 60000}),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["field"], "month");

    let lines = f
        .get(
            &format!("/api/v1/members/{}/dues?from=2026-01&to=2026-03", f.m_a),
            Some(&s),
        )
        .await;
    assert_eq!(lines.status, 200, "{}", lines.body);
    let lines = lines.json();
    let lines = lines.as_array().unwrap();
    assert_eq!(lines.len(), 3);
    for l in lines {
        assert_eq!(l["dues"]["due_vnd"], 60000, "{l}");
    }
    assert_eq!(lines[2]["paid_vnd"], 60000);
    assert_eq!(lines[0]["paid_vnd"], 0);

    let sheet = f
        .get(
            &format!("/api/v1/orgs/{a}/dues-sheet?month={march}"),
            Some(&s),
        )
        .await;
    assert_eq!(sheet.status, 200, "{}", sheet.body);
    let sheet = sheet.json();
    assert_eq!(sheet["total_paid_vnd"], 60000);
    let row = sheet["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["member_id"] == f.m_a)
        .unwrap()
        .clone();
    assert_eq!(row["line"]["paid_vnd"], 60000);
    assert_eq!(row["unpaid_months_in_year"].as_array().unwrap().len(), 2);

    let xlsx = f
        .get(
            &format!("/api/v1/orgs/{a}/dues-sheet?month=2026-03&format=xlsx"),
            Some(&s),
        )
        .await;
    assert_eq!(xlsx.status, 200);
    assert!(
        xlsx.headers["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    assert!(
        xlsx.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("dang-phi-A-2026-03.xlsx")
    );
    assert!(xlsx.body.starts_with("PK"));

    // Arrears through March: January and February are owed, 120,000 VND.
    let arrears = f
        .get(
            &format!("/api/v1/orgs/{a}/arrears?through=2026-03"),
            Some(&s),
        )
        .await;
    assert_eq!(arrears.status, 200, "{}", arrears.body);
    let arrears = arrears.json();
    let mine = arrears
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["member_id"] == f.m_a)
        .unwrap_or_else(|| panic!("{arrears}"))
        .clone();
    assert_eq!(mine["arrears"]["total_vnd"], 120000);

    // The member sees their own dues, not another's.
    let m = f.session(Role::Member).await;
    let own = f
        .get(
            &format!("/api/v1/members/{}/dues?from=2026-03&to=2026-03", f.m_a),
            Some(&m),
        )
        .await;
    assert_eq!(own.status, 200);
    assert_eq!(own.json()[0]["paid_vnd"], 60000);
    let other = f
        .get(&format!("/api/v1/members/{}/dues", f.m_b), Some(&m))
        .await;
    assert_eq!(other.status, 404);
}

#[tokio::test]
async fn lifecycle_pages_show_the_pipeline_probation_badges_and_dues() {
    let f = Fixture::new().await;
    let s = f.session(Role::CommitteeOffice).await;
    let a = f.a.id;

    // The organization page links to every lifecycle page; the cell also to its dues.
    let org = f.get(&format!("/orgs/{a}"), Some(&s)).await;
    assert_eq!(org.status, 200);
    for link in ["candidates", "probation", "badges", "dues"] {
        assert!(
            org.body.contains(&format!("/orgs/{a}/{link}")),
            "no {link} link"
        );
    }
    let gc = f.get(&format!("/orgs/{}", f.gc.id), Some(&s)).await;
    assert!(!gc.body.contains(&format!("/orgs/{}/dues", f.gc.id)));

    // Take the fixture's candidate in A up to the cell vote of 1/9/2025 through the API; the
    // decision is then due 60 working days later and is overdue from the day after.
    let second = crate::fixture::member(&f.db.store, "Bùi Văn Cường", &f.a).await;
    let c = f.cand_a;
    for body in [
        json!({"on": "2025-06-10", "step": "awareness_class", "certificate_no": "CN-9"}),
        json!({"on": "2025-07-01", "step": "introduction", "introducer_id": f.m_a, "acquainted_since": "2021-01-01"}),
        json!({"on": "2025-07-02", "step": "introduction", "introducer_id": second, "acquainted_since": "2022-01-01"}),
        json!({"on": "2025-07-15", "step": "recommendation", "by": "youth_union", "document": "NX-4"}),
        json!({"on": "2025-09-01", "step": "cell_vote", "eligible": 2, "votes_for": 2, "document": "NQ-12"}),
    ] {
        let r = f
            .json(
                Method::POST,
                &format!("/api/v1/candidates/{c}/steps"),
                Some(&s),
                body,
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let api = f
        .get(&format!("/api/v1/orgs/{a}/candidates"), Some(&s))
        .await
        .json();
    let due_on = api[0]["due"]["due_on"].as_str().unwrap().to_owned();
    assert_eq!(api[0]["due"]["step"], "decision");
    assert_eq!(api[0]["overdue"], true);
    assert!(
        due_on.as_str() > "2025-11-01" && due_on.as_str() < "2025-12-31",
        "{due_on}"
    );
    let on_due = f
        .get(
            &format!("/api/v1/orgs/{a}/candidates?on={due_on}"),
            Some(&s),
        )
        .await
        .json();
    assert_eq!(on_due[0]["overdue"], false);

    let p = f
        .get(&format!("/orgs/{}/candidates", f.gc.id), Some(&s))
        .await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.body.contains("Phạm Minh Châu"));
    assert!(p.body.contains("Lớp bồi dưỡng nhận thức về Đảng"));
    assert!(p.body.contains("NQ-12"));
    assert!(p.body.contains("class=\"overdue\""));
    assert!(p.body.contains("1 quần chúng quá hạn"));
    let early = f
        .get(
            &format!("/orgs/{}/candidates?on={due_on}", f.gc.id),
            Some(&s),
        )
        .await;
    assert!(!early.body.contains("class=\"overdue\""));

    let b = f
        .get(&format!("/orgs/{a}/badges?award_day=2040-05-19"), Some(&s))
        .await;
    assert_eq!(b.status, 200, "{}", b.body);
    // The fixture's members were admitted on 19/5/2010: 30 years on 19/5/2040.
    assert!(b.body.contains("Nguyễn Văn An"), "{}", b.body);
    assert!(b.body.contains(">30<"));

    let pr = f.get(&format!("/orgs/{a}/probation"), Some(&s)).await;
    assert_eq!(pr.status, 200);
    assert!(pr.body.contains("Đảng viên dự bị"));

    f.db.store
        .declare_income(
            &Actor::new("test"),
            &Scope::all(),
            f.m_a,
            YearMonth::new("t", "m", 2026, 1).unwrap(),
            Income {
                kind: IncomeKind::Salaried,
                base_vnd: 6_000_000,
            },
        )
        .await
        .unwrap();
    let paid = f
        .json(
            Method::POST,
            &format!("/api/v1/members/{}/dues-payments", f.m_a),
            Some(&s),
            json!({"month": "2026-03", "amount_vnd": 45000, "paid_on": "2026-03-12"}),
        )
        .await;
    assert_eq!(paid.status, 201, "{}", paid.body);
    let d = f
        .get(&format!("/orgs/{a}/dues?month=2026-03"), Some(&s))
        .await;
    // Due 60.000, paid 45.000, owed 15.000; January and February unpaid.
    for amount in [">60.000<", ">45.000<", ">15.000<"] {
        assert!(d.body.contains(amount), "{amount}");
    }
    assert!(d.body.contains("Hưởng lương"));
    assert_eq!(d.status, 200, "{}", d.body);
    assert!(d.body.contains("Nguyễn Văn An"));
    assert!(d.body.contains(&format!(
        "/api/v1/orgs/{a}/dues-sheet?month=2026-03&amp;format=xlsx"
    )));
    // The dues page of a committee is refused with the reason.
    let bad = f.get(&format!("/orgs/{}/dues", f.gc.id), Some(&s)).await;
    assert_eq!(bad.status, 422);
}
