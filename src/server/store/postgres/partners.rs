//! Partners, their agents and indirect resellers; tokens made for them; signing keys.

use deadpool_postgres::Transaction;

use super::resources::{execute, row, rows};
use super::{now, tokens};
use crate::api::{Agent, PartnerRelationship, Role};
use crate::server::store::sqlite::{agent_email_slug, token_columns};
use crate::server::store::{Principal, StoreError, StoreResult, TokenExpiry};

/// A role as stored; one this cspdash does not know means a newer one wrote the row.
pub(super) fn parse_role(text: &str) -> StoreResult<Role> {
    Role::parse(text).ok_or_else(|| StoreError::Schema(format!("unknown role {text}")))
}

#[allow(
    dead_code,
    reason = "demo seeding (h/pgusers) and tests insert partners"
)]
pub(super) async fn insert_partner(
    tx: &Transaction<'_>,
    id: &str,
    name: &str,
    cloud: &str,
) -> StoreResult<()> {
    execute(
        tx,
        "INSERT INTO partners (id, name, cloud, created_at) VALUES ($1, $2, $3, $4)",
        &[&id, &name, &cloud, &now()],
    )
    .await?;
    Ok(())
}

pub(super) async fn insert_agent(
    tx: &Transaction<'_>,
    partner_id: &str,
    agent: &Agent,
) -> StoreResult<()> {
    execute(
        tx,
        "INSERT INTO agents (id, partner_id, name, email, role) VALUES ($1, $2, $3, $4, $5)",
        &[
            &agent.id,
            &partner_id,
            &agent.name,
            &agent.email,
            &agent.role.as_str(),
        ],
    )
    .await?;
    Ok(())
}

/// Finds the partner by id or (case-insensitive, ASCII as on SQLite) name; None picks the first
/// partner created.
async fn find_partner(tx: &Transaction<'_>, partner: Option<&str>) -> StoreResult<String> {
    let found = match partner {
        Some(wanted) => {
            row(
                tx,
                "SELECT id FROM partners WHERE id = $1 OR lower(name) = lower($1) \
                 ORDER BY seq LIMIT 1",
                &[&wanted],
            )
            .await?
        }
        None => {
            row(
                tx,
                "SELECT id FROM partners ORDER BY created_at, seq LIMIT 1",
                &[],
            )
            .await?
        }
    };
    found.map(|r| r.get(0)).ok_or_else(|| match partner {
        Some(wanted) => StoreError::Invalid {
            field: "partner".into(),
            message: format!("no partner named {wanted:?} in this database"),
        },
        None => StoreError::Invalid {
            field: "partner".into(),
            message:
                "this database has no partners yet: start `cspdash serve --demo N` on it first"
                    .into(),
        },
    })
}

/// The agent named `agent_name` (else the partner's first with `role`, made when there is none)
/// gets a token stored under `hash`.
pub(super) async fn create_token(
    tx: &Transaction<'_>,
    hash: &str,
    partner: Option<&str>,
    role: Role,
    agent_name: Option<&str>,
    expiry: TokenExpiry,
) -> StoreResult<Principal> {
    let partner_id = find_partner(tx, partner).await?;
    let existing = match agent_name {
        Some(name) => {
            row(
                tx,
                "SELECT id, role FROM agents WHERE partner_id = $1 AND name = $2",
                &[&partner_id, &name],
            )
            .await?
        }
        None => {
            row(
                tx,
                "SELECT id, role FROM agents WHERE partner_id = $1 AND role = $2 \
                 ORDER BY seq LIMIT 1",
                &[&partner_id, &role.as_str()],
            )
            .await?
        }
    };
    let existing: Option<(String, String)> = existing.map(|r| (r.get(0), r.get(1)));
    let agent_id = match existing {
        Some((id, existing_role)) if existing_role == role.as_str() => id,
        Some((_, existing_role)) => {
            return Err(StoreError::Conflict(format!(
                "agent {:?} already exists with role {existing_role}",
                agent_name.unwrap_or_default()
            )));
        }
        None => {
            let name = agent_name.map_or_else(|| role.title().to_string(), str::to_string);
            let agent = Agent {
                id: uuid::Uuid::new_v4().to_string(),
                email: format!("{}@partner.invalid", agent_email_slug(&name)),
                name,
                role,
            };
            insert_agent(tx, &partner_id, &agent).await?;
            agent.id
        }
    };
    let clock = tokens::now_secs();
    let (expires_at, idle_secs) = token_columns(expiry, clock);
    execute(
        tx,
        "INSERT INTO tokens (hash, agent_id, created_at, expires_at, idle_secs) \
         VALUES ($1, $2, $3, $4, $5)",
        &[&hash, &agent_id, &now(), &expires_at, &idle_secs],
    )
    .await?;
    tokens::lookup(tx, hash, clock)
        .await?
        .map(|(principal, _)| principal)
        .ok_or(StoreError::NotFound)
}

pub(super) async fn agents(tx: &Transaction<'_>, partner_id: &str) -> StoreResult<Vec<Agent>> {
    rows(
        tx,
        "SELECT id, name, email, role FROM agents WHERE partner_id = $1 ORDER BY name, id",
        &[&partner_id],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(Agent {
            id: r.get(0),
            name: r.get(1),
            email: r.get(2),
            role: parse_role(r.get(3))?,
        })
    })
    .collect()
}

pub(super) async fn indirect_resellers(
    tx: &Transaction<'_>,
    partner_id: &str,
) -> StoreResult<Vec<PartnerRelationship>> {
    Ok(rows(
        tx,
        "SELECT id, name, location, state FROM indirect_resellers WHERE partner_id = $1 \
         ORDER BY name, id",
        &[&partner_id],
    )
    .await?
    .iter()
    .map(|r| PartnerRelationship {
        id: r.get(0),
        name: r.get(1),
        relationship_type: "IsIndirectCloudSolutionProviderOf".into(),
        location: r.get(2),
        state: r.get(3),
    })
    .collect())
}

pub(super) async fn is_empty(tx: &Transaction<'_>) -> StoreResult<bool> {
    let any = row(tx, "SELECT 1 FROM partners LIMIT 1", &[]).await?;
    Ok(any.is_none())
}

/// The signing key called `name`, made on first use. Every replica reads the same key, so each
/// accepts what another signed; the write lock makes the first use make exactly one.
pub(super) async fn secret(tx: &Transaction<'_>, name: &str) -> StoreResult<Vec<u8>> {
    let existing = row(
        tx,
        "SELECT value FROM server_secrets WHERE name = $1",
        &[&name],
    )
    .await?;
    if let Some(found) = existing {
        return Ok(found.get(0));
    }
    let value = crate::server::signing::random_key()?;
    execute(
        tx,
        "INSERT INTO server_secrets (name, value) VALUES ($1, $2)",
        &[&name, &value],
    )
    .await?;
    Ok(value)
}
