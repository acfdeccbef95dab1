//! Partners, their agents and indirect resellers; tokens made for them; signing keys.
#![allow(unused_variables)] // TODO(pg): stubs until ported
use crate::api::{Agent, PartnerRelationship, Role};
use crate::server::store::{Principal, StoreResult, TokenExpiry};
use deadpool_postgres::Transaction;

pub(super) async fn create_token(
    tx: &Transaction<'_>,
    hash: &str,
    partner: Option<&str>,
    role: Role,
    agent_name: Option<&str>,
    expiry: TokenExpiry,
) -> StoreResult<Principal> {
    unimplemented!("postgres: partners::create_token")
}

pub(super) async fn agents(tx: &Transaction<'_>, partner_id: &str) -> StoreResult<Vec<Agent>> {
    unimplemented!("postgres: partners::agents")
}

pub(super) async fn indirect_resellers(
    tx: &Transaction<'_>,
    partner_id: &str,
) -> StoreResult<Vec<PartnerRelationship>> {
    unimplemented!("postgres: partners::indirect_resellers")
}

pub(super) async fn is_empty(tx: &Transaction<'_>) -> StoreResult<bool> {
    unimplemented!("postgres: partners::is_empty")
}

pub(super) async fn secret(tx: &Transaction<'_>, name: &str) -> StoreResult<Vec<u8>> {
    unimplemented!("postgres: partners::secret")
}
