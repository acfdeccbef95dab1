//! The one integration-test binary: modules share a build and helpers.

mod e2e_pty;
mod perf_pty;
mod pty;
mod served;
