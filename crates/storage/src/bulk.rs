//! Fast bulk writes for loading large data sets (the synthetic nation) through `sqlx`, on
//! either backend; SQLite files take the native path of [`crate::bulk_sqlite`] instead.
//!
//! Rows come as [`Batch`]es and are written as multi-row `INSERT`s of a fixed shape, so each
//! shape is prepared once per connection and reused. The whole load is one transaction: a
//! failure leaves the database as it was. The secondary indexes of the loaded tables are
//! dropped inside that transaction and rebuilt at the end, because building an index once
//! from sorted data is far cheaper than keeping it ordered through millions of inserts.

use std::collections::HashMap;

use sqlx::pool::PoolConnection;
use sqlx::{Any, Row};

pub use crate::batch::{Batch, RowBuffers, Table, Value};
use crate::{Backend, Db, StoreResult};

/// Bound parameters per statement: below SQLite's 32,766 and PostgreSQL's 65,535, and large
/// enough that the per-statement cost disappears. Batches are made this size.
pub const PARAMS_PER_STATEMENT: usize = 8_000;

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
    "dues_incomes",
    "dues_payments",
];

/// Per-connection settings for the duration of a load, and the values to restore after.
#[derive(Debug, Clone, Copy)]
struct LoadTuning;

impl LoadTuning {
    /// SQLite: switches the file from WAL to a rollback journal for the load, when this is
    /// the only connection on it (the read pool's idle connections are closed first); see
    /// [`crate::bulk_sqlite`] for why. Returns whether the switch happened; when another
    /// process holds the file, the load simply runs in WAL mode.
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

/// Writes many batches to many tables in one transaction. Create it with
/// [`BulkLoader::begin`], [`write`](BulkLoader::write) batches (parents before the rows that
/// refer to them), and [`finish`](BulkLoader::finish); dropping it without finishing rolls
/// everything back.
#[derive(Debug)]
pub struct BulkLoader {
    db: Db,
    conn: PoolConnection<Any>,
    statements: HashMap<(&'static str, usize), String>,
    suspended_indexes: Vec<String>,
    rows_written: u64,
    /// Whether the load's transaction is still open.
    open: bool,
    /// Whether the SQLite file left WAL mode for the load (and goes back at the end).
    left_wal: bool,
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

    /// Writes the rows of `batch`, at most [`PARAMS_PER_STATEMENT`] values per statement.
    pub async fn write(&mut self, batch: &Batch) -> StoreResult<()> {
        let spec = batch.table;
        let width = spec.columns.len().max(1);
        let per_statement = (PARAMS_PER_STATEMENT / width).max(1);
        let rows = batch.rows();
        let mut values = batch.values();
        let mut done = 0;
        while done < rows {
            let n = per_statement.min(rows - done);
            let sql = self
                .statements
                .entry((spec.name, n))
                .or_insert_with(|| insert_sql(&self.db, spec, n))
                .clone();
            let mut q = sqlx::query(&sql);
            for v in values.by_ref().take(n * width) {
                q = match v {
                    Value::Int(i) => q.bind(i),
                    Value::Text(t) => q.bind(t),
                    Value::NullInt => q.bind(None::<i64>),
                    Value::NullText => q.bind(None::<String>),
                };
            }
            q.execute(&mut *self.conn).await?;
            done += n;
        }
        self.rows_written += rows as u64;
        Ok(())
    }

    pub fn rows_written(&self) -> u64 {
        self.rows_written
    }

    /// Runs one statement inside the load's transaction.
    pub async fn execute(&mut self, sql: &str) -> StoreResult<()> {
        sqlx::raw_sql(sql).execute(&mut *self.conn).await?;
        Ok(())
    }

    /// Rebuilds the suspended indexes, moves PostgreSQL's identity sequences past the ids
    /// the load gave explicitly, commits, and refreshes the planner's statistics.
    pub async fn finish(mut self) -> StoreResult<u64> {
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
