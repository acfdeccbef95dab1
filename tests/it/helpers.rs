//! Test fixtures: a real server on a random loopback port over a temporary SQLite file (or a fresh
//! PostgreSQL database, in a [`contract!`] test's `postgres` half), with tokens for every role of
//! both demo partners.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Once};

use cspdash::api::{Address, BillingProfile, NewCompanyProfile, NewCustomer, Role};
use cspdash::server::clock::ManualClock;
use cspdash::server::store::postgres::scratch;
use cspdash::server::store::{Database, Store};
use cspdash::server::{AppState, ServerLimits, auth, open_database, spawn};
use reqwest::{Method, RequestBuilder, Response};
use serde_json::Value;
use tempfile::TempDir;
use tokio::sync::oneshot;

pub const CONTOSO: &str = "Contoso Partner";
pub const FABRIKAM: &str = "Fabrikam Partner";

/// Which store a test's servers run on (set by [`contract!`]; SQLite elsewhere).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreKind {
    Sqlite,
    /// A server on which each test server gets a fresh database (its admin URL).
    Postgres(String),
}

tokio::task_local! {
    static STORE_KIND: StoreKind;
}

/// Runs `test` with its servers on `kind`.
pub async fn on_store<F: std::future::Future<Output = ()>>(kind: StoreKind, test: F) {
    STORE_KIND.scope(kind, test).await;
}

/// The store this test's servers run on.
pub fn store_kind() -> StoreKind {
    STORE_KIND
        .try_with(Clone::clone)
        .unwrap_or(StoreKind::Sqlite)
}

/// The PostgreSQL server to run the `postgres` half of contract tests on; None (after one line
/// saying why) when none is configured, a failure instead in CI.
pub fn postgres_store() -> Option<StoreKind> {
    if let Some(url) = scratch::server_url() {
        return Some(StoreKind::Postgres(url));
    }
    let env = |name: &str| std::env::var(name).ok();
    let test = std::thread::current().name().unwrap_or("test").to_string();
    let line = scratch::missing_line();
    if crate::tools::required(&env) {
        panic!("FAILED {test}: {line}; tests may not skip when CI=true");
    }
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {line}");
    None
}

/// One test, run on both stores: `contract! { async fn name() { .. } ... }` makes `name::sqlite`
/// and `name::postgres` (`cargo test postgres` runs the PostgreSQL half). The body is the same;
/// `spawn_server*` pick the store. Attributes before `async fn` go to both halves.
macro_rules! contract {
    ($($(#[$meta:meta])* async fn $name:ident() $body:block)*) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                crate::helpers::on_store(crate::helpers::StoreKind::Sqlite, async move $body).await
            }

            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(kind) = crate::helpers::postgres_store() {
                    crate::helpers::on_store(kind, async move $body).await
                }
            }
        }
    )*};
}
pub(crate) use contract;

pub struct TestServer {
    /// The database the server runs on.
    pub db: Database,
    pub url: String,
    pub http: reqwest::Client,
    /// (partner name, role) → bearer token
    pub tokens: HashMap<(&'static str, Role), String>,
    pub dir: TempDir,
    /// The server's state, for tests that look inside (limiter sizes, open streams).
    pub state: AppState,
    /// The server's clock for admin relationships: `advance_days` moves it ahead.
    pub clock: Arc<ManualClock>,
    _stop: oneshot::Sender<()>,
}

pub fn install_crypto() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

pub async fn spawn_server(customers: u32) -> TestServer {
    spawn_server_with(customers, 100).await
}

pub async fn spawn_server_with(customers: u32, rate_limit: u32) -> TestServer {
    spawn_server_with_limits(
        customers,
        ServerLimits {
            rate_limit_per_sec: rate_limit,
            ..ServerLimits::default()
        },
    )
    .await
}

pub async fn spawn_server_with_limits(customers: u32, limits: ServerLimits) -> TestServer {
    install_crypto();
    let dir = tempfile::tempdir().unwrap();
    let db = match store_kind() {
        StoreKind::Sqlite => Database::Sqlite(dir.path().join("test.db")),
        StoreKind::Postgres(admin) => Database::Postgres(scratch::create_database(&admin).unwrap()),
    };
    let opened = db.clone();
    let (store, tokens) = tokio::task::spawn_blocking(move || {
        let store = open_database(&opened, Some(customers)).unwrap();
        let mut tokens = HashMap::new();
        for partner in [CONTOSO, FABRIKAM] {
            for role in Role::ALL {
                let token = auth::new_token();
                store
                    .create_token(&auth::token_hash(&token), Some(partner), role, None)
                    .unwrap();
                tokens.insert((partner, role), token);
            }
        }
        (store, tokens)
    })
    .await
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let clock = Arc::new(ManualClock::new());
    let state = AppState::with_limits(store, &url, limits).with_clock(clock.clone());
    let (stop, stopped) = oneshot::channel::<()>();
    spawn(listener, state.clone(), async {
        let _ = stopped.await;
    })
    .unwrap();
    TestServer {
        db,
        url,
        http: reqwest::Client::new(),
        tokens,
        dir,
        state,
        clock,
        _stop: stop,
    }
}

/// SQL that takes the demo's admin relationships (GDAP) away again: for tests that build their
/// own from nothing and count what they made.
pub const WITHOUT_ADMIN_RELATIONSHIPS: &str = "DELETE FROM admin_access_assignments; \
    DELETE FROM admin_relationships; \
    UPDATE customers SET admin_status = 'none', admin_end_at = NULL, admin_requested_at = NULL;";

/// [`spawn_server`], with the demo partners' admin relationships removed.
pub async fn spawn_server_without_admin_relationships(customers: u32) -> TestServer {
    let server = spawn_server(customers).await;
    server.sql(WITHOUT_ADMIN_RELATIONSHIPS).await;
    server
}

impl TestServer {
    pub fn token(&self, partner: &'static str, role: Role) -> &str {
        &self.tokens[&(partner, role)]
    }

    /// A request as the given partner's agent with the given role.
    pub fn request(
        &self,
        partner: &'static str,
        role: Role,
        method: Method,
        path: &str,
    ) -> RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(self.token(partner, role))
    }

    pub fn get(&self, path: &str) -> RequestBuilder {
        self.request(CONTOSO, Role::AdminAgent, Method::GET, path)
    }

    /// GET as a Contoso admin agent; the status and the JSON body.
    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        json(self.get(path).send().await.unwrap()).await
    }

    /// POST /v1/customers as a Contoso admin agent; the status and the JSON body.
    pub async fn post_customer(&self, body: &Value) -> (u16, Value) {
        let request = self.request(CONTOSO, Role::AdminAgent, Method::POST, "/v1/customers");
        json(request.json(body).send().await.unwrap()).await
    }

    /// The server's store, for tests that look inside or set things up below the API.
    pub fn store(&self) -> Arc<dyn Store> {
        self.state.shared_store()
    }

    /// A second store on the same database, as another process (a replica) would open it.
    pub fn open_again(&self) -> Arc<dyn Store> {
        match &self.db {
            Database::Sqlite(path) => {
                Arc::new(cspdash::server::store::SqliteStore::open(path).unwrap())
            }
            Database::Postgres(url) => {
                Arc::new(cspdash::server::store::PgStore::open(url).unwrap())
            }
        }
    }

    /// Runs SQL statements (`;`-separated) in one transaction on the server's database, whichever
    /// store it is: for tests that set up what the API cannot (SQL both stores accept).
    pub async fn sql(&self, batch: &str) {
        match &self.db {
            Database::Sqlite(path) => {
                let conn = rusqlite::Connection::open(path).unwrap();
                // The server's own start-up sweep may hold the write lock for a moment.
                conn.busy_timeout(std::time::Duration::from_secs(5))
                    .unwrap();
                conn.execute_batch(&format!("BEGIN IMMEDIATE; {batch}; COMMIT;"))
                    .unwrap();
            }
            Database::Postgres(url) => {
                let client = postgres_client(url).await;
                client
                    .batch_execute(&format!("BEGIN; {batch}; COMMIT;"))
                    .await
                    .unwrap();
            }
        }
    }

    /// The one integer `query` returns (a count, say), on either store.
    pub async fn scalar_i64(&self, query: &str) -> i64 {
        match &self.db {
            Database::Sqlite(path) => {
                let conn = rusqlite::Connection::open(path).unwrap();
                conn.query_row(query, [], |r| r.get(0)).unwrap()
            }
            Database::Postgres(url) => {
                let client = postgres_client(url).await;
                let row = client.query_one(query, &[]).await.unwrap();
                // count(*) is BIGINT; a plain integer column may be either width.
                row.try_get::<_, i64>(0)
                    .or_else(|_| row.try_get::<_, i32>(0).map(i64::from))
                    .unwrap()
            }
        }
    }
}

/// A connection to a test database (its driver runs on the test's runtime).
pub async fn postgres_client(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
}

pub async fn json(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, body)
}

/// `/v1/customers` with a `starts_with` filter on `field`, URL-encoded.
pub fn filter_path(field: &str, value: &str, size: u32) -> String {
    let json = serde_json::json!({"Field": field, "Value": value, "Operator": "starts_with"});
    format!(
        "/v1/customers?size={size}&filter={}",
        percent_encoding::utf8_percent_encode(
            &json.to_string(),
            percent_encoding::NON_ALPHANUMERIC
        )
    )
}

/// A valid new customer for the typed client, named `name`, at `domain`.
pub fn typed_customer(domain: &str, name: &str) -> NewCustomer {
    NewCustomer {
        company_profile: NewCompanyProfile {
            domain: domain.into(),
        },
        billing_profile: BillingProfile {
            email: format!("it@{domain}"),
            company_name: name.into(),
            default_address: Address {
                country: "DE".into(),
                city: "Köln".into(),
                address_line1: "Domkloster 4".into(),
                postal_code: "50667".into(),
                ..Address::default()
            },
            ..BillingProfile::default()
        },
        ..NewCustomer::default()
    }
}

/// A valid POST /v1/customers body.
pub fn new_customer(name: &str, domain: &str) -> Value {
    serde_json::json!({
        "companyProfile": {"domain": domain},
        "billingProfile": {
            "firstName": "Ana", "lastName": "Silva", "email": format!("ana@{domain}"),
            "culture": "en-US", "language": "en", "companyName": name,
            "defaultAddress": {"country": "US", "city": "Redmond", "addressLine1": "1 Main St", "postalCode": "98052"}
        }
    })
}

/// Resolves `links.next.uri` the way DESIGN.md §3 says a client must: absolute, rooted at /v1/,
/// or relative to /v1.
pub fn next_url(base: &str, uri: &str) -> String {
    if uri.starts_with("http://") || uri.starts_with("https://") {
        uri.to_string()
    } else if uri.starts_with("/v1/") {
        format!("{base}{uri}")
    } else {
        format!("{base}/v1{uri}")
    }
}

/// Walks every page of a listing, returning the items in order and the number of pages.
pub async fn walk(server: &TestServer, partner: &'static str, first: &str) -> (Vec<Value>, usize) {
    let mut items = Vec::new();
    let mut pages = 0;
    let mut request = server.request(partner, Role::SalesAgent, Method::GET, first);
    loop {
        let (status, body) = json(request.send().await.unwrap()).await;
        assert_eq!(status, 200, "{body}");
        pages += 1;
        items.extend(body["items"].as_array().unwrap().iter().cloned());
        let Some(next) = body["links"].get("next") else {
            break;
        };
        let url = next_url(&server.url, next["uri"].as_str().unwrap());
        request = server
            .http
            .get(url)
            .bearer_auth(server.token(partner, Role::SalesAgent));
        for header in next["headers"].as_array().unwrap() {
            request = request.header(
                header["key"].as_str().unwrap(),
                header["value"].as_str().unwrap(),
            );
        }
    }
    (items, pages)
}
