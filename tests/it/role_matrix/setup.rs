//! What the matrix walks over: per partner a customer, one of its users, a user made for the
//! rows that remove and restore, a SKU with a free unit, and the caller's agent; and the
//! Global admin's steps that put a resource back after a row changed it.

use cspdash::api::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

/// The resources a path's (and a body's) placeholders name, per partner.
pub struct Ids {
    /// `{id}`: a customer whose users may be managed (relationship on, admin access kept).
    pub customer: String,
    /// `{domain}`: the customer's domain, for new users' names.
    pub domain: String,
    /// `{uid}`: one of the customer's users, only ever read.
    pub user: String,
    /// `{spare}`: a user the writing rows remove, restore and license (put back after each).
    pub spare: String,
    /// `{sku}`: a SKU of the customer with a free unit.
    pub sku: String,
    /// `{agent}`: one of the calling partner's (Contoso's) agents.
    pub agent: String,
    /// `{tenant}`: the customer's tenant id (names it in a new admin relationship).
    pub tenant: String,
    /// `{rel}`: an admin relationship of the customer, `created` (changeable).
    pub relationship: String,
    /// `{active}`: an active admin relationship of the customer (takes access assignments).
    pub active: String,
    /// `{group}`: one of the calling partner's (Contoso's) security groups.
    pub group: String,
}

pub fn fill(template: &str, ids: &Ids) -> String {
    template
        .replace("{id}", &ids.customer)
        .replace("{domain}", &ids.domain)
        .replace("{uid}", &ids.user)
        .replace("{spare}", &ids.spare)
        .replace("{sku}", &ids.sku)
        .replace("{agent}", &ids.agent)
        .replace("{tenant}", &ids.tenant)
        .replace("{rel}", &ids.relationship)
        .replace("{active}", &ids.active)
        .replace("{group}", &ids.group)
}

/// As `partner`'s Global admin: the status and the JSON body.
pub async fn admin(
    server: &TestServer,
    partner: &'static str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = server
        .request(partner, Role::GlobalAdmin, method, path)
        .header("If-Match", "*")
        .header("MS-RequestId", uuid::Uuid::new_v4().to_string());
    if let Some(body) = body {
        request = request.json(&body);
    }
    json(request.send().await.unwrap()).await
}

/// The partner's first manageable customer with users and a SKU with a free unit, with a
/// spare user added to it for the writing rows.
pub async fn resources(server: &TestServer, partner: &'static str) -> Ids {
    let get = |path: String| async move { admin(server, partner, Method::GET, &path, None).await };
    let agent = get("/v1/agents".into()).await.1["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, page) = get("/v1/customers?size=50".to_string()).await;
    for customer in page["items"].as_array().unwrap() {
        if customer["relationshipToPartner"] != "reseller"
            || customer["allowDelegatedAccess"] != true
        {
            continue;
        }
        let id = customer["id"].as_str().unwrap().to_string();
        let users = get(format!("/v1/customers/{id}/users")).await.1;
        let Some(user) = users["items"][0]["id"].as_str() else {
            continue;
        };
        let skus = get(format!("/v1/customers/{id}/subscribedskus")).await.1;
        let free =
            skus["items"].as_array().unwrap().iter().find(|s| {
                s["activeUnits"].as_i64().unwrap() > s["consumedUnits"].as_i64().unwrap()
            });
        let Some(sku) = free else { continue };
        let domain = customer["companyProfile"]["domain"].as_str().unwrap();
        let new = json!({
            "userPrincipalName": format!("matrix.spare@{domain}"),
            "firstName": "Spare", "lastName": "User", "displayName": "Spare User",
            "usageLocation": "DE",
            "passwordProfile": {"password": "Tmp!pass2026x", "forceChangePassword": true}
        });
        let path = format!("/v1/customers/{id}/users");
        let (status, spare) = admin(server, partner, Method::POST, &path, Some(new)).await;
        assert_eq!(status, 201, "{spare}");
        let tenant = customer["companyProfile"]["tenantId"].as_str().unwrap();
        let helpdesk = crate::gdap_api::HELPDESK;
        let name = format!("Matrix draft of {partner}");
        let created = crate::gdap_api::create_for(server, partner, tenant, &name, helpdesk).await;
        let name = format!("Matrix active of {partner}");
        let active = crate::gdap_api::create_for(server, partner, tenant, &name, helpdesk).await;
        let active = active["id"].as_str().unwrap();
        crate::gdap_api::activate_for(server, partner, active).await;
        let group = crate::gdap_api::groups(server, partner).await.remove(0).0;
        return Ids {
            tenant: tenant.to_string(),
            relationship: created["id"].as_str().unwrap().to_string(),
            active: active.to_string(),
            group,
            customer: id,
            domain: domain.to_string(),
            user: user.to_string(),
            spare: spare["id"].as_str().unwrap().to_string(),
            sku: sku["productSku"]["id"].as_str().unwrap().to_string(),
            agent,
        };
    }
    panic!("{partner} has no manageable customer with users and a free license among 50");
}

/// Removes Contoso's spare user (before a row that restores it).
pub async fn remove_spare(server: &TestServer, ids: &Ids) {
    let path = fill("/v1/customers/{id}/users/{spare}", ids);
    let (status, body) = admin(server, CONTOSO, Method::DELETE, &path, None).await;
    assert_eq!(status, 200, "removing the spare user: {body}");
}

/// Restores Contoso's spare user (after a row removed it, or one refused to restore it).
pub async fn restore_spare(server: &TestServer, ids: &Ids) {
    let path = fill("/v1/customers/{id}/users/{spare}", ids);
    let body = json!({"state": "active"});
    let (status, body) = admin(server, CONTOSO, Method::PATCH, &path, Some(body)).await;
    assert_eq!(status, 200, "restoring the spare user: {body}");
    assert_eq!(body["state"], "active");
}

/// Takes the license back that a row assigned to Contoso's spare user.
pub async fn unassign_spare(server: &TestServer, ids: &Ids) {
    let path = fill("/v1/customers/{id}/users/{spare}/licenseupdates", ids);
    let body = json!({"licensesToAssign": [], "licensesToRemove": [ids.sku]});
    let (status, body) = admin(server, CONTOSO, Method::POST, &path, Some(body)).await;
    assert_eq!(status, 201, "taking the license back: {body}");
}

/// The licenses Contoso's spare user holds, by SKU id.
pub async fn spare_licenses(server: &TestServer, ids: &Ids) -> Vec<String> {
    let path = fill("/v1/customers/{id}/users/{spare}/licenses", ids);
    let (_, body) = admin(server, CONTOSO, Method::GET, &path, None).await;
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["productSku"]["id"].as_str().unwrap().to_string())
        .collect()
}

/// A `created` admin relationship of Contoso's customer, made for one attempt of the lock row.
pub async fn fresh_relationship(server: &TestServer, ids: &Ids, serial: usize) -> String {
    let name = format!("Matrix lock {serial}");
    let made = crate::gdap_api::create_for(
        server,
        CONTOSO,
        &ids.tenant,
        &name,
        crate::gdap_api::HELPDESK,
    )
    .await;
    made["id"].as_str().unwrap().to_string()
}
