//! Record types written column by column from a declared table layout: the tables of
//! meetings, documents and training, the membership lifecycle and accounts. A record is
//! its row less the derived columns, which the import computes again; the layout says how each field is typed, which record type it refers to and which
//! values it may take, so that export, parsing and checks share one description.

use std::collections::{HashMap, HashSet};
use std::io::Write;

use grassroots_domain::date::Date;
use grassroots_storage::Db;
use grassroots_storage::restore::{self, Cell, ColumnType, Tx};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use super::base64;
use super::fields::Fields;
use crate::{InterchangeError, InterchangeResult};

/// The type of a field as the file writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Int,
    Float,
    Text,
    /// `YYYY-MM-DD`.
    Date,
    /// A JSON value, stored as its text.
    Json,
    /// Bytes, written as standard base64.
    Bytes,
}

impl Ty {
    fn stored(self) -> ColumnType {
        match self {
            Ty::Int => ColumnType::Int,
            Ty::Float => ColumnType::Float,
            Ty::Text | Ty::Date | Ty::Json => ColumnType::Text,
            Ty::Bytes => ColumnType::Bytes,
        }
    }
}

/// One field of a record type, which is one column of its table.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    /// The record type whose `id` this field holds.
    pub refers: Option<&'static str>,
    /// Whether a text value is one the program knows (an enumeration's `parse`).
    pub known: Option<fn(&str) -> bool>,
}

pub const fn col(name: &'static str, ty: Ty) -> Col {
    Col {
        name,
        ty,
        required: true,
        refers: None,
        known: None,
    }
}

pub const fn opt(name: &'static str, ty: Ty) -> Col {
    Col {
        required: false,
        ..col(name, ty)
    }
}

impl Col {
    pub const fn refers(self, kind: &'static str) -> Col {
        Col {
            refers: Some(kind),
            ..self
        }
    }

    pub const fn known(self, check: fn(&str) -> bool) -> Col {
        Col {
            known: Some(check),
            ..self
        }
    }
}

/// A column computed from a field on import rather than written in the file (a folded name,
/// a sort key): its computation may improve between versions, and an older file still loads.
#[derive(Debug, Clone, Copy)]
pub struct Derived {
    pub name: &'static str,
    /// The text field it is computed from.
    pub from: &'static str,
    pub compute: fn(&str) -> String,
}

/// A rule across the fields of one record: `Some((field, message))` when it is broken.
pub type Rule = fn(&[Cell]) -> Option<(&'static str, String)>;

/// A record type and its table.
#[derive(Debug)]
pub struct Table {
    /// The record `type` in the file.
    pub kind: &'static str,
    pub table: &'static str,
    /// The primary key: `["id"]`, or the columns of a composite key.
    pub key: &'static [&'static str],
    /// Further unique column sets (a set with a null is not compared, as in SQL).
    pub unique: &'static [&'static [&'static str]],
    pub cols: &'static [Col],
    /// Columns of the table that the file leaves out and the import computes.
    pub derived: &'static [Derived],
    /// A rule across fields that the table's constraints (or the writes) enforce.
    pub rule: Option<Rule>,
}

/// A parsed record: its line and its values in the order of [`Table::cols`].
pub type Record = (usize, Vec<Cell>);

impl Table {
    fn has_id(&self) -> bool {
        self.key == ["id"]
    }

    fn index(&self, name: &str) -> usize {
        self.cols.iter().position(|c| c.name == name).unwrap_or(0)
    }

    fn id_of(&self, cells: &[Cell]) -> Option<i64> {
        match cells.first() {
            Some(Cell::Int(id)) if self.has_id() => *id,
            _ => None,
        }
    }

    /// Names a record in errors: `meeting 12`, or the type alone when keyed otherwise.
    fn record(&self, cells: &[Cell]) -> String {
        match self.id_of(cells) {
            Some(id) => format!("{} {id}", self.kind),
            None => self.kind.to_owned(),
        }
    }

    /// Writes every row of the table, one line each, in key order.
    pub async fn export<W: Write>(
        &self,
        db: &Db,
        tx: &mut Tx,
        w: &mut super::export::Writer<'_, W>,
    ) -> InterchangeResult<()> {
        let columns: Vec<(&str, ColumnType)> =
            self.cols.iter().map(|c| (c.name, c.ty.stored())).collect();
        let mut after = 0;
        loop {
            let rows = restore::table_page(
                db,
                tx,
                self.table,
                &columns,
                self.key,
                after,
                super::export::PAGE,
            )
            .await?;
            if rows.is_empty() {
                break;
            }
            after = match rows.last().and_then(|r| self.id_of(r)) {
                Some(id) => id,
                None => after + rows.len() as i64,
            };
            for row in &rows {
                let line = Line {
                    table: self,
                    cells: row,
                };
                w.write(self.kind, &line)?;
            }
        }
        Ok(())
    }

    /// Reads one line of this type, checking each field's presence, type and value.
    pub fn parse(&self, f: &Fields) -> InterchangeResult<Vec<Cell>> {
        let names: Vec<&str> = self.cols.iter().map(|c| c.name).collect();
        f.only(&names)?;
        let mut cells = Vec::with_capacity(self.cols.len());
        for c in self.cols {
            let present = f.map.get(c.name).is_some_and(|v| !v.is_null());
            if !present {
                if c.required {
                    return Err(f.error(c.name, "is missing"));
                }
                cells.push(match c.ty.stored() {
                    ColumnType::Int => Cell::Int(None),
                    ColumnType::Float => Cell::Float(None),
                    ColumnType::Text => Cell::Text(None),
                    ColumnType::Bytes => Cell::Bytes(None),
                });
                continue;
            }
            let cell = match c.ty {
                Ty::Int if c.name == "id" => Cell::Int(Some(f.id()?)),
                Ty::Int => Cell::Int(Some(f.i64(c.name)?)),
                Ty::Float => Cell::Float(Some(f.f64(c.name)?)),
                Ty::Text => {
                    let s = f.str(c.name)?;
                    if let Some(known) = c.known
                        && !known(&s)
                    {
                        return Err(f.error(c.name, format!("unknown value `{s}`")));
                    }
                    Cell::Text(Some(s))
                }
                Ty::Date => Cell::Text(Some(f.date(c.name)?.to_string())),
                Ty::Json => Cell::Text(Some(f.json(c.name)?.to_string())),
                Ty::Bytes => {
                    let s = f.str(c.name)?;
                    let bytes = base64::decode(&s)
                        .ok_or_else(|| f.error(c.name, "is not standard base64"))?;
                    Cell::Bytes(Some(bytes))
                }
            };
            cells.push(cell);
        }
        if let Some(rule) = self.rule
            && let Some((field, message)) = rule(&cells)
        {
            return Err(f.error(field, message));
        }
        Ok(cells)
    }

    /// The ids of the records (for references to this type).
    pub fn ids(&self, records: &[Record]) -> HashSet<i64> {
        records.iter().filter_map(|(_, r)| self.id_of(r)).collect()
    }

    /// Checks unique keys and that every reference names a record of the file.
    pub fn check(
        &self,
        records: &[Record],
        ids: &HashMap<&'static str, HashSet<i64>>,
    ) -> InterchangeResult<()> {
        let mut sets: Vec<&[&str]> = vec![self.key];
        sets.extend(self.unique.iter().copied());
        for set in sets {
            let at: Vec<usize> = set.iter().map(|n| self.index(n)).collect();
            let mut seen = HashSet::with_capacity(records.len());
            for (line, r) in records {
                let values: Vec<&Cell> = at.iter().map(|&i| &r[i]).collect();
                if values.iter().any(|c| is_null(c)) {
                    continue;
                }
                if !seen.insert(format!("{values:?}")) {
                    return Err(InterchangeError::field(
                        *line,
                        self.record(r),
                        set.join(", "),
                        "appears twice",
                    ));
                }
            }
        }
        for (i, c) in self.cols.iter().enumerate() {
            let Some(kind) = c.refers else { continue };
            let known = ids.get(kind);
            for (line, r) in records {
                if let Cell::Int(Some(target)) = r[i]
                    && !known.is_some_and(|k| k.contains(&target))
                {
                    return Err(InterchangeError::field(
                        *line,
                        self.record(r),
                        c.name,
                        format!("{kind} {target} is not in the file"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Inserts the records, with a table keyed by id in id order (a row refers only to
    /// lower ids of its own table: it was written after them).
    pub async fn insert(
        &self,
        db: &Db,
        tx: &mut Tx,
        mut records: Vec<Record>,
    ) -> InterchangeResult<()> {
        if self.has_id() {
            records.sort_by_key(|(_, r)| self.id_of(r));
        }
        let mut names: Vec<&str> = self.cols.iter().map(|c| c.name).collect();
        names.extend(self.derived.iter().map(|d| d.name));
        let sources: Vec<usize> = self.derived.iter().map(|d| self.index(d.from)).collect();
        let rows = records
            .into_iter()
            .map(|(_, mut r)| {
                for (d, &at) in self.derived.iter().zip(&sources) {
                    let value = match &r[at] {
                        Cell::Text(Some(t)) => Some((d.compute)(t)),
                        _ => None,
                    };
                    r.push(Cell::Text(value));
                }
                r
            })
            .collect();
        restore::insert_table(db, tx, self.table, &names, rows).await?;
        Ok(())
    }
}

/// For a [`Rule`]: a flag stored as an integer is 0 or 1.
pub fn flag(cells: &[Cell], at: usize, name: &'static str) -> Option<(&'static str, String)> {
    match cells.get(at) {
        Some(Cell::Int(Some(n))) if !matches!(n, 0 | 1) => {
            Some((name, format!("{n} is not 0 or 1")))
        }
        _ => None,
    }
}

fn is_null(c: &Cell) -> bool {
    matches!(
        c,
        Cell::Int(None) | Cell::Float(None) | Cell::Text(None) | Cell::Bytes(None)
    )
}

/// A record's fields in the declared order, as the file writes them.
struct Line<'a> {
    table: &'a Table,
    cells: &'a [Cell],
}

impl Serialize for Line<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.cells.len()))?;
        for (c, cell) in self.table.cols.iter().zip(self.cells) {
            match cell {
                Cell::Int(n) => map.serialize_entry(c.name, n)?,
                Cell::Float(x) => map.serialize_entry(c.name, x)?,
                Cell::Bytes(b) => map.serialize_entry(c.name, &b.as_deref().map(base64::encode))?,
                Cell::Text(None) => map.serialize_entry(c.name, &Value::Null)?,
                Cell::Text(Some(t)) if c.ty == Ty::Json => {
                    let v: Value = serde_json::from_str(t).map_err(|e| {
                        serde::ser::Error::custom(format!(
                            "{} {}: stored JSON is corrupt: {e}",
                            self.table.table, c.name
                        ))
                    })?;
                    map.serialize_entry(c.name, &v)?
                }
                Cell::Text(Some(t)) if c.ty == Ty::Date => {
                    if t.parse::<Date>().is_err() {
                        return Err(serde::ser::Error::custom(format!(
                            "{} {}: stored `{t}` is not a date",
                            self.table.table, c.name
                        )));
                    }
                    map.serialize_entry(c.name, t)?
                }
                Cell::Text(Some(t)) => map.serialize_entry(c.name, t)?,
            }
        }
        map.end()
    }
}
