//! Sign-in, pages, forms, errors and languages, through the router.

use axum::http::Method;
use grassroots_domain::access::Role;
use serde_json::json;

use crate::fixture::*;

#[tokio::test]
async fn sign_in_with_form_sets_a_safe_cookie_and_checks_csrf() {
    let f = Fixture::new().await;
    let page = f.get("/signin", None).await;
    assert_eq!(page.status, 200);
    let anon = page
        .cookies()
        .into_iter()
        .find(|c| c.starts_with("gr_csrf="))
        .expect("a visitor CSRF cookie");
    let token = anon
        .trim_start_matches("gr_csrf=")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert!(page.body.contains(&token), "the form carries the token");
    let visitor = Session {
        cookie: format!("gr_csrf={token}"),
        csrf: token.clone(),
    };
    let user = username(Role::Administrator);
    // Without the token: refused.
    let no_csrf = f
        .form(
            "/signin",
            None,
            &[("username", &user), ("password", PASSWORD), ("csrf", "")],
        )
        .await;
    assert_eq!(no_csrf.status, 403);
    // Wrong password: the form again, with a message.
    let wrong = f
        .form(
            "/signin",
            Some(&visitor),
            &[("username", &user), ("password", "nope nope nope")],
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("không đúng"), "{}", wrong.body);
    // Right password: a session cookie, HttpOnly and SameSite=Lax, and a redirect.
    let ok = f
        .form(
            "/signin",
            Some(&visitor),
            &[
                ("username", &user),
                ("password", PASSWORD),
                ("next", "/tree"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(ok.location().as_deref(), Some("/tree"));
    let cookie = ok
        .cookies()
        .into_iter()
        .find(|c| c.starts_with("gr_session="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    // An outside redirect target is ignored.
    let evil = f
        .form(
            "/signin",
            Some(&visitor),
            &[
                ("username", &user),
                ("password", PASSWORD),
                ("next", "//evil.example"),
            ],
        )
        .await;
    assert_eq!(evil.location().as_deref(), Some("/"));
}

#[tokio::test]
async fn sign_in_is_rate_limited_per_user_and_address() {
    let f = Fixture::new().await;
    let user = username(Role::Inspection);
    for _ in 0..5 {
        let r = f
            .json(
                Method::POST,
                "/api/v1/session",
                None,
                json!({"username": user, "password": "wrong password"}),
            )
            .await;
        assert_eq!(r.status, 401);
    }
    let blocked = f
        .json(
            Method::POST,
            "/api/v1/session",
            None,
            json!({"username": user, "password": PASSWORD}),
        )
        .await;
    assert_eq!(blocked.status, 429);
    assert_eq!(blocked.json()["error"], "too_many_attempts");
    // Another user name is not blocked.
    let other = f
        .json(
            Method::POST,
            "/api/v1/session",
            None,
            json!({"username": username(Role::Propaganda), "password": PASSWORD}),
        )
        .await;
    assert_eq!(other.status, 200);
    assert_eq!(other.json()["csrf"].as_str().unwrap().len(), 64);
}

#[tokio::test]
async fn signed_out_visitors_go_to_sign_in_and_the_api_says_401() {
    let f = Fixture::new().await;
    let page = f.get("/members", None).await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location().as_deref(), Some("/signin?next=/members"));
    let api = f.get("/api/v1/members", None).await;
    assert_eq!(api.status, 401);
    assert_eq!(api.json()["error"], "unauthenticated");
    // Signing out ends the session.
    let s = f.session(Role::Administrator).await;
    assert_eq!(f.form("/signout", Some(&s), &[]).await.status, 303);
    assert_eq!(f.get("/api/v1/me", Some(&s)).await.status, 401);
    // A session the server resolved a moment ago (and keeps for a few seconds) ends at
    // once all the same.
    let s = f.session(Role::Administrator).await;
    assert_eq!(f.get("/api/v1/me", Some(&s)).await.status, 200);
    assert_eq!(f.get("/api/v1/me", Some(&s)).await.status, 200);
    let bye = f
        .json(Method::DELETE, "/api/v1/session", Some(&s), json!({}))
        .await;
    assert_eq!(bye.status, 204, "{}", bye.body);
    assert_eq!(f.get("/api/v1/me", Some(&s)).await.status, 401);
}

#[tokio::test]
async fn pages_render_the_tree_and_its_counts() {
    let f = Fixture::new().await;
    let s = f.session(Role::CommitteeOffice).await;
    let home = f.get("/", Some(&s)).await;
    assert_eq!(home.location().as_deref(), Some("/dashboard"));
    let dash = f.get("/dashboard", Some(&s)).await;
    assert_eq!(dash.status, 200, "{}", dash.body);
    assert!(dash.body.contains("Đảng bộ phường Xuân Đài"));
    assert!(dash.body.contains("2 đảng viên"), "{}", dash.body);
    // Cells below three official members are flagged.
    assert!(dash.body.contains("Chi bộ Khu phố 1") && dash.body.contains("tối thiểu 3"));
    assert!(
        !dash.body.contains(&f.p.name),
        "the province is above the commune office"
    );
    let tree = f.get("/tree", Some(&s)).await;
    assert_eq!(tree.status, 200);
    assert!(tree.body.contains("Chi bộ Khu phố 2"));
    assert!(
        !tree.body.contains("Chi bộ Trường học"),
        "another province is out of scope"
    );
    let found = f.get("/tree?q=khu+pho", Some(&s)).await;
    assert!(found.body.contains("Chi bộ Khu phố 1") && found.body.contains("Chi bộ Khu phố 2"));
    let before = f
        .get(
            &format!("/tree?root={}&as_of=2019-06-01", f.c1.id),
            Some(&s),
        )
        .await;
    assert!(
        !before.body.contains("Chi bộ Khu phố 1"),
        "nothing existed in 2019"
    );
    let org = f.get(&format!("/orgs/{}", f.a.id), Some(&s)).await;
    assert_eq!(org.status, 200);
    assert!(
        org.body.contains("01/01/2020"),
        "dates in Vietnamese form: {}",
        org.body
    );
    assert!(
        org.body.contains("org.create"),
        "the audit log shows to the committee office"
    );
}

#[tokio::test]
async fn member_list_searches_without_diacritics_and_pages() {
    let f = Fixture::new().await;
    let s = f.session(Role::Administrator).await;
    let list = f.get("/members?q=nguyen+van", Some(&s)).await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Nguyễn Văn An"));
    assert!(!list.body.contains("Lê Thị Bình"));
    let api = f.get("/api/v1/members?q=binh", Some(&s)).await.json();
    assert_eq!(api["rows"][0]["full_name"], "Lê Thị Bình");
    let first = f.get("/api/v1/members?limit=1", Some(&s)).await.json();
    let next = first["next"].as_str().expect("a cursor");
    let second = f
        .get(
            &format!("/api/v1/members?limit=1&after={}", enc(next)),
            Some(&s),
        )
        .await
        .json();
    assert_ne!(first["rows"][0]["id"], second["rows"][0]["id"]);
    let bad = f.get("/api/v1/members?status=happy", Some(&s)).await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["field"], "status");
}

#[tokio::test]
async fn member_form_shows_errors_next_to_the_field_and_conflicts_clearly() {
    let f = Fixture::new().await;
    let s = f.session(Role::CellSecretary).await;
    let uri = format!("/members/{}/edit", f.m_a);
    let form = f.get(&uri, Some(&s)).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Nguyễn Văn An"));
    let base = [
        ("full_name", "Nguyễn Văn An"),
        ("birth_date", "1985-04-30"),
        ("gender", "male"),
        ("ethnicity", "Kinh"),
        ("admitted_on", "2010-05-19"),
        ("official_on", "2011-05-19"),
    ];
    let mut bad = base.to_vec();
    bad.push(("citizen_id", "12AB"));
    bad.push(("version", "1"));
    let r = f.form(&uri, Some(&s), &bad).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains(r#"data-field="citizen_id""#), "{}", r.body);
    assert!(r.body.contains("12AB"), "the input is kept");
    let mut good = base.to_vec();
    good.push(("citizen_id", "001085000123"));
    good.push(("version", "1"));
    let ok = f.form(&uri, Some(&s), &good).await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    // The same version again is stale.
    let stale = f.form(&uri, Some(&s), &good).await;
    assert_eq!(stale.status, 409);
    assert!(stale.body.contains("người khác"), "{}", stale.body);
    let profile = f.get(&format!("/members/{}", f.m_a), Some(&s)).await;
    assert!(profile.body.contains("001085000123"));
    assert!(profile.body.contains("30/04/1985"));
}

#[tokio::test]
async fn api_errors_have_one_shape() {
    let f = Fixture::new().await;
    let s = f.session(Role::CommitteeOffice).await;
    let mut body = serde_json::to_value(identity("Phạm Văn 7")).unwrap();
    body["version"] = json!(1);
    let invalid = f
        .json(
            Method::PUT,
            &format!("/api/v1/members/{}", f.m_a),
            Some(&s),
            body.clone(),
        )
        .await;
    assert_eq!(invalid.status, 422);
    let j = invalid.json();
    assert_eq!(j["error"], "invalid");
    assert_eq!(j["field"], "full_name");
    assert_eq!(j["record"], format!("member {}", f.m_a));
    let missing = f.get("/api/v1/orgs/999999", Some(&s)).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["error"], "not_found");
    // A write without the CSRF header is refused even with a valid cookie.
    let mut no_csrf = request(
        Method::PUT,
        &format!("/api/v1/members/{}", f.m_a),
        Some(&s),
        Some(Payload::Json(body)),
    );
    no_csrf.headers_mut().remove("x-csrf-token");
    let r = f.call(no_csrf).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error"], "bad_csrf");
    let html_missing = f.get("/orgs/999999", Some(&s)).await;
    assert_eq!(html_missing.status, 404);
    assert!(html_missing.body.contains("<html") && html_missing.body.contains("Không tìm thấy"));
}

#[tokio::test]
async fn api_changes_the_tree_and_members() {
    let f = Fixture::new().await;
    let s = f.session(Role::CommitteeOffice).await;
    let created = f
        .json(Method::POST, "/api/v1/orgs", Some(&s), json!({"code": "C", "name": "Chi bộ Khu phố 3", "kind": "cell", "parent_id": f.gc.id, "founded_on": "2021-03-01"}))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let c = created.json()["id"].as_i64().unwrap();
    let renamed = f
        .json(
            Method::POST,
            &format!("/api/v1/orgs/{c}/rename"),
            Some(&s),
            json!({"name": "Chi bộ KP 3", "effective_on": "2022-01-01"}),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    let history = f
        .get(&format!("/api/v1/orgs/{c}/history"), Some(&s))
        .await
        .json();
    assert_eq!(history.as_array().unwrap().len(), 2);
    let tree = f
        .get(
            &format!("/api/v1/orgs/{}/tree?as_of=2021-06-01", f.gc.id),
            Some(&s),
        )
        .await
        .json();
    assert!(
        tree.as_array()
            .unwrap()
            .iter()
            .any(|v| v["name"] == "Chi bộ Khu phố 3")
    );
    let moved = f
        .json(
            Method::POST,
            &format!("/api/v1/orgs/{}/transfer", f.m_b),
            Some(&s),
            json!({}),
        )
        .await;
    assert_eq!(moved.status, 404, "no such route");
    let t = f
        .json(
            Method::POST,
            &format!("/api/v1/members/{}/transfer", f.m_b),
            Some(&s),
            json!({"to_org": c, "kind": "official", "effective_on": "2023-01-01"}),
        )
        .await;
    assert_eq!(t.status, 200, "{}", t.body);
    let merged = f
        .json(
            Method::POST,
            &format!("/api/v1/orgs/{c}/merge"),
            Some(&s),
            json!({"sources": [f.b.id], "effective_on": "2024-01-01"}),
        )
        .await;
    assert_eq!(merged.status, 200, "{}", merged.body);
    let counts = f
        .get(&format!("/api/v1/orgs/{}/counts", f.gc.id), Some(&s))
        .await
        .json();
    assert_eq!(counts["members_by_status"]["official"], 2);
    let st = f
        .json(
            Method::POST,
            &format!("/api/v1/members/{}/status", f.m_a),
            Some(&s),
            json!({"status": "temporarily_exempt", "effective_on": "2024-02-01"}),
        )
        .await;
    assert_eq!(st.status, 200, "{}", st.body);
    // Outside the commune: the other province's cell does not exist for this user.
    let outside = f
        .json(Method::POST, "/api/v1/orgs", Some(&s), json!({"code": "Y", "name": "Tổ đảng", "kind": "party_group", "parent_id": f.x.id, "founded_on": "2021-03-01"}))
        .await;
    assert_eq!(outside.status, 404);
}

#[tokio::test]
async fn a_member_sees_only_their_own_record() {
    let f = Fixture::new().await;
    let s = f.session(Role::Member).await;
    assert_eq!(
        f.get("/", Some(&s)).await.location(),
        Some(format!("/members/{}", f.m_a))
    );
    assert_eq!(
        f.get(&format!("/members/{}", f.m_a), Some(&s)).await.status,
        200
    );
    assert_eq!(
        f.get(&format!("/api/v1/members/{}", f.m_a), Some(&s))
            .await
            .status,
        200
    );
    // A cell mate's record: not found, as if it did not exist.
    assert_eq!(
        f.get(&format!("/members/{}", f.m_b), Some(&s)).await.status,
        404
    );
    assert_eq!(
        f.get(&format!("/api/v1/members/{}", f.m_b), Some(&s))
            .await
            .status,
        404
    );
    assert_eq!(f.get("/members", Some(&s)).await.status, 403);
}

#[tokio::test]
async fn a_cell_secretary_cannot_open_another_cell() {
    let f = Fixture::new().await;
    let s = f.session(Role::CellSecretary).await;
    assert_eq!(
        f.get(&format!("/members/{}", f.m_a), Some(&s)).await.status,
        200
    );
    assert_eq!(
        f.get(&format!("/members/{}", f.m_b), Some(&s)).await.status,
        404
    );
    assert_eq!(
        f.get(&format!("/api/v1/members/{}", f.m_b), Some(&s))
            .await
            .status,
        404
    );
    assert_eq!(
        f.get(&format!("/orgs/{}", f.b.id), Some(&s)).await.status,
        404
    );
    let list = f.get("/members", Some(&s)).await;
    assert!(list.body.contains("Nguyễn Văn An") && !list.body.contains("Lê Thị Bình"));
    assert_eq!(
        f.get(&format!("/orgs/{}/edit", f.a.id), Some(&s))
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn language_switch_sets_cookie_and_preference() {
    let f = Fixture::new().await;
    let s = f.session(Role::Administrator).await;
    let r = f
        .form(
            "/language",
            Some(&s),
            &[("lang", "en"), ("next", "/dashboard")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(r.cookies().iter().any(|c| c.starts_with("gr_lang=en")));
    // The preference follows the user even without the cookie.
    let dash = f.get("/dashboard", Some(&s)).await;
    assert!(
        dash.body.contains("Overview of your organization"),
        "{}",
        dash.body
    );
    assert!(dash.body.contains("2 members"));
    let ru = Session {
        cookie: format!("{}; gr_lang=ru", s.cookie),
        csrf: s.csrf.clone(),
    };
    let page = f.get(&format!("/orgs/{}", f.a.id), Some(&ru)).await;
    assert!(
        page.body.contains("01.01.2020") && page.body.contains("Ячейка"),
        "{}",
        page.body
    );
    let bad = f.form("/language", Some(&s), &[("lang", "xx")]).await;
    assert_eq!(bad.status, 422);
}

#[tokio::test]
async fn demo_accounts_sign_in() {
    let f = Fixture::new().await;
    let accounts = grassroots_web::demo_accounts(&f.db.store).await.unwrap();
    assert_eq!(accounts.len(), 4);
    // Running again finds them instead of failing.
    assert_eq!(
        grassroots_web::demo_accounts(&f.db.store)
            .await
            .unwrap()
            .len(),
        4
    );
    let member = accounts.iter().find(|a| a.role == Role::Member).unwrap();
    let r = f
        .json(
            Method::POST,
            "/api/v1/session",
            None,
            json!({"username": member.username, "password": member.password}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json()["user"]["member_id"].is_i64());
}
