//! Reading typed values out of rows, with errors that name the column.

use grassroots_domain::date::Date;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{StoreError, StoreResult};

pub fn text(row: &AnyRow, col: &str) -> StoreResult<String> {
    row.try_get::<String, _>(col).map_err(StoreError::from)
}

pub fn opt_text(row: &AnyRow, col: &str) -> StoreResult<Option<String>> {
    row.try_get::<Option<String>, _>(col)
        .map_err(StoreError::from)
}

pub fn int(row: &AnyRow, col: &str) -> StoreResult<i64> {
    row.try_get::<i64, _>(col).map_err(StoreError::from)
}

pub fn opt_int(row: &AnyRow, col: &str) -> StoreResult<Option<i64>> {
    row.try_get::<Option<i64>, _>(col).map_err(StoreError::from)
}

pub fn date(row: &AnyRow, col: &str) -> StoreResult<Date> {
    parse_date(col, &text(row, col)?)
}

pub fn opt_date(row: &AnyRow, col: &str) -> StoreResult<Option<Date>> {
    opt_text(row, col)?.map(|s| parse_date(col, &s)).transpose()
}

fn parse_date(col: &str, raw: &str) -> StoreResult<Date> {
    raw.parse()
        .map_err(|_| StoreError::Corrupt(format!("column {col}: `{raw}` is not a date")))
}

/// Parses a stored enum value with its `parse` function, naming the column on failure.
pub fn parsed<T>(row: &AnyRow, col: &str, parse: fn(&str) -> Option<T>) -> StoreResult<T> {
    let raw = text(row, col)?;
    parse(&raw).ok_or_else(|| StoreError::Corrupt(format!("column {col}: unknown value `{raw}`")))
}
