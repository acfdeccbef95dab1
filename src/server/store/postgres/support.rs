//! Support contacts (a versioned set per customer) and service requests (idempotent opening).
//! The rules and the audit words are the SQLite store's (`sqlite::support`).

use deadpool_postgres::Transaction;
use tokio_postgres::Row;

use super::now;
use super::resources::{execute, record_change, record_event, row, rows};
use super::{customers, idempotency};
use crate::api::support::{CONTACT_AGENT_ID, CheckedServiceRequest, contact_field};
use crate::api::{EventKind, ServiceRequest, ServiceRequestStatus, SupportContact};
use crate::server::store::sqlite::{
    MAX_SERVICE_REQUESTS_PER_CUSTOMER, contacts_words, invalid_input as invalid, opened_words,
    parse_severity,
};
use crate::server::store::{
    Created, IfMatch, Principal, RequestKey, StoreError, StoreResult, StoredResponse, Versioned,
};

/// The set's version; a customer whose contacts were never set is at version 1 with none.
async fn set_version(tx: &Transaction<'_>, customer_id: &str) -> StoreResult<i64> {
    let found = row(
        tx,
        "SELECT version FROM support_contact_sets WHERE customer_id = $1",
        &[&customer_id],
    )
    .await?;
    Ok(found.map(|r| r.get(0)).unwrap_or(1))
}

async fn contacts_of(tx: &Transaction<'_>, customer_id: &str) -> StoreResult<Vec<SupportContact>> {
    let found = rows(
        tx,
        "SELECT a.id, a.name, a.email FROM support_contacts s JOIN agents a ON a.id = s.agent_id \
         WHERE s.customer_id = $1 ORDER BY s.position",
        &[&customer_id],
    )
    .await?;
    Ok(found
        .iter()
        .map(|r| SupportContact {
            agent_id: r.get(0),
            name: Some(r.get(1)),
            email: Some(r.get(2)),
        })
        .collect())
}

pub(super) async fn support_contacts(
    tx: &Transaction<'_>,
    partner_id: &str,
    customer_id: &str,
) -> StoreResult<Versioned<Vec<SupportContact>>> {
    customers::get(tx, partner_id, customer_id).await?;
    Ok(Versioned {
        version: set_version(tx, customer_id).await?,
        value: contacts_of(tx, customer_id).await?,
    })
}

/// Whether the agent is one of the partner's agents.
async fn is_partner_agent(
    tx: &Transaction<'_>,
    partner_id: &str,
    agent_id: &str,
) -> StoreResult<bool> {
    let found = row(
        tx,
        "SELECT 1 FROM agents WHERE partner_id = $1 AND id = $2",
        &[&partner_id, &agent_id],
    )
    .await?;
    Ok(found.is_some())
}

pub(super) async fn set_support_contacts(
    tx: &Transaction<'_>,
    actor: &Principal,
    customer_id: &str,
    agent_ids: &[String],
    if_match: &IfMatch,
) -> StoreResult<Versioned<Vec<SupportContact>>> {
    let customer = customers::get(tx, &actor.partner_id, customer_id)
        .await?
        .value;
    let version = set_version(tx, customer_id).await?;
    if !if_match.admits(version) {
        return Err(StoreError::Stale { current: version });
    }
    for (n, id) in agent_ids.iter().enumerate() {
        if !is_partner_agent(tx, &actor.partner_id, id).await? {
            return Err(invalid(
                &contact_field(n),
                &format!("{id} is not one of your agents (GET /v1/agents lists them)"),
            ));
        }
    }
    let before = contacts_of(tx, customer_id).await?;
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
    execute(
        tx,
        "DELETE FROM support_contacts WHERE customer_id = $1",
        &[&customer_id],
    )
    .await?;
    for (n, id) in agent_ids.iter().enumerate() {
        execute(
            tx,
            "INSERT INTO support_contacts (customer_id, position, agent_id) VALUES ($1, $2, $3)",
            &[&customer_id, &(n as i64), id],
        )
        .await?;
    }
    execute(
        tx,
        "INSERT INTO support_contact_sets (customer_id, version, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (customer_id) DO UPDATE SET version = excluded.version, \
         updated_at = excluded.updated_at",
        &[&customer_id, &(version + 1), &now()],
    )
    .await?;
    let after = contacts_of(tx, customer_id).await?;
    record_event(
        tx,
        &actor.partner_id,
        EventKind::SupportContactsUpdated,
        customer_id,
    )
    .await?;
    record_change(
        tx,
        actor,
        &customer,
        "updateSupportContacts",
        "supportContacts",
        &contacts_words(&before),
        &contacts_words(&after),
    )
    .await?;
    Ok(Versioned {
        value: after,
        version: version + 1,
    })
}

/// A statement over service requests with their contact, in [`request_from_row`]'s order.
macro_rules! select_request {
    ($rest:literal) => {
        concat!(
            "SELECT r.id, r.title, r.description, r.severity, r.status, r.created_at, \
             r.updated_at, r.closed_at, r.contact_agent_id, a.name, a.email, r.opened_by \
             FROM service_requests r LEFT JOIN agents a ON a.id = r.contact_agent_id ",
            $rest
        )
    };
}

const ONE_REQUEST: &str = select_request!("WHERE r.id = $1");
/// Within one second (the stamps' resolution), the later insert is the newer: `seq` breaks ties
/// as SQLite's rowid does (0001's service_requests_by_customer index, walked backwards).
const LIST_REQUESTS: &str =
    select_request!("WHERE r.customer_id = $1 ORDER BY r.created_at DESC, r.seq DESC LIMIT $2");

fn request_from_row(r: &Row) -> ServiceRequest {
    let severity: &str = r.get(3);
    let status: &str = r.get(4);
    let contact_id: Option<String> = r.get(8);
    ServiceRequest {
        id: r.get(0),
        title: r.get(1),
        description: r.get(2),
        severity: parse_severity(severity),
        status: ServiceRequestStatus::parse(status),
        created_date: r.get(5),
        last_updated_date: r.get(6),
        closed_date: r.get(7),
        contact: contact_id.map(|agent_id| SupportContact {
            agent_id,
            name: r.get(9),
            email: r.get(10),
        }),
        opened_by: r.get(11),
    }
}

async fn request_count(tx: &Transaction<'_>, customer_id: &str) -> StoreResult<i64> {
    let found = row(
        tx,
        "SELECT count(*) FROM service_requests WHERE customer_id = $1",
        &[&customer_id],
    )
    .await?;
    Ok(found.map(|r| r.get(0)).unwrap_or(0))
}

pub(super) async fn service_requests(
    tx: &Transaction<'_>,
    partner_id: &str,
    customer_id: &str,
    limit: u32,
) -> StoreResult<(u64, Vec<ServiceRequest>)> {
    customers::get(tx, partner_id, customer_id).await?;
    let total = request_count(tx, customer_id).await?;
    let found = rows(tx, LIST_REQUESTS, &[&customer_id, &i64::from(limit)]).await?;
    Ok((
        total.max(0) as u64,
        found.iter().map(request_from_row).collect(),
    ))
}

pub(super) async fn open_service_request(
    tx: &Transaction<'_>,
    actor: &Principal,
    customer_id: &str,
    new: &CheckedServiceRequest,
    key: Option<&RequestKey>,
    respond: &dyn Fn(&ServiceRequest) -> StoredResponse,
) -> StoreResult<Created<ServiceRequest>> {
    if let Some(first) = idempotency::replayed(tx, &actor.partner_id, key).await? {
        return Ok(Created::Replayed(first));
    }
    let customer = customers::get(tx, &actor.partner_id, customer_id)
        .await?
        .value;
    if let Some(id) = &new.contact_agent_id
        && !is_partner_agent(tx, &actor.partner_id, id).await?
    {
        return Err(invalid(
            CONTACT_AGENT_ID,
            &format!("{id} is not one of your agents (GET /v1/agents lists them)"),
        ));
    }
    let held = request_count(tx, customer_id).await?;
    if held >= MAX_SERVICE_REQUESTS_PER_CUSTOMER {
        return Err(StoreError::Conflict(format!(
            "{} already has {held} service requests, the most one customer may have",
            customer.company_profile.company_name
        )));
    }
    let id = uuid::Uuid::new_v4().to_string();
    execute(
        tx,
        "INSERT INTO service_requests (id, customer_id, title, description, severity, status, \
         contact_agent_id, opened_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $8)",
        &[
            &id,
            &customer_id,
            &new.title,
            &new.description,
            &new.severity.as_str(),
            &new.contact_agent_id,
            &actor.agent_name,
            &now(),
        ],
    )
    .await?;
    let opened = row(tx, ONE_REQUEST, &[&id])
        .await?
        .map(|r| request_from_row(&r))
        .ok_or(StoreError::NotFound)?;
    record_event(
        tx,
        &actor.partner_id,
        EventKind::ServiceRequestCreated,
        customer_id,
    )
    .await?;
    record_change(
        tx,
        actor,
        &customer,
        "openServiceRequest",
        "serviceRequest",
        "",
        &opened_words(new),
    )
    .await?;
    idempotency::remember(tx, &actor.partner_id, key, &respond(&opened)).await?;
    Ok(Created::New(opened))
}
