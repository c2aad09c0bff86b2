//! Training courses: political theory for new members, awareness classes for outstanding
//! candidates, specialized classes, thematic conferences for key cadres; with sessions,
//! participants, results and certificates.

use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use grassroots_domain::documents::{CourseKind, CourseResult, ParticipantKind};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

use super::{audit_change, check_members, created, required};
use crate::audit::Change;
use crate::row::{date, int, opt_date, opt_int, opt_text, parsed, text};
use crate::{Actor, Scope, Store, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCourse {
    /// The organizing organization.
    pub org_id: i64,
    pub kind: CourseKind,
    pub title: String,
    pub starts_on: Date,
    pub ends_on: Date,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseSession {
    pub id: i64,
    pub held_on: Date,
    pub topic: String,
}

/// A member of the registry, or a named person who is not a member yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NewParticipant {
    Member {
        member_id: i64,
    },
    Person {
        name: String,
        #[serde(default)]
        birth_date: Option<Date>,
    },
}

/// The outcome for one participant: result, score, certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParticipantResult {
    pub result: CourseResult,
    #[serde(default)]
    pub score: Option<f64>,
    #[serde(default)]
    pub certificate_no: Option<String>,
    #[serde(default)]
    pub certificate_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseParticipant {
    pub id: i64,
    pub kind: ParticipantKind,
    pub member_id: Option<i64>,
    pub person_name: Option<String>,
    pub person_birth_date: Option<Date>,
    pub result: Option<CourseResult>,
    pub score: Option<f64>,
    pub certificate_no: Option<String>,
    pub certificate_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Course {
    pub id: i64,
    pub org_id: i64,
    pub kind: CourseKind,
    pub title: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub note: Option<String>,
    pub sessions: Vec<CourseSession>,
    pub participants: Vec<CourseParticipant>,
}

/// Whether a member has passed the political theory course for new members, which
/// probation requires, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewMemberCourse {
    pub done: bool,
    pub course_id: Option<i64>,
    pub course_title: Option<String>,
    pub ends_on: Option<Date>,
    pub certificate_no: Option<String>,
    pub certificate_on: Option<Date>,
}

const PARTICIPANT_COLUMNS: &str = "id, member_id, person_name, person_birth_date, result, score, \
     certificate_no, certificate_on";

fn participant_from_row(r: &AnyRow) -> StoreResult<CourseParticipant> {
    let member_id = opt_int(r, "member_id")?;
    Ok(CourseParticipant {
        id: int(r, "id")?,
        kind: if member_id.is_some() {
            ParticipantKind::Member
        } else {
            ParticipantKind::Person
        },
        member_id,
        person_name: opt_text(r, "person_name")?,
        person_birth_date: opt_date(r, "person_birth_date")?,
        result: opt_text(r, "result")?
            .map(|s| {
                CourseResult::parse(&s).ok_or_else(|| {
                    crate::StoreError::Corrupt(format!("column result: unknown value `{s}`"))
                })
            })
            .transpose()?,
        score: sqlx::Row::try_get::<Option<f64>, _>(r, "score")?,
        certificate_no: opt_text(r, "certificate_no")?,
        certificate_on: opt_date(r, "certificate_on")?,
    })
}

pub trait TrainingReader {
    fn course(&self, scope: &Scope, id: i64) -> impl Future<Output = StoreResult<Course>> + Send;
    /// Courses organized in the subtree of `org_id`, newest first.
    fn courses_of(
        &self,
        scope: &Scope,
        org_id: i64,
    ) -> impl Future<Output = StoreResult<Vec<Course>>> + Send;
    /// The member's new-member course: done once a course of that kind records a pass.
    fn new_member_course(
        &self,
        scope: &Scope,
        member_id: i64,
    ) -> impl Future<Output = StoreResult<NewMemberCourse>> + Send;
}

pub trait TrainingWriter {
    fn create_course(
        &self,
        actor: &Actor,
        scope: &Scope,
        new: NewCourse,
    ) -> impl Future<Output = StoreResult<Course>> + Send;
    fn add_session(
        &self,
        actor: &Actor,
        scope: &Scope,
        course_id: i64,
        held_on: Date,
        topic: &str,
    ) -> impl Future<Output = StoreResult<CourseSession>> + Send;
    fn add_participant(
        &self,
        actor: &Actor,
        scope: &Scope,
        course_id: i64,
        participant: NewParticipant,
    ) -> impl Future<Output = StoreResult<CourseParticipant>> + Send;
    /// Records a participant's result once; a second result for the same participant is a
    /// conflict rather than a silent overwrite.
    fn record_result(
        &self,
        actor: &Actor,
        scope: &Scope,
        participant_id: i64,
        result: ParticipantResult,
    ) -> impl Future<Output = StoreResult<CourseParticipant>> + Send;
}

impl Store {
    /// The course's organizer path, checked against the scope.
    async fn course_path(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        scope: &Scope,
        course_id: i64,
    ) -> StoreResult<(String, Date, Date, CourseKind)> {
        let sql = self.db.sql(
            "SELECT o.path, c.starts_on, c.ends_on, c.kind FROM courses c \
             JOIN orgs o ON o.id = c.org_id WHERE c.id = ?",
        );
        let r = sqlx::query(&sql)
            .bind(course_id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| DomainError::not_found("course", course_id))?;
        let path = text(&r, "path")?;
        scope.check(&path, "course", course_id)?;
        Ok((
            path,
            date(&r, "starts_on")?,
            date(&r, "ends_on")?,
            parsed(&r, "kind", CourseKind::parse)?,
        ))
    }
}

impl TrainingReader for Store {
    async fn course(&self, scope: &Scope, id: i64) -> StoreResult<Course> {
        let sql = self
            .db
            .sql(
                "SELECT c.id, c.org_id, c.kind, c.title, c.starts_on, c.ends_on, c.note, o.path \
                 FROM courses c JOIN orgs o ON o.id = c.org_id WHERE c.id = ?",
            )
            .into_owned();
        let r = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.db.read())
            .await?
            .ok_or_else(|| DomainError::not_found("course", id))?;
        scope.check(&text(&r, "path")?, "course", id)?;
        let sql = self
            .db
            .sql("SELECT id, held_on, topic FROM course_sessions WHERE course_id = ? ORDER BY held_on, id")
            .into_owned();
        let sessions = sqlx::query(&sql)
            .bind(id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(|s| {
                Ok(CourseSession {
                    id: int(s, "id")?,
                    held_on: date(s, "held_on")?,
                    topic: text(s, "topic")?,
                })
            })
            .collect::<StoreResult<_>>()?;
        let sql = self
            .db
            .sql(&format!(
                "SELECT {PARTICIPANT_COLUMNS} FROM course_participants WHERE course_id = ? ORDER BY id"
            ))
            .into_owned();
        let participants = sqlx::query(&sql)
            .bind(id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(participant_from_row)
            .collect::<StoreResult<_>>()?;
        Ok(Course {
            id,
            org_id: int(&r, "org_id")?,
            kind: parsed(&r, "kind", CourseKind::parse)?,
            title: text(&r, "title")?,
            starts_on: date(&r, "starts_on")?,
            ends_on: date(&r, "ends_on")?,
            note: opt_text(&r, "note")?,
            sessions,
            participants,
        })
    }

    async fn courses_of(&self, scope: &Scope, org_id: i64) -> StoreResult<Vec<Course>> {
        use crate::orgs::OrgReader;
        let root = self.org(scope, org_id).await?;
        let (lo, hi) = grassroots_domain::tree_path::subtree_range(&root.path);
        let sql = self
            .db
            .sql(
                "SELECT c.id FROM courses c JOIN orgs o ON o.id = c.org_id \
                 WHERE o.path >= ? AND o.path < ? ORDER BY c.starts_on DESC, c.id DESC",
            )
            .into_owned();
        let rows = sqlx::query(&sql)
            .bind(lo)
            .bind(hi)
            .fetch_all(self.db.read())
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(self.course(scope, int(&r, "id")?).await?);
        }
        Ok(out)
    }

    async fn new_member_course(
        &self,
        scope: &Scope,
        member_id: i64,
    ) -> StoreResult<NewMemberCourse> {
        use crate::members::MemberReader;
        self.member(scope, member_id).await?;
        let sql = self
            .db
            .sql(
                "SELECT c.id, c.title, c.ends_on, p.certificate_no, p.certificate_on \
                 FROM course_participants p JOIN courses c ON c.id = p.course_id \
                 WHERE p.member_id = ? AND c.kind = ? AND p.result = ? \
                 ORDER BY c.ends_on, c.id",
            )
            .into_owned();
        let row = sqlx::query(&sql)
            .bind(member_id)
            .bind(CourseKind::NewMemberTheory.as_str())
            .bind(CourseResult::Pass.as_str())
            .fetch_optional(self.db.read())
            .await?;
        Ok(match row {
            Some(r) => NewMemberCourse {
                done: true,
                course_id: Some(int(&r, "id")?),
                course_title: Some(text(&r, "title")?),
                ends_on: Some(date(&r, "ends_on")?),
                certificate_no: opt_text(&r, "certificate_no")?,
                certificate_on: opt_date(&r, "certificate_on")?,
            },
            None => NewMemberCourse {
                done: false,
                course_id: None,
                course_title: None,
                ends_on: None,
                certificate_no: None,
                certificate_on: None,
            },
        })
    }
}

impl TrainingWriter for Store {
    async fn create_course(
        &self,
        actor: &Actor,
        scope: &Scope,
        new: NewCourse,
    ) -> StoreResult<Course> {
        let rec = format!("course `{}`", new.title.trim());
        let title = required(&rec, "title", &new.title)?;
        if new.ends_on < new.starts_on {
            return Err(DomainError::invalid(&rec, "ends_on", "is before starts_on").into());
        }
        let mut tx = self.db.begin().await?;
        let org = self.org_in_tx(&mut tx, scope, new.org_id).await?;
        let sql = self.db.sql(
            "INSERT INTO courses (org_id, kind, title, starts_on, ends_on, note) \
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        );
        let row = sqlx::query(&sql)
            .bind(org.id)
            .bind(new.kind.as_str())
            .bind(&title)
            .bind(new.starts_on.to_string())
            .bind(new.ends_on.to_string())
            .bind(new.note.clone())
            .fetch_one(&mut *tx)
            .await?;
        let id = int(&row, "id")?;
        let course = Course {
            id,
            org_id: org.id,
            kind: new.kind,
            title,
            starts_on: new.starts_on,
            ends_on: new.ends_on,
            note: new.note,
            sessions: Vec::new(),
            participants: Vec::new(),
        };
        audit_change(
            self,
            &mut tx,
            actor,
            created(
                "course.create",
                "course",
                id,
                &org.path,
                serde_json::json!(course),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(course)
    }

    async fn add_session(
        &self,
        actor: &Actor,
        scope: &Scope,
        course_id: i64,
        held_on: Date,
        topic: &str,
    ) -> StoreResult<CourseSession> {
        let rec = format!("session of course {course_id}");
        let topic = required(&rec, "topic", topic)?;
        let mut tx = self.db.begin().await?;
        let (path, starts, ends, _) = self.course_path(&mut tx, scope, course_id).await?;
        if held_on < starts || held_on > ends {
            return Err(DomainError::invalid(
                &rec,
                "held_on",
                format!("{held_on} is outside the course ({starts} to {ends})"),
            )
            .into());
        }
        let sql = self.db.sql(
            "INSERT INTO course_sessions (course_id, held_on, topic) VALUES (?, ?, ?) RETURNING id",
        );
        let row = sqlx::query(&sql)
            .bind(course_id)
            .bind(held_on.to_string())
            .bind(&topic)
            .fetch_one(&mut *tx)
            .await?;
        let session = CourseSession {
            id: int(&row, "id")?,
            held_on,
            topic,
        };
        audit_change(
            self,
            &mut tx,
            actor,
            created(
                "course.session",
                "course",
                course_id,
                &path,
                serde_json::json!(session),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(session)
    }

    async fn add_participant(
        &self,
        actor: &Actor,
        scope: &Scope,
        course_id: i64,
        participant: NewParticipant,
    ) -> StoreResult<CourseParticipant> {
        let rec = format!("participant of course {course_id}");
        let mut tx = self.db.begin().await?;
        let (path, _, _, _) = self.course_path(&mut tx, scope, course_id).await?;
        let (member_id, name, birth) = match &participant {
            NewParticipant::Member { member_id } => {
                check_members(self, &mut tx, scope, &rec, &[*member_id]).await?;
                (Some(*member_id), None, None)
            }
            NewParticipant::Person { name, birth_date } => (
                None,
                Some(required(&rec, "name", name)?),
                birth_date.map(|d| d.to_string()),
            ),
        };
        let sql = self.db.sql(
            "INSERT INTO course_participants (course_id, member_id, person_name, person_birth_date) \
             VALUES (?, ?, ?, ?) RETURNING id",
        );
        let row = sqlx::query(&sql)
            .bind(course_id)
            .bind(member_id)
            .bind(name)
            .bind(birth)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| match crate::StoreError::from(e) {
                crate::StoreError::Domain(DomainError::Conflict(_)) => crate::StoreError::Domain(
                    DomainError::Conflict(format!("{rec}: the member is already enrolled")),
                ),
                other => other,
            })?;
        let id = int(&row, "id")?;
        let sql = self
            .db
            .sql(&format!(
                "SELECT {PARTICIPANT_COLUMNS} FROM course_participants WHERE id = ?"
            ))
            .into_owned();
        let out = participant_from_row(&sqlx::query(&sql).bind(id).fetch_one(&mut *tx).await?)?;
        audit_change(
            self,
            &mut tx,
            actor,
            created(
                "course.participant",
                "course_participant",
                id,
                &path,
                serde_json::json!(out),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn record_result(
        &self,
        actor: &Actor,
        scope: &Scope,
        participant_id: i64,
        result: ParticipantResult,
    ) -> StoreResult<CourseParticipant> {
        let rec = format!("course participant {participant_id}");
        if let Some(score) = result.score
            && !(score.is_finite() && (0.0..=100.0).contains(&score))
        {
            return Err(DomainError::invalid(&rec, "score", "must be between 0 and 100").into());
        }
        let certificate_no = result
            .certificate_no
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if certificate_no.is_some() != result.certificate_on.is_some() {
            return Err(DomainError::invalid(
                &rec,
                "certificate_on",
                "a certificate needs both its number and its date",
            )
            .into());
        }
        if certificate_no.is_some() && result.result != CourseResult::Pass {
            return Err(DomainError::invalid(
                &rec,
                "certificate_no",
                "only a participant who passed gets a certificate",
            )
            .into());
        }
        let mut tx = self.db.begin().await?;
        let sql = self
            .db
            .sql(&format!(
                "SELECT course_id, {PARTICIPANT_COLUMNS} FROM course_participants WHERE id = ?"
            ))
            .into_owned();
        let row = sqlx::query(&sql)
            .bind(participant_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| DomainError::not_found("course participant", participant_id))?;
        let course_id = int(&row, "course_id")?;
        let before = participant_from_row(&row)?;
        let (path, starts, _, _) = self
            .course_path(&mut tx, scope, course_id)
            .await
            .map_err(|_| DomainError::not_found("course participant", participant_id))?;
        if let Some(r) = before.result {
            return Err(
                DomainError::Conflict(format!("{rec} already has the result `{r}`")).into(),
            );
        }
        if let Some(on) = result.certificate_on
            && on < starts
        {
            return Err(
                DomainError::invalid(&rec, "certificate_on", "is before the course").into(),
            );
        }
        let upd = self.db.sql(
            "UPDATE course_participants SET result = ?, score = ?, certificate_no = ?, \
             certificate_on = ? WHERE id = ?",
        );
        sqlx::query(&upd)
            .bind(result.result.as_str())
            .bind(result.score)
            .bind(certificate_no.map(str::to_owned))
            .bind(result.certificate_on.map(|d| d.to_string()))
            .bind(participant_id)
            .execute(&mut *tx)
            .await
            .map_err(|e| match crate::StoreError::from(e) {
                crate::StoreError::Domain(DomainError::Conflict(_)) => {
                    crate::StoreError::Domain(DomainError::Conflict(format!(
                        "{rec}: certificate {} is already given in this course",
                        certificate_no.unwrap_or_default()
                    )))
                }
                other => other,
            })?;
        let after = participant_from_row(
            &sqlx::query(&sql)
                .bind(participant_id)
                .fetch_one(&mut *tx)
                .await?,
        )?;
        audit_change(
            self,
            &mut tx,
            actor,
            Change {
                action: "course.result",
                entity: "course_participant",
                entity_id: participant_id.to_string(),
                org_path: &path,
                before: Some(serde_json::json!(before)),
                after: Some(serde_json::json!(after)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
