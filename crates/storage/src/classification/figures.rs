//! The tallies of a subtree's current classifications for a review year: members by level
//! (by their record's organization) and organizations by level, in the tree of the year's last
//! day once it has passed (`crate::placed_tree`): a district dissolved since counts the
//! organizations that were below it then. Each read goes from the subtree's organizations (a
//! path range of `orgs_path`, or of `org_versions_path` in a past tree) to their records of
//! the year (`classifications_org_year`), so a commune reads its own records only.
//! `CROSS JOIN` keeps that order on SQLite (whose planner would otherwise scan every record
//! of the subject kind); PostgreSQL plans it as the inner join it is.

use grassroots_domain::DomainError;
use grassroots_domain::classification::{Level, Tally};
use grassroots_domain::date::Date;
use grassroots_domain::tree_path;

use super::CURRENT;
use crate::orgs::OrgReader;
use crate::placed_tree;
use crate::row::{int, parsed};
use crate::{Scope, Store, StoreResult};

/// Which classified organizations a tally counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgsCounted {
    /// Grassroots committees and grassroots cells, the unit the reports quote.
    Grassroots,
    /// Those and the cells under grassroots committees (the review page of a committee).
    AllClassified,
}

impl Store {
    /// The members classified in `year` whose record belongs to the subtree of `org_id`, and
    /// the organizations strictly below it classified in `year`, by current level; in the tree
    /// of the year's last day once it has passed.
    pub async fn classification_tallies(
        &self,
        scope: &Scope,
        org_id: i64,
        year: i32,
        orgs: OrgsCounted,
    ) -> StoreResult<(Tally, Tally)> {
        let org = self.org(scope, org_id).await?;
        let year_end = Date::from_ymd_opt(year, 12, 31).ok_or_else(|| {
            DomainError::invalid("classification", "year", format!("{year} is not a year"))
        })?;
        let tree_on = placed_tree::tree_on(year_end);
        let placed = placed_tree::placed(tree_on);
        let Some(path) = self.placed_path(&org, tree_on).await? else {
            // The organization has no version at all.
            return Ok((Tally::default(), Tally::default()));
        };
        let (lo, hi) = tree_path::subtree_range(&path);
        let sql = self
            .db
            .sql(&format!(
                "SELECT c.level, COUNT(*) AS n FROM {placed} o CROSS JOIN classifications c \
                 WHERE c.org_id = o.id AND c.subject_kind = 'member' AND c.year = ? AND o.path >= ? AND o.path < ? AND {CURRENT} \
                 GROUP BY c.level"
            ))
            .into_owned();
        let mut members = Tally::default();
        for r in sqlx::query(&sql)
            .bind(i64::from(year))
            .bind(&lo)
            .bind(&hi)
            .fetch_all(self.db.read())
            .await?
        {
            members.add(parsed(&r, "level", Level::parse)?, int(&r, "n")?);
        }
        let kinds = match orgs {
            OrgsCounted::Grassroots => "'grassroots_committee', 'grassroots_cell'",
            OrgsCounted::AllClassified => "'grassroots_committee', 'grassroots_cell', 'cell'",
        };
        let sql = self
            .db
            .sql(&format!(
                "SELECT c.level, COUNT(*) AS n FROM {placed} o CROSS JOIN classifications c \
                 WHERE c.org_id = o.id AND c.subject_kind = 'org' AND c.year = ? AND o.path > ? AND o.path < ? \
                 AND o.kind IN ({kinds}) AND {CURRENT} GROUP BY c.level"
            ))
            .into_owned();
        let mut organizations = Tally::default();
        for r in sqlx::query(&sql)
            .bind(i64::from(year))
            .bind(&path)
            .bind(&hi)
            .fetch_all(self.db.read())
            .await?
        {
            organizations.add(parsed(&r, "level", Level::parse)?, int(&r, "n")?);
        }
        Ok((members, organizations))
    }
}
