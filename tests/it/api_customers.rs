//! The customers API as a partner's tools use it: paging, search, one customer, adding, changing,
//! and the sub-resources the dashboard expands into.
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;

use cspdash::api::Role;
use reqwest::Method;
use serde_json::Value;

use crate::helpers::*;

fn sort_key(customer: &Value) -> (String, String) {
    (
        customer["companyProfile"]["companyName"]
            .as_str()
            .unwrap()
            .to_lowercase(),
        customer["id"].as_str().unwrap().to_string(),
    )
}

contract! {
    async fn following_links_next_yields_every_customer_once_sorted_by_name() {
        let server = spawn_server(1000).await;
        let (items, pages) = walk(&server, CONTOSO, "/v1/customers?size=100").await;
        assert_eq!(pages, 10);
        assert_eq!(items.len(), 1000);
        let ids: HashSet<&str> = items.iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), 1000, "a customer appeared twice");
        let keys: Vec<_> = items.iter().map(sort_key).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "not sorted by company name");
    }
}

contract! {
    async fn the_first_page_says_how_many_there_are_and_links_to_the_next() {
        let server = spawn_server(250).await;
        let (status, body) = server.get_json("/v1/customers?size=100").await;
        assert_eq!(status, 200);
        assert_eq!(body["totalCount"], 250);
        assert_eq!(body["items"].as_array().unwrap().len(), 100);
        assert_eq!(body["attributes"]["objectType"], "Collection");
        let next = &body["links"]["next"];
        assert!(next["uri"].as_str().unwrap().starts_with("/customers?"));
        assert_eq!(next["headers"][0]["key"], "MS-ContinuationToken");
        // Without a size, pages hold 100.
        let (_, body) = server.get_json("/v1/customers").await;
        assert_eq!(body["items"].as_array().unwrap().len(), 100);
    }
}

contract! {
    async fn a_size_above_the_cap_gets_a_thousand() {
        let server = spawn_server(1200).await;
        let (_, body) = server.get_json("/v1/customers?size=5000").await;
        assert_eq!(body["items"].as_array().unwrap().len(), 1000);
    }
}

fn filter(field: &str, value: &str) -> String {
    filter_path(field, value, 1000)
}

fn names(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            c["companyProfile"]["companyName"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

contract! {
    async fn company_name_search_ignores_case_including_accented_and_other_scripts() {
        let server = spawn_server(300).await;
        let (status, body) = server.get_json(&filter("CompanyName", "mÜLLER &")).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(names(&body), ["Müller & Söhne GmbH"]);
        assert_eq!(body["totalCount"], 1);
        let (_, body) = server.get_json(&filter("CompanyName", "株式会社サ")).await;
        assert_eq!(names(&body), ["株式会社サンプル"]);
        let (_, body) = server.get_json(&filter("CompanyName", "ооо «пример")).await;
        assert_eq!(names(&body), ["ООО «Пример Софт»"]);
    }
}

contract! {
    async fn domain_search_finds_by_prefix_and_pages_keep_the_filter() {
        let server = spawn_server(2000).await;
        let (_, all) = server.get_json(&filter("Domain", "ALPINE")).await;
        let total = all["totalCount"].as_u64().unwrap();
        assert!(total > 20, "expected many alpine* domains, got {total}");
        for c in all["items"].as_array().unwrap() {
            assert!(
                c["companyProfile"]["domain"]
                    .as_str()
                    .unwrap()
                    .starts_with("alpine")
            );
        }
        // Paging a filtered list in small pages gives the same set.
        let first = filter_path("Domain", "alpine", 7);
        let (items, _) = walk(&server, CONTOSO, &first).await;
        assert_eq!(items.len() as u64, total);
    }
}

contract! {
    async fn a_prefix_that_matches_nothing_gives_an_empty_page_and_a_zero_count() {
        let server = spawn_server(500).await;
        for (field, value) in [
            ("CompanyName", "zz"),
            ("CompanyName", "ÿÿÿ"),
            ("CompanyName", "株式会社サンプルX"),
            ("Domain", "zz"),
            ("Domain", "müller"),
        ] {
            let (status, body) = server.get_json(&filter(field, value)).await;
            assert_eq!(status, 200, "{field} {value}: {body}");
            assert_eq!(body["totalCount"], 0, "{field} {value}");
            assert!(names(&body).is_empty(), "{field} {value}: {body}");
            assert!(
                body["links"].get("next").is_none(),
                "{field} {value}: {body}"
            );
        }
    }
}

/// The customers whose `field` starts with `value` ignoring case, in list order.
fn matching(all: &[Value], field: &str, value: &str) -> Vec<String> {
    let path = if field == "Domain" {
        "domain"
    } else {
        "companyName"
    };
    all.iter()
        .filter(|c| {
            c["companyProfile"][path]
                .as_str()
                .unwrap()
                .to_lowercase()
                .starts_with(&value.to_lowercase())
        })
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

contract! {
    async fn filtered_pages_hold_exactly_the_matching_customers_in_name_order() {
        let server = spawn_server(2000).await;
        let (all, _) = walk(&server, CONTOSO, "/v1/customers?size=1000").await;
        assert_eq!(all.len(), 2000);
        // Many, some, few matches; upper case and other scripts.
        for (field, value) in [
            ("CompanyName", "S"),
            ("CompanyName", "øRESUND"),
            ("CompanyName", "株式会社"),
            ("CompanyName", "ΕΛΛΗΝΙΚΈΣ"),
            ("Domain", "t"),
            ("Domain", "ALPINE"),
            ("Domain", "cedar"),
        ] {
            let expected = matching(&all, field, value);
            assert!(!expected.is_empty(), "{field} {value} should match some");
            let (first_status, first) = server.get_json(&filter_path(field, value, 7)).await;
            assert_eq!(first_status, 200, "{first}");
            assert_eq!(first["totalCount"], expected.len(), "{field} {value}");
            let (items, _) = walk(&server, CONTOSO, &filter_path(field, value, 7)).await;
            let got: Vec<String> = items
                .iter()
                .map(|c| c["id"].as_str().unwrap().to_string())
                .collect();
            assert_eq!(got, expected, "{field} {value}");
        }
    }
}

contract! {
    async fn one_customer_comes_with_an_etag() {
        let server = spawn_server(50).await;
        let (_, page) = server.get_json("/v1/customers?size=1").await;
        let id = page["items"][0]["id"].as_str().unwrap();
        let response = server
            .get(&format!("/v1/customers/{id}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["etag"], "\"1\"");
        let (_, body) = json(response).await;
        assert_eq!(body["id"], id);
        assert_eq!(body["attributes"]["objectType"], "Customer");
        assert!(body["companyProfile"]["tenantId"].as_str().unwrap().len() == 36);
    }
}

contract! {
    async fn an_added_customer_is_listed_at_once_and_a_repeated_request_id_adds_nothing() {
        let server = spawn_server(30).await;
        let body = new_customer("Zeta Ölwerke AG", "zeta-oelwerke.onmicrosoft.com");
        let post = || {
            server
                .request(CONTOSO, Role::SalesAgent, Method::POST, "/v1/customers")
                .header("MS-RequestId", "req-42")
                .json(&body)
        };
        let (status, first) = json(post().send().await.unwrap()).await;
        assert_eq!(status, 201, "{first}");
        assert_eq!(first["relationshipToPartner"], "reseller");
        assert_eq!(first["allowDelegatedAccess"], true);
        let (status, again) = json(post().send().await.unwrap()).await;
        assert_eq!(status, 201);
        assert_eq!(
            again["id"], first["id"],
            "the replay must return the first result"
        );
        let (_, listed) = server.get_json(&filter("CompanyName", "zeta ö")).await;
        assert_eq!(names(&listed), ["Zeta Ölwerke AG"]);
        let (_, all) = server.get_json("/v1/customers?size=1").await;
        assert_eq!(all["totalCount"], 31);
        // The same key with another body is a mistake worth refusing.
        let other = new_customer("Other GmbH", "other.onmicrosoft.com");
        let response = server
            .request(CONTOSO, Role::SalesAgent, Method::POST, "/v1/customers")
            .header("MS-RequestId", "req-42")
            .json(&other)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 409);
    }
}

contract! {
    async fn adding_a_domain_that_is_already_a_customer_is_a_conflict() {
        let server = spawn_server(10).await;
        let body = new_customer("Dup Ltd", "dup.onmicrosoft.com");
        let post = || {
            server
                .request(CONTOSO, Role::AdminAgent, Method::POST, "/v1/customers")
                .json(&body)
        };
        assert_eq!(post().send().await.unwrap().status(), 201);
        let (status, err) = json(post().send().await.unwrap()).await;
        assert_eq!(status, 409);
        assert!(
            err["description"]
                .as_str()
                .unwrap()
                .contains("dup.onmicrosoft.com")
        );
        // The body names the field, so a form can point at it.
        assert_eq!(err["data"], serde_json::json!(["companyProfile.domain"]));
    }
}

contract! {
    async fn ending_and_reinstating_a_relationship_needs_a_current_etag() {
        let server = spawn_server(10).await;
        let (_, page) = server.get_json("/v1/customers?size=1").await;
        let id = page["items"][0]["id"].as_str().unwrap();
        let path = format!("/v1/customers/{id}");
        let patch = |etag: Option<&str>, to: &str| {
            let mut r = server
                .request(CONTOSO, Role::AdminAgent, Method::PATCH, &path)
                .json(&serde_json::json!({"relationshipToPartner": to}));
            if let Some(etag) = etag {
                r = r.header("If-Match", etag);
            }
            r
        };
        assert_eq!(patch(None, "none").send().await.unwrap().status(), 428);
        assert_eq!(
            patch(Some("\"7\""), "none").send().await.unwrap().status(),
            412
        );
        let response = patch(Some("\"1\""), "none").send().await.unwrap();
        assert_eq!(response.headers()["etag"], "\"2\"");
        let (status, ended) = json(response).await;
        assert_eq!(status, 200);
        assert_eq!(ended["relationshipToPartner"], "none");
        let (_, back) = json(patch(Some("*"), "reseller").send().await.unwrap()).await;
        assert_eq!(back["relationshipToPartner"], "reseller");
        let (_, audit) = server.get_json("/v1/auditrecords").await;
        let ops: Vec<&str> = audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["operationType"].as_str().unwrap())
            .collect();
        assert!(
            ops.contains(&"endRelationship") && ops.contains(&"reinstateRelationship"),
            "{ops:?}"
        );
    }
}

contract! {
    async fn a_customer_has_realistic_services_licenses_and_several_users() {
        let server = spawn_server(40).await;
        let (_, page) = server.get_json("/v1/customers?size=40").await;
        let mut offers = HashSet::new();
        for customer in page["items"].as_array().unwrap() {
            let id = customer["id"].as_str().unwrap();
            let (status, subs) = server
                .get_json(&format!("/v1/customers/{id}/subscriptions"))
                .await;
            assert_eq!(status, 200);
            let subs = subs["items"].as_array().unwrap().clone();
            assert!(!subs.is_empty());
            for s in &subs {
                offers.insert(s["offerName"].as_str().unwrap().to_string());
                assert!(["active", "suspended"].contains(&s["status"].as_str().unwrap()));
            }
            let (_, users) = server.get_json(&format!("/v1/customers/{id}/users")).await;
            assert!(users["totalCount"].as_u64().unwrap() >= 2);
            let (_, skus) = server
                .get_json(&format!("/v1/customers/{id}/subscribedskus"))
                .await;
            for sku in skus["items"].as_array().unwrap() {
                assert!(sku["consumedUnits"].as_i64().unwrap() <= sku["activeUnits"].as_i64().unwrap());
            }
        }
        for expected in [
            "Microsoft 365 Business Premium",
            "Azure plan",
            "Exchange Online (Plan 1)",
        ] {
            assert!(
                offers.contains(expected),
                "{expected} missing from {offers:?}"
            );
        }
    }
}

contract! {
    async fn demo_data_has_ended_relationships_removed_admin_permissions_and_indirect_resellers() {
        let server = spawn_server(1000).await;
        let (items, _) = walk(&server, CONTOSO, "/v1/customers?size=1000").await;
        let ended = items
            .iter()
            .filter(|c| c["relationshipToPartner"] == "none")
            .count();
        let removed = items
            .iter()
            .filter(|c| c["allowDelegatedAccess"] == false)
            .count();
        let indirect = items
            .iter()
            .filter(|c| c["associatedPartnerName"].is_string())
            .count();
        assert!((3..=30).contains(&ended), "{ended}");
        assert!((3..=50).contains(&removed), "{removed}");
        assert!(indirect > 50, "{indirect}");
        let long = items
            .iter()
            .filter(|c| {
                c["companyProfile"]["companyName"]
                    .as_str()
                    .unwrap()
                    .chars()
                    .count()
                    == 120
            })
            .count();
        assert_eq!(long, 1);
    }
}

contract! {
    async fn the_invitation_link_is_personal_to_the_partner_and_reseller() {
        let server = spawn_server(5).await;
        let (status, link) = server.get_json("/v1/customers/relationshiprequests").await;
        assert_eq!(status, 200, "{link}");
        let url = link["url"].as_str().unwrap();
        assert!(url.starts_with(&format!("{}/invite/", server.url)), "{url}");
        let (_, again) = server.get_json("/v1/customers/relationshiprequests").await;
        assert_eq!(again["url"], url, "the link is stable");
        let (_, resellers) = server
            .get_json("/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf")
            .await;
        let reseller = resellers["items"][0]["id"].as_str().unwrap();
        let (_, bound) = server
            .get_json(&format!(
                "/v1/customers/relationshiprequests?indirectResellerId={reseller}"
            ))
            .await;
        assert_ne!(bound["url"], url);
        let other = server
            .request(
                FABRIKAM,
                Role::AdminAgent,
                Method::GET,
                "/v1/customers/relationshiprequests",
            )
            .send()
            .await
            .unwrap();
        let (_, other) = json(other).await;
        assert_ne!(other["url"], url);
    }
}
