//! What each organization adds to the meeting figures of any subtree it is in: its own
//! meetings, the marks at them, its own official members, the alerts raised at it and the
//! members and cells they flag. A subtree's figures are the sum of its organizations' parts
//! (distinct members and cells flagged: the union of their sets), which lets a report keep
//! parts and add up only what changed ([`super::kept_parts`]).
//!
//! The sum is exact because every figure is attributed to exactly one organization: a mark
//! to the meeting's organization, an alert to the organization it names, a member's alerts
//! judged on the member's whole record wherever the subtree is drawn (see the gathering's
//! choice of members to judge in `figures.rs`).

use std::collections::{BTreeMap, BTreeSet};

use grassroots_domain::figures::Figure;
use grassroots_domain::meetings::{AlertRule, Period};
use serde::{Deserialize, Serialize};

use super::figures::{ByOrg, CellFigures, Gathered, figure_keys, tally};

/// The additive meeting figures of one organization, or of a set of them added up.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Part {
    #[serde(rename = "c")]
    pub counts: CellFigures,
    /// Cells (organizations that hold members) counted.
    #[serde(rename = "n", default)]
    pub cells: i64,
    /// Meeting evaluations by level.
    #[serde(rename = "e", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub evaluations: BTreeMap<String, i64>,
    /// Alerts by rule key.
    #[serde(rename = "a", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub alerts: BTreeMap<String, i64>,
    /// Members flagged by each member rule.
    #[serde(rename = "m", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub members_flagged: BTreeMap<String, BTreeSet<i64>>,
    /// Cells flagged by each cell rule.
    #[serde(rename = "f", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub cells_flagged: BTreeMap<String, BTreeSet<i64>>,
}

impl Part {
    pub fn add(&mut self, other: &Part) {
        self.counts.add(&other.counts);
        self.cells += other.cells;
        for (level, n) in &other.evaluations {
            *self.evaluations.entry(level.clone()).or_default() += n;
        }
        for (rule, n) in &other.alerts {
            *self.alerts.entry(rule.clone()).or_default() += n;
        }
        for (rule, ids) in &other.members_flagged {
            self.members_flagged
                .entry(rule.clone())
                .or_default()
                .extend(ids);
        }
        for (rule, ids) in &other.cells_flagged {
            self.cells_flagged
                .entry(rule.clone())
                .or_default()
                .extend(ids);
        }
    }

    pub fn sum<'a>(parts: impl IntoIterator<Item = &'a Part>) -> Part {
        let mut total = Part::default();
        for part in parts {
            total.add(part);
        }
        total
    }

    /// Alerts by rule, and the distinct members (member rules) or cells (cell rules) each
    /// flagged: every rule listed, 0 when none.
    pub fn by_rule(&self) -> ByRule {
        let mut out = ByRule::default();
        for rule in AlertRule::ALL {
            let key = rule.key().to_owned();
            let count = |sets: &BTreeMap<String, BTreeSet<i64>>| {
                sets.get(&key).map_or(0, |ids| ids.len() as i64)
            };
            let flagged = if rule.is_about_members() {
                (&mut out.members_flagged, count(&self.members_flagged))
            } else {
                (&mut out.cells_flagged, count(&self.cells_flagged))
            };
            flagged.0.insert(key.clone(), flagged.1);
            let alerts = self.alerts.get(&key).copied().unwrap_or(0);
            out.alerts.insert(key, alerts);
        }
        out
    }

    /// Evaluations by level, every level of `levels` listed.
    pub fn evaluations_by_level(&self, levels: &[String]) -> BTreeMap<String, i64> {
        let mut out: BTreeMap<String, i64> = levels.iter().map(|l| (l.clone(), 0)).collect();
        for (level, n) in &self.evaluations {
            *out.entry(level.clone()).or_default() += n;
        }
        out
    }

    /// The figures under their dotted keys; `levels` are the meeting-quality levels of the
    /// rulebook in force at the end of the period.
    pub fn keys(&self, levels: &[String]) -> Vec<Figure> {
        let by_rule = self.by_rule();
        figure_keys(
            &self.counts,
            self.cells,
            &by_rule.alerts,
            &by_rule.members_flagged,
            &by_rule.cells_flagged,
            levels,
            &self.evaluations,
        )
    }
}

/// A part's alerts counted by rule ([`Part::by_rule`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ByRule {
    pub alerts: BTreeMap<String, i64>,
    pub members_flagged: BTreeMap<String, i64>,
    pub cells_flagged: BTreeMap<String, i64>,
}

/// Each gathered organization's own part.
pub(super) fn own_parts(g: &Gathered, period: &Period) -> BTreeMap<i64, Part> {
    let by_org = ByOrg::of(g);
    let mut parts: BTreeMap<i64, Part> = g
        .orgs
        .iter()
        .map(|org| {
            let mut counts = tally(g, &by_org, org, period);
            counts.org_id = 0;
            counts.code.clear();
            counts.name.clear();
            let part = Part {
                counts,
                cells: i64::from(org.kind.holds_members()),
                evaluations: g.evaluations.get(&org.id).cloned().unwrap_or_default(),
                ..Part::default()
            };
            (org.id, part)
        })
        .collect();
    for alert in &g.alerts {
        let Some(part) = parts.get_mut(&alert.org_id) else {
            continue;
        };
        let rule = alert.rule.key().to_owned();
        *part.alerts.entry(rule.clone()).or_default() += 1;
        if alert.rule.is_about_members() {
            if let Some(member) = alert.member_id {
                part.members_flagged.entry(rule).or_default().insert(member);
            }
        } else {
            part.cells_flagged
                .entry(rule)
                .or_default()
                .insert(alert.org_id);
        }
    }
    parts
}
