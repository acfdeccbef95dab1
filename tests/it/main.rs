//! The one integration-test binary: modules share a build and helpers.

mod client_errors;
mod client_events;
mod client_paging;
mod fake_backend;
