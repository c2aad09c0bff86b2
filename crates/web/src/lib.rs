//! The web application: server-rendered pages and the JSON API under `/api/v1`.
//!
//! Every route is declared once in [`routes::ROUTES`] with the rule that guards it;
//! [`access::guard`] enforces the rules, and handlers receive the caller's scope from it.

pub mod access;
pub mod api;
pub mod auth;
pub mod demo;
pub mod error;
pub mod i18n;
pub mod openapi;
pub mod pages;
pub mod render;
pub mod routes;
pub mod session_cache;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::MethodFilter;
use grassroots_domain::DomainError;
use grassroots_storage::Store;
use grassroots_storage::accounts::AccountWriter;
use tower_http::trace::TraceLayer;

pub use demo::{DemoAccount, demo_accounts};

/// Settings the web layer takes from the configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    pub secure_cookies: bool,
    pub default_language: String,
    /// Accounts offered for one-click sign-in on the sign-in page (`serve --demo` only).
    pub demo_accounts: Vec<DemoAccount>,
}

#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Settings,
    pub i18n: Arc<i18n::I18n>,
    pub templates: Arc<minijinja::Environment<'static>>,
    pub limiter: Arc<auth::SignInLimiter>,
    /// A hash to verify against when the user name is unknown (same cost as a real one).
    pub dummy_hash: Arc<str>,
    /// Sessions resolved a moment ago (see `session_cache`).
    pub sessions: Arc<session_cache::SessionCache>,
}

impl AppState {
    pub fn new(store: Store, settings: Settings) -> anyhow::Result<AppState> {
        let i18n = Arc::new(i18n::I18n::load()?);
        let templates = Arc::new(render::environment(i18n.clone())?);
        Ok(AppState {
            store,
            settings,
            i18n,
            templates,
            limiter: Arc::new(auth::SignInLimiter::default()),
            dummy_hash: auth::hash_password(&auth::random_token())?.into(),
            sessions: Arc::default(),
        })
    }
}

async fn not_found() -> error::AppError {
    DomainError::not_found("page", "requested").into()
}

/// The whole application router, built from the route table; tests drive this same router.
pub fn router(state: AppState) -> Router {
    let mut router: Router<AppState> = Router::new();
    for spec in routes::ROUTES {
        let filter = match MethodFilter::try_from(spec.method.clone()) {
            Ok(f) => f,
            Err(e) => {
                tracing::error!(path = spec.path, error = %e, "route with an unsupported method left out");
                continue;
            }
        };
        let method_router = (spec.handler)(filter)
            .route_layer(from_fn_with_state((state.clone(), spec), access::guard));
        router = router.route(spec.path, method_router);
    }
    router
        .fallback(not_found)
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

pub async fn serve(store: Store, settings: Settings, listen: &str) -> anyhow::Result<()> {
    let state = AppState::new(store.clone(), settings)?;
    let app = router(state);
    // Expired sessions are useless; sweep them hourly.
    tokio::spawn(async move {
        loop {
            if let Err(e) = store
                .purge_sessions(&grassroots_storage::audit::now())
                .await
            {
                tracing::warn!(error = %e, "purging expired sessions failed");
            }
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    });
    let listener = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!(address = %listener.local_addr()?, "serving");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
