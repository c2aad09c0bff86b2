#![allow(clippy::unwrap_used)] // Tests fail loudly by design.

//! `grassroots report warm` end to end, and `grassroots report --org … --from … --to …`
//! unchanged beside it.

use std::process::Command;

use chrono::Datelike;
use grassroots_domain::date::Date;
use grassroots_domain::org::OrgKind;
use grassroots_storage::orgs::{NewOrg, OrgWriter};
use grassroots_storage::testing::fresh_store;
use grassroots_storage::{Actor, Scope};
use sqlx::Row;

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
async fn report_warm_keeps_the_running_year_and_report_still_takes_its_flags() {
    let store = fresh_store().await;
    let mut parent = None;
    for (code, kind) in [
        ("TW", OrgKind::Central),
        ("TINH", OrgKind::Provincial),
        ("CB1", OrgKind::GrassrootsCell),
    ] {
        let org = store
            .create_org(
                &Actor::new("test"),
                &Scope::all(),
                NewOrg {
                    code: code.into(),
                    name: format!("Tổ chức {code}"),
                    kind,
                    parent_id: parent,
                    founded_on: "2010-01-01".parse().unwrap(),
                    decision: None,
                },
            )
            .await
            .unwrap();
        parent = Some(org.id);
    }
    let url = store.url.clone();
    let today = chrono::Local::now().date_naive();
    let jan1 = Date::from_ymd_opt(today.year(), 1, 1).unwrap();

    let (ok, out, err) = run(&url, &["report", "warm", "--depth", "2"]);
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with("TINH ") && lines[0].ends_with(" s"),
        "{out}"
    );
    assert!(lines[1].starts_with("TW "), "{out}");
    assert!(
        lines[2].starts_with(&format!(
            "warmed 2 organization(s) for {jan1} to {today} in "
        )),
        "{out}"
    );
    let sql = store.db.sql(
        "SELECT COUNT(*) AS n FROM report_snapshots WHERE period_from = ? AND period_to = ? AND open_on = ?",
    );
    let kept: i64 = sqlx::query(&sql)
        .bind(jan1.to_string())
        .bind(today.to_string())
        .bind(today.to_string())
        .fetch_one(store.db.read())
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    assert_eq!(kept, 2, "the province's and the nation's running year");

    // The report of one organization keeps its flags.
    let (ok, out, err) = run(
        &url,
        &[
            "report",
            "--org",
            "TINH",
            "--from",
            &jan1.to_string(),
            "--to",
            &today.to_string(),
        ],
    );
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["org"]["code"], "TINH");
    assert_eq!(report["period"]["to"], today.to_string());

    // Without a subcommand the flags are required; with `warm` they are refused.
    let (ok, _, err) = run(&url, &["report", "--org", "TINH"]);
    assert!(!ok && err.contains("--from"), "{err}");
    let (ok, _, err) = run(&url, &["report", "--org", "TINH", "warm"]);
    assert!(!ok && err.contains("warm"), "{err}");
    // Depth 0 warms nothing and says so.
    let (ok, out, err) = run(&url, &["report", "warm", "--depth", "0"]);
    assert!(ok, "{err}");
    assert!(out.starts_with("warmed 0 organization(s)"), "{out}");
}
