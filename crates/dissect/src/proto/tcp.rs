//! TCP: header, options, stream numbering, relative sequence numbers, per-stream times.
crate::declare_fields! {
    after = super::icmpv6::END;
    PROTO = "tcp", "Transmission Control Protocol", Protocol, None;
    SRCPORT = "tcp.srcport", "Source Port", U16, Dec;
    DSTPORT = "tcp.dstport", "Destination Port", U16, Dec;
    PORT = "tcp.port", "Source or Destination Port", U16, Dec;
    STREAM = "tcp.stream", "Stream index", U32, Dec;
    COMPLETENESS = "tcp.completeness", "Conversation completeness", U8, Dec;
    LEN = "tcp.len", "TCP Segment Len", U32, Dec;
    SEQ = "tcp.seq", "Sequence Number", U32, Dec;
    SEQ_RAW = "tcp.seq_raw", "Sequence Number (raw)", U32, Dec;
    NXTSEQ = "tcp.nxtseq", "Next Sequence Number", U32, Dec;
    ACK = "tcp.ack", "Acknowledgment Number", U32, Dec;
    ACK_RAW = "tcp.ack_raw", "Acknowledgment number (raw)", U32, Dec;
    HDR_LEN = "tcp.hdr_len", "Header Length", U8, Dec;
    FLAGS = "tcp.flags", "Flags", U16, Hex, mask = 0x0fff;
    FLAGS_RES = "tcp.flags.res", "Reserved", Boolean, None, mask = 0x0e00, tfs = ("Set", "Not set");
    FLAGS_AE = "tcp.flags.ae", "Accurate ECN", Boolean, None, mask = 0x0100, tfs = ("Set", "Not set");
    FLAGS_CWR = "tcp.flags.cwr", "Congestion Window Reduced", Boolean, None, mask = 0x0080, tfs = ("Set", "Not set");
    FLAGS_ECE = "tcp.flags.ece", "ECN-Echo", Boolean, None, mask = 0x0040, tfs = ("Set", "Not set");
    FLAGS_URG = "tcp.flags.urg", "Urgent", Boolean, None, mask = 0x0020, tfs = ("Set", "Not set");
    FLAGS_ACK = "tcp.flags.ack", "Acknowledgment", Boolean, None, mask = 0x0010, tfs = ("Set", "Not set");
    FLAGS_PUSH = "tcp.flags.push", "Push", Boolean, None, mask = 0x0008, tfs = ("Set", "Not set");
    FLAGS_RESET = "tcp.flags.reset", "Reset", Boolean, None, mask = 0x0004, tfs = ("Set", "Not set");
    FLAGS_SYN = "tcp.flags.syn", "Syn", Boolean, None, mask = 0x0002, tfs = ("Set", "Not set");
    FLAGS_FIN = "tcp.flags.fin", "Fin", Boolean, None, mask = 0x0001, tfs = ("Set", "Not set");
    FLAGS_STR = "tcp.flags.str", "TCP Flags", String, None;
    WINDOW_SIZE_VALUE = "tcp.window_size_value", "Window", U16, Dec;
    WINDOW_SIZE = "tcp.window_size", "Calculated window size", U32, Dec;
    WINDOW_SIZE_SCALEFACTOR = "tcp.window_size_scalefactor", "Window size scaling factor", I32, Dec;
    CHECKSUM = "tcp.checksum", "Checksum", U16, Hex;
    CHECKSUM_STATUS = "tcp.checksum.status", "Checksum Status", U8, None;
    URGENT_POINTER = "tcp.urgent_pointer", "Urgent Pointer", U16, Dec;
    OPTIONS = "tcp.options", "TCP Options", Bytes, None;
    OPTION_KIND = "tcp.option_kind", "Kind", U8, Dec;
    OPTION_LEN = "tcp.option_len", "Length", U8, Dec;
    MSS_VAL = "tcp.options.mss_val", "MSS Value", U16, Dec;
    WSCALE_SHIFT = "tcp.options.wscale.shift", "Shift count", U8, Dec;
    WSCALE_MULTIPLIER = "tcp.options.wscale.multiplier", "Multiplier", U16, Dec;
    SACK_LE = "tcp.options.sack_le", "TCP SACK Left Edge", U32, Dec;
    SACK_RE = "tcp.options.sack_re", "TCP SACK Right Edge", U32, Dec;
    TSVAL = "tcp.options.timestamp.tsval", "Timestamp value", U32, Dec;
    TSECR = "tcp.options.timestamp.tsecr", "Timestamp echo reply", U32, Dec;
    TIME_RELATIVE = "tcp.time_relative", "Time since first frame in this TCP stream", RelTime, None;
    TIME_DELTA = "tcp.time_delta", "Time since previous frame in this TCP stream", RelTime, None;
    PAYLOAD = "tcp.payload", "TCP payload", Bytes, None;
    SEGMENT = "tcp.segment", "TCP Segment", FrameNum, None;
    SEGMENTS = "tcp.segments", "Reassembled TCP Segments", None, None;
    SEGMENT_COUNT = "tcp.segment.count", "Segment count", U32, Dec;
    REASSEMBLED_LENGTH = "tcp.reassembled.length", "Reassembled TCP length", U32, Dec;
    REASSEMBLED_DATA = "tcp.reassembled.data", "Reassembled TCP Data", Bytes, None;
    // tshark registers some options as protocols; their value renders as the option's bytes.
    SACK_PERM = "tcp.options.sack_perm", "TCP SACK Permitted Option", Protocol, None;
}

use crate::cx::{Bytes, ConvKey, Cx, NetAddr};
use crate::reasm::{self, Deseg};
use crate::tree::{Span, Value};

/// Most streams remembered at once (the table then fills 2^20 slots of about 110 bytes:
/// about 180 MB measured, plus about 300 bytes per stream that carried data); past it
/// the table is cleared and numbering goes on (documented limit: a capture with more live
/// streams than this is renumbered only for 4-tuples seen again after the reset, and their
/// unfinished PDUs are dropped).
pub const MAX_STREAMS: usize = 900_000;

#[derive(Clone, Copy)]
struct Flow {
    base_seq: u32,
    base_set: bool,
    /// -1 unknown, -2 no scaling, else the shift.
    win_scale: i8,
}

const FRESH_FLOW: Flow = Flow { base_seq: 0, base_set: false, win_scale: -1 };

/// Sequence analysis of one direction (tshark's `tcp_analyze_seq_info`), raw numbers; kept
/// only for streams that carry more than a SYN, when an application protocol is needed.
#[derive(Clone, Copy, Default)]
struct SeqFlow {
    nextseq: u32,
    nextseq_set: bool,
    nextseq_time: i64,
    lastack: u32,
    lastack_time: i64,
    dupacks: u32,
    window: u16,
}

/// Application-layer state of a stream, allocated when a payload is first handed over.
#[derive(Default)]
struct Conv {
    seq: [SeqFlow; 2],
    flows: [reasm::Flow; 2],
    /// The dissector a heuristic (or another dissector) bound the conversation to.
    app: Option<App>,
    http: crate::proto::http::Conv,
    tls: crate::proto::tls::Conv,
    smb2: crate::proto::smb2::Conv,
    mail: Mail,
}

/// State of the line-based protocols (FTP and mail) and NTLM pairing for SMB.
#[derive(Default)]
struct Mail {
    ftp: crate::proto::ftp::Conv,
    pop: crate::proto::pop::Conv,
    imap: crate::proto::imap::Conv,
    smtp: crate::proto::smtp::Conv,
    ntlm: crate::proto::ntlmssp::Pairing,
    smb: crate::proto::smb::Conv,
    telnet: crate::proto::telnet::Conv,
    ssh: crate::proto::ssh::Conv,
    socks: crate::proto::socks::Conv,
    mysql: crate::proto::mysql::Conv,
    pgsql: crate::proto::pgsql::Conv,
    irc: crate::proto::irc::Conv,
    ajp13: crate::proto::ajp13::Conv,
    /// The dissector a heuristic bound the connection a SOCKS proxy carries to.
    socks_bound: Option<App>,
    /// The reassembly of the proxied connection, per direction.
    socks_flows: Option<Box<[reasm::Flow; 2]>>,
    /// Set while the proxied connection is dissected (SOCKS is not tried again inside).
    in_socks: bool,
}

/// Application protocols TCP hands payloads to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum App {
    Http,
    Tls,
    Dns,
    Ftp,
    Pop,
    Imap,
    Smtp,
    Ldap,
    /// Read only for the credentials tap; otherwise data.
    Kerberos,
    Telnet,
    Tds,
    Mqtt,
    Pgsql,
    Bgp,
    Ssh,
    Sip,
    /// NetBIOS session service; `true` on port 445 (24-bit lengths).
    Nbss(bool),
    /// A data connection an FTP control connection announced.
    FtpData(crate::proto::ftp_data::DataKey),
    /// DCE-RPC (tshark's heuristic: a connection-oriented header).
    Dcerpc,
    /// One of the protocols of `proto::apps`.
    Ext(crate::proto::apps::Tcp),
    /// A port tshark gives to a dissector we do not have: the payload stays data.
    Other,
}

struct Stream {
    index: u32,
    /// Endpoint that sent the first packet (direction 0).
    first: (NetAddr, u16),
    flows: [Flow; 2],
    first_ts: i64,
    prev_ts: i64,
    completeness: u8,
    /// Destination port of the first SYN (tshark tries it first for the payload).
    server_port: u16,
    conv: Option<Box<Conv>>,
}

/// Per-capture TCP state.
pub struct Streams {
    /// False when the command needs no field that depends on stream state.
    enabled: bool,
    /// True when the command needs an application protocol over TCP (reassembly on).
    apps: bool,
    /// When only some application protocols are needed and no TCP field needs every
    /// conversation, those protocols (`tcp_app` bits), so that conversations that cannot
    /// carry one are left alone (see `carries`).
    needed: Option<Needed>,
    map: crate::cx::FastMap<ConvKey, Stream>,
    next_index: u32,
    limits: reasm::Limits,
    /// When kept (a sharded run that renumbers streams), the frame number each stream began
    /// in, by stream index.
    pub(crate) births: Option<Vec<u32>>,
}

impl Streams {
    pub fn new(want: &[bool]) -> Self {
        let w = |id: crate::field::FieldId| want.get(id.index()).copied().unwrap_or(false);
        let apps = crate::proto::app_fields_wanted(want);
        let stream_fields =
            [STREAM, COMPLETENESS, SEQ, NXTSEQ, ACK, WINDOW_SIZE, WINDOW_SIZE_SCALEFACTOR, TIME_RELATIVE, TIME_DELTA]
                .into_iter()
                .any(w);
        let enabled = apps || stream_fields;
        let needed = match crate::proto::tcp_apps_needed(want) {
            Some(mask) if apps && !stream_fields => Some(Needed::new(mask, false)),
            _ => None,
        };
        Streams {
            enabled,
            apps,
            needed,
            map: Default::default(),
            next_index: 0,
            limits: reasm::Limits::default(),
            births: None,
        }
    }
}

/// The application protocols a command needs, and each port's (`tcp_app` bits).
struct Needed {
    mask: u16,
    /// Set by the tool itself (`Dissector::only_tcp_apps`): holds even when taps, exports
    /// or credentials are recorded. Otherwise those see every conversation.
    explicit: bool,
    by_port: Box<[u16]>,
}

impl Needed {
    fn new(mask: u16, explicit: bool) -> Needed {
        let mut by_port = vec![0u16; 65536].into_boxed_slice();
        for (port, bit) in by_port.iter_mut().enumerate() {
            *bit = crate::ports::tcp(port as u16).map_or(0, crate::proto::tcp_app::of);
        }
        Needed { mask, explicit, by_port }
    }
}

impl Streams {
    /// Keeps state only for conversations that can carry one of these protocols
    /// (`tcp_app` bits), whatever else the command records.
    pub fn only_apps(&mut self, mask: u16) {
        self.needed = Some(Needed::new(mask, true));
    }

    /// Bytes held in unfinished PDUs.
    pub fn held_bytes(&self) -> usize {
        self.limits.held
    }
    /// Conversations in the table.
    pub fn len(&self) -> usize {
        self.map.len()
    }
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

const FLAG_CHARS: &[u8; 12] = b"RRRNCEUAPRSF";

/// TCP header at `off`; the segment ends at `end` (reported length).
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    // Nothing TCP finds can show: no field, no tap record, no payload handed on.
    if !cx.st.tcp_taps && cx.transport_only() && !cx.wants_any(PROTO, END) {
        return;
    }
    cx.proto(PROTO, "tcp", b.span_to(off, end));
    let (Some(sport), Some(dport)) = (b.be16(off), b.be16(off + 2)) else { return };
    let r = b.span(off, 2);
    cx.label(PROTO, || format!("Transmission Control Protocol, Src Port: {}, Dst Port: {}", sport, dport));
    cx.u(SRCPORT, sport, r);
    cx.u(DSTPORT, dport, b.span(off + 2, 2));
    cx.destport = dport;
    cx.u(PORT, sport, r);
    cx.u(PORT, dport, b.span(off + 2, 2));
    if cx.in_error {
        // The copy of a segment quoted by an ICMP error: the stream it belongs to (when
        // known), raw numbers, no state change.
        // (tshark looks the stream up only when the whole basic header was quoted.)
        if cx.st.tcp.enabled && b.len() >= off + 20 {
            if let Some(s) = stream_mut(cx, sport, dport) {
                let index = s.index;
                cx.u(STREAM, index, Span::EMPTY);
            }
        }
        if let Some(seq) = b.be32(off + 4) {
            cx.u(SEQ, seq, b.span(off + 4, 4));
            cx.u(SEQ_RAW, seq, b.span(off + 4, 4));
        }
        if let Some(ack) = b.be32(off + 8) {
            cx.u(ACK, ack, b.span(off + 8, 4));
            cx.u(ACK_RAW, ack, b.span(off + 8, 4));
        }
        if let Some(hw) = b.be16(off + 12) {
            cx.u(HDR_LEN, (hw >> 12) as u64 * 4, b.span(off + 12, 1));
            flag_fields(cx, hw & 0x0fff, b.span(off + 12, 2));
        }
        if let Some(w) = b.be16(off + 14) {
            cx.u(WINDOW_SIZE_VALUE, w, b.span(off + 14, 2));
        }
        return;
    }
    let (Some(seq), Some(ack), Some(hw)) = (b.be32(off + 4), b.be32(off + 8), b.be16(off + 12)) else {
        return cx.bounds_error(off + 20, end);
    };
    let hl = (hw >> 12) as usize * 4;
    let flags = hw & 0x0fff;
    let syn = flags & 0x02 != 0;
    let has_ack = flags & 0x10 != 0;
    let fin = flags & 0x01 != 0;
    // A header length below 20 or beyond the segment: tshark shows raw numbers and no length.
    // The same for the first fragment of a datagram tshark did not reassemble.
    let bad_hl = hl < 20 || off + hl > end || cx.fragmented;
    // Options running past the segment: tshark notes a short segment and throws in them.
    let short_seg = hl > 20 && off + hl > end && !cx.fragmented;
    let seglen = end.saturating_sub(off + hl) as u32;

    // Stream state (conversation lookup, relative numbers).
    let mut rel_seq = seq;
    let mut rel_ack = ack;
    let mut stream_info = None;
    // tshark does not hand this segment's payload on (retransmission, keep-alive, ...).
    let mut no_payload = Skip::No;
    if cx.st.tcp.enabled && carries(cx, sport, dport) {
        let (ts, number) = (cx.meta.ts_ns, cx.meta.number);
        let (src, dst) = ((cx.src, sport), (cx.dst, dport));
        let key = ConvKey::new(src, dst);
        let tcp = &mut cx.st.tcp;
        if tcp.map.len() >= MAX_STREAMS && !tcp.map.contains_key(&key) {
            tcp.map.clear();
            tcp.limits.held = 0;
        }
        let fresh = |index: u32| Stream {
            index,
            first: src,
            flows: [FRESH_FLOW; 2],
            first_ts: ts,
            prev_ts: ts,
            completeness: 0,
            server_port: if syn && !has_ack { dport } else { 0 },
            conv: None,
        };
        let s = match tcp.map.get_mut(&key) {
            Some(s) => {
                let dir = if s.first == src { 0 } else { 1 };
                // A new SYN with another ISN on a known 4-tuple starts a new stream (port reuse).
                if syn && !has_ack && s.flows[dir].base_set && s.flows[dir].base_seq != seq {
                    if let Some(c) = &s.conv {
                        let inner = c.mail.socks_flows.iter().flat_map(|f| f.iter());
                        for f in c.flows.iter().chain(inner) {
                            reasm::release(f, &mut tcp.limits);
                        }
                    }
                    let index = begin(&mut tcp.next_index, &mut tcp.births, number);
                    *s = fresh(index);
                }
                if syn && !has_ack && s.server_port == 0 {
                    s.server_port = dport;
                }
                s
            }
            None => {
                let index = begin(&mut tcp.next_index, &mut tcp.births, number);
                tcp.map.entry(key).or_insert(fresh(index))
            }
        };
        let dir = if s.first == src { 0 } else { 1 };
        let completeness = s.completeness;
        let time_rel = ts - s.first_ts;
        let time_delta = ts - s.prev_ts;
        s.prev_ts = ts;
        if !bad_hl {
            s.completeness |= if syn && has_ack {
                2
            } else if syn {
                1
            } else if flags & 0x04 != 0 {
                32
            } else if fin {
                16
            } else if seglen > 0 {
                8
            } else if has_ack {
                4
            } else {
                0
            };
            // Every SYN sets its direction's base; otherwise the first segment seen does
            // (so that it shows relative sequence number 1).
            let fwd = &mut s.flows[dir];
            if syn {
                fwd.base_seq = seq;
                fwd.base_set = true;
            } else if !fwd.base_set {
                fwd.base_seq = seq.wrapping_sub(1);
                fwd.base_set = true;
            }
            let fwd_base = fwd.base_seq;
            let rev = &mut s.flows[1 - dir];
            if !rev.base_set && has_ack {
                rev.base_seq = ack.wrapping_sub(1);
                rev.base_set = true;
            }
            rel_seq = seq.wrapping_sub(fwd_base);
            if has_ack {
                rel_ack = ack.wrapping_sub(s.flows[1 - dir].base_seq);
            }
            // Half-open streams (a SYN alone) cost no analysis state.
            if tcp.apps && !(syn && !has_ack && seglen == 0 && s.conv.is_none()) {
                let window = b.be16(off + 14).unwrap_or(0);
                let conv = s.conv.get_or_insert_with(Default::default);
                no_payload = analyze(&mut conv.seq, dir, seq, ack, seglen, flags, window, ts);
            }
        }
        stream_info = Some((s.index, completeness, time_rel, time_delta, dir));
    }

    // tshark's tap: a header of at least 20 bytes, all of it within the segment's captured bytes.
    if hl >= 20 && off + hl <= end.min(b.len()) {
        let stream = stream_info.map_or(u32::MAX, |s| s.0);
        cx.tap(crate::tap::Tap::Tcp { src: cx.src, dst: cx.dst, sport, dport, stream });
    }
    if let Some((index, completeness, ..)) = stream_info {
        cx.u(STREAM, index, Span::EMPTY);
        cx.u(COMPLETENESS, completeness, Span::EMPTY);
    }
    if !bad_hl {
        cx.u(LEN, seglen, Span::EMPTY);
    }
    // Stream state that only numbers streams (no application protocol, no stream times).
    let index_only =
        stream_info.is_none() || !(cx.st.tcp.apps || cx.wants(TIME_RELATIVE) || cx.wants(TIME_DELTA));
    if index_only && !cx.wants_any(LEN, PAYLOAD.0) && !cx.wants(SACK_PERM) {
        // No header field past the ports is wanted and no stream state beyond the index
        // kept: straight on to the payload (past the checks the header fields would end on).
        if bad_hl || b.len() < off + hl {
            if !bad_hl || b.len() < off + 20 || short_seg {
                // The header cut off by the snapshot length: tshark's dissector throws.
                cx.bounds_error(off + hl.max(20), end);
            }
            return;
        }
        let dir = stream_info.map(|s| s.4);
        return after_header(cx, b, off, end, hl, seglen, (sport, dport), fin, syn, seq, dir, no_payload);
    }
    cx.u(SEQ, rel_seq, b.span(off + 4, 4));
    cx.u(SEQ_RAW, seq, b.span(off + 4, 4));
    if !bad_hl {
        let next = rel_seq.wrapping_add(seglen).wrapping_add(syn as u32).wrapping_add(fin as u32);
        cx.u(NXTSEQ, next, Span::EMPTY);
    }
    cx.u(ACK, rel_ack, b.span(off + 8, 4));
    cx.u(ACK_RAW, ack, b.span(off + 8, 4));
    cx.u(HDR_LEN, hl as u64, b.span(off + 12, 1));
    flag_fields(cx, flags, b.span(off + 12, 2));
    let Some(window) = b.be16(off + 14) else { return cx.bounds_error(off + 20, end) };
    cx.u(WINDOW_SIZE_VALUE, window, b.span(off + 14, 2));
    if bad_hl {
        if b.len() < off + 20 {
            cx.bounds_error(off + 20, end);
        } else if short_seg {
            cx.bounds_error(off + hl, end);
        } else if cx.fragmented && hl >= 20 && off + hl < end && b.len() >= off + hl && !cx.transport_only() {
            // The first fragment of a datagram tshark did not reassemble: its payload goes
            // to the port's dissector as it is, without reassembly.
            let (lo, hi) = if sport <= dport { (sport, dport) } else { (dport, sport) };
            if crate::ports::tcp(lo).or_else(|| crate::ports::tcp(hi)) == Some("bgp") {
                crate::proto::bgp::dissect_unreassembled(cx, b, off + hl, end);
            }
        }
        return;
    }

    // Options first (a SYN's window scale is recorded before the window is computed).
    let opt_end = (off + hl).min(b.len());
    let mut shift = None;
    if hl > 20 && opt_end > off + 20 {
        cx.add(OPTIONS, Value::Bytes(b.span(off + 20, opt_end - off - 20)), b.span(off + 20, opt_end - off - 20));
        shift = options(cx, b, off + 20, opt_end);
    }
    let dir = stream_info.map(|s| s.4).unwrap_or(0);
    let mut scale = None;
    // The window scale is followed only for the fields that show it (a second lookup).
    if stream_info.is_some() && (cx.wants(WINDOW_SIZE) || cx.wants(WINDOW_SIZE_SCALEFACTOR)) {
        if let Some(s) = stream_mut(cx, sport, dport) {
            if syn {
                s.flows[dir].win_scale = match shift {
                    Some(v) => v.min(14) as i8,
                    None => -2,
                };
                if has_ack && (shift.is_none() || s.flows[1 - dir].win_scale < 0) {
                    s.flows[0].win_scale = -2;
                    s.flows[1].win_scale = -2;
                }
            } else {
                scale = Some(s.flows[dir].win_scale);
            }
        }
    }
    let calc = match scale {
        Some(s) if s >= 0 => (window as u32) << s,
        _ => window as u32,
    };
    cx.u(WINDOW_SIZE, calc, b.span(off + 14, 2));
    if let Some(s) = scale {
        let f = if s >= 0 { 1i64 << s } else { s as i64 };
        cx.add(WINDOW_SIZE_SCALEFACTOR, Value::I(f), Span::EMPTY);
    }
    let Some(ck) = b.be16(off + 16) else { return cx.bounds_error(off + 20, end) };
    cx.u(CHECKSUM, ck, b.span(off + 16, 2));
    cx.u(CHECKSUM_STATUS, 2u8, Span::EMPTY);
    let Some(urg) = b.be16(off + 18) else { return cx.bounds_error(off + 20, end) };
    cx.u(URGENT_POINTER, urg, b.span(off + 18, 2));
    if let Some((_, _, rel, delta, _)) = stream_info {
        cx.add(TIME_RELATIVE, Value::Time(rel), Span::EMPTY);
        cx.add(TIME_DELTA, Value::Time(delta), Span::EMPTY);
    }
    if b.len() < off + hl {
        // Options cut off by the snapshot length: tshark's dissector throws in them.
        return cx.bounds_error(off + hl, end);
    }
    after_header(cx, b, off, end, hl, seglen, (sport, dport), fin, syn, seq, stream_info.map(|s| s.4), no_payload)
}

/// The segment's payload: `tcp.payload`, then reassembly and the application layer, or
/// DNS or data when no application protocol is followed.
#[allow(clippy::too_many_arguments)]
fn after_header(
    cx: &mut Cx,
    b: Bytes,
    off: usize,
    end: usize,
    hl: usize,
    seglen: u32,
    (sport, dport): (u16, u16),
    fin: bool,
    syn: bool,
    seq: u32,
    dir: Option<usize>,
    no_payload: Skip,
) {
    let pay_end = end.min(b.len());
    let p = off + hl;
    if off + hl < pay_end && seglen > 0 {
        let sp = b.span(p, pay_end - p);
        cx.add(PAYLOAD, Value::Bytes(sp), sp);
    }
    if cx.st.tcp.apps && !cx.in_error {
        if let Some(dir) = dir {
            if seglen > 0 || fin {
                // Data on a SYN (TCP Fast Open) starts after the SYN's own sequence number.
                let data_seq = if syn { seq.wrapping_add(1) } else { seq };
                payload(cx, b, p, end, data_seq, dir, (sport, dport), no_payload, fin);
            }
            return;
        }
    }
    if off + hl < pay_end && seglen > 0 && !cx.transport_only() {
        // DNS over TCP when the whole message is in this segment (no reassembly needed).
        let dns = crate::proto::dns::flavour(sport, dport).filter(|f| *f == crate::proto::dns::Flavour::Dns);
        match (dns, b.be16(p)) {
            (Some(fl), Some(len)) if p + 2 + len as usize == end && end <= b.len() => {
                crate::proto::dns::dissect_tcp(cx, b, p, end, fl, (sport, dport));
            }
            _ => crate::proto::data::dissect(cx, b, p, pay_end),
        }
    }
}

/// The index of a stream beginning in frame `number`, logged when births are kept (fields of
/// [`Streams`], borrowed apart from its map).
fn begin(next_index: &mut u32, births: &mut Option<Vec<u32>>, number: u32) -> u32 {
    if let Some(b) = births {
        b.push(number);
    }
    *next_index += 1;
    *next_index - 1
}

/// False when this command needs none of the protocols a conversation between these ports
/// can carry: tshark picks the dissector by port (either one), and tries its heuristics
/// (HTTP, TLS) only when neither port has one. Such a conversation gets no state at all.
/// Taps, exports and credentials see every conversation.
fn carries(cx: &Cx, sport: u16, dport: u16) -> bool {
    let Some(n) = &cx.st.tcp.needed else { return true };
    if !n.explicit && (cx.tree.record_taps || cx.tree.record_creds || !cx.st.export.is_empty()) {
        return true;
    }
    let (a, b) = (n.by_port[sport as usize], n.by_port[dport as usize]);
    let could = if a | b == 0 { crate::proto::tcp_app::HTTP | crate::proto::tcp_app::TLS } else { a | b };
    could & n.mask != 0
}

/// Why a segment's payload is not handed to the application layer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Skip {
    No,
    /// tshark's `tcp.analysis.retransmission`.
    Retransmission,
    /// tshark's `tcp.analysis.out_of_order`.
    OutOfOrder,
    /// Zero-window probe: shown as TCP only.
    Probe,
    /// Keep-alive: tshark's `decode_tcp_ports` shows its byte as `data`, never as the
    /// conversation's protocol.
    KeepAlive,
}

/// tshark's sequence analysis, as far as it decides whether a payload is dissected, and
/// the per-flow state it keeps (next expected sequence number, last ACK, duplicate ACKs).
#[allow(clippy::too_many_arguments)]
fn analyze(
    flows: &mut [SeqFlow; 2],
    dir: usize,
    seq: u32,
    ack: u32,
    seglen: u32,
    flags: u16,
    window: u16,
    ts: i64,
) -> Skip {
    let (syn, fin, rst, has_ack) = (flags & 0x02 != 0, flags & 0x01 != 0, flags & 0x04 != 0, flags & 0x10 != 0);
    let lt = |a: u32, b: u32| (a.wrapping_sub(b) as i32) < 0;
    let fwd = flows[dir];
    let rev = flows[1 - dir];
    let mut skip = Skip::No;
    let mut dupack = false;
    // Zero-window probe.
    if seglen == 1 && fwd.nextseq_set && seq == fwd.nextseq && rev.window == 0 && rev.lastack_time != 0 {
        skip = Skip::Probe;
    }
    // Keep-alive: 0 or 1 byte one before the next expected byte.
    let keepalive = seglen <= 1 && fwd.nextseq_set && seq == fwd.nextseq.wrapping_sub(1) && !(syn || fin || rst);
    if keepalive {
        skip = Skip::KeepAlive;
    }
    // Duplicate ACK.
    if seglen == 0
        && window != 0
        && window == fwd.window
        && fwd.nextseq_set
        && seq == fwd.nextseq
        && ack == fwd.lastack
        && !(syn || fin || rst)
    {
        dupack = true;
    }
    // Retransmission, fast retransmission, out of order, spurious retransmission.
    if (seglen > 0 || syn || fin) && !keepalive {
        let mut not_advanced = fwd.nextseq_set && lt(seq, fwd.nextseq);
        if seglen > 1 && fwd.nextseq.wrapping_sub(1) == seq {
            not_advanced = false;
        }
        let since_rev_ack = ts - rev.lastack_time;
        let fast = not_advanced && rev.dupacks >= 2 && rev.lastack == seq && since_rev_ack < 20_000_000;
        let since_next = ts - fwd.nextseq_time;
        let ooo = not_advanced
            && since_next < 3_000_000
            && fwd.nextseq != seq.wrapping_add(seglen).wrapping_add((syn || fin) as u32);
        // Spurious retransmissions (data the receiver already acknowledged) are not
        // dissected again either; tshark's spurious check does not need the sequence number
        // to go back: data the other side acknowledged before it was seen counts too. Nor
        // are out-of-order segments (`tcp.no_subdissector_on_error`); fast retransmissions
        // are.
        let spurious = seglen > 0 && rev.lastack != 0 && !lt(rev.lastack, seq.wrapping_add(seglen));
        // tshark checks for a spurious retransmission before out of order.
        if !fast && spurious {
            skip = Skip::Retransmission;
        } else if !fast && ooo {
            skip = Skip::OutOfOrder;
        } else if !fast && not_advanced {
            skip = Skip::Retransmission;
        }
    }
    // State updates.
    let mut nextseq = seq.wrapping_add(seglen);
    if seglen == 0 && (syn || fin) {
        nextseq = nextseq.wrapping_add(1);
    }
    let f = &mut flows[dir];
    if (!f.nextseq_set || lt(f.nextseq, nextseq)) && !matches!(skip, Skip::Probe | Skip::KeepAlive) {
        f.nextseq = nextseq;
        f.nextseq_set = true;
        f.nextseq_time = ts;
    }
    if dupack {
        f.dupacks += 1;
    } else {
        f.dupacks = 0;
    }
    f.window = window;
    if has_ack {
        f.lastack = ack;
    }
    f.lastack_time = ts;
    skip
}

/// Hands a segment's payload to the application layer through desegmentation.
#[allow(clippy::too_many_arguments)]
fn payload(
    cx: &mut Cx,
    b: Bytes,
    p: usize,
    end: usize,
    seq: u32,
    dir: usize,
    ports: (u16, u16),
    skip: Skip,
    fin: bool,
) {
    if skip == Skip::Probe {
        return;
    }
    let Some(s) = stream_mut(cx, ports.0, ports.1) else { return };
    let server_port = s.server_port;
    let mut conv = s.conv.take().unwrap_or_default();
    let mut limits = std::mem::take(&mut cx.st.tcp.limits);
    {
        let Conv { flows, app, http, tls, smb2, mail, .. } = &mut *conv;
        let sg = reasm::Segment {
            seq,
            off: p,
            end,
            retransmission: skip == Skip::Retransmission,
            out_of_order: skip == Skip::OutOfOrder,
            fin,
        };
        let fields = reasm::ReasmFields {
            segments: SEGMENTS,
            segment: SEGMENT,
            count: SEGMENT_COUNT,
            length: REASSEMBLED_LENGTH,
            data: REASSEMBLED_DATA,
        };
        cx.seg_fin = fin;
        let (lo, hi) = if ports.0 <= ports.1 { (ports.0, ports.1) } else { (ports.1, ports.0) };
        if skip == Skip::KeepAlive {
            let mut call = |cx: &mut Cx, b: Bytes, off: usize, end: usize| -> Option<Deseg> {
                if !cx.transport_only() {
                    crate::proto::data::dissect(cx, b, off, end.min(b.len()));
                }
                None
            };
            reasm::desegment(cx, b, sg, &mut flows[dir], &mut limits, fields, &mut call);
        } else if app.is_none() && port_dissector(server_port, lo, hi) == Some("socks") {
            // SOCKS reassembles nothing itself: every segment shows it. Once the proxied
            // connection starts, its payload goes through a reassembly of its own (tshark's
            // SOCKS calls TCP's payload handling again), as if on the remote port.
            let to_server = ports.1 == matched_port("socks", server_port, lo, hi);
            let mut remote = None;
            {
                let mut call = |cx: &mut Cx, b: Bytes, off: usize, end: usize| -> Option<Deseg> {
                    remote = crate::proto::socks::dissect(cx, b, off, end, to_server, &mut mail.socks);
                    None
                };
                reasm::desegment(cx, b, sg, &mut flows[dir], &mut limits, fields, &mut call);
            }
            if let Some(rport) = remote {
                let inner = if to_server { (ports.0, rport) } else { (rport, ports.1) };
                let mut inner_flows = mail.socks_flows.take().unwrap_or_default();
                let mut inner_bound = mail.socks_bound.take();
                mail.in_socks = true;
                let sg = reasm::Segment { seq, off: p, end, retransmission: false, out_of_order: false, fin };
                let mut call = |cx: &mut Cx, b: Bytes, off: usize, end: usize| -> Option<Deseg> {
                    application(cx, b, off, end, inner, 0, &mut inner_bound, http, tls, smb2, mail)
                };
                reasm::desegment(cx, b, sg, &mut inner_flows[dir], &mut limits, fields, &mut call);
                mail.in_socks = false;
                mail.socks_bound = inner_bound;
                mail.socks_flows = Some(inner_flows);
            }
        } else {
            let mut call = |cx: &mut Cx, b: Bytes, off: usize, end: usize| -> Option<Deseg> {
                application(cx, b, off, end, ports, server_port, app, http, tls, smb2, mail)
            };
            reasm::desegment(cx, b, sg, &mut flows[dir], &mut limits, fields, &mut call);
        }
        cx.seg_fin = false;
    }
    cx.st.tcp.limits = limits;
    if let Some(s) = stream_mut(cx, ports.0, ports.1) {
        s.conv = Some(conv);
    }
}

/// Picks the application dissector as tshark's `decode_tcp_ports` does: the conversation's
/// own, the server port's, the lower then the higher port's, then heuristics.
#[allow(clippy::too_many_arguments)]
fn application(
    cx: &mut Cx,
    b: Bytes,
    off: usize,
    end: usize,
    ports: (u16, u16),
    server_port: u16,
    bound: &mut Option<App>,
    http: &mut crate::proto::http::Conv,
    tls: &mut crate::proto::tls::Conv,
    smb2: &mut crate::proto::smb2::Conv,
    mail: &mut Mail,
) -> Option<Deseg> {
    let in_socks = mail.in_socks;
    let by_port = |p: u16| match crate::ports::tcp(p) {
        Some("http") => Some(App::Http),
        Some("tls") => Some(App::Tls),
        Some("dns") => Some(App::Dns),
        Some("ftp") => Some(App::Ftp),
        Some("pop") => Some(App::Pop),
        Some("imap") => Some(App::Imap),
        Some("smtp") => Some(App::Smtp),
        Some("ldap") => Some(App::Ldap),
        Some("kerberos") => Some(App::Kerberos),
        Some("telnet") => Some(App::Telnet),
        Some("mqtt") => Some(App::Mqtt),
        Some("pgsql") => Some(App::Pgsql),
        Some("bgp") => Some(App::Bgp),
        Some("ssh") => Some(App::Ssh),
        Some("sip") => Some(App::Sip),
        // SOCKS itself is followed in `payload`; inside the connection it proxies it is
        // not tried again.
        Some("socks") if in_socks => None,
        Some("tds") => Some(App::Tds),
        Some("nbss") => Some(App::Nbss(p == 445)),
        Some(n) => Some(crate::proto::apps::Tcp::by_name(n).map_or(App::Other, App::Ext)),
        None => None,
    };
    let (lo, hi) = if ports.0 <= ports.1 { (ports.0, ports.1) } else { (ports.1, ports.0) };
    // A conversation FTP announced takes precedence over ports.
    if bound.is_none() {
        if let Some(k) = crate::proto::ftp_data::lookup(cx, ports) {
            *bound = Some(App::FtpData(k));
        }
    }
    let mut app = bound.or_else(|| if server_port != 0 { by_port(server_port) } else { None });
    if app.is_none() {
        app = by_port(lo).or_else(|| by_port(hi));
    }
    // A port whose tshark dissector the core does not have: on what is no message of its
    // protocol that dissector gives up and the heuristics run, HTTP's first.
    if matches!(app, Some(App::Other)) && bound.is_none() {
        let d = &b.data[off.min(b.len())..end.min(b.len())];
        if crate::proto::http::looks_like(d) {
            *bound = Some(App::Http);
            app = Some(App::Http);
        }
    }
    // tshark's PROXY heuristic: TLS's port dissector declines the header, so it is tried.
    if bound.is_none() && matches!(app, None | Some(App::Tls)) && !cx.transport_only() {
        let d = &b.data[off.min(b.len())..end.min(b.len())];
        if let Some(hl) = crate::proto::proxy::header_len(d) {
            let to_tls = matches!(app, Some(App::Tls));
            return crate::proto::proxy::dissect(cx, b, off, end, hl, to_tls.then_some((tls, ports)));
        }
    }
    if app.is_none() {
        let d = &b.data[off.min(b.len())..end.min(b.len())];
        if crate::proto::http::looks_like(d) {
            *bound = Some(App::Http);
            app = Some(App::Http);
        } else if crate::proto::tls::looks_like(d) {
            *bound = Some(App::Tls);
            app = Some(App::Tls);
        } else if crate::proto::dcerpc::looks_like(d) && !cx.transport_only() {
            app = Some(App::Dcerpc);
        } else if crate::proto::sip::looks_like(d) && !cx.transport_only() {
            app = Some(App::Sip);
        } else if let Some(a) = crate::proto::apps::Tcp::heuristic(cx, d, ports).filter(|_| !cx.transport_only()) {
            // BitTorrent's heuristic binds the connection to it.
            if a == crate::proto::apps::Tcp::Bittorrent {
                *bound = Some(App::Ext(a));
            }
            app = Some(App::Ext(a));
        }
    }
    match app {
        Some(App::Http) => match crate::proto::http::tunnel_port(http) {
            Some(p) if crate::ports::tcp(p) == Some("tls") => {
                cx.proto(crate::proto::http::PROTO, "http", b.span_to(off, end));
                crate::proto::tls::dissect(cx, b, off, end, tls, ports)
            }
            // Another protocol through the tunnel: HTTP's item, then what the port the
            // CONNECT named has (data for an HTTP port).
            Some(p) if crate::ports::tcp(p) != Some("http") => {
                cx.proto(crate::proto::http::PROTO, "http", b.span_to(off, end));
                match crate::proto::http::tunnel_ports(http, cx.src, cx.dst, ports) {
                    Some(inner) => {
                        let mut inner_bound = None;
                        let mut inner_http = crate::proto::http::Conv::default();
                        application(cx, b, off, end, inner, p, &mut inner_bound, &mut inner_http, tls, smb2, mail)
                    }
                    None => None,
                }
            }
            Some(_) => {
                cx.proto(crate::proto::http::PROTO, "http", b.span_to(off, end));
                crate::proto::data::dissect(cx, b, off, end);
                None
            }
            _ => crate::proto::http::dissect(cx, b, off, end, http),
        },
        // TLS declines text; tshark then tries the heuristics, else shows data.
        Some(App::Tls) if crate::proto::tls::rejects(&b.data[off.min(b.len())..end.min(b.len())]) => {
            if crate::proto::http::looks_like(&b.data[off.min(b.len())..end.min(b.len())]) {
                *bound = Some(App::Http);
                crate::proto::http::dissect(cx, b, off, end, http)
            } else {
                crate::proto::data::dissect(cx, b, off, end);
                None
            }
        }
        Some(App::Tls) => crate::proto::tls::dissect(cx, b, off, end, tls, ports),
        Some(App::Dns) => crate::reasm::pdus(
            cx,
            b,
            off,
            end,
            2,
            |d| 2 + u16::from_be_bytes([d[0], d[1]]) as usize,
            |cx, b, o, e| crate::proto::dns::dissect_tcp(cx, b, o, e, crate::proto::dns::Flavour::Dns, ports),
        ),
        Some(App::Nbss(cifs)) => {
            crate::proto::nbss::dissect(cx, b, off, end, cifs, smb2, &mut mail.smb, &mut mail.ntlm)
        }
        Some(App::Ldap) if crate::proto::ldap::starts_message(b, off) => {
            crate::proto::ldap::dissect(cx, b, off, end, &mut mail.ntlm)
        }
        Some(App::Ldap) => {
            crate::proto::data::dissect(cx, b, off, end);
            None
        }
        Some(App::Dcerpc) => {
            if cx.creds_on() {
                let d = &b.data[off.min(b.len())..end.min(b.len())];
                if memchr::memmem::find(d, b"NTLMSSP\0").is_some() {
                    crate::proto::ntlmssp::find(cx, d, &mut mail.ntlm, "TCP");
                }
            }
            crate::proto::dcerpc::dissect_tcp(cx, b, off, end, &mut smb2.dcerpc, &mut mail.ntlm)
        }
        Some(App::Kerberos) => crate::proto::kerberos::dissect_tcp(cx, b, off, end),
        Some(App::Telnet) => {
            let request = ports.1 == matched_port("telnet", server_port, lo, hi);
            if cx.creds_on() {
                crate::proto::telnet::credentials(
                    cx,
                    &b.data[off.min(b.len())..end.min(b.len())],
                    request,
                    &mut mail.telnet,
                );
            }
            crate::proto::telnet::dissect(cx, b, off, end);
            None
        }
        Some(App::Mqtt) => crate::proto::mqtt::dissect(cx, b, off, end),
        Some(App::Pgsql) => {
            let frontend = ports.1 == matched_port("pgsql", server_port, lo, hi);
            crate::proto::pgsql::dissect(cx, b, off, end, frontend, &mut mail.pgsql)
        }
        Some(App::Bgp) => crate::proto::bgp::dissect(cx, b, off, end),
        Some(App::Sip) => crate::proto::sip::dissect_tcp(cx, b, off, end),
        Some(App::Ext(crate::proto::apps::Tcp::Mysql)) => {
            let request = ports.1 == matched_port("mysql", server_port, lo, hi);
            crate::proto::mysql::dissect_conv(cx, b, off, end, request, &mut mail.mysql)
        }
        Some(App::Ext(crate::proto::apps::Tcp::Irc)) => {
            let request = ports.1 == matched_port("irc", server_port, lo, hi);
            crate::proto::irc::dissect(cx, b, off, end, request, &mut mail.irc);
            None
        }
        Some(App::Ext(crate::proto::apps::Tcp::Ajp13)) => {
            crate::proto::ajp13::dissect(cx, b, off, end, &mut mail.ajp13)
        }
        Some(App::Ext(a)) => {
            let request = ports.1 == matched_port(a.name(), server_port, lo, hi);
            crate::proto::apps::tcp(cx, b, off, end, a, request, ports)
        }
        Some(App::Ssh) => {
            let client = ports.1 == matched_port("ssh", server_port, lo, hi);
            crate::proto::ssh::dissect(cx, b, off, end, client, &mut mail.ssh)
        }
        Some(App::Ftp) => {
            let request = ports.1 == matched_port("ftp", server_port, lo, hi);
            crate::proto::ftp::dissect(cx, b, off, end, request, &mut mail.ftp);
            let d = &b.data[off.min(b.len())..end.min(b.len())];
            crate::proto::ftp_data::control(cx, d, request, ports);
            None
        }
        Some(App::FtpData(k)) => {
            crate::proto::ftp_data::dissect(cx, b, off, end, k);
            None
        }
        Some(App::Pop) => {
            let request = ports.1 == matched_port("pop", server_port, lo, hi);
            crate::proto::pop::dissect(cx, b, off, end, request, &mut mail.pop);
            if mail.pop.starttls {
                *bound = Some(App::Tls);
            }
            None
        }
        Some(App::Imap) => {
            let request = ports.1 == matched_port("imap", server_port, lo, hi);
            match crate::proto::imap::dissect(cx, b, off, end, request, &mut mail.imap) {
                crate::proto::imap::Outcome::Tls => {
                    *bound = Some(App::Tls);
                    crate::proto::tls::dissect(cx, b, off, end, tls, ports)
                }
                crate::proto::imap::Outcome::Imap(d) => {
                    if mail.imap.tls {
                        *bound = Some(App::Tls);
                    }
                    d
                }
            }
        }
        Some(App::Smtp) => {
            let request = ports.1 == matched_port("smtp", server_port, lo, hi);
            let d = crate::proto::smtp::dissect(cx, b, off, end, request, &mut mail.smtp);
            if mail.smtp.starttls {
                *bound = Some(App::Tls);
            }
            d
        }
        Some(App::Tds) => {
            let d = &b.data[off.min(b.len())..end.min(b.len())];
            if cx.creds_on() {
                crate::proto::tds::credentials(cx, d);
                if memchr::memmem::find(d, b"NTLMSSP\0").is_some() {
                    crate::proto::ntlmssp::find(cx, d, &mut mail.ntlm, "TCP");
                }
            }
            if crate::proto::tds::looks_like(d) {
                crate::proto::tds::dissect(cx, b, off, end, &mut mail.ntlm)
            } else {
                crate::proto::data::dissect(cx, b, off, end);
                None
            }
        }
        _ => {
            if cx.creds_on() {
                // Any other protocol (DCE-RPC, MSSQL, ...): NTLMSSP found in a segment, paired
                // by connection like the others.
                let d = &b.data[off.min(b.len())..end.min(b.len())];
                if memchr::memmem::find(d, b"NTLMSSP\0").is_some() {
                    crate::proto::ntlmssp::find(cx, d, &mut mail.ntlm, "TCP");
                }
            }
            crate::proto::data::dissect(cx, b, off, end);
            None
        }
    }
}

/// The dissector of the port tshark tries first: the server port's, else the lower's, else
/// the higher's (the first with a table entry).
fn port_dissector(server_port: u16, lo: u16, hi: u16) -> Option<&'static str> {
    let first = if server_port != 0 { crate::ports::tcp(server_port) } else { None };
    first.or_else(|| crate::ports::tcp(lo)).or_else(|| crate::ports::tcp(hi))
}

/// The port whose table entry chose `name` (tshark's `match_uint`): the server port, else
/// the lower, else the higher. A payload going to it is a request.
fn matched_port(name: &str, server_port: u16, lo: u16, hi: u16) -> u16 {
    if server_port != 0 && crate::ports::tcp(server_port) == Some(name) {
        server_port
    } else if crate::ports::tcp(lo) == Some(name) {
        lo
    } else {
        hi
    }
}

/// `tcp.flags`, its bits and `tcp.flags.str`.
fn flag_fields(cx: &mut Cx, flags: u16, rf: Span) {
    if !cx.wants_any(FLAGS, FLAGS_STR.0 + 1) {
        return;
    }
    cx.u(FLAGS, flags, rf);
    for (id, bit) in [
        (FLAGS_RES, 0x0e00u16),
        (FLAGS_AE, 0x100),
        (FLAGS_CWR, 0x80),
        (FLAGS_ECE, 0x40),
        (FLAGS_URG, 0x20),
        (FLAGS_ACK, 0x10),
        (FLAGS_PUSH, 0x08),
        (FLAGS_RESET, 0x04),
        (FLAGS_SYN, 0x02),
        (FLAGS_FIN, 0x01),
    ] {
        cx.flag(id, flags & bit != 0, rf);
    }
    if cx.wants(FLAGS_STR) {
        let s: String = (0..12).map(|i| if flags & (0x800 >> i) != 0 { FLAG_CHARS[i] as char } else { '·' }).collect();
        cx.add_str(FLAGS_STR, &s, rf);
    }
}

fn stream_mut<'c>(cx: &'c mut Cx, sport: u16, dport: u16) -> Option<&'c mut Stream> {
    let (src, dst) = ((cx.src, sport), (cx.dst, dport));
    let key = ConvKey::new(src, dst);
    cx.st.tcp.map.get_mut(&key)
}

/// TCP options in `off..end`; returns the window-scale shift if present.
fn options(cx: &mut Cx, b: Bytes, mut off: usize, end: usize) -> Option<u8> {
    let mut shift = None;
    while off < end {
        let kind = b.data[off];
        cx.u(OPTION_KIND, kind, b.span(off, 1));
        if kind == 0 {
            break;
        }
        if kind == 1 {
            off += 1;
            continue;
        }
        let Some(len) = b.u8(off + 1) else { break };
        cx.u(OPTION_LEN, len, b.span(off + 1, 1));
        let len = len as usize;
        if len < 2 || off + len > end {
            break;
        }
        let body = off + 2;
        match kind {
            2 if len == 4 => cx.u(MSS_VAL, b.be16(body).unwrap_or(0), b.span(body, 2)),
            3 if len == 3 => {
                let s = b.data[body];
                shift = Some(s);
                cx.u(WSCALE_SHIFT, s, b.span(body, 1));
                cx.u(WSCALE_MULTIPLIER, 1u64 << s.min(14), b.span(body, 1));
            }
            4 => cx.add(SACK_PERM, Value::Bytes(b.span(off, len)), b.span(off, len)),
            5 => {
                let mut p = body;
                while p + 8 <= off + len {
                    cx.u(SACK_LE, b.be32(p).unwrap_or(0), b.span(p, 4));
                    cx.u(SACK_RE, b.be32(p + 4).unwrap_or(0), b.span(p + 4, 4));
                    p += 8;
                }
            }
            8 if len == 10 => {
                cx.u(TSVAL, b.be32(body).unwrap_or(0), b.span(body, 4));
                cx.u(TSECR, b.be32(body + 4).unwrap_or(0), b.span(body + 4, 4));
            }
            _ => {}
        }
        off += len;
    }
    shift
}
