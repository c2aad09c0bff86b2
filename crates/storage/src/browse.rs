//! Reads for browsing screens that the repository traits do not cover.

use grassroots_domain::DomainError;

use crate::orgs::{Org, OrgReader};
use crate::row::int;
use crate::{Scope, Store, StoreResult};

/// The organizations at the top of a scope: the scope's root organization, or every root
/// of the tree for the whole-tree scope. Active only, ordered by code.
pub async fn top_orgs(store: &Store, scope: &Scope) -> StoreResult<Vec<Org>> {
    if !scope.is_all() {
        let id = grassroots_domain::tree_path::ids(scope.root_path())
            .last()
            .copied()
            .ok_or_else(|| DomainError::not_found("organization", scope.root_path()))?;
        return Ok(vec![store.org(scope, id).await?]);
    }
    let sql = "SELECT id FROM orgs WHERE parent_id IS NULL AND dissolved_on IS NULL ORDER BY code";
    let mut out = Vec::new();
    for r in sqlx::query(sql).fetch_all(store.db.read()).await? {
        out.push(store.org(scope, int(&r, "id")?).await?);
    }
    Ok(out)
}

/// An active cell with fewer official members than the rules require.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SmallCell {
    pub id: i64,
    pub name: String,
    pub n: i64,
}

/// Active cells of the subtree at `root_path` with fewer than `min` official members,
/// from the rollups (one range scan of the organizations).
pub async fn small_cells(
    store: &Store,
    scope: &Scope,
    min: i64,
    limit: i64,
) -> StoreResult<Vec<SmallCell>> {
    let (lo, hi) = scope.range();
    let sql = store.db.sql(
        "SELECT o.id, o.name, COALESCE(c.n, 0) AS n FROM orgs o \
         LEFT JOIN org_member_counts c ON c.org_id = o.id AND c.status = 'official' \
         WHERE o.path >= ? AND o.path < ? AND o.dissolved_on IS NULL \
         AND o.kind IN ('cell', 'grassroots_cell') AND COALESCE(c.n, 0) < ? \
         ORDER BY o.path LIMIT ?",
    );
    sqlx::query(&sql)
        .bind(lo)
        .bind(hi)
        .bind(min)
        .bind(limit)
        .fetch_all(store.db.read())
        .await?
        .iter()
        .map(|r| {
            Ok(SmallCell {
                id: int(r, "id")?,
                name: crate::row::text(r, "name")?,
                n: int(r, "n")?,
            })
        })
        .collect()
}

/// The active cell with the smallest code (demo accounts, examples).
pub async fn first_cell(store: &Store) -> StoreResult<Option<Org>> {
    let sql = "SELECT id FROM orgs WHERE kind IN ('cell', 'grassroots_cell') AND dissolved_on IS NULL \
               ORDER BY code LIMIT 1";
    match sqlx::query(sql).fetch_optional(store.db.read()).await? {
        Some(r) => Ok(Some(store.org(&Scope::all(), int(&r, "id")?).await?)),
        None => Ok(None),
    }
}
