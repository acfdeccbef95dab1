//! `cspdash audit [list]`: not written yet (a placeholder).

use clap::{Args, Subcommand};

use super::context::Ctx;
use super::error::CliError;
use super::script::ScriptOptions;

#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub options: ScriptOptions,
    #[command(subcommand)]
    pub verb: Option<AuditVerb>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum AuditVerb {
    /// Not written yet.
    List,
}

pub async fn run(_args: &AuditArgs, _ctx: &mut Ctx) -> Result<(), CliError> {
    Err(CliError::Failed("not written yet".into()))
}
