//! Splitting a capture's frames between several dissectors, one per core.
//!
//! Each [`Dissector`] keeps its own conversation state. Frames can be dissected by several
//! dissectors at once when every state a command's fields depend on is kept per conversation,
//! and every frame of a conversation goes to the same dissector: a [`Router`] gives every
//! frame of one conversation the same key, and frames that share state across conversations
//! (fragments of one datagram, an FTP data conversation and its control connection) too.
//! [`Dissector::shard_safe`] says whether a command's fields qualify.

use crate::cx::{FastMap, NetAddr};
use crate::field::{self, FieldId};
use crate::proto::ftp_data::{self, DataKey};
use crate::proto::{dns, eth, frame, ftp, http, ip, ipv6, tcp, tls, udp, vlan};
use crate::Dissector;

/// The protocols whose fields depend only on state kept per conversation.
const PROTOCOLS: &[FieldId] = &[
    eth::PROTO,
    vlan::PROTO,
    ip::PROTO,
    ipv6::PROTO,
    tcp::PROTO,
    udp::PROTO,
    http::PROTO,
    tls::PROTO,
    ftp::PROTO,
    dns::PROTO,
];

/// Fields of those protocols numbered across the whole capture, or matched across
/// conversations.
const GLOBAL: &[&str] = &[
    "tcp.stream",
    "udp.stream",
    "dns.response_in",
    "dns.response_to",
    "dns.time",
    "dns.retransmit_request_in",
    "dns.retransmit_response_in",
    "dns.retransmission",
    "dns.unsolicited",
];

/// The `frame` fields a sharded run gives each dissector (the clock is set per frame with
/// [`Dissector::set_clock`]).
const FRAME: &[FieldId] = &[
    frame::TIME,
    frame::TIME_EPOCH,
    frame::TIME_DELTA,
    frame::TIME_RELATIVE,
    frame::NUMBER,
    frame::LEN,
    frame::CAP_LEN,
];

impl Dissector {
    /// Whether this dissector's fields come out the same when the frames are split by
    /// [`Router::key`] between several dissectors, each seeing only its own frames.
    pub fn shard_safe(&self) -> bool {
        let t = field::table();
        self.want.iter().enumerate().filter(|(_, &w)| w).all(|(i, _)| {
            let id = FieldId(i as u16);
            let proto = t.parent[i];
            if proto == frame::PROTO {
                return FRAME.contains(&id);
            }
            PROTOCOLS.contains(&proto) && !GLOBAL.contains(&t.defs[i].abbrev)
        })
    }

    /// Sets the capture's first frame time and the previous frame's, which `frame.time_relative`
    /// and `frame.time_delta` are measured from, before dissecting a frame in a sharded run.
    pub fn set_clock(&mut self, first: i64, previous: Option<i64>) {
        self.st.first_ts = Some(first);
        self.st.prev_ts = previous;
    }
}

/// Most fragmented datagrams and FTP data conversations a [`Router`] remembers (a full
/// table is emptied).
const MAX_ENTRIES: usize = 65536;

/// Gives each frame the key of its dissector: frames of one TCP or UDP conversation share a
/// key (the unordered addresses and ports of the outermost IP header), and so do:
/// - every fragment of one datagram (the key its first-seen fragment got: the conversation's
///   when that is the first fragment, the address pair's otherwise);
/// - an FTP data conversation and the control connection that announced it (PORT, EPRT, PASV
///   and EPSV, as tshark keys them), so that it is dissected as FTP-DATA;
/// - every other frame of one address pair (ICMP, tunnels without ports).
///
/// Frames without an IP header it can find get key 0.
#[derive(Default)]
pub struct Router {
    frags: FastMap<(NetAddr, NetAddr, u32, u8), u64>,
    ftp: FastMap<DataKey, u64>,
}

/// An IP header's addresses, protocol and transport header, as far as the key needs.
struct Ip<'a> {
    /// 4 or 16 bytes each.
    src: &'a [u8],
    dst: &'a [u8],
    proto: u8,
    /// The transport header and payload, unless this is a fragment after the first.
    l4: Option<&'a [u8]>,
    /// Fragment identification, for a fragment.
    frag: Option<u32>,
}

impl Ip<'_> {
    fn addrs(&self) -> (NetAddr, NetAddr) {
        (addr(self.src), addr(self.dst))
    }
}

fn addr(a: &[u8]) -> NetAddr {
    match a.len() {
        4 => NetAddr::v4([a[0], a[1], a[2], a[3]]),
        _ => NetAddr::v6(a.try_into().unwrap_or([0; 16])),
    }
}

impl Router {
    pub fn new() -> Router {
        Router::default()
    }

    /// The key of a frame of this link type.
    pub fn key(&mut self, linktype: u32, data: &[u8]) -> u64 {
        let at = |off: usize| data.get(off..).unwrap_or(&[]);
        let be16 = |off: usize| data.get(off..off + 2).map_or(0, |b| u16::from_be_bytes([b[0], b[1]]));
        let ip = match linktype {
            1 => ether(data, 12),
            113 => ethertype(data, be16(14), 16),
            276 => ethertype(data, be16(0), 20),
            0 | 108 => at(4),
            101 | 12 | 14 | 228 | 229 => data,
            _ => &[],
        };
        match parse_ip(ip) {
            Some(ip) => self.ip_key(&ip),
            None => 0,
        }
    }

    fn ip_key(&mut self, ip: &Ip) -> u64 {
        let Some(id) = ip.frag else { return self.flow_key(ip) };
        let (src, dst) = ip.addrs();
        let fk = (src, dst, id, ip.proto);
        if let Some(&k) = self.frags.get(&fk) {
            return k;
        }
        let k = self.flow_key(ip);
        if self.frags.len() >= MAX_ENTRIES {
            self.frags.clear();
        }
        self.frags.insert(fk, k);
        k
    }

    fn flow_key(&mut self, ip: &Ip) -> u64 {
        let ports = match (ip.proto, ip.l4) {
            (6 | 17, Some(l4)) if l4.len() >= 4 => {
                (u16::from_be_bytes([l4[0], l4[1]]), u16::from_be_bytes([l4[2], l4[3]]))
            }
            _ => return mix(ip.src, ip.dst, 0),
        };
        if ip.proto != 6 {
            return mix(ip.src, ip.dst, ports_word(ports));
        }
        if !self.ftp.is_empty() {
            let (src, dst) = ip.addrs();
            for c in ftp_data::candidates(src, ports.0, dst, ports.1) {
                if let Some(&k) = self.ftp.get(&c) {
                    return k;
                }
            }
        }
        let k = mix(ip.src, ip.dst, ports_word(ports));
        if ports.0 == 21 || ports.1 == 21 {
            let l4 = ip.l4.unwrap_or(&[]);
            let payload = l4.get(l4.get(12).map_or(usize::MAX, |&b| (b >> 4) as usize * 4)..).unwrap_or(&[]);
            let (src, dst) = ip.addrs();
            if let Some((data, _)) = ftp_data::announced(payload, ports.1 == 21, src, dst) {
                if self.ftp.len() >= MAX_ENTRIES {
                    self.ftp.clear();
                }
                self.ftp.insert(data, k);
            }
        }
        k
    }
}

/// An Ethernet type field at `off`, through VLAN tags and PPPoE sessions: the IP header.
fn ether(data: &[u8], mut off: usize) -> &[u8] {
    for _ in 0..4 {
        let Some(t) = data.get(off..off + 2) else { return &[] };
        match u16::from_be_bytes([t[0], t[1]]) {
            0x8100 | 0x88a8 | 0x9100 => off += 4,
            other => return ethertype(data, other, off + 2),
        }
    }
    &[]
}

fn ethertype(data: &[u8], etype: u16, off: usize) -> &[u8] {
    let rest = data.get(off..).unwrap_or(&[]);
    match etype {
        0x0800 | 0x86dd => rest,
        // PPPoE session: 6 bytes of header, then PPP's protocol (IPv4 0x0021, IPv6 0x0057).
        0x8864 => match rest.get(6..8) {
            Some([0x00, 0x21]) | Some([0x00, 0x57]) => &rest[8..],
            _ => &[],
        },
        _ => &[],
    }
}

fn parse_ip(ip: &[u8]) -> Option<Ip<'_>> {
    match ip.first()? >> 4 {
        4 if ip.len() >= 20 => {
            let hl = (ip[0] & 15) as usize * 4;
            let offset = u16::from_be_bytes([ip[6], ip[7]]) & 0x1fff;
            let more = ip[6] & 0x20 != 0;
            Some(Ip {
                src: &ip[12..16],
                dst: &ip[16..20],
                proto: ip[9],
                l4: if offset == 0 { ip.get(hl..) } else { None },
                frag: (offset != 0 || more).then_some(u16::from_be_bytes([ip[4], ip[5]]) as u32),
            })
        }
        6 if ip.len() >= 40 => {
            let (src, dst) = (&ip[8..24], &ip[24..40]);
            // A fragment header right after the fixed header; other extension headers key
            // the frame by its addresses.
            if ip[6] == 44 && ip.len() >= 48 {
                let offset = u16::from_be_bytes([ip[42], ip[43]]) >> 3;
                let id = u32::from_be_bytes([ip[44], ip[45], ip[46], ip[47]]);
                return Some(Ip {
                    src,
                    dst,
                    proto: ip[40],
                    l4: if offset == 0 { ip.get(48..) } else { None },
                    frag: Some(id),
                });
            }
            Some(Ip { src, dst, proto: ip[6], l4: ip.get(40..), frag: None })
        }
        _ => None,
    }
}

/// Two ports as one word, in either order.
fn ports_word((a, b): (u16, u16)) -> u64 {
    (a.min(b) as u64) << 16 | a.max(b) as u64
}

/// The key of two addresses (4 or 16 bytes each), in either order, and a word of ports.
fn mix(a: &[u8], b: &[u8], ports: u64) -> u64 {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    let mut h = ports.wrapping_add(0x9e37_79b9_7f4a_7c15);
    for x in [lo, hi] {
        for c in x.chunks(8) {
            let mut w = [0u8; 8];
            w[..c.len()].copy_from_slice(c);
            h = (h ^ u64::from_le_bytes(w)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            h ^= h >> 31;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An Ethernet frame (with `tags` VLAN tags) of an IPv4 header and `l4`.
    fn eth_ipv4(src: [u8; 4], dst: [u8; 4], tags: usize, proto: u8, frag: u16, l4: &[u8]) -> Vec<u8> {
        let mut f = vec![0u8; 12];
        for _ in 0..tags {
            f.extend_from_slice(&[0x81, 0x00, 0x00, 0x05]);
        }
        let [fh, fl] = frag.to_be_bytes();
        f.extend_from_slice(&[0x08, 0x00, 0x45, 0, 0, 20, 0x12, 0x34, fh, fl, 64, proto, 0, 0]);
        f.extend_from_slice(&src);
        f.extend_from_slice(&dst);
        f.extend_from_slice(l4);
        f
    }

    /// A TCP header from `sport` to `dport` and its payload.
    fn tcp(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
        let mut t = [sport.to_be_bytes(), dport.to_be_bytes()].concat();
        t.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0]);
        t.extend_from_slice(payload);
        t
    }

    const A: [u8; 4] = [10, 0, 0, 1];
    const B: [u8; 4] = [10, 0, 0, 2];

    #[test]
    fn both_directions_and_vlan_tags_share_a_key() {
        let mut r = Router::new();
        let k = r.key(1, &eth_ipv4(A, B, 0, 6, 0, &tcp(1025, 80, b"")));
        assert_eq!(k, r.key(1, &eth_ipv4(B, A, 0, 6, 0, &tcp(80, 1025, b""))));
        assert_eq!(k, r.key(1, &eth_ipv4(B, A, 2, 6, 0, &tcp(80, 1025, b""))));
        assert_eq!(k, r.key(101, &eth_ipv4(A, B, 0, 6, 0, &tcp(1025, 80, b""))[14..]));
        // Another port or another host is another conversation.
        assert_ne!(k, r.key(1, &eth_ipv4(A, B, 0, 6, 0, &tcp(1026, 80, b""))));
        assert_ne!(k, r.key(1, &eth_ipv4(A, [10, 0, 0, 3], 0, 6, 0, &tcp(1025, 80, b""))));
        // UDP and ICMP.
        assert_eq!(
            r.key(1, &eth_ipv4(A, B, 0, 17, 0, &[0, 53, 4, 1])),
            r.key(1, &eth_ipv4(B, A, 0, 17, 0, &[4, 1, 0, 53]))
        );
        assert_eq!(r.key(1, &eth_ipv4(A, B, 0, 1, 0, &[8, 0])), r.key(1, &eth_ipv4(B, A, 0, 1, 0, &[0, 0])));
    }

    #[test]
    fn fragments_follow_their_first_seen_fragment() {
        let mut r = Router::new();
        let conv = r.key(1, &eth_ipv4(A, B, 0, 17, 0, &[4, 1, 0, 53]));
        // First fragment first: the conversation's key, and the later fragment follows.
        assert_eq!(r.key(1, &eth_ipv4(A, B, 0, 17, 0x2000, &[4, 1, 0, 53])), conv);
        assert_eq!(r.key(1, &eth_ipv4(A, B, 0, 17, 0x0010, &[1, 2, 3, 4])), conv);
        // A datagram whose last fragment comes first: all its fragments get one key.
        let mut r = Router::new();
        let last = r.key(1, &eth_ipv4(A, B, 0, 17, 0x0010, &[1, 2, 3, 4]));
        assert_eq!(r.key(1, &eth_ipv4(A, B, 0, 17, 0x2000, &[4, 1, 0, 53])), last);
    }

    #[test]
    fn ftp_data_follows_its_control_connection() {
        let mut r = Router::new();
        let ctl =
            r.key(1, &eth_ipv4(B, A, 0, 6, 0, &tcp(21, 1025, b"227 Entering Passive Mode (10,0,0,2,195,80).\r\n")));
        let data = eth_ipv4(A, B, 0, 6, 0, &tcp(1026, 50000, b""));
        assert_eq!(r.key(1, &data), ctl);
        assert_eq!(r.key(1, &eth_ipv4(B, A, 0, 6, 0, &tcp(50000, 1026, b"GET / HTTP/1.1\r\n"))), ctl);
        // Without the announcement, the data connection is a conversation of its own.
        assert_ne!(Router::new().key(1, &data), ctl);
        // PORT: the server connects from port 20 to the address the client gives.
        let mut r = Router::new();
        let ctl = r.key(1, &eth_ipv4(A, B, 0, 6, 0, &tcp(1025, 21, b"PORT 10,0,0,1,7,208\r\n")));
        assert_eq!(r.key(1, &eth_ipv4(B, A, 0, 6, 0, &tcp(20, 2000, b""))), ctl);
    }

    #[test]
    fn frames_without_an_ip_header_get_key_0() {
        let mut r = Router::new();
        let mut arp = vec![0u8; 12];
        arp.extend_from_slice(&[0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1]);
        assert_eq!(r.key(1, &arp), 0);
        assert_eq!(r.key(1, &eth_ipv4(A, B, 0, 6, 0, &[])[..30]), 0);
        assert_eq!(r.key(1, &[]), 0);
        assert_eq!(r.key(147, &eth_ipv4(A, B, 0, 6, 0, &[])), 0);
    }

    #[test]
    fn only_conversation_local_fields_are_shard_safe() {
        let id = |n: &str| crate::lookup(n).unwrap();
        assert!(Dissector::new([id("http.host"), id("http.request.uri"), id("http.request")]).shard_safe());
        assert!(Dissector::new([id("tls.handshake.extensions_server_name"), id("frame.number")]).shard_safe());
        assert!(!Dissector::new([id("http.host"), id("tcp.stream")]).shard_safe());
        assert!(!Dissector::new([id("frame.time_delta_displayed")]).shard_safe());
        assert!(!Dissector::new([id("frame.protocols")]).shard_safe());
        assert!(!Dissector::new([id("dns.qry.name"), id("dns.response_in")]).shard_safe());
        assert!(!Dissector::new([id("rtp.ssrc")]).shard_safe());
    }
}
