//! Rows the gdap tests start from: a partner with an agent, customers and a security group,
//! inserted directly (the relationships themselves come from each test).

use super::TestStore;
use crate::api::Role;
use crate::server::store::Principal;

pub(super) const LOCKED: &str = "2026-01-10T08:00:00Z";
pub(super) const LATER: &str = "2026-01-20T09:30:00Z";

pub(super) struct Fixture<'a> {
    pub store: &'a dyn TestStore,
    pub actor: Principal,
    pub customer_id: String,
    pub tenant_id: String,
    pub group_id: String,
}

/// `text` as an SQL string literal.
pub(super) fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// `value` as an SQL literal: NULL for None.
pub(super) fn literal(value: Option<&str>) -> String {
    value.map_or_else(|| "NULL".to_string(), quote)
}

/// On an empty store: one partner (Contoso Partner Test, agent Ada), customers `cust-1` ..
/// `cust-3` (tenants `tenant-1` ..), `cust-4` of another partner, and security groups `group-1`
/// (ours) and `group-other` (theirs).
pub(super) fn fixture(store: &dyn TestStore) -> Fixture<'_> {
    store.exec(
        "INSERT INTO partners (id, name, cloud, created_at) \
         VALUES ('p-test', 'Contoso Partner Test', 'Partner Center', '2026-01-01T00:00:00Z'); \
         INSERT INTO agents (id, partner_id, name, email, role) \
         VALUES ('a-test', 'p-test', 'Ada', 'ada@example.com', 'admin-agent'); \
         INSERT INTO partners (id, name, cloud, created_at) \
         VALUES ('p-other', 'Other Partner Test', 'Partner Center', '2026-01-01T00:00:00Z'); \
         INSERT INTO security_groups (id, partner_id, display_name) \
         VALUES ('group-1', 'p-test', 'Helpdesk Agents'), ('group-other', 'p-other', 'Theirs');",
    );
    for (n, partner) in [(1, "p-test"), (2, "p-test"), (3, "p-test"), (4, "p-other")] {
        store.exec(&format!(
            "INSERT INTO customers (id, partner_id, tenant_id, company_name, name_key, domain, \
             domain_key, relationship, allow_delegated_access, billing_profile, created_at, \
             updated_at) VALUES ('cust-{n}', '{partner}', 'tenant-{n}', 'Customer {n}', \
             'customer {n}', 'c{n}.example.com', 'c{n}.example.com', 'reseller', TRUE, '{{}}', \
             '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
        ));
    }
    Fixture {
        store,
        actor: Principal {
            partner_id: "p-test".into(),
            partner_name: "Contoso Partner Test".into(),
            cloud: "Partner Center".into(),
            agent_id: "a-test".into(),
            agent_name: "Ada".into(),
            role: Role::AdminAgent,
        },
        customer_id: "cust-1".into(),
        tenant_id: "tenant-1".into(),
        group_id: "group-1".into(),
    }
}

impl Fixture<'_> {
    /// The rows of `sql`, values as text.
    pub fn sql(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        self.store.rows(sql)
    }

    /// A relationship of customer `cust-1` in `status`, named `Helpdesk {id}`, locked at
    /// [`LOCKED`] with approval code `id`, for 365 days with auto-extend; `end_at` as given.
    pub fn relationship(&self, id: &str, status: &str, end_at: Option<&str>, roles: &[&str]) {
        let roles = quote(&serde_json::json!(roles).to_string());
        let name = format!("Helpdesk {id}");
        self.store.exec(&format!(
            "INSERT INTO admin_relationships (id, partner_id, customer_id, display_name, \
             name_key, duration_days, auto_extend_days, roles, status, created_at, locked_at, \
             updated_at, end_at, approval_code) \
             VALUES ({id}, {partner}, {customer}, {name}, {key}, 365, 180, {roles}, {status}, \
             '{LOCKED}', '{LOCKED}', '{LOCKED}', {end_at}, {id})",
            id = quote(id),
            partner = quote(&self.actor.partner_id),
            customer = quote(&self.customer_id),
            key = quote(&name.to_lowercase()),
            name = quote(&name),
            status = quote(status),
            end_at = literal(end_at),
        ));
    }

    /// One column of a relationship, as text.
    pub fn column(&self, id: &str, column: &str) -> Option<String> {
        let sql = format!(
            "SELECT {column} FROM admin_relationships WHERE id = {}",
            quote(id)
        );
        self.sql(&sql).remove(0).remove(0)
    }

    /// (operation, agent id, resource type, before, after) of the audit records of the
    /// fixture's customer about admin relationships, oldest first.
    pub fn audit(&self) -> Vec<(String, String, String, String, String)> {
        self.sql(&format!(
            "SELECT operation, agent_id, resource_type, value_before, value_after \
             FROM audit_records WHERE resource_type IN ('AdminRelationship', 'AccessAssignment') \
             AND customer_id = {} ORDER BY id",
            quote(&self.customer_id)
        ))
        .into_iter()
        .map(|r| {
            let mut r = r.into_iter().map(Option::unwrap_or_default);
            let mut next = || r.next().unwrap();
            (next(), next(), next(), next(), next())
        })
        .collect()
    }

    /// The kinds of the fixture's customer's events, oldest first.
    pub fn events(&self) -> Vec<String> {
        self.sql(&format!(
            "SELECT kind FROM events WHERE customer_id = {} ORDER BY id",
            quote(&self.customer_id)
        ))
        .into_iter()
        .map(|mut r| r.remove(0).unwrap())
        .collect()
    }

    /// The fixture customer's summary: (admin_status, admin_end_at, admin_requested_at).
    pub fn summary(&self) -> (String, Option<String>, Option<String>) {
        let mut r = self
            .sql(&format!(
                "SELECT admin_status, admin_end_at, admin_requested_at FROM customers \
                 WHERE id = {}",
                quote(&self.customer_id)
            ))
            .remove(0)
            .into_iter();
        (
            r.next().unwrap().unwrap(),
            r.next().unwrap(),
            r.next().unwrap(),
        )
    }
}
