//! IPv4.
pub static PROTO_VALS: &[(u64, &str)] = &[
    (1, "ICMP"),
    (2, "IGMP"),
    (4, "IPIP"),
    (6, "TCP"),
    (17, "UDP"),
    (41, "IPv6"),
    (47, "GRE"),
    (50, "ESP"),
    (51, "AH"),
    (58, "IPv6-ICMP"),
    (132, "SCTP"),
];
crate::declare_fields! {
    after = super::arp::END;
    PROTO = "ip", "Internet Protocol Version 4", Protocol, None;
    VERSION = "ip.version", "Version", U8, Dec, mask = 0xf0;
    HDR_LEN = "ip.hdr_len", "Header Length", U8, Dec, mask = 0x0f;
    DSFIELD = "ip.dsfield", "Differentiated Services Field", U8, Hex;
    DSCP = "ip.dsfield.dscp", "Differentiated Services Codepoint", U8, Dec, mask = 0xfc;
    ECN = "ip.dsfield.ecn", "Explicit Congestion Notification", U8, Dec, mask = 0x03;
    LEN = "ip.len", "Total Length", U16, Dec;
    ID = "ip.id", "Identification", U16, Hex;
    FLAGS = "ip.flags", "Flags", U8, Hex, mask = 0xe0;
    FLAGS_RB = "ip.flags.rb", "Reserved bit", Boolean, None, mask = 0x80, tfs = ("Set", "Not set");
    FLAGS_DF = "ip.flags.df", "Don't fragment", Boolean, None, mask = 0x40, tfs = ("Set", "Not set");
    FLAGS_MF = "ip.flags.mf", "More fragments", Boolean, None, mask = 0x20, tfs = ("Set", "Not set");
    FRAG_OFFSET = "ip.frag_offset", "Fragment Offset", U16, Dec, mask = 0x1fff;
    TTL = "ip.ttl", "Time to Live", U8, Dec;
    PROTO_ = "ip.proto", "Protocol", U8, Dec, vals = PROTO_VALS;
    CHECKSUM = "ip.checksum", "Header Checksum", U16, Hex;
    CHECKSUM_STATUS = "ip.checksum.status", "Header checksum status", U8, None;
    SRC = "ip.src", "Source Address", Ipv4, None;
    ADDR = "ip.addr", "Source or Destination Address", Ipv4, None;
    SRC_HOST = "ip.src_host", "Source Host", String, None;
    HOST = "ip.host", "Source or Destination Host", String, None;
    DST = "ip.dst", "Destination Address", Ipv4, None;
    DST_HOST = "ip.dst_host", "Destination Host", String, None;
    FRAGMENT = "ip.fragment", "IPv4 Fragment", FrameNum, None;
    FRAGMENT_COUNT = "ip.fragment.count", "Fragment count", U32, Dec;
    REASSEMBLED_LENGTH = "ip.reassembled.length", "Reassembled IPv4 length", U32, Dec;
}

use crate::cx::{Bytes, Cx, NetAddr};
use crate::tree::{Span, Value};
use std::collections::{HashMap, VecDeque};

pub fn fmt_v4(a: [u8; 4]) -> String {
    format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3])
}

/// IPv4 header at `off`, then its payload (reassembled when fragmented).
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    let Some(vhl) = b.u8(off) else {
        cx.proto(PROTO, "ip", b.span_to(off, b.len()));
        return;
    };
    let hl = (vhl & 0x0f) as usize * 4;
    let total = b.be16(off + 2).unwrap_or(0) as usize;
    cx.proto(PROTO, "ip", b.span_to(off, off + total.max(hl)));
    if !cx.wants_any(VERSION, SRC.0) && b.len() >= off + 20 {
        // No header field before the addresses is wanted (the usual case): read only the
        // addresses and what the payload's dispatch needs.
        if vhl >> 4 != 4 || hl < 20 {
            return;
        }
        let d = &b.data[off..off + 20];
        let ff = u16::from_be_bytes([d[6], d[7]]);
        let (src, dst) = ([d[12], d[13], d[14], d[15]], [d[16], d[17], d[18], d[19]]);
        let id = u16::from_be_bytes([d[4], d[5]]);
        if cx.wants(PROTO) || cx.wants_any(SRC, FRAGMENT.0) {
            addresses(cx, b, off, src, dst);
        }
        return payload(cx, b, off, hl, total as u16, id, ff, d[9], src, dst);
    }
    let r1 = b.span(off, 1);
    cx.u(VERSION, vhl >> 4, r1);
    cx.u(HDR_LEN, hl as u64, r1);
    if vhl >> 4 != 4 || hl < 20 {
        return;
    }
    if header(cx, b, off, hl).is_none() {
        // The fixed header cut off: tshark's dissector throws at the first missing field.
        cx.bounds_error(off + 20, b.reported);
    }
}

/// The fixed header's fields from the type of service on, and the payload; None when the
/// header's 20 bytes were not all captured.
fn header(cx: &mut Cx, b: Bytes, off: usize, hl: usize) -> Option<()> {
    let tos = b.u8(off + 1)?;
    let r = b.span(off + 1, 1);
    cx.u(DSFIELD, tos, r);
    cx.u(DSCP, tos >> 2, r);
    cx.u(ECN, tos & 3, r);
    let total = b.be16(off + 2)?;
    // A total length of 0 (TCP segmentation offload) shows the length the frame gives.
    let shown_len = if total == 0 { b.reported.saturating_sub(off) as u64 } else { total as u64 };
    cx.u(LEN, shown_len, b.span(off + 2, 2));
    let id = b.be16(off + 4)?;
    cx.u(ID, id, b.span(off + 4, 2));
    let ff = b.be16(off + 6)?;
    let r = b.span(off + 6, 1);
    cx.u(FLAGS, (ff >> 13) as u64, r);
    cx.flag(FLAGS_RB, ff & 0x8000 != 0, r);
    cx.flag(FLAGS_DF, ff & 0x4000 != 0, r);
    cx.flag(FLAGS_MF, ff & 0x2000 != 0, r);
    let frag_off = ff & 0x1fff;
    cx.u(FRAG_OFFSET, frag_off, b.span(off + 6, 2));
    let ttl = b.u8(off + 8)?;
    cx.u(TTL, ttl, b.span(off + 8, 1));
    let proto = b.u8(off + 9)?;
    cx.u(PROTO_, proto, b.span(off + 9, 1));
    let ck = b.be16(off + 10)?;
    cx.u(CHECKSUM, ck, b.span(off + 10, 2));
    cx.u(CHECKSUM_STATUS, 2u8, Span::EMPTY);
    let (src, dst) = (b.arr::<4>(off + 12)?, b.arr::<4>(off + 16)?);
    addresses(cx, b, off, src, dst);
    payload(cx, b, off, hl, total, id, ff, proto, src, dst);
    Some(())
}

/// The protocol item's label and the address fields.
fn addresses(cx: &mut Cx, b: Bytes, off: usize, src: [u8; 4], dst: [u8; 4]) {
    cx.label(PROTO, || format!("Internet Protocol Version 4, Src: {}, Dst: {}", fmt_v4(src), fmt_v4(dst)));
    for (a, f, host, o) in [(src, SRC, SRC_HOST, 12), (dst, DST, DST_HOST, 16)] {
        let r = b.span(off + o, 4);
        cx.add(f, Value::Ipv4(a), r);
        cx.add(ADDR, Value::Ipv4(a), r);
        if cx.wants(host) || cx.wants(HOST) {
            let s = fmt_v4(a);
            cx.add_str(host, &s, r);
            cx.add_str(HOST, &s, r);
        }
    }
}

/// The datagram's payload: defragmentation, then the IP-protocol dispatch.
#[allow(clippy::too_many_arguments)]
fn payload(
    cx: &mut Cx,
    b: Bytes,
    off: usize,
    hl: usize,
    total: u16,
    id: u16,
    ff: u16,
    proto: u8,
    src: [u8; 4],
    dst: [u8; 4],
) {
    let frag_off = ff & 0x1fff;
    // A total length of 0 is TCP segmentation offload: the frame's length counts.
    let end = if total == 0 { b.reported } else { (off + total as usize).min(b.reported) };
    if end < off + hl || b.len() < off + hl {
        return;
    }
    cx.tap(crate::tap::Tap::Ip { src, dst });
    cx.src = NetAddr::v4(src);
    cx.dst = NetAddr::v4(dst);
    let more = ff & 0x2000 != 0;
    // tshark reassembles only fragments whose bytes were all captured; otherwise a first
    // fragment is dissected as it is and a later one is shown as data.
    // (A total length beyond the frame's end counts as not captured.)
    let all_there = total == 0 || off + total as usize <= b.len();
    if (more || frag_off != 0) && !cx.in_error && end > off + hl && end <= b.len() && all_there {
        let key = FragKey { src, dst, id, proto };
        let payload = &b.data[off + hl..end.min(b.len())];
        let done = cx.st.ip_frag.add(key, cx.meta.number, frag_off as usize * 8, payload, more);
        match done {
            Some(d) => crate::frag::dissect_reassembled(cx, d, [FRAGMENT, FRAGMENT_COUNT, REASSEMBLED_LENGTH], proto),
            None => crate::proto::data::dissect(cx, b, off + hl, end),
        }
        return;
    }
    if frag_off != 0 {
        crate::proto::data::dissect(cx, b, off + hl, end);
    } else {
        cx.fragmented = more;
        crate::dissector::ip_proto(cx, b, off + hl, end, proto);
        cx.fragmented = false;
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct FragKey {
    src: [u8; 4],
    dst: [u8; 4],
    id: u16,
    proto: u8,
}

/// A datagram whose fragments all arrived.
pub struct Reassembled {
    pub frames: Vec<u32>,
    pub data: Vec<u8>,
}

/// IPv4 fragment reassembly (tshark's default `ip.defragment: TRUE`), with a cap on the
/// number of datagrams in progress and on their size so hostile captures stay bounded.
#[derive(Default)]
pub struct Defrag {
    pending: HashMap<FragKey, crate::frag::Pending>,
    order: VecDeque<FragKey>,
}

impl Defrag {
    /// Adds one fragment; returns the datagram when this fragment completes it.
    pub fn add(&mut self, key: FragKey, frame: u32, offset: usize, data: &[u8], more: bool) -> Option<Reassembled> {
        crate::frag::add(&mut self.pending, &mut self.order, key, frame, offset, data, more)
    }
}
