//! The PostgreSQL customers module on rows these tests insert (a partner from the demo data
//! and its first customers), so it is checked without the demo seeding.
#![allow(clippy::unwrap_used)]

use super::super::PgStore;
use super::super::partners::{insert_agent, insert_partner};
use super::super::resources::execute;
use super::*;
use crate::api::{CustomerFilter, NewCompanyProfile};
use crate::server::store::seed::{DemoPartner, demo_customer, demo_partners};
use crate::server::store::{IfMatch, Store};

/// Contoso with its agents, resellers and `customers` demo customers, and Fabrikam with two;
/// (store, Contoso's principal, Fabrikam's principal).
fn book(customers: u32) -> Option<(PgStore, Principal, Principal)> {
    let store = super::super::test_store()?;
    let partners = demo_partners(customers);
    for (partner, count) in partners.iter().zip([customers, 2]) {
        store
            .write(async |tx| add_partner(tx, partner, count).await)
            .unwrap();
    }
    let contoso = principal(&partners[0]);
    let fabrikam = principal(&partners[1]);
    Some((store, contoso, fabrikam))
}

async fn add_partner(tx: &Transaction<'_>, partner: &DemoPartner, count: u32) -> StoreResult<()> {
    insert_partner(tx, &partner.id, partner.name, partner.cloud).await?;
    for agent in &partner.agents {
        insert_agent(tx, &partner.id, agent).await?;
    }
    for (id, name, location) in &partner.resellers {
        execute(
            tx,
            "INSERT INTO indirect_resellers (id, partner_id, name, location, state) \
             VALUES ($1, $2, $3, $4, 'Active')",
            &[id, &partner.id, name, location],
        )
        .await?;
    }
    for index in 0..count {
        let c = demo_customer(partner, index);
        insert(
            tx,
            &partner.id,
            NewRow {
                id: c.id,
                tenant_id: c.tenant_id,
                domain: &c.domain,
                billing: &c.billing,
                relationship: c.relationship,
                allow_delegated_access: c.allow_delegated_access,
                associated_partner_id: c.reseller.map(|i| partner.resellers[i].0.as_str()),
            },
        )
        .await?;
    }
    Ok(())
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
fn audited(store: &PgStore, partner: &str) -> Vec<String> {
    store
        .read(async |tx| {
            Ok(rows(
                tx,
                "SELECT operation FROM audit_records WHERE partner_id = $1 ORDER BY id",
                &[&partner],
            )
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect())
        })
        .unwrap()
}

/// Every page of a list, as ids.
fn walk(store: &PgStore, partner: &str, filter: Option<CustomerFilter>, few: i64) -> Vec<String> {
    let mut query = CustomerQuery {
        size: 7,
        filter,
        after: None,
    };
    let mut ids = Vec::new();
    loop {
        let page = store
            .read(async |tx| list_with(tx, partner, &query, few).await)
            .unwrap();
        ids.extend(page.items.into_iter().map(|c| c.id));
        match page.next {
            Some(cursor) => query.after = Some(cursor),
            None => return ids,
        }
    }
}

/// (id, name key, domain) of every customer of `partner`, in list order as Rust sorts it.
fn everyone(store: &PgStore, partner: &str) -> Vec<(String, String, String)> {
    let mut all: Vec<(String, String, String)> = store
        .read(async |tx| {
            Ok(rows(
                tx,
                "SELECT id, company_name, domain FROM customers WHERE partner_id = $1",
                &[&partner],
            )
            .await?
            .iter()
            .map(|r| (r.get(0), search_key(r.get(1)), r.get(2)))
            .collect())
        })
        .unwrap();
    all.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    all
}

#[test]
fn both_domain_plans_list_exactly_the_matches_in_name_order() {
    let Some((store, contoso, _)) = book(1500) else {
        return;
    };
    let all = everyone(&store, &contoso.partner_id);
    for prefix in ["t", "ALPINE", "cedar", "tenant", "zz", "a"] {
        let expected: Vec<String> = all
            .iter()
            .filter(|(_, _, domain)| domain.starts_with(&prefix.to_lowercase()))
            .map(|(id, _, _)| id.clone())
            .collect();
        let filter = CustomerFilter::starts_with(FilterField::Domain, prefix);
        assert_eq!(
            walk(&store, &contoso.partner_id, Some(filter.clone()), i64::MAX),
            expected,
            "few-matches plan, {prefix}"
        );
        assert_eq!(
            walk(&store, &contoso.partner_id, Some(filter), 0),
            expected,
            "many-matches plan, {prefix}"
        );
    }
}

#[test]
fn pages_walk_the_whole_book_in_name_order_and_name_prefixes_fold_case_beyond_ascii() {
    let Some((store, contoso, fabrikam)) = book(300) else {
        return;
    };
    let all = everyone(&store, &contoso.partner_id);
    let ids: Vec<String> = all.iter().map(|(id, _, _)| id.clone()).collect();
    assert_eq!(walk(&store, &contoso.partner_id, None, 0), ids);
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
    assert!(!ids.contains(&walk(&store, &fabrikam.partner_id, None, 0)[0]));

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
    let all = everyone(&store, &contoso.partner_id);
    for prefix in ["ÖLW", "öl", "c", "Contoso", "zz"] {
        let expected: Vec<String> = all
            .iter()
            .filter(|(_, key, _)| key.starts_with(&search_key(prefix)))
            .map(|(id, _, _)| id.clone())
            .collect();
        let filter = CustomerFilter::starts_with(FilterField::CompanyName, prefix);
        assert_eq!(
            walk(&store, &contoso.partner_id, Some(filter), 0),
            expected,
            "{prefix}"
        );
    }
    let filter = CustomerFilter::starts_with(FilterField::CompanyName, "ÖLWERK");
    assert_eq!(
        walk(&store, &contoso.partner_id, Some(filter), 0),
        [made.id]
    );
}

#[test]
fn create_is_idempotent_refuses_a_taken_domain_and_stays_within_the_partner() {
    let Some((store, contoso, fabrikam)) = book(3) else {
        return;
    };
    let taken = store
        .customer(
            &contoso.partner_id,
            &walk(&store, &contoso.partner_id, None, 0)[0],
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
        audited(&store, &contoso.partner_id),
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
        audited(&store, &contoso.partner_id),
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

#[test]
fn changes_need_the_current_version_and_bump_it_once_per_real_change() {
    let Some((store, contoso, fabrikam)) = book(2) else {
        return;
    };
    let id = walk(&store, &contoso.partner_id, None, 0)[0].clone();
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
        audited(&store, &contoso.partner_id),
        ["endRelationship", "updatePurchasePermission"]
    );
}
