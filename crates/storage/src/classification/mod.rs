//! Storage of the annual review and classification: one decision per member or
//! organization and year, corrections as new revisions (the old stays as history), the
//! quota of "excellent" per grassroots organization checked in the write's transaction,
//! the annual review of an organization for the page, and the figures reports read.
//!
//! Records keep the organization they belong to by id (the member's cell that year, or the
//! organization classified) and are found through that organization's current path, so a
//! reorganization of the tree moves them with their organization.

pub mod demo;
pub mod figures;
pub mod read;
pub mod write;

use grassroots_domain::classification::{Decision, Level, SubjectKind};
use grassroots_domain::date::Date;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

use crate::row::{date, int, opt_int, opt_text, parsed, text};
use crate::{Actor, Scope, StoreResult};

pub use read::{AnnualReview, ReviewRow};

/// A decision to record: whose, what, by which organization, and (for a correction) the
/// record it replaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewClassification {
    pub subject_kind: SubjectKind,
    pub subject_id: i64,
    #[serde(flatten)]
    pub decision: Decision,
    /// The organization that decided: the member's cell or a committee above it; for an
    /// organization, a committee above it.
    pub decided_by: i64,
    /// The current record this one corrects. Required when the subject already has a
    /// classification for the year, refused otherwise: nothing is replaced by accident.
    pub supersedes: Option<i64>,
}

/// One stored classification, current or superseded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    pub id: i64,
    pub subject_kind: SubjectKind,
    pub subject_id: i64,
    pub member_id: Option<i64>,
    pub org_id: i64,
    pub grassroots_id: i64,
    pub year: i32,
    pub revision: i64,
    pub supersedes: Option<i64>,
    pub level: Level,
    pub points: Option<i64>,
    pub rulebook: String,
    pub scheme: String,
    pub decided_on: Date,
    pub decided_by: i64,
    pub note: Option<String>,
    pub actor: String,
    pub recorded_at: String,
    /// Whether no later revision supersedes it.
    pub current: bool,
}

/// The columns every read selects, with `current` computed.
pub(crate) const COLUMNS: &str = "c.id, c.subject_kind, c.subject_id, c.member_id, c.org_id, c.grassroots_id, \
     c.year, c.revision, c.supersedes, c.level, c.points, c.rulebook, c.scheme, c.decided_on, c.decided_by, \
     c.note, c.actor, c.recorded_at, \
     CASE WHEN EXISTS (SELECT 1 FROM classifications n WHERE n.supersedes = c.id) THEN 0 ELSE 1 END AS is_current";

/// The condition "row `c` is current".
pub(crate) const CURRENT: &str =
    "NOT EXISTS (SELECT 1 FROM classifications n WHERE n.supersedes = c.id)";

pub(crate) fn from_row(r: &AnyRow) -> StoreResult<Classification> {
    Ok(Classification {
        id: int(r, "id")?,
        subject_kind: parsed(r, "subject_kind", SubjectKind::parse)?,
        subject_id: int(r, "subject_id")?,
        member_id: opt_int(r, "member_id")?,
        org_id: int(r, "org_id")?,
        grassroots_id: int(r, "grassroots_id")?,
        year: i32::try_from(int(r, "year")?)
            .map_err(|e| crate::StoreError::Corrupt(format!("classification year: {e}")))?,
        revision: int(r, "revision")?,
        supersedes: opt_int(r, "supersedes")?,
        level: parsed(r, "level", Level::parse)?,
        points: opt_int(r, "points")?,
        rulebook: text(r, "rulebook")?,
        scheme: text(r, "scheme")?,
        decided_on: date(r, "decided_on")?,
        decided_by: int(r, "decided_by")?,
        note: opt_text(r, "note")?,
        actor: text(r, "actor")?,
        recorded_at: text(r, "recorded_at")?,
        current: int(r, "is_current")? == 1,
    })
}

pub trait ClassificationReader {
    /// One record, current or not, if its organization is in the scope.
    fn classification(
        &self,
        scope: &Scope,
        id: i64,
    ) -> impl Future<Output = StoreResult<Classification>> + Send;
    /// Every revision of a subject's classifications (all years, or one), newest year and
    /// revision first.
    fn classification_history(
        &self,
        scope: &Scope,
        subject_kind: SubjectKind,
        subject_id: i64,
        year: Option<i32>,
    ) -> impl Future<Output = StoreResult<Vec<Classification>>> + Send;
    /// The annual review of an organization for a year: its members (for a grassroots
    /// organization or a cell) and the organizations under it that are classified (for a
    /// committee), each with its current classification, and the tallies.
    fn annual_review(
        &self,
        scope: &Scope,
        org_id: i64,
        year: i32,
    ) -> impl Future<Output = StoreResult<AnnualReview>> + Send;
}

pub trait ClassificationWriter {
    /// Records a decision (or a correction of the current one), with its audit entry, in
    /// one transaction.
    fn classify(
        &self,
        actor: &Actor,
        scope: &Scope,
        new: NewClassification,
    ) -> impl Future<Output = StoreResult<Classification>> + Send;
}
