//! The role matrix of DESIGN.md §3, walked: every route × every role × the caller's own partner's
//! resource and another partner's, each answer checked against the table below (2xx where the
//! role may, 403 naming who may where it may not, 404 for another partner's resource). One row
//! per route: adding a route is adding its row.
#![allow(clippy::unwrap_used)]

mod setup;

use cspdash::api::{Permission, Role};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;
use setup::{Ids, fill};

/// What a row sends besides its method and path. Writes are repeatable, so one row never breaks
/// a later one: `If-Match: *` with a value the resource may already have, a fresh domain per new
/// customer and a fresh name per new user, a fresh `MS-RequestId` per POST, and what a row
/// changed on the spare user put back by the Global admin before the next attempt.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Body {
    None,
    /// POST /v1/customers: a valid new customer with a domain of its own.
    NewCustomer,
    /// POST .../users: a valid new user with a name of its own in the customer's domain.
    NewUser,
    /// `If-Match: *` and this JSON (placeholders filled as in paths).
    Put(&'static str),
    /// A fresh `MS-RequestId` and this JSON (placeholders filled as in paths).
    Post(&'static str),
    /// DELETE the spare user with `If-Match: *`; restored after it was removed.
    RemoveSpare,
    /// PATCH the spare user back to active with `If-Match: *`: removed first, and restored
    /// afterwards where the row was refused.
    RestoreSpare,
    /// Assign `{sku}` to the spare user (a fresh `MS-RequestId`); taken back after it was
    /// assigned.
    AssignToSpare,
    /// An event stream: the status is the answer (the body never ends).
    Stream,
    /// POST a new admin relationship for `{tenant}` with a name of its own and a fresh
    /// `MS-RequestId`.
    NewRelationship,
    /// Lock for approval (a fresh `MS-RequestId`): for the caller's own partner, a relationship
    /// made for this attempt stands in for `{rel}` (a lock can't be repeated).
    LockFresh,
}

/// (method, path, body, roles that may, as DESIGN.md §3 writes them). `{id}` is a customer: the
/// caller's own, then another partner's (which must be 404 to a role that may, 403 to one that
/// may not); `{uid}` and `{spare}` are users of that customer. Rows without `{id}` have no other
/// partner's variant.
///
/// `{rel}` is a `created` admin relationship, `{active}` an active one, `{group}` a security
/// group of the caller's partner, `{tenant}` the customer's tenant id. The bulk row names `{rel}`
/// in its body (another partner's id there is a per-item 404 inside a 200, tested in gdap_bulk).
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
    ("POST", "/v1/customers/{id}/users", Body::NewUser, "GA AA"),
    (
        "GET",
        "/v1/customers/{id}/users/{uid}",
        Body::None,
        "GA AA SA HA",
    ),
    (
        "DELETE",
        "/v1/customers/{id}/users/{spare}",
        Body::RemoveSpare,
        "GA AA",
    ),
    (
        "PATCH",
        "/v1/customers/{id}/users/{spare}",
        Body::RestoreSpare,
        "GA AA",
    ),
    (
        "GET",
        "/v1/customers/{id}/users/{uid}/licenses",
        Body::None,
        "GA AA SA HA",
    ),
    (
        "POST",
        "/v1/customers/{id}/users/{spare}/licenseupdates",
        Body::AssignToSpare,
        "GA AA",
    ),
    (
        "GET",
        "/v1/customers/{id}/supportcontacts",
        Body::None,
        "GA AA SA HA",
    ),
    (
        "PUT",
        "/v1/customers/{id}/supportcontacts",
        Body::Put(r#"{"items":[{"agentId":"{agent}"}]}"#),
        "GA AA",
    ),
    (
        "GET",
        "/v1/customers/{id}/servicerequests",
        Body::None,
        "GA AA HA",
    ),
    (
        "POST",
        "/v1/customers/{id}/servicerequests",
        Body::Post(
            r#"{"title":"Matrix","description":"Sign-in fails for every user","severity":"minimal"}"#,
        ),
        "GA AA HA",
    ),
    ("GET", "/v1/auditrecords", Body::None, "GA AA"),
    (
        "GET",
        "/v1/auditrecords?customerId={id}",
        Body::None,
        "GA AA",
    ),
    ("GET", "/v1/events", Body::Stream, "GA AA SA HA"),
    (
        "GET",
        "/v1/tenantRelationships/delegatedAdminRelationships",
        Body::None,
        "GA AA SA HA",
    ),
    (
        "POST",
        "/v1/tenantRelationships/delegatedAdminRelationships",
        Body::NewRelationship,
        "GA AA",
    ),
    (
        "GET",
        "/v1/tenantRelationships/delegatedAdminRelationships/{rel}",
        Body::None,
        "GA AA SA HA",
    ),
    (
        "PATCH",
        "/v1/tenantRelationships/delegatedAdminRelationships/{rel}",
        Body::Put(r#"{"autoExtendDuration":"PT0S"}"#),
        "GA AA",
    ),
    (
        "POST",
        "/v1/tenantRelationships/delegatedAdminRelationships/{rel}/requests",
        Body::LockFresh,
        "GA AA",
    ),
    (
        "GET",
        "/v1/tenantRelationships/delegatedAdminRelationships/{active}/accessAssignments",
        Body::None,
        "GA AA SA HA",
    ),
    (
        "POST",
        "/v1/tenantRelationships/delegatedAdminRelationships/{active}/accessAssignments",
        Body::Post(
            r#"{"accessContainer":{"accessContainerId":"{group}","accessContainerType":"securityGroup"},"accessDetails":{"unifiedRoles":[{"roleDefinitionId":"88d8e3e3-8f55-4a1e-953a-9b9898b8876b"}]}}"#,
        ),
        "GA AA",
    ),
    (
        "POST",
        "/v1/tenantRelationships/delegatedAdminRelationships/bulk",
        Body::Post(r#"{"action":"enableAutoExtend","items":[{"id":"{rel}"}]}"#),
        "GA AA",
    ),
    ("GET", "/v1/securitygroups", Body::None, "GA AA SA HA"),
    ("GET", "/v1/roledefinitions", Body::None, "GA AA SA HA"),
];

fn short(role: Role) -> &'static str {
    match role {
        Role::GlobalAdmin => "GA",
        Role::AdminAgent => "AA",
        Role::SalesAgent => "SA",
        Role::HelpdeskAgent => "HA",
    }
}

fn filled_json(template: &str, ids: &Ids) -> Value {
    serde_json::from_str(&fill(template, ids)).unwrap()
}

contract! {
    async fn every_route_answers_every_role_for_its_own_and_another_partners_resources_as_the_matrix_says()
     {
        let server = spawn_server(20).await;
        let own = setup::resources(&server, CONTOSO).await;
        let mut other = setup::resources(&server, FABRIKAM).await;
        // The body is the caller's: Contoso names its own agent, whichever customer it asks about.
        other.agent = own.agent.clone();
        other.group = own.group.clone();
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
                    let mine = *whose == "own";
                    let mut path = fill(template, ids);
                    if *body == Body::LockFresh && mine {
                        let fresh = setup::fresh_relationship(&server, ids, serial).await;
                        path = path.replace(&ids.relationship, &fresh);
                    }
                    let what = format!("{method} {path} ({whose}) as {role}");
                    if *body == Body::RestoreSpare && mine {
                        setup::remove_spare(&server, ids).await;
                    }
                    let mut request = server.request(CONTOSO, role, method.parse().unwrap(), &path);
                    let request_id = format!("matrix-{serial}");
                    request = match body {
                        Body::NewCustomer => request.header("MS-RequestId", request_id).json(
                            &new_customer("Matrix Co", &format!("matrix{serial}.onmicrosoft.com")),
                        ),
                        Body::NewUser => request.header("MS-RequestId", request_id).json(&json!({
                            "userPrincipalName": format!("matrix{serial}@{}", ids.domain),
                            "firstName": "Matrix", "lastName": "User", "displayName": "Matrix User",
                            "usageLocation": "DE",
                            "passwordProfile": {"password": "Tmp!pass2026x", "forceChangePassword": true}
                        })),
                        Body::Put(value) => request
                            .header("If-Match", "*")
                            .json(&filled_json(value, ids)),
                        Body::Post(value) => request
                            .header("MS-RequestId", request_id)
                            .json(&filled_json(value, ids)),
                        Body::RemoveSpare => request.header("If-Match", "*"),
                        Body::RestoreSpare => request
                            .header("If-Match", "*")
                            .json(&json!({"state": "active"})),
                        Body::AssignToSpare => request.header("MS-RequestId", request_id).json(
                            &json!({"licensesToAssign": [{"skuId": ids.sku}], "licensesToRemove": []}),
                        ),
                        Body::NewRelationship => request.header("MS-RequestId", request_id).json(
                            &crate::gdap_api::new_body(
                                &format!("Matrix {serial}"),
                                &ids.tenant,
                                crate::gdap_api::HELPDESK,
                                730,
                                false,
                            ),
                        ),
                        Body::LockFresh => request
                            .header("MS-RequestId", request_id)
                            .json(&json!({"action": "lockForApproval"})),
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
                    match (may, mine) {
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
                    if !mine {
                        continue;
                    }
                    // Put back what the row changed (or, refused, left changed by its preparation),
                    // checking the change a 2xx claimed really happened.
                    match (body, may) {
                        (Body::RemoveSpare, true) => {
                            assert_eq!(response["state"], "inactive", "{what}: {response}");
                            setup::restore_spare(&server, ids).await;
                        }
                        (Body::RestoreSpare, true) => {
                            assert_eq!(response["state"], "active", "{what}: {response}")
                        }
                        (Body::RestoreSpare, false) => setup::restore_spare(&server, ids).await,
                        (Body::AssignToSpare, may) => {
                            let held = setup::spare_licenses(&server, ids).await;
                            assert_eq!(held.contains(&ids.sku), may, "{what}: {held:?}");
                            if may {
                                setup::unassign_spare(&server, ids).await;
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        let scoped = ROUTES.iter().filter(|r| r.1.contains('{')).count();
        assert_eq!(checked, (ROUTES.len() + scoped) * Role::ALL.len());
    }
}

contract! {
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
}
