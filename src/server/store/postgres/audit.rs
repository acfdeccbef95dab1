//! The audit log, read newest first (writing a record is in `resources`).
#![allow(unused_variables)] // TODO(pg): stubs until ported
use crate::server::store::{AuditPage, AuditQuery, StoreResult};
use deadpool_postgres::Transaction;

pub(super) async fn page(
    tx: &Transaction<'_>,
    partner_id: &str,
    query: &AuditQuery,
) -> StoreResult<AuditPage> {
    unimplemented!("postgres: audit::page")
}
