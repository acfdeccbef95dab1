#![allow(clippy::unwrap_used)]
use super::*;
use crate::server::store::{AuditQuery, IfMatch, StoreError};
use crate::server::store::{SqliteStore, Store};

/// A seeded store, a Contoso admin agent, a Contoso customer and the ids of Contoso's and of
/// Fabrikam's agents.
fn seeded() -> (
    tempfile::TempDir,
    SqliteStore,
    Principal,
    String,
    Vec<String>,
    String,
) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    store.seed_demo(12).unwrap();
    let actor = store
        .create_token(
            "hash",
            Some("Contoso Partner"),
            crate::api::Role::AdminAgent,
            None,
        )
        .unwrap();
    let conn = Connection::open(dir.path().join("s.db")).unwrap();
    let ids = |sql: &str, partner: &str| -> Vec<String> {
        conn.prepare(sql)
            .unwrap()
            .query_map([partner], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let customer = ids(
        "SELECT id FROM customers WHERE partner_id = ?1 ORDER BY id",
        &actor.partner_id,
    )
    .remove(0);
    let agents = ids(
        "SELECT id FROM agents WHERE partner_id = ?1 ORDER BY name",
        &actor.partner_id,
    );
    let foreign = conn
        .query_row(
            "SELECT a.id FROM agents a JOIN partners p ON p.id = a.partner_id \
             WHERE p.name = 'Fabrikam Partner' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    (dir, store, actor, customer, agents, foreign)
}

fn audit_details(store: &SqliteStore, actor: &Principal) -> Vec<(String, String)> {
    store
        .audit_records(
            &actor.partner_id,
            &AuditQuery {
                size: 1000,
                start: None,
                end: None,
                customer_id: None,
                after: None,
            },
        )
        .unwrap()
        .items
        .into_iter()
        .map(|r| (r.operation_type, format!("{} → {}", r.before, r.after)))
        .collect()
}

#[test]
fn replacing_contacts_bumps_the_version_audits_in_names_and_the_same_set_changes_nothing() {
    let (_dir, store, actor, customer, agents, _) = seeded();
    let start = store
        .support_contacts(&actor.partner_id, &customer)
        .unwrap();
    let set = vec![agents[0].clone(), agents[1].clone()];
    let after = store
        .set_support_contacts(&actor, &customer, &set, &IfMatch::version(start.version))
        .unwrap();
    assert_eq!(after.version, start.version + 1);
    let shown: Vec<&str> = after.value.iter().map(|c| c.agent_id.as_str()).collect();
    assert_eq!(shown, [agents[0].as_str(), agents[1].as_str()]);
    assert!(
        after
            .value
            .iter()
            .all(|c| c.name.is_some() && c.email.is_some())
    );
    let (op, details) = audit_details(&store, &actor).remove(0);
    assert_eq!(op, "updateSupportContacts");
    assert!(details.contains(" → "), "{details}");
    assert!(details.ends_with(&names(&after.value)), "{details}");
    let events = store.latest_event_id(&actor.partner_id).unwrap();
    let again = store
        .set_support_contacts(&actor, &customer, &set, &IfMatch::Any)
        .unwrap();
    assert_eq!(again.version, after.version, "no change, no new version");
    assert_eq!(store.latest_event_id(&actor.partner_id).unwrap(), events);
    let stale =
        store.set_support_contacts(&actor, &customer, &[], &IfMatch::version(start.version));
    assert!(matches!(stale, Err(StoreError::Stale { current }) if current == after.version));
}

#[test]
fn another_partners_agent_is_refused_by_its_position_and_nothing_changes() {
    let (_dir, store, actor, customer, agents, foreign) = seeded();
    let before = store
        .support_contacts(&actor.partner_id, &customer)
        .unwrap();
    let refused = store
        .set_support_contacts(
            &actor,
            &customer,
            &[agents[0].clone(), foreign],
            &IfMatch::Any,
        )
        .unwrap_err();
    assert!(
        matches!(&refused, StoreError::Invalid { field, .. } if field == "items[1].agentId"),
        "{refused}"
    );
    assert_eq!(
        store
            .support_contacts(&actor.partner_id, &customer)
            .unwrap(),
        before
    );
}

fn request(title: &str) -> CheckedServiceRequest {
    CheckedServiceRequest {
        title: title.into(),
        description: String::new(),
        severity: Severity::Moderate,
        contact_agent_id: None,
    }
}

#[test]
fn a_repeated_request_key_answers_the_first_request_and_opens_nothing_new() {
    let (_dir, store, actor, customer, _, _) = seeded();
    let (before, _) = store
        .service_requests(&actor.partner_id, &customer, 200)
        .unwrap();
    let key = RequestKey {
        request_id: "k1".into(),
        body_sha256: "h1".into(),
    };
    let respond = |r: &ServiceRequest| StoredResponse {
        status: 201,
        body: r.id.clone(),
    };
    let first = store
        .open_service_request(
            &actor,
            &customer,
            &request("VPN down"),
            Some(&key),
            &respond,
        )
        .unwrap();
    let Created::New(opened) = first else {
        panic!("first is new")
    };
    assert_eq!(opened.status, ServiceRequestStatus::Open);
    assert_eq!(opened.opened_by, actor.agent_name);
    let again = store
        .open_service_request(
            &actor,
            &customer,
            &request("VPN down"),
            Some(&key),
            &respond,
        )
        .unwrap();
    assert_eq!(
        again,
        Created::Replayed(StoredResponse {
            status: 201,
            body: opened.id.clone()
        })
    );
    let (after, listed) = store
        .service_requests(&actor.partner_id, &customer, 200)
        .unwrap();
    assert_eq!(after, before + 1);
    assert_eq!(listed[0].id, opened.id, "newest first");
    let (op, details) = audit_details(&store, &actor).remove(0);
    assert_eq!(op, "openServiceRequest");
    assert!(
        details.contains("VPN down") && details.starts_with(" → status open"),
        "{details}"
    );
}

#[test]
fn a_customer_holds_at_most_a_thousand_service_requests() {
    let (dir, store, actor, customer, _, _) = seeded();
    let conn = Connection::open(dir.path().join("s.db")).unwrap();
    let (held, _) = store
        .service_requests(&actor.partner_id, &customer, 1)
        .unwrap();
    for n in held..MAX_SERVICE_REQUESTS_PER_CUSTOMER as u64 {
        conn.execute(
            "INSERT INTO service_requests (id, customer_id, title, description, severity, status, \
             opened_by, created_at, updated_at) VALUES (?1, ?2, 't', '', 'minimal', 'open', 'x', '', '')",
            params![format!("filler-{n}"), customer],
        )
        .unwrap();
    }
    let refused = store
        .open_service_request(&actor, &customer, &request("one more"), None, &|_| {
            StoredResponse {
                status: 201,
                body: String::new(),
            }
        })
        .unwrap_err();
    assert!(matches!(refused, StoreError::Conflict(_)), "{refused}");
}
