//! Sessions through the API: sign in with JSON, read who you are, sign out.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use grassroots_storage::accounts::AccountWriter;
use serde::Deserialize;
use serde_json::json;

use super::JsonBody;
use crate::AppState;
use crate::access::{Access, Ctx};
use crate::error::{AppError, AppResult};
use crate::pages::session::{SignIn, clear_session_cookie, session_cookie, sign_in};

#[derive(Debug, Deserialize)]
pub struct Credentials {
    username: String,
    password: String,
}

/// Signs in. Answers the CSRF token that every later write must send as `x-csrf-token`.
pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    JsonBody(c): JsonBody<Credentials>,
) -> AppResult<Response> {
    match sign_in(&app, &ctx.ip, &c.username, &c.password).await? {
        SignIn::Ok { user, token, csrf } => {
            let mut response =
                (StatusCode::OK, Json(json!({ "user": user, "csrf": csrf }))).into_response();
            response
                .headers_mut()
                .append(header::SET_COOKIE, session_cookie(&app, &token));
            Ok(response)
        }
        SignIn::Refused => Err(AppError::Unauthenticated),
    }
}

pub async fn delete(State(app): State<AppState>, access: Access) -> AppResult<Response> {
    app.store.end_session(&access.caller.token_hash).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, clear_session_cookie(&app));
    Ok(response)
}

pub async fn me(access: Access) -> AppResult<Json<serde_json::Value>> {
    let c = &access.caller;
    Ok(Json(json!({
        "user": c.user,
        "roles": c.assignments,
        "csrf": c.csrf,
    })))
}
