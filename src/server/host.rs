//! DNS rebinding: a web page on `attacker.example` whose name is made to resolve to 127.0.0.1
//! reaches a loopback server from the user's own browser, but its requests still carry
//! `Host: attacker.example`. The embedded backend, which serves only this machine, answers only
//! requests addressed to a loopback name; `cspdash serve` is reached under any name (a reverse
//! proxy, a DNS name) and checks nothing here.

use std::net::{Ipv4Addr, Ipv6Addr};

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::ApiError;

/// Which `Host` a server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HostPolicy {
    /// Any: `cspdash serve`.
    #[default]
    Any,
    /// `localhost`, 127.0.0.0/8 or `[::1]`, with or without a port: the embedded default.
    Loopback,
}

/// Whether an authority (`Host` value) names this machine's loopback interface.
pub fn is_loopback_host(authority: &str) -> bool {
    let host = match authority.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((v6, port)) if port.is_empty() || is_port(port) => {
                return v6.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback());
            }
            _ => return false,
        },
        None => match authority.split_once(':') {
            Some((host, port)) if is_port(&format!(":{port}")) => host,
            Some(_) => return false,
            None => authority,
        },
    };
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// `:` and 1 to 5 digits.
fn is_port(text: &str) -> bool {
    text.strip_prefix(':')
        .is_some_and(|d| (1..=5).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Refuses (421) a request whose `Host` (and absolute-form URI authority, if any) is not a
/// loopback name, when the server's policy says so.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if state.host_policy() == HostPolicy::Loopback {
        // HTTP/1.1 names the host in `Host` (an absolute-form target may name one too);
        // HTTP/2 in `:authority`, which arrives as the URI's. Every name given must be loopback,
        // and there must be one.
        let header = request.headers().get(header::HOST).map(|v| v.to_str());
        let authority = request.uri().authority().map(|a| a.as_str());
        let named = header.is_some() || authority.is_some();
        let header_ok = header.is_none_or(|v| v.is_ok_and(is_loopback_host));
        let authority_ok = authority.is_none_or(is_loopback_host);
        if !(named && header_ok && authority_ok) {
            return ApiError::NotLoopbackHost.into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_with_or_without_a_port_are_this_machine() {
        for host in [
            "localhost",
            "LOCALHOST:8080",
            "127.0.0.1",
            "127.0.0.1:41234",
            "127.8.9.10:1",
            "[::1]",
            "[::1]:41234",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn any_other_name_or_a_malformed_one_is_not() {
        for host in [
            "attacker.example",
            "attacker.example:41234",
            "localhost.attacker.example",
            "127.0.0.1.nip.io",
            "128.0.0.1",
            "0.0.0.0",
            "10.0.0.1:80",
            "[::2]:80",
            "[::ffff:8.8.8.8]",
            "::1",
            "[::1]x",
            "localhost:",
            "localhost:80:80",
            "localhost:http",
            "",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }
}
