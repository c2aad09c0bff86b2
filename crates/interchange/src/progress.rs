//! Progress of long jobs, reported to whoever runs them (a bar on the terminal, nothing in
//! tests). Kept as a trait so this crate does not depend on a terminal library.

/// Receives the phases and steps of a job. Calls come from one task at a time.
pub trait Progress: Send + Sync {
    /// A new phase starts, of `total` steps if known.
    fn start(&self, phase: &str, total: Option<u64>);
    /// `n` more steps of the current phase are done.
    fn advance(&self, n: u64);
    /// The job is over.
    fn finish(&self);
}

/// Reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _phase: &str, _total: Option<u64>) {}
    fn advance(&self, _n: u64) {}
    fn finish(&self) {}
}
