//! Bearer tokens: only their SHA-256 is kept.
#![allow(unused_variables)] // TODO(pg): stubs until ported
use crate::server::store::{Principal, StoreResult};
use deadpool_postgres::Transaction;

pub(super) async fn lookup(
    tx: &Transaction<'_>,
    hash: &str,
    now: i64,
) -> StoreResult<Option<(Principal, bool)>> {
    unimplemented!("postgres: tokens::lookup")
}

pub(super) async fn renew(
    tx: &Transaction<'_>,
    hash: &str,
    now: i64,
    even_if_lapsed: bool,
) -> StoreResult<bool> {
    unimplemented!("postgres: tokens::renew")
}

pub(super) async fn purge(tx: &Transaction<'_>, now: i64) -> StoreResult<usize> {
    unimplemented!("postgres: tokens::purge")
}

pub(super) async fn revoke(tx: &Transaction<'_>, hash: &str) -> StoreResult<bool> {
    unimplemented!("postgres: tokens::revoke")
}

/// Unix seconds now.
pub(super) fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}
