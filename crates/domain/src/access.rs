//! Roles and what they permit. A role is always held on a subtree of the organization tree
//! (the assignment's organization); the permissions below say what the holder may do there.

use serde::{Deserialize, Serialize};

/// What a role allows. Routes of the web application each require one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// See organizations, the tree, its history and counts.
    ViewOrgs,
    /// Create, rename, move, merge and dissolve organizations.
    ManageOrgs,
    /// See member lists and profiles.
    ViewMembers,
    /// Register members and correct their identity fields.
    EditMembers,
    /// Record status changes (official recognition, exemption, removal, ...).
    ChangeMemberStatus,
    /// Move members between cells.
    TransferMembers,
    /// Read the audit log of the subtree.
    ViewAudit,
    /// Create accounts and assign roles.
    ManageUsers,
    /// See one's own member record (the `member` role).
    ViewOwnRecord,
    /// Schedule a cell's meetings, record their minutes and attendance (cell secretaries and
    /// the committees' offices).
    ManageMeetings,
    /// Check oneself in at a meeting of one's cell with its code (the `member` role).
    CheckIn,
    /// Register documents and plans, their tasks and reviews, dissemination events and
    /// study lists (propaganda work and the committee office).
    ManageDocuments,
    /// Organize training courses: sessions, participants, results, certificates.
    ManageTraining,
    /// Record the annual review and classification of members and organizations (cell
    /// secretaries enter their grassroots committee's decisions; the committees' offices).
    ClassifyMembers,
}

impl Permission {
    pub const ALL: [Permission; 14] = [
        Permission::ViewOrgs,
        Permission::ManageOrgs,
        Permission::ViewMembers,
        Permission::EditMembers,
        Permission::ChangeMemberStatus,
        Permission::TransferMembers,
        Permission::ViewAudit,
        Permission::ManageUsers,
        Permission::ViewOwnRecord,
        Permission::ManageMeetings,
        Permission::CheckIn,
        Permission::ManageDocuments,
        Permission::ManageTraining,
        Permission::ClassifyMembers,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ViewOrgs => "view_orgs",
            Permission::ManageOrgs => "manage_orgs",
            Permission::ViewMembers => "view_members",
            Permission::EditMembers => "edit_members",
            Permission::ChangeMemberStatus => "change_member_status",
            Permission::TransferMembers => "transfer_members",
            Permission::ViewAudit => "view_audit",
            Permission::ManageUsers => "manage_users",
            Permission::ViewOwnRecord => "view_own_record",
            Permission::ManageMeetings => "manage_meetings",
            Permission::CheckIn => "check_in",
            Permission::ManageDocuments => "manage_documents",
            Permission::ManageTraining => "manage_training",
            Permission::ClassifyMembers => "classify_members",
        }
    }
}

/// The roles of the party apparatus that use the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the installation: accounts and everything else in the subtree.
    Administrator,
    /// Văn phòng / ban tổ chức: the organization work of a committee.
    CommitteeOffice,
    /// Ủy ban kiểm tra: reads everything, including the audit log; changes nothing.
    Inspection,
    /// Ban tuyên giáo: propaganda and training; reads the tree and the members.
    Propaganda,
    /// Ban dân vận: mass mobilization; reads the tree and the members.
    MassMobilization,
    /// Bí thư chi bộ: keeps the register of their own cell.
    CellSecretary,
    /// A party member: their own record only.
    Member,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Administrator,
        Role::CommitteeOffice,
        Role::Inspection,
        Role::Propaganda,
        Role::MassMobilization,
        Role::CellSecretary,
        Role::Member,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::CommitteeOffice => "committee_office",
            Role::Inspection => "inspection",
            Role::Propaganda => "propaganda",
            Role::MassMobilization => "mass_mobilization",
            Role::CellSecretary => "cell_secretary",
            Role::Member => "member",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    /// The permissions this role grants on its subtree.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Administrator => &[
                ViewOrgs,
                ManageOrgs,
                ViewMembers,
                EditMembers,
                ChangeMemberStatus,
                TransferMembers,
                ViewAudit,
                ManageUsers,
                ManageMeetings,
                ManageDocuments,
                ManageTraining,
                ClassifyMembers,
            ],
            Role::CommitteeOffice => &[
                ViewOrgs,
                ManageOrgs,
                ViewMembers,
                EditMembers,
                ChangeMemberStatus,
                TransferMembers,
                ViewAudit,
                ManageMeetings,
                ManageDocuments,
                ManageTraining,
                ClassifyMembers,
            ],
            Role::Inspection => &[ViewOrgs, ViewMembers, ViewAudit],
            Role::Propaganda => &[ViewOrgs, ViewMembers, ManageDocuments, ManageTraining],
            Role::MassMobilization => &[ViewOrgs, ViewMembers],
            Role::CellSecretary => &[
                ViewOrgs,
                ViewMembers,
                EditMembers,
                ManageMeetings,
                ClassifyMembers,
            ],
            Role::Member => &[ViewOwnRecord, CheckIn],
        }
    }

    pub fn grants(self, permission: Permission) -> bool {
        self.permissions().contains(&permission)
    }

    /// Whether a holder of this role must be linked to a member record.
    pub fn needs_member_link(self) -> bool {
        self == Role::Member
    }

    /// Whether the role may be held on the whole tree without an organization.
    pub fn may_hold_whole_tree(self) -> bool {
        self == Role::Administrator
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn member_sees_only_own_record() {
        assert_eq!(
            Role::Member.permissions(),
            &[Permission::ViewOwnRecord, Permission::CheckIn]
        );
        for p in Permission::ALL {
            assert_eq!(
                Role::Member.grants(p),
                matches!(p, Permission::ViewOwnRecord | Permission::CheckIn)
            );
        }
    }

    #[test]
    fn secretaries_and_offices_manage_meetings_readers_do_not() {
        for role in Role::ALL {
            assert_eq!(
                role.grants(Permission::ManageMeetings),
                matches!(
                    role,
                    Role::Administrator | Role::CommitteeOffice | Role::CellSecretary
                ),
                "{role:?}"
            );
        }
    }

    #[test]
    fn readers_do_not_write() {
        for role in [Role::Inspection, Role::Propaganda, Role::MassMobilization] {
            assert_eq!(
                role.grants(Permission::ManageDocuments),
                role == Role::Propaganda
            );
            for p in [
                Permission::ManageOrgs,
                Permission::EditMembers,
                Permission::ChangeMemberStatus,
                Permission::TransferMembers,
                Permission::ManageUsers,
                Permission::ManageMeetings,
            ] {
                assert!(!role.grants(p), "{role:?} must not grant {p:?}");
            }
            assert!(role.grants(Permission::ViewMembers));
        }
        assert!(Role::Inspection.grants(Permission::ViewAudit));
        assert!(!Role::Propaganda.grants(Permission::ViewAudit));
    }

    #[test]
    fn only_administrators_manage_users() {
        for role in Role::ALL {
            assert_eq!(
                role.grants(Permission::ManageUsers),
                role == Role::Administrator
            );
        }
        assert!(Role::CellSecretary.grants(Permission::EditMembers));
        assert!(!Role::CellSecretary.grants(Permission::ManageOrgs));
        assert!(Role::CommitteeOffice.grants(Permission::TransferMembers));
    }
}

/// Validates a user name: 3-64 lower-case ASCII letters, digits, `.`, `-`, `_`.
pub fn check_username(username: &str) -> Result<(), crate::DomainError> {
    let ok = (3..=64).contains(&username.len())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(crate::DomainError::invalid(
            format!("user {username}"),
            "username",
            "must be 3-64 lower-case letters, digits, '.', '-' or '_'",
        ))
    }
}

#[cfg(test)]
mod username_tests {
    #[test]
    fn usernames_are_checked() {
        assert!(super::check_username("bt.chibo-1").is_ok());
        assert!(super::check_username("ab").is_err());
        assert!(super::check_username("Admin").is_err());
        assert!(super::check_username("có").is_err());
    }
}
