//! `cspdash subscriptions`, `support-contacts` and `service-requests` through the real binary
//! against the real server: output parsed back in each format, agents by id, email or name, the
//! ETag guard, one service request per request id, and the exit codes.
#![allow(clippy::unwrap_used)]

use cspdash::api::Role;
use serde_json::Value;

use crate::helpers::{CONTOSO, TestServer, spawn_server};
use crate::scripting::{cspdash, cspdash_as};
use crate::users::manageable_customer;

async fn agents(server: &TestServer) -> Vec<Value> {
    let (_, body) = server.get_json("/v1/agents").await;
    body["items"].as_array().unwrap().clone()
}

async fn contact_ids(server: &TestServer, customer: &str) -> Vec<String> {
    let (_, body) = server
        .get_json(&format!("/v1/customers/{customer}/supportcontacts"))
        .await;
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["agentId"].as_str().unwrap().to_string())
        .collect()
}

async fn request_count(server: &TestServer, customer: &str) -> usize {
    let (_, body) = server
        .get_json(&format!("/v1/customers/{customer}/servicerequests"))
        .await;
    body["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn subscriptions_list_gives_the_customers_subscriptions_in_every_format() {
    let server = spawn_server(20).await;
    let (customer, domain) = manageable_customer(&server).await;
    let (_, wire) = server
        .get_json(&format!("/v1/customers/{customer}/subscriptions"))
        .await;
    let wire = wire["items"].as_array().unwrap().clone();
    assert!(!wire.is_empty());

    let json = cspdash(&server, &["subscriptions", "list", &domain, "-o", "json"])
        .await
        .ok()
        .json();
    assert_eq!(json.as_array().unwrap(), &wire);
    let csv = cspdash(&server, &["subscriptions", "list", &customer, "-o", "csv"])
        .await
        .ok()
        .csv();
    let tsv = cspdash(&server, &["subscriptions", "list", &customer])
        .await
        .ok()
        .tsv();
    assert_eq!(csv, tsv);
    for (row, s) in csv.iter().zip(&wire) {
        assert_eq!(row["id"], s["id"].as_str().unwrap());
        assert_eq!(row["offerName"], s["offerName"].as_str().unwrap());
        assert_eq!(row["quantity"], s["quantity"].to_string());
        assert_eq!(row["status"], s["status"].as_str().unwrap());
    }
    // Every role reads them.
    cspdash_as(
        &server,
        CONTOSO,
        Role::HelpdeskAgent,
        &["subscriptions", "list", &customer],
    )
    .await
    .ok();
    let ran = cspdash(&server, &["subscriptions", "list", "no-such.example"]).await;
    assert_eq!(ran.code, 3, "{ran:?}");
}

#[tokio::test]
async fn support_contacts_are_set_by_agent_id_email_or_name_under_their_etag() {
    let server = spawn_server(20).await;
    let (customer, domain) = manageable_customer(&server).await;
    let agents = agents(&server).await;
    let (a, b, c) = (&agents[0], &agents[1], &agents[2]);
    let id = |agent: &Value| agent["id"].as_str().unwrap().to_string();

    // By name (any case), email and id, in the order given; the contacts as they are after.
    let set = cspdash(
        &server,
        &[
            "support-contacts",
            "set",
            &domain,
            &a["name"].as_str().unwrap().to_uppercase(),
            b["email"].as_str().unwrap(),
            &id(c),
            // Named twice: one contact.
            &id(a),
            "-o",
            "json",
        ],
    )
    .await
    .ok()
    .json();
    let set: Vec<&str> = set
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["agentId"].as_str().unwrap())
        .collect();
    assert_eq!(set, [id(a), id(b), id(c)]);
    assert_eq!(contact_ids(&server, &customer).await, [id(a), id(b), id(c)]);

    let csv = cspdash(
        &server,
        &["support-contacts", "list", &customer, "-o", "csv"],
    )
    .await
    .ok()
    .csv();
    let tsv = cspdash(&server, &["support-contacts", "list", &customer])
        .await
        .ok()
        .tsv();
    assert_eq!(csv, tsv);
    assert_eq!(csv.len(), 3);
    assert_eq!(csv[1]["agentId"], id(b));
    assert_eq!(csv[1]["name"], b["name"].as_str().unwrap());
    assert_eq!(csv[1]["email"], b["email"].as_str().unwrap());

    // A stale ETag: a conflict, the contacts unchanged.
    let stale = server
        .get(&format!("/v1/customers/{customer}/supportcontacts"))
        .send()
        .await
        .unwrap()
        .headers()["etag"]
        .to_str()
        .unwrap()
        .to_string();
    cspdash(&server, &["support-contacts", "set", &customer, &id(c)])
        .await
        .ok();
    let ran = cspdash(
        &server,
        &[
            "support-contacts",
            "set",
            &customer,
            &id(a),
            "--if-match",
            &stale,
            "-o",
            "json",
        ],
    )
    .await;
    assert_eq!(ran.code, 5, "{ran:?}");
    assert_eq!(ran.error_json()["error"]["status"], 412);
    assert_eq!(contact_ids(&server, &customer).await, [id(c)]);

    // An unknown agent: not found, nothing sent.
    let ran = cspdash(
        &server,
        &[
            "support-contacts",
            "set",
            &customer,
            "nobody@nowhere.example",
        ],
    )
    .await;
    assert_eq!(ran.code, 3, "{ran:?}");
    assert_eq!(contact_ids(&server, &customer).await, [id(c)]);
    // Neither agents nor --none: a usage error.
    let ran = cspdash(&server, &["support-contacts", "set", &customer]).await;
    assert_eq!(ran.code, 2, "{ran:?}");

    // Sales and Helpdesk agents read them and may not change them.
    for role in [Role::SalesAgent, Role::HelpdeskAgent] {
        let listed = cspdash_as(
            &server,
            CONTOSO,
            role,
            &["support-contacts", "list", &customer, "-o", "json"],
        )
        .await
        .ok()
        .json();
        assert_eq!(listed[0]["agentId"], id(c));
        let ran = cspdash_as(
            &server,
            CONTOSO,
            role,
            &["support-contacts", "set", &customer, &id(a)],
        )
        .await;
        assert_eq!(ran.code, 4, "{role:?}: {ran:?}");
    }

    // --none clears them.
    let cleared = cspdash(
        &server,
        &["support-contacts", "set", &customer, "--none", "-o", "json"],
    )
    .await
    .ok()
    .json();
    assert_eq!(cleared, serde_json::json!([]));
    assert!(contact_ids(&server, &customer).await.is_empty());
}

#[tokio::test]
async fn a_service_request_is_opened_once_per_request_id_and_listed() {
    let server = spawn_server(20).await;
    let (customer, domain) = manageable_customer(&server).await;
    let agents = agents(&server).await;
    let contact = &agents[1];
    let before = request_count(&server, &customer).await;

    let open = [
        "service-requests",
        "open",
        &domain,
        "--title",
        "Users cannot sign in to Outlook",
        "--severity",
        "critical",
        "--description",
        "Since 09:00,\tall users.\nMFA prompts loop.",
        "--contact",
        contact["email"].as_str().unwrap(),
        "--request-id",
        "sr-outlook-1",
        "-o",
        "json",
    ];
    let opened = cspdash(&server, &open).await.ok().json();
    assert_eq!(opened["title"], "Users cannot sign in to Outlook");
    assert_eq!(opened["severity"], "critical");
    assert_eq!(opened["status"], "open");
    assert_eq!(
        opened["description"],
        "Since 09:00,\tall users.\nMFA prompts loop."
    );
    assert_eq!(opened["contact"]["agentId"], contact["id"]);
    // The same request id again: the same request, not a second one.
    let again = cspdash(&server, &open).await.ok().json();
    assert_eq!(again["id"], opened["id"]);
    assert_eq!(request_count(&server, &customer).await, before + 1);

    // Listed, newest first, in each format; the description survives TSV's escapes.
    let json = cspdash(
        &server,
        &["service-requests", "list", &customer, "-o", "json"],
    )
    .await
    .ok()
    .json();
    assert_eq!(json[0]["id"], opened["id"]);
    let csv = cspdash(
        &server,
        &["service-requests", "list", &customer, "-o", "csv"],
    )
    .await
    .ok()
    .csv();
    let tsv = cspdash(&server, &["service-requests", "list", &customer])
        .await
        .ok()
        .tsv();
    assert_eq!(csv, tsv);
    assert_eq!(csv.len(), before + 1);
    assert_eq!(csv[0]["id"], opened["id"].as_str().unwrap());
    assert_eq!(csv[0]["severity"], "critical");
    assert_eq!(csv[0]["contact"], contact["name"].as_str().unwrap());
    let item = cspdash(&server, &open[..open.len() - 2]).await.ok().tsv();
    assert_eq!(
        item[0]["description"],
        "Since 09:00,\tall users.\nMFA prompts loop."
    );

    // A Helpdesk agent may open one (as in the dashboard); a Sales agent may not.
    let helpdesk = cspdash_as(
        &server,
        CONTOSO,
        Role::HelpdeskAgent,
        &[
            "service-requests",
            "open",
            &customer,
            "--title",
            "Mailbox full",
            "--severity",
            "minimal",
            "-o",
            "json",
        ],
    )
    .await
    .ok()
    .json();
    assert_eq!(helpdesk["severity"], "minimal");
    let count = request_count(&server, &customer).await;
    let ran = cspdash_as(
        &server,
        CONTOSO,
        Role::SalesAgent,
        &[
            "service-requests",
            "open",
            &customer,
            "--title",
            "Nope",
            "--severity",
            "moderate",
        ],
    )
    .await;
    assert_eq!(ran.code, 4, "{ran:?}");
    // Nor read them: the API keeps service requests to the roles that open them.
    let ran = cspdash_as(
        &server,
        CONTOSO,
        Role::SalesAgent,
        &["service-requests", "list", &customer],
    )
    .await;
    assert_eq!(ran.code, 4, "{ran:?}");

    // A severity the API does not have, an empty title, an unknown contact or customer.
    for (args, code) in [
        (vec!["--title", "X", "--severity", "urgent"], 2),
        (vec!["--title", "  ", "--severity", "minimal"], 2),
        (
            vec![
                "--title",
                "X",
                "--severity",
                "minimal",
                "--contact",
                "Nobody Here",
            ],
            3,
        ),
    ] {
        let mut full = vec!["service-requests", "open", &customer];
        full.extend(args);
        let ran = cspdash(&server, &full).await;
        assert_eq!(ran.code, code, "{full:?}: {ran:?}");
    }
    let ran = cspdash(
        &server,
        &[
            "service-requests",
            "open",
            "no-such.example",
            "--title",
            "X",
            "--severity",
            "minimal",
        ],
    )
    .await;
    assert_eq!(ran.code, 3, "{ran:?}");
    assert_eq!(request_count(&server, &customer).await, count);
}
