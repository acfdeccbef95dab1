//! The command line (DESIGN.md §2, a contract): one clap tree for the dashboard (no subcommand),
//! the backend (`serve`, `token`), and the scripting commands `cspdash NOUN VERB`, one module per
//! noun, each a thin layer over [`crate::client`].

pub mod admin_relationships;
pub mod audit;
mod backend;
pub mod context;
pub mod customers;
pub mod error;
pub mod generate;
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

/// Where each shell loads completions from (README says the same).
const COMPLETIONS_HELP: &str = "\
Install:
  bash        cspdash completions bash > ~/.local/share/bash-completion/completions/cspdash
              (or source <(cspdash completions bash) in ~/.bashrc)
  zsh         cspdash completions zsh > ~/.zfunc/_cspdash
              (with fpath+=(~/.zfunc); autoload -Uz compinit; compinit in ~/.zshrc)
  fish        cspdash completions fish > ~/.config/fish/completions/cspdash.fish
  powershell  cspdash completions powershell | Out-String | Invoke-Expression
              (in $PROFILE)
  elvish      cspdash completions elvish > ~/.config/elvish/lib/cspdash.elv
              (with use cspdash in rc.elv)";

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
    /// Print a shell's completion script for cspdash.
    #[command(after_help = COMPLETIONS_HELP)]
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff); with --dir, write one page a command into DIR.
    Man {
        /// Write cspdash.1, cspdash-customers-list.1, ... into this directory (made if missing)
        /// and print their paths.
        #[arg(long, value_name = "DIR")]
        dir: Option<std::path::PathBuf>,
    },
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
