//! The one integration-test binary: modules share a build and helpers.

mod client_errors;
mod client_events;
mod client_paging;
mod client_real_backend;
mod fake_backend;
mod real_backend;
