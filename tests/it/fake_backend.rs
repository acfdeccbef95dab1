//! Tiny axum backends on 127.0.0.1:0 that misbehave on purpose, and a client tuned to test them
//! without long waits.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use cspdash::client::{Client, ClientOptions, Compression, RetryPolicy};
use serde_json::{Value, json};

/// Serves `router` on a random loopback port until the test's runtime ends; returns its root URL.
pub async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

/// The default policy's shape with short waits, so retries take milliseconds.
pub fn quick_options() -> ClientOptions {
    ClientOptions {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(5),
        heartbeat: Duration::from_millis(2500),
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(40),
            budget: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(2),
        },
        reconnect_delay: Duration::from_millis(10),
        max_reconnect_delay: Duration::from_millis(50),
        // Loopback would turn it off; the tests check the path a remote backend takes.
        compression: Compression::Always,
    }
}

pub fn client(url: &str) -> Client {
    Client::with_options(url, "test-token", quick_options()).expect("client")
}

/// Counts the requests a handler saw.
#[derive(Clone, Default)]
pub struct Hits(Arc<AtomicUsize>);

impl Hits {
    /// Records one request; returns how many came before it.
    pub fn record(&self) -> usize {
        self.0.fetch_add(1, Ordering::SeqCst)
    }
    pub fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

pub fn customer(id: &str, name: &str) -> Value {
    json!({
        "id": id,
        "companyProfile": {"tenantId": id, "domain": format!("{id}.onmicrosoft.com"), "companyName": name},
        "relationshipToPartner": "reseller",
        "attributes": {"objectType": "Customer"}
    })
}

pub fn me() -> Value {
    json!({
        "partnerId": "p1", "partnerName": "Contoso Partner", "cloud": "Partner Center",
        "agentId": "a1", "agent": "Alex", "role": "global-admin", "can": ["customers.read"]
    })
}

pub fn error_body(code: u16, description: &str) -> Value {
    json!({"code": code, "description": description, "errorName": "x", "source": "cspdash"})
}
