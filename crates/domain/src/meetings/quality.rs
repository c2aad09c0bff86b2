//! The quality of a meeting as a superior committee classifies it (seed 004).
//!
//! The levels are data (`meeting_quality.levels` in the rulebook): good, fair, average and
//! weak (tốt, khá, trung bình, kém), best first.

use crate::DomainError;
use crate::rulebook::Rulebook;

/// Checks that `raw` names a level in force in `book`, and returns the level as stored.
pub fn check_quality_level(
    book: &Rulebook,
    record: &str,
    raw: &str,
) -> Result<String, DomainError> {
    let level = raw.trim().to_lowercase();
    if book.meeting_quality.levels.contains(&level) {
        Ok(level)
    } else {
        Err(DomainError::invalid(
            record,
            "level",
            format!(
                "`{raw}` is not a meeting quality level; use one of {}",
                book.meeting_quality.levels.join(", ")
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_levels_are_accepted_and_others_named() {
        let book =
            Rulebook::in_force(crate::date::Date::from_ymd_opt(2025, 5, 1).unwrap()).unwrap();
        assert_eq!(
            book.meeting_quality.levels,
            ["good", "fair", "average", "weak"]
        );
        assert_eq!(check_quality_level(&book, "m", " Good ").unwrap(), "good");
        let err = check_quality_level(&book, "evaluation of meeting 7", "excellent").unwrap_err();
        assert!(err.to_string().contains("meeting 7"), "{err}");
        assert!(err.to_string().contains("level"), "{err}");
    }
}
