//! The request form's calls against the real server: for a customer whose admin access ended,
//! the roles of its newest ended relationship are proposed; sending creates and locks in one
//! call whose retry (same `MS-RequestId`s) makes nothing twice and answers the same approval
//! link.
#![allow(clippy::unwrap_used)]

use cspdash::api::Role;
use cspdash::api::gdap::{
    AccessDetails, AdminAccessStatus, NewAdminRelationship, RelationshipCustomer,
    RelationshipStatus, RequestAction, roles,
};
use cspdash::client::{Client, RelationshipFilter};
use cspdash::tui::call::Call;
use cspdash::tui::screens::admin_request::{LoadTarget, RequestAccess, Requested, Target};

use crate::fake_backend::quick_options;
use crate::gdap_api::customers;
use crate::helpers::*;

fn client(server: &TestServer) -> Client {
    Client::with_options(
        &server.url,
        server.token(CONTOSO, Role::AdminAgent),
        quick_options(),
    )
    .unwrap()
}

fn request(name: &str, tenant: &str, ids: &[&str]) -> NewAdminRelationship {
    NewAdminRelationship {
        display_name: name.into(),
        duration: "P730D".into(),
        auto_extend_duration: "PT0S".into(),
        customer: RelationshipCustomer {
            tenant_id: tenant.into(),
            display_name: String::new(),
        },
        access_details: AccessDetails::of(ids),
    }
}

contract! {
    async fn an_ended_customer_is_offered_the_roles_of_its_newest_ended_relationship() {
        let server = spawn_server_without_admin_relationships(3).await;
        let cust = customers(&server, CONTOSO, 1).await.remove(0);
        let api = client(&server);
        // Two requests that ended, a day apart: the older one first.
        for (name, ids) in [
            ("Old helpdesk", roles::LEAST_PRIVILEGE_HELPDESK.roles),
            (
                "Exchange 2025",
                &[roles::EXCHANGE_ADMINISTRATOR, roles::DIRECTORY_READERS][..],
            ),
        ] {
            let made = api
                .create_admin_relationship(&request(name, &cust.tenant, ids), &uuid())
                .await
                .unwrap();
            api.request_admin_action(&made.id, RequestAction::Terminate, &uuid())
                .await
                .unwrap();
            server.clock.advance_days(1);
        }
        let me = api.customer(&cust.id).await.unwrap();
        assert_eq!(
            me.admin_access.map(|a| a.status),
            Some(AdminAccessStatus::Terminated)
        );
        let call = LoadTarget {
            customer_id: cust.id.clone(),
            previous: true,
        };
        let target = call.run(api.clone()).await.unwrap();
        let target = target.downcast::<Target>().unwrap();
        assert_eq!(target.tenant_id, cust.tenant);
        let previous = target.previous.expect("a previous relationship");
        assert_eq!(previous.name, "Exchange 2025");
        assert_eq!(
            previous.role_ids,
            [roles::DIRECTORY_READERS, roles::EXCHANGE_ADMINISTRATOR]
        );
    }
}

contract! {
    async fn sending_twice_with_the_same_ids_creates_one_relationship_waiting_for_approval() {
        let server = spawn_server_without_admin_relationships(3).await;
        let cust = customers(&server, CONTOSO, 1).await.remove(0);
        let api = client(&server);
        let call = RequestAccess {
            create_id: uuid(),
            lock_id: uuid(),
            new: Box::new(request(
                "Contoso admin access 2026-12",
                &cust.tenant,
                roles::LEAST_PRIVILEGE_HELPDESK.roles,
            )),
        };
        let first = call.run(api.clone()).await.unwrap();
        let first = first.downcast::<Requested>().unwrap();
        assert_eq!(first.status, RelationshipStatus::ApprovalPending);
        let link = first.approval_url.clone().expect("an approval link");
        assert!(
            link.starts_with(&format!("{}/admin-approval/", server.url)),
            "{link}"
        );
        // A retry after a lost answer: the very same call.
        let again = call.run(api.clone()).await.unwrap();
        let again = again.downcast::<Requested>().unwrap();
        assert_eq!(again.id, first.id);
        assert_eq!(again.approval_url.as_deref(), Some(link.as_str()));
        let all = api
            .admin_relationships(&RelationshipFilter::of_customer(&cust.tenant))
            .await
            .unwrap();
        assert_eq!(all.len(), 1, "{all:?}");
    }
}

fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}
