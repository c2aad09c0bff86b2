//! Probation: the new-member course, the probation list with its review deadlines, and
//! official recognition dated back to the end of probation.

use std::collections::BTreeMap;

use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use grassroots_domain::lifecycle::probation::{self, ProbationState};
use grassroots_domain::member::MemberStatus;
use serde::{Deserialize, Serialize};

use super::{audit_lifecycle, calendar, member_path, rules};
use crate::db::placeholders;
use crate::members::MemberReader;
use crate::orgs::today;
use crate::placed_members::MembersOn;
use crate::registry_parts::{Counts, Orgs, PartSet};
use crate::row::{date, int, opt_date, opt_text, text};
use crate::select::Select;
use crate::{Actor, Scope, Store, StoreResult};

/// A probationary member and where their probation stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbationRow {
    pub member_id: i64,
    pub full_name: String,
    pub org_id: Option<i64>,
    /// The day probation runs from: the ceremony, or the re-admission, or (for members
    /// entered without an admission record) the admission date.
    pub probation_from: Date,
    pub course_completed_on: Option<Date>,
    pub state: ProbationState,
}

/// Where a member's probation starts, as recorded outside the member row.
enum Start {
    Readmitted(Date),
    /// Admitted through the pipeline: the ceremony, once held.
    Candidate(Option<Date>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecognitionRecord {
    pub member_id: i64,
    pub ceremony_on: Date,
    pub reviewed_on: Date,
    pub official_on: Date,
    pub review_due: Date,
    pub late: bool,
    pub document: String,
}

impl Store {
    /// The day a probationary member's probation runs from.
    pub(crate) async fn probation_from(
        &self,
        member_id: i64,
        admitted_on: Option<Date>,
    ) -> StoreResult<Option<Date>> {
        let sql = self.db.sql(
            "SELECT c.id, (SELECT s.done_on FROM candidate_steps s WHERE s.candidate_id = c.id AND s.step = 'ceremony') AS ceremony \
             FROM candidates c WHERE c.member_id = ?",
        );
        let candidate = sqlx::query(&sql)
            .bind(member_id)
            .fetch_optional(self.db.read())
            .await?;
        let sql = self.db.sql(
            "SELECT MAX(effective_on) AS on_ FROM member_outcomes WHERE member_id = ? AND kind = 'readmitted'",
        );
        let row = sqlx::query(&sql)
            .bind(member_id)
            .fetch_one(self.db.read())
            .await?;
        let readmitted = opt_text(&row, "on_")?.and_then(|s| s.parse::<Date>().ok());
        if readmitted.is_some() {
            return Ok(readmitted);
        }
        match candidate {
            // Admitted through the pipeline: probation runs from the ceremony, once held.
            Some(c) => Ok(opt_date(&c, "ceremony")?),
            // Entered without an admission record: from the admission date.
            None => Ok(admitted_on),
        }
    }

    /// Records the new-member course a probationary member completed.
    pub async fn record_new_member_course(
        &self,
        actor: &Actor,
        scope: &Scope,
        member_id: i64,
        completed_on: Date,
        certificate_no: &str,
    ) -> StoreResult<()> {
        let rec = format!("member {member_id}");
        let path = member_path(self, scope, member_id).await?;
        let member = self.member(scope, member_id).await?;
        if member.status != MemberStatus::Probationary {
            return Err(DomainError::invalid(
                &rec,
                "status",
                "only a probationary member takes the new-member course",
            )
            .into());
        }
        if certificate_no.trim().is_empty() {
            return Err(DomainError::invalid(&rec, "certificate_no", "must not be empty").into());
        }
        if completed_on > today()
            || member
                .identity
                .admitted_on
                .is_some_and(|a| completed_on < a)
        {
            return Err(DomainError::invalid(
                &rec,
                "completed_on",
                "must be between admission and today",
            )
            .into());
        }
        let mut tx = self.db.begin().await?;
        let sql = self.db.sql(
            "INSERT INTO new_member_courses (member_id, completed_on, certificate_no, recorded_at) VALUES (?, ?, ?, ?)",
        );
        sqlx::query(&sql)
            .bind(member_id)
            .bind(completed_on.to_string())
            .bind(certificate_no.trim())
            .bind(crate::audit::now())
            .execute(&mut *tx)
            .await?;
        audit_lifecycle(self, &mut tx, actor, "member.new_member_course", "member", member_id, &path,
            serde_json::json!({ "completed_on": completed_on, "certificate_no": certificate_no.trim() })).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn course_on(&self, member_id: i64) -> StoreResult<Option<Date>> {
        let sql = self
            .db
            .sql("SELECT completed_on FROM new_member_courses WHERE member_id = ?");
        let row = sqlx::query(&sql)
            .bind(member_id)
            .fetch_optional(self.db.read())
            .await?;
        row.map(|r| date(&r, "completed_on")).transpose()
    }

    /// What [`Store::probation_from`] reads, for each of `ids` (500 a statement): the latest
    /// re-admission, else the ceremony of the member's admission record.
    async fn probation_starts(
        &self,
        ids: &[i64],
    ) -> StoreResult<std::collections::HashMap<i64, Start>> {
        let mut out = std::collections::HashMap::new();
        for chunk in ids.chunks(500) {
            let list = placeholders(chunk.len());
            let sql = format!(
                "SELECT c.member_id, (SELECT s.done_on FROM candidate_steps s WHERE s.candidate_id = c.id \
                     AND s.step = 'ceremony') AS ceremony FROM candidates c WHERE c.member_id IN ({list})"
            );
            let q = self.db.select(sql).bind_all(chunk.iter().copied());
            for r in q.fetch_all().await? {
                out.insert(
                    int(&r, "member_id")?,
                    Start::Candidate(opt_date(&r, "ceremony")?),
                );
            }
            let sql = format!(
                "SELECT member_id, MAX(effective_on) AS on_ FROM member_outcomes \
                     WHERE kind = 'readmitted' AND member_id IN ({list}) GROUP BY member_id"
            );
            let q = self.db.select(sql).bind_all(chunk.iter().copied());
            for r in q.fetch_all().await? {
                if let Some(on) = opt_text(&r, "on_")?.and_then(|s| s.parse::<Date>().ok()) {
                    out.insert(int(&r, "member_id")?, Start::Readmitted(on));
                }
            }
        }
        Ok(out)
    }

    /// The probationary members of an organization's subtree with their state on `on`.
    pub async fn probation_list(
        &self,
        scope: &Scope,
        org_id: i64,
        on: Date,
    ) -> StoreResult<Vec<ProbationRow>> {
        let (_, lo, hi) = super::subtree_range(self, scope, org_id).await?;
        self.probation_rows(Whose::Now(Orgs::Range(&lo, &hi)), on)
            .await
    }

    /// The chosen probationary members with their state on `on`, in list order.
    async fn probation_rows(&self, whose: Whose<'_>, on: Date) -> StoreResult<Vec<ProbationRow>> {
        // Probationary on `on`: from today on, the members' present status (no status span
        // starts in the future); before, the status spans (a report of a past year reads the
        // list as it stood then).
        let on_text = on.to_string();
        let probationary = if on >= today() {
            "m.status = 'probationary'"
        } else {
            "EXISTS (SELECT 1 FROM member_statuses st WHERE st.member_id = m.id \
             AND st.status = 'probationary' AND st.valid_from <= ? \
             AND (st.valid_to IS NULL OR st.valid_to > ?))"
        };
        // Those now in the organizations are chosen by their path; those placed on a day
        // come from the placed members' table, with the organization they stood at.
        let (from, org, chosen) = match whose {
            Whose::Now(orgs) => (
                "members m".to_owned(),
                "m.org_id",
                format!("{} AND ", orgs.members_now("m")),
            ),
            Whose::On(placed) => (
                format!(
                    "({}) p JOIN members m ON m.id = p.member_id",
                    placed.table()
                ),
                "p.org_id",
                String::new(),
            ),
        };
        let sql = format!(
            "SELECT m.id, m.full_name, {org} AS org_id, m.admitted_on, c.completed_on FROM {from} \
             LEFT JOIN new_member_courses c ON c.member_id = m.id \
             WHERE {chosen}{probationary} ORDER BY m.sort_key, m.id"
        );
        let mut q = whose.bind(self.db.select(sql));
        if on < today() {
            q = q.bind(on_text.clone()).bind(on_text);
        }
        let rows = q.fetch_all().await?;
        let book = rules(on)?;
        let cal = calendar()?;
        // Read for the members listed only: a past day's list would otherwise place the
        // subtree's members a second time.
        let ids: Vec<i64> = rows
            .iter()
            .map(|r| int(r, "id"))
            .collect::<StoreResult<_>>()?;
        let starts = self.probation_starts(&ids).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id = int(r, "id")?;
            let admitted_on = opt_date(r, "admitted_on")?;
            // The same rule as `probation_from`, from two reads for all the organizations
            // (a province has thousands of probationary members).
            let from = match starts.get(&id) {
                Some(Start::Readmitted(on)) => Some(*on),
                Some(Start::Candidate(ceremony)) => *ceremony,
                None => admitted_on,
            };
            let Some(from) = from else {
                continue;
            };
            out.push(ProbationRow {
                member_id: id,
                full_name: text(r, "full_name")?,
                org_id: crate::row::opt_int(r, "org_id")?,
                probation_from: from,
                course_completed_on: opt_date(r, "completed_on")?,
                state: probation::state(&book.admission, &cal, from, on),
            });
        }
        Ok(out)
    }

    /// Recognizes a probationary member as official after the cell's review on `reviewed_on`
    /// (decision `document`). The status changes to official from the end of probation.
    pub async fn recognize_official(
        &self,
        actor: &Actor,
        scope: &Scope,
        member_id: i64,
        reviewed_on: Date,
        document: &str,
    ) -> StoreResult<RecognitionRecord> {
        let rec = format!("member {member_id}");
        let member = self.member(scope, member_id).await?;
        if member.status != MemberStatus::Probationary {
            return Err(DomainError::invalid(
                &rec,
                "status",
                format!("is {}, not probationary", member.status.as_str()),
            )
            .into());
        }
        if document.trim().is_empty() {
            return Err(DomainError::invalid(
                &rec,
                "document",
                "the recognition decision's number is required",
            )
            .into());
        }
        let from = self
            .probation_from(member_id, member.identity.admitted_on)
            .await?
            .ok_or_else(|| {
                DomainError::invalid(&rec, "admitted_on", "the member has no admission date")
            })?;
        let book = rules(reviewed_on)?;
        let cal = calendar()?;
        let course = self.course_on(member_id).await?;
        let outcome = probation::check_recognition(
            &rec,
            &book.admission,
            &cal,
            from,
            course,
            reviewed_on,
            today(),
        )?;
        let reason = format!(
            "recognized official by {} (reviewed {reviewed_on})",
            document.trim()
        );
        // The status change, the recognition record and the audit entries go in one
        // transaction: a member is never official without the decision that made them so.
        let mut tx = self.db.begin().await?;
        self.change_status_in_tx(
            &mut tx,
            actor,
            scope,
            member_id,
            MemberStatus::Official,
            outcome.official_on,
            Some(&reason),
        )
        .await?;
        let (_, path) = self.member_in_tx(&mut tx, scope, member_id).await?;
        let path = path.unwrap_or_else(|| "/".into());
        let record = RecognitionRecord {
            member_id,
            ceremony_on: from,
            reviewed_on,
            official_on: outcome.official_on,
            review_due: outcome.review_due,
            late: outcome.late,
            document: document.trim().to_owned(),
        };
        let sql = self.db.sql(
            "INSERT INTO recognitions (member_id, org_path, ceremony_on, reviewed_on, official_on, review_due, late, document, recorded_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        );
        sqlx::query(&sql)
            .bind(member_id)
            .bind(&path)
            .bind(from.to_string())
            .bind(reviewed_on.to_string())
            .bind(outcome.official_on.to_string())
            .bind(outcome.review_due.to_string())
            .bind(i64::from(outcome.late))
            .bind(document.trim())
            .bind(crate::audit::now())
            .execute(&mut *tx)
            .await?;
        let sql = self.db.sql(
            "UPDATE member_statuses SET decision = ? WHERE member_id = ? AND status = 'official' AND valid_from = ?",
        );
        sqlx::query(&sql)
            .bind(document.trim())
            .bind(member_id)
            .bind(outcome.official_on.to_string())
            .execute(&mut *tx)
            .await?;
        audit_lifecycle(
            self,
            &mut tx,
            actor,
            "member.recognize",
            "member",
            member_id,
            &path,
            serde_json::json!(record),
        )
        .await?;
        tx.commit().await?;
        Ok(record)
    }
}

/// Which members a probation list or count takes.
#[derive(Debug, Clone, Copy)]
enum Whose<'a> {
    /// Those who belong to the organizations now.
    Now(Orgs<'a>),
    /// Those who stood at the organizations on a past day.
    On(MembersOn<'a>),
}

impl Whose<'_> {
    /// Binds the values of the condition or table that chooses them.
    fn bind<'d>(&self, q: Select<'d>) -> Select<'d> {
        match self {
            Whose::Now(orgs) => orgs.bind_paths(q),
            Whose::On(placed) => placed.bind(q),
        }
    }
}

/// Probationary members on a day (`"members"`), and those of them past the recognition
/// review deadline (`"review_overdue"`): at the organization they belong to now, or, for a
/// day that has passed, where they stood that day ([`MembersOn`]).
pub(crate) struct OnProbation {
    pub on: Date,
}

impl PartSet for OnProbation {
    fn key(&self) -> String {
        format!("probation_on {}", self.on)
    }

    fn rules_day(&self) -> Date {
        self.on
    }

    fn tree_on(&self) -> Option<Date> {
        (!self.open()).then_some(self.on)
    }

    fn open(&self) -> bool {
        self.on >= today()
    }

    async fn count(&self, store: &Store, orgs: Orgs<'_>) -> StoreResult<BTreeMap<i64, Counts>> {
        let mut out: BTreeMap<i64, Counts> = BTreeMap::new();
        let whose = match self.tree_on() {
            None => Whose::Now(orgs),
            Some(day) => Whose::On(MembersOn { orgs, day }),
        };
        for row in store.probation_rows(whose, self.on).await? {
            let Some(org) = row.org_id else { continue };
            let counts = out.entry(org).or_default();
            *counts.entry("members".into()).or_default() += 1;
            if matches!(row.state, ProbationState::ReviewOverdue { .. }) {
                *counts.entry("review_overdue".into()).or_default() += 1;
            }
        }
        Ok(out)
    }
}
