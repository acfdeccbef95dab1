//! Invitation links and their acceptance.
#![allow(unused_variables)] // TODO(pg): stubs until ported
use crate::server::store::{AcceptOutcome, Acceptance, Invitation, Principal, StoreResult};
use deadpool_postgres::Transaction;

pub(super) async fn invite_code(
    tx: &Transaction<'_>,
    partner_id: &str,
    reseller_id: Option<&str>,
    customer_id: Option<&str>,
) -> StoreResult<String> {
    unimplemented!("postgres: invitations::invite_code")
}

pub(super) async fn rotate(tx: &Transaction<'_>, actor: &Principal) -> StoreResult<String> {
    unimplemented!("postgres: invitations::rotate")
}

pub(super) async fn invitation(tx: &Transaction<'_>, code: &str) -> StoreResult<Invitation> {
    unimplemented!("postgres: invitations::invitation")
}

pub(super) async fn accept(
    tx: &Transaction<'_>,
    code: &str,
    acceptance: &Acceptance,
) -> StoreResult<AcceptOutcome> {
    unimplemented!("postgres: invitations::accept")
}
