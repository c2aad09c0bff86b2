//! Moving Grassroots data in and out.
//!
//! - [`jsonl`]: the JSON Lines interchange format (`docs/interchange.md`): a full, exact
//!   export of every record, and its import into an empty database.
//! - [`tabular`]: CSV and XLSX import of organizations and members with Vietnamese or
//!   English column headers, added to an existing database through the storage rules.
//! - [`demo`]: the La Gi town demo data (seed 000), generated deterministically.
//!
//! Every import is all or nothing: each line is parsed and checked first, then everything is
//! written in one transaction.

pub mod demo;
pub mod error;
pub mod jsonl;
pub mod progress;
pub mod tabular;

pub use error::{InterchangeError, InterchangeResult};
pub use jsonl::{export, import};
pub use progress::{NoProgress, Progress};
