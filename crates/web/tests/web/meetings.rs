//! Cell meetings through the API and the pages: the calendar of a year, the fast attendance
//! list, minutes, a member's own check-in, and the figures and alerts that follow.

use axum::http::Method;
use chrono::Datelike;
use grassroots_domain::access::Role;
use serde_json::json;

use crate::fixture::*;

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

#[tokio::test]
async fn a_secretary_schedules_a_year_and_reads_the_calendar() {
    let f = Fixture::new().await;
    let s = f.session(Role::CellSecretary).await;
    let uri = format!("/api/v1/orgs/{}/meetings/schedule", f.a.id);
    let r = f
        .json(Method::POST, &uri, Some(&s), json!({"year": 2027}))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let made = r.json();
    assert_eq!(made.as_array().unwrap().len(), 12);
    // The rulebook's day: the 3rd of each month.
    assert_eq!(made[0]["date"], "2027-01-03");
    assert_eq!(made[11]["date"], "2027-12-03");
    assert_eq!(made[0]["kind"], "regular");
    assert_eq!(made[0]["status"], "scheduled");
    assert_eq!(made[0]["check_in_code"].as_str().unwrap().len(), 6);

    // A second schedule of the same year is refused; nothing is doubled.
    let again = f
        .json(
            Method::POST,
            &uri,
            Some(&s),
            json!({"year": 2027, "day": 9}),
        )
        .await;
    assert_eq!(again.status, 409, "{}", again.body);
    // A day past the month's end falls on its last day.
    let b = f.session(Role::CommitteeOffice).await;
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/orgs/{}/meetings/schedule", f.b.id),
            Some(&b),
            json!({"year": 2028, "day": 31}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()[1]["date"], "2028-02-29");

    let cal = f
        .get(
            &format!("/api/v1/orgs/{}/meetings?year=2027", f.a.id),
            Some(&s),
        )
        .await;
    assert_eq!(cal.status, 200);
    let cal = cal.json();
    assert_eq!(cal["year"], 2027);
    assert_eq!(cal["org"]["code"], "A");
    assert_eq!(cal["meetings"].as_array().unwrap().len(), 12);
    assert_eq!(cal["meetings"][5]["date"], "2027-06-03");

    // One thematic meeting needs its theme, named by field.
    let one = format!("/api/v1/orgs/{}/meetings", f.a.id);
    let bad = f
        .json(
            Method::POST,
            &one,
            Some(&s),
            json!({"kind": "thematic", "date": "2027-03-20"}),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["field"], "topic");
    let bad = f
        .json(
            Method::POST,
            &one,
            Some(&s),
            json!({"kind": "party", "date": "2027-03-20"}),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["field"], "kind");
    let ok = f
        .json(
            Method::POST,
            &one,
            Some(&s),
            json!({"kind": "thematic", "date": "2027-03-20", "topic": "Học tập Nghị quyết"}),
        )
        .await;
    assert_eq!(ok.status, 201, "{}", ok.body);
    assert_eq!(ok.json()["topic"], "Học tập Nghị quyết");

    // Readers may read the calendar but not schedule; another province's cell does not exist.
    let reader = f.session(Role::Propaganda).await;
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/orgs/{}/meetings/schedule", f.b.id),
            Some(&reader),
            json!({"year": 2029}),
        )
        .await;
    assert_eq!(r.status, 403);
    let r = f
        .get(
            &format!("/api/v1/orgs/{}/meetings?year=2027", f.x.id),
            Some(&s),
        )
        .await;
    assert_eq!(r.status, 404);
}

/// Two more members in A, so the list has someone present, excused and unexcused.
async fn three_members_in_a(f: &Fixture) -> (i64, i64) {
    let m2 = member(&f.db.store, "Phạm Văn Cường", &f.a).await;
    let m3 = member(&f.db.store, "Hoàng Thị Dung", &f.a).await;
    (m2, m3)
}

#[tokio::test]
async fn fast_attendance_minutes_and_self_check_in() {
    let f = Fixture::new().await;
    let (m2, m3) = three_members_in_a(&f).await;
    let s = f.session(Role::CellSecretary).await;
    let meeting = f.meeting_a;
    let view = f
        .get(&format!("/api/v1/meetings/{meeting}"), Some(&s))
        .await;
    assert_eq!(view.status, 200, "{}", view.body);
    let view = view.json();
    assert_eq!(view["participants"].as_array().unwrap().len(), 3);
    assert_eq!(view["attendance"].as_array().unwrap().len(), 0);
    assert_eq!(view["meeting"]["status"], "scheduled");
    assert_eq!(view["org"]["id"], f.a.id);
    let code = view["meeting"]["check_in_code"]
        .as_str()
        .unwrap()
        .to_owned();

    // The member checks in first, with a wrong code and then the right one.
    let me = f.session(Role::Member).await;
    let uri = format!("/api/v1/meetings/{meeting}/check-in");
    let wrong = f
        .json(Method::POST, &uri, Some(&me), json!({"code": "not-it"}))
        .await;
    assert_eq!(wrong.status, 422);
    assert_eq!(wrong.json()["field"], "code");
    let r = f
        .json(Method::POST, &uri, Some(&me), json!({"code": code}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["member_id"], f.m_a);
    assert_eq!(r.json()["status"], "present");
    assert_eq!(r.json()["source"], "self");
    // A member reads no meeting and cannot check in elsewhere.
    let r = f
        .get(&format!("/api/v1/meetings/{meeting}"), Some(&me))
        .await;
    assert_eq!(r.status, 403);
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/meetings/{}/check-in", f.meeting_x),
            Some(&me),
            json!({"code": code}),
        )
        .await;
    assert_eq!(r.status, 404);

    // The fast list: an excused absence needs its reason, named by entry.
    let att = format!("/api/v1/meetings/{meeting}/attendance");
    let bad = f
        .json(
            Method::POST,
            &att,
            Some(&s),
            json!({"absentees": [{"member_id": m2, "status": "absent_excused"}]}),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["field"], "reason");
    let bad = f
        .json(
            Method::POST,
            &att,
            Some(&s),
            json!({"absentees": [{"member_id": m2, "status": "present"}]}),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["field"], "absentees[0].status");
    // Someone who checked in cannot be listed absent.
    let bad = f
        .json(
            Method::POST,
            &att,
            Some(&s),
            json!({"absentees": [{"member_id": f.m_a, "status": "absent_unexcused"}]}),
        )
        .await;
    assert!(bad.status == 409 || bad.status == 422, "{}", bad.body);
    let r = f
        .json(
            Method::POST,
            &att,
            Some(&s),
            json!({"absentees": [
                {"member_id": m2, "status": "absent_excused", "reason": "Ốm"},
                {"member_id": m3, "status": "absent_unexcused"}
            ]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let rows = r.json();
    let row = |id: i64| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["member_id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(rows.as_array().unwrap().len(), 3);
    assert_eq!(row(f.m_a)["status"], "present");
    assert_eq!(row(f.m_a)["source"], "self");
    assert_eq!(row(m2)["status"], "absent_excused");
    assert_eq!(row(m2)["reason"], "Ốm");
    assert_eq!(row(m3)["status"], "absent_unexcused");
    assert_eq!(row(m3)["reason"], serde_json::Value::Null);
    // Recorded once; a second list is a conflict.
    let again = f
        .json(Method::POST, &att, Some(&s), json!({"absentees": []}))
        .await;
    assert_eq!(again.status, 409);

    // The minutes, with the version read; a stale version is refused.
    let view = f
        .get(&format!("/api/v1/meetings/{meeting}"), Some(&s))
        .await
        .json();
    assert_eq!(view["meeting"]["status"], "held");
    assert_eq!(view["meeting"]["attendance_recorded"], true);
    let version = view["meeting"]["version"].as_i64().unwrap();
    let min = format!("/api/v1/meetings/{meeting}/minutes");
    let r = f
        .json(
            Method::POST,
            &min,
            Some(&s),
            json!({"version": version, "agenda": "1. Tình hình tháng", "minutes": "Chi bộ họp đủ",
                   "resolutions": ["Thu đảng phí đúng hạn", "Thăm hỏi gia đình chính sách"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["minutes"], "Chi bộ họp đủ");
    assert_eq!(r.json()["resolutions"][1], "Thăm hỏi gia đình chính sách");
    let stale = f
        .json(
            Method::POST,
            &min,
            Some(&s),
            json!({"version": version, "minutes": "overwrite"}),
        )
        .await;
    assert_eq!(stale.status, 409);
    let view = f
        .get(&format!("/api/v1/meetings/{meeting}"), Some(&s))
        .await
        .json();
    assert_eq!(view["meeting"]["minutes"], "Chi bộ họp đủ");
    assert_eq!(view["attendance"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn figures_and_alerts_follow_the_attendance() {
    let f = Fixture::new().await;
    let (m2, m3) = three_members_in_a(&f).await;
    let s = f.session(Role::CellSecretary).await;
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/meetings/{}/attendance", f.meeting_a),
            Some(&s),
            json!({"absentees": [
                {"member_id": m2, "status": "absent_excused", "reason": "Công tác"},
                {"member_id": m3, "status": "absent_unexcused"}
            ]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    let office = f.session(Role::CommitteeOffice).await;
    let t = today();
    let from = format!("{}-01-01", t.year());
    let q = format!("from={from}&to={t}");
    let figs = f
        .get(
            &format!("/api/v1/orgs/{}/meetings/figures?{q}", f.gc.id),
            Some(&office),
        )
        .await;
    assert_eq!(figs.status, 200, "{}", figs.body);
    let figs = figs.json();
    let totals = &figs["totals"];
    assert_eq!(figs["cells"].as_array().unwrap().len(), 2);
    assert_eq!(totals["extraordinary_held"], 1);
    assert_eq!(totals["present"], 1);
    assert_eq!(totals["absent_excused"], 1);
    assert_eq!(totals["absent_unexcused"], 1);
    assert_eq!(totals["regular_held"], 0);
    // Whole months of this year before today's (today's too if it is the month's last day),
    // for each of the two cells.
    let last_of_month = (t + chrono::Duration::days(1)).month() != t.month();
    let months = i64::from(t.month()) - 1 + i64::from(last_of_month);
    assert_eq!(totals["regular_due"], 2 * months);
    assert_eq!(totals["official_members"], 4);
    let rate = figs["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["key"] == "meetings.attendance.rate")
        .unwrap();
    assert_eq!(rate["value"]["unit"], "ratio");
    let share = rate["value"]["amount"].as_f64().unwrap();
    assert!((share - 1.0 / 3.0).abs() < 1e-9, "{rate}");
    assert_eq!(figs["members_flagged"]["absent_unexcused"], 1);

    let alerts = f
        .get(
            &format!("/api/v1/orgs/{}/meetings/alerts?{q}", f.gc.id),
            Some(&office),
        )
        .await;
    assert_eq!(alerts.status, 200, "{}", alerts.body);
    let alerts = alerts.json();
    let unexcused: Vec<_> = alerts
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["rule"] == "absent_unexcused")
        .collect();
    assert_eq!(unexcused.len(), 1);
    assert_eq!(unexcused[0]["member_id"], m3);
    assert_eq!(unexcused[0]["org_id"], f.a.id);
    assert_eq!(unexcused[0]["evidence"]["meeting_ids"][0], f.meeting_a);
    // B has a single official member: too few, at the period's end.
    assert!(
        alerts
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["rule"] == "too_few_official_members" && a["org_id"] == f.b.id)
    );
    // A bad period names its field.
    let bad = f
        .get(
            &format!(
                "/api/v1/orgs/{}/meetings/figures?from=2025-02-01&to=2025-01-01",
                f.gc.id
            ),
            Some(&office),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["field"], "to");
}

#[tokio::test]
async fn the_pages_take_a_secretary_and_a_member_through_a_meeting() {
    let f = Fixture::new().await;
    let (m2, m3) = three_members_in_a(&f).await;
    let s = f.session(Role::CellSecretary).await;
    let year = today().year();

    // The organization page links the calendar and the figures.
    let org = f.get(&format!("/orgs/{}", f.a.id), Some(&s)).await;
    assert!(org.body.contains(&format!("/orgs/{}/meetings\"", f.a.id)));
    assert!(
        org.body
            .contains(&format!("/orgs/{}/meetings/figures", f.a.id))
    );

    let r = f
        .form(
            &format!("/orgs/{}/meetings/schedule", f.a.id),
            Some(&s),
            &[("year", &(year + 1).to_string()), ("day", "10")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let cal = f.location_body(&r, &s).await;
    assert!(cal.contains("Tháng 12"), "month grid");
    assert!(cal.contains(&format!("10/12/{}", year + 1)), "{cal}");
    assert_eq!(cal.matches("Sinh hoạt định kỳ").count(), 12);
    // A bad day is named on the error page.
    let bad = f
        .form(
            &format!("/orgs/{}/meetings/schedule", f.a.id),
            Some(&s),
            &[("year", "2040"), ("day", "tenth")],
        )
        .await;
    assert_eq!(bad.status, 422);

    // The meeting page: the code, and every expected member ticked present.
    let page = f.get(&format!("/meetings/{}", f.meeting_a), Some(&s)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let code = page
        .body
        .split("id=\"check-in-code\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(code.len(), 6);
    for m in [f.m_a, m2, m3] {
        assert!(
            page.body.contains(&format!("name=\"present_{m}\" checked")),
            "member {m} ticked"
        );
    }

    // The member checks in from their own form.
    let me = f.session(Role::Member).await;
    let form = f.get("/check-in", Some(&me)).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains(&format!("value=\"{}\"", f.meeting_a)));
    let r = f
        .form(
            "/check-in",
            Some(&me),
            &[("meeting_id", &f.meeting_a.to_string()), ("code", &code)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let done = f.location_body(&r, &me).await;
    assert!(done.contains("Bạn đã điểm danh"));

    // The secretary unticks two: one excused with a reason, one not.
    let r = f
        .form(
            &format!("/meetings/{}/attendance", f.meeting_a),
            Some(&s),
            &[
                (&format!("present_{}", f.m_a), "on"),
                (&format!("status_{m2}"), "absent_excused"),
                (&format!("reason_{m2}"), "Đi công tác"),
                (&format!("status_{m3}"), "absent_unexcused"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = f.location_body(&r, &s).await;
    assert!(page.contains("Đi công tác"));
    assert!(!page.contains("attendance-form"), "recorded once");
    let view = f
        .get(&format!("/api/v1/meetings/{}", f.meeting_a), Some(&s))
        .await
        .json();
    let status_of = |id: i64| {
        view["attendance"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["member_id"] == id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status_of(f.m_a), "present");
    assert_eq!(status_of(m2), "absent_excused");
    assert_eq!(status_of(m3), "absent_unexcused");

    // The minutes from the form, one resolution per line.
    let version = view["meeting"]["version"].as_i64().unwrap().to_string();
    let r = f
        .form(
            &format!("/meetings/{}/minutes", f.meeting_a),
            Some(&s),
            &[
                ("version", &version),
                ("minutes", "Họp đủ nội dung"),
                ("resolutions", "Thứ nhất\nThứ hai\n"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let view = f
        .get(&format!("/api/v1/meetings/{}", f.meeting_a), Some(&s))
        .await
        .json();
    assert_eq!(
        view["meeting"]["resolutions"],
        json!(["Thứ nhất", "Thứ hai"])
    );

    // The figures page names the flagged member with the meeting as evidence.
    let office = f.session(Role::CommitteeOffice).await;
    let figs = f
        .get(
            &format!(
                "/orgs/{}/meetings/figures?from={year}-01-01&to={}",
                f.gc.id,
                today()
            ),
            Some(&office),
        )
        .await;
    assert_eq!(figs.status, 200, "{}", figs.body);
    assert!(figs.body.contains("Vắng không lý do"));
    assert!(figs.body.contains("Hoàng Thị Dung"));
    assert!(figs.body.contains(&format!("/meetings/{}", f.meeting_a)));
    assert!(figs.body.contains("33.3 %"));
}

#[tokio::test]
async fn a_member_tapping_check_in_many_times_at_once_is_present_once_with_one_audit_entry() {
    let f = Fixture::new().await;
    let s = f.session(Role::CellSecretary).await;
    let meeting = f.meeting_a;
    let view = f
        .get(&format!("/api/v1/meetings/{meeting}"), Some(&s))
        .await
        .json();
    let code = view["meeting"]["check_in_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = f.session(Role::Member).await;
    let uri = format!("/api/v1/meetings/{meeting}/check-in");
    let tap = || f.json(Method::POST, &uri, Some(&me), json!({"code": code}));
    let (a, b, c, d, e, g) = tokio::join!(tap(), tap(), tap(), tap(), tap(), tap());
    for r in [a, b, c, d, e, g] {
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["member_id"], f.m_a);
        assert_eq!(r.json()["status"], "present");
    }
    let list = f
        .get(&format!("/api/v1/meetings/{meeting}"), Some(&s))
        .await
        .json();
    let marks = list["attendance"].as_array().unwrap();
    assert_eq!(marks.len(), 1);
    let log = grassroots_storage::audit::list(
        &f.db.store.db,
        &grassroots_storage::Scope::all(),
        Some(("attendance", &format!("{meeting}/{}", f.m_a))),
        10,
    )
    .await
    .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "meeting.check_in");
}
