//! The generator and the benchmark at a small size, on the backend the suite runs on
//! (SQLite, or PostgreSQL when GRASSROOTS_TEST_DATABASE_URL is set). Big runs stay out of CI.

#![allow(clippy::unwrap_used)]

use grassroots_storage::Store;
use grassroots_storage::rollup::subtree_counts;
use grassroots_storage::testing::{TEST_DATABASE_ENV, fresh_url};
use sqlx::Row;

mod support;
use support::{count, generate, grassroots};

const MEMBERS: u64 = 2_000;

async fn member_fingerprint(store: &Store) -> Vec<(i64, String, String, String, String)> {
    sqlx::query("SELECT id, full_name, citizen_id, status, org_path FROM members ORDER BY id")
        .fetch_all(store.db.read())
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.try_get("id").unwrap(),
                r.try_get("full_name").unwrap(),
                r.try_get("citizen_id").unwrap(),
                r.try_get("status").unwrap(),
                r.try_get("org_path").unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn generates_a_small_nation_that_every_query_reads() {
    let (url, _dir) = fresh_url().await.unwrap();
    let stdout = generate(&url, MEMBERS, 7, &["--json"]);
    let summary: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(summary["members"], MEMBERS);

    let store = Store::open(&url).await.unwrap();
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) AS n FROM orgs WHERE kind = 'provincial' AND dissolved_on IS NULL"
        )
        .await,
        34
    );
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) AS n FROM orgs WHERE kind = 'central'"
        )
        .await,
        1
    );
    assert!(
        count(
            &store,
            "SELECT COUNT(*) AS n FROM orgs WHERE kind = 'commune'"
        )
        .await
            >= 34
    );
    assert_eq!(
        count(&store, "SELECT COUNT(*) AS n FROM members").await,
        MEMBERS as i64
    );
    // One "created" event per organization; one open version per organization that did
    // not end, and two versions for each one the reorganization moved.
    let orgs = count(&store, "SELECT COUNT(*) AS n FROM orgs").await;
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) AS n FROM org_events WHERE change = 'created'"
        )
        .await,
        orgs
    );
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) AS n FROM org_versions WHERE valid_to IS NULL"
        )
        .await,
        count(
            &store,
            "SELECT COUNT(*) AS n FROM orgs WHERE dissolved_on IS NULL"
        )
        .await
    );
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) AS n FROM org_versions v JOIN orgs o ON o.id = v.org_id \
             WHERE v.valid_to = '2025-07-01' AND o.dissolved_on IS NULL AND v.path <> o.path"
        )
        .await,
        count(
            &store,
            "SELECT COUNT(*) AS n FROM orgs WHERE dissolved_on IS NULL AND founded_on < '2025-07-01' \
             AND kind IN ('grassroots_committee', 'grassroots_cell', 'cell')"
        )
        .await
    );
    // Every member: at least one name key per word, a status history that ends in the
    // present status, an official membership.
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) AS n FROM members m WHERE NOT EXISTS \
             (SELECT 1 FROM member_name_keys k WHERE k.member_id = m.id AND k.key = m.name_folded)"
        )
        .await,
        0
    );
    assert_eq!(
        count(&store, "SELECT COUNT(*) AS n FROM members m WHERE NOT EXISTS \
             (SELECT 1 FROM member_statuses s WHERE s.member_id = m.id AND s.valid_to IS NULL AND s.status = m.status)").await,
        0
    );
    assert_eq!(
        count(&store, "SELECT COUNT(*) AS n FROM members m WHERE NOT EXISTS \
             (SELECT 1 FROM memberships x WHERE x.member_id = m.id AND x.org_id = m.org_id AND x.kind = 'official')").await,
        0
    );
    assert!(
        count(
            &store,
            "SELECT COUNT(*) AS n FROM members WHERE status = 'probationary'"
        )
        .await
            > 0
    );
    assert!(
        count(
            &store,
            "SELECT COUNT(*) AS n FROM members WHERE status NOT IN ('probationary', 'official')"
        )
        .await
            > 0
    );
    // Rollups equal a recount of every subtree by path range.
    let all: Vec<(i64, String)> = sqlx::query("SELECT id, path FROM orgs")
        .fetch_all(store.db.read())
        .await
        .unwrap()
        .iter()
        .map(|r| (r.try_get("id").unwrap(), r.try_get("path").unwrap()))
        .collect();
    for (id, path) in &all {
        let (lo, hi) = grassroots_domain::tree_path::subtree_range(path);
        let sql = store.db.sql(
            "SELECT status, COUNT(*) AS n FROM members WHERE org_path >= ? AND org_path < ? GROUP BY status",
        );
        let recount: std::collections::BTreeMap<String, i64> = sqlx::query(&sql)
            .bind(&lo)
            .bind(&hi)
            .fetch_all(store.db.read())
            .await
            .unwrap()
            .iter()
            .map(|r| (r.try_get("status").unwrap(), r.try_get("n").unwrap()))
            .collect();
        assert_eq!(
            subtree_counts(&store.db, *id)
                .await
                .unwrap()
                .members_by_status,
            recount,
            "org {id}"
        );
    }
    let root = all
        .iter()
        .find(|(_, p)| p.matches('/').count() == 2)
        .unwrap()
        .0;
    let nation = subtree_counts(&store.db, root).await.unwrap();
    assert_eq!(
        nation.members_by_status.values().sum::<i64>(),
        MEMBERS as i64
    );
    assert_eq!(nation.orgs_by_kind["provincial"], 34);

    // Search without diacritics finds names written with them.
    use grassroots_storage::members::{MemberQuery, MemberReader};
    let page = store
        .list_members(
            &grassroots_storage::Scope::all(),
            &MemberQuery {
                text: Some("nguyen".into()),
                limit: 20,
                ..MemberQuery::default()
            },
        )
        .await
        .unwrap();
    assert!(!page.rows.is_empty());
    // Every row has a word starting with "nguyen" ("Nguyễn", or a given name "Nguyên").
    assert!(page.rows.iter().all(|r| {
        grassroots_domain::text::fold(&r.full_name)
            .split(' ')
            .any(|w| w.starts_with("nguyen"))
    }));

    // The same seed gives the same data set; a second run into a full database is refused.
    let (ok, _, stderr) = grassroots(&[
        "--database-url",
        &url,
        "demo",
        "generate",
        "--members",
        "10",
    ]);
    assert!(!ok);
    assert!(stderr.contains("already holds"), "{stderr}");
    let (url2, _dir2) = fresh_url().await.unwrap();
    generate(&url2, MEMBERS, 7, &[]);
    let store2 = Store::open(&url2).await.unwrap();
    assert_eq!(
        member_fingerprint(&store).await,
        member_fingerprint(&store2).await
    );
}

/// The nation's report for the year after the reorganization, beside the year before: the
/// tree of each end date (63 provinces and their districts before, 34 provinces after) and
/// the members of the year before, counted through the old tree.
#[tokio::test]
async fn the_year_before_the_reorganization_is_counted_in_the_old_tree() {
    let (url, _dir) = fresh_url().await.unwrap();
    generate(&url, MEMBERS, 7, &["--no-meetings"]);
    let (ok, stdout, stderr) = grassroots(&[
        "--database-url",
        &url,
        "report",
        "--org",
        "TW",
        "--from",
        "2025-07-01",
        "--to",
        "2026-06-30",
        "--format",
        "json",
    ]);
    assert!(ok, "report failed: {stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["previous_period"]["to"], "2025-06-30");
    let figure = |key: &str| -> (i64, i64) {
        let line = report["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["key"] == key)
            .unwrap_or_else(|| panic!("no figure {key}"));
        (
            line["value"]["amount"].as_i64().unwrap(),
            line["previous"]["amount"].as_i64().unwrap(),
        )
    };
    let store = Store::open(&url).await.unwrap();
    let districts = count(
        &store,
        "SELECT COUNT(*) AS n FROM orgs WHERE kind = 'district'",
    )
    .await;
    assert!(districts >= 34, "{districts} districts");
    assert_eq!(figure("org.provincial_committees"), (34, 63));
    assert_eq!(figure("org.district_committees"), (0, districts));
    // Members with an active status and an official membership on 2025-06-30.
    let before = count(
        &store,
        "SELECT COUNT(DISTINCT s.member_id) AS n FROM member_statuses s \
         JOIN memberships ms ON ms.member_id = s.member_id AND ms.kind = 'official' \
         AND ms.valid_from <= '2025-06-30' AND (ms.valid_to IS NULL OR ms.valid_to > '2025-06-30') \
         WHERE s.status IN ('probationary', 'official', 'temporarily_exempt', 'exempt') \
         AND s.valid_from <= '2025-06-30' AND (s.valid_to IS NULL OR s.valid_to > '2025-06-30')",
    )
    .await;
    assert!(
        before > MEMBERS as i64 / 2,
        "{before} members on 2025-06-30"
    );
    assert_eq!(figure("members.total").1, before);
}

#[tokio::test]
async fn a_bench_pass_reports_every_metric() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bench.json");
    let work = dir.path().join("data");
    let n = MEMBERS.to_string();
    let mut args = vec![
        "bench".to_owned(),
        "--sizes".into(),
        n.clone(),
        "--runs".into(),
        "3".into(),
        "--naive-runs".into(),
        "2".into(),
        "--naive-import".into(),
        "10".into(),
        "--out".into(),
        out.display().to_string(),
        "--work-dir".into(),
        work.display().to_string(),
    ];
    let backend = match std::env::var(TEST_DATABASE_ENV) {
        Ok(admin) if !admin.is_empty() => {
            args.extend(["--postgres".into(), admin, "--no-sqlite".into()]);
            "postgres"
        }
        _ => "sqlite",
    };
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let (ok, stdout, stderr) = grassroots(&refs);
    assert!(ok, "bench failed: {stderr}");
    assert!(stdout.contains("counts.nation"), "{stdout}");
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let metrics = results["metrics"].as_array().unwrap();
    for name in [
        "counts.cell",
        "counts.commune",
        "counts.province",
        "counts.nation",
        "search.name",
        "search.province",
        "search.commune",
        "list.commune.first",
        "list.province.first",
        "list.province.deep",
        "list.nation.first",
        "import.members",
        "report.province.current",
        "report.province.past",
        "report.province.current.after_write",
    ] {
        let m = metrics
            .iter()
            .find(|m| m["metric"] == name && m["backend"] == backend)
            .unwrap_or_else(|| panic!("no {name} on {backend}"));
        assert_eq!(m["size"], MEMBERS);
        for side in ["ours", "naive"] {
            assert!(m[side]["runs"].as_u64().unwrap() >= 1, "{name} {side}");
            assert!(m[side]["median"].as_f64().unwrap() > 0.0, "{name} {side}");
        }
        assert!(m["ratio"].as_f64().unwrap() > 0.0, "{name}");
    }
    assert_eq!(results["generations"][0]["summary"]["members"], MEMBERS);
    assert!(!results["verdicts"].as_array().unwrap().is_empty());
    // `--only` measures the metrics it names and nothing else.
    let mut only = refs.clone();
    only.extend(["--only", "search.commune"]);
    let (ok, _, stderr) = grassroots(&only);
    assert!(ok, "bench --only failed: {stderr}");
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let names: Vec<&str> = results["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["metric"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["search.commune"]);
    // The data sets are removed after the run unless --keep.
    assert!(
        std::fs::read_dir(&work)
            .map(|d| d.count() == 0)
            .unwrap_or(true)
    );
}

/// The member list and search choose their plan by size and scope (a walk in list order
/// for a large subtree, a range scan and sort otherwise; search by the nation's, a
/// province's or a subtree's key index). Every plan must give the same pages as the plain
/// query; 30,000 members put the nation over the list's threshold.
#[tokio::test]
async fn list_and_search_plans_give_the_plain_query_pages() {
    use grassroots_storage::Scope;
    use grassroots_storage::members::{MemberQuery, MemberReader};

    let (url, _dir) = fresh_url().await.unwrap();
    generate(&url, 30_000, 3, &[]);
    let store = Store::open(&url).await.unwrap();
    let active = "m.status IN ('probationary', 'official', 'temporarily_exempt', 'exempt')";
    let plain = |filter: String| {
        format!(
            "SELECT m.id FROM members m WHERE {filter} AND {active} ORDER BY m.sort_key, m.id LIMIT 50"
        )
    };
    let ids = |rows: Vec<sqlx::any::AnyRow>| -> Vec<i64> {
        rows.iter()
            .map(|r| r.try_get::<i64, _>("id").unwrap())
            .collect()
    };
    let (root, root_path): (i64, String) = {
        let r = sqlx::query("SELECT id, path FROM orgs WHERE kind = 'central'")
            .fetch_one(store.db.read())
            .await
            .unwrap();
        (r.try_get("id").unwrap(), r.try_get("path").unwrap())
    };
    let small: (i64, String) = {
        let r = sqlx::query("SELECT id, path FROM orgs WHERE kind = 'commune' ORDER BY id LIMIT 1")
            .fetch_one(store.db.read())
            .await
            .unwrap();
        (r.try_get("id").unwrap(), r.try_get("path").unwrap())
    };
    for (org_id, path) in [
        (None, root_path.clone()),
        (Some(root), root_path),
        (Some(small.0), small.1.clone()),
    ] {
        let (lo, hi) = grassroots_domain::tree_path::subtree_range(&path);
        let sql = store
            .db
            .sql(&plain("m.org_path >= ? AND m.org_path < ?".into()))
            .into_owned();
        let expected = ids(sqlx::query(&sql)
            .bind(&lo)
            .bind(&hi)
            .fetch_all(store.db.read())
            .await
            .unwrap());
        let first = store
            .list_members(
                &Scope::all(),
                &MemberQuery {
                    org_id,
                    limit: 25,
                    ..MemberQuery::default()
                },
            )
            .await
            .unwrap();
        let second = store
            .list_members(
                &Scope::all(),
                &MemberQuery {
                    org_id,
                    limit: 25,
                    after: first.next.clone(),
                    ..MemberQuery::default()
                },
            )
            .await
            .unwrap();
        let got: Vec<i64> = first
            .rows
            .iter()
            .chain(&second.rows)
            .map(|r| r.id)
            .collect();
        assert_eq!(got, expected, "list of {org_id:?}");
    }
    // Search: common words, a given name reached through the middle name, a short prefix
    // and a rare name, at the nation, a province and a commune. The plain query reads the
    // members' own order, status and path (not the copies the generator wrote on the keys);
    // two pages of 50 must equal its first 100 rows.
    let province: (i64, String) = {
        let r =
            sqlx::query("SELECT id, path FROM orgs WHERE kind = 'provincial' ORDER BY id LIMIT 1")
                .fetch_one(store.db.read())
                .await
                .unwrap();
        (r.try_get("id").unwrap(), r.try_get("path").unwrap())
    };
    for term in ["nguyen", "thi huong", "ng", "van", "thach"] {
        for (org_id, path) in [
            (None, None),
            (Some(province.0), Some(province.1.clone())),
            (Some(small.0), Some(small.1.clone())),
        ] {
            let (lo, hi) = (term.to_owned(), format!("{term}\u{10FFFF}"));
            let (plo, phi) = match &path {
                Some(p) => grassroots_domain::tree_path::subtree_range(p),
                None => ("/".to_owned(), "0".to_owned()),
            };
            let sql = store
                .db
                .sql(&format!(
                    "SELECT m.id FROM member_name_keys k JOIN members m ON m.id = k.member_id \
                     WHERE k.key >= ? AND k.key < ? AND m.org_path >= ? AND m.org_path < ? AND {active} \
                     AND k.key = (SELECT MIN(d.key) FROM member_name_keys d \
                     WHERE d.member_id = k.member_id AND d.key >= ? AND d.key < ?) \
                     ORDER BY k.key, m.sort_key, m.id LIMIT 100"
                ))
                .into_owned();
            let expected = ids(sqlx::query(&sql)
                .bind(&lo)
                .bind(&hi)
                .bind(&plo)
                .bind(&phi)
                .bind(&lo)
                .bind(&hi)
                .fetch_all(store.db.read())
                .await
                .unwrap());
            if path.is_none() {
                assert!(!expected.is_empty(), "{term}");
            }
            let mut got = Vec::new();
            let mut after = None;
            for _ in 0..2 {
                let page = store
                    .list_members(
                        &Scope::all(),
                        &MemberQuery {
                            org_id,
                            text: Some(term.into()),
                            limit: 50,
                            after: after.clone(),
                            ..MemberQuery::default()
                        },
                    )
                    .await
                    .unwrap();
                got.extend(page.rows.iter().map(|r| r.id));
                after = page.next;
                if after.is_none() {
                    break;
                }
            }
            assert_eq!(got, expected, "search {term} in {path:?}");
        }
    }
}
