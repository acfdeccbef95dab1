//! Create, lock for approval, terminate: each status change as the partner sees it (the
//! relationship, the customer's `adminAccess`, the event, the audit record), repeats that
//! change nothing, and who may.

use cspdash::api::{EventKind, Role};
use cspdash::client::Client;
use futures::StreamExt;
use reqwest::Method;
use serde_json::json;

use super::*;
use crate::fake_backend::quick_options;

async fn admin_access(server: &TestServer, customer: &str) -> Value {
    let (status, body) = server.get_json(&format!("/v1/customers/{customer}")).await;
    assert_eq!(status, 200, "{body}");
    body["adminAccess"].clone()
}

contract! {
    async fn a_request_is_created_locked_with_an_approval_link_and_withdrawn_each_step_an_event_and_an_audit_record()
     {
        let server = spawn_server_without_admin_relationships(10).await;
        let cust = customers(&server, CONTOSO, 3).await.remove(0);
        assert_eq!(admin_access(&server, &cust.id).await["status"], "none");
        let body = new_body("Helpdesk for Contoso", &cust.tenant, HELPDESK, 730, true);
        let (status, made, headers) = send_full(
            &server,
            CONTOSO,
            Role::GlobalAdmin,
            Method::POST,
            BASE,
            Some(&body),
            &[("MS-RequestId", "create-1")],
        )
        .await;
        assert_eq!(status, 201, "{made}");
        let id = made["id"].as_str().unwrap();
        assert_eq!(made["status"], "created");
        assert_eq!(made["displayName"], "Helpdesk for Contoso");
        assert_eq!(made["duration"], "P730D");
        assert_eq!(made["autoExtendDuration"], "P180D");
        assert_eq!(made["customer"]["tenantId"], cust.tenant);
        assert_eq!(made["customer"]["displayName"], cust.name);
        assert_eq!(
            made["accessDetails"]["unifiedRoles"][1]["roleDefinitionId"],
            HELPDESK[1]
        );
        assert!(made.get("approvalUrl").is_none(), "{made}");
        assert_eq!(
            headers["etag"].to_str().unwrap(),
            made["@odata.etag"].as_str().unwrap()
        );
        assert_eq!(
            headers["location"].to_str().unwrap(),
            format!("{BASE}/{id}")
        );
        assert_eq!(admin_access(&server, &cust.id).await["status"], "pending");

        let locked = lock(&server, id).await;
        assert_eq!(locked["status"], "approvalPending");
        assert!(locked["lockedDateTime"].is_string(), "{locked}");
        let url = locked["approvalUrl"].as_str().unwrap();
        let code = url
            .strip_prefix(&format!("{}/admin-approval/", server.url))
            .unwrap();
        assert_eq!(code.len(), 43, "256 random bits, base64url: {code}");
        assert!(
            code.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_ne!(locked["@odata.etag"], made["@odata.etag"]);
        let (again, refused) = act(&server, Role::AdminAgent, id, "lockForApproval").await;
        assert_eq!(again, 409, "locking twice: {refused}");

        // Pending: withdrawn at once, and its link no longer shown.
        let (status, request) = act(&server, Role::AdminAgent, id, "terminate").await;
        assert_eq!(status, 201, "{request}");
        assert_eq!(request["action"], "terminate");
        assert_eq!(request["status"], "succeeded");
        let ended = read(&server, CONTOSO, id).await;
        assert_eq!(ended["status"], "terminated");
        assert!(ended.get("approvalUrl").is_none(), "{ended}");
        assert_eq!(
            admin_access(&server, &cust.id).await["status"],
            "terminated"
        );
        let (status, refused) = act(&server, Role::AdminAgent, id, "terminate").await;
        assert_eq!(status, 409, "{refused}");
        assert!(
            refused["description"]
                .as_str()
                .unwrap()
                .contains("can't be revived")
        );

        let kinds: Vec<(String, String)> = events(&server).await;
        assert_eq!(
            kinds,
            vec![
                ("adminRelationship.created".to_string(), cust.id.clone()),
                ("adminRelationship.updated".to_string(), cust.id.clone()),
                ("adminRelationship.updated".to_string(), cust.id.clone()),
            ]
        );
        let created = audit(&server, "createAdminRelationship", "AdminRelationship").await;
        assert_eq!(created.len(), 1);
        assert!(
            created[0].1.contains("Helpdesk for Contoso")
                && created[0].1.contains("Helpdesk Administrator")
                && created[0].1.contains("P730D"),
            "{created:?}"
        );
        let locks = audit(&server, "lockAdminRelationship", "AdminRelationship").await;
        assert_eq!(locks.len(), 1);
        assert!(
            locks[0].0.ends_with("status created") && locks[0].1.ends_with("status approvalPending")
        );
        assert!(
            !locks[0].1.contains(code),
            "the audit log never holds the code"
        );
        let ends = audit(&server, "terminateAdminRelationship", "AdminRelationship").await;
        assert_eq!(ends.len(), 1);
        assert!(ends[0].1.ends_with("status terminated"), "{ends:?}");
    }
}

contract! {
    async fn terminating_an_active_relationship_requests_its_end_and_a_created_one_ends_at_once() {
        let server = spawn_server_without_admin_relationships(10).await;
        let custs = customers(&server, CONTOSO, 3).await;
        let active = create(&server, &custs[0].tenant, "Active one", HELPDESK).await;
        let id = active["id"].as_str().unwrap();
        let before = activate(&server, id).await;
        assert_eq!(
            admin_access(&server, &custs[0].id).await["status"],
            "active"
        );
        let (status, _) = act(&server, Role::GlobalAdmin, id, "terminate").await;
        assert_eq!(status, 201);
        // Requested; the lifecycle completes it on its next tick (every second here), so either may
        // be read now, and terminated within a few seconds.
        let requested = read(&server, CONTOSO, id).await;
        let status = requested["status"].as_str().unwrap();
        assert!(
            status == "terminationRequested" || status == "terminated",
            "{requested}"
        );
        assert_ne!(requested["@odata.etag"], before["@odata.etag"]);
        let ended = until_status(&server, id, "terminated").await;
        assert!(ended.get("approvalUrl").is_none());
        assert_eq!(
            admin_access(&server, &custs[0].id).await["status"],
            "terminated"
        );
        let (status, body) = act(&server, Role::GlobalAdmin, id, "terminate").await;
        assert_eq!(status, 409, "{body}");
        let (status, body) = act(&server, Role::GlobalAdmin, id, "lockForApproval").await;
        assert_eq!(status, 409, "{body}");

        let fresh = create(&server, &custs[1].tenant, "Never sent", HELPDESK).await;
        let fresh_id = fresh["id"].as_str().unwrap();
        let (status, _) = act(&server, Role::AdminAgent, fresh_id, "terminate").await;
        assert_eq!(status, 201);
        assert_eq!(
            read(&server, CONTOSO, fresh_id).await["status"],
            "terminated"
        );
    }
}

contract! {
    async fn the_customer_can_not_be_approved_by_the_partner_and_unknown_actions_name_the_field() {
        let server = spawn_server_without_admin_relationships(5).await;
        let cust = customers(&server, CONTOSO, 1).await.remove(0);
        let made = create(&server, &cust.tenant, "Self approval", HELPDESK).await;
        let id = made["id"].as_str().unwrap();
        lock(&server, id).await;
        for action in ["approve", "dance"] {
            let (status, body) = act(&server, Role::GlobalAdmin, id, action).await;
            assert_eq!(status, 400, "{action}: {body}");
            assert_eq!(field(&body), "action");
        }
        assert_eq!(
            read(&server, CONTOSO, id).await["status"],
            "approvalPending"
        );
    }
}

contract! {
    async fn a_repeated_request_id_answers_as_the_first_time_and_changes_nothing() {
        let server = spawn_server_without_admin_relationships(5).await;
        let cust = customers(&server, CONTOSO, 1).await.remove(0);
        let body = new_body("Retried", &cust.tenant, HELPDESK, 90, false);
        let post = |key: &'static str, body: Value| {
            let server = &server;
            async move {
                send(
                    server,
                    CONTOSO,
                    Role::AdminAgent,
                    Method::POST,
                    BASE,
                    Some(&body),
                    &[("MS-RequestId", key)],
                )
                .await
            }
        };
        let (first_status, first) = post("same", body.clone()).await;
        let (again_status, again) = post("same", body.clone()).await;
        assert_eq!((first_status, again_status), (201, 201));
        assert_eq!(first, again);
        let (_, listed) = server.get_json(BASE).await;
        assert_eq!(listed["value"].as_array().unwrap().len(), 1, "{listed}");
        let (status, conflict) =
            post("same", new_body("Other", &cust.tenant, HELPDESK, 90, false)).await;
        assert_eq!(status, 409, "{conflict}");

        // A retried lock is the first answer, not a conflict; one event for both.
        let id = first["id"].as_str().unwrap();
        let path = format!("{BASE}/{id}/requests");
        let lock_body = json!({"action": "lockForApproval"});
        let mut answers = Vec::new();
        for _ in 0..2 {
            answers.push(
                send(
                    &server,
                    CONTOSO,
                    Role::AdminAgent,
                    Method::POST,
                    &path,
                    Some(&lock_body),
                    &[("MS-RequestId", "lock-1")],
                )
                .await,
            );
        }
        assert_eq!(answers[0].0, 201, "{}", answers[0].1);
        assert_eq!(answers[0], answers[1]);
        assert_eq!(events(&server).await.len(), 2, "created + locked once");
        assert_eq!(
            audit(&server, "lockAdminRelationship", "AdminRelationship")
                .await
                .len(),
            1
        );
    }
}

contract! {
    async fn every_open_dashboard_hears_of_a_new_relationship_with_the_customers_new_admin_access() {
        let server = spawn_server_without_admin_relationships(5).await;
        let cust = customers(&server, CONTOSO, 1).await.remove(0);
        let listener = Client::with_options(
            &server.url,
            server.token(CONTOSO, Role::HelpdeskAgent),
            quick_options(),
        )
        .unwrap();
        let mut stream = Box::pin(listener.events(Some(0)));
        let made = create(&server, &cust.tenant, "Heard", HELPDESK).await;
        lock(&server, made["id"].as_str().unwrap()).await;
        for expected in [
            EventKind::AdminRelationshipCreated,
            EventKind::AdminRelationshipUpdated,
        ] {
            let event = tokio::time::timeout(std::time::Duration::from_secs(10), stream.next())
                .await
                .expect("an event within 10 s")
                .unwrap()
                .unwrap();
            assert_eq!(event.kind, expected);
            assert_eq!(event.customer.id, cust.id);
            let access = event.customer.admin_access.unwrap();
            assert_eq!(access.status.as_str(), "pending");
        }
        // Fabrikam's listeners hear nothing of it: its relationships list is empty.
        let (_, theirs) = send(
            &server,
            FABRIKAM,
            Role::GlobalAdmin,
            Method::GET,
            BASE,
            None,
            &[],
        )
        .await;
        assert!(theirs["value"].as_array().unwrap().is_empty(), "{theirs}");
    }
}

contract! {
    async fn sales_and_helpdesk_agents_read_but_may_not_change_and_another_partners_relationship_is_not_found()
     {
        let server = spawn_server_without_admin_relationships(5).await;
        let own = customers(&server, CONTOSO, 1).await.remove(0);
        let theirs = customers(&server, FABRIKAM, 1).await.remove(0);
        let mine = create(&server, &own.tenant, "Mine", HELPDESK).await;
        let other = create_for(&server, FABRIKAM, &theirs.tenant, "Theirs", HELPDESK).await;
        let mine_id = mine["id"].as_str().unwrap();
        let other_id = other["id"].as_str().unwrap();
        let patch = json!({"displayName": "Renamed"});
        let lock_body = json!({"action": "lockForApproval"});
        let create_body = new_body("By sales", &own.tenant, HELPDESK, 30, false);
        for role in [Role::SalesAgent, Role::HelpdeskAgent] {
            assert_eq!(read(&server, CONTOSO, mine_id).await["displayName"], "Mine");
            let (status, body) = send(
                &server,
                CONTOSO,
                role,
                Method::GET,
                &format!("{BASE}/{mine_id}"),
                None,
                &[],
            )
            .await;
            assert_eq!(status, 200, "{role}: {body}");
            let attempts = [
                (
                    Method::POST,
                    BASE.to_string(),
                    &create_body,
                    vec![("MS-RequestId", "sa")],
                ),
                (
                    Method::PATCH,
                    format!("{BASE}/{mine_id}"),
                    &patch,
                    vec![("If-Match", "*")],
                ),
                (
                    Method::POST,
                    format!("{BASE}/{mine_id}/requests"),
                    &lock_body,
                    vec![],
                ),
            ];
            for (method, path, body, headers) in attempts {
                let (status, refused) = send(
                    &server,
                    CONTOSO,
                    role,
                    method.clone(),
                    &path,
                    Some(body),
                    &headers,
                )
                .await;
                assert_eq!(status, 403, "{method} {path} as {role}: {refused}");
                let says = refused["description"].as_str().unwrap();
                assert!(
                    says.contains("Global admin") && says.contains("Admin agent"),
                    "{says}"
                );
            }
        }
        let unchanged = read(&server, CONTOSO, mine_id).await;
        assert_eq!(
            (
                unchanged["displayName"].as_str(),
                unchanged["status"].as_str()
            ),
            (Some("Mine"), Some("created"))
        );

        for (method, path, body, headers) in [
            (Method::GET, format!("{BASE}/{other_id}"), None, vec![]),
            (
                Method::PATCH,
                format!("{BASE}/{other_id}"),
                Some(&patch),
                vec![("If-Match", "*")],
            ),
            (
                Method::POST,
                format!("{BASE}/{other_id}/requests"),
                Some(&lock_body),
                vec![],
            ),
            (
                Method::GET,
                format!("{BASE}/{other_id}/accessAssignments"),
                None,
                vec![],
            ),
        ] {
            let (status, body) = send(
                &server,
                CONTOSO,
                Role::GlobalAdmin,
                method.clone(),
                &path,
                body,
                &headers,
            )
            .await;
            assert_eq!(status, 404, "{method} {path}: {body}");
        }
        assert_eq!(read(&server, FABRIKAM, other_id).await["status"], "created");
        // Naming another partner's customer is naming no customer of yours.
        let (status, body) = send(
            &server,
            CONTOSO,
            Role::GlobalAdmin,
            Method::POST,
            BASE,
            Some(&new_body("Poaching", &theirs.tenant, HELPDESK, 30, false)),
            &[],
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(field(&body), "customer.tenantId");
    }
}

/// The relationship once it reads `status` (within 5 s).
async fn until_status(server: &TestServer, id: &str, status: &str) -> Value {
    for _ in 0..50 {
        let now = read(server, CONTOSO, id).await;
        if now["status"] == status {
            return now;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{id} did not become {status} within 5 s");
}
