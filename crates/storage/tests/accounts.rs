//! Accounts: users, role assignments on subtrees, sessions.
//! Runs on SQLite, and on PostgreSQL when GRASSROOTS_TEST_DATABASE_URL is set.

#![allow(clippy::unwrap_used)]

use grassroots_domain::DomainError;
use grassroots_domain::access::Role;
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus};
use grassroots_domain::org::OrgKind;
use grassroots_storage::accounts::{AccountReader, AccountWriter, NewUser};
use grassroots_storage::members::{MemberWriter, NewMember};
use grassroots_storage::orgs::{NewOrg, Org, OrgWriter};
use grassroots_storage::testing::fresh_store;
use grassroots_storage::{Scope, Store, StoreError};

mod support;
use support::actor;

const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

async fn org(store: &Store, code: &str, kind: OrgKind, parent: Option<&Org>) -> Org {
    store
        .create_org(
            &actor(),
            &Scope::all(),
            NewOrg {
                code: code.into(),
                name: format!("Tổ chức {code}"),
                kind,
                parent_id: parent.map(|p| p.id),
                founded_on: "2020-01-01".parse().unwrap(),
                decision: None,
            },
        )
        .await
        .unwrap()
}

fn user(name: &str, member_id: Option<i64>) -> NewUser {
    NewUser {
        username: name.into(),
        password_hash: HASH.into(),
        display_name: name.to_uppercase(),
        language: "vi".into(),
        member_id,
    }
}

fn invalid_field(e: StoreError) -> String {
    match e.domain() {
        Some(DomainError::Invalid { field, .. }) => field.clone(),
        other => panic!("expected invalid, got {other:?}"),
    }
}

#[tokio::test]
async fn roles_are_held_on_subtrees_and_follow_moves() {
    let store = fresh_store().await;
    let p = org(&store, "P", OrgKind::Provincial, None).await;
    let c = org(&store, "C", OrgKind::Commune, Some(&p)).await;
    let q = org(&store, "Q", OrgKind::Provincial, None).await;
    let u = store
        .create_user(&actor(), user("office", None))
        .await
        .unwrap();
    store
        .assign_role(&actor(), u.id, Role::CommitteeOffice, Some(c.id))
        .await
        .unwrap();
    store
        .assign_role(&actor(), u.id, Role::Inspection, Some(p.id))
        .await
        .unwrap();
    let a = store.assignments(u.id).await.unwrap();
    assert_eq!(a.len(), 2);
    assert_eq!(a[0].role, Role::Inspection, "broadest scope first");
    assert_eq!(a[1].scope(), Scope::subtree(c.path.clone()));
    // The scope is read from the organization's current path: a move carries it along.
    store
        .move_org(
            &actor(),
            &Scope::all(),
            c.id,
            q.id,
            "2024-01-01".parse().unwrap(),
            None,
            None,
        )
        .await
        .unwrap();
    let a = store.assignments(u.id).await.unwrap();
    let office = a.iter().find(|x| x.role == Role::CommitteeOffice).unwrap();
    assert_eq!(office.org_path, format!("{}{}/", q.path, c.id));
    // Whole-tree roles are for administrators only.
    let err = store
        .assign_role(&actor(), u.id, Role::CommitteeOffice, None)
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "org");
    let admin = store
        .create_user(&actor(), user("root", None))
        .await
        .unwrap();
    let whole = store
        .assign_role(&actor(), admin.id, Role::Administrator, None)
        .await
        .unwrap();
    assert!(whole.scope().is_all());
    // A cell secretary sits on a cell.
    let err = store
        .assign_role(&actor(), u.id, Role::CellSecretary, Some(c.id))
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "org");
}

#[tokio::test]
async fn users_are_validated_and_unique() {
    let store = fresh_store().await;
    assert_eq!(
        invalid_field(
            store
                .create_user(&actor(), user("X", None))
                .await
                .unwrap_err()
        ),
        "username"
    );
    let mut clear = user("clear", None);
    clear.password_hash = "hunter2".into();
    assert_eq!(
        invalid_field(store.create_user(&actor(), clear).await.unwrap_err()),
        "password_hash"
    );
    let mut lang = user("lang", None);
    lang.language = "Tiếng Việt".into();
    assert_eq!(
        invalid_field(store.create_user(&actor(), lang).await.unwrap_err()),
        "language"
    );
    store
        .create_user(&actor(), user("anh", None))
        .await
        .unwrap();
    let dup = store
        .create_user(&actor(), user("anh", None))
        .await
        .unwrap_err();
    assert!(
        matches!(dup.domain(), Some(DomainError::Conflict(_))),
        "{dup:?}"
    );
    let (found, hash) = store.user_for_sign_in("anh").await.unwrap();
    assert_eq!((found.display_name.as_str(), hash.as_str()), ("ANH", HASH));
    store.set_language(found.id, "en").await.unwrap();
    assert_eq!(store.user(found.id).await.unwrap().language, "en");
    assert!(matches!(
        store.user_for_sign_in("nobody").await.unwrap_err().domain(),
        Some(DomainError::NotFound { .. })
    ));
}

#[tokio::test]
async fn members_hold_the_member_role_on_their_own_cell() {
    let store = fresh_store().await;
    let p = org(&store, "P", OrgKind::Provincial, None).await;
    let c = org(&store, "C", OrgKind::Commune, Some(&p)).await;
    let cell = org(&store, "CELL", OrgKind::GrassrootsCell, Some(&c)).await;
    let other = org(&store, "OTHER", OrgKind::GrassrootsCell, Some(&c)).await;
    let m = store
        .create_member(
            &actor(),
            &Scope::all(),
            NewMember {
                identity: MemberIdentity {
                    full_name: "Nguyễn Thị Hoa".into(),
                    birth_date: "1990-01-01".parse().unwrap(),
                    gender: Gender::Female,
                    ethnicity: "Kinh".into(),
                    citizen_id: None,
                    party_card_no: None,
                    admitted_on: None,
                    official_on: None,
                },
                org_id: cell.id,
                status: MemberStatus::Official,
                status_since: "2015-01-01".parse().unwrap(),
                joined_on: "2015-01-01".parse().unwrap(),
            },
        )
        .await
        .unwrap();
    let unlinked = store
        .create_user(&actor(), user("unlinked", None))
        .await
        .unwrap();
    let err = store
        .assign_role(&actor(), unlinked.id, Role::Member, Some(cell.id))
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "member_id");
    let hoa = store
        .create_user(&actor(), user("hoa", Some(m.id)))
        .await
        .unwrap();
    let err = store
        .assign_role(&actor(), hoa.id, Role::Member, Some(other.id))
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "org");
    store
        .assign_role(&actor(), hoa.id, Role::Member, Some(cell.id))
        .await
        .unwrap();
    assert_eq!(store.user(hoa.id).await.unwrap().member_id, Some(m.id));
    let err = store
        .create_user(&actor(), user("ghost", Some(999_999)))
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "member_id");
}

#[tokio::test]
async fn sessions_expire_and_end() {
    let store = fresh_store().await;
    let u = store
        .create_user(&actor(), user("anh", None))
        .await
        .unwrap();
    store
        .create_session("h1", u.id, "csrf1", "2999-01-01T00:00:00.000Z")
        .await
        .unwrap();
    store
        .create_session("h2", u.id, "csrf2", "2000-01-01T00:00:00.000Z")
        .await
        .unwrap();
    let now = grassroots_storage::audit::now();
    let live = store.session("h1", &now).await.unwrap().unwrap();
    assert_eq!((live.user.id, live.csrf_token.as_str()), (u.id, "csrf1"));
    assert!(
        store.session("h2", &now).await.unwrap().is_none(),
        "expired"
    );
    assert!(store.session("nope", &now).await.unwrap().is_none());
    assert_eq!(store.purge_sessions(&now).await.unwrap(), 1);
    store.end_session("h1").await.unwrap();
    assert!(store.session("h1", &now).await.unwrap().is_none());
}
