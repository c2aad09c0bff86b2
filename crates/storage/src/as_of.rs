//! Counts of a subtree as it stood on a past date, computed from the history tables
//! (organization versions, memberships, status spans). Slower than the rollups, which
//! only know the present, but exact for any date.

use grassroots_domain::date::Date;
use grassroots_domain::tree_path;

use crate::orgs::OrgReader;
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
        let mut out = SubtreeCounts::default();
        let Some(root) = self
            .tree_as_of(scope, org_id, day)
            .await?
            .into_iter()
            .find(|v| v.org_id == org_id)
        else {
            return Ok(out);
        };
        let (lo, hi) = tree_path::subtree_range(&root.path);
        let on = day.to_string();
        let sql = self.db.sql(
            "SELECT kind, COUNT(*) AS n FROM org_versions WHERE path >= ? AND path < ? \
             AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) GROUP BY kind",
        );
        for r in sqlx::query(&sql)
            .bind(&lo)
            .bind(&hi)
            .bind(&on)
            .bind(&on)
            .fetch_all(self.db.read())
            .await?
        {
            out.orgs_by_kind.insert(text(&r, "kind")?, int(&r, "n")?);
        }
        let sql = self.db.sql(
            "SELECT s.status, COUNT(*) AS n FROM memberships ms \
             JOIN org_versions v ON v.org_id = ms.org_id AND v.valid_from <= ? AND (v.valid_to IS NULL OR v.valid_to > ?) \
             JOIN member_statuses s ON s.member_id = ms.member_id AND s.valid_from <= ? AND (s.valid_to IS NULL OR s.valid_to > ?) \
             WHERE ms.kind = 'official' AND ms.valid_from <= ? AND (ms.valid_to IS NULL OR ms.valid_to > ?) \
             AND v.path >= ? AND v.path < ? GROUP BY s.status",
        );
        let mut q = sqlx::query(&sql);
        for _ in 0..6 {
            q = q.bind(&on);
        }
        for r in q.bind(&lo).bind(&hi).fetch_all(self.db.read()).await? {
            out.members_by_status
                .insert(text(&r, "status")?, int(&r, "n")?);
        }
        Ok(out)
    }
}
