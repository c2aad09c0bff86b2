//! What a meeting is and where it stands.

use serde::{Deserialize, Serialize};

/// The kinds of meeting the Charter and its guidance name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    /// Sinh hoạt chi bộ định kỳ: the monthly meeting of a cell.
    Regular,
    /// Sinh hoạt chuyên đề: a meeting on one theme, at least once a quarter.
    Thematic,
    /// Sinh hoạt bất thường: called when needed.
    Extraordinary,
    /// Hội nghị ban chấp hành: a committee's plenary (a grassroots committee: twice a year).
    CommitteePlenary,
}

impl MeetingKind {
    pub const ALL: [MeetingKind; 4] = [
        MeetingKind::Regular,
        MeetingKind::Thematic,
        MeetingKind::Extraordinary,
        MeetingKind::CommitteePlenary,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MeetingKind::Regular => "regular",
            MeetingKind::Thematic => "thematic",
            MeetingKind::Extraordinary => "extraordinary",
            MeetingKind::CommitteePlenary => "committee_plenary",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// Whether the meeting is a cell activity (sinh hoạt chi bộ), which every member of the
    /// cell must attend and which the attendance rules judge. A plenary concerns only the
    /// committee's members and is recorded but not judged by those rules.
    pub fn is_cell_activity(self) -> bool {
        !matches!(self, MeetingKind::CommitteePlenary)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    Scheduled,
    Held,
    /// Not held; the reason is kept. A cancelled meeting is never deleted.
    Cancelled,
}

impl MeetingStatus {
    pub const ALL: [MeetingStatus; 3] = [
        MeetingStatus::Scheduled,
        MeetingStatus::Held,
        MeetingStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MeetingStatus::Scheduled => "scheduled",
            MeetingStatus::Held => "held",
            MeetingStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Scheduled → held or cancelled; nothing leaves held or cancelled.
    pub fn can_change_to(self, next: MeetingStatus) -> bool {
        self == MeetingStatus::Scheduled && next != MeetingStatus::Scheduled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_statuses_round_trip() {
        for k in MeetingKind::ALL {
            assert_eq!(MeetingKind::parse(k.as_str()), Some(k));
        }
        for s in MeetingStatus::ALL {
            assert_eq!(MeetingStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(MeetingKind::parse("monthly"), None);
        assert!(!MeetingKind::CommitteePlenary.is_cell_activity());
        assert!(MeetingKind::Thematic.is_cell_activity());
    }

    #[test]
    fn only_scheduled_meetings_change() {
        use MeetingStatus::*;
        assert!(Scheduled.can_change_to(Held));
        assert!(Scheduled.can_change_to(Cancelled));
        assert!(!Held.can_change_to(Cancelled));
        assert!(!Cancelled.can_change_to(Held));
        assert!(!Scheduled.can_change_to(Scheduled));
    }
}
