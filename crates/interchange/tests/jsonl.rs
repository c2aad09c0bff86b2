#![allow(clippy::unwrap_used)] // Tests fail loudly by design.
//! The JSON Lines interchange: an export imported into an empty database and exported
//! again gives the same bytes; a bad line is named and nothing is written.
//! Runs on SQLite, and on PostgreSQL when GRASSROOTS_TEST_DATABASE_URL is set.

use grassroots_domain::date::Date;
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus, MembershipKind};
use grassroots_domain::org::OrgKind;
use grassroots_interchange::{NoProgress, export, import};
use grassroots_storage::members::{MemberReader, MemberWriter, NewMember, Transfer};
use grassroots_storage::orgs::{NewOrg, Org, OrgReader, OrgWriter};
use grassroots_storage::rollup::subtree_counts;
use grassroots_storage::testing::fresh_store;
use grassroots_storage::{Actor, Scope, Store, restore};

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn actor() -> Actor {
    Actor::new("test")
}

async fn org(store: &Store, code: &str, name: &str, kind: OrgKind, parent: Option<&Org>) -> Org {
    let new = NewOrg {
        code: code.into(),
        name: name.into(),
        kind,
        parent_id: parent.map(|p| p.id),
        founded_on: d("2015-01-01"),
        decision: Some("01-QĐ/TU".into()),
    };
    store
        .create_org(&actor(), &Scope::all(), new)
        .await
        .unwrap()
}

async fn member(store: &Store, n: usize, name: &str, cell: &Org, status: MemberStatus) -> i64 {
    let identity = MemberIdentity {
        full_name: name.into(),
        birth_date: d("1980-02-03") + chrono::Duration::days(n as i64 * 97),
        gender: if n.is_multiple_of(2) {
            Gender::Male
        } else {
            Gender::Female
        },
        ethnicity: if n.is_multiple_of(5) {
            "Chăm".into()
        } else {
            "Kinh".into()
        },
        citizen_id: Some(format!("0601{:08}", n)),
        party_card_no: (!n.is_multiple_of(3)).then(|| format!("C{n:05}")),
        admitted_on: Some(d("2010-05-19")),
        official_on: (status != MemberStatus::Probationary).then(|| d("2011-05-19")),
    };
    let status_since = match status {
        MemberStatus::Probationary => d("2010-05-19"),
        MemberStatus::Official => d("2011-05-19"),
        _ => d("2018-01-01"),
    };
    let new = NewMember {
        identity,
        org_id: cell.id,
        status,
        status_since,
        joined_on: d("2016-01-01"),
    };
    store
        .create_member(&actor(), &Scope::all(), new)
        .await
        .unwrap()
        .id
}

/// A small tree that went through a move, a merge, transfers and status changes.
async fn eventful_store(store: &Store) -> Org {
    let province = org(
        store,
        "P",
        "Đảng bộ tỉnh Bình Thuận",
        OrgKind::Provincial,
        None,
    )
    .await;
    let town = org(
        store,
        "T",
        "Đảng bộ thị xã La Gi",
        OrgKind::District,
        Some(&province),
    )
    .await;
    let a = org(
        store,
        "A",
        "Đảng bộ phường Phước Hội",
        OrgKind::GrassrootsCommittee,
        Some(&town),
    )
    .await;
    let b = org(
        store,
        "B",
        "Đảng bộ xã Tân Hải",
        OrgKind::GrassrootsCommittee,
        Some(&town),
    )
    .await;
    let a1 = org(store, "A1", "Chi bộ Khu phố 1", OrgKind::Cell, Some(&a)).await;
    let a2 = org(store, "A2", "Chi bộ Khu phố 2", OrgKind::Cell, Some(&a)).await;
    let b1 = org(store, "B1", "Chi bộ Thôn Hiệp Trí", OrgKind::Cell, Some(&b)).await;
    let g = org(
        store,
        "G",
        "Chi bộ Trường THPT \"Nguyễn Huệ\"",
        OrgKind::GrassrootsCell,
        Some(&town),
    )
    .await;
    let names = [
        "Nguyễn Văn An",
        "Trần Thị Bích",
        "Đàng Văn Tư",
        "Lê Hoàng Đức",
        "Phạm Thị Thu Hà",
        "Lâm Quốc Hưng",
    ];
    let mut ids = Vec::new();
    for (n, name) in names.iter().enumerate() {
        let cell = [&a1, &a2, &b1, &g][n % 4];
        let status = if n == 4 {
            MemberStatus::Probationary
        } else {
            MemberStatus::Official
        };
        ids.push(member(store, n + 1, name, cell, status).await);
    }
    let all = Scope::all();
    store
        .move_org(
            &actor(),
            &all,
            b1.id,
            a.id,
            d("2023-03-01"),
            Some("215-QĐ/TU"),
            None,
        )
        .await
        .unwrap();
    store
        .merge_orgs(
            &actor(),
            &all,
            &[a2.id],
            a1.id,
            d("2024-06-01"),
            Some("412-QĐ/TU"),
            None,
        )
        .await
        .unwrap();
    store
        .transfer_member(
            &actor(),
            &all,
            ids[0],
            Transfer {
                to_org: g.id,
                kind: MembershipKind::Official,
                on: d("2025-02-01"),
                until: None,
            },
        )
        .await
        .unwrap();
    store
        .transfer_member(
            &actor(),
            &all,
            ids[1],
            Transfer {
                to_org: b1.id,
                kind: MembershipKind::Temporary,
                on: d("2025-03-01"),
                until: Some(d("2025-09-01")),
            },
        )
        .await
        .unwrap();
    store
        .change_status(
            &actor(),
            &all,
            ids[2],
            MemberStatus::Deceased,
            d("2025-04-02"),
            Some("Từ trần"),
        )
        .await
        .unwrap();
    store
        .change_status(
            &actor(),
            &all,
            ids[3],
            MemberStatus::Exempt,
            d("2025-05-01"),
            None,
        )
        .await
        .unwrap();
    store
        .change_status(
            &actor(),
            &all,
            ids[4],
            MemberStatus::Official,
            d("2025-05-19"),
            None,
        )
        .await
        .unwrap();
    town
}

async fn export_bytes(store: &Store) -> Vec<u8> {
    let mut out = Vec::new();
    export(store, &mut out, &NoProgress).await.unwrap();
    out
}

#[tokio::test]
async fn export_import_export_is_byte_exact() {
    let source = fresh_store().await;
    let town = eventful_store(&source).await;
    let first = export_bytes(&source).await;
    let text = String::from_utf8(first.clone()).unwrap();
    assert!(
        text.starts_with("{\"type\":\"header\",\"format\":\"grassroots-jsonl\",\"version\":1"),
        "{text}"
    );
    for kind in [
        "org_event",
        "org",
        "org_version",
        "member",
        "member_status",
        "membership",
        "audit",
    ] {
        assert!(
            text.contains(&format!("{{\"type\":\"{kind}\"")),
            "no {kind} line"
        );
    }

    let target = fresh_store().await;
    let summary = import(&target, first.as_slice(), &NoProgress)
        .await
        .unwrap();
    assert_eq!(summary.total() as usize, text.lines().count() - 1);
    let second = export_bytes(&target).await;
    assert_eq!(String::from_utf8(second).unwrap(), text);

    // What the export is for: the restored database answers like the original.
    assert_eq!(
        subtree_counts(&target.db, town.id).await.unwrap(),
        subtree_counts(&source.db, town.id).await.unwrap()
    );
    let all = Scope::all();
    for day in ["2023-01-01", "2024-01-01", "2025-01-01"] {
        assert_eq!(
            target.tree_as_of(&all, town.id, d(day)).await.unwrap(),
            source.tree_as_of(&all, town.id, d(day)).await.unwrap(),
            "tree as of {day}"
        );
    }
    let found = target
        .list_members(
            &all,
            &grassroots_storage::members::MemberQuery {
                text: Some("nguyen van".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(found.rows.len(), 1);
    // New records get fresh ids after the restored ones (sequences were reset).
    let province = target.org_by_code(&all, "P").await.unwrap();
    let new = org(
        &target,
        "T2",
        "Đảng bộ thị xã Mới",
        OrgKind::District,
        Some(&province),
    )
    .await;
    let max_id = text
        .lines()
        .filter(|l| l.starts_with("{\"type\":\"org\","))
        .count() as i64;
    assert!(new.id > max_id, "{} <= {max_id}", new.id);
}

#[tokio::test]
async fn import_refuses_a_database_that_is_not_empty() {
    let source = fresh_store().await;
    eventful_store(&source).await;
    let bytes = export_bytes(&source).await;
    let err = import(&source, bytes.as_slice(), &NoProgress)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("not empty"), "{err}");
}

#[tokio::test]
async fn a_bad_line_is_named_and_nothing_is_written() {
    let source = fresh_store().await;
    eventful_store(&source).await;
    let text = String::from_utf8(export_bytes(&source).await).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("{\"type\":\"member\","))
        .unwrap();
    let id = {
        let v: serde_json::Value = serde_json::from_str(&lines[at]).unwrap();
        v["id"].as_i64().unwrap()
    };
    let mut v: serde_json::Value = serde_json::from_str(&lines[at]).unwrap();
    v["birth_date"] = "31/02/1980".into();
    lines[at] = v.to_string();
    let bad = lines.join("\n");

    let target = fresh_store().await;
    let err = import(&target, bad.as_bytes(), &NoProgress)
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "line {} (member {id}): field \"birth_date\": `31/02/1980` is not a date (YYYY-MM-DD)",
            at + 1
        )
    );
    assert!(restore::is_empty(&target.db).await.unwrap());

    // A reference to a record that is not in the file is caught before writing too.
    let mut v: serde_json::Value = serde_json::from_str(text.lines().nth(at).unwrap()).unwrap();
    v["org_id"] = 99_999.into();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[at] = v.to_string();
    let err = import(&target, lines.join("\n").as_bytes(), &NoProgress)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("line {}", at + 1)) && err.contains("\"org_id\""),
        "{err}"
    );
    assert!(restore::is_empty(&target.db).await.unwrap());

    // Unknown types and a missing header are refused with their line.
    let err = import(
        &target,
        "{\"type\":\"org\",\"id\":1}\n".as_bytes(),
        &NoProgress,
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("line 1"), "{err}");
    let unknown = format!(
        "{}\n{{\"type\":\"dues_payment\",\"id\":1}}\n",
        text.lines().next().unwrap()
    );
    let err = import(&target, unknown.as_bytes(), &NoProgress)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("line 2") && err.contains("dues_payment"),
        "{err}"
    );
}
