//! Change counters: how often each organization's subtree has been written to. Every audited
//! write bumps the counter of every organization on the paths it touches (the record's own
//! organization, and the organizations its before and after states name, so that a member
//! moving from one cell to another changes both subtrees) and of their ancestors, in the
//! write's transaction. A change of the tree itself also bumps the counter of organization
//! 0, the "tree" counter everything depends on.
//!
//! Each organization has four counters: `n` for its subtree, `own_n` for writes about its
//! own records (and its members', see [`bump_all`]), `registry_n` for its subtree's writes
//! outside the meetings area, and `registry_own_n` for those about its own records and
//! members. Derived data that must stay equal to the records stores
//! the counter it depends on and is recomputed when that counter moved: kept meeting parts
//! (`meetings/kept_parts.rs`) follow `n` and `own_n`; report snapshots, which hold every
//! figure but the meetings', follow `registry_n`, so a check-in does not renew them; kept
//! dues parts (`lifecycle/dues_parts.rs`) follow `registry_own_n`.

use std::collections::{BTreeMap, BTreeSet};

use grassroots_domain::tree_path;
use sqlx::{Any, Transaction};

use crate::audit::Change;
use crate::row::{int, text};
use crate::{Db, StoreResult};

/// The counter every subtree depends on: changes of the tree's shape.
pub const TREE: i64 = 0;

/// Entities of the meetings area: no figure outside the meeting figures reads them.
const MEETING_ENTITIES: [&str; 3] = ["meeting", "attendance", "cell_committee"];

/// How far one batch moves an organization's counters.
#[derive(Debug, Clone, Copy, Default)]
struct Moves {
    subtree: i64,
    own: i64,
    registry: i64,
    own_registry: i64,
}

impl Moves {
    /// Adds `k` writes at the organization at the end of `path` to every organization on it,
    /// `registry` of them outside the meetings area.
    fn add_path(counts: &mut BTreeMap<i64, Moves>, path: &str, k: i64, registry: i64) {
        let ids = tree_path::ids(path);
        for id in &ids {
            let m = counts.entry(*id).or_default();
            m.subtree += k;
            m.registry += registry;
        }
        if let Some(own) = ids.last() {
            let m = counts.entry(*own).or_default();
            m.own += k;
            m.own_registry += registry;
        }
    }
}

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
    let mut counts: BTreeMap<i64, Moves> = BTreeMap::new();
    // Members the batch writes about: (changes, of which outside the meetings area).
    let mut members: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for change in changes {
        let registry = !MEETING_ENTITIES.contains(&change.entity);
        let touched = touched(db, tx, change).await?;
        for path in &touched.paths {
            Moves::add_path(&mut counts, path, 1, i64::from(registry));
        }
        if touched.tree {
            let tree = counts.entry(TREE).or_default();
            tree.subtree += 1;
            tree.registry += 1;
        }
        for member in touched.members {
            let m = members.entry(member).or_default();
            m.0 += 1;
            m.1 += i64::from(registry);
        }
    }
    // A member's figures (alerts judged on the member's whole record) are counted at every
    // organization the member belonged to: a write about the member moves all of them.
    for (path, (k, registry)) in member_org_paths(db, tx, &members).await? {
        Moves::add_path(&mut counts, &path, k, registry);
    }
    if counts.is_empty() {
        return Ok(());
    }
    // 5 parameters a row: 200 rows a statement stay below every backend's limit.
    let counts: Vec<(i64, Moves)> = counts.into_iter().collect();
    for chunk in counts.chunks(200) {
        let rows = vec!["(?, ?, ?, ?, ?)"; chunk.len()].join(", ");
        let sql = db
            .sql(&format!(
                "INSERT INTO org_changes (org_id, n, own_n, registry_n, registry_own_n) VALUES {rows} \
                 ON CONFLICT (org_id) DO UPDATE SET n = org_changes.n + excluded.n, \
                 own_n = org_changes.own_n + excluded.own_n, \
                 registry_n = org_changes.registry_n + excluded.registry_n, \
                 registry_own_n = org_changes.registry_own_n + excluded.registry_own_n"
            ))
            .into_owned();
        let mut q = sqlx::query(&sql);
        for (id, m) in chunk {
            q = q
                .bind(*id)
                .bind(m.subtree)
                .bind(m.own)
                .bind(m.registry)
                .bind(m.own_registry);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// What one change touches: the paths of the organizations it names, the members it is
/// about, and whether it changes the tree itself.
struct Touched {
    paths: BTreeSet<String>,
    members: BTreeSet<i64>,
    tree: bool,
}

async fn touched(
    db: &Db,
    tx: &mut Transaction<'static, Any>,
    change: &Change<'_>,
) -> StoreResult<Touched> {
    let mut paths = BTreeSet::from([change.org_path.to_owned()]);
    let mut org_ids = BTreeSet::new();
    let mut members = BTreeSet::new();
    if change.entity == "member"
        && let Ok(id) = change.entity_id.parse::<i64>()
    {
        members.insert(id);
    }
    for state in [&change.before, &change.after].into_iter().flatten() {
        let Some(fields) = state.as_object() else {
            continue;
        };
        for (name, value) in fields {
            if name.ends_with("path")
                && let Some(path) = value.as_str()
            {
                paths.insert(path.to_owned());
            }
            if name.ends_with("org_id")
                && let Some(id) = value.as_i64()
            {
                org_ids.insert(id);
            }
            if name == "member_id"
                && let Some(id) = value.as_i64()
            {
                members.insert(id);
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
            paths.insert(text(&r, "path")?);
        }
    }
    paths.retain(|p| !p.is_empty());
    Ok(Touched {
        paths,
        members,
        tree: change.entity == "org",
    })
}

/// The paths of every organization the `members` ever belonged to, each with how many of
/// the batch's changes concern its members (all, and those outside the meetings area).
async fn member_org_paths(
    db: &Db,
    tx: &mut Transaction<'static, Any>,
    members: &BTreeMap<i64, (i64, i64)>,
) -> StoreResult<BTreeMap<String, (i64, i64)>> {
    let mut out: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let ids: Vec<i64> = members.keys().copied().collect();
    for chunk in ids.chunks(500) {
        let list = vec!["?"; chunk.len()].join(", ");
        let sql = db
            .sql(&format!(
                "SELECT DISTINCT ms.member_id, o.path FROM memberships ms JOIN orgs o ON o.id = ms.org_id \
                 WHERE ms.member_id IN ({list})"
            ))
            .into_owned();
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(&mut **tx).await? {
            let (k, registry) = members
                .get(&int(&r, "member_id")?)
                .copied()
                .unwrap_or_default();
            let entry = out.entry(text(&r, "path")?).or_default();
            entry.0 += k;
            entry.1 += registry;
        }
    }
    Ok(out)
}

/// The changes outside the meetings area that a figure of `org_id`'s subtree depends on: its
/// registry counter plus the tree counter. Both only grow, so an equal sum means neither
/// moved.
pub async fn registry_changes(db: &Db, org_id: i64) -> StoreResult<i64> {
    let sql = db.sql(
        "SELECT CAST(COALESCE(SUM(CASE WHEN org_id = ? THEN registry_n ELSE n END), 0) AS BIGINT) AS n \
         FROM org_changes WHERE org_id = ? OR org_id = ?",
    );
    let row = sqlx::query(&sql)
        .bind(org_id)
        .bind(org_id)
        .bind(TREE)
        .fetch_one(db.read())
        .await?;
    int(&row, "n")
}

/// The tree counter: changes of the tree's shape, which every kept figure depends on.
pub(crate) async fn tree_changes(db: &Db) -> StoreResult<i64> {
    let sql = db.sql("SELECT n FROM org_changes WHERE org_id = ?");
    let row = sqlx::query(&sql)
        .bind(TREE)
        .fetch_optional(db.read())
        .await?;
    row.map_or(Ok(0), |r| int(&r, "n"))
}
