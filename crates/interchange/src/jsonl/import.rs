//! Loading a full export into an empty database: parse and check every line first, then
//! write everything in one transaction with the original ids.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::BufRead;

use grassroots_domain::date::Date;
use grassroots_domain::member::MemberIdentity;
use grassroots_domain::org::{check_code, check_name};
use grassroots_domain::tree_path;
use grassroots_storage::restore::{
    self, AuditRow, MemberRow, MemberStatusRow, MembershipRow, OrgEventRow, OrgRow, OrgVersionRow,
};
use grassroots_storage::{Store, rollup};
use serde_json::{Map, Value};

use super::fields::Fields;
use super::records::{self, FORMAT, RECORD_TYPES, VERSION};
use super::table::Record;
use crate::{InterchangeError, InterchangeResult, Progress};

/// How many records of each type an import wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub records: BTreeMap<&'static str, u64>,
}

impl ImportSummary {
    pub fn total(&self) -> u64 {
        self.records.values().sum()
    }
}

/// Every record of a file, each with its line number.
#[derive(Debug, Default)]
struct Parsed {
    org_events: Vec<(usize, OrgEventRow)>,
    orgs: Vec<(usize, OrgRow)>,
    org_versions: Vec<(usize, OrgVersionRow)>,
    members: Vec<(usize, MemberRow)>,
    member_statuses: Vec<(usize, MemberStatusRow)>,
    memberships: Vec<(usize, MembershipRow)>,
    audit: Vec<(usize, AuditRow)>,
    /// The records of the declared tables, by record type.
    areas: HashMap<&'static str, Vec<Record>>,
}

/// Imports a full export into an empty database. Nothing is written unless every line is
/// valid; the audit log of the file is restored as it is (the restore adds no entry, so
/// that export, import and export again give the same bytes).
pub async fn import<R: BufRead>(
    store: &Store,
    input: R,
    progress: &dyn Progress,
) -> InterchangeResult<ImportSummary> {
    if !restore::is_empty(&store.db).await? {
        return Err(InterchangeError::NotEmpty);
    }
    progress.start("reading", None);
    let parsed = parse(input, progress)?;
    check(&parsed)?;
    write(store, parsed, progress).await
}

fn parse<R: BufRead>(input: R, progress: &dyn Progress) -> InterchangeResult<Parsed> {
    let mut out = Parsed::default();
    let mut seen_header = false;
    for (index, line) in input.lines().enumerate() {
        let n = index + 1;
        let line = line?;
        progress.advance(1);
        if line.trim().is_empty() {
            continue;
        }
        let map: Map<String, Value> = serde_json::from_str(&line)
            .map_err(|e| InterchangeError::line(n, "line", format!("not a JSON object: {e}")))?;
        let kind = match map.get("type") {
            Some(Value::String(k)) => k.clone(),
            _ => {
                return Err(InterchangeError::field(
                    n,
                    "line",
                    "type",
                    "is missing or not a string",
                ));
            }
        };
        let f = Fields::new(n, &kind, &map);
        if !seen_header {
            if kind != "header" {
                return Err(InterchangeError::line(
                    n,
                    &kind,
                    "the first line must be the header {\"type\":\"header\",\"format\":\"grassroots-jsonl\",...}",
                ));
            }
            let format = f.str("format")?;
            if format != FORMAT {
                return Err(f.error("format", format!("`{format}` is not `{FORMAT}`")));
            }
            let version = f.i64("version")?;
            if version != VERSION {
                return Err(f.error(
                    "version",
                    format!("this build reads version {VERSION}, the file is version {version}"),
                ));
            }
            seen_header = true;
            continue;
        }
        match kind.as_str() {
            "org_event" => out.org_events.push((n, records::org_event(&f)?)),
            "org" => out.orgs.push((n, records::org(&f)?)),
            "org_version" => out.org_versions.push((n, records::org_version(&f)?)),
            "member" => out.members.push((n, records::member(&f)?)),
            "member_status" => out.member_statuses.push((n, records::member_status(&f)?)),
            "membership" => out.memberships.push((n, records::membership(&f)?)),
            "audit" => out.audit.push((n, records::audit(&f)?)),
            "header" => return Err(InterchangeError::line(n, "header", "a second header")),
            other => {
                if let Some(table) = super::area_tables().find(|t| t.kind == other) {
                    let record = table.parse(&f)?;
                    out.areas.entry(table.kind).or_default().push((n, record));
                    continue;
                }
                return Err(f.error(
                    "type",
                    format!(
                        "unknown record type `{other}`; version {VERSION} has {}",
                        RECORD_TYPES.join(", ")
                    ),
                ));
            }
        }
    }
    if !seen_header {
        return Err(InterchangeError::File(
            "the file is empty: a grassroots-jsonl file starts with its header line".into(),
        ));
    }
    Ok(out)
}

/// Ids must be unique within a type.
fn unique_ids<T>(
    kind: &str,
    rows: &[(usize, T)],
    id: impl Fn(&T) -> i64,
) -> InterchangeResult<HashSet<i64>> {
    let mut ids = HashSet::with_capacity(rows.len());
    for (line, r) in rows {
        if !ids.insert(id(r)) {
            return Err(InterchangeError::field(
                *line,
                format!("{kind} {}", id(r)),
                "id",
                "appears twice",
            ));
        }
    }
    Ok(ids)
}

fn refers(
    line: usize,
    record: &str,
    field: &str,
    target: Option<i64>,
    ids: &HashSet<i64>,
    what: &str,
) -> InterchangeResult<()> {
    match target {
        Some(t) if !ids.contains(&t) => Err(InterchangeError::field(
            line,
            record,
            field,
            format!("{what} {t} is not in the file"),
        )),
        _ => Ok(()),
    }
}

/// The date part of an RFC 3339 timestamp.
fn day_of(timestamp: &str) -> Option<Date> {
    timestamp
        .get(..10)
        .and_then(|d| Date::parse_from_str(d, "%Y-%m-%d").ok())
}

/// Checks every reference between records and the rules each record had to meet when it
/// was written, before anything is written.
fn check(p: &Parsed) -> InterchangeResult<()> {
    let events = unique_ids("org_event", &p.org_events, |r| r.id)?;
    let orgs = unique_ids("org", &p.orgs, |r| r.id)?;
    unique_ids("org_version", &p.org_versions, |r| r.id)?;
    let members = unique_ids("member", &p.members, |r| r.id)?;
    unique_ids("member_status", &p.member_statuses, |r| r.id)?;
    unique_ids("membership", &p.memberships, |r| r.id)?;
    unique_ids("audit", &p.audit, |r| r.id)?;

    let by_id: HashMap<i64, &OrgRow> = p.orgs.iter().map(|(_, o)| (o.id, o)).collect();
    let mut codes = HashSet::new();
    for (line, o) in &p.orgs {
        let rec = format!("org {}", o.id);
        let at =
            |e| InterchangeError::at_line(*line, &rec, grassroots_storage::StoreError::Domain(e));
        check_code(&rec, &o.code).map_err(at)?;
        check_name(&rec, &o.name).map_err(at)?;
        if !codes.insert(o.code.as_str()) {
            return Err(InterchangeError::field(
                *line,
                &rec,
                "code",
                format!("`{}` appears twice", o.code),
            ));
        }
        refers(*line, &rec, "parent_id", o.parent_id, &orgs, "org")?;
        refers(*line, &rec, "successor_id", o.successor_id, &orgs, "org")?;
        let parent = o.parent_id.and_then(|id| by_id.get(&id));
        let expected = tree_path::child_path(parent.map(|p| p.path.as_str()), o.id);
        if o.path != expected {
            return Err(InterchangeError::field(
                *line,
                &rec,
                "path",
                format!(
                    "`{}` does not match its parent; expected `{expected}`",
                    o.path
                ),
            ));
        }
        o.kind
            .check_parent(parent.map(|p| p.kind), &rec)
            .map_err(at)?;
    }
    for (line, v) in &p.org_versions {
        let rec = format!("org_version {}", v.id);
        refers(*line, &rec, "org_id", Some(v.org_id), &orgs, "org")?;
        refers(*line, &rec, "parent_id", v.parent_id, &orgs, "org")?;
        refers(
            *line,
            &rec,
            "event_id",
            Some(v.event_id),
            &events,
            "org_event",
        )?;
        if v.valid_to.is_some_and(|to| to <= v.valid_from) {
            return Err(InterchangeError::field(
                *line,
                &rec,
                "valid_to",
                "must come after valid_from",
            ));
        }
    }
    let mut citizen_ids = HashSet::new();
    let mut cards = HashSet::new();
    for (line, m) in &p.members {
        let rec = format!("member {}", m.id);
        refers(*line, &rec, "org_id", m.org_id, &orgs, "org")?;
        let identity = MemberIdentity {
            full_name: m.full_name.clone(),
            birth_date: m.birth_date,
            gender: m.gender,
            ethnicity: m.ethnicity.clone(),
            citizen_id: m.citizen_id.clone(),
            party_card_no: m.party_card_no.clone(),
            admitted_on: m.admitted_on,
            official_on: m.official_on,
        };
        // The identity was valid on the day it was last written; ages move on since.
        let written = day_of(&m.updated_at).ok_or_else(|| {
            InterchangeError::field(*line, &rec, "updated_at", "is not an RFC 3339 timestamp")
        })?;
        identity
            .validate(&rec, written)
            .map_err(|e| InterchangeError::at_line(*line, &rec, e.into()))?;
        if let Some(c) = &m.citizen_id
            && !citizen_ids.insert(c.as_str())
        {
            return Err(InterchangeError::field(
                *line,
                &rec,
                "citizen_id",
                "appears twice",
            ));
        }
        if let Some(c) = &m.party_card_no
            && !cards.insert(c.as_str())
        {
            return Err(InterchangeError::field(
                *line,
                &rec,
                "party_card_no",
                "appears twice",
            ));
        }
        if m.org_id
            .is_some_and(|id| by_id.get(&id).is_some_and(|o| !o.kind.holds_members()))
        {
            return Err(InterchangeError::field(
                *line,
                &rec,
                "org_id",
                "is not a cell",
            ));
        }
    }
    for (line, s) in &p.member_statuses {
        let rec = format!("member_status {}", s.id);
        refers(
            *line,
            &rec,
            "member_id",
            Some(s.member_id),
            &members,
            "member",
        )?;
    }
    for (line, s) in &p.memberships {
        let rec = format!("membership {}", s.id);
        refers(
            *line,
            &rec,
            "member_id",
            Some(s.member_id),
            &members,
            "member",
        )?;
        refers(*line, &rec, "org_id", Some(s.org_id), &orgs, "org")?;
    }
    let mut ids: HashMap<&'static str, HashSet<i64>> = HashMap::new();
    ids.insert("org", orgs);
    ids.insert("member", members);
    ids.insert("org_event", events);
    for table in super::area_tables() {
        let records = p.areas.get(table.kind).map(Vec::as_slice).unwrap_or(&[]);
        ids.insert(table.kind, table.ids(records));
    }
    for table in super::area_tables() {
        let records = p.areas.get(table.kind).map(Vec::as_slice).unwrap_or(&[]);
        table.check(records, &ids)?;
    }
    for (line, a) in &p.audit {
        if a.before.is_none() && a.after.is_none() {
            return Err(InterchangeError::field(
                *line,
                format!("audit {}", a.id),
                "after",
                "an entry needs a before or an after",
            ));
        }
    }
    Ok(())
}

fn rows<T: Clone>(v: &[(usize, T)]) -> Vec<T> {
    v.iter().map(|(_, r)| r.clone()).collect()
}

async fn write(
    store: &Store,
    p: Parsed,
    progress: &dyn Progress,
) -> InterchangeResult<ImportSummary> {
    let db = &store.db;
    let mut summary = ImportSummary::default();
    let total = (p.org_events.len()
        + p.orgs.len()
        + p.org_versions.len()
        + p.members.len()
        + p.member_statuses.len()
        + p.memberships.len()
        + p.audit.len()
        + p.areas.values().map(Vec::len).sum::<usize>()) as u64;
    progress.start("writing", Some(total));
    let mut tx = db.begin().await?;
    // Another writer may have filled the database since the first check.
    if restore::count_rows(db, &mut tx, "orgs").await? > 0
        || restore::count_rows(db, &mut tx, "members").await? > 0
    {
        return Err(InterchangeError::NotEmpty);
    }
    let mut done = |kind: &'static str, n: usize| {
        summary.records.insert(kind, n as u64);
        progress.advance(n as u64);
    };
    restore::insert_org_events(db, &mut tx, &rows(&p.org_events)).await?;
    done("org_event", p.org_events.len());
    let mut orgs = rows(&p.orgs);
    orgs.sort_by_key(|o| (tree_path::depth(&o.path), o.id));
    restore::insert_orgs(db, &mut tx, &orgs).await?;
    done("org", orgs.len());
    restore::insert_org_versions(db, &mut tx, &rows(&p.org_versions)).await?;
    done("org_version", p.org_versions.len());
    restore::insert_members(db, &mut tx, &rows(&p.members)).await?;
    done("member", p.members.len());
    restore::insert_member_statuses(db, &mut tx, &rows(&p.member_statuses)).await?;
    done("member_status", p.member_statuses.len());
    restore::insert_memberships(db, &mut tx, &rows(&p.memberships)).await?;
    done("membership", p.memberships.len());
    let mut areas = p.areas;
    for table in super::area_tables() {
        let records = areas.remove(table.kind).unwrap_or_default();
        let n = records.len();
        table.insert(db, &mut tx, records).await?;
        if n > 0 {
            done(table.kind, n);
        }
    }
    restore::insert_audit(db, &mut tx, &rows(&p.audit)).await?;
    done("audit", p.audit.len());
    db.reset_id_sequences(&mut tx, &restore::sequenced_tables())
        .await?;
    rollup::rebuild_in_tx(db, &mut tx).await?;
    tx.commit()
        .await
        .map_err(grassroots_storage::StoreError::from)?;
    progress.finish();
    Ok(summary)
}
