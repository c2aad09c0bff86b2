//! The audit log: who changed what, when, with the record before and after.

use serde::Serialize;
use sqlx::{Any, Transaction};

use crate::row::{int, opt_text, text};
use crate::{Actor, Db, Scope, StoreResult};

/// The current time as RFC 3339 UTC text, the form every timestamp is stored in.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// One write to record. `before` is `None` for a creation, `after` for a removal.
#[derive(Debug)]
pub struct Change<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub org_path: &'a str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Records a change inside the caller's transaction, so the write and its record commit
/// or roll back together.
pub async fn record(
    db: &Db,
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    change: Change<'_>,
) -> StoreResult<()> {
    // The subtrees this write touches are no longer what their snapshots were built from.
    crate::changes::bump_for(db, tx, &change).await?;
    let sql = db.sql(
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, org_path, before_json, after_json) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    sqlx::query(&sql)
        .bind(now())
        .bind(&actor.0)
        .bind(change.action)
        .bind(change.entity)
        .bind(change.entity_id)
        .bind(change.org_path)
        .bind(change.before.map(|v| v.to_string()))
        .bind(change.after.map(|v| v.to_string()))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Records several changes, each by its own actor, inside the caller's transaction: the
/// counters in one statement and the entries in one multi-row insert (the group-commit
/// writer of check-ins records its whole batch so).
pub async fn record_batch(
    db: &Db,
    tx: &mut Transaction<'static, Any>,
    changes: &[(Actor, Change<'_>)],
) -> StoreResult<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let at = now();
    // 8 parameters a row: 100 rows a statement stay below every backend's limit.
    for chunk in changes.chunks(100) {
        let values = vec!["(?, ?, ?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ");
        let sql = db
            .sql(&format!(
                "INSERT INTO audit_log (at, actor, action, entity, entity_id, org_path, before_json, after_json) \
                 VALUES {values}"
            ))
            .into_owned();
        let mut q = sqlx::query(&sql);
        for (actor, c) in chunk {
            q = q
                .bind(at.clone())
                .bind(actor.0.clone())
                .bind(c.action)
                .bind(c.entity)
                .bind(c.entity_id.clone())
                .bind(c.org_path)
                .bind(c.before.as_ref().map(|v| v.to_string()))
                .bind(c.after.as_ref().map(|v| v.to_string()));
        }
        q.execute(&mut **tx).await?;
    }
    // The counters last: their rows (the ancestors' ones above all) are what concurrent
    // writers wait for, so they are locked for as short a time before the commit as can be.
    let plain: Vec<&Change<'_>> = changes.iter().map(|(_, c)| c).collect();
    crate::changes::bump_all(db, tx, &plain).await
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// The newest entries inside the scope, optionally for one entity, newest first.
pub async fn list(
    db: &Db,
    scope: &Scope,
    entity: Option<(&str, &str)>,
    limit: i64,
) -> StoreResult<Vec<AuditEntry>> {
    let (lo, hi) = scope.range();
    let filter = if entity.is_some() {
        " AND entity = ? AND entity_id = ?"
    } else {
        ""
    };
    let sql = db.sql(&format!(
        "SELECT id, at, actor, action, entity, entity_id, before_json, after_json FROM audit_log \
         WHERE org_path >= ? AND org_path < ?{filter} ORDER BY id DESC LIMIT ?"
    ))
    .into_owned();
    let mut q = sqlx::query(&sql).bind(lo).bind(hi);
    if let Some((e, id)) = entity {
        q = q.bind(e.to_owned()).bind(id.to_owned());
    }
    let rows = q.bind(limit).fetch_all(db.read()).await?;
    rows.iter()
        .map(|r| {
            let json = |col: &str| -> StoreResult<Option<serde_json::Value>> {
                Ok(opt_text(r, col)?.and_then(|s| serde_json::from_str(&s).ok()))
            };
            Ok(AuditEntry {
                id: int(r, "id")?,
                at: text(r, "at")?,
                actor: text(r, "actor")?,
                action: text(r, "action")?,
                entity: text(r, "entity")?,
                entity_id: text(r, "entity_id")?,
                before: json("before_json")?,
                after: json("after_json")?,
            })
        })
        .collect()
}
