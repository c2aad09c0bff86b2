//! Rows buffered for a bulk load: whole rows of one table, their values in one flat list and
//! their text in one arena, so that making a row costs no allocation and writing it binds
//! borrowed slices. A producer thread fills batches ([`RowBuffers`]) and hands each full one
//! to a loader ([`crate::bulk::BulkLoader`], [`crate::bulk_sqlite::SqliteLoad`]).

use std::fmt::Write as _;

use chrono::Datelike;
use grassroots_domain::date::Date;

/// A table the loader writes to, with the columns every row gives, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
}

/// One value of a buffered row. Text lives in the batch's arena (`start..end`). The two
/// NULLs differ because PostgreSQL wants a typed NULL for a BIGINT column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    Int(i64),
    Text(u32, u32),
    NullInt,
    NullText,
}

/// A value of a batch as a loader binds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    Int(i64),
    Text(&'a str),
    NullInt,
    NullText,
}

/// Whole rows of one table.
#[derive(Debug, Clone)]
pub struct Batch {
    pub table: Table,
    cells: Vec<Cell>,
    text: String,
}

impl Batch {
    pub fn new(table: Table, rows: usize) -> Batch {
        Batch {
            table,
            cells: Vec::with_capacity(rows * table.columns.len()),
            text: String::with_capacity(rows * table.columns.len() * 12),
        }
    }

    /// Whole rows buffered (a row being written counts once it is complete).
    pub fn rows(&self) -> usize {
        self.cells.len() / self.table.columns.len().max(1)
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Values buffered, the row being written included.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn int(&mut self, v: i64) -> &mut Batch {
        self.cells.push(Cell::Int(v));
        self
    }

    pub fn opt_int(&mut self, v: Option<i64>) -> &mut Batch {
        self.cells.push(v.map_or(Cell::NullInt, Cell::Int));
        self
    }

    pub fn text(&mut self, v: &str) -> &mut Batch {
        let start = self.text.len();
        self.text.push_str(v);
        self.end_text(start)
    }

    pub fn opt_text(&mut self, v: Option<&str>) -> &mut Batch {
        match v {
            Some(v) => self.text(v),
            None => self.null_text(),
        }
    }

    pub fn null_text(&mut self) -> &mut Batch {
        self.cells.push(Cell::NullText);
        self
    }

    /// Text written with `format_args!`, straight into the arena.
    pub fn fmt(&mut self, args: std::fmt::Arguments<'_>) -> &mut Batch {
        let start = self.text.len();
        // Writing to a String cannot fail.
        let _ = self.text.write_fmt(args);
        self.end_text(start)
    }

    /// A date as ISO text (`2026-06-30`), exactly as `Date::to_string` writes it, without
    /// the formatting machinery (a member has a dozen dates).
    pub fn date(&mut self, d: Date) -> &mut Batch {
        let start = self.text.len();
        push_date(&mut self.text, d);
        self.end_text(start)
    }

    pub fn opt_date(&mut self, d: Option<Date>) -> &mut Batch {
        match d {
            Some(d) => self.date(d),
            None => self.null_text(),
        }
    }

    fn end_text(&mut self, start: usize) -> &mut Batch {
        // An arena stays far below 4 GiB (a batch is a few thousand rows).
        self.cells
            .push(Cell::Text(start as u32, self.text.len() as u32));
        self
    }

    /// The values in order, row after row.
    pub fn values(&self) -> impl ExactSizeIterator<Item = Value<'_>> + '_ {
        self.cells.iter().map(|c| self.value(*c))
    }

    /// The values of row `i`.
    pub fn row(&self, i: usize) -> impl ExactSizeIterator<Item = Value<'_>> + '_ {
        let w = self.table.columns.len();
        self.cells[i * w..(i + 1) * w]
            .iter()
            .map(|c| self.value(*c))
    }

    fn value(&self, c: Cell) -> Value<'_> {
        match c {
            Cell::Int(i) => Value::Int(i),
            Cell::Text(a, b) => Value::Text(self.text.get(a as usize..b as usize).unwrap_or("")),
            Cell::NullInt => Value::NullInt,
            Cell::NullText => Value::NullText,
        }
    }

    /// Empties the batch, keeping its memory.
    pub fn clear(&mut self) {
        self.cells.clear();
        self.text.clear();
    }
}

/// Writes `YYYY-MM-DD` (years 0–9999, as chrono's `Display` does for them).
pub fn push_date(out: &mut String, d: Date) {
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        let _ = write!(out, "{d}");
        return;
    }
    let y = y as u32;
    let digits = [
        y / 1000,
        y / 100 % 10,
        y / 10 % 10,
        y % 10,
        10,
        m / 10,
        m % 10,
        10,
        day / 10,
        day % 10,
    ];
    for v in digits {
        out.push(if v == 10 {
            '-'
        } else {
            char::from(b'0' + v as u8)
        });
    }
}

/// Per-table batches that hand out full ones: the producer side of a load that makes rows on
/// one thread while the loader writes them on another.
#[derive(Debug)]
pub struct RowBuffers {
    /// Values per batch: the loaders' unit of work.
    per_batch: usize,
    buffers: Vec<Batch>,
}

impl Default for RowBuffers {
    fn default() -> Self {
        RowBuffers::new(8_000)
    }
}

impl RowBuffers {
    pub fn new(per_batch: usize) -> RowBuffers {
        RowBuffers {
            per_batch,
            buffers: Vec::new(),
        }
    }

    /// Rows of `table` in one full batch.
    pub fn rows_per_batch(&self, table: Table) -> usize {
        (self.per_batch / table.columns.len().max(1)).max(1)
    }

    /// Adds one row written by `fill`; returns the table's batch when it is full.
    pub fn push(&mut self, table: Table, fill: impl FnOnce(&mut Batch)) -> Option<Batch> {
        let i = match self
            .buffers
            .iter()
            .position(|b| std::ptr::eq(b.table.name, table.name) || b.table.name == table.name)
        {
            Some(i) => i,
            None => {
                let rows = self.rows_per_batch(table);
                self.buffers.push(Batch::new(table, rows));
                self.buffers.len() - 1
            }
        };
        let batch = &mut self.buffers[i];
        let before = batch.len();
        fill(batch);
        debug_assert_eq!(batch.len() - before, table.columns.len(), "{}", table.name);
        (batch.rows() >= self.rows_per_batch(table)).then(|| self.take_at(i))
    }

    /// What is buffered for `table`, if anything.
    pub fn take(&mut self, table: &str) -> Option<Batch> {
        let i = self.buffers.iter().position(|b| b.table.name == table)?;
        (!self.buffers[i].is_empty()).then(|| self.take_at(i))
    }

    fn take_at(&mut self, i: usize) -> Batch {
        let b = &mut self.buffers[i];
        let fresh = Batch {
            table: b.table,
            cells: Vec::with_capacity(b.cells.capacity()),
            text: String::with_capacity(b.text.capacity()),
        };
        std::mem::replace(b, fresh)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Table = Table {
        name: "t",
        columns: &["a", "b", "c"],
    };

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let mut d = Date::from_ymd_opt(1900, 1, 1).unwrap();
        let end = Date::from_ymd_opt(2100, 12, 31).unwrap();
        let mut s = String::new();
        while d <= end {
            s.clear();
            push_date(&mut s, d);
            assert_eq!(s, d.to_string());
            d = d.succ_opt().unwrap();
        }
    }

    #[test]
    fn a_batch_gives_back_its_rows() {
        let mut buffers = RowBuffers::new(6);
        assert!(
            buffers
                .push(T, |b| {
                    b.int(1).text("một").opt_date(None);
                })
                .is_none()
        );
        let full = buffers
            .push(T, |b| {
                b.opt_int(None)
                    .fmt(format_args!("{:03}", 7))
                    .date(Date::from_ymd_opt(2026, 6, 30).unwrap());
            })
            .unwrap();
        assert_eq!(full.rows(), 2);
        assert_eq!(
            full.row(0).collect::<Vec<_>>(),
            [Value::Int(1), Value::Text("một"), Value::NullText]
        );
        assert_eq!(
            full.row(1).collect::<Vec<_>>(),
            [
                Value::NullInt,
                Value::Text("007"),
                Value::Text("2026-06-30")
            ]
        );
        assert!(buffers.take("t").is_none());
    }
}
