//! A fresh, migrated database per test.
//!
//! With `GRASSROOTS_TEST_DATABASE_URL` set to a PostgreSQL server, each test gets a new
//! database on it; otherwise each test gets a new SQLite file in a temporary folder. The
//! test command runs the whole suite once each way.

use std::ops::Deref;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::{Store, StoreResult};

pub const TEST_DATABASE_ENV: &str = "GRASSROOTS_TEST_DATABASE_URL";

#[derive(Debug)]
pub struct TestStore {
    pub store: Store,
    /// The URL of the fresh database, for tests that open it again (the CLI, a server).
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl Deref for TestStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The URL of a new empty database (not yet migrated), and the folder to keep alive.
pub async fn fresh_url() -> StoreResult<(String, Option<tempfile::TempDir>)> {
    match std::env::var(TEST_DATABASE_ENV) {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!(
                "grassroots_test_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed),
                chrono::Utc::now().timestamp_micros() % 1_000_000
            );
            sqlx::any::install_default_drivers();
            let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url).await?;
            sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await?;
            <sqlx::AnyConnection as sqlx::Connection>::close(admin).await?;
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b)
                .unwrap_or(&admin_url);
            Ok((format!("{base}/{name}"), None))
        }
        _ => {
            let dir = tempfile::tempdir()
                .map_err(|e| crate::StoreError::Url(format!("temporary folder: {e}")))?;
            let url = format!("sqlite:{}", dir.path().join("test.db").display());
            Ok((url, Some(dir)))
        }
    }
}

/// A new, migrated, empty store.
pub async fn fresh_store() -> TestStore {
    let (url, dir) = fresh_url().await.expect("a fresh test database");
    let store = Store::open(&url)
        .await
        .expect("open and migrate the test database");
    TestStore {
        store,
        url,
        _dir: dir,
    }
}
