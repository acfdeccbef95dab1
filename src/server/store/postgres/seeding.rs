//! Demo data on PostgreSQL: the same partners, customers, users, licences and admin
//! relationships as the SQLite store seeds (`store::seed` decides them; this writes them).
#![allow(unused_variables)] // TODO(pg): stub until ported

use super::PgStore;
use crate::server::store::StoreResult;

pub(super) fn seed(store: &PgStore, customers: u32) -> StoreResult<()> {
    unimplemented!("postgres: seeding::seed")
}
