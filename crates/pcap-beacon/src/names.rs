//! Server names: interned once, and the DNS answers seen so far (address → the name that was
//! asked for), so that a connection to an address can be named by the lookup that found it.

use crate::conn::NO_NAME;
use foldhash::HashMap;
use std::net::IpAddr;

/// Most distinct names kept; later new names are not interned (their connections stay unnamed).
pub const MAX_NAMES: usize = 1_000_000;
/// Most addresses remembered from DNS answers; past it the memory starts over.
pub const MAX_DNS_ADDRESSES: usize = 1_000_000;
/// Longest name kept (a DNS name is at most 253 characters).
pub const MAX_NAME_LEN: usize = 255;

/// Where a connection's name came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Sni,
    HttpHost,
    Dns,
}

#[derive(Default)]
pub struct Names {
    names: Vec<String>,
    ids: HashMap<String, u32>,
    dns: HashMap<IpAddr, u32>,
}

impl Names {
    /// The id of a name (lower-cased, a trailing dot and an HTTP port dropped); `NO_NAME` for an
    /// empty or over-long name, an address literal, or when the table is full.
    pub fn intern(&mut self, raw: &str, source: Source) -> u32 {
        let mut name = raw.trim().trim_end_matches('.');
        if source == Source::HttpHost {
            // "host:port" and "[v6]:port": the port dropped.
            if let Some((h, port)) = name.rsplit_once(':') {
                let bracketed = h.starts_with('[') && h.ends_with(']');
                if !h.is_empty() && (bracketed || !h.contains(':')) && port.bytes().all(|b| b.is_ascii_digit()) {
                    name = h;
                }
            }
        }
        // An address is not a name: such connections stay (source, destination) candidates.
        let literal = name.trim_start_matches('[').trim_end_matches(']');
        if name.is_empty() || name.len() > MAX_NAME_LEN || literal.parse::<IpAddr>().is_ok() {
            return NO_NAME;
        }
        let lower = name.to_ascii_lowercase();
        if let Some(id) = self.ids.get(&lower) {
            return *id;
        }
        if self.names.len() >= MAX_NAMES {
            return NO_NAME;
        }
        let id = self.names.len() as u32;
        self.names.push(lower.clone());
        self.ids.insert(lower, id);
        id
    }

    pub fn get(&self, id: u32) -> Option<&str> {
        self.names.get(id as usize).map(String::as_str)
    }

    /// Remembers that `addr` was an answer for the name `id`.
    pub fn resolved(&mut self, addr: IpAddr, id: u32) {
        if id == NO_NAME {
            return;
        }
        if self.dns.len() >= MAX_DNS_ADDRESSES && !self.dns.contains_key(&addr) {
            self.dns.clear();
        }
        self.dns.insert(addr, id);
    }

    /// The name the latest DNS answer gave for `addr`.
    pub fn lookup(&self, addr: &IpAddr) -> u32 {
        self.dns.get(addr).copied().unwrap_or(NO_NAME)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised_and_shared() {
        let mut n = Names::default();
        let a = n.intern("Example.COM.", Source::Dns);
        assert_eq!(n.intern("example.com:8080", Source::HttpHost), a);
        assert_eq!(n.intern("example.com", Source::Sni), a);
        assert_eq!(n.get(a), Some("example.com"));
        assert_eq!(n.intern("", Source::Sni), NO_NAME);
        assert_eq!(n.intern("192.0.2.1:8080", Source::HttpHost), NO_NAME);
        assert_eq!(n.intern("[2001:db8::1]", Source::HttpHost), NO_NAME);
        assert_eq!(n.intern("[2001:db8::1]:8443", Source::HttpHost), NO_NAME);
        assert_eq!(n.intern(&"x".repeat(300), Source::Sni), NO_NAME);
        let addr: IpAddr = [192, 0, 2, 7].into();
        assert_eq!(n.lookup(&addr), NO_NAME);
        n.resolved(addr, a);
        assert_eq!(n.lookup(&addr), a);
    }
}
