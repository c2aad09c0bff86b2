//! Change counters: how often each organization's subtree has been written to. Every audited
//! write bumps the counter of every organization on the paths it touches (the record's own
//! organization, and the organizations its before and after states name, so that a member
//! moving from one cell to another changes both subtrees) and of their ancestors, in the
//! write's transaction. A change of the tree itself also bumps the counter of organization
//! 0, the "tree" counter everything depends on.
//!
//! Derived data that must stay equal to the records (report snapshots) stores the counter it
//! was computed at and is recomputed when the counter moved.

use std::collections::{BTreeMap, BTreeSet};

use grassroots_domain::tree_path;
use sqlx::{Any, Transaction};

use crate::audit::Change;
use crate::row::{int, text};
use crate::{Db, StoreResult};

/// The counter every subtree depends on: changes of the tree's shape.
pub const TREE: i64 = 0;

/// Bumps the counters the `change` touches, inside the write's transaction.
pub async fn bump_for(
    db: &Db,
    tx: &mut Transaction<'static, Any>,
    change: &Change<'_>,
) -> StoreResult<()> {
    bump_all(db, tx, &[change]).await
}

/// Bumps the counters a batch of changes touches, in one statement: a counter touched by
/// `k` of the changes moves by `k`, as `k` single bumps would move it.
pub async fn bump_all(
    db: &Db,
    tx: &mut Transaction<'static, Any>,
    changes: &[&Change<'_>],
) -> StoreResult<()> {
    let mut counts: BTreeMap<i64, i64> = BTreeMap::new();
    for change in changes {
        for id in touched(db, tx, change).await? {
            *counts.entry(id).or_default() += 1;
        }
    }
    if counts.is_empty() {
        return Ok(());
    }
    let rows = vec!["(?, ?)"; counts.len()].join(", ");
    let sql = db
        .sql(&format!(
            "INSERT INTO org_changes (org_id, n) VALUES {rows} \
             ON CONFLICT (org_id) DO UPDATE SET n = org_changes.n + excluded.n"
        ))
        .into_owned();
    let mut q = sqlx::query(&sql);
    for (id, n) in counts {
        q = q.bind(id).bind(n);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

/// The organizations whose counters one change moves.
async fn touched(
    db: &Db,
    tx: &mut Transaction<'static, Any>,
    change: &Change<'_>,
) -> StoreResult<BTreeSet<i64>> {
    let mut ids: BTreeSet<i64> = tree_path::ids(change.org_path).into_iter().collect();
    let mut org_ids = BTreeSet::new();
    for state in [&change.before, &change.after].into_iter().flatten() {
        let Some(fields) = state.as_object() else {
            continue;
        };
        for (name, value) in fields {
            if name.ends_with("path")
                && let Some(path) = value.as_str()
            {
                ids.extend(tree_path::ids(path));
            }
            if name.ends_with("org_id")
                && let Some(id) = value.as_i64()
            {
                org_ids.insert(id);
            }
        }
    }
    if !org_ids.is_empty() {
        let list = vec!["?"; org_ids.len()].join(", ");
        let sql = db
            .sql(&format!("SELECT path FROM orgs WHERE id IN ({list})"))
            .into_owned();
        let mut q = sqlx::query(&sql);
        for id in &org_ids {
            q = q.bind(*id);
        }
        for r in q.fetch_all(&mut **tx).await? {
            ids.extend(tree_path::ids(&text(&r, "path")?));
        }
    }
    if change.entity == "org" {
        ids.insert(TREE);
    }
    Ok(ids)
}

/// The changes that a figure of `org_id`'s subtree depends on: its own counter plus the
/// tree counter. Both only grow, so an equal sum means neither moved.
pub async fn subtree_changes(db: &Db, org_id: i64) -> StoreResult<i64> {
    let sql = db.sql(
        "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n FROM org_changes WHERE org_id = ? OR org_id = ?",
    );
    let row = sqlx::query(&sql)
        .bind(org_id)
        .bind(TREE)
        .fetch_one(db.read())
        .await?;
    int(&row, "n")
}
