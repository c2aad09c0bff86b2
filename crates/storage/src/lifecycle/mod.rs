//! Storage of the membership lifecycle: candidates and admission, probation and official
//! recognition, transfer letters, outcomes (removal, expulsion, death, re-admission), party
//! cards, badges, dues, the figures reports read, and a deterministic demo pipeline.
//!
//! Reads take a [`Scope`]; writes take an [`Actor`] and record their audit entry in the
//! same transaction. Where a step goes through the member registry (creating the member at
//! the admission decision, the status change of recognition and outcomes, the move of an
//! accepted transfer), it calls the registry's `*_in_tx` write inside the lifecycle's own
//! transaction: the registry change, the lifecycle record and both audit entries commit
//! together or not at all.

pub mod badges;
pub mod candidates;
pub mod cards;
pub mod demo;
pub mod dues;
pub(crate) mod dues_ledger;
mod dues_parts;
pub mod dues_sheet;
pub mod figures;
pub mod outcomes;
pub mod probation;
pub mod stays;
pub mod transfers;

use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use grassroots_domain::lifecycle::calendar::Calendar;
use grassroots_domain::lifecycle::party_age::Gap;
use grassroots_domain::rulebook::Rulebook;
use std::sync::OnceLock;

use sqlx::{Any, Transaction};

use crate::audit::{self, Change};
use crate::row::{date, text};
use crate::{Actor, Scope, Store, StoreResult};

/// The working-day calendar of every lifecycle deadline, read once per process.
pub fn calendar() -> StoreResult<Calendar> {
    static CALENDAR: OnceLock<Result<Calendar, DomainError>> = OnceLock::new();
    Ok(CALENDAR.get_or_init(Calendar::vietnam).clone()?)
}

/// Every rulebook version, merged once per process: the rulebook in force only changes on a
/// version's date, and dues sheets ask for it once per member and month.
fn rulebooks() -> Result<&'static [(Date, Rulebook)], DomainError> {
    static BOOKS: OnceLock<Result<Vec<(Date, Rulebook)>, DomainError>> = OnceLock::new();
    BOOKS
        .get_or_init(|| {
            Rulebook::versions()
                .into_iter()
                .map(|(_, from)| Ok((from, Rulebook::in_force(from)?)))
                .collect()
        })
        .as_ref()
        .map(Vec::as_slice)
        .map_err(Clone::clone)
}

/// The rulebook in force on `day`.
pub fn rules(day: Date) -> StoreResult<Rulebook> {
    let books = rulebooks()?;
    match books
        .iter()
        .rev()
        .find(|(from, _)| *from <= day)
        .or(books.first())
    {
        Some((_, book)) => Ok(book.clone()),
        None => Ok(Rulebook::in_force(day)?),
    }
}

/// Records a lifecycle change in the audit log inside `tx`.
#[allow(clippy::too_many_arguments)] // Each argument is one fact of the record.
pub(crate) async fn audit_lifecycle(
    store: &Store,
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: i64,
    org_path: &str,
    after: serde_json::Value,
) -> StoreResult<()> {
    audit::record(
        &store.db,
        tx,
        actor,
        Change {
            action,
            entity,
            entity_id: entity_id.to_string(),
            org_path,
            before: None,
            after: Some(after),
        },
    )
    .await
}

/// The member's current cell path, checked against the scope.
pub(crate) async fn member_path(
    store: &Store,
    scope: &Scope,
    member_id: i64,
) -> StoreResult<String> {
    let sql = store.db.sql("SELECT org_path FROM members WHERE id = ?");
    let row = sqlx::query(&sql)
        .bind(member_id)
        .fetch_optional(store.db.read())
        .await?
        .ok_or_else(|| DomainError::not_found("member", member_id))?;
    let path: Option<String> = crate::row::opt_text(&row, "org_path")?;
    let path = path.unwrap_or_else(|| "/".into());
    scope.check(&path, "member", member_id)?;
    Ok(path)
}

/// The times the member was out of the party, from the outcomes: a removal or expulsion
/// opens a gap, the next re-admission closes it.
pub(crate) async fn party_gaps(store: &Store, member_id: i64) -> StoreResult<Vec<Gap>> {
    let sql = store.db.sql(
        "SELECT kind, effective_on FROM member_outcomes WHERE member_id = ? ORDER BY effective_on, id",
    );
    let rows = sqlx::query(&sql)
        .bind(member_id)
        .fetch_all(store.db.read())
        .await?;
    let mut gaps: Vec<Gap> = Vec::new();
    for r in &rows {
        add_outcome_to_gaps(&mut gaps, &text(r, "kind")?, date(r, "effective_on")?);
    }
    Ok(gaps)
}

/// Follows one outcome (read in date order) in a member's gaps: a removal or expulsion
/// opens a gap, a re-admission closes the open one, others change nothing.
pub(crate) fn add_outcome_to_gaps(gaps: &mut Vec<Gap>, kind: &str, on: Date) {
    match kind {
        "removed" | "expelled" => gaps.push(Gap { from: on, to: None }),
        "readmitted" => {
            if let Some(open) = gaps.iter_mut().rev().find(|g| g.to.is_none()) {
                open.to = Some(on);
            }
        }
        _ => {}
    }
}

/// Paths of the `[lo, hi)` range of an organization's subtree, inside the caller's scope.
pub(crate) async fn subtree_range(
    store: &Store,
    scope: &Scope,
    org_id: i64,
) -> StoreResult<(crate::orgs::Org, String, String)> {
    use crate::orgs::OrgReader;
    let org = store.org(scope, org_id).await?;
    let (lo, hi) = grassroots_domain::tree_path::subtree_range(&org.path);
    Ok((org, lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_rulebooks_match_the_rulebook_in_force() {
        for day in [
            "1990-01-01",
            "2011-01-01",
            "2023-10-03",
            "2023-10-04",
            "2025-12-31",
            "2026-01-01",
            "2030-06-15",
        ] {
            let day: Date = day.parse().unwrap();
            assert_eq!(
                rules(day).unwrap(),
                Rulebook::in_force(day).unwrap(),
                "{day}"
            );
        }
        assert!(
            calendar()
                .unwrap()
                .is_working_day("2026-01-02".parse().unwrap())
        );
    }
}
