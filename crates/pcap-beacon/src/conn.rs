//! Zeek-style connection records from packets: one record per TCP connection (a SYN after
//! the previous connection on the same 5-tuple closed starts a new one), and per UDP or ICMP
//! flow, ended by inactivity. Open flows are kept in one table of bounded size; finished
//! connections are handed to the caller as they end.

use crate::names::{Names, Source};
use foldhash::HashMap;
use std::collections::hash_map::Entry;
use std::net::IpAddr;

/// No name known for a connection.
pub const NO_NAME: u32 = u32::MAX;

/// Inactivity after which a flow ends (Zeek's defaults: `tcp_inactivity_timeout` 5 min,
/// `udp_inactivity_timeout` and `icmp_inactivity_timeout` 1 min).
pub const TCP_TIMEOUT_NS: i64 = 300 * 1_000_000_000;
pub const UDP_TIMEOUT_NS: i64 = 60 * 1_000_000_000;
/// Most flows open at once. Past it, flows idle for 10 s or more are ended early; if the table
/// is still full, packets of new flows are not tracked (and counted).
pub const MAX_OPEN_FLOWS: usize = 1_000_000;
/// How often (capture time) idle flows are looked for.
const SWEEP_EVERY_NS: i64 = 30 * 1_000_000_000;

pub const TCP: u8 = 6;
pub const UDP: u8 = 17;
pub const ICMP: u8 = 1;

/// Zeek's `conn_state` values this tracker distinguishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// SYN seen, no reply.
    S0,
    /// Established, not closed.
    S1,
    /// Established and closed normally.
    SF,
    /// SYN answered by a reset.
    Rej,
    /// Established, the originator reset it.
    Rsto,
    /// Established, the responder reset it.
    Rstr,
    /// The originator sent a SYN and a FIN, never a SYN-ACK seen.
    Sh,
    /// No SYN seen (mid-stream); for UDP and ICMP: one direction only.
    Oth,
    /// UDP/ICMP with packets both ways.
    Both,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::S0 => "S0",
            State::S1 => "S1",
            State::SF => "SF",
            State::Rej => "REJ",
            State::Rsto => "RSTO",
            State::Rstr => "RSTR",
            State::Sh => "SH",
            State::Oth => "OTH",
            State::Both => "SF",
        }
    }
}

/// A finished connection.
#[derive(Clone, Debug, PartialEq)]
pub struct Conn {
    pub proto: u8,
    pub orig: IpAddr,
    pub resp: IpAddr,
    pub orig_port: u16,
    pub resp_port: u16,
    /// First packet, ns since the epoch.
    pub start_ns: i64,
    pub duration_ns: i64,
    pub orig_pkts: u64,
    /// IP bytes (headers included) the originator sent (Zeek's `orig_ip_bytes`).
    pub orig_bytes: u64,
    pub resp_pkts: u64,
    pub resp_bytes: u64,
    pub state: State,
    /// Interned server name (`NO_NAME` when none): TLS SNI or HTTP Host seen in the
    /// connection, else the DNS answer that last resolved the responder's address.
    pub name: u32,
    pub name_source: Option<Source>,
}

/// One packet, as the tracker needs it.
#[derive(Clone, Copy, Debug)]
pub struct PacketInfo {
    pub proto: u8,
    /// Addresses as 128-bit numbers, IPv4 as IPv4-mapped IPv6 (see `addr_bits`).
    pub src: u128,
    pub dst: u128,
    pub sport: u16,
    pub dport: u16,
    pub ts_ns: i64,
    /// IP total length.
    pub ip_len: u64,
    /// TCP flags (0 for other protocols).
    pub flags: u16,
    /// TCP payload length (0 for other protocols).
    pub payload: u32,
}

const FIN: u16 = 0x01;
const SYN: u16 = 0x02;
const RST: u16 = 0x04;
const ACK: u16 = 0x10;

/// A flow's 5-tuple, ends ordered, addresses as 128-bit numbers (IPv4 as mapped addresses).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    /// 128-bit addresses as two 64-bit halves (8-byte alignment keeps table entries small).
    lo: [u64; 2],
    hi: [u64; 2],
    lo_port: u16,
    hi_port: u16,
    proto: u8,
}

fn halves(b: u128) -> [u64; 2] {
    [(b >> 64) as u64, b as u64]
}

fn whole(h: [u64; 2]) -> u128 {
    (u128::from(h[0]) << 64) | u128::from(h[1])
}

/// An address as a 128-bit number, IPv4 as an IPv4-mapped IPv6 address.
pub fn addr_bits(a: &IpAddr) -> u128 {
    match a {
        IpAddr::V4(v4) => u128::from(v4.to_ipv6_mapped()),
        IpAddr::V6(v6) => u128::from(*v6),
    }
}

/// The address of `addr_bits` (an IPv4-mapped address reads as IPv4).
pub fn bits_addr(b: u128) -> IpAddr {
    std::net::Ipv6Addr::from(b).to_canonical()
}

struct Flow {
    /// Whether the originator is `lo`.
    orig_lo: bool,
    start_ns: i64,
    last_ns: i64,
    orig_pkts: u32,
    orig_bytes: u64,
    /// Packets with a payload from the originator (counted up to 255).
    orig_data_pkts: u8,
    resp_pkts: u32,
    resp_bytes: u64,
    syn: bool,
    synack: bool,
    orig_fin: bool,
    resp_fin: bool,
    orig_rst: bool,
    resp_rst: bool,
    name: u32,
    name_source: Option<Source>,
    dns_name: u32,
}

impl Flow {
    fn closed(&self) -> bool {
        self.orig_rst || self.resp_rst || (self.orig_fin && self.resp_fin)
    }
    fn state(&self, proto: u8) -> State {
        if proto != TCP {
            return if self.orig_pkts > 0 && self.resp_pkts > 0 { State::Both } else { State::Oth };
        }
        if !self.syn {
            return State::Oth;
        }
        let established = self.synack;
        match (established, self.orig_rst, self.resp_rst) {
            (false, _, true) => State::Rej,
            (true, true, _) => State::Rsto,
            (true, false, true) => State::Rstr,
            (true, false, false) if self.orig_fin && self.resp_fin => State::SF,
            (true, false, false) => State::S1,
            (false, _, _) if self.orig_fin => State::Sh,
            _ => State::S0,
        }
    }
}

/// The open-flow table.
#[derive(Default)]
pub struct Tracker {
    flows: HashMap<Key, Flow>,
    last_sweep_ns: Option<i64>,
    /// Packets of flows that could not be tracked because the table was full.
    pub untracked_packets: u64,
}

impl Tracker {
    pub fn open_flows(&self) -> usize {
        self.flows.len()
    }

    /// Counts a packet into its flow; returns, for a packet with a payload from the
    /// originator, which such packet of the flow it is (1 for the first; else 0), and the name
    /// the flow has from SNI or Host; None when the packet was not tracked. Connections that end are passed to `done`.
    pub fn packet(&mut self, p: &PacketInfo, names: &Names, done: &mut impl FnMut(Conn)) -> Option<(u64, u32)> {
        if self.last_sweep_ns.is_none_or(|t| p.ts_ns.saturating_sub(t) >= SWEEP_EVERY_NS) {
            self.sweep(p.ts_ns, 0, done);
        }
        let (key, from_lo) = key_of(p);
        if self.flows.len() >= MAX_OPEN_FLOWS && !self.flows.contains_key(&key) {
            self.sweep(p.ts_ns, 10 * 1_000_000_000, done);
            if self.flows.len() >= MAX_OPEN_FLOWS {
                self.untracked_packets += 1;
                return None;
            }
        }
        let timeout = if p.proto == TCP { TCP_TIMEOUT_NS } else { UDP_TIMEOUT_NS };
        let fresh = || {
            // A SYN-ACK first means the receiver opened the connection.
            let reply_first = p.proto == TCP && p.flags & (SYN | ACK) == SYN | ACK;
            let resp = if reply_first { p.src } else { p.dst };
            Flow {
                orig_lo: from_lo != reply_first,
                start_ns: p.ts_ns,
                last_ns: p.ts_ns,
                orig_pkts: 0,
                orig_bytes: 0,
                orig_data_pkts: 0,
                resp_pkts: 0,
                resp_bytes: 0,
                syn: false,
                synack: false,
                orig_fin: false,
                resp_fin: false,
                orig_rst: false,
                resp_rst: false,
                name: NO_NAME,
                name_source: None,
                dns_name: names.lookup(&bits_addr(resp)),
            }
        };
        let f = match self.flows.entry(key) {
            Entry::Occupied(o) => {
                let f = o.into_mut();
                let ended = (p.proto == TCP && p.flags & (SYN | ACK) == SYN && f.closed()) || p.ts_ns.saturating_sub(f.last_ns) > timeout;
                if ended {
                    done(finish(&key, std::mem::replace(f, fresh())));
                }
                f
            }
            Entry::Vacant(v) => v.insert(fresh()),
        };
        let from_orig = from_lo == f.orig_lo;
        f.last_ns = f.last_ns.max(p.ts_ns);
        if from_orig {
            f.orig_pkts = f.orig_pkts.saturating_add(1);
            f.orig_bytes = f.orig_bytes.saturating_add(p.ip_len);
            if p.payload > 0 {
                f.orig_data_pkts = f.orig_data_pkts.saturating_add(1);
            }
        } else {
            f.resp_pkts = f.resp_pkts.saturating_add(1);
            f.resp_bytes = f.resp_bytes.saturating_add(p.ip_len);
        }
        if p.proto == TCP {
            let fl = p.flags;
            match (from_orig, fl & (SYN | ACK)) {
                (true, SYN) => f.syn = true,
                (false, x) if x == SYN | ACK => f.synack = true,
                _ => {}
            }
            if fl & FIN != 0 {
                if from_orig { f.orig_fin = true } else { f.resp_fin = true }
            }
            if fl & RST != 0 {
                if from_orig { f.orig_rst = true } else { f.resp_rst = true }
            }
        }
        let data_index = if from_orig && p.payload > 0 { u64::from(f.orig_data_pkts) } else { 0 };
        Some((data_index, f.name))
    }

    /// Gives the open flow of this packet a server name, unless it has one.
    pub fn name_flow(&mut self, p: &PacketInfo, name: u32, source: Source) {
        let (key, _) = key_of(p);
        if let Some(f) = self.flows.get_mut(&key) {
            if f.name == NO_NAME && name != NO_NAME {
                f.name = name;
                f.name_source = Some(source);
            }
        }
    }

    /// Ends flows idle for longer than their timeout (or than `idle_ns`, when not 0).
    fn sweep(&mut self, now: i64, idle_ns: i64, done: &mut impl FnMut(Conn)) {
        self.last_sweep_ns = Some(now);
        let mut ended: Vec<(Key, i64)> = Vec::new();
        for (k, f) in &self.flows {
            let limit = if idle_ns > 0 { idle_ns } else if k.proto == TCP { TCP_TIMEOUT_NS } else { UDP_TIMEOUT_NS };
            if now.saturating_sub(f.last_ns) > limit {
                ended.push((*k, f.start_ns));
            }
        }
        ended.sort_by_key(|(_, start)| *start);
        for (k, _) in ended {
            if let Some(f) = self.flows.remove(&k) {
                done(finish(&k, f));
            }
        }
    }

    /// Ends every open flow (end of the capture), oldest first.
    pub fn finish_all(&mut self, done: &mut impl FnMut(Conn)) {
        let mut all: Vec<(Key, Flow)> = self.flows.drain().collect();
        all.sort_by_key(|(_, f)| f.start_ns);
        for (k, f) in all {
            done(finish(&k, f));
        }
    }
}

fn key_of(p: &PacketInfo) -> (Key, bool) {
    let a = (p.src, p.sport);
    let b = (p.dst, p.dport);
    if a <= b {
        (Key { proto: p.proto, lo: halves(a.0), lo_port: a.1, hi: halves(b.0), hi_port: b.1 }, true)
    } else {
        (Key { proto: p.proto, lo: halves(b.0), lo_port: b.1, hi: halves(a.0), hi_port: a.1 }, false)
    }
}

fn finish(k: &Key, f: Flow) -> Conn {
    let (lo, hi) = ((whole(k.lo), k.lo_port), (whole(k.hi), k.hi_port));
    let (orig, resp) = if f.orig_lo { (lo, hi) } else { (hi, lo) };
    Conn {
        proto: k.proto,
        orig: bits_addr(orig.0),
        resp: bits_addr(resp.0),
        orig_port: orig.1,
        resp_port: resp.1,
        start_ns: f.start_ns,
        duration_ns: f.last_ns.saturating_sub(f.start_ns),
        orig_pkts: u64::from(f.orig_pkts),
        orig_bytes: f.orig_bytes,
        resp_pkts: u64::from(f.resp_pkts),
        resp_bytes: f.resp_bytes,
        state: f.state(k.proto),
        name: if f.name != NO_NAME { f.name } else { f.dns_name },
        name_source: if f.name != NO_NAME { f.name_source } else if f.dns_name != NO_NAME { Some(Source::Dns) } else { None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkt(src: [u8; 4], sport: u16, dst: [u8; 4], dport: u16, t: i64, flags: u16) -> PacketInfo {
        PacketInfo { proto: TCP, src: addr_bits(&IpAddr::from(src)), dst: addr_bits(&IpAddr::from(dst)), sport, dport, ts_ns: t * 1_000_000_000, ip_len: 60, flags, payload: 0 }
    }

    #[test]
    fn handshake_close_and_reuse_of_the_tuple() {
        let (c, s) = ([10, 0, 0, 1], [192, 0, 2, 1]);
        let mut t = Tracker::default();
        let mut out = Vec::new();
        let mut done = |c: Conn| out.push(c);
        for (from_client, time, flags) in [(true, 0, SYN), (false, 0, SYN | ACK), (true, 1, ACK), (true, 2, FIN | ACK), (false, 2, FIN | ACK), (true, 3, ACK), (true, 10, SYN), (false, 10, RST | ACK)] {
            let p = if from_client { pkt(c, 40000, s, 443, time, flags) } else { pkt(s, 443, c, 40000, time, flags) };
            t.packet(&p, &Names::default(), &mut done);
        }
        t.finish_all(&mut done);
        assert_eq!(out.len(), 2);
        assert_eq!((out[0].state, out[0].orig_pkts, out[0].resp_pkts, out[0].duration_ns), (State::SF, 4, 2, 3_000_000_000));
        assert_eq!(out[0].orig, IpAddr::from(c));
        assert_eq!(out[0].resp_port, 443);
        assert_eq!((out[1].state, out[1].start_ns), (State::Rej, 10_000_000_000));
    }

    #[test]
    fn syn_ack_first_makes_the_receiver_the_originator_and_udp_times_out() {
        let mut t = Tracker::default();
        let mut out = Vec::new();
        let mut done = |c: Conn| out.push(c);
        t.packet(&pkt([192, 0, 2, 1], 443, [10, 0, 0, 1], 5000, 0, SYN | ACK), &Names::default(), &mut done);
        let mut u = pkt([10, 0, 0, 1], 5353, [192, 0, 2, 9], 53, 0, 0);
        u.proto = UDP;
        t.packet(&u, &Names::default(), &mut done);
        u.ts_ns = 200 * 1_000_000_000;
        t.packet(&u, &Names::default(), &mut done);
        t.finish_all(&mut done);
        assert_eq!(out.len(), 3);
        let udp: Vec<&Conn> = out.iter().filter(|c| c.proto == UDP).collect();
        assert_eq!(udp.len(), 2, "a new UDP flow after a minute of silence");
        let tcp = out.iter().find(|c| c.proto == TCP).unwrap();
        assert_eq!((tcp.orig, tcp.resp_port, tcp.state), (IpAddr::from([10, 0, 0, 1]), 443, State::Oth));
    }
}
