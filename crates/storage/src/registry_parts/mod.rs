//! Registry counts kept per organization and per subtree, so that a report after a write
//! reads again only what the write touched, not the whole subtree.
//!
//! A [`PartSet`] is a set of counts in which every count belongs to exactly one
//! organization — a member counts at the cell they belong to now, or at the cell of their
//! official membership on a past day — so a subtree's counts are the sum of its
//! organizations' own. Each organization's own counts are kept (`registry_parts`) with the
//! organization's own registry counter and the tree counter they were computed at
//! ([`crate::changes`]: a write about one of its records or members moves the first, any
//! change of the tree the second); each subtree's sum is kept too, with its subtree counter
//! ([`subtrees`]). [`Store::counts_of`] follows the moved counters down from the root and
//! computes again only the organizations whose own counter moved. Counted in the tree of a
//! past day that the subtree has changed since, the kept own counts of the whole range are
//! added up instead (one statement for a few organizations to compute again, the whole range
//! at once for many). Counted [`Counted::FromRecords`], the same set is computed over the
//! whole range and added up: one computation either way.

use std::collections::{BTreeMap, HashMap};

use crate::select::Select;
use grassroots_domain::date::Date;
use grassroots_domain::figures::counting_stamp;
use grassroots_domain::rulebook::Rulebook;

use crate::changes::tree_changes;

mod subtrees;
use crate::db::placeholders;
use crate::row::{int, opt_int, opt_text, text};
use crate::{Store, StoreResult};
use subtrees::{Keeping, Table};

/// Counts by name, of one organization or added up over a subtree.
pub(crate) type Counts = BTreeMap<String, i64>;

/// More organizations than this to compute again, and the whole range is computed in one go
/// instead of organization by organization.
const MAX_ORGS_ONE_BY_ONE: usize = 200;

/// 500 ids a statement stay below every backend's parameter limit.
const IDS_PER_STATEMENT: usize = 500;

/// Where the figures that can be kept come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    FromRecords,
    FromKeptParts,
}

/// An organization and its path in the tree a set is counted on.
#[derive(Debug, Clone)]
pub(crate) struct OrgRef {
    pub id: i64,
    pub path: String,
}

/// The organizations whose counts a [`PartSet`] computes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Orgs<'a> {
    /// Every organization of the path range `[lo, hi)` of the tree the set is counted on.
    Range(&'a str, &'a str),
    /// These organizations, not their subtrees.
    Of(&'a [OrgRef]),
}

impl Orgs<'_> {
    /// The condition choosing the members who belong now to these organizations, on the
    /// `members` table under `alias` (by path, which the members' path indexes lead with),
    /// or the records these organizations hold on any table with the `org_path` of their
    /// cell (dues payments); bind its values with [`Orgs::bind_paths`].
    pub(crate) fn members_now(&self, alias: &str) -> String {
        match self {
            Orgs::Range(..) => format!("{alias}.org_path >= ? AND {alias}.org_path < ?"),
            Orgs::Of(orgs) => format!("{alias}.org_path IN ({})", placeholders(orgs.len())),
        }
    }

    /// Binds the paths of the condition written by [`Orgs::members_now`].
    pub(crate) fn bind_paths<'d>(&self, mut q: Select<'d>) -> Select<'d> {
        match self {
            Orgs::Range(lo, hi) => q.bind(lo.to_string()).bind(hi.to_string()),
            Orgs::Of(orgs) => {
                for org in *orgs {
                    q = q.bind(org.path.clone());
                }
                q
            }
        }
    }

    /// The organizations now in the range, or the chosen ones, by path.
    pub(crate) async fn ids_by_path(&self, store: &Store) -> StoreResult<HashMap<String, i64>> {
        match self {
            Orgs::Of(orgs) => Ok(orgs.iter().map(|o| (o.path.clone(), o.id)).collect()),
            Orgs::Range(lo, hi) => {
                let sql = "SELECT id, path FROM orgs WHERE path >= ? AND path < ?";
                store
                    .db
                    .select(sql)
                    .bind(lo.to_string())
                    .bind(hi.to_string())
                    .fetch_all()
                    .await?
                    .iter()
                    .map(|r| Ok((text(r, "path")?, int(r, "id")?)))
                    .collect()
            }
        }
    }
}

/// A set of counts in which each count belongs to exactly one organization.
pub(crate) trait PartSet: Sync {
    /// The set and the days it is counted for, unique among sets: the key of the kept rows.
    fn key(&self) -> String;
    /// The day whose rulebook the counts follow.
    fn rules_day(&self) -> Date;
    /// `None` (the default): the organizations of the tree as it is now, where members
    /// count where they belong now; `Some(day)`: those of the tree on that day.
    fn tree_on(&self) -> Option<Date> {
        None
    }
    /// Counts as of today, which are kept for today only.
    fn open(&self) -> bool;
    /// The counts of each of `orgs` (an organization with nothing to count may be left out).
    fn count(
        &self,
        store: &Store,
        orgs: Orgs<'_>,
    ) -> impl Future<Output = StoreResult<BTreeMap<i64, Counts>>> + Send;
}

/// Counts to keep for an organization (its own or its subtree's), with the counter they
/// were computed at.
struct KeptRow {
    org_id: i64,
    counter: i64,
    counts: Counts,
    /// Rows are kept for it already (out of date): they are replaced, not only added to.
    replaces: bool,
}

/// An organization whose kept part is missing or out of date, with its own registry
/// counter now.
struct Stale {
    org: OrgRef,
    counter: i64,
    /// Rows are kept for it (out of date): they are replaced, not only added to.
    has_rows: bool,
}

impl Store {
    /// The counts of `set` for the organizations of `[lo, hi)` (in the tree `set` is
    /// counted on), added up.
    pub(crate) async fn counts_of<S: PartSet>(
        &self,
        lo: &str,
        hi: &str,
        set: &S,
        counted: Counted,
    ) -> StoreResult<Counts> {
        match counted {
            Counted::FromRecords => {
                let mut total = Counts::new();
                for counts in set.count(self, Orgs::Range(lo, hi)).await?.into_values() {
                    add(&mut total, &counts);
                }
                Ok(total)
            }
            Counted::FromKeptParts => self.kept_counts(lo, hi, set).await,
        }
    }

    async fn kept_counts<S: PartSet>(&self, lo: &str, hi: &str, set: &S) -> StoreResult<Counts> {
        let key = set.key();
        let stamp = counting_stamp(&Rulebook::in_force(set.rules_day())?.id);
        // The counters are read before the records: a write landing meanwhile leaves counts
        // that are already out of date, and they are computed again next time.
        let keeping = Keeping {
            key: &key,
            stamp: &stamp,
            tree: tree_changes(&self.db).await?,
            open_on: set.open().then(crate::orgs::today),
            tree_on: set.tree_on(),
        };
        match set.tree_on() {
            Some(day) if self.changed_since(lo, hi, day).await? => {
                self.kept_counts_flat(lo, hi, set, &keeping).await
            }
            _ => self.subtree_counts(lo, hi, set, &keeping).await,
        }
    }

    /// Whether an organization of the subtree `[lo, hi)` of the tree on `day` changed since
    /// (moved, merged, renamed, dissolved): its writes may then no longer move the subtree
    /// counters of its ancestors on `day`, and the subtree is added up organization by
    /// organization.
    async fn changed_since(&self, lo: &str, hi: &str, day: Date) -> StoreResult<bool> {
        let on = day.to_string();
        let rows = self
            .db
            .select(
                "SELECT 1 AS changed FROM org_versions WHERE valid_to > ? AND valid_from <= ? \
                 AND path >= ? AND path < ? LIMIT 1",
            )
            .bind(on.clone())
            .bind(on)
            .bind(lo.to_owned())
            .bind(hi.to_owned())
            .fetch_all()
            .await?;
        Ok(!rows.is_empty())
    }

    /// The kept own counts of every organization of the range whose part is current, added
    /// up, and those of the others computed again and kept.
    async fn kept_counts_flat<S: PartSet>(
        &self,
        lo: &str,
        hi: &str,
        set: &S,
        keeping: &Keeping<'_>,
    ) -> StoreResult<Counts> {
        let (mut total, stale) = self.kept_and_stale(lo, hi, keeping).await?;
        if stale.is_empty() {
            return Ok(total);
        }
        let rows = self.count_again(set, &stale, Some((lo, hi))).await?;
        self.keep_rows(Table::Own, keeping, &rows).await?;
        for row in &rows {
            add(&mut total, &row.counts);
        }
        Ok(total)
    }

    /// The counts of the `stale` organizations computed again, as rows to keep: over the
    /// whole `range` when there are many, organization by organization otherwise.
    async fn count_again<S: PartSet>(
        &self,
        set: &S,
        stale: &[Stale],
        range: Option<(&str, &str)>,
    ) -> StoreResult<Vec<KeptRow>> {
        let mut computed = match range {
            Some((lo, hi)) if stale.len() > MAX_ORGS_ONE_BY_ONE => {
                set.count(self, Orgs::Range(lo, hi)).await?
            }
            _ => {
                let orgs: Vec<OrgRef> = stale.iter().map(|n| n.org.clone()).collect();
                let mut all = BTreeMap::new();
                for chunk in orgs.chunks(IDS_PER_STATEMENT) {
                    all.extend(set.count(self, Orgs::Of(chunk)).await?);
                }
                all
            }
        };
        Ok(stale
            .iter()
            .map(|n| KeptRow {
                org_id: n.org.id,
                counter: n.counter,
                counts: computed.remove(&n.org.id).unwrap_or_default(),
                replaces: n.has_rows,
            })
            .collect())
    }

    /// In one statement (so both halves see the same records): the kept counts of the
    /// range's organizations whose part is current, added up by the database, and the
    /// organizations whose part is missing or out of date.
    async fn kept_and_stale(
        &self,
        lo: &str,
        hi: &str,
        keeping: &Keeping<'_>,
    ) -> StoreResult<(Counts, Vec<Stale>)> {
        let (orgs, id, on) = keeping.tree("o");
        let in_range = format!("o.path >= ? AND o.path < ?{on}");
        let counter = "COALESCE(c.registry_own_n, 0)";
        let sql = format!(
            "SELECT CAST(NULL AS BIGINT) AS id, CAST(NULL AS TEXT) AS path, 0 AS counter, \
                 p.name, CAST(SUM(p.n) AS BIGINT) AS n FROM {orgs} \
                 JOIN registry_parts p ON p.org_id = {id} AND p.part = ? \
                 LEFT JOIN org_changes c ON c.org_id = {id} \
                 WHERE {in_range} AND p.name <> '' AND p.stamp = ? AND p.tree_n = ? \
                 AND p.registry_own_n = {counter} GROUP BY p.name \
                 UNION ALL \
                 SELECT {id}, o.path, {counter}, CAST(NULL AS TEXT), \
                 CASE WHEN p.org_id IS NULL THEN 0 ELSE 1 END FROM {orgs} \
                 LEFT JOIN org_changes c ON c.org_id = {id} \
                 LEFT JOIN registry_parts p ON p.org_id = {id} AND p.part = ? AND p.name = '' \
                 WHERE {in_range} AND (p.org_id IS NULL OR p.stamp <> ? OR p.tree_n <> ? \
                 OR p.registry_own_n <> {counter})"
        );
        let mut q = self.db.select(sql);
        for _ in 0..2 {
            q = q
                .bind(keeping.key.to_owned())
                .bind(lo.to_owned())
                .bind(hi.to_owned());
            q = keeping
                .bind_on(q)
                .bind(keeping.stamp.to_owned())
                .bind(keeping.tree);
        }
        let mut total = Counts::new();
        let mut stale = Vec::new();
        for r in q.fetch_all().await? {
            match opt_int(&r, "id")? {
                None => {
                    let name = opt_text(&r, "name")?.unwrap_or_default();
                    *total.entry(name).or_default() += int(&r, "n")?;
                }
                Some(id) => stale.push(Stale {
                    org: OrgRef {
                        id,
                        path: text(&r, "path")?,
                    },
                    counter: int(&r, "counter")?,
                    // In this half, `n` says whether the organization has a marker row.
                    has_rows: int(&r, "n")? != 0,
                }),
            }
        }
        Ok((total, stale))
    }

    /// Keeps the computed counts of organizations (their own or their subtree's, with the
    /// counter they were computed at), replacing what was kept for them, and prunes counts
    /// kept as of an earlier day.
    async fn keep_rows(
        &self,
        table: Table,
        keeping: &Keeping<'_>,
        rows: &[KeptRow],
    ) -> StoreResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let (table, counter) = table.name_and_counter();
        let key = keeping.key;
        let mut tx = self.db.begin().await?;
        if let Some(today) = keeping.open_on {
            let sql = self
                .db
                .sql(&format!(
                    "DELETE FROM {table} WHERE open_on IS NOT NULL AND open_on < ?"
                ))
                .into_owned();
            sqlx::query(&sql)
                .bind(today.to_string())
                .execute(&mut *tx)
                .await?;
        }
        // Counts that fell to zero have no row to overwrite: the organizations' old rows go
        // first (those with none to go cost no statement: a first report keeps thousands).
        let replaced: Vec<i64> = rows
            .iter()
            .filter(|r| r.replaces)
            .map(|r| r.org_id)
            .collect();
        for chunk in replaced.chunks(500) {
            let sql = self
                .db
                .sql(&format!(
                    "DELETE FROM {table} WHERE part = ? AND org_id IN ({})",
                    placeholders(chunk.len())
                ))
                .into_owned();
            let mut q = sqlx::query(&sql).bind(key.to_owned());
            for id in chunk {
                q = q.bind(*id);
            }
            q.execute(&mut *tx).await?;
        }
        // Each organization's marker ('') and its non-zero counts. (Two reports keeping the
        // same part at once: the second one's rows replace the first one's.)
        let lines: Vec<(i64, i64, &str, i64)> = rows
            .iter()
            .flat_map(|row| {
                std::iter::once((row.org_id, row.counter, "", 0)).chain(
                    row.counts
                        .iter()
                        .filter(|(_, n)| **n != 0)
                        .map(move |(name, n)| (row.org_id, row.counter, name.as_str(), *n)),
                )
            })
            .collect();
        let open_on = keeping.open_on.map(|d| d.to_string());
        // 8 parameters a row: 100 rows a statement stay below every backend's limit.
        for chunk in lines.chunks(100) {
            let values = vec!["(?, ?, ?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ");
            let sql = self
                .db
                .sql(&format!(
                    "INSERT INTO {table} (org_id, part, name, n, stamp, open_on, tree_n, {counter}) \
                     VALUES {values} ON CONFLICT (org_id, part, name) DO UPDATE SET n = excluded.n, \
                     stamp = excluded.stamp, open_on = excluded.open_on, tree_n = excluded.tree_n, \
                     {counter} = excluded.{counter}"
                ))
                .into_owned();
            let mut q = sqlx::query(&sql);
            for (id, at, name, n) in chunk {
                q = q
                    .bind(*id)
                    .bind(key.to_owned())
                    .bind((*name).to_owned())
                    .bind(*n)
                    .bind(keeping.stamp.to_owned())
                    .bind(open_on.clone())
                    .bind(keeping.tree)
                    .bind(*at);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Adds `more` into `total`, count by count.
pub(crate) fn add(total: &mut Counts, more: &Counts) {
    for (name, n) in more {
        *total.entry(name.clone()).or_default() += n;
    }
}
