//! The client behind a trusted reverse proxy: `X-Forwarded-For` is believed only when the peer
//! is a configured proxy, and then read from the right, past every trusted hop, so a client
//! cannot name itself someone else by sending the header itself.
use std::net::IpAddr;

/// A configured proxy: an address or a CIDR network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Network {
    address: IpAddr,
    prefix: u8,
}

impl Network {
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let address: IpAddr = address
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("trusted proxy `{text}` is not an address or CIDR"))?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        let prefix =
            match prefix {
                Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(|| {
                    anyhow::anyhow!("trusted proxy `{text}`: prefix is not 0..{max}")
                })?,
                None => max,
            };
        Ok(Self { address, prefix })
    }

    #[must_use]
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 @ IpAddr::V4(_) => v4,
        };
        match (self.address, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// The client a request comes from: the peer, or, when the peer is a trusted proxy, the
/// rightmost `X-Forwarded-For` address that is not a trusted proxy itself.
#[must_use]
pub fn client(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[Network]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let Some(header) = forwarded_for else {
        return peer;
    };
    let mut client = peer;
    for hop in header.rsplit(',') {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !is_trusted(ip) {
                    break;
                }
            }
            // a hop that is no address: nothing left of it can be believed
            Err(_) => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy_and_read_from_the_right() {
        let trusted = [
            Network::parse("10.0.0.0/8").expect("cidr"),
            Network::parse("::1").expect("ip"),
        ];
        // a client sending the header itself is not believed
        assert_eq!(
            client(ip("203.0.113.9"), Some("1.2.3.4"), &trusted),
            ip("203.0.113.9")
        );
        // through the proxy: the address the proxy appended, not what the client claimed
        assert_eq!(
            client(ip("10.0.0.2"), Some("1.2.3.4, 203.0.113.9"), &trusted),
            ip("203.0.113.9")
        );
        // two trusted hops
        assert_eq!(
            client(ip("10.0.0.2"), Some("198.51.100.7, 10.0.0.5"), &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(
            client(ip("::ffff:10.0.0.2"), Some("198.51.100.7"), &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(client(ip("10.0.0.2"), None, &trusted), ip("10.0.0.2"));
        assert_eq!(
            client(ip("10.0.0.2"), Some("junk, 198.51.100.7"), &trusted),
            ip("198.51.100.7")
        );
        assert!(Network::parse("10.0.0.0/33").is_err() && Network::parse("proxy").is_err());
    }
}
