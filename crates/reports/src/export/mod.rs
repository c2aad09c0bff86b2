//! Exports of a report: JSON (the contract), Excel, Word and PDF.

pub mod chart;
pub mod docx;
pub mod pdf;
pub mod xlsx;

use crate::{Report, ReportResult};

pub fn json(report: &Report) -> ReportResult<Vec<u8>> {
    serde_json::to_vec_pretty(report).map_err(|e| crate::ReportError::Export(e.to_string()))
}
