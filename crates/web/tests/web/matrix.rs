//! The access-control matrix: every route of the table × every role × a target inside and
//! outside the caller's subtree. The expected outcome is computed from the route's rule and
//! the role's permissions; a route this test cannot build a request for fails it.

use std::sync::atomic::{AtomicU32, Ordering};

use axum::body::Body;
use axum::http::{Method, Request};
use grassroots_domain::access::{Permission, Role};
use grassroots_web::access::{RouteSpec, Rule};
use grassroots_web::routes::ROUTES;
use serde_json::json;

use crate::fixture::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Inside,
    Outside,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Allowed,
    Forbidden,
    NotFound,
}

static SEQ: AtomicU32 = AtomicU32::new(0);

/// The request for a route; `scoped` says whether the route has a target in the tree.
fn build(
    f: &Fixture,
    t: &Targets,
    spec: &RouteSpec,
    side: Side,
    s: &Session,
    role: Role,
) -> Option<(Request<Body>, bool)> {
    let inside = side == Side::Inside;
    let org = if inside { f.a.id } else { f.x.id };
    let member = if inside { f.m_a } else { f.m_x };
    let meeting = if inside { f.meeting_a } else { f.meeting_x };
    let year = chrono::Datelike::year(&chrono::Local::now().date_naive());
    let pick = |pair: (i64, i64)| if inside { pair.0 } else { pair.1 };
    let (doc, task, course, participant) = (
        pick(t.document),
        pick(t.task),
        pick(t.course),
        pick(t.participant),
    );
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    let today = chrono::Local::now().date_naive().to_string();
    let form = |fields: Vec<(String, String)>| {
        let mut body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", enc(v)))
            .collect();
        body.push(format!("csrf={}", s.csrf));
        Some(Payload::Form(body.join("&")))
    };
    let kv = |pairs: &[(&str, String)]| {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect::<Vec<_>>()
    };
    let identity = |name: String| {
        kv(&[
            ("full_name", name),
            ("birth_date", "1990-01-02".into()),
            ("gender", "male".into()),
            ("ethnicity", "Kinh".into()),
            ("version", "1".into()),
            ("org_id", org.to_string()),
            ("status", "official".into()),
            ("status_since", "2015-01-01".into()),
            ("joined_on", "2015-01-01".into()),
        ])
    };
    let identity_json = |name: &str| {
        let mut v = serde_json::to_value(identity_of(name)).unwrap();
        v["version"] = json!(1);
        v["org_id"] = json!(org);
        v["status"] = json!("official");
        v["status_since"] = json!("2015-01-01");
        v["joined_on"] = json!("2015-01-01");
        v
    };
    let m = spec.method.clone();
    let (uri, payload, scoped): (String, Option<Payload>, bool) = match (m.as_str(), spec.path) {
        (
            "GET",
            "/healthz"
            | "/assets/app.css"
            | "/assets/app.js"
            | "/signin"
            | "/"
            | "/dashboard"
            | "/api/v1/openapi.json"
            | "/api/v1/me",
        ) => (spec.path.to_owned(), None, false),
        ("POST", "/signin") => (
            "/signin".into(),
            form(kv(&[
                ("username", username(role)),
                ("password", PASSWORD.into()),
            ])),
            false,
        ),
        ("POST", "/signout") => ("/signout".into(), form(vec![]), false),
        ("POST", "/language") => (
            "/language".into(),
            form(kv(&[("lang", "en".into())])),
            false,
        ),
        ("GET", "/tree") => (format!("/tree?root={org}"), None, true),
        ("GET", "/orgs/new") => (format!("/orgs/new?parent={org}"), None, true),
        ("POST", "/orgs") => (
            "/orgs".into(),
            form(kv(&[
                ("code", format!("G{n}")),
                ("name", format!("Tổ đảng {n}")),
                ("kind", "party_group".into()),
                ("parent_id", org.to_string()),
                ("founded_on", "2021-01-01".into()),
            ])),
            true,
        ),
        ("GET", "/orgs/{id}") => (format!("/orgs/{org}"), None, true),
        ("GET", "/orgs/{id}/edit") => (format!("/orgs/{org}/edit"), None, true),
        ("POST", "/orgs/{id}/rename") => (
            format!("/orgs/{org}/rename"),
            form(kv(&[
                ("name", format!("Chi bộ {n}")),
                ("effective_on", today.clone()),
            ])),
            true,
        ),
        ("GET", "/members") => (format!("/members?org={org}"), None, true),
        ("GET", "/members/new") => (format!("/members/new?org={org}"), None, true),
        ("POST", "/members") => (
            "/members".into(),
            form(identity(format!("Đinh Văn Mới {}", letters(n)))),
            true,
        ),
        ("GET", "/members/{id}") => (format!("/members/{member}"), None, true),
        ("GET", "/members/{id}/edit") => (format!("/members/{member}/edit"), None, true),
        ("POST", "/members/{id}/edit") => (
            format!("/members/{member}/edit"),
            form(identity("Nguyễn Văn An".into())),
            true,
        ),
        ("POST", "/members/{id}/status") => (
            format!("/members/{member}/status"),
            form(kv(&[
                ("status", "temporarily_exempt".into()),
                ("effective_on", today.clone()),
            ])),
            true,
        ),
        ("POST", "/api/v1/session") => (
            spec.path.into(),
            Some(Payload::Json(
                json!({"username": username(role), "password": PASSWORD}),
            )),
            false,
        ),
        ("DELETE", "/api/v1/session") => (spec.path.into(), None, false),
        ("GET", "/api/v1/orgs") => ("/api/v1/orgs?q=chi+bo".into(), None, false),
        ("POST", "/api/v1/orgs") => (
            spec.path.into(),
            Some(Payload::Json(
                json!({"code": format!("J{n}"), "name": "Tổ đảng", "kind": "party_group", "parent_id": org, "founded_on": "2021-01-01"}),
            )),
            true,
        ),
        (
            "GET",
            "/api/v1/orgs/{id}"
            | "/api/v1/orgs/{id}/children"
            | "/api/v1/orgs/{id}/history"
            | "/api/v1/orgs/{id}/counts"
            | "/api/v1/orgs/{id}/report"
            | "/orgs/{id}/report",
        ) => (spec.path.replace("{id}", &org.to_string()), None, true),
        ("GET", "/api/v1/orgs/{id}/tree") => (
            format!("/api/v1/orgs/{org}/tree?as_of=2022-01-01"),
            None,
            true,
        ),
        ("POST", "/api/v1/orgs/{id}/rename") => (
            format!("/api/v1/orgs/{org}/rename"),
            Some(Payload::Json(
                json!({"name": format!("Chi bộ {n}"), "effective_on": today}),
            )),
            true,
        ),
        ("POST", "/api/v1/orgs/{id}/move") => (
            format!("/api/v1/orgs/{org}/move"),
            Some(Payload::Json(
                json!({"parent_id": if inside { f.gc.id } else { f.q.id }, "effective_on": today}),
            )),
            true,
        ),
        ("POST", "/api/v1/orgs/{id}/merge") => (
            format!("/api/v1/orgs/{org}/merge"),
            Some(Payload::Json(
                json!({"sources": [f.b.id], "effective_on": today}),
            )),
            true,
        ),
        // One part only: the organization is found first, then the split is refused.
        ("POST", "/api/v1/orgs/{id}/split") => (
            format!("/api/v1/orgs/{org}/split"),
            Some(Payload::Json(json!({
                "parts": [{"code": format!("S{n}"), "name": "Chi bộ tách", "kind": "cell", "parent_id": f.gc.id}],
                "effective_on": today
            }))),
            true,
        ),
        ("GET", "/api/v1/orgs/{id}/handovers") => {
            (format!("/api/v1/orgs/{org}/handovers"), None, true)
        }
        ("GET", "/api/v1/handovers/{id}" | "/handovers/{id}") => (
            spec.path.replace("{id}", &pick(t.handover).to_string()),
            None,
            true,
        ),
        ("POST", "/api/v1/orgs/{id}/dissolve") => (
            format!("/api/v1/orgs/{org}/dissolve"),
            Some(Payload::Json(json!({"effective_on": today}))),
            true,
        ),
        ("GET", "/api/v1/members") => (format!("/api/v1/members?org={org}"), None, true),
        ("POST", "/api/v1/members") => (
            spec.path.into(),
            Some(Payload::Json(identity_json(&format!(
                "Đinh Thị Mới {}",
                letters(n)
            )))),
            true,
        ),
        ("GET", "/api/v1/members/{id}") => (format!("/api/v1/members/{member}"), None, true),
        ("PUT", "/api/v1/members/{id}") => (
            format!("/api/v1/members/{member}"),
            Some(Payload::Json(identity_json("Nguyễn Văn An"))),
            true,
        ),
        ("POST", "/api/v1/members/{id}/status") => (
            format!("/api/v1/members/{member}/status"),
            Some(Payload::Json(
                json!({"status": "temporarily_exempt", "effective_on": today}),
            )),
            true,
        ),
        ("POST", "/api/v1/members/{id}/transfer") => (
            format!("/api/v1/members/{member}/transfer"),
            Some(Payload::Json(
                json!({"to_org": f.a.id, "kind": "temporary", "effective_on": today, "until": "2099-01-01"}),
            )),
            true,
        ),
        ("GET", "/api/v1/orgs/{id}/meetings" | "/orgs/{id}/meetings") => (
            format!(
                "{}?year={year}",
                spec.path.replace("{id}", &org.to_string())
            ),
            None,
            true,
        ),
        ("POST", "/api/v1/orgs/{id}/meetings") => (
            format!("/api/v1/orgs/{org}/meetings"),
            Some(Payload::Json(
                json!({"kind": "extraordinary", "date": today, "agenda": format!("Họp {n}")}),
            )),
            true,
        ),
        ("POST", "/api/v1/orgs/{id}/meetings/schedule") => (
            format!("/api/v1/orgs/{org}/meetings/schedule"),
            Some(Payload::Json(json!({"year": 2031}))),
            true,
        ),
        ("POST", "/orgs/{id}/meetings/schedule") => (
            format!("/orgs/{org}/meetings/schedule"),
            form(kv(&[("year", "2032".into()), ("day", "5".into())])),
            true,
        ),
        (
            "GET",
            "/api/v1/orgs/{id}/meetings/figures"
            | "/api/v1/orgs/{id}/meetings/alerts"
            | "/orgs/{id}/meetings/figures",
        ) => (
            format!(
                "{}?from=2025-01-01&to=2025-12-31",
                spec.path.replace("{id}", &org.to_string())
            ),
            None,
            true,
        ),
        ("GET", "/api/v1/meetings/{id}" | "/meetings/{id}") => {
            (spec.path.replace("{id}", &meeting.to_string()), None, true)
        }
        ("POST", "/api/v1/meetings/{id}/minutes") => (
            format!("/api/v1/meetings/{meeting}/minutes"),
            Some(Payload::Json(
                json!({"version": 1, "agenda": "Chương trình", "resolutions": ["Nghị quyết"]}),
            )),
            true,
        ),
        ("POST", "/meetings/{id}/minutes") => (
            format!("/meetings/{meeting}/minutes"),
            form(kv(&[
                ("version", "1".into()),
                ("minutes", "Biên bản".into()),
            ])),
            true,
        ),
        ("POST", "/api/v1/meetings/{id}/attendance") => (
            format!("/api/v1/meetings/{meeting}/attendance"),
            Some(Payload::Json(json!({"absentees": []}))),
            true,
        ),
        ("POST", "/meetings/{id}/attendance") => (
            format!("/meetings/{meeting}/attendance"),
            form(vec![(format!("present_{member}"), "on".into())]),
            true,
        ),
        ("POST", "/api/v1/meetings/{id}/check-in") => (
            format!("/api/v1/meetings/{meeting}/check-in"),
            Some(Payload::Json(json!({"code": "000000"}))),
            true,
        ),
        // The meeting org itself is no committee above it: refused as invalid (422) inside.
        ("POST", "/api/v1/meetings/{id}/observers") => (
            format!("/api/v1/meetings/{meeting}/observers"),
            Some(Payload::Json(
                json!({"member_id": member, "committee_org_id": org}),
            )),
            true,
        ),
        ("POST", "/meetings/{id}/observers") => (
            format!("/meetings/{meeting}/observers"),
            form(kv(&[
                ("member_id", member.to_string()),
                ("committee_org_id", org.to_string()),
            ])),
            true,
        ),
        // Today's meeting is not held yet: refused as a conflict (409) inside.
        ("POST", "/api/v1/meetings/{id}/evaluations") => (
            format!("/api/v1/meetings/{meeting}/evaluations"),
            Some(Payload::Json(
                json!({"evaluator_org_id": org, "level": "good"}),
            )),
            true,
        ),
        ("POST", "/meetings/{id}/evaluations") => (
            format!("/meetings/{meeting}/evaluations"),
            form(kv(&[
                ("evaluator_org_id", org.to_string()),
                ("level", "good".into()),
            ])),
            true,
        ),
        ("POST", "/api/v1/meetings/{id}/cancel") => (
            format!("/api/v1/meetings/{meeting}/cancel"),
            Some(Payload::Json(json!({"reason": "Bão"}))),
            true,
        ),
        ("POST", "/meetings/{id}/cancel") => (
            format!("/meetings/{meeting}/cancel"),
            form(kv(&[("reason", "Bão".into())])),
            true,
        ),
        ("GET", "/api/v1/orgs/{id}/cell-committee") => {
            (format!("/api/v1/orgs/{org}/cell-committee"), None, true)
        }
        ("POST", "/api/v1/orgs/{id}/cell-committee") => (
            format!("/api/v1/orgs/{org}/cell-committee"),
            Some(Payload::Json(
                json!({"elected_on": today, "secretary_member_id": member}),
            )),
            true,
        ),
        ("POST", "/orgs/{id}/cell-committee") => (
            format!("/orgs/{org}/cell-committee"),
            form(kv(&[
                ("elected_on", today.clone()),
                ("secretary_member_id", member.to_string()),
            ])),
            true,
        ),
        ("GET", "/check-in") => ("/check-in".into(), None, false),
        ("POST", "/check-in") => (
            "/check-in".into(),
            form(kv(&[
                ("meeting_id", meeting.to_string()),
                ("code", "000000".into()),
            ])),
            true,
        ),
        (
            "GET",
            "/api/v1/orgs/{id}/candidates"
            | "/api/v1/orgs/{id}/probation"
            | "/api/v1/orgs/{id}/transfer-letters"
            | "/api/v1/orgs/{id}/badges"
            | "/api/v1/orgs/{id}/dues-sheet"
            | "/api/v1/orgs/{id}/arrears"
            | "/orgs/{id}/candidates"
            | "/orgs/{id}/probation"
            | "/orgs/{id}/badges"
            | "/orgs/{id}/dues",
        ) => (spec.path.replace("{id}", &org.to_string()), None, true),
        ("POST", "/api/v1/orgs/{id}/candidates") => (
            format!("/api/v1/orgs/{org}/candidates"),
            Some(Payload::Json(
                json!({"full_name": format!("Hồ Văn Mới {}", letters(n)), "birth_date": "1999-01-02", "gender": "male", "ethnicity": "Kinh"}),
            )),
            true,
        ),
        ("GET", "/api/v1/candidates/{id}") => (
            format!(
                "/api/v1/candidates/{}",
                if inside { f.cand_a } else { f.cand_x }
            ),
            None,
            true,
        ),
        ("POST", "/api/v1/candidates/{id}/steps") => (
            format!(
                "/api/v1/candidates/{}/steps",
                if inside { f.cand_a } else { f.cand_x }
            ),
            Some(Payload::Json(
                json!({"on": today, "step": "awareness_class", "certificate_no": format!("CN-{n}")}),
            )),
            true,
        ),
        ("POST", "/api/v1/members/{id}/new-member-course") => (
            format!("/api/v1/members/{member}/new-member-course"),
            Some(Payload::Json(
                json!({"completed_on": today, "certificate_no": format!("BD-{n}")}),
            )),
            true,
        ),
        ("POST", "/api/v1/members/{id}/recognition") => (
            format!("/api/v1/members/{member}/recognition"),
            Some(Payload::Json(
                json!({"reviewed_on": today, "document": "NQ-1"}),
            )),
            true,
        ),
        ("POST", "/api/v1/members/{id}/transfer-letters") => (
            format!("/api/v1/members/{member}/transfer-letters"),
            Some(Payload::Json(
                json!({"to_org": f.b.id, "issued_on": today, "document": format!("GGT-{n}")}),
            )),
            true,
        ),
        // Outside: no letter of the other province is visible, so any id is unknown.
        ("POST", "/api/v1/transfer-letters/{id}/accept") => (
            format!(
                "/api/v1/transfer-letters/{}/accept",
                if inside {
                    f.letter_ba
                } else {
                    f.letter_ba + 1000
                }
            ),
            Some(Payload::Json(json!({"accepted_on": today}))),
            true,
        ),
        // A kind that does not exist: the member is looked up first, then the kind fails.
        ("POST", "/api/v1/members/{id}/outcomes") => (
            format!("/api/v1/members/{member}/outcomes"),
            Some(Payload::Json(
                json!({"kind": "promoted", "effective_on": today, "document": "QĐ-1"}),
            )),
            true,
        ),
        ("GET", "/api/v1/members/{id}/outcomes" | "/api/v1/members/{id}/dues") => {
            (spec.path.replace("{id}", &member.to_string()), None, true)
        }
        ("POST", "/api/v1/members/{id}/dues-income") => (
            format!("/api/v1/members/{member}/dues-income"),
            Some(Payload::Json(
                json!({"from": "2026-01", "kind": "student", "base_vnd": 0}),
            )),
            true,
        ),
        ("POST", "/api/v1/members/{id}/dues-payments") => (
            format!("/api/v1/members/{member}/dues-payments"),
            Some(Payload::Json(
                json!({"month": &today[..7], "amount_vnd": 5000}),
            )),
            true,
        ),
        // Cards, temporary transfers, dues reliefs.
        (
            "GET",
            "/members/{id}/registers"
            | "/api/v1/members/{id}/cards"
            | "/api/v1/members/{id}/dues-reliefs",
        ) => (spec.path.replace("{id}", &member.to_string()), None, true),
        ("GET", "/orgs/{id}/temporary-transfers" | "/api/v1/orgs/{id}/temporary-transfers") => {
            (spec.path.replace("{id}", &org.to_string()), None, true)
        }
        ("POST", "/members/{id}/cards") => (
            format!("/members/{member}/cards"),
            form(kv(&[
                ("card_no", format!("PC{n}")),
                ("issued_on", today.clone()),
            ])),
            true,
        ),
        ("POST", "/api/v1/members/{id}/cards") => (
            format!("/api/v1/members/{member}/cards"),
            Some(Payload::Json(
                json!({"card_no": format!("AC{n}"), "issued_on": today}),
            )),
            true,
        ),
        ("POST", "/members/{id}/cards/end") => (
            format!("/members/{member}/cards/end"),
            form(kv(&[("state", "lost".into()), ("ended_on", today.clone())])),
            true,
        ),
        ("POST", "/api/v1/members/{id}/cards/end") => (
            format!("/api/v1/members/{member}/cards/end"),
            Some(Payload::Json(json!({"state": "lost", "ended_on": today}))),
            true,
        ),
        // A stay of three months less a day: the member is found first, then the length fails.
        ("POST", "/members/{id}/temporary-transfers") => (
            format!("/members/{member}/temporary-transfers"),
            form(kv(&[
                ("to_org", f.b.id.to_string()),
                ("from", "2026-01-15".into()),
                ("until", "2026-04-14".into()),
            ])),
            true,
        ),
        ("POST", "/api/v1/members/{id}/temporary-transfers") => (
            format!("/api/v1/members/{member}/temporary-transfers"),
            Some(Payload::Json(
                json!({"to_org": f.b.id, "from": "2026-01-15", "until": "2026-04-14"}),
            )),
            true,
        ),
        ("POST", "/members/{id}/temporary-transfers/end") => (
            format!("/members/{member}/temporary-transfers/end"),
            form(kv(&[
                ("org_id", f.b.id.to_string()),
                ("returned_on", today.clone()),
            ])),
            true,
        ),
        ("POST", "/api/v1/members/{id}/temporary-transfers/end") => (
            format!("/api/v1/members/{member}/temporary-transfers/end"),
            Some(Payload::Json(
                json!({"org_id": f.b.id, "returned_on": today}),
            )),
            true,
        ),
        ("POST", "/members/{id}/dues-reliefs") => (
            format!("/members/{member}/dues-reliefs"),
            form(kv(&[
                ("from", "2026-01".into()),
                ("to", "2026-03".into()),
                ("percent", "50".into()),
                ("document", format!("QĐ-{n}")),
            ])),
            true,
        ),
        ("POST", "/api/v1/members/{id}/dues-reliefs") => (
            format!("/api/v1/members/{member}/dues-reliefs"),
            Some(Payload::Json(
                json!({"from": "2026-01", "to": "2026-03", "percent": 50, "document": format!("QĐ-{n}")}),
            )),
            true,
        ),
        // Document and training pages.
        ("GET", "/orgs/{id}/documents" | "/orgs/{id}/courses") => {
            (spec.path.replace("{id}", &org.to_string()), None, true)
        }
        ("POST", "/orgs/{id}/documents") => (
            format!("/orgs/{org}/documents"),
            form(kv(&[
                ("type_code", "KH".into()),
                ("issued_on", today.clone()),
                ("title", format!("Kế hoạch {n}")),
            ])),
            true,
        ),
        ("GET", "/documents/{id}") => (format!("/documents/{doc}"), None, true),
        ("GET", "/members/{id}/study") => (format!("/members/{member}/study"), None, true),
        ("GET", "/courses/{id}") => (format!("/courses/{course}"), None, true),
        // Documents, the cascade, dissemination, study and training.
        ("POST", "/api/v1/orgs/{id}/documents") => (
            format!("/api/v1/orgs/{org}/documents"),
            Some(Payload::Json(
                json!({"type_code": "KH", "issued_on": today, "title": format!("Kế hoạch {n}")}),
            )),
            true,
        ),
        (
            "GET",
            "/api/v1/orgs/{id}/documents"
            | "/api/v1/orgs/{id}/disseminations"
            | "/api/v1/orgs/{id}/courses",
        ) => (spec.path.replace("{id}", &org.to_string()), None, true),
        ("GET", "/api/v1/orgs/{id}/document-figures") => (
            format!("/api/v1/orgs/{org}/document-figures?from=2020-01-01&to={today}"),
            None,
            true,
        ),
        ("GET", "/api/v1/document-numbers") => (
            "/api/v1/document-numbers?number=01-KH%2FCB".into(),
            None,
            false,
        ),
        ("GET", "/api/v1/documents/{id}" | "/api/v1/documents/{id}/cascade") => {
            (spec.path.replace("{id}", &doc.to_string()), None, true)
        }
        ("POST", "/api/v1/documents/{id}/plans") => (
            format!("/api/v1/documents/{doc}/plans"),
            Some(Payload::Json(
                json!({"issuer_org_id": org, "issued_on": today, "title": format!("Kế hoạch {n}"),
                       "tasks": [{"title": "Triển khai"}]}),
            )),
            true,
        ),
        ("POST", "/api/v1/documents/{id}/tasks") => (
            format!("/api/v1/documents/{doc}/tasks"),
            Some(Payload::Json(json!({"title": format!("Nhiệm vụ {n}")}))),
            true,
        ),
        ("POST", "/api/v1/tasks/{id}/done") => (
            format!("/api/v1/tasks/{task}/done"),
            Some(Payload::Json(json!({"done_on": today}))),
            true,
        ),
        ("POST", "/api/v1/documents/{id}/reviews") => (
            format!("/api/v1/documents/{doc}/reviews"),
            Some(Payload::Json(
                json!({"org_id": org, "kind": "preliminary", "held_on": today}),
            )),
            true,
        ),
        ("POST", "/api/v1/orgs/{id}/disseminations") => (
            format!("/api/v1/orgs/{org}/disseminations"),
            Some(Payload::Json(
                json!({"kind": "class", "title": format!("Lớp học tập {n}"), "held_on": today,
                       "document_ids": [doc], "member_ids": [member], "non_member_count": 1}),
            )),
            true,
        ),
        ("POST", "/api/v1/orgs/{id}/study") => (
            format!("/api/v1/orgs/{org}/study"),
            Some(Payload::Json(
                json!({"document_id": doc, "assigned_on": today}),
            )),
            true,
        ),
        ("GET", "/api/v1/members/{id}/study" | "/api/v1/members/{id}/new-member-course") => {
            (spec.path.replace("{id}", &member.to_string()), None, true)
        }
        ("POST", "/api/v1/members/{id}/studied") => (
            format!("/api/v1/members/{member}/studied"),
            Some(Payload::Json(json!({"document_id": doc, "on": today}))),
            true,
        ),
        ("POST", "/api/v1/orgs/{id}/courses") => (
            format!("/api/v1/orgs/{org}/courses"),
            Some(Payload::Json(
                json!({"kind": "specialized", "title": format!("Lớp chuyên đề {n}"),
                       "starts_on": today, "ends_on": today}),
            )),
            true,
        ),
        ("GET", "/api/v1/courses/{id}") => (format!("/api/v1/courses/{course}"), None, true),
        ("POST", "/api/v1/courses/{id}/sessions") => (
            format!("/api/v1/courses/{course}/sessions"),
            Some(Payload::Json(
                json!({"held_on": today, "topic": format!("Chuyên đề {n}")}),
            )),
            true,
        ),
        ("POST", "/api/v1/courses/{id}/participants") => (
            format!("/api/v1/courses/{course}/participants"),
            Some(Payload::Json(
                json!({"kind": "person", "name": format!("Phạm Văn {}", letters(n))}),
            )),
            true,
        ),
        ("POST", "/api/v1/participants/{id}/result") => (
            format!("/api/v1/participants/{participant}/result"),
            Some(Payload::Json(json!({"result": "pass"}))),
            true,
        ),
        // The annual review: last year's, a member of the side's cell classified "good" by
        // that cell (a repeat is a 409 conflict, which passed the guard).
        (
            "GET",
            "/api/v1/orgs/{id}/review" | "/orgs/{id}/review" | "/api/v1/orgs/{id}/classifications",
        ) => (
            format!(
                "{}?year={}",
                spec.path.replace("{id}", &org.to_string()),
                year - 1
            ),
            None,
            true,
        ),
        ("GET", "/api/v1/members/{id}/classifications") => (
            format!("/api/v1/members/{member}/classifications"),
            None,
            true,
        ),
        ("POST", "/api/v1/classifications") => (
            spec.path.into(),
            Some(Payload::Json(json!({
                "subject_kind": "member", "subject_id": member, "year": year - 1,
                "level": "good", "points": 80, "decided_by": org
            }))),
            true,
        ),
        ("POST", "/orgs/{id}/review") => (
            format!("/orgs/{org}/review"),
            form(kv(&[
                ("subject_kind", "member".into()),
                ("subject_id", member.to_string()),
                ("year", (year - 1).to_string()),
                ("level", "good".into()),
                ("points", "80".into()),
                ("decided_by", org.to_string()),
            ])),
            true,
        ),
        _ => return None,
    };
    let mut req = request(m, &uri, Some(s), payload);
    if spec.method == Method::DELETE {
        req.headers_mut()
            .insert("x-csrf-token", s.csrf.parse().unwrap());
    }
    Some((req, scoped))
}

/// Records of the document and training areas on both sides of the tree: (inside, outside).
struct Targets {
    document: (i64, i64),
    task: (i64, i64),
    course: (i64, i64),
    participant: (i64, i64),
    /// Handover minutes of a cell merged into A, and of one merged into X.
    handover: (i64, i64),
}

async fn targets(f: &Fixture) -> Targets {
    use grassroots_domain::documents::CourseKind;
    use grassroots_storage::documents::{
        CascadeWriter, DisseminationWriter, DocumentWriter, NewCourse, NewDocument, NewParticipant,
        NewTask, TrainingWriter,
    };
    use grassroots_storage::{Actor, Scope};
    let store = &f.db.store;
    let actor = Actor::new("test");
    let scope = Scope::all();
    let mut out = Vec::new();
    for (org, member) in [(f.a.id, f.m_a), (f.x.id, f.m_x)] {
        let doc = store
            .register_document(
                &actor,
                &scope,
                NewDocument {
                    issuer_org_id: org,
                    type_code: "NQ".into(),
                    issuer_code: None,
                    number: None,
                    issued_on: d("2024-03-01"),
                    title: "Nghị quyết chi bộ".into(),
                    summary: None,
                    parent_id: None,
                    concretize_by: Vec::new(),
                    term: None,
                },
            )
            .await
            .unwrap();
        let task = store
            .add_task(
                &actor,
                &scope,
                doc.id,
                NewTask {
                    title: "Triển khai".into(),
                    assignee_org_id: None,
                    due_on: None,
                    note: None,
                },
            )
            .await
            .unwrap();
        store
            .assign_study(&actor, &scope, org, doc.id, d("2024-03-02"), None)
            .await
            .unwrap();
        let course = store
            .create_course(
                &actor,
                &scope,
                NewCourse {
                    org_id: org,
                    kind: CourseKind::Specialized,
                    title: "Lớp chuyên đề".into(),
                    starts_on: d("2024-04-01"),
                    ends_on: d("2024-04-02"),
                    note: None,
                },
            )
            .await
            .unwrap();
        let participant = store
            .add_participant(
                &actor,
                &scope,
                course.id,
                NewParticipant::Member { member_id: member },
            )
            .await
            .unwrap();
        out.push((doc.id, task.id, course.id, participant.id));
    }
    let mut handover = Vec::new();
    for (target, code) in [(&f.a, "A9"), (&f.x, "X9")] {
        use grassroots_storage::handovers::HandoverMinutes;
        use grassroots_storage::orgs::{NewOrg, OrgWriter};
        let leaving = store
            .create_org(
                &actor,
                &scope,
                NewOrg {
                    code: code.into(),
                    name: format!("Chi bộ {code}"),
                    kind: target.kind,
                    parent_id: target.parent_id,
                    founded_on: d("2020-01-01"),
                    decision: None,
                },
            )
            .await
            .unwrap();
        store
            .merge_orgs(
                &actor,
                &scope,
                &[leaving.id],
                target.id,
                d("2024-05-01"),
                None,
                Some(&HandoverMinutes {
                    minutes_no: format!("{code}/BB-BG"),
                    signed_on: d("2024-05-01"),
                    handed_by: "Nguyễn Văn Giao".into(),
                    received_by: "Trần Thị Nhận".into(),
                    note: None,
                }),
            )
            .await
            .unwrap();
        handover.push(store.org_handovers(&scope, target.id).await.unwrap()[0].id);
    }
    Targets {
        handover: (handover[0], handover[1]),
        document: (out[0].0, out[1].0),
        task: (out[0].1, out[1].1),
        course: (out[0].2, out[1].2),
        participant: (out[0].3, out[1].3),
    }
}

fn identity_of(name: &str) -> grassroots_domain::member::MemberIdentity {
    let mut i = identity(name);
    i.birth_date = d("1990-01-02");
    i.admitted_on = None;
    i.official_on = None;
    i
}

/// Digits are not allowed in names; spell the counter in letters.
fn letters(n: u32) -> String {
    n.to_string()
        .chars()
        .map(|c| (b'a' + (c as u8 - b'0')) as char)
        .collect()
}

fn expected(rule: Rule, role: Role, side: Side, scoped: bool) -> Expect {
    let outside = side == Side::Outside && scoped;
    match rule {
        Rule::Public | Rule::SignedIn => Expect::Allowed,
        Rule::Perm(p) if !role.grants(p) => Expect::Forbidden,
        Rule::Perm(_) if outside => Expect::NotFound,
        Rule::Perm(_) => Expect::Allowed,
        Rule::MemberRecord => {
            if role.grants(Permission::ViewMembers) || role.grants(Permission::ViewOwnRecord) {
                if outside {
                    Expect::NotFound
                } else {
                    Expect::Allowed
                }
            } else {
                Expect::Forbidden
            }
        }
    }
}

fn matches(expect: Expect, status: u16) -> bool {
    match expect {
        // Passed the guard: success, a redirect, or a rule of the domain (422, 409).
        Expect::Allowed => !matches!(status, 401 | 403 | 404) && status < 500,
        Expect::Forbidden => status == 403,
        Expect::NotFound => status == 404,
    }
}

#[tokio::test]
async fn every_route_every_role_inside_and_outside() {
    let f = Fixture::new().await;
    let t = targets(&f).await;
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for spec in ROUTES {
        for role in Role::ALL {
            for side in [Side::Inside, Side::Outside] {
                // Sign-out routes end their session; every request gets a fresh one.
                let s = f.session(role).await;
                let Some((req, scoped)) = build(&f, &t, spec, side, &s, role) else {
                    panic!(
                        "route {} {} has no case in the access matrix: add one",
                        spec.method, spec.path
                    );
                };
                let reply = f.call(req).await;
                let want = expected(spec.rule, role, side, scoped);
                *seen.entry(format!("{want:?}")).or_default() += 1;
                checked += 1;
                if !matches(want, reply.status) {
                    failures.push(format!(
                        "{} {} as {} {:?}: expected {want:?}, got {} {}",
                        spec.method,
                        spec.path,
                        role.as_str(),
                        side,
                        reply.status,
                        reply.body.chars().take(160).collect::<String>()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(checked, ROUTES.len() * Role::ALL.len() * 2);
    // The matrix really exercises all three outcomes, in numbers that follow from the table.
    for outcome in ["Allowed", "Forbidden", "NotFound"] {
        assert!(
            seen.get(outcome).copied().unwrap_or(0) > 20,
            "too few {outcome} cases: {seen:?}"
        );
    }
}

#[tokio::test]
async fn anonymous_callers_reach_only_public_routes() {
    let f = Fixture::new().await;
    for spec in ROUTES.iter().filter(|s| s.method == Method::GET) {
        let uri = spec.path.replace("{id}", &f.a.id.to_string());
        let r = f.get(&uri, None).await;
        if spec.rule == Rule::Public {
            assert!(r.status < 400, "{uri}: {}", r.status);
        } else {
            assert!(
                r.status == 401
                    || (r.status == 303 && r.location().unwrap().starts_with("/signin")),
                "{uri}: {}",
                r.status
            );
        }
    }
}
