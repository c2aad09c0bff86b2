//! The read path of reports (`Db::select`: SQLite's own interface, or PostgreSQL's typed
//! driver) gives what the `Any` driver gives, sees what was just committed, and names the
//! column when a value is not what the caller reads.
#![allow(clippy::unwrap_used)]

use grassroots_domain::org::OrgKind;
use grassroots_storage::select::{Param, Value};
use grassroots_storage::testing::fresh_store;
use sqlx::Row as _;

mod support;
use support::org;

#[tokio::test]
async fn select_reads_what_the_any_driver_reads_right_after_a_commit() {
    let store = fresh_store().await;
    let province = org(&store, "T1", OrgKind::Provincial, None).await;
    let ward = org(&store, "W1", OrgKind::GrassrootsCommittee, Some(&province)).await;
    let cell = org(&store, "C1", OrgKind::Cell, Some(&ward)).await;
    let sql = "SELECT id, code, path, parent_id FROM orgs WHERE id IN (?, ?) ORDER BY id";

    // Committed through the write pool a moment ago, read through another driver.
    let rows = store
        .db
        .select(sql)
        .bind_all([ward.id, cell.id])
        .fetch_all()
        .await
        .unwrap();
    let any_rows = sqlx::query(&store.db.sql(sql))
        .bind(ward.id)
        .bind(cell.id)
        .fetch_all(store.db.read())
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    for (row, any) in rows.iter().zip(&any_rows) {
        assert_eq!(
            row.value("id").unwrap(),
            &Value::Int(any.get::<i64, _>("id"))
        );
        assert_eq!(
            row.value("code").unwrap(),
            &Value::Text(any.get::<String, _>("code"))
        );
        assert_eq!(
            row.value("path").unwrap(),
            &Value::Text(any.get::<String, _>("path"))
        );
    }
    assert_eq!(
        rows[0].value("parent_id").unwrap(),
        &Value::Int(province.id)
    );
    assert_eq!(rows[1].value("parent_id").unwrap(), &Value::Int(ward.id));
    assert_eq!(rows[1].value("code").unwrap(), &Value::Text("C1".into()));

    // Statements come back from the cache with new values.
    let again = store
        .db
        .select(sql)
        .bind_all([cell.id, -1])
        .fetch_all()
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].value("id").unwrap(), &Value::Int(cell.id));
}

#[tokio::test]
async fn select_binds_nulls_texts_and_numbers_and_names_missing_columns() {
    let store = fresh_store().await;
    org(&store, "W1", OrgKind::Provincial, None).await;
    let rows = store
        .db
        .select(
            "SELECT code, CAST(? AS BIGINT) AS n, CAST(? AS TEXT) AS t, CAST(? AS TEXT) AS absent \
             FROM orgs WHERE code = ?",
        )
        .bind(42_i64)
        .bind("chữ")
        .bind(Param::Null)
        .bind(String::from("W1"))
        .fetch_all()
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].value("n").unwrap(), &Value::Int(42));
    assert_eq!(rows[0].value("t").unwrap(), &Value::Text("chữ".into()));
    assert_eq!(rows[0].value("absent").unwrap(), &Value::Null);
    let missing = rows[0].value("no_such_column").unwrap_err().to_string();
    assert!(missing.contains("no_such_column"), "{missing}");

    // No row: no columns needed, no error.
    let none = store
        .db
        .select("SELECT id FROM orgs WHERE code = ?")
        .bind(Some("nowhere"))
        .fetch_all()
        .await
        .unwrap();
    assert!(none.is_empty());
}
