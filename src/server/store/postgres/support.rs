//! Support contacts and service requests.
#![allow(unused_variables)] // TODO(pg): stubs until ported
use crate::api::support::CheckedServiceRequest;
use crate::api::{ServiceRequest, SupportContact};
use crate::server::store::{
    Created, IfMatch, Principal, RequestKey, StoreResult, StoredResponse, Versioned,
};
use deadpool_postgres::Transaction;

pub(super) async fn support_contacts(
    tx: &Transaction<'_>,
    partner_id: &str,
    customer_id: &str,
) -> StoreResult<Versioned<Vec<SupportContact>>> {
    unimplemented!("postgres: support::support_contacts")
}

pub(super) async fn set_support_contacts(
    tx: &Transaction<'_>,
    actor: &Principal,
    customer_id: &str,
    agent_ids: &[String],
    if_match: &IfMatch,
) -> StoreResult<Versioned<Vec<SupportContact>>> {
    unimplemented!("postgres: support::set_support_contacts")
}

pub(super) async fn service_requests(
    tx: &Transaction<'_>,
    partner_id: &str,
    customer_id: &str,
    limit: u32,
) -> StoreResult<(u64, Vec<ServiceRequest>)> {
    unimplemented!("postgres: support::service_requests")
}

pub(super) async fn open_service_request(
    tx: &Transaction<'_>,
    actor: &Principal,
    customer_id: &str,
    new: &CheckedServiceRequest,
    key: Option<&RequestKey>,
    respond: &dyn Fn(&ServiceRequest) -> StoredResponse,
) -> StoreResult<Created<ServiceRequest>> {
    unimplemented!("postgres: support::open_service_request")
}
