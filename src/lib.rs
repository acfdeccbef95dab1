//! cspdash: a keyboard-driven terminal dashboard for a CSP partner's customers, and its backend.
//!
//! Crate map:
//! - [`api`]: wire types shared by client and server (Partner-Center-shaped JSON).
//! - [`server`]: the backend (`cspdash serve`): axum routes → handlers → `Store` (SQLite).
//! - [`client`]: the typed HTTP client the dashboard uses (timeouts, retries, paging, events).
//! - [`tui`]: the dashboard: one event loop, `Action`s, `update`, `view`.
//! - [`config`]: the config file and its profiles; [`logging`]: tracing to a file.
//! - [`cli`]: the command line (DESIGN.md §2).

pub mod api;
pub mod cli;
pub mod client;
pub mod config;
pub mod logging;
pub mod server;
pub mod tui;
