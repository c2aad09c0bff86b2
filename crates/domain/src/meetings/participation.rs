//! Who is expected at a cell's meeting on a given day.
//!
//! A member takes part in the cell that holds their official membership, unless they are on
//! temporary transfer elsewhere that day: then they take part at the host, as a guest whose
//! attendance the host counts separately from its own members (and who is not in the host's
//! total). Members excused from activities (exempt, temporarily exempt) are expected nowhere.

use serde::{Deserialize, Serialize};

use crate::date::{Date, Span};
use crate::member::{MemberStatus, MembershipKind};

/// How a member is expected at a cell's meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A member of the cell, counted in its attendance and its total.
    Home,
    /// A member on temporary transfer to the cell: takes part, counted separately.
    Guest,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Home => "home",
            Role::Guest => "guest",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "home" => Some(Role::Home),
            "guest" => Some(Role::Guest),
            _ => None,
        }
    }
}

/// A member's memberships and statuses over time, as the registry keeps them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MemberHistory {
    pub member_id: i64,
    pub memberships: Vec<(i64, MembershipKind, Span)>,
    pub statuses: Vec<(MemberStatus, Span)>,
}

impl MemberHistory {
    pub fn status_on(&self, day: Date) -> Option<MemberStatus> {
        self.statuses
            .iter()
            .rev()
            .find(|(_, span)| span.contains(day))
            .map(|(s, _)| *s)
    }

    /// Whether the member owes attendance on `day`: probationary and official members do;
    /// exempt members, and anyone who has left, do not.
    pub fn has_duties_on(&self, day: Date) -> bool {
        matches!(
            self.status_on(day),
            Some(MemberStatus::Probationary | MemberStatus::Official)
        )
    }

    /// How the member is expected at `org_id`'s meetings on `day`, if at all.
    pub fn role_at(&self, org_id: i64, day: Date) -> Option<Role> {
        if !self.has_duties_on(day) {
            return None;
        }
        let covering = |kind: MembershipKind| {
            self.memberships
                .iter()
                .filter(move |(_, k, span)| *k == kind && span.contains(day))
                .map(|(org, _, _)| *org)
        };
        let mut temporary = covering(MembershipKind::Temporary).peekable();
        if temporary.peek().is_some() {
            // Away on temporary transfer: expected only at the host.
            return temporary.any(|o| o == org_id).then_some(Role::Guest);
        }
        covering(MembershipKind::Official)
            .any(|o| o == org_id)
            .then_some(Role::Home)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::from_ymd_opt(y, m, day).unwrap()
    }

    fn span(from: Date, to: Option<Date>) -> Span {
        Span { from, to }
    }

    #[test]
    fn a_temporary_member_takes_part_at_the_host_only() {
        let h = MemberHistory {
            member_id: 1,
            memberships: vec![
                (10, MembershipKind::Official, span(d(2020, 1, 1), None)),
                (
                    20,
                    MembershipKind::Temporary,
                    span(d(2025, 3, 1), Some(d(2025, 9, 1))),
                ),
            ],
            statuses: vec![(MemberStatus::Official, span(d(2015, 1, 1), None))],
        };
        assert_eq!(h.role_at(10, d(2025, 2, 3)), Some(Role::Home));
        assert_eq!(h.role_at(20, d(2025, 2, 3)), None);
        assert_eq!(h.role_at(10, d(2025, 3, 3)), None);
        assert_eq!(h.role_at(20, d(2025, 3, 3)), Some(Role::Guest));
        assert_eq!(h.role_at(20, d(2025, 9, 1)), None);
        assert_eq!(h.role_at(10, d(2025, 9, 3)), Some(Role::Home));
    }

    #[test]
    fn exempt_and_departed_members_owe_nothing() {
        let h = MemberHistory {
            member_id: 1,
            memberships: vec![(10, MembershipKind::Official, span(d(2020, 1, 1), None))],
            statuses: vec![
                (
                    MemberStatus::Official,
                    span(d(2015, 1, 1), Some(d(2025, 6, 1))),
                ),
                (MemberStatus::Exempt, span(d(2025, 6, 1), None)),
            ],
        };
        assert_eq!(h.role_at(10, d(2025, 5, 3)), Some(Role::Home));
        assert_eq!(h.role_at(10, d(2025, 6, 3)), None);
        assert_eq!(h.role_at(10, d(2019, 6, 3)), None, "not yet in the cell");
        assert_eq!(Role::parse(Role::Guest.as_str()), Some(Role::Guest));
    }
}
