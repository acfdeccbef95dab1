//! Customers: pages in name order through the whole book, name prefixes folding case beyond
//! ASCII, both domain-filter plans, idempotent create, taken domains, partner isolation, and
//! changes that need the current version and bump it once per real change. The book is the
//! demo data's partners and first customers without the rest of the demo seeding.

use super::fixture::quote;
use super::{TestStore, contract};
use crate::api::{
    BillingProfile, Customer, CustomerFilter, EventKind, FilterField, NewCompanyProfile,
    NewCustomer, Relationship,
};
use crate::server::store::seed::{DemoPartner, demo_partners};
use crate::server::store::sqlite::search_key;
use crate::server::store::{
    Created, CustomerQuery, IfMatch, Principal, RequestKey, StoreError, StoredResponse,
};

/// Contoso with its agents, resellers and `customers` demo customers, and Fabrikam with two;
/// (Contoso's principal, Fabrikam's principal).
fn book(store: &dyn TestStore, customers: u32) -> (Principal, Principal) {
    let partners = demo_partners(customers);
    for (partner, count) in partners.iter().zip([customers, 2]) {
        store.add_book(partner, count);
    }
    (principal(&partners[0]), principal(&partners[1]))
}

fn principal(partner: &DemoPartner) -> Principal {
    let agent = &partner.agents[0];
    Principal {
        partner_id: partner.id.clone(),
        partner_name: partner.name.to_string(),
        cloud: partner.cloud.to_string(),
        agent_id: agent.id.clone(),
        agent_name: agent.name.clone(),
        role: agent.role,
    }
}

/// The audit records' operations of `partner`, oldest first.
fn audited(store: &dyn TestStore, partner: &str) -> Vec<String> {
    store
        .rows(&format!(
            "SELECT operation FROM audit_records WHERE partner_id = {} ORDER BY id",
            quote(partner)
        ))
        .into_iter()
        .map(|mut r| r.remove(0).unwrap())
        .collect()
}

/// Every page of a list, as ids.
fn walk(
    store: &dyn TestStore,
    partner: &str,
    filter: Option<CustomerFilter>,
    few: i64,
) -> Vec<String> {
    let mut query = CustomerQuery {
        size: 7,
        filter,
        after: None,
    };
    let mut ids = Vec::new();
    loop {
        let page = store.list_customers_planned(partner, &query, few).unwrap();
        ids.extend(page.items.into_iter().map(|c| c.id));
        match page.next {
            Some(cursor) => query.after = Some(cursor),
            None => return ids,
        }
    }
}

/// (id, name key, domain) of every customer of `partner`, in list order as Rust sorts it.
fn everyone(store: &dyn TestStore, partner: &str) -> Vec<(String, String, String)> {
    let mut all: Vec<(String, String, String)> = store
        .rows(&format!(
            "SELECT id, company_name, domain FROM customers WHERE partner_id = {}",
            quote(partner)
        ))
        .into_iter()
        .map(|r| {
            let mut r = r.into_iter().map(Option::unwrap);
            let (id, name, domain) = (r.next().unwrap(), r.next().unwrap(), r.next().unwrap());
            (id, search_key(&name), domain)
        })
        .collect();
    all.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    all
}

contract! {
    fn both_domain_plans_list_exactly_the_matches_in_name_order(store) {
        let (contoso, _) = book(store, 1500);
        let all = everyone(store, &contoso.partner_id);
        for prefix in ["t", "ALPINE", "cedar", "tenant", "zz", "a"] {
            let expected: Vec<String> = all
                .iter()
                .filter(|(_, _, domain)| domain.starts_with(&prefix.to_lowercase()))
                .map(|(id, _, _)| id.clone())
                .collect();
            let filter = CustomerFilter::starts_with(FilterField::Domain, prefix);
            assert_eq!(
                walk(store, &contoso.partner_id, Some(filter.clone()), i64::MAX),
                expected,
                "few-matches plan, {prefix}"
            );
            assert_eq!(
                walk(store, &contoso.partner_id, Some(filter), 0),
                expected,
                "many-matches plan, {prefix}"
            );
        }
    }

    fn pages_walk_the_whole_book_in_name_order_and_name_prefixes_fold_case_beyond_ascii(store) {
        let (contoso, fabrikam) = book(store, 300);
        let all = everyone(store, &contoso.partner_id);
        let ids: Vec<String> = all.iter().map(|(id, _, _)| id.clone()).collect();
        assert_eq!(walk(store, &contoso.partner_id, None, 0), ids);
        let first = store
            .list_customers(
                &contoso.partner_id,
                &CustomerQuery {
                    size: 10,
                    filter: None,
                    after: None,
                },
            )
            .unwrap();
        assert_eq!(first.total, 300);
        assert_eq!(first.items.len(), 10);
        assert!(!ids.contains(&walk(store, &fabrikam.partner_id, None, 0)[0]));

        // A non-ASCII name: its prefix in upper case finds it.
        let name = "Ölwerk Ägypten GmbH";
        let billing = BillingProfile {
            company_name: name.into(),
            ..Default::default()
        };
        let new = NewCustomer {
            company_profile: NewCompanyProfile {
                domain: "oelwerk.onmicrosoft.com".into(),
            },
            billing_profile: billing,
            associated_partner_id: None,
        };
        let respond = |_: &Customer| StoredResponse {
            status: 201,
            body: String::new(),
        };
        let Created::New(made) = store
            .create_customer(&contoso, &new, None, &respond)
            .unwrap()
        else {
            panic!("no key, no replay");
        };
        let all = everyone(store, &contoso.partner_id);
        for prefix in ["ÖLW", "öl", "c", "Contoso", "zz"] {
            let expected: Vec<String> = all
                .iter()
                .filter(|(_, key, _)| key.starts_with(&search_key(prefix)))
                .map(|(id, _, _)| id.clone())
                .collect();
            let filter = CustomerFilter::starts_with(FilterField::CompanyName, prefix);
            assert_eq!(
                walk(store, &contoso.partner_id, Some(filter), 0),
                expected,
                "{prefix}"
            );
        }
        let filter = CustomerFilter::starts_with(FilterField::CompanyName, "ÖLWERK");
        assert_eq!(walk(store, &contoso.partner_id, Some(filter), 0), [made.id]);
    }

    fn create_is_idempotent_refuses_a_taken_domain_and_stays_within_the_partner(store) {
        let (contoso, fabrikam) = book(store, 3);
        let taken = store
            .customer(
                &contoso.partner_id,
                &walk(store, &contoso.partner_id, None, 0)[0],
            )
            .unwrap()
            .value;
        let new = |domain: &str| NewCustomer {
            company_profile: NewCompanyProfile {
                domain: domain.into(),
            },
            billing_profile: BillingProfile {
                company_name: "Northwind".into(),
                ..Default::default()
            },
            associated_partner_id: None,
        };
        let respond = |c: &Customer| StoredResponse {
            status: 201,
            body: c.id.clone(),
        };
        let upper = taken.company_profile.domain.to_uppercase();
        assert!(matches!(
            store.create_customer(&contoso, &new(&upper), None, &respond),
            Err(StoreError::Taken { .. })
        ));
        // Another partner may have a customer with that domain.
        assert!(matches!(
            store.create_customer(&fabrikam, &new(&upper), None, &respond),
            Ok(Created::New(_))
        ));
        assert!(matches!(
            store.customer(&fabrikam.partner_id, &taken.id),
            Err(StoreError::NotFound)
        ));

        let key = RequestKey {
            request_id: "req-1".into(),
            body_sha256: "abc".into(),
        };
        assert_eq!(
            audited(store, &contoso.partner_id),
            [] as [&str; 0],
            "refused: no record"
        );
        let Created::New(first) = store
            .create_customer(&contoso, &new("northwind.example"), Some(&key), &respond)
            .unwrap()
        else {
            panic!("first use of the key");
        };
        let Created::Replayed(again) = store
            .create_customer(&contoso, &new("northwind.example"), Some(&key), &respond)
            .unwrap()
        else {
            panic!("the key was used");
        };
        assert_eq!(again.body, first.id);
        assert_eq!(
            audited(store, &contoso.partner_id),
            ["createCustomer"],
            "one change"
        );
        assert_eq!(
            store
                .list_customers(
                    &contoso.partner_id,
                    &CustomerQuery {
                        size: 100,
                        filter: None,
                        after: None
                    }
                )
                .unwrap()
                .total,
            4
        );
        let other_body = RequestKey {
            request_id: "req-1".into(),
            body_sha256: "def".into(),
        };
        assert!(matches!(
            store.create_customer(&contoso, &new("other.example"), Some(&other_body), &respond),
            Err(StoreError::Conflict(_))
        ));
        let mut stranger = new("stranger.example");
        stranger.associated_partner_id = Some("not-a-reseller".into());
        assert!(matches!(
            store.create_customer(&contoso, &stranger, None, &respond),
            Err(StoreError::Invalid { .. })
        ));
    }

    fn changes_need_the_current_version_and_bump_it_once_per_real_change(store) {
        let (contoso, fabrikam) = book(store, 2);
        let id = walk(store, &contoso.partner_id, None, 0)[0].clone();
        let read = store.customer(&contoso.partner_id, &id).unwrap();
        assert!(matches!(
            store.set_relationship(&contoso, &id, Relationship::None, &IfMatch::version(read.version + 1)),
            Err(StoreError::Stale { current }) if current == read.version
        ));
        assert!(matches!(
            store.set_relationship(&fabrikam, &id, Relationship::None, &IfMatch::Any),
            Err(StoreError::NotFound)
        ));
        let ended = store
            .set_relationship(
                &contoso,
                &id,
                Relationship::None,
                &IfMatch::version(read.version),
            )
            .unwrap();
        assert_eq!(ended.version, read.version + 1);
        assert_eq!(ended.value.relationship_to_partner, Relationship::None);
        assert!(!ended.value.allow_delegated_access);
        let again = store
            .set_relationship(&contoso, &id, Relationship::None, &IfMatch::Any)
            .unwrap();
        assert_eq!(again.version, ended.version, "nothing changed");

        let permission = store.purchase_permission(&contoso.partner_id, &id).unwrap();
        assert_eq!(permission.version, ended.version, "one ETag for both");
        let allowed = store
            .set_purchase_permission(
                &contoso,
                &id,
                !permission.value,
                &IfMatch::version(permission.version),
            )
            .unwrap();
        assert_eq!(
            (allowed.value, allowed.version),
            (!permission.value, permission.version + 1)
        );
        assert!(matches!(
            store.set_purchase_permission(
                &contoso,
                &id,
                permission.value,
                &IfMatch::version(permission.version)
            ),
            Err(StoreError::Stale { .. })
        ));
        let events = store
            .events_after(&contoso.partner_id, 0, 100)
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect::<Vec<_>>();
        assert_eq!(
            events,
            [
                EventKind::CustomerUpdated,
                EventKind::PurchasePermissionUpdated
            ]
        );
        assert_eq!(
            audited(store, &contoso.partner_id),
            ["endRelationship", "updatePurchasePermission"]
        );
    }
}
