//! Open `/v1/events` streams per token, at most `cap` each: opening one more closes that token's
//! oldest, so a dashboard reconnecting after a silent drop (its old stream not yet noticed dead)
//! is never turned away, and a token cannot hold more than `cap` streams open.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

pub struct StreamRegistry {
    cap: usize,
    table: Mutex<Table>,
}

#[derive(Default)]
struct Table {
    next_id: u64,
    /// Token hash → its open streams, oldest first; a token with none has no entry.
    open: HashMap<String, VecDeque<(u64, oneshot::Sender<()>)>>,
}

/// One open stream. `closed` completes when a newer stream of the same token pushed it out;
/// dropping the ticket (the stream ended) frees its place.
pub struct StreamTicket {
    registry: Arc<StreamRegistry>,
    key: String,
    id: u64,
    pub closed: oneshot::Receiver<()>,
}

impl StreamRegistry {
    pub fn new(cap: usize) -> Arc<Self> {
        Arc::new(Self {
            cap: cap.max(1),
            table: Mutex::new(Table::default()),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn open(self: &Arc<Self>, key: &str) -> StreamTicket {
        let (tx, rx) = oneshot::channel();
        let mut table = self.lock();
        let id = table.next_id;
        table.next_id += 1;
        let streams = table.open.entry(key.to_string()).or_default();
        streams.push_back((id, tx));
        while streams.len() > self.cap {
            if let Some((_, oldest)) = streams.pop_front() {
                // Its receiver may be gone already; then it is ending anyway.
                let _ = oldest.send(());
            }
        }
        StreamTicket {
            registry: Arc::clone(self),
            key: key.to_string(),
            id,
            closed: rx,
        }
    }

    /// Streams open for `key` now.
    pub fn count(&self, key: &str) -> usize {
        self.lock().open.get(key).map_or(0, VecDeque::len)
    }

    /// Tokens with at least one open stream.
    pub fn tokens(&self) -> usize {
        self.lock().open.len()
    }
}

impl Drop for StreamTicket {
    fn drop(&mut self) {
        let mut table = self.registry.lock();
        if let Some(streams) = table.open.get_mut(&self.key) {
            streams.retain(|(id, _)| *id != self.id);
            if streams.is_empty() {
                table.open.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_stream_past_the_cap_closes_the_oldest_of_that_token_only() {
        let registry = StreamRegistry::new(2);
        let mut first = registry.open("a");
        let mut second = registry.open("a");
        let mut other = registry.open("b");
        let mut third = registry.open("a");
        assert!(first.closed.try_recv().is_ok(), "the oldest was closed");
        assert!(second.closed.try_recv().is_err());
        assert!(third.closed.try_recv().is_err());
        assert!(other.closed.try_recv().is_err());
        assert_eq!(registry.count("a"), 2);
        drop((first, second, third, other));
        assert_eq!(registry.tokens(), 0, "ended streams leave nothing behind");
    }
}
