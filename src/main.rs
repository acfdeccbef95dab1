//! `cspdash`: the dashboard (no subcommand), the backend (`serve`), tokens (`token
//! create|list|revoke`), and the scripting commands (`cspdash NOUN VERB`); these last two report
//! their own errors and exit codes.
//! The one place errors are reported to the user.

use std::process::ExitCode;

use clap::Parser;

use cspdash::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(Command::Script(noun)) => return ExitCode::from(cspdash::run::script(&cli, noun)),
        None => cspdash::run::dashboard(&cli),
        Some(Command::Serve(args)) => {
            let level = args.log_level.as_deref().or(cli.log_level.as_deref());
            cspdash::logging::init_stderr(level).and_then(|_guard| cspdash::server::serve(args))
        }
        Some(Command::Token { command }) => {
            return ExitCode::from(cspdash::cli::token_admin(command));
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
