//! One generated member: name, identity numbers and a life story of dates that passes every
//! rule of the registry.

use grassroots_domain::date::Date;
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus};
use grassroots_storage::members::NewMember;

use super::names::person;
use super::rng::Rng;
use super::ymd;

/// The kinds of member the demo generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Official,
    /// Official, admitted before 2023 (members of a cell merged in 2024; those who leave).
    Early,
    /// Admitted in 2025, still on probation.
    Probationary,
    /// Excused from activities for age or health, with decades of party age.
    Exempt,
    TemporarilyExempt,
    /// Official, born before 1955 (those who pass away).
    Elderly,
}

fn between(rng: &mut Rng, from: Date, to: Date) -> Date {
    let days = (to - from).num_days().max(0);
    from + chrono::Duration::days(rng.range(0, days))
}

fn years_after(day: Date, years: i32) -> Date {
    use chrono::Datelike;
    day.with_year(day.year() + years)
        .unwrap_or(day + chrono::Duration::days(365 * i64::from(years)))
}

/// A new member of `cell` (founded `founded`); `index` makes the identity numbers unique.
pub fn new_member(
    rng: &mut Rng,
    index: usize,
    cell: i64,
    founded: Date,
    profile: Profile,
) -> NewMember {
    let who = person(rng);
    let (birth_from, birth_to, admit_latest) = match profile {
        Profile::Official | Profile::TemporarilyExempt => {
            (ymd(1952, 1, 1), ymd(1999, 12, 31), ymd(2024, 10, 31))
        }
        Profile::Early => (ymd(1950, 1, 1), ymd(1995, 12, 31), ymd(2022, 12, 31)),
        Profile::Probationary => (ymd(1986, 1, 1), ymd(2005, 6, 30), ymd(2025, 11, 30)),
        Profile::Exempt => (ymd(1938, 1, 1), ymd(1958, 12, 31), ymd(1992, 12, 31)),
        Profile::Elderly => (ymd(1936, 1, 1), ymd(1954, 12, 31), ymd(1990, 12, 31)),
    };
    let birth_date = between(rng, birth_from, birth_to);
    let admitted_on = if profile == Profile::Probationary {
        between(
            rng,
            ymd(2025, 1, 6).max(years_after(birth_date, 18)),
            admit_latest,
        )
    } else {
        let earliest = years_after(birth_date, 19).max(ymd(1965, 1, 1));
        let latest = years_after(birth_date, 45).min(admit_latest).max(earliest);
        between(rng, earliest, latest)
    };
    let official_on = (profile != Profile::Probationary)
        .then(|| years_after(admitted_on, 1) + chrono::Duration::days(rng.range(0, 40)));
    let joined_on = admitted_on.max(founded);
    let (status, status_since) = match profile {
        Profile::Probationary => (MemberStatus::Probationary, admitted_on),
        Profile::Exempt => {
            let from = official_on.unwrap_or(admitted_on).max(ymd(2008, 1, 1));
            (
                MemberStatus::Exempt,
                between(rng, from, ymd(2024, 12, 31).max(from)),
            )
        }
        Profile::TemporarilyExempt => {
            let from = official_on.unwrap_or(admitted_on).max(ymd(2025, 1, 1));
            (
                MemberStatus::TemporarilyExempt,
                between(rng, from, ymd(2025, 11, 30).max(from)),
            )
        }
        _ => (MemberStatus::Official, official_on.unwrap_or(admitted_on)),
    };
    use chrono::Datelike;
    // Citizen ID: province 060 (Bình Thuận), century and gender, year of birth, serial.
    let century_gender = match (birth_date.year() >= 2000, who.gender) {
        (false, Gender::Male) => 0,
        (false, Gender::Female) => 1,
        (true, Gender::Male) => 2,
        (true, Gender::Female) => 3,
    };
    let serial = (index as u64 * 7_919 + 104_729) % 1_000_000;
    let citizen_id = format!(
        "060{century_gender}{:02}{serial:06}",
        birth_date.year() % 100
    );
    NewMember {
        identity: MemberIdentity {
            full_name: who.full_name,
            birth_date,
            gender: who.gender,
            ethnicity: who.ethnicity.to_owned(),
            citizen_id: Some(citizen_id),
            party_card_no: Some(format!("BT{:07}", index + 1)),
            admitted_on: Some(admitted_on),
            official_on,
        },
        org_id: cell,
        status,
        status_since,
        joined_on,
    }
}
