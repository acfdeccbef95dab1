#![allow(clippy::unwrap_used)]
use std::collections::HashSet;

use super::*;
use crate::api::gdap::MAX_NAME_CHARS;
use crate::server::store::seed::{demo_customer, demo_partners};

/// Customer `index` of Contoso's as the seed makes its relationships.
fn of(partner: &crate::server::store::seed::DemoPartner, index: u32) -> Vec<DemoRelationship> {
    let c = demo_customer(partner, index);
    let removed = !c.allow_delegated_access || c.relationship == crate::api::Relationship::None;
    demo_relationships(partner.stream, index, &c.domain, removed)
}

#[test]
fn the_same_customer_always_gets_the_same_relationships() {
    let partners = demo_partners(100);
    for index in [0, 7, 12, 48, 99] {
        assert_eq!(of(&partners[0], index), of(&partners[0], index));
    }
    assert_ne!(of(&partners[0], 0)[0].id, of(&partners[0], 20)[0].id);
    assert_eq!(demo_groups(1), demo_groups(1));
    assert_eq!(demo_groups(1).len(), 6);
}

#[test]
fn about_one_and_a_half_per_customer_with_unique_short_names_and_granted_assignments() {
    let partners = demo_partners(20_000);
    let (mut count, mut names) = (0usize, HashSet::new());
    for index in 0..20_000 {
        for r in of(&partners[0], index) {
            count += 1;
            assert!(
                r.display_name.chars().count() <= MAX_NAME_CHARS,
                "{}",
                r.display_name
            );
            assert!(
                names.insert(r.display_name.to_lowercase()),
                "{}",
                r.display_name
            );
            for a in &r.assignments {
                assert!(a.roles.iter().all(|role| r.roles.contains(role)));
                assert!(!a.roles.is_empty());
            }
            let ga = r.roles.contains(&GLOBAL_ADMINISTRATOR);
            assert!(
                !(ga && r.auto_extend),
                "auto-extend with Global Administrator"
            );
        }
    }
    let per_customer = count as f64 / 20_000.0;
    assert!((1.4..1.6).contains(&per_customer), "{per_customer}");
}

#[test]
fn customers_that_removed_admin_access_have_an_ended_relationship_and_no_active_one() {
    let partners = demo_partners(1000);
    let mut seen = 0;
    for index in (7..1000).step_by(41) {
        let rs = of(&partners[0], index);
        assert_eq!(rs.len(), 1, "customer {index}");
        assert!(
            rs[0].status.is_final(),
            "customer {index}: {:?}",
            rs[0].status
        );
        seen += 1;
    }
    assert!(seen > 20);
}
