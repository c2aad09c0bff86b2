//! The annual review page: a cell secretary records and corrects the classification of a
//! member of their cell from the page's small per-row form (the committee above decides),
//! the committee office sees the cells and members of the grassroots committee, and the
//! secretary sees nothing of another cell.

use grassroots_domain::access::Role;

use crate::fixture::Fixture;

#[tokio::test]
async fn a_cell_secretary_classifies_and_corrects_from_the_review_page() {
    let f = Fixture::new().await;
    let s = f.session(Role::CellSecretary).await;
    // Last year is under 366-QĐ/TW: the form asks for points.
    let year = chrono::Datelike::year(&chrono::Local::now().date_naive()) - 1;
    let page = f
        .get(&format!("/orgs/{}/review?year={year}", f.a.id), Some(&s))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Nguyễn Văn An"), "{}", page.body);
    assert!(page.body.contains(r#"name="points""#));
    // Members of a cell under a grassroots committee are classified by the committee.
    assert!(
        page.body
            .contains(&format!(r#"name="decided_by" value="{}""#, f.gc.id))
    );
    assert!(!page.body.contains(r#"name="supersedes""#));

    let (a, m) = (f.a.id.to_string(), f.m_a.to_string());
    let y = year.to_string();
    let gc = f.gc.id.to_string();
    let fields = |level: &'static str, points: &'static str| {
        vec![
            ("subject_kind", "member"),
            ("subject_id", m.as_str()),
            ("year", y.as_str()),
            ("level", level),
            ("points", points),
            ("decided_by", gc.as_str()),
        ]
    };
    // Points that do not earn the level are refused, naming the field.
    let wrong = f
        .form(
            &format!("/orgs/{a}/review"),
            Some(&s),
            &fields("good", "95"),
        )
        .await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert!(wrong.body.contains("95 points earn"), "{}", wrong.body);
    let done = f
        .form(
            &format!("/orgs/{a}/review"),
            Some(&s),
            &fields("good", "80"),
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert!(done.location().unwrap().contains(&format!("#member-{m}")));
    let body = f.location_body(&done, &s).await;
    assert!(body.contains("lvl-good") && body.contains("80"), "{body}");
    let current_id = {
        let h = f
            .get(
                &format!("/api/v1/members/{m}/classifications?year={year}"),
                Some(&s),
            )
            .await;
        assert_eq!(h.status, 200, "{}", h.body);
        h.json()[0]["id"].as_i64().unwrap().to_string()
    };
    assert!(body.contains(&format!(r#"name="supersedes" value="{current_id}""#)));
    // A second decision that does not name the current one is a conflict.
    let again = f
        .form(
            &format!("/orgs/{a}/review"),
            Some(&s),
            &fields("completed", "60"),
        )
        .await;
    assert_eq!(again.status, 409, "{}", again.body);
    // The correction names it; the page shows the corrected level.
    let mut fix = fields("completed", "60");
    fix.push(("supersedes", current_id.as_str()));
    fix.push(("note", "Theo kết luận của đảng ủy"));
    let fixed = f.form(&format!("/orgs/{a}/review"), Some(&s), &fix).await;
    assert_eq!(fixed.status, 303, "{}", fixed.body);
    let body = f.location_body(&fixed, &s).await;
    assert!(
        body.contains("lvl-completed") && body.contains("Theo kết luận của đảng ủy"),
        "{body}"
    );

    // Another cell is out of the secretary's reach.
    let other = f
        .get(&format!("/orgs/{}/review?year={year}", f.b.id), Some(&s))
        .await;
    assert_eq!(other.status, 404);
    let out = f
        .form(
            &format!("/orgs/{a}/review"),
            Some(&s),
            &[
                ("subject_kind", "member"),
                ("subject_id", &f.m_b.to_string()),
                ("year", &y),
                ("level", "good"),
                ("points", "80"),
                ("decided_by", &gc),
            ],
        )
        .await;
    assert_eq!(out.status, 404, "{}", out.body);

    // The committee office sees the grassroots committee's cells and members, with the
    // member's classification counted in the tallies.
    let office = f.session(Role::CommitteeOffice).await;
    let review = f
        .get(
            &format!("/api/v1/orgs/{}/review?year={year}", f.gc.id),
            Some(&office),
        )
        .await;
    assert_eq!(review.status, 200, "{}", review.body);
    let v = review.json();
    assert_eq!(v["orgs"].as_array().unwrap().len(), 2);
    assert_eq!(v["members"].as_array().unwrap().len(), 2);
    assert_eq!(v["member_tally"]["completed"], 1);
    let page = f
        .get(
            &format!("/orgs/{}/review?year={year}", f.gc.id),
            Some(&office),
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&f.a.name) && page.body.contains(&f.b.name));
}
