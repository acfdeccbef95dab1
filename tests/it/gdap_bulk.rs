//! The bulk extension over real HTTP on the demo data: one request for many relationships, a
//! result per item in order (Global Administrator skipped with the reason, another partner's id
//! a 404, a stale etag a 412), only Global admins and Admin agents, the change an event on
//! `/v1/events`, and `requestAgain` answering each new request's approval link.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use cspdash::api::gdap::{GLOBAL_ADMINISTRATOR, RelationshipStatus};
use cspdash::api::{EventKind, Role};
use cspdash::client::Client;
use cspdash::server::store::seed::admin::demo_relationships;
use cspdash::server::store::seed::{demo_customer, demo_partners};
use futures::StreamExt;
use reqwest::Method;
use serde_json::{Value, json};

use crate::fake_backend::quick_options;
use crate::gdap_api::{BASE, send};
use crate::gdap_lifecycle::customer_where;
use crate::helpers::{CONTOSO, FABRIKAM, contract, spawn_server};

const CUSTOMERS: u32 = 60;

fn bulk_path() -> String {
    format!("{BASE}/bulk")
}

contract! {
    async fn auto_extend_in_bulk_answers_per_item_and_every_dashboard_hears_of_it() {
        let server = spawn_server(CUSTOMERS).await;
        let (customer, plain) = customer_where(|rs| {
            rs[0].status == RelationshipStatus::Active
                && !rs[0].auto_extend
                && !rs[0].roles.contains(&GLOBAL_ADMINISTRATOR)
        });
        let (_, ga) = customer_where(|rs| rs[0].roles.contains(&GLOBAL_ADMINISTRATOR));
        let fabrikam = {
            let partner = &demo_partners(CUSTOMERS)[1];
            let c = demo_customer(partner, 0);
            demo_relationships(partner.stream, 0, &c.domain, false)[0]
                .id
                .clone()
        };
        let (_, stale) = customer_where(|rs| {
            rs.len() == 2 && rs[0].status == RelationshipStatus::Active && rs[0].id != plain
        });
        let client = Client::with_options(
            &server.url,
            server.token(CONTOSO, Role::SalesAgent),
            quick_options(),
        )
        .unwrap();
        let mut events = Box::pin(client.events(Some(0)));
        let body = json!({
            "action": "enableAutoExtend",
            "items": [
                {"id": plain}, {"id": ga}, {"id": fabrikam}, {"id": stale, "etag": "\"99\""},
            ],
        });
        for role in [Role::SalesAgent, Role::HelpdeskAgent] {
            let (status, _) = send(
                &server,
                CONTOSO,
                role,
                Method::POST,
                &bulk_path(),
                Some(&body),
                &[],
            )
            .await;
            assert_eq!(status, 403, "{role:?} may not change admin relationships");
        }
        let (status, answer) = send(
            &server,
            CONTOSO,
            Role::AdminAgent,
            Method::POST,
            &bulk_path(),
            Some(&body),
            &[],
        )
        .await;
        assert_eq!(status, 200, "{answer}");
        let results = answer["value"].as_array().unwrap();
        let got: Vec<(&str, &str, u64)> = results
            .iter()
            .map(|r| {
                (
                    r["id"].as_str().unwrap(),
                    r["outcome"].as_str().unwrap(),
                    r["status"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (plain.as_str(), "succeeded", 200),
                (ga.as_str(), "skipped", 400),
                (fabrikam.as_str(), "failed", 404),
                (stale.as_str(), "failed", 412),
            ]
        );
        assert!(
            results[1]["message"]
                .as_str()
                .unwrap()
                .contains("Global Administrator")
        );
        assert_eq!(results[0]["relationship"]["autoExtendDuration"], "P180D");
        let (_, read) = server.get_json(&format!("{BASE}/{plain}")).await;
        assert_eq!(read["autoExtendDuration"], "P180D");
        assert_eq!(
            read["@odata.etag"],
            results[0]["relationship"]["@odata.etag"]
        );
        let event = tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                let event = events.next().await.unwrap().unwrap();
                if event.customer.id == customer {
                    return event;
                }
            }
        })
        .await
        .expect("an event for the changed customer within 5 s");
        assert_eq!(event.kind, EventKind::AdminRelationshipUpdated);
        // Fabrikam's relationship is untouched.
        let (status, theirs) = send(
            &server,
            FABRIKAM,
            Role::SalesAgent,
            Method::GET,
            &format!("{BASE}/{fabrikam}"),
            None,
            &[],
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(theirs["@odata.etag"], "\"1\"", "{theirs}");
    }
}

contract! {
    async fn request_again_in_bulk_answers_each_new_requests_approval_link() {
        let server = spawn_server(CUSTOMERS).await;
        let (_, expired) = customer_where(|rs| rs[0].status == RelationshipStatus::Expired);
        let (_, terminated) = customer_where(|rs| rs[0].status == RelationshipStatus::Terminated);
        let body = json!({"action": "requestAgain", "items": [{"id": expired}, {"id": terminated}]});
        let key = uuid::Uuid::new_v4().to_string();
        let path = bulk_path();
        let headers = [("MS-RequestId", key.as_str())];
        let post = || {
            send(
                &server,
                CONTOSO,
                Role::GlobalAdmin,
                Method::POST,
                &path,
                Some(&body),
                &headers,
            )
        };
        let (status, answer) = post().await;
        assert_eq!(status, 200, "{answer}");
        let made: Vec<&Value> = answer["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                assert_eq!(
                    (r["outcome"].as_str(), r["status"].as_u64()),
                    (Some("succeeded"), Some(201)),
                    "{r}"
                );
                &r["relationship"]
            })
            .collect();
        for (old, new) in [&expired, &terminated].into_iter().zip(&made) {
            let (_, before) = server.get_json(&format!("{BASE}/{old}")).await;
            assert_eq!(new["status"], "approvalPending");
            assert_eq!(new["accessDetails"], before["accessDetails"]);
            assert_eq!(
                new["displayName"],
                format!("{} (2)", before["displayName"].as_str().unwrap())
            );
            let link = new["approvalUrl"].as_str().unwrap();
            assert!(
                link.starts_with(&format!("{}/admin-approval/", server.url)),
                "{link}"
            );
            let page = reqwest::get(link).await.unwrap();
            assert_eq!(page.status(), 200, "the link opens the approval page");
        }
        // The same MS-RequestId answers the same and makes nothing more.
        let (status, again) = post().await;
        assert_eq!((status, &again), (200, &answer));
    }
}
