//! A small tree with users of every role, and helpers to call the router.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, Response, header};
use grassroots_domain::access::Role;
use grassroots_domain::date::Date;
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus};
use grassroots_domain::org::OrgKind;
use grassroots_storage::accounts::{AccountWriter, NewUser};
use grassroots_storage::lifecycle::candidates::NewCandidate;
use grassroots_storage::members::{MemberWriter, NewMember};
use grassroots_storage::orgs::{NewOrg, Org, OrgWriter};
use grassroots_storage::testing::{TestStore, fresh_store};
use grassroots_storage::{Actor, Scope, Store};
use grassroots_web::{AppState, Settings, auth, router};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub const PASSWORD: &str = "a long test password";

pub fn d(s: &str) -> Date {
    s.parse().unwrap()
}

pub struct Fixture {
    pub db: TestStore,
    pub app: Router,
    /// P (province) > C1 (commune) > GC (grassroots committee) > A, B (cells); Q > X.
    pub p: Org,
    pub c1: Org,
    pub gc: Org,
    pub a: Org,
    pub b: Org,
    pub q: Org,
    pub x: Org,
    /// Members: in A (linked to the member account), in B, and in X.
    pub m_a: i64,
    pub m_b: i64,
    pub m_x: i64,
    /// An extraordinary meeting today in A and one in X (for the meeting routes).
    pub meeting_a: i64,
    pub meeting_x: i64,
    /// Candidates in A and in X, and a transfer letter of the member of B addressed to A.
    pub cand_a: i64,
    pub cand_x: i64,
    pub letter_ba: i64,
}

async fn org(store: &Store, code: &str, name: &str, kind: OrgKind, parent: Option<&Org>) -> Org {
    store
        .create_org(
            &Actor::new("test"),
            &Scope::all(),
            NewOrg {
                code: code.into(),
                name: name.into(),
                kind,
                parent_id: parent.map(|p| p.id),
                founded_on: d("2020-01-01"),
                decision: None,
            },
        )
        .await
        .unwrap()
}

pub fn identity(name: &str) -> MemberIdentity {
    MemberIdentity {
        full_name: name.into(),
        birth_date: d("1985-04-30"),
        gender: Gender::Female,
        ethnicity: "Kinh".into(),
        citizen_id: None,
        party_card_no: None,
        admitted_on: Some(d("2010-05-19")),
        official_on: Some(d("2011-05-19")),
    }
}

pub async fn member(store: &Store, name: &str, cell: &Org) -> i64 {
    store
        .create_member(
            &Actor::new("test"),
            &Scope::all(),
            NewMember {
                identity: identity(name),
                org_id: cell.id,
                status: MemberStatus::Official,
                status_since: d("2011-05-19"),
                joined_on: d("2020-01-01"),
            },
        )
        .await
        .unwrap()
        .id
}

/// An extraordinary meeting of `cell` today.
pub async fn candidate(store: &Store, name: &str, cell: &Org) -> i64 {
    store
        .register_candidate(
            &Actor::new("test"),
            &Scope::all(),
            NewCandidate {
                org_id: cell.id,
                full_name: name.into(),
                birth_date: d("1998-03-10"),
                gender: Gender::Male,
                ethnicity: "Kinh".into(),
                citizen_id: None,
                registered_on: d("2025-06-02"),
            },
        )
        .await
        .unwrap()
        .id
}

pub async fn meeting_today(store: &Store, cell: &Org) -> i64 {
    use grassroots_storage::meetings::{MeetingWriter, NewMeeting};
    store
        .create_meeting(
            &Actor::new("test"),
            &Scope::all(),
            NewMeeting {
                org_id: cell.id,
                kind: grassroots_domain::meetings::MeetingKind::Extraordinary,
                date: chrono::Local::now().date_naive(),
                agenda: Some("Họp bất thường".into()),
                topic: None,
            },
        )
        .await
        .unwrap()
        .id
}

/// The user name of the fixture's account for `role`.
pub fn username(role: Role) -> String {
    role.as_str().replace('_', "-")
}

impl Fixture {
    pub async fn new() -> Fixture {
        let db = fresh_store().await;
        let store = db.store.clone();
        let p = org(&store, "P", "Tỉnh ủy Phú Yên", OrgKind::Provincial, None).await;
        let c1 = org(
            &store,
            "C1",
            "Đảng bộ phường Xuân Đài",
            OrgKind::Commune,
            Some(&p),
        )
        .await;
        let gc = org(
            &store,
            "GC",
            "Đảng bộ Công ty Điện lực",
            OrgKind::GrassrootsCommittee,
            Some(&c1),
        )
        .await;
        let a = org(&store, "A", "Chi bộ Khu phố 1", OrgKind::Cell, Some(&gc)).await;
        let b = org(&store, "B", "Chi bộ Khu phố 2", OrgKind::Cell, Some(&gc)).await;
        let q = org(&store, "Q", "Tỉnh ủy Khánh Hòa", OrgKind::Provincial, None).await;
        let x = org(
            &store,
            "X",
            "Chi bộ Trường học",
            OrgKind::GrassrootsCell,
            Some(&q),
        )
        .await;
        let m_a = member(&store, "Nguyễn Văn An", &a).await;
        let m_b = member(&store, "Lê Thị Bình", &b).await;
        let m_x = member(&store, "Trần Thị Xuân", &x).await;
        let meeting_a = meeting_today(&store, &a).await;
        let meeting_x = meeting_today(&store, &x).await;
        let cand_a = candidate(&store, "Phạm Minh Châu", &a).await;
        let cand_x = candidate(&store, "Võ Thị Duyên", &x).await;
        let letter_ba = store
            .issue_transfer_letter(
                &Actor::new("test"),
                &Scope::all(),
                m_b,
                a.id,
                chrono::Local::now().date_naive(),
                "12-GGT/ĐU",
            )
            .await
            .unwrap()
            .id;
        let hash = auth::hash_password(PASSWORD).unwrap();
        let actor = Actor::new("test");
        for role in Role::ALL {
            let (at, member_id) = match role {
                Role::Administrator => (&p, None),
                Role::CellSecretary => (&a, None),
                Role::Member => (&a, Some(m_a)),
                _ => (&c1, None),
            };
            let user = store
                .create_user(
                    &actor,
                    NewUser {
                        username: username(role),
                        password_hash: hash.clone(),
                        display_name: format!("User {}", role.as_str()),
                        language: "vi".into(),
                        member_id,
                    },
                )
                .await
                .unwrap();
            store
                .assign_role(&actor, user.id, role, Some(at.id))
                .await
                .unwrap();
        }
        let state = AppState::new(
            store,
            Settings {
                secure_cookies: false,
                default_language: "vi".into(),
                demo_accounts: Vec::new(),
            },
        )
        .unwrap();
        let app = router(state);
        Fixture {
            db,
            app,
            p,
            c1,
            gc,
            a,
            b,
            q,
            x,
            m_a,
            m_b,
            m_x,
            meeting_a,
            meeting_x,
            cand_a,
            cand_x,
            letter_ba,
        }
    }

    /// A session for `role` made directly in the store (no password hashing per request).
    pub async fn session(&self, role: Role) -> Session {
        use grassroots_storage::accounts::AccountReader;
        let user = self.db.store.user_by_name(&username(role)).await.unwrap();
        let token = auth::random_token();
        let csrf = auth::random_token();
        let expires = (chrono::Utc::now() + chrono::Duration::hours(1))
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        self.db
            .store
            .create_session(&auth::token_hash(&token), user.id, &csrf, &expires)
            .await
            .unwrap();
        Session {
            cookie: format!("{}={token}", auth::SESSION_COOKIE),
            csrf,
        }
    }

    pub async fn call(&self, req: Request<Body>) -> Reply {
        let response = self.app.clone().oneshot(req).await.unwrap();
        Reply::read(response).await
    }

    pub async fn get(&self, uri: &str, s: Option<&Session>) -> Reply {
        self.call(request(Method::GET, uri, s, None)).await
    }

    pub async fn form(&self, uri: &str, s: Option<&Session>, fields: &[(&str, &str)]) -> Reply {
        let csrf = s.map(|s| s.csrf.clone()).unwrap_or_default();
        let mut body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", enc(v)))
            .collect();
        if !fields.iter().any(|(k, _)| *k == "csrf") {
            body.push(format!("csrf={csrf}"));
        }
        self.call(request(
            Method::POST,
            uri,
            s,
            Some(Payload::Form(body.join("&"))),
        ))
        .await
    }

    /// Follows a redirect reply with a GET in the same session, and answers the page.
    pub async fn location_body(&self, r: &Reply, s: &Session) -> String {
        let to = r.location().expect("a redirect");
        let page = self.get(&to, Some(s)).await;
        assert_eq!(page.status, 200, "{to}: {}", page.body);
        page.body
    }

    pub async fn json(
        &self,
        method: Method,
        uri: &str,
        s: Option<&Session>,
        value: serde_json::Value,
    ) -> Reply {
        self.call(request(method, uri, s, Some(Payload::Json(value))))
            .await
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

pub enum Payload {
    Form(String),
    Json(serde_json::Value),
}

/// Percent-encodes a form value.
pub fn enc(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".into(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// A request with the session cookie, and for writes its CSRF token (form field or header).
pub fn request(
    method: Method,
    uri: &str,
    s: Option<&Session>,
    payload: Option<Payload>,
) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(uri);
    if let Some(s) = s {
        b = b.header(header::COOKIE, &s.cookie);
    }
    match payload {
        None => b.body(Body::empty()).unwrap(),
        Some(Payload::Form(f)) => b
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(f))
            .unwrap(),
        Some(Payload::Json(v)) => {
            if let Some(s) = s {
                b = b.header("x-csrf-token", &s.csrf);
            }
            b.header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(v.to_string()))
                .unwrap()
        }
    }
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    async fn read(r: Response<Body>) -> Reply {
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let bytes = r.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }

    pub fn location(&self) -> Option<String> {
        self.headers
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_owned())
    }
}
