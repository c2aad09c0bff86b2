//! The member list, a member's profile, and the member forms.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use grassroots_domain::DomainError;
use grassroots_domain::access::Permission;
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus};
use grassroots_storage::audit;
use grassroots_storage::members::{Member, MemberQuery, MemberReader, MemberWriter, NewMember};
use grassroots_storage::orgs::OrgReader;
use minijinja::context;
use minijinja::value::Value;
use serde::Deserialize;

use super::orgs::form_errors;
use super::{FormData, opt, opt_date, req, req_date, req_int, see_other, today};
use crate::access::{Access, Ctx, url_encode};
use crate::error::{AppError, AppResult};
use crate::{AppState, render};

const PAGE_SIZE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub q: Option<String>,
    pub status: Option<String>,
    pub org: Option<String>,
    pub after: Option<String>,
    pub limit: Option<i64>,
}

/// Turns list parameters into a storage query, naming the parameter that is wrong.
pub fn member_query(q: &ListQuery, default_limit: i64) -> Result<MemberQuery, DomainError> {
    let status = q
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| {
            MemberStatus::parse(s).ok_or_else(|| {
                DomainError::invalid("member list", "status", format!("`{s}` is not a status"))
            })
        })
        .transpose()?;
    let org_id = q
        .org
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<i64>().map_err(|_| {
                DomainError::invalid("member list", "org", "must be an organization id")
            })
        })
        .transpose()?;
    Ok(MemberQuery {
        org_id,
        text: q.q.clone().filter(|t| !t.trim().is_empty()),
        status,
        include_inactive: false,
        after: q.after.clone().filter(|a| !a.is_empty()),
        limit: q.limit.unwrap_or(default_limit),
    })
}

pub async fn list(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let query = member_query(&q, PAGE_SIZE)?;
    let org = match query.org_id {
        Some(id) => Some(app.store.org(&access.scope, id).await?),
        None => None,
    };
    let page = app.store.list_members(&access.scope, &query).await?;
    let mut params = Vec::new();
    if let Some(t) = &query.text {
        params.push(format!("q={}", url_encode(t)));
    }
    if let Some(s) = query.status {
        params.push(format!("status={}", s.as_str()));
    }
    if let Some(o) = query.org_id {
        params.push(format!("org={o}"));
    }
    let first_url = format!("/members?{}", params.join("&"));
    let next_url = page
        .next
        .as_ref()
        .map(|n| format!("{first_url}&after={}", url_encode(n)));
    let statuses: Vec<&str> = MemberStatus::ALL.iter().map(|s| s.as_str()).collect();
    let html = render::page(
        &app,
        &ctx,
        "members.html",
        context! {
            rows => page.rows, org, statuses, first_url, next_url,
            q => query.text.clone().unwrap_or_default(),
            status => query.status.map(|s| s.as_str()).unwrap_or(""),
            after => query.after.is_some(),
        },
    )?;
    Ok(html.into_response())
}

pub async fn profile(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let scope = &access.scope;
    let member = app.store.member(scope, id).await?;
    let statuses = app.store.status_history(scope, id).await?;
    let memberships = app.store.memberships(scope, id).await?;
    let cell = match member.org_id {
        Some(o) => app.store.org(scope, o).await.ok(),
        None => None,
    };
    let audit = if access.caller.can(Permission::ViewAudit) {
        audit::list(&app.store.db, scope, Some(("member", &id.to_string())), 50).await?
    } else {
        Vec::new()
    };
    let next_statuses: Vec<&str> = MemberStatus::ALL
        .iter()
        .filter(|s| member.status.can_change_to(**s))
        .map(|s| s.as_str())
        .collect();
    let html = render::page(
        &app,
        &ctx,
        "member.html",
        context! {
            member => member_value(&member), statuses, memberships, cell, audit, next_statuses,
            today => today().to_string(),
        },
    )?;
    Ok(html.into_response())
}

/// A member flattened for templates (identity fields at the top level).
fn member_value(m: &Member) -> Value {
    Value::from_serialize(m)
}

/// Identity fields of the member forms, where errors are shown next to the field.
const MEMBER_FIELDS: &[&str] = &[
    "full_name",
    "birth_date",
    "gender",
    "ethnicity",
    "citizen_id",
    "party_card_no",
    "admitted_on",
    "official_on",
    "status",
    "status_since",
    "joined_on",
    "org_id",
];

fn parse_identity(form: &FormData, record: &str) -> Result<MemberIdentity, DomainError> {
    let gender_raw = req(form, record, "gender")?;
    Ok(MemberIdentity {
        full_name: req(form, record, "full_name")?,
        birth_date: req_date(form, record, "birth_date")?,
        gender: Gender::parse(&gender_raw).ok_or_else(|| {
            DomainError::invalid(record, "gender", format!("`{gender_raw}` is not a gender"))
        })?,
        ethnicity: req(form, record, "ethnicity")?,
        citizen_id: opt(form, "citizen_id"),
        party_card_no: opt(form, "party_card_no"),
        admitted_on: opt_date(form, record, "admitted_on")?,
        official_on: opt_date(form, record, "official_on")?,
    })
}

#[derive(Debug, Deserialize)]
pub struct NewQuery {
    org: Option<i64>,
}

pub async fn new_form(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Query(q): Query<NewQuery>,
) -> AppResult<Response> {
    let org_id = q.org.ok_or_else(|| {
        DomainError::invalid(
            "member",
            "org_id",
            "choose the cell first (open it and use “new member”)",
        )
    })?;
    let cell = app.store.org(&access.scope, org_id).await?;
    let day = today().to_string();
    let title = app.i18n.text(ctx.lang, "new-member-title", &[]);
    render::page_with_status(
        &app,
        &ctx,
        StatusCode::OK,
        "member_form.html",
        context! {
            mode => "create", action => "/members", title, cell,
            values => context! { org_id, gender => "male", ethnicity => "Kinh", status => "official", status_since => day.clone(), joined_on => day },
            errors => context! {}, alert => None::<String>, cancel => format!("/orgs/{org_id}"),
        },
    )
}

pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let record = format!("member {}", opt(&form, "full_name").unwrap_or_default());
    let parsed = (|| -> Result<NewMember, DomainError> {
        let status_raw = req(&form, &record, "status")?;
        Ok(NewMember {
            identity: parse_identity(&form, &record)?,
            org_id: req_int(&form, &record, "org_id")?,
            status: MemberStatus::parse(&status_raw).ok_or_else(|| {
                DomainError::invalid(&record, "status", format!("`{status_raw}` is not a status"))
            })?,
            status_since: req_date(&form, &record, "status_since")?,
            joined_on: req_date(&form, &record, "joined_on")?,
        })
    })();
    let result = match parsed {
        Ok(new) => app
            .store
            .create_member(&access.actor(), &access.scope, new)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(m) => Ok(see_other(&format!("/members/{}", m.id))),
        Err(err) => {
            let (status, errors, alert) = form_errors(&app, &ctx, err, MEMBER_FIELDS)?;
            let cell = match opt(&form, "org_id").and_then(|o| o.parse::<i64>().ok()) {
                Some(o) => app.store.org(&access.scope, o).await.ok(),
                None => None,
            };
            let title = app.i18n.text(ctx.lang, "new-member-title", &[]);
            render::page_with_status(
                &app,
                &ctx,
                status,
                "member_form.html",
                context! {
                    mode => "create", action => "/members", title, cell, values => form,
                    errors, alert, cancel => "/members",
                },
            )
        }
    }
}

pub async fn edit_form(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let member = app.store.member(&access.scope, id).await?;
    let title = app.i18n.text(
        ctx.lang,
        "edit-member-title",
        &[("name", member.identity.full_name.clone().into())],
    );
    render::page_with_status(
        &app,
        &ctx,
        StatusCode::OK,
        "member_form.html",
        context! {
            mode => "edit", action => format!("/members/{id}/edit"), title,
            values => member_value(&member), errors => context! {}, alert => None::<String>,
            cancel => format!("/members/{id}"),
        },
    )
}

pub async fn update(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let record = format!("member {id}");
    let parsed =
        req_int(&form, &record, "version").and_then(|v| Ok((v, parse_identity(&form, &record)?)));
    let result = match parsed {
        Ok((version, identity)) => app
            .store
            .update_identity(&access.actor(), &access.scope, id, version, identity)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/members/{id}"))),
        Err(err) => {
            let (status, errors, alert) = form_errors(&app, &ctx, err, MEMBER_FIELDS)?;
            let member = app.store.member(&access.scope, id).await?;
            let title = app.i18n.text(
                ctx.lang,
                "edit-member-title",
                &[("name", member.identity.full_name.into())],
            );
            render::page_with_status(
                &app,
                &ctx,
                status,
                "member_form.html",
                context! {
                    mode => "edit", action => format!("/members/{id}/edit"), title, values => form,
                    errors, alert, cancel => format!("/members/{id}"),
                },
            )
        }
    }
}

pub async fn change_status(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let record = format!("member {id}");
    let raw = req(&form, &record, "status")?;
    let status = MemberStatus::parse(&raw).ok_or_else(|| {
        DomainError::invalid(&record, "status", format!("`{raw}` is not a status"))
    })?;
    let on = req_date(&form, &record, "effective_on")?;
    app.store
        .change_status(
            &access.actor(),
            &access.scope,
            id,
            status,
            on,
            opt(&form, "reason").as_deref(),
        )
        .await?;
    Ok(see_other(&format!("/members/{id}")))
}
