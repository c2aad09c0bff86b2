//! Rollups: for every organization, the current members of its whole subtree by status and
//! its organizations by kind (itself included). Every write keeps them in step inside its
//! transaction, so a count at any level is one indexed read instead of a scan.

use std::collections::BTreeMap;

use grassroots_domain::tree_path;
use sqlx::{Any, Transaction};

use crate::row::{int, text};
use crate::{Db, StoreResult};

/// Counts of a subtree: members by status and organizations by kind, keyed by code name.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SubtreeCounts {
    pub members_by_status: BTreeMap<String, i64>,
    pub orgs_by_kind: BTreeMap<String, i64>,
}

impl SubtreeCounts {
    /// Members counted in an organization's total (probationary, official, exempt).
    pub fn active_members(&self) -> i64 {
        self.members_by_status
            .iter()
            .filter(|(s, _)| {
                grassroots_domain::member::MemberStatus::parse(s).is_some_and(|s| s.is_active())
            })
            .map(|(_, n)| n)
            .sum()
    }
}

/// Adds `delta` members of `status` to every organization on `path` (the cell and its
/// ancestors).
pub async fn bump_members(
    db: &Db,
    tx: &mut Transaction<'static, Any>,
    path: &str,
    status: &str,
    delta: i64,
) -> StoreResult<()> {
    bump(db, tx, "org_member_counts", "status", path, status, delta).await
}

/// Adds `delta` organizations of `kind` to every organization on `path`.
pub async fn bump_kinds(
    db: &Db,
    tx: &mut Transaction<'static, Any>,
    path: &str,
    kind: &str,
    delta: i64,
) -> StoreResult<()> {
    bump(db, tx, "org_kind_counts", "kind", path, kind, delta).await
}

async fn bump(
    db: &Db,
    tx: &mut Transaction<'static, Any>,
    table: &str,
    column: &str,
    path: &str,
    key: &str,
    delta: i64,
) -> StoreResult<()> {
    let ids = tree_path::ids(path);
    if delta == 0 || ids.is_empty() {
        return Ok(());
    }
    // One statement for the whole chain of ancestors: a write costs one round trip here,
    // however deep the tree.
    let rows = vec!["(?, ?, ?)"; ids.len()].join(", ");
    let sql = db
        .sql(&format!(
            "INSERT INTO {table} (org_id, {column}, n) VALUES {rows} \
         ON CONFLICT (org_id, {column}) DO UPDATE SET n = {table}.n + excluded.n"
        ))
        .into_owned();
    let mut q = sqlx::query(&sql);
    for org_id in ids {
        q = q.bind(org_id).bind(key).bind(delta);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

/// Moves a whole subtree's counts from the ancestors above `old_path` to those above
/// `new_path` (the subtree root's own rows stay as they are).
pub async fn move_subtree(
    db: &Db,
    tx: &mut Transaction<'static, Any>,
    root_id: i64,
    old_path: &str,
    new_path: &str,
) -> StoreResult<()> {
    let parent_of = |p: &str| {
        let ids = tree_path::ids(p);
        ids[..ids.len().saturating_sub(1)]
            .iter()
            .fold(String::from("/"), |acc, id| format!("{acc}{id}/"))
    };
    let (old_parent, new_parent) = (parent_of(old_path), parent_of(new_path));
    for (table, column) in [("org_member_counts", "status"), ("org_kind_counts", "kind")] {
        let sql = db
            .sql(&format!(
                "SELECT {column} AS k, n FROM {table} WHERE org_id = ?"
            ))
            .into_owned();
        let rows = sqlx::query(&sql).bind(root_id).fetch_all(&mut **tx).await?;
        for r in rows {
            let (key, n) = (text(&r, "k")?, int(&r, "n")?);
            bump(db, tx, table, column, &old_parent, &key, -n).await?;
            bump(db, tx, table, column, &new_parent, &key, n).await?;
        }
    }
    Ok(())
}

/// The current counts of the subtree rooted at `org_id`.
pub async fn subtree_counts(db: &Db, org_id: i64) -> StoreResult<SubtreeCounts> {
    let mut out = SubtreeCounts::default();
    let sql = db.sql("SELECT status, n FROM org_member_counts WHERE org_id = ? AND n <> 0");
    for r in sqlx::query(&sql).bind(org_id).fetch_all(db.read()).await? {
        out.members_by_status
            .insert(text(&r, "status")?, int(&r, "n")?);
    }
    let sql = db.sql("SELECT kind, n FROM org_kind_counts WHERE org_id = ? AND n <> 0");
    for r in sqlx::query(&sql).bind(org_id).fetch_all(db.read()).await? {
        out.orgs_by_kind.insert(text(&r, "kind")?, int(&r, "n")?);
    }
    Ok(out)
}

/// Recomputes every rollup from the records (after a bulk load, or to repair).
/// One statement per table: each organization sums the rows whose path starts with its own.
pub async fn rebuild(db: &Db) -> StoreResult<()> {
    let mut tx = db.begin().await?;
    rebuild_in_tx(db, &mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// [`rebuild`] inside the caller's transaction (an import rebuilds before it commits).
pub async fn rebuild_in_tx(db: &Db, tx: &mut Transaction<'static, Any>) -> StoreResult<()> {
    for sql in [
        "DELETE FROM org_member_counts",
        "DELETE FROM org_kind_counts",
        // Direct counts first: members per (cell, status), organizations per (self, kind).
        "INSERT INTO org_member_counts (org_id, status, n) \
         SELECT org_id, status, COUNT(*) FROM members WHERE org_id IS NOT NULL GROUP BY org_id, status",
        "INSERT INTO org_kind_counts (org_id, kind, n) \
         SELECT id, kind, 1 FROM orgs WHERE dissolved_on IS NULL",
    ] {
        sqlx::query(sql).execute(&mut **tx).await?;
    }
    // Then fold each level into its parent, deepest first.
    let max_depth: i64 = {
        let r = sqlx::query("SELECT COALESCE(MAX(depth), 0) AS d FROM orgs")
            .fetch_one(&mut **tx)
            .await?;
        int(&r, "d")?
    };
    for depth in (2..=max_depth).rev() {
        for (table, column) in [("org_member_counts", "status"), ("org_kind_counts", "kind")] {
            let sql = db
                .sql(&format!(
                    "INSERT INTO {table} (org_id, {column}, n) \
                     SELECT o.parent_id, c.{column}, SUM(c.n) FROM {table} c \
                     JOIN orgs o ON o.id = c.org_id \
                     WHERE o.depth = ? AND o.parent_id IS NOT NULL AND o.dissolved_on IS NULL \
                     GROUP BY o.parent_id, c.{column} \
                     ON CONFLICT (org_id, {column}) DO UPDATE SET n = {table}.n + excluded.n"
                ))
                .into_owned();
            sqlx::query(&sql).bind(depth).execute(&mut **tx).await?;
        }
    }
    Ok(())
}
