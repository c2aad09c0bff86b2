//! The document register: numbering per issuer, type and congress term; status; files.

use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use grassroots_domain::documents::{DocumentNumber, DocumentStatus};
use grassroots_domain::org::OrgKind;
use grassroots_domain::tree_path;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

use super::{audit_change, created, required, rules_on, visible_from};
use crate::audit::Change;
use crate::orgs::today;
use crate::row::{date, int, opt_int, opt_text, parsed, text};
use crate::{Actor, Scope, Store, StoreResult};

/// Attachments are kept in the database, so their size is bounded: scanned documents of a
/// few pages fit, whole archives do not.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: i64,
    pub issuer_org_id: i64,
    pub issuer_org_code: String,
    pub issuer_org_path: String,
    pub number: DocumentNumber,
    /// The canonical number text, `35-CT/TW`.
    pub number_text: String,
    /// The congress term the number belongs to, `2020–2025`.
    pub term: String,
    pub issued_on: Date,
    pub title: String,
    pub summary: Option<String>,
    pub status: DocumentStatus,
    /// The higher document this one concretizes.
    pub parent_id: Option<i64>,
    /// Document ids from the top of the cascade down to this one.
    pub cascade_path: String,
    /// Organization kinds expected to concretize this document in their own plans.
    pub concretize_by: Vec<OrgKind>,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDocument {
    pub issuer_org_id: i64,
    /// `CT`, `KH`, `QĐ` (or its ASCII form `QD`).
    pub type_code: String,
    /// The issuer code; by default the one the rulebook gives the issuer's kind.
    #[serde(default)]
    pub issuer_code: Option<String>,
    /// An explicit number (registering an existing document); `None` takes the next one.
    #[serde(default)]
    pub number: Option<u32>,
    pub issued_on: Date,
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub parent_id: Option<i64>,
    #[serde(default)]
    pub concretize_by: Vec<OrgKind>,
    /// The congress term, when the issuer's congress fell on another day than the
    /// rulebook's term boundary; `None` takes the term from the rulebook.
    #[serde(default)]
    pub term: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewFile {
    pub name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileInfo {
    pub id: i64,
    pub document_id: i64,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub added_at: String,
    pub added_by: String,
}

pub(crate) const DOCUMENT_COLUMNS: &str = "d.id, d.issuer_org_id, o.code AS issuer_org_code, \
     o.path AS issuer_org_path, d.issuer_code, d.type_code, d.term, d.number, d.issued_on, \
     d.title, d.summary, d.status, d.parent_id, d.cascade_path, d.version";

fn document_from_row(r: &AnyRow) -> StoreResult<Document> {
    let number = DocumentNumber {
        number: u32::try_from(int(r, "number")?).unwrap_or(0),
        type_code: text(r, "type_code")?,
        issuer: text(r, "issuer_code")?,
    };
    Ok(Document {
        id: int(r, "id")?,
        issuer_org_id: int(r, "issuer_org_id")?,
        issuer_org_code: text(r, "issuer_org_code")?,
        issuer_org_path: text(r, "issuer_org_path")?,
        number_text: number.to_string(),
        number,
        term: text(r, "term")?,
        issued_on: date(r, "issued_on")?,
        title: text(r, "title")?,
        summary: opt_text(r, "summary")?,
        status: parsed(r, "status", DocumentStatus::parse)?,
        parent_id: opt_int(r, "parent_id")?,
        cascade_path: text(r, "cascade_path")?,
        concretize_by: Vec::new(),
        version: int(r, "version")?,
    })
}

fn file_from_row(r: &AnyRow) -> StoreResult<FileInfo> {
    Ok(FileInfo {
        id: int(r, "id")?,
        document_id: int(r, "document_id")?,
        name: text(r, "name")?,
        content_type: text(r, "content_type")?,
        size_bytes: int(r, "size_bytes")?,
        added_at: text(r, "added_at")?,
        added_by: text(r, "added_by")?,
    })
}

/// Reading the register.
pub trait DocumentReader {
    fn document(
        &self,
        scope: &Scope,
        id: i64,
    ) -> impl Future<Output = StoreResult<Document>> + Send;
    /// Documents with this number that the scope can see (one per issuer and term).
    fn documents_by_number(
        &self,
        scope: &Scope,
        number: &DocumentNumber,
    ) -> impl Future<Output = StoreResult<Vec<Document>>> + Send;
    /// Documents issued in the subtree of `org_id`, newest first.
    fn documents_of(
        &self,
        scope: &Scope,
        org_id: i64,
    ) -> impl Future<Output = StoreResult<Vec<Document>>> + Send;
    fn files(
        &self,
        scope: &Scope,
        document_id: i64,
    ) -> impl Future<Output = StoreResult<Vec<FileInfo>>> + Send;
    fn file_content(
        &self,
        scope: &Scope,
        file_id: i64,
    ) -> impl Future<Output = StoreResult<(FileInfo, Vec<u8>)>> + Send;
}

/// Writing the register. Each call is one transaction with its audit record.
pub trait DocumentWriter {
    /// Registers a document, giving it the next number of its type in the issuer's term
    /// unless it names one.
    fn register_document(
        &self,
        actor: &Actor,
        scope: &Scope,
        new: NewDocument,
    ) -> impl Future<Output = StoreResult<Document>> + Send;
    /// Changes the status; `expected_version` guards against overwriting a change made
    /// since the caller read the document.
    fn set_document_status(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        status: DocumentStatus,
        expected_version: i64,
    ) -> impl Future<Output = StoreResult<Document>> + Send;
    fn attach_file(
        &self,
        actor: &Actor,
        scope: &Scope,
        document_id: i64,
        file: NewFile,
    ) -> impl Future<Output = StoreResult<FileInfo>> + Send;
}

impl Store {
    /// A document visible from `scope`, read inside a transaction.
    pub(crate) async fn document_in_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        scope: &Scope,
        id: i64,
    ) -> StoreResult<Document> {
        let sql = self
            .db
            .sql(&format!(
                "SELECT {DOCUMENT_COLUMNS} FROM documents d JOIN orgs o ON o.id = d.issuer_org_id \
                 WHERE d.id = ?"
            ))
            .into_owned();
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| DomainError::not_found("document", id))?;
        let mut doc = document_from_row(&row)?;
        if !visible_from(scope, &doc.issuer_org_path) {
            return Err(DomainError::not_found("document", id).into());
        }
        let sql = self
            .db
            .sql("SELECT org_kind FROM document_expectations WHERE document_id = ? ORDER BY org_kind")
            .into_owned();
        for r in sqlx::query(&sql).bind(id).fetch_all(&mut **tx).await? {
            doc.concretize_by
                .push(parsed(&r, "org_kind", OrgKind::parse)?);
        }
        doc.concretize_by.sort();
        Ok(doc)
    }

    /// Takes the next number of a counter, creating the counter at `0` first. The update
    /// holds the counter row until commit, so concurrent registrations queue.
    async fn take_number(
        &self,
        tx: &mut Transaction<'static, Any>,
        org_id: i64,
        type_code: &str,
        term: &str,
        explicit: Option<u32>,
    ) -> StoreResult<i64> {
        let insert = self.db.sql(
            "INSERT INTO document_counters (issuer_org_id, type_code, term, last_number) \
             VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING",
        );
        sqlx::query(&insert)
            .bind(org_id)
            .bind(type_code)
            .bind(term)
            .execute(&mut **tx)
            .await?;
        let update = match explicit {
            None => {
                "UPDATE document_counters SET last_number = last_number + 1 \
                     WHERE issuer_org_id = ? AND type_code = ? AND term = ?"
            }
            Some(_) => {
                "UPDATE document_counters SET last_number = \
                        CASE WHEN last_number < ? THEN ? ELSE last_number END \
                        WHERE issuer_org_id = ? AND type_code = ? AND term = ?"
            }
        };
        let update = self.db.sql(update).into_owned();
        let mut q = sqlx::query(&update);
        if let Some(n) = explicit {
            q = q.bind(i64::from(n)).bind(i64::from(n));
        }
        q.bind(org_id)
            .bind(type_code)
            .bind(term)
            .execute(&mut **tx)
            .await?;
        if let Some(n) = explicit {
            return Ok(i64::from(n));
        }
        let select = self.db.sql(
            "SELECT last_number FROM document_counters \
             WHERE issuer_org_id = ? AND type_code = ? AND term = ?",
        );
        let row = sqlx::query(&select)
            .bind(org_id)
            .bind(type_code)
            .bind(term)
            .fetch_one(&mut **tx)
            .await?;
        int(&row, "last_number")
    }
}

impl DocumentReader for Store {
    async fn document(&self, scope: &Scope, id: i64) -> StoreResult<Document> {
        let mut tx = self.db.read().begin().await?;
        let doc = self.document_in_tx(&mut tx, scope, id).await?;
        tx.rollback().await?;
        Ok(doc)
    }

    async fn documents_by_number(
        &self,
        scope: &Scope,
        number: &DocumentNumber,
    ) -> StoreResult<Vec<Document>> {
        let sql = self
            .db
            .sql(
                "SELECT d.id, o.path FROM documents d JOIN orgs o ON o.id = d.issuer_org_id \
                 WHERE d.number = ? AND d.type_code = ? AND d.issuer_code = ? \
                 ORDER BY d.issued_on DESC, d.id",
            )
            .into_owned();
        let rows = sqlx::query(&sql)
            .bind(i64::from(number.number))
            .bind(&number.type_code)
            .bind(&number.issuer)
            .fetch_all(self.db.read())
            .await?;
        let mut out = Vec::new();
        for r in rows {
            if visible_from(scope, &text(&r, "path")?) {
                out.push(self.document(scope, int(&r, "id")?).await?);
            }
        }
        Ok(out)
    }

    async fn documents_of(&self, scope: &Scope, org_id: i64) -> StoreResult<Vec<Document>> {
        use crate::orgs::OrgReader;
        let root = self.org(scope, org_id).await?;
        let (lo, hi) = tree_path::subtree_range(&root.path);
        let sql = self
            .db
            .sql(
                "SELECT d.id FROM documents d JOIN orgs o ON o.id = d.issuer_org_id \
                 WHERE o.path >= ? AND o.path < ? ORDER BY d.issued_on DESC, d.id DESC",
            )
            .into_owned();
        let rows = sqlx::query(&sql)
            .bind(lo)
            .bind(hi)
            .fetch_all(self.db.read())
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(self.document(scope, int(&r, "id")?).await?);
        }
        Ok(out)
    }

    async fn files(&self, scope: &Scope, document_id: i64) -> StoreResult<Vec<FileInfo>> {
        self.document(scope, document_id).await?;
        let sql = self
            .db
            .sql(
                "SELECT id, document_id, name, content_type, size_bytes, added_at, added_by \
                 FROM document_files WHERE document_id = ? ORDER BY id",
            )
            .into_owned();
        sqlx::query(&sql)
            .bind(document_id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(file_from_row)
            .collect()
    }

    async fn file_content(&self, scope: &Scope, file_id: i64) -> StoreResult<(FileInfo, Vec<u8>)> {
        let sql = self
            .db
            .sql(
                "SELECT id, document_id, name, content_type, size_bytes, added_at, added_by, content \
                 FROM document_files WHERE id = ?",
            )
            .into_owned();
        let row = sqlx::query(&sql)
            .bind(file_id)
            .fetch_optional(self.db.read())
            .await?
            .ok_or_else(|| DomainError::not_found("document file", file_id))?;
        let info = file_from_row(&row)?;
        self.document(scope, info.document_id)
            .await
            .map_err(|_| DomainError::not_found("document file", file_id))?;
        let content: Vec<u8> = sqlx::Row::try_get(&row, "content")?;
        Ok((info, content))
    }
}

impl DocumentWriter for Store {
    async fn register_document(
        &self,
        actor: &Actor,
        scope: &Scope,
        new: NewDocument,
    ) -> StoreResult<Document> {
        let rec = format!("document `{}`", new.title.trim());
        let title = required(&rec, "title", &new.title)?;
        if new.issued_on > today() {
            return Err(DomainError::invalid(&rec, "issued_on", "is in the future").into());
        }
        let rules = rules_on(new.issued_on)?.documents;
        let type_code = rules
            .type_code(new.type_code.trim())
            .ok_or_else(|| {
                DomainError::invalid(
                    &rec,
                    "type_code",
                    format!("`{}` is not a document type", new.type_code),
                )
            })?
            .code
            .clone();
        if new.number == Some(0)
            || new
                .number
                .is_some_and(|n| n > grassroots_domain::documents::MAX_NUMBER)
        {
            return Err(DomainError::invalid(&rec, "number", "is out of range").into());
        }
        let mut tx = self.db.begin().await?;
        let issuer = self.org_in_tx(&mut tx, scope, new.issuer_org_id).await?;
        if !issuer.is_active() {
            return Err(DomainError::invalid(
                &rec,
                "issuer_org_id",
                format!("{} is dissolved", issuer.code),
            )
            .into());
        }
        let issuer_code = match &new.issuer_code {
            Some(raw) => rules.issuer_code(raw.trim()),
            None => rules.default_issuer(issuer.kind),
        }
        .ok_or_else(|| {
            DomainError::invalid(
                &rec,
                "issuer_code",
                format!(
                    "no issuer code `{}` for {} ({})",
                    new.issuer_code.as_deref().unwrap_or(""),
                    issuer.code,
                    issuer.kind.as_str()
                ),
            )
        })?
        .code
        .clone();
        let term = match new.term.as_deref().map(str::trim) {
            Some(name) => rules
                .terms
                .iter()
                .find(|t| t.name == name)
                .ok_or_else(|| {
                    DomainError::invalid(
                        &rec,
                        "term",
                        format!("`{name}` is not a congress term in the rulebook"),
                    )
                })?
                .name
                .clone(),
            None => rules.term_of(&issuer_code, new.issued_on)?.name.clone(),
        };
        let parent = match new.parent_id {
            Some(pid) => {
                let parent = self.document_in_tx(&mut tx, scope, pid).await?;
                if !issuer.path.starts_with(&parent.issuer_org_path) {
                    return Err(DomainError::invalid(
                        &rec,
                        "parent_id",
                        format!(
                            "{} is issued by {}, which is not {} nor above it",
                            parent.number_text, parent.issuer_org_code, issuer.code
                        ),
                    )
                    .into());
                }
                if parent.issued_on > new.issued_on {
                    return Err(DomainError::invalid(
                        &rec,
                        "issued_on",
                        format!(
                            "is before {} ({}), which it concretizes",
                            parent.number_text, parent.issued_on
                        ),
                    )
                    .into());
                }
                Some(parent)
            }
            None => None,
        };
        let number = self
            .take_number(&mut tx, issuer.id, &type_code, &term, new.number)
            .await?;
        let now = crate::audit::now();
        let insert = self.db.sql(
            "INSERT INTO documents (issuer_org_id, issuer_code, type_code, term, number, issued_on, \
             title, summary, status, parent_id, cascade_path, version, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 1, ?) RETURNING id",
        );
        let row = sqlx::query(&insert)
            .bind(issuer.id)
            .bind(&issuer_code)
            .bind(&type_code)
            .bind(&term)
            .bind(number)
            .bind(new.issued_on.to_string())
            .bind(&title)
            .bind(
                new.summary
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty()),
            )
            .bind(DocumentStatus::InForce.as_str())
            .bind(new.parent_id)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| match crate::StoreError::from(e) {
                crate::StoreError::Domain(DomainError::Conflict(_)) => {
                    crate::StoreError::Domain(DomainError::Conflict(format!(
                        "{} already has number {number} of type {type_code} in term {term}",
                        issuer.code
                    )))
                }
                other => other,
            })?;
        let id = int(&row, "id")?;
        let cascade_path =
            tree_path::child_path(parent.as_ref().map(|p| p.cascade_path.as_str()), id);
        let update = self
            .db
            .sql("UPDATE documents SET cascade_path = ? WHERE id = ?");
        sqlx::query(&update)
            .bind(&cascade_path)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let mut kinds = new.concretize_by.clone();
        kinds.sort();
        kinds.dedup();
        let expect = self
            .db
            .sql("INSERT INTO document_expectations (document_id, org_kind) VALUES (?, ?)");
        for kind in kinds {
            sqlx::query(&expect)
                .bind(id)
                .bind(kind.as_str())
                .execute(&mut *tx)
                .await?;
        }
        let doc = self.document_in_tx(&mut tx, scope, id).await?;
        audit_change(
            self,
            &mut tx,
            actor,
            created(
                "document.register",
                "document",
                id,
                &issuer.path,
                serde_json::json!(doc),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(doc)
    }

    async fn set_document_status(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        status: DocumentStatus,
        expected_version: i64,
    ) -> StoreResult<Document> {
        let mut tx = self.db.begin().await?;
        let before = self.document_in_tx(&mut tx, scope, id).await?;
        scope.check(&before.issuer_org_path, "document", id)?;
        if before.version != expected_version {
            return Err(DomainError::Conflict(format!(
                "document {} changed since it was read (version {} now, {expected_version} read)",
                before.number_text, before.version
            ))
            .into());
        }
        if before.status == status {
            return Err(DomainError::Conflict(format!(
                "document {} is already {status}",
                before.number_text
            ))
            .into());
        }
        let sql = self.db.sql(
            "UPDATE documents SET status = ?, version = version + 1, updated_at = ? WHERE id = ?",
        );
        sqlx::query(&sql)
            .bind(status.as_str())
            .bind(crate::audit::now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let after = self.document_in_tx(&mut tx, scope, id).await?;
        audit_change(
            self,
            &mut tx,
            actor,
            Change {
                action: "document.status",
                entity: "document",
                entity_id: id.to_string(),
                org_path: &after.issuer_org_path,
                before: Some(serde_json::json!(before)),
                after: Some(serde_json::json!(after)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn attach_file(
        &self,
        actor: &Actor,
        scope: &Scope,
        document_id: i64,
        file: NewFile,
    ) -> StoreResult<FileInfo> {
        let rec = format!("file of document {document_id}");
        let name = required(&rec, "name", &file.name)?;
        let content_type = required(&rec, "content_type", &file.content_type)?;
        if file.content.is_empty() {
            return Err(DomainError::invalid(&rec, "content", "is empty").into());
        }
        if file.content.len() > MAX_FILE_BYTES {
            return Err(DomainError::invalid(
                &rec,
                "content",
                format!(
                    "{} bytes is more than the limit of {MAX_FILE_BYTES}",
                    file.content.len()
                ),
            )
            .into());
        }
        let mut tx = self.db.begin().await?;
        let doc = self.document_in_tx(&mut tx, scope, document_id).await?;
        scope.check(&doc.issuer_org_path, "document", document_id)?;
        let size = i64::try_from(file.content.len()).unwrap_or(i64::MAX);
        let sql = self.db.sql(
            "INSERT INTO document_files (document_id, name, content_type, size_bytes, content, \
             added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        );
        let row = sqlx::query(&sql)
            .bind(document_id)
            .bind(&name)
            .bind(&content_type)
            .bind(size)
            .bind(file.content)
            .bind(crate::audit::now())
            .bind(&actor.0)
            .fetch_one(&mut *tx)
            .await?;
        let id = int(&row, "id")?;
        let sql = self.db.sql(
            "SELECT id, document_id, name, content_type, size_bytes, added_at, added_by \
             FROM document_files WHERE id = ?",
        );
        let info = file_from_row(&sqlx::query(&sql).bind(id).fetch_one(&mut *tx).await?)?;
        audit_change(
            self,
            &mut tx,
            actor,
            created(
                "document.attach",
                "document_file",
                id,
                &doc.issuer_org_path,
                serde_json::json!(info),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(info)
    }
}
