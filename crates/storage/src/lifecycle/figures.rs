//! The lifecycle figures of a subtree over a period, under dotted keys with a short
//! description each, for reports: admissions, recognitions, transfers, outcomes, badges,
//! dues, the candidate pipeline and overdue steps.

use std::collections::BTreeMap;

use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use grassroots_domain::figures::{Figure, FigureValue};
use grassroots_domain::lifecycle::admission::AdmissionStep;
use grassroots_domain::lifecycle::dues::YearMonth;

use super::badges::BadgesDue;
use super::probation::OnProbation;
use super::rules;
use crate::row::int;
use crate::{Scope, Store, StoreError, StoreResult};

use crate::registry_parts::Counted;

fn figure(key: impl Into<String>, description: impl Into<String>, value: i64) -> Figure {
    Figure::count(key, value, description)
}

fn vnd(key: &str, description: &str, value: i64) -> Figure {
    Figure {
        key: key.into(),
        value: FigureValue::Vnd(value),
        description: description.into(),
    }
}

impl Store {
    async fn count(&self, sql: &str, binds: &[&str]) -> StoreResult<i64> {
        let sql = self.db.sql(sql).into_owned();
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = q.bind(b.to_string());
        }
        let row = q.fetch_one(self.db.read()).await?;
        int(&row, "n")
    }

    /// Every lifecycle figure of the subtree of `org_id` for `[from, to]` (dates inclusive),
    /// counted from the records. Pipeline, probation and overdue counts are taken as of `to`.
    pub async fn lifecycle_figures(
        &self,
        scope: &Scope,
        org_id: i64,
        from: Date,
        to: Date,
    ) -> StoreResult<Vec<Figure>> {
        self.lifecycle_figures_counted(scope, org_id, from, to, Counted::FromRecords)
            .await
    }

    /// The same figures, the dues, badge and probation ones `counted` from the records or
    /// from parts kept per organization ([`super::dues_parts`], [`crate::registry_parts`]);
    /// both give the same values.
    pub async fn lifecycle_figures_counted(
        &self,
        scope: &Scope,
        org_id: i64,
        from: Date,
        to: Date,
        counted: Counted,
    ) -> StoreResult<Vec<Figure>> {
        if to < from {
            return Err(
                DomainError::invalid("figures", "to", format!("{to} is before {from}")).into(),
            );
        }
        let (_, lo, hi) = super::subtree_range(self, scope, org_id).await?;
        let (f, t) = (from.to_string(), to.to_string());
        let mut out = Vec::new();
        let admitted = self
            .count(
                "SELECT COUNT(*) AS n FROM candidate_steps s JOIN candidates c ON c.id = s.candidate_id \
                 WHERE s.step = 'decision' AND s.done_on >= ? AND s.done_on <= ? AND c.org_path >= ? AND c.org_path < ?",
                &[&f, &t, &lo, &hi],
            )
            .await?;
        out.push(figure(
            "members.admitted",
            "Members admitted (admission decisions)",
            admitted,
        ));
        let recognized = self
            .count(
                "SELECT COUNT(*) AS n FROM recognitions WHERE reviewed_on >= ? AND reviewed_on <= ? AND org_path >= ? AND org_path < ?",
                &[&f, &t, &lo, &hi],
            )
            .await?;
        out.push(figure(
            "members.recognized_official",
            "Probationary members recognized as official",
            recognized,
        ));
        let transferred_in = self
            .count(
                "SELECT COUNT(*) AS n FROM transfer_letters WHERE state = 'accepted' AND accepted_on >= ? AND accepted_on <= ? \
                 AND to_path >= ? AND to_path < ? AND NOT (from_path >= ? AND from_path < ?)",
                &[&f, &t, &lo, &hi, &lo, &hi],
            )
            .await?;
        out.push(figure(
            "members.transferred_in",
            "Members transferred in from outside the subtree",
            transferred_in,
        ));
        let transferred_out = self
            .count(
                "SELECT COUNT(*) AS n FROM transfer_letters WHERE state = 'accepted' AND accepted_on >= ? AND accepted_on <= ? \
                 AND from_path >= ? AND from_path < ? AND NOT (to_path >= ? AND to_path < ?)",
                &[&f, &t, &lo, &hi, &lo, &hi],
            )
            .await?;
        out.push(figure(
            "members.transferred_out",
            "Members transferred out of the subtree",
            transferred_out,
        ));
        for (kind, description) in [
            ("removed", "Members removed from the list"),
            ("expelled", "Members expelled"),
            ("deceased", "Members deceased"),
            ("readmitted", "Members re-admitted"),
        ] {
            let n = self
                .count(
                    "SELECT COUNT(*) AS n FROM member_outcomes WHERE kind = ? AND effective_on >= ? AND effective_on <= ? \
                     AND org_path >= ? AND org_path < ?",
                    &[kind, &f, &t, &lo, &hi],
                )
                .await?;
            out.push(figure(format!("members.{kind}"), description, n));
        }
        // Badges due at the award days inside the period, per level.
        let book = rules(to)?;
        let mut badges: BTreeMap<u32, i64> =
            book.badges.party_years.iter().map(|y| (*y, 0)).collect();
        let mut days = Vec::new();
        let mut day = grassroots_domain::lifecycle::badges::next_award_day(&book.badges, from)?;
        while day <= to {
            days.push(day);
            day = match day.succ_opt() {
                Some(next) => {
                    grassroots_domain::lifecycle::badges::next_award_day(&book.badges, next)?
                }
                None => break,
            };
        }
        let due = BadgesDue { from, to, days };
        for (years, n) in self.counts_of(&lo, &hi, &due, counted).await? {
            let years = years.parse::<u32>().map_err(|_| {
                StoreError::Corrupt(format!("badge part: {years:?} is not a number of years"))
            })?;
            *badges.entry(years).or_default() += n;
        }
        out.push(figure(
            "badges.due",
            "Members due a party badge at the award days in the period",
            badges.values().sum(),
        ));
        for (years, n) in badges {
            out.push(figure(
                format!("badges.due.{years}"),
                format!("Members due the {years}-year badge"),
                n,
            ));
        }
        // Dues over the months of the period.
        let (first, last) = (YearMonth::of(from), YearMonth::of(to));
        let dues = self.dues_part(&lo, &hi, first, last, counted).await?;
        out.push(vnd(
            "dues.collected",
            "Dues collected for the months of the period (VND)",
            dues.collected_vnd,
        ));
        out.push(vnd(
            "dues.due",
            "Dues due for the months of the period (VND), current members",
            dues.due_vnd,
        ));
        out.push(figure(
            "dues.arrears_members",
            "Current members with dues unpaid in the period",
            dues.arrears_members,
        ));
        // The pipeline as of the end of the period.
        let pipeline = self.candidate_pipeline(scope, org_id, to).await?;
        for step in AdmissionStep::ALL {
            let n = pipeline
                .iter()
                .filter(|c| c.next_step == Some(step))
                .count() as i64;
            out.push(figure(
                format!("candidates.at.{}", step.as_str()),
                format!(
                    "Candidates whose next step is {}",
                    step.as_str().replace('_', " ")
                ),
                n,
            ));
        }
        out.push(figure(
            "candidates.total",
            "Candidates in the admission pipeline",
            pipeline.len() as i64,
        ));
        for step in [AdmissionStep::Decision, AdmissionStep::Ceremony] {
            let n = pipeline
                .iter()
                .filter(|c| c.overdue && c.due.is_some_and(|d| d.step == step))
                .count() as i64;
            out.push(figure(
                format!("overdue.{}", step.as_str()),
                format!("Candidates past the {} deadline", step.as_str()),
                n,
            ));
        }
        let probation = self
            .counts_of(&lo, &hi, &OnProbation { on: to }, counted)
            .await?;
        let count = |name: &str| probation.get(name).copied().unwrap_or(0);
        out.push(figure(
            "probation.members",
            "Probationary members",
            count("members"),
        ));
        out.push(figure(
            "overdue.recognition_review",
            "Probationary members past the recognition review deadline",
            count("review_overdue"),
        ));
        Ok(out)
    }
}
