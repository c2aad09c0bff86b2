//! Members through the API.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use grassroots_domain::date::Date;
use grassroots_domain::member::{MemberIdentity, MemberStatus, MembershipKind};
use grassroots_storage::members::{Member, MemberPage, MemberReader, MemberWriter, NewMember};
use serde::Deserialize;
use serde_json::json;

use super::JsonBody;
use crate::AppState;
use crate::access::Access;
use crate::error::AppResult;
use crate::pages::members::{ListQuery, member_query};

/// A page of members; pass `next` back as `after` for the following page.
pub async fn list(
    State(app): State<AppState>,
    access: Access,
    Query(q): Query<ListQuery>,
) -> AppResult<Json<MemberPage>> {
    let query = member_query(&q, 50)?;
    Ok(Json(app.store.list_members(&access.scope, &query).await?))
}

/// A member with their status history and memberships.
pub async fn get(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<serde_json::Value>> {
    let member = app.store.member(&access.scope, id).await?;
    let statuses = app.store.status_history(&access.scope, id).await?;
    let memberships = app.store.memberships(&access.scope, id).await?;
    Ok(Json(
        json!({ "member": member, "statuses": statuses, "memberships": memberships }),
    ))
}

pub async fn create(
    State(app): State<AppState>,
    access: Access,
    JsonBody(new): JsonBody<NewMember>,
) -> AppResult<Response> {
    let m = app
        .store
        .create_member(&access.actor(), &access.scope, new)
        .await?;
    Ok((StatusCode::CREATED, Json(m)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct Update {
    /// The version the client read; a stale one is a conflict (409).
    version: i64,
    #[serde(flatten)]
    identity: MemberIdentity,
}

pub async fn update(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(u): JsonBody<Update>,
) -> AppResult<Json<Member>> {
    let m = app
        .store
        .update_identity(&access.actor(), &access.scope, id, u.version, u.identity)
        .await?;
    Ok(Json(m))
}

#[derive(Debug, Deserialize)]
pub struct StatusChange {
    status: MemberStatus,
    effective_on: Date,
    reason: Option<String>,
}

pub async fn change_status(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(s): JsonBody<StatusChange>,
) -> AppResult<Json<Member>> {
    let m = app
        .store
        .change_status(
            &access.actor(),
            &access.scope,
            id,
            s.status,
            s.effective_on,
            s.reason.as_deref(),
        )
        .await?;
    Ok(Json(m))
}

#[derive(Debug, Deserialize)]
pub struct Transfer {
    to_org: i64,
    kind: MembershipKind,
    effective_on: Date,
    until: Option<Date>,
}

pub async fn transfer(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(t): JsonBody<Transfer>,
) -> AppResult<Json<Member>> {
    let m = app
        .store
        .transfer_member(
            &access.actor(),
            &access.scope,
            id,
            grassroots_storage::members::Transfer {
                to_org: t.to_org,
                kind: t.kind,
                on: t.effective_on,
                until: t.until,
            },
        )
        .await?;
    Ok(Json(m))
}
