//! The command line (DESIGN.md §2, a contract): one clap tree for the dashboard (no subcommand),
//! the backend (`serve`, `token`), and the scripting commands `cspdash NOUN VERB`, one module per
//! noun, each a thin layer over [`crate::client`].

pub mod admin_relationships;
pub mod audit;
mod backend;
pub mod context;
pub mod customers;
pub mod error;
pub mod invite;
pub mod licenses;
mod lookup;
pub mod me;
pub mod output;
pub mod purchase_permission;
pub mod report;
pub mod script;
pub mod service_requests;
pub mod subscriptions;
pub mod support_contacts;
pub mod users;

use clap::{Parser, Subcommand};

pub use backend::{ServeArgs, TokenCommand, token_admin};
pub use error::{CliError, EXIT_CODES_HELP, Exit};
pub use script::{Noun, ScriptOptions};

#[derive(Debug, Parser)]
#[command(
    name = "cspdash",
    version,
    about = "Customers dashboard for CSP partners",
    long_about = "Customers dashboard for CSP partners. Without a command it opens the dashboard; \
                  `cspdash NOUN VERB` does the same work from a script.",
    after_help = EXIT_CODES_HELP
)]
pub struct Cli {
    /// Open the dashboard on this profile of the config file.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Open the dashboard on this backend URL (token from CSPDASH_TOKEN).
    #[arg(long, value_name = "URL")]
    pub backend: Option<String>,
    /// Log level for the dashboard's log file: error, warn, info, debug, trace (RUST_LOG
    /// overrides). `serve` and the scripting commands take it after their name too.
    #[arg(long, value_name = "LEVEL")]
    pub log_level: Option<String>,
    /// The base of the embedded backend's invitation links (overrides `public_url` in the
    /// config); without it they are demo links on this machine's loopback address.
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the backend.
    Serve(ServeArgs),
    /// Manage bearer tokens (on the backend's database).
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    #[command(flatten)]
    Script(Noun),
}

impl Cli {
    /// The profile and backend a scripting command connects with: its own options, else those
    /// given before the noun.
    pub fn connection<'a>(
        &'a self,
        options: &'a ScriptOptions,
    ) -> (Option<&'a str>, Option<&'a str>) {
        (
            options.profile.as_deref().or(self.profile.as_deref()),
            options.backend.as_deref().or(self.backend.as_deref()),
        )
    }
}
