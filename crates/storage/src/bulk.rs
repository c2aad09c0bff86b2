//! Fast bulk writes for loading large data sets (the synthetic nation, a national import).
//!
//! Rows are buffered per table and written as multi-row `INSERT`s of a fixed shape, so each
//! shape is prepared once per connection and reused. The whole load is one transaction: a
//! failure leaves the database as it was. The secondary indexes of the loaded tables are
//! dropped inside that transaction and rebuilt at the end, because building an index once
//! from sorted data is far cheaper than keeping it ordered through millions of inserts.
//!
//! The backend-specific parts are confined to [`LoadTuning`] (SQLite pragmas for the load)
//! and [`BulkLoader::finish`] (PostgreSQL identity sequences, statistics on both).

use std::collections::HashMap;

use sqlx::pool::PoolConnection;
use sqlx::{Any, Row};

use crate::{Backend, Db, StoreResult};

/// One value of a buffered row: the only types the `Any` driver binds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Int(i64),
    Text(String),
    NullInt,
    NullText,
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Value::NullInt, Value::Int)
    }
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        v.map_or(Value::NullText, Value::Text)
    }
}

/// A table the loader writes to, with the columns every row gives, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
}

/// Bound parameters per statement: below SQLite's 32,766 and PostgreSQL's 65,535, and large
/// enough that the per-statement cost disappears.
const PARAMS_PER_STATEMENT: usize = 8_000;

/// The tables whose secondary indexes a load may suspend (never the primary keys or UNIQUE
/// constraints: those guard the data while it goes in).
pub const LOADED_TABLES: &[&str] = &[
    "orgs",
    "org_versions",
    "org_events",
    "members",
    "member_name_keys",
    "member_statuses",
    "memberships",
    "meetings",
    "meeting_attendance",
];

/// Per-connection settings for the duration of a load, and the values to restore after.
#[derive(Debug, Clone, Copy)]
struct LoadTuning;

impl LoadTuning {
    /// SQLite: switches the file from WAL to a rollback journal for the load, when this is
    /// the only connection on it (the read pool's idle connections are closed first). In WAL
    /// mode every page of a multi-gigabyte load is written twice, to the WAL and again at the
    /// checkpoint; a rollback journal keeps only the pages that existed before the
    /// transaction, which for the fresh file of a generated nation is a few dozen, and the
    /// load stays atomic. Returns whether the switch happened; when another process holds
    /// the file, the load simply runs in WAL mode.
    async fn leave_wal(db: &Db, conn: &mut PoolConnection<Any>) -> StoreResult<bool> {
        db.close_idle_readers().await;
        sqlx::raw_sql("PRAGMA busy_timeout=0")
            .execute(&mut **conn)
            .await?;
        let mode = match sqlx::query("PRAGMA journal_mode=DELETE")
            .fetch_one(&mut **conn)
            .await
        {
            Ok(row) => row.try_get::<String, _>(0).unwrap_or_default(),
            // "database is locked": someone else has the file open.
            Err(_) => String::new(),
        };
        sqlx::raw_sql("PRAGMA busy_timeout=30000")
            .execute(&mut **conn)
            .await?;
        Ok(mode.eq_ignore_ascii_case("delete"))
    }

    /// Back to the WAL mode every connection of `db.rs` expects, after the commit.
    async fn back_to_wal(conn: &mut PoolConnection<Any>) -> StoreResult<()> {
        sqlx::raw_sql("PRAGMA journal_mode=WAL")
            .execute(&mut **conn)
            .await?;
        Ok(())
    }

    /// SQLite: a 1 GiB page cache so index pages stay in memory, no fsync until the final
    /// commit (the load is one transaction, so a crash loses all of it or none), and a
    /// helper thread for the sorts that rebuild the indexes.
    /// PostgreSQL: nothing per connection; the server's own settings apply.
    fn during(backend: Backend) -> &'static str {
        match backend {
            Backend::Sqlite => {
                "PRAGMA cache_size=-1048576; PRAGMA synchronous=OFF; PRAGMA threads=2"
            }
            Backend::Postgres => "",
        }
    }

    /// The values `db.rs` sets on every SQLite connection.
    fn after(backend: Backend) -> &'static str {
        match backend {
            Backend::Sqlite => {
                "PRAGMA cache_size=-65536; PRAGMA synchronous=NORMAL; PRAGMA threads=0"
            }
            Backend::Postgres => "",
        }
    }
}

/// Writes many rows to many tables in one transaction. Create it with [`BulkLoader::begin`],
/// [`push`](BulkLoader::push) rows, and [`finish`](BulkLoader::finish); dropping it
/// without finishing rolls everything back.
#[derive(Debug)]
pub struct BulkLoader {
    db: Db,
    conn: PoolConnection<Any>,
    buffers: HashMap<&'static str, (Table, Vec<Value>)>,
    statements: HashMap<(&'static str, usize), String>,
    suspended_indexes: Vec<String>,
    rows_written: u64,
    /// Whether the load's transaction is still open.
    open: bool,
    /// Whether the SQLite file left WAL mode for the load (and goes back at the end).
    left_wal: bool,
}

/// A statement-sized group of whole rows for one table, built where no database is at hand
/// (a producer thread) and written with [`BulkLoader::write_rows`].
#[derive(Debug)]
pub struct Batch {
    pub table: Table,
    pub values: Vec<Value>,
}

/// Per-table buffers that hand out full [`Batch`]es: the producer side of a load that
/// generates rows on one thread while the loader writes them on another.
#[derive(Debug, Default)]
pub struct RowBuffers {
    buffers: Vec<(Table, Vec<Value>)>,
}

impl RowBuffers {
    /// Adds one row; returns the table's batch when it has reached a statement's size.
    pub fn push(&mut self, table: Table, row: impl IntoIterator<Item = Value>) -> Option<Batch> {
        let per_statement = BulkLoader::rows_per_statement(table);
        let i = match self.buffers.iter().position(|(t, _)| t.name == table.name) {
            Some(i) => i,
            None => {
                self.buffers.push((
                    table,
                    Vec::with_capacity(per_statement * table.columns.len()),
                ));
                self.buffers.len() - 1
            }
        };
        let buffer = &mut self.buffers[i].1;
        let before = buffer.len();
        buffer.extend(row);
        debug_assert_eq!(buffer.len() - before, table.columns.len(), "{}", table.name);
        (buffer.len() >= per_statement * table.columns.len()).then(|| self.take_at(i))
    }

    /// What is buffered for `table`, if anything.
    pub fn take(&mut self, table: &str) -> Option<Batch> {
        let i = self.buffers.iter().position(|(t, _)| t.name == table)?;
        (!self.buffers[i].1.is_empty()).then(|| self.take_at(i))
    }

    fn take_at(&mut self, i: usize) -> Batch {
        let (table, buffer) = &mut self.buffers[i];
        let capacity = buffer.capacity();
        Batch {
            table: *table,
            values: std::mem::replace(buffer, Vec::with_capacity(capacity)),
        }
    }
}

impl BulkLoader {
    /// Takes the write connection, tunes it for the load, opens the transaction and drops
    /// the secondary indexes of [`LOADED_TABLES`] inside it.
    pub async fn begin(db: &Db) -> StoreResult<BulkLoader> {
        let mut conn = db.write().acquire().await?;
        let left_wal = match db.backend() {
            Backend::Sqlite => LoadTuning::leave_wal(db, &mut conn).await?,
            Backend::Postgres => false,
        };
        let tuning = LoadTuning::during(db.backend());
        if !tuning.is_empty() {
            sqlx::raw_sql(tuning).execute(&mut *conn).await?;
        }
        sqlx::raw_sql("BEGIN").execute(&mut *conn).await?;
        let mut loader = BulkLoader {
            db: db.clone(),
            conn,
            buffers: HashMap::new(),
            statements: HashMap::new(),
            suspended_indexes: Vec::new(),
            rows_written: 0,
            open: true,
            left_wal,
        };
        loader.suspend_indexes().await?;
        Ok(loader)
    }

    /// The definitions of the secondary indexes on the loaded tables, then drops them.
    async fn suspend_indexes(&mut self) -> StoreResult<()> {
        let list = LOADED_TABLES
            .iter()
            .map(|t| format!("'{t}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = match self.db.backend() {
            // Indexes behind UNIQUE and PRIMARY KEY constraints have no SQL text.
            Backend::Sqlite => format!(
                "SELECT name, sql AS def FROM sqlite_master WHERE type = 'index' \
                 AND sql IS NOT NULL AND tbl_name IN ({list}) ORDER BY name"
            ),
            Backend::Postgres => format!(
                "SELECT CAST(i.indexname AS TEXT) AS name, CAST(i.indexdef AS TEXT) AS def FROM pg_indexes i \
                 WHERE i.schemaname = current_schema() AND i.tablename IN ({list}) \
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname) \
                 ORDER BY i.indexname"
            ),
        };
        let rows = sqlx::query(&sql).fetch_all(&mut *self.conn).await?;
        for r in rows {
            let name: String = r.try_get("name")?;
            let def: String = r.try_get("def")?;
            sqlx::raw_sql(&format!("DROP INDEX {name}"))
                .execute(&mut *self.conn)
                .await?;
            self.suspended_indexes.push(def);
        }
        Ok(())
    }

    /// How many rows of `table` one statement writes. A caller whose rows reference each
    /// other pushes parents in multiples of this (or flushes them) before the children, so
    /// that every foreign key finds its row.
    pub fn rows_per_statement(table: Table) -> usize {
        (PARAMS_PER_STATEMENT / table.columns.len()).max(1)
    }

    /// Buffers one row for `table`; writes a full batch when one is ready.
    pub async fn push(
        &mut self,
        table: Table,
        row: impl IntoIterator<Item = Value>,
    ) -> StoreResult<()> {
        let per_statement = Self::rows_per_statement(table);
        let (_, buffer) = self
            .buffers
            .entry(table.name)
            .or_insert_with(|| (table, Vec::with_capacity(PARAMS_PER_STATEMENT)));
        let before = buffer.len();
        buffer.extend(row);
        debug_assert_eq!(buffer.len() - before, table.columns.len(), "{}", table.name);
        if buffer.len() >= per_statement * table.columns.len() {
            self.flush(table.name).await?;
        }
        Ok(())
    }

    /// Writes what is buffered for `table`.
    pub async fn flush(&mut self, table: &'static str) -> StoreResult<()> {
        let Some((spec, values)) = self.buffers.get_mut(table) else {
            return Ok(());
        };
        if values.is_empty() {
            return Ok(());
        }
        let spec = *spec;
        let values = std::mem::replace(values, Vec::with_capacity(PARAMS_PER_STATEMENT));
        self.write_rows(spec, values).await
    }

    /// Writes whole rows of `table` given as one flat list of values, at most
    /// [`rows_per_statement`](Self::rows_per_statement) rows (a [`Batch`]).
    pub async fn write_rows(&mut self, spec: Table, values: Vec<Value>) -> StoreResult<()> {
        if values.is_empty() {
            return Ok(());
        }
        debug_assert_eq!(values.len() % spec.columns.len(), 0, "{}", spec.name);
        let rows = values.len() / spec.columns.len();
        let sql = self
            .statements
            .entry((spec.name, rows))
            .or_insert_with(|| insert_sql(&self.db, spec, rows))
            .clone();
        let mut q = sqlx::query(&sql);
        for v in values {
            q = match v {
                Value::Int(i) => q.bind(i),
                Value::Text(t) => q.bind(t),
                Value::NullInt => q.bind(None::<i64>),
                Value::NullText => q.bind(None::<String>),
            };
        }
        q.execute(&mut *self.conn).await?;
        self.rows_written += rows as u64;
        Ok(())
    }

    /// Writes every buffer (tables in the order given, for foreign keys).
    pub async fn flush_all(&mut self, order: &[&'static str]) -> StoreResult<()> {
        for t in order {
            self.flush(t).await?;
        }
        Ok(())
    }

    pub fn rows_written(&self) -> u64 {
        self.rows_written
    }

    /// Runs one statement inside the load's transaction (rollup rebuilds, audit records).
    pub async fn execute(&mut self, sql: &str) -> StoreResult<()> {
        sqlx::raw_sql(sql).execute(&mut *self.conn).await?;
        Ok(())
    }

    /// Rebuilds the suspended indexes, moves PostgreSQL's identity sequences past the ids
    /// the load gave explicitly, commits, and refreshes the planner's statistics.
    pub async fn finish(mut self, order: &[&'static str]) -> StoreResult<u64> {
        self.flush_all(order).await?;
        for def in std::mem::take(&mut self.suspended_indexes) {
            sqlx::raw_sql(&def).execute(&mut *self.conn).await?;
        }
        if self.db.backend() == Backend::Postgres {
            // SQLite's AUTOINCREMENT follows explicit ids by itself; PostgreSQL's identity
            // sequences do not.
            for t in LOADED_TABLES.iter().filter(|t| **t != "member_name_keys") {
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{t}', 'id'), \
                     (SELECT COALESCE(MAX(id), 0) + 1 FROM {t}), false) \
                     WHERE pg_get_serial_sequence('{t}', 'id') IS NOT NULL"
                );
                sqlx::raw_sql(&sql).execute(&mut *self.conn).await?;
            }
        }
        sqlx::raw_sql("COMMIT").execute(&mut *self.conn).await?;
        self.open = false;
        if self.left_wal {
            LoadTuning::back_to_wal(&mut self.conn).await?;
        }
        let after = LoadTuning::after(self.db.backend());
        if !after.is_empty() {
            sqlx::raw_sql(after).execute(&mut *self.conn).await?;
        }
        let analyze = match self.db.backend() {
            // A bounded sample per index keeps ANALYZE quick on a multi-gigabyte file.
            Backend::Sqlite => "PRAGMA analysis_limit=1000; ANALYZE",
            Backend::Postgres => "ANALYZE",
        };
        sqlx::raw_sql(analyze).execute(&mut *self.conn).await?;
        Ok(self.rows_written)
    }

    /// Abandons the load: rolls the transaction back (indexes included) and restores the
    /// connection settings.
    pub async fn abort(mut self) -> StoreResult<()> {
        sqlx::raw_sql("ROLLBACK").execute(&mut *self.conn).await?;
        self.open = false;
        if self.left_wal {
            LoadTuning::back_to_wal(&mut self.conn).await?;
        }
        let after = LoadTuning::after(self.db.backend());
        if !after.is_empty() {
            sqlx::raw_sql(after).execute(&mut *self.conn).await?;
        }
        Ok(())
    }
}

impl Drop for BulkLoader {
    /// A loader dropped in the middle of a load (an error, a cancelled task) must not hand
    /// a connection with an open transaction back to the pool: close it, which rolls back.
    fn drop(&mut self) {
        if self.open {
            self.conn.close_on_drop();
        }
    }
}

fn insert_sql(db: &Db, table: Table, rows: usize) -> String {
    let one = format!("({})", vec!["?"; table.columns.len()].join(", "));
    let mut sql = String::with_capacity(64 + rows * (one.len() + 2));
    sql.push_str("INSERT INTO ");
    sql.push_str(table.name);
    sql.push_str(" (");
    sql.push_str(&table.columns.join(", "));
    sql.push_str(") VALUES ");
    for i in 0..rows {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&one);
    }
    db.sql(&sql).into_owned()
}
