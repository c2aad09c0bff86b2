//! The producer side of a generation: rows are made on their own thread and handed to the
//! loader as batches over a bounded channel, so that making the next rows (names, dates,
//! keys: CPU work) overlaps with writing the previous ones (the database's work) on the
//! machine's other core.

use std::time::Instant;

use anyhow::anyhow;
use grassroots_storage::bulk::{Batch, PARAMS_PER_STATEMENT, RowBuffers, Table};
use tokio::sync::mpsc::Sender;

/// What the producer sends to the loader.
#[derive(Debug)]
pub enum Message {
    Rows(Batch),
    /// How many members have been made so far (for the progress bar).
    Members(u64),
}

/// Batches that are in flight at once: enough to keep the loader busy, few enough to bound
/// the memory (a batch is at most 8,000 values).
pub const IN_FLIGHT: usize = 16;

/// Buffers rows per table and sends every full batch.
#[derive(Debug)]
pub struct Sink {
    buffers: RowBuffers,
    tx: Sender<Message>,
    /// Seconds spent waiting for room in the channel: the loader being the slower side.
    waited: f64,
}

impl Sink {
    pub fn new(tx: Sender<Message>) -> Sink {
        Sink {
            buffers: RowBuffers::new(PARAMS_PER_STATEMENT),
            tx,
            waited: 0.0,
        }
    }

    /// Adds one row, written by `fill`; a full batch goes to the loader (waiting while the
    /// channel is full).
    pub fn push(&mut self, table: Table, fill: impl FnOnce(&mut Batch)) -> anyhow::Result<()> {
        if let Some(batch) = self.buffers.push(table, fill) {
            self.send(Message::Rows(batch))?;
        }
        Ok(())
    }

    /// Sends what is buffered for `table` (before rows of other tables that refer to it).
    pub fn flush(&mut self, table: &str) -> anyhow::Result<()> {
        if let Some(batch) = self.buffers.take(table) {
            self.send(Message::Rows(batch))?;
        }
        Ok(())
    }

    pub fn progress(&mut self, members: u64) -> anyhow::Result<()> {
        self.send(Message::Members(members))
    }

    /// Seconds the producer waited for the loader so far.
    pub fn waited(&self) -> f64 {
        self.waited
    }

    fn send(&mut self, message: Message) -> anyhow::Result<()> {
        let started = Instant::now();
        let sent = self
            .tx
            .blocking_send(message)
            .map_err(|_| anyhow!("generate: the loader stopped (see its error)"));
        self.waited += started.elapsed().as_secs_f64();
        sent
    }
}
