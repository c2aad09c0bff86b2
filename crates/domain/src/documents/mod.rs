//! Party documents: their numbers, the codes of their types and issuers, the congress terms
//! numbers restart in, and the kinds of dissemination and training that spread them.
//!
//! Codes and terms are data in the rulebook (`[documents]`), so a new document type or a
//! new term is a rulebook change, not a code change.

mod codes;
mod kinds;
mod number;

pub use codes::{DocumentRules, IssuerCode, Term, TypeCode};
pub use kinds::{
    CourseKind, CourseResult, DisseminationKind, DocumentStatus, ParticipantKind, ReviewKind,
};
pub use number::{DocumentNumber, MAX_NUMBER};
