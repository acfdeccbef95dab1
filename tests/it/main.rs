//! The one integration-test binary: the real server on 127.0.0.1:0 with a temporary SQLite file,
//! spoken to over real HTTP; and the real binary where the command line is what is tested.

mod api_auth;
mod api_customers;
mod api_errors;
mod browser;
mod cli;
mod helpers;
mod invite;
