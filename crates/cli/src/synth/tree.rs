//! The shape of the synthetic nation: how many communes, grassroots organizations and
//! cells a given number of members calls for, and the organization tree itself.

use grassroots_domain::date::Date;
use grassroots_domain::org::OrgKind;
use grassroots_domain::tree_path;

use super::names::{self, PROVINCES};
use super::rng::{Rng, apportion};

/// Members in the whole country in 2026, and the commune-level committees and grassroots
/// organizations that hold them (DOMAIN.md, Scale): the ratios the shape keeps at any size.
pub const NATION_MEMBERS: u64 = 5_600_000;
pub const NATION_COMMUNES: u64 = 3_321;
pub const NATION_GRASSROOTS: u64 = 52_000;

/// Share (per 10,000) of grassroots organizations that are committees with cells under them;
/// the others are grassroots cells that hold members directly.
const COMMITTEE_SHARE: u64 = 3_500;

/// The day the two-level local government began: provinces and communes of the synthetic
/// tree are founded on it.
pub fn reorganization_day() -> Date {
    Date::from_ymd_opt(2025, 7, 1).unwrap_or_default()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Shape {
    pub members: u64,
    pub provinces: u64,
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
        Shape {
            members,
            provinces,
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
}

/// The whole tree, parents before children (depth-first, so each subtree is contiguous).
pub fn build(shape: &Shape, rng: &Rng) -> Vec<OrgDraft> {
    let mut rng = rng.fork(1);
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
            reorg,
            p,
            Some("202/2025/QH15"),
        );
        let first_holder = out.len();
        let communes = communes_p[p];
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
            for g in 0..*g_count {
                let gcode = format!("{ccode}-G{:03}", g + 1);
                // A few organizations were founded after the reorganization.
                let founded = if rng.chance(500) {
                    reorg + chrono::Days::new(rng.below(120) + 1)
                } else {
                    reorg
                };
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
                    for k in 0..rng.between(3, 8) {
                        let label = names::CELLS[rng.below(names::CELLS.len() as u64) as usize];
                        add(
                            &mut out,
                            Some(committee),
                            format!("{gcode}-{:02}", k + 1),
                            format!("{label} {}", k + 1),
                            OrgKind::Cell,
                            founded,
                            p,
                            None,
                        );
                    }
                } else {
                    let label = names::GRASSROOTS_CELLS
                        [rng.below(names::GRASSROOTS_CELLS.len() as u64) as usize];
                    add(
                        &mut out,
                        Some(commune),
                        gcode,
                        format!("{label} {} {}", names::place(&mut rng), g + 1),
                        OrgKind::GrassrootsCell,
                        founded,
                        p,
                        None,
                    );
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
    out
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
                .filter(|o| o.kind == OrgKind::Provincial)
                .count(),
            34
        );
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
