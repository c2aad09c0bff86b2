//! Movements of the membership during the period: admissions and departures.

use grassroots_domain::figures::Figure;
use grassroots_domain::tree_path;
use grassroots_storage::Store;
use grassroots_storage::orgs::Org;
use sqlx::Row;

use crate::contract::describe;
use crate::{Period, ReportResult};

/// Departures counted from status spans starting in the period.
pub const DEPARTURE_KEYS: [(&str, &str); 4] = [
    ("removed", "members.removed"),
    ("expelled", "members.expelled"),
    ("deceased", "members.deceased"),
    ("transferred_out", "members.transferred_out"),
];

/// Members are counted in the organization that holds (or last held) them now, so a member
/// admitted here and transferred away later counts where they are now.
pub async fn figures(store: &Store, org: &Org, period: Period) -> ReportResult<Vec<Figure>> {
    let (lo, hi) = tree_path::subtree_range(&org.path);
    let (from, to) = (period.from.to_string(), period.to.to_string());
    let sql = store.db.sql(
        "SELECT COUNT(*) AS n FROM members WHERE org_path >= ? AND org_path < ? \
         AND admitted_on >= ? AND admitted_on <= ?",
    );
    let row = sqlx::query(&sql)
        .bind(&lo)
        .bind(&hi)
        .bind(&from)
        .bind(&to)
        .fetch_one(store.db.read())
        .await
        .map_err(grassroots_storage::StoreError::from)?;
    let admitted: i64 = row
        .try_get("n")
        .map_err(grassroots_storage::StoreError::from)?;
    let sql = store.db.sql(
        "SELECT s.status, COUNT(*) AS n FROM member_statuses s JOIN members m ON m.id = s.member_id \
         WHERE m.org_path >= ? AND m.org_path < ? AND s.valid_from >= ? AND s.valid_from <= ? GROUP BY s.status",
    );
    let rows = sqlx::query(&sql)
        .bind(&lo)
        .bind(&hi)
        .bind(&from)
        .bind(&to)
        .fetch_all(store.db.read())
        .await
        .map_err(grassroots_storage::StoreError::from)?;
    let started = |status: &str| -> i64 {
        rows.iter()
            .find(|r| r.try_get::<String, _>("status").is_ok_and(|s| s == status))
            .and_then(|r| r.try_get::<i64, _>("n").ok())
            .unwrap_or(0)
    };
    let mut out = vec![
        describe("members.admitted", admitted),
        describe("members.recognized_official", started("official")),
    ];
    for (status, key) in DEPARTURE_KEYS {
        out.push(describe(key, started(status)));
    }
    Ok(out)
}
