//! Invitation links and their acceptance: create the customer, or restore a known one.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::customers::{self, NewRow, search_key};
use super::resources::{record_audit, record_event};
use crate::api::{Address, BillingProfile, Customer, EventKind, Relationship, Role};
use crate::server::store::{
    AcceptOutcome, Acceptance, Invitation, Principal, StoreError, StoreResult,
};

pub(super) fn invitation(conn: &Connection, code: &str) -> StoreResult<Invitation> {
    conn.prepare_cached(
        "SELECT p.id, p.name, nullif(l.reseller_id, ''), r.name FROM invite_links l \
         JOIN partners p ON p.id = l.partner_id \
         LEFT JOIN indirect_resellers r ON r.id = l.reseller_id \
         WHERE l.code = ?1",
    )?
    .query_row(params![code], |r| {
        Ok(Invitation {
            partner_id: r.get(0)?,
            partner_name: r.get(1)?,
            reseller_id: r.get(2)?,
            reseller_name: r.get(3)?,
        })
    })
    .optional()?
    .ok_or(StoreError::NotFound)
}

pub(super) fn accept(
    tx: &Transaction<'_>,
    code: &str,
    acceptance: &Acceptance,
) -> StoreResult<(AcceptOutcome, Customer)> {
    let invitation = invitation(tx, code)?;
    // The audit log names the customer's own contact as the one who acted.
    let actor = Principal {
        partner_id: invitation.partner_id.clone(),
        partner_name: invitation.partner_name.clone(),
        cloud: String::new(),
        agent_id: String::new(),
        agent_name: format!("{} (customer, via invitation)", acceptance.email),
        role: Role::HelpdeskAgent,
    };
    let known: Option<String> = tx
        .prepare_cached("SELECT id FROM customers WHERE partner_id = ?1 AND domain_key = ?2")?
        .query_row(
            params![invitation.partner_id, search_key(&acceptance.domain)],
            |r| r.get(0),
        )
        .optional()?;
    let Some(id) = known else {
        let billing = BillingProfile {
            email: acceptance.email.clone(),
            culture: "en-US".into(),
            language: "en".into(),
            company_name: acceptance.company_name.clone(),
            default_address: Address::default(),
            ..BillingProfile::default()
        };
        let customer = customers::insert(
            tx,
            &invitation.partner_id,
            NewRow {
                id: uuid::Uuid::new_v4().to_string(),
                tenant_id: uuid::Uuid::new_v4().to_string(),
                domain: &acceptance.domain,
                billing: &billing,
                relationship: Relationship::Reseller,
                allow_delegated_access: true,
                associated_partner_id: invitation.reseller_id.as_deref(),
            },
        )?;
        record_event(
            tx,
            &invitation.partner_id,
            EventKind::CustomerCreated,
            &customer.id,
        )?;
        record_audit(tx, &actor, &customer, "AcceptInvitation", "new customer")?;
        return Ok((AcceptOutcome::Created, customer));
    };
    let before = customers::get(tx, &invitation.partner_id, &id)?.value;
    if before.relationship_to_partner == Relationship::Reseller && before.allow_delegated_access {
        return Ok((AcceptOutcome::Unchanged, before));
    }
    customers::bump_version(tx, &invitation.partner_id, &id, None)?;
    tx.prepare_cached(
        "UPDATE customers SET relationship = 'reseller', allow_delegated_access = 1, \
         associated_partner_id = coalesce(associated_partner_id, ?3) \
         WHERE partner_id = ?1 AND id = ?2",
    )?
    .execute(params![invitation.partner_id, id, invitation.reseller_id])?;
    let after = customers::get(tx, &invitation.partner_id, &id)?.value;
    record_event(tx, &invitation.partner_id, EventKind::CustomerUpdated, &id)?;
    record_audit(
        tx,
        &actor,
        &after,
        "AcceptInvitation",
        "relationship and admin permissions restored",
    )?;
    Ok((AcceptOutcome::Restored, after))
}
