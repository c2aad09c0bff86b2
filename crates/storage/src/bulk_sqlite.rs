//! The bulk load of a SQLite file through SQLite's own interface (`rusqlite`), for the
//! generator's millions of rows: the same batches as [`crate::bulk::BulkLoader`], without the
//! `sqlx` `Any` layer (which converts, copies and hands over every bound value to a worker
//! thread). Values are bound straight from the batch's text arena.
//!
//! It is blocking: run it on a thread of its own (the generator gives it one, fed by its
//! producer thread over a channel). Everything is written in one transaction: the secondary
//! indexes of [`LOADED_TABLES`] are dropped inside it and rebuilt at the end (building an
//! index once from sorted data is far cheaper than keeping it ordered through millions of
//! inserts), and dropping the loader without [`SqliteLoad::finish`] rolls everything back, so
//! a failed load leaves the file as it was. When it is alone on the file it loads under a
//! rollback journal instead of WAL: in WAL mode every page of a multi-gigabyte load would be
//! written twice (to the WAL, then at the checkpoint), while the rollback journal of a fresh
//! file keeps only the few pages that existed before the load.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::types::{Null, ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags};

use crate::StoreResult;
use crate::batch::{Batch, Value};
use crate::bulk::LOADED_TABLES;

/// Rows per multi-row INSERT: enough that the per-statement work (opening cursors) is
/// spread thin, small enough that the statement cache holds every shape.
const ROWS_PER_INSERT: usize = 64;

/// The page cache, in KiB, while the suspended indexes are rebuilt. SQLite's sorter sizes its
/// in-memory runs from the cache size: with the load's 1 GiB cache every index of a
/// million-member load is one 512 MiB run sorted by this thread alone, while with 16 MiB runs
/// the sorter hands each full run to its helper thread (`PRAGMA threads`) and merges them at
/// the end, so both cores sort; the small runs also stay in the processor's caches. The new
/// index pages are written to the file as the build goes instead of piling up for the commit.
/// Measured with `sqlite3` on the three search indexes of a 10^6-member file: 19 s with the
/// 1 GiB cache, 9–11 s with 16 MiB; the whole generation of 10^6 members: 33–37 s → 22–27 s
/// on a machine with a core to spare (BENCHMARKS.md, "Generator, 2026-11-24"). It is the same
/// work spread over both cores, not less work: on a busy machine the gain shrinks.
const INDEX_BUILD_CACHE_KIB: i64 = 16_384;

/// Loads of fewer rows keep the 1 GiB cache for their index builds: their indexes are a
/// run or two of the sorter anyway, and with the small cache every build reads its table
/// back from the file (10^5 members, 0.7 million rows: 2.6–2.8 s with the large cache,
/// 3.5–3.8 s with the small one on a busy machine, twice the system time).
const SMALL_CACHE_FROM_ROWS: u64 = 2_000_000;

/// Whether the load checks each row's foreign keys as it goes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForeignKeys {
    /// Every reference is looked up as the row is written (rows from outside).
    Enforce,
    /// Rows made consistent by construction (the generator, whose tests run
    /// `PRAGMA foreign_key_check` on what it writes): one lookup per reference saved, which
    /// is most of the cost of a narrow row such as an attendance mark.
    Trusted,
}

/// A load in progress on its own connection.
#[derive(Debug)]
pub struct SqliteLoad {
    conn: Connection,
    suspended: Vec<String>,
    rows: u64,
    left_wal: bool,
    phases: Vec<(String, f64)>,
    /// From how many rows the indexes are rebuilt with [`INDEX_BUILD_CACHE_KIB`].
    small_cache_from_rows: u64,
}

impl SqliteLoad {
    /// Opens `file`, leaves WAL mode if no other connection has the file open, tunes the
    /// connection, begins the transaction and drops the secondary indexes of the loaded
    /// tables inside it.
    pub fn begin(file: &Path, foreign_keys: ForeignKeys) -> StoreResult<SqliteLoad> {
        let started = Instant::now();
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
        // A 1 GiB page cache keeps the tables' last pages and the unique indexes in memory;
        // no fsync until the end (the load is one transaction: a crash of the process
        // leaves the journal that rolls it back); two threads for the index sorts.
        // Temporary storage in a file, not in memory: only then does SQLite's sorter keep
        // the records of an index build in one growing buffer and hand full buffers to its
        // helper threads (in memory it allocates and frees every record on its own).
        let checks = match foreign_keys {
            ForeignKeys::Enforce => "ON",
            ForeignKeys::Trusted => "OFF",
        };
        conn.execute_batch(&format!(
            "PRAGMA foreign_keys={checks}; PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576; \
             PRAGMA temp_store=FILE; PRAGMA threads=2; BEGIN"
        ))?;
        let mut load = SqliteLoad {
            conn,
            suspended: Vec::new(),
            rows: 0,
            left_wal,
            phases: Vec::new(),
            small_cache_from_rows: SMALL_CACHE_FROM_ROWS,
        };
        load.suspend_indexes()?;
        load.add_phase("begin", started.elapsed().as_secs_f64());
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

    /// Adds `secs` to the time of `phase` (see [`SqliteLoad::finish`]).
    pub fn add_phase(&mut self, phase: &str, secs: f64) {
        match self.phases.iter_mut().find(|(p, _)| p == phase) {
            Some((_, s)) => *s += secs,
            None => self.phases.push((phase.to_owned(), secs)),
        }
    }

    /// Writes the rows of `batch`.
    pub fn write(&mut self, batch: &Batch) -> StoreResult<()> {
        let started = Instant::now();
        let table = batch.table;
        let width = table.columns.len();
        let rows = batch.rows();
        if width == 0 || rows == 0 {
            return Ok(());
        }
        let mut values = batch.values();
        let full = rows / ROWS_PER_INSERT;
        if full > 0 {
            let mut stmt = self.conn.prepare_cached(&insert_sql(
                table.name,
                table.columns,
                ROWS_PER_INSERT,
            ))?;
            for _ in 0..full {
                for i in 0..width * ROWS_PER_INSERT {
                    let v = values.next().unwrap_or(Value::NullText);
                    stmt.raw_bind_parameter(i + 1, Bound(v))?;
                }
                stmt.raw_execute()?;
            }
        }
        let rest = rows % ROWS_PER_INSERT;
        if rest > 0 {
            let mut stmt = self
                .conn
                .prepare_cached(&insert_sql(table.name, table.columns, 1))?;
            for _ in 0..rest {
                for i in 0..width {
                    let v = values.next().unwrap_or(Value::NullText);
                    stmt.raw_bind_parameter(i + 1, Bound(v))?;
                }
                stmt.raw_execute()?;
            }
        }
        self.rows += rows as u64;
        self.add_phase(
            &format!("insert {}", table.name),
            started.elapsed().as_secs_f64(),
        );
        Ok(())
    }

    /// Runs statements inside the load's transaction.
    pub fn execute(&mut self, sql: &str) -> StoreResult<()> {
        self.conn.execute_batch(sql)?;
        Ok(())
    }

    /// Rebuilds the suspended indexes, commits, returns to WAL mode and the connection
    /// settings of `db.rs`, and refreshes the planner's statistics. Returns the rows written
    /// and where the load's time went: (phase, seconds), in order.
    pub fn finish(mut self) -> StoreResult<(u64, Vec<(String, f64)>)> {
        if self.rows >= self.small_cache_from_rows {
            self.conn
                .execute_batch(&format!("PRAGMA cache_size=-{INDEX_BUILD_CACHE_KIB}"))?;
        }
        for def in std::mem::take(&mut self.suspended) {
            let started = Instant::now();
            self.conn.execute_batch(&def)?;
            let name = def.split_whitespace().nth(2).unwrap_or("?").to_owned();
            self.add_phase(&format!("index {name}"), started.elapsed().as_secs_f64());
        }
        let started = Instant::now();
        self.conn.execute_batch("COMMIT")?;
        self.add_phase("commit", started.elapsed().as_secs_f64());
        let started = Instant::now();
        if self.left_wal {
            self.conn.execute_batch("PRAGMA journal_mode=WAL")?;
        }
        // A bounded sample per index keeps ANALYZE quick on a multi-gigabyte file.
        self.conn
            .execute_batch("PRAGMA analysis_limit=1000; ANALYZE")?;
        self.add_phase("WAL and analyze", started.elapsed().as_secs_f64());
        Ok((self.rows, std::mem::take(&mut self.phases)))
    }
}

/// A batch value as SQLite binds it.
struct Bound<'a>(Value<'a>);

impl rusqlite::ToSql for Bound<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.0 {
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(i)),
            Value::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            Value::NullInt | Value::NullText => Null.to_sql()?,
        })
    }
}

fn insert_sql(table: &str, columns: &[&str], rows: usize) -> String {
    let one = format!("({})", vec!["?"; columns.len()].join(", "));
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    for i in 0..rows {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&one);
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{Batch, Table};

    const ORGS: Table = Table {
        name: "orgs",
        columns: &[
            "id",
            "code",
            "name",
            "name_folded",
            "kind",
            "parent_id",
            "path",
            "depth",
            "founded_on",
            "updated_at",
        ],
    };

    /// The small-cache rebuild (taken by loads of millions of rows) gives back every index,
    /// a sound file and the connection settings of `db.rs` afterwards.
    #[tokio::test]
    async fn indexes_rebuilt_with_the_small_cache_are_whole() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("load.db");
        let url = format!("sqlite:{}", file.display());
        drop(crate::Store::open(&url).await.unwrap());
        let mut load = SqliteLoad::begin(&file, ForeignKeys::Enforce).unwrap();
        load.small_cache_from_rows = 0;
        let mut batch = Batch::new(ORGS, 500);
        for id in 1..=500i64 {
            batch
                .int(id)
                .fmt(format_args!("O{id}"))
                .fmt(format_args!("Tổ chức {id}"))
                .fmt(format_args!("to chuc {id}"))
                .text(if id == 1 { "central" } else { "cell" })
                .opt_int((id > 1).then_some(1))
                .fmt(format_args!(
                    "{}",
                    if id == 1 {
                        "/1/".to_owned()
                    } else {
                        format!("/1/{id}/")
                    }
                ))
                .int(if id == 1 { 1 } else { 2 })
                .text("2020-01-01")
                .text("2026-01-01T00:00:00Z");
        }
        load.write(&batch).unwrap();
        let (rows, phases) = load.finish().unwrap();
        assert_eq!(rows, 500);
        assert!(phases.iter().any(|(p, _)| p == "index orgs_path"));
        let conn = Connection::open(&file).unwrap();
        let indexes: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orgs' AND sql IS NOT NULL ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(indexes, ["orgs_parent", "orgs_path"]);
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let n: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM orgs INDEXED BY orgs_path WHERE path >= '/1/' AND path < '/10'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(n > 0);
    }
}
