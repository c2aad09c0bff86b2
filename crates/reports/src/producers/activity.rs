//! Figures the areas of work compute themselves: meetings and attendance, documents,
//! dissemination and training. Each area's storage module owns its counting; the report takes
//! its figures as they are.

use grassroots_domain::figures::Figure;
use grassroots_storage::documents::DocumentFigures;
use grassroots_storage::meetings::{MeetingFiguresReader, MeetingKeysReader};
use grassroots_storage::orgs::Org;
use grassroots_storage::{Scope, Store};

use super::Source;
use crate::{Period, ReportResult};

pub async fn meetings(
    store: &Store,
    scope: &Scope,
    org: &Org,
    period: Period,
    source: Source,
) -> ReportResult<Vec<Figure>> {
    let period = grassroots_domain::meetings::Period::new(period.from, period.to)?;
    Ok(match source {
        Source::Kept => store.meeting_keys(scope, org.id, period).await?,
        Source::Records => store.meeting_figures(scope, org.id, period).await?.keys,
    })
}

pub async fn documents_and_training(
    store: &Store,
    scope: &Scope,
    org: &Org,
    period: Period,
) -> ReportResult<Vec<Figure>> {
    Ok(store
        .document_figures(scope, org.id, period.from, period.to)
        .await?
        .figures)
}

pub async fn lifecycle(
    store: &Store,
    scope: &Scope,
    org: &Org,
    period: Period,
    source: Source,
) -> ReportResult<Vec<Figure>> {
    let counted = source.counted();
    Ok(store
        .lifecycle_figures_counted(scope, org.id, period.from, period.to, counted)
        .await?)
}
