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
use crate::placed_tree::SubtreeIn;
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
    /// Every lifecycle figure of the subtree of `org_id` for `[from, to]` (dates inclusive),
    /// counted from the records. Pipeline, probation and overdue counts are taken as of `to`.
    /// The records of a period that has ended (admission decisions, recognitions, transfer
    /// letters, outcomes) count in the tree of its last day, and its badges, dues and
    /// probationary members count the members where they stood that day
    /// ([`crate::placed_members`]); the pipeline counts candidates where they are now.
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
        let (root, lo, hi) = super::subtree_range(self, scope, org_id).await?;
        // The records of a period that has ended count in the tree of its last day.
        let records = self.subtree_in(&root, to).await?;
        let mut out = self.record_counts(&records, from, to).await?;
        // Its members count where they stood that day: the root's range in that tree (none
        // when the root did not exist then).
        let ended = (to < crate::orgs::today()).then_some(to);
        let members_range = match ended {
            None => Some((lo, hi)),
            Some(day) => self
                .path_on(root.id, day)
                .await?
                .map(|path| grassroots_domain::tree_path::subtree_range(&path)),
        };
        let members_range = members_range
            .as_ref()
            .map(|(lo, hi)| (lo.as_str(), hi.as_str()));
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
        let badge_counts = match members_range {
            Some((lo, hi)) => self.counts_of(lo, hi, &due, counted).await?,
            None => BTreeMap::new(),
        };
        for (years, n) in badge_counts {
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
        let dues = match members_range {
            Some(range) => self.dues_part(range, first, last, ended, counted).await?,
            None => Default::default(),
        };
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
        let probation = match members_range {
            Some((lo, hi)) => {
                self.counts_of(lo, hi, &OnProbation { on: to }, counted)
                    .await?
            }
            None => BTreeMap::new(),
        };
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

/// A figure counted from the records of the period.
struct RecordCount {
    key: &'static str,
    description: &'static str,
    /// The records of the period (binds: its first and last day), before the subtree's
    /// conditions.
    records: &'static str,
    /// The path column of the records that lie in the subtree.
    within: &'static str,
    /// The path column of those records that must not lie in it.
    not_within: Option<&'static str>,
}

const fn outcome(
    key: &'static str,
    description: &'static str,
    records: &'static str,
) -> RecordCount {
    RecordCount {
        key,
        description,
        records,
        within: "r.org_path",
        not_within: None,
    }
}

const RECORD_COUNTS: [RecordCount; 8] = [
    RecordCount {
        key: "members.admitted",
        description: "Members admitted (admission decisions)",
        records: "candidate_steps s JOIN candidates c ON c.id = s.candidate_id \
                  WHERE s.step = 'decision' AND s.done_on >= ? AND s.done_on <= ?",
        within: "c.org_path",
        not_within: None,
    },
    RecordCount {
        key: "members.recognized_official",
        description: "Probationary members recognized as official",
        records: "recognitions r WHERE r.reviewed_on >= ? AND r.reviewed_on <= ?",
        within: "r.org_path",
        not_within: None,
    },
    RecordCount {
        key: "members.transferred_in",
        description: "Members transferred in from outside the subtree",
        records: TRANSFERS,
        within: "l.to_path",
        not_within: Some("l.from_path"),
    },
    RecordCount {
        key: "members.transferred_out",
        description: "Members transferred out of the subtree",
        records: TRANSFERS,
        within: "l.from_path",
        not_within: Some("l.to_path"),
    },
    outcome(
        "members.removed",
        "Members removed from the list",
        "member_outcomes r WHERE r.kind = 'removed' AND r.effective_on >= ? AND r.effective_on <= ?",
    ),
    outcome(
        "members.expelled",
        "Members expelled",
        "member_outcomes r WHERE r.kind = 'expelled' AND r.effective_on >= ? AND r.effective_on <= ?",
    ),
    outcome(
        "members.deceased",
        "Members deceased",
        "member_outcomes r WHERE r.kind = 'deceased' AND r.effective_on >= ? AND r.effective_on <= ?",
    ),
    outcome(
        "members.readmitted",
        "Members re-admitted",
        "member_outcomes r WHERE r.kind = 'readmitted' AND r.effective_on >= ? \
         AND r.effective_on <= ?",
    ),
];

const TRANSFERS: &str = "transfer_letters l WHERE l.state = 'accepted' AND l.accepted_on >= ? \
                         AND l.accepted_on <= ?";

impl Store {
    /// [`RECORD_COUNTS`] for `records` over `[from, to]`, in one statement (in a past tree,
    /// the organizations placed in the subtree are listed once for all of them).
    async fn record_counts(
        &self,
        records: &SubtreeIn,
        from: Date,
        to: Date,
    ) -> StoreResult<Vec<Figure>> {
        let (with, mut binds) = records.with_clause();
        let mut columns = Vec::new();
        for (i, count) in RECORD_COUNTS.iter().enumerate() {
            binds.extend([from.to_string(), to.to_string()]);
            let (within, more) = records.condition(count.within);
            binds.extend(more);
            let mut sql = format!("{} AND {within}", count.records);
            if let Some(column) = count.not_within {
                let (not_within, more) = records.condition(column);
                binds.extend(more);
                sql.push_str(&format!(" AND NOT ({not_within})"));
            }
            columns.push(format!("(SELECT COUNT(*) FROM {sql}) AS n{i}"));
        }
        let sql = format!("{with}SELECT {}", columns.join(", "));
        let rows = self.db.select(sql).bind_all(binds).fetch_all().await?;
        let row = rows
            .first()
            .ok_or_else(|| StoreError::Corrupt("no row of record counts".into()))?;
        RECORD_COUNTS
            .iter()
            .enumerate()
            .map(|(i, c)| Ok(figure(c.key, c.description, int(row, &format!("n{i}"))?)))
            .collect()
    }
}
