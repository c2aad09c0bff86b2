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
use crate::placed_tree::SubtreeIn;
use crate::row::{int, text};
use crate::{Scope, Store, StoreError, StoreResult};

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

/// One table's counts of the period, grouped (`g`): up to three numbers each.
struct Counted {
    /// Its name among the statement's results.
    what: &'static str,
    /// `SELECT` list after the group: `COUNT(*)` and two more numbers (`0` for none).
    numbers: String,
    /// The records of the period (binds: its first and last day), with the organization's
    /// id column to place and the grouping column.
    from: &'static str,
    org_column: &'static str,
    day_column: &'static str,
    group: &'static str,
}

/// Each [`Counted`] of the subtree `orgs` over `[from, to]`, in one statement: in a past tree
/// the organizations placed in the subtree are listed once for all of them.
async fn counted(
    store: &Store,
    orgs: &SubtreeIn,
    (from, to): (&str, &str),
    all: &[Counted],
) -> StoreResult<BTreeMap<&'static str, BTreeMap<String, Vec<i64>>>> {
    let (with, mut binds) = orgs.with_clause();
    let mut selects = Vec::new();
    for c in all {
        let (join, more) = orgs.join(c.org_column);
        binds.extend(more);
        binds.extend([from.to_owned(), to.to_owned()]);
        selects.push(format!(
            "SELECT '{}' AS what, {} AS g, {} FROM {} {join} WHERE {day} >= ? AND {day} <= ? \
             GROUP BY {}",
            c.what,
            c.group,
            c.numbers,
            c.from,
            c.group,
            day = c.day_column
        ));
    }
    let sql = format!("{with}{}", selects.join(" UNION ALL "));
    let rows = store.db.select(sql).bind_all(binds).fetch_all().await?;
    let mut out: BTreeMap<&'static str, BTreeMap<String, Vec<i64>>> =
        all.iter().map(|c| (c.what, BTreeMap::new())).collect();
    for r in &rows {
        let what = text(r, "what")?;
        let groups = out
            .get_mut(what.as_str())
            .ok_or_else(|| StoreError::Corrupt(format!("document figures: no count {what:?}")))?;
        let numbers = ["n", "a", "b"]
            .iter()
            .map(|c| int(r, c))
            .collect::<StoreResult<Vec<i64>>>()?;
        groups.insert(text(r, "g")?, numbers);
    }
    Ok(out)
}

/// `n`, `a` and `b` of a [`Counted`] from two more numbers.
fn numbers(a: &str, b: &str) -> String {
    format!("COUNT(*) AS n, CAST({a} AS BIGINT) AS a, CAST({b} AS BIGINT) AS b")
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
        let orgs = self.subtree_in(&root, to).await?;
        let (f, t) = (from.to_string(), to.to_string());
        let revoked = DocumentStatus::Revoked.as_str();
        let pass = CourseResult::Pass.as_str();
        let all = [
            Counted {
                what: "documents",
                numbers: numbers(
                    &format!(
                        "SUM(CASE WHEN d.parent_id IS NULL OR d.status = '{revoked}' THEN 0 ELSE 1 END)"
                    ),
                    "0",
                ),
                from: "documents d",
                org_column: "d.issuer_org_id",
                day_column: "d.issued_on",
                group: "d.type_code",
            },
            Counted {
                what: "reviews",
                numbers: numbers("0", "0"),
                from: "document_reviews r",
                org_column: "r.org_id",
                day_column: "r.held_on",
                group: "r.kind",
            },
            Counted {
                what: "events",
                numbers: numbers("SUM(e.non_member_count)", "0"),
                from: "dissemination_events e",
                org_column: "e.org_id",
                day_column: "e.held_on",
                group: "e.kind",
            },
            Counted {
                what: "attendees",
                numbers: numbers("0", "0"),
                from: "dissemination_attendees x JOIN dissemination_events e ON e.id = x.event_id",
                org_column: "e.org_id",
                day_column: "e.held_on",
                group: "e.kind",
            },
            Counted {
                what: "courses",
                numbers: numbers("0", "0"),
                from: "courses c",
                org_column: "c.org_id",
                day_column: "c.starts_on",
                group: "c.kind",
            },
            Counted {
                what: "participants",
                numbers: numbers(
                    &format!("SUM(CASE WHEN p.result = '{pass}' THEN 1 ELSE 0 END)"),
                    "SUM(CASE WHEN p.certificate_no IS NULL THEN 0 ELSE 1 END)",
                ),
                from: "course_participants p JOIN courses c ON c.id = p.course_id",
                org_column: "c.org_id",
                day_column: "c.starts_on",
                group: "c.kind",
            },
        ];
        let mut counts = counted(self, &orgs, (&f, &t), &all).await?;
        let mut take = |what: &str| counts.remove(what).unwrap_or_default();
        let (docs, reviews, events) = (take("documents"), take("reviews"), take("events"));
        let (attendees, courses, participants) =
            (take("attendees"), take("courses"), take("participants"));
        let mut out: Vec<Figure> = Vec::new();
        let mut push = |key: String, value: i64, description: String| {
            out.push(Figure::count(key, value, description))
        };

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
