//! Invitation links as keys (DESIGN.md §3, "Acceptance page"): the general link only creates new
//! customers and confirms nothing about existing ones; a link issued for a customer restores that
//! customer only; links expire and rotate; the form's CSRF token is the server's; codes never
//! reach the log. All over real HTTP against the real server (and, for the log, the real binary).
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use cspdash::api::Role;
use cspdash::server::handlers::invite::csrf;
use cspdash::server::signing::Signer;
use cspdash::server::store::Store;
use reqwest::Method;
use serde_json::Value;

use crate::helpers::*;
use crate::invite::{accept, find_by_domain, hidden_csrf, invite_url, open};

fn code_of(url: &str) -> &str {
    url.rsplit('/').next().unwrap()
}

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

async fn audit_ops(server: &TestServer) -> Vec<(String, String)> {
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

#[tokio::test]
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
                "InvitationForExistingCustomer".into(),
                known["id"].as_str().unwrap().into()
            )),
            "the partner can see the attempt"
        );
    }
    let (_, page) = server.get_json("/v1/customers?size=1").await;
    assert_eq!(page["totalCount"], 51, "only the fresh domain was added");
}

#[tokio::test]
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

    // The form says another customer's domain: it must not redirect the link.
    let other_domain = removed["companyProfile"]["domain"].as_str().unwrap();
    let (status, page) = accept(&server, &url, "Someone Else", other_domain).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("is restored"), "{page}");
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
        "AcceptInvitation".into(),
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

#[tokio::test]
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

fn expire_every_link(server: &TestServer) {
    let conn = rusqlite::Connection::open(server.dir.path().join("test.db")).unwrap();
    conn.execute(
        "UPDATE invitations SET expires_at = '2000-01-01T00:00:00Z'",
        [],
    )
    .unwrap();
}

#[tokio::test]
async fn an_expired_link_is_a_410_page_changes_nothing_and_a_new_link_is_issued() {
    let server = spawn_server(5).await;
    let url = invite_url(&server, CONTOSO, None).await;
    let (_, html, cookie) = open(&server, &url).await;
    // 90 days pass (the row says so).
    expire_every_link(&server);
    let (status, page, _) = open(&server, &url).await;
    assert_eq!(status, 410);
    assert!(page.contains("has expired"), "{page}");
    let response = server
        .http
        .post(format!("{url}/accept"))
        .header("cookie", cookie.unwrap())
        .form(&[
            ("companyName", "Late GmbH"),
            ("domain", "late.onmicrosoft.com"),
            ("email", "it@late.example"),
            ("csrf", &hidden_csrf(&html)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 410);
    assert!(
        find_by_domain(&server, "late.onmicrosoft.com")
            .await
            .is_empty()
    );
    let fresh = invite_url(&server, CONTOSO, None).await;
    assert_ne!(fresh, url);
    let (status, _) = accept(&server, &fresh, "Late GmbH", "late.onmicrosoft.com").await;
    assert_eq!(status, 200);
    assert_eq!(
        find_by_domain(&server, "late.onmicrosoft.com").await.len(),
        1
    );
}

#[tokio::test]
async fn rotating_kills_the_old_general_link_and_the_new_one_works() {
    let server = spawn_server(5).await;
    let old = invite_url(&server, CONTOSO, None).await;
    let rotate = |role| {
        server
            .request(
                CONTOSO,
                role,
                Method::POST,
                "/v1/customers/relationshiprequests/rotate",
            )
            .send()
    };
    let (status, body) = json(rotate(Role::SalesAgent).await.unwrap()).await;
    assert_eq!(status, 403, "{body}");
    assert!(
        body["description"]
            .as_str()
            .unwrap()
            .contains("Global admin or Admin agent")
    );
    let (status, _, _) = open(&server, &old).await;
    assert_eq!(status, 200, "a refused rotation changes nothing");

    let (status, body) = json(rotate(Role::AdminAgent).await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    let new = body["url"].as_str().unwrap().to_string();
    assert_ne!(new, old);
    let (status, page, _) = open(&server, &old).await;
    assert_eq!(status, 410);
    assert!(page.contains("was replaced"), "{page}");
    let (status, _) = accept(&server, &new, "Rotated Ltd", "rotated.onmicrosoft.com").await;
    assert_eq!(status, 200);
    assert_eq!(
        find_by_domain(&server, "rotated.onmicrosoft.com")
            .await
            .len(),
        1
    );
    assert_eq!(
        invite_url(&server, CONTOSO, None).await,
        new,
        "the new link is the current one"
    );
    assert!(
        audit_ops(&server)
            .await
            .iter()
            .any(|(op, _)| op == "RotateInvitationLink")
    );
    // Fabrikam's link is not Contoso's to rotate.
    let fabrikam = invite_url(&server, FABRIKAM, None).await;
    let (status, _, _) = open(&server, &fabrikam).await;
    assert_eq!(status, 200);
}

/// Posts the form of `url` with this token as both the field and the cookie; waits out the
/// link's rate limit (a 429 says how long) so every attempt reaches the CSRF check.
async fn post_with_token(
    server: &TestServer,
    url: &str,
    token: &str,
    domain: &str,
) -> (u16, String) {
    loop {
        let response = server
            .http
            .post(format!("{url}/accept"))
            .header("cookie", format!("cspdash_csrf={token}"))
            .form(&[
                ("companyName", "Forged AB"),
                ("domain", domain),
                ("email", "it@forged.example"),
                ("csrf", token),
            ])
            .send()
            .await
            .unwrap();
        if response.status() == 429 {
            let wait: u64 = response.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            tokio::time::sleep(Duration::from_secs(wait)).await;
            continue;
        }
        return (response.status().as_u16(), response.text().await.unwrap());
    }
}

#[tokio::test]
async fn made_up_altered_foreign_and_expired_csrf_tokens_are_refused_and_change_nothing() {
    let server = spawn_server(5).await;
    let url = invite_url(&server, CONTOSO, None).await;
    let other = invite_url(&server, FABRIKAM, None).await;
    let (_, other_page, _) = open(&server, &other).await;
    let for_other_link = hidden_csrf(&other_page);
    let (_, page, _) = open(&server, &url).await;
    let good = hidden_csrf(&page);
    let mut altered = good.clone();
    let last = altered.pop().unwrap();
    altered.push(if last == 'A' { 'B' } else { 'A' });
    let signer = Signer::new(&server.store().secret("csrf").unwrap());
    let an_hour_ago = chrono::Utc::now().timestamp() - 3600;
    let expired = csrf::issue(&signer, code_of(&url), an_hour_ago).unwrap();

    for (what, token, says) in [
        (
            "made up",
            "0123456789abcdef0123456789abcdef",
            "not sent from this page",
        ),
        ("altered", altered.as_str(), "not sent from this page"),
        (
            "for another link",
            for_other_link.as_str(),
            "not sent from this page",
        ),
        ("expired", expired.as_str(), "expired"),
    ] {
        let (status, html) = post_with_token(&server, &url, token, "forged.onmicrosoft.com").await;
        assert_eq!(status, 403, "{what}: {html}");
        assert!(html.contains(says), "{what}: {html}");
        assert!(
            html.contains("value=\"Forged AB\""),
            "{what}: the input is kept"
        );
        assert!(
            find_by_domain(&server, "forged.onmicrosoft.com")
                .await
                .is_empty(),
            "{what}: nothing created"
        );
    }
    let (status, html) = post_with_token(&server, &url, &good, "forged.onmicrosoft.com").await;
    assert_eq!(status, 200, "the page's own token works: {html}");
    assert_eq!(
        find_by_domain(&server, "forged.onmicrosoft.com")
            .await
            .len(),
        1
    );
}
