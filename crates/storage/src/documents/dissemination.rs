//! Dissemination (học tập, quán triệt): conferences and classes that carry documents to
//! members and others; and each member's own list of documents to study.

use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use grassroots_domain::documents::DisseminationKind;
use grassroots_domain::member::MemberStatus;
use serde::{Deserialize, Serialize};

use super::{audit_change, check_members, created, required};
use crate::audit::Change;
use crate::orgs::today;
use crate::row::{date, int, opt_date, opt_text, parsed, text};
use crate::{Actor, Scope, Store, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDissemination {
    /// The organizing organization.
    pub org_id: i64,
    pub kind: DisseminationKind,
    pub title: String,
    pub held_on: Date,
    pub document_ids: Vec<i64>,
    /// Members of the registry who attended.
    #[serde(default)]
    pub member_ids: Vec<i64>,
    /// Attendees who are not members (candidates, officials, the public).
    #[serde(default)]
    pub non_member_count: i64,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dissemination {
    pub id: i64,
    pub org_id: i64,
    pub kind: DisseminationKind,
    pub title: String,
    pub held_on: Date,
    pub document_ids: Vec<i64>,
    pub member_ids: Vec<i64>,
    pub non_member_count: i64,
    pub note: Option<String>,
}

impl Dissemination {
    /// Everyone who attended: members by name and non-members by count.
    pub fn participants(&self) -> i64 {
        self.member_ids.len() as i64 + self.non_member_count
    }
}

/// One document on a member's study list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudyItem {
    pub document_id: i64,
    pub number_text: String,
    pub title: String,
    pub assigned_on: Date,
    pub due_on: Option<Date>,
    pub studied_on: Option<Date>,
}

pub trait DisseminationReader {
    fn dissemination(
        &self,
        scope: &Scope,
        id: i64,
    ) -> impl Future<Output = StoreResult<Dissemination>> + Send;
    /// Conferences and classes held in the subtree of `org_id`, newest first.
    fn disseminations_of(
        &self,
        scope: &Scope,
        org_id: i64,
    ) -> impl Future<Output = StoreResult<Vec<Dissemination>>> + Send;
    /// The member's documents to study, the unstudied first, then by due date.
    fn study_list(
        &self,
        scope: &Scope,
        member_id: i64,
    ) -> impl Future<Output = StoreResult<Vec<StudyItem>>> + Send;
}

pub trait DisseminationWriter {
    /// Records a conference or class with its documents and attendees. Attending counts as
    /// studying the documents for members who had them on their list.
    fn record_dissemination(
        &self,
        actor: &Actor,
        scope: &Scope,
        new: NewDissemination,
    ) -> impl Future<Output = StoreResult<Dissemination>> + Send;
    /// Puts a document on the study list of every active member in the subtree of
    /// `org_id` who does not have it yet. Returns how many were added.
    fn assign_study(
        &self,
        actor: &Actor,
        scope: &Scope,
        org_id: i64,
        document_id: i64,
        assigned_on: Date,
        due_on: Option<Date>,
    ) -> impl Future<Output = StoreResult<i64>> + Send;
    /// Marks a document on a member's list as studied.
    fn mark_studied(
        &self,
        actor: &Actor,
        scope: &Scope,
        member_id: i64,
        document_id: i64,
        on: Date,
    ) -> impl Future<Output = StoreResult<StudyItem>> + Send;
}

impl DisseminationReader for Store {
    async fn dissemination(&self, scope: &Scope, id: i64) -> StoreResult<Dissemination> {
        let sql = self
            .db
            .sql(
                "SELECT e.id, e.org_id, e.kind, e.title, e.held_on, e.non_member_count, e.note, \
                 o.path FROM dissemination_events e JOIN orgs o ON o.id = e.org_id WHERE e.id = ?",
            )
            .into_owned();
        let r = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.db.read())
            .await?
            .ok_or_else(|| DomainError::not_found("dissemination", id))?;
        scope.check(&text(&r, "path")?, "dissemination", id)?;
        let ids = |table: &str, col: &str| {
            self.db
                .sql(&format!(
                    "SELECT {col} AS x FROM {table} WHERE event_id = ? ORDER BY {col}"
                ))
                .into_owned()
        };
        let docs = sqlx::query(&ids("dissemination_documents", "document_id"))
            .bind(id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(|r| int(r, "x"))
            .collect::<StoreResult<_>>()?;
        let members = sqlx::query(&ids("dissemination_attendees", "member_id"))
            .bind(id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(|r| int(r, "x"))
            .collect::<StoreResult<_>>()?;
        Ok(Dissemination {
            id,
            org_id: int(&r, "org_id")?,
            kind: parsed(&r, "kind", DisseminationKind::parse)?,
            title: text(&r, "title")?,
            held_on: date(&r, "held_on")?,
            document_ids: docs,
            member_ids: members,
            non_member_count: int(&r, "non_member_count")?,
            note: opt_text(&r, "note")?,
        })
    }

    async fn disseminations_of(
        &self,
        scope: &Scope,
        org_id: i64,
    ) -> StoreResult<Vec<Dissemination>> {
        use crate::orgs::OrgReader;
        let root = self.org(scope, org_id).await?;
        let (lo, hi) = grassroots_domain::tree_path::subtree_range(&root.path);
        let sql = self
            .db
            .sql(
                "SELECT e.id FROM dissemination_events e JOIN orgs o ON o.id = e.org_id \
                 WHERE o.path >= ? AND o.path < ? ORDER BY e.held_on DESC, e.id DESC",
            )
            .into_owned();
        let rows = sqlx::query(&sql)
            .bind(lo)
            .bind(hi)
            .fetch_all(self.db.read())
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(self.dissemination(scope, int(&r, "id")?).await?);
        }
        Ok(out)
    }

    async fn study_list(&self, scope: &Scope, member_id: i64) -> StoreResult<Vec<StudyItem>> {
        use crate::members::MemberReader;
        self.member(scope, member_id).await?;
        let sql = self
            .db
            .sql(
                "SELECT s.document_id, d.number, d.type_code, d.issuer_code, d.title, \
                 s.assigned_on, s.due_on, s.studied_on FROM study_assignments s \
                 JOIN documents d ON d.id = s.document_id WHERE s.member_id = ? \
                 ORDER BY CASE WHEN s.studied_on IS NULL THEN 0 ELSE 1 END, s.due_on, s.id",
            )
            .into_owned();
        sqlx::query(&sql)
            .bind(member_id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(|r| {
                let number = grassroots_domain::documents::DocumentNumber {
                    number: u32::try_from(int(r, "number")?).unwrap_or(0),
                    type_code: text(r, "type_code")?,
                    issuer: text(r, "issuer_code")?,
                };
                Ok(StudyItem {
                    document_id: int(r, "document_id")?,
                    number_text: number.to_string(),
                    title: text(r, "title")?,
                    assigned_on: date(r, "assigned_on")?,
                    due_on: opt_date(r, "due_on")?,
                    studied_on: opt_date(r, "studied_on")?,
                })
            })
            .collect()
    }
}

impl DisseminationWriter for Store {
    async fn record_dissemination(
        &self,
        actor: &Actor,
        scope: &Scope,
        new: NewDissemination,
    ) -> StoreResult<Dissemination> {
        let rec = format!("dissemination `{}`", new.title.trim());
        let title = required(&rec, "title", &new.title)?;
        if new.held_on > today() {
            return Err(DomainError::invalid(&rec, "held_on", "is in the future").into());
        }
        if new.non_member_count < 0 {
            return Err(DomainError::invalid(&rec, "non_member_count", "is negative").into());
        }
        if new.document_ids.is_empty() {
            return Err(DomainError::invalid(
                &rec,
                "document_ids",
                "name at least one document disseminated",
            )
            .into());
        }
        let mut members = new.member_ids.clone();
        members.sort_unstable();
        members.dedup();
        let mut docs = new.document_ids.clone();
        docs.sort_unstable();
        docs.dedup();
        let mut tx = self.db.begin().await?;
        let org = self.org_in_tx(&mut tx, scope, new.org_id).await?;
        for d in &docs {
            let doc = self.document_in_tx(&mut tx, scope, *d).await?;
            if doc.issued_on > new.held_on {
                return Err(DomainError::invalid(
                    &rec,
                    "held_on",
                    format!(
                        "is before {} was issued ({})",
                        doc.number_text, doc.issued_on
                    ),
                )
                .into());
            }
        }
        check_members(self, &mut tx, scope, &rec, &members).await?;
        let sql = self.db.sql(
            "INSERT INTO dissemination_events (org_id, kind, title, held_on, non_member_count, note) \
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        );
        let row = sqlx::query(&sql)
            .bind(org.id)
            .bind(new.kind.as_str())
            .bind(&title)
            .bind(new.held_on.to_string())
            .bind(new.non_member_count)
            .bind(new.note.clone())
            .fetch_one(&mut *tx)
            .await?;
        let id = int(&row, "id")?;
        let link_doc = self
            .db
            .sql("INSERT INTO dissemination_documents (event_id, document_id) VALUES (?, ?)");
        for d in &docs {
            sqlx::query(&link_doc)
                .bind(id)
                .bind(*d)
                .execute(&mut *tx)
                .await?;
        }
        let attend = self
            .db
            .sql("INSERT INTO dissemination_attendees (event_id, member_id) VALUES (?, ?)");
        let studied = self.db.sql(
            "UPDATE study_assignments SET studied_on = ? \
             WHERE member_id = ? AND document_id = ? AND studied_on IS NULL",
        );
        for m in &members {
            sqlx::query(&attend)
                .bind(id)
                .bind(*m)
                .execute(&mut *tx)
                .await?;
            for d in &docs {
                sqlx::query(&studied)
                    .bind(new.held_on.to_string())
                    .bind(*m)
                    .bind(*d)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let out = Dissemination {
            id,
            org_id: org.id,
            kind: new.kind,
            title,
            held_on: new.held_on,
            document_ids: docs,
            member_ids: members,
            non_member_count: new.non_member_count,
            note: new.note,
        };
        audit_change(
            self,
            &mut tx,
            actor,
            created(
                "dissemination.record",
                "dissemination",
                id,
                &org.path,
                serde_json::json!(out),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn assign_study(
        &self,
        actor: &Actor,
        scope: &Scope,
        org_id: i64,
        document_id: i64,
        assigned_on: Date,
        due_on: Option<Date>,
    ) -> StoreResult<i64> {
        let rec = format!("study of document {document_id}");
        if due_on.is_some_and(|d| d < assigned_on) {
            return Err(DomainError::invalid(&rec, "due_on", "is before assigned_on").into());
        }
        let mut tx = self.db.begin().await?;
        let org = self.org_in_tx(&mut tx, scope, org_id).await?;
        let doc = self.document_in_tx(&mut tx, scope, document_id).await?;
        if assigned_on < doc.issued_on {
            return Err(DomainError::invalid(
                &rec,
                "assigned_on",
                format!("is before {} was issued", doc.number_text),
            )
            .into());
        }
        let (lo, hi) = grassroots_domain::tree_path::subtree_range(&org.path);
        let sql = self.db.sql(
            "INSERT INTO study_assignments (member_id, document_id, assigned_on, due_on, studied_on) \
             SELECT m.id, ?, ?, ?, NULL FROM members m \
             WHERE m.org_path >= ? AND m.org_path < ? AND m.status IN (?, ?) \
             AND NOT EXISTS (SELECT 1 FROM study_assignments s \
                             WHERE s.member_id = m.id AND s.document_id = ?)",
        );
        let added = sqlx::query(&sql)
            .bind(document_id)
            .bind(assigned_on.to_string())
            .bind(due_on.map(|d| d.to_string()))
            .bind(lo)
            .bind(hi)
            .bind(MemberStatus::Probationary.as_str())
            .bind(MemberStatus::Official.as_str())
            .bind(document_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let added = i64::try_from(added).unwrap_or(i64::MAX);
        audit_change(
            self,
            &mut tx,
            actor,
            created(
                "study.assign",
                "document",
                document_id,
                &org.path,
                serde_json::json!({
                    "org_id": org.id, "document": doc.number_text, "assigned_on": assigned_on,
                    "due_on": due_on, "members_added": added
                }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(added)
    }

    async fn mark_studied(
        &self,
        actor: &Actor,
        scope: &Scope,
        member_id: i64,
        document_id: i64,
        on: Date,
    ) -> StoreResult<StudyItem> {
        use super::DisseminationReader;
        let rec = format!("study of document {document_id} by member {member_id}");
        if on > today() {
            return Err(DomainError::invalid(&rec, "studied_on", "is in the future").into());
        }
        let mut tx = self.db.begin().await?;
        check_members(self, &mut tx, scope, &rec, &[member_id]).await?;
        let sql = self.db.sql(
            "SELECT assigned_on, studied_on FROM study_assignments WHERE member_id = ? AND document_id = ?",
        );
        let row = sqlx::query(&sql)
            .bind(member_id)
            .bind(document_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| {
                DomainError::invalid(&rec, "document_id", "is not on the member's study list")
            })?;
        if let Some(done) = opt_date(&row, "studied_on")? {
            return Err(DomainError::Conflict(format!("{rec}: already studied on {done}")).into());
        }
        if on < date(&row, "assigned_on")? {
            return Err(
                DomainError::invalid(&rec, "studied_on", "is before it was assigned").into(),
            );
        }
        let upd = self.db.sql(
            "UPDATE study_assignments SET studied_on = ? WHERE member_id = ? AND document_id = ?",
        );
        sqlx::query(&upd)
            .bind(on.to_string())
            .bind(member_id)
            .bind(document_id)
            .execute(&mut *tx)
            .await?;
        let path = crate::row::opt_text(
            &sqlx::query(&self.db.sql("SELECT org_path FROM members WHERE id = ?"))
                .bind(member_id)
                .fetch_one(&mut *tx)
                .await?,
            "org_path",
        )?
        .unwrap_or_else(|| "/".into());
        audit_change(
            self,
            &mut tx,
            actor,
            Change {
                action: "study.done",
                entity: "member",
                entity_id: member_id.to_string(),
                org_path: &path,
                before: None,
                after: Some(serde_json::json!({"document_id": document_id, "studied_on": on})),
            },
        )
        .await?;
        tx.commit().await?;
        self.study_list(scope, member_id)
            .await?
            .into_iter()
            .find(|s| s.document_id == document_id)
            .ok_or_else(|| DomainError::not_found("study item", document_id).into())
    }
}
