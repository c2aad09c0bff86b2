//! The report's meeting figures from kept parts ([`super::parts`]), so that a province's
//! report of the running year does not count every attendance mark of the province again.
//!
//! Each organization keeps, per period, its own part and its subtree's part, with the
//! counters they were computed at (`crate::changes`): the subtree counter moves with any
//! write below the organization, the own counter only with writes about its own records or
//! members, and the tree counter with any change of the tree. A report of organization X:
//! - X's subtree part is current: it is the answer (one read);
//! - something below X changed: X's own part is reused if its own counter stood still
//!   (computed again otherwise, from X's records alone), and each child's subtree part is
//!   taken the same way, recursively, and added up;
//! - nothing is kept for X (first report of the period, the tree changed), or more than
//!   [`MAX_WRITES_TO_FOLLOW`] writes landed below it since: when parts are kept below X
//!   (the provinces were reported before the nation), X's own part is computed and added
//!   to the children's, as above; otherwise X's whole subtree is gathered once, split into
//!   every organization's parts, and kept.
//!
//! Figures of a period that has not ended depend on the day (dues owed up to today): the
//! day is part of the stamp, and parts of earlier days are pruned.
//!
//! A period that has ended is counted in the tree of its last day instead, where the subtree
//! counters cannot be followed: see [`super::placed_parts`].

use std::collections::BTreeMap;

use grassroots_domain::date::Date;
use grassroots_domain::figures::{Figure, counting_stamp};
use grassroots_domain::meetings::Period;
use grassroots_domain::rulebook::Rulebook;
use sqlx::any::AnyRow;

use super::figures::Reach;
use super::parts::{Part, own_parts};
use crate::changes::tree_changes;
use crate::orgs::{ORG_COLUMNS, Org, OrgReader, org_from_row};
use crate::row::{int, opt_int, opt_text};
use crate::{Scope, Store, StoreError, StoreResult};

/// More writes than this below an organization since its part was kept, and its subtree is
/// gathered in one go: following each write down to its cell costs a small gathering per
/// written cell, more than one gathering of the subtree once the writes are many.
const MAX_WRITES_TO_FOLLOW: i64 = 200;

pub trait MeetingKeysReader {
    /// The meeting figures of `org_id`'s subtree for `period` under their dotted keys, as
    /// [`super::MeetingFiguresReader::meeting_figures`] gives them, from kept parts where
    /// those are current.
    fn meeting_keys(
        &self,
        scope: &Scope,
        org_id: i64,
        period: Period,
    ) -> impl Future<Output = StoreResult<Vec<Figure>>> + Send;
}

/// What a part is computed for and with.
pub(super) struct Key {
    pub(super) period: Period,
    pub(super) stamp: String,
    /// The day, when the period has not ended.
    pub(super) open_on: Option<Date>,
    pub(super) tree: i64,
}

/// An organization's counters now (for a period that has ended, `subtree` is the sum of the
/// own counters of its subtree in the period's tree: see [`super::placed_parts`]).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Counters {
    pub(super) subtree: i64,
    pub(super) own: i64,
}

/// What is kept for an organization and period.
struct Kept {
    stamp: String,
    tree: i64,
    counters: Counters,
    own: String,
    subtree: String,
}

/// An organization, its counters now, and what is kept for it.
struct Node {
    org: Org,
    now: Counters,
    kept: Option<Kept>,
}

impl Node {
    fn usable(&self, key: &Key) -> Option<&Kept> {
        self.kept
            .as_ref()
            .filter(|k| k.stamp == key.stamp && k.tree == key.tree)
    }

    /// The kept subtree part, when nothing below changed since.
    fn current_subtree(&self, key: &Key) -> StoreResult<Option<Part>> {
        match self.usable(key) {
            Some(k) if k.counters.subtree == self.now.subtree => Ok(Some(parse(&k.subtree)?)),
            _ => Ok(None),
        }
    }
}

pub(super) fn parse(raw: &str) -> StoreResult<Part> {
    serde_json::from_str(raw).map_err(|e| StoreError::Corrupt(format!("meeting part: {e}")))
}

fn json(part: &Part) -> StoreResult<String> {
    serde_json::to_string(part).map_err(|e| StoreError::Corrupt(format!("meeting part: {e}")))
}

impl MeetingKeysReader for Store {
    async fn meeting_keys(
        &self,
        scope: &Scope,
        org_id: i64,
        period: Period,
    ) -> StoreResult<Vec<Figure>> {
        let root = self.org(scope, org_id).await?;
        let book = Rulebook::in_force(period.to)?;
        let today = crate::orgs::today();
        let key = Key {
            period,
            // Dues are judged up to the earlier of the period's end and today.
            stamp: format!("{}+{}", counting_stamp(&book.id), period.to.min(today)),
            open_on: (period.to >= today).then_some(today),
            tree: tree_changes(&self.db).await?,
        };
        let part = match Reach::Subtree.tree_on(&period) {
            None => {
                let node = self.node(&root, &key).await?;
                self.subtree_part(node, &key).await?
            }
            Some(day) => self.placed_subtree_part(&root, &key, day).await?,
        };
        Ok(part.keys(&book.meeting_quality.levels))
    }
}

impl Store {
    /// Reads `where_` (over `orgs o`, with one `?` for `id`) with each organization's
    /// counters and kept part. (No column of `orgs` is named like one of the joined tables':
    /// they need no prefix.)
    async fn nodes(&self, key: &Key, where_: &str, id: i64) -> StoreResult<Vec<Node>> {
        let sql = self
            .db
            .sql(&format!(
                "SELECT {ORG_COLUMNS}, c.n AS now_n, c.own_n AS now_own, p.stamp, p.tree_n, p.own_n, \
                 p.subtree_n, p.own_part, p.subtree_part FROM orgs o \
                 LEFT JOIN org_changes c ON c.org_id = o.id \
                 LEFT JOIN meeting_parts p ON p.org_id = o.id AND p.period_from = ? AND p.period_to = ? \
                 WHERE {where_}"
            ))
            .into_owned();
        sqlx::query(&sql)
            .bind(key.period.from.to_string())
            .bind(key.period.to.to_string())
            .bind(id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(node_from_row)
            .collect()
    }

    async fn node(&self, org: &Org, key: &Key) -> StoreResult<Node> {
        self.nodes(key, "o.id = ?", org.id)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::Corrupt(format!("organization {} vanished", org.id)))
    }

    /// Every child in today's tree. (Only periods that have not ended are walked in today's
    /// tree; a child that did not exist in the period adds an empty part.)
    async fn children(&self, org: &Org, key: &Key) -> StoreResult<Vec<Node>> {
        self.nodes(key, "o.parent_id = ?", org.id).await
    }

    fn subtree_part<'a>(
        &'a self,
        node: Node,
        key: &'a Key,
    ) -> std::pin::Pin<Box<dyn Future<Output = StoreResult<Part>> + Send + 'a>> {
        Box::pin(async move {
            if let Some(part) = node.current_subtree(key)? {
                return Ok(part);
            }
            let usable = node.usable(key);
            let kept =
                usable.filter(|k| node.now.subtree - k.counters.subtree <= MAX_WRITES_TO_FOLLOW);
            let children = self.children(&node.org, key).await?;
            let mut current = Vec::new();
            let mut changed = Vec::new();
            for child in children {
                match child.current_subtree(key)? {
                    Some(part) => current.push(part),
                    None => changed.push(child),
                }
            }
            // Too many writes to follow and no child current, or nothing kept here nor
            // below: one gathering of the subtree. With parts kept below (a nation whose
            // provinces were reported first), those are added up instead.
            if kept.is_none()
                && current.is_empty()
                && (usable.is_some() || !self.kept_below(&node.org, key).await?)
            {
                return self.gather_parts(&node.org, key).await;
            }
            let own = match kept {
                Some(k) if k.counters.own == node.now.own => parse(&k.own)?,
                _ => self.own_part(node.org.id, key).await?,
            };
            let mut subtree = own.clone();
            for part in &current {
                subtree.add(part);
            }
            for child in changed {
                subtree.add(&self.subtree_part(child, key).await?);
            }
            self.keep(key, &[(node.org.id, node.now, &own, &subtree)])
                .await?;
            Ok(subtree)
        })
    }

    /// Whether some organization strictly below `org` keeps a part computed for `key`.
    async fn kept_below(&self, org: &Org, key: &Key) -> StoreResult<bool> {
        let (_, hi) = grassroots_domain::tree_path::subtree_range(&org.path);
        let sql = self.db.sql(
            "SELECT COUNT(*) AS n FROM orgs o JOIN meeting_parts p ON p.org_id = o.id \
             WHERE o.path > ? AND o.path < ? AND p.period_from = ? AND p.period_to = ? \
             AND p.stamp = ? AND p.tree_n = ?",
        );
        let row = sqlx::query(&sql)
            .bind(org.path.clone())
            .bind(hi)
            .bind(key.period.from.to_string())
            .bind(key.period.to.to_string())
            .bind(key.stamp.clone())
            .bind(key.tree)
            .fetch_one(self.db.read())
            .await?;
        Ok(int(&row, "n")? > 0)
    }

    /// The counters of every organization in `org`'s subtree.
    async fn subtree_counters(&self, org: &Org) -> StoreResult<BTreeMap<i64, Counters>> {
        let (lo, hi) = grassroots_domain::tree_path::subtree_range(&org.path);
        let sql = self.db.sql(
            "SELECT o.id, c.n, c.own_n FROM orgs o JOIN org_changes c ON c.org_id = o.id \
             WHERE o.path >= ? AND o.path < ?",
        );
        let mut out = BTreeMap::new();
        for r in sqlx::query(&sql)
            .bind(lo)
            .bind(hi)
            .fetch_all(self.db.read())
            .await?
        {
            out.insert(
                int(&r, "id")?,
                Counters {
                    subtree: int(&r, "n")?,
                    own: int(&r, "own_n")?,
                },
            );
        }
        Ok(out)
    }

    /// One organization's own part, from its records alone.
    pub(super) async fn own_part(&self, org_id: i64, key: &Key) -> StoreResult<Part> {
        let g = self
            .gather(&Scope::all(), org_id, key.period, Reach::Own)
            .await?;
        Ok(own_parts(&g, &key.period)
            .remove(&org_id)
            .unwrap_or_default())
    }

    /// Gathers `org`'s whole subtree once and keeps every organization's parts.
    async fn gather_parts(&self, org: &Org, key: &Key) -> StoreResult<Part> {
        // The counters are read before the records: a write landing meanwhile leaves parts
        // that are already out of date, and they are computed again next time.
        let now = self.subtree_counters(org).await?;
        let g = self
            .gather(&Scope::all(), org.id, key.period, Reach::Subtree)
            .await?;
        let mut own = own_parts(&g, &key.period);
        // Subtree parts: each organization's own part added into every ancestor's gathered
        // with it. Along the path, not from parent to parent: an ancestor that did not exist
        // in the period (a commune founded after it) is not gathered, and the parts of the
        // organizations below it still count in the ancestors above, and in `org` itself,
        // which has an empty part of its own then.
        let mut orgs: Vec<&Org> = g.orgs.iter().collect();
        if !orgs.iter().any(|o| o.id == org.id) {
            orgs.push(org);
            own.insert(org.id, Part::default());
        }
        let mut subtree: BTreeMap<i64, Part> = own.clone();
        for o in &orgs {
            let Some(part) = own.get(&o.id) else {
                continue;
            };
            for ancestor in grassroots_domain::tree_path::ids(&o.path) {
                if ancestor == o.id {
                    continue;
                }
                if let Some(sum) = subtree.get_mut(&ancestor) {
                    sum.add(part);
                }
            }
        }
        let rows: Vec<(i64, Counters, &Part, &Part)> = orgs
            .iter()
            .filter_map(|o| {
                Some((
                    o.id,
                    now.get(&o.id).copied().unwrap_or_default(),
                    own.get(&o.id)?,
                    subtree.get(&o.id)?,
                ))
            })
            .collect();
        self.keep(key, &rows).await?;
        Ok(subtree.remove(&org.id).unwrap_or_default())
    }

    /// Keeps parts (organization, counters they were computed at, own, subtree), and
    /// prunes the parts of open periods kept on an earlier day.
    pub(super) async fn keep(
        &self,
        key: &Key,
        rows: &[(i64, Counters, &Part, &Part)],
    ) -> StoreResult<()> {
        let mut tx = self.db.begin().await?;
        if let Some(today) = key.open_on {
            let sql = self
                .db
                .sql("DELETE FROM meeting_parts WHERE open_on IS NOT NULL AND open_on < ?");
            sqlx::query(&sql)
                .bind(today.to_string())
                .execute(&mut *tx)
                .await?;
        }
        // 11 parameters a row: 80 rows a statement stay below every backend's limit.
        for chunk in rows.chunks(80) {
            let values = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ");
            let sql = self
                .db
                .sql(&format!(
                    "INSERT INTO meeting_parts (org_id, period_from, period_to, stamp, open_on, tree_n, \
                     own_n, subtree_n, own_part, subtree_part, built_at) VALUES {values} \
                     ON CONFLICT (org_id, period_from, period_to) DO UPDATE SET stamp = excluded.stamp, \
                     open_on = excluded.open_on, tree_n = excluded.tree_n, own_n = excluded.own_n, \
                     subtree_n = excluded.subtree_n, own_part = excluded.own_part, \
                     subtree_part = excluded.subtree_part, built_at = excluded.built_at"
                ))
                .into_owned();
            let mut q = sqlx::query(&sql);
            let now = crate::audit::now();
            for (org_id, counters, own, subtree) in chunk {
                q = q
                    .bind(*org_id)
                    .bind(key.period.from.to_string())
                    .bind(key.period.to.to_string())
                    .bind(key.stamp.clone())
                    .bind(key.open_on.map(|d| d.to_string()))
                    .bind(key.tree)
                    .bind(counters.own)
                    .bind(counters.subtree)
                    .bind(json(own)?)
                    .bind(json(subtree)?)
                    .bind(now.clone());
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

fn node_from_row(r: &AnyRow) -> StoreResult<Node> {
    let now = Counters {
        subtree: opt_int(r, "now_n")?.unwrap_or(0),
        own: opt_int(r, "now_own")?.unwrap_or(0),
    };
    let kept = match (
        opt_text(r, "stamp")?,
        opt_text(r, "own_part")?,
        opt_text(r, "subtree_part")?,
    ) {
        (Some(stamp), Some(own), Some(subtree)) => Some(Kept {
            stamp,
            tree: int(r, "tree_n")?,
            counters: Counters {
                subtree: int(r, "subtree_n")?,
                own: int(r, "own_n")?,
            },
            own,
            subtree,
        }),
        _ => None,
    };
    Ok(Node {
        org: org_from_row(r)?,
        now,
        kept,
    })
}
