//! Outcomes that end or restore membership: removal from the list (one of the Charter's
//! cases in the rulebook), expulsion, death, and re-admission. Each keeps its decision
//! document and date; the times out of the party feed party age.

use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use grassroots_domain::lifecycle::admission::months_between;
use grassroots_domain::member::{MemberStatus, MembershipKind};
use serde::{Deserialize, Serialize};

use super::{audit_lifecycle, member_path, rules};
use crate::members::MemberReader;
use crate::orgs::today;
use crate::row::{date, int, opt_text, text};
use crate::{Actor, Scope, Store, StoreResult, rollup};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    Removed,
    Expelled,
    Deceased,
    Readmitted,
}

impl OutcomeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Removed => "removed",
            OutcomeKind::Expelled => "expelled",
            OutcomeKind::Deceased => "deceased",
            OutcomeKind::Readmitted => "readmitted",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [
            Self::Removed,
            Self::Expelled,
            Self::Deceased,
            Self::Readmitted,
        ]
        .into_iter()
        .find(|k| k.as_str() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub id: i64,
    pub member_id: i64,
    pub kind: OutcomeKind,
    pub effective_on: Date,
    pub document: String,
    pub reason: Option<String>,
}

impl Store {
    #[allow(clippy::too_many_arguments)] // Each argument is one fact of the record.
    async fn insert_outcome(
        &self,
        actor: &Actor,
        member_id: i64,
        kind: OutcomeKind,
        on: Date,
        document: &str,
        reason: Option<&str>,
        path: &str,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    ) -> StoreResult<Outcome> {
        let sql = self.db.sql(
            "INSERT INTO member_outcomes (member_id, kind, effective_on, document, reason, org_path, recorded_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        );
        let row = sqlx::query(&sql)
            .bind(member_id)
            .bind(kind.as_str())
            .bind(on.to_string())
            .bind(document.trim())
            .bind(reason)
            .bind(path)
            .bind(crate::audit::now())
            .fetch_one(&mut **tx)
            .await?;
        let outcome = Outcome {
            id: int(&row, "id")?,
            member_id,
            kind,
            effective_on: on,
            document: document.trim().to_owned(),
            reason: reason.map(str::to_owned),
        };
        audit_lifecycle(
            self,
            tx,
            actor,
            &format!("member.{}", kind.as_str()),
            "member",
            member_id,
            path,
            serde_json::json!(outcome),
        )
        .await?;
        Ok(outcome)
    }

    /// Removal (with the case from `removal.cases`), expulsion or death, effective `on`,
    /// by decision `document`.
    #[allow(clippy::too_many_arguments)] // Each argument is one fact of the decision.
    pub async fn record_outcome(
        &self,
        actor: &Actor,
        scope: &Scope,
        member_id: i64,
        kind: OutcomeKind,
        on: Date,
        document: &str,
        reason: Option<&str>,
    ) -> StoreResult<Outcome> {
        let rec = format!("member {member_id}");
        let member = self.member(scope, member_id).await?;
        let status = match kind {
            OutcomeKind::Removed => {
                let book = rules(on)?;
                let case = reason.map(str::trim).unwrap_or_default();
                if !book.removal.cases.iter().any(|c| c == case) {
                    return Err(DomainError::invalid(
                        &rec,
                        "reason",
                        format!(
                            "removal needs one of the Charter's cases: {}",
                            book.removal.cases.join(", ")
                        ),
                    )
                    .into());
                }
                MemberStatus::Removed
            }
            OutcomeKind::Expelled => {
                // Discipline of a probationary member stops at a warning; expulsion is for
                // official members.
                if member.status == MemberStatus::Probationary {
                    return Err(DomainError::invalid(
                        &rec,
                        "status",
                        "a probationary member cannot be expelled; remove them from the list instead",
                    )
                    .into());
                }
                MemberStatus::Expelled
            }
            OutcomeKind::Deceased => MemberStatus::Deceased,
            OutcomeKind::Readmitted => {
                return Err(DomainError::invalid(
                    &rec,
                    "kind",
                    "re-admission has its own procedure",
                )
                .into());
            }
        };
        if document.trim().is_empty() {
            return Err(DomainError::invalid(
                &rec,
                "document",
                "the decision's number is required",
            )
            .into());
        }
        let note = format!(
            "{} by {}{}",
            kind.as_str(),
            document.trim(),
            reason.map(|r| format!(": {r}")).unwrap_or_default()
        );
        // The status change, the outcome with its decision and the audit entries go in
        // one transaction: no member leaves the list without the decision on record.
        let mut tx = self.db.begin().await?;
        self.change_status_in_tx(&mut tx, actor, scope, member_id, status, on, Some(&note))
            .await?;
        let (_, path) = self.member_in_tx(&mut tx, scope, member_id).await?;
        let path = path.unwrap_or_else(|| "/".into());
        let sql = self.db.sql(
            "UPDATE member_statuses SET decision = ? WHERE member_id = ? AND status = ? AND valid_from = ? AND valid_to IS NULL",
        );
        sqlx::query(&sql)
            .bind(document.trim())
            .bind(member_id)
            .bind(status.as_str())
            .bind(on.to_string())
            .execute(&mut *tx)
            .await?;
        let outcome = self
            .insert_outcome(actor, member_id, kind, on, document, reason, &path, &mut tx)
            .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Re-admits a removed member into `cell_id` on `on` (decision `document`): probation
    /// starts again, and the time out of the party is left out of party age.
    pub async fn readmit_member(
        &self,
        actor: &Actor,
        scope: &Scope,
        member_id: i64,
        cell_id: i64,
        on: Date,
        document: &str,
    ) -> StoreResult<Outcome> {
        let rec = format!("member {member_id}");
        if document.trim().is_empty() {
            return Err(DomainError::invalid(
                &rec,
                "document",
                "the decision's number is required",
            )
            .into());
        }
        if on > today() {
            return Err(DomainError::invalid(&rec, "readmitted_on", "is in the future").into());
        }
        let book = rules(on)?;
        let mut tx = self.db.begin().await?;
        let (before, old_path) = self.member_in_tx(&mut tx, scope, member_id).await?;
        if before.status != MemberStatus::Removed {
            return Err(DomainError::invalid(
                &rec,
                "status",
                format!(
                    "only a removed member can be re-admitted; this one is {}",
                    before.status.as_str()
                ),
            )
            .into());
        }
        let out_months = months_between(before.status_since, on);
        if out_months < book.removal.readmission_min_months_out as i32 {
            return Err(DomainError::invalid(
                &rec,
                "readmitted_on",
                format!(
                    "removed on {}: re-admission needs {} months out of the party, not {}",
                    before.status_since,
                    book.removal.readmission_min_months_out,
                    out_months.max(0)
                ),
            )
            .into());
        }
        let cell = self.org_in_tx(&mut tx, scope, cell_id).await?;
        if !cell.kind.holds_members() || !cell.is_active() {
            return Err(DomainError::invalid(
                &rec,
                "org_id",
                format!("{} is not an active cell", cell.code),
            )
            .into());
        }
        let sql = self.db.sql(
            "UPDATE member_statuses SET valid_to = ? WHERE member_id = ? AND valid_to IS NULL",
        );
        sqlx::query(&sql)
            .bind(on.to_string())
            .bind(member_id)
            .execute(&mut *tx)
            .await?;
        self.open_status(
            &mut tx,
            member_id,
            MemberStatus::Probationary,
            on,
            None,
            Some(&format!("readmitted by {}", document.trim())),
        )
        .await?;
        self.open_membership(
            &mut tx,
            member_id,
            cell.id,
            MembershipKind::Official,
            on,
            None,
        )
        .await?;
        let sql = self.db.sql(
            "UPDATE members SET status = ?, status_since = ?, official_on = NULL, org_id = ?, org_path = ?, \
             version = version + 1, updated_at = ? WHERE id = ?",
        );
        sqlx::query(&sql)
            .bind(MemberStatus::Probationary.as_str())
            .bind(on.to_string())
            .bind(cell.id)
            .bind(&cell.path)
            .bind(crate::audit::now())
            .bind(member_id)
            .execute(&mut *tx)
            .await?;
        if let Some(p) = &old_path {
            rollup::bump_members(&self.db, &mut tx, p, MemberStatus::Removed.as_str(), -1).await?;
        }
        rollup::bump_members(
            &self.db,
            &mut tx,
            &cell.path,
            MemberStatus::Probationary.as_str(),
            1,
        )
        .await?;
        let (after, _) = self.member_in_tx(&mut tx, &Scope::all(), member_id).await?;
        self.audit_member(
            &mut tx,
            actor,
            "member.readmit",
            Some(&before),
            &after,
            &cell.path,
        )
        .await?;
        let outcome = self
            .insert_outcome(
                actor,
                member_id,
                OutcomeKind::Readmitted,
                on,
                document,
                None,
                &cell.path,
                &mut tx,
            )
            .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Every outcome of a member, oldest first.
    pub async fn member_outcomes(
        &self,
        scope: &Scope,
        member_id: i64,
    ) -> StoreResult<Vec<Outcome>> {
        member_path(self, scope, member_id).await?;
        let sql = self.db.sql(
            "SELECT id, member_id, kind, effective_on, document, reason FROM member_outcomes WHERE member_id = ? ORDER BY effective_on, id",
        );
        sqlx::query(&sql)
            .bind(member_id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(|r| {
                Ok(Outcome {
                    id: int(r, "id")?,
                    member_id: int(r, "member_id")?,
                    kind: crate::row::parsed(r, "kind", OutcomeKind::parse)?,
                    effective_on: date(r, "effective_on")?,
                    document: text(r, "document")?,
                    reason: opt_text(r, "reason")?,
                })
            })
            .collect()
    }

    /// Party age in whole years on `on`, with the times out of the party left out.
    pub async fn party_years(&self, scope: &Scope, member_id: i64, on: Date) -> StoreResult<u32> {
        let member = self.member(scope, member_id).await?;
        let Some(admitted) = member.identity.admitted_on else {
            return Ok(0);
        };
        let gaps = super::party_gaps(self, member_id).await?;
        Ok(grassroots_domain::lifecycle::party_age::party_years(
            admitted, &gaps, on,
        ))
    }
}
