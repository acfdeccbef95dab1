//! `cspdash purchase-permission`: not written yet (a placeholder for the noun's verbs).

use clap::Subcommand;

use super::context::Ctx;
use super::error::CliError;

#[derive(Debug, Clone, Subcommand)]
pub enum PurchasePermissionVerb {
    /// Not written yet.
    List,
}

pub async fn run(verb: &PurchasePermissionVerb, _ctx: &mut Ctx) -> Result<(), CliError> {
    match verb {
        PurchasePermissionVerb::List => Err(CliError::Failed("not written yet".into())),
    }
}
