//! The customers list (keyset paging, filters), one customer, adding one, and changes to its relationship and purchase permission.
#![allow(unused_variables)] // TODO(pg): stubs until ported
use crate::api::{Customer, NewCustomer, Relationship};
use crate::server::store::{
    Created, CustomerPage, CustomerQuery, IfMatch, Principal, RequestKey, StoreResult,
    StoredResponse, Versioned,
};
use deadpool_postgres::Transaction;

pub(super) async fn list(
    tx: &Transaction<'_>,
    partner_id: &str,
    query: &CustomerQuery,
) -> StoreResult<CustomerPage> {
    unimplemented!("postgres: customers::list")
}

pub(super) async fn get(
    tx: &Transaction<'_>,
    partner_id: &str,
    id: &str,
) -> StoreResult<Versioned<Customer>> {
    unimplemented!("postgres: customers::get")
}

pub(super) async fn create(
    tx: &Transaction<'_>,
    actor: &Principal,
    new: &NewCustomer,
    key: Option<&RequestKey>,
    respond: &dyn Fn(&Customer) -> StoredResponse,
) -> StoreResult<Created<Customer>> {
    unimplemented!("postgres: customers::create")
}

pub(super) async fn set_relationship(
    tx: &Transaction<'_>,
    actor: &Principal,
    id: &str,
    relationship: Relationship,
    if_match: &IfMatch,
) -> StoreResult<Versioned<Customer>> {
    unimplemented!("postgres: customers::set_relationship")
}

pub(super) async fn purchase_permission(
    tx: &Transaction<'_>,
    partner_id: &str,
    id: &str,
) -> StoreResult<Versioned<bool>> {
    unimplemented!("postgres: customers::purchase_permission")
}

pub(super) async fn set_purchase_permission(
    tx: &Transaction<'_>,
    actor: &Principal,
    id: &str,
    allow: bool,
    if_match: &IfMatch,
) -> StoreResult<Versioned<bool>> {
    unimplemented!("postgres: customers::set_purchase_permission")
}
