//! Pages of documents and training: the register of an organization's subtree with its
//! form, a document with its cascade tree (who concretized it, who has not, the reviews),
//! a member's study list, and the courses with their participants and certificates.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use grassroots_domain::DomainError;
use grassroots_domain::documents::CourseKind;
use grassroots_domain::org::OrgKind;
use grassroots_storage::documents::{
    DisseminationReader, DocumentReader, DocumentWriter, NewDocument, TrainingReader,
};
use grassroots_storage::members::MemberReader;
use grassroots_storage::orgs::OrgReader;
use minijinja::context;

use super::orgs::form_errors;
use super::{FormData, opt, opt_date, req, see_other, today};
use crate::AppState;
use crate::access::{Access, Ctx};
use crate::api::documents::{CascadeQuery, cascade_view, document_view};
use crate::error::{AppError, AppResult};
use crate::render;

/// Fields of the document form, where an error is shown next to its field.
const DOCUMENT_FIELDS: &[&str] = &[
    "type_code",
    "number",
    "issued_on",
    "title",
    "summary",
    "parent_id",
];

/// The kinds a document may ask to be concretized by, in tree order (checkboxes).
const CONCRETIZING: [OrgKind; 5] = [
    OrgKind::Provincial,
    OrgKind::District,
    OrgKind::Commune,
    OrgKind::GrassrootsCommittee,
    OrgKind::GrassrootsCell,
];

fn type_codes() -> AppResult<Vec<minijinja::Value>> {
    let rules = grassroots_domain::rulebook::Rulebook::in_force(today())?.documents;
    Ok(rules
        .types
        .iter()
        .filter(|t| !t.older)
        .map(|t| context! { code => t.code.clone(), name => t.name.clone() })
        .collect())
}

fn parse_document(form: &FormData, issuer_org_id: i64) -> Result<NewDocument, DomainError> {
    let title = opt(form, "title").unwrap_or_default();
    let record = format!("document `{title}`");
    let number = opt(form, "number")
        .map(|raw| {
            raw.parse::<u32>()
                .map_err(|_| DomainError::invalid(&record, "number", "must be a whole number"))
        })
        .transpose()?;
    let parent_id = opt(form, "parent_id")
        .map(|raw| {
            raw.parse::<i64>()
                .map_err(|_| DomainError::invalid(&record, "parent_id", "must be a document id"))
        })
        .transpose()?;
    Ok(NewDocument {
        issuer_org_id,
        type_code: req(form, &record, "type_code")?,
        issuer_code: None,
        number,
        issued_on: opt_date(form, &record, "issued_on")?
            .ok_or_else(|| DomainError::invalid(&record, "issued_on", "is required"))?,
        title,
        summary: opt(form, "summary"),
        parent_id,
        concretize_by: CONCRETIZING
            .into_iter()
            .filter(|k| opt(form, &format!("concretize_{}", k.as_str())).is_some())
            .collect(),
        term: None,
    })
}

async fn register_page(
    app: &AppState,
    ctx: &Ctx,
    access: &Access,
    org_id: i64,
    status: StatusCode,
    // The form's `values`, `errors` and `alert`.
    form: minijinja::Value,
) -> AppResult<Response> {
    let org = app.store.org(&access.scope, org_id).await?;
    let documents = app.store.documents_of(&access.scope, org_id).await?;
    render::page_with_status(
        app,
        ctx,
        status,
        "documents.html",
        context! {
            org, documents, types => type_codes()?,
            kinds => CONCRETIZING.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            ..form
        },
    )
}

/// `GET /orgs/{id}/documents`: the register of the subtree, and the form to add one.
pub async fn register(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let values = context! { issued_on => today().to_string(), type_code => "KH" };
    register_page(
        &app,
        &ctx,
        &access,
        id,
        StatusCode::OK,
        context! { values, errors => context! {}, alert => None::<String> },
    )
    .await
}

/// `POST /orgs/{id}/documents`: registers a document issued by the organization.
pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
    Form(form): Form<FormData>,
) -> AppResult<Response> {
    let result = match parse_document(&form, id) {
        Ok(new) => app
            .store
            .register_document(&access.actor(), &access.scope, new)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(doc) => Ok(see_other(&format!("/documents/{}", doc.id))),
        Err(err) => {
            let (status, errors, alert) = form_errors(&app, &ctx, err, DOCUMENT_FIELDS)?;
            register_page(
                &app,
                &ctx,
                &access,
                id,
                status,
                context! { values => minijinja::Value::from_serialize(&form), errors, alert },
            )
            .await
        }
    }
}

/// `GET /documents/{id}`: the document, its tasks and reviews, and its cascade tree.
pub async fn document(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<CascadeQuery>,
) -> AppResult<Response> {
    let view = document_view(&app, &access, id).await?;
    let cascade = cascade_view(&app, &access, id, q.root).await?;
    let root = app.store.org(&access.scope, cascade.root_org_id).await?;
    let parent = match view.document.parent_id {
        Some(p) => app.store.document(&access.scope, p).await.ok(),
        None => None,
    };
    let html = render::page(
        &app,
        &ctx,
        "document.html",
        context! {
            doc => &view.document, tasks => &view.tasks, reviews => &view.reviews,
            files => &view.files, parent, root, cascade => &cascade,
            pending => cascade.not_concretized.len(),
        },
    )?;
    Ok(html.into_response())
}

/// `GET /members/{id}/study`: the member's documents to study and what they studied.
pub async fn study(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let member = app.store.member(&access.scope, id).await?;
    let items = app.store.study_list(&access.scope, id).await?;
    let course = app.store.new_member_course(&access.scope, id).await?;
    let html = render::page(
        &app,
        &ctx,
        "study.html",
        context! {
            member_id => id, name => member.identity.full_name, items, course,
        },
    )?;
    Ok(html.into_response())
}

/// `GET /orgs/{id}/courses`: courses and dissemination events held in the subtree.
pub async fn courses(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let org = app.store.org(&access.scope, id).await?;
    let courses = app.store.courses_of(&access.scope, id).await?;
    let events = app.store.disseminations_of(&access.scope, id).await?;
    let html = render::page(
        &app,
        &ctx,
        "courses.html",
        context! { org, courses, events },
    )?;
    Ok(html.into_response())
}

/// `GET /courses/{id}`: a course with its sessions, participants, results, certificates.
pub async fn course(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let course = app.store.course(&access.scope, id).await?;
    let org = app.store.org(&access.scope, course.org_id).await?;
    let mut names = Vec::with_capacity(course.participants.len());
    for p in &course.participants {
        let name = match p.member_id {
            Some(m) => app
                .store
                .member(&access.scope, m)
                .await
                .map(|m| m.identity.full_name)
                .ok(),
            None => p.person_name.clone(),
        };
        names.push(name.unwrap_or_default());
    }
    let passed = course
        .participants
        .iter()
        .filter(|p| p.result == Some(grassroots_domain::documents::CourseResult::Pass))
        .count();
    let kind: CourseKind = course.kind;
    let html = render::page(
        &app,
        &ctx,
        "course.html",
        context! { course, org, names, passed, kind => kind.as_str() },
    )?;
    Ok(html.into_response())
}
