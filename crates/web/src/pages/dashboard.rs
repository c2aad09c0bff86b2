//! The dashboard of the caller's organization: organizations by kind, members by status,
//! and cells that fall below the rulebook's minimum.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use grassroots_domain::org::OrgKind;
use grassroots_domain::rulebook::Rulebook;
use grassroots_storage::{Scope, browse, rollup};
use minijinja::context;

use super::today;
use crate::access::{Access, Ctx};
use crate::error::AppResult;
use crate::{AppState, render};

/// At most this many alerts per organization on the dashboard.
const MAX_ALERTS: i64 = 20;

pub async fn dashboard(
    State(app): State<AppState>,
    ctx: Ctx,
    access: Access,
) -> AppResult<Response> {
    let rules = Rulebook::in_force(today())?;
    let mut orgs = Vec::new();
    for org in browse::top_orgs(&app.store, &access.scope).await? {
        let counts = rollup::subtree_counts(&app.store.db, org.id).await?;
        let kinds: Vec<_> = OrgKind::ALL
            .iter()
            .filter_map(|k| {
                counts
                    .orgs_by_kind
                    .get(k.as_str())
                    .map(|n| context! { key => k.as_str(), n => *n })
            })
            .collect();
        let statuses: Vec<_> = grassroots_domain::member::MemberStatus::ALL
            .iter()
            .filter_map(|s| {
                counts
                    .members_by_status
                    .get(s.as_str())
                    .map(|n| context! { key => s.as_str(), n => *n })
            })
            .collect();
        let grassroots: i64 = OrgKind::ALL
            .iter()
            .filter(|k| k.is_grassroots())
            .filter_map(|k| counts.orgs_by_kind.get(k.as_str()))
            .sum();
        let alerts = browse::small_cells(
            &app.store,
            &Scope::subtree(org.path.clone()),
            i64::from(rules.cell.min_official_members),
            MAX_ALERTS,
        )
        .await?;
        orgs.push(context! {
            org => org,
            active => counts.active_members(),
            grassroots => grassroots,
            kinds => kinds,
            statuses => statuses,
            alerts => alerts,
        });
    }
    let min_official = rules.cell.min_official_members;
    Ok(render::page(
        &app,
        &ctx,
        "dashboard.html",
        context! { orgs, min_official },
    )?
    .into_response())
}
