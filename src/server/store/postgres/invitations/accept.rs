//! Accepting an invitation, as on SQLite (`sqlite::invitations::accept`): the general link creates
//! new customers only, and a domain the partner already has changes nothing; a customer-bound
//! link restores exactly its customer, whatever the form says, and is spent.

use deadpool_postgres::Transaction;

use super::super::customers::{self, NewRow};
use super::super::now;
use super::super::resources::{execute, record_audit, record_change, record_event, row};
use super::invitation;
use crate::api::{EventKind, Relationship};
use crate::server::store::sqlite::{
    ALREADY_RESTORED, KNOWN_DOMAIN, customer_as_agent, new_customer_words, relationship_change,
    search_key,
};
use crate::server::store::{
    AcceptOutcome, Acceptance, BoundCustomer, IfMatch, Invitation, LinkState, Principal,
    StoreResult,
};

pub(in crate::server::store::postgres) async fn accept(
    tx: &Transaction<'_>,
    code: &str,
    acceptance: &Acceptance,
) -> StoreResult<AcceptOutcome> {
    // Read again under the write lock: a rotation or another acceptance may have won.
    let invitation = invitation(tx, code).await?;
    if invitation.state != LinkState::Open {
        return Ok(AcceptOutcome::Closed(invitation.state));
    }
    match &invitation.customer {
        None => general(tx, &invitation, acceptance).await,
        Some(bound) => {
            let actor = customer_as_agent(&invitation, &bound.id, &bound.company_name, acceptance);
            restore(tx, &invitation, &actor, bound, code).await
        }
    }
}

/// The general link: a new customer, or (for a domain the partner already has) nothing but an
/// audit record, so the partner can send that customer a link of its own.
async fn general(
    tx: &Transaction<'_>,
    invitation: &Invitation,
    acceptance: &Acceptance,
) -> StoreResult<AcceptOutcome> {
    let partner_id = &invitation.partner_id;
    // Only this partner's customers count: a tenant may have several resellers, and looking
    // further would tell a link holder who is another partner's customer.
    let known = row(
        tx,
        "SELECT id FROM customers WHERE partner_id = $1 AND domain_key = $2",
        &[partner_id, &search_key(&acceptance.domain)],
    )
    .await?;
    if let Some(known) = known {
        let id: &str = known.get(0);
        let customer = customers::get(tx, partner_id, id).await?.value;
        // Whoever holds the general link typed this domain: not known to be the customer.
        let actor = customer_as_agent(invitation, "", &acceptance.company_name, acceptance);
        record_audit(
            tx,
            &actor,
            &customer,
            "invitationForExistingCustomer",
            KNOWN_DOMAIN,
        )
        .await?;
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
    )
    .await?;
    record_event(tx, partner_id, EventKind::CustomerCreated, &customer.id).await?;
    record_change(
        tx,
        &actor,
        &customer,
        "acceptInvitation",
        "customer",
        "",
        &new_customer_words(&customer),
    )
    .await?;
    Ok(AcceptOutcome::Created)
}

/// A customer-bound link: the relationship and admin permissions of that customer, nothing else.
async fn restore(
    tx: &Transaction<'_>,
    invitation: &Invitation,
    actor: &Principal,
    bound: &BoundCustomer,
    code: &str,
) -> StoreResult<AcceptOutcome> {
    let partner_id = &invitation.partner_id;
    execute(
        tx,
        "UPDATE invitations SET retired = 'used', retired_at = $2 WHERE code = $1",
        &[&code, &now()],
    )
    .await?;
    let before = customers::get(tx, partner_id, &bound.id).await?.value;
    if before.relationship_to_partner == Relationship::Reseller && before.allow_delegated_access {
        record_audit(tx, actor, &before, "acceptInvitation", ALREADY_RESTORED).await?;
        return Ok(AcceptOutcome::Unchanged);
    }
    customers::bump_version(tx, partner_id, &bound.id, &IfMatch::Any).await?;
    execute(
        tx,
        "UPDATE customers SET relationship = 'reseller', allow_delegated_access = TRUE, \
         associated_partner_id = coalesce(associated_partner_id, $3) \
         WHERE partner_id = $1 AND id = $2",
        &[partner_id, &bound.id, &invitation.reseller_id],
    )
    .await?;
    let after = customers::get(tx, partner_id, &bound.id).await?.value;
    record_event(tx, partner_id, EventKind::CustomerUpdated, &bound.id).await?;
    let (was, now) = relationship_change(&before, &after);
    record_change(
        tx,
        actor,
        &after,
        "acceptInvitation",
        "customer",
        &was,
        &now,
    )
    .await?;
    Ok(AcceptOutcome::Restored)
}
