//! A customer's users and licenses over the real HTTP API: add (idempotent, checked), remove and
//! restore (`If-Match`, 30 days), licenses with their units, roles and partner isolation.
#![allow(clippy::unwrap_used)]

mod client;
mod licenses;

use cspdash::api::Role;
use cspdash::server::store::Database;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

/// A Contoso customer whose users may be managed (relationship on, admin permissions kept),
/// with at least one license: (id, domain).
pub async fn manageable_customer(server: &TestServer) -> (String, String) {
    let (_, page) = server.get_json("/v1/customers?size=50").await;
    for c in page["items"].as_array().unwrap() {
        if c["relationshipToPartner"] != "reseller" || c["allowDelegatedAccess"] != true {
            continue;
        }
        let id = c["id"].as_str().unwrap().to_string();
        let (_, skus) = server
            .get_json(&format!("/v1/customers/{id}/subscribedskus"))
            .await;
        if skus["totalCount"].as_u64().unwrap() > 0 {
            let domain = c["companyProfile"]["domain"].as_str().unwrap().to_string();
            return (id, domain);
        }
    }
    panic!("no manageable customer with licenses among the first 50");
}

pub fn new_user(local: &str, domain: &str) -> Value {
    json!({
        "userPrincipalName": format!("{local}@{domain}"),
        "firstName": "Jane", "lastName": "Doe", "displayName": "Jane Doe",
        "usageLocation": "DE",
        "passwordProfile": {"password": "Tmp!pass2026x", "forceChangePassword": true}
    })
}

pub async fn post_user(
    server: &TestServer,
    role: Role,
    customer: &str,
    body: &Value,
    request_id: &str,
) -> (u16, Value, Option<String>) {
    let response = server
        .request(
            CONTOSO,
            role,
            Method::POST,
            &format!("/v1/customers/{customer}/users"),
        )
        .header("MS-RequestId", request_id)
        .json(body)
        .send()
        .await
        .unwrap();
    let etag = response
        .headers()
        .get("etag")
        .map(|v| v.to_str().unwrap().to_string());
    let (status, body) = json(response).await;
    (status, body, etag)
}

pub async fn users(server: &TestServer, customer: &str, removed: bool) -> Vec<Value> {
    let path = match removed {
        false => format!("/v1/customers/{customer}/users"),
        true => format!(
            "/v1/customers/{customer}/users?filter={}",
            percent_encoding::utf8_percent_encode(
                r#"{"Field":"UserState","Value":"Inactive","Operator":"equals"}"#,
                percent_encoding::NON_ALPHANUMERIC
            )
        ),
    };
    let (status, body) = server.get_json(&path).await;
    assert_eq!(status, 200, "{body}");
    body["items"].as_array().unwrap().clone()
}

/// (activeUnits, consumedUnits) of one SKU of the customer.
pub async fn units(server: &TestServer, customer: &str, sku: &str) -> (i64, i64) {
    let (_, skus) = server
        .get_json(&format!("/v1/customers/{customer}/subscribedskus"))
        .await;
    let sku = skus["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["productSku"]["id"] == sku)
        .unwrap();
    (
        sku["activeUnits"].as_i64().unwrap(),
        sku["consumedUnits"].as_i64().unwrap(),
    )
}

/// The (before, after) of the partner's audit records with `operation`, newest first, each
/// checked to name `resource_type`.
pub async fn audit_changes(
    server: &TestServer,
    operation: &str,
    resource_type: &str,
) -> Vec<(String, String)> {
    let response = server
        .request(CONTOSO, Role::GlobalAdmin, Method::GET, "/v1/auditrecords")
        .send()
        .await
        .unwrap();
    let (_, body) = json(response).await;
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["operationType"] == operation)
        .map(|r| {
            assert_eq!(r["resourceType"], resource_type, "{r}");
            (
                r["before"].as_str().unwrap().to_string(),
                r["after"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The newest event's kind, straight from the database.
async fn last_event_kind(server: &TestServer) -> String {
    let query = "SELECT kind FROM events ORDER BY id DESC LIMIT 1";
    match &server.db {
        Database::Sqlite(path) => {
            let conn = rusqlite::Connection::open(path).unwrap();
            conn.query_row(query, [], |r| r.get(0)).unwrap()
        }
        Database::Postgres(url) => postgres_client(url)
            .await
            .query_one(query, &[])
            .await
            .unwrap()
            .get(0),
    }
}

/// Whether `needle` is anywhere in the database: in the SQLite file or its WAL, or in any row of
/// any PostgreSQL table.
async fn database_holds(server: &TestServer, needle: &str) -> bool {
    match &server.db {
        Database::Sqlite(path) => {
            let bytes = std::fs::read(path).unwrap();
            let wal = std::fs::read(format!("{}-wal", path.display())).unwrap_or_default();
            let needle = needle.as_bytes();
            [&bytes, &wal]
                .iter()
                .any(|file| file.windows(needle.len()).any(|w| w == needle))
        }
        Database::Postgres(url) => {
            let client = postgres_client(url).await;
            let tables = client
                .query(
                    "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()",
                    &[],
                )
                .await
                .unwrap();
            assert!(tables.len() > 10, "the schema's tables are listed");
            for table in &tables {
                let table: String = table.get(0);
                let found: i64 = client
                    .query_one(
                        &format!(
                            "SELECT count(*) FROM \"{table}\" t WHERE strpos(t::text, $1) > 0"
                        ),
                        &[&needle],
                    )
                    .await
                    .unwrap()
                    .get(0);
                if found > 0 {
                    return true;
                }
            }
            false
        }
    }
}

contract! {
    async fn adding_a_user_answers_201_with_an_etag_and_a_replay_adds_no_second_one() {
        let server = spawn_server(20).await;
        let (customer, domain) = manageable_customer(&server).await;
        let body = new_user("jane.doe", &domain);
        let (status, first, etag) = post_user(&server, Role::AdminAgent, &customer, &body, "r-1").await;
        assert_eq!(status, 201, "{first}");
        assert_eq!(etag.as_deref(), Some("\"1\""));
        assert_eq!(first["userPrincipalName"], format!("jane.doe@{domain}"));
        assert_eq!(first["state"], "active");
        assert!(
            !first.to_string().contains("Tmp!pass2026x"),
            "password echoed: {first}"
        );
        let (status, again, _) = post_user(&server, Role::AdminAgent, &customer, &body, "r-1").await;
        assert_eq!(status, 201);
        assert_eq!(again, first, "a replay must answer as the first time");
        let named: Vec<Value> = users(&server, &customer, false)
            .await
            .into_iter()
            .filter(|u| u["userPrincipalName"] == format!("jane.doe@{domain}"))
            .collect();
        assert_eq!(named.len(), 1, "{named:?}");
        let added = audit_changes(&server, "addUser", "user").await;
        assert_eq!(added.len(), 1, "{added:?}");
        assert_eq!(added[0].0, "", "a new user has no before: {added:?}");
        assert!(
            added[0]
                .1
                .contains(&format!("userPrincipalName jane.doe@{domain}")),
            "{added:?}"
        );
        assert!(!added[0].1.contains("Tmp!pass2026x"));
        assert_eq!(last_event_kind(&server).await, "user.created");
        // Nothing of the password is kept anywhere in the database.
        assert!(!database_holds(&server, "Tmp!pass2026x").await, "password stored");
    }
}

contract! {
    async fn bad_input_is_400_naming_the_field_and_adds_nobody() {
        let server = spawn_server(20).await;
        let (customer, domain) = manageable_customer(&server).await;
        let before = users(&server, &customer, false).await.len();
        let foreign = new_user("jane", "fabrikam.example");
        let mut weak = new_user("jane", &domain);
        weak["passwordProfile"]["password"] = json!("password");
        let mut nowhere = new_user("jane", &domain);
        nowhere["usageLocation"] = json!("Germany");
        for (n, (body, field)) in [
            (&foreign, "userPrincipalName"),
            (&weak, "passwordProfile.password"),
            (&nowhere, "usageLocation"),
        ]
        .into_iter()
        .enumerate()
        {
            let (status, answer, _) = post_user(
                &server,
                Role::AdminAgent,
                &customer,
                body,
                &format!("bad-{n}"),
            )
            .await;
            assert_eq!(status, 400, "{answer}");
            assert_eq!(answer["data"][0], field, "{answer}");
        }
        let (_, answer, _) = post_user(&server, Role::AdminAgent, &customer, &foreign, "bad-9").await;
        let description = answer["description"].as_str().unwrap();
        assert!(description.contains(&format!("@{domain}")), "{description}");
        assert_eq!(users(&server, &customer, false).await.len(), before);
    }
}

contract! {
    async fn a_taken_sign_in_name_is_409_naming_the_field() {
        let server = spawn_server(20).await;
        let (customer, domain) = manageable_customer(&server).await;
        // Every demo customer has admin@<domain>; case does not make a name new.
        let (status, answer, _) = post_user(
            &server,
            Role::GlobalAdmin,
            &customer,
            &new_user("ADMIN", &domain),
            "t-1",
        )
        .await;
        assert_eq!(status, 409, "{answer}");
        assert_eq!(answer["data"][0], "userPrincipalName");
        assert!(
            answer["description"]
                .as_str()
                .unwrap()
                .contains("already a user")
        );
    }
}

/// A seeded active user holding at least one license: (id, ETag, a SKU it holds).
pub async fn licensed_user(server: &TestServer, customer: &str) -> (String, String, String) {
    for u in users(server, customer, false).await {
        if let Some(license) = u["assignedLicenses"].as_array().unwrap().first() {
            return (
                u["id"].as_str().unwrap().to_string(),
                u["attributes"]["etag"].as_str().unwrap().to_string(),
                license["skuId"].as_str().unwrap().to_string(),
            );
        }
    }
    panic!("no licensed user at {customer}");
}

async fn delete_user(
    server: &TestServer,
    customer: &str,
    user: &str,
    if_match: Option<&str>,
) -> (u16, Value) {
    let mut request = server.request(
        CONTOSO,
        Role::AdminAgent,
        Method::DELETE,
        &format!("/v1/customers/{customer}/users/{user}"),
    );
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    json(request.send().await.unwrap()).await
}

async fn restore_user(
    server: &TestServer,
    customer: &str,
    user: &str,
    if_match: &str,
) -> (u16, Value) {
    let request = server
        .request(
            CONTOSO,
            Role::AdminAgent,
            Method::PATCH,
            &format!("/v1/customers/{customer}/users/{user}"),
        )
        .header("If-Match", if_match)
        .json(&json!({"state": "active"}));
    json(request.send().await.unwrap()).await
}

contract! {
    async fn removing_needs_the_current_etag_frees_the_licenses_and_restoring_brings_the_user_back() {
        let server = spawn_server(20).await;
        let (customer, _) = manageable_customer(&server).await;
        let (user, etag, sku) = licensed_user(&server, &customer).await;
        let (_, consumed) = units(&server, &customer, &sku).await;
        let (status, body) = delete_user(&server, &customer, &user, None).await;
        assert_eq!(status, 428, "{body}");
        let (status, body) = delete_user(&server, &customer, &user, Some("\"999\"")).await;
        assert_eq!(status, 412, "{body}");
        assert_eq!(
            users(&server, &customer, true)
                .await
                .iter()
                .filter(|u| u["id"] == user.as_str())
                .count(),
            0
        );
        let (status, removed) = delete_user(&server, &customer, &user, Some(&etag)).await;
        assert_eq!(status, 200, "{removed}");
        assert_eq!(removed["state"], "inactive");
        assert!(removed["softDeletionTime"].is_string());
        assert_eq!(
            units(&server, &customer, &sku).await.1,
            consumed - 1,
            "licenses not freed"
        );
        assert!(
            !users(&server, &customer, false)
                .await
                .iter()
                .any(|u| u["id"] == user.as_str())
        );
        assert!(
            users(&server, &customer, true)
                .await
                .iter()
                .any(|u| u["id"] == user.as_str())
        );
        assert_eq!(last_event_kind(&server).await, "user.deleted");
        let removal = audit_changes(&server, "removeUser", "user").await;
        let (was, is) = &removal[0];
        assert!(
            was.contains("state active") && !was.ends_with("licenses none"),
            "the licenses it held: {removal:?}"
        );
        assert!(
            is.contains("state removed") && is.ends_with("licenses none"),
            "its licenses freed: {removal:?}"
        );
        // Restoring with the ETag from before the removal is stale.
        let (status, _) = restore_user(&server, &customer, &user, &etag).await;
        assert_eq!(status, 412);
        let tag = removed["attributes"]["etag"].as_str().unwrap();
        let (status, restored) = restore_user(&server, &customer, &user, tag).await;
        assert_eq!(status, 200, "{restored}");
        assert_eq!(restored["state"], "active");
        assert_eq!(restored["assignedLicenses"], json!([]));
        assert!(
            users(&server, &customer, false)
                .await
                .iter()
                .any(|u| u["id"] == user.as_str())
        );
        let restoral = audit_changes(&server, "restoreUser", "user").await;
        assert_eq!(restoral.len(), 1, "{restoral:?}");
        assert!(
            restoral[0].0.ends_with("state removed") && restoral[0].1.contains("state active"),
            "{restoral:?}"
        );
        // `*` skips the check.
        let (status, _) = delete_user(&server, &customer, &user, Some("*")).await;
        assert_eq!(status, 200);
    }
}

contract! {
    async fn a_user_removed_more_than_30_days_ago_can_no_longer_be_restored() {
        let server = spawn_server(20).await;
        // Every twelfth demo customer, from the sixth, has a user removed 45 days ago.
        let (_, page) = server.get_json("/v1/customers?size=50").await;
        let mut found = None;
        for c in page["items"].as_array().unwrap() {
            let id = c["id"].as_str().unwrap();
            if c["relationshipToPartner"] != "reseller" || c["allowDelegatedAccess"] != true {
                continue;
            }
            if let Some(old) = users(&server, id, true).await.into_iter().find(|u| {
                u["userPrincipalName"]
                    .as_str()
                    .unwrap()
                    .starts_with("left.long.ago@")
            }) {
                found = Some((id.to_string(), old));
                break;
            }
        }
        let (customer, old) = found.expect("a customer with a long-removed user");
        let (status, body) = restore_user(&server, &customer, old["id"].as_str().unwrap(), "*").await;
        assert_eq!(status, 409, "{body}");
        let description = body["description"].as_str().unwrap();
        assert!(
            description.contains("more than 30 days ago"),
            "{description}"
        );
    }
}

contract! {
    async fn sales_and_helpdesk_agents_read_users_but_are_told_who_may_change_them() {
        let server = spawn_server(20).await;
        let (customer, domain) = manageable_customer(&server).await;
        let (user, _, sku) = licensed_user(&server, &customer).await;
        for role in [Role::SalesAgent, Role::HelpdeskAgent] {
            let as_role = |method: Method, path: String| server.request(CONTOSO, role, method, &path);
            let base = format!("/v1/customers/{customer}/users");
            let (status, _) = json(as_role(Method::GET, base.clone()).send().await.unwrap()).await;
            assert_eq!(status, 200, "{role} reads users");
            let (status, _) = json(
                as_role(Method::GET, format!("{base}/{user}/licenses"))
                    .send()
                    .await
                    .unwrap(),
            )
            .await;
            assert_eq!(status, 200, "{role} reads licenses");
            let attempts = [
                as_role(Method::POST, base.clone()).json(&new_user("nope", &domain)),
                as_role(Method::DELETE, format!("{base}/{user}")).header("If-Match", "*"),
                as_role(Method::PATCH, format!("{base}/{user}"))
                    .header("If-Match", "*")
                    .json(&json!({"state": "active"})),
                as_role(Method::POST, format!("{base}/{user}/licenseupdates"))
                    .json(&json!({"licensesToRemove": [sku]})),
            ];
            for attempt in attempts {
                let (status, body) = json(attempt.send().await.unwrap()).await;
                assert_eq!(status, 403, "{role}: {body}");
                let description = body["description"].as_str().unwrap();
                assert!(
                    description.contains("Global admin or Admin agent"),
                    "{description}"
                );
            }
        }
        let (status, _, _) = post_user(
            &server,
            Role::GlobalAdmin,
            &customer,
            &new_user("ga.made", &domain),
            "ga",
        )
        .await;
        assert_eq!(status, 201, "a Global admin may add users");
    }
}

contract! {
    async fn another_partners_customer_and_users_are_404() {
        let server = spawn_server(20).await;
        let (customer, domain) = manageable_customer(&server).await;
        let (user, _, sku) = licensed_user(&server, &customer).await;
        let base = format!("/v1/customers/{customer}/users");
        let fabrikam =
            |method: Method, path: String| server.request(FABRIKAM, Role::GlobalAdmin, method, &path);
        let attempts = [
            fabrikam(Method::GET, base.clone()),
            fabrikam(Method::GET, format!("{base}/{user}")),
            fabrikam(Method::GET, format!("{base}/{user}/licenses")),
            fabrikam(Method::POST, base.clone()).json(&new_user("spy", &domain)),
            fabrikam(Method::DELETE, format!("{base}/{user}")).header("If-Match", "*"),
            fabrikam(Method::PATCH, format!("{base}/{user}"))
                .header("If-Match", "*")
                .json(&json!({"state": "active"})),
            fabrikam(Method::POST, format!("{base}/{user}/licenseupdates"))
                .json(&json!({"licensesToRemove": [sku]})),
        ];
        for attempt in attempts {
            let (status, body) = json(attempt.send().await.unwrap()).await;
            assert_eq!(status, 404, "{body}");
        }
        // Untouched: the user still holds its license.
        let (_, still) = server.get_json(&format!("{base}/{user}")).await;
        assert_eq!(still["state"], "active");
        assert!(still["assignedLicenses"].to_string().contains(&sku));
    }
}
