//! The one integration-test binary: the real server on 127.0.0.1:0 with a temporary SQLite file,
//! spoken to over real HTTP; and the real binary where the command line is what is tested.
//! The `client_*` modules check the typed client, against misbehaving fakes and the real server;
//! the `clipboard_*` modules copy for real, under Xvfb and inside tmux, in child processes;
//! `e2e_pty` and `e2e_invite_pty` drive the dashboard binary in a pseudo-terminal against
//! `cspdash serve`.

mod admin_screen;
mod api_auth;
mod api_customers;
mod api_errors;
mod api_interop;
mod api_stored_text;
mod audit;
mod audit_reading;
mod browser;
mod bulk_read;
mod child_test;
mod cli;
mod client_bulk;
mod client_errors;
mod client_events;
mod client_paging;
mod client_real_backend;
mod client_silent_drop;
mod clipboard_tmux;
mod clipboard_x11;
mod connections;
mod e2e_audit_pty;
mod e2e_bulk_pty;
mod e2e_embedded_pty;
mod e2e_invite_pty;
mod e2e_new_customer_pty;
mod e2e_pty;
mod e2e_reconnect_pty;
mod e2e_relationship_pty;
mod e2e_restore_pty;
mod e2e_service_request_pty;
mod e2e_users_pty;
mod embedded_public_url;
mod fake_backend;
mod helpers;
mod if_match;
mod invite;
mod invite_closed;
mod invite_links;
mod invite_logs;
mod limits;
mod perf_pty;
mod private_files;
mod pty;
mod relationship;
mod role_matrix;
mod served;
mod support;
mod token_expiry;
mod tools;
mod users;
