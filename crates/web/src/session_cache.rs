//! Sessions resolved a moment ago, kept so that a burst of requests (a cell's members
//! checking in from their phones, a list paged through) does not read the session and the
//! role assignments from the database for each request.
//!
//! An entry is trusted for [`SESSION_TTL`] and never past the session's own expiry. Every
//! write this server answers (other than a check-in, which changes no account, role or
//! organization) empties the cache after its handler ran: a sign-out, a role given, an
//! organization dissolved are seen by the very next request. The generation counter keeps a
//! request that read the database before such a write from storing what it read after the
//! cache was emptied. Writes by another process (the command line) are seen within the TTL.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::auth::Caller;

/// How long a resolved session is reused when no write of this server emptied the cache
/// (a change made by another process, such as the command line, shows within it). At 2 s
/// a member's next check-in, seconds later, nearly always missed it.
pub const SESSION_TTL: Duration = Duration::from_secs(10);

/// Entries beyond which stale ones are swept when a new one is kept.
const SWEEP_AT: usize = 16_384;

#[derive(Debug)]
struct Entry {
    at: Instant,
    expires_at: String,
    caller: Arc<Caller>,
}

#[derive(Debug, Default)]
pub struct SessionCache {
    entries: Mutex<HashMap<String, Entry>>,
    generation: AtomicU64,
}

impl SessionCache {
    /// Read before resolving a session from the database; hand it back to [`Self::keep`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The caller of a live session resolved less than [`SESSION_TTL`] ago. `now` is RFC
    /// 3339 text in the form sessions' expiry is stored in.
    pub fn get(&self, token_hash: &str, now: &str) -> Option<Arc<Caller>> {
        let entries = self.entries.lock().ok()?;
        let e = entries.get(token_hash)?;
        (e.at.elapsed() < SESSION_TTL && e.expires_at.as_str() > now).then(|| Arc::clone(&e.caller))
    }

    /// Keeps a resolved session, unless a write emptied the cache since `generation` was read.
    pub fn keep(&self, generation: u64, expires_at: String, caller: Arc<Caller>) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        if entries.len() >= SWEEP_AT {
            entries.retain(|_, e| e.at.elapsed() < SESSION_TTL);
        }
        entries.insert(
            caller.token_hash.clone(),
            Entry {
                at: Instant::now(),
                expires_at,
                caller,
            },
        );
    }

    /// Forgets every session (after a write that may change accounts, roles or the tree).
    pub fn forget_all(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            self.generation.fetch_add(1, Ordering::AcqRel);
            entries.clear();
        }
    }
}
