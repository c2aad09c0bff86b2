//! The bulk load of a SQLite file through SQLite's own interface (`rusqlite`), for the
//! generator's millions of rows: the same batches as [`crate::bulk::BulkLoader`], without the
//! `sqlx` `Any` layer (which converts, copies and hands over every bound value to a worker
//! thread: most of the load's time, as a profile of the generator showed).
//!
//! It is blocking: run it on a thread of its own (the generator gives it one, fed by its
//! producer thread over a channel). Like the async loader it writes everything in one
//! transaction, suspends the secondary indexes of [`LOADED_TABLES`] and rebuilds them at the
//! end, and loads under a rollback journal instead of WAL when it is alone on the file (a
//! fresh file journals almost nothing, and the load stays atomic: dropping the loader
//! without [`SqliteLoad::finish`] rolls everything back).

use std::path::Path;
use std::time::Duration;

use rusqlite::types::{Null, ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags};

use crate::StoreResult;
use crate::bulk::{LOADED_TABLES, Table, Value};

/// Rows per multi-row INSERT: enough that the per-statement work (opening cursors) is
/// spread thin, small enough that the statement cache holds every shape.
const ROWS_PER_INSERT: usize = 64;

/// A load in progress on its own connection.
#[derive(Debug)]
pub struct SqliteLoad {
    conn: Connection,
    suspended: Vec<String>,
    rows: u64,
    left_wal: bool,
}

impl SqliteLoad {
    /// Opens `file`, leaves WAL mode if no other connection has the file open, tunes the
    /// connection, begins the transaction and drops the secondary indexes of the loaded
    /// tables inside it.
    pub fn begin(file: &Path) -> StoreResult<SqliteLoad> {
        let conn = Connection::open_with_flags(
            file,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.set_prepared_statement_cache_capacity(64);
        conn.busy_timeout(Duration::ZERO)?;
        // "database is locked" means another connection has the file: stay in WAL.
        let mode: String = conn
            .query_row("PRAGMA journal_mode=DELETE", [], |r| r.get(0))
            .unwrap_or_default();
        let left_wal = mode.eq_ignore_ascii_case("delete");
        conn.busy_timeout(Duration::from_secs(30))?;
        conn.execute_batch(
            "PRAGMA foreign_keys=ON; PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576; \
             PRAGMA temp_store=MEMORY; PRAGMA threads=2; BEGIN",
        )?;
        let mut load = SqliteLoad {
            conn,
            suspended: Vec::new(),
            rows: 0,
            left_wal,
        };
        load.suspend_indexes()?;
        Ok(load)
    }

    fn suspend_indexes(&mut self) -> StoreResult<()> {
        let list = LOADED_TABLES
            .iter()
            .map(|t| format!("'{t}'"))
            .collect::<Vec<_>>()
            .join(", ");
        // Indexes behind UNIQUE and PRIMARY KEY constraints have no SQL text: they stay.
        let sql = format!(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' \
             AND sql IS NOT NULL AND tbl_name IN ({list}) ORDER BY name"
        );
        let defs: Vec<(String, String)> = self
            .conn
            .prepare(&sql)?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (name, def) in defs {
            self.conn.execute_batch(&format!("DROP INDEX {name}"))?;
            self.suspended.push(def);
        }
        Ok(())
    }

    /// Writes whole rows of `table` given as one flat list of values.
    pub fn write_rows(&mut self, table: Table, values: &[Value]) -> StoreResult<()> {
        let width = table.columns.len();
        if width == 0 || values.is_empty() {
            return Ok(());
        }
        debug_assert_eq!(values.len() % width, 0, "{}", table.name);
        let mut chunks = values.chunks_exact(width * ROWS_PER_INSERT);
        if chunks.len() > 0 {
            let mut stmt = self
                .conn
                .prepare_cached(&insert_sql(table, ROWS_PER_INSERT))?;
            for chunk in chunks.by_ref() {
                for (i, v) in chunk.iter().enumerate() {
                    stmt.raw_bind_parameter(i + 1, Bound(v))?;
                }
                stmt.raw_execute()?;
            }
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut stmt = self.conn.prepare_cached(&insert_sql(table, 1))?;
            for row in rest.chunks_exact(width) {
                for (i, v) in row.iter().enumerate() {
                    stmt.raw_bind_parameter(i + 1, Bound(v))?;
                }
                stmt.raw_execute()?;
            }
        }
        self.rows += (values.len() / width) as u64;
        Ok(())
    }

    /// Runs statements inside the load's transaction.
    pub fn execute(&mut self, sql: &str) -> StoreResult<()> {
        self.conn.execute_batch(sql)?;
        Ok(())
    }

    /// Rebuilds the suspended indexes, commits, returns to WAL mode and the connection
    /// settings of `db.rs`, and refreshes the planner's statistics. Returns the rows written.
    pub fn finish(mut self) -> StoreResult<u64> {
        for def in std::mem::take(&mut self.suspended) {
            self.conn.execute_batch(&def)?;
        }
        self.conn.execute_batch("COMMIT")?;
        if self.left_wal {
            self.conn.execute_batch("PRAGMA journal_mode=WAL")?;
        }
        // A bounded sample per index keeps ANALYZE quick on a multi-gigabyte file.
        self.conn
            .execute_batch("PRAGMA analysis_limit=1000; ANALYZE")?;
        Ok(self.rows)
    }
}

/// A buffered value as SQLite binds it.
struct Bound<'a>(&'a Value);

impl rusqlite::ToSql for Bound<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.0 {
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            Value::NullInt | Value::NullText => Null.to_sql()?,
        })
    }
}

fn insert_sql(table: Table, rows: usize) -> String {
    let one = format!("({})", vec!["?"; table.columns.len()].join(", "));
    let mut sql = format!(
        "INSERT INTO {} ({}) VALUES ",
        table.name,
        table.columns.join(", ")
    );
    for i in 0..rows {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&one);
    }
    sql
}
