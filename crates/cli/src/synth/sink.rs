//! The producer side of a generation: rows are made on their own thread and handed to the
//! loader as statement-sized batches over a bounded channel, so that making the next rows
//! (names, dates, keys: CPU work) overlaps with writing the previous ones (the database's
//! work) on the machine's other core.

use anyhow::anyhow;
use grassroots_storage::bulk::{Batch, RowBuffers, Table, Value};
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
}

impl Sink {
    pub fn new(tx: Sender<Message>) -> Sink {
        Sink {
            buffers: RowBuffers::default(),
            tx,
        }
    }

    /// Adds one row; a full batch goes to the loader (waiting while the channel is full).
    pub fn push(
        &mut self,
        table: Table,
        row: impl IntoIterator<Item = Value>,
    ) -> anyhow::Result<()> {
        if let Some(batch) = self.buffers.push(table, row) {
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

    pub fn progress(&self, members: u64) -> anyhow::Result<()> {
        self.send(Message::Members(members))
    }

    fn send(&self, message: Message) -> anyhow::Result<()> {
        self.tx
            .blocking_send(message)
            .map_err(|_| anyhow!("generate: the loader stopped (see its error)"))
    }
}
