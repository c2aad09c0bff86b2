//! Reads: one record, a subject's history, and the annual review of an organization.

use std::collections::HashMap;

use grassroots_domain::DomainError;
use grassroots_domain::classification::{SubjectKind, Tally, is_classified_kind};
use grassroots_domain::date::Date;
use grassroots_domain::org::OrgKind;
use grassroots_domain::tree_path;
use serde::Serialize;

use super::figures::OrgsCounted;
use super::{COLUMNS, CURRENT, Classification, ClassificationReader, from_row};
use crate::lifecycle::rules;
use crate::orgs::{Org, OrgReader};
use crate::row::{int, opt_text, text};
use crate::{Scope, Store, StoreResult};

/// A member or an organization on the review page, with its current classification.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewRow {
    pub subject_kind: SubjectKind,
    pub subject_id: i64,
    pub name: String,
    /// The member's cell, or the organization's kind.
    pub detail: String,
    pub current: Option<Classification>,
}

/// The annual review of an organization for a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnnualReview {
    pub org: Org,
    pub year: i32,
    /// The rulebook in force at the end of the year (or today, for the running year).
    pub source: String,
    pub scheme: String,
    pub excellent_max_percent_of_good: Option<u32>,
    /// Members currently official or probationary in a grassroots organization's or cell's
    /// subtree (empty for a superior committee: its page lists organizations).
    pub members: Vec<ReviewRow>,
    /// The classified organizations strictly below a committee (empty for a cell).
    pub orgs: Vec<ReviewRow>,
    pub member_tally: Tally,
    pub org_tally: Tally,
}

impl Store {
    async fn current_of(
        &self,
        kind: SubjectKind,
        year: i32,
        ids: &[i64],
    ) -> StoreResult<HashMap<i64, Classification>> {
        let mut out = HashMap::new();
        // In pages, so that a large committee stays within every backend's bind limit.
        for chunk in ids.chunks(500) {
            let list = vec!["?"; chunk.len()].join(", ");
            let sql = self
                .db
                .sql(&format!(
                    "SELECT {COLUMNS} FROM classifications c WHERE c.subject_kind = ? AND c.year = ? \
                     AND c.subject_id IN ({list}) AND {CURRENT}"
                ))
                .into_owned();
            let mut q = sqlx::query(&sql).bind(kind.as_str()).bind(i64::from(year));
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(self.db.read()).await? {
                let c = from_row(&r)?;
                out.insert(c.subject_id, c);
            }
        }
        Ok(out)
    }
}

impl ClassificationReader for Store {
    async fn classification(&self, scope: &Scope, id: i64) -> StoreResult<Classification> {
        let sql = self
            .db
            .sql(&format!(
                "SELECT {COLUMNS}, o.path AS org_path FROM classifications c JOIN orgs o ON o.id = c.org_id WHERE c.id = ?"
            ))
            .into_owned();
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.db.read())
            .await?
            .ok_or_else(|| DomainError::not_found("classification", id))?;
        scope.check(&text(&row, "org_path")?, "classification", id)?;
        from_row(&row)
    }

    async fn classification_history(
        &self,
        scope: &Scope,
        subject_kind: SubjectKind,
        subject_id: i64,
        year: Option<i32>,
    ) -> StoreResult<Vec<Classification>> {
        let (lo, hi) = scope.range();
        let sql = self
            .db
            .sql(&format!(
                "SELECT {COLUMNS} FROM classifications c JOIN orgs o ON o.id = c.org_id \
                 WHERE c.subject_kind = ? AND c.subject_id = ? AND (? = 0 OR c.year = ?) \
                 AND o.path >= ? AND o.path < ? ORDER BY c.year DESC, c.revision DESC"
            ))
            .into_owned();
        let year = i64::from(year.unwrap_or(0));
        sqlx::query(&sql)
            .bind(subject_kind.as_str())
            .bind(subject_id)
            .bind(year)
            .bind(year)
            .bind(lo)
            .bind(hi)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(from_row)
            .collect()
    }

    async fn annual_review(
        &self,
        scope: &Scope,
        org_id: i64,
        year: i32,
    ) -> StoreResult<AnnualReview> {
        let org = self.org(scope, org_id).await?;
        let record = format!("annual review of {}", org.code);
        let (Some(first), Some(last)) = (
            Date::from_ymd_opt(year, 1, 1),
            Date::from_ymd_opt(year, 12, 31),
        ) else {
            return Err(
                DomainError::invalid(record, "year", format!("{year} is not a year")).into(),
            );
        };
        let book = rules(last.min(crate::orgs::today()))?;
        let (lo, hi) = tree_path::subtree_range(&org.path);

        let mut members = Vec::new();
        if is_classified_kind(org.kind) {
            let sql = self.db.sql(
                "SELECT m.id, m.full_name, o.name AS cell FROM members m JOIN orgs o ON o.id = m.org_id \
                 WHERE m.org_path >= ? AND m.org_path < ? AND m.status IN ('official', 'probationary') \
                 ORDER BY m.sort_key, m.id",
            );
            let rows = sqlx::query(&sql)
                .bind(&lo)
                .bind(&hi)
                .fetch_all(self.db.read())
                .await?;
            let ids = rows
                .iter()
                .map(|r| int(r, "id"))
                .collect::<StoreResult<Vec<_>>>()?;
            let mut current = self.current_of(SubjectKind::Member, year, &ids).await?;
            for (r, id) in rows.iter().zip(ids) {
                members.push(ReviewRow {
                    subject_kind: SubjectKind::Member,
                    subject_id: id,
                    name: text(r, "full_name")?,
                    detail: text(r, "cell")?,
                    current: current.remove(&id),
                });
            }
        }

        let mut orgs = Vec::new();
        if !matches!(org.kind, OrgKind::GrassrootsCell | OrgKind::Cell) {
            let sql = self.db.sql(
                "SELECT id, name, kind FROM orgs WHERE path > ? AND path < ? \
                 AND kind IN ('grassroots_committee', 'grassroots_cell', 'cell') \
                 AND founded_on <= ? AND (dissolved_on IS NULL OR dissolved_on >= ?) ORDER BY path",
            );
            let rows = sqlx::query(&sql)
                .bind(&org.path)
                .bind(&hi)
                .bind(last.to_string())
                .bind(first.to_string())
                .fetch_all(self.db.read())
                .await?;
            let ids = rows
                .iter()
                .map(|r| int(r, "id"))
                .collect::<StoreResult<Vec<_>>>()?;
            let mut current = self.current_of(SubjectKind::Org, year, &ids).await?;
            for (r, id) in rows.iter().zip(ids) {
                orgs.push(ReviewRow {
                    subject_kind: SubjectKind::Org,
                    subject_id: id,
                    name: text(r, "name")?,
                    detail: opt_text(r, "kind")?.unwrap_or_default(),
                    current: current.remove(&id),
                });
            }
        }

        let (member_tally, org_tally) = self
            .classification_tallies(scope, org.id, year, OrgsCounted::AllClassified)
            .await?;
        Ok(AnnualReview {
            org,
            year,
            source: book.classification.source.clone(),
            scheme: book.classification.scheme.clone(),
            excellent_max_percent_of_good: book.classification.excellent_max_percent_of_good,
            members,
            orgs,
            member_tally,
            org_tally,
        })
    }
}
