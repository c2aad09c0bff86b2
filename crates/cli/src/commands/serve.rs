use crate::config::Config;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on (overrides the configuration).
    #[arg(long)]
    listen: Option<String>,
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let store = super::open_store(config).await?;
    let listen = args.listen.unwrap_or_else(|| config.listen.clone());
    let settings = grassroots_web::Settings {
        secure_cookies: config.secure_cookies,
        default_language: config.default_language.clone(),
    };
    grassroots_web::serve(store, settings, &listen).await
}
