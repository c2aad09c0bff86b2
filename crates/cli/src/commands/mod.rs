//! One module per subcommand.

pub mod bench;
pub mod generate;
pub mod migrate;
pub mod serve;

use grassroots_storage::Store;

use crate::config::Config;

/// Opens the configured database, applying pending migrations.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    Ok(Store::open(&config.database_url).await?)
}
