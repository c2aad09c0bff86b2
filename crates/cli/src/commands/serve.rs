use grassroots_storage::restore;

use crate::config::Config;

/// The database of `serve --demo` when none was set explicitly.
pub const DEMO_DATABASE_URL: &str = "sqlite:data/demo.db";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on (overrides the configuration).
    #[arg(long)]
    listen: Option<String>,
    /// Serve the La Gi demo: use sqlite:data/demo.db unless a database URL was set, and
    /// load the demo into it when it is empty.
    #[arg(long)]
    demo: bool,
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let mut config = config.clone();
    if args.demo && !config.database_url_explicit {
        config.database_url = DEMO_DATABASE_URL.into();
    }
    let store = super::open_store(&config).await?;
    if args.demo && restore::is_empty(&store.db).await? {
        super::demo::load(&store).await?;
    }
    // After the demo is loaded, so that `serve --demo` warms its reports too.
    crate::warming::spawn(
        store.clone(),
        config.report_warm_depth,
        config.report_warm_at,
    );
    let listen = args.listen.unwrap_or_else(|| config.listen.clone());
    let mut demo_accounts = Vec::new();
    if args.demo {
        for account in grassroots_web::demo_accounts(&store).await? {
            eprintln!(
                "demo account: {:<16} password {:<16} {} of {}",
                account.username,
                account.password,
                account.role.as_str(),
                account.org_code
            );
            demo_accounts.push(account);
        }
        eprintln!("open http://{listen}/ and sign in with one of the demo accounts");
    }
    let settings = grassroots_web::Settings {
        secure_cookies: config.secure_cookies,
        default_language: config.default_language.clone(),
        demo_accounts,
    };
    grassroots_web::serve(store, settings, &listen).await
}
