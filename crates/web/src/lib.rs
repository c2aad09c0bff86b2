//! The web application: server-rendered pages and the JSON API under `/api/v1`.

use axum::Router;
use axum::routing::get;
use grassroots_storage::Store;

/// Settings the web layer takes from the configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    pub secure_cookies: bool,
    pub default_language: String,
}

#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Settings,
}

/// The whole application router; tests drive this same router.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .with_state(state)
}

pub async fn serve(store: Store, settings: Settings, listen: &str) -> anyhow::Result<()> {
    let app = router(AppState { store, settings });
    let listener = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!(address = %listener.local_addr()?, "serving");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
