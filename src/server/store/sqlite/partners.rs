//! Partners, their agents, tokens and indirect resellers.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{now, tokens};
use crate::api::{Agent, PartnerRelationship, Role};
use crate::server::store::{Principal, StoreError, StoreResult, TokenExpiry};

pub(super) fn parse_role(text: &str) -> rusqlite::Result<Role> {
    Role::parse(text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown role {text}").into(),
        )
    })
}

pub(super) fn insert_partner(
    tx: &Transaction<'_>,
    id: &str,
    name: &str,
    cloud: &str,
) -> StoreResult<()> {
    tx.prepare_cached(
        "INSERT INTO partners (id, name, cloud, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![id, name, cloud, now()])?;
    Ok(())
}

pub(super) fn insert_agent(
    tx: &Transaction<'_>,
    partner_id: &str,
    agent: &Agent,
) -> StoreResult<()> {
    tx.prepare_cached(
        "INSERT INTO agents (id, partner_id, name, email, role) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        agent.id,
        partner_id,
        agent.name,
        agent.email,
        agent.role.as_str()
    ])?;
    Ok(())
}

/// Finds the partner by id or (case-insensitive) name; None picks the first partner created.
fn find_partner(tx: &Transaction<'_>, partner: Option<&str>) -> StoreResult<(String, String)> {
    let found = match partner {
        Some(wanted) => tx
            .prepare_cached(
                "SELECT id, name FROM partners WHERE id = ?1 OR lower(name) = lower(?1) LIMIT 1",
            )?
            .query_row(params![wanted], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?,
        None => tx
            .prepare_cached("SELECT id, name FROM partners ORDER BY created_at, rowid LIMIT 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?,
    };
    found.ok_or_else(|| match partner {
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

pub(super) fn create_token(
    tx: &Transaction<'_>,
    hash: &str,
    partner: Option<&str>,
    role: Role,
    agent_name: Option<&str>,
    expiry: TokenExpiry,
) -> StoreResult<Principal> {
    let (partner_id, _) = find_partner(tx, partner)?;
    let existing: Option<(String, String)> = match agent_name {
        Some(name) => tx
            .prepare_cached("SELECT id, role FROM agents WHERE partner_id = ?1 AND name = ?2")?
            .query_row(params![partner_id, name], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?,
        None => tx
            .prepare_cached(
                "SELECT id, role FROM agents WHERE partner_id = ?1 AND role = ?2 ORDER BY rowid LIMIT 1",
            )?
            .query_row(params![partner_id, role.as_str()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?,
    };
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
                email: format!("{}@partner.invalid", slug(&name)),
                name,
                role,
            };
            insert_agent(tx, &partner_id, &agent)?;
            agent.id
        }
    };
    let clock = tokens::now_secs();
    let (expires_at, idle_secs) = tokens::columns(expiry, clock);
    tx.prepare_cached(
        "INSERT INTO tokens (hash, agent_id, created_at, expires_at, idle_secs) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![hash, agent_id, now(), expires_at, idle_secs])?;
    let found = tokens::lookup(tx, hash, clock)?;
    found
        .map(|(principal, _)| principal)
        .ok_or(StoreError::NotFound)
}

pub(crate) fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' => Some(c),
            'A'..='Z' => Some(c.to_ascii_lowercase()),
            ' ' | '-' | '.' => Some('.'),
            _ => None,
        })
        .collect();
    if s.is_empty() { "agent".into() } else { s }
}

pub(super) fn agents(conn: &Connection, partner_id: &str) -> StoreResult<Vec<Agent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, email, role FROM agents WHERE partner_id = ?1 ORDER BY name, id",
    )?;
    let rows = stmt.query_map(params![partner_id], |r| {
        Ok(Agent {
            id: r.get(0)?,
            name: r.get(1)?,
            email: r.get(2)?,
            role: parse_role(&r.get::<_, String>(3)?)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn indirect_resellers(
    conn: &Connection,
    partner_id: &str,
) -> StoreResult<Vec<PartnerRelationship>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, location, state FROM indirect_resellers WHERE partner_id = ?1 ORDER BY name, id",
    )?;
    let rows = stmt.query_map(params![partner_id], |r| {
        Ok(PartnerRelationship {
            id: r.get(0)?,
            name: r.get(1)?,
            relationship_type: "IsIndirectCloudSolutionProviderOf".into(),
            location: r.get(2)?,
            state: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn is_empty(conn: &Connection) -> StoreResult<bool> {
    let partners: i64 = conn.query_row("SELECT count(*) FROM partners", [], |r| r.get(0))?;
    Ok(partners == 0)
}
