//! Badge lists: the members of a subtree who reach a badge level (30, 40, 45 ... 90 years of
//! party age) by an award day and after the previous one.

use std::collections::{BTreeMap, HashMap};

use grassroots_domain::date::Date;
use grassroots_domain::lifecycle::badges::{BadgeDue, badge_due};
use grassroots_domain::lifecycle::party_age::Gap;
use grassroots_domain::rulebook::BadgeRules;
use serde::{Deserialize, Serialize};

use super::rules;
use crate::db::placeholders;
use crate::placed_members::MembersOn;
use crate::registry_parts::{Counts, Orgs, PartSet};
use crate::row::{date, int, opt_int, text};
use crate::select::Row;
use crate::{Scope, Store, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadgeRow {
    pub member_id: i64,
    pub full_name: String,
    pub org_id: Option<i64>,
    pub admitted_on: Date,
    #[serde(flatten)]
    pub badge: BadgeDue,
}

/// How many members are due each badge level (`"30"`, `"40"` ...) at the award days `days`
/// (as [`Store::badges_due`] would list them, day by day): the members active now at the
/// organization they belong to now, or, for a period that has ended, those active on its
/// last day where they stood that day ([`MembersOn`]).
pub(crate) struct BadgesDue {
    pub from: Date,
    pub to: Date,
    pub days: Vec<Date>,
}

impl PartSet for BadgesDue {
    fn key(&self) -> String {
        format!("badges_due {} {}", self.from, self.to)
    }

    fn rules_day(&self) -> Date {
        self.to
    }

    fn tree_on(&self) -> Option<Date> {
        (!self.open()).then_some(self.to)
    }

    fn open(&self) -> bool {
        // A period that has not ended is asked again tomorrow with a new end: the counts
        // of earlier days are pruned.
        self.to >= crate::orgs::today()
    }

    /// Without listing the members: those with a gap out of the party one by one, the
    /// others grouped by organization and admission date (their badge depends on nothing
    /// else), so a province is one grouped read.
    async fn count(&self, store: &Store, orgs: Orgs<'_>) -> StoreResult<BTreeMap<i64, Counts>> {
        let mut tally = Tally::default();
        if self.days.is_empty() {
            return Ok(tally.out);
        }
        // The rules of each award day, read once (a province has thousands of dates).
        tally.books = self
            .days
            .iter()
            .map(|day| Ok((*day, rules(*day)?.badges)))
            .collect::<StoreResult<Vec<_>>>()?;
        match self.tree_on() {
            None => self.count_now(store, orgs, &mut tally).await?,
            Some(day) => {
                self.count_on(store, MembersOn { orgs, day }, &mut tally)
                    .await?;
            }
        }
        Ok(tally.out)
    }
}

/// Members due each badge level at the award days, by organization.
#[derive(Default)]
struct Tally {
    books: Vec<(Date, BadgeRules)>,
    out: BTreeMap<i64, Counts>,
}

impl Tally {
    /// Adds `n` members of `org` admitted on `admitted` with `gaps` out of the party.
    fn add(&mut self, org: i64, admitted: Date, gaps: &[Gap], n: i64) -> StoreResult<()> {
        for (day, badges) in &self.books {
            if let Some(badge) = badge_due(badges, admitted, gaps, *day)? {
                *self
                    .out
                    .entry(org)
                    .or_default()
                    .entry(badge.years.to_string())
                    .or_default() += n;
            }
        }
        Ok(())
    }
}

/// Active members with an admission date, on the `members` table under `m`.
const ACTIVE_NOW: &str =
    "m.admitted_on IS NOT NULL AND m.status IN ('official', 'temporarily_exempt', 'exempt')";

impl BadgesDue {
    /// The members active now, at the organization they belong to now.
    async fn count_now(&self, store: &Store, orgs: Orgs<'_>, tally: &mut Tally) -> StoreResult<()> {
        let gaps = store.gaps_of(orgs).await?;
        let sql = format!(
            "SELECT m.org_path, m.admitted_on, COUNT(*) AS n FROM members m WHERE {} \
                 AND {ACTIVE_NOW} GROUP BY m.org_path, m.admitted_on",
            orgs.members_now("m")
        );
        let grouped = orgs.bind_paths(store.db.select(sql)).fetch_all().await?;
        let ids = orgs.ids_by_path(store).await?;
        let org_of =
            |r: &Row| -> StoreResult<Option<i64>> { Ok(ids.get(&text(r, "org_path")?).copied()) };
        for r in &grouped {
            if let Some(org) = org_of(r)? {
                tally.add(org, date(r, "admitted_on")?, &[], int(r, "n")?)?;
            }
        }
        if !gaps.is_empty() {
            // Members with gaps were counted above as if they had none: take that back and
            // count them with their gaps.
            let sql = format!(
                "SELECT m.id, m.org_path, m.admitted_on FROM members m WHERE {} AND {ACTIVE_NOW} \
                     AND m.id IN (SELECT member_id FROM member_outcomes)",
                orgs.members_now("m")
            );
            for r in orgs.bind_paths(store.db.select(sql)).fetch_all().await? {
                let (id, admitted) = (int(&r, "id")?, date(&r, "admitted_on")?);
                if let (Some(member_gaps), Some(org)) = (gaps.get(&id), org_of(&r)?) {
                    tally.add(org, admitted, &[], -1)?;
                    tally.add(org, admitted, member_gaps, 1)?;
                }
            }
        }
        Ok(())
    }

    /// The members active on the period's last day, where they stood that day.
    async fn count_on(
        &self,
        store: &Store,
        placed: MembersOn<'_>,
        tally: &mut Tally,
    ) -> StoreResult<()> {
        let active_then = "m.admitted_on IS NOT NULL AND EXISTS (SELECT 1 FROM member_statuses s \
             WHERE s.member_id = m.id AND s.status IN ('official', 'temporarily_exempt', 'exempt') \
             AND s.valid_from <= ? AND (s.valid_to IS NULL OR s.valid_to > ?))";
        let on = placed.day.to_string();
        // One read: those without an outcome on record grouped by organization and
        // admission date, those with one (`gapped`) one by one, to be counted with their gaps.
        let sql = format!(
            "SELECT p.org_id, m.admitted_on, CASE WHEN EXISTS (SELECT 1 FROM member_outcomes o \
             WHERE o.member_id = m.id) THEN m.id END AS gapped, COUNT(*) AS n \
             FROM ({}) p JOIN members m ON m.id = p.member_id WHERE {active_then} \
             GROUP BY p.org_id, m.admitted_on, gapped",
            placed.table()
        );
        let rows = placed
            .bind(store.db.select(sql))
            .bind(on.clone())
            .bind(on)
            .fetch_all()
            .await?;
        let mut gapped = Vec::new();
        for r in &rows {
            match opt_int(r, "gapped")? {
                None => {
                    tally.add(
                        int(r, "org_id")?,
                        date(r, "admitted_on")?,
                        &[],
                        int(r, "n")?,
                    )?;
                }
                Some(id) => gapped.push((id, int(r, "org_id")?, date(r, "admitted_on")?)),
            }
        }
        let ids: Vec<i64> = gapped.iter().map(|(id, _, _)| *id).collect();
        let gaps = store.gaps_of_members(&ids).await?;
        for (id, org, admitted) in gapped {
            let member_gaps = gaps.get(&id).map(Vec::as_slice).unwrap_or(&[]);
            tally.add(org, admitted, member_gaps, 1)?;
        }
        Ok(())
    }
}

impl Store {
    /// The gaps out of the party of each of `ids`, 500 members a read.
    async fn gaps_of_members(&self, ids: &[i64]) -> StoreResult<HashMap<i64, Vec<Gap>>> {
        let mut out: HashMap<i64, Vec<Gap>> = HashMap::new();
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT member_id, kind, effective_on FROM member_outcomes WHERE member_id IN ({}) \
                 ORDER BY member_id, effective_on, id",
                placeholders(chunk.len())
            );
            let rows = self
                .db
                .select(sql)
                .bind_all(chunk.iter().copied())
                .fetch_all()
                .await?;
            for r in &rows {
                let gaps = out.entry(int(r, "member_id")?).or_default();
                super::add_outcome_to_gaps(gaps, &text(r, "kind")?, date(r, "effective_on")?);
            }
        }
        Ok(out)
    }

    /// The gaps out of the party of every member now in `orgs`, in one read.
    pub(crate) async fn gaps_of(&self, orgs: Orgs<'_>) -> StoreResult<HashMap<i64, Vec<Gap>>> {
        let sql = format!(
            "SELECT o.member_id, o.kind, o.effective_on FROM member_outcomes o JOIN members m ON m.id = o.member_id \
                 WHERE {} ORDER BY o.member_id, o.effective_on, o.id",
            orgs.members_now("m")
        );
        let rows = orgs.bind_paths(self.db.select(sql)).fetch_all().await?;
        let mut out: HashMap<i64, Vec<Gap>> = HashMap::new();
        for r in &rows {
            let gaps = out.entry(int(r, "member_id")?).or_default();
            super::add_outcome_to_gaps(gaps, &text(r, "kind")?, date(r, "effective_on")?);
        }
        Ok(out)
    }

    /// Active members of an organization's subtree due a badge at `award_day`, highest
    /// level first, then by name.
    pub async fn badges_due(
        &self,
        scope: &Scope,
        org_id: i64,
        award_day: Date,
    ) -> StoreResult<Vec<BadgeRow>> {
        let (_, lo, hi) = super::subtree_range(self, scope, org_id).await?;
        let book = rules(award_day)?;
        let gaps = self.gaps_of(Orgs::Range(&lo, &hi)).await?;
        let sql = "SELECT id, full_name, org_id, admitted_on FROM members WHERE org_path >= ? AND org_path < ? \
             AND admitted_on IS NOT NULL AND status IN ('official', 'temporarily_exempt', 'exempt') ORDER BY sort_key, id";
        let rows = self.db.select(sql).bind(&lo).bind(&hi).fetch_all().await?;
        let mut out = Vec::new();
        for r in &rows {
            let id = int(r, "id")?;
            let admitted_on = date(r, "admitted_on")?;
            let member_gaps = gaps.get(&id).map(Vec::as_slice).unwrap_or(&[]);
            if let Some(badge) = badge_due(&book.badges, admitted_on, member_gaps, award_day)? {
                out.push(BadgeRow {
                    member_id: id,
                    full_name: text(r, "full_name")?,
                    org_id: opt_int(r, "org_id")?,
                    admitted_on,
                    badge,
                });
            }
        }
        out.sort_by_key(|r| std::cmp::Reverse(r.badge.years));
        Ok(out)
    }
}
