//! The membership lifecycle: from outstanding candidate through admission, probation and
//! official recognition, transfers, removal, cards, badges and dues.
//!
//! Pure rules only. Every deadline and rate comes from the [`crate::rulebook::Rulebook`] in
//! force on the relevant date, and deadlines are counted in working days on the
//! [`calendar::Calendar`] of Vietnamese public holidays.

pub mod admission;
pub mod badges;
pub mod calendar;
pub mod dues;
pub mod party_age;
pub mod probation;
pub mod transfer;
