//! Who the client is behind a reverse proxy (`serve --trusted-proxy ADDR`, DESIGN.md §3): when
//! the TCP peer is a trusted proxy, the client is the right-most `X-Forwarded-For` address that
//! is not itself a trusted proxy. Anyone else's `X-Forwarded-For` is ignored, or a client could
//! pick a fresh address for every guess and escape the per-address limits.
//!
//! Right-most, not left-most: each proxy appends the address it received the request from, so
//! only the entries our own proxies added can be believed; what is left of them the client wrote.

use std::net::IpAddr;
use std::str::FromStr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// `X-Forwarded-For` entries read at most: a longer chain is not one our proxies made.
const MAX_HOPS: usize = 16;

/// The proxies whose `X-Forwarded-For` is believed: addresses or CIDR ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

/// One `--trusted-proxy` value: `127.0.0.1`, `::1`, `10.0.0.0/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProxyRange(IpNet);

impl FromStr for ProxyRange {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Ok(net) = text.parse::<IpNet>() {
            return Ok(Self(net.trunc()));
        }
        text.parse::<IpAddr>()
            .map(|ip| Self(IpNet::from(ip.to_canonical())))
            .map_err(|_| {
                format!("{text:?} is not an IP address or range (e.g. 127.0.0.1 or 10.0.0.0/8)")
            })
    }
}

impl TrustedProxies {
    pub fn new(ranges: &[ProxyRange]) -> Self {
        Self(ranges.iter().map(|r| r.0).collect())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address for a request from `peer` with `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.trusts(client) {
            return client;
        }
        // Several headers count as one list, in order (RFC 9110 §5.3).
        let entries: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        for entry in entries.iter().rev().take(MAX_HOPS) {
            // An entry that is not an address ends the walk: what lies left of it is unknown, so
            // the nearest hop known is the answer.
            let Some(ip) = parse_entry(entry) else { break };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        client
    }
}

/// An `X-Forwarded-For` entry: an address, possibly `[v6]` or with a port (some proxies add one).
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    if let Ok(ip) = entry.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    if let Ok(socket) = entry.parse::<std::net::SocketAddr>() {
        return Some(socket.ip().to_canonical());
    }
    entry
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|v6| v6.parse::<IpAddr>().ok())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn proxies(list: &[&str]) -> TrustedProxies {
        let ranges: Vec<ProxyRange> = list.iter().map(|t| t.parse().unwrap()).collect();
        TrustedProxies::new(&ranges)
    }

    fn xff(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append("x-forwarded-for", v.parse().unwrap());
        }
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(ip("127.0.0.1"), &xff(&["203.0.113.9"])),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn a_trusted_peer_makes_the_forwarded_address_the_client() {
        let trusted = proxies(&["127.0.0.1"]);
        assert_eq!(
            trusted.client(ip("127.0.0.1"), &xff(&["203.0.113.9"])),
            ip("203.0.113.9")
        );
        // No header: the proxy itself is all that is known.
        assert_eq!(
            trusted.client(ip("127.0.0.1"), &HeaderMap::new()),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn an_untrusted_peer_cannot_choose_its_address() {
        let trusted = proxies(&["127.0.0.1"]);
        assert_eq!(
            trusted.client(ip("198.51.100.7"), &xff(&["203.0.113.9"])),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn the_right_most_untrusted_entry_wins_so_a_client_written_prefix_is_ignored() {
        let trusted = proxies(&["127.0.0.1", "10.0.0.0/8"]);
        // The client wrote "1.2.3.4"; our edge proxy (10.1.2.3) appended the real address.
        let headers = xff(&["1.2.3.4, 203.0.113.9, 10.1.2.3"]);
        assert_eq!(trusted.client(ip("127.0.0.1"), &headers), ip("203.0.113.9"));
        // The same chain split over two headers.
        let split = xff(&["1.2.3.4, 203.0.113.9", "10.1.2.3"]);
        assert_eq!(trusted.client(ip("127.0.0.1"), &split), ip("203.0.113.9"));
    }

    #[test]
    fn junk_in_the_chain_stops_at_the_nearest_known_hop() {
        let trusted = proxies(&["127.0.0.1", "10.0.0.0/8"]);
        let headers = xff(&["203.0.113.9, not-an-ip, 10.1.2.3"]);
        assert_eq!(trusted.client(ip("127.0.0.1"), &headers), ip("10.1.2.3"));
        assert_eq!(
            trusted.client(ip("127.0.0.1"), &xff(&["unknown"])),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn entries_with_ports_brackets_and_mapped_addresses_are_read() {
        let trusted = proxies(&["::1"]);
        assert_eq!(
            trusted.client(ip("::1"), &xff(&["203.0.113.9:4711"])),
            ip("203.0.113.9")
        );
        assert_eq!(
            trusted.client(ip("::1"), &xff(&["[2001:db8::1]"])),
            ip("2001:db8::1")
        );
        assert_eq!(
            trusted.client(ip("::1"), &xff(&["[2001:db8::1]:80"])),
            ip("2001:db8::1")
        );
        // A dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d.
        let v4 = proxies(&["127.0.0.1"]);
        assert_eq!(
            v4.client(ip("::ffff:127.0.0.1"), &xff(&["203.0.113.9"])),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn serve_takes_the_flag_repeated_and_as_a_comma_list() {
        use clap::Parser;
        let parse = |args: &[&str]| {
            let argv = ["cspdash", "serve", "--db", "x.db"].iter().chain(args);
            match crate::cli::Cli::try_parse_from(argv).map(|cli| cli.command) {
                Ok(Some(crate::cli::Command::Serve(serve))) => Ok(serve.trusted_proxy),
                Ok(other) => panic!("not serve: {other:?}"),
                Err(err) => Err(err.to_string()),
            }
        };
        let ranges = parse(&[
            "--trusted-proxy",
            "127.0.0.1,10.0.0.0/8",
            "--trusted-proxy",
            "::1",
        ]);
        let trusted = TrustedProxies::new(&ranges.unwrap());
        for peer in ["127.0.0.1", "10.9.8.7", "::1"] {
            assert_eq!(
                trusted.client(ip(peer), &xff(&["203.0.113.9"])),
                ip("203.0.113.9")
            );
        }
        assert_eq!(parse(&[]).unwrap(), vec![]);
        let err = parse(&["--trusted-proxy", "nginx"]).unwrap_err();
        assert!(err.contains("not an IP address or range"), "{err}");
    }

    #[test]
    fn ranges_parse_and_junk_is_refused_with_an_example() {
        assert!("10.0.0.0/8".parse::<ProxyRange>().is_ok());
        assert!("fd00::/8".parse::<ProxyRange>().is_ok());
        let err = "proxy.example".parse::<ProxyRange>().unwrap_err();
        assert!(err.contains("10.0.0.0/8"), "{err}");
    }
}
