//! A member's lifecycle registers page (party cards, temporary stays, dues exemptions and
//! reductions) with its forms, and an organization's temporary transfers page (members away
//! and members hosted). The forms call the same functions as the API; a refused form shows
//! the page again with the reason.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use grassroots_domain::DomainError;
use grassroots_domain::access::Permission;
use grassroots_storage::lifecycle::cards::CARD_END_STATES;
use grassroots_storage::members::MemberReader;
use grassroots_storage::orgs::OrgReader;
use minijinja::context;

use super::orgs::form_errors;
use super::{FormData, opt, opt_date, req, req_date, req_int, see_other, today};
use crate::AppState;
use crate::access::{Access, Ctx};
use crate::api::registers::{
    CardBody, EndCardBody, ReliefBody, ReturnBody, StayBody, StaysQuery, end_card_for,
    end_stay_for, grant_relief_for, issue_card_for, start_stay_for,
};
use crate::error::{AppError, AppResult};
use crate::render;

async fn registers_view(
    app: &AppState,
    ctx: &Ctx,
    access: &Access,
    id: i64,
    status: StatusCode,
    alert: Option<String>,
) -> AppResult<Response> {
    let scope = &access.scope;
    let member = app.store.member(scope, id).await?;
    let cards = app.store.card_history(scope, id).await?;
    let stays = app.store.member_stays(scope, id).await?;
    let reliefs = app.store.dues_reliefs(scope, id).await?;
    let now = today();
    let html = render::page(
        app,
        ctx,
        "registers.html",
        context! {
            member, cards, stays, reliefs, alert,
            today => now.to_string(),
            end_states => CARD_END_STATES,
            has_valid_card => cards.iter().any(|c| c.state == "valid"),
            can_edit => access.caller.can(Permission::EditMembers),
            can_transfer => access.caller.can(Permission::TransferMembers),
        },
    )?;
    Ok((status, html).into_response())
}

/// `GET /members/{id}/registers`: cards, temporary stays and dues reliefs of a member.
pub async fn registers_page(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    registers_view(&app, &ctx, &access, id, StatusCode::OK, None).await
}

/// After a form: back to the page, or the page again with the reason of the refusal.
async fn after_form(
    app: &AppState,
    ctx: &Ctx,
    access: &Access,
    id: i64,
    result: AppResult<()>,
) -> AppResult<Response> {
    match result {
        Ok(()) => Ok(see_other(&format!("/members/{id}/registers"))),
        Err(err) => {
            // Out of scope stays not found, as on every other route.
            app.store.member(&access.scope, id).await?;
            let (status, _, alert) = form_errors(app, ctx, err, &[])?;
            registers_view(app, ctx, access, id, status, alert).await
        }
    }
}

fn record(id: i64) -> String {
    format!("member {id}")
}

/// `POST /members/{id}/cards`: issues a card number.
pub async fn issue_card(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let result = async {
        let body = CardBody {
            card_no: req(&form, &record(id), "card_no")?,
            issued_on: opt_date(&form, &record(id), "issued_on")?,
        };
        issue_card_for(&app, &access, id, &body).await.map(|_| ())
    }
    .await;
    after_form(&app, &ctx, &access, id, result).await
}

/// `POST /members/{id}/cards/end`: the valid card is lost, damaged or revoked.
pub async fn end_card(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let result = async {
        let body = EndCardBody {
            state: req(&form, &record(id), "state")?,
            ended_on: opt_date(&form, &record(id), "ended_on")?,
            reason: opt(&form, "reason"),
        };
        end_card_for(&app, &access, id, &body).await.map(|_| ())
    }
    .await;
    after_form(&app, &ctx, &access, id, result).await
}

/// `POST /members/{id}/temporary-transfers`: starts a temporary stay at another cell.
pub async fn start_stay(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let result = async {
        let rec = record(id);
        let body = StayBody {
            to_org: req_int(&form, &rec, "to_org")?,
            from: req_date(&form, &rec, "from")?,
            until: req_date(&form, &rec, "until")?,
            training: opt(&form, "training").is_some(),
        };
        start_stay_for(&app, &access, id, &body).await.map(|_| ())
    }
    .await;
    after_form(&app, &ctx, &access, id, result).await
}

/// `POST /members/{id}/temporary-transfers/end`: the member returns home early.
pub async fn end_stay(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let result = async {
        let rec = record(id);
        let body = ReturnBody {
            org_id: req_int(&form, &rec, "org_id")?,
            returned_on: opt_date(&form, &rec, "returned_on")?,
        };
        end_stay_for(&app, &access, id, &body).await.map(|_| ())
    }
    .await;
    after_form(&app, &ctx, &access, id, result).await
}

/// `POST /members/{id}/dues-reliefs`: grants an exemption or a reduction.
pub async fn grant_relief(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let result = async {
        let rec = format!("dues relief for member {id}");
        let percent = match opt(&form, "percent") {
            Some(raw) => Some(raw.parse::<u32>().map_err(|_| {
                AppError::from(DomainError::invalid(
                    &rec,
                    "percent",
                    "must be a whole number",
                ))
            })?),
            None => None,
        };
        let body = ReliefBody {
            from: req(&form, &rec, "from")?,
            to: req(&form, &rec, "to")?,
            exemption: opt(&form, "exemption"),
            percent,
            document: req(&form, &rec, "document")?,
        };
        grant_relief_for(&app, &access, id, &body).await
    }
    .await;
    after_form(&app, &ctx, &access, id, result).await
}

/// `GET /orgs/{id}/temporary-transfers`: the subtree's members away and members hosted.
pub async fn stays_page(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<StaysQuery>,
) -> AppResult<Response> {
    let org = app.store.org(&access.scope, id).await?;
    let on = match q.on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => grassroots_domain::date::parse_date("temporary transfers", "on", s)?,
        None => today(),
    };
    let stays = app.store.temporary_stays(&access.scope, id, on).await?;
    let html = render::page(
        &app,
        &ctx,
        "stays.html",
        context! { org, on => on.to_string(), stays },
    )?;
    Ok(html.into_response())
}
