//! A member's lifecycle registers through the API: party cards (issue, loss or damage,
//! re-issue, the history kept), temporary transfers (start for 3-12 months or up to 24 for
//! training, early return; the stays of a subtree at home and at the host), and dues
//! exemptions and reductions. The pages' forms call the same functions.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use grassroots_domain::DomainError;
use grassroots_domain::date::{Date, parse_date};
use grassroots_domain::lifecycle::dues::{ExemptionReason, Relief, YearMonth};
use grassroots_storage::lifecycle::cards::PartyCard;
use grassroots_storage::lifecycle::dues::ReliefRecord;
use grassroots_storage::lifecycle::stays::{Stay, Stays};
use grassroots_storage::members::Member;
use serde::Deserialize;

use super::JsonBody;
use crate::AppState;
use crate::access::Access;
use crate::error::{AppError, AppResult};

fn today() -> Date {
    chrono::Local::now().date_naive()
}

/// A member's cards, oldest first, with the ended ones.
pub async fn cards(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<PartyCard>>> {
    Ok(Json(app.store.card_history(&access.scope, id).await?))
}

#[derive(Debug, Deserialize)]
pub struct CardBody {
    pub card_no: String,
    pub issued_on: Option<Date>,
}

pub async fn issue_card_for(
    app: &AppState,
    access: &Access,
    id: i64,
    b: &CardBody,
) -> AppResult<PartyCard> {
    Ok(app
        .store
        .issue_card(
            &access.actor(),
            &access.scope,
            id,
            &b.card_no,
            b.issued_on.unwrap_or_else(today),
        )
        .await?)
}

/// Issues a card number (a first card, or a re-issue after the old one ended).
pub async fn issue_card(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<CardBody>,
) -> AppResult<Response> {
    let card = issue_card_for(&app, &access, id, &b).await?;
    Ok((StatusCode::CREATED, Json(card)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct EndCardBody {
    /// `lost`, `damaged` or `revoked`.
    pub state: String,
    pub ended_on: Option<Date>,
    pub reason: Option<String>,
}

pub async fn end_card_for(
    app: &AppState,
    access: &Access,
    id: i64,
    b: &EndCardBody,
) -> AppResult<PartyCard> {
    Ok(app
        .store
        .end_card(
            &access.actor(),
            &access.scope,
            id,
            b.state.trim(),
            b.ended_on.unwrap_or_else(today),
            b.reason.as_deref().filter(|r| !r.trim().is_empty()),
        )
        .await?)
}

/// Reports the member's valid card lost or damaged (or revokes it); the number stays on
/// record and is never issued again.
pub async fn end_card(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<EndCardBody>,
) -> AppResult<Json<PartyCard>> {
    Ok(Json(end_card_for(&app, &access, id, &b).await?))
}

#[derive(Debug, Deserialize)]
pub struct StayBody {
    pub to_org: i64,
    pub from: Date,
    pub until: Date,
    #[serde(default)]
    pub training: bool,
}

pub async fn start_stay_for(
    app: &AppState,
    access: &Access,
    id: i64,
    b: &StayBody,
) -> AppResult<Member> {
    Ok(app
        .store
        .temporary_transfer(
            &access.actor(),
            &access.scope,
            id,
            b.to_org,
            b.from,
            b.until,
            b.training,
        )
        .await?)
}

/// Starts a temporary transfer: 3-12 months, or up to 24 for training.
pub async fn start_stay(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<StayBody>,
) -> AppResult<Response> {
    let member = start_stay_for(&app, &access, id, &b).await?;
    Ok((StatusCode::CREATED, Json(member)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ReturnBody {
    /// The host cell the member returns from.
    pub org_id: i64,
    pub returned_on: Option<Date>,
}

pub async fn end_stay_for(
    app: &AppState,
    access: &Access,
    id: i64,
    b: &ReturnBody,
) -> AppResult<Stay> {
    Ok(app
        .store
        .end_temporary_transfer(
            &access.actor(),
            &access.scope,
            id,
            b.org_id,
            b.returned_on.unwrap_or_else(today),
        )
        .await?)
}

/// The member returns home before the stay's planned end.
pub async fn end_stay(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<ReturnBody>,
) -> AppResult<Json<Stay>> {
    Ok(Json(end_stay_for(&app, &access, id, &b).await?))
}

#[derive(Debug, Default, Deserialize)]
pub struct StaysQuery {
    pub on: Option<String>,
}

/// The stays under way on a day: members of the subtree away, and members it hosts.
pub async fn stays(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<StaysQuery>,
) -> AppResult<Json<Stays>> {
    let on = match q.on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => parse_date("temporary transfers", "on", s)?,
        None => today(),
    };
    Ok(Json(
        app.store.temporary_stays(&access.scope, id, on).await?,
    ))
}

/// A member's exemptions and reductions.
pub async fn reliefs(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<ReliefRecord>>> {
    Ok(Json(app.store.dues_reliefs(&access.scope, id).await?))
}

#[derive(Debug, Deserialize)]
pub struct ReliefBody {
    /// First and last month covered, `YYYY-MM`.
    pub from: String,
    pub to: String,
    /// `party_age`, `poor_household` or `serious_illness` for an exemption; none for a
    /// reduction.
    pub exemption: Option<String>,
    /// The reduction in percent (100 for an exemption, which is the default then).
    pub percent: Option<u32>,
    pub document: String,
}

pub async fn grant_relief_for(
    app: &AppState,
    access: &Access,
    id: i64,
    b: &ReliefBody,
) -> AppResult<()> {
    let rec = format!("dues relief for member {id}");
    let exemption = match b.exemption.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(ExemptionReason::parse(raw).ok_or_else(|| {
            AppError::from(DomainError::invalid(
                &rec,
                "exemption",
                format!("`{raw}` is not one of party_age, poor_household, serious_illness"),
            ))
        })?),
    };
    let percent = match (b.percent, exemption) {
        (Some(p), _) => p,
        (None, Some(_)) => 100,
        (None, None) => {
            return Err(
                DomainError::invalid(&rec, "percent", "a reduction needs its percent").into(),
            );
        }
    };
    let relief = Relief {
        from: YearMonth::parse(&rec, "from", b.from.trim())?,
        to: YearMonth::parse(&rec, "to", b.to.trim())?,
        exemption,
        percent,
    };
    app.store
        .grant_dues_relief(&access.actor(), &access.scope, id, relief, &b.document)
        .await?;
    Ok(())
}

/// Grants an exemption or a reduction for a run of months.
pub async fn grant_relief(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<ReliefBody>,
) -> AppResult<Response> {
    grant_relief_for(&app, &access, id, &b).await?;
    let list = app.store.dues_reliefs(&access.scope, id).await?;
    Ok((StatusCode::CREATED, Json(list)).into_response())
}
