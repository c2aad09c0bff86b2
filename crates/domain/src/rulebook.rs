//! The rulebook: Charter rules, classification scales, dues rates and local criteria as
//! data, in versions chosen by date. Regulations change (124-QĐ/TW became 366-QĐ/TW), so no
//! rule is hard-coded: code asks `Rulebook::in_force(date)` and reads the numbers.
//!
//! Each version is a TOML file under `crates/domain/rulebook/`. The first is complete; each
//! later one lists only what changed. The rulebook in force on a date is the first file with
//! every later file up to that date laid over it, table by table.

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::date::Date;

/// The versions shipped with the binary, in date order.
const VERSIONS: &[(&str, &str)] = &[
    (
        "2011-01-01-charter.toml",
        include_str!("../rulebook/2011-01-01-charter.toml"),
    ),
    (
        "2023-10-04-review-124.toml",
        include_str!("../rulebook/2023-10-04-review-124.toml"),
    ),
    (
        "2025-07-01-review-366.toml",
        include_str!("../rulebook/2025-07-01-review-366.toml"),
    ),
    (
        "2026-01-01-dues-01.toml",
        include_str!("../rulebook/2026-01-01-dues-01.toml"),
    ),
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rulebook {
    /// The id of the newest version laid in.
    pub id: String,
    pub effective_from: Date,
    pub title: String,
    pub cell: CellRules,
    pub removal: RemovalRules,
    pub local: LocalRules,
    pub meeting_quality: MeetingQualityRules,
    pub admission: AdmissionRules,
    pub transfer: TransferRules,
    pub classification: ClassificationRules,
    pub dues: DuesRules,
    pub badges: BadgeRules,
    pub citizen_reception: CitizenReceptionRules,
    /// Document type and issuer codes, and the congress terms numbers restart in.
    pub documents: crate::documents::DocumentRules,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellRules {
    pub min_official_members: u32,
    pub committee_from_official_members: u32,
    pub regular_meeting_every_months: u32,
    pub thematic_meeting_every_months: u32,
    pub grassroots_committee_plenaries_per_year: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemovalRules {
    pub months_missed_in_year: u32,
    pub cases: Vec<String>,
    pub readmission_min_months_out: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalRules {
    pub max_consecutive_excused_absences: u32,
    /// The default day of the month for a cell's regular meeting.
    pub regular_meeting_day: u32,
}

/// The levels a superior committee may give a meeting's quality, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingQualityRules {
    pub levels: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdmissionRules {
    pub min_age: u32,
    pub max_age: u32,
    pub introducers: u32,
    pub introducer_acquaintance_months: u32,
    pub cell_vote_numerator: u32,
    pub cell_vote_denominator: u32,
    pub committee_vote_more_than_numerator: u32,
    pub committee_vote_more_than_denominator: u32,
    pub recommenders: Vec<String>,
    pub decision_within_working_days: u32,
    pub ceremony_within_working_days: u32,
    pub probation_months: u32,
    pub recognition_review_within_working_days: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransferRules {
    pub letter_valid_working_days: u32,
    pub temporary_min_months: u32,
    pub temporary_max_months: u32,
    pub temporary_training_max_months: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassificationRules {
    pub source: String,
    /// `quota` (a cap on "excellent") or `points` (a 100-point scale).
    pub scheme: String,
    pub levels: Vec<String>,
    #[serde(default)]
    pub excellent_max_percent_of_good: Option<u32>,
    #[serde(default)]
    pub excellent_min_points: Option<u32>,
    #[serde(default)]
    pub good_min_points: Option<u32>,
    #[serde(default)]
    pub completed_min_points: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuesRules {
    pub source: String,
    pub salaried_per_mille: u32,
    pub pensioner_per_mille: u32,
    pub student_flat_vnd: u64,
    pub exempt_from_party_years: u32,
    pub reduction_percents: Vec<u32>,
    pub reduction_max_months: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BadgeRules {
    pub party_years: Vec<u32>,
    pub award_days: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CitizenReceptionRules {
    pub commune_secretary_days_per_month: u32,
    pub provincial_secretary_days_per_month: u32,
}

/// A classification level of the annual review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    Excellent,
    Good,
    Completed,
    NotCompleted,
}

impl Rulebook {
    /// The rulebook in force on `day`.
    pub fn in_force(day: Date) -> Result<Rulebook, DomainError> {
        let mut merged = toml::Table::new();
        for (name, text) in VERSIONS {
            let table: toml::Table = text
                .parse()
                .map_err(|e| DomainError::invalid(*name, "toml", format!("{e}")))?;
            let from = table
                .get("effective_from")
                .and_then(|v| v.as_str())
                .ok_or_else(|| DomainError::invalid(*name, "effective_from", "missing"))?;
            let from = crate::date::parse_date(name, "effective_from", from)?;
            if from > day && !merged.is_empty() {
                break;
            }
            lay_over(&mut merged, table);
        }
        toml::Value::Table(merged)
            .try_into()
            .map_err(|e| DomainError::invalid("rulebook", "toml", format!("{e}")))
    }

    /// Every version's id and date, oldest first.
    pub fn versions() -> Vec<(String, Date)> {
        VERSIONS
            .iter()
            .filter_map(|(_, text)| {
                let t: toml::Table = text.parse().ok()?;
                let id = t.get("id")?.as_str()?.to_owned();
                let from = t.get("effective_from")?.as_str()?.parse().ok()?;
                Some((id, from))
            })
            .collect()
    }

    /// The level a score earns under a points scheme; `None` under a quota scheme.
    pub fn classify_points(&self, points: u32) -> Option<Classification> {
        let c = &self.classification;
        if c.scheme != "points" {
            return None;
        }
        let level = if points >= c.excellent_min_points? {
            Classification::Excellent
        } else if points >= c.good_min_points? {
            Classification::Good
        } else if points >= c.completed_min_points? {
            Classification::Completed
        } else {
            Classification::NotCompleted
        };
        Some(level)
    }

    /// The most members an organization may rate "excellent" when `good` are rated "good",
    /// under a quota scheme; `None` under a points scheme.
    pub fn excellent_quota(&self, good: u32) -> Option<u32> {
        let pct = self.classification.excellent_max_percent_of_good?;
        (self.classification.scheme == "quota").then_some(good * pct / 100)
    }
}

/// Lays `top` over `base`: tables merge key by key, anything else is replaced.
fn lay_over(base: &mut toml::Table, top: toml::Table) {
    for (key, value) in top {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(t)) => lay_over(b, t),
            (_, v) => {
                base.insert(key, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_version_loads() {
        for (_, from) in Rulebook::versions() {
            let book = Rulebook::in_force(from).unwrap();
            assert_eq!(book.effective_from, from);
        }
        assert_eq!(Rulebook::versions().len(), VERSIONS.len());
    }

    #[test]
    fn classification_changes_from_quota_to_points() {
        let old = Rulebook::in_force(d(2024, 12, 31)).unwrap();
        assert_eq!(old.classification.source, "124-QĐ/TW");
        assert_eq!(old.excellent_quota(50), Some(10));
        assert_eq!(old.classify_points(95), None);

        let new = Rulebook::in_force(d(2025, 12, 31)).unwrap();
        assert_eq!(new.classification.source, "366-QĐ/TW");
        assert_eq!(new.excellent_quota(50), None);
        assert_eq!(new.classify_points(90), Some(Classification::Excellent));
        assert_eq!(new.classify_points(89), Some(Classification::Good));
        assert_eq!(new.classify_points(70), Some(Classification::Good));
        assert_eq!(new.classify_points(69), Some(Classification::Completed));
        assert_eq!(new.classify_points(50), Some(Classification::Completed));
        assert_eq!(new.classify_points(49), Some(Classification::NotCompleted));
    }

    #[test]
    fn dues_rate_changes_on_its_date() {
        assert_eq!(
            Rulebook::in_force(d(2025, 12, 31))
                .unwrap()
                .dues
                .student_flat_vnd,
            3000
        );
        let book = Rulebook::in_force(d(2026, 1, 1)).unwrap();
        assert_eq!(book.dues.student_flat_vnd, 5000);
        assert_eq!(book.dues.source, "01-QĐ/TW");
        // Untouched sections carry over from the base.
        assert_eq!(book.cell.min_official_members, 3);
        assert_eq!(book.classification.source, "366-QĐ/TW");
    }

    #[test]
    fn a_date_before_every_version_gets_the_first() {
        let book = Rulebook::in_force(d(1990, 1, 1)).unwrap();
        assert_eq!(book.id, "2011-charter");
    }
}
