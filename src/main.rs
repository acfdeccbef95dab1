//! `cspdash`: the dashboard (no subcommand), the backend (`serve`), tokens (`token create`), and
//! the scripting commands (`cspdash NOUN VERB`, which report their own errors and exit codes).
//! The one place errors are reported to the user.

use std::process::ExitCode;

use clap::Parser;

use cspdash::cli::{Cli, Command, TokenCommand};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(Command::Script(noun)) => return ExitCode::from(cspdash::run::script(&cli, noun)),
        None => cspdash::run::dashboard(&cli),
        Some(Command::Serve(args)) => cspdash::logging::init_stderr(cli.log_level.as_deref())
            .and_then(|_guard| cspdash::server::serve(args)),
        Some(Command::Token {
            command:
                TokenCommand::Create {
                    db,
                    role,
                    partner,
                    name,
                    expires_in_days,
                },
        }) => cspdash::server::create_token_expiring(
            db,
            role,
            partner.as_deref(),
            name.as_deref(),
            *expires_in_days,
        )
        .map(|token| {
            println!("{token}");
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("cspdash: {err:#}");
            ExitCode::FAILURE
        }
    }
}
