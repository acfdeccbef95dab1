//! Invitation links: one open code per binding, only for the partner's own resellers and
//! customers; replaced near their end, rotated (audited), accepted once: a new customer from a
//! general link, a restored one from a customer-bound link, nothing for a known domain.

use super::fixture::quote;
use super::{TestStore, contract};
use crate::api::{BillingProfile, Relationship, Role};
use crate::server::store::sqlite::{
    ALREADY_RESTORED, KNOWN_DOMAIN, MIN_DAYS_LEFT, ROTATED, days_from_now, new_customer_words,
};
use crate::server::store::{
    AcceptOutcome, Acceptance, AuditQuery, AuditRecord, LinkState, Principal, StoreError,
};

/// Contoso (with reseller `r1` and customer `cust-ended`, whose relationship was ended) and
/// Fabrikam (with customer `cust-fab`); rows written here, no demo data.
fn book(store: &dyn TestStore) {
    let billing = quote(&serde_json::to_string(&BillingProfile::default()).unwrap());
    store.exec(&format!(
        "INSERT INTO partners (id, name, cloud, created_at) VALUES \
         ('contoso', 'Contoso Partner', 'Partner Center', '2026-01-01T00:00:00Z'), \
         ('fabrikam', 'Fabrikam Partner', 'Partner Center', '2026-01-01T00:00:00Z'); \
         INSERT INTO indirect_resellers (id, partner_id, name, location, state) VALUES \
         ('r1', 'contoso', 'Northwind Resale', 'US', 'Active'); \
         INSERT INTO customers (id, partner_id, tenant_id, company_name, name_key, domain, \
         domain_key, relationship, allow_delegated_access, billing_profile, created_at, \
         updated_at) VALUES \
         ('cust-ended', 'contoso', 't', 'Ended Ltd', 'ended ltd', 'ended.example', \
         'ended.example', 'none', FALSE, {billing}, '2026-01-01T00:00:00Z', \
         '2026-01-01T00:00:00Z'), \
         ('cust-fab', 'fabrikam', 't', 'Fab Customer', 'fab customer', 'fab.example', \
         'fab.example', 'reseller', TRUE, {billing}, '2026-01-01T00:00:00Z', \
         '2026-01-01T00:00:00Z');"
    ));
}

/// Moves the end of the link `code` to `at`.
fn expire(store: &dyn TestStore, code: &str, at: &str) {
    store.exec(&format!(
        "UPDATE invitations SET expires_at = {} WHERE code = {}",
        quote(at),
        quote(code)
    ));
}

fn admin() -> Principal {
    Principal {
        partner_id: "contoso".into(),
        partner_name: "Contoso Partner".into(),
        cloud: "Partner Center".into(),
        agent_id: "agent-adele".into(),
        agent_name: "Adele Vance".into(),
        role: Role::AdminAgent,
    }
}

fn acceptance(domain: &str) -> Acceptance {
    Acceptance {
        company_name: "Tailspin Toys".into(),
        domain: domain.into(),
        email: "it@tailspin.example".into(),
    }
}

fn audit(store: &dyn TestStore) -> Vec<AuditRecord> {
    let query = AuditQuery {
        size: 100,
        start: None,
        end: None,
        customer_id: None,
        after: None,
    };
    store.audit_records("contoso", &query).unwrap().items
}

contract! {
    fn one_open_code_per_binding_unguessable_and_only_for_the_partners_own(store) {
        book(store);
        let general = store.invite_code("contoso", None, None).unwrap();
        assert_eq!(general.len(), 43, "256 bits, base64url");
        assert_eq!(store.invite_code("contoso", None, None).unwrap(), general);
        let resold = store.invite_code("contoso", Some("r1"), None).unwrap();
        let bound = store
            .invite_code("contoso", None, Some("cust-ended"))
            .unwrap();
        assert!(resold != general && bound != general && bound != resold);
        let link = store.invitation(&resold).unwrap();
        assert_eq!(
            (link.partner_name.as_str(), link.reseller_name.as_deref()),
            ("Contoso Partner", Some("Northwind Resale"))
        );
        assert_eq!(link.state, LinkState::Open);
        let link = store.invitation(&bound).unwrap();
        assert_eq!(link.customer.unwrap().company_name, "Ended Ltd");
        let unknown = store
            .invite_code("contoso", Some("nope"), None)
            .unwrap_err();
        assert!(
            matches!(&unknown, StoreError::Invalid { field, .. } if field == "indirectResellerId"),
            "{unknown}"
        );
        let foreign = store.invite_code("contoso", None, Some("cust-fab"));
        assert!(matches!(foreign, Err(StoreError::NotFound)), "{foreign:?}");
        assert!(matches!(
            store.invitation("made-up"),
            Err(StoreError::NotFound)
        ));
    }

    fn a_link_near_its_end_is_replaced_but_works_until_it_expires(store) {
        book(store);
        let old = store.invite_code("contoso", None, None).unwrap();
        expire(store, &old, &days_from_now(MIN_DAYS_LEFT - 1));
        let fresh = store.invite_code("contoso", None, None).unwrap();
        assert_ne!(fresh, old, "an email sent today gets a link with time left");
        assert_eq!(store.invitation(&old).unwrap().state, LinkState::Open);
        expire(store, &old, &days_from_now(-1));
        assert_eq!(store.invitation(&old).unwrap().state, LinkState::Expired);
        let outcome = store.accept_invitation(&old, &acceptance("late.example"));
        assert_eq!(outcome.unwrap(), AcceptOutcome::Closed(LinkState::Expired));
    }

    fn rotation_retires_the_general_links_only_and_is_audited(store) {
        book(store);
        let general = store.invite_code("contoso", None, None).unwrap();
        let bound = store
            .invite_code("contoso", None, Some("cust-ended"))
            .unwrap();
        let rotated = store.rotate_invite(&admin(), None).unwrap();
        assert_ne!(rotated, general);
        assert_eq!(
            store.invitation(&general).unwrap().state,
            LinkState::Rotated
        );
        assert_eq!(store.invitation(&bound).unwrap().state, LinkState::Open);
        assert_eq!(store.invite_code("contoso", None, None).unwrap(), rotated);
        let record = audit(store).remove(0);
        assert_eq!(
            (
                record.operation_type.as_str(),
                record.resource_type.as_str()
            ),
            ("rotateInvitationLink", "invitationLink")
        );
        assert_eq!(record.before, "1 general link open");
        assert_eq!(record.after, ROTATED);
        assert_eq!(
            (record.customer_id.as_str(), record.agent.as_str()),
            ("", "Adele Vance")
        );
        let outcome = store.accept_invitation(&general, &acceptance("new.example"));
        assert_eq!(outcome.unwrap(), AcceptOutcome::Closed(LinkState::Rotated));
    }

    fn the_general_link_creates_a_customer_once_and_a_known_domain_changes_nothing(store) {
        book(store);
        let code = store.invite_code("contoso", Some("r1"), None).unwrap();
        let events = store.latest_event_id("contoso").unwrap();
        let created = store.accept_invitation(&code, &acceptance("Tailspin.example"));
        assert_eq!(created.unwrap(), AcceptOutcome::Created);
        let new = store.events_after("contoso", events, 10).unwrap();
        assert_eq!(new.len(), 1);
        let customer = store
            .customer("contoso", &new[0].customer_id)
            .unwrap()
            .value;
        assert_eq!(customer.company_profile.company_name, "Tailspin Toys");
        assert_eq!(customer.billing_profile.email, "it@tailspin.example");
        assert_eq!(customer.associated_partner_id.as_deref(), Some("r1"));
        assert!(customer.allow_delegated_access);
        let record = audit(store).remove(0);
        assert_eq!(record.operation_type, "acceptInvitation");
        assert_eq!(record.after, new_customer_words(&customer));
        assert_eq!(record.agent_id, customer.id, "the customer acted");
        assert_eq!(
            record.agent,
            "Tailspin Toys (customer, it@tailspin.example via invitation)"
        );
        // The same domain in other letters, and the partner's own older customer: nothing changes.
        for domain in ["tailspin.EXAMPLE", "ended.example"] {
            let again = store.accept_invitation(&code, &acceptance(domain));
            assert_eq!(again.unwrap(), AcceptOutcome::KnownDomain, "{domain}");
            let record = audit(store).remove(0);
            assert_eq!(record.operation_type, "invitationForExistingCustomer");
            assert_eq!(
                (record.agent_id.as_str(), record.details.as_str()),
                ("", KNOWN_DOMAIN)
            );
        }
        assert_eq!(store.events_after("contoso", events, 10).unwrap().len(), 1);
        assert_eq!(store.invitation(&code).unwrap().state, LinkState::Open);
        // Another partner's customer is no concern of this link: a new customer of Contoso's.
        let elsewhere = store.accept_invitation(&code, &acceptance("fab.example"));
        assert_eq!(elsewhere.unwrap(), AcceptOutcome::Created);
    }

    fn a_customer_bound_link_restores_its_customer_once_whatever_the_form_says(store) {
        book(store);
        let code = store
            .invite_code("contoso", Some("r1"), Some("cust-ended"))
            .unwrap();
        let version = store.customer("contoso", "cust-ended").unwrap().version;
        let restored = store.accept_invitation(&code, &acceptance("other.example"));
        assert_eq!(restored.unwrap(), AcceptOutcome::Restored);
        let after = store.customer("contoso", "cust-ended").unwrap();
        assert_eq!(after.version, version + 1, "a new ETag");
        assert_eq!(after.value.relationship_to_partner, Relationship::Reseller);
        assert!(after.value.allow_delegated_access);
        assert_eq!(after.value.associated_partner_id.as_deref(), Some("r1"));
        assert_eq!(
            after.value.company_profile.domain, "ended.example",
            "form ignored"
        );
        let record = audit(store).remove(0);
        assert_eq!(record.agent_id, "cust-ended");
        assert_eq!(
            record.before,
            "relationshipToPartner none, allowDelegatedAccess false, associatedPartnerId none"
        );
        assert_eq!(
            record.after,
            "relationshipToPartner reseller, allowDelegatedAccess true, associatedPartnerId r1"
        );
        assert_eq!(store.invitation(&code).unwrap().state, LinkState::Used);
        let twice = store.accept_invitation(&code, &acceptance("ended.example"));
        assert_eq!(twice.unwrap(), AcceptOutcome::Closed(LinkState::Used));
        // A fresh link for a customer with nothing to restore is spent and audited all the same.
        let fresh = store
            .invite_code("contoso", None, Some("cust-ended"))
            .unwrap();
        assert_ne!(fresh, code);
        let events = store.latest_event_id("contoso").unwrap();
        let unchanged = store.accept_invitation(&fresh, &acceptance("ended.example"));
        assert_eq!(unchanged.unwrap(), AcceptOutcome::Unchanged);
        assert_eq!(store.latest_event_id("contoso").unwrap(), events);
        assert_eq!(audit(store).remove(0).details, ALREADY_RESTORED);
        assert_eq!(store.invitation(&fresh).unwrap().state, LinkState::Used);
    }

    fn a_link_whose_customer_is_gone_is_unknown_not_general(store) {
        book(store);
        let code = store
            .invite_code("contoso", None, Some("cust-ended"))
            .unwrap();
        store.exec("DELETE FROM customers WHERE id = 'cust-ended'");
        assert!(matches!(store.invitation(&code), Err(StoreError::NotFound)));
        let outcome = store.accept_invitation(&code, &acceptance("x.example"));
        assert!(matches!(outcome, Err(StoreError::NotFound)), "{outcome:?}");
    }
}
