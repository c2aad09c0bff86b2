//! Counts of a subtree as it stood on a past date, computed from the history tables
//! (organization versions, memberships, status spans). Slower than the rollups, which
//! only know the present, but exact for any date. The members by status can be kept per
//! organization ([`crate::registry_parts`]): each member counts at the cell of their
//! official membership on that day.

use std::collections::BTreeMap;

use grassroots_domain::date::Date;
use grassroots_domain::tree_path;

use crate::db::placeholders;
use crate::orgs::OrgReader;
use crate::registry_parts::{Counted, Counts, Orgs, PartSet};
use crate::rollup::SubtreeCounts;
use crate::row::{int, text};
use crate::{Scope, Store, StoreResult};

impl Store {
    /// The subtree of `org_id` on `day`: organizations by kind (the root included) and
    /// members by status, each member counted in the cell of their official membership.
    pub async fn counts_as_of(
        &self,
        scope: &Scope,
        org_id: i64,
        day: Date,
    ) -> StoreResult<SubtreeCounts> {
        self.counts_as_of_counted(scope, org_id, day, Counted::FromRecords)
            .await
    }

    /// The same counts, the members by status `counted` from the records or from parts
    /// kept per organization; both give the same values.
    pub async fn counts_as_of_counted(
        &self,
        scope: &Scope,
        org_id: i64,
        day: Date,
        counted: Counted,
    ) -> StoreResult<SubtreeCounts> {
        let mut out = SubtreeCounts::default();
        self.org(scope, org_id).await?;
        let Some(root_path) = self.path_on(org_id, day).await? else {
            return Ok(out);
        };
        let (lo, hi) = tree_path::subtree_range(&root_path);
        let on = day.to_string();
        let sql = "SELECT kind, COUNT(*) AS n FROM org_versions WHERE path >= ? AND path < ? \
             AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) GROUP BY kind";
        for r in self
            .db
            .select(sql)
            .bind(&lo)
            .bind(&hi)
            .bind(&on)
            .bind(&on)
            .fetch_all()
            .await?
        {
            out.orgs_by_kind.insert(text(&r, "kind")?, int(&r, "n")?);
        }
        out.members_by_status = self
            .counts_of(&lo, &hi, &StatusesOn { day }, counted)
            .await?;
        Ok(out)
    }

    /// The path of an organization on `day`, if it existed then.
    pub(crate) async fn path_on(&self, org_id: i64, day: Date) -> StoreResult<Option<String>> {
        let sql = self.db.sql(
            "SELECT path FROM org_versions WHERE org_id = ? AND valid_from <= ? \
             AND (valid_to IS NULL OR valid_to > ?)",
        );
        let on = day.to_string();
        let row = sqlx::query(&sql)
            .bind(org_id)
            .bind(&on)
            .bind(&on)
            .fetch_optional(self.db.read())
            .await?;
        row.map(|r| text(&r, "path")).transpose()
    }
}

/// Members by status on `day`, each at the organization of their official membership then.
struct StatusesOn {
    day: Date,
}

impl PartSet for StatusesOn {
    fn key(&self) -> String {
        format!("statuses_on {}", self.day)
    }

    fn rules_day(&self) -> Date {
        self.day
    }

    fn tree_on(&self) -> Option<Date> {
        Some(self.day)
    }

    fn open(&self) -> bool {
        false
    }

    async fn count(&self, store: &Store, orgs: Orgs<'_>) -> StoreResult<BTreeMap<i64, Counts>> {
        let on = self.day.to_string();
        let (join, which) = match orgs {
            Orgs::Range(..) => (
                "JOIN org_versions v ON v.org_id = ms.org_id AND v.valid_from <= ? \
                 AND (v.valid_to IS NULL OR v.valid_to > ?)",
                "v.path >= ? AND v.path < ?".to_owned(),
            ),
            Orgs::Of(orgs) => ("", format!("ms.org_id IN ({})", placeholders(orgs.len()))),
        };
        let sql = format!(
            "SELECT ms.org_id, s.status, COUNT(*) AS n FROM memberships ms {join} \
                 JOIN member_statuses s ON s.member_id = ms.member_id AND s.valid_from <= ? \
                 AND (s.valid_to IS NULL OR s.valid_to > ?) \
                 WHERE ms.kind = 'official' AND ms.valid_from <= ? AND (ms.valid_to IS NULL OR ms.valid_to > ?) \
                 AND {which} GROUP BY ms.org_id, s.status"
        );
        let binds = if matches!(orgs, Orgs::Range(..)) {
            6
        } else {
            4
        };
        let mut q = store.db.select(sql);
        for _ in 0..binds {
            q = q.bind(on.clone());
        }
        let mut out: BTreeMap<i64, Counts> = BTreeMap::new();
        match orgs {
            Orgs::Range(lo, hi) => q = q.bind(lo.to_owned()).bind(hi.to_owned()),
            Orgs::Of(orgs) => {
                for org in orgs {
                    q = q.bind(org.id);
                }
            }
        }
        for r in q.fetch_all().await? {
            out.entry(int(&r, "org_id")?)
                .or_default()
                .insert(text(&r, "status")?, int(&r, "n")?);
        }
        Ok(out)
    }
}
