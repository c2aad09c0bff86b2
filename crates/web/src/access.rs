//! Access control, in one place. Every route is declared in the table of [`crate::routes`]
//! with a [`Rule`]; the router, the OpenAPI document and the access-matrix test are all
//! built from that table. The [`guard`] middleware wrapped around each route resolves the
//! session, checks the rule, checks the CSRF token of every write, and hands the handler an
//! [`Access`] whose [`Scope`] every storage call takes.

use std::sync::Arc;

use axum::RequestPartsExt;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, RawPathParams, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodFilter, MethodRouter};
use grassroots_domain::DomainError;
use grassroots_domain::access::Permission;
use grassroots_storage::accounts::AccountReader;
use grassroots_storage::{Actor, Scope};

use crate::auth::{self, Caller};
use crate::error::{AppError, ErrorInfo};
use crate::{AppState, i18n};

/// What a route requires of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Anyone, signed in or not (sign-in, assets, the API description).
    Public,
    /// Any signed-in user, whatever their roles.
    SignedIn,
    /// A role granting this permission; the handler works in that role's subtree.
    Perm(Permission),
    /// One member's record (`{id}` in the path): anyone who may view members in their
    /// subtree, or a member looking at their own record.
    MemberRecord,
}

/// Whether a route answers with HTML pages, JSON, or a static file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Page,
    Api,
    Asset,
}

/// How the OpenAPI document describes an API route.
#[derive(Debug, Clone, Copy)]
pub struct ApiDoc {
    pub query: &'static [&'static str],
    /// Fields of the JSON body, with their OpenAPI types.
    pub body: &'static [(&'static str, &'static str)],
}

/// One route: the single source of the router, the API description and the access tests.
#[derive(Debug, Clone)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub rule: Rule,
    pub kind: Kind,
    pub summary: &'static str,
    pub doc: ApiDoc,
    pub handler: fn(MethodFilter) -> MethodRouter<AppState>,
}

/// The request context every handler may read: caller, language, CSRF token.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub caller: Option<Arc<Caller>>,
    pub lang: &'static str,
    /// The token forms must send back: the session's, or the visitor cookie's.
    pub csrf: String,
    /// This request's path and query, to come back to after a language switch.
    pub here: String,
    /// The client address, for the sign-in rate limit.
    pub ip: String,
}

/// Granted access to a route: who, and in which part of the tree.
#[derive(Debug, Clone)]
pub struct Access {
    pub caller: Arc<Caller>,
    pub scope: Scope,
}

impl Access {
    pub fn actor(&self) -> Actor {
        Actor::new(format!("user:{}", self.caller.user.username))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        parts.extensions.get::<Ctx>().cloned().ok_or_else(|| {
            AppError::internal(anyhow::anyhow!(
                "route {} is not wrapped by the access guard",
                parts.uri.path()
            ))
        })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Access {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        parts.extensions.get::<Access>().cloned().ok_or_else(|| {
            AppError::internal(anyhow::anyhow!(
                "route {} asks for a scope but its rule grants none",
                parts.uri.path()
            ))
        })
    }
}

/// Decides a rule for a caller. `own_id` is the `{id}` of a member-record route.
pub fn decide(
    rule: Rule,
    caller: Option<&Arc<Caller>>,
    own_id: Option<i64>,
) -> Result<Option<Access>, AppError> {
    let signed_in = || caller.cloned().ok_or(AppError::Unauthenticated);
    match rule {
        Rule::Public => Ok(None),
        Rule::SignedIn => {
            let caller = signed_in()?;
            let scope = caller
                .assignments
                .first()
                .map(|a| a.scope())
                .unwrap_or_else(|| Scope::subtree("/none/"));
            Ok(Some(Access { caller, scope }))
        }
        Rule::Perm(p) => {
            let caller = signed_in()?;
            let scope = caller.scope_for(p).ok_or_else(|| forbidden(p))?;
            Ok(Some(Access { caller, scope }))
        }
        Rule::MemberRecord => {
            let caller = signed_in()?;
            if let Some(scope) = caller.scope_for(Permission::ViewMembers) {
                return Ok(Some(Access { caller, scope }));
            }
            let scope = caller
                .scope_for(Permission::ViewOwnRecord)
                .ok_or_else(|| forbidden(Permission::ViewMembers))?;
            match (caller.user.member_id, own_id) {
                (Some(mine), Some(asked)) if mine == asked => Ok(Some(Access { caller, scope })),
                // Someone else's record is out of a member's scope: it does not exist for them.
                (_, asked) => Err(DomainError::not_found(
                    "member",
                    asked.map(|a| a.to_string()).unwrap_or_default(),
                )
                .into()),
            }
        }
    }
}

fn forbidden(p: Permission) -> AppError {
    DomainError::Forbidden(format!("your roles do not grant {}", p.as_str())).into()
}

async fn resolve_caller(app: &AppState, parts: &Parts) -> Result<Option<Arc<Caller>>, AppError> {
    // The API uses the same session cookie as the pages (no separate bearer tokens yet).
    let Some(token) = auth::cookie(&parts.headers, auth::SESSION_COOKIE) else {
        return Ok(None);
    };
    let hash = auth::token_hash(&token);
    let now = grassroots_storage::audit::now();
    if let Some(caller) = app.sessions.get(&hash, &now) {
        return Ok(Some(caller));
    }
    let generation = app.sessions.generation();
    let Some(session) = app.store.session(&hash, &now).await? else {
        return Ok(None);
    };
    let assignments = app.store.assignments(session.user.id).await?;
    let caller = Arc::new(Caller {
        user: session.user,
        csrf: session.csrf_token,
        token_hash: hash,
        assignments,
    });
    app.sessions
        .keep(generation, session.expires_at, Arc::clone(&caller));
    Ok(Some(caller))
}

/// Routes whose writes change no account, role or organization, so they leave the
/// session cache as it is: a member's own check-in (API and page).
const KEEPS_SESSIONS: &[&str] = &["/api/v1/meetings/{id}/check-in", "/check-in"];

fn language(app: &AppState, parts: &Parts, caller: Option<&Arc<Caller>>) -> &'static str {
    auth::cookie(&parts.headers, auth::LANGUAGE_COOKIE)
        .and_then(|c| i18n::supported(&c))
        .or_else(|| caller.and_then(|c| i18n::supported(&c.user.language)))
        .or_else(|| {
            parts
                .headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(i18n::from_accept_language)
        })
        .or_else(|| i18n::supported(&app.settings.default_language))
        .unwrap_or("vi")
}

/// The CSRF token sent with a write: the `x-csrf-token` header, or the `csrf` field of an
/// url-encoded form (whose body is read here and handed on unchanged).
async fn sent_csrf(parts: &Parts, body: Body) -> Result<(Option<String>, Body), AppError> {
    if let Some(h) = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return Ok((Some(h.to_owned()), body));
    }
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((None, body));
    }
    let bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .map_err(|e| AppError::BadRequest(format!("reading the form: {e}")))?;
    let token = String::from_utf8_lossy(&bytes)
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == "csrf")
        .map(|(_, v)| v.to_owned());
    Ok((token, Body::from(bytes)))
}

/// The middleware around every route of the table.
pub async fn guard(
    State((app, spec)): State<(AppState, &'static RouteSpec)>,
    req: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = req.into_parts();
    let caller = match resolve_caller(&app, &parts).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let lang = language(&app, &parts, caller.as_ref());
    let anon_cookie = auth::cookie(&parts.headers, auth::ANON_CSRF_COOKIE);
    let new_anon = caller.is_none() && anon_cookie.is_none();
    let csrf = match (&caller, anon_cookie) {
        (Some(c), _) => c.csrf.clone(),
        (None, Some(token)) => token,
        (None, None) => auth::random_token(),
    };
    let ip = parts
        .extensions
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "local".into());
    let ctx = Ctx {
        caller: caller.clone(),
        lang,
        csrf: csrf.clone(),
        here: parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into()),
        ip,
    };
    let own_id = match spec.rule {
        Rule::MemberRecord => parts.extract::<RawPathParams>().await.ok().and_then(|p| {
            p.iter()
                .find(|(k, _)| *k == "id")
                .and_then(|(_, v)| v.parse().ok())
        }),
        _ => None,
    };
    let outcome = async {
        let access = decide(spec.rule, caller.as_ref(), own_id)?;
        let body =
            if is_write(&parts.method) && !(spec.kind == Kind::Api && spec.rule == Rule::Public) {
                let (sent, body) = sent_csrf(&parts, body).await?;
                if !sent.is_some_and(|s| auth::same_secret(&s, &csrf)) {
                    return Err(AppError::BadCsrf);
                }
                body
            } else {
                body
            };
        Ok((access, body))
    }
    .await;
    let mut response = match outcome {
        Err(e) => e.into_response(),
        Ok((access, body)) => {
            parts.extensions.insert(ctx.clone());
            if let Some(a) = access {
                parts.extensions.insert(a);
            }
            let response = next.run(Request::from_parts(parts, body)).await;
            if is_write(&spec.method) && !KEEPS_SESSIONS.contains(&spec.path) {
                app.sessions.forget_all();
            }
            response
        }
    };
    if spec.kind == Kind::Page
        && let Some(info) = response.extensions().get::<ErrorInfo>().cloned()
    {
        response = if info.status == StatusCode::UNAUTHORIZED {
            let next = url_encode(&ctx.here);
            Redirect::to(&format!("/signin?next={next}")).into_response()
        } else {
            crate::render::error_page(&app, &ctx, &info)
        };
    }
    if new_anon {
        let cookie = auth::set_cookie(
            auth::ANON_CSRF_COOKIE,
            &csrf,
            None,
            app.settings.secure_cookies,
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Percent-encodes a path for a query parameter.
pub fn url_encode(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}
