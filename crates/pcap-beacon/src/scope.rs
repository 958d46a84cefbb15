//! Which connections are analysed, as RITA's import filter decides (`config/filter.go`,
//! `filtering` in `default_config.hjson`): never a connection to or from the addresses RITA
//! always leaves out (0.0.0.0, loopback, link-local, multicast, limited broadcast, `::`), and by
//! default only connections from an internal address to an external one, internal meaning the
//! RFC 1918 networks and fd00::/8 unless `--internal` says otherwise.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};

/// A network: address bits (IPv4 as mapped IPv6) and prefix length over 128 bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subnet {
    bits: u128,
    prefix: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubnetError(pub String);

impl fmt::Display for SubnetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a network in CIDR notation (ADDRESS/PREFIX): {}", self.0)
    }
}

impl std::error::Error for SubnetError {}

fn bits(a: &IpAddr) -> u128 {
    match a {
        IpAddr::V4(v4) => u128::from(v4.to_ipv6_mapped()),
        IpAddr::V6(v6) => u128::from(*v6),
    }
}

impl Subnet {
    /// `ADDRESS/PREFIX` (a bare address is a single host).
    pub fn parse(s: &str) -> Result<Subnet, SubnetError> {
        let err = || SubnetError(s.to_string());
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>().map_err(|_| err())?)),
            None => (s.trim(), None),
        };
        let ip: IpAddr = addr.parse().map_err(|_| err())?;
        let (max, offset) = if ip.is_ipv4() { (32, 96) } else { (128, 0) };
        let p = prefix.unwrap_or(max);
        if p > max {
            return Err(err());
        }
        Ok(Subnet::new(ip, p + offset))
    }

    fn new(ip: IpAddr, prefix128: u8) -> Subnet {
        let mask = if prefix128 == 0 { 0 } else { u128::MAX << (128 - u32::from(prefix128)) };
        Subnet { bits: bits(&ip) & mask, prefix: prefix128 }
    }

    pub fn contains(&self, a: &IpAddr) -> bool {
        let mask = if self.prefix == 0 { 0 } else { u128::MAX << (128 - u32::from(self.prefix)) };
        bits(a) & mask == self.bits
    }
}

fn v4(a: [u8; 4], p: u8) -> Subnet {
    Subnet::new(IpAddr::from(a), p + 96)
}

fn v6(a: Ipv6Addr, p: u8) -> Subnet {
    Subnet::new(IpAddr::V6(a), p)
}

/// RITA's mandatory never-included networks.
pub fn never_included() -> Vec<Subnet> {
    vec![
        v4([0, 0, 0, 0], 32),
        v4([127, 0, 0, 0], 8),
        v4([169, 254, 0, 0], 16),
        v4([224, 0, 0, 0], 4),
        v4([255, 255, 255, 255], 32),
        v6(Ipv6Addr::LOCALHOST, 128),
        v6(Ipv6Addr::UNSPECIFIED, 128),
        v6(Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0), 10),
        v6(Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0), 8),
    ]
}

/// RITA's default internal networks.
pub fn default_internal() -> Vec<Subnet> {
    vec![v4([10, 0, 0, 0], 8), v4([172, 16, 0, 0], 12), v4([192, 168, 0, 0], 16), v6(Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, 0), 8)]
}

/// The import filter.
#[derive(Clone, Debug)]
pub struct Scope {
    never: Vec<Subnet>,
    /// None: every pair outside the never-included networks (`--all-pairs`).
    internal: Option<Vec<Subnet>>,
}

impl Default for Scope {
    fn default() -> Self {
        Scope { never: never_included(), internal: Some(default_internal()) }
    }
}

impl Scope {
    pub fn new(internal: Option<Vec<Subnet>>) -> Scope {
        Scope { never: never_included(), internal }
    }

    /// Whether a connection from `src` to `dst` is analysed.
    pub fn keeps(&self, src: &IpAddr, dst: &IpAddr) -> bool {
        if self.never.iter().any(|n| n.contains(src) || n.contains(dst)) {
            return false;
        }
        match &self.internal {
            None => true,
            Some(nets) => {
                let inside = |a: &IpAddr| nets.iter().any(|n| n.contains(a));
                inside(src) && !inside(dst)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn internal_to_external_only_by_default() {
        let s = Scope::default();
        assert!(s.keeps(&ip("10.1.2.3"), &ip("198.51.100.7")));
        assert!(!s.keeps(&ip("10.1.2.3"), &ip("192.168.1.1")), "internal to internal");
        assert!(!s.keeps(&ip("198.51.100.7"), &ip("10.1.2.3")), "external to internal");
        assert!(!s.keeps(&ip("198.51.100.7"), &ip("203.0.113.1")), "external to external");
        assert!(!s.keeps(&ip("10.1.2.3"), &ip("224.0.0.252")), "multicast");
        assert!(s.keeps(&ip("fd00::1"), &ip("2001:db8::1")));
        let all = Scope::new(None);
        assert!(all.keeps(&ip("10.1.2.3"), &ip("192.168.1.1")));
        assert!(!all.keeps(&ip("10.1.2.3"), &ip("255.255.255.255")));
    }

    #[test]
    fn cidr_parsing() {
        let n = Subnet::parse("198.51.100.0/24").unwrap();
        assert!(n.contains(&ip("198.51.100.200")) && !n.contains(&ip("198.51.101.1")));
        assert!(Subnet::parse("2001:db8::/32").unwrap().contains(&ip("2001:db8:1::5")));
        assert!(Subnet::parse("10.0.0.0/33").is_err());
        assert!(Subnet::parse("nonsense").is_err());
        assert_eq!(Subnet::parse("10.1.1.1").unwrap(), Subnet::parse("10.1.1.1/32").unwrap());
    }
}
