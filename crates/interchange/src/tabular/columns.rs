//! Finding columns by their header, in Vietnamese or English, ignoring case, diacritics,
//! spaces and underscores.

use std::collections::HashMap;

use grassroots_domain::text::fold;

use super::table::Row;
use crate::{InterchangeError, InterchangeResult};

/// A field and the headers that name it. The first name is the Vietnamese one shown in
/// messages, the second the English code name.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub field: &'static str,
    pub names: &'static [&'static str],
    pub required: bool,
}

/// Headers of columns that carry nothing to import (row numbers, notes).
const IGNORED: &[&str] = &["stt", "so thu tu", "no", "#", "ghi chu", "note", "notes"];

fn key(raw: &str) -> String {
    fold(raw).replace(['_', ' ', '.', '-'], "")
}

/// Which cell of a row holds which field.
#[derive(Debug)]
pub struct Columns {
    index: HashMap<&'static str, usize>,
}

impl Columns {
    /// Maps the header row; refuses a header it does not know (so no column is silently
    /// dropped), a column named twice, and a missing required column.
    pub fn map(header: &[String], spec: &[Column]) -> InterchangeResult<Columns> {
        let mut index = HashMap::new();
        for (i, raw) in header.iter().enumerate() {
            let k = key(raw);
            if k.is_empty() || IGNORED.iter().any(|x| key(x) == k) {
                continue;
            }
            let Some(col) = spec.iter().find(|c| c.names.iter().any(|n| key(n) == k)) else {
                let known: Vec<String> = spec
                    .iter()
                    .map(|c| format!("\"{}\"/{}", c.names[0], c.field))
                    .collect();
                return Err(InterchangeError::field(
                    1,
                    "header",
                    raw,
                    format!("unknown column; the columns are {}", known.join(", ")),
                ));
            };
            if index.insert(col.field, i).is_some() {
                return Err(InterchangeError::field(
                    1,
                    "header",
                    raw,
                    "a second column for the same field",
                ));
            }
        }
        if let Some(missing) = spec
            .iter()
            .find(|c| c.required && !index.contains_key(c.field))
        {
            return Err(InterchangeError::field(
                1,
                "header",
                missing.field,
                format!(
                    "the column \"{}\" ({}) is missing",
                    missing.names[0], missing.field
                ),
            ));
        }
        Ok(Columns { index })
    }

    /// The trimmed cell of `field`, `None` when the column is absent or the cell is empty.
    pub fn get<'r>(&self, row: &'r Row, field: &str) -> Option<&'r str> {
        self.index
            .get(field)
            .and_then(|i| row.cells.get(*i))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &[Column] = &[
        Column {
            field: "full_name",
            names: &["Họ và tên", "full_name", "Họ tên"],
            required: true,
        },
        Column {
            field: "birth_date",
            names: &["Ngày sinh", "birth_date"],
            required: false,
        },
    ];

    #[test]
    fn headers_match_without_case_or_diacritics() {
        let header = vec!["STT".to_string(), "HO VA TEN".into(), "birth date".into()];
        let c = Columns::map(&header, SPEC).unwrap();
        let row = Row {
            line: 2,
            cells: vec!["1".into(), " Lê Thị Hoa ".into(), String::new()],
        };
        assert_eq!(c.get(&row, "full_name"), Some("Lê Thị Hoa"));
        assert_eq!(c.get(&row, "birth_date"), None);
    }

    #[test]
    fn unknown_and_missing_columns_are_named() {
        let err = Columns::map(&["Quê quán".to_string()], SPEC)
            .unwrap_err()
            .to_string();
        assert!(err.contains("Quê quán"), "{err}");
        let err = Columns::map(&["Ngày sinh".to_string()], SPEC)
            .unwrap_err()
            .to_string();
        assert!(err.contains("full_name"), "{err}");
    }
}
