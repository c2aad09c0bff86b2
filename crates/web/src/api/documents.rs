//! Documents through the API: the register with its numbering, the cascade of lower plans
//! with tasks and reviews, dissemination events, study lists, and the figures of a subtree.
//!
//! Bodies are the storage layer's own `New*` records; the organization or document named in
//! the path is set into them here, so a body cannot aim a write at another record than the
//! one whose rule the guard checked.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use grassroots_domain::DomainError;
use grassroots_domain::date::{Date, parse_date};
use grassroots_domain::documents::{DocumentNumber, ReviewKind};
use grassroots_domain::rulebook::Rulebook;
use grassroots_storage::browse;
use grassroots_storage::documents::{
    CascadeReader, CascadeRow, CascadeWriter, Dissemination, DisseminationReader,
    DisseminationWriter, Document, DocumentFigures, DocumentReader, DocumentWriter, Figures,
    FileInfo, NewDocument, NewReview, NewTask, Review, StudyItem, Task,
};
use grassroots_storage::members::MemberReader;
use grassroots_storage::orgs::OrgReader;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::JsonBody;
use crate::AppState;
use crate::access::Access;
use crate::error::{AppError, AppResult};
use crate::pages::today;

/// Reads `body` as `T` after setting `field` to the id taken from the path.
pub fn with_id<T: DeserializeOwned>(
    mut body: serde_json::Value,
    field: &str,
    id: i64,
) -> AppResult<T> {
    let Some(map) = body.as_object_mut() else {
        return Err(AppError::BadRequest(
            "the body must be a JSON object".into(),
        ));
    };
    map.insert(field.to_owned(), serde_json::Value::from(id));
    serde_json::from_value(body).map_err(|e| AppError::BadRequest(e.to_string()))
}

/// A document with what hangs on it: attachments, tasks and reviews.
#[derive(Debug, Serialize)]
pub struct DocumentView {
    #[serde(flatten)]
    pub document: Document,
    pub files: Vec<FileInfo>,
    pub tasks: Vec<Task>,
    pub reviews: Vec<Review>,
}

pub async fn document_view(app: &AppState, access: &Access, id: i64) -> AppResult<DocumentView> {
    let document = app.store.document(&access.scope, id).await?;
    Ok(DocumentView {
        files: app.store.files(&access.scope, id).await?,
        tasks: app.store.tasks(&access.scope, id).await?,
        reviews: app.store.reviews(&access.scope, id).await?,
        document,
    })
}

/// `POST /api/v1/orgs/{id}/documents`: registers a document issued by the organization.
pub async fn register(
    State(app): State<AppState>,
    access: Access,
    Path(org_id): Path<i64>,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> AppResult<Response> {
    let new: NewDocument = with_id(body, "issuer_org_id", org_id)?;
    let doc = app
        .store
        .register_document(&access.actor(), &access.scope, new)
        .await?;
    Ok((StatusCode::CREATED, Json(doc)).into_response())
}

/// `GET /api/v1/orgs/{id}/documents`: the documents issued in the subtree, newest first.
pub async fn list(
    State(app): State<AppState>,
    access: Access,
    Path(org_id): Path<i64>,
) -> AppResult<Json<Vec<Document>>> {
    Ok(Json(app.store.documents_of(&access.scope, org_id).await?))
}

pub async fn get(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<DocumentView>> {
    Ok(Json(document_view(&app, &access, id).await?))
}

#[derive(Debug, Deserialize)]
pub struct NumberQuery {
    pub number: Option<String>,
}

/// A parsed number, its canonical form and the registered documents that carry it.
#[derive(Debug, Serialize)]
pub struct NumberLookup {
    pub number: DocumentNumber,
    pub formatted: String,
    pub documents: Vec<Document>,
}

/// `GET /api/v1/document-numbers?number=368-QD/TU`: parses a number (ASCII forms and
/// older types included) with today's rulebook and finds the documents carrying it.
pub async fn parse_number(
    State(app): State<AppState>,
    access: Access,
    Query(q): Query<NumberQuery>,
) -> AppResult<Json<NumberLookup>> {
    let raw = q.number.unwrap_or_default();
    let rules = Rulebook::in_force(today())?.documents;
    let number = DocumentNumber::parse(&rules, &raw)?;
    let documents = app
        .store
        .documents_by_number(&access.scope, &number)
        .await?;
    Ok(Json(NumberLookup {
        formatted: number.to_string(),
        number,
        documents,
    }))
}

#[derive(Debug, Deserialize)]
pub struct CascadeQuery {
    pub root: Option<i64>,
}

/// The cascade of a document in a subtree, with the two questions it answers.
#[derive(Debug, Serialize)]
pub struct CascadeView {
    pub document: Document,
    pub root_org_id: i64,
    pub rows: Vec<CascadeRow>,
    /// Organizations that have not yet concretized the document.
    pub not_concretized: Vec<CascadeRow>,
    pub not_reviewed_preliminary: Vec<CascadeRow>,
    pub not_reviewed_final: Vec<CascadeRow>,
}

/// The root of a cascade view: the asked one, else the issuer when the caller sees it,
/// else the top of the caller's tree.
async fn cascade_root(
    app: &AppState,
    access: &Access,
    document: &Document,
    root: Option<i64>,
) -> AppResult<i64> {
    if let Some(root) = root {
        return Ok(root);
    }
    if access.scope.covers(&document.issuer_org_path) {
        return Ok(document.issuer_org_id);
    }
    browse::top_orgs(&app.store, &access.scope)
        .await?
        .first()
        .map(|o| o.id)
        .ok_or_else(|| {
            AppError::Domain(DomainError::invalid(
                "cascade",
                "root",
                "no organization to look from",
            ))
        })
}

pub async fn cascade_view(
    app: &AppState,
    access: &Access,
    id: i64,
    root: Option<i64>,
) -> AppResult<CascadeView> {
    let document = app.store.document(&access.scope, id).await?;
    let root = cascade_root(app, access, &document, root).await?;
    let status = app.store.cascade_status(&access.scope, id, root).await?;
    let owned = |rows: Vec<&CascadeRow>| rows.into_iter().cloned().collect::<Vec<_>>();
    Ok(CascadeView {
        not_concretized: owned(status.not_concretized()),
        not_reviewed_preliminary: owned(status.not_reviewed(ReviewKind::Preliminary)),
        not_reviewed_final: owned(status.not_reviewed(ReviewKind::Final)),
        document: status.document,
        root_org_id: status.root_org_id,
        rows: status.rows,
    })
}

/// `GET /api/v1/documents/{id}/cascade?root=ORG`.
pub async fn cascade(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Query(q): Query<CascadeQuery>,
) -> AppResult<Json<CascadeView>> {
    Ok(Json(cascade_view(&app, &access, id, q.root).await?))
}

/// A lower plan concretizing a document: the plan itself with its tasks.
#[derive(Debug, Deserialize)]
pub struct NewPlan {
    pub issuer_org_id: i64,
    /// `KH` (plan) by default; `CTr` for a program.
    #[serde(default)]
    pub type_code: Option<String>,
    #[serde(default)]
    pub number: Option<u32>,
    pub issued_on: Date,
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub concretize_by: Vec<grassroots_domain::org::OrgKind>,
    #[serde(default)]
    pub tasks: Vec<NewTask>,
}

#[derive(Debug, Serialize)]
pub struct PlanView {
    #[serde(flatten)]
    pub document: Document,
    pub tasks: Vec<Task>,
}

/// `POST /api/v1/documents/{id}/plans`: registers a plan of a lower organization that
/// concretizes the document, with its tasks. Tasks are checked (title, deadline, assignee
/// under the issuer) before the plan is registered, so a bad task does not leave a plan
/// without its tasks.
pub async fn create_plan(
    State(app): State<AppState>,
    access: Access,
    Path(parent_id): Path<i64>,
    JsonBody(plan): JsonBody<NewPlan>,
) -> AppResult<Response> {
    app.store.document(&access.scope, parent_id).await?;
    let issuer = app.store.org(&access.scope, plan.issuer_org_id).await?;
    let record = format!("plan `{}`", plan.title.trim());
    for (i, task) in plan.tasks.iter().enumerate() {
        let bad = |field: &str, message: String| {
            AppError::Domain(DomainError::invalid(
                &record,
                format!("tasks[{i}].{field}"),
                message,
            ))
        };
        if task.title.trim().is_empty() {
            return Err(bad("title", "is required".into()));
        }
        if let Some(due) = task.due_on
            && due < plan.issued_on
        {
            return Err(bad(
                "due_on",
                format!("{due} is before the plan is issued ({})", plan.issued_on),
            ));
        }
        if let Some(org) = task.assignee_org_id {
            let org = app.store.org(&access.scope, org).await?;
            if !org.path.starts_with(&issuer.path) {
                return Err(bad(
                    "assignee_org_id",
                    format!("{} is not under the issuer {}", org.code, issuer.code),
                ));
            }
        }
    }
    let actor = access.actor();
    let document = app
        .store
        .register_document(
            &actor,
            &access.scope,
            NewDocument {
                issuer_org_id: plan.issuer_org_id,
                type_code: plan.type_code.unwrap_or_else(|| "KH".into()),
                issuer_code: None,
                number: plan.number,
                issued_on: plan.issued_on,
                title: plan.title,
                summary: plan.summary,
                parent_id: Some(parent_id),
                concretize_by: plan.concretize_by,
                term: None,
            },
        )
        .await?;
    let mut tasks = Vec::with_capacity(plan.tasks.len());
    for task in plan.tasks {
        tasks.push(
            app.store
                .add_task(&actor, &access.scope, document.id, task)
                .await?,
        );
    }
    Ok((StatusCode::CREATED, Json(PlanView { document, tasks })).into_response())
}

/// `POST /api/v1/documents/{id}/tasks`.
pub async fn add_task(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(task): JsonBody<NewTask>,
) -> AppResult<Response> {
    let task = app
        .store
        .add_task(&access.actor(), &access.scope, id, task)
        .await?;
    Ok((StatusCode::CREATED, Json(task)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct DoneBody {
    pub done_on: Date,
}

/// `POST /api/v1/tasks/{id}/done`.
pub async fn complete_task(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<DoneBody>,
) -> AppResult<Json<Task>> {
    Ok(Json(
        app.store
            .complete_task(&access.actor(), &access.scope, id, body.done_on)
            .await?,
    ))
}

/// `POST /api/v1/documents/{id}/reviews`: a preliminary or final review held by an
/// organization of the document (or of the plan it concretizes it with).
pub async fn record_review(
    State(app): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> AppResult<Response> {
    let review: NewReview = with_id(body, "document_id", id)?;
    let review = app
        .store
        .record_review(&access.actor(), &access.scope, review)
        .await?;
    Ok((StatusCode::CREATED, Json(review)).into_response())
}

/// `POST /api/v1/orgs/{id}/disseminations`: a conference or class held by the organization.
pub async fn record_dissemination(
    State(app): State<AppState>,
    access: Access,
    Path(org_id): Path<i64>,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> AppResult<Response> {
    let new = with_id(body, "org_id", org_id)?;
    let event = app
        .store
        .record_dissemination(&access.actor(), &access.scope, new)
        .await?;
    Ok((StatusCode::CREATED, Json(event)).into_response())
}

/// `GET /api/v1/orgs/{id}/disseminations`.
pub async fn disseminations(
    State(app): State<AppState>,
    access: Access,
    Path(org_id): Path<i64>,
) -> AppResult<Json<Vec<Dissemination>>> {
    Ok(Json(
        app.store.disseminations_of(&access.scope, org_id).await?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct AssignStudy {
    pub document_id: i64,
    pub assigned_on: Date,
    #[serde(default)]
    pub due_on: Option<Date>,
}

#[derive(Debug, Serialize)]
pub struct Assigned {
    pub added: i64,
}

/// `POST /api/v1/orgs/{id}/study`: puts a document on the study list of every active
/// member of the subtree.
pub async fn assign_study(
    State(app): State<AppState>,
    access: Access,
    Path(org_id): Path<i64>,
    JsonBody(body): JsonBody<AssignStudy>,
) -> AppResult<Json<Assigned>> {
    let added = app
        .store
        .assign_study(
            &access.actor(),
            &access.scope,
            org_id,
            body.document_id,
            body.assigned_on,
            body.due_on,
        )
        .await?;
    Ok(Json(Assigned { added }))
}

/// `GET /api/v1/members/{id}/study`: the member's documents to study.
pub async fn study_list(
    State(app): State<AppState>,
    access: Access,
    Path(member_id): Path<i64>,
) -> AppResult<Json<Vec<StudyItem>>> {
    Ok(Json(app.store.study_list(&access.scope, member_id).await?))
}

#[derive(Debug, Deserialize)]
pub struct StudiedBody {
    pub document_id: i64,
    pub on: Date,
}

/// `POST /api/v1/members/{id}/studied`.
pub async fn mark_studied(
    State(app): State<AppState>,
    access: Access,
    Path(member_id): Path<i64>,
    JsonBody(body): JsonBody<StudiedBody>,
) -> AppResult<Json<StudyItem>> {
    // A member outside the caller's subtree does not exist for them.
    app.store.member(&access.scope, member_id).await?;
    Ok(Json(
        app.store
            .mark_studied(
                &access.actor(),
                &access.scope,
                member_id,
                body.document_id,
                body.on,
            )
            .await?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct PeriodQuery {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The period asked for; by default the current year up to today.
pub fn period(q: &PeriodQuery) -> AppResult<(Date, Date)> {
    let to = match q.to.as_deref().filter(|s| !s.is_empty()) {
        Some(raw) => parse_date("figures", "to", raw)?,
        None => today(),
    };
    let from = match q.from.as_deref().filter(|s| !s.is_empty()) {
        Some(raw) => parse_date("figures", "from", raw)?,
        None => Date::from_ymd_opt(chrono::Datelike::year(&to), 1, 1).unwrap_or(to),
    };
    if from > to {
        return Err(DomainError::invalid("figures", "from", "is after `to`").into());
    }
    Ok((from, to))
}

/// `GET /api/v1/orgs/{id}/document-figures?from=&to=`.
pub async fn figures(
    State(app): State<AppState>,
    access: Access,
    Path(org_id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Json<Figures>> {
    let (from, to) = period(&q)?;
    Ok(Json(
        app.store
            .document_figures(&access.scope, org_id, from, to)
            .await?,
    ))
}
