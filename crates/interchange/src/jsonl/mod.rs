//! The JSON Lines interchange format: one JSON object per line, each with a `"type"`.
//! See `docs/interchange.md` for the format and its rules of extension.

mod accounts;
mod base64;
mod classification;
mod documents;
mod export;
mod fields;
mod import;
mod lifecycle;
mod meetings;
mod records;
mod table;

pub use export::{ExportSummary, export};
pub use import::{ImportSummary, import};
pub use records::{FORMAT, RECORD_TYPES, VERSION};

/// The record types written from a declared table layout, in dependency order: they come
/// after the memberships and before the audit log.
fn area_tables() -> impl Iterator<Item = &'static table::Table> {
    meetings::TABLES
        .iter()
        .chain(documents::TABLES.iter())
        .chain(lifecycle::TABLES.iter())
        .chain(classification::TABLES.iter())
        .chain(accounts::TABLES.iter())
        .copied()
}
