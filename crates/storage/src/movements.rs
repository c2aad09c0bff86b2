//! Movements of the membership during a period: members admitted in the period, and status
//! spans starting in it (an official recognition, a removal, a death, a transfer out ...).
//! Both can be kept per organization ([`crate::registry_parts`]).
//!
//! Each member counts at one cell:
//! - a period that has not ended: the cell the member belongs to now (or last belonged to),
//!   in today's tree;
//! - a period that has ended: the cell of the member's last official membership begun by
//!   the period's last day, in the tree of that day, as the structure and the members by
//!   status of that day are counted. A district dissolved since counts what its
//!   organizations did while they were below it, and a member transferred since counts
//!   where they were. A member whose records hold no membership begun by then (imported with
//!   only the cell they joined later) counts at the cell they belong to now, placed in the
//!   tree of that day.

use std::collections::BTreeMap;

use grassroots_domain::date::Date;
use grassroots_domain::tree_path;

use crate::orgs::{Org, today};
use crate::placed_members::MembersOn;
use crate::registry_parts::{Counted, Counts, Orgs, PartSet};
use crate::row::{int, text};
use crate::{Store, StoreResult};

/// What the membership did during a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Movements {
    /// Members admitted in the period.
    pub admitted: i64,
    /// Status spans starting in the period, by status.
    pub started: BTreeMap<String, i64>,
}

impl Store {
    /// The movements of the members of `org`'s subtree during `[from, to]` (see the module
    /// for where each member counts), `counted` from the records or from parts kept per
    /// organization. An organization that did not exist on the last day of an ended period
    /// had no movements in it.
    pub async fn movements(
        &self,
        org: &Org,
        from: Date,
        to: Date,
        counted: Counted,
    ) -> StoreResult<Movements> {
        let set = MovementsIn { from, to };
        let path = match set.tree_on() {
            None => Some(org.path.clone()),
            Some(day) => self.path_on(org.id, day).await?,
        };
        let Some(path) = path else {
            return Ok(Movements::default());
        };
        let (lo, hi) = tree_path::subtree_range(&path);
        let counts = self.counts_of(&lo, &hi, &set, counted).await?;
        let mut out = Movements::default();
        for (name, n) in counts {
            match name.strip_prefix("started.") {
                Some(status) => {
                    out.started.insert(status.to_owned(), n);
                }
                None if name == "admitted" => out.admitted = n,
                None => {}
            }
        }
        Ok(out)
    }
}

/// `"admitted"` and `"started.<status>"` of each organization's members.
struct MovementsIn {
    from: Date,
    to: Date,
}

/// What is counted of the members: the condition choosing them (on `members m`, with the
/// period's two days to bind), the column counted by, and the name the count is kept under.
struct Counting {
    join: &'static str,
    when: &'static str,
    by: &'static str,
    name: fn(&crate::select::Row) -> StoreResult<String>,
}

const ADMITTED: Counting = Counting {
    join: "",
    when: "m.admitted_on >= ? AND m.admitted_on <= ?",
    by: "",
    name: |_| Ok("admitted".to_owned()),
};

const STARTED: Counting = Counting {
    join: " JOIN member_statuses s ON s.member_id = m.id",
    when: "s.valid_from >= ? AND s.valid_from <= ?",
    by: ", s.status",
    name: |r| Ok(format!("started.{}", text(r, "status")?)),
};

impl PartSet for MovementsIn {
    fn key(&self) -> String {
        format!("movements {} {}", self.from, self.to)
    }

    fn rules_day(&self) -> Date {
        self.to
    }

    fn tree_on(&self) -> Option<Date> {
        (!self.open()).then_some(self.to)
    }

    fn open(&self) -> bool {
        self.to >= today()
    }

    async fn count(&self, store: &Store, orgs: Orgs<'_>) -> StoreResult<BTreeMap<i64, Counts>> {
        let mut out: BTreeMap<i64, Counts> = BTreeMap::new();
        for counting in [ADMITTED, STARTED] {
            let rows = match self.tree_on() {
                None => self.count_now(store, orgs, &counting).await?,
                Some(day) => self.count_on(store, orgs, &counting, day).await?,
            };
            for (id, name, n) in rows {
                *out.entry(id).or_default().entry(name).or_default() += n;
            }
        }
        Ok(out)
    }
}

impl MovementsIn {
    /// At the organization each member belongs to now, in today's tree.
    async fn count_now(
        &self,
        store: &Store,
        orgs: Orgs<'_>,
        counting: &Counting,
    ) -> StoreResult<Vec<(i64, String, i64)>> {
        let ids = orgs.ids_by_path(store).await?;
        let Counting { join, when, by, .. } = counting;
        let sql = format!(
            "SELECT m.org_path{by}, COUNT(*) AS n FROM members m{join} WHERE {} AND {when} \
             GROUP BY m.org_path{by}",
            orgs.members_now("m")
        );
        let rows = orgs
            .bind_paths(store.db.select(sql))
            .bind(self.from.to_string())
            .bind(self.to.to_string())
            .fetch_all()
            .await?;
        let mut out = Vec::new();
        for r in &rows {
            if let Some(id) = ids.get(&text(r, "org_path")?) {
                out.push((*id, (counting.name)(r)?, int(r, "n")?));
            }
        }
        Ok(out)
    }

    /// At the cell each member stood at on `day` ([`MembersOn`]), among the organizations
    /// of the tree on `day`.
    async fn count_on(
        &self,
        store: &Store,
        orgs: Orgs<'_>,
        counting: &Counting,
        day: Date,
    ) -> StoreResult<Vec<(i64, String, i64)>> {
        let Counting { join, when, by, .. } = counting;
        let placed = MembersOn { orgs, day };
        let sql = format!(
            "SELECT p.org_id AS org_id{by}, COUNT(*) AS n FROM ({}) p \
             JOIN members m ON m.id = p.member_id{join} WHERE {when} GROUP BY p.org_id{by}",
            placed.table()
        );
        let rows = placed
            .bind(store.db.select(sql))
            .bind(self.from.to_string())
            .bind(self.to.to_string())
            .fetch_all()
            .await?;
        let mut out = Vec::new();
        for r in &rows {
            out.push((int(r, "org_id")?, (counting.name)(r)?, int(r, "n")?));
        }
        Ok(out)
    }
}
