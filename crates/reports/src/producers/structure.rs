//! The structure as of the period's last day: organizations by kind and members by status.

use grassroots_domain::figures::Figure;
use grassroots_domain::member::MemberStatus;
use grassroots_domain::org::OrgKind;
use grassroots_storage::orgs::Org;
use grassroots_storage::{Scope, Store};

use super::Source;
use crate::contract::describe;
use crate::{Period, ReportResult};

/// Organization kinds counted below the report's organization, with their keys.
pub const ORG_KEYS: [(OrgKind, &str); 7] = [
    (OrgKind::Provincial, "org.provincial_committees"),
    (OrgKind::District, "org.district_committees"),
    (OrgKind::Commune, "org.commune_committees"),
    (OrgKind::GrassrootsCommittee, "org.grassroots_committees"),
    (OrgKind::GrassrootsCell, "org.grassroots_cells"),
    (OrgKind::Cell, "org.cells"),
    (OrgKind::PartyGroup, "org.party_groups"),
];

pub const STATUS_KEYS: [(MemberStatus, &str); 4] = [
    (MemberStatus::Official, "members.official"),
    (MemberStatus::Probationary, "members.probationary"),
    (
        MemberStatus::TemporarilyExempt,
        "members.temporarily_exempt",
    ),
    (MemberStatus::Exempt, "members.exempt"),
];

pub async fn figures(
    store: &Store,
    scope: &Scope,
    org: &Org,
    period: Period,
    source: Source,
) -> ReportResult<Vec<Figure>> {
    // The present is in the rollups (one indexed read); a past day comes from the history.
    let today = chrono::Local::now().date_naive();
    let counts = if period.to >= today {
        grassroots_storage::rollup::subtree_counts(&store.db, org.id).await?
    } else {
        store
            .counts_as_of_counted(scope, org.id, period.to, source.counted())
            .await?
    };
    let kind_count = |kind: OrgKind| {
        let n = counts.orgs_by_kind.get(kind.as_str()).copied().unwrap_or(0);
        // The organization itself is not one of its own subordinates.
        if kind == org.kind { (n - 1).max(0) } else { n }
    };
    let mut out = Vec::new();
    let grassroots = kind_count(OrgKind::GrassrootsCommittee) + kind_count(OrgKind::GrassrootsCell);
    out.push(describe("org.grassroots_organizations", grassroots));
    for (kind, key) in ORG_KEYS {
        out.push(describe(key, kind_count(kind)));
    }
    let status = |s: MemberStatus| {
        counts
            .members_by_status
            .get(s.as_str())
            .copied()
            .unwrap_or(0)
    };
    out.push(describe("members.total", counts.active_members()));
    for (s, key) in STATUS_KEYS {
        out.push(describe(key, status(s)));
    }
    Ok(out)
}
