//! Temporary transfers as stays: where members of a subtree are temporarily away, who is
//! temporarily hosted in it, and the early return of a member before the stay's end. A
//! stay is a temporary membership; the official one stays at home, so the member is
//! counted at home only.

use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

use super::{audit_lifecycle, member_path};
use crate::orgs::today;
use crate::row::{date, int, opt_date, opt_int, opt_text, text};
use crate::{Actor, Scope, Store, StoreResult};

/// One temporary stay of a member at a host cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stay {
    pub member_id: i64,
    pub full_name: String,
    /// The cell holding the official membership (where the member is counted).
    pub home_org_id: Option<i64>,
    pub home_code: Option<String>,
    pub host_org_id: i64,
    pub host_code: String,
    pub host_name: String,
    pub from: Date,
    pub until: Option<Date>,
}

/// The stays of a subtree on a day: its members away, and the members it hosts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stays {
    pub on: Date,
    pub away: Vec<Stay>,
    pub hosted: Vec<Stay>,
}

const STAY_SELECT: &str = "SELECT ms.member_id, m.full_name, m.org_id AS home_org_id, home.code AS home_code, \
     ms.org_id AS host_org_id, host.code AS host_code, host.name AS host_name, ms.valid_from, ms.valid_to \
     FROM memberships ms JOIN members m ON m.id = ms.member_id JOIN orgs host ON host.id = ms.org_id \
     LEFT JOIN orgs home ON home.id = m.org_id";

fn stay_from_row(r: &AnyRow) -> StoreResult<Stay> {
    Ok(Stay {
        member_id: int(r, "member_id")?,
        full_name: text(r, "full_name")?,
        home_org_id: opt_int(r, "home_org_id")?,
        home_code: opt_text(r, "home_code")?,
        host_org_id: int(r, "host_org_id")?,
        host_code: text(r, "host_code")?,
        host_name: text(r, "host_name")?,
        from: date(r, "valid_from")?,
        until: opt_date(r, "valid_to")?,
    })
}

impl Store {
    /// The temporary stays under way on `on` of the members at home in the subtree of
    /// `org_id` (away) and at hosts in it (hosted).
    pub async fn temporary_stays(
        &self,
        scope: &Scope,
        org_id: i64,
        on: Date,
    ) -> StoreResult<Stays> {
        let (_, lo, hi) = super::subtree_range(self, scope, org_id).await?;
        let day = on.to_string();
        let open = "ms.kind = 'temporary' AND ms.valid_from <= ? AND (ms.valid_to IS NULL OR ms.valid_to > ?)";
        let mut lists = Vec::with_capacity(2);
        for side in ["m.org_path", "host.path"] {
            let sql = self
                .db
                .sql(&format!(
                    "{STAY_SELECT} WHERE {open} AND {side} >= ? AND {side} < ? ORDER BY m.sort_key, m.id, ms.valid_from"
                ))
                .into_owned();
            let rows = sqlx::query(&sql)
                .bind(&day)
                .bind(&day)
                .bind(&lo)
                .bind(&hi)
                .fetch_all(self.db.read())
                .await?;
            lists.push(
                rows.iter()
                    .map(stay_from_row)
                    .collect::<StoreResult<Vec<_>>>()?,
            );
        }
        let hosted = lists.pop().unwrap_or_default();
        let away = lists.pop().unwrap_or_default();
        Ok(Stays { on, away, hosted })
    }

    /// Every temporary stay of a member, oldest first.
    pub async fn member_stays(&self, scope: &Scope, member_id: i64) -> StoreResult<Vec<Stay>> {
        member_path(self, scope, member_id).await?;
        let sql = self
            .db
            .sql(&format!(
                "{STAY_SELECT} WHERE ms.kind = 'temporary' AND ms.member_id = ? ORDER BY ms.valid_from, ms.id"
            ))
            .into_owned();
        sqlx::query(&sql)
            .bind(member_id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(stay_from_row)
            .collect()
    }

    /// The member returns home from the stay at `host_org_id` on `on`, before its planned
    /// end: the stay ends that day and the record of it stays.
    pub async fn end_temporary_transfer(
        &self,
        actor: &Actor,
        scope: &Scope,
        member_id: i64,
        host_org_id: i64,
        on: Date,
    ) -> StoreResult<Stay> {
        let rec = format!("member {member_id}");
        let path = member_path(self, scope, member_id).await?;
        if on > today() {
            return Err(DomainError::invalid(&rec, "returned_on", "is in the future").into());
        }
        let mut tx = self.db.begin().await?;
        let sql = self.db.sql(
            "UPDATE memberships SET valid_to = ? WHERE member_id = ? AND org_id = ? AND kind = 'temporary' \
             AND valid_from < ? AND (valid_to IS NULL OR valid_to > ?)",
        );
        let d = on.to_string();
        let done = sqlx::query(&sql)
            .bind(&d)
            .bind(member_id)
            .bind(host_org_id)
            .bind(&d)
            .bind(&d)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(DomainError::invalid(
                &rec,
                "org_id",
                format!("the member has no temporary stay at organization {host_org_id} under way on {on}"),
            )
            .into());
        }
        let sql = self
            .db
            .sql(&format!(
                "{STAY_SELECT} WHERE ms.kind = 'temporary' AND ms.member_id = ? AND ms.org_id = ? AND ms.valid_to = ?"
            ))
            .into_owned();
        let row = sqlx::query(&sql)
            .bind(member_id)
            .bind(host_org_id)
            .bind(&d)
            .fetch_one(&mut *tx)
            .await?;
        let stay = stay_from_row(&row)?;
        audit_lifecycle(
            self,
            &mut tx,
            actor,
            "member.temporary_return",
            "member",
            member_id,
            &path,
            serde_json::json!(stay),
        )
        .await?;
        tx.commit().await?;
        Ok(stay)
    }
}
