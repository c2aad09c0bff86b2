//! Reading a table (CSV or the first sheet of an XLSX workbook) into rows of text cells,
//! each with the line number a person sees in a text editor or a spreadsheet.

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};
use grassroots_domain::date::Date;

use crate::{InterchangeError, InterchangeResult};

/// One row under the header: its line number (the header is line 1) and its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

impl Row {
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

impl Table {
    /// Reads CSV, comma- or semicolon-separated (spreadsheets in Vietnamese locales write
    /// semicolons), with or without a byte-order mark.
    pub fn from_csv(mut input: impl Read) -> InterchangeResult<Table> {
        let mut bytes = Vec::new();
        input.read_to_end(&mut bytes)?;
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let first_line = text.split(|b| *b == b'\n').next().unwrap_or_default();
        let count = |c: u8| first_line.iter().filter(|b| **b == c).count();
        let delimiter = if count(b';') > count(b',') {
            b';'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text);
        let mut header = None;
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, |p| line_at(text, p.byte()));
                InterchangeError::line(line, "row", format!("not valid CSV: {e}"))
            })?;
            let line = record.position().map_or(0, |p| line_at(text, p.byte()));
            let cells: Vec<String> = record.iter().map(|c| c.trim().to_owned()).collect();
            if header.is_none() {
                header = Some(cells);
            } else {
                rows.push(Row { line, cells });
            }
        }
        let header = header.ok_or_else(|| InterchangeError::File("the file is empty".into()))?;
        Ok(Table { header, rows })
    }

    /// Reads the first sheet of an XLSX workbook. Date cells become ISO dates; whole numbers
    /// lose their `.0`.
    pub fn from_xlsx(bytes: Vec<u8>) -> InterchangeResult<Table> {
        let mut book = Xlsx::new(Cursor::new(bytes))
            .map_err(|e| InterchangeError::File(format!("not an XLSX workbook: {e}")))?;
        let range = book
            .worksheet_range_at(0)
            .ok_or_else(|| InterchangeError::File("the workbook has no sheet".into()))?
            .map_err(|e| InterchangeError::File(format!("cannot read the first sheet: {e}")))?;
        let first_row = range.start().map_or(0, |(r, _)| r as usize);
        let mut header = None;
        let mut rows = Vec::new();
        for (i, row) in range.rows().enumerate() {
            let line = first_row + i + 1;
            let cells: Vec<String> = row.iter().map(cell_text).collect();
            if header.is_none() {
                if cells.iter().all(|c| c.is_empty()) {
                    continue;
                }
                header = Some(cells);
            } else {
                rows.push(Row { line, cells });
            }
        }
        let header =
            header.ok_or_else(|| InterchangeError::File("the first sheet is empty".into()))?;
        Ok(Table { header, rows })
    }
}

/// The line of the record starting at byte `at`. The reader reports the offset where it
/// started looking, before any blank lines it skipped, and its own line count skips them.
fn line_at(text: &[u8], at: u64) -> usize {
    let mut at = (at as usize).min(text.len());
    while at < text.len() && matches!(text[at], b'\n' | b'\r') {
        at += 1;
    }
    text[..at].iter().filter(|b| **b == b'\n').count() + 1
}

/// Days from the spreadsheet epoch (1899-12-30, which absorbs Excel's 1900 leap-year bug).
fn serial_date(serial: f64) -> Option<Date> {
    let epoch = Date::from_ymd_opt(1899, 12, 30)?;
    epoch.checked_add_signed(chrono::Duration::days(serial.floor() as i64))
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => serial_date(dt.as_f64())
            .map(|d| d.to_string())
            .unwrap_or_else(|| dt.as_f64().to_string()),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_bom_and_semicolons() {
        let t = Table::from_csv("\u{feff}Mã;Tên\nA;Chi bộ 1\n\nB;\"x;y\"\n".as_bytes()).unwrap();
        assert_eq!(t.header, vec!["Mã", "Tên"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].line, 2);
        assert_eq!(t.rows[1].line, 4);
        assert_eq!(t.rows[1].cells[1], "x;y");
    }

    #[test]
    fn spreadsheet_serials_are_dates() {
        assert_eq!(serial_date(45474.0), Date::from_ymd_opt(2024, 7, 1));
    }
}
