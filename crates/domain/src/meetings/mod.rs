//! Cell meetings, attendance and the Charter's rules about them.
//!
//! A cell meets every month (regular meeting) and at least once a quarter on a theme;
//! committees hold plenaries; any organization may hold an extraordinary meeting. Each
//! meeting records who attended. The rules here turn those records into alerts with their
//! evidence, per member and per cell, with every number read from the rulebook.
//!
//! Everything in this module is pure: storage gathers the facts, these functions judge them.

pub mod attendance;
pub mod calendar;
pub mod kind;
pub mod participation;
pub mod quality;
pub mod rules;

pub use attendance::{Absence, AttendanceStatus};
pub use calendar::{Period, Window, YearMonth, regular_schedule};
pub use kind::{MeetingKind, MeetingStatus};
pub use participation::{MemberHistory, Role};
pub use quality::check_quality_level;
pub use rules::{
    Alert, AlertRule, AttendanceFact, CellFacts, Evidence, MeetingFact, MeetingRules,
    evaluate_cell, evaluate_member,
};
