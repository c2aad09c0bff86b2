use grassroots_storage::{Db, migrate};

use crate::config::Config;

pub async fn run(config: &Config) -> anyhow::Result<()> {
    let db = Db::connect(&config.database_url).await?;
    let applied = migrate::run(&db).await?;
    if applied.is_empty() {
        eprintln!("the database is up to date");
    }
    for name in applied {
        eprintln!("applied {name}");
    }
    Ok(())
}
