//! Accepting an invitation. The general link creates new customers only; a domain that is already
//! the partner's customer changes nothing (so a leaked general link cannot hand the partner admin
//! permissions over an existing customer). A customer-bound link restores exactly its customer,
//! whatever the form says, and is spent.

use rusqlite::{OptionalExtension, Transaction, params};

use super::super::audit::{new_customer_words, relationship_change};
use super::super::customers::{self, NewRow, search_key};
use super::super::now;
use super::super::resources::{record_audit, record_change, record_event};
use super::invitation;
use crate::api::{EventKind, Relationship, Role};
use crate::server::store::{
    AcceptOutcome, Acceptance, BoundCustomer, IfMatch, Invitation, LinkState, Principal,
    StoreResult,
};

pub(in crate::server::store::sqlite) fn accept(
    tx: &Transaction<'_>,
    code: &str,
    acceptance: &Acceptance,
) -> StoreResult<AcceptOutcome> {
    // Read again inside the write transaction: a rotation or another acceptance may have won.
    let invitation = invitation(tx, code)?;
    if invitation.state != LinkState::Open {
        return Ok(AcceptOutcome::Closed(invitation.state));
    }
    match &invitation.customer {
        None => general(tx, &invitation, acceptance),
        Some(bound) => {
            let actor = customer_as_agent(&invitation, &bound.id, &bound.company_name, acceptance);
            restore(tx, &invitation, &actor, bound, code)
        }
    }
}

/// The audit details when the general link is accepted with a domain the partner already has.
pub(crate) const KNOWN_DOMAIN: &str = "the general invitation link was accepted with this \
    customer's domain; nothing changed (a link issued for this customer restores it)";
/// The audit details when a customer-bound link finds nothing to restore.
pub(crate) const ALREADY_RESTORED: &str = "the link issued for this customer was accepted; \
    relationship and admin permissions were already in place";

/// The audit log names the customer as the one who acted (agent id: the customer's id, when the
/// acceptance is known to be that customer's), with the contact who typed the form.
pub(crate) fn customer_as_agent(
    invitation: &Invitation,
    customer_id: &str,
    company_name: &str,
    acceptance: &Acceptance,
) -> Principal {
    Principal {
        partner_id: invitation.partner_id.clone(),
        partner_name: invitation.partner_name.clone(),
        cloud: String::new(),
        agent_id: customer_id.to_string(),
        agent_name: format!(
            "{company_name} (customer, {} via invitation)",
            acceptance.email
        ),
        role: Role::HelpdeskAgent,
    }
}

/// The general link: a new customer, or (for a domain the partner already has) nothing but an
/// audit record, so the partner can send that customer a link of its own.
fn general(
    tx: &Transaction<'_>,
    invitation: &Invitation,
    acceptance: &Acceptance,
) -> StoreResult<AcceptOutcome> {
    let partner_id = &invitation.partner_id;
    // Only this partner's customers count: a tenant may have several resellers, and looking
    // further would tell a link holder who is another partner's customer.
    let known: Option<String> = tx
        .prepare_cached("SELECT id FROM customers WHERE partner_id = ?1 AND domain_key = ?2")?
        .query_row(params![partner_id, search_key(&acceptance.domain)], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(id) = known {
        let customer = customers::get(tx, partner_id, &id)?.value;
        // Whoever holds the general link typed this domain: not known to be the customer.
        let actor = customer_as_agent(invitation, "", &acceptance.company_name, acceptance);
        record_audit(
            tx,
            &actor,
            &customer,
            "invitationForExistingCustomer",
            KNOWN_DOMAIN,
        )?;
        return Ok(AcceptOutcome::KnownDomain);
    }
    let billing = crate::server::store::new_customer::accepted_billing(acceptance);
    let id = uuid::Uuid::new_v4().to_string();
    let actor = customer_as_agent(invitation, &id, &acceptance.company_name, acceptance);
    let customer = customers::insert(
        tx,
        partner_id,
        NewRow::reseller(
            id,
            &acceptance.domain,
            &billing,
            invitation.reseller_id.as_deref(),
        ),
    )?;
    record_event(tx, partner_id, EventKind::CustomerCreated, &customer.id)?;
    record_change(
        tx,
        &actor,
        &customer,
        "acceptInvitation",
        "customer",
        "",
        &new_customer_words(&customer),
    )?;
    Ok(AcceptOutcome::Created)
}

/// A customer-bound link: the relationship and admin permissions of that customer, nothing else.
fn restore(
    tx: &Transaction<'_>,
    invitation: &Invitation,
    actor: &Principal,
    bound: &BoundCustomer,
    code: &str,
) -> StoreResult<AcceptOutcome> {
    let partner_id = &invitation.partner_id;
    tx.prepare_cached("UPDATE invitations SET retired = 'used', retired_at = ?2 WHERE code = ?1")?
        .execute(params![code, now()])?;
    let before = customers::get(tx, partner_id, &bound.id)?.value;
    if before.relationship_to_partner == Relationship::Reseller && before.allow_delegated_access {
        record_audit(tx, actor, &before, "acceptInvitation", ALREADY_RESTORED)?;
        return Ok(AcceptOutcome::Unchanged);
    }
    customers::bump_version(tx, partner_id, &bound.id, &IfMatch::Any)?;
    tx.prepare_cached(
        "UPDATE customers SET relationship = 'reseller', allow_delegated_access = 1, \
         associated_partner_id = coalesce(associated_partner_id, ?3) \
         WHERE partner_id = ?1 AND id = ?2",
    )?
    .execute(params![partner_id, bound.id, invitation.reseller_id])?;
    let after = customers::get(tx, partner_id, &bound.id)?.value;
    record_event(tx, partner_id, EventKind::CustomerUpdated, &bound.id)?;
    let (was, now) = relationship_change(&before, &after);
    record_change(
        tx,
        actor,
        &after,
        "acceptInvitation",
        "customer",
        &was,
        &now,
    )?;
    Ok(AcceptOutcome::Restored)
}
