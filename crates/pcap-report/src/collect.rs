//! The one pass: every packet is read once, dissected once with every protocol any section
//! needs, and that one tree feeds every analysis. Memory grows only with live state (open
//! flows, objects in flight) and with distinct keys (address pairs, names), each table capped.

use foldhash::HashMap;
use pcap_beacon::candidate::Aggregator;
use pcap_beacon::conn::{Tracker, NO_NAME, TCP};
use pcap_beacon::names::Names;
use pcap_beacon::run::{app_name, dns_answers, packet_info, NAMING_PACKETS};
use pcap_beacon::scope::Scope;
use pcap_beacon::variance::{self, Variance};
use pcap_export_objects::run::addresses;
use pcap_export_objects::sink::{Origin, Sink};
use pcap_stats::phs::{self, Phs};
use pcap_stats::table::{Addr, End, EndpointTable};
use pcaptk_capture::{MultiReader, Progress};
use pcaptk_dissect::cx::NetAddr;
use pcaptk_dissect::export::{Proto, Protocols};
use pcaptk_dissect::proto::{
    dns, ftp, ftp_data, http, icmp, icmpv6, imap, ip, ipv6, nbss, ntlmssp, pop, smb2, smtp, tcp, tftp, tls, udp,
};
use pcaptk_dissect::tap::Credential;
use pcaptk_dissect::{Dissector, FrameMeta, Tap, Tree, Value};
use std::net::Ipv4Addr;
use std::path::PathBuf;

use crate::timeline::Timeline;

/// Most distinct keys of each table of names (DNS names, hosts, user agents, fingerprints,
/// ports); additions of further keys are counted in the table's `dropped`.
pub const MAX_KEYS: usize = 200_000;
/// Most address pairs (the seed's conversations) and addresses (endpoints): their keys are
/// small numbers.
pub const MAX_ADDRESS_KEYS: usize = 1_000_000;
/// Most credentials kept.
pub const MAX_CREDENTIALS: usize = 10_000;
/// The per-object cap of the export manifest (and of written objects).
pub const OBJECT_CAP: u64 = 64 << 20;

pub struct Config {
    pub inputs: Vec<String>,
    /// `-c`: stop after this many packets.
    pub count: Option<u64>,
    pub progress: bool,
    /// DNS queries kept for `dns_queries` (the seed's 200).
    pub dns_limit: usize,
    /// Write the objects below this folder (one folder per protocol); else only list them.
    pub objects_dir: Option<PathBuf>,
    /// The host pairs whose connections RITA's scores consider.
    pub scope: Scope,
}

/// Counts per key in first-seen order (ties keep that order when sorted), capped.
pub struct Counter<K> {
    index: HashMap<K, usize>,
    pub rows: Vec<(K, u64)>,
    /// Additions of keys that did not fit.
    pub dropped: u64,
    /// Most keys kept.
    cap: usize,
}

impl<K> Default for Counter<K> {
    fn default() -> Self {
        Counter::with_cap(MAX_KEYS)
    }
}

impl<K> Counter<K> {
    pub fn with_cap(cap: usize) -> Self {
        Counter { index: HashMap::default(), rows: Vec::new(), dropped: 0, cap }
    }
}

impl<K: std::hash::Hash + Eq + Clone> Counter<K> {
    pub fn add(&mut self, key: &K, n: u64) -> Option<usize> {
        if let Some(&i) = self.index.get(key) {
            self.rows[i].1 += n;
            return Some(i);
        }
        if self.rows.len() >= self.cap {
            self.dropped += n;
            return None;
        }
        self.index.insert(key.clone(), self.rows.len());
        self.rows.push((key.clone(), n));
        Some(self.rows.len() - 1)
    }

    /// Rows by count, descending, ties in first-seen order (Python's `Counter.most_common`).
    pub fn most_common(&self, n: usize) -> Vec<&(K, u64)> {
        let mut v: Vec<&(K, u64)> = self.rows.iter().collect();
        v.sort_by_key(|r| std::cmp::Reverse(r.1));
        v.truncate(n);
        v
    }

    pub fn total(&self) -> u64 {
        self.rows.iter().map(|r| r.1).sum::<u64>() + self.dropped
    }
}

/// The seed's conversation: an unordered IPv4 pair (lower number first; the report orders the
/// two as Python does, by their dotted strings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Pair(pub u32, pub u32);

/// One of the seed's `dns_queries`.
#[derive(Clone, Debug)]
pub struct SeedQuery {
    pub query: String,
    pub qtype: u64,
    pub src: String,
}

/// One TLS ClientHello fingerprint with its server name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Hello {
    pub sni: String,
    pub ja3: String,
    pub ja4: String,
}

/// A credential with where it was seen.
pub struct Found {
    pub frame: u32,
    pub ts_ns: i64,
    pub client: String,
    pub server: String,
    pub cred: Credential,
}

/// A credential's identity for listing it once: protocol, username, domain, secret.
type CredKey = (&'static str, Vec<u8>, Vec<u8>, Vec<u8>);

/// An interface of the input (pcapng interface name, or the file's link type).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Interface {
    pub name: String,
    pub linktype: u32,
}

#[derive(Default)]
pub struct Collected {
    pub files: Vec<(String, Option<u64>)>,
    pub packets: u64,
    /// Bytes on the wire (`frame.len`) and captured (`frame.cap_len`).
    pub bytes: u64,
    pub captured_bytes: u64,
    pub first_ns: Option<i64>,
    pub last_ns: Option<i64>,
    /// Packets whose time is before the packet before them.
    pub out_of_order: u64,
    /// Packets cut short by the snapshot length.
    pub truncated: u64,
    pub interfaces: Counter<Interface>,
    pub timeline: Timeline,
    // The seed's sections.
    pub conversations: Counter<Pair>,
    /// Bytes per pair, beside `conversations`' packet counts (same index).
    pub conversation_bytes: Vec<u64>,
    pub dns_queries: Vec<SeedQuery>,
    pub dns_query_total: u64,
    /// The seed's `protocol_distribution`: (TCP?, destination port) → packets.
    pub distribution: Counter<(bool, u16)>,
    pub variance: Variance,
    // Ours.
    pub endpoints: EndpointTable,
    pub endpoint_keys_dropped: u64,
    pub phs: Phs,
    pub dns_names: Counter<String>,
    pub dns_types: Counter<u64>,
    pub dns_responses: u64,
    pub dns_nxdomain: u64,
    pub hellos: Counter<Hello>,
    pub server_names: Counter<String>,
    pub http_requests: u64,
    pub http_hosts: Counter<String>,
    pub http_user_agents: Counter<String>,
    pub http_methods: Counter<String>,
    pub http_status: Counter<u64>,
    pub credentials: Vec<Found>,
    pub credentials_dropped: u64,
    pub sinks: Vec<Sink>,
    pub rita: Aggregator,
    pub names: Names,
    pub untracked_packets: u64,
    /// A read error after the packets before it were counted (tshark's message).
    pub read_error: Option<String>,
}

/// The fields the sections need; any field of an application protocol makes TCP reassemble
/// and hand that protocol its payloads.
fn wanted() -> Vec<pcaptk_dissect::FieldId> {
    let mut w = phs::FIELDS.to_vec();
    w.extend([
        ip::LEN,
        ip::SRC,
        ip::DST,
        ipv6::PLEN,
        ipv6::SRC,
        ipv6::DST,
        tcp::FLAGS,
        tcp::LEN,
        tcp::SRCPORT,
        tcp::DSTPORT,
        udp::SRCPORT,
        udp::DSTPORT,
        icmp::TYPE,
        icmpv6::TYPE,
        dns::FLAGS_RESPONSE,
        dns::FLAGS_RCODE,
        dns::QRY_NAME,
        dns::QRY_TYPE,
        dns::A,
        dns::AAAA,
        tls::HS_TYPE,
        tls::SNI,
        tls::JA3,
        tls::JA4,
        http::REQUEST_METHOD,
        http::HOST,
        http::USER_AGENT,
        http::RESPONSE_CODE,
        ftp::PROTO,
        pop::PROTO,
        imap::PROTO,
        smtp::PROTO,
        nbss::PROTO,
        smb2::PROTO,
        ntlmssp::PROTO,
        ftp_data::PROTO,
        tftp::PROTO,
    ]);
    w
}

/// The protocols whose objects are listed (DICOM carves nothing yet).
const OBJECT_PROTOCOLS: [Proto; 5] = [Proto::Http, Proto::Smb, Proto::Tftp, Proto::FtpData, Proto::Imf];

/// How the run ended.
pub enum Outcome {
    Done,
    /// The capture could not be opened: tshark's message.
    OpenError(String),
}

pub fn run(cfg: Config) -> (Collected, Outcome) {
    let mut dissector = Dissector::new(wanted());
    let mut protos = Protocols::default();
    for p in OBJECT_PROTOCOLS {
        protos.insert(p);
    }
    dissector.export(protos, OBJECT_CAP as usize);
    let mut tree = Tree { record_taps: true, record_creds: true, ..Tree::default() };
    let mut c = Collected {
        conversations: Counter::with_cap(MAX_ADDRESS_KEYS),
        files: cfg.inputs.iter().map(|p| (p.clone(), std::fs::metadata(p).ok().filter(|m| m.is_file()).map(|m| m.len()))).collect(),
        ..Collected::default()
    };
    for p in OBJECT_PROTOCOLS {
        let (dir, write) = match &cfg.objects_dir {
            Some(d) => (d.join(p.name()), true),
            None => (PathBuf::from(p.name()), false),
        };
        c.sinks.push(Sink::new(p, dir, write, OBJECT_CAP));
    }
    let scope = cfg.scope;
    let mut tracker = Tracker::default();
    let mut seen_creds: std::collections::HashSet<CredKey> = Default::default();
    let mut reader = MultiReader::new(cfg.inputs);
    let mut progress = Progress::new(cfg.progress);
    let mut number: u32 = 0;
    let mut last_interface = usize::MAX;
    loop {
        if cfg.count.is_some_and(|n| c.packets >= n) {
            break;
        }
        let pkt = match reader.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(e) => {
                if number == 0 && e.before_open() {
                    return (c, Outcome::OpenError(e.to_string()));
                }
                c.read_error = Some(e.to_string());
                break;
            }
        };
        number = number.wrapping_add(1);
        let meta = FrameMeta::of(number, &pkt);
        dissector.dissect(&meta, pkt.data, &mut tree);
        let len = pkt.len as u64;
        let data = pkt.data;

        // The capture.
        c.packets += 1;
        c.bytes += len;
        c.captured_bytes += data.len() as u64;
        if (data.len() as u64) < len {
            c.truncated += 1;
        }
        if c.last_ns.is_some_and(|l| pkt.ts_ns < l) {
            c.out_of_order += 1;
        }
        c.first_ns = Some(c.first_ns.map_or(pkt.ts_ns, |f| f.min(pkt.ts_ns)));
        c.last_ns = Some(c.last_ns.map_or(pkt.ts_ns, |l| l.max(pkt.ts_ns)));
        // Consecutive packets mostly share an interface: count them without building its key.
        match c.interfaces.rows.get_mut(last_interface) {
            Some((i, n)) if i.linktype == pkt.linktype && i.name == pkt.interface_name => *n += 1,
            _ => {
                let key = Interface { name: pkt.interface_name.to_string(), linktype: pkt.linktype };
                last_interface = c.interfaces.add(&key, 1).unwrap_or(usize::MAX);
            }
        }
        c.timeline.add(pkt.ts_ns, len);

        let view = tree.view(data);

        // The seed's sections read the first IPv4 header and the first TCP or UDP header
        // (scapy's `pkt[IP]`, `pkt[TCP]`), and `len(pkt)`, the captured length.
        let first_v4 = tree.taps.iter().find_map(|t| match t {
            Tap::Ip { src, dst } => Some((Ipv4Addr::from(*src), Ipv4Addr::from(*dst))),
            _ => None,
        });
        let first_l4 = tree.taps.iter().find_map(|t| match t {
            Tap::Tcp { sport, dport, .. } => Some((true, *sport, *dport)),
            Tap::Udp { sport, dport, .. } => Some((false, *sport, *dport)),
            _ => None,
        });
        if let Some((src, dst)) = first_v4 {
            let (s, d) = (u32::from(src), u32::from(dst));
            let pair = if s <= d { Pair(s, d) } else { Pair(d, s) };
            if let Some(i) = c.conversations.add(&pair, 1) {
                if i == c.conversation_bytes.len() {
                    c.conversation_bytes.push(0);
                }
                c.conversation_bytes[i] += data.len() as u64;
            }
            if let Some((true, _, dport)) = first_l4 {
                c.variance.packet(variance::Key { src, dst, port: dport }, pkt.ts_ns as f64 / 1e9);
            }
        }
        if let Some((is_tcp, _, dport)) = first_l4 {
            c.distribution.add(&(is_tcp, dport), 1);
        }
        seed_dns(&mut c, &view, first_v4.map(|v| v.0), first_l4, cfg.dns_limit);

        // Endpoints: the outermost IPv4 or IPv6 header.
        for t in &tree.taps {
            let (s, d) = match t {
                Tap::Ip { src, dst } => (Addr::v4(*src), Addr::v4(*dst)),
                Tap::Ipv6 { src, dst } => (Addr::v6(*src), Addr::v6(*dst)),
                _ => continue,
            };
            if c.endpoints.rows.len() + 2 > MAX_ADDRESS_KEYS {
                c.endpoint_keys_dropped += 1;
            } else {
                c.endpoints.add(number, End { addr: s, port: 0 }, End { addr: d, port: 0 }, len);
            }
            break;
        }

        // The protocol hierarchy, as tshark's io,phs counts it.
        let mut path: Vec<&str> = Vec::with_capacity(16);
        if !pkt.comments.is_empty() {
            path.push("pkt_comment");
        }
        let extra = phs::Extra::of(&view, false);
        if phs::top_level(dissector.protocol_path(), extra, (data.len() as u64) < len, &mut path) {
            c.phs.add(path.iter().copied(), len);
        }

        // DNS, TLS and HTTP summaries.
        let response = view.iter(dns::FLAGS_RESPONSE).next().map(|i| matches!(i.value, Value::Bool(true) | Value::U(1..)));
        match response {
            Some(false) => {
                if let Some(Value::Str(q)) = view.iter(dns::QRY_NAME).next().map(|i| i.value) {
                    c.dns_names.add(&view.str(q).to_string(), 1);
                }
                if let Some(Value::U(t)) = view.iter(dns::QRY_TYPE).next().map(|i| i.value) {
                    c.dns_types.add(&t, 1);
                }
            }
            Some(true) => {
                c.dns_responses += 1;
                if view.iter(dns::FLAGS_RCODE).next().is_some_and(|i| i.value == Value::U(3)) {
                    c.dns_nxdomain += 1;
                }
            }
            None => {}
        }
        let s = |id| match view.iter(id).next().map(|i| i.value) {
            Some(Value::Str(sp)) => view.str(sp).to_string(),
            _ => String::new(),
        };
        if view.iter(tls::HS_TYPE).any(|i| i.value == Value::U(1)) {
            let hello = Hello { sni: s(tls::SNI), ja3: s(tls::JA3), ja4: s(tls::JA4) };
            if !hello.sni.is_empty() {
                c.server_names.add(&hello.sni, 1);
            }
            c.hellos.add(&hello, 1);
        }
        for m in view.iter(http::REQUEST_METHOD) {
            if let Value::Str(sp) = m.value {
                c.http_requests += 1;
                c.http_methods.add(&view.str(sp).to_string(), 1);
            }
        }
        for (id, table) in [(http::HOST, &mut c.http_hosts), (http::USER_AGENT, &mut c.http_user_agents)] {
            for i in view.iter(id) {
                if let Value::Str(sp) = i.value {
                    table.add(&view.str(sp).to_string(), 1);
                }
            }
        }
        for i in view.iter(http::RESPONSE_CODE) {
            if let Value::U(code) = i.value {
                c.http_status.add(&code, 1);
            }
        }

        // Credentials, as pcap-creds lists them (the first of each).
        let mut ends: Option<(String, String)> = None;
        for tap in &tree.taps {
            match tap {
                Tap::Tcp { src, dst, sport, dport, .. } | Tap::Udp { src, dst, sport, dport, .. } => {
                    ends = Some((endpoint(src, *sport), endpoint(dst, *dport)));
                }
                Tap::Credential(cred) => {
                    if !seen_creds.insert((cred.protocol, cred.username.clone(), cred.domain.clone(), cred.secret.clone())) {
                        continue;
                    }
                    if c.credentials.len() >= MAX_CREDENTIALS {
                        c.credentials_dropped += 1;
                        continue;
                    }
                    let (s, d) = ends.clone().unwrap_or_default();
                    let (client, server) = if cred.from_client { (s, d) } else { (d, s) };
                    c.credentials.push(Found { frame: number, ts_ns: pkt.ts_ns, client, server, cred: (**cred).clone() });
                }
                _ => {}
            }
        }

        // Transferred objects.
        if !tree.objects.is_empty() {
            let (src, dst) = addresses(&view);
            for obj in std::mem::take(&mut tree.objects) {
                if let Some(sink) = c.sinks.iter_mut().find(|s| s.proto == obj.proto) {
                    sink.add(obj, Origin { frame: number, src: src.clone(), dst: dst.clone() });
                }
            }
        }

        // RITA's connections, named by SNI, HTTP Host or DNS answers.
        if let Some(info) = packet_info(&tree, pkt.ts_ns) {
            if info.proto == pcap_beacon::conn::UDP && info.sport == 53 {
                dns_answers(&tree, data, &mut c.names);
            }
            let (agg, names) = (&mut c.rita, &mut c.names);
            let seen = tracker.packet(&info, names, &mut |conn| {
                if scope.keeps(&conn.orig, &conn.resp) {
                    agg.add(&conn)
                }
            });
            if let Some((data_index, name)) = seen {
                if info.proto == TCP && name == NO_NAME && (1..=NAMING_PACKETS).contains(&data_index) {
                    if let Some((n, source)) = app_name(&tree, data, names) {
                        tracker.name_flow(&info, n, source);
                    }
                }
            }
        }

        if number & 0xfff == 0 {
            progress.tick(reader.bytes_read(), reader.total_bytes());
        }
    }
    progress.finish();
    let agg = &mut c.rita;
    tracker.finish_all(&mut |conn| {
        if scope.keeps(&conn.orig, &conn.resp) {
            agg.add(&conn)
        }
    });
    c.untracked_packets = tracker.untracked_packets;
    for s in c.sinks.iter_mut() {
        s.finish();
    }
    (c, Outcome::Done)
}

/// "address:port", IPv6 in brackets.
fn endpoint(a: &NetAddr, port: u16) -> String {
    if a.family == 6 {
        format!("[{}]:{}", std::net::Ipv6Addr::from(a.bytes), port)
    } else {
        format!("{}.{}.{}.{}:{}", a.bytes[0], a.bytes[1], a.bytes[2], a.bytes[3], port)
    }
}

/// The seed's `dns_queries`: scapy dissects DNS on UDP port 53 or 5353 (either side) and TCP
/// port 53 of the packet's first TCP or UDP header, or, in an ICMP error, of the quoted UDP
/// header; a query (`qr == 0`) with a question is listed with its first question's name
/// (without the final dot), type and the packet's first IPv4 source ("unknown" without one).
fn seed_dns(c: &mut Collected, view: &pcaptk_dissect::tree::View, v4_src: Option<Ipv4Addr>, l4: Option<(bool, u16, u16)>, limit: usize) {
    let port = |id| match view.iter(id).next().map(|i| i.value) {
        Some(Value::U(p)) => Some(p as u16),
        _ => None,
    };
    // Without a TCP or UDP tap, a UDP header in the packet is one quoted by an ICMP error.
    let l4 = l4.or_else(|| Some((false, port(udp::SRCPORT)?, port(udp::DSTPORT)?)));
    let dns_port = match l4 {
        Some((false, s, d)) => [53, 5353].contains(&s) || [53, 5353].contains(&d),
        Some((true, s, d)) => s == 53 || d == 53,
        None => false,
    };
    if !dns_port {
        return;
    }
    if !view.iter(dns::FLAGS_RESPONSE).next().is_some_and(|i| matches!(i.value, Value::Bool(false) | Value::U(0))) {
        return;
    }
    let Some(Value::Str(q)) = view.iter(dns::QRY_NAME).next().map(|i| i.value) else { return };
    c.dns_query_total += 1;
    if c.dns_queries.len() >= limit {
        return;
    }
    let name = view.str(q);
    let query = if name == "<Root>" { String::new() } else { name.trim_end_matches('.').to_string() };
    let qtype = match view.iter(dns::QRY_TYPE).next().map(|i| i.value) {
        Some(Value::U(t)) => t,
        _ => 0,
    };
    let src = v4_src.map_or_else(|| "unknown".to_string(), |a| a.to_string());
    c.dns_queries.push(SeedQuery { query, qtype, src });
}
