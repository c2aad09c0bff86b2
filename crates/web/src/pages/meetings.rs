//! Meeting pages: a cell's calendar for a year, one meeting with the secretary's fast
//! attendance form (everyone present by default; untick the absentees) and its minutes, a
//! member's own check-in, and the figures and alerts of an organization's subtree.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use grassroots_domain::DomainError;
use grassroots_domain::access::Permission;
use grassroots_domain::meetings::{MeetingStatus, Period};
use grassroots_domain::rulebook::Rulebook;
use grassroots_storage::meetings::{MeetingFiguresReader, MeetingReader, MeetingWriter};
use grassroots_storage::members::{MemberQuery, MemberReader, MemberRow};
use grassroots_storage::orgs::Org;
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::{FormData, opt, req_int, see_other, today};
use crate::AppState;
use crate::access::{Access, Ctx};
use crate::api::meeting_oversight::committee_on;
use crate::api::meetings::{
    AbsenteeBody, PeriodQuery, YearQuery, absences, calendar_of, check_in_caller, period_of,
    schedule_year, view_of,
};
use crate::error::AppResult;
use crate::pages::meeting_oversight::superior_committees;
use crate::render;

/// One month of the calendar with its meetings.
#[derive(Debug, Serialize)]
struct Month {
    month: u32,
    meetings: Vec<grassroots_storage::meetings::Meeting>,
}

pub async fn calendar(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    let cal = calendar_of(&app, &access, id, q.year()).await?;
    let (committee, cell_members) = cell_committee_of(&app, &access, &cal.org).await?;
    let mut months: Vec<Month> = (1..=12)
        .map(|month| Month {
            month,
            meetings: Vec::new(),
        })
        .collect();
    for m in cal.meetings {
        let i = chrono::Datelike::month0(&m.date) as usize;
        if let Some(slot) = months.get_mut(i) {
            slot.meetings.push(m);
        }
    }
    let html = render::page(
        &app,
        &ctx,
        "meetings.html",
        context! {
            org => cal.org,
            year => cal.year,
            months,
            committee,
            cell_members,
            today => today().to_string(),
        },
    )?;
    Ok(html.into_response())
}

pub async fn schedule(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let rec = format!("schedule of organization {id}");
    let year = i32::try_from(req_int(&form, &rec, "year")?)
        .map_err(|_| DomainError::invalid(&rec, "year", "is not a year"))?;
    let day = match opt(&form, "day") {
        Some(raw) => Some(
            raw.parse::<u32>()
                .map_err(|_| DomainError::invalid(&rec, "day", "must be a day of the month"))?,
        ),
        None => None,
    };
    schedule_year(&app, &access, id, year, day).await?;
    Ok(see_other(&format!("/orgs/{id}/meetings?year={year}")))
}

pub async fn meeting_page(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let view = view_of(&app, &access, id).await?;
    let open = view.meeting.status != MeetingStatus::Cancelled
        && !view.meeting.attendance_recorded
        && view.meeting.date <= today();
    let checked_in: Vec<i64> = view.attendance.iter().map(|a| a.member_id).collect();
    let counts = view
        .attendance
        .iter()
        .fold(BTreeMap::<&str, i64>::new(), |mut acc, a| {
            *acc.entry(a.status.as_str()).or_default() += 1;
            acc
        });
    let superiors = superior_committees(&app, &access, &view.org).await;
    let quality_levels = Rulebook::in_force(view.meeting.date)?
        .meeting_quality
        .levels;
    let html = render::page(
        &app,
        &ctx,
        "meeting.html",
        context! {
            view,
            open,
            checked_in,
            counts,
            superiors,
            quality_levels,
            own_member_id => access.caller.user.member_id,
            today => today().to_string(),
        },
    )?;
    Ok(html.into_response())
}

/// A cell's committee in office today with its officers' names, and the cell's active
/// members to elect from; nothing for an organization that holds no members, or for a
/// caller who may not see members' names.
async fn cell_committee_of(
    app: &AppState,
    access: &Access,
    org: &Org,
) -> AppResult<(Option<CommitteeView>, Vec<MemberRow>)> {
    if !org.kind.holds_members() || !access.caller.can(Permission::ViewMembers) {
        return Ok((None, Vec::new()));
    }
    let members = app
        .store
        .list_members(
            &access.scope,
            &MemberQuery {
                org_id: Some(org.id),
                limit: 500,
                ..MemberQuery::default()
            },
        )
        .await?
        .rows;
    let name_of = |id: i64| {
        members
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.full_name.clone())
    };
    let committee = committee_on(app, access, org.id, None)
        .await?
        .map(|c| CommitteeView {
            secretary: name_of(c.secretary_member_id),
            deputy: c.deputy_member_id.and_then(name_of),
            committee: c,
        });
    Ok((committee, members))
}

/// A cell committee with its officers' names for the page.
#[derive(Debug, Serialize)]
struct CommitteeView {
    committee: grassroots_storage::meetings::CellCommittee,
    secretary: Option<String>,
    deputy: Option<String>,
}

/// The fast list from the form: each expected participant is present unless their
/// `present_<id>` box was unticked; then `status_<id>` and `reason_<id>` say how.
pub async fn attendance(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let participants = app.store.participants(&access.scope, id).await?;
    let list: Vec<AbsenteeBody> = participants
        .iter()
        .filter(|p| !form.contains_key(&format!("present_{}", p.member_id)))
        .map(|p| AbsenteeBody {
            member_id: p.member_id,
            status: opt(&form, &format!("status_{}", p.member_id))
                .unwrap_or_else(|| "absent_unexcused".into()),
            reason: opt(&form, &format!("reason_{}", p.member_id)),
        })
        .collect();
    let absent = absences(id, &list)?;
    app.store
        .record_attendance(&access.actor(), &access.scope, id, &absent)
        .await?;
    Ok(see_other(&format!("/meetings/{id}")))
}

pub async fn minutes(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let rec = format!("meeting {id}");
    let version = req_int(&form, &rec, "version")?;
    let resolutions = opt(&form, "resolutions")
        .map(|all| {
            all.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let content = grassroots_storage::meetings::MeetingContent {
        agenda: opt(&form, "agenda"),
        topic: opt(&form, "topic"),
        minutes: opt(&form, "minutes"),
        resolutions,
    };
    app.store
        .record_content(&access.actor(), &access.scope, id, version, content)
        .await?;
    Ok(see_other(&format!("/meetings/{id}")))
}

#[derive(Debug, Default, Deserialize)]
pub struct CheckInQuery {
    done: Option<i64>,
}

/// Today's meetings where the caller holds the check-in permission, to pick from.
pub async fn check_in_form(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Query(q): Query<CheckInQuery>,
) -> AppResult<Response> {
    let day = today();
    let period = Period::new(day, day)?;
    let mut meetings = Vec::new();
    for a in &access.caller.assignments {
        if let Some(org_id) = a.org_id
            && a.role
                .grants(grassroots_domain::access::Permission::CheckIn)
        {
            for m in app.store.meetings_of(&access.scope, org_id, period).await? {
                if m.status != MeetingStatus::Cancelled {
                    meetings
                        .push(context! { id => m.id, kind => m.kind, org => a.org_name.clone() });
                }
            }
        }
    }
    let html = render::page(
        &app,
        &ctx,
        "check_in.html",
        context! { meetings, done => q.done, today => day.to_string() },
    )?;
    Ok(html.into_response())
}

pub async fn check_in(
    State(app): State<AppState>,
    access: Access,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let rec = "check-in";
    let meeting_id = req_int(&form, rec, "meeting_id")?;
    let code =
        opt(&form, "code").ok_or_else(|| DomainError::invalid(rec, "code", "is required"))?;
    check_in_caller(&app, &access, meeting_id, &code).await?;
    Ok(see_other(&format!("/check-in?done={meeting_id}")))
}

/// A flagged member or cell, with the alert's evidence, for the alerts table.
#[derive(Debug, Serialize)]
struct AlertRow {
    rule: String,
    on: String,
    org_id: i64,
    org_name: String,
    member_id: Option<i64>,
    member_name: Option<String>,
    message: String,
    meetings: Vec<i64>,
    periods: Vec<String>,
}

pub async fn figures_page(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let period = period_of(&q)?;
    let figures = app.store.meeting_figures(&access.scope, id, period).await?;
    let alerts = app.store.meeting_alerts(&access.scope, id, period).await?;
    let org_names: BTreeMap<i64, String> = figures
        .cells
        .iter()
        .map(|c| (c.org_id, c.name.clone()))
        .collect();
    let mut names = BTreeMap::<i64, String>::new();
    let mut rows = Vec::new();
    for a in alerts {
        let member_name = match a.member_id {
            Some(m) => match names.get(&m) {
                Some(name) => Some(name.clone()),
                None => {
                    let name = app.store.member(&access.scope, m).await?.identity.full_name;
                    names.insert(m, name.clone());
                    Some(name)
                }
            },
            None => None,
        };
        rows.push(AlertRow {
            rule: a.rule.key().to_owned(),
            on: a.on.to_string(),
            org_id: a.org_id,
            org_name: org_names.get(&a.org_id).cloned().unwrap_or_default(),
            member_id: a.member_id,
            member_name,
            message: a.message,
            meetings: a.evidence.meeting_ids,
            periods: a.evidence.periods,
        });
    }
    let rate = figures
        .totals
        .attendance_rate()
        .map(|r| format!("{r:.1} %"))
        .unwrap_or_else(|| "–".into());
    let cell_rates: BTreeMap<i64, String> = figures
        .cells
        .iter()
        .map(|c| {
            (
                c.org_id,
                c.attendance_rate()
                    .map(|r| format!("{r:.1} %"))
                    .unwrap_or_else(|| "–".into()),
            )
        })
        .collect();
    let html = render::page(
        &app,
        &ctx,
        "meeting_figures.html",
        context! {
            figures,
            rate,
            cell_rates => cell_rates.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<BTreeMap<_, _>>(),
            alerts => rows,
            from => period.from.to_string(),
            to => period.to.to_string(),
        },
    )?;
    Ok(html.into_response())
}
