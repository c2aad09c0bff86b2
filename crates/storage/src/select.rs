//! Statements that read many rows, past sqlx's `Any` driver.
//!
//! Through `Any`, a row costs several microseconds before the caller sees it: on SQLite each
//! row crosses from the connection's worker thread over a channel, and on both backends it is
//! converted into an `AnyRow` whose values are decoded once more by `try_get`. That is
//! invisible for a page of members and most of the time of a report built from the records
//! (about three million rows for the largest province at 10^6 members; SQLite itself finds
//! them in a tenth of that time). The reads of those reports go through [`Select`]:
//! - on SQLite, SQLite's own interface (`rusqlite`, the same bundled library as `sqlx`) on
//!   a blocking thread, with connections of its own to the file ([`NativeReaders`]);
//! - on PostgreSQL, sqlx's typed driver on a pool of its own.
//!
//! The SQL is the same `?`-placeholder SQL as everywhere else ([`Db::sql`]); only the driver
//! differs. The rows come back as [`Row`]s that the `row` helpers read like `AnyRow`s.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use sqlx::postgres::PgRow;
use sqlx::{Column, PgPool, Row as _, TypeInfo};
use tokio::sync::Semaphore;

use crate::db::Db;
use crate::{StoreError, StoreResult};

/// A bound parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Null,
    Int(i64),
    Text(String),
}

impl From<i64> for Param {
    fn from(v: i64) -> Self {
        Param::Int(v)
    }
}

impl From<&str> for Param {
    fn from(v: &str) -> Self {
        Param::Text(v.to_owned())
    }
}

impl From<String> for Param {
    fn from(v: String) -> Self {
        Param::Text(v)
    }
}

impl From<&String> for Param {
    fn from(v: &String) -> Self {
        Param::Text(v.clone())
    }
}

impl<T: Into<Param>> From<Option<T>> for Param {
    fn from(v: Option<T>) -> Self {
        v.map_or(Param::Null, Into::into)
    }
}

/// A value read.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

/// A row read by [`Select`]: its values and the statement's column names.
#[derive(Debug, Clone)]
pub struct Row {
    columns: Arc<[String]>,
    values: Box<[Value]>,
}

impl Row {
    /// The value of column `col`, or an error naming it when the statement has no such column.
    pub fn value(&self, col: &str) -> StoreResult<&Value> {
        self.columns
            .iter()
            .position(|c| c == col)
            .and_then(|i| self.values.get(i))
            .ok_or_else(|| StoreError::Corrupt(format!("no column {col} in the rows read")))
    }
}

/// A read statement: `?` placeholders, parameters bound in order.
#[derive(Debug)]
#[must_use = "a statement does nothing until fetched"]
pub struct Select<'d> {
    db: &'d Db,
    sql: String,
    params: Vec<Param>,
    planned_for_values: bool,
}

impl<'d> Select<'d> {
    pub(crate) fn new(db: &'d Db, sql: impl Into<String>) -> Select<'d> {
        Select {
            db,
            sql: sql.into(),
            params: Vec::new(),
            planned_for_values: false,
        }
    }

    /// On PostgreSQL, plans the statement for its values every time. A prepared statement
    /// gets one generic plan after five runs; for some reads (the meeting gathering's, by
    /// a subtree's paths and dates) that plan hashes every meeting of the years
    /// nation-wide where the plan for the actual values walks an index. Others (the
    /// ledger's, by member ids) are best planned once: replanning them cost a cold report
    /// a second of server time.
    pub fn planned_for_values(mut self) -> Self {
        self.planned_for_values = true;
        self
    }

    pub fn bind(mut self, param: impl Into<Param>) -> Self {
        self.params.push(param.into());
        self
    }

    /// Binds each of `params` in order (the ids of an `IN` list).
    pub fn bind_all<P: Into<Param>>(mut self, params: impl IntoIterator<Item = P>) -> Self {
        self.params.extend(params.into_iter().map(Into::into));
        self
    }

    pub async fn fetch_all(self) -> StoreResult<Vec<Row>> {
        let started = std::time::Instant::now();
        let rows = match (
            self.db.native_readers(),
            self.db.typed_postgres(self.planned_for_values),
        ) {
            (Some(readers), _) => readers.fetch_all(self.sql.clone(), self.params).await?,
            (None, Some(pool)) => {
                fetch_postgres(pool, &self.db.sql(&self.sql), &self.params).await?
            }
            (None, None) => {
                return Err(StoreError::Corrupt(
                    "no reader for this database".to_owned(),
                ));
            }
        };
        tracing::trace!(
            target: "grassroots::select",
            sql = %self.sql,
            rows = rows.len(),
            elapsed_secs = started.elapsed().as_secs_f64(),
            "select"
        );
        Ok(rows)
    }
}

/// SQLite connections of their own for [`Select`], opened on demand up to a bound and kept
/// between statements (with their prepared statements).
#[derive(Debug)]
pub struct NativeReaders {
    file: PathBuf,
    idle: Mutex<Vec<Connection>>,
    permits: Semaphore,
}

impl NativeReaders {
    pub(crate) fn new(file: &Path, connections: usize) -> NativeReaders {
        NativeReaders {
            file: file.to_owned(),
            idle: Mutex::new(Vec::new()),
            permits: Semaphore::new(connections),
        }
    }

    /// Closes the idle connections (so that a bulk load may be alone on the file).
    pub(crate) fn close_idle(&self) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.clear();
        }
    }

    async fn fetch_all(self: &Arc<Self>, sql: String, params: Vec<Param>) -> StoreResult<Vec<Row>> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| StoreError::Corrupt("the readers are closed".to_owned()))?;
        let readers = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let conn = readers.take()?;
            let rows = read_sqlite(&conn, &sql, &params);
            // A connection whose statement failed is still sound: it goes back all the same.
            if let Ok(mut idle) = readers.idle.lock() {
                idle.push(conn);
            }
            rows
        })
        .await
        .map_err(|e| StoreError::Corrupt(format!("a read stopped: {e}")))?
    }

    fn take(&self) -> StoreResult<Connection> {
        if let Some(conn) = self.idle.lock().ok().and_then(|mut idle| idle.pop()) {
            return Ok(conn);
        }
        let conn = Connection::open_with_flags(
            &self.file,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.set_prepared_statement_cache_capacity(64);
        conn.busy_timeout(Duration::from_secs(30))?;
        conn.execute_batch(
            "PRAGMA query_only=ON; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY",
        )?;
        Ok(conn)
    }
}

fn read_sqlite(conn: &Connection, sql: &str, params: &[Param]) -> StoreResult<Vec<Row>> {
    let mut stmt = conn.prepare_cached(sql)?;
    for (i, param) in params.iter().enumerate() {
        let at = i + 1;
        match param {
            Param::Null => stmt.raw_bind_parameter(at, rusqlite::types::Null)?,
            Param::Int(v) => stmt.raw_bind_parameter(at, v)?,
            Param::Text(v) => stmt.raw_bind_parameter(at, v.as_str())?,
        }
    }
    let columns: Arc<[String]> = stmt.column_names().iter().map(|c| c.to_string()).collect();
    let width = columns.len();
    let mut out = Vec::new();
    let mut rows = stmt.raw_query();
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(width);
        for i in 0..width {
            values.push(match row.get_ref(i)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(v) => Value::Int(v),
                ValueRef::Real(v) => Value::Real(v),
                ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(_) => {
                    return Err(StoreError::Corrupt(format!(
                        "column {}: a blob where a value was expected",
                        columns[i]
                    )));
                }
            });
        }
        out.push(Row {
            columns: Arc::clone(&columns),
            values: values.into_boxed_slice(),
        });
    }
    Ok(out)
}

async fn fetch_postgres(pool: &PgPool, sql: &str, params: &[Param]) -> StoreResult<Vec<Row>> {
    let mut q = sqlx::query(sql);
    for param in params {
        q = match param {
            Param::Null => q.bind(None::<String>),
            Param::Int(v) => q.bind(*v),
            Param::Text(v) => q.bind(v.as_str()),
        };
    }
    let pg_rows = q.fetch_all(pool).await?;
    let Some(first) = pg_rows.first() else {
        return Ok(Vec::new());
    };
    let columns: Arc<[String]> = first
        .columns()
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    let mut out = Vec::with_capacity(pg_rows.len());
    for row in &pg_rows {
        let mut values = Vec::with_capacity(columns.len());
        for (i, column) in row.columns().iter().enumerate() {
            values.push(postgres_value(
                row,
                i,
                column.type_info().name(),
                column.name(),
            )?);
        }
        out.push(Row {
            columns: Arc::clone(&columns),
            values: values.into_boxed_slice(),
        });
    }
    Ok(out)
}

fn postgres_value(row: &PgRow, i: usize, kind: &str, name: &str) -> StoreResult<Value> {
    fn or_null<T>(v: Option<T>, f: impl FnOnce(T) -> Value) -> Value {
        v.map_or(Value::Null, f)
    }
    Ok(match kind {
        "INT8" => or_null(row.try_get::<Option<i64>, _>(i)?, Value::Int),
        "INT4" => or_null(row.try_get::<Option<i32>, _>(i)?, |v| Value::Int(v.into())),
        "INT2" => or_null(row.try_get::<Option<i16>, _>(i)?, |v| Value::Int(v.into())),
        "BOOL" => or_null(row.try_get::<Option<bool>, _>(i)?, |v| Value::Int(v.into())),
        "FLOAT8" => or_null(row.try_get::<Option<f64>, _>(i)?, Value::Real),
        "FLOAT4" => or_null(row.try_get::<Option<f32>, _>(i)?, |v| Value::Real(v.into())),
        "TEXT" | "VARCHAR" | "BPCHAR" | "NAME" => {
            or_null(row.try_get::<Option<String>, _>(i)?, Value::Text)
        }
        "VOID" | "UNKNOWN" => Value::Null,
        other => {
            return Err(StoreError::Corrupt(format!(
                "column {name}: type {other} is not read here (cast it to BIGINT or TEXT)"
            )));
        }
    })
}
