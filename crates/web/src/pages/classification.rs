//! The annual review page of an organization: for a year, its members (a grassroots
//! organization or a cell) or the organizations under it (a committee), each with its
//! current classification and a small form to record or correct one — made for a cell
//! secretary entering the committee's decisions on a phone.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use grassroots_domain::DomainError;
use grassroots_domain::classification::{Level, SubjectKind};
use grassroots_domain::figures::FigureValue;
use grassroots_domain::org::OrgKind;
use grassroots_reports::format;
use minijinja::context;
use serde::Serialize;

use super::{FormData, opt, opt_date, req, req_int, see_other, today};
use crate::AppState;
use crate::access::{Access, Ctx};
use crate::api::classification::{ClassifyBody, YearQuery, record, year_of};
use crate::error::AppResult;
use crate::render;

/// A level with its share of those classified, for the summary line.
#[derive(Debug, Serialize)]
struct Share {
    level: &'static str,
    n: i64,
}

fn shares(tally: &grassroots_domain::classification::Tally) -> Vec<Share> {
    Level::ALL
        .iter()
        .map(|l| Share {
            level: l.as_str(),
            n: tally.get(*l),
        })
        .collect()
}

pub async fn review_page(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    use grassroots_storage::classification::ClassificationReader;
    let year = year_of(&q);
    let review = app.store.annual_review(&access.scope, id, year).await?;
    // Members are classified by their grassroots organization: a cell's page sends the
    // decisions of the committee above it; organizations by the page's committee.
    let member_decider = match (review.org.kind, review.org.parent_id) {
        (OrgKind::Cell, Some(parent)) => parent,
        _ => review.org.id,
    };
    let decided_on = {
        let end = chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_else(today);
        end.min(today())
    };
    let html = render::page(
        &app,
        &ctx,
        "review.html",
        context! {
            org => &review.org,
            year,
            points => review.scheme == "points",
            source => &review.source,
            quota => review.excellent_max_percent_of_good,
            members => &review.members,
            orgs => &review.orgs,
            member_shares => shares(&review.member_tally),
            member_total => review.member_tally.total(),
            member_rate => percent(review.member_tally.good_or_better_rate()),
            org_shares => shares(&review.org_tally),
            org_total => review.org_tally.total(),
            org_rate => percent(review.org_tally.good_or_better_rate()),
            levels => Level::ALL.iter().map(|l| l.as_str()).collect::<Vec<_>>(),
            member_decider,
            decided_on => decided_on.to_string(),
        },
    )?;
    Ok(html.into_response())
}

/// The form of one row: records the decision and comes back to the row.
pub async fn classify(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let rec = format!("annual review of organization {id}");
    let kind_raw = req(&form, &rec, "subject_kind")?;
    let subject_kind = SubjectKind::parse(&kind_raw).ok_or_else(|| {
        DomainError::invalid(
            &rec,
            "subject_kind",
            format!("`{kind_raw}` is not member or org"),
        )
    })?;
    let level_raw = req(&form, &rec, "level")?;
    let level = Level::parse(&level_raw).ok_or_else(|| {
        DomainError::invalid(&rec, "level", format!("`{level_raw}` is not a level"))
    })?;
    let year = i32::try_from(req_int(&form, &rec, "year")?)
        .map_err(|_| DomainError::invalid(&rec, "year", "is not a year"))?;
    let points = match opt(&form, "points") {
        Some(raw) => Some(raw.parse::<u32>().map_err(|_| {
            DomainError::invalid(&rec, "points", "must be a whole number from 0 to 100")
        })?),
        None => None,
    };
    let supersedes = match opt(&form, "supersedes") {
        Some(_) => Some(req_int(&form, &rec, "supersedes")?),
        None => None,
    };
    let subject_id = req_int(&form, &rec, "subject_id")?;
    let body = ClassifyBody {
        subject_kind,
        subject_id,
        year,
        level,
        points,
        decided_on: opt_date(&form, &rec, "decided_on")?,
        decided_by: req_int(&form, &rec, "decided_by")?,
        supersedes,
        note: opt(&form, "note"),
    };
    record(&app, &access, body).await?;
    Ok(see_other(&format!(
        "/orgs/{id}/review?year={year}#{}-{subject_id}",
        subject_kind.as_str()
    )))
}

/// A share as the reports write it ("88,8%"), so the page and the printed report agree.
fn percent(rate: f64) -> String {
    format::value(FigureValue::Ratio(rate))
}
