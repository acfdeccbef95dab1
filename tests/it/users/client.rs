//! The typed client's user methods against the real server: what the users screen relies on.

use cspdash::api::Role;
use cspdash::api::users::{NewUser, PasswordProfile, temporary_password};
use cspdash::client::{Client, ClientError};

use super::manageable_customer;
use crate::fake_backend::quick_options;
use crate::helpers::{CONTOSO, TestServer, contract, spawn_server};

fn signed_in(server: &TestServer, role: Role) -> Client {
    Client::with_options(&server.url, server.token(CONTOSO, role), quick_options()).expect("client")
}

fn new_user(upn: String) -> NewUser {
    NewUser {
        user_principal_name: upn,
        first_name: "Lena".into(),
        last_name: "Berg".into(),
        display_name: "Lena Berg".into(),
        usage_location: "SE".into(),
        password_profile: PasswordProfile {
            password: temporary_password().expect("random"),
            force_change_password: true,
        },
    }
}

contract! {
    async fn a_user_is_added_licensed_removed_and_restored_through_the_client() {
        let server = spawn_server(20).await;
        let (customer, domain) = manageable_customer(&server).await;
        let client = signed_in(&server, Role::AdminAgent);
        let new = new_user(format!("lena.berg@{domain}"));
        let added = client
            .create_user(&customer, &new, "c-1")
            .await
            .expect("added");
        let again = client
            .create_user(&customer, &new, "c-1")
            .await
            .expect("replayed");
        assert_eq!(added.id, again.id, "a retried add made a second user");
        assert_eq!(added.attributes.etag.as_deref(), Some("\"1\""));

        let sku = client.subscribed_skus(&customer).await.expect("skus")[0].clone();
        let sku_id = sku.product_sku.id.as_str();
        client
            .update_user_licenses(&customer, &added.id, &[sku_id], &[], "l-1")
            .await
            .expect("assigned");
        let licenses = client
            .user_licenses(&customer, &added.id)
            .await
            .expect("licenses");
        assert_eq!(licenses[0].product_sku.name, sku.product_sku.name);
        let listed = client.users(&customer).await.expect("users");
        let me = listed.iter().find(|u| u.id == added.id).expect("listed");
        assert!(me.holds(sku_id));
        let after = client.subscribed_skus(&customer).await.expect("skus");
        let counted = after
            .iter()
            .find(|s| s.product_sku.id == sku_id)
            .expect("sku");
        assert_eq!(counted.consumed_units, sku.consumed_units + 1);

        // The ETag from before the license change is stale now.
        let stale = client
            .remove_user(
                &customer,
                &added.id,
                added.attributes.etag.as_deref().unwrap_or("*"),
            )
            .await
            .expect_err("stale");
        assert!(
            matches!(stale, ClientError::Status { status: 412, .. }),
            "{stale}"
        );
        let tag = me.attributes.etag.clone().expect("etag in the list");
        let removed = client
            .remove_user(&customer, &added.id, &tag)
            .await
            .expect("removed");
        assert!(removed.is_removed());
        let gone = client
            .removed_users(&customer)
            .await
            .expect("removed users");
        let listed = gone
            .iter()
            .find(|u| u.id == added.id)
            .expect("in the removed list");
        let left = listed.restore_days_left(chrono::Utc::now());
        assert!(matches!(left, Some(29 | 30)), "{left:?}");
        let restored = client
            .restore_user(
                &customer,
                &added.id,
                removed.attributes.etag.as_deref().unwrap_or("*"),
            )
            .await
            .expect("restored");
        assert!(!restored.is_removed());
    }
}

contract! {
    async fn a_helpdesk_agent_is_told_who_may_add_users() {
        let server = spawn_server(20).await;
        let (customer, domain) = manageable_customer(&server).await;
        let err = signed_in(&server, Role::HelpdeskAgent)
            .create_user(&customer, &new_user(format!("x@{domain}")), "h-1")
            .await
            .expect_err("forbidden");
        match err {
            ClientError::Forbidden { description } => {
                assert!(
                    description.contains("Global admin or Admin agent"),
                    "{description}"
                )
            }
            other => panic!("expected 403, got {other}"),
        }
    }
}
