//! Invitation links: issuing (general, reseller-bound, customer-bound), expiry, rotation, and
//! resolving a code. Accepting is in [`accept`].

mod accept;

pub(super) use accept::accept;
pub(crate) use accept::{ALREADY_RESTORED, KNOWN_DOMAIN, customer_as_agent};

use chrono::{Duration, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::now;
use super::resources::record_partner_change;
use crate::server::signing;
use crate::server::store::{
    BoundCustomer, Invitation, LinkState, Principal, StoreError, StoreResult,
};

/// How long a link can be accepted (DESIGN.md §3).
pub(crate) const LINK_LIFETIME_DAYS: i64 = 90;
/// A link with less than this left is not handed out again: a new one is made, so an email sent
/// today never carries a link that dies next week. The older link keeps working until it expires.
pub(crate) const MIN_DAYS_LEFT: i64 = 30;
/// Random bytes in a code: 256 bits, base64url (43 characters).
pub(crate) const CODE_BYTES: usize = 32;

pub(crate) fn days_from_now(days: i64) -> String {
    (Utc::now() + Duration::days(days)).to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(super) fn invite_code(
    tx: &Transaction<'_>,
    partner_id: &str,
    reseller_id: Option<&str>,
    customer_id: Option<&str>,
) -> StoreResult<String> {
    let reseller_id = reseller_id.unwrap_or("");
    let customer_id = customer_id.unwrap_or("");
    if !reseller_id.is_empty() {
        let known: i64 = tx
            .prepare_cached(
                "SELECT count(*) FROM indirect_resellers WHERE partner_id = ?1 AND id = ?2",
            )?
            .query_row(params![partner_id, reseller_id], |r| r.get(0))?;
        if known == 0 {
            return Err(crate::server::store::new_customer::unknown_reseller(
                "indirectResellerId",
                reseller_id,
            ));
        }
    }
    if !customer_id.is_empty() {
        // Another partner's customer is indistinguishable from none.
        let known: i64 = tx
            .prepare_cached("SELECT count(*) FROM customers WHERE partner_id = ?1 AND id = ?2")?
            .query_row(params![partner_id, customer_id], |r| r.get(0))?;
        if known == 0 {
            return Err(StoreError::NotFound);
        }
    }
    let current: Option<String> = tx
        .prepare_cached(
            "SELECT code FROM invitations WHERE partner_id = ?1 AND customer_id = ?2 \
             AND reseller_id = ?3 AND retired = '' AND expires_at > ?4 \
             ORDER BY expires_at DESC LIMIT 1",
        )?
        .query_row(
            params![
                partner_id,
                customer_id,
                reseller_id,
                days_from_now(MIN_DAYS_LEFT)
            ],
            |r| r.get(0),
        )
        .optional()?;
    match current {
        Some(code) => Ok(code),
        None => insert(tx, partner_id, reseller_id, customer_id),
    }
}

fn insert(
    tx: &Transaction<'_>,
    partner_id: &str,
    reseller_id: &str,
    customer_id: &str,
) -> StoreResult<String> {
    // Unguessable, and any edit makes it unknown.
    let code = signing::random_text(CODE_BYTES)?;
    tx.prepare_cached(
        "INSERT INTO invitations (code, partner_id, reseller_id, customer_id, created_at, expires_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        code,
        partner_id,
        reseller_id,
        customer_id,
        now(),
        days_from_now(LINK_LIFETIME_DAYS)
    ])?;
    Ok(code)
}

pub(super) fn rotate(tx: &Transaction<'_>, actor: &Principal) -> StoreResult<String> {
    let retired = tx
        .prepare_cached(
            "UPDATE invitations SET retired = 'rotated', retired_at = ?2 \
             WHERE partner_id = ?1 AND customer_id = '' AND retired = ''",
        )?
        .execute(params![actor.partner_id, now()])?;
    let code = insert(tx, &actor.partner_id, "", "")?;
    // Not about one customer: the audit row names none.
    record_partner_change(
        tx,
        actor,
        "rotateInvitationLink",
        "invitationLink",
        &rotated_words(retired),
        ROTATED,
    )?;
    Ok(code)
}

/// A rotation's audit words: how many general links were open before, and after.
pub(crate) fn rotated_words(retired: usize) -> String {
    match retired {
        1 => "1 general link open".to_string(),
        n => format!("{n} general links open"),
    }
}
pub(crate) const ROTATED: &str = "a new general link; the older ones no longer work";

pub(super) fn invitation(conn: &Connection, code: &str) -> StoreResult<Invitation> {
    let row = conn
        .prepare_cached(
            "SELECT p.id, p.name, nullif(l.reseller_id, ''), r.name, nullif(l.customer_id, ''), \
             c.company_name, c.domain, l.expires_at, l.retired FROM invitations l \
             JOIN partners p ON p.id = l.partner_id \
             LEFT JOIN indirect_resellers r ON r.id = l.reseller_id \
             LEFT JOIN customers c ON c.id = l.customer_id AND c.partner_id = l.partner_id \
             WHERE l.code = ?1",
        )?
        .query_row(params![code], |r| {
            let customer_id: Option<String> = r.get(4)?;
            let company: Option<String> = r.get(5)?;
            let domain: Option<String> = r.get(6)?;
            let expires_at: String = r.get(7)?;
            let retired: String = r.get(8)?;
            // A customer-bound link whose customer is gone must not turn into a general one.
            let missing = customer_id.is_some() && company.is_none();
            let invitation = Invitation {
                partner_id: r.get(0)?,
                partner_name: r.get(1)?,
                reseller_id: r.get(2)?,
                reseller_name: r.get(3)?,
                customer: match (customer_id, company, domain) {
                    (Some(id), Some(company_name), Some(domain)) => Some(BoundCustomer {
                        id,
                        company_name,
                        domain,
                    }),
                    _ => None,
                },
                state: state(&retired, &expires_at),
            };
            Ok((invitation, missing))
        })
        .optional()?;
    match row {
        Some((invitation, false)) => Ok(invitation),
        _ => Err(StoreError::NotFound),
    }
}

/// RFC 3339 UTC strings of one format compare in time order.
pub(crate) fn state(retired: &str, expires_at: &str) -> LinkState {
    match retired {
        "rotated" => LinkState::Rotated,
        "used" => LinkState::Used,
        _ if expires_at <= now().as_str() => LinkState::Expired,
        _ => LinkState::Open,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::server::store::Store;
    use crate::server::store::sqlite::{MIGRATIONS, SqliteStore};

    #[test]
    fn links_from_before_expiry_get_ninety_days_from_when_they_were_made() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v2.db");
        let conn = Connection::open(&path).unwrap();
        for sql in &MIGRATIONS[..2] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute_batch(
            "INSERT INTO partners VALUES ('p', 'Old Partner', 'Partner Center', '2020-01-01T00:00:00Z');",
        )
        .unwrap();
        let recent = (Utc::now() - Duration::days(10)).to_rfc3339_opts(SecondsFormat::Secs, true);
        conn.execute(
            "INSERT INTO invite_links VALUES ('old-code', 'p', '', '2020-01-01T00:00:00Z'), \
             ('recent-code', 'p', 'r', ?1)",
            [&recent],
        )
        .unwrap();
        drop(conn);
        // As a database cspdash made: private to its user, or it is refused.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(
            store.invitation("old-code").unwrap().state,
            LinkState::Expired
        );
        let kept = store.invitation("recent-code").unwrap();
        assert_eq!(kept.state, LinkState::Open);
        assert_eq!(kept.partner_name, "Old Partner");
        assert!(kept.customer.is_none(), "old links were all general");
        // The expired one is never handed out again: a new code is made.
        let code = store.invite_code("p", None, None).unwrap();
        assert_ne!(code, "old-code");
        assert_eq!(code.len(), 43);
    }
}
