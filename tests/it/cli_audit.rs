//! `cspdash audit [list]` through the real binary against the real server: a change made with
//! the CLI shows up in the log, `--customer` narrows it to one customer, `--since`/`--until`
//! to a time range, in both spellings (`audit`, `audit list`) and every format.
#![allow(clippy::unwrap_used)]

use cspdash::api::Role;
use cspdash::api::gdap::GLOBAL_ADMINISTRATOR;
use serde_json::Value;

use crate::helpers::{CONTOSO, TestServer, spawn_server};
use crate::scripting::{cspdash, cspdash_as};

/// A customer with an auto-extending relationship: (its id, domain, the relationship's id).
struct Target {
    customer_id: String,
    domain: String,
    relationship: String,
}

async fn targets(server: &TestServer) -> (Target, Target) {
    let rels = cspdash(
        server,
        &[
            "admin-relationships",
            "list",
            "--status",
            "active",
            "-o",
            "json",
        ],
    )
    .await
    .ok()
    .json();
    let customers = cspdash(server, &["customers", "list", "-o", "json"])
        .await
        .ok()
        .json();
    let mut found: Vec<Target> = Vec::new();
    let mut tenants: Vec<&Value> = Vec::new();
    for r in rels.as_array().unwrap() {
        let ga = r["accessDetails"]["unifiedRoles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|role| role["roleDefinitionId"] == GLOBAL_ADMINISTRATOR);
        let tenant = &r["customer"]["tenantId"];
        // Two customers, each with a relationship auto-extend can be turned off for.
        if ga || r["autoExtendDuration"] != "P180D" || tenants.contains(&tenant) {
            continue;
        }
        tenants.push(tenant);
        let customer = customers
            .as_array()
            .unwrap()
            .iter()
            .find(|c| &c["companyProfile"]["tenantId"] == tenant)
            .unwrap();
        found.push(Target {
            customer_id: customer["id"].as_str().unwrap().into(),
            domain: customer["companyProfile"]["domain"]
                .as_str()
                .unwrap()
                .into(),
            relationship: r["id"].as_str().unwrap().into(),
        });
        if found.len() == 2 {
            break;
        }
    }
    let second = found.pop().unwrap();
    (found.pop().unwrap(), second)
}

/// Auto-extend off for `t`'s relationship, through the CLI.
async fn change(server: &TestServer, t: &Target) {
    let results = cspdash(
        server,
        &[
            "admin-relationships",
            "auto-extend",
            "off",
            &t.relationship,
            "-o",
            "json",
        ],
    )
    .await
    .ok()
    .json();
    assert_eq!(results[0]["outcome"], "succeeded", "{results}");
}

/// The auto-extend changes among `records` made to `t`'s customer.
fn of<'a>(records: &'a [Value], t: &Target) -> Vec<&'a Value> {
    records
        .iter()
        .filter(|r| {
            r["customerId"] == t.customer_id.as_str()
                && r["operationType"] == "updateAdminRelationship"
                && r["after"].as_str().unwrap().contains("PT0S")
        })
        .collect()
}

async fn audit_json(server: &TestServer, args: &[&str]) -> Vec<Value> {
    let mut all = args.to_vec();
    all.extend(["-o", "json"]);
    cspdash(server, &all)
        .await
        .ok()
        .json()
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn audit_shows_a_change_made_with_the_cli_narrowed_by_customer_and_time() {
    let server = spawn_server(60).await;
    let (old, new) = targets(&server).await;

    // The old change, moved ten days back (the API cannot date a record).
    change(&server, &old).await;
    let ten_days_ago = (chrono::Utc::now() - chrono::Duration::days(10))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    server
        .sql(&format!(
            "UPDATE audit_records SET created_at = '{ten_days_ago}'"
        ))
        .await;
    change(&server, &new).await;

    // `audit` alone is `audit list`: both changes, newest first, with who made them.
    let all = audit_json(&server, &["audit"]).await;
    let listed = audit_json(&server, &["audit", "list"]).await;
    assert_eq!(all, listed);
    let (old_records, new_records) = (of(&all, &old), of(&all, &new));
    assert_eq!(old_records.len(), 1, "{all:?}");
    assert_eq!(new_records.len(), 1, "{all:?}");
    let record = new_records[0];
    assert!(!record["agent"].as_str().unwrap().is_empty());
    assert_eq!(record["resourceType"], "AdminRelationship");
    assert!(
        record["before"].as_str().unwrap().contains("P180D"),
        "{record}"
    );
    let position = |r: &Value| all.iter().position(|x| x == r).unwrap();
    assert!(position(record) < position(old_records[0]), "newest first");

    // --since 7d: the new change, not the old one; the same in both spellings and formats.
    let week = audit_json(&server, &["audit", "--since", "7d"]).await;
    assert_eq!(of(&week, &new).len(), 1);
    assert!(of(&week, &old).is_empty());
    let week_list = cspdash(&server, &["audit", "list", "--since", "7d", "-o", "jsonl"])
        .await
        .ok()
        .jsonl();
    assert_eq!(week_list, week);
    let week_csv = cspdash(&server, &["audit", "--since", "1w", "-o", "csv"])
        .await
        .ok()
        .csv();
    let csv_ids: Vec<String> = week_csv.iter().map(|r| r["id"].clone()).collect();
    let json_ids: Vec<String> = week.iter().map(|r| r["id"].to_string()).collect();
    assert_eq!(csv_ids, json_ids);
    // --since as a date, --until: the old one only.
    let five_days_ago = (chrono::Utc::now() - chrono::Duration::days(5))
        .date_naive()
        .to_string();
    let back_then = audit_json(&server, &["audit", "--until", &five_days_ago]).await;
    assert_eq!(of(&back_then, &old).len(), 1);
    assert!(of(&back_then, &new).is_empty());

    // --customer (by domain or id): only that customer's records.
    let theirs = cspdash(&server, &["audit", "--customer", &old.domain])
        .await
        .ok()
        .tsv();
    assert!(!theirs.is_empty());
    assert!(theirs.iter().all(|r| r["customerId"] == old.customer_id));
    let by_id = audit_json(&server, &["audit", "list", "--customer", &new.customer_id]).await;
    assert_eq!(of(&by_id, &new).len(), 1);
    assert!(
        by_id
            .iter()
            .all(|r| r["customerId"] == new.customer_id.as_str())
    );

    // Exit codes: 4 for a role that may not read the log, 3 for an unknown customer, 2 for a
    // time that isn't one.
    let ran = cspdash_as(&server, CONTOSO, Role::SalesAgent, &["audit"]).await;
    assert_eq!(ran.code, 4, "{ran:?}");
    let ran = cspdash(&server, &["audit", "--customer", "nobody.example"]).await;
    assert_eq!(ran.code, 3, "{ran:?}");
    let ran = cspdash(&server, &["audit", "--since", "last week"]).await;
    assert_eq!(ran.code, 2, "{ran:?}");
}
