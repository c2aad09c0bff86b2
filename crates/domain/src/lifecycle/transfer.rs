//! Transfers of membership: the introduction letter of an official transfer must be
//! presented to the receiving organization within `letter_valid_working_days` working days
//! of its issue; a temporary transfer lasts 3-12 months (training up to 24).

use super::admission::months_between;
use super::calendar::Calendar;
use crate::DomainError;
use crate::date::Date;
use crate::rulebook::TransferRules;

/// The last day a letter issued on `issued_on` can be presented.
pub fn letter_valid_until(rules: &TransferRules, cal: &Calendar, issued_on: Date) -> Date {
    cal.add_working_days(issued_on, rules.letter_valid_working_days)
}

/// [`letter_valid_until`] for issuing or accepting a letter: refused (naming `field`) when
/// the validity reaches into a year the calendar does not cover.
pub fn checked_letter_valid_until(
    record: &str,
    field: &str,
    rules: &TransferRules,
    cal: &Calendar,
    issued_on: Date,
) -> Result<Date, DomainError> {
    cal.checked_add_working_days(record, field, issued_on, rules.letter_valid_working_days)
}

/// Checks a letter presented (and accepted) on `accepted_on`.
pub fn check_letter_acceptance(
    record: &str,
    rules: &TransferRules,
    cal: &Calendar,
    issued_on: Date,
    accepted_on: Date,
    today: Date,
) -> Result<(), DomainError> {
    if accepted_on < issued_on {
        return Err(DomainError::invalid(
            record,
            "accepted_on",
            format!("{accepted_on} is before the letter was issued on {issued_on}"),
        ));
    }
    if accepted_on > today {
        return Err(DomainError::invalid(
            record,
            "accepted_on",
            "is in the future",
        ));
    }
    let until = checked_letter_valid_until(record, "accepted_on", rules, cal, issued_on)?;
    if accepted_on > until {
        return Err(DomainError::invalid(
            record,
            "accepted_on",
            format!(
                "the letter expired on {until} ({} working days after {issued_on}); \
                 the sending organization must issue a new one",
                rules.letter_valid_working_days
            ),
        ));
    }
    Ok(())
}

/// Checks the length of a temporary transfer `[from, until)`.
pub fn check_temporary(
    record: &str,
    rules: &TransferRules,
    from: Date,
    until: Date,
    training: bool,
) -> Result<(), DomainError> {
    let months = months_between(from, until);
    let max = if training {
        rules.temporary_training_max_months
    } else {
        rules.temporary_max_months
    };
    let exact = from
        .checked_add_months(chrono::Months::new(months.max(0) as u32))
        .is_some_and(|d| d == until);
    let too_long = months > max as i32 || (months == max as i32 && !exact);
    if months < rules.temporary_min_months as i32 || too_long {
        return Err(DomainError::invalid(
            record,
            "until",
            format!(
                "a temporary transfer lasts {}-{max} months; {from} to {until} is {months}",
                rules.temporary_min_months
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rulebook::Rulebook;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn a_letter_is_valid_thirty_working_days() {
        let r = Rulebook::in_force(d("2026-01-01")).unwrap().transfer;
        let cal = Calendar::vietnam().unwrap();
        // Issued Friday 10 April 2026: 30 working days skip 27/4 (Hùng Kings'
        // day given back), 30/4 and 1/5: 27 May.
        assert_eq!(
            letter_valid_until(&r, &cal, d("2026-04-10")),
            d("2026-05-27")
        );
        let today = d("2026-12-31");
        check_letter_acceptance(
            "letter 1",
            &r,
            &cal,
            d("2026-04-10"),
            d("2026-05-27"),
            today,
        )
        .unwrap();
        let late = check_letter_acceptance(
            "letter 1",
            &r,
            &cal,
            d("2026-04-10"),
            d("2026-05-28"),
            today,
        )
        .unwrap_err();
        assert!(late.to_string().contains("expired on 2026-05-27"), "{late}");
        assert!(
            check_letter_acceptance(
                "letter 1",
                &r,
                &cal,
                d("2026-04-10"),
                d("2026-04-09"),
                today
            )
            .is_err()
        );
    }

    #[test]
    fn temporary_transfers_last_three_to_twelve_months() {
        let r = Rulebook::in_force(d("2026-01-01")).unwrap().transfer;
        check_temporary("m", &r, d("2026-01-15"), d("2026-04-15"), false).unwrap();
        assert!(check_temporary("m", &r, d("2026-01-15"), d("2026-04-14"), false).is_err());
        check_temporary("m", &r, d("2026-01-15"), d("2027-01-15"), false).unwrap();
        assert!(check_temporary("m", &r, d("2026-01-15"), d("2027-01-16"), false).is_err());
        check_temporary("m", &r, d("2026-01-15"), d("2028-01-15"), true).unwrap();
        assert!(check_temporary("m", &r, d("2026-01-15"), d("2028-01-16"), true).is_err());
    }
}
