//! Links that close and forms that are not the server's: an expired code and a rotated one get a
//! clear 410 page and change nothing; a made-up, altered, foreign or expired CSRF token is
//! refused. Over real HTTP against the real server.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use cspdash::api::Role;
use cspdash::server::handlers::invite::csrf;
use cspdash::server::signing::Signer;
use reqwest::Method;

use crate::helpers::*;
use crate::invite::{accept, find_by_domain, hidden_csrf, invite_url, open};
use crate::invite_links::audit_ops;

fn code_of(url: &str) -> &str {
    url.rsplit('/').next().unwrap()
}

async fn expire_every_link(server: &TestServer) {
    server
        .sql("UPDATE invitations SET expires_at = '2000-01-01T00:00:00Z'")
        .await;
}

contract! {
    async fn an_expired_link_is_a_410_page_changes_nothing_and_a_new_link_is_issued() {
        let server = spawn_server(5).await;
        let url = invite_url(&server, CONTOSO, None).await;
        let (_, html, cookie) = open(&server, &url).await;
        // 90 days pass (the row says so).
        expire_every_link(&server).await;
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
}

contract! {
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
                .any(|(op, _)| op == "rotateInvitationLink")
        );
        // Fabrikam's link is not Contoso's to rotate.
        let fabrikam = invite_url(&server, FABRIKAM, None).await;
        let (status, _, _) = open(&server, &fabrikam).await;
        assert_eq!(status, 200);
    }
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

contract! {
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
}
