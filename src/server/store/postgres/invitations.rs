//! Invitation links: issuing (general, reseller-bound, customer-bound), expiry, rotation, and
//! resolving a code. Accepting is in [`accept`]. The rules (lifetime, when a new code is made,
//! code length, link states) are the SQLite store's (`sqlite::invitations`).

mod accept;

pub(super) use accept::accept;

use deadpool_postgres::Transaction;

use super::now;
use super::resources::{execute, record_partner_change, row};
use crate::server::signing;
use crate::server::store::sqlite::{
    CODE_BYTES, LINK_LIFETIME_DAYS, MIN_DAYS_LEFT, ROTATED, days_from_now, link_state,
    rotated_words,
};
use crate::server::store::{BoundCustomer, Invitation, Principal, StoreError, StoreResult};

pub(super) async fn invite_code(
    tx: &Transaction<'_>,
    partner_id: &str,
    reseller_id: Option<&str>,
    customer_id: Option<&str>,
) -> StoreResult<String> {
    let reseller_id = reseller_id.unwrap_or("");
    let customer_id = customer_id.unwrap_or("");
    if !reseller_id.is_empty() {
        let known = row(
            tx,
            "SELECT 1 FROM indirect_resellers WHERE partner_id = $1 AND id = $2",
            &[&partner_id, &reseller_id],
        )
        .await?;
        if known.is_none() {
            return Err(crate::server::store::new_customer::unknown_reseller(
                "indirectResellerId",
                reseller_id,
            ));
        }
    }
    if !customer_id.is_empty() {
        // Another partner's customer is indistinguishable from none.
        let known = row(
            tx,
            "SELECT 1 FROM customers WHERE partner_id = $1 AND id = $2",
            &[&partner_id, &customer_id],
        )
        .await?;
        if known.is_none() {
            return Err(StoreError::NotFound);
        }
    }
    let current = row(
        tx,
        "SELECT code FROM invitations WHERE partner_id = $1 AND customer_id = $2 \
         AND reseller_id = $3 AND retired = '' AND expires_at > $4 \
         ORDER BY expires_at DESC LIMIT 1",
        &[
            &partner_id,
            &customer_id,
            &reseller_id,
            &days_from_now(MIN_DAYS_LEFT),
        ],
    )
    .await?;
    match current {
        Some(found) => Ok(found.get(0)),
        None => insert(tx, partner_id, reseller_id, customer_id).await,
    }
}

async fn insert(
    tx: &Transaction<'_>,
    partner_id: &str,
    reseller_id: &str,
    customer_id: &str,
) -> StoreResult<String> {
    // Unguessable, and any edit makes it unknown.
    let code = signing::random_text(CODE_BYTES)?;
    execute(
        tx,
        "INSERT INTO invitations (code, partner_id, reseller_id, customer_id, created_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &code,
            &partner_id,
            &reseller_id,
            &customer_id,
            &now(),
            &days_from_now(LINK_LIFETIME_DAYS),
        ],
    )
    .await?;
    Ok(code)
}

pub(super) async fn rotate(tx: &Transaction<'_>, actor: &Principal) -> StoreResult<String> {
    let retired = execute(
        tx,
        "UPDATE invitations SET retired = 'rotated', retired_at = $2 \
         WHERE partner_id = $1 AND customer_id = '' AND retired = ''",
        &[&actor.partner_id, &now()],
    )
    .await?;
    let code = insert(tx, &actor.partner_id, "", "").await?;
    // Not about one customer: the audit row names none.
    record_partner_change(
        tx,
        actor,
        "rotateInvitationLink",
        "invitationLink",
        &rotated_words(retired as usize),
        ROTATED,
    )
    .await?;
    Ok(code)
}

const INVITATION: &str = "SELECT p.id, p.name, nullif(l.reseller_id, ''), r.name, \
    nullif(l.customer_id, ''), c.company_name, c.domain, l.expires_at, l.retired \
    FROM invitations l \
    JOIN partners p ON p.id = l.partner_id \
    LEFT JOIN indirect_resellers r ON r.id = l.reseller_id \
    LEFT JOIN customers c ON c.id = l.customer_id AND c.partner_id = l.partner_id \
    WHERE l.code = $1";

pub(super) async fn invitation(tx: &Transaction<'_>, code: &str) -> StoreResult<Invitation> {
    let Some(r) = row(tx, INVITATION, &[&code]).await? else {
        return Err(StoreError::NotFound);
    };
    let customer_id: Option<String> = r.get(4);
    let company: Option<String> = r.get(5);
    let domain: Option<String> = r.get(6);
    let expires_at: &str = r.get(7);
    let retired: &str = r.get(8);
    // A customer-bound link whose customer is gone must not turn into a general one.
    if customer_id.is_some() && company.is_none() {
        return Err(StoreError::NotFound);
    }
    Ok(Invitation {
        partner_id: r.get(0),
        partner_name: r.get(1),
        reseller_id: r.get(2),
        reseller_name: r.get(3),
        customer: match (customer_id, company, domain) {
            (Some(id), Some(company_name), Some(domain)) => Some(BoundCustomer {
                id,
                company_name,
                domain,
            }),
            _ => None,
        },
        state: link_state(retired, expires_at),
    })
}
