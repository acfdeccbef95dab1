//! `cspdash admin-relationships` through the real binary against the real server: the list in
//! every format and with the server's filters, a request that waits for approval with its link,
//! the bulk verbs (auto-extend on/off, terminate, assign) with their per-item outcomes, retries
//! with the same `--request-id`, and the exit codes a script branches on.
#![allow(clippy::unwrap_used)]

use cspdash::api::Role;
use cspdash::api::gdap::GLOBAL_ADMINISTRATOR;
use serde_json::Value;

use crate::helpers::{CONTOSO, TestServer, contract, spawn_server};
use crate::scripting::{cspdash, cspdash_as};

const CUSTOMERS: u32 = 60;
const BASE: &str = "/v1/tenantRelationships/delegatedAdminRelationships";

/// `admin-relationships ARGS -o json`, parsed (the run must succeed).
async fn rels(server: &TestServer, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["admin-relationships"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", "json"]);
    let json = cspdash(server, &all).await.ok().json();
    json.as_array().unwrap().clone()
}

fn ids(values: &[Value]) -> Vec<String> {
    values
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect()
}

fn has_ga(r: &Value) -> bool {
    r["accessDetails"]["unifiedRoles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|role| role["roleDefinitionId"] == GLOBAL_ADMINISTRATOR)
}

fn end(r: &Value) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(r["endDateTime"].as_str().unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc)
}

/// The relationship as the API has it now.
async fn read(server: &TestServer, id: &str) -> Value {
    let (status, body) = server.get_json(&format!("{BASE}/{id}")).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// A customer's domain by its tenant id.
async fn domain_of(server: &TestServer, tenant: &str) -> String {
    let customers = cspdash(server, &["customers", "list", "-o", "json"])
        .await
        .ok()
        .json();
    customers
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["companyProfile"]["tenantId"] == tenant)
        .map(|c| c["companyProfile"]["domain"].as_str().unwrap().to_string())
        .unwrap()
}

#[tokio::test]
async fn list_parses_back_in_every_format_and_the_server_filters_it() {
    let server = spawn_server(CUSTOMERS).await;
    let all = rels(&server, &["list"]).await;
    assert!(
        all.len() > 20,
        "the demo data has relationships: {}",
        all.len()
    );

    let csv = cspdash(&server, &["admin-relationships", "list", "-o", "csv"])
        .await
        .ok()
        .csv();
    let tsv = cspdash(&server, &["admin-relationships", "list"])
        .await
        .ok()
        .tsv();
    let jsonl = cspdash(&server, &["admin-relationships", "list", "-o", "jsonl"])
        .await
        .ok()
        .jsonl();
    assert_eq!(ids(&jsonl), ids(&all));
    assert_eq!(csv, tsv);
    for (row, json) in csv.iter().zip(&all) {
        assert_eq!(row["id"], json["id"].as_str().unwrap());
        assert_eq!(row["status"], json["status"].as_str().unwrap());
        assert_eq!(
            row["customerName"],
            json["customer"]["displayName"].as_str().unwrap()
        );
    }
    // Names, not GUIDs, in the roles column.
    assert!(csv.iter().any(|r| r["roles"].contains("Administrator")));

    // --status: exactly the ones with that status.
    let active = rels(&server, &["list", "--status", "active"]).await;
    let expected: Vec<&Value> = all.iter().filter(|r| r["status"] == "active").collect();
    assert_eq!(active.len(), expected.len());
    assert!(!active.is_empty());
    let pending = rels(&server, &["list", "--status", "approval-pending"]).await;
    assert!(pending.iter().all(|r| r["status"] == "approvalPending"));

    // --expiring-within: active ones that end within the days, soonest first; no more, no
    // fewer than the whole list says.
    let soon = rels(&server, &["list", "--expiring-within", "30d"]).await;
    let limit = chrono::Utc::now() + chrono::Duration::days(30);
    let by_hand: Vec<&Value> = active.iter().filter(|r| end(r) <= limit).collect();
    assert!(!soon.is_empty());
    assert_eq!(soon.len(), by_hand.len());
    assert!(soon.windows(2).all(|w| end(&w[0]) <= end(&w[1])));

    // --customer (by domain): only that customer's.
    let tenant = soon[0]["customer"]["tenantId"].as_str().unwrap();
    let domain = domain_of(&server, tenant).await;
    let theirs = rels(&server, &["list", "--customer", &domain]).await;
    assert!(!theirs.is_empty());
    assert!(theirs.iter().all(|r| r["customer"]["tenantId"] == tenant));
    assert_eq!(
        theirs.len(),
        all.iter()
            .filter(|r| r["customer"]["tenantId"] == tenant)
            .count()
    );

    // show: the wire object, the same as the list's.
    let one = cspdash(
        &server,
        &[
            "admin-relationships",
            "show",
            soon[0]["id"].as_str().unwrap(),
            "-o",
            "json",
        ],
    )
    .await
    .ok()
    .json();
    assert_eq!(one["id"], soon[0]["id"]);
    assert_eq!(one["endDateTime"], soon[0]["endDateTime"]);

    // Exit codes: 3 for an unknown id or customer, 2 for a status or duration that isn't one.
    let ran = cspdash(
        &server,
        &[
            "admin-relationships",
            "show",
            "00000000-0000-4000-8000-000000000000",
        ],
    )
    .await;
    assert_eq!(ran.code, 3, "{ran:?}");
    let ran = cspdash(
        &server,
        &[
            "admin-relationships",
            "list",
            "--customer",
            "nobody.example",
        ],
    )
    .await;
    assert_eq!(ran.code, 3, "{ran:?}");
    let ran = cspdash(&server, &["admin-relationships", "list", "--status", "ok"]).await;
    assert_eq!(ran.code, 2, "{ran:?}");
    let ran = cspdash(
        &server,
        &["admin-relationships", "list", "--expiring-within", "soon"],
    )
    .await;
    assert_eq!(ran.code, 2, "{ran:?}");
}

#[tokio::test]
async fn request_waits_for_approval_with_its_link_and_a_retry_makes_nothing_twice() {
    let server = spawn_server(CUSTOMERS).await;
    let customers = cspdash(&server, &["customers", "list", "-o", "json"])
        .await
        .ok()
        .json();
    let customer = &customers.as_array().unwrap()[3];
    let domain = customer["companyProfile"]["domain"].as_str().unwrap();
    let tenant = customer["companyProfile"]["tenantId"].as_str().unwrap();
    let before = rels(&server, &["list", "--customer", domain]).await.len();

    let args = [
        "admin-relationships",
        "request",
        domain,
        "--roles",
        // A name in another case, and a GUID.
        "directory readers,729827e3-9c14-49f7-bb1b-9608f156bbb8",
        "--duration",
        "365d",
        "--auto-extend",
        "--request-id",
        "cli-gdap-request-1",
        "-o",
        "json",
    ];
    let made = cspdash(&server, &args).await.ok().json();
    assert_eq!(made["status"], "approvalPending");
    assert_eq!(made["duration"], "P365D");
    assert_eq!(made["autoExtendDuration"], "P180D");
    assert_eq!(made["customer"]["tenantId"], tenant);
    let roles: Vec<&str> = made["accessDetails"]["unifiedRoles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["roleDefinitionId"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        [
            "88d8e3e3-8f55-4a1e-953a-9b9898b8876b",
            "729827e3-9c14-49f7-bb1b-9608f156bbb8"
        ]
    );
    // The dashboard's default name.
    let name = made["displayName"].as_str().unwrap();
    assert!(name.contains(" admin access "), "{name}");
    // The link the customer's Global admin opens: the approval page answers it.
    let url = made["approvalUrl"].as_str().unwrap();
    assert!(url.starts_with(&server.url), "{url}");
    let page = server.http.get(url).send().await.unwrap();
    assert_eq!(page.status(), 200);

    // show says the same: pending, with the link.
    let id = made["id"].as_str().unwrap();
    let shown = cspdash(&server, &["admin-relationships", "show", id, "-o", "csv"])
        .await
        .ok()
        .csv();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0]["status"], "approvalPending");
    assert_eq!(shown[0]["approvalUrl"], url);

    // The same --request-id again: the same relationship, nothing new.
    let again = cspdash(&server, &args).await.ok().json();
    assert_eq!(again["id"], made["id"]);
    assert_eq!(again["approvalUrl"], made["approvalUrl"]);
    let after = rels(&server, &["list", "--customer", domain]).await;
    assert_eq!(after.len(), before + 1);
    let before = after.len() + 1;

    // The same --request-id for a different request: the backend's 409, exit 5, and nothing
    // made.
    let ran = cspdash(
        &server,
        &[
            "admin-relationships",
            "request",
            domain,
            "--roles",
            "Directory Readers",
            "--request-id",
            "cli-gdap-request-1",
            "-o",
            "json",
        ],
    )
    .await;
    assert_eq!(ran.code, 5, "{ran:?}");
    let error = ran.error_json();
    assert_eq!(error["error"]["status"], 409);
    assert_eq!(error["error"]["requestId"], "cli-gdap-request-1");
    // A new request under the same default name: refused (400, exit 1) saying what to change;
    // with a name of its own it goes through.
    let ran = cspdash(
        &server,
        &[
            "admin-relationships",
            "request",
            domain,
            "--roles",
            "Directory Readers",
        ],
    )
    .await;
    assert_eq!(ran.code, 1, "{ran:?}");
    assert!(ran.stderr.contains("choose another name"), "{}", ran.stderr);
    let named = cspdash(
        &server,
        &[
            "admin-relationships",
            "request",
            domain,
            "--roles",
            "Directory Readers",
            "--name",
            "Readers only",
            "-o",
            "json",
        ],
    )
    .await
    .ok()
    .json();
    assert_eq!(named["displayName"], "Readers only");
    assert_eq!(named["autoExtendDuration"], "PT0S");
    assert_eq!(named["duration"], "P730D");

    // An unknown role name: usage (2), naming the roles there are; nothing sent.
    let ran = cspdash(
        &server,
        &[
            "admin-relationships",
            "request",
            domain,
            "--roles",
            "Directory Readers,Root",
        ],
    )
    .await;
    assert_eq!(ran.code, 2, "{ran:?}");
    assert!(ran.stderr.contains("\"Root\""), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("Helpdesk Administrator"),
        "{}",
        ran.stderr
    );
    // Auto-extend with Global Administrator: refused by the dashboard's own rule.
    let ran = cspdash(
        &server,
        &[
            "admin-relationships",
            "request",
            domain,
            "--roles",
            "Global Administrator",
            "--auto-extend",
        ],
    )
    .await;
    assert_eq!(ran.code, 2, "{ran:?}");
    assert!(
        ran.stderr.contains("Global Administrator"),
        "{}",
        ran.stderr
    );
    // A role that may not (DESIGN.md §3: GA, AA only): 4, nothing made.
    for role in [Role::SalesAgent, Role::HelpdeskAgent] {
        let ran = cspdash_as(
            &server,
            CONTOSO,
            role,
            &[
                "admin-relationships",
                "request",
                domain,
                "--roles",
                "Directory Readers",
            ],
        )
        .await;
        assert_eq!(ran.code, 4, "{role:?}: {ran:?}");
    }
    // An unknown customer: 3.
    let ran = cspdash(
        &server,
        &[
            "admin-relationships",
            "request",
            "nobody.example",
            "--roles",
            "Directory Readers",
        ],
    )
    .await;
    assert_eq!(ran.code, 3, "{ran:?}");
    assert_eq!(
        rels(&server, &["list", "--customer", domain]).await.len(),
        before
    );
}

contract! {
    async fn auto_extend_goes_off_and_on_for_several_ids_and_by_expiring_within() {
        let server = spawn_server(CUSTOMERS).await;
        let active = rels(&server, &["list", "--status", "active"]).await;
        let plain: Vec<String> = ids(
            &active
                .iter()
                .filter(|r| !has_ga(r))
                .take(3)
                .cloned()
                .collect::<Vec<_>>(),
        );
        assert_eq!(plain.len(), 3);
        let mut args = vec!["admin-relationships", "auto-extend", "off"];
        args.extend(plain.iter().map(String::as_str));
        args.extend(["-o", "jsonl"]);
        let results = cspdash(&server, &args).await.ok().jsonl();
        assert_eq!(ids(&results), plain);
        for id in &plain {
            assert_eq!(read(&server, id).await["autoExtendDuration"], "PT0S");
        }
        // Off again (a new request): nothing to do for each, said so, and not a failure.
        let again = cspdash(&server, &args).await.ok().jsonl();
        for r in &again {
            assert_eq!(r["outcome"], "skipped", "{r}");
            assert!(r["message"].as_str().unwrap().contains("does not auto-extend"), "{r}");
        }
        // On again: each succeeds and reads back as 180 days.
        args[2] = "on";
        let results = cspdash(&server, &args).await.ok().jsonl();
        for r in &results {
            assert_eq!(r["outcome"], "succeeded", "{r}");
            assert_eq!(r["relationship"]["autoExtendDuration"], "P180D");
        }
        for id in &plain {
            assert_eq!(read(&server, id).await["autoExtendDuration"], "P180D");
        }

        // By --expiring-within: exactly the list's relationships, off then on.
        let soon = rels(&server, &["list", "--expiring-within", "30d"]).await;
        assert!(soon.len() >= 2, "{}", soon.len());
        let off = cspdash(
            &server,
            &["admin-relationships", "auto-extend", "off", "--expiring-within", "30d", "-o", "csv"],
        )
        .await
        .ok()
        .csv();
        let off_ids: Vec<&str> = off.iter().map(|r| r["id"].as_str()).collect();
        assert_eq!(off_ids, ids(&soon));
        assert!(off.iter().all(|r| r["outcome"] != "failed"));
        assert!(
            rels(&server, &["list", "--expiring-within", "30d"])
                .await
                .iter()
                .all(|r| r["autoExtendDuration"] == "PT0S")
        );
        let on = cspdash(
            &server,
            &["admin-relationships", "auto-extend", "on", "--expiring-within", "30d", "-o", "json"],
        )
        .await
        .ok()
        .json();
        for r in on.as_array().unwrap() {
            let id = r["id"].as_str().unwrap();
            let now = read(&server, id).await;
            if has_ga(&now) {
                // Skipped with the reason, and the command still succeeds.
                assert_eq!(r["outcome"], "skipped", "{r}");
                assert!(r["message"].as_str().unwrap().contains("Global Administrator"));
                assert_eq!(now["autoExtendDuration"], "PT0S");
            } else {
                assert_eq!(r["outcome"], "succeeded", "{r}");
                assert_eq!(now["autoExtendDuration"], "P180D");
            }
        }

        // Not allowed for a Sales agent: 4, nothing changed.
        let ran = cspdash_as(
            &server,
            CONTOSO,
            Role::SalesAgent,
            &["admin-relationships", "auto-extend", "off", &plain[0]],
        )
        .await;
        assert_eq!(ran.code, 4, "{ran:?}");
        assert_eq!(read(&server, &plain[0]).await["autoExtendDuration"], "P180D");
        // Neither ids nor --expiring-within: usage.
        let ran = cspdash(&server, &["admin-relationships", "auto-extend", "on"]).await;
        assert_eq!(ran.code, 2, "{ran:?}");
    }
}

#[tokio::test]
async fn terminate_reports_each_item_and_the_same_request_id_terminates_once() {
    let server = spawn_server(CUSTOMERS).await;
    let active = rels(&server, &["list", "--status", "active"]).await;
    let (a, b) = (
        active[0]["id"].as_str().unwrap(),
        active[1]["id"].as_str().unwrap(),
    );
    // A role that may not: 4, and both stay active.
    let ran = cspdash_as(
        &server,
        CONTOSO,
        Role::HelpdeskAgent,
        &["admin-relationships", "terminate", a, b],
    )
    .await;
    assert_eq!(ran.code, 4, "{ran:?}");
    assert_eq!(read(&server, a).await["status"], "active");

    let args = [
        "admin-relationships",
        "terminate",
        a,
        b,
        "--request-id",
        "cli-gdap-terminate-1",
        "-o",
        "json",
    ];
    let first = cspdash(&server, &args).await.ok().json();
    let first = first.as_array().unwrap();
    assert_eq!(first.len(), 2);
    for r in first {
        assert_eq!(r["outcome"], "succeeded", "{r}");
        assert_ne!(r["relationship"]["status"], "active");
    }
    for id in [a, b] {
        assert_ne!(read(&server, id).await["status"], "active");
    }
    // Only this test terminates anything on its server.
    let records =
        "SELECT count(*) FROM audit_records WHERE operation = 'terminateAdminRelationship'";
    let once = server.scalar_i64(records).await;
    assert!(once >= 2, "{once}");
    // The retry with the same id answers what the first did and terminates nothing again.
    let again = cspdash(&server, &args).await.ok().json();
    assert_eq!(again.as_array().unwrap(), first);
    assert_eq!(server.scalar_i64(records).await, once);
    // A new request: nothing to do for those, and not a failure.
    let later = cspdash(
        &server,
        &["admin-relationships", "terminate", a, "-o", "json"],
    )
    .await
    .ok()
    .json();
    assert_ne!(later[0]["outcome"], "succeeded", "{later}");

    // An unknown id among known ones: its item failed (404), the others went ahead, and the
    // command exits 3 with its one line on stderr.
    let c = active[2]["id"].as_str().unwrap();
    let unknown = "00000000-0000-4000-8000-000000000000";
    let ran = cspdash(
        &server,
        &["admin-relationships", "terminate", c, unknown, "-o", "csv"],
    )
    .await;
    assert_eq!(ran.code, 3, "{ran:?}");
    let rows = ran.csv();
    assert_eq!(rows[0]["outcome"], "succeeded");
    assert_eq!(rows[1]["id"], unknown);
    assert_eq!(rows[1]["outcome"], "failed");
    assert_eq!(rows[1]["status"], "404");
    assert!(ran.stderr.contains(unknown), "{}", ran.stderr);
    assert_eq!(ran.stderr.trim().lines().count(), 1, "{}", ran.stderr);
    assert_ne!(read(&server, c).await["status"], "active");
}

#[tokio::test]
async fn assign_gives_a_security_group_by_name_the_roles_it_grants() {
    let server = spawn_server(CUSTOMERS).await;
    let active = rels(&server, &["list", "--status", "active"]).await;
    let helpdesk = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
    let target = active
        .iter()
        .find(|r| {
            r["accessDetails"]["unifiedRoles"]
                .as_array()
                .unwrap()
                .iter()
                .any(|role| role["roleDefinitionId"] == helpdesk)
        })
        .unwrap();
    let id = target["id"].as_str().unwrap();
    let (_, groups) = server.get_json("/v1/securitygroups").await;
    let group = &groups["value"][0];
    let name = group["displayName"].as_str().unwrap();

    let results = cspdash(
        &server,
        &[
            "admin-relationships",
            "assign",
            id,
            "--group",
            &name.to_uppercase(),
            "--roles",
            "Helpdesk Administrator",
            "-o",
            "json",
        ],
    )
    .await
    .ok()
    .json();
    assert_eq!(results[0]["outcome"], "succeeded", "{results}");
    let (status, assignments) = server
        .get_json(&format!("{BASE}/{id}/accessAssignments"))
        .await;
    assert_eq!(status, 200);
    let given = assignments["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["accessContainer"]["accessContainerId"] == group["id"])
        .unwrap();
    assert!(
        given["accessDetails"]["unifiedRoles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["roleDefinitionId"] == helpdesk),
        "{given}"
    );

    // No such group: 3, naming the partner's groups.
    let ran = cspdash(
        &server,
        &[
            "admin-relationships",
            "assign",
            id,
            "--group",
            "Nobody",
            "--roles",
            "Helpdesk Administrator",
        ],
    )
    .await;
    assert_eq!(ran.code, 3, "{ran:?}");
    assert!(ran.stderr.contains(name), "{}", ran.stderr);
    // No such role: 2.
    let ran = cspdash(
        &server,
        &[
            "admin-relationships",
            "assign",
            id,
            "--group",
            name,
            "--roles",
            "Root",
        ],
    )
    .await;
    assert_eq!(ran.code, 2, "{ran:?}");
    // Not allowed for a Sales agent: 4.
    let ran = cspdash_as(
        &server,
        CONTOSO,
        Role::SalesAgent,
        &[
            "admin-relationships",
            "assign",
            id,
            "--group",
            name,
            "--roles",
            "Helpdesk Administrator",
        ],
    )
    .await;
    assert_eq!(ran.code, 4, "{ran:?}");
}
