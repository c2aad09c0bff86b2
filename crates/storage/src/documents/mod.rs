//! Documents and what follows from them: the register with its numbering, the cascade of
//! plans that concretize a higher document, dissemination and study, training courses, and
//! the figures reports draw from all of these.
//!
//! Every record belongs to an organization by id and is scoped through that
//! organization's current path, so it follows the organization when the tree is reshaped.
//! A document is visible to a scope when its issuer lies inside the scope or above it:
//! documents flow down the tree, and a commune must read the directive it concretizes.

mod cascade;
pub mod demo;
mod dissemination;
mod figures;
mod register;
mod training;

pub use cascade::{
    CascadeReader, CascadeRow, CascadeStatus, CascadeWriter, NewReview, NewTask, Review, Task,
};
pub use dissemination::{
    Dissemination, DisseminationReader, DisseminationWriter, NewDissemination, StudyItem,
};
pub use figures::{DocumentFigures, Figures};
pub use register::{
    Document, DocumentReader, DocumentWriter, FileInfo, MAX_FILE_BYTES, NewDocument, NewFile,
};
pub use training::{
    Course, CourseParticipant, CourseSession, NewCourse, NewMemberCourse, NewParticipant,
    ParticipantResult, TrainingReader, TrainingWriter,
};

use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use grassroots_domain::rulebook::Rulebook;
use sqlx::{Any, Transaction};

use crate::audit::{self, Change};
use crate::{Actor, Scope, Store, StoreResult};

/// Whether a record of an organization at `path` may be read as a document source by
/// `scope`: inside the scope, or an ancestor of its root.
pub(crate) fn visible_from(scope: &Scope, path: &str) -> bool {
    scope.covers(path) || scope.root_path().starts_with(path)
}

/// The rulebook in force on `day`.
pub(crate) fn rules_on(day: Date) -> StoreResult<Rulebook> {
    Ok(Rulebook::in_force(day)?)
}

/// Checks that every listed member exists and lies inside `scope`.
pub(crate) async fn check_members(
    store: &Store,
    tx: &mut Transaction<'static, Any>,
    scope: &Scope,
    record: &str,
    ids: &[i64],
) -> StoreResult<()> {
    let (lo, hi) = scope.range();
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let sql = store
            .db
            .sql(&format!(
                "SELECT id FROM members WHERE id IN ({marks}) AND org_path >= ? AND org_path < ?"
            ))
            .into_owned();
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        let rows = q.bind(&lo).bind(&hi).fetch_all(&mut **tx).await?;
        let found: std::collections::BTreeSet<i64> = rows
            .iter()
            .map(|r| crate::row::int(r, "id"))
            .collect::<StoreResult<_>>()?;
        if let Some(missing) = chunk.iter().find(|id| !found.contains(id)) {
            return Err(DomainError::invalid(
                record,
                "member_ids",
                format!("member {missing} does not exist in this part of the tree"),
            )
            .into());
        }
    }
    Ok(())
}

/// A creation to record in the audit log (`before` is empty).
pub(crate) fn created<'a>(
    action: &'a str,
    entity: &'a str,
    id: i64,
    org_path: &'a str,
    after: serde_json::Value,
) -> Change<'a> {
    Change {
        action,
        entity,
        entity_id: id.to_string(),
        org_path,
        before: None,
        after: Some(after),
    }
}

/// Records `change` in the audit log inside the write transaction.
pub(crate) async fn audit_change(
    store: &Store,
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    change: Change<'_>,
) -> StoreResult<()> {
    audit::record(&store.db, tx, actor, change).await
}

/// Refuses an empty required text.
pub(crate) fn required(record: &str, field: &str, value: &str) -> Result<String, DomainError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(DomainError::invalid(record, field, "is required"));
    }
    Ok(v.to_owned())
}
