//! The JSON Lines interchange format: one JSON object per line, each with a `"type"`.
//! See `docs/interchange.md` for the format and its rules of extension.

mod export;
mod fields;
mod import;
mod records;

pub use export::{ExportSummary, export};
pub use import::{ImportSummary, import};
pub use records::{FORMAT, RECORD_TYPES, VERSION};
