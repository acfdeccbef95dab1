//! The typed client against the real server: the dashboard's calls read what the server writes
//! (Graph shapes, `@odata.etag` as `If-Match`, paging by `@odata.nextLink`), and times are the
//! server's clock, not the machine's.

use cspdash::api::Role;
use cspdash::api::gdap::{
    AccessAssignment, AccessContainer, AccessDetails, AdminRelationshipPatch, NewAccessAssignment,
    NewAdminRelationship, RelationshipCustomer, RelationshipStatus, RequestAction, roles,
};
use cspdash::client::RelationshipFilter;
use cspdash::client::{Client, ClientError};
use cspdash::server::clock::Clock;

use super::*;
use crate::fake_backend::quick_options;

fn client(server: &TestServer, role: Role) -> Client {
    Client::with_options(&server.url, server.token(CONTOSO, role), quick_options()).unwrap()
}

fn request(name: &str, tenant: &str) -> NewAdminRelationship {
    NewAdminRelationship {
        display_name: name.into(),
        duration: "P730D".into(),
        auto_extend_duration: "P180D".into(),
        customer: RelationshipCustomer {
            tenant_id: tenant.into(),
            display_name: String::new(),
        },
        access_details: AccessDetails::of(roles::LEAST_PRIVILEGE_HELPDESK.roles),
    }
}

contract! {
    async fn the_dashboards_calls_create_lock_change_page_and_assign_through_the_real_server() {
        let server = spawn_server_without_admin_relationships(5).await;
        let custs = customers(&server, CONTOSO, 3).await;
        let admin = client(&server, Role::AdminAgent);
        assert_eq!(
            admin.role_definitions().await.unwrap().len(),
            roles::REQUESTABLE.len()
        );
        let made = admin
            .create_admin_relationship(&request("Typed", &custs[0].tenant), "typed-1")
            .await
            .unwrap();
        assert_eq!(made.status, RelationshipStatus::Created);
        assert_eq!(made.customer.display_name, custs[0].name);
        assert!(made.auto_extends());
        let again = admin
            .create_admin_relationship(&request("Typed", &custs[0].tenant), "typed-1")
            .await
            .unwrap();
        assert_eq!(again, made, "a retry is the first answer");

        let locked = admin
            .lock_for_approval(&made.id, "typed-lock")
            .await
            .unwrap();
        assert_eq!(locked.status, RelationshipStatus::ApprovalPending);
        assert!(
            locked
                .approval_url
                .as_deref()
                .unwrap()
                .contains("/admin-approval/")
        );
        let patch = AdminRelationshipPatch {
            duration: Some("P30D".into()),
            ..AdminRelationshipPatch::default()
        };
        let refused = admin
            .update_admin_relationship(&made.id, &patch, &locked.etag)
            .await
            .unwrap_err();
        assert!(
            matches!(refused, ClientError::Status { status: 409, .. }),
            "{refused}"
        );

        let second = admin
            .create_admin_relationship(&request("Typed two", &custs[1].tenant), "typed-2")
            .await
            .unwrap();
        let changed = admin
            .update_admin_relationship(&second.id, &patch, &second.etag)
            .await
            .unwrap();
        assert_eq!(changed.duration, "P30D");
        let stale = admin
            .update_admin_relationship(&second.id, &patch, &second.etag)
            .await
            .unwrap_err();
        assert!(
            matches!(stale, ClientError::Status { status: 412, .. }),
            "{stale}"
        );

        for n in 0..3 {
            admin
                .create_admin_relationship(
                    &request(&format!("Paged {n}"), &custs[2].tenant),
                    &format!("p-{n}"),
                )
                .await
                .unwrap();
        }
        let everything = admin
            .admin_relationships(&RelationshipFilter::default())
            .await
            .unwrap();
        assert_eq!(everything.len(), 5);
        let first_page = admin
            .admin_relationships_page(&RelationshipFilter::default(), 2)
            .await
            .unwrap();
        assert_eq!(first_page.value.len(), 2);
        let next = admin
            .admin_relationships_next(first_page.next_link.as_deref().unwrap())
            .await
            .unwrap();
        assert_eq!(next.value.len(), 2);
        assert!(next.value.iter().all(|r| !first_page.value.contains(r)));
        let of_third = admin
            .admin_relationships(&RelationshipFilter::of_customer(&custs[2].tenant))
            .await
            .unwrap();
        assert_eq!(of_third.len(), 3);
        let pending = RelationshipFilter {
            status: Some(RelationshipStatus::ApprovalPending),
            ..RelationshipFilter::default()
        };
        assert_eq!(
            admin.admin_relationships(&pending).await.unwrap(),
            vec![locked.clone()]
        );

        let groups = super::groups(&server, CONTOSO).await;
        let typed = admin.security_groups().await.unwrap();
        assert_eq!(typed.len(), groups.len());
        let active = activate(&server, &second.id).await;
        let new = NewAccessAssignment {
            access_container: AccessContainer::security_group(&groups[0].0),
            access_details: AccessDetails::of(&[roles::DIRECTORY_READERS]),
        };
        let assigned: AccessAssignment = admin
            .create_access_assignment(&second.id, &new, "typed-assign")
            .await
            .unwrap();
        assert_eq!(
            assigned.access_container_display_name.as_deref(),
            Some(groups[0].1.as_str())
        );
        let listed = client(&server, Role::HelpdeskAgent)
            .access_assignments(&second.id)
            .await
            .unwrap();
        assert_eq!(listed, vec![assigned]);
        let counted = admin.admin_relationship(&second.id).await.unwrap();
        assert_eq!(counted.access_assignment_count, 1);
        assert_ne!(counted.etag, active["@odata.etag"].as_str().unwrap());

        let sales = client(&server, Role::SalesAgent);
        let refused = sales
            .request_admin_action(&second.id, RequestAction::Terminate, "sales-end")
            .await
            .unwrap_err();
        assert!(
            matches!(&refused, ClientError::Forbidden { description } if description.contains("Admin agent")),
            "{refused}"
        );
        let ended = admin
            .request_admin_action(&second.id, RequestAction::Terminate, "admin-end")
            .await
            .unwrap();
        assert_eq!(ended.action, RequestAction::Terminate);
        // The lifecycle may already have completed it (it runs every second).
        let status = admin.admin_relationship(&second.id).await.unwrap().status;
        assert!(
            matches!(
                status,
                RelationshipStatus::TerminationRequested | RelationshipStatus::Terminated
            ),
            "{status:?}"
        );
    }
}

contract! {
    async fn a_relationships_times_are_the_servers_clock() {
        let server = spawn_server_without_admin_relationships(3).await;
        let cust = customers(&server, CONTOSO, 1).await.remove(0);
        server.clock.advance_days(400);
        let made = create(&server, &cust.tenant, "In the future", HELPDESK).await;
        let created =
            chrono::DateTime::parse_from_rfc3339(made["createdDateTime"].as_str().unwrap()).unwrap();
        let drift = server.clock.now() - created.with_timezone(&chrono::Utc);
        assert!(
            drift.num_seconds().abs() < 60,
            "created by the server's clock: {made}"
        );
        let id = made["id"].as_str().unwrap();
        let locked = lock(&server, id).await;
        let locked_at =
            chrono::DateTime::parse_from_rfc3339(locked["lockedDateTime"].as_str().unwrap()).unwrap();
        assert!((server.clock.now() - locked_at.with_timezone(&chrono::Utc)).num_days() == 0);
        let (_, customer) = server.get_json(&format!("/v1/customers/{}", cust.id)).await;
        assert_eq!(
            customer["adminAccess"]["requestedDateTime"],
            locked["lockedDateTime"]
        );
    }
}
