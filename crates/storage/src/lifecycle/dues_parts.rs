//! The dues figures of a subtree (`dues.due`, `dues.arrears_members`, `dues.collected`),
//! counted per organization and kept like the other registry counts
//! ([`crate::registry_parts`]).
//!
//! Both figures take every current member's dues ledger ([`super::dues_ledger`]): a province
//! is a hundred thousand ledgers and more. But each member counts at exactly one
//! organization, the one they belong to now (`members.org_path`), and a payment at the cell
//! that recorded it (`dues_payments.org_path`). For a period that has ended, the members
//! are those who stood in the subtree on its last day, wherever they are now
//! ([`MembersOn`]: a district dissolved since owes and collected what its cells did), and
//! the payments those its cells recorded, in the tree of that day. So the figures are a
//! [`PartSet`]: each
//! organization's part is kept with its own registry counter (a payment, an income
//! declaration, a relief or a status change of one of its members moves it), each subtree's
//! with its subtree counter, and a report computes again only what a write touched. A part
//! covers a span of months, not of days, so the running year's parts stay valid all month.

use std::collections::BTreeMap;

use grassroots_domain::date::Date;
use grassroots_domain::lifecycle::dues::YearMonth;

use super::dues::DuesLine;
use crate::placed_members::MembersOn;
use crate::registry_parts::{Counted, Counts, Orgs, PartSet};
use crate::row::{int, text};
use crate::{Store, StoreResult};

/// What the current members of a subtree owe over a span of months, and what its
/// organizations collected for those months.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct DuesPart {
    pub due_vnd: i64,
    pub arrears_members: i64,
    pub collected_vnd: i64,
}

impl DuesPart {
    fn counts(self) -> Counts {
        Counts::from([
            ("due_vnd".to_owned(), self.due_vnd),
            ("arrears_members".to_owned(), self.arrears_members),
            ("collected_vnd".to_owned(), self.collected_vnd),
        ])
    }

    /// Adds one member's dues lines: what was due, and the member if any month is owed.
    fn add_member(&mut self, lines: &[DuesLine]) {
        self.due_vnd += lines.iter().map(|l| l.due_vnd() as i64).sum::<i64>();
        if lines.iter().any(|l| l.owed_vnd() > 0) {
            self.arrears_members += 1;
        }
    }

    fn from_counts(counts: &Counts) -> DuesPart {
        let get = |name: &str| counts.get(name).copied().unwrap_or(0);
        DuesPart {
            due_vnd: get("due_vnd"),
            arrears_members: get("arrears_members"),
            collected_vnd: get("collected_vnd"),
        }
    }
}

impl Store {
    /// The dues figures of the members in `[lo, hi)` for the months `[first, last]`: the
    /// members there now, or with `on`, those who stood there on that day (the range is then
    /// one of the tree of that day); `counted` from the records or from kept parts.
    pub(crate) async fn dues_part(
        &self,
        (lo, hi): (&str, &str),
        first: YearMonth,
        last: YearMonth,
        on: Option<Date>,
        counted: Counted,
    ) -> StoreResult<DuesPart> {
        let counts = self
            .counts_of(lo, hi, &DuesIn { first, last, on }, counted)
            .await?;
        Ok(DuesPart::from_counts(&counts))
    }

    /// The dues figures of the current members of `orgs`, by the path of their
    /// organization, with the payments those organizations recorded. Only members with a
    /// declared income owe an amount; the others add nothing.
    async fn dues_by_path(
        &self,
        orgs: Orgs<'_>,
        first: YearMonth,
        last: YearMonth,
    ) -> StoreResult<BTreeMap<String, DuesPart>> {
        let sql = format!(
            "SELECT id, org_path FROM members WHERE {} \
             AND status IN ('probationary', 'official', 'temporarily_exempt', 'exempt') \
             AND EXISTS (SELECT 1 FROM dues_incomes d WHERE d.member_id = members.id)",
            orgs.members_now("members")
        );
        let q = orgs.bind_paths(self.db.select(sql));
        let mut path_of: BTreeMap<i64, String> = BTreeMap::new();
        for r in q.fetch_all().await? {
            path_of.insert(int(&r, "id")?, text(&r, "org_path")?);
        }
        let ids: Vec<i64> = path_of.keys().copied().collect();
        let mut out: BTreeMap<String, DuesPart> = BTreeMap::new();
        for (id, lines) in self.dues_of_members(&ids, first, last).await? {
            let Some(path) = path_of.get(&id) else {
                continue;
            };
            out.entry(path.clone()).or_default().add_member(&lines);
        }
        // A payment counts at the organization that recorded it (its `org_path`).
        let sql = format!(
            "SELECT org_path, CAST(SUM(amount_vnd) AS BIGINT) AS paid FROM dues_payments \
             WHERE {} AND month >= ? AND month <= ? GROUP BY org_path",
            orgs.members_now("dues_payments")
        );
        let q = orgs.bind_paths(self.db.select(sql));
        for r in q
            .bind(first.to_string())
            .bind(last.to_string())
            .fetch_all()
            .await?
        {
            out.entry(text(&r, "org_path")?).or_default().collected_vnd += int(&r, "paid")?;
        }
        Ok(out)
    }

    /// The dues figures of the members who stood at `placed.orgs` on its day, by
    /// organization, with the payments those organizations recorded. Every member placed
    /// there who declared an income counts, whatever their status now: the ledger has lines
    /// only for the months they were active.
    async fn dues_by_org_on(
        &self,
        placed: MembersOn<'_>,
        first: YearMonth,
        last: YearMonth,
    ) -> StoreResult<BTreeMap<i64, DuesPart>> {
        let sql = format!(
            "SELECT p.member_id, p.org_id FROM ({}) p \
             WHERE EXISTS (SELECT 1 FROM dues_incomes d WHERE d.member_id = p.member_id)",
            placed.table()
        );
        let mut org_of: BTreeMap<i64, i64> = BTreeMap::new();
        for r in placed.bind(self.db.select(sql)).fetch_all().await? {
            org_of.insert(int(&r, "member_id")?, int(&r, "org_id")?);
        }
        let ids: Vec<i64> = org_of.keys().copied().collect();
        let mut out: BTreeMap<i64, DuesPart> = BTreeMap::new();
        for (id, lines) in self.dues_of_members(&ids, first, last).await? {
            let Some(org) = org_of.get(&id) else {
                continue;
            };
            out.entry(*org).or_default().add_member(&lines);
        }
        let sql = format!(
            "SELECT p.org_id, CAST(SUM(p.amount_vnd) AS BIGINT) AS paid FROM dues_payments p \
             WHERE {} AND p.month >= ? AND p.month <= ? GROUP BY p.org_id",
            placed.orgs_condition("p.org_path")
        );
        for r in placed
            .bind_orgs(self.db.select(sql))
            .bind(first.to_string())
            .bind(last.to_string())
            .fetch_all()
            .await?
        {
            out.entry(int(&r, "org_id")?).or_default().collected_vnd += int(&r, "paid")?;
        }
        Ok(out)
    }
}

/// The dues of the months `[first, last]`, at each organization: of its members now, or,
/// with `on`, of those who stood there on that day.
struct DuesIn {
    first: YearMonth,
    last: YearMonth,
    on: Option<Date>,
}

impl PartSet for DuesIn {
    fn key(&self) -> String {
        match self.on {
            None => format!("dues {} {}", self.first, self.last),
            Some(day) => format!("dues {} {} on {day}", self.first, self.last),
        }
    }

    fn rules_day(&self) -> Date {
        self.last.last_day()
    }

    fn tree_on(&self) -> Option<Date> {
        self.on
    }

    fn open(&self) -> bool {
        false
    }

    async fn count(&self, store: &Store, orgs: Orgs<'_>) -> StoreResult<BTreeMap<i64, Counts>> {
        if let Some(day) = self.on {
            let placed = MembersOn { orgs, day };
            let by_org = store.dues_by_org_on(placed, self.first, self.last).await?;
            return Ok(by_org
                .into_iter()
                .map(|(org, part)| (org, part.counts()))
                .collect());
        }
        let by_path = store.dues_by_path(orgs, self.first, self.last).await?;
        let ids = orgs.ids_by_path(store).await?;
        Ok(by_path
            .into_iter()
            .filter_map(|(path, part)| ids.get(&path).map(|id| (*id, part.counts())))
            .collect())
    }
}
