//! Invitation links as keys (DESIGN.md §3, "Acceptance page"): the general link only creates new
//! customers and confirms nothing about existing ones; a link issued for a customer restores that
//! customer only. Over real HTTP against the real server. Expiry, rotation and CSRF are in
//! `invite_closed`, the log in `invite_logs`.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use cspdash::api::Role;
use reqwest::Method;
use serde_json::Value;

use crate::helpers::*;
use crate::invite::{accept, invite_url, open};

async fn link_for(
    server: &TestServer,
    partner: &'static str,
    role: Role,
    customer_id: &str,
) -> (u16, Value) {
    let path = format!("/v1/customers/relationshiprequests?customerId={customer_id}");
    json(
        server
            .request(partner, role, Method::GET, &path)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn customer(server: &TestServer, id: &str) -> Value {
    let (status, body) = server.get_json(&format!("/v1/customers/{id}")).await;
    assert_eq!(status, 200, "{body}");
    body
}

pub async fn audit_ops(server: &TestServer) -> Vec<(String, String)> {
    let (_, audit) = server.get_json("/v1/auditrecords").await;
    audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["operationType"].as_str().unwrap().to_string(),
                a["customerId"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// One ended customer and one whose admin permissions were removed, from the demo data.
async fn ended_and_removed(server: &TestServer) -> (Value, Value) {
    let (items, _) = walk(server, CONTOSO, "/v1/customers?size=1000").await;
    let ended = items
        .iter()
        .find(|c| c["relationshipToPartner"] == "none")
        .unwrap()
        .clone();
    let removed = items
        .iter()
        .find(|c| c["relationshipToPartner"] == "reseller" && c["allowDelegatedAccess"] == false)
        .unwrap()
        .clone();
    (ended, removed)
}

contract! {
    async fn the_general_link_with_a_known_domain_changes_nothing_reveals_nothing_and_is_audited() {
        let server = spawn_server(50).await;
        let (ended, removed) = ended_and_removed(&server).await;
        let url = invite_url(&server, CONTOSO, None).await;
        let (_, form, _) = open(&server, &url).await;
        assert!(
            !form.contains("already a customer"),
            "the form no longer invites typing a known domain: {form}"
        );
        let (_, new_page) = accept(&server, &url, "Typed Name AG", "fresh.onmicrosoft.com").await;
        for known in [&ended, &removed] {
            let domain = known["companyProfile"]["domain"].as_str().unwrap();
            let stored_name = known["companyProfile"]["companyName"].as_str().unwrap();
            let (status, page) = accept(&server, &url, "Typed Name AG", domain).await;
            assert_eq!(status, 200, "{page}");
            assert!(page.contains("Request received"), "{page}");
            assert!(!page.contains(stored_name), "no stored name: {page}");
            assert_eq!(
                page.replace(domain, "D"),
                new_page.replace("fresh.onmicrosoft.com", "D"),
                "a known domain reads exactly as a new one"
            );
            let after = customer(&server, known["id"].as_str().unwrap()).await;
            for field in [
                "relationshipToPartner",
                "allowDelegatedAccess",
                "companyProfile",
            ] {
                assert_eq!(after[field], known[field], "{field} unchanged");
            }
            assert!(
                audit_ops(&server).await.contains(&(
                    "invitationForExistingCustomer".into(),
                    known["id"].as_str().unwrap().into()
                )),
                "the partner can see the attempt"
            );
        }
        let (_, page) = server.get_json("/v1/customers?size=1").await;
        assert_eq!(page["totalCount"], 51, "only the fresh domain was added");
    }
}

contract! {
    async fn a_link_issued_for_a_customer_restores_that_customer_only_whatever_the_form_says() {
        let server = spawn_server(50).await;
        let (ended, removed) = ended_and_removed(&server).await;
        let events = server
            .request(CONTOSO, Role::HelpdeskAgent, Method::GET, "/v1/events")
            .send()
            .await
            .unwrap();
        let (status, link) = link_for(
            &server,
            CONTOSO,
            Role::SalesAgent,
            ended["id"].as_str().unwrap(),
        )
        .await;
        assert_eq!(status, 200, "{link}");
        let url = link["url"].as_str().unwrap().to_string();
        assert_ne!(
            url,
            invite_url(&server, CONTOSO, None).await,
            "not the general link"
        );
        let (status, form, _) = open(&server, &url).await;
        assert_eq!(status, 200);
        let name = ended["companyProfile"]["companyName"].as_str().unwrap();
        assert!(form.contains("Restore a reseller relationship"), "{form}");
        assert!(
            form.contains(&maud::html!((name)).into_string()),
            "names its customer: {form}"
        );
        // What it restores, and where admin access itself comes from now (GDAP).
        assert!(
            form.contains("reseller relationship and its legacy admin permissions setting"),
            "{form}"
        );
        assert!(
            form.contains("Admin access to your tenant is separate")
                && form.contains("admin relationship request")
                && form.contains("a Global administrator of your organization approves"),
            "{form}"
        );

        // The form says another customer's domain: it must not redirect the link.
        let other_domain = removed["companyProfile"]["domain"].as_str().unwrap();
        let (status, page) = accept(&server, &url, "Someone Else", other_domain).await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("is restored"), "{page}");
        assert!(
            page.contains("Admin access itself comes through the admin relationship request"),
            "{page}"
        );
        let after = customer(&server, ended["id"].as_str().unwrap()).await;
        assert_eq!(after["relationshipToPartner"], "reseller");
        assert_eq!(after["allowDelegatedAccess"], true);
        assert_eq!(
            after["companyProfile"], ended["companyProfile"],
            "nothing else changed"
        );
        let untouched = customer(&server, removed["id"].as_str().unwrap()).await;
        assert_eq!(
            untouched["allowDelegatedAccess"], false,
            "the other customer is untouched"
        );
        let (_, page) = server.get_json("/v1/customers?size=1").await;
        assert_eq!(page["totalCount"], 50, "nothing created");
        assert!(audit_ops(&server).await.contains(&(
            "acceptInvitation".into(),
            ended["id"].as_str().unwrap().into()
        )));
        let got = crate::invite::next_events(events, 1, Duration::from_secs(10)).await;
        assert_eq!(got.len(), 1, "an event within 10 s");
        assert_eq!(got[0]["type"], "customer.updated");
        assert_eq!(got[0]["customer"]["id"], ended["id"]);

        // Spent: the same link again is a clear page, and a new one can be asked for.
        let (status, html, _) = open(&server, &url).await;
        assert_eq!(status, 410);
        assert!(html.contains("already used"), "{html}");
        let (_, again) = link_for(
            &server,
            CONTOSO,
            Role::AdminAgent,
            ended["id"].as_str().unwrap(),
        )
        .await;
        assert_ne!(again["url"].as_str().unwrap(), url);

        // Removed admin permissions come back the same way.
        let (_, link) = link_for(
            &server,
            CONTOSO,
            Role::GlobalAdmin,
            removed["id"].as_str().unwrap(),
        )
        .await;
        let (status, page) = accept(&server, link["url"].as_str().unwrap(), "", "").await;
        assert_eq!(status, 200, "{page}");
        let after = customer(&server, removed["id"].as_str().unwrap()).await;
        assert_eq!(after["allowDelegatedAccess"], true);
    }
}

contract! {
    async fn a_link_for_another_partners_customer_or_an_unknown_one_is_404_and_helpdesk_gets_none() {
        let server = spawn_server(5).await;
        let (fabrikam, _) = walk(&server, FABRIKAM, "/v1/customers").await;
        let theirs = fabrikam[0]["id"].as_str().unwrap();
        let (status, _) = link_for(&server, CONTOSO, Role::GlobalAdmin, theirs).await;
        assert_eq!(status, 404);
        let (status, _) = link_for(&server, CONTOSO, Role::GlobalAdmin, "no-such-id").await;
        assert_eq!(status, 404);
        let (status, body) = link_for(&server, FABRIKAM, Role::HelpdeskAgent, theirs).await;
        assert_eq!(status, 403, "{body}");
        let (status, _) = link_for(&server, FABRIKAM, Role::SalesAgent, theirs).await;
        assert_eq!(status, 200);
    }
}
