//! The connection to the database and the few things that differ between backends.

use std::borrow::Cow;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Any, AnyPool, ConnectOptions, Executor, PgPool, Transaction};

use crate::select::{NativeReaders, Select};
use crate::{StoreError, StoreResult};

/// How many statements of [`Select`] run at once (as many as the `Any` read pool's).
const READERS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> StoreResult<Backend> {
        let scheme = url.split(':').next().unwrap_or_default();
        match scheme {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            other => Err(StoreError::Url(format!(
                "unsupported database URL scheme `{other}:`; this build supports \
                 `sqlite:` (embedded, for a ward or district) and `postgres:` (province, nation)"
            ))),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A pool for reads and a pool for writes. On SQLite the write pool has one connection, so
/// writers queue in the process instead of failing on the database lock; on PostgreSQL
/// both are the same pool.
#[derive(Debug, Clone)]
pub struct Db {
    backend: Backend,
    read: AnyPool,
    write: AnyPool,
    /// The file of a SQLite database (for the native bulk loader, `bulk_sqlite`).
    sqlite_file: Option<std::path::PathBuf>,
    /// The readers of [`Select`]: SQLite's own connections, or a typed PostgreSQL pool.
    native_readers: Option<Arc<NativeReaders>>,
    /// PostgreSQL: statements planned as PostgreSQL chooses, and statements planned for
    /// their values every time (`Select::planned_for_values`).
    typed_postgres: Option<[PgPool; 2]>,
    /// PostgreSQL: the connections of the group-commit writers ([`Db::begin_group_commit`]).
    group_commit: Option<AnyPool>,
}

impl Db {
    pub async fn connect(url: &str) -> StoreResult<Db> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        match backend {
            Backend::Sqlite => {
                let url = sqlite_url(url)?;
                let sqlite_file = url
                    .trim_start_matches("sqlite://")
                    .split('?')
                    .next()
                    .map(std::path::PathBuf::from);
                let read = sqlite_pool(&url, READERS as u32).await?;
                let write = sqlite_pool(&url, 1).await?;
                sqlx::raw_sql("PRAGMA journal_mode=WAL")
                    .execute(&write)
                    .await?;
                let native_readers = sqlite_file
                    .as_deref()
                    .map(|file| Arc::new(NativeReaders::new(file, READERS)));
                Ok(Db {
                    backend,
                    read,
                    write,
                    sqlite_file,
                    native_readers,
                    typed_postgres: None,
                    group_commit: None,
                })
            }
            Backend::Postgres => {
                let options = AnyConnectOptions::from_str(url)
                    .map_err(|e| StoreError::Url(e.to_string()))?
                    .log_statements(tracing::log::LevelFilter::Trace);
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(options)
                    .await?;
                let typed_options = PgConnectOptions::from_str(url)
                    .map_err(|e| StoreError::Url(e.to_string()))?
                    .log_statements(tracing::log::LevelFilter::Trace);
                let typed = || {
                    PgPoolOptions::new()
                        .max_connections(READERS as u32)
                        .acquire_timeout(Duration::from_secs(30))
                };
                let planned_for_values = typed()
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            conn.execute("SET plan_cache_mode = force_custom_plan")
                                .await?;
                            Ok(())
                        })
                    })
                    .connect_lazy_with(typed_options.clone());
                let typed_postgres = [typed().connect_lazy_with(typed_options), planned_for_values];
                let group_commit = AnyPoolOptions::new()
                    .max_connections(GROUP_COMMIT_WRITERS as u32)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_lazy_with(
                        AnyConnectOptions::from_str(&with_statement_cache(
                            url,
                            GROUP_COMMIT_STATEMENTS,
                        ))
                        .map_err(|e| StoreError::Url(e.to_string()))?
                        .log_statements(tracing::log::LevelFilter::Trace),
                    );
                Ok(Db {
                    backend,
                    read: pool.clone(),
                    write: pool,
                    sqlite_file: None,
                    native_readers: None,
                    typed_postgres: Some(typed_postgres),
                    group_commit: Some(group_commit),
                })
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The database file, on SQLite.
    pub fn sqlite_file(&self) -> Option<&std::path::Path> {
        self.sqlite_file.as_deref()
    }

    pub fn read(&self) -> &AnyPool {
        &self.read
    }

    /// A read of many rows (a report's figures counted from the records), past the `Any`
    /// driver: see [`crate::select`]. `sql` has `?` placeholders on both backends.
    pub fn select(&self, sql: impl Into<String>) -> Select<'_> {
        Select::new(self, sql)
    }

    pub(crate) fn native_readers(&self) -> Option<&Arc<NativeReaders>> {
        self.native_readers.as_ref()
    }

    pub(crate) fn typed_postgres(&self, planned_for_values: bool) -> Option<&PgPool> {
        self.typed_postgres
            .as_ref()
            .map(|[generic, custom]| if planned_for_values { custom } else { generic })
    }

    pub fn write(&self) -> &AnyPool {
        &self.write
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> StoreResult<Transaction<'static, Any>> {
        Ok(self.write.begin().await?)
    }

    /// Starts a write transaction of a group-commit writer (the check-in writers), which
    /// write batches of every size with statements shaped by the size. On PostgreSQL the
    /// writers have connections of their own that keep up to [`GROUP_COMMIT_STATEMENTS`]
    /// prepared: from the shared pool each batch met a connection that had not prepared its
    /// shapes yet (or had evicted them at the default 100), so most statements cost a second
    /// round trip to prepare. On SQLite it is the one write connection.
    pub async fn begin_group_commit(&self) -> StoreResult<Transaction<'static, Any>> {
        match &self.group_commit {
            Some(pool) => Ok(pool.begin().await?),
            None => self.begin().await,
        }
    }

    /// How many group-commit writers may write at once: one on SQLite (one writer),
    /// [`GROUP_COMMIT_WRITERS`] on PostgreSQL.
    pub fn group_commit_writers(&self) -> usize {
        if self.group_commit.is_some() {
            GROUP_COMMIT_WRITERS
        } else {
            1
        }
    }

    /// Starts a read-only transaction that sees one consistent state of the whole database
    /// (for an export that reads table after table while others write).
    pub async fn begin_snapshot(&self) -> StoreResult<Transaction<'static, Any>> {
        let mut tx = self.read.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::raw_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }

    /// After rows were written with explicit ids (a restore), makes the next generated id of
    /// each table follow its largest id. SQLite's AUTOINCREMENT keeps track by itself; a
    /// PostgreSQL identity column does not. The only backend-specific SQL of a restore.
    pub async fn reset_id_sequences(
        &self,
        tx: &mut Transaction<'static, Any>,
        tables: &[&str],
    ) -> StoreResult<()> {
        if self.backend != Backend::Postgres {
            return Ok(());
        }
        for table in tables {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'),                  COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            );
            sqlx::raw_sql(&sql).execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// Rewrites `?` placeholders as `$1, $2, …` for PostgreSQL; SQLite takes `?` as it is.
    pub fn sql<'q>(&self, sql: &'q str) -> Cow<'q, str> {
        match self.backend {
            Backend::Sqlite => Cow::Borrowed(sql),
            Backend::Postgres => Cow::Owned(numbered_placeholders(sql)),
        }
    }

    /// Closes the idle connections of the read pool (it opens new ones on demand). A bulk
    /// load on SQLite calls this so that its connection is the only one on the file and may
    /// leave WAL mode for the load; see `bulk::LoadTuning`.
    pub async fn close_idle_readers(&self) {
        if self.backend != Backend::Sqlite {
            return;
        }
        if let Some(readers) = &self.native_readers {
            readers.close_idle();
        }
        while let Some(conn) = self.read.try_acquire() {
            // A connection that fails to close cleanly is dropped all the same.
            let _ = conn.close().await;
        }
    }

    /// Closes every idle connection, readers and the writer (the pools open new ones on
    /// demand), so that a native bulk load (`bulk_sqlite`) is alone on a SQLite file.
    pub async fn close_idle_connections(&self) {
        self.close_idle_readers().await;
        if self.backend != Backend::Sqlite {
            return;
        }
        while let Some(conn) = self.write.try_acquire() {
            let _ = conn.close().await;
        }
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
        if let Some(readers) = &self.native_readers {
            readers.close_idle();
        }
        for pool in self.typed_postgres.iter().flatten() {
            pool.close().await;
        }
        if let Some(pool) = &self.group_commit {
            pool.close().await;
        }
    }
}

/// Statements the group-commit connection keeps prepared: the check-in batch's statements
/// in every batch size, with room to spare.
pub const GROUP_COMMIT_STATEMENTS: usize = 2_048;

/// Group-commit writers on PostgreSQL.
pub const GROUP_COMMIT_WRITERS: usize = 2;

/// `url` asking for a statement cache of `capacity`, unless it names one itself.
fn with_statement_cache(url: &str, capacity: usize) -> String {
    if url.contains("statement-cache-capacity=") {
        return url.to_owned();
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}statement-cache-capacity={capacity}")
}

/// Adds `mode=rwc` and creates the file's folder, so that a fresh data directory works.
fn sqlite_url(url: &str) -> StoreResult<String> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" {
        return Err(StoreError::Url(
            "an in-memory SQLite database cannot be shared by the read and write pools; \
             give a file path, such as sqlite:data/grassroots.db"
                .into(),
        ));
    }
    if let Some(dir) = std::path::Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Url(format!("cannot create {}: {e}", dir.display())))?;
    }
    let query = if query.contains("mode=") {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

async fn sqlite_pool(url: &str, connections: u32) -> StoreResult<AnyPool> {
    let options = AnyConnectOptions::from_str(url)
        .map_err(|e| StoreError::Url(e.to_string()))?
        .log_statements(tracing::log::LevelFilter::Trace);
    let pool = AnyPoolOptions::new()
        .max_connections(connections)
        .acquire_timeout(Duration::from_secs(60))
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                conn.execute(
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; \
                     PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY",
                )
                .await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    Ok(pool)
}

fn numbered_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    let mut in_string = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                in_string = !in_string;
                out.push(c);
            }
            '?' if !in_string => {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

/// `?, ?, ?` for an IN list of `n` values (rewritten for PostgreSQL by [`Db::sql`]).
pub(crate) fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_outside_strings() {
        assert_eq!(
            numbered_placeholders("SELECT '?' , a FROM t WHERE b = ? AND c = ?"),
            "SELECT '?' , a FROM t WHERE b = $1 AND c = $2"
        );
    }

    #[test]
    fn unknown_schemes_are_named() {
        let err = Backend::from_url("mysql://x").unwrap_err().to_string();
        assert!(err.contains("mysql:"), "{err}");
        assert_eq!(
            Backend::from_url("postgresql://h/db").unwrap(),
            Backend::Postgres
        );
    }

    #[test]
    fn sqlite_urls_get_create_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/g.db");
        let url = sqlite_url(&format!("sqlite:{}", path.display())).unwrap();
        assert!(url.ends_with("?mode=rwc"), "{url}");
        assert!(path.parent().unwrap().is_dir());
        assert!(sqlite_url("sqlite::memory:").is_err());
    }

    #[test]
    fn the_statement_cache_is_asked_for_unless_the_url_names_one() {
        assert_eq!(
            with_statement_cache("postgres://h/db", 7),
            "postgres://h/db?statement-cache-capacity=7"
        );
        assert_eq!(
            with_statement_cache("postgres://h/db?sslmode=disable", 7),
            "postgres://h/db?sslmode=disable&statement-cache-capacity=7"
        );
        assert_eq!(
            with_statement_cache("postgres://h/db?statement-cache-capacity=3", 7),
            "postgres://h/db?statement-cache-capacity=3"
        );
    }
}
