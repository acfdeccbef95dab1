//! `cspdash`: the dashboard (no subcommand), the backend (`serve`), tokens (`token create`).
//! The one place errors are reported to the user.

use std::process::ExitCode;

use clap::Parser;

use cspdash::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        None => cspdash::tui::main(&cli),
        Some(Command::Serve(_)) | Some(Command::Token { .. }) => {
            Err(anyhow::anyhow!("not written yet"))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("cspdash: {err:#}");
            ExitCode::FAILURE
        }
    }
}
