//! The seeded demo data: every admin relationship status a partner meets, access assignments
//! counted right, and customers' `adminAccess` summaries as the store would compute them.

use super::{TestStore, contract};

fn count(store: &dyn TestStore, sql: &str) -> i64 {
    store.rows(sql)[0][0].as_deref().unwrap().parse().unwrap()
}

contract! {
    fn every_status_a_partner_meets_is_seeded(store) {
        store.seed_demo(400).unwrap();
        let contoso = "(SELECT id FROM partners WHERE name = 'Contoso Partner')";
        let days = |n: i64| {
            (chrono::Utc::now() + chrono::TimeDelta::days(n))
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        };
        let of = |filter: &str| {
            count(
                store,
                &format!(
                    "SELECT count(*) FROM admin_relationships WHERE partner_id = {contoso} AND {filter}"
                ),
            )
        };
        let cases = [
            (
                "active, 400+ days left",
                format!("status = 'active' AND end_at > '{}'", days(400)),
            ),
            (
                "expiring within 30 days (more than 7)",
                format!(
                    "status = 'active' AND end_at > '{}' AND end_at <= '{}'",
                    days(8),
                    days(30)
                ),
            ),
            (
                "expiring within 7 days",
                format!("status = 'active' AND end_at <= '{}'", days(7)),
            ),
            (
                "pending for 2 days",
                format!(
                    "status = 'approvalPending' AND locked_at BETWEEN '{}' AND '{}' \
                     AND approval_code IS NOT NULL",
                    days(-3),
                    days(-1)
                ),
            ),
            (
                "pending for 85 days",
                format!(
                    "status = 'approvalPending' AND locked_at BETWEEN '{}' AND '{}'",
                    days(-86),
                    days(-84)
                ),
            ),
            ("a draft", "status = 'created'".to_string()),
            ("expired", "status = 'expired'".to_string()),
            ("terminated", "status = 'terminated'".to_string()),
            (
                "with Global Administrator",
                "status = 'active' AND roles LIKE '%62e90394-69f5-4237-9190-012177145e10%'".into(),
            ),
            (
                "auto-extending",
                "status = 'active' AND auto_extend_days = 180".into(),
            ),
            (
                "active without any access assignment",
                "status = 'active' AND access_assignment_count = 0".into(),
            ),
        ];
        for (what, filter) in &cases {
            assert!(of(filter) > 0, "no relationship {what}");
        }
        let with_none = count(
            store,
            &format!(
                "SELECT count(*) FROM customers WHERE partner_id = {contoso} AND admin_status = 'none'"
            ),
        );
        assert!(with_none > 0, "no customer without admin access");
        let total = of("TRUE");
        assert!(
            (560..640).contains(&total),
            "{total} relationships for 400 customers"
        );
        let removed_but_active = count(
            store,
            "SELECT count(*) FROM customers c WHERE NOT c.allow_delegated_access AND EXISTS \
             (SELECT 1 FROM admin_relationships r WHERE r.customer_id = c.id AND r.status = 'active')",
        );
        assert_eq!(removed_but_active, 0, "removed admin access yet active");
        let fabrikam = count(
            store,
            "SELECT count(*) FROM admin_relationships r JOIN partners p ON p.id = r.partner_id \
             WHERE p.name = 'Fabrikam Partner'",
        );
        assert!(fabrikam > 2, "{fabrikam} for Fabrikam");
        let miscounted = count(
            store,
            "SELECT count(*) FROM admin_relationships r WHERE access_assignment_count != \
             (SELECT count(*) FROM admin_access_assignments a WHERE a.relationship_id = r.id)",
        );
        assert_eq!(
            miscounted, 0,
            "access_assignment_count disagrees with the assignments"
        );
    }

    fn seeded_summaries_are_what_the_store_computes_from_the_relationships(store) {
        store.seed_demo(300).unwrap();
        let summaries = "SELECT id, admin_status, admin_end_at, admin_requested_at FROM customers \
                         ORDER BY id";
        let seeded = store.rows(summaries);
        let statuses: std::collections::HashSet<&Option<String>> =
            seeded.iter().map(|r| &r[1]).collect();
        assert_eq!(
            statuses.len(),
            5,
            "active, pending, expired, terminated and none: {statuses:?}"
        );
        store.refresh_admin_summaries();
        assert_eq!(store.rows(summaries), seeded);
    }
}
