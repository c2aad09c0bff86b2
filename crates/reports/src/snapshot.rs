//! Snapshots of closed periods: the figures of a period that ended before today, computed
//! from the records once and kept in `report_snapshots`, so that a report of a past year
//! (and the previous-period column of any report) is one read at national scale.
//!
//! A snapshot is used only while it is exactly what the records give: it remembers the
//! subtree's change counter (`grassroots_storage::changes`) and the program and rulebook it
//! was computed with, and it is computed again as soon as any of them moved. A write dated
//! in the past (attendance recorded late, a backdated removal) therefore shows in the next
//! report, as it would without snapshots.

use grassroots_domain::figures::Figure;
use grassroots_domain::rulebook::Rulebook;
use grassroots_storage::changes::subtree_changes;
use grassroots_storage::orgs::Org;
use grassroots_storage::{Scope, Store, StoreError};
use sqlx::Row;

use crate::{Period, ReportResult, producers};

/// What a snapshot was computed with: this program and the rulebook in force at the end of
/// the period.
fn stamp(period: Period) -> ReportResult<String> {
    let book = Rulebook::in_force(period.to)?;
    Ok(format!("{}+{}", env!("CARGO_PKG_VERSION"), book.id))
}

/// The figures of `org`'s subtree for `period`: from its snapshot when the period is closed
/// and the snapshot is current, otherwise from the records (and a closed period's figures
/// are kept for next time).
pub async fn figures(
    store: &Store,
    scope: &Scope,
    org: &Org,
    period: Period,
) -> ReportResult<Vec<Figure>> {
    let today = chrono::Local::now().date_naive();
    if period.to >= today {
        return producers::collect(store, scope, org, period, producers::Source::Kept).await;
    }
    let stamp = stamp(period)?;
    // Read the counter before computing: a write landing meanwhile leaves a snapshot that
    // is already out of date, and it is computed again next time.
    let changes = subtree_changes(&store.db, org.id).await?;
    if let Some(figures) = stored(store, org.id, period, &stamp, changes).await? {
        return Ok(figures);
    }
    let figures = producers::collect(store, scope, org, period, producers::Source::Kept).await?;
    keep(store, org.id, period, &stamp, changes, &figures).await?;
    Ok(figures)
}

async fn stored(
    store: &Store,
    org_id: i64,
    period: Period,
    stamp: &str,
    changes: i64,
) -> ReportResult<Option<Vec<Figure>>> {
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
    figures: &[Figure],
) -> ReportResult<()> {
    let json =
        serde_json::to_string(figures).map_err(|e| crate::ReportError::Export(e.to_string()))?;
    let sql = store.db.sql(
        "INSERT INTO report_snapshots (org_id, period_from, period_to, stamp, changes, figures, built_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, period_from, period_to) DO UPDATE SET \
         stamp = excluded.stamp, changes = excluded.changes, figures = excluded.figures, built_at = excluded.built_at",
    );
    let mut tx = store.db.begin().await?;
    sqlx::query(&sql)
        .bind(org_id)
        .bind(period.from.to_string())
        .bind(period.to.to_string())
        .bind(stamp)
        .bind(changes)
        .bind(json)
        .bind(grassroots_storage::audit::now())
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}
