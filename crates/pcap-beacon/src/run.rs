//! The dissect → track loop over the packets `read` hands over, in one pass.
//!
//! Three dissectors, each asked only for what it must give, so that most packets cost only
//! the network and transport layers: one for addresses, ports, lengths and TCP flags (every
//! packet), one for DNS answers (UDP packets from port 53), and one for TLS SNI and the HTTP
//! Host header, given only the first packets of TCP connections not yet named.

use crate::candidate::Aggregator;
use crate::conn::{PacketInfo, Tracker, ICMP, NO_NAME, TCP, UDP};
use crate::names::{Names, Source};
use crate::read::each_packet;
pub use crate::read::Outcome;
use crate::scope::Scope;
use crate::variance::{self, Variance};
use pcaptk_dissect::cx::NetAddr;
use pcaptk_dissect::proto::{dns, http, icmp, icmpv6, ip, ipv6, tcp, tls};
use pcaptk_dissect::{Dissector, Tap, Tree, Value};
use std::net::{IpAddr, Ipv4Addr};

/// Packets with a payload from a TCP connection's originator given to the application-layer
/// dissector while the connection has no SNI or Host name yet: two, because a ClientHello with
/// large key shares takes two segments.
pub const NAMING_PACKETS: u64 = 2;

/// What the RITA method's pass leaves behind.
#[derive(Default)]
pub struct Collected {
    pub agg: Aggregator,
    pub names: Names,
    pub packets: u64,
    /// Packets not counted because the open-flow table was full.
    pub untracked_packets: u64,
}

/// A tap's address as `conn::addr_bits` numbers it.
fn bits_of(a: &NetAddr) -> u128 {
    if a.family == 6 {
        u128::from_be_bytes(a.bytes)
    } else {
        0xffff_0000_0000 | u128::from(u32::from_be_bytes([a.bytes[0], a.bytes[1], a.bytes[2], a.bytes[3]]))
    }
}

/// The 5-tuple, length and flags of a dissected packet: the innermost TCP or UDP header
/// outside ICMP quotes (the tap records), else an ICMP message between the outer addresses.
pub fn packet_info(tree: &Tree, ts_ns: i64) -> Option<PacketInfo> {
    // One pass over the items: the last IPv4/IPv6 length, TCP flags and TCP length, and the
    // first IPv4/IPv6 length (for ICMP, whose quoted header comes later).
    let (mut v4_len, mut v6_len, mut first_len, mut flags, mut payload, mut icmp_seen) = (None, None, None, 0u64, 0u64, false);
    for item in &tree.items {
        let Value::U(v) = item.value else { continue };
        if item.id == ip::LEN {
            v4_len = Some(v);
            first_len.get_or_insert(v);
        } else if item.id == ipv6::PLEN {
            v6_len = Some(v + 40);
            first_len.get_or_insert(v + 40);
        } else if item.id == tcp::FLAGS {
            flags = v;
        } else if item.id == tcp::LEN {
            payload = v;
        } else if item.id == icmp::TYPE || item.id == icmpv6::TYPE {
            icmp_seen = true;
        }
    }
    let l4 = tree.taps.iter().rev().find_map(|t| match t {
        Tap::Tcp { src, dst, sport, dport, .. } => Some((TCP, *src, *dst, *sport, *dport)),
        Tap::Udp { src, dst, sport, dport, .. } => Some((UDP, *src, *dst, *sport, *dport)),
        _ => None,
    });
    if let Some((proto, src, dst, sport, dport)) = l4 {
        let ip_len = if src.family == 6 { v6_len } else { v4_len }.unwrap_or(0);
        let (flags, payload) = if proto == TCP { (flags as u16, payload.min(u64::from(u32::MAX)) as u32) } else { (0, 0) };
        return Some(PacketInfo { proto, src: bits_of(&src), dst: bits_of(&dst), sport, dport, ts_ns, ip_len, flags, payload });
    }
    if !icmp_seen {
        return None;
    }
    let (src, dst) = tree.taps.iter().find_map(|t| match t {
        Tap::Ip { src, dst } => Some((bits_of(&NetAddr::v4(*src)), bits_of(&NetAddr::v4(*dst)))),
        Tap::Ipv6 { src, dst } => Some((u128::from_be_bytes(*src), u128::from_be_bytes(*dst))),
        _ => None,
    })?;
    Some(PacketInfo { proto: ICMP, src, dst, sport: 0, dport: 0, ts_ns, ip_len: first_len.unwrap_or(0), flags: 0, payload: 0 })
}

/// Records the answers of a DNS response.
pub fn dns_answers(tree: &Tree, data: &[u8], names: &mut Names) {
    let view = tree.view(data);
    let response = view.iter(dns::FLAGS_RESPONSE).next().is_some_and(|i| matches!(i.value, Value::Bool(true) | Value::U(1..)));
    if !response {
        return;
    }
    let Some(Value::Str(q)) = view.iter(dns::QRY_NAME).next().map(|i| i.value) else { return };
    let id = names.intern(view.str(q), Source::Dns);
    if id == NO_NAME {
        return;
    }
    for i in view.iter(dns::A).chain(view.iter(dns::AAAA)) {
        match i.value {
            Value::Ipv4(a) => names.resolved(IpAddr::from(a), id),
            Value::Ipv6(a) => names.resolved(IpAddr::from(a), id),
            _ => {}
        }
    }
}

/// The SNI or Host name of a dissected TCP packet.
pub fn app_name(tree: &Tree, data: &[u8], names: &mut Names) -> Option<(u32, Source)> {
    let view = tree.view(data);
    for (id, source) in [(tls::SNI, Source::Sni), (http::HOST, Source::HttpHost)] {
        if let Some(Value::Str(s)) = view.iter(id).next().map(|i| i.value) {
            let n = names.intern(view.str(s), source);
            if n != NO_NAME {
                return Some((n, source));
            }
        }
    }
    None
}

/// The RITA method's pass: connections, names and their grouping by pair.
pub fn collect(inputs: Vec<String>, progress: bool, scope: &Scope) -> (Collected, Outcome) {
    let mut net = Dissector::new([ip::LEN, ipv6::PLEN, tcp::FLAGS, tcp::LEN, icmp::TYPE, icmpv6::TYPE]);
    let mut net_tree = Tree { record_taps: true, ..Tree::default() };
    let mut dns_dissector = Dissector::new([dns::FLAGS_RESPONSE, dns::QRY_NAME, dns::A, dns::AAAA]);
    let mut dns_tree = Tree::default();
    let mut app = Dissector::new([tls::SNI, http::HOST]);
    let mut app_tree = Tree::default();
    let mut tracker = Tracker::default();
    let mut c = Collected::default();
    let outcome = {
        let Collected { agg, names, packets, .. } = &mut c;
        each_packet(inputs, progress, |meta, data| {
            *packets += 1;
            net.dissect(meta, data, &mut net_tree);
            let Some(info) = packet_info(&net_tree, meta.ts_ns) else { return };
            if info.proto == UDP && info.sport == 53 {
                dns_dissector.dissect(meta, data, &mut dns_tree);
                dns_answers(&dns_tree, data, names);
            }
            let seen = tracker.packet(&info, names, &mut |conn| {
                if scope.keeps(&conn.orig, &conn.resp) {
                    agg.add(&conn)
                }
            });
            if let Some((data_index, name)) = seen {
                if info.proto == TCP && name == NO_NAME && (1..=NAMING_PACKETS).contains(&data_index) {
                    app.dissect(meta, data, &mut app_tree);
                    if let Some((n, source)) = app_name(&app_tree, data, names) {
                        tracker.name_flow(&info, n, source);
                    }
                }
            }
        })
    };
    tracker.finish_all(&mut |conn| {
        if scope.keeps(&conn.orig, &conn.resp) {
            c.agg.add(&conn)
        }
    });
    c.untracked_packets = tracker.untracked_packets;
    (c, outcome)
}

/// The seed's variance method's pass.
pub fn collect_variance(inputs: Vec<String>, progress: bool) -> (Variance, Outcome) {
    let mut net = Dissector::new([ip::LEN]);
    let mut tree = Tree { record_taps: true, ..Tree::default() };
    let mut v = Variance::default();
    let outcome = each_packet(inputs, progress, |meta, data| {
        net.dissect(meta, data, &mut tree);
        // scapy's pkt[IP] and pkt[TCP]: the first IPv4 header and the first TCP header.
        let src_dst = tree.taps.iter().find_map(|t| match t {
            Tap::Ip { src, dst } => Some((Ipv4Addr::from(*src), Ipv4Addr::from(*dst))),
            _ => None,
        });
        let port = tree.taps.iter().find_map(|t| match t {
            Tap::Tcp { dport, .. } => Some(*dport),
            _ => None,
        });
        if let (Some((src, dst)), Some(port)) = (src_dst, port) {
            v.packet(variance::Key { src, dst, port }, meta.ts_ns as f64 / 1e9);
        }
    });
    (v, outcome)
}
