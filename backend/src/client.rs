//! Who a request comes from: the peer's address, and the network that counts as one client
//! for the limits that count clients (residents' look-ups, failed logins).
use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;

/// The client a request comes from, as `http::request_context` found it: behind a trusted
/// proxy the address it forwarded for, else the peer (None when the router is called directly,
/// as the tests do).
#[must_use]
pub fn peer(extensions: &axum::http::Extensions) -> Option<IpAddr> {
    extensions
        .get::<ClientAddr>()
        .map(|c| c.0)
        .or_else(|| connected_peer(extensions))
}

/// The address of the connection itself.
#[must_use]
pub fn connected_peer(extensions: &axum::http::Extensions) -> Option<IpAddr> {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

/// The client's address, believed from `X-Forwarded-For` only when the peer is a trusted proxy.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddr(pub IpAddr);

/// One IPv6 subscriber holds a whole /64: count it as one client; an IPv4 address mapped
/// into IPv6 is that IPv4 address.
#[must_use]
pub fn network(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return IpAddr::V4(v4);
            }
            let s = v6.segments();
            IpAddr::from([s[0], s[1], s[2], s[3], 0, 0, 0, 0])
        }
        v4 @ IpAddr::V4(_) => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_subscriber_is_one_client() {
        let a = IpAddr::from([0x2408, 0x8000, 1, 2, 0, 0, 0, 7]);
        let b = IpAddr::from([0x2408, 0x8000, 1, 2, 0xffff, 1, 2, 3]);
        assert_eq!(network(a), network(b));
        assert_ne!(
            network(a),
            network(IpAddr::from([0x2408, 0x8000, 1, 3, 0, 0, 0, 7]))
        );
        let v4: IpAddr = "10.0.0.1".parse().expect("an address");
        assert_eq!(network(v4), v4);
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().expect("an address");
        assert_eq!(network(mapped), v4);
    }
}
