//! Movements of the membership during a period, counted at the organization each member
//! belongs to now: members admitted in the period, and status spans starting in it (an
//! official recognition, a removal, a death, a transfer out ...). Both can be kept per
//! organization ([`crate::registry_parts`]).

use std::collections::BTreeMap;

use grassroots_domain::date::Date;
use grassroots_domain::tree_path;

use crate::orgs::today;
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
    /// The movements of the members now in the subtree at `path` during `[from, to]`,
    /// `counted` from the records or from parts kept per organization.
    pub async fn movements(
        &self,
        path: &str,
        from: Date,
        to: Date,
        counted: Counted,
    ) -> StoreResult<Movements> {
        let (lo, hi) = tree_path::subtree_range(path);
        let counts = self
            .counts_of(&lo, &hi, &MovementsIn { from, to }, counted)
            .await?;
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

/// `"admitted"` and `"started.<status>"` for the members now in each organization.
struct MovementsIn {
    from: Date,
    to: Date,
}

impl PartSet for MovementsIn {
    fn key(&self) -> String {
        format!("movements {} {}", self.from, self.to)
    }

    fn rules_day(&self) -> Date {
        self.to
    }

    fn open(&self) -> bool {
        self.to >= today()
    }

    async fn count(&self, store: &Store, orgs: Orgs<'_>) -> StoreResult<BTreeMap<i64, Counts>> {
        let ids = orgs.ids_by_path(store).await?;
        let (from, to) = (self.from.to_string(), self.to.to_string());
        let mut out: BTreeMap<i64, Counts> = BTreeMap::new();
        let mut add = |path: String, name: String, n: i64| {
            if let Some(id) = ids.get(&path) {
                *out.entry(*id).or_default().entry(name).or_default() += n;
            }
        };
        let sql = format!(
            "SELECT m.org_path, COUNT(*) AS n FROM members m WHERE {} \
                 AND m.admitted_on >= ? AND m.admitted_on <= ? GROUP BY m.org_path",
            orgs.members_now("m")
        );
        for r in orgs
            .bind_paths(store.db.select(sql))
            .bind(from.clone())
            .bind(to.clone())
            .fetch_all()
            .await?
        {
            add(text(&r, "org_path")?, "admitted".into(), int(&r, "n")?);
        }
        let sql = format!(
            "SELECT m.org_path, s.status, COUNT(*) AS n FROM member_statuses s \
                 JOIN members m ON m.id = s.member_id WHERE {} \
                 AND s.valid_from >= ? AND s.valid_from <= ? GROUP BY m.org_path, s.status",
            orgs.members_now("m")
        );
        for r in orgs
            .bind_paths(store.db.select(sql))
            .bind(from)
            .bind(to)
            .fetch_all()
            .await?
        {
            add(
                text(&r, "org_path")?,
                format!("started.{}", text(&r, "status")?),
                int(&r, "n")?,
            );
        }
        Ok(out)
    }
}
