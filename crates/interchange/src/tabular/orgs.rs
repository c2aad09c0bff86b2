//! Importing organizations from a table: code, name, kind, parent code, founding date.

use std::collections::HashMap;

use grassroots_domain::DomainError;
use grassroots_domain::org::{OrgKind, check_code, check_name};
use grassroots_storage::orgs::{NewOrg, OrgReader};
use grassroots_storage::{Actor, Scope, Store, StoreError};

use super::columns::{Column, Columns};
use super::{IMPORT_ACTOR, Table, TableSummary, values};
use crate::{InterchangeError, InterchangeResult, Progress};

const SPEC: &[Column] = &[
    Column {
        field: "code",
        names: &["Mã", "code", "Mã tổ chức", "Mã đơn vị"],
        required: true,
    },
    Column {
        field: "name",
        names: &["Tên", "name", "Tên tổ chức", "Tên đơn vị"],
        required: true,
    },
    Column {
        field: "kind",
        names: &["Loại", "kind", "Loại tổ chức", "Loại hình"],
        required: true,
    },
    Column {
        field: "parent_code",
        names: &["Mã cấp trên", "parent_code", "Cấp trên"],
        required: false,
    },
    Column {
        field: "founded_on",
        names: &["Ngày thành lập", "founded_on"],
        required: true,
    },
    Column {
        field: "decision",
        names: &["Quyết định", "decision", "Số quyết định"],
        required: false,
    },
];

/// A checked row, ready to write.
#[derive(Debug)]
struct Planned {
    line: usize,
    record: String,
    new: NewOrg,
    /// The parent when it is created by an earlier row of this file.
    parent_in_file: Option<String>,
}

/// Where a parent comes from.
enum Parent {
    None,
    Stored(i64),
    InFile(String),
}

/// Adds the organizations of `table` to the tree, parents before children, in one
/// transaction. A bad row stops the import before anything is written.
pub async fn import_orgs(
    store: &Store,
    table: &Table,
    progress: &dyn Progress,
) -> InterchangeResult<TableSummary> {
    let columns = Columns::map(&table.header, SPEC)?;
    let today = chrono::Local::now().date_naive();
    let rows: Vec<_> = table.rows.iter().filter(|r| !r.is_blank()).collect();
    progress.start("checking organizations", Some(rows.len() as u64));
    // Codes and kinds of the file, for parents that come from the file itself.
    let mut in_file: HashMap<String, (usize, OrgKind)> = HashMap::new();
    let mut checked = Vec::with_capacity(rows.len());
    for row in &rows {
        let line = row.line;
        let code = columns.get(row, "code").unwrap_or_default().to_owned();
        let record = format!("organization {}", if code.is_empty() { "?" } else { &code });
        let field = |f: &str, m: String| InterchangeError::field(line, &record, f, m);
        let at = |e: DomainError| InterchangeError::at_line(line, &record, StoreError::Domain(e));
        check_code(&record, &code).map_err(at)?;
        let name = columns.get(row, "name").unwrap_or_default().to_owned();
        check_name(&record, &name).map_err(at)?;
        let raw_kind = columns.get(row, "kind").unwrap_or_default();
        let kind = values::org_kind(raw_kind).ok_or_else(|| {
            field(
                "kind",
                format!("`{raw_kind}` is not a kind of organization"),
            )
        })?;
        let raw_date = columns.get(row, "founded_on").unwrap_or_default();
        let founded_on = values::date(raw_date).ok_or_else(|| {
            field(
                "founded_on",
                format!("`{raw_date}` is not a date (dd/mm/yyyy or yyyy-mm-dd)"),
            )
        })?;
        if founded_on > today {
            return Err(field(
                "founded_on",
                format!("{founded_on} is in the future"),
            ));
        }
        if let Some((first, _)) = in_file.insert(code.clone(), (line, kind)) {
            return Err(field(
                "code",
                format!("`{code}` is already on line {first}"),
            ));
        }
        match store.org_by_code(&Scope::all(), &code).await {
            Ok(_) => {
                return Err(field(
                    "code",
                    format!("`{code}` already exists in the database"),
                ));
            }
            Err(StoreError::Domain(DomainError::NotFound { .. })) => {}
            Err(e) => return Err(e.into()),
        }
        let parent_code = columns.get(row, "parent_code").map(str::to_owned);
        let decision = columns.get(row, "decision").map(str::to_owned);
        checked.push((
            line,
            record,
            code,
            name,
            kind,
            founded_on,
            parent_code,
            decision,
        ));
        progress.advance(1);
    }
    // Parents: stored, or another row of the file.
    let mut planned = Vec::with_capacity(checked.len());
    for (line, record, code, name, kind, founded_on, parent_code, decision) in checked {
        let field = |f: &str, m: String| InterchangeError::field(line, &record, f, m);
        let parent = match &parent_code {
            None => Parent::None,
            Some(pc) if in_file.contains_key(pc) => Parent::InFile(pc.clone()),
            Some(pc) => match store.org_by_code(&Scope::all(), pc).await {
                Ok(p) if p.is_active() => {
                    kind.check_parent(Some(p.kind), &record)
                        .map_err(|e| InterchangeError::at_line(line, &record, e.into()))?;
                    Parent::Stored(p.id)
                }
                Ok(p) => {
                    return Err(field(
                        "parent_code",
                        format!(
                            "`{pc}` was dissolved on {}",
                            p.dissolved_on.map(|d| d.to_string()).unwrap_or_default()
                        ),
                    ));
                }
                Err(StoreError::Domain(DomainError::NotFound { .. })) => {
                    return Err(field(
                        "parent_code",
                        format!(
                            "no organization has the code `{pc}`, in the database or in this file"
                        ),
                    ));
                }
                Err(e) => return Err(e.into()),
            },
        };
        let (parent_id, parent_in_file) = match parent {
            Parent::None => {
                kind.check_parent(None, &record)
                    .map_err(|e| InterchangeError::at_line(line, &record, e.into()))?;
                (None, None)
            }
            Parent::Stored(id) => (Some(id), None),
            Parent::InFile(pc) => {
                if let Some((_, parent_kind)) = in_file.get(&pc) {
                    kind.check_parent(Some(*parent_kind), &record)
                        .map_err(|e| InterchangeError::at_line(line, &record, e.into()))?;
                }
                (None, Some(pc))
            }
        };
        planned.push(Planned {
            line,
            record,
            new: NewOrg {
                code,
                name,
                kind,
                parent_id,
                founded_on,
                decision,
            },
            parent_in_file,
        });
    }
    let order = parents_first(&planned)?;
    progress.start("writing organizations", Some(order.len() as u64));
    let actor = Actor::new(IMPORT_ACTOR);
    let scope = Scope::all();
    let mut ids: HashMap<String, i64> = HashMap::new();
    let mut tx = store.db.begin().await?;
    for i in order {
        let p = &mut planned[i];
        if let Some(pc) = &p.parent_in_file {
            p.new.parent_id = ids.get(pc).copied();
        }
        let org = store
            .insert_org(&mut tx, &actor, &scope, &p.new, None)
            .await
            .map_err(|e| InterchangeError::at_line(p.line, &p.record, e))?;
        ids.insert(org.code.clone(), org.id);
        progress.advance(1);
    }
    tx.commit().await.map_err(StoreError::from)?;
    progress.finish();
    Ok(TableSummary {
        created: planned.len(),
    })
}

/// The rows in an order where every parent from the file comes before its children;
/// refuses a loop of parents.
fn parents_first(planned: &[Planned]) -> InterchangeResult<Vec<usize>> {
    let by_code: HashMap<&str, usize> = planned
        .iter()
        .enumerate()
        .map(|(i, p)| (p.new.code.as_str(), i))
        .collect();
    let mut placed = vec![false; planned.len()];
    let mut order = Vec::with_capacity(planned.len());
    for start in 0..planned.len() {
        // Walk up to the first placed or stored ancestor, then place the chain top down.
        let mut chain = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at {
            if placed[i] {
                break;
            }
            if chain.contains(&i) {
                let p = &planned[start];
                return Err(InterchangeError::field(
                    p.line,
                    &p.record,
                    "parent_code",
                    "the parents of this row form a loop",
                ));
            }
            chain.push(i);
            at = planned[i]
                .parent_in_file
                .as_deref()
                .and_then(|c| by_code.get(c).copied());
        }
        for i in chain.into_iter().rev() {
            placed[i] = true;
            order.push(i);
        }
    }
    Ok(order)
}
