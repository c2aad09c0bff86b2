//! Snapshots: every figure but the meetings' ([`producers::Others`]) of a subtree and
//! period, computed from the records once and kept in `report_snapshots`, so that a report
//! of a past year (and the previous-period column of any report) is one read at national
//! scale, and the running year is one read until the registry changes. (The meeting figures
//! are kept per organization instead: `grassroots_storage::meetings::kept_parts`.)
//!
//! A snapshot is used only while it is exactly what the records give: it remembers the
//! subtree's registry counter (`grassroots_storage::changes`: writes outside the meetings
//! area, which no figure here reads; for a period that has ended, the own counters of the
//! organizations in its subtree in the tree of its last day, `Store::registry_changes_in`)
//! and the counting and rulebook it was computed with, and
//! it is computed again as soon as any of them moved. A write dated in the past (a
//! backdated removal) therefore shows in the next report, as it would without snapshots.
//! A period that has not ended is kept for the day it was computed on (its figures are as
//! of today); snapshots of such periods from earlier days are pruned.

use grassroots_domain::figures::counting_stamp;
use grassroots_domain::rulebook::Rulebook;
use grassroots_storage::orgs::Org;
use grassroots_storage::{Scope, Store, StoreError};
use sqlx::Row;

use crate::producers::{self, Others};
use crate::{Period, ReportResult};

/// What a snapshot was computed with: the counting version, the rulebook in force at the
/// end of the period, and the day when the period has not ended.
fn stamp(period: Period, today: chrono::NaiveDate) -> ReportResult<String> {
    let book = Rulebook::in_force(period.to)?;
    let day = if period.to >= today {
        format!("+{today}")
    } else {
        String::new()
    };
    Ok(format!("{}{day}", counting_stamp(&book.id)))
}

/// Every figure but the meetings' of `org`'s subtree for `period`: from its snapshot when
/// that is current, otherwise from the records (and kept for next time).
pub async fn others(
    store: &Store,
    scope: &Scope,
    org: &Org,
    period: Period,
) -> ReportResult<Others> {
    let today = chrono::Local::now().date_naive();
    let stamp = stamp(period, today)?;
    // Read the counter before computing: a write landing meanwhile leaves a snapshot that
    // is already out of date, and it is computed again next time.
    let changes = store.registry_changes_in(org, period.to).await?;
    if let Some(others) = stored(store, org.id, period, &stamp, changes).await? {
        return Ok(others);
    }
    let others = producers::others(store, scope, org, period, producers::Source::Kept).await?;
    let open_on = (period.to >= today).then_some(today);
    keep(store, org.id, period, &stamp, changes, open_on, &others).await?;
    Ok(others)
}

async fn stored(
    store: &Store,
    org_id: i64,
    period: Period,
    stamp: &str,
    changes: i64,
) -> ReportResult<Option<Others>> {
    let sql = store.db.sql(
        "SELECT figures FROM report_snapshots WHERE org_id = ? AND period_from = ? AND period_to = ? \
         AND stamp = ? AND changes = ?",
    );
    let row = sqlx::query(&sql)
        .bind(org_id)
        .bind(period.from.to_string())
        .bind(period.to.to_string())
        .bind(stamp)
        .bind(changes)
        .fetch_optional(store.db.read())
        .await
        .map_err(StoreError::from)?;
    let Some(row) = row else { return Ok(None) };
    let raw: String = row.try_get("figures").map_err(StoreError::from)?;
    // A snapshot that does not read back is ignored and computed again.
    Ok(serde_json::from_str(&raw).ok())
}

async fn keep(
    store: &Store,
    org_id: i64,
    period: Period,
    stamp: &str,
    changes: i64,
    open_on: Option<chrono::NaiveDate>,
    others: &Others,
) -> ReportResult<()> {
    let json =
        serde_json::to_string(others).map_err(|e| crate::ReportError::Export(e.to_string()))?;
    let sql = store.db.sql(
        "INSERT INTO report_snapshots (org_id, period_from, period_to, stamp, changes, figures, built_at, open_on) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, period_from, period_to) DO UPDATE SET \
         stamp = excluded.stamp, changes = excluded.changes, figures = excluded.figures, \
         built_at = excluded.built_at, open_on = excluded.open_on",
    );
    let mut tx = store.db.begin().await?;
    if let Some(today) = open_on {
        let prune = store
            .db
            .sql("DELETE FROM report_snapshots WHERE open_on IS NOT NULL AND open_on < ?");
        sqlx::query(&prune)
            .bind(today.to_string())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
    }
    sqlx::query(&sql)
        .bind(org_id)
        .bind(period.from.to_string())
        .bind(period.to.to_string())
        .bind(stamp)
        .bind(changes)
        .bind(json)
        .bind(grassroots_storage::audit::now())
        .bind(open_on.map(|d| d.to_string()))
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}
