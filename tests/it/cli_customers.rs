//! The customer writes through the real binary against the real server: `customers add`, `end`,
//! `reinstate` and `purchase-permission show|set`, each read back as a script would (JSON, CSV,
//! TSV parsed), with the exit codes for a bad field, a taken domain, a role that may not, an
//! unknown customer and a change someone else made in between (412).
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use cspdash::api::Role;
use serde_json::Value;

use crate::helpers::{CONTOSO, TestServer, spawn_server};
use crate::scripting::{Ran, cspdash, cspdash_as, run};

const ADD: [&str; 8] = [
    "customers",
    "add",
    "--name",
    "Tailwind Traders",
    "--domain",
    "tailwind.onmicrosoft.com",
    "--email",
    "billing@tailwind.example",
];

fn add_with<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    ADD.iter().copied().chain(extra.iter().copied()).collect()
}

async fn all_customers(server: &TestServer) -> Vec<Value> {
    let all = cspdash(server, &["customers", "list", "-o", "json"])
        .await
        .ok()
        .json();
    all.as_array().unwrap().clone()
}

async fn with_domain(server: &TestServer, domain: &str) -> Vec<Value> {
    all_customers(server)
        .await
        .into_iter()
        .filter(|c| c["companyProfile"]["domain"] == domain)
        .collect()
}

#[tokio::test]
async fn an_added_customer_is_printed_and_found_by_show_and_list() {
    let server = spawn_server(10).await;
    let added = cspdash(
        &server,
        &add_with(&["--first-name", "Ana", "--city", "Lisbon", "-o", "json"]),
    )
    .await
    .ok()
    .json();
    let id = added["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 36, "{added}");
    assert_eq!(
        added["companyProfile"]["domain"],
        "tailwind.onmicrosoft.com"
    );
    // The form's defaults: country US, culture en-US, language en.
    let billing = &added["billingProfile"];
    assert_eq!(billing["defaultAddress"]["country"], "US");
    assert_eq!(billing["defaultAddress"]["city"], "Lisbon");
    assert_eq!(billing["culture"], "en-US");
    assert_eq!(billing["language"], "en");
    assert_eq!(billing["firstName"], "Ana");
    assert_eq!(added["relationshipToPartner"], "reseller");

    let shown = cspdash(
        &server,
        &[
            "customers",
            "show",
            "tailwind.onmicrosoft.com",
            "-o",
            "json",
        ],
    )
    .await
    .ok()
    .json();
    assert_eq!(shown, added);

    let csv = cspdash(&server, &["customers", "list", "-o", "csv"])
        .await
        .ok()
        .csv();
    let row = csv.iter().find(|r| r["id"] == id).unwrap();
    assert_eq!(row["domain"], "tailwind.onmicrosoft.com");
    assert_eq!(row["companyName"], "Tailwind Traders");
    assert_eq!(row["relationship"], "reseller");

    // Piped without -o: one TSV record under its header.
    let tsv = cspdash(
        &server,
        &[
            "customers",
            "add",
            "--name",
            "Second Co",
            "--domain",
            "Second.Example",
            "--email",
            "a@second.example",
            "--country",
            "de",
        ],
    )
    .await
    .ok()
    .tsv();
    assert_eq!(tsv.len(), 1);
    assert_eq!(
        tsv[0]["domain"], "second.example",
        "lowercased as the form does"
    );
    assert_eq!(tsv[0]["country"], "DE");
}

#[tokio::test]
async fn the_same_request_id_twice_adds_one_customer() {
    let server = spawn_server(10).await;
    let key = "cli-add-7f1c2a";
    let first = cspdash(&server, &add_with(&["--request-id", key, "-o", "json"]))
        .await
        .ok()
        .json();
    let again = cspdash(&server, &add_with(&["--request-id", key, "-o", "json"]))
        .await
        .ok()
        .json();
    assert_eq!(first["id"], again["id"]);
    assert_eq!(
        with_domain(&server, "tailwind.onmicrosoft.com").await.len(),
        1
    );

    // The same key for another customer is refused, not mistaken for the first.
    let other = cspdash(
        &server,
        &[
            "customers",
            "add",
            "--name",
            "Other",
            "--domain",
            "other.example",
            "--email",
            "a@other.example",
            "--request-id",
            key,
        ],
    )
    .await;
    assert_eq!(other.code, 5, "{}", other.stderr);
    assert!(with_domain(&server, "other.example").await.is_empty());
}

#[tokio::test]
async fn a_bad_field_is_a_usage_error_naming_the_option_and_sends_nothing() {
    let server = spawn_server(5).await;
    let before = all_customers(&server).await.len();
    for (name, domain, email, extra, option) in [
        ("A", "a.example", "not-an-address", None, "--email"),
        (
            "A",
            "a.example",
            "a@a.example",
            Some(["--country", "USA"]),
            "--country",
        ),
        ("A", "nodot", "a@a.example", None, "--domain"),
        ("   ", "a.example", "a@a.example", None, "--name"),
        (
            "A",
            "a.example",
            "a@a.example",
            Some(["--city", "Lis\u{1b}[2Jbon"]),
            "--city",
        ),
    ] {
        let mut args = vec!["customers", "add", "--name", name, "--domain", domain];
        args.extend(["--email", email]);
        args.extend(extra.into_iter().flatten());
        let ran = cspdash(&server, &args).await;
        assert_eq!(ran.code, 2, "{args:?}: {}", ran.stderr);
        assert!(ran.stderr.contains(option), "{args:?}: {}", ran.stderr);
        assert_eq!(ran.stderr.trim().lines().count(), 1, "{}", ran.stderr);
    }
    let json = cspdash(&server, &add_with(&["--country", "1", "-o", "json"])).await;
    assert_eq!(json.code, 2);
    assert_eq!(json.error_json()["error"]["kind"], "usage");
    assert_eq!(all_customers(&server).await.len(), before);
}

#[tokio::test]
async fn a_taken_domain_is_a_conflict() {
    let server = spawn_server(10).await;
    let taken = all_customers(&server).await[2]["companyProfile"]["domain"]
        .as_str()
        .unwrap()
        .to_string();
    let ran = cspdash(
        &server,
        &[
            "customers",
            "add",
            "--name",
            "Copycat",
            "--domain",
            &taken.to_uppercase(),
            "--email",
            "a@copycat.example",
            "-o",
            "json",
        ],
    )
    .await;
    assert_eq!(ran.code, 5, "{}", ran.stderr);
    let error = ran.error_json();
    assert_eq!(error["error"]["status"], 409);
    assert_eq!(error["error"]["kind"], "conflict");
    assert_eq!(with_domain(&server, &taken).await.len(), 1);
}

/// A reseller customer of the demo data, as the list has it.
async fn reseller_customer(server: &TestServer) -> Value {
    all_customers(server)
        .await
        .into_iter()
        .find(|c| c["relationshipToPartner"] == "reseller")
        .unwrap()
}

#[tokio::test]
async fn roles_that_may_not_are_refused_with_exit_4_and_change_nothing() {
    let server = spawn_server(10).await;
    let customer = reseller_customer(&server).await;
    let id = customer["id"].as_str().unwrap();

    // Adding: Global admins, Admin agents and Sales agents; not Helpdesk agents.
    let refused = cspdash_as(&server, CONTOSO, Role::HelpdeskAgent, &ADD).await;
    assert_eq!(refused.code, 4, "{}", refused.stderr);
    assert!(refused.stderr.contains("Sales agent"), "{}", refused.stderr);
    assert!(
        with_domain(&server, "tailwind.onmicrosoft.com")
            .await
            .is_empty()
    );
    cspdash_as(&server, CONTOSO, Role::SalesAgent, &ADD)
        .await
        .ok();

    // Ending and purchase permission: Global admins and Admin agents only.
    for role in [Role::SalesAgent, Role::HelpdeskAgent] {
        for args in [
            vec!["customers", "end", id],
            vec!["purchase-permission", "set", id, "on"],
        ] {
            let ran = cspdash_as(&server, CONTOSO, role, &args).await;
            assert_eq!(ran.code, 4, "{role:?} {args:?}: {}", ran.stderr);
        }
    }
    let after = cspdash(&server, &["customers", "show", id, "-o", "json"])
        .await
        .ok()
        .json();
    assert_eq!(after["relationshipToPartner"], "reseller");
    // Reading is for everyone.
    cspdash_as(
        &server,
        CONTOSO,
        Role::HelpdeskAgent,
        &["purchase-permission", "show", id],
    )
    .await
    .ok();
    cspdash_as(
        &server,
        CONTOSO,
        Role::AdminAgent,
        &["customers", "end", id],
    )
    .await
    .ok();
}

#[tokio::test]
async fn end_then_reinstate_round_trips() {
    let server = spawn_server(10).await;
    let customer = reseller_customer(&server).await;
    let id = customer["id"].as_str().unwrap();
    let domain = customer["companyProfile"]["domain"].as_str().unwrap();

    let ended = cspdash(&server, &["customers", "end", domain, "-o", "json"])
        .await
        .ok()
        .json();
    assert_eq!(ended["id"], id);
    assert_eq!(ended["relationshipToPartner"], "none");
    assert_eq!(
        ended["allowDelegatedAccess"], false,
        "admin access ends too"
    );
    let shown = cspdash(&server, &["customers", "show", id, "-o", "json"])
        .await
        .ok()
        .json();
    assert_eq!(shown["relationshipToPartner"], "none");

    // Ending what is ended changes nothing and is no error.
    let again = cspdash(&server, &["customers", "end", id, "-o", "csv"])
        .await
        .ok()
        .csv();
    assert_eq!(again[0]["relationship"], "none");

    let reinstated = cspdash(&server, &["customers", "reinstate", id])
        .await
        .ok()
        .tsv();
    assert_eq!(reinstated.len(), 1);
    assert_eq!(reinstated[0]["id"], id);
    assert_eq!(reinstated[0]["relationship"], "reseller");
    // The relationship only: admin access comes back through a link or GDAP.
    assert_eq!(reinstated[0]["allowDelegatedAccess"], "false");
    let shown = cspdash(&server, &["customers", "show", domain, "-o", "json"])
        .await
        .ok()
        .json();
    assert_eq!(shown["relationshipToPartner"], "reseller");
}

#[tokio::test]
async fn purchase_permission_on_and_off_round_trips() {
    let server = spawn_server(10).await;
    let customer = reseller_customer(&server).await;
    let id = customer["id"].as_str().unwrap();
    let domain = customer["companyProfile"]["domain"].as_str().unwrap();

    for (value, want) in [("on", true), ("off", false), ("on", true)] {
        let set = cspdash(
            &server,
            &["purchase-permission", "set", domain, value, "-o", "json"],
        )
        .await
        .ok()
        .json();
        assert_eq!(set["allowCustomerPurchase"], want, "{set}");
        assert_eq!(set["customerId"], id);
        let shown = cspdash(&server, &["purchase-permission", "show", id, "-o", "csv"])
            .await
            .ok()
            .csv();
        assert_eq!(shown[0]["allowCustomerPurchase"], want.to_string());
        // What the API itself says.
        let (_, wire) = server
            .get_json(&format!("/v1/customers/{id}/purchasepermission"))
            .await;
        assert_eq!(wire["allowCustomerPurchase"], want);
    }
    let bad = cspdash(&server, &["purchase-permission", "set", id, "maybe"]).await;
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}

#[tokio::test]
async fn an_unknown_customer_is_exit_3() {
    let server = spawn_server(5).await;
    for args in [
        vec!["customers", "end", "no-such.example"],
        vec![
            "customers",
            "reinstate",
            "7d1f4c1e-0000-4000-8000-000000000000",
        ],
        vec!["purchase-permission", "show", "no-such.example"],
        vec![
            "purchase-permission",
            "set",
            "7d1f4c1e-0000-4000-8000-000000000000",
            "off",
        ],
    ] {
        let ran = cspdash(&server, &args).await;
        assert_eq!(ran.code, 3, "{args:?}: {}", ran.stderr);
        assert!(ran.stderr.contains("no customer"), "{}", ran.stderr);
    }
    let reseller = cspdash(
        &server,
        &add_with(&["--indirect-reseller", "No Such Reseller"]),
    )
    .await;
    assert_eq!(reseller.code, 3, "{}", reseller.stderr);
}

#[tokio::test]
async fn a_customer_can_be_added_through_an_indirect_reseller_by_name() {
    let server = spawn_server(5).await;
    let (_, resellers) = server
        .get_json("/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf")
        .await;
    let reseller = &resellers["items"][0];
    let name = reseller["name"].as_str().unwrap();
    let added = cspdash(
        &server,
        &add_with(&["--indirect-reseller", &name.to_lowercase(), "-o", "json"]),
    )
    .await
    .ok()
    .json();
    assert_eq!(added["associatedPartnerId"], reseller["id"], "{added}");
}

/// Sits between the binary and the real server and, on the first conditional write (PATCH or
/// PUT), first makes that same change itself as another agent: the binary's `If-Match` is then
/// stale and the real server answers 412, as when a colleague was quicker.
#[derive(Clone)]
struct Interloper {
    server: String,
    other_token: String,
    http: reqwest::Client,
    done: Arc<AtomicBool>,
}

async fn relay(
    State(me): State<Interloper>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let url = format!("{}{}", me.server, uri);
    let forward = |token: Option<&str>, if_match: Option<&str>| {
        let mut request = me.http.request(method.clone(), &url).body(body.clone());
        for (name, value) in &headers {
            if !matches!(name.as_str(), "host" | "accept-encoding" | "content-length") {
                request = request.header(name, value);
            }
        }
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(if_match) = if_match {
            request = request.header("if-match", if_match);
        }
        request
    };
    let conditional = method == Method::PATCH || method == Method::PUT;
    if conditional && !me.done.swap(true, Ordering::SeqCst) {
        let first = forward(Some(&me.other_token), Some("*"))
            .send()
            .await
            .unwrap();
        assert!(first.status().is_success(), "{}", first.status());
    }
    let answer = forward(None, None).send().await.unwrap();
    let status = StatusCode::from_u16(answer.status().as_u16()).unwrap();
    let mut out = HeaderMap::new();
    for name in ["content-type", "etag", "retry-after"] {
        if let Some(value) = answer.headers().get(name) {
            out.insert(name, value.clone());
        }
    }
    let bytes = answer.bytes().await.unwrap();
    (status, out, bytes).into_response()
}

async fn interloper(server: &TestServer) -> String {
    let state = Interloper {
        server: server.url.clone(),
        other_token: server.token(CONTOSO, Role::AdminAgent).to_string(),
        http: reqwest::Client::new(),
        done: Arc::new(AtomicBool::new(false)),
    };
    crate::fake_backend::serve(axum::Router::new().fallback(relay).with_state(state)).await
}

/// `cspdash ARGS` as Contoso's Global admin through `backend`.
async fn through(server: &TestServer, backend: &str, args: &[&str]) -> Ran {
    let home = tempfile::tempdir().unwrap();
    let mut command = crate::scripting::command(home.path());
    command
        .args(args)
        .args(["--backend", backend])
        .env("CSPDASH_TOKEN", server.token(CONTOSO, Role::GlobalAdmin));
    run(command).await
}

#[tokio::test]
async fn a_change_someone_made_in_between_is_a_conflict_and_not_overwritten() {
    let server = spawn_server(10).await;
    let customer = reseller_customer(&server).await;
    let id = customer["id"].as_str().unwrap();

    let ended = through(
        &server,
        &interloper(&server).await,
        &["customers", "end", id, "-o", "json"],
    )
    .await;
    assert_eq!(ended.code, 5, "{}", ended.stderr);
    assert_eq!(ended.error_json()["error"]["status"], 412);
    assert!(ended.stdout.is_empty(), "{}", ended.stdout);

    cspdash(&server, &["purchase-permission", "set", id, "off"])
        .await
        .ok();
    let permission = through(
        &server,
        &interloper(&server).await,
        &["purchase-permission", "set", id, "on"],
    )
    .await;
    assert_eq!(permission.code, 5, "{}", permission.stderr);
    assert!(permission.stderr.contains("412"), "{}", permission.stderr);

    // Run again, the command reads the customer afresh and succeeds.
    let again = cspdash(&server, &["customers", "end", id, "-o", "json"])
        .await
        .ok()
        .json();
    assert_eq!(again["relationshipToPartner"], "none");
}
