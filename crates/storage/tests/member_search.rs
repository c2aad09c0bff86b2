#![allow(clippy::unwrap_used)] // Tests fail loudly by design.

//! Member search against a brute-force search on a small generated nation: every term,
//! scope, status filter and page size gives exactly the brute-force result, page after
//! page (no duplicate, no gap), with every plan, and still after the changes that move a
//! member in the order or in the tree (status, transfer, rename, re-parented subtree).
//! Runs on SQLite and PostgreSQL.

use std::collections::BTreeMap;

use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus, MembershipKind};
use grassroots_domain::org::OrgKind;
use grassroots_domain::{text, tree_path};
use grassroots_storage::member_search::set_small_subtree_members;
use grassroots_storage::members::{
    MemberQuery, MemberReader, MemberWriter, NewMember, Transfer, name_keys,
};
use grassroots_storage::orgs::{NewOrg, Org, OrgWriter};
use grassroots_storage::testing::fresh_store;
use grassroots_storage::{Actor, Scope, Store};
use sqlx::Row;

mod support;
use support::d;

async fn org(store: &Store, code: &str, kind: OrgKind, parent: Option<&Org>) -> Org {
    let new = NewOrg {
        code: code.into(),
        name: format!("Tổ chức {code}"),
        kind,
        parent_id: parent.map(|p| p.id),
        founded_on: d("2015-01-01"),
        decision: None,
    };
    store
        .create_org(&Actor::new("t"), &Scope::all(), new)
        .await
        .unwrap()
}

const FAMILY: &[&str] = &["Nguyễn", "Trần", "Lê", "An", "Ngô", "Nghiêm"];
const MIDDLE: &[&str] = &["Văn", "Thị", "Ngọc", "Hữu", ""];
const GIVEN: &[&str] = &[
    "An", "Hương", "Hường", "Hưng", "Nga", "Ngân", "Nguyên", "Văn", "Thị", "Ánh",
];

/// A deterministic name from `n` (some share every word: "An Văn An", "Nguyễn Văn Văn").
fn name(n: usize) -> String {
    let f = FAMILY[n % FAMILY.len()];
    let m = MIDDLE[(n / 3) % MIDDLE.len()];
    let g = GIVEN[(n * 7 / 5) % GIVEN.len()];
    [f, m, g]
        .iter()
        .filter(|w| !w.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

struct Nation {
    root: Org,
    provinces: Vec<Org>,
    communes: Vec<Org>,
    cells: Vec<Org>,
    members: Vec<i64>,
}

/// A nation of two provinces, four communes, eight cells and 160 members.
async fn nation(store: &Store) -> Nation {
    let root = org(store, "TW", OrgKind::Central, None).await;
    let mut provinces = Vec::new();
    let mut communes = Vec::new();
    let mut cells = Vec::new();
    for p in 0..2 {
        let province = org(store, &format!("P{p}"), OrgKind::Provincial, Some(&root)).await;
        for c in 0..2 {
            let commune = org(
                store,
                &format!("P{p}.C{c}"),
                OrgKind::Commune,
                Some(&province),
            )
            .await;
            for k in 0..2 {
                let cell = org(
                    store,
                    &format!("P{p}.C{c}.K{k}"),
                    OrgKind::GrassrootsCell,
                    Some(&commune),
                )
                .await;
                cells.push(cell);
            }
            communes.push(commune);
        }
        provinces.push(province);
    }
    let mut members = Vec::new();
    for n in 0..160 {
        let new = NewMember {
            identity: MemberIdentity {
                full_name: name(n),
                birth_date: d("1980-01-15"),
                gender: if n % 2 == 0 {
                    Gender::Male
                } else {
                    Gender::Female
                },
                ethnicity: "Kinh".into(),
                citizen_id: None,
                party_card_no: None,
                admitted_on: Some(d("2015-02-03")),
                official_on: Some(d("2016-02-03")),
            },
            org_id: cells[(n * 5) % cells.len()].id,
            status: MemberStatus::Official,
            status_since: d("2016-02-03"),
            joined_on: d("2016-02-03"),
        };
        let m = store
            .create_member(&Actor::new("t"), &Scope::all(), new)
            .await
            .unwrap();
        members.push(m.id);
    }
    // Some leave (they drop out of the default search), some are exempt.
    for (i, id) in members.iter().enumerate() {
        let status = match i % 9 {
            0 => MemberStatus::Removed,
            4 => MemberStatus::Exempt,
            _ => continue,
        };
        store
            .change_status(
                &Actor::new("t"),
                &Scope::all(),
                *id,
                status,
                d("2020-01-01"),
                None,
            )
            .await
            .unwrap();
    }
    Nation {
        root,
        provinces,
        communes,
        cells,
        members,
    }
}

/// A member as the brute force sees it: straight from the members table.
struct Plain {
    id: i64,
    full_name: String,
    sort_key: String,
    status: MemberStatus,
    org_path: Option<String>,
}

async fn everyone(store: &Store) -> Vec<Plain> {
    sqlx::query("SELECT id, full_name, sort_key, status, org_path FROM members")
        .fetch_all(store.db.read())
        .await
        .unwrap()
        .iter()
        .map(|r| Plain {
            id: r.try_get("id").unwrap(),
            full_name: r.try_get("full_name").unwrap(),
            sort_key: r.try_get("sort_key").unwrap(),
            status: MemberStatus::parse(&r.try_get::<String, _>("status").unwrap()).unwrap(),
            org_path: r.try_get("org_path").unwrap(),
        })
        .collect()
}

/// The documented result: members in the subtree with a name key starting with the folded
/// term, ordered by (first matching key, sort_key, id).
fn brute_force(
    all: &[Plain],
    term: &str,
    subtree: Option<&str>,
    status: Option<MemberStatus>,
    include_inactive: bool,
) -> Vec<i64> {
    let term = text::fold(term);
    let mut hits: Vec<(String, String, i64)> = all
        .iter()
        .filter(|m| match (&m.org_path, subtree) {
            (None, _) => false,
            (Some(p), Some(root)) => tree_path::is_within(p, root),
            (Some(_), None) => true,
        })
        .filter(|m| match status {
            Some(s) => m.status == s,
            None => include_inactive || m.status.is_active(),
        })
        .filter_map(|m| {
            let first = name_keys(&m.full_name)
                .into_iter()
                .filter(|k| k.starts_with(&term))
                .min()?;
            Some((first, m.sort_key.clone(), m.id))
        })
        .collect();
    hits.sort();
    hits.into_iter().map(|(_, _, id)| id).collect()
}

/// Every page of a search, joined; fails on a duplicate.
async fn all_pages(store: &Store, scope: &Scope, mut query: MemberQuery) -> Vec<i64> {
    let mut seen = Vec::new();
    for _ in 0..1_000 {
        let page = store.list_members(scope, &query).await.unwrap();
        assert!(page.rows.len() as i64 <= query.limit);
        if page.next.is_some() {
            assert_eq!(
                page.rows.len() as i64,
                query.limit,
                "a short page with a next"
            );
        }
        seen.extend(page.rows.iter().map(|r| r.id));
        match page.next {
            Some(next) => query.after = Some(next),
            None => return seen,
        }
    }
    panic!("search did not end");
}

const TERMS: &[&str] = &[
    "a",
    "an",
    "An Văn",
    "n",
    "ng",
    "nguyen",
    "Nguyễn Thị H",
    "thi",
    "thi huong",
    "HUONG",
    "hương",
    "van",
    "van van",
    "zz",
];

/// Compares every term, scope, filter and page size with the brute force.
async fn compare_everything(store: &Store, n: &Nation) {
    let all = everyone(store).await;
    // (org_id filter, the caller's scope, the subtree both give)
    let mut scopes: Vec<(Option<i64>, Scope, Option<String>)> = vec![
        (None, Scope::all(), None),
        (Some(n.root.id), Scope::all(), Some(n.root.path.clone())),
    ];
    for o in n.provinces.iter().chain(&n.communes).chain(&n.cells[..2]) {
        scopes.push((Some(o.id), Scope::all(), Some(o.path.clone())));
        scopes.push((None, Scope::subtree(o.path.clone()), Some(o.path.clone())));
    }
    for term in TERMS {
        for (org_id, scope, subtree) in &scopes {
            for (status, include_inactive) in [
                (None, false),
                (None, true),
                (Some(MemberStatus::Exempt), false),
            ] {
                let expected =
                    brute_force(&all, term, subtree.as_deref(), status, include_inactive);
                for limit in [5, 50] {
                    let got = all_pages(
                        store,
                        scope,
                        MemberQuery {
                            org_id: *org_id,
                            text: Some((*term).into()),
                            status,
                            include_inactive,
                            limit,
                            ..MemberQuery::default()
                        },
                    )
                    .await;
                    assert_eq!(
                        got, expected,
                        "term {term:?}, org {org_id:?}, scope {scope:?}, status {status:?}, \
                         inactive {include_inactive}, limit {limit}"
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn search_equals_brute_force_with_every_plan_and_after_changes() {
    let store = fresh_store().await;
    let n = nation(&store).await;
    // The default threshold: communes and cells by their members' keys.
    compare_everything(&store, &n).await;
    // Threshold 0: every subtree below a province by the province's key-ordered scan.
    set_small_subtree_members(0);
    compare_everything(&store, &n).await;
    set_small_subtree_members(grassroots_storage::member_search::SMALL_SUBTREE_MEMBERS);

    // Changes that move members in the order or the tree: the keys follow.
    let actor = Actor::new("t");
    let all = Scope::all();
    store
        .transfer_member(
            &actor,
            &all,
            n.members[1],
            Transfer {
                to_org: n.cells[7].id,
                kind: MembershipKind::Official,
                on: d("2021-01-01"),
                until: None,
            },
        )
        .await
        .unwrap();
    store
        .change_status(
            &actor,
            &all,
            n.members[2],
            MemberStatus::Deceased,
            d("2021-01-01"),
            None,
        )
        .await
        .unwrap();
    let m = store.member(&all, n.members[3]).await.unwrap();
    let mut renamed = m.identity.clone();
    renamed.full_name = "Nghiêm Thị Hương".into();
    store
        .update_identity(&actor, &all, m.id, m.version, renamed)
        .await
        .unwrap();
    // A commune moves to the other province with its cells and members.
    store
        .move_org(
            &actor,
            &all,
            n.communes[0].id,
            n.provinces[1].id,
            d("2022-01-01"),
            None,
            None,
        )
        .await
        .unwrap();
    let mut moved = Nation {
        root: n.root.clone(),
        provinces: n.provinces.clone(),
        communes: Vec::new(),
        cells: Vec::new(),
        members: n.members.clone(),
    };
    for o in n.communes.iter().chain(&n.cells) {
        let now = grassroots_storage::orgs::OrgReader::org(&*store, &all, o.id)
            .await
            .unwrap();
        if now.kind == OrgKind::Commune {
            moved.communes.push(now);
        } else {
            moved.cells.push(now);
        }
    }
    assert!(moved.communes[0].path.starts_with(&n.provinces[1].path));
    compare_everything(&store, &moved).await;
    set_small_subtree_members(0);
    compare_everything(&store, &moved).await;
    set_small_subtree_members(grassroots_storage::member_search::SMALL_SUBTREE_MEMBERS);
}

#[tokio::test]
async fn the_order_is_by_matching_key_then_list_order() {
    let store = fresh_store().await;
    let root = org(&store, "TW", OrgKind::Central, None).await;
    let cell = org(&store, "K", OrgKind::GrassrootsCell, Some(&root)).await;
    let mut ids = BTreeMap::new();
    for full in [
        "Nguyễn Thị Hương",
        "Trần Thị Hường",
        "Lê Hương",
        "Hương Văn An",
        "Nguyễn Văn Hưng",
    ] {
        let m = store
            .create_member(
                &Actor::new("t"),
                &Scope::all(),
                NewMember {
                    identity: MemberIdentity {
                        full_name: full.into(),
                        birth_date: d("1980-01-15"),
                        gender: Gender::Female,
                        ethnicity: "Kinh".into(),
                        citizen_id: None,
                        party_card_no: None,
                        admitted_on: Some(d("2015-02-03")),
                        official_on: Some(d("2016-02-03")),
                    },
                    org_id: cell.id,
                    status: MemberStatus::Official,
                    status_since: d("2016-02-03"),
                    joined_on: d("2016-02-03"),
                },
            )
            .await
            .unwrap();
        ids.insert(m.id, full);
    }
    let names = |q: &str| {
        let store = &store;
        let ids = &ids;
        let q = q.to_owned();
        async move {
            store
                .list_members(
                    &Scope::all(),
                    &MemberQuery {
                        text: Some(q),
                        ..MemberQuery::default()
                    },
                )
                .await
                .unwrap()
                .rows
                .iter()
                .map(|r| ids[&r.id])
                .collect::<Vec<_>>()
        }
    };
    // "hu": keys "hung", "huong", "huong van an", ordered by key, then list order (given
    // name first: Hương before Hường).
    assert_eq!(
        names("hu").await,
        [
            "Nguyễn Văn Hưng",
            "Lê Hương",
            "Nguyễn Thị Hương",
            "Trần Thị Hường",
            "Hương Văn An"
        ]
    );
    assert_eq!(
        names("thi huong").await,
        ["Nguyễn Thị Hương", "Trần Thị Hường"]
    );
    assert_eq!(names("nguyen thi h").await, ["Nguyễn Thị Hương"]);
    // A cursor of another kind is refused, naming the field.
    let err = store
        .list_members(
            &Scope::all(),
            &MemberQuery {
                text: Some("hu".into()),
                after: Some("not a cursor".into()),
                ..MemberQuery::default()
            },
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("after"), "{err}");
}
