//! The forms of the meeting page and the cell's meeting calendar that are not attendance:
//! cancel a meeting, send an observer, evaluate a held meeting, record a cell committee.
//! Each posts to the same function as its API route, then returns to the page.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use grassroots_domain::tree_path;
use grassroots_storage::orgs::{Org, OrgReader};

use super::{FormData, opt, req, req_int, see_other};
use crate::AppState;
use crate::access::Access;
use crate::api::meeting_oversight::{
    CellCommitteeBody, EvaluationBody, ObserverBody, add_evaluation, add_observer,
    cancel_with_reason, elect,
};
use crate::error::AppResult;

/// The committees above `org` that the caller can see, nearest first: the ones that may
/// send observers to its meetings and evaluate them.
pub async fn superior_committees(app: &AppState, access: &Access, org: &Org) -> Vec<Org> {
    let mut out = Vec::new();
    for id in tree_path::ids(&org.path).into_iter().rev() {
        if id == org.id {
            continue;
        }
        // Committees outside the caller's subtree are not offered.
        if let Ok(o) = app.store.org(&access.scope, id).await
            && !o.kind.holds_members()
        {
            out.push(o);
        }
    }
    out
}

pub async fn cancel(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let reason = req(&form, &format!("meeting {id}"), "reason")?;
    cancel_with_reason(&app, &access, id, &reason).await?;
    Ok(see_other(&format!("/meetings/{id}")))
}

pub async fn observe(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let record = format!("meeting {id} observer");
    let body = ObserverBody {
        member_id: req_int(&form, &record, "member_id")?,
        committee_org_id: req_int(&form, &record, "committee_org_id")?,
        note: opt(&form, "note"),
    };
    add_observer(&app, &access, id, &body).await?;
    Ok(see_other(&format!("/meetings/{id}")))
}

pub async fn evaluate(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let record = format!("evaluation of meeting {id}");
    let body = EvaluationBody {
        evaluator_org_id: req_int(&form, &record, "evaluator_org_id")?,
        level: req(&form, &record, "level")?,
        notes: opt(&form, "notes"),
        evaluated_on: opt(&form, "evaluated_on"),
    };
    add_evaluation(&app, &access, id, body).await?;
    Ok(see_other(&format!("/meetings/{id}")))
}

pub async fn elect_cell_committee(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let record = format!("cell committee of organization {id}");
    let body = CellCommitteeBody {
        elected_on: req(&form, &record, "elected_on")?,
        secretary_member_id: req_int(&form, &record, "secretary_member_id")?,
        deputy_member_id: match opt(&form, "deputy_member_id") {
            Some(_) => Some(req_int(&form, &record, "deputy_member_id")?),
            None => None,
        },
        decision: opt(&form, "decision"),
    };
    let committee = elect(&app, &access, id, body).await?;
    Ok(see_other(&format!(
        "/orgs/{id}/meetings?year={}",
        chrono::Datelike::year(&committee.elected_on)
    )))
}
