//! Token hash → principal for a few seconds, so a busy client does not hit the database per
//! request. Entries past their time to live are still remembered (for `KNOWN_FOR`) as tokens that
//! were valid, so a client address blocked for failed attempts can still sign in with them.
//! Bounded: a full cache forgets its least recently used tenth.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::server::ratelimit::evict_oldest;
use crate::server::store::Principal;

/// How long a token that once authenticated counts as known.
const KNOWN_FOR: Duration = Duration::from_secs(600);

pub struct AuthCache {
    ttl: Duration,
    capacity: usize,
    entries: Mutex<HashMap<String, Entry>>,
}

struct Entry {
    principal: Principal,
    checked: Instant,
}

/// What the cache knows about a token hash.
#[derive(Debug)]
pub enum Cached {
    /// Checked against the database less than the time to live ago.
    Fresh(Principal),
    /// Was valid a while ago: check again.
    Known,
    Unknown,
}

impl AuthCache {
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            ttl,
            capacity: capacity.max(1),
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn get(&self, hash: &str) -> Cached {
        self.get_at(hash, Instant::now())
    }

    pub(crate) fn get_at(&self, hash: &str, now: Instant) -> Cached {
        match self.lock().get(hash) {
            Some(entry) if now.saturating_duration_since(entry.checked) < self.ttl => {
                Cached::Fresh(entry.principal.clone())
            }
            Some(entry) if now.saturating_duration_since(entry.checked) < KNOWN_FOR => {
                Cached::Known
            }
            _ => Cached::Unknown,
        }
    }

    pub fn put(&self, hash: &str, principal: &Principal) {
        self.put_at(hash, principal, Instant::now());
    }

    pub(crate) fn put_at(&self, hash: &str, principal: &Principal, now: Instant) {
        let mut entries = self.lock();
        if !entries.contains_key(hash) && entries.len() >= self.capacity {
            entries.retain(|_, e| now.saturating_duration_since(e.checked) < KNOWN_FOR);
            if entries.len() >= self.capacity {
                evict_oldest(&mut entries, self.capacity / 10 + 1, |e| e.checked);
            }
        }
        entries.insert(
            hash.to_string(),
            Entry {
                principal: principal.clone(),
                checked: now,
            },
        );
    }

    /// A token the database no longer knows (revoked).
    pub fn forget(&self, hash: &str) {
        self.lock().remove(hash);
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Role;

    fn principal() -> Principal {
        Principal {
            partner_id: "p".into(),
            partner_name: "P".into(),
            cloud: "Global".into(),
            agent_id: "a".into(),
            agent_name: "A".into(),
            role: Role::HelpdeskAgent,
        }
    }

    #[test]
    fn the_cache_stays_within_its_capacity_under_many_tokens() {
        let cache = AuthCache::new(Duration::from_secs(10), 500);
        let start = Instant::now();
        for i in 0..20_000u64 {
            cache.put_at(
                &format!("hash-{i}"),
                &principal(),
                start + Duration::from_millis(i),
            );
            assert!(cache.len() <= 500);
        }
        // The most recent survive.
        assert!(matches!(
            cache.get_at("hash-19999", start + Duration::from_millis(20_000)),
            Cached::Fresh(_)
        ));
    }

    #[test]
    fn entries_go_stale_then_are_forgotten() {
        let cache = AuthCache::new(Duration::from_secs(10), 2);
        let start = Instant::now();
        cache.put_at("a", &principal(), start);
        assert!(matches!(cache.get_at("a", start), Cached::Fresh(_)));
        let stale = start + Duration::from_secs(11);
        assert!(matches!(cache.get_at("a", stale), Cached::Known));
        let gone = start + KNOWN_FOR + Duration::from_secs(1);
        assert!(matches!(cache.get_at("a", gone), Cached::Unknown));
        // Idle entries make room for new ones before anything in use is evicted.
        cache.put_at("b", &principal(), gone);
        cache.put_at("c", &principal(), gone);
        assert_eq!(cache.len(), 2);
        assert!(matches!(cache.get_at("b", gone), Cached::Fresh(_)));
    }
}
