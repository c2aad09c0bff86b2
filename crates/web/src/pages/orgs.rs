//! The organization tree, an organization's page, and the forms that change the tree.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use grassroots_domain::DomainError;
use grassroots_domain::access::Permission;
use grassroots_domain::date::{Date, parse_date};
use grassroots_domain::org::OrgKind;
use grassroots_storage::orgs::{NewOrg, OrgReader, OrgWriter};
use grassroots_storage::{audit, browse, rollup};
use minijinja::context;
use minijinja::value::Value;
use serde::Deserialize;

use super::{FormData, opt, req, req_date, see_other, today};
use crate::access::{Access, Ctx};
use crate::error::{AppError, AppResult};
use crate::{AppState, render};

/// How many levels below the root the tree page shows, and how many rows at most.
const TREE_LEVELS: i64 = 3;
const TREE_MAX_ROWS: usize = 2000;

#[derive(Debug, Deserialize)]
pub struct TreeQuery {
    root: Option<String>,
    as_of: Option<String>,
    q: Option<String>,
}

pub async fn tree(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Query(query): Query<TreeQuery>,
) -> AppResult<Response> {
    let scope = &access.scope;
    let as_of = match query.as_of.as_deref().filter(|s| !s.is_empty()) {
        Some(raw) => parse_date("tree", "as_of", raw)?,
        None => today(),
    };
    let q = query.q.unwrap_or_default();
    let found = if q.trim().is_empty() {
        Vec::new()
    } else {
        app.store.find_orgs(scope, &q, 100).await?
    };
    let root_id = query
        .root
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<i64>()
                .map_err(|_| DomainError::invalid("tree", "root", "must be an organization id"))
        })
        .transpose()?;
    let roots: Vec<i64> = match root_id {
        Some(id) => vec![id],
        None => browse::top_orgs(&app.store, scope)
            .await?
            .iter()
            .map(|o| o.id)
            .collect(),
    };
    let mut nodes = Vec::new();
    let mut truncated = false;
    let mut parent_id = None;
    for root in &roots {
        let versions = app.store.tree_as_of(scope, *root, as_of).await?;
        let Some(top) = versions.first() else {
            continue;
        };
        let base = grassroots_domain::tree_path::depth(&top.path);
        if let (Some(_), Some(p)) = (root_id, top.parent_id) {
            // "Up" is offered only inside the caller's part of the tree.
            if app.store.org(scope, p).await.is_ok() {
                parent_id = Some(p);
            }
        }
        for (i, v) in versions.iter().enumerate() {
            let level = grassroots_domain::tree_path::depth(&v.path) - base;
            if level > TREE_LEVELS {
                continue;
            }
            if nodes.len() >= TREE_MAX_ROWS {
                truncated = true;
                break;
            }
            let has_children = versions
                .get(i + 1)
                .is_some_and(|n| n.path.starts_with(&v.path));
            nodes.push(context! { v => v, level => level, has_children => has_children });
        }
    }
    let html = render::page(
        &app,
        &ctx,
        "tree.html",
        context! {
            nodes, truncated, found, q,
            as_of => as_of.to_string(),
            root_id => root_id,
            parent_id => parent_id,
        },
    )?;
    Ok(html.into_response())
}

pub async fn org_page(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let scope = &access.scope;
    let org = app.store.org(scope, id).await?;
    // The parent is shown only when it lies inside the caller's part of the tree.
    let parent = match org.parent_id {
        Some(p) => app.store.org(scope, p).await.ok(),
        None => None,
    };
    let children = app.store.children(scope, id).await?;
    let history = app.store.history(scope, id).await?;
    let handovers = app.store.org_handovers(scope, id).await?;
    let counts = rollup::subtree_counts(&app.store.db, id).await?;
    let audit = if access.caller.can(Permission::ViewAudit) {
        audit::list(&app.store.db, scope, Some(("org", &id.to_string())), 50).await?
    } else {
        Vec::new()
    };
    let html = render::page(
        &app,
        &ctx,
        "org.html",
        context! {
            holds_members => org.kind.holds_members(),
            org, parent, children, history, handovers, audit,
            active => counts.active_members(),
        },
    )?;
    Ok(html.into_response())
}

#[derive(Debug, Deserialize)]
pub struct NewOrgQuery {
    parent: Option<i64>,
}

fn kinds() -> Vec<&'static str> {
    OrgKind::ALL.iter().map(|k| k.as_str()).collect()
}

fn org_form(app: &AppState, ctx: &Ctx, status: StatusCode, page: Value) -> AppResult<Response> {
    render::page_with_status(app, ctx, status, "org_form.html", page)
}

/// Fields of the organization forms, where an error is shown next to its field.
const ORG_FIELDS: &[&str] = &[
    "code",
    "name",
    "kind",
    "parent",
    "founded_on",
    "effective_on",
    "decision",
];

/// Errors of a form: an invalid field goes next to the field, anything else on top.
pub fn form_errors(
    app: &AppState,
    ctx: &Ctx,
    err: AppError,
    fields: &[&str],
) -> AppResult<(StatusCode, Value, Option<String>)> {
    match err {
        AppError::Domain(DomainError::Invalid { field, message, .. })
            if fields.contains(&field.as_str()) =>
        {
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Value::from_iter([(field, message)]),
                None,
            ))
        }
        AppError::Domain(DomainError::Invalid { field, message, .. }) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Value::from_iter(Vec::<(String, String)>::new()),
            Some(format!("{field}: {message}")),
        )),
        AppError::Domain(DomainError::Conflict(message)) => Ok((
            StatusCode::CONFLICT,
            Value::from_iter(Vec::<(String, String)>::new()),
            Some(format!(
                "{} ({message})",
                app.i18n.text(ctx.lang, "conflict-prefix", &[])
            )),
        )),
        other => Err(other),
    }
}

pub async fn new_org_form(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Query(q): Query<NewOrgQuery>,
) -> AppResult<Response> {
    let parent = match q.parent {
        Some(p) => Some(app.store.org(&access.scope, p).await?),
        None => None,
    };
    let values = context! {
        parent_id => q.parent,
        founded_on => today().to_string(),
        kind => parent.as_ref().and_then(|p| OrgKind::ALL.into_iter().find(|k| k.may_be_child_of(p.kind))).map(|k| k.as_str()),
    };
    let title = app.i18n.text(ctx.lang, "new-org-title", &[]);
    org_form(
        &app,
        &ctx,
        StatusCode::OK,
        context! {
            mode => "create", action => "/orgs", title, parent, values, kinds => kinds(),
            errors => context! {}, alert => None::<String>,
            cancel => q.parent.map(|p| format!("/orgs/{p}")).unwrap_or_else(|| "/tree".into()),
        },
    )
}

fn parse_new_org(form: &FormData) -> Result<NewOrg, DomainError> {
    let code = req(form, "organization", "code")?;
    let record = format!("organization {code}");
    let kind_raw = req(form, &record, "kind")?;
    let kind = OrgKind::parse(&kind_raw).ok_or_else(|| {
        DomainError::invalid(&record, "kind", format!("`{kind_raw}` is not a kind"))
    })?;
    let parent_id = opt(form, "parent_id")
        .map(|p| {
            p.parse::<i64>()
                .map_err(|_| DomainError::invalid(&record, "parent", "must be an organization id"))
        })
        .transpose()?;
    Ok(NewOrg {
        name: req(form, &record, "name")?,
        founded_on: req_date(form, &record, "founded_on")?,
        decision: opt(form, "decision"),
        code,
        kind,
        parent_id,
    })
}

pub async fn create_org(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let result = match parse_new_org(&form) {
        Ok(new) => app
            .store
            .create_org(&access.actor(), &access.scope, new)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(org) => Ok(see_other(&format!("/orgs/{}", org.id))),
        Err(err) => {
            let (status, errors, alert) = form_errors(&app, &ctx, err, ORG_FIELDS)?;
            let parent = match opt(&form, "parent_id").and_then(|p| p.parse::<i64>().ok()) {
                Some(p) => app.store.org(&access.scope, p).await.ok(),
                None => None,
            };
            let title = app.i18n.text(ctx.lang, "new-org-title", &[]);
            org_form(
                &app,
                &ctx,
                status,
                context! {
                    mode => "create", action => "/orgs", title, parent, values => form, kinds => kinds(),
                    errors, alert, cancel => "/tree",
                },
            )
        }
    }
}

pub async fn rename_form(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let org = app.store.org(&access.scope, id).await?;
    let title = app.i18n.text(
        ctx.lang,
        "rename-title",
        &[("name", org.name.clone().into())],
    );
    org_form(
        &app,
        &ctx,
        StatusCode::OK,
        context! {
            mode => "rename", action => format!("/orgs/{id}/rename"), title,
            values => context! { name => org.name, effective_on => today().to_string() },
            errors => context! {}, alert => None::<String>, cancel => format!("/orgs/{id}"),
            kinds => kinds(), parent => None::<String>,
        },
    )
}

pub async fn rename(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let record = format!("organization {id}");
    let parsed: Result<(String, Date), DomainError> = req(&form, &record, "name")
        .and_then(|n| Ok((n, req_date(&form, &record, "effective_on")?)));
    let result = match parsed {
        Ok((name, on)) => app
            .store
            .rename_org(
                &access.actor(),
                &access.scope,
                id,
                &name,
                on,
                opt(&form, "decision").as_deref(),
            )
            .await
            .map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/orgs/{id}"))),
        Err(err) => {
            let (status, errors, alert) = form_errors(&app, &ctx, err, ORG_FIELDS)?;
            let org = app.store.org(&access.scope, id).await?;
            let title = app
                .i18n
                .text(ctx.lang, "rename-title", &[("name", org.name.into())]);
            org_form(
                &app,
                &ctx,
                status,
                context! {
                    mode => "rename", action => format!("/orgs/{id}/rename"), title, values => form,
                    errors, alert, cancel => format!("/orgs/{id}"), kinds => kinds(), parent => None::<String>,
                },
            )
        }
    }
}

/// Handover minutes of a block transfer with the members handed over.
pub async fn handover_page(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let handover = app.store.handover(&access.scope, id).await?;
    let members = app.store.handover_members(&access.scope, id).await?;
    let html = render::page(&app, &ctx, "handover.html", context! { handover, members })?;
    Ok(html.into_response())
}
