//! A customer's users on PostgreSQL: list by state, add (idempotent), remove (restorable for 30
//! days, licenses freed), restore, and the licenses each holds. The SQLite store's rules, ported;
//! writes run under the store's write lock, so the check-then-write steps hold across replicas.

mod licenses;
mod lifecycle;
mod store;

use std::collections::HashMap;

use deadpool_postgres::Transaction;

use super::resources::{ensure_customer, execute, record_change, record_event, row, rows};
use super::{customers, idempotency, now};
use crate::api::users::{
    ACTIVE, AssignedLicense, INACTIVE, NewUser, RESTORE_DAYS, User, UserAttributes,
};
use crate::api::{Customer, EventKind, Relationship};
use crate::server::store::users::{Respond, UserState};
use crate::server::store::{
    Created, IfMatch, Principal, RequestKey, StoreError, StoreResult, StoredResponse, Versioned,
};

use licenses::{update_licenses, user_licenses};
use lifecycle::{remove, restore};

/// A customer with more users than this is refused new ones: nothing a client sends grows the
/// database without bound (the largest demo customer has 8).
const MAX_USERS_PER_CUSTOMER: i64 = 10_000;

const LIST: &str = "SELECT id, user_principal_name, first_name, last_name, display_name, \
    usage_location, state, removed_at, version FROM customer_users \
    WHERE customer_id = $1 AND state = $2 ORDER BY display_name, id";
const GET_ONE: &str = "SELECT id, user_principal_name, first_name, last_name, display_name, \
    usage_location, state, removed_at, version FROM customer_users \
    WHERE customer_id = $1 AND id = $2";

fn from_row(r: &tokio_postgres::Row) -> Versioned<User> {
    let version: i64 = r.get(8);
    Versioned {
        value: User {
            id: r.get(0),
            user_principal_name: r.get(1),
            first_name: r.get(2),
            last_name: r.get(3),
            display_name: r.get(4),
            usage_location: r.get(5),
            state: r.get(6),
            soft_deletion_time: r.get(7),
            assigned_licenses: Vec::new(),
            attributes: UserAttributes {
                etag: Some(format!("\"{version}\"")),
                ..UserAttributes::default()
            },
        },
        version,
    }
}

/// The SKU ids each of a customer's users holds, in SKU-id order.
async fn assignments(
    tx: &Transaction<'_>,
    customer_id: &str,
) -> StoreResult<HashMap<String, Vec<AssignedLicense>>> {
    let found = rows(
        tx,
        "SELECT user_id, sku_id FROM user_licenses WHERE customer_id = $1 ORDER BY user_id, sku_id",
        &[&customer_id],
    )
    .await?;
    let mut held: HashMap<String, Vec<AssignedLicense>> = HashMap::new();
    for r in &found {
        held.entry(r.get(0))
            .or_default()
            .push(AssignedLicense { sku_id: r.get(1) });
    }
    Ok(held)
}

async fn list(
    tx: &Transaction<'_>,
    partner_id: &str,
    customer_id: &str,
    state: UserState,
) -> StoreResult<Vec<Versioned<User>>> {
    ensure_customer(tx, partner_id, customer_id).await?;
    let state = match state {
        UserState::Active => ACTIVE,
        UserState::Removed => INACTIVE,
    };
    let mut users: Vec<_> = rows(tx, LIST, &[&customer_id, &state])
        .await?
        .iter()
        .map(from_row)
        .collect();
    let mut held = assignments(tx, customer_id).await?;
    for user in &mut users {
        user.value.assigned_licenses = held.remove(&user.value.id).unwrap_or_default();
    }
    Ok(users)
}

async fn get(
    tx: &Transaction<'_>,
    partner_id: &str,
    customer_id: &str,
    user_id: &str,
) -> StoreResult<Versioned<User>> {
    ensure_customer(tx, partner_id, customer_id).await?;
    let mut user = row(tx, GET_ONE, &[&customer_id, &user_id])
        .await?
        .map(|r| from_row(&r))
        .ok_or(StoreError::NotFound)?;
    user.value.assigned_licenses = rows(
        tx,
        "SELECT sku_id FROM user_licenses WHERE customer_id = $1 AND user_id = $2 ORDER BY sku_id",
        &[&customer_id, &user_id],
    )
    .await?
    .iter()
    .map(|r| AssignedLicense { sku_id: r.get(0) })
    .collect();
    Ok(user)
}

/// The customer, if the partner may manage its users now: not after the relationship ended or
/// the customer removed the partner's admin permissions (the portal refuses then too).
async fn manageable(
    tx: &Transaction<'_>,
    partner_id: &str,
    customer_id: &str,
) -> StoreResult<Customer> {
    let customer = customers::get(tx, partner_id, customer_id).await?.value;
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

async fn create(
    tx: &Transaction<'_>,
    actor: &Principal,
    customer_id: &str,
    new: &NewUser,
    key: Option<&RequestKey>,
    respond: Respond<'_>,
) -> StoreResult<Created<Versioned<User>>> {
    if let Some(first) = idempotency::replayed(tx, &actor.partner_id, key).await? {
        return Ok(Created::Replayed(first));
    }
    let customer = manageable(tx, &actor.partner_id, customer_id).await?;
    let count: i64 = row(
        tx,
        "SELECT count(*) FROM customer_users WHERE customer_id = $1",
        &[&customer_id],
    )
    .await?
    .map_or(0, |r| r.get(0));
    if count >= MAX_USERS_PER_CUSTOMER {
        return Err(StoreError::Conflict(format!(
            "{} already has {count} users, the most cspdash keeps for one customer",
            customer.company_profile.company_name
        )));
    }
    free_expired_name(tx, customer_id, &new.user_principal_name).await?;
    let id = uuid::Uuid::new_v4().to_string();
    // A taken name (customer_users_by_upn, case-insensitive) inserts nothing; a unique violation
    // would abort the whole transaction instead.
    let inserted = execute(
        tx,
        "INSERT INTO customer_users (id, customer_id, user_principal_name, first_name, last_name, \
         display_name, usage_location, state, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8) ON CONFLICT DO NOTHING",
        &[
            &id,
            &customer_id,
            &new.user_principal_name,
            &new.first_name,
            &new.last_name,
            &new.display_name,
            &new.usage_location,
            &now(),
        ],
    )
    .await?;
    if inserted == 0 {
        return Err(StoreError::Taken {
            field: crate::api::users::validate::UPN,
            message: format!(
                "{} is already a user of {} (a removed user keeps its name until it can no longer be restored)",
                new.user_principal_name, customer.company_profile.company_name
            ),
        });
    }
    let user = get(tx, &actor.partner_id, customer_id, &id).await?;
    record_event(tx, &actor.partner_id, EventKind::UserCreated, customer_id).await?;
    let after = format!(
        "userPrincipalName {}, displayName {}, usageLocation {}, state active, \
         forceChangePassword {}",
        new.user_principal_name,
        new.display_name,
        new.usage_location,
        new.password_profile.force_change_password
    );
    record_change(tx, actor, &customer, "addUser", "user", "", &after).await?;
    idempotency::remember(tx, &actor.partner_id, key, &respond(&user)).await?;
    Ok(Created::New(user))
}

/// A removed user past its restore window is gone for good: its name may be used again.
async fn free_expired_name(tx: &Transaction<'_>, customer_id: &str, upn: &str) -> StoreResult<()> {
    let expired = row(
        tx,
        "SELECT id FROM customer_users WHERE customer_id = $1 \
         AND lower(user_principal_name) = lower($2) AND state = 'inactive' AND removed_at < $3",
        &[&customer_id, &upn, &restore_cutoff()],
    )
    .await?;
    if let Some(expired) = expired {
        let id: String = expired.get(0);
        execute(
            tx,
            "DELETE FROM user_licenses WHERE customer_id = $1 AND user_id = $2",
            &[&customer_id, &id],
        )
        .await?;
        execute(tx, "DELETE FROM customer_users WHERE id = $1", &[&id]).await?;
    }
    Ok(())
}

/// Users removed before this time can no longer be restored.
fn restore_cutoff() -> String {
    (chrono::Utc::now() - chrono::Duration::days(RESTORE_DAYS))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The user as it is, after checking `If-Match` (None = `*`); its version is bumped.
async fn bump(
    tx: &Transaction<'_>,
    partner_id: &str,
    customer_id: &str,
    user_id: &str,
    if_match: &IfMatch,
) -> StoreResult<Versioned<User>> {
    let current = get(tx, partner_id, customer_id, user_id).await?;
    if !if_match.admits(current.version) {
        return Err(StoreError::Stale {
            current: current.version,
        });
    }
    execute(
        tx,
        "UPDATE customer_users SET version = version + 1 WHERE id = $1",
        &[&user_id],
    )
    .await?;
    Ok(current)
}

/// "Microsoft 365 E3, Exchange Online (Plan 1)", or "none".
async fn license_names(
    tx: &Transaction<'_>,
    customer_id: &str,
    held: &[AssignedLicense],
) -> StoreResult<String> {
    let mut names = Vec::with_capacity(held.len());
    for license in held {
        let name = row(
            tx,
            "SELECT name FROM subscribed_skus WHERE customer_id = $1 AND sku_id = $2",
            &[&customer_id, &license.sku_id],
        )
        .await?;
        names.push(name.map_or_else(|| license.sku_id.clone(), |r| r.get(0)));
    }
    Ok(match names.is_empty() {
        true => "none".to_string(),
        false => names.join(", "),
    })
}

/// For the licenses module: the shared steps of a change.
struct Change<'a> {
    tx: &'a Transaction<'a>,
    actor: &'a Principal,
    customer_id: &'a str,
}

impl Change<'_> {
    async fn manageable(&self) -> StoreResult<Customer> {
        manageable(self.tx, &self.actor.partner_id, self.customer_id).await
    }
    async fn replayed(&self, key: Option<&RequestKey>) -> StoreResult<Option<StoredResponse>> {
        idempotency::replayed(self.tx, &self.actor.partner_id, key).await
    }
    async fn remember(&self, key: Option<&RequestKey>, answer: &StoredResponse) -> StoreResult<()> {
        idempotency::remember(self.tx, &self.actor.partner_id, key, answer).await
    }
    async fn bump(&self, user_id: &str) -> StoreResult<Versioned<User>> {
        bump(
            self.tx,
            &self.actor.partner_id,
            self.customer_id,
            user_id,
            &IfMatch::Any,
        )
        .await
    }
    async fn get(&self, user_id: &str) -> StoreResult<Versioned<User>> {
        get(self.tx, &self.actor.partner_id, self.customer_id, user_id).await
    }
    async fn names(&self, held: &[AssignedLicense]) -> StoreResult<String> {
        license_names(self.tx, self.customer_id, held).await
    }
    async fn updated(&self) -> StoreResult<()> {
        record_event(
            self.tx,
            &self.actor.partner_id,
            EventKind::UserUpdated,
            self.customer_id,
        )
        .await
    }
}
