//! One module per subcommand.

pub mod bench;
pub mod demo;
pub mod documents;
pub mod export;
pub mod generate;
pub mod import;
pub mod lifecycle;
pub mod meetings;
pub mod migrate;
pub mod report;
pub mod serve;
pub mod user;
pub mod warm;

use grassroots_storage::Store;

use crate::config::Config;

/// Opens the configured database, applying pending migrations.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    Ok(Store::open(&config.database_url).await?)
}
