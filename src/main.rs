//! `cspdash`: the dashboard (no subcommand), the backend (`serve`), tokens (`token
//! create|list|revoke`), completions and man pages, and the scripting commands (`cspdash NOUN
//! VERB`). The dashboard's and `serve`'s errors are reported here; the others report their own
//! and return their exit codes.

use std::process::ExitCode;

use clap::Parser;

use cspdash::cli::generate::{self, Generate};
use cspdash::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(flag) = misplaced_dashboard_flag(&cli) {
        // `cspdash --backend URL serve` would otherwise run a local backend, ignoring it.
        eprintln!("cspdash: {flag} applies to the dashboard and the NOUN VERB commands, not here");
        return ExitCode::from(2);
    }
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
        Some(Command::Completions { shell }) => {
            return ExitCode::from(generate::run(Generate::Completions(*shell)));
        }
        Some(Command::Man { dir }) => {
            return ExitCode::from(generate::run(Generate::Man(dir.as_deref())));
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

/// A dashboard flag given before a command that does not take it.
fn misplaced_dashboard_flag(cli: &Cli) -> Option<&'static str> {
    let takes_them = matches!(cli.command, None | Some(Command::Script(_)));
    if takes_them {
        return None;
    }
    [
        ("--profile", cli.profile.is_some()),
        ("--backend", cli.backend.is_some()),
        ("--public-url", cli.public_url.is_some()),
    ]
    .into_iter()
    .find_map(|(flag, given)| given.then_some(flag))
}
