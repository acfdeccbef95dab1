//! A customer's users: list by state, add (idempotent), remove (restorable for 30 days, licenses
//! freed), restore, and the licenses each holds.

mod licenses;
mod lifecycle;
mod store;

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::customers;
use super::idempotency;
use super::now;
use super::resources::{ensure_customer, record_change, record_event};
use crate::api::users::{
    ACTIVE, AssignedLicense, INACTIVE, NewUser, RESTORE_DAYS, User, UserAttributes,
};
use crate::api::{Customer, EventKind, Relationship};
use crate::server::store::users::{Respond, UserState};
use crate::server::store::{
    Created, IfMatch, Principal, RequestKey, StoreError, StoreResult, StoredResponse, Versioned,
};

pub(super) use licenses::{update_licenses, user_licenses};
pub(super) use lifecycle::{remove, restore};

/// A customer with more users than this is refused new ones: nothing a client sends grows the
/// database without bound (the largest demo customer has 8).
const MAX_USERS_PER_CUSTOMER: i64 = 10_000;

const LIST: &str = "SELECT id, user_principal_name, first_name, last_name, display_name, \
    usage_location, state, removed_at, version FROM customer_users \
    WHERE customer_id = ?1 AND state = ?2 ORDER BY display_name, id";
const GET_ONE: &str = "SELECT id, user_principal_name, first_name, last_name, display_name, \
    usage_location, state, removed_at, version FROM customer_users \
    WHERE customer_id = ?1 AND id = ?2";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Versioned<User>> {
    let version: i64 = r.get(8)?;
    Ok(Versioned {
        value: User {
            id: r.get(0)?,
            user_principal_name: r.get(1)?,
            first_name: r.get(2)?,
            last_name: r.get(3)?,
            display_name: r.get(4)?,
            usage_location: r.get(5)?,
            state: r.get(6)?,
            soft_deletion_time: r.get(7)?,
            assigned_licenses: Vec::new(),
            attributes: UserAttributes {
                etag: Some(format!("\"{version}\"")),
                ..UserAttributes::default()
            },
        },
        version,
    })
}

/// The SKU ids each of a customer's users holds, in SKU-id order.
fn assignments(
    conn: &Connection,
    customer_id: &str,
) -> StoreResult<HashMap<String, Vec<AssignedLicense>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT user_id, sku_id FROM user_licenses WHERE customer_id = ?1 ORDER BY user_id, sku_id",
    )?;
    let mut held: HashMap<String, Vec<AssignedLicense>> = HashMap::new();
    for row in stmt.query_map(params![customer_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get(1)?))
    })? {
        let (user, sku_id) = row?;
        held.entry(user)
            .or_default()
            .push(AssignedLicense { sku_id });
    }
    Ok(held)
}

pub(super) fn list(
    conn: &Connection,
    partner_id: &str,
    customer_id: &str,
    state: UserState,
) -> StoreResult<Vec<Versioned<User>>> {
    ensure_customer(conn, partner_id, customer_id)?;
    let state = match state {
        UserState::Active => ACTIVE,
        UserState::Removed => INACTIVE,
    };
    let mut stmt = conn.prepare_cached(LIST)?;
    let mut users = stmt
        .query_map(params![customer_id, state], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut held = assignments(conn, customer_id)?;
    for user in &mut users {
        user.value.assigned_licenses = held.remove(&user.value.id).unwrap_or_default();
    }
    Ok(users)
}

pub(super) fn get(
    conn: &Connection,
    partner_id: &str,
    customer_id: &str,
    user_id: &str,
) -> StoreResult<Versioned<User>> {
    ensure_customer(conn, partner_id, customer_id)?;
    let mut user = conn
        .prepare_cached(GET_ONE)?
        .query_row(params![customer_id, user_id], from_row)
        .optional()?
        .ok_or(StoreError::NotFound)?;
    let mut stmt = conn.prepare_cached(
        "SELECT sku_id FROM user_licenses WHERE customer_id = ?1 AND user_id = ?2 ORDER BY sku_id",
    )?;
    user.value.assigned_licenses = stmt
        .query_map(params![customer_id, user_id], |r| {
            Ok(AssignedLicense { sku_id: r.get(0)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(user)
}

/// The customer, if the partner may manage its users now: not after the relationship ended or
/// the customer removed the partner's admin permissions (the portal refuses then too).
fn manageable(tx: &Transaction<'_>, partner_id: &str, customer_id: &str) -> StoreResult<Customer> {
    let customer = customers::get(tx, partner_id, customer_id)?.value;
    let name = &customer.company_profile.company_name;
    if customer.relationship_to_partner == Relationship::None {
        return Err(StoreError::Conflict(format!(
            "the relationship with {name} has ended: reinstate it before managing its users"
        )));
    }
    if !customer.allow_delegated_access {
        return Err(StoreError::Conflict(format!(
            "{name} removed your admin permissions: send it a relationship request bound to it \
             to get them back before managing its users"
        )));
    }
    Ok(customer)
}

pub(super) fn create(
    tx: &Transaction<'_>,
    actor: &Principal,
    customer_id: &str,
    new: &NewUser,
    key: Option<&RequestKey>,
    respond: Respond<'_>,
) -> StoreResult<Created<Versioned<User>>> {
    if let Some(first) = idempotency::replayed(tx, &actor.partner_id, key)? {
        return Ok(Created::Replayed(first));
    }
    let customer = manageable(tx, &actor.partner_id, customer_id)?;
    let count: i64 = tx
        .prepare_cached("SELECT count(*) FROM customer_users WHERE customer_id = ?1")?
        .query_row(params![customer_id], |r| r.get(0))?;
    if count >= MAX_USERS_PER_CUSTOMER {
        return Err(StoreError::Conflict(format!(
            "{} already has {count} users, the most cspdash keeps for one customer",
            customer.company_profile.company_name
        )));
    }
    free_expired_name(tx, customer_id, &new.user_principal_name)?;
    let id = uuid::Uuid::new_v4().to_string();
    let inserted = tx
        .prepare_cached(
            "INSERT INTO customer_users (id, customer_id, user_principal_name, first_name, last_name, \
             display_name, usage_location, state, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'active', ?8)",
        )?
        .execute(params![
            id,
            customer_id,
            new.user_principal_name,
            new.first_name,
            new.last_name,
            new.display_name,
            new.usage_location,
            now()
        ]);
    match inserted {
        Ok(_) => {}
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            return Err(StoreError::Taken {
                field: crate::api::users::validate::UPN,
                message: format!(
                    "{} is already a user of {} (a removed user keeps its name until it can no longer be restored)",
                    new.user_principal_name, customer.company_profile.company_name
                ),
            });
        }
        Err(e) => return Err(e.into()),
    }
    let user = get(tx, &actor.partner_id, customer_id, &id)?;
    record_event(tx, &actor.partner_id, EventKind::UserCreated, customer_id)?;
    let after = format!(
        "userPrincipalName {}, displayName {}, usageLocation {}, state active, \
         forceChangePassword {}",
        new.user_principal_name,
        new.display_name,
        new.usage_location,
        new.password_profile.force_change_password
    );
    record_change(tx, actor, &customer, "addUser", "user", "", &after)?;
    idempotency::remember(tx, &actor.partner_id, key, &respond(&user))?;
    Ok(Created::New(user))
}

/// A removed user past its restore window is gone for good: its name may be used again.
fn free_expired_name(tx: &Transaction<'_>, customer_id: &str, upn: &str) -> StoreResult<()> {
    let expired: Option<String> = tx
        .prepare_cached(
            "SELECT id FROM customer_users WHERE customer_id = ?1 \
             AND lower(user_principal_name) = lower(?2) AND state = 'inactive' AND removed_at < ?3",
        )?
        .query_row(params![customer_id, upn, restore_cutoff()], |r| r.get(0))
        .optional()?;
    if let Some(id) = expired {
        tx.prepare_cached("DELETE FROM user_licenses WHERE customer_id = ?1 AND user_id = ?2")?
            .execute(params![customer_id, id])?;
        tx.prepare_cached("DELETE FROM customer_users WHERE id = ?1")?
            .execute(params![id])?;
    }
    Ok(())
}

/// Users removed before this time can no longer be restored.
fn restore_cutoff() -> String {
    (chrono::Utc::now() - chrono::Duration::days(RESTORE_DAYS))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The user as it is, after checking `If-Match` (None = `*`); its version is bumped.
fn bump(
    tx: &Transaction<'_>,
    partner_id: &str,
    customer_id: &str,
    user_id: &str,
    if_match: &IfMatch,
) -> StoreResult<Versioned<User>> {
    let current = get(tx, partner_id, customer_id, user_id)?;
    if !if_match.admits(current.version) {
        return Err(StoreError::Stale {
            current: current.version,
        });
    }
    tx.prepare_cached("UPDATE customer_users SET version = version + 1 WHERE id = ?1")?
        .execute(params![user_id])?;
    Ok(current)
}

/// "Microsoft 365 E3, Exchange Online (Plan 1)", or "none".
fn license_names(
    tx: &Transaction<'_>,
    customer_id: &str,
    held: &[AssignedLicense],
) -> StoreResult<String> {
    let mut names = Vec::with_capacity(held.len());
    for license in held {
        let name: Option<String> = tx
            .prepare_cached(
                "SELECT name FROM subscribed_skus WHERE customer_id = ?1 AND sku_id = ?2",
            )?
            .query_row(params![customer_id, license.sku_id], |r| r.get(0))
            .optional()?;
        names.push(name.unwrap_or_else(|| license.sku_id.clone()));
    }
    Ok(match names.is_empty() {
        true => "none".to_string(),
        false => names.join(", "),
    })
}

/// For the licenses module: the shared steps of a change.
pub(super) struct Change<'a> {
    pub tx: &'a Transaction<'a>,
    pub actor: &'a Principal,
    pub customer_id: &'a str,
}

impl Change<'_> {
    fn manageable(&self) -> StoreResult<Customer> {
        manageable(self.tx, &self.actor.partner_id, self.customer_id)
    }
    fn replayed(&self, key: Option<&RequestKey>) -> StoreResult<Option<StoredResponse>> {
        idempotency::replayed(self.tx, &self.actor.partner_id, key)
    }
    fn remember(&self, key: Option<&RequestKey>, answer: &StoredResponse) -> StoreResult<()> {
        idempotency::remember(self.tx, &self.actor.partner_id, key, answer)
    }
    fn bump(&self, user_id: &str) -> StoreResult<Versioned<User>> {
        bump(
            self.tx,
            &self.actor.partner_id,
            self.customer_id,
            user_id,
            &IfMatch::Any,
        )
    }
    fn get(&self, user_id: &str) -> StoreResult<Versioned<User>> {
        get(self.tx, &self.actor.partner_id, self.customer_id, user_id)
    }
    fn names(&self, held: &[AssignedLicense]) -> StoreResult<String> {
        license_names(self.tx, self.customer_id, held)
    }
    fn updated(&self) -> StoreResult<()> {
        record_event(
            self.tx,
            &self.actor.partner_id,
            EventKind::UserUpdated,
            self.customer_id,
        )
    }
}
