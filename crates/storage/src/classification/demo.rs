//! Demo classifications for `grassroots demo` / `serve --demo`: every member who was
//! official or probationary in a review year, and every grassroots organization and cell
//! that existed in it, classified by their superior on 20 December, with a deterministic
//! spread close to the seeds' reports (about 88–90 % of members and of organizations
//! "good or better"). The levels follow the rulebook in force on the decision date: under
//! a quota scheme "excellent" stays within the quota of each grassroots organization, under
//! a points scheme each decision carries points that earn its level.
//!
//! Written in bulk, in one transaction per year, with one audit entry per grassroots
//! organization and year naming how many records it holds.

use std::collections::{BTreeMap, HashMap};

use grassroots_domain::classification::{Level, Tally};
use grassroots_domain::date::Date;
use grassroots_domain::org::OrgKind;
use grassroots_domain::rulebook::Rulebook;

use crate::audit::{self, Change};
use crate::lifecycle::rules;
use crate::row::{int, opt_int, parsed, text};
use crate::{Actor, Store, StoreResult};

/// What the demo wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoClassifications {
    pub members: Tally,
    pub orgs: Tally,
}

/// A well-mixed number from a subject and a year, the same on every run.
fn mix(id: i64, year: i32, salt: u64) -> u64 {
    let mut x = (id as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add((year as u64).wrapping_mul(0xBF58_476D_1CE4_E5B9))
        .wrapping_add(salt);
    x ^= x >> 31;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 29)
}

/// Points that earn `level` under a points scheme, spread inside the level's band.
fn points_for(book: &Rulebook, level: Level, h: u64) -> Option<i64> {
    let c = &book.classification;
    if c.scheme != "points" {
        return None;
    }
    let (lo, hi) = match level {
        Level::Excellent => (c.excellent_min_points?, 100),
        Level::Good => (c.good_min_points?, c.excellent_min_points? - 1),
        Level::Completed => (c.completed_min_points?, c.good_min_points? - 1),
        Level::NotCompleted => (
            c.completed_min_points?.saturating_sub(15),
            c.completed_min_points? - 1,
        ),
    };
    Some(i64::from(lo) + (h % u64::from(hi - lo + 1)) as i64)
}

/// A level from a per-mille draw: `not`, `completed` and `excellent` per mille, the rest good.
fn level_of(h: u64, not: u64, completed: u64, excellent: u64) -> Level {
    match h % 1000 {
        x if x < not => Level::NotCompleted,
        x if x < not + completed => Level::Completed,
        x if x >= 1000 - excellent => Level::Excellent,
        _ => Level::Good,
    }
}

/// What the demo needs to know of an organization.
struct DemoOrg {
    kind: OrgKind,
    parent: Option<i64>,
    path: String,
    founded: String,
    dissolved: Option<String>,
}

struct Row {
    kind: &'static str,
    subject_id: i64,
    member_id: Option<i64>,
    org_id: i64,
    grassroots_id: i64,
    level: Level,
    points: Option<i64>,
    decided_by: i64,
}

impl Store {
    /// Classifies the demo's members and organizations for each of `years` (skipping a
    /// year whose 20 December is after `today`).
    pub async fn demo_classifications(
        &self,
        actor: &Actor,
        years: &[i32],
        today: Date,
    ) -> StoreResult<DemoClassifications> {
        let mut done = DemoClassifications::default();
        // Every organization: kind, parent, path, founded, dissolved.
        let sql = self.db.sql(
            "SELECT id, kind, parent_id, path, founded_on, dissolved_on FROM orgs ORDER BY path",
        );
        let orgs = sqlx::query(&sql).fetch_all(self.db.read()).await?;
        let mut by_id: HashMap<i64, DemoOrg> = HashMap::new();
        for r in &orgs {
            by_id.insert(
                int(r, "id")?,
                DemoOrg {
                    kind: parsed(r, "kind", OrgKind::parse)?,
                    parent: opt_int(r, "parent_id")?,
                    path: text(r, "path")?,
                    founded: text(r, "founded_on")?,
                    dissolved: crate::row::opt_text(r, "dissolved_on")?,
                },
            );
        }
        let grassroots_of = |org_id: i64| -> Option<i64> {
            let org = by_id.get(&org_id)?;
            match org.kind {
                OrgKind::GrassrootsCommittee | OrgKind::GrassrootsCell => Some(org_id),
                OrgKind::Cell => org.parent,
                _ => None,
            }
        };
        for &year in years {
            let Some(decided_on) = Date::from_ymd_opt(year, 12, 20) else {
                continue;
            };
            if decided_on > today {
                continue;
            }
            let (first, last) = (format!("{year}-01-01"), format!("{year}-12-31"));
            let book = rules(decided_on)?;
            let mut rows: Vec<Row> = Vec::new();

            // Members official or probationary at some time in the year, in their cell now.
            let sql = self.db.sql(
                "SELECT m.id, m.org_id FROM members m WHERE m.org_id IS NOT NULL AND EXISTS (\
                 SELECT 1 FROM member_statuses s WHERE s.member_id = m.id AND s.status IN ('official', 'probationary') \
                 AND s.valid_from <= ? AND (s.valid_to IS NULL OR s.valid_to > ?)) ORDER BY m.id",
            );
            let members = sqlx::query(&sql)
                .bind(&last)
                .bind(&first)
                .fetch_all(self.db.read())
                .await?;
            let mut per_grassroots: BTreeMap<i64, Vec<Row>> = BTreeMap::new();
            for r in &members {
                let (id, org_id) = (int(r, "id")?, int(r, "org_id")?);
                let Some(grassroots_id) = grassroots_of(org_id) else {
                    continue;
                };
                let level = level_of(mix(id, year, 1), 15, 90, 0);
                per_grassroots.entry(grassroots_id).or_default().push(Row {
                    kind: "member",
                    subject_id: id,
                    member_id: Some(id),
                    org_id,
                    grassroots_id,
                    level,
                    points: None,
                    decided_by: grassroots_id,
                });
            }
            // Raise some "good" to "excellent": about 14 % of those good or better, and never
            // more than the quota of the organization under a quota scheme.
            for group in per_grassroots.values_mut() {
                let good_or_better = group.iter().filter(|r| r.level == Level::Good).count() as u32;
                let mut excellent = good_or_better * 14 / 100;
                while let Some(quota) = book.excellent_quota(good_or_better - excellent)
                    && excellent > quota
                {
                    excellent -= 1;
                }
                let mut order: Vec<usize> = (0..group.len())
                    .filter(|i| group[*i].level == Level::Good)
                    .collect();
                order.sort_by_key(|i| mix(group[*i].subject_id, year, 2));
                for i in order.into_iter().take(excellent as usize) {
                    group[i].level = Level::Excellent;
                }
                for row in group.iter_mut() {
                    row.points = points_for(&book, row.level, mix(row.subject_id, year, 3));
                }
            }
            rows.extend(per_grassroots.into_values().flatten());

            // Organizations that existed in the year, classified by their superior.
            for (id, org) in &by_id {
                let classified = matches!(
                    org.kind,
                    OrgKind::GrassrootsCommittee | OrgKind::GrassrootsCell | OrgKind::Cell
                );
                let existed = org.founded.as_str() <= last.as_str()
                    && org.dissolved.as_deref().is_none_or(|d| d >= first.as_str());
                let (Some(parent), Some(grassroots_id)) = (org.parent, grassroots_of(*id)) else {
                    continue;
                };
                if !classified || !existed {
                    continue;
                }
                let level = level_of(mix(*id, year, 4), 25, 85, 160);
                rows.push(Row {
                    kind: "org",
                    subject_id: *id,
                    member_id: None,
                    org_id: *id,
                    grassroots_id,
                    level,
                    points: points_for(&book, level, mix(*id, year, 5)),
                    decided_by: parent,
                });
            }
            rows.sort_by_key(|r| (r.grassroots_id, r.kind, r.subject_id));

            let mut tx = self.db.begin().await?;
            let insert = self.db.sql(
                "INSERT INTO classifications (subject_kind, subject_id, member_id, org_id, grassroots_id, year, revision, \
                 supersedes, level, points, rulebook, scheme, decided_on, decided_by, note, actor, recorded_at) \
                 VALUES (?, ?, ?, ?, ?, ?, 1, NULL, ?, ?, ?, ?, ?, ?, NULL, ?, ?)",
            );
            let now = audit::now();
            let mut per_org: BTreeMap<i64, (Tally, Tally)> = BTreeMap::new();
            for row in &rows {
                sqlx::query(&insert)
                    .bind(row.kind)
                    .bind(row.subject_id)
                    .bind(row.member_id)
                    .bind(row.org_id)
                    .bind(row.grassroots_id)
                    .bind(i64::from(year))
                    .bind(row.level.as_str())
                    .bind(row.points)
                    .bind(&book.id)
                    .bind(&book.classification.scheme)
                    .bind(decided_on.to_string())
                    .bind(row.decided_by)
                    .bind(&actor.0)
                    .bind(&now)
                    .execute(&mut *tx)
                    .await?;
                let entry = per_org.entry(row.grassroots_id).or_default();
                if row.kind == "member" {
                    entry.0.add(row.level, 1);
                    done.members.add(row.level, 1);
                } else {
                    entry.1.add(row.level, 1);
                    if by_id
                        .get(&row.subject_id)
                        .is_some_and(|o| o.kind.is_grassroots())
                    {
                        done.orgs.add(row.level, 1);
                    }
                }
            }
            for (grassroots_id, (members, organizations)) in per_org {
                let path = by_id
                    .get(&grassroots_id)
                    .map(|o| o.path.clone())
                    .unwrap_or_else(|| "/".into());
                audit::record(
                    &self.db,
                    &mut tx,
                    actor,
                    Change {
                        action: "classify_demo",
                        entity: "classification",
                        entity_id: format!("{grassroots_id}/{year}"),
                        org_path: &path,
                        before: None,
                        after: Some(serde_json::json!({
                            "year": year,
                            "rulebook": book.id,
                            "members": members,
                            "organizations": organizations,
                        })),
                    },
                )
                .await?;
            }
            tx.commit().await?;
        }
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_earn_their_level() {
        let book = Rulebook::in_force("2025-12-20".parse().unwrap()).unwrap();
        for level in Level::ALL {
            for h in 0..200 {
                let p = points_for(&book, level, h).unwrap();
                assert_eq!(book.classify_points(p as u32), Some(level), "{p}");
            }
        }
        let quota = Rulebook::in_force("2024-12-20".parse().unwrap()).unwrap();
        assert_eq!(points_for(&quota, Level::Good, 3), None);
    }

    #[test]
    fn the_spread_is_mostly_good() {
        let mut t = Tally::default();
        for id in 0..10_000 {
            t.add(level_of(mix(id, 2025, 1), 15, 90, 0), 1);
        }
        let rate = t.good_or_better_rate();
        assert!((0.87..0.91).contains(&rate), "{rate}");
    }
}
