//! Figures of documents, dissemination and training for any subtree and period, under
//! stable dotted keys that reports quote (seed 001: "169 dissemination classes with 36,403
//! participants").
//!
//! Records count by the organization that issued, held or organized them, placed in the tree
//! of the period's last day when it has ended (`crate::placed_tree`), over the
//! inclusive period `[from, to]`: documents by issue date, reviews by the day held,
//! dissemination by the day held, courses by their first day.

use std::collections::BTreeMap;

use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use grassroots_domain::documents::{
    CourseKind, CourseResult, DisseminationKind, DocumentStatus, ReviewKind,
};
use grassroots_domain::figures::{Figure, FigureValue};
use serde::{Deserialize, Serialize};

use super::rules_on;
use crate::orgs::OrgReader;
use crate::placed_tree;
use crate::row::{int, text};
use crate::{Scope, Store, StoreResult};

/// The figures of one subtree and period. Each is a count ([`FigureValue::Count`]), in the
/// shape the report producers use, so a report adds them as they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub org_id: i64,
    pub org_code: String,
    pub from: Date,
    pub to: Date,
    pub figures: Vec<Figure>,
}

impl Figures {
    /// The count under `key`.
    pub fn get(&self, key: &str) -> Option<i64> {
        self.figures
            .iter()
            .find(|f| f.key == key)
            .and_then(|f| match f.value {
                FigureValue::Count(n) => Some(n),
                _ => None,
            })
    }
}

pub trait DocumentFigures {
    /// The figures of the subtree of `org_id` over `[from, to]`.
    fn document_figures(
        &self,
        scope: &Scope,
        org_id: i64,
        from: Date,
        to: Date,
    ) -> impl Future<Output = StoreResult<Figures>> + Send;
}

/// Counts grouped by a text column, from a query whose first binds are the subtree range
/// and the period.
async fn grouped(
    store: &Store,
    sql: &str,
    binds: (&str, &str, &str, &str),
    columns: &[&str],
) -> StoreResult<BTreeMap<String, Vec<i64>>> {
    let sql = store.db.sql(sql).into_owned();
    let rows = sqlx::query(&sql)
        .bind(binds.0)
        .bind(binds.1)
        .bind(binds.2)
        .bind(binds.3)
        .fetch_all(store.db.read())
        .await?;
    let mut out = BTreeMap::new();
    for r in rows {
        let values = columns
            .iter()
            .map(|c| int(&r, c))
            .collect::<StoreResult<Vec<i64>>>()?;
        out.insert(text(&r, "g")?, values);
    }
    Ok(out)
}

fn value(map: &BTreeMap<String, Vec<i64>>, group: &str, column: usize) -> i64 {
    map.get(group)
        .and_then(|v| v.get(column))
        .copied()
        .unwrap_or(0)
}

impl DocumentFigures for Store {
    async fn document_figures(
        &self,
        scope: &Scope,
        org_id: i64,
        from: Date,
        to: Date,
    ) -> StoreResult<Figures> {
        if to < from {
            return Err(DomainError::invalid("figures", "to", "is before from").into());
        }
        let root = self.org(scope, org_id).await?;
        // A period that has ended counts in the tree of its last day.
        let tree_on = placed_tree::tree_on(to);
        let placed = placed_tree::placed(tree_on);
        let (lo, hi) = self.placed_range(&root, tree_on).await?;
        let (f, t) = (from.to_string(), to.to_string());
        let binds = (lo.as_str(), hi.as_str(), f.as_str(), t.as_str());
        let mut out: Vec<Figure> = Vec::new();
        let mut push = |key: String, value: i64, description: String| {
            out.push(Figure::count(key, value, description))
        };

        let revoked = DocumentStatus::Revoked.as_str();
        let docs = grouped(
            self,
            &format!(
                "SELECT d.type_code AS g, COUNT(*) AS n, \
                 CAST(SUM(CASE WHEN d.parent_id IS NULL OR d.status = '{revoked}' THEN 0 ELSE 1 END) \
                 AS BIGINT) AS c FROM documents d JOIN {placed} o ON o.id = d.issuer_org_id \
                 WHERE o.path >= ? AND o.path < ? AND d.issued_on >= ? AND d.issued_on <= ? \
                 GROUP BY d.type_code"
            ),
            binds,
            &["n", "c"],
        )
        .await?;
        push(
            "documents.issued".into(),
            docs.values().map(|v| v[0]).sum(),
            "Documents issued by organizations in the subtree".into(),
        );
        for ty in rules_on(to)?.documents.types {
            push(
                format!("documents.issued.{}", ty.ascii.to_lowercase()),
                value(&docs, &ty.code, 0),
                format!("{} ({}) issued", ty.english, ty.code),
            );
        }
        push(
            "documents.concretized".into(),
            docs.values().map(|v| v[1]).sum(),
            "Documents issued to concretize a higher document (plans, programs, resolutions), \
             not counting revoked ones"
                .into(),
        );
        let reviews = grouped(
            self,
            &format!(
                "SELECT r.kind AS g, COUNT(*) AS n FROM document_reviews r \
                 JOIN {placed} o ON o.id = r.org_id \
                 WHERE o.path >= ? AND o.path < ? AND r.held_on >= ? AND r.held_on <= ? \
                 GROUP BY r.kind"
            ),
            binds,
            &["n"],
        )
        .await?;
        push(
            "documents.reviewed.preliminary".into(),
            value(&reviews, ReviewKind::Preliminary.as_str(), 0),
            "Preliminary reviews (sơ kết) of documents held".into(),
        );
        push(
            "documents.reviewed.final".into(),
            value(&reviews, ReviewKind::Final.as_str(), 0),
            "Final reviews (tổng kết) of documents held".into(),
        );

        let events = grouped(
            self,
            &format!(
                "SELECT e.kind AS g, COUNT(*) AS n, CAST(SUM(e.non_member_count) AS BIGINT) AS nm \
                 FROM dissemination_events e JOIN {placed} o ON o.id = e.org_id \
                 WHERE o.path >= ? AND o.path < ? AND e.held_on >= ? AND e.held_on <= ? \
                 GROUP BY e.kind"
            ),
            binds,
            &["n", "nm"],
        )
        .await?;
        let attendees = grouped(
            self,
            &format!(
                "SELECT e.kind AS g, COUNT(*) AS n FROM dissemination_attendees a \
                 JOIN dissemination_events e ON e.id = a.event_id JOIN {placed} o ON o.id = e.org_id \
                 WHERE o.path >= ? AND o.path < ? AND e.held_on >= ? AND e.held_on <= ? \
                 GROUP BY e.kind"
            ),
            binds,
            &["n"],
        )
        .await?;
        let class = DisseminationKind::Class.as_str();
        let conference = DisseminationKind::Conference.as_str();
        let people = |kind: &str| value(&attendees, kind, 0) + value(&events, kind, 1);
        push(
            "training.dissemination.classes".into(),
            value(&events, class, 0),
            "Classes disseminating documents".into(),
        );
        push(
            "training.dissemination.participants".into(),
            people(class),
            "Participants of those classes, members and non-members".into(),
        );
        push(
            "training.dissemination.conferences".into(),
            value(&events, conference, 0),
            "Conferences disseminating documents".into(),
        );
        push(
            "training.dissemination.conference_participants".into(),
            people(conference),
            "Participants of those conferences, members and non-members".into(),
        );
        push(
            "training.dissemination.non_members".into(),
            value(&events, class, 1) + value(&events, conference, 1),
            "Non-members among dissemination participants".into(),
        );

        let courses = grouped(
            self,
            &format!(
                "SELECT c.kind AS g, COUNT(*) AS n FROM courses c JOIN {placed} o ON o.id = c.org_id \
                 WHERE o.path >= ? AND o.path < ? AND c.starts_on >= ? AND c.starts_on <= ? \
                 GROUP BY c.kind"
            ),
            binds,
            &["n"],
        )
        .await?;
        let pass = CourseResult::Pass.as_str();
        let participants = grouped(
            self,
            &format!(
                "SELECT c.kind AS g, COUNT(*) AS n, \
                 CAST(SUM(CASE WHEN p.result = '{pass}' THEN 1 ELSE 0 END) AS BIGINT) AS passed, \
                 CAST(SUM(CASE WHEN p.certificate_no IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS certs \
                 FROM course_participants p JOIN courses c ON c.id = p.course_id \
                 JOIN {placed} o ON o.id = c.org_id \
                 WHERE o.path >= ? AND o.path < ? AND c.starts_on >= ? AND c.starts_on <= ? \
                 GROUP BY c.kind"
            ),
            binds,
            &["n", "passed", "certs"],
        )
        .await?;
        for kind in CourseKind::ALL {
            let (count_key, what) = match kind {
                CourseKind::NewMemberTheory => {
                    ("classes", "Political theory courses for new members")
                }
                CourseKind::Awareness => {
                    ("classes", "Awareness classes for outstanding candidates")
                }
                CourseKind::Specialized => ("classes", "Specialized classes"),
                CourseKind::ThematicConference => ("count", "Thematic conferences for key cadres"),
            };
            let k = kind.figure_key();
            let g = kind.as_str();
            push(
                format!("training.{k}.{count_key}"),
                value(&courses, g, 0),
                what.into(),
            );
            push(
                format!("training.{k}.participants"),
                value(&participants, g, 0),
                format!("{what}: participants"),
            );
            push(
                format!("training.{k}.passed"),
                value(&participants, g, 1),
                format!("{what}: participants who passed"),
            );
            push(
                format!("training.{k}.certificates"),
                value(&participants, g, 2),
                format!("{what}: certificates given"),
            );
        }
        Ok(Figures {
            org_id: root.id,
            org_code: root.code,
            from,
            to,
            figures: out,
        })
    }
}
