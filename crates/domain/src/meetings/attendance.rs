//! Attendance at a meeting: present, absent with a reason, absent without one.

use serde::{Deserialize, Serialize};

use crate::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttendanceStatus {
    Present,
    /// Vắng có lý do: the reason is recorded with it.
    AbsentExcused,
    /// Vắng không lý do.
    AbsentUnexcused,
}

impl AttendanceStatus {
    pub const ALL: [AttendanceStatus; 3] = [
        AttendanceStatus::Present,
        AttendanceStatus::AbsentExcused,
        AttendanceStatus::AbsentUnexcused,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AttendanceStatus::Present => "present",
            AttendanceStatus::AbsentExcused => "absent_excused",
            AttendanceStatus::AbsentUnexcused => "absent_unexcused",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Checks that a reason is given exactly when the absence is excused, and returns the
    /// trimmed reason to store.
    pub fn check_reason(
        self,
        record: &str,
        reason: Option<&str>,
    ) -> Result<Option<String>, DomainError> {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        match (self, reason) {
            (AttendanceStatus::AbsentExcused, None) => Err(DomainError::invalid(
                record,
                "reason",
                "an excused absence needs its reason",
            )),
            (AttendanceStatus::AbsentExcused, Some(r)) if r.chars().count() > 500 => Err(
                DomainError::invalid(record, "reason", "must be at most 500 characters"),
            ),
            (AttendanceStatus::AbsentExcused, Some(r)) => Ok(Some(r.to_owned())),
            (_, Some(_)) => Err(DomainError::invalid(
                record,
                "reason",
                "only an excused absence has a reason",
            )),
            (_, None) => Ok(None),
        }
    }
}

/// One absentee in a fast attendance entry: everyone else on the list was present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Absence {
    pub member_id: i64,
    /// `Some(reason)` for an excused absence, `None` for an absence without reason.
    pub reason: Option<String>,
}

impl Absence {
    pub fn status(&self) -> AttendanceStatus {
        if self.reason.as_deref().is_some_and(|r| !r.trim().is_empty()) {
            AttendanceStatus::AbsentExcused
        } else {
            AttendanceStatus::AbsentUnexcused
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_go_with_excused_absences_only() {
        use AttendanceStatus::*;
        assert_eq!(
            AbsentExcused.check_reason("m", Some(" ốm ")).unwrap(),
            Some("ốm".to_owned())
        );
        let err = AbsentExcused
            .check_reason("meeting 4 member 9", Some("  "))
            .unwrap_err();
        assert!(err.to_string().contains("meeting 4 member 9"), "{err}");
        assert!(err.to_string().contains("reason"), "{err}");
        assert!(Present.check_reason("m", Some("x")).is_err());
        assert_eq!(AbsentUnexcused.check_reason("m", None).unwrap(), None);
        for s in AttendanceStatus::ALL {
            assert_eq!(AttendanceStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn an_absence_with_a_reason_is_excused() {
        let a = Absence {
            member_id: 1,
            reason: Some("công tác".into()),
        };
        assert_eq!(a.status(), AttendanceStatus::AbsentExcused);
        let b = Absence {
            member_id: 1,
            reason: None,
        };
        assert_eq!(b.status(), AttendanceStatus::AbsentUnexcused);
    }
}
