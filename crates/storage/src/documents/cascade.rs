//! The cascade: a higher document concretized into plans and programs down the tree, each
//! with tasks and deadlines, and preliminary and final reviews; and the tree view that
//! answers "which organizations have not yet concretized, or not yet reviewed, X?".

use std::collections::BTreeMap;

use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use grassroots_domain::documents::{DocumentStatus, ReviewKind};
use grassroots_domain::org::OrgKind;
use grassroots_domain::tree_path;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

use super::register::Document;
use super::{audit_change, created, required};
use crate::audit::Change;
use crate::orgs::{OrgReader, today};
use crate::row::{date, int, opt_date, opt_int, opt_text, parsed, text};
use crate::{Actor, Scope, Store, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: i64,
    pub document_id: i64,
    pub title: String,
    pub assignee_org_id: Option<i64>,
    pub due_on: Option<Date>,
    pub done_on: Option<Date>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTask {
    pub title: String,
    #[serde(default)]
    pub assignee_org_id: Option<i64>,
    #[serde(default)]
    pub due_on: Option<Date>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub id: i64,
    pub document_id: i64,
    pub org_id: i64,
    pub kind: ReviewKind,
    pub held_on: Date,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewReview {
    /// The document reviewed: the higher document or the organization's own plan under it.
    pub document_id: i64,
    /// The organization holding the review.
    pub org_id: i64,
    pub kind: ReviewKind,
    pub held_on: Date,
    #[serde(default)]
    pub note: Option<String>,
}

/// One organization expected to concretize a document, and how far it has got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CascadeRow {
    pub org_id: i64,
    pub org_code: String,
    pub org_name: String,
    pub org_kind: OrgKind,
    pub org_path: String,
    /// The organization's own documents in the cascade (`number_text`, issued on).
    pub concretized_by: Vec<(String, Date)>,
    /// The first preliminary and final reviews it held of the document or its cascade.
    pub preliminary_review: Option<Date>,
    pub final_review: Option<Date>,
}

/// The tree view of one document in one subtree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CascadeStatus {
    pub document: Document,
    pub root_org_id: i64,
    /// Every organization of the expected kinds in the subtree, ordered by path.
    pub rows: Vec<CascadeRow>,
}

impl CascadeStatus {
    pub fn not_concretized(&self) -> Vec<&CascadeRow> {
        self.rows
            .iter()
            .filter(|r| r.concretized_by.is_empty())
            .collect()
    }

    pub fn not_reviewed(&self, kind: ReviewKind) -> Vec<&CascadeRow> {
        self.rows
            .iter()
            .filter(|r| match kind {
                ReviewKind::Preliminary => r.preliminary_review.is_none(),
                ReviewKind::Final => r.final_review.is_none(),
            })
            .collect()
    }
}

fn task_from_row(r: &AnyRow) -> StoreResult<Task> {
    Ok(Task {
        id: int(r, "id")?,
        document_id: int(r, "document_id")?,
        title: text(r, "title")?,
        assignee_org_id: opt_int(r, "assignee_org_id")?,
        due_on: opt_date(r, "due_on")?,
        done_on: opt_date(r, "done_on")?,
        note: opt_text(r, "note")?,
    })
}

fn review_from_row(r: &AnyRow) -> StoreResult<Review> {
    Ok(Review {
        id: int(r, "id")?,
        document_id: int(r, "document_id")?,
        org_id: int(r, "org_id")?,
        kind: parsed(r, "kind", ReviewKind::parse)?,
        held_on: date(r, "held_on")?,
        note: opt_text(r, "note")?,
    })
}

const TASK_COLUMNS: &str = "id, document_id, title, assignee_org_id, due_on, done_on, note";

pub trait CascadeReader {
    fn tasks(
        &self,
        scope: &Scope,
        document_id: i64,
    ) -> impl Future<Output = StoreResult<Vec<Task>>> + Send;
    fn reviews(
        &self,
        scope: &Scope,
        document_id: i64,
    ) -> impl Future<Output = StoreResult<Vec<Review>>> + Send;
    /// Which organizations of the kinds expected to concretize `document_id`, in the subtree
    /// of `root_org_id`, have concretized and reviewed it.
    fn cascade_status(
        &self,
        scope: &Scope,
        document_id: i64,
        root_org_id: i64,
    ) -> impl Future<Output = StoreResult<CascadeStatus>> + Send;
}

pub trait CascadeWriter {
    fn add_task(
        &self,
        actor: &Actor,
        scope: &Scope,
        document_id: i64,
        task: NewTask,
    ) -> impl Future<Output = StoreResult<Task>> + Send;
    fn complete_task(
        &self,
        actor: &Actor,
        scope: &Scope,
        task_id: i64,
        done_on: Date,
    ) -> impl Future<Output = StoreResult<Task>> + Send;
    fn record_review(
        &self,
        actor: &Actor,
        scope: &Scope,
        review: NewReview,
    ) -> impl Future<Output = StoreResult<Review>> + Send;
}

impl CascadeReader for Store {
    async fn tasks(&self, scope: &Scope, document_id: i64) -> StoreResult<Vec<Task>> {
        use super::DocumentReader;
        self.document(scope, document_id).await?;
        let sql = self
            .db
            .sql(&format!(
                "SELECT {TASK_COLUMNS} FROM document_tasks WHERE document_id = ? ORDER BY due_on, id"
            ))
            .into_owned();
        sqlx::query(&sql)
            .bind(document_id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(task_from_row)
            .collect()
    }

    async fn reviews(&self, scope: &Scope, document_id: i64) -> StoreResult<Vec<Review>> {
        use super::DocumentReader;
        self.document(scope, document_id).await?;
        let sql = self
            .db
            .sql(
                "SELECT id, document_id, org_id, kind, held_on, note FROM document_reviews \
                 WHERE document_id = ? ORDER BY held_on, id",
            )
            .into_owned();
        sqlx::query(&sql)
            .bind(document_id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(review_from_row)
            .collect()
    }

    async fn cascade_status(
        &self,
        scope: &Scope,
        document_id: i64,
        root_org_id: i64,
    ) -> StoreResult<CascadeStatus> {
        use super::DocumentReader;
        let document = self.document(scope, document_id).await?;
        let root = self.org(scope, root_org_id).await?;
        let (lo, hi) = tree_path::subtree_range(&root.path);
        let mut rows: BTreeMap<i64, CascadeRow> = BTreeMap::new();
        if !document.concretize_by.is_empty() {
            let marks = vec!["?"; document.concretize_by.len()].join(", ");
            let sql = self
                .db
                .sql(&format!(
                    "SELECT id, code, name, kind, path FROM orgs \
                     WHERE path >= ? AND path < ? AND dissolved_on IS NULL AND id <> ? \
                     AND kind IN ({marks}) ORDER BY path"
                ))
                .into_owned();
            let mut q = sqlx::query(&sql)
                .bind(&lo)
                .bind(&hi)
                .bind(document.issuer_org_id);
            for k in &document.concretize_by {
                q = q.bind(k.as_str());
            }
            for r in q.fetch_all(self.db.read()).await? {
                let id = int(&r, "id")?;
                rows.insert(
                    id,
                    CascadeRow {
                        org_id: id,
                        org_code: text(&r, "code")?,
                        org_name: text(&r, "name")?,
                        org_kind: parsed(&r, "kind", OrgKind::parse)?,
                        org_path: text(&r, "path")?,
                        concretized_by: Vec::new(),
                        preliminary_review: None,
                        final_review: None,
                    },
                );
            }
        }
        let (clo, chi) = tree_path::subtree_range(&document.cascade_path);
        let sql = self
            .db
            .sql(
                "SELECT issuer_org_id, number, type_code, issuer_code, issued_on FROM documents \
                 WHERE cascade_path >= ? AND cascade_path < ? AND id <> ? AND status <> ? \
                 ORDER BY issued_on, id",
            )
            .into_owned();
        let docs = sqlx::query(&sql)
            .bind(&clo)
            .bind(&chi)
            .bind(document.id)
            .bind(DocumentStatus::Revoked.as_str())
            .fetch_all(self.db.read())
            .await?;
        for r in docs {
            if let Some(row) = rows.get_mut(&int(&r, "issuer_org_id")?) {
                let number = grassroots_domain::documents::DocumentNumber {
                    number: u32::try_from(int(&r, "number")?).unwrap_or(0),
                    type_code: text(&r, "type_code")?,
                    issuer: text(&r, "issuer_code")?,
                };
                row.concretized_by
                    .push((number.to_string(), date(&r, "issued_on")?));
            }
        }
        let sql = self
            .db
            .sql(
                "SELECT r.org_id, r.kind, MIN(r.held_on) AS first_on FROM document_reviews r \
                 JOIN documents d ON d.id = r.document_id \
                 WHERE d.cascade_path >= ? AND d.cascade_path < ? GROUP BY r.org_id, r.kind",
            )
            .into_owned();
        let reviews = sqlx::query(&sql)
            .bind(&clo)
            .bind(&chi)
            .fetch_all(self.db.read())
            .await?;
        for r in reviews {
            if let Some(row) = rows.get_mut(&int(&r, "org_id")?) {
                let on = date(&r, "first_on")?;
                match parsed(&r, "kind", ReviewKind::parse)? {
                    ReviewKind::Preliminary => row.preliminary_review = Some(on),
                    ReviewKind::Final => row.final_review = Some(on),
                }
            }
        }
        let mut rows: Vec<CascadeRow> = rows.into_values().collect();
        rows.sort_by(|a, b| a.org_path.cmp(&b.org_path));
        Ok(CascadeStatus {
            document,
            root_org_id,
            rows,
        })
    }
}

impl CascadeWriter for Store {
    async fn add_task(
        &self,
        actor: &Actor,
        scope: &Scope,
        document_id: i64,
        task: NewTask,
    ) -> StoreResult<Task> {
        let rec = format!("task of document {document_id}");
        let title = required(&rec, "title", &task.title)?;
        let mut tx = self.db.begin().await?;
        let doc = self.document_in_tx(&mut tx, scope, document_id).await?;
        scope.check(&doc.issuer_org_path, "document", document_id)?;
        if let Some(due) = task.due_on
            && due < doc.issued_on
        {
            return Err(DomainError::invalid(
                &rec,
                "due_on",
                format!(
                    "{due} is before the document was issued ({})",
                    doc.issued_on
                ),
            )
            .into());
        }
        if let Some(org_id) = task.assignee_org_id {
            let org = self.org_in_tx(&mut tx, scope, org_id).await?;
            if !org.path.starts_with(&doc.issuer_org_path) {
                return Err(DomainError::invalid(
                    &rec,
                    "assignee_org_id",
                    format!(
                        "{} is not under the issuer {}",
                        org.code, doc.issuer_org_code
                    ),
                )
                .into());
            }
        }
        let sql = self.db.sql(
            "INSERT INTO document_tasks (document_id, title, assignee_org_id, due_on, done_on, note) \
             VALUES (?, ?, ?, ?, NULL, ?) RETURNING id",
        );
        let row = sqlx::query(&sql)
            .bind(document_id)
            .bind(&title)
            .bind(task.assignee_org_id)
            .bind(task.due_on.map(|d| d.to_string()))
            .bind(task.note)
            .fetch_one(&mut *tx)
            .await?;
        let id = int(&row, "id")?;
        let sql = self
            .db
            .sql(&format!(
                "SELECT {TASK_COLUMNS} FROM document_tasks WHERE id = ?"
            ))
            .into_owned();
        let task = task_from_row(&sqlx::query(&sql).bind(id).fetch_one(&mut *tx).await?)?;
        audit_change(
            self,
            &mut tx,
            actor,
            created(
                "document.task",
                "document_task",
                id,
                &doc.issuer_org_path,
                serde_json::json!(task),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(task)
    }

    async fn complete_task(
        &self,
        actor: &Actor,
        scope: &Scope,
        task_id: i64,
        done_on: Date,
    ) -> StoreResult<Task> {
        let rec = format!("task {task_id}");
        if done_on > today() {
            return Err(DomainError::invalid(&rec, "done_on", "is in the future").into());
        }
        let mut tx = self.db.begin().await?;
        let sql = self
            .db
            .sql(&format!(
                "SELECT {TASK_COLUMNS} FROM document_tasks WHERE id = ?"
            ))
            .into_owned();
        let before = task_from_row(
            &sqlx::query(&sql)
                .bind(task_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| DomainError::not_found("task", task_id))?,
        )?;
        let doc = self
            .document_in_tx(&mut tx, scope, before.document_id)
            .await
            .map_err(|_| DomainError::not_found("task", task_id))?;
        let assignee_path = match before.assignee_org_id {
            Some(org) => self.org_in_tx(&mut tx, &Scope::all(), org).await?.path,
            None => doc.issuer_org_path.clone(),
        };
        if !scope.covers(&assignee_path) && !scope.covers(&doc.issuer_org_path) {
            return Err(DomainError::not_found("task", task_id).into());
        }
        if let Some(done) = before.done_on {
            return Err(DomainError::Conflict(format!("{rec} was already done on {done}")).into());
        }
        if done_on < doc.issued_on {
            return Err(DomainError::invalid(&rec, "done_on", "is before the document").into());
        }
        let upd = self
            .db
            .sql("UPDATE document_tasks SET done_on = ? WHERE id = ?");
        sqlx::query(&upd)
            .bind(done_on.to_string())
            .bind(task_id)
            .execute(&mut *tx)
            .await?;
        let after = task_from_row(&sqlx::query(&sql).bind(task_id).fetch_one(&mut *tx).await?)?;
        audit_change(
            self,
            &mut tx,
            actor,
            Change {
                action: "document.task.done",
                entity: "document_task",
                entity_id: task_id.to_string(),
                org_path: &assignee_path,
                before: Some(serde_json::json!(before)),
                after: Some(serde_json::json!(after)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn record_review(
        &self,
        actor: &Actor,
        scope: &Scope,
        review: NewReview,
    ) -> StoreResult<Review> {
        let rec = format!("review of document {}", review.document_id);
        if review.held_on > today() {
            return Err(DomainError::invalid(&rec, "held_on", "is in the future").into());
        }
        let mut tx = self.db.begin().await?;
        let doc = self
            .document_in_tx(&mut tx, scope, review.document_id)
            .await?;
        let org = self.org_in_tx(&mut tx, scope, review.org_id).await?;
        if !org.path.starts_with(&doc.issuer_org_path) {
            return Err(DomainError::invalid(
                &rec,
                "org_id",
                format!(
                    "{} is not under {}, the issuer of {}",
                    org.code, doc.issuer_org_code, doc.number_text
                ),
            )
            .into());
        }
        if review.held_on < doc.issued_on {
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
        let sql = self.db.sql(
            "INSERT INTO document_reviews (document_id, org_id, kind, held_on, note) \
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        );
        let row = sqlx::query(&sql)
            .bind(review.document_id)
            .bind(org.id)
            .bind(review.kind.as_str())
            .bind(review.held_on.to_string())
            .bind(review.note.clone())
            .fetch_one(&mut *tx)
            .await?;
        let id = int(&row, "id")?;
        let out = Review {
            id,
            document_id: review.document_id,
            org_id: org.id,
            kind: review.kind,
            held_on: review.held_on,
            note: review.note,
        };
        audit_change(
            self,
            &mut tx,
            actor,
            created(
                "document.review",
                "document_review",
                id,
                &org.path,
                serde_json::json!(out),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }
}
