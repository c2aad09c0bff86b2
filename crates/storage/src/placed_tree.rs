//! The tree a subtree's figures of a period are counted in. A period that has not ended is
//! counted in today's tree (`orgs`). One that has ended is counted in the tree of its last
//! day (`org_versions`): a district dissolved since counts what happened in the organizations
//! that were below it then, and a commune founded since counts nothing of it.
//!
//! Records are tied to an organization by its id; a figure reads them through [`placed`]
//! instead of `orgs`, and the subtree by the range of the root's path in that tree
//! ([`Store::subtree_in`]).

use grassroots_domain::date::Date;
use grassroots_domain::tree_path;

use crate::orgs::Org;
use crate::row::{int, text};
use crate::{Store, StoreResult};

/// The day whose tree a subtree's figures of a period ending on `to` are counted in: `None`
/// for today's tree (a period that has not ended), the period's last day otherwise.
pub(crate) fn tree_on(to: Date) -> Option<Date> {
    (to < crate::orgs::today()).then_some(to)
}

/// The organizations with their paths in the tree drawn on `tree_on`, as a table expression
/// with the columns `id`, `path` and `kind`: today's tree, or on a past `day` each
/// organization's last version begun by then (the tree of that day, and an organization that
/// ended before it where it stood last). An organization founded after the day stands where
/// its first version put it, so that records dated before its founding (history entered
/// after the fact) still count somewhere, as they do in today's tree. The day is written into
/// the SQL: a `Date` prints as `YYYY-MM-DD` and nothing else.
pub(crate) fn placed(tree_on: Option<Date>) -> String {
    match tree_on {
        None => "orgs".to_owned(),
        Some(day) => format!(
            "(SELECT v.org_id AS id, v.path, v.kind, v.valid_from, v.valid_to FROM org_versions v \
             WHERE NOT EXISTS (SELECT 1 FROM org_versions w WHERE w.org_id = v.org_id \
             AND ((v.valid_from <= '{day}' AND w.valid_from > v.valid_from \
             AND w.valid_from <= '{day}') OR (v.valid_from > '{day}' AND w.valid_from < v.valid_from))))"
        ),
    }
}

/// The condition on [`placed`]` t` of having existed during a period (bind its last day,
/// then its first). The meetings' gathering and their kept parts of ended periods
/// (`meetings::placed_parts`) both choose their organizations by it, and must agree.
///
/// In a past day's tree it reads the version the organization is placed by: that version
/// began by the period's last day, and the organization existed in the period unless it
/// ended before the first. An organization's versions follow each other without a gap from
/// its founding to its dissolution, so this is the same as `orgs`' founding and dissolution
/// dates, without joining `orgs` (which PostgreSQL then scans whole).
pub(crate) fn existed_in_period(tree_on: Option<Date>) -> &'static str {
    match tree_on {
        None => "t.founded_on <= ? AND (t.dissolved_on IS NULL OR t.dissolved_on > ?)",
        Some(_) => "t.valid_from <= ? AND (t.valid_to IS NULL OR t.valid_to > ?)",
    }
}

/// The records of a subtree of the tree drawn on `tree_on`, for a statement that counts
/// several tables' records at once. A table ties its records to their organization by id
/// ([`SubtreeIn::join`]), or by a column holding the organization's path in today's tree
/// ([`SubtreeIn::condition`]; the path columns follow every move of the tree). In today's
/// tree the records are chosen by the range of `orgs` or of that path (and its index). In a
/// past day's tree they are chosen among the organizations placed in the range then, which
/// the statement's `WITH` clause lists once for all its joins and conditions.
pub(crate) struct SubtreeIn {
    tree_on: Option<Date>,
    lo: String,
    hi: String,
}

impl SubtreeIn {
    /// The statement's `WITH` clause (nothing in today's tree) and its binds, which come
    /// before those of the statement: the organizations placed in the subtree, by id and by
    /// their path now.
    pub(crate) fn with_clause(&self) -> (String, Vec<String>) {
        match self.tree_on {
            None => (String::new(), Vec::new()),
            Some(_) => (
                format!(
                    "WITH placed_orgs AS (SELECT o.id, o.path FROM orgs o JOIN {} t \
                     ON t.id = o.id WHERE t.path >= ? AND t.path < ?) ",
                    placed(self.tree_on)
                ),
                vec![self.lo.clone(), self.hi.clone()],
            ),
        }
    }

    /// The join of the records whose organization's id is in `org_column` to the subtree's
    /// organizations (as `o`), and its binds, in their place in the statement.
    pub(crate) fn join(&self, org_column: &str) -> (String, Vec<String>) {
        match self.tree_on {
            None => (
                format!("JOIN orgs o ON o.id = {org_column} AND o.path >= ? AND o.path < ?"),
                vec![self.lo.clone(), self.hi.clone()],
            ),
            Some(_) => (
                format!("JOIN placed_orgs o ON o.id = {org_column}"),
                Vec::new(),
            ),
        }
    }

    /// The condition that `path_column`, a path in today's tree, lies in the subtree, and its
    /// binds, in their place in the statement.
    pub(crate) fn condition(&self, path_column: &str) -> (String, Vec<String>) {
        match self.tree_on {
            None => (
                format!("{path_column} >= ? AND {path_column} < ?"),
                vec![self.lo.clone(), self.hi.clone()],
            ),
            Some(_) => (
                format!("{path_column} IN (SELECT path FROM placed_orgs)"),
                Vec::new(),
            ),
        }
    }
}

impl Store {
    /// `org`'s path in the tree drawn on `tree_on` ([`placed`]); `None` when it has no
    /// version at all.
    pub(crate) async fn placed_path(
        &self,
        org: &Org,
        tree_on: Option<Date>,
    ) -> StoreResult<Option<String>> {
        if tree_on.is_none() {
            return Ok(Some(org.path.clone()));
        }
        let sql = format!("SELECT t.path FROM {} t WHERE t.id = ?", placed(tree_on));
        let rows = self.db.select(sql).bind(org.id).fetch_all().await?;
        rows.first().map(|r| text(r, "path")).transpose()
    }

    /// The changes outside the meetings area that the figures of `org`'s subtree for a
    /// period ending on `to` depend on, as one number that only grows. In today's tree that
    /// is the subtree's registry counter ([`crate::changes::registry_changes`]). A past day's
    /// tree is not followed by today's subtree counters (a write in a cell moved since moves
    /// its new ancestors, not its old ones), so there it is the sum of the own registry
    /// counters of every organization that ever stood in the root's range of that tree (a
    /// write about a member moves those of every organization the member belonged to), plus
    /// the tree counter. Those are all the organizations placed there on the day and a few
    /// more, read by the versions' path index: a write at one of the few renews the figures
    /// without need, none is missed.
    pub async fn registry_changes_in(&self, org: &Org, to: Date) -> StoreResult<i64> {
        if tree_on(to).is_none() {
            return crate::changes::registry_changes(&self.db, org.id).await;
        }
        let within = self.subtree_in(org, to).await?;
        let sql = "SELECT CAST(COALESCE(SUM(CASE WHEN c.org_id = ? THEN c.n ELSE c.registry_own_n END), 0) \
             AS BIGINT) AS n FROM org_changes c WHERE c.org_id = ? OR c.org_id IN \
             (SELECT v.org_id FROM org_versions v WHERE v.path >= ? AND v.path < ?)";
        let rows = self
            .db
            .select(sql)
            .bind(crate::changes::TREE)
            .bind(crate::changes::TREE)
            .bind(within.lo)
            .bind(within.hi)
            .fetch_all()
            .await?;
        rows.first().map_or(Ok(0), |r| int(r, "n"))
    }

    /// The subtree of `org` in the tree a period ending on `to` is counted in ([`tree_on`]);
    /// empty (it covers nothing) when `org` has no version at all.
    pub(crate) async fn subtree_in(&self, org: &Org, to: Date) -> StoreResult<SubtreeIn> {
        let tree_on = tree_on(to);
        let (lo, hi) = match self.placed_path(org, tree_on).await? {
            Some(path) => tree_path::subtree_range(&path),
            None => (String::new(), String::new()),
        };
        Ok(SubtreeIn { tree_on, lo, hi })
    }
}
