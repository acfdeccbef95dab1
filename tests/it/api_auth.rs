//! Nobody gets what isn't theirs: tokens, partner isolation, rate limits. The role matrix of
//! DESIGN.md §3 is walked in `role_matrix`.
#![allow(clippy::unwrap_used)]

use cspdash::api::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

contract! {
    async fn no_token_or_an_unknown_token_is_401() {
        let server = spawn_server(5).await;
        let none = server
            .http
            .get(format!("{}/v1/customers", server.url))
            .send()
            .await
            .unwrap();
        assert_eq!(none.status(), 401);
        assert_eq!(none.headers()["www-authenticate"], "Bearer");
        let bad = server
            .http
            .get(format!("{}/v1/me", server.url))
            .bearer_auth("csp_not-a-real-token")
            .send()
            .await
            .unwrap();
        let (status, body) = json(bad).await;
        assert_eq!(status, 401);
        assert_eq!(body["errorName"], "Unauthorized");
    }
}

contract! {
    async fn me_names_the_partner_the_agent_the_role_and_what_it_can_do() {
        let server = spawn_server(5).await;
        let response = server
            .request(FABRIKAM, Role::HelpdeskAgent, Method::GET, "/v1/me")
            .send()
            .await
            .unwrap();
        let (_, me) = json(response).await;
        assert_eq!(me["partnerName"], FABRIKAM);
        assert_eq!(me["role"], "helpdesk-agent");
        assert_eq!(me["agent"], "Johanna Lorenz");
        let can: Vec<&str> = me["can"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(can.contains(&"servicerequests.manage"));
        assert!(!can.contains(&"customers.create"));
    }
}

async fn contoso_customer(server: &TestServer) -> String {
    let (_, page) = server.get_json("/v1/customers?size=1").await;
    page["items"][0]["id"].as_str().unwrap().to_string()
}

contract! {
    async fn another_partners_customer_is_404_by_id_in_lists_in_search_and_below() {
        let server = spawn_server(50).await;
        let id = contoso_customer(&server).await;
        let fabrikam =
            |method: Method, path: &str| server.request(FABRIKAM, Role::GlobalAdmin, method, path);
        for sub in [
            "",
            "/subscriptions",
            "/subscribedskus",
            "/users",
            "/purchasepermission",
        ] {
            let (status, body) = json(
                fabrikam(Method::GET, &format!("/v1/customers/{id}{sub}"))
                    .send()
                    .await
                    .unwrap(),
            )
            .await;
            assert_eq!(status, 404, "{sub}: {body}");
            assert!(!body.to_string().contains(&id[..8]) || body["errorName"] == "NotFound");
        }
        let patch = fabrikam(Method::PATCH, &format!("/v1/customers/{id}"))
            .header("If-Match", "*")
            .json(&json!({"relationshipToPartner": "none"}));
        assert_eq!(patch.send().await.unwrap().status(), 404);
        let (items, _) = walk(&server, FABRIKAM, "/v1/customers?size=1000").await;
        assert_eq!(items.len(), 6);
        assert!(items.iter().all(|c| c["id"] != id.as_str()));
        let url = filter_path("CompanyName", "Müller", 100);
        let (_, found) = json(fabrikam(Method::GET, &url).send().await.unwrap()).await;
        assert_eq!(found["totalCount"], 0, "{found}");
        // And Contoso's own agent still sees it: the 404 above was isolation, not a broken route.
        let (status, _) = server.get_json(&format!("/v1/customers/{id}")).await;
        assert_eq!(status, 200);
    }
}

contract! {
    async fn a_continuation_token_from_another_partner_reveals_nothing_of_theirs() {
        let server = spawn_server(300).await;
        let (_, page) = server.get_json("/v1/customers?size=10").await;
        let token = page["links"]["next"]["headers"][0]["value"]
            .as_str()
            .unwrap();
        let response = server
            .request(
                FABRIKAM,
                Role::GlobalAdmin,
                Method::GET,
                "/v1/customers?size=10",
            )
            .header("MS-ContinuationToken", token)
            .send()
            .await
            .unwrap();
        let (_, body) = json(response).await;
        let (own, _) = walk(&server, FABRIKAM, "/v1/customers?size=1000").await;
        let own_ids: Vec<&Value> = own.iter().map(|c| &c["id"]).collect();
        for c in body["items"].as_array().unwrap() {
            assert!(
                own_ids.contains(&&c["id"]),
                "a Contoso customer leaked: {c}"
            );
        }
        assert!(body["totalCount"].as_u64().unwrap() <= 6);
    }
}

contract! {
    async fn a_helpdesk_agent_adding_a_customer_is_told_which_roles_may() {
        let server = spawn_server(5).await;
        let response = server
            .request(CONTOSO, Role::HelpdeskAgent, Method::POST, "/v1/customers")
            .json(&new_customer("Nope Ltd", "nope.onmicrosoft.com"))
            .send()
            .await
            .unwrap();
        let (status, body) = json(response).await;
        assert_eq!(status, 403);
        assert_eq!(
            body["description"],
            "a Helpdesk agent may not do this; it needs Global admin, Admin agent or Sales agent"
        );
    }
}

contract! {
    async fn a_burst_past_the_rate_limit_gets_429_with_retry_after() {
        let server = spawn_server_with(5, 5).await;
        let mut limited = None;
        for _ in 0..30 {
            let response = server.get("/v1/me").send().await.unwrap();
            if response.status() == 429 {
                limited = Some(response);
                break;
            }
        }
        let response = limited.expect("no 429 after 30 requests at a limit of 5/s, burst 10");
        assert_eq!(response.headers()["retry-after"], "1");
        let (_, body) = json(response).await;
        assert_eq!(body["errorName"], "TooManyRequests");
        // Another token has its own budget.
        let other = server
            .request(CONTOSO, Role::SalesAgent, Method::GET, "/v1/me")
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), 200);
    }
}
