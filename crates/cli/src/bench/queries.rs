//! The operations the benchmark times: the design's way (rollups, name keys, keyset pages
//! over materialized paths) and the naive way a typical ORM application would do the same
//! (a recursive CTE over `parent_id` with GROUP BY/COUNT(*), `LIKE '%…%'`, OFFSET paging).

use std::collections::BTreeMap;

use grassroots_storage::members::{MemberQuery, MemberReader};
use grassroots_storage::rollup::{self, SubtreeCounts};
use grassroots_storage::{Scope, Store};
use sqlx::Row;

/// The subtree of one organization, found by walking `parent_id` level by level.
const SUBTREE_CTE: &str = "WITH RECURSIVE sub(id) AS (SELECT id FROM orgs WHERE id = ? \
     UNION ALL SELECT o.id FROM orgs o JOIN sub ON o.parent_id = sub.id)";

const ACTIVE: &str = "('probationary', 'official', 'temporarily_exempt', 'exempt')";

/// Members per page in the list scenarios (the web application's page size).
pub const PAGE: i64 = 50;

/// Subtree counts from the rollups (two indexed reads).
pub async fn rollup_counts(store: &Store, org_id: i64) -> anyhow::Result<SubtreeCounts> {
    Ok(rollup::subtree_counts(&store.db, org_id).await?)
}

/// Subtree counts recomputed from the records: members by status, organizations by kind.
pub async fn naive_counts(store: &Store, org_id: i64) -> anyhow::Result<SubtreeCounts> {
    let db = &store.db;
    let mut out = SubtreeCounts::default();
    let sql = db
        .sql(&format!(
            "{SUBTREE_CTE} SELECT m.status AS k, COUNT(*) AS n FROM members m \
         JOIN sub ON m.org_id = sub.id GROUP BY m.status"
        ))
        .into_owned();
    out.members_by_status = key_counts(sqlx::query(&sql).bind(org_id).fetch_all(db.read()).await?)?;
    let sql = db
        .sql(&format!(
            "{SUBTREE_CTE} SELECT o.kind AS k, COUNT(*) AS n FROM orgs o \
         JOIN sub ON o.id = sub.id WHERE o.dissolved_on IS NULL GROUP BY o.kind"
        ))
        .into_owned();
    out.orgs_by_kind = key_counts(sqlx::query(&sql).bind(org_id).fetch_all(db.read()).await?)?;
    Ok(out)
}

fn key_counts(rows: Vec<sqlx::any::AnyRow>) -> anyhow::Result<BTreeMap<String, i64>> {
    let mut out = BTreeMap::new();
    for r in rows {
        let n: i64 = r.try_get("n")?;
        if n != 0 {
            out.insert(r.try_get::<String, _>("k")?, n);
        }
    }
    Ok(out)
}

/// The province with the most members (by its rollups).
pub async fn largest_province(store: &Store) -> anyhow::Result<i64> {
    let row = sqlx::query(
        "SELECT o.id FROM orgs o JOIN org_member_counts c ON c.org_id = o.id \
         WHERE o.kind = 'provincial' GROUP BY o.id ORDER BY SUM(c.n) DESC, o.id LIMIT 1",
    )
    .fetch_one(store.db.read())
    .await?;
    Ok(row.try_get::<i64, _>("id")?)
}

/// The design's member search: word-prefix keys without diacritics, one page, in the
/// subtree of `org_id` (the whole tree when None).
pub async fn search(store: &Store, term: &str, org_id: Option<i64>) -> anyhow::Result<usize> {
    let page = store
        .list_members(
            &Scope::all(),
            &MemberQuery {
                org_id,
                text: Some(term.to_owned()),
                limit: PAGE,
                ..MemberQuery::default()
            },
        )
        .await?;
    Ok(page.rows.len())
}

/// The naive search: a substring match on the folded name over the whole table, or over
/// the subtree of `org_id` found by the recursive CTE.
pub async fn naive_search(store: &Store, term: &str, org_id: Option<i64>) -> anyhow::Result<usize> {
    let (cte, join) = match org_id {
        Some(_) => (SUBTREE_CTE, "JOIN sub ON m.org_id = sub.id"),
        None => ("", ""),
    };
    let sql = store.db.sql(&format!(
        "{cte} SELECT m.id, m.full_name, m.birth_date, m.gender, m.status, m.org_id, o.name AS org_name \
         FROM members m {join} LEFT JOIN orgs o ON o.id = m.org_id \
         WHERE m.name_folded LIKE ? AND m.status IN {ACTIVE} \
         ORDER BY m.sort_key, m.id LIMIT ?"
    ))
    .into_owned();
    let mut q = sqlx::query(&sql);
    if let Some(org) = org_id {
        q = q.bind(org);
    }
    let rows = q
        .bind(format!("%{term}%"))
        .bind(PAGE)
        .fetch_all(store.db.read())
        .await?;
    Ok(rows.len())
}

/// One page of the member list of a subtree, after `cursor` (keyset paging).
pub async fn list_page(
    store: &Store,
    org_id: i64,
    cursor: Option<&str>,
) -> anyhow::Result<(usize, Option<String>)> {
    let page = store
        .list_members(
            &Scope::all(),
            &MemberQuery {
                org_id: Some(org_id),
                after: cursor.map(str::to_owned),
                limit: PAGE,
                ..MemberQuery::default()
            },
        )
        .await?;
    Ok((page.rows.len(), page.next))
}

/// The naive member list: the subtree by recursive CTE, sorted, OFFSET paging.
pub async fn naive_list_page(store: &Store, org_id: i64, page: i64) -> anyhow::Result<usize> {
    let sql = store
        .db
        .sql(&format!(
            "{SUBTREE_CTE} SELECT m.id, m.full_name, m.birth_date, m.gender, m.status, m.org_id, \
         o.name AS org_name FROM members m JOIN sub ON m.org_id = sub.id \
         LEFT JOIN orgs o ON o.id = m.org_id WHERE m.status IN {ACTIVE} \
         ORDER BY m.sort_key, m.id LIMIT ? OFFSET ?"
        ))
        .into_owned();
    let rows = sqlx::query(&sql)
        .bind(org_id)
        .bind(PAGE)
        .bind(page * PAGE)
        .fetch_all(store.db.read())
        .await?;
    Ok(rows.len())
}

/// Organization ids of the given kinds, `n` of them spread evenly over the tree.
pub async fn sample_orgs(store: &Store, kinds: &[&str], n: usize) -> anyhow::Result<Vec<i64>> {
    let list = kinds
        .iter()
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT id FROM orgs WHERE kind IN ({list}) AND dissolved_on IS NULL ORDER BY path"
    );
    let ids: Vec<i64> = sqlx::query(&sql)
        .fetch_all(store.db.read())
        .await?
        .iter()
        .map(|r| r.try_get::<i64, _>("id"))
        .collect::<Result<_, _>>()?;
    if ids.len() <= n {
        return Ok(ids);
    }
    Ok((0..n).map(|i| ids[i * ids.len() / n]).collect())
}
