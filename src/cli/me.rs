//! `cspdash me` (who the token belongs to, what its role may do) and `cspdash agents list`.

use clap::Subcommand;

use super::context::Ctx;
use super::error::CliError;
use super::output::{Column, col};
use crate::api::{Agent, Me};

#[derive(Debug, Clone, Subcommand)]
pub enum MeVerb {
    /// Who the token belongs to: partner, agent, role and what it may do (the default).
    Show,
}

#[derive(Debug, Clone, Subcommand)]
pub enum AgentsVerb {
    /// The partner's agents: name, email, role (support contacts are chosen from them).
    List,
}

const ME: &[Column<Me>] = &[
    col("partnerName", |m| m.partner_name.clone()),
    col("partnerId", |m| m.partner_id.clone()),
    col("cloud", |m| m.cloud.clone()),
    col("agent", |m| m.agent.clone()),
    col("agentId", |m| m.agent_id.clone()),
    col("role", |m| m.role.as_str().to_string()),
    col("can", |m| m.can.join(",")),
];

const AGENTS: &[Column<Agent>] = &[
    col("id", |a| a.id.clone()),
    col("name", |a| a.name.clone()),
    col("email", |a| a.email.clone()),
    col("role", |a| a.role.as_str().to_string()),
];

pub async fn me(_verb: Option<&MeVerb>, ctx: &mut Ctx) -> Result<(), CliError> {
    let me = ctx.client.me().await?;
    ctx.out.item(ME, &me)
}

pub async fn agents(verb: &AgentsVerb, ctx: &mut Ctx) -> Result<(), CliError> {
    match verb {
        AgentsVerb::List => {
            let agents = ctx.client.agents().await?;
            ctx.out.all(AGENTS, &agents)
        }
    }
}
