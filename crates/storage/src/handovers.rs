//! Handover minutes (biên bản bàn giao) of block transfers. When a merger, a split or a move
//! hands whole organizations over with their members, the minutes are recorded inside the
//! transaction of the tree change itself: who handed over to whom, by which minutes, signed
//! by whom, how many organizations, and the list of the members handed over with the cell
//! each was in. The tree change is recorded either with its minutes or not at all.

use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use grassroots_domain::member::MemberStatus;
use grassroots_domain::org::TreeChange;
use grassroots_domain::tree_path;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

use crate::audit::{self, Change};
use crate::orgs::{Org, OrgReader, today};
use crate::row::{date, int, opt_text, parsed, text};
use crate::{Actor, Scope, Store, StoreResult};

/// The minutes as entered with a merger, split or move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoverMinutes {
    /// The minutes' number, e.g. `05/BB-BG`.
    pub minutes_no: String,
    pub signed_on: Date,
    /// Who signed for the handing organization.
    pub handed_by: String,
    /// Who signed for the receiving organization.
    pub received_by: String,
    #[serde(default)]
    pub note: Option<String>,
}

impl HandoverMinutes {
    /// Every field present, and not signed in the future.
    pub fn check(&self, record: &str) -> Result<(), DomainError> {
        for (field, value) in [
            ("minutes_no", &self.minutes_no),
            ("handed_by", &self.handed_by),
            ("received_by", &self.received_by),
        ] {
            if value.trim().is_empty() {
                return Err(DomainError::invalid(
                    record,
                    format!("handover.{field}"),
                    "is required in handover minutes",
                ));
            }
        }
        if self.signed_on > today() {
            return Err(DomainError::invalid(
                record,
                "handover.signed_on",
                format!("{} is in the future", self.signed_on),
            ));
        }
        Ok(())
    }
}

/// Recorded handover minutes, with the tree change they belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handover {
    pub id: i64,
    pub event_id: i64,
    pub change: TreeChange,
    pub effective_on: Date,
    pub decision: Option<String>,
    pub minutes_no: String,
    pub signed_on: Date,
    pub from_org_id: i64,
    pub from_code: String,
    pub from_name: String,
    pub to_org_id: i64,
    pub to_code: String,
    pub to_name: String,
    pub org_count: i64,
    pub member_count: i64,
    pub handed_by: String,
    pub received_by: String,
    pub note: Option<String>,
}

/// One member on the list of a handover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandedMember {
    pub member_id: i64,
    pub full_name: String,
    /// The cell the member was in when handed over.
    pub org_id: i64,
    pub org_code: String,
}

/// What one handing organization gives one receiving organization.
pub(crate) struct Handed<'a> {
    /// Organizations handed over whole, with everything under them.
    pub subtrees: Vec<String>,
    /// The handing cell's own members handed over: all of them (`None`) or those listed.
    pub direct: Option<Option<&'a [i64]>>,
}

/// The statuses counted as members on a handover list (those counted in totals).
fn active_statuses() -> String {
    MemberStatus::ALL
        .into_iter()
        .filter(|s| s.is_active())
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

const HANDOVER_SELECT: &str = "SELECT h.id, h.event_id, e.change, e.effective_on, e.decision, h.minutes_no, \
     h.signed_on, h.from_org_id, fo.code AS from_code, fo.name AS from_name, h.to_org_id, \
     o.code AS to_code, o.name AS to_name, h.org_count, h.member_count, h.handed_by, \
     h.received_by, h.note FROM org_handovers h JOIN org_events e ON e.id = h.event_id \
     JOIN orgs fo ON fo.id = h.from_org_id JOIN orgs o ON o.id = h.to_org_id";

fn handover_from_row(r: &AnyRow) -> StoreResult<Handover> {
    Ok(Handover {
        id: int(r, "id")?,
        event_id: int(r, "event_id")?,
        change: parsed(r, "change", TreeChange::parse)?,
        effective_on: date(r, "effective_on")?,
        decision: opt_text(r, "decision")?,
        minutes_no: text(r, "minutes_no")?,
        signed_on: date(r, "signed_on")?,
        from_org_id: int(r, "from_org_id")?,
        from_code: text(r, "from_code")?,
        from_name: text(r, "from_name")?,
        to_org_id: int(r, "to_org_id")?,
        to_code: text(r, "to_code")?,
        to_name: text(r, "to_name")?,
        org_count: int(r, "org_count")?,
        member_count: int(r, "member_count")?,
        handed_by: text(r, "handed_by")?,
        received_by: text(r, "received_by")?,
        note: opt_text(r, "note")?,
    })
}

impl Store {
    /// Records the minutes of `from` handing `handed` over to `to` under tree change
    /// `event_id`, inside the tree change's transaction and before anything moves (the list
    /// is read from where the members stand when the minutes are signed).
    #[allow(clippy::too_many_arguments)] // Each argument is one fact of the minutes.
    pub(crate) async fn record_handover(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        minutes: &HandoverMinutes,
        event_id: i64,
        from: &Org,
        to: &Org,
        handed: Handed<'_>,
    ) -> StoreResult<Handover> {
        let mut org_count = 0;
        let count_orgs = self.db.sql(
            "SELECT COUNT(*) AS n FROM orgs WHERE path >= ? AND path < ? AND dissolved_on IS NULL",
        );
        for path in &handed.subtrees {
            let (lo, hi) = tree_path::subtree_range(path);
            let row = sqlx::query(&count_orgs)
                .bind(lo)
                .bind(hi)
                .fetch_one(&mut **tx)
                .await?;
            org_count += int(&row, "n")?;
        }
        let sql = self.db.sql(
            "INSERT INTO org_handovers (event_id, minutes_no, signed_on, from_org_id, from_path, to_org_id, \
             to_path, org_count, member_count, handed_by, received_by, note, recorded_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?) RETURNING id",
        );
        let row = sqlx::query(&sql)
            .bind(event_id)
            .bind(minutes.minutes_no.trim())
            .bind(minutes.signed_on.to_string())
            .bind(from.id)
            .bind(&from.path)
            .bind(to.id)
            .bind(&to.path)
            .bind(org_count)
            .bind(minutes.handed_by.trim())
            .bind(minutes.received_by.trim())
            .bind(
                minutes
                    .note
                    .as_deref()
                    .map(str::trim)
                    .filter(|n| !n.is_empty()),
            )
            .bind(audit::now())
            .fetch_one(&mut **tx)
            .await?;
        let id = int(&row, "id")?;
        let active = active_statuses();
        let insert = "INSERT INTO org_handover_members (handover_id, member_id, org_id) SELECT ?, id, org_id FROM members";
        let in_subtree = self
            .db
            .sql(&format!(
                "{insert} WHERE org_path >= ? AND org_path < ? AND status IN ({active})"
            ))
            .into_owned();
        for path in &handed.subtrees {
            let (lo, hi) = tree_path::subtree_range(path);
            sqlx::query(&in_subtree)
                .bind(id)
                .bind(lo)
                .bind(hi)
                .execute(&mut **tx)
                .await?;
        }
        match handed.direct {
            None => {}
            Some(None) => {
                let sql = self
                    .db
                    .sql(&format!(
                        "{insert} WHERE org_id = ? AND status IN ({active})"
                    ))
                    .into_owned();
                sqlx::query(&sql)
                    .bind(id)
                    .bind(from.id)
                    .execute(&mut **tx)
                    .await?;
            }
            Some(Some(ids)) => {
                let sql = self
                    .db
                    .sql(&format!(
                        "{insert} WHERE id = ? AND org_id = ? AND status IN ({active})"
                    ))
                    .into_owned();
                for member_id in ids {
                    sqlx::query(&sql)
                        .bind(id)
                        .bind(*member_id)
                        .bind(from.id)
                        .execute(&mut **tx)
                        .await?;
                }
            }
        }
        let sql = self.db.sql(
            "UPDATE org_handovers SET member_count = \
             (SELECT COUNT(*) FROM org_handover_members WHERE handover_id = ?) WHERE id = ?",
        );
        sqlx::query(&sql)
            .bind(id)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        let sql = self
            .db
            .sql(&format!("{HANDOVER_SELECT} WHERE h.id = ?"))
            .into_owned();
        let row = sqlx::query(&sql).bind(id).fetch_one(&mut **tx).await?;
        let handover = handover_from_row(&row)?;
        audit::record(
            &self.db,
            tx,
            actor,
            Change {
                action: "org.handover",
                entity: "org_handover",
                entity_id: id.to_string(),
                org_path: &to.path,
                before: None,
                after: Some(serde_json::json!(handover)),
            },
        )
        .await?;
        Ok(handover)
    }

    /// Every handover an organization gave or received, oldest first.
    pub async fn org_handovers(&self, scope: &Scope, org_id: i64) -> StoreResult<Vec<Handover>> {
        self.org(scope, org_id).await?;
        let sql = self
            .db
            .sql(&format!(
                "{HANDOVER_SELECT} WHERE h.from_org_id = ? OR h.to_org_id = ? ORDER BY e.effective_on, h.id"
            ))
            .into_owned();
        sqlx::query(&sql)
            .bind(org_id)
            .bind(org_id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(handover_from_row)
            .collect()
    }

    /// One handover, if the caller's scope holds its handing or its receiving organization.
    pub async fn handover(&self, scope: &Scope, id: i64) -> StoreResult<Handover> {
        let sql = self
            .db
            .sql(&format!("{HANDOVER_SELECT} WHERE h.id = ?"))
            .into_owned();
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.db.read())
            .await?
            .ok_or_else(|| DomainError::not_found("handover", id))?;
        let handover = handover_from_row(&row)?;
        let from = self.org(&Scope::all(), handover.from_org_id).await?;
        let to = self.org(&Scope::all(), handover.to_org_id).await?;
        if scope.check(&from.path, "handover", id).is_err() {
            scope.check(&to.path, "handover", id)?;
        }
        Ok(handover)
    }

    /// The members a handover lists, by name.
    pub async fn handover_members(&self, scope: &Scope, id: i64) -> StoreResult<Vec<HandedMember>> {
        self.handover(scope, id).await?;
        let sql = self.db.sql(
            "SELECT hm.member_id, m.full_name, hm.org_id, o.code FROM org_handover_members hm \
             JOIN members m ON m.id = hm.member_id JOIN orgs o ON o.id = hm.org_id \
             WHERE hm.handover_id = ? ORDER BY m.sort_key, m.id",
        );
        sqlx::query(&sql)
            .bind(id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(|r| {
                Ok(HandedMember {
                    member_id: int(r, "member_id")?,
                    full_name: text(r, "full_name")?,
                    org_id: int(r, "org_id")?,
                    org_code: text(r, "code")?,
                })
            })
            .collect()
    }

    /// The handovers that listed a member, oldest first: the block transfers they went
    /// through with their organization.
    pub async fn member_handovers(
        &self,
        scope: &Scope,
        member_id: i64,
    ) -> StoreResult<Vec<Handover>> {
        crate::lifecycle::member_path(self, scope, member_id).await?;
        let sql = self
            .db
            .sql(&format!(
                "{HANDOVER_SELECT} JOIN org_handover_members hm ON hm.handover_id = h.id \
                 WHERE hm.member_id = ? ORDER BY e.effective_on, h.id"
            ))
            .into_owned();
        sqlx::query(&sql)
            .bind(member_id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(handover_from_row)
            .collect()
    }
}
