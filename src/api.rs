//! The wire contract shared by the client and the server: Partner-Center-shaped JSON (camelCase).
//!
//! Every JSON body that crosses HTTP is one of these types, so the two halves cannot drift apart.
//! Readers ignore unknown fields on purpose: real backends add fields over time.

pub mod customer;
pub mod error;
pub mod event;
pub mod filter;
pub mod gdap;
pub mod me;
pub mod page;
pub mod resources;
pub mod role;
pub mod support;
pub mod tagged;
pub mod users;
pub mod validate;

pub use customer::{
    Address, BillingProfile, CompanyProfile, Customer, CustomerPatch, NewCompanyProfile,
    NewCustomer, Relationship,
};
pub use error::ErrorBody;
pub use event::{Event, EventKind};
pub use filter::{CustomerFilter, FilterField, FilterOperator};
pub use me::Me;
pub use page::{Attributes, Collection, Header, Link, Links};
pub use resources::*;
pub use role::{Permission, Role};
pub use support::{
    NewServiceRequest, ServiceRequest, ServiceRequestStatus, Severity, SupportContact,
    SupportContacts,
};
pub use tagged::Tagged;

/// Header carrying the keyset position of the next page, as Partner Center names it.
pub const CONTINUATION_HEADER: &str = "MS-ContinuationToken";
/// Idempotency key for POSTs: the same key from the same partner returns the first result.
pub const REQUEST_ID_HEADER: &str = "MS-RequestId";
/// Echoed back on every response so a partner can correlate logs.
pub const CORRELATION_ID_HEADER: &str = "MS-CorrelationId";
/// On the first page of `/v1/customers`: the partner's latest event id as the page was read.
/// `/v1/events` with it as `Last-Event-ID` brings every change after that read, so a listener that
/// starts there misses nothing the list did not show (a cspdash addition to Partner Center).
pub const LAST_EVENT_ID_HEADER: &str = "CSPDash-Last-Event-Id";
/// Default and maximum page sizes for collections.
pub const DEFAULT_PAGE_SIZE: u32 = 100;
pub const MAX_PAGE_SIZE: u32 = 1000;
/// The media type of the bulk read (a cspdash extension): a client that lists it in `Accept` on
/// `GET /v1/customers` may get every page of the listing in one streamed response, one JSON
/// [`Collection`] a line; a backend without it answers the first page as usual.
pub const BULK_CONTENT_TYPE: &str = "application/x-ndjson";
/// Bodies larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
