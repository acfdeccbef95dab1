//! The storage boundary: every SQL statement lives behind [`Store`]. Handlers speak only in these
//! types, so a PostgreSQL store for shared deployments can slot in without touching anything above.
//!
//! Methods are synchronous (SQLite is); the HTTP layer calls them on tokio's blocking pool. The
//! PostgreSQL store (shared deployments, several replicas) keeps the same contract: see
//! [`postgres`].
//! Every method that reads or writes a customer takes the caller's partner id and filters by it:
//! another partner's customer is indistinguishable from one that does not exist.

#[cfg(test)]
mod contract;
pub mod gdap;
pub mod new_customer;
pub mod postgres;
pub mod precondition;
pub mod seed;
pub mod sqlite;
pub mod token_list;
pub mod users;

pub use gdap::AdminStore;
pub use postgres::PgStore;
pub use precondition::IfMatch;
pub use sqlite::SqliteStore;
pub use token_list::{TOKEN_ID_LEN, TokenHolder, TokenInfo};
pub use users::{UserState, UserStore};

use crate::api::support::CheckedServiceRequest;
use crate::api::{
    Agent, AuditRecord, Customer, CustomerFilter, EventKind, NewCustomer, PartnerRelationship,
    Relationship, Role, ServiceRequest, SubscribedSku, Subscription, SupportContact,
};

/// Where `--db` points: a SQLite file, or a PostgreSQL database shared by several replicas.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    Sqlite(std::path::PathBuf),
    /// A `postgres://` URL (its password, if any, is never shown: see [`Database::shown`]).
    Postgres(String),
}

impl Database {
    /// `postgres://…` or `postgresql://…` is PostgreSQL; anything else a SQLite path.
    pub fn parse(text: &str) -> Self {
        if postgres::is_postgres_url(text) {
            Database::Postgres(text.trim().to_string())
        } else {
            Database::Sqlite(std::path::PathBuf::from(text))
        }
    }

    /// For messages and logs: the path, or the URL without its password.
    pub fn shown(&self) -> String {
        match self {
            Database::Sqlite(path) => path.display().to_string(),
            Database::Postgres(url) => postgres::redacted(url),
        }
    }
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Database({})", self.shown())
    }
}

/// Who is calling: resolved from a bearer token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub partner_id: String,
    pub partner_name: String,
    pub cloud: String,
    pub agent_id: String,
    pub agent_name: String,
    pub role: Role,
}

/// How long a token is good for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenExpiry {
    /// Until revoked (`cspdash token create`).
    Never,
    /// This long after it was made.
    After(std::time::Duration),
    /// This long after it was last used: the embedded dashboard's, which dies by itself when the
    /// dashboard crashed and nobody revoked it.
    Idle(std::time::Duration),
}

/// Where the previous page ended, in sort order: the next page starts strictly after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub name_key: String,
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerQuery {
    pub size: u32,
    pub filter: Option<CustomerFilter>,
    pub after: Option<Cursor>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerPage {
    /// All customers matching the filter, not just this page.
    pub total: u64,
    pub items: Vec<Customer>,
    /// Set when more rows follow.
    pub next: Option<Cursor>,
}

/// Where the previous page of the audit log ended (newest first): the next page starts strictly
/// before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditCursor {
    pub created_at: String,
    pub id: i64,
}

/// One page of the audit log: records between `start` and `end` (RFC 3339 UTC, inclusive, open
/// when None), of one customer when given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditQuery {
    pub size: u32,
    pub start: Option<String>,
    pub end: Option<String>,
    pub customer_id: Option<String>,
    pub after: Option<AuditCursor>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPage {
    /// All records matching the query's range and customer, not just this page.
    pub total: u64,
    pub items: Vec<AuditRecord>,
    /// Set when older records follow.
    pub next: Option<AuditCursor>,
}

/// A resource with its version, which the HTTP layer sends as the `ETag`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versioned<T> {
    pub value: T,
    pub version: i64,
}

/// The answer stored for an idempotent POST, replayed for a repeated `MS-RequestId`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
}

/// An idempotency key with the hash of the body it was first used with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestKey {
    pub request_id: String,
    pub body_sha256: String,
}

/// The outcome of a create that may be a replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Created<T> {
    New(T),
    /// The same `MS-RequestId` was seen before: here is the first answer.
    Replayed(StoredResponse),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub id: i64,
    pub partner_id: String,
    pub kind: EventKind,
    pub customer_id: String,
    pub created_at: String,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    /// A value that must be unique is taken (`field` by its JSON path, as in error bodies).
    #[error("{message}")]
    Taken {
        field: &'static str,
        message: String,
    },
    /// The `If-Match` version is not the current one.
    #[error("the resource changed since it was read (current version {current})")]
    Stale { current: i64 },
    /// Bad input in `field` (its JSON path or parameter name, as error bodies name it); the
    /// message reads on its own (`cspdash token create` prints it without the field).
    #[error("{message}")]
    Invalid {
        /// The JSON path of the field at fault (`items[2].agentId`), as error bodies name it.
        field: String,
        message: String,
    },
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    /// The database cannot be reached right now (PostgreSQL restarting, the network down): the
    /// HTTP layer answers 503 with `Retry-After`.
    #[error("{0}")]
    Unavailable(String),
    #[error("{0}")]
    Schema(String),
    /// The database files are open to other users (the message says which and how to fix it).
    #[error("{0}")]
    NotPrivate(String),
    #[error("cannot create or check {}: {source}", path.display())]
    File {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Called with a partner id (or `*`: every partner) when another process serving the same
/// database recorded events: wakes that partner's live streams here.
pub type ChangeWaker = Box<dyn Fn(&str) + Send + Sync>;

/// Everything the backend stores. See the module doc for the partner-isolation rule.
pub trait Store: UserStore + AdminStore + Send + Sync + 'static {
    /// The principal a token hash belongs to, if any.
    fn principal_for_token(&self, token_sha256: &str) -> StoreResult<Option<Principal>>;
    /// Stores a token hash that never expires for an agent of `partner` (name or id; the first
    /// partner when None) with `role`: the agent named `agent_name`, else the partner's first
    /// agent with that role, created when there is none.
    fn create_token(
        &self,
        token_sha256: &str,
        partner: Option<&str>,
        role: Role,
        agent_name: Option<&str>,
    ) -> StoreResult<Principal> {
        self.create_expiring_token(token_sha256, partner, role, agent_name, TokenExpiry::Never)
    }
    /// As [`Store::create_token`], with a lifetime. An expired token is unknown to
    /// `principal_for_token`; a sliding one (`Idle`) is renewed by use, at most once a minute.
    fn create_expiring_token(
        &self,
        token_sha256: &str,
        partner: Option<&str>,
        role: Role,
        agent_name: Option<&str>,
        expiry: TokenExpiry,
    ) -> StoreResult<Principal>;
    /// Renews a sliding token from the process that holds it, even when its expiry passed while
    /// the machine slept (until it is purged); false when it is gone.
    fn renew_token(&self, token_sha256: &str) -> StoreResult<bool>;
    /// Deletes the tokens that have expired (start-up); how many.
    fn purge_expired_tokens(&self) -> StoreResult<usize>;
    /// Forgets `MS-RequestId` keys recorded before `cutoff` (RFC 3339; start-up); how many.
    /// DESIGN.md §3 promises at least 24 hours of idempotency, not for ever.
    fn purge_request_ids_before(&self, cutoff: &str) -> StoreResult<usize>;

    /// The signing key called `name`, made (random, 256 bits) and kept on first use: every
    /// process serving this database signs and checks with the same key.
    fn secret(&self, name: &str) -> StoreResult<Vec<u8>>;

    /// Forgets a token hash; false when there was none.
    fn revoke_token(&self, token_sha256: &str) -> StoreResult<bool>;
    /// Every partner's tokens, expired ones included until they are purged (`cspdash token
    /// list`: for whoever runs the backend), by partner, agent and age.
    fn tokens(&self) -> StoreResult<Vec<TokenInfo>>;
    /// The agents of any partner whose id or name is `name_or_id`, or whose email is (ignoring
    /// ASCII case), by partner; each with how many tokens it holds.
    fn token_holders(&self, name_or_id: &str) -> StoreResult<Vec<TokenHolder>>;
    /// Deletes every token of the agent `agent_id`; what they were.
    fn revoke_agent_tokens(&self, agent_id: &str) -> StoreResult<Vec<TokenInfo>>;
    /// Deletes the token whose [`TokenInfo::id`] is `id` (lower-case hex); None when there is
    /// none. Two tokens with that id (a 1 in 2^48 chance) are a `Conflict`: neither is deleted.
    fn revoke_token_id(&self, id: &str) -> StoreResult<Option<TokenInfo>>;

    fn agents(&self, partner_id: &str) -> StoreResult<Vec<Agent>>;
    fn indirect_resellers(&self, partner_id: &str) -> StoreResult<Vec<PartnerRelationship>>;
    /// The code of the partner's current invitation link (bound to an indirect reseller when
    /// given; it must be one of the partner's), made when there is none with at least 30 days to
    /// live. With `customer_id` (one of the partner's, else `NotFound`) the link restores only
    /// that customer; without, it only creates new customers.
    fn invite_code(
        &self,
        partner_id: &str,
        reseller_id: Option<&str>,
        customer_id: Option<&str>,
    ) -> StoreResult<String>;
    /// Retires every general (not customer-bound) link of the actor's partner and returns the
    /// code of a new direct one. Audited.
    /// Replaces the general invitation link (the older ones stop working); the new code. With
    /// `key`, a retry of the same request gets the code the first one made and rotates nothing.
    fn rotate_invite(&self, actor: &Principal, key: Option<&RequestKey>) -> StoreResult<String>;

    fn list_customers(&self, partner_id: &str, query: &CustomerQuery) -> StoreResult<CustomerPage>;
    fn customer(&self, partner_id: &str, id: &str) -> StoreResult<Versioned<Customer>>;
    /// Adds a customer (validated by the caller). With a request key, a repeat returns the
    /// stored first answer; `respond` renders the answer to store for the new customer.
    fn create_customer(
        &self,
        actor: &Principal,
        new: &NewCustomer,
        key: Option<&RequestKey>,
        respond: &dyn Fn(&Customer) -> StoredResponse,
    ) -> StoreResult<Created<Customer>>;
    /// Ends (and with it the partner's admin access) or reinstates (the relationship only) the
    /// relationship, if `if_match` admits the current version.
    fn set_relationship(
        &self,
        actor: &Principal,
        id: &str,
        relationship: Relationship,
        if_match: &IfMatch,
    ) -> StoreResult<Versioned<Customer>>;
    fn purchase_permission(&self, partner_id: &str, id: &str) -> StoreResult<Versioned<bool>>;
    fn set_purchase_permission(
        &self,
        actor: &Principal,
        id: &str,
        allow: bool,
        if_match: &IfMatch,
    ) -> StoreResult<Versioned<bool>>;

    fn subscriptions(&self, partner_id: &str, customer_id: &str) -> StoreResult<Vec<Subscription>>;
    fn subscribed_skus(
        &self,
        partner_id: &str,
        customer_id: &str,
    ) -> StoreResult<Vec<SubscribedSku>>;

    /// The customer's support contacts with their names and emails, in the order they were set;
    /// the version is the set's own (not the customer's).
    fn support_contacts(
        &self,
        partner_id: &str,
        customer_id: &str,
    ) -> StoreResult<Versioned<Vec<SupportContact>>>;
    /// Replaces the set with `agent_ids` (checked: at most ten, none twice). Each must be an agent
    /// of the actor's partner, else `Invalid` naming `items[N].agentId`. `if_match` None = `*`.
    /// A real change is audited and recorded as `supportContacts.updated`; the same set again
    /// changes nothing (not even the version).
    fn set_support_contacts(
        &self,
        actor: &Principal,
        customer_id: &str,
        agent_ids: &[String],
        if_match: &IfMatch,
    ) -> StoreResult<Versioned<Vec<SupportContact>>>;
    /// The newest `limit` service requests of the customer, and how many it has in all.
    fn service_requests(
        &self,
        partner_id: &str,
        customer_id: &str,
        limit: u32,
    ) -> StoreResult<(u64, Vec<ServiceRequest>)>;
    /// Opens a service request (checked by the caller; its contact must be one of the actor's
    /// partner's agents). With a request key, a repeat returns the first answer and adds nothing.
    /// Audited, recorded as `serviceRequest.created`.
    fn open_service_request(
        &self,
        actor: &Principal,
        customer_id: &str,
        new: &CheckedServiceRequest,
        key: Option<&RequestKey>,
        respond: &dyn Fn(&ServiceRequest) -> StoredResponse,
    ) -> StoreResult<Created<ServiceRequest>>;

    /// A page of the partner's audit log, newest first; a `customer_id` that is not one of the
    /// partner's customers is `NotFound`.
    fn audit_records(&self, partner_id: &str, query: &AuditQuery) -> StoreResult<AuditPage>;
    /// The id of the partner's newest event (0 when none): where a fresh listener starts.
    fn latest_event_id(&self, partner_id: &str) -> StoreResult<i64>;
    /// Events of one partner after `after_id`, oldest first, at most `limit`.
    fn events_after(
        &self,
        partner_id: &str,
        after_id: i64,
        limit: u32,
    ) -> StoreResult<Vec<StoredEvent>>;

    /// Resolves an invitation code, whether still open or not (see [`Invitation::state`]); an
    /// unknown (or tampered) code is `NotFound`.
    fn invitation(&self, code: &str) -> StoreResult<Invitation>;
    /// Accepts through an open link: the general link makes the domain a new customer (a domain
    /// that is already the partner's customer changes nothing); a customer-bound link restores
    /// that customer's relationship and admin permissions and is then spent. Every outcome but
    /// `Closed` is audited; changes are recorded as events.
    fn accept_invitation(&self, code: &str, acceptance: &Acceptance) -> StoreResult<AcceptOutcome>;

    /// True when no partner exists yet (demo seeding only goes into an empty database).
    fn is_empty(&self) -> StoreResult<bool>;
    /// Seeds the demo partners: Contoso Partner with `customers` customers, Fabrikam Partner with a few.
    fn seed_demo(&self, customers: u32) -> StoreResult<()>;

    /// Whether the database answers (`/readyz`).
    fn ping(&self) -> StoreResult<()>;
    /// Has `wake` called when another process records events in this database. One process
    /// alone (SQLite) has nothing to watch: its own writes wake its streams directly.
    fn watch_changes(&self, wake: ChangeWaker) {
        let _ = wake;
    }
}

/// An invitation link's code, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub partner_id: String,
    pub partner_name: String,
    pub reseller_id: Option<String>,
    pub reseller_name: Option<String>,
    /// The customer a customer-bound link restores; None for a general link.
    pub customer: Option<BoundCustomer>,
    pub state: LinkState,
}

/// The customer a link was issued for, as the acceptance page names it to the holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundCustomer {
    pub id: String,
    pub company_name: String,
    pub domain: String,
}

/// Whether a link can still be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    Open,
    /// Older than its 90 days.
    Expired,
    /// Replaced by `POST .../relationshiprequests/rotate`.
    Rotated,
    /// A customer-bound link that was already accepted.
    Used,
}

/// What the customer typed on the acceptance page (validated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptance {
    pub company_name: String,
    pub domain: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AcceptOutcome {
    /// A new customer of the partner (general link).
    Created,
    /// The general link with a domain that is already the partner's customer: nothing changed.
    KnownDomain,
    /// The bound customer's ended relationship or removed admin permissions were restored.
    Restored,
    /// The bound customer already had both: nothing to do.
    Unchanged,
    /// The link closed before this acceptance got to it.
    Closed(LinkState),
}
