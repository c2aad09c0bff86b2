//! Whole-database dump and restore: every stored row of every table, with its id, for the
//! interchange format. Derived columns (folded names, sort keys, depths, member paths, name
//! search keys, rollups) are not dumped; a restore computes them again.
//!
//! A dump reads page by page inside one snapshot ([`Db::begin_snapshot`]); a restore writes
//! into an empty database inside the caller's one transaction, keeping every id.

use grassroots_domain::date::Date;
use grassroots_domain::member::{Gender, MemberStatus, MembershipKind};
use grassroots_domain::org::{OrgKind, TreeChange};
use grassroots_domain::{text, tree_path};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

use crate::members::name_keys;
use crate::row::{date, int, opt_date, opt_int, opt_text, parsed, text};
use crate::{Db, StoreError, StoreResult};

/// The transaction a dump reads in and a restore writes in.
pub type Tx = Transaction<'static, Any>;

/// Every table a restore writes, in dependency order (for emptiness checks and counts).
pub const TABLES: &[&str] = &[
    "org_events",
    "orgs",
    "org_versions",
    "members",
    "member_statuses",
    "memberships",
    "meetings",
    "meeting_attendance",
    "meeting_observers",
    "meeting_evaluations",
    "cell_committees",
    "documents",
    "document_counters",
    "document_expectations",
    "document_files",
    "document_tasks",
    "document_reviews",
    "dissemination_events",
    "dissemination_documents",
    "dissemination_attendees",
    "study_assignments",
    "courses",
    "course_sessions",
    "course_participants",
    "candidates",
    "candidate_steps",
    "new_member_courses",
    "recognitions",
    "transfer_letters",
    "member_outcomes",
    "party_cards",
    "dues_incomes",
    "dues_reliefs",
    "dues_payments",
    "org_handovers",
    "org_handover_members",
    "classifications",
    "users",
    "role_assignments",
    "audit_log",
];

/// The tables of [`TABLES`] without an `id` sequence (keyed by their composite primary key).
const UNSEQUENCED: &[&str] = &[
    "document_counters",
    "document_expectations",
    "dissemination_documents",
    "dissemination_attendees",
    "org_handover_members",
];

/// The tables of [`TABLES`] whose `id` comes from a sequence, which a restore must move past
/// the restored ids.
pub fn sequenced_tables() -> Vec<&'static str> {
    TABLES
        .iter()
        .copied()
        .filter(|t| !UNSEQUENCED.contains(t))
        .collect()
}

/// A change to the tree (`org_events`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgEventRow {
    pub id: i64,
    pub change: TreeChange,
    pub effective_on: Date,
    pub decision: Option<String>,
    pub note: Option<String>,
    pub details: serde_json::Value,
    pub actor: String,
    pub recorded_at: String,
}

/// The current row of an organization, dissolved ones included (`orgs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: OrgKind,
    pub parent_id: Option<i64>,
    pub path: String,
    pub founded_on: Date,
    pub dissolved_on: Option<Date>,
    pub successor_id: Option<i64>,
    pub updated_at: String,
}

/// One state of an organization over `[valid_from, valid_to)` (`org_versions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgVersionRow {
    pub id: i64,
    pub org_id: i64,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub code: String,
    pub name: String,
    pub kind: OrgKind,
    pub parent_id: Option<i64>,
    pub path: String,
    pub event_id: i64,
}

/// A member's current row (`members`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberRow {
    pub id: i64,
    pub full_name: String,
    pub birth_date: Date,
    pub gender: Gender,
    pub ethnicity: String,
    pub citizen_id: Option<String>,
    pub party_card_no: Option<String>,
    pub admitted_on: Option<Date>,
    pub official_on: Option<Date>,
    pub status: MemberStatus,
    pub status_since: Date,
    pub org_id: Option<i64>,
    pub version: i64,
    pub updated_at: String,
}

/// One span of a member's status history (`member_statuses`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberStatusRow {
    pub id: i64,
    pub member_id: i64,
    pub status: MemberStatus,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub reason: Option<String>,
    pub decision: Option<String>,
}

/// One span of membership in a cell (`memberships`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MembershipRow {
    pub id: i64,
    pub member_id: i64,
    pub org_id: i64,
    pub kind: MembershipKind,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub note: Option<String>,
}

/// One audit log entry (`audit_log`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub org_path: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

fn json(col: &str, raw: &str) -> StoreResult<serde_json::Value> {
    serde_json::from_str(raw)
        .map_err(|e| StoreError::Corrupt(format!("column {col}: not JSON: {e}")))
}

fn opt_json(r: &AnyRow, col: &str) -> StoreResult<Option<serde_json::Value>> {
    opt_text(r, col)?.map(|s| json(col, &s)).transpose()
}

/// Whether the database holds no record at all (a restore refuses anything else).
pub async fn is_empty(db: &Db) -> StoreResult<bool> {
    for table in TABLES {
        let sql = format!("SELECT COUNT(*) AS n FROM {table}");
        let row = sqlx::query(&sql).fetch_one(db.read()).await?;
        if int(&row, "n")? > 0 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The number of rows of one of [`TABLES`] (for progress totals).
pub async fn count_rows(db: &Db, tx: &mut Tx, table: &str) -> StoreResult<u64> {
    if !TABLES.contains(&table) {
        return Err(StoreError::Corrupt(format!(
            "`{table}` is not a dumped table"
        )));
    }
    let sql = db
        .sql(&format!("SELECT COUNT(*) AS n FROM {table}"))
        .into_owned();
    let row = sqlx::query(&sql).fetch_one(&mut **tx).await?;
    Ok(u64::try_from(int(&row, "n")?).unwrap_or(0))
}

/// Reads one page of rows with `id > after`, ordered by id.
async fn page(
    db: &Db,
    tx: &mut Tx,
    select: &str,
    after: i64,
    limit: i64,
) -> StoreResult<Vec<AnyRow>> {
    let sql = db
        .sql(&format!("{select} WHERE id > ? ORDER BY id LIMIT ?"))
        .into_owned();
    Ok(sqlx::query(&sql)
        .bind(after)
        .bind(limit)
        .fetch_all(&mut **tx)
        .await?)
}

pub async fn org_events_page(
    db: &Db,
    tx: &mut Tx,
    after: i64,
    limit: i64,
) -> StoreResult<Vec<OrgEventRow>> {
    let select = "SELECT id, change, effective_on, decision, note, details, actor, recorded_at FROM org_events";
    page(db, tx, select, after, limit)
        .await?
        .iter()
        .map(|r| {
            Ok(OrgEventRow {
                id: int(r, "id")?,
                change: parsed(r, "change", TreeChange::parse)?,
                effective_on: date(r, "effective_on")?,
                decision: opt_text(r, "decision")?,
                note: opt_text(r, "note")?,
                details: json("details", &text(r, "details")?)?,
                actor: text(r, "actor")?,
                recorded_at: text(r, "recorded_at")?,
            })
        })
        .collect()
}

/// Organizations ordered by depth, then id, so that a parent always comes before its
/// children. `after` is the `(depth, id)` of the last row of the previous page.
pub async fn orgs_page(
    db: &Db,
    tx: &mut Tx,
    after: (i64, i64),
    limit: i64,
) -> StoreResult<Vec<(i64, OrgRow)>> {
    let sql = db.sql(
        "SELECT id, code, name, kind, parent_id, path, depth, founded_on, dissolved_on, successor_id, updated_at \
         FROM orgs WHERE depth > ? OR (depth = ? AND id > ?) ORDER BY depth, id LIMIT ?",
    );
    sqlx::query(&sql)
        .bind(after.0)
        .bind(after.0)
        .bind(after.1)
        .bind(limit)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| {
            Ok((
                int(r, "depth")?,
                OrgRow {
                    id: int(r, "id")?,
                    code: text(r, "code")?,
                    name: text(r, "name")?,
                    kind: parsed(r, "kind", OrgKind::parse)?,
                    parent_id: opt_int(r, "parent_id")?,
                    path: text(r, "path")?,
                    founded_on: date(r, "founded_on")?,
                    dissolved_on: opt_date(r, "dissolved_on")?,
                    successor_id: opt_int(r, "successor_id")?,
                    updated_at: text(r, "updated_at")?,
                },
            ))
        })
        .collect()
}

pub async fn org_versions_page(
    db: &Db,
    tx: &mut Tx,
    after: i64,
    limit: i64,
) -> StoreResult<Vec<OrgVersionRow>> {
    let select = "SELECT id, org_id, valid_from, valid_to, code, name, kind, parent_id, path, event_id FROM org_versions";
    page(db, tx, select, after, limit)
        .await?
        .iter()
        .map(|r| {
            Ok(OrgVersionRow {
                id: int(r, "id")?,
                org_id: int(r, "org_id")?,
                valid_from: date(r, "valid_from")?,
                valid_to: opt_date(r, "valid_to")?,
                code: text(r, "code")?,
                name: text(r, "name")?,
                kind: parsed(r, "kind", OrgKind::parse)?,
                parent_id: opt_int(r, "parent_id")?,
                path: text(r, "path")?,
                event_id: int(r, "event_id")?,
            })
        })
        .collect()
}

pub async fn members_page(
    db: &Db,
    tx: &mut Tx,
    after: i64,
    limit: i64,
) -> StoreResult<Vec<MemberRow>> {
    let select = "SELECT id, full_name, birth_date, gender, ethnicity, citizen_id, party_card_no, admitted_on, \
                  official_on, status, status_since, org_id, version, updated_at FROM members";
    page(db, tx, select, after, limit)
        .await?
        .iter()
        .map(|r| {
            Ok(MemberRow {
                id: int(r, "id")?,
                full_name: text(r, "full_name")?,
                birth_date: date(r, "birth_date")?,
                gender: parsed(r, "gender", Gender::parse)?,
                ethnicity: text(r, "ethnicity")?,
                citizen_id: opt_text(r, "citizen_id")?,
                party_card_no: opt_text(r, "party_card_no")?,
                admitted_on: opt_date(r, "admitted_on")?,
                official_on: opt_date(r, "official_on")?,
                status: parsed(r, "status", MemberStatus::parse)?,
                status_since: date(r, "status_since")?,
                org_id: opt_int(r, "org_id")?,
                version: int(r, "version")?,
                updated_at: text(r, "updated_at")?,
            })
        })
        .collect()
}

pub async fn member_statuses_page(
    db: &Db,
    tx: &mut Tx,
    after: i64,
    limit: i64,
) -> StoreResult<Vec<MemberStatusRow>> {
    let select =
        "SELECT id, member_id, status, valid_from, valid_to, reason, decision FROM member_statuses";
    page(db, tx, select, after, limit)
        .await?
        .iter()
        .map(|r| {
            Ok(MemberStatusRow {
                id: int(r, "id")?,
                member_id: int(r, "member_id")?,
                status: parsed(r, "status", MemberStatus::parse)?,
                valid_from: date(r, "valid_from")?,
                valid_to: opt_date(r, "valid_to")?,
                reason: opt_text(r, "reason")?,
                decision: opt_text(r, "decision")?,
            })
        })
        .collect()
}

pub async fn memberships_page(
    db: &Db,
    tx: &mut Tx,
    after: i64,
    limit: i64,
) -> StoreResult<Vec<MembershipRow>> {
    let select = "SELECT id, member_id, org_id, kind, valid_from, valid_to, note FROM memberships";
    page(db, tx, select, after, limit)
        .await?
        .iter()
        .map(|r| {
            Ok(MembershipRow {
                id: int(r, "id")?,
                member_id: int(r, "member_id")?,
                org_id: int(r, "org_id")?,
                kind: parsed(r, "kind", MembershipKind::parse)?,
                valid_from: date(r, "valid_from")?,
                valid_to: opt_date(r, "valid_to")?,
                note: opt_text(r, "note")?,
            })
        })
        .collect()
}

pub async fn audit_page(
    db: &Db,
    tx: &mut Tx,
    after: i64,
    limit: i64,
) -> StoreResult<Vec<AuditRow>> {
    let select = "SELECT id, at, actor, action, entity, entity_id, org_path, before_json, after_json FROM audit_log";
    page(db, tx, select, after, limit)
        .await?
        .iter()
        .map(|r| {
            Ok(AuditRow {
                id: int(r, "id")?,
                at: text(r, "at")?,
                actor: text(r, "actor")?,
                action: text(r, "action")?,
                entity: text(r, "entity")?,
                entity_id: text(r, "entity_id")?,
                org_path: text(r, "org_path")?,
                before: opt_json(r, "before_json")?,
                after: opt_json(r, "after_json")?,
            })
        })
        .collect()
}

/// A value to bind in a multi-row insert.
enum Val {
    Int(Option<i64>),
    Text(Option<String>),
    Float(Option<f64>),
    Bytes(Option<Vec<u8>>),
}

fn t(s: &str) -> Val {
    Val::Text(Some(s.to_owned()))
}
fn ot(s: &Option<String>) -> Val {
    Val::Text(s.clone())
}
fn d(day: Date) -> Val {
    Val::Text(Some(day.to_string()))
}
fn od(day: Option<Date>) -> Val {
    Val::Text(day.map(|x| x.to_string()))
}
fn i(n: i64) -> Val {
    Val::Int(Some(n))
}
fn oi(n: Option<i64>) -> Val {
    Val::Int(n)
}
fn oj(v: &Option<serde_json::Value>) -> Val {
    Val::Text(v.as_ref().map(|v| v.to_string()))
}

/// Rows per INSERT statement: few round trips, and far below either backend's bind limit.
const CHUNK: usize = 200;

async fn insert_rows(
    db: &Db,
    tx: &mut Tx,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Val>>,
) -> StoreResult<()> {
    let one = format!("({})", vec!["?"; columns.len()].join(", "));
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Val>> = rows.by_ref().take(CHUNK).collect();
        let sql = db
            .sql(&format!(
                "INSERT INTO {table} ({}) VALUES {}",
                columns.join(", "),
                vec![one.as_str(); chunk.len()].join(", ")
            ))
            .into_owned();
        let mut q = sqlx::query(&sql);
        for v in chunk.into_iter().flatten() {
            q = match v {
                Val::Int(n) => q.bind(n),
                Val::Text(s) => q.bind(s),
                Val::Float(x) => q.bind(x),
                Val::Bytes(b) => q.bind(b),
            };
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

pub async fn insert_org_events(db: &Db, tx: &mut Tx, rows: &[OrgEventRow]) -> StoreResult<()> {
    let cols = [
        "id",
        "change",
        "effective_on",
        "decision",
        "note",
        "details",
        "actor",
        "recorded_at",
    ];
    let vals = rows
        .iter()
        .map(|r| {
            vec![
                i(r.id),
                t(r.change.as_str()),
                d(r.effective_on),
                ot(&r.decision),
                ot(&r.note),
                t(&r.details.to_string()),
                t(&r.actor),
                t(&r.recorded_at),
            ]
        })
        .collect();
    insert_rows(db, tx, "org_events", &cols, vals).await
}

/// Inserts organizations given parents first; successors are set afterwards, since a
/// successor may come later in that order.
pub async fn insert_orgs(db: &Db, tx: &mut Tx, rows: &[OrgRow]) -> StoreResult<()> {
    let cols = [
        "id",
        "code",
        "name",
        "name_folded",
        "kind",
        "parent_id",
        "path",
        "depth",
        "founded_on",
        "dissolved_on",
        "updated_at",
    ];
    let vals = rows
        .iter()
        .map(|r| {
            vec![
                i(r.id),
                t(&r.code),
                t(&r.name),
                t(&format!(
                    "{} {}",
                    text::fold(&r.name),
                    r.code.to_lowercase()
                )),
                t(r.kind.as_str()),
                oi(r.parent_id),
                t(&r.path),
                i(tree_path::depth(&r.path)),
                d(r.founded_on),
                od(r.dissolved_on),
                t(&r.updated_at),
            ]
        })
        .collect();
    insert_rows(db, tx, "orgs", &cols, vals).await?;
    let sql = db.sql("UPDATE orgs SET successor_id = ? WHERE id = ?");
    for r in rows {
        if let Some(successor) = r.successor_id {
            sqlx::query(&sql)
                .bind(successor)
                .bind(r.id)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

pub async fn insert_org_versions(db: &Db, tx: &mut Tx, rows: &[OrgVersionRow]) -> StoreResult<()> {
    let cols = [
        "id",
        "org_id",
        "valid_from",
        "valid_to",
        "code",
        "name",
        "kind",
        "parent_id",
        "path",
        "event_id",
    ];
    let vals = rows
        .iter()
        .map(|r| {
            vec![
                i(r.id),
                i(r.org_id),
                d(r.valid_from),
                od(r.valid_to),
                t(&r.code),
                t(&r.name),
                t(r.kind.as_str()),
                oi(r.parent_id),
                t(&r.path),
                i(r.event_id),
            ]
        })
        .collect();
    insert_rows(db, tx, "org_versions", &cols, vals).await
}

/// Inserts members with their search keys; each member's path is its cell's path.
pub async fn insert_members(db: &Db, tx: &mut Tx, rows: &[MemberRow]) -> StoreResult<()> {
    let cols = [
        "id",
        "full_name",
        "name_folded",
        "sort_key",
        "birth_date",
        "gender",
        "ethnicity",
        "citizen_id",
        "party_card_no",
        "admitted_on",
        "official_on",
        "status",
        "status_since",
        "org_id",
        "version",
        "updated_at",
    ];
    let vals = rows
        .iter()
        .map(|r| {
            vec![
                i(r.id),
                t(&r.full_name),
                t(&text::fold(&r.full_name)),
                t(&text::sort_key(&r.full_name)),
                d(r.birth_date),
                t(r.gender.as_str()),
                t(&r.ethnicity),
                ot(&r.citizen_id),
                ot(&r.party_card_no),
                od(r.admitted_on),
                od(r.official_on),
                t(r.status.as_str()),
                d(r.status_since),
                oi(r.org_id),
                i(r.version),
                t(&r.updated_at),
            ]
        })
        .collect();
    insert_rows(db, tx, "members", &cols, vals).await?;
    let keys = rows
        .iter()
        .flat_map(|r| {
            let sort_key = text::sort_key(&r.full_name);
            name_keys(&r.full_name).into_iter().map(move |k| {
                vec![
                    Val::Text(Some(k)),
                    i(r.id),
                    t(&sort_key),
                    t(r.status.as_str()),
                ]
            })
        })
        .collect();
    // The keys' copies of the path follow the members' path set below (trigger of 0008).
    insert_rows(
        db,
        tx,
        "member_name_keys",
        &["key", "member_id", "sort_key", "status"],
        keys,
    )
    .await?;
    sqlx::query(
        "UPDATE members SET org_path = (SELECT o.path FROM orgs o WHERE o.id = members.org_id) \
         WHERE org_id IS NOT NULL",
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn insert_member_statuses(
    db: &Db,
    tx: &mut Tx,
    rows: &[MemberStatusRow],
) -> StoreResult<()> {
    let cols = [
        "id",
        "member_id",
        "status",
        "valid_from",
        "valid_to",
        "reason",
        "decision",
    ];
    let vals = rows
        .iter()
        .map(|r| {
            vec![
                i(r.id),
                i(r.member_id),
                t(r.status.as_str()),
                d(r.valid_from),
                od(r.valid_to),
                ot(&r.reason),
                ot(&r.decision),
            ]
        })
        .collect();
    insert_rows(db, tx, "member_statuses", &cols, vals).await
}

pub async fn insert_memberships(db: &Db, tx: &mut Tx, rows: &[MembershipRow]) -> StoreResult<()> {
    let cols = [
        "id",
        "member_id",
        "org_id",
        "kind",
        "valid_from",
        "valid_to",
        "note",
    ];
    let vals = rows
        .iter()
        .map(|r| {
            vec![
                i(r.id),
                i(r.member_id),
                i(r.org_id),
                t(r.kind.as_str()),
                d(r.valid_from),
                od(r.valid_to),
                ot(&r.note),
            ]
        })
        .collect();
    insert_rows(db, tx, "memberships", &cols, vals).await
}

pub async fn insert_audit(db: &Db, tx: &mut Tx, rows: &[AuditRow]) -> StoreResult<()> {
    let cols = [
        "id",
        "at",
        "actor",
        "action",
        "entity",
        "entity_id",
        "org_path",
        "before_json",
        "after_json",
    ];
    let vals = rows
        .iter()
        .map(|r| {
            vec![
                i(r.id),
                t(&r.at),
                t(&r.actor),
                t(&r.action),
                t(&r.entity),
                t(&r.entity_id),
                t(&r.org_path),
                oj(&r.before),
                oj(&r.after),
            ]
        })
        .collect();
    insert_rows(db, tx, "audit_log", &cols, vals).await
}

/// The stored type of a column of a table that is dumped column by column
/// ([`table_page`], [`insert_table`]): the tables of meetings, documents and training,
/// whose rows have no derived columns to compute again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Int,
    Float,
    Text,
    Bytes,
}

/// One stored value of such a column; `None` is SQL NULL.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Int(Option<i64>),
    Float(Option<f64>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
}

fn dumped(table: &str) -> StoreResult<()> {
    if TABLES.contains(&table) {
        Ok(())
    } else {
        Err(StoreError::Corrupt(format!(
            "`{table}` is not a dumped table"
        )))
    }
}

fn cell(r: &AnyRow, col: &str, ty: ColumnType) -> StoreResult<Cell> {
    use sqlx::Row;
    Ok(match ty {
        ColumnType::Int => Cell::Int(opt_int(r, col)?),
        ColumnType::Float => Cell::Float(r.try_get::<Option<f64>, _>(col)?),
        ColumnType::Text => Cell::Text(opt_text(r, col)?),
        ColumnType::Bytes => Cell::Bytes(r.try_get::<Option<Vec<u8>>, _>(col)?),
    })
}

/// One page of a table, column by column, ordered by `key` (its primary key). A table with
/// an `id` is paged by `id > after`; one keyed by several columns by `OFFSET after`, which
/// is exact because the dump reads one snapshot.
pub async fn table_page(
    db: &Db,
    tx: &mut Tx,
    table: &str,
    columns: &[(&str, ColumnType)],
    key: &[&str],
    after: i64,
    limit: i64,
) -> StoreResult<Vec<Vec<Cell>>> {
    dumped(table)?;
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    let select = format!("SELECT {} FROM {table}", names.join(", "));
    let rows = if key == ["id"] {
        page(db, tx, &select, after, limit).await?
    } else {
        let sql = db
            .sql(&format!(
                "{select} ORDER BY {} LIMIT ? OFFSET ?",
                key.join(", ")
            ))
            .into_owned();
        sqlx::query(&sql)
            .bind(limit)
            .bind(after)
            .fetch_all(&mut **tx)
            .await?
    };
    rows.iter()
        .map(|r| {
            columns
                .iter()
                .map(|(name, ty)| cell(r, name, *ty))
                .collect()
        })
        .collect()
}

/// Inserts rows given column by column, in the order of `columns`, keeping their ids.
pub async fn insert_table(
    db: &Db,
    tx: &mut Tx,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Cell>>,
) -> StoreResult<()> {
    dumped(table)?;
    let vals = rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|c| match c {
                    Cell::Int(n) => Val::Int(n),
                    Cell::Float(x) => Val::Float(x),
                    Cell::Text(s) => Val::Text(s),
                    Cell::Bytes(b) => Val::Bytes(b),
                })
                .collect()
        })
        .collect();
    insert_rows(db, tx, table, columns, vals).await
}
