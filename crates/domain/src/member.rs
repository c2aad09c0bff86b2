//! Members: identity, status over time and where they hold membership.

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::date::{Date, years_between};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    /// Đảng viên dự bị: within the 12 months of probation.
    Probationary,
    /// Đảng viên chính thức.
    Official,
    /// Temporarily excused from activities (illness, posting abroad) for a set time.
    TemporarilyExempt,
    /// Miễn công tác và sinh hoạt đảng: excused for age or health; still a member.
    Exempt,
    /// Left the committee by official transfer; the receiving committee now holds them.
    TransferredOut,
    /// Xóa tên: removed from the list.
    Removed,
    /// Khai trừ.
    Expelled,
    Deceased,
}

impl MemberStatus {
    pub const ALL: [MemberStatus; 8] = [
        MemberStatus::Probationary,
        MemberStatus::Official,
        MemberStatus::TemporarilyExempt,
        MemberStatus::Exempt,
        MemberStatus::TransferredOut,
        MemberStatus::Removed,
        MemberStatus::Expelled,
        MemberStatus::Deceased,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Probationary => "probationary",
            MemberStatus::Official => "official",
            MemberStatus::TemporarilyExempt => "temporarily_exempt",
            MemberStatus::Exempt => "exempt",
            MemberStatus::TransferredOut => "transferred_out",
            MemberStatus::Removed => "removed",
            MemberStatus::Expelled => "expelled",
            MemberStatus::Deceased => "deceased",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Whether a member with this status counts in an organization's membership total.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            MemberStatus::Probationary
                | MemberStatus::Official
                | MemberStatus::TemporarilyExempt
                | MemberStatus::Exempt
        )
    }

    /// Whether the status ends membership for good (no further status change but re-admission).
    pub fn is_final(self) -> bool {
        matches!(self, MemberStatus::Expelled | MemberStatus::Deceased)
    }

    /// The status changes the registry records directly. Admission, recognition and
    /// re-admission have their own procedures with their own checks.
    pub fn can_change_to(self, next: MemberStatus) -> bool {
        use MemberStatus::*;
        if self == next {
            return false;
        }
        match self {
            Probationary => matches!(
                next,
                Official | Removed | Expelled | Deceased | TransferredOut
            ),
            Official | TemporarilyExempt | Exempt => {
                matches!(
                    next,
                    Official
                        | TemporarilyExempt
                        | Exempt
                        | Removed
                        | Expelled
                        | Deceased
                        | TransferredOut
                )
            }
            TransferredOut | Removed | Expelled | Deceased => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    /// Accepts the code names and the Vietnamese words (`nam`, `nữ`).
    pub fn parse(raw: &str) -> Option<Self> {
        match crate::text::fold(raw).as_str() {
            "male" | "nam" | "m" => Some(Gender::Male),
            "female" | "nu" | "f" => Some(Gender::Female),
            _ => None,
        }
    }
}

/// How a member belongs to a cell: officially (counted there) or on temporary transfer
/// (takes part there, counted at home).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipKind {
    Official,
    Temporary,
}

impl MembershipKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MembershipKind::Official => "official",
            MembershipKind::Temporary => "temporary",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "official" => Some(MembershipKind::Official),
            "temporary" => Some(MembershipKind::Temporary),
            _ => None,
        }
    }
}

/// The identity fields of a member, as entered on a form or imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberIdentity {
    pub full_name: String,
    pub birth_date: Date,
    pub gender: Gender,
    pub ethnicity: String,
    /// Căn cước công dân: 12 digits.
    pub citizen_id: Option<String>,
    /// Số thẻ đảng viên.
    pub party_card_no: Option<String>,
    pub admitted_on: Option<Date>,
    pub official_on: Option<Date>,
}

impl MemberIdentity {
    /// Checks every field, naming the record and the first field that fails.
    pub fn validate(&self, record: &str, today: Date) -> Result<(), DomainError> {
        let name = self.full_name.trim();
        if name.is_empty() || name.chars().count() > 120 {
            return Err(DomainError::invalid(
                record,
                "full_name",
                "must be 1-120 characters",
            ));
        }
        if name.chars().any(|c| c.is_ascii_digit() || c.is_control()) {
            return Err(DomainError::invalid(
                record,
                "full_name",
                "must not contain digits",
            ));
        }
        let age = years_between(self.birth_date, today);
        if !(16..=120).contains(&age) {
            return Err(DomainError::invalid(
                record,
                "birth_date",
                format!("gives an age of {age}, outside 16-120"),
            ));
        }
        if self.ethnicity.trim().is_empty() {
            return Err(DomainError::invalid(
                record,
                "ethnicity",
                "must not be empty",
            ));
        }
        let citizen_id_ok = |id: &String| id.len() == 12 && id.chars().all(|c| c.is_ascii_digit());
        if !self.citizen_id.as_ref().is_none_or(citizen_id_ok) {
            return Err(DomainError::invalid(
                record,
                "citizen_id",
                "must be 12 digits",
            ));
        }
        let card_ok = |card: &String| {
            !card.is_empty() && card.len() <= 20 && card.chars().all(|c| c.is_ascii_alphanumeric())
        };
        if !self.party_card_no.as_ref().is_none_or(card_ok) {
            return Err(DomainError::invalid(
                record,
                "party_card_no",
                "must be 1-20 letters or digits",
            ));
        }
        if let Some(admitted) = self.admitted_on {
            if admitted <= self.birth_date || admitted > today {
                return Err(DomainError::invalid(
                    record,
                    "admitted_on",
                    "must be after birth and not in the future",
                ));
            }
            if years_between(self.birth_date, admitted) < 16 {
                return Err(DomainError::invalid(
                    record,
                    "admitted_on",
                    "the member would have been under 16 at admission",
                ));
            }
        }
        if let Some(official) = self.official_on {
            match self.admitted_on {
                Some(admitted) if official > admitted => {}
                _ => {
                    return Err(DomainError::invalid(
                        record,
                        "official_on",
                        "must come after admitted_on",
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::from_ymd_opt(y, m, day).unwrap()
    }

    fn sample() -> MemberIdentity {
        MemberIdentity {
            full_name: "Nguyễn Văn An".into(),
            birth_date: d(1990, 5, 2),
            gender: Gender::Male,
            ethnicity: "Kinh".into(),
            citizen_id: Some("001090000123".into()),
            party_card_no: Some("123456".into()),
            admitted_on: Some(d(2015, 3, 26)),
            official_on: Some(d(2016, 3, 26)),
        }
    }

    #[test]
    fn valid_member_passes() {
        assert!(sample().validate("m", d(2026, 1, 1)).is_ok());
    }

    type Edit = Box<dyn Fn(&mut MemberIdentity)>;

    #[test]
    fn each_bad_field_is_named() {
        let today = d(2026, 1, 1);
        let cases: Vec<(&str, Edit)> = vec![
            ("full_name", Box::new(|m| m.full_name = " ".into())),
            ("birth_date", Box::new(|m| m.birth_date = d(2020, 1, 1))),
            (
                "citizen_id",
                Box::new(|m| m.citizen_id = Some("12AB".into())),
            ),
            (
                "party_card_no",
                Box::new(|m| m.party_card_no = Some("12 3".into())),
            ),
            (
                "admitted_on",
                Box::new(|m| m.admitted_on = Some(d(2030, 1, 1))),
            ),
            (
                "official_on",
                Box::new(|m| m.official_on = Some(d(2014, 1, 1))),
            ),
            ("ethnicity", Box::new(|m| m.ethnicity = String::new())),
        ];
        for (field, change) in cases {
            let mut m = sample();
            change(&mut m);
            match m.validate("member 7", today) {
                Err(DomainError::Invalid {
                    record, field: f, ..
                }) => {
                    assert_eq!(record, "member 7");
                    assert_eq!(f, field);
                }
                other => panic!("{field}: expected invalid, got {other:?}"),
            }
        }
    }

    #[test]
    fn statuses_round_trip_and_activity() {
        for s in MemberStatus::ALL {
            assert_eq!(MemberStatus::parse(s.as_str()), Some(s));
        }
        assert!(MemberStatus::Exempt.is_active());
        assert!(!MemberStatus::TransferredOut.is_active());
        assert_eq!(Gender::parse("Nữ"), Some(Gender::Female));
        assert!(MemberStatus::Probationary.can_change_to(MemberStatus::Official));
        assert!(!MemberStatus::Probationary.can_change_to(MemberStatus::Exempt));
        assert!(!MemberStatus::Deceased.can_change_to(MemberStatus::Official));
        assert!(!MemberStatus::Official.can_change_to(MemberStatus::Official));
    }
}
