//! The role matrix of DESIGN.md §3, walked: every route × every role × the caller's own partner's
//! resource and another partner's, each answer checked against the table below (2xx where the
//! role may, 403 naming who may where it may not, 404 for another partner's resource). One row
//! per route: adding a route is adding its row.
#![allow(clippy::unwrap_used)]

use cspdash::api::{Permission, Role};
use reqwest::Method;
use serde_json::Value;

use crate::helpers::*;

/// What a row sends besides its method and path. Writes are repeatable, so one row never breaks
/// a later one: `If-Match: *` with a value the resource may already have, a fresh domain per new
/// customer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Body {
    None,
    /// POST /v1/customers: a valid new customer with a domain of its own.
    NewCustomer,
    /// `If-Match: *` and this JSON.
    Put(&'static str),
    /// An event stream: the status is the answer (the body never ends).
    Stream,
}

/// (method, path, body, roles that may, as DESIGN.md §3 writes them). `{id}` is a customer: the
/// caller's own, then another partner's (which must be 404 to a role that may, 403 to one that
/// may not). Rows without `{id}` have no other partner's variant.
///
/// Routes still to add here (a placeholder goes into `Ids` and `fill`): the writes on users —
/// POST `/v1/customers/{id}/users`, DELETE/PATCH `.../users/{uid}`, POST
/// `.../users/{uid}/licenseupdates` (each needs a body that can be sent again without breaking a
/// later row: a fresh UPN per request, a removed user to restore) — and, from other branches,
/// GET/PUT `/v1/customers/{id}/supportcontacts`, GET/POST `/v1/customers/{id}/servicerequests`,
/// the admin-relationship routes under `/v1/tenantRelationships`, `/v1/securitygroups` and
/// `/v1/roledefinitions`.
const ROUTES: &[(&str, &str, Body, &str)] = &[
    ("GET", "/v1/me", Body::None, "GA AA SA HA"),
    ("GET", "/v1/agents", Body::None, "GA AA SA HA"),
    ("GET", "/v1/customers", Body::None, "GA AA SA HA"),
    ("GET", "/v1/customers/{id}", Body::None, "GA AA SA HA"),
    ("POST", "/v1/customers", Body::NewCustomer, "GA AA SA"),
    (
        "PATCH",
        "/v1/customers/{id}",
        Body::Put(r#"{"relationshipToPartner":"reseller"}"#),
        "GA AA",
    ),
    (
        "GET",
        "/v1/customers/relationshiprequests",
        Body::None,
        "GA AA SA",
    ),
    (
        "GET",
        "/v1/customers/relationshiprequests?customerId={id}",
        Body::None,
        "GA AA SA",
    ),
    (
        "POST",
        "/v1/customers/relationshiprequests/rotate",
        Body::None,
        "GA AA",
    ),
    (
        "GET",
        "/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf",
        Body::None,
        "GA AA SA",
    ),
    (
        "GET",
        "/v1/customers/{id}/purchasepermission",
        Body::None,
        "GA AA SA HA",
    ),
    (
        "PUT",
        "/v1/customers/{id}/purchasepermission",
        Body::Put(r#"{"allowCustomerPurchase":true}"#),
        "GA AA",
    ),
    (
        "GET",
        "/v1/customers/{id}/subscriptions",
        Body::None,
        "GA AA SA HA",
    ),
    (
        "GET",
        "/v1/customers/{id}/subscribedskus",
        Body::None,
        "GA AA SA HA",
    ),
    ("GET", "/v1/customers/{id}/users", Body::None, "GA AA SA HA"),
    (
        "GET",
        "/v1/customers/{id}/users/{uid}",
        Body::None,
        "GA AA SA HA",
    ),
    (
        "GET",
        "/v1/customers/{id}/users/{uid}/licenses",
        Body::None,
        "GA AA SA HA",
    ),
    ("GET", "/v1/auditrecords", Body::None, "GA AA"),
    (
        "GET",
        "/v1/auditrecords?customerId={id}",
        Body::None,
        "GA AA",
    ),
    ("GET", "/v1/events", Body::Stream, "GA AA SA HA"),
];

/// The resources a path's placeholders name, per partner.
struct Ids {
    customer: String,
    /// One of the customer's users.
    user: String,
}

fn fill(template: &str, ids: &Ids) -> String {
    template
        .replace("{id}", &ids.customer)
        .replace("{uid}", &ids.user)
}

fn short(role: Role) -> &'static str {
    match role {
        Role::GlobalAdmin => "GA",
        Role::AdminAgent => "AA",
        Role::SalesAgent => "SA",
        Role::HelpdeskAgent => "HA",
    }
}

/// The partner's first customer that has users, and its first user.
async fn first_customer(server: &TestServer, partner: &'static str) -> Ids {
    let get = |path: String| async move {
        let request = server.request(partner, Role::GlobalAdmin, Method::GET, &path);
        json(request.send().await.unwrap()).await.1
    };
    let page = get("/v1/customers?size=20".to_string()).await;
    for customer in page["items"].as_array().unwrap() {
        let id = customer["id"].as_str().unwrap().to_string();
        let users = get(format!("/v1/customers/{id}/users")).await;
        if let Some(user) = users["items"][0]["id"].as_str() {
            return Ids {
                customer: id,
                user: user.to_string(),
            };
        }
    }
    panic!("{partner} has no customer with users among its first 20");
}

#[tokio::test]
async fn every_route_answers_every_role_for_its_own_and_another_partners_resources_as_the_matrix_says()
 {
    let server = spawn_server(10).await;
    let own = first_customer(&server, CONTOSO).await;
    let other = first_customer(&server, FABRIKAM).await;
    let mut serial = 0;
    let mut checked = 0;
    for (method, template, body, allowed) in ROUTES {
        let owners: &[(&str, &Ids)] = match template.contains('{') {
            true => &[("own", &own), ("another partner's", &other)],
            false => &[("own", &own)],
        };
        for role in Role::ALL {
            let may = allowed.split(' ').any(|r| r == short(role));
            for (whose, ids) in owners {
                serial += 1;
                let path = fill(template, ids);
                let what = format!("{method} {path} ({whose}) as {role}");
                let mut request = server.request(CONTOSO, role, method.parse().unwrap(), &path);
                request = match body {
                    Body::NewCustomer => request
                        .header("MS-RequestId", format!("matrix-{serial}"))
                        .json(&new_customer(
                            "Matrix Co",
                            &format!("matrix{serial}.onmicrosoft.com"),
                        )),
                    Body::Put(value) => request
                        .header("If-Match", "*")
                        .json(&serde_json::from_str::<Value>(value).unwrap()),
                    Body::None | Body::Stream => request,
                };
                let sent = request.send().await.unwrap();
                checked += 1;
                let status = sent.status().as_u16();
                if *body == Body::Stream && may {
                    assert_eq!(status, 200, "{what}");
                    continue;
                }
                let (_, response) = json(sent).await;
                match (may, *whose == "own") {
                    (true, true) => {
                        assert!((200..300).contains(&status), "{what}: {status} {response}")
                    }
                    (true, false) => assert_eq!(status, 404, "{what}: {response}"),
                    // The role is checked first: a refused role learns nothing about the resource.
                    (false, _) => {
                        assert_eq!(status, 403, "{what}: {response}");
                        let description = response["description"].as_str().unwrap();
                        assert!(
                            description.contains("Global admin"),
                            "{what}: a 403 names who may: {description}"
                        );
                    }
                }
            }
        }
    }
    let scoped = ROUTES.iter().filter(|r| r.1.contains('{')).count();
    assert_eq!(checked, (ROUTES.len() + scoped) * Role::ALL.len());
}

#[tokio::test]
async fn me_says_exactly_what_each_role_may_do() {
    let server = spawn_server(5).await;
    for partner in [CONTOSO, FABRIKAM] {
        for role in Role::ALL {
            let response = server
                .request(partner, role, Method::GET, "/v1/me")
                .send()
                .await
                .unwrap();
            let (status, me) = json(response).await;
            assert_eq!(status, 200);
            assert_eq!(me["role"], role.as_str());
            let can: Vec<&str> = me["can"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            let expected: Vec<&str> = role
                .permissions()
                .into_iter()
                .map(Permission::as_str)
                .collect();
            assert_eq!(can, expected, "{partner} {role}");
        }
    }
}
