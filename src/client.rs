//! The typed HTTP client the dashboard uses: one async method per endpoint, returning `api` types.
//!
//! Timeouts on every request, retry with jitter on 5xx/connect errors, 429 honouring `Retry-After`
//! ([`request`], [`retry`]), continuation paging following `links.next` as given ([`paging`]), and
//! the live event stream ([`events`], parsed by [`sse`]).

mod audit;
mod bulk;
mod call;
mod changes;
pub mod error;
mod events;
mod gdap;
pub mod paging;
mod request;
pub mod retry;
pub mod sse;
mod support;
mod users;

pub use audit::AuditQuery;
pub use bulk::ReadPage;
pub use error::ClientError;
pub use events::LiveItem;
pub use gdap::RelationshipFilter;
pub use retry::RetryPolicy;

use std::time::Duration;

use futures::Stream;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue, USER_AGENT};

use crate::api::{
    Agent, Collection, Customer, CustomerFilter, Event, LAST_EVENT_ID_HEADER, Link, Me,
    NewCustomer, PartnerRelationship, RelationshipRequest, SubscribedSku, Subscription,
};
use call::Call;

/// Timeouts and retry behaviour. The defaults suit an interactive dashboard; tests shorten them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientOptions {
    /// Giving up on establishing a TCP/TLS connection.
    pub connect_timeout: Duration,
    /// One request from sending to the whole body read (each retry gets its own).
    pub request_timeout: Duration,
    /// How often the backend sends a heartbeat on an idle event stream. The stream has no overall
    /// deadline; two heartbeats missed in a row (no byte for twice this long) mean the connection
    /// died, even without a FIN, and the client reconnects.
    pub heartbeat: Duration,
    pub retry: RetryPolicy,
    /// The first wait before reconnecting the event stream (doubles on repeated failures).
    pub reconnect_delay: Duration,
    /// The longest wait between reconnects: short, because a dashboard is open in front of
    /// someone (jittered to half of it or more, so dashboards do not come back all at once).
    pub max_reconnect_delay: Duration,
    /// Whether to ask for compressed responses (gzip, zstd).
    pub compression: Compression,
}

/// When the client asks for compressed responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compression {
    /// Except from a backend on this machine (the embedded default): compression pays on a real
    /// network, on loopback it only costs both ends CPU time (measured: the whole list of
    /// 100,000 loads in 1.6 s plain, 2.8 s compressed).
    #[default]
    UnlessLoopback,
    Always,
    Never,
}

impl ClientOptions {
    /// The silence after which the event stream counts as lost: two missed heartbeats.
    pub fn stream_silence_limit(&self) -> Duration {
        self.heartbeat.saturating_mul(2)
    }
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(20),
            heartbeat: Duration::from_secs(15),
            retry: RetryPolicy::default(),
            reconnect_delay: Duration::from_millis(500),
            max_reconnect_delay: Duration::from_secs(3),
            compression: Compression::default(),
        }
    }
}

/// A signed-in connection to one backend. Cheap to clone (shares the connection pool).
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    /// For the event stream: same headers, no overall timeout (the stream is meant to stay open).
    stream_http: reqwest::Client,
    /// For the bulk read: no total timeout, a silence limit of `request_timeout`.
    bulk_http: reqwest::Client,
    base_url: String,
    options: ClientOptions,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token lives only inside the (sensitive) default header: keep it out of logs.
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("options", &self.options)
            .finish()
    }
}

impl Client {
    /// `base_url` is the backend root (`http://127.0.0.1:8080`); `/v1` is added by the client.
    pub fn new(base_url: &str, token: &str) -> Result<Self, ClientError> {
        Self::with_options(base_url, token, ClientOptions::default())
    }

    pub fn with_options(
        base_url: &str,
        token: &str,
        options: ClientOptions,
    ) -> Result<Self, ClientError> {
        // reqwest is built without a default TLS provider; installing ring a second time is a no-op
        // error we can ignore.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let base_url = validate_base_url(base_url)?;
        let mut auth =
            HeaderValue::from_str(&format!("Bearer {}", token.trim())).map_err(|_| {
                ClientError::Unauthorized {
                    description: "the token contains characters that cannot be sent in a header"
                        .into(),
                }
            })?;
        auth.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, auth);
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(
            USER_AGENT,
            HeaderValue::from_static(concat!("cspdash/", env!("CARGO_PKG_VERSION"))),
        );
        let compress = match options.compression {
            Compression::UnlessLoopback => !is_loopback(&base_url),
            Compression::Always => true,
            Compression::Never => false,
        };
        let build = |builder: reqwest::ClientBuilder| {
            builder
                .gzip(compress)
                .zstd(compress)
                .default_headers(headers.clone())
                .connect_timeout(options.connect_timeout)
                // Below cspdash serve's 5 s idle timeout: never reuse a connection the server
                // may be closing at that moment.
                .pool_idle_timeout(std::time::Duration::from_secs(4))
                .build()
                .map_err(|e| ClientError::BadUrl {
                    url: base_url.clone(),
                    reason: format!("cannot set up HTTP: {e}"),
                })
        };
        let http = build(reqwest::Client::builder().timeout(options.request_timeout))?;
        // Silence on the stream is timed by `events` itself (it counts missed heartbeats).
        let stream_http = build(reqwest::Client::builder())?;
        // A bulk read may take long in all, but never goes silent for as long as a request may
        // take: past that it is stalled.
        let bulk_http = build(reqwest::Client::builder().read_timeout(options.request_timeout))?;
        Ok(Self {
            http,
            stream_http,
            bulk_http,
            base_url,
            options,
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    pub async fn me(&self) -> Result<Me, ClientError> {
        self.call(Call::get(self.url(&["me"])?)).await
    }

    pub async fn agents(&self) -> Result<Vec<Agent>, ClientError> {
        self.all_items(self.url(&["agents"])?).await
    }

    /// One page of customers: the first (when `next` is None) or the one `next` points to.
    /// `size` and `filter` shape the first page only; `next` already carries them.
    pub async fn customers_page(
        &self,
        next: Option<&Link>,
        size: u32,
        filter: Option<&CustomerFilter>,
    ) -> Result<Collection<Customer>, ClientError> {
        self.customers_page_read_at(next, size, filter)
            .await
            .map(|(page, _)| page)
    }

    /// [`Client::customers_page`], with the latest event id as the backend read the first page
    /// (`CSPDash-Last-Event-Id`; `None` on later pages or from a backend that does not send it).
    /// Events from there on complete the list.
    pub async fn customers_page_read_at(
        &self,
        next: Option<&Link>,
        size: u32,
        filter: Option<&CustomerFilter>,
    ) -> Result<(Collection<Customer>, Option<i64>), ClientError> {
        let call = match next {
            None => Call::get(paging::first_page_url(&self.base_url, size, filter)?),
            Some(link) => Call::follow(&self.base_url, link)?,
        };
        let (page, headers) = self.call_with_headers(call).await?;
        let read_at = headers
            .get(LAST_EVENT_ID_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok());
        Ok((page, read_at))
    }

    /// Every page in order, through one streamed bulk read when the backend offers it and
    /// following `links.next` page by page when it does not ([`bulk`]). After an error (already
    /// retried) the stream yields it and ends.
    pub fn customer_pages(
        &self,
        size: u32,
        filter: Option<CustomerFilter>,
    ) -> impl Stream<Item = Result<Collection<Customer>, ClientError>> + Send + 'static {
        use futures::StreamExt;
        self.customer_pages_from(size, filter, None)
            .map(|read| read.map(|(page, _)| page))
    }

    /// [`Client::customer_pages`] from the page `from` links to (None: the first page), each with
    /// the latest event id as the backend read the first page (on that page only, as
    /// [`Client::customers_page_read_at`]). A consumer that keeps the last page's `links.next`
    /// can resume there after an error.
    pub fn customer_pages_from(
        &self,
        size: u32,
        filter: Option<CustomerFilter>,
        from: Option<Link>,
    ) -> impl Stream<Item = Result<ReadPage, ClientError>> + Send + 'static {
        bulk::pages(self.clone(), size, filter, from)
    }

    pub async fn customer(&self, id: &str) -> Result<Customer, ClientError> {
        self.call(Call::get(self.url(&["customers", id])?)).await
    }

    /// `MS-RequestId` makes the POST idempotent: a retry with the same id creates nothing new.
    pub async fn create_customer(
        &self,
        new: &NewCustomer,
        request_id: &str,
    ) -> Result<Customer, ClientError> {
        let url = self.url(&["customers"])?;
        self.call(Call::post(url, new, request_id)?).await
    }

    pub async fn subscriptions(&self, customer_id: &str) -> Result<Vec<Subscription>, ClientError> {
        self.all_items(self.url(&["customers", customer_id, "subscriptions"])?)
            .await
    }

    pub async fn subscribed_skus(
        &self,
        customer_id: &str,
    ) -> Result<Vec<SubscribedSku>, ClientError> {
        self.all_items(self.url(&["customers", customer_id, "subscribedskus"])?)
            .await
    }

    pub async fn relationship_request(
        &self,
        indirect_reseller_id: Option<&str>,
    ) -> Result<RelationshipRequest, ClientError> {
        let mut url = self.url(&["customers", "relationshiprequests"])?;
        if let Some(id) = indirect_reseller_id {
            url.query_pairs_mut().append_pair("indirectResellerId", id);
        }
        self.call(Call::get(url)).await
    }

    /// A link bound to one existing customer: accepting it restores that customer's relationship
    /// and admin permissions (the general link only creates new customers).
    pub async fn customer_relationship_request(
        &self,
        customer_id: &str,
    ) -> Result<RelationshipRequest, ClientError> {
        let mut url = self.url(&["customers", "relationshiprequests"])?;
        url.query_pairs_mut().append_pair("customerId", customer_id);
        self.call(Call::get(url)).await
    }

    /// Replaces the general invitation link; the old one stops working.
    pub async fn rotate_relationship_request(&self) -> Result<RelationshipRequest, ClientError> {
        self.rotate_relationship_request_keyed(&uuid::Uuid::new_v4().to_string())
            .await
    }

    /// [`Client::rotate_relationship_request`] with the caller's `MS-RequestId` (a script's
    /// `--request-id`).
    pub async fn rotate_relationship_request_keyed(
        &self,
        request_id: &str,
    ) -> Result<RelationshipRequest, ClientError> {
        let url = self.url(&["customers", "relationshiprequests", "rotate"])?;
        self.call(Call::post(url, &serde_json::json!({}), request_id)?)
            .await
    }

    pub async fn indirect_resellers(&self) -> Result<Vec<PartnerRelationship>, ClientError> {
        let mut url = self.url(&["relationships"])?;
        url.query_pairs_mut()
            .append_pair("relationship_type", "IsIndirectCloudSolutionProviderOf");
        self.all_items(url).await
    }

    /// Live changes (SSE), resuming after `last_event_id`; reconnects by itself with backoff.
    /// Connection trouble is yielded as an error (so the UI can say so) and the stream goes on;
    /// it ends only after an error retrying cannot fix (401, 403, 404).
    pub fn events(
        &self,
        last_event_id: Option<i64>,
    ) -> impl Stream<Item = Result<Event, ClientError>> + Send + 'static {
        use futures::StreamExt;
        self.follow_events(last_event_id)
            .filter_map(|item| std::future::ready(item.into_result()))
    }

    /// [`Client::events`] with the state of the connection in between: [`LiveItem::Connected`]
    /// after every (re)connect, [`LiveItem::Lost`] with the wait before the next attempt.
    pub fn follow_events(
        &self,
        last_event_id: Option<i64>,
    ) -> impl Stream<Item = LiveItem> + Send + 'static {
        events::stream(self.clone(), last_event_id.map(|id| id.to_string()))
    }

    /// `<root>/v1/<segments>`, each segment percent-encoded (ids come from the backend).
    fn url(&self, segments: &[&str]) -> Result<reqwest::Url, ClientError> {
        let bad = |reason: &str| ClientError::BadUrl {
            url: self.base_url.clone(),
            reason: reason.to_string(),
        };
        let mut url = reqwest::Url::parse(&self.base_url).map_err(|e| bad(&e.to_string()))?;
        url.path_segments_mut()
            .map_err(|()| bad("cannot be a base URL"))?
            .pop_if_empty()
            .push("v1")
            .extend(segments);
        Ok(url)
    }
}

/// Whether `base_url` names this machine (127.0.0.0/8, ::1, localhost), as the embedded backend does.
pub fn is_loopback(base_url: &str) -> bool {
    let Some(host) = reqwest::Url::parse(base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
    else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// Accepts `http(s)://host[:port][/prefix]`; returns it without a trailing `/`.
pub fn validate_base_url(base_url: &str) -> Result<String, ClientError> {
    let trimmed = base_url.trim().trim_end_matches('/');
    let bad = |reason: String| ClientError::BadUrl {
        url: base_url.to_string(),
        reason,
    };
    let url = reqwest::Url::parse(trimmed).map_err(|e| bad(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad(format!(
            "scheme {}: is not supported, use http:// or https://",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("no host".into()));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("a backend URL has no ?query or #fragment".into()));
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod foreign_json;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_urls_must_be_http_or_https() {
        assert_eq!(
            validate_base_url("https://cspdash.example.net/")
                .ok()
                .as_deref(),
            Some("https://cspdash.example.net")
        );
        let err = validate_base_url("ftp://example.net").expect_err("refused");
        assert!(err.to_string().contains("use http:// or https://"), "{err}");
        assert!(validate_base_url("example.net").is_err());
        assert!(validate_base_url("http://h/?a=1").is_err());
    }

    #[test]
    fn ids_are_encoded_into_a_single_path_segment() {
        let client = Client::new("http://127.0.0.1:1/prefix/", "t").expect("client");
        let url = client.url(&["customers", "a/b?c"]).expect("url");
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:1/prefix/v1/customers/a%2Fb%3Fc"
        );
    }

    #[test]
    fn only_this_machine_counts_as_loopback() {
        assert!(is_loopback("http://127.0.0.1:8080"));
        assert!(is_loopback("http://127.3.2.1"));
        assert!(is_loopback("http://[::1]:9"));
        assert!(is_loopback("http://LOCALHOST:9"));
        assert!(!is_loopback("https://cspdash.example.net"));
        assert!(!is_loopback("http://10.0.0.1"));
        assert!(!is_loopback("http://localhost.example.net"));
    }

    #[test]
    fn debug_output_never_shows_the_token() {
        let client = Client::new("http://127.0.0.1:1", "s3cret-token").expect("client");
        assert!(!format!("{client:?}").contains("s3cret"));
    }
}
