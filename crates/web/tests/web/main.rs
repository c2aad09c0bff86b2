//! The web application through its real router (`tower::ServiceExt::oneshot`), on a fresh
//! database per test: SQLite, or PostgreSQL when GRASSROOTS_TEST_DATABASE_URL is set.

// Test helpers panic on setup failures; that is the point of a test.
#![allow(clippy::unwrap_used)]

mod classification;
mod docs;
mod documents;
mod fixture;
mod flows;
mod handovers;
mod lifecycle;
mod matrix;
mod meeting_oversight;
mod meetings;
mod registers;
mod report_figures;
mod reports;
