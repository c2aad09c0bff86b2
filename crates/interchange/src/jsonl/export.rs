//! Writing the whole database as JSON Lines.

use std::collections::BTreeMap;
use std::io::Write;

use grassroots_storage::{Store, restore};
use serde::Serialize;

use super::records::{Header, Line};
use crate::{InterchangeResult, Progress};

/// Rows read per query: memory stays flat however large the database.
pub(super) const PAGE: i64 = 2_000;

/// How many records of each type an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub records: BTreeMap<&'static str, u64>,
}

impl ExportSummary {
    pub fn total(&self) -> u64 {
        self.records.values().sum()
    }
}

pub(super) struct Writer<'w, W: Write> {
    out: &'w mut W,
    summary: ExportSummary,
    progress: &'w dyn Progress,
}

impl<W: Write> Writer<'_, W> {
    pub(super) fn write<T: Serialize>(
        &mut self,
        kind: &'static str,
        record: &T,
    ) -> InterchangeResult<()> {
        serde_json::to_writer(&mut *self.out, &Line { kind, record })
            .map_err(std::io::Error::from)?;
        self.out.write_all(b"\n")?;
        *self.summary.records.entry(kind).or_default() += 1;
        self.progress.advance(1);
        Ok(())
    }
}

/// Writes every record of the database: a header, then each type in dependency order and,
/// within a type, by id (organizations by depth, then id, so parents come first). Everything
/// is read from one snapshot, so a concurrent write cannot tear the export.
pub async fn export<W: Write>(
    store: &Store,
    out: &mut W,
    progress: &dyn Progress,
) -> InterchangeResult<ExportSummary> {
    let db = &store.db;
    let mut tx = db.begin_snapshot().await?;
    let mut total = 0u64;
    for table in restore::TABLES {
        total += restore::count_rows(db, &mut tx, table).await?;
    }
    progress.start("exporting", Some(total));
    let mut w = Writer {
        out,
        summary: ExportSummary::default(),
        progress,
    };
    serde_json::to_writer(
        &mut *w.out,
        &Line {
            kind: "header",
            record: &Header::current(),
        },
    )
    .map_err(std::io::Error::from)?;
    w.out.write_all(b"\n")?;

    let mut after = 0;
    loop {
        let rows = restore::org_events_page(db, &mut tx, after, PAGE).await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for r in &rows {
            w.write("org_event", r)?;
        }
    }
    let mut after_org = (-1, 0);
    loop {
        let rows = restore::orgs_page(db, &mut tx, after_org, PAGE).await?;
        let Some((depth, last)) = rows.last() else {
            break;
        };
        after_org = (*depth, last.id);
        for (_, r) in &rows {
            w.write("org", r)?;
        }
    }
    let mut after = 0;
    loop {
        let rows = restore::org_versions_page(db, &mut tx, after, PAGE).await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for r in &rows {
            w.write("org_version", r)?;
        }
    }
    let mut after = 0;
    loop {
        let rows = restore::members_page(db, &mut tx, after, PAGE).await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for r in &rows {
            w.write("member", r)?;
        }
    }
    let mut after = 0;
    loop {
        let rows = restore::member_statuses_page(db, &mut tx, after, PAGE).await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for r in &rows {
            w.write("member_status", r)?;
        }
    }
    let mut after = 0;
    loop {
        let rows = restore::memberships_page(db, &mut tx, after, PAGE).await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for r in &rows {
            w.write("membership", r)?;
        }
    }
    for table in super::area_tables() {
        table.export(db, &mut tx, &mut w).await?;
    }
    let mut after = 0;
    loop {
        let rows = restore::audit_page(db, &mut tx, after, PAGE).await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for r in &rows {
            w.write("audit", r)?;
        }
    }
    // The snapshot only read; dropping it ends it.
    drop(tx);
    w.out.flush()?;
    progress.finish();
    Ok(w.summary)
}
