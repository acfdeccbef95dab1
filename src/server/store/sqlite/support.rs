//! Support contacts (a versioned set per customer) and service requests (idempotent opening).

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::now;
use super::resources::{record_change, record_event};
use super::{customers, idempotency};
use crate::api::support::{CONTACT_AGENT_ID, CheckedServiceRequest, contact_field};
use crate::api::{EventKind, ServiceRequest, ServiceRequestStatus, Severity, SupportContact};
use crate::server::store::seed::DemoPartner;
use crate::server::store::seed::support::demo_support;
use crate::server::store::{
    Created, IfMatch, Principal, RequestKey, StoreError, StoreResult, StoredResponse, Versioned,
};

/// At most this many service requests per customer, so no client can grow the database without
/// bound through one customer (far more than a helpdesk opens in the portal's lifetime of one).
pub(crate) const MAX_SERVICE_REQUESTS_PER_CUSTOMER: i64 = 1000;

/// Bad input in `field`.
pub(crate) fn invalid(field: &str, message: &str) -> StoreError {
    StoreError::Invalid {
        field: field.to_string(),
        message: message.to_string(),
    }
}

/// The set's version; a customer whose contacts were never set is at version 1 with none.
fn set_version(conn: &Connection, customer_id: &str) -> StoreResult<i64> {
    Ok(conn
        .prepare_cached("SELECT version FROM support_contact_sets WHERE customer_id = ?1")?
        .query_row(params![customer_id], |r| r.get(0))
        .optional()?
        .unwrap_or(1))
}

fn contacts_of(conn: &Connection, customer_id: &str) -> StoreResult<Vec<SupportContact>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.name, a.email FROM support_contacts s JOIN agents a ON a.id = s.agent_id \
         WHERE s.customer_id = ?1 ORDER BY s.position",
    )?;
    let rows = stmt.query_map(params![customer_id], |r| {
        Ok(SupportContact {
            agent_id: r.get(0)?,
            name: Some(r.get(1)?),
            email: Some(r.get(2)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn support_contacts(
    conn: &Connection,
    partner_id: &str,
    customer_id: &str,
) -> StoreResult<Versioned<Vec<SupportContact>>> {
    customers::get(conn, partner_id, customer_id)?;
    Ok(Versioned {
        version: set_version(conn, customer_id)?,
        value: contacts_of(conn, customer_id)?,
    })
}

/// "Alex Wilber, Megan Bowen", or "none": how the audit log names a set.
fn names(contacts: &[SupportContact]) -> String {
    if contacts.is_empty() {
        return "none".to_string();
    }
    let names: Vec<&str> = contacts
        .iter()
        .map(|c| c.name.as_deref().unwrap_or(&c.agent_id))
        .collect();
    names.join(", ")
}

/// A set as its audit record's `before` or `after` says it.
pub(crate) fn contacts_words(contacts: &[SupportContact]) -> String {
    format!("support contacts {}", names(contacts))
}

/// A new service request as its audit record's `after` says it.
pub(crate) fn opened_words(new: &CheckedServiceRequest) -> String {
    format!(
        "status open, severity {}, title \"{}\"",
        new.severity.as_str(),
        new.title
    )
}

/// The agent's name and email when it is one of the partner's agents.
fn partner_agent(
    conn: &Connection,
    partner_id: &str,
    agent_id: &str,
) -> StoreResult<Option<(String, String)>> {
    Ok(conn
        .prepare_cached("SELECT name, email FROM agents WHERE partner_id = ?1 AND id = ?2")?
        .query_row(params![partner_id, agent_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

pub(super) fn set_support_contacts(
    tx: &Transaction<'_>,
    actor: &Principal,
    customer_id: &str,
    agent_ids: &[String],
    if_match: &IfMatch,
) -> StoreResult<Versioned<Vec<SupportContact>>> {
    let customer = customers::get(tx, &actor.partner_id, customer_id)?.value;
    let version = set_version(tx, customer_id)?;
    if !if_match.admits(version) {
        return Err(StoreError::Stale { current: version });
    }
    for (n, id) in agent_ids.iter().enumerate() {
        if partner_agent(tx, &actor.partner_id, id)?.is_none() {
            return Err(invalid(
                &contact_field(n),
                &format!("{id} is not one of your agents (GET /v1/agents lists them)"),
            ));
        }
    }
    let before = contacts_of(tx, customer_id)?;
    let unchanged = before.len() == agent_ids.len()
        && before
            .iter()
            .zip(agent_ids)
            .all(|(c, id)| &c.agent_id == id);
    if unchanged {
        return Ok(Versioned {
            value: before,
            version,
        });
    }
    tx.prepare_cached("DELETE FROM support_contacts WHERE customer_id = ?1")?
        .execute(params![customer_id])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO support_contacts (customer_id, position, agent_id) VALUES (?1, ?2, ?3)",
    )?;
    for (n, id) in agent_ids.iter().enumerate() {
        insert.execute(params![customer_id, n as i64, id])?;
    }
    let at = now();
    tx.prepare_cached(
        "INSERT INTO support_contact_sets (customer_id, version, updated_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (customer_id) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at",
    )?
    .execute(params![customer_id, version + 1, at])?;
    let after = contacts_of(tx, customer_id)?;
    record_event(
        tx,
        &actor.partner_id,
        EventKind::SupportContactsUpdated,
        customer_id,
    )?;
    record_change(
        tx,
        actor,
        &customer,
        "updateSupportContacts",
        "supportContacts",
        &contacts_words(&before),
        &contacts_words(&after),
    )?;
    Ok(Versioned {
        value: after,
        version: version + 1,
    })
}

const SELECT_REQUEST: &str = "SELECT r.id, r.title, r.description, r.severity, r.status, \
    r.created_at, r.updated_at, r.closed_at, r.contact_agent_id, a.name, a.email, r.opened_by \
    FROM service_requests r LEFT JOIN agents a ON a.id = r.contact_agent_id";

fn request_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ServiceRequest> {
    let severity: String = r.get(3)?;
    let status: String = r.get(4)?;
    let contact_id: Option<String> = r.get(8)?;
    Ok(ServiceRequest {
        id: r.get(0)?,
        title: r.get(1)?,
        description: r.get(2)?,
        severity: parse_severity(&severity),
        status: ServiceRequestStatus::parse(&status),
        created_date: r.get(5)?,
        last_updated_date: r.get(6)?,
        closed_date: r.get(7)?,
        contact: match contact_id {
            Some(agent_id) => Some(SupportContact {
                agent_id,
                name: r.get(9)?,
                email: r.get(10)?,
            }),
            None => None,
        },
        opened_by: r.get(11)?,
    })
}

pub(crate) fn parse_severity(text: &str) -> Severity {
    Severity::CHOICES
        .into_iter()
        .find(|s| s.as_str() == text)
        .unwrap_or(Severity::Unknown)
}

pub(super) fn service_requests(
    conn: &Connection,
    partner_id: &str,
    customer_id: &str,
    limit: u32,
) -> StoreResult<(u64, Vec<ServiceRequest>)> {
    customers::get(conn, partner_id, customer_id)?;
    let total: i64 = conn
        .prepare_cached("SELECT count(*) FROM service_requests WHERE customer_id = ?1")?
        .query_row(params![customer_id], |r| r.get(0))?;
    // Within one second (the stamps' resolution), the later insert is the newer.
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT_REQUEST} WHERE r.customer_id = ?1 ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![customer_id, limit], request_from_row)?;
    Ok((total.max(0) as u64, rows.collect::<rusqlite::Result<_>>()?))
}

pub(super) fn open_service_request(
    tx: &Transaction<'_>,
    actor: &Principal,
    customer_id: &str,
    new: &CheckedServiceRequest,
    key: Option<&RequestKey>,
    respond: &dyn Fn(&ServiceRequest) -> StoredResponse,
) -> StoreResult<Created<ServiceRequest>> {
    if let Some(first) = idempotency::replayed(tx, &actor.partner_id, key)? {
        return Ok(Created::Replayed(first));
    }
    let customer = customers::get(tx, &actor.partner_id, customer_id)?.value;
    if let Some(id) = &new.contact_agent_id
        && partner_agent(tx, &actor.partner_id, id)?.is_none()
    {
        return Err(invalid(
            CONTACT_AGENT_ID,
            &format!("{id} is not one of your agents (GET /v1/agents lists them)"),
        ));
    }
    let held: i64 = tx
        .prepare_cached("SELECT count(*) FROM service_requests WHERE customer_id = ?1")?
        .query_row(params![customer_id], |r| r.get(0))?;
    if held >= MAX_SERVICE_REQUESTS_PER_CUSTOMER {
        return Err(StoreError::Conflict(format!(
            "{} already has {held} service requests, the most one customer may have",
            customer.company_profile.company_name
        )));
    }
    let id = uuid::Uuid::new_v4().to_string();
    let at = now();
    tx.prepare_cached(
        "INSERT INTO service_requests (id, customer_id, title, description, severity, status, \
         contact_agent_id, opened_by, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6, ?7, ?8, ?8)",
    )?
    .execute(params![
        id,
        customer_id,
        new.title,
        new.description,
        new.severity.as_str(),
        new.contact_agent_id,
        actor.agent_name,
        at
    ])?;
    let opened = tx
        .prepare_cached(&format!("{SELECT_REQUEST} WHERE r.id = ?1"))?
        .query_row(params![id], request_from_row)?;
    record_event(
        tx,
        &actor.partner_id,
        EventKind::ServiceRequestCreated,
        customer_id,
    )?;
    record_change(
        tx,
        actor,
        &customer,
        "openServiceRequest",
        "serviceRequest",
        "",
        &opened_words(new),
    )?;
    idempotency::remember(tx, &actor.partner_id, key, &respond(&opened))?;
    Ok(Created::New(opened))
}

/// Writes customer `index`'s demo support contacts and service requests (seeding only).
pub(super) fn seed_customer(
    tx: &Transaction<'_>,
    partner: &DemoPartner,
    customer_id: &str,
    index: u32,
) -> StoreResult<()> {
    let support = demo_support(partner, index);
    let today = chrono::Utc::now();
    let day = |days_ago: u32| {
        (today - chrono::TimeDelta::days(i64::from(days_ago)))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    if !support.contacts.is_empty() {
        let mut insert = tx.prepare_cached(
            "INSERT INTO support_contacts (customer_id, position, agent_id) VALUES (?1, ?2, ?3)",
        )?;
        for (n, agent) in support.contacts.iter().enumerate() {
            insert.execute(params![customer_id, n as i64, partner.agents[*agent].id])?;
        }
    }
    let mut insert = tx.prepare_cached(
        "INSERT INTO service_requests (id, customer_id, title, description, severity, status, \
         contact_agent_id, opened_by, created_at, updated_at, closed_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for r in &support.requests {
        let closed = r.closed_after_days.map(|after| day(r.age_days - after));
        let status = match closed {
            Some(_) => ServiceRequestStatus::Closed,
            None => ServiceRequestStatus::Open,
        };
        let opened = day(r.age_days);
        insert.execute(params![
            r.id,
            customer_id,
            r.title,
            r.description,
            r.severity.as_str(),
            status.as_str(),
            r.contact.map(|a| partner.agents[a].id.as_str()),
            partner.agents[r.opened_by].name,
            opened,
            closed.as_deref().unwrap_or(&opened),
            closed
        ])?;
    }
    Ok(())
}
