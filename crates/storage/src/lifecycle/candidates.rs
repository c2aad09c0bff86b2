//! Outstanding candidates and their admission steps, each a dated record. The decision
//! creates the member (probationary) through the member registry.

use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use grassroots_domain::lifecycle::admission::{
    self, AdmissionStep, Due, Introducer, Progress, Vote,
};
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus};
use grassroots_domain::text;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

use super::{audit_lifecycle, calendar, rules};
use crate::members::NewMember;
use crate::orgs::today;
use crate::row::{date, int, opt_date, opt_int, opt_text, parsed, text};
use crate::{Actor, Scope, Store, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCandidate {
    /// The cell preparing the candidate.
    pub org_id: i64,
    pub full_name: String,
    pub birth_date: Date,
    pub gender: Gender,
    pub ethnicity: String,
    pub citizen_id: Option<String>,
    pub registered_on: Date,
}

/// One recorded step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    pub step: AdmissionStep,
    pub done_on: Date,
    pub document: Option<String>,
    pub details: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: i64,
    pub org_id: i64,
    pub full_name: String,
    pub birth_date: Date,
    pub gender: Gender,
    pub ethnicity: String,
    pub citizen_id: Option<String>,
    pub registered_on: Date,
    /// The member created by the admission decision.
    pub member_id: Option<i64>,
    pub withdrawn_on: Option<Date>,
    pub steps: Vec<StepRecord>,
    pub progress: Progress,
    /// The first step still to do; `None` once the ceremony is held.
    pub next_step: Option<AdmissionStep>,
    /// The pending deadline, if any.
    pub due: Option<Due>,
    /// Whether the pending deadline has passed today.
    pub overdue: bool,
}

/// A step to record, with what its condition needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "step")]
pub enum StepInput {
    AwarenessClass {
        certificate_no: String,
    },
    Introduction {
        introducer_id: i64,
        acquainted_since: Date,
    },
    Recommendation {
        by: String,
        document: String,
    },
    CellVote {
        eligible: u32,
        votes_for: u32,
        document: String,
    },
    CommitteeVote {
        eligible: u32,
        votes_for: u32,
        document: String,
    },
    Decision {
        document: String,
    },
    Ceremony,
}

impl StepInput {
    pub fn step(&self) -> AdmissionStep {
        match self {
            StepInput::AwarenessClass { .. } => AdmissionStep::AwarenessClass,
            StepInput::Introduction { .. } => AdmissionStep::Introduction,
            StepInput::Recommendation { .. } => AdmissionStep::Recommendation,
            StepInput::CellVote { .. } => AdmissionStep::CellVote,
            StepInput::CommitteeVote { .. } => AdmissionStep::CommitteeVote,
            StepInput::Decision { .. } => AdmissionStep::Decision,
            StepInput::Ceremony => AdmissionStep::Ceremony,
        }
    }
}

fn record(id: i64) -> String {
    format!("candidate {id}")
}

const CANDIDATE_COLUMNS: &str = "id, org_id, org_path, full_name, birth_date, gender, ethnicity, citizen_id, \
     registered_on, member_id, withdrawn_on";

impl Store {
    /// Registers an outstanding candidate in a cell.
    pub async fn register_candidate(
        &self,
        actor: &Actor,
        scope: &Scope,
        new: NewCandidate,
    ) -> StoreResult<Candidate> {
        let rec = format!("candidate {}", new.full_name.trim());
        let name = new.full_name.trim();
        if name.is_empty() || name.chars().count() > 120 || name.chars().any(|c| c.is_ascii_digit())
        {
            return Err(DomainError::invalid(
                &rec,
                "full_name",
                "must be 1-120 characters without digits",
            )
            .into());
        }
        if new.ethnicity.trim().is_empty() {
            return Err(DomainError::invalid(&rec, "ethnicity", "must not be empty").into());
        }
        if let Some(id) = &new.citizen_id
            && (id.len() != 12 || !id.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(DomainError::invalid(&rec, "citizen_id", "must be 12 digits").into());
        }
        if new.registered_on > today() || new.birth_date >= new.registered_on {
            return Err(DomainError::invalid(
                &rec,
                "registered_on",
                "must be after birth and not in the future",
            )
            .into());
        }
        let mut tx = self.db.begin().await?;
        let org = self.org_in_tx(&mut tx, scope, new.org_id).await?;
        if !org.kind.holds_members() || !org.is_active() {
            return Err(DomainError::invalid(
                &rec,
                "org_id",
                format!("{} is not an active cell", org.code),
            )
            .into());
        }
        let sql = self.db.sql(
            "INSERT INTO candidates (org_id, org_path, full_name, name_folded, sort_key, birth_date, gender, ethnicity, \
             citizen_id, registered_on, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        );
        let row = sqlx::query(&sql)
            .bind(org.id)
            .bind(&org.path)
            .bind(name)
            .bind(text::fold(name))
            .bind(text::sort_key(name))
            .bind(new.birth_date.to_string())
            .bind(new.gender.as_str())
            .bind(new.ethnicity.trim())
            .bind(new.citizen_id.as_deref())
            .bind(new.registered_on.to_string())
            .bind(crate::audit::now())
            .fetch_one(&mut *tx)
            .await?;
        let id = int(&row, "id")?;
        audit_lifecycle(
            self,
            &mut tx,
            actor,
            "candidate.register",
            "candidate",
            id,
            &org.path,
            serde_json::json!(new),
        )
        .await?;
        tx.commit().await?;
        self.candidate(scope, id).await
    }

    async fn candidate_row(&self, scope: &Scope, id: i64) -> StoreResult<AnyRow> {
        let sql = self
            .db
            .sql(&format!(
                "SELECT {CANDIDATE_COLUMNS} FROM candidates WHERE id = ?"
            ))
            .into_owned();
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.db.read())
            .await?
            .ok_or_else(|| DomainError::not_found("candidate", id))?;
        scope.check(&text(&row, "org_path")?, "candidate", id)?;
        Ok(row)
    }

    async fn candidate_from_row(&self, r: &AnyRow, on: Date) -> StoreResult<Candidate> {
        let id = int(r, "id")?;
        let sql = self.db.sql(
            "SELECT step, done_on, document, details FROM candidate_steps WHERE candidate_id = ? ORDER BY done_on, id",
        );
        let rows = sqlx::query(&sql).bind(id).fetch_all(self.db.read()).await?;
        let mut steps = Vec::with_capacity(rows.len());
        let mut progress = Progress::default();
        for s in &rows {
            let step = parsed(s, "step", AdmissionStep::parse)?;
            let done_on = date(s, "done_on")?;
            // Steps are never in the future; one after `on` had not happened yet on `on`.
            if done_on > on {
                continue;
            }
            match step {
                AdmissionStep::AwarenessClass => progress.awareness_on = Some(done_on),
                AdmissionStep::Introduction => progress.introductions.push(done_on),
                AdmissionStep::Recommendation => progress.recommendation_on = Some(done_on),
                AdmissionStep::CellVote => progress.cell_vote_on = Some(done_on),
                AdmissionStep::CommitteeVote => progress.committee_vote_on = Some(done_on),
                AdmissionStep::Decision => progress.decision_on = Some(done_on),
                AdmissionStep::Ceremony => progress.ceremony_on = Some(done_on),
            }
            steps.push(StepRecord {
                step,
                done_on,
                document: opt_text(s, "document")?,
                details: serde_json::from_str(&text(s, "details")?)
                    .unwrap_or(serde_json::Value::Null),
            });
        }
        let book = rules(on)?;
        let cal = calendar()?;
        let withdrawn_on = opt_date(r, "withdrawn_on")?;
        let due = if withdrawn_on.is_some_and(|w| w <= on) {
            None
        } else {
            progress.due(&book.admission, &cal)
        };
        Ok(Candidate {
            id,
            org_id: int(r, "org_id")?,
            full_name: text(r, "full_name")?,
            birth_date: date(r, "birth_date")?,
            gender: parsed(r, "gender", Gender::parse)?,
            ethnicity: text(r, "ethnicity")?,
            citizen_id: opt_text(r, "citizen_id")?,
            registered_on: date(r, "registered_on")?,
            member_id: opt_int(r, "member_id")?,
            withdrawn_on,
            next_step: if withdrawn_on.is_some() {
                None
            } else {
                progress.next_step(&book.admission)
            },
            overdue: due.is_some_and(|d| on > d.due_on),
            due,
            steps,
            progress,
        })
    }

    pub async fn candidate(&self, scope: &Scope, id: i64) -> StoreResult<Candidate> {
        let row = self.candidate_row(scope, id).await?;
        self.candidate_from_row(&row, today()).await
    }

    /// The candidates of an organization's subtree still in the pipeline (not withdrawn,
    /// ceremony not yet held), in Vietnamese name order, with their deadlines as of `on`.
    pub async fn candidate_pipeline(
        &self,
        scope: &Scope,
        org_id: i64,
        on: Date,
    ) -> StoreResult<Vec<Candidate>> {
        let (_, lo, hi) = super::subtree_range(self, scope, org_id).await?;
        let sql = self
            .db
            .sql(&format!(
                // The pipeline as it stood on `on`: registered by then, not withdrawn nor
                // through the ceremony by then (a report of a past year reads it so).
                "SELECT {CANDIDATE_COLUMNS} FROM candidates c WHERE org_path >= ? AND org_path < ? \
                 AND registered_on <= ? AND (withdrawn_on IS NULL OR withdrawn_on > ?) \
                 AND NOT EXISTS (SELECT 1 FROM candidate_steps s \
                 WHERE s.candidate_id = c.id AND s.step = 'ceremony' AND s.done_on <= ?) ORDER BY sort_key, id"
            ))
            .into_owned();
        let on_text = on.to_string();
        let rows = sqlx::query(&sql)
            .bind(lo)
            .bind(hi)
            .bind(&on_text)
            .bind(&on_text)
            .bind(&on_text)
            .fetch_all(self.db.read())
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.candidate_from_row(r, on).await?);
        }
        Ok(out)
    }

    /// The status of a member on a day, from the status history.
    pub(crate) async fn status_on(
        &self,
        member_id: i64,
        on: Date,
    ) -> StoreResult<Option<MemberStatus>> {
        let sql = self.db.sql(
            "SELECT status FROM member_statuses WHERE member_id = ? AND valid_from <= ? \
             AND (valid_to IS NULL OR valid_to > ?) ORDER BY valid_from DESC, id DESC LIMIT 1",
        );
        let row = sqlx::query(&sql)
            .bind(member_id)
            .bind(on.to_string())
            .bind(on.to_string())
            .fetch_optional(self.db.read())
            .await?;
        row.map(|r| parsed(&r, "status", MemberStatus::parse))
            .transpose()
    }

    /// Official members of a cell on a day: an official membership there and an official
    /// status, both valid that day.
    pub async fn official_members_on(&self, org_id: i64, on: Date) -> StoreResult<i64> {
        let sql = self.db.sql(
            "SELECT COUNT(DISTINCT ms.member_id) AS n FROM memberships ms JOIN member_statuses st \
             ON st.member_id = ms.member_id AND st.status = 'official' AND st.valid_from <= ? \
             AND (st.valid_to IS NULL OR st.valid_to > ?) \
             WHERE ms.org_id = ? AND ms.kind = 'official' AND ms.valid_from <= ? \
             AND (ms.valid_to IS NULL OR ms.valid_to > ?)",
        );
        let d = on.to_string();
        let row = sqlx::query(&sql)
            .bind(&d)
            .bind(&d)
            .bind(org_id)
            .bind(&d)
            .bind(&d)
            .fetch_one(self.db.read())
            .await?;
        int(&row, "n")
    }

    /// Records one admission step dated `on`, after checking its condition. The decision
    /// creates the member as probationary in the candidate's cell.
    pub async fn record_step(
        &self,
        actor: &Actor,
        scope: &Scope,
        candidate_id: i64,
        on: Date,
        input: StepInput,
    ) -> StoreResult<Candidate> {
        let rec = record(candidate_id);
        let row = self.candidate_row(scope, candidate_id).await?;
        let cand = self.candidate_from_row(&row, today()).await?;
        let org_path = text(&row, "org_path")?;
        if let Some(w) = cand.withdrawn_on {
            return Err(DomainError::invalid(
                &rec,
                "withdrawn_on",
                format!("the candidate withdrew on {w}"),
            )
            .into());
        }
        let book = rules(on)?;
        let r = &book.admission;
        let cal = calendar()?;
        let now = today();
        let p = &cand.progress;
        let mut seq = 0i64;
        let mut document = None;
        let details = match &input {
            StepInput::AwarenessClass { certificate_no } => {
                admission::check_awareness(&rec, p, r, certificate_no, on, now)?;
                document = Some(certificate_no.trim().to_owned());
                serde_json::json!({ "certificate_no": certificate_no.trim() })
            }
            StepInput::Introduction {
                introducer_id,
                acquainted_since,
            } => {
                let status = self.status_on(*introducer_id, on).await?.ok_or_else(|| {
                    DomainError::invalid(
                        &rec,
                        "introducer",
                        format!("member {introducer_id} was not a member on {on}"),
                    )
                })?;
                // The introducer must exist and be visible to the caller.
                super::member_path(self, scope, *introducer_id).await?;
                let already: Vec<i64> = cand
                    .steps
                    .iter()
                    .filter(|s| s.step == AdmissionStep::Introduction)
                    .filter_map(|s| s.details.get("introducer_id").and_then(|v| v.as_i64()))
                    .collect();
                let introducer = Introducer {
                    member_id: *introducer_id,
                    status,
                    acquainted_since: *acquainted_since,
                };
                admission::check_introduction(&rec, p, r, &introducer, &already, on, now)?;
                seq = *introducer_id;
                serde_json::json!({ "introducer_id": introducer_id, "acquainted_since": acquainted_since })
            }
            StepInput::Recommendation { by, document: doc } => {
                admission::check_recommendation(&rec, p, r, by, doc, on, now)?;
                document = Some(doc.trim().to_owned());
                serde_json::json!({ "by": by })
            }
            StepInput::CellVote {
                eligible,
                votes_for,
                document: doc,
            } => {
                let counted = self.official_members_on(cand.org_id, on).await?;
                if i64::from(*eligible) < counted {
                    return Err(DomainError::invalid(
                        &rec,
                        "eligible",
                        format!("the cell had {counted} official members on {on}; {eligible} were counted"),
                    )
                    .into());
                }
                admission::check_cell_vote(
                    &rec,
                    p,
                    r,
                    Vote {
                        eligible: *eligible,
                        votes_for: *votes_for,
                    },
                    on,
                    now,
                )?;
                document = Some(doc.trim().to_owned());
                serde_json::json!({ "eligible": eligible, "votes_for": votes_for })
            }
            StepInput::CommitteeVote {
                eligible,
                votes_for,
                document: doc,
            } => {
                admission::check_committee_vote(
                    &rec,
                    p,
                    r,
                    Vote {
                        eligible: *eligible,
                        votes_for: *votes_for,
                    },
                    on,
                    now,
                )?;
                document = Some(doc.trim().to_owned());
                serde_json::json!({ "eligible": eligible, "votes_for": votes_for })
            }
            StepInput::Decision { document: doc } => {
                admission::check_decision(&rec, p, r, &cal, cand.birth_date, doc, on, now)?;
                document = Some(doc.trim().to_owned());
                serde_json::json!({})
            }
            StepInput::Ceremony => {
                admission::check_ceremony(&rec, p, r, &cal, on, now)?;
                serde_json::json!({})
            }
        };
        // The decision creates the member, and the step and the candidate's link to the
        // member are written in the same transaction: all of it, or none of it.
        let mut tx = self.db.begin().await?;
        let member_id = match input {
            StepInput::Decision { .. } if cand.member_id.is_none() => {
                let member = self
                    .create_member_in_tx(
                        &mut tx,
                        actor,
                        &Scope::all(),
                        &NewMember {
                            identity: MemberIdentity {
                                full_name: cand.full_name.clone(),
                                birth_date: cand.birth_date,
                                gender: cand.gender,
                                ethnicity: cand.ethnicity.clone(),
                                citizen_id: cand.citizen_id.clone(),
                                party_card_no: None,
                                admitted_on: Some(on),
                                official_on: None,
                            },
                            org_id: cand.org_id,
                            status: MemberStatus::Probationary,
                            status_since: on,
                            joined_on: on,
                        },
                    )
                    .await?;
                Some(member.id)
            }
            _ => cand.member_id,
        };
        let sql = self.db.sql(
            "INSERT INTO candidate_steps (candidate_id, step, seq, done_on, document, details, actor, recorded_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        );
        let step = input.step();
        sqlx::query(&sql)
            .bind(candidate_id)
            .bind(step.as_str())
            .bind(seq)
            .bind(on.to_string())
            .bind(document.clone())
            .bind(details.to_string())
            .bind(&actor.0)
            .bind(crate::audit::now())
            .execute(&mut *tx)
            .await?;
        let sql = self
            .db
            .sql("UPDATE candidates SET member_id = ?, updated_at = ? WHERE id = ?");
        sqlx::query(&sql)
            .bind(member_id)
            .bind(crate::audit::now())
            .bind(candidate_id)
            .execute(&mut *tx)
            .await?;
        audit_lifecycle(
            self,
            &mut tx,
            actor,
            &format!("candidate.{}", step.as_str()),
            "candidate",
            candidate_id,
            &org_path,
            serde_json::json!({ "step": step, "done_on": on, "document": document, "details": details, "member_id": member_id }),
        )
        .await?;
        tx.commit().await?;
        self.candidate(scope, candidate_id).await
    }

    /// Ends a candidacy (the candidate withdrew or no longer qualifies); the record stays.
    pub async fn withdraw_candidate(
        &self,
        actor: &Actor,
        scope: &Scope,
        candidate_id: i64,
        on: Date,
        reason: &str,
    ) -> StoreResult<Candidate> {
        let rec = record(candidate_id);
        let cand = self.candidate(scope, candidate_id).await?;
        if cand.member_id.is_some() {
            return Err(DomainError::invalid(
                &rec,
                "member_id",
                "the candidate is already admitted",
            )
            .into());
        }
        if reason.trim().is_empty() {
            return Err(DomainError::invalid(&rec, "reason", "must not be empty").into());
        }
        if on > today() || on < cand.registered_on {
            return Err(DomainError::invalid(
                &rec,
                "withdrawn_on",
                "must be between registration and today",
            )
            .into());
        }
        let mut tx = self.db.begin().await?;
        let sql = self.db.sql(
            "UPDATE candidates SET withdrawn_on = ?, withdrawn_reason = ?, updated_at = ? WHERE id = ? AND withdrawn_on IS NULL",
        );
        let done = sqlx::query(&sql)
            .bind(on.to_string())
            .bind(reason.trim())
            .bind(crate::audit::now())
            .bind(candidate_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(DomainError::Conflict(format!("{rec} has already withdrawn")).into());
        }
        let path = self
            .candidate_row(scope, candidate_id)
            .await
            .and_then(|r| text(&r, "org_path"))?;
        audit_lifecycle(
            self,
            &mut tx,
            actor,
            "candidate.withdraw",
            "candidate",
            candidate_id,
            &path,
            serde_json::json!({ "on": on, "reason": reason }),
        )
        .await?;
        tx.commit().await?;
        self.candidate(scope, candidate_id).await
    }
}
