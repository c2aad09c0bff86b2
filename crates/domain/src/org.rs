//! Party organizations and the changes that reshape the tree.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// What an organization is. The superior committees are distinguished by level, because
/// reports count them separately and the 2025 reorganization removed the district level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// The Central Committee (Ban Chấp hành Trung ương).
    Central,
    /// A provincial or city party committee, or a bloc committee directly under the centre.
    Provincial,
    /// A district-level committee (town, district, bloc under a province). Ended on 2025-07-01.
    District,
    /// A commune, ward or special-zone committee (đảng bộ xã/phường/đặc khu).
    Commune,
    /// A grassroots party committee (đảng bộ cơ sở).
    GrassrootsCommittee,
    /// A grassroots party cell (chi bộ cơ sở): a cell with no committee above it but the superior.
    GrassrootsCell,
    /// A cell under a grassroots committee (chi bộ trực thuộc đảng ủy cơ sở).
    Cell,
    /// A party group inside a large cell (tổ đảng).
    PartyGroup,
}

impl OrgKind {
    pub const ALL: [OrgKind; 8] = [
        OrgKind::Central,
        OrgKind::Provincial,
        OrgKind::District,
        OrgKind::Commune,
        OrgKind::GrassrootsCommittee,
        OrgKind::GrassrootsCell,
        OrgKind::Cell,
        OrgKind::PartyGroup,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Central => "central",
            OrgKind::Provincial => "provincial",
            OrgKind::District => "district",
            OrgKind::Commune => "commune",
            OrgKind::GrassrootsCommittee => "grassroots_committee",
            OrgKind::GrassrootsCell => "grassroots_cell",
            OrgKind::Cell => "cell",
            OrgKind::PartyGroup => "party_group",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// Organizations where members hold their membership ("sinh hoạt"): the cells.
    pub fn holds_members(self) -> bool {
        matches!(self, OrgKind::GrassrootsCell | OrgKind::Cell)
    }

    /// Grassroots organizations (tổ chức cơ sở đảng), the unit that most figures count.
    pub fn is_grassroots(self) -> bool {
        matches!(self, OrgKind::GrassrootsCommittee | OrgKind::GrassrootsCell)
    }

    /// Whether an organization of this kind may sit directly under `parent`.
    pub fn may_be_child_of(self, parent: OrgKind) -> bool {
        use OrgKind::*;
        match self {
            Central => false,
            Provincial => parent == Central,
            District => matches!(parent, Central | Provincial),
            Commune => matches!(parent, Provincial | District),
            GrassrootsCommittee | GrassrootsCell => {
                matches!(parent, Central | Provincial | District | Commune)
            }
            Cell => parent == GrassrootsCommittee,
            PartyGroup => matches!(parent, GrassrootsCell | Cell),
        }
    }

    pub fn check_parent(self, parent: Option<OrgKind>, record: &str) -> Result<(), DomainError> {
        match parent {
            None if self == OrgKind::Central || self == OrgKind::Provincial => Ok(()),
            None => Err(DomainError::invalid(
                record,
                "parent",
                format!("a {} needs a parent organization", self.as_str()),
            )),
            Some(p) if self.may_be_child_of(p) => Ok(()),
            Some(p) => Err(DomainError::invalid(
                record,
                "parent",
                format!("a {} cannot sit under a {}", self.as_str(), p.as_str()),
            )),
        }
    }
}

/// The kinds of change that reshape the tree. Each is stored as an event with its date and
/// decision, and every organization it touches gets a new version from that date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TreeChange {
    Created,
    Renamed,
    Moved,
    Merged,
    Split,
    Dissolved,
}

impl TreeChange {
    pub fn as_str(self) -> &'static str {
        match self {
            TreeChange::Created => "created",
            TreeChange::Renamed => "renamed",
            TreeChange::Moved => "moved",
            TreeChange::Merged => "merged",
            TreeChange::Split => "split",
            TreeChange::Dissolved => "dissolved",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [
            TreeChange::Created,
            TreeChange::Renamed,
            TreeChange::Moved,
            TreeChange::Merged,
            TreeChange::Split,
            TreeChange::Dissolved,
        ]
        .into_iter()
        .find(|c| c.as_str() == raw)
    }
}

/// Validates an organization code: letters, digits, `.`, `-` and `_`, 1 to 64 characters.
pub fn check_code(record: &str, code: &str) -> Result<(), DomainError> {
    let ok = !code.is_empty()
        && code.len() <= 64
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(DomainError::invalid(
            record,
            "code",
            format!("`{code}` must be 1-64 ASCII letters, digits, '.', '-' or '_'"),
        ))
    }
}

pub fn check_name(record: &str, name: &str) -> Result<(), DomainError> {
    if name.trim().is_empty() || name.chars().count() > 300 {
        return Err(DomainError::invalid(
            record,
            "name",
            "must be 1-300 characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(OrgKind::parse("nope"), None);
    }

    #[test]
    fn cells_sit_under_grassroots_committees_only() {
        assert!(OrgKind::Cell.may_be_child_of(OrgKind::GrassrootsCommittee));
        assert!(!OrgKind::Cell.may_be_child_of(OrgKind::District));
        assert!(OrgKind::GrassrootsCell.may_be_child_of(OrgKind::District));
        let err = OrgKind::Cell
            .check_parent(Some(OrgKind::Commune), "org X")
            .unwrap_err();
        assert!(err.to_string().contains("parent"));
    }

    #[test]
    fn codes_are_checked() {
        assert!(check_code("r", "LAGI.01-a_b").is_ok());
        assert!(check_code("r", "").is_err());
        assert!(check_code("r", "có dấu").is_err());
    }
}
