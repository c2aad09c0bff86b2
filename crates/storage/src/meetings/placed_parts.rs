//! The meeting figures of a period that has ended from kept parts, in the tree of the
//! period's last day ([`super::figures::Reach::tree_on`]): a district dissolved since counts
//! the cells that were below it, and a commune founded since counts nothing.
//!
//! An organization's own part is the same in any tree, so it is shared with
//! [`super::kept_parts`]. The subtree counters are not: a write in a cell moved since moves
//! its new ancestors' counters, not those it had on that day. So each organization's subtree
//! part in that tree is kept with the sum of the own counters of its subtree instead. Own
//! counters only grow, and the organizations of the subtree change only with the tree (whose
//! counter is in the stamp), so an equal sum means that nothing below was written to since.
//!
//! One read lists the subtree's organizations with their paths on that day, their own
//! counters and what is kept for them (without the parts themselves). From the root down,
//! an organization whose kept sum is current is taken as kept; the others have their own
//! part (kept, or computed again when its counter moved) added to their children's. So after
//! a write in one cell, only the parts on its path are read and added up again.

use std::collections::{BTreeMap, HashMap};

use grassroots_domain::date::Date;
use grassroots_domain::tree_path;

use super::figures::Reach;
use super::kept_parts::{Counters, Key, parse};
use super::parts::{Part, own_parts};
use crate::orgs::Org;
use crate::placed_tree::{existed_in_period, placed};
use crate::row::{int, opt_int, opt_text, text};
use crate::select::Select;
use crate::{Scope, Store, StoreResult};

/// More own parts than this to compute again, and the subtree is gathered in one go instead
/// of organization by organization.
const MAX_OWN_PARTS_ONE_BY_ONE: usize = 100;

/// 500 ids a statement stay below every backend's parameter limit.
const IDS_PER_STATEMENT: usize = 500;

/// An organization of the subtree on the period's last day.
struct Placed {
    path: String,
    /// Its own counter now.
    own_now: i64,
    /// What is kept for it, when computed for this key: the counters it was computed at.
    kept: Option<Counters>,
}

/// How an organization's subtree part is had.
enum Plan {
    /// Its kept subtree part is current.
    Kept,
    /// Added up again from its own part and its children's: the own part kept or not.
    AddedUp { own_kept: bool },
}

impl Store {
    /// The meeting part of `root`'s subtree for `key`'s period (ended) in the tree of `day`.
    pub(super) async fn placed_subtree_part(
        &self,
        root: &Org,
        key: &Key,
        day: Date,
    ) -> StoreResult<Part> {
        let placed = placed(Some(day));
        let Some(path) = self.placed_path(root, Some(day)).await? else {
            // The root has no version at all: nothing counts.
            return Ok(Part::default());
        };
        let (lo, hi) = tree_path::subtree_range(&path);
        let within = Within {
            day,
            placed: &placed,
            lo: &lo,
            hi: &hi,
        };
        // The counters are read before the records: a write landing meanwhile leaves parts
        // that are already out of date, and they are computed again next time.
        if let Some(part) = self.root_part_if_current(root, key, &within).await? {
            return Ok(part);
        }
        let orgs = self.placed_orgs(key, &within).await?;
        if !orgs.contains_key(&root.id) {
            // The root had ended before the period: nothing counts.
            return Ok(Part::default());
        }
        let below = Below::of(&orgs);
        let mut plans: Vec<(i64, Plan)> = Vec::new();
        let mut stack = vec![root.id];
        while let Some(id) = stack.pop() {
            let org = &orgs[&id];
            let kept = org.kept.filter(|k| k.subtree == below.written[&id]);
            if kept.is_some() {
                plans.push((id, Plan::Kept));
                continue;
            }
            let own_kept = org.kept.is_some_and(|k| k.own == org.own_now);
            plans.push((id, Plan::AddedUp { own_kept }));
            stack.extend(below.children.get(&id).into_iter().flatten());
        }
        let subtree_ids: Vec<i64> = ids_where(&plans, |p| matches!(p, Plan::Kept));
        let own_ids = ids_where(&plans, |p| matches!(p, Plan::AddedUp { own_kept: true }));
        let stale = ids_where(&plans, |p| matches!(p, Plan::AddedUp { own_kept: false }));
        let mut subtree = self.kept_parts(key, "subtree_part", &subtree_ids).await?;
        let mut own = self.kept_parts(key, "own_part", &own_ids).await?;
        if stale.len() > MAX_OWN_PARTS_ONE_BY_ONE {
            let g = self
                .gather(&Scope::all(), root.id, key.period, Reach::Subtree)
                .await?;
            let mut computed = own_parts(&g, &key.period);
            for id in &stale {
                own.insert(*id, computed.remove(id).unwrap_or_default());
            }
        } else {
            for id in &stale {
                own.insert(*id, self.own_part(*id, key).await?);
            }
        }
        // Children come after their parent in `plans`: added up in reverse, each child's
        // subtree is there before its parent's.
        let mut added_up = Vec::new();
        for (id, plan) in plans.iter().rev() {
            if let Plan::AddedUp { .. } = plan {
                let mut sum = own.get(id).cloned().unwrap_or_default();
                for child in below.children.get(id).into_iter().flatten() {
                    if let Some(part) = subtree.get(child) {
                        sum.add(part);
                    }
                }
                subtree.insert(*id, sum);
                added_up.push(*id);
            }
        }
        let empty = Part::default();
        let rows: Vec<(i64, Counters, &Part, &Part)> = added_up
            .iter()
            .map(|id| {
                let counters = Counters {
                    subtree: below.written[id],
                    own: orgs[id].own_now,
                };
                (
                    *id,
                    counters,
                    own.get(id).unwrap_or(&empty),
                    subtree.get(id).unwrap_or(&empty),
                )
            })
            .collect();
        self.keep(key, &rows).await?;
        Ok(subtree.remove(&root.id).unwrap_or_default())
    }

    /// The kept subtree part of the root, when the sum of the own counters of its subtree
    /// (one aggregate, no row per organization) is still the one it was computed at: the
    /// cheap way to read a report again.
    async fn root_part_if_current(
        &self,
        root: &Org,
        key: &Key,
        within: &Within<'_>,
    ) -> StoreResult<Option<Part>> {
        let sql = "SELECT stamp, tree_n, subtree_n, subtree_part FROM meeting_parts \
             WHERE org_id = ? AND period_from = ? AND period_to = ?";
        let rows = self
            .db
            .select(sql)
            .bind(root.id)
            .bind(key.period.from.to_string())
            .bind(key.period.to.to_string())
            .fetch_all()
            .await?;
        let Some(kept) = rows.first() else {
            return Ok(None);
        };
        if text(kept, "stamp")? != key.stamp || int(kept, "tree_n")? != key.tree {
            return Ok(None);
        }
        let sql = format!(
            "SELECT CAST(COALESCE(SUM(c.own_n), 0) AS BIGINT) AS n FROM {} \
             LEFT JOIN org_changes c ON c.org_id = t.id WHERE {}",
            within.tables(),
            within.condition()
        );
        let written = within.bind(self.db.select(sql), key).fetch_all().await?;
        let written = written.first().map(|r| int(r, "n")).transpose()?;
        if written != Some(int(kept, "subtree_n")?) {
            return Ok(None);
        }
        Ok(Some(parse(&text(kept, "subtree_part")?)?))
    }

    /// The organizations of the subtree on the day that existed during the period, by id,
    /// with their own counters now and the counters their kept part was computed at.
    async fn placed_orgs(
        &self,
        key: &Key,
        within: &Within<'_>,
    ) -> StoreResult<HashMap<i64, Placed>> {
        let sql = format!(
            "SELECT t.id, t.path, c.own_n AS now_own, p.stamp, p.tree_n, p.own_n, p.subtree_n \
             FROM {} LEFT JOIN org_changes c ON c.org_id = t.id \
             LEFT JOIN meeting_parts p ON p.org_id = t.id AND p.period_from = ? AND p.period_to = ? \
             WHERE {}",
            within.tables(),
            within.condition()
        );
        let q = self
            .db
            .select(sql)
            .bind(key.period.from.to_string())
            .bind(key.period.to.to_string());
        let rows = within.bind(q, key).fetch_all().await?;
        let mut out = HashMap::new();
        for r in &rows {
            let stamp = opt_text(r, "stamp")?;
            let tree = opt_int(r, "tree_n")?;
            let kept = match (stamp, tree) {
                (Some(stamp), Some(tree)) if stamp == key.stamp && tree == key.tree => {
                    Some(Counters {
                        subtree: int(r, "subtree_n")?,
                        own: int(r, "own_n")?,
                    })
                }
                _ => None,
            };
            out.insert(
                int(r, "id")?,
                Placed {
                    path: text(r, "path")?,
                    own_now: opt_int(r, "now_own")?.unwrap_or(0),
                    kept,
                },
            );
        }
        Ok(out)
    }

    /// The kept parts (`column`: own or subtree) of `ids` for `key`'s period.
    async fn kept_parts(
        &self,
        key: &Key,
        column: &str,
        ids: &[i64],
    ) -> StoreResult<BTreeMap<i64, Part>> {
        let mut out = BTreeMap::new();
        for chunk in ids.chunks(IDS_PER_STATEMENT) {
            let sql = format!(
                "SELECT org_id, {column} AS part FROM meeting_parts WHERE period_from = ? \
                 AND period_to = ? AND org_id IN ({})",
                crate::db::placeholders(chunk.len())
            );
            let q = self
                .db
                .select(sql)
                .bind(key.period.from.to_string())
                .bind(key.period.to.to_string());
            for r in &q.bind_all(chunk.iter().copied()).fetch_all().await? {
                out.insert(int(r, "org_id")?, parse(&text(r, "part")?)?);
            }
        }
        Ok(out)
    }
}

/// The organizations of the root's subtree on the day (`t`) that existed during the period.
struct Within<'a> {
    day: Date,
    placed: &'a str,
    lo: &'a str,
    hi: &'a str,
}

impl Within<'_> {
    fn tables(&self) -> String {
        format!("{} t", self.placed)
    }

    fn condition(&self) -> String {
        format!(
            "t.path >= ? AND t.path < ? AND {}",
            existed_in_period(Some(self.day))
        )
    }

    fn bind<'d>(&self, q: Select<'d>, key: &Key) -> Select<'d> {
        q.bind(self.lo.to_owned())
            .bind(self.hi.to_owned())
            .bind(key.period.to.to_string())
            .bind(key.period.from.to_string())
    }
}

/// The subtree structure on the day: each organization's children (organizations whose
/// nearest ancestor among them it is) and the sum of the own counters of its subtree.
struct Below {
    children: HashMap<i64, Vec<i64>>,
    written: HashMap<i64, i64>,
}

impl Below {
    fn of(orgs: &HashMap<i64, Placed>) -> Below {
        let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
        let mut written: HashMap<i64, i64> = orgs.iter().map(|(id, o)| (*id, o.own_now)).collect();
        for (id, org) in orgs {
            let ancestors: Vec<i64> = tree_path::ids(&org.path)
                .into_iter()
                .filter(|a| a != id && orgs.contains_key(a))
                .collect();
            if let Some(parent) = ancestors.last() {
                children.entry(*parent).or_default().push(*id);
            }
            for ancestor in ancestors {
                if let Some(sum) = written.get_mut(&ancestor) {
                    *sum += org.own_now;
                }
            }
        }
        Below { children, written }
    }
}

/// The ids of the plans that `which` chooses.
fn ids_where(plans: &[(i64, Plan)], which: impl Fn(&Plan) -> bool) -> Vec<i64> {
    plans
        .iter()
        .filter(|(_, p)| which(p))
        .map(|(id, _)| *id)
        .collect()
}
