//! UDP: header, stream numbering, per-stream times; VXLAN on its port.
crate::declare_fields! {
    after = super::tcp::END;
    PROTO = "udp", "User Datagram Protocol", Protocol, None;
    SRCPORT = "udp.srcport", "Source Port", U16, Dec;
    DSTPORT = "udp.dstport", "Destination Port", U16, Dec;
    PORT = "udp.port", "Source or Destination Port", U16, Dec;
    LENGTH = "udp.length", "Length", U16, Dec;
    CHECKSUM = "udp.checksum", "Checksum", U16, Hex;
    CHECKSUM_STATUS = "udp.checksum.status", "Checksum Status", U8, None;
    STREAM = "udp.stream", "Stream index", U32, Dec;
    TIME_RELATIVE = "udp.time_relative", "Time since first frame", RelTime, None;
    TIME_DELTA = "udp.time_delta", "Time since previous frame", RelTime, None;
    PAYLOAD = "udp.payload", "Payload", Bytes, None;
}

use crate::cx::{Bytes, ConvKey, Cx, NetAddr};
use crate::tree::{Span, Value};

pub const MAX_STREAMS: usize = 4_000_000;

struct Stream {
    index: u32,
    first_ts: i64,
    prev_ts: i64,
}

struct Wildcard {
    stream: Option<Stream>,
    /// The 4-tuple's own conversation, when it exists, is found first (TFTP).
    exact_first: bool,
}

pub struct Streams {
    enabled: bool,
    map: crate::cx::FastMap<ConvKey, Stream>,
    /// Conversations tshark's SNMP and TFTP dissectors open on a request to port 161 or 69: the client's
    /// address and port, the agent's address, any agent port. tshark's conversation lookup
    /// finds them before the 4-tuple's own, so later packets either way between the client's
    /// port and the agent get a stream of their own (given when the first one is seen).
    wildcard: crate::cx::FastMap<(NetAddr, u16, NetAddr), Wildcard>,
    next_index: u32,
}

impl Streams {
    pub fn new(want: &[bool]) -> Self {
        let w = |id: crate::field::FieldId| want.get(id.index()).copied().unwrap_or(false);
        Streams {
            enabled: w(STREAM) || w(TIME_RELATIVE) || w(TIME_DELTA),
            map: Default::default(),
            wildcard: Default::default(),
            next_index: 0,
        }
    }
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "udp", b.span_to(off, end));
    let (Some(sport), Some(dport)) = (b.be16(off), b.be16(off + 2)) else { return };
    cx.label(PROTO, || format!("User Datagram Protocol, Src Port: {}, Dst Port: {}", sport, dport));
    cx.u(SRCPORT, sport, b.span(off, 2));
    cx.u(DSTPORT, dport, b.span(off + 2, 2));
    cx.destport = dport;
    cx.u(PORT, sport, b.span(off, 2));
    cx.u(PORT, dport, b.span(off + 2, 2));
    let Some(len) = b.be16(off + 4) else { return };
    cx.u(LENGTH, len, b.span(off + 4, 2));
    // A length below the header's own (0 outside IPv6 jumbograms) ends the dissection.
    if len < 8 && !(len == 0 && cx.src.family == 6) {
        return;
    }
    let Some(ck) = b.be16(off + 6) else { return };
    cx.u(CHECKSUM, ck, b.span(off + 6, 2));
    cx.u(CHECKSUM_STATUS, if ck == 0 { 3u8 } else { 2u8 }, Span::EMPTY);
    let mut stream = u32::MAX;
    if cx.st.udp.enabled {
        let ts = cx.meta.ts_ns;
        let (src, dst) = ((cx.src, sport), (cx.dst, dport));
        let key = ConvKey::new(src, dst);
        let udp = &mut cx.st.udp;
        if udp.map.len() >= MAX_STREAMS && !udp.map.contains_key(&key) {
            udp.map.clear();
        }
        let next = &mut udp.next_index;
        let new_stream = |next: &mut u32| {
            *next += 1;
            Stream { index: *next - 1, first_ts: ts, prev_ts: ts }
        };
        // A TFTP conversation yields to an exact 4-tuple (the reply from port 69 itself);
        // an SNMP one does not.
        let exact_wins = || {
            udp.wildcard.get(&(src.0, src.1, dst.0)).or_else(|| udp.wildcard.get(&(dst.0, dst.1, src.0))).is_some_and(|w| w.exact_first)
                && udp.map.contains_key(&key)
        };
        let wildcard_key = if udp.wildcard.is_empty() || exact_wins() {
            None
        } else if udp.wildcard.contains_key(&(src.0, src.1, dst.0)) {
            Some((src.0, src.1, dst.0))
        } else if udp.wildcard.contains_key(&(dst.0, dst.1, src.0)) {
            Some((dst.0, dst.1, src.0))
        } else {
            None
        };
        // A TFTP conversation takes the server's port from its first reply: from then on it
        // is that 4-tuple's (and the client's next request opens a new one).
        if let Some(k) = wildcard_key.filter(|k| udp.wildcard.get(k).is_some_and(|w| w.exact_first)) {
            if let Some(w) = udp.wildcard.remove(&k) {
                let s = w.stream.unwrap_or_else(|| new_stream(next));
                udp.map.insert(key, s);
            }
        }
        let s = match wildcard_key.and_then(|k| udp.wildcard.get_mut(&k)) {
            Some(w) => w.stream.get_or_insert_with(|| new_stream(next)),
            None => udp.map.entry(key).or_insert_with(|| new_stream(next)),
        };
        let (index, rel, delta) = (s.index, ts - s.first_ts, ts - s.prev_ts);
        // A datagram quoted by an ICMP error shows its stream but no times.
        let quoted = cx.in_error;
        if !quoted {
            s.prev_ts = ts;
        }
        stream = index;
        cx.u(STREAM, index, Span::EMPTY);
        if !quoted {
            cx.add(TIME_RELATIVE, Value::Time(rel), Span::EMPTY);
            cx.add(TIME_DELTA, Value::Time(delta), Span::EMPTY);
        }
        // SNMP requests and TFTP requests open a conversation of the client's address and
        // port with the server's address, any port (tshark's wildcard conversations).
        let snmp = dport == 161 && snmp_reached(sport) && looks_like_snmp(b.until(end).data, off + 8, end.saturating_sub(off + 8));
        if !cx.in_error && (snmp || dport == 69) {
            let udp = &mut cx.st.udp;
            if udp.wildcard.len() >= MAX_STREAMS {
                udp.wildcard.clear();
            }
            udp.wildcard.entry((src.0, src.1, dst.0)).or_insert(Wildcard { stream: None, exact_first: !snmp });
        }
    }
    cx.tap(crate::tap::Tap::Udp { src: cx.src, dst: cx.dst, sport, dport, stream });
    let pay = off + 8;
    let end = if (len as usize) >= 8 { end.min(off + len as usize) } else { end };
    let cap_end = end.min(b.len());
    if pay < cap_end {
        let sp = b.span(pay, cap_end - pay);
        cx.add(PAYLOAD, Value::Bytes(sp), sp);
        let has = |p: u16| sport == p || dport == p;
        // Nothing above UDP can show (or nothing the command collects: `State::udp_leaves`):
        // the dispatch below still runs in full (QUIC and TFTP claim conversations, which
        // decides what a later datagram on a tunnel's port goes to), but the protocols that
        // neither claim nor carry lower layers are not read.
        let leaf = !cx.transport_only() && cx.st.udp_leaves;
        if cx.in_error {
            // The copy quoted by an ICMP error: DNS in it is dissected as tshark does; other
            // payloads stay data. (No state is touched and no tunnel followed here.)
            if !leaf {
                return;
            }
            if crate::proto::tftp::claims(cx, sport, dport) {
                return crate::proto::tftp::dissect_quoted(cx, b, pay, end.min(b.reported));
            }
            match (crate::proto::dns::flavour(sport, dport), named(sport, dport)) {
                (Some(fl), _) => crate::proto::dns::dissect(cx, b, pay, end.min(b.reported), fl, (sport, dport)),
                (None, Some(n)) => n.dissect(cx, b, pay, end, dport),
                (None, None) if crate::proto::quic::quoted(cx, &b.data[pay..cap_end], sport, dport) => {
                    crate::proto::quic::dissect_quoted(cx, b, pay, end)
                }
                (None, None) if dg(&b.data[pay..cap_end], end - pay, sport, dport) => {
                    crate::proto::dcerpc::dissect_dg(cx, b, pay, end)
                }
                (None, None) => crate::proto::data::dissect(cx, b, pay, end),
            }
        } else if cx.creds_on() && has(88) && leaf {
            // The credentials tap reads every datagram of port 88; the layer shows when
            // tshark's Kerberos dissector takes it.
            if crate::proto::kerberos::looks_like_udp(&b.data[pay..cap_end]) {
                crate::proto::kerberos::dissect_udp(cx, b, pay, end);
            } else {
                crate::proto::kerberos::message(cx, &b.data[pay..cap_end]);
                crate::proto::data::dissect(cx, b, pay, end);
            }
        } else if crate::proto::quic::in_conversation(cx, sport, dport) {
            // A conversation QUIC's heuristic claimed: tshark's conversation dissector comes
            // before the ports.
            crate::proto::quic::dissect(cx, b, pay, end.min(b.reported), (sport, dport));
        } else if let Some(c) = if leaf { crate::proto::rtp::lookup(cx, sport, dport) } else { None } {
            // RTP, RTCP or T.38 on an endpoint SDP announced (a conversation: before ports).
            crate::proto::rtp::dissect_conv(cx, b, pay, end, c);
        } else if let Some(n) = named(sport, dport) {
            if leaf {
                n.dissect(cx, b, pay, end, dport);
            }
        } else if dport == 4789 {
            crate::proto::vxlan::dissect(cx, b, pay, end);
        } else if has(4790) {
            crate::proto::vxlan::dissect_gpe(cx, b, pay, end);
        } else if has(6081) {
            crate::proto::geneve::dissect(cx, b, pay, end);
        } else if has(2152) {
            crate::proto::gtp::dissect(cx, b, pay, end);
        } else if crate::proto::tftp::claims(cx, sport, dport) {
            crate::proto::tftp::dissect(cx, b, pay, end.min(b.reported), (sport, dport));
        } else if let Some(fl) = crate::proto::dns::flavour(sport, dport) {
            if leaf {
                crate::proto::dns::dissect(cx, b, pay, end.min(b.reported), fl, (sport, dport));
            }
        } else if has(1900) {
            if leaf {
                crate::proto::http::dissect_ssdp(cx, b, pay, end.min(b.reported));
            }
        } else if has(1701) {
            crate::proto::l2tp::dissect(cx, b, pay, end);
        } else if has(3544) && crate::proto::teredo::looks_like(b.until(end), pay) {
            crate::proto::teredo::dissect(cx, b, pay, end);
        } else if has(4500) && crate::ports::udp(sport.min(dport)).is_none_or(|n| n == "udpencap") {
            // UDP encapsulation of IPsec (unless the lower port's protocol comes first).
            crate::proto::udpencap::dissect(cx, b, pay, end, leaf);
        } else if crate::proto::apps::udp(cx, b, pay, end, (sport, dport), leaf) {
        } else if crate::proto::quic::heuristic(cx, &b.data[pay..cap_end], sport, dport) {
            crate::proto::quic::dissect(cx, b, pay, end.min(b.reported), (sport, dport));
        } else if leaf {
            if has(9) && crate::proto::wol::is_magic(b, pay, end) {
                crate::proto::wol::dissect(cx, b, pay, end);
            } else if dg(&b.data[pay..cap_end], end - pay, sport, dport) {
                crate::proto::dcerpc::dissect_dg(cx, b, pay, end);
            } else if !crate::proto::rtp::udp_heuristics(cx, b, pay, end) {
                crate::proto::data::dissect(cx, b, pay, end);
            }
        }
    }
}

/// DCE-RPC's datagram heuristic, tried when neither port has a dissector.
fn dg(d: &[u8], reported: usize, sport: u16, dport: u16) -> bool {
    crate::ports::udp(sport).is_none() && crate::ports::udp(dport).is_none() && crate::proto::dcerpc::looks_like_dg(d, reported)
}

/// The dissectors of UDP's port table that neither claim conversations nor carry lower
/// layers (DHCP, NetBIOS, NTP, SNMP, HSRP, BFD, RADIUS).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Named {
    Dhcp,
    Dhcpv6,
    Nbns,
    Nbdgm,
    Ntp,
    Snmp,
    Hsrp,
    Bfd,
    BfdEcho,
    Radius,
    Sip,
    Mgcp,
    Syslog,
}

impl Named {
    fn of(port: u16) -> Option<Named> {
        match port {
            67 | 68 => Some(Named::Dhcp),
            137 => Some(Named::Nbns),
            138 => Some(Named::Nbdgm),
            546 | 547 => Some(Named::Dhcpv6),
            123 => Some(Named::Ntp),
            161 | 162 => Some(Named::Snmp),
            1985 => Some(Named::Hsrp),
            3784 | 4784 | 6784 => Some(Named::Bfd),
            3785 => Some(Named::BfdEcho),
            1645 | 1646 | 1812 | 1813 | 3799 => Some(Named::Radius),
            5060 => Some(Named::Sip),
            2427 => Some(Named::Mgcp),
            514 => Some(Named::Syslog),
            _ => None,
        }
    }

    fn dissect(self, cx: &mut Cx, b: Bytes, pay: usize, end: usize, dport: u16) {
        match self {
            Named::Dhcp => crate::proto::dhcp::dissect(cx, b, pay, end),
            Named::Dhcpv6 => crate::proto::dhcpv6::dissect(cx, b, pay, end),
            Named::Nbns => crate::proto::nbns::dissect(cx, b, pay, end),
            Named::Nbdgm => crate::proto::nbdgm::dissect(cx, b, pay, end),
            Named::Ntp => crate::proto::ntp::dissect(cx, b, pay, end),
            // tshark's SNMP dissector rejects what its heuristic does not take.
            Named::Snmp if looks_like_snmp(b.until(end).data, pay, end.saturating_sub(pay)) => {
                crate::proto::snmp::dissect(cx, b, pay, end, dport == 161 || dport == 162)
            }
            Named::Snmp => crate::proto::data::dissect(cx, b, pay, end),
            Named::Hsrp => crate::proto::hsrp::dissect(cx, b, pay, end),
            Named::Bfd => crate::proto::bfd::dissect(cx, b, pay, end),
            Named::BfdEcho => crate::proto::bfd::dissect_echo(cx, b, pay, end),
            Named::Radius if crate::proto::radius::looks_like(b.until(end), pay) => {
                crate::proto::radius::dissect(cx, b, pay, end)
            }
            Named::Radius => crate::proto::data::dissect(cx, b, pay, end),
            // A payload the port's dissector rejects goes on to the heuristics.
            Named::Sip | Named::Mgcp if cx.in_error => crate::proto::data::dissect(cx, b, pay, end),
            Named::Mgcp if crate::proto::mgcp::looks_like(&b.data[pay.min(b.len())..end.min(b.len())]) => {
                crate::proto::mgcp::dissect(cx, b, pay, end)
            }
            Named::Mgcp => {
                if !crate::proto::rtp::udp_heuristics(cx, b, pay, end) {
                    crate::proto::data::dissect(cx, b, pay, end)
                }
            }
            Named::Syslog => crate::proto::syslog::dissect(cx, b, pay, end),
            Named::Sip => {
                if !crate::proto::sip::dissect_udp(cx, b, pay, end) && !crate::proto::rtp::udp_heuristics(cx, b, pay, end) {
                    crate::proto::data::dissect(cx, b, pay, end)
                }
            }
        }
    }
}

/// Which of DHCP, DHCPv6, NBNS and NBDGM tshark's port table gives a datagram: the lower
/// port is tried first (port 0 is never tried), and a lower port another dissector of
/// tshark's has takes the datagram before the higher port is tried.
fn named(sport: u16, dport: u16) -> Option<Named> {
    let (lo, hi) = if sport <= dport { (sport, dport) } else { (dport, sport) };
    if lo != 0 {
        if let Some(n) = Named::of(lo) {
            return Some(n);
        }
        if low_port_taken(lo) {
            return None;
        }
    }
    Named::of(hi)
}

/// Ports below 547 with a UDP dissector of their own in tshark (so a datagram between one
/// of them and a higher DHCP/NetBIOS port goes to that one).
fn low_port_taken(port: u16) -> bool {
    const TAKEN: &[u16] =
        &[7, 9, 19, 37, 49, 53, 69, 88, 111, 123, 161, 162, 177, 389, 427, 443, 464, 500, 513, 514, 520];
    TAKEN.contains(&port)
}

/// Whether UDP's port dispatch reaches SNMP for a datagram to port 161: the lower port is
/// tried first, so a source port below 161 with a dissector of its own takes it.
fn snmp_reached(sport: u16) -> bool {
    sport > 161 || !matches!(sport, 53 | 67 | 68 | 69 | 123 | 137 | 138)
}

/// tshark's SNMP heuristic: a BER SEQUENCE spanning the `reported` payload bytes whose first
/// element is an INTEGER (the version).
fn looks_like_snmp(d: &[u8], off: usize, reported: usize) -> bool {
    let Some(rest) = d.get(off..) else { return false };
    // Identifier: universal class, tag 16 (SEQUENCE), either encoding.
    if rest.len() < 2 || rest[0] & 0xdf != 0x10 {
        return false;
    }
    // Length: short or long form, covering exactly the rest of the datagram (indefinite
    // lengths pass).
    let l = rest[1];
    let (skip, len) = match l {
        0x80 => (0, None),
        l if l & 0x80 == 0 => (0, Some(l as usize)),
        l if l & 0x7f <= 4 => {
            let n = (l & 0x7f) as usize;
            match rest.get(2..2 + n) {
                Some(bytes) => (n, Some(bytes.iter().fold(0usize, |a, &x| a << 8 | x as usize))),
                None => return false,
            }
        }
        _ => return false,
    };
    if len.is_some_and(|len| len != reported.saturating_sub(2 + skip)) {
        return false;
    }
    match rest.get(2 + skip) {
        Some(&id) => id & 0xdf == 0x02,
        None => false,
    }
}
