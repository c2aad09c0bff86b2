//! Sign-in, sign-out, the language switch, and the start page.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use grassroots_domain::access::Permission;
use grassroots_storage::accounts::{AccountReader, AccountWriter, User};
use minijinja::context;
use serde::Deserialize;

use super::{FormData, local_path, opt, see_other};
use crate::access::{Access, Ctx};
use crate::error::{AppError, AppResult};
use crate::{AppState, auth, i18n, render};

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn signin_form(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    let html = render::page(
        &app,
        &ctx,
        "signin.html",
        context! { next => local_path(q.next.as_deref()), username => "", error => None::<String>, demo => &app.settings.demo_accounts },
    )?;
    Ok(html.into_response())
}

/// A new session for `username`, or why not. Shared by the page and the API.
#[derive(Debug)]
pub enum SignIn {
    Ok {
        user: User,
        token: String,
        csrf: String,
    },
    Refused,
}

pub async fn sign_in(
    app: &AppState,
    ip: &str,
    username: &str,
    password: &str,
) -> AppResult<SignIn> {
    if let Err(minutes) = app.limiter.check(username, ip) {
        return Err(AppError::TooManyAttempts(minutes));
    }
    let found = match app.store.user_for_sign_in(username).await {
        Ok(found) => Some(found),
        Err(e)
            if matches!(
                e.domain(),
                Some(grassroots_domain::DomainError::NotFound { .. })
            ) =>
        {
            None
        }
        Err(e) => return Err(e.into()),
    };
    let ok = match &found {
        Some((user, hash)) => !user.disabled && auth::verify_password(password, hash),
        None => {
            // Spend the same time on unknown names, so timing does not reveal which exist.
            auth::verify_password(password, &app.dummy_hash);
            false
        }
    };
    let Some((user, _)) = found.filter(|_| ok) else {
        app.limiter.failed(username, ip);
        tracing::info!(username, ip, "sign-in refused");
        return Ok(SignIn::Refused);
    };
    app.limiter.succeeded(username, ip);
    let token = auth::random_token();
    let csrf = auth::random_token();
    let expires = (chrono::Utc::now() + chrono::Duration::hours(auth::SESSION_HOURS))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    app.store
        .create_session(&auth::token_hash(&token), user.id, &csrf, &expires)
        .await?;
    Ok(SignIn::Ok { user, token, csrf })
}

pub fn session_cookie(app: &AppState, token: &str) -> HeaderValue {
    let cookie = auth::set_cookie(
        auth::SESSION_COOKIE,
        token,
        Some(auth::SESSION_HOURS * 3600),
        app.settings.secure_cookies,
    );
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn clear_session_cookie(app: &AppState) -> HeaderValue {
    let cookie = auth::set_cookie(
        auth::SESSION_COOKIE,
        "",
        Some(0),
        app.settings.secure_cookies,
    );
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub async fn signin(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let username = opt(&form, "username").unwrap_or_default();
    let password = form.get("password").cloned().unwrap_or_default();
    let next = local_path(form.get("next").map(String::as_str));
    let outcome = match sign_in(&app, &ctx.ip, &username, &password).await {
        Ok(o) => o,
        Err(AppError::TooManyAttempts(minutes)) => {
            let error = app.i18n.text(
                ctx.lang,
                "signin-too-many",
                &[("minutes", (minutes as i64).into())],
            );
            return render::page_with_status(
                &app,
                &ctx,
                StatusCode::TOO_MANY_REQUESTS,
                "signin.html",
                context! { next, username, error, demo => &app.settings.demo_accounts },
            );
        }
        Err(e) => return Err(e),
    };
    match outcome {
        SignIn::Ok { token, .. } => {
            let mut response = see_other(&next);
            response
                .headers_mut()
                .append(header::SET_COOKIE, session_cookie(&app, &token));
            Ok(response)
        }
        SignIn::Refused => {
            let error = app.i18n.text(ctx.lang, "signin-failed", &[]);
            render::page_with_status(
                &app,
                &ctx,
                StatusCode::UNAUTHORIZED,
                "signin.html",
                context! { next, username, error, demo => &app.settings.demo_accounts },
            )
        }
    }
}

pub async fn signout(State(app): State<AppState>, access: Access) -> AppResult<Response> {
    app.store.end_session(&access.caller.token_hash).await?;
    let mut response = see_other("/signin");
    response
        .headers_mut()
        .append(header::SET_COOKIE, clear_session_cookie(&app));
    Ok(response)
}

/// Sets the language for this browser (cookie) and, when signed in, for the user.
pub async fn language(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let raw = opt(&form, "lang").unwrap_or_default();
    let lang = i18n::supported(&raw).ok_or_else(|| {
        AppError::from(grassroots_domain::DomainError::invalid(
            "language",
            "lang",
            format!("`{raw}` is not one of the supported languages"),
        ))
    })?;
    if let Some(caller) = &ctx.caller {
        app.store.set_language(caller.user.id, lang).await?;
    }
    let mut response = see_other(&local_path(form.get("next").map(String::as_str)));
    let cookie = auth::set_cookie(
        auth::LANGUAGE_COOKIE,
        lang,
        Some(365 * 24 * 3600),
        app.settings.secure_cookies,
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(response)
}

/// The start page: the dashboard, or a member's own record.
pub async fn home(access: Access) -> AppResult<Response> {
    let caller = &access.caller;
    if caller.can(Permission::ViewOrgs) {
        return Ok(see_other("/dashboard"));
    }
    if let (Some(id), true) = (caller.user.member_id, caller.can(Permission::ViewOwnRecord)) {
        return Ok(see_other(&format!("/members/{id}")));
    }
    Err(grassroots_domain::DomainError::Forbidden("the account holds no role".into()).into())
}
