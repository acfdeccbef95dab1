//! The typed HTTP client the dashboard uses. STUB: signatures agreed, bodies to be written.
//!
//! Timeouts on every request, retry with jitter on 5xx/connect errors, 429 honouring `Retry-After`,
//! continuation paging (following `links.next` as given), and the live event stream.

pub mod error;

pub use error::ClientError;

use futures::Stream;

use crate::api::{
    Collection, Customer, CustomerFilter, CustomerUser, Event, Link, Me, NewCustomer,
    PartnerRelationship, RelationshipRequest, SubscribedSku, Subscription,
};

/// A signed-in connection to one backend. Cheap to clone (shares the connection pool).
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: String,
    token: String,
}

impl Client {
    /// `base_url` is the backend root (`http://127.0.0.1:8080`); `/v1` is added by the client.
    pub fn new(base_url: &str, token: &str) -> Result<Self, ClientError> {
        let _ = (base_url, token);
        todo!()
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub async fn me(&self) -> Result<Me, ClientError> {
        todo!()
    }

    /// One page of customers: the first (when `next` is None) or the one `next` points to.
    pub async fn customers_page(
        &self,
        next: Option<&Link>,
        size: u32,
        filter: Option<&CustomerFilter>,
    ) -> Result<Collection<Customer>, ClientError> {
        let _ = (next, size, filter, &self.http, &self.token);
        todo!()
    }

    /// Every page in order, following `links.next` until the last page.
    pub fn customer_pages(
        &self,
        size: u32,
        filter: Option<CustomerFilter>,
    ) -> impl Stream<Item = Result<Collection<Customer>, ClientError>> + Send + 'static {
        let _ = (size, filter);
        futures::stream::empty()
    }

    pub async fn customer(&self, id: &str) -> Result<Customer, ClientError> {
        let _ = id;
        todo!()
    }

    /// `MS-RequestId` makes the POST idempotent: a retry with the same id creates nothing new.
    pub async fn create_customer(
        &self,
        new: &NewCustomer,
        request_id: &str,
    ) -> Result<Customer, ClientError> {
        let _ = (new, request_id);
        todo!()
    }

    pub async fn subscriptions(&self, customer_id: &str) -> Result<Vec<Subscription>, ClientError> {
        let _ = customer_id;
        todo!()
    }

    pub async fn subscribed_skus(
        &self,
        customer_id: &str,
    ) -> Result<Vec<SubscribedSku>, ClientError> {
        let _ = customer_id;
        todo!()
    }

    pub async fn users(&self, customer_id: &str) -> Result<Vec<CustomerUser>, ClientError> {
        let _ = customer_id;
        todo!()
    }

    pub async fn relationship_request(
        &self,
        indirect_reseller_id: Option<&str>,
    ) -> Result<RelationshipRequest, ClientError> {
        let _ = indirect_reseller_id;
        todo!()
    }

    pub async fn indirect_resellers(&self) -> Result<Vec<PartnerRelationship>, ClientError> {
        todo!()
    }

    /// Live changes (SSE), resuming after `last_event_id`; reconnects by itself.
    pub fn events(
        &self,
        last_event_id: Option<i64>,
    ) -> impl Stream<Item = Result<Event, ClientError>> + Send + 'static {
        let _ = last_event_id;
        futures::stream::empty()
    }
}
