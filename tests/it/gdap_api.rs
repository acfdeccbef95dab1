//! Admin relationships (GDAP) over the real HTTP API: every transition and rule × role ×
//! partner (DESIGN.md §3, issue §6), paging and filters, idempotent POSTs, `If-Match`, and the
//! events and audit records each change leaves.
#![allow(clippy::unwrap_used)]

mod assignments;
mod client;
mod listing;
mod requests;
mod rules;

use cspdash::api::Role;
use cspdash::api::gdap::roles;
use cspdash::server::store::Database;
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

use crate::helpers::*;

pub const BASE: &str = "/v1/tenantRelationships/delegatedAdminRelationships";
/// A least-privilege set: what most tests request.
pub const HELPDESK: &[&str] = &[roles::DIRECTORY_READERS, roles::HELPDESK_ADMINISTRATOR];

/// A customer as the tests name it.
#[derive(Debug, Clone)]
pub struct Cust {
    pub id: String,
    pub tenant: String,
    pub name: String,
}

/// The partner's first `n` customers (by name).
pub async fn customers(server: &TestServer, partner: &'static str, n: u32) -> Vec<Cust> {
    let path = format!("/v1/customers?size={n}");
    let (status, page) = send(
        server,
        partner,
        Role::GlobalAdmin,
        Method::GET,
        &path,
        None,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{page}");
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| Cust {
            id: c["id"].as_str().unwrap().to_string(),
            tenant: c["companyProfile"]["tenantId"]
                .as_str()
                .unwrap()
                .to_string(),
            name: c["companyProfile"]["companyName"]
                .as_str()
                .unwrap()
                .to_string(),
        })
        .collect()
}

/// A POST body for a new relationship.
pub fn new_body(
    name: &str,
    tenant: &str,
    role_ids: &[&str],
    days: u32,
    auto_extend: bool,
) -> Value {
    json!({
        "displayName": name,
        "duration": format!("P{days}D"),
        "autoExtendDuration": if auto_extend { "P180D" } else { "PT0S" },
        "customer": {"tenantId": tenant},
        "accessDetails": {"unifiedRoles": role_ids.iter().map(|id| json!({"roleDefinitionId": id})).collect::<Vec<_>>()},
    })
}

/// One request as `partner`'s `role`, with `body` as JSON and extra `headers`: the status and
/// the JSON body.
pub async fn send(
    server: &TestServer,
    partner: &'static str,
    role: Role,
    method: Method,
    path: &str,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> (u16, Value) {
    let (status, body, _) = send_full(server, partner, role, method, path, body, headers).await;
    (status, body)
}

/// As [`send`], with the response's headers.
pub async fn send_full(
    server: &TestServer,
    partner: &'static str,
    role: Role,
    method: Method,
    path: &str,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> (u16, Value, HeaderMap) {
    let mut request = server.request(partner, role, method, path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    let headers = response.headers().clone();
    let (status, body) = json(response).await;
    (status, body, headers)
}

/// Creates a relationship as Contoso's Admin agent (asserting 201): the body.
pub async fn create(server: &TestServer, tenant: &str, name: &str, role_ids: &[&str]) -> Value {
    create_for(server, CONTOSO, tenant, name, role_ids).await
}

pub async fn create_for(
    server: &TestServer,
    partner: &'static str,
    tenant: &str,
    name: &str,
    role_ids: &[&str],
) -> Value {
    let body = new_body(name, tenant, role_ids, 730, false);
    let id = uuid::Uuid::new_v4().to_string();
    let (status, made) = send(
        server,
        partner,
        Role::AdminAgent,
        Method::POST,
        BASE,
        Some(&body),
        &[("MS-RequestId", &id)],
    )
    .await;
    assert_eq!(status, 201, "{made}");
    made
}

/// The relationship as `partner`'s Sales agent reads it (asserting 200).
pub async fn read(server: &TestServer, partner: &'static str, id: &str) -> Value {
    let path = format!("{BASE}/{id}");
    let (status, body) = send(
        server,
        partner,
        Role::SalesAgent,
        Method::GET,
        &path,
        None,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// `POST .../requests {"action": action}` as `role` of Contoso: the status and body.
pub async fn act(server: &TestServer, role: Role, id: &str, action: &str) -> (u16, Value) {
    act_for(server, CONTOSO, role, id, action).await
}

pub async fn act_for(
    server: &TestServer,
    partner: &'static str,
    role: Role,
    id: &str,
    action: &str,
) -> (u16, Value) {
    let path = format!("{BASE}/{id}/requests");
    let key = uuid::Uuid::new_v4().to_string();
    send(
        server,
        partner,
        role,
        Method::POST,
        &path,
        Some(&json!({"action": action})),
        &[("MS-RequestId", &key)],
    )
    .await
}

/// Locks for approval (asserting 201) and reads the relationship back.
pub async fn lock(server: &TestServer, id: &str) -> Value {
    lock_for(server, CONTOSO, id).await
}

pub async fn lock_for(server: &TestServer, partner: &'static str, id: &str) -> Value {
    let (status, body) = act_for(server, partner, Role::AdminAgent, id, "lockForApproval").await;
    assert_eq!(status, 201, "{body}");
    read(server, partner, id).await
}

/// Locks and approves as the customer would, through the store's answer to the approval link
/// (the approval page's own tests drive the page).
pub async fn activate(server: &TestServer, id: &str) -> Value {
    activate_for(server, CONTOSO, id).await
}

pub async fn activate_for(server: &TestServer, partner: &'static str, id: &str) -> Value {
    let locked = lock_for(server, partner, id).await;
    let url = locked["approvalUrl"].as_str().unwrap();
    let code = url.rsplit('/').next().unwrap().to_string();
    let now = server.state.now();
    let store = server.store();
    let answered = tokio::task::spawn_blocking(move || store.answer_approval(&code, true, &now))
        .await
        .unwrap();
    assert!(answered.is_ok(), "{answered:?}");
    let active = read(server, partner, id).await;
    assert_eq!(active["status"], "active", "{active}");
    active
}

/// The partner's security groups (the demo's): (id, name).
pub async fn groups(server: &TestServer, partner: &'static str) -> Vec<(String, String)> {
    let (status, listed) = send(
        server,
        partner,
        Role::HelpdeskAgent,
        Method::GET,
        "/v1/securitygroups",
        None,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{listed}");
    assert!(
        listed["value"].as_array().unwrap().len() >= 2,
        "the demo gives each partner security groups: {listed}"
    );
    listed["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["id"].as_str().unwrap().to_string(),
                g["displayName"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The (before, after) of Contoso's audit records with `operation` and resource type
/// `resource_type`, newest first.
pub async fn audit(
    server: &TestServer,
    operation: &str,
    resource_type: &str,
) -> Vec<(String, String)> {
    let (_, body) = send(
        server,
        CONTOSO,
        Role::GlobalAdmin,
        Method::GET,
        "/v1/auditrecords",
        None,
        &[],
    )
    .await;
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["operationType"] == operation)
        .map(|r| {
            assert_eq!(r["resourceType"], resource_type, "{r}");
            (
                r["before"].as_str().unwrap_or_default().to_string(),
                r["after"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// Every row of the events table: (kind, customer id), oldest first, on either store.
pub async fn events(server: &TestServer) -> Vec<(String, String)> {
    const SQL: &str = "SELECT kind, customer_id FROM events ORDER BY id";
    match &server.db {
        Database::Sqlite(path) => {
            let conn = rusqlite::Connection::open(path).unwrap();
            let mut stmt = conn.prepare(SQL).unwrap();
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        }
        Database::Postgres(url) => postgres_client(url)
            .await
            .query(SQL, &[])
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect(),
    }
}

/// A 400's named field.
pub fn field(body: &Value) -> &str {
    body["data"][0].as_str().unwrap_or_default()
}
