//! The demo rows, table by table, as the SQLite store writes them.

use chrono::{DateTime, Utc};

use super::copy::Copy;
use super::{Batch, admin};
use crate::api::{Relationship, ServiceRequestStatus};
use crate::server::store::StoreResult;
use crate::server::store::postgres::now;
use crate::server::store::seed::admin::{DemoGroup, demo_relationships};
use crate::server::store::seed::history::DemoAuditRecord;
use crate::server::store::seed::support::demo_support;
use crate::server::store::seed::{DemoPartner, demo_customer};
use crate::server::store::sqlite::seeding::admin::{Days, Times, access};

/// The partners, their agents, indirect resellers and security groups.
pub(super) fn partners(partners: &[DemoPartner], groups: &[Vec<DemoGroup>]) -> Batch {
    let mut rows = Copy::new("partners (id, name, cloud, created_at)");
    let mut agents = Copy::new("agents (id, partner_id, name, email, role)");
    let mut resellers = Copy::new("indirect_resellers (id, partner_id, name, location, state)");
    let mut security = Copy::new("security_groups (id, partner_id, display_name)");
    for (partner, groups) in partners.iter().zip(groups) {
        rows.text(&partner.id)
            .text(partner.name)
            .text(partner.cloud)
            .text(&now())
            .end();
        for a in &partner.agents {
            agents
                .text(&a.id)
                .text(&partner.id)
                .text(&a.name)
                .text(&a.email)
                .text(a.role.as_str())
                .end();
        }
        for (id, name, location) in &partner.resellers {
            resellers
                .text(id)
                .text(&partner.id)
                .text(name)
                .text(location)
                .text("active")
                .end();
        }
        for g in groups {
            security.text(&g.id).text(&partner.id).text(g.name).end();
        }
    }
    vec![rows, agents, resellers, security]
}

/// The demo audit history of `partner`.
pub(super) fn history(partner: &DemoPartner, records: &[DemoAuditRecord<'_>]) -> Copy {
    let mut rows = Copy::new(
        "audit_records (partner_id, agent_id, agent_name, customer_id, customer_name, operation, \
         resource_type, value_before, value_after, details, created_at)",
    );
    for r in records {
        rows.text(&partner.id)
            .text(r.agent_id)
            .text(r.agent_name)
            .text(&r.customer_id)
            .text(&r.customer_name)
            .text(r.operation)
            .text(r.resource_type)
            .text(&r.before)
            .text(&r.after)
            .text("")
            .text(&r.created_at)
            .end();
    }
    rows
}

/// A batch of customers' rows, one COPY per table.
pub(super) struct Tables {
    customers: Copy,
    subscriptions: Copy,
    skus: Copy,
    users: Copy,
    licenses: Copy,
    pub(super) relationships: Copy,
    pub(super) assignments: Copy,
    contacts: Copy,
    requests: Copy,
}

impl Tables {
    pub(super) fn new() -> Self {
        Self {
            customers: Copy::new(
                "customers (id, partner_id, tenant_id, company_name, name_key, domain, domain_key, \
                 relationship, allow_delegated_access, allow_customer_purchase, \
                 associated_partner_id, billing_profile, created_at, updated_at, admin_status, \
                 admin_end_at, admin_requested_at)",
            ),
            subscriptions: Copy::new(
                "subscriptions (id, customer_id, offer_id, offer_name, friendly_name, quantity, \
                 unit_type, status, auto_renew_enabled, billing_cycle, term_duration, \
                 creation_date, commitment_end_date)",
            ),
            skus: Copy::new(
                "subscribed_skus (customer_id, sku_id, name, sku_part_number, status, \
                 active_units, consumed_units, suspended_units, warning_units)",
            ),
            users: Copy::new(
                "customer_users (id, customer_id, user_principal_name, first_name, last_name, \
                 display_name, usage_location, state, removed_at, created_at)",
            ),
            licenses: Copy::new("user_licenses (customer_id, user_id, sku_id)"),
            relationships: Copy::new(
                "admin_relationships (id, partner_id, customer_id, display_name, name_key, \
                 duration_days, auto_extend_days, roles, status, created_at, locked_at, \
                 activated_at, end_at, updated_at, approval_code, access_assignment_count)",
            ),
            assignments: Copy::new(
                "admin_access_assignments (id, relationship_id, security_group_id, roles, status, \
                 created_at, updated_at)",
            ),
            contacts: Copy::new("support_contacts (customer_id, position, agent_id)"),
            requests: Copy::new(
                "service_requests (id, customer_id, title, description, severity, status, \
                 contact_agent_id, opened_by, created_at, updated_at, closed_at)",
            ),
        }
    }

    /// Parents first.
    pub(super) fn into_batch(self) -> Batch {
        vec![
            self.customers,
            self.subscriptions,
            self.skus,
            self.users,
            self.licenses,
            self.relationships,
            self.assignments,
            self.contacts,
            self.requests,
        ]
    }
}

/// Writes one partner's customers.
pub(super) struct Customers<'a> {
    partner: &'a DemoPartner,
    groups: &'a [DemoGroup],
    /// `created_at` of every row, as SQLite's `now()` once per partner.
    at: String,
    seeded_at: DateTime<Utc>,
    days: Days,
}

impl<'a> Customers<'a> {
    pub(super) fn new(partner: &'a DemoPartner, groups: &'a [DemoGroup]) -> Self {
        let seeded_at = Utc::now();
        Self {
            partner,
            groups,
            at: now(),
            seeded_at,
            days: Days::new(seeded_at),
        }
    }

    /// Customer number `index` and everything it has.
    pub(super) fn write(&mut self, t: &mut Tables, index: u32) -> StoreResult<()> {
        let partner = self.partner;
        let c = demo_customer(partner, index);
        let name = &c.billing.company_name;
        // Admin access removed, or the relationship ended: its admin relationships ended too.
        let admin_removed = !c.allow_delegated_access || c.relationship == Relationship::None;
        let relationships: Vec<_> =
            demo_relationships(partner.stream, index, &c.domain, admin_removed)
                .into_iter()
                .map(|r| {
                    let times = Times::of(&r, &mut self.days);
                    (r, times)
                })
                .collect();
        let (admin_status, admin_end, admin_requested) = access(&relationships);
        t.customers
            .text(&c.id)
            .text(&partner.id)
            .text(&c.tenant_id)
            .text(name)
            .text(&name.to_lowercase())
            .text(&c.domain)
            .text(&c.domain.to_lowercase())
            .text(c.relationship.as_str())
            .bool(c.allow_delegated_access)
            .bool(c.allow_customer_purchase)
            .opt(c.reseller.map(|r| partner.resellers[r].0.as_str()))
            .text(&serde_json::to_string(&c.billing).unwrap_or_default())
            .text(&self.at)
            .text(&self.at)
            .text(admin_status.as_str())
            .opt(admin_end.as_deref())
            .opt(admin_requested.as_deref())
            .end();
        admin::write(t, &partner.id, &c.id, &relationships, self.groups)?;
        for s in &c.subscriptions {
            t.subscriptions
                .text(&s.id)
                .text(&c.id)
                .text(&s.offer_id)
                .text(&s.offer_name)
                .text(&s.friendly_name)
                .int(s.quantity)
                .text(&s.unit_type)
                .text(&s.status)
                .bool(s.auto_renew_enabled)
                .text(&s.billing_cycle)
                .text(&s.term_duration)
                .text(&s.creation_date)
                .text(&s.commitment_end_date)
                .end();
        }
        // SQLite's INSERT OR IGNORE keeps the first of a SKU bought twice.
        let mut written: Vec<&str> = Vec::with_capacity(c.skus.len());
        for k in &c.skus {
            if written.contains(&k.product_sku.id.as_str()) {
                continue;
            }
            written.push(&k.product_sku.id);
            t.skus
                .text(&c.id)
                .text(&k.product_sku.id)
                .text(&k.product_sku.name)
                .text(&k.product_sku.sku_part_number)
                .text(&k.status)
                .int(k.active_units)
                .int(0)
                .int(k.suspended_units)
                .int(k.warning_units)
                .end();
        }
        self.support(t, &c.id, index);
        for demo in &c.users {
            let u = &demo.user;
            let removed_at = demo.removed_days_ago.map(|days| {
                (self.seeded_at - chrono::Duration::days(i64::from(days)))
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            });
            t.users
                .text(&u.id)
                .text(&c.id)
                .text(&u.user_principal_name)
                .text(&u.first_name)
                .text(&u.last_name)
                .text(&u.display_name)
                .text(&u.usage_location)
                .text(&u.state)
                .opt(removed_at.as_deref())
                .text(&self.at)
                .end();
            for license in &u.assigned_licenses {
                t.licenses
                    .text(&c.id)
                    .text(&u.id)
                    .text(&license.sku_id)
                    .end();
            }
        }
        Ok(())
    }

    /// The customer's demo support contacts and service requests.
    fn support(&self, t: &mut Tables, customer_id: &str, index: u32) {
        let partner = self.partner;
        let support = demo_support(partner, index);
        let day = |days_ago: u32| {
            (self.seeded_at - chrono::TimeDelta::days(i64::from(days_ago)))
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        };
        for (n, agent) in support.contacts.iter().enumerate() {
            t.contacts
                .text(customer_id)
                .int(n as i64)
                .text(&partner.agents[*agent].id)
                .end();
        }
        for r in &support.requests {
            let closed = r.closed_after_days.map(|after| day(r.age_days - after));
            let status = match closed {
                Some(_) => ServiceRequestStatus::Closed,
                None => ServiceRequestStatus::Open,
            };
            let opened = day(r.age_days);
            t.requests
                .text(&r.id)
                .text(customer_id)
                .text(r.title)
                .text(r.description)
                .text(r.severity.as_str())
                .text(status.as_str())
                .opt(r.contact.map(|a| partner.agents[a].id.as_str()))
                .text(&partner.agents[r.opened_by].name)
                .text(&opened)
                .text(closed.as_deref().unwrap_or(&opened))
                .opt(closed.as_deref())
                .end();
        }
    }
}
