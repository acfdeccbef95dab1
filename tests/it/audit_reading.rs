//! Reading the audit log over real HTTP: newest first, keyset-paged with sealed tokens, filtered
//! by customer and date range (bad dates named); Global admins and Admin agents only; one partner
//! never sees another's; the typed client's stream.
#![allow(clippy::unwrap_used)]

use cspdash::api::Role;
use cspdash::client::{AuditQuery, Client, ClientOptions};
use futures::StreamExt;
use reqwest::Method;
use serde_json::{Value, json};

use crate::audit::{create, records, send};
use crate::helpers::*;

fn an_hour_ago() -> String {
    (chrono::Utc::now() - chrono::TimeDelta::hours(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

contract! {
    async fn pages_follow_newest_first_with_no_record_twice_and_size_is_capped() {
        let server = spawn_server(5).await;
        for n in 0..23 {
            create(
                &server,
                &format!("Paged {n:02} Ltd"),
                &format!("paged{n}.onmicrosoft.com"),
            )
            .await;
        }
        // The demo history is days old: the last hour holds only this test's records.
        let recent = format!("/v1/auditrecords?startDate={}", an_hour_ago());
        let (items, pages) = records(&server, CONTOSO, &format!("{recent}&size=10")).await;
        assert_eq!(pages, 3);
        assert_eq!(items.len(), 23);
        let ids: Vec<i64> = items.iter().map(|r| r["id"].as_i64().unwrap()).collect();
        let mut sorted = ids.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        sorted.dedup();
        assert_eq!(ids, sorted, "newest first, each once");
        assert_eq!(items[0]["customerName"], "Paged 22 Ltd");
        let (_, first) = server.get_json(&format!("{recent}&size=10")).await;
        assert_eq!(first["totalCount"], 23);
        assert_eq!(first["attributes"]["objectType"], "Collection");
        let next = &first["links"]["next"];
        assert_eq!(next["headers"][0]["key"], "MS-ContinuationToken");
        // An altered token is refused, not trusted.
        let token = next["headers"][0]["value"].as_str().unwrap();
        let altered = format!("{}x", token);
        let response = server
            .request(CONTOSO, Role::GlobalAdmin, Method::GET, "/v1/auditrecords")
            .header("MS-ContinuationToken", altered)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400);
        let (status, big) = server.get_json(&format!("{recent}&size=5000")).await;
        assert_eq!(status, 200);
        assert_eq!(
            big["items"].as_array().unwrap().len(),
            23,
            "capped, not refused"
        );
    }
}

contract! {
    async fn filters_by_customer_and_by_date_range_and_bad_dates_name_the_field() {
        let server = spawn_server(5).await;
        let one = create(&server, "Filter One", "filterone.onmicrosoft.com").await;
        let two = create(&server, "Filter Two", "filtertwo.onmicrosoft.com").await;
        send(
            &server,
            Method::PATCH,
            &format!("/v1/customers/{one}"),
            json!({"relationshipToPartner": "none"}),
        )
        .await;
        let (items, _) = records(
            &server,
            CONTOSO,
            &format!("/v1/auditrecords?customerId={one}"),
        )
        .await;
        let ops: Vec<&str> = items
            .iter()
            .map(|r| r["operationType"].as_str().unwrap())
            .collect();
        assert_eq!(ops, ["endRelationship", "createCustomer"]);
        assert!(items.iter().all(|r| r["customerId"] == one.as_str()));
        let (two_only, _) = records(
            &server,
            CONTOSO,
            &format!("/v1/auditrecords?customerId={two}&size=1"),
        )
        .await;
        assert_eq!(two_only.len(), 1, "the filter holds on later pages too");

        let hours = |h: i64| {
            (chrono::Utc::now() + chrono::TimeDelta::hours(h))
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        };
        let range = format!(
            "/v1/auditrecords?startDate={}&endDate={}",
            hours(-1),
            hours(1)
        );
        let (now, _) = records(&server, CONTOSO, &range).await;
        assert_eq!(now.len(), 3, "{now:#?}");
        let (before, _) = records(
            &server,
            CONTOSO,
            &format!("/v1/auditrecords?endDate={}", hours(-1)),
        )
        .await;
        // Only the demo history, days old: none of this test's records.
        assert!(!before.is_empty());
        let cutoff = hours(-1);
        for record in &before {
            assert!(
                record["operationDate"].as_str().unwrap() <= cutoff.as_str(),
                "{record}"
            );
            assert!(
                !record["customerName"]
                    .as_str()
                    .unwrap()
                    .starts_with("Filter ")
            );
        }
        let (later, _) = records(
            &server,
            CONTOSO,
            "/v1/auditrecords?startDate=2999-01-01T00:00:00Z",
        )
        .await;
        assert!(later.is_empty());

        for (query, field) in [
            ("startDate=yesterday", "startDate"),
            ("endDate=2026-13-45", "endDate"),
            ("startDate=2026-11-02&endDate=2026-11-01", "startDate"),
            ("size=0", "size"),
        ] {
            let (status, body) = server.get_json(&format!("/v1/auditrecords?{query}")).await;
            assert_eq!(status, 400, "{query}: {body}");
            assert_eq!(body["data"][0], field, "{query}: {body}");
        }
        let (status, _) = server
            .get_json("/v1/auditrecords?customerId=no-such-customer")
            .await;
        assert_eq!(status, 404);
    }
}

contract! {
    async fn sales_and_helpdesk_agents_are_refused_and_told_who_may() {
        let server = spawn_server(5).await;
        for role in [Role::SalesAgent, Role::HelpdeskAgent] {
            let response = server
                .request(CONTOSO, role, Method::GET, "/v1/auditrecords")
                .send()
                .await
                .unwrap();
            let (status, body) = json(response).await;
            assert_eq!(status, 403, "{role}");
            assert_eq!(
                body["description"],
                format!("a {role} may not do this; it needs Global admin or Admin agent")
            );
        }
    }
}

contract! {
    async fn fabrikam_sees_none_of_contosos_records_even_by_customer_or_token() {
        let server = spawn_server(5).await;
        let id = create(&server, "Contoso Only", "contosoonly.onmicrosoft.com").await;
        for n in 0..3 {
            create(
                &server,
                &format!("More {n}"),
                &format!("more{n}.onmicrosoft.com"),
            )
            .await;
        }
        let own = server
            .request(FABRIKAM, Role::AdminAgent, Method::POST, "/v1/customers")
            .json(&new_customer("Fabrikam Own", "fabrikamown.onmicrosoft.com"));
        assert_eq!(own.send().await.unwrap().status(), 201);
        let (_, contoso) = server.get_json("/v1/auditrecords?size=2").await;
        let (fabrikam, _) = records(&server, FABRIKAM, "/v1/auditrecords").await;
        let names: Vec<&str> = fabrikam
            .iter()
            .map(|r| r["customerName"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            ["Fabrikam Own"],
            "its own record and nothing of Contoso's"
        );
        let as_fabrikam = |path: &str| server.request(FABRIKAM, Role::GlobalAdmin, Method::GET, path);
        let by_customer = as_fabrikam(&format!("/v1/auditrecords?customerId={id}"));
        assert_eq!(by_customer.send().await.unwrap().status(), 404);
        let token = contoso["links"]["next"]["headers"][0]["value"]
            .as_str()
            .unwrap();
        let continued = as_fabrikam("/v1/auditrecords")
            .header("MS-ContinuationToken", token)
            .send()
            .await
            .unwrap();
        let (status, body) = json(continued).await;
        assert_eq!(status, 200);
        let leaked: Vec<&Value> = body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["customerName"] != "Fabrikam Own")
            .collect();
        assert!(leaked.is_empty(), "a Contoso record leaked: {leaked:#?}");
    }
}

contract! {
    async fn the_client_streams_every_page_with_its_filters() {
        install_crypto();
        let server = spawn_server(5).await;
        let id = create(&server, "Streamed Co", "streamed.onmicrosoft.com").await;
        for n in 0..4 {
            create(
                &server,
                &format!("Other {n}"),
                &format!("other{n}.onmicrosoft.com"),
            )
            .await;
        }
        send(
            &server,
            Method::PATCH,
            &format!("/v1/customers/{id}"),
            json!({"relationshipToPartner": "none"}),
        )
        .await;
        let client = Client::with_options(
            &server.url,
            server.token(CONTOSO, Role::GlobalAdmin),
            ClientOptions::default(),
        )
        .unwrap();
        let all = AuditQuery {
            start: Some(an_hour_ago()),
            size: Some(2),
            ..AuditQuery::default()
        };
        let pages: Vec<_> = client.audit_records(all).collect().await;
        assert_eq!(pages.len(), 3);
        let records: Vec<_> = pages.into_iter().flat_map(|p| p.unwrap().items).collect();
        assert_eq!(records.len(), 6);
        assert_eq!(records[0].operation_type, "endRelationship");
        assert!(
            records[0]
                .before
                .starts_with("relationshipToPartner reseller")
        );
        let one = AuditQuery {
            customer_id: Some(id.clone()),
            start: Some(chrono::Utc::now().date_naive().to_string()),
            size: Some(1),
            ..AuditQuery::default()
        };
        let pages: Vec<_> = client.audit_records(one).collect().await;
        let ops: Vec<String> = pages
            .into_iter()
            .flat_map(|p| p.unwrap().items)
            .map(|r| r.operation_type)
            .collect();
        assert_eq!(ops, ["endRelationship", "createCustomer"]);
        let sales = Client::new(&server.url, server.token(CONTOSO, Role::SalesAgent)).unwrap();
        let err = sales
            .audit_page(&AuditQuery::default(), None)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("Global admin"), "{err}");
    }
}

contract! {
    async fn the_demo_partner_comes_with_weeks_of_history_and_the_other_with_none() {
        let server = spawn_server(100).await;
        let yesterday = (chrono::Utc::now() - chrono::TimeDelta::days(1))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let path = format!("/v1/auditrecords?endDate={yesterday}");
        let (items, pages) = records(&server, CONTOSO, &path).await;
        assert!(items.len() >= 60 && pages >= 1, "{}", items.len());
        let ops: std::collections::HashSet<&str> = items
            .iter()
            .map(|r| r["operationType"].as_str().unwrap())
            .collect();
        for op in [
            "createCustomer",
            "endRelationship",
            "updatePurchasePermission",
        ] {
            assert!(ops.contains(op), "{op} in {ops:?}");
        }
        // Every record names a customer that exists, by its name.
        let (customers, _) = walk(&server, CONTOSO, "/v1/customers?size=1000").await;
        for record in &items {
            let customer = customers
                .iter()
                .find(|c| c["id"] == record["customerId"])
                .unwrap();
            assert_eq!(
                customer["companyProfile"]["companyName"],
                record["customerName"]
            );
        }
        let (fabrikam, _) = records(&server, FABRIKAM, &path).await;
        assert!(fabrikam.is_empty());
    }
}
