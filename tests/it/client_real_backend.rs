//! The client against the real backend (`helpers::spawn_server_with`): what the dashboard relies on,
//! end to end over HTTP, live events included.

use std::collections::HashSet;

use cspdash::api::{CustomerFilter, FilterField, Role};
use cspdash::client::{Client, ClientError};
use futures::StreamExt;

use crate::fake_backend::quick_options;
use crate::helpers::{CONTOSO, FABRIKAM, TestServer, contract, spawn_server_with, typed_customer};

/// Generous: these tests are about behaviour, not about the rate limiter.
const NO_LIMIT: u32 = 10_000;

async fn start(customers: u32, rate_limit_per_sec: u32) -> TestServer {
    spawn_server_with(customers, rate_limit_per_sec).await
}

/// The typed client signed in as `partner`'s agent with `role`.
fn signed_in(server: &TestServer, partner: &'static str, role: Role) -> Client {
    Client::with_options(&server.url, server.token(partner, role), quick_options()).expect("client")
}

contract! {
    async fn me_names_the_partner_agent_and_role_of_the_token() {
        let backend = start(5, NO_LIMIT).await;
        let me = signed_in(&backend, CONTOSO, Role::SalesAgent)
            .me()
            .await
            .expect("me");
        assert_eq!(me.partner_name, CONTOSO);
        assert_eq!(me.role, Role::SalesAgent);
        assert!(
            me.can.iter().any(|p| p == "customers.create"),
            "{:?}",
            me.can
        );
    }
}

contract! {
    async fn following_next_links_yields_every_customer_exactly_once() {
        let backend = start(250, NO_LIMIT).await;
        let client = signed_in(&backend, CONTOSO, Role::HelpdeskAgent);
        let pages: Vec<_> = client.customer_pages(100, None).collect().await;
        let pages: Vec<_> = pages.into_iter().map(|p| p.expect("page")).collect();
        assert_eq!(pages.len(), 3);
        assert!(pages.last().is_some_and(|p| p.links.next.is_none()));
        let ids: Vec<&str> = pages
            .iter()
            .flat_map(|p| p.items.iter().map(|c| c.id.as_str()))
            .collect();
        assert_eq!(ids.len(), 250);
        assert_eq!(
            ids.iter().collect::<HashSet<_>>().len(),
            250,
            "no customer twice"
        );
        assert_eq!(pages[0].total_count, 250);
    }
}

contract! {
    async fn a_server_side_filter_finds_customers_case_insensitively_across_pages() {
        let backend = start(300, NO_LIMIT).await;
        let client = signed_in(&backend, CONTOSO, Role::GlobalAdmin);
        let first = client.customers_page(None, 1, None).await.expect("page");
        let name = first.items[0].company_profile.company_name.clone();
        let prefix: String = name.chars().take(2).collect::<String>().to_lowercase();
        let filter = CustomerFilter::starts_with(FilterField::CompanyName, prefix.clone());
        let pages: Vec<_> = client.customer_pages(2, Some(filter)).collect().await;
        let mut found = Vec::new();
        for page in pages {
            found.extend(page.expect("page").items);
        }
        assert!(
            found.iter().any(|c| c.company_profile.company_name == name),
            "{name} is found"
        );
        for customer in &found {
            let got = customer.company_profile.company_name.to_lowercase();
            assert!(
                got.starts_with(&prefix),
                "{got} does not start with {prefix}"
            );
        }
    }
}

contract! {
    async fn a_repeated_post_with_the_same_request_id_creates_one_customer() {
        let backend = start(3, NO_LIMIT).await;
        let client = signed_in(&backend, CONTOSO, Role::AdminAgent);
        let before = client
            .customers_page(None, 1, None)
            .await
            .expect("page")
            .total_count;
        let new = typed_customer("muller-sohne.example", "Müller & Söhne GmbH");
        let first = client
            .create_customer(&new, "req-1")
            .await
            .expect("created");
        let again = client
            .create_customer(&new, "req-1")
            .await
            .expect("replayed");
        assert_eq!(first.id, again.id);
        let after = client
            .customers_page(None, 1, None)
            .await
            .expect("page")
            .total_count;
        assert_eq!(after, before + 1);
        let fetched = client.customer(&first.id).await.expect("get");
        assert_eq!(fetched.company_profile.company_name, "Müller & Söhne GmbH");
    }
}

contract! {
    async fn a_seeded_customer_has_services_licenses_and_users() {
        let backend = start(3, NO_LIMIT).await;
        let client = signed_in(&backend, CONTOSO, Role::HelpdeskAgent);
        let page = client.customers_page(None, 1, None).await.expect("page");
        let id = &page.items[0].id;
        assert!(
            !client
                .subscriptions(id)
                .await
                .expect("subscriptions")
                .is_empty()
        );
        assert!(!client.subscribed_skus(id).await.expect("skus").is_empty());
        assert!(client.users(id).await.expect("users").len() >= 2);
    }
}

contract! {
    async fn another_partners_customer_is_not_found_even_by_id() {
        let backend = start(3, NO_LIMIT).await;
        let contoso = signed_in(&backend, CONTOSO, Role::GlobalAdmin);
        let fabrikam = signed_in(&backend, FABRIKAM, Role::GlobalAdmin);
        let page = contoso.customers_page(None, 1, None).await.expect("page");
        let id = &page.items[0].id;
        let err = fabrikam.customer(id).await.expect_err("hidden");
        assert!(matches!(err, ClientError::NotFound { .. }), "{err:?}");
        let err = fabrikam.users(id).await.expect_err("hidden");
        assert!(matches!(err, ClientError::NotFound { .. }), "{err:?}");
    }
}

contract! {
    async fn a_helpdesk_agent_adding_a_customer_is_told_which_roles_may() {
        let backend = start(3, NO_LIMIT).await;
        let helpdesk = signed_in(&backend, CONTOSO, Role::HelpdeskAgent);
        let err = helpdesk
            .create_customer(&typed_customer("nope.example", "Nope Ltd"), "req-2")
            .await
            .expect_err("forbidden");
        let ClientError::Forbidden { description } = &err else {
            panic!("expected Forbidden, got {err:?}");
        };
        assert!(description.contains("Sales agent"), "{description}");
    }
}

contract! {
    async fn a_token_the_backend_does_not_know_is_rejected() {
        let backend = start(3, NO_LIMIT).await;
        let client =
            Client::with_options(&backend.url, "not-a-token", quick_options()).expect("client");
        let err = client.me().await.expect_err("401");
        assert!(matches!(err, ClientError::Unauthorized { .. }), "{err:?}");
    }
}

contract! {
    async fn the_invitation_link_points_at_the_public_url() {
        let backend = start(3, NO_LIMIT).await;
        let client = signed_in(&backend, CONTOSO, Role::SalesAgent);
        let request = client.relationship_request(None).await.expect("link");
        assert!(
            request.url.starts_with(&format!("{}/invite/", backend.url)),
            "{}",
            request.url
        );
    }
}

contract! {
    async fn a_customer_bound_link_is_its_own_and_rotation_needs_an_admin() {
        let backend = start(3, NO_LIMIT).await;
        let sales = signed_in(&backend, CONTOSO, Role::SalesAgent);
        let general = sales.relationship_request(None).await.expect("link").url;
        let page = sales
            .customers_page(None, 10, None)
            .await
            .expect("customers");
        let id = page.items[0].id.clone();
        let bound = sales
            .customer_relationship_request(&id)
            .await
            .expect("a link for the customer")
            .url;
        assert!(
            bound.starts_with(&format!("{}/invite/", backend.url)),
            "{bound}"
        );
        assert_ne!(bound, general);
        let err = sales
            .customer_relationship_request("not-a-customer")
            .await
            .expect_err("404");
        assert!(matches!(err, ClientError::NotFound { .. }), "{err:?}");
        let err = sales.rotate_relationship_request().await.expect_err("403");
        assert!(matches!(err, ClientError::Forbidden { .. }), "{err:?}");
        let admin = signed_in(&backend, CONTOSO, Role::AdminAgent);
        let rotated = admin
            .rotate_relationship_request()
            .await
            .expect("rotated")
            .url;
        assert_ne!(rotated, general);
        assert_eq!(
            sales.relationship_request(None).await.expect("link").url,
            rotated
        );
    }
}

contract! {
    async fn a_burst_past_the_rate_limit_is_absorbed_by_honouring_retry_after() {
        // One request a second, bursts of two: the third call in a row is answered 429.
        let backend = start(3, 1).await;
        let token = backend.token(CONTOSO, Role::GlobalAdmin).to_string();
        let patient = Client::with_options(&backend.url, &token, quick_options()).expect("client");
        for _ in 0..4 {
            patient
                .me()
                .await
                .expect("every call gets through after waiting");
        }
        // The same token without retries shows the limiter was really in the way.
        let mut options = quick_options();
        options.retry.max_attempts = 1;
        let impatient = Client::with_options(&backend.url, &token, options).expect("client");
        let mut limited = None;
        for _ in 0..3 {
            if let Err(err) = impatient.me().await {
                limited = Some(err);
                break;
            }
        }
        assert!(
            matches!(limited, Some(ClientError::RateLimited { retry_after }) if retry_after.as_secs() >= 1),
            "{limited:?}"
        );
    }
}

/// The next item of `events`, failing the test rather than hanging if none comes.
async fn next_event(
    events: &mut (impl futures::Stream<Item = Result<cspdash::api::Event, ClientError>> + Unpin),
) -> cspdash::api::Event {
    tokio::time::timeout(std::time::Duration::from_secs(20), events.next())
        .await
        .expect("an event arrived in time")
        .expect("the stream goes on")
        .expect("an event, not an error")
}

contract! {
    async fn a_new_customer_shows_up_on_the_event_stream_and_a_resumed_stream_does_not_repeat_it() {
        let backend = start(3, NO_LIMIT).await;
        let client = signed_in(&backend, CONTOSO, Role::AdminAgent);
        // From id 0: every event of this fresh database, so connecting late cannot miss one.
        let mut events = Box::pin(client.events(Some(0)));
        let first = client
            .create_customer(&typed_customer("first.example", "First GmbH"), "req-e1")
            .await
            .expect("created");
        let event = next_event(&mut events).await;
        assert_eq!(event.kind, cspdash::api::EventKind::CustomerCreated);
        assert_eq!(event.customer.id, first.id);
        drop(events);

        let second = client
            .create_customer(&typed_customer("second.example", "Second AG"), "req-e2")
            .await
            .expect("created");
        let mut resumed = Box::pin(client.events(Some(event.id)));
        let next = next_event(&mut resumed).await;
        assert_eq!(
            next.customer.id, second.id,
            "resumes after the last event seen"
        );
    }
}

contract! {
    async fn a_partners_event_stream_carries_only_its_own_customers() {
        let backend = start(3, NO_LIMIT).await;
        let contoso = signed_in(&backend, CONTOSO, Role::AdminAgent);
        let fabrikam = signed_in(&backend, FABRIKAM, Role::AdminAgent);
        let mut fabrikam_events = Box::pin(fabrikam.events(Some(0)));
        contoso
            .create_customer(
                &typed_customer("contoso-new.example", "Contoso New"),
                "req-c",
            )
            .await
            .expect("created");
        let own = fabrikam
            .create_customer(
                &typed_customer("fabrikam-new.example", "Fabrikam New"),
                "req-f",
            )
            .await
            .expect("created");
        let event = next_event(&mut fabrikam_events).await;
        assert_eq!(
            event.customer.id, own.id,
            "Contoso's customer never reaches Fabrikam"
        );
    }
}

contract! {
    async fn the_first_page_gives_the_event_to_follow_from_and_a_change_after_it_arrives() {
        let backend = start(3, NO_LIMIT).await;
        let client = signed_in(&backend, CONTOSO, Role::AdminAgent);
        client
            .create_customer(&typed_customer("early.example", "Early KG"), "req-r1")
            .await
            .expect("created");
        let (page, read_at) = client
            .customers_page_read_at(None, 2, None)
            .await
            .expect("first page");
        let read_at = read_at.expect("the backend says where the read was");
        let (_, later) = client
            .customers_page_read_at(page.links.next.as_ref(), 2, None)
            .await
            .expect("second page");
        assert_eq!(later, None, "only the first page says");
        let late = client
            .create_customer(&typed_customer("late.example", "Late KG"), "req-r2")
            .await
            .expect("created");
        let mut events = Box::pin(client.events(Some(read_at)));
        assert_eq!(next_event(&mut events).await.customer.id, late.id);
    }
}
