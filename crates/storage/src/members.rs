//! The member registry: identity, status over time, memberships in cells, and search.

use grassroots_domain::date::Date;
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus, MembershipKind};
use grassroots_domain::{DomainError, text, tree_path};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

use crate::audit::{self, Change};
use crate::member_search::{self, NameSearch};
use crate::orgs::{Org, today};
use crate::row::{date, int, opt_date, opt_int, opt_text, parsed, text};
use crate::{Actor, Scope, Store, StoreResult, rollup};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: i64,
    #[serde(flatten)]
    pub identity: MemberIdentity,
    pub status: MemberStatus,
    pub status_since: Date,
    /// The cell that holds the member's official membership (the last one, once they left).
    pub org_id: Option<i64>,
    /// Bumped by every change; an update must name the version it read.
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewMember {
    #[serde(flatten)]
    pub identity: MemberIdentity,
    pub org_id: i64,
    pub status: MemberStatus,
    /// Since when the status holds.
    pub status_since: Date,
    /// Since when the member belongs to the cell.
    pub joined_on: Date,
}

/// A move of a member to another cell: for good (`Official`), or for a while
/// (`Temporary`, until `until`), starting `on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    pub to_org: i64,
    pub kind: MembershipKind,
    pub on: Date,
    pub until: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusSpan {
    pub status: MemberStatus,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub reason: Option<String>,
    pub decision: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub org_id: i64,
    pub org_code: String,
    pub org_name: String,
    pub kind: MembershipKind,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub note: Option<String>,
}

/// A list request: a subtree, filters, and a keyset cursor for paging over millions of rows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberQuery {
    /// Limit to the subtree of this organization (inside the caller's scope).
    pub org_id: Option<i64>,
    /// Name (diacritics and case ignored; any word start), citizen ID or card number.
    pub text: Option<String>,
    pub status: Option<MemberStatus>,
    /// Include members who have left (removed, transferred out, ...).
    pub include_inactive: bool,
    /// Continue after this cursor (from the previous page).
    pub after: Option<String>,
    pub limit: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub id: i64,
    pub full_name: String,
    pub birth_date: Date,
    pub gender: Gender,
    pub status: MemberStatus,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberPage {
    pub rows: Vec<MemberRow>,
    pub next: Option<String>,
}

pub trait MemberReader {
    fn member(&self, scope: &Scope, id: i64) -> impl Future<Output = StoreResult<Member>> + Send;
    fn status_history(
        &self,
        scope: &Scope,
        id: i64,
    ) -> impl Future<Output = StoreResult<Vec<StatusSpan>>> + Send;
    fn memberships(
        &self,
        scope: &Scope,
        id: i64,
    ) -> impl Future<Output = StoreResult<Vec<Membership>>> + Send;
    /// Where the member took part on `day`: official and temporary memberships.
    fn where_on(
        &self,
        scope: &Scope,
        id: i64,
        day: Date,
    ) -> impl Future<Output = StoreResult<Vec<Membership>>> + Send;
    fn list_members(
        &self,
        scope: &Scope,
        query: &MemberQuery,
    ) -> impl Future<Output = StoreResult<MemberPage>> + Send;
}

pub trait MemberWriter {
    fn create_member(
        &self,
        actor: &Actor,
        scope: &Scope,
        new: NewMember,
    ) -> impl Future<Output = StoreResult<Member>> + Send;
    /// Replaces the identity fields; fails with a conflict if `expected_version` is stale.
    fn update_identity(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        expected_version: i64,
        identity: MemberIdentity,
    ) -> impl Future<Output = StoreResult<Member>> + Send;
    fn change_status(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        status: MemberStatus,
        on: Date,
        reason: Option<&str>,
    ) -> impl Future<Output = StoreResult<Member>> + Send;
    /// Official transfer to another cell, or a temporary one until `until`.
    fn transfer_member(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        transfer: Transfer,
    ) -> impl Future<Output = StoreResult<Member>> + Send;
}

const MEMBER_COLUMNS: &str = "id, full_name, birth_date, gender, ethnicity, citizen_id, party_card_no, \
     admitted_on, official_on, status, status_since, org_id, org_path, version";

fn member_from_row(r: &impl crate::row::Cells) -> StoreResult<Member> {
    Ok(Member {
        id: int(r, "id")?,
        identity: MemberIdentity {
            full_name: text(r, "full_name")?,
            birth_date: date(r, "birth_date")?,
            gender: parsed(r, "gender", Gender::parse)?,
            ethnicity: text(r, "ethnicity")?,
            citizen_id: opt_text(r, "citizen_id")?,
            party_card_no: opt_text(r, "party_card_no")?,
            admitted_on: opt_date(r, "admitted_on")?,
            official_on: opt_date(r, "official_on")?,
        },
        status: parsed(r, "status", MemberStatus::parse)?,
        status_since: date(r, "status_since")?,
        org_id: opt_int(r, "org_id")?,
        version: int(r, "version")?,
    })
}

fn membership_from_row(r: &AnyRow) -> StoreResult<Membership> {
    Ok(Membership {
        org_id: int(r, "org_id")?,
        org_code: text(r, "code")?,
        org_name: text(r, "name")?,
        kind: parsed(r, "kind", MembershipKind::parse)?,
        valid_from: date(r, "valid_from")?,
        valid_to: opt_date(r, "valid_to")?,
        note: opt_text(r, "note")?,
    })
}

/// The word-suffix search keys of a name: "nguyen van an", "van an", "an".
pub fn name_keys(full_name: &str) -> Vec<String> {
    let folded = text::fold(full_name);
    let words: Vec<&str> = folded.split(' ').collect();
    (0..words.len()).map(|i| words[i..].join(" ")).collect()
}

fn record(id: i64) -> String {
    format!("member {id}")
}

impl Store {
    pub(crate) async fn member_in_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        scope: &Scope,
        id: i64,
    ) -> StoreResult<(Member, Option<String>)> {
        let sql = self
            .db
            .sql(&format!(
                "SELECT {MEMBER_COLUMNS} FROM members WHERE id = ?"
            ))
            .into_owned();
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| DomainError::not_found("member", id))?;
        let path = opt_text(&row, "org_path")?;
        scope.check(path.as_deref().unwrap_or("/"), "member", id)?;
        Ok((member_from_row(&row)?, path))
    }

    pub(crate) async fn audit_member(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        action: &str,
        before: Option<&Member>,
        after: &Member,
        path: &str,
    ) -> StoreResult<()> {
        audit::record(
            &self.db,
            tx,
            actor,
            Change {
                action,
                entity: "member",
                entity_id: after.id.to_string(),
                org_path: path,
                before: before.map(|b| serde_json::json!(b)),
                after: Some(serde_json::json!(after)),
            },
        )
        .await
    }

    async fn write_name_keys(
        &self,
        tx: &mut Transaction<'static, Any>,
        id: i64,
        full_name: &str,
    ) -> StoreResult<()> {
        let sql = self
            .db
            .sql("DELETE FROM member_name_keys WHERE member_id = ?");
        sqlx::query(&sql).bind(id).execute(&mut **tx).await?;
        let keys = name_keys(full_name);
        if keys.is_empty() {
            return Ok(());
        }
        // Each key carries the member's list order, status and place (migration 0008; the
        // triggers there keep them when the member changes).
        let sql = self
            .db
            .sql("SELECT sort_key, status, org_path FROM members WHERE id = ?");
        let row = sqlx::query(&sql).bind(id).fetch_one(&mut **tx).await?;
        let sort_key = text(&row, "sort_key")?;
        let status = text(&row, "status")?;
        let org_path = opt_text(&row, "org_path")?;
        let province = org_path
            .as_deref()
            .map(|p| member_search::province_path(p).to_owned());
        let rows = vec!["(?, ?, ?, ?, ?, ?)"; keys.len()].join(", ");
        let sql = self
            .db
            .sql(&format!(
                "INSERT INTO member_name_keys (key, member_id, sort_key, status, org_path, province_path) VALUES {rows}"
            ))
            .into_owned();
        let mut q = sqlx::query(&sql);
        for key in keys {
            q = q
                .bind(key)
                .bind(id)
                .bind(sort_key.clone())
                .bind(status.clone())
                .bind(org_path.clone())
                .bind(province.clone());
        }
        q.execute(&mut **tx).await?;
        Ok(())
    }

    pub(crate) async fn open_status(
        &self,
        tx: &mut Transaction<'static, Any>,
        id: i64,
        status: MemberStatus,
        from: Date,
        to: Option<Date>,
        reason: Option<&str>,
    ) -> StoreResult<()> {
        let sql = self.db.sql(
            "INSERT INTO member_statuses (member_id, status, valid_from, valid_to, reason) VALUES (?, ?, ?, ?, ?)",
        );
        sqlx::query(&sql)
            .bind(id)
            .bind(status.as_str())
            .bind(from.to_string())
            .bind(to.map(|d| d.to_string()))
            .bind(reason)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// A member is on one temporary stay at a time: a new one that overlaps a stay not yet
    /// ended (an early return ends it) is refused, naming the stay it meets.
    async fn refuse_overlapping_stay(
        &self,
        tx: &mut Transaction<'static, Any>,
        id: i64,
        from: Date,
        until: Date,
    ) -> StoreResult<()> {
        let sql = self.db.sql(
            "SELECT o.code, ms.valid_from, ms.valid_to FROM memberships ms JOIN orgs o ON o.id = ms.org_id \
             WHERE ms.member_id = ? AND ms.kind = ? AND ms.valid_from < ? \
             AND (ms.valid_to IS NULL OR ms.valid_to > ?) ORDER BY ms.valid_from LIMIT 1",
        );
        let clash = sqlx::query(&sql)
            .bind(id)
            .bind(MembershipKind::Temporary.as_str())
            .bind(until.to_string())
            .bind(from.to_string())
            .fetch_optional(&mut **tx)
            .await?;
        if let Some(r) = clash {
            let until = crate::row::opt_text(&r, "valid_to")?.unwrap_or_else(|| "open".into());
            return Err(DomainError::invalid(
                record(id),
                "effective_on",
                format!(
                    "the member is already on a temporary transfer to {} from {} to {until}; \
                     end it (early return) before starting another",
                    crate::row::text(&r, "code")?,
                    crate::row::text(&r, "valid_from")?,
                ),
            )
            .into());
        }
        Ok(())
    }

    pub(crate) async fn open_membership(
        &self,
        tx: &mut Transaction<'static, Any>,
        id: i64,
        org_id: i64,
        kind: MembershipKind,
        from: Date,
        to: Option<Date>,
    ) -> StoreResult<()> {
        let sql = self.db.sql(
            "INSERT INTO memberships (member_id, org_id, kind, valid_from, valid_to) VALUES (?, ?, ?, ?, ?)",
        );
        sqlx::query(&sql)
            .bind(id)
            .bind(org_id)
            .bind(kind.as_str())
            .bind(from.to_string())
            .bind(to.map(|d| d.to_string()))
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    async fn close_memberships(
        &self,
        tx: &mut Transaction<'static, Any>,
        id: i64,
        kind: Option<MembershipKind>,
        on: Date,
    ) -> StoreResult<()> {
        let (filter, kind) = match kind {
            Some(k) => (" AND kind = ?", Some(k.as_str())),
            None => ("", None),
        };
        let sql = self
            .db
            .sql(&format!(
                "UPDATE memberships SET valid_to = ? WHERE member_id = ? AND (valid_to IS NULL OR valid_to > ?){filter}"
            ))
            .into_owned();
        let mut q = sqlx::query(&sql)
            .bind(on.to_string())
            .bind(id)
            .bind(on.to_string());
        if let Some(k) = kind {
            q = q.bind(k);
        }
        q.execute(&mut **tx).await?;
        Ok(())
    }

    /// Moves a member's official membership from `from` to `to` on `on`, keeping rollups.
    pub(crate) async fn move_member_in_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        id: i64,
        from: &Org,
        to: &Org,
        on: Date,
    ) -> StoreResult<()> {
        let (member, _) = self.member_in_tx(tx, &Scope::all(), id).await?;
        if member.status.is_active() {
            self.close_memberships(tx, id, Some(MembershipKind::Official), on)
                .await?;
            self.open_membership(tx, id, to.id, MembershipKind::Official, on, None)
                .await?;
        }
        let sql = self.db.sql(
            "UPDATE members SET org_id = ?, org_path = ?, version = version + 1, updated_at = ? WHERE id = ?",
        );
        sqlx::query(&sql)
            .bind(to.id)
            .bind(&to.path)
            .bind(audit::now())
            .bind(id)
            .execute(&mut **tx)
            .await?;
        rollup::bump_members(&self.db, tx, &from.path, member.status.as_str(), -1).await?;
        rollup::bump_members(&self.db, tx, &to.path, member.status.as_str(), 1).await?;
        Ok(())
    }

    /// Inserts a member with an explicit id and no checks of scope (import of a trusted
    /// export). Used by the interchange crate inside its own transaction.
    pub async fn insert_member_raw(
        &self,
        tx: &mut Transaction<'static, Any>,
        id: Option<i64>,
        member: &Member,
        org_path: Option<&str>,
    ) -> StoreResult<i64> {
        let i = &member.identity;
        let sql = self.db.sql(
            "INSERT INTO members (id, full_name, name_folded, sort_key, birth_date, gender, ethnicity, citizen_id, \
             party_card_no, admitted_on, official_on, status, status_since, org_id, org_path, version, updated_at) \
             VALUES (COALESCE(?, (SELECT COALESCE(MAX(id), 0) + 1 FROM members)), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        );
        let row = sqlx::query(&sql)
            .bind(id)
            .bind(i.full_name.trim())
            .bind(text::fold(&i.full_name))
            .bind(text::sort_key(&i.full_name))
            .bind(i.birth_date.to_string())
            .bind(i.gender.as_str())
            .bind(i.ethnicity.trim())
            .bind(i.citizen_id.as_deref())
            .bind(i.party_card_no.as_deref())
            .bind(i.admitted_on.map(|d| d.to_string()))
            .bind(i.official_on.map(|d| d.to_string()))
            .bind(member.status.as_str())
            .bind(member.status_since.to_string())
            .bind(member.org_id)
            .bind(org_path)
            .bind(member.version)
            .bind(audit::now())
            .fetch_one(&mut **tx)
            .await?;
        let id = int(&row, "id")?;
        self.write_name_keys(tx, id, &i.full_name).await?;
        Ok(id)
    }
}

/// Members in a subtree beyond which its list walks the list order rather than sorting
/// the subtree (see `grassroots bench`, list.province.first).
const LARGE_SUBTREE_MEMBERS: i64 = 10_000;

impl Store {
    /// Whether the subtree rooted at `path` holds at least [`LARGE_SUBTREE_MEMBERS`]
    /// members, read from its rollup row.
    async fn is_large_subtree(&self, path: &str) -> StoreResult<bool> {
        let Some(root) = tree_path::ids(path).last().copied() else {
            return Ok(true);
        };
        let sql = self.db.sql(
            "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n FROM org_member_counts WHERE org_id = ?",
        );
        let row = sqlx::query(&sql)
            .bind(root)
            .fetch_one(self.db.read())
            .await?;
        Ok(int(&row, "n")? >= LARGE_SUBTREE_MEMBERS)
    }
}

impl MemberReader for Store {
    async fn member(&self, scope: &Scope, id: i64) -> StoreResult<Member> {
        let sql = self
            .db
            .sql(&format!(
                "SELECT {MEMBER_COLUMNS} FROM members WHERE id = ?"
            ))
            .into_owned();
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.db.read())
            .await?
            .ok_or_else(|| DomainError::not_found("member", id))?;
        scope.check(
            opt_text(&row, "org_path")?.as_deref().unwrap_or("/"),
            "member",
            id,
        )?;
        member_from_row(&row)
    }

    async fn status_history(&self, scope: &Scope, id: i64) -> StoreResult<Vec<StatusSpan>> {
        self.member(scope, id).await?;
        let sql = self.db.sql(
            "SELECT status, valid_from, valid_to, reason, decision FROM member_statuses \
             WHERE member_id = ? ORDER BY valid_from, id",
        );
        sqlx::query(&sql)
            .bind(id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(|r| {
                Ok(StatusSpan {
                    status: parsed(r, "status", MemberStatus::parse)?,
                    valid_from: date(r, "valid_from")?,
                    valid_to: opt_date(r, "valid_to")?,
                    reason: opt_text(r, "reason")?,
                    decision: opt_text(r, "decision")?,
                })
            })
            .collect()
    }

    async fn memberships(&self, scope: &Scope, id: i64) -> StoreResult<Vec<Membership>> {
        self.member(scope, id).await?;
        let sql = self.db.sql(
            "SELECT ms.org_id, o.code, o.name, ms.kind, ms.valid_from, ms.valid_to, ms.note \
             FROM memberships ms JOIN orgs o ON o.id = ms.org_id WHERE ms.member_id = ? \
             ORDER BY ms.valid_from, ms.id",
        );
        sqlx::query(&sql)
            .bind(id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(membership_from_row)
            .collect()
    }

    async fn where_on(&self, scope: &Scope, id: i64, day: Date) -> StoreResult<Vec<Membership>> {
        Ok(self
            .memberships(scope, id)
            .await?
            .into_iter()
            .filter(|m| m.valid_from <= day && m.valid_to.is_none_or(|to| day < to))
            .collect())
    }

    async fn list_members(&self, scope: &Scope, query: &MemberQuery) -> StoreResult<MemberPage> {
        let range = match query.org_id {
            Some(org_id) => {
                let org = crate::orgs::OrgReader::org(self, scope, org_id).await?;
                Some(tree_path::subtree_range(&org.path))
            }
            None if scope.is_all() => None,
            None => Some(scope.range()),
        };
        let limit = if query.limit <= 0 {
            50
        } else {
            query.limit.min(500)
        };
        let typed = query
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let by_number =
            typed.filter(|raw| raw.chars().all(|c| c.is_ascii_digit()) && raw.len() >= 6);
        if let Some(raw) = typed
            && by_number.is_none()
        {
            // A name: the search order and its own indexes (see `member_search`).
            return self
                .search_members(&NameSearch {
                    term: text::fold(raw),
                    range,
                    status: query.status,
                    include_inactive: query.include_inactive,
                    after: query.after.clone(),
                    limit,
                })
                .await;
        }
        let mut sql = String::from(
            "SELECT m.id, m.full_name, m.birth_date, m.gender, m.status, m.org_id, o.name AS org_name, m.sort_key \
             FROM members m LEFT JOIN orgs o ON o.id = m.org_id WHERE ",
        );
        let mut binds: Vec<Bind> = Vec::new();
        match range {
            Some((lo, hi)) if self.is_large_subtree(&lo).await? => {
                // A large subtree (a province): the same range written so that no index
                // serves it, so that the planner walks the list order and filters, instead
                // of sorting hundreds of thousands of members to show one page.
                sql.push_str("COALESCE(m.org_path, '') >= ? AND COALESCE(m.org_path, '') < ?");
                binds.push(Bind::Text(lo));
                binds.push(Bind::Text(hi));
            }
            Some((lo, hi)) => {
                sql.push_str("m.org_path >= ? AND m.org_path < ?");
                binds.push(Bind::Text(lo));
                binds.push(Bind::Text(hi));
            }
            // The whole tree: a condition no index serves, so that the planner walks the
            // list order (members_sort) instead of reading every member through the path
            // index and sorting them all to show one page.
            None => sql.push_str("COALESCE(m.org_path, '') <> ''"),
        }
        if let Some(raw) = by_number {
            sql.push_str(" AND (m.citizen_id = ? OR m.party_card_no = ?)");
            binds.push(Bind::Text(raw.to_owned()));
            binds.push(Bind::Text(raw.to_owned()));
        }
        if let Some(status) = query.status {
            sql.push_str(" AND m.status = ?");
            binds.push(Bind::Text(status.as_str().to_owned()));
        } else if !query.include_inactive {
            let active: Vec<String> = MemberStatus::ALL
                .iter()
                .filter(|s| s.is_active())
                .map(|s| format!("'{}'", s.as_str()))
                .collect();
            sql.push_str(&format!(" AND m.status IN ({})", active.join(", ")));
        }
        if let Some((key, id)) = query.after.as_deref().and_then(parse_cursor) {
            // The leading `>=` gives the planner a range start on (sort_key, id), so a deep
            // page is one index seek rather than a walk over every earlier page.
            sql.push_str(" AND m.sort_key >= ? AND (m.sort_key > ? OR m.id > ?)");
            binds.push(Bind::Text(key.clone()));
            binds.push(Bind::Text(key));
            binds.push(Bind::Int(id));
        }
        sql.push_str(" ORDER BY m.sort_key, m.id LIMIT ?");
        binds.push(Bind::Int(limit + 1));
        let rows = self.fetch_rows(&sql, binds).await?;
        let mut out = Vec::with_capacity(rows.len());
        let mut next = None;
        for (i, r) in rows.iter().enumerate() {
            if i as i64 == limit {
                break;
            }
            out.push(MemberRow {
                id: int(r, "id")?,
                full_name: text(r, "full_name")?,
                birth_date: date(r, "birth_date")?,
                gender: parsed(r, "gender", Gender::parse)?,
                status: parsed(r, "status", MemberStatus::parse)?,
                org_id: opt_int(r, "org_id")?,
                org_name: opt_text(r, "org_name")?,
            });
            if i as i64 == limit - 1 && rows.len() as i64 > limit {
                next = Some(format!("{}|{}", text(r, "sort_key")?, int(r, "id")?));
            }
        }
        Ok(MemberPage { rows: out, next })
    }
}

#[derive(Clone)]
enum Bind {
    Text(String),
    Int(i64),
}

impl Store {
    async fn fetch_rows(&self, sql: &str, binds: Vec<Bind>) -> StoreResult<Vec<AnyRow>> {
        let sql = self.db.sql(sql).into_owned();
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = match b {
                Bind::Text(t) => q.bind(t),
                Bind::Int(i) => q.bind(i),
            };
        }
        Ok(q.fetch_all(self.db.read()).await?)
    }
}

fn parse_cursor(raw: &str) -> Option<(String, i64)> {
    let (key, id) = raw.rsplit_once('|')?;
    Some((key.to_owned(), id.parse().ok()?))
}

/// The unique identifiers of a member besides the id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemberKey {
    CitizenId,
    PartyCardNo,
}

impl Store {
    /// The member holding a citizen ID or party card number, whatever their status or
    /// place (an import checks its rows against these before writing).
    pub async fn member_id_by_key(&self, key: MemberKey, value: &str) -> StoreResult<Option<i64>> {
        let column = match key {
            MemberKey::CitizenId => "citizen_id",
            MemberKey::PartyCardNo => "party_card_no",
        };
        let sql = self
            .db
            .sql(&format!("SELECT id FROM members WHERE {column} = ?"))
            .into_owned();
        sqlx::query(&sql)
            .bind(value)
            .fetch_optional(self.db.read())
            .await?
            .map(|r| int(&r, "id"))
            .transpose()
    }
}

impl Store {
    /// Creates a member inside the caller's transaction, with every check and the audit
    /// record of [`MemberWriter::create_member`] (for imports that write a whole file at once).
    pub async fn create_member_in_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        scope: &Scope,
        new: &NewMember,
    ) -> StoreResult<Member> {
        let rec = format!("member {}", new.identity.full_name.trim());
        new.identity.validate(&rec, today())?;
        if !new.status.is_active() {
            return Err(DomainError::invalid(&rec, "status", "a new member must be active").into());
        }
        if new.status_since > today() || new.joined_on > today() {
            return Err(DomainError::invalid(&rec, "status_since", "is in the future").into());
        }
        let org = self.org_in_tx(tx, scope, new.org_id).await?;
        if !org.kind.holds_members() || !org.is_active() {
            return Err(DomainError::invalid(
                &rec,
                "org_id",
                format!("{} is not an active cell", org.code),
            )
            .into());
        }
        let member = Member {
            id: 0,
            identity: new.identity.clone(),
            status: new.status,
            status_since: new.status_since,
            org_id: Some(org.id),
            version: 1,
        };
        let id = self
            .insert_member_raw(tx, None, &member, Some(&org.path))
            .await?;
        // Status history: probation, then official, then the present status.
        let i = &new.identity;
        if let (Some(admitted), MemberStatus::Probationary) = (i.admitted_on, new.status) {
            self.open_status(
                tx,
                id,
                MemberStatus::Probationary,
                admitted.min(new.status_since),
                None,
                None,
            )
            .await?;
        } else {
            let mut from = None;
            if let (Some(admitted), Some(official)) = (i.admitted_on, i.official_on) {
                self.open_status(
                    tx,
                    id,
                    MemberStatus::Probationary,
                    admitted,
                    Some(official),
                    None,
                )
                .await?;
                from = Some(official);
            }
            if new.status != MemberStatus::Official {
                if let Some(official) = from.filter(|o| *o < new.status_since) {
                    self.open_status(
                        tx,
                        id,
                        MemberStatus::Official,
                        official,
                        Some(new.status_since),
                        None,
                    )
                    .await?;
                }
                self.open_status(tx, id, new.status, new.status_since, None, None)
                    .await?;
            } else {
                self.open_status(
                    tx,
                    id,
                    MemberStatus::Official,
                    from.unwrap_or(new.status_since),
                    None,
                    None,
                )
                .await?;
            }
        }
        self.open_membership(
            tx,
            id,
            org.id,
            MembershipKind::Official,
            new.joined_on,
            None,
        )
        .await?;
        rollup::bump_members(&self.db, tx, &org.path, new.status.as_str(), 1).await?;
        let (after, _) = self.member_in_tx(tx, scope, id).await?;
        self.audit_member(tx, actor, "member.create", None, &after, &org.path)
            .await?;
        Ok(after)
    }

    /// Changes a member's status inside the caller's transaction (see
    /// [`MemberWriter::change_status`]).
    #[allow(clippy::too_many_arguments)] // The trait's arguments plus the transaction.
    pub async fn change_status_in_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        status: MemberStatus,
        on: Date,
        reason: Option<&str>,
    ) -> StoreResult<Member> {
        let (before, path) = self.member_in_tx(tx, scope, id).await?;
        if !before.status.can_change_to(status) {
            return Err(DomainError::invalid(
                record(id),
                "status",
                format!(
                    "cannot change from {} to {}",
                    before.status.as_str(),
                    status.as_str()
                ),
            )
            .into());
        }
        if on < before.status_since || on > today() {
            return Err(DomainError::invalid(
                record(id),
                "effective_on",
                format!("must be between {} and today", before.status_since),
            )
            .into());
        }
        let sql = self.db.sql(
            "UPDATE member_statuses SET valid_to = ? WHERE member_id = ? AND valid_to IS NULL",
        );
        sqlx::query(&sql)
            .bind(on.to_string())
            .bind(id)
            .execute(&mut **tx)
            .await?;
        self.open_status(tx, id, status, on, None, reason).await?;
        if !status.is_active() {
            self.close_memberships(tx, id, None, on).await?;
        }
        let official_on =
            if status == MemberStatus::Official && before.identity.official_on.is_none() {
                Some(on.to_string())
            } else {
                before.identity.official_on.map(|d| d.to_string())
            };
        let sql = self.db.sql(
            "UPDATE members SET status = ?, status_since = ?, official_on = ?, version = version + 1, updated_at = ? WHERE id = ?",
        );
        sqlx::query(&sql)
            .bind(status.as_str())
            .bind(on.to_string())
            .bind(official_on)
            .bind(audit::now())
            .bind(id)
            .execute(&mut **tx)
            .await?;
        if let Some(p) = &path {
            rollup::bump_members(&self.db, tx, p, before.status.as_str(), -1).await?;
            rollup::bump_members(&self.db, tx, p, status.as_str(), 1).await?;
        }
        let (after, _) = self.member_in_tx(tx, scope, id).await?;
        self.audit_member(
            tx,
            actor,
            "member.status",
            Some(&before),
            &after,
            path.as_deref().unwrap_or("/"),
        )
        .await?;
        Ok(after)
    }

    /// Transfers a member inside the caller's transaction (see
    /// [`MemberWriter::transfer_member`]).
    pub async fn transfer_member_in_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        transfer: Transfer,
    ) -> StoreResult<Member> {
        let Transfer {
            to_org,
            kind,
            on,
            until,
        } = transfer;
        let (before, path) = self.member_in_tx(tx, scope, id).await?;
        if !before.status.is_active() {
            return Err(DomainError::invalid(
                record(id),
                "status",
                "only an active member can be transferred",
            )
            .into());
        }
        let to = self.org_in_tx(tx, scope, to_org).await?;
        if !to.kind.holds_members() || !to.is_active() {
            return Err(DomainError::invalid(
                record(id),
                "to_org",
                format!("{} is not an active cell", to.code),
            )
            .into());
        }
        if before.org_id == Some(to.id) {
            return Err(DomainError::invalid(
                record(id),
                "to_org",
                "the member is already in that cell",
            )
            .into());
        }
        if on > today() {
            return Err(
                DomainError::invalid(record(id), "effective_on", "is in the future").into(),
            );
        }
        match kind {
            MembershipKind::Official => {
                let from_id = before
                    .org_id
                    .ok_or_else(|| DomainError::Conflict(format!("member {id} has no cell")))?;
                let from = self.org_in_tx(tx, &Scope::all(), from_id).await?;
                self.move_member_in_tx(tx, id, &from, &to, on).await?;
                // A temporary stay ends when the member moves for good.
                self.close_memberships(tx, id, Some(MembershipKind::Temporary), on)
                    .await?;
            }
            MembershipKind::Temporary => {
                let Some(until) = until.filter(|u| *u > on) else {
                    return Err(DomainError::invalid(
                        record(id),
                        "until",
                        "a temporary transfer needs an end after its start",
                    )
                    .into());
                };
                self.refuse_overlapping_stay(tx, id, on, until).await?;
                self.open_membership(tx, id, to.id, MembershipKind::Temporary, on, Some(until))
                    .await?;
            }
        }
        let (after, _) = self.member_in_tx(tx, &Scope::all(), id).await?;
        self.audit_member(
            tx,
            actor,
            "member.transfer",
            Some(&before),
            &after,
            path.as_deref().unwrap_or("/"),
        )
        .await?;
        Ok(after)
    }
}

impl MemberWriter for Store {
    async fn create_member(
        &self,
        actor: &Actor,
        scope: &Scope,
        new: NewMember,
    ) -> StoreResult<Member> {
        let mut tx = self.db.begin().await?;
        let member = self
            .create_member_in_tx(&mut tx, actor, scope, &new)
            .await?;
        tx.commit().await?;
        Ok(member)
    }

    async fn update_identity(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        expected_version: i64,
        identity: MemberIdentity,
    ) -> StoreResult<Member> {
        identity.validate(&record(id), today())?;
        let mut tx = self.db.begin().await?;
        let (before, path) = self.member_in_tx(&mut tx, scope, id).await?;
        if before.version != expected_version {
            return Err(DomainError::Conflict(format!(
                "member {id} was changed by someone else (version {} is newer than {expected_version}); reload and try again",
                before.version
            ))
            .into());
        }
        let sql = self.db.sql(
            "UPDATE members SET full_name = ?, name_folded = ?, sort_key = ?, birth_date = ?, gender = ?, ethnicity = ?, \
             citizen_id = ?, party_card_no = ?, admitted_on = ?, official_on = ?, version = version + 1, updated_at = ? \
             WHERE id = ? AND version = ?",
        );
        sqlx::query(&sql)
            .bind(identity.full_name.trim())
            .bind(text::fold(&identity.full_name))
            .bind(text::sort_key(&identity.full_name))
            .bind(identity.birth_date.to_string())
            .bind(identity.gender.as_str())
            .bind(identity.ethnicity.trim())
            .bind(identity.citizen_id.as_deref())
            .bind(identity.party_card_no.as_deref())
            .bind(identity.admitted_on.map(|d| d.to_string()))
            .bind(identity.official_on.map(|d| d.to_string()))
            .bind(audit::now())
            .bind(id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await?;
        self.write_name_keys(&mut tx, id, &identity.full_name)
            .await?;
        let (after, _) = self.member_in_tx(&mut tx, scope, id).await?;
        self.audit_member(
            &mut tx,
            actor,
            "member.update",
            Some(&before),
            &after,
            path.as_deref().unwrap_or("/"),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn change_status(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        status: MemberStatus,
        on: Date,
        reason: Option<&str>,
    ) -> StoreResult<Member> {
        let mut tx = self.db.begin().await?;
        let member = self
            .change_status_in_tx(&mut tx, actor, scope, id, status, on, reason)
            .await?;
        tx.commit().await?;
        Ok(member)
    }

    async fn transfer_member(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        transfer: Transfer,
    ) -> StoreResult<Member> {
        let mut tx = self.db.begin().await?;
        let member = self
            .transfer_member_in_tx(&mut tx, actor, scope, id, transfer)
            .await?;
        tx.commit().await?;
        Ok(member)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_keys_are_word_suffixes() {
        assert_eq!(
            name_keys("Nguyễn Văn An"),
            vec!["nguyen van an", "van an", "an"]
        );
    }

    #[test]
    fn cursors_round_trip() {
        assert_eq!(parse_cursor("AB!C|42"), Some(("AB!C".into(), 42)));
        assert_eq!(parse_cursor("nope"), None);
    }
}
