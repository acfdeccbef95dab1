//! `cspdash`: the dashboard (no subcommand), the backend (`serve`), tokens (`token create`).

use clap::Parser;

use cspdash::cli::Cli;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let _ = cli;
    std::process::ExitCode::SUCCESS
}
