//! `cspdash users` and `cspdash licenses` through the real binary against the real server: the
//! lists parsed back in each format, add/remove/restore, the password file, retries with the
//! same `--request-id`, and the exit codes for roles, unknown names and conflicts.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use cspdash::api::Role;
use cspdash::api::users::validate::check_password;
use serde_json::Value;

use crate::helpers::{CONTOSO, TestServer, spawn_server};
use crate::scripting::{Ran, cspdash, cspdash_as};
use crate::users::{manageable_customer, units, users};

/// `cspdash ARGS --backend URL` as Contoso's Global admin, with `stdin` fed in.
async fn cspdash_at(server: &TestServer, url: &str, args: &[&str], stdin: Option<&str>) -> Ran {
    let home = tempfile::tempdir().unwrap();
    let mut command = crate::scripting::command(home.path());
    command
        .args(args)
        .args(["--backend", url])
        .env("CSPDASH_TOKEN", server.token(CONTOSO, Role::GlobalAdmin))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let stdin = stdin.map(str::to_string);
    let output = tokio::task::spawn_blocking(move || {
        let mut child = command.spawn().unwrap();
        let mut pipe = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            pipe.write_all(text.as_bytes()).unwrap();
        }
        drop(pipe);
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    drop(home);
    Ran {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn upns(users: &[Value]) -> Vec<String> {
    users
        .iter()
        .map(|u| u["userPrincipalName"].as_str().unwrap().to_lowercase())
        .collect()
}

#[tokio::test]
async fn users_list_gives_the_customers_users_in_every_format() {
    let server = spawn_server(20).await;
    let (customer, domain) = manageable_customer(&server).await;
    // One removed user at least, removed over the API.
    let first = &users(&server, &customer, false).await[0];
    let response = server
        .request(
            CONTOSO,
            Role::GlobalAdmin,
            Method::DELETE,
            &format!(
                "/v1/customers/{customer}/users/{}",
                first["id"].as_str().unwrap()
            ),
        )
        .header("If-Match", first["attributes"]["etag"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let active = users(&server, &customer, false).await;
    let removed = users(&server, &customer, true).await;
    assert!(!active.is_empty() && !removed.is_empty());

    // By domain, as JSON: the wire objects, ETags included.
    let json = cspdash(&server, &["users", "list", &domain, "-o", "json"])
        .await
        .ok()
        .json();
    let json = json.as_array().unwrap();
    assert_eq!(upns(json), upns(&active));
    assert!(json[0]["attributes"]["etag"].is_string(), "{}", json[0]);

    let csv = cspdash(&server, &["users", "list", &customer, "-o", "csv"])
        .await
        .ok()
        .csv();
    let tsv = cspdash(&server, &["users", "list", &customer])
        .await
        .ok()
        .tsv();
    assert_eq!(csv, tsv);
    assert_eq!(csv.len(), active.len());
    for (row, user) in csv.iter().zip(json) {
        assert_eq!(row["id"], user["id"].as_str().unwrap());
        assert_eq!(row["state"], "active");
    }
    // Licenses by part number, not by opaque SKU id.
    let (_, skus) = server
        .get_json(&format!("/v1/customers/{customer}/subscribedskus"))
        .await;
    let part_numbers: Vec<&str> = skus["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["productSku"]["skuPartNumber"].as_str().unwrap())
        .collect();
    let licensed = csv.iter().find(|r| !r["licenses"].is_empty()).unwrap();
    for part in licensed["licenses"].split(',') {
        assert!(part_numbers.contains(&part), "{part} in {part_numbers:?}");
    }

    let gone = cspdash(
        &server,
        &["users", "list", &customer, "--removed", "-o", "csv"],
    )
    .await
    .ok()
    .csv();
    assert_eq!(gone.len(), removed.len());
    assert!(gone.iter().all(|r| r["state"] == "inactive"));
    let days: i64 = gone[0]["restoreDaysLeft"].parse().unwrap();
    assert!((0..=30).contains(&days), "{gone:?}");
    let lines = cspdash(
        &server,
        &["users", "list", &customer, "--removed", "-o", "jsonl"],
    )
    .await
    .ok()
    .jsonl();
    assert_eq!(upns(&lines), upns(&removed));
    assert!(lines.iter().all(|u| u["softDeletionTime"].is_string()));
}

#[tokio::test]
async fn a_user_is_added_with_a_private_password_file_then_removed_and_restored() {
    let server = spawn_server(20).await;
    let (customer, domain) = manageable_customer(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("jane.pw");
    let file_arg = file.to_str().unwrap();

    // Without a place for the password nothing is sent.
    let before = users(&server, &customer, false).await.len();
    let ran = cspdash(&server, &["users", "add", &domain, "--upn", "jane"]).await;
    assert_eq!(ran.code, 2, "{ran:?}");
    assert!(ran.stderr.contains("--password-out"), "{ran:?}");
    assert_eq!(users(&server, &customer, false).await.len(), before);

    // `jane` alone gets the customer's domain; the password goes to the file only.
    let added = cspdash(
        &server,
        &[
            "users",
            "add",
            &domain,
            "--upn",
            "jane",
            "--first-name",
            "Jane",
            "--last-name",
            "Doe",
            "--password-out",
            file_arg,
            "-o",
            "json",
        ],
    )
    .await
    .ok();
    let user = added.json();
    assert_eq!(user["userPrincipalName"], format!("jane@{domain}"));
    assert_eq!(user["displayName"], "Jane Doe");
    assert_eq!(user["state"], "active");
    assert_eq!(mode(&file), 0o600);
    let text = std::fs::read_to_string(&file).unwrap();
    let password = text.strip_suffix('\n').unwrap();
    assert!(check_password(password).is_ok(), "{password:?}");
    assert!(!added.stdout.contains(password) && !added.stderr.contains(password));
    assert!(user.get("password").is_none());
    // The customer's country is the usage location, as in the dashboard's form.
    let (_, c) = server.get_json(&format!("/v1/customers/{customer}")).await;
    assert_eq!(
        user["usageLocation"],
        c["billingProfile"]["defaultAddress"]["country"]
    );
    let id = user["id"].as_str().unwrap().to_string();
    assert!(upns(&users(&server, &customer, false).await).contains(&format!("jane@{domain}")));

    // Another add to the same file, not a retry: refused, the file left as it was.
    let ran = cspdash(
        &server,
        &[
            "users",
            "add",
            &customer,
            "--upn",
            "john",
            "--display-name",
            "John",
            "--password-out",
            file_arg,
        ],
    )
    .await;
    assert_eq!(ran.code, 2, "{ran:?}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);

    // Removed by UPN (any case): inactive, listed among the removed.
    let removed = cspdash(
        &server,
        &[
            "users",
            "remove",
            &domain,
            &format!("JANE@{domain}"),
            "-o",
            "csv",
        ],
    )
    .await
    .ok()
    .csv();
    assert_eq!(removed[0]["id"], id);
    assert_eq!(removed[0]["state"], "inactive");
    assert!(!removed[0]["softDeletionTime"].is_empty());
    let gone = cspdash(
        &server,
        &["users", "list", &customer, "--removed", "-o", "json"],
    )
    .await
    .ok()
    .json();
    assert!(
        gone.as_array()
            .unwrap()
            .iter()
            .any(|u| u["id"] == id.as_str())
    );
    // Removing again changes nothing and succeeds (a retried remove); said on stderr to a
    // person, not to a JSON reader.
    let said = cspdash(&server, &["users", "remove", &domain, &id])
        .await
        .ok();
    assert!(said.stderr.contains("already removed"), "{said:?}");
    let again = cspdash(&server, &["users", "remove", &domain, &id, "-o", "json"])
        .await
        .ok();
    assert!(again.stderr.is_empty(), "{again:?}");
    let again = again.json();
    assert_eq!(again["state"], "inactive");
    assert_eq!(again["attributes"]["etag"], gone_etag(&gone, &id));

    // Restored by id.
    let restored = cspdash(&server, &["users", "restore", &customer, &id, "-o", "json"])
        .await
        .ok()
        .json();
    assert_eq!(restored["state"], "active");
    assert!(upns(&users(&server, &customer, false).await).contains(&format!("jane@{domain}")));

    // A stale ETag (the one it had when removed) is a conflict, and nothing changes.
    let stale = again["attributes"]["etag"].as_str().unwrap();
    let ran = cspdash(
        &server,
        &[
            "users",
            "remove",
            &customer,
            &id,
            "--if-match",
            stale,
            "-o",
            "json",
        ],
    )
    .await;
    assert_eq!(ran.code, 5, "{ran:?}");
    assert_eq!(ran.error_json()["error"]["status"], 412);
    let (_, now) = server
        .get_json(&format!("/v1/customers/{customer}/users/{id}"))
        .await;
    assert_eq!(now["state"], "active");

    // --show-password prints it, and --password-stdin takes the caller's own.
    let shown = cspdash_at(
        &server,
        &server.url,
        &[
            "users",
            "add",
            &domain,
            "--upn",
            "kim",
            "--display-name",
            "Kim",
            "--password-stdin",
            "--show-password",
            "-o",
            "csv",
        ],
        Some("Own-pass-2026\n"),
    )
    .await
    .ok()
    .csv();
    assert_eq!(shown[0]["password"], "Own-pass-2026");
    assert_eq!(shown[0]["userPrincipalName"], format!("kim@{domain}"));
    let weak = cspdash_at(
        &server,
        &server.url,
        &[
            "users",
            "add",
            &domain,
            "--upn",
            "lee",
            "--display-name",
            "Lee",
            "--password-stdin",
        ],
        Some("short\n"),
    )
    .await;
    assert_eq!(weak.code, 2, "{weak:?}");
}

fn gone_etag(gone: &Value, id: &str) -> Value {
    gone.as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == id)
        .unwrap()["attributes"]["etag"]
        .clone()
}

#[tokio::test]
async fn the_same_request_id_twice_adds_one_user_and_keeps_one_password() {
    let server = spawn_server(20).await;
    let (customer, domain) = manageable_customer(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pw");
    let args = [
        "users",
        "add",
        &customer,
        "--upn",
        "twice",
        "--display-name",
        "Twice",
        "--password-out",
        file.to_str().unwrap(),
        "--request-id",
        "add-twice-1",
        "-o",
        "json",
    ];
    let before = users(&server, &customer, false).await.len();
    let first = cspdash(&server, &args).await.ok().json();
    let password = std::fs::read_to_string(&file).unwrap();
    let second = cspdash(&server, &args).await.ok().json();
    assert_eq!(first["id"], second["id"]);
    assert_eq!(users(&server, &customer, false).await.len(), before + 1);
    // The retry sent the password the file holds: the file is the one the user has.
    assert_eq!(std::fs::read_to_string(&file).unwrap(), password);
    assert_eq!(mode(&file), 0o600);
    let _ = domain;
}

/// A proxy in front of the server that records each `POST .../users` body and, while `lose` is
/// set, forwards it but answers 502: the user is made, the answer is lost.
#[derive(Clone)]
struct Lossy {
    target: String,
    http: reqwest::Client,
    posted: Arc<Mutex<Vec<Value>>>,
    lose: Arc<AtomicBool>,
}

async fn forward(
    State(proxy): State<Lossy>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let adds_user = method == Method::POST && uri.path().ends_with("/users");
    if adds_user {
        proxy
            .posted
            .lock()
            .unwrap()
            .push(serde_json::from_slice(&body).unwrap());
    }
    let mut request = proxy
        .http
        .request(method, format!("{}{uri}", proxy.target))
        .body(body);
    for (name, value) in &headers {
        if !matches!(
            name.as_str(),
            "host" | "content-length" | "accept-encoding" | "connection"
        ) {
            request = request.header(name, value);
        }
    }
    let answer = request.send().await.unwrap();
    if adds_user && proxy.lose.load(Ordering::SeqCst) {
        return (StatusCode::BAD_GATEWAY, "lost").into_response();
    }
    let status = StatusCode::from_u16(answer.status().as_u16()).unwrap();
    let mut back = HeaderMap::new();
    for name in ["content-type", "etag", "location"] {
        if let Some(value) = answer.headers().get(name) {
            back.insert(name, value.clone());
        }
    }
    let bytes = answer.bytes().await.unwrap();
    (status, back, bytes).into_response()
}

#[tokio::test]
async fn a_lost_answer_keeps_the_password_file_and_the_retry_sends_the_same_password() {
    let server = spawn_server(20).await;
    let (customer, domain) = manageable_customer(&server).await;
    let proxy = Lossy {
        target: server.url.clone(),
        http: reqwest::Client::new(),
        posted: Arc::default(),
        lose: Arc::new(AtomicBool::new(true)),
    };
    let router = axum::Router::new()
        .fallback(forward)
        .with_state(proxy.clone());
    let url = crate::fake_backend::serve(router).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pw");
    let mut args = vec![
        "users",
        "add",
        &domain,
        "--upn",
        "lost",
        "--display-name",
        "Lost Answer",
        "--password-out",
        file.to_str().unwrap(),
        "-o",
        "json",
    ];

    let lost = cspdash_at(&server, &url, &args, None).await;
    assert_eq!(lost.code, 1, "{lost:?}");
    // The failure names the request id to retry with; the file stays for that retry.
    let error = lost.error_json();
    assert_eq!(error["error"]["status"], 502);
    let request_id = error["error"]["requestId"].as_str().unwrap().to_string();
    let password = std::fs::read_to_string(&file).unwrap();
    assert!(upns(&users(&server, &customer, false).await).contains(&format!("lost@{domain}")));

    proxy.lose.store(false, Ordering::SeqCst);
    args.extend(["--request-id", &request_id]);
    let retried = cspdash_at(&server, &url, &args, None).await.ok().json();
    assert_eq!(retried["userPrincipalName"], format!("lost@{domain}"));
    let same: Vec<Value> = users(&server, &customer, false)
        .await
        .into_iter()
        .filter(|u| u["userPrincipalName"] == format!("lost@{domain}"))
        .collect();
    assert_eq!(same.len(), 1);
    assert_eq!(same[0]["id"], retried["id"]);
    // Every body the backend got, the first (the one that made the user) included, carried the
    // password the file holds.
    let posted = proxy.posted.lock().unwrap().clone();
    assert!(posted.len() >= 2, "{posted:?}");
    for body in &posted {
        assert_eq!(
            body["passwordProfile"]["password"].as_str().unwrap(),
            password.trim_end()
        );
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), password);
}

#[tokio::test]
async fn licenses_are_listed_assigned_by_part_number_and_removed() {
    let server = spawn_server(20).await;
    let (customer, domain) = manageable_customer(&server).await;
    let (_, skus) = server
        .get_json(&format!("/v1/customers/{customer}/subscribedskus"))
        .await;
    let skus = skus["items"].as_array().unwrap().clone();

    let listed = cspdash(&server, &["licenses", "list", &domain, "-o", "json"])
        .await
        .ok()
        .json();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), skus.len());
    for (row, sku) in listed.iter().zip(&skus) {
        assert_eq!(row["productSku"], sku["productSku"]);
        let free = sku["activeUnits"].as_i64().unwrap() - sku["consumedUnits"].as_i64().unwrap();
        assert_eq!(row["availableUnits"], free);
    }
    let csv = cspdash(&server, &["licenses", "list", &customer, "-o", "csv"])
        .await
        .ok()
        .csv();
    let tsv = cspdash(&server, &["licenses", "list", &customer])
        .await
        .ok()
        .tsv();
    assert_eq!(csv, tsv);
    assert_eq!(
        csv[0]["skuPartNumber"],
        listed[0]["productSku"]["skuPartNumber"]
    );

    // A fresh user, then a license of the SKU with the most free units, by part number.
    let sku = skus
        .iter()
        .max_by_key(|s| s["activeUnits"].as_i64().unwrap() - s["consumedUnits"].as_i64().unwrap())
        .unwrap();
    let sku_id = sku["productSku"]["id"].as_str().unwrap();
    let part = sku["productSku"]["skuPartNumber"].as_str().unwrap();
    let upn = format!("seat@{domain}");
    cspdash(
        &server,
        &[
            "users",
            "add",
            &customer,
            "--upn",
            &upn,
            "--display-name",
            "Seat",
            "--show-password",
        ],
    )
    .await
    .ok();
    let (_, consumed) = units(&server, &customer, sku_id).await;
    let assign = [
        "licenses",
        "assign",
        &customer,
        &upn,
        &part.to_lowercase(),
        "--request-id",
        "assign-seat",
        "-o",
        "json",
    ];
    let held = cspdash(&server, &assign).await.ok().json();
    assert_eq!(held.as_array().unwrap().len(), 1);
    assert_eq!(held[0]["productSku"]["id"], sku_id);
    assert_eq!(units(&server, &customer, sku_id).await.1, consumed + 1);
    // The same request id again takes no second unit.
    cspdash(&server, &assign).await.ok();
    assert_eq!(units(&server, &customer, sku_id).await.1, consumed + 1);
    let users_csv = cspdash(&server, &["users", "list", &customer, "-o", "csv"])
        .await
        .ok()
        .csv();
    let row = users_csv
        .iter()
        .find(|r| r["userPrincipalName"] == upn)
        .unwrap();
    assert_eq!(row["licenses"], part);

    // Removed by SKU id.
    let after = cspdash(
        &server,
        &["licenses", "remove", &customer, &upn, sku_id, "-o", "json"],
    )
    .await
    .ok()
    .json();
    assert_eq!(after, serde_json::json!([]));
    assert_eq!(units(&server, &customer, sku_id).await.1, consumed);

    // No free unit left: a conflict, and nothing assigned.
    server
        .sql(&format!(
            "UPDATE subscribed_skus SET active_units = {consumed} \
             WHERE customer_id = '{customer}' AND sku_id = '{sku_id}'"
        ))
        .await;
    let full = cspdash(
        &server,
        &["licenses", "assign", &customer, &upn, part, "-o", "json"],
    )
    .await;
    assert_eq!(full.code, 5, "{full:?}");
    assert_eq!(full.error_json()["error"]["status"], 409);
    assert_eq!(units(&server, &customer, sku_id).await.1, consumed);
}

#[tokio::test]
async fn unknown_names_are_exit_3_and_roles_that_may_not_are_exit_4() {
    let server = spawn_server(20).await;
    let (customer, domain) = manageable_customer(&server).await;
    let (_, skus) = server
        .get_json(&format!("/v1/customers/{customer}/subscribedskus"))
        .await;
    let part = skus["items"][0]["productSku"]["skuPartNumber"]
        .as_str()
        .unwrap()
        .to_string();
    let someone = users(&server, &customer, false).await[0]["userPrincipalName"]
        .as_str()
        .unwrap()
        .to_string();

    for args in [
        vec!["users", "remove", &customer, "nobody@nowhere.example"],
        vec![
            "users",
            "restore",
            &customer,
            "00000000-0000-4000-8000-000000000000",
        ],
        vec![
            "licenses",
            "assign",
            &customer,
            "nobody@nowhere.example",
            &part,
        ],
        vec!["licenses", "assign", &customer, &someone, "NO_SUCH_SKU"],
        vec!["users", "list", "no-such-customer.example"],
        vec!["licenses", "list", "no-such-customer.example"],
    ] {
        let ran = cspdash(&server, &args).await;
        assert_eq!(ran.code, 3, "{args:?}: {ran:?}");
    }

    // A taken sign-in name is a conflict.
    let ran = cspdash(
        &server,
        &[
            "users",
            "add",
            &domain,
            "--upn",
            &someone,
            "--display-name",
            "X",
            "--show-password",
        ],
    )
    .await;
    assert_eq!(ran.code, 5, "{ran:?}");

    // Sales and Helpdesk agents read users and licenses, and may not change them.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pw");
    for role in [Role::SalesAgent, Role::HelpdeskAgent] {
        cspdash_as(&server, CONTOSO, role, &["users", "list", &customer])
            .await
            .ok();
        cspdash_as(&server, CONTOSO, role, &["licenses", "list", &customer])
            .await
            .ok();
        let before = users(&server, &customer, false).await.len();
        let ran = cspdash_as(
            &server,
            CONTOSO,
            role,
            &[
                "users",
                "add",
                &customer,
                "--upn",
                "nope",
                "--display-name",
                "Nope",
                "--password-out",
                file.to_str().unwrap(),
            ],
        )
        .await;
        assert_eq!(ran.code, 4, "{role:?}: {ran:?}");
        assert_eq!(users(&server, &customer, false).await.len(), before);
        // Refused, so no account has that password: the file is gone again.
        assert!(!file.exists());
        for args in [
            vec!["users", "remove", &customer, &someone],
            vec!["licenses", "assign", &customer, &someone, &part],
        ] {
            let ran = cspdash_as(&server, CONTOSO, role, &args).await;
            assert_eq!(ran.code, 4, "{role:?} {args:?}: {ran:?}");
        }
    }
    let (_, still) = server
        .get_json(&format!("/v1/customers/{customer}/users"))
        .await;
    assert!(
        still["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["userPrincipalName"] == someone.as_str() && u["state"] == "active")
    );
}
