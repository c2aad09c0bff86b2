//! CSV and XLSX import of organizations and members. Columns are found by their header, in
//! Vietnamese or English, ignoring case and diacritics. Each file is all or nothing: every
//! row is checked first, then all rows are written in one transaction through the storage
//! rules, each write audited with the actor `cli:import`.

mod columns;
mod members;
mod orgs;
mod table;
mod values;

pub use members::import_members;
pub use orgs::import_orgs;
pub use table::{Row, Table};

/// The author of every write of a table import, in the audit log.
pub const IMPORT_ACTOR: &str = "cli:import";

/// What a table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    Orgs,
    Members,
}

/// What a table import wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableSummary {
    pub created: usize,
}
