//! Support: contacts replaced with a version, an audit record in names and an event, agents of
//! other partners refused by their position, service requests opened once per request key,
//! listed newest first, at most a thousand per customer.

use super::fixture::quote;
use super::{TestStore, contract};
use crate::api::support::{CONTACT_AGENT_ID, CheckedServiceRequest};
use crate::api::{BillingProfile, Role, ServiceRequest, ServiceRequestStatus, Severity};
use crate::server::store::sqlite::MAX_SERVICE_REQUESTS_PER_CUSTOMER;
use crate::server::store::{
    AuditQuery, Created, IfMatch, Principal, RequestKey, StoreError, StoredResponse,
};

/// Two partners, Contoso's admin agent, a Contoso customer and the ids of Contoso's and of
/// Fabrikam's agents (rows written here: the tests need no demo data).
fn seeded(store: &dyn TestStore) -> (Principal, String, Vec<String>, String) {
    let billing = serde_json::to_string(&BillingProfile {
        company_name: "Wingtip Toys".into(),
        ..BillingProfile::default()
    })
    .unwrap();
    store.exec(&format!(
        "INSERT INTO partners (id, name, cloud, created_at) VALUES \
         ('contoso', 'Contoso Partner', 'Partner Center', '2026-01-01T00:00:00Z'), \
         ('fabrikam', 'Fabrikam Partner', 'Partner Center', '2026-01-01T00:00:00Z'); \
         INSERT INTO agents (id, partner_id, name, email, role) VALUES \
         ('agent-adele', 'contoso', 'Adele Vance', 'adele@contoso.example', 'admin-agent'), \
         ('agent-alex', 'contoso', 'Alex Wilber', 'alex@contoso.example', 'helpdesk-agent'), \
         ('agent-megan', 'contoso', 'Megan Bowen', 'megan@contoso.example', 'sales-agent'), \
         ('agent-fab', 'fabrikam', 'Fabian Fabrikam', 'fab@fabrikam.example', 'admin-agent'); \
         INSERT INTO customers (id, partner_id, tenant_id, company_name, name_key, domain, \
         domain_key, relationship, allow_delegated_access, billing_profile, created_at, \
         updated_at) VALUES ('cust-wingtip', 'contoso', 't1', 'Wingtip Toys', 'wingtip toys', \
         'wingtip.example', 'wingtip.example', 'reseller', TRUE, {}, '2026-01-01T00:00:00Z', \
         '2026-01-01T00:00:00Z');",
        quote(&billing)
    ));
    let actor = Principal {
        partner_id: "contoso".into(),
        partner_name: "Contoso Partner".into(),
        cloud: "Partner Center".into(),
        agent_id: "agent-adele".into(),
        agent_name: "Adele Vance".into(),
        role: Role::AdminAgent,
    };
    let agents = vec![
        "agent-adele".into(),
        "agent-alex".into(),
        "agent-megan".into(),
    ];
    (actor, "cust-wingtip".into(), agents, "agent-fab".into())
}

fn audit_details(store: &dyn TestStore, actor: &Principal) -> Vec<(String, String)> {
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

fn request(title: &str) -> CheckedServiceRequest {
    CheckedServiceRequest {
        title: title.into(),
        description: String::new(),
        severity: Severity::Moderate,
        contact_agent_id: None,
    }
}

fn no_key(_: &ServiceRequest) -> StoredResponse {
    StoredResponse {
        status: 201,
        body: String::new(),
    }
}

contract! {
    fn replacing_contacts_bumps_the_version_audits_in_names_and_the_same_set_changes_nothing(store) {
        let (actor, customer, agents, _) = seeded(store);
        let start = store
            .support_contacts(&actor.partner_id, &customer)
            .unwrap();
        assert_eq!(
            (start.version, start.value.len()),
            (1, 0),
            "never set: version 1, none"
        );
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
        assert_eq!(
            store
                .support_contacts(&actor.partner_id, &customer)
                .unwrap(),
            after,
            "read back as written"
        );
        let (op, details) = audit_details(store, &actor).remove(0);
        assert_eq!(op, "updateSupportContacts");
        assert_eq!(
            details,
            "support contacts none → support contacts Adele Vance, Alex Wilber"
        );
        let events = store.latest_event_id(&actor.partner_id).unwrap();
        let again = store
            .set_support_contacts(&actor, &customer, &set, &IfMatch::Any)
            .unwrap();
        assert_eq!(again.version, after.version, "no change, no new version");
        assert_eq!(store.latest_event_id(&actor.partner_id).unwrap(), events);
        let stale =
            store.set_support_contacts(&actor, &customer, &[], &IfMatch::version(start.version));
        assert!(matches!(stale, Err(StoreError::Stale { current }) if current == after.version));
        // A second change of the set: the upsert moves the version on again.
        let cleared = store
            .set_support_contacts(&actor, &customer, &[], &IfMatch::version(after.version))
            .unwrap();
        assert_eq!(
            (cleared.version, cleared.value.len()),
            (after.version + 1, 0)
        );
    }

    fn another_partners_agent_is_refused_by_its_position_and_nothing_changes(store) {
        let (actor, customer, agents, foreign) = seeded(store);
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

    fn another_partners_customer_is_not_found(store) {
        let (_, customer, _, _) = seeded(store);
        for result in [
            store.support_contacts("fabrikam", &customer).map(|_| ()),
            store
                .service_requests("fabrikam", &customer, 10)
                .map(|_| ()),
        ] {
            assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
        }
    }

    fn a_repeated_request_key_answers_the_first_request_and_opens_nothing_new(store) {
        let (actor, customer, agents, _) = seeded(store);
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
        let with_contact = CheckedServiceRequest {
            contact_agent_id: Some(agents[1].clone()),
            ..request("VPN down")
        };
        let first = store
            .open_service_request(&actor, &customer, &with_contact, Some(&key), &respond)
            .unwrap();
        let Created::New(opened) = first else {
            panic!("first is new")
        };
        assert_eq!(opened.status, ServiceRequestStatus::Open);
        assert_eq!(opened.severity, Severity::Moderate);
        assert_eq!(opened.opened_by, actor.agent_name);
        let contact = opened.contact.clone().unwrap();
        assert_eq!(contact.name.as_deref(), Some("Alex Wilber"));
        let again = store
            .open_service_request(&actor, &customer, &with_contact, Some(&key), &respond)
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
        assert_eq!(listed[0], opened, "newest first, read back as opened");
        let (op, details) = audit_details(store, &actor).remove(0);
        assert_eq!(op, "openServiceRequest");
        assert!(
            details.contains("VPN down") && details.starts_with(" → status open"),
            "{details}"
        );
    }

    fn requests_opened_in_the_same_second_list_the_later_first(store) {
        let (actor, customer, _, _) = seeded(store);
        let mut opened = Vec::new();
        for title in ["first", "second", "third", "fourth"] {
            let Created::New(r) = store
                .open_service_request(&actor, &customer, &request(title), None, &no_key)
                .unwrap()
            else {
                panic!("no key, no replay")
            };
            opened.push(r.id);
        }
        // Pin them to one second: the order must come from the insertion order alone.
        store.exec("UPDATE service_requests SET created_at = '2026-11-01T10:00:00Z'");
        let (total, listed) = store
            .service_requests(&actor.partner_id, &customer, 3)
            .unwrap();
        assert_eq!(total, 4);
        let ids: Vec<&str> = listed.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, [&opened[3], &opened[2], &opened[1]]);
    }

    fn a_contact_who_is_not_the_partners_agent_is_refused(store) {
        let (actor, customer, _, foreign) = seeded(store);
        let refused = store
            .open_service_request(
                &actor,
                &customer,
                &CheckedServiceRequest {
                    contact_agent_id: Some(foreign),
                    ..request("x")
                },
                None,
                &no_key,
            )
            .unwrap_err();
        assert!(
            matches!(&refused, StoreError::Invalid { field, .. } if field == CONTACT_AGENT_ID),
            "{refused}"
        );
        assert_eq!(
            store
                .service_requests(&actor.partner_id, &customer, 10)
                .unwrap()
                .0,
            0
        );
    }

    fn a_customer_holds_at_most_a_thousand_service_requests(store) {
        let (actor, customer, _, _) = seeded(store);
        let fillers: Vec<String> = (1..=MAX_SERVICE_REQUESTS_PER_CUSTOMER)
            .map(|n| {
                format!(
                    "('filler-{n}', {}, 't', '', 'minimal', 'open', 'x', '', '')",
                    quote(&customer)
                )
            })
            .collect();
        store.exec(&format!(
            "INSERT INTO service_requests (id, customer_id, title, description, severity, status, \
             opened_by, created_at, updated_at) VALUES {}",
            fillers.join(", ")
        ));
        let refused = store
            .open_service_request(&actor, &customer, &request("one more"), None, &no_key)
            .unwrap_err();
        assert!(matches!(refused, StoreError::Conflict(_)), "{refused}");
    }
}
