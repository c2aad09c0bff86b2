//! Reading typed values out of rows, with errors that name the column.
//!
//! The helpers read `AnyRow`s (sqlx) and [`Row`]s ([`crate::select`]) alike.

use grassroots_domain::date::Date;
use sqlx::Row as _;
use sqlx::any::AnyRow;

use crate::select::{Row, Value};
use crate::{StoreError, StoreResult};

/// A row whose columns are read by name.
pub trait Cells {
    fn opt_text(&self, col: &str) -> StoreResult<Option<String>>;
    fn opt_int(&self, col: &str) -> StoreResult<Option<i64>>;
}

impl Cells for AnyRow {
    fn opt_text(&self, col: &str) -> StoreResult<Option<String>> {
        self.try_get::<Option<String>, _>(col)
            .map_err(StoreError::from)
    }

    fn opt_int(&self, col: &str) -> StoreResult<Option<i64>> {
        self.try_get::<Option<i64>, _>(col)
            .map_err(StoreError::from)
    }
}

impl Cells for Row {
    fn opt_text(&self, col: &str) -> StoreResult<Option<String>> {
        match self.value(col)? {
            Value::Null => Ok(None),
            Value::Text(t) => Ok(Some(t.clone())),
            other => Err(mismatch(col, "text", other)),
        }
    }

    fn opt_int(&self, col: &str) -> StoreResult<Option<i64>> {
        match self.value(col)? {
            Value::Null => Ok(None),
            Value::Int(v) => Ok(Some(*v)),
            other => Err(mismatch(col, "an integer", other)),
        }
    }
}

fn mismatch(col: &str, wanted: &str, found: &Value) -> StoreError {
    StoreError::Corrupt(format!("column {col}: {wanted} expected, found {found:?}"))
}

fn required<T>(col: &str, value: Option<T>) -> StoreResult<T> {
    value.ok_or_else(|| StoreError::Corrupt(format!("column {col}: unexpected NULL")))
}

pub fn text(row: &impl Cells, col: &str) -> StoreResult<String> {
    required(col, row.opt_text(col)?)
}

pub fn opt_text(row: &impl Cells, col: &str) -> StoreResult<Option<String>> {
    row.opt_text(col)
}

pub fn int(row: &impl Cells, col: &str) -> StoreResult<i64> {
    required(col, row.opt_int(col)?)
}

pub fn opt_int(row: &impl Cells, col: &str) -> StoreResult<Option<i64>> {
    row.opt_int(col)
}

pub fn date(row: &impl Cells, col: &str) -> StoreResult<Date> {
    parse_date(col, &text(row, col)?)
}

pub fn opt_date(row: &impl Cells, col: &str) -> StoreResult<Option<Date>> {
    opt_text(row, col)?.map(|s| parse_date(col, &s)).transpose()
}

fn parse_date(col: &str, raw: &str) -> StoreResult<Date> {
    raw.parse()
        .map_err(|_| StoreError::Corrupt(format!("column {col}: `{raw}` is not a date")))
}

/// Parses a stored enum value with its `parse` function, naming the column on failure.
pub fn parsed<T>(row: &impl Cells, col: &str, parse: fn(&str) -> Option<T>) -> StoreResult<T> {
    let raw = text(row, col)?;
    parse(&raw).ok_or_else(|| StoreError::Corrupt(format!("column {col}: unknown value `{raw}`")))
}
