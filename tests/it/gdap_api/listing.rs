//! The list: by end date (none last) then id, `$top` pages joined by `@odata.nextLink`, the
//! `$filter` terms, and the catalogs.

use std::collections::HashSet;

use cspdash::api::Role;
use cspdash::api::gdap::roles;
use cspdash::server::clock::Clock;
use reqwest::Method;

use super::*;

/// Walks every page from `first` as Contoso's Helpdesk agent: the items and the page count.
async fn walk_graph(server: &TestServer, first: &str) -> (Vec<Value>, usize) {
    let mut items = Vec::new();
    let mut path = first.to_string();
    let mut pages = 0;
    loop {
        let (status, page) = send(
            server,
            CONTOSO,
            Role::HelpdeskAgent,
            Method::GET,
            &path,
            None,
            &[],
        )
        .await;
        assert_eq!(status, 200, "{path}: {page}");
        pages += 1;
        items.extend(page["value"].as_array().unwrap().iter().cloned());
        match page["@odata.nextLink"].as_str() {
            Some(next) => {
                assert!(
                    next.starts_with("/v1/tenantRelationships/"),
                    "rooted at /v1/: {next}"
                );
                path = next.to_string();
            }
            None => return (items, pages),
        }
    }
}

fn end_key(r: &Value) -> (String, String) {
    (
        r["endDateTime"].as_str().unwrap_or("9999").to_string(),
        r["id"].as_str().unwrap().to_string(),
    )
}

/// Seven relationships over four customers: three active ending in 10, 40 and 400 days (in
/// that customer order), two pending, one created, one terminated.
async fn seven(server: &TestServer) -> Vec<Cust> {
    let custs = customers(server, CONTOSO, 4).await;
    for (n, days) in [(0, 10), (1, 40), (2, 400)] {
        let made = create(
            server,
            &custs[n].tenant,
            &format!("Active {days}"),
            HELPDESK,
        )
        .await;
        let id = made["id"].as_str().unwrap();
        let path = format!("{BASE}/{id}");
        let body = serde_json::json!({"duration": format!("P{days}D")});
        let (status, body) = send(
            server,
            CONTOSO,
            Role::AdminAgent,
            Method::PATCH,
            &path,
            Some(&body),
            &[("If-Match", "*")],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        activate(server, id).await;
    }
    for n in 0..2 {
        let made = create(server, &custs[3].tenant, &format!("Pending {n}"), HELPDESK).await;
        lock(server, made["id"].as_str().unwrap()).await;
    }
    create(server, &custs[3].tenant, "Draft", HELPDESK).await;
    let ended = create(server, &custs[0].tenant, "Withdrawn", HELPDESK).await;
    act(
        server,
        Role::AdminAgent,
        ended["id"].as_str().unwrap(),
        "terminate",
    )
    .await;
    custs
}

contract! {
    async fn pages_follow_next_links_in_end_date_order_without_repeats_or_gaps() {
        let server = spawn_server_without_admin_relationships(10).await;
        seven(&server).await;
        let (all, pages) = walk_graph(&server, &format!("{BASE}?$top=2&$orderby=endDateTime")).await;
        assert_eq!(pages, 4);
        assert_eq!(all.len(), 7);
        let keys: Vec<(String, String)> = all.iter().map(end_key).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "by end date, none last, then id");
        let names: Vec<&str> = all
            .iter()
            .take(3)
            .map(|r| r["displayName"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Active 10", "Active 40", "Active 400"]);
        let unique: HashSet<&str> = all.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(unique.len(), 7);
        for r in &all {
            assert!(r["@odata.etag"].is_string(), "{r}");
            assert_eq!(
                r.get("approvalUrl").is_some(),
                r["status"] == "approvalPending",
                "{r}"
            );
        }
        let (one_page, pages) = walk_graph(&server, BASE).await;
        assert_eq!((one_page.len(), pages), (7, 1));
        // Another partner sees none of them.
        let (_, theirs) = send(
            &server,
            FABRIKAM,
            Role::AdminAgent,
            Method::GET,
            BASE,
            None,
            &[],
        )
        .await;
        assert_eq!(theirs["value"], serde_json::json!([]));
    }
}

fn filtered(expression: &str, top: u32) -> String {
    let encoded =
        percent_encoding::utf8_percent_encode(expression, percent_encoding::NON_ALPHANUMERIC);
    format!("{BASE}?$top={top}&$filter={encoded}")
}

contract! {
    async fn filters_pick_by_status_customer_and_end_date_and_keep_to_their_pages() {
        let server = spawn_server_without_admin_relationships(10).await;
        let custs = seven(&server).await;
        let statuses = |items: &[Value]| -> Vec<String> {
            items
                .iter()
                .map(|r| r["status"].as_str().unwrap().to_string())
                .collect()
        };
        let (active, pages) = walk_graph(&server, &filtered("status eq 'active'", 1)).await;
        assert_eq!(
            (statuses(&active), pages),
            (vec!["active".to_string(); 3], 3)
        );
        let (pending, _) = walk_graph(&server, &filtered("status eq 'approvalPending'", 1)).await;
        assert_eq!(pending.len(), 2);
        let of_last = format!("customer/tenantId eq '{}'", custs[3].tenant);
        let (theirs, _) = walk_graph(&server, &filtered(&of_last, 100)).await;
        assert_eq!(theirs.len(), 3);
        assert!(
            theirs
                .iter()
                .all(|r| r["customer"]["tenantId"] == custs[3].tenant.as_str())
        );
        let in_60_days = (server.clock.now() + chrono::TimeDelta::days(60)).to_rfc3339();
        let (soon, _) = walk_graph(
            &server,
            &filtered(&format!("endDateTime le '{in_60_days}'"), 1),
        )
        .await;
        let names: Vec<&str> = soon
            .iter()
            .map(|r| r["displayName"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Active 10", "Active 40"]);
        let both = format!(
            "status eq 'active' and customer/tenantId eq '{}'",
            custs[2].tenant
        );
        let (one, _) = walk_graph(&server, &filtered(&both, 100)).await;
        assert_eq!(one.len(), 1);
        assert_eq!(one[0]["displayName"], "Active 400");

        for (path, expected) in [
            (filtered("status eq 'sleeping'", 10), "$filter"),
            (filtered("displayName eq 'x'", 10), "$filter"),
            (format!("{BASE}?$top=0"), "$top"),
            (format!("{BASE}?$skiptoken=forged.token"), "$skiptoken"),
            (format!("{BASE}?$orderby=displayName"), "$orderby"),
        ] {
            let (status, body) = send(
                &server,
                CONTOSO,
                Role::SalesAgent,
                Method::GET,
                &path,
                None,
                &[],
            )
            .await;
            assert_eq!((status, field(&body)), (400, expected), "{path}: {body}");
        }
    }
}

contract! {
    async fn the_catalogs_list_every_requestable_role_and_each_partners_own_security_groups() {
        let server = spawn_server_without_admin_relationships(3).await;
        let (status, roles_listed) = send(
            &server,
            CONTOSO,
            Role::HelpdeskAgent,
            Method::GET,
            "/v1/roledefinitions",
            None,
            &[],
        )
        .await;
        assert_eq!(status, 200);
        let listed = roles_listed["value"].as_array().unwrap();
        assert_eq!(listed.len(), roles::REQUESTABLE.len());
        let ga = listed
            .iter()
            .find(|r| r["id"] == roles::GLOBAL_ADMINISTRATOR)
            .unwrap();
        assert_eq!(ga["displayName"], "Global Administrator");
        assert!(
            listed
                .iter()
                .all(|r| !r["description"].as_str().unwrap().is_empty())
        );
        let contoso = groups(&server, CONTOSO).await;
        let fabrikam = groups(&server, FABRIKAM).await;
        assert!(
            contoso.iter().all(|g| !fabrikam.contains(g)),
            "each partner sees its own groups"
        );
        let response = server
            .http
            .get(format!("{}/v1/roledefinitions", server.url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 401, "a token is needed");
    }
}
