#![allow(clippy::unwrap_used)] // Tests fail loudly by design.

//! The lifecycle commands end to end: the demo pipeline, the candidate and probation lists,
//! a refused step, badges, and the dues sheet written as an Excel file.

use std::process::Command;

use grassroots_domain::date::Date;
use grassroots_domain::org::OrgKind;
use grassroots_storage::orgs::{NewOrg, OrgWriter};
use grassroots_storage::testing::fresh_store;
use grassroots_storage::{Actor, Scope};

fn run(url: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_grassroots"))
        .arg("--database-url")
        .arg(url)
        .args(args)
        .env("GRASSROOTS_LOG", "error")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn lifecycle_commands_work_end_to_end() {
    let store = fresh_store().await;
    let actor = Actor::new("test");
    let d = |s: &str| s.parse::<Date>().unwrap();
    let mut parent = None;
    for (code, kind) in [
        ("TINH", OrgKind::Provincial),
        ("PHUONG", OrgKind::GrassrootsCommittee),
        ("CB1", OrgKind::Cell),
    ] {
        let org = store
            .create_org(
                &actor,
                &Scope::all(),
                NewOrg {
                    code: code.into(),
                    name: format!("Tổ chức {code}"),
                    kind,
                    parent_id: parent,
                    founded_on: d("2010-01-01"),
                    decision: None,
                },
            )
            .await
            .unwrap();
        parent = Some(org.id);
    }
    let url = store.url.clone();
    let (ok, out, err) = run(
        &url,
        &["lifecycle", "demo", "--org", "CB1", "--as-of", "2026-06-30"],
    );
    assert!(ok, "{err}");
    let demo: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(demo["candidates"].as_array().unwrap().len(), 7);

    let (ok, out, err) = run(
        &url,
        &[
            "candidates",
            "list",
            "--org",
            "PHUONG",
            "--on",
            "2026-06-30",
        ],
    );
    assert!(ok, "{err}");
    let list: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(list.len(), 6);
    assert_eq!(list.iter().filter(|c| c["overdue"] == true).count(), 1);

    let (ok, out, err) = run(
        &url,
        &["probation", "list", "--org", "CB1", "--on", "2026-06-30"],
    );
    assert!(ok, "{err}");
    assert_eq!(
        serde_json::from_str::<Vec<serde_json::Value>>(&out)
            .unwrap()
            .len(),
        1
    );

    // A refused step names the field.
    let first = demo["candidates"][0].as_i64().unwrap().to_string();
    let (ok, _, err) = run(
        &url,
        &[
            "candidates",
            "step",
            &first,
            "--step",
            "ceremony",
            "--on",
            "2026-06-01",
        ],
    );
    assert!(!ok);
    assert!(
        err.contains("ceremony") && err.contains("needs the step"),
        "{err}"
    );

    let (ok, out, err) = run(
        &url,
        &[
            "badges",
            "due",
            "--org",
            "TINH",
            "--award-day",
            "2026-02-03",
        ],
    );
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "[]");
    let (ok, _, err) = run(
        &url,
        &[
            "badges",
            "due",
            "--org",
            "TINH",
            "--award-day",
            "2026-02-04",
        ],
    );
    assert!(!ok && err.contains("award_day"), "{err}");

    let introducer = demo["introducers"][0].as_i64().unwrap().to_string();
    let (ok, _, err) = run(
        &url,
        &[
            "dues",
            "income",
            &introducer,
            "--from",
            "2026-01",
            "--kind",
            "pensioner",
            "--base",
            "6000000",
        ],
    );
    assert!(ok, "{err}");
    let (ok, _, err) = run(
        &url,
        &[
            "dues",
            "pay",
            &introducer,
            "--month",
            "2026-01",
            "--amount",
            "30000",
            "--paid-on",
            "2026-01-31",
        ],
    );
    assert!(ok, "{err}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dues.xlsx");
    let (ok, _, err) = run(
        &url,
        &[
            "dues",
            "sheet",
            "--org",
            "CB1",
            "--month",
            "2026-01",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert!(ok, "{err}");
    assert!(err.contains("paid 30000 VND"), "{err}");
    assert!(std::fs::read(&file).unwrap().starts_with(b"PK"));

    let (ok, out, err) = run(
        &url,
        &[
            "lifecycle",
            "figures",
            "--org",
            "TINH",
            "--from",
            "2025-01-01",
            "--to",
            "2026-06-30",
        ],
    );
    assert!(ok, "{err}");
    let figures: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let get = |key: &str| {
        figures.iter().find(|f| f["key"] == key).unwrap()["value"]["amount"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(get("members.admitted"), 2);
    assert_eq!(get("overdue.decision"), 1);
    assert_eq!(get("dues.collected"), 30000);
}
