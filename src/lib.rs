//! cspdash: a keyboard-driven terminal dashboard for a CSP partner's customers, and its backend.
//!
//! Crate map:
//! - [`api`]: wire types shared by client and server (Partner-Center-shaped JSON).
//! - [`server`]: the backend (`cspdash serve`): axum routes → handlers → `Store` (SQLite).
//! - [`client`]: the typed HTTP client the dashboard uses (timeouts, retries, paging, events).
//! - [`tui`]: the dashboard: one event loop, `Action`s, `update`, `view`.
//! - [`config`]: the config file and its profiles; [`logging`]: tracing to a file;
//!   [`private_files`]: files with customer data, private to their user (0700/0600).
//! - [`cli`]: the command line (DESIGN.md §2).
//! - [`clipboard`]: copying to the user's clipboard (arboard locally, OSC 52 over SSH);
//!   [`invitation`]: the invitation email draft, its link guard, `mailto:` and `.eml`;
//!   [`session`]: what kind of session we run in (SSH, display, tmux), for both.
//! - [`sanitize`]: makes backend strings harmless on a terminal (the dashboard and the CLI).

pub mod api;
pub mod cli;
pub mod client;
pub mod clipboard;
pub mod config;
pub mod invitation;
pub mod logging;
pub mod private_files;
pub mod run;
pub mod sanitize;
pub mod server;
pub mod session;
pub mod tui;
