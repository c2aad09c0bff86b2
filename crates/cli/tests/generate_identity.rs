//! The generator's fast path writes what the normal path would: the same seed gives the same
//! tables (every column but the run's own timestamps), the rollups it counts while making
//! the rows equal `rollup::rebuild`, the search-key rows it writes equal what the triggers of
//! migration 0008 and `members::name_keys` give, and every foreign key holds (the SQLite load
//! does not check them row by row). Runs on the suite's backend, with a year of meetings.

#![allow(clippy::unwrap_used)] // Tests fail loudly by design.

use grassroots_storage::{Backend, Store};
use sqlx::{Column, Row};

mod support;
use support::generate;

const MEMBERS: u64 = 2_000;

/// Every table the generator writes, with the columns that order its rows.
const TABLES: &[(&str, &str)] = &[
    ("org_events", "id"),
    ("orgs", "id"),
    ("org_versions", "id"),
    ("members", "id"),
    ("member_name_keys", "member_id, key"),
    ("member_statuses", "id"),
    ("memberships", "id"),
    ("org_member_counts", "org_id, status"),
    ("org_kind_counts", "org_id, kind"),
    ("meetings", "id"),
    ("meeting_attendance", "id"),
    ("dues_incomes", "id"),
    ("dues_payments", "id"),
];

/// Columns that hold the time of the run, which differs between two runs by design.
const RUN_TIME: &[&str] = &[
    "updated_at",
    "created_at",
    "recorded_at",
    "attendance_recorded_at",
];

/// The rows of `table` in order, each value as text, without the run's timestamps.
async fn rows(store: &Store, table: &str, order: &str) -> Vec<Vec<Option<String>>> {
    let sql = format!("SELECT * FROM {table} ORDER BY {order}");
    sqlx::query(&sql)
        .fetch_all(store.db.read())
        .await
        .unwrap()
        .iter()
        .map(|r| {
            r.columns()
                .iter()
                .filter(|c| !RUN_TIME.contains(&c.name()))
                .map(|c| {
                    let i = c.ordinal();
                    match r.try_get::<Option<i64>, _>(i) {
                        Ok(v) => v.map(|v| v.to_string()),
                        Err(_) => r.try_get::<Option<String>, _>(i).unwrap(),
                    }
                })
                .collect()
        })
        .collect()
}

async fn execute(store: &Store, sql: &str) {
    sqlx::raw_sql(sql).execute(store.db.write()).await.unwrap();
}

#[tokio::test]
async fn the_fast_path_writes_what_the_normal_path_would() {
    let (url, _dir) = grassroots_storage::testing::fresh_url().await.unwrap();
    let (url2, _dir2) = grassroots_storage::testing::fresh_url().await.unwrap();
    generate(&url, MEMBERS, 11, &[]);
    generate(&url2, MEMBERS, 11, &[]);
    let store = Store::open(&url).await.unwrap();
    let store2 = Store::open(&url2).await.unwrap();

    // The same seed, the same tables.
    for (table, order) in TABLES {
        let (a, b) = (
            rows(&store, table, order).await,
            rows(&store2, table, order).await,
        );
        assert!(!a.is_empty(), "{table} is empty");
        assert_eq!(a.len(), b.len(), "{table}");
        for (i, (x, y)) in a.iter().zip(&b).enumerate() {
            assert_eq!(x, y, "{table} row {i}");
        }
    }

    // Every reference finds its row.
    if store.db.backend() == Backend::Sqlite {
        let broken = sqlx::query("PRAGMA foreign_key_check")
            .fetch_all(store.db.read())
            .await
            .unwrap();
        assert!(broken.is_empty(), "{} broken references", broken.len());
    }

    // The rollups counted while generating equal a rebuild from the records.
    let before = (
        rows(&store, "org_member_counts", "org_id, status").await,
        rows(&store, "org_kind_counts", "org_id, kind").await,
    );
    grassroots_storage::rollup::rebuild(&store.db)
        .await
        .unwrap();
    let after = (
        rows(&store, "org_member_counts", "org_id, status").await,
        rows(&store, "org_kind_counts", "org_id, kind").await,
    );
    assert_eq!(before, after);

    // The keys of each member are `name_keys` of their name.
    let mut expected: Vec<(i64, String)> = Vec::new();
    for r in sqlx::query("SELECT id, full_name FROM members")
        .fetch_all(store.db.read())
        .await
        .unwrap()
    {
        let id: i64 = r.try_get("id").unwrap();
        let name: String = r.try_get("full_name").unwrap();
        for key in grassroots_storage::members::name_keys(&name) {
            expected.push((id, key));
        }
    }
    expected.sort();
    let mut written: Vec<(i64, String)> =
        sqlx::query("SELECT member_id, key FROM member_name_keys")
            .fetch_all(store.db.read())
            .await
            .unwrap()
            .iter()
            .map(|r| (r.try_get("member_id").unwrap(), r.try_get("key").unwrap()))
            .collect();
    written.sort();
    assert_eq!(written, expected);

    // The copies on the keys (list order, status, place, province) are what the triggers
    // write: change every member's status and back, which makes the trigger rewrite every
    // key row, and compare.
    let keys = "member_id, key, sort_key, status, org_path, province_path";
    let generated = rows(
        &store,
        &format!("(SELECT {keys} FROM member_name_keys) k"),
        "member_id, key",
    )
    .await;
    execute(&store, "UPDATE members SET status = status || '~'").await;
    execute(
        &store,
        "UPDATE members SET status = substr(status, 1, length(status) - 1)",
    )
    .await;
    let rewritten = rows(
        &store,
        &format!("(SELECT {keys} FROM member_name_keys) k"),
        "member_id, key",
    )
    .await;
    assert_eq!(generated.len(), rewritten.len());
    assert_eq!(generated, rewritten);
}
