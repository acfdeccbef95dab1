//! The rules of issue §6: each bad request is a 400 naming its field with nothing changed; what
//! a PATCH may change by status; `If-Match` (428 without, 412 stale).

use cspdash::api::Role;
use cspdash::api::gdap::{GLOBAL_ADMINISTRATOR, roles};
use reqwest::Method;
use serde_json::json;

use super::*;

async fn post(server: &TestServer, body: &Value) -> (u16, Value) {
    send(
        server,
        CONTOSO,
        Role::AdminAgent,
        Method::POST,
        BASE,
        Some(body),
        &[],
    )
    .await
}

async fn patch(
    server: &TestServer,
    id: &str,
    body: &Value,
    if_match: Option<&str>,
) -> (u16, Value, HeaderMap) {
    let headers: Vec<(&str, &str)> = if_match.map(|tag| ("If-Match", tag)).into_iter().collect();
    send_full(
        server,
        CONTOSO,
        Role::AdminAgent,
        Method::PATCH,
        &format!("{BASE}/{id}"),
        Some(body),
        &headers,
    )
    .await
}

contract! {
    async fn each_broken_rule_is_a_400_naming_its_field_and_nothing_is_made() {
        let server = spawn_server_without_admin_relationships(5).await;
        let cust = customers(&server, CONTOSO, 1).await.remove(0);
        create(&server, &cust.tenant, "Taken Name", HELPDESK).await;
        let events_before = events(&server).await.len();
        let long = "x".repeat(51);
        let unknown = [
            roles::DIRECTORY_READERS,
            "00000000-0000-0000-0000-000000000000",
        ];
        let with_ga = [roles::DIRECTORY_READERS, GLOBAL_ADMINISTRATOR];
        let cases: Vec<(Value, &str)> = vec![
            (
                new_body("Too long", &cust.tenant, HELPDESK, 731, false),
                "duration",
            ),
            (
                new_body("Zero", &cust.tenant, HELPDESK, 0, false),
                "duration",
            ),
            (
                new_body("Unknown role", &cust.tenant, &unknown, 30, false),
                "accessDetails.unifiedRoles[1].roleDefinitionId",
            ),
            (
                new_body("No roles", &cust.tenant, &[], 30, false),
                "accessDetails.unifiedRoles",
            ),
            (
                new_body(&long, &cust.tenant, HELPDESK, 30, false),
                "displayName",
            ),
            (
                new_body("   ", &cust.tenant, HELPDESK, 30, false),
                "displayName",
            ),
            (
                new_body("taken name", &cust.tenant, HELPDESK, 30, false),
                "displayName",
            ),
            (
                new_body("GA extends", &cust.tenant, &with_ga, 30, true),
                "autoExtendDuration",
            ),
            (
                new_body("Nobody", "no-such-tenant", HELPDESK, 30, false),
                "customer.tenantId",
            ),
        ];
        for (body, expected) in cases {
            let (status, refused) = post(&server, &body).await;
            assert_eq!(status, 400, "{expected}: {refused}");
            assert_eq!(field(&refused), expected, "{refused}");
        }
        let (status, months) = post(
            &server,
            &json!({"displayName": "Months", "duration": "P2Y", "customer": {"tenantId": cust.tenant},
                    "accessDetails": {"unifiedRoles": [{"roleDefinitionId": roles::DIRECTORY_READERS}]}}),
        )
        .await;
        assert_eq!((status, field(&months)), (400, "duration"), "{months}");
        let (_, listed) = server.get_json(BASE).await;
        assert_eq!(
            listed["value"].as_array().unwrap().len(),
            1,
            "nothing made: {listed}"
        );
        assert_eq!(
            events(&server).await.len(),
            events_before,
            "no event for a refusal"
        );
        // The name's rule ignores case but keeps the name as written; 50 characters are fine.
        let fifty = "y".repeat(50);
        let (status, made) = post(
            &server,
            &new_body(&fifty, &cust.tenant, HELPDESK, 730, false),
        )
        .await;
        assert_eq!(status, 201, "{made}");
    }
}

contract! {
    async fn a_change_needs_if_match_and_a_stale_one_is_refused() {
        let server = spawn_server_without_admin_relationships(5).await;
        let cust = customers(&server, CONTOSO, 1).await.remove(0);
        let made = create(&server, &cust.tenant, "Draft", HELPDESK).await;
        let id = made["id"].as_str().unwrap();
        let first_tag = made["@odata.etag"].as_str().unwrap().to_string();
        let rename = json!({"displayName": "Draft 2"});
        let (status, body, _) = patch(&server, id, &rename, None).await;
        assert_eq!(status, 428, "{body}");
        let (status, changed, headers) = patch(&server, id, &rename, Some(&first_tag)).await;
        assert_eq!(status, 200, "{changed}");
        assert_eq!(changed["displayName"], "Draft 2");
        let new_tag = changed["@odata.etag"].as_str().unwrap();
        assert_ne!(new_tag, first_tag);
        assert_eq!(headers["etag"].to_str().unwrap(), new_tag);
        let (status, body, _) = patch(
            &server,
            id,
            &json!({"displayName": "Draft 3"}),
            Some(&first_tag),
        )
        .await;
        assert_eq!(status, 412, "{body}");
        assert_eq!(read(&server, CONTOSO, id).await["displayName"], "Draft 2");
        let changes = audit(&server, "updateAdminRelationship", "AdminRelationship").await;
        assert_eq!(changes.len(), 1);
        assert!(
            changes[0].0.contains("displayName Draft") && changes[0].1.contains("displayName Draft 2"),
            "{changes:?}"
        );
    }
}

contract! {
    async fn while_created_every_term_may_change_by_the_rules_of_a_new_request() {
        let server = spawn_server_without_admin_relationships(5).await;
        let cust = customers(&server, CONTOSO, 1).await.remove(0);
        create(&server, &cust.tenant, "Other name", HELPDESK).await;
        let made = create(&server, &cust.tenant, "Draft", HELPDESK).await;
        let id = made["id"].as_str().unwrap();
        let change = json!({
            "duration": "P365D",
            "autoExtendDuration": "P180D",
            "accessDetails": {"unifiedRoles": [{"roleDefinitionId": roles::USER_ADMINISTRATOR}]},
        });
        let (status, changed, _) = patch(&server, id, &change, Some("*")).await;
        assert_eq!(status, 200, "{changed}");
        assert_eq!(changed["duration"], "P365D");
        assert_eq!(changed["autoExtendDuration"], "P180D");
        assert_eq!(
            changed["accessDetails"]["unifiedRoles"],
            json!([{"roleDefinitionId": roles::USER_ADMINISTRATOR}])
        );
        for (body, expected) in [
            (json!({"displayName": "OTHER NAME"}), "displayName"),
            (json!({"duration": "P1000D"}), "duration"),
            (
                json!({"accessDetails": {"unifiedRoles": [{"roleDefinitionId": GLOBAL_ADMINISTRATOR}]}}),
                "autoExtendDuration",
            ),
            (json!({"status": "active"}), "status"),
            (json!({"customer": {"tenantId": "elsewhere"}}), "customer"),
        ] {
            let (status, refused, _) = patch(&server, id, &body, Some("*")).await;
            assert_eq!(status, 400, "{body}: {refused}");
            assert_eq!(field(&refused), expected, "{refused}");
        }
        assert_eq!(
            read(&server, CONTOSO, id).await["@odata.etag"],
            changed["@odata.etag"],
            "nothing changed"
        );
    }
}

contract! {
    async fn while_active_only_auto_extend_changes_and_global_administrator_can_be_removed() {
        let server = spawn_server_without_admin_relationships(5).await;
        let cust = customers(&server, CONTOSO, 1).await.remove(0);
        let made = create(
            &server,
            &cust.tenant,
            "Full admin",
            &[roles::DIRECTORY_READERS, GLOBAL_ADMINISTRATOR],
        )
        .await;
        let id = made["id"].as_str().unwrap();
        let active = activate(&server, id).await;
        for body in [
            json!({"displayName": "Renamed"}),
            json!({"duration": "P30D"}),
            json!({"accessDetails": {"unifiedRoles": [{"roleDefinitionId": roles::DIRECTORY_READERS}, {"roleDefinitionId": GLOBAL_ADMINISTRATOR}, {"roleDefinitionId": roles::USER_ADMINISTRATOR}]}}),
            json!({"accessDetails": {"unifiedRoles": [{"roleDefinitionId": GLOBAL_ADMINISTRATOR}]}}),
        ] {
            let (status, refused, _) = patch(&server, id, &body, Some("*")).await;
            assert_eq!(status, 409, "{body}: {refused}");
            assert!(
                refused["description"]
                    .as_str()
                    .unwrap()
                    .contains("only its auto-extend"),
                "{refused}"
            );
        }
        let (status, refused, _) = patch(
            &server,
            id,
            &json!({"autoExtendDuration": "P180D"}),
            Some("*"),
        )
        .await;
        assert_eq!(
            (status, field(&refused)),
            (400, "autoExtendDuration"),
            "{refused}"
        );
        assert_eq!(
            read(&server, CONTOSO, id).await["@odata.etag"],
            active["@odata.etag"]
        );

        // Dropping Global Administrator and turning auto-extend on, in one change; the name may be
        // sent as it is.
        let body = json!({
            "displayName": "Full admin",
            "accessDetails": {"unifiedRoles": [{"roleDefinitionId": roles::DIRECTORY_READERS}]},
            "autoExtendDuration": "P180D",
        });
        let (status, changed, _) = patch(
            &server,
            id,
            &body,
            Some(active["@odata.etag"].as_str().unwrap()),
        )
        .await;
        assert_eq!(status, 200, "{changed}");
        assert_eq!(changed["status"], "active");
        assert_eq!(changed["autoExtendDuration"], "P180D");
        assert_eq!(
            changed["accessDetails"]["unifiedRoles"],
            json!([{"roleDefinitionId": roles::DIRECTORY_READERS}])
        );
        let (status, off, _) = patch(
            &server,
            id,
            &json!({"autoExtendDuration": "PT0S"}),
            Some("*"),
        )
        .await;
        assert_eq!(
            (status, off["autoExtendDuration"].as_str()),
            (200, Some("PT0S")),
            "{off}"
        );
        let changes = audit(&server, "updateAdminRelationship", "AdminRelationship").await;
        assert_eq!(changes.len(), 2);
        assert!(
            changes[1].0.contains("Global Administrator")
                && !changes[1].1.contains("Global Administrator"),
            "{changes:?}"
        );
        assert!(
            changes[1].1.contains("autoExtendDuration P180D"),
            "{changes:?}"
        );
    }
}

contract! {
    async fn pending_and_ended_relationships_do_not_change() {
        let server = spawn_server_without_admin_relationships(5).await;
        let cust = customers(&server, CONTOSO, 1).await.remove(0);
        let made = create(&server, &cust.tenant, "Sent", HELPDESK).await;
        let id = made["id"].as_str().unwrap();
        lock(&server, id).await;
        let (status, refused, _) = patch(&server, id, &json!({"duration": "P30D"}), Some("*")).await;
        assert_eq!(status, 409, "{refused}");
        assert!(
            refused["description"]
                .as_str()
                .unwrap()
                .contains("waiting for the customer")
        );
        act(&server, Role::AdminAgent, id, "terminate").await;
        let (status, refused, _) = patch(
            &server,
            id,
            &json!({"autoExtendDuration": "PT0S"}),
            Some("*"),
        )
        .await;
        assert_eq!(status, 409, "{refused}");
        assert_eq!(read(&server, CONTOSO, id).await["duration"], "P730D");
    }
}
