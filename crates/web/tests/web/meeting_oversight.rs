//! Around a meeting, through the API and the pages: cancelling it with its reason, a
//! superior committee's observers and evaluation, and a cell's elected committee.

use axum::http::Method;
use grassroots_domain::access::Role;
use serde_json::json;

use crate::fixture::*;

fn days_ago(n: i64) -> String {
    (chrono::Local::now().date_naive() - chrono::Duration::days(n)).to_string()
}

/// A meeting of cell A some days ago, held with everyone present.
async fn held_meeting(f: &Fixture, s: &Session) -> i64 {
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/orgs/{}/meetings", f.a.id),
            Some(s),
            json!({"kind": "extraordinary", "date": days_ago(3), "agenda": "Công tác phát triển đảng viên"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/meetings/{id}/attendance"),
            Some(s),
            json!({"absentees": []}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    id
}

#[tokio::test]
async fn a_superior_committee_evaluates_and_observes_a_held_meeting() {
    let f = Fixture::new().await;
    let s = f.session(Role::CommitteeOffice).await;
    let id = held_meeting(&f, &s).await;
    let uri = format!("/api/v1/meetings/{id}/evaluations");

    let r = f
        .json(
            Method::POST,
            &uri,
            Some(&s),
            json!({"evaluator_org_id": f.gc.id, "level": "Good", "notes": "Chuẩn bị chu đáo"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["level"], "good");
    assert_eq!(
        r.json()["evaluated_on"],
        chrono::Local::now().date_naive().to_string()
    );

    // The cell cannot evaluate itself, an unknown level is named, a future day is refused.
    let own = f
        .json(
            Method::POST,
            &uri,
            Some(&s),
            json!({"evaluator_org_id": f.a.id, "level": "good"}),
        )
        .await;
    assert_eq!(own.status, 422, "{}", own.body);
    assert_eq!(own.json()["field"], "evaluator_org_id");
    let level = f
        .json(
            Method::POST,
            &uri,
            Some(&s),
            json!({"evaluator_org_id": f.gc.id, "level": "excellent"}),
        )
        .await;
    assert_eq!(level.status, 422, "{}", level.body);
    assert_eq!(level.json()["field"], "level");
    let future = f
        .json(
            Method::POST,
            &uri,
            Some(&s),
            json!({"evaluator_org_id": f.gc.id, "level": "fair", "evaluated_on": "2099-01-01"}),
        )
        .await;
    assert_eq!(future.status, 422, "{}", future.body);
    assert_eq!(future.json()["field"], "evaluated_on");

    // A cell secretary does not see the committee above: nothing to evaluate with.
    let sec = f.session(Role::CellSecretary).await;
    let r = f
        .json(
            Method::POST,
            &uri,
            Some(&sec),
            json!({"evaluator_org_id": f.gc.id, "level": "good"}),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);

    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/meetings/{id}/observers"),
            Some(&s),
            json!({"member_id": f.m_b, "committee_org_id": f.c1.id, "note": "Phụ trách chi bộ"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["full_name"], "Lê Thị Bình");

    let view = f
        .get(&format!("/api/v1/meetings/{id}"), Some(&s))
        .await
        .json();
    let evaluations = view["evaluations"].as_array().unwrap();
    assert_eq!(evaluations.len(), 1);
    assert_eq!(evaluations[0]["evaluator_org_id"], f.gc.id);
    assert_eq!(evaluations[0]["notes"], "Chuẩn bị chu đáo");
    let observers = view["observers"].as_array().unwrap();
    assert_eq!(observers.len(), 1);
    assert_eq!(observers[0]["committee_org_id"], f.c1.id);

    // The meeting figures count the evaluation at its level.
    let figures = f
        .get(
            &format!(
                "/api/v1/orgs/{}/report?from={}&to={}",
                f.gc.id,
                days_ago(30),
                days_ago(0)
            ),
            Some(&s),
        )
        .await;
    assert_eq!(figures.status, 200, "{}", figures.body);
    let lines = figures.json()["lines"].as_array().unwrap().clone();
    let value = |key: &str| {
        lines
            .iter()
            .find(|l| l["key"] == key)
            .unwrap_or_else(|| panic!("{key} missing"))["value"]
            .clone()
    };
    assert_eq!(value("meetings.evaluations.good")["amount"], 1);
    assert_eq!(value("meetings.evaluations.total")["amount"], 1);
}

#[tokio::test]
async fn a_scheduled_meeting_is_cancelled_once_with_its_reason() {
    let f = Fixture::new().await;
    let s = f.session(Role::CellSecretary).await;
    let uri = format!("/api/v1/meetings/{}/cancel", f.meeting_a);
    let blank = f
        .json(Method::POST, &uri, Some(&s), json!({"reason": "  "}))
        .await;
    assert_eq!(blank.status, 422, "{}", blank.body);
    assert_eq!(blank.json()["field"], "reason");

    let r = f
        .json(Method::POST, &uri, Some(&s), json!({"reason": "Bão số 13"}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["status"], "cancelled");
    assert_eq!(r.json()["cancel_reason"], "Bão số 13");

    let again = f
        .json(Method::POST, &uri, Some(&s), json!({"reason": "Lần nữa"}))
        .await;
    assert_eq!(again.status, 409, "{}", again.body);
    // The first reason stands.
    let view = f
        .get(&format!("/api/v1/meetings/{}", f.meeting_a), Some(&s))
        .await
        .json();
    assert_eq!(view["meeting"]["cancel_reason"], "Bão số 13");

    // Another subtree's meeting is not found.
    let other = f
        .json(
            Method::POST,
            &format!("/api/v1/meetings/{}/cancel", f.meeting_x),
            Some(&s),
            json!({"reason": "Bão"}),
        )
        .await;
    assert_eq!(other.status, 404, "{}", other.body);
}

#[tokio::test]
async fn a_cell_elects_its_committee_and_the_next_one_replaces_it() {
    let f = Fixture::new().await;
    let s = f.session(Role::CommitteeOffice).await;
    let uri = format!("/api/v1/orgs/{}/cell-committee", f.a.id);
    let none = f.get(&uri, Some(&s)).await;
    assert_eq!(none.status, 200, "{}", none.body);
    assert_eq!(none.json(), serde_json::Value::Null);

    let first = f
        .json(
            Method::POST,
            &uri,
            Some(&s),
            json!({"elected_on": days_ago(40), "secretary_member_id": f.m_a, "decision": "15-QĐ/ĐU"}),
        )
        .await;
    assert_eq!(first.status, 201, "{}", first.body);
    let now = f.get(&uri, Some(&s)).await.json();
    assert_eq!(now["secretary_member_id"], f.m_a);
    assert_eq!(now["decision"], "15-QĐ/ĐU");

    // The deputy must be someone else; a member of another cell cannot be its secretary.
    let same = f
        .json(
            Method::POST,
            &uri,
            Some(&s),
            json!({"elected_on": days_ago(1), "secretary_member_id": f.m_a, "deputy_member_id": f.m_a}),
        )
        .await;
    assert_eq!(same.status, 422, "{}", same.body);
    assert_eq!(same.json()["field"], "deputy_member_id");
    let stranger = f
        .json(
            Method::POST,
            &uri,
            Some(&s),
            json!({"elected_on": days_ago(1), "secretary_member_id": f.m_b}),
        )
        .await;
    assert_eq!(stranger.status, 422, "{}", stranger.body);
    assert_eq!(stranger.json()["field"], "secretary_member_id");
    let bad_day = f
        .json(
            Method::POST,
            &uri,
            Some(&s),
            json!({"elected_on": "31/02/2025", "secretary_member_id": f.m_a}),
        )
        .await;
    assert_eq!(bad_day.status, 422, "{}", bad_day.body);
    assert_eq!(bad_day.json()["field"], "elected_on");

    // The committee of 40 days ago is still the one on that day after a re-election.
    let second = f
        .json(
            Method::POST,
            &uri,
            Some(&s),
            json!({"elected_on": days_ago(2), "secretary_member_id": f.m_a, "decision": "20-QĐ/ĐU"}),
        )
        .await;
    assert_eq!(second.status, 201, "{}", second.body);
    let then = f
        .get(&format!("{uri}?on={}", days_ago(10)), Some(&s))
        .await
        .json();
    assert_eq!(then["decision"], "15-QĐ/ĐU");
    assert_eq!(then["ended_on"], days_ago(2));
    let now = f.get(&uri, Some(&s)).await.json();
    assert_eq!(now["decision"], "20-QĐ/ĐU");
}

#[tokio::test]
async fn the_pages_offer_the_forms_and_record_through_them() {
    let f = Fixture::new().await;
    let s = f.session(Role::CommitteeOffice).await;
    let id = held_meeting(&f, &s).await;

    let page = f.get(&format!("/meetings/{id}"), Some(&s)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("id=\"evaluation-form\""));
    assert!(page.body.contains("id=\"observer-form\""));
    // A held meeting cannot be cancelled any more: no form.
    assert!(!page.body.contains("id=\"cancel-form\""));
    // The committees above the cell are offered, the cell itself is not.
    assert!(
        page.body
            .contains(&format!("<option value=\"{}\">", f.gc.id))
    );
    assert!(
        !page
            .body
            .contains(&format!("<option value=\"{}\">", f.a.id))
    );

    let gc = f.gc.id.to_string();
    let r = f
        .form(
            &format!("/meetings/{id}/evaluations"),
            Some(&s),
            &[("evaluator_org_id", &gc), ("level", "fair")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let body = f.location_body(&r, &s).await;
    // Vietnamese is the fixture's language: "fair" reads "Khá".
    assert!(body.contains("quality-fair\">Khá</strong>"), "{body}");

    let scheduled = f.get(&format!("/meetings/{}", f.meeting_a), Some(&s)).await;
    assert!(scheduled.body.contains("id=\"cancel-form\""));
    let r = f
        .form(
            &format!("/meetings/{}/cancel", f.meeting_a),
            Some(&s),
            &[("reason", "Mưa lớn")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(f.location_body(&r, &s).await.contains("Mưa lớn"));

    let calendar = f.get(&format!("/orgs/{}/meetings", f.a.id), Some(&s)).await;
    assert!(calendar.body.contains("id=\"cell-committee-form\""));
    let m_a = f.m_a.to_string();
    let r = f
        .form(
            &format!("/orgs/{}/cell-committee", f.a.id),
            Some(&s),
            &[
                ("elected_on", &days_ago(5)),
                ("secretary_member_id", &m_a),
                ("deputy_member_id", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let body = f.location_body(&r, &s).await;
    assert!(
        body.contains(&format!("<a href=\"/members/{m_a}\">Nguyễn Văn An</a>")),
        "{body}"
    );

    // A committee's calendar has no cell committee section.
    let committee = f
        .get(&format!("/orgs/{}/meetings", f.gc.id), Some(&s))
        .await;
    assert!(!committee.body.contains("id=\"cell-committee\""));
}
