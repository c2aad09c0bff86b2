//! The domain of Grassroots: what a party organization, a member and a rule are.
//!
//! This crate does no I/O. Everything here is plain data and pure functions, so that the
//! rules can be tested exhaustively and reused by the storage, web and command-line layers.

pub mod access;
pub mod classification;
pub mod date;
pub mod documents;
pub mod error;
pub mod figures;
pub mod lifecycle;
pub mod meetings;
pub mod member;
pub mod org;
pub mod rulebook;
pub mod text;
pub mod tree_path;

pub use error::{DomainError, DomainResult};
