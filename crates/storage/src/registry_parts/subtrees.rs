//! Registry counts kept per subtree, so that a report after a write reads a few rows per
//! level of the tree instead of one per organization of the subtree.
//!
//! An organization with organizations below it keeps, per set, what its whole subtree adds
//! (`registry_subtree_parts`), with its subtree's registry counter and the tree counter;
//! what it adds itself is its own part ([`super`]). A leaf's subtree is its own part. To
//! add up a subtree:
//! - the root's subtree part is current: it is the answer (one read);
//! - a counter below the root moved: the root's children are read with their counters,
//!   the current subtree parts among them are taken as kept, and the organizations whose
//!   subtree moved are followed down the same way, level by level. Each organization met
//!   on the way whose subtree moved gets its own part (kept, or computed again when its own
//!   counter moved) plus its children's subtrees, and keeps the sum;
//! - nothing is kept for the root (the first report of the set, a new tree), or more than
//!   [`MAX_NODES_TO_FOLLOW`] organizations are met: the whole subtree is read at once and
//!   every organization's subtree part is computed from the own parts and kept.
//!
//! Counted in the tree of a past day, a subtree is followed this way only when none of its
//! organizations changed since that day (see [`super`]): then every organization of it is
//! still below the same ancestors, whose subtree counters its writes move.

use std::collections::HashMap;

use grassroots_domain::date::Date;
use grassroots_domain::tree_path;

use super::{Counts, IDS_PER_STATEMENT, KeptRow, OrgRef, PartSet, Stale, add};
use crate::db::placeholders;
use crate::row::{int, opt_int, opt_text, text};
use crate::select::Select;
use crate::{Store, StoreResult};

/// More organizations than this met while following the moved counters down, and the whole
/// subtree is read at once instead.
const MAX_NODES_TO_FOLLOW: usize = 2_000;

/// What kept rows of one set are computed for and with.
pub(super) struct Keeping<'a> {
    pub key: &'a str,
    pub stamp: &'a str,
    pub tree: i64,
    /// The day counts "as of today" are kept for.
    pub open_on: Option<Date>,
    /// The past day whose tree the set is counted in, if not today's.
    pub tree_on: Option<Date>,
}

impl Keeping<'_> {
    /// The organizations of the tree the set is counted in (as `o`, a second time as `k`),
    /// their id column, and the condition of being in that tree (bind [`Keeping::bind_on`]).
    pub(super) fn tree(&self, alias: &str) -> (String, String, String) {
        match self.tree_on {
            None => (
                format!("orgs {alias}"),
                format!("{alias}.id"),
                String::new(),
            ),
            Some(_) => (
                format!("org_versions {alias}"),
                format!("{alias}.org_id"),
                format!(
                    " AND {alias}.valid_from <= ? AND ({alias}.valid_to IS NULL OR {alias}.valid_to > ?)"
                ),
            ),
        }
    }

    pub(super) fn bind_on<'d>(&self, q: Select<'d>) -> Select<'d> {
        match self.tree_on {
            None => q,
            Some(day) => q.bind(day.to_string()).bind(day.to_string()),
        }
    }
}

/// An organization of the subtree with its counters now and what is kept of its subtree.
#[derive(Debug, Clone)]
struct Node {
    org: OrgRef,
    parent: Option<i64>,
    /// It has organizations below it in the tree the set is counted in.
    internal: bool,
    /// Its subtree's registry counter now.
    subtree_n: i64,
    /// Its own registry counter now.
    own_n: i64,
    /// The subtree counter its kept subtree part was computed at (none kept for this stamp
    /// and tree: `None`).
    kept_at: Option<i64>,
    /// Subtree rows are kept for it, current or not.
    has_subtree_rows: bool,
}

impl Node {
    fn subtree_kept(&self) -> bool {
        self.internal && self.kept_at == Some(self.subtree_n)
    }
}

/// Which organizations to read.
enum Which<'a> {
    Id(i64),
    ChildrenOf(&'a [i64]),
    Range(&'a str, &'a str),
}

impl Store {
    /// The counts of `set` over the subtree `[lo, hi)`, from kept subtree and own parts,
    /// computing again and keeping those whose counters moved.
    pub(super) async fn subtree_counts<S: PartSet>(
        &self,
        lo: &str,
        hi: &str,
        set: &S,
        keeping: &Keeping<'_>,
    ) -> StoreResult<Counts> {
        let Some(root_id) = tree_path::ids(lo).last().copied() else {
            return Ok(Counts::new());
        };
        let Some(root) = self
            .subtree_nodes(keeping, Which::Id(root_id))
            .await?
            .into_iter()
            .next()
        else {
            return Ok(Counts::new());
        };
        if root.subtree_kept() {
            let mut kept = self.kept_subtrees(keeping, &[root.org.id]).await?;
            return Ok(kept.remove(&root.org.id).unwrap_or_default());
        }
        if root.internal && root.kept_at.is_none() {
            return self.whole_subtree(root_id, (lo, hi), set, keeping).await;
        }
        // Follow the moved subtree counters down, level by level.
        let mut nodes = vec![root];
        let mut level = 0;
        loop {
            let moved: Vec<i64> = nodes[level..]
                .iter()
                .filter(|n| n.internal && !n.subtree_kept())
                .map(|n| n.org.id)
                .collect();
            if moved.is_empty() {
                break;
            }
            level = nodes.len();
            for chunk in moved.chunks(IDS_PER_STATEMENT) {
                nodes.extend(
                    self.subtree_nodes(keeping, Which::ChildrenOf(chunk))
                        .await?,
                );
            }
            if nodes.len() > MAX_NODES_TO_FOLLOW {
                return self.whole_subtree(root_id, (lo, hi), set, keeping).await;
            }
        }
        self.add_up(root_id, lo, hi, set, keeping, nodes, true)
            .await
    }

    /// Every organization of the subtree read at once, and its subtree parts computed from
    /// the own parts.
    async fn whole_subtree<S: PartSet>(
        &self,
        root_id: i64,
        (lo, hi): (&str, &str),
        set: &S,
        keeping: &Keeping<'_>,
    ) -> StoreResult<Counts> {
        let nodes = self.subtree_nodes(keeping, Which::Range(lo, hi)).await?;
        self.add_up(root_id, lo, hi, set, keeping, nodes, false)
            .await
    }

    /// Adds up `nodes` (the root, and the children of every node whose subtree is not
    /// taken as kept) bottom-up, and keeps the subtree parts that moved. With `use_kept`,
    /// a node whose subtree part is current is taken as kept; without, every subtree is
    /// computed from the own parts.
    #[allow(clippy::too_many_arguments)] // The subtree, the set, how it is kept, the nodes met.
    async fn add_up<S: PartSet>(
        &self,
        root_id: i64,
        lo: &str,
        hi: &str,
        set: &S,
        keeping: &Keeping<'_>,
        nodes: Vec<Node>,
        use_kept: bool,
    ) -> StoreResult<Counts> {
        let taken = |n: &Node| use_kept && n.subtree_kept();
        let kept_ids: Vec<i64> = nodes
            .iter()
            .filter(|n| taken(n))
            .map(|n| n.org.id)
            .collect();
        let mut value = self.kept_subtrees(keeping, &kept_ids).await?;
        for id in kept_ids {
            value.entry(id).or_default();
        }
        let computed: Vec<&Node> = nodes.iter().filter(|n| !taken(n)).collect();
        let range = (!use_kept).then_some((lo, hi));
        let mut own = self.own_counts(set, keeping, range, &computed).await?;
        let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
        for n in &nodes {
            if let Some(parent) = n.parent {
                children.entry(parent).or_default().push(n.org.id);
            }
        }
        // Deepest first: a node's children are added up before it.
        let mut order = computed;
        order.sort_by_key(|n| std::cmp::Reverse(tree_path::depth(&n.org.path)));
        let mut moved = Vec::new();
        for n in order {
            let mut total = own.remove(&n.org.id).unwrap_or_default();
            if n.internal {
                for child in children.get(&n.org.id).into_iter().flatten() {
                    if let Some(counts) = value.get(child) {
                        add(&mut total, counts);
                    }
                }
                if n.kept_at != Some(n.subtree_n) {
                    moved.push(KeptRow {
                        org_id: n.org.id,
                        counter: n.subtree_n,
                        counts: total.clone(),
                        replaces: n.has_subtree_rows,
                    });
                }
            }
            value.insert(n.org.id, total);
        }
        self.keep_rows(Table::Subtree, keeping, &moved).await?;
        Ok(value.remove(&root_id).unwrap_or_default())
    }

    /// The organizations `which` names in the tree the set is counted in, with their
    /// counters and the state of their kept subtree part.
    async fn subtree_nodes(
        &self,
        keeping: &Keeping<'_>,
        which: Which<'_>,
    ) -> StoreResult<Vec<Node>> {
        let (orgs, id, on) = keeping.tree("o");
        let (kids, _, kid_on) = keeping.tree("k");
        let condition = match &which {
            Which::Id(_) => format!("{id} = ?"),
            Which::ChildrenOf(ids) => format!("o.parent_id IN ({})", placeholders(ids.len())),
            Which::Range(..) => "o.path >= ? AND o.path < ?".to_owned(),
        };
        let sql = format!(
            "SELECT {id} AS id, o.path, o.parent_id, COALESCE(c.registry_n, 0) AS subtree_n, \
                 COALESCE(c.registry_own_n, 0) AS own_n, \
                 CASE WHEN EXISTS (SELECT 1 FROM {kids} WHERE k.parent_id = {id}{kid_on}) THEN 1 ELSE 0 END AS internal, \
                 s.stamp, s.tree_n, s.registry_n AS kept_n FROM {orgs} \
                 LEFT JOIN org_changes c ON c.org_id = {id} \
                 LEFT JOIN registry_subtree_parts s ON s.org_id = {id} AND s.part = ? AND s.name = '' \
                 WHERE {condition}{on}"
        );
        let mut q = keeping.bind_on(self.db.select(sql));
        q = q.bind(keeping.key.to_owned());
        q = match which {
            Which::Id(root) => q.bind(root),
            Which::ChildrenOf(ids) => q.bind_all(ids.iter().copied()),
            Which::Range(lo, hi) => q.bind(lo.to_owned()).bind(hi.to_owned()),
        };
        q = keeping.bind_on(q);
        q.fetch_all()
            .await?
            .iter()
            .map(|r| {
                let kept = opt_text(r, "stamp")?.as_deref() == Some(keeping.stamp)
                    && opt_int(r, "tree_n")? == Some(keeping.tree);
                Ok(Node {
                    org: OrgRef {
                        id: int(r, "id")?,
                        path: text(r, "path")?,
                    },
                    parent: opt_int(r, "parent_id")?,
                    internal: int(r, "internal")? != 0,
                    subtree_n: int(r, "subtree_n")?,
                    own_n: int(r, "own_n")?,
                    kept_at: if kept { opt_int(r, "kept_n")? } else { None },
                    has_subtree_rows: opt_int(r, "kept_n")?.is_some(),
                })
            })
            .collect()
    }

    /// The kept subtree parts of `ids` (current ones: the caller checked their counters).
    async fn kept_subtrees(
        &self,
        keeping: &Keeping<'_>,
        ids: &[i64],
    ) -> StoreResult<HashMap<i64, Counts>> {
        let mut out: HashMap<i64, Counts> = HashMap::new();
        for chunk in ids.chunks(IDS_PER_STATEMENT) {
            let sql = format!(
                "SELECT org_id, name, n FROM registry_subtree_parts \
                 WHERE part = ? AND name <> '' AND org_id IN ({})",
                placeholders(chunk.len())
            );
            let rows = self
                .db
                .select(sql)
                .bind(keeping.key.to_owned())
                .bind_all(chunk.iter().copied())
                .fetch_all()
                .await?;
            for r in rows {
                out.entry(int(&r, "org_id")?)
                    .or_default()
                    .insert(text(&r, "name")?, int(&r, "n")?);
            }
        }
        Ok(out)
    }

    /// The own counts of `nodes`: kept where their own counter stood still, computed again
    /// (kept only when read by id) otherwise. With the subtree's `range` (`nodes` are then
    /// all of it), the kept rows are read by range and many stale ones computed over it;
    /// without, by id.
    async fn own_counts<S: PartSet>(
        &self,
        set: &S,
        keeping: &Keeping<'_>,
        range: Option<(&str, &str)>,
        nodes: &[&Node],
    ) -> StoreResult<HashMap<i64, Counts>> {
        // Per organization: whether its marker row is current, and its kept counts.
        let mut kept: HashMap<i64, (bool, Counts)> = HashMap::new();
        let own_n: HashMap<i64, i64> = nodes.iter().map(|n| (n.org.id, n.own_n)).collect();
        let columns = "p.org_id, p.name, p.n, p.stamp, p.tree_n, p.registry_own_n";
        let mut reads: Vec<Select<'_>> = Vec::new();
        match range {
            Some((lo, hi)) => {
                let (orgs, id, on) = keeping.tree("o");
                let sql = format!(
                    "SELECT {columns} FROM {orgs} JOIN registry_parts p ON p.org_id = {id} \
                     AND p.part = ? WHERE o.path >= ? AND o.path < ?{on}"
                );
                let q = self
                    .db
                    .select(sql)
                    .bind(keeping.key.to_owned())
                    .bind(lo.to_owned())
                    .bind(hi.to_owned());
                reads.push(keeping.bind_on(q));
            }
            None => {
                let ids: Vec<i64> = nodes.iter().map(|n| n.org.id).collect();
                for chunk in ids.chunks(IDS_PER_STATEMENT) {
                    let sql = format!(
                        "SELECT {columns} FROM registry_parts p WHERE p.part = ? AND p.org_id IN ({})",
                        placeholders(chunk.len())
                    );
                    reads.push(
                        self.db
                            .select(sql)
                            .bind(keeping.key.to_owned())
                            .bind_all(chunk.iter().copied()),
                    );
                }
            }
        }
        for q in reads {
            for r in q.fetch_all().await? {
                let org = int(&r, "org_id")?;
                let Some(now) = own_n.get(&org) else {
                    continue;
                };
                let entry = kept.entry(org).or_default();
                let name = text(&r, "name")?;
                if name.is_empty() {
                    entry.0 = text(&r, "stamp")? == keeping.stamp
                        && int(&r, "tree_n")? == keeping.tree
                        && int(&r, "registry_own_n")? == *now;
                } else {
                    entry.1.insert(name, int(&r, "n")?);
                }
            }
        }
        let mut out = HashMap::new();
        let mut stale = Vec::new();
        for n in nodes {
            match kept.remove(&n.org.id) {
                Some((true, counts)) => {
                    out.insert(n.org.id, counts);
                }
                other => stale.push(Stale {
                    org: n.org.clone(),
                    counter: n.own_n,
                    has_rows: other.is_some(),
                }),
            }
        }
        if stale.is_empty() {
            return Ok(out);
        }
        let rows = self.count_again(set, &stale, range).await?;
        // Read whole, the subtree keeps its sums, not every organization's own counts: those
        // are computed again when a write is followed down to them (a few organizations),
        // which costs less than keeping a row for each of thousands on the first report.
        if range.is_none() {
            self.keep_rows(Table::Own, keeping, &rows).await?;
        }
        out.extend(rows.into_iter().map(|row| (row.org_id, row.counts)));
        Ok(out)
    }
}

/// The table kept rows go to, and the counter they were computed at.
#[derive(Debug, Clone, Copy)]
pub(super) enum Table {
    /// `registry_parts`: an organization's own counts, at its own registry counter.
    Own,
    /// `registry_subtree_parts`: its subtree's counts, at its subtree registry counter.
    Subtree,
}

impl Table {
    pub(super) fn name_and_counter(self) -> (&'static str, &'static str) {
        match self {
            Table::Own => ("registry_parts", "registry_own_n"),
            Table::Subtree => ("registry_subtree_parts", "registry_n"),
        }
    }
}
