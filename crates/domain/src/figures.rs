//! Figures: the counted facts a report is made of. Each has a stable dotted key (the JSON
//! contract), a value computed from records, and a short description.

use serde::{Deserialize, Serialize};

/// How the figures that are kept are counted, as a number that every change to a counting
/// bumps. Kept derived data (meeting parts, registry parts, report snapshots) carries it in
/// its stamp, so after an upgrade that counts differently every kept figure is counted again
/// on its next read (or by the nightly warming) instead of being reused.
/// - 1: the program's version stood in for it (fixes came with a migration dropping the
///   kept data: 0017).
/// - 2: admissions, status changes and meeting figures of an ended period are counted in
///   the tree of its last day.
/// - 3: so are its documents, reviews, dissemination, courses, admission decisions,
///   recognitions, transfer letters and outcomes, and a review year's classifications in the
///   tree of its 31 December.
/// - 4: its dues, badges and probationary members count the members where they stood on its
///   last day.
pub const COUNTING_VERSION: u32 = 4;

/// The start of a kept figure's stamp: the counting version and the rulebook it followed.
pub fn counting_stamp(rulebook_id: &str) -> String {
    format!("counting-{COUNTING_VERSION}+{rulebook_id}")
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "unit", content = "amount", rename_all = "snake_case")]
pub enum FigureValue {
    /// A number of things (organizations, members, meetings).
    Count(i64),
    /// A share from 0 to 1 (attendance rate, "well or better" share). `None`-like cases
    /// (nothing to divide by) are reported as a count of zero by the producer instead.
    Ratio(f64),
    /// An amount of money in VND.
    Vnd(i64),
}

impl FigureValue {
    pub fn as_f64(self) -> f64 {
        match self {
            FigureValue::Count(n) | FigureValue::Vnd(n) => n as f64,
            FigureValue::Ratio(r) => r,
        }
    }

    /// `self - previous`, in the same unit.
    pub fn change_from(self, previous: FigureValue) -> FigureValue {
        match (self, previous) {
            (FigureValue::Count(a), FigureValue::Count(b)) => FigureValue::Count(a - b),
            (FigureValue::Vnd(a), FigureValue::Vnd(b)) => FigureValue::Vnd(a - b),
            (a, b) => FigureValue::Ratio(a.as_f64() - b.as_f64()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Stable dotted key, such as `members.total` or `training.awareness.participants`.
    pub key: String,
    pub value: FigureValue,
    pub description: String,
}

impl Figure {
    pub fn count(key: impl Into<String>, value: i64, description: impl Into<String>) -> Self {
        Figure {
            key: key.into(),
            value: FigureValue::Count(value),
            description: description.into(),
        }
    }

    pub fn ratio(
        key: impl Into<String>,
        numerator: i64,
        denominator: i64,
        description: impl Into<String>,
    ) -> Self {
        let value = if denominator == 0 {
            0.0
        } else {
            numerator as f64 / denominator as f64
        };
        Figure {
            key: key.into(),
            value: FigureValue::Ratio(value),
            description: description.into(),
        }
    }

    /// The area a figure belongs to: the first segment of its key.
    pub fn area(&self) -> &str {
        self.key.split('.').next().unwrap_or(&self.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_guard_division_by_zero() {
        assert_eq!(
            Figure::ratio("a.b", 1, 0, "").value,
            FigureValue::Ratio(0.0)
        );
        assert_eq!(
            Figure::ratio("a.b", 1, 4, "").value,
            FigureValue::Ratio(0.25)
        );
        assert_eq!(Figure::count("members.total", 3, "").area(), "members");
    }

    #[test]
    fn changes_keep_units() {
        assert_eq!(
            FigureValue::Count(5).change_from(FigureValue::Count(7)),
            FigureValue::Count(-2)
        );
        assert_eq!(
            FigureValue::Vnd(5).change_from(FigureValue::Vnd(1)),
            FigureValue::Vnd(4)
        );
    }
}
