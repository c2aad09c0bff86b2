//! The organization tree with its history.
//!
//! `orgs` holds the current state with a materialized path; `org_versions` holds every
//! state with its `[valid_from, valid_to)` span, so the tree on any past date can be read
//! back. Every change is an `org_events` row, and every organization a change touches gets
//! a new version from the change's date.

use grassroots_domain::date::Date;
use grassroots_domain::org::{OrgKind, TreeChange, check_code, check_name};
use grassroots_domain::{DomainError, text, tree_path};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

use crate::audit::{self, Change};
use crate::handovers::{Handed, HandoverMinutes};
use crate::row::{date, int, opt_date, opt_int, parsed, text};
use crate::{Actor, Db, Scope, Store, StoreResult, rollup};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Org {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: OrgKind,
    pub parent_id: Option<i64>,
    pub path: String,
    pub depth: i64,
    pub founded_on: Date,
    pub dissolved_on: Option<Date>,
    pub successor_id: Option<i64>,
}

impl Org {
    pub fn is_active(&self) -> bool {
        self.dissolved_on.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOrg {
    pub code: String,
    pub name: String,
    pub kind: OrgKind,
    pub parent_id: Option<i64>,
    pub founded_on: Date,
    #[serde(default)]
    pub decision: Option<String>,
}

/// An organization as it stood during `[valid_from, valid_to)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgVersion {
    pub org_id: i64,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub code: String,
    pub name: String,
    pub kind: OrgKind,
    pub parent_id: Option<i64>,
    pub path: String,
    pub event_id: i64,
    pub change: TreeChange,
}

/// How a split shares out the old organization: each part is a new organization that takes
/// the listed child organizations and members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitPart {
    pub org: NewOrg,
    pub child_org_ids: Vec<i64>,
    pub member_ids: Vec<i64>,
}

/// The copies of an organization's path kept beside its records, for subtree range reads:
/// a move of the organization rewrites them with its subtree's paths (the members' search
/// keys follow `members.org_path` by a trigger). Every record stays counted where its
/// organization now stands, as the members are.
const PATH_COLUMNS: [(&str, &str); 8] = [
    ("members", "org_path"),
    ("audit_log", "org_path"),
    ("candidates", "org_path"),
    ("recognitions", "org_path"),
    ("member_outcomes", "org_path"),
    ("dues_payments", "org_path"),
    ("transfer_letters", "from_path"),
    ("transfer_letters", "to_path"),
];

pub(crate) const ORG_COLUMNS: &str =
    "id, code, name, kind, parent_id, path, depth, founded_on, dissolved_on, successor_id";

pub(crate) fn org_from_row(r: &impl crate::row::Cells) -> StoreResult<Org> {
    Ok(Org {
        id: int(r, "id")?,
        code: text(r, "code")?,
        name: text(r, "name")?,
        kind: parsed(r, "kind", OrgKind::parse)?,
        parent_id: opt_int(r, "parent_id")?,
        path: text(r, "path")?,
        depth: int(r, "depth")?,
        founded_on: date(r, "founded_on")?,
        dissolved_on: opt_date(r, "dissolved_on")?,
        successor_id: opt_int(r, "successor_id")?,
    })
}

fn version_from_row(r: &AnyRow) -> StoreResult<OrgVersion> {
    Ok(OrgVersion {
        org_id: int(r, "org_id")?,
        valid_from: date(r, "valid_from")?,
        valid_to: opt_date(r, "valid_to")?,
        code: text(r, "code")?,
        name: text(r, "name")?,
        kind: parsed(r, "kind", OrgKind::parse)?,
        parent_id: opt_int(r, "parent_id")?,
        path: text(r, "path")?,
        event_id: int(r, "event_id")?,
        change: parsed(r, "change", TreeChange::parse)?,
    })
}

/// Reading the tree. Every call is limited to the caller's scope.
pub trait OrgReader {
    fn org(&self, scope: &Scope, id: i64) -> impl Future<Output = StoreResult<Org>> + Send;
    fn org_by_code(
        &self,
        scope: &Scope,
        code: &str,
    ) -> impl Future<Output = StoreResult<Org>> + Send;
    /// The active children of an organization now, ordered by code.
    fn children(
        &self,
        scope: &Scope,
        id: i64,
    ) -> impl Future<Output = StoreResult<Vec<Org>>> + Send;
    /// Every organization in the subtree of `root` as it stood on `day`, ordered by path.
    fn tree_as_of(
        &self,
        scope: &Scope,
        root: i64,
        day: Date,
    ) -> impl Future<Output = StoreResult<Vec<OrgVersion>>> + Send;
    /// Every version of an organization, oldest first.
    fn history(
        &self,
        scope: &Scope,
        id: i64,
    ) -> impl Future<Output = StoreResult<Vec<OrgVersion>>> + Send;
    /// The organizations of the scope no deeper than `max_depth` in the tree (1 is a root)
    /// that are in force on `day` (founded by then, not dissolved by then), deepest first
    /// and by path within a depth: the order in which a subtree's kept figures can be added
    /// up from its children's. Depths and paths are those of the tree as it stands now.
    fn orgs_in_force_to_depth(
        &self,
        scope: &Scope,
        max_depth: i64,
        day: Date,
    ) -> impl Future<Output = StoreResult<Vec<Org>>> + Send;
    /// Organizations whose name or code matches `query` (diacritics ignored), active only.
    fn find_orgs(
        &self,
        scope: &Scope,
        query: &str,
        limit: i64,
    ) -> impl Future<Output = StoreResult<Vec<Org>>> + Send;
}

/// Changing the tree. Each call is one transaction with its audit record.
pub trait OrgWriter {
    fn create_org(
        &self,
        actor: &Actor,
        scope: &Scope,
        new: NewOrg,
    ) -> impl Future<Output = StoreResult<Org>> + Send;
    fn rename_org(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        name: &str,
        on: Date,
        decision: Option<&str>,
    ) -> impl Future<Output = StoreResult<Org>> + Send;
    /// Re-parents an organization with its whole subtree. With `handover`, the old parent's
    /// minutes of handing it over to the new parent are recorded in the same transaction.
    #[allow(clippy::too_many_arguments)] // Each argument is one fact of the change.
    fn move_org(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        new_parent: i64,
        on: Date,
        decision: Option<&str>,
        handover: Option<&HandoverMinutes>,
    ) -> impl Future<Output = StoreResult<Org>> + Send;
    /// Merges `sources` into `target`: their child organizations and members move to the
    /// target, and the sources are dissolved with the target as successor. With `handover`,
    /// minutes of each source handing over to the target are recorded in the same
    /// transaction.
    #[allow(clippy::too_many_arguments)] // Each argument is one fact of the change.
    fn merge_orgs(
        &self,
        actor: &Actor,
        scope: &Scope,
        sources: &[i64],
        target: i64,
        on: Date,
        decision: Option<&str>,
        handover: Option<&HandoverMinutes>,
    ) -> impl Future<Output = StoreResult<Org>> + Send;
    /// Splits an organization into new ones. Every active child and member must be given to
    /// a part, so that nothing is lost; then the old organization is dissolved. With
    /// `handover`, minutes of the old organization handing over to each part are recorded
    /// in the same transaction.
    #[allow(clippy::too_many_arguments)] // Each argument is one fact of the change.
    fn split_org(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        parts: Vec<SplitPart>,
        on: Date,
        decision: Option<&str>,
        handover: Option<&HandoverMinutes>,
    ) -> impl Future<Output = StoreResult<Vec<Org>>> + Send;
    /// Dissolves an organization that has no active children and no members left.
    fn dissolve_org(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        on: Date,
        decision: Option<&str>,
    ) -> impl Future<Output = StoreResult<Org>> + Send;
}

pub(crate) fn today() -> Date {
    chrono::Local::now().date_naive()
}

fn check_change_date(record: &str, current_from: Date, on: Date) -> Result<(), DomainError> {
    if on < current_from {
        return Err(DomainError::invalid(
            record,
            "effective_on",
            format!("{on} is before the organization's current version ({current_from})"),
        ));
    }
    if on > today() {
        return Err(DomainError::invalid(
            record,
            "effective_on",
            format!("{on} is in the future; record a change on or after its date"),
        ));
    }
    Ok(())
}

impl Store {
    pub(crate) async fn org_in_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        scope: &Scope,
        id: i64,
    ) -> StoreResult<Org> {
        let sql = self
            .db
            .sql(&format!("SELECT {ORG_COLUMNS} FROM orgs WHERE id = ?"))
            .into_owned();
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| DomainError::not_found("organization", id))?;
        let org = org_from_row(&row)?;
        scope.check(&org.path, "organization", id)?;
        Ok(org)
    }

    async fn active_org_in_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        scope: &Scope,
        id: i64,
    ) -> StoreResult<Org> {
        let org = self.org_in_tx(tx, scope, id).await?;
        if let Some(on) = org.dissolved_on {
            return Err(DomainError::Conflict(format!(
                "organization {} was dissolved on {on}",
                org.code
            ))
            .into());
        }
        Ok(org)
    }

    /// An active organization in scope that may change on `on`, with the record name its
    /// errors use: the common opening of every tree change.
    async fn changeable_org(
        &self,
        tx: &mut Transaction<'static, Any>,
        scope: &Scope,
        id: i64,
        on: Date,
    ) -> StoreResult<(Org, String)> {
        let org = self.active_org_in_tx(tx, scope, id).await?;
        let record = format!("organization {}", org.code);
        check_change_date(&record, self.current_version_from(tx, id).await?, on)?;
        Ok((org, record))
    }

    async fn new_event(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        change: TreeChange,
        on: Date,
        decision: Option<&str>,
        details: serde_json::Value,
    ) -> StoreResult<i64> {
        let sql = self.db.sql(
            "INSERT INTO org_events (change, effective_on, decision, note, details, actor, recorded_at) \
             VALUES (?, ?, ?, NULL, ?, ?, ?) RETURNING id",
        );
        let row = sqlx::query(&sql)
            .bind(change.as_str())
            .bind(on.to_string())
            .bind(decision)
            .bind(details.to_string())
            .bind(&actor.0)
            .bind(audit::now())
            .fetch_one(&mut **tx)
            .await?;
        int(&row, "id")
    }

    /// Closes the open version of `org` at `on` and opens one with its current row.
    async fn new_version(
        &self,
        tx: &mut Transaction<'static, Any>,
        org_id: i64,
        on: Date,
        event_id: i64,
    ) -> StoreResult<()> {
        let close = self
            .db
            .sql("UPDATE org_versions SET valid_to = ? WHERE org_id = ? AND valid_to IS NULL");
        sqlx::query(&close)
            .bind(on.to_string())
            .bind(org_id)
            .execute(&mut **tx)
            .await?;
        // A change on the same day as the previous one replaces that day's state.
        let drop_empty = self
            .db
            .sql("DELETE FROM org_versions WHERE org_id = ? AND valid_from = valid_to");
        sqlx::query(&drop_empty)
            .bind(org_id)
            .execute(&mut **tx)
            .await?;
        let open = self.db.sql(
            "INSERT INTO org_versions (org_id, valid_from, valid_to, code, name, kind, parent_id, path, event_id) \
             SELECT id, ?, NULL, code, name, kind, parent_id, path, ? FROM orgs WHERE id = ? AND dissolved_on IS NULL",
        );
        sqlx::query(&open)
            .bind(on.to_string())
            .bind(event_id)
            .bind(org_id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    async fn current_version_from(
        &self,
        tx: &mut Transaction<'static, Any>,
        org_id: i64,
    ) -> StoreResult<Date> {
        let sql = self
            .db
            .sql("SELECT valid_from FROM org_versions WHERE org_id = ? AND valid_to IS NULL");
        let row = sqlx::query(&sql).bind(org_id).fetch_one(&mut **tx).await?;
        date(&row, "valid_from")
    }

    async fn audit_org(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        action: &str,
        before: Option<&Org>,
        after: &Org,
    ) -> StoreResult<()> {
        audit::record(
            &self.db,
            tx,
            actor,
            Change {
                action,
                entity: "org",
                entity_id: after.id.to_string(),
                org_path: &after.path,
                before: before.map(|b| serde_json::json!(b)),
                after: Some(serde_json::json!(after)),
            },
        )
        .await
    }

    /// Creates an organization inside the caller's transaction, with every check of
    /// [`OrgWriter::create_org`] and its audit record (`event_id`: the tree change it belongs
    /// to, or `None` for a new "created" event).
    pub async fn insert_org(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        scope: &Scope,
        new: &NewOrg,
        event_id: Option<i64>,
    ) -> StoreResult<Org> {
        let record = format!("organization {}", new.code);
        check_code(&record, &new.code)?;
        check_name(&record, &new.name)?;
        let parent = match new.parent_id {
            Some(pid) => Some(self.active_org_in_tx(tx, scope, pid).await?),
            None if scope.is_all() => None,
            None => {
                return Err(DomainError::Forbidden(
                    "only a caller with the whole tree in scope may create a root".into(),
                )
                .into());
            }
        };
        new.kind
            .check_parent(parent.as_ref().map(|p| p.kind), &record)?;
        if new.founded_on > today() {
            return Err(DomainError::invalid(&record, "founded_on", "is in the future").into());
        }
        let sql = self.db.sql(
            "INSERT INTO orgs (code, name, name_folded, kind, parent_id, path, depth, founded_on, updated_at) \
             VALUES (?, ?, ?, ?, ?, '', 0, ?, ?) RETURNING id",
        );
        let row = sqlx::query(&sql)
            .bind(&new.code)
            .bind(new.name.trim())
            .bind(format!(
                "{} {}",
                text::fold(&new.name),
                new.code.to_lowercase()
            ))
            .bind(new.kind.as_str())
            .bind(new.parent_id)
            .bind(new.founded_on.to_string())
            .bind(audit::now())
            .fetch_one(&mut **tx)
            .await?;
        let id = int(&row, "id")?;
        let path = tree_path::child_path(parent.as_ref().map(|p| p.path.as_str()), id);
        let sql = self
            .db
            .sql("UPDATE orgs SET path = ?, depth = ? WHERE id = ?");
        sqlx::query(&sql)
            .bind(&path)
            .bind(tree_path::depth(&path))
            .bind(id)
            .execute(&mut **tx)
            .await?;
        let event_id = match event_id {
            Some(e) => e,
            None => {
                self.new_event(
                    tx,
                    actor,
                    TreeChange::Created,
                    new.founded_on,
                    new.decision.as_deref(),
                    serde_json::json!({ "org_id": id }),
                )
                .await?
            }
        };
        self.new_version(tx, id, new.founded_on, event_id).await?;
        rollup::bump_kinds(&self.db, tx, &path, new.kind.as_str(), 1).await?;
        let org = self.org_in_tx(tx, scope, id).await?;
        self.audit_org(tx, actor, "org.create", None, &org).await?;
        Ok(org)
    }

    /// Re-parents `org` under `parent` inside a transaction: paths of the subtree and its
    /// members change, every organization of the subtree gets a new version.
    async fn reparent(
        &self,
        tx: &mut Transaction<'static, Any>,
        org: &Org,
        parent: &Org,
        on: Date,
        event_id: i64,
    ) -> StoreResult<()> {
        let record = format!("organization {}", org.code);
        if tree_path::is_within(&parent.path, &org.path) {
            return Err(DomainError::invalid(
                &record,
                "parent",
                "cannot move an organization under itself or its own subtree",
            )
            .into());
        }
        org.kind.check_parent(Some(parent.kind), &record)?;
        let new_path = tree_path::child_path(Some(&parent.path), org.id);
        let (lo, hi) = tree_path::subtree_range(&org.path);
        let cut = org.path.len() as i32 + 1;
        let depth_shift = tree_path::depth(&new_path) - org.depth;
        let moved_ids: Vec<i64> = {
            let sql = self
                .db
                .sql("SELECT id FROM orgs WHERE path >= ? AND path < ? AND dissolved_on IS NULL");
            sqlx::query(&sql)
                .bind(&lo)
                .bind(&hi)
                .fetch_all(&mut **tx)
                .await?
                .iter()
                .map(|r| int(r, "id"))
                .collect::<StoreResult<_>>()?
        };
        let sql = self.db.sql(
            "UPDATE orgs SET path = ? || substr(path, ?), depth = depth + ?, updated_at = ? \
             WHERE path >= ? AND path < ?",
        );
        sqlx::query(&sql)
            .bind(&new_path)
            .bind(cut)
            .bind(depth_shift)
            .bind(audit::now())
            .bind(&lo)
            .bind(&hi)
            .execute(&mut **tx)
            .await?;
        let sql = self.db.sql("UPDATE orgs SET parent_id = ? WHERE id = ?");
        sqlx::query(&sql)
            .bind(parent.id)
            .bind(org.id)
            .execute(&mut **tx)
            .await?;
        for (table, column) in PATH_COLUMNS {
            let sql = self
                .db
                .sql(&format!(
                    "UPDATE {table} SET {column} = ? || substr({column}, ?) \
                     WHERE {column} >= ? AND {column} < ?"
                ))
                .into_owned();
            sqlx::query(&sql)
                .bind(&new_path)
                .bind(cut)
                .bind(&lo)
                .bind(&hi)
                .execute(&mut **tx)
                .await?;
        }
        rollup::move_subtree(&self.db, tx, org.id, &org.path, &new_path).await?;
        for id in moved_ids {
            self.new_version(tx, id, on, event_id).await?;
        }
        Ok(())
    }

    /// Moves every member whose current cell is `from` to `to`, closing and opening their
    /// official memberships on `on`.
    async fn move_members(
        &self,
        tx: &mut Transaction<'static, Any>,
        from: &Org,
        to: &Org,
        only: Option<&[i64]>,
        on: Date,
    ) -> StoreResult<u64> {
        let ids: Vec<i64> = match only {
            Some(ids) => ids.to_vec(),
            None => {
                let sql = self.db.sql("SELECT id FROM members WHERE org_id = ?");
                sqlx::query(&sql)
                    .bind(from.id)
                    .fetch_all(&mut **tx)
                    .await?
                    .iter()
                    .map(|r| int(r, "id"))
                    .collect::<StoreResult<_>>()?
            }
        };
        if !ids.is_empty() && !to.kind.holds_members() {
            return Err(DomainError::invalid(
                format!("organization {}", to.code),
                "kind",
                format!(
                    "a {} does not hold members; move them to a cell",
                    to.kind.as_str()
                ),
            )
            .into());
        }
        for id in &ids {
            self.move_member_in_tx(tx, *id, from, to, on).await?;
        }
        Ok(ids.len() as u64)
    }

    async fn dissolve_in_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        org: &Org,
        successor: Option<i64>,
        on: Date,
        event_id: i64,
    ) -> StoreResult<()> {
        let sql = self.db.sql(
            "SELECT (SELECT COUNT(*) FROM orgs WHERE parent_id = ? AND dissolved_on IS NULL) AS children, \
                    (SELECT COUNT(*) FROM members WHERE org_id = ?) AS members",
        );
        let row = sqlx::query(&sql)
            .bind(org.id)
            .bind(org.id)
            .fetch_one(&mut **tx)
            .await?;
        let (children, members) = (int(&row, "children")?, int(&row, "members")?);
        if children > 0 || members > 0 {
            return Err(DomainError::Conflict(format!(
                "organization {} still has {children} active organizations and {members} members; \
                 move or merge them first",
                org.code
            ))
            .into());
        }
        let sql = self
            .db
            .sql("UPDATE orgs SET dissolved_on = ?, successor_id = ?, updated_at = ? WHERE id = ?");
        sqlx::query(&sql)
            .bind(on.to_string())
            .bind(successor)
            .bind(audit::now())
            .bind(org.id)
            .execute(&mut **tx)
            .await?;
        // Closes the open version; no new one opens for a dissolved organization.
        self.new_version(tx, org.id, on, event_id).await?;
        rollup::bump_kinds(&self.db, tx, &org.path, org.kind.as_str(), -1).await?;
        Ok(())
    }
}

impl OrgReader for Store {
    async fn org(&self, scope: &Scope, id: i64) -> StoreResult<Org> {
        let sql = self
            .db
            .sql(&format!("SELECT {ORG_COLUMNS} FROM orgs WHERE id = ?"))
            .into_owned();
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.db.read())
            .await?
            .ok_or_else(|| DomainError::not_found("organization", id))?;
        let org = org_from_row(&row)?;
        scope.check(&org.path, "organization", id)?;
        Ok(org)
    }

    async fn org_by_code(&self, scope: &Scope, code: &str) -> StoreResult<Org> {
        let sql = self
            .db
            .sql(&format!("SELECT {ORG_COLUMNS} FROM orgs WHERE code = ?"))
            .into_owned();
        let row = sqlx::query(&sql)
            .bind(code)
            .fetch_optional(self.db.read())
            .await?
            .ok_or_else(|| DomainError::not_found("organization", code))?;
        let org = org_from_row(&row)?;
        scope.check(&org.path, "organization", code)?;
        Ok(org)
    }

    async fn children(&self, scope: &Scope, id: i64) -> StoreResult<Vec<Org>> {
        self.org(scope, id).await?;
        let sql = self
            .db
            .sql(&format!(
                "SELECT {ORG_COLUMNS} FROM orgs WHERE parent_id = ? AND dissolved_on IS NULL ORDER BY code"
            ))
            .into_owned();
        sqlx::query(&sql)
            .bind(id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(org_from_row)
            .collect()
    }

    async fn tree_as_of(
        &self,
        scope: &Scope,
        root: i64,
        day: Date,
    ) -> StoreResult<Vec<OrgVersion>> {
        self.org(scope, root).await?;
        let on = day.to_string();
        let select = "SELECT v.org_id, v.valid_from, v.valid_to, v.code, v.name, v.kind, v.parent_id, \
                      v.path, v.event_id, e.change FROM org_versions v JOIN org_events e ON e.id = v.event_id";
        let sql = self
            .db
            .sql(&format!(
                "{select} WHERE v.org_id = ? AND v.valid_from <= ? AND (v.valid_to IS NULL OR v.valid_to > ?)"
            ))
            .into_owned();
        let Some(root_row) = sqlx::query(&sql)
            .bind(root)
            .bind(&on)
            .bind(&on)
            .fetch_optional(self.db.read())
            .await?
        else {
            return Ok(Vec::new());
        };
        let root_version = version_from_row(&root_row)?;
        let (lo, hi) = tree_path::subtree_range(&root_version.path);
        let sql = self
            .db
            .sql(&format!(
                "{select} WHERE v.path >= ? AND v.path < ? AND v.valid_from <= ? \
                 AND (v.valid_to IS NULL OR v.valid_to > ?) ORDER BY v.path"
            ))
            .into_owned();
        sqlx::query(&sql)
            .bind(lo)
            .bind(hi)
            .bind(&on)
            .bind(&on)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(version_from_row)
            .collect()
    }

    async fn history(&self, scope: &Scope, id: i64) -> StoreResult<Vec<OrgVersion>> {
        self.org(scope, id).await?;
        let sql = self.db.sql(
            "SELECT v.org_id, v.valid_from, v.valid_to, v.code, v.name, v.kind, v.parent_id, v.path, \
             v.event_id, e.change FROM org_versions v JOIN org_events e ON e.id = v.event_id \
             WHERE v.org_id = ? ORDER BY v.valid_from",
        );
        sqlx::query(&sql)
            .bind(id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(version_from_row)
            .collect()
    }

    async fn orgs_in_force_to_depth(
        &self,
        scope: &Scope,
        max_depth: i64,
        day: Date,
    ) -> StoreResult<Vec<Org>> {
        let (lo, hi) = scope.range();
        let on = day.to_string();
        let sql = self
            .db
            .sql(&format!(
                "SELECT {ORG_COLUMNS} FROM orgs WHERE path >= ? AND path < ? AND depth <= ? \
                 AND founded_on <= ? AND (dissolved_on IS NULL OR dissolved_on > ?) \
                 ORDER BY depth DESC, path"
            ))
            .into_owned();
        sqlx::query(&sql)
            .bind(lo)
            .bind(hi)
            .bind(max_depth)
            .bind(&on)
            .bind(&on)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(org_from_row)
            .collect()
    }

    async fn find_orgs(&self, scope: &Scope, query: &str, limit: i64) -> StoreResult<Vec<Org>> {
        let (lo, hi) = scope.range();
        let pattern = format!("%{}%", text::fold(query).replace(['%', '_'], ""));
        let sql = self
            .db
            .sql(&format!(
                "SELECT {ORG_COLUMNS} FROM orgs WHERE path >= ? AND path < ? AND dissolved_on IS NULL \
                 AND name_folded LIKE ? ORDER BY depth, code LIMIT ?"
            ))
            .into_owned();
        sqlx::query(&sql)
            .bind(lo)
            .bind(hi)
            .bind(pattern)
            .bind(limit)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(org_from_row)
            .collect()
    }
}

impl OrgWriter for Store {
    async fn create_org(&self, actor: &Actor, scope: &Scope, new: NewOrg) -> StoreResult<Org> {
        let mut tx = self.db.begin().await?;
        let org = self.insert_org(&mut tx, actor, scope, &new, None).await?;
        tx.commit().await?;
        Ok(org)
    }

    async fn rename_org(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        name: &str,
        on: Date,
        decision: Option<&str>,
    ) -> StoreResult<Org> {
        let mut tx = self.db.begin().await?;
        let before = self.active_org_in_tx(&mut tx, scope, id).await?;
        let record = format!("organization {}", before.code);
        check_name(&record, name)?;
        check_change_date(&record, self.current_version_from(&mut tx, id).await?, on)?;
        let event = self
            .new_event(
                &mut tx,
                actor,
                TreeChange::Renamed,
                on,
                decision,
                serde_json::json!({ "org_id": id, "from": before.name, "to": name }),
            )
            .await?;
        let sql = self
            .db
            .sql("UPDATE orgs SET name = ?, name_folded = ?, updated_at = ? WHERE id = ?");
        sqlx::query(&sql)
            .bind(name.trim())
            .bind(format!(
                "{} {}",
                text::fold(name),
                before.code.to_lowercase()
            ))
            .bind(audit::now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.new_version(&mut tx, id, on, event).await?;
        let after = self.org_in_tx(&mut tx, scope, id).await?;
        self.audit_org(&mut tx, actor, "org.rename", Some(&before), &after)
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn move_org(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        new_parent: i64,
        on: Date,
        decision: Option<&str>,
        handover: Option<&HandoverMinutes>,
    ) -> StoreResult<Org> {
        let mut tx = self.db.begin().await?;
        let (before, record) = self.changeable_org(&mut tx, scope, id, on).await?;
        let parent = self.active_org_in_tx(&mut tx, scope, new_parent).await?;
        if let Some(minutes) = handover {
            minutes.check(&record)?;
        }
        let event = self
            .new_event(
                &mut tx,
                actor,
                TreeChange::Moved,
                on,
                decision,
                serde_json::json!({ "org_id": id, "from_parent": before.parent_id, "to_parent": new_parent }),
            )
            .await?;
        if let Some(minutes) = handover {
            let Some(old_parent) = before.parent_id else {
                return Err(DomainError::invalid(
                    &record,
                    "handover",
                    "a root has no organization to hand it over",
                )
                .into());
            };
            let from = self.org_in_tx(&mut tx, &Scope::all(), old_parent).await?;
            let handed = Handed {
                subtrees: vec![before.path.clone()],
                direct: None,
            };
            self.record_handover(&mut tx, actor, minutes, event, &from, &parent, handed)
                .await?;
        }
        self.reparent(&mut tx, &before, &parent, on, event).await?;
        let after = self.org_in_tx(&mut tx, scope, id).await?;
        self.audit_org(&mut tx, actor, "org.move", Some(&before), &after)
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn merge_orgs(
        &self,
        actor: &Actor,
        scope: &Scope,
        sources: &[i64],
        target: i64,
        on: Date,
        decision: Option<&str>,
        handover: Option<&HandoverMinutes>,
    ) -> StoreResult<Org> {
        if let Some(minutes) = handover {
            minutes.check("merge")?;
        }
        if sources.is_empty() || sources.contains(&target) {
            return Err(DomainError::invalid(
                "merge",
                "sources",
                "list one or more organizations other than the target",
            )
            .into());
        }
        let mut tx = self.db.begin().await?;
        let target_org = self.active_org_in_tx(&mut tx, scope, target).await?;
        let event = self
            .new_event(
                &mut tx,
                actor,
                TreeChange::Merged,
                on,
                decision,
                serde_json::json!({ "sources": sources, "target": target }),
            )
            .await?;
        for source in sources {
            let (org, record) = self.changeable_org(&mut tx, scope, *source, on).await?;
            if org.kind != target_org.kind {
                return Err(DomainError::invalid(
                    &record,
                    "kind",
                    format!(
                        "a {} cannot merge into a {}",
                        org.kind.as_str(),
                        target_org.kind.as_str()
                    ),
                )
                .into());
            }
            let sql = self
                .db
                .sql("SELECT id FROM orgs WHERE parent_id = ? AND dissolved_on IS NULL");
            let child_ids: Vec<i64> = sqlx::query(&sql)
                .bind(org.id)
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| int(r, "id"))
                .collect::<StoreResult<_>>()?;
            if let Some(minutes) = handover {
                let mut subtrees = Vec::with_capacity(child_ids.len());
                for child_id in &child_ids {
                    subtrees.push(self.org_in_tx(&mut tx, scope, *child_id).await?.path);
                }
                let target_now = self.org_in_tx(&mut tx, scope, target).await?;
                let handed = Handed {
                    subtrees,
                    direct: Some(None),
                };
                self.record_handover(&mut tx, actor, minutes, event, &org, &target_now, handed)
                    .await?;
            }
            for child_id in child_ids {
                let child = self.org_in_tx(&mut tx, scope, child_id).await?;
                let target_now = self.org_in_tx(&mut tx, scope, target).await?;
                self.reparent(&mut tx, &child, &target_now, on, event)
                    .await?;
            }
            let source_now = self.org_in_tx(&mut tx, scope, org.id).await?;
            let target_now = self.org_in_tx(&mut tx, scope, target).await?;
            self.move_members(&mut tx, &source_now, &target_now, None, on)
                .await?;
            self.dissolve_in_tx(&mut tx, &source_now, Some(target), on, event)
                .await?;
            let after = self.org_in_tx(&mut tx, scope, org.id).await?;
            self.audit_org(&mut tx, actor, "org.merge", Some(&org), &after)
                .await?;
        }
        let after = self.org_in_tx(&mut tx, scope, target).await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn split_org(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        parts: Vec<SplitPart>,
        on: Date,
        decision: Option<&str>,
        handover: Option<&HandoverMinutes>,
    ) -> StoreResult<Vec<Org>> {
        let mut tx = self.db.begin().await?;
        let (source, record) = self.changeable_org(&mut tx, scope, id, on).await?;
        if let Some(minutes) = handover {
            minutes.check(&record)?;
        }
        if parts.len() < 2 {
            return Err(
                DomainError::invalid(&record, "parts", "a split needs two or more parts").into(),
            );
        }
        let event = self
            .new_event(
                &mut tx,
                actor,
                TreeChange::Split,
                on,
                decision,
                serde_json::json!({ "org_id": id, "parts": parts.iter().map(|p| &p.org.code).collect::<Vec<_>>() }),
            )
            .await?;
        let mut created = Vec::new();
        for part in &parts {
            let mut new = part.org.clone();
            new.founded_on = on;
            let org = self
                .insert_org(&mut tx, actor, scope, &new, Some(event))
                .await?;
            let mut children = Vec::with_capacity(part.child_org_ids.len());
            for child_id in &part.child_org_ids {
                let child = self.active_org_in_tx(&mut tx, scope, *child_id).await?;
                if child.parent_id != Some(id) {
                    return Err(DomainError::invalid(
                        &record,
                        "child_org_ids",
                        format!(
                            "organization {} is not a child of {}",
                            child.code, source.code
                        ),
                    )
                    .into());
                }
                children.push(child);
            }
            let sql = self
                .db
                .sql("SELECT COUNT(*) AS n FROM members WHERE org_id = ? AND id = ?");
            for mid in &part.member_ids {
                let row = sqlx::query(&sql)
                    .bind(id)
                    .bind(*mid)
                    .fetch_one(&mut *tx)
                    .await?;
                if int(&row, "n")? == 0 {
                    return Err(DomainError::invalid(
                        &record,
                        "member_ids",
                        format!("member {mid} is not in {}", source.code),
                    )
                    .into());
                }
            }
            if let Some(minutes) = handover {
                let handed = Handed {
                    subtrees: children.iter().map(|c| c.path.clone()).collect(),
                    direct: Some(Some(&part.member_ids)),
                };
                self.record_handover(&mut tx, actor, minutes, event, &source, &org, handed)
                    .await?;
            }
            for child in &children {
                let org_now = self.org_in_tx(&mut tx, scope, org.id).await?;
                self.reparent(&mut tx, child, &org_now, on, event).await?;
            }
            if !part.member_ids.is_empty() {
                self.move_members(&mut tx, &source, &org, Some(&part.member_ids), on)
                    .await?;
            }
            created.push(self.org_in_tx(&mut tx, scope, org.id).await?);
        }
        // Fails, and rolls everything back, if anything was left unassigned.
        self.dissolve_in_tx(&mut tx, &source, None, on, event)
            .await?;
        let after = self.org_in_tx(&mut tx, scope, id).await?;
        self.audit_org(&mut tx, actor, "org.split", Some(&source), &after)
            .await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn dissolve_org(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        on: Date,
        decision: Option<&str>,
    ) -> StoreResult<Org> {
        let mut tx = self.db.begin().await?;
        let (before, _) = self.changeable_org(&mut tx, scope, id, on).await?;
        let event = self
            .new_event(
                &mut tx,
                actor,
                TreeChange::Dissolved,
                on,
                decision,
                serde_json::json!({ "org_id": id }),
            )
            .await?;
        self.dissolve_in_tx(&mut tx, &before, None, on, event)
            .await?;
        let after = self.org_in_tx(&mut tx, scope, id).await?;
        self.audit_org(&mut tx, actor, "org.dissolve", Some(&before), &after)
            .await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// Convenience for callers holding a `Db` only.
pub async fn org_count(db: &Db) -> StoreResult<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM orgs")
        .fetch_one(db.read())
        .await?;
    int(&row, "n")
}
