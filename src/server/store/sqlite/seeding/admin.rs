//! Writes the demo admin relationships, their access assignments and the partners' security
//! groups (`seed::admin` decides them), and works out each customer's `adminAccess` summary from
//! them as they are written, so seeding needs no second pass over 100,000 customers.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::{Transaction, params};

use crate::api::gdap::{AUTO_EXTEND_DAYS, AdminAccessStatus, RelationshipStatus};
use crate::server::signing;
use crate::server::store::StoreResult;
use crate::server::store::seed::admin::{DemoGroup, DemoRelationship, demo_groups};
use crate::server::store::sqlite::gdap::summary;

/// The partner's security groups, written.
pub(super) fn seed_groups(
    tx: &Transaction<'_>,
    partner_id: &str,
    stream: u64,
) -> StoreResult<Vec<DemoGroup>> {
    let groups = demo_groups(stream);
    let mut insert = tx.prepare_cached(
        "INSERT INTO security_groups (id, partner_id, display_name) VALUES (?1, ?2, ?3)",
    )?;
    for g in &groups {
        insert.execute(params![g.id, partner_id, g.name])?;
    }
    Ok(groups)
}

/// A demo relationship's times, as stored.
pub(in crate::server::store) struct Times {
    pub(in crate::server::store) created: String,
    pub(in crate::server::store) locked: Option<String>,
    pub(in crate::server::store) activated: Option<String>,
    pub(in crate::server::store) end: Option<String>,
    pub(in crate::server::store) changed: String,
}

impl Times {
    pub(in crate::server::store) fn of(r: &DemoRelationship, days: &mut Days) -> Self {
        Self {
            created: days.at(-r.created_days_ago),
            locked: r.locked_days_ago.map(|d| days.at(-d)),
            activated: r.activated_days_ago.map(|d| days.at(-d)),
            end: r.ends_in_days.map(|d| days.at(d)),
            changed: days.at(-r.changed_days_ago),
        }
    }
}

/// Whole days from the seeding moment as text. Every demo time is one of a few thousand such
/// days, so each is formatted once rather than five times per relationship.
pub(in crate::server::store) struct Days {
    seeded_at: DateTime<Utc>,
    texts: HashMap<i64, String>,
}

impl Days {
    pub(in crate::server::store) fn new(seeded_at: DateTime<Utc>) -> Self {
        Self {
            seeded_at,
            texts: HashMap::new(),
        }
    }

    fn at(&mut self, days: i64) -> String {
        let seeded_at = self.seeded_at;
        self.texts
            .entry(days)
            .or_insert_with(|| {
                (seeded_at + TimeDelta::days(days))
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            })
            .clone()
    }
}

/// The customer's `adminAccess` (status, end, requested) from its relationships, as
/// `summary::refresh` would compute it.
pub(in crate::server::store) fn access(
    relationships: &[(DemoRelationship, Times)],
) -> (AdminAccessStatus, Option<String>, Option<String>) {
    summary::best(relationships.iter().map(|(r, t)| {
        let requested = t.locked.clone().unwrap_or_else(|| t.created.clone());
        (r.status, t.end.clone(), requested)
    }))
}

/// Writes one customer's relationships and their assignments.
pub(super) fn seed_customer(
    tx: &Transaction<'_>,
    partner_id: &str,
    customer_id: &str,
    relationships: &[(DemoRelationship, Times)],
    groups: &[DemoGroup],
) -> StoreResult<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO admin_relationships (id, partner_id, customer_id, display_name, name_key, \
         duration_days, auto_extend_days, roles, status, created_at, locked_at, activated_at, \
         end_at, updated_at, approval_code, access_assignment_count) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?;
    let mut assign = tx.prepare_cached(
        "INSERT INTO admin_access_assignments (id, relationship_id, security_group_id, roles, \
         status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'active', ?5, ?5)",
    )?;
    for (r, t) in relationships {
        // Only an open request needs a link; like every link's, its code is unguessable (so it
        // is the one thing the demo does not repeat).
        let code = match r.status {
            RelationshipStatus::ApprovalPending => Some(signing::random_text(24)?),
            _ => None,
        };
        let extend = if r.auto_extend { AUTO_EXTEND_DAYS } else { 0 };
        insert.execute(params![
            r.id,
            partner_id,
            customer_id,
            r.display_name,
            r.display_name.to_lowercase(),
            r.duration_days,
            extend,
            json_ids(&r.roles),
            r.status.as_str(),
            t.created,
            t.locked,
            t.activated,
            t.end,
            t.changed,
            code,
            r.assignments.len() as i64,
        ])?;
        for a in &r.assignments {
            assign.execute(params![
                a.id,
                r.id,
                groups[a.group].id,
                json_ids(&a.roles),
                t.activated.as_ref().unwrap_or(&t.created),
            ])?;
        }
    }
    Ok(())
}

/// A JSON array of role template GUIDs (which need no escaping), without a serializer per row.
pub(in crate::server::store) fn json_ids(ids: &[&str]) -> String {
    if ids.is_empty() {
        return "[]".to_string();
    }
    format!("[\"{}\"]", ids.join("\",\""))
}
