//! Storage for Grassroots: one codebase over SQLite (embedded) and PostgreSQL, chosen at run
//! time by the database URL.
//!
//! Queries are plain SQL in the subset both backends share, with `?` placeholders that
//! [`db::Db`] rewrites for PostgreSQL. The few places where the backends differ are named in
//! [`db::Backend`] and the migration tokens of [`migrate`].
//!
//! Every read takes a [`Scope`] (the caller's part of the tree) and every write an
//! [`Actor`] (who did it, for the audit log).

pub mod accounts;
pub mod as_of;
pub mod audit;
pub mod batch;
pub mod browse;
pub mod bulk;
pub mod bulk_sqlite;
pub mod changes;
pub mod classification;
pub mod db;
pub mod documents;
pub mod error;
pub mod handovers;
pub mod lifecycle;
pub mod meetings;
pub mod member_search;
pub mod members;
pub mod migrate;
pub mod movements;
pub mod orgs;
mod placed_members;
mod placed_tree;
pub mod registry_parts;
pub mod restore;
pub mod rollup;
mod row;
pub mod scope;
pub mod select;
#[cfg(feature = "testing")]
pub mod testing;

pub use db::{Backend, Db};
pub use error::{StoreError, StoreResult};
pub use scope::{Actor, Scope};

/// The store: every repository trait of this crate is implemented on it.
#[derive(Debug, Clone)]
pub struct Store {
    pub db: Db,
    /// Fast self check-in: the meetings' cached facts and the group-commit writer, shared by
    /// the store's clones (see `meetings::check_in`).
    pub(crate) check_ins: std::sync::Arc<meetings::check_in::CheckIns>,
}

impl Store {
    /// Connects to `url` and applies every pending migration.
    pub async fn open(url: &str) -> StoreResult<Store> {
        let db = Db::connect(url).await?;
        migrate::run(&db).await?;
        Ok(Store::on(db))
    }

    /// A store on an open (and migrated) database.
    pub fn on(db: Db) -> Store {
        Store {
            db,
            check_ins: std::sync::Arc::default(),
        }
    }
}
