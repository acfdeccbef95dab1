//! Several `cspdash serve` processes on one PostgreSQL database behave as one backend (issue 11):
//! live events reach a dashboard on the other replica within 5 s, `Last-Event-ID` resumes
//! anywhere, `MS-RequestId`, ETags, continuation and CSRF tokens hold across replicas, `--demo`
//! seeds once, the GDAP lifecycle runs once, and a killed replica, a stopped database or a dropped
//! connection is survived. PostgreSQL only: each test skips (with one line) without
//! `CSPDASH_TEST_POSTGRES`, and fails instead under `CI=true`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli;
mod cluster;
mod events;
mod faults;
mod start;
mod writes;

use std::time::{Duration, Instant};

use cspdash::server::store::Database;
use cspdash::server::store::postgres::scratch;
use reqwest::Method;
use serde_json::Value;

use crate::helpers::{StoreKind, json, new_customer, postgres_store};
use crate::served::{Served, create_token, serve_command, spawn_served};

/// How soon a change on one replica must be on the other's event streams (the promise).
pub const LIVE: Duration = Duration::from_secs(5);

/// The URL of a new empty database on the test server; None (after the skip line) without one.
pub fn fresh_database() -> Option<String> {
    let Some(StoreKind::Postgres(admin)) = postgres_store() else {
        return None;
    };
    Some(scratch::create_database(&admin).unwrap())
}

/// One `cspdash serve` process and a client for it.
pub struct Replica {
    pub served: Served,
    pub http: reqwest::Client,
}

impl Replica {
    /// `cspdash serve --db url [--demo N] extra…`, waiting (on the blocking pool) until it listens.
    pub async fn start(url: &str, demo: Option<u32>, extra: &[&str]) -> Replica {
        Replica::start_logging(url, demo, extra, "warn").await
    }

    /// [`Replica::start`] with `RUST_LOG=filter`.
    pub async fn start_logging(
        url: &str,
        demo: Option<u32>,
        extra: &[&str],
        filter: &str,
    ) -> Replica {
        crate::helpers::install_crypto();
        let db = Database::Postgres(url.to_string());
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        let filter = filter.to_string();
        let served = tokio::task::spawn_blocking(move || {
            let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
            let mut cmd = serve_command(&db, demo, &extra);
            cmd.env("RUST_LOG", filter).env("NO_COLOR", "1");
            spawn_served(cmd, &db, tempfile::tempdir().unwrap())
        })
        .await
        .unwrap();
        Replica {
            served,
            http: http_client(),
        }
    }

    pub fn url(&self) -> &str {
        &self.served.url
    }

    /// `method path` with bearer `token`.
    pub fn request(&self, token: &str, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.url()))
            .bearer_auth(token)
    }

    /// GET `path`: status and JSON body.
    pub async fn get_json(&self, token: &str, path: &str) -> (u16, Value) {
        json(self.request(token, Method::GET, path).send().await.unwrap()).await
    }

    /// POST /v1/customers (with `MS-RequestId` if given): status and JSON body.
    pub async fn post_customer(
        &self,
        token: &str,
        body: &Value,
        request_id: Option<&str>,
    ) -> (u16, Value) {
        let mut request = self
            .request(token, Method::POST, "/v1/customers")
            .json(body);
        if let Some(id) = request_id {
            request = request.header("MS-RequestId", id);
        }
        json(request.send().await.unwrap()).await
    }

    /// Opens `/v1/events` (resuming after `last` if given); fails unless the stream opened.
    pub async fn events(&self, token: &str, last: Option<i64>) -> Events {
        let mut request = self.request(token, Method::GET, "/v1/events");
        if let Some(id) = last {
            request = request.header("Last-Event-ID", id.to_string());
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200, "the event stream opens");
        Events {
            response,
            buffer: String::new(),
        }
    }
}

/// A client with a timeout, so a hanging replica fails the test instead of stalling it.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// Two replicas on one fresh database (the first seeds `--demo customers`), and tokens made with
/// `cspdash token create` on that database.
pub struct Pair {
    pub url: String,
    pub a: Replica,
    pub b: Replica,
    /// Contoso admin agent.
    pub admin: String,
    /// Contoso helpdesk agent (for event streams).
    pub helpdesk: String,
}

impl Pair {
    /// None (skipped) without a PostgreSQL server to test on.
    pub async fn start(customers: u32) -> Option<Pair> {
        let url = fresh_database()?;
        Some(Pair::on(&url, customers).await)
    }

    pub async fn on(url: &str, customers: u32) -> Pair {
        let a = Replica::start(url, Some(customers), &[]).await;
        // The second finds the database seeded: its --demo does nothing (checked in `start`).
        let b = Replica::start(url, Some(customers), &[]).await;
        let admin = token(url, "admin-agent", &[]).await;
        let helpdesk = token(url, "helpdesk-agent", &[]).await;
        Pair {
            url: url.to_string(),
            a,
            b,
            admin,
            helpdesk,
        }
    }

    /// The number `query` returns on the shared database.
    pub async fn scalar(&self, query: &str) -> i64 {
        scalar(&self.url, query).await
    }
}

/// `cspdash token create --db url --role role extra…`, off the async threads.
pub async fn token(url: &str, role: &str, extra: &[&str]) -> String {
    let (url, role) = (url.to_string(), role.to_string());
    let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        create_token(&url, &role, &extra)
    })
    .await
    .unwrap()
}

/// The one integer `query` returns on the database at `url`.
pub async fn scalar(url: &str, query: &str) -> i64 {
    let client = crate::helpers::postgres_client(url).await;
    let row = client.query_one(query, &[]).await.unwrap();
    row.try_get::<_, i64>(0)
        .or_else(|_| row.try_get::<_, i32>(0).map(i64::from))
        .unwrap()
}

/// A new customer named `name` at a domain of its own.
pub fn customer(name: &str) -> Value {
    let stem: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    new_customer(name, &format!("{stem}.onmicrosoft.com"))
}

/// An open `/v1/events` stream, read event by event.
pub struct Events {
    response: reqwest::Response,
    buffer: String,
}

impl Events {
    /// The next event, if one comes within `wait` (heartbeats are skipped).
    pub async fn next_within(&mut self, wait: Duration) -> Option<Value> {
        tokio::time::timeout(wait, async {
            loop {
                while let Some(end) = self.buffer.find("\n\n") {
                    let block: String = self.buffer.drain(..end + 2).collect();
                    if let Some(data) = block.lines().find_map(|l| l.strip_prefix("data:")) {
                        return Some(serde_json::from_str(data.trim()).unwrap());
                    }
                }
                match self.response.chunk().await {
                    Ok(Some(chunk)) => self.buffer.push_str(&String::from_utf8_lossy(&chunk)),
                    _ => return None,
                }
            }
        })
        .await
        .ok()
        .flatten()
    }

    /// Skips events until `wanted` accepts one, at most until `limit` after `since`: that event
    /// and how long after `since` it came.
    pub async fn wait_for(
        &mut self,
        since: Instant,
        limit: Duration,
        wanted: impl Fn(&Value) -> bool,
    ) -> Option<(Value, Duration)> {
        loop {
            let left = limit.checked_sub(since.elapsed())?;
            let event = self.next_within(left).await?;
            if wanted(&event) {
                return Some((event, since.elapsed()));
            }
        }
    }
}

/// The company name an event's customer has.
pub fn company(event: &Value) -> &str {
    event["customer"]["companyProfile"]["companyName"]
        .as_str()
        .unwrap_or("")
}

/// Opens the form page at `url`: its HTML and CSRF cookie (`name=value`).
pub async fn form_page(http: &reqwest::Client, url: &str) -> (String, String) {
    let response = http.get(url).send().await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    let cookie = response
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .expect("the page sets its CSRF cookie");
    (response.text().await.unwrap(), cookie)
}

/// Sends the acceptance form of the invitation page at `page` (opened on whichever replica) to
/// `post_base` + its path, with the page's CSRF token: status and page.
pub async fn accept_invitation(
    http: &reqwest::Client,
    page: &str,
    post_to: &str,
    company: &str,
    domain: &str,
) -> (u16, String) {
    let (html, cookie) = form_page(http, page).await;
    let response = http
        .post(format!("{post_to}/accept"))
        .header("cookie", cookie)
        .form(&[
            ("companyName", company),
            ("domain", domain),
            ("email", "it@example.com"),
            ("csrf", &crate::invite::hidden_csrf(&html)),
        ])
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Approves on the approval page at `page`, sending the answer to `post_to` (the same page's
/// path on another replica, perhaps): status and page.
pub async fn approve(http: &reqwest::Client, page: &str, post_to: &str) -> (u16, String) {
    let (html, cookie) = form_page(http, page).await;
    let response = http
        .post(format!("{post_to}/approve"))
        .header("cookie", cookie)
        .form(&[("csrf", &crate::invite::hidden_csrf(&html))])
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// `url` (on `from`'s base) as the same path on `to`.
pub fn moved(url: &str, from: &Replica, to: &Replica) -> String {
    let path = url
        .strip_prefix(from.url())
        .unwrap_or_else(|| panic!("{url} is not on {}", from.url()));
    format!("{}{path}", to.url())
}
