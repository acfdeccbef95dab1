//! The dashboard. STUB: to be written (issue 4).

use crate::cli::Cli;

/// Runs the dashboard until the user quits: resolves config, starts the embedded backend if needed,
/// sets up the terminal and restores it on every exit path.
pub fn main(cli: &Cli) -> anyhow::Result<()> {
    let _ = cli;
    anyhow::bail!("dashboard not written yet")
}
