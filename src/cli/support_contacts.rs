//! `cspdash support-contacts list|set`: the partner's agents a customer's support requests go
//! to. An agent is named by its id, its email or its name (as `agents list` shows them).

use clap::Subcommand;

use super::context::Ctx;
use super::error::CliError;
use super::lookup;
use super::output::{Column, col};
use crate::api::{Agent, SupportContact};

#[derive(Debug, Clone, Subcommand)]
pub enum SupportContactsVerb {
    /// The customer's support contacts: agent id, name, email.
    List {
        /// The customer's id or domain.
        customer: String,
    },
    /// Replaces the support contacts with these agents.
    ///
    /// At most 10, in the order given. Prints the contacts as they are afterwards.
    Set {
        /// The customer's id or domain.
        customer: String,
        /// The agents, each by id, email or name.
        #[arg(value_name = "AGENT", required_unless_present = "none")]
        agents: Vec<String>,
        /// Leave the customer with no support contacts.
        #[arg(long, conflicts_with = "agents")]
        none: bool,
        /// Change them only if they still have this ETag; by default the one they have when
        /// read just before the change. A stale one exits with 5.
        #[arg(long, value_name = "ETAG")]
        if_match: Option<String>,
    },
}

const CONTACTS: &[Column<SupportContact>] = &[
    col("agentId", |c| c.agent_id.clone()),
    col("name", |c| c.name.clone().unwrap_or_default()),
    col("email", |c| c.email.clone().unwrap_or_default()),
];

pub async fn run(verb: &SupportContactsVerb, ctx: &mut Ctx) -> Result<(), CliError> {
    match verb {
        SupportContactsVerb::List { customer } => {
            let id = lookup::customer_id(&ctx.client, customer).await?;
            let contacts = ctx.client.support_contacts(&id).await?;
            ctx.out.all(CONTACTS, &contacts.value.items)
        }
        SupportContactsVerb::Set {
            customer,
            agents,
            none: _,
            if_match,
        } => {
            let id = lookup::customer_id(&ctx.client, customer).await?;
            let known = ctx.client.agents().await?;
            let mut ids: Vec<String> = Vec::new();
            for arg in agents {
                let agent = agent_id(&known, arg)?;
                // Named twice (by name and by email, say): one contact.
                if !ids.iter().any(|seen| seen == agent) {
                    ids.push(agent.to_string());
                }
            }
            let etag = match if_match {
                Some(tag) => tag.clone(),
                None => ctx.client.support_contacts(&id).await?.etag,
            };
            let set = ctx.client.set_support_contacts(&id, &ids, &etag).await?;
            ctx.out.all(CONTACTS, &set.value.items)
        }
    }
}

/// The id of the agent `arg` names: its id, its email (any case), or its name (any case; a
/// name two agents share must be given as id or email).
pub fn agent_id<'a>(agents: &'a [Agent], arg: &str) -> Result<&'a str, CliError> {
    let arg = arg.trim();
    if let Some(agent) = agents
        .iter()
        .find(|a| a.id == arg)
        .or_else(|| agents.iter().find(|a| a.email.eq_ignore_ascii_case(arg)))
    {
        return Ok(&agent.id);
    }
    let named: Vec<&Agent> = agents
        .iter()
        .filter(|a| a.name.trim().eq_ignore_ascii_case(arg))
        .collect();
    match named.as_slice() {
        [agent] => Ok(&agent.id),
        [] => Err(CliError::NotFound(format!(
            "no agent has the id, email or name {arg:?} (see agents list)"
        ))),
        _ => Err(CliError::Usage(format!(
            "{} agents are named {arg:?}: name the one you mean by id or email",
            named.len()
        ))),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::api::Role;

    fn agent(id: &str, name: &str, email: &str) -> Agent {
        Agent {
            id: id.into(),
            name: name.into(),
            email: email.into(),
            role: Role::AdminAgent,
        }
    }

    #[test]
    fn an_agent_is_found_by_id_email_or_a_name_only_one_has() {
        let agents = [
            agent("a1", "Lee Gu", "lee@contoso.example"),
            agent("a2", "Sam Lee", "sam@contoso.example"),
            agent("a3", "Sam Lee", "sam.lee@contoso.example"),
        ];
        assert_eq!(agent_id(&agents, "a2").unwrap(), "a2");
        assert_eq!(agent_id(&agents, "LEE@contoso.example").unwrap(), "a1");
        assert_eq!(agent_id(&agents, " lee gu ").unwrap(), "a1");
        // Two agents share the name: the user must say which.
        assert_eq!(agent_id(&agents, "Sam Lee").unwrap_err().exit().code(), 2);
        assert_eq!(agent_id(&agents, "Lee").unwrap_err().exit().code(), 3);
    }
}
