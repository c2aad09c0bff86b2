//! Organizations through the API.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use grassroots_domain::date::{Date, parse_date};
use grassroots_domain::org::OrgKind;
use grassroots_storage::browse;
use grassroots_storage::handovers::{HandedMember, Handover, HandoverMinutes};
use grassroots_storage::orgs::{NewOrg, Org, OrgReader, OrgVersion, OrgWriter, SplitPart};
use grassroots_storage::rollup::{self, SubtreeCounts};
use serde::Deserialize;

use super::JsonBody;
use crate::AppState;
use crate::access::Access;
use crate::error::AppResult;
use crate::pages::today;

#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    limit: Option<i64>,
}

/// Organizations matching `q`, or the top of the caller's tree without it.
pub async fn search(
    State(app): State<AppState>,
    access: Access,
    Query(q): Query<SearchQuery>,
) -> AppResult<Json<Vec<Org>>> {
    let found = match q.q.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(text) => {
            app.store
                .find_orgs(&access.scope, text, q.limit.unwrap_or(50).clamp(1, 500))
                .await?
        }
        None => browse::top_orgs(&app.store, &access.scope).await?,
    };
    Ok(Json(found))
}

pub async fn get(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Org>> {
    Ok(Json(app.store.org(&access.scope, id).await?))
}

pub async fn children(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<Org>>> {
    Ok(Json(app.store.children(&access.scope, id).await?))
}

#[derive(Debug, Deserialize)]
pub struct AsOfQuery {
    as_of: Option<String>,
}

pub async fn tree(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<AsOfQuery>,
) -> AppResult<Json<Vec<OrgVersion>>> {
    let day = match q.as_of.as_deref().filter(|s| !s.is_empty()) {
        Some(raw) => parse_date("tree", "as_of", raw)?,
        None => today(),
    };
    Ok(Json(app.store.tree_as_of(&access.scope, id, day).await?))
}

pub async fn history(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<OrgVersion>>> {
    Ok(Json(app.store.history(&access.scope, id).await?))
}

pub async fn counts(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<SubtreeCounts>> {
    // Reading the organization first applies the scope.
    app.store.org(&access.scope, id).await?;
    Ok(Json(rollup::subtree_counts(&app.store.db, id).await?))
}

pub async fn create(
    State(app): State<AppState>,
    access: Access,
    JsonBody(new): JsonBody<NewOrg>,
) -> AppResult<Response> {
    let org = app
        .store
        .create_org(&access.actor(), &access.scope, new)
        .await?;
    Ok((StatusCode::CREATED, Json(org)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct Rename {
    name: String,
    effective_on: Date,
    decision: Option<String>,
}

pub async fn rename(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(r): JsonBody<Rename>,
) -> AppResult<Json<Org>> {
    let org = app
        .store
        .rename_org(
            &access.actor(),
            &access.scope,
            id,
            &r.name,
            r.effective_on,
            r.decision.as_deref(),
        )
        .await?;
    Ok(Json(org))
}

#[derive(Debug, Deserialize)]
pub struct Move {
    parent_id: i64,
    effective_on: Date,
    decision: Option<String>,
    /// The handover minutes of the old parent handing the organization over, if any.
    handover: Option<HandoverMinutes>,
}

pub async fn move_org(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(m): JsonBody<Move>,
) -> AppResult<Json<Org>> {
    let org = app
        .store
        .move_org(
            &access.actor(),
            &access.scope,
            id,
            m.parent_id,
            m.effective_on,
            m.decision.as_deref(),
            m.handover.as_ref(),
        )
        .await?;
    Ok(Json(org))
}

#[derive(Debug, Deserialize)]
pub struct Merge {
    sources: Vec<i64>,
    effective_on: Date,
    decision: Option<String>,
    /// The handover minutes of the sources handing over to this organization, if any.
    handover: Option<HandoverMinutes>,
}

/// Merges the `sources` into the organization `{id}`.
pub async fn merge(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(m): JsonBody<Merge>,
) -> AppResult<Json<Org>> {
    let org = app
        .store
        .merge_orgs(
            &access.actor(),
            &access.scope,
            &m.sources,
            id,
            m.effective_on,
            m.decision.as_deref(),
            m.handover.as_ref(),
        )
        .await?;
    Ok(Json(org))
}

/// One new organization of a split, with the child organizations and members it takes.
#[derive(Debug, Deserialize)]
pub struct SplitPartBody {
    code: String,
    name: String,
    kind: OrgKind,
    parent_id: Option<i64>,
    #[serde(default)]
    child_org_ids: Vec<i64>,
    #[serde(default)]
    member_ids: Vec<i64>,
}

#[derive(Debug, Deserialize)]
pub struct Split {
    parts: Vec<SplitPartBody>,
    effective_on: Date,
    decision: Option<String>,
    /// The handover minutes of the old organization handing over to each part, if any.
    handover: Option<HandoverMinutes>,
}

/// Splits the organization `{id}` into new ones founded on the day of the split; every
/// child organization and member must go to a part, and the old one is dissolved.
pub async fn split(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<Split>,
) -> AppResult<Response> {
    let parts = b
        .parts
        .into_iter()
        .map(|p| SplitPart {
            org: NewOrg {
                code: p.code,
                name: p.name,
                kind: p.kind,
                parent_id: p.parent_id,
                founded_on: b.effective_on,
                decision: b.decision.clone(),
            },
            child_org_ids: p.child_org_ids,
            member_ids: p.member_ids,
        })
        .collect();
    let created = app
        .store
        .split_org(
            &access.actor(),
            &access.scope,
            id,
            parts,
            b.effective_on,
            b.decision.as_deref(),
            b.handover.as_ref(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct Dissolve {
    effective_on: Date,
    decision: Option<String>,
}

pub async fn dissolve(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(d): JsonBody<Dissolve>,
) -> AppResult<Json<Org>> {
    let org = app
        .store
        .dissolve_org(
            &access.actor(),
            &access.scope,
            id,
            d.effective_on,
            d.decision.as_deref(),
        )
        .await?;
    Ok(Json(org))
}

/// Every handover minutes the organization gave or received (block transfers).
pub async fn handovers(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<Handover>>> {
    Ok(Json(app.store.org_handovers(&access.scope, id).await?))
}

#[derive(Debug, serde::Serialize)]
pub struct HandoverWithMembers {
    #[serde(flatten)]
    pub handover: Handover,
    pub members: Vec<HandedMember>,
}

/// One handover minutes with the list of the members handed over.
pub async fn handover(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<HandoverWithMembers>> {
    let handover = app.store.handover(&access.scope, id).await?;
    let members = app.store.handover_members(&access.scope, id).await?;
    Ok(Json(HandoverWithMembers { handover, members }))
}
