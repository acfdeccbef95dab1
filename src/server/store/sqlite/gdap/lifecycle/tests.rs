#![allow(clippy::unwrap_used)]
//! A measurement of the SQLite sweep (the lifecycle's behaviour is the contract suite's,
//! `contract::gdap_lifecycle`).

use super::super::super::{SqliteStore, lock};
use super::text;
use crate::server::store::{AdminStore, Store};

fn days(n: i64) -> String {
    text(chrono::Utc::now() + chrono::TimeDelta::days(n))
}

/// What a sweep with nothing due costs in this (debug) build, for the notes: `cargo test --lib
/// sweep_time -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn sweep_time() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("t.db")).unwrap();
    store.seed_demo(20_000).unwrap();
    let relationships: i64 = lock(&store.writer)
        .query_row("SELECT count(*) FROM admin_relationships", [], |r| r.get(0))
        .unwrap();
    let now = days(0);
    let started = std::time::Instant::now();
    for _ in 0..1000 {
        assert!(store.advance_admin_relationships(&now).unwrap().is_empty());
    }
    let read_first = started.elapsed() / 1000;
    let started = std::time::Instant::now();
    for _ in 0..1000 {
        assert!(
            store
                .write(|tx| super::advance(tx, &now))
                .unwrap()
                .is_empty()
        );
    }
    let write_only = started.elapsed() / 1000;
    eprintln!(
        "a sweep with nothing due over {relationships} relationships: {read_first:?} \
         (as a write transaction alone: {write_only:?})"
    );
}
