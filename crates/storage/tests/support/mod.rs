//! Helpers shared by the storage integration tests: dates from text, the test actor, the
//! whole-tree scope, an organization and a member created with defaults. Each test file uses a part
//! of them, hence `dead_code` is allowed here.
#![allow(dead_code, clippy::unwrap_used)]

use grassroots_domain::date::Date;
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus};
use grassroots_domain::org::OrgKind;
use grassroots_storage::members::{MemberWriter, NewMember};
use grassroots_storage::orgs::{NewOrg, Org, OrgWriter};
use grassroots_storage::{Actor, Scope, Store};

pub fn d(s: &str) -> Date {
    s.parse().unwrap()
}

pub fn actor() -> Actor {
    Actor::new("test")
}

pub fn all() -> Scope {
    Scope::all()
}

pub async fn org(store: &Store, code: &str, kind: OrgKind, parent: Option<&Org>) -> Org {
    store
        .create_org(
            &actor(),
            &all(),
            NewOrg {
                code: code.into(),
                name: format!("Chi bộ {code}"),
                kind,
                parent_id: parent.map(|p| p.id),
                founded_on: d("2010-01-01"),
                decision: None,
            },
        )
        .await
        .unwrap()
}

/// A province with a ward (grassroots committee) holding two cells, CB-A and CB-B:
/// `(province, ward, a, b)`.
pub async fn ward_with_two_cells(store: &Store) -> (Org, Org, Org, Org) {
    let province = org(store, "TINH", OrgKind::Provincial, None).await;
    let ward = org(
        store,
        "PHUONG",
        OrgKind::GrassrootsCommittee,
        Some(&province),
    )
    .await;
    let a = org(store, "CB-A", OrgKind::Cell, Some(&ward)).await;
    let b = org(store, "CB-B", OrgKind::Cell, Some(&ward)).await;
    (province, ward, a, b)
}

/// A member of `cell` admitted on `admitted`, official from `official` (probationary
/// without it); returns the member's id.
pub async fn member(
    store: &Store,
    name: &str,
    cell: &Org,
    status: MemberStatus,
    admitted: &str,
    official: Option<&str>,
) -> i64 {
    store
        .create_member(
            &actor(),
            &all(),
            NewMember {
                identity: MemberIdentity {
                    full_name: name.into(),
                    birth_date: d("1960-04-30"),
                    gender: Gender::Female,
                    ethnicity: "Kinh".into(),
                    citizen_id: None,
                    party_card_no: None,
                    admitted_on: Some(d(admitted)),
                    official_on: official.map(d),
                },
                org_id: cell.id,
                status,
                status_since: d(official.unwrap_or(admitted)),
                joined_on: d(official.unwrap_or(admitted)),
            },
        )
        .await
        .unwrap()
        .id
}
