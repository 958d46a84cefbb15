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

    /// Keeps the frame number each TCP stream begins in ([`Self::tcp_stream_births`]), so that
    /// a sharded run can renumber its shards' streams as one dissector would have numbered
    /// them ([`global_streams`]). Memory: 4 bytes a stream.
    pub fn log_tcp_streams(&mut self) {
        self.st.tcp.births.get_or_insert_with(Vec::new);
    }

    /// The frame number each TCP stream (`tcp.stream`, by index) began in, when logged.
    pub fn tcp_stream_births(&self) -> &[u32] {
        self.st.tcp.births.as_deref().unwrap_or(&[])
    }
}

/// The stream numbers one dissector reading every frame would have given, from each shard's
/// [`Dissector::tcp_stream_births`]: `result[shard][local index]`. Streams are numbered in
/// the order they begin; two beginning in one frame are in the same shard, in its order.
pub fn global_streams(births: &[&[u32]]) -> Vec<Vec<u32>> {
    let mut all: Vec<(u32, u32, usize)> = births
        .iter()
        .enumerate()
        .flat_map(|(s, b)| b.iter().enumerate().map(move |(i, &f)| (f, i as u32, s)))
        .collect();
    all.sort_unstable();
    let mut out: Vec<Vec<u32>> = births.iter().map(|b| vec![0; b.len()]).collect();
    for (global, &(_, local, s)) in all.iter().enumerate() {
        out[s][local as usize] = global as u32;
    }
    out
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
        // MPLS: the labels up to the bottom of the stack, then IP when its version says so.
        0x8847 | 0x8848 => {
            for i in 0..8 {
                let Some(label) = rest.get(i * 4..i * 4 + 4) else { return &[] };
                if label[2] & 1 == 1 {
                    let inner = &rest[i * 4 + 4..];
                    return match inner.first().map(|b| b >> 4) {
                        Some(4 | 6) => inner,
                        _ => &[],
                    };
                }
            }
            &[]
        }
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
            // Through the extension headers to the transport header; a fragment header
            // gives the datagram's id (and, but in its first fragment, no transport header).
            // A truncated extension header: keyed by the addresses.
            let (mut proto, mut off, mut frag) = (ip[6], 40, None);
            let cut = |proto, frag| Some(Ip { src, dst, proto, l4: None, frag });
            for _ in 0..8 {
                let Some(&next) = ip.get(off) else { return cut(proto, frag) };
                let Some(&n) = ip.get(off + 1) else { return cut(proto, frag) };
                let len = match proto {
                    0 | 43 | 60 => (n as usize + 1) * 8,
                    51 => (n as usize + 2) * 4,
                    44 => {
                        let Some(h) = ip.get(off..off + 8) else { return cut(proto, frag) };
                        let offset = u16::from_be_bytes([h[2], h[3]]) >> 3;
                        frag = Some(u32::from_be_bytes([h[4], h[5], h[6], h[7]]));
                        if offset != 0 {
                            return Some(Ip { src, dst, proto: h[0], l4: None, frag });
                        }
                        8
                    }
                    _ => break,
                };
                proto = next;
                off += len;
            }
            Some(Ip { src, dst, proto, l4: ip.get(off..), frag })
        }
        _ => None,
    }
}

/// Two ports as one word, in either order.
fn ports_word((a, b): (u16, u16)) -> u64 {
    (a.min(b) as u64) << 16 | a.max(b) as u64
}

/// The key of two addresses (4 or 16 bytes each), in either order, and a word of ports.
#[inline]
fn mix(a: &[u8], b: &[u8], ports: u64) -> u64 {
    let word = |x: &[u8]| -> u128 {
        match x.len() {
            4 => u32::from_be_bytes([x[0], x[1], x[2], x[3]]) as u128,
            _ => {
                let mut w = [0u8; 16];
                let n = x.len().min(16);
                w[..n].copy_from_slice(&x[..n]);
                u128::from_be_bytes(w) ^ (1 << 127)
            }
        }
    };
    let (x, y) = (word(a), word(b));
    let (lo, hi) = if x <= y { (x, y) } else { (y, x) };
    let mut h = ports.wrapping_add(0x9e37_79b9_7f4a_7c15);
    for w in [lo as u64, (lo >> 64) as u64, hi as u64, (hi >> 64) as u64] {
        h = (h ^ w).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h ^= h >> 31;
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
    fn mpls_labelled_frames_share_their_conversation_key() {
        let mut r = Router::new();
        let plain = eth_ipv4(A, B, 0, 6, 0, &tcp(50516, 179, b""));
        let k = r.key(1, &plain);
        // Two labels (the second one the bottom of the stack), then the same IP header.
        let mut mpls = eth_ipv4(B, A, 0, 6, 0, &tcp(179, 50516, b""));
        mpls.splice(12..14, [0x88, 0x47, 0x01, 0x00, 0x00, 0x40, 0x01, 0x00, 0x01, 0x40]);
        assert_eq!(r.key(1, &mpls), k);
        // A stack that never ends, or a payload that is not IP: no key.
        let mut endless = vec![0u8; 12];
        endless.extend_from_slice(&[0x88, 0x47]);
        endless.extend(std::iter::repeat([0, 0, 0, 64]).take(10).flatten());
        assert_eq!(r.key(1, &endless), 0);
        let mut pw = vec![0u8; 12];
        pw.extend_from_slice(&[0x88, 0x47, 0, 0, 1, 64, 0, 0, 0, 0]);
        assert_eq!(r.key(1, &pw), 0);
    }

    #[test]
    fn ipv6_extension_headers_are_skipped_to_the_ports() {
        let v6 = |src: u8, dst: u8, ext: &[u8], next: u8, l4: &[u8]| {
            let mut f = vec![0u8; 12];
            f.extend_from_slice(&[0x86, 0xdd, 0x60, 0, 0, 0, 0, 0, next, 64]);
            f.extend_from_slice(&[0x10; 15]);
            f.push(src);
            f.extend_from_slice(&[0x10; 15]);
            f.push(dst);
            f.extend_from_slice(ext);
            f.extend_from_slice(l4);
            f
        };
        let mut r = Router::new();
        let plain = r.key(1, &v6(1, 2, &[], 6, &tcp(55617, 80, b"")));
        // Hop-by-hop options then destination options, 8 bytes each.
        let opts = [60, 0, 1, 4, 0, 0, 0, 0, 6, 0, 1, 4, 0, 0, 0, 0];
        assert_eq!(r.key(1, &v6(2, 1, &opts, 0, &tcp(80, 55617, b""))), plain);
        assert_ne!(r.key(1, &v6(2, 1, &opts, 0, &tcp(80, 55618, b""))), plain);
        // Cut inside an extension header: keyed by the addresses alone, never a panic.
        let cut = v6(2, 1, &opts[..9], 0, &[]);
        assert_eq!(r.key(1, &cut), r.key(1, &v6(1, 2, &[], 58, &[128, 0])));
    }

    #[test]
    fn random_frames_never_panic() {
        // Headers that lead into the walks (VLAN, PPPoE, MPLS, IPv6 with extension headers,
        // IPv4), then random bytes, cut at random lengths.
        let prefixes: [&[u8]; 5] = [
            &[0x81, 0x00, 0, 5, 0x88, 0x47],
            &[0x88, 0x64, 0x11, 0, 0, 1, 0, 40, 0x00, 0x57],
            &[0x88, 0x47, 0, 0, 0, 0x40, 0, 0, 1, 0x40],
            &[0x86, 0xdd, 0x60, 0, 0, 0, 0, 8, 0, 64],
            &[0x08, 0x00, 0x46, 0, 0, 40, 0, 1, 0x20, 0, 64, 6, 0, 0],
        ];
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut r = Router::new();
        for _ in 0..100_000 {
            let mut f = vec![0u8; 12];
            f.extend_from_slice(prefixes[(next() % 5) as usize]);
            let n = (next() % 120) as usize;
            f.extend((0..n).map(|_| {
                // Small values are next-header numbers and lengths that keep the walk going.
                let v = next();
                if v % 3 == 0 { [0u8, 43, 44, 51, 60, 6, 17][(v >> 8) as usize % 7] } else { (v >> 16) as u8 }
            }));
            f.truncate(12 + (next() as usize % (f.len() - 11)));
            let linktype = [1u32, 101, 113, 276][(next() % 4) as usize];
            r.key(linktype, &f);
        }
    }

    #[test]
    fn streams_are_renumbered_in_the_order_they_began() {
        // Shard 0 saw streams begin in frames 1, 5 and 5; shard 1 in frames 2 and 9.
        let g = global_streams(&[&[1, 5, 5], &[2, 9]]);
        assert_eq!(g, vec![vec![0, 2, 3], vec![1, 4]]);
        assert_eq!(global_streams(&[&[], &[]]), vec![Vec::<u32>::new(), vec![]]);
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
