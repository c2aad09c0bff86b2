//! Badge lists: the members of a subtree who reach a badge level (30, 40, 45 ... 90 years of
//! party age) by an award day and after the previous one.

use std::collections::{BTreeMap, HashMap};

use grassroots_domain::date::Date;
use grassroots_domain::lifecycle::badges::{BadgeDue, badge_due};
use grassroots_domain::lifecycle::party_age::Gap;
use serde::{Deserialize, Serialize};

use super::rules;
use crate::row::{date, int, opt_int, text};
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

impl Store {
    /// How many members of a path range are due each badge level at the award days `days`
    /// (as [`Store::badges_due`] would list them, day by day), without listing them: the
    /// members with a gap out of the party one by one, the others grouped by admission date
    /// (their badge depends on nothing else), so a province is one grouped read.
    pub(crate) async fn badge_counts(
        &self,
        lo: &str,
        hi: &str,
        days: &[Date],
    ) -> StoreResult<BTreeMap<u32, i64>> {
        let mut out = BTreeMap::new();
        if days.is_empty() {
            return Ok(out);
        }
        let gaps = self.gaps_in_range(lo, hi).await?;
        let active =
            "admitted_on IS NOT NULL AND status IN ('official', 'temporarily_exempt', 'exempt')";
        let sql = self
            .db
            .sql(&format!(
                "SELECT admitted_on, COUNT(*) AS n FROM members WHERE org_path >= ? AND org_path < ? \
                 AND {active} GROUP BY admitted_on"
            ))
            .into_owned();
        let grouped = sqlx::query(&sql)
            .bind(lo)
            .bind(hi)
            .fetch_all(self.db.read())
            .await?;
        // The rules of each award day, read once (a province has thousands of dates).
        let books = days
            .iter()
            .map(|day| Ok((*day, rules(*day)?.badges)))
            .collect::<StoreResult<Vec<_>>>()?;
        let mut tally = |admitted: Date, member_gaps: &[Gap], n: i64| -> StoreResult<()> {
            for (day, badges) in &books {
                if let Some(badge) = badge_due(badges, admitted, member_gaps, *day)? {
                    *out.entry(badge.years).or_default() += n;
                }
            }
            Ok(())
        };
        for r in &grouped {
            tally(date(r, "admitted_on")?, &[], int(r, "n")?)?;
        }
        if !gaps.is_empty() {
            // Members with gaps were counted above as if they had none: take that back and
            // count them with their gaps.
            let sql = self
                .db
                .sql(&format!(
                    "SELECT id, admitted_on FROM members WHERE org_path >= ? AND org_path < ? AND {active} \
                     AND id IN (SELECT member_id FROM member_outcomes)"
                ))
                .into_owned();
            for r in sqlx::query(&sql)
                .bind(lo)
                .bind(hi)
                .fetch_all(self.db.read())
                .await?
            {
                let (id, admitted) = (int(&r, "id")?, date(&r, "admitted_on")?);
                if let Some(member_gaps) = gaps.get(&id) {
                    tally(admitted, &[], -1)?;
                    tally(admitted, member_gaps, 1)?;
                }
            }
        }
        Ok(out)
    }

    /// The gaps out of the party of every member in a path range, in one read.
    pub(crate) async fn gaps_in_range(
        &self,
        lo: &str,
        hi: &str,
    ) -> StoreResult<HashMap<i64, Vec<Gap>>> {
        let sql = self.db.sql(
            "SELECT o.member_id, o.kind, o.effective_on FROM member_outcomes o JOIN members m ON m.id = o.member_id \
             WHERE m.org_path >= ? AND m.org_path < ? ORDER BY o.member_id, o.effective_on, o.id",
        );
        let rows = sqlx::query(&sql)
            .bind(lo)
            .bind(hi)
            .fetch_all(self.db.read())
            .await?;
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
        let gaps = self.gaps_in_range(&lo, &hi).await?;
        let sql = self.db.sql(
            "SELECT id, full_name, org_id, admitted_on FROM members WHERE org_path >= ? AND org_path < ? \
             AND admitted_on IS NOT NULL AND status IN ('official', 'temporarily_exempt', 'exempt') ORDER BY sort_key, id",
        );
        let rows = sqlx::query(&sql)
            .bind(&lo)
            .bind(&hi)
            .fetch_all(self.db.read())
            .await?;
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
