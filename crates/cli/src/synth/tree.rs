//! The shape of the synthetic nation: how many communes, grassroots organizations and
//! cells a given number of members calls for, and the organization tree itself, with its
//! history through the 2025 reorganization (DOMAIN.md): until 1 July 2025 the grassroots
//! organizations sat under district committees, some of them in provinces that were then
//! merged into another; on that day the districts ended, the merged provinces joined the
//! province that kept its name, and every grassroots organization moved under one of the new
//! communes with its cells. The tree keeps both states, as the application's own tree changes
//! (move, dissolve, merge) record them.

use grassroots_domain::date::Date;
use grassroots_domain::org::{OrgKind, TreeChange};
use grassroots_domain::tree_path;

use super::names::{self, MERGED_PROVINCES, PROVINCES};
use super::rng::{Rng, apportion};

/// Members in the whole country in 2026, and the commune-level committees and grassroots
/// organizations that hold them (DOMAIN.md, Scale): the ratios the shape keeps at any size.
pub const NATION_MEMBERS: u64 = 5_600_000;
pub const NATION_COMMUNES: u64 = 3_321;
pub const NATION_GRASSROOTS: u64 = 52_000;
/// District-level units before the reorganization ended them.
pub const NATION_DISTRICTS: u64 = 696;

/// Share (per 10,000) of grassroots organizations that are committees with cells under them;
/// the others are grassroots cells that hold members directly.
const COMMITTEE_SHARE: u64 = 3_500;

/// The day the two-level local government began: the communes of the synthetic tree are
/// founded on it, the districts and merged provinces end on it.
pub fn reorganization_day() -> Date {
    Date::from_ymd_opt(2025, 7, 1).unwrap_or_default()
}

/// The founding day of the provinces, and the earliest of the districts.
fn provinces_founded() -> Date {
    Date::from_ymd_opt(1976, 7, 2).unwrap_or_default()
}

/// The last day a grassroots organization of the old tree may have been founded.
fn old_tree_until() -> Date {
    Date::from_ymd_opt(2024, 12, 31).unwrap_or_default()
}

/// The decisions behind the reorganization's changes.
const MERGED_BY: &str = "202/2025/QH15";
const DISTRICTS_ENDED_BY: &str = "60-NQ/TW";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Shape {
    pub members: u64,
    pub provinces: u64,
    /// Districts before the reorganization (about: each province has at least one and at
    /// most one per commune).
    pub districts: u64,
    pub communes: u64,
    pub grassroots: u64,
}

impl Shape {
    /// The national proportions scaled to `members`: 34 provinces always, at least one
    /// commune per province and two grassroots organizations per commune.
    pub fn for_members(members: u64) -> Shape {
        let provinces = PROVINCES.len() as u64;
        let scaled =
            |nation: u64| (members as f64 * nation as f64 / NATION_MEMBERS as f64).round() as u64;
        let communes = scaled(NATION_COMMUNES).max(provinces);
        let grassroots = scaled(NATION_GRASSROOTS).max(2 * communes);
        let districts = scaled(NATION_DISTRICTS).clamp(provinces, communes);
        Shape {
            members,
            provinces,
            districts,
            communes,
            grassroots,
        }
    }
}

/// One organization to write, with the number of members it holds (cells only).
#[derive(Debug, Clone)]
pub struct OrgDraft {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: OrgKind,
    pub parent_id: Option<i64>,
    pub path: String,
    pub depth: i64,
    pub founded_on: Date,
    pub decision: Option<&'static str>,
    /// Index into [`PROVINCES`] (the root has none; it uses 0).
    pub province: usize,
    pub members: u64,
    /// Where it sat until the reorganization, for an organization that moved then.
    pub before: Option<Before>,
    /// How it ended on the reorganization day (districts, merged provinces).
    pub ended: Option<Ended>,
}

/// The place of an organization in the tree before the reorganization.
#[derive(Debug, Clone)]
pub struct Before {
    pub parent_id: i64,
    pub path: String,
    /// The "moved" event that took it (or the grassroots organization it belongs to) to
    /// its commune.
    pub moved_by: i64,
}

/// The end of an organization.
#[derive(Debug, Clone)]
pub struct Ended {
    pub on: Date,
    /// The province a merged province joined.
    pub successor_id: Option<i64>,
    pub event_id: i64,
}

/// A change of the tree on the reorganization day (the "created" events are each
/// organization's own, with its id).
#[derive(Debug, Clone)]
pub struct TreeEvent {
    pub id: i64,
    pub change: TreeChange,
    pub on: Date,
    pub decision: Option<&'static str>,
    pub details: serde_json::Value,
}

/// The whole tree, parents before children (depth-first in the current tree, so each
/// current subtree is contiguous; a province's districts and the provinces merged into it
/// come right after it, without current children).
pub fn build(shape: &Shape, rng: &Rng) -> Vec<OrgDraft> {
    let mut rng = rng.fork(1);
    // The old tree's dates and names come from their own stream.
    let mut past = rng.fork(7);
    let mut out: Vec<OrgDraft> = Vec::new();
    let reorg = reorganization_day();
    let mut next_id = 1i64;
    let mut add = |out: &mut Vec<OrgDraft>,
                   parent: Option<usize>,
                   code: String,
                   name: String,
                   kind: OrgKind,
                   founded_on: Date,
                   province: usize,
                   decision: Option<&'static str>| {
        let id = next_id;
        next_id += 1;
        let (parent_id, parent_path) = match parent {
            Some(p) => (Some(out[p].id), Some(out[p].path.clone())),
            None => (None, None),
        };
        let path = tree_path::child_path(parent_path.as_deref(), id);
        out.push(OrgDraft {
            id,
            code,
            name,
            kind,
            parent_id,
            depth: tree_path::depth(&path),
            path,
            founded_on,
            decision,
            province,
            members: 0,
            before: None,
            ended: None,
        });
        out.len() - 1
    };
    let root = add(
        &mut out,
        None,
        "TW".into(),
        "Ban Chấp hành Trung ương Đảng".into(),
        OrgKind::Central,
        Date::from_ymd_opt(1930, 2, 3).unwrap_or_default(),
        0,
        None,
    );
    let weights: Vec<f64> = PROVINCES.iter().map(|p| f64::from(p.3)).collect();
    let members_p = apportion(shape.members, &weights, 0);
    let communes_p = apportion(shape.communes, &weights, 1);
    let extra_g = apportion(
        shape.grassroots.saturating_sub(2 * shape.communes),
        &weights,
        0,
    );
    for (p, (pname, city, _, _)) in PROVINCES.iter().enumerate() {
        let pcode = format!("P{:02}", p + 1);
        let title = if *city { "thành phố" } else { "tỉnh" };
        let province = add(
            &mut out,
            Some(root),
            pcode.clone(),
            format!("Đảng bộ {title} {pname}"),
            OrgKind::Provincial,
            provinces_founded(),
            p,
            None,
        );
        // The old provinces that joined this one, and the districts of all of them.
        let mut old_provinces = vec![province];
        for (m, (mname, _)) in MERGED_PROVINCES
            .iter()
            .enumerate()
            .filter(|(_, (_, into))| *into == p)
        {
            let merged = add(
                &mut out,
                Some(root),
                format!("P{:02}-M{}", p + 1, m + 1),
                format!("Đảng bộ tỉnh {mname}"),
                OrgKind::Provincial,
                provinces_founded(),
                p,
                None,
            );
            out[merged].ended = Some(Ended {
                on: reorg,
                successor_id: Some(out[province].id),
                event_id: 0,
            });
            old_provinces.push(merged);
        }
        let communes = communes_p[p];
        let districts = districts_of(shape, communes, old_provinces.len() as u64);
        let mut district_at = Vec::with_capacity(districts as usize);
        for d in 0..districts {
            let within = old_provinces[(d as usize * old_provinces.len()) / districts as usize];
            let founded = provinces_founded() + chrono::Days::new(past.below(20 * 365));
            let (word, code_word) = match past.below(100) {
                0..=79 => ("huyện", "H"),
                80..=91 => ("thị xã", "X"),
                92..=96 => ("quận", "Q"),
                _ => ("thành phố", "T"),
            };
            let district = add(
                &mut out,
                Some(within),
                format!("{pcode}-{code_word}{:02}", d + 1),
                format!("Đảng bộ {word} {}", names::place(&mut past)),
                OrgKind::District,
                founded,
                p,
                None,
            );
            out[district].ended = Some(Ended {
                on: reorg,
                successor_id: None,
                event_id: 0,
            });
            district_at.push(district);
        }
        let first_holder = out.len();
        let commune_w: Vec<f64> = (0..communes).map(|_| 0.5 + rng.unit()).collect();
        let grassroots_c = apportion(2 * communes + extra_g[p], &commune_w, 2);
        for (c, g_count) in grassroots_c.iter().enumerate() {
            let ccode = format!("{pcode}-C{:04}", c + 1);
            let (word, cword) = match rng.below(100) {
                0..=77 => ("xã", "xã"),
                78..=98 => ("phường", "phường"),
                _ => ("đặc khu", "đặc khu"),
            };
            let commune = add(
                &mut out,
                Some(province),
                ccode.clone(),
                format!("Đảng bộ {word} {}", names::place(&mut rng)),
                OrgKind::Commune,
                reorg,
                p,
                Some("1656/NQ-UBTVQH15"),
            );
            // The commune's grassroots organizations all come from one district.
            let district = district_at[(c * district_at.len()) / grassroots_c.len()];
            let district_founded = out[district].founded_on;
            for g in 0..*g_count {
                let gcode = format!("{ccode}-G{:03}", g + 1);
                // A few organizations were founded after the reorganization; the others
                // under their district, and moved.
                let founded = if rng.chance(500) {
                    reorg + chrono::Days::new(rng.below(120) + 1)
                } else {
                    district_founded
                        + chrono::Days::new(
                            past.below(span(district_founded, old_tree_until()).max(1)),
                        )
                };
                let from_district = (founded < reorg).then_some(district);
                if rng.chance(COMMITTEE_SHARE) {
                    let label = names::GRASSROOTS_COMMITTEES
                        [rng.below(names::GRASSROOTS_COMMITTEES.len() as u64) as usize];
                    let committee = add(
                        &mut out,
                        Some(commune),
                        gcode.clone(),
                        format!("{label} {cword} {}", names::place(&mut rng)),
                        OrgKind::GrassrootsCommittee,
                        founded,
                        p,
                        None,
                    );
                    place_before(&mut out, committee, from_district);
                    for k in 0..rng.between(3, 8) {
                        let label = names::CELLS[rng.below(names::CELLS.len() as u64) as usize];
                        let cell = add(
                            &mut out,
                            Some(committee),
                            format!("{gcode}-{:02}", k + 1),
                            format!("{label} {}", k + 1),
                            OrgKind::Cell,
                            founded,
                            p,
                            None,
                        );
                        place_before(&mut out, cell, from_district.map(|_| committee));
                    }
                } else {
                    let label = names::GRASSROOTS_CELLS
                        [rng.below(names::GRASSROOTS_CELLS.len() as u64) as usize];
                    let cell = add(
                        &mut out,
                        Some(commune),
                        gcode,
                        format!("{label} {} {}", names::place(&mut rng), g + 1),
                        OrgKind::GrassrootsCell,
                        founded,
                        p,
                        None,
                    );
                    place_before(&mut out, cell, from_district);
                }
            }
        }
        // The province's members go to its cells, unevenly (a cell holds 3 or more when
        // there are enough members for that).
        let holders: Vec<usize> = (first_holder..out.len())
            .filter(|i| out[*i].kind.holds_members())
            .collect();
        let cell_w: Vec<f64> = holders.iter().map(|_| 0.3 + 1.4 * rng.unit()).collect();
        for (i, n) in holders.iter().zip(apportion(members_p[p], &cell_w, 3)) {
            out[*i].members = n;
        }
    }
    number_events(&mut out);
    out
}

/// Districts of a province with `communes` communes, made of `provinces` old provinces: the
/// national share, at least one per old province, at most one per commune.
fn districts_of(shape: &Shape, communes: u64, provinces: u64) -> u64 {
    let share = (communes as f64 * shape.districts as f64 / shape.communes.max(1) as f64).round();
    (share as u64).max(provinces).min(communes).max(1)
}

/// Whole days from `from` to `to` (0 when `to` comes first).
pub fn span(from: Date, to: Date) -> u64 {
    (to - from).num_days().max(0) as u64
}

/// Records where `org` sat before the reorganization: under `old_parent` (a district, or
/// the grassroots committee of a cell), at the path it had there. `None`: it did not move.
fn place_before(out: &mut [OrgDraft], org: usize, old_parent: Option<usize>) {
    let Some(parent) = old_parent else {
        return;
    };
    let parent_path = out[parent]
        .before
        .as_ref()
        .map_or_else(|| out[parent].path.clone(), |b| b.path.clone());
    out[org].before = Some(Before {
        parent_id: out[parent].id,
        path: tree_path::child_path(Some(&parent_path), out[org].id),
        moved_by: 0,
    });
}

/// Gives the reorganization's events their ids, after the "created" events (which take
/// the organizations' ids): one "moved" event per grassroots organization moved (its cells
/// move with it), one "dissolved" per district, one "merged" per province that others
/// joined.
fn number_events(out: &mut [OrgDraft]) {
    let mut next = out.len() as i64 + 1;
    let mut moved_by: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
    for o in out.iter_mut() {
        let (id, kind) = (o.id, o.kind);
        let Some(before) = o.before.as_mut() else {
            continue;
        };
        let event = match kind {
            OrgKind::Cell => moved_by.get(&before.parent_id).copied().unwrap_or(0),
            _ => {
                next += 1;
                next - 1
            }
        };
        moved_by.insert(id, event);
        before.moved_by = event;
    }
    for o in out.iter_mut().filter(|o| o.kind == OrgKind::District) {
        if let Some(ended) = o.ended.as_mut() {
            ended.event_id = next;
            next += 1;
        }
    }
    let mut merged_into: std::collections::BTreeMap<i64, i64> = std::collections::BTreeMap::new();
    for o in out.iter_mut().filter(|o| o.kind == OrgKind::Provincial) {
        if let Some(ended) = o.ended.as_mut()
            && let Some(target) = ended.successor_id
        {
            ended.event_id = *merged_into.entry(target).or_insert_with(|| {
                next += 1;
                next - 1
            });
        }
    }
}

/// The reorganization's events, in the order of their ids.
pub fn reorganization_events(tree: &[OrgDraft]) -> Vec<TreeEvent> {
    let mut events: std::collections::BTreeMap<i64, TreeEvent> = std::collections::BTreeMap::new();
    for o in tree {
        if let Some(before) = &o.before
            && o.kind != OrgKind::Cell
        {
            events.insert(
                before.moved_by,
                TreeEvent {
                    id: before.moved_by,
                    change: TreeChange::Moved,
                    on: reorganization_day(),
                    decision: None,
                    details: serde_json::json!({
                        "org_id": o.id,
                        "from_parent": before.parent_id,
                        "to_parent": o.parent_id,
                    }),
                },
            );
        }
        let Some(ended) = &o.ended else {
            continue;
        };
        match ended.successor_id {
            None => {
                events.insert(
                    ended.event_id,
                    TreeEvent {
                        id: ended.event_id,
                        change: TreeChange::Dissolved,
                        on: ended.on,
                        decision: Some(DISTRICTS_ENDED_BY),
                        details: serde_json::json!({ "org_id": o.id }),
                    },
                );
            }
            Some(target) => {
                let event = events.entry(ended.event_id).or_insert_with(|| TreeEvent {
                    id: ended.event_id,
                    change: TreeChange::Merged,
                    on: ended.on,
                    decision: Some(MERGED_BY),
                    details: serde_json::json!({ "sources": [], "target": target }),
                });
                if let Some(sources) = event.details["sources"].as_array_mut() {
                    sources.push(serde_json::json!(o.id));
                }
            }
        }
    }
    events.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nation_has_the_reported_shape() {
        let s = Shape::for_members(NATION_MEMBERS);
        assert_eq!((s.provinces, s.communes, s.grassroots), (34, 3_321, 52_000));
        let small = Shape::for_members(10_000);
        assert_eq!(small.provinces, 34);
        assert_eq!(small.communes, 34);
        assert!(small.grassroots >= 68);
    }

    #[test]
    fn the_tree_holds_every_member_once() {
        let shape = Shape::for_members(5_000);
        let tree = build(&shape, &Rng::new(3));
        assert_eq!(tree.iter().map(|o| o.members).sum::<u64>(), 5_000);
        assert_eq!(
            tree.iter()
                .filter(|o| o.kind == OrgKind::Provincial && o.ended.is_none())
                .count(),
            34
        );
        assert_eq!(
            tree.iter()
                .filter(|o| o.kind == OrgKind::Provincial)
                .count(),
            63
        );
        let find = |id: i64| tree.iter().find(|p| p.id == id).unwrap();
        for o in &tree {
            // Before the reorganization: under a district (a grassroots organization) or
            // under the same grassroots committee (a cell), at the path the parent had then.
            if let Some(before) = &o.before {
                let old = find(before.parent_id);
                assert!(o.kind.may_be_child_of(old.kind), "{}", o.code);
                let old_path = old.before.as_ref().map_or(&old.path, |b| &b.path);
                assert!(before.path.starts_with(old_path.as_str()), "{}", o.code);
                assert!(o.founded_on < reorganization_day());
                assert!(old.founded_on <= o.founded_on, "{}", o.code);
                assert!(before.moved_by > tree.len() as i64);
            } else if o.kind.holds_members() && o.kind != OrgKind::Cell {
                assert!(o.founded_on > reorganization_day(), "{}", o.code);
            }
            if o.kind == OrgKind::District {
                assert_eq!(o.ended.as_ref().unwrap().on, reorganization_day());
            }
        }
        // Every event id is used once, after the organizations' own.
        let events = reorganization_events(&tree);
        let ids: std::collections::BTreeSet<i64> = events.iter().map(|e| e.id).collect();
        assert_eq!(ids.len(), events.len());
        assert_eq!(*ids.first().unwrap(), tree.len() as i64 + 1);
        assert_eq!(
            *ids.last().unwrap(),
            tree.len() as i64 + events.len() as i64
        );
        let merged: usize = events
            .iter()
            .filter(|e| e.change == TreeChange::Merged)
            .map(|e| e.details["sources"].as_array().unwrap().len())
            .sum();
        assert_eq!(merged, 29);
        for o in &tree {
            if let Some(pid) = o.parent_id {
                let parent = tree.iter().find(|p| p.id == pid).unwrap();
                assert!(o.kind.may_be_child_of(parent.kind), "{}", o.code);
                assert!(o.path.starts_with(&parent.path));
                assert!(parent.id < o.id);
            }
            assert!(o.members == 0 || o.kind.holds_members());
        }
        let again = build(&shape, &Rng::new(3));
        assert_eq!(
            tree.iter().map(|o| &o.name).collect::<Vec<_>>(),
            again.iter().map(|o| &o.name).collect::<Vec<_>>()
        );
    }
}
