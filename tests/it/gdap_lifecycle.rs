//! The admin relationships' lifecycle as a partner sees it, on the demo data and the server's own
//! clock moved ahead (`TestServer.clock`): an approval link nobody answers lapses after 90 days, a
//! relationship ends at its end date unless auto-extend adds 180 days, a requested termination
//! completes — each within seconds as an event on `/v1/events`, with the customer's `adminAccess`
//! following, and nothing happens before it is due.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use cspdash::api::gdap::{AdminAccessStatus, RelationshipStatus};
use cspdash::api::{Customer, Event, EventKind, Role};
use cspdash::client::{Client, ClientError};
use cspdash::server::store::seed::admin::{DemoRelationship, demo_relationships};
use cspdash::server::store::seed::{demo_customer, demo_partners};
use futures::{Stream, StreamExt};

use crate::fake_backend::quick_options;
use crate::gdap_api::{BASE, act};
use crate::helpers::{CONTOSO, TestServer, contract, spawn_server};

const CUSTOMERS: u32 = 60;

/// The first Contoso demo customer whose relationships `wanted` accepts: its id and its first
/// relationship's.
pub fn customer_where(wanted: impl Fn(&[DemoRelationship]) -> bool) -> (String, String) {
    let partner = &demo_partners(CUSTOMERS)[0];
    (0..CUSTOMERS)
        .find_map(|index| {
            let c = demo_customer(partner, index);
            let removed =
                !c.allow_delegated_access || c.relationship == cspdash::api::Relationship::None;
            let rs = demo_relationships(partner.stream, index, &c.domain, removed);
            (!rs.is_empty() && wanted(&rs)).then(|| (c.id, rs[0].id.clone()))
        })
        .expect("the demo data has such a customer")
}

/// Its only relationship is one `pick` accepts: the customer's id.
fn only(pick: impl Fn(&DemoRelationship) -> bool) -> String {
    only_one(pick).0
}

/// The customer's id and its only relationship's.
pub fn only_one(pick: impl Fn(&DemoRelationship) -> bool) -> (String, String) {
    customer_where(|rs| rs.len() == 1 && pick(&rs[0]))
}

fn within_days(r: &DemoRelationship, days: i64) -> bool {
    r.status == RelationshipStatus::Active && r.ends_in_days.is_some_and(|d| d <= days)
}

async fn customer(server: &TestServer, id: &str) -> Customer {
    let (status, body) = server.get_json(&format!("/v1/customers/{id}")).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_value(body).unwrap()
}

fn access(c: &Customer) -> AdminAccessStatus {
    c.admin_access.as_ref().map(|a| a.status).unwrap()
}

/// The dashboard's client; its `events(Some(0))` is every event (seeding records none).
fn client(server: &TestServer) -> Client {
    Client::with_options(
        &server.url,
        server.token(CONTOSO, Role::HelpdeskAgent),
        quick_options(),
    )
    .unwrap()
}

/// Waits (at most 5 s, the promise) for the event that says customer `id`'s admin
/// access is now `status`.
async fn event_for(
    events: &mut (impl Stream<Item = Result<Event, ClientError>> + Unpin),
    id: &str,
    status: AdminAccessStatus,
) -> Event {
    tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let event = events.next().await.unwrap().unwrap();
            if event.customer.id == id && access(&event.customer) == status {
                return event;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no event within 5 s saying {id} is {status:?}"))
}

contract! {
    async fn an_approval_link_nobody_answers_lapses_after_90_days() {
        let server = spawn_server(CUSTOMERS).await;
        let id =
            only(|r| r.status == RelationshipStatus::ApprovalPending && r.locked_days_ago == Some(85));
        let client = client(&server);
        let mut events = Box::pin(client.events(Some(0)));
        server.clock.advance_days(4);
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(
            access(&customer(&server, &id).await),
            AdminAccessStatus::Pending,
            "day 89"
        );
        server.clock.advance_days(2);
        let event = event_for(&mut events, &id, AdminAccessStatus::Expired).await;
        assert_eq!(event.kind, EventKind::AdminRelationshipUpdated);
        assert_eq!(
            access(&customer(&server, &id).await),
            AdminAccessStatus::Expired
        );
    }
}

contract! {
    async fn a_relationship_expires_at_its_end_unless_auto_extend_adds_180_days() {
        let server = spawn_server(CUSTOMERS).await;
        let ending = only(|r| within_days(r, 7) && !r.auto_extend);
        let extending = only(|r| within_days(r, 7) && r.auto_extend);
        let end_before = customer(&server, &extending)
            .await
            .admin_access
            .unwrap()
            .end_date_time;
        let client = client(&server);
        let mut events = Box::pin(client.events(Some(0)));
        server.clock.advance_days(8);
        event_for(&mut events, &ending, AdminAccessStatus::Expired).await;
        assert_eq!(
            access(&customer(&server, &ending).await),
            AdminAccessStatus::Expired
        );
        let extended = loop {
            let event = event_for(&mut events, &extending, AdminAccessStatus::Active).await;
            let end = event.customer.admin_access.unwrap().end_date_time;
            if end != end_before {
                break end;
            }
        };
        let days =
            |t: &Option<String>| chrono::DateTime::parse_from_rfc3339(t.as_deref().unwrap()).unwrap();
        assert_eq!((days(&extended) - days(&end_before)).num_days(), 180);
        let now = customer(&server, &extending).await;
        assert_eq!(access(&now), AdminAccessStatus::Active);
        assert_eq!(now.admin_access.unwrap().end_date_time, extended);
    }
}

contract! {
    async fn a_requested_termination_completes_within_seconds() {
        let server = spawn_server(CUSTOMERS).await;
        let (id, relationship) = only_one(|r| {
            r.status == RelationshipStatus::Active && r.ends_in_days.is_some_and(|d| d > 400)
        });
        let client = client(&server);
        let mut events = Box::pin(client.events(Some(0)));
        let (status, body) = act(&server, Role::AdminAgent, &relationship, "terminate").await;
        assert_eq!(status, 201, "{body}");
        // The request's own event (terminationRequested already reads as terminated), then the
        // lifecycle's, which ends it: both within 5 s.
        let path = format!("{BASE}/{relationship}");
        tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                event_for(&mut events, &id, AdminAccessStatus::Terminated).await;
                if server.get_json(&path).await.1["status"] == "terminated" {
                    return;
                }
            }
        })
        .await
        .expect("terminated within 5 s");
        assert_eq!(
            access(&customer(&server, &id).await),
            AdminAccessStatus::Terminated
        );
    }
}

contract! {
    async fn the_demo_shows_every_kind_of_admin_access_on_the_customers_list() {
        let server = spawn_server(CUSTOMERS).await;
        let (status, page) = server.get_json("/v1/customers?size=100").await;
        assert_eq!(status, 200, "{page}");
        let customers: Vec<Customer> = serde_json::from_value(page["items"].clone()).unwrap();
        assert_eq!(customers.len(), CUSTOMERS as usize);
        let now = chrono::Utc::now();
        let days_from_now = |t: &Option<String>| {
            (chrono::DateTime::parse_from_rfc3339(t.as_deref().unwrap()).unwrap() - now.fixed_offset())
                .num_days()
        };
        let mut seen = std::collections::BTreeSet::new();
        for c in &customers {
            let a = c.admin_access.as_ref().unwrap();
            let kind = match a.status {
                AdminAccessStatus::Active => match days_from_now(&a.end_date_time) {
                    d if d < 7 => "expiring within 7 days",
                    d if d < 30 => "expiring within 30 days",
                    d if d >= 400 => "active 400+ days",
                    _ => "active",
                },
                AdminAccessStatus::Pending => match -days_from_now(&a.requested_date_time) {
                    d if d >= 84 => "pending 85 days",
                    d if d <= 3 => "pending 2 days",
                    _ => "pending",
                },
                AdminAccessStatus::Expired => "expired",
                AdminAccessStatus::Terminated => "terminated",
                AdminAccessStatus::None => "none",
            };
            seen.insert(kind);
        }
        for kind in [
            "active 400+ days",
            "expiring within 30 days",
            "expiring within 7 days",
            "pending 2 days",
            "pending 85 days",
            "expired",
            "terminated",
            "none",
        ] {
            assert!(seen.contains(kind), "no customer shows {kind}: {seen:?}");
        }
    }
}
